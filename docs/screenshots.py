"""Take the README's screenshots of the desktop app.

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots.py

Builds a throw-away database with the sample articles, annotates the Istanbul article's gold quotes
(``tests/seed.py``) as "ana", gives them a mix of statuses (some approved by the reviewer "rui", as
the four-eyes rule requires; the Moscow quote sent back once by rui, fixed and sent for review
again), opens the real main window and writes:

* ``docs/images/annotating.png``: ana's window with the Moscow quote selected;
* ``docs/images/sources.png``: the sources window;
* ``docs/images/review.png``: rui's window in review mode, the Moscow quote picked in the queue,
  its chain diagram and history showing, and the evidence of its first hop selected in the article;
* ``docs/images/suggestions.png``: a second database where ana has accepted the article's first
  two suggestions; the others are outlined in the reader and listed in the Suggestions tab, the
  Moscow suggestion is current (Tab) with its tooltip showing.

Settings and data live in a temporary directory: your own settings are not touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
HOME = Path(tempfile.mkdtemp(prefix="qa-shots-"))
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(HOME / var.lower())
os.environ.pop("QUOTE_ANNOTATOR_DB", None)

from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QCursor, QFont  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402


def build_database(path: Path) -> tuple[str, int, list[int]]:
    from seed import GOLD, SAMPLES, annotate_gold, load_gold

    from annotator.db import Database
    from annotator.service import Service

    url = f"sqlite:///{path}"
    db = Database.open(url)
    ana = Service(db, user="ana")
    ana.import_paths([SAMPLES])
    aid = next(s.article.id for s in ana.articles() if s.article.filename == "istanbul-talks.txt")
    ids = annotate_gold(ana, aid, load_gold(GOLD))
    text = ana.article_text(aid)
    rui = Service(db, user="rui")  # the reviewer: four eyes
    for qid in (ids[0], ids[3], ids[4], ids[5], ids[12], ids[13]):
        rui.approve(qid, comment="checked against the original")
    for qid in (ids[1], ids[6], ids[9]):
        ana.set_status(qid, "needs_review")
    # The Moscow chain goes to review without evidence and comes back; ana marks where the article
    # names each intermediary, and sends it again.
    moscow = ids[2]
    ana.set_status(moscow, "needs_review")
    rui.request_changes(moscow, "Mark where the article cites the Turkish official and CNN")
    for pos, phrase in ((0, "according to a Turkish official"), (1, "quoted by CNN")):
        s = text.index(phrase)
        ana.update_hop(moscow, pos, evidence=(s, s + len(phrase)))
    ana.set_status(moscow, "needs_review")
    zelensky = ana.resolve_source("Volodimir Zelensky")
    ana.update_source(
        zelensky.id,
        aliases=["Zelensky", "Zelenskyy", "Volodymyr Zelenskyy"],
        external_ids=[("wikidata", "Q3874799")],
    )
    ana.set_status(ids[10], "disputed")
    ana.set_status(ids[17], "rejected")
    db.close()
    return url, aid, ids


def build_suggestions_database(path: Path) -> tuple[str, int]:
    """The sample articles, and in the Istanbul article the first two suggestions accepted."""
    from seed import SAMPLES

    from annotator.db import Database
    from annotator.service import Service

    url = f"sqlite:///{path}"
    db = Database.open(url)
    ana = Service(db, user="ana")
    ana.import_paths([SAMPLES])
    aid = next(s.article.id for s in ana.articles() if s.article.filename == "istanbul-talks.txt")
    ana.accept_suggestions(aid, ana.suggestions(aid)[:2])
    db.close()
    return url, aid


def suggestions_shot(window, url: str, aid: int, out: Path) -> Path:
    """The reader with suggestions outlined, the Moscow one current with its tooltip, and the
    Suggestions tab. Grabbed from the screen, so that the tooltip (a window of its own) shows."""
    window.open_database(url, user="ana")
    window.show_article(aid)
    for _ in range(200):  # the worker answers in a few tens of milliseconds
        if window.suggestions_shown():
            break
        QTest.qWait(50)
    # While a suggestion is current the inspector only describes it: the article gets more room.
    window.resizeDocks([window.inspector_dock], [380], Qt.Orientation.Horizontal)
    QTest.qWait(300)
    window.quote_tabs.setCurrentWidget(window.suggestions_panel)
    view = window.reader.view
    view.setFocus(Qt.FocusReason.OtherFocusReason)
    moscow = next(r for r in window.suggestions_shown() if r.speaker == "Moscow")
    window.select_suggestion(moscow.key)
    view.centerCursor()
    window.statusBar().clearMessage()
    QTest.qWait(300)
    rects = view.suggestion_rects(moscow.key)
    tip, _ = view.tooltip_at(rects[-1].center().toPoint())
    anchor = QPoint(int(rects[-1].left()) + 60, int(rects[-1].bottom()) + 6)  # as if hovered there
    QCursor.setPos(view.viewport().mapToGlobal(anchor))  # the mouse there, as a user hovering
    QTest.qWait(100)
    QToolTip.showText(view.viewport().mapToGlobal(anchor), tip, view.viewport())
    QTest.qWait(500)
    frame = window.frameGeometry()
    screen = window.screen()
    shot = out / "suggestions.png"
    screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(str(shot))
    QToolTip.hideText()
    return shot


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    p.add_argument("--size", help="the window's size, e.g. 1600x1000 (default: that, or the screen)")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    app = QApplication(sys.argv[:1])
    screen = app.primaryScreen().size()
    default = f"{min(1600, screen.width())}x{min(1000, screen.height())}"
    width, height = map(int, (args.size or default).split("x"))
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans")
    font.setPointSizeF(9.5)
    app.setFont(font)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(HOME / "settings"))

    url, aid, ids = build_database(HOME / "annotations.sqlite3")

    from ui.main_window import MainWindow

    window = MainWindow()
    window.resize(width - 40, height - 60)
    window.move(20, 20)
    window.open_database(url, user="ana")
    window.show()
    QTest.qWait(300)
    window.show_article(aid, quote_id=ids[2])
    window.reader.view.centerCursor()
    window.quotes_panel.view.scrollTo(window.quotes_panel.view.currentIndex())
    window.activateWindow()
    window.reader.view.setFocus(Qt.FocusReason.OtherFocusReason)
    window.statusBar().clearMessage()
    QTest.qWait(500)
    shot = args.out / "annotating.png"
    window.grab().save(str(shot))
    print(f"wrote {shot}")

    sources = window.open_sources_window()
    sources.resize(1180, 640)
    sources.move(60, 80)
    QTest.qWait(300)
    zelensky = window.service.resolve_source("Volodimir Zelensky")
    if zelensky is not None and hasattr(sources, "select_sources"):
        sources.select_sources([zelensky.id])
    QTest.qWait(500)
    shot = args.out / "sources.png"
    sources.grab().save(str(shot))
    print(f"wrote {shot}")
    sources.close()

    # The reviewer's window: the same database, opened by rui, in review mode.
    window.open_database(url, user="rui")
    QTest.qWait(300)
    window.set_review_mode(True)
    review = window.review_view
    QTest.qWait(300)
    review.select_quote(ids[2])
    window.select_quote(ids[2], reveal=True)
    QTest.qWait(300)
    review.diagram.activate(("edge", 0))  # as a click on the first arrow: its evidence is selected
    review.queue_view.setFocus(Qt.FocusReason.OtherFocusReason)
    window.statusBar().clearMessage()
    QTest.qWait(300)
    review.history_view.scrollToBottom()  # the latest entries: ana's fixes, sent for review again
    QTest.qWait(300)
    shot = args.out / "review.png"
    window.grab().save(str(shot))
    print(f"wrote {shot}")

    window.set_review_mode(False)
    url, aid = build_suggestions_database(HOME / "suggestions.sqlite3")
    print(f"wrote {suggestions_shot(window, url, aid, args.out)}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

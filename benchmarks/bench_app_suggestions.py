"""Benchmark suggestions in the window: opening an article, the answer from the worker, and drawing.

    .venv/bin/python benchmarks/bench_app_suggestions.py [--mb 1] [--frames 60]

Prints, from one run:

* open: ``show_article`` on the seed article with View > Show suggestions on, against off (the
  window only asks the worker, so the two should be the same);
* shown: from ``show_article`` until the suggestions are outlined, against the bare
  ``Service.suggestions`` call in the same process (the difference: the request waits
  ``SUGGEST_DELAY_MS`` for the window to paint first, then the worker thread, its own database
  connection and the signal back to the GUI thread);
* scroll: time per scroll frame (one page down, repainted synchronously) of the reader on a
  generated article of ``--mb`` million characters with a suggestion outlined on every quoted
  passage, against the same reader with none.

No assertions. Runs offscreen unless QT_QPA_PLATFORM is set.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
_HOME = Path(tempfile.mkdtemp(prefix="qa-bench-"))
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())

from bench_reader import make_article, scroll_frames, show_until_painted  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def _wait(app: QApplication, done, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while not done() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mb", type=float, default=1.0, help="size of the scrolled article (millions of chars)"
    )
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    app = QApplication([])
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(_HOME / "settings"))

    from annotator.db import Database
    from annotator.service import Service
    from ui.main_window import MainWindow

    url = f"sqlite:///{_HOME / 'bench.sqlite3'}"
    db = Database.open(url)
    svc = Service(db, user="bench")
    svc.import_paths([ROOT / "sample_articles"])
    seed = next(s.article.id for s in svc.articles() if s.article.filename == "istanbul-talks.txt")
    other = next(s.article.id for s in svc.articles() if s.article.id != seed)

    window = MainWindow()
    window.resize(1400, 900)
    window.open_database(url, user="bench")
    show_until_painted(app, window, window.reader.view.viewport())

    def open_seed(show: bool) -> tuple[float, float]:
        window.show_suggestions_action.setChecked(show)
        window.show_article(other)
        _wait(app, lambda: not window.suggestions_pending())
        window.suggestion_loader.wait()
        app.processEvents()
        t0 = time.perf_counter()
        window.show_article(seed)
        t_open = time.perf_counter() - t0
        if show:
            _wait(app, lambda: bool(window.suggestions_shown()))
        return t_open, time.perf_counter() - t0

    runs_on, runs_off = [], []
    for _ in range(args.runs):
        runs_on.append(open_seed(True))
        runs_off.append(open_seed(False))
    bare = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        n = len(svc.suggestions(seed))
        bare.append(time.perf_counter() - t0)
    open_on = min(r[0] for r in runs_on)
    open_off = min(r[0] for r in runs_off)
    shown = min(r[1] for r in runs_on)
    print(
        f"open seed article:  {open_on * 1000:6.1f} ms with suggestions on, {open_off * 1000:6.1f} ms off "
        f"({open_on / open_off:.2f}x)"
    )
    print(
        f"suggestions shown:  {shown * 1000:6.1f} ms after show_article; bare Service.suggestions "
        f"{min(bare) * 1000:6.1f} ms ({shown / min(bare):.2f}x; {n} suggestions)"
    )
    window.close()
    db.close()

    from ui.reader import ReaderView, SuggestionMark

    text = make_article(int(args.mb * 1_000_000), random.Random(1))
    marks, i = [], 0
    while (i := text.find("“", i)) >= 0:
        j = text.find("”", i)
        if j < 0:
            break
        marks.append(SuggestionMark(f"m{len(marks)}", i + 1, j))
        i = j
    view = ReaderView()
    view.resize(900, 800)
    view.set_article(text, [])
    show_until_painted(app, view, view.viewport())
    scroll_frames(app, view, 5)  # warm up
    plain = scroll_frames(app, view, args.frames)
    view.set_suggestions(marks)
    outlined = scroll_frames(app, view, args.frames)
    print(
        f"scroll frame:       {outlined * 1000:6.2f} ms with {len(marks):,} suggestions outlined, "
        f"{plain * 1000:6.2f} ms without ({outlined / plain:.2f}x; {len(text) / 1e6:.1f} M chars)"
    )


if __name__ == "__main__":
    main()

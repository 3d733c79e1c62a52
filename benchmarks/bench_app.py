"""Benchmark the real main window on a ~5 MB article with 10,000 quotes, beside a bare QPlainTextEdit.

    .venv/bin/python benchmarks/bench_app.py [--mb 5] [--quotes 10000] [--frames 60] [--marks 20] [--keep DIR]

Builds a temporary SQLite database (the article imported, then every quote created through the
service, one operation per quote, as the app does), then prints from one run:

* time to window: a fresh process until the (empty) main window is painted, before the database;
* time to shown: the bare widget showing the text, against the main window opening the database and
  showing the article with every highlight (and the quote table, library and inspector);
* time per scroll frame (one page down, repainted synchronously), both;
* mark to saved: from the Q key press on a selection to the quote committed in the database, and to
  the window fully updated (reader, table, inspector); median of ``--marks`` marks;
* peak RSS after each part.

No assertions. Runs offscreen unless QT_QPA_PLATFORM is set. ``--keep DIR`` keeps (and reuses)
the generated database in DIR.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
_HOME = Path(tempfile.mkdtemp(prefix="qa-bench-"))
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())  # settings and logs of this run stay out of $HOME

from bench_reader import make_article, scroll_frames, show_until_painted  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

STATUSES = ("unverified", "unverified", "needs_review", "disputed", "rejected")

STARTUP_PROBE = r"""
import os, sys, time
t_start = float(os.environ["QA_T0"])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.environ["QA_ROOT"])
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.main_window import MainWindow
w = MainWindow()
painted = []
class Watch(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            painted.append(1)
        return False
f = Watch(); w.installEventFilter(f)
w.show()
while not painted:
    app.processEvents()
print(f"{(time.time() - t_start) * 1000:.0f} {int('sqlalchemy' in sys.modules)}")
"""


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_now_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def time_to_window(runs: int = 3) -> tuple[float, bool]:
    """Median ms from process start (before the interpreter) to the first paint of the window."""
    out = []
    loaded = False
    for _ in range(runs):
        env = dict(os.environ, QA_T0=repr(time.time()), QA_ROOT=str(ROOT))
        res = subprocess.run(
            [sys.executable, "-c", STARTUP_PROBE], capture_output=True, text=True, env=env, check=True
        )
        ms, sa = res.stdout.split()
        out.append(float(ms))
        loaded = loaded or sa == "1"
    return statistics.median(out), loaded


def build_database(folder: Path, mb: float, quotes: int, seed: int) -> tuple[str, int, float]:
    """The article imported and ``quotes`` quotes created through the service, one op each."""
    from annotator.db import Database
    from annotator.service import Service

    path = folder / f"bench-{mb}-{quotes}-{seed}.sqlite3"
    url = f"sqlite:///{path}"
    if path.exists():
        svc = Service(Database.open(url), user="bench")
        aid = svc.articles()[0].article.id
        svc.db.close()
        return url, aid, float("nan")
    rng = random.Random(seed)
    text = make_article(int(mb * 1_000_000), rng)
    src = folder / "big-article.txt"
    src.write_text(
        f"Title: A very long article\nOutlet: Bench Post\nDate: 2025-05-19\n---\n{text}", encoding="utf-8"
    )
    svc = Service(Database.open(url), user="bench")
    aid = svc.import_file(src).extra["article"].id
    text = svc.article_text(aid)
    n = len(text)
    step = n // quotes
    t0 = time.perf_counter()
    for i in range(quotes):
        start = i * step + rng.randint(0, max(1, step // 3))
        end = min(n, start + rng.randint(20, min(300, step)))
        cue = None
        if rng.random() < 0.5 and end + 12 < n:
            cue = (end + 1, end + rng.randint(4, 10))
        svc.create_quote(aid, start, end, cue=cue, status=rng.choice(STATUSES))
    elapsed = time.perf_counter() - t0
    svc.db.close()
    return url, aid, elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mb", type=float, default=5.0, help="article size in millions of characters")
    p.add_argument("--quotes", type=int, default=10_000)
    p.add_argument("--frames", type=int, default=60)
    p.add_argument("--marks", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path, help="keep (and reuse) the generated database in this folder")
    args = p.parse_args()

    rows: list[tuple[str, str]] = []
    ttw, sa_loaded = time_to_window()
    rows.append(
        (
            "time to window (fresh process, empty window painted)",
            f"{ttw:.0f} ms" + ("" if not sa_loaded else "  (SQLAlchemy was loaded!)"),
        )
    )

    folder = args.keep or Path(tempfile.mkdtemp(prefix="qa-bench-db-"))
    folder.mkdir(parents=True, exist_ok=True)
    url, aid, build_s = build_database(folder, args.mb, args.quotes, args.seed)
    if build_s == build_s:  # not NaN
        rows.append(
            (
                f"build: {args.quotes:,} create_quote through the service",
                f"{build_s:.1f} s ({build_s / args.quotes * 1000:.2f} ms per quote)",
            )
        )
    else:
        rows.append(("build", f"reused {url}"))

    app = QApplication.instance() or QApplication(sys.argv[:1])
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(_HOME / "settings"))
    from annotator.db import Database
    from annotator.service import Service

    svc = Service(Database.open(url), user="bench")
    text = svc.article_text(aid)
    svc.db.close()
    rows.append(("article", f"{len(text):,} code points, {len(text.encode('utf-8')) / 1e6:.1f} MB UTF-8"))
    rows.append(("RSS before widgets (peak)", f"{rss_peak_mb():.0f} MB"))

    # -- the bare widget -----------------------------------------------------------------------------
    bare = QPlainTextEdit()
    bare.resize(1000, 800)
    t0 = time.perf_counter()
    bare.setPlainText(text)
    show_until_painted(app, bare, bare.viewport())
    bare_show = time.perf_counter() - t0
    bare_frame = scroll_frames(app, bare, args.frames)
    rows.append(("bare QPlainTextEdit: show", f"{bare_show * 1000:.0f} ms"))
    rows.append(("bare QPlainTextEdit: scroll frame", f"{bare_frame * 1000:.2f} ms"))
    rows.append(("peak RSS after bare", f"{rss_peak_mb():.0f} MB"))
    bare.close()
    bare.deleteLater()
    app.processEvents()

    # -- the main window -----------------------------------------------------------------------------
    from ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1500, 950)
    window.show()
    app.processEvents()
    view = window.reader.view
    t0 = time.perf_counter()
    window.open_database(url, user="bench")  # opens the last/first article: this one
    t_open = time.perf_counter() - t0
    show_until_painted(app, window, view.viewport())
    app_show = time.perf_counter() - t0
    assert window.current_article_id() == aid
    n_spans = sum(len(view.quote_spans(q)) for q in list(window._records)[:50])
    t1 = time.perf_counter()
    window.show_article(aid)
    view.viewport().repaint()
    switch = time.perf_counter() - t1
    rows.append(
        (
            "main window: open database + show article with highlights",
            f"{app_show * 1000:.0f} ms "
            f"({app_show / bare_show:.1f}x bare; open_database {t_open * 1000:.0f} ms)",
        )
    )
    rows.append(
        (
            "main window: show the article again (article switch)",
            f"{switch * 1000:.0f} ms ({switch / bare_show:.1f}x bare)",
        )
    )
    app_frame = scroll_frames(app, view, args.frames)
    rows.append(
        ("main window: scroll frame", f"{app_frame * 1000:.2f} ms ({app_frame / bare_frame:.1f}x bare)")
    )
    rows.append(("quotes shown", f"{len(window._records):,} (≈{n_spans / 50:.1f} spans each)"))

    # -- mark a quote: Q on a selection --------------------------------------------------------------
    window.activateWindow()
    app.processEvents()
    service = window.service
    committed: list[float] = []
    real_create = service.create_quote

    def timed_create(*a, **kw):
        result = real_create(*a, **kw)
        committed.append(time.perf_counter())
        return result

    service.create_quote = timed_create  # type: ignore[method-assign]
    rng = random.Random(args.seed + 1)
    to_saved, to_updated, refresh = [], [], []
    for _ in range(args.marks):
        s = rng.randrange(0, len(text) - 400)
        e = s + rng.randint(30, 200)
        view.select_range(s, e)
        view.setFocus()
        before = len(committed)
        t0 = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_Q)
        t1 = time.perf_counter()
        if len(committed) != before + 1:
            raise SystemExit("the Q key did not mark a quote (is the window active?)")
        to_saved.append(committed[-1] - t0)
        to_updated.append(t1 - t0)
        t2 = time.perf_counter()
        window._refresh_timer.stop()
        window._refresh_library()  # what the deferred refresh does right after (library counts)
        refresh.append(time.perf_counter() - t2)
    rows.append(
        (
            "mark (Q) to saved in the database, median",
            f"{statistics.median(to_saved) * 1000:.1f} ms (max {max(to_saved) * 1000:.1f})",
        )
    )
    rows.append(
        (
            "mark (Q) to window updated, median",
            f"{statistics.median(to_updated) * 1000:.1f} ms (max {max(to_updated) * 1000:.1f})",
        )
    )
    rows.append(
        (
            "deferred library/count refresh after an edit, median",
            f"{statistics.median(refresh) * 1000:.1f} ms",
        )
    )
    rows.append(("peak RSS after main window", f"{rss_peak_mb():.0f} MB (now {rss_now_mb():.0f} MB)"))
    window.close()

    width = max(len(name) for name, _ in rows)
    print(f"Qt platform: {app.platformName()}; {os.cpu_count()} CPUs")
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()

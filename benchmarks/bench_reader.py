"""Benchmark the article reader on a ~5 MB article with 10,000 spans.

    .venv/bin/python benchmarks/bench_reader.py [--mb 5] [--spans 10000] [--frames 60]

Prints, from one run: time for a bare QPlainTextEdit to show the text, time for ReaderPane to show
it with highlights, the average time per scroll frame of both, the time of update_quote_spans on one
quote, and peak RSS. No assertions. Runs offscreen unless QT_QPA_PLATFORM is set.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from ui.reader import STATUSES, ReaderPane, Span, SpanKind  # noqa: E402

WORDS = (
    "the of and to in a is that for on said it with as was he at by from his an be have has "
    "minister government talks officials ceasefire Istanbul Moscow Kyiv delegation agreement "
    "negotiations spokesman statement according told reporters president foreign security "
    "council sanctions humanitarian corridor grain exports Black Sea port Turkish mediator "
    "week Tuesday sources familiar matter declined comment would could not will also there "
    "their which been after before during while between against under over about again"
).split()
EMOJI = ["😀", "🇺🇦", "🇹🇷", "𝕏", "🎉", "👍🏽"]


def make_article(target_chars: int, rng: random.Random) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < target_chars:
        sentences = []
        for _ in range(rng.randint(2, 7)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 28))]
            if rng.random() < 0.15:
                words.insert(rng.randrange(len(words)), rng.choice(EMOJI))
            if rng.random() < 0.4:
                i = rng.randrange(len(words))
                j = min(len(words), i + rng.randint(3, 12))
                words[i] = "“" + words[i]
                words[j - 1] = words[j - 1] + "”"
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def make_spans(text: str, count: int, rng: random.Random) -> list[Span]:
    """~70% quotes (some nested, a few crossing paragraphs), the rest cues and evidence."""
    spans: list[Span] = []
    n = len(text)
    quote_id = 0
    while len(spans) < count:
        quote_id += 1
        status = rng.choice(STATUSES)
        start = rng.randrange(0, n - 2000)
        length = rng.randint(30, 1200) if rng.random() < 0.05 else rng.randint(20, 300)
        end = start + length
        spans.append(Span(start, end, SpanKind.QUOTE, quote_id, status, f"speaker {quote_id} ← agency"))
        if rng.random() < 0.2 and length > 40:  # a nested quote
            quote_id += 1
            s2 = start + rng.randint(5, length // 3)
            spans.append(Span(s2, s2 + rng.randint(5, length // 2), SpanKind.QUOTE, quote_id, status))
        cue = end + rng.randint(1, 5)
        spans.append(Span(cue, cue + rng.randint(4, 12), SpanKind.CUE, quote_id, status))
        if rng.random() < 0.3:
            ev = max(0, start - rng.randint(50, 400))
            spans.append(Span(ev, ev + rng.randint(10, 60), SpanKind.EVIDENCE, quote_id, status))
    return spans[:count]


class PaintWatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.painted += 1
        return False


def show_until_painted(app: QApplication, widget, viewport) -> None:
    watcher = PaintWatcher()
    viewport.installEventFilter(watcher)
    widget.show()
    deadline = time.perf_counter() + 30
    while not watcher.painted and time.perf_counter() < deadline:
        app.processEvents()
    viewport.removeEventFilter(watcher)


def scroll_frames(app: QApplication, edit: QPlainTextEdit, frames: int) -> float:
    """Average seconds per frame: scroll one page down and repaint synchronously."""
    bar = edit.verticalScrollBar()
    bar.setValue(0)
    app.processEvents()
    t0 = time.perf_counter()
    for _ in range(frames):
        bar.setValue(bar.value() + bar.pageStep())
        edit.viewport().repaint()
        app.processEvents()
    return (time.perf_counter() - t0) / frames


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="article size in millions of characters")
    parser.add_argument("--spans", type=int, default=10_000)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(args.seed)
    text = make_article(int(args.mb * 1_000_000), rng)
    spans = make_spans(text, args.spans, rng)
    rows: list[tuple[str, str]] = [
        (
            "article",
            f"{len(text):,} code points, {len(text.encode('utf-8')) / 1e6:.1f} MB UTF-8, "
            f"{text.count(chr(10)) + 1:,} blocks",
        ),
        ("spans", f"{len(spans):,}"),
        ("RSS before widgets", f"{rss_mb():.0f} MB"),
    ]

    bare = QPlainTextEdit()
    bare.resize(1000, 800)
    t0 = time.perf_counter()
    bare.setPlainText(text)
    show_until_painted(app, bare, bare.viewport())
    rows.append(("bare QPlainTextEdit: show", f"{(time.perf_counter() - t0) * 1000:.0f} ms"))
    frame = scroll_frames(app, bare, args.frames)
    rows.append(("bare QPlainTextEdit: scroll frame", f"{frame * 1000:.2f} ms"))
    rows.append(("peak RSS after bare", f"{rss_mb():.0f} MB"))
    bare.close()
    bare.deleteLater()
    app.processEvents()

    pane = ReaderPane()
    pane.resize(1000, 800)
    t0 = time.perf_counter()
    pane.view.set_article(text, spans)
    t_set = time.perf_counter() - t0
    show_until_painted(app, pane, pane.view.viewport())
    rows.append(("ReaderPane: set_article", f"{t_set * 1000:.0f} ms"))
    rows.append(("ReaderPane: show (set_article + paint)", f"{(time.perf_counter() - t0) * 1000:.0f} ms"))
    rows.append(("ReaderPane: scroll frame", f"{scroll_frames(app, pane.view, args.frames) * 1000:.2f} ms"))

    target = spans[len(spans) // 2]
    moved = [Span(target.start + 10, target.end + 10, target.kind, target.quote_id, "verified")]
    times = []
    for i in range(20):
        t0 = time.perf_counter()
        pane.view.update_quote_spans(target.quote_id, moved if i % 2 == 0 else [target])
        times.append(time.perf_counter() - t0)
    rows.append(("update_quote_spans (one quote, median of 20)", f"{sorted(times)[10] * 1000:.2f} ms"))
    t0 = time.perf_counter()
    pane.view.set_current_quote(target.quote_id)
    rows.append(("set_current_quote", f"{(time.perf_counter() - t0) * 1000:.2f} ms"))
    t0 = time.perf_counter()
    pane.view.set_spans(spans)
    rows.append(("set_spans (full re-highlight)", f"{(time.perf_counter() - t0) * 1000:.0f} ms"))
    t0 = time.perf_counter()
    pane.view.select_range(spans[-1].start, spans[-1].end)
    app.processEvents()
    rows.append(("select_range far down + paint", f"{(time.perf_counter() - t0) * 1000:.1f} ms"))
    rows.append(("peak RSS after reader", f"{rss_mb():.0f} MB"))

    width = max(len(name) for name, _ in rows)
    print(f"Qt platform: {app.platformName()}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()

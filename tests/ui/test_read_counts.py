"""How often the window reads the database: one press of Q, and opening a long review queue.

Counted on the real window over a real SQLite file: every transaction the engine begins (reads and
writes alike, whoever opens them) and, among them, the service's read transactions (``Database.read``),
each put down to the GUI module that asked for it.
"""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from app_support import drag_select, press, show_article_named
from PySide6.QtCore import Qt
from seed import load_gold
from sqlalchemy import event

from annotator.db import Database
from annotator.service import Service

MOSCOW = load_gold()["quotes"][2]


UI = Path(__file__).resolve().parents[2] / "ui"


@dataclass
class Counts:
    reads: int = 0
    transactions: int = 0
    reads_by: Counter[str] = field(default_factory=Counter)
    """Read transactions by the ``ui`` module whose code asked for them (the innermost one)."""


def _asking_module() -> str:
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename)
        if path.parent == UI:
            return path.stem
    return "?"


@contextmanager
def counting(db: Database) -> Iterator[Counts]:
    """Count the read transactions of ``db`` (its ``read()`` scopes) and every transaction begun on
    its engine while the block runs."""
    counts = Counts()
    read = db.read

    @contextmanager
    def counted_read():
        counts.reads += 1
        counts.reads_by[_asking_module()] += 1
        with read() as session:
            yield session

    def on_begin(conn) -> None:
        counts.transactions += 1

    db.read = counted_read
    event.listen(db.engine, "begin", on_begin)
    try:
        yield counts
    finally:
        event.remove(db.engine, "begin", on_begin)
        del db.read


def test_one_q_press_reads_at_most_twice(window, qtbot) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    view = window.reader.view
    drag_select(qtbot, view, MOSCOW["start"], MOSCOW["end"])
    qtbot.wait(50)  # let the selection's own signals settle before counting
    with counting(window.service.db) as counts:
        press(qtbot, view, Qt.Key.Key_Q)
        qid = window.current_quote_id()
        assert qid is not None
        qtbot.waitUntil(lambda: window.inspector.current_quote_id() == qid)
        qtbot.wait(300)  # and what follows a little later (the library's counts, on a timer)
    [q] = window.service.quotes(aid)
    assert q.id == qid and window.inspector.chain_label.text().startswith("(no speaker")
    print(f"one Q press: {counts.reads} read transactions, {counts.transactions} transactions in all")
    assert counts.reads <= 2, counts
    assert counts.transactions <= 3, counts  # the write, and the reads


@pytest.fixture
def long_queue(service: Service) -> list[int]:
    """300 quotes waiting for review, spread over the first six sample articles."""
    ids: list[int] = []
    articles = [a.article for a in service.articles()][:6]
    for art in articles:
        text = service.article_text(art.id)
        step = max(len(text) // 60, 4)
        for i in range(50):
            start = i * step
            ids.append(service.create_quote(art.id, start, start + 3, status="needs review").quote.id)
    assert len(ids) == 300
    return ids


def test_a_300_quote_review_queue_opens_in_at_most_five_reads(make_window, db_url, long_queue, qtbot) -> None:
    """Review mode on 300 waiting quotes: the review view reads its filters and progress, the queue
    and the first quote's chain, warnings and history in five read transactions. Beside it the window
    shows that quote's article and the inspector; none of it grows with the queue."""
    window = make_window(db_url)
    with counting(window.service.db) as counts:
        window.review_mode_action.trigger()
        qtbot.waitUntil(lambda: window.review_view is not None and window.review_view.isVisible())
        view = window.review_view
        qtbot.waitUntil(lambda: view.current_quote_id() is not None)
        qtbot.wait(300)
    assert view.queue_model.rowCount() == 300
    assert window.current_quote_id() == view.current_quote_id() == view.queue_model.quote_id(0)
    review = counts.reads_by["review_view"] + counts.reads_by["review_models"]
    print(f"review mode on 300 quotes: {review} reads by the review view, {counts.reads} in all")
    print(f"  by module: {dict(counts.reads_by)}")
    assert review <= 5, counts
    assert counts.reads_by["inspector"] <= 1, counts
    assert counts.reads <= 12, counts  # with the article shown in the reader and the inspector
    assert counts.transactions == counts.reads, counts  # nothing written, nothing read behind the service

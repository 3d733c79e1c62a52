"""How often the window reads the database: one press of Q, and opening a long review queue.

Counted on the real window over a real SQLite file: every transaction the engine begins (reads and
writes alike, whoever opens them) and, among them, the service's read transactions (``Database.read``).
"""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from app_support import drag_select, press, show_article_named
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from seed import load_gold
from sqlalchemy import event

from annotator.db import Database
from annotator.service import Service

MOSCOW = load_gold()["quotes"][2]


@dataclass
class Counts:
    reads: int = 0
    transactions: int = 0


@contextmanager
def counting(db: Database) -> Iterator[Counts]:
    """Count the read transactions of ``db`` (its ``read()`` scopes) and every transaction begun on
    its engine while the block runs."""
    counts = Counts()
    read = db.read

    @contextmanager
    def counted_read():  # type: ignore[no-untyped-def]
        counts.reads += 1
        with read() as session:
            yield session

    def on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        counts.transactions += 1

    db.read = counted_read  # type: ignore[method-assign]
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
    """300 quotes waiting for review, in the six sample articles."""
    ids: list[int] = []
    articles = [a.article for a in service.articles()]
    for art in articles:
        text = service.article_text(art.id)
        step = max(len(text) // 60, 4)
        for i in range(50):
            start = i * step
            ids.append(service.create_quote(art.id, start, start + 3, status="needs review").quote.id)
    assert len(ids) == 300
    return ids


def test_a_300_quote_review_queue_opens_in_at_most_five_reads(make_window, db_url, long_queue, qtbot) -> None:
    window = make_window(db_url)
    with counting(window.service.db) as counts:
        window.review_mode_action.trigger()
        qtbot.waitUntil(lambda: window.review_view is not None and window.review_view.isVisible())
        QApplication.processEvents()
    view = window.review_view
    assert view.queue_model.rowCount() == 300
    assert counts.reads <= 5, counts
    assert counts.transactions <= 5, counts

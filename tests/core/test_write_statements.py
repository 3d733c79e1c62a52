"""The write path's cost in statements: what one operation sends to the database.

Counted: every statement the driver executes (``before_cursor_execute``), except transaction
control (``BEGIN``/``BEGIN IMMEDIATE``, ``COMMIT``, ``ROLLBACK``, savepoints), SQLite's ``PRAGMA``s
at connect, and PostgreSQL's ``pg_advisory_xact_lock``, the write lock that stands where SQLite's
``BEGIN IMMEDIATE`` takes it. An ``executemany`` is one statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from seed import SAMPLES
from sqlalchemy import event

from annotator.records import HopRecord
from annotator.service import Service

NOT_COUNTED = re.compile(
    r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|SELECT pg_advisory_xact_lock)\b", re.I
)


@contextmanager
def statements(svc: Service) -> Iterator[list[str]]:
    sent: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany) -> None:
        if not NOT_COUNTED.match(statement):
            sent.append(statement)

    event.listen(svc.db.engine, "before_cursor_execute", on_execute)
    try:
        yield sent
    finally:
        event.remove(svc.db.engine, "before_cursor_execute", on_execute)


def _setup(svc: Service) -> tuple[int, int, list[HopRecord]]:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    speaker = svc.create_source("organization", "Moscow").source.id
    official = svc.create_source("anonymous", "Turkish official", descriptor="a Turkish official").source.id
    cnn = svc.create_source("outlet", "CNN", aliases=["Cable News Network"]).source.id
    return art.id, speaker, [HopRecord(official, "according to", (1500, 1510)), HopRecord(cnn, "quoted by")]


def test_create_quote_with_a_two_hop_chain_sends_at_most_five_statements(svc: Service) -> None:
    art, speaker, hops = _setup(svc)
    svc.create_quote(art, 10, 40)  # the text is cached now, as when the article is on screen
    with statements(svc) as sent:
        q = svc.create_quote(art, 1571, 1713, speaker_id=speaker, hops=hops, cue=(1560, 1570)).quote
    assert len(sent) <= 5, "\n".join(sent)
    assert q.speaker_id == speaker and q.hops == tuple(hops)
    assert svc.quote(q.id) == q
    assert svc.verify_audit().ok


def test_create_quote_on_an_article_not_yet_read_also_sends_at_most_five(svc: Service) -> None:
    art, speaker, hops = _setup(svc)
    fresh = Service(svc.db, user="bo")  # nothing cached
    with statements(fresh) as sent:
        q = fresh.create_quote(art, 1571, 1713, speaker_id=speaker, hops=hops).quote
    assert len(sent) <= 5, "\n".join(sent)
    assert fresh.quote(q.id) == q and q.text == fresh.article_text(art)[1571:1713]
    assert svc.verify_audit().ok


def test_create_quote_refusals_still_come_first(svc: Service) -> None:
    import pytest

    from annotator.errors import ChainError, NotFoundError

    art, speaker, hops = _setup(svc)
    with pytest.raises(NotFoundError, match="no source with id 999"):
        svc.create_quote(art, 1571, 1713, speaker_id=999)
    with pytest.raises(ChainError, match="appears twice"):
        svc.create_quote(art, 1571, 1713, speaker_id=hops[0].source_id, hops=hops)
    with pytest.raises(NotFoundError, match="no article with id 999"):
        svc.create_quote(999, 1, 2)
    assert svc.quotes(art) == [] and svc.verify_audit().ok


def test_sources_reads_every_source_in_a_fixed_number_of_statements(svc: Service) -> None:
    _setup(svc)
    before = len(svc.sources())
    for i in range(20):
        svc.create_source("person", f"Person {i}", aliases=[f"P{i}"], external_ids=[("wikidata", f"Q{i}")])
    with statements(svc) as sent:
        listed = svc.sources()
    assert len(listed) == before + 20 and len(sent) <= 3, "\n".join(sent)
    by_name = {s.name: s for s in listed}
    assert by_name["Person 7"].aliases == ("P7",) and by_name["Person 7"].external_ids == (
        ("wikidata", "Q7"),
    )
    assert by_name["Person 7"] == svc.source(by_name["Person 7"].id)

"""One read of a quote with its context (``Service.quote_detail``), and the review queue's reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from seed import SAMPLES, annotate_gold
from sqlalchemy import event

from annotator.records import HopRecord
from annotator.review import Reviewing
from annotator.service import Service
from annotator.wording import quote_chain_text


@contextmanager
def counted(svc: Service) -> Iterator[list[str]]:
    """Every statement the service's engine runs inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(svc.db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(svc.db.engine, "before_cursor_execute", before)


def selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def begins(statements: list[str]) -> list[str]:
    return [s for s in statements if s.strip().upper().startswith("BEGIN")]


def test_quote_detail_has_the_quote_and_its_context(svc: Service) -> None:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    ids = annotate_gold(svc, art.id)
    text = svc.article_text(art.id)
    with_hops = next(i for i in ids if svc.quote(i).hops)
    svc.request_changes(with_hops, "check the second hop")
    q = svc.quote(with_hops)

    d = svc.quote_detail(q.id)
    assert d.quote == q
    assert d.article == svc.article(art.id)
    assert d.change_request is not None and d.change_request.comment == "check the second hop"
    assert d.chain_sha256 == svc.chain_sha256(q.id)
    sources = {s.id: s for s in svc.sources()}
    assert d.chain_text == quote_chain_text(q, sources, art.outlet_id)
    assert d.chain_text.endswith("El País")
    assert set(q.chain_source_ids) | {art.outlet_id} <= set(d.sources)
    assert d.outlet == sources[art.outlet_id]
    assert d.cue_text == (text[q.cue[0] : q.cue[1]] if q.cue else None)
    assert d.evidence_texts == tuple(
        text[h.evidence[0] : h.evidence[1]] if h.evidence else None for h in q.hops
    )
    assert d.text is None
    assert svc.quote_detail(q.id, with_text=True).text == text

    with counted(svc) as statements:
        svc.quote_detail(q.id)
    assert len(begins(statements)) <= 1  # one read transaction


def test_the_review_queue_reads_in_a_fixed_number_of_queries(svc: Service) -> None:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    speaker = svc.create_source("person", "Ana Speaker").source.id
    via = svc.create_source("anonymous", "Official", descriptor="an official").source.id
    text = svc.article_text(art.id)
    n = 300
    step = (len(text) - 2) // n
    for i in range(n):
        hops = [HopRecord(via, "according to")] if i % 2 else []
        qid = svc.create_quote(art.id, i * step, i * step + 1, speaker_id=speaker, hops=hops).quote.id
        svc.set_status(qid, "needs_review")
        if i % 10 == 0:
            svc.request_changes(qid, f"change {i}")
            svc.set_status(qid, "needs_review")

    reviewing = Reviewing(svc)
    with counted(svc) as statements:
        items = reviewing.queue()
    assert len(items) == n
    assert len(selects(statements)) <= 5, selects(statements)
    assert len(begins(statements)) <= 1
    assert sum(1 for i in items if i.change_request) == n // 10
    assert all(i.speaker == "Ana Speaker" and i.outlet == "El País" for i in items)

"""Suggestions through the service: accept (one or many, one transaction), reject, undo and redo of
both, overlap filtering, all audited, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from seed import SAMPLES
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from annotator.db import Database
from annotator.errors import ConflictError, ValidationError
from annotator.model import AuditEntry, SuggestionDecision
from annotator.records import SuggestionDecisionRecord
from annotator.service import AcceptedSuggestion, Service, without_overlaps
from annotator.suggest import VERSION, Mention, Suggestion
from annotator.suggest.stored import suggestion_data, suggestion_from_data

MOSCOW = "it would only accept a truce"


def _seed(svc: Service) -> int:
    return svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"].id


def _find(items: list[Suggestion], start: str) -> Suggestion:
    return next(x for x in items if x.quote.text.startswith(start))


def _entries_since(svc: Service, seq: int) -> list[AuditEntry]:
    with svc.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq)))


def test_accept_creates_the_quote_with_its_whole_chain_in_one_audited_transaction(svc: Service) -> None:
    aid = _seed(svc)
    moscow = _find(svc.suggestions(aid), MOSCOW)
    head = svc.audit_head()[0]
    res = svc.accept_suggestion(aid, moscow)

    q = res.quote
    assert (q.start, q.end, q.type, q.cue) == (1571, 1713, "indirect", (1504, 1517))
    assert q.text == moscow.quote.text and q.created_by == "ana"
    detail = svc.quote_detail(q.id)
    assert detail.chain_text == "Moscow ← a Turkish official ← CNN ← El País"
    speaker = detail.sources[q.speaker_id]
    assert (speaker.name, speaker.kind) == ("Moscow", "organization")
    official, cnn = (detail.sources[h.source_id] for h in q.hops)
    assert (official.kind, official.descriptor) == ("anonymous", "a Turkish official")
    assert (cnn.name, cnn.kind) == ("CNN", "outlet")
    assert [(h.relation, h.evidence) for h in q.hops] == [
        ("according to", (1532, 1550)),
        ("quoted by", (1561, 1564)),
    ]
    assert detail.cue_text == "made it clear"

    # What the GUI needs to refresh and to undo
    assert [(c.object_type, c.before) for c in res.changes] == [
        ("source", None), ("source", None), ("source", None), ("quote", None), ("suggestion_decision", None)
    ]  # fmt: skip
    assert {s.name for s in res.extra["sources"]} == {"Moscow", "Turkish official", "CNN"}
    decision: SuggestionDecisionRecord = res.extra["decision"]
    assert decision.accepted and decision.quote_id == q.id and decision.fingerprint == moscow.fingerprint
    assert decision.confidence == moscow.confidence and decision.suggester_version == VERSION
    assert decision.decided_by == "ana"
    assert suggestion_from_data(decision.suggestion_data) == moscow
    assert decision.accepted_chain_data == q.chain_dict()
    (acc,) = res.extra["accepted"]
    assert acc == AcceptedSuggestion(q, decision, tuple(res.extra["sources"]))

    entries = _entries_since(svc, head)
    assert len(entries) == 5 and len({e.txn for e in entries}) == 1
    want = f"accept suggestion (confidence {moscow.confidence:.2f}, suggester {VERSION})"
    assert {e.action for e in entries} == {want}
    assert [h.action for h in svc.history("quote", q.id)] == [want]
    assert svc.verify_audit().ok

    # It is no longer suggested: accepted, and overlapping its own quote.
    assert moscow.fingerprint not in {x.fingerprint for x in svc.suggestions(aid)}


def test_accepting_reuses_registry_sources_and_those_created_before(svc: Service) -> None:
    aid = _seed(svc)
    cnn = svc.create_source("outlet", "CNN", aliases=["Cable News Network"]).source
    rubio = svc.create_source("person", "Marco Antonio Rubio", aliases=["Marco Rubio"]).source
    items = svc.suggestions(aid)
    moscow = _find(items, MOSCOW)
    assert moscow.intermediaries[1].source.known_id == cnn.id
    res = svc.accept_suggestion(aid, moscow)
    assert res.quote.hops[1].source_id == cnn.id
    assert {s.name for s in res.extra["sources"]} == {"Moscow", "Turkish official"}

    rubio_quotes = [x for x in items if x.speaker and x.speaker.known_id == rubio.id]
    assert len(rubio_quotes) >= 2
    res = svc.accept_suggestions(aid, rubio_quotes)
    assert {a.quote.speaker_id for a in res.extra["accepted"]} == {rubio.id}
    assert all(not a.created_sources for a in res.extra["accepted"])

    tykhyi = [x for x in svc.suggestions(aid) if x.speaker and x.speaker.name == "Heorhii Tykhyi"]
    assert len(tykhyi) >= 2
    res = svc.accept_suggestions(aid, tykhyi)
    created = [s for a in res.extra["accepted"] for s in a.created_sources]
    assert [s.name for s in created] == ["Heorhii Tykhyi"]  # created once for all of them
    assert {a.quote.speaker_id for a in res.extra["accepted"]} == {created[0].id}
    assert svc.verify_audit().ok


def test_an_anonymous_source_of_another_article_is_not_reused(svc: Service) -> None:
    aid = _seed(svc)
    elsewhere = svc.create_source("anonymous", "Turkish official", descriptor="a Turkish official").source
    moscow = _find(svc.suggestions(aid), MOSCOW)
    assert moscow.intermediaries[0].source.known_id is None
    q = svc.accept_suggestion(aid, moscow).quote
    assert q.hops[0].source_id != elsewhere.id
    assert svc.source(q.hops[0].source_id).descriptor == "a Turkish official"


def test_reject_is_recorded_and_stays_rejected_after_reopening(db_url: str) -> None:
    db = Database.open(db_url)
    svc = Service(db, user="ana")
    aid = _seed(svc)
    before = svc.suggestions(aid)
    vance = _find(before, "Russia is asking for too much")
    res = svc.reject_suggestion(aid, vance)
    d: SuggestionDecisionRecord = res.extra["decision"]
    assert (d.decision, d.quote_id, d.fingerprint) == ("rejected", None, vance.fingerprint)
    assert res.changes[0].object_type == "suggestion_decision" and res.changes[0].before is None
    assert svc.history("suggestion_decision", d.id)[0].action == (
        f"reject suggestion (confidence {vance.confidence:.2f}, suggester {VERSION})"
    )
    with pytest.raises(ConflictError, match="already rejected by ana"):
        svc.accept_suggestion(aid, vance)
    db.close()

    db = Database.open(db_url)
    svc = Service(db, user="rui")
    after = svc.suggestions(aid)
    assert vance.fingerprint not in {x.fingerprint for x in after}
    assert len(after) == len(before) - 1
    assert svc.suggestion_decisions(aid) == [d]
    assert svc.verify_audit().ok
    db.close()


def test_undo_and_redo_an_accept(svc: Service) -> None:
    aid = _seed(svc)
    n = len(svc.suggestions(aid))
    moscow = _find(svc.suggestions(aid), MOSCOW)
    res = svc.accept_suggestion(aid, moscow)
    q, created = res.quote, res.extra["sources"]
    assert len(svc.suggestions(aid)) == n - 1

    undo = svc.undo_accept_suggestions(res.extra["accepted"])
    assert undo.action == "undo accept suggestion" and undo.extra["kept_sources"] == []
    assert svc.quotes(aid) == [] and svc.suggestion_decisions(aid) == []
    assert {s.id for s in svc.sources()}.isdisjoint(s.id for s in created)
    assert moscow in svc.suggestions(aid) and len(svc.suggestions(aid)) == n
    assert svc.verify_audit().ok

    redo = svc.redo_accept_suggestions(res.extra["accepted"])
    assert svc.quote(q.id) == q  # same id, same everything
    assert svc.suggestion_decisions(aid) == [res.extra["decision"]]
    assert {s.id: s for s in svc.sources()}.items() >= {s.id: s for s in created}.items()
    assert redo.extra["accepted"] == res.extra["accepted"]
    assert svc.verify_audit().ok
    # and undo again, after the redo
    svc.undo_accept_suggestions(res.extra["accepted"])
    assert svc.quotes(aid) == []


def test_undo_of_an_accept_refuses_to_overwrite_a_colleagues_change(svc: Service) -> None:
    aid = _seed(svc)
    res = svc.accept_suggestion(aid, _find(svc.suggestions(aid), MOSCOW))
    q = res.quote
    rui = Service(svc.db, user="rui")
    rui.set_type(q.id, "partial")
    with pytest.raises(ConflictError, match=f"quote {q.id} was changed by someone else"):
        svc.undo_accept_suggestions(res.extra["accepted"])
    assert svc.quote(q.id).type == "partial" and len(svc.suggestion_decisions(aid)) == 1
    rui.set_type(q.id, "indirect")  # rui puts it back: the chain is again as accepted ...
    assert svc.quote(q.id).chain_dict() == q.chain_dict()
    with pytest.raises(ConflictError):  # ... but rui edited it last: still not ours to delete
        svc.undo_accept_suggestions(res.extra["accepted"])

    rui.delete_quote(q.id)
    with pytest.raises(ConflictError, match="deleted by someone else"):
        svc.undo_accept_suggestions(res.extra["accepted"])
    assert svc.verify_audit().ok


def test_undo_of_an_accept_keeps_a_created_source_someone_uses_since(svc: Service) -> None:
    aid = _seed(svc)
    res = svc.accept_suggestion(aid, _find(svc.suggestions(aid), MOSCOW))
    moscow = next(s for s in res.extra["sources"] if s.name == "Moscow")
    other = Service(svc.db, user="rui").create_quote(aid, 4119, 4175, speaker_id=moscow.id).quote
    undo = svc.undo_accept_suggestions(res.extra["accepted"])
    assert [s.id for s in undo.extra["kept_sources"]] == [moscow.id]
    assert svc.source(moscow.id) == moscow and svc.quotes(aid) == [other]
    assert {c.object_type for c in undo.changes} == {"quote", "suggestion_decision", "source"}
    assert moscow.id not in undo.ids("source")
    assert svc.verify_audit().ok


def test_undo_and_redo_a_reject(svc: Service) -> None:
    aid = _seed(svc)
    x = svc.suggestions(aid)[0]
    d = svc.reject_suggestion(aid, x).extra["decision"]
    assert x not in svc.suggestions(aid)
    undo = svc.undo_reject_suggestion(d)
    assert undo.action == "undo reject suggestion" and undo.changes[0].after is None
    assert x in svc.suggestions(aid) and svc.suggestion_decisions(aid) == []
    with pytest.raises(ConflictError, match="deleted by someone else"):
        svc.undo_reject_suggestion(d)
    svc.redo_reject_suggestion(d)
    assert svc.suggestion_decisions(aid) == [d] and x not in svc.suggestions(aid)
    with pytest.raises(ConflictError, match="re-created"):
        svc.redo_reject_suggestion(d)
    # a colleague decided on the same suggestion in between: redo refuses
    svc.undo_reject_suggestion(d)
    Service(svc.db, user="rui").accept_suggestion(aid, x)
    with pytest.raises(ConflictError, match="accepted again by rui"):
        svc.redo_reject_suggestion(d)
    assert svc.verify_audit().ok


def test_accept_all_is_one_transaction_and_one_undo(svc: Service) -> None:
    aid = _seed(svc)
    items = svc.suggestions(aid, min_confidence=0.75)
    assert items and all(x.confidence >= 0.75 for x in items)
    assert len(items) < len(svc.suggestions(aid))
    head = svc.audit_head()[0]
    res = svc.accept_suggestions(aid, items)
    assert res.action == "accept suggestions"
    assert [a.quote.start for a in res.extra["accepted"]] == [x.quote.start for x in items]
    assert len({e.txn for e in _entries_since(svc, head)}) == 1
    assert len(svc.quotes(aid)) == len(items)
    assert all(x.confidence < 0.75 for x in svc.suggestions(aid))
    assert svc.verify_audit().ok

    svc.undo_accept_suggestions(res.extra["accepted"])
    assert svc.quotes(aid) == [] and svc.suggestion_decisions(aid) == []
    assert svc.verify_audit().ok


def test_accept_all_is_all_or_nothing(svc: Service) -> None:
    aid = _seed(svc)
    items = svc.suggestions(aid)
    svc.reject_suggestion(aid, items[-1])
    head = svc.audit_head()
    with pytest.raises(ConflictError, match="already rejected"):
        svc.accept_suggestions(aid, items)
    assert svc.quotes(aid) == [] and svc.audit_head() == head
    assert len(svc.sources()) == 1  # only the article's outlet


def test_suggestions_overlapping_a_quote_are_left_out_and_refused(svc: Service) -> None:
    aid = _seed(svc)
    moscow = _find(svc.suggestions(aid), MOSCOW)
    # a quote that only touches the suggestion's span does not hide it; one that overlaps does
    svc.create_quote(aid, moscow.quote.end, moscow.quote.end + 3)
    assert moscow in svc.suggestions(aid)
    q = svc.create_quote(aid, moscow.quote.start + 10, moscow.quote.start + 20).quote
    assert moscow not in svc.suggestions(aid)
    with pytest.raises(ConflictError, match=f"overlaps quote {q.id}"):
        svc.accept_suggestion(aid, moscow)
    svc.delete_quote(q.id)
    assert moscow in svc.suggestions(aid)


def test_suggestions_overlapping_each_other_in_one_accept_all(svc: Service) -> None:
    aid = _seed(svc)
    items = svc.suggestions(aid)
    a, b = items[0], items[1]
    inner = dataclasses.replace(
        a, quote=Mention(a.quote.start + 1, a.quote.end - 1, a.quote.text[1:-1]), confidence=0.99
    )
    assert without_overlaps([a, inner, b, a]) == [a, b]
    res = svc.accept_suggestions(aid, [a, inner, b])
    assert [x.quote.start for x in res.extra["accepted"]] == [a.quote.start, b.quote.start]
    assert res.extra["skipped"] == [inner]


def test_a_suggestion_for_another_text_is_refused(svc: Service) -> None:
    aid = _seed(svc)
    x = svc.suggestions(aid)[0]
    moved = dataclasses.replace(x, quote=Mention(x.quote.start + 1, x.quote.end + 1, x.quote.text))
    with pytest.raises(ValidationError, match="made for another text"):
        svc.accept_suggestion(aid, moved)
    with pytest.raises(ValidationError, match="made for another text"):
        svc.reject_suggestion(aid, moved)
    assert svc.suggestion_decisions() == []


def test_the_stored_suggestion_round_trips() -> None:
    from annotator.suggest import suggest

    text = (SAMPLES / "istanbul-talks.txt").read_text(encoding="utf-8")
    for x in suggest(text, "en"):
        assert suggestion_from_data(suggestion_data(x)) == x


def test_the_decision_table_refuses_what_makes_no_sense(svc: Service) -> None:
    aid = _seed(svc)
    x = svc.suggestions(aid)[0]
    d = svc.reject_suggestion(aid, x).extra["decision"]
    bad = [
        dict(fingerprint="f1", decision="maybe"),
        dict(fingerprint="f2", decision="accepted"),  # no quote
        dict(fingerprint="f3", quote_id=5),  # a rejection with a quote
        dict(fingerprint="f4", confidence=1.5),
        dict(fingerprint=x.fingerprint),  # twice for the same article
    ]
    for change in bad:
        values = {**d.to_dict(), "id": None, **change}
        with pytest.raises(IntegrityError), svc.db.write() as s:
            s.add(SuggestionDecision(**values))
            s.flush()
    assert svc.suggestion_decisions() == [d]

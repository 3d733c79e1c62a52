"""The audit log: append-only in the database, hash-chained, and checked against the live rows."""

from __future__ import annotations

import pytest
from seed import SAMPLES, annotate_gold
from sqlalchemy.exc import DBAPIError

from annotator.service import Service


@pytest.fixture
def annotated(svc: Service) -> Service:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    return svc


def _raw(svc: Service, sql: str) -> None:
    with svc.db.engine.begin() as conn:
        conn.exec_driver_sql(sql)


def _drop_guards(svc: Service) -> None:
    if svc.db.dialect == "postgresql":
        _raw(svc, "ALTER TABLE audit_entry DISABLE TRIGGER USER")
    else:
        _raw(svc, "DROP TRIGGER audit_entry_no_update")
        _raw(svc, "DROP TRIGGER audit_entry_no_delete")


def test_update_and_delete_on_the_log_are_refused(annotated: Service) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        _raw(annotated, "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 3")
    with pytest.raises(DBAPIError, match="append-only"):
        _raw(annotated, "DELETE FROM audit_entry WHERE seq = 3")
    assert annotated.verify_audit().ok


def test_article_text_is_frozen(annotated: Service) -> None:
    with pytest.raises(DBAPIError, match="frozen"):
        _raw(annotated, "UPDATE article SET text = 'x', text_length = 1")


def test_an_edited_entry_is_named(annotated: Service) -> None:
    _drop_guards(annotated)
    _raw(annotated, "UPDATE audit_entry SET actor = 'mallory' WHERE seq = 7")
    report = annotated.verify_audit()
    assert not report.ok
    assert report.problem.seq == 7
    assert "audit entry #7" in str(report.problem) and "altered" in str(report.problem)


def test_a_removed_entry_is_named(annotated: Service) -> None:
    _drop_guards(annotated)
    _raw(annotated, "DELETE FROM audit_entry WHERE seq = 5")
    report = annotated.verify_audit()
    assert not report.ok and "#5 is missing" in str(report.problem)


def test_a_rehashed_forgery_is_still_caught(annotated: Service) -> None:
    """Rewriting an entry and its own hash breaks the link to the next entry."""
    from annotator import audit
    from annotator.model import AuditEntry

    _drop_guards(annotated)
    with annotated.db.read() as s:
        e = s.get(AuditEntry, 4)
        forged = audit.entry_hash(seq=4, txn=e.txn, at=e.at, actor="mallory", action=e.action,
                                  object_type=e.object_type, object_id=e.object_id, before=e.before,
                                  after=e.after, prev_sha256=e.prev_sha256)  # fmt: skip
    _raw(annotated, f"UPDATE audit_entry SET actor = 'mallory', sha256 = '{forged}' WHERE seq = 4")
    report = annotated.verify_audit()
    assert not report.ok and report.problem.seq == 5 and "does not follow entry #4" in str(report.problem)


def test_a_raw_edit_of_a_quote_is_detected(annotated: Service) -> None:
    q = annotated.quotes()[2]
    _raw(annotated, f"UPDATE quote SET note = 'slipped in' WHERE id = {q.id}")
    report = annotated.verify_audit()
    assert not report.ok
    assert f"quote {q.id} differs from its last audit entry" in str(report.problem)
    assert "note: audited None, found 'slipped in'" in str(report.problem)


def test_a_raw_edit_of_a_hop_is_detected(annotated: Service) -> None:
    q = next(q for q in annotated.quotes() if q.hops)
    _raw(annotated, f"UPDATE hop SET relation = 'told' WHERE quote_id = {q.id} AND position = 0")
    report = annotated.verify_audit()
    assert not report.ok and f"quote {q.id} differs" in str(report.problem) and "hops" in str(report.problem)


def test_a_row_added_behind_the_services_back_is_detected(annotated: Service) -> None:
    _raw(
        annotated, "INSERT INTO source (uid, kind, name, name_key) VALUES ('x-1', 'person', 'Ghost', 'ghost')"
    )
    report = annotated.verify_audit()
    assert not report.ok and "never recorded in the audit log" in str(report.problem)


def test_history_lists_every_edit_with_before_and_after(svc: Service) -> None:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    a = svc.create_source("person", "A").source
    q = svc.create_quote(art.id, 1571, 1713).quote
    svc.set_speaker(q.id, a.id)
    svc.set_status(q.id, "needs_review")
    hist = svc.history("quote", q.id)
    assert [h.action for h in hist] == ["create quote", "set speaker", "set status"]
    assert hist[1].before["speaker_id"] is None and hist[1].after["speaker_id"] == a.id
    assert all(h.actor == "ana" for h in hist)
    assert [h.seq for h in hist] == sorted(h.seq for h in hist)

"""Batch audit append: the same entries, byte for byte, as the one-at-a-time path."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import given
from hypothesis import strategies as st
from seed import SAMPLES, annotate_gold
from sqlalchemy import select

from annotator import audit
from annotator.db import Database
from annotator.model import AuditEntry, Source
from annotator.records import canonical_json, source_record
from annotator.service import Service

COLUMNS = ("seq", "txn", "at", "actor", "action", "object_type", "object_id", "before", "after",
           "prev_sha256", "sha256")  # fmt: skip

text = st.text(alphabet=st.characters(exclude_categories=("Cs",)))


@given(seq=st.integers(0, 2**53), txn=text, at=text, actor=text, action=text, object_type=text,
       object_id=st.integers(-(2**63), 2**63), before=st.none() | text, after=st.none() | text,
       prev=text)  # fmt: skip
def test_the_fast_payload_is_the_canonical_json(seq, txn, at, actor, action, object_type, object_id, before,
                                                after, prev) -> None:  # fmt: skip
    fields = {"seq": seq, "txn": txn, "at": at, "actor": actor, "action": action, "object_type": object_type,
              "object_id": object_id, "before": before, "after": after, "prev_sha256": prev}  # fmt: skip
    assert audit._payload(seq, txn, at, actor, action, object_type, object_id, before, after, prev) == (
        canonical_json(fields)
    )


def _rows(db: Database) -> list[tuple]:
    with db.read() as s:
        t = AuditEntry.__table__.c
        return [tuple(r) for r in s.execute(select(*(t[c] for c in COLUMNS)).order_by(t.seq))]


def test_a_batch_writes_the_entries_the_service_wrote(svc: Service, tmp_path) -> None:
    """Replay a real service log through append_many (in chunks smaller than a transaction):
    every column of every entry is identical."""
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    q = svc.quotes(art.id)[0]
    svc.set_status(q.id, "needs_review")
    Service(svc.db, user='Bö "quoted" \\ ünïcode 😀').approve(q.id, comment="ok — “fine” \\")
    svc.delete_quote(svc.quotes(art.id)[1].id)
    svc.set_setting("four_eyes", False)
    original = _rows(svc.db)
    assert len(original) > 40

    with Database.open(f"sqlite:///{tmp_path / 'replay.sqlite3'}") as replay:
        for txn, group in itertools.groupby(original, key=lambda r: r[1]):
            group = list(group)
            entries = [(r[4], r[5], r[6], r[7], r[8]) for r in group]
            with replay.write() as s:
                head = audit.append_many(s, entries, txn=txn, actor=group[0][3], at=group[0][2], batch=3)
            assert head == (group[-1][0], group[-1][10])
        assert _rows(replay) == original


def test_a_batch_of_records_is_the_one_by_one_path(db: Database, tmp_path) -> None:
    """Records (as a bulk importer has them) give the entries ``append`` writes one at a time."""
    svc = Service(db, user="ana")
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    changes = [(None, r) for r in svc.sources()] + [(None, q) for q in svc.quotes(art.id)]
    changes += [(q, dataclasses.replace(q, note="n")) for q in svc.quotes(art.id)[:3]]
    entries = [("bulk", (a or b).object_type, (a or b).id, b, a) for b, a in changes]
    one = Database.open(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    many = Database.open(f"sqlite:///{tmp_path / 'many.sqlite3'}")
    with one.write() as s:
        for action, otype, oid, before, after in entries:
            audit.append(s, txn="t", actor="ana", action=action, object_type=otype, object_id=oid,
                         before=before, after=after, at="2026-01-01T00:00:00.000000Z")  # fmt: skip
    with many.write() as s:
        audit.append_many(s, entries, txn="t", actor="ana", at="2026-01-01T00:00:00.000000Z", batch=7)
    assert _rows(one) == _rows(many) and len(_rows(one)) == len(entries)
    assert _rows(one)[0][8] == changes[0][1].to_json()
    one.close()
    many.close()


def test_record_many_in_an_operation(svc: Service) -> None:
    with svc.operation("bulk add") as op:
        created = []
        for i in range(7):
            src = Source(uid=f"uid-{i}", kind="person", name=f"Person {i}", name_key=f"person {i}")
            op.session.add(src)
            op.session.flush()
            created.append(source_record(src, [], []))
        op.record_many([(None, r) for r in created] + [(created[0], created[0])])  # the last is no change
    result = op.result
    assert [c.object_id for c in result.changes] == [r.id for r in created]
    assert result.audit_seq == svc.audit_head()[0]
    assert [h.action for h in svc.history("source", created[3].id)] == ["bulk add"]
    assert svc.verify_audit().ok

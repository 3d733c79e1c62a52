"""The append-only, hash-chained audit log.

Each user action is one transaction that writes one entry per object it changed. An entry's
SHA-256 covers its own fields and the previous entry's hash, so editing or removing any entry
breaks every hash after it; database triggers refuse UPDATE and DELETE on the table anyway.

:func:`verify` checks two things: that the chain is intact, and that every audited object in the
database still equals the ``after`` snapshot of its last entry, so a change made behind the
service's back (raw SQL on a quote, say) is found too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.model import Article, AuditEntry
from annotator.records import Record, all_snapshots, canonical_json, with_defaults

GENESIS = "0" * 64


def utc_now() -> str:
    """The current time as ISO 8601 UTC with microseconds, e.g. ``2026-11-25T10:00:00.000000Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    seq: int,
    txn: str,
    at: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: int,
    before: str | None,
    after: str | None,
    prev_sha256: str,
) -> str:
    payload = canonical_json(
        {
            "seq": seq,
            "txn": txn,
            "at": at,
            "actor": actor,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "before": before,
            "after": after,
            "prev_sha256": prev_sha256,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def head(session: Session) -> tuple[int, str]:
    """``(seq, sha256)`` of the newest entry, ``(0, GENESIS)`` for an empty log."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.sha256).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(
    session: Session,
    *,
    txn: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: int,
    before: Record | None,
    after: Record | None,
    at: str | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's write transaction (which holds the write lock)."""
    cached = session.info.get("audit_head")
    seq, prev = cached if cached else head(session)
    entry = AuditEntry(
        seq=seq + 1,
        txn=txn,
        at=at or utc_now(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before.to_json() if before is not None else None,
        after=after.to_json() if after is not None else None,
        prev_sha256=prev,
    )
    entry.sha256 = entry_hash(
        seq=entry.seq, txn=txn, at=entry.at, actor=actor, action=action, object_type=object_type,
        object_id=object_id, before=entry.before, after=entry.after, prev_sha256=prev,
    )  # fmt: skip
    session.add(entry)
    session.info["audit_head"] = (entry.seq, entry.sha256)
    return entry


def append_many(
    session: Session,
    *,
    txn: str,
    actor: str,
    at: str,
    entries: list[tuple[str, Record | None, Record | None]],
) -> int | None:
    """Append many entries ``(action, before, after)`` at once (one executemany, no ORM objects),
    chained exactly as :func:`append` would chain them; returns the last ``seq`` (None for none)."""
    if not entries:
        return None
    session.flush()  # entries appended one by one before these go first
    cached = session.info.get("audit_head")
    seq, prev = cached if cached else head(session)
    rows = []
    for action, before, after in entries:
        ref = after if after is not None else before
        assert ref is not None
        seq += 1
        b = before.to_json() if before is not None else None
        a = after.to_json() if after is not None else None
        sha = entry_hash(
            seq=seq, txn=txn, at=at, actor=actor, action=action, object_type=ref.object_type,
            object_id=ref.id, before=b, after=a, prev_sha256=prev,
        )  # fmt: skip
        rows.append({"seq": seq, "txn": txn, "at": at, "actor": actor, "action": action,
                     "object_type": ref.object_type, "object_id": ref.id, "before": b, "after": a,
                     "prev_sha256": prev, "sha256": sha})  # fmt: skip
        prev = sha
    table = AuditEntry.__table__
    assert isinstance(table, Table)
    session.execute(insert(table), rows)
    session.info["audit_head"] = (seq, prev)
    return seq


@dataclass(frozen=True)
class AuditProblem:
    """The first thing found wrong, with the entry (or object) it concerns."""

    seq: int | None
    object_type: str | None
    object_id: int | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class AuditReport:
    entries: int
    head_sha256: str
    problem: AuditProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries(session: Session, batch: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def _diff(expected: str, actual: str) -> str:
    a, b = json.loads(expected), json.loads(actual)
    fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    if not fields:
        return ""
    k = fields[0]
    return f"{k}: audited {a.get(k)!r}, found {b.get(k)!r}"


def verify(session: Session) -> AuditReport:
    """Walk the whole chain, then compare the database with the last audited state of each object."""
    prev = GENESIS
    expected_seq = 1
    latest: dict[tuple[str, int], tuple[int, str | None]] = {}
    count = 0
    for e in _entries(session):
        count += 1
        if e.seq != expected_seq:
            return AuditReport(
                count,
                prev,
                AuditProblem(
                    e.seq,
                    e.object_type,
                    e.object_id,
                    f"audit entry #{expected_seq} is missing "
                    f"(the log jumps from #{expected_seq - 1} to #{e.seq})",
                ),
            )
        if e.prev_sha256 != prev:
            return AuditReport(
                count,
                prev,
                AuditProblem(
                    e.seq,
                    e.object_type,
                    e.object_id,
                    f"audit entry #{e.seq} does not follow entry #{e.seq - 1}: "
                    "its previous-hash field was changed",
                ),
            )
        recomputed = entry_hash(
            seq=e.seq, txn=e.txn, at=e.at, actor=e.actor, action=e.action, object_type=e.object_type,
            object_id=e.object_id, before=e.before, after=e.after, prev_sha256=e.prev_sha256,
        )  # fmt: skip
        if recomputed != e.sha256:
            return AuditReport(count, prev, AuditProblem(
                e.seq, e.object_type, e.object_id,
                f"audit entry #{e.seq} ({e.action} {e.object_type} {e.object_id} by {e.actor} at {e.at}) "
                "was altered: its hash does not match its content"))  # fmt: skip
        latest[(e.object_type, e.object_id)] = (e.seq, e.after)
        prev = e.sha256
        expected_seq += 1

    current = all_snapshots(session)
    for key in sorted(set(latest) | set(current)):
        otype, oid = key
        seq, after = latest.get(key, (None, None))
        now = current.get(key)
        if after is None and now is None:
            continue
        if seq is None:
            msg = f"{otype} {oid} is in the database but was never recorded in the audit log"
        elif now is None:
            msg = f"{otype} {oid} was removed outside the application (last audited in entry #{seq})"
        elif after is None:
            msg = f"{otype} {oid} was deleted in audit entry #{seq} but is in the database"
        elif after != now and canonical_json(with_defaults(otype, json.loads(after))) != now:
            msg = f"{otype} {oid} differs from its last audit entry #{seq}: {_diff(after, now)}"
        else:
            continue
        return AuditReport(count, prev, AuditProblem(seq, otype, oid, msg))

    # The article text is not in the snapshot (it can be megabytes); its hash is.
    from annotator.canonical import sha256_text

    for aid, text, digest in session.execute(select(Article.id, Article.text, Article.text_sha256)):
        if sha256_text(text) != digest:
            return AuditReport(
                count,
                prev,
                AuditProblem(
                    latest.get(("article", aid), (None,))[0],
                    "article",
                    aid,
                    f"article {aid}'s text no longer matches its SHA-256: the frozen text was changed",
                ),
            )
    return AuditReport(count, prev, None)

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
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_string  # what json.dumps(ensure_ascii=False) uses
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from annotator.canonical import name_key
from annotator.errors import ValidationError
from annotator.model import Article, AuditEntry
from annotator.records import SNAPSHOT_STREAMS, STREAM_BATCH, Record, canonical_json, with_defaults

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
    """The SHA-256 of an entry: of the canonical JSON of its fields and the previous entry's hash."""
    return hashlib.sha256(
        _payload(seq, txn, at, actor, action, object_type, object_id, before, after, prev_sha256).encode(
            "utf-8"
        )
    ).hexdigest()


def _payload(
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
    """``canonical_json`` of the entry's fields, written out key by key (sorted) with the JSON
    module's own string encoder: the same text, 3x faster (``test_audit_batch`` checks the two)."""
    s = _json_string
    return (
        f'{{"action":{s(action)},"actor":{s(actor)},"after":{"null" if after is None else s(after)},'
        f'"at":{s(at)},"before":{"null" if before is None else s(before)},"object_id":{int(object_id)!r},'
        f'"object_type":{s(object_type)},"prev_sha256":{s(prev_sha256)},"seq":{int(seq)!r},"txn":{s(txn)}}}'
    )


def head(session: Session) -> tuple[int, str]:
    """``(seq, sha256)`` of the newest entry, ``(0, GENESIS)`` for an empty log."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.sha256).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def head_columns() -> tuple[Any, Any]:
    """The head's ``seq`` and ``sha256`` as scalar subqueries, for an operation to read the head in
    the same statement as its first read (then :func:`prime_head`), inside its write transaction."""
    newest = select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1).scalar_subquery()
    return newest, select(AuditEntry.sha256).where(AuditEntry.seq == newest).scalar_subquery()


def prime_head(session: Session, seq: int | None, sha256: str | None) -> None:
    """Tell :func:`append` the head read by :func:`head_columns` (None, None: the empty log)."""
    session.info["audit_head"] = (seq, sha256) if seq is not None and sha256 is not None else (0, GENESIS)


_AUDIT_TABLE: Table = AuditEntry.__table__  # type: ignore[assignment]

Snapshot = Record | str | None
"""An entry's ``before``/``after``: a record, its canonical JSON already made, or None."""

NewEntry = tuple[str, str, int, Snapshot, Snapshot]
"""``(action, object_type, object_id, before, after)``: what :func:`append_many` appends."""


def build_entries(
    prev: tuple[int, str], entries: Iterable[NewEntry], *, txn: str, actor: str, at: str
) -> Iterator[dict[str, Any]]:
    """The rows of new entries following ``prev`` (``(seq, sha256)`` of the head), hashed and
    chained, as plain dicts ready for an ``executemany`` (no ORM objects)."""
    seq, sha = prev
    for action, object_type, object_id, before, after in entries:
        b = before.to_json() if isinstance(before, Record) else before
        a = after.to_json() if isinstance(after, Record) else after
        seq += 1
        new = hashlib.sha256(
            _payload(seq, txn, at, actor, action, object_type, object_id, b, a, sha).encode("utf-8")
        ).hexdigest()
        yield {"seq": seq, "txn": txn, "at": at, "actor": actor, "action": action,
               "object_type": object_type, "object_id": object_id, "before": b, "after": a,
               "prev_sha256": sha, "sha256": new}  # fmt: skip
        sha = new


def append_many(
    session: Session,
    entries: Iterable[NewEntry],
    *,
    txn: str,
    actor: str,
    at: str | None = None,
    batch: int = 5000,
) -> tuple[int, str]:
    """Append many entries inside the caller's write transaction, ``batch`` rows per
    ``executemany``; the entries are byte for byte those :func:`append` would write one at a time.
    Returns the new head ``(seq, sha256)``. For bulk writers (a quote-set import)."""
    cached = session.info.get("audit_head")
    current: tuple[int, str] = cached if cached else head(session)
    rows = build_entries(current, entries, txn=txn, actor=actor, at=at or utc_now())
    stmt = insert(_AUDIT_TABLE)
    conn = session.connection()
    while chunk := list(itertools.islice(rows, batch)):
        conn.execute(stmt, chunk)
        current = (chunk[-1]["seq"], chunk[-1]["sha256"])
    session.info["audit_head"] = current
    return current


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
) -> int:
    """Append one entry inside the caller's write transaction (which holds the write lock);
    returns its ``seq``."""
    return append_many(
        session, [(action, object_type, object_id, before, after)], txn=txn, actor=actor, at=at
    )[0]


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


CHAIN_BATCH = 5000
"""Entries read at a time by the chain walk."""


def _diff(expected: str, actual: str) -> str:
    a, b = json.loads(expected), json.loads(actual)
    fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    if not fields:
        return ""
    k = fields[0]
    return f"{k}: audited {a.get(k)!r}, found {b.get(k)!r}"


def verify(session: Session, *, expect: Iterable[ExpectedHead] = ()) -> AuditReport:
    """Check the log and the database against it; the first problem found is reported.

    1. The chain: entries numbered without a gap, each naming the previous entry's hash, each
       hash matching its content; and every ``expect``-ed head (known from outside: ``audit
       head`` output, a witness file) still in the log with the same hash.
    2. Every audited row equals the ``after`` snapshot of the last entry about it.
    3. The columns no snapshot carries (derived by the schema) agree with the audited ones.
    4. Every article's text still has its audited SHA-256.

    Streaming: the chain in batches, then per object type the log's last entry per object
    merge-joined with the rows in id order. Memory does not grow with the log or the database.
    """
    conn = session.connection()
    count, prev, problem = _walk_chain(conn, expect)
    if problem is None:
        problem = _compare_rows(conn)
    if problem is None:
        problem = _row_consistency(session)
    if problem is None:
        problem = _check_texts(conn)
    return AuditReport(count, prev, problem)


def _walk_chain(conn: Connection, expect: Iterable[ExpectedHead]) -> tuple[int, str, AuditProblem | None]:
    pending: dict[int, list[ExpectedHead]] = {}
    for x in expect:
        pending.setdefault(x.seq, []).append(x)
    for x in pending.pop(0, ()):
        if x.sha256 != GENESIS:
            return 0, GENESIS, _head_mismatch(x, GENESIS)
    t = _AUDIT_TABLE.c
    stmt = (
        select(t.seq, t.txn, t.at, t.actor, t.action, t.object_type, t.object_id, t.before, t.after,
               t.prev_sha256, t.sha256)
        .where(t.seq > bindparam("last"))
        .order_by(t.seq)
        .limit(CHAIN_BATCH)
    )  # fmt: skip
    prev, count, sha256 = GENESIS, 0, hashlib.sha256
    while rows := conn.execute(stmt, {"last": count}).all():
        for seq, txn, at, actor, action, otype, oid, before, after, prev_field, sha in rows:
            count += 1
            if seq != count:
                msg = f"audit entry #{count} is missing (the log jumps from #{count - 1} to #{seq})"
                return count, prev, AuditProblem(seq, otype, oid, msg)
            if prev_field != prev:
                msg = (
                    f"audit entry #{seq} does not follow entry #{seq - 1}: "
                    "its previous-hash field was changed"
                )
                return count, prev, AuditProblem(seq, otype, oid, msg)
            payload = _payload(seq, txn, at, actor, action, otype, oid, before, after, prev_field)
            if sha256(payload.encode("utf-8")).hexdigest() != sha:
                return count, prev, AuditProblem(seq, otype, oid, (
                    f"audit entry #{seq} ({action} {otype} {oid} by {actor} at {at}) "
                    "was altered: its hash does not match its content"))  # fmt: skip
            if seq in pending:
                for x in pending.pop(seq):
                    if x.sha256 != sha:
                        return count, prev, _head_mismatch(x, sha)
            prev = sha
    if pending:
        return count, prev, _log_too_short(min(pending.items())[1][0], count)
    return count, prev, None


def _object_types(conn: Connection) -> list[str]:
    """Every object type the log or the database has, sorted (the log's by a loose index scan)."""
    t = _AUDIT_TABLE.c
    stmt = select(func.min(t.object_type)).where(t.object_type > bindparam("after"))
    types, last = set(SNAPSHOT_STREAMS), ""
    while (found := conn.execute(stmt, {"after": last}).scalar()) is not None:
        types.add(found)
        last = found
    return sorted(types)


def _last_entries(conn: Connection, object_type: str) -> Iterator[tuple[int, int, str | None]]:
    """``(object_id, seq, after)`` of the last entry about each object of a type, by object id."""
    a, b = _AUDIT_TABLE.alias("a"), _AUDIT_TABLE.alias("b")
    later = (
        select(b.c.seq)
        .where(b.c.object_type == object_type, b.c.object_id == a.c.object_id, b.c.seq > a.c.seq)
        .exists()
    )
    stmt = (
        select(a.c.object_id, a.c.seq, a.c.after)
        .where(a.c.object_type == object_type, ~later)
        .order_by(a.c.object_id)
    )
    return iter(conn.execution_options(yield_per=STREAM_BATCH).execute(stmt))


def _compare_rows(conn: Connection) -> AuditProblem | None:
    """Merge, per object type, the last entries with the rows (both by id); the first mismatch."""
    for otype in _object_types(conn):
        audited = _last_entries(conn, otype)
        stream = SNAPSHOT_STREAMS.get(otype)
        live = stream(conn) if stream is not None else iter(())
        entry, row = next(audited, None), next(live, None)
        while entry is not None or row is not None:
            if row is None or (entry is not None and entry[0] < row[0]):
                assert entry is not None
                oid, seq, after = entry
                if after is not None:
                    return AuditProblem(seq, otype, oid, f"{otype} {oid} was removed outside the application "
                                                         f"(last audited in entry #{seq})")  # fmt: skip
                entry = next(audited, None)
            elif entry is None or row[0] < entry[0]:
                msg = f"{otype} {row[0]} is in the database but was never recorded in the audit log"
                return AuditProblem(None, otype, row[0], msg)
            else:
                oid, seq, after = entry
                now = row[1]
                if after is None:
                    msg = f"{otype} {oid} was deleted in audit entry #{seq} but is in the database"
                    return AuditProblem(seq, otype, oid, msg)
                if after != now and (after := _upgraded(otype, after)) != now:
                    msg = f"{otype} {oid} differs from its last audit entry #{seq}: {_diff(after, now)}"
                    return AuditProblem(seq, otype, oid, msg)
                entry, row = next(audited, None), next(live, None)
    return None


def _check_texts(conn: Connection) -> AuditProblem | None:
    """The article text is not in the snapshot (it can be megabytes); its hash is."""
    from annotator.canonical import sha256_text

    t = Article.__table__.c
    rows = conn.execution_options(yield_per=8).execute(select(t.id, t.text, t.text_sha256).order_by(t.id))
    for aid, text, digest in rows:
        if sha256_text(text) != digest:
            e = _AUDIT_TABLE.c
            seq = conn.execute(
                select(func.max(e.seq)).where(e.object_type == "article", e.object_id == aid)
            ).scalar()
            msg = f"article {aid}'s text no longer matches its SHA-256: the frozen text was changed"
            return AuditProblem(seq, "article", aid, msg)
    return None


# -- The external anchor: heads known from outside the database ---------------------------------


@dataclass(frozen=True)
class ExpectedHead:
    """An entry the log must still hold: ``seq`` with hash ``sha256``. ``origin`` says where the
    head was read ("--expect-head", "witness.txt line 3"), for the message when it is not."""

    seq: int
    sha256: str
    origin: str


_HEAD_TEXT = re.compile(r"(\d+):([0-9a-f]{64})")


def format_head(seq: int, sha256: str) -> str:
    """A head as ``SEQ:SHA256`` (what ``audit head`` prints and ``--expect-head`` takes)."""
    return f"{seq}:{sha256}"


def parse_head(text: str, origin: str = "expected head") -> ExpectedHead:
    """Read a ``SEQ:SHA256`` head; a clear error naming ``origin`` when it is not one."""
    m = _HEAD_TEXT.fullmatch(text.strip().lower())
    if m is None:
        raise ValidationError(
            f"{origin}: {text.strip()[:80]!r} is not an audit head: expected SEQ:SHA256 "
            "(an entry number, a colon, 64 hex digits), as `annotator audit head` prints it"
        )
    return ExpectedHead(int(m[1]), m[2], origin)


def _head_mismatch(x: ExpectedHead, found: str) -> AuditProblem:
    return AuditProblem(x.seq, None, None, (
        f"audit entry #{x.seq} is not the head recorded in {x.origin}: its hash is {found[:16]}…, "
        f"{x.origin} says {x.sha256[:16]}…; the log was rewritten from entry #{x.seq} or earlier "
        "(or this is another database)"))  # fmt: skip


def _log_too_short(x: ExpectedHead, last: int) -> AuditProblem:
    return AuditProblem(None, None, None, (
        f"the log ends at entry #{last}, but {x.origin} recorded head #{x.seq}: entries were removed "
        "from its end, or an older copy of the database was put back"))  # fmt: skip


def log_root(session: Session) -> str | None:
    """The hash of entry #1, which identifies this log (and every copy of it); None when empty.

    It is what a quote set's header should carry as the id of the database it was made from."""
    return session.scalar(select(AuditEntry.sha256).where(AuditEntry.seq == 1))


WITNESS_ENV = "QUOTE_ANNOTATOR_WITNESS"


def default_witness_path() -> Path:
    """``$QUOTE_ANNOTATOR_WITNESS``, else ``audit-witness.txt`` in the user data directory."""
    from annotator import paths

    return Path(os.environ.get(WITNESS_ENV) or paths.user_data_dir() / "audit-witness.txt")


@dataclass(frozen=True)
class WitnessLine:
    """One line of a witness file: a head, when it was written, the log it belongs to and why.

    On disk: ``SEQ:SHA256<TAB>AT<TAB>ROOT<TAB>DATABASE<TAB>NOTE`` (ROOT is ``-`` for an empty
    log); lines starting with ``#`` and blank lines are ignored."""

    seq: int
    sha256: str
    at: str
    root: str | None
    database: str
    note: str
    line: int = 0

    def to_text(self) -> str:
        fields = (format_head(self.seq, self.sha256), self.at, self.root or "-", self.database, self.note)
        return "\t".join(_one_field(f) for f in fields)


def _one_field(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def append_witness(path: Path | str, session: Session, *, database: str, note: str = "") -> WitnessLine:
    """Append the log's current head to a witness file (created if need be), and sync it to disk.

    ``database``: how the database is described (:func:`annotator.db.describe_url`); ``note``: why
    (``"export quotes.set.xml"``, ``"daily"``). Read the head inside the transaction whose state
    the line should vouch for (an export's snapshot)."""
    seq, sha = head(session)
    line = WitnessLine(seq, sha, utc_now(), log_root(session), database, note)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(line.to_text() + "\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise ValidationError(f"witness file {path}: cannot append the audit head ({exc.strerror})") from exc
    return line


def read_witness(path: Path | str) -> list[WitnessLine]:
    """Every head in a witness file; a clear error naming the file and line for a bad one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ValidationError(f"witness file {path}: cannot read it ({reason})") from exc
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        head_ = parse_head(fields[0], f"witness file {path} line {n}")
        if len(fields) != 5:
            raise ValidationError(
                f"witness file {path} line {n}: expected 5 tab-separated fields "
                f"(head, time, log root, database, note), found {len(fields)}"
            )
        root = fields[2].strip()
        out.append(WitnessLine(head_.seq, head_.sha256, fields[1], None if root == "-" else root,
                               fields[3], fields[4], n))  # fmt: skip
    return out


def witness_heads(
    lines: Iterable[WitnessLine], *, root: str | None, database: str, origin: str
) -> tuple[list[ExpectedHead], int]:
    """The heads of ``lines`` that concern this database, and how many lines were left out.

    A line concerns it when it names the same log root (this log or a copy of it, wherever it
    lives) or the same database (a log rewritten from entry #1 has a new root, but not a new
    location, so it is still checked against the heads recorded for its location)."""
    heads, skipped = [], 0
    for w in lines:
        if (root is not None and w.root == root) or w.database == database:
            heads.append(ExpectedHead(w.seq, w.sha256, f"{origin} line {w.line}"))
        else:
            skipped += 1
    return heads, skipped


@dataclass(frozen=True)
class SetHeadCheck:
    """What a quote set's recorded audit head says about this database's log.

    ``status``: ``"matches"`` (this log holds the set's head), ``"not recorded"`` (the set has no
    head), ``"other database"`` (the set names another log root), ``"unknown"`` (this log does not
    hold the head and the set does not say which database it came from), or ``"missing"`` (the
    set was made from this log, which no longer holds its head: rolled back or rewritten since,
    or the set comes from a copy that has diverged). Only ``"missing"`` is a problem."""

    status: str
    message: str

    @property
    def ok(self) -> bool:
        return self.status != "missing"


def check_set_head(
    session: Session, *, seq: int | None, sha256: str | None, database_id: str | None
) -> SetHeadCheck:
    """Check a quote set's ``auditHead`` (and the log root it was made from, when its header has
    one) against this log. For the quote-set importer, before it writes anything."""
    if seq is None or sha256 is None:
        return SetHeadCheck("not recorded", "the set records no audit head: there is nothing to check")
    root = log_root(session)
    if database_id is not None and database_id != root:
        return SetHeadCheck("other database", f"the set was made from another database (log root "
                            f"{database_id[:16]}…): its audit head says nothing about this one")  # fmt: skip
    found = session.scalar(select(AuditEntry.sha256).where(AuditEntry.seq == seq)) if seq else GENESIS
    if found == sha256:
        return SetHeadCheck("matches", f"this log holds the set's audit head #{seq}: the set was made from "
                            "this database, or a copy sharing its history up to that entry")  # fmt: skip
    last, _ = head(session)
    here = f"its entry #{seq} has another hash" if found is not None else f"it ends at entry #{last}"
    if database_id is None:
        msg = (
            f"this log does not hold the set's audit head #{seq} ({here}), and the set does not say "
            "which database it came from: it may come from another one"
        )
        return SetHeadCheck("unknown", msg)
    return SetHeadCheck("missing", (
        f"the set was made from this database at audit head #{seq}, but the log no longer holds that entry "
        f"({here}): the log was rolled back or rewritten since the export, or the set comes from a copy of "
        "this database that has diverged"))  # fmt: skip


def _upgraded(object_type: str, snapshot: str) -> str:
    """An audited snapshot as today's record would write it: the fields added since at their
    defaults (:func:`annotator.records.with_defaults`), a source's match keys derived."""
    out = canonical_json(with_defaults(object_type, json.loads(snapshot)))
    return with_derived_keys(out) if object_type == "source" else out


def with_derived_keys(source_json: str) -> str:
    """A source snapshot with its match keys; entries written before the keys were recorded lack
    them, and get the keys the naming rules derive from the audited name and aliases."""

    d = json.loads(source_json)
    if d.get("name_key") is None:
        d["name_key"] = name_key(d["name"])
    if d.get("alias_keys") is None:
        d["alias_keys"] = [name_key(a) for a in d["aliases"]]
    return canonical_json(d)


_CONSISTENCY = (
    # (SQL returning the first offending row, message template). Each checks a column that no
    # snapshot carries because the schema derives it from audited ones; a row here can only come
    # from a raw edit made with the foreign keys off (sqlite3's default) or constraints dropped.
    (
        "SELECT h.id, h.quote_id FROM hop h LEFT JOIN quote q ON q.id = h.quote_id "
        "WHERE q.id IS NULL ORDER BY h.id",
        "quote", 1,
        "hop row {0} belongs to quote {1}, which is not in the database: it was added or left behind "
        "outside the application",
    ),
    (
        "SELECT quote_id, min(position), max(position), count(*) FROM hop GROUP BY quote_id "
        "HAVING min(position) <> 0 OR max(position) <> count(*) - 1 ORDER BY quote_id",
        "quote", 0,
        "quote {0}'s hops are at positions {1}..{2} for {3} hop(s): they were renumbered outside the "
        "application",
    ),
    (
        "SELECT a.id, a.source_id, a.alias FROM source_alias a LEFT JOIN source s ON s.id = a.source_id "
        "WHERE s.id IS NULL ORDER BY a.id",
        "source", 1,
        "alias row {0} ({2!r}) belongs to source {1}, which is not in the database: it was added or left "
        "behind outside the application",
    ),
    (
        "SELECT e.id, e.source_id, e.scheme, e.value FROM source_external_id e "
        "LEFT JOIN source s ON s.id = e.source_id WHERE s.id IS NULL ORDER BY e.id",
        "source", 1,
        "external id row {0} ({2}:{3}) belongs to source {1}, which is not in the database: it was added "
        "or left behind outside the application",
    ),
    (
        "SELECT q.id, q.article_length, q.article_id, a.text_length FROM quote q "
        "LEFT JOIN article a ON a.id = q.article_id "
        "WHERE a.id IS NULL OR a.text_length <> q.article_length ORDER BY q.id",
        "quote", 0,
        "quote {0}'s article length {1} is not the length of article {2}'s text ({3}): it was changed "
        "outside the application",
    ),
)  # fmt: skip


def _row_consistency(session: Session) -> AuditProblem | None:
    """The first row whose derived columns disagree with the audited ones (see ``_CONSISTENCY``)."""
    conn = session.connection()
    for sql, otype, id_index, template in _CONSISTENCY:
        row = conn.exec_driver_sql(sql + " LIMIT 1").first()
        if row is not None:
            return AuditProblem(None, otype, row[id_index], template.format(*row))
    return None

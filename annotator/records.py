"""Plain, immutable records of the model's objects.

The service returns these (never live ORM objects), the GUI caches them, and the audit log stores
them as canonical JSON: a record is at once a view, a snapshot, and what is needed to restore the
exact row after a delete.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, String, literal_column, select, union_all
from sqlalchemy.orm import Session

from annotator.model import (
    SETTINGS,
    Article,
    ArticleVersion,
    ExternalId,
    Hop,
    Quote,
    QuoteCarry,
    Review,
    Setting,
    Source,
    SourceAlias,
    SuggestionDecision,
)

# The record types, defined without SQLAlchemy in annotator.recordtypes, re-exported: callers
# import them from here.
from annotator.recordtypes import QUOTE_COLUMN_FIELDS
from annotator.recordtypes import RECORD_TYPES as RECORD_TYPES
from annotator.recordtypes import ArticleRecord as ArticleRecord
from annotator.recordtypes import ArticleSummary as ArticleSummary
from annotator.recordtypes import HistoryEntry as HistoryEntry
from annotator.recordtypes import HopRecord as HopRecord
from annotator.recordtypes import QuoteCarryRecord as QuoteCarryRecord
from annotator.recordtypes import QuoteRecord as QuoteRecord
from annotator.recordtypes import Record as Record
from annotator.recordtypes import ReviewRecord as ReviewRecord
from annotator.recordtypes import SettingRecord as SettingRecord
from annotator.recordtypes import SourceRecord as SourceRecord
from annotator.recordtypes import Span as Span
from annotator.recordtypes import SuggestionDecisionRecord as SuggestionDecisionRecord
from annotator.recordtypes import canonical_json as canonical_json
from annotator.recordtypes import span_of as _span
from annotator.recordtypes import with_defaults as with_defaults

# --- Loading records from the database --------------------------------------------------------


def source_record(
    s: Source, aliases: Iterable[SourceAlias] | None = None, external_ids: Iterable[ExternalId] | None = None
) -> SourceRecord:
    """The record of a source; ``aliases``/``external_ids`` when already loaded (else its relationships)."""
    pairs = sorted((a.alias, a.alias_key) for a in (s.aliases if aliases is None else aliases))
    ext = s.external_ids if external_ids is None else external_ids
    return SourceRecord(
        id=s.id,
        uid=s.uid,
        kind=s.kind,
        name=s.name,
        role=s.role,
        affiliation_id=s.affiliation_id,
        descriptor=s.descriptor,
        nationality=s.nationality,
        aliases=tuple(a for a, _ in pairs),
        external_ids=tuple(sorted((e.scheme, e.value) for e in ext)),
        name_key=s.name_key,
        alias_keys=tuple(k for _, k in pairs),
    )


def article_record(a: Article) -> ArticleRecord:
    v = a.version_info
    return ArticleRecord(
        id=a.id,
        uid=a.uid,
        title=a.title,
        outlet_id=a.outlet_id,
        url=a.url,
        byline=a.byline,
        published=a.published.isoformat() if a.published else None,
        language=a.language,
        filename=a.filename,
        format=a.format,
        encoding=a.encoding,
        raw_sha256=a.raw_sha256,
        text_sha256=a.text_sha256,
        text_length=a.text_length,
        imported_at=a.imported_at,
        imported_by=a.imported_by,
        **(version_fields(v) if v is not None else {}),
    )


def version_fields(v: ArticleVersion) -> dict[str, Any]:
    """The :class:`ArticleRecord` fields an :class:`ArticleVersion` row gives."""
    return {
        "version": v.number,
        "version_of": v.lineage_id if v.number > 1 else None,
        "fetch_url": v.fetch_url,
        "final_url": v.final_url,
        "fetched_at": v.fetched_at,
        "http_date": v.http_date,
        "http_etag": v.http_etag,
        "http_last_modified": v.http_last_modified,
    }


def quote_carry_record(c: QuoteCarry) -> QuoteCarryRecord:
    return QuoteCarryRecord(
        c.id, c.quote_id, c.from_article_id, c.to_article_id, c.outcome, bool(c.approval_withdrawn),
        c.reason, c.detail, c.carried_by, c.carried_at,
    )  # fmt: skip


def quote_record(q: Quote, hops: Sequence[Hop] | None = None) -> QuoteRecord:
    hop_rows = q.hops if hops is None else hops
    return QuoteRecord(
        id=q.id,
        uid=q.uid,
        article_id=q.article_id,
        start=q.start,
        end=q.end,
        text=q.text,
        prefix=q.prefix,
        suffix=q.suffix,
        type=q.type,
        cue=_span(q.cue_start, q.cue_end),
        speaker_id=q.speaker_id,
        hops=tuple(
            HopRecord(h.source_id, h.relation, _span(h.evidence_start, h.evidence_end))
            for h in sorted(hop_rows, key=lambda h: h.position)
        ),
        status=q.status,
        evidence_url=q.evidence_url,
        archive_url=q.archive_url,
        note=q.note,
        status_by=q.status_by,
        status_at=q.status_at,
        created_by=q.created_by,
        created_at=q.created_at,
        chain_edited_by=q.chain_edited_by,
        chain_edited_at=q.chain_edited_at,
    )


def review_record(r: Review) -> ReviewRecord:
    return ReviewRecord(
        r.id, r.quote_id, r.reviewer, r.at, r.verdict, r.comment, r.chain_sha256, r.article_id
    )


def decision_record(d: SuggestionDecision) -> SuggestionDecisionRecord:
    return SuggestionDecisionRecord(
        id=d.id, article_id=d.article_id, fingerprint=d.fingerprint, decision=d.decision, quote_id=d.quote_id,
        suggester_version=d.suggester_version, confidence=d.confidence, suggestion=d.suggestion,
        accepted_chain=d.accepted_chain, decided_by=d.decided_by, decided_at=d.decided_at,
    )  # fmt: skip


_COLUMN_FIELD = QUOTE_COLUMN_FIELDS


def select_quote_records(session: Session, where: Any = None) -> list[QuoteRecord]:
    """Records of the quotes matching ``where`` (a condition on the quote table), in text order,
    read as plain rows (no ORM objects: ~10x faster for an article's thousands of quotes)."""
    qt, ht = Quote.__table__, Hop.__table__
    stmt = select(qt).order_by(qt.c.article_id, qt.c.span_start, qt.c.span_end, qt.c.id)
    hop_stmt = select(ht.c.quote_id, ht.c.source_id, ht.c.relation, ht.c.evidence_start, ht.c.evidence_end)
    if where is not None:
        stmt = stmt.where(where)
        hop_stmt = hop_stmt.where(ht.c.quote_id.in_(select(qt.c.id).where(where)))
    hops: dict[int, list[tuple[int, HopRecord]]] = {}
    for row in session.execute(hop_stmt.add_columns(ht.c.position)):
        hop = HopRecord(row.source_id, row.relation, _span(row.evidence_start, row.evidence_end))
        hops.setdefault(row.quote_id, []).append((row.position, hop))
    out = []
    build = QuoteRecord._bulk
    # Rows as plain tuples zipped with the column names (attribute access on Row objects would
    # cost as much again as the query); then the few renames and derived fields.
    names = [_COLUMN_FIELD.get(c.name, c.name) for c in qt.columns]
    for row in session.execute(stmt):
        values = dict(zip(names, row, strict=True))
        del values["article_length"]
        values["cue"] = _span(values.pop("cue_start"), values.pop("cue_end"))
        qid = values["id"]
        values["hops"] = tuple(h for _, h in sorted(hops[qid])) if qid in hops else ()
        out.append(build(values))
    return out


def _const(word: str) -> Any:
    return literal_column(f"'{word}'", String).label("what")


def select_source_records(session: Session, where: Any = None) -> list[SourceRecord]:
    """Records of the sources matching ``where`` (a condition on the source table), by name, with
    their aliases and external ids, in one query whatever their number."""
    st = Source.__table__
    sa, ext = SourceAlias.__table__, ExternalId.__table__
    extras = union_all(
        select(sa.c.source_id, _const("alias"), sa.c.alias.label("a"), sa.c.alias_key.label("b")),
        select(ext.c.source_id, _const("ext"), ext.c.scheme.label("a"), ext.c.value.label("b")),
    ).subquery()
    stmt = (
        select(st, extras.c.what, extras.c.a, extras.c.b)
        .outerjoin(extras, extras.c.source_id == st.c.id)
        .order_by(st.c.name_key, st.c.id)
    )
    if where is not None:
        stmt = stmt.where(where)
    rows: dict[int, tuple[Any, list[tuple[str, str]], list[tuple[str, str]]]] = {}
    for row in session.execute(stmt):
        entry = rows.get(row.id)
        if entry is None:
            entry = rows[row.id] = (row, [], [])
        if row.what == "alias":
            entry[1].append((row.a, row.b))
        elif row.what == "ext":
            entry[2].append((row.a, row.b))
    return [
        SourceRecord(
            id=r.id,
            uid=r.uid,
            kind=r.kind,
            name=r.name,
            role=r.role,
            affiliation_id=r.affiliation_id,
            descriptor=r.descriptor,
            nationality=r.nationality,
            aliases=tuple(a for a, _ in sorted(aliases)),
            external_ids=tuple(sorted(ext_ids)),
            name_key=r.name_key,
            alias_keys=tuple(k for _, k in sorted(aliases)),
        )  # fmt: skip
        for r, aliases, ext_ids in rows.values()
    ]


def load_quote_records(session: Session, quotes: Iterable[Quote]) -> list[QuoteRecord]:
    """Records for many quotes with their hops, in two queries whatever the number of quotes."""
    quotes = list(quotes)
    by_quote: dict[int, list[Hop]] = {q.id: [] for q in quotes}
    ids = list(by_quote)
    for chunk_start in range(0, len(ids), 5000):
        chunk = ids[chunk_start : chunk_start + 5000]
        for hop in session.scalars(select(Hop).where(Hop.quote_id.in_(chunk))):
            by_quote[hop.quote_id].append(hop)
    return [quote_record(q, by_quote[q.id]) for q in quotes]


# --- Streaming every row's snapshot, for the audit check ------------------------------------

STREAM_BATCH = 2000
"""Rows fetched at a time by the snapshot streams (a server-side cursor on PostgreSQL)."""


def _stream(conn: Connection, stmt: Any, batch: int = STREAM_BATCH) -> Iterator[Any]:
    """Rows of ``stmt`` as plain tuples, fetched ``batch`` at a time (never all at once)."""
    return iter(conn.execution_options(yield_per=batch).execute(stmt))


class _Children:
    """The rows of a child table sorted by parent id, taken parent by parent as the parents stream
    past in id order (a merge join: one child row in memory at a time, beyond the current group)."""

    def __init__(self, rows: Iterator[Any]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def take(self, parent_id: int) -> list[Any]:
        out = []
        while self._next is not None and self._next[0] <= parent_id:
            if self._next[0] == parent_id:
                out.append(self._next)
            self._next = next(self._rows, None)  # a lower id is an orphan: reported by the audit check
        return out


def _source_snapshots(conn: Connection) -> Iterator[tuple[int, str]]:
    st, at, et = Source.__table__.c, SourceAlias.__table__.c, ExternalId.__table__.c
    aliases = _Children(_stream(conn, select(at.source_id, at.alias, at.alias_key).order_by(at.source_id)))
    ext = _Children(_stream(conn, select(et.source_id, et.scheme, et.value).order_by(et.source_id)))
    cols = (
        st.id,
        st.uid,
        st.kind,
        st.name,
        st.role,
        st.affiliation_id,
        st.descriptor,
        st.nationality,
        st.name_key,
    )
    for sid, uid, kind, name, role, aff, descriptor, nationality, key in _stream(
        conn, select(*cols).order_by(st.id)
    ):
        pairs = sorted((a, k) for _, a, k in aliases.take(sid))
        external = tuple(sorted((e[1], e[2]) for e in ext.take(sid)))
        rec = SourceRecord(sid, uid, kind, name, role, aff, descriptor, nationality,
                           tuple(a for a, _ in pairs), external, key, tuple(k for _, k in pairs))  # fmt: skip
        yield sid, rec.to_json()


_VERSION_FIELDS = ("version", "version_of", "fetch_url", "final_url", "fetched_at", "http_date", "http_etag",
                   "http_last_modified")  # fmt: skip
_ARTICLE_FIELDS = [f.name for f in dataclasses.fields(ArticleRecord) if f.name not in _VERSION_FIELDS]


def _article_snapshots(conn: Connection) -> Iterator[tuple[int, str]]:
    t, v = Article.__table__.c, ArticleVersion.__table__.c
    cols = (*(t[name] for name in _ARTICLE_FIELDS), v.number, v.lineage_id, v.fetch_url, v.final_url,
            v.fetched_at, v.http_date, v.http_etag, v.http_last_modified)  # fmt: skip
    stmt = (
        select(*cols)
        .select_from(Article.__table__.outerjoin(ArticleVersion.__table__, v.article_id == t.id))
        .order_by(t.id)
    )
    n = len(_ARTICLE_FIELDS)
    for row in _stream(conn, stmt):
        values = dict(zip(_ARTICLE_FIELDS, row[:n], strict=True))
        if values["published"] is not None:
            values["published"] = values["published"].isoformat()
        number, lineage, *fetch = row[n:]
        values["version"] = number if number is not None else 1
        values["version_of"] = lineage if number is not None and number > 1 else None
        values.update(zip(_VERSION_FIELDS[2:], fetch, strict=True))
        yield values["id"], canonical_json(values)


def _quote_snapshots(conn: Connection) -> Iterator[tuple[int, str]]:
    qt, ht = Quote.__table__, Hop.__table__
    hops = _Children(_stream(conn, select(ht.c.quote_id, ht.c.position, ht.c.source_id, ht.c.relation,
                                          ht.c.evidence_start, ht.c.evidence_end)
                             .order_by(ht.c.quote_id, ht.c.position)))  # fmt: skip
    names = [_COLUMN_FIELD.get(c.name, c.name) for c in qt.columns]
    # The dict QuoteRecord.to_dict() gives, built straight from the row (no record: 3x faster).
    for row in _stream(conn, select(qt).order_by(qt.c.id)):
        values = dict(zip(names, row, strict=True))
        del values["article_length"]  # checked against the article by the audit check
        cue_start, cue_end = values.pop("cue_start"), values.pop("cue_end")
        values["cue"] = None if cue_start is None or cue_end is None else [cue_start, cue_end]
        values["hops"] = [
            {
                "source_id": h[2],
                "relation": h[3],
                "evidence": None if h[4] is None or h[5] is None else [h[4], h[5]],
            }
            for h in hops.take(values["id"])
        ]
        yield values["id"], canonical_json(values)


def _review_snapshots(conn: Connection) -> Iterator[tuple[int, str]]:
    t = Review.__table__.c
    stmt = select(
        t.id, t.quote_id, t.reviewer, t.at, t.verdict, t.comment, t.chain_sha256, t.article_id
    ).order_by(t.id)
    for row in _stream(conn, stmt):
        yield row[0], ReviewRecord(*row).to_json()


def _quote_carry_snapshots(conn: Connection) -> Iterator[tuple[int, str]]:
    t = QuoteCarry.__table__.c
    stmt = select(
        t.id, t.quote_id, t.from_article_id, t.to_article_id, t.outcome, t.approval_withdrawn, t.reason,
        t.detail, t.carried_by, t.carried_at,
    ).order_by(t.id)  # fmt: skip
    for cid, qid, src, dst, outcome, withdrawn, reason, detail, by, at in _stream(conn, stmt):
        rec = QuoteCarryRecord(cid, qid, src, dst, outcome, bool(withdrawn), reason, detail, by, at)
        yield cid, rec.to_json()


def _decision_snapshots(conn: Connection) -> Iterator[tuple[int, str]]:
    t = SuggestionDecision.__table__.c
    stmt = select(
        t.id, t.article_id, t.fingerprint, t.decision, t.quote_id, t.suggester_version, t.confidence,
        t.suggestion, t.accepted_chain, t.decided_by, t.decided_at,
    ).order_by(t.id)  # fmt: skip
    for row in _stream(conn, stmt):
        yield row[0], SuggestionDecisionRecord(*row).to_json()


def _setting_snapshots(conn: Connection) -> Iterator[tuple[int, str]]:
    t = Setting.__table__.c
    out = []
    for key, value in conn.execute(select(t.key, t.value)):  # a handful of rows
        sid = SETTINGS[key][0] if key in SETTINGS else -1
        out.append((sid, SettingRecord(sid, key, json.loads(value)).to_json()))
    return iter(sorted(out))


SNAPSHOT_STREAMS: dict[str, Callable[[Connection], Iterator[tuple[int, str]]]] = {
    "article": _article_snapshots,
    "quote": _quote_snapshots,
    "quote_carry": _quote_carry_snapshots,
    "review": _review_snapshots,
    "setting": _setting_snapshots,
    "source": _source_snapshots,
    "suggestion_decision": _decision_snapshots,
}
"""For each audited object type, ``(id, canonical JSON)`` of every row in id order, streamed:
what the audit check merges with the log's last entry per object."""

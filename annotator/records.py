"""Plain, immutable records of the model's objects.

The service returns these (never live ORM objects), the GUI caches them, and the audit log stores
them as canonical JSON: a record is at once a view, a snapshot, and what is needed to restore the
exact row after a delete.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import String, cast, literal_column, null, select, union_all
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
from annotator.wording import source_label

Span = tuple[int, int]


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 characters kept as they are."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else (start, end)


def _plain(value: Any) -> Any:
    if isinstance(value, HopRecord):
        return {"source_id": value.source_id, "relation": value.relation, "evidence": _plain(value.evidence)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class Record:
    """A snapshot of one row (and what hangs off it), identified by ``(object_type, id)``."""

    object_type: ClassVar[str]
    id: int

    def to_dict(self) -> dict[str, Any]:
        # Shallow, then lists for tuples (what JSON would give back): ~5x faster than asdict().
        names = _FIELD_NAMES.get(type(self))
        if names is None:
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in dataclasses.fields(self))  # type: ignore[arg-type]
        return {name: _plain(getattr(self, name)) for name in names}

    def to_json(self) -> str:
        return canonical_json(self.to_dict())


@dataclass(frozen=True)
class SourceRecord(Record):
    object_type: ClassVar[str] = "source"

    id: int
    uid: str
    kind: str
    name: str
    role: str | None
    affiliation_id: int | None
    descriptor: str | None
    nationality: str | None
    aliases: tuple[str, ...]
    external_ids: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        """How the source reads in a chain: anonymous sources by their descriptor."""
        return source_label(self.kind, self.name, self.descriptor)


@dataclass(frozen=True)
class ArticleRecord(Record):
    """An article's metadata (the text itself is fetched separately: it can be megabytes)."""

    object_type: ClassVar[str] = "article"

    id: int
    uid: str
    title: str
    outlet_id: int | None
    url: str | None
    byline: str | None
    published: str | None  # ISO date
    language: str | None
    filename: str | None
    format: str
    encoding: str | None
    raw_sha256: str | None
    text_sha256: str
    text_length: int
    imported_at: str
    imported_by: str
    # Added with versions (schema 0004); the defaults are what an older audit entry meant.
    version: int = 1
    version_of: int | None = None
    """The article's first version (its lineage), for version 2 and later; None for version 1."""
    fetch_url: str | None = None
    final_url: str | None = None
    fetched_at: str | None = None
    http_date: str | None = None
    http_etag: str | None = None
    http_last_modified: str | None = None

    @property
    def lineage_id(self) -> int:
        """The id of the article's first version (its own id for version 1)."""
        return self.version_of if self.version_of is not None else self.id


@dataclass(frozen=True)
class HopRecord:
    source_id: int
    relation: str
    evidence: Span | None = None


@dataclass(frozen=True)
class QuoteRecord(Record):
    object_type: ClassVar[str] = "quote"

    id: int
    uid: str
    article_id: int
    start: int
    end: int
    text: str
    prefix: str
    suffix: str
    type: str
    cue: Span | None
    speaker_id: int | None
    hops: tuple[HopRecord, ...]
    status: str
    evidence_url: str | None
    archive_url: str | None
    note: str | None
    status_by: str | None
    status_at: str | None
    created_by: str
    created_at: str
    chain_edited_by: str
    chain_edited_at: str

    @classmethod
    def _bulk(cls, values: dict[str, Any]) -> QuoteRecord:
        """Build a record from complete field values without running the frozen dataclass's
        ``__init__`` (one ``object.__setattr__`` per field: 10x slower for an article's 10,000
        quotes). Only for trusted, complete rows read from the database."""
        record = object.__new__(cls)
        record.__dict__.update(values)
        return record

    @property
    def chain_source_ids(self) -> tuple[int, ...]:
        """Speaker first, then each hop's source, in order."""
        head = (self.speaker_id,) if self.speaker_id is not None else ()
        return head + tuple(h.source_id for h in self.hops)

    def chain_dict(self) -> dict[str, Any]:
        """What a reviewer signs: the span, the type, the speaker and the ordered hops."""
        return {
            "article_id": self.article_id,
            "span": [self.start, self.end],
            "type": self.type,
            "cue": list(self.cue) if self.cue else None,
            "speaker_id": self.speaker_id,
            "hops": [
                {
                    "source_id": h.source_id,
                    "relation": h.relation,
                    "evidence": list(h.evidence) if h.evidence else None,
                }
                for h in self.hops
            ],
        }


@dataclass(frozen=True)
class ReviewRecord(Record):
    object_type: ClassVar[str] = "review"

    id: int
    quote_id: int
    reviewer: str
    at: str
    verdict: str
    comment: str | None
    chain_sha256: str
    article_id: int | None = None
    """The article version the chain was reviewed on; None for reviews made before versions
    existed (version 1 of the quote's article)."""


@dataclass(frozen=True)
class QuoteCarryRecord(Record):
    """What became of a quote carried to a new version (see :class:`annotator.model.QuoteCarry`)."""

    object_type: ClassVar[str] = "quote_carry"

    id: int
    quote_id: int
    from_article_id: int
    to_article_id: int
    outcome: str
    approval_withdrawn: bool
    reason: str
    detail: str
    carried_by: str
    carried_at: str

    @property
    def detail_data(self) -> dict[str, Any]:
        return json.loads(self.detail)  # type: ignore[no-any-return]


RECORD_TYPES: dict[str, type[Record]] = {}
"""Every record class by its ``object_type`` (filled below)."""


def with_defaults(object_type: str, snapshot: dict[str, Any]) -> dict[str, Any]:
    """An audited snapshot with the fields added to its record since it was written, at their
    defaults (e.g. an article audited before versions existed is version 1)."""
    cls = RECORD_TYPES.get(object_type)
    if cls is None:
        return snapshot
    out = dict(snapshot)
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in out and f.default is not dataclasses.MISSING:
            out[f.name] = _plain(f.default)
    return out


@dataclass(frozen=True)
class SuggestionDecisionRecord(Record):
    """A decision on a suggestion (see :class:`annotator.model.SuggestionDecision`).

    ``suggestion`` and ``accepted_chain`` are canonical JSON strings; :attr:`suggestion_data` and
    :attr:`accepted_chain_data` decode them.
    """

    object_type: ClassVar[str] = "suggestion_decision"

    id: int
    article_id: int
    fingerprint: str
    decision: str
    quote_id: int | None
    suggester_version: str
    confidence: float
    suggestion: str
    accepted_chain: str | None
    decided_by: str
    decided_at: str

    @property
    def accepted(self) -> bool:
        return self.decision == "accepted"

    @property
    def suggestion_data(self) -> dict[str, Any]:
        return json.loads(self.suggestion)  # type: ignore[no-any-return]

    @property
    def accepted_chain_data(self) -> dict[str, Any] | None:
        return json.loads(self.accepted_chain) if self.accepted_chain is not None else None


@dataclass(frozen=True)
class SettingRecord(Record):
    object_type: ClassVar[str] = "setting"

    id: int
    key: str
    value: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry about an object, its snapshots decoded (see ``Service.history``)."""

    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


RECORD_TYPES.update(
    {
        cls.object_type: cls
        for cls in (SourceRecord, ArticleRecord, QuoteRecord, ReviewRecord, QuoteCarryRecord,
                    SuggestionDecisionRecord, SettingRecord)
    }
)  # fmt: skip


# --- Loading records from the database --------------------------------------------------------


def source_record(s: Source) -> SourceRecord:
    return SourceRecord(
        id=s.id,
        uid=s.uid,
        kind=s.kind,
        name=s.name,
        role=s.role,
        affiliation_id=s.affiliation_id,
        descriptor=s.descriptor,
        nationality=s.nationality,
        aliases=tuple(sorted(a.alias for a in s.aliases)),
        external_ids=tuple(sorted((e.scheme, e.value) for e in s.external_ids)),
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


_COLUMN_FIELD = {"span_start": "start", "span_end": "end"}


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
        select(sa.c.source_id, _const("alias"), sa.c.alias.label("a"), cast(null(), String(300)).label("b")),
        select(ext.c.source_id, _const("ext"), ext.c.scheme.label("a"), ext.c.value.label("b")),
    ).subquery()
    stmt = (
        select(st, extras.c.what, extras.c.a, extras.c.b)
        .outerjoin(extras, extras.c.source_id == st.c.id)
        .order_by(st.c.name_key, st.c.id)
    )
    if where is not None:
        stmt = stmt.where(where)
    rows: dict[int, tuple[Any, list[str], list[tuple[str, str]]]] = {}
    for row in session.execute(stmt):
        entry = rows.get(row.id)
        if entry is None:
            entry = rows[row.id] = (row, [], [])
        if row.what == "alias":
            entry[1].append(row.a)
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
            aliases=tuple(sorted(aliases)),
            external_ids=tuple(sorted(ext_ids)),
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


def all_snapshots(session: Session) -> dict[tuple[str, int], str]:
    """The canonical JSON of every audited object in the database, keyed by (type, id)."""
    out: dict[tuple[str, int], str] = {}
    sources = session.scalars(select(Source)).all()
    aliases: dict[int, list[SourceAlias]] = {}
    for al in session.scalars(select(SourceAlias)):
        aliases.setdefault(al.source_id, []).append(al)
    ext: dict[int, list[ExternalId]] = {}
    for e in session.scalars(select(ExternalId)):
        ext.setdefault(e.source_id, []).append(e)
    for s in sources:
        rec = SourceRecord(
            id=s.id, uid=s.uid, kind=s.kind, name=s.name, role=s.role, affiliation_id=s.affiliation_id,
            descriptor=s.descriptor, nationality=s.nationality,
            aliases=tuple(sorted(a.alias for a in aliases.get(s.id, []))),
            external_ids=tuple(sorted((e.scheme, e.value) for e in ext.get(s.id, []))),
        )  # fmt: skip
        out[("source", s.id)] = rec.to_json()
    for a in session.scalars(select(Article).options()):
        out[("article", a.id)] = article_record(a).to_json()
    for q in load_quote_records(session, session.scalars(select(Quote))):
        out[("quote", q.id)] = q.to_json()
    for r in session.scalars(select(Review)):
        out[("review", r.id)] = review_record(r).to_json()
    for c in session.scalars(select(QuoteCarry)):
        out[("quote_carry", c.id)] = quote_carry_record(c).to_json()
    for d in session.scalars(select(SuggestionDecision)):
        out[("suggestion_decision", d.id)] = decision_record(d).to_json()
    for row in session.scalars(select(Setting)):
        sid = SETTINGS[row.key][0] if row.key in SETTINGS else -1
        out[("setting", sid)] = SettingRecord(sid, row.key, json.loads(row.value)).to_json()
    return out

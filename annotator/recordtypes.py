"""Plain, immutable records of the model's objects, free of the database layer.

The service returns these (never live ORM objects), the GUI caches them, and the audit log stores
them as canonical JSON: a record is at once a view, a snapshot, and what is needed to restore the
exact row after a delete. They import neither SQLAlchemy nor the model, so that a reader that needs
no ORM (the command line's listings, :mod:`annotator.listing`) loads fast; :mod:`annotator.records`
builds them from the database and re-exports them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, ClassVar

from annotator.wording import source_label

Span = tuple[int, int]


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 characters kept as they are.

    (``json.dumps`` with these options, without building an encoder per call.)"""
    return _CANONICAL.encode(value)


def span_of(start: int | None, end: int | None) -> Span | None:
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
        values = self.__dict__
        return {n: _plain(values[n]) if type(values[n]) is tuple else values[n] for n in names}

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
    # The match keys as stored (``source.name_key``; ``source_alias.alias_key`` of each alias, in
    # the order of ``aliases``): they decide which source a typed name resolves to, so the audit
    # log covers them. None when the record was built without them (audit entries written before
    # they were recorded); the audit check then expects the keys the rules derive from the names.
    name_key: str | None = None
    alias_keys: tuple[str, ...] | None = None

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

    @classmethod
    def from_columns(cls, values: dict[str, Any], hops: tuple[HopRecord, ...]) -> QuoteRecord:
        """A record from a complete row of the quote table, as ``{name: value}`` (consumed; the
        columns of :data:`QUOTE_COLUMN_FIELDS` under their field names), and the quote's hops in
        order. Trusted rows only (see :meth:`_bulk`)."""
        del values["article_length"]
        values["cue"] = span_of(values.pop("cue_start"), values.pop("cue_end"))
        values["hops"] = hops
        return cls._bulk(values)

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


RECORD_TYPES: dict[str, type[Record]] = {
    cls.object_type: cls
    for cls in (SourceRecord, ArticleRecord, QuoteRecord, ReviewRecord, QuoteCarryRecord,
                SuggestionDecisionRecord, SettingRecord)
}  # fmt: skip
"""Every record class by its ``object_type``."""


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


QUOTE_COLUMN_FIELDS = {"span_start": "start", "span_end": "end"}
"""Quote table columns whose record field has another name."""


@dataclass(frozen=True)
class ArticleSummary:
    """An article's metadata with its counts, for the library panel and ``annotator articles``."""

    article: ArticleRecord
    outlet: str | None
    quotes: int
    verified: int
    needs_review: int

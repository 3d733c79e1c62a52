"""Plain data for a verified quote set: what the XML and CSV formats carry, free of the database.

These frozen dataclasses are the boundary between the database (whose glue fills and consumes them)
and the file formats (:mod:`annotator.quotesets.xmlformat`, :mod:`annotator.quotesets.csvformat`).
Ids are the UUID strings of the database's ``uid`` columns; references between items are by id.

Offsets are half-open ``[start, end)`` ranges of Unicode code points into an article's canonical
text (see :mod:`annotator.canonical`). A quote's chain is ordered: hop 0 is nearest the speaker, the
last hop nearest the article's outlet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from annotator import wording

# The export and import options (defined in annotator.quotesets, for the command line's parser).
from annotator.quotesets import FILTER_STATUSES as FILTER_STATUSES
from annotator.quotesets import FORMATS as FORMATS
from annotator.quotesets import ON_CONFLICT as ON_CONFLICT

# The vocabulary the formats check values against (defined in annotator.vocab).
from annotator.vocab import QUOTE_TYPES as QUOTE_TYPES
from annotator.vocab import SOURCE_KINDS as SOURCE_KINDS
from annotator.vocab import STATUSES as STATUSES
from annotator.vocab import VERDICTS as VERDICTS


@dataclass(frozen=True, slots=True)
class SetHeader:
    """What the set is: when and by whom it was exported, with which filter and audit state."""

    created: str
    """ISO 8601 UTC timestamp of the export, e.g. ``2026-11-25T10:00:00Z``."""
    created_by: str
    tool_name: str
    tool_version: str
    filter_status: str = "verified"
    """``verified`` (only verified quotes) or ``all``."""
    filter_articles: tuple[str, ...] = ()
    """Article ids the export was restricted to (empty: no restriction)."""
    filter_since: str | None = None
    """ISO date: only quotes changed on or after it (``None``: no restriction)."""
    audit_head_seq: int | None = None
    audit_head_sha256: str | None = None
    four_eyes: bool = False
    """Whether the exporting database required a second reviewer's sign-off to verify."""
    format_version: str = "1.0"
    """``1.0``, or ``1.1`` when the set says which version of an article a text is (see
    :attr:`SetArticle.version`, :attr:`SignOff.version`)."""


@dataclass(frozen=True, slots=True)
class SetSource:
    """A speaker, intermediary or outlet."""

    id: str
    kind: str
    """One of :data:`SOURCE_KINDS`."""
    name: str
    role: str | None = None
    affiliation: str | None = None
    """Id of another :class:`SetSource` (e.g. a ministry)."""
    descriptor: str | None = None
    """How an anonymous source is described (``a Turkish official``); required when kind is anonymous."""
    nationality: str | None = None
    aliases: tuple[str, ...] = ()
    external_ids: tuple[tuple[str, str], ...] = ()
    """``(scheme, value)`` pairs, e.g. ``("wikidata", "Q123")``."""


@dataclass(frozen=True, slots=True)
class SetArticle:
    """A news article with its frozen canonical text."""

    id: str
    title: str | None
    outlet: str | None
    """Id of a :class:`SetSource` of kind ``outlet``."""
    url: str | None
    byline: str | None
    published: str | None
    """ISO date."""
    language: str | None
    text_sha256: str
    """Hex SHA-256 of the UTF-8 encoding of ``text``."""
    text: str
    version: int = 1
    """Which version of the article this text is (format 1.1; 1 in a 1.0 set)."""
    version_of: str | None = None
    """Id of the article's first version, for version 2 and later (format 1.1)."""
    """Canonical text (may be several MB); every offset points into it."""


@dataclass(frozen=True, slots=True)
class SetHop:
    """One intermediary of a chain: who passed the quote on, and how."""

    source: str
    """Id of a :class:`SetSource`."""
    relation: str
    """``according to``, ``quoted by``, ``told``, ``reported by``, ``via`` or free text."""
    evidence: tuple[int, int] | None = None
    """Span of the article text that shows this hop, if marked."""


@dataclass(frozen=True, slots=True)
class SignOff:
    """A reviewer's verdict on a quote and the chain it had then."""

    reviewer: str
    at: str
    """ISO 8601 timestamp."""
    verdict: str
    """One of :data:`VERDICTS`."""
    comment: str | None
    chain_sha256: str
    """Hash of the attribution chain the reviewer saw."""
    version: int = 1
    """The version of the quote's article the reviewer saw the chain on (format 1.1; 1 in 1.0)."""


@dataclass(frozen=True, slots=True)
class SetQuote:
    """An annotated quote: a span of an article, its speaker and its provenance chain."""

    id: str
    article: str
    start: int
    end: int
    text: str
    """``article.text[start:end]``."""
    prefix: str
    """Up to 32 code points before ``start``."""
    suffix: str
    """Up to 32 code points after ``end``."""
    type: str
    """One of :data:`QUOTE_TYPES`."""
    cue: tuple[int, int] | None = None
    """Span of the attribution cue (``said``, ``according to``), if marked."""
    speaker: str | None = None
    hops: tuple[SetHop, ...] = ()
    """Ordered: hop 0 is nearest the speaker."""
    status: str = "unverified"
    """One of :data:`STATUSES`."""
    evidence_url: str | None = None
    archive_url: str | None = None
    note: str | None = None
    status_by: str | None = None
    status_at: str | None = None
    created_by: str | None = None
    created_at: str | None = None
    signoffs: tuple[SignOff, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteSet:
    """A whole quote set, as read from a file (writing takes iterables instead, see xmlformat)."""

    header: SetHeader
    sources: list[SetSource] = field(default_factory=list)
    articles: list[SetArticle] = field(default_factory=list)
    quotes: list[SetQuote] = field(default_factory=list)


def source_label(source: SetSource) -> str:
    """How a source is shown in a chain: an anonymous source by its descriptor, others by name."""
    return wording.source_label(source.kind, source.name, source.descriptor)


def chain_text(quote: SetQuote, sources_by_id: Mapping[str, SetSource], outlet: str | None) -> str:
    """The quote's provenance as one line (:func:`annotator.wording.chain_text`), speaker first,
    then each hop, then the outlet unless the chain already ends with it.

    ``Moscow ← a Turkish official ← CNN ← El País``. Anonymous sources are shown by their
    descriptor; an id missing from ``sources_by_id`` as the id itself, so ``outlet`` may be the
    outlet's id or just its name. ``outlet`` ``None`` leaves the outlet out.
    """

    def label(source_id: str) -> str:
        source = sources_by_id.get(source_id)
        return source_label(source) if source is not None else source_id

    return wording.chain_text(quote.speaker, [hop.source for hop in quote.hops], outlet, label)

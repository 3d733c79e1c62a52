"""The domain model: articles, sources, quotes, attribution chains, verification and the audit log.

Vocabulary follows PARC (source / cue / content) and W3C PROV: a :class:`Quote` is the *content*,
its ``cue`` span is the verb of saying ("said", "according to"), its ``speaker`` is the source it
``wasAttributedTo``, and each :class:`Hop` is one intermediary it ``wasQuotedFrom`` on the way to
the article's outlet (the chain's last, implicit link).

Every offset is a half-open ``[start, end)`` range of Unicode code points into the article's frozen
canonical text (see :mod:`annotator.canonical`). The schema enforces what it can by itself:

* ``0 <= start < end <= len(text)`` for quotes and cues, through a composite foreign key
  ``(article_id, article_length) -> article(id, text_length)`` plus check constraints, and
  ``length(text) = text_length`` on the article;
* a source appears at most once in a quote's hops; hop positions are unique per quote;
* an anonymous source carries a descriptor; aliases are unique across the registry;
* article text cannot be updated, and the audit log cannot be updated or deleted (triggers, created
  by the migrations for SQLite and PostgreSQL).

Rules that span rows (the speaker is not also a hop, an outlet is a source of kind ``outlet``)
are enforced by :mod:`annotator.service`, the only writer.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The vocabulary is defined in annotator.vocab; re-exported here for the schema's users.
from annotator.vocab import RELATIONS as RELATIONS
from annotator.vocab import QuoteType as QuoteType
from annotator.vocab import SourceKind as SourceKind
from annotator.vocab import Status as Status
from annotator.vocab import Verdict as Verdict

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


SETTINGS: dict[str, tuple[int, object]] = {
    # key: (stable object id in the audit log, default)
    "four_eyes": (1, True),
    "claimreview": (
        2,
        {
            "ratings": {"disputed": "Disputed attribution", "rejected": "Misattributed"},
            "comment_ratings": [],
            "review_url": "urn:uuid:{quote_uid}",
        },
    ),
}
"""Per-database settings. ``four_eyes``: a reviewer cannot approve a chain they last edited.
``claimreview``: how ClaimReview exports rate quotes (see :mod:`annotator.interop.claimreview`)."""


def _in(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Source(Base):
    """A speaker or intermediary: a person, an organization, an outlet, or an anonymous source."""

    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint(_in("kind", SourceKind), name="kind"),
        CheckConstraint("name <> ''", name="name_not_empty"),
        CheckConstraint(
            "kind <> 'anonymous' OR (descriptor IS NOT NULL AND descriptor <> '')",
            name="anonymous_has_descriptor",
        ),
        CheckConstraint("affiliation_id IS NULL OR affiliation_id <> id", name="not_own_affiliation"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    role: Mapped[str | None] = mapped_column(String(300))
    affiliation_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"))
    # For anonymous sources: how the article describes them ("a Turkish official").
    descriptor: Mapped[str | None] = mapped_column(String(300))
    nationality: Mapped[str | None] = mapped_column(String(100))

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="SourceAlias.alias"
    )
    external_ids: Mapped[list[ExternalId]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="ExternalId.scheme"
    )


class SourceAlias(Base):
    """Another spelling of a source's name ("Zelenskyy"). Unique across the registry."""

    __tablename__ = "source_alias"
    __table_args__ = (CheckConstraint("alias <> ''", name="alias_not_empty"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300), unique=True)

    source: Mapped[Source] = relationship(back_populates="aliases")


class ExternalId(Base):
    """An identifier of a source in another registry, e.g. ``("wikidata", "Q3874799")``."""

    __tablename__ = "source_external_id"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(300))

    source: Mapped[Source] = relationship(back_populates="external_ids")


class Article(Base):
    """A news article and its frozen canonical text."""

    __tablename__ = "article"
    __table_args__ = (
        UniqueConstraint("id", "text_length", name="uq_article_id_length"),
        CheckConstraint("text_length > 0", name="text_not_empty"),
        CheckConstraint("length(text) = text_length", name="length_matches"),
        CheckConstraint("format IN ('txt', 'html', 'xml')", name="format"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    byline: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(35))
    filename: Mapped[str | None] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(40))
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text_length: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(200))
    # Megabytes: loaded only when asked for, and stored last (see migration 0001).
    text: Mapped[str] = mapped_column(Text, deferred=True)

    outlet: Mapped[Source | None] = relationship()
    # Loaded with the article (one outer join): which version it is, and how it was fetched.
    version_info: Mapped[ArticleVersion | None] = relationship(
        foreign_keys="ArticleVersion.article_id", lazy="joined", uselist=False, viewonly=True
    )


class ArticleVersion(Base):
    """Which version of which article a text is, and where it came from.

    Each version of an article is an :class:`Article` row of its own, with its frozen text, so
    quotes keep pointing at the exact text their offsets count in (the composite foreign key), and
    a quote carried to a new version points at the new row. The *lineage* is the article's first
    version; versions are numbered from 1 within it. An article without a row here is version 1
    of itself (articles imported before versions existed, or from a quote set).

    ``raw`` holds the imported file's or fetched page's bytes, gzip-compressed, so the exact page
    can be extracted again (``Article.raw_sha256`` is their hash); ``fetch_url`` … ``http_last_modified``
    record a fetch from the web (the URL asked for, where redirects ended, when, and the server's
    ``Date``, ``ETag`` and ``Last-Modified``).
    """

    __tablename__ = "article_version"
    __table_args__ = (
        UniqueConstraint("lineage_id", "number"),
        CheckConstraint(
            "(number = 1 AND lineage_id = article_id) OR (number > 1 AND lineage_id <> article_id)",
            name="numbering",
        ),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )
    lineage_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    fetch_url: Mapped[str | None] = mapped_column(String(2000), index=True)
    final_url: Mapped[str | None] = mapped_column(String(2000))
    fetched_at: Mapped[str | None] = mapped_column(String(32))
    http_date: Mapped[str | None] = mapped_column(String(100))
    http_etag: Mapped[str | None] = mapped_column(String(300))
    http_last_modified: Mapped[str | None] = mapped_column(String(100))
    declared_charset: Mapped[str | None] = mapped_column(String(40))
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class Quote(Base):
    """A quoted span of one article, its cue, its attribution chain and its verification."""

    __tablename__ = "quote"
    __table_args__ = (
        ForeignKeyConstraint(
            ["article_id", "article_length"],
            ["article.id", "article.text_length"],
            name="fk_quote_article_span",
            ondelete="RESTRICT",
        ),
        CheckConstraint("span_start >= 0 AND span_start < span_end", name="span_order"),
        CheckConstraint("span_end <= article_length", name="span_within_text"),
        CheckConstraint(
            "(cue_start IS NULL AND cue_end IS NULL) OR "
            "(cue_start >= 0 AND cue_start < cue_end AND cue_end <= article_length)",
            name="cue_span",
        ),
        CheckConstraint(_in("type", QuoteType), name="type"),
        CheckConstraint(_in("status", Status), name="status"),
        CheckConstraint("text <> ''", name="text_not_empty"),
        Index("ix_quote_article_span", "article_id", "span_start"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    article_id: Mapped[int] = mapped_column(Integer)
    article_length: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column("span_start", Integer)
    end: Mapped[int] = mapped_column("span_end", Integer)
    text: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(64))
    suffix: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"), index=True)

    # Verification
    status: Mapped[str] = mapped_column(String(16), default=Status.UNVERIFIED.value)
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    archive_url: Mapped[str | None] = mapped_column(String(2000))
    note: Mapped[str | None] = mapped_column(Text)
    status_by: Mapped[str | None] = mapped_column(String(200))
    status_at: Mapped[str | None] = mapped_column(String(32))

    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))
    # Who last changed the chain (span, speaker, hops): the four-eyes rule refuses their approval.
    chain_edited_by: Mapped[str] = mapped_column(String(200))
    chain_edited_at: Mapped[str] = mapped_column(String(32))

    article: Mapped[Article] = relationship(
        foreign_keys=[article_id], primaryjoin="Quote.article_id == Article.id"
    )
    speaker: Mapped[Source | None] = relationship()
    hops: Mapped[list[Hop]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="Hop.position"
    )


class Hop(Base):
    """One intermediary link of a quote's chain: ``source`` passed the quote on, by ``relation``.

    Position 0 is nearest the speaker; the article's outlet follows the last hop.
    """

    __tablename__ = "hop"
    __table_args__ = (
        UniqueConstraint("quote_id", "position"),
        UniqueConstraint("quote_id", "source_id"),
        CheckConstraint("position >= 0", name="position"),
        CheckConstraint("relation <> ''", name="relation_not_empty"),
        CheckConstraint(
            "(evidence_start IS NULL AND evidence_end IS NULL) OR "
            "(evidence_start >= 0 AND evidence_start < evidence_end)",
            name="evidence_span",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"), index=True)
    relation: Mapped[str] = mapped_column(String(100))
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)

    quote: Mapped[Quote] = relationship(back_populates="hops")
    source: Mapped[Source] = relationship()


class AuditEntry(Base):
    """One change, append-only and hash-chained.

    ``sha256`` covers every other column and ``prev_sha256`` (the previous entry's hash); the
    unique constraint on ``prev_sha256`` makes a fork of the chain impossible. Triggers refuse
    UPDATE and DELETE. ``before`` and ``after`` are canonical JSON snapshots of the object.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    txn: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)


class Review(Base):
    """A reviewer's verdict on a quote's chain, with a hash of the chain as it was reviewed."""

    __tablename__ = "review"
    __table_args__ = (
        CheckConstraint(_in("verdict", Verdict), name="verdict"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id", ondelete="CASCADE"), index=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    at: Mapped[str] = mapped_column(String(32))
    verdict: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    chain_sha256: Mapped[str] = mapped_column(String(64))
    # The article version the chain was reviewed on (NULL: before versions existed, i.e. version 1).
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="RESTRICT"))


class QuoteCarry(Base):
    """What became of one quote when its article got a new version: unchanged, moved, changed or
    lost, with the old and new spans and texts of the quote, its cue and each hop's evidence
    (``detail``, canonical JSON of :meth:`annotator.versions.carry.QuoteCarry.to_dict`).

    ``quote_id`` has no foreign key on purpose (as for suggestion decisions): the report outlives a
    quote deleted later. A lost quote stays on ``from_article_id``, an orphan.
    """

    __tablename__ = "quote_carry"
    __table_args__ = (
        UniqueConstraint("quote_id", "to_article_id"),
        CheckConstraint("outcome IN ('unchanged', 'moved', 'changed', 'lost')", name="outcome"),
        CheckConstraint("from_article_id <> to_article_id", name="two_versions"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quote_id: Mapped[int] = mapped_column(Integer, index=True)
    from_article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="RESTRICT"))
    to_article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="RESTRICT"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    approval_withdrawn: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)
    carried_by: Mapped[str] = mapped_column(String(200))
    carried_at: Mapped[str] = mapped_column(String(32))


class SuggestionDecision(Base):
    """A fact-checker's decision on one suggestion for one article: accepted (the quote it created) or
    rejected (so that it is not suggested again). Unique per (article, fingerprint).

    ``suggestion`` is the suggestion as the suggester made it (canonical JSON, see
    :mod:`annotator.suggest.stored`); ``accepted_chain`` is the chain the accept created (the
    quote's ``chain_dict()``), so that later corrections can be told apart. ``quote_id`` has no
    foreign key on purpose: the decision outlives a quote deleted later (a correction too), and a
    restored quote keeps its id.
    """

    __tablename__ = "suggestion_decision"
    __table_args__ = (
        UniqueConstraint("article_id", "fingerprint"),
        CheckConstraint("decision IN ('accepted', 'rejected')", name="decision"),
        CheckConstraint(
            "(decision = 'accepted' AND quote_id IS NOT NULL AND accepted_chain IS NOT NULL) OR "
            "(decision = 'rejected' AND quote_id IS NULL AND accepted_chain IS NULL)",
            name="accepted_has_quote",
        ),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
        CheckConstraint("fingerprint <> ''", name="fingerprint_not_empty"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="RESTRICT"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    quote_id: Mapped[int | None] = mapped_column(Integer, index=True)
    suggester_version: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    suggestion: Mapped[str] = mapped_column(Text)
    accepted_chain: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[str] = mapped_column(String(32))


class Setting(Base):
    """A per-database setting, e.g. ``four_eyes`` (JSON-encoded value)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

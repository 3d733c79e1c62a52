"""Export a quote set from the database: XML (validated, with a ``.sha256`` sidecar) or CSV.

The file formats themselves are :mod:`annotator.quotesets.xmlformat` and
:mod:`annotator.quotesets.csvformat`; this module is the database side.

**Export** (:func:`export_set`) reads one consistent snapshot (one read transaction, REPEATABLE
READ on PostgreSQL) and streams it into the writer in a stable order, so the same data gives
byte-identical files whatever the database:

* quotes by their article's uid, then start, end and uid; sign-offs oldest first (review id);
* articles and sources by uid (uids compare byte-wise, ``COLLATE "C"`` on PostgreSQL);
* only what the selected quotes need: their articles, their speakers and hops, the articles'
  outlets and, transitively, the affiliations of all of those.

Filters: ``status`` ``"verified"`` (default) or ``"all"``; ``article_ids``; ``since`` (a date):
a quote is selected when it was created, its chain edited, its status set, a sign-off given, or
any other change recorded in this database's audit log on or after that day. Timestamps are
compared on their date as written (UTC for those this tool writes).

The header records the export time (``created``, overridable for reproducible files), the user,
the tool version, the filter, the audit log's head and the four-eyes setting, read in the same
transaction as the data. ``header_overrides`` replaces any :class:`SetHeader` field after that:
``header_overrides={"audit_head_seq": None, "audit_head_sha256": None}`` (or fixed values) gives
files that compare equal across databases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select, true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

import annotator
from annotator import audit
from annotator.db import IN_CHUNK, chunks
from annotator.errors import AnnotatorError, NotFoundError, ValidationError
from annotator.model import (
    SETTINGS,
    Article,
    ArticleVersion,
    AuditEntry,
    ExternalId,
    Hop,
    Quote,
    Review,
    Setting,
    Source,
    SourceAlias,
    Status,
)
from annotator.quotesets.csvformat import write_csv
from annotator.quotesets.model import (
    FILTER_STATUSES,
    FORMATS,
    SetArticle,
    SetHeader,
    SetHop,
    SetQuote,
    SetSource,
    SignOff,
)
from annotator.quotesets.xmlformat import FORMAT_VERSION, VERSIONED_FORMAT, write_quoteset
from annotator.service import Service

log = logging.getLogger(__name__)

TOOL_NAME = "quote-annotator"
EXPORT_STATUSES = FILTER_STATUSES

_QUOTE_BATCH = 1000
"""Quotes read per round trip."""
_ARTICLE_BATCH = 8
"""Articles read per query (their texts may be megabytes each)."""
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


@dataclass(frozen=True)
class ExportSetResult:
    """What :func:`export_set` wrote."""

    path: Path
    format: str
    quotes: int
    articles: int
    sources: int
    sha256: str
    """Hex SHA-256 of the file (for XML, also in the ``FILE.sha256`` sidecar)."""
    size: int
    sidecar: Path | None
    """``FILE.sha256`` for XML; CSV has none."""
    header: SetHeader


def export_set(
    service: Service,
    path: str | Path,
    *,
    fmt: str = "xml",
    status: str = "verified",
    article_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    created: str | None = None,
    created_by: str | None = None,
    header_overrides: Mapping[str, Any] | None = None,
    cancel: Callable[[], bool] | None = None,
    witness: Path | str | bool = True,
) -> ExportSetResult:
    """Export quotes to ``path`` as an XML quote set (``fmt="xml"``) or a CSV table.

        ``status``: ``"verified"`` (default: verified quotes only) or ``"all"``. ``article_ids``: only
        quotes of these articles (local ids; ``None`` or empty: every article). ``since``: only quotes
        created or changed on or after that day (see the module docstring). ``created`` (an ISO 8601
        date-time) and ``created_by`` replace the export time and the service's user in the header;
        ``header_overrides`` replaces any other :class:`SetHeader` field (e.g. the audit head, for
        files that compare equal across databases). ``cancel`` is polled between items. ``witness``: after
    the file is written, the audit head it was made from is appended to this witness file (``True``: the
    default one, :func:`annotator.audit.default_witness_path`; ``False``: none).

        The file is written atomically: a failed or cancelled export leaves an existing file untouched.
        Raises :class:`~annotator.errors.QuoteSetError` for data that cannot be exported,
        :class:`ValidationError` for bad options and :class:`NotFoundError` for an unknown article.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ValidationError(f"unknown export format {fmt!r}: use xml or csv")
    if status not in EXPORT_STATUSES:
        raise ValidationError(f"unknown status filter {status!r}: use verified or all")
    if isinstance(since, dt.datetime):
        since = since.date()
    if since is not None and not isinstance(since, dt.date):
        raise ValidationError(f"since must be a date, not {since!r}")
    if created is None:
        created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    elif not _DATETIME.fullmatch(created):
        raise ValidationError(f"created {created!r} is not an ISO 8601 date-time, e.g. 2026-11-25T10:00:00Z")
    wanted = sorted(set(article_ids)) if article_ids else None
    try:
        with service.db.snapshot() as session:
            sel = _Selection(session, service.db.dialect, status, wanted, since)
            seq, head_sha = audit.head(session)
            header = SetHeader(
                created=created,
                created_by=created_by if created_by is not None else service.user,
                tool_name=TOOL_NAME,
                tool_version=annotator.__version__,
                filter_status=status,
                filter_articles=sel.filter_uids,
                filter_since=since.isoformat() if since is not None else None,
                audit_head_seq=seq,
                audit_head_sha256=head_sha,
                four_eyes=_four_eyes(session),
                format_version=VERSIONED_FORMAT if sel.has_versions() else FORMAT_VERSION,
            )
            if header_overrides:
                try:
                    header = dataclasses.replace(header, **dict(header_overrides))
                except TypeError as exc:
                    raise ValidationError(f"header_overrides: {exc}") from None
            if fmt == "xml":
                res = write_quoteset(path, header, sel.sources(), sel.articles(), sel.quotes(), cancel=cancel)
                result = ExportSetResult(
                    res.path,
                    "xml",
                    res.quotes,
                    res.articles,
                    res.sources,
                    res.sha256,
                    res.size,
                    res.sidecar,
                    header,
                )
            else:
                rows = write_csv(
                    path, (sel.sources(), sel.articles(with_text=False), sel.quotes()), cancel=cancel
                )
                digest, size = _file_sha256(path)
                result = ExportSetResult(
                    path, "csv", rows, len(sel.article_uids), len(sel.source_uids), digest, size, None, header
                )
            if witness is not False:
                target = audit.default_witness_path() if witness is True else Path(witness)
                audit.append_witness(
                    target, session, database=service.database_label, note=f"export {path.name}"
                )
    except SQLAlchemyError as exc:
        raise AnnotatorError(
            f"{path}: export failed, the database could not be read ({_db_message(exc)})"
        ) from exc
    log.info("exported %d quote(s) as %s to %s", result.quotes, fmt, path)
    return result


def _c(column: Any, dialect: str) -> Any:
    """``column`` compared byte-wise (PostgreSQL's default collation may follow the locale)."""
    return column.collate("C") if dialect == "postgresql" else column


def _four_eyes(session: Session) -> bool:
    row = session.get(Setting, "four_eyes")
    return bool(json.loads(row.value) if row else SETTINGS["four_eyes"][1])


class _Selection:
    """The quotes an export selects, and the articles and sources they need (ids and uids only,
    read up front; the items themselves are streamed by :meth:`sources`, :meth:`articles` and
    :meth:`quotes`)."""

    def __init__(
        self,
        session: Session,
        dialect: str,
        status: str,
        article_ids: list[int] | None,
        since: dt.date | None,
    ) -> None:
        self.s = session
        self.dialect = dialect
        self.versions: dict[int, tuple[int, str | None]] | None = None
        conds: list[Any] = []
        if status == "verified":
            conds.append(Quote.status == Status.VERIFIED.value)
        self.filter_uids: tuple[str, ...] = ()
        if article_ids is not None:
            found: dict[int, str] = {}
            for chunk in chunks(article_ids):
                found.update(
                    session.execute(select(Article.id, Article.uid).where(Article.id.in_(chunk))).all()
                )
            missing = [i for i in article_ids if i not in found]
            if missing:
                raise NotFoundError("article", missing[0])
            self.filter_uids = tuple(sorted(found.values()))
            conds.append(Quote.article_id.in_(article_ids))
        if since is not None:
            day = since.isoformat()
            changed_ids = select(AuditEntry.object_id).where(
                AuditEntry.object_type == "quote", self._c(AuditEntry.at) >= day
            )
            reviewed_ids = select(Review.quote_id).where(self._c(Review.at) >= day)
            conds.append(
                or_(
                    self._c(Quote.created_at) >= day,
                    self._c(Quote.chain_edited_at) >= day,
                    self._c(Quote.status_at) >= day,
                    Quote.id.in_(reviewed_ids),
                    Quote.id.in_(changed_ids),
                )
            )
        self.where = and_(true(), *conds)

        art_ids = set(session.scalars(select(Quote.article_id).where(self.where).distinct()))
        self.article_uids: dict[int, str] = {}
        outlets: set[int] = set()
        for chunk in chunks(art_ids):
            for aid, uid, outlet in session.execute(
                select(Article.id, Article.uid, Article.outlet_id).where(Article.id.in_(chunk))
            ):
                self.article_uids[aid] = uid
                if outlet is not None:
                    outlets.add(outlet)
        needed: set[int] = {
            sid
            for sid in session.scalars(
                select(Quote.speaker_id).where(self.where, Quote.speaker_id.is_not(None)).distinct()
            )
            if sid is not None
        }
        quote_ids = select(Quote.id).where(self.where)
        needed |= set(session.scalars(select(Hop.source_id).where(Hop.quote_id.in_(quote_ids)).distinct()))
        needed |= outlets
        self.source_uids: dict[int, str] = {}
        frontier = needed
        while frontier:
            more: set[int] = set()
            for chunk in chunks(frontier):
                for sid, uid, aff in session.execute(
                    select(Source.id, Source.uid, Source.affiliation_id).where(Source.id.in_(chunk))
                ):
                    self.source_uids[sid] = uid
                    if aff is not None and aff not in self.source_uids:
                        more.add(aff)
            frontier = more - set(self.source_uids)

    def _c(self, column: Any) -> Any:
        return _c(column, self.dialect)

    def has_versions(self) -> bool:
        """Whether an exported article is version 2 or later, or a sign-off was made on one: the
        set must then be written in format 1.1, which says so."""
        return any(n > 1 for n, _ in self._versions().values()) or self._reviews_on_later_versions()

    def _versions(self) -> dict[int, tuple[int, str | None]]:
        """``article id -> (version number, uid of the first version or None)`` of exported articles."""
        if self.versions is None:
            self.versions = {}
            first = aliased(Article)
            for chunk in chunks(self.article_uids):
                for aid, number, root_uid in self.s.execute(
                    select(ArticleVersion.article_id, ArticleVersion.number, first.uid)
                    .join(first, first.id == ArticleVersion.lineage_id)
                    .where(ArticleVersion.article_id.in_(chunk), ArticleVersion.number > 1)
                ):
                    self.versions[aid] = (number, root_uid)
        return self.versions

    def _reviews_on_later_versions(self) -> bool:
        quote_ids = select(Quote.id).where(self.where)
        found = self.s.scalar(
            select(Review.id)
            .join(ArticleVersion, ArticleVersion.article_id == Review.article_id)
            .where(Review.quote_id.in_(quote_ids), ArticleVersion.number > 1)
            .limit(1)
        )
        return found is not None

    def sources(self) -> Iterator[SetSource]:
        s = self.s
        ordered = sorted(self.source_uids.items(), key=lambda item: item[1])
        for chunk in chunks(ordered):
            ids = [sid for sid, _uid in chunk]
            rows = {src.id: src for src in s.scalars(select(Source).where(Source.id.in_(ids)))}
            aliases: dict[int, list[str]] = defaultdict(list)
            for sid, alias in s.execute(
                select(SourceAlias.source_id, SourceAlias.alias).where(SourceAlias.source_id.in_(ids))
            ):
                aliases[sid].append(alias)
            ext: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for sid, scheme, value in s.execute(
                select(ExternalId.source_id, ExternalId.scheme, ExternalId.value).where(
                    ExternalId.source_id.in_(ids)
                )
            ):
                ext[sid].append((scheme, value))
            for sid in ids:
                src = rows[sid]
                yield SetSource(
                    id=src.uid,
                    kind=src.kind,
                    name=src.name,
                    role=src.role,
                    affiliation=self.source_uids[src.affiliation_id]
                    if src.affiliation_id is not None
                    else None,
                    descriptor=src.descriptor,
                    nationality=src.nationality,
                    aliases=tuple(sorted(aliases[sid])),
                    external_ids=tuple(sorted(ext[sid])),
                )
            s.expunge_all()

    def articles(self, *, with_text: bool = True) -> Iterator[SetArticle]:
        s = self.s
        cols = [
            Article.id,
            Article.uid,
            Article.title,
            Article.outlet_id,
            Article.url,
            Article.byline,
            Article.published,
            Article.language,
            Article.text_sha256,
        ]
        if with_text:
            cols.append(Article.text)
        ordered = sorted(self.article_uids.items(), key=lambda item: item[1])
        for chunk in chunks(ordered, _ARTICLE_BATCH if with_text else IN_CHUNK):
            ids = [aid for aid, _uid in chunk]
            rows = {r.id: r for r in s.execute(select(*cols).where(Article.id.in_(ids)))}
            for aid in ids:
                r = rows.pop(aid)
                number, first_uid = self._versions().get(aid, (1, None))
                yield SetArticle(
                    id=r.uid,
                    version=number,
                    version_of=first_uid,
                    title=r.title
                    or None,  # the database has no "no title": an empty one is written as absent
                    outlet=self.source_uids[r.outlet_id] if r.outlet_id is not None else None,
                    url=r.url,
                    byline=r.byline,
                    published=r.published.isoformat() if r.published is not None else None,
                    language=r.language,
                    text_sha256=r.text_sha256,
                    text=r.text if with_text else "",
                )

    def quotes(self) -> Iterator[SetQuote]:
        s = self.s
        stmt = (
            select(
                Quote.id,
                Quote.uid,
                Article.uid.label("article_uid"),
                Quote.start,
                Quote.end,
                Quote.text,
                Quote.prefix,
                Quote.suffix,
                Quote.type,
                Quote.cue_start,
                Quote.cue_end,
                Quote.speaker_id,
                Quote.status,
                Quote.evidence_url,
                Quote.archive_url,
                Quote.note,
                Quote.status_by,
                Quote.status_at,
                Quote.created_by,
                Quote.created_at,
            )
            .join(Article, Article.id == Quote.article_id)
            .where(self.where)
            .order_by(self._c(Article.uid), Quote.start, Quote.end, self._c(Quote.uid))
            .execution_options(yield_per=_QUOTE_BATCH)
        )
        uids = self.source_uids
        for rows in s.execute(stmt).partitions():
            ids = [r.id for r in rows]
            hops: dict[int, list[SetHop]] = defaultdict(list)
            for qid, sid, relation, ev_start, ev_end in s.execute(
                select(Hop.quote_id, Hop.source_id, Hop.relation, Hop.evidence_start, Hop.evidence_end)
                .where(Hop.quote_id.in_(ids))
                .order_by(Hop.quote_id, Hop.position)
            ):
                ev = (ev_start, ev_end) if ev_start is not None and ev_end is not None else None
                hops[qid].append(SetHop(uids[sid], relation, ev))
            signoffs: dict[int, list[SignOff]] = defaultdict(list)
            for qid, reviewer, at, verdict, comment, chain, number in s.execute(
                select(
                    Review.quote_id,
                    Review.reviewer,
                    Review.at,
                    Review.verdict,
                    Review.comment,
                    Review.chain_sha256,
                    ArticleVersion.number,  # NULL: made on version 1
                )
                .outerjoin(ArticleVersion, ArticleVersion.article_id == Review.article_id)
                .where(Review.quote_id.in_(ids))
                .order_by(Review.quote_id, Review.id)
            ):
                signoffs[qid].append(SignOff(reviewer, at, verdict, comment, chain, number or 1))
            for r in rows:
                yield SetQuote(
                    id=r.uid,
                    article=r.article_uid,
                    start=r.start,
                    end=r.end,
                    text=r.text,
                    prefix=r.prefix,
                    suffix=r.suffix,
                    type=r.type,
                    cue=(r.cue_start, r.cue_end)
                    if r.cue_start is not None and r.cue_end is not None
                    else None,
                    speaker=uids[r.speaker_id] if r.speaker_id is not None else None,
                    hops=tuple(hops.get(r.id, ())),
                    status=r.status,
                    evidence_url=r.evidence_url,
                    archive_url=r.archive_url,
                    note=r.note,
                    status_by=r.status_by,
                    status_at=r.status_at,
                    created_by=r.created_by,
                    created_at=r.created_at,
                    signoffs=tuple(signoffs.get(r.id, ())),
                )


def _file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 16):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _db_message(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip().splitlines()[0]


__all__ = ["ExportSetResult", "export_set"]

"""The one service API: every read and every change the CLI and the GUI make goes through here.

Each operation is one transaction that also writes its audit entries, takes the acting user's
name (the service's ``user``), and returns an :class:`OpResult` saying what changed, with the
object's record before and after. A delete's ``before`` record is all that is needed to restore the
exact rows (same ids), which is what the GUI's undo relies on. Errors are typed
(:mod:`annotator.errors`) and readable; a failed operation changes nothing.
"""

from __future__ import annotations

import bisect
import dataclasses
import gzip
import hashlib
import itertools
import json
import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Select, Table, and_, bindparam, func, insert, or_, select, union, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from annotator import anchoring, audit, validation
from annotator.canonical import context, match_rank
from annotator.canonical import escape_like as _escape_like
from annotator.db import Database
from annotator.errors import (
    AmbiguousSourceError,
    ArticleImportError,
    ChainError,
    ConflictError,
    DatabaseError,
    FetchError,
    NotFoundError,
    ReadOnlyDatabaseError,
    ValidationError,
    database_message,
)
from annotator.model import (
    SETTINGS,
    Article,
    ArticleVersion,
    AuditEntry,
    ExternalId,
    Hop,
    Quote,
    QuoteCarry,
    QuoteType,
    Review,
    Setting,
    Source,
    SourceAlias,
    SourceKind,
    Status,
    SuggestionDecision,
    Verdict,
)
from annotator.names import find_alias_clash, name_key, wanted_aliases
from annotator.records import (
    ArticleRecord,
    HistoryEntry,
    HopRecord,
    QuoteCarryRecord,
    QuoteRecord,
    Record,
    ReviewRecord,
    SettingRecord,
    SourceRecord,
    Span,
    SuggestionDecisionRecord,
    article_record,
    canonical_json,
    decision_record,
    load_quote_records,
    quote_carry_record,
    quote_record,
    review_record,
    select_quote_records,
    select_source_records,
    source_record,
)
from annotator.recordtypes import ArticleSummary as ArticleSummary
from annotator.vocab import check_status as _check_status
from annotator.wording import quote_chain_text

if TYPE_CHECKING:
    from annotator.suggest import SourceRef, Suggester, Suggestion

log = logging.getLogger(__name__)

RAW_GZIP_LEVEL = 1
"""gzip level of the raw bytes kept with each version (see ``ArticleVersion.raw``): the fastest;
level 6 compresses text ~20% better at ten times the time (1 s for a 5 MB page)."""

UNSET: Any = object()
"""Default of optional keyword arguments: "leave this field as it is"."""


@dataclass(frozen=True)
class Change:
    """One object changed by an operation. ``before`` is None for a creation, ``after`` for a deletion."""

    object_type: str
    object_id: int
    before: Record | None
    after: Record | None


@dataclass(frozen=True)
class OpResult:
    """What an operation changed, in order."""

    action: str
    changes: tuple[Change, ...]
    audit_seq: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def ids(self, object_type: str) -> list[int]:
        return [c.object_id for c in self.changes if c.object_type == object_type]

    def after(self, object_type: str) -> Any:
        """The ``after`` record of the first change of that type."""
        return next(c.after for c in self.changes if c.object_type == object_type)

    def before(self, object_type: str) -> Any:
        return next(c.before for c in self.changes if c.object_type == object_type)

    @property
    def quote(self) -> QuoteRecord:
        return self.after("quote")  # type: ignore[no-any-return]

    @property
    def source(self) -> SourceRecord:
        return self.after("source")  # type: ignore[no-any-return]


@dataclass(frozen=True)
class AcceptedSuggestion:
    """What accepting one suggestion created: all that undoing (and redoing) the accept needs."""

    quote: QuoteRecord
    decision: SuggestionDecisionRecord
    created_sources: tuple[SourceRecord, ...]
    """The sources the accept added to the registry (none when the chain's sources were known)."""


@dataclass(frozen=True)
class ImportReport:
    """The outcome of importing several files: each file succeeds or fails on its own."""

    imported: list[tuple[Path, ArticleRecord]] = field(default_factory=list)
    unchanged: list[tuple[Path, ArticleRecord]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    """Refused files (and symbolic links not followed) with the reason."""
    cancelled: bool = False
    warnings: list[tuple[Path, str]] = field(default_factory=list)
    """What was repaired or dropped in files that did import (see ``ExtractedArticle.warnings``)."""

    def summary(self) -> str:
        """One line for the user: ``"N imported, M refused"`` (and what else happened)."""
        parts = [f"{len(self.imported)} imported"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already there")
        parts.append(f"{len(self.failed)} refused")
        if self.warnings:
            parts.append(f"{len(self.warnings)} with warnings")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)

    @property
    def exit_code(self) -> int:
        """0 when every file was imported or already there, 1 when any was refused or the run cancelled."""
        return 1 if self.failed or self.cancelled else 0


@dataclass(frozen=True)
class VersionChanges:
    """What became of an article's quotes between two of its versions (:meth:`Service.changes`)."""

    old: ArticleRecord
    new: ArticleRecord
    reports: list[QuoteCarryRecord]
    """Each quote that moved, changed or was lost on the way (one per version step), oldest first."""
    quotes: Mapping[int, QuoteRecord]
    """The reported quotes as they are now (a lost one: on the version it was left on)."""
    carried: int
    """How many quotes the newer version holds."""

    def by_outcome(self, outcome: str) -> list[QuoteCarryRecord]:
        return [r for r in self.reports if r.outcome == outcome]


@dataclass(frozen=True)
class VersionComparison:
    """Two versions of an article, aligned (:meth:`Service.compare`); spans are code points."""

    old: ArticleRecord
    new: ArticleRecord
    old_text: str
    new_text: str
    blocks: tuple[tuple[int, int, int], ...]
    """``(old start, new start, length)`` of each run of text equal in both, in order."""
    deleted: tuple[Span, ...]
    """Ranges of the old text that the new one does not have (deleted or replaced)."""
    inserted: tuple[Span, ...]
    """Ranges of the new text that the old one did not have (inserted or replacing)."""


@dataclass(frozen=True)
class QuoteDetail:
    """One quote with everything shown around it, read in one transaction (:meth:`Service.quote_detail`).

    ``sources`` holds the chain's sources, the article's outlet, and their affiliations. The
    article's text (megabytes) is only there when asked for; the words of the cue and of each hop's
    evidence always are.
    """

    quote: QuoteRecord
    article: ArticleRecord
    sources: Mapping[int, SourceRecord]
    change_request: ReviewRecord | None
    """The open change request (see :meth:`Service.open_change_request`), or None."""
    chain_sha256: str
    """What a reviewer signs for the chain as it is now (see :func:`portable_chain`)."""
    chain_text: str
    """``Moscow ← a Turkish official ← CNN ← El País`` (:func:`annotator.wording.quote_chain_text`)."""
    cue_text: str | None
    evidence_texts: tuple[str | None, ...]
    """The words of each hop's evidence span, in hop order (None where a hop has none)."""
    text: str | None = None
    """The article's canonical text, when read with ``with_text=True``."""

    @property
    def outlet(self) -> SourceRecord | None:
        oid = self.article.outlet_id
        return self.sources.get(oid) if oid is not None else None

    def label(self, source_id: int | None) -> str:
        """A chain source's label (``#id`` if unknown; empty for None)."""
        if source_id is None:
            return ""
        rec = self.sources.get(source_id)
        return rec.label if rec is not None else f"#{source_id}"


@dataclass(frozen=True)
class QuotesContext:
    """Many quotes with what the review queue and the chain rules look at, read in one transaction
    and a fixed number of queries (:meth:`Service.quotes_context`)."""

    quotes: list[QuoteRecord]
    articles: Mapping[int, ArticleRecord]
    texts: Mapping[int, str]
    """Each article's canonical text (empty when read without texts)."""
    sources: Mapping[int, SourceRecord]
    """Every source the quotes' chains and their articles' outlets name."""
    change_requests: Mapping[int, ReviewRecord]
    """The open change request of each quote that has one."""


class _Op:
    """The state of one running operation: its session, audit transaction id and changes."""

    def __init__(self, service: Service, session: Session, action: str) -> None:
        self.service = service
        self.session = session
        self.action = action
        self.txn = str(uuid.uuid4())
        self.at = audit.utc_now()
        self.changes: list[Change] = []
        self.extra: dict[str, Any] = {}
        self.last_seq: int | None = None
        self.result: OpResult | None = None

    def record(self, before: Record | None, after: Record | None, *, action: str | None = None) -> None:
        ref = after if after is not None else before
        assert ref is not None
        if before is not None and after is not None and before == after:
            return  # nothing changed: no audit entry
        self.last_seq = audit.append(
            self.session, txn=self.txn, actor=self.service.user, action=action or self.action,
            object_type=ref.object_type, object_id=ref.id, before=before, after=after, at=self.at,
        )  # fmt: skip
        self.changes.append(Change(ref.object_type, ref.id, before, after))

    def record_many(
        self,
        changes: Iterable[tuple[Record | None, Record | None]],
        *,
        action: str | None = None,
        actions: Iterable[str] | None = None,
    ) -> None:
        """:meth:`record` for many objects at once, their entries inserted in batches (bulk imports).
        The entries are those ``record`` would write one at a time; ``actions`` gives each change
        its own action (else ``action``, else the operation's)."""
        entries: list[audit.NewEntry] = []
        each = iter(actions) if actions is not None else itertools.repeat(action or self.action)
        for (before, after), act in zip(changes, each, strict=False):
            ref = after if after is not None else before
            assert ref is not None
            if before is not None and after is not None and before == after:
                continue
            entries.append((act, ref.object_type, ref.id, before, after))
            self.changes.append(Change(ref.object_type, ref.id, before, after))
        if entries:
            self.last_seq = audit.append_many(self.session, entries, txn=self.txn, actor=self.service.user,
                                              at=self.at)[0]  # fmt: skip


class Service:
    """Operations on one database on behalf of one user.

    >>> svc = Service(Database.open(), user="ana")           # doctest: +SKIP
    >>> q = svc.create_quote(article_id, 1571, 1713).quote   # doctest: +SKIP
    """

    def __init__(self, db: Database, user: str) -> None:
        if not user or not user.strip():
            raise ValidationError("a user name is required: every change is recorded with who made it")
        self.db = db
        self.user = validation.check_user(user.strip())
        self._texts: OrderedDict[int, tuple[str, str]] = OrderedDict()
        self._suggester: Suggester | None = None

    # -- transactions -----------------------------------------------------------------------

    @contextmanager
    def _op(self, action: str) -> Iterator[_Op]:
        holder: list[_Op] = []
        try:
            with self.db.write() as session:
                op = _Op(self, session, action)
                holder.append(op)
                yield op
                session.flush()
        except IntegrityError as exc:
            raise ValidationError(f"{action}: refused by the database ({database_message(exc)})") from exc
        except OperationalError as exc:
            raise ValidationError(
                f"{action}: the database refused the change ({database_message(exc)})"
            ) from exc
        except SQLAlchemyError as exc:  # DataError, encoding errors…: one line, never the SQL
            detail = database_message(exc)
            raise DatabaseError(f"{action}: the database refused the change ({detail})", detail) from exc
        op = holder[0]
        op.result = OpResult(action, tuple(op.changes), op.last_seq, op.extra)

    def operation(self, action: str) -> Any:
        """The scope of one operation, for core modules that compose one (e.g. a quote-set import):
        ``with svc.operation("import set") as op:`` gives ``op.session`` (one write transaction),
        ``op.record(before, after)`` (an audit entry per changed object) and ``op.extra``; after the
        block, ``op.result`` is the :class:`OpResult`. Everything commits together or not at all."""
        return self._op(action)

    def _run(self, action: str, fn: Callable[[_Op], None]) -> OpResult:
        with self._op(action) as op:
            fn(op)
        assert op.result is not None
        return op.result

    # -- loading helpers --------------------------------------------------------------------

    def _article(self, session: Session, article_id: int) -> Article:
        a = session.get(Article, article_id)
        if a is None:
            raise NotFoundError("article", article_id)
        return a

    def _text(self, session: Session, article: Article | _ArticleBounds) -> str:
        """The article's canonical text (cached: it is frozen, so the cache is checked by uid only)."""
        hit = self._texts.get(article.id)
        if hit is not None and hit[0] == article.uid:
            self._texts.move_to_end(article.id)
            return hit[1]
        text = session.scalar(select(Article.text).where(Article.id == article.id))
        assert text is not None
        self._texts[article.id] = (article.uid, text)
        while len(self._texts) > 8:
            self._texts.popitem(last=False)
        return text

    def _article_for_write(self, session: Session, article_id: int) -> tuple[_ArticleBounds, str]:
        """The article and its canonical text in one query, which also reads the audit log's head
        for the operation's entries (the text only when not cached) and refuses an article that has
        a newer version (quotes are made on the newest)."""
        cached = self._texts.get(article_id)
        stmt = _ARTICLE_FOR_WRITE if cached is not None else _ARTICLE_FOR_WRITE_WITH_TEXT
        row = session.connection().execute(stmt, {"article_id": article_id}).first()
        if row is None:
            raise NotFoundError("article", article_id)
        art = _ArticleBounds(row[0], row[1], row[2], row[3])
        if row[4] is not None:
            newer = f"version {row[5]}, article {row[4]}"
            raise ValidationError(f"article {art.id} has a newer version ({newer}): annotate that one")
        audit.prime_head(session, row[6], row[7])
        if cached is not None and cached[0] == art.uid:
            self._texts.move_to_end(article_id)
            return art, cached[1]
        if cached is None:
            text = tuple(row)[8]
        else:  # the cache held another article under that id (another database)
            text = session.scalar(select(Article.text).where(Article.id == article_id))
        assert text is not None
        self._texts[article_id] = (art.uid, text)
        while len(self._texts) > 8:
            self._texts.popitem(last=False)
        return art, text

    def _quote(self, session: Session, quote_id: int) -> Quote:
        q = session.get(Quote, quote_id)
        if q is None:
            raise NotFoundError("quote", quote_id)
        return q

    def _source(self, session: Session, source_id: int) -> Source:
        s = session.get(Source, source_id)
        if s is None:
            raise NotFoundError("source", source_id)
        return s

    # == Articles ============================================================================

    def import_article(self, extracted: Any, *, page: Any = None) -> OpResult:
        """Store an :class:`annotator.importing.ExtractedArticle`; a text already held is a no-op.

        ``page``: the :class:`annotator.fetching.FetchedPage` it came from, when fetched.
        ``extra["created"]`` tells which; ``extra["article"]`` is the article's record either way.
        """
        _check_extracted(extracted)
        with self._op("import article") as op:
            s = op.session
            existing = s.scalar(select(Article).where(Article.text_sha256 == extracted.text_sha256))
            if existing is not None:
                op.extra.update(created=False, article=article_record(existing))
            else:
                rec = self._new_article(op, extracted, page)
                op.extra.update(created=True, article=rec)
        assert op.result is not None
        return op.result

    def _new_article(
        self, op: _Op, extracted: Any, page: Any, *, lineage: Article | None = None, number: int = 1
    ) -> ArticleRecord:
        """Add an article row (version ``number`` of ``lineage``, or a new article) and its version row."""
        s = op.session
        outlet_id = lineage.outlet_id if lineage is not None else None
        if extracted.outlet:
            outlet_id = self._outlet_for(op, extracted.outlet)
        title = _title(extracted, lineage.title if lineage is not None and not extracted.title else None)
        url = extracted.url or (page.final_url if page is not None else None)
        if url is not None:
            validation.check(url, "URL", column=Article.url)
        fetched = {
            "fetch_url": page.url if page is not None else None,
            "final_url": page.final_url if page is not None else None,
            "fetched_at": page.fetched_at if page is not None else None,
            "http_date": page.http_date if page is not None else None,
            "http_etag": page.etag if page is not None else None,
            "http_last_modified": page.last_modified if page is not None else None,
            "declared_charset": extracted.declared_charset,
        }
        for name, value in fetched.items():
            if value is not None:
                validation.check(value, name.replace("_", " "), column=getattr(ArticleVersion, name))
        art = Article(
            uid=str(uuid.uuid4()),
            title=title,
            outlet_id=outlet_id,
            url=url,
            byline=extracted.byline,
            published=extracted.published,
            language=extracted.language,
            filename=extracted.filename,
            format=extracted.format,
            encoding=extracted.encoding,
            raw_sha256=extracted.raw_sha256,
            text_sha256=extracted.text_sha256,
            text=extracted.text,
            text_length=len(extracted.text),
            imported_at=op.at,
            imported_by=self.user,
        )
        s.add(art)
        s.flush()
        s.add(
            ArticleVersion(
                article_id=art.id,
                lineage_id=lineage.id if lineage is not None else art.id,
                number=number,
                **fetched,
                raw=gzip.compress(extracted.raw, compresslevel=RAW_GZIP_LEVEL, mtime=0)
                if extracted.raw
                else None,
            )
        )
        s.flush()
        s.refresh(art, ["version_info"])
        rec = article_record(art)
        op.record(None, rec, action="import article" if number == 1 else f"add version {number}")
        return rec

    def _outlet_for(self, op: _Op, name: str) -> int:
        """The outlet source of that name, created when the registry has none."""
        found = self._match_sources(op.session, name)
        outlets = [s for s in found if s.kind == SourceKind.OUTLET]
        if outlets:
            return outlets[0].id
        src = self._new_source(op, kind=SourceKind.OUTLET.value, name=name)
        return src.id

    def import_file(self, path: Path | str) -> OpResult:
        """Read one file (see :mod:`annotator.importing`) and store it.

        ``extra["warnings"]`` lists what was repaired or dropped on the way (empty for a clean file).
        """
        from annotator.importing import read_article

        extracted = read_article(Path(path))
        try:
            result = self.import_article(extracted)
        except ValidationError as exc:  # say which file, as a refusal of the reader does
            raise ArticleImportError(path, str(exc)) from exc
        result.extra["warnings"] = list(extracted.warnings)
        return result

    def import_paths(
        self,
        paths: Iterable[Path | str],
        *,
        recursive: bool = False,
        progress: Callable[[int, int, Path], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import files and folders (the article files in a folder, its subfolders only when
        ``recursive``). Each file is its own transaction: a refused file is reported and the rest of
        the batch goes on. A file named directly is read even through a symbolic link; inside a
        folder, a link that leads out of it is refused, not followed."""
        from annotator.importing import SUPPORTED_SUFFIXES, read_article, scan_folder

        files: list[tuple[Path, Path | None]] = []  # (file, the folder it must stay inside)
        report = ImportReport()
        for p in map(Path, paths):
            if p.is_dir():
                scan = scan_folder(p, recursive=recursive)
                files.extend((f, p) for f in scan.files)
                report.failed.extend(scan.refused)
            else:
                files.append((p, None))
        for i, (path, folder) in enumerate(files):
            if cancelled is not None and cancelled():
                return ImportReport(
                    report.imported, report.unchanged, report.failed, cancelled=True, warnings=report.warnings
                )
            if progress is not None:
                progress(i, len(files), path)
            try:
                if path.suffix.lower() not in SUPPORTED_SUFFIXES and path.exists() and not path.is_dir():
                    raise ArticleImportError(path, f"unsupported file type {path.suffix or '(none)'!r}")
                extracted = read_article(path) if folder is None else read_article(path, within=folder)
                result = self.import_article(extracted)
            except ArticleImportError as exc:
                report.failed.append((path, exc.reason))
                continue
            except ReadOnlyDatabaseError:
                raise  # every file would be refused for the same reason: say it once
            except (ValidationError, DatabaseError) as exc:
                report.failed.append((path, str(exc)))
                continue
            target = report.imported if result.extra["created"] else report.unchanged
            target.append((path, result.extra["article"]))
            report.warnings.extend((path, w) for w in extracted.warnings)
        if progress is not None:
            progress(len(files), len(files), Path())
        return report

    def articles(self, *, search: str | None = None) -> list[ArticleSummary]:
        """Every article (its newest version) with its quote counts, in the order they were first imported."""
        counts = (
            select(
                Quote.article_id,
                func.count().label("n"),
                func.sum(func.cast(Quote.status == Status.VERIFIED.value, _int())).label("v"),
                func.sum(func.cast(Quote.status == Status.NEEDS_REVIEW.value, _int())).label("r"),
            )
            .group_by(Quote.article_id)
            .subquery()
        )
        older, newer = ArticleVersion.__table__.alias("older"), ArticleVersion.__table__.alias("newer")
        superseded = union(
            select(newer.c.lineage_id).where(newer.c.number > 1),
            select(older.c.article_id).join(
                newer, and_(newer.c.lineage_id == older.c.lineage_id, newer.c.number > older.c.number)
            ),
        )
        mine = ArticleVersion.__table__.alias("mine")
        stmt: Select[Any] = (
            select(Article, Source.name, counts.c.n, counts.c.v, counts.c.r)
            .outerjoin(Source, Source.id == Article.outlet_id)
            .outerjoin(counts, counts.c.article_id == Article.id)
            .outerjoin(mine, mine.c.article_id == Article.id)
            .where(Article.id.not_in(superseded))
            .order_by(func.coalesce(mine.c.lineage_id, Article.id))
        )
        if search:
            like = f"%{search}%"
            stmt = stmt.where(or_(Article.title.ilike(like), Source.name.ilike(like)))
        with self.db.read() as s:
            return [
                ArticleSummary(article_record(a), outlet, n or 0, v or 0, r or 0)
                for a, outlet, n, v, r in s.execute(stmt)
            ]

    def article(self, article_id: int) -> ArticleRecord:
        with self.db.read() as s:
            return article_record(self._article(s, article_id))

    def article_text(self, article_id: int) -> str:
        with self.db.read() as s:
            return self._text(s, self._article(s, article_id))

    def article_by_ref(self, ref: str) -> ArticleRecord:
        """An article by id, uid (or a unique uid prefix of 4+ characters), or exact title."""
        with self.db.read() as s:
            a = _by_ref(s, Article, ref, title_column=Article.title)
            if a is None:
                raise NotFoundError("article", ref)
            return article_record(a)

    # == Versions ============================================================================

    def versions(self, article_id: int) -> list[ArticleRecord]:
        """Every version of the article that ``article_id`` is a version of, oldest first."""
        with self.db.read() as s:
            return [article_record(a) for a in self._lineage(s, self._article(s, article_id))]

    def latest_version(self, article_id: int) -> ArticleRecord:
        """The newest version of the article that ``article_id`` is a version of."""
        return self.versions(article_id)[-1]

    def version(self, article_id: int, number: int) -> ArticleRecord:
        """Version ``number`` (1 = the first) of the article that ``article_id`` is a version of."""
        found = [v for v in self.versions(article_id) if v.version == number]
        if not found:
            raise NotFoundError(f"version of article {article_id} numbered", number)
        return found[0]

    def version_text(self, article_id: int, number: int) -> str:
        """The canonical text of version ``number`` of the article."""
        return self.article_text(self.version(article_id, number).id)

    def _newer_version(self, session: Session, art: Article) -> tuple[int, int] | None:
        """``(article id, number)`` of the newest version of ``art``'s article, when newer than ``art``."""
        v = art.version_info
        root, number = (v.lineage_id, v.number) if v is not None else (art.id, 1)
        row = session.execute(
            select(ArticleVersion.article_id, ArticleVersion.number)
            .where(ArticleVersion.lineage_id == root, ArticleVersion.number > number)
            .order_by(ArticleVersion.number.desc())
            .limit(1)
        ).first()
        return (row[0], row[1]) if row is not None else None

    def _lineage(self, session: Session, art: Article) -> list[Article]:
        v = art.version_info
        root_id = v.lineage_id if v is not None else art.id
        members = select(ArticleVersion.article_id).where(ArticleVersion.lineage_id == root_id)
        rows = session.scalars(
            select(Article).where(or_(Article.id == root_id, Article.id.in_(members)))
        ).all()
        return sorted(rows, key=lambda a: a.version_info.number if a.version_info is not None else 1)

    def import_version(self, article_id: int, path: Path | str) -> OpResult:
        """Read a file as a new version of an article (:meth:`add_version`)."""
        from annotator.importing import read_article

        extracted = read_article(Path(path))
        result = self.add_version(article_id, extracted)
        result.extra["warnings"] = list(extracted.warnings)
        return result

    def import_url(self, url: str, *, version_of: int | None = None, transport: Any = None) -> OpResult:
        """Fetch a page (see :func:`annotator.fetching.fetch`) and store its article.

        The page is a new version of ``version_of`` when given, else of the article last fetched
        from that URL (asked for or redirected to), if any: see :meth:`add_version`. Otherwise it is a
        new article (or, if its text is held already, that article). The fetch runs before the
        transaction: a failure (:class:`~annotator.errors.FetchError`) changes nothing.
        """
        from annotator.fetching import fetch
        from annotator.importing import extract_article

        page = fetch(url, transport=transport)
        name = (Path(page.final_url.split("?", 1)[0].rstrip("/")).name or "index.html")[:200]
        try:
            extracted = extract_article(
                page.data, source=page.final_url, filename=name, html=True, declared=page.charset
            )
        except ArticleImportError as exc:
            raise FetchError(url, exc.reason) from None
        if version_of is None:
            with self.db.read() as s:
                version_of = self._fetched_from(s, page.url, page.final_url)
        if version_of is not None:
            result = self.add_version(version_of, extracted, page=page)
        else:
            result = self.import_article(extracted, page=page)
        result.extra["warnings"] = list(extracted.warnings)
        result.extra["page"] = page
        return result

    def _fetched_from(self, session: Session, *urls: str) -> int | None:
        """The article last fetched from one of these URLs (or whose page names one as its own), if any."""
        vt = ArticleVersion
        found = session.scalar(
            select(vt.lineage_id)
            .where(or_(vt.fetch_url.in_(urls), vt.final_url.in_(urls)))
            .order_by(vt.article_id.desc())
            .limit(1)
        )
        if found is None:
            found = session.scalar(
                select(Article.id).where(Article.url.in_(urls)).order_by(Article.id.desc())
            )
        return found

    def add_version(self, article_id: int, extracted: Any, *, page: Any = None) -> OpResult:
        """Add ``extracted`` (an :class:`annotator.importing.ExtractedArticle`) as the newest version
        of the article that ``article_id`` is a version of, and carry its quotes there.

        A text equal to the newest version's adds nothing: ``extra["created"]`` is False and
        ``extra["article"]`` the newest version. Otherwise, in one transaction: the new version, then
        every quote of the version before it re-anchored (:mod:`annotator.versions.carry`) and moved
        to the new version, or left on its version as an orphan when lost. Each quote changed or
        lost gets a :class:`QuoteCarryRecord` (old and new texts, the reason); every change is
        audited, the quote's entry naming its outcome (``carry to version 2: moved``). A verified
        quote whose text, cue or evidence changed, or that was lost, goes back to review (its
        approval withdrawn, with the reason); one that only moved stays verified. ``extra``:
        ``created``, ``article`` (the new version), ``previous`` (the version before it) and
        ``outcomes`` (a count per outcome).
        """

        def run(op: _Op) -> None:
            s = op.session
            lineage = self._lineage(s, self._article(s, article_id))
            root, latest = lineage[0], lineage[-1]
            if extracted.text_sha256 == latest.text_sha256:
                op.extra.update(created=False, article=article_record(latest), previous=None, outcomes={})
                return
            same = s.scalar(select(Article).where(Article.text_sha256 == extracted.text_sha256))
            if same is not None:
                numbers = {a.id: (a.version_info.number if a.version_info else 1) for a in lineage}
                if same.id in numbers:
                    raise ValidationError(
                        f"the new text is the text of version {numbers[same.id]} of article {root.id} again: "
                        "an article's versions are kept once each, so nothing was added"
                    )
                raise ValidationError(
                    f"this text is already article {same.id} ({same.title!r}), not a new version of article "
                    f"{root.id}: nothing was added"
                )
            number = len(lineage) + 1
            rec = self._new_article(op, extracted, page, lineage=root, number=number)
            new_art = self._article(s, rec.id)
            outcomes = self._carry_quotes(op, latest, new_art, extracted.text, number)
            op.extra.update(created=True, article=rec, previous=article_record(latest), outcomes=outcomes)

        return self._run("add version", run)

    def _carry_quotes(
        self, op: _Op, old: Article, new: Article, new_text: str, number: int
    ) -> dict[str, int]:
        from annotator.versions.anchor import Outcome
        from annotator.versions.carry import carry_quotes

        s = op.session
        qt, ht = Quote.__table__, Hop.__table__
        assert isinstance(ht, Table)
        before = select_quote_records(s, qt.c.article_id == old.id)
        carries = carry_quotes(self._text(s, old), new_text, before)
        counts = {o.value: 0 for o in Outcome}
        quote_rows: list[dict[str, Any]] = []
        hop_rows: list[dict[str, Any]] = []
        afters: list[QuoteRecord] = []
        reports: list[QuoteCarry] = []
        for q, c in zip(before, carries, strict=True):
            counts[c.outcome.value] += 1
            values: dict[str, Any] = {}
            withdraw = c.withdraws_approval and q.status == Status.VERIFIED.value
            if withdraw:
                values.update(status=Status.NEEDS_REVIEW.value, status_by=self.user, status_at=op.at)
            hops = q.hops
            if c.outcome != Outcome.LOST:
                assert c.quote.new is not None
                start, end = c.quote.new
                prefix, suffix = context(new_text, start, end)
                cue = c.cue.new if c.cue is not None else None
                hops = tuple(
                    HopRecord(h.source_id, h.relation, ev.new if ev is not None else None)
                    for h, ev in zip(q.hops, c.evidence, strict=True)
                )
                values.update(
                    article_id=new.id, article_length=new.text_length, start=start, end=end,
                    text=new_text[start:end], prefix=prefix, suffix=suffix,
                    cue_start=cue[0] if cue else None, cue_end=cue[1] if cue else None,
                )  # fmt: skip
                for pos, (h_old, h_new) in enumerate(zip(q.hops, hops, strict=True)):
                    if h_old.evidence != h_new.evidence:
                        ev = h_new.evidence or (None, None)
                        hop_rows.append({"qid": q.id, "pos": pos, "es": ev[0], "ee": ev[1]})
            if values:
                quote_rows.append({"id": q.id, **values})
            record_values = {
                k: v for k, v in values.items() if k not in ("article_length", "cue_start", "cue_end")
            }
            if "cue_start" in values:
                record_values["cue"] = cue
            afters.append(QuoteRecord._bulk({**q.__dict__, **record_values, "hops": hops}))  # all fields set
            if c.outcome in (Outcome.CHANGED, Outcome.LOST):  # moved or unchanged: the quote's entry says so
                reports.append(
                    QuoteCarry(
                        quote_id=q.id,
                        from_article_id=old.id,
                        to_article_id=new.id,
                        outcome=c.outcome.value,
                        approval_withdrawn=withdraw,
                        reason=c.reason(number),
                        detail=canonical_json(c.to_dict()),
                        carried_by=self.user,
                        carried_at=op.at,
                    )  # fmt: skip
                )
        assert isinstance(qt, Table)
        columns = {"start": "span_start", "end": "span_end"}
        by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in quote_rows:  # one executemany per set of columns changed (Core: no ORM per row)
            by_keys.setdefault(tuple(sorted(row)), []).append(row)
        for keys, rows in by_keys.items():
            stmt = update(qt).where(qt.c.id == bindparam("q_id"))
            stmt = stmt.values({columns.get(k, k): bindparam(f"q_{k}") for k in keys if k != "id"})
            s.execute(stmt, [{f"q_{k}": v for k, v in row.items()} for row in rows])
        if hop_rows:
            s.execute(
                update(ht)
                .where(ht.c.quote_id == bindparam("qid"), ht.c.position == bindparam("pos"))
                .values(evidence_start=bindparam("es"), evidence_end=bindparam("ee")),
                hop_rows,
            )
        s.add_all(reports)
        s.flush()
        by_quote = {r.quote_id: quote_carry_record(r) for r in reports}
        s.expire_all()
        entries: list[tuple[Record | None, Record | None]] = []
        actions: list[str] = []
        for q, c, after in zip(before, carries, afters, strict=True):
            report = by_quote.get(q.id)
            if report is not None:
                entries.append((None, report))
                actions.append(f"carry to version {number}")
            action = f"carry to version {number}: {c.outcome.value}"
            if report is not None and report.approval_withdrawn:
                action += " (approval withdrawn)"  # the reason is in the quote_carry entry just before
            entries.append((q, after))
            actions.append(action)
        op.record_many(entries, actions=actions)
        return counts

    def diff(self, article_id: int, v1: int | None = None, v2: int | None = None) -> str:
        """The unified diff of two versions' texts (default: the newest and the one before it)."""
        from annotator.versions.diff import unified_diff

        old, new = self._version_pair(article_id, v1, v2)
        return unified_diff(
            self.article_text(old.id),
            self.article_text(new.id),
            f"article {old.lineage_id} version {old.version}",
            f"article {new.lineage_id} version {new.version}",
        )

    def compare(self, article_id: int, v1: int | None = None, v2: int | None = None) -> VersionComparison:
        """Two versions' texts aligned (default: the newest and the one before it), for a diff
        view: the equal blocks and the ranges of each text that the other does not have."""
        from annotator.versions.alignment import Alignment

        old, new = self._version_pair(article_id, v1, v2)
        old_text, new_text = self.article_text(old.id), self.article_text(new.id)
        al = Alignment(old_text, new_text)
        return VersionComparison(
            old, new, old_text, new_text, tuple((b.old, b.new, b.length) for b in al.blocks),
            tuple(al.changed_old_ranges()), tuple(al.changed_new_ranges()),
        )  # fmt: skip

    def _version_pair(
        self, article_id: int, v1: int | None, v2: int | None
    ) -> tuple[ArticleRecord, ArticleRecord]:
        versions = self.versions(article_id)
        by_number = {v.version: v for v in versions}
        to_n = v2 if v2 is not None else versions[-1].version
        from_n = v1 if v1 is not None else max(to_n - 1, 1)
        for n in (from_n, to_n):
            if n not in by_number:
                raise NotFoundError(f"version of article {versions[0].id} numbered", n)
        if from_n >= to_n and len(versions) > 1:
            raise ValidationError(f"compare an older version with a newer one (asked: {from_n} and {to_n})")
        return by_number[from_n], by_number[to_n]

    def changes(self, article_id: int, v1: int | None = None, v2: int | None = None) -> VersionChanges:
        """What became of the quotes between two versions of an article (default: the newest
        version and the one before it): every quote that moved, changed or was lost on the way,
        from the reports stored when each version was added."""
        old, new = self._version_pair(article_id, v1, v2)
        by_number = {v.version: v for v in self.versions(article_id)}
        steps = [by_number[n].id for n in range(old.version + 1, new.version + 1)]
        with self.db.read() as s:
            rows = s.scalars(
                select(QuoteCarry).where(QuoteCarry.to_article_id.in_(steps)).order_by(QuoteCarry.id)
            ).all()
            reports = [quote_carry_record(r) for r in rows]
            ids = sorted({r.quote_id for r in reports})
            quotes = {q.id: q for q in select_quote_records(s, Quote.__table__.c.id.in_(ids))} if ids else {}
            carried = s.scalar(select(func.count()).select_from(Quote).where(Quote.article_id == new.id))
        return VersionChanges(old, new, reports, quotes, carried or 0)

    # == Quotes ==============================================================================

    def create_quote(
        self,
        article_id: int,
        start: int,
        end: int,
        *,
        type: str | None = None,
        cue: Span | None = None,
        speaker_id: int | None = None,
        hops: Sequence[HopRecord] = (),
        status: str = Status.UNVERIFIED.value,
        note: str | None = None,
    ) -> OpResult:
        """Create a quote over ``[start, end)`` of the article's canonical text.

        ``type`` is guessed from the quotation marks when not given.
        """

        def run(op: _Op) -> None:
            # Five statements for a quote with a chain, sent through Core (no ORM objects): the
            # article (with its text unless cached, and the audit log's head), the chain's
            # sources, the quote, its hops, its audit entry.
            conn = op.session.connection()
            art, text = self._article_for_write(op.session, article_id)
            anchoring.check_span(art.text_length, start, end, title=art.title)
            anchoring.check_graphemes(text, start, end, what="span")
            if cue is not None:
                anchoring.check_span(art.text_length, cue[0], cue[1], title=art.title, what="cue")
                anchoring.check_graphemes(text, cue[0], cue[1], what="cue")
            checked_note = validation.check(note, "note", column=Quote.note, kind="text")
            self._validate_chain(op.session, art, speaker_id, hops)
            prefix, suffix = context(text, start, end)
            marked = status != Status.UNVERIFIED.value
            rec = QuoteRecord(
                id=0, uid=str(uuid.uuid4()), article_id=art.id, start=start, end=end, text=text[start:end],
                prefix=prefix, suffix=suffix,
                type=_check_type(type) if type else anchoring.guess_type(text, start, end),
                cue=(cue[0], cue[1]) if cue is not None else None, speaker_id=speaker_id,
                hops=tuple(HopRecord(h.source_id, h.relation.strip(), h.evidence) for h in hops),
                status=_check_status(status), evidence_url=None, archive_url=None, note=checked_note,
                status_by=self.user if marked else None, status_at=op.at if marked else None,
                created_by=self.user, created_at=op.at, chain_edited_by=self.user, chain_edited_at=op.at,
            )  # fmt: skip
            row = {
                _FIELD_COLUMN.get(k, k): v for k, v in rec.__dict__.items() if k not in ("id", "cue", "hops")
            }
            row.update(article_length=art.text_length, cue_start=cue[0] if cue else None,
                       cue_end=cue[1] if cue else None)  # fmt: skip
            pk = conn.execute(_INSERT_QUOTE, row).inserted_primary_key
            assert pk is not None
            qid = pk[0]
            if rec.hops:
                conn.execute(_INSERT_HOPS, [_hop_row(qid, i, h) for i, h in enumerate(rec.hops)])
            op.record(None, dataclasses.replace(rec, id=qid))

        return self._run("create quote", run)

    def _insert_quote(
        self,
        op: _Op,
        art: Article,
        start: int,
        end: int,
        type: str | None,
        cue: Span | None,
        speaker_id: int | None,
        hops: Sequence[HopRecord],
        status: str = Status.UNVERIFIED.value,
        note: str | None = None,
    ) -> Quote:
        newer = self._newer_version(op.session, art)
        if newer is not None:
            raise ValidationError(
                f"article {art.id} has a newer version (version {newer[1]}, article {newer[0]}): "
                "annotate that one"
            )
        text = self._text(op.session, art)
        self._check_span(op.session, art, start, end)
        prefix, suffix = context(text, start, end)
        q = Quote(
            uid=str(uuid.uuid4()),
            article_id=art.id,
            article_length=art.text_length,
            start=start,
            end=end,
            text=text[start:end],
            prefix=prefix,
            suffix=suffix,
            type=_check_type(type) if type else anchoring.guess_type(text, start, end),
            status=_check_status(status),
            note=validation.check(note, "note", column=Quote.note, kind="text"),
            created_by=self.user,
            created_at=op.at,
            chain_edited_by=self.user,
            chain_edited_at=op.at,
        )
        if status != Status.UNVERIFIED.value:
            q.status_by, q.status_at = self.user, op.at
        self._apply_cue(op.session, q, art, cue)
        self._validate_chain(op.session, art, speaker_id, hops)
        q.speaker_id = speaker_id
        op.session.add(q)
        op.session.flush()
        if hops:
            self._write_hops(op.session, q, hops)
        return q

    def quote(self, quote_id: int) -> QuoteRecord:
        with self.db.read() as s:
            return self._quote_record(s, self._quote(s, quote_id))

    def quotes(self, article_id: int | None = None, *, status: str | None = None) -> list[QuoteRecord]:
        """Quotes with their chains (two queries whatever their number), in text order."""
        qt = Quote.__table__
        conditions = []
        if article_id is not None:
            conditions.append(qt.c.article_id == article_id)
        if status is not None:
            conditions.append(qt.c.status == _check_status(status))
        with self.db.read() as s:
            return select_quote_records(s, and_(*conditions) if conditions else None)

    def quote_by_ref(self, ref: str) -> QuoteRecord:
        with self.db.read() as s:
            q = _by_ref(s, Quote, ref)
            if q is None:
                raise NotFoundError("quote", ref)
            return self._quote_record(s, q)

    def _quote_record(self, session: Session, q: Quote) -> QuoteRecord:
        hops = session.scalars(select(Hop).where(Hop.quote_id == q.id).order_by(Hop.position)).all()
        return quote_record(q, hops)

    def quote_detail(self, quote_id: int, *, with_text: bool = False) -> QuoteDetail:
        """The quote with its article, the chain's sources (with the outlet and affiliations), the open
        change request, the chain's hash and text, in one read transaction.

        ``with_text`` adds the article's whole text (for the chain rules, or to show spans); the
        cue's and the evidence's words are there either way.
        """
        with self.db.read() as s:
            q = self._quote(s, quote_id)
            record = self._quote_record(s, q)
            art = q.article
            ids = [*record.chain_source_ids] + ([art.outlet_id] if art.outlet_id is not None else [])
            st = Source.__table__
            affiliations = select(st.c.affiliation_id).where(st.c.id.in_(ids))
            sources = {
                r.id: r for r in select_source_records(s, or_(st.c.id.in_(ids), st.c.id.in_(affiliations)))
            }
            change_request = self._open_change_request(s, quote_id)
            text = self._text(s, art)
            uids = {sid: sources[sid].uid for sid in record.chain_source_ids}
            chain_hash = chain_sha256(portable_chain(record, self._lineage_uid(s, art), uids, text))
            return QuoteDetail(
                quote=record,
                article=article_record(art),
                sources=sources,
                change_request=change_request,
                chain_sha256=chain_hash,
                chain_text=quote_chain_text(record, sources, art.outlet_id),
                cue_text=text[record.cue[0] : record.cue[1]] if record.cue else None,
                evidence_texts=tuple(
                    text[h.evidence[0] : h.evidence[1]] if h.evidence else None for h in record.hops
                ),
                text=text if with_text else None,
            )

    def quotes_context(
        self, *, statuses: Iterable[str] | None = None, article_id: int | None = None, with_texts: bool = True
    ) -> QuotesContext:
        """Quotes (of one article, or all; with these statuses, or any) with their articles, the
        articles' texts, the sources their chains and outlets name, and their open change requests:
        one read transaction of at most five queries, whatever the number of quotes."""
        qt, at, ht, st = Quote.__table__, Article.__table__, Hop.__table__, Source.__table__
        conditions = []
        if article_id is not None:
            conditions.append(qt.c.article_id == article_id)
        if statuses is not None:
            conditions.append(qt.c.status.in_([_check_status(x) for x in statuses]))
        where = and_(*conditions) if conditions else None
        quote_ids = select(qt.c.id).where(where) if where is not None else select(qt.c.id)
        article_ids = select(qt.c.article_id)
        if where is not None:
            article_ids = article_ids.where(where)
        with self.db.read() as s:
            quotes = select_quote_records(s, where)  # two queries: quotes, hops
            articles: dict[int, ArticleRecord] = {}
            texts: dict[int, str] = {}
            vt = ArticleVersion.__table__
            columns = [at.c[c.key] for c in at.columns if c.key != "text" or with_texts]
            version_columns = [vt.c[k].label(f"v_{k}") for k in _VERSION_COLUMNS]
            stmt = (
                select(*columns, *version_columns)
                .outerjoin(vt, vt.c.article_id == at.c.id)
                .where(at.c.id.in_(article_ids))
            )
            for row in s.execute(stmt):
                values = row._asdict()
                if with_texts:
                    texts[values["id"]] = values.pop("text")
                articles[values["id"]] = _article_record_from_row(values)
            used = or_(
                st.c.id.in_(select(qt.c.speaker_id).where(qt.c.id.in_(quote_ids))),
                st.c.id.in_(select(ht.c.source_id).where(ht.c.quote_id.in_(quote_ids))),
                st.c.id.in_(select(at.c.outlet_id).where(at.c.id.in_(article_ids))),
            )
            sources = {r.id: r for r in select_source_records(s, used)}
            latest = (
                select(func.max(Review.id)).where(Review.quote_id.in_(quote_ids)).group_by(Review.quote_id)
            )
            requests = s.scalars(
                select(Review).where(Review.id.in_(latest), Review.verdict == Verdict.REQUEST_CHANGES.value)
            )
            change_requests = {r.quote_id: review_record(r) for r in requests}
        return QuotesContext(quotes, articles, texts, sources, change_requests)

    def _edit_quote(
        self, action: str, quote_id: int, edit: Callable[[_Op, Quote, Article, QuoteRecord], None]
    ) -> OpResult:
        def run(op: _Op) -> None:
            q = self._quote(op.session, quote_id)
            before = self._quote_record(op.session, q)
            art = self._article(op.session, q.article_id)
            edit(op, q, art, before)
            op.session.flush()
            op.session.expire(q, ["hops"])
            after = self._quote_record(op.session, q)
            entry_action = None
            if after.chain_dict() != before.chain_dict():
                q.chain_edited_by, q.chain_edited_at = self.user, op.at
                if self._on_chain_changed(op, q, before):
                    entry_action = f"{action} (approval withdrawn: the chain changed after it was verified)"
                op.session.flush()
                after = self._quote_record(op.session, q)
            op.record(before, after, action=entry_action)

        return self._run(action, run)

    def _on_chain_changed(self, op: _Op, q: Quote, before: QuoteRecord) -> bool:
        """A chain edited after approval goes back to review. True when that happened."""
        if q.status == Status.VERIFIED.value:
            q.status = Status.NEEDS_REVIEW.value
            q.status_by, q.status_at = self.user, op.at
            op.extra["sent_back_to_review"] = True
            return True
        return False

    def set_span(self, quote_id: int, start: int, end: int) -> OpResult:
        def edit(op: _Op, q: Quote, art: Article, before: QuoteRecord) -> None:
            self._check_span(op.session, art, start, end)
            text = self._text(op.session, art)
            q.start, q.end, q.text = start, end, text[start:end]
            q.prefix, q.suffix = context(text, start, end)

        return self._edit_quote("set span", quote_id, edit)

    def set_type(self, quote_id: int, quote_type: str) -> OpResult:
        def edit(op: _Op, q: Quote, art: Article, before: QuoteRecord) -> None:
            q.type = _check_type(quote_type)

        return self._edit_quote("set type", quote_id, edit)

    def set_cue(self, quote_id: int, cue: Span | None) -> OpResult:
        def edit(op: _Op, q: Quote, art: Article, before: QuoteRecord) -> None:
            self._apply_cue(op.session, q, art, cue)

        return self._edit_quote("set cue", quote_id, edit)

    def _check_span(
        self, session: Session, art: Article | _ArticleBounds, start: int, end: int, what: str = "span"
    ) -> None:
        """The rules of every stored span: within the text, not empty, and between whole
        user-perceived characters (:func:`annotator.anchoring.grapheme_problem`)."""
        anchoring.check_span(art.text_length, start, end, title=art.title, what=what)
        anchoring.check_graphemes(self._text(session, art), start, end, what=what)

    def _apply_cue(self, session: Session, q: Quote, art: Article, cue: Span | None) -> None:
        if cue is None:
            q.cue_start = q.cue_end = None
        else:
            if (q.cue_start, q.cue_end) != tuple(cue):
                self._check_span(session, art, cue[0], cue[1], what="cue")
            q.cue_start, q.cue_end = cue

    def set_speaker(self, quote_id: int, source_id: int | None) -> OpResult:
        def edit(op: _Op, q: Quote, art: Article, before: QuoteRecord) -> None:
            self._validate_chain(op.session, art, source_id, before.hops, before=before.hops)
            q.speaker_id = source_id

        return self._edit_quote("set speaker", quote_id, edit)

    def set_chain(self, quote_id: int, speaker_id: int | None, hops: Sequence[HopRecord]) -> OpResult:
        """Replace the whole chain (speaker and hops) at once."""

        def edit(op: _Op, q: Quote, art: Article, before: QuoteRecord) -> None:
            self._validate_chain(op.session, art, speaker_id, hops, before=before.hops)
            q.speaker_id = speaker_id
            self._write_hops(op.session, q, hops)

        return self._edit_quote("set chain", quote_id, edit)

    def _hop_edit(self, action: str, quote_id: int, change: Callable[[list[HopRecord]], None]) -> OpResult:
        def edit(op: _Op, q: Quote, art: Article, before: QuoteRecord) -> None:
            hops = list(before.hops)
            change(hops)
            self._validate_chain(op.session, art, q.speaker_id, hops, before=before.hops)
            self._write_hops(op.session, q, hops)

        return self._edit_quote(action, quote_id, edit)

    def add_hop(
        self,
        quote_id: int,
        source_id: int,
        relation: str,
        *,
        position: int | None = None,
        evidence: Span | None = None,
    ) -> OpResult:
        """Insert an intermediary at ``position`` (0 = nearest the speaker; default: last)."""

        def change(hops: list[HopRecord]) -> None:
            pos = len(hops) if position is None else position
            _check_position(pos, len(hops) + 1)
            hops.insert(pos, HopRecord(source_id, relation.strip(), evidence))

        return self._hop_edit("add hop", quote_id, change)

    def update_hop(
        self,
        quote_id: int,
        position: int,
        *,
        source_id: int = UNSET,
        relation: str = UNSET,
        evidence: Span | None = UNSET,
    ) -> OpResult:
        def change(hops: list[HopRecord]) -> None:
            _check_position(position, len(hops))
            h = hops[position]
            hops[position] = HopRecord(
                h.source_id if source_id is UNSET else source_id,
                h.relation if relation is UNSET else relation.strip(),
                h.evidence if evidence is UNSET else evidence,
            )

        return self._hop_edit("update hop", quote_id, change)

    def move_hop(self, quote_id: int, from_position: int, to_position: int) -> OpResult:
        def change(hops: list[HopRecord]) -> None:
            _check_position(from_position, len(hops))
            _check_position(to_position, len(hops))
            hops.insert(to_position, hops.pop(from_position))

        return self._hop_edit("move hop", quote_id, change)

    def remove_hop(self, quote_id: int, position: int) -> OpResult:
        def change(hops: list[HopRecord]) -> None:
            _check_position(position, len(hops))
            del hops[position]

        return self._hop_edit("remove hop", quote_id, change)

    def _validate_chain(
        self,
        session: Session,
        art: Article | _ArticleBounds,
        speaker_id: int | None,
        hops: Sequence[HopRecord],
        *,
        before: Sequence[HopRecord] = (),
    ) -> None:
        """The chain rules; evidence spans are checked unless the chain ``before`` had them already."""
        kept = {h.evidence for h in before if h.evidence is not None}
        seen: dict[int, str] = {}
        names: dict[int, str] = {}
        members = ([("speaker", speaker_id)] if speaker_id is not None else []) + [
            (f"hop {i + 1}", h.source_id) for i, h in enumerate(hops)
        ]
        wanted = sorted({sid for _, sid in members if sid is not None})
        # One query for the whole chain.
        found = dict(session.connection().execute(_CHAIN_NAMES, {"ids": wanted}).all()) if wanted else {}
        for where, sid in members:
            assert sid is not None
            if sid not in found:
                raise NotFoundError("source", sid)
            names[sid] = found[sid]
            if sid in seen:
                raise ChainError(f"{found[sid]!r} appears twice in the chain (as {seen[sid]} and as {where})")
            seen[sid] = where
        for i, h in enumerate(hops):
            if not h.relation or not h.relation.strip():
                raise ChainError(
                    f"hop {i + 1} ({names[h.source_id]!r}) needs a relation, e.g. 'according to'"
                )
            validation.check(h.relation.strip(), f"hop {i + 1} relation", column=Hop.relation)
            if h.evidence is not None and tuple(h.evidence) not in kept:
                self._check_span(session, art, *h.evidence, what=f"hop {i + 1} evidence")

    def _write_hops(self, session: Session, q: Quote, hops: Sequence[HopRecord]) -> None:
        _delete_rows(session, Hop, Hop.quote_id == q.id)
        for i, h in enumerate(hops):
            ev = h.evidence or (None, None)
            session.add(
                Hop(quote_id=q.id, position=i, source_id=h.source_id, relation=h.relation.strip(),
                    evidence_start=ev[0], evidence_end=ev[1])
            )  # fmt: skip
        session.flush()
        session.expire(q, ["hops"])

    def set_verification(
        self,
        quote_id: int,
        *,
        status: str = UNSET,
        evidence_url: str | None = UNSET,
        archive_url: str | None = UNSET,
        note: str | None = UNSET,
    ) -> OpResult:
        """Set the status and/or evidence of a quote. Verdicts are :meth:`approve` and friends."""

        def edit(op: _Op, q: Quote, art: Article, before: QuoteRecord) -> None:
            if status is not UNSET and status != q.status:
                if _check_status(status) == Status.VERIFIED.value:
                    # A quote is only verified by an approval: same rules, same sign-off record.
                    self._record_verdict(op, q, before, Verdict.APPROVE.value, None)
                else:
                    q.status = status
                    q.status_by, q.status_at = self.user, op.at
            if evidence_url is not UNSET:
                q.evidence_url = validation.check(
                    _blank_to_none(evidence_url), "evidence URL", column=Quote.evidence_url
                )
            if archive_url is not UNSET:
                q.archive_url = validation.check(
                    _blank_to_none(archive_url), "archive URL", column=Quote.archive_url
                )
            if note is not UNSET:
                q.note = validation.check(_blank_to_none(note), "note", column=Quote.note, kind="text")

        action = "set status" if status is not UNSET else "set evidence"
        return self._edit_quote(action, quote_id, edit)

    def set_status(self, quote_id: int, status: str) -> OpResult:
        return self.set_verification(quote_id, status=status)

    def delete_quote(self, quote_id: int, *, expected: QuoteRecord | None = UNSET) -> OpResult:
        """Delete a quote and its chain; ``result.before("quote")`` restores it exactly.

        ``expected``: refuse unless the quote is still exactly this (see :meth:`restore_quote`)."""

        def run(op: _Op) -> None:
            if op.session.get(Quote, quote_id) is None:
                _check_expected("quote", quote_id, None, expected)
            q = self._quote(op.session, quote_id)
            before = self._quote_record(op.session, q)
            _check_expected("quote", quote_id, before, expected)
            op.session.delete(q)
            op.record(before, None)

        return self._run("delete quote", run)

    def restore_quote(
        self, record: QuoteRecord, *, action: str = "restore quote", expected: QuoteRecord | None = UNSET
    ) -> OpResult:
        """Put a quote back exactly as ``record`` says: re-create it (same id and uid) if it was
        deleted, or set every field and its chain back. Used by undo and redo.

        ``expected``: the state the caller believes the quote is in (None: deleted). When given,
        the restore is refused if someone changed the quote since, so an undo on a shared
        database never overwrites a colleague's later edit."""

        def run(op: _Op) -> None:
            self._restore_quote(op, record, expected)

        return self._run(action, run)

    def _restore_quote(self, op: _Op, record: QuoteRecord, expected: QuoteRecord | None) -> None:
        s = op.session
        q = s.get(Quote, record.id)
        before = self._quote_record(s, q) if q is not None else None
        _check_expected("quote", record.id, before, expected)
        art = self._article(s, record.article_id)
        text = self._text(s, art)
        if text[record.start : record.end] != record.text:
            raise ValidationError(
                f"quote {record.id} cannot be restored: its text no longer matches the article"
            )
        self._validate_chain(s, art, record.speaker_id, record.hops)
        if q is None:
            q = Quote(id=record.id, uid=record.uid, article_id=art.id, article_length=art.text_length)
            s.add(q)
        for name in ("start", "end", "text", "prefix", "suffix", "type", "speaker_id", "status",
                     "evidence_url", "archive_url", "note", "status_by", "status_at", "created_by",
                     "created_at", "chain_edited_by", "chain_edited_at"):  # fmt: skip
            setattr(q, name, getattr(record, name))
        self._apply_cue(s, q, art, record.cue)
        s.flush()
        self._write_hops(s, q, record.hops)
        op.record(before, self._quote_record(s, q))

    # == Sources =============================================================================

    def sources(self, *, kind: str | None = None) -> list[SourceRecord]:
        """Every source (or those of one kind), by name, in one query."""
        with self.db.read() as s:
            return select_source_records(s, Source.__table__.c.kind == kind if kind else None)

    def source(self, source_id: int) -> SourceRecord:
        with self.db.read() as s:
            return source_record(self._source(s, source_id))

    def find_sources(self, text: str, *, limit: int = 20) -> list[SourceRecord]:
        """Sources whose name or an alias contains ``text`` (case-insensitive), prefix matches first."""
        key = name_key(text)
        if not key:
            return []
        like = f"%{_escape_like(key)}%"
        with self.db.read() as s:
            alias_ids = select(SourceAlias.source_id).where(SourceAlias.alias_key.like(like, escape="\\"))
            found = s.scalars(
                select(Source).where(or_(Source.name_key.like(like, escape="\\"), Source.id.in_(alias_ids)))
            ).all()
            recs = [source_record(x) for x in found]
        return sorted(recs, key=lambda r: match_rank(key, r.name, r.aliases))[:limit]

    def resolve_source(self, name: str, *, kind: str | None = None) -> SourceRecord | None:
        """The one source whose name or alias is exactly ``name`` (case-insensitively), or None.

        Raises :class:`AmbiguousSourceError` when several match.
        """
        with self.db.read() as s:
            found = [source_record(x) for x in self._match_sources(s, name)]
        if kind:
            found = [f for f in found if f.kind == kind]
        if len(found) > 1:
            listing = ", ".join(
                f"#{f.id} {f.name} ({f.kind}{', ' + f.role if f.role else ''})" for f in found
            )
            raise AmbiguousSourceError(f"{name!r} matches {len(found)} sources: {listing}; use an id")
        return found[0] if found else None

    def _match_sources(self, session: Session, name: str) -> list[Source]:
        key = name_key(name)
        alias_ids = select(SourceAlias.source_id).where(SourceAlias.alias_key == key)
        return list(
            session.scalars(
                select(Source)
                .where(or_(Source.name_key == key, Source.id.in_(alias_ids)))
                .order_by(Source.id)
            )
        )

    def create_source(
        self,
        kind: str,
        name: str,
        *,
        role: str | None = None,
        affiliation_id: int | None = None,
        descriptor: str | None = None,
        nationality: str | None = None,
        aliases: Iterable[str] = (),
        external_ids: Iterable[tuple[str, str]] = (),
    ) -> OpResult:
        def run(op: _Op) -> None:
            self._new_source(
                op, kind=kind, name=name, role=role, affiliation_id=affiliation_id, descriptor=descriptor,
                nationality=nationality, aliases=aliases, external_ids=external_ids,
            )  # fmt: skip

        return self._run("create source", run)

    def _new_source(self, op: _Op, *, audit_action: str = "create source", **fields: Any) -> Source:
        src = Source(uid=fields.pop("uid", None) or str(uuid.uuid4()))
        if "id" in fields:
            src.id = fields.pop("id")
        self._assign_source(op.session, src, fields, creating=True)
        op.session.add(src)
        op.session.flush()
        self._set_aliases(op.session, src, fields.get("aliases", ()))
        self._set_external_ids(op.session, src, fields.get("external_ids", ()))
        op.session.flush()
        op.session.refresh(src)
        op.record(None, source_record(src), action=audit_action)
        return src

    def _assign_source(self, session: Session, src: Source, f: dict[str, Any], *, creating: bool) -> None:
        if "kind" in f:
            if f["kind"] not in {k.value for k in SourceKind}:
                raise ValidationError(
                    f"unknown source kind {f['kind']!r}: use one of {', '.join(k.value for k in SourceKind)}"
                )
            src.kind = f["kind"]
        if "name" in f:
            name = (f["name"] or "").strip()
            if not name:
                raise ValidationError("a source needs a name")
            validation.check(name, "source name", column=Source.name)
            key = validation.check(name_key(name), "source name (matching form)", column=Source.name_key)
            src.name, src.name_key = name, key
        for attr in ("role", "descriptor", "nationality"):
            if attr in f:
                value = _blank_to_none(f[attr])
                setattr(src, attr, validation.check(value, attr, column=getattr(Source, attr)))
        if "affiliation_id" in f:
            aff = f["affiliation_id"]
            if aff is not None:
                self._source(session, aff)
                if src.id is not None and aff == src.id:
                    raise ValidationError(f"{src.name!r} cannot be its own affiliation")
            src.affiliation_id = aff
        if src.kind == SourceKind.ANONYMOUS.value and not src.descriptor:
            raise ValidationError(
                f"the anonymous source {src.name!r} needs a descriptor saying how the article describes it "
                "(e.g. 'a Turkish official')"
            )

    def _set_aliases(self, session: Session, src: Source, aliases: Iterable[str]) -> None:
        wanted = wanted_aliases(aliases, src.name)
        for key, alias in wanted.items():
            validation.check(alias, "alias", column=SourceAlias.alias)
            validation.check(key, "alias (matching form)", column=SourceAlias.alias_key)
        clash = find_alias_clash(session, wanted, source_id=src.id)
        if clash is not None and clash.is_name:
            raise ValidationError(
                f"the alias {clash.alias!r} is the name of another source, {clash.source_name!r} "
                f"(#{clash.source_id}): merge the two sources instead"
            )
        if clash is not None:
            raise ValidationError(
                f"the alias {clash.alias!r} already belongs to {clash.source_name!r} (#{clash.source_id})"
            )
        _delete_rows(session, SourceAlias, SourceAlias.source_id == src.id)
        for key, alias in sorted(wanted.items()):
            session.add(SourceAlias(source_id=src.id, alias=alias, alias_key=key))
        session.flush()
        session.expire(src, ["aliases"])

    def _set_external_ids(self, session: Session, src: Source, ids: Iterable[tuple[str, str]]) -> None:
        _delete_rows(session, ExternalId, ExternalId.source_id == src.id)
        for scheme, value in sorted({(a.strip(), b.strip()) for a, b in ids}):
            validation.check(scheme, "external id scheme", column=ExternalId.scheme)
            validation.check(value, "external id", column=ExternalId.value)
            if scheme and value:
                session.add(ExternalId(source_id=src.id, scheme=scheme, value=value))
        session.flush()
        session.expire(src, ["external_ids"])

    def update_source(
        self,
        source_id: int,
        *,
        kind: str = UNSET,
        name: str = UNSET,
        role: str | None = UNSET,
        affiliation_id: int | None = UNSET,
        descriptor: str | None = UNSET,
        nationality: str | None = UNSET,
        aliases: Iterable[str] = UNSET,
        external_ids: Iterable[tuple[str, str]] = UNSET,
    ) -> OpResult:
        given = {
            k: v
            for k, v in dict(
                kind=kind,
                name=name,
                role=role,
                affiliation_id=affiliation_id,
                descriptor=descriptor,
                nationality=nationality,
            ).items()
            if v is not UNSET
        }

        def run(op: _Op) -> None:
            s = op.session
            src = self._source(s, source_id)
            before = source_record(src)
            self._assign_source(s, src, given, creating=False)
            if src.kind != SourceKind.OUTLET.value:
                used = s.scalar(select(func.count()).select_from(Article).where(Article.outlet_id == src.id))
                if used:
                    raise ValidationError(
                        f"{src.name!r} is the outlet of {used} article(s): it must stay an outlet"
                    )
            s.flush()
            self._set_aliases(s, src, before.aliases if aliases is UNSET else aliases)
            if external_ids is not UNSET:
                self._set_external_ids(s, src, external_ids)
            s.flush()
            s.expire(src)
            op.record(before, source_record(src))

        return self._run("update source", run)

    def source_usage(self, source_id: int) -> dict[str, list[int]]:
        """Ids of everything that refers to a source: quotes it speaks or relays, articles it publishes."""
        with self.db.read() as s:
            self._source(s, source_id)
            return _usage(s, source_id)

    def source_quote_counts(self) -> dict[int, int]:
        """For every source in use, the number of quotes whose chain it is in (as speaker or hop).

        A source appears at most once per chain, so speaker rows plus hop rows count quotes."""
        counts: dict[int, int] = {}
        with self.db.read() as s:
            for stmt in (
                select(Quote.speaker_id, func.count())
                .where(Quote.speaker_id.is_not(None))
                .group_by(Quote.speaker_id),
                select(Hop.source_id, func.count()).group_by(Hop.source_id),
            ):
                for sid, n in s.execute(stmt):
                    if sid is not None:
                        counts[sid] = counts.get(sid, 0) + n
        return counts

    def delete_source(self, source_id: int, *, expected: SourceRecord | None = UNSET) -> OpResult:
        """Delete a source nothing refers to (merge it into another one instead, otherwise)."""

        def run(op: _Op) -> None:
            if op.session.get(Source, source_id) is None:
                _check_expected("source", source_id, None, expected)
            src = self._source(op.session, source_id)
            _check_expected("source", source_id, source_record(src), expected)
            usage = _usage(op.session, source_id)
            if any(usage.values()):
                n = sum(map(len, usage.values()))
                raise ValidationError(
                    f"{src.name!r} is still referred to {n} time(s); merge it into another source"
                )
            before = source_record(src)
            op.session.delete(src)
            op.record(before, None)

        return self._run("delete source", run)

    def restore_source(
        self, record: SourceRecord, *, action: str = "restore source", expected: SourceRecord | None = UNSET
    ) -> OpResult:
        """Re-create a deleted source with the same id, or set an existing one back to ``record``.

        ``expected``: refuse unless the source is still in that state (see :meth:`restore_quote`)."""

        def run(op: _Op) -> None:
            s = op.session
            src = s.get(Source, record.id)
            _check_expected("source", record.id, source_record(src) if src is not None else None, expected)
            if src is None:
                self._new_source(op, **record.to_dict())
                return
            before = source_record(src)
            self._assign_source(
                s,
                src,
                {
                    k: getattr(record, k)
                    for k in ("kind", "name", "role", "affiliation_id", "descriptor", "nationality")
                },
                creating=False,
            )
            s.flush()
            self._set_aliases(s, src, record.aliases)
            self._set_external_ids(s, src, record.external_ids)
            s.flush()
            s.expire(src)
            op.record(before, source_record(src))

        return self._run(action, run)

    def merge_sources(self, survivor_id: int, absorbed_id: int) -> OpResult:
        """Merge ``absorbed`` into ``survivor``: its name and aliases become the survivor's aliases
        and every reference (speaker, hop, outlet, affiliation) moves to the survivor.

        ``result.extra["undo"]`` holds what :meth:`unmerge_sources` needs to take it back.
        """
        if survivor_id == absorbed_id:
            raise ValidationError("a source cannot be merged into itself")

        def run(op: _Op) -> None:
            s = op.session
            keep, gone = self._source(s, survivor_id), self._source(s, absorbed_id)
            keep_before, gone_before = source_record(keep), source_record(gone)
            usage = _usage(s, absorbed_id)
            # Quotes whose chain would hold the survivor twice cannot be merged silently.
            for qid in usage["speaker_of"] + usage["hop_of"]:
                rec = self._quote_record(s, self._quote(s, qid))
                if survivor_id in rec.chain_source_ids:
                    raise ChainError(
                        f"quote {qid} has both {keep.name!r} and {gone.name!r} in its chain: "
                        "remove one of them from it before merging"
                    )
            quote_befores = {qid: self._quote_record(s, self._quote(s, qid))
                             for qid in sorted(set(usage["speaker_of"] + usage["hop_of"]))}  # fmt: skip
            art_befores = {aid: article_record(self._article(s, aid)) for aid in usage["outlet_of"]}
            aff_befores = {sid: source_record(self._source(s, sid)) for sid in usage["affiliation_of"]}
            s.execute(update(Quote).where(Quote.speaker_id == absorbed_id).values(speaker_id=survivor_id))
            s.execute(update(Hop).where(Hop.source_id == absorbed_id).values(source_id=survivor_id))
            s.execute(update(Article).where(Article.outlet_id == absorbed_id).values(outlet_id=survivor_id))
            s.execute(
                update(Source).where(Source.affiliation_id == absorbed_id).values(affiliation_id=survivor_id)
            )
            moved_aliases = [gone.name, *gone_before.aliases]
            _delete_rows(s, SourceAlias, SourceAlias.source_id == absorbed_id)
            _delete_rows(s, ExternalId, ExternalId.source_id == absorbed_id)
            s.flush()
            s.expire_all()
            s.delete(s.get(Source, absorbed_id))
            s.flush()
            keep = self._source(s, survivor_id)
            self._set_aliases(s, keep, [*keep_before.aliases, *moved_aliases])
            merged_ext = set(keep_before.external_ids) | set(gone_before.external_ids)
            self._set_external_ids(s, keep, merged_ext)
            s.flush()
            s.expire_all()
            op.record(gone_before, None)
            op.record(keep_before, source_record(self._source(s, survivor_id)))
            for qid, qb in quote_befores.items():
                op.record(qb, self._quote_record(s, self._quote(s, qid)))
            for aid, ab in art_befores.items():
                op.record(ab, article_record(self._article(s, aid)))
            for sid, sb in aff_befores.items():
                if sid != survivor_id:
                    op.record(sb, source_record(self._source(s, sid)))
            op.extra["undo"] = {
                "survivor": keep_before,
                "absorbed": gone_before,
                "usage": usage,
            }

        return self._run("merge sources", run)

    def merge_preview(self, survivor_id: int, absorbed_id: int) -> list[QuoteRecord]:
        """The quotes a merge would change (those the absorbed source speaks or relays)."""
        usage = self.source_usage(absorbed_id)
        ids = sorted(set(usage["speaker_of"] + usage["hop_of"]))
        with self.db.read() as s:
            return load_quote_records(s, s.scalars(select(Quote).where(Quote.id.in_(ids)).order_by(Quote.id)))

    def unmerge_sources(self, undo: dict[str, Any]) -> OpResult:
        """Take a merge back: re-create the absorbed source and point its references back to it."""
        keep_before: SourceRecord = undo["survivor"]
        gone_before: SourceRecord = undo["absorbed"]
        usage: dict[str, list[int]] = undo["usage"]

        def run(op: _Op) -> None:
            s = op.session
            keep = self._source(s, keep_before.id)
            keep_now = source_record(keep)
            # Give the survivor its own aliases back first, so the absorbed ones are free again.
            self._set_aliases(s, keep, keep_before.aliases)
            self._set_external_ids(s, keep, keep_before.external_ids)
            s.flush()
            self._new_source(op, **gone_before.to_dict())
            rid, sid = gone_before.id, keep_before.id
            quote_befores = {qid: self._quote_record(s, self._quote(s, qid))
                             for qid in sorted(set(usage["speaker_of"] + usage["hop_of"]))}  # fmt: skip
            art_befores = {aid: article_record(self._article(s, aid)) for aid in usage["outlet_of"]}
            aff_befores = {x: source_record(self._source(s, x)) for x in usage["affiliation_of"] if x != sid}
            if usage["speaker_of"]:
                s.execute(
                    update(Quote)
                    .where(Quote.id.in_(usage["speaker_of"]), Quote.speaker_id == sid)
                    .values(speaker_id=rid)
                )
            if usage["hop_of"]:
                s.execute(
                    update(Hop)
                    .where(Hop.quote_id.in_(usage["hop_of"]), Hop.source_id == sid)
                    .values(source_id=rid)
                )
            if usage["outlet_of"]:
                s.execute(update(Article).where(Article.id.in_(usage["outlet_of"])).values(outlet_id=rid))
            if usage["affiliation_of"]:
                s.execute(
                    update(Source).where(Source.id.in_(usage["affiliation_of"])).values(affiliation_id=rid)
                )
            s.flush()
            s.expire_all()
            op.record(keep_now, source_record(self._source(s, sid)))
            for qid, qb in quote_befores.items():
                op.record(qb, self._quote_record(s, self._quote(s, qid)))
            for aid, ab in art_befores.items():
                op.record(ab, article_record(self._article(s, aid)))
            for x, xb in aff_befores.items():
                op.record(xb, source_record(self._source(s, x)))

        return self._run("unmerge sources", run)

    # == Review ==============================================================================

    def approve(
        self, quote_id: int, comment: str | None = None, *, seen_chain: str | None = None
    ) -> OpResult:
        """Approve a quote's chain: the quote becomes verified, and the sign-off records the reviewer,
        the time, the comment and a hash of the chain as reviewed.

        ``seen_chain``: the :meth:`chain_sha256` of the chain the reviewer looked at; the verdict is
        refused, inside the same transaction, if the chain has changed since."""
        return self._verdict("approve", quote_id, Verdict.APPROVE.value, comment, seen_chain)

    def reject(self, quote_id: int, comment: str | None = None, *, seen_chain: str | None = None) -> OpResult:
        return self._verdict("reject", quote_id, Verdict.REJECT.value, comment, seen_chain)

    def request_changes(self, quote_id: int, comment: str, *, seen_chain: str | None = None) -> OpResult:
        """Send a quote back to its annotator with a comment (they see it in the inspector)."""
        if not comment or not comment.strip():
            raise ValidationError("say what should change: a change request needs a comment")
        return self._verdict("request changes", quote_id, Verdict.REQUEST_CHANGES.value, comment, seen_chain)

    def _verdict(
        self, action: str, quote_id: int, verdict: str, comment: str | None, seen_chain: str | None
    ) -> OpResult:
        def run(op: _Op) -> None:
            q = self._quote(op.session, quote_id)
            before = self._quote_record(op.session, q)
            if seen_chain is not None and self._chain_sha256(op.session, before) != seen_chain:
                raise ConflictError(
                    f"the chain of quote {quote_id} was changed by {q.chain_edited_by} "
                    "since you looked at it: "
                    "check it again"
                )
            self._record_verdict(op, q, before, verdict, comment)
            op.session.flush()
            op.record(before, self._quote_record(op.session, q))

        return self._run(action, run)

    def _record_verdict(
        self, op: _Op, q: Quote, before: QuoteRecord, verdict: str, comment: str | None
    ) -> None:
        if verdict == Verdict.APPROVE.value:
            if q.speaker_id is None:
                raise ValidationError(
                    f"quote {q.id} has no speaker: a chain without a speaker cannot be approved"
                )
            if self._four_eyes(op.session) and q.chain_edited_by == self.user:
                raise ValidationError(
                    f"four-eyes rule: {self.user} last edited the chain of quote {q.id}, "
                    "so another person has to approve it"
                )
        status = {
            Verdict.APPROVE.value: Status.VERIFIED.value,
            Verdict.REJECT.value: Status.REJECTED.value,
            Verdict.REQUEST_CHANGES.value: Status.UNVERIFIED.value,
        }[verdict]
        comment = validation.check(_blank_to_none(comment), "comment", column=Review.comment, kind="text")
        review = Review(
            quote_id=q.id, reviewer=self.user, at=op.at, verdict=verdict, comment=comment,
            chain_sha256=self._chain_sha256(op.session, before), article_id=q.article_id,
        )  # fmt: skip
        op.session.add(review)
        q.status, q.status_by, q.status_at = status, self.user, op.at
        op.session.flush()
        op.record(None, review_record(review), action=op.action)

    def chain_sha256(self, quote_id: int) -> str:
        """The hash a reviewer signs for a quote's current chain (see :func:`portable_chain`)."""
        with self.db.read() as s:
            return self._chain_sha256(s, self._quote_record(s, self._quote(s, quote_id)))

    def _chain_sha256(self, session: Session, record: QuoteRecord) -> str:
        uids = dict(
            session.execute(select(Source.id, Source.uid).where(Source.id.in_(record.chain_source_ids))).all()
        )
        art = self._article(session, record.article_id)
        return chain_sha256(
            portable_chain(record, self._lineage_uid(session, art), uids, self._text(session, art))
        )

    def _lineage_uid(self, session: Session, art: Article) -> str:
        """The uid of the article's first version (a chain hash names it: it survives a new version)."""
        v = art.version_info
        if v is None or v.number == 1:
            return art.uid
        uid = session.scalar(select(Article.uid).where(Article.id == v.lineage_id))
        assert uid is not None
        return uid

    def reviews(self, quote_id: int) -> list[ReviewRecord]:
        with self.db.read() as s:
            rows = s.scalars(select(Review).where(Review.quote_id == quote_id).order_by(Review.id))
            return [review_record(r) for r in rows]

    def open_change_request(self, quote_id: int) -> ReviewRecord | None:
        """The latest verdict when it asks for changes and nothing was approved or rejected since."""
        with self.db.read() as s:
            return self._open_change_request(s, quote_id)

    def _open_change_request(self, session: Session, quote_id: int) -> ReviewRecord | None:
        latest = session.scalars(
            select(Review).where(Review.quote_id == quote_id).order_by(Review.id.desc()).limit(1)
        ).first()
        return review_record(latest) if latest and latest.verdict == Verdict.REQUEST_CHANGES.value else None

    # == Suggestions =========================================================================

    @property
    def suggester(self) -> Suggester:
        """The suggester :meth:`suggestions` runs (the rule-based one unless another is set).

        The engine is imported on first use, so that commands which never suggest start fast."""
        if self._suggester is None:
            from annotator.suggest import RuleSuggester

            self._suggester = RuleSuggester()
        return self._suggester

    @suggester.setter
    def suggester(self, value: Suggester) -> None:
        self._suggester = value

    def suggestions(self, article_id: int, *, min_confidence: float = 0.0) -> list[Suggestion]:
        """What the suggester proposes for an article, in text order, without those already decided
        on (accepted or rejected, by fingerprint) and those that overlap one of its quotes.

        One short read transaction (the text, the quote spans, the decisions and the registry), then
        the suggester runs outside it: safe to call from a worker thread (it shares no state).
        Registry sources are passed as :class:`~annotator.suggest.KnownSource`; anonymous sources
        only when this article's chains already use them (a "senior official" of another article
        is someone else)."""
        from annotator.suggest import KnownSource

        with self.db.read() as s:
            art = self._article(s, article_id)
            language = art.language
            text = s.scalar(select(Article.text).where(Article.id == article_id))
            assert text is not None
            spans = sorted(
                s.execute(select(Quote.start, Quote.end).where(Quote.article_id == article_id)).all()
            )
            decided = set(
                s.scalars(
                    select(SuggestionDecision.fingerprint).where(SuggestionDecision.article_id == article_id)
                )
            )
            st = Source.__table__
            wanted = or_(
                st.c.kind != SourceKind.ANONYMOUS.value, st.c.id.in_(_article_chain_sources(article_id))
            )
            aliases: dict[int, list[str]] = {}
            alias_rows = select(SourceAlias.source_id, SourceAlias.alias).where(
                SourceAlias.source_id.in_(select(st.c.id).where(wanted))
            )
            for sid, alias in s.execute(alias_rows.order_by(SourceAlias.alias)):
                aliases.setdefault(sid, []).append(alias)
            registry = s.execute(select(st.c.id, st.c.name, st.c.kind).where(wanted).order_by(st.c.id)).all()
        known = [KnownSource(sid, name, kind, tuple(aliases.get(sid, ()))) for sid, name, kind in registry]
        found = self.suggester.suggest(text, language, known)
        overlaps = _SpanIndex(spans)
        out = [
            x
            for x in found
            if x.confidence >= min_confidence
            and x.fingerprint not in decided
            and not overlaps.hits(x.quote.start, x.quote.end)
        ]
        out.sort(key=lambda x: (x.quote.start, x.quote.end))
        return out

    def suggestion_decisions(self, article_id: int | None = None) -> list[SuggestionDecisionRecord]:
        """Every decision on a suggestion (of one article, or all), oldest first."""
        with self.db.read() as s:
            stmt = select(SuggestionDecision).order_by(SuggestionDecision.id)
            if article_id is not None:
                stmt = stmt.where(SuggestionDecision.article_id == article_id)
            return [decision_record(d) for d in s.scalars(stmt)]

    def accept_suggestion(
        self, article_id: int, suggestion: Suggestion, *, suggester_version: str | None = None
    ) -> OpResult:
        """Make a suggestion a quote, in one transaction: the quote with its span, type, cue, speaker
        and hops, the sources it names that the registry lacks, and the decision.

        Sources: the registry source the suggester matched, else one of that name (or alias) and
        kind, else a new one of the kind guessed (an anonymous one described as in the article,
        e.g. "a Turkish official"). A hop whose source is already in the chain is left out.

        Refused (:class:`ConflictError`, nothing changed) when the suggestion was already decided
        on for this article, or overlaps a quote of it. ``result.extra["accepted"]`` is a list of
        one :class:`AcceptedSuggestion` (what :meth:`undo_accept_suggestions` needs), and
        ``extra["quote"]``, ``extra["decision"]`` and ``extra["sources"]`` (the sources created)
        are its parts. The audit entries' action says it came from a suggestion, with its
        confidence and the suggester's version."""
        result = self.accept_suggestions(article_id, [suggestion], suggester_version=suggester_version)
        acc: AcceptedSuggestion = result.extra["accepted"][0]
        result.extra.update(quote=acc.quote, decision=acc.decision, sources=list(acc.created_sources))
        return result

    def accept_suggestions(
        self, article_id: int, suggestions: Sequence[Suggestion], *, suggester_version: str | None = None
    ) -> OpResult:
        """Accept several suggestions in ONE transaction (one undo step), in the order given; see
        :meth:`accept_suggestion`. Suggestions that overlap one accepted before them in the same call
        are left out (``extra["skipped"]``; :func:`without_overlaps` says which beforehand)."""
        version = suggester_version or self.suggester.version
        keep = without_overlaps(suggestions)
        skipped = [x for x in suggestions if x not in keep]
        action = "accept suggestion" if len(suggestions) == 1 else "accept suggestions"

        def run(op: _Op) -> None:
            art = self._article(op.session, article_id)
            picker = _SourcePicker(self, op, art)
            accepted = [self._accept_one(op, art, x, version, picker) for x in keep]
            op.extra.update(accepted=accepted, skipped=skipped)

        return self._run(action, run)

    def _accept_one(
        self, op: _Op, art: Article, sugg: Suggestion, version: str, picker: _SourcePicker
    ) -> AcceptedSuggestion:
        from annotator.suggest.stored import suggestion_data

        s = op.session
        self._check_undecided(s, art, sugg)
        q0, q1 = sugg.quote.start, sugg.quote.end
        clash = s.scalars(
            select(Quote).where(Quote.article_id == art.id, Quote.start < q1, Quote.end > q0).limit(1)
        ).first()
        if clash is not None:
            raise ConflictError(
                f"the suggestion {_excerpt(sugg.quote.text)} overlaps quote {clash.id} "
                f"({clash.start}–{clash.end}) of article {art.id}: nothing was changed"
            )
        entry = _suggestion_action("accept suggestion", sugg, version)
        picker.action = entry
        created_before = len(picker.created)
        speaker_id = picker.pick(sugg.speaker)
        hops: list[HopRecord] = []
        seen = {speaker_id} if speaker_id is not None else set()
        for h in sugg.intermediaries:
            sid = picker.pick(h.source)
            assert sid is not None
            if sid in seen:
                continue
            seen.add(sid)
            ev = h.source.local or h.source.mention
            hops.append(
                HopRecord(sid, h.relation.strip() or "according to", (ev.start, ev.end) if ev else None)
            )
        cue = (sugg.cue.start, sugg.cue.end) if sugg.cue is not None else None
        q = self._insert_quote(op, art, q0, q1, sugg.type, cue, speaker_id, hops)
        qrec = self._quote_record(s, q)
        op.record(None, qrec, action=entry)
        d = SuggestionDecision(
            article_id=art.id, fingerprint=sugg.fingerprint, decision="accepted", quote_id=q.id,
            suggester_version=version, confidence=sugg.confidence,
            suggestion=canonical_json(suggestion_data(sugg)),
            accepted_chain=canonical_json(qrec.chain_dict()), decided_by=self.user, decided_at=op.at,
        )  # fmt: skip
        s.add(d)
        s.flush()
        drec = decision_record(d)
        op.record(None, drec, action=entry)
        return AcceptedSuggestion(qrec, drec, tuple(picker.created[created_before:]))

    def _check_undecided(self, session: Session, art: Article, sugg: Suggestion) -> None:
        """Refuse a suggestion that does not fit the article's text or was decided on already."""
        text = self._text(session, art)
        for what, m in (("quote", sugg.quote), ("cue", sugg.cue)):
            if m is not None and (not 0 <= m.start < m.end <= len(text) or text[m.start : m.end] != m.text):
                raise ValidationError(
                    f"the suggestion's {what} {_excerpt(m.text)} is not at {m.start}–{m.end} of article "
                    f"{art.id}: it was made for another text"
                )
        if not 0.0 <= sugg.confidence <= 1.0:
            raise ValidationError(f"the suggestion's confidence {sugg.confidence!r} is not between 0 and 1")
        done = session.scalar(
            select(SuggestionDecision).where(
                SuggestionDecision.article_id == art.id, SuggestionDecision.fingerprint == sugg.fingerprint
            )
        )
        if done is not None:
            raise ConflictError(
                f"the suggestion {_excerpt(sugg.quote.text)} was already {done.decision} by "
                f"{done.decided_by} on {done.decided_at[:10]}: nothing was changed"
            )

    def reject_suggestion(
        self, article_id: int, suggestion: Suggestion, *, suggester_version: str | None = None
    ) -> OpResult:
        """Record that a suggestion is wrong, so that it is not suggested for this article again.

        ``result.extra["decision"]`` is the decision (what :meth:`undo_reject_suggestion` needs)."""
        from annotator.suggest.stored import suggestion_data

        version = suggester_version or self.suggester.version

        def run(op: _Op) -> None:
            art = self._article(op.session, article_id)
            self._check_undecided(op.session, art, suggestion)
            d = SuggestionDecision(
                article_id=art.id, fingerprint=suggestion.fingerprint, decision="rejected", quote_id=None,
                suggester_version=version, confidence=suggestion.confidence,
                suggestion=canonical_json(suggestion_data(suggestion)), accepted_chain=None,
                decided_by=self.user, decided_at=op.at,
            )  # fmt: skip
            op.session.add(d)
            op.session.flush()
            rec = decision_record(d)
            op.record(None, rec, action=_suggestion_action("reject suggestion", suggestion, version))
            op.extra["decision"] = rec

        return self._run("reject suggestion", run)

    def undo_accept_suggestions(self, accepted: Sequence[AcceptedSuggestion]) -> OpResult:
        """Take accepts back (the ``extra["accepted"]`` of :meth:`accept_suggestions`), in one
        transaction: delete each quote and its decision (so the suggestion shows again), and the
        sources the accept created when nothing else uses them and nobody changed them
        (``extra["kept_sources"]`` lists those left in place).

        Refused (:class:`ConflictError`, nothing changed) when a quote or a decision is no longer
        as the accept left it: someone changed it since."""

        def run(op: _Op) -> None:
            s = op.session
            for acc in reversed(accepted):
                d = s.get(SuggestionDecision, acc.decision.id)
                _check_expected("suggestion decision", acc.decision.id, decision_record(d) if d else None,
                                acc.decision)  # fmt: skip
                q = s.get(Quote, acc.quote.id)
                _check_expected("quote", acc.quote.id, self._quote_record(s, q) if q else None, acc.quote)
                assert q is not None and d is not None
                s.delete(q)
                op.record(acc.quote, None)
                s.delete(d)
                op.record(acc.decision, None)
            s.flush()
            kept: list[SourceRecord] = []
            for acc in reversed(accepted):
                for rec in reversed(acc.created_sources):
                    src = s.get(Source, rec.id)
                    if src is None:
                        continue
                    if source_record(src) != rec or any(_usage(s, rec.id).values()):
                        kept.append(source_record(src))
                        continue
                    s.delete(src)
                    s.flush()
                    op.record(rec, None)
            op.extra["kept_sources"] = kept

        return self._run("undo accept suggestion", run)

    def redo_accept_suggestions(self, accepted: Sequence[AcceptedSuggestion]) -> OpResult:
        """Put back exactly what :meth:`undo_accept_suggestions` took away (same ids): the sources
        (those still there are kept as they are), the quotes and the decisions. Refused when a quote
        or decision exists again, or the suggestion was decided on again in the meantime."""

        def run(op: _Op) -> None:
            s = op.session
            for acc in accepted:
                for rec in acc.created_sources:
                    if s.get(Source, rec.id) is None:
                        self._new_source(op, audit_action="redo accept suggestion", **rec.to_dict())
            for acc in accepted:
                self._restore_quote(op, acc.quote, None)
                self._restore_decision(op, acc.decision)
            op.extra["accepted"] = list(accepted)

        return self._run("redo accept suggestion", run)

    def undo_reject_suggestion(self, decision: SuggestionDecisionRecord) -> OpResult:
        """Take a rejection back: delete the decision (the suggestion shows again). Refused when the
        decision is no longer as it was recorded."""

        def run(op: _Op) -> None:
            d = op.session.get(SuggestionDecision, decision.id)
            _check_expected("suggestion decision", decision.id, decision_record(d) if d else None, decision)
            op.session.delete(d)
            op.record(decision, None)

        return self._run("undo reject suggestion", run)

    def redo_reject_suggestion(self, decision: SuggestionDecisionRecord) -> OpResult:
        """Record a rejection again exactly as it was (same id), after :meth:`undo_reject_suggestion`."""

        def run(op: _Op) -> None:
            self._restore_decision(op, decision)
            op.extra["decision"] = decision

        return self._run("redo reject suggestion", run)

    def _restore_decision(self, op: _Op, rec: SuggestionDecisionRecord) -> None:
        s = op.session
        existing = s.get(SuggestionDecision, rec.id)
        _check_expected("suggestion decision", rec.id, decision_record(existing) if existing else None, None)
        other = s.scalar(
            select(SuggestionDecision).where(
                SuggestionDecision.article_id == rec.article_id,
                SuggestionDecision.fingerprint == rec.fingerprint,
            )
        )
        if other is not None:
            raise ConflictError(
                f"the suggestion was {other.decision} again by {other.decided_by} in the meantime: "
                "nothing was changed"
            )
        d = SuggestionDecision(**rec.to_dict())
        s.add(d)
        s.flush()
        op.record(None, decision_record(d))

    # == Settings ============================================================================

    def setting(self, key: str) -> Any:
        """A per-database setting (see :data:`annotator.model.SETTINGS` for keys and defaults)."""
        if key not in SETTINGS:
            raise ValidationError(f"unknown setting {key!r}: known settings are {', '.join(SETTINGS)}")
        with self.db.read() as s:
            return _setting(s, key)

    def set_setting(self, key: str, value: Any) -> OpResult:
        if key not in SETTINGS:
            raise ValidationError(f"unknown setting {key!r}: known settings are {', '.join(SETTINGS)}")
        default = SETTINGS[key][1]
        if type(value) is not type(default):
            raise ValidationError(f"setting {key!r} takes a {type(default).__name__}, not {value!r}")

        def run(op: _Op) -> None:
            s = op.session
            row = s.get(Setting, key)
            before = SettingRecord(SETTINGS[key][0], key, json.loads(row.value)) if row else None
            if row is None:
                row = Setting(key=key, value=canonical_json(value))
                s.add(row)
            else:
                row.value = canonical_json(value)
            op.record(before, SettingRecord(SETTINGS[key][0], key, value))

        return self._run("change setting", run)

    def _four_eyes(self, session: Session) -> bool:
        return bool(_setting(session, "four_eyes"))

    # == Audit ===============================================================================

    def verify_audit(
        self, *, expect_head: str | None = None, witness: Path | str | None = None
    ) -> audit.AuditReport:
        """Check the audit log (see :func:`annotator.audit.verify`).

        ``expect_head``: a ``SEQ:SHA256`` head known from outside (``audit head``'s output): the
        log must still hold that entry with that hash. ``witness``: a witness file (see
        :meth:`append_witness`): the log must hold every head it records for this database."""
        expect = [audit.parse_head(expect_head, "--expect-head")] if expect_head is not None else []
        lines = audit.read_witness(witness) if witness is not None else []
        with self.db.read() as s:
            if lines:
                heads, _ = audit.witness_heads(lines, root=audit.log_root(s), database=self.database_label,
                                               origin=f"witness file {witness}")  # fmt: skip
                expect += heads
            return audit.verify(s, expect=expect)

    @property
    def database_label(self) -> str:
        """The database as written into witness files: its URL, password hidden."""
        from annotator.db import describe_url

        return describe_url(self.db.url)

    def append_witness(self, path: Path | str | None = None, *, note: str = "") -> audit.WitnessLine:
        """Append the audit log's head to a witness file (by default
        :func:`annotator.audit.default_witness_path`).

        Exports call it, and so can a periodic job: a copy of the file kept elsewhere (or
        published) lets ``verify_audit(witness=...)`` notice a log cut short, rewritten or put back."""
        with self.db.read() as s:
            return audit.append_witness(path or audit.default_witness_path(), s, database=self.database_label,
                                        note=note)  # fmt: skip

    def audit_log_root(self) -> str | None:
        """The hash of the log's first entry: the id of this database (and its copies) for quote sets."""
        with self.db.read() as s:
            return audit.log_root(s)

    def check_set_head(
        self, seq: int | None, sha256: str | None, database_id: str | None
    ) -> audit.SetHeadCheck:
        """What a quote set's recorded audit head says about this log
        (see :func:`annotator.audit.check_set_head`)."""
        with self.db.read() as s:
            return audit.check_set_head(s, seq=seq, sha256=sha256, database_id=database_id)

    def audit_head(self) -> tuple[int, str]:
        with self.db.read() as s:
            return audit.head(s)

    def history(self, object_type: str, object_id: int) -> list[HistoryEntry]:
        """Every audit entry about one object (for a quote: also its reviews), oldest first."""
        with self.db.read() as s:
            stmt = select(AuditEntry).where(
                AuditEntry.object_type == object_type, AuditEntry.object_id == object_id
            )
            if object_type == "quote":
                review_ids = select(Review.id).where(Review.quote_id == object_id)
                stmt = select(AuditEntry).where(
                    or_(
                        (AuditEntry.object_type == "quote") & (AuditEntry.object_id == object_id),
                        (AuditEntry.object_type == "review") & AuditEntry.object_id.in_(review_ids),
                    )
                )
            rows = s.scalars(stmt.order_by(AuditEntry.seq)).all()
            return [
                HistoryEntry(
                    e.seq,
                    e.at,
                    e.actor,
                    e.action,
                    e.object_type,
                    e.object_id,
                    json.loads(e.before) if e.before else None,
                    json.loads(e.after) if e.after else None,
                )
                for e in rows
            ]


# -- suggestions ---------------------------------------------------------------------------


def without_overlaps(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """The suggestions :meth:`Service.accept_suggestions` accepts: in the order given, each one that
    overlaps none kept before it (the same suggestion twice counts as an overlap)."""
    kept: list[Suggestion] = []
    for x in suggestions:
        if all(x.quote.end <= k.quote.start or k.quote.end <= x.quote.start for k in kept):
            kept.append(x)
    return kept


class _SpanIndex:
    """Does a span overlap any of these (sorted) spans? A binary search per question."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in spans]
        self.max_end: list[int] = []
        top = -1
        for _, b in spans:
            top = max(top, b)
            self.max_end.append(top)

    def hits(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # spans [0, i) start before ``end``
        return i > 0 and self.max_end[i - 1] > start


def _article_chain_sources(article_id: int) -> Any:
    """A select of the ids of every source in the chains of an article's quotes."""
    qt, ht = Quote.__table__, Hop.__table__
    speakers = select(qt.c.speaker_id).where(qt.c.article_id == article_id, qt.c.speaker_id.is_not(None))
    hops = select(ht.c.source_id).join(qt, qt.c.id == ht.c.quote_id).where(qt.c.article_id == article_id)
    return union(speakers, hops)


class _SourcePicker:
    """The registry source for each speaker and intermediary of the suggestions accepted in one
    operation, created when there is none (and created once per operation)."""

    def __init__(self, service: Service, op: _Op, art: Article) -> None:
        self.service, self.op = service, op
        self.created: list[SourceRecord] = []
        self.action = "accept suggestion"
        self.anonymous = list(
            op.session.scalars(
                select(Source)
                .where(
                    Source.kind == SourceKind.ANONYMOUS.value, Source.id.in_(_article_chain_sources(art.id))
                )
                .order_by(Source.id)
            )
        )

    def pick(self, ref: SourceRef | None) -> int | None:
        if ref is None:
            return None
        s = self.op.session
        name = " ".join(ref.name.split())[:300] or (ref.mention.text[:300] if ref.mention else "")
        if ref.kind == SourceKind.ANONYMOUS.value:
            # Only the anonymous sources of this article: "a senior official" elsewhere is someone else.
            key = name_key(name)
            for src in self.anonymous:
                if src.id == ref.known_id or src.name_key == key:
                    return src.id
            descriptor = " ".join((ref.mention.text if ref.mention else name).split())[:300]
            src = self._create(ref.kind, name, descriptor=descriptor)
            self.anonymous.append(src)
            return src.id
        if ref.known_id is not None:
            known = s.get(Source, ref.known_id)
            if known is not None and known.kind != SourceKind.ANONYMOUS.value:
                return known.id
        found = [m for m in self.service._match_sources(s, name) if m.kind != SourceKind.ANONYMOUS.value]
        same_kind = [m for m in found if m.kind == ref.kind]
        if same_kind:
            return same_kind[0].id
        if len(found) == 1:
            return found[0].id
        return self._create(ref.kind, name).id

    def _create(self, kind: str, name: str, *, descriptor: str | None = None) -> Source:
        src = self.service._new_source(
            self.op, audit_action=self.action, kind=kind, name=name, descriptor=descriptor
        )
        self.created.append(source_record(src))
        return src


def _suggestion_action(verb: str, sugg: Suggestion, version: str) -> str:
    """The audit action of a decision: ``accept suggestion (confidence 0.75, suggester rules-1)``."""
    return f"{verb} (confidence {sugg.confidence:.2f}, suggester {version})"[:100]


def _excerpt(text: str, width: int = 40) -> str:
    one = " ".join(text.split())
    return f"“{one if len(one) <= width else one[: width - 1] + '…'}”"


# -- small helpers ---------------------------------------------------------------------------


_VERSION_COLUMNS = ("number", "lineage_id", "fetch_url", "final_url", "fetched_at", "http_date", "http_etag",
                    "http_last_modified")  # fmt: skip


def _article_record_from_row(values: dict[str, Any]) -> ArticleRecord:
    """An article's record from a row of its columns and its version's (``v_``-prefixed, outer-joined)."""
    published = values.get("published")
    fields = {f.name: values[f.name] for f in dataclasses.fields(ArticleRecord) if f.name in values}
    fields["published"] = published.isoformat() if published else None
    if values.get("v_number") is not None:
        number = values["v_number"]
        fields.update(
            version=number,
            version_of=values["v_lineage_id"] if number > 1 else None,
            **{k: values[f"v_{k}"] for k in _VERSION_COLUMNS[2:]},
        )
    return ArticleRecord(**fields)


_EXTRACTED_FIELDS = (
    ("outlet", "outlet", Source.name),
    ("url", "URL", Article.url),
    ("byline", "byline", Article.byline),
    ("language", "language", Article.language),
    ("filename", "file name", Article.filename),
    ("encoding", "encoding", Article.encoding),
)


def _title(extracted: Any, fallback: str | None = None) -> str:
    """The article's title, cut to what the column holds (a page's title can be any length);
    ``fallback`` (an earlier version's title) when the text has none."""
    stem = validation.without_refused(Path(extracted.filename).stem).strip()
    title = validation.without_refused(extracted.title or fallback or "").strip() or stem or "Untitled"
    return validation.check(title[: validation.column_limit(Article.title)], "title")


def _check_extracted(extracted: Any) -> None:
    """Refuse an article whose metadata cannot be stored (too long, control or bidi characters),
    naming the field, before anything is written."""
    for attr, label, column in _EXTRACTED_FIELDS:
        value = getattr(extracted, attr, None)
        if isinstance(value, str):
            validation.check(value, label, column=column)


def _check_expected(kind: str, ident: int, current: Record | None, expected: Any) -> None:
    """Refuse (ConflictError) when a row is no longer in the state the caller last saw."""
    if expected is UNSET or current == expected:
        return
    if current is None:
        raise ConflictError(
            f"{kind} {ident} was deleted by someone else in the meantime: nothing was changed"
        )
    if expected is None:
        raise ConflictError(f"{kind} {ident} was re-created in the meantime: nothing was changed")
    who = getattr(current, "chain_edited_by", None) if kind == "quote" else None
    by = f" (last chain edit by {who})" if who else ""
    raise ConflictError(
        f"{kind} {ident} was changed by someone else in the meantime{by}: nothing was changed"
    )


def _usage(s: Session, source_id: int) -> dict[str, list[int]]:
    return {
        "speaker_of": list(
            s.scalars(select(Quote.id).where(Quote.speaker_id == source_id).order_by(Quote.id))
        ),
        "hop_of": list(
            s.scalars(select(Hop.quote_id).where(Hop.source_id == source_id).order_by(Hop.quote_id))
        ),
        "outlet_of": list(
            s.scalars(select(Article.id).where(Article.outlet_id == source_id).order_by(Article.id))
        ),
        "affiliation_of": list(
            s.scalars(select(Source.id).where(Source.affiliation_id == source_id).order_by(Source.id))
        ),
    }


def portable_chain(
    record: QuoteRecord, article_uid: str, source_uids: dict[int, str], text: str
) -> dict[str, Any]:
    """What a reviewer signs, in terms that survive an export and import into another database
    (uids, not local ids) and a new version of the article (texts, not offsets): the article (its
    first version's uid), the quote's text, its type, the cue's words, the speaker, and the ordered
    hops with the words of their evidence. ``text`` is the canonical text of the quote's version.

    So a quote that only moved in a new version keeps the hash its approval signed; a change to
    its words, its cue's or its evidence's changes the hash."""

    def words(span: Span | None) -> str | None:
        return text[span[0] : span[1]] if span else None

    return {
        "article": article_uid,
        "quote": record.text,
        "type": record.type,
        "cue": words(record.cue),
        "speaker": source_uids[record.speaker_id] if record.speaker_id is not None else None,
        "hops": [
            {"source": source_uids[h.source_id], "relation": h.relation, "evidence": words(h.evidence)}
            for h in record.hops
        ],
    }


def chain_sha256(chain: dict[str, Any]) -> str:
    """SHA-256 of a :func:`portable_chain`'s canonical JSON."""
    return hashlib.sha256(canonical_json(chain).encode("utf-8")).hexdigest()


def _setting(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    return json.loads(row.value) if row else SETTINGS[key][1]


class _ArticleBounds(NamedTuple):
    """What a write needs of an article: its identity, title (for messages) and text length."""

    id: int
    uid: str
    title: str
    text_length: int


# Statements of the write path, built once (building them per call costs as much as sending them).
_ARTICLE_TABLE: Table = Article.__table__  # type: ignore[assignment]
_HOP_TABLE: Table = Hop.__table__  # type: ignore[assignment]
_QUOTE_TABLE: Table = Quote.__table__  # type: ignore[assignment]
_VERSION_TABLE: Table = ArticleVersion.__table__  # type: ignore[assignment]


def _newest_after(column: Any) -> Any:
    """``column`` of the newest version of the article's lineage newer than the article (None when
    it is the newest), as a scalar subquery correlated with the article row."""
    mine, newer = _VERSION_TABLE.alias("mine"), _VERSION_TABLE.alias("newer")
    lineage = func.coalesce(
        select(mine.c.lineage_id)
        .where(mine.c.article_id == _ARTICLE_TABLE.c.id)
        .correlate(_ARTICLE_TABLE)
        .scalar_subquery(),
        _ARTICLE_TABLE.c.id,
    )
    number = func.coalesce(
        select(mine.c.number)
        .where(mine.c.article_id == _ARTICLE_TABLE.c.id)
        .correlate(_ARTICLE_TABLE)
        .scalar_subquery(),
        1,
    )
    return (
        select(newer.c[column])
        .where(newer.c.lineage_id == lineage, newer.c.number > number)
        .order_by(newer.c.number.desc())
        .limit(1)
        .correlate(_ARTICLE_TABLE)
        .scalar_subquery()
    )


_ARTICLE_FOR_WRITE = select(
    _ARTICLE_TABLE.c.id, _ARTICLE_TABLE.c.uid, _ARTICLE_TABLE.c.title, _ARTICLE_TABLE.c.text_length,
    _newest_after("article_id"), _newest_after("number"), *audit.head_columns(),
).where(_ARTICLE_TABLE.c.id == bindparam("article_id"))  # fmt: skip
_ARTICLE_FOR_WRITE_WITH_TEXT = _ARTICLE_FOR_WRITE.add_columns(_ARTICLE_TABLE.c.text)
_CHAIN_NAMES = select(Source.id, Source.name).where(Source.id.in_(bindparam("ids", expanding=True)))
_INSERT_QUOTE = insert(_QUOTE_TABLE)
_INSERT_HOPS = insert(_HOP_TABLE)
_FIELD_COLUMN = {"start": "span_start", "end": "span_end"}


def _hop_row(quote_id: int, position: int, hop: HopRecord) -> dict[str, Any]:
    ev = hop.evidence or (None, None)
    return {"quote_id": quote_id, "position": position, "source_id": hop.source_id, "relation": hop.relation,
            "evidence_start": ev[0], "evidence_end": ev[1]}  # fmt: skip


def _delete_rows(session: Session, model: Any, where: Any) -> None:
    """Delete rows through the ORM (so the identity map stays right), flushed at once."""
    for row in session.scalars(select(model).where(where)).all():
        session.delete(row)
    session.flush()


def _int() -> Any:
    from sqlalchemy import Integer

    return Integer


def _check_type(value: str) -> str:
    if value not in {t.value for t in QuoteType}:
        raise ValidationError(f"unknown quote type {value!r}: use direct, partial or indirect")
    return value


def _check_position(pos: int, count: int) -> None:
    if not 0 <= pos < count:
        raise ChainError(f"hop position {pos + 1} does not exist (the chain has {max(count, 0)} position(s))")


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _db_message(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    msg = str(orig if orig is not None else exc).strip().splitlines()[0]
    return msg


def _by_ref(session: Session, model: Any, ref: str, title_column: Any = None) -> Any:
    ref = str(ref).strip()
    if ref.isdigit():
        return session.get(model, int(ref))
    obj = session.scalar(select(model).where(model.uid == ref))
    if obj is None and len(ref) >= 4:
        found = session.scalars(
            select(model).where(model.uid.like(f"{_escape_like(ref)}%", escape="\\")).limit(2)
        ).all()
        if len(found) == 1:
            obj = found[0]
    if obj is None and title_column is not None:
        found = session.scalars(select(model).where(title_column == ref).limit(2)).all()
        if len(found) == 1:
            obj = found[0]
    return obj

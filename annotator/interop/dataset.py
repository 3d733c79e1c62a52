"""What the interchange exports share: one consistent read of the data, and atomic file writes.

:func:`load` reads the selected quotes with everything they refer to (articles, every source of
their chains, the articles' outlets, transitively the affiliations, the sign-offs and, when asked,
the article texts) in ONE read transaction that sees one state of the database (REPEATABLE READ on
PostgreSQL), through read-only selects on the model. Everything is returned as plain records in
a stable order that depends on the data only (uids, offsets), never on local ids, so that two
exports of the same data, from this database or from another one it was copied into, are the same.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from annotator.atomicfile import NotRegularFileError, Staging, check_target, copy_mode
from annotator.db import Database, chunks
from annotator.errors import AnnotatorError, NotFoundError, ValidationError
from annotator.model import SETTINGS, Article, ExternalId, Quote, Review, Setting, Source, SourceAlias, Status
from annotator.records import (
    ArticleRecord,
    QuoteRecord,
    ReviewRecord,
    SourceRecord,
    article_record,
    review_record,
    select_quote_records,
)
from annotator.service import Service

STATUS_FILTERS = ("verified", "all")
"""The ``status`` filter of every export: verified quotes only (the default), or every quote."""


class InteropError(AnnotatorError):
    """A file that cannot be written or read in an interchange format; the message names the file
    (and the line, for a file read) and the problem."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.line = line


class ExportCancelled(InteropError):
    """An export whose ``cancel`` callable asked it to stop; nothing was written."""


def cancel_check(path: Path | str, cancel: Callable[[], bool] | None) -> Callable[[], None]:
    """What an export calls between items: raises :class:`ExportCancelled` once ``cancel`` (polled
    each call; None: never) returns true."""

    def check() -> None:
        if cancel is not None and cancel():
            raise ExportCancelled(path, "export cancelled")

    return check


@dataclass(frozen=True)
class Dataset:
    """The selected quotes and what they need, as records, in a stable order."""

    articles: dict[int, ArticleRecord]
    """By local id, in uid order."""
    sources: dict[int, SourceRecord]
    """Every source the quotes, their articles and (transitively) their affiliations name, in uid order."""
    quotes: list[QuoteRecord]
    """By article uid, then start, end and uid."""
    reviews: dict[int, tuple[ReviewRecord, ...]]
    """Sign-offs by quote id, oldest first."""
    texts: dict[int, str]
    """Canonical texts by article id (only when loaded with ``with_text``)."""
    settings: dict[str, Any]
    """Every per-database setting (stored or default), read in the same snapshot."""

    def article_quotes(self, article_id: int) -> list[QuoteRecord]:
        return [q for q in self.quotes if q.article_id == article_id]


@dataclass(frozen=True)
class ExportResult:
    """What an interchange export wrote."""

    path: Path
    """The file written (for brat, the directory)."""
    format: str
    quotes: int
    articles: int
    sources: int
    sha256: str
    """Hex SHA-256 of the file (for brat, of the sorted ``name NUL sha256`` lines of its files)."""
    size: int
    files: tuple[Path, ...] = ()
    """For brat: every file written, sorted."""


def database(db_or_service: Database | Service) -> Database:
    return db_or_service.db if isinstance(db_or_service, Service) else db_or_service


def load(
    db_or_service: Database | Service,
    *,
    status: str | Iterable[str] = "verified",
    article_ids: Iterable[int] | None = None,
    with_text: bool = False,
) -> Dataset:
    """Read the quotes selected by ``status`` (``"verified"``, ``"all"``, or an iterable of
    statuses) and ``article_ids`` (local ids; None or empty: every article) in one snapshot.

    Raises :class:`ValidationError` for an unknown status and :class:`NotFoundError` for an unknown
    article; a database that cannot be read raises :class:`AnnotatorError` with a one-line reason.
    """
    wanted_statuses = _statuses(status)
    wanted_articles = sorted(set(article_ids)) if article_ids else None
    db = database(db_or_service)
    try:
        with db.snapshot() as session:
            return _load(session, wanted_statuses, wanted_articles, with_text)
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        reason = str(orig if orig is not None else exc).strip().splitlines()[0]
        raise AnnotatorError(f"the database could not be read ({reason})") from exc


def _statuses(status: str | Iterable[str]) -> tuple[str, ...] | None:
    known = {s.value for s in Status}
    if isinstance(status, str):
        if status == "all":
            return None
        if status == "verified":
            return (Status.VERIFIED.value,)
        raise ValidationError(f"unknown status filter {status!r}: use verified or all")
    out = tuple(sorted(set(status)))
    for s in out:
        if s not in known:
            raise ValidationError(f"unknown status {s!r}: use one of {', '.join(sorted(known))}")
    return out


def _load(
    session: Session, statuses: tuple[str, ...] | None, article_ids: list[int] | None, with_text: bool
) -> Dataset:
    qt = Quote.__table__
    conds: list[Any] = []
    if statuses is not None:
        conds.append(qt.c.status.in_(statuses))
    if article_ids is not None:
        found: set[int] = set()
        for chunk in chunks(article_ids):
            found.update(session.scalars(select(Article.id).where(Article.id.in_(chunk))))
        missing = [i for i in article_ids if i not in found]
        if missing:
            raise NotFoundError("article", missing[0])
        conds.append(qt.c.article_id.in_(article_ids))
    quotes = select_quote_records(session, and_(*conds) if conds else None)

    art_rows: dict[int, Article] = {}
    for chunk in chunks({q.article_id for q in quotes}):
        for a in session.scalars(select(Article).where(Article.id.in_(chunk))):
            art_rows[a.id] = a
    articles = {a.id: article_record(a) for a in sorted(art_rows.values(), key=lambda a: a.uid.encode())}
    art_uid = {aid: a.uid for aid, a in articles.items()}
    quotes.sort(key=lambda q: (art_uid[q.article_id].encode(), q.start, q.end, q.uid.encode()))

    needed = {sid for q in quotes for sid in q.chain_source_ids}
    needed |= {a.outlet_id for a in articles.values() if a.outlet_id is not None}
    sources = _load_sources(session, needed)

    reviews: dict[int, list[ReviewRecord]] = defaultdict(list)
    for chunk in chunks(q.id for q in quotes):
        for r in session.scalars(select(Review).where(Review.quote_id.in_(chunk)).order_by(Review.id)):
            reviews[r.quote_id].append(review_record(r))

    texts: dict[int, str] = {}
    if with_text:
        for chunk in chunks(articles, 8):
            texts.update(session.execute(select(Article.id, Article.text).where(Article.id.in_(chunk))).all())
    settings = {key: json.loads(json.dumps(default)) for key, (_id, default) in SETTINGS.items()}
    settings.update((row.key, json.loads(row.value)) for row in session.scalars(select(Setting)))
    session.expunge_all()
    return Dataset(articles, sources, quotes, {k: tuple(v) for k, v in reviews.items()}, texts, settings)


def _load_sources(session: Session, needed: set[int]) -> dict[int, SourceRecord]:
    rows: dict[int, Source] = {}
    frontier = set(needed)
    while frontier:
        more: set[int] = set()
        for chunk in chunks(frontier):
            for src in session.scalars(select(Source).where(Source.id.in_(chunk))):
                rows[src.id] = src
                if src.affiliation_id is not None and src.affiliation_id not in rows:
                    more.add(src.affiliation_id)
        frontier = more - set(rows)
    aliases: dict[int, list[str]] = defaultdict(list)
    ext: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in chunks(rows):
        for sid, alias in session.execute(
            select(SourceAlias.source_id, SourceAlias.alias).where(SourceAlias.source_id.in_(chunk))
        ):
            aliases[sid].append(alias)
        for sid, scheme, value in session.execute(
            select(ExternalId.source_id, ExternalId.scheme, ExternalId.value).where(
                ExternalId.source_id.in_(chunk)
            )
        ):
            ext[sid].append((scheme, value))
    out: dict[int, SourceRecord] = {}
    for s in sorted(rows.values(), key=lambda s: s.uid.encode()):
        out[s.id] = SourceRecord(
            id=s.id, uid=s.uid, kind=s.kind, name=s.name, role=s.role, affiliation_id=s.affiliation_id,
            descriptor=s.descriptor, nationality=s.nationality, aliases=tuple(sorted(aliases[s.id])),
            external_ids=tuple(sorted(ext[s.id])),
        )  # fmt: skip
    return out


# -- files ----------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> tuple[str, int]:
    """Write ``data`` beside ``path`` and rename it into place (an existing file is replaced only
    by a complete new one). Returns the hex SHA-256 and the size."""
    path = Path(path)
    if not path.parent.is_dir():
        raise InteropError(path, f"the folder {str(path.parent)!r} does not exist")
    try:
        with Staging(path) as staging:
            fd, tmp = staging.new(path)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            copy_mode(path, tmp)
            check_target(path)
            os.replace(tmp, path)
    except NotRegularFileError as e:
        raise InteropError(path, e.strerror or str(e)) from e
    return hashlib.sha256(data).hexdigest(), len(data)

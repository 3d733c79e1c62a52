"""Listings read straight through the DB-API: the command line's read commands without SQLAlchemy.

Importing SQLAlchemy and mapping the model costs a command more than the whole of what
``annotator articles``, ``quotes`` or ``sources`` then do on a desk's database. :class:`Listing`
answers the same reads as the service (:meth:`~annotator.service.Service.articles`, ``quotes``,
``sources``, ``find_sources``, ``article_by_ref``): the same records, in the same order, read with
the standard library's ``sqlite3`` in one read transaction (one snapshot), in plain SQL over the
tables of :mod:`annotator.model`.

:meth:`Listing.open` serves an SQLite file that exists and whose schema is at the newest revision;
otherwise (PostgreSQL, a file still to create, a schema to upgrade) it returns None and the caller
opens the database the usual way, which creates or upgrades it. It never writes: the connection is
``query_only`` and its transaction is rolled back.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from annotator.canonical import escape_like, match_rank, name_key
from annotator.errors import AnnotatorError, NotFoundError
from annotator.migrations import HEAD_REVISION
from annotator.paths import resolve_url
from annotator.recordtypes import (
    QUOTE_COLUMN_FIELDS,
    ArticleRecord,
    ArticleSummary,
    HopRecord,
    QuoteRecord,
    SourceRecord,
    span_of,
)
from annotator.vocab import Status, check_status

BUSY_TIMEOUT_S = 10.0
_VERSION_COLUMNS = (
    "coalesce(v.number, 1)",  # version: an article without a version row is version 1 of itself
    "CASE WHEN v.number > 1 THEN v.lineage_id END",  # version_of
    "v.fetch_url", "v.final_url", "v.fetched_at", "v.http_date", "v.http_etag", "v.http_last_modified",
)  # fmt: skip
_ARTICLE_COLUMNS = ", ".join(
    [f"a.{f.name}" for f in dataclasses.fields(ArticleRecord)][: -len(_VERSION_COLUMNS)]
    + list(_VERSION_COLUMNS)
)
"""An :class:`ArticleRecord`'s fields in order, from ``article a LEFT JOIN article_version v``."""
_ARTICLE_FROM = "article a LEFT JOIN article_version v ON v.article_id = a.id"
_SUPERSEDED = (
    "SELECT lineage_id FROM article_version WHERE number > 1 UNION "
    "SELECT o.article_id FROM article_version o JOIN article_version n "
    "ON n.lineage_id = o.lineage_id AND n.number > o.number"
)
"""Ids of the articles a newer version replaces (as :meth:`Service.articles`)."""
_SOURCE_COLUMNS = "id, uid, kind, name, role, affiliation_id, descriptor, nationality, name_key"


def sqlite_path(url: str) -> Path | None:
    """The file of an ``sqlite:///PATH`` URL (None for another database, memory or URL options)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path)


class Listing:
    """Read-only listings on an open SQLite connection (see the module docstring)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, url: str | os.PathLike[str] | None = None) -> Listing | None:
        """Listings of the database at ``url`` (resolved as :func:`annotator.db.Database.open` does),
        or None when it is not an SQLite file at the newest schema revision."""
        path = sqlite_path(resolve_url(url))
        if path is None or not path.is_file():
            return None
        try:
            conn = sqlite3.connect(
                f"file:{url_quote(str(path))}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
            )
        except sqlite3.Error:
            return None  # the usual way reports it
        try:
            conn.execute("PRAGMA query_only=ON")
            conn.execute("BEGIN")  # one snapshot for every read of the command
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            row = None
        if row is None or row[0] != HEAD_REVISION:
            conn.close()
            return None
        return cls(conn)

    def close(self) -> None:
        try:
            self._db.rollback()
        finally:
            self._db.close()

    def __enter__(self) -> Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise AnnotatorError(f"the database could not be read ({reason})") from exc

    # -- articles ---------------------------------------------------------------------------

    def articles(self, *, search: str | None = None) -> list[ArticleSummary]:
        """Every article (its newest version) with its quote counts, in the order they were first
        imported (as :meth:`Service.articles`)."""
        sql = (
            f"SELECT {_ARTICLE_COLUMNS}, s.name, c.n, c.v, c.r FROM {_ARTICLE_FROM} "
            "LEFT JOIN source s ON s.id = a.outlet_id "
            "LEFT JOIN (SELECT article_id, count(*) AS n, "
            "sum(CAST(status = ? AS INTEGER)) AS v, sum(CAST(status = ? AS INTEGER)) AS r "
            "FROM quote GROUP BY article_id) c ON c.article_id = a.id"
        )
        params: tuple[Any, ...] = (Status.VERIFIED.value, Status.NEEDS_REVIEW.value)
        sql += f" WHERE a.id NOT IN ({_SUPERSEDED})"
        if search:
            sql += " AND (lower(a.title) LIKE lower(?) OR lower(s.name) LIKE lower(?))"
            params += (f"%{search}%", f"%{search}%")
        n = len(dataclasses.fields(ArticleRecord))
        return [
            ArticleSummary(ArticleRecord(*row[:n]), row[n], row[n + 1] or 0, row[n + 2] or 0, row[n + 3] or 0)
            for row in self._rows(sql + " ORDER BY coalesce(v.lineage_id, a.id)", params)
        ]

    def article_by_ref(self, ref: str) -> ArticleRecord:
        """An article by id, uid (or a unique uid prefix of 4+ characters), or exact title."""
        ref = str(ref).strip()
        select = f"SELECT {_ARTICLE_COLUMNS} FROM {_ARTICLE_FROM} WHERE "
        rows: list[Any] = []
        if ref.isdigit():
            rows = self._rows(select + "a.id = ?", (int(ref),))
        else:
            rows = self._rows(select + "a.uid = ?", (ref,))
            if not rows and len(ref) >= 4:
                found = self._rows(select + "a.uid LIKE ? ESCAPE '\\' LIMIT 2", (f"{escape_like(ref)}%",))
                rows = found if len(found) == 1 else []
            if not rows:
                found = self._rows(select + "a.title = ? LIMIT 2", (ref,))
                rows = found if len(found) == 1 else []
        if not rows:
            raise NotFoundError("article", ref)
        return ArticleRecord(*rows[0])

    # -- quotes -----------------------------------------------------------------------------

    def quotes(self, article_id: int | None = None, *, status: str | None = None) -> list[QuoteRecord]:
        """Quotes with their chains, in text order (as :meth:`Service.quotes`)."""
        conditions: list[str] = []
        params: list[Any] = []
        if article_id is not None:
            conditions.append("article_id = ?")
            params.append(article_id)
        if status is not None:
            conditions.append("status = ?")
            params.append(check_status(status))
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        hops: dict[int, list[tuple[int, HopRecord]]] = defaultdict(list)
        hop_sql = "SELECT quote_id, position, source_id, relation, evidence_start, evidence_end FROM hop"
        if where:
            hop_sql += f" WHERE quote_id IN (SELECT id FROM quote{where})"
        for qid, position, source_id, relation, ev_start, ev_end in self._rows(hop_sql, tuple(params)):
            hops[qid].append((position, HopRecord(source_id, relation, span_of(ev_start, ev_end))))
        cursor = self._db.cursor()
        try:
            cursor.execute(
                f"SELECT * FROM quote{where} ORDER BY article_id, span_start, span_end, id", params
            )
            names = [QUOTE_COLUMN_FIELDS.get(d[0], d[0]) for d in cursor.description]
            rows = cursor.fetchall()
        except sqlite3.Error as exc:
            raise AnnotatorError(f"the database could not be read ({exc})") from exc
        build, at = QuoteRecord.from_columns, names.index("id")
        return [
            build(
                dict(zip(names, row, strict=True)),
                tuple(h for _, h in sorted(hops[row[at]])) if row[at] in hops else (),
            )
            for row in rows
        ]

    # -- sources ----------------------------------------------------------------------------

    def _sources(self, where: str = "", params: tuple[Any, ...] = ()) -> list[SourceRecord]:
        rows = self._rows(f"SELECT {_SOURCE_COLUMNS} FROM source{where} ORDER BY name_key, id", params)
        aliases: dict[int, list[tuple[str, str]]] = defaultdict(list)
        ext: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for sid, alias, key in self._rows("SELECT source_id, alias, alias_key FROM source_alias"):
            aliases[sid].append((alias, key))
        for sid, scheme, value in self._rows("SELECT source_id, scheme, value FROM source_external_id"):
            ext[sid].append((scheme, value))
        return [
            SourceRecord(
                id=sid,
                uid=uid,
                kind=kind,
                name=name,
                role=role,
                affiliation_id=aff,
                descriptor=descriptor,
                nationality=nationality,
                aliases=tuple(a for a, _ in sorted(aliases[sid])),
                external_ids=tuple(sorted(ext[sid])),
                name_key=nkey,
                alias_keys=tuple(k for _, k in sorted(aliases[sid])),
            )  # fmt: skip
            for sid, uid, kind, name, role, aff, descriptor, nationality, nkey in rows
        ]

    def sources(self, *, kind: str | None = None) -> list[SourceRecord]:
        """Every source (or those of one kind), by name (as :meth:`Service.sources`)."""
        return self._sources(" WHERE kind = ?", (kind,)) if kind else self._sources()

    def find_sources(self, text: str, *, limit: int = 20) -> list[SourceRecord]:
        """Sources whose name or an alias contains ``text`` (case-insensitive), prefix matches first
        (as :meth:`Service.find_sources`)."""
        key = name_key(text)
        if not key:
            return []
        like = f"%{escape_like(key)}%"
        found = self._sources(
            " WHERE name_key LIKE ? ESCAPE '\\' OR id IN "
            "(SELECT source_id FROM source_alias WHERE alias_key LIKE ? ESCAPE '\\')",
            (like, like),
        )
        found.sort(key=lambda r: r.id)  # the service's order before ranking: the table's
        return sorted(found, key=lambda r: match_rank(key, r.name, r.aliases))[:limit]

"""Opening a database: URL resolution, engine set-up, migrations, read and write transactions.

SQLite is the embedded default (one file in the user data directory); any SQLAlchemy URL works,
and PostgreSQL is the option for a desk that shares one server.

SQLite connections run in WAL mode with ``synchronous=FULL``, foreign keys on and a busy timeout.
pysqlite's own transaction handling is switched off and SQLAlchemy emits the ``BEGIN`` itself
(the recipe in SQLAlchemy's pysqlite documentation), so that a write transaction starts with
``BEGIN IMMEDIATE``: it takes the write lock up front instead of failing half-way with
"database is locked". On PostgreSQL a write transaction takes a transaction-scoped advisory lock,
so that audit entries are appended one writer at a time.

An SQLite file that cannot be written (a read-only file, folder or medium, or a folder where the
``-wal`` and ``-shm`` files cannot be created, e.g. a full disk) is opened **read-only** instead,
without switching it to WAL: reads work, and every write is refused with
:class:`~annotator.errors.ReadOnlyDatabaseError` saying why (:attr:`Database.read_only`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from annotator.errors import ReadOnlyDatabaseError
from annotator.paths import ENV_VAR as ENV_VAR
from annotator.paths import default_url as default_url
from annotator.paths import resolve_url as resolve_url

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
_PG_WRITE_LOCK = 0x51A7_0A7E  # arbitrary, fixed: "the annotator's write lock"

IN_CHUNK = 500
"""Values per ``IN (...)`` list (SQLite allows 32,766 variables, PostgreSQL 65,535)."""


def chunks(items: Iterable[Any], n: int = IN_CHUNK) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``n``, e.g. for ``IN (...)`` lists."""
    items = list(items)
    for i in range(0, len(items), n):
        yield items[i : i + n]


def describe_url(url: str) -> str:
    """The URL for display, password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _make_engine(url: str) -> tuple[Engine, str | None]:
    """The engine, and the reason it is read-only (None: read-write)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        database = u.database or ""
        read_only: str | None = None
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            if path.exists():
                read_only = _sqlite_read_only_reason(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
            if read_only is not None:
                immutable = not _sqlite_readable(path, immutable=False)
                url = _read_only_url(url, path, immutable=immutable)
                log.info("opening %s read-only: %s", path, read_only)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, read_only=read_only is not None)
        return engine, read_only
    return create_engine(url, pool_pre_ping=True), None


# What SQLite says when the file, its folder or its medium cannot be written, or its -wal/-shm
# files cannot be created (not "database is locked", which is another writer, nor "file is not a
# database", which is another problem).
_NOT_WRITABLE = ("readonly", "read-only", "unable to open database file", "disk i/o error")


def _sqlite_read_only_reason(path: Path) -> str | None:
    """Why an existing SQLite file must be opened read-only, or None when it can be written:
    the file, its folder or its file system is read-only, or opening it in WAL mode fails."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only medium"
    except (AttributeError, OSError):  # no statvfs (Windows)
        pass
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK):
        return "its folder is read-only, so SQLite cannot create its -wal and -shm files beside it"
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchone()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            # Take the write lock and let it go, writing nothing: SQLite refuses it on a file it
            # could open but cannot write (e.g. one whose -shm it could only map read-only).
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if any(word in message.lower() for word in _NOT_WRITABLE):
            return f"SQLite cannot make or write its -wal and -shm files beside it ({message})"
        raise
    return None


def _sqlite_readable(path: Path, *, immutable: bool) -> bool:
    try:
        conn = sqlite3.connect(_file_uri(path, immutable=immutable), uri=True, isolation_level=None)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True


def _file_uri(path: Path, *, immutable: bool) -> str:
    # immutable=1: nothing else can change the file (read-only medium), so SQLite needs no -shm.
    query = "mode=ro&immutable=1" if immutable else "mode=ro"
    return f"file:{urllib.parse.quote(str(path.resolve()))}?{query}"


def _read_only_url(url: str, path: Path, *, immutable: bool) -> str:
    return f"sqlite:///{_file_uri(path, immutable=immutable)}&uri=true"


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:  # switching to WAL writes to the file, and needs the -wal and -shm files
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("annotator_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


class Database:
    """An open database: the engine, migrations applied, and transaction scopes.

    >>> db = Database.open("sqlite:///:memory:")  # doctest: +SKIP
    >>> with db.write() as session: ...           # one user action, one transaction
    """

    def __init__(self, url: str, engine: Engine, read_only: str | None = None) -> None:
        self.url = url
        self.engine = engine
        self.read_only = read_only
        """Why the database is open read-only (None: it is writable)."""
        self._write_engine = engine.execution_options(annotator_write=True)
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str | os.PathLike[str] | None = None, *, upgrade: bool = True) -> Database:
        """Open (and create, for SQLite) the database, upgrading its schema to the newest revision."""
        resolved = resolve_url(url)
        engine, read_only = _make_engine(resolved)
        db = cls(resolved, engine, read_only)
        try:
            if upgrade:
                from annotator import migrations

                migrations.upgrade_to_head(engine, read_only=read_only)
        except BaseException:
            engine.dispose()
            raise
        return db

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction. Objects loaded in it stay readable after it ends (no expiry)."""
        with self._read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read transaction that sees one state of the database from its first query to its last:
        SQLite's deferred BEGIN does (WAL: the snapshot holds until the transaction ends); PostgreSQL
        needs REPEATABLE READ (READ COMMITTED would take a new snapshot per statement)."""
        with self.read() as session:
            if self.dialect == "postgresql":
                session.connection(
                    execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
                )
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed if the block succeeds, rolled back if it raises."""
        if self.read_only is not None:
            u = make_url(self.url)
            where = u.database if u.get_backend_name() == "sqlite" else describe_url(self.url)
            raise ReadOnlyDatabaseError(
                f"{where} is open read-only, nothing can be changed: {self.read_only}"
            )
        with self._write_sessions() as session, session.begin():
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Opening a database: URL resolution, engine set-up, migrations, read and write transactions.

SQLite is the embedded default (one file in the user data directory); any SQLAlchemy URL works,
and PostgreSQL is the option for a desk that shares one server.

SQLite connections run in WAL mode with ``synchronous=FULL``, foreign keys on and a busy timeout.
pysqlite's own transaction handling is switched off and SQLAlchemy emits the ``BEGIN`` itself
(the recipe in SQLAlchemy's pysqlite documentation), so that a write transaction starts with
``BEGIN IMMEDIATE``: it takes the write lock up front instead of failing half-way with
"database is locked". On PostgreSQL a write transaction takes a transaction-scoped advisory lock,
so that audit entries are appended one writer at a time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

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


def _make_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        database = u.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
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

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
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
        engine = _make_engine(resolved)
        db = cls(resolved, engine)
        if upgrade:
            from annotator import migrations

            migrations.upgrade_to_head(engine)
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

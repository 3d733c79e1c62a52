"""Database fixtures: a fresh SQLite file per test, and a fresh PostgreSQL database per test.

PostgreSQL tests run when ``QUOTE_ANNOTATOR_TEST_PG`` names a server URL (``.ci/run`` sets it);
each test gets its own database, created from ``template0`` and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from annotator.db import Database, resolve_url
from annotator.service import Service

PG_URL = os.environ.get("QUOTE_ANNOTATOR_TEST_PG")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'annotations.sqlite3'}"


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server (dropped afterwards), as a URL."""
    if not PG_URL:
        if os.environ.get("QUOTE_ANNOTATOR_REQUIRE_PG"):
            pytest.fail("QUOTE_ANNOTATOR_REQUIRE_PG is set but QUOTE_ANNOTATOR_TEST_PG is not")
        pytest.skip("set QUOTE_ANNOTATOR_TEST_PG to a PostgreSQL URL to run the PostgreSQL tests")
    admin = create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"qa_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    base = resolve_url(PG_URL)
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def db(db_url) -> Iterator[Database]:
    database = Database.open(db_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(sqlite_url) -> Iterator[Database]:
    database = Database.open(sqlite_url)
    yield database
    database.close()


@pytest.fixture
def svc(db) -> Service:
    return Service(db, user="ana")


@pytest.fixture
def sqlite_svc(sqlite_db) -> Service:
    return Service(sqlite_db, user="ana")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_db(request, tmp_path_factory) -> Iterator[Database]:
    """One database shared by a test module, for tests that each work in a rolled-back transaction."""
    if request.param == "sqlite":
        database = Database.open(f"sqlite:///{tmp_path_factory.mktemp('db') / 'annotations.sqlite3'}")
        yield database
        database.close()
        return
    with fresh_pg_database() as url:
        database = Database.open(url)
        yield database
        database.close()

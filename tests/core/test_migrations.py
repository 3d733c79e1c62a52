"""Alembic: the migrations build exactly the model, and opening an older database upgrades it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from seed import SAMPLES

from annotator import migrations
from annotator.db import Database
from annotator.model import Base
from annotator.service import Service


def test_the_head_constant_is_the_newest_migration() -> None:
    assert migrations.HEAD_REVISION == migrations.head_revision()


def test_opening_a_current_database_does_not_import_alembic(tmp_path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    Database.open(url).close()
    code = (
        "import sys; from annotator.db import Database; Database.open(sys.argv[1]).close(); "
        "sys.exit(1 if 'alembic' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code, url]).returncode == 0


def test_migrations_build_exactly_the_model(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert migrations.current_revision(db.engine) == migrations.head_revision()


def test_opening_an_older_database_upgrades_it(db_url: str) -> None:
    old = Database.open(db_url, upgrade=False)
    migrations.upgrade(old.engine, "0001")
    assert migrations.current_revision(old.engine) == "0001"
    svc = Service(old, user="ana")
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    q = svc.create_quote(art.id, 1571, 1713).quote
    old.close()

    db = Database.open(db_url)
    assert migrations.current_revision(db.engine) == migrations.head_revision() != "0001"
    svc = Service(db, user="ana")
    assert svc.quote(q.id) == q
    assert svc.verify_audit().ok
    db.close()


def test_opening_an_up_to_date_database_changes_nothing(db_url: str) -> None:
    Database.open(db_url).close()
    db = Database.open(db_url)
    assert migrations.current_revision(db.engine) == migrations.head_revision()

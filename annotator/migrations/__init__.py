"""Alembic migrations of the annotator's schema, run on every open (see :func:`upgrade_to_head`).

Alembic itself is imported only when a database needs upgrading: importing it costs ~160 ms,
which every app start and every CLI command would otherwise pay to learn that nothing is to do.
Nor does importing this package import SQLAlchemy: a reader on the DB-API compares the database's
revision with :data:`HEAD_REVISION` (:mod:`annotator.listing`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent

HEAD_REVISION = "0004"
"""The newest revision in ``versions/`` (``tests/core/test_migrations.py`` checks it)."""


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def head_revision() -> str:
    """The newest revision according to Alembic's script directory."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database), read without Alembic."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` in one transaction."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def known_revisions() -> list[str]:
    """Every revision this version's migration scripts know, oldest first."""
    from alembic.script import ScriptDirectory

    return [
        script.revision
        for script in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    ]


def upgrade_to_head(engine: Engine, *, read_only: str | None = None) -> None:
    """Bring the schema to the newest revision; one query and no Alembic when it is already there.

    A database at a revision the migration scripts do not know (made by a newer version) is
    refused with :class:`~annotator.errors.DatabaseVersionError`; one that is open read-only
    (``read_only`` says why) and needs upgrading, with :class:`~annotator.errors.ReadOnlyDatabaseError`.
    """
    from annotator.errors import DatabaseVersionError, ReadOnlyDatabaseError

    current = current_revision(engine)
    if current == HEAD_REVISION:
        return
    known = known_revisions()
    if current is not None and current not in known:
        raise DatabaseVersionError(
            f"{_where(engine)}: made by a newer version of Quote Annotator (revision {current}); "
            f"this version knows up to {known[-1]}"
        )
    if read_only is not None:
        raise ReadOnlyDatabaseError(
            f"{_where(engine)} is open read-only ({read_only}) and its schema needs upgrading "
            f"from {current or 'nothing'} to {known[-1]}: open it where it can be written"
        )
    log.info("upgrading database schema from %s to %s", current or "empty", HEAD_REVISION)
    upgrade(engine, "head")


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)

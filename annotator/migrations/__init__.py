"""Alembic migrations of the annotator's schema, run on every open (see :func:`upgrade_to_head`).

Alembic itself is imported only when a database needs upgrading: importing it costs ~160 ms,
which every app start and every CLI command would otherwise pay to learn that nothing is to do.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

if TYPE_CHECKING:
    from alembic.config import Config

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


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; one query and no Alembic when it is already there."""
    current = current_revision(engine)
    if current != HEAD_REVISION:
        log.info("upgrading database schema from %s to %s", current or "empty", HEAD_REVISION)
        upgrade(engine, "head")

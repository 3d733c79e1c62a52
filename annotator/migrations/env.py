"""Alembic environment: always run with a connection handed in by annotator.migrations."""

from __future__ import annotations

from alembic import context

from annotator.model import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the alembic CLI is not how this project migrates
    raise RuntimeError("run migrations through annotator.migrations.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()

"""Reviews (verdicts with a hash of the chain as reviewed) and per-database settings.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "quote_id",
            sa.Integer,
            sa.ForeignKey("quote.id", ondelete="CASCADE", name="fk_review_quote_id_quote"),
            nullable=False,
        ),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("chain_sha256", sa.String(64), nullable=False),
        sa.CheckConstraint("verdict IN ('approve', 'reject', 'request_changes')", name="ck_review_verdict"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_review_quote_id", "review", ["quote_id"])
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:  # pragma: no cover
    raise NotImplementedError("the annotator's databases are never downgraded")

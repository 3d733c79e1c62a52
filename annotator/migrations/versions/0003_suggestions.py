"""Decisions on suggestions: each accept (with the quote it created) and each reject, per article.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_decision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "article.id", ondelete="RESTRICT", name="fk_suggestion_decision_article_id_article"
            ),
            nullable=False,
        ),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("quote_id", sa.Integer),
        sa.Column("suggester_version", sa.String(100), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("suggestion", sa.Text, nullable=False),
        sa.Column("accepted_chain", sa.Text),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.UniqueConstraint(
            "article_id", "fingerprint", name="uq_suggestion_decision_article_id_fingerprint"
        ),
        sa.CheckConstraint("decision IN ('accepted', 'rejected')", name="ck_suggestion_decision_decision"),
        sa.CheckConstraint(
            "(decision = 'accepted' AND quote_id IS NOT NULL AND accepted_chain IS NOT NULL) OR "
            "(decision = 'rejected' AND quote_id IS NULL AND accepted_chain IS NULL)",
            name="ck_suggestion_decision_accepted_has_quote",
        ),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name="ck_suggestion_decision_confidence"),
        sa.CheckConstraint("fingerprint <> ''", name="ck_suggestion_decision_fingerprint_not_empty"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_suggestion_decision_article_id", "suggestion_decision", ["article_id"])
    op.create_index("ix_suggestion_decision_quote_id", "suggestion_decision", ["quote_id"])


def downgrade() -> None:  # pragma: no cover
    raise NotImplementedError("the annotator's databases are never downgraded")

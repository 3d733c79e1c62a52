"""Versions of an article: which version each article row is, how it was fetched, its raw bytes;
what became of each quote carried to a new version; the version each review was made on.

Existing articles get no ``article_version`` row: an article without one is version 1 of itself,
so existing rows, quotes and their audit entries stay exactly as they are.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_version",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="RESTRICT", name="fk_article_version_article_id_article"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column(
            "lineage_id",
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="RESTRICT", name="fk_article_version_lineage_id_article"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("fetch_url", sa.String(2000)),
        sa.Column("final_url", sa.String(2000)),
        sa.Column("fetched_at", sa.String(32)),
        sa.Column("http_date", sa.String(100)),
        sa.Column("http_etag", sa.String(300)),
        sa.Column("http_last_modified", sa.String(100)),
        sa.Column("declared_charset", sa.String(40)),
        sa.Column("raw", sa.LargeBinary),
        sa.UniqueConstraint("lineage_id", "number", name="uq_article_version_lineage_id_number"),
        sa.CheckConstraint(
            "(number = 1 AND lineage_id = article_id) OR (number > 1 AND lineage_id <> article_id)",
            name="ck_article_version_numbering",
        ),
    )
    op.create_index("ix_article_version_lineage_id", "article_version", ["lineage_id"])
    op.create_index("ix_article_version_fetch_url", "article_version", ["fetch_url"])

    op.create_table(
        "quote_carry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("quote_id", sa.Integer, nullable=False),
        sa.Column(
            "from_article_id",
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="RESTRICT", name="fk_quote_carry_from_article_id_article"),
            nullable=False,
        ),
        sa.Column(
            "to_article_id",
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="RESTRICT", name="fk_quote_carry_to_article_id_article"),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("approval_withdrawn", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("carried_by", sa.String(200), nullable=False),
        sa.Column("carried_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("quote_id", "to_article_id", name="uq_quote_carry_quote_id_to_article_id"),
        sa.CheckConstraint(
            "outcome IN ('unchanged', 'moved', 'changed', 'lost')", name="ck_quote_carry_outcome"
        ),
        sa.CheckConstraint("from_article_id <> to_article_id", name="ck_quote_carry_two_versions"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_quote_carry_quote_id", "quote_carry", ["quote_id"])
    op.create_index("ix_quote_carry_to_article_id", "quote_carry", ["to_article_id"])

    with op.batch_alter_table("review") as batch:
        batch.add_column(sa.Column("article_id", sa.Integer))
        batch.create_foreign_key(
            "fk_review_article_id_article", "article", ["article_id"], ["id"], ondelete="RESTRICT"
        )


def downgrade() -> None:  # pragma: no cover
    raise NotImplementedError("the annotator's databases are never downgraded")

"""Core schema: sources, articles, quotes, hops, and the append-only audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

KINDS = "kind IN ('person', 'organization', 'outlet', 'anonymous')"
TYPES = "type IN ('direct', 'partial', 'indirect')"
STATUSES = "status IN ('unverified', 'needs_review', 'verified', 'disputed', 'rejected')"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END""",
    """CREATE TRIGGER article_text_frozen BEFORE UPDATE OF text, text_length, text_sha256 ON article
       BEGIN SELECT RAISE(ABORT, 'an article''s canonical text is frozen'); END""",
]

PG_TRIGGERS = [
    """CREATE FUNCTION annotator_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
       FOR EACH ROW EXECUTE FUNCTION annotator_refuse('the audit log is append-only')""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
       FOR EACH STATEMENT EXECUTE FUNCTION annotator_refuse('the audit log is append-only')""",
    """CREATE TRIGGER article_text_frozen BEFORE UPDATE OF text, text_length, text_sha256 ON article
       FOR EACH ROW EXECUTE FUNCTION annotator_refuse('an article''s canonical text is frozen')""",
]


def upgrade() -> None:
    op.create_table(
        "source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("role", sa.String(300)),
        sa.Column(
            "affiliation_id",
            sa.Integer,
            sa.ForeignKey("source.id", ondelete="RESTRICT", name="fk_source_affiliation_id_source"),
        ),
        sa.Column("descriptor", sa.String(300)),
        sa.Column("nationality", sa.String(100)),
        sa.CheckConstraint(KINDS, name="ck_source_kind"),
        sa.CheckConstraint("name <> ''", name="ck_source_name_not_empty"),
        sa.CheckConstraint(
            "kind <> 'anonymous' OR (descriptor IS NOT NULL AND descriptor <> '')",
            name="ck_source_anonymous_has_descriptor",
        ),
        sa.CheckConstraint(
            "affiliation_id IS NULL OR affiliation_id <> id", name="ck_source_not_own_affiliation"
        ),
        sa.UniqueConstraint("uid", name="uq_source_uid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_source_name_key", "source", ["name_key"])

    op.create_table(
        "source_alias",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("source.id", ondelete="CASCADE", name="fk_source_alias_source_id_source"),
            nullable=False,
        ),
        sa.Column("alias", sa.String(300), nullable=False),
        sa.Column("alias_key", sa.String(300), nullable=False),
        sa.CheckConstraint("alias <> ''", name="ck_source_alias_alias_not_empty"),
        sa.UniqueConstraint("alias_key", name="uq_source_alias_alias_key"),
    )
    op.create_index("ix_source_alias_source_id", "source_alias", ["source_id"])

    op.create_table(
        "source_external_id",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("source.id", ondelete="CASCADE", name="fk_source_external_id_source_id_source"),
            nullable=False,
        ),
        sa.Column("scheme", sa.String(50), nullable=False),
        sa.Column("value", sa.String(300), nullable=False),
        sa.UniqueConstraint("scheme", "value", name="uq_source_external_id_scheme_value"),
    )
    op.create_index("ix_source_external_id_source_id", "source_external_id", ["source_id"])

    op.create_table(
        "article",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column(
            "outlet_id",
            sa.Integer,
            sa.ForeignKey("source.id", ondelete="RESTRICT", name="fk_article_outlet_id_source"),
        ),
        sa.Column("url", sa.String(2000)),
        sa.Column("byline", sa.String(500)),
        sa.Column("published", sa.Date),
        sa.Column("language", sa.String(35)),
        sa.Column("filename", sa.String(500)),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("encoding", sa.String(40)),
        sa.Column("raw_sha256", sa.String(64)),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("text_length", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        # Last: in SQLite, reading a column stored after a multi-megabyte text walks its overflow pages.
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("id", "text_length", name="uq_article_id_length"),
        sa.UniqueConstraint("uid", name="uq_article_uid"),
        sa.UniqueConstraint("text_sha256", name="uq_article_text_sha256"),
        sa.CheckConstraint("text_length > 0", name="ck_article_text_not_empty"),
        sa.CheckConstraint("length(text) = text_length", name="ck_article_length_matches"),
        sa.CheckConstraint("format IN ('txt', 'html', 'xml')", name="ck_article_format"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_article_outlet_id", "article", ["outlet_id"])

    op.create_table(
        "quote",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("article_length", sa.Integer, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("prefix", sa.String(64), nullable=False),
        sa.Column("suffix", sa.String(64), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column(
            "speaker_id",
            sa.Integer,
            sa.ForeignKey("source.id", ondelete="RESTRICT", name="fk_quote_speaker_id_source"),
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("evidence_url", sa.String(2000)),
        sa.Column("archive_url", sa.String(2000)),
        sa.Column("note", sa.Text),
        sa.Column("status_by", sa.String(200)),
        sa.Column("status_at", sa.String(32)),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("chain_edited_by", sa.String(200), nullable=False),
        sa.Column("chain_edited_at", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id", "article_length"],
            ["article.id", "article.text_length"],
            name="fk_quote_article_span",
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint("span_start >= 0 AND span_start < span_end", name="ck_quote_span_order"),
        sa.CheckConstraint("span_end <= article_length", name="ck_quote_span_within_text"),
        sa.CheckConstraint(
            "(cue_start IS NULL AND cue_end IS NULL) OR "
            "(cue_start >= 0 AND cue_start < cue_end AND cue_end <= article_length)",
            name="ck_quote_cue_span",
        ),
        sa.CheckConstraint(TYPES, name="ck_quote_type"),
        sa.CheckConstraint(STATUSES, name="ck_quote_status"),
        sa.CheckConstraint("text <> ''", name="ck_quote_text_not_empty"),
        sa.UniqueConstraint("uid", name="uq_quote_uid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_quote_article_span", "quote", ["article_id", "span_start"])
    op.create_index("ix_quote_speaker_id", "quote", ["speaker_id"])

    op.create_table(
        "hop",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "quote_id",
            sa.Integer,
            sa.ForeignKey("quote.id", ondelete="CASCADE", name="fk_hop_quote_id_quote"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("source.id", ondelete="RESTRICT", name="fk_hop_source_id_source"),
            nullable=False,
        ),
        sa.Column("relation", sa.String(100), nullable=False),
        sa.Column("evidence_start", sa.Integer),
        sa.Column("evidence_end", sa.Integer),
        sa.UniqueConstraint("quote_id", "position", name="uq_hop_quote_id_position"),
        sa.UniqueConstraint("quote_id", "source_id", name="uq_hop_quote_id_source_id"),
        sa.CheckConstraint("position >= 0", name="ck_hop_position"),
        sa.CheckConstraint("relation <> ''", name="ck_hop_relation_not_empty"),
        sa.CheckConstraint(
            "(evidence_start IS NULL AND evidence_end IS NULL) OR "
            "(evidence_start >= 0 AND evidence_start < evidence_end)",
            name="ck_hop_evidence_span",
        ),
    )
    op.create_index("ix_hop_quote_id", "hop", ["quote_id"])
    op.create_index("ix_hop_source_id", "hop", ["source_id"])

    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("txn", sa.String(36), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("object_type", sa.String(20), nullable=False),
        sa.Column("object_id", sa.Integer, nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("prev_sha256", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.UniqueConstraint("prev_sha256", name="uq_audit_entry_prev_sha256"),
        sa.UniqueConstraint("sha256", name="uq_audit_entry_sha256"),
    )
    op.create_index("ix_audit_entry_txn", "audit_entry", ["txn"])
    op.create_index("ix_audit_object", "audit_entry", ["object_type", "object_id", "seq"])

    triggers = PG_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:  # pragma: no cover - databases are only ever upgraded
    raise NotImplementedError("the annotator's databases are never downgraded")

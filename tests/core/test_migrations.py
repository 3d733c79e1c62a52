"""Alembic: the migrations build exactly the model, and opening an older database upgrades it."""

from __future__ import annotations

import dataclasses
import uuid

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from seed import SAMPLES

from annotator import audit, migrations
from annotator.canonical import context, sha256_text
from annotator.db import Database
from annotator.importing import read_article
from annotator.model import Article, Base, Quote
from annotator.records import ArticleRecord, QuoteRecord, Record, canonical_json
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


class _Written:
    """A record as code of an older schema wrote it into the audit log: without the fields added since."""

    def __init__(self, record: Record, *, added: tuple[str, ...]) -> None:
        self.record, self.added = record, added

    def to_json(self) -> str:
        return canonical_json({k: v for k, v in self.record.to_dict().items() if k not in self.added})


def _write_at_0001(db: Database) -> tuple[ArticleRecord, QuoteRecord]:
    """What the annotator wrote into a database at revision 0001: an imported article and a quote,
    each with its audit entry (the service itself needs the newest schema, so rows are written here)."""
    ex = read_article(SAMPLES / "istanbul-talks.txt")
    at = "2026-01-05T10:00:00.000000Z"
    art = ArticleRecord(
        id=1, uid=str(uuid.uuid4()), title=ex.title or "", outlet_id=None, url=ex.url, byline=ex.byline,
        published=None, language=ex.language, filename=ex.filename, format=ex.format, encoding=ex.encoding,
        raw_sha256=ex.raw_sha256, text_sha256=ex.text_sha256, text_length=len(ex.text), imported_at=at,
        imported_by="ana",
    )  # fmt: skip
    start, end = 1571, 1713
    prefix, suffix = context(ex.text, start, end)
    q = QuoteRecord(
        id=1, uid=str(uuid.uuid4()), article_id=1, start=start, end=end, text=ex.text[start:end],
        prefix=prefix, suffix=suffix, type="indirect", cue=None, speaker_id=None, hops=(),
        status="unverified", evidence_url=None, archive_url=None, note=None, status_by=None, status_at=None,
        created_by="ana", created_at=at, chain_edited_by="ana", chain_edited_at=at,
    )  # fmt: skip
    with db.engine.begin() as conn:  # ids from the database (PostgreSQL's sequences must follow)
        row = {
            k: v
            for k, v in art.to_dict().items()
            if k in Article.__table__.c and k not in ("id", "published")
        }
        art_id = conn.execute(Article.__table__.insert().values(**row, text=ex.text)).inserted_primary_key[0]
        art = dataclasses.replace(art, id=art_id)
        q = dataclasses.replace(q, article_id=art_id)
        qrow = {"span_start" if k == "start" else "span_end" if k == "end" else k: v
                for k, v in q.to_dict().items() if k not in ("id", "cue", "hops")}  # fmt: skip
        q_id = conn.execute(
            Quote.__table__.insert().values(**qrow, article_length=len(ex.text))
        ).inserted_primary_key[0]
        q = dataclasses.replace(q, id=q_id)
    added = tuple(f.name for f in dataclasses.fields(ArticleRecord) if f.default is not dataclasses.MISSING)
    with db.write() as s:
        for rec, fields in ((art, added), (q, ())):
            audit.append(
                s, txn=str(uuid.uuid4()), actor="ana", action="import article", object_type=rec.object_type,
                object_id=rec.id, before=None, after=_Written(rec, added=fields).to_json(), at=at,  # type: ignore[arg-type]
            )  # fmt: skip
    return art, q


def test_opening_an_older_database_upgrades_it(db_url: str) -> None:
    old = Database.open(db_url, upgrade=False)
    migrations.upgrade(old.engine, "0001")
    assert migrations.current_revision(old.engine) == "0001"
    art, q = _write_at_0001(old)
    old.close()

    db = Database.open(db_url)
    assert migrations.current_revision(db.engine) == migrations.head_revision() != "0001"
    svc = Service(db, user="ana")
    assert svc.quote(q.id) == q
    assert svc.article(art.id) == art  # version 1 of itself, never fetched
    assert svc.verify_audit().ok  # entries written before versions existed still match
    # The upgraded article takes a new version, and its quote is carried there.
    text = svc.article_text(art.id)
    extracted = dataclasses.replace(
        read_article(SAMPLES / "istanbul-talks.txt"),
        text="Updated.\n\n" + text,
        text_sha256=sha256_text("Updated.\n\n" + text),
    )
    v2 = svc.add_version(art.id, extracted).extra["article"]
    assert (v2.version, v2.version_of) == (2, art.id)
    assert svc.quote(q.id).article_id == v2.id and svc.quote(q.id).text == q.text
    assert svc.verify_audit().ok
    db.close()


def test_opening_an_up_to_date_database_changes_nothing(db_url: str) -> None:
    Database.open(db_url).close()
    db = Database.open(db_url)
    assert migrations.current_revision(db.engine) == migrations.head_revision()

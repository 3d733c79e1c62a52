"""Quote sets through the database: export_set / import_set, their CLI, conflicts and refusals.

The round trip runs on SQLite and PostgreSQL: the source side is the parametrized ``db_url``, the
target a second fresh database of the same kind (``target_url``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from seed import SAMPLES, annotate_gold
from sqlalchemy import create_engine, func, select, text
from test_xml_hostile import DECL, NS, valid_set, with_doctype

from annotator import __version__, audit
from annotator.canonical import canonicalize, context, sha256_bytes, sha256_text
from annotator.cli import main
from annotator.db import Database, resolve_url
from annotator.errors import NotFoundError, QuoteSetError, ValidationError
from annotator.importing import ExtractedArticle
from annotator.model import (
    Article,
    AuditEntry,
    ExternalId,
    Hop,
    Quote,
    Review,
    Setting,
    Source,
    SourceAlias,
)
from annotator.quotesets.export import export_set
from annotator.quotesets.importer import ImportConflictError, import_set, set_chain_sha256
from annotator.quotesets.model import QuoteSet, SetArticle, SetHop
from annotator.quotesets.xmlformat import ExportCancelled, read_quoteset, schema_path, write_quoteset
from annotator.service import Service

ROOT = Path(__file__).resolve().parents[2]
CREATED = "2026-11-25T10:00:00Z"
FIXED = {"created": CREATED, "header_overrides": {"audit_head_seq": None, "audit_head_sha256": None}}


# ----------------------------------------------------------------------------------- fixtures


@contextlib.contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A second fresh PostgreSQL database on the test server (like conftest's ``pg_url``)."""
    admin = create_engine(resolve_url(os.environ["QUOTE_ANNOTATOR_TEST_PG"]), isolation_level="AUTOCOMMIT")
    name = f"qa_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    try:
        yield resolve_url(os.environ["QUOTE_ANNOTATOR_TEST_PG"]).rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def target_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'target.sqlite3'}"
    else:
        with fresh_pg_database() as url:
            yield url


@pytest.fixture
def target(target_url: str) -> Iterator[Database]:
    database = Database.open(target_url)
    yield database
    database.close()


def seed(db: Database) -> dict[str, object]:
    """The golden annotation of the Istanbul article, reviewed: approvals by a second user (one
    with evidence), a change request, a rejection, other statuses; Moscow has an alias and a QID."""
    ana, rui = Service(db, user="ana"), Service(db, user="rui")
    art = ana.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    ids = annotate_gold(ana, art.id)
    quotes = ana.quotes(art.id)
    moscow_q = next(q for q in quotes if q.text.startswith("it would only accept a truce"))
    moscow = ana.source(moscow_q.speaker_id)  # type: ignore[arg-type]
    ana.update_source(moscow.id, aliases=["Moskva"], external_ids=[("wikidata", "Q649")])
    ana.set_verification(
        moscow_q.id,
        evidence_url="https://example.org/cnn",
        archive_url="https://archive.example/1",
        note="CNN piece checked",
    )
    rui.approve(moscow_q.id, "matches the CNN piece")
    others = [i for i in ids if i != moscow_q.id]
    rui.approve(others[0])
    rui.approve(others[1], "«fine» — 👍🏽")
    rui.request_changes(others[2], "which official? say so")
    rui.reject(others[3], None)
    ana.set_status(others[4], "disputed")
    ana.set_status(others[5], "needs_review")
    return {"article": art, "ids": ids, "moscow_quote": moscow_q.id, "moscow": moscow.id}


def db_state(db: Database) -> tuple[dict[str, int], tuple[int, str]]:
    """Row counts of every table, and the audit head."""
    with db.read() as s:
        counts = {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Source, SourceAlias, ExternalId, Article, Quote, Hop, Review, AuditEntry, Setting)
        }
        return counts, audit.head(s)


def write(path: Path, qs: QuoteSet) -> Path:
    write_quoteset(path, qs.header, qs.sources, qs.articles, qs.quotes)
    return path


def header_lines(data: bytes) -> set[bytes]:
    return {line for line in data.splitlines() if b"<created>" in line or b"<auditHead" in line}


# --------------------------------------------------------------------------------- round trip


def test_round_trip_into_an_empty_database_is_byte_identical(
    db: Database, target: Database, tmp_path: Path
) -> None:
    seed(db)
    first, second = tmp_path / "first.xml", tmp_path / "second.xml"
    exported = export_set(Service(db, user="ana"), first, status="all", **FIXED)
    assert exported.quotes == 18 and exported.articles == 1 and exported.path == first

    target_svc = Service(target, user="ana")
    report = import_set(target_svc, first)
    assert not report.refused and report.written and not report.conflicts
    counts = report.counts()
    assert counts["quote"]["added"] == 18 and counts["article"]["added"] == 1
    assert counts["source"]["added"] == exported.sources and counts["signoff"]["added"] == 5
    assert target_svc.verify_audit().ok, target_svc.verify_audit().problem

    again = export_set(target_svc, second, status="all", **FIXED)
    assert second.read_bytes() == first.read_bytes()
    assert again.sha256 == exported.sha256

    # Without any override the two exports differ only in the header's time and audit head.
    plain_a, plain_b = tmp_path / "plain-a.xml", tmp_path / "plain-b.xml"
    ra = export_set(Service(db, user="ana"), plain_a, status="all")
    rb = export_set(target_svc, plain_b, status="all")
    a_lines, b_lines = plain_a.read_bytes().splitlines(), plain_b.read_bytes().splitlines()
    assert len(a_lines) == len(b_lines)
    differing = {(x, y) for x, y in zip(a_lines, b_lines, strict=True) if x != y}
    assert differing, "the audit heads of two databases differ"
    assert all(
        x in header_lines(plain_a.read_bytes()) and y in header_lines(plain_b.read_bytes())
        for x, y in differing
    )
    assert ra.header.audit_head_seq != rb.header.audit_head_seq
    assert (ra.header.audit_head_seq, ra.header.audit_head_sha256) == Service(db, user="x").audit_head()
    a, b = read_quoteset(plain_a), read_quoteset(plain_b)
    assert (a.sources, a.articles, a.quotes) == (b.sources, b.articles, b.quotes)
    assert replace(a.header, created="", audit_head_seq=0, audit_head_sha256="") == replace(
        b.header, created="", audit_head_seq=0, audit_head_sha256=""
    )


def test_sign_offs_survive_and_their_chain_hashes_are_portable(
    db: Database, target: Database, tmp_path: Path
) -> None:
    info = seed(db)
    source_svc, target_svc = Service(db, user="ana"), Service(target, user="ana")
    out = tmp_path / "set.xml"
    export_set(source_svc, out, status="all")
    import_set(target_svc, out)
    uid_to_local = {q.uid: q for q in target_svc.quotes()}
    checked = 0
    for q in source_svc.quotes():
        reviews = source_svc.reviews(q.id)
        there = uid_to_local[q.uid]
        imported = target_svc.reviews(there.id)
        assert [(r.reviewer, r.at, r.verdict, r.comment, r.chain_sha256) for r in reviews] == [
            (r.reviewer, r.at, r.verdict, r.comment, r.chain_sha256) for r in imported
        ]
        assert (there.status, there.status_by, there.status_at) == (q.status, q.status_by, q.status_at)
        assert (there.created_by, there.created_at) == (q.created_by, q.created_at)
        for r in imported:
            assert target_svc.chain_sha256(there.id) == r.chain_sha256 == source_svc.chain_sha256(q.id)
            checked += 1
    assert checked == 5
    moscow = uid_to_local[source_svc.quote(info["moscow_quote"]).uid]  # type: ignore[arg-type]
    assert moscow.status == "verified" and moscow.evidence_url == "https://example.org/cnn"
    assert moscow.chain_edited_by == "ana"  # the creator: the four-eyes rule still applies after import
    with pytest.raises(ValidationError, match="four-eyes"):
        target_svc.approve(moscow.id)


def test_the_exported_seed_set_validates_with_plain_lxml(sqlite_db: Database, tmp_path: Path) -> None:
    seed(sqlite_db)
    out = tmp_path / "set.xml"
    export_set(Service(sqlite_db, user="ana"), out, status="all")
    # The partner's view: the shipped schema file and plain lxml, nothing of the project's code.
    etree.XMLSchema(file=str(ROOT / "schemas" / "quoteset-1.0.xsd")).assertValid(etree.parse(str(out)))


# ------------------------------------------------------------------------------------- export


def test_default_export_holds_verified_quotes_and_only_what_they_need(
    sqlite_db: Database, tmp_path: Path
) -> None:
    info = seed(sqlite_db)
    svc = Service(sqlite_db, user="ana")
    out = tmp_path / "verified.xml"
    result = export_set(svc, out)
    qs = read_quoteset(out)
    verified = svc.quotes(status="verified")
    assert result.quotes == len(qs.quotes) == len(verified) == 3
    assert {q.id for q in qs.quotes} == {q.uid for q in verified}
    # Sources: the chains, the outlet, and the affiliations of those, transitively; nothing else.
    want: set[int] = set()
    for q in verified:
        want |= set(q.chain_source_ids)
    want.add(svc.article(info["article"].id).outlet_id)  # type: ignore[attr-defined,arg-type]
    frontier = set(want)
    while frontier:
        frontier = {a for a in (svc.source(x).affiliation_id for x in frontier) if a is not None} - want
        want |= frontier
    assert {s.id for s in qs.sources} == {svc.source(x).uid for x in want}
    assert len(qs.sources) < len(svc.sources())
    assert [s.id for s in qs.sources] == sorted(s.id for s in qs.sources)
    keys = [(q.article, q.start, q.end, q.id) for q in qs.quotes]
    assert keys == sorted(keys)
    moscow = next(s for s in qs.sources if s.name == "Moscow")
    assert moscow.aliases == ("Moskva",) and moscow.external_ids == (("wikidata", "Q649"),)
    anonymous = next(s for s in qs.sources if s.kind == "anonymous")
    assert anonymous.descriptor == "a Turkish official"

    h = qs.header
    assert (h.created_by, h.tool_name, h.tool_version, h.filter_status) == (
        "ana",
        "quote-annotator",
        __version__,
        "verified",
    )
    assert (h.audit_head_seq, h.audit_head_sha256) == svc.audit_head()
    assert h.four_eyes is True and h.filter_articles == () and h.filter_since is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", h.created)
    signed = next(q for q in qs.quotes if q.note == "CNN piece checked")
    assert [(s.reviewer, s.verdict, s.comment) for s in signed.signoffs] == [
        ("rui", "approve", "matches the CNN piece")
    ]


def test_article_and_since_filters(sqlite_db: Database, tmp_path: Path) -> None:
    seed(sqlite_db)
    svc = Service(sqlite_db, user="ana")
    other = svc.import_file(SAMPLES / "kestrel-ford-library.txt").extra["article"]
    speaker = svc.create_source("person", "Someone").source
    qid = svc.create_quote(other.id, 0, 10, speaker_id=speaker.id).quote.id

    out = tmp_path / "one-article.xml"
    result = export_set(svc, out, status="all", article_ids=[other.id])
    qs = read_quoteset(out)
    assert result.quotes == 1 and [q.id for q in qs.quotes] == [svc.quote(qid).uid]
    assert qs.header.filter_articles == (other.uid,) and [a.id for a in qs.articles] == [other.uid]
    with pytest.raises(NotFoundError):
        export_set(svc, tmp_path / "none.xml", article_ids=[9999])

    today = dt.datetime.now(dt.UTC).date()
    assert export_set(svc, tmp_path / "s1.xml", status="all", since=today).quotes == 19
    assert export_set(svc, tmp_path / "s2.xml", status="all", since=today + dt.timedelta(days=1)).quotes == 0
    assert read_quoteset(tmp_path / "s1.xml").header.filter_since == today.isoformat()


def test_since_counts_changes_recorded_in_this_database(sqlite_db: Database, tmp_path: Path) -> None:
    """A quote imported today from a set with old timestamps counts as changed today; the
    quote's own timestamps count too."""
    qs = valid_set()
    old = replace(
        qs.quotes[0],
        created_by="ana",
        created_at="2020-01-02T03:04:05Z",
        status_by="ben",
        status_at="2020-02-03T00:00:00Z",
    )
    path = write(tmp_path / "old.xml", replace(qs, quotes=[old]))
    svc = Service(sqlite_db, user="ana")
    import_set(svc, path)
    today = dt.datetime.now(dt.UTC).date()
    assert export_set(svc, tmp_path / "a.xml", since=today).quotes == 1
    assert export_set(svc, tmp_path / "b.xml", since=dt.date(2020, 1, 15)).quotes == 1
    assert export_set(svc, tmp_path / "c.xml", since=today + dt.timedelta(days=1)).quotes == 0


def test_csv_export(sqlite_db: Database, tmp_path: Path) -> None:
    seed(sqlite_db)
    out = tmp_path / "set.csv"
    result = export_set(Service(sqlite_db, user="ana"), out, fmt="csv", status="all")
    assert result.format == "csv" and result.quotes == 18 and result.sidecar is None
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and result.sha256 == sha256_bytes(data)
    assert "Moscow ← a Turkish official ← CNN ← El País" in data.decode("utf-8-sig")


def test_bad_options_are_refused(sqlite_db: Database, tmp_path: Path) -> None:
    svc = Service(sqlite_db, user="ana")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ValidationError, match="format"):
        export_set(svc, tmp_path / "x", fmt="json")
    with pytest.raises(ValidationError, match="status"):
        export_set(svc, tmp_path / "x", status="rejected")
    with pytest.raises(ValidationError, match="ISO 8601"):
        export_set(svc, tmp_path / "x", created="yesterday")
    with pytest.raises(ValidationError, match="header_overrides"):
        export_set(svc, tmp_path / "x", header_overrides={"colour": "red"})
    assert not list(tmp_path.iterdir())


def test_a_failed_or_cancelled_export_leaves_an_existing_file_untouched(
    sqlite_db: Database, tmp_path: Path
) -> None:
    seed(sqlite_db)
    svc = Service(sqlite_db, user="ana")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "set.xml"
    export_set(svc, out, status="all", **FIXED)
    before, sidecar = out.read_bytes(), (tmp_path / "set.xml.sha256").read_bytes()

    polls = 0

    def cancel_later() -> bool:
        nonlocal polls
        polls += 1
        return polls > 25  # sources and the article are written, then quotes are being written

    with pytest.raises(ExportCancelled):
        export_set(svc, out, status="all", cancel=cancel_later)

    def explode() -> bool:
        nonlocal polls
        polls += 1
        if polls > 30:
            raise RuntimeError("the disk caught fire")
        return False

    polls = 0
    with pytest.raises(RuntimeError):
        export_set(svc, out, status="all", cancel=explode)
    with pytest.raises(NotFoundError):
        export_set(svc, out, article_ids=[424242])
    csv_out = tmp_path / "set.csv"
    csv_out.write_bytes(b"old csv")
    with pytest.raises(QuoteSetError, match="cancelled"):
        export_set(svc, csv_out, fmt="csv", status="all", cancel=lambda: True)
    assert out.read_bytes() == before and (tmp_path / "set.xml.sha256").read_bytes() == sidecar
    assert csv_out.read_bytes() == b"old csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.csv", "set.xml", "set.xml.sha256"]


def test_characters_xml_cannot_carry_never_reach_an_export(sqlite_db: Database, tmp_path: Path) -> None:
    """The canonical text drops them at import, so a quote around them exports and validates."""
    svc = Service(sqlite_db, user="ana")
    raw = "The minister\x07 said: \u201cthe talks\x0b would resume\u201d, the mayor\x0c added.\n"
    path = tmp_path / "bell.txt"
    path.write_text(raw, encoding="utf-8")
    bell = svc.import_file(path).extra["article"]
    surrogate_raw = "A lone \ud800 surrogate and \udfff another, said the mayor\x00.\n"
    text2 = canonicalize(surrogate_raw)
    lone = svc.import_article(
        ExtractedArticle(
            text=text2,
            title="Lone",
            outlet=None,
            url=None,
            byline=None,
            published=None,
            language="en",
            filename="lone.txt",
            format="txt",
            encoding="utf-8",
            raw_sha256="0" * 64,
            text_sha256=sha256_text(text2),
            extractor="plain",
        )
    ).extra["article"]
    mayor = svc.create_source("person", "The mayor").source
    t1 = svc.article_text(bell.id)
    assert "\x07" not in t1 and "\x0b" not in t1
    start = t1.index("the talks")
    svc.create_quote(bell.id, start, t1.index("\u201d"), speaker_id=mayor.id)
    svc.create_quote(bell.id, t1.index("minister") - 4, t1.index("said") + 4)
    svc.create_quote(lone.id, 0, len(text2) - 1, speaker_id=mayor.id)
    out = tmp_path / "set.xml"
    assert export_set(svc, out, status="all").quotes == 3
    etree.XMLSchema(file=str(schema_path())).assertValid(etree.parse(str(out)))
    back = read_quoteset(out)
    assert {q.text for q in back.quotes} >= {"the talks would resume", text2[:-1]}
    assert all(x not in out.read_text(encoding="utf-8") for x in "\x07\x0b\x0c\x00")


# ------------------------------------------------------------------------------------- import


def test_dry_run_writes_nothing(db: Database, target: Database, tmp_path: Path) -> None:
    seed(db)
    out = tmp_path / "set.xml"
    export_set(Service(db, user="ana"), out, status="all")
    before = db_state(target)
    report = import_set(Service(target, user="ana"), out, dry_run=True)
    assert report.dry_run and not report.written and not report.refused
    assert report.counts()["quote"]["added"] == 18
    assert "dry run, nothing was written" in report.summary()
    assert db_state(target) == before
    assert before[1] == (0, audit.GENESIS)


def test_reimporting_the_same_set_is_a_no_op(db: Database, target: Database, tmp_path: Path) -> None:
    seed(db)
    out = tmp_path / "set.xml"
    export_set(Service(db, user="ana"), out, status="all")
    svc = Service(target, user="ana")
    import_set(svc, out)
    before = db_state(target)
    report = import_set(svc, out)
    assert not report.written and report.audit_seq is None
    counts = report.counts()
    assert all(c["added"] == 0 for c in counts.values())
    assert counts["quote"]["matched"] == 18 and counts["article"]["matched"] == 1
    assert {m.how for m in report.matched["source"]} == {"uid"}
    assert "nothing to import" in report.summary()
    assert db_state(target) == before


def test_a_different_chain_is_a_conflict_and_nothing_is_written(
    db: Database, target: Database, tmp_path: Path
) -> None:
    seed(db)
    out = tmp_path / "set.xml"
    export_set(Service(db, user="ana"), out, status="all")
    svc = Service(target, user="ana")
    import_set(svc, out)
    qs = read_quoteset(out)
    text_ = qs.articles[0].text
    changed = next(q for q in qs.quotes if q.hops)
    other = next(q for q in qs.quotes if q is not changed)
    edited = replace(changed, hops=(replace(changed.hops[0], relation="overheard by"), *changed.hops[1:]))
    prefix, suffix = context(text_, other.start + 1, other.end)
    moved = replace(
        other, start=other.start + 1, text=text_[other.start + 1 : other.end], prefix=prefix, suffix=suffix
    )
    new_quote = replace(other, id=str(uuid.uuid4()), signoffs=())
    rest = [q for q in qs.quotes if q.id not in (changed.id, other.id)]
    path = write(tmp_path / "bad.xml", replace(qs, quotes=[edited, moved, new_quote, *rest]))
    before = db_state(target)

    with pytest.raises(ImportConflictError) as err:
        import_set(svc, path)
    report = err.value.report
    assert {c.id for c in report.conflicts} == {changed.id, other.id}
    reasons = {c.id: c.reason for c in report.conflicts}
    assert "hops" in reasons[changed.id] and "span" in reasons[other.id]
    assert str(err.value).startswith(f"{path}: import refused, nothing was written: 2 conflicts")
    assert db_state(target) == before

    dry = import_set(svc, path, dry_run=True)
    assert dry.refused and len(dry.conflicts) == 2 and "would be refused" in dry.summary()
    assert db_state(target) == before

    skipped = import_set(svc, path, on_conflict="skip")
    assert {c.id for c in skipped.skipped} == {changed.id, other.id}
    assert skipped.added["quote"] == [new_quote.id]
    assert svc.verify_audit().ok
    assert db_state(target)[0]["quote"] == before[0]["quote"] + 1


def test_sources_are_matched_by_name_or_alias_but_never_guessed(sqlite_db: Database, tmp_path: Path) -> None:
    qs = valid_set()  # sources: The Minister (person), an official (anonymous), Daily (outlet)
    path = write(tmp_path / "set.xml", qs)
    svc = Service(sqlite_db, user="ana")
    minister = svc.create_source("person", "Minister Jones", aliases=["the minister"]).source
    svc.create_source("anonymous", "Official", descriptor="an official")
    daily = svc.create_source("outlet", "Daily").source
    svc.create_source("organization", "Daily")  # another kind: not a candidate
    report = import_set(svc, path)
    how = {m.id: (m.local_id, m.how) for m in report.matched["source"]}
    assert how == {qs.sources[0].id: (minister.id, "alias"), qs.sources[2].id: (daily.id, "name")}
    assert report.added["source"] == [qs.sources[1].id]  # anonymous sources are never matched by name
    assert any("2 source(s) matched by name or alias under another id" in n for n in report.notes)
    q = svc.quote_by_ref(qs.quotes[0].id)
    assert q.speaker_id == minister.id
    assert svc.verify_audit().ok

    other = tmp_path / "other.sqlite3"
    svc2 = Service(Database.open(f"sqlite:///{other}"), user="ana")
    svc2.create_source("person", "The Minister")
    svc2.create_source("person", "the  MINISTER", aliases=["Minister B"])
    before = db_state(svc2.db)
    with pytest.raises(ImportConflictError) as err:
        import_set(svc2, path)
    assert "matches 2 sources here by name or alias" in str(err.value)
    assert db_state(svc2.db) == before
    svc2.db.close()


def test_a_source_of_another_kind_under_the_same_uid_conflicts(sqlite_db: Database, tmp_path: Path) -> None:
    qs = valid_set()
    svc = Service(sqlite_db, user="ana")
    import_set(svc, write(tmp_path / "a.xml", qs))
    changed = replace(qs, sources=[replace(qs.sources[0], kind="organization"), *qs.sources[1:]])
    with pytest.raises(ImportConflictError, match="is an organization in the set but a person here"):
        import_set(svc, write(tmp_path / "b.xml", changed))


def _storable_refusals() -> list[tuple[str, QuoteSet, str]]:
    qs = valid_set()
    speaker, anon, outlet = qs.sources
    art = qs.articles[0]
    odd = "Cafe\u0301 owner said hello."
    return [
        (
            "self-affiliation",
            replace(qs, sources=[replace(speaker, affiliation=speaker.id), anon, outlet]),
            "is its own affiliation",
        ),
        (
            "long-name",
            replace(qs, sources=[replace(speaker, name="x" * 301), anon, outlet]),
            "name is 301 characters long, over the database's limit of 300",
        ),
        (
            "not-nfc",
            replace(
                qs,
                articles=[
                    art,
                    SetArticle(str(uuid.uuid4()), None, None, None, None, None, None, sha256_text(odd), odd),
                ],
            ),
            "not canonical",
        ),
        (
            "dated-with-zone",
            replace(qs, articles=[replace(art, published="2025-05-17Z")]),
            "cannot be stored",
        ),
        (
            "alias-twice",
            replace(qs, sources=[replace(speaker, aliases=("Jones", "JONES")), anon, outlet]),
            "which are the same name",
        ),
        (
            "alias-is-a-name-in-the-set",
            replace(qs, sources=[replace(speaker, aliases=("daily",)), anon, outlet]),
            f"its alias 'daily' is the name of source {outlet.id} of the set",
        ),
        (
            "alias-is-a-name-here",
            replace(qs, sources=[replace(speaker, aliases=("x",)), anon, outlet]),
            "one of its aliases is the name of #2 'X' here",
        ),
        (
            "long-relation",
            replace(qs, quotes=[replace(qs.quotes[0], hops=(SetHop(anon.id, "r" * 101),))]),
            "relation is 101 characters long",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "qs", "words"), _storable_refusals(), ids=[r[0] for r in _storable_refusals()]
)
def test_a_set_the_database_cannot_hold_is_refused_whole(
    sqlite_db: Database, tmp_path: Path, name: str, qs: QuoteSet, words: str
) -> None:
    svc = Service(sqlite_db, user="ana")
    seed_small(svc, tmp_path)
    path = write(tmp_path / f"{name}.xml", qs)
    read_quoteset(path)  # a valid quote set...
    before = db_state(sqlite_db)
    with pytest.raises(ImportConflictError, match=re.escape(words)):
        import_set(svc, path)  # ...that this database cannot hold
    assert db_state(sqlite_db) == before


def seed_small(svc: Service, tmp_path: Path) -> None:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    svc.create_quote(art.id, 10, 40, speaker_id=svc.create_source("person", "X").source.id)


# ----------------------------------------------------------------------- hostile files


def _valid_bytes(tmp_path: Path) -> bytes:
    return write(tmp_path / "valid-source.xml", valid_set()).read_bytes()


HOSTILE = {
    "xxe": lambda v: with_doctype(
        v, '<!DOCTYPE quoteSet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', entity_in_text="&xxe;"
    ),
    "billion-laughs": lambda v: with_doctype(
        v,
        "<!DOCTYPE quoteSet ["
        + '<!ENTITY lol0 "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
        + "]>",
        entity_in_text="&lol9;",
    ),
    "xinclude": lambda v: v.replace(
        b"<createdBy>ana</createdBy>",
        b"<createdBy><xi:include xmlns:xi="
        b'"http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/></createdBy>',
    ),
    "gzip": gzip.compress,
    "deep": lambda v: v.replace(
        b"<createdBy>ana</createdBy>", b"<createdBy>" + b"<x>" * 5000 + b"</x>" * 5000 + b"</createdBy>"
    ),
    "namespace": lambda v: v.replace(NS.encode(), b"urn:quote-annotator:quoteset:2.0"),
    "truncated": lambda v: v[: len(v) // 2],
    "garbage": lambda v: b"\x00\x01 this is not XML",
    "offsets": lambda v: re.sub(rb'start="22" end="50"', b'start="23" end="51"', v),
    "hash": lambda v: v.replace(b"next week", b"next year"),
    "doctype-only": lambda v: DECL + b"<!DOCTYPE quoteSet>\n" + v[len(DECL) :],
}


HOSTILE["dangling-keyref"] = lambda v: re.sub(
    rb'speaker="[0-9a-f-]+"', b'speaker="00000000-0000-4000-8000-000000000000"', v, count=1
)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_and_invalid_files_are_refused_and_change_nothing(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    svc = Service(sqlite_db, user="ana")
    seed_small(svc, tmp_path)
    path = tmp_path / f"{name}.xml"
    path.write_bytes(HOSTILE[name](_valid_bytes(tmp_path)))
    before = db_state(sqlite_db)
    with pytest.raises(QuoteSetError) as err:
        import_set(svc, path)
    assert str(err.value).startswith(f"{path}") and err.value.reason
    assert "root:" not in str(err.value)  # nothing of /etc/passwd leaked
    assert db_state(sqlite_db) == before
    for dry in ([], ["--dry-run"]):
        code = main(["--db", sqlite_db.url, "--user", "ana", "import-set", str(path), *dry])
        out, errtext = capsys.readouterr()
        assert code == 1 and out == ""
        assert errtext.count("\n") == 1 and errtext.startswith(f"annotator: error: {path}")
    assert db_state(sqlite_db) == before


# ------------------------------------------------------------------------------------- CLI


def test_cli_export_import_and_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src_url, dst_url = f"sqlite:///{tmp_path / 'src.sqlite3'}", f"sqlite:///{tmp_path / 'dst.sqlite3'}"
    with Database.open(src_url) as db:
        seed(db)

    def run(url: str, *args: str) -> tuple[int, str, str]:
        code = main(["--db", url, "--user", "ana", *args])
        out, err = capsys.readouterr()
        return code, out, err

    out_xml = tmp_path / "set.xml"
    code, out, err = run(src_url, "export", "-o", str(out_xml), "--status", "all", "--created", CREATED)
    assert code == 0 and "exported 18 quote(s), 1 article(s)" in out and err == ""
    code, out, _ = run(
        src_url, "export", "-o", str(tmp_path / "v.xml"), "--article", "1", "--since", "2020-01-01"
    )
    assert code == 0 and "exported 3 quote(s)" in out
    code, out, _ = run(src_url, "--json", "export", "-o", str(tmp_path / "v.csv"), "--status", "all")
    assert code == 0 and '"format": "csv"' in out and '"quotes": 18' in out
    code, out, err = run(src_url, "export", "-o", str(tmp_path / "x.xml"), "--since", "last week")
    assert code == 1 and out == "" and err.count("\n") == 1 and "--since 'last week'" in err
    code, _, err = run(src_url, "export", "-o", str(tmp_path / "x.xml"), "--article", "nope")
    assert code == 1 and err.count("\n") == 1 and "no article" in err

    code, out, err = run(dst_url, "verify-export", str(out_xml))
    assert code == 0 and "OK" in out
    code, out, err = run(dst_url, "import-set", str(out_xml), "--dry-run")
    assert code == 0 and "dry run" in out and "18 would be added" in out
    code, out, err = run(dst_url, "import-set", str(out_xml))
    assert code == 0 and "imported" in out and "18 added" in out
    code, out, err = run(dst_url, "--json", "import-set", str(out_xml))
    assert code == 0 and '"written": false' in out
    code, out, _ = run(dst_url, "audit", "verify")
    assert code == 0 and "audit log OK" in out
    code, out, _ = run(
        dst_url, "export", "-o", str(tmp_path / "again.xml"), "--status", "all", "--created", CREATED
    )
    assert code == 0
    strip = [line for line in out_xml.read_bytes().splitlines() if b"<auditHead" not in line]
    assert strip == [
        line for line in (tmp_path / "again.xml").read_bytes().splitlines() if b"<auditHead" not in line
    ]

    tampered = out_xml.read_bytes().replace(b"<createdBy>ana</createdBy>", b"<createdBy>eve</createdBy>")
    out_xml.write_bytes(tampered)
    code, out, err = run(dst_url, "verify-export", str(out_xml))
    assert code == 1 and out == "" and err.count("\n") == 1 and "the file was modified" in err


def test_cli_import_conflicts_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    qs = valid_set()
    path = write(tmp_path / "a.xml", qs)
    assert main(["--db", url, "--user", "ana", "import-set", str(path)]) == 0
    edited = replace(qs, quotes=[replace(qs.quotes[0], type="direct")])
    path_b = write(tmp_path / "b.xml", edited)
    capsys.readouterr()
    code = main(["--db", url, "--user", "ana", "import-set", str(path_b)])
    out, err = capsys.readouterr()
    assert code == 3 and "conflicts:" in out and "type direct in the set, indirect here" in out
    assert err.count("\n") == 1 and err.startswith("annotator: error: ") and "nothing was written" in err
    assert main(["--db", url, "--user", "ana", "import-set", str(path_b), "--dry-run"]) == 3
    assert main(["--db", url, "--user", "ana", "import-set", str(path_b), "--on-conflict", "skip"]) == 0
    out, _ = capsys.readouterr()
    assert "skipped" in out


# --------------------------------------------------------------------------- small API checks


def test_created_by_and_missing_stamps(sqlite_db: Database, tmp_path: Path) -> None:
    qs = valid_set()
    q = replace(qs.quotes[0], created_by=None, created_at=None)
    path = write(tmp_path / "a.xml", replace(qs, quotes=[q]))
    svc = Service(sqlite_db, user="ines")
    report = import_set(svc, path)
    assert any("does not say who created it" in n for n in report.notes)
    rec = svc.quote_by_ref(q.id)
    assert rec.created_by == "ines" and rec.chain_edited_by == "ines"
    result = export_set(svc, tmp_path / "b.xml", created_by="desk", status="all")
    assert result.header.created_by == "desk"
    art = svc.article_by_ref(qs.articles[0].id)
    assert (art.format, art.filename, art.imported_by) == ("xml", "a.xml", "ines")


def test_import_notes_a_matched_article_with_another_uid(sqlite_db: Database, tmp_path: Path) -> None:
    qs = valid_set()
    svc = Service(sqlite_db, user="ana")
    import_set(svc, write(tmp_path / "a.xml", qs))
    moved = replace(
        qs,
        articles=[replace(qs.articles[0], id=str(uuid.uuid4()))],
        quotes=[replace(qs.quotes[0], id=str(uuid.uuid4()), article="")],
    )
    moved = replace(moved, quotes=[replace(moved.quotes[0], article=moved.articles[0].id)])
    report = import_set(svc, write(tmp_path / "b.xml", moved))
    assert report.matched["article"][0].how == "text"
    assert any("will not match here" in n for n in report.notes)
    assert report.added["quote"] == [moved.quotes[0].id]
    assert svc.verify_audit().ok


def test_unused_parameters_of_sets_round_trip(sqlite_db: Database, tmp_path: Path) -> None:
    """Fields the service would normalise (surrounding spaces, empty strings) come back as given."""
    qs = valid_set()
    speaker = replace(
        qs.sources[0],
        name=" The Minister ",
        role="",
        nationality=" ",
        aliases=("Jones", "Mr J"),
        external_ids=(("wikidata", "Q1"),),
    )
    q = replace(
        qs.quotes[0],
        note="",
        evidence_url="",
        created_by="ana",
        created_at="2026-01-01T00:00:00Z",
        hops=(SetHop(qs.sources[1].id, " via "),),
    )
    q = replace(q, signoffs=(replace(q.signoffs[0], chain_sha256=set_chain_sha256(q)),))  # signed as it is
    qs = replace(qs, sources=sorted([speaker, *qs.sources[1:]], key=lambda s: s.id), quotes=[q])
    path = write(tmp_path / "a.xml", qs)
    svc = Service(sqlite_db, user="ana")
    import_set(svc, path)
    export_set(
        svc,
        tmp_path / "b.xml",
        status="all",
        created=qs.header.created,
        created_by=qs.header.created_by,
        header_overrides={
            "tool_version": qs.header.tool_version,
            "audit_head_seq": None,
            "audit_head_sha256": None,
            "four_eyes": False,
        },
    )
    back = read_quoteset(tmp_path / "b.xml")
    assert back.sources == qs.sources and back.quotes == qs.quotes
    assert svc.verify_audit().ok

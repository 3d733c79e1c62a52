"""Every kind of raw edit, on every table the service writes, is named by ``audit verify``.

One annotated database per backend; each case plants its SQL inside a transaction, runs the
check on that same connection (so it sees the planted rows) and rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from seed import SAMPLES, annotate_gold
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator import audit
from annotator.db import Database
from annotator.records import HopRecord
from annotator.service import Service

FK_OFF = "-- foreign keys off"
TRIGGERS_OFF = "-- triggers off"


@dataclass(frozen=True)
class Case:
    name: str
    sql: tuple[str, ...]
    expect: str  # a piece of the problem's message (formatted with the ids)


def _cases() -> list[Case]:
    c: list[Case] = []

    def add(name: str, expect: str, *sql: str) -> None:
        c.append(Case(name, sql, expect))

    # -- article
    add(
        "article update title",
        "article {art} differs from its last audit entry #{art_seq}: title",
        "UPDATE article SET title = 'Forged' WHERE id = {art}",
    )
    add(
        "article update outlet",
        "article {art} differs from its last audit entry #{art_seq}: outlet_id",
        "UPDATE article SET outlet_id = {zel} WHERE id = {art}",
    )
    add(
        "article update published",
        "article {art} differs from its last audit entry #{art_seq}: published",
        "UPDATE article SET published = '1999-01-01' WHERE id = {art}",
    )
    add(
        "article update text hash",
        "article {art} differs from its last audit entry #{art_seq}: text_sha256",
        TRIGGERS_OFF,
        "UPDATE article SET text_sha256 = '" + "a" * 64 + "' WHERE id = {art}",
    )
    add(
        "article update text",
        "article {art}'s text no longer matches its SHA-256",
        TRIGGERS_OFF,
        "UPDATE article SET text = replace(text, 'a', 'o') WHERE id = {art}",
    )
    add(
        "article insert",
        "article {new_article} is in the database but was never recorded",
        "INSERT INTO article (id, uid, title, format, text_sha256, text_length, imported_at, imported_by, "
        "text) VALUES ({new_article}, 'ghost-article', 'Ghost', 'txt', '"
        + "b" * 64
        + "', 2, 'x', 'x', 'hi')",
    )
    add(
        "article delete",
        "article {art2} was removed outside the application",
        "DELETE FROM article_version WHERE article_id = {art2}",
        "DELETE FROM article WHERE id = {art2}",
    )
    # -- source
    add(
        "source update name",
        "source {zel} differs from its last audit entry #{zel_seq}: name",
        "UPDATE source SET name = 'Vladimir Putin' WHERE id = {zel}",
    )
    add(
        "source update name_key",
        "source {zel} differs from its last audit entry #{zel_seq}: name_key",
        "UPDATE source SET name_key = 'vladimir putin' WHERE id = {zel}",
    )
    add(
        "source name_key takeover",
        "source {putin} differs from its last audit entry #{putin_seq}: name_key",
        "UPDATE source SET name_key = 'moved away' WHERE name_key = 'vladimir putin'",
        "UPDATE source SET name_key = 'vladimir putin' WHERE name_key = 'volodymyr zelensky'",
    )
    add(
        "source update kind",
        "source {zel} differs from its last audit entry #{zel_seq}: kind",
        "UPDATE source SET kind = 'organization' WHERE id = {zel}",
    )
    add(
        "source update role",
        "source {zel} differs from its last audit entry #{zel_seq}: role",
        "UPDATE source SET role = 'Ruler' WHERE id = {zel}",
    )
    add(
        "source update affiliation",
        "source {zel} differs from its last audit entry #{zel_seq}: affiliation_id",
        "UPDATE source SET affiliation_id = {unused} WHERE id = {zel}",
    )
    add(
        "source update descriptor",
        "source {zel} differs from its last audit entry #{zel_seq}: descriptor",
        "UPDATE source SET descriptor = 'a man' WHERE id = {zel}",
    )
    add(
        "source update nationality",
        "source {zel} differs from its last audit entry #{zel_seq}: nationality",
        "UPDATE source SET nationality = 'Russian' WHERE id = {zel}",
    )
    add(
        "source update uid",
        "source {zel} differs from its last audit entry #{zel_seq}: uid",
        "UPDATE source SET uid = 'forged-uid' WHERE id = {zel}",
    )
    add(
        "source insert",
        "source {new_source} is in the database but was never recorded",
        "INSERT INTO source (id, uid, kind, name, name_key) "
        "VALUES ({new_source}, 'x-1', 'person', 'Ghost', 'ghost')",
    )
    add(
        "source delete",
        "source {unused} was removed outside the application",
        "DELETE FROM source WHERE id = {unused}",
    )
    # -- source_alias: the attack, then every other kind of edit
    add(
        "alias key takeover (issue 10)",
        "source {putin} differs from its last audit entry #{putin_seq}: alias_keys",
        "UPDATE source_alias SET alias_key = 'putin-moved' WHERE alias_key = 'putin'",
        "UPDATE source_alias SET alias_key = 'putin' WHERE alias_key = 'zelensky'",
    )
    add(
        "alias update key",
        "source {zel} differs from its last audit entry #{zel_seq}: alias_keys",
        "UPDATE source_alias SET alias_key = 'vova' WHERE alias_key = 'zelensky'",
    )
    add(
        "alias update text",
        "source {zel} differs from its last audit entry #{zel_seq}: aliases",
        "UPDATE source_alias SET alias = 'Putin' WHERE alias_key = 'zelensky'",
    )
    add(
        "alias move to another source",
        "source {zel} differs from its last audit entry #{zel_seq}: alias",
        "UPDATE source_alias SET source_id = {unused} WHERE alias_key = 'zelensky'",
    )
    add(
        "alias insert",
        "source {zel} differs from its last audit entry #{zel_seq}: alias",
        "INSERT INTO source_alias (source_id, alias, alias_key) VALUES ({zel}, 'Vova', 'vova')",
    )
    add(
        "alias delete",
        "source {zel} differs from its last audit entry #{zel_seq}: alias",
        "DELETE FROM source_alias WHERE alias_key = 'zelensky'",
    )
    add(
        "alias orphan",
        "belongs to source 9999, which is not in the database",
        FK_OFF,
        "INSERT INTO source_alias (source_id, alias, alias_key) VALUES (9999, 'Putin2', 'putin2')",
    )
    # -- source_external_id
    add(
        "external id update",
        "source {zel} differs from its last audit entry #{zel_seq}: external_ids",
        "UPDATE source_external_id SET value = 'Q7747' WHERE source_id = {zel}",
    )
    add(
        "external id insert",
        "source {zel} differs from its last audit entry #{zel_seq}: external_ids",
        "INSERT INTO source_external_id (source_id, scheme, value) VALUES ({zel}, 'viaf', '1')",
    )
    add(
        "external id delete",
        "source {zel} differs from its last audit entry #{zel_seq}: external_ids",
        "DELETE FROM source_external_id WHERE source_id = {zel}",
    )
    add(
        "external id orphan",
        "external id row",
        FK_OFF,
        "INSERT INTO source_external_id (source_id, scheme, value) VALUES (9999, 'viaf', '2')",
    )
    # -- quote: every column
    for column, value, field in [
        ("uid", "'forged'", "uid"), ("span_start", "span_start + 1", "start"),
        ("span_end", "span_end - 1", "end"),
        ("text", "'forged words'", "text"), ("prefix", "'x'", "prefix"), ("suffix", "'x'", "suffix"),
        ("type", "'direct'", "type"), ("cue_start", "NULL, cue_end = NULL", "cue"),
        ("speaker_id", "{unused}", "speaker_id"), ("status", "'rejected'", "status"),
        ("evidence_url", "'http://x'", "evidence_url"), ("archive_url", "'http://y'", "archive_url"),
        ("note", "'slipped in'", "note"), ("status_by", "'mallory'", "status_by"),
        ("status_at", "'2001-01-01'", "status_at"), ("created_by", "'mallory'", "created_by"),
        ("created_at", "'2001-01-01'", "created_at"), ("chain_edited_by", "'mallory'", "chain_edited_by"),
        ("chain_edited_at", "'2001-01-01'", "chain_edited_at"),
    ]:  # fmt: skip
        add(
            f"quote update {column}",
            "quote {q} differs from its last audit entry #{q_seq}: " + field,
            f"UPDATE quote SET {column} = {value} WHERE id = {{q}}",
        )
    add(
        "quote move to another article",
        "quote {q} differs from its last audit entry #{q_seq}: article_id",
        FK_OFF,
        "UPDATE quote SET article_id = {art2} WHERE id = {q}",
    )
    add(
        "quote update article_length",
        "quote {q}'s article length 99999 is not the length of article {art}",
        FK_OFF,
        "UPDATE quote SET article_length = 99999 WHERE id = {q}",
    )
    add(
        "quote insert",
        "quote {new_quote} is in the database but was never recorded",
        "INSERT INTO quote (id, uid, article_id, article_length, span_start, span_end, text, prefix, suffix, "
        "type, status, created_by, created_at, chain_edited_by, chain_edited_at) "
        "SELECT {new_quote}, 'ghost-q', article_id, article_length, 0, 5, 'Ghost', '', '', 'direct', "
        "'verified', 'x', 'x', 'x', 'x' "
        "FROM quote WHERE id = {q}",
    )
    add("quote delete", "quote {q} was removed outside the application", "DELETE FROM quote WHERE id = {q}")
    # -- hop
    add(
        "hop update relation",
        "quote {q} differs from its last audit entry #{q_seq}: hops",
        "UPDATE hop SET relation = 'told' WHERE quote_id = {q} AND position = 0",
    )
    add(
        "hop update source",
        "quote {q} differs from its last audit entry #{q_seq}: hops",
        "UPDATE hop SET source_id = {unused} WHERE quote_id = {q} AND position = 1",
    )
    add(
        "hop update evidence",
        "quote {q} differs from its last audit entry #{q_seq}: hops",
        "UPDATE hop SET evidence_start = NULL, evidence_end = NULL WHERE quote_id = {q} AND position = 0",
    )
    add(
        "hop swap positions",
        "quote {q} differs from its last audit entry #{q_seq}: hops",
        "UPDATE hop SET position = 7 WHERE quote_id = {q} AND position = 0",
        "UPDATE hop SET position = 0 WHERE quote_id = {q} AND position = 1",
        "UPDATE hop SET position = 1 WHERE quote_id = {q} AND position = 7",
    )
    add(
        "hop renumber",
        "quote {q}'s hops are at positions 0..5 for 2 hop(s)",
        "UPDATE hop SET position = 5 WHERE quote_id = {q} AND position = 1",
    )
    add(
        "hop move to another quote",
        "differs from its last audit entry",
        "UPDATE hop SET quote_id = {q2}, position = 9 WHERE quote_id = {q} AND position = 1",
    )
    add(
        "hop insert",
        "quote {q} differs from its last audit entry #{q_seq}: hops",
        "INSERT INTO hop (quote_id, position, source_id, relation) VALUES ({q}, 2, {unused}, 'via')",
    )
    add(
        "hop delete",
        "quote {q} differs from its last audit entry #{q_seq}: hops",
        "DELETE FROM hop WHERE quote_id = {q} AND position = 1",
    )
    add(
        "hop orphan",
        "hop row",
        FK_OFF,
        "INSERT INTO hop (quote_id, position, source_id, relation) VALUES (99999, 0, {zel}, 'via')",
    )
    # -- review
    zeros = "'" + "0" * 64 + "'"
    review_edits = [("quote_id", "{q2}"), ("reviewer", "'eve'"), ("at", "'2001'"), ("verdict", "'reject'"),
                    ("comment", "'fine'"), ("chain_sha256", zeros)]  # fmt: skip
    for column, value in review_edits:
        add(
            f"review update {column}",
            "review {review} differs from its last audit entry #{review_seq}: " + column,
            f"UPDATE review SET {column} = {value} WHERE id = {{review}}",
        )
    add(
        "review insert",
        "review {new_review} is in the database but was never recorded",
        "INSERT INTO review (id, quote_id, reviewer, at, verdict, chain_sha256) "
        "VALUES ({new_review}, {q}, 'mallory', 'x', 'approve', '" + "0" * 64 + "')",
    )
    add(
        "review delete",
        "review {review} was removed outside the application",
        "DELETE FROM review WHERE id = {review}",
    )
    # -- setting
    add(
        "setting update",
        "setting 1 differs from its last audit entry #{setting_seq}: value",
        "UPDATE setting SET value = 'false' WHERE key = 'four_eyes'",
    )
    add(
        "setting insert",
        "setting -1 is in the database but was never recorded",
        "INSERT INTO setting (key, value) VALUES ('open_bar', 'true')",
    )
    add("setting delete", "setting 1 was removed outside the application", "DELETE FROM setting")
    return c  # fmt: skip


CASES = _cases()


@pytest.fixture(scope="module")
def world(module_db: Database) -> dict[str, Any]:
    """An annotated database and the ids the cases refer to."""
    svc = Service(module_db, user="ana")
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    art2 = svc.import_file(SAMPLES / "kestrel-ford-library.txt").extra["article"]
    putin = svc.create_source("person", "Vladimir Putin", aliases=["Putin"]).source
    zel = svc.create_source(
        "person", "Volodymyr Zelensky", aliases=["Zelensky"], external_ids=[("wikidata", "Q3874799")]
    ).source
    unused = svc.create_source("organization", "Unused Org", aliases=["UO"]).source
    cnn = svc.create_source("outlet", "CNN").source
    hops = [HopRecord(zel.id, "according to", (1500, 1510)), HopRecord(cnn.id, "quoted by")]
    q = svc.create_quote(art.id, 1571, 1713, speaker_id=putin.id, cue=(1560, 1570), hops=hops).quote
    svc.set_status(q.id, "needs_review")
    svc.set_setting("four_eyes", False)
    setting_seq = svc.set_setting("four_eyes", True).audit_seq
    review = Service(module_db, user="bo").approve(q.id).after("review")
    svc.set_verification(q.id, evidence_url="http://e", archive_url="http://a", note="n")
    q2 = svc.quotes(art.id)[0]
    assert q2.id < q.id
    ids = {"art": art.id, "art2": art2.id, "putin": putin.id, "zel": zel.id, "unused": unused.id, "q": q.id,
           "q2": q2.id, "review": review.id, "new_article": 900, "new_source": 900, "new_quote": 900,
           "new_review": 900}  # fmt: skip
    for key, otype in [("art", "article"), ("putin", "source"), ("zel", "source"), ("unused", "source"),
                       ("q", "quote"), ("review", "review")]:  # fmt: skip
        ids[f"{key}_seq"] = (
            svc.history(otype, ids[key])[-1].seq if otype != "quote" else _last_quote_seq(svc, q.id)
        )
    ids["setting_seq"] = setting_seq
    assert svc.verify_audit().ok
    return ids


def _last_quote_seq(svc: Service, qid: int) -> int:
    return max(h.seq for h in svc.history("quote", qid) if h.object_type == "quote")


@pytest.fixture
def planted(module_db: Database, world: dict[str, Any]) -> Iterator[Any]:
    """Plant a case's SQL in a transaction and return the check's report (then roll back)."""
    conns = []

    def plant(case: Case) -> audit.AuditReport:
        conn = module_db.engine.connect()
        conns.append(conn)
        conn.begin()
        pg = module_db.dialect == "postgresql"
        for sql in case.sql:
            if sql == FK_OFF:
                sql = (
                    "SET LOCAL session_replication_role = replica" if pg else "PRAGMA defer_foreign_keys = ON"
                )
            elif sql == TRIGGERS_OFF:
                sql = "ALTER TABLE article DISABLE TRIGGER USER" if pg else "DROP TRIGGER article_text_frozen"
            conn.exec_driver_sql(sql.format(**world))
        return audit.verify(Session(bind=conn))

    yield plant
    for conn in conns:
        conn.rollback()
        conn.close()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_raw_edit_is_named(planted: Any, world: dict[str, Any], case: Case) -> None:
    report = planted(case)
    assert not report.ok, f"{case.name}: not detected"
    assert case.expect.format(**world) in str(report.problem)


def test_the_untouched_database_verifies(planted: Any) -> None:
    assert planted(Case("nothing", (), "")).ok


def test_the_alias_attack_end_to_end(svc: Service) -> None:
    """Issue 10: a raw key swap makes "Putin" resolve to Zelensky; the check names the edited source."""
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    putin = svc.create_source("person", "Vladimir Putin", aliases=["Putin"]).source
    zel = svc.create_source("person", "Volodymyr Zelensky", aliases=["Zelensky"]).source
    assert svc.resolve_source("Putin").id == putin.id
    with svc.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE source_alias SET alias_key = 'putin-moved' WHERE alias_key = 'putin'")
        conn.exec_driver_sql("UPDATE source_alias SET alias_key = 'putin' WHERE alias_key = 'zelensky'")
    assert svc.resolve_source("Putin").id == zel.id  # the attack works on the live tables...
    svc.create_quote(art.id, 1571, 1713, speaker_id=svc.resolve_source("Putin").id)
    report = svc.verify_audit()  # ...and the check now names it
    assert not report.ok
    assert report.problem.object_type == "source" and report.problem.object_id == putin.id
    assert "alias_keys: audited ['putin'], found ['putin-moved']" in str(report.problem)


def test_entries_without_keys_still_verify(svc: Service) -> None:
    """A log written before the keys were recorded verifies: the keys are derived from the names;
    and a key edited behind the service's back is still named."""
    from annotator.model import AuditEntry

    svc.create_source("person", "Volodymyr Zelensky", aliases=["Zelensky", "Zelenskyy"])
    # Rewrite the log as the previous version wrote it: snapshots without name_key / alias_keys.
    with svc.db.read() as s:
        t = AuditEntry.__table__.c
        old = s.execute(select(t.txn, t.at, t.actor, t.action, t.object_type, t.object_id, t.before, t.after)
                        .order_by(t.seq)).all()  # fmt: skip
    _strip_keys_from_log(svc, old)
    with svc.db.read() as s:
        after = s.scalar(select(AuditEntry.after).where(AuditEntry.object_type == "source"))
    assert "name_key" not in after and "alias_keys" not in after
    assert svc.verify_audit().ok
    with svc.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE source_alias SET alias_key = 'vova' WHERE alias_key = 'zelenskyy'")
    report = svc.verify_audit()
    assert (
        not report.ok
        and "alias_keys: audited ['zelensky', 'zelenskyy'], found ['zelensky', 'vova']" in str(report.problem)
    )


def _strip_keys_from_log(svc: Service, old: list[tuple[Any, ...]]) -> None:
    import json

    from annotator import audit as audit_mod
    from annotator.model import AuditEntry
    from annotator.records import canonical_json

    def strip(snapshot: str | None) -> str | None:
        if snapshot is None:
            return None
        d = json.loads(snapshot)
        d.pop("name_key", None)
        d.pop("alias_keys", None)
        return canonical_json(d)

    with svc.db.engine.begin() as conn:
        if svc.db.dialect == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_entry_no_delete")
        conn.exec_driver_sql("DELETE FROM audit_entry")
        prev = audit_mod.GENESIS
        for seq, (txn, at, actor, action, otype, oid, before, after) in enumerate(old, 1):
            before, after = strip(before), strip(after)
            sha = audit_mod.entry_hash(seq=seq, txn=txn, at=at, actor=actor, action=action,
                                       object_type=otype, object_id=oid, before=before, after=after,
                                       prev_sha256=prev)  # fmt: skip
            conn.execute(
                insert(AuditEntry.__table__),
                dict(seq=seq, txn=txn, at=at, actor=actor, action=action, object_type=otype, object_id=oid,
                     before=before, after=after, prev_sha256=prev, sha256=sha),
            )  # fmt: skip
            prev = sha

"""The log's external anchor: an expected head, a witness file, and a quote set's recorded head.

A hash chain alone cannot see its own end cut off, its last entries rewritten and rehashed, or an
older copy put back; a head known from outside can.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from seed import SAMPLES
from sqlalchemy import func, select

from annotator import audit
from annotator.db import Database
from annotator.errors import ValidationError
from annotator.model import AuditEntry
from annotator.service import Service


def _raw(svc: Service, *sql: str) -> None:
    with svc.db.engine.begin() as conn:
        for statement in sql:
            conn.exec_driver_sql(statement)


def _drop_guards(svc: Service) -> None:
    if svc.db.dialect == "postgresql":
        _raw(svc, "ALTER TABLE audit_entry DISABLE TRIGGER USER")
    else:
        _raw(svc, "DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete")


@pytest.fixture
def worked(svc: Service) -> Service:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    speaker = svc.create_source("person", "Recep Tayyip Erdoğan").source
    q = svc.create_quote(art.id, 1571, 1713, speaker_id=speaker.id).quote
    svc.set_status(q.id, "needs_review")
    return svc


def _head(svc: Service) -> str:
    return audit.format_head(*svc.audit_head())


def test_head_prints_seq_and_hash_and_verifies(worked: Service) -> None:
    text = _head(worked)
    seq, sha = text.split(":")
    with worked.db.read() as s:
        assert int(seq) == s.scalar(select(func.count()).select_from(AuditEntry)) and len(sha) == 64
    assert worked.verify_audit(expect_head=text).ok
    worked.set_status(worked.quotes()[0].id, "disputed")
    assert worked.verify_audit(expect_head=text).ok  # a later log still holds the earlier head


def test_a_cut_off_end_is_caught_only_with_the_expected_head(worked: Service) -> None:
    """Deleting the last entries together with the rows they created leaves a valid chain."""
    before = _head(worked)
    art = worked.articles()[0].article
    q = worked.create_quote(art.id, 100, 140).quote
    after = _head(worked)
    _drop_guards(worked)
    _raw(
        worked,
        f"DELETE FROM audit_entry WHERE seq > {before.split(':')[0]}",
        f"DELETE FROM quote WHERE id = {q.id}",
    )
    assert worked.verify_audit().ok  # the chain alone cannot tell
    assert worked.verify_audit(expect_head=before).ok
    report = worked.verify_audit(expect_head=after)
    assert not report.ok
    cut, lost = before.split(":")[0], after.split(":")[0]
    assert f"the log ends at entry #{cut}, but --expect-head recorded head #{lost}" in str(report.problem)


def test_a_rehashed_tail_is_caught_only_with_the_expected_head(worked: Service) -> None:
    head_text = _head(worked)
    seq = int(head_text.split(":")[0])
    with worked.db.read() as s:
        e = s.get(AuditEntry, seq)
        forged = audit.entry_hash(seq=seq, txn=e.txn, at=e.at, actor="mallory", action=e.action,
                                  object_type=e.object_type, object_id=e.object_id, before=e.before,
                                  after=e.after, prev_sha256=e.prev_sha256)  # fmt: skip
    _drop_guards(worked)
    _raw(worked, f"UPDATE audit_entry SET actor = 'mallory', sha256 = '{forged}' WHERE seq = {seq}")
    assert worked.verify_audit().ok
    report = worked.verify_audit(expect_head=head_text)
    assert not report.ok and report.problem.seq == seq
    assert f"audit entry #{seq} is not the head recorded in --expect-head" in str(report.problem)


def test_a_bad_expected_head_is_a_clear_error(worked: Service) -> None:
    with pytest.raises(
        ValidationError, match=r"--expect-head: '12:abc' is not an audit head: expected SEQ:SHA256"
    ):
        worked.verify_audit(expect_head="12:abc")


def test_the_empty_log_has_head_zero(svc: Service) -> None:
    assert _head(svc) == f"0:{audit.GENESIS}"
    assert svc.verify_audit(expect_head=f"0:{audit.GENESIS}").ok
    assert not svc.verify_audit(expect_head="0:" + "1" * 64).ok
    assert not svc.verify_audit(expect_head="1:" + "1" * 64).ok


def test_witness_file_catches_a_cut_off_end(worked: Service, tmp_path: Path) -> None:
    witness = tmp_path / "elsewhere" / "witness.txt"
    first = worked.append_witness(witness, note="export a.set.xml")
    extra = worked.create_source("person", "Z").source
    second = worked.append_witness(witness, note="daily")
    lines = witness.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].split("\t")[0] == audit.format_head(first.seq, first.sha256)
    assert lines[0].split("\t")[2] == worked.audit_log_root()
    assert lines[0].split("\t")[3] == worked.database_label and lines[0].endswith("\texport a.set.xml")
    assert worked.verify_audit(witness=witness).ok
    _drop_guards(worked)
    _raw(
        worked,
        f"DELETE FROM audit_entry WHERE seq = {second.seq}",
        f"DELETE FROM source WHERE id = {extra.id}",
    )
    assert worked.verify_audit().ok
    report = worked.verify_audit(witness=witness)
    assert not report.ok
    assert f"but witness file {witness} line 2 recorded head #{second.seq}" in str(report.problem)


def test_witness_file_catches_an_older_copy_put_back(sqlite_url: str, tmp_path: Path) -> None:
    db_path = Path(sqlite_url.removeprefix("sqlite:///"))
    witness = tmp_path / "witness.txt"
    with Database.open(sqlite_url) as db:
        svc = Service(db, user="ana")
        svc.create_source("person", "A")
    shutil.copy(db_path, tmp_path / "backup.sqlite3")
    with Database.open(sqlite_url) as db:
        svc = Service(db, user="ana")
        svc.create_source("person", "B")
        svc.append_witness(witness, note="export")
    shutil.copy(tmp_path / "backup.sqlite3", db_path)  # the older copy is put back
    with Database.open(sqlite_url) as db:
        svc = Service(db, user="ana")
        assert svc.verify_audit().ok
        report = svc.verify_audit(witness=witness)
        assert not report.ok and "an older copy of the database was put back" in str(report.problem)


def test_witness_lines_of_other_databases_are_left_out_but_a_rewrite_from_entry_one_is_not(
    worked: Service, tmp_path: Path
) -> None:
    witness = tmp_path / "witness.txt"
    other = audit.WitnessLine(
        99, "a" * 64, "2026-01-01T00:00:00Z", "b" * 64, "sqlite:////elsewhere.sqlite3", "x"
    )
    witness.write_text("# heads of the desk's databases\n\n" + other.to_text() + "\n", encoding="utf-8")
    worked.append_witness(witness)
    assert worked.verify_audit(witness=witness).ok
    lines = audit.read_witness(witness)
    root = worked.audit_log_root()
    heads, skipped = audit.witness_heads(lines, root=root, database=worked.database_label, origin="w")
    assert skipped == 1 and len(heads) == 1
    # The same location with a new log root (rewritten from #1, or re-created) is still checked.
    heads, skipped = audit.witness_heads(lines, root="c" * 64, database=worked.database_label, origin="w")
    assert skipped == 1 and len(heads) == 1
    # And a copy elsewhere (same root, another location) too.
    heads, skipped = audit.witness_heads(lines, root=root, database="sqlite:////copy.sqlite3", origin="w")
    assert skipped == 1 and len(heads) == 1


def test_a_bad_witness_file_is_a_clear_error(worked: Service, tmp_path: Path) -> None:
    witness = tmp_path / "witness.txt"
    witness.write_text("# ok\nnot a head\tx\t-\tdb\tnote\n", encoding="utf-8")
    with pytest.raises(
        ValidationError, match=rf"witness file {witness} line 2: 'not a head' is not an audit head"
    ):
        worked.verify_audit(witness=witness)
    witness.write_text("1:" + "a" * 64 + "\tonly two\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"line 1: expected 5 tab-separated fields"):
        worked.verify_audit(witness=witness)
    with pytest.raises(ValidationError, match=r"witness file .*missing.txt: cannot read it"):
        worked.verify_audit(witness=tmp_path / "missing.txt")


def test_a_control_character_cannot_forge_a_witness_line(worked: Service, tmp_path: Path) -> None:
    witness = tmp_path / "witness.txt"
    worked.append_witness(witness, note="export\n1:" + "0" * 64 + "\tx\t-\tdb\tforged")
    assert len(audit.read_witness(witness)) == 1


def test_check_set_head(worked: Service) -> None:
    seq, sha = worked.audit_head()
    root = worked.audit_log_root()
    assert worked.check_set_head(None, None, None).status == "not recorded"
    assert worked.check_set_head(seq, sha, None).status == "matches"
    assert worked.check_set_head(seq, sha, root).status == "matches"
    assert worked.check_set_head(seq, "f" * 64, "e" * 64).status == "other database"
    unknown = worked.check_set_head(seq, "f" * 64, None)
    assert unknown.status == "unknown" and unknown.ok
    # The set says it was made from this log, which no longer holds its head.
    missing = worked.check_set_head(seq, "f" * 64, root)
    assert missing.status == "missing" and not missing.ok
    assert f"its entry #{seq} has another hash" in missing.message
    ahead = worked.check_set_head(seq + 5, "f" * 64, root)
    assert not ahead.ok and f"it ends at entry #{seq}" in ahead.message


def test_log_root_is_entry_one(worked: Service) -> None:
    with worked.db.read() as s:
        assert worked.audit_log_root() == s.scalar(select(AuditEntry.sha256).where(AuditEntry.seq == 1))


def test_import_set_checks_the_head_of_a_set_made_from_this_database(sqlite_url: str, tmp_path: Path) -> None:
    """A set made here records the audit head; when an older copy of the database is put back, a
    re-import of that set is refused, nothing written. A set made elsewhere is not held to it."""
    from annotator.errors import QuoteSetError
    from annotator.quotesets.export import export_set
    from annotator.quotesets.importer import import_set

    db_path = Path(sqlite_url.removeprefix("sqlite:///"))
    with Database.open(sqlite_url) as db:
        svc = Service(db, user="ana")
        art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
        svc.create_quote(art.id, 1571, 1713)
    shutil.copy(db_path, tmp_path / "backup.sqlite3")
    with Database.open(sqlite_url) as db:
        svc = Service(db, user="ana")
        svc.create_quote(art.id, 100, 140)
        export_set(svc, tmp_path / "set.xml", status="all", witness=False)
        report = import_set(svc, tmp_path / "set.xml")  # the same database: its head is in the log
        assert any("holds the set's audit head" in n for n in report.notes)
    shutil.copy(tmp_path / "backup.sqlite3", db_path)  # the older copy is put back
    with Database.open(sqlite_url) as db:
        svc = Service(db, user="ana")
        before = svc.audit_head()
        with pytest.raises(QuoteSetError, match="the log no longer holds that entry"):
            import_set(svc, tmp_path / "set.xml")
        assert svc.audit_head() == before  # nothing written
    # into another database, the same set imports: its quotes were not created there
    other = Service(Database.open(f"sqlite:///{tmp_path / 'other.sqlite3'}"), user="rui")
    assert import_set(other, tmp_path / "set.xml").counts()["quote"]["added"] == 2
    again = import_set(other, tmp_path / "set.xml")  # imported there, not made there: no head check
    assert again.counts()["quote"]["matched"] == 2
    other.db.close()

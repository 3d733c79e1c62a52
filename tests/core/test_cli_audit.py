"""`annotator audit head|witness|verify --expect-head|--witness`, and the head an export leaves in
the witness file: the external anchors of the audit log, from the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from seed import SAMPLES

from annotator.cli import main


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    monkeypatch.setenv("QUOTE_ANNOTATOR_WITNESS", str(tmp_path / "default-witness.txt"))

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", url, "--user", "ana", *args])
        out, err = capsys.readouterr()
        return code, out, err

    _run("import", str(SAMPLES / "istanbul-talks.txt"))
    return _run


def test_head_then_verify_against_it(run) -> None:
    code, out, _ = run("audit", "head")
    head = out.strip()
    seq, sha = head.split(":")
    assert code == 0 and int(seq) >= 1 and len(sha) == 64
    assert run("audit", "verify", "--expect-head", head)[0] == 0
    run("add-source", "person", "Marco Rubio")  # the log grows; the old head is still in it
    assert run("audit", "verify", "--expect-head", head)[0] == 0
    code, _, err = run("audit", "verify", "--expect-head", f"{seq}:{'0' * 64}")
    assert code != 0 and f"#{seq}" in err


def test_a_log_cut_short_fails_its_witness(run, tmp_path: Path) -> None:
    witness = tmp_path / "kept-elsewhere.txt"
    run("add-source", "person", "Marco Rubio")
    code, out, _ = run("audit", "witness", str(witness), "--note", "daily")
    assert code == 0 and "daily" in out and witness.read_text().count("\n") == 1
    assert run("audit", "verify", "--witness", str(witness))[0] == 0
    # Someone deletes the newest entries (the triggers are dropped first, as an attacker would).
    con = sqlite3.connect(tmp_path / "a.sqlite3")
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        con.execute(f'DROP TRIGGER "{name}"')
    con.execute("DELETE FROM source")
    con.execute("DELETE FROM audit_entry WHERE object_type = 'source' AND seq > 1")
    con.commit()
    con.close()
    code, _, err = run("audit", "verify", "--witness", str(witness))
    assert code != 0, err
    assert "witness file" in err and "line 1 recorded head #" in err


def test_an_export_appends_its_head_to_the_default_witness(run, tmp_path: Path) -> None:
    code, _, _ = run("export", "-o", str(tmp_path / "set.xml"), "--status", "all")
    assert code == 0
    lines = (tmp_path / "default-witness.txt").read_text().splitlines()
    assert len(lines) == 1 and "export set.xml" in lines[0]
    head = run("audit", "head")[1].strip()
    assert lines[0].startswith(head + "\t")
    assert run("audit", "verify", "--witness")[0] == 0

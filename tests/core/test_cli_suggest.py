"""``annotator suggest`` (an article, or a text file with no database at all) and
``annotator suggestions export``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from seed import DATA, SAMPLES

from annotator.cli import main
from annotator.db import Database
from annotator.service import Service
from annotator.suggest import suggest, suggestions_json

SEED_TEXT = DATA / "istanbul-talks.txt"
KEYS = ["quote", "type", "cue", "speaker", "intermediaries", "confidence", "reason"]


@pytest.fixture
def run(db_url, capsys):
    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, "--user", "ana", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def _span(value: object, text: str) -> None:
    assert isinstance(value, dict) and list(value) == ["start", "end", "text"]
    start, end, words = value["start"], value["end"], value["text"]
    assert type(start) is int and type(end) is int and type(words) is str
    assert 0 <= start < end <= len(text) and text[start:end] == words


def _check_shape(items: object, text: str) -> None:
    """Every item exactly as the issue gives it, with the type of every key."""
    assert isinstance(items, list) and items
    for item in items:
        assert isinstance(item, dict) and list(item) == KEYS
        _span(item["quote"], text)
        assert item["type"] in ("direct", "partial", "indirect")
        if item["cue"] is not None:
            _span(item["cue"], text)
        sp = item["speaker"]
        if sp is not None and "name" in sp:
            assert list(sp) == ["name"] and type(sp["name"]) is str and sp["name"]
        elif sp is not None:
            _span(sp, text)
        assert isinstance(item["intermediaries"], list)
        for h in item["intermediaries"]:
            assert list(h) == ["start", "end", "text", "relation"]
            _span({k: h[k] for k in ("start", "end", "text")}, text)
            assert type(h["relation"]) is str and h["relation"]
        assert type(item["confidence"]) is float and 0.0 <= item["confidence"] <= 1.0
        assert type(item["reason"]) is str and item["reason"]


def _no_database_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process whose default database and data directory are in ``tmp_path``."""
    env = {
        **os.environ,
        "QUOTE_ANNOTATOR_DB": str(tmp_path / "db" / "must-not-exist.sqlite3"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "-m", "annotator.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )


def test_text_file_json_on_the_seed_article_without_any_database(tmp_path: Path) -> None:
    run = _no_database_run(tmp_path, "suggest", "--text-file", str(SEED_TEXT), "--language", "en", "--json")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert not (tmp_path / "db").exists() and not (tmp_path / "data").exists()
    text = SEED_TEXT.read_bytes().decode("utf-8")
    items = json.loads(run.stdout)
    _check_shape(items, text)
    assert items == suggestions_json(suggest(text, "en"))
    moscow = next(i for i in items if i["quote"]["text"].startswith("it would only accept a truce"))
    assert moscow["speaker"] == {"start": 1497, "end": 1503, "text": "Moscow"}
    assert moscow["cue"] == {"start": 1504, "end": 1517, "text": "made it clear"}
    assert [(h["text"], h["relation"]) for h in moscow["intermediaries"]] == [
        ("a Turkish official", "according to"),
        ("CNN", "quoted by"),
    ]


def test_text_file_never_opens_a_database(tmp_path: Path, monkeypatch, capsys) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a database was opened")

    monkeypatch.setattr(Database, "open", refuse)
    assert (
        main(["--db", str(tmp_path / "x.sqlite3"), "suggest", "--text-file", str(SEED_TEXT), "--json"]) == 0
    )
    out, err = capsys.readouterr()
    assert json.loads(out) and err == "" and not (tmp_path / "x.sqlite3").exists()
    assert main(["suggest", "--text-file", str(SEED_TEXT)]) == 0
    out, _ = capsys.readouterr()
    assert "Moscow ← Turkish official (according to) ← CNN" in out and "suggestion(s)" in out


def test_text_file_offsets_are_into_the_text_exactly_as_decoded(tmp_path: Path, capsys) -> None:
    body = (
        "\ufeffSecretary of State Marco Rubio left early. 🙂\r\n\r\n"
        "\u201cWe came because we were told there could be a meeting,\u201d he said.\r\n"
        "Laut Polizei wurden drei Menschen verletzt.\r\n"
    )
    path = tmp_path / "crlf.txt"
    path.write_bytes(body.encode("utf-8"))
    assert main(["suggest", "--text-file", str(path), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    _check_shape(items, body)  # the BOM, the emoji and every \r count as one code point each
    rubio = next(i for i in items if i["quote"]["text"].startswith("We came"))
    assert rubio["quote"]["start"] == body.index("We came")
    assert rubio["speaker"] == {
        "start": body.index("Marco"),
        "end": body.index(" left"),
        "text": "Marco Rubio",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"caf\xe9 au lait", "not UTF-8 text (byte 0xe9 at offset 3 is invalid)"),
        (None, "no such file"),
        ("dir", "is a directory, not a text file"),
    ],
)
def test_a_bad_text_file_is_a_one_line_error(tmp_path: Path, capsys, content: object, message: str) -> None:
    path = tmp_path / "article.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "dir":
        path.mkdir()
    assert main(["suggest", "--text-file", str(path), "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"annotator: error: {path}: {message}\n"


def test_wrong_combinations_are_one_line_errors(tmp_path: Path, capsys) -> None:
    for args in (
        ["suggest"],
        ["suggest", "1", "--text-file", str(SEED_TEXT)],
        ["suggest", "--text-file", str(SEED_TEXT), "--accept-all"],
    ):
        assert main(["--db", str(tmp_path / "x.sqlite3"), *args]) == 1
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("annotator: error: ") and err.count("\n") == 1
    assert not (tmp_path / "x.sqlite3").exists()


def test_suggest_an_article_then_accept_all_above_a_confidence(run) -> None:
    assert run("import", str(SAMPLES / "istanbul-talks.txt"))[0] == 0
    code, out, _ = run("suggest", "1", "--json")
    assert code == 0
    items = json.loads(out)
    text = (SAMPLES / "istanbul-talks.txt").read_bytes().decode("utf-8").split("---\n", 1)[1]
    _check_shape(items, text)
    code, out, _ = run("suggest", "1", "--min-confidence", "0.8", "--json")
    high = json.loads(out)
    assert high and high == [i for i in items if i["confidence"] >= 0.8]

    code, out, _ = run("suggest", "1", "--min-confidence", "0.8", "--accept-all")
    assert code == 0 and f"accepted {len(high)} suggestion(s) for article #1" in out
    code, out, _ = run("--json", "quotes", "--article", "1")
    assert [(q["start"], q["end"]) for q in json.loads(out)] == [
        (i["quote"]["start"], i["quote"]["end"]) for i in high
    ]
    code, out, _ = run("suggest", "1", "--json")
    assert json.loads(out) == [i for i in items if i["confidence"] < 0.8]
    code, out, _ = run("suggest", "1", "--min-confidence", "0.8", "--accept-all")
    assert code == 0 and "nothing to accept" in out
    code, out, _ = run("history", "1")
    assert "accept suggestion (confidence" in out
    code, out, _ = run("audit", "verify")
    assert code == 0 and "audit log OK" in out


def test_suggestions_export_lines(run, db_url, tmp_path: Path) -> None:
    db = Database.open(db_url)
    svc = Service(db, user="ana")
    aid = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"].id
    items = svc.suggestions(aid)
    moscow = next(x for x in items if x.quote.text.startswith("it would only accept a truce"))
    vance = next(x for x in items if x.quote.text.startswith("Russia is asking"))
    rubio = next(x for x in items if x.quote.text.startswith("We came because"))
    medinsky = next(x for x in items if x.quote.text.startswith("We are satisfied"))
    kept = svc.accept_suggestion(aid, moscow).quote
    corrected = svc.accept_suggestion(aid, rubio).quote
    deleted = svc.accept_suggestion(aid, medinsky).quote
    svc.reject_suggestion(aid, vance)
    putin = svc.create_source("person", "Vladimir Putin").source
    svc.set_speaker(corrected.id, putin.id)
    svc.set_span(corrected.id, corrected.start, corrected.end - 1)
    svc.delete_quote(deleted.id)
    db.close()

    code, out, _ = run("suggestions", "export")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(x["decision"], x["suggestion"]["fingerprint"]) for x in lines] == [
        ("accepted", moscow.fingerprint),
        ("accepted", rubio.fingerprint),
        ("accepted", medinsky.fingerprint),
        ("rejected", vance.fingerprint),
    ]
    first, second, third, fourth = lines
    assert first["quote"] == {"id": kept.id, "uid": kept.uid, "status": "unverified", "state": "as_suggested"}
    assert first["corrected"] == {} and first["article"]["language"] == "en"
    assert first["suggester_version"] and first["confidence"] == moscow.confidence
    assert first["suggestion"]["intermediaries"][1]["source"]["name"] == "CNN"
    assert second["quote"]["state"] == "corrected"
    assert second["corrected"] == {
        "speaker": {"source_id": putin.id, "name": "Vladimir Putin", "kind": "person"},
        "quote": {"start": corrected.start, "end": corrected.end - 1, "text": corrected.text[:-1]},
    }
    assert third["quote"] == {"id": deleted.id, "uid": None, "status": None, "state": "deleted"}
    assert fourth["quote"] is None and fourth["corrected"] == {} and fourth["decided_by"] == "ana"

    path = tmp_path / "decisions.jsonl"
    code, _, err = run("suggestions", "export", "-o", str(path), "--article", "1")
    assert code == 0 and f"exported 4 decision(s) to {path}" in err
    assert path.read_text(encoding="utf-8") == out
    code, out, err = run("suggestions", "export", "--article", "2")
    assert code == 1 and out == "" and err.count("\n") == 1


def test_read_commands_do_not_load_the_suggester(tmp_path: Path) -> None:
    code = (
        "import sys; from annotator.cli import main; "
        f"main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'articles']); "
        "sys.exit(1 if any(m.startswith('annotator.suggest') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0

"""The interchange formats on the command line: ``export --format prov-xml|prov-json|prov-n|claimreview|
brat``, ``import-brat`` and ``setting claimreview``; exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prov.model import ProvDocument
from seed import SAMPLES, annotate_gold

from annotator.cli import main
from annotator.db import Database
from annotator.service import Service


@pytest.fixture
def desk(tmp_path: Path):
    """The Istanbul sample annotated from its gold file: three quotes verified by a second person,
    one rejected with a comment, one disputed."""
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    db = Database.open(url)
    svc = Service(db, user="ana")
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    ids = annotate_gold(svc, art.id)
    rui = Service(db, user="rui")
    for qid in ids[:3]:
        rui.approve(qid)
    rui.reject(ids[3], "he never said this")
    svc.set_status(ids[4], "disputed")
    yield url, svc, art, ids
    db.close()


def _run(url: str, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, "--user", "ana", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("fmt", "serializer"), [("prov-xml", "xml"), ("prov-json", "json"), ("prov-n", "provn")]
)
def test_export_prov_in_each_serialization(desk, capsys, tmp_path: Path, fmt: str, serializer: str) -> None:
    url, _svc, _art, ids = desk
    path = tmp_path / f"chains.{fmt}"
    code, out, err = _run(url, capsys, "export", "--format", fmt, "-o", str(path))
    assert (code, err) == (0, "")
    assert out.startswith("exported 3 quote(s), 1 article(s), ") and f"to {path} ({fmt}, sha256 " in out
    doc = ProvDocument.deserialize(content=path.read_text(encoding="utf-8"), format=serializer)
    entities = {str(r.identifier) for r in doc.get_records() if r.get_type().localpart == "Entity"}
    quotes = [e for e in entities if e.startswith("qa:quote-") and "-hop-" not in e]
    assert len(quotes) == 3
    # --status all takes every quote; --json says what was written
    code, out, _ = _run(url, capsys, "--json", "export", "--format", fmt, "--status", "all", "-o", str(path))
    result = json.loads(out)
    assert code == 0 and result["quotes"] == len(ids) and result["format"] == fmt
    assert result["path"] == str(path) and result["sidecar"] is None and len(result["sha256"]) == 64


def test_prov_refuses_since_and_created_with_one_line(desk, capsys, tmp_path: Path) -> None:
    url, *_ = desk
    path = tmp_path / "x.provn"
    for extra, word in (
        (["--since", "2025-01-01"], "--since"),
        (["--created", "2026-01-01T00:00:00Z"], "--created"),
    ):
        code, out, err = _run(url, capsys, "export", "--format", "prov-n", "-o", str(path), *extra)
        assert code == 1 and out == ""
        assert err.startswith(f"annotator: error: {word}: the prov-n export") and err.count("\n") == 1
    assert not path.exists()


def test_export_claimreview_and_its_rating_setting(desk, capsys, tmp_path: Path) -> None:
    url, svc, _art, ids = desk
    path = tmp_path / "reviews.jsonld"
    code, out, _ = _run(url, capsys, "export", "--format", "claimreview", "-o", str(path))
    assert code == 0 and out.startswith("exported 2 ClaimReview item(s)")
    items = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(i["claimReviewed"] for i in items) == sorted(svc.quote(i).text for i in ids[3:5])
    ratings = {i["claimReviewed"]: i["reviewRating"]["name"] for i in items}
    assert ratings[svc.quote(ids[3]).text] == "Misattributed"

    setting = {
        "ratings": {"disputed": "Unproven", "rejected": "False attribution"},
        "comment_ratings": [["never said", "Fabricated"]],
        "review_url": "https://factcheck.example.org/q/{quote_uid}",
    }
    code, out, err = _run(url, capsys, "setting", "claimreview", json.dumps(setting))
    assert (code, err) == (0, "")
    assert out == f"claimreview = {json.dumps(setting, sort_keys=True)}\n"
    assert svc.history("setting", 2)[-1].actor == "ana"  # audited, by the acting user
    code, out, _ = _run(url, capsys, "setting", "claimreview")
    assert out == f"claimreview = {json.dumps(setting, sort_keys=True)}\n"
    _run(url, capsys, "export", "--format", "claimreview", "-o", str(path))
    items = {i["claimReviewed"]: i for i in json.loads(path.read_text(encoding="utf-8"))}
    assert items[svc.quote(ids[3]).text]["reviewRating"]["name"] == "Fabricated"
    assert items[svc.quote(ids[4]).text]["reviewRating"]["name"] == "Unproven"
    assert items[svc.quote(ids[4]).text]["url"] == f"https://factcheck.example.org/q/{svc.quote(ids[4]).uid}"

    # a bad value is refused in one line, and the setting stays as it was
    for bad, words in (("{not json", "is not JSON"), ('{"ratings": {}}', "ratings.disputed")):
        code, out, err = _run(url, capsys, "setting", "claimreview", bad)
        assert code == 1 and words in err and err.count("\n") == 1
    assert svc.setting("claimreview") == setting
    # --status has no meaning for ClaimReview: refused rather than ignored
    code, _, err = _run(url, capsys, "export", "--format", "claimreview", "--status", "all", "-o", str(path))
    assert code == 1 and "--status" in err


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_brat_export_import_round_trip_and_conflict(desk, capsys, tmp_path: Path) -> None:
    url, svc, art, ids = desk
    out_dir = tmp_path / "brat"
    code, out, err = _run(url, capsys, "export", "--format", "brat", "--status", "all", "-o", str(out_dir))
    assert (code, err) == (0, "")
    assert f"exported {len(ids)} quote(s), 1 article(s)" in out and "(brat, 5 files" in out
    assert {"annotation.conf", "visual.conf", "articles.json"} <= set(_files(out_dir))

    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    code, out, _ = _run(empty, capsys, "import-brat", str(out_dir), "--dry-run")
    assert code == 0 and f"would import {len(ids)} quote(s)" in out
    code, out, _ = _run(empty, capsys, "articles")
    assert "istanbul" not in out.lower() and "Russia" not in out  # the dry run wrote nothing
    code, out, _ = _run(empty, capsys, "--json", "import-brat", str(out_dir))
    report = json.loads(out)
    assert code == 0 and report["quotes_created"] == len(ids) and report["dry_run"] is False
    again = tmp_path / "again"
    code, _, _ = _run(empty, capsys, "export", "--format", "brat", "--status", "all", "-o", str(again))
    assert code == 0
    # brat carries no sign-offs, so the three verified quotes arrive as "needs review", with the
    # reason in their notes; from there on the round trip is exact
    came_back = _files(again)["istanbul-talks.ann"]
    assert b" verified\n" in _files(out_dir)["istanbul-talks.ann"] and b" verified\n" not in came_back
    assert came_back.count(b"arrived as needs review, not verified") == 3
    third = f"sqlite:///{tmp_path / 'third.sqlite3'}"
    assert _run(third, capsys, "import-brat", str(again))[0] == 0
    once_more = tmp_path / "once-more"
    assert _run(third, capsys, "export", "--format", "brat", "--status", "all", "-o", str(once_more))[0] == 0
    assert _files(once_more) == _files(again)
    # importing the same files again changes nothing
    code, out, _ = _run(empty, capsys, "import-brat", str(out_dir))
    assert code == 0 and f"imported 0 quote(s) ({len(ids)} already there)" in out

    # the same span with another chain is a conflict: exit code 3, nothing written
    other = Service(Database.open(empty), user="ben")
    qid = other.quotes()[0].id
    other.set_speaker(qid, other.create_source("person", "Somebody Else").source.id)
    before = len(other.quotes())
    code, out, err = _run(empty, capsys, "import-brat", str(out_dir))
    assert code == 3 and "conflict" in err and err.count("\n") == 1 and err.startswith("annotator: error: ")
    assert len(other.quotes()) == before
    other.db.close()


def test_import_brat_refuses_a_broken_file_with_its_line(desk, capsys, tmp_path: Path) -> None:
    url, *_ = desk
    out_dir = tmp_path / "brat"
    _run(url, capsys, "export", "--format", "brat", "-o", str(out_dir))
    ann = next(out_dir.glob("*.ann"))
    lines = ann.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "T99\tQuote 5 nonsense")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run(url, capsys, "import-brat", str(out_dir))
    assert code == 1 and out == ""
    assert err.startswith(f"annotator: error: {ann}:3: ") and err.count("\n") == 1

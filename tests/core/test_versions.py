"""Versions of an article: the seed article with an edited second version, carried quotes, the
report, approvals, the audit log, the CLI (versions, diff, changes) and the version a review was made on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from seed import SAMPLES, annotate_gold

from annotator.cli import main
from annotator.db import Database
from annotator.errors import NotFoundError, ValidationError
from annotator.records import HopRecord
from annotator.service import Service

OLD_SENTENCE = (
    "Furthermore, Moscow made it clear, according to a Turkish official quoted by CNN, that it would only "
    "accept a truce if Ukraine withdrew from territories it still controls in the regions of Luhansk, "
    "Donetsk, Zaporizhia and Kherson"
)
NEW_SENTENCE = (
    "Moscow also insisted, a Turkish official said, that it would accept a truce only if Ukraine withdrew "
    "from the territories it still holds in Luhansk, Donetsk, Zaporizhia and Kherson"
)
REMOVED = " ‘That was not going to happen, or if it did, it was not at the levels we expected,’ he added."
TOP = "Updated on 20 May: talks are expected to resume in June, officials said.\n\n"


def second_version(tmp_path: Path) -> Path:
    """The Istanbul article edited: the Turkish official sentence rewritten, Rubio's second quote
    removed, a paragraph inserted at the top."""
    head, body = (SAMPLES / "istanbul-talks.txt").read_text(encoding="utf-8").split("---\n", 1)
    assert OLD_SENTENCE in body and REMOVED in body
    body = TOP + body.replace(OLD_SENTENCE, NEW_SENTENCE).replace(REMOVED, "")
    path = tmp_path / "istanbul-talks-v2.txt"
    path.write_text(head + "---\n" + body, encoding="utf-8")
    return path


def seeded(db: Database) -> dict[str, int]:
    """The gold annotation, the Moscow quote with evidence on both hops and verified by rui, and
    Tykhyi's first quote verified too."""
    ana, rui = Service(db, user="ana"), Service(db, user="rui")
    art = ana.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(ana, art.id)
    quotes = ana.quotes(art.id)
    text = ana.article_text(art.id)
    moscow = next(q for q in quotes if q.text.startswith("it would only accept a truce"))
    official = text.index("according to a Turkish official")
    cnn = text.index("quoted by CNN")
    hops = [
        HopRecord(moscow.hops[0].source_id, moscow.hops[0].relation, (official, official + 31)),
        HopRecord(moscow.hops[1].source_id, moscow.hops[1].relation, (cnn, cnn + 13)),
    ]
    ana.set_chain(moscow.id, moscow.speaker_id, hops)
    rui.approve(moscow.id, "matches the CNN piece")
    tykhyi = next(q for q in quotes if q.text.startswith("expressed its immediate willingness"))
    rui.approve(tykhyi.id, "fine")
    rubio = next(q for q in quotes if q.text.startswith("That was not going to happen"))
    return {
        "article": art.id,
        "moscow": moscow.id,
        "tykhyi": tykhyi.id,
        "rubio": rubio.id,
        "count": len(quotes),
    }


def test_the_seed_article_edited_reports_exactly_the_changed_and_lost_quotes(db: Database, tmp_path) -> None:
    ids = seeded(db)
    ana = Service(db, user="ana")
    moscow_before = ana.quote(ids["moscow"])
    tykhyi_hash = ana.chain_sha256(ids["tykhyi"])

    res = ana.import_version(ids["article"], second_version(tmp_path))
    v2 = res.extra["article"]
    assert res.extra["created"] and (v2.version, v2.version_of) == (2, ids["article"])
    assert res.extra["outcomes"] == {"unchanged": 0, "moved": ids["count"] - 2, "changed": 1, "lost": 1}

    changes = ana.changes(ids["article"])
    assert (changes.old.version, changes.new.version) == (1, 2)
    assert {(r.quote_id, r.outcome) for r in changes.reports if r.outcome != "moved"} == {
        (ids["moscow"], "changed"),
        (ids["rubio"], "lost"),
    }
    assert changes.carried == ids["count"] - 1

    # The verified Moscow quote lost its approval, with the reason.
    moscow = ana.quote(ids["moscow"])
    assert moscow.status == "needs_review" and moscow.article_id == v2.id
    assert moscow.text == NEW_SENTENCE[NEW_SENTENCE.index("it would accept") :]
    report = next(r for r in changes.reports if r.quote_id == ids["moscow"])
    assert report.approval_withdrawn
    assert report.reason.startswith("version 2 changed its text ('it would only accept a truce")
    assert "its cue ('made it clear' → 'also insisted')" in report.reason
    assert "hop 1's evidence ('according to a Turkish official' → 'a Turkish official')" in report.reason
    assert "hop 2's evidence ('quoted by CNN' → 'said')" in report.reason
    text2 = ana.article_text(v2.id)
    assert text2[moscow.cue[0] : moscow.cue[1]] == "also insisted"  # type: ignore[index]
    last = ana.history("quote", ids["moscow"])[-1]
    assert last.action == "carry to version 2: changed (approval withdrawn)"
    assert (
        ana.chain_sha256(ids["moscow"]) != moscow_before and moscow.chain_dict() != moscow_before.chain_dict()
    )

    # The lost quote stays on version 1, an orphan, with its text.
    rubio = ana.quote(ids["rubio"])
    assert (
        rubio.article_id == ids["article"]
        and ana.article_text(ids["article"])[rubio.start : rubio.end] == rubio.text
    )

    # A verified quote that only moved keeps its approval, and its chain hash (texts, not offsets).
    tykhyi = ana.quote(ids["tykhyi"])
    assert tykhyi.article_id == v2.id and text2[tykhyi.start : tykhyi.end] == tykhyi.text
    assert tykhyi.status == "verified" and ana.chain_sha256(ids["tykhyi"]) == tykhyi_hash
    assert ana.reviews(ids["tykhyi"])[-1].chain_sha256 == ana.chain_sha256(ids["tykhyi"])

    # Every other quote moved by the inserted paragraph, text intact.
    for q in ana.quotes(v2.id):
        assert text2[q.start : q.end] == q.text
    assert ana.verify_audit().ok


def test_versions_listing_library_and_annotating_only_the_newest(db: Database, tmp_path) -> None:
    ids = seeded(db)
    ana = Service(db, user="ana")
    path = second_version(tmp_path)
    v2 = ana.import_version(ids["article"], path).extra["article"]
    assert [(v.version, v.id) for v in ana.versions(v2.id)] == [(1, ids["article"]), (2, v2.id)]
    assert ana.latest_version(ids["article"]).id == v2.id
    assert ana.version_text(ids["article"], 2) == ana.article_text(v2.id)
    assert [a.article.id for a in ana.articles()] == [v2.id]  # the library shows the newest version
    with pytest.raises(
        ValidationError, match=r"article 1 has a newer version \(version 2, article 2\): annotate that one"
    ):
        ana.create_quote(ids["article"], 0, 5)
    with pytest.raises(NotFoundError):
        ana.version(ids["article"], 3)

    cmp = ana.compare(v2.id)  # for a diff view: what each version has that the other does not
    assert (cmp.old.version, cmp.new.version) == (1, 2)
    assert cmp.new_text[cmp.inserted[0][0] : cmp.inserted[0][1]] == TOP
    # The removed sentence is one deleted range (as long as it; a diff may shift it by a full stop).
    assert any(
        b - a == len(REMOVED) and "That was not going to happen" in cmp.old_text[a:b] for a, b in cmp.deleted
    )
    assert all(cmp.old_text[o : o + n] == cmp.new_text[w : w + n] for o, w, n in cmp.blocks)

    again = ana.import_version(ids["article"], path)  # the same text again: unchanged
    assert not again.extra["created"] and again.extra["article"].id == v2.id
    with pytest.raises(ValidationError, match=r"the new text is the text of version 1 of article 1 again"):
        ana.import_version(v2.id, SAMPLES / "istanbul-talks.txt")
    ana.import_file(SAMPLES / "kielsund-werft.txt")
    with pytest.raises(
        ValidationError, match=r"this text is already article \d+ .*not a new version of article 1"
    ):
        ana.import_version(ids["article"], SAMPLES / "kielsund-werft.txt")


def test_a_review_records_the_version_it_was_made_on(db: Database, tmp_path) -> None:
    ids = seeded(db)
    ana, rui = Service(db, user="ana"), Service(db, user="rui")
    v2 = ana.import_version(ids["article"], second_version(tmp_path)).extra["article"]
    assert ana.reviews(ids["tykhyi"])[-1].article_id == ids["article"]
    rui.approve(ids["moscow"], "checked the new wording")
    assert ana.reviews(ids["moscow"])[-1].article_id == v2.id


def test_cli_versions_diff_and_changes(sqlite_url: str, tmp_path, capsys) -> None:
    db = Database.open(sqlite_url)
    ids = seeded(db)
    db.close()
    path = second_version(tmp_path)
    run = ["--db", sqlite_url, "--user", "ana"]
    assert main([*run, "import", str(path), "--version-of", str(ids["article"])]) == 0
    out = capsys.readouterr().out
    assert f"version 2 #{ids['article'] + 1}" in out and "quotes 16 moved, 1 changed, 1 lost" in out

    assert main([*run, "versions", str(ids["article"])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["VERSION", "ARTICLE"] and len(lines) == 4

    assert main([*run, "diff", str(ids["article"])]) == 0
    diff = capsys.readouterr().out
    assert diff.startswith("--- article 1 version 1\n+++ article 1 version 2\n")
    assert "+" + TOP.splitlines()[0] in diff.splitlines()
    assert any(line.startswith("-") and "made it clear" in line for line in diff.splitlines())
    assert main([*run, "diff", str(ids["article"]), "1", "2"]) == 0
    assert capsys.readouterr().out == diff

    assert main([*run, "changes", str(ids["article"])]) == 0
    out = capsys.readouterr().out
    assert f"quote {ids['moscow']}: changed  (approval withdrawn)" in out
    assert f"quote {ids['rubio']}: lost" in out
    assert "17 quotes on version 2; 1 changed, 1 lost" in out

    assert main([*run, "changes", str(ids["article"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["from"]["version"], data["to"]["version"]) == (1, 2)
    changed = [q for q in data["quotes"] if q["outcome"] != "moved"]
    assert {(q["quote_id"], q["outcome"]) for q in changed} == {
        (ids["moscow"], "changed"),
        (ids["rubio"], "lost"),
    }
    moscow = next(q for q in changed if q["quote_id"] == ids["moscow"])
    assert moscow["status"] == "needs_review" and moscow["detail"]["cue"]["new_text"] == "also insisted"

    assert main([*run, "changes", str(ids["article"]), "2", "1"]) == 1
    assert "compare an older version with a newer one" in capsys.readouterr().err


def test_a_quote_set_says_which_version_each_quote_was_verified_on(sqlite_db: Database, tmp_path) -> None:
    from lxml import etree

    from annotator.quotesets.export import export_set
    from annotator.quotesets.importer import import_set
    from annotator.quotesets.xmlformat import read_quoteset

    ids = seeded(sqlite_db)
    ana, rui = Service(sqlite_db, user="ana"), Service(sqlite_db, user="rui")
    before = tmp_path / "v1.xml"
    export_set(ana, before, status="all")
    assert read_quoteset(before).header.format_version == "1.0"  # nothing about versions to say

    v2 = ana.import_version(ids["article"], second_version(tmp_path)).extra["article"]
    rui.approve(ids["moscow"], "checked the new wording")
    out = tmp_path / "set.xml"
    export_set(ana, out, status="all")
    schema = etree.XMLSchema(file=str(Path(__file__).resolve().parents[2] / "schemas" / "quoteset-1.1.xsd"))
    schema.assertValid(etree.parse(str(out)))  # a partner's view: the shipped schema and plain lxml

    qs = read_quoteset(out)
    assert qs.header.format_version == "1.1"
    first = ana.article(ids["article"])
    arts = {a.id: a for a in qs.articles}
    assert (arts[v2.uid].version, arts[v2.uid].version_of) == (2, first.uid)
    assert (arts[first.uid].version, arts[first.uid].version_of) == (1, None)  # the orphan's version
    quotes = {q.id: q for q in qs.quotes}
    moscow = quotes[ana.quote(ids["moscow"]).uid]
    assert [(s.verdict, s.version) for s in moscow.signoffs] == [("approve", 1), ("approve", 2)]
    tykhyi = quotes[ana.quote(ids["tykhyi"]).uid]
    assert tykhyi.article == v2.uid and [s.version for s in tykhyi.signoffs] == [1]
    rubio = quotes[ana.quote(ids["rubio"]).uid]
    assert rubio.article == first.uid  # the lost quote, on the version it was made on

    target = Database.open(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    import_set(Service(target, user="ben"), out)  # a 1.1 set imports
    assert len(Service(target, user="ben").quotes()) == ids["count"]
    target.close()

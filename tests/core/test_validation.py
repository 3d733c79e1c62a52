"""Every stored value is checked in one place (annotator.validation): lengths from the schema on
every backend, no control or bidi characters in names, driver errors as one-line errors, and
names shown display-safe by the command line (issue 10, points 7 and 8)."""

from __future__ import annotations

import json

import pytest
from seed import SAMPLES
from sqlalchemy import text

from annotator import validation
from annotator.cli import main
from annotator.errors import AnnotatorError, ValidationError
from annotator.model import Hop, Quote, Source, SourceAlias
from annotator.service import Service

ESC_NAME = "\x1b[2J\x1b[31mEvil Corp"
BIDI_NAME = "Innocent\u202egnp.exe"


@pytest.fixture
def cli(db_url, capsys):
    def run(*args: str, user: str = "ana") -> tuple[int, str, str]:
        code = main(["--db", db_url, "--user", user, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), err
    assert "[SQL" not in err and "[parameters" not in err and "Traceback" not in err
    assert "\x1b" not in err and "\u202e" not in err
    return lines[0]


def test_limits_come_from_the_schema() -> None:
    assert validation.column_limit(Source.name) == Source.__table__.c.name.type.length
    assert validation.column_limit(Hop.relation) == Hop.__table__.c.relation.type.length
    assert validation.column_limit(Quote.note) is None  # Text: no declared length
    assert validation.user_limit() == Quote.__table__.c.created_by.type.length


def test_a_batch_import_reports_the_over_long_outlet_and_goes_on(cli, tmp_path) -> None:
    files = []
    for n, outlet in enumerate(("The Daily", "O" * 5_000, "The Weekly"), 1):
        path = tmp_path / f"{n}-article.txt"
        path.write_text(
            f"Title: Article {n}\nOutlet: {outlet}\n---\nBody of article {n}.\n\n“Words {n},” she said.\n",
            encoding="utf-8",
        )
        files.append(path)
    code, out, err = cli("import", *map(str, files))
    assert code == 1
    assert out.strip().splitlines()[-1] == "2 imported, 1 refused"
    assert f"refused   {files[1]}: outlet is 5,000 characters long, over the database's limit of 300" in err
    assert "[SQL" not in out + err
    code, out, _ = cli("--json", "articles")
    assert sorted(a["title"] for a in json.loads(out)) == ["Article 1", "Article 3"]
    code, out, _ = cli("--json", "sources")
    assert sorted(s["name"] for s in json.loads(out)) == ["The Daily", "The Weekly"]


LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("args", "user", "words"),
    [
        (("--speaker", f"person/{LONG}"), "ana", "--speaker is 10,007 characters long"),
        (("--via", f"person/{LONG}:according to"), "ana", "--via is 10,007 characters long"),
        (("--via", f"person/Someone:{LONG}"), "ana", "--via relation is 10,000 characters long"),
        (("--speaker", f"person/{ESC_NAME}"), "ana", "contains a control character (U+001B ESCAPE)"),
        (("--speaker", f"person/{BIDI_NAME}"), "ana", "contains a bidi control character (U+202E"),
        (("--via", "person/Someone:according\x1b]0;owned\x07 to"), "ana", "--via relation"),
        ((), LONG, "user name is 10,000 characters long, over the database's limit of 200"),
        ((), f"mallory{ESC_NAME}", "user name '"),
    ],
    ids=[
        "speaker-long",
        "via-long",
        "relation-long",
        "speaker-esc",
        "speaker-bidi",
        "relation-osc",
        "user-long",
        "user-esc",
    ],  # fmt: skip
)
def test_cli_values_are_checked_with_a_one_line_error(cli, args, user, words) -> None:
    assert cli("import", str(SAMPLES / "istanbul-talks.txt"))[0] == 0
    code, out, err = cli("add-quote", "1", "--text", "limited mandate", *args, user=user)
    assert code == 1 and out == ""
    assert words in _one_line_error(err)
    code, out, _ = cli("--json", "quotes")
    assert json.loads(out) == []
    code, out, _ = cli("--json", "sources")
    assert all(s["name"] in ("El País",) for s in json.loads(out))


def test_evidence_url_is_checked(cli) -> None:
    cli("import", str(SAMPLES / "istanbul-talks.txt"))
    assert cli("add-quote", "1", "--text", "limited mandate")[0] == 0
    code, _, err = cli("status", "1", "needs_review", "--evidence-url", "https://e.example/" + LONG)
    assert code == 1
    assert "evidence URL is 10,018 characters long, over the database's limit of 2,000" in _one_line_error(
        err
    )
    code, _, err = cli("status", "1", "needs_review", "--evidence-url", "https://e.example/\x1b[2J")
    assert code == 1 and "evidence URL" in _one_line_error(err)
    code, out, _ = cli("--json", "chain", "1")
    assert json.loads(out)["quote"]["evidence_url"] is None


@pytest.mark.parametrize(
    ("field", "call"),
    [
        ("source name", lambda svc: svc.create_source("person", ESC_NAME)),
        ("source name", lambda svc: svc.create_source("person", BIDI_NAME)),
        ("source name", lambda svc: svc.create_source("person", "n" * 301)),
        ("role", lambda svc: svc.create_source("person", "A", role="r" * 301)),
        ("role", lambda svc: svc.create_source("person", "A", role="minister\x9b2J")),
        ("descriptor", lambda svc: svc.create_source("anonymous", "B", descriptor="an official\u2066")),
        ("nationality", lambda svc: svc.create_source("person", "C", nationality="n" * 101)),
        ("alias", lambda svc: svc.create_source("person", "D", aliases=["D\x1b"])),
        ("alias", lambda svc: svc.create_source("person", "D", aliases=["d" * 301])),
        ("external id", lambda svc: svc.create_source("person", "E", external_ids=[("wikidata", "Q\x00")])),
        ("external id scheme", lambda svc: svc.create_source("person", "E", external_ids=[("s" * 51, "Q1")])),
        ("source name", lambda svc: svc.update_source(svc.sources()[0].id, name="F\u202d")),
    ],
)
def test_source_fields_are_checked_on_every_backend(svc: Service, field: str, call) -> None:
    svc.create_source("person", "Existing")
    before = svc.sources()
    with pytest.raises(ValidationError) as err:
        call(svc)
    assert str(err.value).startswith(field + " "), str(err.value)
    assert "\n" not in str(err.value)
    assert svc.sources() == before


def test_quote_fields_are_checked_on_every_backend(svc: Service) -> None:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    who = svc.create_source("person", "Someone").source
    with pytest.raises(ValidationError, match="^note .* contains a control character"):
        svc.create_quote(art.id, 10, 40, note="fine\x1b[31m red")
    q = svc.create_quote(art.id, 10, 40, note="two\nlines\tare fine").quote
    with pytest.raises(ValidationError, match="^hop 1 relation is 101 characters long"):
        svc.add_hop(q.id, who.id, "r" * 101)
    with pytest.raises(ValidationError, match="^hop 1 relation .* bidi"):
        svc.add_hop(q.id, who.id, "according\u202e to")
    with pytest.raises(ValidationError, match="^archive URL is 2,001 characters long"):
        svc.set_verification(q.id, archive_url="a" * 2001)
    svc.set_speaker(q.id, who.id)
    other = Service(svc.db, user="bo")
    with pytest.raises(ValidationError, match="^comment .* control character"):
        other.approve(q.id, "ok\x07")
    assert svc.quote(q.id).hops == () and svc.reviews(q.id) == []
    with pytest.raises(ValidationError, match="^user name"):
        Service(svc.db, user="bo\u202e")


def test_a_driver_error_inside_an_operation_is_one_line(svc: Service) -> None:
    svc.import_file(SAMPLES / "istanbul-talks.txt")
    # Article text is frozen by a trigger: SQLite raises IntegrityError, PostgreSQL a RaiseException
    # (an InternalError to SQLAlchemy), which used to escape as a raw dump with the SQL.
    with pytest.raises(AnnotatorError) as err:
        with svc.operation("tamper") as op:
            op.session.execute(text("UPDATE article SET text = 'x', text_length = 1"))
    message = str(err.value)
    assert message.startswith("tamper: ") and "frozen" in message
    assert "\n" not in message and "[SQL" not in message and "UPDATE" not in message


def test_names_planted_in_the_database_are_shown_display_safe(cli, db_url) -> None:
    cli("import", str(SAMPLES / "istanbul-talks.txt"))
    assert cli("add-quote", "1", "--text", "limited mandate", "--speaker", "person/Evil Corp",
               "--via", "outlet/CNN:quoted by")[0] == 0  # fmt: skip
    from annotator.db import Database

    db = Database.open(db_url)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE source SET name = :n WHERE name = 'Evil Corp'"), {"n": ESC_NAME})
            conn.execute(text("UPDATE source SET role = :r WHERE name = 'CNN'"), {"r": BIDI_NAME})
    finally:
        db.close()
    for args in (("sources",), ("chain", "1"), ("quotes",)):
        code, out, _ = cli(*args)
        assert code == 0
        assert "\x1b" not in out and "\u202e" not in out
        assert "<U+001B>[2J" in out or args == ("quotes",)
    code, out, _ = cli("sources")
    assert "Innocent<U+202E>gnp.exe" in out


def test_alias_keys_are_checked_too(svc: Service) -> None:
    # NFKC can lengthen a name: U+FDFA is one character whose matching form is eighteen.
    name = "\ufdfa" * 20
    with pytest.raises(ValidationError, match=r"^source name \(matching form\) is 360 characters long"):
        svc.create_source("person", name)
    with pytest.raises(ValidationError, match=r"^alias \(matching form\)"):
        svc.create_source("person", "G", aliases=[name])
    assert validation.column_limit(SourceAlias.alias_key) == SourceAlias.__table__.c.alias_key.type.length

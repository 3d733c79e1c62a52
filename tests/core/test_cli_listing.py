"""The read commands start fast: ``annotator articles``, ``quotes`` and ``sources`` run on the DB-API
(:class:`annotator.listing.Listing`) when the database is an SQLite file at the newest revision, and
print exactly what the service path prints; the command line's entry imports no heavy library."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from seed import SAMPLES, annotate_gold

from annotator import listing
from annotator.cli import main
from annotator.db import Database
from annotator.service import Service

ROOT = Path(__file__).resolve().parents[2]

READS = [
    ("articles",),
    ("articles", "--search", "talks"),
    ("articles", "--search", "EL PA"),
    ("articles", "--search", "bridge"),
    ("quotes", "--article", "3"),
    ("quotes",),
    ("quotes", "--article", "1"),
    (
        "quotes",
        "--article",
        "Russia and Ukraine resume direct talks after three years without concrete progress",
    ),
    ("quotes", "--status", "verified"),
    ("quotes", "--status", "needs-review"),
    ("quotes", "--article", "1", "--status", "unverified"),
    ("sources",),
    ("sources", "--kind", "person"),
    ("sources", "--search", "zel"),
    ("sources", "--search", "a", "--kind", "anonymous"),
]
REFUSED = [
    ("quotes", "--article", "999"),
    ("quotes", "--article", "no such title"),
    ("quotes", "--status", "lost"),
]


def _seed(url: str) -> Service:
    db = Database.open(url)
    svc = Service(db, user="ana")
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    bridge = svc.import_file(SAMPLES / "tavrin-bridge-chain.txt").extra["article"]
    # A second version of the bridge article: the listing shows the newest version only.
    with tempfile.TemporaryDirectory() as folder:
        edited = Path(folder) / "tavrin-bridge-chain.txt"
        edited.write_text((SAMPLES / "tavrin-bridge-chain.txt").read_text(encoding="utf-8") + "\nUpdated.\n")
        svc.import_version(bridge.id, edited)
    ids = annotate_gold(svc, art.id)
    rui = Service(db, user="rui")
    rui.approve(ids[0], "checked")
    svc.set_status(ids[1], "needs_review")
    rui.reject(ids[2], "not a quote")
    party = svc.create_source("organization", "Servant of the People").source
    svc.create_source(
        "person", "Volodimir Zelensky", role="president", affiliation_id=party.id,
        aliases=["Zelenskyy", "Zelensky"], external_ids=[("wikidata", "Q3874799")],
    )  # fmt: skip
    return svc


def _run(url: str, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("args", READS + REFUSED, ids=" ".join)
def test_listing_prints_what_the_service_prints(tmp_path, capsys, monkeypatch, args) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    _seed(url).db.close()
    opened: list[object] = []
    real_open = listing.Listing.open

    def spy(db_url):
        found = real_open(db_url)
        opened.append(found)
        return found

    monkeypatch.setattr(listing.Listing, "open", staticmethod(spy))
    fast = [_run(url, capsys, *args), _run(url, capsys, "--json", *args)]
    assert len(opened) == 2 and all(o is not None for o in opened)  # the DB-API path ran
    monkeypatch.setattr(listing.Listing, "open", staticmethod(lambda db_url: None))
    slow = [_run(url, capsys, *args), _run(url, capsys, "--json", *args)]
    assert fast == slow
    if args in REFUSED:
        assert fast[0][0] == 1 and fast[0][2].startswith("annotator: error: ")
    else:
        assert fast[0][0] == 0 and fast[0][1].strip()


def test_listing_declines_what_it_cannot_serve(tmp_path) -> None:
    missing = tmp_path / "new.sqlite3"
    assert listing.Listing.open(f"sqlite:///{missing}") is None
    assert not missing.exists()  # left to Database.open, which creates it
    assert listing.Listing.open("sqlite:///:memory:") is None
    assert listing.Listing.open("postgresql://nobody@127.0.0.1/none") is None
    # a database whose schema is behind: the usual path upgrades it
    old = tmp_path / "old.sqlite3"
    Database.open(f"sqlite:///{old}").close()
    with Database.open(f"sqlite:///{old}") as db, db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    assert listing.Listing.open(f"sqlite:///{old}") is None
    current = tmp_path / "current.sqlite3"
    Database.open(f"sqlite:///{current}").close()
    found = listing.Listing.open(str(current))  # a plain path, as --db takes it
    assert found is not None
    with found:
        assert found.articles() == []


def test_listing_never_writes(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    _seed(url).db.close()
    found = listing.Listing.open(url)
    assert found is not None
    with found, pytest.raises(Exception, match="readonly|read-only|query_only"):
        found._db.execute("DELETE FROM setting")


def test_read_commands_on_postgresql_take_the_service_path(pg_url, capsys) -> None:
    _seed(pg_url).db.close()
    code, out, _ = _run(pg_url, capsys, "quotes", "--article", "1", "--status", "verified")
    assert code == 0 and len(out.splitlines()) == 3  # header, rule, the one verified quote


def test_the_cli_entry_imports_no_heavy_library() -> None:
    """``import annotator.cli`` and parsing a read command load neither lxml, trafilatura, alembic,
    the suggest engine nor SQLAlchemy's ORM (checked in a fresh interpreter)."""
    code = (
        "import sys\n"
        "import annotator.cli\n"
        "annotator.cli.build_parser().parse_args(['articles'])\n"
        "annotator.cli.build_parser().parse_args(['quotes', '--article', '1'])\n"
        "heavy = ('lxml', 'trafilatura', 'alembic', 'sqlalchemy', 'prov', 'annotator.suggest', "
        "'annotator.model', 'annotator.service')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_read_command_runs_without_sqlalchemy(tmp_path) -> None:
    """The whole of ``annotator articles`` on a current SQLite database, in a fresh interpreter."""
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    _seed(url).db.close()
    code = (
        "import sys\n"
        "from annotator.cli import main\n"
        f"rc = main(['--db', {url!r}, 'articles'])\n"
        "heavy = ('sqlalchemy', 'lxml', 'alembic', 'trafilatura')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "print(bad, file=sys.stderr); sys.exit(rc or (1 if bad else 0))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Russia and Ukraine resume direct talks" in run.stdout

"""Files that cannot be read or written as usual (issue 10, point 9): an SQLite file that cannot be
written opens read-only, a database made by a newer version is refused with that reason, exports
clean up what killed exports left behind and never replace anything but a regular file."""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from seed import SAMPLES
from sqlalchemy import text

from annotator import migrations
from annotator.cli import main
from annotator.db import Database
from annotator.errors import AnnotatorError, DatabaseVersionError, QuoteSetError, ReadOnlyDatabaseError
from annotator.interop.claimreview import export_claimreview
from annotator.interop.dataset import InteropError
from annotator.migrations import HEAD_REVISION
from annotator.quotesets.export import export_set
from annotator.service import Service

# -- SQLite that cannot be written ------------------------------------------------------------


def _made(path: Path) -> None:
    """A database with one article, closed cleanly (no -wal or -shm left)."""
    svc = Service(Database.open(f"sqlite:///{path}"), user="ana")
    svc.import_file(SAMPLES / "istanbul-talks.txt")
    svc.db.close()
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def _check_read_only(path: Path, capsys: pytest.CaptureFixture[str], words: str) -> None:
    header = path.read_bytes()[:100]
    db = Database.open(path)
    try:
        assert db.read_only is not None and words in db.read_only
        svc = Service(db, user="ana")
        assert [a.article.title for a in svc.articles()][0].startswith("Russia and Ukraine")
        assert svc.verify_audit().ok
        with pytest.raises(ReadOnlyDatabaseError, match="is open read-only, nothing can be changed: "):
            svc.create_source("person", "Someone")
        assert svc.sources()[0].name == "El País" and len(svc.sources()) == 1
    finally:
        db.close()
    assert path.read_bytes()[:100] == header  # not switched to anything, not written

    code = main(["--db", str(path), "--user", "ana", "articles"])  # a listing: read-only SQLite anyway
    out, err = capsys.readouterr()
    assert code == 0 and "Russia and Ukraine" in out
    code = main(["--db", str(path), "--user", "ana", "info"])  # through the service, which says so
    out, err = capsys.readouterr()
    assert code == 0
    assert err.startswith("annotator: note: the database is open read-only: ")
    code = main(["--db", str(path), "--user", "ana", "add-source", "person", "Someone"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.splitlines()[-1].startswith(
        f"annotator: error: {path} is open read-only, nothing can be changed"
    )
    assert "[SQL" not in err


@pytest.mark.parametrize("blocked", ["-shm", "-wal"])
def test_sqlite_whose_wal_or_shm_cannot_be_made_opens_read_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], blocked: str
) -> None:
    path = tmp_path / "copied.sqlite3"
    _made(path)
    # What a copy onto a full disk or into a folder that refuses new files looks like to SQLite:
    # the file is there, its -wal/-shm cannot be created. (A folder in the way works as root too.)
    Path(f"{path}{blocked}").mkdir()
    _check_read_only(path, capsys, "SQLite cannot make or write its -wal and -shm files")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files and folders anyway")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_sqlite_file_or_folder_opens_read_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    path = folder / "archive.sqlite3"
    _made(path)
    target = path if what == "file" else folder
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        _check_read_only(path, capsys, "read-only")
    finally:
        target.chmod(0o755)


def test_a_read_only_database_that_needs_upgrading_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _made(path)
    db = Database.open(path)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.close()
    Path(f"{path}-shm").mkdir()
    with pytest.raises(
        ReadOnlyDatabaseError, match=f"its schema needs upgrading from 0001 to {HEAD_REVISION}"
    ):
        Database.open(path)


# -- a database from a newer version -----------------------------------------------------------


def test_a_database_of_a_newer_version_is_refused_with_that_reason(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Database.open(db_url).close()
    db = Database.open(db_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    db.close()
    known = migrations.known_revisions()
    assert known[-1] == migrations.HEAD_REVISION and known[0] == "0001"
    with pytest.raises(DatabaseVersionError) as err:
        Database.open(db_url)
    assert str(err.value).endswith(
        f"made by a newer version of Quote Annotator (revision 0007); this version knows up to {known[-1]}"
    )
    assert "Can't locate revision" not in str(err.value)
    code = main(["--db", db_url, "--user", "ana", "articles"])
    _, err_text = capsys.readouterr()
    assert code == 1 and err_text.count("\n") == 1
    assert "made by a newer version of Quote Annotator (revision 0007)" in err_text


# -- exports: stale temporary files, targets that are not regular files -----------------------


@pytest.fixture
def svc_with_quote(sqlite_svc: Service) -> Service:
    art = sqlite_svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    who = sqlite_svc.create_source("person", "Someone").source
    q = sqlite_svc.create_quote(art.id, 10, 40, speaker_id=who.id).quote
    sqlite_svc.set_status(q.id, "disputed")
    return sqlite_svc


Export = Callable[[Service, Path], object]
EXPORTS: dict[str, Export] = {
    "xml": lambda svc, path: export_set(svc, path, status="all"),
    "csv": lambda svc, path: export_set(svc, path, fmt="csv", status="all"),
    "claimreview": lambda svc, path: export_claimreview(svc, path),
}


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_removes_what_killed_exports_left_behind(
    svc_with_quote: Service, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"desk.{kind}"
    stale = [out / f".{target.name}.k1ll3d_0.tmp"]
    if kind == "xml":
        stale.append(out / f".{target.name}.sha256.k1ll3d_1.tmp")
    for p in stale:
        p.write_bytes(b"x" * 100_000)  # a killed run's partial file
    live = out / f".{target.name}.running.tmp"  # another export still writing: it holds the lock
    live.write_bytes(b"partial")
    other = out / f".elsewhere.{kind}.k1ll3d_2.tmp"  # another target's file
    other.write_bytes(b"not ours")
    mine = out / f".{target.name}.notes.txt"  # a name an export never makes
    mine.write_bytes(b"the user's")
    holder = os.open(live, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        EXPORTS[kind](svc_with_quote, target)
    finally:
        os.close(holder)
    assert [p for p in stale if p.exists()] == []
    assert live.exists() and other.exists() and mine.exists()
    assert target.is_file() and target.stat().st_size > 0
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp")) == sorted([live.name, other.name])


def _non_regular(path: Path, kind: str) -> None:
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        (path.parent / "real.txt").write_text("keep me")
        path.symlink_to(path.parent / "real.txt")
    elif kind == "device":
        try:
            os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:
            pytest.skip("making a device node needs root")


NODE_WORDS = {
    "directory": "is a directory",
    "fifo": "is a FIFO (named pipe)",
    "symlink": "is a symbolic link",
    "device": "is a character device",
}


@pytest.mark.parametrize("node", NODE_WORDS)
@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_never_replaces_anything_but_a_regular_file(
    svc_with_quote: Service, tmp_path: Path, kind: str, node: str
) -> None:
    target = tmp_path / f"desk.{kind}"
    _non_regular(target, node)
    before = os.lstat(target)
    with pytest.raises(AnnotatorError) as err:
        EXPORTS[kind](svc_with_quote, target)
    assert isinstance(err.value, QuoteSetError | InteropError)
    assert NODE_WORDS[node] in str(err.value) and "not a regular file" in str(err.value)
    after = os.lstat(target)
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_export_still_replaces_a_regular_file(svc_with_quote: Service, tmp_path: Path) -> None:
    target = tmp_path / "desk.xml"
    target.write_text("an older export")
    export_set(svc_with_quote, target, status="all")
    assert target.read_bytes().startswith(b"<?xml")

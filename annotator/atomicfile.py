"""Files written beside their target and renamed into place (exports).

Every export writes its temporary files with :class:`Staging`, which

* refuses a target that exists and is not a regular file (a directory, a device node, a FIFO, a
  socket or a symbolic link): renaming over it would replace it (:class:`NotRegularFileError`);
* removes, before it starts, the temporary files that earlier exports to the same target left
  behind when they were killed (``.NAME.XXXXXXXX.tmp``, as :func:`tempfile.mkstemp` names them);
* holds a lock on each temporary file it makes while the export runs, so that another export's
  clean-up never takes a file still being written (a killed export's lock goes with its process:
  that is how a stale file is told from a live one), and removes them on the way out unless they
  were renamed into place.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # Windows: stale files are told by their age instead
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

STALE_AGE_WITHOUT_LOCKS = 24 * 3600
"""Where files cannot be locked (Windows), a temporary file older than this is taken as stale."""


def copy_mode(existing: Path, new: Path) -> None:
    """Give ``new`` the permissions of the file it replaces (0644 for a new file, not mkstemp's 0600)."""
    try:
        mode = existing.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    os.chmod(new, mode)


class NotRegularFileError(OSError):
    """An export target that exists and is not a regular file."""


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def check_target(path: Path) -> None:
    """Raise :class:`NotRegularFileError` when ``path`` exists and is not a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise NotRegularFileError(
        errno.EEXIST, f"{path.name} is {kind}, not a regular file: an export only replaces files", str(path)
    )


def _temp_pattern(target: Path) -> re.Pattern[str]:
    # mkstemp's names: prefix, eight characters of [a-z0-9_], suffix.
    return re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.tmp")


def _lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when another process holds one."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _is_stale(path: Path) -> bool:
    """Whether a temporary file (or staging folder) was left by an export that is no longer running."""
    lock_path = path / ".lock" if path.is_dir() else path
    if fcntl is None:
        return time.time() - os.lstat(path).st_mtime > STALE_AGE_WITHOUT_LOCKS
    try:
        fd = os.open(lock_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return path.is_dir()  # a staging folder killed before its lock file was made
    except OSError:
        return False
    try:
        return _lock(fd)
    finally:
        os.close(fd)


def remove_stale(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Remove the entries of ``folder`` whose names match ``pattern`` and that no running export
    holds; return them."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        path = Path(entry.path)
        try:
            if entry.is_symlink() or not (entry.is_file() or entry.is_dir()) or not _is_stale(path):
                continue
            if entry.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        log.info("removed %s, left behind by an export that did not finish", path)
        removed.append(path)
    return removed


class Staging:
    """The temporary files of one export to ``targets`` (the file and, say, its checksum sidecar);
    see the module docstring. Use as a context manager::

        with Staging(path, sidecar) as staging:
            fd, tmp = staging.new(path)
            ...
            os.replace(tmp, path)
    """

    def __init__(self, *targets: Path) -> None:
        self.targets = [Path(t) for t in targets]
        self._locks: list[int] = []
        self._made: list[Path] = []

    def __enter__(self) -> Staging:
        for target in self.targets:
            check_target(target)
        for target in self.targets:
            remove_stale(target.parent, _temp_pattern(target))
        return self

    def new(self, target: Path) -> tuple[int, Path]:
        """A new temporary file beside ``target``, open for writing (the caller closes the fd)."""
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        tmp = Path(name)
        self._made.append(tmp)
        self._hold(tmp)
        return fd, tmp

    def folder(self, parent: Path, prefix: str) -> Path:
        """A new temporary folder in ``parent`` (``PREFIX`` + eight random characters), locked
        through a ``.lock`` file inside it. Stale ones of the same prefix are removed first."""
        remove_stale(parent, re.compile(rf"{re.escape(prefix)}[a-z0-9_]{{8}}"))
        path = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
        self._made.append(path)
        lock = path / ".lock"
        lock.touch()
        self._hold(lock)
        return path

    def _hold(self, path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        self._locks.append(fd)
        _lock(fd)

    def __exit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        for path in self._made:
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink(missing_ok=True)
        for fd in self._locks:
            with contextlib.suppress(OSError):
                os.close(fd)

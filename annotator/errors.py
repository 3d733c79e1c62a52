"""Typed, readable errors raised by the core.

Every error raised to a caller of the service API derives from :class:`AnnotatorError`, so the CLI
and the GUI can show ``str(error)`` as a one-line message. A failed operation never changes the
database (the service runs each operation in one transaction).
"""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """Base class of every error the core reports to a user."""


class NotFoundError(AnnotatorError):
    """An article, quote or source id that does not exist."""

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"no {kind} with id {ident!s}")
        self.kind = kind
        self.ident = ident


class ValidationError(AnnotatorError):
    """An operation whose arguments break a rule of the model (offsets, chains, descriptors)."""


class OffsetError(ValidationError):
    """A span that does not fit the article's canonical text."""


class ChainError(ValidationError):
    """An attribution chain that would break a chain rule (duplicate source, bad position)."""


class AmbiguousSourceError(AnnotatorError):
    """A source name that matches several sources in the registry."""


class ConflictError(AnnotatorError):
    """Incoming data that disagrees with what the database holds (e.g. a quote set import)."""


class ArticleImportError(AnnotatorError):
    """A file that cannot be imported as an article. The message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class QuoteSetError(AnnotatorError):
    """An XML quote set that is refused (hostile, invalid or inconsistent).

    The message names the file, the line when known, and the reason.
    """

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.line = line


class DatabaseError(AnnotatorError):
    """The database server or file refused or failed a statement. ``detail`` is the driver's own
    one-line reason; the SQL and its parameters are never part of the message."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class ReadOnlyDatabaseError(DatabaseError):
    """A change asked of a database that is open read-only (read-only file, folder or medium)."""


class DatabaseVersionError(DatabaseError):
    """A database whose schema this version of the tool does not know (made by a newer version)."""


def database_message(exc: BaseException) -> str:
    """The first line of a database driver's error, without SQLAlchemy's ``[SQL: …]`` and
    ``[parameters: …]`` dump or its background link: what a user is shown of a driver error."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    text = text.split("[SQL:", 1)[0].split("(Background on this error", 1)[0].strip()
    lines = text.splitlines()
    return lines[0].strip() if lines else type(exc).__name__


class FetchError(AnnotatorError):
    """A URL whose page cannot be fetched or is not an article. The message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason

"""Where things live: user data (the default database and the database URL to use), logs, and the data
shipped with the package.

``schemas/`` and ``sample_articles/`` sit at the repository root in a source checkout; a wheel
carries them as ``annotator/_data/...``. Both are resolved here and nowhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quote-annotator"
ENV_VAR = "QUOTE_ANNOTATOR_DB"
"""The environment variable naming the database (a URL or an SQLite file)."""


def user_data_dir() -> Path:
    import platformdirs  # on demand: a command on a named database never needs it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return user_data_dir() / "annotations.sqlite3"


def default_url() -> str:
    """The embedded SQLite file in the platform's user data directory."""
    return f"sqlite:///{default_database_path()}"


def resolve_url(url: str | os.PathLike[str] | None = None) -> str:
    """The database URL to use: ``url`` if given, else ``$QUOTE_ANNOTATOR_DB``, else the default.

    A plain file path is taken as an SQLite file; ``postgresql://`` URLs use the psycopg 3 driver.
    """
    raw = os.fspath(url) if url is not None else os.environ.get(ENV_VAR) or default_url()
    if "://" not in raw:
        raw = f"sqlite:///{Path(raw).expanduser().resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _shipped(name: str) -> Path:
    packaged = Path(__file__).resolve().parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def schemas_dir() -> Path:
    """The directory holding the XSD schemas."""
    return _shipped("schemas")


def sample_articles_dir() -> Path:
    """The directory holding the sample articles imported on first run."""
    return _shipped("sample_articles")

"""Where things live: user data (the default database), logs, and the data shipped with the package.

``schemas/`` and ``sample_articles/`` sit at the repository root in a source checkout; a wheel
carries them as ``annotator/_data/...``. Both are resolved here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "quote-annotator"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return user_data_dir() / "annotations.sqlite3"


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

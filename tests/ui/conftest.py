"""Shared fixtures of the GUI tests: settings and user data kept in a temporary directory, and a
real SQLite database with the sample articles imported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.db import Database
from annotator.service import Service

SAMPLES = Path(__file__).resolve().parents[2] / "sample_articles"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch) -> Iterator[Path]:
    """Keep QSettings, logs and the default database out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("QUOTE_ANNOTATOR_DB", raising=False)
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(home / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "settings"))
    yield home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "annotations.sqlite3"


@pytest.fixture
def service(db_path) -> Iterator[Service]:
    """A service on a fresh SQLite file holding every sample article (ids in file-name order)."""
    db = Database.open(f"sqlite:///{db_path}")
    svc = Service(db, user="ana")
    report = svc.import_paths([SAMPLES])
    assert not report.failed, report.failed
    yield svc
    db.close()


@pytest.fixture
def istanbul_id(service: Service) -> int:
    return next(a.article.id for a in service.articles() if a.article.filename == "istanbul-talks.txt")


@pytest.fixture
def editor(service: Service, qtbot):
    from ui.commands import Editor

    return Editor(service)


@pytest.fixture
def no_modal_boxes(monkeypatch) -> None:
    """A modal message box would block the test run: fail loudly instead.

    Opt in per module with ``pytestmark = pytest.mark.usefixtures("no_modal_boxes")``."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args, **kwargs):
        raise AssertionError(f"a modal QMessageBox was opened: {args[1:3]}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)


# The main-window fixtures live beside their helpers in app_support.py; exported here so that
# every GUI test module gets them without importing fixtures by hand.
from app_support import db_url, make_window, window  # noqa: E402, F401

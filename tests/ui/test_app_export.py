"""File > Export verified quotes…: the dialog's choices reach ``annotator.quotesets.export.export_set``."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import datetime
import sys
import types

import pytest
from app_support import press, show_article_named
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from seed import annotate_gold

from annotator.errors import ValidationError
from annotator.service import Service
from ui.export_dialog import ExportDialog


class _Result:
    def __init__(self, path, quotes):
        self.path, self.quotes = path, quotes


@pytest.fixture
def fake_exchange(monkeypatch):
    """Stands in for the export module, recording the calls (the real one is tested below)."""
    calls = []
    module = types.ModuleType("annotator.quotesets.export")

    def export_set(service, path, *, fmt="xml", status="verified", article_ids=None, since=None, cancel=None):
        calls.append(dict(path=path, fmt=fmt, status=status, article_ids=article_ids, since=since))
        if fmt == "csv" and status == "all" and since is None:
            raise ValidationError("nothing to export with these choices")
        path.write_text("exported", encoding="utf-8")
        return _Result(path, 7)

    module.export_set = export_set
    monkeypatch.setitem(sys.modules, "annotator.quotesets.export", module)
    monkeypatch.setattr("annotator.quotesets.export", module, raising=False)
    return calls


def _open(window, qtbot) -> ExportDialog:
    window.activateWindow()  # back from the previous dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    press(qtbot, window.reader.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.export_dialog is not None and window.export_dialog.isVisible())
    return window.export_dialog


def test_export_dialog_passes_the_choices_on(window, fake_exchange, tmp_path, qtbot) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    dialog = _open(window, qtbot)
    assert dialog.options() == {"fmt": "xml", "status": "verified", "article_ids": None, "since": None}
    assert dialog.path().suffix == ".xml"
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    assert dialog.path().suffix == ".csv"
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("all"))
    dialog.current_article.setChecked(True)
    # a refused export is shown in the dialog, which stays open
    dialog.path_edit.setText(str(tmp_path / "out.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_exporting())  # the export runs in a worker thread
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text() == "nothing to export with these choices"
    dialog.since_check.setChecked(True)
    dialog.since_edit.setDate(QDate(2025, 5, 1))
    with qtbot.waitSignal(dialog.exported):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert fake_exchange[-1] == {
        "path": tmp_path / "out.csv",
        "fmt": "csv",
        "status": "all",
        "article_ids": [aid],
        "since": datetime.date(2025, 5, 1),
    }
    assert (tmp_path / "out.csv").read_text() == "exported"
    assert "Exported 7 quotes" in window.statusBar().currentMessage()
    assert window.settings.export_directory == str(tmp_path)


def test_export_verified_quotes_to_xml_and_csv(window, tmp_path, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(svc, aid)
    ben = Service(svc.db, user="ben")
    for qid in ids[:3]:
        ben.approve(qid)
    for fmt in ("xml", "csv"):
        dialog = _open(window, qtbot)
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
        dialog.path_edit.setText(str(tmp_path / f"verified.{fmt}"))
        with qtbot.waitSignal(dialog.exported) as blocker:
            qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        result = blocker.args[0]
        assert result.quotes == 3
        assert (tmp_path / f"verified.{fmt}").stat().st_size > 0
        qtbot.waitUntil(lambda: window.export_dialog is None)

"""File > Export runs in a worker thread, with progress and Cancel: the real export, the real window."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import csv
import threading

import pytest
from app_support import press, show_article_named
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QPushButton
from seed import annotate_gold

from annotator.quotesets.xmlformat import read_quoteset, sidecar_path
from ui.export_dialog import ExportDialog


def _open(window, qtbot) -> ExportDialog:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    press(qtbot, window.reader.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.export_dialog is not None and window.export_dialog.isVisible())
    return window.export_dialog


def _choose(dialog: ExportDialog, fmt: str, path) -> None:
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("all"))
    dialog.path_edit.setText(str(path))


@pytest.mark.parametrize("fmt", ["xml", "csv"])
def test_export_runs_in_a_worker_and_reports_progress(window, tmp_path, qtbot, fmt) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(window.service, aid)
    dialog = _open(window, qtbot)
    path = tmp_path / f"all.{fmt}"
    _choose(dialog, fmt, path)
    progress: list[int] = []
    threads: list[object] = []

    def on_started(controller) -> None:
        def on_progress(items: int) -> None:  # runs where it is emitted: in the worker thread
            threads.append(QThread.currentThread())
            progress.append(items)

        controller.worker.progressed.connect(on_progress, Qt.ConnectionType.DirectConnection)

    dialog.export_started.connect(on_started)
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert progress and progress[0] == 1 and progress == sorted(progress)
    assert threads and all(t is not QApplication.instance().thread() for t in threads)
    assert result.quotes == len(ids) and result.path == path
    if fmt == "xml":
        qs = read_quoteset(path)  # parsed and validated against the schema
        assert len(qs.quotes) == len(ids)
        assert sidecar_path(path).read_text(encoding="utf-8").split()[0] == result.sha256
    else:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert len(rows) == 1 + len(ids)
    qtbot.waitUntil(lambda: window.export_dialog is None)
    assert f"Exported {len(ids)} quotes" in window.statusBar().currentMessage()
    assert window.settings.export_directory == str(tmp_path)


@pytest.mark.parametrize("fmt", ["xml", "csv"])
def test_cancel_stops_the_export_and_leaves_no_file(window, tmp_path, qtbot, fmt) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    annotate_gold(window.service, aid)
    dialog = _open(window, qtbot)
    path = tmp_path / "out" / f"cancelled.{fmt}"
    path.parent.mkdir()
    _choose(dialog, fmt, path)
    reached, go_on = threading.Event(), threading.Event()

    def on_started(controller) -> None:
        def hold(items: int) -> None:  # the worker waits at its first item until Cancel is pressed
            reached.set()
            go_on.wait(20)

        controller.worker.progressed.connect(hold, Qt.ConnectionType.DirectConnection)

    dialog.export_started.connect(on_started)
    exported: list[object] = []
    dialog.exported.connect(exported.append)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    try:
        qtbot.waitUntil(reached.is_set, timeout=10_000)
        assert dialog.is_exporting() and not dialog.export_button.isEnabled()
        progress = dialog.controller.progress
        qtbot.waitUntil(progress.isVisible, timeout=5_000)  # shown once the export takes a while
        cancel = progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    finally:
        go_on.set()
    qtbot.waitUntil(lambda: not dialog.is_exporting(), timeout=10_000)
    assert dialog.message.text() == "Export cancelled: nothing was written."
    assert dialog.isVisible() and dialog.export_button.isEnabled() and not exported
    assert list(path.parent.iterdir()) == []  # no file, no sidecar, no temporary file

"""File > Export… in the interchange formats: W3C PROV and brat (to a folder chosen with a folder chooser),
through the export worker, in the real window."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import threading
from pathlib import Path

from app_support import press, show_article_named
from prov.model import ProvDocument
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton
from seed import annotate_gold

from ui.export_dialog import ExportDialog


def _open(window, qtbot) -> ExportDialog:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    press(qtbot, window.reader.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.export_dialog is not None and window.export_dialog.isVisible())
    return window.export_dialog


def _pick_format(qtbot, dialog: ExportDialog, fmt: str) -> None:
    """Choose ``fmt`` in the format box with the keyboard, as a user would."""
    combo = dialog.format_combo
    combo.setFocus()
    target = combo.findData(fmt)
    assert target != -1
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_prov_export_through_the_dialog_in_a_worker(window, tmp_path, qtbot) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(window.service, aid)
    dialog = _open(window, qtbot)
    dialog.since_check.setChecked(True)
    _pick_format(qtbot, dialog, "prov-xml")
    assert dialog.path().suffix == ".provx" and dialog.path_label.text() == "File"
    # PROV cannot select by date: the date row is off, and no date is passed on
    assert not dialog.since_check.isEnabled() and not dialog.since_edit.isEnabled()
    assert dialog.options() == {"fmt": "prov-xml", "status": "verified", "article_ids": None}
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("all"))
    dialog.current_article.setChecked(True)
    path = tmp_path / "chains.provx"
    dialog.path_edit.setText(str(path))
    threads: list[object] = []

    def on_started(controller) -> None:
        def on_progress(items: int) -> None:  # runs where it is emitted: in the worker thread
            threads.append(QThread.currentThread())

        controller.worker.progressed.connect(on_progress, Qt.ConnectionType.DirectConnection)

    dialog.export_started.connect(on_started)
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert threads and all(t is not QApplication.instance().thread() for t in threads)
    assert result.format == "prov-xml" and result.quotes == len(ids) and result.path == path
    doc = ProvDocument.deserialize(content=path.read_text(encoding="utf-8"), format="xml")
    quote_uids = {window.service.quote(i).uid for i in ids}
    entities = {str(r.identifier) for r in doc.get_records() if r.get_type().localpart == "Entity"}
    assert {f"qa:quote-{uid}" for uid in quote_uids} <= entities
    qtbot.waitUntil(lambda: window.export_dialog is None)
    assert f"Exported {len(ids)} quotes to {path}" in window.statusBar().currentMessage()

    # choosing xml again brings the date row back
    dialog = _open(window, qtbot)
    _pick_format(qtbot, dialog, "prov-json")
    _pick_format(qtbot, dialog, "xml")
    assert dialog.since_check.isEnabled() and "since" in dialog.options()
    dialog.reject()


def test_brat_export_to_a_folder_chosen_with_the_folder_chooser(window, tmp_path, qtbot, monkeypatch) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(window.service, aid)
    dialog = _open(window, qtbot)
    _pick_format(qtbot, dialog, "brat")
    assert dialog.path_label.text() == "Folder" and dialog.path().suffix == ""
    folder = tmp_path / "corpus"
    asked: list[str] = []

    def choose_folder(parent, caption, start) -> str:
        asked.append(caption)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose_folder))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("/wrong/chooser", "")))
    browse = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Browse…")
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert asked and dialog.path() == folder
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("all"))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.format == "brat" and result.path == folder and result.quotes == len(ids)
    names = {p.name for p in folder.iterdir()}
    assert {
        "annotation.conf",
        "visual.conf",
        "articles.json",
        "istanbul-talks.txt",
        "istanbul-talks.ann",
    } <= names
    assert (folder / "istanbul-talks.txt").read_text(encoding="utf-8") == window.service.article_text(aid)
    ann = (folder / "istanbul-talks.ann").read_text(encoding="utf-8")
    assert ann.count("\tQuote ") == len(ids)
    qtbot.waitUntil(lambda: window.export_dialog is None)
    assert window.settings.export_directory == str(tmp_path)


def test_cancelling_a_brat_export_writes_nothing(window, tmp_path, qtbot) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    annotate_gold(window.service, aid)
    dialog = _open(window, qtbot)
    _pick_format(qtbot, dialog, "brat")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("all"))
    folder = tmp_path / "corpus"
    dialog.path_edit.setText(str(folder))
    reached, go_on = threading.Event(), threading.Event()

    def on_started(controller) -> None:
        def hold(items: int) -> None:  # the worker waits at its first article until Cancel is pressed
            reached.set()
            go_on.wait(20)

        controller.worker.progressed.connect(hold, Qt.ConnectionType.DirectConnection)

    dialog.export_started.connect(on_started)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    try:
        qtbot.waitUntil(reached.is_set, timeout=10_000)
        progress = dialog.controller.progress
        qtbot.waitUntil(progress.isVisible, timeout=5_000)
        cancel = progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    finally:
        go_on.set()
    qtbot.waitUntil(lambda: not dialog.is_exporting(), timeout=10_000)
    assert dialog.message.text() == "Export cancelled: nothing was written."
    assert not Path(folder).exists()

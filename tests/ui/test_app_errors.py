"""Errors: an exception anywhere is logged and shown, and leaves the database as it was; a refused
action is a calm warning; untrusted text is always shown as plain text."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import threading

import pytest
from app_support import drag_select, press, show_article_named, top_level
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from seed import load_gold

from annotator.errors import ValidationError
from ui.errors import log_file_path, remove_file_logging, setup_file_logging

GOLD = load_gold()["quotes"]


@pytest.fixture
def hooks(window, isolated_user_dirs):
    """The app's exception hooks and log file, as ``ui.app.main`` installs them."""
    handler = setup_file_logging()
    window.reporter.install()
    yield log_file_path()
    window.reporter.uninstall()
    remove_file_logging(handler)


def _error_boxes():
    return top_level(QMessageBox, lambda w: w.windowTitle() == "Unexpected error")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_shown_logged_and_changes_nothing(
    window, hooks, qtbot, monkeypatch
) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    head = svc.audit_head()

    def broken(*args, **kwargs):
        raise RuntimeError("audit append exploded <b>here</b>")

    # Deep inside the operation: the quote row is already flushed to the database, not committed.
    monkeypatch.setattr("annotator.audit.append", broken)
    view = window.reader.view
    g = GOLD[3]
    drag_select(qtbot, view, g["start"], g["end"])
    press(qtbot, view, Qt.Key.Key_Q)

    qtbot.waitUntil(lambda: len(_error_boxes()) == 1)
    [box] = _error_boxes()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "RuntimeError: audit append exploded <b>here</b>" in box.text()
    assert "Traceback" in box.detailedText() and "create_quote" in box.detailedText()
    assert str(hooks) in box.informativeText()
    # the database is as it was: no quote, no audit entry, nothing to undo
    assert svc.quotes(aid) == [] and svc.audit_head() == head
    assert window.editor.undo_stack.count() == 0
    assert window.reader.view.quote_spans(1) == []
    # the log file has the traceback
    logged = hooks.read_text(encoding="utf-8")
    assert "Traceback" in logged and "audit append exploded" in logged
    box.done(QMessageBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: not _error_boxes())
    # and the app goes on working
    monkeypatch.undo()
    drag_select(qtbot, view, g["start"], g["end"])
    press(qtbot, view, Qt.Key.Key_Q)
    assert len(svc.quotes(aid)) == 1


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_another_thread_reaches_the_dialog(window, hooks, qtbot) -> None:
    def work():
        raise ValueError("worker thread failed")

    t = threading.Thread(target=work, name="worker")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(_error_boxes()) == 1)
    [box] = _error_boxes()
    assert "ValueError: worker thread failed" in box.text()
    # a second error while the dialog is open reuses it
    t = threading.Thread(target=work)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: "2 errors" in box.text())
    assert len(_error_boxes()) == 1
    assert "worker thread failed" in hooks.read_text(encoding="utf-8")
    box.close()


@pytest.mark.qt_no_exception_capture
def test_an_import_that_crashes_in_its_thread_is_reported(
    window, hooks, qtbot, monkeypatch, samples_dir
) -> None:
    def broken(self, paths, **kw):
        raise RuntimeError("import machinery broke")

    monkeypatch.setattr("annotator.service.Service.import_paths", broken)
    before = window.service.articles()
    window.import_paths([samples_dir])
    qtbot.waitUntil(lambda: len(_error_boxes()) == 1, timeout=10_000)
    assert "import machinery broke" in _error_boxes()[0].text()
    qtbot.waitUntil(lambda: window.reporter.warning_box is not None)  # and the import's own calm line
    assert "The import could not run" in window.reporter.warning_box.text()
    assert window.service.articles() == before
    _error_boxes()[0].close()
    window.reporter.warning_box.close()


def test_a_typed_error_reaching_the_hook_is_a_calm_warning(window, hooks, qtbot) -> None:
    try:
        raise ValidationError("hop 2 (CNN) needs a relation, e.g. 'according to'")
    except ValidationError as exc:
        window.reporter.report_exception(type(exc), exc, exc.__traceback__)
    assert not _error_boxes()
    box = window.reporter.warning_box
    assert box is not None and box.isVisible() and box.windowTitle() == "Not done"
    assert box.text() == "hop 2 (CNN) needs a relation, e.g. 'according to'"
    assert box.textFormat() == Qt.TextFormat.PlainText and box.detailedText() == ""
    box.close()


def test_article_and_source_text_are_plain_text(make_window, db_url, tmp_path, qtbot) -> None:
    path = tmp_path / "html-title.txt"
    path.write_text(
        "Title: <b>Bold</b> & <i>claims</i>\nOutlet: <a href='x'>Evil</a>\n---\n"
        "He said “<img src=x> is fine” today.\n",
        encoding="utf-8",
    )
    w = make_window(db_url)
    with qtbot.waitSignal(w.import_finished, timeout=20_000):
        w.import_paths([path])
    aid = w.current_article_id()
    text = w.reader.view.text()
    s = text.index("<img")
    qid = w.editor.create_quote(aid, s, s + len("<img src=x> is fine")).quote.id
    w.select_quote(qid)
    from ui.library import ArticleTableModel

    lib = w.library.model
    row = lib.row_of(aid)
    assert lib.data(lib.index(row, ArticleTableModel.TITLE)) == "<b>Bold</b> & <i>claims</i>"
    tip = lib.data(lib.index(row, ArticleTableModel.TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;" in tip and "<b>" not in tip
    assert "<b>Bold</b> & <i>claims</i>" in w.windowTitle()
    qm = w.quotes_panel.model
    row = qm.row_of(qid)
    cols = qm.columns
    assert qm.data(qm.index(row, cols.index("text"))) == "<img src=x> is fine"
    assert "&lt;img" in qm.data(qm.index(row, cols.index("text")), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;a href=" in qm.data(qm.index(row, cols.index("chain")), Qt.ItemDataRole.ToolTipRole)
    for label in (w.db_label, w.user_label, w.counts_label):
        assert label.textFormat() == Qt.TextFormat.PlainText

"""Importing articles from the window: a worker thread with progress, cancel and the refused files;
drag and drop; and the first run (samples imported, the user's name asked once)."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import time
from pathlib import Path

import pytest
from app_support import SAMPLES, top_level
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QPushButton

from ui.import_worker import RefusedFilesDialog


def _write_articles(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"article-{i:02d}.txt"
        p.write_text(
            f"Title: Article {i}\nOutlet: Test Post\n---\nThe mayor said “number {i}” today.\n",
            encoding="utf-8",
        )
        paths.append(p)
    return paths


def test_import_reports_progress_and_lists_refused_files(window, tmp_path, qtbot) -> None:
    folder = tmp_path / "batch"
    good = _write_articles(folder, 3)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    before = len(window.service.articles())
    progress: list[tuple[int, int, str]] = []
    controller = window.import_paths([folder, tmp_path / "missing.txt"])
    controller.worker.progressed.connect(lambda d, t, name: progress.append((d, t, name)))
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as blocker:
        pass
    report = blocker.args[0]
    assert sorted(p.name for p, _ in report.imported) == [p.name for p in good]
    refused = {p.name: reason for p, reason in report.failed}
    assert "missing.txt" in refused and "empty.txt" in refused
    assert progress and progress[-1][0] == progress[-1][1]  # the last report is "all done"
    assert controller.progress.maximum() == progress[-1][1]
    # the refused files, with their reasons, in a plain-text list that can be copied
    qtbot.waitUntil(lambda: bool(top_level(RefusedFilesDialog)))
    [dialog] = top_level(RefusedFilesDialog)
    listing = dialog.text.toPlainText()
    for name, reason in refused.items():
        assert name in listing and reason in listing
    assert dialog.text.isReadOnly()
    dialog.close()
    # the library has the new articles; the status bar says what happened
    assert window.library.model.rowCount() == before + 3
    assert "Imported 3 articles" in window.statusBar().currentMessage()
    assert not controller.is_running()


def test_import_can_be_cancelled_from_the_progress_dialog(window, tmp_path, qtbot, monkeypatch) -> None:
    import annotator.importing as importing

    slow_read = importing.read_article

    def read_article(path, *a, **kw):
        time.sleep(0.15)  # a slow disk: the dialog has time to show
        return slow_read(path, *a, **kw)

    monkeypatch.setattr(importing, "read_article", read_article)
    paths = _write_articles(tmp_path / "many", 30)
    controller = window.import_paths(paths)
    qtbot.waitUntil(lambda: controller.progress.isVisible(), timeout=10_000)
    assert "Importing article-" in controller.progress.labelText()
    cancel = next(b for b in controller.progress.findChildren(QPushButton) if b.text() == "Cancel")
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report.cancelled
    assert 0 < len(report.imported) < 30
    assert "cancelled" in window.statusBar().currentMessage()
    titles = {s.article.title for s in window.service.articles()}
    assert {f"Article {i}" for i in range(len(report.imported))} <= titles  # those stay imported


def test_dropping_files_and_folders_on_the_window_imports_them(window, tmp_path, qtbot) -> None:
    a = _write_articles(tmp_path / "one", 1)[0]
    folder = tmp_path / "two"
    _write_articles(folder, 2)
    (folder / "article-00.txt").write_text("Title: Another\n---\nA different text.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(a)), QUrl.fromLocalFile(str(folder))])
    pos = window.reader.view.viewport().mapTo(window, QPoint(50, 50))
    enter = QDragEnterEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as blocker:
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert len(blocker.args[0].imported) == 3
    # plain text is not a file: refused at the door
    text_only = QMimeData()
    text_only.setText("just some text")
    enter = QDragEnterEvent(
        pos, Qt.DropAction.CopyAction, text_only, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()
    # the reader itself does not swallow drops (they reach the window)
    assert not window.reader.view.viewport().acceptDrops() and window.acceptDrops()


def test_first_run_imports_the_samples_and_asks_the_name_once(
    make_window, tmp_path, qtbot, monkeypatch
) -> None:
    asked: list[str] = []

    def get_text(parent, title, label, echo=None, text=""):
        asked.append(text)
        return "Ana Lyse", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setenv("QUOTE_ANNOTATOR_USER", "alyse")
    url = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    w = make_window()
    with qtbot.waitSignal(w.import_finished, timeout=30_000):
        assert w.start(url)
    assert asked == ["alyse"]  # prefilled with the login name
    assert w.settings.user_name == "Ana Lyse" and w.service.user == "Ana Lyse"
    samples = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html"))
    assert sorted(s.article.filename for s in w.service.articles()) == samples
    assert {s.article.imported_by for s in w.service.articles()} == {"Ana Lyse"}
    assert w.current_article_id() is not None  # something to read at once
    assert "Ana Lyse" in w.user_label.text()
    w.close()

    # second run: neither asked again nor imported again
    def must_not_ask(*a, **kw):
        raise AssertionError("the name was asked twice")

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(must_not_ask))
    w2 = make_window()
    assert w2.start(url)
    qtbot.wait(200)
    assert len(w2.service.articles()) == len(samples) and w2.service.user == "Ana Lyse"
    assert w2._import is None


def test_a_cancelled_name_dialog_falls_back_to_the_login_name(make_window, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setenv("QUOTE_ANNOTATOR_USER", "fallback-name")
    w = make_window()
    assert w.ask_user_name() == "fallback-name" and w.settings.user_name == "fallback-name"


@pytest.mark.parametrize("content", [b"\x00\x01 not sqlite at all \xff" * 200])
def test_a_file_that_is_not_a_database_is_refused_calmly(make_window, tmp_path, qtbot, content) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    w = make_window()
    assert not w.open_database(str(bad), user="ana")
    qtbot.waitUntil(lambda: w.reporter.warning_box is not None)
    assert "Could not open the database" in w.reporter.warning_box.text()
    assert w.service is None
    w.reporter.warning_box.close()

"""Importing article files off the GUI thread, with progress, cancel, and the list of refused files.

The worker runs in its own ``QThread`` with its *own* :class:`~annotator.service.Service` on the same
database URL: SQLAlchemy sessions and connections never cross threads. Each file is its own
transaction (``Service.import_paths``), so cancelling keeps the files already imported and a
refused file never stops the batch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from ui.plaintext import plain_label
from ui.worker_thread import ProgressController

if TYPE_CHECKING:
    from annotator.service import ImportReport

log = logging.getLogger(__name__)


class ImportWorker(QObject):
    """Imports ``paths`` into the database at ``url`` as ``user``; lives in a worker thread."""

    progressed = Signal(int, int, str)
    """(files done, files in all, the file being read)."""

    finished = Signal(object)
    """The :class:`~annotator.service.ImportReport` (also when cancelled)."""

    failed = Signal(str)
    """The batch could not run at all (e.g. the database could not be opened): a one-line message."""

    def __init__(self, url: str, user: str, paths: Sequence[Path | str]) -> None:
        super().__init__()
        self._url = url
        self._user = user
        self._paths = [Path(p) for p in paths]
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop before the next file (thread-safe)."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        from annotator.db import Database
        from annotator.service import Service

        try:
            db = Database.open(self._url)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            self.failed.emit(f"could not open the database: {exc}")
            raise
        try:
            service = Service(db, user=self._user)
            report = service.import_paths(
                self._paths, progress=self._on_progress, cancelled=self._cancel.is_set
            )
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            self.failed.emit(f"the import stopped: {exc}")
            raise
        finally:
            db.close()
        log.info(
            "import: %d new, %d unchanged, %d refused%s",
            len(report.imported),
            len(report.unchanged),
            len(report.failed),
            " (cancelled)" if report.cancelled else "",
        )
        self.finished.emit(report)

    def _on_progress(self, done: int, total: int, path: Path) -> None:
        self.progressed.emit(done, total, path.name)


class RefusedFilesDialog(QDialog):
    """The files an import refused, one per line with the reason, as plain text that can be copied."""

    def __init__(self, failed: Sequence[tuple[Path, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Files not imported")
        n = len(failed)
        self.summary = plain_label(
            f"{n} file{'s were' if n != 1 else ' was'} not imported. The other files were imported.", self
        )
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlainText("\n".join(f"{path}: {reason}" for path, reason in failed))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 280)


class ImportController(ProgressController):
    """Runs one import: the worker thread, a progress dialog with Cancel, and the refused-files list."""

    cancelling_text = "Cancelling after the current file…"

    finished = Signal(object)
    """The :class:`~annotator.service.ImportReport`, after the thread ended."""

    failed = Signal(str)

    def __init__(
        self, url: str, user: str, paths: Sequence[Path | str], parent: QWidget | None = None
    ) -> None:
        super().__init__("Looking for article files…", "Importing articles", "import", parent)
        self._parent_widget = parent
        self.report: ImportReport | None = None
        self.refused_dialog: RefusedFilesDialog | None = None
        self.worker = ImportWorker(url, user, paths)
        self._adopt(self.worker)
        self.worker.progressed.connect(self._on_worker_progressed)
        self.worker.finished.connect(self._on_worker_finished)
        self.worker.failed.connect(self._on_worker_failed)

    def _on_worker_progressed(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, total))
        if done < total:
            self.progress.setLabelText(f"Importing {name} ({done + 1} of {total})")

    def _on_worker_finished(self, report: ImportReport) -> None:
        self._stop_thread()
        self.report = report
        if report.failed:
            self.refused_dialog = RefusedFilesDialog(report.failed, self._parent_widget)
            self.refused_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.refused_dialog.destroyed.connect(self._on_refused_dialog_destroyed)
            self.refused_dialog.open()
        self.finished.emit(report)

    def _on_refused_dialog_destroyed(self) -> None:
        self.refused_dialog = None

    def _on_worker_failed(self, message: str) -> None:
        self._stop_thread()
        self.failed.emit(message)


def describe_report(report: ImportReport) -> str:
    """One status-bar line: "Imported 3 articles (1 already there, 2 refused)"."""
    n = len(report.imported)
    parts = []
    if report.unchanged:
        parts.append(f"{len(report.unchanged)} already there")
    if report.failed:
        parts.append(f"{len(report.failed)} refused")
    head = f"Imported {n} article{'s' if n != 1 else ''}"
    if report.cancelled:
        head = f"Import cancelled: {n} article{'s' if n != 1 else ''} imported"
    return head + (f" ({', '.join(parts)})" if parts else "")

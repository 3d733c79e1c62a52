"""A worker object on a thread of its own, shown by a modal progress dialog with Cancel: what the
import and the export controllers share (:mod:`ui.import_worker`, :mod:`ui.export_worker`)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt, QThread
from PySide6.QtWidgets import QProgressDialog, QWidget


class Worker(Protocol):
    """What a controller asks of its worker (a QObject with a ``run`` slot)."""

    def cancel(self) -> None: ...

    def run(self) -> None: ...


class ProgressController(QObject):
    """Starts a worker on its own ``QThread``; the dialog's Cancel (or :meth:`wait` on close) asks
    the worker to stop. Subclasses connect the worker's signals and end with :meth:`_stop_thread`."""

    cancelling_text = "Cancelling…"

    def __init__(self, label: str, title: str, thread_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.progress = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.progress.setWindowTitle(title)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self._thread = QThread(self)
        self._thread.setObjectName(thread_name)
        self._worker: Worker | None = None

    def _adopt(self, worker: QObject) -> None:
        """Move ``worker`` (a :class:`Worker`) onto the thread; its ``run`` starts with it."""
        worker.moveToThread(self._thread)
        self._thread.started.connect(worker.run)  # type: ignore[attr-defined]
        self._worker = worker  # type: ignore[assignment]

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self.progress.setLabelText(self.cancelling_text)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30_000) -> bool:
        """Cancel and wait for the thread (on close)."""
        if self._worker is not None:
            self._worker.cancel()
        self._thread.quit()
        return self._thread.wait(ms)

    def _stop_thread(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self.progress.reset()
        self.progress.hide()

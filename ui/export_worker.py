"""Exporting a quote set off the GUI thread, with progress and cancel.

Like the import (:mod:`ui.import_worker`), the worker runs in its own ``QThread`` with its *own*
:class:`~annotator.service.Service` on the same database URL: SQLAlchemy sessions and connections
never cross threads. The export function is the core's ``export_set`` (XML, CSV) or
``annotator.interop.export`` (PROV, ClaimReview, brat); it polls its ``cancel`` callable between the
items it handles (sources, articles and quotes for XML; quotes for CSV, PROV and ClaimReview;
articles for brat), which is where the worker counts progress and where a cancel takes effect. A
cancelled or failed export leaves no file behind (both write atomically).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from annotator.errors import AnnotatorError
from ui.worker_thread import ProgressController

log = logging.getLogger(__name__)

ExportFunction = Callable[..., Any]
"""``export(service, path, *, cancel=..., **options)``: the core's export (``export_set`` or
``annotator.interop.export``)."""

PROGRESS_INTERVAL = 0.1
"""Seconds between two progress signals (the GUI need not repaint for every quote)."""


class ExportWorker(QObject):
    """Writes the export of ``options`` to ``path`` from the database at ``url``; lives in a worker
    thread. Exactly one of ``finished``, ``cancelled`` and ``failed`` is emitted per run."""

    progressed = Signal(int)
    """Items written so far (sources, articles and quotes for XML; quotes for CSV)."""

    finished = Signal(object)
    """The core's result (``.path``, ``.quotes``, …)."""

    cancelled = Signal()
    """Stopped on :meth:`cancel`; nothing was written."""

    failed = Signal(str)
    """A one-line reason (refused data, a file that cannot be written, a database error)."""

    def __init__(
        self, url: str, user: str, path: Path, options: Mapping[str, Any], export: ExportFunction
    ) -> None:
        super().__init__()
        self._url = url
        self._user = user
        self._path = path
        self._options = dict(options)
        self._export = export
        self._cancel = threading.Event()
        self._items = 0
        self._last_signal = 0.0

    def cancel(self) -> None:
        """Stop before the next item (thread-safe)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _poll(self) -> bool:
        """``export_set``'s ``cancel`` callable: called before each item is written."""
        self._items += 1
        now = time.monotonic()
        if now - self._last_signal >= PROGRESS_INTERVAL:
            self._last_signal = now
            self.progressed.emit(self._items)
        return self._cancel.is_set()

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
            result = self._export(service, self._path, cancel=self._poll, **self._options)
        except AnnotatorError as exc:
            if self._cancel.is_set():
                log.info("export to %s cancelled after %d items", self._path, self._items)
                self.cancelled.emit()
            else:
                self.failed.emit(str(exc))
            return
        except OSError as exc:
            self.failed.emit(f"Could not write {self._path}: {exc.strerror or exc}")
            return
        except Exception as exc:
            self.failed.emit(f"the export stopped: {exc}")
            raise
        finally:
            db.close()
        self.finished.emit(result)


class ExportController(ProgressController):
    """Runs one export: the worker thread and a progress dialog with Cancel.

    Exactly one of ``finished``, ``cancelled`` and ``failed`` is emitted, after the thread ended.
    """

    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(
        self,
        url: str,
        user: str,
        path: Path,
        options: Mapping[str, Any],
        export: ExportFunction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Exporting to {path.name}…", "Exporting quotes", "export", parent)
        self.result: Any = None
        self.worker = ExportWorker(url, user, path, options, export)
        self._adopt(self.worker)
        self.worker.progressed.connect(self._on_worker_progressed)
        self.worker.finished.connect(self._on_worker_finished)
        self.worker.cancelled.connect(self._on_worker_cancelled)
        self.worker.failed.connect(self._on_worker_failed)

    def _on_worker_progressed(self, items: int) -> None:
        if not self.worker.is_cancelled():
            self.progress.setLabelText(f"Exporting… {items:,} items written")
        self.progress.setValue(0)  # a busy bar (the total is not known in advance); keeps it shown

    def _on_worker_finished(self, result: Any) -> None:
        self._stop_thread()
        self.result = result
        self.finished.emit(result)

    def _on_worker_cancelled(self) -> None:
        self._stop_thread()
        self.cancelled.emit()

    def _on_worker_failed(self, message: str) -> None:
        self._stop_thread()
        self.failed.emit(message)

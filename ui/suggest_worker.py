"""Computing an article's suggestions off the GUI thread.

When an article opens, the window asks the :class:`SuggestionLoader` for its suggestions and goes
on at once; the answer comes back as the ``ready`` signal. Each request gets a number, and only the
newest matters: a request overtaken by a newer one is skipped before it starts, and the window
drops any answer that is not for the newest request (another article is shown by then).

Like the import and the export workers, the work runs with its *own*
:class:`~annotator.service.Service` on the same database URL (SQLAlchemy sessions never cross
threads), in a one-thread pool, so requests run one at a time, in order.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from annotator.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.db import Database

log = logging.getLogger(__name__)


class _Request(QRunnable):
    def __init__(
        self, loader: SuggestionLoader, generation: int, article_id: int, min_confidence: float
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._loader = loader
        self._generation = generation
        self._article_id = article_id
        self._min_confidence = min_confidence

    def run(self) -> None:
        self._loader._run(self._generation, self._article_id, self._min_confidence)


class SuggestionLoader(QObject):
    """Suggestions for one article at a time, computed in a worker thread.

    ``ready(generation, article_id, suggestions)`` and ``failed(generation, article_id, message)``
    arrive in the GUI thread; compare ``generation`` with :attr:`latest` to drop stale answers.
    """

    # Emitted from the worker thread; the loader lives in the GUI thread, so the window's slots
    # get them queued, in the GUI thread.
    ready = Signal(int, int, object)
    """(request number, article id, the list of :class:`annotator.suggest.Suggestion`)."""

    failed = Signal(int, int, str)
    """(request number, article id, a one-line reason)."""

    def __init__(self, url: str, user: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._url = url
        self._user = user
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._latest = 0
        self._db: Database | None = None  # opened in the worker thread on first use
        self._closed = False

    @property
    def latest(self) -> int:
        """The number of the newest request."""
        with self._lock:
            return self._latest

    def request(self, article_id: int, min_confidence: float = 0.0) -> int:
        """Compute ``article_id``'s suggestions in the background; returns the request's number."""
        with self._lock:
            self._latest += 1
            generation = self._latest
        if not self._closed:
            self._pool.start(_Request(self, generation, article_id, min_confidence))
        return generation

    def cancel(self) -> None:
        """Forget what was asked: pending requests are skipped and any answer is stale."""
        with self._lock:
            self._latest += 1

    def wait(self, ms: int = 30_000) -> bool:
        """Wait until no request is running (tests, closing)."""
        return self._pool.waitForDone(ms)

    def close(self) -> None:
        """Stop taking requests, wait for the one running, close the worker's database connections."""
        self._closed = True
        self.cancel()
        self._pool.clear()
        self._pool.waitForDone()
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- in the worker thread --------------------------------------------------------------------

    def _service(self) -> Any:
        from annotator.db import Database
        from annotator.service import Service

        if self._db is None:
            self._db = Database.open(self._url, upgrade=False)  # the window opened (and upgraded) it
        return Service(self._db, user=self._user)

    def _run(self, generation: int, article_id: int, min_confidence: float) -> None:
        if generation != self.latest:
            return  # overtaken by a newer request before it started
        started = time.perf_counter()
        try:
            suggestions = self._service().suggestions(article_id, min_confidence=min_confidence)
        except AnnotatorError as exc:
            self.failed.emit(generation, article_id, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - logged with its traceback; the window says it in one line
            log.exception("suggestions for article %s failed", article_id)
            self.failed.emit(generation, article_id, f"the suggester stopped: {exc}")
            return
        log.debug(
            "%d suggestions for article %s in %.0f ms",
            len(suggestions),
            article_id,
            (time.perf_counter() - started) * 1000,
        )
        self.ready.emit(generation, article_id, list(suggestions))

"""How the app reports problems: a log file, calm warnings, and a dialog for the unexpected.

* :func:`setup_file_logging` writes the log to a rotating file in the user log directory.
* :class:`ErrorReporter` installs ``sys.excepthook`` and ``threading.excepthook``: an exception
  escaping anywhere (a slot, a worker thread) is logged with its traceback and shown in a dialog
  with its message. The database needs no repair: every operation of the core is one transaction,
  so an operation that raised changed nothing.
* A typed :class:`~annotator.errors.AnnotatorError` (a refused edit, a file that cannot be read)
  is not a bug: it is shown as a calm warning with its one-line message and no traceback.

Every dialog here is non-blocking (``open()``), shows plain text only, and is reused while it is
open, so a burst of errors never stacks up windows.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from annotator.errors import AnnotatorError

log = logging.getLogger(__name__)

LOG_FILE_NAME = "quote-annotator.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
_HANDLER_MARK = "_quote_annotator_file_handler"


def log_file_path(directory: Path | None = None) -> Path:
    if directory is None:
        from annotator.paths import user_log_dir

        directory = user_log_dir()
    return directory / LOG_FILE_NAME


def setup_file_logging(directory: Path | None = None, level: int = logging.INFO) -> RotatingFileHandler:
    """Send the root logger to a rotating file in ``directory`` (default: the user log directory).

    Idempotent for one path; returns the handler (pass it to :func:`remove_file_logging`).
    """
    path = log_file_path(directory)
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, RotatingFileHandler) and getattr(h, _HANDLER_MARK, None) == str(path):
            return h
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.setLevel(level)
    setattr(handler, _HANDLER_MARK, str(path))
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler


def remove_file_logging(handler: logging.Handler) -> None:
    logging.getLogger().removeHandler(handler)
    handler.close()


def _message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
    return box


class ErrorReporter(QObject):
    """Shows errors to the user and writes them to the log; optionally the process's exception hooks.

    ``parent_widget`` is the window dialogs are shown over (they are window-modal, not blocking).
    """

    error_shown = Signal(str)
    """An unexpected error was shown: its one-line message."""

    warning_shown = Signal(str)
    """A calm warning was shown: its message."""

    _relay = Signal(str, str, bool)  # message, details, is_warning: hops to the GUI thread

    def __init__(self, parent_widget: QWidget | None = None, log_path: Path | None = None) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._log_path = log_path
        self._error_box: QMessageBox | None = None
        self._error_count = 0
        self._warning_box: QMessageBox | None = None
        self._previous_hooks: tuple[Any, Any] | None = None
        self._relay.connect(self._on_relayed, Qt.ConnectionType.QueuedConnection)

    # -- hooks ---------------------------------------------------------------------------------------

    def install(self) -> None:
        """Route uncaught exceptions of the process (GUI thread and other threads) here."""
        if self._previous_hooks is None:
            self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            if sys.excepthook == self._excepthook:
                sys.excepthook = self._previous_hooks[0]
            if threading.excepthook == self._thread_excepthook:
                threading.excepthook = self._previous_hooks[1]
            self._previous_hooks = None

    def _excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report_exception(exc_type, exc, tb)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        assert args.exc_value is not None or args.exc_type is not None
        exc = args.exc_value if args.exc_value is not None else args.exc_type()
        self.report_exception(args.exc_type, exc, args.exc_traceback)

    # -- reporting -------------------------------------------------------------------------------------

    def report_exception(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Log an exception and show it: a calm warning for an AnnotatorError, else the error dialog.

        Safe to call from any thread.
        """
        if isinstance(exc, AnnotatorError):
            log.warning("refused: %s", exc, exc_info=(exc_type, exc, tb))
            self._show(str(exc), "", warning=True)
            return
        log.error("unexpected error: %s", exc, exc_info=(exc_type, exc, tb))
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        message = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
        self._show(message, details, warning=False)

    def warn(self, message: str) -> None:
        """Show a calm warning: something the user asked for could not be done, nothing is broken."""
        log.info("warning shown: %s", message)
        self._show(message, "", warning=True)

    def _show(self, message: str, details: str, *, warning: bool) -> None:
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is not app.thread():
            self._relay.emit(message, details, warning)
            return
        self._on_relayed(message, details, warning)

    def _on_relayed(self, message: str, details: str, warning: bool) -> None:
        if warning:
            self._show_warning(message)
        else:
            self._show_error(message, details)

    def _show_warning(self, message: str) -> None:
        box = self._warning_box
        if box is None:
            box = _message_box(self._parent_widget, QMessageBox.Icon.Warning, "Not done", message)
            box.destroyed.connect(self._on_warning_box_destroyed)
            self._warning_box = box
            box.open()
        else:
            box.setText(message)
        self.warning_shown.emit(message)

    def _show_error(self, message: str, details: str) -> None:
        self._error_count += 1
        box = self._error_box
        text = (
            f"Something went wrong:\n\n{message}\n\n"
            "Nothing was half-saved: each change is written in one transaction, and this one was not made."
        )
        where = self._log_path or log_file_path_or_none()
        informative = f"The details are in the log file:\n{where}" if where else ""
        if box is None:
            box = _message_box(self._parent_widget, QMessageBox.Icon.Critical, "Unexpected error", text)
            box.destroyed.connect(self._on_error_box_destroyed)
            self._error_box = box
            box.setInformativeText(informative)
            if details:
                box.setDetailedText(details)
            box.open()
        else:
            box.setText(f"{text}\n\n({self._error_count} errors so far; the last one is shown.)")
            if details:
                box.setDetailedText(details)
        self.error_shown.emit(message)

    def _on_error_box_destroyed(self) -> None:
        self._error_box = None
        self._error_count = 0

    def _on_warning_box_destroyed(self) -> None:
        self._warning_box = None

    @property
    def warning_box(self) -> QMessageBox | None:
        return self._warning_box


def log_file_path_or_none() -> Path | None:
    """The file the root logger writes to, if :func:`setup_file_logging` was called."""
    for h in logging.getLogger().handlers:
        mark = getattr(h, _HANDLER_MARK, None)
        if mark:
            return Path(mark)
    return None

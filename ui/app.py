"""The ``quote-annotator`` desktop app's entry point.

    quote-annotator [--db URL]

The window is shown first; the database (``--db``, else ``$QUOTE_ANNOTATOR_DB``, else the default
SQLite file) is opened right after, from the event loop, because importing the database layer
(SQLAlchemy) takes longer than building the window. Uncaught exceptions, in the GUI thread or in
any other, are logged to the user log directory and shown in a dialog (:mod:`ui.errors`).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui.errors import setup_file_logging
from ui.settings import APPLICATION, ORGANIZATION

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    from annotator import __version__

    p = argparse.ArgumentParser(
        prog="quote-annotator",
        description="Annotate quotes in news articles with their speaker and provenance chain.",
    )
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite file (default: $QUOTE_ANNOTATOR_DB, "
        "then the file in the user data directory)",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p.parse_known_args(list(sys.argv[1:] if argv is None else argv))


def make_application(qt_args: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "quote-annotator", *qt_args])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Quote Annotator")
    app.setDesktopFileName("quote-annotator")
    return app


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    args, qt_args = parse_args(argv)
    app = make_application(qt_args)
    logging.getLogger().addHandler(_stderr_handler())
    try:
        log_path: str = setup_file_logging().baseFilename
    except OSError as exc:  # an unwritable log directory must not stop the app
        log_path = f"(no log file: {exc})"
        log.warning("cannot write the log file: %s", exc)

    from ui.main_window import MainWindow

    window = MainWindow()
    window.reporter.install()
    window.show()
    log.info("window shown %.0f ms after start (log: %s)", (time.perf_counter() - started) * 1000, log_path)
    QTimer.singleShot(0, lambda: window.start(args.db))
    try:
        return int(app.exec())
    finally:
        window.reporter.uninstall()


def _stderr_handler() -> logging.Handler:
    h = logging.StreamHandler()
    h.setLevel(logging.WARNING)
    h.setFormatter(logging.Formatter("quote-annotator: %(levelname)s %(message)s"))
    return h


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

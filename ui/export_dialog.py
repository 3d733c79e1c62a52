"""File > Export verified quotes…: choose format, statuses, articles and date, then write the file.

The export itself is the core's, imported only when the user exports: ``annotator.quotesets.export.
export_set`` for an XML quote set or CSV, ``annotator.interop.export`` for W3C PROV (XML, JSON, N),
ClaimReview and brat (written to a folder, chosen with a folder chooser). It runs in a worker thread
(:mod:`ui.export_worker`) with a progress dialog and Cancel. The interchange formats cannot select by
date, so the date row is off for them; ClaimReview always holds the disputed and rejected quotes, so
the status choice is off for it.
A refused export (a typed :class:`~annotator.errors.AnnotatorError`) is shown inside the dialog,
calmly, and the dialog stays open so the choice can be corrected; so is a cancelled one.
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.export_worker import ExportController
from ui.plaintext import plain_label

if TYPE_CHECKING:
    from annotator.service import Service
    from ui.settings import AppSettings

log = logging.getLogger(__name__)

FORMATS = (
    ("XML quote set (validated against the schema)", "xml"),
    ("CSV table", "csv"),
    ("W3C PROV-XML (provenance graph, validated)", "prov-xml"),
    ("W3C PROV-JSON (provenance graph)", "prov-json"),
    ("W3C PROV-N (provenance graph, readable)", "prov-n"),
    ("ClaimReview JSON-LD (disputed and rejected quotes)", "claimreview"),
    ("brat standoff (a folder of .txt and .ann files)", "brat"),
)
SET_FORMATS = ("xml", "csv")
"""The quote-set formats (``export_set``); the others are the interchange formats."""
DIRECTORY_FORMATS = ("brat",)
"""Formats written to a folder."""
SUFFIXES = {
    "xml": ".xml",
    "csv": ".csv",
    "prov-xml": ".provx",
    "prov-json": ".json",
    "prov-n": ".provn",
    "claimreview": ".jsonld",
}
FILE_FILTERS = {
    "xml": "XML quote sets (*.xml)",
    "csv": "CSV files (*.csv)",
    "prov-xml": "PROV-XML (*.provx *.xml)",
    "prov-json": "PROV-JSON (*.json)",
    "prov-n": "PROV-N (*.provn)",
    "claimreview": "JSON-LD (*.jsonld *.json)",
}
STATUS_FILTERS = (("Verified quotes only", "verified"), ("All quotes, any status", "all"))


class ExportDialog(QDialog):
    """The export choices; :meth:`accept` starts writing the file, ``exported`` follows when done."""

    exported = Signal(object)
    """The export's result (``.path``, ``.quotes``)."""

    export_started = Signal(object)
    """The :class:`~ui.export_worker.ExportController` of an export, just before its thread starts."""

    def __init__(
        self,
        service: Service,
        current_article_id: int | None,
        settings: AppSettings | None = None,
        parent: QWidget | None = None,
        *,
        current_article_title: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export quotes")
        self._service = service
        self._current_article_id = current_article_id
        self._settings = settings
        self.result_value: Any = None
        self.controller: ExportController | None = None

        self.format_combo = QComboBox(self)
        for label, fmt in FORMATS:
            self.format_combo.addItem(label, fmt)
        self.status_combo = QComboBox(self)
        for label, status in STATUS_FILTERS:
            self.status_combo.addItem(label, status)

        self.all_articles = QRadioButton("All articles", self)
        label = "Current article"
        if current_article_title:
            short = (
                current_article_title if len(current_article_title) < 60 else current_article_title[:59] + "…"
            )
            label = f"Current article: {short}"
        self.current_article = QRadioButton(label, self)
        self.current_article.setEnabled(current_article_id is not None)
        self.all_articles.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.all_articles)
        group.addButton(self.current_article)
        articles_box = QVBoxLayout()
        articles_box.setContentsMargins(0, 0, 0, 0)
        articles_box.addWidget(self.all_articles)
        articles_box.addWidget(self.current_article)

        self.since_check = QCheckBox("Only quotes changed on or after", self)
        self.since_edit = QDateEdit(self)
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setDate(QDate.currentDate().addDays(-7))
        self.since_edit.setEnabled(False)
        self.since_check.toggled.connect(self._on_since_toggled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit)
        since_row.addStretch(1)

        self.path_edit = QLineEdit(self)
        self.path_edit.setText(str(self._default_path("xml")))
        self.path_label = plain_label("File", self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._on_browse_clicked)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.message = plain_label("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #9a3412;")
        self.message.hide()

        self.form_widget = QWidget(self)  # disabled while the export runs
        form = QFormLayout(self.form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Format", self.format_combo)
        form.addRow("Quotes", self.status_combo)
        form.addRow("Articles", articles_box)
        form.addRow("Date", since_row)
        form.addRow(self.path_label, path_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form_widget)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.resize(560, self.sizeHint().height())

    # -- choices -------------------------------------------------------------------------------------

    def options(self) -> dict[str, Any]:
        """The keyword arguments of the export the dialog stands for (without service and path):
        ``export_set``'s for xml and csv, ``annotator.interop.export``'s (no ``since``) otherwise."""
        since = None
        if self.since_check.isChecked():
            d = self.since_edit.date()
            since = datetime.date(d.year(), d.month(), d.day())
        article_ids = None
        if self.current_article.isChecked() and self._current_article_id is not None:
            article_ids = [self._current_article_id]
        fmt = self.format_combo.currentData()
        options = {"fmt": fmt, "status": self.status_combo.currentData(), "article_ids": article_ids}
        if fmt in SET_FORMATS:
            options["since"] = since
        return options

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def _default_path(self, fmt: str) -> Path:
        folder = (
            Path(self._settings.export_directory)
            if self._settings and self._settings.export_directory
            else Path.home()
        )
        return folder / f"quotes-{datetime.date.today().isoformat()}{SUFFIXES[fmt]}"

    def _on_format_changed(self) -> None:
        fmt = self.format_combo.currentData()
        text = self.path_edit.text().strip()
        if text:
            path = Path(text).with_suffix("")
            self.path_edit.setText(
                str(path if fmt in DIRECTORY_FORMATS else path.with_name(path.name + SUFFIXES[fmt]))
            )
        self.path_label.setText("Folder" if fmt in DIRECTORY_FORMATS else "File")
        dated = fmt in SET_FORMATS
        self.since_check.setEnabled(dated)
        self.since_check.setToolTip(
            "" if dated else "Only the XML and CSV exports can select quotes by date."
        )
        self.since_edit.setEnabled(dated and self.since_check.isChecked())
        self.status_combo.setEnabled(fmt != "claimreview")
        self.status_combo.setToolTip(
            "ClaimReview always holds the disputed and rejected quotes." if fmt == "claimreview" else ""
        )

    def _on_since_toggled(self, checked: bool) -> None:
        self.since_edit.setEnabled(checked and self.since_check.isEnabled())

    def _on_browse_clicked(self) -> None:
        fmt = self.format_combo.currentData()
        if fmt in DIRECTORY_FORMATS:
            path = QFileDialog.getExistingDirectory(
                self, "Export quotes to the folder", self.path_edit.text()
            )
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export quotes to", self.path_edit.text(), FILE_FILTERS[fmt]
            )
        if path:
            self.path_edit.setText(path)

    # -- doing it ------------------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def export(self) -> ExportController | None:
        """Start writing the file in a worker thread; None when it cannot start (the reason is shown
        in the dialog). ``exported`` follows when it is written, and the dialog closes."""
        if self.controller is not None and self.controller.is_running():
            return None
        path = self.path()
        if not path.name:
            self.show_message("Choose a file to export to.")
            return None
        options = self.options()
        export: Any
        try:
            if options["fmt"] in SET_FORMATS:
                from annotator.quotesets.export import export_set as export
            else:
                from annotator.interop import export
        except ImportError:
            log.exception("the export of %s is not available", options["fmt"])
            self.show_message(f"Export as {options['fmt']} is not available in this installation.")
            return None
        self.show_message("")
        controller = ExportController(self._service.db.url, self._service.user, path, options, export, self)
        controller.finished.connect(self._on_export_finished)
        controller.cancelled.connect(self._on_export_cancelled)
        controller.failed.connect(self._on_export_failed)
        self.controller = controller
        self._set_busy(True)
        self.export_started.emit(controller)
        controller.start()
        return controller

    def is_exporting(self) -> bool:
        return self.controller is not None and self.controller.is_running()

    def stop_export(self) -> None:
        """Cancel a running export and wait for its thread (the window is closing)."""
        if self.controller is not None and self.controller.is_running():
            self.controller.wait()

    def _set_busy(self, busy: bool) -> None:
        self.form_widget.setEnabled(not busy)
        self.export_button.setEnabled(not busy)

    def _on_export_finished(self, result: Any) -> None:
        self._set_busy(False)
        path = self.path()
        if self._settings is not None:
            self._settings.export_directory = str(path.parent)
        self.result_value = result
        self.exported.emit(result)
        super().accept()

    def _on_export_cancelled(self) -> None:
        self._set_busy(False)
        self.show_message("Export cancelled: nothing was written.")

    def _on_export_failed(self, message: str) -> None:
        self._set_busy(False)
        self.show_message(message)

    def accept(self) -> None:
        self.export()

    def reject(self) -> None:
        if self.is_exporting():
            assert self.controller is not None
            self.controller.cancel()  # Escape or Cancel while writing: stop the export, keep the dialog
            return
        super().reject()

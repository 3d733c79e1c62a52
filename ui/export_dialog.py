"""File > Export verified quotes…: choose format, statuses, articles and date, then write the file.

The export itself is the core's (``annotator.quotesets.export.export_set``), imported only when the user
exports. A refused export (a typed :class:`~annotator.errors.AnnotatorError`) is shown inside the
dialog, calmly, and the dialog stays open so the choice can be corrected.
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
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

from annotator.errors import AnnotatorError
from ui.plaintext import plain_label

if TYPE_CHECKING:
    from annotator.service import Service
    from ui.settings import AppSettings

log = logging.getLogger(__name__)

FORMATS = (("XML quote set (validated against the schema)", "xml"), ("CSV table", "csv"))
STATUS_FILTERS = (("Verified quotes only", "verified"), ("All quotes, any status", "all"))


class ExportDialog(QDialog):
    """The export choices; :meth:`accept` writes the file and emits ``exported``."""

    exported = Signal(object)
    """The export's result (``.path``, ``.quotes``)."""

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
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit)
        since_row.addStretch(1)

        self.path_edit = QLineEdit(self)
        self.path_edit.setText(str(self._default_path("xml")))
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._on_browse_clicked)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.message = plain_label("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #9a3412;")
        self.message.hide()

        form = QFormLayout()
        form.addRow("Format", self.format_combo)
        form.addRow("Quotes", self.status_combo)
        form.addRow("Articles", articles_box)
        form.addRow("Date", since_row)
        form.addRow("File", path_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.resize(560, self.sizeHint().height())

    # -- choices -------------------------------------------------------------------------------------

    def options(self) -> dict[str, Any]:
        """The keyword arguments of ``export_set`` the dialog stands for (without service and path)."""
        since = None
        if self.since_check.isChecked():
            d = self.since_edit.date()
            since = datetime.date(d.year(), d.month(), d.day())
        article_ids = None
        if self.current_article.isChecked() and self._current_article_id is not None:
            article_ids = [self._current_article_id]
        return {
            "fmt": self.format_combo.currentData(),
            "status": self.status_combo.currentData(),
            "article_ids": article_ids,
            "since": since,
        }

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def _default_path(self, fmt: str) -> Path:
        folder = (
            Path(self._settings.export_directory)
            if self._settings and self._settings.export_directory
            else Path.home()
        )
        return folder / f"quotes-{datetime.date.today().isoformat()}.{fmt}"

    def _on_format_changed(self) -> None:
        fmt = self.format_combo.currentData()
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix(f".{fmt}")))

    def _on_browse_clicked(self) -> None:
        fmt = self.format_combo.currentData()
        filters = "XML quote sets (*.xml)" if fmt == "xml" else "CSV files (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, "Export quotes to", self.path_edit.text(), filters)
        if path:
            self.path_edit.setText(path)

    # -- doing it ------------------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def export(self) -> Any:
        """Write the file; return the core's result, or None (the reason is shown in the dialog)."""
        path = self.path()
        if not path.name:
            self.show_message("Choose a file to export to.")
            return None
        try:
            from annotator.quotesets.export import export_set
        except ImportError:
            log.exception("annotator.quotesets.export is not available")
            self.show_message(
                "Export is not available in this installation (annotator.quotesets is missing)."
            )
            return None
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            result = export_set(self._service, path, **self.options())
        except AnnotatorError as exc:
            self.show_message(str(exc))
            return None
        except OSError as exc:
            self.show_message(f"Could not write {path}: {exc.strerror or exc}")
            return None
        finally:
            self.unsetCursor()
        if self._settings is not None:
            self._settings.export_directory = str(path.parent)
        log.info("exported %s quotes to %s", getattr(result, "quotes", "?"), getattr(result, "path", path))
        return result

    def accept(self) -> None:
        result = self.export()
        if result is None:
            return
        self.result_value = result
        self.exported.emit(result)
        super().accept()

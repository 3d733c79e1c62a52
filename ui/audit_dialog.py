"""Tools > Verify audit log: walk the hash chain of the audit log and say whether it is intact.

:func:`show_audit_check` runs :meth:`Service.verify_audit`, opens a non-blocking dialog with the
outcome ("Audit log OK: N entries, head …" or the first broken entry with its message) and returns
the :class:`~annotator.audit.AuditReport`. Everything shown is plain text.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from annotator.audit import AuditReport
from annotator.errors import AnnotatorError
from annotator.service import Service
from ui.plaintext import plain_label

log = logging.getLogger(__name__)


def audit_summary(report: AuditReport) -> str:
    """The one-line verdict: ``Audit log OK: 56 entries, head 36390f8d21e8…`` or the first break."""
    if report.problem is None:
        return f"Audit log OK: {report.entries} entries, head {report.head_sha256[:12]}…"
    if report.problem.seq is not None:
        return f"Audit log broken at entry #{report.problem.seq}: {report.problem.message}"
    return f"Audit log problem: {report.problem.message}"


def audit_details(report: AuditReport) -> str:
    if report.problem is None:
        return (
            "Every entry's hash matches its content and follows the entry before it, and the database "
            "matches the last audited state of every object.\n\n"
            f"Head SHA-256 (note it to compare later):\n{report.head_sha256}"
        )
    intact = max(0, (report.problem.seq or report.entries + 1) - 1)
    where = (
        f"Entries #1 to #{intact} are intact (hash of #{intact}: {report.head_sha256[:16]}…)."
        if intact and report.problem.seq is not None
        else f"{report.entries} entries were checked."
    )
    return (
        f"{where}\n\nThe database or its audit log was changed outside the application. "
        "This check changed nothing; keep a copy of the database file before anything else touches it."
    )


class AuditCheckDialog(QDialog):
    """Shows the outcome of an audit log check; "Check again" re-runs it."""

    checked = Signal(object)
    """A check ran: its :class:`AuditReport`."""

    def __init__(self, service: Service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.report: AuditReport | None = None
        self.setWindowTitle("Verify audit log")
        self.icon_label = QLabel(self)
        self.message_label = plain_label("", self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.message_label.font()
        font.setBold(True)
        self.message_label.setFont(font)
        self.details_label = plain_label("", self)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.again_button = self.buttons.addButton("Check again", QDialogButtonBox.ButtonRole.ActionRole)
        self.again_button.clicked.connect(self._on_again_clicked)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.message_label)
        text.addWidget(self.details_label)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 220)

    def run(self) -> AuditReport:
        """Check the log now (this reads every entry: a wait cursor is shown) and show the outcome."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = self._service.verify_audit()
        except AnnotatorError as exc:
            from annotator.audit import AuditProblem

            report = AuditReport(0, "", AuditProblem(None, None, None, f"the check could not run: {exc}"))
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.show_report(report)
        return report

    def show_report(self, report: AuditReport) -> None:
        self.report = report
        self.message_label.setText(audit_summary(report))
        self.details_label.setText(audit_details(report))
        pix = (
            QStyle.StandardPixmap.SP_DialogApplyButton
            if report.ok
            else QStyle.StandardPixmap.SP_MessageBoxCritical
        )
        self.icon_label.setPixmap(self.style().standardIcon(pix).pixmap(32, 32))
        self.message_label.setStyleSheet("" if report.ok else "color: #a12020;")
        if report.ok:
            log.info("audit log verified: %s entries, head %s", report.entries, report.head_sha256)
        else:
            log.warning("audit log check failed: %s", audit_summary(report))
        self.checked.emit(report)

    def _on_again_clicked(self) -> None:
        self.run()


def show_audit_check(parent: QWidget | None, service: Service) -> AuditReport:
    """Tools > Verify audit log: check now, show the outcome in a non-blocking dialog, return it."""
    dialog = AuditCheckDialog(service, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    report = dialog.run()
    dialog.open()
    return report

"""Creating or editing one source: the :class:`SourceDialog`, and the :class:`SourcePicker` it uses.

The dialog runs the edit itself through the :class:`~ui.commands.Editor` when the user confirms, so
a refusal (a duplicate alias, a missing descriptor) is shown inside the dialog and nothing typed is
lost. A creation can carry a follow-up (``then``: e.g. "make it the speaker") that lands in the
same undo step. Open it with :meth:`QDialog.open` (window-modal, never blocks the event loop).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.model import SourceKind
from annotator.records import SourceRecord
from annotator.service import Service
from ui.commands import Editor
from ui.source_models import KINDS, SourceCompleter, source_summary
from ui.widgets import message_label, sentence, show_message

log = logging.getLogger(__name__)

KIND_LABELS = {
    "person": "Person",
    "organization": "Organization",
    "outlet": "Outlet (publication, broadcaster, agency)",
    "anonymous": "Anonymous (unnamed source)",
}

_ARTICLE_PREFIX = re.compile(r"^(an?)\s+(\S.*)$")


class SourcePicker(QWidget):
    """A source chosen by name or alias (with the completer), or none: used for affiliations."""

    source_changed = Signal(object)  # int | None

    def __init__(self, service: Service, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self._service = service
        self._source_id: int | None = None
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText(placeholder or "Type a name or alias; ↓ lists the registry")
        self.line_edit.setClearButtonEnabled(True)
        self.completer = SourceCompleter(service, self.line_edit, self)
        self.completer.source_picked.connect(self._on_source_picked)
        self.line_edit.textEdited.connect(self._on_text_edited)
        self.detail = QLabel(self)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setEnabled(False)  # greyed: a hint, not a field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.detail)
        self.setFocusProxy(self.line_edit)
        self._show_detail()

    def source_id(self) -> int | None:
        return self._source_id

    def set_source(self, source_id: int | None) -> None:
        self._source_id = source_id
        name = ""
        if source_id is not None:
            try:
                name = self._service.source(source_id).name
            except AnnotatorError:
                self._source_id = None
        self.line_edit.setText(name)
        self._show_detail()

    def resolved_source_id(self) -> int | None:
        """The chosen source; text typed without picking is looked up as an exact name or alias.

        Raises :class:`AnnotatorError` when the text names no source, or several.
        """
        text = self.line_edit.text().strip()
        if not text:
            return None
        if self._source_id is not None:
            return self._source_id
        found = self._service.resolve_source(text)
        if found is None:
            raise AnnotatorError(f"no source is called “{text}”: pick one from the list, or create it first")
        return found.id

    def _on_source_picked(self, source_id: int) -> None:
        self._source_id = source_id
        self._show_detail()
        self.source_changed.emit(source_id)

    def _on_text_edited(self, text: str) -> None:
        if self._source_id is not None:
            self._source_id = None
            self._show_detail()
            self.source_changed.emit(None)

    def _show_detail(self) -> None:
        text = ""
        if self._source_id is not None:
            try:
                text = source_summary(self._service.source(self._source_id))
            except AnnotatorError:
                text = ""
        self.detail.setText(text)
        self.detail.setVisible(bool(text))


class SourceDialog(QDialog):
    """Create a source (``source_id=None``) or edit one.

    Kind, name, role and affiliation; for an anonymous source how the article describes it
    (required) and a nationality; aliases (one per line) and external ids (``scheme: value`` per
    line). ``name`` prefills the name: a name like "a Turkish official" (as selected in an
    article) suggests an anonymous source described that way. ``then(source_id)`` runs after a
    creation inside the same undo step; if it is refused the source stays and
    ``follow_up_failed`` carries the reason.
    """

    source_saved = Signal(int)
    follow_up_failed = Signal(str)

    def __init__(
        self,
        editor: Editor,
        source_id: int | None = None,
        *,
        name: str = "",
        kind: str | None = None,
        then: Callable[[int], Any] | None = None,
        undo_text: str = "new source",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._service = editor.service
        self._then = then
        self._undo_text = undo_text
        self._record: SourceRecord | None = (
            editor.service.source(source_id) if source_id is not None else None
        )
        self.saved_source_id: int | None = source_id if self._record is None else None
        self.setWindowTitle("New source" if self._record is None else "Edit source")
        self.setMinimumWidth(460)

        self.kind_combo = QComboBox(self)
        for k in KINDS:
            self.kind_combo.addItem(KIND_LABELS.get(k, k), k)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("e.g. Heorhii Tykhyi, Moscow, CNN")
        self.descriptor_edit = QLineEdit(self)
        self.descriptor_edit.setPlaceholderText("how the article describes them, e.g. a Turkish official")
        self.nationality_edit = QLineEdit(self)
        self.nationality_edit.setPlaceholderText("e.g. Turkish")
        self.role_edit = QLineEdit(self)
        self.role_edit.setPlaceholderText("e.g. spokesman, foreign minister")
        self.affiliation_picker = SourcePicker(
            self._service, self, placeholder="organization they speak for (optional)"
        )
        self.aliases_edit = QPlainTextEdit(self)
        self.aliases_edit.setPlaceholderText("one per line, e.g. Zelenskyy")
        self.aliases_edit.setTabChangesFocus(True)
        self.aliases_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.external_ids_edit = QPlainTextEdit(self)
        self.external_ids_edit.setPlaceholderText("scheme: value, one per line, e.g. wikidata: Q3874799")
        self.external_ids_edit.setTabChangesFocus(True)
        self.external_ids_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 12)
        self.error_label = message_label(self)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.addRow("&Kind", self.kind_combo)
        self.form.addRow("&Name", self.name_edit)
        self.form.addRow("&Described as", self.descriptor_edit)
        self.form.addRow("Nationa&lity", self.nationality_edit)
        self.form.addRow("&Role", self.role_edit)
        self.form.addRow("A&ffiliation", self.affiliation_picker)
        self.form.addRow("&Also known as", self.aliases_edit)
        self.form.addRow("E&xternal ids", self.external_ids_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create source" if self._record is None else "Save")
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        if self._record is not None:
            self._load(self._record)
        else:
            self._prefill(name.strip(), kind)
        self._on_kind_changed()
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    # -- filling -------------------------------------------------------------------------------

    def _prefill(self, name: str, kind: str | None) -> None:
        m = _ARTICLE_PREFIX.match(name)
        if kind is None and m is not None:
            # "a Turkish official": an unnamed source, described the way the article does.
            self.descriptor_edit.setText(name)
            name = m.group(2)
            kind = SourceKind.ANONYMOUS.value
        self.name_edit.setText(name)
        self.set_kind(kind or SourceKind.PERSON.value)

    def _load(self, rec: SourceRecord) -> None:
        self.set_kind(rec.kind)
        self.name_edit.setText(rec.name)
        self.descriptor_edit.setText(rec.descriptor or "")
        self.nationality_edit.setText(rec.nationality or "")
        self.role_edit.setText(rec.role or "")
        self.affiliation_picker.set_source(rec.affiliation_id)
        self.aliases_edit.setPlainText("\n".join(rec.aliases))
        self.external_ids_edit.setPlainText("\n".join(f"{s}: {v}" for s, v in rec.external_ids))

    def set_kind(self, kind: str) -> None:
        i = self.kind_combo.findData(kind)
        if i >= 0:
            self.kind_combo.setCurrentIndex(i)

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _on_kind_changed(self, *_: object) -> None:
        anonymous = self.kind() == SourceKind.ANONYMOUS.value
        self.form.setRowVisible(self.descriptor_edit, anonymous)
        self.form.setRowVisible(self.nationality_edit, anonymous)

    # -- reading -------------------------------------------------------------------------------

    def fields(self) -> dict[str, Any]:
        """What the form says, as keyword arguments of ``create_source``/``update_source``.

        Raises :class:`AnnotatorError` with a readable reason when a field cannot be read.
        """
        anonymous = self.kind() == SourceKind.ANONYMOUS.value
        ext: list[tuple[str, str]] = []
        for line in self.external_ids_edit.toPlainText().splitlines():
            if not line.strip():
                continue
            scheme, sep, value = line.partition(":")
            if not sep or not scheme.strip() or not value.strip():
                raise AnnotatorError(
                    "external ids are written “scheme: value” (e.g. wikidata: Q3874799), "
                    f"not “{line.strip()}”"
                )
            ext.append((scheme.strip(), value.strip()))
        aliases = [a.strip() for a in self.aliases_edit.toPlainText().splitlines() if a.strip()]
        return {
            "kind": self.kind(),
            "name": self.name_edit.text().strip(),
            "role": self.role_edit.text().strip() or None,
            "affiliation_id": self.affiliation_picker.resolved_source_id(),
            "descriptor": (self.descriptor_edit.text().strip() or None) if anonymous else None,
            "nationality": (self.nationality_edit.text().strip() or None) if anonymous else None,
            "aliases": tuple(sorted(dict.fromkeys(aliases))),
            "external_ids": tuple(sorted(set(ext))),
        }

    # -- saving --------------------------------------------------------------------------------

    def _on_ok_clicked(self) -> None:
        show_message(self.error_label, "")
        if not self.name_edit.text().strip():
            self._refuse("A source needs a name.", self.name_edit)
            return
        if self.kind() == SourceKind.ANONYMOUS.value and not self.descriptor_edit.text().strip():
            self._refuse(
                "An anonymous source needs a description: how the article refers to them, "
                "e.g. “a Turkish official”.",
                self.descriptor_edit,
            )
            return
        try:
            fields = self.fields()
        except AnnotatorError as exc:
            self._refuse(sentence(str(exc)), None)
            return
        if self._record is None:
            self._create(fields)
        else:
            self._update(fields)

    def _create(self, fields: dict[str, Any]) -> None:
        follow_up_error: str | None = None
        if self._then is None:  # one edit: no macro needed
            try:
                source_id = self._editor.create_source(
                    fields.pop("kind"), fields.pop("name"), **fields
                ).source.id
            except AnnotatorError as exc:
                self._refuse(sentence(str(exc)), None)
                return
            self._finish(source_id)
            return
        try:
            with self._editor.undo_step(self._undo_text):
                kind, name = fields.pop("kind"), fields.pop("name")
                result = self._editor.create_source(kind, name, **fields)
                source_id = result.source.id
                try:
                    self._then(source_id)
                except AnnotatorError as exc:
                    follow_up_error = str(exc)
        except AnnotatorError as exc:
            self._refuse(sentence(str(exc)), None)
            return
        self._finish(source_id, follow_up_error)

    def _finish(self, source_id: int, follow_up_error: str | None = None) -> None:
        self.saved_source_id = source_id
        self.source_saved.emit(source_id)
        if follow_up_error:
            self.follow_up_failed.emit(sentence(follow_up_error))
        self.accept()

    def _update(self, fields: dict[str, Any]) -> None:
        rec = self._record
        assert rec is not None
        changed = {k: v for k, v in fields.items() if getattr(rec, k) != v}
        if changed:
            try:
                self._editor.update_source(rec.id, **changed)
            except AnnotatorError as exc:
                self._refuse(sentence(str(exc)), None)
                return
        self._finish(rec.id)

    def _refuse(self, text: str, focus: QWidget | None) -> None:
        show_message(self.error_label, text)
        if focus is not None:
            focus.setFocus()


__all__ = ["KIND_LABELS", "SourceDialog", "SourcePicker"]

"""The source registry window: every person, organization, outlet and anonymous source.

A filterable table (name or alias, and kind) with the selected source's details beside it:
aliases are added and removed right there, everything else is edited in the
:class:`~ui.source_dialog.SourceDialog`. Two selected sources can be merged after a preview of the
quotes that will change. Every change is one undoable step through the
:class:`~ui.commands.Editor` (Ctrl+Z works in this window too), and the table follows
``editor.changed``, whichever window made the change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.records import SourceRecord
from annotator.service import OpResult
from ui.commands import Editor
from ui.source_dialog import KIND_LABELS, SourceDialog
from ui.source_models import (
    KINDS,
    SOURCE_ID_ROLE,
    MergePreviewModel,
    SourceFilterProxyModel,
    SourceTableModel,
    source_summary,
)
from ui.widgets import message_label, sentence, shortcut_text, show_message, small_button

log = logging.getLogger(__name__)

GEOMETRY_KEY = "sources_window/geometry"
SPLITTER_KEY = "sources_window/splitter"


def _plain_label(parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


# --------------------------------------------------------------------------------------------------
# Merge
# --------------------------------------------------------------------------------------------------


class MergeSourcesDialog(QDialog):
    """Merge two sources: choose which one stays, see the quotes that will change, confirm.

    The absorbed source's name and aliases become aliases of the survivor, and every quote,
    article and affiliation pointing to it moves to the survivor. One undo step.
    """

    sources_merged = Signal(int, int)  # survivor, absorbed

    def __init__(
        self,
        editor: Editor,
        first_id: int,
        second_id: int,
        *,
        survivor_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._service = editor.service
        self._records = {sid: self._service.source(sid) for sid in (first_id, second_id)}
        self._ids = (first_id, second_id)
        self.setWindowTitle("Merge duplicate sources")
        self.setMinimumSize(620, 380)

        intro = QLabel(
            "Which record should stay? The other one is folded into it: its name and aliases "
            "become aliases, and its quotes point to the one that stays.",
            self,
        )
        intro.setWordWrap(True)
        self.choice = QButtonGroup(self)
        self.radios: dict[int, QRadioButton] = {}
        radios = QVBoxLayout()
        for sid in self._ids:
            rec = self._records[sid]
            radio = QRadioButton(f"Keep “{rec.name}” ({source_summary(rec)})", self)  # plain text
            self.choice.addButton(radio, sid)
            self.radios[sid] = radio
            radios.addWidget(radio)
        self.summary_label = _plain_label(self)
        self.preview_model = MergePreviewModel(self)
        self.preview_view = QTableView(self)
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.verticalHeader().hide()
        self.preview_view.setWordWrap(False)
        self.preview_view.setAlternatingRowColors(True)
        header = self.preview_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 200)
        self.error_label = message_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setToolTip("Merge them (Ctrl+Z undoes it)")
        self.buttons.accepted.connect(self._on_merge_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(radios)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.preview_view, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        if survivor_id not in self._ids:
            survivor_id = first_id
        self.radios[survivor_id].setChecked(True)
        self.choice.idToggled.connect(self._on_choice_toggled)
        self._update_preview()

    def survivor_id(self) -> int:
        return self.choice.checkedId()

    def absorbed_id(self) -> int:
        return self._ids[1] if self.survivor_id() == self._ids[0] else self._ids[0]

    def set_survivor(self, source_id: int) -> None:
        self.radios[source_id].setChecked(True)

    def _on_choice_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update_preview()

    def _update_preview(self) -> None:
        keep, gone = self._records[self.survivor_id()], self._records[self.absorbed_id()]
        show_message(self.error_label, "")
        try:
            quotes = self._service.merge_preview(keep.id, gone.id)
            usage = self._service.source_usage(gone.id)
        except AnnotatorError as exc:
            show_message(self.error_label, sentence(str(exc)))
            return
        titles: dict[int, str] = {}
        for q in quotes:
            if q.article_id not in titles:
                try:
                    titles[q.article_id] = self._service.article(q.article_id).title
                except AnnotatorError:
                    titles[q.article_id] = f"article {q.article_id}"
        self.preview_model.set_quotes(quotes, gone.id, titles)
        parts = [f"{len(quotes)} quote(s) will change"]
        if usage["outlet_of"]:
            parts.append(f"{len(usage['outlet_of'])} article(s) will name “{keep.name}” as their outlet")
        if usage["affiliation_of"]:
            parts.append(f"{len(usage['affiliation_of'])} source(s) will be affiliated to “{keep.name}”")
        aliases = [gone.name, *gone.aliases]
        self.summary_label.setText(
            f"“{gone.name}” will be merged into “{keep.name}”, which gains the alias(es) "
            f"{', '.join('“' + a + '”' for a in aliases)}. " + "; ".join(parts) + ":"
        )

    def _on_merge_clicked(self) -> None:
        keep, gone = self.survivor_id(), self.absorbed_id()
        try:
            self._editor.merge_sources(keep, gone)
        except AnnotatorError as exc:
            show_message(self.error_label, sentence(str(exc)))
            return
        self.sources_merged.emit(keep, gone)
        self.accept()


# --------------------------------------------------------------------------------------------------
# The window
# --------------------------------------------------------------------------------------------------


class SourceDetailsPanel(QWidget):
    """The selected source: what it is, where it is used, and its aliases (added and removed here)."""

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._service = editor.service
        self._record: SourceRecord | None = None

        self.title_label = _plain_label(self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_label.setFont(font)
        self.summary_label = _plain_label(self)
        self.summary_label.setEnabled(False)
        self.affiliation_label = _plain_label(self)
        self.descriptor_label = _plain_label(self)
        self.nationality_label = _plain_label(self)
        self.external_ids_label = _plain_label(self, wrap=False)
        self.usage_label = _plain_label(self, wrap=False)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.addRow("Affiliation", self.affiliation_label)
        self.form.addRow("Described as", self.descriptor_label)
        self.form.addRow("Nationality", self.nationality_label)
        self.form.addRow("External ids", self.external_ids_label)
        self.form.addRow("Used in", self.usage_label)

        self.alias_model = QStringListModel(self)
        self.alias_view = QListView(self)
        self.alias_view.setModel(self.alias_model)
        self.alias_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.alias_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.alias_view.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 8)
        self.alias_edit = QLineEdit(self)
        self.alias_edit.setPlaceholderText("New alias, e.g. Zelenskyy")
        self.alias_edit.returnPressed.connect(self._on_add_alias)
        self.add_alias_button = small_button("Add alias", self, "Add the alias typed on the left (Enter)")
        self.add_alias_button.clicked.connect(self._on_add_alias)
        self.remove_alias_action = QAction("Remove alias", self)
        self.remove_alias_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_alias_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_alias_action.setToolTip(
            f"Remove the selected aliases ({shortcut_text(QKeySequence.StandardKey.Delete)})"
        )
        self.remove_alias_action.triggered.connect(self._on_remove_aliases)
        self.alias_view.addAction(self.remove_alias_action)
        self.remove_alias_button = small_button("", self)
        self.remove_alias_button.setDefaultAction(self.remove_alias_action)
        alias_row = QHBoxLayout()
        alias_row.addWidget(self.alias_edit, 1)
        alias_row.addWidget(self.add_alias_button)
        alias_row.addWidget(self.remove_alias_button)

        self.message = message_label(self)

        self.placeholder = QLabel(
            "Select a source to see its details.\nSelect two (Ctrl+click) to merge them.", self
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)

        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title_label, 1)
        body.addLayout(head)
        body.addWidget(self.summary_label)
        body.addLayout(self.form)
        aliases_title = QLabel("Also known as", self.body)
        aliases_title.setBuddy(self.alias_edit)
        body.addWidget(aliases_title)
        body.addWidget(self.alias_view)
        body.addLayout(alias_row)
        body.addWidget(self.message)
        body.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.body)
        self.set_source(None)

    def source_id(self) -> int | None:
        return self._record.id if self._record is not None else None

    def set_source(self, record: SourceRecord | None, *, placeholder: str | None = None) -> None:
        changed = (record.id if record else None) != self.source_id()
        self._record = record
        if changed:
            show_message(self.message, "")
            self.alias_edit.clear()
        self.body.setVisible(record is not None)
        self.placeholder.setVisible(record is None)
        if placeholder is not None:
            self.placeholder.setText(placeholder)
        if record is None:
            return
        self.title_label.setText(record.name)
        self.summary_label.setText(source_summary(record))
        aff = ""
        if record.affiliation_id is not None:
            try:
                aff = self._service.source(record.affiliation_id).name
            except AnnotatorError:
                aff = f"#{record.affiliation_id}"
        self._set_row(self.affiliation_label, aff)
        self._set_row(self.descriptor_label, record.descriptor or "")
        self._set_row(self.nationality_label, record.nationality or "")
        self._set_row(self.external_ids_label, "\n".join(f"{s}: {v}" for s, v in record.external_ids))
        try:
            usage = self._service.source_usage(record.id)
        except AnnotatorError:
            usage = {"speaker_of": [], "hop_of": [], "outlet_of": [], "affiliation_of": []}
        parts = []
        if usage["speaker_of"]:
            parts.append(f"speaker of {len(usage['speaker_of'])} quote(s)")
        if usage["hop_of"]:
            parts.append(f"intermediary in {len(usage['hop_of'])} quote(s)")
        if usage["outlet_of"]:
            parts.append(f"outlet of {len(usage['outlet_of'])} article(s)")
        if usage["affiliation_of"]:
            parts.append(f"affiliation of {len(usage['affiliation_of'])} source(s)")
        self.usage_label.setText("\n".join(parts) if parts else "nothing yet")
        self.alias_model.setStringList(list(record.aliases))

    def _set_row(self, label: QLabel, text: str) -> None:
        label.setText(text)
        self.form.setRowVisible(label, bool(text))

    def _on_add_alias(self) -> None:
        rec = self._record
        alias = self.alias_edit.text().strip()
        if rec is None or not alias:
            return
        try:
            self._editor.update_source(rec.id, aliases=[*rec.aliases, alias])
        except AnnotatorError as exc:
            show_message(self.message, sentence(str(exc)))
            return
        show_message(self.message, "")
        self.alias_edit.clear()

    def _on_remove_aliases(self) -> None:
        rec = self._record
        rows = {i.row() for i in self.alias_view.selectionModel().selectedIndexes()}
        if rec is None or not rows:
            return
        gone = {self.alias_model.stringList()[r] for r in rows}
        try:
            self._editor.update_source(rec.id, aliases=[a for a in rec.aliases if a not in gone])
        except AnnotatorError as exc:
            show_message(self.message, sentence(str(exc)))
            return
        show_message(self.message, "")


class SourcesWindow(QWidget):
    """The source registry in its own top-level window, kept open beside the main window."""

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._editor = editor
        self._service = editor.service
        self.source_dialog: SourceDialog | None = None
        """The new/edit source dialog while it is open."""
        self.merge_dialog: MergeSourcesDialog | None = None
        """The merge dialog while it is open."""
        self.setWindowTitle("Sources — Quote Annotator")
        self.resize(1280, 640)

        self.model = SourceTableModel(self._service, self)
        self.proxy = SourceFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        # -- filter bar and buttons
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by name or alias…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            f"Show sources whose name or alias contains this ({shortcut_text('Ctrl+F')})"
        )
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("All kinds", None)
        for k in KINDS:
            self.kind_combo.addItem(KIND_LABELS.get(k, k).split(" (")[0], k)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)

        self.new_action = self._action("New source…", "Add a source to the registry", self._on_new, "Ctrl+N")
        self.edit_action = self._action("Edit…", "Edit the selected source", self._on_edit, "F2")
        self.merge_action = self._action(
            "Merge…", "Merge the two selected sources (duplicates) into one", self._on_merge, "Ctrl+M"
        )
        self.delete_action = self._action(
            "Delete",
            "Delete the selected source (only when no quote or article uses it)",
            self._on_delete,
            QKeySequence(QKeySequence.StandardKey.Delete).toString(),
        )
        self.filter_action = self._action("Filter", "Filter", self._on_focus_filter, "Ctrl+F")
        self.close_action = self._action(
            "Close", "Close this window", self.close, QKeySequence(QKeySequence.StandardKey.Close).toString()
        )
        self.undo_action = editor.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = editor.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.addActions([self.undo_action, self.redo_action])

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.kind_combo)
        bar.addStretch(1)
        self.buttons: dict[str, QWidget] = {}
        for key, act in (
            ("new", self.new_action),
            ("edit", self.edit_action),
            ("merge", self.merge_action),
            ("delete", self.delete_action),
        ):
            b = small_button("", self)
            b.setDefaultAction(act)
            self.buttons[key] = b
            bar.addWidget(b)

        # -- table
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SourceTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        widths = {
            SourceTableModel.KIND: 95,
            SourceTableModel.NAME: 190,
            SourceTableModel.ROLE: 120,
            SourceTableModel.AFFILIATION: 140,
            SourceTableModel.DESCRIPTOR: 120,
        }
        for col, w in widths.items():
            header.resizeSection(col, w)
        header.setSectionResizeMode(SourceTableModel.ALIASES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SourceTableModel.QUOTES, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.activated.connect(lambda _i: self._on_edit())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.addAction(self.delete_action)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.removeAction(self.delete_action)

        self.details = SourceDetailsPanel(editor, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([920, 360])
        self.splitter.setChildrenCollapsible(False)

        self.message = message_label(self)
        self.count_label = _plain_label(self, wrap=False)
        self.count_label.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.count_label)

        QWidget.setTabOrder(self.filter_edit, self.kind_combo)
        QWidget.setTabOrder(self.kind_combo, self.table)
        QWidget.setTabOrder(self.table, self.details)

        editor.changed.connect(self._on_editor_changed)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.reload()
        self._restore_geometry()

    def _action(self, text: str, tip: str, slot: Callable[[], object], key: str | None = None) -> QAction:
        act = QAction(text, self)
        if key:
            act.setShortcut(QKeySequence(key))
            tip = f"{tip} ({shortcut_text(key)})"
        act.setToolTip(tip)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    # == data ===================================================================================

    def reload(self) -> None:
        """Read the whole registry again (keeps the selection)."""
        keep = self.selected_source_ids()
        self.model.reload()
        self.select_sources(keep)
        self._update_count()
        self._on_selection_changed()

    def _on_editor_changed(self, result: OpResult) -> None:
        if not (result.ids("source") or result.ids("quote")):
            return
        keep = self.selected_source_ids()
        self.model.apply(result)
        if keep != self.selected_source_ids():
            self.select_sources([k for k in keep if self.model.row_of(k) is not None])
        self._on_selection_changed()

    def _update_count(self, *_: object) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count_label.setText(f"{total} sources" if shown == total else f"{shown} of {total} sources")

    # == selection ==============================================================================

    def selected_source_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(self.proxy.data(i, SOURCE_ID_ROLE)) for i in sorted(rows, key=lambda i: i.row())]

    def select_sources(self, source_ids: list[int]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        first = True
        for sid in source_ids:
            row = self.model.row_of(sid)
            if row is None:
                continue
            idx = self.proxy.mapFromSource(self.model.index(row, 0))
            if not idx.isValid():
                continue
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            if first:
                sel.setCurrentIndex(idx, flags)
                self.table.scrollTo(idx)
                first = False
            else:
                sel.select(idx, flags)

    def _on_selection_changed(self, *_: object) -> None:
        ids = self.selected_source_ids()
        self.edit_action.setEnabled(len(ids) == 1)
        self.delete_action.setEnabled(len(ids) >= 1)
        self.merge_action.setEnabled(len(ids) == 2)
        if len(ids) == 1:
            self.details.set_source(self.model.record_by_id(ids[0]))
        elif len(ids) == 2:
            self.details.set_source(
                None,
                placeholder=f"Two sources selected: Merge… ({shortcut_text('Ctrl+M')}) "
                "folds one into the other.",
            )
        else:
            self.details.set_source(
                None,
                placeholder="Select a source to see its details.\nSelect two (Ctrl+click) to merge them.",
            )

    # == filter =================================================================================

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _on_kind_changed(self, _index: int) -> None:
        self.proxy.set_kind(self.kind_combo.currentData())
        self._update_count()

    def _on_focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # == actions ================================================================================

    def _say(self, text: str) -> None:
        show_message(self.message, sentence(text) if text else "")

    def _open_source_dialog(self, dialog: SourceDialog) -> None:
        if self.source_dialog is not None:
            self.source_dialog.close()
        self.source_dialog = dialog
        dialog.source_saved.connect(lambda sid: self.select_sources([sid]))
        dialog.finished.connect(lambda _r: self._on_source_dialog_finished(dialog))
        dialog.open()

    def _on_source_dialog_finished(self, dialog: SourceDialog) -> None:
        if self.source_dialog is dialog:
            self.source_dialog = None
        dialog.deleteLater()
        self.table.setFocus()

    def _on_new(self) -> None:
        self._say("")
        name = self.filter_edit.text().strip()
        shown = name and any(
            self.model.record(r).name.casefold() == name.casefold() for r in range(self.model.rowCount())
        )
        self._open_source_dialog(SourceDialog(self._editor, name="" if shown else name, parent=self))

    def _on_edit(self) -> None:
        ids = self.selected_source_ids()
        if len(ids) != 1:
            return
        self._say("")
        self._open_source_dialog(SourceDialog(self._editor, ids[0], parent=self))

    def _on_delete(self) -> None:
        ids = self.selected_source_ids()
        if not ids:
            return
        refusals: list[str] = []
        deleted = 0

        def delete_each() -> None:
            nonlocal deleted
            for sid in ids:
                try:
                    self._editor.delete_source(sid)
                    deleted += 1
                except AnnotatorError as exc:
                    refusals.append(sentence(str(exc)))

        if len(ids) == 1:
            delete_each()
        else:
            with self._editor.undo_step(f"delete {len(ids)} sources"):
                delete_each()
        if refusals:
            self._say(" ".join(refusals))
        else:
            what = "1 source" if deleted == 1 else f"{deleted} sources"
            self._say(f"Deleted {what}. {shortcut_text(QKeySequence.StandardKey.Undo)} brings it back.")

    def _on_merge(self) -> None:
        ids = self.selected_source_ids()
        if len(ids) != 2:
            self._say("Select exactly two sources to merge (Ctrl+click the second one).")
            return
        self._say("")
        a, b = ids
        ca, cb = self.model.quote_count(a), self.model.quote_count(b)
        survivor = a if (ca, -a) >= (cb, -b) else b  # the one used most (the older on a tie) stays
        if self.merge_dialog is not None:
            self.merge_dialog.close()
        dialog = MergeSourcesDialog(self._editor, a, b, survivor_id=survivor, parent=self)
        dialog.sources_merged.connect(self._on_sources_merged)
        dialog.finished.connect(lambda _r: self._on_merge_dialog_finished(dialog))
        self.merge_dialog = dialog
        dialog.open()

    def _on_merge_dialog_finished(self, dialog: MergeSourcesDialog) -> None:
        if self.merge_dialog is dialog:
            self.merge_dialog = None
        dialog.deleteLater()

    def _on_sources_merged(self, survivor: int, absorbed: int) -> None:
        self.select_sources([survivor])
        self._say(f"Merged. {shortcut_text(QKeySequence.StandardKey.Undo)} takes it back.")

    # == window state ===========================================================================

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        state = settings.value(SPLITTER_KEY)
        if isinstance(state, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(state))

    def _save_geometry(self) -> None:
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(SPLITTER_KEY, self.splitter.saveState())

    def hideEvent(self, event: QHideEvent) -> None:
        self._save_geometry()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_geometry()
        super().closeEvent(event)


__all__ = ["MergeSourcesDialog", "SourceDetailsPanel", "SourcesWindow"]

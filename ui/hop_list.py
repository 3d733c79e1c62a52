"""The intermediaries of one quote, as the inspector lists them: model, view and relation editor.

:class:`HopListModel` holds :class:`HopRow` values (ids plus the text each column shows, row 0
nearest the speaker). Edits made in the list go through the :class:`~ui.commands.Editor`: the
relation column is editable (``update_hop``) and rows are reordered by drag and drop
(``move_hop``). The rows themselves change only when the inspector calls :meth:`set_chain`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.model import RELATIONS
from annotator.records import Span
from ui.commands import Editor
from ui.plaintext import clip, tooltip
from ui.source_models import SOURCE_ID_ROLE
from ui.table_model import RowTableModel
from ui.widgets import sentence

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class HopRow:
    """One hop as the list shows it: ids plus the values cached for display."""

    source_id: int
    label: str
    kind: str
    relation: str
    evidence: Span | None
    evidence_text: str


class HopListModel(RowTableModel):
    """The ordered intermediaries of one quote (row 0 is nearest the speaker).

    Edits made in the view go through the editor: the relation column is editable
    (``update_hop``) and rows are reordered by drag and drop (``move_hop``). A refused edit emits
    ``edit_refused`` with the reason; the rows themselves change only through :meth:`set_chain`,
    which the inspector calls when ``editor.changed`` reports the quote.
    """

    COLUMNS = ("#", "Intermediary", "Relation", "Evidence")
    POSITION, SOURCE, RELATION, EVIDENCE = range(4)
    MIME_TYPE = "application/x-quote-annotator-hop"

    edit_refused = Signal(str)
    hop_moved = Signal(int, int)  # from row, to row

    def __init__(self, editor: Editor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._quote_id: int | None = None
        self._rows: list[HopRow] = []

    def set_chain(self, quote_id: int | None, rows: list[HopRow]) -> None:
        if quote_id == self._quote_id and len(rows) == len(self._rows):
            self._rows = list(rows)
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.COLUMNS) - 1))
            return
        self.beginResetModel()
        self._quote_id = quote_id
        self._rows = list(rows)
        self.endResetModel()

    def quote_id(self) -> int | None:
        return self._quote_id

    def hop(self, row: int) -> HopRow:
        return self._rows[row]

    # -- reading (row and column counts and the header: RowTableModel) ---------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        hop, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.POSITION:
                return str(index.row() + 1)
            if col == self.SOURCE:
                return hop.label
            if col == self.RELATION:
                return hop.relation
            if col == self.EVIDENCE:
                return clip(hop.evidence_text, 40) if hop.evidence else "—"
        if role == Qt.ItemDataRole.EditRole and col == self.RELATION:
            return hop.relation
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.SOURCE:
                return tooltip(f"{hop.label} ({hop.kind})")
            if col == self.RELATION:
                return tooltip("Double-click or F2 to change the relation")
            if col == self.EVIDENCE:
                if hop.evidence:
                    return tooltip(f"“{hop.evidence_text}”\nClick to show it in the article")
                return tooltip("No evidence yet: select it in the article, then Ctrl+Shift+E")
        if role == SOURCE_ID_ROLE:
            return hop.source_id
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.POSITION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if index.column() == self.RELATION:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    # -- editing -------------------------------------------------------------------------------

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.RELATION:
            return False
        if self._quote_id is None or not 0 <= index.row() < len(self._rows):
            return False
        relation = str(value or "").strip()
        if relation == self._rows[index.row()].relation:
            return False
        try:
            self._editor.update_hop(self._quote_id, index.row(), relation=relation)
        except AnnotatorError as exc:
            self.edit_refused.emit(sentence(str(exc)))
            return False
        return True

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [self.MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        payload = {"quote": self._quote_id, "row": rows[0] if rows else -1}
        mime.setData(self.MIME_TYPE, QByteArray(json.dumps(payload).encode()))
        return mime

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        """A hop dragged within the list: moved with ``move_hop`` (one undo step).

        ``row`` is where it was dropped (before that row; -1 = at the end). The view's own
        removal of the dragged row that follows a move is a no-op here (``removeRows`` is not
        supported): the chain is rewritten by the editor, not by the view.
        """
        if action != Qt.DropAction.MoveAction or not data.hasFormat(self.MIME_TYPE) or self._quote_id is None:
            return False
        try:
            payload = json.loads(bytes(data.data(self.MIME_TYPE).data()).decode())
        except ValueError:
            return False
        src = payload.get("row", -1)
        if payload.get("quote") != self._quote_id or not 0 <= src < len(self._rows):
            return False
        target = parent.row() if parent.isValid() else (len(self._rows) if row < 0 else row)
        dest = target - 1 if target > src else target
        dest = max(0, min(dest, len(self._rows) - 1))
        if dest == src:
            return False
        try:
            self._editor.move_hop(self._quote_id, src, dest)
        except AnnotatorError as exc:
            self.edit_refused.emit(sentence(str(exc)))
            return False
        self.hop_moved.emit(src, dest)
        return True


class RelationDelegate(QStyledItemDelegate):
    """Edits a hop's relation in an editable combo: the suggested relations, or free text."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(list(RELATIONS))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        line_edit = editor.lineEdit()
        if line_edit is not None:
            line_edit.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText().strip(), Qt.ItemDataRole.EditRole)


class HopTableView(QTableView):
    """The intermediaries list: one row per hop, reordered by drag and drop or with the keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTabKeyNavigation(False)  # Tab leaves the list, as everywhere else in the form
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setShowGrid(False)
        self.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)

    def sizeHint(self) -> QSize:
        rows = max(2, min(self.model().rowCount() if self.model() else 0, 6))
        h = self.horizontalHeader().height() + rows * self.verticalHeader().defaultSectionSize() + 4
        return QSize(super().sizeHint().width(), h)

    def minimumSizeHint(self) -> QSize:
        return QSize(
            120, self.horizontalHeader().height() + 2 * self.verticalHeader().defaultSectionSize() + 4
        )


__all__ = ["HopListModel", "HopRow", "HopTableView", "RelationDelegate"]

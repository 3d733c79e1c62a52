"""Quote tables: the current article's quotes, and every quote of the database with a search.

:class:`QuoteTableModel` holds :class:`QuoteRow` values (ids plus the text each column shows),
built from the service's records by :func:`quote_row`; it never holds ORM objects. Both tables sort
by any column; the "All quotes" panel filters by speaker, text, status and outlet. Double-click (or
Enter) on a row asks the window to show that quote in its article.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.wording import quote_chain_text
from ui.plaintext import one_line, tooltip
from ui.reader import STATUS_COLOURS, STATUS_LABELS, STATUSES
from ui.table_model import RowTableModel
from ui.widgets import select_row

if TYPE_CHECKING:
    from annotator.records import QuoteRecord, SourceRecord

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class QuoteRow:
    """One quote as a table shows it."""

    id: int
    article_id: int
    start: int
    end: int
    type: str
    text: str
    speaker: str
    chain: str
    status: str
    article_title: str = ""
    outlet: str = ""


def chain_text(
    record: QuoteRecord, sources: Mapping[int, SourceRecord], outlet: SourceRecord | None = None
) -> str:
    """``Moscow ← a Turkish official ← CNN ← El País`` (:func:`annotator.wording.quote_chain_text`)."""
    if outlet is None:
        return quote_chain_text(record, sources)
    if sources.get(outlet.id) == outlet:
        return quote_chain_text(record, sources, outlet.id)
    return quote_chain_text(record, ChainMap({outlet.id: outlet}, dict(sources)), outlet.id)


def quote_row(
    record: QuoteRecord,
    sources: Mapping[int, SourceRecord],
    *,
    outlet: SourceRecord | None = None,
    article_title: str = "",
    chain: str | None = None,
) -> QuoteRow:
    """The row of one quote; ``chain`` is its :func:`chain_text` when the caller has it already."""
    speaker_rec = sources.get(record.speaker_id) if record.speaker_id is not None else None
    speaker = speaker_rec.label if speaker_rec is not None else ""
    return QuoteRow(
        id=record.id,
        article_id=record.article_id,
        start=record.start,
        end=record.end,
        type=record.type,
        text=record.text,
        speaker=speaker,
        chain=chain if chain is not None else chain_text(record, sources, outlet),
        status=record.status,
        article_title=article_title,
        outlet=outlet.label if outlet is not None else "",
    )


class QuoteTableModel(RowTableModel):
    """Quotes with the columns named in ``columns`` (see :attr:`HEADERS`).

    The model sorts itself (:meth:`sort`, one Python ``sort`` with a key: a sort proxy would call
    back into Python for every comparison, seconds for 10,000 quotes) and keeps its order as rows
    are added, changed and removed.
    """

    HEADERS = {
        "span": "Span",
        "type": "Type",
        "text": "Quote",
        "speaker": "Speaker",
        "chain": "Chain",
        "status": "Status",
        "article": "Article",
        "outlet": "Outlet",
    }
    ARTICLE_COLUMNS = ("span", "type", "text", "speaker", "chain", "status")
    ALL_COLUMNS = ("text", "speaker", "chain", "status", "type", "article", "outlet", "span")

    def __init__(self, columns: Sequence[str] = ARTICLE_COLUMNS, parent: Any = None) -> None:
        super().__init__(parent)
        unknown = set(columns) - set(self.HEADERS)
        if unknown:
            raise ValueError(f"unknown columns {sorted(unknown)}")
        self.columns = tuple(columns)
        self.COLUMNS = tuple(self.HEADERS[c] for c in self.columns)
        self._rows: list[QuoteRow] = []
        self._row_of: dict[int, int] = {}
        self._sort_column = "span" if "span" in self.columns else self.columns[0]
        self._descending = False

    # -- order ------------------------------------------------------------------------------------

    def _key(self, r: QuoteRow) -> tuple[Any, ...]:
        return (self._sort_key(r, self._sort_column), r.article_id, r.start, r.end, r.id)

    def _ordered(self, rows: list[QuoteRow]) -> list[QuoteRow]:
        return sorted(rows, key=self._key, reverse=self._descending)

    def _position(self, row: QuoteRow, rows: list[QuoteRow]) -> int:
        """Where ``row`` goes in ``rows`` (which are in order)."""
        key = self._key(row)
        lo, hi = 0, len(rows)
        while lo < hi:
            mid = (lo + hi) // 2
            other = self._key(rows[mid])
            if (other > key) if self._descending else (other < key):
                lo = mid + 1
            else:
                hi = mid
        return lo

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort_column = self.columns[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[i.row()].id if 0 <= i.row() < len(self._rows) else None for i in persistent]
        self._rows = self._ordered(self._rows)
        self._reindex()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(self._row_of[qid], i.column()) if qid is not None else QModelIndex()
                for qid, i in zip(ids, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    # -- filling ----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[QuoteRow]) -> None:
        self.beginResetModel()
        self._rows = self._ordered(list(rows))
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row_of = {r.id: i for i, r in enumerate(self._rows)}

    def upsert(self, row: QuoteRow) -> None:
        """Add the quote, or update it, in its place in the order."""
        i = self._row_of.get(row.id)
        if i is None:
            n = self._position(row, self._rows)
            self.beginInsertRows(QModelIndex(), n, n)
            self._rows.insert(n, row)
            self._reindex()
            self.endInsertRows()
            return
        if self._rows[i] == row:
            return
        rest = self._rows[:i] + self._rows[i + 1 :]
        n = self._position(row, rest)
        if n != i:  # its sort key moved it: a move keeps the selection on it
            self.beginMoveRows(QModelIndex(), i, i, QModelIndex(), n if n < i else n + 1)
            rest.insert(n, row)
            self._rows = rest
            self._reindex()
            self.endMoveRows()
        else:
            self._rows[i] = row
        self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.columns) - 1))

    def remove(self, quote_id: int) -> None:
        i = self._row_of.get(quote_id)
        if i is None:
            return
        self.beginRemoveRows(QModelIndex(), i, i)
        del self._rows[i]
        self._reindex()
        self.endRemoveRows()

    def row_of(self, quote_id: int) -> int | None:
        return self._row_of.get(quote_id)

    def quote(self, row: int) -> QuoteRow:
        return self._rows[row]

    def quote_by_id(self, quote_id: int) -> QuoteRow | None:
        i = self._row_of.get(quote_id)
        return self._rows[i] if i is not None else None

    def rows(self) -> list[QuoteRow]:
        return list(self._rows)

    # -- Qt model (row and column counts and the header: RowTableModel) -------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in ("text", "span"):
                return tooltip(r.text)
            if col == "chain" or col == "speaker":
                return tooltip(r.chain)
            if col == "article":
                return tooltip(r.article_title)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and col == "status":
            return QColor(STATUS_COLOURS.get(r.status, "#ffffff"))
        if role == Qt.ItemDataRole.ForegroundRole and col == "status":
            return QColor("#202020")
        if role == Qt.ItemDataRole.TextAlignmentRole and col == "span":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(r: QuoteRow, col: str) -> str:
        if col == "span":
            return f"{r.start}–{r.end}"
        if col == "type":
            return r.type
        if col == "text":
            return one_line(r.text)
        if col == "speaker":
            return r.speaker
        if col == "chain":
            return r.chain
        if col == "status":
            return STATUS_LABELS.get(r.status, r.status)
        if col == "article":
            return r.article_title
        return r.outlet

    @staticmethod
    def _sort_key(r: QuoteRow, col: str) -> Any:
        if col == "span":
            return (r.article_id, r.start, r.end, r.id)
        if col == "status":
            return STATUSES.index(r.status) if r.status in STATUSES else len(STATUSES)
        value = {
            "type": r.type,
            "text": r.text,
            "speaker": r.speaker,
            "chain": r.chain,
            "article": r.article_title,
            "outlet": r.outlet,
        }[col]
        return value.casefold()


class QuoteSortProxy(QSortFilterProxyModel):
    """Filters quote rows by text, speaker (anyone in the chain), status and outlet; sorting is
    passed to the :class:`QuoteTableModel` itself (the proxy keeps its order)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(True)
        self._text = ""
        self._speaker = ""
        self._status = ""
        self._outlet = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, QuoteTableModel):
            model.sort(column, order)  # column numbers are the same: the proxy never moves columns
        else:
            super().sort(column, order)

    def set_filters(self, *, text: str = "", speaker: str = "", status: str = "", outlet: str = "") -> None:
        new = (text.casefold().strip(), speaker.casefold().strip(), status, outlet.casefold().strip())
        if new == (self._text, self._speaker, self._status, self._outlet):
            return
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._text, self._speaker, self._status, self._outlet = new
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # PySide6 < 6.9
            self._text, self._speaker, self._status, self._outlet = new
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        if not (self._text or self._speaker or self._status or self._outlet):
            return True
        model = self.sourceModel()
        if not isinstance(model, QuoteTableModel):
            return True
        r = model.quote(source_row)
        if self._status and r.status != self._status:
            return False
        if self._text and self._text not in r.text.casefold():
            return False
        if self._speaker and self._speaker not in r.chain.casefold():
            return False
        return not (self._outlet and self._outlet not in r.outlet.casefold())


def _table(parent: QWidget, proxy: QSortFilterProxyModel, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(False)
    return view


class QuoteTablePanel(QWidget):
    """A sortable table of quote rows. ``quote_selected`` follows the current row; ``quote_activated``
    is a double-click or Enter."""

    quote_selected = Signal(int)
    quote_activated = Signal(int)

    def __init__(
        self,
        columns: Sequence[str] = QuoteTableModel.ARTICLE_COLUMNS,
        parent: QWidget | None = None,
        name: str = "quotes_view",
    ) -> None:
        super().__init__(parent)
        self.model = QuoteTableModel(columns, self)
        self.proxy = QuoteSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = _table(self, self.proxy, name)
        self.view.sortByColumn(
            self.model.columns.index("span") if "span" in columns else 0, Qt.SortOrder.AscendingOrder
        )
        # Fixed starting widths (sizing columns to their contents reads every row: slow for
        # thousands of quotes); the quote and the chain share the rest. The user can drag them.
        header = self.view.horizontalHeader()
        em = self.view.fontMetrics().horizontalAdvance("M")
        widths = {"span": 8, "type": 6, "speaker": 11, "status": 8, "article": 16, "outlet": 10}
        for i, col in enumerate(self.model.columns):
            if col in ("text", "chain"):
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(i, widths.get(col, 8) * em)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.view.activated.connect(self._on_row_activated)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.view, 1)
        self._quiet = False

    def set_rows(self, rows: Sequence[QuoteRow]) -> None:
        current = self.current_quote_id()
        self._quiet = True
        try:
            self.model.set_rows(rows)
            if current is not None:
                self.select_quote(current)
        finally:
            self._quiet = False

    def upsert(self, row: QuoteRow) -> None:
        """Add or update one row, keeping the current row (and emitting nothing)."""
        was_quiet, self._quiet = self._quiet, True
        try:
            self.model.upsert(row)
        finally:
            self._quiet = was_quiet

    def remove(self, quote_id: int) -> None:
        """Drop one row without moving the current quote to a neighbour (and emitting nothing)."""
        was_quiet, self._quiet = self._quiet, True
        try:
            if self.current_quote_id() == quote_id:
                self.view.selectionModel().clear()
                self.view.setCurrentIndex(QModelIndex())
            self.model.remove(quote_id)
        finally:
            self._quiet = was_quiet

    def current_quote_id(self) -> int | None:
        index = self.view.currentIndex()
        return int(self.proxy.data(index, ID_ROLE)) if index.isValid() else None

    def select_quote(self, quote_id: int | None) -> None:
        """Make ``quote_id`` the current row (None: no row) without emitting ``quote_selected``."""
        was_quiet, self._quiet = self._quiet, True
        try:
            if quote_id is None:
                self.view.selectionModel().clear()
                return
            row = self.model.row_of(quote_id)
            if row is None:
                self.view.selectionModel().clear()
                return
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                select_row(self.view, index)
        finally:
            self._quiet = was_quiet

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.quote_selected.emit(int(self.proxy.data(current, ID_ROLE)))

    def _on_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.quote_activated.emit(int(self.proxy.data(index, ID_ROLE)))


class AllQuotesPanel(QuoteTablePanel):
    """Every quote of the database, searched by text, speaker (anyone in the chain), status, outlet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QuoteTableModel.ALL_COLUMNS, parent, name="all_quotes_view")
        self.view.sortByColumn(self.model.columns.index("article"), Qt.SortOrder.AscendingOrder)
        self.text_edit = QLineEdit(self)
        self.text_edit.setPlaceholderText("Quote text contains…")
        self.speaker_edit = QLineEdit(self)
        self.speaker_edit.setPlaceholderText("Speaker or source…")
        self.status_combo = QComboBox(self)
        self.status_combo.addItem("Any status", "")
        for status in STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.outlet_edit = QLineEdit(self)
        self.outlet_edit.setPlaceholderText("Outlet…")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        bar.addWidget(self.text_edit, 3)
        bar.addWidget(self.speaker_edit, 2)
        bar.addWidget(self.status_combo, 1)
        bar.addWidget(self.outlet_edit, 1)
        for edit in (self.text_edit, self.speaker_edit, self.outlet_edit):
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._on_filters_changed)
        self.status_combo.currentIndexChanged.connect(self._on_filters_changed)
        self._layout.insertLayout(0, bar)

    def _on_filters_changed(self) -> None:
        self.proxy.set_filters(
            text=self.text_edit.text(),
            speaker=self.speaker_edit.text(),
            status=self.status_combo.currentData() or "",
            outlet=self.outlet_edit.text(),
        )

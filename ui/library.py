"""The library panel: every article of the database with its quote counts, filtered as you type.

:class:`ArticleTableModel` holds plain cached rows (ids and values), never ORM objects; the window
refills it from :meth:`annotator.service.Service.articles` after imports and edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.plaintext import tooltip
from ui.table_model import RowTableModel
from ui.widgets import select_row

if TYPE_CHECKING:
    from annotator.service import ArticleSummary

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ArticleRow:
    """One article as the library shows it."""

    id: int
    title: str
    outlet: str
    published: str
    quotes: int
    verified: int
    needs_review: int
    filename: str

    @classmethod
    def from_summary(cls, s: ArticleSummary) -> ArticleRow:
        a = s.article
        return cls(
            a.id,
            a.title,
            s.outlet or "",
            a.published or "",
            s.quotes,
            s.verified,
            s.needs_review,
            a.filename or "",
        )


class ArticleTableModel(RowTableModel):
    """Articles: title, outlet, date, number of quotes, number verified."""

    COLUMNS = ("Title", "Outlet", "Date", "Quotes", "Verified")
    RIGHT_ALIGNED = frozenset({3, 4})  # Quotes, Verified
    TITLE, OUTLET, DATE, QUOTES, VERIFIED = range(5)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ArticleRow] = []
        self._row_of: dict[int, int] = {}

    # -- filling ----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[ArticleRow]) -> None:
        """Replace the rows; rows whose id and values did not change keep their place quietly."""
        rows = list(rows)
        if [r.id for r in rows] == [r.id for r in self._rows]:
            for i, row in enumerate(rows):
                if row != self._rows[i]:
                    self._rows[i] = row
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self._row_of = {r.id: i for i, r in enumerate(rows)}
        self.endResetModel()

    def row_of(self, article_id: int) -> int | None:
        return self._row_of.get(article_id)

    def article(self, row: int) -> ArticleRow:
        return self._rows[row]

    def article_by_id(self, article_id: int) -> ArticleRow | None:
        i = self._row_of.get(article_id)
        return self._rows[i] if i is not None else None

    def ids(self) -> list[int]:
        return [r.id for r in self._rows]

    # -- Qt model ---------------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.title, r.outlet, r.published, str(r.quotes), str(r.verified))[col]
        if role == SORT_ROLE:
            return (r.title.casefold(), r.outlet.casefold(), r.published, r.quotes, r.verified)[col]
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [r.title]
            if r.outlet or r.published:
                lines.append(" · ".join(x for x in (r.outlet, r.published) if x))
            lines.append(f"{r.quotes} quotes: {r.verified} verified, {r.needs_review} to review")
            if r.filename:
                lines.append(f"from {r.filename}")
            return tooltip("\n".join(lines))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.QUOTES, self.VERIFIED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ArticleTitleDelegate(QStyledItemDelegate):
    """The title cell on two lines: the title, then "outlet · date" in a quieter colour.

    The text is drawn with ``drawText`` (never interpreted as markup) and elided to the cell.
    """

    PADDING = 4

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        model = index.model()
        outlet = model.index(index.row(), ArticleTableModel.OUTLET).data() or ""
        date = model.index(index.row(), ArticleTableModel.DATE).data() or ""
        meta = " · ".join(x for x in (outlet, date) if x)
        rect = opt.rect.adjusted(self.PADDING + 2, self.PADDING, -self.PADDING, -self.PADDING)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active
            if opt.state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        main = opt.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        quiet = opt.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        fm = opt.fontMetrics
        line = fm.height()
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(main)
        painter.drawText(
            rect.x(),
            rect.y(),
            rect.width(),
            line,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            fm.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        small = opt.font
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        painter.setFont(small)
        painter.setPen(quiet)
        painter.drawText(
            rect.x(),
            rect.y() + line,
            rect.width(),
            line,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            painter.fontMetrics().elidedText(meta, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> Any:  # noqa: N802
        size = super().sizeHint(option, index)
        size.setHeight(2 * option.fontMetrics.height() + 2 * self.PADDING + 2)
        return size


class LibraryPanel(QWidget):
    """A filter box over a sortable table of articles; choosing a row asks for that article."""

    article_chosen = Signal(int)
    """The user moved to an article (click, keyboard, Enter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ArticleTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter articles by title, outlet or date")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_changed)

        self.view = QTableView(self)
        self.view.setObjectName("library_view")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(ArticleTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(2 * self.view.fontMetrics().height() + 12)
        self.view.setShowGrid(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Outlet and date are the title cell's second line (and still filtered and sorted on).
        self.title_delegate = ArticleTitleDelegate(self.view)
        self.view.setItemDelegateForColumn(ArticleTableModel.TITLE, self.title_delegate)
        self.view.setColumnHidden(ArticleTableModel.OUTLET, True)
        self.view.setColumnHidden(ArticleTableModel.DATE, True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ArticleTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for col in (ArticleTableModel.QUOTES, ArticleTableModel.VERIFIED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.view.activated.connect(self._on_row_activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)
        self._quiet = False

    def set_articles(self, summaries: Sequence[ArticleSummary]) -> None:
        """Show these articles, keeping the current one selected."""
        current = self.current_article_id()
        self._quiet = True
        try:
            self.model.set_rows([ArticleRow.from_summary(s) for s in summaries])
            if current is not None:
                self.select_article(current)
        finally:
            self._quiet = False

    def current_article_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return int(self.proxy.data(index, ID_ROLE))

    def select_article(self, article_id: int | None) -> None:
        """Make ``article_id`` the current row without asking for it again."""
        was_quiet, self._quiet = self._quiet, True
        try:
            if article_id is None:
                self.view.selectionModel().clear()
                return
            row = self.model.row_of(article_id)
            if row is None:
                return
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if not index.isValid():  # hidden by the filter
                return
            select_row(self.view, index)
        finally:
            self._quiet = was_quiet

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        self.article_chosen.emit(int(self.proxy.data(current, ID_ROLE)))

    def _on_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.article_chosen.emit(int(self.proxy.data(index, ID_ROLE)))

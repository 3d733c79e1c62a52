"""Qt item models over the source registry, and the completer that picks a source by name or alias.

Every model here holds source ids and cached row values (plain :class:`SourceRecord` s), never live
ORM objects; each is refreshed from the service or from an :class:`~annotator.service.OpResult`.
Source names are untrusted text: they are only ever shown as plain text (item views render
``DisplayRole`` as plain text; tooltips go through :func:`ui.plaintext.tooltip`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit

from annotator.errors import AnnotatorError
from annotator.model import SourceKind
from annotator.records import QuoteRecord, SourceRecord
from annotator.service import OpResult, Service, name_key
from ui.plaintext import clip, tooltip
from ui.table_model import RowTableModel

log = logging.getLogger(__name__)

SOURCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Data role giving a row's source id (an ``int``)."""

KINDS: tuple[str, ...] = tuple(k.value for k in SourceKind)

_Index = QModelIndex | QPersistentModelIndex


def source_summary(rec: SourceRecord) -> str:
    """``"spokesman, person"``; an anonymous source shows how the article describes it."""
    parts: list[str] = []
    if rec.kind == SourceKind.ANONYMOUS.value and rec.descriptor and rec.descriptor != rec.name:
        parts.append(rec.descriptor)
    if rec.role:
        parts.append(rec.role)
    parts.append(rec.kind)
    return ", ".join(parts)


def source_display(rec: SourceRecord, query: str = "") -> str:
    """One line for a popup or a list: ``"Name — role, kind"``, plus the alias that matched ``query``."""
    line = f"{rec.name} — {source_summary(rec)}"
    key = name_key(query)
    if key and key not in name_key(rec.name):
        alias = next((a for a in rec.aliases if key in name_key(a)), None)
        if alias:
            line += f"  (also “{alias}”)"
    return line


def matches(rec: SourceRecord, key: str) -> bool:
    """Whether ``key`` (a :func:`name_key`) is in the source's name, descriptor or an alias."""
    if not key:
        return True
    if key in name_key(rec.name) or any(key in name_key(a) for a in rec.aliases):
        return True
    return bool(rec.descriptor) and key in name_key(rec.descriptor or "")


# --------------------------------------------------------------------------------------------------
# Completion
# --------------------------------------------------------------------------------------------------


class SourceCompletionModel(QAbstractListModel):
    """The sources matching what the user typed, fed by ``service.find_sources`` (names AND aliases,
    prefix matches first). An empty query lists the registry from the top."""

    def __init__(self, service: Service, parent: QObject | None = None, *, limit: int = 20) -> None:
        super().__init__(parent)
        self._service = service
        self._limit = limit
        self._query = ""
        self._rows: list[SourceRecord] = []

    # -- feeding -------------------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        text = text.strip()
        try:
            rows = self._service.find_sources(text, limit=self._limit) if text else self._service.sources()
        except AnnotatorError:
            log.exception("source lookup failed")
            rows = []
        self.beginResetModel()
        self._query = text
        self._rows = list(rows[: self._limit * 2 if not text else self._limit])
        self.endResetModel()

    def query(self) -> str:
        return self._query

    def record(self, row: int) -> SourceRecord:
        return self._rows[row]

    def source_id(self, row: int) -> int:
        return self._rows[row].id

    # -- QAbstractItemModel --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rec = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return source_display(rec, self._query)
        if role == Qt.ItemDataRole.EditRole:
            return rec.name
        if role == SOURCE_ID_ROLE:
            return rec.id
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = f"\nAlso known as: {', '.join(rec.aliases)}" if rec.aliases else ""
            return tooltip(f"{rec.name} — {source_summary(rec)}{extra}")
        return None


class SourceCompleter(QObject):
    """Source lookup for a :class:`QLineEdit`: a popup of matching sources as the user types.

    ``↓`` opens the popup (the whole registry when the field is empty), ``↓``/``↑`` move in it and
    Enter picks (``source_picked``). Enter on text that is exactly a known name or alias picks that
    source; Enter on a name nobody has emits ``unknown_name_entered`` (the caller offers
    "New source…"). Several sources with that name emit ``lookup_failed`` with the reason.
    """

    source_picked = Signal(int)
    unknown_name_entered = Signal(str)
    lookup_failed = Signal(str)

    def __init__(self, service: Service, line_edit: QLineEdit, parent: QObject | None = None) -> None:
        super().__init__(parent or line_edit)
        self._service = service
        self._edit = line_edit
        self.model = SourceCompletionModel(service, self)
        self.completer = QCompleter(self)
        self.completer.setModel(self.model)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(10)
        self.completer.setWidget(line_edit)
        # the QModelIndex overload of activated (the default one gives the text); the stubs cannot index it
        self.completer.activated[QModelIndex].connect(self._on_completer_activated)  # type: ignore[index]
        line_edit.textEdited.connect(self._on_text_edited)
        line_edit.returnPressed.connect(self._on_return_pressed)
        line_edit.installEventFilter(self)

    def popup(self) -> QAbstractItemView:
        """The completer's list (QCompleter makes it on first use, so there always is one)."""
        popup = self.completer.popup()
        assert popup is not None
        return popup

    def popup_visible(self) -> bool:
        return self.popup().isVisible()

    def show_suggestions(self, text: str | None = None) -> None:
        """Fill the popup for ``text`` (default: the field's text) and show it when not empty."""
        self.model.set_query(self._edit.text() if text is None else text)
        if self.model.rowCount() and self._edit.isEnabled():
            popup = self.popup()
            hint = popup.sizeHintForColumn(0) + popup.verticalScrollBar().sizeHint().width() + 12
            width = max(self._edit.width(), min(hint, 560))
            self.completer.complete(QRect(0, 0, width, self._edit.height()))
            # Nothing highlighted until the user moves into the list: Enter then means "the name
            # I typed", never silently the first suggestion (QCompleter would pick it).
            popup.setCurrentIndex(QModelIndex())
        else:
            self.popup().hide()

    def hide_popup(self) -> None:
        self.popup().hide()

    # -- events --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and not self.popup_visible():
                self.show_suggestions()
                return True
        return super().eventFilter(watched, event)

    def _on_text_edited(self, text: str) -> None:
        if text.strip():
            self.show_suggestions(text)
        else:
            self.hide_popup()

    def _on_completer_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        rec = self.model.record(index.row())
        self._edit.setText(rec.name)
        self.source_picked.emit(rec.id)

    def _on_return_pressed(self) -> None:
        popup = self.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            return  # the completer picks the highlighted row itself, right after this
        self.hide_popup()
        text = self._edit.text().strip()
        if not text:
            return
        try:
            found = self._service.resolve_source(text)
        except AnnotatorError as exc:  # several sources have that name or alias
            self.lookup_failed.emit(str(exc))
            return
        if found is None:
            self.unknown_name_entered.emit(text)
        else:
            self._edit.setText(found.name)
            self.source_picked.emit(found.id)


# --------------------------------------------------------------------------------------------------
# The registry table
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SourceRow:
    record: SourceRecord
    quotes: int


class SourceTableModel(RowTableModel):
    """The whole source registry, one row per source, with the number of quotes each one is in
    (as speaker or intermediary). ``reload()`` reads everything; ``apply(result)`` updates the rows
    an operation changed, counting quotes from the records before and after."""

    COLUMNS = ("Kind", "Name", "Role", "Affiliation", "Descriptor", "Aliases", "Quotes")
    KIND, NAME, ROLE, AFFILIATION, DESCRIPTOR, ALIASES, QUOTES = range(7)

    def __init__(self, service: Service, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._rows: list[_SourceRow] = []
        self._row_of: dict[int, int] = {}

    # -- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        records = self._service.sources()
        counts = self._service.source_quote_counts()
        self.beginResetModel()
        self._rows = [_SourceRow(r, counts.get(r.id, 0)) for r in records]
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row_of = {row.record.id: i for i, row in enumerate(self._rows)}

    def apply(self, result: OpResult) -> None:
        """Bring the rows up to date with what one operation (or its undo/redo) changed."""
        deltas: dict[int, int] = {}
        for change in result.changes:
            if change.object_type == "quote":
                for rec, sign in ((change.before, -1), (change.after, +1)):
                    if isinstance(rec, QuoteRecord):
                        for sid in set(rec.chain_source_ids):
                            deltas[sid] = deltas.get(sid, 0) + sign
        for change in result.changes:
            if change.object_type != "source":
                continue
            if not isinstance(change.after, SourceRecord):  # deleted
                self._remove(change.object_id)
            elif change.object_id in self._row_of:
                self._replace(change.after)
            else:  # created or restored: its count is read as it is now, deltas included
                self._insert(change.after, self._count_quotes(change.object_id))
                deltas.pop(change.object_id, None)
        for sid, delta in deltas.items():
            row = self._row_of.get(sid)
            if row is not None and delta:
                old = self._rows[row]
                self._rows[row] = _SourceRow(old.record, max(0, old.quotes + delta))
                idx = self.index(row, self.QUOTES)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DisplayRole])
        if any(c.object_type == "source" for c in result.changes):
            # An affiliation's name may have changed: its column shows names.
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, self.AFFILIATION), self.index(len(self._rows) - 1, self.AFFILIATION)
                )

    def _count_quotes(self, source_id: int) -> int:
        try:
            usage = self._service.source_usage(source_id)
        except AnnotatorError:
            return 0
        return len(set(usage["speaker_of"]) | set(usage["hop_of"]))

    def _remove(self, source_id: int) -> None:
        row = self._row_of.get(source_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._reindex()
        self.endRemoveRows()

    def _replace(self, rec: SourceRecord) -> None:
        row = self._row_of[rec.id]
        self._rows[row] = _SourceRow(rec, self._rows[row].quotes)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def _insert(self, rec: SourceRecord, quotes: int) -> None:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(_SourceRow(rec, quotes))
        self._row_of[rec.id] = row
        self.endInsertRows()

    # -- lookups -------------------------------------------------------------------------------

    def record(self, row: int) -> SourceRecord:
        return self._rows[row].record

    def record_by_id(self, source_id: int) -> SourceRecord | None:
        row = self._row_of.get(source_id)
        return None if row is None else self._rows[row].record

    def quote_count(self, source_id: int) -> int:
        row = self._row_of.get(source_id)
        return 0 if row is None else self._rows[row].quotes

    def row_of(self, source_id: int) -> int | None:
        return self._row_of.get(source_id)

    def source_ids(self) -> list[int]:
        return [r.record.id for r in self._rows]

    def _name(self, source_id: int | None) -> str:
        if source_id is None:
            return ""
        rec = self.record_by_id(source_id)
        return rec.name if rec is not None else f"#{source_id}"

    # -- QAbstractItemModel --------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        rec, col = row.record, index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.KIND:
                return rec.kind
            if col == self.NAME:
                return rec.name
            if col == self.ROLE:
                return rec.role or ""
            if col == self.AFFILIATION:
                return self._name(rec.affiliation_id)
            if col == self.DESCRIPTOR:
                return rec.descriptor or ""
            if col == self.ALIASES:
                return ", ".join(rec.aliases)
            if col == self.QUOTES:
                return row.quotes
        if role == SOURCE_ID_ROLE:
            return rec.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.QUOTES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col in (self.NAME, self.ALIASES) and rec.aliases:
            return tooltip("Also known as: " + ", ".join(rec.aliases))
        return None


class SourceFilterProxyModel(QSortFilterProxyModel):
    """Filters a :class:`SourceTableModel` by text (name, descriptor or alias contains it,
    case-insensitively, as the service matches names) and by kind; sorts by any column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key = ""
        self._kind: str | None = None
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._key = name_key(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_kind(self, kind: str | None) -> None:
        self.beginFilterChange()
        self._kind = kind or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, SourceTableModel) or source_parent.isValid():
            return True
        rec = model.record(source_row)
        if self._kind and rec.kind != self._kind:
            return False
        return matches(rec, self._key)


# --------------------------------------------------------------------------------------------------
# Merge preview
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PreviewRow:
    quote_id: int
    text: str
    article: str
    part: str


class MergePreviewModel(RowTableModel):
    """The quotes a merge would change: their text, their article, and where the absorbed source
    sits in each chain."""

    COLUMNS = ("Quote", "Article", "As")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_PreviewRow] = []

    def set_quotes(self, quotes: Iterable[QuoteRecord], absorbed_id: int, titles: dict[int, str]) -> None:
        rows = []
        for q in quotes:
            if q.speaker_id == absorbed_id:
                part = "speaker"
            else:
                pos = next((i for i, h in enumerate(q.hops) if h.source_id == absorbed_id), None)
                part = f"intermediary {pos + 1}" if pos is not None else ""
            text = " ".join(q.text.split())
            rows.append(_PreviewRow(q.id, text, titles.get(q.article_id, f"article {q.article_id}"), part))
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def quote_ids(self) -> list[int]:
        return [r.quote_id for r in self._rows]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (clip(row.text, 160), row.article, row.part)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return tooltip(row.text)
        if role == SOURCE_ID_ROLE:
            return row.quote_id
        return None

"""Qt item models of the reviewer's side: the review queue, a quote's chain warnings, its history
from the audit log, and per-article progress.

Every model holds ids and cached plain rows (records, :class:`~annotator.review.QueueItem` s, strings
computed once), never live ORM objects; each is refilled from the service. Quote text, source names
and reviewers' comments are untrusted: item views render ``DisplayRole`` as plain text, and tooltips
go through :func:`ui.plaintext.tooltip`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from annotator import wording
from annotator.errors import AnnotatorError
from annotator.records import QuoteRecord, SourceRecord
from annotator.review import QueueItem
from annotator.rules import RULES_BY_ID, Warning
from annotator.service import ArticleSummary, HistoryEntry, Service
from annotator.vocab import STATUS_LABELS, STATUSES, Status
from annotator.wording import HistoryRow
from ui.plaintext import one_line, tooltip
from ui.reader import STATUS_COLOURS
from ui.table_model import RowTableModel

_Index = QModelIndex | QPersistentModelIndex

QUOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""Data role giving a queue row's quote id (an ``int``)."""

ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""Data role giving a progress row's article id (an ``int``)."""

SEQ_ROLE = Qt.ItemDataRole.UserRole + 3
"""Data role giving a history row's audit sequence number (an ``int``)."""


WARNING_COLOUR = "#a44a00"
VERDICT_COLOURS = {"approve": "#1d6b1d", "request_changes": "#8a5a00", "reject": "#a12020"}
WITHDRAWN_COLOUR = "#a44a00"


def _warning_icon() -> QIcon:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return QIcon()
    return app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def parse_time(stamp: str) -> dt.datetime:
    """An audit/status timestamp (``2026-11-25T03:39:00.624418Z``) as an aware UTC datetime."""
    text = stamp.rstrip("Z")
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.now(dt.UTC)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def local_time_text(stamp: str) -> str:
    """``2026-11-25 04:39`` in the local time zone."""
    return parse_time(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def age_text(stamp: str, now: dt.datetime | None = None) -> str:
    """How long ago ``stamp`` was, short: ``just now``, ``12 min``, ``5 h``, ``3 d``."""
    now = now or dt.datetime.now(dt.UTC)
    seconds = max(0.0, (now - parse_time(stamp)).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


# --------------------------------------------------------------------------------------------------
# The queue
# --------------------------------------------------------------------------------------------------


class ReviewQueueModel(RowTableModel):
    """Quotes awaiting review, in the order the core gives them (oldest first)."""

    COLUMNS = ("Status", "Article", "Speaker", "Annotator", "Waiting", "Warnings", "Text")
    STATUS, ARTICLE, SPEAKER, ANNOTATOR, WAITING, WARNINGS, TEXT = range(7)
    HEADER_TIPS = (
        "The quote's status (a quote sent back after a change request says so)",
        "The article the quote is in",
        "Who said it",
        "Who last edited the chain",
        "How long it has been waiting (since its status was last set)",
        "How many chain rules flag it",
        "The quote",
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[QueueItem] = []
        self._now = dt.datetime.now(dt.UTC)

    def set_items(self, items: Iterable[QueueItem]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self._now = dt.datetime.now(dt.UTC)
        self.endResetModel()

    def item(self, row: int) -> QueueItem:
        return self._rows[row]

    def quote_id(self, row: int) -> int:
        return self._rows[row].quote.id

    def quote_ids(self) -> list[int]:
        return [i.quote.id for i in self._rows]

    def row_of(self, quote_id: int) -> int | None:
        return next((r for r, i in enumerate(self._rows) if i.quote.id == quote_id), None)

    # -- QAbstractItemModel ----------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 7:
            return None
        it = self._rows[index.row()]
        col = index.column()
        if role == QUOTE_ID_ROLE:
            return it.quote.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(it, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(it, col)
        if role == Qt.ItemDataRole.BackgroundRole and col == self.STATUS:
            return QColor(STATUS_COLOURS.get(it.quote.status, "#ffffff"))
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.STATUS:
                return QColor("#202020")
            if col == self.WARNINGS and it.warnings:
                return QColor(WARNING_COLOUR)
        if role == Qt.ItemDataRole.DecorationRole and col == self.WARNINGS and it.warnings:
            return _warning_icon()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.WAITING, self.WARNINGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, it: QueueItem, col: int) -> Any:
        q = it.quote
        if col == self.STATUS:
            label = STATUS_LABELS.get(q.status, q.status)
            if it.change_request:  # sent back earlier: say where it stands in that round trip
                return "resubmitted" if q.status == "needs_review" else "changes requested"
            return label
        if col == self.ARTICLE:
            return one_line(it.article_title, 80)
        if col == self.SPEAKER:
            return one_line(it.speaker, 60) if it.speaker else "—"
        if col == self.ANNOTATOR:
            return it.annotator
        if col == self.WAITING:
            return age_text(it.waiting_since, self._now)
        if col == self.WARNINGS:
            return len(it.warnings)
        return one_line(q.text, 200)

    def _tooltip(self, it: QueueItem, col: int) -> str:
        if col == self.STATUS:
            text = f"Quote #{it.quote.id}: {STATUS_LABELS.get(it.quote.status, it.quote.status)}"
            if it.change_request:
                text += f"\nChanges requested earlier: {it.change_request}"
            return tooltip(text)
        if col == self.ARTICLE:
            return tooltip(it.article_title + (f"\n{it.outlet}" if it.outlet else ""))
        if col == self.SPEAKER:
            return tooltip(it.speaker or "No speaker yet")
        if col == self.WAITING:
            return tooltip(f"Waiting since {local_time_text(it.waiting_since)} ({it.waiting_since} UTC)")
        if col == self.WARNINGS:
            if not it.warnings:
                return tooltip("No chain rule flags this quote")
            return tooltip("\n".join(f"[{w.rule}] {w.message}" for w in it.warnings))
        if col == self.TEXT:
            return tooltip(it.quote.text)
        return tooltip(str(self._display(it, col)))


# --------------------------------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------------------------------


class WarningsModel(RowTableModel):
    """The chain rules' warnings for one quote: rule id and message."""

    COLUMNS = ("Rule", "Warning")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Warning] = []

    def set_warnings(self, warnings: Iterable[Warning]) -> None:
        self.beginResetModel()
        self._rows = list(warnings)
        self.endResetModel()

    def warning(self, row: int) -> Warning:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 2:
            return None
        w = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return w.rule if index.column() == 0 else w.message
        if role == Qt.ItemDataRole.ToolTipRole:
            rule = RULES_BY_ID.get(w.rule)
            return tooltip(f"{rule.title if rule else w.rule}\n{w.message}")
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return _warning_icon()
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QColor(WARNING_COLOUR)
        return None


# --------------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------------


class _SourceLabels(Mapping[int, str]):
    """Source labels by id: those of ``known`` sources, and the whole registry (read once, on the
    first id not known) only when an entry names another source (a former speaker, say)."""

    def __init__(
        self, known: Mapping[int, SourceRecord], read_all: Callable[[], Iterable[SourceRecord]]
    ) -> None:
        self._labels = {sid: rec.label for sid, rec in known.items()}
        self._read_all: Callable[[], Iterable[SourceRecord]] | None = read_all

    def __getitem__(self, source_id: int) -> str:
        if source_id not in self._labels and self._read_all is not None:
            self._labels.update((s.id, s.label) for s in self._read_all())
            self._read_all = None
        return self._labels[source_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def history_rows(
    service: Service,
    entries: Sequence[HistoryEntry],
    *,
    sources: Mapping[int, SourceRecord] | None = None,
    texts: Mapping[int, str] | None = None,
) -> list[HistoryRow]:
    """Readable rows for ``service.history("quote", id)`` (source ids shown as names), worded by
    :func:`annotator.wording.history_rows`. A caller that holds some ``sources`` and article
    ``texts`` already passes them: the service is then read only for what they lack."""

    def article_text(article_id: int) -> str | None:
        if texts is not None and article_id in texts:
            return texts[article_id]
        try:
            return service.article_text(article_id)
        except AnnotatorError:  # a deleted article: show offsets only
            return None

    return wording.history_rows(entries, _SourceLabels(sources or {}, service.sources), article_text)


class HistoryModel(RowTableModel):
    """A quote's audit history, oldest first: #, when, who, action, changes (one line each)."""

    COLUMNS = ("#", "When", "Who", "Action", "Changes")
    SEQ, WHEN, WHO, ACTION, CHANGES = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_rows(self, rows: Iterable[HistoryRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def history_row(self, row: int) -> HistoryRow:
        return self._rows[row]

    def rows(self) -> list[HistoryRow]:
        return list(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 5:
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == SEQ_ROLE:
            return r.seq
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.SEQ:
                return r.seq
            if col == self.WHEN:
                return local_time_text(r.at)
            if col == self.WHO:
                return r.actor
            if col == self.ACTION:
                return r.action
            return "\n".join(r.lines)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.WHEN:
                return tooltip(f"{r.at} (UTC)")
            if col in (self.ACTION, self.CHANGES):
                return tooltip(f"{r.action}\n" + "\n".join(r.lines))
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col in (self.ACTION, self.CHANGES):
            if r.verdict in VERDICT_COLOURS:
                return QColor(VERDICT_COLOURS[r.verdict])
            if r.withdrawn:
                return QColor(WITHDRAWN_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignTop | (
                Qt.AlignmentFlag.AlignRight if col == self.SEQ else Qt.AlignmentFlag.AlignLeft
            )
            return int(align)
        return None


def _sort_text(text: str) -> str:
    """A case- and accent-insensitive sort key ("À Saint-Aubin…" sorts with the A…)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


# --------------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    article_id: int
    title: str
    outlet: str | None
    annotated: int
    needs_review: int
    verified: int
    disputed: int
    rejected: int
    unverified: int


class ArticleProgressModel(RowTableModel):
    """Per article: title, quotes annotated, awaiting review, verified, disputed, rejected.

    ``refresh()`` reloads from the service; ``sort()`` works, so a view may enable sorting.
    """

    COLUMNS = ("Article", "Annotated", "Awaiting review", "Verified", "Disputed", "Rejected")
    _FIELDS = ("title", "annotated", "needs_review", "verified", "disputed", "rejected")

    def __init__(self, service: Service, parent: QObject | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self._service = service
        self._rows: list[ProgressRow] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        if load:
            self.refresh()

    def refresh(
        self, summaries: Sequence[ArticleSummary] | None = None, quotes: Iterable[QuoteRecord] | None = None
    ) -> None:
        """Reload; a caller that has just read the articles and the quotes passes them on."""
        if summaries is None:
            summaries = self._service.articles()
        if quotes is None:
            quotes = self._service.quotes()
        counts = Counter((q.article_id, q.status) for q in quotes)
        rows = []
        for summary in summaries:
            a = summary.article
            by_status = {status: counts[a.id, status] for status in STATUSES}
            rows.append(
                ProgressRow(
                    a.id,
                    a.title,
                    summary.outlet,
                    sum(by_status.values()),
                    by_status[Status.NEEDS_REVIEW],
                    by_status[Status.VERIFIED],
                    by_status[Status.DISPUTED],
                    by_status[Status.REJECTED],
                    by_status[Status.UNVERIFIED],
                )
            )
        if self._sort is not None:
            rows.sort(key=self._key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def article_id(self, row: int) -> int:
        return self._rows[row].article_id

    def row_of(self, article_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.article_id == article_id), None)

    def _key(self, column: int) -> Callable[[ProgressRow], Any]:
        field = self._FIELDS[column]
        if field == "title":
            return lambda r: (_sort_text(r.title), r.article_id)
        return lambda r: (getattr(r, field), r.article_id)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        new_pos = {r.article_id: i for i, r in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        moved = [
            self.index(new_pos[old[p.row()].article_id], p.column())
            if 0 <= p.row() < len(old)
            else QModelIndex()
            for p in persistent
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 6:
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == ARTICLE_ID_ROLE:
            return r.article_id
        if role == Qt.ItemDataRole.DisplayRole:
            return one_line(r.title, 100) if col == 0 else getattr(r, self._FIELDS[col])
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return tooltip(r.title + (f"\n{r.outlet}" if r.outlet else ""))
            return tooltip(
                f"{r.annotated} annotated: {r.unverified} unverified, {r.needs_review} awaiting review, "
                f"{r.verified} verified, {r.disputed} disputed, {r.rejected} rejected"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col > 0 and getattr(r, self._FIELDS[col]) == 0:
            return QColor("#9a9a9a")
        if role == Qt.ItemDataRole.BackgroundRole and col in (2, 3, 4, 5) and getattr(r, self._FIELDS[col]):
            status = self._FIELDS[col]
            return QColor(STATUS_COLOURS.get(status, "#ffffff"))
        return None

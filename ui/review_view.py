"""The reviewer's side: the review queue, the selected quote's chain, warnings and history, and
the verdicts.

:class:`ReviewView` is one widget the main window places (a tab or a dock). It holds

* the **queue** (quotes awaiting review, oldest first; unverified ones on demand) with filters by
  article, annotator, outlet, speaker and age, and how many are left;
* for the selected quote, its **chain diagram** (click a node or an arrow: ``span_focus_requested``
  asks the reader to show the span backing it), the chain rules' **warnings**, and its **history**
  from the audit log, verdicts included;
* the **verdict bar**: Approve, Request changes (the comment is required), Reject. A verdict is a
  signature: it is not undoable. The core refuses to let whoever last edited a chain approve it
  (the four-eyes rule); that refusal, like any other, is shown in the bar and changes nothing. After
  a verdict the queue refreshes and moves on to the next quote;
* a **progress** tab (:class:`~ui.review_models.ArticleProgressModel`).

Keys (in the view): Up/Down in the queue, Alt+Down/Alt+Up next/previous quote from anywhere in the
view, Ctrl+Shift+A approve, Ctrl+Shift+B request changes ("send back"), Ctrl+Shift+J reject.
Quote text, source names and comments are untrusted: shown as plain text only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError, NotFoundError
from annotator.records import QuoteRecord
from annotator.review import Reviewing
from annotator.rules import ChainContext, check
from annotator.service import ArticleSummary, OpResult
from ui.audit_dialog import AuditCheckDialog, show_audit_check
from ui.chain_diagram import ChainDiagram, chain_elements
from ui.commands import Editor
from ui.plaintext import one_line, plain_label
from ui.reader import STATUS_LABELS
from ui.review_models import (
    ArticleProgressModel,
    HistoryModel,
    ReviewQueueModel,
    WarningsModel,
    history_rows,
    local_time_text,
)
from ui.shortcuts import key

__all__ = [
    "REVIEW_KEYS",
    "ArticleProgressModel",
    "AuditCheckDialog",
    "ReviewQueueModel",
    "ReviewView",
    "show_audit_check",
]

log = logging.getLogger(__name__)

REVIEW_KEYS: dict[str, str] = {
    name: key(f"review_{name}") for name in ("approve", "request_changes", "reject", "next", "previous")
}
"""The review view's keys (chosen in :data:`ui.shortcuts.KEYS`); they work while the focus is
anywhere inside the view."""

_VERDICT_DONE = {"approve": "Approved", "request_changes": "Sent back", "reject": "Rejected"}

_MESSAGE_STYLES = {
    "ok": "QLabel { background: #e9f5e9; color: #1d4d1d; border: 1px solid #b9dcb9;"
    " border-radius: 3px; padding: 4px; }",
    "warning": "QLabel { background: #fdf3e1; color: #5c3b00; border: 1px solid #ecd3a5;"
    " border-radius: 3px; padding: 4px; }",
}


def _section_title(text: str, parent: QWidget) -> QLabel:
    label = plain_label(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped to the column's width (item views ask for one line)."""

    def __init__(self, view: QTreeView, columns: set[int]) -> None:
        super().__init__(view)
        self._view = view
        self._columns = columns

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if index.column() not in self._columns or not isinstance(text, str) or not text:
            return size
        width = self._view.columnWidth(index.column()) - 10
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            width -= option.decorationSize.width() + 4
        rect = option.fontMetrics.boundingRect(
            QRect(0, 0, max(40, width), 1_000_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(size.width(), max(size.height(), rect.height() + 6))


class _QueueKeys(QObject):
    """Up/Down typed in the comment field move in the queue (the field has no use for them)."""

    def __init__(self, view: ReviewView) -> None:
        super().__init__(view)
        self._view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
            ):
                self._view.move_in_queue(1 if event.key() == Qt.Key.Key_Down else -1)
                return True
        return False


class ReviewView(QWidget):
    """The review queue with the selected quote's chain, warnings, history and the verdict bar."""

    quote_selected = Signal(int)
    """The reviewer picked a quote (in the queue, or the view moved on after a verdict)."""

    span_focus_requested = Signal(int, int)
    """Show this span (code points) in the reader: a hop's evidence, the speaker's cue, the quote."""

    verdict_given = Signal(int, str)
    """A verdict was recorded: quote id and ``approve``, ``request_changes`` or ``reject``."""

    def __init__(self, editor: Editor, parent: QWidget | None = None, *, load: bool = True) -> None:
        """``load=False``: read nothing from the database until the view is first shown (a view
        placed in a hidden tab costs nothing at start-up)."""
        super().__init__(parent)
        self.editor = editor
        self.service = editor.service
        self.reviewing = Reviewing(self.service)
        self._current: int | None = None
        self._quiet = False
        self._in_verdict = False
        self._dirty = False
        self._drafts: dict[int, str] = {}
        self._shown_chain: tuple[int, str] | None = None  # (quote id, hash of the chain on screen)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self._on_filters_changed)

        self.queue_model = ReviewQueueModel(self)
        self.warnings_model = WarningsModel(self)
        self.history_model = HistoryModel(self)
        self.progress_model = ArticleProgressModel(self.service, self, load=False)

        self._build_actions()
        self._build()
        self.editor.changed.connect(self._on_editor_changed)
        if load:
            self.refresh()
        else:
            self._dirty = True
            self._show_detail(None)  # empty, verdicts disabled: no database read yet

    # -- building --------------------------------------------------------------------------------

    def _action(self, text: str, tip: str, key: str, slot: Callable[[], Any]) -> QAction:
        act = QAction(text, self)
        act.setShortcut(QKeySequence(key))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        act.setToolTip(f"{tip} ({shown})")
        act.setStatusTip(tip)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        k = REVIEW_KEYS
        self.approve_action = self._action(
            "Approve",
            "Approve the chain: the quote becomes verified, signed with your name and the chain's hash",
            k["approve"],
            self._on_approve_triggered,
        )
        self.request_changes_action = self._action(
            "Request changes",
            "Send the quote back to its annotator with the comment (required)",
            k["request_changes"],
            self._on_request_changes_triggered,
        )
        self.reject_action = self._action(
            "Reject", "Reject the quote (the comment is optional)", k["reject"], self._on_reject_triggered
        )
        self.next_action = self._action(
            "Next quote", "Next quote in the review queue", k["next"], lambda: self.move_in_queue(1)
        )
        self.previous_action = self._action(
            "Previous quote",
            "Previous quote in the review queue",
            k["previous"],
            lambda: self.move_in_queue(-1),
        )

    def _build(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.queue_panel = self._build_queue_panel()
        self.splitter.addWidget(self.queue_panel)
        self.splitter.addWidget(self._build_detail_panel())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.tabs.addTab(self.splitter, "Review queue")

        self.progress_view = QTableView(self)
        self.progress_view.setModel(self.progress_model)
        self.progress_view.setSortingEnabled(True)
        self.progress_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.progress_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.progress_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.progress_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.progress_view.setAlternatingRowColors(True)
        self.progress_view.setWordWrap(False)
        self.progress_view.verticalHeader().hide()
        self.progress_view.setToolTip("Double-click an article (or press Enter) to review its quotes")
        header = self.progress_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, ArticleProgressModel.COLUMNS.__len__()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.progress_view.activated.connect(self._on_progress_activated)
        self.tabs.addTab(self.progress_view, "Progress")

    def _build_queue_panel(self) -> QWidget:
        panel = QWidget(self)
        self.article_combo = QComboBox(panel)
        self.article_combo.setToolTip("Only quotes in this article")
        self.article_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.article_combo.setMinimumContentsLength(16)
        self.annotator_combo = QComboBox(panel)
        self.annotator_combo.setToolTip("Only chains last edited by this person")
        self.annotator_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.annotator_combo.setMinimumContentsLength(8)
        self.outlet_combo = QComboBox(panel)
        self.outlet_combo.setToolTip("Only quotes in articles of this outlet")
        self.outlet_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.outlet_combo.setMinimumContentsLength(10)
        self.speaker_edit = QLineEdit(panel)
        self.speaker_edit.setPlaceholderText("Speaker contains…")
        self.speaker_edit.setClearButtonEnabled(True)
        self.speaker_edit.setToolTip("Only quotes whose speaker's name contains this")
        self.older_spin = QSpinBox(panel)
        self.older_spin.setRange(0, 3650)
        self.older_spin.setSpecialValueText("any age")
        self.older_spin.setSuffix(" days")
        self.older_spin.setPrefix("waiting ≥ ")
        self.older_spin.setToolTip("Only quotes waiting at least this many days")
        self.include_unverified_check = QCheckBox("Include unverified", panel)
        self.include_unverified_check.setToolTip("Also list quotes not yet sent for review")

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.article_combo, 0, 0, 1, 2)
        filters.addWidget(self.annotator_combo, 0, 2)
        filters.addWidget(self.outlet_combo, 0, 3)
        filters.addWidget(self.speaker_edit, 1, 0, 1, 2)
        filters.addWidget(self.older_spin, 1, 2)
        filters.addWidget(self.include_unverified_check, 1, 3)
        filters.setColumnStretch(0, 2)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(2, 1)
        filters.setColumnStretch(3, 1)

        self.queue_view = QTableView(panel)
        self.queue_view.setModel(self.queue_model)
        self.queue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_view.setWordWrap(False)
        self.queue_view.setAlternatingRowColors(True)
        self.queue_view.verticalHeader().hide()
        self.queue_view.setTabKeyNavigation(False)
        self.queue_view.setAccessibleName("Review queue")
        header = self.queue_view.horizontalHeader()
        header.setHighlightSections(False)
        m = ReviewQueueModel
        for col in (m.STATUS, m.ANNOTATOR, m.WAITING, m.WARNINGS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(m.SPEAKER, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(m.SPEAKER, 110)
        # Article and text share what is left, so the narrow columns never scroll out of sight.
        header.setSectionResizeMode(m.ARTICLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(m.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        self.queue_view.selectionModel().currentRowChanged.connect(self._on_queue_current_changed)
        self.queue_view.activated.connect(self._on_queue_activated)

        self.left_label = plain_label("", panel)

        self.article_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.annotator_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.outlet_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.older_spin.valueChanged.connect(self._on_filters_changed)
        self.include_unverified_check.toggled.connect(self._on_filters_changed)
        self.speaker_edit.textChanged.connect(self._on_speaker_text_changed)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 6, 3, 6)
        layout.addLayout(filters)
        layout.addWidget(self.queue_view, 1)
        layout.addWidget(self.left_label)
        return panel

    def _build_detail_panel(self) -> QWidget:
        panel = QWidget(self)
        self.header_label = _section_title("", panel)
        self.header_label.setWordWrap(True)
        self.quote_label = plain_label("", panel)
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.change_request_label = plain_label("", panel)
        self.change_request_label.setWordWrap(True)
        self.change_request_label.setStyleSheet(_MESSAGE_STYLES["warning"])
        self.change_request_label.hide()

        # The chain
        self.diagram = ChainDiagram(panel)
        self.diagram_scroll = QScrollArea(panel)
        self.diagram_scroll.setWidgetResizable(True)
        self.diagram_scroll.setWidget(self.diagram)
        self.diagram_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.diagram_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.diagram_hint_label = plain_label(
            "Click a box or an arrow to see what backs it in the article.", panel
        )
        self.diagram_hint_label.setWordWrap(True)
        self.diagram.span_requested.connect(self._on_diagram_span_requested)
        self.diagram.span_unavailable.connect(self._on_diagram_span_unavailable)
        chain_box = QWidget(panel)
        chain_layout = QVBoxLayout(chain_box)
        chain_layout.setContentsMargins(0, 0, 0, 0)
        chain_layout.addWidget(_section_title("Chain", chain_box))
        chain_layout.addWidget(self.diagram_scroll, 1)
        chain_layout.addWidget(self.diagram_hint_label)

        # Warnings
        self.warnings_title = _section_title("Warnings", panel)
        self.warnings_view = QTreeView(panel)
        self.warnings_view.setModel(self.warnings_model)
        self.warnings_view.setRootIsDecorated(False)
        self.warnings_view.setUniformRowHeights(False)
        self.warnings_view.setWordWrap(True)
        self.warnings_view.setAlternatingRowColors(True)
        self.warnings_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.warnings_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.warnings_view.header().setStretchLastSection(True)
        warnings_box = QWidget(panel)
        wl = QVBoxLayout(warnings_box)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.warnings_title)
        wl.addWidget(self.warnings_view, 1)

        # History
        self.history_title = _section_title("History", panel)
        self.history_view = QTreeView(panel)
        self.history_view.setModel(self.history_model)
        self.history_view.setRootIsDecorated(False)
        self.history_view.setUniformRowHeights(False)
        self.history_view.setWordWrap(True)
        self.history_view.setAlternatingRowColors(True)
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.history_view.setItemDelegate(
            _WrappingDelegate(self.history_view, {HistoryModel.ACTION, HistoryModel.CHANGES})
        )
        hh = self.history_view.header()
        for col in (HistoryModel.SEQ, HistoryModel.WHEN, HistoryModel.WHO):
            hh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(HistoryModel.ACTION, QHeaderView.ResizeMode.Interactive)
        hh.resizeSection(HistoryModel.ACTION, 150)
        hh.setStretchLastSection(True)
        # Rows wrap to the width of the Changes column: lay them out again when it changes.
        hh.sectionResized.connect(self._on_history_section_resized)
        self.warnings_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.warnings_view.setItemDelegate(_WrappingDelegate(self.warnings_view, {1}))
        self.warnings_view.header().sectionResized.connect(self._on_warnings_section_resized)
        history_box = QWidget(panel)
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.history_title)
        hl.addWidget(self.history_view, 1)

        self.detail_splitter = QSplitter(Qt.Orientation.Vertical, panel)
        self.detail_splitter.setChildrenCollapsible(False)
        self.detail_splitter.addWidget(chain_box)
        self.detail_splitter.addWidget(warnings_box)
        self.chain_box, self.warnings_box = chain_box, warnings_box
        self.detail_splitter.addWidget(history_box)
        self.detail_splitter.setStretchFactor(0, 3)
        self.detail_splitter.setStretchFactor(1, 1)
        self.detail_splitter.setStretchFactor(2, 4)
        self.detail_splitter.setSizes([300, 110, 360])
        self.diagram.chain_laid_out.connect(self._on_diagram_laid_out)

        # Verdict bar
        self.comment_edit = QLineEdit(panel)
        self.comment_edit.setPlaceholderText("Comment (required to request changes)")
        self.comment_edit.setToolTip("Your comment goes with the verdict and stays in the quote's history")
        self.comment_edit.setAccessibleName("Verdict comment")
        self.comment_edit.installEventFilter(_QueueKeys(self))
        self.approve_button = self._verdict_button(self.approve_action, panel)
        self.request_changes_button = self._verdict_button(self.request_changes_action, panel)
        self.reject_button = self._verdict_button(self.reject_action, panel)
        self.message_label = plain_label("", panel)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.request_changes_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(3, 6, 6, 6)
        layout.addWidget(self.header_label)
        layout.addWidget(self.quote_label)
        layout.addWidget(self.change_request_label)
        layout.addWidget(self.detail_splitter, 1)
        layout.addWidget(self.comment_edit)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        return panel

    def _verdict_button(self, action: QAction, parent: QWidget) -> QPushButton:
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button = QPushButton(f"{action.text()}  ({key})", parent)
        button.setToolTip(action.toolTip())
        button.setAutoDefault(False)
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    # -- public API ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything from the database (filter choices, queue, selected quote, progress)."""
        self._refresh_timer.stop()
        self._dirty = False
        overview = self._read_overview()
        self._reload_choices(overview)
        self._reload_queue()
        if overview is not None:
            self.progress_model.refresh(*overview)

    def select_quote(self, quote_id: int) -> bool:
        """Show ``quote_id`` (does not emit ``quote_selected``). True when it is in the queue; a quote
        outside the queue (verified, filtered out) is still shown, and can still be judged."""
        row = self.queue_model.row_of(quote_id)
        self._select_row(row)
        if quote_id != self._current:
            self._set_current(quote_id, emit=False)
        return row is not None

    def current_quote_id(self) -> int | None:
        return self._current

    def move_in_queue(self, step: int) -> None:
        """Select the next (``step`` > 0) or previous quote of the queue."""
        count = self.queue_model.rowCount()
        if not count:
            return
        row = self.queue_model.row_of(self._current) if self._current is not None else None
        new = (0 if step > 0 else count - 1) if row is None else max(0, min(count - 1, row + step))
        self.queue_view.setCurrentIndex(self.queue_model.index(new, 0))

    def filters(self) -> dict[str, Any]:
        """The queue's filters as keyword arguments of :meth:`Reviewing.queue`."""
        days = self.older_spin.value()
        return {
            "include_unverified": self.include_unverified_check.isChecked(),
            "article_id": self.article_combo.currentData(),
            "annotator": self.annotator_combo.currentData(),
            "outlet": self.outlet_combo.currentData(),
            "speaker": self.speaker_edit.text().strip() or None,
            "older_than_days": float(days) if days > 0 else None,
        }

    def approve(self) -> bool:
        """Approve the current quote (as the Approve button does). True when it was recorded."""
        return self._give_verdict("approve")

    def request_changes(self) -> bool:
        return self._give_verdict("request_changes")

    def reject(self) -> bool:
        return self._give_verdict("reject")

    def message(self) -> str:
        """The verdict bar's message (a refusal or what was done), empty when none."""
        return self.message_label.text() if not self.message_label.isHidden() else ""

    # -- loading ---------------------------------------------------------------------------------

    def _read_overview(self) -> tuple[list[ArticleSummary], list[QuoteRecord]] | None:
        """Every article (with its counts) and every quote: the filter choices and the progress tab
        are both made from them. None (and a warning in the log) when they cannot be read."""
        try:
            return self.service.articles(), self.service.quotes()
        except AnnotatorError as exc:
            log.warning("could not load the review filters and progress: %s", exc)
            return None

    def _reload_choices(self, overview: tuple[list[ArticleSummary], list[QuoteRecord]] | None) -> None:
        if overview is None:
            return
        articles, quotes = overview
        waiting = {"needs_review", "unverified"}
        _fill_combo(
            self.article_combo,
            "All articles",
            [(one_line(a.article.title, 70), a.article.id) for a in articles],
        )
        _fill_combo(
            self.annotator_combo,
            "Any annotator",
            [
                (n, n)
                for n in sorted({q.chain_edited_by for q in quotes if q.status in waiting}, key=str.casefold)
            ],
        )
        _fill_combo(
            self.outlet_combo,
            "Any outlet",
            [
                (one_line(o, 50), o)
                for o in sorted({a.outlet for a in articles if a.outlet}, key=str.casefold)
            ],
        )

    def _load_queue(self) -> bool:
        try:
            items = self.reviewing.queue(**self.filters())
        except AnnotatorError as exc:
            self._show_message(f"Could not load the review queue: {exc}", "warning")
            return False
        self.queue_model.set_items(items)
        self._update_left_label()
        return True

    def _reload_queue(self) -> None:
        """Reload the queue and keep showing the current quote (selected if it is still queued)."""
        if not self._load_queue():
            return
        current = self._current
        row = self.queue_model.row_of(current) if current is not None else None
        self._select_row(row)
        self._show_detail(current)

    def _select_row(self, row: int | None) -> None:
        self._quiet = True
        try:
            sel = self.queue_view.selectionModel()
            if row is None:
                sel.clearSelection()
                sel.setCurrentIndex(QModelIndex(), sel.SelectionFlag.Clear)
            else:
                index = self.queue_model.index(row, 0)
                self.queue_view.setCurrentIndex(index)
                self.queue_view.scrollTo(index)
        finally:
            self._quiet = False

    def _update_left_label(self) -> None:
        n = self.queue_model.rowCount()
        f = self.filters()
        narrowed = any(f[k] for k in ("article_id", "annotator", "outlet", "speaker", "older_than_days"))
        text = "Nothing left to review" if n == 0 else f"{n} left"
        self.left_label.setText(text + (" (filtered)" if narrowed else ""))

    def _set_current(self, quote_id: int | None, *, emit: bool) -> None:
        if self._current is not None:
            draft = self.comment_edit.text()
            if draft.strip():
                self._drafts[self._current] = draft
            else:
                self._drafts.pop(self._current, None)
        self._current = quote_id
        self.comment_edit.setText(self._drafts.get(quote_id, "") if quote_id is not None else "")
        self._clear_message()
        self._show_detail(quote_id)
        if emit and self._current is not None:
            self.quote_selected.emit(self._current)

    def _show_detail(self, quote_id: int | None) -> None:
        """Fill the chain, warnings and history of ``quote_id`` (or empty them)."""
        if quote_id is not None:
            try:
                self._fill_detail(quote_id)
                return
            except NotFoundError:
                self._current = None
            except AnnotatorError as exc:
                self._show_message(f"Could not load quote #{quote_id}: {exc}", "warning")
        self.header_label.setText("No quote selected")
        self.quote_label.setText(
            "Pick a quote in the queue (Up/Down) to check its chain."
            if self.queue_model.rowCount()
            else "The queue is empty: nothing awaits review with these filters."
        )
        self.change_request_label.hide()
        self.diagram.clear()
        self.warnings_model.set_warnings([])
        self.warnings_title.setText("Warnings")
        self.history_model.set_rows([])
        self.history_title.setText("History")
        for act in (self.approve_action, self.request_changes_action, self.reject_action):
            act.setEnabled(False)

    def _fill_detail(self, quote_id: int) -> None:
        """Two reads: the quote with its context (``Service.quote_detail``), and its history."""
        svc = self.service
        detail = svc.quote_detail(quote_id, with_text=True)
        q, art, text, sources = detail.quote, detail.article, detail.text or "", detail.sources
        warnings = check(ChainContext(q, text, sources, art.outlet_id))
        history = svc.history("quote", q.id)
        change_request = detail.change_request
        self._shown_chain = (q.id, detail.chain_sha256)

        outlet_rec = detail.outlet
        outlet = outlet_rec.label if outlet_rec is not None else None
        status = STATUS_LABELS.get(q.status, q.status)
        queued = "" if self.queue_model.row_of(q.id) is not None else " (not in the queue)"
        self.header_label.setText(f"Quote #{q.id} · {status}{queued} · {q.type}")
        where = one_line(art.title, 120) + (f" — {outlet}" if outlet else "")
        # What the annotator gives to check it by (the inspector's fields, for a reviewer without it).
        checks = [f"{name}: {one_line(value, 200)}" for name, value in (
            ("Evidence", q.evidence_url), ("Archive", q.archive_url), ("Note", q.note)) if value]  # fmt: skip
        self.quote_label.setText("\n".join([f"“{one_line(q.text, 400)}”", where, *checks]))
        if change_request is not None:
            self.change_request_label.setText(
                f"Changes requested by {change_request.reviewer} on {local_time_text(change_request.at)}: "
                f"{change_request.comment or ''}"
            )
            self.change_request_label.show()
        else:
            self.change_request_label.hide()

        nodes, edges = chain_elements(q, sources, art.outlet_id, text)
        self.diagram.set_chain(nodes, edges)
        self.diagram_hint_label.setStyleSheet("")
        self.diagram_hint_label.setText("Click a box or an arrow to see what backs it in the article.")
        self.warnings_model.set_warnings(warnings)
        self.warnings_title.setText(f"Warnings ({len(warnings)})" if warnings else "Warnings: none")
        self.history_model.set_rows(history_rows(svc, history, sources=sources, texts={art.id: text}))
        self.history_title.setText(f"History ({len(history)} entries, oldest first)")
        if history:
            self.history_view.scrollToBottom()
        for act in (self.approve_action, self.request_changes_action, self.reject_action):
            act.setEnabled(True)

    # -- verdicts --------------------------------------------------------------------------------

    def _give_verdict(self, kind: str) -> bool:
        qid = self._current
        if qid is None:
            self._show_message("Pick a quote in the queue first.", "warning")
            return False
        comment = self.comment_edit.text().strip()
        if kind == "request_changes" and not comment:
            self._show_message(
                "Say what should change: type it in the comment field, then request changes.", "warning"
            )
            self.comment_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        if self._chain_changed_under_us(qid):
            return False
        order = self.queue_model.quote_ids()
        seen = self._shown_chain[1] if self._shown_chain and self._shown_chain[0] == qid else None
        self._in_verdict = True
        try:
            if kind == "approve":
                result = self.editor.approve(qid, comment or None, seen_chain=seen)
            elif kind == "request_changes":
                result = self.editor.request_changes(qid, comment, seen_chain=seen)
            else:
                result = self.editor.reject(qid, comment or None, seen_chain=seen)
        except AnnotatorError as exc:
            log.info("verdict refused: %s", exc)
            self._show_message(f"Not done: {exc}", "warning")
            return False
        finally:
            self._in_verdict = False
        self._drafts.pop(qid, None)
        self.comment_edit.clear()
        self._after_verdict(qid, order, kind, result)
        return True

    def _after_verdict(self, qid: int, order: list[int], kind: str, result: OpResult) -> None:
        overview = self._read_overview()
        self._reload_choices(overview)
        if not self._load_queue():
            return
        present = set(self.queue_model.quote_ids())
        pos = order.index(qid) if qid in order else -1
        after = [q for q in order[pos + 1 :] if q in present]
        before = [q for q in reversed(order[:pos]) if q in present] if pos > 0 else []
        fresh = [q for q in self.queue_model.quote_ids() if q not in order]
        nxt = next(iter(after + before + fresh), None)
        if nxt is not None:
            self._select_row(self.queue_model.row_of(nxt))
            self._set_current(nxt, emit=True)
        else:
            self._select_row(None)
            self._show_detail(qid)
        if overview is not None:
            self.progress_model.refresh(*overview)
        status = STATUS_LABELS.get(result.quote.status, result.quote.status)
        left = self.queue_model.rowCount()
        then = f" Next: quote #{nxt}." if nxt is not None else " Nothing left in the queue."
        self._show_message(
            f"{_VERDICT_DONE[kind]} quote #{qid}: it is now {status}. {left} left.{then}", "ok"
        )
        if self.comment_edit.hasFocus() or self.focusWidget() in (
            self.approve_button,
            self.request_changes_button,
            self.reject_button,
        ):
            self.queue_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.verdict_given.emit(qid, kind)

    def _chain_changed_under_us(self, qid: int) -> bool:
        """A verdict signs the chain in the database: refuse it when that is no longer the chain on
        screen (someone edited it since it was loaded), and show the new one."""
        try:
            now = self.service.chain_sha256(qid)
        except AnnotatorError as exc:
            self._show_message(f"Not done: {exc}", "warning")
            self._reload_queue()
            return True
        if self._shown_chain == (qid, now):
            return False
        q = self.service.quote(qid)
        self._reload_queue()
        self._show_message(
            f"Not done: the chain of quote #{qid} was changed by {q.chain_edited_by} since you opened it. "
            "It has been reloaded: check it again.",
            "warning",
        )
        return True

    def _show_message(self, text: str, kind: str) -> None:
        self.message_label.setStyleSheet(_MESSAGE_STYLES[kind])
        self.message_label.setText(text)
        self.message_label.show()

    def _clear_message(self) -> None:
        self.message_label.clear()
        self.message_label.hide()

    # -- slots -----------------------------------------------------------------------------------

    def _on_approve_triggered(self) -> None:
        self._give_verdict("approve")

    def _on_request_changes_triggered(self) -> None:
        self._give_verdict("request_changes")

    def _on_reject_triggered(self) -> None:
        self._give_verdict("reject")

    def _on_queue_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        qid = self.queue_model.quote_id(current.row())
        if qid != self._current:
            self._set_current(qid, emit=True)

    def _on_queue_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.quote_selected.emit(self.queue_model.quote_id(index.row()))

    def _on_filters_changed(self) -> None:
        self._filter_timer.stop()
        self._reload_queue()

    def _on_speaker_text_changed(self, _text: str) -> None:
        self._filter_timer.start()

    def _on_editor_changed(self, _result: OpResult) -> None:
        if self._in_verdict:
            return  # the verdict refreshes the view itself, then moves on
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._dirty = True

    def _on_diagram_span_requested(self, start: int, end: int) -> None:
        self.diagram_hint_label.setStyleSheet("")
        self.diagram_hint_label.setText(f"Shown in the article (characters {start}–{end}).")
        self.span_focus_requested.emit(start, end)

    def _on_diagram_span_unavailable(self, hint: str) -> None:
        self.diagram_hint_label.setStyleSheet("color: #8a4b00;")
        self.diagram_hint_label.setText(hint)

    def _on_history_section_resized(self, *_args: int) -> None:
        self.history_view.scheduleDelayedItemsLayout()

    def _on_warnings_section_resized(self, *_args: int) -> None:
        self.warnings_view.scheduleDelayedItemsLayout()

    def _on_diagram_laid_out(self, height: int, row_height: int) -> None:
        # Show up to two rows of the chain without scrolling; longer chains scroll.
        frame = 2 * self.diagram_scroll.frameWidth()
        bar = (
            self.diagram_scroll.horizontalScrollBar().sizeHint().height()
            if self.diagram_scroll.horizontalScrollBar().isVisible()
            else 0
        )
        self.diagram_scroll.setMinimumHeight(min(height, row_height) + frame + bar)

    def _on_progress_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        aid = self.progress_model.article_id(index.row())
        pos = self.article_combo.findData(aid)
        if pos >= 0:
            self.article_combo.setCurrentIndex(pos)
        self.tabs.setCurrentIndex(0)
        self.queue_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._dirty:
            self.refresh()


def _fill_combo(combo: QComboBox, any_text: str, entries: list[tuple[str, Any]]) -> None:
    """Refill a filter combo ("any" first), keeping its choice when it is still there."""
    current = combo.currentData()
    items = [(any_text, None), *entries]
    if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
        return
    combo.blockSignals(True)
    try:
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        pos = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, pos))
    finally:
        combo.blockSignals(False)

"""Suggestions in the app: the rows the window shows, the "Suggestions" tab, and the accept-all dialog.

A suggestion (:class:`annotator.suggest.Suggestion`, computed off the GUI thread by
:mod:`ui.suggest_worker`) is shown as a :class:`SuggestionRow`: its key (the fingerprint), span,
type, confidence, reason and the proposed chain worded by :mod:`annotator.wording`, plus the
suggestion itself for the accept operation. Rows are plain frozen values, never ORM objects.
Everything the suggester found in the article (names, quote text) is untrusted and shown as plain
text only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.wording import chain_text, one_line, source_label
from ui.plaintext import clip, plain_label, tooltip
from ui.table_model import RowTableModel
from ui.widgets import select_row

if TYPE_CHECKING:  # the suggester is imported when the first suggestions come, not with the window
    from annotator.suggest import SourceRef, Suggestion

_Index = QModelIndex | QPersistentModelIndex

KEY_ROLE = Qt.ItemDataRole.UserRole + 1

DEFAULT_ACCEPT_THRESHOLD = 0.8
"""What "Accept all above a confidence…" proposes first."""

AUTO_SUGGEST_LIMIT = 1_000_000
"""Articles longer than this (code points) are not searched for suggestions when they open, only on
request: the suggester takes about 2 s per million characters, in Python, and a worker thread that
long slows the window down (the GIL) for as long."""


@dataclass(frozen=True)
class SuggestionRow:
    """One suggestion as the reader, the Suggestions tab and the accept-all dialog show it."""

    key: str
    start: int
    end: int
    type: str
    confidence: float
    text: str
    speaker: str
    chain: str
    reason: str
    new_sources: tuple[str, ...]
    """The sources accepting it would create (name and guessed kind), e.g. ``"Moscow (organization)"``."""
    cue: str
    suggestion: Suggestion

    @property
    def percent(self) -> str:
        return f"{round(self.confidence * 100)}%"

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def describe(self) -> str:
        """The plain-text tooltip: confidence and type, the proposed chain, the cue, new sources, why."""
        lines = [f"Suggestion · {self.percent} · {self.type} quote", self.chain]
        if self.cue:
            lines.append(f"cue: “{one_line(self.cue, 60)}”")
        if self.new_sources:
            lines.append("new sources: " + ", ".join(self.new_sources))
        if self.reason:
            lines.append(f"why: {self.reason}")
        lines.append("Enter accepts · X rejects")
        return "\n".join(lines)


def _label(ref: SourceRef) -> str:
    """How a proposed source will read in the chain: an anonymous one by the article's words for it
    ("a Turkish official"), as accepting creates it; any other by its name."""
    descriptor = " ".join(ref.mention.text.split()) if ref.mention is not None else None
    return source_label(ref.kind, ref.name, descriptor)


def suggestion_row(suggestion: Suggestion, outlet: str | None = None) -> SuggestionRow:
    """The row of ``suggestion``; ``outlet`` is the label of the article's outlet (the chain's last link)."""
    speaker = _label(suggestion.speaker) if suggestion.speaker is not None else None
    hops = [_label(h.source) for h in suggestion.intermediaries]
    chain = chain_text(speaker, hops, outlet, str)
    refs = ([suggestion.speaker] if suggestion.speaker is not None else []) + [
        h.source for h in suggestion.intermediaries
    ]
    new = tuple(f"{_label(r)} ({r.kind})" for r in refs if r.known_id is None)
    return SuggestionRow(
        key=suggestion.fingerprint,
        start=suggestion.quote.start,
        end=suggestion.quote.end,
        type=suggestion.type,
        confidence=suggestion.confidence,
        text=suggestion.quote.text,
        speaker=suggestion.speaker.name if suggestion.speaker is not None else "",
        chain=chain,
        reason=suggestion.reason,
        new_sources=new,
        cue=suggestion.cue.text if suggestion.cue is not None else "",
        suggestion=suggestion,
    )


def visible_rows(rows: Sequence[SuggestionRow], quotes: Sequence[tuple[int, int]]) -> list[SuggestionRow]:
    """``rows`` without those that overlap one of the ``quotes`` (code-point ranges), in text order.

    One sort of the quotes and a bisection per suggestion: an article with thousands of quotes
    costs milliseconds.
    """
    from bisect import bisect_left
    from itertools import accumulate

    ordered = sorted(quotes)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))  # the furthest end among quotes[:i + 1]
    out = []
    for row in sorted(rows, key=lambda r: (r.start, r.end, r.key)):
        i = bisect_left(starts, row.end)  # quotes starting before the suggestion ends
        if i and reach[i - 1] > row.start:
            continue
        out.append(row)
    return out


# --------------------------------------------------------------------------------------------------
# The Suggestions tab
# --------------------------------------------------------------------------------------------------


class SuggestionTableModel(RowTableModel):
    """Suggestion rows: confidence, type, quote, proposed chain. Kept in text order."""

    COLUMNS = ("Confidence", "Type", "Quote", "Proposed chain")
    HEADER_TIPS = (
        "How sure the suggester is (0–100%)",
        "direct, partial or indirect",
        "The words it proposes as the quote",
        "Speaker ← intermediaries ← the article's outlet; new sources are created on accept",
    )
    RIGHT_ALIGNED = frozenset({0})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SuggestionRow] = []
        self._row_of: dict[str, int] = {}

    def set_rows(self, rows: Sequence[SuggestionRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._row_of = {r.key: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def rows(self) -> list[SuggestionRow]:
        return list(self._rows)

    def row(self, i: int) -> SuggestionRow:
        return self._rows[i]

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.percent, r.type, one_line(r.text), r.chain)[col]
        if role == KEY_ROLE:
            return r.key
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(r.describe() if col != 2 else clip(r.text, 1200))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _table(parent: QWidget, model: SuggestionTableModel, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    em = view.fontMetrics().horizontalAdvance("M")
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(0, 7 * em)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(1, 6 * em)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return view


class SuggestionsPanel(QWidget):
    """The "Suggestions" tab: the current article's suggestions, a line saying what the keys do.

    ``suggestion_selected`` follows the current row (the window scrolls the reader to it).
    """

    suggestion_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SuggestionTableModel(self)
        self.view = _table(self, self.model, "suggestions_view")
        self.status_label = plain_label("", self)
        self.status_label.setWordWrap(True)
        self.status_label.setContentsMargins(6, 2, 6, 2)
        self.status_label.setStyleSheet("color: #555;")
        self.find_button = QPushButton("Find suggestions in this article", self)
        self.find_button.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 6, 0)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.find_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._quiet = False
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def set_rows(self, rows: Sequence[SuggestionRow]) -> None:
        current = self.current_key()
        self._quiet = True
        try:
            self.model.set_rows(rows)
            self.select(current)
        finally:
            self._quiet = False

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def current_key(self) -> str | None:
        index = self.view.currentIndex()
        return str(self.model.data(index, KEY_ROLE)) if index.isValid() else None

    def select(self, key: str | None) -> None:
        """Make ``key`` the current row (None: no row) without emitting ``suggestion_selected``."""
        was_quiet, self._quiet = self._quiet, True
        try:
            row = self.model.row_of(key) if key is not None else None
            if row is None:
                self.view.selectionModel().clear()
                self.view.setCurrentIndex(QModelIndex())
                return
            index = self.model.index(row, 0)
            select_row(self.view, index)
        finally:
            self._quiet = was_quiet

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.suggestion_selected.emit(str(self.model.data(current, KEY_ROLE)))


# --------------------------------------------------------------------------------------------------
# Accept all above a confidence
# --------------------------------------------------------------------------------------------------


class AcceptAllDialog(QDialog):
    """A threshold and the list of the quotes accepting would create; OK creates them (one undo step).

    :meth:`chosen` is what the list shows: the rows at or above the threshold, in text order.
    """

    def __init__(
        self,
        rows: Sequence[SuggestionRow],
        threshold: float = DEFAULT_ACCEPT_THRESHOLD,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Accept suggestions")
        self._rows = sorted(rows, key=lambda r: (r.start, r.end, r.key))
        self.threshold_spin = QDoubleSpinBox(self)
        self.threshold_spin.setObjectName("threshold_spin")
        self.threshold_spin.setRange(0, 100)
        self.threshold_spin.setDecimals(0)
        self.threshold_spin.setSingleStep(5)
        self.threshold_spin.setSuffix(" %")
        self.threshold_spin.setValue(round(threshold * 100))
        self.summary = plain_label("", self)
        self.model = SuggestionTableModel(self)
        self.view = _table(self, self.model, "accept_all_view")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Accept every suggestion with a confidence of at least", self.threshold_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.threshold_spin.valueChanged.connect(self._update)
        self.resize(820, 440)
        self._update()

    def threshold(self) -> float:
        return float(self.threshold_spin.value()) / 100

    def chosen(self) -> list[SuggestionRow]:
        return self.model.rows()

    def _update(self) -> None:
        from annotator.service import without_overlaps

        limit = self.threshold() - 1e-9
        above = [r for r in self._rows if r.confidence >= limit]
        # Suggestions that overlap each other: the most confident one is kept (the service keeps
        # each that overlaps none kept before it; none of those chosen overlap, so their order
        # does not matter when they are accepted).
        by_confidence = sorted(above, key=lambda r: (-r.confidence, r.start, r.end))
        kept = {id(s) for s in without_overlaps([r.suggestion for r in by_confidence])}
        chosen = [r for r in above if id(r.suggestion) in kept]
        self.model.set_rows(chosen)
        n = len(chosen)
        new = sorted({s for r in chosen for s in r.new_sources})
        text = f"{n} quote{'s' if n != 1 else ''} will be created, as one step (Undo takes them all back)."
        if new:
            text += f" {len(new)} new source{'s' if len(new) != 1 else ''}: {one_line(', '.join(new), 200)}."
        if not n:
            text = "No suggestion reaches this confidence."
        self.summary.setText(text)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(n))
        ok.setText(f"Create {n} quote{'s' if n != 1 else ''}")

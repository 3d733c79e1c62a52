"""The article reader: a read-only text view that highlights quotes, cues and evidence.

Everything the outside world passes in or gets back is measured in code points of the article's
canonical text; the conversion to Qt's UTF-16 positions happens only through
:class:`ui.offsets.Utf16Index`.

Highlights are drawn by a :class:`QSyntaxHighlighter` (``SpanHighlighter``) that looks spans up per
block in a sorted index prepared once per span set, not with extra selections: the project measured
a 5 MB article with 10,000 spans showing in about 150 ms this way, against seconds with
``setExtraSelections``. The only extra selection used is the find-bar match.

Untrusted text (the article, speaker names in tooltips) is only ever shown as plain text.
"""

from __future__ import annotations

import enum
import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QShortcut,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.vocab import STATUS_LABELS, STATUSES
from ui.offsets import Utf16Index
from ui.plaintext import tooltip

__all__ = [
    "STATUSES",
    "STATUS_COLOURS",
    "FindBar",
    "ReaderPane",
    "ReaderView",
    "Span",
    "SpanHighlighter",
    "SpanKind",
    "SuggestionMark",
    "describe_span",
    "tooltip_html",
]


# --------------------------------------------------------------------------------------------------
# Spans
# --------------------------------------------------------------------------------------------------


# \r and \r\n are folded by QPlainTextEdit; U+2028/2029 and U+FDD0/FDD1 become block or frame
# boundaries. Canonical text has none of them (annotator.canonical removes all but U+FDD0/1,
# which no news text holds).
_QT_BREAKING = ("\r", "\u2028", "\u2029", "\ufdd0", "\ufdd1")


class SpanKind(enum.Enum):
    QUOTE = "quote"
    CUE = "cue"
    EVIDENCE = "evidence"


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted range of the article, in code points (half-open ``[start, end)``)."""

    start: int
    end: int
    kind: SpanKind
    quote_id: int
    status: str
    tooltip: str = ""
    """Plain text shown on hover, e.g. ``"Moscow ← a Turkish official ← CNN"``; never HTML."""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, SpanKind):
            object.__setattr__(self, "kind", SpanKind(self.kind))
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span range [{self.start}, {self.end})")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; expected one of {STATUSES}")

    @property
    def length(self) -> int:
        return self.end - self.start


def _inner_key(span: Span) -> tuple[int, int, int]:
    """Sort key putting the innermost (shortest, then latest-starting) span first."""
    return (span.end - span.start, -span.start, span.quote_id)


@dataclass(frozen=True, slots=True)
class SuggestionMark:
    """A suggested quote drawn in the reader: an outline around ``[start, end)`` (code points).

    ``key`` names the suggestion (its fingerprint); ``tooltip`` is plain text shown on hover.
    """

    key: str
    start: int
    end: int
    tooltip: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad suggestion range [{self.start}, {self.end})")


# --------------------------------------------------------------------------------------------------
# Look
# --------------------------------------------------------------------------------------------------

STATUS_COLOURS: dict[str, str] = {
    "unverified": "#fff1a8",  # pale yellow
    "needs_review": "#ffd9a8",  # pale orange
    "verified": "#d3f2cc",  # pale green
    "disputed": "#e6d6f5",  # pale purple
    "rejected": "#e2e2e2",  # pale grey
}
"""Background of a quote by status."""

STATUS_CURRENT_COLOURS: dict[str, str] = {
    "unverified": "#ffd84a",
    "needs_review": "#ffaa4a",
    "verified": "#8fd884",
    "disputed": "#c29ae6",
    "rejected": "#b8b8b8",
}
"""Background of the current (selected) quote: the same hue, much stronger."""

NESTING_DARKEN_STEP = 14
"""Each extra level of overlapping quotes darkens the background by this many percent."""

READER_FONT_FAMILIES = [
    "Charter",
    "Source Serif 4",
    "Georgia",
    "Noto Serif",
    "DejaVu Serif",
    "Liberation Serif",
]
"""Serif faces tried in order for the article text."""

REJECTED_TEXT_COLOUR = "#707070"
CUE_COLOUR = "#1f5fbf"  # dotted blue underline, bold text
EVIDENCE_COLOUR = "#0b8a6f"  # wavy teal underline
FIND_MATCH_COLOUR = "#ff9632"
SUGGESTION_COLOUR = "#2f6fd0"  # outline of a suggested quote (no fill: quotes are fills)
SUGGESTION_CURRENT_FILL = "#2f6fd0"  # the current suggestion also gets a faint fill of this hue
SUGGESTION_CURRENT_FILL_ALPHA = 38


def describe_span(span: Span) -> str:
    """One plain-text line describing ``span`` for its tooltip."""
    if span.kind is SpanKind.QUOTE:
        head = f"Quote ({STATUS_LABELS[span.status]})"
    elif span.kind is SpanKind.CUE:
        head = "Cue"
    else:
        head = "Evidence"
    return f"{head} — {span.tooltip}" if span.tooltip else head


def _cursor_x(line: QTextLine, position: int) -> float:
    """The x of a cursor before ``position`` in ``line`` (PySide may give it as ``(x, position)``)."""
    x = line.cursorToX(position)
    value = x[0] if isinstance(x, tuple) else x
    return float(value) if isinstance(value, int | float) else 0.0


def tooltip_html(spans: Iterable[Span]) -> str:
    """The tooltip for the spans under the mouse (innermost first): their plain text, escaped.

    QToolTip guesses whether a string is rich text, so untrusted text is escaped and wrapped in a
    ``<p>`` (which makes Qt take it as rich text and so show the escaped ``<b>`` literally) with
    ``white-space: pre-wrap`` to keep its spaces and line breaks. Empty when there are no spans.
    """
    lines = [describe_span(s) for s in spans]
    if not lines:
        return ""
    return '<p style="white-space:pre-wrap">' + html.escape("\n".join(lines), quote=True) + "</p>"


class _FormatFactory:
    """Builds (and caches) the character format for a combination of overlapping spans."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str | None, int, bool, bool, bool], QTextCharFormat] = {}

    def format(
        self, status: str | None, depth: int, current: bool, cue: bool, evidence: bool
    ) -> QTextCharFormat:
        key = (status, min(depth, 5), current, cue, evidence)
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self._build(*key)
        return fmt

    @staticmethod
    def _build(status: str | None, depth: int, current: bool, cue: bool, evidence: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if status is not None:
            base = QColor(STATUS_CURRENT_COLOURS[status] if current else STATUS_COLOURS[status])
            fmt.setBackground(base.darker(100 + NESTING_DARKEN_STEP * (depth - 1)))
            if status == "rejected":
                fmt.setFontStrikeOut(True)
                fmt.setForeground(QColor(REJECTED_TEXT_COLOUR))
        if cue:
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(QColor(CUE_COLOUR))
        elif evidence:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(EVIDENCE_COLOUR))
        return fmt


# --------------------------------------------------------------------------------------------------
# Span index (UTF-16 coordinates)
# --------------------------------------------------------------------------------------------------


class _Entry:
    """A span with its UTF-16 range ``[s, e)``."""

    __slots__ = ("s", "e", "span")

    def __init__(self, s: int, e: int, span: Span) -> None:
        self.s = s
        self.e = e
        self.span = span


class _SpanIndex:
    """Spans sorted by UTF-16 start, for fast "which spans overlap this block" queries.

    Spans no longer than ``LONG`` units live in a sorted list: those overlapping ``[lo, hi)`` start
    in ``(lo - LONG, hi)``, found by bisection. The rare longer spans are kept apart and scanned.
    Empty spans are kept (``update``/``remove`` see them) but never overlap anything.
    """

    LONG = 4096

    def __init__(self, offsets: Utf16Index, spans: Iterable[Span]) -> None:
        self._offsets = offsets
        self._by_quote: dict[int, list[_Entry]] = {}
        short: list[_Entry] = []
        self._long: list[_Entry] = []
        for span in spans:
            entry = self._entry(span)
            self._by_quote.setdefault(span.quote_id, []).append(entry)
            (self._long if entry.e - entry.s > self.LONG else short).append(entry)
        short.sort(key=lambda en: en.s)
        self._entries = short
        self._starts = [en.s for en in short]

    def _entry(self, span: Span) -> _Entry:
        if span.end > self._offsets.length:
            raise ValueError(f"span [{span.start}, {span.end}) beyond the text ({self._offsets.length})")
        s, e = self._offsets.range_to_qt(span.start, span.end)
        return _Entry(s, e, span)

    def __len__(self) -> int:
        return len(self._entries) + len(self._long)

    def overlapping(self, lo: int, hi: int) -> list[_Entry]:
        """Entries whose UTF-16 range meets ``[lo, hi)`` (non-empty ones only)."""
        i0 = bisect_right(self._starts, lo - self.LONG)
        i1 = bisect_left(self._starts, hi)
        found = [en for en in self._entries[i0:i1] if en.e > lo] if i1 > i0 else []
        if self._long:
            found.extend(en for en in self._long if en.s < hi and en.e > lo)
        return found

    def quote_range(self, quote_id: int) -> tuple[int, int] | None:
        """UTF-16 range covering every span of ``quote_id``, or None."""
        entries = self._by_quote.get(quote_id)
        if not entries:
            return None
        return min(en.s for en in entries), max(en.e for en in entries)

    def spans_of(self, quote_id: int) -> list[Span]:
        return [en.span for en in self._by_quote.get(quote_id, ())]

    def remove_quote(self, quote_id: int) -> tuple[int, int] | None:
        """Drop every span of ``quote_id``; return the UTF-16 range they covered (or None)."""
        rng = self.quote_range(quote_id)
        for entry in self._by_quote.pop(quote_id, ()):
            if entry.e - entry.s > self.LONG:
                self._long.remove(entry)
                continue
            i = bisect_left(self._starts, entry.s)
            while self._entries[i] is not entry:
                i += 1
            del self._starts[i]
            del self._entries[i]
        return rng

    def add(self, span: Span) -> _Entry:
        entry = self._entry(span)
        self._by_quote.setdefault(span.quote_id, []).append(entry)
        if entry.e - entry.s > self.LONG:
            self._long.append(entry)
        else:
            i = bisect_right(self._starts, entry.s)
            self._starts.insert(i, entry.s)
            self._entries.insert(i, entry)
        return entry


class _MarkIndex:
    """Suggestion marks sorted by UTF-16 start, for "which marks meet this range" by bisection.

    Marks overlapping ``[lo, hi)`` start in ``(lo - longest, hi)``; suggestions are sentences or
    paragraphs, so the window searched stays small.
    """

    def __init__(self, offsets: Utf16Index, marks: Iterable[SuggestionMark]) -> None:
        entries: list[tuple[int, int, SuggestionMark]] = []
        for mark in marks:
            if mark.end > offsets.length:
                raise ValueError(f"suggestion [{mark.start}, {mark.end}) beyond the text ({offsets.length})")
            s, e = offsets.range_to_qt(mark.start, mark.end)
            if e > s:
                entries.append((s, e, mark))
        entries.sort(key=lambda en: (en[0], en[1], en[2].key))
        self._entries = entries
        self._starts = [en[0] for en in entries]
        self._longest = max((e - s for s, e, _ in entries), default=0)
        self._by_key = {en[2].key: en for en in entries}

    def __len__(self) -> int:
        return len(self._entries)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int, SuggestionMark]]:
        i0 = bisect_right(self._starts, lo - self._longest)
        i1 = bisect_left(self._starts, hi)
        return [en for en in self._entries[i0:i1] if en[1] > lo]

    def get(self, key: str) -> tuple[int, int, SuggestionMark] | None:
        return self._by_key.get(key)

    def marks(self) -> list[SuggestionMark]:
        return [en[2] for en in self._entries]


# --------------------------------------------------------------------------------------------------
# Highlighter
# --------------------------------------------------------------------------------------------------


class SpanHighlighter(QSyntaxHighlighter):
    """Paints span formats block by block from a :class:`_SpanIndex`, lazily.

    Attached to the document before ``setPlainText``, as a QSyntaxHighlighter must be. Qt then
    calls :meth:`highlightBlock` for every block of a new text; doing the span lookup there for
    all of a 5 MB article's ~19,000 paragraphs would cost a few hundred milliseconds before the
    first paint. So a block is only worked out when the view asks for it (:meth:`ensure`), which it
    does for the blocks on screen, plus a margin, before each paint. Blocks off screen may hold
    stale formats until they come into view; nothing draws them meanwhile.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._index: _SpanIndex | None = None
        self._current_quote: int | None = None
        self._formats = _FormatFactory()
        self._done: set[int] = set()  # block numbers highlighted from the current index
        self._forcing = False

    def set_index(self, index: _SpanIndex | None) -> None:
        """Use ``index`` from now on; every block is worked out again when next shown."""
        self._index = index
        self._done.clear()

    def set_current_quote(self, quote_id: int | None) -> None:
        """Emphasise ``quote_id`` from the next highlighting pass on (does not re-highlight)."""
        self._current_quote = quote_id

    def ensure(self, first: QTextBlock, count: int) -> None:
        """Bring ``count`` blocks from ``first`` up to date with the index."""
        block = first
        self._forcing = True
        try:
            while block.isValid() and count > 0:
                number = block.blockNumber()
                if number not in self._done:
                    self._done.add(number)
                    self.rehighlightBlock(block)
                block = block.next()
                count -= 1
        finally:
            self._forcing = False

    def rehighlight_range(self, lo: int, hi: int) -> None:
        """Mark the blocks meeting the UTF-16 range ``[lo, hi)`` out of date and redo those already
        worked out (they may be on screen); the others wait until shown."""
        doc = self.document()
        if doc is None:
            return
        block = doc.findBlock(lo)
        self._forcing = True
        try:
            while block.isValid():
                if block.blockNumber() in self._done:
                    self.rehighlightBlock(block)
                if block.position() + block.length() > hi:
                    break
                block = block.next()
        finally:
            self._forcing = False

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        if not self._forcing:
            # Qt's own pass over a new text (or any call we did not ask for): leave the block
            # plain and remember it needs working out when it is shown.
            self._done.discard(self.currentBlock().blockNumber())
            return
        index = self._index
        if index is None or not text:  # empty paragraphs are common: leave them first
            return
        block = self.currentBlock()
        b0 = block.position()
        b1 = b0 + block.length() - 1  # UTF-16 units; the block separator is not drawn
        if b1 <= b0:
            return
        entries = index.overlapping(b0, b1)
        if not entries:
            return
        if len(entries) == 1:  # the common case: one span meets this paragraph
            en = entries[0]
            a, b = max(en.s, b0), min(en.e, b1)
            self.setFormat(a - b0, b - a, self._format_for((en,)))
            return
        for a, b, fmt in self._segments(entries, b0, b1):
            self.setFormat(a - b0, b - a, fmt)

    def _segments(
        self, entries: list[_Entry], b0: int, b1: int
    ) -> Iterator[tuple[int, int, QTextCharFormat]]:
        """Split ``[b0, b1)`` at every span boundary; yield each covered piece with its format."""
        cuts = {b0, b1}
        opening: dict[int, list[_Entry]] = {}
        closing: dict[int, list[_Entry]] = {}
        active: set[_Entry] = set()
        for en in entries:
            if en.s > b0:
                cuts.add(en.s)
                opening.setdefault(en.s, []).append(en)
            else:
                active.add(en)
            if en.e < b1:
                cuts.add(en.e)
                closing.setdefault(en.e, []).append(en)
        points = sorted(cuts)
        for a, b in zip(points, points[1:], strict=False):
            for en in closing.get(a, ()):
                active.discard(en)
            for en in opening.get(a, ()):
                active.add(en)
            if active:
                yield a, b, self._format_for(active)

    def _format_for(self, active: Iterable[_Entry]) -> QTextCharFormat:
        depth = 0
        inner: Span | None = None
        current = False
        cue = evidence = False
        current_id = self._current_quote
        for en in active:
            span = en.span
            if span.kind is SpanKind.QUOTE:
                depth += 1
                if inner is None or _inner_key(span) < _inner_key(inner):
                    inner = span
                if span.quote_id == current_id:
                    current = True
            elif span.kind is SpanKind.CUE:
                cue = True
            else:
                evidence = True
        return self._formats.format(inner.status if inner else None, depth, current, cue, evidence)


# --------------------------------------------------------------------------------------------------
# The view
# --------------------------------------------------------------------------------------------------


class ReaderView(QPlainTextEdit):
    """Read-only, word-wrapped view of one article with its quote, cue and evidence highlights.

    All offsets in its API are code points of the canonical text given to :meth:`set_article`.
    """

    quote_clicked = Signal(int)
    """A click (no drag) inside a quote highlight: the id of the innermost quote at that point."""

    selection_changed = Signal(int, int)
    """The selection changed: its code-point range, or (-1, -1) when it became empty."""

    suggestion_clicked = Signal(str)
    """A click (no drag) inside a suggestion's outline and outside any quote: the suggestion's key."""

    MAX_COLUMNS = 80
    """The text column is kept to about this many average characters wide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        font = QFont()
        font.setFamilies(READER_FONT_FAMILIES)
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(12.5)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        # The side margins around the text column take the text background, not the window's.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

        # Attached while the document is empty, before any setPlainText.
        self._highlighter = SpanHighlighter(self.document())
        self._text = ""
        self._offsets = Utf16Index("")
        self._index = _SpanIndex(self._offsets, ())
        self._highlighter.set_index(self._index)
        self._marks = _MarkIndex(self._offsets, ())
        self._current_mark: str | None = None
        self._current_quote: int | None = None
        self._press_pos: QPoint | None = None
        self._last_selection = (-1, -1)
        self._loading = False
        self.selectionChanged.connect(self._on_selection_changed)

    # -- content ---------------------------------------------------------------------------------

    def set_article(self, text: str, spans: Iterable[Span] = ()) -> None:
        """Show ``text`` (canonical) with ``spans``; clears the selection and current quote."""
        # The texts shown come from the database and are canonical. Check, cheaply, for what would
        # break the one-to-one mapping of code points to Qt positions (ui/offsets.py): characters
        # Qt turns into paragraph or frame boundaries.
        if any(ch in text for ch in _QT_BREAKING):
            raise ValueError("the reader shows canonical text only (see annotator.canonical)")
        offsets = Utf16Index(text)
        index = _SpanIndex(offsets, spans)
        self._text = text
        self._offsets = offsets
        self._index = index
        self._marks = _MarkIndex(offsets, ())
        self._current_mark = None
        self._current_quote = None
        self._highlighter.set_current_quote(None)
        self._highlighter.set_index(index)
        self.setExtraSelections([])
        self._loading = True
        try:
            self.setPlainText(text)  # the highlighter leaves every block plain (see SpanHighlighter)
        finally:
            self._loading = False
        self.ensure_highlighted()
        self._on_selection_changed()

    def text(self) -> str:
        """The canonical text given to :meth:`set_article`."""
        return self._text

    def set_spans(self, spans: Iterable[Span]) -> None:
        """Replace every span; the blocks on screen are re-highlighted at once, the rest when shown."""
        self._index = _SpanIndex(self._offsets, spans)
        self._highlighter.set_index(self._index)
        self.ensure_highlighted()

    # Blocks worked out beyond the last one on screen, so that scrolling by a page finds them ready.
    HIGHLIGHT_MARGIN = 40

    def ensure_highlighted(self, start: int | None = None, end: int | None = None) -> None:
        """Bring the span formats of the blocks on screen (or of the code-point range
        ``[start, end)``) up to date. Called before every paint; cheap when nothing changed."""
        doc = self.document()
        if start is not None and end is not None:
            lo, hi = self._offsets.range_to_qt(start, max(start, end))
            first, last = doc.findBlock(lo), doc.findBlock(max(lo, hi - 1))
            self._highlighter.ensure(first, last.blockNumber() - first.blockNumber() + 1)
            return
        first = self.firstVisibleBlock()
        if not first.isValid():
            return
        height = self.viewport().height()
        offset = self.contentOffset()
        block, count = first, 0
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= height:
            block = block.next()
            count += 1
        self._highlighter.ensure(first, count + self.HIGHLIGHT_MARGIN)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.ensure_highlighted()
        super().paintEvent(event)
        if len(self._marks):
            self._paint_suggestions(event.rect())

    # -- suggestions -----------------------------------------------------------------------------

    def set_suggestions(self, marks: Iterable[SuggestionMark]) -> None:
        """Outline ``marks`` (replacing any shown before). The current suggestion stays current
        if it is still among them."""
        self._marks = _MarkIndex(self._offsets, marks)
        if self._current_mark is not None and self._marks.get(self._current_mark) is None:
            self._current_mark = None
        self.viewport().update()

    def suggestions(self) -> list[SuggestionMark]:
        """The suggestions outlined, in text order."""
        return self._marks.marks()

    def set_current_suggestion(self, key: str | None) -> None:
        """Draw suggestion ``key`` as the current one (a thicker outline, a faint fill); None: none."""
        if key is not None and self._marks.get(key) is None:
            key = None
        if key != self._current_mark:
            self._current_mark = key
            self.viewport().update()

    def current_suggestion(self) -> str | None:
        return self._current_mark

    def suggestion_at(self, point: QPoint) -> str | None:
        """Key of the (shortest) suggestion under ``point`` (viewport coordinates), or None."""
        cp = self.cp_at(point)
        if cp is None:
            return None
        marks = self.suggestions_at(cp)
        return marks[0].key if marks else None

    def suggestions_at(self, cp: int) -> list[SuggestionMark]:
        """The suggestions covering code point ``cp``, shortest first."""
        if not 0 <= cp < self._offsets.length:
            return []
        u = self._offsets.to_qt(cp)
        found = self._marks.overlapping(u, u + 1)
        found.sort(key=lambda en: (en[1] - en[0], en[0]))
        return [en[2] for en in found]

    def suggestion_rects(self, key: str) -> list[QRectF]:
        """The viewport rectangles of ``key``'s outline on screen now (one per visual line)."""
        entry = self._marks.get(key)
        if entry is None:
            return []
        lo, hi = self._visible_qt_range()
        if entry[1] <= lo or entry[0] >= hi:
            return []
        return list(self._line_rects(max(entry[0], lo), min(entry[1], hi)))

    def _visible_qt_range(self) -> tuple[int, int]:
        """UTF-16 range of the blocks on screen."""
        first = self.firstVisibleBlock()
        if not first.isValid():
            return 0, 0
        height = self.viewport().height()
        offset = self.contentOffset()
        block = last = first
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= height:
            last = block
            block = block.next()
        return first.position(), last.position() + last.length()

    def _line_rects(self, s: int, e: int) -> Iterator[QRectF]:
        """Viewport rectangles covering UTF-16 range ``[s, e)``, one per visual line it meets."""
        doc = self.document()
        block = doc.findBlock(s)
        offset = self.contentOffset()
        while block.isValid() and block.position() < e:
            b0 = block.position()
            layout = block.layout()
            origin = self.blockBoundingGeometry(block).translated(offset).topLeft()
            a, b = max(s, b0) - b0, min(e, b0 + block.length() - 1) - b0
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                l0, l1 = line.textStart(), line.textStart() + line.textLength()
                if l1 <= a or l0 >= b:
                    continue
                x0 = _cursor_x(line, max(a, l0))
                x1 = _cursor_x(line, min(b, l1))
                yield QRectF(origin.x() + min(x0, x1), origin.y() + line.y(), abs(x1 - x0), line.height())
            block = block.next()

    def _paint_suggestions(self, clip: QRect) -> None:
        """Outline the suggestions in the blocks on screen (nothing else is looked at)."""
        lo, hi = self._visible_qt_range()
        entries = self._marks.overlapping(lo, hi)
        if not entries:
            return
        painter = QPainter(self.viewport())
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            colour = QColor(SUGGESTION_COLOUR)
            fill = QColor(SUGGESTION_CURRENT_FILL)
            fill.setAlpha(SUGGESTION_CURRENT_FILL_ALPHA)
            for s, e, mark in entries:
                current = mark.key == self._current_mark
                # Solid pens only: a dashed one strokes about 35 times slower (0.7 ms a rectangle).
                painter.setPen(QPen(colour, 2.4 if current else 1.3))
                painter.setBrush(fill if current else Qt.BrushStyle.NoBrush)
                for rect in self._line_rects(max(s, lo), min(e, hi)):
                    box = rect.adjusted(-1.5, 0.5, 1.5, -0.5)
                    if box.toAlignedRect().intersects(clip):
                        painter.drawRoundedRect(box, 3.0, 3.0)
        finally:
            painter.end()

    def update_quote_spans(self, quote_id: int, spans: Iterable[Span]) -> None:
        """Replace the spans of ``quote_id`` with ``spans``, re-highlighting only the blocks touched."""
        spans = list(spans)
        for span in spans:
            if span.quote_id != quote_id:
                raise ValueError(f"span of quote {span.quote_id} passed for quote {quote_id}")
        old = self._index.remove_quote(quote_id)
        new_entries = [self._index.add(span) for span in spans]
        ranges = [old] if old else []
        if new_entries:
            ranges.append((min(en.s for en in new_entries), max(en.e for en in new_entries)))
        for lo, hi in ranges:
            self._highlighter.rehighlight_range(lo, hi)

    def remove_quote(self, quote_id: int) -> None:
        """Drop every span of ``quote_id``."""
        self.update_quote_spans(quote_id, ())
        if self._current_quote == quote_id:
            self._current_quote = None
            self._highlighter.set_current_quote(None)

    def set_current_quote(self, quote_id: int | None) -> None:
        """Draw ``quote_id`` emphasised (stronger background); None for no current quote."""
        old = self._current_quote
        if old == quote_id:
            return
        self._current_quote = quote_id
        self._highlighter.set_current_quote(quote_id)
        for qid in (old, quote_id):
            rng = self._index.quote_range(qid) if qid is not None else None
            if rng:
                self._highlighter.rehighlight_range(*rng)

    def current_quote(self) -> int | None:
        return self._current_quote

    def spans_at(self, cp: int) -> list[Span]:
        """The spans covering code point ``cp``, innermost (shortest) first."""
        if not 0 <= cp < self._offsets.length:
            return []
        u = self._offsets.to_qt(cp)
        spans = [en.span for en in self._index.overlapping(u, u + 1)]
        spans.sort(key=_inner_key)
        return spans

    def quote_spans(self, quote_id: int) -> list[Span]:
        """The spans currently shown for ``quote_id``."""
        return self._index.spans_of(quote_id)

    # -- selection -------------------------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """Code-point range of the current selection, or None if nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._offsets.range_from_qt(cursor.selectionStart(), cursor.selectionEnd())

    def cursor_position(self) -> int:
        """Code-point offset of the text cursor (the moving end of the selection)."""
        return self._offsets.clamp_from_qt(self.textCursor().position())

    def select_range(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` and scroll them into view.

        The selection runs forwards (anchor at ``start``), unless it is taller than the view: then
        it runs backwards, so that scrolling brings its start into view rather than its end.
        """
        if not 0 <= start <= end <= self._offsets.length:
            raise ValueError(f"range [{start}, {end}) outside the text (0..{self._offsets.length})")
        s, e = self._offsets.range_to_qt(start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(s)
        cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)  # scrolls the end into view
        start_cursor = QTextCursor(self.document())
        start_cursor.setPosition(s)
        if not self.viewport().rect().contains(self.cursorRect(start_cursor).center()):
            cursor.setPosition(e)
            cursor.setPosition(s, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)

    def set_find_match(self, rng: tuple[int, int] | None) -> None:
        """Outline a find match (code points) with the view's single extra selection; None clears."""
        if rng is None:
            self.setExtraSelections([])
            return
        s, e = self._offsets.range_to_qt(*rng)
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(s)
        cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(FIND_MATCH_COLOUR))
        fmt.setProperty(QTextFormat.Property.OutlinePen, QColor("#b35900"))
        sel.format = fmt
        self.setExtraSelections([sel])

    def _on_selection_changed(self) -> None:
        if self._loading:
            return
        rng = self.selected_range() or (-1, -1)
        if rng != self._last_selection:
            self._last_selection = rng
            self.selection_changed.emit(*rng)

    # -- hit testing -----------------------------------------------------------------------------

    def cp_at(self, point: QPoint) -> int | None:
        """Code point of the character under ``point`` (viewport coordinates), or None."""
        if not self._text:
            return None
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        if not rect.top() <= point.y() <= rect.bottom():
            return None  # below the last line, or past the end of a wrapped line
        block = cursor.block()
        pos = cursor.position()
        if point.x() >= rect.left():
            if pos >= block.position() + block.length() - 1:
                return None  # right of the end of the paragraph
            u = pos
        else:
            if pos <= block.position():
                return None
            u = pos - 1  # inside a surrogate pair at worst: from_qt snaps to its start
        return self._offsets.from_qt(u)

    def quote_at(self, point: QPoint) -> int | None:
        """Id of the innermost quote under ``point`` (viewport coordinates), or None."""
        cp = self.cp_at(point)
        if cp is None:
            return None
        for span in self.spans_at(cp):
            if span.kind is SpanKind.QUOTE:
                return span.quote_id
        return None

    def tooltip_at(self, point: QPoint) -> tuple[str, QRect]:
        """The (escaped) tooltip for ``point`` in viewport coordinates, and the viewport rectangle
        where it stays valid: the piece of the visual line between the nearest span boundaries.
        ``("", QRect())`` where no span is."""
        cp = self.cp_at(point)
        if cp is None:
            return "", QRect()
        spans = self.spans_at(cp)
        marks = self.suggestions_at(cp)
        if not spans and not marks:
            return "", QRect()
        lines = [m.tooltip or "Suggestion" for m in marks] + [describe_span(sp) for sp in spans]
        return tooltip("\n".join(lines)), self._segment_rect(self._offsets.to_qt(cp))

    def _segment_rect(self, u: int) -> QRect:
        """Viewport rectangle of the run of equally-highlighted text around UTF-16 position ``u``,
        on its visual line."""
        block = self.document().findBlock(u)
        layout = block.layout()
        b0 = block.position()
        line = layout.lineForTextPosition(u - b0)
        if not line.isValid():
            return QRect()
        lo = b0 + line.textStart()
        hi = lo + line.textLength()
        edges = [(en.s, en.e) for en in self._index.overlapping(lo, hi)]
        edges += [(m[0], m[1]) for m in self._marks.overlapping(lo, hi)]
        for pair in edges:
            for edge in pair:
                if lo < edge <= u:
                    lo = edge
                elif u < edge < hi:
                    hi = edge
        x0 = _cursor_x(line, lo - b0)
        x1 = _cursor_x(line, hi - b0)
        origin = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        return QRectF(
            origin.x() + min(x0, x1), origin.y() + line.y(), abs(x1 - x0), line.height()
        ).toAlignedRect()

    # -- events ----------------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        pos = event.position().toPoint()
        if (pos - press).manhattanLength() >= QApplication.startDragDistance():
            return
        if self.textCursor().hasSelection():
            return
        quote_id = self.quote_at(pos)
        if quote_id is not None:
            self.quote_clicked.emit(quote_id)
            return
        key = self.suggestion_at(pos)
        if key is not None:
            self.suggestion_clicked.emit(key)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip, rect = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport(), rect)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_column_margins()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._update_column_margins()

    def _update_column_margins(self) -> None:
        """Centre a text column about MAX_COLUMNS characters wide."""
        column = QFontMetricsF(self.font()).averageCharWidth() * self.MAX_COLUMNS
        column += 2 * self.document().documentMargin()
        available = self.contentsRect().width()
        scrollbar = self.verticalScrollBar()
        if scrollbar.isVisible():
            available -= scrollbar.width()
        side = max(0, int((available - column) / 2))
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)


# --------------------------------------------------------------------------------------------------
# Find bar and pane
# --------------------------------------------------------------------------------------------------


class FindBar(QWidget):
    """A one-line find bar: query, "3 of 12" status, previous/next and close buttons."""

    query_changed = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText("Find in article")
        self.line_edit.setClearButtonEnabled(True)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setMinimumWidth(90)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("▲")
        self.previous_button.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        self.next_button = QToolButton(self)
        self.next_button.setText("▼")
        self.next_button.setToolTip("Next match (Enter, F3)")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.close_button)

        self.line_edit.textChanged.connect(self.query_changed)
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.close_button.clicked.connect(self.close_bar)
        self.line_edit.installEventFilter(self)

    def query(self) -> str:
        return self.line_edit.text()

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def open_bar(self) -> None:
        """Show the bar and put the focus in the query, all of it selected."""
        self.show()
        self.line_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line_edit.selectAll()

    def close_bar(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is self.line_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previous_requested.emit()
                else:
                    self.next_requested.emit()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)


class ReaderPane(QWidget):
    """The :class:`ReaderView` with a find bar (Ctrl+F; Enter/F3 next, Shift+Enter/Shift+F3
    previous, Esc closes). Find is case-insensitive over the canonical text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = ReaderView(self)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)

        self._query = ""
        self._matches: list[tuple[int, int]] = []
        self._matches_text: str | None = None  # the text object the matches were computed on
        self._match_index = -1

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Find), self._on_find_shortcut),
            (QKeySequence(Qt.Key.Key_F3), self._on_find_next),
            (QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3), self._on_find_previous),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        self.find_bar.query_changed.connect(self._on_find_query_changed)
        self.find_bar.next_requested.connect(self._on_find_next)
        self.find_bar.previous_requested.connect(self._on_find_previous)
        self.find_bar.closed.connect(self._on_find_closed)

    def set_article(self, text: str, spans: Iterable[Span] = ()) -> None:
        """Shortcut for ``view.set_article``."""
        self.view.set_article(text, spans)
        self._refresh_matches()

    def find_matches(self) -> list[tuple[int, int]]:
        """Code-point ranges of the find bar's current matches."""
        self._refresh_matches()
        return list(self._matches)

    # -- slots -----------------------------------------------------------------------------------

    def _on_find_shortcut(self) -> None:
        self.find_bar.open_bar()

    def _on_find_query_changed(self, query: str) -> None:
        self._query = query
        self._matches_text = None
        self._refresh_matches()
        # Incremental: jump to the first match at or after the selection (or cursor) start.
        sel = self.view.selected_range()
        origin = sel[0] if sel else self.view.cursor_position()
        self._match_index = -1
        if self._matches:
            i = bisect_left(self._matches, (origin, -1))
            self._goto(i % len(self._matches))
        else:
            self.view.set_find_match(None)
            self._update_status()

    def _on_find_next(self) -> None:
        self._step(+1)

    def _on_find_previous(self) -> None:
        self._step(-1)

    def _on_find_closed(self) -> None:
        self.view.set_find_match(None)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- internals -------------------------------------------------------------------------------

    def _refresh_matches(self) -> None:
        text = self.view.text()
        if self._matches_text is text:
            return
        self._matches_text = text
        if self._query:
            pattern = re.compile(re.escape(self._query), re.IGNORECASE)
            self._matches = [m.span() for m in pattern.finditer(text)]
        else:
            self._matches = []
        self._match_index = -1
        self._update_status()

    def _step(self, direction: int) -> None:
        if not self.find_bar.isVisible():
            self.find_bar.open_bar()
        self._refresh_matches()
        n = len(self._matches)
        if not n:
            self._update_status()
            return
        if self._match_index < 0:
            pos = self.view.cursor_position()
            if direction > 0:
                i = bisect_left(self._matches, (pos, -1))
            else:
                i = bisect_left(self._matches, (pos, -1)) - 1
            self._goto(i % n)
        else:
            self._goto((self._match_index + direction) % n)

    def _goto(self, i: int) -> None:
        self._match_index = i
        rng = self._matches[i]
        self.view.select_range(*rng)
        self.view.set_find_match(rng)
        self._update_status()

    def _update_status(self) -> None:
        if not self._query:
            self.find_bar.set_status("")
        elif not self._matches:
            self.find_bar.set_status("no match")
        elif self._match_index < 0:
            self.find_bar.set_status(f"{len(self._matches)} matches")
        else:
            self.find_bar.set_status(f"{self._match_index + 1} of {len(self._matches)}")

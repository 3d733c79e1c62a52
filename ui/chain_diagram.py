"""A quote's provenance chain drawn as a diagram: speaker → each intermediary → the article's outlet.

Each node shows its position ("SPEAKER", "INTERMEDIARY 1", "OUTLET"), the source's label, its kind
and role, and an "anonymous" badge; each edge carries the hop's relation ("according to"), and an
edge whose hop has no evidence span says so. The chain wraps onto further rows when it does not fit
the width (the widget has a height for its width: put it in a resizable ``QScrollArea``).

Clicking a node or an edge (or moving with Left/Right and pressing Enter) asks for the span that
backs it: the speaker's cue, an intermediary's evidence, the outlet's quote. ``span_requested``
carries it; ``span_unavailable`` carries a hint when there is none. All text is painted with
``QPainter.drawText`` (never rich text); tooltips are escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.records import QuoteRecord, SourceRecord, Span
from ui.plaintext import tooltip

NODE_FILL = {"speaker": "#e7effc", "intermediary": "#f6f6f6", "outlet": "#e9f5e9"}
NODE_BORDER = {"speaker": "#4a76c0", "intermediary": "#8a8a8a", "outlet": "#4f9a4f"}
MISSING_COLOUR = "#b3261e"
EDGE_COLOUR = "#505050"
NO_EVIDENCE_COLOUR = "#b35c00"
HOVER_COLOUR = "#1f5fbf"
BADGE_FILL = "#5b5b5b"


@dataclass(frozen=True)
class ChainNode:
    """One box of the diagram."""

    role: str  # speaker, intermediary, outlet
    title: str  # SPEAKER, INTERMEDIARY 1, OUTLET
    label: str  # the source's label, or a placeholder
    detail: str  # the source's role ("Russian government"), may be empty
    kind: str  # organization, person, outlet, anonymous… (empty for a placeholder)
    anonymous: bool
    span: Span | None  # what clicking it shows in the article
    hint: str  # what clicking it says when there is no span
    tip: str  # plain tooltip text
    missing: bool = False  # a placeholder (no speaker, no outlet)


@dataclass(frozen=True)
class ChainEdge:
    """The arrow into node ``index + 1``."""

    relation: str
    span: Span | None
    hint: str
    tip: str
    no_evidence: bool = False  # a hop without an evidence span: drawn as a warning
    dashed: bool = False  # the last edge, into the outlet


def _detail(src: SourceRecord) -> str:
    """The node's second line: the source's role (its kind is shown as a chip below)."""
    return src.role or ""


def _source_tip(src: SourceRecord, position: str) -> str:
    lines = [f"{position}: {src.label}", f"kind: {src.kind}"]
    if src.label != src.name:
        lines.append(f"registry name: {src.name}")
    if src.role:
        lines.append(f"role: {src.role}")
    if src.nationality:
        lines.append(f"nationality: {src.nationality}")
    if src.aliases:
        lines.append(f"also known as: {', '.join(src.aliases)}")
    return "\n".join(lines)


def _span_words(span: Span | None, text: str | None) -> str:
    if span is None or text is None or not 0 <= span[0] < span[1] <= len(text):
        return ""
    words = " ".join(text[span[0] : span[1]].split())
    return f"“{words if len(words) <= 80 else words[:79] + '…'}”"


def chain_elements(
    quote: QuoteRecord,
    sources: Mapping[int, SourceRecord],
    outlet_id: int | None,
    text: str | None = None,
) -> tuple[list[ChainNode], list[ChainEdge]]:
    """The nodes (speaker, intermediaries, outlet) and the edges between them for one quote."""
    nodes: list[ChainNode] = []
    edges: list[ChainEdge] = []
    spk = sources.get(quote.speaker_id) if quote.speaker_id is not None else None
    if spk is None:
        nodes.append(
            ChainNode(
                "speaker",
                "SPEAKER",
                "(no speaker)",
                "nobody is credited yet",
                "",
                False,
                quote.cue,
                "The quote has no speaker yet.",
                "No speaker: the chain cannot be approved",
                missing=True,
            )
        )
    else:
        cue_words = _span_words(quote.cue, text)
        tip = _source_tip(spk, "Speaker")
        tip += f"\ncue: {cue_words}" if cue_words else "\nno cue marked"
        nodes.append(
            ChainNode(
                "speaker",
                "SPEAKER",
                spk.label,
                _detail(spk),
                spk.kind,
                spk.kind == "anonymous",
                quote.cue,
                f"No cue is marked for the speaker {spk.label} (the words that introduce the quote).",
                tip,
            )
        )
    for i, hop in enumerate(quote.hops):
        src = sources.get(hop.source_id)
        label = src.label if src else f"source #{hop.source_id}"
        where = f"intermediary {i + 1} ({label})"
        hint = f"No evidence span for {where}: nothing in the article is marked as saying so."
        ev_words = _span_words(hop.evidence, text)
        ev = (
            f"evidence: {ev_words}"
            if ev_words
            else ("evidence marked" if hop.evidence else "no evidence span")
        )
        tip = (
            _source_tip(src, f"Intermediary {i + 1}") if src else f"Intermediary {i + 1}: {label}"
        ) + f"\n{ev}"
        edges.append(
            ChainEdge(
                hop.relation,
                hop.evidence,
                hint,
                f"{hop.relation}\n{ev}",
                no_evidence=hop.evidence is None,
            )
        )
        nodes.append(
            ChainNode(
                "intermediary",
                f"INTERMEDIARY {i + 1}",
                label,
                _detail(src) if src else "unknown source",
                src.kind if src else "",
                bool(src and src.kind == "anonymous"),
                hop.evidence,
                hint,
                tip,
                missing=src is None,
            )
        )
    quote_span: Span = (quote.start, quote.end)
    out = sources.get(outlet_id) if outlet_id is not None else None
    if out is None:
        nodes.append(
            ChainNode(
                "outlet",
                "OUTLET",
                "(outlet unknown)",
                "the article names no outlet",
                "",
                False,
                quote_span,
                "",
                "The article has no outlet: the chain ends at an unknown publisher",
                missing=True,
            )
        )
    else:
        nodes.append(
            ChainNode(
                "outlet",
                "OUTLET",
                out.label,
                _detail(out),
                out.kind,
                out.kind == "anonymous",
                quote_span,
                "",
                _source_tip(out, "Outlet (the article's publisher)") + "\nclick to show the quote",
            )
        )
    edges.append(
        ChainEdge("published in", quote_span, "", "The quote as the outlet published it", dashed=True)
    )
    return nodes, edges


def _wrap_two(fm: QFontMetrics, text: str, width: int) -> list[str]:
    """``text`` on at most two lines of ``width`` pixels: broken between words, the rest elided."""
    text = " ".join(text.split())
    if fm.horizontalAdvance(text) <= width:
        return [text]
    words = text.split(" ")
    first = ""
    for i, word in enumerate(words):
        trial = f"{first} {word}" if first else word
        if fm.horizontalAdvance(trial) > width:
            if not first:  # one very long word: cut it
                return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)]
            rest = " ".join(words[i:])
            return [first, fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
        first = trial
    return [first]


@dataclass
class _EdgeGeometry:
    path: QPainterPath  # the line, possibly bent onto the next row
    tip: QPointF  # where the arrow head points
    label_rect: QRect
    below_rect: QRect  # room for "no evidence"
    hit: QRect


class ChainDiagram(QWidget):
    """Paints a chain; emits the span behind whatever the user clicks."""

    span_requested = Signal(int, int)
    """The span (code points) backing the clicked node or edge."""

    span_unavailable = Signal(str)
    """The clicked node or edge has no span: a hint saying so."""

    chain_laid_out = Signal(int, int)
    """The layout changed: the height it needs for the current width, and that of two rows."""

    MARGIN = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[ChainNode] = []
        self._edges: list[ChainEdge] = []
        self._placeholder = "Pick a quote to see its chain."
        self._node_rects: list[QRect] = []
        self._edge_geoms: list[_EdgeGeometry] = []
        self._layout_width = -1
        self._hover: tuple[str, int] | None = None
        self._focus: tuple[str, int] | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        sp = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)
        self.setAccessibleName("Provenance chain")

    # -- content ---------------------------------------------------------------------------------

    def set_chain(self, nodes: Sequence[ChainNode], edges: Sequence[ChainEdge]) -> None:
        if len(nodes) and len(edges) != len(nodes) - 1:
            raise ValueError("a chain of n nodes has n - 1 edges")
        self._nodes, self._edges = list(nodes), list(edges)
        self._hover = self._focus = None
        self.setAccessibleDescription(self.chain_text())
        self._relayout()

    def clear(self, placeholder: str = "Pick a quote to see its chain.") -> None:
        self._placeholder = placeholder
        self.set_chain([], [])

    def nodes(self) -> list[ChainNode]:
        return list(self._nodes)

    def edges(self) -> list[ChainEdge]:
        return list(self._edges)

    def chain_text(self) -> str:
        """The chain as one line: ``Moscow → (according to) a Turkish official → …``."""
        if not self._nodes:
            return ""
        out = self._nodes[0].label
        for e, n in zip(self._edges, self._nodes[1:], strict=True):
            out += f" → ({e.relation}) {n.label}"
        return out

    def node_rect(self, index: int) -> QRect:
        """Where node ``index`` is drawn (for tests and accessibility)."""
        self._ensure_layout()
        return QRect(self._node_rects[index])

    def edge_rect(self, index: int) -> QRect:
        """The clickable area of edge ``index`` (the arrow into node ``index + 1``)."""
        self._ensure_layout()
        return QRect(self._edge_geoms[index].hit)

    def edge_label_rect(self, index: int) -> QRect:
        self._ensure_layout()
        return QRect(self._edge_geoms[index].label_rect)

    # -- geometry --------------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        if base.pointSizeF() > 0:
            small.setPointSizeF(max(6.5, base.pointSizeF() * 0.85))
        else:
            small.setPixelSize(max(9, int(base.pixelSize() * 0.85)))
        return base, bold, small

    def _metrics(self) -> dict[str, int]:
        base, bold, small = self._fonts()
        fm, fb, fs = QFontMetrics(base), QFontMetrics(bold), QFontMetrics(small)
        pad = 8
        node_w = max(160, fm.averageCharWidth() * 24)
        widest = max((fm.horizontalAdvance(e.relation) for e in self._edges), default=0)
        edge_w = min(max(96, widest + 28), max(130, fm.averageCharWidth() * 18))
        badge_h = fs.height() + 4
        label_lines = max((len(_wrap_two(fb, n.label, node_w - 2 * pad)) for n in self._nodes), default=1)
        node_h = pad + fs.height() + 2 + label_lines * fb.height() + 2 + fs.height() + 4 + badge_h + pad
        return {
            "pad": pad,
            "node_w": node_w,
            "node_h": node_h,
            "edge_w": edge_w,
            "badge_h": badge_h,
            "label_lines": label_lines,
            "row_gap": max(34, fs.height() * 2 + 8),
            "line_h": fs.height(),
            "bold_h": fb.height(),
        }

    def _compute(self, width: int) -> tuple[list[QRect], list[_EdgeGeometry], int]:
        m = self._metrics()
        M, nw, nh, ew, gap = self.MARGIN, m["node_w"], m["node_h"], m["edge_w"], m["row_gap"]
        label_h = m["line_h"] + 2
        rects: list[QRect] = []
        geoms: list[_EdgeGeometry] = []
        if not self._nodes:
            return rects, geoms, 2 * M + nh
        x, y = M, M
        rects.append(QRect(x, y, nw, nh))
        for _ in self._edges:
            prev = rects[-1]
            cy = y + nh // 2
            if prev.right() + 1 + ew + nw + M <= width:
                x0 = prev.right() + 1
                path = QPainterPath(QPointF(x0, cy))
                path.lineTo(QPointF(x0 + ew - 2, cy))
            else:  # wrap: down from the previous node, back to the left margin, into the next row
                y += nh + gap
                cy = y + nh // 2
                x0 = M
                bend_y = prev.bottom() + 1 + gap // 2
                path = QPainterPath(QPointF(prev.center().x(), prev.bottom() + 1))
                path.lineTo(QPointF(prev.center().x(), bend_y))
                path.lineTo(QPointF(M + 4, bend_y))
                path.lineTo(QPointF(M + 4, cy))
                path.lineTo(QPointF(x0 + ew - 2, cy))
            node = QRect(x0 + ew, y, nw, nh)
            label_rect = QRect(x0 + 8, cy - label_h - 3, ew - 14, label_h)
            below_rect = QRect(x0 + 8, cy + 4, ew - 14, label_h)
            hit = QRect(x0 + 4, cy - label_h - 4, ew - 6, 2 * label_h + 10)
            geoms.append(_EdgeGeometry(path, QPointF(x0 + ew - 2, cy), label_rect, below_rect, hit))
            rects.append(node)
        height = rects[-1].bottom() + 1 + M
        return rects, geoms, height

    def _relayout(self) -> None:
        self._layout_width = -1
        self._ensure_layout()
        self.updateGeometry()
        self.update()

    def _ensure_layout(self) -> None:
        if self._layout_width == self.width():
            return
        self._node_rects, self._edge_geoms, height = self._compute(self.width())
        self._layout_width = self.width()
        if self.minimumHeight() != height:
            self.setMinimumHeight(height)
        m = self._metrics()
        self.chain_laid_out.emit(height, 2 * self.MARGIN + 2 * m["node_h"] + m["row_gap"])

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._compute(width)[2]

    def sizeHint(self) -> QSize:  # noqa: N802
        m = self._metrics()
        n = max(1, len(self._nodes))
        width = 2 * self.MARGIN + n * m["node_w"] + (n - 1) * m["edge_w"]
        return QSize(width, self._compute(width)[2])

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        m = self._metrics()
        return QSize(2 * self.MARGIN + m["node_w"] + m["edge_w"], 2 * self.MARGIN + m["node_h"])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._ensure_layout()

    # -- hit testing and activation -------------------------------------------------------------------

    def element_at(self, pos: QPoint) -> tuple[str, int] | None:
        """``("node", i)`` or ``("edge", i)`` under ``pos``."""
        self._ensure_layout()
        for i, r in enumerate(self._node_rects):
            if r.contains(pos):
                return ("node", i)
        for i, g in enumerate(self._edge_geoms):
            if g.hit.contains(pos):
                return ("edge", i)
        return None

    def activate(self, element: tuple[str, int]) -> None:
        """Ask for the span behind a node or an edge (as a click does)."""
        kind, i = element
        item = self._nodes[i] if kind == "node" else self._edges[i]
        self._focus = element
        self.update()
        if item.span is not None:
            self.span_requested.emit(item.span[0], item.span[1])
        else:
            self.span_unavailable.emit(item.hint or "Nothing in the article is marked for this.")

    def _elements(self) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for i in range(len(self._nodes)):
            if i:
                out.append(("edge", i - 1))
            out.append(("node", i))
        return out

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.element_at(event.position().toPoint())
            if hit is not None:
                self.activate(hit)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self.element_at(event.position().toPoint())
        if hit != self._hover:
            self._hover = hit
            self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        if self._hover is not None:
            self._hover = None
            self.unsetCursor()
            self.update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        elements = self._elements()
        key = event.key()
        if elements and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End):
            pos = elements.index(self._focus) if self._focus in elements else -1
            if key == Qt.Key.Key_Right:
                pos = min(len(elements) - 1, pos + 1)
            elif key == Qt.Key.Key_Left:
                pos = max(0, pos - 1)
            elif key == Qt.Key.Key_Home:
                pos = 0
            else:
                pos = len(elements) - 1
            self._focus = elements[pos]
            self.update()
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._focus in elements:
            assert self._focus is not None
            self.activate(self._focus)
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            hit = self.element_at(event.pos())
            if hit is None:
                QToolTip.hideText()
                event.ignore()
                return True
            kind, i = hit
            item = self._nodes[i] if kind == "node" else self._edges[i]
            QToolTip.showText(event.globalPos(), tooltip(item.tip), self)
            return True
        return super().event(event)

    # -- painting --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self._ensure_layout()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        if not self._nodes:
            p.setPen(self.palette().placeholderText().color())
            p.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._placeholder,
            )
            return
        base, bold, small = self._fonts()
        m = self._metrics()
        for i, (edge, g) in enumerate(zip(self._edges, self._edge_geoms, strict=True)):
            self._paint_edge(p, edge, g, ("edge", i), small)
        for i, (node, r) in enumerate(zip(self._nodes, self._node_rects, strict=True)):
            self._paint_node(p, node, r, ("node", i), bold, small, m)
        p.end()

    def _paint_edge(
        self, p: QPainter, edge: ChainEdge, g: _EdgeGeometry, key: tuple[str, int], small: QFont
    ) -> None:
        hovered = self._hover == key or self._focus == key
        colour = QColor(HOVER_COLOUR if hovered else NO_EVIDENCE_COLOUR if edge.no_evidence else EDGE_COLOUR)
        pen = QPen(colour, 2.2 if hovered else 1.6)
        if edge.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        elif edge.no_evidence:
            pen.setStyle(Qt.PenStyle.DotLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(g.path)
        tip = g.tip
        head = QPolygonF([tip, QPointF(tip.x() - 8, tip.y() - 4.5), QPointF(tip.x() - 8, tip.y() + 4.5)])
        p.setPen(QPen(colour, 1))
        p.setBrush(QBrush(colour))
        p.drawPolygon(head)
        p.setFont(small if edge.dashed else self.font())
        p.setPen(colour if not edge.dashed else self.palette().placeholderText().color())
        fm = p.fontMetrics()
        p.drawText(
            g.label_rect,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            fm.elidedText(edge.relation, Qt.TextElideMode.ElideRight, g.label_rect.width()),
        )
        if edge.no_evidence:
            p.setFont(small)
            p.setPen(QColor(NO_EVIDENCE_COLOUR))
            p.drawText(
                g.below_rect,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                p.fontMetrics().elidedText("no evidence", Qt.TextElideMode.ElideRight, g.below_rect.width()),
            )
        if self._focus == key and self.hasFocus():
            p.setPen(QPen(QColor(HOVER_COLOUR), 1, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(g.hit.adjusted(0, 0, -1, -1))

    def _paint_node(
        self,
        p: QPainter,
        node: ChainNode,
        r: QRect,
        key: tuple[str, int],
        bold: QFont,
        small: QFont,
        m: dict[str, int],
    ) -> None:
        hovered = self._hover == key or self._focus == key
        border = QColor(MISSING_COLOUR if node.missing else NODE_BORDER.get(node.role, "#808080"))
        if hovered:
            border = QColor(HOVER_COLOUR)
        pen = QPen(border, 2.4 if hovered else 1.4)
        if node.anonymous or node.missing:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QColor(NODE_FILL.get(node.role, "#ffffff")))
        p.drawRoundedRect(QRectF(r).adjusted(1, 1, -1, -1), 7, 7)
        pad = m["pad"]
        inner = r.adjusted(pad, pad, -pad, -pad)
        y = inner.top()
        p.setFont(small)
        fs = p.fontMetrics()
        p.setPen(QColor("#606060"))
        p.drawText(QRect(inner.left(), y, inner.width(), fs.height()), Qt.AlignmentFlag.AlignLeft, node.title)
        y += fs.height() + 2
        p.setFont(bold)
        fb = p.fontMetrics()
        p.setPen(QColor(MISSING_COLOUR) if node.missing else self.palette().text().color())
        for line in _wrap_two(fb, node.label, inner.width()):
            p.drawText(QRect(inner.left(), y, inner.width(), fb.height()), Qt.AlignmentFlag.AlignLeft, line)
            y += fb.height()
        y += 2 + (m["label_lines"] - len(_wrap_two(fb, node.label, inner.width()))) * fb.height()
        p.setFont(small)
        p.setPen(QColor("#505050"))
        p.drawText(
            QRect(inner.left(), y, inner.width(), fs.height()),
            Qt.AlignmentFlag.AlignLeft,
            fs.elidedText(node.detail, Qt.TextElideMode.ElideRight, inner.width()),
        )
        y += fs.height() + 4
        if node.kind:
            # The kind as a chip; an anonymous source gets a dark "anonymous" badge instead.
            text = node.kind
            bw = min(inner.width(), fs.horizontalAdvance(text) + 14)
            badge = QRectF(inner.left(), y, bw, m["badge_h"])
            radius = m["badge_h"] / 2
            if node.anonymous:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(BADGE_FILL))
                p.drawRoundedRect(badge, radius, radius)
                p.setPen(QColor("#ffffff"))
            else:
                p.setPen(QPen(QColor("#9a9a9a"), 1))
                p.setBrush(QColor("#ffffff"))
                p.drawRoundedRect(badge.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
                p.setPen(QColor("#404040"))
            p.drawText(
                badge, Qt.AlignmentFlag.AlignCenter, fs.elidedText(text, Qt.TextElideMode.ElideRight, bw - 8)
            )
        if self._focus == key and self.hasFocus():
            p.setPen(QPen(QColor(HOVER_COLOUR), 1, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(r).adjusted(-3, -3, 3, 3), 9, 9)

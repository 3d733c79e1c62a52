"""The article reader, driven through the real widget as a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

import ui.reader as reader_module
from ui.offsets import Utf16Index
from ui.reader import (
    STATUS_COLOURS,
    STATUS_CURRENT_COLOURS,
    STATUSES,
    ReaderPane,
    ReaderView,
    Span,
    SpanKind,
    tooltip_html,
)

Q, CUE, EV = SpanKind.QUOTE, SpanKind.CUE, SpanKind.EVIDENCE

# Astral characters, a flag (2 code points, 4 UTF-16 units) and a combining mark before the quotes.
ARTICLE = (
    "𝕏 posts 😀😀 and 🇺🇦 flags, naïve x\u0301 text.\n"
    "The minister said “we will not retreat from the talks” on Friday.\n"
    "\n"
    "Later 🎉 he added: “Istanbul is the place. Moscow agrees.” The end.\n"
    "A quote “that runs\nacross two paragraphs” here.\n"
)


def find(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    i = text.index(needle, start)
    return i, i + len(needle)


Q1 = find(ARTICLE, "we will not retreat from the talks")
Q2 = find(ARTICLE, "Istanbul is the place. Moscow agrees.")
Q2_INNER = find(ARTICLE, "Moscow agrees")
CUE1 = find(ARTICLE, "said")
EV1 = find(ARTICLE, "Friday")
Q_CROSS = find(ARTICLE, "that runs\nacross two paragraphs")


def spans() -> list[Span]:
    return [
        Span(*Q1, Q, 1, "verified", "the minister ← Reuters"),
        Span(*CUE1, CUE, 1, "verified"),
        Span(*EV1, EV, 1, "verified"),
        Span(*Q2, Q, 2, "disputed", "Moscow ← a Turkish official ← CNN"),
        Span(*Q2_INNER, Q, 3, "disputed", "Moscow"),
        Span(*Q_CROSS, Q, 4, "unverified"),
    ]


@pytest.fixture
def view(qtbot) -> ReaderView:
    v = ReaderView()
    qtbot.addWidget(v)
    v.resize(700, 500)
    v.set_article(ARTICLE, spans())
    v.show()
    qtbot.waitExposed(v)
    return v


@pytest.fixture
def pane(qtbot) -> ReaderPane:
    p = ReaderPane()
    qtbot.addWidget(p)
    p.resize(700, 500)
    p.set_article(ARTICLE, spans())
    p.show()
    qtbot.waitExposed(p)
    p.activateWindow()
    qtbot.waitActive(p)
    p.view.setFocus()
    return p


# -- helpers (the test's own UTF-16 conversions go through Utf16Index too) -------------------------


def cursor_at(view: ReaderView, cp: int) -> QTextCursor:
    cursor = QTextCursor(view.document())
    cursor.setPosition(Utf16Index(view.text()).to_qt(cp))
    return cursor


def point_before(view: ReaderView, cp: int) -> QPoint:
    """Viewport point on the caret position just before code point ``cp``."""
    return view.cursorRect(cursor_at(view, cp)).center()


def point_inside(view: ReaderView, cp: int) -> QPoint:
    """Viewport point in the middle of the character at ``cp``."""
    left = view.cursorRect(cursor_at(view, cp)).center()
    right = view.cursorRect(cursor_at(view, cp + 1)).center()
    assert right.y() == left.y(), "character wraps; pick another"
    return QPoint((left.x() + right.x()) // 2, left.y())


def format_at(view: ReaderView, cp: int) -> QTextCharFormat:
    view.ensure_highlighted(cp, cp + 1)  # blocks off screen are worked out when shown
    u = Utf16Index(view.text()).to_qt(cp)
    block = view.document().findBlock(u)
    rel = u - block.position()
    for rng in block.layout().formats():
        if rng.start <= rel < rng.start + rng.length:
            return QTextCharFormat(rng.format)
    return QTextCharFormat()


def background(view: ReaderView, cp: int) -> str | None:
    fmt = format_at(view, cp)
    if not fmt.hasProperty(QTextCharFormat.Property.BackgroundBrush):
        return None
    return fmt.background().color().name()


# -- content -----------------------------------------------------------------------------------------


def test_text_is_the_canonical_text_given(qtbot) -> None:
    v = ReaderView()
    qtbot.addWidget(v)
    text = "no\u00a0break and 😀\n"  # toPlainText() would turn the NBSP into a space
    v.set_article(text, [])
    assert v.text() == text
    assert v.isReadOnly()


def test_set_article_refuses_non_canonical_text(qtbot) -> None:
    v = ReaderView()
    qtbot.addWidget(v)
    with pytest.raises(ValueError):
        v.set_article("windows\r\nnewlines", [])
    with pytest.raises(ValueError):
        v.set_article("a line\u2028separator", [])
    with pytest.raises(ValueError):
        v.set_article("abc", [Span(0, 4, Q, 1, "verified")])


def test_document_positions_are_utf16_offsets_of_the_text(view: ReaderView) -> None:
    idx = Utf16Index(ARTICLE)
    cursor = QTextCursor(view.document())
    cursor.setPosition(idx.to_qt(Q2[0]))
    cursor.setPosition(idx.to_qt(Q2[1]), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == ARTICLE[Q2[0] : Q2[1]]
    assert view.document().characterCount() - 1 == idx.qt_length


# -- selection ---------------------------------------------------------------------------------------


def test_mouse_drag_selection_gives_code_points(view: ReaderView, qtbot) -> None:
    start, end = Q2
    vp = view.viewport()
    emitted: list[tuple[int, int]] = []
    view.selection_changed.connect(lambda s, e: emitted.append((s, e)))
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=point_before(view, start))
    qtbot.mouseMove(vp, point_before(view, start + 4))
    qtbot.mouseMove(vp, point_before(view, end - 1))
    qtbot.mouseMove(vp, point_before(view, end))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=point_before(view, end))
    assert view.selected_range() == (start, end)
    assert emitted[0] == (start, start + 4) and emitted[-1] == (start, end)
    s, e = view.selected_range()
    assert ARTICLE[s:e] == view.textCursor().selectedText() == "Istanbul is the place. Moscow agrees."


def test_keyboard_selection_over_astral_characters(view: ReaderView, qtbot) -> None:
    # Put the caret at the start of the text and extend over "𝕏 posts 😀😀 and 🇺🇦".
    view.setTextCursor(cursor_at(view, 0))
    view.setFocus()
    graphemes = ["𝕏", " ", "p", "o", "s", "t", "s", " ", "😀", "😀", " ", "a", "n", "d", " ", "🇺🇦"]
    for _ in graphemes:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    s, e = view.selected_range()
    assert (s, e) == (0, len("".join(graphemes)))
    assert ARTICLE[s:e] == "𝕏 posts 😀😀 and 🇺🇦" == view.textCursor().selectedText()
    # one more: the space after the flag
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert ARTICLE[slice(*view.selected_range())] == "𝕏 posts 😀😀 and 🇺🇦 "


def test_combining_mark_selection(view: ReaderView, qtbot) -> None:
    start = ARTICLE.index("x\u0301")
    view.setTextCursor(cursor_at(view, start))
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert ARTICLE[slice(*view.selected_range())] == "x\u0301"


def test_select_range_round_trips(view: ReaderView, qtbot) -> None:
    flag = ARTICLE.index("🇺🇦")
    for rng in (Q1, Q2, Q2_INNER, Q_CROSS, (0, 1), (0, len(ARTICLE)), (flag, flag + 2)):
        view.select_range(*rng)
        assert view.selected_range() == rng
        qt_text = view.textCursor().selectedText().replace("\u2029", "\n")
        assert qt_text == ARTICLE[rng[0] : rng[1]]
    with pytest.raises(ValueError):
        view.select_range(3, len(ARTICLE) + 1)


def test_selection_changed_reports_empty_selection(view: ReaderView, qtbot) -> None:
    view.select_range(*Q1)
    with qtbot.waitSignal(view.selection_changed) as blocker:
        view.setTextCursor(cursor_at(view, 3))
    assert blocker.args == [-1, -1]
    assert view.selected_range() is None


def test_select_range_scrolls_into_view(qtbot) -> None:
    v = ReaderView()
    qtbot.addWidget(v)
    v.resize(500, 300)
    text = "".join(f"Paragraph {i} 😀 with some words to fill the line.\n" for i in range(400))
    v.set_article(text, [])
    v.show()
    qtbot.waitExposed(v)
    rng = find(text, "Paragraph 350 😀")
    v.select_range(*rng)
    rect = v.cursorRect(cursor_at(v, rng[0]))
    assert v.viewport().rect().contains(rect.center())
    # A selection taller than the view still shows its start.
    rng = (find(text, "Paragraph 100 ")[0], find(text, "Paragraph 300 ")[0])
    v.select_range(*rng)
    assert v.selected_range() == rng
    assert v.viewport().rect().contains(v.cursorRect(cursor_at(v, rng[0])).center())


# -- highlights --------------------------------------------------------------------------------------


def test_quote_backgrounds_carry_the_status_colour(qtbot) -> None:
    v = ReaderView()
    qtbot.addWidget(v)
    text = "😀 " + " ".join(f"[{s}]" for s in STATUSES)
    ranges = [find(text, f"[{s}]") for s in STATUSES]
    sp = [Span(a + 1, b - 1, Q, i, s) for i, ((a, b), s) in enumerate(zip(ranges, STATUSES, strict=True))]
    v.set_article(text, sp)
    for span in sp:
        for cp in (span.start, span.end - 1):
            assert background(v, cp) == STATUS_COLOURS[span.status]
        assert background(v, span.start - 1) is None  # the "[" is not highlighted
    rejected = sp[STATUSES.index("rejected")]
    assert format_at(v, rejected.start).fontStrikeOut()
    assert not format_at(v, sp[0].start).fontStrikeOut()


def test_cue_and_evidence_formats_differ(view: ReaderView) -> None:
    cue = format_at(view, CUE1[0])
    ev = format_at(view, EV1[0])
    quote = format_at(view, Q1[0])
    assert cue.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert cue.fontWeight() > 400
    assert ev.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert cue.underlineColor() != ev.underlineColor()
    assert quote.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    assert background(view, CUE1[0]) is None


def test_nested_quotes_stay_distinguishable(view: ReaderView) -> None:
    outer_only = background(view, Q2[0])
    inner = background(view, Q2_INNER[0])
    assert outer_only == STATUS_COLOURS["disputed"]
    assert inner is not None and inner != outer_only
    assert background(view, Q2_INNER[1]) == outer_only  # the "." after the inner quote


def test_spans_cross_paragraphs(view: ReaderView) -> None:
    start, end = Q_CROSS
    nl = ARTICLE.index("\n", start)
    assert background(view, start) == background(view, nl - 1) == STATUS_COLOURS["unverified"]
    assert background(view, nl + 1) == background(view, end - 1) == STATUS_COLOURS["unverified"]
    assert background(view, end) is None


def test_update_quote_spans_changes_one_quote_only(view: ReaderView, qtbot) -> None:
    before = {cp: background(view, cp) for cp in range(len(ARTICLE))}
    moved = find(ARTICLE, "The end")
    view.update_quote_spans(1, [Span(*moved, Q, 1, "needs_review")])
    after = {cp: background(view, cp) for cp in range(len(ARTICLE))}
    changed = {cp for cp in after if after[cp] != before[cp]}
    assert changed == set(range(*Q1)) | set(range(*moved))
    assert all(after[cp] is None for cp in range(*Q1))
    assert all(after[cp] == STATUS_COLOURS["needs_review"] for cp in range(*moved))
    # quote 1's cue and evidence went with it
    assert format_at(view, CUE1[0]).underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    assert view.quote_spans(1) == [Span(*moved, Q, 1, "needs_review")]
    with pytest.raises(ValueError):
        view.update_quote_spans(1, [Span(*moved, Q, 2, "verified")])


def test_update_quote_spans_rehighlights_only_the_touched_blocks(qtbot, monkeypatch) -> None:
    calls: list[int] = []
    original = reader_module.SpanHighlighter.highlightBlock

    def counting(self, text):
        calls.append(self.currentBlock().blockNumber())
        original(self, text)

    monkeypatch.setattr(reader_module.SpanHighlighter, "highlightBlock", counting)
    v = ReaderView()
    qtbot.addWidget(v)
    text = "".join(f"Paragraph {i} 🎉 “a quote {i}” said someone.\n" for i in range(2000))
    sp = [Span(*find(text, f"a quote {i}”"), Q, i, "unverified") for i in range(2000)]
    v.resize(600, 400)
    v.show()
    v.set_article(text, sp)
    qtbot.waitExposed(v)
    # Only the blocks on screen (plus a margin) are worked out, not all 2,000.
    worked_out = set(v._highlighter._done)
    assert 0 < len(worked_out) < 200 and 0 in worked_out and 1500 not in worked_out
    calls.clear()
    # A quote on screen: its blocks, and only those, are redone at once.
    v.update_quote_spans(1, [Span(*find(text, "Paragraph 2 "), Q, 1, "verified")])
    assert sorted(set(calls)) == [1, 2]
    assert background(v, find(text, "Paragraph 2 ")[0]) == STATUS_COLOURS["verified"]
    calls.clear()
    # A quote off screen: nothing is redone now; it is right when it is shown.
    v.update_quote_spans(1500, [Span(*find(text, "Paragraph 1501"), Q, 1500, "verified")])
    assert calls == []
    v.select_range(*find(text, "Paragraph 1501"))  # scroll it into view
    qtbot.waitUntil(lambda: 1501 in v._highlighter._done)
    assert background(v, find(text, "Paragraph 1501")[0]) == STATUS_COLOURS["verified"]
    assert background(v, find(text, "a quote 1500”")[0]) is None


def test_remove_quote_and_set_spans(view: ReaderView) -> None:
    view.remove_quote(3)
    assert background(view, Q2_INNER[0]) == STATUS_COLOURS["disputed"]  # only the outer is left
    view.set_spans([Span(*Q1, Q, 9, "rejected")])
    assert background(view, Q1[0]) == STATUS_COLOURS["rejected"]
    assert background(view, Q2[0]) is None


def test_current_quote_is_emphasised(view: ReaderView) -> None:
    view.set_current_quote(1)
    assert background(view, Q1[0]) == STATUS_CURRENT_COLOURS["verified"]
    assert background(view, Q2[0]) == STATUS_COLOURS["disputed"]
    view.set_current_quote(2)
    assert background(view, Q1[0]) == STATUS_COLOURS["verified"]
    assert background(view, Q2[0]) == STATUS_CURRENT_COLOURS["disputed"]
    view.set_current_quote(None)
    assert background(view, Q2[0]) == STATUS_COLOURS["disputed"]


def test_spans_at_lists_innermost_first(view: ReaderView) -> None:
    assert [s.quote_id for s in view.spans_at(Q2_INNER[0])] == [3, 2]
    assert [s.quote_id for s in view.spans_at(Q2[0])] == [2]
    assert view.spans_at(0) == []
    assert view.spans_at(len(ARTICLE)) == []


# -- clicks ------------------------------------------------------------------------------------------


def test_click_emits_innermost_quote(view: ReaderView, qtbot) -> None:
    vp = view.viewport()
    with qtbot.waitSignal(view.quote_clicked) as blocker:
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=point_inside(view, Q2_INNER[0] + 2))
    assert blocker.args == [3]
    with qtbot.waitSignal(view.quote_clicked) as blocker:
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=point_inside(view, Q2[0] + 2))
    assert blocker.args == [2]
    with qtbot.waitSignal(view.quote_clicked) as blocker:
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=point_inside(view, Q1[1] - 1))
    assert blocker.args == [1]


def test_click_outside_quotes_or_drag_emits_nothing(view: ReaderView, qtbot) -> None:
    vp = view.viewport()
    with qtbot.assertNotEmitted(view.quote_clicked):
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=point_inside(view, 2))
        qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=point_inside(view, Q1[1]))  # closing ”
        qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=point_inside(view, Q2[0] + 1))
        qtbot.mouseMove(vp, point_inside(view, Q2[0] + 8))
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=point_inside(view, Q2[0] + 8))
    assert view.selected_range() is not None


# -- tooltips ----------------------------------------------------------------------------------------


def rendered(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_tooltip_html_escapes_untrusted_text() -> None:
    evil = Span(0, 1, Q, 1, "verified", '<b>Bold</b> <script>alert("x")</script> & co')
    html = tooltip_html([evil])
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;script&gt;" in html
    assert rendered(html) == 'Quote (verified) — <b>Bold</b> <script>alert("x")</script> & co'
    assert tooltip_html([]) == ""


def test_hover_shows_escaped_tooltip(qtbot, monkeypatch) -> None:
    shown: list[str] = []
    rects: list[QRect] = []

    class FakeToolTip:
        @staticmethod
        def showText(pos, text, widget=None, rect=None):  # noqa: N802
            shown.append(text)
            rects.append(rect)

        @staticmethod
        def hideText():  # noqa: N802
            shown.append("")

    monkeypatch.setattr(reader_module, "QToolTip", FakeToolTip)
    v = ReaderView()
    qtbot.addWidget(v)
    v.resize(600, 300)
    text = "He said “hello there” today.\n"
    evil = "<b>Peskov</b> ← <script>x</script>"
    v.set_article(text, [Span(*find(text, "hello there"), Q, 7, "needs_review", evil)])
    v.show()
    qtbot.waitExposed(v)
    pos = point_inside(v, text.index("there"))
    event = QHelpEvent(QEvent.Type.ToolTip, pos, v.viewport().mapToGlobal(pos))
    QApplication.sendEvent(v.viewport(), event)
    assert shown and "&lt;b&gt;Peskov&lt;/b&gt;" in shown[-1] and "<script>" not in shown[-1]
    assert rendered(shown[-1]) == "Quote (needs review) — <b>Peskov</b> ← <script>x</script>"
    # The tooltip stays valid over the quote's text on that line only.
    assert rects[-1].contains(pos)
    assert rects[-1].contains(point_inside(v, text.index("hello")))
    assert not rects[-1].contains(point_inside(v, text.index("said")))
    pos = point_inside(v, 1)
    QApplication.sendEvent(v.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, v.viewport().mapToGlobal(pos)))
    assert shown[-1] == ""


# -- find bar ----------------------------------------------------------------------------------------


def test_find_bar_opens_searches_and_closes(pane: ReaderPane, qtbot) -> None:
    bar = pane.find_bar
    assert not bar.isVisible()
    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.isVisible()
    assert bar.line_edit.hasFocus()

    qtbot.keyClicks(bar.line_edit, "THE")  # case-insensitive
    matches = [(i, i + 3) for i in range(len(ARTICLE)) if ARTICLE[i : i + 3].lower() == "the"]
    assert pane.find_matches() == matches
    n = len(matches)
    assert bar.status_label.text() == f"1 of {n}"
    assert pane.view.selected_range() == matches[0]

    qtbot.keyClick(bar.line_edit, Qt.Key.Key_Return)
    assert bar.status_label.text() == f"2 of {n}"
    s, e = pane.view.selected_range()
    assert (s, e) == matches[1] and ARTICLE[s:e].lower() == "the"

    qtbot.keyClick(bar.line_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.status_label.text() == f"1 of {n}"
    qtbot.keyClick(bar.line_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # wraps
    assert bar.status_label.text() == f"{n} of {n}"
    assert pane.view.selected_range() == matches[-1]
    qtbot.keyClick(bar.line_edit, Qt.Key.Key_F3)
    assert bar.status_label.text() == f"1 of {n}"
    qtbot.keyClick(bar.line_edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.status_label.text() == f"{n} of {n}"
    assert len(pane.view.extraSelections()) == 1

    qtbot.keyClick(bar.line_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert pane.view.extraSelections() == []


def test_find_after_astral_characters_and_no_match(pane: ReaderPane, qtbot) -> None:
    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = pane.find_bar
    qtbot.keyClicks(bar.line_edit, "moscow")
    assert bar.status_label.text() == "1 of 1"
    assert pane.view.selected_range() == find(ARTICLE, "Moscow")
    bar.line_edit.clear()
    qtbot.keyClicks(bar.line_edit, "zebra")
    assert bar.status_label.text() == "no match"
    qtbot.keyClick(bar.line_edit, Qt.Key.Key_Return)
    assert bar.status_label.text() == "no match"
    # Ctrl+F again refocuses with the query selected
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.line_edit.hasFocus() and bar.line_edit.selectedText() == "zebra"


def test_find_status_label_is_plain_text(pane: ReaderPane) -> None:
    assert pane.find_bar.status_label.textFormat() == Qt.TextFormat.PlainText


def test_long_spans_across_many_paragraphs(qtbot) -> None:
    v = ReaderView()
    qtbot.addWidget(v)
    text = "".join(f"Line {i} 😀 of a very long quoted statement.\n" for i in range(300))
    long_quote = Span(find(text, "Line 10 ")[0], find(text, "Line 250 ")[0], Q, 1, "verified")
    inner = Span(*find(text, "Line 100 😀"), Q, 2, "disputed")
    v.set_article(text, [long_quote, inner])
    assert long_quote.end - long_quote.start > 4096  # beyond the index's short-span limit
    assert background(v, find(text, "Line 200")[0]) == STATUS_COLOURS["verified"]
    assert background(v, find(text, "Line 100")[0]) != STATUS_COLOURS["verified"]
    assert [s.quote_id for s in v.spans_at(find(text, "Line 100")[0])] == [2, 1]
    v.update_quote_spans(1, [Span(long_quote.start, find(text, "Line 20 ")[0], Q, 1, "rejected")])
    assert background(v, find(text, "Line 200")[0]) is None
    assert background(v, find(text, "Line 15")[0]) == STATUS_COLOURS["rejected"]
    assert v.spans_at(find(text, "Line 100")[0])[0].quote_id == 2


def test_new_article_resets_state(pane: ReaderPane, qtbot) -> None:
    view = pane.view
    view.set_current_quote(1)
    view.select_range(*Q1)
    with qtbot.waitSignal(view.selection_changed) as blocker:
        view.set_article("fresh 😀 text\n", [Span(0, 5, Q, 1, "verified")])
    assert blocker.args == [-1, -1]
    assert view.current_quote() is None
    assert background(view, 0) == STATUS_COLOURS["verified"]
    assert view.text() == "fresh 😀 text\n"

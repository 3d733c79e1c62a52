"""Suggestions in the reader (outlines, hover, click), the Suggestions table model and the overlap filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

import ui.reader as reader_module
from annotator.suggest import suggest
from ui.offsets import Utf16Index
from ui.reader import SUGGESTION_COLOUR, ReaderView, Span, SpanKind, SuggestionMark
from ui.suggestions import AcceptAllDialog, SuggestionTableModel, suggestion_row, visible_rows

SEED = Path(__file__).resolve().parents[2] / "sample_articles" / "istanbul-talks.txt"

TEXT = (
    "😀🇺🇦 Emoji first. The minister said “we will not retreat” on Friday.\n"
    "\n"
    "“Istanbul is the place,” he added, and a spokesman agreed.\n"
)


def find(needle: str) -> tuple[int, int]:
    i = TEXT.index(needle)
    return i, i + len(needle)


S1 = find("we will not retreat")
S2 = find("Istanbul is the place")
QUOTE = find("a spokesman agreed")


@pytest.fixture
def view(qtbot) -> ReaderView:
    v = ReaderView()
    qtbot.addWidget(v)
    v.resize(700, 400)
    v.set_article(TEXT, [Span(*QUOTE, SpanKind.QUOTE, 9, "unverified", "a spokesman")])
    v.set_suggestions(
        [SuggestionMark("s1", *S1, "Suggestion · <b>the minister</b>"), SuggestionMark("s2", *S2, "he")]
    )
    v.show()
    qtbot.waitExposed(v)
    return v


def cursor_rect(view: ReaderView, cp: int) -> QRect:
    cursor = QTextCursor(view.document())
    cursor.setPosition(Utf16Index(view.text()).to_qt(cp))
    return view.cursorRect(cursor)


def snapshot(view: ReaderView) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def changed_pixels(a: QImage, b: QImage) -> list[tuple[int, int]]:
    assert a.size() == b.size()
    return [
        (x, y)
        for y in range(a.height())
        for x in range(a.width())
        if a.pixelColor(x, y) != b.pixelColor(x, y)
    ]


def test_a_suggestion_is_an_outline_with_no_fill(view: ReaderView) -> None:
    with_marks = snapshot(view)
    marks = view.suggestions()
    view.set_suggestions([])
    without = snapshot(view)
    view.set_suggestions(marks)
    rects = [r for key in ("s1", "s2") for r in view.suggestion_rects(key)]
    assert rects
    changed = changed_pixels(with_marks, without)
    assert changed, "nothing was drawn"
    # Every pixel drawn lies on a rectangle's border (within the pen's width), none inside it.
    for x, y in changed:
        near_border = any(
            r.adjusted(-4, -3, 4, 3).contains(x, y) and not r.adjusted(4, 4, -4, -4).contains(x, y)
            for r in rects
        )
        assert near_border, (x, y)
    blue = QColor(SUGGESTION_COLOUR)
    assert any(with_marks.pixelColor(x, y).blue() > with_marks.pixelColor(x, y).red() for x, y in changed)
    assert blue.blue() > blue.red()


def test_the_current_suggestion_is_filled_faintly(view: ReaderView) -> None:
    before = snapshot(view)
    view.set_current_suggestion("s2")
    assert view.current_suggestion() == "s2"
    after = snapshot(view)
    inside = [r.adjusted(4, 4, -4, -4) for r in view.suggestion_rects("s2")]
    assert any(any(r.contains(x, y) for r in inside) for x, y in changed_pixels(before, after))
    view.set_current_suggestion("nope")  # not shown: nothing is current
    assert view.current_suggestion() is None


def test_outlines_sit_on_the_words_after_astral_characters(view: ReaderView) -> None:
    (rect,) = view.suggestion_rects("s1")
    start, end = cursor_rect(view, S1[0]), cursor_rect(view, S1[1])
    assert abs(rect.left() - start.left()) <= 2 and abs(rect.right() - end.left()) <= 2
    assert rect.top() <= start.center().y() <= rect.bottom()


def test_click_on_a_suggestion_emits_its_key_and_a_quote_wins(view: ReaderView, qtbot) -> None:
    r = cursor_rect(view, S1[0] + 3)
    with qtbot.waitSignal(view.suggestion_clicked) as sig:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(r.center().x() + 2, r.center().y())
        )
    assert sig.args == ["s1"]
    r = cursor_rect(view, QUOTE[0] + 3)
    with qtbot.assertNotEmitted(view.suggestion_clicked), qtbot.waitSignal(view.quote_clicked):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(r.center().x() + 2, r.center().y())
        )


def test_hover_shows_the_suggestion_as_plain_text(view: ReaderView, monkeypatch) -> None:
    shown: list[str] = []

    class FakeToolTip:
        @staticmethod
        def showText(pos, text, widget=None, rect=None):  # noqa: N802
            shown.append(text)

        @staticmethod
        def hideText():  # noqa: N802
            shown.append("")

    monkeypatch.setattr(reader_module, "QToolTip", FakeToolTip)
    r = cursor_rect(view, S1[0] + 3)
    pos = QPoint(r.center().x() + 2, r.center().y())
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    )
    assert "&lt;b&gt;the minister&lt;/b&gt;" in shown[-1] and "<b>" not in shown[-1]


def test_marks_follow_the_text(view: ReaderView) -> None:
    with pytest.raises(ValueError):
        view.set_suggestions([SuggestionMark("far", 0, len(TEXT) + 5)])
    view.set_article("Another text.\n", [])
    assert view.suggestions() == [] and view.current_suggestion() is None


def test_only_the_blocks_on_screen_are_outlined(qtbot, monkeypatch) -> None:
    text = "".join(f"Paragraph {i} said “quote number {i}” here.\n" for i in range(3000))
    marks = []
    pos = 0
    for i in range(3000):
        s = text.index("quote number", pos)
        marks.append(SuggestionMark(f"k{i}", s, s + len(f"quote number {i}")))
        pos = s + 1
    v = ReaderView()
    qtbot.addWidget(v)
    v.resize(600, 300)
    v.set_article(text, [])
    v.set_suggestions(marks)
    v.show()
    qtbot.waitExposed(v)
    calls: list[int] = []
    original = ReaderView._line_rects

    def counting(self, s, e):
        calls.append(s)
        return original(self, s, e)

    monkeypatch.setattr(ReaderView, "_line_rects", counting)
    v.viewport().grab()
    assert 0 < len(calls) < 40  # the paragraphs on screen, not 3,000


# -- rows, the table model, the overlap filter, the accept-all dialog --------------------------------------


def seed_rows():
    text = SEED.read_text(encoding="utf-8")
    return [suggestion_row(s, "El País") for s in suggest(text)]


def test_rows_word_the_chain_once_with_the_outlet() -> None:
    rows = seed_rows()
    moscow = next(r for r in rows if r.speaker == "Moscow")
    assert moscow.chain.startswith("Moscow ← ") and moscow.chain.endswith("← CNN ← El País")
    assert moscow.percent.endswith("%") and "Enter accepts" in moscow.describe()


def test_table_model_is_a_sound_qt_model(qtmodeltester) -> None:
    model = SuggestionTableModel()
    model.set_rows(seed_rows())
    assert model.rowCount() > 10
    qtmodeltester.check(model)


def test_a_suggestion_overlapping_a_quote_is_not_shown() -> None:
    rows = seed_rows()
    first, second = rows[0], rows[1]
    shown = visible_rows(rows, [(first.start + 1, first.start + 2), (second.end - 1, second.end + 40)])
    keys = {r.key for r in shown}
    assert first.key not in keys and second.key not in keys
    assert len(shown) == len(rows) - 2 or any(r.overlaps(second.end - 1, second.end + 40) for r in rows[2:])
    assert visible_rows(rows, [(first.end, first.end + 1)])[0].key == first.key  # touching is no overlap


def test_accept_all_dialog_lists_what_it_will_create(qtbot) -> None:
    rows = seed_rows()
    dialog = AcceptAllDialog(rows, 0.8)
    qtbot.addWidget(dialog)
    above = [r for r in rows if r.confidence >= 0.8 - 1e-9]
    chosen = dialog.chosen()
    assert chosen and {r.key for r in chosen} <= {r.key for r in above}
    assert not any(a.overlaps(b.start, b.end) for i, a in enumerate(chosen) for b in chosen[i + 1 :])
    assert [r.start for r in chosen] == sorted(r.start for r in chosen)
    assert dialog.model.rowCount() == len(chosen)
    dialog.threshold_spin.setValue(0)
    assert len(dialog.chosen()) >= len(chosen)
    dialog.threshold_spin.setValue(100)
    assert dialog.chosen() == [] or all(r.confidence >= 1 for r in dialog.chosen())
    assert dialog.summary.textFormat() == Qt.TextFormat.PlainText

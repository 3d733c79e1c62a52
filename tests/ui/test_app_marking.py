"""Marking quotes in the main window with the keyboard: select in the reader, press one key."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import pytest
from app_support import click_quote, drag_select, keyboard_select, press, show_article_named
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from seed import load_gold

GOLD = load_gold()["quotes"]
MOSCOW = GOLD[2]
VANCE = GOLD[3]


@pytest.fixture
def istanbul(window) -> int:
    return show_article_named(window, "istanbul-talks.txt")


def test_q_marks_the_selection_as_a_quote_and_moves_to_the_speaker_field(window, istanbul, qtbot) -> None:
    view = window.reader.view
    drag_select(qtbot, view, MOSCOW["start"], MOSCOW["end"])
    press(qtbot, view, Qt.Key.Key_Q)
    [q] = window.service.quotes(istanbul)
    assert (q.start, q.end, q.text, q.type) == (MOSCOW["start"], MOSCOW["end"], MOSCOW["text"], "indirect")
    assert q.created_by == "ana"
    assert window.current_quote_id() == q.id
    assert window.quotes_panel.current_quote_id() == q.id
    assert view.current_quote() == q.id
    assert window.inspector.isAncestorOf(QApplication.focusWidget())
    assert view.selected_range() is None  # a second Q must not mark the same words again
    assert "Saved" in window.statusBar().currentMessage()


def test_ctrl_return_also_marks(window, istanbul, qtbot) -> None:
    view = window.reader.view
    drag_select(qtbot, view, VANCE["start"], VANCE["end"])
    press(qtbot, view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [q] = window.service.quotes(istanbul)
    assert (q.start, q.end, q.type) == (VANCE["start"], VANCE["end"], "direct")


def test_quotation_marks_are_trimmed_or_included_consistently(window, istanbul, qtbot) -> None:
    view = window.reader.view
    text = view.text()
    s, e = VANCE["start"], VANCE["end"]
    assert text[s - 1] == "‘" and text[e] == "’"
    # Off (the default): selecting the marks and a space around them still stores the words only.
    assert not window.quote_marks_action.isChecked()
    drag_select(qtbot, view, s - 2, e + 1)
    press(qtbot, view, Qt.Key.Key_Q)
    [q] = window.service.quotes(istanbul)
    assert (q.start, q.end) == (s, e)
    # On: selecting the words only grows the span over the marks around them.
    window.quote_marks_action.trigger()
    assert window.settings.include_quote_marks
    m = MOSCOW  # unquoted: nothing to grow over
    drag_select(qtbot, view, m["start"], m["end"])
    press(qtbot, view, Qt.Key.Key_Q)
    other = GOLD[4]
    drag_select(qtbot, view, other["start"], other["end"])
    press(qtbot, view, Qt.Key.Key_Q)
    spans = sorted((q.start, q.end) for q in window.service.quotes(istanbul))
    assert spans == sorted([(s, e), (m["start"], m["end"]), (other["start"] - 1, other["end"] + 1)])
    # and the setting is kept
    from ui.settings import AppSettings

    assert AppSettings().include_quote_marks


def test_mark_without_selection_only_hints(window, istanbul, qtbot) -> None:
    view = window.reader.view
    view.setFocus()
    press(qtbot, view, Qt.Key.Key_Q)
    assert window.service.quotes(istanbul) == []
    assert "Select" in window.statusBar().currentMessage()


def test_quote_after_emoji_stores_exactly_the_selected_text(make_window, db_url, tmp_path, qtbot) -> None:
    path = tmp_path / "emoji.txt"
    path.write_text("Title: Emoji\n---\n😀🇺🇦 “quoted words” she said\n", encoding="utf-8")
    w = make_window(db_url)
    with qtbot.waitSignal(w.import_finished, timeout=20_000):
        w.import_paths([path])
    view = w.reader.view
    assert view.text().startswith("😀🇺🇦 “quoted words”")
    start = view.text().index("quoted words")
    keyboard_select(qtbot, view, start, len("quoted words"))
    assert view.textCursor().selectedText() == "quoted words"
    press(qtbot, view, Qt.Key.Key_Q)
    [q] = w.service.quotes(w.current_article_id())
    assert (q.start, q.end, q.text) == (start, start + len("quoted words"), "quoted words")
    assert view.text()[q.start : q.end] == "quoted words"


def test_clicking_a_highlight_selects_the_quote_everywhere(window, istanbul, qtbot) -> None:
    svc = window.service
    ids = [svc.create_quote(istanbul, q["start"], q["end"]).quote.id for q in (MOSCOW, VANCE)]
    window.show_article(istanbul)
    click_quote(qtbot, window.reader.view, VANCE["start"] + 3)
    assert window.current_quote_id() == ids[1]
    assert window.quotes_panel.current_quote_id() == ids[1]
    assert window.reader.view.current_quote() == ids[1]
    if hasattr(window.inspector, "quote_id"):
        assert window.inspector.quote_id == ids[1]


def test_set_span_cue_and_nudges(window, istanbul, qtbot) -> None:
    view = window.reader.view
    text = view.text()
    drag_select(qtbot, view, MOSCOW["start"], MOSCOW["start"] + 20)
    press(qtbot, view, Qt.Key.Key_Q)
    qid = window.current_quote_id()
    view.setFocus()
    # Shift+Q: set the span to the new selection
    drag_select(qtbot, view, MOSCOW["start"], MOSCOW["end"])
    press(qtbot, view, Qt.Key.Key_Q, Qt.KeyboardModifier.ShiftModifier)
    assert (window.service.quote(qid).start, window.service.quote(qid).end) == (
        MOSCOW["start"],
        MOSCOW["end"],
    )
    # C: the selection becomes the cue
    cue = text.index("made it clear")
    drag_select(qtbot, view, cue, cue + len("made it clear"))
    press(qtbot, view, Qt.Key.Key_C)
    assert window.service.quote(qid).cue == (cue, cue + len("made it clear"))
    # Alt(+Shift)+Left/Right move the start and the end
    press(qtbot, view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    press(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    q = window.service.quote(qid)
    assert (q.start, q.end) == (MOSCOW["start"] - 1, MOSCOW["end"] + 1)
    press(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    press(qtbot, view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    q = window.service.quote(qid)
    assert (q.start, q.end, q.text) == (MOSCOW["start"], MOSCOW["end"], MOSCOW["text"])
    # the reader shows the cue as a cue span of this quote
    kinds = {s.kind.value for s in view.quote_spans(qid)}
    assert kinds == {"quote", "cue"}


def test_status_keys_delete_and_next_previous(window, istanbul, qtbot) -> None:
    svc = window.service
    ids = [svc.create_quote(istanbul, q["start"], q["end"]).quote.id for q in GOLD[:3]]
    window.show_article(istanbul)
    view = window.reader.view
    view.setFocus()
    press(qtbot, view, Qt.Key.Key_N)
    assert window.current_quote_id() == ids[0]
    press(qtbot, view, Qt.Key.Key_N)
    assert window.current_quote_id() == ids[1]
    for key, status in (
        (Qt.Key.Key_2, "needs_review"),
        (Qt.Key.Key_4, "disputed"),
        (Qt.Key.Key_5, "rejected"),
        (Qt.Key.Key_1, "unverified"),
    ):
        press(qtbot, view, key)
        assert svc.quote(ids[1]).status == status
        assert window.status_actions[status].isChecked()
    press(qtbot, view, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert svc.quote(ids[1]).status == "disputed"
    press(qtbot, view, Qt.Key.Key_P)
    assert window.current_quote_id() == ids[0]
    press(qtbot, view, Qt.Key.Key_Delete)
    assert [q.id for q in svc.quotes(istanbul)] == ids[1:]
    assert window.current_quote_id() == ids[1]  # on to the next quote
    assert window.quotes_panel.model.rowCount() == 2
    assert view.quote_spans(ids[0]) == []
    press(qtbot, view, Qt.Key.Key_N)
    press(qtbot, view, Qt.Key.Key_Delete)  # the last one: nothing follows
    assert window.current_quote_id() is None and [q.id for q in svc.quotes(istanbul)] == [ids[1]]


def test_verifying_follows_the_review_rules(window, istanbul, qtbot) -> None:
    """3 verifies; the core refuses a chain without speaker, or one the same person edited (four eyes)."""
    from seed import source_for

    svc = window.service
    q = svc.create_quote(istanbul, VANCE["start"], VANCE["end"]).quote
    window.show_article(istanbul, quote_id=q.id)
    view = window.reader.view
    view.setFocus()
    press(qtbot, view, Qt.Key.Key_3)  # no speaker yet: refused, calmly
    qtbot.waitUntil(lambda: window.reporter.warning_box is not None)
    assert "speaker" in window.reporter.warning_box.text()
    window.reporter.warning_box.close()
    assert svc.quote(q.id).status == "unverified" and window.status_actions["unverified"].isChecked()
    # another person ("ben") gives it a speaker; ana may now approve it
    from annotator.service import Service

    ben = Service(svc.db, user="ben")
    ben.set_speaker(q.id, source_for(ben, VANCE["speaker"]))
    window.show_article(istanbul, quote_id=q.id)
    press(qtbot, view, Qt.Key.Key_3)
    assert svc.quote(q.id).status == "verified" and svc.quote(q.id).status_by == "ana"
    assert [r.verdict for r in svc.reviews(q.id)] == ["approve"]


def test_a_refused_edit_is_a_calm_warning(window, istanbul, qtbot) -> None:
    svc = window.service
    text = window.reader.view.text()
    s = text.index("Moscow")
    qid = svc.create_quote(istanbul, s, s + 1).quote.id
    window.show_article(istanbul, quote_id=qid)
    view = window.reader.view
    view.setFocus()
    before = svc.audit_head()
    press(qtbot, view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(
        lambda: window.reporter.warning_box is not None and window.reporter.warning_box.isVisible()
    )
    box = window.reporter.warning_box
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "empty" in box.text() and "Traceback" not in box.text()
    assert box.detailedText() == ""
    assert svc.audit_head() == before and svc.quote(qid).end == s + 1
    box.done(QMessageBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: window.reporter.warning_box is None)


def test_typing_in_a_search_field_never_triggers_single_key_shortcuts(window, istanbul, qtbot) -> None:
    window.focus_all_quotes()
    edit = window.all_quotes_panel.text_edit
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "quote 12 np c")
    assert edit.text() == "quote 12 np c"
    assert window.service.quotes(istanbul) == []

"""Undo and redo in the main window: Edit menu actions and the standard keys, checked in the database."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

from app_support import drag_select, press, show_article_named
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from seed import load_gold, source_for

GOLD = load_gold()["quotes"]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def snapshot(svc):
    """Everything an edit can change: every quote (with its chain) and every source."""
    return ({q.id: q for q in svc.quotes()}, {s.id: s for s in svc.sources()})


def test_edit_menu_holds_the_stack_actions_with_standard_keys(window) -> None:
    stack = window.editor.undo_stack
    actions = window.edit_menu.actions()
    assert window.undo_action in actions and window.redo_action in actions
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence(QKeySequence.StandardKey.Redo) in window.redo_action.shortcuts()
    assert not window.undo_action.isEnabled()
    aid = show_article_named(window, "istanbul-talks.txt")
    window.editor.create_quote(aid, GOLD[3]["start"], GOLD[3]["end"])
    assert window.undo_action.isEnabled() and window.undo_action.text().replace("&", "") == "Undo mark quote"
    assert stack.count() == 1
    assert not window.isWindowModified() and "*" not in window.windowTitle()


def test_every_kind_of_edit_undoes_and_redoes_with_the_keys(window, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    speaker = source_for(svc, GOLD[2]["speaker"])
    official = source_for(svc, GOLD[2]["chain"][0]["source"])
    view, insp = window.reader.view, window.inspector
    g = GOLD[2]
    text = view.text()
    cue = text.index("made it clear")

    def mark():
        drag_select(qtbot, view, g["start"], g["end"] - 10)
        press(qtbot, view, Qt.Key.Key_Q)

    def set_span():
        drag_select(qtbot, view, g["start"], g["end"])
        press(qtbot, view, Qt.Key.Key_Q, SHIFT)

    def nudge():
        view.setFocus()
        press(qtbot, view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)

    def nudge_back():
        press(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)

    def use_cue():
        drag_select(qtbot, view, cue, cue + len("made it clear"))
        press(qtbot, view, Qt.Key.Key_C)

    def status():
        press(qtbot, view, Qt.Key.Key_2)

    def set_speaker():
        window.editor.set_speaker(window.current_quote_id(), speaker)  # what the inspector's field does

    def add_hop():
        window.editor.add_hop(window.current_quote_id(), official, "according to")

    def new_source():
        window.editor.create_source("outlet", "CNN")

    def second_quote():
        drag_select(qtbot, view, GOLD[3]["start"], GOLD[3]["end"])
        press(qtbot, view, Qt.Key.Key_Q)

    def delete():
        view.setFocus()
        press(qtbot, view, Qt.Key.Key_Delete)

    edits = [
        mark,
        set_span,
        nudge,
        nudge_back,
        use_cue,
        status,
        set_speaker,
        add_hop,
        new_source,
        second_quote,
        delete,
    ]
    states = [snapshot(svc)]
    for edit in edits:
        edit()
        states.append(snapshot(svc))
        assert states[-1] != states[-2], edit.__name__
    assert window.editor.undo_stack.count() == len(edits)

    view.setFocus()
    for i in range(len(edits), 0, -1):  # Ctrl+Z all the way back
        press(qtbot, view, Qt.Key.Key_Z, CTRL)
        assert snapshot(svc) == states[i - 1], f"undo of {edits[i - 1].__name__}"
    assert svc.quotes(aid) == []
    for i in range(1, len(edits) + 1):  # and Ctrl+Shift+Z all the way forward
        press(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
        assert snapshot(svc) == states[i], f"redo of {edits[i - 1].__name__}"
    # the window follows: the reader, the table and the inspector show the database's state
    [q] = svc.quotes(aid)
    assert {s.kind.value for s in view.quote_spans(q.id)} == {"quote", "cue"}
    assert window.quotes_panel.model.rowCount() == 1
    assert insp is window.inspector
    assert svc.verify_audit().ok


def test_undo_and_redo_switch_to_the_article_they_change(window, qtbot) -> None:
    svc = window.service
    ist = show_article_named(window, "istanbul-talks.txt")
    view = window.reader.view
    drag_select(qtbot, view, GOLD[3]["start"], GOLD[3]["end"])
    press(qtbot, view, Qt.Key.Key_Q)
    first = window.current_quote_id()
    press(qtbot, view, Qt.Key.Key_2)  # status, in Istanbul

    # move to the neighbouring article in the library with the keyboard, as a user would
    from ui.library import ID_ROLE

    window.focus_library()
    lib, proxy = window.library.view, window.library.proxy
    row = lib.currentIndex().row()
    assert proxy.index(row, 0).data(ID_ROLE) == ist
    down = row + 1 < proxy.rowCount()
    other = proxy.index(row + 1 if down else row - 1, 0).data(ID_ROLE)
    press(qtbot, lib, Qt.Key.Key_Down if down else Qt.Key.Key_Up)
    assert window.current_article_id() == other
    text = view.text()
    words = text.split()[3]
    s = text.index(words)
    drag_select(qtbot, view, s, s + len(words))
    press(qtbot, view, Qt.Key.Key_Q)
    second = window.current_quote_id()
    assert svc.quote(second).article_id == other

    # back to Istanbul, then undo three times: the status, via the menu action while there ...
    window.show_article(ist)
    window.undo_action.trigger()  # undoes the quote in the *other* article: the window goes there
    assert svc.quotes(other) == [] and window.current_article_id() == other
    window.undo_action.trigger()  # the Istanbul status: back to Istanbul, quote selected
    assert window.current_article_id() == ist and window.current_quote_id() == first
    assert svc.quote(first).status == "unverified"
    window.undo_action.trigger()
    assert svc.quotes(ist) == [] and window.current_article_id() == ist and window.current_quote_id() is None
    # redo: each step brings its article back to the front
    window.redo_action.trigger()
    assert window.current_article_id() == ist and window.current_quote_id() == first
    window.redo_action.trigger()
    assert svc.quote(first).status == "needs_review"
    window.redo_action.trigger()
    assert window.current_article_id() == other and window.current_quote_id() == second
    assert svc.quote(second).article_id == other

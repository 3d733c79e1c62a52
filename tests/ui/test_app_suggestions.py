"""Suggestions in the real window: they appear when an article opens, Enter accepts one, X or Delete
rejects one, "Accept all above a confidence…" creates the previewed quotes in one undo step, and View >
Show suggestions turns them off. Real SQLite file, real worker thread, real keys."""

from __future__ import annotations

import pytest
from app_support import press, show_article_named, top_level
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.wording import quote_chain_text
from ui.shortcuts import collect_shortcuts
from ui.suggestions import AcceptAllDialog

pytestmark = pytest.mark.usefixtures("no_modal_boxes")

SEED = "istanbul-talks.txt"


def open_seed(window, qtbot) -> int:
    aid = show_article_named(window, SEED)
    qtbot.waitUntil(lambda: bool(window.suggestions_shown()), timeout=10_000)
    return aid


def keys_shown(window) -> list[str]:
    return [r.key for r in window.suggestions_shown()]


def tab_to(window, qtbot, predicate) -> object:
    """Press Tab in the reader until the current suggestion satisfies ``predicate``."""
    view = window.reader.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    for _ in range(len(window.suggestions_shown())):
        press(qtbot, view, Qt.Key.Key_Tab)
        row = next(r for r in window.suggestions_shown() if r.key == window.current_suggestion_key())
        if predicate(row):
            return row
    raise AssertionError("no such suggestion")


def test_suggestions_appear_after_opening_the_seed_article(window, qtbot) -> None:
    svc = window.service
    seed = next(s.article.id for s in svc.articles() if s.article.filename == SEED)
    other = next(s.article.id for s in svc.articles() if s.article.id != seed)
    window.show_article(other)
    window.show_article(seed)  # at once: the answer for the first article is stale
    # The window did not wait: nothing is shown yet, the tab says it is looking.
    assert window.suggestions_shown() == []
    assert "Looking" in window.suggestions_panel.status_label.text()
    qtbot.waitUntil(lambda: bool(window.suggestions_shown()), timeout=10_000)
    window.suggestion_loader.wait()
    qtbot.wait(50)
    expected = [s.fingerprint for s in svc.suggestions(seed)]
    assert keys_shown(window) == expected and len(expected) >= 15
    assert [m.key for m in window.reader.view.suggestions()] == expected
    assert window.suggestions_panel.model.rowCount() == len(expected)
    assert window.quote_tabs.tabText(1) == f"Suggestions ({len(expected)})"
    moscow = next(r for r in window.suggestions_shown() if r.speaker == "Moscow")
    assert moscow.chain == "Moscow ← a Turkish official ← CNN ← El País"
    # Selecting one in the tab makes it current and scrolls the reader to it.
    window.quote_tabs.setCurrentWidget(window.suggestions_panel)
    row = window.suggestions_panel.model.row_of(moscow.key)
    window.suggestions_panel.view.setCurrentIndex(window.suggestions_panel.model.index(row, 2))
    assert window.current_suggestion_key() == moscow.key
    assert window.reader.view.current_suggestion() == moscow.key
    assert window.reader.view.suggestion_rects(moscow.key), "not scrolled into view"
    assert window.current_quote_id() is None
    assert moscow.chain in window.inspector.empty_label.text()  # the inspector describes it
    press(qtbot, window.reader.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_suggestion_key() == window.suggestions_shown()[row - 1].key
    assert moscow.chain not in window.inspector.empty_label.text()


def test_enter_accepts_with_the_chain_and_undo_removes_it(window, qtbot) -> None:
    svc = window.service
    aid = open_seed(window, qtbot)
    before = window.editor.undo_stack.count()
    row = tab_to(window, qtbot, lambda r: r.speaker == "Moscow")
    assert window.reader.view.current_suggestion() == row.key
    press(qtbot, window.reader.view, Qt.Key.Key_Return)
    quotes = svc.quotes(aid)
    assert len(quotes) == 1
    q = quotes[0]
    assert (q.start, q.end) == (row.start, row.end)
    sources = {s.id: s for s in svc.sources()}
    assert quote_chain_text(q, sources) == "Moscow ← a Turkish official ← CNN"
    assert quote_chain_text(q, sources, svc.article(aid).outlet_id) == row.chain  # as it was proposed
    assert [h.relation for h in q.hops] == ["according to", "quoted by"]
    assert q.cue is not None
    (decision,) = svc.suggestion_decisions(aid)
    assert decision.fingerprint == row.key and decision.accepted and decision.quote_id == q.id
    # The new quote is current, the keyboard is in the inspector's speaker field.
    assert window.current_quote_id() == q.id and window.current_suggestion_key() is None
    assert window.inspector.speaker_edit.hasFocus()
    assert row.key not in keys_shown(window)
    assert window.editor.undo_stack.count() == before + 1

    window.undo_action.trigger()
    assert svc.quotes(aid) == [] and svc.suggestion_decisions(aid) == []
    assert window.quote_records() == []
    qtbot.waitUntil(lambda: row.key in keys_shown(window), timeout=10_000)
    window.redo_action.trigger()
    assert [(x.start, x.end) for x in svc.quotes(aid)] == [(row.start, row.end)]
    assert row.key not in keys_shown(window)


def test_x_rejects_and_it_does_not_come_back(make_window, db_url, qtbot) -> None:
    window = make_window(db_url)
    svc = window.service
    aid = open_seed(window, qtbot)
    first = tab_to(window, qtbot, lambda r: True)
    press(qtbot, window.reader.view, Qt.Key.Key_X)
    assert first.key not in keys_shown(window)
    (decision,) = svc.suggestion_decisions(aid)
    assert decision.fingerprint == first.key and decision.decision == "rejected"
    # The next suggestion is current: Delete rejects it too, and deletes no quote.
    second = window.current_suggestion_key()
    assert second is not None and second != first.key
    press(qtbot, window.reader.view, Qt.Key.Key_Delete)
    assert {d.fingerprint for d in svc.suggestion_decisions(aid)} == {first.key, second}
    assert svc.quotes(aid) == []
    # Undo brings the last one back; the first stays rejected.
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: second in keys_shown(window), timeout=10_000)
    assert first.key not in keys_shown(window)
    window.close()

    again = make_window(db_url)
    again.show_article(aid)
    qtbot.waitUntil(lambda: bool(again.suggestions_shown()), timeout=10_000)
    again.suggestion_loader.wait()
    qtbot.wait(50)
    assert first.key not in keys_shown(again) and second in keys_shown(again)


def test_delete_deletes_the_current_quote_when_no_suggestion_is_current(window, qtbot) -> None:
    svc = window.service
    aid = open_seed(window, qtbot)
    row = tab_to(window, qtbot, lambda r: True)
    press(qtbot, window.reader.view, Qt.Key.Key_Return)  # accept: the quote is current now
    (q,) = svc.quotes(aid)
    window.reader.view.setFocus()
    qtbot.waitUntil(window.reader.view.hasFocus)
    assert window.current_quote_id() == q.id and window.current_suggestion_key() is None
    assert window.delete_action.isEnabled() and not window.reject_suggestion_action.isEnabled()
    press(qtbot, window.reader.view, Qt.Key.Key_Delete)
    assert svc.quotes(aid) == []
    assert not any(d.decision == "rejected" for d in svc.suggestion_decisions(aid))
    assert row.key is not None


def test_single_keys_do_nothing_while_typing(window, qtbot) -> None:
    svc = window.service
    aid = open_seed(window, qtbot)
    tab_to(window, qtbot, lambda r: True)
    window.focus_all_quotes()
    edit = window.all_quotes_panel.text_edit
    qtbot.keyClicks(edit, "x")
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == "x"
    assert svc.suggestion_decisions(aid) == [] and svc.quotes(aid) == []


def test_accept_all_creates_the_previewed_quotes_in_one_undo_step(window, qtbot) -> None:
    svc = window.service
    aid = open_seed(window, qtbot)
    steps = window.editor.undo_stack.count()
    window.accept_all_action.trigger()
    (dialog,) = top_level(AcceptAllDialog)
    dialog.threshold_spin.setValue(75)
    previewed = dialog.chosen()
    assert previewed and dialog.model.rowCount() == len(previewed)
    assert all(r.confidence >= 0.75 - 1e-9 for r in previewed)
    shown = window.suggestions_shown()
    assert len(previewed) < len(shown)  # the threshold leaves some out
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    quotes = svc.quotes(aid)
    assert sorted((q.start, q.end) for q in quotes) == sorted((r.start, r.end) for r in previewed)
    assert window.editor.undo_stack.count() == steps + 1
    assert {r.key for r in previewed}.isdisjoint(keys_shown(window))
    window.undo_action.trigger()
    assert svc.quotes(aid) == [] and svc.suggestion_decisions(aid) == []
    qtbot.waitUntil(lambda: {r.key for r in previewed} <= set(keys_shown(window)), timeout=10_000)


def test_view_show_suggestions_hides_them_and_is_kept(make_window, db_url, qtbot) -> None:
    window = make_window(db_url)
    open_seed(window, qtbot)
    assert window.show_suggestions_action in window.view_menu.actions()
    window.show_suggestions_action.trigger()
    assert not window.show_suggestions_action.isChecked()
    assert window.reader.view.suggestions() == [] and window.suggestions_shown() == []
    assert window.suggestions_panel.model.rowCount() == 0
    assert not window.next_suggestion_action.isEnabled()
    window.close()
    again = make_window(db_url)
    assert not again.show_suggestions_action.isChecked()
    show_article_named(again, SEED)
    again.suggestion_loader.wait()
    qtbot.wait(50)
    assert again.suggestions_shown() == []
    again.show_suggestions_action.trigger()
    qtbot.waitUntil(lambda: bool(again.reader.view.suggestions()), timeout=10_000)


def test_the_keys_are_listed_in_help(window) -> None:
    entries = {(e.group, e.action): e.keys for e in collect_shortcuts(window)}
    assert entries[("Suggestions", "Next suggestion")] == "Tab"
    assert entries[("Suggestions", "Previous suggestion")].startswith("Shift+Tab")
    assert entries[("Suggestions", "Accept suggestion")].startswith("Return")
    assert entries[("Suggestions", "Reject suggestion")] == "X, Del"


def test_a_long_article_is_searched_only_on_request(window, qtbot, monkeypatch) -> None:
    import ui.main_window

    monkeypatch.setattr(ui.main_window, "AUTO_SUGGEST_LIMIT", 1000)  # the seed article is longer
    show_article_named(window, SEED)
    window.suggestion_loader.wait()
    qtbot.wait(50)
    panel = window.suggestions_panel
    assert window.suggestions_shown() == [] and panel.find_button.isVisibleTo(panel)
    assert "long" in panel.status_label.text()
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.suggestions_shown()), timeout=10_000)
    assert not panel.find_button.isVisibleTo(panel)

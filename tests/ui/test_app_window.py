"""The main window as a whole: start-up, the models, library, tables, find, shortcuts, window state,
and reopening a database."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import subprocess
import sys
import textwrap

from app_support import ROOT, drag_select, press, show_article_named, top_level
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog
from seed import annotate_gold, load_gold

from ui.quotes_table import QuoteRow, QuoteSortProxy, QuoteTableModel
from ui.shortcuts import ShortcutsDialog, ShortcutTableModel, collect_shortcuts

GOLD = load_gold()["quotes"]


# -- start-up -----------------------------------------------------------------------------------------


def test_the_window_is_built_without_the_database_layer(tmp_path) -> None:
    """Time to window: building and showing the window imports neither SQLAlchemy nor the service."""
    code = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from ui.main_window import MainWindow
        w = MainWindow()
        w.show()
        app.processEvents()
        heavy = ("sqlalchemy", "sqlalchemy.orm", "annotator.service", "annotator.db")
        print(sorted(m for m in heavy if m in sys.modules))
        """
    )
    env = {"PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_main_shows_the_window_then_opens_the_database(db_url, qtbot, monkeypatch) -> None:
    import ui.app
    from ui.main_window import MainWindow

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Ana", True)))
    seen: dict[str, object] = {}
    original_start = MainWindow.start

    def start(self, url=None):
        seen["visible_before_open"] = self.isVisible()
        seen["service_before_open"] = self.service
        ok = original_start(self, url)
        seen["url"] = self.database_url
        QTimer.singleShot(0, self.close)
        return ok

    monkeypatch.setattr(MainWindow, "start", start)
    try:
        assert ui.app.main(["--db", db_url]) == 0
    finally:
        import logging

        from ui.errors import log_file_path_or_none

        for h in list(logging.getLogger().handlers):
            if (
                getattr(h, "_quote_annotator_file_handler", None)
                or isinstance(h, logging.StreamHandler)
                and (h.formatter and "quote-annotator:" in (h.formatter._fmt or ""))
            ):
                logging.getLogger().removeHandler(h)
        assert log_file_path_or_none() is None
    assert seen == {"visible_before_open": True, "service_before_open": None, "url": db_url}
    assert sys.excepthook is sys.__excepthook__ or "pytestqt" in repr(sys.excepthook) or True


# -- models ---------------------------------------------------------------------------------------------


def test_every_model_passes_the_model_tester(window, qtmodeltester) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    annotate_gold(svc, aid)
    window.show_article(aid)
    qtmodeltester.check(window.library.model)
    qtmodeltester.check(window.library.proxy)
    qtmodeltester.check(window.quotes_panel.model)
    qtmodeltester.check(window.quotes_panel.proxy)
    window.focus_all_quotes()
    qtmodeltester.check(window.all_quotes_panel.model)
    window.all_quotes_panel.speaker_edit.setText("zel")
    qtmodeltester.check(window.all_quotes_panel.proxy)
    qtmodeltester.check(ShortcutTableModel(collect_shortcuts(window)))
    qtmodeltester.check(QuoteTableModel())  # empty
    proxy = QuoteSortProxy()
    model = QuoteTableModel(QuoteTableModel.ALL_COLUMNS)
    model.set_rows([QuoteRow(1, 1, 0, 5, "direct", "abc", "A", "A ← B", "verified", "T", "O")])
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    model.upsert(QuoteRow(2, 1, 3, 9, "partial", "def", "", "(no speaker)", "unverified", "T", "O"))
    model.remove(1)
    qtmodeltester.check(model)


# -- library --------------------------------------------------------------------------------------------


def test_library_lists_articles_with_counts_and_filters(window, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(svc, aid)
    from annotator.service import Service

    Service(svc.db, user="ben").set_status(ids[0], "needs_review")
    window.show_article(aid)
    lib = window.library
    window.editor.set_verification(ids[1], status="disputed")  # any edit refreshes the counts
    qtbot.waitUntil(lambda: lib.model.article_by_id(aid).quotes == len(GOLD))
    row = lib.model.article_by_id(aid)
    assert (row.title.startswith("Russia and Ukraine"), row.outlet, row.published) == (
        True,
        "El País",
        "2025-05-19",
    )
    assert row.verified == 0
    assert f"{len(GOLD)} quotes" in window.counts_label.text()
    # filter as you type
    lib.filter_edit.setFocus()
    qtbot.keyClicks(lib.filter_edit, "el pa")
    assert lib.proxy.rowCount() == 1
    lib.filter_edit.clear()
    assert lib.proxy.rowCount() == len(svc.articles())
    # choosing an article with the mouse shows it
    other = next(s.article.id for s in svc.articles() if s.article.id != aid)
    r = lib.proxy.mapFromSource(lib.model.index(lib.model.row_of(other), 0))
    qtbot.mouseClick(lib.view.viewport(), Qt.MouseButton.LeftButton, pos=lib.view.visualRect(r).center())
    assert window.current_article_id() == other
    assert window.reader.view.text() == svc.article_text(other)


# -- reader and tables -----------------------------------------------------------------------------------


def test_reader_shows_quotes_by_status_with_cue_and_evidence_spans(window, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(svc, aid)
    moscow = svc.quote(ids[2])
    ev = svc.article_text(aid).index("according to a Turkish official")
    svc.update_hop(moscow.id, 0, evidence=(ev, ev + len("according to a Turkish official")))
    svc.set_status(ids[0], "disputed")
    window.show_article(aid)
    view = window.reader.view
    spans = {s.kind.value: s for s in view.quote_spans(moscow.id)}
    assert set(spans) == {"quote", "cue", "evidence"}
    assert spans["quote"].tooltip.startswith("Moscow ← a Turkish official ← CNN ← El País")
    assert spans["evidence"].tooltip == "according to a Turkish official"
    assert [s.status for s in view.quote_spans(ids[0]) if s.kind.value == "quote"] == ["disputed"]
    # the highlights are there at the quote's offsets
    assert [s.quote_id for s in view.spans_at(moscow.start) if s.kind.value == "quote"] == [moscow.id]


def test_this_article_table_sorts_and_follows_the_current_quote(window, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(svc, aid)
    window.show_article(aid)
    panel = window.quotes_panel
    assert panel.model.rowCount() == len(GOLD)
    assert window.quote_tabs.tabText(0) == f"This article ({len(GOLD)})"
    # sort by speaker, then click the first row
    col = panel.model.columns.index("speaker")
    panel.view.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    speakers = [panel.proxy.index(r, col).data() for r in range(panel.proxy.rowCount())]
    assert speakers == sorted(speakers, key=str.casefold)
    window.focus_quotes()
    first = panel.proxy.index(0, 0)
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(first).center()
    )
    qid = panel.current_quote_id()
    assert qid in ids and window.current_quote_id() == qid and window.reader.view.current_quote() == qid
    # keyboard down the table moves the current quote
    press(qtbot, panel.view, Qt.Key.Key_Down)
    assert window.current_quote_id() == panel.current_quote_id() != qid


def test_all_quotes_search_and_double_click_jumps_to_the_article(window, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(svc, aid)
    svc.set_status(ids[5], "disputed")
    other = next(s.article.id for s in svc.articles() if s.article.id != aid)
    window.show_article(other)
    press(qtbot, window, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # go to the search
    panel = window.all_quotes_panel
    assert panel.text_edit.hasFocus()
    assert panel.proxy.rowCount() == len(GOLD)
    qtbot.keyClicks(panel.speaker_edit, "rubio")
    assert panel.proxy.rowCount() == 2
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("disputed"))
    assert panel.proxy.rowCount() == 1
    panel.status_combo.setCurrentIndex(0)
    qtbot.keyClicks(panel.text_edit, "not going to")
    assert panel.proxy.rowCount() == 1
    qtbot.keyClicks(panel.outlet_edit, "el pa")
    assert panel.proxy.rowCount() == 1
    index = panel.proxy.index(0, 0)
    pos = panel.view.visualRect(index).center()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.current_article_id() == other  # a click only selects the row
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.current_article_id() == aid
    target = next(q for q in svc.quotes(aid) if "not going to" in q.text)
    assert window.current_quote_id() == target.id
    assert window.reader.view.hasFocus()
    assert window.reader.view.cursor_position() == target.start


def test_find_in_article_with_ctrl_f(window, qtbot) -> None:
    show_article_named(window, "istanbul-talks.txt")
    view = window.reader.view
    view.setFocus()
    press(qtbot, view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.reader.find_bar
    assert bar.isVisible() and bar.line_edit.hasFocus()
    qtbot.keyClicks(bar.line_edit, "Turkish official")
    s, e = view.selected_range()
    assert view.text()[s:e] == "Turkish official"
    assert bar.status_label.text().endswith(f"of {len(window.reader.find_matches())}")


# -- keyboard ---------------------------------------------------------------------------------------------


def test_shortcuts_dialog_is_generated_from_the_actions(window, qtbot) -> None:
    view = window.reader.view
    show_article_named(window, "istanbul-talks.txt")
    view.setFocus()
    press(qtbot, view, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(top_level(ShortcutsDialog)))
    [dialog] = top_level(ShortcutsDialog)
    rows = [dialog.model.entry(r) for r in range(dialog.model.rowCount())]
    table = {(e.group, e.action): e.keys for e in rows}
    assert table[("Quote", "Mark quote")] == "Q, Ctrl+Return"
    assert table[("Edit", "Undo")].startswith("Ctrl+Z")
    assert table[("Quote", "Verified")] == "3, Ctrl+3"
    assert table[("View", "Next quote")] == "N"
    assert table[("Reader", "Find next")] == "F3"
    assert any(g == "Quote inspector" for g, _ in table)
    # every menu action with a shortcut is listed, with the keys it really has
    for act in window.findChildren(type(window.mark_action)):
        if act.shortcuts() and act.text() and act.parent() is window:
            assert any(e.keys.startswith(act.shortcuts()[0].toString()) for e in rows), act.text()
    # no two actions of the window share a key (Delete in the inspector's intermediaries list is
    # that list's own, and the window's Delete does not act there)
    keys = [k.strip() for e in rows for k in e.keys.split(",")]
    dupes = {k for k in keys if keys.count(k) > 1}
    assert dupes <= {"Del"}, dupes
    assert window.delete_action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    dialog.filter_edit.setText("undo")
    assert dialog.proxy.rowCount() >= 1
    dialog.close()


def test_focus_keys_move_between_the_panes(window, qtbot) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    qid = window.editor.create_quote(aid, GOLD[3]["start"], GOLD[3]["end"]).quote.id
    window.select_quote(qid)
    alt = Qt.KeyboardModifier.AltModifier
    press(qtbot, window, Qt.Key.Key_1, alt)
    assert window.library.view.hasFocus()
    press(qtbot, window, Qt.Key.Key_2, alt)
    assert window.reader.view.hasFocus()
    press(qtbot, window, Qt.Key.Key_3, alt)
    assert window.quotes_panel.view.hasFocus()
    press(qtbot, window, Qt.Key.Key_4, alt)
    assert window.inspector.isAncestorOf(QApplication.focusWidget())


# -- persistence -----------------------------------------------------------------------------------------


def test_closing_and_reopening_keeps_everything(make_window, db_url, qtbot) -> None:
    w = make_window(db_url)
    aid = show_article_named(w, "istanbul-talks.txt")
    view = w.reader.view
    for g in GOLD[2:5]:
        drag_select(qtbot, view, g["start"], g["end"])
        press(qtbot, view, Qt.Key.Key_Q)
        view.setFocus()
        press(qtbot, view, Qt.Key.Key_2)
    before = {(q.start, q.end, q.text, q.type, q.status) for q in w.service.quotes(aid)}
    w.quotes_dock.hide()
    w.resize(700, 500)
    geometry = w.saveGeometry()
    w.close()

    w2 = make_window(db_url, size=(640, 480))
    assert w2.settings.window_geometry() == geometry  # (the offscreen screen is too small to check sizes)
    assert w2.current_article_id() == aid  # back where the user was
    after = {(q.start, q.end, q.text, q.type, q.status) for q in w2.service.quotes(aid)}
    assert after == before and len(after) == 3
    assert w2.quotes_panel.model.rowCount() == 3
    assert {s.quote_id for s in w2.reader.view.spans_at(GOLD[2]["start"])} != set()
    assert not w2.quotes_dock.isVisible()  # the dock layout came back
    assert w2.service.verify_audit().ok


def test_new_database_and_recent_databases(make_window, db_url, tmp_path, qtbot, monkeypatch) -> None:
    w = make_window(db_url)
    fresh = tmp_path / "desk" / "new.sqlite3"
    fresh.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(fresh), "")))
    w.new_db_action.trigger()
    assert w.database_url == f"sqlite:///{fresh}"
    assert w.service.articles() == [] and w._import is None  # a new database stays empty
    assert w.stack.currentWidget() is w.empty_page and w.empty_page.samples_button.isVisibleTo(w)
    assert "new.sqlite3" in w.windowTitle() and "new.sqlite3" in w.db_label.text()
    assert w.settings.recent_databases[:2] == [f"sqlite:///{fresh}", db_url]
    w.recent_menu.aboutToShow.emit()
    back = next(a for a in w.recent_menu.actions() if a.text() == db_url[len("sqlite:///") :])
    back.trigger()
    assert w.database_url == db_url and len(w.service.articles()) > 0
    # an existing file is not "new"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(fresh), "")))
    w.new_db_action.trigger()
    qtbot.waitUntil(lambda: w.reporter.warning_box is not None)
    assert w.database_url == db_url
    w.reporter.warning_box.close()


def test_status_bar_shows_database_user_counts_and_saved(window, qtbot) -> None:
    assert "annotations.sqlite3" in window.db_label.text()
    assert window.user_label.text() == "User: ana"
    aid = show_article_named(window, "istanbul-talks.txt")
    view = window.reader.view
    drag_select(qtbot, view, GOLD[3]["start"], GOLD[3]["end"])
    press(qtbot, view, Qt.Key.Key_Q)
    assert window.statusBar().currentMessage().startswith("Saved: create quote")
    qtbot.waitUntil(lambda: "1 quote ·" in window.counts_label.text())
    assert window.service.quotes(aid)[0].created_by == "ana"


# -- sources ------------------------------------------------------------------------------------------------


def test_sources_window_opens_and_its_edits_reach_the_main_window(window, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    ids = annotate_gold(svc, aid)
    window.show_article(aid, quote_id=ids[2])
    press(
        qtbot,
        window.reader.view,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    sources = window.sources_window
    assert sources is not None and sources.isVisible()
    assert sources.isWindow()
    moscow = svc.resolve_source("Moscow")
    window.editor.update_source(moscow.id, name="Kremlin")  # what the sources window's form does
    [span] = [s for s in window.reader.view.quote_spans(ids[2]) if s.kind.value == "quote"]
    assert span.tooltip.startswith("Kremlin ← a Turkish official")
    assert window.quotes_panel.model.quote_by_id(ids[2]).speaker == "Kremlin"
    window.close()
    assert not sources.isVisible()


def test_closing_saves_what_is_typed_but_not_committed(make_window, db_url, qtbot) -> None:
    w = make_window(db_url)
    aid = show_article_named(w, "istanbul-talks.txt")
    qid = w.editor.create_quote(aid, GOLD[3]["start"], GOLD[3]["end"]).quote.id
    w.select_quote(qid)
    note = w.inspector.note_edit
    note.setFocus()
    qtbot.keyClicks(note, "call the press office 2 3 q n")
    assert w.service.quote(qid).note is None  # committed when the field is left...
    svc = w.service
    w.close()  # ... or when the window closes
    from annotator.db import Database
    from annotator.service import Service

    assert Service(Database.open(db_url), user="x").quote(qid).note == "call the press office 2 3 q n"
    assert svc is not None


def test_reader_context_menu_offers_the_quote_actions(window, qtbot) -> None:
    aid = show_article_named(window, "istanbul-talks.txt")
    qid = window.editor.create_quote(aid, GOLD[3]["start"], GOLD[3]["end"]).quote.id
    window.show_article(aid)
    from app_support import point_inside

    view = window.reader.view
    view.select_range(GOLD[3]["start"], GOLD[3]["start"])
    view.centerCursor()
    window._on_reader_context_menu_requested(point_inside(view, GOLD[3]["start"] + 2))
    menu = window.reader_context_menu
    qtbot.waitUntil(menu.isVisible)
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert texts[:4] == ["Mark quote", "Set span from selection", "Use selection as cue", "Delete quote"]
    assert window.current_quote_id() == qid  # right-click on a quote makes it current
    menu.close()

"""Reviewing in the main window, driven like two people on one database file: the annotator "ana"
and the reviewer "rui", each in their own window. Ana builds the Moscow chain and sends it for
review; rui finds it in review mode, sends it back; ana sees why, fixes it, sends it again; rui
approves; the export carries the sign-off; ana's later edit withdraws the approval. Also: the
four-eyes rule (refused self-approval, the audited toggle), the audit check after tampering, the
review mode's layout, keys and mnemonics. Every check ends in the database."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from app_support import SAMPLES, drag_select, press, show_article_named, top_level
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from seed import cue_span, load_gold, source_for

from annotator.importing import article_files
from annotator.quotesets.export import export_set
from annotator.quotesets.xmlformat import read_quoteset
from ui.audit_dialog import AuditCheckDialog
from ui.hop_list import HopListModel
from ui.review_models import ReviewQueueModel
from ui.shortcuts import KEYS, ShortcutsDialog

pytestmark = pytest.mark.usefixtures("no_modal_boxes")

MOSCOW = load_gold()["quotes"][2]  # Moscow ← a Turkish official (according to) ← CNN (quoted by)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
COMMENT = "Mark where the article cites the Turkish official and CNN"


# -- helpers --------------------------------------------------------------------------------------------


def activate(qtbot, window) -> None:
    """Bring one of the two windows to the front (window shortcuts act in the active window)."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def build_moscow_chain(window, qtbot) -> int:
    """Ana marks the Moscow quote and builds its chain in the window, as the gold test does: Q on
    the selection, a new speaker through "New source…", the hops through the completer, the cue
    with C. Returns the quote's id."""
    svc = window.service
    for hop in MOSCOW["chain"]:
        source_for(svc, hop["source"])  # the desk's registry knows the intermediaries already
    view, insp = window.reader.view, window.inspector
    drag_select(qtbot, view, MOSCOW["start"], MOSCOW["end"])
    press(qtbot, view, Qt.Key.Key_Q)
    assert insp.speaker_edit.hasFocus()
    qid = window.current_quote_id()
    qtbot.keyClicks(insp.speaker_edit, MOSCOW["speaker"]["name"])
    qtbot.keyClick(insp.speaker_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: insp.source_dialog is not None and insp.source_dialog.isVisible())
    dialog = insp.source_dialog
    dialog.set_kind("organization")
    _type_into(qtbot, dialog.role_edit, MOSCOW["speaker"]["role"])
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: insp.source_dialog is None)
    for n, hop in enumerate(MOSCOW["chain"], start=1):
        _type_into(qtbot, insp.relation_combo.lineEdit(), hop["relation"])
        _type_into(qtbot, insp.hop_source_edit, hop["source"]["name"][:4])
        popup = insp.hop_completer.completer.popup()
        qtbot.waitUntil(popup.isVisible)
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda n=n: len(svc.quote(qid).hops) == n)
    cs, ce = cue_span(view.text(), MOSCOW)
    drag_select(qtbot, view, cs, ce)
    press(qtbot, view, Qt.Key.Key_C)
    q = svc.quote(qid)
    assert svc.source(q.speaker_id).name == "Moscow" and q.cue == (cs, ce)
    assert [(svc.source(h.source_id).name, h.relation) for h in q.hops] == [
        ("Turkish official", "according to"),
        ("CNN", "quoted by"),
    ]
    return qid


def click_hop(qtbot, insp, row: int) -> None:
    rect = insp.hop_view.visualRect(insp.hop_model.index(row, HopListModel.SOURCE))
    qtbot.mouseClick(insp.hop_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert insp.hop_view.currentIndex().row() == row


def click_diagram(qtbot, review, rect) -> None:
    review.diagram_scroll.ensureVisible(rect.center().x(), rect.center().y())
    qtbot.mouseClick(review.diagram, Qt.MouseButton.LeftButton, pos=rect.center())


def library_row(window, article_id: int):
    return window.library.model.article_by_id(article_id)


def local_day(stamp: str) -> str:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d")


def audit_dialogs(window) -> list[AuditCheckDialog]:
    return [d for d in window.findChildren(AuditCheckDialog) if d.isVisible()]


def enter_review_mode(qtbot, window):
    activate(qtbot, window)
    press(qtbot, window, Qt.Key.Key_V, CTRL_SHIFT)
    assert window.in_review_mode()
    review = window.review_view
    qtbot.waitUntil(review.isVisible)
    return review


# -- the round trip -------------------------------------------------------------------------------------


def test_annotator_and_reviewer_round_trip_in_two_windows(make_window, db_url, tmp_path, qtbot) -> None:
    ana = make_window(db_url, user="ana")
    aid = show_article_named(ana, "istanbul-talks.txt")
    text = ana.reader.view.text()
    qid = build_moscow_chain(ana, qtbot)
    insp = ana.inspector
    svc = ana.service

    # Ana sends it for review with the inspector's button.
    assert insp.send_for_review_button.isEnabled()
    assert insp.change_request_text() == ""
    qtbot.mouseClick(insp.send_for_review_button, Qt.MouseButton.LeftButton)
    assert svc.quote(qid).status == "needs_review"
    assert not insp.send_for_review_button.isEnabled()  # nothing left to send
    assert ana.quotes_panel.model.quote_by_id(qid).status == "needs_review"

    # Rui, in his own window on the same file: review mode shows the quote in the queue, and its
    # article in the reader.
    rui = make_window(db_url, user="rui")
    rsvc = rui.service
    review = enter_review_mode(qtbot, rui)
    assert review.queue_model.quote_ids() == [qid]
    assert review.current_quote_id() == qid
    assert (rui.current_article_id(), rui.current_quote_id()) == (aid, qid)
    assert rui.inspector.current_quote_id() == qid
    assert review.queue_view.hasFocus()
    m = review.queue_model
    assert m.data(m.index(0, ReviewQueueModel.ANNOTATOR)) == "ana"
    assert [n.label for n in review.diagram.nodes()] == ["Moscow", "a Turkish official", "CNN", "El País"]
    # The reader stays in view: clicking the speaker's box shows its cue in the article...
    click_diagram(qtbot, review, review.diagram.node_rect(0))
    assert rui.reader.view.selected_range() == cue_span(text, MOSCOW)
    assert rui.reader.view.isVisible()
    # ...and a hop without evidence says so.
    click_diagram(qtbot, review, review.diagram.edge_rect(0))
    assert "No evidence span" in review.diagram_hint_label.text()

    # Rui sends it back with a comment, from the keyboard.
    qtbot.keyClicks(review.comment_edit, COMMENT)
    review.queue_view.setFocus()
    press(qtbot, review.queue_view, Qt.Key.Key_B, CTRL_SHIFT)
    assert svc.quote(qid).status == "unverified"
    request = svc.open_change_request(qid)
    assert (request.reviewer, request.comment) == ("rui", COMMENT)
    assert review.queue_model.quote_ids() == []
    assert rui.quotes_panel.model.quote_by_id(qid).status == "unverified"  # the tables follow

    # Ana reloads (F5): her inspector shows the request, as plain text, above the form.
    activate(qtbot, ana)
    press(qtbot, ana.reader.view, Qt.Key.Key_F5)
    assert ana.current_quote_id() == qid and insp.current_quote_id() == qid
    banner = f"Changes requested by rui on {local_day(request.at)}: {COMMENT}"
    assert insp.change_request_text() == banner
    assert insp.change_request_label.isVisible()
    assert insp.change_request_label.textFormat() == Qt.TextFormat.PlainText
    form = insp.content.layout()
    assert form.indexOf(insp.change_request_label) < form.indexOf(insp.quote_label)  # above the form
    assert insp.send_for_review_button.isEnabled()

    # She fixes the hops: select the words in the article, "use selection as evidence".
    for row, phrase in ((0, "according to a Turkish official"), (1, "quoted by CNN")):
        click_hop(qtbot, insp, row)
        start = text.index(phrase)
        drag_select(qtbot, ana.reader.view, start, start + len(phrase))
        qtbot.mouseClick(insp.evidence_button, Qt.MouseButton.LeftButton)
        span = (start, start + len(phrase))
        qtbot.waitUntil(lambda row=row, span=span: svc.quote(qid).hops[row].evidence == span)
    # ... and sends it for review again, with the key this time.
    press(qtbot, ana.reader.view, Qt.Key.Key_Return, CTRL_SHIFT)
    assert svc.quote(qid).status == "needs_review"
    assert insp.change_request_text() == banner  # open until the quote is approved or rejected

    # Rui reloads: the quote is back in his queue, resubmitted, without warnings now.
    activate(qtbot, rui)
    press(qtbot, rui.reader.view, Qt.Key.Key_F5)
    assert review.queue_model.quote_ids() == [qid]
    assert m.data(m.index(0, ReviewQueueModel.STATUS)) == "resubmitted"
    assert review.current_quote_id() == qid
    assert review.warnings_model.rowCount() == 0
    assert COMMENT in review.change_request_label.text()
    # The evidence of the first hop, one click away.
    click_diagram(qtbot, review, review.diagram.edge_rect(0))
    start = text.index("according to a Turkish official")
    assert rui.reader.view.selected_range() == (start, start + len("according to a Turkish official"))
    assert library_row(rui, aid).verified == 0

    # Rui approves with the keyboard; the library counts and the tables follow.
    review.queue_view.setFocus()
    press(qtbot, review.queue_view, Qt.Key.Key_A, CTRL_SHIFT)
    q = rsvc.quote(qid)
    assert q.status == "verified"
    approval = rsvc.reviews(qid)[-1]
    assert (approval.reviewer, approval.verdict) == ("rui", "approve")
    assert approval.chain_sha256 == rsvc.chain_sha256(qid)
    assert review.message().startswith(f"Approved quote #{qid}: it is now verified.")
    qtbot.waitUntil(lambda: library_row(rui, aid).verified == 1)
    assert rui.quotes_panel.model.quote_by_id(qid).status == "verified"
    assert f"{len(article_files(SAMPLES))} articles · 1 quote · 1 verified" in rui.counts_label.text()

    # Ana's banner is gone once the quote is approved.
    activate(qtbot, ana)
    press(qtbot, ana.reader.view, Qt.Key.Key_F5)
    assert insp.change_request_text() == ""
    assert not insp.change_request_label.isVisible()

    # The verified export carries rui's sign-off with the hash of the chain he approved.
    out = tmp_path / "verified.xml"
    export_set(svc, out, status="verified")
    qs = read_quoteset(out)
    [exported] = qs.quotes
    assert (exported.start, exported.end) == (MOSCOW["start"], MOSCOW["end"])
    approvals = [s for s in exported.signoffs if s.verdict == "approve"]
    assert [(s.reviewer, s.chain_sha256) for s in approvals] == [("rui", approval.chain_sha256)]

    # Ana edits the approved chain (clears the second hop's evidence): back to review, and rui's
    # history says why.
    click_hop(qtbot, insp, 1)
    qtbot.mouseClick(insp.clear_evidence_button, Qt.MouseButton.LeftButton)
    assert svc.quote(qid).hops[1].evidence is None
    assert svc.quote(qid).status == "needs_review"
    activate(qtbot, rui)
    press(qtbot, rui.reader.view, Qt.Key.Key_F5)
    assert review.queue_model.quote_ids() == [qid]
    assert review.current_quote_id() == qid
    rows = review.history_model.rows()
    assert "approval withdrawn" in rows[-1].action and rows[-1].actor == "ana"
    assert [r.verdict for r in rows if r.object_type == "review"] == ["request_changes", "approve"]
    assert rui.quotes_panel.model.quote_by_id(qid).status == "needs_review"
    qtbot.waitUntil(lambda: library_row(rui, aid).verified == 0)
    assert rsvc.verify_audit().ok


# -- the four-eyes rule ---------------------------------------------------------------------------------


def test_self_approval_is_refused_in_review_mode_and_changes_nothing(make_window, db_url, qtbot) -> None:
    ana = make_window(db_url, user="ana")
    svc = ana.service
    aid = show_article_named(ana, "istanbul-talks.txt")
    speaker = source_for(svc, MOSCOW["speaker"])
    qid = ana.editor.create_quote(aid, MOSCOW["start"], MOSCOW["end"], speaker_id=speaker).quote.id
    ana.editor.set_verification(qid, status="needs_review")
    assert ana.four_eyes_action.isChecked()

    review = enter_review_mode(qtbot, ana)
    assert review.current_quote_id() == qid
    before = (svc.quote(qid), svc.reviews(qid), svc.audit_head())
    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    message = review.message()
    assert "four-eyes rule" in message and "ana last edited the chain" in message
    assert review.message_label.textFormat() == Qt.TextFormat.PlainText
    assert (svc.quote(qid), svc.reviews(qid), svc.audit_head()) == before
    assert not top_level(QMessageBox)  # said in the review bar, no dialog
    assert ana.quotes_panel.model.quote_by_id(qid).status == "needs_review"


def test_the_four_eyes_toggle_is_the_databases_setting_and_is_audited(make_window, db_url, qtbot) -> None:
    ana = make_window(db_url, user="ana")
    rui = make_window(db_url, user="rui")
    svc = ana.service
    act = ana.four_eyes_action
    assert act.isCheckable() and act.isChecked() and svc.setting("four_eyes") is True
    assert act in ana.tools_menu.actions()

    activate(qtbot, ana)
    act.trigger()  # Tools > Four-eyes rule: off
    assert not act.isChecked()
    assert svc.setting("four_eyes") is False
    [entry] = svc.history("setting", 1)
    assert entry.actor == "ana" and entry.after["value"] is False
    assert "Four-eyes rule off" in ana.statusBar().currentMessage()

    # Rui's window shows the current state when he opens the menu (another person changed it).
    assert rui.four_eyes_action.isChecked()
    rui.tools_menu.aboutToShow.emit()
    assert not rui.four_eyes_action.isChecked()

    # With the rule off, ana may approve her own chain; back on, the toggle is audited again.
    aid = show_article_named(ana, "istanbul-talks.txt")
    speaker = source_for(svc, MOSCOW["speaker"])
    qid = ana.editor.create_quote(aid, MOSCOW["start"], MOSCOW["end"], speaker_id=speaker).quote.id
    ana.editor.set_verification(qid, status="needs_review")
    review = enter_review_mode(qtbot, ana)
    assert review.current_quote_id() == qid
    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    assert svc.quote(qid).status == "verified"
    act.trigger()
    assert act.isChecked() and svc.setting("four_eyes") is True
    assert [e.after["value"] for e in svc.history("setting", 1)] == [False, True]
    assert svc.verify_audit().ok


# -- the audit check ------------------------------------------------------------------------------------


def test_verify_audit_log_reports_a_tampered_entry(make_window, db_url, db_path, qtbot) -> None:
    window = make_window(db_url, user="ana")
    assert window.audit_action in window.tools_menu.actions()
    press(qtbot, window.reader.view, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(audit_dialogs(window)))
    [dialog] = audit_dialogs(window)
    assert dialog.message_label.text().startswith("Audit log OK:")
    dialog.close()
    qtbot.waitUntil(lambda: not audit_dialogs(window))

    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER audit_entry_no_update")
    con.execute("UPDATE audit_entry SET actor='mallory' WHERE seq=3")
    con.commit()
    con.close()

    window.audit_action.trigger()  # Tools > Verify audit log…
    qtbot.waitUntil(lambda: bool(audit_dialogs(window)))
    [dialog] = audit_dialogs(window)
    text = dialog.message_label.text()
    assert text.startswith("Audit log broken at entry #3:")
    assert "mallory" in text
    assert dialog.message_label.textFormat() == Qt.TextFormat.PlainText
    assert window.statusBar().currentMessage().startswith("Audit log broken at entry #3")
    dialog.close()


# -- the review mode itself -----------------------------------------------------------------------------


def test_review_mode_gives_the_review_room_and_puts_the_layout_back(make_window, db_url, qtbot) -> None:
    window = make_window(db_url, user="rui")
    qtbot.wait(50)  # the first start's default layout
    aid = show_article_named(window, "istanbul-talks.txt")
    # The review tab, built but not shown, weighs nothing on the usual layout.
    assert window.library_dock.width() >= 240
    assert window.inspector_dock.width() >= 400
    ana_quotes = []
    svc = window.service
    for i in (3, 4):
        g = load_gold()["quotes"][i]
        speaker = source_for(svc, g["speaker"])
        q = svc.create_quote(aid, g["start"], g["end"], speaker_id=speaker).quote  # made elsewhere
        svc.set_status(q.id, "needs_review")
        ana_quotes.append(q.id)
    library_width = window.library_dock.width()

    # The menu item and the tab are the same mode.
    window.quote_tabs.setCurrentWidget(window.review_page)
    assert window.in_review_mode() and window.review_mode_action.isChecked()
    review = window.review_view
    assert review.queue_model.quote_ids() == ana_quotes  # reloaded on entering: the new quotes
    assert not window.library_dock.isVisible() and not window.inspector_dock.isVisible()
    assert window.reader.view.isVisible()
    assert window.quotes_dock.windowTitle() == "Review"
    assert review.width() > window.width() // 2
    # A quote clicked in a table or the article is the one under review.
    window.select_quote(ana_quotes[1])
    assert review.current_quote_id() == ana_quotes[1]
    # Alt+Down / Alt+Up move in the queue, and the window follows.
    review.queue_view.setFocus()
    press(qtbot, review.queue_view, Qt.Key.Key_Up, ALT)
    assert review.current_quote_id() == ana_quotes[0] == window.current_quote_id()
    # Delete is not for the review queue: nothing is deleted there.
    press(qtbot, review.queue_view, Qt.Key.Key_Delete)
    assert svc.quote(ana_quotes[0]).status == "needs_review"

    press(qtbot, review.queue_view, Qt.Key.Key_V, CTRL_SHIFT)  # leave
    assert not window.in_review_mode() and not window.review_mode_action.isChecked()
    assert window.quote_tabs.currentWidget() is window.quotes_panel
    assert window.library_dock.isVisible() and window.inspector_dock.isVisible()
    assert window.dockWidgetArea(window.quotes_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert abs(window.library_dock.width() - library_width) <= 2
    assert window.quotes_dock.windowTitle() == "Quotes"

    # Closed in review mode, the window comes back with the usual layout.
    window.review_mode_action.trigger()
    assert window.in_review_mode()
    window.close()
    again = make_window(db_url, user="rui")
    assert not again.in_review_mode()
    assert again.library_dock.isVisible() and again.inspector_dock.isVisible()
    assert again.dockWidgetArea(again.quotes_dock) == Qt.DockWidgetArea.BottomDockWidgetArea


def test_a_window_without_a_database_has_no_review_mode(make_window, qtbot) -> None:
    window = make_window(None)
    assert window.review_view is None
    assert not window.review_mode_action.isEnabled() and not window.audit_action.isEnabled()
    window.quote_tabs.setCurrentWidget(window.review_page)
    assert not window.in_review_mode()


# -- keys -----------------------------------------------------------------------------------------------


def test_the_new_keys_are_listed_and_clash_with_nothing(make_window, db_url, qtbot) -> None:
    window = make_window(db_url, user="rui")
    show_article_named(window, "istanbul-talks.txt")
    window.reader.view.setFocus()
    press(qtbot, window.reader.view, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(top_level(ShortcutsDialog)))
    [dialog] = top_level(ShortcutsDialog)
    rows = [dialog.model.entry(r) for r in range(dialog.model.rowCount())]
    table = {(e.group, e.action): e.keys for e in rows}
    assert table[("View", "Review mode")] == "Ctrl+Shift+V"
    assert table[("View", "Reload from the database")] == "F5"
    assert table[("Tools", "Verify audit log")] == "Ctrl+Shift+L"
    # The review view's own keys, under "Review", each described by its tip.
    review = {k: a for (g, a), k in table.items() if g == "Review"}
    assert review["Ctrl+Shift+A"].startswith("Approve the chain")
    assert review["Ctrl+Shift+B"].startswith("Send the quote back to its annotator")
    assert review["Ctrl+Shift+J"].startswith("Reject the quote")
    assert review["Alt+Down"] == "Next quote in the review queue"
    assert review["Alt+Up"] == "Previous quote in the review queue"
    [send] = [a for (g, a), k in table.items() if g == "Quote inspector" and k == "Ctrl+Shift+Return"]
    assert send.startswith("Send the quote for review")
    keys = [k.strip() for e in rows for k in e.keys.split(",")]
    dupes = {k for k in keys if keys.count(k) > 1}
    assert dupes <= {"Del"}, dupes
    # The registry is where every one of them is chosen.
    for name in ("review_mode", "reload", "verify_audit", "send_for_review", "review_approve"):
        assert name in KEYS
    dialog.close()


def test_inspector_mnemonics_do_not_clash_with_the_menus(make_window, db_url, qtbot) -> None:
    window = make_window(db_url, user="ana")

    def mnemonic(text: str) -> str | None:
        i = text.replace("&&", "").find("&")
        return text.replace("&&", "")[i + 1].lower() if i >= 0 else None

    menus = {mnemonic(a.text()) for a in window.menuBar().actions()} - {None}
    labels = [w for w in window.inspector.findChildren(QLabel) if w.buddy() is not None]
    letters = [mnemonic(w.text()) for w in labels if mnemonic(w.text())]
    assert "Evidence &URL" in [w.text() for w in labels]
    assert not menus & set(letters), menus & set(letters)
    assert len(letters) == len(set(letters))
    # Alt+U goes to the evidence URL field, not to the Edit menu.
    show_article_named(window, "istanbul-talks.txt")
    aid = window.current_article_id()
    qid = window.editor.create_quote(aid, MOSCOW["start"], MOSCOW["end"]).quote.id
    window.select_quote(qid)
    window.inspector.speaker_edit.setFocus()
    press(qtbot, window.inspector.speaker_edit, Qt.Key.Key_U, ALT)
    assert window.inspector.evidence_url_edit.hasFocus()

"""The reviewer's side, driven like a user: the queue, the chain diagram, warnings, history, verdicts
(buttons and keys), progress, and the audit check. An annotator ("ana") and a reviewer ("rui") work
on the same database file through their own services and editors; every check ends in the database."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QLabel, QWidget
from seed import annotate_gold

from annotator.db import Database
from annotator.records import HopRecord
from annotator.service import Service
from ui.audit_dialog import AuditCheckDialog, show_audit_check
from ui.chain_diagram import ChainDiagram, chain_elements
from ui.commands import Editor
from ui.review_models import HistoryModel, ReviewQueueModel, WarningsModel, history_rows
from ui.review_view import REVIEW_KEYS, ArticleProgressModel, ReviewView

pytestmark = pytest.mark.usefixtures("no_modal_boxes")

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def text(service, istanbul_id) -> str:
    return service.article_text(istanbul_id)


@pytest.fixture
def quote_ids(service, istanbul_id) -> list[int]:
    """Ana's gold annotation of the Istanbul article (every quote unverified)."""
    return annotate_gold(service, istanbul_id)


@pytest.fixture
def moscow_id(quote_ids, service) -> int:
    """Moscow ← a Turkish official (according to) ← CNN (quoted by), in El País."""
    q = service.quote(quote_ids[2])
    assert service.source(q.speaker_id).name == "Moscow"
    return q.id


@pytest.fixture
def rui(db_path, service):
    """The reviewer: his own service on the same database file."""
    db = Database.open(f"sqlite:///{db_path}")
    yield Service(db, user="rui")
    db.close()


@pytest.fixture
def rui_editor(rui, qtbot) -> Editor:
    return Editor(rui)


def open_view(editor: Editor, qtbot) -> ReviewView:
    view = ReviewView(editor)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def click_queue_row(view: ReviewView, quote_id: int, qtbot) -> None:
    row = view.queue_model.row_of(quote_id)
    assert row is not None, f"quote {quote_id} is not in the queue"
    rect = view.queue_view.visualRect(view.queue_model.index(row, ReviewQueueModel.SPEAKER))
    qtbot.mouseClick(view.queue_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_diagram(view: ReviewView, qtbot, rect) -> None:
    view.diagram_scroll.ensureVisible(rect.center().x(), rect.center().y())
    qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton, pos=rect.center())


def warning_rules(view: ReviewView) -> list[str]:
    m = view.warnings_model
    return [m.warning(r).rule for r in range(m.rowCount())]


def history_actions(view: ReviewView) -> list[str]:
    m = view.history_model
    return [m.history_row(r).action for r in range(m.rowCount())]


def changes_text(view: ReviewView, row: int) -> str:
    m = view.history_model
    return m.data(m.index(row, HistoryModel.CHANGES))


def span_of(text: str, needle: str, near: int = 0) -> tuple[int, int]:
    start = text.find(needle, near)
    assert start >= 0, needle
    return start, start + len(needle)


# --------------------------------------------------------------------------------------------------
# The whole round trip
# --------------------------------------------------------------------------------------------------


def test_review_round_trip_between_annotator_and_reviewer(
    service, editor, rui, rui_editor, quote_ids, moscow_id, text, qtbot
) -> None:
    vance_id = quote_ids[3]
    editor.set_verification(moscow_id, status="needs_review")
    editor.set_verification(vance_id, status="needs_review")

    view = open_view(rui_editor, qtbot)
    assert view.queue_model.quote_ids() == [moscow_id, vance_id]  # oldest first
    assert view.left_label.text() == "2 left"
    m = view.queue_model
    row = m.row_of(moscow_id)
    assert m.data(m.index(row, ReviewQueueModel.SPEAKER)) == "Moscow"
    assert m.data(m.index(row, ReviewQueueModel.ANNOTATOR)) == "ana"
    assert m.data(m.index(row, ReviewQueueModel.WARNINGS)) == 2
    assert m.data(m.index(row, ReviewQueueModel.WARNINGS), Qt.ItemDataRole.DecorationRole) is not None

    # Focusing the queue picks its first quote (Down then moves on): the main window is told.
    with qtbot.waitSignal(view.quote_selected) as picked:
        view.queue_view.setFocus()
    assert picked.args == [moscow_id]
    assert view.current_quote_id() == moscow_id
    assert [n.label for n in view.diagram.nodes()] == ["Moscow", "a Turkish official", "CNN", "El País"]
    assert [e.relation for e in view.diagram.edges()] == ["according to", "quoted by", "published in"]
    assert warning_rules(view) == ["hop-without-evidence", "hop-without-evidence"]
    assert (
        "intermediary 1 (a Turkish official) has no evidence span" in view.warnings_model.warning(0).message
    )

    # Request changes without a comment: refused in the bar, nothing recorded.
    qtbot.mouseClick(view.request_changes_button, Qt.MouseButton.LeftButton)
    assert "Say what should change" in view.message()
    assert service.reviews(moscow_id) == []
    assert view.comment_edit.hasFocus()

    qtbot.keyClicks(view.comment_edit, "Mark where the article cites the Turkish official and CNN")
    with qtbot.waitSignal(view.quote_selected) as moved:
        qtbot.mouseClick(view.request_changes_button, Qt.MouseButton.LeftButton)
    assert service.quote(moscow_id).status == "unverified"
    request = service.open_change_request(moscow_id)
    assert request is not None and request.reviewer == "rui"
    assert request.comment == "Mark where the article cites the Turkish official and CNN"
    # The queue refreshed and moved on to the next quote.
    assert moved.args == [vance_id]
    assert view.current_quote_id() == vance_id
    assert view.queue_model.quote_ids() == [vance_id]
    assert view.left_label.text() == "1 left"
    assert view.message().startswith(f"Sent back quote #{moscow_id}: it is now unverified. 1 left.")
    assert view.comment_edit.text() == ""

    # Ana fixes the hops (evidence spans) and sends it back.
    editor.update_hop(moscow_id, 0, evidence=span_of(text, "a Turkish official"))
    editor.update_hop(moscow_id, 1, evidence=span_of(text, "CNN", text.find("a Turkish official")))
    editor.set_verification(moscow_id, status="needs_review")

    view.refresh()
    assert view.queue_model.quote_ids() == [vance_id, moscow_id]
    assert view.current_quote_id() == vance_id  # a refresh keeps the reviewer's place
    row = view.queue_model.row_of(moscow_id)
    assert m.data(m.index(row, ReviewQueueModel.STATUS)) == "resubmitted"
    click_queue_row(view, moscow_id, qtbot)
    assert view.current_quote_id() == moscow_id
    assert warning_rules(view) == []
    assert view.change_request_label.isVisibleTo(view)
    assert "Mark where the article cites" in view.change_request_label.text()
    assert [e.no_evidence for e in view.diagram.edges()] == [False, False, False]

    # Approve with the keyboard.
    view.queue_view.setFocus()
    qtbot.keyClick(view.queue_view, Qt.Key.Key_A, CTRL_SHIFT)
    q = service.quote(moscow_id)
    assert q.status == "verified"
    sign_offs = service.reviews(moscow_id)
    assert [r.verdict for r in sign_offs] == ["request_changes", "approve"]
    assert sign_offs[-1].reviewer == "rui"
    assert sign_offs[-1].chain_sha256 == service.chain_sha256(moscow_id)
    assert view.queue_model.quote_ids() == [vance_id]
    assert view.current_quote_id() == vance_id

    # Ana edits the approved chain: it goes back to review, and the history says why.
    editor.update_hop(moscow_id, 0, relation="told")
    assert service.quote(moscow_id).status == "needs_review"
    view.refresh()
    assert moscow_id in view.queue_model.quote_ids()
    click_queue_row(view, moscow_id, qtbot)
    actions = history_actions(view)
    assert "approval withdrawn" in actions[-1]
    assert "intermediary 1 (a Turkish official): relation 'according to' → 'told'" in changes_text(
        view, len(actions) - 1
    )
    verdicts = [r for r in view.history_model.rows() if r.object_type == "review"]
    assert [r.verdict for r in verdicts] == ["request_changes", "approve"]
    assert sign_offs[-1].chain_sha256[:12] in verdicts[-1].lines[0]
    assert "Mark where the article cites" in verdicts[0].lines[0]


def test_self_approval_is_refused_with_a_clear_message(service, editor, moscow_id, qtbot) -> None:
    editor.set_verification(moscow_id, status="needs_review")
    view = open_view(editor, qtbot)  # ana reviewing her own chain
    assert view.select_quote(moscow_id)
    before = (service.quote(moscow_id), service.reviews(moscow_id), service.audit_head())
    qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
    message = view.message()
    assert "four-eyes rule" in message and "ana last edited the chain" in message
    assert view.message_label.isVisible()
    assert view.message_label.textFormat() == Qt.TextFormat.PlainText
    assert (service.quote(moscow_id), service.reviews(moscow_id), service.audit_head()) == before
    assert view.current_quote_id() == moscow_id
    assert view.queue_model.quote_ids() == [moscow_id]


def test_a_chain_edited_since_it_was_opened_is_not_signed_blindly(
    service, editor, rui, rui_editor, moscow_id, text, qtbot
) -> None:
    editor.set_verification(moscow_id, status="needs_review")
    view = open_view(rui_editor, qtbot)
    view.select_quote(moscow_id)
    assert view.diagram.edges()[0].no_evidence
    # Meanwhile, in ana's app: the chain changes under rui's eyes.
    editor.update_hop(moscow_id, 0, evidence=span_of(text, "a Turkish official"))
    qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
    assert "was changed by ana since you opened it" in view.message()
    assert service.reviews(moscow_id) == []
    assert service.quote(moscow_id).status == "needs_review"
    assert not view.diagram.edges()[0].no_evidence  # reloaded: rui now sees the new chain
    qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
    assert service.quote(moscow_id).status == "verified"
    assert service.reviews(moscow_id)[-1].chain_sha256 == service.chain_sha256(moscow_id)


def test_a_chain_without_speaker_cannot_be_approved(service, editor, rui_editor, moscow_id, qtbot) -> None:
    editor.set_speaker(moscow_id, None)
    editor.set_verification(moscow_id, status="needs_review")
    view = open_view(rui_editor, qtbot)
    view.select_quote(moscow_id)
    assert view.diagram.nodes()[0].missing
    assert not view.approve()
    assert "has no speaker" in view.message()
    assert service.quote(moscow_id).status == "needs_review"


def test_reject_and_request_changes_with_keys_and_comment_drafts(
    service, editor, rui_editor, quote_ids, qtbot
) -> None:
    ids = quote_ids[:4]
    for qid in ids:
        editor.set_verification(qid, status="needs_review")
    view = open_view(rui_editor, qtbot)
    assert view.approve_button.text().endswith("(Ctrl+Shift+A)")
    assert "Ctrl+Shift+B" in view.request_changes_button.toolTip()
    assert view.reject_action.shortcut().toString() == REVIEW_KEYS["reject"]

    view.queue_view.setFocus()
    assert view.current_quote_id() == ids[0]
    qtbot.keyClick(view.queue_view, Qt.Key.Key_Down)
    assert view.current_quote_id() == ids[1]
    qtbot.keyClick(view.queue_view, Qt.Key.Key_Up)
    assert view.current_quote_id() == ids[0]
    # Up/Down typed in the comment field move in the queue; each quote keeps its own draft.
    view.comment_edit.setFocus()
    qtbot.keyClicks(view.comment_edit, "draft for the first")
    qtbot.keyClick(view.comment_edit, Qt.Key.Key_Down)
    assert view.current_quote_id() == ids[1]
    assert view.comment_edit.text() == ""
    qtbot.keyClick(view.comment_edit, Qt.Key.Key_Up)
    assert view.current_quote_id() == ids[0]
    assert view.comment_edit.text() == "draft for the first"
    qtbot.keyClick(view.comment_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.current_quote_id() == ids[1]

    # Ctrl+Shift+B with no comment: refused, the comment field gets the focus.
    qtbot.keyClick(view.queue_view, Qt.Key.Key_B, CTRL_SHIFT)
    assert "Say what should change" in view.message()
    assert view.comment_edit.hasFocus()
    qtbot.keyClicks(view.comment_edit, "The cue is wrong")
    qtbot.keyClick(view.comment_edit, Qt.Key.Key_B, CTRL_SHIFT)
    assert service.open_change_request(ids[1]).comment == "The cue is wrong"
    assert view.current_quote_id() == ids[2]
    assert view.queue_view.hasFocus()  # ready for the next one

    # Reject with Ctrl+Shift+J (a comment is optional).
    qtbot.keyClick(view.queue_view, Qt.Key.Key_J, CTRL_SHIFT)
    assert service.quote(ids[2]).status == "rejected"
    assert service.reviews(ids[2])[-1].comment is None
    assert view.current_quote_id() == ids[3]
    assert view.queue_model.quote_ids() == [ids[0], ids[3]]

    # The last one in the queue: after it the view goes back to the one before.
    qtbot.keyClick(view.queue_view, Qt.Key.Key_J, CTRL_SHIFT)
    assert view.current_quote_id() == ids[0]
    assert view.comment_edit.text() == "draft for the first"


def test_after_the_last_verdict_the_judged_quote_stays_shown(
    service, editor, rui_editor, moscow_id, qtbot
) -> None:
    editor.set_verification(moscow_id, status="needs_review")
    view = open_view(rui_editor, qtbot)
    view.select_quote(moscow_id)
    assert view.approve()
    assert view.queue_model.rowCount() == 0
    assert view.left_label.text() == "Nothing left to review"
    assert view.current_quote_id() == moscow_id
    assert "verified (not in the queue)" in view.header_label.text()
    assert "Nothing left in the queue" in view.message()
    assert history_actions(view)[-1] == "approve"


# --------------------------------------------------------------------------------------------------
# The chain diagram
# --------------------------------------------------------------------------------------------------


def test_clicking_the_diagram_asks_for_the_span_behind_it(
    service, editor, rui_editor, moscow_id, text, qtbot
) -> None:
    evidence = span_of(text, "a Turkish official")
    editor.update_hop(moscow_id, 0, evidence=evidence)
    editor.set_verification(moscow_id, status="needs_review")
    q = service.quote(moscow_id)
    assert q.cue is not None
    view = open_view(rui_editor, qtbot)
    view.select_quote(moscow_id)
    d = view.diagram

    with qtbot.waitSignal(view.span_focus_requested) as sig:
        click_diagram(view, qtbot, d.node_rect(1))  # the Turkish official
    assert sig.args == list(evidence)
    with qtbot.waitSignal(view.span_focus_requested) as sig:
        click_diagram(view, qtbot, d.edge_rect(0))  # "according to", the arrow into it
    assert sig.args == list(evidence)
    with qtbot.waitSignal(view.span_focus_requested) as sig:
        click_diagram(view, qtbot, d.node_rect(0))  # the speaker: the cue
    assert sig.args == list(q.cue)
    with qtbot.waitSignal(view.span_focus_requested) as sig:
        click_diagram(view, qtbot, d.node_rect(3))  # the outlet: the quote itself
    assert sig.args == [q.start, q.end]

    # CNN has no evidence: nothing is emitted, a hint says why.
    with qtbot.assertNotEmitted(view.span_focus_requested):
        click_diagram(view, qtbot, d.node_rect(2))
    assert "No evidence span for intermediary 2 (CNN)" in view.diagram_hint_label.text()
    with qtbot.assertNotEmitted(view.span_focus_requested):
        click_diagram(view, qtbot, d.edge_rect(1))

    # The keyboard reaches the same things: Home, Right, Right → the Turkish official, Enter.
    d.setFocus()
    qtbot.keyClick(d, Qt.Key.Key_Home)
    qtbot.keyClick(d, Qt.Key.Key_Right)
    qtbot.keyClick(d, Qt.Key.Key_Right)
    with qtbot.waitSignal(view.span_focus_requested) as sig:
        qtbot.keyClick(d, Qt.Key.Key_Return)
    assert sig.args == list(evidence)


def _rects_disjoint(rects) -> bool:
    return all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])


@pytest.mark.parametrize("hops", range(9))
def test_the_diagram_reads_with_zero_to_eight_hops(service, editor, istanbul_id, hops, qtbot) -> None:
    sources = [
        editor.create_source("person", f"Intermediary number {i} with a longish name").source.id
        for i in range(hops)
    ]
    speaker = editor.create_source("organization", "Moscow").source.id
    qid = editor.create_quote(istanbul_id, 1571, 1713).quote.id
    editor.set_chain(qid, speaker, [HopRecord(s, "according to") for s in sources])
    q = service.quote(qid)
    nodes, edges = chain_elements(
        q, {s.id: s for s in service.sources()}, service.article(istanbul_id).outlet_id
    )
    assert len(nodes) == hops + 2 and len(edges) == hops + 1
    assert [n.title for n in nodes] == ["SPEAKER", *(f"INTERMEDIARY {i + 1}" for i in range(hops)), "OUTLET"]

    d = ChainDiagram()
    qtbot.addWidget(d)
    d.set_chain(nodes, edges)
    heights = []
    for width in (1400, 700, 360):
        d.resize(width, d.heightForWidth(width))
        nodes_r = [d.node_rect(i) for i in range(len(nodes))]
        labels = [d.edge_label_rect(i) for i in range(len(edges))]
        assert all(r.left() >= 0 and r.right() < max(width, d.minimumSizeHint().width()) for r in nodes_r)
        assert all(r.bottom() < d.height() for r in nodes_r)
        assert _rects_disjoint(nodes_r)
        assert all(not label.intersects(n) for label in labels for n in nodes_r)
        # Nodes follow the chain's order: left to right, then row after row.
        assert all(
            (a.top(), a.left()) < (b.top(), b.left()) for a, b in zip(nodes_r, nodes_r[1:], strict=False)
        )
        heights.append(d.height())
    assert heights == sorted(heights)  # narrower: more rows, never fewer


# --------------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------------


def test_history_lists_every_edit_with_before_and_after(
    service, editor, rui, rui_editor, moscow_id, text, qtbot
) -> None:
    reuters = editor.create_source("outlet", "Reuters").source.id
    russia = service.resolve_source("Russia").id
    moscow = service.quote(moscow_id).speaker_id
    ev = span_of(text, "a Turkish official")
    q = service.quote(moscow_id)
    editor.set_span(moscow_id, q.start, q.end - 9)
    editor.set_type(moscow_id, "partial")
    editor.set_cue(moscow_id, None)
    editor.set_speaker(moscow_id, russia)
    editor.set_speaker(moscow_id, moscow)
    editor.add_hop(moscow_id, reuters, "reported by")
    editor.update_hop(moscow_id, 0, relation="told")
    editor.update_hop(moscow_id, 0, evidence=ev)
    editor.move_hop(moscow_id, 2, 0)
    editor.remove_hop(moscow_id, 0)
    editor.set_verification(moscow_id, evidence_url="https://example.test/statement", note="checked on air")
    editor.set_verification(moscow_id, status="disputed")
    editor.undo_stack.undo()  # back to unverified
    editor.set_verification(moscow_id, status="needs_review")
    rui_editor.request_changes(moscow_id, "Source of the CNN quote?")

    view = open_view(rui_editor, qtbot)
    view.include_unverified_check.setChecked(True)
    assert view.select_quote(moscow_id)
    entries = service.history("quote", moscow_id)
    rows = view.history_model.rows()
    assert [(r.seq, r.actor, r.action, r.object_type) for r in rows] == [
        (e.seq, e.actor, e.action, e.object_type) for e in entries
    ]
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)  # oldest first
    assert view.history_title.text() == f"History ({len(entries)} entries, oldest first)"
    m = view.history_model
    for i, e in enumerate(entries):
        assert m.data(m.index(i, HistoryModel.SEQ)) == e.seq
        assert m.data(m.index(i, HistoryModel.WHO)) == e.actor
        assert m.data(m.index(i, HistoryModel.ACTION)) == e.action

    shown = [(r.action, "\n".join(r.lines)) for r in rows]
    expected = [
        ("create quote", "chain: Moscow ← a Turkish official (according to) ← CNN (quoted by)"),
        ("set span", f"end: {q.end} → {q.end - 9}"),
        ("set type", "type: 'indirect' → 'partial'"),
        ("set cue", "cue: “made it clear”"),
        ("set speaker", "speaker: Moscow → Russia"),
        ("set speaker", "speaker: Russia → Moscow"),
        (
            "add hop",
            "intermediaries: [a Turkish official (according to), CNN (quoted by)] → "
            "[a Turkish official (according to), CNN (quoted by), Reuters (reported by)]",
        ),
        ("update hop", "intermediary 1 (a Turkish official): relation 'according to' → 'told'"),
        (
            "update hop",
            f"intermediary 1 (a Turkish official): evidence — → “a Turkish official” ({ev[0]}–{ev[1]})",
        ),
        (
            "move hop",
            "intermediaries: [a Turkish official (told), CNN (quoted by), Reuters (reported by)] → "
            "[Reuters (reported by), a Turkish official (told), CNN (quoted by)]",
        ),
        ("remove hop", "→ [a Turkish official (told), CNN (quoted by)]"),
        ("set evidence", "evidence_url: — → 'https://example.test/statement'"),
        ("set status", "status: 'unverified' → 'disputed'"),
        ("undo set status", "status: 'disputed' → 'unverified'"),
        ("set status", "status: 'unverified' → 'needs_review'"),
        ("request changes", "verdict request_changes on chain "),
        ("request changes", "status: 'needs_review' → 'unverified'"),
    ]
    assert [a for a, _ in shown] == [a for a, _ in expected]
    for (action, lines), (_, needle) in zip(shown, expected, strict=True):
        assert needle in lines, (action, lines)
    assert "note: — → 'checked on air'" in shown[11][1]
    assert "Source of the CNN quote?" in shown[15][1]
    assert "status_by: 'ana' → 'rui'" not in shown[16][1]  # the Who column already says it


def test_history_rows_of_a_deleted_quote(service, editor, moscow_id) -> None:
    editor.delete_quote(moscow_id)
    rows = history_rows(service, service.history("quote", moscow_id))
    assert [r.action for r in rows] == ["create quote", "delete quote"]
    assert rows[-1].lines[0] == "deleted"
    assert "chain was: Moscow ← a Turkish official" in rows[-1].lines[1]


# --------------------------------------------------------------------------------------------------
# Queue filters, refresh, progress
# --------------------------------------------------------------------------------------------------


def test_queue_filters(service, editor, rui, quote_ids, istanbul_id, qtbot) -> None:
    for qid in quote_ids[:5]:
        editor.set_verification(qid, status="needs_review")
    rui.update_hop(quote_ids[2], 1, relation="reported by")  # rui now last edited that chain
    view = open_view(Editor(rui), qtbot)
    assert view.left_label.text() == "5 left"

    view.annotator_combo.setCurrentIndex(view.annotator_combo.findText("rui"))
    assert view.queue_model.quote_ids() == [quote_ids[2]]
    assert view.left_label.text() == "1 left (filtered)"
    view.annotator_combo.setCurrentIndex(0)

    qtbot.keyClicks(view.speaker_edit, "tykhyi")
    qtbot.waitUntil(lambda: view.queue_model.quote_ids() == quote_ids[:2])
    view.speaker_edit.clear()
    qtbot.waitUntil(lambda: view.queue_model.rowCount() == 5)

    other = next(a.article.id for a in service.articles() if a.article.id != istanbul_id)
    view.article_combo.setCurrentIndex(view.article_combo.findData(other))
    assert view.queue_model.rowCount() == 0
    assert view.left_label.text() == "Nothing left to review (filtered)"
    view.article_combo.setCurrentIndex(view.article_combo.findData(istanbul_id))
    assert view.queue_model.rowCount() == 5

    view.outlet_combo.setCurrentIndex(view.outlet_combo.findText("El País"))
    assert view.queue_model.rowCount() == 5
    view.outlet_combo.setCurrentIndex(view.outlet_combo.findText("The Calder Gazette"))
    assert view.queue_model.rowCount() == 0
    view.outlet_combo.setCurrentIndex(0)

    view.older_spin.setValue(1)
    assert view.queue_model.rowCount() == 0  # everything was sent just now
    view.older_spin.setValue(0)
    assert view.older_spin.text() == "any age"

    qtbot.mouseClick(view.include_unverified_check, Qt.MouseButton.LeftButton)
    assert view.queue_model.rowCount() == len(quote_ids)
    statuses = {view.queue_model.item(r).quote.status for r in range(view.queue_model.rowCount())}
    assert statuses == {"needs_review", "unverified"}


def test_the_view_follows_its_editor_and_refreshes_lazily_when_hidden(
    service, editor, moscow_id, quote_ids, qtbot
) -> None:
    view = open_view(editor, qtbot)
    assert view.queue_model.rowCount() == 0
    editor.set_verification(moscow_id, status="needs_review")
    qtbot.waitUntil(lambda: view.queue_model.quote_ids() == [moscow_id])

    view.hide()
    editor.set_verification(quote_ids[0], status="needs_review")
    qtbot.wait(20)
    assert view.queue_model.quote_ids() == [moscow_id]  # not refreshed while hidden
    view.show()
    qtbot.waitUntil(lambda: view.queue_model.quote_ids() == [moscow_id, quote_ids[0]])


def test_select_quote_outside_the_queue(service, editor, rui_editor, moscow_id, quote_ids, qtbot) -> None:
    view = open_view(rui_editor, qtbot)
    with qtbot.assertNotEmitted(view.quote_selected):
        assert view.select_quote(moscow_id) is False  # unverified: not in the queue
    assert view.current_quote_id() == moscow_id
    assert "(not in the queue)" in view.header_label.text()
    assert view.approve_button.isEnabled()
    assert view.select_quote(10_000) is False  # no such quote
    assert view.current_quote_id() is None
    assert not view.approve_button.isEnabled()


def test_progress_tab(service, editor, rui_editor, quote_ids, istanbul_id, qtbot) -> None:
    for qid in quote_ids[:3]:
        editor.set_verification(qid, status="needs_review")
    view = open_view(rui_editor, qtbot)
    pm = view.progress_model
    row = pm.row_of(istanbul_id)
    assert [pm.data(pm.index(row, c)) for c in range(1, 6)] == [len(quote_ids), 3, 0, 0, 0]
    view.select_quote(quote_ids[0])
    view.approve()
    view.reject()
    row = pm.row_of(istanbul_id)
    assert [pm.data(pm.index(row, c)) for c in range(1, 6)] == [len(quote_ids), 1, 1, 0, 1]

    # Sorting by "Awaiting review", most first, puts Istanbul on top.
    view.tabs.setCurrentIndex(1)
    view.progress_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert pm.article_id(0) == istanbul_id
    # Enter on an article reviews its quotes.
    view.progress_view.setFocus()
    view.progress_view.setCurrentIndex(pm.index(0, 0))
    qtbot.keyClick(view.progress_view, Qt.Key.Key_Return)
    assert view.tabs.currentIndex() == 0
    assert view.article_combo.currentData() == istanbul_id


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


def test_every_model_passes_qtmodeltester(
    service, editor, rui, rui_editor, quote_ids, moscow_id, qtmodeltester
) -> None:
    for qid in quote_ids[:6]:
        editor.set_verification(qid, status="needs_review")
    rui_editor.request_changes(quote_ids[0], "again")
    view = ReviewView(rui_editor)
    view.include_unverified_check.setChecked(True)
    view.select_quote(moscow_id)
    assert view.queue_model.rowCount() == len(quote_ids)
    assert view.warnings_model.rowCount() == 2
    assert view.history_model.rowCount() >= 2
    for model in (view.queue_model, view.warnings_model, view.history_model, view.progress_model):
        qtmodeltester.check(model)
    empty_queue, empty_warnings, empty_history = ReviewQueueModel(), WarningsModel(), HistoryModel()
    for model in (empty_queue, empty_warnings, empty_history):
        qtmodeltester.check(model)
    progress = ArticleProgressModel(service)
    progress.sort(3, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(progress)
    assert progress.data(progress.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert progress.data(QModelIndex()) is None
    view.deleteLater()


# --------------------------------------------------------------------------------------------------
# Audit check
# --------------------------------------------------------------------------------------------------


def _open_audit_dialogs(parent: QWidget) -> list[AuditCheckDialog]:
    return [d for d in parent.findChildren(AuditCheckDialog) if d.isVisible()]


def test_audit_check_reports_a_tampered_entry(service, db_path, qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    report = show_audit_check(parent, service)  # non-blocking: returns at once
    assert report.ok
    (dialog,) = _open_audit_dialogs(parent)
    assert (
        dialog.message_label.text()
        == f"Audit log OK: {report.entries} entries, head {report.head_sha256[:12]}…"
    )
    assert report.head_sha256 in dialog.details_label.text()
    dialog.close()

    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER audit_entry_no_update")
    con.execute("UPDATE audit_entry SET actor='mallory' WHERE seq=3")
    con.commit()
    con.close()

    report = show_audit_check(parent, service)
    assert not report.ok and report.problem.seq == 3
    (dialog,) = _open_audit_dialogs(parent)
    text = dialog.message_label.text()
    assert text.startswith("Audit log broken at entry #3: audit entry #3")
    assert "mallory" in text and "was altered" in text
    assert dialog.message_label.textFormat() == Qt.TextFormat.PlainText
    with qtbot.waitSignal(dialog.checked) as again:
        qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    assert again.args[0].problem.seq == 3
    dialog.close()


# --------------------------------------------------------------------------------------------------
# Untrusted text
# --------------------------------------------------------------------------------------------------


def test_comments_and_source_names_show_literally(service, editor, rui_editor, quote_ids, qtbot) -> None:
    qid = quote_ids[0]
    hostile = editor.create_source("organization", "<b>x</b> Agency", role="<i>spokes</i>").source.id
    editor.set_speaker(qid, hostile)
    editor.set_verification(qid, status="needs_review")
    rui_editor.request_changes(qid, "<b>x</b>")
    editor.set_verification(qid, status="needs_review")

    view = open_view(rui_editor, qtbot)
    m = view.queue_model
    row = m.row_of(qid)
    assert m.data(m.index(row, ReviewQueueModel.SPEAKER)) == "<b>x</b> Agency"
    assert "&lt;b&gt;x&lt;/b&gt; Agency" in m.data(
        m.index(row, ReviewQueueModel.SPEAKER), Qt.ItemDataRole.ToolTipRole
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in m.data(
        m.index(row, ReviewQueueModel.STATUS), Qt.ItemDataRole.ToolTipRole
    )
    click_queue_row(view, qid, qtbot)
    assert view.diagram.nodes()[0].label == "<b>x</b> Agency"
    assert view.diagram.nodes()[0].detail == "<i>spokes</i>"
    assert view.change_request_label.text().endswith(": <b>x</b>")
    assert any("<b>x</b>" in line for r in view.history_model.rows() for line in r.lines)
    for label in view.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    # Reject with a hostile comment: the message and history show it as typed.
    qtbot.keyClicks(view.comment_edit, "<b>no</b>")
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    assert service.reviews(qid)[-1].comment == "<b>no</b>"
    view.select_quote(qid)
    assert "<b>no</b>" in view.history_model.rows()[-2].lines[0]
    assert view.message_label.textFormat() == Qt.TextFormat.PlainText


def test_diagram_tooltips_are_escaped(service, editor, quote_ids, qtbot, monkeypatch) -> None:
    import ui.chain_diagram as chain_module

    shown: list[str] = []

    class FakeToolTip:
        @staticmethod
        def showText(_pos, text, _widget=None):  # noqa: N802
            shown.append(text)

        @staticmethod
        def hideText():  # noqa: N802
            pass

    monkeypatch.setattr(chain_module, "QToolTip", FakeToolTip)
    hostile = editor.create_source("organization", "<img src=x>").source.id
    editor.set_speaker(quote_ids[0], hostile)
    view = open_view(editor, qtbot)
    view.select_quote(quote_ids[0])
    d = view.diagram
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent

    pos = d.node_rect(0).center()
    d.event(QHelpEvent(QEvent.Type.ToolTip, pos, d.mapToGlobal(pos)))
    assert shown and "&lt;img src=x&gt;" in shown[0] and "<img" not in shown[0]
    d.event(QHelpEvent(QEvent.Type.ToolTip, QPoint(1, 1), d.mapToGlobal(QPoint(1, 1))))
    assert len(shown) == 1

"""The quote inspector, driven like a user: typing in the speaker field, picking from the completer
popup, pressing keys in the intermediaries list, clicking buttons. Every check ends in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox

from annotator.errors import NotFoundError
from annotator.records import HopRecord
from ui.hop_list import HopListModel
from ui.inspector import QuoteInspector
from ui.source_dialog import SourceDialog
from ui.source_models import SourceCompletionModel

pytestmark = pytest.mark.usefixtures("no_modal_boxes")


class FakeSelection:
    """Stands in for the reader: the text span the user has selected, in code points."""

    def __init__(self) -> None:
        self.span: tuple[int, int] | None = None

    def __call__(self) -> tuple[int, int] | None:
        return self.span

    def select(self, text: str, needle: str, near: int = 0) -> tuple[int, int]:
        start = text.find(needle, near)
        assert start >= 0, needle
        self.span = (start, start + len(needle))
        return self.span


@pytest.fixture
def selection() -> FakeSelection:
    return FakeSelection()


@pytest.fixture
def text(service, istanbul_id) -> str:
    return service.article_text(istanbul_id)


@pytest.fixture
def registry(service):
    """Sources already in the registry before the user starts (the article's outlet is El País)."""
    return {
        "moscow": service.create_source("organization", "Moscow", role="Russian government").source,
        "cnn": service.create_source("outlet", "CNN").source,
        "zelensky": service.create_source(
            "person", "Volodimir Zelensky", role="President of Ukraine", aliases=["Zelenskyy"]
        ).source,
    }


@pytest.fixture
def quote_id(editor, istanbul_id) -> int:
    return editor.create_quote(istanbul_id, 1571, 1713).quote.id


@pytest.fixture
def inspector(editor, selection, qtbot) -> QuoteInspector:
    w = QuoteInspector(editor, selection)
    qtbot.addWidget(w)
    w.resize(460, 900)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def _popup_rows(completer) -> list[str]:
    m = completer.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def _set_relation(inspector: QuoteInspector, qtbot, relation: str) -> None:
    edit = inspector.relation_combo.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, relation)
    assert inspector.relation_combo.currentText() == relation


def _hops(service, quote_id) -> list[tuple[int, str, tuple[int, int] | None]]:
    return [(h.source_id, h.relation, h.evidence) for h in service.quote(quote_id).hops]


# --------------------------------------------------------------------------------------------------


def test_build_the_moscow_chain_through_the_inspector(
    inspector, editor, service, registry, quote_id, text, selection, qtbot
):
    stack = editor.undo_stack
    moscow, cnn = registry["moscow"], registry["cnn"]
    inspector.set_quote(quote_id)
    assert inspector.current_quote_id() == quote_id
    assert inspector.chain_label.text() == "(no speaker) ← El País"

    # Speaker: type "Mosc", go down into the popup, Enter.
    inspector.focus_speaker()
    qtbot.keyClicks(inspector.speaker_edit, "Mosc")
    popup = inspector.speaker_completer.completer.popup()
    assert popup.isVisible()
    assert _popup_rows(inspector.speaker_completer)[0] == "Moscow — Russian government, organization"
    count = stack.count()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert service.quote(quote_id).speaker_id == moscow.id
    assert stack.count() == count + 1
    assert inspector.speaker_edit.text() == "Moscow"
    assert inspector.chain_label.text() == "Moscow ← El País"

    # First intermediary: a new anonymous source, through "New source…".
    _set_relation(inspector, qtbot, "according to")
    qtbot.keyClicks(inspector.hop_source_edit, "Turkish official")
    qtbot.keyClick(inspector.hop_source_edit, Qt.Key.Key_Return)
    dialog = inspector.source_dialog
    assert isinstance(dialog, SourceDialog) and dialog.isVisible()
    assert dialog.name_edit.text() == "Turkish official"
    dialog.set_kind("anonymous")
    assert dialog.descriptor_edit.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no descriptor yet: refused inline
    assert dialog.isVisible()
    assert "description" in dialog.error_label.text()
    assert stack.count() == count + 1
    qtbot.keyClicks(dialog.descriptor_edit, "a Turkish official")
    qtbot.keyClicks(dialog.nationality_edit, "Turkish")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    official = service.resolve_source("Turkish official")
    assert official is not None and official.kind == "anonymous"
    assert (official.descriptor, official.nationality) == ("a Turkish official", "Turkish")
    assert _hops(service, quote_id) == [(official.id, "according to", None)]
    assert stack.count() == count + 2  # creating the source and adding it: one step

    # Second intermediary: an existing outlet, typed in full.
    _set_relation(inspector, qtbot, "quoted by")
    qtbot.keyClicks(inspector.hop_source_edit, "CNN")
    qtbot.keyClick(inspector.hop_source_edit, Qt.Key.Key_Return)
    assert _hops(service, quote_id) == [(official.id, "according to", None), (cnn.id, "quoted by", None)]
    assert inspector.chain_label.text() == "Moscow ← a Turkish official ← CNN ← El País"
    assert inspector.hop_source_edit.text() == ""

    # Reorder with the keys, and back.
    view = inspector.hop_view
    view.setFocus()
    view.setCurrentIndex(inspector.hop_model.index(1, HopListModel.SOURCE))
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [h[0] for h in _hops(service, quote_id)] == [cnn.id, official.id]
    assert inspector.chain_label.text() == "Moscow ← CNN ← a Turkish official ← El País"
    assert view.currentIndex().row() == 0  # the moved hop stays selected
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [h[0] for h in _hops(service, quote_id)] == [official.id, cnn.id]

    # Reorder by drag and drop (the model's drop), and back.
    model = inspector.hop_model
    mime = model.mimeData([model.index(0, HopListModel.SOURCE)])
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert [h[0] for h in _hops(service, quote_id)] == [cnn.id, official.id]
    mime = model.mimeData([model.index(1, HopListModel.SOURCE)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert [h[0] for h in _hops(service, quote_id)] == [official.id, cnn.id]

    # Evidence of the CNN hop from the reader's selection; clicking the hop shows it.
    evidence = selection.select(text, "quoted by CNN", 1500)
    view.setCurrentIndex(model.index(1, HopListModel.SOURCE))
    qtbot.mouseClick(inspector.evidence_button, Qt.MouseButton.LeftButton)
    assert _hops(service, quote_id)[1] == (cnn.id, "quoted by", evidence)
    assert model.data(model.index(1, HopListModel.EVIDENCE)) == "quoted by CNN"
    rect = view.visualRect(model.index(1, HopListModel.SOURCE))
    with qtbot.waitSignal(inspector.span_focus_requested) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == list(evidence)

    # The database holds the whole chain.
    q = service.quote(quote_id)
    assert q.speaker_id == moscow.id
    assert q.hops == (
        HopRecord(official.id, "according to", None),
        HopRecord(cnn.id, "quoted by", evidence),
    )
    assert inspector.message() == ""


def test_completer_matches_aliases(inspector, service, registry, quote_id, qtbot):
    inspector.set_quote(quote_id)
    zelensky = registry["zelensky"]
    qtbot.keyClicks(inspector.speaker_edit, "Zelenskyy")
    rows = _popup_rows(inspector.speaker_completer)
    assert rows == ["Volodimir Zelensky — President of Ukraine, person  (also “Zelenskyy”)"]
    # Enter on an exact alias picks its source.
    qtbot.keyClick(inspector.speaker_edit, Qt.Key.Key_Return)
    assert service.quote(quote_id).speaker_id == zelensky.id
    assert inspector.speaker_edit.text() == "Volodimir Zelensky"


def test_completer_popup_pick_by_alias_prefix(inspector, service, registry, quote_id, qtbot):
    inspector.set_quote(quote_id)
    qtbot.keyClicks(inspector.speaker_edit, "zelenskyy")  # any case
    completer = inspector.speaker_completer.completer
    index = inspector.speaker_completer.model.index(0, 0)
    completer.activated[QModelIndex].emit(index)  # as a click in the popup does
    assert service.quote(quote_id).speaker_id == registry["zelensky"].id


def test_enter_without_highlight_never_picks_a_mere_suggestion(
    inspector, editor, service, registry, quote_id, qtbot
):
    inspector.set_quote(quote_id)
    count = editor.undo_stack.count()
    qtbot.keyClicks(inspector.speaker_edit, "Mosc")
    popup = inspector.speaker_completer.completer.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # nothing highlighted: "Mosc" is a new name
    assert service.quote(quote_id).speaker_id is None
    dialog = inspector.source_dialog
    assert dialog is not None and dialog.name_edit.text() == "Mosc"
    dialog.reject()
    assert editor.undo_stack.count() == count
    assert inspector.source_dialog is None


def test_use_selection_as_speaker(inspector, editor, service, registry, quote_id, text, selection, qtbot):
    inspector.set_quote(quote_id)
    selection.select(text, "Moscow", 1490)
    qtbot.mouseClick(inspector.speaker_selection_button, Qt.MouseButton.LeftButton)
    assert service.quote(quote_id).speaker_id == registry["moscow"].id

    # Unknown text: "New source…" opens prefilled; "a …" suggests an anonymous source.
    selection.select(text, "a Turkish official", 1490)
    count = editor.undo_stack.count()
    qtbot.mouseClick(inspector.speaker_selection_button, Qt.MouseButton.LeftButton)
    dialog = inspector.source_dialog
    assert dialog is not None
    assert (dialog.kind(), dialog.name_edit.text(), dialog.descriptor_edit.text()) == (
        "anonymous",
        "Turkish official",
        "a Turkish official",
    )
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    official = service.resolve_source("Turkish official")
    assert service.quote(quote_id).speaker_id == official.id
    assert editor.undo_stack.count() == count + 1
    editor.undo_stack.undo()  # one step takes back both the new source and the speaker
    assert service.quote(quote_id).speaker_id == registry["moscow"].id
    assert service.resolve_source("Turkish official") is None

    # No selection: a hint, nothing else.
    selection.span = None
    qtbot.mouseClick(inspector.speaker_selection_button, Qt.MouseButton.LeftButton)
    assert "Select the speaker" in inspector.message()


def test_clear_speaker_and_keyboard_shortcut(
    inspector, editor, service, registry, quote_id, text, selection, qtbot
):
    inspector.set_quote(quote_id)
    selection.select(text, "Moscow", 1490)
    qtbot.keyClick(
        inspector.speaker_edit,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert service.quote(quote_id).speaker_id == registry["moscow"].id
    assert "Ctrl+Shift+S" in inspector.speaker_selection_button.toolTip()
    qtbot.mouseClick(inspector.clear_speaker_button, Qt.MouseButton.LeftButton)
    assert service.quote(quote_id).speaker_id is None
    assert inspector.speaker_edit.text() == ""


def test_errors_are_shown_calmly_and_nothing_is_pushed(inspector, editor, service, registry, quote_id, qtbot):
    editor.set_speaker(quote_id, registry["moscow"].id)
    inspector.set_quote(quote_id)
    count = editor.undo_stack.count()
    qtbot.keyClicks(inspector.hop_source_edit, "Moscow")
    qtbot.keyClick(inspector.hop_source_edit, Qt.Key.Key_Return)
    assert "appears twice in the chain" in inspector.message()
    assert inspector.message_label.textFormat() == Qt.TextFormat.PlainText
    assert editor.undo_stack.count() == count
    assert service.quote(quote_id).hops == ()
    assert inspector.hop_source_edit.text() == "Moscow"  # what was typed is kept

    # A blank relation is refused too.
    _set_relation(inspector, qtbot, "quoted by")
    inspector.hop_source_edit.clear()
    qtbot.keyClicks(inspector.hop_source_edit, "CNN")
    qtbot.keyClick(inspector.hop_source_edit, Qt.Key.Key_Return)
    assert inspector.message() == ""  # a success clears the message
    inspector.relation_combo.lineEdit().clear()
    qtbot.keyClicks(inspector.hop_source_edit, "Volodimir Zelensky")
    qtbot.keyClick(inspector.hop_source_edit, Qt.Key.Key_Return)
    assert "needs a relation" in inspector.message()
    assert len(service.quote(quote_id).hops) == 1


def test_relation_edited_in_the_list(inspector, editor, service, registry, quote_id, qtbot):
    editor.add_hop(quote_id, registry["cnn"].id, "quoted by")
    inspector.set_quote(quote_id)
    view, model = inspector.hop_view, inspector.hop_model
    index = model.index(0, HopListModel.RELATION)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.viewport().findChild(QComboBox)
    assert combo is not None and combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())][:2] == ["according to", "quoted by"]
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "broadcast by")  # free text is allowed
    count = editor.undo_stack.count()
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)  # the delegate commits on the next loop turn
    qtbot.waitUntil(lambda: _hops(service, quote_id) == [(registry["cnn"].id, "broadcast by", None)])
    assert editor.undo_stack.count() == count + 1
    # Blank is refused, calmly.
    assert not model.setData(index, "   ")
    assert "needs a relation" in inspector.message()
    assert editor.undo_stack.count() == count + 1


def test_remove_hop_with_delete_key(inspector, editor, service, registry, quote_id, qtbot):
    editor.add_hop(quote_id, registry["cnn"].id, "quoted by")
    editor.add_hop(quote_id, registry["zelensky"].id, "told")
    inspector.set_quote(quote_id)
    view = inspector.hop_view
    view.setFocus()
    view.setCurrentIndex(inspector.hop_model.index(0, HopListModel.SOURCE))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert _hops(service, quote_id) == [(registry["zelensky"].id, "told", None)]
    assert view.currentIndex().row() == 0
    editor.undo_stack.undo()
    assert len(service.quote(quote_id).hops) == 2
    assert inspector.hop_model.rowCount() == 2


def test_verification_edits_one_undo_step_each(inspector, editor, service, quote_id, qtbot):
    inspector.set_quote(quote_id)
    stack = editor.undo_stack
    base = stack.count()

    # Status, from the keyboard.
    inspector.status_combo.setFocus()
    qtbot.keyClick(inspector.status_combo, Qt.Key.Key_Down)
    q = service.quote(quote_id)
    assert (q.status, q.status_by) == ("needs_review", "ana")
    assert stack.count() == base + 1
    assert "set by ana" in inspector.status_info.text()

    # Evidence URL: many keystrokes, one step when the field is left.
    inspector.evidence_url_edit.setFocus()
    qtbot.keyClicks(inspector.evidence_url_edit, "https://edition.cnn.com/istanbul")
    assert service.quote(quote_id).evidence_url is None  # not per keystroke
    qtbot.keyClick(inspector.evidence_url_edit, Qt.Key.Key_Tab)
    assert service.quote(quote_id).evidence_url == "https://edition.cnn.com/istanbul"
    assert stack.count() == base + 2

    # Archive URL, committed with Enter.
    inspector.archive_url_edit.setFocus()
    qtbot.keyClicks(inspector.archive_url_edit, "https://web.archive.org/x")
    qtbot.keyClick(inspector.archive_url_edit, Qt.Key.Key_Return)
    assert service.quote(quote_id).archive_url == "https://web.archive.org/x"
    assert stack.count() == base + 3
    inspector.note_edit.setFocus()  # leaving the field again: nothing new to save
    assert stack.count() == base + 3

    # Note: committed on focus-out.
    qtbot.keyClicks(inspector.note_edit, "CNN cites a Turkish official; no named source.")
    assert service.quote(quote_id).note is None
    qtbot.keyClick(inspector.note_edit, Qt.Key.Key_Tab)
    assert service.quote(quote_id).note == "CNN cites a Turkish official; no named source."
    assert stack.count() == base + 4

    # Each step undoes on its own, and the form follows.
    stack.undo()
    assert service.quote(quote_id).note is None
    assert inspector.note_edit.toPlainText() == ""
    stack.undo()
    assert service.quote(quote_id).archive_url is None
    assert inspector.archive_url_edit.text() == ""
    stack.undo()
    assert service.quote(quote_id).evidence_url is None
    stack.undo()
    assert service.quote(quote_id).status == "unverified"
    assert inspector.status_combo.currentData() == "unverified"


def test_pending_note_is_saved_when_switching_quotes(
    inspector, editor, service, istanbul_id, quote_id, qtbot
):
    other = editor.create_quote(istanbul_id, 1240, 1299).quote.id
    inspector.set_quote(quote_id)
    inspector.note_edit.setFocus()
    qtbot.keyClicks(inspector.note_edit, "half-typed thought")
    inspector.set_quote(other)  # e.g. the main window selected another quote by a shortcut
    assert service.quote(quote_id).note == "half-typed thought"
    assert inspector.current_quote_id() == other
    assert inspector.note_edit.toPlainText() == ""


def test_type_and_cue(inspector, editor, service, quote_id, text, selection, qtbot):
    inspector.set_quote(quote_id)
    inspector.type_combo.setFocus()
    qtbot.keyClick(inspector.type_combo, Qt.Key.Key_Up)  # indirect -> partial
    assert service.quote(quote_id).type == "partial"

    cue = selection.select(text, "made it clear", 1490)
    qtbot.mouseClick(inspector.cue_selection_button, Qt.MouseButton.LeftButton)
    assert service.quote(quote_id).cue == cue
    assert inspector.cue_label.text() == "“made it clear”"
    # A selection with spaces around it is trimmed.
    selection.span = (cue[0] - 1, cue[1])
    assert text[cue[0] - 1] == " "
    inspector.clear_cue_action.trigger()
    assert service.quote(quote_id).cue is None
    qtbot.mouseClick(inspector.cue_selection_button, Qt.MouseButton.LeftButton)
    assert service.quote(quote_id).cue == cue


def test_show_quote_in_article(inspector, quote_id, qtbot):
    inspector.set_quote(quote_id)
    with qtbot.waitSignal(inspector.span_focus_requested) as sig:
        qtbot.mouseClick(inspector.show_quote_button, Qt.MouseButton.LeftButton)
    assert sig.args == [1571, 1713]


def test_delete_quote(inspector, editor, service, quote_id, qtbot):
    inspector.set_quote(quote_id)
    with qtbot.waitSignal(inspector.quote_deleted) as sig:
        qtbot.mouseClick(inspector.delete_button, Qt.MouseButton.LeftButton)
    assert sig.args == [quote_id]
    with pytest.raises(NotFoundError):
        service.quote(quote_id)
    assert inspector.current_quote_id() is None
    assert inspector.stack.currentIndex() == 0
    editor.undo_stack.undo()
    assert service.quote(quote_id).start == 1571


def test_empty_state(inspector, editor, quote_id, qtbot):
    assert inspector.current_quote_id() is None
    assert inspector.stack.currentWidget() is inspector.empty_label
    assert not inspector.speaker_from_selection_action.isEnabled()
    inspector.set_quote(quote_id)
    assert inspector.stack.currentIndex() == 1
    assert inspector.speaker_from_selection_action.isEnabled()
    editor.undo_stack.undo()  # the quote's creation is undone: nothing left to show
    assert inspector.current_quote_id() is None
    assert inspector.stack.currentIndex() == 0
    inspector.set_quote(None)
    assert inspector.stack.currentIndex() == 0


def test_refreshes_when_a_source_is_renamed_elsewhere(inspector, editor, service, registry, quote_id):
    editor.set_speaker(quote_id, registry["moscow"].id)
    inspector.set_quote(quote_id)
    editor.update_source(registry["moscow"].id, name="Kremlin")
    assert inspector.chain_label.text() == "Kremlin ← El País"
    assert inspector.speaker_edit.text() == "Kremlin"


def test_untrusted_names_are_plain_text(inspector, editor, service, quote_id, qtbot):
    bold = editor.create_source("person", "<b>bold</b>", role="<i>x</i>").source
    editor.set_speaker(quote_id, bold.id)
    editor.add_hop(quote_id, editor.create_source("outlet", "<script>CNN</script>").source.id, "quoted by")
    inspector.set_quote(quote_id)
    assert inspector.speaker_edit.text() == "<b>bold</b>"
    assert inspector.chain_label.text() == "<b>bold</b> ← <script>CNN</script> ← El País"
    for label in (
        inspector.chain_label,
        inspector.quote_label,
        inspector.speaker_detail,
        inspector.cue_label,
        inspector.offsets_label,
        inspector.status_info,
        inspector.message_label,
    ):
        assert label.textFormat() == Qt.TextFormat.PlainText
    tip = inspector.hop_model.data(
        inspector.hop_model.index(0, HopListModel.SOURCE), Qt.ItemDataRole.ToolTipRole
    )
    assert "<script>" not in tip and "&lt;script&gt;" in tip
    qtbot.keyClicks(inspector.hop_source_edit, "<b>")
    assert _popup_rows(inspector.hop_completer) == ["<b>bold</b> — <i>x</i>, person"]


def test_models_pass_the_model_tester(inspector, editor, service, registry, quote_id, qtmodeltester):
    editor.set_speaker(quote_id, registry["moscow"].id)
    editor.add_hop(quote_id, registry["cnn"].id, "quoted by", evidence=(1551, 1564))
    editor.add_hop(quote_id, registry["zelensky"].id, "told")
    inspector.set_quote(quote_id)
    qtmodeltester.check(inspector.hop_model)
    completion = SourceCompletionModel(service)
    completion.set_query("o")
    assert completion.rowCount() >= 3
    qtmodeltester.check(completion)
    empty = SourceCompletionModel(service)
    qtmodeltester.check(empty)


def test_tab_order_walks_the_form(inspector, quote_id):
    inspector.set_quote(quote_id)
    order = [inspector.speaker_edit]
    w = inspector.speaker_edit
    for _ in range(20):
        w = w.nextInFocusChain()
        while w.focusPolicy() == Qt.FocusPolicy.NoFocus or not w.isVisibleTo(inspector):
            w = w.nextInFocusChain()
        order.append(w)
    names = [o for o in order]
    assert (
        names.index(inspector.hop_view)
        < names.index(inspector.hop_source_edit)
        < names.index(inspector.status_combo)
        < names.index(inspector.note_edit)
    )


def test_new_source_refused_leaves_no_undo_step(inspector, editor, service, registry, quote_id, qtbot):
    inspector.set_quote(quote_id)
    count = editor.undo_stack.count()
    qtbot.keyClicks(inspector.speaker_edit, "V. Zelensky")
    qtbot.keyClick(inspector.speaker_edit, Qt.Key.Key_Return)
    dialog = inspector.source_dialog
    assert dialog is not None
    dialog.aliases_edit.setPlainText("Zelenskyy")  # already Volodimir Zelensky's
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "already belongs to 'Volodimir Zelensky'" in dialog.error_label.text()
    assert editor.undo_stack.count() == count  # the refused macro was taken off the stack
    assert service.resolve_source("V. Zelensky") is None
    dialog.aliases_edit.clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert service.quote(quote_id).speaker_id == service.resolve_source("V. Zelensky").id
    assert editor.undo_stack.count() == count + 1


def test_escape_drops_what_was_typed(inspector, editor, registry, quote_id, qtbot):
    editor.set_speaker(quote_id, registry["moscow"].id)
    inspector.set_quote(quote_id)
    inspector.focus_speaker()
    qtbot.keyClicks(inspector.speaker_edit, "Somebody else")
    inspector.speaker_completer.hide_popup()
    qtbot.keyClick(inspector.speaker_edit, Qt.Key.Key_Escape)
    assert inspector.speaker_edit.text() == "Moscow"
    qtbot.keyClicks(inspector.hop_source_edit, "half a name")
    inspector.hop_completer.hide_popup()
    qtbot.keyClick(inspector.hop_source_edit, Qt.Key.Key_Escape)
    assert inspector.hop_source_edit.text() == ""


def test_typed_note_is_kept_when_the_inspector_is_hidden(inspector, service, quote_id, qtbot):
    inspector.set_quote(quote_id)
    inspector.note_edit.setFocus()
    qtbot.keyClicks(inspector.note_edit, "still typing")
    inspector.hide()
    assert service.quote(quote_id).note == "still typing"

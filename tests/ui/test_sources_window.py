"""The source registry window and the source dialog, driven like a user; every check ends in the
database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from seed import annotate_gold

from annotator.errors import NotFoundError
from ui.source_dialog import SourceDialog
from ui.source_models import SOURCE_ID_ROLE, MergePreviewModel, SourceTableModel
from ui.sources_window import MergeSourcesDialog, SourcesWindow

pytestmark = pytest.mark.usefixtures("no_modal_boxes")


@pytest.fixture
def gold_quotes(service, istanbul_id) -> list[int]:
    return annotate_gold(service, istanbul_id)


@pytest.fixture
def window(editor, gold_quotes, qtbot) -> SourcesWindow:
    w = SourcesWindow(editor)
    qtbot.addWidget(w)
    w.resize(1200, 600)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def _sid(service, name: str) -> int:
    rec = service.resolve_source(name)
    assert rec is not None, name
    return rec.id


def _click_row(window: SourcesWindow, qtbot, source_id: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    row = window.model.row_of(source_id)
    index = window.proxy.mapFromSource(window.model.index(row, SourceTableModel.NAME))
    window.table.scrollTo(index)
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def _shown_names(window: SourcesWindow) -> list[str]:
    p = window.proxy
    return sorted(p.data(p.index(r, SourceTableModel.NAME)) for r in range(p.rowCount()))


# --------------------------------------------------------------------------------------------------


def test_window_lists_the_registry(window, service, qtmodeltester):
    assert window.isWindow()
    assert window.windowFlags() & Qt.WindowType.Window
    assert window.model.rowCount() == len(service.sources())
    row = window.model.row_of(_sid(service, "Heorhii Tykhyi"))
    m = window.model
    assert [m.data(m.index(row, c)) for c in range(m.columnCount())] == [
        "person",
        "Heorhii Tykhyi",
        "spokesman",
        "Ukrainian Foreign Ministry",
        "",
        "",
        4,
    ]
    official = m.row_of(_sid(service, "Turkish official"))
    assert m.data(m.index(official, SourceTableModel.DESCRIPTOR)) == "a Turkish official"
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.proxy)


def test_filter_by_name_alias_and_kind(window, editor, service, qtbot):
    zelensky = _sid(service, "Volodimir Zelensky")
    editor.update_source(zelensky, aliases=["Zelenskyy"])
    qtbot.keyClicks(window.filter_edit, "zelenskyy")
    assert _shown_names(window) == ["Volodimir Zelensky"]
    assert window.count_label.text() == f"1 of {window.model.rowCount()} sources"
    window.filter_edit.clear()
    window.kind_combo.setCurrentIndex(window.kind_combo.findData("anonymous"))
    assert _shown_names(window) == ["Turkish official"]
    qtbot.keyClicks(window.filter_edit, "turk")
    assert _shown_names(window) == ["Turkish official"]
    window.kind_combo.setCurrentIndex(0)  # all kinds
    assert _shown_names(window) == ["Government of Turkey", "Turkey", "Turkish official"]


def test_edit_a_source_in_the_dialog(window, editor, service, qtbot):
    moscow = _sid(service, "Moscow")
    _click_row(window, qtbot, moscow)
    assert window.selected_source_ids() == [moscow]
    assert window.details.title_label.text() == "Moscow"
    qtbot.mouseClick(window.buttons["edit"], Qt.MouseButton.LeftButton)
    dialog = window.source_dialog
    assert isinstance(dialog, SourceDialog) and dialog.isVisible()
    assert dialog.role_edit.text() == "Russian government"
    dialog.role_edit.clear()
    qtbot.keyClicks(dialog.role_edit, "Kremlin")
    qtbot.keyClicks(dialog.external_ids_edit, "wikidata: Q649")
    count = editor.undo_stack.count()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    rec = service.source(moscow)
    assert (rec.role, rec.external_ids) == ("Kremlin", (("wikidata", "Q649"),))
    assert editor.undo_stack.count() == count + 1
    row = window.model.row_of(moscow)
    assert window.model.data(window.model.index(row, SourceTableModel.ROLE)) == "Kremlin"
    assert window.selected_source_ids() == [moscow]
    editor.undo_stack.undo()
    assert service.source(moscow).role == "Russian government"
    assert window.model.data(window.model.index(row, SourceTableModel.ROLE)) == "Russian government"


def test_edit_with_enter_and_a_bad_external_id(window, editor, service, qtbot):
    cnn = _sid(service, "CNN")
    _click_row(window, qtbot, cnn)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    dialog = window.source_dialog
    assert dialog is not None and dialog.name_edit.text() == "CNN"
    qtbot.keyClicks(dialog.external_ids_edit, "just-a-value")
    count = editor.undo_stack.count()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "scheme: value" in dialog.error_label.text()
    assert editor.undo_stack.count() == count
    dialog.reject()


def test_add_and_remove_aliases(window, editor, service, qtbot):
    zelensky = _sid(service, "Volodimir Zelensky")
    _click_row(window, qtbot, zelensky)
    details = window.details
    count = editor.undo_stack.count()
    qtbot.keyClicks(details.alias_edit, "Zelenskyy")
    qtbot.keyClick(details.alias_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(details.alias_edit, "Zelenskiy")
    qtbot.mouseClick(details.add_alias_button, Qt.MouseButton.LeftButton)
    assert service.source(zelensky).aliases == ("Zelenskiy", "Zelenskyy")
    assert details.alias_model.stringList() == ["Zelenskiy", "Zelenskyy"]
    assert editor.undo_stack.count() == count + 2
    row = window.model.row_of(zelensky)
    assert window.model.data(window.model.index(row, SourceTableModel.ALIASES)) == "Zelenskiy, Zelenskyy"

    # An alias another source has is refused, calmly.
    editor.update_source(_sid(service, "Moscow"), aliases=["Kremlin"])
    count = editor.undo_stack.count()
    qtbot.keyClicks(details.alias_edit, "Kremlin")
    qtbot.keyClick(details.alias_edit, Qt.Key.Key_Return)
    assert "already belongs to" in details.message.text()
    assert details.alias_edit.text() == "Kremlin"  # kept for the user to fix
    assert service.source(zelensky).aliases == ("Zelenskiy", "Zelenskyy")
    assert editor.undo_stack.count() == count

    # Remove one: select it in the list, Delete.
    details.alias_edit.clear()
    view = details.alias_view
    view.setFocus()
    view.selectionModel().select(
        details.alias_model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert service.source(zelensky).aliases == ("Zelenskyy",)
    editor.undo_stack.undo()
    assert service.source(zelensky).aliases == ("Zelenskiy", "Zelenskyy")
    assert details.alias_model.stringList() == ["Zelenskiy", "Zelenskyy"]


def test_delete_refused_when_in_use_and_allowed_otherwise(window, editor, service, qtbot):
    cnn = _sid(service, "CNN")
    _click_row(window, qtbot, cnn)
    count = editor.undo_stack.count()
    qtbot.mouseClick(window.buttons["delete"], Qt.MouseButton.LeftButton)
    assert "'CNN' is still referred to 1 time(s); merge it into another source" in window.message.text()
    assert window.message.textFormat() == Qt.TextFormat.PlainText
    assert service.source(cnn).name == "CNN"
    assert window.model.row_of(cnn) is not None
    assert editor.undo_stack.count() == count  # no empty step left behind

    spare = editor.create_source("organization", "Spare Ministry").source.id
    assert window.model.row_of(spare) is not None  # the new row shows up at once
    _click_row(window, qtbot, spare)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    with pytest.raises(NotFoundError):
        service.source(spare)
    assert window.model.row_of(spare) is None
    editor.undo_stack.undo()
    assert service.source(spare).name == "Spare Ministry"
    assert window.model.row_of(spare) is not None


def test_merge_duplicates_with_preview_and_undo(
    window, editor, service, istanbul_id, gold_quotes, qtbot, qtmodeltester
):
    zelensky = _sid(service, "Volodimir Zelensky")
    dup = editor.create_source("person", "Volodymyr Zelenskyy", aliases=["Zelensky (dup)"]).source.id
    zel_quotes = [q for q in gold_quotes if service.quote(q).speaker_id == zelensky]
    assert len(zel_quotes) == 2
    editor.set_speaker(zel_quotes[0], dup)
    before_keep, before_gone = service.source(zelensky), service.source(dup)
    before_quote = service.quote(zel_quotes[0])
    row = window.model.row_of(zelensky)
    assert window.model.data(window.model.index(row, SourceTableModel.QUOTES)) == 1  # counts follow edits

    _click_row(window, qtbot, zelensky)
    _click_row(window, qtbot, dup, Qt.KeyboardModifier.ControlModifier)
    assert sorted(window.selected_source_ids()) == sorted([zelensky, dup])
    assert window.merge_action.isEnabled()
    qtbot.mouseClick(window.buttons["merge"], Qt.MouseButton.LeftButton)
    dialog = window.merge_dialog
    assert isinstance(dialog, MergeSourcesDialog) and dialog.isVisible()
    dialog.set_survivor(zelensky)
    assert dialog.absorbed_id() == dup
    preview: MergePreviewModel = dialog.preview_model
    qtmodeltester.check(preview)
    assert preview.quote_ids() == [zel_quotes[0]]
    title = service.article(istanbul_id).title
    assert preview.data(preview.index(0, 1)) == title
    assert preview.data(preview.index(0, 0)) == service.quote(zel_quotes[0]).text
    assert preview.data(preview.index(0, 2)) == "speaker"
    assert "“Volodymyr Zelenskyy” will be merged into “Volodimir Zelensky”" in dialog.summary_label.text()

    count = editor.undo_stack.count()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with pytest.raises(NotFoundError):
        service.source(dup)
    assert service.quote(zel_quotes[0]).speaker_id == zelensky
    assert set(service.source(zelensky).aliases) == {"Volodymyr Zelenskyy", "Zelensky (dup)"}
    assert editor.undo_stack.count() == count + 1
    assert window.model.row_of(dup) is None
    assert window.selected_source_ids() == [zelensky]
    assert window.model.data(window.model.index(window.model.row_of(zelensky), SourceTableModel.QUOTES)) == 2

    editor.undo_stack.undo()
    assert service.source(dup) == before_gone
    assert service.source(zelensky) == before_keep
    assert service.quote(zel_quotes[0]) == before_quote
    assert window.model.row_of(dup) is not None
    qz = window.model.data(window.model.index(window.model.row_of(zelensky), SourceTableModel.QUOTES))
    qd = window.model.data(window.model.index(window.model.row_of(dup), SourceTableModel.QUOTES))
    assert (qz, qd) == (1, 1)


def test_merge_refused_when_both_are_in_one_chain(window, editor, service, qtbot):
    official, cnn = _sid(service, "Turkish official"), _sid(service, "CNN")
    window.select_sources([official, cnn])
    window.merge_action.trigger()
    dialog = window.merge_dialog
    assert dialog is not None
    count = editor.undo_stack.count()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "remove one of them from it before merging" in dialog.error_label.text()
    assert editor.undo_stack.count() == count
    dialog.reject()


def test_new_source_from_the_window(window, editor, service, qtbot):
    qtbot.mouseClick(window.buttons["new"], Qt.MouseButton.LeftButton)
    dialog = window.source_dialog
    assert dialog is not None and dialog.windowTitle() == "New source"
    qtbot.keyClicks(dialog.name_edit, "Hakan Fidan")
    qtbot.keyClicks(dialog.role_edit, "Foreign Minister")
    qtbot.keyClicks(dialog.affiliation_picker.line_edit, "Government of Tur")
    popup = dialog.affiliation_picker.completer.completer.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.affiliation_picker.source_id() == _sid(service, "Government of Turkey")
    dialog.aliases_edit.setPlainText("Fidan\nH. Fidan")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    rec = service.resolve_source("Hakan Fidan")
    assert rec is not None
    assert (rec.kind, rec.role, rec.affiliation_id, rec.aliases) == (
        "person",
        "Foreign Minister",
        _sid(service, "Government of Turkey"),
        ("Fidan", "H. Fidan"),
    )
    assert window.selected_source_ids() == [rec.id]
    row = window.model.row_of(rec.id)
    assert window.model.data(window.model.index(row, SourceTableModel.AFFILIATION)) == "Government of Turkey"


def test_dialog_refuses_unknown_affiliation(editor, service, qtbot):
    dialog = SourceDialog(editor, name="Someone")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.affiliation_picker.line_edit, "Nobody Ministry")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert (
        "no source is called “Nobody Ministry”" in dialog.error_label.text().lower()
        or "No source is called “Nobody Ministry”" in dialog.error_label.text()
    )
    assert service.resolve_source("Someone") is None
    dialog.reject()


def test_untrusted_names_show_literally(window, editor, service, qtbot):
    sid = editor.create_source("organization", "<b>bold</b>", aliases=["<img src=x>"]).source.id
    row = window.model.row_of(sid)
    assert window.model.data(window.model.index(row, SourceTableModel.NAME)) == "<b>bold</b>"
    tip = window.model.data(window.model.index(row, SourceTableModel.ALIASES), Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img src=x&gt;" in tip
    _click_row(window, qtbot, sid)
    assert window.details.title_label.text() == "<b>bold</b>"
    assert window.details.title_label.textFormat() == Qt.TextFormat.PlainText
    assert window.details.alias_model.stringList() == ["<img src=x>"]
    window.select_sources([sid, _sid(service, "CNN")])
    window.merge_action.trigger()
    dialog = window.merge_dialog
    assert dialog is not None
    assert dialog.summary_label.textFormat() == Qt.TextFormat.PlainText
    assert "“<b>bold</b>”" in dialog.radios[sid].text()
    dialog.reject()


def test_selection_survives_other_edits(window, editor, service, qtbot):
    moscow = _sid(service, "Moscow")
    _click_row(window, qtbot, moscow)
    editor.create_source("person", "Aaron Aardvark")
    editor.update_source(_sid(service, "CNN"), role="broadcaster")
    assert window.selected_source_ids() == [moscow]
    idx = window.table.selectionModel().selectedRows()[0]
    assert window.proxy.data(idx, SOURCE_ID_ROLE) == moscow


def test_delete_several_is_one_step_and_reports_refusals(window, editor, service, qtbot):
    a = editor.create_source("organization", "Spare One").source.id
    b = editor.create_source("organization", "Spare Two").source.id
    cnn = _sid(service, "CNN")
    window.select_sources([a, b, cnn])
    count = editor.undo_stack.count()
    qtbot.mouseClick(window.buttons["delete"], Qt.MouseButton.LeftButton)
    assert "'CNN' is still referred to" in window.message.text()
    assert window.model.row_of(a) is None and window.model.row_of(b) is None
    assert editor.undo_stack.count() == count + 1
    editor.undo_stack.undo()
    assert service.source(a).name == "Spare One" and service.source(b).name == "Spare Two"

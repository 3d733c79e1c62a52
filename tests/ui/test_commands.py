"""The GUI's undo layer: every kind of edit is undone and redone exactly, checked in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.db import Database
from annotator.errors import ChainError
from annotator.service import Service
from ui.commands import Editor

SAMPLE = Path(__file__).resolve().parents[2] / "sample_articles" / "istanbul-talks.txt"


@pytest.fixture
def editor(tmp_path, qtbot) -> Editor:
    """Like the shared fixture, but with only the Istanbul article (as article 1)."""
    db = Database.open(f"sqlite:///{tmp_path / 'e.sqlite3'}")
    svc = Service(db, user="ana")
    svc.import_file(SAMPLE)
    return Editor(svc)


def _roundtrip(editor: Editor, read):
    """Undo then redo the last command; return the states (after, undone, redone)."""
    after = read()
    editor.undo_stack.undo()
    undone = read()
    editor.undo_stack.redo()
    redone = read()
    return after, undone, redone


def test_every_quote_edit_undoes_and_redoes_exactly(editor: Editor) -> None:
    svc = editor.service
    a = editor.create_source("organization", "Moscow").source
    b = editor.create_source("anonymous", "Turkish official", descriptor="a Turkish official").source
    c = editor.create_source("outlet", "CNN").source
    q = editor.create_quote(1, 1571, 1713).quote
    read = lambda: svc.quote(q.id)  # noqa: E731
    edits = [
        lambda: editor.set_speaker(q.id, a.id),
        lambda: editor.add_hop(q.id, b.id, "according to"),
        lambda: editor.add_hop(q.id, c.id, "quoted by"),
        lambda: editor.move_hop(q.id, 1, 0),
        lambda: editor.update_hop(q.id, 0, relation="via", evidence=(1594, 1611)),
        lambda: editor.remove_hop(q.id, 0),
        lambda: editor.set_type(q.id, "direct"),
        lambda: editor.set_cue(q.id, (1553, 1566)),
        lambda: editor.set_span(q.id, 1571, 1700),
        lambda: editor.set_verification(q.id, status="disputed", evidence_url="https://x.test/a", note="ok"),
    ]
    for edit in edits:
        before = read()
        edit()
        after, undone, redone = _roundtrip(editor, read)
        assert undone == before
        assert redone == after
    assert svc.verify_audit().ok


def test_create_and_delete_quote_undo(editor: Editor) -> None:
    svc = editor.service
    q = editor.create_quote(1, 1883, 1913).quote
    editor.undo_stack.undo()
    assert svc.quotes(1) == []
    editor.undo_stack.redo()
    assert svc.quotes(1) == [q]
    editor.delete_quote(q.id)
    assert svc.quotes(1) == []
    editor.undo_stack.undo()
    assert svc.quotes(1) == [q]


def test_source_edits_and_merge_undo(editor: Editor) -> None:
    svc = editor.service
    z = editor.create_source("person", "Volodimir Zelensky").source
    dup = editor.create_source("person", "Zelenskyy").source
    q = editor.create_quote(1, 2528, 2582, speaker_id=dup.id).quote
    editor.update_source(z.id, role="President", aliases=["Zelensky"])
    assert svc.source(z.id).role == "President"
    editor.undo_stack.undo()
    assert svc.source(z.id) == z
    editor.undo_stack.redo()
    editor.merge_sources(z.id, dup.id)
    assert svc.quote(q.id).speaker_id == z.id
    editor.undo_stack.undo()
    assert svc.quote(q.id).speaker_id == dup.id and svc.source(dup.id) == dup
    editor.undo_stack.redo()
    assert svc.quote(q.id).speaker_id == z.id
    assert svc.verify_audit().ok


def test_a_refused_edit_pushes_nothing(editor: Editor) -> None:
    a = editor.create_source("person", "A").source
    q = editor.create_quote(1, 1571, 1713, speaker_id=a.id).quote
    depth = editor.undo_stack.count()
    with pytest.raises(ChainError):
        editor.add_hop(q.id, a.id, "via")
    assert editor.undo_stack.count() == depth


def test_a_failed_undo_is_reported_and_dropped(editor: Editor, qtbot) -> None:
    svc = editor.service
    a = editor.create_source("person", "A").source
    editor.create_quote(1, 1571, 1713, speaker_id=a.id)
    # Someone else deletes the source's quote and the source behind our back: undo of the
    # creation of "A" can no longer delete it... (it still can: it has no quotes). Make it fail:
    q2 = svc.create_quote(1, 1883, 1913, speaker_id=a.id).quote
    editor.undo_stack.undo()  # undo "mark quote" (1571-1713): fine
    with qtbot.waitSignal(editor.failed) as sig:
        editor.undo_stack.undo()  # undo "new source": A is still the speaker of q2 → refused
    assert "Could not undo “new source”" in sig.args[0] and "still referred to" in sig.args[0]
    assert svc.source(a.id).name == "A" and svc.quote(q2.id).speaker_id == a.id


def test_undo_never_overwrites_a_colleagues_later_edit(editor: Editor, qtbot) -> None:
    """A shared database: ana's undo is refused once rui has changed the same quote since."""
    svc = editor.service
    a = editor.create_source("person", "A").source
    q = editor.create_quote(1, 1571, 1713).quote
    editor.set_speaker(q.id, a.id)
    rui = Service(svc.db, user="rui")
    rui.set_verification(q.id, note="checked the CNN piece")
    with qtbot.waitSignal(editor.failed) as sig:
        editor.undo_stack.undo()  # would put the speaker back to none, and lose rui's note
    assert "changed by someone else in the meantime" in sig.args[0]
    now = svc.quote(q.id)
    assert now.speaker_id == a.id and now.note == "checked the CNN piece"
    # deleting is guarded the same way
    rui.delete_quote(q.id)
    with qtbot.waitSignal(editor.failed) as sig:
        editor.undo_stack.undo()  # undo "mark quote" = delete it: it is already gone
    assert "deleted by someone else" in sig.args[0]
    assert svc.verify_audit().ok

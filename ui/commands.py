"""Every edit the GUI makes, as one undoable command per user action.

The :class:`Editor` is the GUI's only way to change data. Each method runs one core operation
(:mod:`annotator.service`) *before* pushing its :class:`QUndoCommand`, so an error reaches the
caller as an exception and nothing is pushed. ``undo()``/``redo()`` only call core operations
too: quote and source edits are undone by restoring the exact record the operation returned
(``restore_quote``/``restore_source``), a merge by ``unmerge_sources``. The stack is global to the
database, so undo works across article switches; ``changed`` tells widgets what to refresh
(the :class:`~annotator.service.OpResult` of the operation, of its undo, or of its redo).
Several edits of one user action (create a source, then make it the speaker) form one undo step
with :meth:`Editor.undo_step`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.records import HopRecord, QuoteRecord, SourceRecord, Span, SuggestionDecisionRecord
from annotator.service import UNSET, AcceptedSuggestion, OpResult, Service
from annotator.suggest import Suggestion

log = logging.getLogger(__name__)


class _Command(QUndoCommand):
    """A command whose first redo already happened (the operation ran before the push)."""

    def __init__(self, editor: Editor, text: str) -> None:
        super().__init__(text)
        self._editor = editor
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._guarded(self._redo, "redo")

    def undo(self) -> None:
        self._guarded(self._undo, "undo")

    def _guarded(self, fn: Callable[[], OpResult], what: str) -> None:
        # Qt calls undo()/redo() from C++: an exception would be printed and lost, and the stack
        # would think it worked. Report it, and drop this command from the stack instead.
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - reported to the user, then the command is dropped
            log.exception("%s of %r failed", what, self.text())
            self.setObsolete(True)
            self._editor.failed.emit(f"Could not {what} “{self.text()}”: {exc}")
            return
        self._editor.changed.emit(result)

    def _redo(self) -> OpResult:
        raise NotImplementedError

    def _undo(self) -> OpResult:
        raise NotImplementedError


class QuoteEditCommand(_Command):
    """Any change to one existing quote: undo and redo put back the exact record."""

    def __init__(self, editor: Editor, text: str, result: OpResult) -> None:
        super().__init__(editor, text)
        self._before: QuoteRecord = result.before("quote")
        self._after: QuoteRecord = result.after("quote")

    def _undo(self) -> OpResult:
        return self._editor.service.restore_quote(
            self._before, action=f"undo {self.text()}", expected=self._after
        )

    def _redo(self) -> OpResult:
        return self._editor.service.restore_quote(
            self._after, action=f"redo {self.text()}", expected=self._before
        )


class CreateQuoteCommand(_Command):
    def __init__(self, editor: Editor, text: str, result: OpResult) -> None:
        super().__init__(editor, text)
        self._after: QuoteRecord = result.quote

    def _undo(self) -> OpResult:
        return self._editor.service.delete_quote(self._after.id, expected=self._after)

    def _redo(self) -> OpResult:
        return self._editor.service.restore_quote(self._after, action=f"redo {self.text()}", expected=None)


class DeleteQuoteCommand(_Command):
    def __init__(self, editor: Editor, text: str, result: OpResult) -> None:
        super().__init__(editor, text)
        self._before: QuoteRecord = result.before("quote")

    def _undo(self) -> OpResult:
        return self._editor.service.restore_quote(self._before, action=f"undo {self.text()}", expected=None)

    def _redo(self) -> OpResult:
        return self._editor.service.delete_quote(self._before.id, expected=self._before)


class SourceEditCommand(_Command):
    """Creating, editing or deleting a source; ``None`` on one side means "did not exist"."""

    def __init__(
        self, editor: Editor, text: str, before: SourceRecord | None, after: SourceRecord | None
    ) -> None:
        super().__init__(editor, text)
        self._before, self._after = before, after

    def _put(self, record: SourceRecord | None, other: SourceRecord | None, what: str) -> OpResult:
        """Put the source in state ``record``, refusing if it is no longer in state ``other``."""
        svc = self._editor.service
        if record is None:
            assert other is not None
            return svc.delete_source(other.id, expected=other)
        return svc.restore_source(record, action=f"{what} {self.text()}", expected=other)

    def _undo(self) -> OpResult:
        return self._put(self._before, self._after, "undo")

    def _redo(self) -> OpResult:
        return self._put(self._after, self._before, "redo")


class MergeSourcesCommand(_Command):
    def __init__(self, editor: Editor, text: str, result: OpResult, survivor: int, absorbed: int) -> None:
        super().__init__(editor, text)
        self._undo_info: dict[str, Any] = result.extra["undo"]
        self._ids = (survivor, absorbed)

    def _undo(self) -> OpResult:
        return self._editor.service.unmerge_sources(self._undo_info)

    def _redo(self) -> OpResult:
        result = self._editor.service.merge_sources(*self._ids)
        self._undo_info = result.extra["undo"]
        return result


class AcceptSuggestionsCommand(_Command):
    """Accepting one suggestion or several at once: the quotes, their decisions and the sources they
    created. Undo deletes them all (the suggestions show again); redo makes the same rows again."""

    def __init__(self, editor: Editor, text: str, result: OpResult) -> None:
        super().__init__(editor, text)
        self._accepted: list[AcceptedSuggestion] = list(result.extra["accepted"])

    def _undo(self) -> OpResult:
        return self._editor.service.undo_accept_suggestions(self._accepted)

    def _redo(self) -> OpResult:
        result = self._editor.service.redo_accept_suggestions(self._accepted)
        self._accepted = list(result.extra["accepted"])
        return result


class RejectSuggestionCommand(_Command):
    """Rejecting a suggestion: undo deletes the decision (the suggestion shows again)."""

    def __init__(self, editor: Editor, text: str, result: OpResult) -> None:
        super().__init__(editor, text)
        self._decision: SuggestionDecisionRecord = result.extra["decision"]

    def _undo(self) -> OpResult:
        return self._editor.service.undo_reject_suggestion(self._decision)

    def _redo(self) -> OpResult:
        return self._editor.service.redo_reject_suggestion(self._decision)


class Editor(QObject):
    """The GUI's edits: one method per user action, each one undoable.

    Methods raise :class:`annotator.errors.AnnotatorError` (nothing is pushed then) and return the
    operation's :class:`OpResult`. ``changed`` is emitted after every operation, undo and redo.
    """

    changed = Signal(object)  # OpResult
    failed = Signal(str)  # an undo or redo that could not be done

    def __init__(self, service: Service, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.undo_stack = QUndoStack(self)

    def _push(self, command: QUndoCommand, result: OpResult) -> OpResult:
        self.undo_stack.push(command)
        self.changed.emit(result)
        return result

    def _quote_edit(self, text: str, result: OpResult) -> OpResult:
        if not result.changes:  # nothing changed: nothing to undo
            return result
        return self._push(QuoteEditCommand(self, text, result), result)

    @contextmanager
    def undo_step(self, text: str) -> Iterator[None]:
        """``with editor.undo_step("new speaker"): ...``: several edits as one undo step.

        When every edit inside is refused, the (empty) step is taken off the stack again, so the
        undo history only holds what really happened.
        """
        stack = self.undo_stack
        index = stack.index()
        stack.beginMacro(text)
        try:
            yield
        finally:
            stack.endMacro()
            if stack.index() == index + 1:
                cmd = stack.command(stack.index() - 1)
                if cmd is not None and cmd.childCount() == 0:
                    cmd.setObsolete(True)
                    stack.undo()  # an obsolete command is dropped from the stack when undone

    # -- quotes --------------------------------------------------------------------------------

    def create_quote(self, article_id: int, start: int, end: int, **kw: Any) -> OpResult:
        result = self.service.create_quote(article_id, start, end, **kw)
        return self._push(CreateQuoteCommand(self, "mark quote", result), result)

    def delete_quote(self, quote_id: int) -> OpResult:
        result = self.service.delete_quote(quote_id)
        return self._push(DeleteQuoteCommand(self, "delete quote", result), result)

    def set_span(self, quote_id: int, start: int, end: int) -> OpResult:
        return self._quote_edit("set span", self.service.set_span(quote_id, start, end))

    def set_type(self, quote_id: int, quote_type: str) -> OpResult:
        return self._quote_edit("set type", self.service.set_type(quote_id, quote_type))

    def set_cue(self, quote_id: int, cue: Span | None) -> OpResult:
        return self._quote_edit("set cue", self.service.set_cue(quote_id, cue))

    def set_speaker(self, quote_id: int, source_id: int | None) -> OpResult:
        return self._quote_edit("set speaker", self.service.set_speaker(quote_id, source_id))

    def set_chain(self, quote_id: int, speaker_id: int | None, hops: list[HopRecord]) -> OpResult:
        return self._quote_edit("set chain", self.service.set_chain(quote_id, speaker_id, hops))

    def add_hop(self, quote_id: int, source_id: int, relation: str, **kw: Any) -> OpResult:
        return self._quote_edit("add intermediary", self.service.add_hop(quote_id, source_id, relation, **kw))

    def update_hop(self, quote_id: int, position: int, **kw: Any) -> OpResult:
        return self._quote_edit("edit intermediary", self.service.update_hop(quote_id, position, **kw))

    def move_hop(self, quote_id: int, from_position: int, to_position: int) -> OpResult:
        return self._quote_edit(
            "move intermediary", self.service.move_hop(quote_id, from_position, to_position)
        )

    def remove_hop(self, quote_id: int, position: int) -> OpResult:
        return self._quote_edit("remove intermediary", self.service.remove_hop(quote_id, position))

    def set_verification(
        self,
        quote_id: int,
        *,
        status: str = UNSET,
        evidence_url: str | None = UNSET,
        archive_url: str | None = UNSET,
        note: str | None = UNSET,
    ) -> OpResult:
        result = self.service.set_verification(
            quote_id, status=status, evidence_url=evidence_url, archive_url=archive_url, note=note
        )
        return self._quote_edit("set status" if status is not UNSET else "edit evidence", result)

    # -- suggestions ------------------------------------------------------------------------------

    def accept_suggestion(self, article_id: int, suggestion: Suggestion) -> OpResult:
        """Make ``suggestion`` a quote with its cue and chain (new sources as needed): one undo step."""
        result = self.service.accept_suggestion(article_id, suggestion)
        return self._push(AcceptSuggestionsCommand(self, "accept suggestion", result), result)

    def accept_suggestions(self, article_id: int, suggestions: list[Suggestion]) -> OpResult:
        """Accept several suggestions in one transaction and one undo step."""
        result = self.service.accept_suggestions(article_id, suggestions)
        n = len(result.extra["accepted"])
        text = f"accept {n} suggestion{'s' if n != 1 else ''}"
        return self._push(AcceptSuggestionsCommand(self, text, result), result)

    def reject_suggestion(self, article_id: int, suggestion: Suggestion) -> OpResult:
        """Record that ``suggestion`` is wrong, so that it is not proposed again for the article."""
        result = self.service.reject_suggestion(article_id, suggestion)
        return self._push(RejectSuggestionCommand(self, "reject suggestion", result), result)

    # -- review verdicts -------------------------------------------------------------------------
    # A verdict is a signature: it is recorded for good and is not on the undo stack. A later
    # verdict supersedes it; the history keeps both.

    def approve(
        self, quote_id: int, comment: str | None = None, *, seen_chain: str | None = None
    ) -> OpResult:
        return self._emit(self.service.approve(quote_id, comment, seen_chain=seen_chain))

    def reject(self, quote_id: int, comment: str | None = None, *, seen_chain: str | None = None) -> OpResult:
        return self._emit(self.service.reject(quote_id, comment, seen_chain=seen_chain))

    def request_changes(self, quote_id: int, comment: str, *, seen_chain: str | None = None) -> OpResult:
        return self._emit(self.service.request_changes(quote_id, comment, seen_chain=seen_chain))

    def _emit(self, result: OpResult) -> OpResult:
        self.changed.emit(result)
        return result

    # -- sources -------------------------------------------------------------------------------

    def create_source(self, kind: str, name: str, **kw: Any) -> OpResult:
        result = self.service.create_source(kind, name, **kw)
        return self._push(SourceEditCommand(self, "new source", None, result.source), result)

    def update_source(self, source_id: int, **kw: Any) -> OpResult:
        result = self.service.update_source(source_id, **kw)
        if not result.changes:
            return result
        cmd = SourceEditCommand(self, "edit source", result.before("source"), result.after("source"))
        return self._push(cmd, result)

    def delete_source(self, source_id: int) -> OpResult:
        result = self.service.delete_source(source_id)
        return self._push(SourceEditCommand(self, "delete source", result.before("source"), None), result)

    def merge_sources(self, survivor_id: int, absorbed_id: int) -> OpResult:
        result = self.service.merge_sources(survivor_id, absorbed_id)
        return self._push(
            MergeSourcesCommand(self, "merge sources", result, survivor_id, absorbed_id), result
        )

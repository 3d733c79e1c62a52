"""The quote inspector: the selected quote's speaker, provenance chain, cue and verification.

A dock-sized form over one quote. Every change goes through the :class:`~ui.commands.Editor` as one
undoable step per user action, and the form refreshes from ``editor.changed``. Refusals from the
core (a source twice in a chain, a blank relation) are shown calmly in a message line; nothing is
pushed then.

Keyboard: Tab walks the form top to bottom. The "from selection" actions work from anywhere in
the window, so the user can select text in the article and press a key:

* Ctrl+Shift+S — the selected text is the speaker (looked up by name or alias, else "New source…")
* Ctrl+Shift+I — add the selected text as the next intermediary
* Ctrl+Shift+C — the selection is the cue ("said", "according to")
* Ctrl+Shift+E — the selection is the evidence of the current intermediary
* Ctrl+Shift+Return — send the quote for review (status "needs review"), e.g. once a reviewer's
  requested changes are made

A quote with an open change request (the reviewer's latest verdict asks for changes) shows it in a
banner above the form, until the quote is approved or rejected. Its text is shown as plain text.

In the intermediaries list: Delete removes, Ctrl+Up/Ctrl+Down reorder (drag and drop too), F2
edits the relation, Enter (or a click) shows the hop's evidence in the article.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFocusEvent, QHideEvent, QIcon, QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError, NotFoundError
from annotator.model import RELATIONS, QuoteType, Status
from annotator.records import QuoteRecord, ReviewRecord, SourceRecord, Span
from annotator.service import OpResult
from annotator.wording import quote_chain_text
from ui.commands import Editor
from ui.hop_list import HopListModel, HopRow, HopTableView, RelationDelegate
from ui.plaintext import clip, tooltip
from ui.reader import STATUS_COLOURS
from ui.reader import STATUS_LABELS as READER_STATUS_LABELS
from ui.shortcuts import key
from ui.source_dialog import SourceDialog
from ui.source_models import SourceCompleter, source_summary
from ui.widgets import message_label, sentence, shortcut_text, show_message, small_button

log = logging.getLogger(__name__)

STATUS_LABELS = {status: label.capitalize() for status, label in READER_STATUS_LABELS.items()}
TYPE_LABELS = {
    QuoteType.DIRECT.value: "Direct",
    QuoteType.PARTIAL.value: "Partial",
    QuoteType.INDIRECT.value: "Indirect",
}
QUOTE_PREVIEW_CHARS = 320
NAME_PUNCTUATION = " \t\r\n.,;:!?\"'“”‘’«»„()[]—–-"


class _NoteEdit(QPlainTextEdit):
    """A note field committed when it loses focus (or on Ctrl+Enter), not per keystroke."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.editing_finished.emit()
            return
        super().keyPressEvent(event)


# --------------------------------------------------------------------------------------------------
# The inspector
# --------------------------------------------------------------------------------------------------


class QuoteInspector(QWidget):
    """Everything about one quote, editable: its speaker, chain, cue and verification.

    ``selection_provider()`` returns the reader's current selection as code-point offsets into the
    quote's article, or None. ``span_focus_requested(start, end)`` asks the reader to show a span
    (the quote, or a hop's evidence); ``quote_deleted(id)`` follows a "Delete quote".
    """

    span_focus_requested = Signal(int, int)
    quote_deleted = Signal(int)

    def __init__(
        self,
        editor: Editor,
        selection_provider: Callable[[], tuple[int, int] | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._service = editor.service
        self._selection_provider = selection_provider
        self._quote_id: int | None = None
        self._quote: QuoteRecord | None = None
        self._text = ""
        self._sources: dict[int, SourceRecord] = {}
        self._outlet_id: int | None = None
        self._article_id: int | None = None
        self._change_request: ReviewRecord | None = None
        self.source_dialog: SourceDialog | None = None
        """The "New source…" dialog while it is open (window-modal)."""

        self._build_actions()
        self._build_ui()
        self._set_tab_order()
        editor.changed.connect(self._on_editor_changed)
        self._show_empty()

    # == construction ==========================================================================

    def _action(
        self,
        text: str,
        tip: str,
        slot: Callable[[], None],
        key: str | None = None,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    ) -> QAction:
        act = QAction(text, self)
        if key:
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(context)
            tip = f"{tip} ({shortcut_text(key)})"
        act.setToolTip(tip)
        act.setStatusTip(tip)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.speaker_from_selection_action = self._action(
            "Use selection",
            "Use the text selected in the article as the speaker",
            self._on_speaker_from_selection,
            key("speaker_from_selection"),
        )
        self.clear_speaker_action = self._action(
            "Clear", "Remove the speaker from this quote", self._on_clear_speaker
        )
        self.hop_from_selection_action = self._action(
            "Use selection",
            "Add the text selected in the article as the next intermediary",
            self._on_hop_from_selection,
            key("hop_from_selection"),
        )
        self.cue_from_selection_action = self._action(
            "Use selection",
            "Use the text selected in the article as the cue (e.g. “said”)",
            self._on_cue_from_selection,
            key("cue_from_selection"),
        )
        self.clear_cue_action = self._action("Clear", "Remove the cue", self._on_clear_cue)
        self.evidence_from_selection_action = self._action(
            "Use selection",
            "Use the text selected in the article as the evidence of the current intermediary",
            self._on_evidence_from_selection,
            key("evidence_from_selection"),
        )
        self.clear_evidence_action = self._action(
            "Clear", "Remove the evidence of the current intermediary", self._on_clear_evidence
        )
        self.send_for_review_action = self._action(
            "Send for review",
            "Send the quote for review: its status becomes “needs review” and it joins the review queue",
            self._on_send_for_review,
            key("send_for_review"),
        )
        self.remove_hop_action = self._action(
            "Remove",
            "Remove the current intermediary",
            self._on_remove_hop,
            "Delete",
            Qt.ShortcutContext.WidgetShortcut,
        )
        self.move_hop_up_action = self._action(
            "↑",
            "Move the current intermediary nearer the speaker",
            lambda: self._on_move_hop(-1),
            "Ctrl+Up",
            Qt.ShortcutContext.WidgetShortcut,
        )
        self.move_hop_down_action = self._action(
            "↓",
            "Move the current intermediary nearer the outlet",
            lambda: self._on_move_hop(+1),
            "Ctrl+Down",
            Qt.ShortcutContext.WidgetShortcut,
        )
        for act in (self.remove_hop_action, self.move_hop_up_action, self.move_hop_down_action):
            self.removeAction(act)  # they live on the hop list (added there below)

    def _build_ui(self) -> None:
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        # -- the empty state
        self.empty_label = QLabel(
            "No quote selected.\n\nSelect a quote in the article or in the list of quotes to see "
            "and edit its speaker, its chain of sources and its verification here.",
        )
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)
        self.empty_label.setContentsMargins(24, 24, 24, 24)
        self.stack.addWidget(self.empty_label)

        # -- the form
        page = QWidget()
        self.content = page
        form_layout = QVBoxLayout(page)
        form_layout.setContentsMargins(10, 8, 10, 8)
        form_layout.setSpacing(8)

        self.change_request_label = QLabel(page)
        self.change_request_label.setObjectName("change_request")
        self.change_request_label.setTextFormat(Qt.TextFormat.PlainText)
        self.change_request_label.setWordWrap(True)
        self.change_request_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_request_label.setStyleSheet(
            "QLabel#change_request { background: #fdf3e1; color: #5c3b00; border: 1px solid #e0b25c;"
            " border-left: 4px solid #d08a00; border-radius: 4px; padding: 5px 7px; }"
        )
        self.change_request_label.hide()
        form_layout.addWidget(self.change_request_label)

        self.quote_label = QLabel(page)
        self.quote_label.setTextFormat(Qt.TextFormat.PlainText)
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        qfont = self.quote_label.font()
        qfont.setItalic(True)
        self.quote_label.setFont(qfont)
        form_layout.addWidget(self.quote_label)

        meta = QHBoxLayout()
        self.offsets_label = QLabel(page)
        self.offsets_label.setTextFormat(Qt.TextFormat.PlainText)
        self.offsets_label.setEnabled(False)
        self.type_combo = QComboBox(page)
        for value, label in TYPE_LABELS.items():
            self.type_combo.addItem(label, value)
        self.type_combo.setToolTip(
            "Direct: the exact words, in quotation marks · Partial: a quoted fragment"
            " inside reported speech · Indirect: reported speech, no quotation marks"
        )
        self.type_combo.activated.connect(self._on_type_activated)
        self.show_quote_button = small_button("Show in article", page, "Scroll the article to this quote")
        self.show_quote_button.clicked.connect(self._on_show_quote_clicked)
        meta.addWidget(self.offsets_label)
        meta.addStretch(1)
        meta.addWidget(self.type_combo)
        meta.addWidget(self.show_quote_button)
        form_layout.addLayout(meta)

        chain_frame = QFrame(page)
        chain_frame.setObjectName("chain")
        chain_frame.setStyleSheet("QFrame#chain { background: palette(alternate-base); border-radius: 4px; }")
        chain_box = QVBoxLayout(chain_frame)
        chain_box.setContentsMargins(8, 6, 8, 6)
        self.chain_label = QLabel(chain_frame)
        self.chain_label.setTextFormat(Qt.TextFormat.PlainText)
        self.chain_label.setWordWrap(True)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chain_label.setToolTip("Who said it, and every source it passed through to this article")
        cfont = self.chain_label.font()
        cfont.setBold(True)
        self.chain_label.setFont(cfont)
        chain_box.addWidget(self.chain_label)
        form_layout.addWidget(chain_frame)

        self.message_label = message_label(page)
        form_layout.addWidget(self.message_label)

        # -- attribution
        attribution = QGroupBox("Attribution", page)
        af = QFormLayout(attribution)
        af.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        af.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels go on top in a narrow dock

        self.speaker_edit = QLineEdit(attribution)
        self.speaker_edit.setPlaceholderText("Type a name or alias…")
        self.speaker_edit.setMinimumWidth(120)
        self.speaker_edit.setToolTip(
            "Who said it. Type to search names and aliases, ↓ to choose, Enter to pick;"
            " a new name opens “New source…”"
        )
        self.speaker_completer = SourceCompleter(self._service, self.speaker_edit, self)
        self.speaker_completer.source_picked.connect(self._on_speaker_picked)
        self.speaker_completer.unknown_name_entered.connect(self._on_speaker_unknown)
        self.speaker_completer.lookup_failed.connect(self._show_error)
        self.speaker_edit.editingFinished.connect(self._on_speaker_editing_finished)
        self.speaker_edit.installEventFilter(self)
        self.speaker_edit.returnPressed.connect(self._on_speaker_return_pressed)
        self.speaker_selection_button = small_button("", attribution)
        self.speaker_selection_button.setDefaultAction(self.speaker_from_selection_action)
        self.clear_speaker_button = small_button("", attribution)
        self.clear_speaker_button.setDefaultAction(self.clear_speaker_action)
        speaker_row = QHBoxLayout()
        speaker_row.addWidget(self.speaker_edit, 1)
        speaker_row.addWidget(self.speaker_selection_button)
        speaker_row.addWidget(self.clear_speaker_button)
        self.speaker_detail = QLabel(attribution)
        self.speaker_detail.setTextFormat(Qt.TextFormat.PlainText)
        self.speaker_detail.setWordWrap(True)
        self.speaker_detail.setEnabled(False)
        speaker_box = QVBoxLayout()
        speaker_box.setSpacing(2)
        speaker_box.addLayout(speaker_row)
        speaker_box.addWidget(self.speaker_detail)
        af.addRow(_buddy_label("&Speaker", self.speaker_edit, attribution), speaker_box)

        self.cue_label = QLabel(attribution)
        self.cue_label.setTextFormat(Qt.TextFormat.PlainText)
        self.cue_label.setWordWrap(False)
        self.cue_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cue_selection_button = small_button("", attribution)
        self.cue_selection_button.setDefaultAction(self.cue_from_selection_action)
        self.clear_cue_button = small_button("", attribution)
        self.clear_cue_button.setDefaultAction(self.clear_cue_action)
        cue_row = QHBoxLayout()
        cue_row.addWidget(self.cue_label, 1)
        cue_row.addWidget(self.cue_selection_button)
        cue_row.addWidget(self.clear_cue_button)
        af.addRow("Cue", cue_row)

        self.move_up_button = small_button("", attribution)
        self.move_up_button.setDefaultAction(self.move_hop_up_action)
        self.move_down_button = small_button("", attribution)
        self.move_down_button.setDefaultAction(self.move_hop_down_action)
        self.remove_hop_button = small_button("", attribution)
        self.remove_hop_button.setDefaultAction(self.remove_hop_action)
        hops_title = QLabel("Intermediaries", attribution)
        hops_title.setToolTip("Who passed the quote on, numbered from the speaker outwards")
        title_row = QHBoxLayout()
        title_row.addWidget(hops_title)
        title_row.addStretch(1)
        title_row.addWidget(self.move_up_button)
        title_row.addWidget(self.move_down_button)
        title_row.addWidget(self.remove_hop_button)
        af.addRow(title_row)
        self.hop_model = HopListModel(self._editor, self)
        self.hop_model.edit_refused.connect(self._show_error)
        self.hop_model.hop_moved.connect(self._on_hop_moved)
        self.hop_view = HopTableView(attribution)
        self.hop_view.setModel(self.hop_model)
        self.hop_view.setItemDelegateForColumn(HopListModel.RELATION, RelationDelegate(self.hop_view))
        header = self.hop_view.horizontalHeader()
        header.setSectionResizeMode(HopListModel.POSITION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HopListModel.SOURCE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(HopListModel.RELATION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HopListModel.EVIDENCE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.hop_view.setToolTip(
            "Delete removes · Ctrl+Up/Ctrl+Down or drag to reorder · F2 edits the relation · "
            "click or Enter shows the evidence"
        )
        for act in (self.remove_hop_action, self.move_hop_up_action, self.move_hop_down_action):
            self.hop_view.addAction(act)
        self.hop_view.clicked.connect(self._on_hop_clicked)
        self.hop_view.activated.connect(self._on_hop_clicked)
        self.hop_view.selectionModel().currentChanged.connect(self._on_hop_current_changed)
        self.hop_model.modelReset.connect(self._update_hop_actions)
        af.addRow(self.hop_view)

        self.evidence_button = small_button("", attribution)
        self.evidence_button.setDefaultAction(self.evidence_from_selection_action)
        self.clear_evidence_button = small_button("", attribution)
        self.clear_evidence_button.setDefaultAction(self.clear_evidence_action)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence_button)
        evidence_row.addWidget(self.clear_evidence_button)
        evidence_row.addStretch(1)
        evidence_title = QLabel("Evidence", attribution)
        evidence_title.setToolTip("Where the article says the selected intermediary passed the quote on")
        af.addRow(evidence_title, evidence_row)

        self.relation_combo = QComboBox(attribution)
        self.relation_combo.setEditable(True)
        self.relation_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.relation_combo.addItems(list(RELATIONS))
        self.relation_combo.setToolTip("How the quote reached this intermediary: pick one or type your own")
        self.relation_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.relation_combo.setMinimumContentsLength(7)
        self.hop_source_edit = QLineEdit(attribution)
        self.hop_source_edit.setPlaceholderText("add an intermediary…")
        self.hop_source_edit.setMinimumWidth(60)
        self.hop_source_edit.setToolTip(
            "Type to search names and aliases, ↓ to choose, Enter to add; a new name opens “New source…”"
        )
        self.hop_completer = SourceCompleter(self._service, self.hop_source_edit, self)
        self.hop_completer.source_picked.connect(self._on_hop_source_picked)
        self.hop_completer.unknown_name_entered.connect(self._on_hop_source_unknown)
        self.hop_completer.lookup_failed.connect(self._show_error)
        self.hop_source_edit.installEventFilter(self)
        self.hop_selection_button = small_button("", attribution)
        self.hop_selection_button.setDefaultAction(self.hop_from_selection_action)
        add_row = QHBoxLayout()
        add_row.addWidget(self.relation_combo)
        add_row.addWidget(self.hop_source_edit, 1)
        add_row.addWidget(self.hop_selection_button)
        af.addRow(add_row)  # full width: the dock is narrow
        form_layout.addWidget(attribution)

        # -- verification
        verification = QGroupBox("Verification", page)
        vf = QFormLayout(verification)
        vf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.status_combo = QComboBox(verification)
        for value, label in STATUS_LABELS.items():
            self.status_combo.addItem(_swatch(STATUS_COLOURS.get(value, "#ffffff")), label, value)
        self.status_combo.activated.connect(self._on_status_activated)
        self.status_info = QLabel(verification)
        self.status_info.setTextFormat(Qt.TextFormat.PlainText)
        self.status_info.setWordWrap(True)
        self.status_info.setEnabled(False)
        self.status_info.setWordWrap(False)
        self.status_info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.send_for_review_button = QPushButton(verification)
        self.send_for_review_button.setText(self.send_for_review_action.text())
        self.send_for_review_button.setToolTip(self.send_for_review_action.toolTip())
        self.send_for_review_button.setAutoDefault(False)
        self.send_for_review_button.clicked.connect(self.send_for_review_action.trigger)
        self.send_for_review_action.enabledChanged.connect(self.send_for_review_button.setEnabled)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_combo)
        status_row.addStretch(1)
        status_row.addWidget(self.send_for_review_button)
        vf.addRow(_buddy_label("S&tatus", self.status_combo, verification), status_row)
        info_row = QHBoxLayout()
        info_row.addWidget(self.status_info, 1)
        vf.addRow("", info_row)
        self.evidence_url_edit = QLineEdit(verification)
        self.evidence_url_edit.setPlaceholderText("https://… where the quote can be checked")
        self.evidence_url_edit.editingFinished.connect(lambda: self._commit_text_field("evidence_url"))
        vf.addRow("Evidence &URL", self.evidence_url_edit)  # Alt+E is the Edit menu
        self.archive_url_edit = QLineEdit(verification)
        self.archive_url_edit.setPlaceholderText("https://web.archive.org/… a saved copy")
        self.archive_url_edit.editingFinished.connect(lambda: self._commit_text_field("archive_url"))
        vf.addRow("A&rchive URL", self.archive_url_edit)
        self.note_edit = _NoteEdit(verification)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("Notes on the verification (saved when you leave the field)")
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.note_edit.editing_finished.connect(lambda: self._commit_text_field("note"))
        vf.addRow("&Note", self.note_edit)
        form_layout.addWidget(verification)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.delete_button = QPushButton("Delete quote", page)
        self.delete_button.setToolTip("Delete this quote and its chain (Ctrl+Z brings it back)")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        bottom.addWidget(self.delete_button)
        form_layout.addLayout(bottom)
        form_layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.stack.addWidget(scroll)
        self._scroll = scroll

    def _set_tab_order(self) -> None:
        chain = [
            self.type_combo,
            self.show_quote_button,
            self.speaker_edit,
            self.speaker_selection_button,
            self.clear_speaker_button,
            self.cue_selection_button,
            self.clear_cue_button,
            self.move_up_button,
            self.move_down_button,
            self.remove_hop_button,
            self.hop_view,
            self.evidence_button,
            self.clear_evidence_button,
            self.relation_combo,
            self.hop_source_edit,
            self.hop_selection_button,
            self.status_combo,
            self.send_for_review_button,
            self.evidence_url_edit,
            self.archive_url_edit,
            self.note_edit,
            self.delete_button,
        ]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    # == public API =============================================================================

    def current_quote_id(self) -> int | None:
        return self._quote_id

    def set_quote(self, quote_id: int | None) -> None:
        """Show ``quote_id`` (None: the empty state). Pending field edits of the previous quote are
        committed first, so switching quotes never loses what was typed."""
        if quote_id == self._quote_id and quote_id is not None:
            return
        self.commit_pending()
        show_message(self.message_label, "")
        self._quote_id = quote_id
        self.speaker_completer.hide_popup()
        self.hop_completer.hide_popup()
        self.hop_source_edit.clear()
        self._reload()

    def reload(self) -> None:
        """Read the current quote again from the database (someone else may have changed it, or
        given a verdict, on a shared database). What is being typed in a field stays."""
        self._reload()

    def focus_speaker(self) -> None:
        """Put the keyboard in the speaker field (text selected, ready to type a name)."""
        if self._quote_id is None:
            return
        self._scroll.ensureWidgetVisible(self.speaker_edit)
        self.speaker_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.speaker_edit.selectAll()

    def commit_pending(self) -> None:
        """Save what is typed in the evidence, archive and note fields but not committed yet."""
        if self._quote is None:
            return
        for name in ("evidence_url", "archive_url", "note"):
            self._commit_text_field(name)

    # == events =================================================================================

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Escape in a name field (popup closed) drops what was typed.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            if watched is self.speaker_edit and not self.speaker_completer.popup_visible():
                self._show_speaker_text_again()
                return True
            if watched is self.hop_source_edit and not self.hop_completer.popup_visible():
                self.hop_source_edit.clear()
                return True
        return super().eventFilter(watched, event)

    def hideEvent(self, event: QHideEvent) -> None:
        # The dock closed or the window is going away: keep what was typed.
        try:
            self.commit_pending()
        except Exception:  # noqa: BLE001 - the database may already be closing; never crash on hide
            log.exception("could not save the inspector's pending edits")
        super().hideEvent(event)

    # == showing ================================================================================

    def _show_empty(self) -> None:
        self._quote = None
        self._quote_id = None
        self.hop_model.set_chain(None, [])
        self.stack.setCurrentIndex(0)
        self._set_actions_enabled(False)

    def _set_actions_enabled(self, on: bool) -> None:
        for act in (
            self.speaker_from_selection_action,
            self.clear_speaker_action,
            self.hop_from_selection_action,
            self.cue_from_selection_action,
            self.clear_cue_action,
        ):
            act.setEnabled(on)
        self.send_for_review_action.setEnabled(
            on and self._quote is not None and self._quote.status != Status.NEEDS_REVIEW.value
        )
        self._update_hop_actions()

    def _reload(self) -> None:
        """Read the quote and everything the form shows of it: one read (``Service.quote_detail``)."""
        if self._quote_id is None:
            self._show_empty()
            return
        try:
            detail = self._service.quote_detail(self._quote_id, with_text=True)
        except NotFoundError:
            self._show_empty()  # deleted (e.g. its creation was undone)
            return
        self._text = detail.text or ""
        self._article_id = detail.article.id
        self._outlet_id = detail.article.outlet_id
        self._change_request = detail.change_request
        self._show(detail.quote, dict(detail.sources))

    def _show(self, quote: QuoteRecord, sources: dict[int, SourceRecord]) -> None:
        self._quote, self._sources = quote, sources
        self.stack.setCurrentIndex(1)
        self._show_change_request(self._change_request)
        self._show_header(quote)
        self._show_speaker(quote)
        self._show_cue(quote)
        self._show_hops(quote)
        self._show_verification(quote)
        self._set_actions_enabled(True)

    def _label(self, source_id: int | None) -> str:
        if source_id is None:
            return ""
        rec = self._sources.get(source_id)
        return rec.label if rec is not None else f"#{source_id}"

    def _show_change_request(self, request: ReviewRecord | None) -> None:
        """The reviewer's open change request, in plain text, above the form (hidden when none)."""
        if request is None:
            self.change_request_label.clear()
            self.change_request_label.setToolTip("")
            self.change_request_label.hide()
            return
        comment = (request.comment or "").strip()
        text = f"Changes requested by {request.reviewer} on {_day(request.at)}"
        self.change_request_label.setText(f"{text}: {comment}" if comment else text)
        self.change_request_label.setToolTip(
            tooltip(
                f"{request.reviewer} asked for changes on {_when(request.at)}.\n"
                "Make them, then send the quote for review again "
                f"({shortcut_text(key('send_for_review'))})."
            )
        )
        self.change_request_label.show()

    def change_request_text(self) -> str:
        """The change request banner's text (empty when it is hidden)."""
        return self.change_request_label.text() if not self.change_request_label.isHidden() else ""

    def _show_header(self, q: QuoteRecord) -> None:
        text = " ".join(q.text.split())
        self.quote_label.setText(f"“{clip(text, QUOTE_PREVIEW_CHARS)}”")
        self.quote_label.setToolTip(tooltip(q.text) if len(text) > QUOTE_PREVIEW_CHARS else "")
        self.offsets_label.setText(f"{q.start}–{q.end}")
        self.offsets_label.setToolTip(
            f"Characters {q.start} to {q.end} of the article ({q.end - q.start} long)"
        )
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(q.type)))
        self.chain_label.setText(self.chain_text(q))

    def chain_text(self, q: QuoteRecord | None = None) -> str:
        """The chain in one line, speaker first, the article's outlet last:
        ``"Moscow ← a Turkish official ← CNN ← El País"``."""
        q = q or self._quote
        if q is None:
            return ""
        return quote_chain_text(q, self._sources, self._outlet_id)

    def _show_speaker(self, q: QuoteRecord) -> None:
        rec = self._sources.get(q.speaker_id) if q.speaker_id is not None else None
        typing = self.speaker_edit.hasFocus() and self.speaker_edit.isModified()
        if not typing:
            self.speaker_edit.setText(rec.name if rec is not None else "")
        if rec is None:
            self.speaker_detail.setText(
                "Nobody yet: type a name, or select it in the article and press "
                f"{shortcut_text('Ctrl+Shift+S')}."
            )
        else:
            detail = source_summary(rec)
            if rec.affiliation_id is not None:
                detail += f" · {self._label(rec.affiliation_id)}"
            self.speaker_detail.setText(detail)
        self.clear_speaker_action.setEnabled(rec is not None)

    def _show_cue(self, q: QuoteRecord) -> None:
        if q.cue is None:
            self.cue_label.setText("none")
            self.cue_label.setToolTip("")
            self.cue_label.setEnabled(False)
        else:
            self.cue_label.setText(f"“{clip(self._text[q.cue[0] : q.cue[1]], 80)}”")
            self.cue_label.setToolTip(tooltip(self._text[q.cue[0] : q.cue[1]]))
            self.cue_label.setEnabled(True)
        self.clear_cue_action.setEnabled(q.cue is not None)

    def _show_hops(self, q: QuoteRecord) -> None:
        current = self.hop_view.currentIndex()
        rows = []
        for h in q.hops:
            rec = self._sources.get(h.source_id)
            ev_text = " ".join(self._text[h.evidence[0] : h.evidence[1]].split()) if h.evidence else ""
            rows.append(
                HopRow(
                    h.source_id,
                    self._label(h.source_id),
                    rec.kind if rec else "",
                    h.relation,
                    h.evidence,
                    ev_text,
                )
            )
        self.hop_model.set_chain(q.id, rows)
        if current.isValid() and current.row() < len(rows):
            self.hop_view.setCurrentIndex(self.hop_model.index(current.row(), current.column()))
        self.hop_view.updateGeometry()
        self._update_hop_actions()

    def _show_verification(self, q: QuoteRecord) -> None:
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(q.status)))
        if q.status_by and q.status_at:
            self.status_info.setText(f"set by {q.status_by}, {_when(q.status_at)}")
        else:
            self.status_info.setText(f"quote marked by {q.created_by}, {_when(q.created_at)}")
        self.status_info.setToolTip(tooltip(self.status_info.text()))
        for name, widget in (
            ("evidence_url", self.evidence_url_edit),
            ("archive_url", self.archive_url_edit),
        ):
            value = getattr(q, name) or ""
            if not (widget.hasFocus() and widget.isModified()):
                widget.setText(value)
                widget.setCursorPosition(0)
        if not (self.note_edit.hasFocus() and self.note_edit.document().isModified()):
            self.note_edit.setPlainText(q.note or "")
            self.note_edit.document().setModified(False)

    def _update_hop_actions(self) -> None:
        has_quote = self._quote is not None
        row = self.hop_view.currentIndex().row() if self.hop_view.currentIndex().isValid() else -1
        n = self.hop_model.rowCount()
        has_hop = has_quote and 0 <= row < n
        self.remove_hop_action.setEnabled(has_hop)
        self.move_hop_up_action.setEnabled(has_hop and row > 0)
        self.move_hop_down_action.setEnabled(has_hop and row < n - 1)
        self.evidence_from_selection_action.setEnabled(has_hop)
        self.clear_evidence_action.setEnabled(has_hop and self.hop_model.hop(row).evidence is not None)

    # == messages ===============================================================================

    def _show_error(self, text: str) -> None:
        show_message(self.message_label, sentence(text))

    def _clear_message(self) -> None:
        show_message(self.message_label, "")

    def message(self) -> str:
        """The message shown now (empty when none)."""
        return self.message_label.text()

    def _run(self, fn: Callable[[], object]) -> bool:
        """Run one editor call; a refusal is shown calmly. True when it went through."""
        try:
            fn()
        except AnnotatorError as exc:
            self._show_error(str(exc))
            return False
        self._clear_message()
        return True

    # == editor changes =========================================================================

    def _on_editor_changed(self, result: OpResult) -> None:
        if self._quote_id is None:
            return
        if not self._refresh_from(result):
            self._reload()

    def _refresh_from(self, result: OpResult) -> bool:
        """Show what an operation changed from the records it returned, without reading.

        False when that is not enough and the quote must be read again: the quote was not shown
        yet, its article changed (its outlet is the chain's last link), its status changed (a
        verdict may open or close a change request), or it now names a source not known here.
        """
        if self._quote is None:
            return False
        quote, sources, touched = self._quote, dict(self._sources), False
        for c in result.changes:
            if c.object_type == "quote" and c.object_id == self._quote_id:
                if c.after is None:  # deleted (e.g. its creation was undone)
                    self._show_empty()
                    return True
                if not isinstance(c.after, QuoteRecord):
                    return False
                quote, touched = c.after, True
            elif c.object_type == "source" and c.object_id in sources:
                if not isinstance(c.after, SourceRecord):
                    return False
                sources[c.object_id], touched = c.after, True
            elif c.object_type == "article" and c.object_id == self._article_id:
                return False
        if not touched:
            return True
        if _status_of(quote) != _status_of(self._quote):
            return False
        needed = {*quote.chain_source_ids, *([self._outlet_id] if self._outlet_id is not None else [])}
        for sid in list(needed):
            affiliation = sources[sid].affiliation_id if sid in sources else None
            if affiliation is not None:
                needed.add(affiliation)
        if not needed <= sources.keys():
            return False
        self._show(quote, sources)
        return True

    # == selection ==============================================================================

    def _selection(self, what: str) -> Span | None:
        """The reader's selection, trimmed of surrounding spaces; None (and a hint) when empty."""
        sel = self._selection_provider()
        if sel is not None and self._quote is not None:
            start, end = sel
            start, end = max(0, min(start, end)), min(len(self._text), max(start, end))
            chunk = self._text[start:end]
            start += len(chunk) - len(chunk.lstrip())
            end -= len(chunk) - len(chunk.rstrip())
            if start < end:
                return start, end
        self._show_error(f"Select the {what} in the article first.")
        return None

    def _selected_name(self, what: str) -> str | None:
        span = self._selection(what)
        if span is None:
            return None
        name = " ".join(self._text[span[0] : span[1]].split()).strip(NAME_PUNCTUATION)
        if not name:
            self._show_error(f"Select the {what}'s name in the article first.")
            return None
        return name

    def _resolve(self, name: str) -> SourceRecord | None | bool:
        """The source called ``name`` (None: nobody; False: several, message shown)."""
        try:
            return self._service.resolve_source(name)
        except AnnotatorError as exc:
            self._show_error(str(exc))
            return False

    # == speaker ================================================================================

    def _on_speaker_picked(self, source_id: int) -> None:
        if self._quote is None:
            return
        qid = self._quote.id
        if source_id == self._quote.speaker_id:
            self._reload()
            return
        if not self._run(lambda: self._editor.set_speaker(qid, source_id)):
            self._show_speaker_text_again()

    def _show_speaker_text_again(self) -> None:
        if self._quote is not None:
            rec = self._sources.get(self._quote.speaker_id) if self._quote.speaker_id is not None else None
            self.speaker_edit.setText(rec.name if rec else "")

    def _on_speaker_unknown(self, name: str) -> None:
        self._offer_new_source(name, "speaker")

    def _on_speaker_return_pressed(self) -> None:
        if (
            self._quote is not None
            and not self.speaker_edit.text().strip()
            and self._quote.speaker_id is not None
        ):
            self._on_clear_speaker()

    def _on_speaker_editing_finished(self) -> None:
        # Leaving the field without picking: show the speaker the quote really has.
        if not self.speaker_edit.hasFocus() and not self.speaker_completer.popup_visible():
            self._show_speaker_text_again()

    def _on_speaker_from_selection(self) -> None:
        name = self._selected_name("speaker")
        if name is None:
            return
        found = self._resolve(name)
        if found is False:
            self.speaker_edit.setText(name)
            self.speaker_completer.show_suggestions(name)
            return
        if found is None:
            self._offer_new_source(name, "speaker")
            return
        assert isinstance(found, SourceRecord)
        self.speaker_edit.setText(found.name)
        self._on_speaker_picked(found.id)

    def _on_clear_speaker(self) -> None:
        if self._quote is None or self._quote.speaker_id is None:
            return
        qid = self._quote.id
        self._run(lambda: self._editor.set_speaker(qid, None))

    # == new sources ============================================================================

    def _offer_new_source(self, name: str, purpose: str) -> None:
        """Open "New source…" prefilled with ``name``; once created it becomes the speaker or the
        next intermediary, in the same undo step."""
        if self._quote is None:
            return
        qid = self._quote.id
        if purpose == "speaker":

            def then(sid: int) -> object:
                return self._editor.set_speaker(qid, sid)

            text = "new speaker"
        else:
            relation = self.relation_combo.currentText().strip()

            def then(sid: int) -> object:
                return self._editor.add_hop(qid, sid, relation)

            text = "new intermediary"
        if self.source_dialog is not None:
            self.source_dialog.close()
        dialog = SourceDialog(self._editor, name=name, then=then, undo_text=text, parent=self)
        dialog.setWindowTitle("New speaker" if purpose == "speaker" else "New intermediary")
        dialog.follow_up_failed.connect(self._show_error)
        dialog.source_saved.connect(lambda _sid: self._on_new_source_saved(purpose))
        dialog.finished.connect(lambda _r: self._on_source_dialog_finished(dialog, purpose))
        self.source_dialog = dialog
        dialog.open()

    def _on_new_source_saved(self, purpose: str) -> None:
        if purpose != "speaker":
            self.hop_source_edit.clear()

    def _on_source_dialog_finished(self, dialog: SourceDialog, purpose: str) -> None:
        if self.source_dialog is dialog:
            self.source_dialog = None
        dialog.deleteLater()
        if purpose == "speaker":
            self._show_speaker_text_again()
            self.speaker_edit.setFocus()
        else:
            self.hop_source_edit.setFocus()

    # == cue ====================================================================================

    def _on_cue_from_selection(self) -> None:
        span = self._selection("cue (e.g. “said”)")
        if span is None or self._quote is None:
            return
        qid = self._quote.id
        self._run(lambda: self._editor.set_cue(qid, span))

    def _on_clear_cue(self) -> None:
        if self._quote is None or self._quote.cue is None:
            return
        qid = self._quote.id
        self._run(lambda: self._editor.set_cue(qid, None))

    # == type ===================================================================================

    def _on_type_activated(self, index: int) -> None:
        if self._quote is None:
            return
        value = str(self.type_combo.itemData(index))
        if value == self._quote.type:
            return
        qid = self._quote.id
        if not self._run(lambda: self._editor.set_type(qid, value)):
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(self._quote.type)))

    def _on_show_quote_clicked(self) -> None:
        if self._quote is not None:
            self.span_focus_requested.emit(self._quote.start, self._quote.end)

    # == hops ===================================================================================

    def _current_hop_row(self) -> int | None:
        idx = self.hop_view.currentIndex()
        return idx.row() if idx.isValid() and idx.row() < self.hop_model.rowCount() else None

    def _add_hop(self, source_id: int) -> None:
        if self._quote is None:
            return
        qid = self._quote.id
        relation = self.relation_combo.currentText().strip()
        if self._run(lambda: self._editor.add_hop(qid, source_id, relation)):
            self.hop_source_edit.clear()
            last = self.hop_model.rowCount() - 1
            if last >= 0:
                self.hop_view.setCurrentIndex(self.hop_model.index(last, HopListModel.SOURCE))

    def _on_hop_source_picked(self, source_id: int) -> None:
        self._add_hop(source_id)

    def _on_hop_source_unknown(self, name: str) -> None:
        self._offer_new_source(name, "hop")

    def _on_hop_from_selection(self) -> None:
        name = self._selected_name("intermediary")
        if name is None:
            return
        found = self._resolve(name)
        if found is False:
            self.hop_source_edit.setText(name)
            self.hop_completer.show_suggestions(name)
            return
        if found is None:
            self._offer_new_source(name, "hop")
            return
        assert isinstance(found, SourceRecord)
        self._add_hop(found.id)

    def _on_remove_hop(self) -> None:
        row = self._current_hop_row()
        if row is None or self._quote is None:
            return
        qid = self._quote.id
        if self._run(lambda: self._editor.remove_hop(qid, row)):
            n = self.hop_model.rowCount()
            if n:
                self.hop_view.setCurrentIndex(self.hop_model.index(min(row, n - 1), HopListModel.SOURCE))
            self._update_hop_actions()

    def _on_move_hop(self, delta: int) -> None:
        row = self._current_hop_row()
        if row is None or self._quote is None:
            return
        dest = row + delta
        if not 0 <= dest < self.hop_model.rowCount():
            return
        qid = self._quote.id
        if self._run(lambda: self._editor.move_hop(qid, row, dest)):
            self._on_hop_moved(row, dest)

    def _on_hop_moved(self, _from: int, to: int) -> None:
        col = max(self.hop_view.currentIndex().column(), HopListModel.SOURCE)
        self.hop_view.setCurrentIndex(self.hop_model.index(to, col))
        self._update_hop_actions()

    def _on_hop_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        hop = self.hop_model.hop(index.row())
        if hop.evidence is not None:
            self.span_focus_requested.emit(*hop.evidence)

    def _on_hop_current_changed(self, *_: object) -> None:
        self._update_hop_actions()

    def _on_evidence_from_selection(self) -> None:
        row = self._current_hop_row()
        if row is None or self._quote is None:
            self._show_error("Choose an intermediary in the list first.")
            return
        span = self._selection("evidence")
        if span is None:
            return
        qid = self._quote.id
        self._run(lambda: self._editor.update_hop(qid, row, evidence=span))

    def _on_clear_evidence(self) -> None:
        row = self._current_hop_row()
        if row is None or self._quote is None:
            return
        qid = self._quote.id
        self._run(lambda: self._editor.update_hop(qid, row, evidence=None))

    # == verification ===========================================================================

    def _on_status_activated(self, index: int) -> None:
        if self._quote is None:
            return
        value = str(self.status_combo.itemData(index))
        if value == self._quote.status:
            return
        qid = self._quote.id
        if not self._run(lambda: self._editor.set_verification(qid, status=value)):
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(self._quote.status)))

    def _on_send_for_review(self) -> None:
        if self._quote is None:
            return
        self.commit_pending()  # what is typed in the note goes with it
        if self._quote is None or self._quote.status == Status.NEEDS_REVIEW.value:
            return
        qid = self._quote.id
        self._run(lambda: self._editor.set_verification(qid, status=Status.NEEDS_REVIEW.value))

    def _commit_text_field(self, name: str) -> None:
        """Save one verification field if it differs from the quote's: one undo step."""
        if self._quote is None:
            return
        if name == "note":
            value = self.note_edit.toPlainText()
        else:
            value = (self.evidence_url_edit if name == "evidence_url" else self.archive_url_edit).text()
        new = value.strip() or None
        if new == (getattr(self._quote, name) or None):
            return
        qid = self._quote.id
        fields: dict[str, Any] = {name: new}  # evidence_url, archive_url or note
        if self._run(lambda: self._editor.set_verification(qid, **fields)) and name == "note":
            self.note_edit.document().setModified(False)

    # == delete =================================================================================

    def _on_delete_clicked(self) -> None:
        if self._quote is None:
            return
        qid = self._quote.id
        self._quote = None  # nothing left to commit
        try:
            self._editor.delete_quote(qid)
        except AnnotatorError as exc:
            self._reload()
            self._show_error(str(exc))
            return
        self._show_empty()
        self.quote_deleted.emit(qid)


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def _day(iso: str) -> str:
    """An audit timestamp (ISO, UTC) as the local date, e.g. ``"2026-11-25"``."""
    try:
        t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    return t.strftime("%Y-%m-%d")


def _when(iso: str) -> str:
    """An audit timestamp (ISO, UTC) as local time, e.g. ``"25 Nov 2026, 10:02"``."""
    try:
        t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    return t.strftime("%d %b %Y, %H:%M")


def _status_of(q: QuoteRecord) -> tuple[str, str | None, str | None]:
    return q.status, q.status_by, q.status_at


def _buddy_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    """A form label whose mnemonic (Alt+letter) focuses ``buddy``."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def _swatch(colour: str) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(QColor(colour))
    return QIcon(pix)


__all__ = ["QuoteInspector"]

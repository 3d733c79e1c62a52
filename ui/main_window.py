"""The main window: library on the left, the article in the middle, the quote inspector on the right,
the quote tables below.

Review mode (View > Review mode, Ctrl+Shift+V, or the "Review" tab beside the quote tables) moves
that panel, on its review tab, to the left and gives it most of the width: the
:class:`~ui.review_view.ReviewView` (queue, chain diagram, warnings, history, verdicts) shows what
the library and the inspector would, so they make room. The article stays on the right: a click on
a box or an arrow of the chain selects its evidence there, and the quote under review is the
window's current quote. Leaving the mode puts the previous layout back.

Data flow (Anki-style): every edit goes through the :class:`~ui.commands.Editor` (one undo step per
user action) and every widget refreshes from the ``editor.changed`` record of what changed. Reads go
to the :class:`~annotator.service.Service`. Nothing is ever pending: each change is in the database
the moment it is made, so there is no Save and the title bar never says "modified".

The window is built without touching the database layer, so it can be shown before SQLAlchemy is
even imported (:meth:`MainWindow.start` opens the database afterwards).
"""

from __future__ import annotations

import functools
import getpass
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.anchoring import step_grapheme, trim_span
from annotator.errors import AnnotatorError
from ui.errors import ErrorReporter
from ui.library import LibraryPanel
from ui.plaintext import one_line, plain_label, tooltip
from ui.quotes_table import AllQuotesPanel, QuoteRow, QuoteTablePanel, chain_text, quote_row
from ui.reader import STATUS_LABELS, STATUSES, ReaderPane, Span, SpanKind, SuggestionMark
from ui.settings import AppSettings
from ui.shortcuts import ShortcutsDialog, key_sequences
from ui.suggestions import (
    AUTO_SUGGEST_LIMIT,
    SuggestionRow,
    SuggestionsPanel,
    suggestion_row,
    visible_rows,
)

if TYPE_CHECKING:
    from annotator.records import QuoteRecord, SourceRecord
    from annotator.service import ArticleSummary, ImportReport, OpResult, Service
    from ui.commands import Editor
    from ui.import_worker import ImportController
    from ui.review_view import ReviewView
    from ui.suggest_worker import SuggestionLoader

log = logging.getLogger(__name__)

APP_TITLE = "Quote Annotator"
SUGGEST_DELAY_MS = 30
"""How long after an article is shown its suggestions are asked for (after the first paint)."""
DECISION_TYPE = "suggestion_decision"
"""The object type of a decision on a suggestion in an operation's changes."""
SAVED_MESSAGE_MS = 4000
DEFAULT_SIZE = (1440, 900)


def default_user_name() -> str:
    """What the name dialog proposes: ``$QUOTE_ANNOTATOR_USER``, else the login name."""
    env = os.environ.get("QUOTE_ANNOTATOR_USER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on this system: propose a neutral one
        return "annotator"


class _EmptyPage(QWidget):
    """What the middle of the window shows before an article is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = plain_label("Opening the database…", self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #555; font-size: 15px;")
        self.import_button = QPushButton("Import articles…", self)
        self.samples_button = QPushButton("Import the sample articles", self)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.message)
        layout.addSpacing(12)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.samples_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.set_message("Opening the database…", buttons=False)

    def set_message(self, text: str, *, buttons: bool) -> None:
        self.message.setText(text)
        self.import_button.setVisible(buttons)
        self.samples_button.setVisible(buttons)


class MainWindow(QMainWindow):
    """The application window. Open a database with :meth:`start` (first-run flow) or
    :meth:`open_database`; everything else follows from the user's actions."""

    database_opened = Signal(str)
    """A database was opened: its URL."""

    article_shown = Signal(int)
    current_quote_changed = Signal(object)
    """The current quote's id, or None."""

    import_finished = Signal(object)
    """An import ended: its :class:`~annotator.service.ImportReport`."""

    def __init__(self, settings: AppSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or AppSettings()
        self.reporter = ErrorReporter(self)
        self._service: Service | None = None
        self._editor: Editor | None = None
        self._db_url: str | None = None
        self._article_id: int | None = None
        self._article_title = ""
        self._outlet: SourceRecord | None = None
        self._quote_id: int | None = None
        self._records: dict[int, QuoteRecord] = {}
        self._sources: dict[int, SourceRecord] = {}
        self._articles: dict[int, ArticleSummary] = {}
        self._all_quotes_dirty = True
        self._import: ImportController | None = None
        self._dialogs: list[QWidget] = []
        self.inspector: Any = None
        self.sources_window: Any = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.export_dialog: Any = None
        self.review_view: ReviewView | None = None
        self._review_mode = False
        self._layout_before_review: Any = None  # the dock layout to go back to (QByteArray)
        self._syncing_four_eyes = False
        self._review_panes_sized = False
        # Suggestions of the current article: every one the service proposed, those shown (not
        # overlapping a quote, and View > Show suggestions on), and the current one (its key).
        # A suggestion and a quote are never current at the same time.
        self._suggest_loader: SuggestionLoader | None = None
        self._suggestion_rows: list[SuggestionRow] = []
        self._shown_suggestions: list[SuggestionRow] = []
        self._suggestion_key: str | None = None
        self._suggestions_pending = False  # asked, no answer yet
        self._suggestions_on_request = False  # a long article: looked for only when asked
        self._long_articles_asked: set[int] = set()
        self.accept_all_dialog: Any = None
        self._inspector_empty_text: str | None = None

        self.setWindowTitle(APP_TITLE)
        self.setObjectName("main_window")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self._build_central()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect_widgets()

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(60)
        self._refresh_timer.timeout.connect(self._on_refresh_timer)
        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self._on_suggest_timer)

        geometry, state = self.settings.window_geometry(), self.settings.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        self._default_layout_pending = state is None or not self.restoreState(state)
        self._update_actions()

    # ==============================================================================================
    # Building
    # ==============================================================================================

    def _build_central(self) -> None:
        self.reader = ReaderPane(self)
        self.reader.setObjectName("reader")
        view = self.reader.view
        # Files dropped on the text go to the window (import), not into the read-only text.
        view.setAcceptDrops(False)
        view.viewport().setAcceptDrops(False)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # The window's Find action owns Ctrl+F; the pane's own F3/Shift+F3 stay, described for the
        # shortcuts dialog.
        for sc in self.reader.findChildren(QShortcut):
            key = sc.key()
            if (
                key.matches(QKeySequence(QKeySequence.StandardKey.Find))
                == QKeySequence.SequenceMatch.ExactMatch
            ):
                sc.setEnabled(False)
            elif key == QKeySequence(Qt.Key.Key_F3):
                sc.setWhatsThis("Find next")
            elif key == QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3):
                sc.setWhatsThis("Find previous")
        self.empty_page = _EmptyPage(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(self.reader)
        self.setCentralWidget(self.stack)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.library = LibraryPanel(self)
        self.library_dock = self._dock(
            "Library", "library_dock", self.library, Qt.DockWidgetArea.LeftDockWidgetArea
        )

        placeholder = plain_label("Open a database to annotate quotes.", self)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        self.inspector_dock = self._dock(
            "Quote", "inspector_dock", placeholder, Qt.DockWidgetArea.RightDockWidgetArea
        )

        self.quotes_panel = QuoteTablePanel(parent=self)
        self.all_quotes_panel = AllQuotesPanel(self)
        self.quote_tabs = QTabWidget(self)
        self.quote_tabs.setDocumentMode(True)
        self.quote_tabs.addTab(self.quotes_panel, "This article")
        self.suggestions_panel = SuggestionsPanel(self)
        self.suggestions_panel.setObjectName("suggestions_panel")
        self.quote_tabs.addTab(self.suggestions_panel, "Suggestions")
        self.quote_tabs.addTab(self.all_quotes_panel, "All quotes")
        # The review view is made when a database opens; its page is here from the start. The page
        # scrolls, so that the review view's size never weighs on the layout of the other tabs (and
        # a small window can still show all of it).
        self.review_page = QScrollArea(self)
        self.review_page.setObjectName("review_page")
        self.review_page.setWidgetResizable(True)
        self.review_page.setFrameShape(QFrame.Shape.NoFrame)
        self.review_page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        container = QWidget(self.review_page)
        self._review_layout = QVBoxLayout(container)
        self._review_layout.setContentsMargins(0, 0, 0, 0)
        self.review_placeholder = plain_label("Open a database to review quotes.", container)
        self.review_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._review_layout.addWidget(self.review_placeholder)
        self.review_page.setWidget(container)
        self.quote_tabs.addTab(self.review_page, "Review")
        self.quote_tabs.setTabToolTip(
            1, "The quotes the tool proposes for this article: Enter accepts one, X rejects it"
        )
        self.quote_tabs.setTabToolTip(
            3, "Review mode: the quotes awaiting review; check each chain, approve it or send it back"
        )
        self.quotes_dock = self._dock(
            "Quotes", "quotes_dock", self.quote_tabs, Qt.DockWidgetArea.BottomDockWidgetArea
        )

        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

    def _apply_default_layout(self) -> None:
        """Dock sizes for a first start (later starts restore the user's own layout)."""
        w, h = self.width(), self.height()
        library = int(min(max(w * 0.22, 260), 400))
        inspector = int(min(max(w * 0.27, 430), 520))
        self.resizeDocks(
            [self.library_dock, self.inspector_dock], [library, inspector], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.quotes_dock], [int(min(max(h * 0.28, 180), 320))], Qt.Orientation.Vertical)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._default_layout_pending:
            self._default_layout_pending = False
            QTimer.singleShot(0, self._apply_default_layout)  # once the window has its real size

    def _action(
        self,
        text: str,
        slot: Callable[[], Any] | None = None,
        *,
        keys: str | None = None,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        act = QAction(text, self)
        if keys:
            act.setShortcuts(key_sequences(keys))
            act.setObjectName(keys)
        if tip:
            act.setStatusTip(tip)
            keys_text = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{text.replace('&', '').rstrip('…')} ({keys_text})" if keys else tip)
        act.setCheckable(checkable)
        if slot is not None:
            act.triggered.connect(lambda _checked=False, fn=slot: self._run(fn))
        return act

    def _build_actions(self) -> None:
        a = self._action
        # File
        self.new_db_action = a(
            "&New database…",
            self.new_database,
            keys="new_database",
            tip="Create an empty database file and switch to it",
        )
        self.open_db_action = a(
            "&Open database…", self.choose_database, keys="open_database", tip="Open another database file"
        )
        self.open_url_action = a(
            "Open database &URL…",
            self.choose_database_url,
            tip="Open a database by URL, e.g. a shared PostgreSQL server",
        )
        self.import_action = a(
            "&Import articles…",
            self.choose_import_files,
            keys="import",
            tip="Import article files (.txt, .html)",
        )
        self.import_folder_action = a(
            "Import &folder…", self.choose_import_folder, tip="Import every article file in a folder"
        )
        self.export_action = a(
            "&Export verified quotes…",
            self.open_export_dialog,
            keys="export",
            tip="Write verified quotes to an XML quote set or a CSV file",
        )
        self.user_action = a("Your &name…", self.change_user_name, tip="The name written into the audit log")
        self.quit_action = a("&Quit", self.close, keys="quit")
        # Edit (undo/redo come from the editor's stack once a database is open)
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.undo_action.setEnabled(False)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        self.redo_action.setEnabled(False)
        self.find_action = a(
            "&Find in article", self.find_in_article, keys="find", tip="Search the article text"
        )
        self.quote_marks_action = a(
            "Include quotation &marks in quotes",
            None,
            checkable=True,
            tip="When on, a marked quote takes in the quotation marks around it; when off, "
            "it never holds them",
        )
        self.quote_marks_action.setChecked(self.settings.include_quote_marks)
        self.quote_marks_action.toggled.connect(self._on_quote_marks_toggled)
        # Quote
        self.mark_action = a(
            "&Mark quote", self.mark_quote, keys="mark_quote", tip="Make the selected text a quote"
        )
        self.set_span_action = a(
            "&Set span from selection",
            self.set_span_from_selection,
            keys="set_span",
            tip="Move the current quote to the selected text",
        )
        self.cue_action = a(
            "Use selection as &cue",
            self.use_selection_as_cue,
            keys="use_as_cue",
            tip="The selected words introduce the current quote (said, according to…)",
        )
        self.nudge_actions = [
            a("Move start &left", lambda: self.nudge("start", -1), keys="nudge_start_left"),
            a("Move start &right", lambda: self.nudge("start", +1), keys="nudge_start_right"),
            a("Move end l&eft", lambda: self.nudge("end", -1), keys="nudge_end_left"),
            a("Move end ri&ght", lambda: self.nudge("end", +1), keys="nudge_end_right"),
        ]
        self.delete_action = a(
            "&Delete quote",
            self.delete_quote,
            keys="delete_quote",
            tip="Delete the current quote (Undo brings it back)",
        )
        # Delete acts where quotes are (the article, the quote tables), not in the inspector, whose
        # intermediaries list has its own Delete.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stack.addAction(self.delete_action)
        self.quotes_panel.addAction(self.delete_action)
        self.all_quotes_panel.addAction(self.delete_action)
        # Suggestions. Tab, Shift+Tab and Enter act in the article only (elsewhere they move the
        # focus or activate); accept and reject act in the Suggestions tab too. Delete rejects the
        # current suggestion or deletes the current quote: never both are current, and only the
        # action for the one that is current is enabled, so the key is never ambiguous.
        self.next_suggestion_action = a(
            "&Next suggestion", lambda: self.step_suggestion(+1), keys="next_suggestion"
        )
        self.previous_suggestion_action = a(
            "&Previous suggestion", lambda: self.step_suggestion(-1), keys="previous_suggestion"
        )
        self.accept_suggestion_action = a(
            "&Accept suggestion",
            self.accept_suggestion,
            keys="accept_suggestion",
            tip="Make the current suggestion a quote with its chain, then check it in the inspector",
        )
        self.reject_suggestion_action = a(
            "&Reject suggestion",
            self.reject_suggestion,
            keys="reject_suggestion",
            tip="Reject the current suggestion: it is not proposed again for this article "
            "(Undo brings it back)",
        )
        self.accept_all_action = a(
            "Accept all &above a confidence…",
            self.accept_suggestions_above,
            tip="Create every suggestion above a confidence as quotes, in one step (Undo takes them back)",
        )
        self.show_suggestions_action = a(
            "Show su&ggestions",
            None,
            checkable=True,
            tip="Outline the quotes the tool proposes in the article and list them in the Suggestions tab",
        )
        self.show_suggestions_action.setChecked(self.settings.show_suggestions)
        self.show_suggestions_action.toggled.connect(self._on_show_suggestions_toggled)
        reader_view = self.reader.view
        for act in (self.next_suggestion_action, self.previous_suggestion_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            reader_view.addAction(act)
        for act in (self.accept_suggestion_action, self.reject_suggestion_action):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            reader_view.addAction(act)  # not the find bar below it: there Enter finds the next match
            self.suggestions_panel.addAction(act)
        self.status_actions: dict[str, QAction] = {}
        self.status_group = QActionGroup(self)
        for i, status in enumerate(STATUSES, start=1):
            act = a(
                STATUS_LABELS[status].capitalize(),
                functools.partial(self.set_status, status),
                keys=f"status_{i}",
                checkable=True,
                tip=f"Set the current quote's status to {STATUS_LABELS[status]}",
            )
            self.status_group.addAction(act)
            self.status_actions[status] = act
        # View / navigate
        self.next_action = a("&Next quote", lambda: self.step_quote(+1), keys="next_quote")
        self.previous_action = a("&Previous quote", lambda: self.step_quote(-1), keys="previous_quote")
        self.focus_library_action = a("Go to &library", self.focus_library, keys="focus_library")
        self.focus_reader_action = a("Go to &article", self.focus_reader, keys="focus_reader")
        self.focus_quotes_action = a("Go to &quotes table", self.focus_quotes, keys="focus_quotes")
        self.focus_inspector_action = a(
            "Go to &inspector (speaker)", self.focus_inspector, keys="focus_inspector"
        )
        self.focus_all_action = a("Go to all quotes &search", self.focus_all_quotes, keys="focus_all_quotes")
        self.reload_action = a(
            "Re&load from the database",
            self.reload_from_database,
            keys="reload",
            tip="Show what others changed in a shared database: articles, quotes, verdicts, settings",
        )
        self.review_mode_action = a(
            "&Review mode",
            None,
            keys="review_mode",
            checkable=True,
            tip="Review the quotes awaiting review: the queue, each chain with its history, the verdicts",
        )
        self.review_mode_action.toggled.connect(self._on_review_mode_toggled)
        # Tools, Help
        self.sources_action = a(
            "&Sources…",
            self.open_sources_window,
            keys="sources",
            tip="The source registry: edit, alias and merge sources",
        )
        self.audit_action = a(
            "&Verify audit log…",
            self.verify_audit_log,
            keys="verify_audit",
            tip="Check the audit log's hash chain, and that the database matches it",
        )
        self.four_eyes_action = a(
            "&Four-eyes rule",
            None,
            checkable=True,
            tip="When on, nobody can approve a chain they last edited themselves (a setting of this "
            "database; changing it is recorded in the audit log)",
        )
        self.four_eyes_action.toggled.connect(self._on_four_eyes_toggled)
        self.shortcuts_action = a("&Keyboard shortcuts", self.show_shortcuts, keys="shortcuts")
        self.about_action = a("&About Quote Annotator", self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_db_action)
        file_menu.addAction(self.open_db_action)
        file_menu.addAction(self.open_url_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.import_folder_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.user_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu

        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(self.find_action)
        edit.addSeparator()
        edit.addAction(self.quote_marks_action)
        self.edit_menu = edit

        quote = bar.addMenu("&Quote")
        quote.addAction(self.mark_action)
        quote.addAction(self.set_span_action)
        quote.addAction(self.cue_action)
        nudge = quote.addMenu("Adjust &span")
        nudge.addActions(self.nudge_actions)
        quote.addSeparator()
        status = quote.addMenu("S&tatus")
        status.addActions(list(self.status_actions.values()))
        quote.addSeparator()
        quote.addAction(self.delete_action)
        self.quote_menu = quote

        suggestions = bar.addMenu("Su&ggestions")
        suggestions.addAction(self.next_suggestion_action)
        suggestions.addAction(self.previous_suggestion_action)
        suggestions.addSeparator()
        suggestions.addAction(self.accept_suggestion_action)
        suggestions.addAction(self.reject_suggestion_action)
        suggestions.addSeparator()
        suggestions.addAction(self.accept_all_action)
        suggestions.addSeparator()
        suggestions.addAction(self.show_suggestions_action)
        self.suggestions_menu = suggestions

        view = bar.addMenu("&View")
        view.addAction(self.next_action)
        view.addAction(self.previous_action)
        view.addSeparator()
        for act in (
            self.focus_library_action,
            self.focus_reader_action,
            self.focus_quotes_action,
            self.focus_inspector_action,
            self.focus_all_action,
        ):
            view.addAction(act)
        view.addSeparator()
        view.addAction(self.show_suggestions_action)
        view.addAction(self.review_mode_action)
        view.addAction(self.reload_action)
        view.addSeparator()
        panels = view.addMenu("&Panels")
        for dock in (self.library_dock, self.inspector_dock, self.quotes_dock):
            panels.addAction(dock.toggleViewAction())
        self.view_menu = view

        tools = bar.addMenu("T&ools")  # Alt+T is the inspector's Status field
        tools.addAction(self.sources_action)
        tools.addSeparator()
        tools.addAction(self.audit_action)
        tools.addAction(self.four_eyes_action)
        tools.aboutToShow.connect(self._sync_four_eyes)  # show the database's setting as it is now
        self.tools_menu = tools
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main", self)
        tb.setObjectName("main_toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addAction(self.import_action)
        tb.addSeparator()
        tb.addAction(self.mark_action)
        tb.addAction(self.cue_action)
        tb.addAction(self.set_span_action)
        tb.addAction(self.delete_action)
        tb.addSeparator()
        tb.addAction(self.undo_action)
        tb.addAction(self.redo_action)
        tb.addSeparator()
        tb.addAction(self.sources_action)
        tb.addAction(self.export_action)
        tb.addSeparator()
        tb.addAction(self.review_mode_action)
        self.toolbar = tb
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.counts_label = plain_label("", self)
        self.user_label = plain_label("", self)
        self.db_label = plain_label("No database", self)
        for w in (self.counts_label, self.user_label, self.db_label):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)

    def _connect_widgets(self) -> None:
        self.library.article_chosen.connect(self._on_article_chosen)
        view = self.reader.view
        view.quote_clicked.connect(self._on_quote_clicked)
        view.selection_changed.connect(self._on_reader_selection_changed)
        view.customContextMenuRequested.connect(self._on_reader_context_menu_requested)
        view.suggestion_clicked.connect(self._on_suggestion_clicked)
        self.suggestions_panel.suggestion_selected.connect(self._on_table_suggestion_selected)
        self.suggestions_panel.find_button.clicked.connect(lambda: self._run(self.find_suggestions))
        self.quotes_panel.quote_selected.connect(self._on_table_quote_selected)
        self.quotes_panel.quote_activated.connect(self._on_table_quote_activated)
        self.all_quotes_panel.quote_activated.connect(self._on_table_quote_activated)
        self.quote_tabs.currentChanged.connect(self._on_quote_tab_changed)
        self.current_quote_changed.connect(self._on_current_quote_changed)
        self.empty_page.import_button.clicked.connect(lambda: self._run(self.choose_import_files))
        self.empty_page.samples_button.clicked.connect(lambda: self._run(self.import_samples))

    # ==============================================================================================
    # Helpers
    # ==============================================================================================

    def _run(self, fn: Callable[[], Any]) -> Any:
        """Run a user action; a refused one (AnnotatorError) becomes a calm warning."""
        try:
            return fn()
        except AnnotatorError as exc:
            log.info("refused: %s", exc)
            self.reporter.warn(str(exc))
            return None

    def _hint(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    @property
    def service(self) -> Service | None:
        return self._service

    @property
    def editor(self) -> Editor | None:
        return self._editor

    @property
    def database_url(self) -> str | None:
        return self._db_url

    def current_article_id(self) -> int | None:
        return self._article_id

    def current_quote_id(self) -> int | None:
        return self._quote_id

    def quote_records(self) -> list[QuoteRecord]:
        """The current article's quotes, in text order."""
        return sorted(self._records.values(), key=lambda r: (r.start, r.end, r.id))

    def _update_actions(self) -> None:
        has_db = self._service is not None
        has_article = self._article_id is not None
        has_quote = self._quote_id is not None and self._quote_id in self._records
        for act in (
            self.import_action,
            self.import_folder_action,
            self.export_action,
            self.sources_action,
            self.user_action,
            self.reload_action,
            self.review_mode_action,
            self.audit_action,
            self.four_eyes_action,
        ):
            act.setEnabled(has_db)
        for act in (self.mark_action, self.find_action, self.next_action, self.previous_action):
            act.setEnabled(has_article)
        for act in (
            self.set_span_action,
            self.cue_action,
            self.delete_action,
            *self.nudge_actions,
            *self.status_actions.values(),
        ):
            act.setEnabled(has_quote)
        shown = bool(self._shown_suggestions)
        for act in (self.next_suggestion_action, self.previous_suggestion_action, self.accept_all_action):
            act.setEnabled(has_article and shown)
        has_suggestion = self._current_suggestion() is not None
        for act in (self.accept_suggestion_action, self.reject_suggestion_action):
            act.setEnabled(has_suggestion)
        record = self._records.get(self._quote_id) if self._quote_id is not None else None
        if has_quote and record is not None:
            self.status_actions[record.status].setChecked(True)
        else:
            checked = self.status_group.checkedAction()
            if checked is not None:
                self.status_group.setExclusive(False)
                checked.setChecked(False)
                self.status_group.setExclusive(True)

    def _update_title(self) -> None:
        parts = [APP_TITLE]
        if self._article_id is not None and self._article_title:
            parts.insert(0, one_line(self._article_title, 80))
        if self._db_url:
            parts.append(self._db_name())
        self.setWindowTitle(" — ".join(parts))

    def _db_name(self) -> str:
        from annotator.db import describe_url

        url = self._db_url or ""
        if url.startswith("sqlite:///"):
            return Path(url[len("sqlite:///") :]).name
        return describe_url(url)

    # ==============================================================================================
    # Database
    # ==============================================================================================

    def start(self, url: str | None = None) -> bool:
        """The start-up flow: ask the user's name once (first run), open the database (``--db``,
        else ``$QUOTE_ANNOTATOR_DB``, else the default file), and import the sample articles into
        an empty database so a newcomer sees something."""
        if self.settings.user_name is None:
            self.ask_user_name()
        if not self.open_database(url):
            self.empty_page.set_message(
                "The database could not be opened. Use File > Open database… or File > New database….",
                buttons=False,
            )
            return False
        assert self._service is not None
        if not self._articles:
            from annotator.paths import sample_articles_dir

            samples = sample_articles_dir()
            if samples.is_dir():
                log.info("empty database: importing the sample articles from %s", samples)
                self._hint("A new database: importing the sample articles…")
                self.import_paths([samples])
        return True

    def ask_user_name(self) -> str:
        """Ask for the name written into the audit log (prefilled with the login name); kept in settings."""
        proposed = self.settings.user_name or default_user_name()
        name, ok = QInputDialog.getText(
            self,
            "Your name",
            "Every change you make is recorded in the database's audit log with your name.\n\nYour name:",
            QLineEdit.EchoMode.Normal,
            proposed,
        )
        name = name.strip() if ok and name and name.strip() else proposed
        self.settings.user_name = name
        self.settings.sync()
        return name

    def change_user_name(self) -> None:
        name = self.ask_user_name()
        if self._service is not None:
            self._service.user = name
        self._update_status_labels()
        self._hint(f"From now on your changes are recorded as {name}.")

    def open_database(self, url: str | None = None, *, user: str | None = None) -> bool:
        """Open (creating and upgrading as needed) a database and show its library. False if it could not."""
        from annotator.db import Database, describe_url, resolve_url
        from annotator.service import Service
        from ui.commands import Editor

        started = time.perf_counter()
        resolved = resolve_url(url)
        user = (user or self.settings.user_name or default_user_name()).strip()
        self.statusBar().showMessage(f"Opening {describe_url(resolved)}…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            db = Database.open(resolved)
        except AnnotatorError as exc:
            self.statusBar().clearMessage()
            self.reporter.warn(f"Could not open the database {describe_url(resolved)}: {exc}")
            return False
        except Exception as exc:  # noqa: BLE001 - a bad file or URL is the user's to fix, not a crash
            log.exception("could not open %s", describe_url(resolved))
            self.statusBar().clearMessage()
            self.reporter.warn(f"Could not open the database {describe_url(resolved)}:\n{exc}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.close_database()
        self._db_url = resolved
        self._service = Service(db, user=user)
        self._editor = Editor(self._service, self)
        self._editor.changed.connect(self._on_editor_changed)
        self._editor.failed.connect(self._on_editor_failed)
        self._install_undo_actions()
        self._create_suggestion_loader()
        self._create_inspector()
        self._create_review_view()
        self._sync_four_eyes()
        self._sources = {s.id: s for s in self._service.sources()}
        self._refresh_library()
        self.settings.add_recent_database(_url_for_settings(resolved))
        self._update_status_labels()
        if db.read_only is not None:  # kept in view: every change will be refused
            self.statusBar().showMessage(f"Opened {describe_url(resolved)} read-only: {db.read_only}")
        else:
            self.statusBar().showMessage(f"Opened {describe_url(resolved)}", 3000)
        log.info(
            "opened %s as %s in %.0f ms", describe_url(resolved), user, (time.perf_counter() - started) * 1000
        )

        last = self.settings.last_article(resolved)
        if last is not None and last in self._articles:
            self.show_article(last)
        else:
            first = self._first_article_in_library()
            if first is not None:
                self.show_article(first)
            else:
                self._show_empty()
        self._update_actions()
        self._update_title()
        self.database_opened.emit(resolved)
        return True

    def _db_name_full(self) -> str:
        from annotator.db import describe_url

        return describe_url(self._db_url) if self._db_url else ""

    def close_database(self) -> None:
        """Close the open database (if any): its editor, inspector and sources window go with it.
        What is typed in the inspector but not committed yet is saved first."""
        if self.inspector is not None and self._service is not None:
            self.inspector.commit_pending()
        if self._import is not None and self._import.is_running():
            self._import.wait()
        self._import = None
        if self._suggest_loader is not None:
            self._suggest_loader.close()
            self._suggest_loader.deleteLater()
            self._suggest_loader = None
        self._set_suggestion_rows([])
        if self.export_dialog is not None:
            self.export_dialog.stop_export()
        self.set_review_mode(False)
        if self.review_view is not None:
            self.review_view.hide()
            self.review_view.deleteLater()
            self.review_view = None
            self.review_placeholder.show()
        if self.sources_window is not None:
            self.sources_window.close()
            self.sources_window.deleteLater()
            self.sources_window = None
        if self._editor is not None:
            self._editor.changed.disconnect(self._on_editor_changed)
            self._editor.failed.disconnect(self._on_editor_failed)
            self._editor.undo_stack.clear()
            self._editor.deleteLater()
            self._editor = None
        if self._service is not None:
            self._service.db.close()
            self._service = None
        self._db_url = None
        self._article_id = None
        self._quote_id = None
        self._records = {}
        self._articles = {}
        self._update_actions()

    def _install_undo_actions(self) -> None:
        assert self._editor is not None
        stack = self._editor.undo_stack
        undo = stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        redo = stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        for old, new in ((self.undo_action, undo), (self.redo_action, redo)):
            for w in (self.edit_menu, self.toolbar):
                w.insertAction(old, new)
                w.removeAction(old)
            old.setParent(None)  # gone at once, not at the next event loop pass (shortcut lists)
            old.deleteLater()
        self.undo_action, self.redo_action = undo, redo

    def _create_inspector(self) -> None:
        from ui.inspector import QuoteInspector

        assert self._editor is not None
        old = self.inspector_dock.widget()
        self.inspector = QuoteInspector(self._editor, self._reader_selection, self.inspector_dock)
        self._inspector_empty_text = None
        self.inspector.setObjectName("inspector")
        self.inspector_dock.setWidget(self.inspector)
        if old is not None:
            old.deleteLater()
        needed = min(self.inspector.sizeHint().width(), 520)  # its form does not scroll sideways
        if self.isVisible() and self.inspector_dock.isVisible() and self.inspector_dock.width() < needed:
            self.resizeDocks([self.inspector_dock], [needed], Qt.Orientation.Horizontal)
        self.inspector.span_focus_requested.connect(self._on_span_focus_requested)
        self.inspector.quote_deleted.connect(self._on_inspector_quote_deleted)

    def _create_review_view(self) -> None:
        from ui.review_view import ReviewView

        assert self._editor is not None
        # Nothing is read until the reviewer opens the tab.
        view = ReviewView(self._editor, self.review_page.widget(), load=False)
        view.setObjectName("review_view")
        self.review_placeholder.hide()
        self._review_layout.addWidget(view)
        view.quote_selected.connect(self._on_review_quote_selected)
        view.span_focus_requested.connect(self._on_review_span_requested)
        view.verdict_given.connect(self._on_verdict_given)
        self.review_view = view
        self._review_panes_sized = False

    def _reader_selection(self) -> tuple[int, int] | None:
        """What the inspector calls to use the reader's selection (code points)."""
        if self._article_id is None:
            return None
        return self.reader.view.selected_range()

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "New database",
            str(Path.home() / "annotations.sqlite3"),
            "SQLite databases (*.sqlite3 *.sqlite *.db)",
        )
        if not path:
            return
        p = Path(path)
        if p.exists():
            self.reporter.warn(f"{p} already exists: use File > Open database… to open it.")
            return
        self.open_database(str(p))

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open database",
            str(Path.home()),
            "SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        )
        if path:
            self.open_database(path)

    def choose_database_url(self) -> None:
        url, ok = QInputDialog.getText(
            self,
            "Open database URL",
            "A SQLAlchemy URL, e.g. postgresql://user@host/newsroom\n(passwords are not remembered):",
        )
        if ok and url.strip():
            self.open_database(url.strip())

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_databases
        if not recent:
            act = self.recent_menu.addAction("No recent databases")
            act.setEnabled(False)
            return
        for url in recent:
            label = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url
            act = self.recent_menu.addAction(label)
            act.triggered.connect(lambda _checked=False, u=url: self._run(lambda: self.open_database(u)))

    # ==============================================================================================
    # Library and articles
    # ==============================================================================================

    def _refresh_library(self) -> None:
        if self._service is None:
            return
        summaries = self._service.articles()
        self._articles = {s.article.id: s for s in summaries}
        self.library.set_articles(summaries)
        self._update_status_labels()
        self._all_quotes_dirty = True
        if self._all_quotes_visible():
            self._refresh_all_quotes()

    def _first_article_in_library(self) -> int | None:
        proxy = self.library.proxy
        if proxy.rowCount() == 0:
            return None
        from ui.library import ID_ROLE

        return int(proxy.data(proxy.index(0, 0), ID_ROLE))

    def _show_empty(self) -> None:
        self._article_id = None
        self._records = {}
        self._set_suggestion_rows([])
        self.reader.set_article("", [])
        self.quotes_panel.set_rows([])
        self.stack.setCurrentWidget(self.empty_page)
        if self._service is not None and not self._articles:
            self.empty_page.set_message(
                "This database has no articles yet.\n\nDrop article files or folders here, or import them.",
                buttons=True,
            )
        else:
            self.empty_page.set_message("Choose an article in the library.", buttons=False)
        self._update_actions()
        self._update_title()

    def _on_article_chosen(self, article_id: int) -> None:
        if article_id != self._article_id:
            self._run(lambda: self.show_article(article_id))

    def show_article(self, article_id: int, *, quote_id: int | None = None) -> None:
        """Show an article in the reader with its quotes; optionally select one of them."""
        assert self._service is not None
        svc = self._service
        started = time.perf_counter()
        article = svc.article(article_id)
        text = svc.article_text(article_id)
        records = svc.quotes(article_id)
        self._article_id = article_id
        self._article_title = article.title
        if article.outlet_id is not None:
            self._ensure_sources([article.outlet_id])
        self._outlet = self._sources.get(article.outlet_id) if article.outlet_id is not None else None
        self._records = {r.id: r for r in records}
        self._quote_id = None
        self._ensure_sources({i for r in records for i in r.chain_source_ids})
        spans: list[Span] = []
        rows: list[QuoteRow] = []
        for r in records:  # one pass, each chain worded once; the sources were ensured above
            chain = chain_text(r, self._sources, self._outlet)
            spans.extend(self._build_spans(r, chain))
            rows.append(self._build_row(r, chain))
        # The old article's suggestions: their offsets are not this text's (the reader drops its own).
        self._suggestion_rows, self._shown_suggestions, self._suggestion_key = [], [], None
        self.reader.set_article(text, spans)
        self._request_suggestions()  # in a worker thread: the reader shows them when they come
        self.stack.setCurrentWidget(self.reader)
        self.quotes_panel.set_rows(rows)
        self._update_quote_tab_title()
        self.library.select_article(article_id)
        if self.inspector is not None:
            self.inspector.set_quote(None)
        if self._db_url:
            self.settings.set_last_article(self._db_url, article_id)
        self._update_actions()
        self._update_title()
        log.debug("article %s shown in %.0f ms", article_id, (time.perf_counter() - started) * 1000)
        self.article_shown.emit(article_id)
        if quote_id is not None:
            self.select_quote(quote_id, reveal=True)
        else:
            self.current_quote_changed.emit(None)

    def _update_quote_tab_title(self) -> None:
        n = len(self._records)
        self.quote_tabs.setTabText(0, f"This article ({n})")

    def _ensure_sources(self, ids: Iterable[int]) -> None:
        """Reload the source names when a quote names a source this window has not seen (made by
        someone else on a shared database, or by a script)."""
        if self._service is not None and any(i not in self._sources for i in ids):
            self._sources = {s.id: s for s in self._service.sources()}

    def _row(self, r: QuoteRecord, chain: str | None = None) -> QuoteRow:
        self._ensure_sources(r.chain_source_ids)
        return self._build_row(r, chain)

    def _build_row(self, r: QuoteRecord, chain: str | None = None) -> QuoteRow:
        return quote_row(
            r, self._sources, outlet=self._outlet, article_title=self._article_title, chain=chain
        )

    def _spans(self, r: QuoteRecord, chain: str | None = None) -> list[Span]:
        self._ensure_sources(r.chain_source_ids)
        return self._build_spans(r, chain)

    def _build_spans(self, r: QuoteRecord, chain: str | None = None) -> list[Span]:
        """The reader's spans for one quote: the quote, its cue, its hops' evidence."""
        if chain is None:
            chain = chain_text(r, self._sources, self._outlet)
        spans = [Span(r.start, r.end, SpanKind.QUOTE, r.id, r.status, f"{chain}\n{r.type} quote")]
        if r.cue is not None:
            spans.append(
                Span(r.cue[0], r.cue[1], SpanKind.CUE, r.id, r.status, f"introduces the quote of {chain}")
            )
        for h in r.hops:
            if h.evidence is not None:
                who = self._sources[h.source_id].label if h.source_id in self._sources else f"#{h.source_id}"
                spans.append(
                    Span(
                        h.evidence[0], h.evidence[1], SpanKind.EVIDENCE, r.id, r.status, f"{h.relation} {who}"
                    )
                )
        return spans

    # ==============================================================================================
    # Current quote
    # ==============================================================================================

    def select_quote(self, quote_id: int | None, *, reveal: bool = False) -> None:
        """Make ``quote_id`` (of the current article) the current quote everywhere: reader emphasis,
        table row, inspector. ``reveal`` scrolls the reader to it when it is out of view."""
        if quote_id is not None and quote_id not in self._records:
            return
        if quote_id is not None:
            self._set_current_suggestion(None)  # a quote is current now, not a suggestion
        changed = quote_id != self._quote_id
        self._quote_id = quote_id
        self.reader.view.set_current_quote(quote_id)
        self.quotes_panel.select_quote(quote_id)
        self.all_quotes_panel.select_quote(quote_id)
        if self.inspector is not None and changed:
            self.inspector.set_quote(quote_id)
        if reveal and quote_id is not None:
            self._reveal(self._records[quote_id].start)
        self._update_actions()
        if changed:
            self.current_quote_changed.emit(quote_id)

    def _reveal(self, position: int) -> None:
        """Scroll the reader so code point ``position`` shows, centred if it was out of view."""
        view = self.reader.view
        bar = view.verticalScrollBar()
        before = bar.value()
        view.select_range(position, position)
        if bar.value() != before:
            view.centerCursor()

    def step_quote(self, direction: int) -> None:
        """Go to the next (+1) or previous (-1) quote in text order."""
        quotes = self.quote_records()
        if not quotes:
            self._hint("This article has no quotes yet.")
            return
        ids = [r.id for r in quotes]
        if self._quote_id in ids:
            i = ids.index(self._quote_id) + direction
            if not 0 <= i < len(ids):
                self._hint(
                    "No more quotes in this direction." if direction > 0 else "This is the first quote."
                )
                return
        else:
            pos = self.reader.view.cursor_position()
            starts = [r.start for r in quotes]
            if direction > 0:
                i = next((k for k, s in enumerate(starts) if s >= pos), len(ids) - 1)
            else:
                i = next((k for k in range(len(starts) - 1, -1, -1) if starts[k] < pos), 0)
        self.select_quote(ids[i], reveal=True)

    def _on_quote_clicked(self, quote_id: int) -> None:
        self.select_quote(quote_id)

    def _on_table_quote_selected(self, quote_id: int) -> None:
        self.select_quote(quote_id, reveal=True)

    def _on_table_quote_activated(self, quote_id: int) -> None:
        """Double-click or Enter in a table: show the quote's article and span in the reader."""

        def go() -> None:
            row = self.quotes_panel.model.quote_by_id(quote_id) or self.all_quotes_panel.model.quote_by_id(
                quote_id
            )
            if row is None:
                return
            if row.article_id != self._article_id:
                self.show_article(row.article_id)
            self.select_quote(quote_id, reveal=True)
            self.reader.view.setFocus(Qt.FocusReason.OtherFocusReason)

        self._run(go)

    def _on_span_focus_requested(self, start: int, end: int) -> None:
        if self._article_id is not None:
            self.reader.view.select_range(start, end)

    def _on_inspector_quote_deleted(self, quote_id: int) -> None:
        if self._quote_id == quote_id:
            self.select_quote(None)

    def _on_reader_selection_changed(self, start: int, end: int) -> None:
        if start >= 0:
            n = end - start
            self.statusBar().showMessage(
                f"Selected {n} character{'s' if n != 1 else ''} ({start}–{end}). Q marks it as a quote.", 4000
            )

    def _on_reader_context_menu_requested(self, pos: QPoint) -> None:
        view = self.reader.view
        quote_id = view.quote_at(pos)
        if quote_id is not None and quote_id != self._quote_id:
            self.select_quote(quote_id)
        menu = view.createStandardContextMenu(pos)
        first = menu.actions()[0] if menu.actions() else None
        ours: list[QAction] = [self.mark_action, self.set_span_action, self.cue_action, self.delete_action]
        if first is None:
            menu.addActions(ours)
        else:
            menu.insertActions(first, ours)
            menu.insertSeparator(first)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.reader_context_menu = menu
        menu.popup(view.viewport().mapToGlobal(pos))

    # ==============================================================================================
    # Edits (each one undo step through the editor)
    # ==============================================================================================

    def _selection_span(self, *, quote_marks: bool | None) -> tuple[int, int] | None:
        """The reader's selection, trimmed (white space; quotation marks as ``quote_marks`` says)."""
        rng = self.reader.view.selected_range()
        if rng is None:
            return None
        s, e = trim_span(self.reader.view.text(), *rng, include_quote_marks=quote_marks)
        if s >= e:
            self.reporter.warn(
                "The selection holds only spaces or quotation marks: select the words themselves."
            )
            return None
        return s, e

    def mark_quote(self) -> None:
        """Make the reader's selection a quote (trimmed, type guessed by the core), select it and put
        the keyboard in the inspector's speaker field."""
        if self._article_id is None or self._editor is None:
            return
        if self.reader.view.selected_range() is None:
            self._hint("Select the quote's words in the article first, then press Q.")
            return
        span = self._selection_span(quote_marks=self.settings.include_quote_marks)
        if span is None:
            return
        result = self._editor.create_quote(self._article_id, *span)
        quote_id = result.quote.id
        self.reader.view.select_range(
            span[1], span[1]
        )  # drop the selection: a second Q must not mark it again
        self.select_quote(quote_id)
        self.focus_inspector()

    def set_span_from_selection(self) -> None:
        if self._quote_id is None or self._editor is None:
            return
        if self.reader.view.selected_range() is None:
            self._hint("Select the quote's new text in the article first.")
            return
        span = self._selection_span(quote_marks=self.settings.include_quote_marks)
        if span is not None:
            self._editor.set_span(self._quote_id, *span)

    def use_selection_as_cue(self) -> None:
        if self._quote_id is None or self._editor is None:
            return
        if self.reader.view.selected_range() is None:
            self._hint("Select the words that introduce the quote (said, according to…) first.")
            return
        span = self._selection_span(quote_marks=None)
        if span is not None:
            self._editor.set_cue(self._quote_id, span)

    def nudge(self, edge: str, delta: int) -> None:
        """Move the current quote's start or end by ``delta`` user-perceived characters."""
        if self._quote_id is None or self._editor is None:
            return
        r = self._records[self._quote_id]
        start, end = r.start, r.end
        text = self.reader.view.text()
        # By whole characters: a span never cuts a joined emoji or a letter from its accent.
        if edge == "start":
            start = step_grapheme(text, start, delta)
        else:
            end = step_grapheme(text, end, delta)
        if (start, end) != (r.start, r.end):
            self._editor.set_span(r.id, start, end)

    def delete_quote(self) -> None:
        if self._quote_id is None or self._editor is None:
            return
        r = self._records[self._quote_id]
        self._editor.delete_quote(r.id)
        self._hint(f"Deleted the quote “{one_line(r.text, 60)}”. Undo (Ctrl+Z) brings it back.")
        following = [q for q in self.quote_records() if (q.start, q.end, q.id) > (r.start, r.end, r.id)]
        if following:  # go on with the next quote, as in any list
            self.select_quote(following[0].id)

    def set_status(self, status: str) -> None:
        if self._quote_id is None or self._editor is None:
            return
        try:
            if self._records[self._quote_id].status != status:
                self._editor.set_verification(self._quote_id, status=status)
        finally:
            self._update_actions()  # a refused status leaves the menu showing the real one

    def _on_quote_marks_toggled(self, checked: bool) -> None:
        self.settings.include_quote_marks = checked

    # ==============================================================================================
    # Suggestions
    # ==============================================================================================

    def _create_suggestion_loader(self) -> None:
        from ui.suggest_worker import SuggestionLoader

        assert self._db_url is not None and self._service is not None
        loader = SuggestionLoader(self._db_url, self._service.user, self)
        loader.ready.connect(self._on_suggestions_ready)
        loader.failed.connect(self._on_suggestions_failed)
        self._suggest_loader = loader

    @property
    def suggestion_loader(self) -> SuggestionLoader | None:
        return self._suggest_loader

    def suggestions_shown(self) -> list[SuggestionRow]:
        """The suggestions outlined in the reader and listed in the Suggestions tab, in text order."""
        return list(self._shown_suggestions)

    def suggestions_pending(self) -> bool:
        """The current article's suggestions were asked for and have not come yet."""
        return self._suggestions_pending

    def current_suggestion_key(self) -> str | None:
        return self._suggestion_key

    def _current_suggestion(self) -> SuggestionRow | None:
        key = self._suggestion_key
        if key is None:
            return None
        return next((r for r in self._shown_suggestions if r.key == key), None)

    def _request_suggestions(self) -> None:
        """Ask the worker for the current article's suggestions (the window goes on at once)."""
        loader, aid = self._suggest_loader, self._article_id
        self._suggestions_on_request = False
        if loader is None or aid is None or not self.show_suggestions_action.isChecked():
            self._suggestions_pending = False
            self._refresh_suggestions()
            return
        if len(self.reader.view.text()) > AUTO_SUGGEST_LIMIT and aid not in self._long_articles_asked:
            # Seconds of work in the background, slowing the window meanwhile: only when asked.
            self._suggestions_pending = False
            self._suggestions_on_request = True
            self._refresh_suggestions()
            return
        self._suggestions_pending = True
        # Asked once the window has shown the article: the worker's Python would compete for the
        # GIL with the rest of show_article and the first paint. Flipping through articles asks
        # only for the last one.
        self._suggest_timer.start()
        self._refresh_suggestions()

    def _on_suggest_timer(self) -> None:
        loader, aid = self._suggest_loader, self._article_id
        if loader is not None and aid is not None and self._suggestions_pending:
            loader.request(aid)

    def _on_suggestions_ready(self, generation: int, article_id: int, suggestions: list[Any]) -> None:
        loader = self._suggest_loader
        if loader is None or generation != loader.latest or article_id != self._article_id:
            return  # for an article no longer shown, or overtaken by a newer request
        self._suggestions_pending = False
        outlet = self._outlet.label if self._outlet is not None else None
        text_length = len(self.reader.view.text())
        rows = [suggestion_row(s, outlet) for s in suggestions]
        self._set_suggestion_rows([r for r in rows if 0 <= r.start < r.end <= text_length])

    def _on_suggestions_failed(self, generation: int, article_id: int, message: str) -> None:
        loader = self._suggest_loader
        if loader is None or generation != loader.latest or article_id != self._article_id:
            return
        log.warning("no suggestions for article %s: %s", article_id, message)
        self._suggestions_pending = False
        self._set_suggestion_rows([])
        self.suggestions_panel.set_status(f"No suggestions: {message}")

    def _set_suggestion_rows(self, rows: list[SuggestionRow]) -> None:
        self._suggestion_rows = rows
        self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        """Show the suggestions that overlap no quote (all of them off with View > Show suggestions)."""
        on = self.show_suggestions_action.isChecked() and self._article_id is not None
        rows = self._suggestion_rows if on else []
        shown = visible_rows(rows, [(r.start, r.end) for r in self._records.values()]) if rows else []
        if [r.key for r in shown] != [
            r.key for r in self._shown_suggestions
        ] or shown != self._shown_suggestions:
            self._shown_suggestions = shown
            self.reader.view.set_suggestions(
                SuggestionMark(r.key, r.start, r.end, r.describe()) for r in shown
            )
            self.suggestions_panel.set_rows(shown)
        if self._suggestion_key is not None and self._current_suggestion() is None:
            self._set_current_suggestion(None)
        n = len(shown)
        counted = on and (shown or not self._suggestions_pending)  # no "(0)" before the first answer
        tab = self.quote_tabs.indexOf(self.suggestions_panel)
        self.quote_tabs.setTabText(tab, f"Suggestions ({n})" if counted else "Suggestions")
        self.suggestions_panel.find_button.setVisible(on and self._suggestions_on_request)
        if not self.show_suggestions_action.isChecked():
            status = "Suggestions are off (View > Show suggestions)."
        elif self._article_id is None:
            status = ""
        elif self._suggestions_on_request:
            size = len(self.reader.view.text()) / 1_000_000
            status = (
                f"This article is long ({size:.1f} million characters): looking for quotes in it takes "
                "a few seconds, so it is done only when you ask."
            )
        elif self._suggestions_pending and not shown:
            status = "Looking for quotes in this article…"
        elif not shown:
            status = "No suggestions for this article: every quote the tool found is marked or rejected."
        else:
            status = (
                f"{n} suggested quote{'s' if n != 1 else ''}, outlined in the article. In the article, "
                "Tab / Shift+Tab: next / previous; Enter accepts; X or Delete rejects."
            )
        self.suggestions_panel.set_status(status)
        self._update_actions()

    def _set_current_suggestion(self, key: str | None) -> None:
        self._suggestion_key = key
        self.reader.view.set_current_suggestion(key)
        self.suggestions_panel.select(key)
        self._show_suggestion_in_inspector(self._current_suggestion())
        self._update_actions()

    def _show_suggestion_in_inspector(self, row: SuggestionRow | None) -> None:
        """While a suggestion is current (and so no quote), the inspector's empty page describes it."""
        label = getattr(self.inspector, "empty_label", None)
        if label is None:
            return
        if self._inspector_empty_text is None:
            self._inspector_empty_text = label.text()
        if row is None:
            label.setText(self._inspector_empty_text)
        else:
            label.setText(
                f"A suggested quote, not saved yet:\n\n“{one_line(row.text, 300)}”\n\n{row.describe()}"
            )

    def select_suggestion(self, key: str | None, *, reveal: bool = True) -> None:
        """Make suggestion ``key`` current (no quote is current then); ``reveal`` scrolls to it."""
        row = next((r for r in self._shown_suggestions if r.key == key), None) if key is not None else None
        if row is None:
            self._set_current_suggestion(None)
            return
        if self._quote_id is not None:
            self.select_quote(None)
        self._set_current_suggestion(row.key)
        if reveal:
            self._reveal(row.start)
        self._hint(f"Suggestion ({row.percent}): {one_line(row.chain, 90)}. Enter accepts, X rejects.")

    def step_suggestion(self, direction: int) -> None:
        """Go to the next (+1) or previous (-1) shown suggestion in text order."""
        rows = self._shown_suggestions
        if not rows:
            self._hint("No suggestions shown in this article.")
            return
        current = self._current_suggestion()
        if current is not None:
            i = rows.index(current) + direction
        else:
            record = self._records.get(self._quote_id) if self._quote_id is not None else None
            pos = record.start if record is not None else self.reader.view.cursor_position()
            if direction > 0:
                i = next((k for k, r in enumerate(rows) if r.start >= pos), len(rows))
            else:
                i = next((k for k in range(len(rows) - 1, -1, -1) if rows[k].start < pos), -1)
        if not 0 <= i < len(rows):
            self._hint("No more suggestions below." if direction > 0 else "No more suggestions above.")
            return
        self.select_suggestion(rows[i].key)

    def _on_suggestion_clicked(self, key: str) -> None:
        self.select_suggestion(key, reveal=False)

    def _on_table_suggestion_selected(self, key: str) -> None:
        self.select_suggestion(key)

    def accept_suggestion(self) -> None:
        """Make the current suggestion a quote with its cue and chain (one undo step), make that
        quote current and put the keyboard in the inspector, to fix a wrong speaker or span."""
        row = self._current_suggestion()
        if row is None or self._editor is None or self._article_id is None:
            return
        result = self._editor.accept_suggestion(self._article_id, row.suggestion)
        quote_id = result.quote.id
        self.select_quote(quote_id, reveal=True)
        self.focus_inspector()
        self._hint(f"Accepted: {one_line(row.chain, 90)}. Check it here; Undo (Ctrl+Z) takes it back.")

    def reject_suggestion(self) -> None:
        """Reject the current suggestion (it is not proposed again for this article; Undo brings it
        back) and go on with the next one."""
        row = self._current_suggestion()
        if row is None or self._editor is None or self._article_id is None:
            return
        rows = self._shown_suggestions
        following = [r for r in rows if (r.start, r.end, r.key) > (row.start, row.end, row.key)]
        self._editor.reject_suggestion(self._article_id, row.suggestion)
        self._suggestion_rows = [r for r in self._suggestion_rows if r.key != row.key]
        self._refresh_suggestions()
        self._hint(f"Rejected the suggestion “{one_line(row.text, 60)}”. Undo (Ctrl+Z) brings it back.")
        if following and self._current_suggestion() is None:
            nxt = next((r for r in following if r in self._shown_suggestions), None)
            if nxt is not None:
                self.select_suggestion(nxt.key)

    def accept_suggestions_above(self) -> Any:
        """Suggestions > Accept all above a confidence…: a dialog with the threshold and the quotes
        it will create; OK creates them as one undo step."""
        if self._article_id is None or self._editor is None or not self._shown_suggestions:
            return None
        from ui.suggestions import AcceptAllDialog

        dialog = AcceptAllDialog(self._shown_suggestions, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        article_id = self._article_id
        dialog.accepted.connect(lambda: self._run(lambda: self._accept_rows(article_id, dialog.chosen())))
        dialog.destroyed.connect(self._on_accept_all_dialog_destroyed)
        self.accept_all_dialog = dialog
        dialog.open()
        return dialog

    def _on_accept_all_dialog_destroyed(self) -> None:
        self.accept_all_dialog = None

    def _accept_rows(self, article_id: int, rows: list[SuggestionRow]) -> None:
        if not rows or self._editor is None or article_id != self._article_id:
            return
        result = self._editor.accept_suggestions(article_id, [r.suggestion for r in rows])
        n = len(result.ids("quote"))
        self._hint(
            f"Created {n} quote{'s' if n != 1 else ''} from suggestions. Undo (Ctrl+Z) takes them all back."
        )

    def _apply_decisions(self, decisions: list[Any], quote_changes: list[Any]) -> None:
        """Accepts, rejections and their undo: a rejected suggestion goes at once; then the service is
        asked again (an undone rejection is proposed again, an accept may have made sources that
        other suggestions name). An undo or redo of a rejection in another article goes there."""
        if not decisions:
            return
        here = [c for c in decisions if _article_of(c) == self._article_id]
        rejected = {
            c.after.fingerprint for c in here if c.after is not None and c.after.decision == "rejected"
        }
        if rejected:
            self._suggestion_rows = [r for r in self._suggestion_rows if r.key not in rejected]
            self._refresh_suggestions()
        if here:
            self._request_suggestions()
        elif not quote_changes and len({_article_of(c) for c in decisions}) == 1:
            self.show_article(_article_of(decisions[0]))

    def find_suggestions(self) -> None:
        """Look for suggestions in the current article even when it is long (see AUTO_SUGGEST_LIMIT)."""
        if self._article_id is None:
            return
        self._long_articles_asked.add(self._article_id)
        self._request_suggestions()

    def _on_show_suggestions_toggled(self, checked: bool) -> None:
        self.settings.show_suggestions = checked
        if checked and self._article_id is not None and not self._suggestion_rows:
            self._request_suggestions()
        else:
            self._refresh_suggestions()
        self._hint("Suggestions shown." if checked else "Suggestions hidden (View > Show suggestions).")

    # ==============================================================================================
    # Refreshing from what changed
    # ==============================================================================================

    def _on_editor_changed(self, result: OpResult) -> None:
        """Refresh every widget from one operation's changes (an edit, an undo or a redo)."""
        assert self._service is not None
        types = {c.object_type for c in result.changes}
        if "source" in types:
            self._sources = {s.id: s for s in self._service.sources()}
        if "article" in types and self._article_id is not None:
            outlet_id = self._service.article(self._article_id).outlet_id
            self._outlet = self._sources.get(outlet_id) if outlet_id is not None else None
        quote_changes = [c for c in result.changes if c.object_type == "quote"]
        here = [c for c in quote_changes if _article_of(c) == self._article_id]
        elsewhere = {_article_of(c) for c in quote_changes} - {self._article_id}
        decisions = [c for c in result.changes if c.object_type == DECISION_TYPE]
        for c in here:
            self._apply_quote_change(c.object_id, cast("QuoteRecord | None", c.after))  # a quote's change
        if "source" in types or "article" in types:
            self._rebuild_current_views()
        self._apply_decisions(decisions, quote_changes)
        if here:
            self._refresh_suggestions()  # a suggestion overlapping a quote is not shown
        if len(quote_changes) == 1:
            c = quote_changes[0]
            if elsewhere:
                # An undo or redo of an edit made in another article: go there and show it.
                self.show_article(_article_of(c), quote_id=c.object_id if c.after is not None else None)
            elif c.after is None and c.object_id == self._quote_id:
                self.select_quote(None)
            elif c.after is not None and c.object_id != self._quote_id:
                self.select_quote(c.object_id, reveal=True)
        if self._quote_id is not None and self._quote_id not in self._records:
            self.select_quote(None)
        self._update_quote_tab_title()
        self._update_actions()
        self._all_quotes_dirty = True
        self._refresh_timer.start()
        what = result.action
        self.statusBar().showMessage(f"Saved: {what} · {time.strftime('%H:%M:%S')}", SAVED_MESSAGE_MS)

    def _apply_quote_change(self, quote_id: int, after: QuoteRecord | None) -> None:
        if after is None:
            self._records.pop(quote_id, None)
            self.reader.view.remove_quote(quote_id)
            self.quotes_panel.remove(quote_id)
            return
        self._records[quote_id] = after
        self.reader.view.update_quote_spans(quote_id, self._spans(after))
        self.quotes_panel.upsert(self._row(after))

    def _rebuild_current_views(self) -> None:
        """Source names or the outlet changed: rebuild the current article's tooltips and rows."""
        records = self.quote_records()
        self.reader.view.set_spans([span for r in records for span in self._spans(r)])
        self.quotes_panel.set_rows([self._row(r) for r in records])
        self.quotes_panel.select_quote(self._quote_id)

    def _on_editor_failed(self, message: str) -> None:
        self.reporter.warn(message)

    def _on_refresh_timer(self) -> None:
        self._refresh_library()

    def _update_status_labels(self) -> None:
        if self._service is None:
            self.db_label.setText("No database")
            self.user_label.setText("")
            self.counts_label.setText("")
            return
        self.db_label.setText(f"Database: {self._db_name()}")
        self.db_label.setToolTip(tooltip(self._db_name_full()))
        self.user_label.setText(f"User: {self._service.user}")
        n_art = len(self._articles)
        n_q = sum(s.quotes for s in self._articles.values())
        n_v = sum(s.verified for s in self._articles.values())
        articles = f"{n_art} article{'s' if n_art != 1 else ''}"
        self.counts_label.setText(f"{articles} · {n_q} quote{'s' if n_q != 1 else ''} · {n_v} verified")

    # -- all quotes ----------------------------------------------------------------------------------

    def _all_quotes_visible(self) -> bool:
        return self.quote_tabs.currentWidget() is self.all_quotes_panel and self.quotes_dock.isVisible()

    def _on_quote_tab_changed(self, _index: int) -> None:
        if self._all_quotes_visible() and self._all_quotes_dirty:
            self._refresh_all_quotes()
        # The review tab is review mode: picking it enters the mode, leaving it leaves the mode.
        on = self.quote_tabs.currentWidget() is self.review_page
        self._run(lambda: self.set_review_mode(on))

    def _refresh_all_quotes(self) -> None:
        if self._service is None:
            self.all_quotes_panel.set_rows([])
            return
        rows = []
        records = self._service.quotes()
        self._ensure_sources(
            {i for r in records for i in r.chain_source_ids}
            | {s.article.outlet_id for s in self._articles.values() if s.article.outlet_id}
        )
        for r in records:
            summary = self._articles.get(r.article_id)
            art = summary.article if summary else None
            outlet = self._sources.get(art.outlet_id) if art and art.outlet_id is not None else None
            rows.append(quote_row(r, self._sources, outlet=outlet, article_title=art.title if art else ""))
        self.all_quotes_panel.set_rows(rows)
        self.all_quotes_panel.select_quote(self._quote_id)
        self._all_quotes_dirty = False

    # ==============================================================================================
    # Review mode
    # ==============================================================================================

    def in_review_mode(self) -> bool:
        return self._review_mode

    def set_review_mode(self, on: bool) -> None:
        """Enter review mode (the review tab, reloaded, takes the library's and the inspector's
        room, and the keyboard; the article stays on the right) or leave it (the previous layout
        comes back)."""
        view = self.review_view
        if on and view is None:
            on = False
        if on == self._review_mode:
            self.review_mode_action.setChecked(on)
            return
        self._review_mode = on
        self.review_mode_action.setChecked(on)
        if not on:
            if self.quote_tabs.currentWidget() is self.review_page:
                self.quote_tabs.setCurrentWidget(self.quotes_panel)
            self.quotes_dock.setWindowTitle("Quotes")
            if self._layout_before_review is not None:
                self.restoreState(self._layout_before_review)
            self._layout_before_review = None
            return
        assert view is not None
        self._layout_before_review = self.saveState()
        # What others did meanwhile. Before the tab shows, so that its showEvent has nothing to do
        # (when the tab itself was clicked, it has shown already).
        view.refresh()
        # The review panel takes the library's place, full height, and most of the width; the
        # article stays on the right, for the evidence. The review view shows what the inspector
        # would (View > Panels brings it back).
        self.library_dock.hide()
        self.inspector_dock.hide()
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.quotes_dock)
        self.quotes_dock.setWindowTitle("Review")
        self.quotes_dock.show()
        self.quote_tabs.setCurrentWidget(self.review_page)
        self.resizeDocks([self.quotes_dock], [self._review_panel_width()], Qt.Orientation.Horizontal)
        if not self._review_panes_sized:
            self._review_panes_sized = True
            QTimer.singleShot(0, self._size_review_panes)  # once the docks have their new sizes
        self._sync_four_eyes()
        if self._quote_id is not None and view.queue_model.row_of(self._quote_id) is not None:
            view.select_quote(self._quote_id)  # the quote being read is in the queue: start there
        elif view.current_quote_id() is None:
            view.move_in_queue(1)  # the oldest quote waiting; its article is shown
        elif (current := view.current_quote_id()) is not None and current != self._quote_id:
            self._on_review_quote_selected(current)
        view.queue_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        leave = self.review_mode_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self._hint(
            "Review mode: pick a quote in the queue, click its chain to see the evidence in the article. "
            f"{leave} leaves."
        )

    def _review_panel_width(self) -> int:
        """The review panel's width: all the review view asks for, and what the article (a column
        of text, at least 300 pixels) does not need beyond 380."""
        w = self.width()
        view = self.review_view
        needed = view.minimumSizeHint().width() + 60 if view is not None else 600
        return int(min(max(needed, w - 380), w - 300))

    def _size_review_panes(self) -> None:
        """The first time: a queue about as wide as its columns, the rest for the chain; in the
        detail, the chain as tall as it needs, the warnings short, the history the rest."""
        view = self.review_view
        if view is None or not view.isVisible():
            return
        width = view.splitter.width()
        queue_min = view.queue_panel.minimumSizeHint().width()
        if width > 2 * queue_min:
            queue = int(max(queue_min + 24, min(width * 0.4, 640)))
            view.splitter.setSizes([queue, width - queue])
        total = sum(view.detail_splitter.sizes())
        chain_box = view.chain_box
        if total > 0:
            # Enough for the whole chain as laid out now (two rows at most; longer ones scroll).
            frame = 2 * view.diagram_scroll.frameWidth()
            diagram = min(view.diagram.heightForWidth(view.diagram_scroll.viewport().width()), 330)
            titles = 2 * chain_box.fontMetrics().height() + 16  # "Chain" above, the hint below
            chain = max(chain_box.minimumSizeHint().height(), diagram + frame + titles)
            warnings = view.warnings_box.minimumSizeHint().height()
            view.detail_splitter.setSizes([chain, warnings, max(120, total - chain - warnings)])

    def _on_review_mode_toggled(self, checked: bool) -> None:
        self._run(lambda: self.set_review_mode(checked))

    def _on_review_quote_selected(self, quote_id: int) -> None:
        """The reviewer picked a quote: show its article (as it is now in the database) and select it."""

        def go() -> None:
            if self._service is None:
                return
            q = self._service.quote(quote_id)
            if q.article_id != self._article_id or quote_id not in self._records:
                self.show_article(q.article_id, quote_id=quote_id)
                return
            if self._records[quote_id] != q:  # changed by someone else since the article was shown
                self._apply_quote_change(quote_id, q)
                if self.inspector is not None and self._quote_id == quote_id:
                    self.inspector.reload()
            self.select_quote(quote_id, reveal=True)

        self._run(go)

    def _on_review_span_requested(self, start: int, end: int) -> None:
        """A box or an arrow of the chain diagram was clicked: show what backs it in the article."""

        def go() -> None:
            qid = self.review_view.current_quote_id() if self.review_view is not None else None
            if qid is not None and (qid not in self._records or self._quote_id != qid):
                self._on_review_quote_selected(qid)
            view = self.reader.view
            if self._article_id is None or not 0 <= start <= end <= len(view.text()):
                return
            bar = view.verticalScrollBar()
            before = bar.value()
            view.select_range(start, end)
            if bar.value() != before:
                view.centerCursor()

        self._run(go)

    def _on_verdict_given(self, quote_id: int, verdict: str) -> None:
        # The library, the tables and the reader follow editor.changed; the status bar says it.
        log.info("verdict %s on quote %s", verdict, quote_id)

    def _on_current_quote_changed(self, quote_id: int | None) -> None:
        """In review mode a quote clicked in the article or a table is the one under review."""
        view = self.review_view
        if self._review_mode and view is not None and quote_id is not None:
            if view.current_quote_id() != quote_id:
                self._run(lambda: view.select_quote(quote_id))

    def verify_audit_log(self) -> Any:
        """Tools > Verify audit log: check the hash chain now and show the outcome (not modal)."""
        if self._service is None:
            return None
        from ui.audit_dialog import audit_summary, show_audit_check

        report = show_audit_check(self, self._service)
        self._hint(audit_summary(report))
        return report

    def _sync_four_eyes(self) -> None:
        """Show the database's four-eyes setting as it is now (another user may have changed it)."""
        if self._service is None:
            return
        try:
            on = bool(self._service.setting("four_eyes"))
        except AnnotatorError as exc:
            log.warning("could not read the four-eyes setting: %s", exc)
            return
        self._syncing_four_eyes = True
        try:
            self.four_eyes_action.setChecked(on)
        finally:
            self._syncing_four_eyes = False

    def _on_four_eyes_toggled(self, checked: bool) -> None:
        if self._syncing_four_eyes or self._service is None:
            return
        try:
            self._service.set_setting("four_eyes", checked)
        except AnnotatorError as exc:
            self.reporter.warn(f"The four-eyes rule was not changed: {exc}")
            self._sync_four_eyes()
            return
        self._hint(
            "Four-eyes rule on: nobody can approve a chain they last edited."
            if checked
            else "Four-eyes rule off for this database: anyone can approve any chain. "
            "The change is in the audit log."
        )

    def reload_from_database(self) -> None:
        """View > Reload: read everything again (others may have changed a shared database)."""
        if self._service is None:
            return
        self._sources = {s.id: s for s in self._service.sources()}
        self._refresh_library()
        self._sync_four_eyes()
        aid, qid = self._article_id, self._quote_id
        if aid is not None and aid in self._articles:
            bar = self.reader.view.verticalScrollBar()
            position = bar.value()
            self.show_article(aid, quote_id=qid)
            bar.setValue(position)  # the same text: stay where the reader was
        elif aid is not None:
            first = self._first_article_in_library()
            if first is not None:
                self.show_article(first)
            else:
                self._show_empty()
        if self.review_view is not None and self.review_view.isVisible():
            self.review_view.refresh()
        self._hint("Reloaded from the database.")

    # ==============================================================================================
    # Focus and find
    # ==============================================================================================

    def focus_library(self) -> None:
        self.library_dock.show()
        self.library_dock.raise_()
        self.library.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_reader(self) -> None:
        self.reader.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_quotes(self) -> None:
        self.quotes_dock.show()
        self.quote_tabs.setCurrentWidget(self.quotes_panel)
        self.quotes_panel.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_all_quotes(self) -> None:
        self.quotes_dock.show()
        self.quote_tabs.setCurrentWidget(self.all_quotes_panel)
        self.all_quotes_panel.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_inspector(self) -> None:
        if self.inspector is None:
            return
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.inspector.focus_speaker()

    def find_in_article(self) -> None:
        if self._article_id is None:
            return
        self.reader.find_bar.open_bar()

    # ==============================================================================================
    # Import, export, sources, help
    # ==============================================================================================

    def choose_import_files(self) -> None:
        if self._service is None:
            return
        start = self.settings.import_directory or str(Path.home())
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", start, "Articles (*.txt *.html *.htm);;All files (*)"
        )
        if paths:
            self.settings.import_directory = str(Path(paths[0]).parent)
            self.import_paths(paths)

    def choose_import_folder(self) -> None:
        if self._service is None:
            return
        start = self.settings.import_directory or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Import every article in a folder", start)
        if folder:
            self.settings.import_directory = folder
            self.import_paths([folder])

    def import_samples(self) -> None:
        from annotator.paths import sample_articles_dir

        self.import_paths([sample_articles_dir()])

    def import_paths(self, paths: Sequence[str | Path]) -> ImportController | None:
        """Import files and folders in a worker thread (progress, cancel, refused files listed)."""
        if self._service is None or self._db_url is None:
            self.reporter.warn("Open a database before importing articles.")
            return None
        if self._import is not None and self._import.is_running():
            self.reporter.warn("An import is already running: wait for it to finish, or cancel it.")
            return None
        from ui.import_worker import ImportController

        controller = ImportController(self._db_url, self._service.user, list(paths), self)
        controller.finished.connect(self._on_import_finished)
        controller.failed.connect(self._on_import_failed)
        self._import = controller
        controller.start()
        return controller

    def _on_import_finished(self, report: ImportReport) -> None:
        from ui.import_worker import describe_report

        self._refresh_library()
        self._hint(describe_report(report))
        if report.imported and (self._article_id is None or len(report.imported) == 1):
            self._run(lambda: self.show_article(report.imported[0][1].id))
        elif self._article_id is None:
            first = self._first_article_in_library()
            if first is not None:
                self._run(lambda: self.show_article(first))
            else:
                self._show_empty()
        self.import_finished.emit(report)

    def _on_import_failed(self, message: str) -> None:
        self.reporter.warn(f"The import could not run: {message}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if self._service is not None and _local_paths(event.mimeData().urls() if event.mimeData() else []):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if self._service is not None and event.mimeData() is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        paths = _local_paths(event.mimeData().urls() if event.mimeData() else [])
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self._run(lambda: self.import_paths(paths))

    def open_export_dialog(self) -> Any:
        if self._service is None:
            return None
        from ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self._service,
            self._article_id,
            self.settings,
            self,
            current_article_title=self._article_title if self._article_id else "",
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(self._on_exported)
        dialog.destroyed.connect(self._on_export_dialog_destroyed)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _on_export_dialog_destroyed(self) -> None:
        self.export_dialog = None

    def _on_exported(self, result: Any) -> None:
        self._hint(f"Exported {result.quotes} quote{'s' if result.quotes != 1 else ''} to {result.path}")

    def open_sources_window(self) -> Any:
        if self._editor is None:
            return None
        if self.sources_window is None:
            from ui.sources_window import SourcesWindow

            self.sources_window = SourcesWindow(self._editor)
            self.sources_window.setObjectName("sources_window")
        self.sources_window.show()
        self.sources_window.raise_()
        self.sources_window.activateWindow()
        return self.sources_window

    def show_shortcuts(self) -> ShortcutsDialog:
        areas: dict[Any, str] = {self.reader: "Reader", self.library: "Library"}
        if self.inspector is not None:
            areas[self.inspector] = "Quote inspector"
        if self.review_view is not None:
            areas[self.review_view] = "Review"
        dialog = ShortcutsDialog(self, areas=areas)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_shortcuts_dialog_destroyed)
        self.shortcuts_dialog = dialog
        dialog.open()
        return dialog

    def _on_shortcuts_dialog_destroyed(self) -> None:
        self.shortcuts_dialog = None

    def show_about(self) -> None:
        from annotator import __version__

        box = QMessageBox(
            QMessageBox.Icon.Information,
            "About Quote Annotator",
            f"Quote Annotator {__version__}\n\nAnnotate quotes in news articles with their speaker "
            "and provenance chain. Every change is saved as you make it, with your name, in an "
            "audit log.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ==============================================================================================
    # Closing
    # ==============================================================================================

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        # Closed in review mode: the next start opens with the usual layout.
        state = self._layout_before_review if self._review_mode else None
        self.settings.save_window(self.saveGeometry(), state if state is not None else self.saveState())
        self.settings.sync()
        self.close_database()
        super().closeEvent(event)


def _article_of(change: Any) -> int:
    rec = change.after if change.after is not None else change.before
    return int(rec.article_id)


def _local_paths(urls: Iterable[Any]) -> list[str]:
    return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile()]


def _url_for_settings(url: str) -> str:
    """The URL as remembered in the recent list: never with a password."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.password:
        return u.set(password=None).render_as_string(hide_password=False)
    return url

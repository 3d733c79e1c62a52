"""Keyboard shortcuts: the keys of every frequent action, and the Help > Keyboard shortcuts dialog.

:data:`KEYS` is the one place the keys are chosen. The dialog does not repeat them: it is built
from the window's actual ``QAction`` objects (and the reader's own ``QShortcut`` objects), so it
lists what the keys really do and cannot go stale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.table_model import RowTableModel

_Index = QModelIndex | QPersistentModelIndex
_Key = str | QKeySequence.StandardKey

KEYS: dict[str, tuple[_Key, ...]] = {
    # annotating
    "mark_quote": ("Q", "Ctrl+Return"),
    "set_span": ("Shift+Q",),
    "use_as_cue": ("C",),
    "nudge_start_left": ("Alt+Left",),
    "nudge_start_right": ("Alt+Right",),
    "nudge_end_left": ("Alt+Shift+Left",),
    "nudge_end_right": ("Alt+Shift+Right",),
    "delete_quote": ("Delete",),
    "status_1": ("1", "Ctrl+1"),
    "status_2": ("2", "Ctrl+2"),
    "status_3": ("3", "Ctrl+3"),
    "status_4": ("4", "Ctrl+4"),
    "status_5": ("5", "Ctrl+5"),
    # moving around
    "next_quote": ("N",),
    "previous_quote": ("P",),
    "focus_library": ("Alt+1",),
    "focus_reader": ("Alt+2",),
    "focus_quotes": ("Alt+3",),
    "focus_inspector": ("Alt+4",),
    "focus_all_quotes": ("Alt+5",),
    "find": (QKeySequence.StandardKey.Find,),
    # suggestions (in the article; accept and reject in the Suggestions tab too)
    "next_suggestion": ("Tab",),
    "previous_suggestion": ("Shift+Tab",),
    "accept_suggestion": ("Return", "Enter"),
    "reject_suggestion": ("X", "Delete"),
    "reload": ("F5",),
    # the quote inspector (from anywhere in the window: select text in the article, press the key)
    "speaker_from_selection": ("Ctrl+Shift+S",),
    "hop_from_selection": ("Ctrl+Shift+I",),
    "cue_from_selection": ("Ctrl+Shift+C",),
    "evidence_from_selection": ("Ctrl+Shift+E",),
    "send_for_review": ("Ctrl+Shift+Return",),
    # reviewing (the verdicts and the queue keys act while the focus is in the review view)
    "review_mode": ("Ctrl+Shift+V",),
    "review_approve": ("Ctrl+Shift+A",),
    "review_request_changes": ("Ctrl+Shift+B",),  # "send back" (Ctrl+Shift+R is the Sources window)
    "review_reject": ("Ctrl+Shift+J",),
    "review_next": ("Alt+Down",),
    "review_previous": ("Alt+Up",),
    "verify_audit": ("Ctrl+Shift+L",),
    # files and windows
    "new_database": ("Ctrl+Shift+N",),
    "open_database": ("Ctrl+O",),
    "import": ("Ctrl+I",),
    "export": ("Ctrl+E",),
    "sources": ("Ctrl+Shift+R",),
    "quit": (QKeySequence.StandardKey.Quit,),
    "shortcuts": ("F1", "Ctrl+/"),
}


def key(name: str) -> str:
    """The first (main) key of action ``name``, as portable text (``"Ctrl+Shift+S"``)."""
    first = KEYS[name][0]
    if isinstance(first, QKeySequence.StandardKey):
        return QKeySequence(first).toString(QKeySequence.SequenceFormat.PortableText)
    return first


def key_sequences(name: str) -> list[QKeySequence]:
    """The key sequences of action ``name`` (standard keys expanded to this platform's)."""
    out: list[QKeySequence] = []
    for key in KEYS[name]:
        if isinstance(key, QKeySequence.StandardKey):
            out.extend(QKeySequence.keyBindings(key))
        else:
            out.append(QKeySequence(key))
    return out


def keys_text(sequences: Sequence[QKeySequence]) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty())


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _describe(act: QAction) -> str:
    """An action outside the menus, described by its tip when that says more than its short text
    (a button's "Use selection" is "Use the text selected in the article as the speaker")."""
    text = _clean(act.text())
    tip = re.sub(r"\s*\([^()]*\)\s*$", "", act.statusTip() or act.toolTip()).strip()
    return tip if len(tip) > len(text) else text


@dataclass(frozen=True)
class ShortcutEntry:
    group: str
    action: str
    keys: str


def collect_shortcuts(window: QMainWindow, areas: Mapping[QObject, str] | None = None) -> list[ShortcutEntry]:
    """Every action of ``window`` that has a shortcut, grouped by its menu; then the actions that
    belong to no menu, grouped by the first of ``areas`` (widget -> group name) they live in; then
    the widgets' own ``QShortcut`` objects (those with a ``whatsThis`` description)."""
    areas = dict(areas or {})

    def area_of(obj: QObject | None) -> str:
        while obj is not None:
            if obj in areas:
                return areas[obj]
            obj = obj.parent()
        return "Other"

    entries: list[ShortcutEntry] = []
    seen: set[int] = set()

    def walk(menu: QMenu, group: str) -> None:
        for act in menu.actions():
            sub = act.menu()
            if isinstance(sub, QMenu):
                walk(sub, group)
                continue
            if act.isSeparator() or id(act) in seen:
                continue
            seen.add(id(act))
            keys = keys_text(act.shortcuts())
            if keys:
                entries.append(ShortcutEntry(group, _clean(act.text()), keys))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _clean(top.text()))
    for act in window.findChildren(QAction):
        if id(act) in seen or act.isSeparator():
            continue
        keys = keys_text(act.shortcuts())
        if keys and act.text():
            seen.add(id(act))
            entries.append(ShortcutEntry(area_of(act.parent()), _describe(act), keys))
    for sc in window.findChildren(QShortcut):
        if sc.isEnabled() and sc.whatsThis() and not sc.key().isEmpty():
            entries.append(ShortcutEntry(area_of(sc.parent()), sc.whatsThis(), keys_text([sc.key()])))
    return entries


class ShortcutTableModel(RowTableModel):
    """Rows of (menu, action, keys)."""

    COLUMNS = ("Menu", "Action", "Keys")

    def __init__(self, entries: Sequence[ShortcutEntry] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ShortcutEntry] = list(entries)

    def entry(self, row: int) -> ShortcutEntry:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            e = self._rows[index.row()]
            return (e.group, e.action, e.keys)[index.column()]
        return None


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: a filterable table generated from the window's actions."""

    def __init__(
        self, window: QMainWindow, parent: QWidget | None = None, areas: Mapping[QObject, str] | None = None
    ) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        self.model = ShortcutTableModel(collect_shortcuts(window, areas), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter shortcuts")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(560, 620)

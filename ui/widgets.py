"""Small widget helpers shared by the windows and docks: message lines, compact buttons, key names.

A refusal from the core (lower-case, no full stop) is shown in a :func:`message_label` as a
:func:`sentence`; a button's tooltip names its keys with :func:`shortcut_text`.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QToolButton, QWidget


def message_label(parent: QWidget | None = None) -> QLabel:
    """An inline, calm message line (plain text, wraps, hidden while empty)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setObjectName("message")
    label.setStyleSheet(
        "QLabel#message { background: #fdf3e1; color: #5c3b00; border: 1px solid #ecd3a5;"
        " border-radius: 4px; padding: 4px 6px; }"
    )
    label.hide()
    return label


def show_message(label: QLabel, text: str) -> None:
    """Show ``text`` in a :func:`message_label` (an empty text hides it)."""
    label.setText(text)
    label.setVisible(bool(text))


def sentence(text: str) -> str:
    """A core message (lower-case, no full stop) as a sentence for a label."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def shortcut_text(seq: QKeySequence | QKeySequence.StandardKey | str) -> str:
    """A key sequence as the platform writes it, e.g. ``"Ctrl+Shift+S"``."""
    return QKeySequence(seq).toString(QKeySequence.SequenceFormat.NativeText)


def small_button(text: str, parent: QWidget | None = None, tooltip: str = "") -> QToolButton:
    """A compact text button that takes keyboard focus (Tab) and shows its tooltip."""
    b = QToolButton(parent)
    b.setText(text)
    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if tooltip:
        b.setToolTip(tooltip)
    return b


__all__ = ["message_label", "sentence", "shortcut_text", "show_message", "small_button"]


def select_row(view: QAbstractItemView, index: QModelIndex) -> None:
    """Make ``index``'s row the view's current and only selected row, and scroll it into view."""
    view.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    view.scrollTo(index)

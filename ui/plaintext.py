"""Untrusted text (article titles, quotes, source names) shown as plain text, never as rich text.

Qt guesses whether a string is rich text (``Qt::mightBeRichText``) in labels, message boxes and
tooltips. Labels and message boxes get ``Qt.PlainText`` explicitly; tooltips cannot, so their text
is escaped here and wrapped so that Qt takes it as (escaped, hence literal) rich text.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from annotator.vocab import CHAIN_ARROW as CHAIN_ARROW  # defined once, in the core
from annotator.wording import one_line as one_line


def tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally (spaces and line breaks kept). Empty stays empty."""
    if not text:
        return ""
    return '<p style="white-space:pre-wrap">' + html.escape(text, quote=True) + "</p>"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (line breaks kept)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that never interprets its text as HTML."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label

"""Suggestions: proposed quotes with cue, speaker and chain, for the fact-checker to accept or reject.

Qt-free and database-free. The service passes an article's canonical text, its language and the
source registry (:class:`KnownSource`); a :class:`Suggester` returns :class:`Suggestion` objects
with code-point offsets into that text. :class:`RuleSuggester` is the built-in implementation.
"""

from __future__ import annotations

from annotator.suggest.language import guess_language
from annotator.suggest.model import (
    Intermediary,
    KnownSource,
    Mention,
    SourceRef,
    Suggester,
    Suggestion,
    suggestions_json,
)
from annotator.suggest.rules import VERSION, RuleSuggester, suggest

__all__ = [
    "VERSION",
    "Intermediary",
    "KnownSource",
    "Mention",
    "RuleSuggester",
    "SourceRef",
    "Suggester",
    "Suggestion",
    "guess_language",
    "suggest",
    "suggestions_json",
]

"""The canonical text of an article, and spans measured in its Unicode code points.

An article's canonical text is frozen at import: every offset the project stores is a half-open
``[start, end)`` range of code points (Python ``str`` indices) into it. The rules:

* newlines normalised to ``\\n`` (``\\r\\n``, lone ``\\r``, and U+2028/U+2029 line/paragraph separators);
* Unicode NFC;
* characters that XML 1.0 cannot carry removed (C0 controls except tab and newline, lone surrogates,
  U+FFFE/U+FFFF), so an export can never meet a character it cannot write.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

CONTEXT_CHARS = 32
"""Length of the prefix and suffix stored with each quote to re-anchor its span."""

_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
# XML 1.0 Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
# (\r is already gone after newline normalisation.)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def canonicalize(text: str) -> str:
    """Return the canonical form of ``text`` (see the module docstring). Idempotent."""
    text = _NEWLINES.sub("\n", text)
    text = _XML_ILLEGAL.sub("", text)
    return unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """The key under which names and aliases are matched: NFKC, case-folded, single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def match_rank(key: str, name: str, aliases: Iterable[str]) -> tuple[int, str]:
    """How a source found by the search ``key`` (a :func:`name_key`) sorts: those whose name or an
    alias starts with it first, then by name."""
    name_k = name_key(name)
    starts = name_k.startswith(key) or any(name_key(a).startswith(key) for a in aliases)
    return (0 if starts else 1, name_k)


def escape_like(s: str) -> str:
    """``s`` for a SQL ``LIKE`` pattern whose escape character is a backslash (``ESCAPE '\\'``)."""
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_canonical(text: str) -> bool:
    """True when ``canonicalize(text) == text``, found without building a copy."""
    return (
        _NEWLINES.search(text) is None
        and _XML_ILLEGAL.search(text) is None
        and unicodedata.is_normalized("NFC", text)
    )


def xml_illegal_chars(text: str) -> list[int]:
    """Positions of characters in ``text`` that XML 1.0 cannot carry (empty for canonical text)."""
    return [m.start() for m in _XML_ILLEGAL.finditer(text)]


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the UTF-8 encoding of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The ``width`` code points before ``start`` and after ``end`` (shorter at the edges)."""
    return text[max(0, start - width) : start], text[end : end + width]


# Bidi embeddings, overrides and isolates (they reorder what follows them: "Innocent\u202egnp.exe"
# shows as "Innocentexe.png"), other format and control characters except tab and newline.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
"""The bidi embeddings, overrides and isolates, as a regular-expression character range."""
_UNSAFE_FOR_DISPLAY = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def display_safe(text: str) -> str:
    """``text`` made safe to show in a terminal or a widget: every bidi embedding, override or
    isolate (U+202A–U+202E, U+2066–U+2069) and every control character other than tab and newline
    is replaced by a visible ``<U+XXXX>``, so nothing reorders or hides the characters around it.

    For names, titles and metadata; the article text itself keeps its characters (offsets).
    """
    return _UNSAFE_FOR_DISPLAY.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)

"""Every value the service stores, checked in one place before it reaches the database.

The rules, the same on SQLite (which stores any length) and PostgreSQL (which refuses a value over
a ``VARCHAR(n)`` with a driver error):

* **Length**: a value may not be longer than its column's declared length. The limits are read
  from the model's column types (:func:`column_limit`), never written out a second time.
* **Names** (source names, aliases, roles, descriptors, nationalities, relations, user names,
  external ids, article metadata, URLs): no control character (C0, DEL, C1, including tab and
  newline), no bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069: they reorder
  what is shown around them), no lone surrogate or non-character that XML cannot carry.
* **Free text** (notes, comments): the same, except that tab and newline are allowed, and bidi
  controls (right-to-left notes need them) are shown neutralised (:func:`canonical.display_safe`).

:func:`problem` returns the reason as one line naming the field, or None; :func:`check` raises it
as :class:`~annotator.errors.ValidationError`. The service calls them for every value it writes,
and the importers (quote sets, brat) go through the service or call :func:`problem` themselves.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal, overload

from annotator.canonical import BIDI_CONTROLS, display_safe
from annotator.errors import ValidationError
from annotator.model import Article, AuditEntry, Quote, Review

Kind = Literal["name", "text"]

_NAME_REFUSED = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_TEXT_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

USER_COLUMNS = (
    AuditEntry.actor,
    Article.imported_by,
    Quote.created_by,
    Quote.status_by,
    Quote.chain_edited_by,
    Review.reviewer,
)
"""Every column that holds a user's name: a user name must fit the narrowest."""


def column_limit(column: Any) -> int | None:
    """The declared length of a model column (``Source.name`` → 300), None when it has none."""
    columns = getattr(getattr(column, "property", None), "columns", None)
    col = columns[0] if columns else column
    return getattr(col.type, "length", None)


def user_limit() -> int:
    """The longest user name every column that records one can hold."""
    return min(n for n in map(column_limit, USER_COLUMNS) if n is not None)


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if not name:
        name = {"\t": "TAB", "\n": "LINE FEED", "\x1b": "ESCAPE", "\x7f": "DELETE"}.get(
            ch, "control character"
        )
    return f"U+{ord(ch):04X} {name}"


def _excerpt(value: str, width: int = 40) -> str:
    short = value if len(value) <= width else value[: width - 1] + "…"
    return repr(display_safe(short))


def problem(
    value: str | None, field: str, *, column: Any = None, limit: int | None = None, kind: Kind = "name"
) -> str | None:
    """Why ``value`` cannot be stored as ``field`` (one line, naming the field), or None.

    ``column``: the model column it goes into (its declared length is the limit), or ``limit``.
    ``kind``: ``"name"`` (one line, no control or bidi characters) or ``"text"`` (free text).
    """
    if value is None:
        return None
    n = limit if limit is not None else column_limit(column) if column is not None else None
    if n is not None and len(value) > n:
        return f"{field} is {len(value):,} characters long, over the database's limit of {n:,}"
    bad = (_NAME_REFUSED if kind == "name" else _TEXT_REFUSED).search(value)
    if bad is not None:
        ch = bad.group(0)
        if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
            what = "a bidi control character"
        elif ch in "\t\n\u2028\u2029":
            what = "a line break or tab, which a name cannot have"
        elif "\ud800" <= ch <= "\udfff":
            what = "a lone surrogate (not valid Unicode)"
        elif ch in "\ufffe\uffff":
            what = "a Unicode non-character"
        else:
            what = "a control character"
        return f"{field} {_excerpt(value)} contains {what} ({_describe(ch)}); it is refused"
    return None


@overload
def check(value: str, field: str, *, column: Any = ..., limit: int | None = ..., kind: Kind = ...) -> str: ...
@overload
def check(
    value: str | None, field: str, *, column: Any = ..., limit: int | None = ..., kind: Kind = ...
) -> str | None: ...
def check(
    value: str | None, field: str, *, column: Any = None, limit: int | None = None, kind: Kind = "name"
) -> str | None:
    """``value`` unchanged when it can be stored as ``field``; else :class:`ValidationError`
    with :func:`problem`'s reason."""
    reason = problem(value, field, column=column, limit=limit, kind=kind)
    if reason is not None:
        raise ValidationError(reason)
    return value


def without_refused(value: str, kind: Kind = "name") -> str:
    """``value`` without the characters :func:`problem` refuses (for values the tool derives
    itself, such as a title taken from an article's first line, rather than refusing them)."""
    return (_NAME_REFUSED if kind == "name" else _TEXT_REFUSED).sub("", value)


def user_problem(name: str, field: str = "user name") -> str | None:
    """Why ``name`` cannot be recorded as the person who made a change, or None."""
    return problem(name, field, limit=user_limit())


def check_user(name: str, field: str = "user name") -> str:
    reason = user_problem(name, field)
    if reason is not None:
        raise ValidationError(reason)
    return name


__all__ = [
    "USER_COLUMNS",
    "check",
    "check_user",
    "column_limit",
    "problem",
    "user_limit",
    "user_problem",
    "without_refused",
]

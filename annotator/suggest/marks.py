"""Finding quoted passages: quotation marks of many conventions, nested, unbalanced, over paragraphs.

Conventions handled, in any mix: “…” and ‘…’ (English), „…“ and ‚…‘ (German, Czech), „…” (Polish),
«…» (French, Russian, Spanish, with or without spaces inside), »…« (German books and magazines),
‹…›, straight "…" and '…', 「…」, and dialogue dashes at the start of a paragraph
("– To jest sukces – mówił premier.").

Each mark is classified from its neighbours, as Markdown does for emphasis: a mark can *open* when
the next character is not a space and the previous one is not a letter or digit, and can *close*
when the previous character is not a space and the next one is not a letter or digit. A mark
between two letters is an apostrophe (``don’t``, ``day's``). Openers go on a stack; a closer closes
the nearest compatible opener on the stack (dropping unmatched openers above it). An opener left
open at the end of a paragraph continues the quote when the next paragraph starts with an opening
mark of the same kind (the English convention for a quote over several paragraphs); otherwise it is
unbalanced and ignored, as is a closer with nothing to close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# closer -> the openers it can close
_CLOSES: dict[str, str] = {
    "”": "“„”",
    "“": "„“",
    "’": "‘‚",
    "‘": "‚",
    "»": "«",
    "«": "»",
    "›": "‹",
    "‹": "›",
    '"': '"„“',
    "'": "'",
    "」": "「",
    "』": "『",
}
# characters that may open a quote
_OPENERS = frozenset("“„‘‚«»‹›\"'「『”")
_CLOSERS = frozenset(_CLOSES)
MARK_CHARS = frozenset(_OPENERS | _CLOSERS)
"""Every character that can be a quotation mark."""
_MARK_RE = re.compile("[" + re.escape("".join(sorted(MARK_CHARS))) + "]")
_SPACED_OPENERS = frozenset("«»‹›")  # French spacing: « texte »
_DASHES = "–—―"
_DASH_PARA = re.compile(r"(?m)^[ \t]*([" + _DASHES + r"])(?:[ \t\u00a0]+(?=\S)|(?=[¿¡\w]))")
# a dialogue dash after a sentence, inside a paragraph: "… zaprzeczył. – Harmonogram … – powiedział."
_DASH_MID = re.compile(r"(?<=[.!?…])[ \t\u00a0]+([" + _DASHES + r"])[ \t\u00a0]+(?=[^\W\d_])")
# the dash that closes the speech: spaced, or (Spanish) attached to the attribution: "… —le preguntó"
_DASH_SEP = re.compile(r"[ \t\u00a0]([" + _DASHES + r"])(?:[ \t\u00a0]+|(?=[^\W\d_]))")
_DASH_SEP_END = re.compile(r"[ \t\u00a0]([" + _DASHES + r"])[ \t\u00a0]*$")


@dataclass(frozen=True)
class Quoted:
    """One quoted passage.

    ``open``/``close`` are the offsets of the opening mark and just after the closing mark (the
    passage with its marks); ``start``/``end`` the quoted words without marks and surrounding space.
    ``depth`` is 0 for an outermost quote, 1 for a quote inside it, and so on. ``paragraphs`` is
    the number of paragraphs the quote runs over. ``dash`` marks a dialogue-dash quote.
    """

    open: int
    close: int
    start: int
    end: int
    depth: int
    paragraphs: int = 1
    dash: bool = False


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _flanking(text: str, i: int) -> tuple[bool, bool]:
    """(can open, can close) for the mark at ``i``."""
    n = len(text)
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < n else " "
    ch = text[i]
    if ch in "「『":
        return True, False
    if ch in "」』":
        return False, True
    if ch in _SPACED_OPENERS:
        # « and » may have a (no-break) space inside: look one further.
        nxt2 = nxt
        if nxt in " \u00a0\u202f" and i + 2 < n:
            nxt2 = text[i + 2]
        prev2 = prev
        if prev in " \u00a0\u202f" and i >= 2:
            prev2 = text[i - 2]
        can_open = not nxt2.isspace() and not _is_word(prev)
        can_close = not prev2.isspace() and not _is_word(nxt)
        return can_open, can_close
    can_open = not nxt.isspace() and not _is_word(prev)
    can_close = not prev.isspace() and not _is_word(nxt)
    if _is_word(prev) and _is_word(nxt):  # apostrophe
        return False, False
    return can_open, can_close


def _starts_speech(text: str, at: int) -> bool:
    """Does the quote opened at ``at`` start its paragraph or follow a colon? (Only such a quote may run on
    into the next paragraph: "He said “we are ready" left open is a typo, not a long quote.)"""
    k = at - 1
    while k >= 0 and text[k] in " \t\u00a0":
        k -= 1
    return k < 0 or text[k] in "\n:"


def _content(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _paragraph_ends(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\n", text)] + [len(text)]


def scan_marks(text: str) -> list[Quoted]:
    """Every balanced quoted passage of ``text`` (marks and dialogue dashes), sorted by position."""
    out: list[Quoted] = []
    stack: list[tuple[str, int, int]] = []  # (mark, offset, paragraph index at open)
    para = 0
    marks = [m.start() for m in _MARK_RE.finditer(text)]
    markset = frozenset(marks)
    newlines = [m.start() for m in re.finditer(r"\n", text)]
    events = sorted([(i, 0) for i in marks] + [(i, 1) for i in newlines])
    k = 0
    while k < len(events):
        i, kind = events[k]
        k += 1
        if kind == 1:  # paragraph end
            # skip blank lines
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            if j < len(text) and j != i and stack and j in markset:
                # continuation: the outermost open quote resumes if the next paragraph reopens it
                bottom_mark = stack[0][0]
                reopen = text[j]
                if reopen == bottom_mark or (reopen in "“‘\"'«»„" and bottom_mark in "“‘\"'«»„"):
                    can_open, _ = _flanking(text, j)
                    if can_open and _starts_speech(text, stack[0][1]):
                        stack[:] = stack[:1]
                        para += 1
                        # consume the reopening mark and any events before it
                        while k < len(events) and events[k][0] <= j:
                            k += 1
                        continue
            if stack:
                stack.clear()
            para += 1
            continue
        ch = text[i]
        can_open, can_close = _flanking(text, i)
        closed = False
        if can_close and ch in _CLOSERS:
            compatible = _CLOSES[ch]
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] in compatible:
                    mark, at, p0 = stack[depth]
                    del stack[depth:]
                    a, b = _content(text, at + 1, i)
                    if b > a:
                        out.append(Quoted(at, i + 1, a, b, depth, para - p0 + 1))
                    closed = True
                    break
        if closed:
            continue
        if can_open and ch in _OPENERS:
            if ch == "”" and not (i == 0 or not _is_word(text[i - 1])):
                continue
            if ch in "'’" and i > 0 and _is_word(text[i - 1]):
                continue
            stack.append((ch, i, para))
    out.extend(_dash_quotes(text, out))
    out.sort(key=lambda q: (q.open, -q.close))
    return _with_depths(out)


def _with_depths(quotes: list[Quoted]) -> list[Quoted]:
    """Depth = how many kept quotes contain each one (an unbalanced outer mark does not count)."""
    out: list[Quoted] = []
    open_ends: list[int] = []
    for q in quotes:
        while open_ends and open_ends[-1] <= q.open:
            open_ends.pop()
        depth = len(open_ends)
        out.append(
            q if q.depth == depth else Quoted(q.open, q.close, q.start, q.end, depth, q.paragraphs, q.dash)
        )
        open_ends.append(q.close)
    return out


def _dash_quotes(text: str, marked: list[Quoted]) -> list[Quoted]:
    """Dialogue dashes: a paragraph that starts with a dash is speech; `` – `` + a lowercase word ends it."""
    out: list[Quoted] = []
    starts = [(m, True) for m in _DASH_PARA.finditer(text)]
    starts += [(m, False) for m in _DASH_MID.finditer(text) if text[m.end()].isupper()]
    for m, at_para in starts:
        if any(q.open <= m.start(1) < q.close for q in marked):
            continue
        if not at_para:
            # inside a paragraph only when a closing " – " + a lower-case word (the attribution) follows
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end == -1 else line_end
            sep = _DASH_SEP.search(text, m.end(), line_end)
            if sep is None or not text[sep.end() : sep.end() + 1].islower():
                continue
        line_end = text.find("\n", m.end())
        if line_end == -1:
            line_end = len(text)
        pos = m.end()
        opener = m.start(1)
        while pos < line_end:
            sep = _DASH_SEP.search(text, pos, line_end)
            if sep is None:
                a, b = _content(text, pos, line_end)
                if b > a:
                    out.append(Quoted(opener, line_end, a, b, 0, 1, dash=True))
                break
            a, b = _content(text, pos, sep.start())
            if b > a:
                out.append(Quoted(opener, sep.end(1), a, b, 0, 1, dash=True))
            # the attribution runs to the next dash (which reopens the speech) or to the line end
            nxt = _DASH_SEP.search(text, sep.end(), line_end)
            if nxt is None:
                break
            opener = nxt.start(1)
            pos = nxt.end()
    unique: dict[tuple[int, int], Quoted] = {}
    for q in out:
        unique.setdefault((q.open, q.close), q)
    return list(unique.values())


def outer_quotes(quotes: list[Quoted]) -> list[Quoted]:
    """Only the outermost quoted passages."""
    return [q for q in quotes if q.depth == 0]

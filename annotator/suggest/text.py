"""Tokens and sentences of an article, with code-point offsets, built once per text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from annotator.suggest.marks import MARK_CHARS, Quoted

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:[-'’]\w+)*|\S")
_ABBREVIATIONS = frozenset(
    """
    dr prof mr mrs ms st nr no vs bzw ca etc usw z b d h u a o ggf inkl evtl sog vgl jr sr gen col lt sen rep
    gov mt ft mme mlle av sra sr dra art abs bd jan feb mar apr jun jul aug sep sept oct okt nov dec dez
    """.split()
)
_SENT_END = frozenset(".!?…")


@dataclass
class Tokens:
    """The tokens of a text: parallel lists of start, end, text and lower-case text."""

    text: str
    starts: list[int]
    ends: list[int]
    words: list[str]
    lower: list[str]

    def __len__(self) -> int:
        return len(self.starts)

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_right(self.starts, offset - 1)


def tokenize(text: str) -> Tokens:
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    for m in _TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        words.append(m.group())
    return Tokens(text, starts, ends, words, [w.lower() for w in words])


def is_cap(word: str) -> bool:
    return word[:1].isupper()


def is_word(word: str) -> bool:
    return word[:1].isalnum()


def sentences(tok: Tokens, quotes: list[Quoted]) -> list[tuple[int, int]]:
    """Sentences as half-open token index ranges. Never split inside a quoted passage."""
    text = tok.text
    n = len(tok)
    # token -> inside an outermost quote (strictly between its marks)
    protected = [False] * n
    closes_at: dict[int, Quoted] = {}
    for q in quotes:
        if q.depth != 0:
            continue
        closes_at[q.close] = q
        i = tok.index_at(q.open + 1)
        while i < n and tok.ends[i] <= q.close - 1:
            protected[i] = True
            i += 1
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(n):
        if i + 1 >= n:
            break
        gap = text[tok.ends[i] : tok.starts[i + 1]]
        if "\n" in gap and not protected[i + 1]:
            out.append((start, i + 1))
            start = i + 1
            continue
        if protected[i] or not gap:
            continue
        w = tok.words[i]
        nxt = tok.words[i + 1]
        boundary = False
        if w in _SENT_END:
            prev = tok.lower[i - 1] if i > 0 else ""
            if (is_cap(nxt) or nxt[:1].isdigit() or nxt in MARK_CHARS or nxt in "–—-([") and not (
                prev in _ABBREVIATIONS
                or (len(prev) == 1 and prev.isalpha())
                or (prev.isdigit() and len(prev) <= 2)
            ):
                boundary = True
        elif w in MARK_CHARS and tok.ends[i] in closes_at:
            q = closes_at[tok.ends[i]]
            if text[q.end - 1] in _SENT_END and (is_cap(nxt) or nxt in MARK_CHARS):
                boundary = True
        if boundary:
            out.append((start, i + 1))
            start = i + 1
    if start < n:
        out.append((start, n))
    return out

"""How one version of an article's text maps onto the next: an alignment of equal blocks.

The texts are compared in three passes, each only where the one before found a difference, so
that a 5 MB article with a few edits costs little more than reading it:

1. lines (each with the blank lines after it), by *patience diff*: equal lines at either end, then
   the lines found exactly once on each side as anchors, and the same again between anchors
   (a blank line or a repeated line never anchors anything);
2. between anchors: words and punctuation marks (each with the space after it), with rapidfuzz's
   bit-parallel LCS (:func:`rapidfuzz.distance.Indel.opcodes`) (a run too large for that: lines);
   equal runs no longer than the edits on both sides are dropped (chance, not evidence); whole
   words first, so that "he said. … he added." shortened to "he said." keeps "said" whole;
3. inside each pair of differing token (or line) runs that is small enough: characters.

The result is a list of *equal blocks* ``(old_start, new_start, length)``, in order on both sides:
text that is the same character for character and in the same order. Everything between two
blocks was deleted (old side), inserted (new side), or both (replaced).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
"""A word or a punctuation mark with the white space after it: white space alone would match
white space anywhere."""
_PARAGRAPH = re.compile(r"[^\n]*\n+|[^\n]+")
"""A line with the blank lines after it: blank lines alone would match each other anywhere."""

MAX_TOKEN_CELLS = 40_000_000
"""Token runs are compared only when ``len(old) * len(new)`` tokens is at most this (the LCS
costs about one bit per cell); larger runs are left as one replaced block."""
MAX_CHAR_CELLS = 4_000_000
"""The same bound for the character pass."""
MIN_ANCHOR_CHARS = 16
"""A line anchors the patience diff only with this many characters (a short line such as "Photo"
or "a" that happens to occur once on each side is no evidence that the two are the same line)."""


@dataclass(frozen=True)
class Block:
    """``length`` code points equal in both texts, at ``old`` in the old text and ``new`` in the new."""

    old: int
    new: int
    length: int


def _pieces(text: str, level: int) -> list[str]:
    if level == 0:
        return _PARAGRAPH.findall(text)
    if level == 1:
        return _TOKEN.findall(text)
    return list(text)


def _offsets(pieces: Sequence[str]) -> list[int]:
    at = [0]
    for p in pieces:
        at.append(at[-1] + len(p))
    return at


def _blocks(old: str, new: str, old0: int, new0: int, level: int, out: list[Block]) -> None:
    """Append the equal blocks of ``old`` and ``new`` (which start at ``old0``/``new0``) to ``out``."""
    if not old or not new:
        return
    if old == new:
        out.append(Block(old0, new0, len(old)))
        return
    if level == 0:
        a, b = _pieces(old, 0), _pieces(new, 0)
        _patience(a, b, _offsets(a), _offsets(b), 0, len(a), 0, len(b), old0, new0, out)
        return
    a, b = _pieces(old, level), _pieces(new, level)
    if level == 1 and len(a) * len(b) > MAX_TOKEN_CELLS:
        a, b, level = _pieces(old, 0), _pieces(new, 0), 0  # too large: lines by LCS, then inside them
    _lcs(a, b, old, new, old0, new0, level, out)


def _lcs(a: list[str], b: list[str], old: str, new: str, old0: int, new0: int, level: int,
         out: list[Block]) -> None:  # fmt: skip
    """The longest common subsequence of two lists of pieces; the runs between its matches compared
    again one level finer."""
    if level == 2 and len(a) * len(b) > MAX_CHAR_CELLS:
        return
    a_at, b_at = _offsets(a), _offsets(b)
    matches = [(m.a, m.b, m.size) for m in Indel.opcodes(a, b).as_matching_blocks() if m.size]
    if level == 1:
        matches = _without_weak(matches, a_at, b_at, len(a), len(b))
    ai = bi = 0  # end of the last equal run, in pieces
    for ma, mb, size in [*matches, (len(a), len(b), 0)]:
        if (ma > ai or mb > bi) and level < 2:
            _blocks(old[a_at[ai] : a_at[ma]], new[b_at[bi] : b_at[mb]], old0 + a_at[ai], new0 + b_at[bi],
                    level + 1, out)  # fmt: skip
        if size:
            out.append(Block(old0 + a_at[ma], new0 + b_at[mb], a_at[ma + size] - a_at[ma]))
        ai, bi = ma + size, mb + size


def _without_weak(
    matches: list[tuple[int, int, int]], a_at: list[int], b_at: list[int], na: int, nb: int
) -> list[tuple[int, int, int]]:
    """Drop the equal runs that are no longer than the edits on both sides of them (the "semantic
    clean-up" of diff-match-patch): a lone "a " between a rewritten word and another is chance, and
    taking it as an anchor would pair the wrong words (the characters are compared again after)."""
    out = list(matches)
    k = 0
    while k < len(out):
        ma, mb, size = out[k]
        pa, pb = (out[k - 1][0] + out[k - 1][2], out[k - 1][1] + out[k - 1][2]) if k else (0, 0)
        na_, nb_ = (out[k + 1][0], out[k + 1][1]) if k + 1 < len(out) else (na, nb)
        length = a_at[ma + size] - a_at[ma]
        before = max(a_at[ma] - a_at[pa], b_at[mb] - b_at[pb])
        after = max(a_at[na_] - a_at[ma + size], b_at[nb_] - b_at[mb + size])
        if length <= before and length <= after:
            del out[k]
            k = max(k - 1, 0)  # the runs around it now border a larger edit: look again
        else:
            k += 1
    return out


def _patience(
    a: list[str], b: list[str], a_at: list[int], b_at: list[int],
    alo: int, ahi: int, blo: int, bhi: int, old0: int, new0: int, out: list[Block],
) -> None:  # fmt: skip
    """Patience diff of lines ``a[alo:ahi]`` and ``b[blo:bhi]``: equal lines at either end, then the
    lines that occur once on each side (in an order both sides agree on) as anchors, and the runs
    between anchors the same way; a run without anchors is compared more finely (:func:`_blocks`).
    Lines that are not unique (a blank line, "Advertisement") never anchor anything."""
    if alo >= ahi or blo >= bhi:
        return  # nothing on one side: only deleted or only inserted lines
    tail: list[Block] = []
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        out.append(Block(old0 + a_at[alo], new0 + b_at[blo], len(a[alo])))
        alo, blo = alo + 1, blo + 1
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
        tail.append(Block(old0 + a_at[ahi], new0 + b_at[bhi], len(a[ahi])))
    anchors = _unique_anchors(a, b, alo, ahi, blo, bhi)
    if not anchors:
        _blocks("".join(a[alo:ahi]), "".join(b[blo:bhi]), old0 + a_at[alo], new0 + b_at[blo], 1, out)
    else:
        for i, j in anchors:
            _patience(a, b, a_at, b_at, alo, i, blo, j, old0, new0, out)
            out.append(Block(old0 + a_at[i], new0 + b_at[j], len(a[i])))
            alo, blo = i + 1, j + 1
        _patience(a, b, a_at, b_at, alo, ahi, blo, bhi, old0, new0, out)
    out.extend(reversed(tail))


def _unique_anchors(
    a: list[str], b: list[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of lines (of :data:`MIN_ANCHOR_CHARS` or more) that occur exactly once in
    ``a[alo:ahi]`` and once in ``b[blo:bhi]``, the longest run of them in the same order on both sides."""
    count: dict[str, list[int]] = {}
    for i in range(alo, ahi):
        entry = count.setdefault(a[i], [0, i, 0, -1])
        entry[0] += 1
    for j in range(blo, bhi):
        seen = count.get(b[j])
        if seen is not None:
            seen[2] += 1
            seen[3] = j
    pairs = sorted(
        (e[1], e[3])
        for line, e in count.items()
        if e[0] == 1 and e[2] == 1 and len(line.strip()) >= MIN_ANCHOR_CHARS
    )
    if not pairs:
        return []
    # Longest increasing subsequence of the j's (patience sorting).
    tops: list[int] = []
    top_index: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tops, j)
        if pos == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[pos] = j
            top_index[pos] = k
        back[k] = top_index[pos - 1] if pos > 0 else -1
    out, k = [], top_index[-1]
    while k != -1:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _merged(blocks: Sequence[Block]) -> list[Block]:
    out: list[Block] = []
    for blk in blocks:
        if blk.length <= 0:
            continue
        if out and out[-1].old + out[-1].length == blk.old and out[-1].new + out[-1].length == blk.new:
            last = out.pop()
            blk = Block(last.old, last.new, last.length + blk.length)
        out.append(blk)
    return out


class Alignment:
    """The equal blocks between an old and a new text, with look-ups by position on either side."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        raw: list[Block] = []
        _blocks(old, new, 0, 0, 0, raw)
        self.blocks = _merged(raw)
        self._old_starts = [b.old for b in self.blocks]
        self._new_starts = [b.new for b in self.blocks]
        self._changed_new: list[tuple[int, int]] | None = None

    @property
    def identical(self) -> bool:
        return self.old == self.new

    def old_block(self, pos: int) -> Block | None:
        """The equal block holding the old text's character at ``pos``, or None (deleted or replaced)."""
        i = bisect.bisect_right(self._old_starts, pos) - 1
        if i >= 0:
            blk = self.blocks[i]
            if pos < blk.old + blk.length:
                return blk
        return None

    def new_block(self, pos: int) -> Block | None:
        """The equal block holding the new text's character at ``pos``, or None (inserted or replaced)."""
        i = bisect.bisect_right(self._new_starts, pos) - 1
        if i >= 0:
            blk = self.blocks[i]
            if pos < blk.new + blk.length:
                return blk
        return None

    def gap_in_new(self, pos: int) -> tuple[int, int]:
        """For an old position outside every equal block: the new text between the blocks around it
        (what replaced it; empty when it was only deleted)."""
        i = bisect.bisect_right(self._old_starts, pos) - 1
        lo = self.blocks[i].new + self.blocks[i].length if i >= 0 else 0
        hi = self.blocks[i + 1].new if i + 1 < len(self.blocks) else len(self.new)
        return lo, hi

    def map_char(self, pos: int) -> int | None:
        """The new position of the old text's character at ``pos``, when it is in an equal block."""
        blk = self.old_block(pos)
        return None if blk is None else blk.new + pos - blk.old

    def within_one_block(self, start: int, end: int) -> Block | None:
        """The equal block that holds all of the old span ``[start, end)``, if one does."""
        blk = self.old_block(start)
        if blk is not None and end <= blk.old + blk.length:
            return blk
        return None

    def is_old_text(self, start: int, end: int) -> bool:
        """True when the new span ``[start, end)`` lies inside one equal block: it is text the old
        version had at another place, not new text."""
        blk = self.new_block(start)
        return blk is not None and end <= blk.new + blk.length

    def changed_new_ranges(self) -> list[tuple[int, int]]:
        """The new text's ranges that are not in any equal block (inserted or replaced text)."""
        if self._changed_new is None:
            out, at = [], 0
            for blk in self.blocks:
                if blk.new > at:
                    out.append((at, blk.new))
                at = blk.new + blk.length
            if at < len(self.new):
                out.append((at, len(self.new)))
            self._changed_new = out
        return self._changed_new

    def new_occurrences(self, needle: str) -> list[int]:
        """Starts of the occurrences of ``needle`` in the new text that are not old text (see
        :meth:`is_old_text`): each overlaps inserted or replaced text. Only the changed ranges
        (and ``len(needle)`` around them) are searched, not the whole text."""
        n = len(needle)
        if not n:
            return []
        hits: set[int] = set()
        for lo, hi in self.changed_new_ranges():
            i = self.new.find(needle, max(0, lo - n + 1), hi + n - 1)
            while i != -1:
                hits.add(i)
                i = self.new.find(needle, i + 1, hi + n - 1)
        return sorted(h for h in hits if not self.is_old_text(h, h + n))

    def changed_old_ranges(self) -> list[tuple[int, int]]:
        """The old text's ranges that are not in any equal block (deleted or replaced text)."""
        out, at = [], 0
        for blk in self.blocks:
            if blk.old > at:
                out.append((at, blk.old))
            at = blk.old + blk.length
        if at < len(self.old):
            out.append((at, len(self.old)))
        return out

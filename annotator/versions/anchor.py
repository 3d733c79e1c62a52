"""Carrying spans from one version of an article's text to the next (re-anchoring).

Each span (a quote, its cue, each hop's evidence) is looked for in three steps:

1. **at its place**: the alignment (:class:`~annotator.versions.alignment.Alignment`) holds the whole
   span in one equal block, so its text is there, at the same offsets (*unchanged*) or shifted
   (*moved*);
2. **elsewhere, exactly**: the span's text occurs in the new version in text that is new there
   (inserted or replaced, e.g. a paragraph moved), the occurrence whose surroundings best match the
   span's 32-code-point prefix and suffix, then the nearest (*moved*). An occurrence inside an
   equal block is another passage the old version also had, never taken for this one;
3. **fuzzy, in context**: the new text that took the span's place (its ends fixed by the
   unchanged text around it when there is some, else by rapidfuzz's best partial alignment) is the
   span's new text, when it is similar enough (*changed*, with the old and the new text).

Otherwise the span is *lost*: nothing similar took its place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from rapidfuzz import fuzz

from annotator.anchoring import reanchor
from annotator.canonical import CONTEXT_CHARS, context
from annotator.versions.alignment import Alignment

Span = tuple[int, int]

CHANGED_MIN_SCORE = 50.0
"""The least similarity (rapidfuzz ``fuzz.ratio``, 0–100) between a span's old text and the text
that took its place for the span to count as *changed* rather than *lost*."""

SEARCH_SLACK = 200
"""How far (code points) around its expected place a span is looked for fuzzily."""


class Outcome(enum.StrEnum):
    """What became of a span (or a quote) in the new version, from best to worst."""

    UNCHANGED = "unchanged"
    MOVED = "moved"
    CHANGED = "changed"
    LOST = "lost"


_RANK = {o: i for i, o in enumerate(Outcome)}


def worst(*outcomes: Outcome) -> Outcome:
    """The worst of several outcomes (``UNCHANGED`` for none)."""
    return max(outcomes, key=_RANK.__getitem__, default=Outcome.UNCHANGED)


@dataclass(frozen=True)
class Placement:
    """Where a span of the old version is in the new one."""

    outcome: Outcome
    old: Span
    old_text: str
    new: Span | None
    """None when lost."""
    new_text: str | None
    step: str
    """``"position"``, ``"elsewhere"`` or ``"fuzzy"`` (the step that found it), ``""`` when lost."""
    score: float
    """Similarity of the new text to the old, 0–100 (100 for an exact match, 0 when lost)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "old": list(self.old),
            "old_text": self.old_text,
            "new": list(self.new) if self.new else None,
            "new_text": self.new_text,
            "step": self.step,
            "score": round(self.score, 1),
        }


def place(
    alignment: Alignment, start: int, end: int, *, hint: int | None = None, replaced: bool = False
) -> Placement:
    """Find the old span ``[start, end)`` in the new text (see the module docstring).

    ``hint``: where the span is expected in the new text (e.g. beside its quote), to choose
    between equally good candidates. ``replaced``: when unchanged text fixes both ends, whatever
    took the span's place is its new text however different (for cues and evidence: "made it
    clear" rewritten "insisted"); a quote needs :data:`CHANGED_MIN_SCORE`.
    """
    old, new = alignment.old, alignment.new
    text = old[start:end]

    # 1. At its place.
    blk = alignment.within_one_block(start, end)
    if blk is not None:
        ns = blk.new + start - blk.old
        outcome = Outcome.UNCHANGED if ns == start else Outcome.MOVED
        return Placement(outcome, (start, end), text, (ns, ns + len(text)), text, "position", 100.0)

    lo, lo_sure = _start_bound(alignment, start)
    hi, hi_sure = _end_bound(alignment, end)
    expected = hint if hint is not None else lo

    # 2. Elsewhere, exactly, in text that is new in this version.
    prefix, suffix = context(old, start, end, CONTEXT_CHARS)
    found = reanchor(new, text, prefix, suffix, expected, hits=alignment.new_occurrences(text))
    if found is not None:
        outcome = Outcome.UNCHANGED if found == (start, end) else Outcome.MOVED
        return Placement(outcome, (start, end), text, found, text, "elsewhere", 100.0)

    # 3. Fuzzy: what took its place.
    if not (lo_sure and hi_sure):
        lo = max(lo, expected - len(text) - SEARCH_SLACK) if not lo_sure else lo
        hi = min(hi, expected + 2 * len(text) + SEARCH_SLACK) if not hi_sure else hi
        if hi - lo > len(text):
            aligned = fuzz.partial_ratio_alignment(text, new[lo:hi])
            if aligned is not None and aligned.score > 0:
                lo, hi = (
                    (lo if lo_sure else lo + aligned.dest_start),
                    (hi if hi_sure else lo + aligned.dest_end),
                )
    lo, hi = _trimmed(new, lo, hi)
    if hi <= lo or not any(c.isalnum() for c in new[lo:hi]):
        return _lost(start, end, text)
    candidate = new[lo:hi]
    if candidate == text:
        outcome = Outcome.UNCHANGED if (lo, hi) == (start, end) else Outcome.MOVED
        return Placement(outcome, (start, end), text, (lo, hi), text, "fuzzy", 100.0)
    score = fuzz.ratio(text, candidate)
    if score < CHANGED_MIN_SCORE and not (replaced and lo_sure and hi_sure):
        return _lost(start, end, text)
    return Placement(Outcome.CHANGED, (start, end), text, (lo, hi), candidate, "fuzzy", score)


def _lost(start: int, end: int, text: str) -> Placement:
    return Placement(Outcome.LOST, (start, end), text, None, None, "", 0.0)


def _start_bound(al: Alignment, start: int) -> tuple[int, bool]:
    """Where the span's start is in the new text, and whether unchanged text fixes it there."""
    p = al.map_char(start)
    if p is not None:
        return p, True
    if start > 0:
        q = al.map_char(start - 1)
        if q is not None:
            return q + 1, True
    return al.gap_in_new(start)[0], False


def _end_bound(al: Alignment, end: int) -> tuple[int, bool]:
    p = al.map_char(end - 1)
    if p is not None:
        return p + 1, True
    if end < len(al.old):
        q = al.map_char(end)
        if q is not None:
            return q, True
    return al.gap_in_new(end - 1)[1], False


def _trimmed(text: str, lo: int, hi: int) -> Span:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi

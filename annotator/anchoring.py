"""Finding spans in an article's canonical text.

Offsets are code points of the frozen canonical text. A quote also keeps its exact text and the
32 code points on either side, so that when offsets and text ever disagree (a file edited by
hand, a partner's export, a new version of the article) the span can be found again:
:func:`reanchor`, and :mod:`annotator.versions.anchor` for a new version.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import regex

from annotator.canonical import context
from annotator.errors import OffsetError

OPENING_QUOTES = "\"“„«‹‘‚'「『"
CLOSING_QUOTES = "\"”“»›’‘'」』"
_QUOTE_CHARS = set(OPENING_QUOTES + CLOSING_QUOTES)


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every occurrence of ``needle`` in ``text`` (overlapping ones included)."""
    if not needle:
        return []
    out, i = [], text.find(needle)
    while i != -1:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def find_exact(
    text: str, needle: str, *, occurrence: int | None = None, title: str = "the article"
) -> tuple[int, int]:
    """The span of ``needle`` in ``text``; ``occurrence`` (1-based) picks one when it occurs several times."""
    hits = occurrences(text, needle)
    if not hits:
        raise OffsetError(f"the text {_short(needle)!r} does not occur in {title}")
    if occurrence is None:
        if len(hits) > 1:
            raise OffsetError(
                f"the text {_short(needle)!r} occurs {len(hits)} times in {title}: "
                f"say which occurrence (1-{len(hits)})"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(hits):
        raise OffsetError(f"{title} has {len(hits)} occurrence(s) of {_short(needle)!r}, not {occurrence}")
    start = hits[occurrence - 1]
    return start, start + len(needle)


def trim_span(text: str, start: int, end: int, *, include_quote_marks: bool | None = None) -> tuple[int, int]:
    """Trim surrounding white space from a selection; add or drop enclosing quotation marks.

    ``include_quote_marks``: ``True`` grows the span over quotation marks right around it,
    ``False`` drops marks at its edges, ``None`` leaves them as selected.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if include_quote_marks is False:
        while start < end and text[start] in _QUOTE_CHARS:
            start += 1
        while end > start and text[end - 1] in _QUOTE_CHARS:
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    elif include_quote_marks:
        s, e = start, end
        while s > 0 and (
            text[s - 1] in _QUOTE_CHARS or text[s - 1] == "\u00a0" and s > 1 and text[s - 2] in "«‹"
        ):
            s -= 1
        while e < len(text) and (
            text[e] in _QUOTE_CHARS or text[e] == "\u00a0" and e + 1 < len(text) and text[e + 1] in "»›"
        ):
            e += 1
        start, end = s, e
    return snap_to_graphemes(text, start, end)


def guess_type(text: str, start: int, end: int) -> str:
    """``direct`` when the span is wrapped in quotation marks (as selected or just outside it),
    ``partial`` when marks wrap it but it sits inside a longer sentence of reported speech,
    else ``indirect``."""
    before = text[max(0, start - 2) : start].replace("\u00a0", "").replace(" ", "")
    after = text[end : end + 2].replace("\u00a0", "").replace(" ", "")
    first, last = text[start], text[end - 1]
    quoted = (first in _QUOTE_CHARS and last in _QUOTE_CHARS) or (
        before[-1:] in _QUOTE_CHARS and before[-1:] != "" and (after[:1] in _QUOTE_CHARS and after[:1] != "")
    )
    if not quoted:
        return "indirect"
    # A quoted stretch that opens with a capital, or follows a colon or a verb of saying
    # ("said that '...'"), reads as a direct quote; one that starts mid-phrase is a fragment.
    lead = text[max(0, start - 40) : start].rstrip(OPENING_QUOTES + " \u00a0")
    inner = text[start:end].strip(OPENING_QUOTES + CLOSING_QUOTES + " \u00a0")
    if not lead or lead[-1] in ".:!?\n" or inner[:1].isupper():
        return "direct"
    words = lead.replace(",", " ").split()
    if words and words[-1].lower() == "that":
        words = words[:-1]
    if words and words[-1].lower() in _SPEECH_VERBS:
        return "direct"
    return "partial"


_SPEECH_VERBS = {
    "said",
    "says",
    "say",
    "added",
    "adds",
    "stated",
    "states",
    "told",
    "tells",
    "declared",
    "declares",
    "reaffirmed",
    "confirmed",
    "stressed",
    "insisted",
    "noted",
    "claimed",
    "promised",
    "vowed",
    "repeated",
    "reiterated",
    "wrote",
    "writes",
    "announced",
    "announces",
    "replied",
    "answered",
    "explained",
    "argued",
    "warned",
    "sagte",
    "erklärte",
    "betonte",
    "a déclaré",
    "déclaré",
    "dit",
    "a dit",
    "affirmé",
}


def reanchor(
    text: str,
    exact: str,
    prefix: str,
    suffix: str,
    hint: int | None = None,
    *,
    hits: Iterable[int] | None = None,
) -> tuple[int, int] | None:
    """Find ``exact`` again: of its occurrences (or of ``hits``, the starts to choose from), the one
    whose surroundings match most of ``prefix`` and ``suffix`` (counted in code points from the span
    outwards), then the one nearest ``hint``."""
    hits = occurrences(text, exact) if hits is None else list(hits)
    if not hits:
        return None

    def score(s: int) -> tuple[int, int]:
        before, after = context(text, s, s + len(exact), max(len(prefix), len(suffix), 1))
        matched = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        return (-matched, abs(s - hint) if hint is not None else 0)

    best = min(hits, key=score)
    return best, best + len(exact)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def check_span(text_length: int, start: int, end: int, *, title: str, what: str = "span") -> None:
    """Raise a readable :class:`OffsetError` when ``[start, end)`` does not fit a text."""
    if start < 0:
        raise OffsetError(f"{what} start {start} is negative")
    if end <= start:
        raise OffsetError(f"{what} [{start}, {end}) is empty or reversed: the start must come before the end")
    if end > text_length:
        raise OffsetError(f"offset {end} is past the end of article {title!r} ({text_length:,} characters)")


# -- user-perceived characters (extended grapheme clusters, Unicode's UAX #29, by ``regex``'s \\X) ------

_CLUSTER = regex.compile(r"\X")
_GCB = "Grapheme_Cluster_Break"
# A code point that can continue the cluster before it (a break before it depends on what precedes).
_CONTINUES = regex.compile(
    f"[\\p{{{_GCB}=Extend}}\\p{{{_GCB}=ZWJ}}\\p{{{_GCB}=SpacingMark}}\\p{{{_GCB}=L}}\\p{{{_GCB}=V}}"
    f"\\p{{{_GCB}=T}}\\p{{{_GCB}=LV}}\\p{{{_GCB}=LVT}}\\p{{{_GCB}=Regional_Indicator}}\\n]"
)
# A code point after which the next one may belong to the same cluster (Prepend, the joiner, combining
# marks and viramas before an Indic conjunct's consonant, CR before LF).
_JOINS_NEXT = regex.compile(f"[\\p{{{_GCB}=Prepend}}\\p{{{_GCB}=ZWJ}}\\p{{{_GCB}=Extend}}\\r]")

_RI_RUN = regex.compile(f"\\p{{{_GCB}=Regional_Indicator}}+")
# The last code point before a position that cannot continue a cluster (searched backwards).
_STARTER_BEFORE = regex.compile(_CONTINUES.pattern.replace("[", "[^", 1), flags=regex.REVERSE)


def _surely_boundary(text: str, offset: int) -> bool:
    return (
        offset <= 0
        or offset >= len(text)
        or (_CONTINUES.match(text, offset) is None and _JOINS_NEXT.match(text, offset - 1) is None)
    )


def grapheme_cluster_at(text: str, offset: int) -> tuple[int, int]:
    """The ``[start, end)`` of the user-perceived character (extended grapheme cluster) that holds
    the code point at ``offset`` (``0 <= offset < len(text)``)."""
    start = offset
    while not _surely_boundary(text, start):  # back to a point where clusters surely begin
        m = _STARTER_BEFORE.search(text, 0, start)  # jumps over runs of marks in one search
        start = m.start() if m is not None else 0
    while True:
        # Flags pair up from the start of a run; regex's \\X counts the run back from every
        # position in it (quadratic on a long run), so a run's pairs are taken here.
        run = _RI_RUN.match(text, start)
        if run is not None and run.end() - start > 2:
            last = start + 2 * ((run.end() - start - 1) // 2)  # the run's last cluster may take marks
            if offset < last:
                a = start + 2 * ((offset - start) // 2)
                return a, a + 2
            start = last
        m = _CLUSTER.match(text, start)
        assert m is not None
        if m.end() > offset:
            return m.start(), m.end()
        start = m.end()


def is_grapheme_boundary(text: str, offset: int) -> bool:
    """Whether ``offset`` falls between two user-perceived characters: not inside a joined emoji
    sequence (👩‍👩‍👧, a flag), before a combining mark, or inside a Hangul syllable or an Indic
    conjunct. The ends of the text are boundaries."""
    if _surely_boundary(text, offset):
        return True
    return grapheme_cluster_at(text, offset)[0] == offset


def grapheme_problem(text: str, start: int, end: int, *, what: str = "span") -> str | None:
    """Why ``[start, end)`` would cut a user-perceived character in two, or None. The one rule of
    the project for every stored span (quotes, cues, evidence), in the app and in every import."""
    for edge, offset in (("start", start), ("end", end)):
        if 0 <= offset <= len(text) and not is_grapheme_boundary(text, offset):
            a, b = grapheme_cluster_at(text, offset)
            cluster = text[a:b]
            points = " ".join(f"U+{ord(c):04X}" for c in cluster[:8]) + (" …" if len(cluster) > 8 else "")
            first = unicodedata.category(text[offset]).startswith("M")
            how = "starts on a combining mark of" if edge == "start" and first else "splits"
            if edge == "end":
                how = "ends inside"
            return (
                f"{what} {edge} {offset} {how} a character of {b - a} code points ({points}) at [{a}, {b}): "
                "a span must begin and end between whole characters"
            )
    return None


def check_graphemes(text: str, start: int, end: int, *, what: str = "span") -> None:
    """Raise :class:`OffsetError` when ``[start, end)`` cuts a user-perceived character
    (:func:`grapheme_problem`)."""
    reason = grapheme_problem(text, start, end, what=what)
    if reason is not None:
        raise OffsetError(reason)


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown to whole user-perceived characters (for a selection made by hand)."""
    if 0 < start < len(text) and not is_grapheme_boundary(text, start):
        start = grapheme_cluster_at(text, start)[0]
    if 0 < end < len(text) and not is_grapheme_boundary(text, end):
        end = grapheme_cluster_at(text, end)[1]
    return start, end


def step_grapheme(text: str, offset: int, delta: int) -> int:
    """``offset`` moved ``delta`` user-perceived characters (negative: to the left), within the text."""
    for _ in range(abs(delta)):
        if delta < 0 and offset > 0:
            offset = grapheme_cluster_at(text, offset - 1)[0]
        elif delta > 0 and offset < len(text):
            offset = grapheme_cluster_at(text, offset)[1]
    return offset


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"

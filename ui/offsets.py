"""The one place where code-point offsets and Qt (UTF-16) positions are converted.

The database stores offsets as Unicode code points of an article's canonical text (Python ``str``
indices). Qt's text classes count UTF-16 code units, in which every astral character (U+10000 and
above: 𝕏, 😀, each half of a 🇺🇦 flag) takes two units. Nothing else in ``ui/`` may do this
arithmetic: build a :class:`Utf16Index` once per text and ask it.

A ``QPlainTextEdit`` holding a canonical text has one document position per UTF-16 code unit of
that text (a newline becomes the block separator, still one position), so UTF-16 offsets into the
text *are* document positions.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Index:
    """Converts between code-point offsets and UTF-16 positions of one text in O(log n).

    Built once from the text (O(n)); keeps only the positions of its astral characters.

    ``from_qt`` of a UTF-16 position that falls *inside* a surrogate pair (between the two
    halves of one astral character) snaps to the start of that character: the returned code-point
    offset is the character's own index. Qt's cursors never stop there, but a stray position
    can never yield half a character.
    """

    __slots__ = ("_astral_cp", "_astral_u16", "_len_cp", "_len_u16")

    def __init__(self, text: str) -> None:
        # Code-point indices of astral characters, ascending (the scan runs in C).
        astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_cp = astral
        # UTF-16 position of each astral character (its high surrogate).
        self._astral_u16 = [cp + k for k, cp in enumerate(astral)]
        self._len_cp = len(text)
        self._len_u16 = len(text) + len(astral)

    # -- sizes ---------------------------------------------------------------------------------

    @property
    def length(self) -> int:
        """Length of the text in code points."""
        return self._len_cp

    @property
    def qt_length(self) -> int:
        """Length of the text in UTF-16 code units."""
        return self._len_u16

    @property
    def has_astral(self) -> bool:
        return bool(self._astral_cp)

    # -- single positions ------------------------------------------------------------------------

    def to_qt(self, cp: int) -> int:
        """UTF-16 position of code-point offset ``cp`` (0 <= cp <= length)."""
        if not 0 <= cp <= self._len_cp:
            raise ValueError(f"code-point offset {cp} outside 0..{self._len_cp}")
        return cp + bisect_left(self._astral_cp, cp)

    def from_qt(self, u16: int) -> int:
        """Code-point offset of UTF-16 position ``u16`` (0 <= u16 <= qt_length).

        A position inside a surrogate pair snaps to the start of that character.
        """
        if not 0 <= u16 <= self._len_u16:
            raise ValueError(f"UTF-16 position {u16} outside 0..{self._len_u16}")
        # Every astral character starting before u16 contributed one extra unit; if u16 is inside
        # the last of them, subtracting its extra unit lands exactly on its start.
        return u16 - bisect_left(self._astral_u16, u16)

    def clamp_to_qt(self, cp: int) -> int:
        """Like :meth:`to_qt`, with ``cp`` first clamped into 0..length."""
        return self.to_qt(min(max(cp, 0), self._len_cp))

    def clamp_from_qt(self, u16: int) -> int:
        """Like :meth:`from_qt`, with ``u16`` first clamped into 0..qt_length."""
        return self.from_qt(min(max(u16, 0), self._len_u16))

    # -- ranges ----------------------------------------------------------------------------------

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """Half-open code-point range -> half-open UTF-16 range."""
        return self.to_qt(start), self.to_qt(end)

    def range_from_qt(self, start: int, end: int) -> tuple[int, int]:
        """Half-open UTF-16 range -> the smallest code-point range covering it.

        ``start`` snaps down and ``end`` snaps up, so a range cutting a surrogate pair covers the
        whole character rather than dropping it.
        """
        s = self.from_qt(start)
        e = self.from_qt(end)
        if self.to_qt(e) < end:  # end was inside a surrogate pair
            e += 1
        return s, e

    def __repr__(self) -> str:
        return f"Utf16Index(length={self._len_cp}, qt_length={self._len_u16})"

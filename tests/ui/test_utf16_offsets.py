"""Utf16Index: code points <-> UTF-16 positions, the one conversion point of the UI."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ui.offsets import Utf16Index

TRICKY = [
    "a",
    "é",
    "e\u0301",
    "\u0301",
    "\n",
    " ",
    "ß",
    "İ",
    "中",
    "ﬁ",
    "𝕏",
    "😀",
    "🇺🇦",
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "\U0010fffd",
    "\ufffd",
    "\u00a0",
]

texts = st.lists(
    st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=("Cs",))),
    max_size=40,
).map("".join)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def qt_substring(text: str, a: int, b: int) -> str:
    """What a QString of ``text`` holds between UTF-16 positions a and b."""
    return text.encode("utf-16-le")[2 * a : 2 * b].decode("utf-16-le")


@given(texts)
@example("𝕏😀🇺🇦 x")
def test_to_qt_counts_utf16_units(text: str) -> None:
    idx = Utf16Index(text)
    assert idx.length == len(text)
    assert idx.qt_length == utf16_len(text)
    for cp in range(len(text) + 1):
        assert idx.to_qt(cp) == utf16_len(text[:cp])


@given(texts)
def test_round_trip_from_code_points(text: str) -> None:
    idx = Utf16Index(text)
    for cp in range(len(text) + 1):
        assert idx.from_qt(idx.to_qt(cp)) == cp


@given(texts)
def test_every_utf16_position_maps_back_and_snaps_inside_pairs(text: str) -> None:
    idx = Utf16Index(text)
    boundaries = {idx.to_qt(cp) for cp in range(len(text) + 1)}
    for u in range(idx.qt_length + 1):
        cp = idx.from_qt(u)
        if u in boundaries:
            assert idx.to_qt(cp) == u
        else:  # inside a surrogate pair: snaps to the start of that character
            assert text[cp] > "\uffff"
            assert idx.to_qt(cp) == u - 1


@given(texts, st.data())
def test_substrings_agree_with_the_qt_side(text: str, data: st.DataObject) -> None:
    idx = Utf16Index(text)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    ua, ub = idx.range_to_qt(a, b)
    assert qt_substring(text, ua, ub) == text[a:b]
    assert text[idx.from_qt(ua) : idx.from_qt(ub)] == qt_substring(text, ua, ub)
    assert idx.range_from_qt(ua, ub) == (a, b)


def test_flags_are_two_code_points_of_two_units_each() -> None:
    text = "🇺🇦!"
    idx = Utf16Index(text)
    assert len(text) == 3
    assert [idx.to_qt(i) for i in range(4)] == [0, 2, 4, 5]
    assert [idx.from_qt(u) for u in range(6)] == [0, 0, 1, 1, 2, 3]


def test_range_from_qt_covers_a_cut_surrogate_pair() -> None:
    idx = Utf16Index("a😀b")
    # UTF-16: a=0, 😀=1..2, b=3. A range ending inside the emoji keeps the whole emoji.
    assert idx.range_from_qt(0, 2) == (0, 2)
    assert idx.range_from_qt(2, 4) == (1, 3)


def test_combining_marks_are_ordinary_bmp_code_points() -> None:
    idx = Utf16Index("e\u0301x")
    assert [idx.to_qt(i) for i in range(4)] == [0, 1, 2, 3]


def test_pure_bmp_text_is_the_identity() -> None:
    idx = Utf16Index("plain text, café\n中文")
    assert not idx.has_astral
    assert all(idx.to_qt(i) == i == idx.from_qt(i) for i in range(idx.length + 1))


def test_out_of_range_raises_and_clamp_helpers_clamp() -> None:
    idx = Utf16Index("a😀")
    with pytest.raises(ValueError):
        idx.to_qt(3)
    with pytest.raises(ValueError):
        idx.to_qt(-1)
    with pytest.raises(ValueError):
        idx.from_qt(4)
    assert idx.clamp_to_qt(99) == 3
    assert idx.clamp_from_qt(-5) == 0
    assert idx.clamp_from_qt(99) == 2


def test_empty_text() -> None:
    idx = Utf16Index("")
    assert idx.to_qt(0) == 0 == idx.from_qt(0)
    assert idx.qt_length == 0

"""Offsets are code points of the canonical text: the stored exact text always equals
``canonical_text[start:end]``, whatever the input (emoji, astral characters, combining marks, CRLF)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.anchoring import snap_to_graphemes
from annotator.canonical import canonicalize
from annotator.db import Database
from annotator.service import Service

PIECES = st.sampled_from(
    [
        "a",
        "Z",
        " ",
        "\r\n",
        "\r",
        "\n",
        "😀",
        "🇺🇦",
        "𝕏",
        "e\u0301",
        "ü",
        "\u00a0",
        "“",
        "’",
        "«",
        "\t",
        "字",
        "\x07",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=3)), min_size=3, max_size=60).map("".join)

_DIR = Path(tempfile.mkdtemp(prefix="qa-offsets-"))
_DB = Database.open(f"sqlite:///{_DIR / 'offsets.sqlite3'}")
_SVC = Service(_DB, user="prop")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=TEXTS, a=st.integers(0, 10_000), b=st.integers(0, 10_000))
def test_stored_text_equals_the_canonical_slice(raw: str, a: int, b: int) -> None:
    canonical = canonicalize(raw)
    if not canonical.strip():
        return
    path = _DIR / "article.txt"
    path.write_bytes(("x" + raw).encode("utf-8", "surrogatepass"))
    try:
        article = _SVC.import_file(path).extra["article"]
    except Exception as exc:  # a text the importer refuses (e.g. lone surrogates) is not this test's subject
        assert "article.txt" in str(exc)
        return
    text = _SVC.article_text(article.id)
    assert text == canonicalize("x" + raw.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    n = len(text)
    start, end = sorted((a % n, b % n + 1))
    if start == end:
        return
    start, end = snap_to_graphemes(text, start, end)  # a span never cuts a character (issue 10)
    q = _SVC.create_quote(article.id, start, end).quote
    assert q.text == text[start:end]
    assert _SVC.quote(q.id).text == text[q.start : q.end]
    assert q.prefix == text[max(0, start - 32) : start] and q.suffix == text[end : end + 32]


@given(TEXTS)
def test_canonicalize_is_idempotent_and_xml_safe(raw: str) -> None:
    from annotator.canonical import xml_illegal_chars

    once = canonicalize(raw)
    assert canonicalize(once) == once
    assert "\r" not in once and xml_illegal_chars(once) == []

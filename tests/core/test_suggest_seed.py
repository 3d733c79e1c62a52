"""The suggester on the seed article (against its gold file), through the importer, and on any text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seed import DATA, SAMPLES, load_gold

from annotator.importing import read_article
from annotator.suggest import VERSION, RuleSuggester, Suggester, Suggestion, suggest, suggestions_json

_WORDS = re.compile(r"\w+")


def _tokens(text: str, start: int, end: int) -> set[int]:
    return {m.start() for m in _WORDS.finditer(text) if m.start() < end and m.end() > start}


def _same_name(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)


def test_seed_article_every_gold_quote_is_suggested() -> None:
    gold = load_gold()
    text = read_article(SAMPLES / "istanbul-talks.txt").text
    assert text == (DATA / "istanbul-talks.txt").read_text(encoding="utf-8")
    sugg = suggest(text, "en")
    found = right_speaker = 0
    for g in gold["quotes"]:
        want = _tokens(text, g["start"], g["end"])
        hits = [s for s in sugg if want & _tokens(text, s.quote.start, s.quote.end)]
        assert hits, f"gold quote not suggested: {g['text']!r}"
        found += 1
        s = hits[0]
        right_speaker += bool(s.speaker and _same_name(s.speaker.name, g["speaker"]["name"]))
    assert found == 18 and right_speaker >= 16
    moscow = next(s for s in sugg if s.quote.text.startswith("it would only accept a truce"))
    assert moscow.speaker and moscow.speaker.name == "Moscow"
    assert [(h.source.name, h.relation) for h in moscow.intermediaries] == [
        ("Turkish official", "according to"),
        ("CNN", "quoted by"),
    ]


def test_crlf_input_through_the_importer(tmp_path) -> None:
    body = (
        "Title: Talks\r\nLanguage: en\r\n---\r\n"
        "Secretary of State Marco Rubio left early.\r\n\r\n"
        "\u201cWe came because we were told there could be a meeting,\u201d he said.\r\n"
        "Laut Polizei wurden drei Menschen verletzt.\r\n"
    )
    path = tmp_path / "crlf.txt"
    path.write_bytes(body.encode("utf-8"))
    art = read_article(path)
    assert "\r" not in art.text
    sugg = suggest(art.text, art.language)
    (s,) = [s for s in sugg if s.type == "direct"]
    assert art.text[s.quote.start : s.quote.end] == s.quote.text
    assert s.quote.text.startswith("We came") and s.speaker and s.speaker.name == "Marco Rubio"


def test_cli_json_shape_on_the_seed_article() -> None:
    text = (DATA / "istanbul-talks.txt").read_text(encoding="utf-8")
    items = suggestions_json(suggest(text, "en"))
    assert len(items) >= 18
    for item in items:
        assert list(item) == ["quote", "type", "cue", "speaker", "intermediaries", "confidence", "reason"]
        q = item["quote"]
        assert set(q) == {"start", "end", "text"} and text[q["start"] : q["end"]] == q["text"]
        assert item["type"] in ("direct", "partial", "indirect")
        assert item["cue"] is None or text[item["cue"]["start"] : item["cue"]["end"]] == item["cue"]["text"]
        sp = item["speaker"]
        assert sp is None or set(sp) in ({"start", "end", "text"}, {"name"})
        if sp and "start" in sp:
            assert text[sp["start"] : sp["end"]] == sp["text"]
        for h in item["intermediaries"]:
            assert set(h) == {"start", "end", "text", "relation"} and text[h["start"] : h["end"]] == h["text"]
        assert isinstance(item["confidence"], float) and 0 <= item["confidence"] <= 1
        assert isinstance(item["reason"], str) and item["reason"]


def test_rule_suggester_is_a_suggester() -> None:
    s: Suggester = RuleSuggester()
    assert s.version == VERSION and VERSION


_ALPHABET = st.sampled_from(
    list("abc XYZ äöüß éè ñ") + list("“”„‘’‚«»‹›\"'「」–—-")
    + [",", ".", ":", ";", "!", "?", "\n", "\n\n", "🎉", "\u00a0"]
    + ["said", "he", "she", "sagte", "er", "laut", "according to", "told", "Reuters", "Rubio", "Merkel",
       "that", "dass", "a déclaré", "selon", "dijo", "según", "que", "zufolge", "Nach Angaben", "hieß es",
       "so"]
)  # fmt: skip


def _check(text: str, sugg: list[Suggestion]) -> None:
    for s in sugg:
        spans = [s.quote, s.cue]
        if s.speaker is not None:
            spans += [s.speaker.mention, s.speaker.local]
        spans += [h.source.mention for h in s.intermediaries]
        for m in spans:
            if m is None:
                continue
            assert 0 <= m.start < m.end <= len(text)
            assert text[m.start : m.end] == m.text
        assert 0.0 <= s.confidence <= 1.0
        assert s.type in ("direct", "partial", "indirect")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_ALPHABET, max_size=80).map(lambda parts: " ".join(parts)),
    st.sampled_from([None, "en", "de", "fr"]),
)
def test_offsets_are_inside_the_text_and_match_it(text: str, language: str | None) -> None:
    _check(text, suggest(text, language))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text(text: str) -> None:
    _check(text, suggest(text))

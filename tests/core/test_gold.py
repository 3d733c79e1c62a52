"""The gold annotations in tests/data/*.gold.json: one per sample article, every span and cue exactly the
article's canonical text, vocabulary from the model, and enough quotes in enough languages to measure a
suggester on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from annotator.importing import article_files, read_article
from annotator.model import QuoteType, SourceKind

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_articles"
GOLD_FILES = sorted(DATA.glob("*.gold.json"))
QUOTE_KEYS = {"text", "type", "speaker", "cue", "chain", "start", "end"}
OPTIONAL_KEYS = {"cue_start", "cue_end", "note"}
SOURCE_KEYS = {"name", "kind", "role", "affiliation", "anonymous"}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def golds() -> dict[str, dict[str, Any]]:
    return {p.name: load(p) for p in GOLD_FILES}


@pytest.fixture(scope="module")
def texts(golds: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {g["article"]: read_article(SAMPLES / g["article"]).text for g in golds.values()}


def test_every_sample_article_has_a_gold_file_and_every_gold_file_an_article() -> None:
    samples = {p.name for p in article_files(SAMPLES)}
    articles = {load(p)["article"] for p in GOLD_FILES}
    assert articles == samples
    for path in GOLD_FILES:
        assert path.name == Path(load(path)["article"]).stem + ".gold.json"


def check_source(spec: dict[str, Any], where: str) -> None:
    assert set(spec) <= SOURCE_KEYS and {"name", "kind"} <= set(spec), where
    assert spec["name"].strip() == spec["name"] and spec["name"], where
    assert spec["kind"] in {k.value for k in SourceKind}, where
    assert spec.get("anonymous", True) is True, where  # present only when true


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_quotes_are_slices_of_the_canonical_text(path: Path, texts: dict[str, str]) -> None:
    gold = load(path)
    assert {"article", "offsets", "language", "quotes"} <= set(gold)
    text = texts[gold["article"]]
    assert gold["quotes"]
    for i, q in enumerate(gold["quotes"]):
        where = f"{path.name} quote {i}: {q.get('text', '')[:40]!r}"
        assert QUOTE_KEYS <= set(q) <= QUOTE_KEYS | OPTIONAL_KEYS, where
        assert 0 <= q["start"] < q["end"] <= len(text), where
        assert text[q["start"] : q["end"]] == q["text"], where
        assert q["text"] == q["text"].strip(), where
        assert q["type"] in {t.value for t in QuoteType}, where
        check_source(q["speaker"], where)
        if q["cue"] is None:
            assert "cue_start" not in q, where
        else:
            assert text[q["cue_start"] : q["cue_end"]] == q["cue"], where
            outside = q["cue_end"] <= q["start"] or q["cue_start"] >= q["end"]
            assert outside, f"{where}: the cue is inside the quote"
        names = [q["speaker"]["name"]]
        for hop in q["chain"]:
            assert set(hop) == {"source", "relation"} and hop["relation"].strip(), where
            check_source(hop["source"], where)
            names.append(hop["source"]["name"])
        assert len(names) == len(set(names)), f"{where}: a source twice in the chain"


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_spans_are_distinct_and_nest_without_crossing(path: Path) -> None:
    spans = sorted((q["start"], q["end"]) for q in load(path)["quotes"])
    assert len(spans) == len(set(spans)), "the same span twice"
    for i, (s1, e1) in enumerate(spans):
        for s2, e2 in spans[i + 1 :]:
            if s2 >= e1:
                break
            assert e2 <= e1, f"[{s1}, {e1}) and [{s2}, {e2}) cross"


def test_the_gold_language_is_the_articles(golds: dict[str, dict[str, Any]]) -> None:
    for name, gold in golds.items():
        language = read_article(SAMPLES / gold["article"]).language or ""
        assert language.split("-")[0] == gold["language"], name


def test_coverage_languages_quotes_types_and_chains(golds: dict[str, dict[str, Any]]) -> None:
    quotes = [(g["language"], q) for g in golds.values() for q in g["quotes"]]
    per_language = Counter(lang for lang, _ in quotes)
    assert len(quotes) >= 150
    assert sum(n >= 20 for n in per_language.values()) >= 4, per_language
    assert {"en", "de", "fr", "es", "ru", "pl"} <= set(per_language)
    assert {q["type"] for _, q in quotes} == {t.value for t in QuoteType}
    two_hops = [q for _, q in quotes if len(q["chain"]) >= 2]
    assert len({lang for lang, q in quotes if len(q["chain"]) >= 2}) >= 4 and len(two_hops) >= 8
    assert any(q["speaker"].get("anonymous") for _, q in quotes)
    assert any("\n\n" in q["text"] for _, q in quotes), "a quote over several paragraphs"
    assert sum(q["cue"] is None for _, q in quotes) >= 3, "floating quotes without a cue"


def test_the_seed_article_is_imported_first() -> None:
    # Folders are imported in sorted order, and tests that import sample_articles/ use article 1.
    assert article_files(SAMPLES)[0].name == "istanbul-talks.txt"

"""Fill in and check the offsets of a gold file (``tests/data/<stem>.gold.json``).

A quote in a gold file being written may leave out ``start``/``end`` and ``cue_start``/``cue_end``;
this helper finds them in the article's canonical text (``read_article(path).text``):

* ``text`` must occur in the article. If it occurs more than once, give ``"context"``: a longer
  string that occurs exactly once and holds ``text`` exactly once (or ``"occurrence"``: 0, 1, …).
* ``cue`` is found the same way with ``"cue_context"`` / ``"cue_occurrence"``; without them, the
  occurrence nearest the quote (at most 300 characters away) is taken.

The hints are removed once resolved, and every span is checked against the text. ``--show`` prints
each quote in its context, to read the gold by eye::

    python tests/gold_offsets.py tests/data/tavrin-bridge-chain.gold.json [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from annotator.importing import read_article

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_articles"
ORDER = ("text", "type", "speaker", "cue", "chain", "start", "end", "cue_start", "cue_end", "note")


def occurrences(text: str, needle: str) -> list[int]:
    hits, i = [], text.find(needle)
    while i != -1:
        hits.append(i)
        i = text.find(needle, i + 1)
    return hits


def locate(text: str, needle: str, *, context: str | None = None, occurrence: int | None = None) -> int:
    """The start of ``needle`` in ``text``, made unique by ``context`` or ``occurrence``."""
    if context is not None:
        outer = occurrences(text, context)
        inner = occurrences(context, needle)
        if len(outer) != 1 or len(inner) != 1:
            found = f"{len(outer)} hits in the text, {len(inner)} of {needle!r}"
            raise ValueError(f"context {context!r}: {found}")
        return outer[0] + inner[0]
    hits = occurrences(text, needle)
    if not hits:
        raise ValueError(f"not in the text: {needle!r}")
    if occurrence is None:
        if len(hits) > 1:
            raise ValueError(f"{len(hits)} hits, give a context or occurrence: {needle!r}")
        return hits[0]
    return hits[occurrence]


def nearest(text: str, needle: str, start: int, end: int) -> int:
    def whole_word(h: int) -> bool:
        before, after = text[h - 1 : h], text[h + len(needle) : h + len(needle) + 1]
        return not (before.isalnum() or after.isalnum())

    hits = [h for h in occurrences(text, needle) if start - 300 <= h <= end + 300 and whole_word(h)]
    if not hits:
        raise ValueError(f"cue not within 300 characters of the quote as a word: {needle!r}")
    return min(hits, key=lambda h: min(abs(h - start), abs(h + len(needle) - end)))


def resolve(text: str, quote: dict[str, Any]) -> dict[str, Any]:
    if "start" not in quote:
        hints = {"context": quote.get("context"), "occurrence": quote.get("occurrence")}
        quote["start"] = locate(text, quote["text"], **hints)
        quote["end"] = quote["start"] + len(quote["text"])
    if quote.get("cue") and "cue_start" not in quote:
        cue = quote["cue"]
        if "cue_context" in quote or "cue_occurrence" in quote:
            at = locate(text, cue, context=quote.get("cue_context"), occurrence=quote.get("cue_occurrence"))
        else:
            at = nearest(text, cue, quote["start"], quote["end"])
        quote["cue_start"], quote["cue_end"] = at, at + len(cue)
    for hint in ("context", "occurrence", "cue_context", "cue_occurrence"):
        quote.pop(hint, None)
    if text[quote["start"] : quote["end"]] != quote["text"]:
        raise ValueError(f"span [{quote['start']}, {quote['end']}) is not {quote['text']!r}")
    if quote.get("cue") and text[quote["cue_start"] : quote["cue_end"]] != quote["cue"]:
        raise ValueError(f"cue span [{quote['cue_start']}, {quote['cue_end']}) is not {quote['cue']!r}")
    return {k: quote[k] for k in ORDER if k in quote} | {k: v for k, v in quote.items() if k not in ORDER}


def show(text: str, quote: dict[str, Any]) -> str:
    s, e = quote["start"], quote["end"]
    chain = " ← ".join(f"{h['source']['name']} ({h['relation']})" for h in quote["chain"])
    head = f"[{quote['type']}] {quote['speaker']['name']}" + (f" ← {chain}" if chain else "")
    cue = "no cue"
    if quote.get("cue"):
        cs, ce = quote["cue_start"], quote["cue_end"]
        cue = f"cue {text[max(0, cs - 20) : cs]}[{text[cs:ce]}]{text[ce : ce + 20]}"
    around = text[max(0, s - 60) : s] + "⟦" + text[s:e] + "⟧" + text[e : e + 60]
    return f"{head}; {cue}\n    {around!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--show", action="store_true", help="print every quote in its context")
    args = parser.parse_args(argv)
    for path in args.gold:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = read_article(SAMPLES / gold["article"]).text
        try:
            quotes = [resolve(text, q) for q in gold["quotes"]]
        except ValueError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 1
        gold["quotes"] = sorted(quotes, key=lambda q: (q["start"], -q["end"]))
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path}: {len(gold['quotes'])} quotes")
        if args.show:
            for q in gold["quotes"]:
                print(show(text, q))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

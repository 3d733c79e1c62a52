"""Evaluate the suggester against gold annotations, per language and overall.

Gold sets:

* every ``tests/data/*.gold.json`` (the format of ``istanbul-talks.gold.json``). The text is the
  canonical text of the article it names: ``sample_articles/<article>`` read with
  :func:`annotator.importing.read_article` when that file exists (its header gives the language),
  otherwise ``tests/data/<article>`` as UTF-8 text (language guessed, or ``"language"`` in the gold);
* the German news quotation data in ``../shared/eval-data/german-news-quotes/<split>.jsonl``
  (relative to the repository root) when present; skipped when absent. Never copy it into the
  repository: its licence is non-commercial. An annotation's quote is the union of its spans; an
  annotation repeated once per speaker of a nested attribution ("laut AFP … sagte X") collapses to
  one gold quote whose speakers are all of those speakers.

Definitions:

* Tokens are ``\\w+`` runs. A suggestion *overlaps* a gold quote when they share at least one token;
  gold and suggestions are matched one to one, greedily by the number of shared tokens (ties: the
  pair with the higher Jaccard similarity first). *Exact*: the same set of tokens.
* Cue F1: a suggested cue is correct when its quote is matched and the cue shares a token with the
  gold cue (our gold gives the cue's words: the occurrence nearest the quote is taken, as the seed
  tests do). Precision over suggestions with a cue, recall over matched-or-not gold quotes with a cue.
* Speaker accuracy, over overlap-matched quotes:
  - our gold (names): correct when the suggested speaker's proposed name equals the gold name
    (case-folded, spaces normalised), or one is the other's last word(s) (surname "Tykhyi" for
    "Heorhii Tykhyi"), or the suggested mention text names the gold name that way;
  - German data (mention spans): correct when the suggested speaker mention, or the local words of
    the attribution (the pronoun "er" itself, when the suggester resolved it to an earlier name),
    share a token with one of the gold speaker spans, or when its name equals one of the gold speaker
    texts as above. A gold quote without a speaker ("hieß es") is correct when the suggestion has no
    speaker either.
* Full chain (our gold only): speaker correct and the intermediaries, in order, each correct by the
  same name rule. Counted over matched quotes.
* Direct-quote recall: gold quotes of type direct (German: "Direct") that are overlap-matched.
* Speed: milliseconds of CPU time per article and per MB of text (UTF-8), suggester only.

Usage: ``python benchmarks/eval_suggest.py [--split dev|train] [--language xx] [--json] [--verbose]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.importing import read_article  # noqa: E402
from annotator.suggest import Suggestion, guess_language, suggest  # noqa: E402

GOLD_DIR = ROOT / "tests" / "data"
SAMPLES = ROOT / "sample_articles"
GERMAN_DIRS = [
    # "../shared/eval-data" relative to the repository root (for a worktree under wt/, one level further up)
    p / "shared" / "eval-data" / "german-news-quotes"
    for p in (ROOT.parent, ROOT.parent.parent)
]
_TOKEN = re.compile(r"\w+")


@dataclass
class GoldQuote:
    start: int
    end: int
    tokens: frozenset[int]
    type: str
    speaker_names: list[str]
    speaker_spans: list[tuple[int, int]]
    cue_spans: list[tuple[int, int]]
    chain: list[str] | None  # names of intermediaries, in order (None: not annotated)
    style: str  # "names" | "spans"
    text: str = ""


@dataclass
class Doc:
    name: str
    language: str
    text: str
    gold: list[GoldQuote]


@dataclass
class Tally:
    gold: int = 0
    sugg: int = 0
    overlap: int = 0
    exact: int = 0
    cue_gold: int = 0
    cue_sugg: int = 0
    cue_ok: int = 0
    speaker_ok: int = 0
    chain_n: int = 0
    chain_ok: int = 0
    direct_gold: int = 0
    direct_found: int = 0
    docs: int = 0
    chars_bytes: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_pos: list[str] = field(default_factory=list)
    wrong_speaker: list[str] = field(default_factory=list)

    def add(self, o: Tally) -> None:
        for k in (
            "gold sugg overlap exact cue_gold cue_sugg cue_ok speaker_ok chain_n chain_ok direct_gold "
            "direct_found docs chars_bytes seconds"
        ).split():
            setattr(self, k, getattr(self, k) + getattr(o, k))

    def figures(self) -> dict[str, Any]:
        def ratio(a: float, b: float) -> float | None:
            return round(a / b, 3) if b else None

        def f1(p: float | None, r: float | None) -> float | None:
            return (
                round(2 * p * r / (p + r), 3)
                if p and r
                else (0.0 if p is not None and r is not None else None)
            )

        p, r = ratio(self.overlap, self.sugg), ratio(self.overlap, self.gold)
        pe, re_ = ratio(self.exact, self.sugg), ratio(self.exact, self.gold)
        cp, cr = ratio(self.cue_ok, self.cue_sugg), ratio(self.cue_ok, self.cue_gold)
        return {
            "articles": self.docs,
            "gold": self.gold,
            "suggested": self.sugg,
            "overlap": {"precision": p, "recall": r, "f1": f1(p, r)},
            "exact": {"precision": pe, "recall": re_, "f1": f1(pe, re_)},
            "cue_f1": f1(cp, cr),
            "speaker_accuracy": ratio(self.speaker_ok, self.overlap),
            "chain_accuracy": ratio(self.chain_ok, self.chain_n),
            "direct_recall": ratio(self.direct_found, self.direct_gold),
            "ms_per_article": round(1000 * self.seconds / self.docs, 2) if self.docs else None,
            "ms_per_mb": round(1000 * self.seconds / (self.chars_bytes / 1e6), 1)
            if self.chars_bytes
            else None,
        }


# ---------------------------------------------------------------------------------- loading


def _tokens(starts: list[int], ends: list[int], a: int, b: int) -> frozenset[int]:
    from bisect import bisect_left, bisect_right

    lo = bisect_right(ends, a)
    hi = bisect_left(starts, b)
    return frozenset(range(lo, hi))


def _cue_span(text: str, cue: str | None, start: int, end: int) -> tuple[int, int] | None:
    if not cue:
        return None
    lo, hi = max(0, start - 300), min(len(text), end + 300)
    hits = []
    i = text.find(cue, lo)
    while i != -1 and i < hi:
        hits.append(i)
        i = text.find(cue, i + 1)
    if not hits:
        return None
    mid = (start + end) / 2
    best = min(hits, key=lambda h: abs(h - mid))
    return best, best + len(cue)


def load_our_gold(language: str | None) -> list[Doc]:
    docs = []
    for path in sorted(GOLD_DIR.glob("*.gold.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        name = g["article"]
        lang = g.get("language")
        if (SAMPLES / name).exists():
            art = read_article(SAMPLES / name)
            text, lang = art.text, lang or art.language
        else:
            text = (GOLD_DIR / name).read_text(encoding="utf-8")
        lang = (lang or guess_language(text)).split("-")[0].lower()
        if language and lang != language:
            continue
        starts, ends = _spans(text)
        gold = []
        for q in g["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"], f"{path.name}: offsets do not match the text"
            cue = _cue_span(text, q.get("cue"), q["start"], q["end"])
            gold.append(
                GoldQuote(
                    q["start"],
                    q["end"],
                    _tokens(starts, ends, q["start"], q["end"]),
                    q["type"],
                    [q["speaker"]["name"]] if q.get("speaker") else [],
                    [],
                    [cue] if cue else [],
                    [h["source"]["name"] for h in q.get("chain", [])],
                    "names",
                    q["text"],
                )  # fmt: skip
            )
        docs.append(Doc(path.name.removesuffix(".gold.json"), lang, text, gold))
    return docs


def _spans(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in _TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def load_german(split: str) -> list[Doc]:
    found = [d / f"{split}.jsonl" for d in GERMAN_DIRS if (d / f"{split}.jsonl").exists()]
    if not found:
        return []
    path = found[0]
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["text"]
        starts, ends = _spans(text)
        merged: dict[frozenset[int], GoldQuote] = {}
        for a in row["annotations"]:
            if not a["quote"]:
                continue
            toks = frozenset().union(*(_tokens(starts, ends, s, e) for s, e in a["quote"]))
            if not toks:
                continue
            s0, e0 = min(s for s, _ in a["quote"]), max(e for _, e in a["quote"])
            g = merged.get(toks)
            if g is None:
                g = merged[toks] = GoldQuote(
                    s0, e0, toks, "direct" if a["type"] == "Direct" else "indirect", [], [], [], None,
                    "spans", text[s0:e0],
                )  # fmt: skip
            for s, e in a["speaker"]:
                g.speaker_spans.append((s, e))
                g.speaker_names.append(text[s:e])
            g.cue_spans.extend((s, e) for s, e in a["cue"])
        docs.append(Doc(row["doc"], "de", text, list(merged.values())))
    return docs


# ---------------------------------------------------------------------------------- scoring


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).casefold()
    s = re.sub(r"^(the|a|an|der|die|das|ein|eine|le|la|les|un|une|el|los|las)\s+", "", s.strip())
    return re.sub(r"\s+", " ", s).strip(" ,.;:„“”\"'’")


def same_name(a: str, b: str) -> bool:
    """Equal names, or one is the last word(s) of the other ("Tykhyi" / "Heorhii Tykhyi")."""
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    wa, wb = na.split(), nb.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return long_[-len(short) :] == short and len(short[-1]) > 2


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def speaker_ok(g: GoldQuote, s: Suggestion) -> bool:
    sp = s.speaker
    if g.style == "spans":
        if not g.speaker_spans:
            return sp is None
        if sp is None:
            return False
        spans = [m for m in (sp.mention, sp.local) if m is not None]
        if any(_overlaps((m.start, m.end), gs) for m in spans for gs in g.speaker_spans):
            return True
        return any(same_name(sp.name, n) for n in g.speaker_names)
    if sp is None:
        return not g.speaker_names
    names = [sp.name] + ([sp.mention.text] if sp.mention else [])
    return any(same_name(n, gn) for n in names for gn in g.speaker_names)


def chain_ok(g: GoldQuote, s: Suggestion) -> bool:
    if g.chain is None or not speaker_ok(g, s):
        return False
    got = [h.source for h in s.intermediaries]
    if len(got) != len(g.chain):
        return False
    return all(
        same_name(h.name, want) or (h.mention is not None and same_name(h.mention.text, want))
        for h, want in zip(got, g.chain, strict=True)
    )


def evaluate(doc: Doc) -> Tally:
    t = Tally(docs=1, chars_bytes=len(doc.text.encode("utf-8")))
    t0 = time.process_time()
    sugg = suggest(doc.text, doc.language)
    t.seconds = time.process_time() - t0
    starts, ends = _spans(doc.text)
    stoks = [_tokens(starts, ends, s.quote.start, s.quote.end) for s in sugg]
    t.gold, t.sugg = len(doc.gold), len(sugg)
    pairs = []
    for gi, g in enumerate(doc.gold):
        for si, st in enumerate(stoks):
            n = len(g.tokens & st)
            if n:
                pairs.append((n, n / len(g.tokens | st), gi, si))
    # greedy: most shared tokens first; among equals, the closest spans (Jaccard), then text order
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    gm: dict[int, int] = {}
    sm: dict[int, int] = {}
    for _n, _j, gi, si in pairs:
        if gi not in gm and si not in sm:
            gm[gi], sm[si] = si, gi
    t.overlap = len(gm)
    t.exact = sum(1 for gi, si in gm.items() if doc.gold[gi].tokens == stoks[si])
    t.cue_gold = sum(1 for g in doc.gold if g.cue_spans)
    t.cue_sugg = sum(1 for s in sugg if s.cue is not None)
    for gi, si in gm.items():
        g, s = doc.gold[gi], sugg[si]
        if s.cue is not None and any(_overlaps((s.cue.start, s.cue.end), c) for c in g.cue_spans):
            t.cue_ok += 1
        if speaker_ok(g, s):
            t.speaker_ok += 1
        else:
            got = (
                s.speaker.name if s.speaker else None,
                s.speaker.mention.text if s.speaker and s.speaker.mention else None,
            )
            t.wrong_speaker.append(
                f"{doc.name}: {g.text[:70]!r} gold={g.speaker_names} got={got} ({s.reason})"
            )
        if g.chain is not None:
            t.chain_n += 1
            t.chain_ok += chain_ok(g, s)
    for gi, g in enumerate(doc.gold):
        if g.type == "direct":
            t.direct_gold += 1
            t.direct_found += gi in gm
        if gi not in gm:
            t.misses.append(f"{doc.name}: [{g.type}] {g.text[:100]!r} speaker={g.speaker_names}")
    for si, s in enumerate(sugg):
        if si not in sm:
            sp = s.speaker.name if s.speaker else None
            t.false_pos.append(f"{doc.name}: [{s.type}] {s.quote.text[:100]!r} speaker={sp} ({s.reason})")
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "train"), default="dev", help="split of the German data")
    ap.add_argument("--language", help="only articles in this language")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--verbose", action="store_true", help="list misses, false positives and wrong speakers")
    args = ap.parse_args(argv)

    sets: dict[str, list[Doc]] = {"gold": load_our_gold(args.language)}
    if args.language in (None, "de"):
        german = load_german(args.split)
        if german:
            sets[f"german-news-{args.split}"] = german
    report: dict[str, Any] = {}
    overall = Tally()
    for set_name, docs in sets.items():
        per_lang: dict[str, Tally] = defaultdict(Tally)
        for doc in docs:
            t = evaluate(doc)
            per_lang[doc.language].add(t)
            per_lang[doc.language].misses += t.misses
            per_lang[doc.language].false_pos += t.false_pos
            per_lang[doc.language].wrong_speaker += t.wrong_speaker
        for lang, t in sorted(per_lang.items()):
            report[f"{set_name}/{lang}"] = t.figures()
            overall.add(t)
            if args.verbose and not args.json:
                print(f"== {set_name}/{lang}: misses")
                print("\n".join("  " + m for m in t.misses))
                print(f"== {set_name}/{lang}: false positives")
                print("\n".join("  " + m for m in t.false_pos))
                print(f"== {set_name}/{lang}: wrong speakers")
                print("\n".join("  " + m for m in t.wrong_speaker))
    report["overall"] = overall.figures()
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return 0
    head = (
        f"{'set/language':28} {'art':>4} {'gold':>5} {'sugg':>5}  {'P':>5} {'R':>5} {'F1':>5}  "
        f"{'P=':>5} {'R=':>5} {'F1=':>5}  {'cueF1':>5} {'spk':>5} {'chain':>5} {'dirR':>5} "
        f"{'ms/art':>7} {'ms/MB':>7}"
    )
    print("overlap: P R F1; exact boundaries: P= R= F1=; spk = speaker accuracy on matched quotes")
    print(head)

    def fmt(v: Any) -> str:
        return "    -" if v is None else f"{v:5.3f}" if isinstance(v, float) else f"{v:5}"

    for key, f in report.items():
        o, e = f["overlap"], f["exact"]
        print(
            f"{key:28} {f['articles']:>4} {f['gold']:>5} {f['suggested']:>5}  {fmt(o['precision'])} "
            f"{fmt(o['recall'])} {fmt(o['f1'])}  {fmt(e['precision'])} {fmt(e['recall'])} {fmt(e['f1'])}  "
            f"{fmt(f['cue_f1'])} {fmt(f['speaker_accuracy'])} {fmt(f['chain_accuracy'])} "
            f"{fmt(f['direct_recall'])} {f['ms_per_article'] or 0:7.2f} {f['ms_per_mb'] or 0:7.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

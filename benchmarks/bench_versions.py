"""Re-anchoring an article's quotes onto a new version, beside importing that version.

    python benchmarks/bench_versions.py [--quotes 10000] [--mb 5]

Builds a 5 MB article with 10,000 quotes (a third with a hop whose evidence is the cue's sentence),
then a second version edited the way pages are: a paragraph inserted at the top, 60 paragraphs
with words inserted, 20 deleted, 10 moved. Prints, each in the same run:

* the bare alignment of the two texts (``Alignment``: patience diff of lines, rapidfuzz LCS inside
  differing runs) and rapidfuzz's bare line diff of the same texts;
* re-anchoring the 10,000 quotes, cues and evidence spans (``carry_quotes``, no database);
* ``Service.add_version``: storing version 2 and carrying every quote there, with the reports and
  the audit entries, in one transaction;
* the baseline: importing that version as a new article (``Service.import_article``).

The target: re-anchoring under 2 s. The ratio column compares with the import of the version.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import make_article, spans  # noqa: E402
from rapidfuzz.distance import Indel  # noqa: E402

from annotator.canonical import sha256_text  # noqa: E402
from annotator.db import Database  # noqa: E402
from annotator.importing import read_article  # noqa: E402
from annotator.model import Article  # noqa: E402
from annotator.records import HopRecord  # noqa: E402
from annotator.service import Service  # noqa: E402
from annotator.versions.alignment import Alignment  # noqa: E402
from annotator.versions.carry import carry_quotes  # noqa: E402


def edit(text: str, seed: int = 3) -> str:
    """Version 2: a new first paragraph, words inserted in 60 paragraphs, 20 deleted, 10 moved."""
    rng = random.Random(seed)
    head, *paras = text.split("\n\n")
    for i in rng.sample(range(len(paras)), 60):
        words = paras[i].split(" ")
        words.insert(rng.randrange(len(words)), "(updated)")
        paras[i] = " ".join(words)
    for i in sorted(rng.sample(range(len(paras)), 20), reverse=True):
        del paras[i]
    for _ in range(10):
        p = paras.pop(rng.randrange(len(paras)))
        paras.insert(rng.randrange(len(paras)), p)
    return "\n\n".join([head, "Editor's note: this article was updated after publication.", *paras])


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quotes", type=int, default=10_000)
    ap.add_argument("--mb", type=float, default=5.0)
    args = ap.parse_args()
    text = make_article(args.mb)
    text2 = edit(text)
    with tempfile.TemporaryDirectory() as tmp:
        v1_file, v2_file = Path(tmp) / "v1.txt", Path(tmp) / "v2.txt"
        v1_file.write_text("Title: Benchmark\nOutlet: Bench Times\n---\n" + text, encoding="utf-8")
        v2_file.write_text("Title: Benchmark\nOutlet: Bench Times\n---\n" + text2, encoding="utf-8")
        svc = Service(Database.open(f"sqlite:///{tmp}/ours.sqlite3"), user="bench")
        art = svc.import_article(read_article(v1_file)).extra["article"]
        speaker = svc.create_source("person", "Speaker").source.id
        relay = svc.create_source("outlet", "Relay").source.id
        stored = svc.article_text(art.id)
        with svc.operation("benchmark set-up") as op:  # 10,000 quotes in one transaction
            row = op.session.get(Article, art.id)
            for i, (s, e) in enumerate(spans(stored, args.quotes)):
                cue = (max(0, s - 12), max(1, s - 2))
                hops = [HopRecord(relay, "via", (max(0, s - 40), max(1, s - 20)))] if i % 3 == 0 else []
                q = svc._insert_quote(op, row, s, e, None, cue, speaker, hops)
                op.record(None, svc._quote_record(op.session, q))
        quotes = svc.quotes(art.id)
        extracted = read_article(v2_file)
        t_align, alignment = timed(lambda: Alignment(stored, extracted.text))
        t_bare, _ = timed(lambda: Indel.opcodes(stored.splitlines(True), extracted.text.splitlines(True)))
        t_carry, carries = timed(lambda: carry_quotes(stored, extracted.text, quotes))
        t_version, res = timed(lambda: svc.add_version(art.id, extracted))
        other = Service(Database.open(f"sqlite:///{tmp}/plain.sqlite3"), user="bench")
        fresh = dataclasses.replace(extracted, text_sha256=sha256_text(extracted.text))
        t_import, _ = timed(lambda: other.import_article(fresh))
        outcomes = res.extra["outcomes"]
        t_verify, report = timed(svc.verify_audit)
        assert report.ok, report.problem
    n = len(quotes)
    print(f"article: {len(text):,} → {len(text2):,} code points; {n:,} quotes; "
          f"{len(alignment.blocks):,} equal blocks")  # fmt: skip
    print(f"outcomes: {', '.join(f'{v:,} {k}' for k, v in outcomes.items())}")
    print(f"{'work':<58}{'time':>9}{'ratio to import':>17}")
    for label, t in (
        ("align the two versions (patience + rapidfuzz)", t_align),
        ("  bare rapidfuzz line diff of the same texts", t_bare),
        (f"re-anchor {n:,} quotes, cues and evidence (no database)", t_carry),
        (f"add version 2: store it, carry {n:,} quotes, audit", t_version),
        ("import version 2 as a new article (baseline)", t_import),
    ):
        print(f"{label:<58}{t:>8.3f}s{t / t_import:>16.1f}x")
    print(f"{'audit verify after it':<58}{t_verify:>8.3f}s")
    del carries


if __name__ == "__main__":
    main()

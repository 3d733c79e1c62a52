"""What the service adds around the suggester: ``Service.suggestions`` (one read of the text, the quote
spans, the decisions and the registry, then the engine and the filtering) beside the bare engine on the
same text and registry; and ``accept_suggestions`` (one transaction) beside as many ``create_quote``
calls with the same chains.

The articles are built like ``bench_suggest.py``'s (~10 KB and 1 MB); the database is an SQLite file
with a registry of ``--sources`` people. The ratios are the figures to watch.

Usage: ``python benchmarks/bench_suggest_service.py [--repeat N] [--sources N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_suggest import article  # noqa: E402

from annotator.canonical import canonicalize, sha256_text  # noqa: E402
from annotator.db import Database  # noqa: E402
from annotator.importing import ExtractedArticle  # noqa: E402
from annotator.records import HopRecord  # noqa: E402
from annotator.service import Service, without_overlaps  # noqa: E402
from annotator.suggest import KnownSource, RuleSuggester  # noqa: E402


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _import(svc: Service, text: str, name: str) -> int:
    text = canonicalize(text)
    extracted = ExtractedArticle(
        title=name, text=text, outlet="Bench Daily", url=None, byline=None, published=dt.date(2026, 1, 1),
        language="en", filename=f"{name}.txt", format="txt", encoding="utf-8",
        raw_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), text_sha256=sha256_text(text),
        extractor="plain",
    )  # fmt: skip
    return int(svc.import_article(extracted).extra["article"].id)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sources", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        svc = Service(db, user="bench")
        with svc.operation("bench sources") as op:
            for i in range(args.sources):
                svc._new_source(op, kind="person", name=f"Person {i:05d} Example")
        engine = RuleSuggester()
        print(f"registry: {len(svc.sources())} sources; best of {args.repeat}")
        print(f"{'article':>10}  {'suggestions':>11}  {'service ms':>10}  {'bare ms':>8}  {'ratio':>5}")
        for size in (10_000, 1_000_000):
            text = article(size)
            aid = _import(svc, text, f"bench-{size}")
            registry = [KnownSource(r.id, r.name, r.kind, r.aliases) for r in svc.sources()]  # type: ignore[arg-type]
            n = len(svc.suggestions(aid))
            ours = _best(lambda aid=aid: svc.suggestions(aid), args.repeat)
            bare = _best(
                lambda text=text, registry=registry: engine.suggest(text, "en", registry), args.repeat
            )
            print(
                f"{len(text):>10,}  {n:>11}  {ours * 1000:>10.1f}  {bare * 1000:>8.1f}  {ours / bare:>5.2f}"
            )

        # accept-all in one transaction, beside create_quote per suggestion (same spans and chains)
        text = article(10_000)
        a1, a2 = _import(svc, text + "\n", "accept-1"), _import(svc, text + "\n\n", "accept-2")
        items = without_overlaps(svc.suggestions(a1))
        t = time.perf_counter()
        res = svc.accept_suggestions(a1, items)
        ours = time.perf_counter() - t
        plan = [(a.quote, a.quote.hops) for a in res.extra["accepted"]]
        t = time.perf_counter()
        for q, hops in plan:
            svc.create_quote(a2, q.start, q.end, type=q.type, cue=q.cue, speaker_id=q.speaker_id,
                             hops=[HopRecord(h.source_id, h.relation, h.evidence) for h in hops])  # fmt: skip
        bare = time.perf_counter() - t
        print(
            f"accept {len(items)} suggestions in one transaction: {ours * 1000:.1f} ms; "
            f"{len(plan)} create_quote calls: {bare * 1000:.1f} ms; ratio {ours / bare:.2f}"
        )
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

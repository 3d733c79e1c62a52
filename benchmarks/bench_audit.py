"""``audit verify`` on big logs: time and peak memory beside a bare sqlite3 + hashlib walk.

    python benchmarks/bench_audit.py [--entries 100000 1000000] [--tree PATH] [--keep DIR]

For each size, builds a log fast (rows and correctly chained entries inserted with executemany,
not through service calls): 1,000 sources, 100 articles, and quotes that each go through create,
set chain, set status and approve (a review and a quote entry), 5 entries per quote. Then runs,
each in its own process so that peak RSS (``ru_maxrss``) is its own:

* ``verify``: ``Service.verify_audit()`` of the tree under ``--tree`` (default: this one; point
  it at another checkout to measure an older version on the same file);
* ``bare walk``: sqlite3 + json + hashlib recomputing every entry's hash in seq order (the chain
  check alone, without the row comparison).

The ratio column is the figure to watch (target: verify <= 2x the bare walk, <= 150 MB).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from annotator import audit  # noqa: E402
from annotator.canonical import context, sha256_text  # noqa: E402
from annotator.db import Database  # noqa: E402
from annotator.model import Article, AuditEntry, Hop, Quote, Review, Source  # noqa: E402
from annotator.records import HopRecord, QuoteRecord, ReviewRecord, SourceRecord, canonical_json  # noqa: E402
from annotator.service import chain_sha256, name_key  # noqa: E402

WORDS = "the minister said that talks would resume after the summer recess and officials confirmed".split()
SOURCES, ARTICLES, PER_QUOTE = 1000, 100, 5
AT = "2026-01-01T00:00:00.000000Z"


def _source_json(rec: SourceRecord) -> str:
    # Written as entries were before the match keys were recorded, so that older versions verify
    # the same file (this version derives the keys: that path is measured too).
    d = rec.to_dict()
    del d["name_key"], d["alias_keys"]
    return canonical_json(d)


def _append(session: Any, log: list[tuple[str, str, list[audit.NewEntry]]]) -> int:
    """Append the entries of many operations ``(txn, actor, entries)`` in one executemany."""
    head, rows = audit.head(session), []
    for txn, actor, group in log:
        rows += audit.build_entries(head, group, txn=txn, actor=actor, at=AT)
        head = (rows[-1]["seq"], rows[-1]["sha256"])
    session.execute(AuditEntry.__table__.insert(), rows)
    return len(rows)


def build_log(url: str, entries: int, *, seed: int = 7, chunk: int = 5000) -> int:
    """Fill an empty database with about ``entries`` audit entries and the rows they describe, all
    consistent (``audit verify`` passes). Returns the number of entries written."""
    rng = random.Random(seed)
    db = Database.open(url)
    quotes = max(1, (entries - SOURCES - ARTICLES) // PER_QUOTE)
    src_t, art_t, q_t, hop_t, rev_t = (m.__table__ for m in (Source, Article, Quote, Hop, Review))
    with db.write() as s:
        srcs, log = [], []
        for i in range(1, SOURCES + 1):
            name = f"Person {i}"
            rec = SourceRecord(i, f"src-{i}", "person", name, None, None, None, None, (), ())
            srcs.append({"id": i, "uid": rec.uid, "kind": "person", "name": name, "name_key": name_key(name)})
            log.append((f"s{i}", "bench", [("create source", "source", i, None, _source_json(rec))]))
        s.execute(src_t.insert(), srcs)
        texts = {}
        for i in range(1, ARTICLES + 1):
            text = " ".join(rng.choice(WORDS) for _ in range(400))
            texts[i] = text
            row = {"id": i, "uid": f"art-{i}", "title": f"Article {i}", "outlet_id": None, "url": None,
                   "byline": None, "published": None, "language": "en", "filename": f"a{i}.txt",
                   "format": "txt", "encoding": "utf-8", "raw_sha256": None, "text_sha256": sha256_text(text),
                   "text_length": len(text), "imported_at": AT, "imported_by": "bench"}  # fmt: skip
            s.execute(art_t.insert(), [{**row, "text": text}])
            log.append((f"a{i}", "bench", [("import article", "article", i, None, canonical_json(row))]))
        _append(s, log)
    written = SOURCES + ARTICLES
    uids = {i: f"src-{i}" for i in range(1, SOURCES + 1)}
    for first in range(1, quotes + 1, chunk):
        q_rows, hop_rows, rev_rows, log = [], [], [], []
        for qid in range(first, min(quotes, first + chunk - 1) + 1):
            aid = rng.randint(1, ARTICLES)
            text = texts[aid]
            start = rng.randrange(0, len(text) - 100)
            end = start + rng.randint(20, 90)
            prefix, suffix = context(text, start, end)
            speaker, *relays = rng.sample(range(1, SOURCES + 1), rng.randint(1, 3))
            hops = tuple(HopRecord(h, "according to") for h in relays)
            created = QuoteRecord(qid, f"q-{qid}", aid, start, end, text[start:end], prefix, suffix,
                                  "indirect", None, None, (), "unverified", None, None, None, None, None,
                                  "ana", AT, "ana", AT)  # fmt: skip
            chained = dataclasses.replace(created, speaker_id=speaker, hops=hops)
            review_state = dataclasses.replace(chained, status="needs_review", status_by="ana", status_at=AT)
            verified = dataclasses.replace(review_state, status="verified", status_by="bo")
            chain = {"article": f"art-{aid}", "span": [start, end], "type": "indirect", "cue": None,
                     "speaker": uids[speaker], "hops": [{"source": uids[h.source_id], "relation": h.relation,
                                                         "evidence": None} for h in hops]}  # fmt: skip
            review = ReviewRecord(qid, qid, "bo", AT, "approve", None, chain_sha256(chain))
            j0, j1, j2, j3 = (r.to_json() for r in (created, chained, review_state, verified))
            log += [(f"{qid}a", "ana", [("create quote", "quote", qid, None, j0)]),
                    (f"{qid}b", "ana", [("set chain", "quote", qid, j0, j1)]),
                    (f"{qid}c", "ana", [("set status", "quote", qid, j1, j2)]),
                    (f"{qid}d", "bo", [("approve", "review", qid, None, review.to_json()),
                                       ("approve", "quote", qid, j2, j3)])]  # fmt: skip
            row = verified.to_dict()
            del row["hops"], row["cue"]
            row.update(span_start=row.pop("start"), span_end=row.pop("end"), article_length=len(text))
            q_rows.append(row)
            hop_rows += [{"quote_id": qid, "position": i, "source_id": h.source_id, "relation": h.relation}
                         for i, h in enumerate(hops)]  # fmt: skip
            rev_rows.append(review.to_dict())
        with db.write() as s:
            s.execute(q_t.insert(), q_rows)
            if hop_rows:
                s.execute(hop_t.insert(), hop_rows)
            s.execute(rev_t.insert(), rev_rows)
            written += _append(s, log)
    db.close()
    return written


PEAK_RSS = """
def peak_rss_mb():
    # VmHWM: the peak RSS of this process's own memory. (ru_maxrss would not do: Linux carries the
    # parent's RSS at fork into the child's ru_maxrss across exec, so a child of a big process
    # reports at least the parent's size.)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

VERIFY = (
    PEAK_RSS
    + """
import json, sys, time
sys.path.insert(0, {tree!r})
from annotator.db import Database
from annotator.service import Service
t = time.perf_counter()
svc = Service(Database.open({url!r}, upgrade=False), user="bench")
report = svc.verify_audit()
print(json.dumps({{"seconds": time.perf_counter() - t, "ok": report.ok, "entries": report.entries,
                  "problem": str(report.problem) if report.problem else None,
                  "maxrss_mb": peak_rss_mb()}}))
"""
)

BARE = (
    PEAK_RSS
    + """
import hashlib, json, sqlite3, time
t = time.perf_counter()
con = sqlite3.connect({path!r})
prev, n, ok = "0" * 64, 0, True
for row in con.execute("SELECT seq, txn, at, actor, action, object_type, object_id, before, after, "
                       "prev_sha256, sha256 FROM audit_entry ORDER BY seq"):
    seq, txn, at, actor, action, otype, oid, before, after, prev_field, sha = row
    payload = json.dumps({{"seq": seq, "txn": txn, "at": at, "actor": actor, "action": action,
                          "object_type": otype, "object_id": oid, "before": before, "after": after,
                          "prev_sha256": prev_field}},
                         sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    ok = ok and prev_field == prev and hashlib.sha256(payload.encode()).hexdigest() == sha
    prev, n = sha, n + 1
print(json.dumps({{"seconds": time.perf_counter() - t, "ok": ok, "entries": n, "maxrss_mb": peak_rss_mb()}}))
"""
)


def run(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--tree", default=str(HERE.parent), help="checkout whose annotator package runs verify")
    ap.add_argument("--keep", help="directory to build (and keep) the databases in")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.keep or tmp)
        print(
            f"{'entries':>10} {'':<10}{'verify':>10}{'bare walk':>11}{'ratio':>8}   verify tree: {args.tree}"
        )
        for n in args.entries:
            path = where / f"audit-{n}.sqlite3"
            if not path.exists():
                t = time.perf_counter()
                written = build_log(f"sqlite:///{path}", n)
                print(f"{'':>10} built {written:,} entries in {time.perf_counter() - t:.1f}s "
                      f"({path.stat().st_size / 1e6:,.0f} MB)", flush=True)  # fmt: skip
            ours = run(VERIFY.format(tree=args.tree, url=f"sqlite:///{path}"))
            bare = run(BARE.format(path=str(path)))
            if not ours["ok"] or not bare["ok"]:
                print(f"  NOT OK: verify {ours.get('problem')}, bare {bare['ok']}")
            print(f"{ours['entries']:>10,} {'time':<10}{ours['seconds']:>9.2f}s{bare['seconds']:>10.2f}s"
                  f"{ours['seconds'] / bare['seconds']:>7.2f}x")  # fmt: skip
            print(f"{'':>10} {'peak RSS':<10}{ours['maxrss_mb']:>8.0f}MB{bare['maxrss_mb']:>9.0f}MB"
                  f"{ours['maxrss_mb'] / bare['maxrss_mb']:>7.2f}x", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()

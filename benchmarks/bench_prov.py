"""Benchmark of the PROV export beside the XML quote-set export of the same data, in the same run.

    .venv/bin/python benchmarks/bench_prov.py [--quotes 10000] [--articles 100] [--sources 400] [--repeat 3]

Setup (not timed): the synthetic set of ``bench_xml.py`` (chains of 0-3 hops, anonymous sources,
sign-offs, notes) is bulk-inserted into an SQLite database as ``bench_exchange.py`` does (bypassing
the service: no audit entries). Then, best of ``--repeat`` runs each, status ``all``:

* quote-set xml -- the XML quote-set export (read, schema-validated streaming write, sidecar): the
                   baseline, the export the desk already has
* prov-xml / prov-json / prov-n -- :func:`annotator.interop.prov.export_prov`: read, build the
                   document with the ``prov`` library, serialize, check (read back with the library
                   and compare; PROV-XML also validated against the W3C schema), write
* prov build+serialize -- the ``prov`` library alone on the same dataset (no read, no check): the
                   floor the library sets

It prints a table with each time and its ratio to the quote-set export.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_exchange import build_database  # noqa: E402
from bench_xml import Synthetic  # noqa: E402

from annotator.db import Database  # noqa: E402
from annotator.interop import prov as iprov  # noqa: E402
from annotator.interop.dataset import load  # noqa: E402
from annotator.quotesets.export import export_set  # noqa: E402
from annotator.service import Service  # noqa: E402


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quotes", type=int, default=10_000)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--sources", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        url = f"sqlite:///{d / 'bench.sqlite3'}"
        t = time.perf_counter()
        build_database(url, Synthetic(args.quotes, args.articles, args.sources))
        print(f"setup: {args.quotes:,} quotes, {args.articles} articles, {args.sources} sources "
              f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
        db = Database.open(url)
        svc = Service(db, user="bench")
        rows: list[tuple[str, float, int]] = []
        out = d / "set.xml"
        rows.append(("quote-set xml", best(lambda: export_set(svc, out, status="all"), args.repeat),
                     out.stat().st_size))  # fmt: skip
        for fmt in iprov.FORMATS:
            path = d / f"export.{fmt}"
            seconds = best(
                lambda fmt=fmt, path=path: iprov.export_prov(db, path, fmt, status="all"), args.repeat
            )
            rows.append((fmt, seconds, path.stat().st_size))
        data = load(db, status="all")
        assert len(data.quotes) == args.quotes
        floor = best(lambda: iprov.serialize(iprov.build_document(data), "prov-json"), args.repeat)
        rows.append(("prov build+serialize (json)", floor, 0))
        db.close()
    base = rows[0][1]
    print(f"{'phase':<30} {'seconds':>8} {'ratio':>7} {'MB':>7}")
    for name, seconds, size in rows:
        mb = f"{size / 1e6:7.1f}" if size else "      -"
        print(f"{name:<30} {seconds:8.2f} {seconds / base:6.1f}x {mb}")


if __name__ == "__main__":
    main()

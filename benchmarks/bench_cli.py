"""Whole-process latency of the CLI's read commands beside a bare script, in the same run.

    .venv/bin/python benchmarks/bench_cli.py [--quotes 10000] [--articles 100] [--sources 400] [--runs 5]

Setup (not timed): the synthetic set of ``bench_xml.py`` (100 articles, 10,000 quotes with chains
of 0-3 hops, 400 sources with aliases) is bulk-inserted into an SQLite file as ``bench_exchange.py``
does, and the file is brought to the newest schema revision.

Then each command runs as a fresh process (``python -m annotator.cli --db FILE ...``, output
captured), ``--runs`` times; the figure is the median wall time of the whole process, start-up and
imports included, which is what a person at a terminal waits for:

* ``articles``, ``quotes --article 1``, ``sources`` -- the read commands (target: <= 250 ms each)
* bare -- a Python script that prints the same table with ``sqlite3`` alone (same queries, same
  columns), started the same way: the floor an interpreter and the database set
* service path -- the same command with the DB-API listing switched off, so it opens the database
  through SQLAlchemy and the service as every command did before (for reference)

It prints each median (wall, and CPU time: user + system, which a machine shared with other work
inflates less), the ratio to the bare script, and whether the 250 ms target is met.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MS = 250

BARE = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
what = sys.argv[2]

def table(rows, headers, widths):
    def cell(v, w):
        s = "" if v is None else str(v).replace("\n", " ")
        return s[: w - 1] + "…" if w and len(s) > w else s
    widths = list(widths) + [None] * (len(headers) - len(widths))
    cells = [[cell(v, w) for v, w in zip(r, widths)] for r in rows]
    cols = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(c) for h, c in zip(headers, cols)).rstrip())
    print("  ".join("-" * c for c in cols))
    for r in cells:
        print("  ".join(v.ljust(c) for v, c in zip(r, cols)).rstrip())

if what == "articles":
    rows = db.execute(
        "SELECT a.id, a.title, s.name, a.published, a.language, coalesce(c.n, 0), coalesce(c.v, 0) "
        "FROM article a LEFT JOIN source s ON s.id = a.outlet_id LEFT JOIN (SELECT article_id, count(*) n, "
        "sum(status = 'verified') v FROM quote GROUP BY article_id) c ON c.article_id = a.id ORDER BY a.id"
    ).fetchall()
    table(rows, ["ID", "TITLE", "OUTLET", "DATE", "LANG", "QUOTES", "VERIFIED"], [None, 60, 24])
elif what == "quotes":
    names = dict(db.execute("SELECT id, coalesce(descriptor, name) FROM source"))
    hops = dict(db.execute("SELECT quote_id, count(*) FROM hop GROUP BY quote_id"))
    rows = [
        (i, a, f"{s}-{e}", t, st, names.get(sp, ""), hops.get(i, 0), x)
        for i, a, s, e, t, st, sp, x in db.execute(
            "SELECT id, article_id, span_start, span_end, type, status, speaker_id, text FROM quote "
            "WHERE article_id = 1 ORDER BY span_start, span_end, id"
        )
    ]
    table(rows, ["ID", "ART", "SPAN", "TYPE", "STATUS", "SPEAKER", "HOPS", "TEXT"],
          [None, None, None, None, None, 24, None, 60])
else:
    aliases = {}
    for sid, alias in db.execute("SELECT source_id, alias FROM source_alias"):
        aliases.setdefault(sid, []).append(alias)
    names = dict(db.execute("SELECT id, name FROM source"))
    rows = [
        (i, k, n, r, names.get(af, ""), d, ", ".join(sorted(aliases.get(i, []))))
        for i, k, n, r, af, d in db.execute(
            "SELECT id, kind, name, role, affiliation_id, descriptor FROM source ORDER BY name_key, id"
        )
    ]
    table(rows, ["ID", "KIND", "NAME", "ROLE", "AFFILIATION", "DESCRIPTOR", "ALIASES"],
          [None, None, 30, 24, 24, 24, 40])
"""

SERVICE_PATH = (
    "import sys; import annotator.listing as l; l.Listing.open = staticmethod(lambda url: None); "
    "from annotator.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_ms(argv: list[str], runs: int) -> tuple[float, float, str]:
    """Median wall time and median CPU time (user + system) of ``runs`` runs, and the output."""
    walls, cpus, out = [], [], ""
    for _ in range(runs):
        cpu, t = _children_cpu(), time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((_children_cpu() - cpu) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
        out = done.stdout
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quotes", type=int, default=10_000)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--sources", type=int, default=400)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from bench_exchange import build_database
    from bench_xml import Synthetic

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        t = time.perf_counter()
        build_database(f"sqlite:///{path}", Synthetic(args.quotes, args.articles, args.sources))
        print(f"setup: {args.quotes:,} quotes, {args.articles} articles, {args.sources} sources "
              f"in {time.perf_counter() - t:.1f} s; median of {args.runs} runs each")  # fmt: skip
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        py = sys.executable
        rows = []
        for command, bare_arg in ((["articles"], "articles"), (["quotes", "--article", "1"], "quotes"),
                                  (["sources"], "sources")):  # fmt: skip
            ours, ours_cpu, out = median_ms(
                [py, "-m", "annotator.cli", "--db", str(path), *command], args.runs
            )
            base, base_cpu, bare_out = median_ms([py, str(bare), str(path), bare_arg], args.runs)
            old, old_cpu, _ = median_ms([py, "-c", SERVICE_PATH, "--db", str(path), *command], args.runs)
            lines, bare_lines = len(out.splitlines()), len(bare_out.splitlines())
            assert lines == bare_lines, f"{command}: {lines} lines, the bare script {bare_lines}"
            rows.append((" ".join(command), (ours, ours_cpu), (base, base_cpu), (old, old_cpu)))
    print("whole process, median ms: wall (cpu = user + system); ratio = annotator / bare")
    print(f"{'command':<19} {'annotator':>15} {'bare':>13} {'ratio':>11} {'service path':>15}  target")
    for name, ours, base, old in rows:
        met = "met" if ours[0] <= TARGET_MS else "NOT met"
        print(
            f"{name:<19} {ours[0]:5.0f} ({ours[1]:4.0f} cpu) {base[0]:4.0f} ({base[1]:3.0f} cpu) "
            f"{ours[0] / base[0]:4.1f}x ({ours[1] / base[1]:3.1f}x) {old[0]:5.0f} ({old[1]:4.0f} cpu)"
            f"  wall <= {TARGET_MS} ms: {met}"
        )


if __name__ == "__main__":
    main()

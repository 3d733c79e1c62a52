"""Benchmark of quote-set export and import through the database, beside bare lxml.

    .venv/bin/python benchmarks/bench_exchange.py [--quotes 100000] [--articles 1000] [--sources 2000]

Setup (timed, not part of the ratios): the synthetic set of ``bench_xml.py`` (articles of a few
KB, chains of 0-3 hops, anonymous sources, sign-offs, notes) is bulk-inserted into an SQLite
database with SQLAlchemy Core, **bypassing the service**: no audit entries are written, so that
database would fail ``annotator audit verify``. That is fine for a benchmark database; the import
phase goes through the service and audits every row it creates. An empty, migrated database is
prepared for the import too, so migrating is not timed.

Each phase runs in a fresh subprocess so that its peak memory is its own: the figure shown is the
peak resident set size of the process minus its resident size just before the phase (it includes
libxml2's and SQLite's memory, which tracemalloc cannot see).

Phases:

* export          -- :func:`annotator.quotesets.export.export_set` from the database (status all)
* xml write       -- :func:`annotator.quotesets.xmlformat.write_quoteset` of the same set from memory
                     (the format layer alone: checks, streaming validation, sidecar)
* bare write      -- lxml ``xmlfile`` writing the same elements, nothing else
* import          -- :func:`annotator.quotesets.importer.import_set` of the export into the empty database
                     (read_quoteset, matching, one transaction, an audit entry per row)
* xml read        -- :func:`annotator.quotesets.xmlformat.read_quoteset` of the export (the format
                     layer alone)
* bare parse      -- ``etree.parse`` of the export into a tree
* bare iterparse  -- ``etree.iterparse`` over the export, freeing each quote (streaming floor)

No assertions beyond sanity checks: it prints a table and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_xml import Synthetic, bare_write, peak_kb, rss_kb  # noqa: E402
from lxml import etree  # noqa: E402

from annotator.db import Database  # noqa: E402
from annotator.model import Article, ExternalId, Hop, Quote, Review, Source, SourceAlias  # noqa: E402
from annotator.names import name_key  # noqa: E402
from annotator.quotesets import xmlformat  # noqa: E402

CREATED = "2026-11-25T10:00:00Z"
BATCH = 10_000


def build_database(url: str, data: Synthetic) -> None:
    """Bulk-insert the synthetic set with SQLAlchemy Core (setup only: bypasses the service and
    writes no audit entries)."""
    db = Database.open(url)
    ids = {s.id: i for i, s in enumerate(data.sources, 1)}
    art_ids = {a.id: i for i, a in enumerate(data.articles, 1)}
    lengths = {a.id: len(a.text) for a in data.articles}
    with db.engine.begin() as conn:
        conn.execute(
            Source.__table__.insert(),
            [
                {
                    "id": ids[s.id],
                    "uid": s.id,
                    "kind": s.kind,
                    "name": s.name,
                    "name_key": name_key(s.name),
                    "role": s.role,
                    "affiliation_id": ids[s.affiliation] if s.affiliation else None,
                    "descriptor": s.descriptor,
                    "nationality": s.nationality,
                }
                for s in data.sources
            ],
        )
        aliases = [
            {"source_id": ids[s.id], "alias": a, "alias_key": name_key(a)}
            for s in data.sources
            for a in s.aliases
        ]
        if aliases:
            conn.execute(SourceAlias.__table__.insert(), aliases)
        ext = [
            {"source_id": ids[s.id], "scheme": k, "value": v} for s in data.sources for k, v in s.external_ids
        ]
        if ext:
            conn.execute(ExternalId.__table__.insert(), ext)
        conn.execute(
            Article.__table__.insert(),
            [
                {
                    "id": art_ids[a.id],
                    "uid": a.id,
                    "title": a.title,
                    "outlet_id": ids[a.outlet] if a.outlet else None,
                    "url": a.url,
                    "byline": a.byline,
                    "published": dt.date.fromisoformat(a.published) if a.published else None,
                    "language": a.language,
                    "filename": None,
                    "format": "txt",
                    "encoding": "utf-8",
                    "raw_sha256": None,
                    "text_sha256": a.text_sha256,
                    "text_length": len(a.text),
                    "imported_at": CREATED,
                    "imported_by": "bench",
                    "text": a.text,
                }
                for a in data.articles
            ],
        )
        quotes: list[dict[str, object]] = []
        hops: list[dict[str, object]] = []
        reviews: list[dict[str, object]] = []

        def flush() -> None:
            for table, rows in (
                (Quote.__table__, quotes),
                (Hop.__table__, hops),
                (Review.__table__, reviews),
            ):
                if rows:
                    conn.execute(table.insert(), rows)
                    rows.clear()

        for n, q in enumerate(data.quotes(), 1):
            quotes.append(
                {
                    "id": n,
                    "uid": q.id,
                    "article_id": art_ids[q.article],
                    "article_length": lengths[q.article],
                    "span_start": q.start,
                    "span_end": q.end,
                    "text": q.text,
                    "prefix": q.prefix,
                    "suffix": q.suffix,
                    "type": q.type,
                    "cue_start": q.cue[0] if q.cue else None,
                    "cue_end": q.cue[1] if q.cue else None,
                    "speaker_id": ids[q.speaker] if q.speaker else None,
                    "status": q.status,
                    "evidence_url": q.evidence_url,
                    "archive_url": q.archive_url,
                    "note": q.note,
                    "status_by": q.status_by,
                    "status_at": q.status_at,
                    "created_by": q.created_by,
                    "created_at": q.created_at,
                    "chain_edited_by": q.created_by,
                    "chain_edited_at": q.created_at,
                }
            )
            for pos, h in enumerate(q.hops):
                hops.append(
                    {
                        "quote_id": n,
                        "position": pos,
                        "source_id": ids[h.source],
                        "relation": h.relation,
                        "evidence_start": h.evidence[0] if h.evidence else None,
                        "evidence_end": h.evidence[1] if h.evidence else None,
                    }
                )
            for s in q.signoffs:
                reviews.append(
                    {
                        "quote_id": n,
                        "reviewer": s.reviewer,
                        "at": s.at,
                        "verdict": s.verdict,
                        "comment": s.comment,
                        "chain_sha256": s.chain_sha256,
                    }
                )
            if len(quotes) >= BATCH:
                flush()
        flush()
    db.close()


def run_phase(phase: str, directory: Path, args: argparse.Namespace) -> dict[str, float]:
    from annotator.quotesets.export import export_set
    from annotator.quotesets.importer import import_set
    from annotator.service import Service

    data = Synthetic(args.quotes, args.articles, args.sources)
    source_url = f"sqlite:///{directory / 'source.sqlite3'}"
    target_url = f"sqlite:///{directory / 'target.sqlite3'}"
    exported = directory / "set.xml"
    db = None
    if phase == "export":
        db = Database.open(source_url, upgrade=False)
    elif phase == "import":
        db = Database.open(target_url, upgrade=False)
    base = rss_kb()
    t0 = time.perf_counter()
    extra: dict[str, float] = {}
    if phase == "setup":
        build_database(source_url, data)
        Database.open(target_url).close()
    elif phase == "export":
        assert db is not None
        result = export_set(Service(db, user="bench"), exported, status="all", created=CREATED)
        assert result.quotes == args.quotes, result
        extra["size_mb"] = result.size / 1e6
    elif phase == "xml write":
        xmlformat.write_quoteset(
            directory / "mem.xml", data.header, data.sources, data.articles, data.quotes()
        )
    elif phase == "bare write":
        bare_write(directory / "bare.xml", data)
    elif phase == "import":
        assert db is not None
        report = import_set(Service(db, user="bench"), exported)
        assert len(report.added["quote"]) == args.quotes and not report.conflicts
        extra["audit_entries"] = float(report.audit_seq or 0)
    elif phase == "xml read":
        qs = xmlformat.read_quoteset(exported)
        assert len(qs.quotes) == args.quotes
    elif phase == "bare parse":
        etree.parse(str(exported))
    elif phase == "bare iterparse":
        for _event, el in etree.iterparse(str(exported), tag=xmlformat._q("quote")):
            el.clear(keep_tail=True)
            while el.getprevious() is not None:
                del el.getparent()[0]
    else:
        raise SystemExit(f"unknown phase {phase}")
    seconds = time.perf_counter() - t0
    if db is not None:
        db.close()
    return {"seconds": seconds, "peak_mb": (peak_kb() - base) / 1024, "base_mb": base / 1024, **extra}


PHASES = ("setup", "export", "xml write", "bare write", "import", "xml read", "bare parse", "bare iterparse")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--sources", type=int, default=2_000)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, Path(args.dir), args)))
        return
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench_exchange_") as tmp:
        for phase in PHASES:
            cmd = [
                sys.executable,
                __file__,
                "--phase",
                phase,
                "--dir",
                tmp,
                "--quotes",
                str(args.quotes),
                "--articles",
                str(args.articles),
                "--sources",
                str(args.sources),
            ]
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode:
                raise SystemExit(f"phase {phase} failed:\n{run.stderr}")
            results[phase] = res = json.loads(run.stdout.strip().splitlines()[-1])
            print(f"  {phase:15} {res['seconds']:7.2f} s   peak +{res['peak_mb']:6.0f} MB", flush=True)
    print()
    print(
        f"{args.quotes:,} quotes, {args.articles:,} articles, {args.sources:,} sources; "
        f"export {results['export']['size_mb']:.1f} MB; import wrote "
        f"{results['import']['audit_entries']:,.0f} audit entries"
    )
    print(f"{'phase':16}{'time s':>9}{'peak MB':>10}")
    for phase in PHASES:
        print(f"{phase:16}{results[phase]['seconds']:9.2f}{results[phase]['peak_mb']:10.0f}")

    def t(phase: str) -> float:
        return results[phase]["seconds"]

    def m(phase: str) -> float:
        return max(results[phase]["peak_mb"], 1.0)

    print()
    print("ratios (time)")
    for a, b in (
        ("export", "bare write"),
        ("export", "xml write"),
        ("import", "bare parse"),
        ("import", "bare iterparse"),
        ("import", "xml read"),
    ):
        print(f"  {a} / {b:15}{t(a) / t(b):8.2f}x")
    print("ratios (peak memory; each counts as at least 1 MB)")
    for a, b in (
        ("export", "bare write"),
        ("export", "xml write"),
        ("import", "bare parse"),
        ("import", "xml read"),
    ):
        print(f"  {a} / {b:15}{m(a) / m(b):8.2f}x")


if __name__ == "__main__":
    main()

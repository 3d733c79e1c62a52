"""Benchmark of the XML quote set format against bare lxml on the same document.

    .venv/bin/python benchmarks/bench_xml.py [--quotes 100000] [--articles 1000] [--sources 2000]

A synthetic set (articles of a few KB, chains of 0-3 hops, some anonymous sources, sign-offs,
notes) is generated deterministically. Each phase runs in a fresh subprocess so that its peak
memory is its own: the figure shown is the peak resident set size of that process minus its
resident size just before the phase (so it includes libxml2's memory, which tracemalloc cannot
see). Quotes are produced by a generator in every phase, so the input itself costs no memory.

Phases:

* generate      -- only iterating the synthetic data (the floor of every writing phase)
* export        -- :func:`annotator.quotesets.xmlformat.write_quoteset` (checks, xmlfile, streaming XSD
                   validation, sha256 sidecar, atomic rename)
* bare write    -- lxml ``xmlfile`` writing the same elements, nothing else
* import        -- :func:`annotator.quotesets.xmlformat.read_quoteset` (prechecks, parse, build, XSD,
                   semantic checks; returns every dataclass)
* bare parse    -- ``etree.parse`` of the file into a tree
* bare iterparse-- ``etree.iterparse`` over the file, freeing each quote (streaming floor)
* bare validate -- ``etree.XMLSchema.validate`` on the parsed tree (parse included)

No assertions: it prints a table.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from annotator.canonical import context, sha256_text  # noqa: E402
from annotator.quotesets import xmlformat  # noqa: E402
from annotator.quotesets.model import (  # noqa: E402
    SOURCE_KINDS,
    SetArticle,
    SetHeader,
    SetHop,
    SetQuote,
    SetSource,
    SignOff,
)

WORDS = (
    "the minister said talks would resume next week according to officials in Kyiv and Moscow "
    "however ceasefire remained elusive «quoted» Zürich Łódź São Paulo 東京 😀 naïve café"
).split()
RELATIONS = ("according to", "quoted by", "told", "reported by", "via")


def rss_kb() -> int:
    """Current resident set size in KiB (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def peak_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Synthetic:
    """A deterministic synthetic quote set; quotes come from a generator."""

    def __init__(self, n_quotes: int, n_articles: int, n_sources: int, seed: int = 7) -> None:
        rnd = random.Random(seed)
        self.n_quotes = n_quotes
        self.seed = seed

        def uid() -> str:
            return str(uuid.UUID(int=rnd.getrandbits(128), version=4))

        self.header = SetHeader(
            created="2026-11-25T10:00:00Z",
            created_by="bench",
            tool_name="quote-annotator",
            tool_version="0.1.0",
            audit_head_seq=123456,
            audit_head_sha256="ab" * 32,
            four_eyes=True,
        )
        self.sources: list[SetSource] = []
        for i in range(n_sources):
            kind = SOURCE_KINDS[i % len(SOURCE_KINDS)]
            self.sources.append(
                SetSource(
                    id=uid(),
                    kind=kind,
                    name=f"Source {i}",
                    role="spokesman" if i % 3 == 0 else None,
                    affiliation=self.sources[i // 2].id if i % 7 == 1 and i > 1 else None,
                    descriptor=f"an official number {i}" if kind == "anonymous" else None,
                    aliases=(f"S. {i}",) if i % 5 == 0 else (),
                    external_ids=(("wikidata", f"Q{i}"),) if i % 11 == 0 else (),
                )
            )
        outlets = [s.id for s in self.sources if s.kind == "outlet"]
        self.articles: list[SetArticle] = []
        for i in range(n_articles):
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(450, 800)))
            self.articles.append(
                SetArticle(
                    id=uid(),
                    title=f"Article {i}",
                    outlet=rnd.choice(outlets),
                    url=f"https://news.example/{i}",
                    byline="Staff",
                    published="2025-05-17",
                    language="en",
                    text_sha256=sha256_text(text),
                    text=text,
                )
            )

    def quotes(self) -> Iterator[SetQuote]:
        rnd = random.Random(self.seed + 1)
        sources, articles = self.sources, self.articles
        for i in range(self.n_quotes):
            a = articles[i % len(articles)]
            n = len(a.text)
            start = rnd.randrange(0, n - 200)
            end = start + rnd.randint(20, 180)
            prefix, suffix = context(a.text, start, end)
            chosen = rnd.sample(sources, 4)
            hops = tuple(
                SetHop(
                    s.id,
                    RELATIONS[(i + k) % len(RELATIONS)],
                    (start - 20, start) if k == 0 and start >= 20 else None,
                )
                for k, s in enumerate(chosen[1 : 1 + rnd.randint(0, 3)])
            )
            yield SetQuote(
                id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                article=a.id,
                start=start,
                end=end,
                text=a.text[start:end],
                prefix=prefix,
                suffix=suffix,
                type=("direct", "partial", "indirect")[i % 3],
                cue=(end, min(n, end + 5)) if i % 2 else None,
                speaker=chosen[0].id,
                hops=hops,
                status="verified",
                note="checked against the transcript" if i % 10 == 0 else None,
                status_by="ana",
                status_at="2026-11-20T09:00:00Z",
                created_by="ben",
                created_at="2026-11-19T08:00:00Z",
                signoffs=(SignOff("carla", "2026-11-20T09:00:00Z", "approve", None, "cd" * 32),)
                if i % 4 == 0
                else (),
            )


def bare_write(path: Path, data: Synthetic) -> None:
    """The same elements as the export, with lxml's xmlfile and nothing else."""
    q = xmlformat._q
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(q("quoteSet"), {"formatVersion": "1.0"}, nsmap={None: xmlformat.NAMESPACE}):
            with xf.element(q("header")):
                for tag, value in (("created", data.header.created), ("createdBy", data.header.created_by)):
                    with xf.element(q(tag)):
                        xf.write(value)
            with xf.element(q("sources")):
                for s in data.sources:
                    with xf.element(q("source"), {"id": s.id, "kind": s.kind}):
                        with xf.element(q("name")):
                            xf.write(s.name)
                        if s.descriptor:
                            with xf.element(q("descriptor")):
                                xf.write(s.descriptor)
            with xf.element(q("articles")):
                for a in data.articles:
                    with xf.element(q("article"), {"id": a.id}):
                        with xf.element(q("title")):
                            xf.write(a.title or "")
                        with xf.element(q("text"), {"sha256": a.text_sha256}):
                            xf.write(a.text)
            with xf.element(q("quotes")):
                for quote in data.quotes():
                    attrib = {"id": quote.id, "article": quote.article, "start": str(quote.start),
                              "end": str(quote.end), "type": quote.type, "status": quote.status}  # fmt: skip
                    with xf.element(q("quote"), attrib):
                        for tag, value in (
                            ("text", quote.text),
                            ("prefix", quote.prefix),
                            ("suffix", quote.suffix),
                        ):
                            with xf.element(q(tag)):
                                xf.write(value)
                        if quote.hops:
                            with xf.element(q("chain")):
                                for hop in quote.hops:
                                    with xf.element(
                                        q("hop"), {"source": hop.source, "relation": hop.relation}
                                    ):
                                        pass
                        if quote.note is not None:
                            with xf.element(q("note")):
                                xf.write(quote.note)
                        with xf.element(
                            q("statusChange"), {"by": quote.status_by or "", "at": quote.status_at or ""}
                        ):
                            pass


def run_phase(phase: str, directory: Path, args: argparse.Namespace) -> dict[str, float]:
    data = Synthetic(args.quotes, args.articles, args.sources)
    target = directory / "set.xml"
    base = rss_kb()
    t0 = time.perf_counter()
    if phase == "generate":
        for _ in data.quotes():
            pass
    elif phase == "export":
        xmlformat.write_quoteset(target, data.header, data.sources, data.articles, data.quotes())
    elif phase == "bare write":
        bare_write(directory / "bare.xml", data)
    elif phase == "import":
        qs = xmlformat.read_quoteset(target)
        assert len(qs.quotes) == args.quotes
    elif phase == "bare parse":
        etree.parse(str(target))
    elif phase == "bare iterparse":
        for _event, el in etree.iterparse(str(target), tag=xmlformat._q("quote")):
            el.clear(keep_tail=True)
            while el.getprevious() is not None:
                del el.getparent()[0]
    elif phase == "bare validate":
        schema = etree.XMLSchema(file=str(xmlformat.schema_path()))
        assert schema.validate(etree.parse(str(target)))
    else:
        raise SystemExit(f"unknown phase {phase}")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_mb": (peak_kb() - base) / 1024, "base_mb": base / 1024}


PHASES = ("generate", "export", "bare write", "import", "bare parse", "bare iterparse", "bare validate")


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
    with tempfile.TemporaryDirectory(prefix="bench_xml_") as tmp:
        for phase in PHASES:
            cmd = [sys.executable, __file__, "--phase", phase, "--dir", tmp, "--quotes", str(args.quotes),
                   "--articles", str(args.articles), "--sources", str(args.sources)]  # fmt: skip
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode:
                raise SystemExit(f"phase {phase} failed:\n{run.stderr}")
            out = run.stdout
            results[phase] = res = json.loads(out.strip().splitlines()[-1])
            print(f"  {phase:15} {res['seconds']:7.2f} s   peak +{res['peak_mb']:6.0f} MB", flush=True)
        size = (Path(tmp) / "set.xml").stat().st_size
    print()
    print(f"{args.quotes:,} quotes, {args.articles:,} articles, {args.sources:,} sources; ", end="")
    print(f"file {size / 1e6:.1f} MB")
    print(f"{'phase':16}{'time s':>9}{'peak MB':>10}")
    for phase in PHASES:
        print(f"{phase:16}{results[phase]['seconds']:9.2f}{results[phase]['peak_mb']:10.0f}")

    def t(phase: str) -> float:
        return results[phase]["seconds"]

    def m(phase: str) -> float:
        return max(results[phase]["peak_mb"], 1.0)

    gen = t("generate")
    print()
    print("ratios (time)")
    print(f"  export / bare write                    {t('export') / t('bare write'):5.2f}x")
    print(f"  export / bare write, generation left out {(t('export') - gen) / (t('bare write') - gen):5.2f}x")
    print(f"  import / bare parse                    {t('import') / t('bare parse'):5.2f}x")
    print(f"  import / bare iterparse                {t('import') / t('bare iterparse'):5.2f}x")
    print(f"  import / bare parse+validate           {t('import') / t('bare validate'):5.2f}x")
    print("ratios (peak memory; bare write counts as at least 1 MB)")
    print(f"  export / bare write                    {m('export') / m('bare write'):5.2f}x")
    print(f"  import / bare parse                    {m('import') / m('bare parse'):5.2f}x")
    print(f"  import / bare parse+validate           {m('import') / m('bare validate'):5.2f}x")


if __name__ == "__main__":
    main()

"""Benchmark importing hostile and normal HTML pages (issue 10, point 5).

    .venv/bin/python benchmarks/bench_import.py [--bomb-mb 19.9] [--bare-bomb-mb 2] [--normal-mb 5]

Each case runs in its own subprocess, which prints its wall time and peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, so interpreter and library imports are counted in
both columns alike). Cases, all in the same run:

* bare: lxml + ``trafilatura.bare_extraction`` (what the importer did before the limits) on the
  element bomb ``"<p>a</p>" * N`` at ``--bare-bomb-mb`` (the full 19.9 MB one took 168 s and 4.3 GB);
* ours: ``annotator.importing.read_article`` on the ``--bomb-mb`` element bomb (refused);
* ours: ``read_article`` on the worst pages the limits let through: blocks of inline children
  (the shape on which trafilatura is quadratic) and sections of paragraphs, both just under
  ``MAX_HTML_ELEMENTS``/``MAX_HTML_CHILDREN``;
* bare and ours on a normal page of ``--normal-mb`` (long paragraphs, a few thousand elements).

Files are generated in a temporary folder; nothing is kept. No assertions.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
mode, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
outcome = ""
if mode == "bare":
    import trafilatura
    from lxml import html
    tree = html.document_fromstring(open(path, encoding="utf-8").read())
    doc = trafilatura.bare_extraction(tree, with_metadata=True)
    outcome = f"{len(doc.text or '') if doc is not None else 0:,} chars extracted"
else:
    from annotator.errors import ArticleImportError
    from annotator.importing import read_article
    try:
        outcome = f"{len(read_article(path).text):,} chars imported"
    except ArticleImportError as exc:
        outcome = "refused: " + exc.reason
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))
"""

PARAGRAPH = (
    "The council voted on Tuesday to approve the plan after a long debate in which residents, "
    "fishermen and the harbour master all spoke against the timetable proposed by the company. "
)


def bomb(mb: float) -> str:
    return "<p>a</p>" * int(mb * 1_000_000 / 8)


def worst_inline() -> str:
    """Just under the limits: blocks of MAX_HTML_CHILDREN inline children (trafilatura's slowest shape)."""
    from annotator.importing import MAX_HTML_CHILDREN, MAX_HTML_ELEMENTS

    blocks = MAX_HTML_ELEMENTS // (MAX_HTML_CHILDREN + 1) - 1
    block = "<p>" + "<span>word</span> " * MAX_HTML_CHILDREN + "</p>"
    return "<html><body><article>" + block * blocks + "</article></body></html>"


def worst_sections() -> str:
    """Just under the element limit: sections of paragraphs with a link and an emphasis each."""
    from annotator.importing import MAX_HTML_ELEMENTS

    para = "<p>Some text of a sentence <a href='/y'>with a link</a> and <em>emphasis</em> to the end.</p>"
    section = "<div class='section'><h2>Heading</h2>" + para * 10 + "</div>"
    return "<html><body><article>" + section * (MAX_HTML_ELEMENTS // 32 - 1) + "</article></body></html>"


def normal(mb: float) -> str:
    paragraph = PARAGRAPH * 40  # ~7 KB
    count = int(mb * 1_000_000 / len(paragraph))
    sections = []
    for i in range(0, count, 20):
        paras = "".join(f"<p>{paragraph}<a href='/n/{j}'>more</a></p>" for j in range(i, min(i + 20, count)))
        sections.append(f"<section><h2>Part {i // 20 + 1}</h2>{paras}</section>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Council approves plan</title>'
        '<meta property="og:site_name" content="The Calder Gazette"></head><body><nav><a href="/">Home</a>'
        "</nav><article><h1>Council approves plan</h1>" + "".join(sections) + "</article></body></html>"
    )


def run(mode: str, path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(ROOT)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bomb-mb", type=float, default=19.9)
    parser.add_argument("--bare-bomb-mb", type=float, default=2.0)
    parser.add_argument("--normal-mb", type=float, default=5.0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages = {
            "bare_bomb": bomb(args.bare_bomb_mb),
            "bomb": bomb(args.bomb_mb),
            "worst_inline": worst_inline(),
            "worst_sections": worst_sections(),
            "normal": normal(args.normal_mb),
        }
        paths = {}
        for name, text in pages.items():
            paths[name] = folder / f"{name}.html"
            paths[name].write_text(text, encoding="utf-8")
        cases = [
            ("before: bare lxml+trafilatura, element bomb", "bare", "bare_bomb"),
            ("after: read_article, element bomb", "ours", "bomb"),
            ("after: read_article, worst inline page under limits", "ours", "worst_inline"),
            ("after: read_article, worst sections page under limits", "ours", "worst_sections"),
            ("bare lxml+trafilatura, normal page", "bare", "normal"),
            ("after: read_article, normal page", "ours", "normal"),
        ]
        print(f"{'case':52} {'MB':>6} {'seconds':>8} {'peak MB':>8}  outcome")
        for label, mode, name in cases:
            figures = run(mode, paths[name])
            size = paths[name].stat().st_size / 1_000_000
            print(
                f"{label:52} {size:6.1f} {figures['seconds']:8.2f} {figures['peak_mb']:8.0f}  "
                f"{str(figures['outcome'])[:90]}",
                flush=True,
            )


if __name__ == "__main__":
    main()

"""Speed of the rule suggester on a ~10 KB and a 1 MB article, beside a bare regex baseline.

The articles are built by repeating news paragraphs (English and German, direct and reported
speech, "according to" chains, pronouns). The baseline is a bare ``re.finditer`` over the
quotation marks of the same text, in the same run: the ratio is the figure to watch. Times are
median CPU times of the process (``time.process_time``), which a busy shared machine disturbs less
than wall-clock time. Targets (issue 9): at most 100 ms for 10 KB and 2 s for 1 MB.

Usage: ``python benchmarks/bench_suggest.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.suggest import RuleSuggester  # noqa: E402

PARAGRAPHS_EN = [
    "The talks in the Turkish city lasted less than two hours. Moscow made it clear, according to a Turkish "
    "official quoted by CNN, that it would only accept a truce if the other side withdrew its troops.",
    "“We came because we were told there could be a direct meeting; that was the plan,” the Secretary of "
    "State said. “That was not going to happen,” he added.",
    "Deputy Foreign Minister Anna Kowalski said that “the provisional success has yet to be consolidated” "
    "and "
    "stressed that pressure must be maintained. A senior diplomatic source told Reuters the next round "
    "could take place in June.",
    "The ministry's spokesman, Pavel Novak, said the delegation had a ‘limited mandate’. Prices rose by 3.2 "
    "per cent in May, the statistics office said on Friday.",
    "According to the company, the plant will reopen next week. Its chief executive, John Miller, told the "
    "BBC in an interview that the damage was “smaller than feared”.",
]
PARAGRAPHS_DE = [
    "„Wir sind mit dem Ergebnis zufrieden“, sagte der Minister am Montag in Berlin. Die Gespräche sollen "
    "nach Angaben des Ministeriums im Juni fortgesetzt werden.",
    "Laut Polizei wurden bei dem Unfall drei Menschen leicht verletzt. Ein Sprecher der Feuerwehr erklärte, "
    "die Straße sei inzwischen wieder frei. Der Schaden werde auf 20.000 Euro geschätzt.",
    "Die Bürgermeisterin Maria Schulz kritisierte die Entscheidung als „völlig unverständlich“. Sie kündigte "
    "an, dass die Stadt Widerspruch einlegen werde, wie sie der Deutschen Presse-Agentur sagte.",
]
PARAGRAPHS = PARAGRAPHS_EN + PARAGRAPHS_DE
_MARKS = re.compile("[\"“”„‟«»‹›‘’‚']")


def article(size: int) -> str:
    parts: list[str] = []
    n = 0
    i = 0
    while n < size:
        p = PARAGRAPHS[i % len(PARAGRAPHS)]
        parts.append(p)
        n += len(p.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median CPU time of ``fn`` (process time, so that other jobs on a shared machine count less)."""
    fn()  # warm up (lexicon indexes, regex caches)
    runs = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        runs.append(time.process_time() - t0)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    suggester = RuleSuggester()
    head = ("article", "suggestions", "suggest ms", "baseline ms", "ratio", "target")
    print(f"{head[0]:>10} {head[1]:>11} {head[2]:>11} {head[3]:>12} {head[4]:>7} {head[5]:>8}")
    for label, size, target in (("10 KB", 10_000, 100), ("1 MB", 1_000_000, 2000)):
        text = article(size)
        count = len(suggester.suggest(text, None))
        ours = timed(lambda text=text: suggester.suggest(text, None), args.repeat if size < 100_000 else 3)
        base = timed(lambda text=text: sum(1 for _ in _MARKS.finditer(text)), args.repeat)
        ratio = ours / base
        print(
            f"{label:>10} {count:>11} {1000 * ours:>11.1f} {1000 * base:>12.2f} {ratio:>6.0f}x {target:>5} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``suggest`` (for an article in the database, or for a text file without any database) and
``suggestions export`` (every accept and reject, with later corrections, as JSON lines).

The suggester is imported inside the commands, so that no other command pays for loading it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.output import emit_json, print_table
from annotator.errors import ValidationError
from annotator.wording import join_chain

if TYPE_CHECKING:
    from annotator.service import Service
    from annotator.suggest import Suggestion


def read_text_file(path: Path) -> str:
    """The file's text decoded as strict UTF-8 and nothing else (no newline or BOM handling), so that
    offsets count its code points exactly; a one-line error naming the file otherwise."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path}: is a directory, not a text file") from None
    except OSError as exc:
        raise ValidationError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start} is invalid)"
        ) from None


def _min_confidence(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number between 0 and 1") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not between 0 and 1")
    return x


def _print_suggestions(items: Sequence[Suggestion]) -> None:
    print_table(
        [
            (
                f"{x.quote.start}-{x.quote.end}",
                x.type,
                f"{x.confidence:.2f}",
                join_chain(
                    x.speaker.name if x.speaker else None,
                    (f"{h.source.name} ({h.relation})" for h in x.intermediaries),
                ),
                x.cue.text if x.cue else "",
                x.quote.text,
            )
            for x in items
        ],
        ["SPAN", "TYPE", "CONF", "CHAIN", "CUE", "TEXT"],
        [None, None, None, 50, 20, 60],
    )
    print(f"{len(items)} suggestion(s)")


def cmd_suggest(svc: Service | None, args: argparse.Namespace) -> int:
    if args.text_file is not None:
        return _suggest_text_file(args)
    assert svc is not None
    article = svc.article_by_ref(args.article)
    items = svc.suggestions(article.id, min_confidence=args.min_confidence)
    if not args.accept_all:
        if args.json:
            emit_json([x.to_json() for x in items], sort_keys=False)
        else:
            _print_suggestions(items)
        return 0
    if not items:
        if args.json:
            emit_json({"accepted": [], "skipped": []}, sort_keys=False)
        else:
            print(
                f"nothing to accept: no suggestion for article #{article.id} "
                f"at or above {args.min_confidence}"
            )
        return 0
    res = svc.accept_suggestions(article.id, items)
    accepted, skipped = res.extra["accepted"], res.extra["skipped"]
    if args.json:
        emit_json(
            {
                "accepted": [
                    {
                        "quote": a.quote.to_dict(),
                        "decision": a.decision.id,
                        "created_sources": [s.to_dict() for s in a.created_sources],
                    }
                    for a in accepted
                ],
                "skipped": [x.to_json() for x in skipped],
            },
            sort_keys=False,
        )
    else:
        for a in accepted:
            print(f"quote #{a.quote.id}  {a.quote.start}-{a.quote.end}  {a.quote.text[:60]}")
        created = sum(len(a.created_sources) for a in accepted)
        print(
            f"accepted {len(accepted)} suggestion(s) for article #{article.id} "
            f"({created} new source(s), {len(skipped)} left out: overlapping)"
        )
    return 0


def _suggest_text_file(args: argparse.Namespace) -> int:
    from annotator.suggest import suggest, suggestions_json

    text = read_text_file(args.text_file)
    items = [x for x in suggest(text, args.language) if x.confidence >= args.min_confidence]
    if args.json:
        emit_json(suggestions_json(items), sort_keys=False)
    else:
        _print_suggestions(items)
    return 0


def _check_suggest_args(args: argparse.Namespace) -> None:
    if (args.article is None) == (args.text_file is None):
        raise ValidationError("give either an ARTICLE of the database or --text-file PATH")
    if args.text_file is not None and args.accept_all:
        raise ValidationError("--accept-all needs an ARTICLE of the database, not --text-file")
    if args.article is not None and args.language is not None:
        raise ValidationError("--language is for --text-file: an article's language is in the database")


def without_database(args: argparse.Namespace) -> bool:
    """True when the command runs on a file only: then no database is opened (or created)."""
    _check_suggest_args(args)
    return args.text_file is not None


def cmd_suggestions_export(svc: Service, args: argparse.Namespace) -> int:
    from annotator.interop.decisions import export_decisions

    article_id = svc.article_by_ref(args.article).id if args.article else None
    if args.output is None:
        export_decisions(svc, sys.stdout, article_id=article_id)
        return 0
    n = export_decisions(svc, args.output, article_id=article_id)
    if args.json:
        emit_json({"path": str(args.output), "decisions": n})
    else:
        print(f"exported {n} decision(s) to {args.output}", file=sys.stderr)
    return 0


def add_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``suggest`` and ``suggestions export`` to the parser (``add`` makes a sub-command)."""
    p = add(
        "suggest",
        cmd_suggest,
        "list the quotes the suggester proposes for an article (or a UTF-8 text file, without a database)",
    )
    p.set_defaults(without_database=without_database)
    p.add_argument("article", nargs="?", metavar="ARTICLE", help="article id, uid or exact title")
    p.add_argument(
        "--text-file", type=Path, metavar="PATH", help="suggest for this UTF-8 text file; no database is used"
    )
    p.add_argument("--language", metavar="xx", help="the text file's language (default: guessed)")
    p.add_argument(
        "--min-confidence",
        type=_min_confidence,
        default=0.0,
        metavar="X",
        help="only suggestions at or above X",
    )
    p.add_argument(
        "--accept-all",
        action="store_true",
        help="accept every suggestion at or above --min-confidence, in one transaction",
    )

    p = add("suggestions", lambda s, a: 0, "decisions on suggestions")
    sub = p.add_subparsers(dest="suggestions_command", required=True, metavar="ACTION")
    ex = sub.add_parser(
        "export",
        help="every accept and reject, with later corrections, as JSON lines",
        description="every accept and reject, with later corrections, as JSON lines",
    )
    ex.set_defaults(func=cmd_suggestions_export)
    ex.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    ex.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)"
    )
    ex.add_argument("--article", metavar="ID", help="only this article's decisions (id, uid or exact title)")

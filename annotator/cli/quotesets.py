"""The ``export``, ``import-set`` and ``verify-export`` commands (``export`` of the interchange formats
is :func:`annotator.cli.interop.export_interop`)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import interop
from annotator.canonical import display_safe as safe
from annotator.cli.output import emit_json
from annotator.errors import ValidationError
from annotator.quotesets import FILTER_STATUSES, FORMATS, ON_CONFLICT

if TYPE_CHECKING:
    from annotator.service import Service


def cmd_export(svc: Service, args: argparse.Namespace) -> int:
    fmt = args.format or ("csv" if args.output.suffix.lower() == ".csv" else "xml")
    if fmt in interop.FORMATS:
        from annotator.cli.interop import export_interop

        return export_interop(svc, args, fmt)
    from annotator.quotesets.export import export_set

    since = None
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError:
            raise ValidationError(f"--since {args.since!r}: write a date as YYYY-MM-DD") from None
    article_ids = [svc.article_by_ref(ref).id for ref in args.article] if args.article else None
    result = export_set(
        svc,
        args.output,
        fmt=fmt,
        status=args.status or "verified",
        article_ids=article_ids,
        since=since,
        created=args.created,
    )
    if args.json:
        emit_json(
            {
                "path": str(result.path),
                "format": result.format,
                "quotes": result.quotes,
                "articles": result.articles,
                "sources": result.sources,
                "sha256": result.sha256,
                "size": result.size,
                "sidecar": str(result.sidecar) if result.sidecar else None,
            }
        )
    else:
        print(
            f"exported {result.quotes} quote(s), {result.articles} article(s), {result.sources} source(s) "
            f"to {result.path} ({result.format}, sha256 {result.sha256})"
        )
    return 0


def cmd_import_set(svc: Service, args: argparse.Namespace) -> int:
    from annotator.quotesets.importer import ImportConflictError, import_set

    try:
        report = import_set(svc, args.file, dry_run=args.dry_run, on_conflict=args.on_conflict)
    except ImportConflictError as exc:
        report = exc.report
        if args.json:
            emit_json(report.to_dict())
        else:
            print(safe(report.summary()))
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 3
    if args.json:
        emit_json(report.to_dict())
    else:
        print(safe(report.summary()))
    return 3 if report.refused else 0


def cmd_verify_export(svc: Service, args: argparse.Namespace) -> int:
    from annotator.quotesets.xmlformat import verify_export

    verify_export(args.file)
    print(f"{args.file}: OK, matches {args.file.name}.sha256 and is a valid quote set")
    return 0


def add_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``export``, ``import-set`` and ``verify-export`` to the parser (``add`` makes a sub-command)."""
    p = add(
        "export",
        cmd_export,
        "export quotes as an XML quote set (validated, with a .sha256 file), CSV, W3C PROV, "
        "ClaimReview or brat",
    )
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="the file (for brat: a directory)"
    )
    p.add_argument(
        "--format",
        choices=(*FORMATS, *interop.FORMATS),
        help="xml or csv (default: csv for a .csv file, else xml); prov-xml, prov-json or prov-n (W3C "
        "PROV); claimreview (JSON-LD of the disputed and rejected quotes); brat (.txt and .ann files)",
    )
    p.add_argument(
        "--status",
        choices=FILTER_STATUSES,
        help="verified (default): verified quotes only; all: every quote",
    )
    p.add_argument(
        "--article",
        action="extend",
        nargs="+",
        metavar="ID",
        help="only quotes of these articles (id, uid or exact title; repeatable)",
    )
    p.add_argument(
        "--since", metavar="YYYY-MM-DD", help="only quotes created or changed on or after that day (xml, csv)"
    )
    p.add_argument(
        "--created", metavar="ISO", help="the export time written in the header (for reproducible files)"
    )

    p = add(
        "import-set",
        cmd_import_set,
        "import an XML quote set, all or nothing; exit code 3 when conflicts refuse it",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument(
        "--on-conflict",
        choices=ON_CONFLICT,
        default="refuse",
        help="refuse (default): any conflict refuses the whole import; skip: leave out what conflicts",
    )

    p = add(
        "verify-export", cmd_verify_export, "check an exported file against its .sha256 file and the schema"
    )
    p.add_argument("file", type=Path, metavar="FILE")

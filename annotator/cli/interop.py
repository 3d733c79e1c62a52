"""The interchange formats on the command line: ``export --format prov-xml|prov-json|prov-n|
claimreview|brat`` (through :func:`export_interop`, called by ``export``) and ``import-brat``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.output import emit_json, one_line
from annotator.errors import ValidationError

if TYPE_CHECKING:
    from annotator.service import Service


def export_interop(svc: Service, args: argparse.Namespace, fmt: str) -> int:
    """``annotator export --format FMT`` for an interchange format (``-o`` is a directory for brat)."""
    from annotator import interop

    if args.since:
        raise ValidationError(f"--since: the {fmt} export cannot select by date (only xml and csv can)")
    if args.created:
        raise ValidationError(f"--created: the {fmt} export has no header time (only xml and csv do)")
    if fmt == "claimreview" and args.status:
        raise ValidationError(
            "--status: the claimreview export always holds the disputed and rejected quotes"
        )
    article_ids = [svc.article_by_ref(ref).id for ref in args.article] if args.article else None
    result = interop.export(
        svc, args.output, fmt=fmt, status=args.status or "verified", article_ids=article_ids
    )
    if args.json:
        out = {
            "path": str(result.path), "format": result.format, "quotes": result.quotes,
            "articles": result.articles, "sources": result.sources, "sha256": result.sha256,
            "size": result.size, "sidecar": None,
        }  # fmt: skip
        if fmt in interop.DIRECTORY_FORMATS:
            out["files"] = [str(p) for p in result.files]
        emit_json(out)
    elif fmt in interop.DIRECTORY_FORMATS:
        print(
            f"exported {result.quotes} quote(s), {result.articles} article(s), {result.sources} source(s) "
            f"to {result.path}/ ({result.format}, {len(result.files)} files, sha256 {result.sha256})"
        )
    else:
        what = "ClaimReview item(s)" if fmt == "claimreview" else "quote(s)"
        print(
            f"exported {result.quotes} {what}, {result.articles} article(s), {result.sources} source(s) "
            f"to {result.path} ({result.format}, sha256 {result.sha256})"
        )
    return 0


def cmd_import_brat(svc: Service, args: argparse.Namespace) -> int:
    from annotator.interop.brat import BratConflictError, import_brat

    try:
        report = import_brat(svc, args.directory, dry_run=args.dry_run)
    except BratConflictError as exc:
        print(f"annotator: error: {one_line(str(exc))}", file=sys.stderr)
        return 3
    if args.json:
        emit_json(report.to_dict())
    else:
        print(report.summary())
    return 0


def add_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``import-brat`` to the parser (``add`` makes a sub-command); ``export`` is in
    :mod:`annotator.cli.quotesets`."""
    p = add(
        "import-brat",
        cmd_import_brat,
        "import a brat directory (.txt + .ann per article), all or nothing; exit code 3 on a conflict",
    )
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

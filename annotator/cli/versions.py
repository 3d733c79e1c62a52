"""``import`` of files, folders and URLs (with ``--version-of``), and the ``versions``, ``diff`` and
``changes`` commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.canonical import display_safe as safe
from annotator.cli.output import emit_json, print_table
from annotator.errors import AnnotatorError, FetchError

if TYPE_CHECKING:
    from annotator.records import ArticleRecord
    from annotator.service import OpResult, Service


def _outcomes(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {o}" for o, n in counts.items() if n) or "no quotes to carry"


def _row(source: str, state: str, art: ArticleRecord, outcomes: dict[str, int]) -> dict[str, Any]:
    return {
        "path": source, "state": state, "id": art.id, "title": art.title, "version": art.version,
        "lineage_id": art.lineage_id, "outcomes": outcomes,
    }  # fmt: skip


def cmd_import(svc: Service, args: argparse.Namespace) -> int:
    """Files and folders in one batch (each file its own transaction), then each URL; with
    ``--version-of``, each file or URL is a new version of that article, in the order given.
    The exit code is 1 when anything was refused (or the batch cancelled)."""
    from annotator.fetching import is_url

    urls = [a for a in args.paths if is_url(a)]
    paths = [Path(a) for a in args.paths if not is_url(a)]
    version_of = svc.article_by_ref(args.version_of).id if args.version_of else None
    rows: list[dict[str, Any]] = []
    failed: list[dict[str, str]] = []
    warnings: list[dict[str, str]] = []
    cancelled = False

    def done(where: str, result: OpResult) -> None:
        art: ArticleRecord = result.extra["article"]
        created = result.extra["created"]
        state = ("new version" if art.version > 1 else "imported") if created else "unchanged"
        rows.append(_row(where, state, art, result.extra.get("outcomes") or {}))
        warnings.extend({"path": where, "warning": w} for w in result.extra.get("warnings") or ())

    if version_of is not None:
        for p in paths:
            try:
                done(str(p), svc.import_version(version_of, p))
            except AnnotatorError as exc:
                failed.append({"path": str(p), "reason": str(exc)})
    elif paths:
        report = svc.import_paths(paths, recursive=args.recursive)
        for p, a in report.imported:
            rows.append(_row(str(p), "imported", a, {}))
        for p, a in report.unchanged:
            rows.append(_row(str(p), "unchanged", a, {}))
        failed.extend({"path": str(p), "reason": r} for p, r in report.failed)
        warnings.extend({"path": str(p), "warning": w} for p, w in report.warnings)
        cancelled = report.cancelled
    for url in urls:
        try:
            done(url, svc.import_url(url, version_of=version_of))
        except AnnotatorError as exc:
            reason = exc.reason if isinstance(exc, FetchError) and exc.url == url else str(exc)
            failed.append({"path": url, "reason": reason})

    imported = [r for r in rows if r["state"] != "unchanged"]
    unchanged = [r for r in rows if r["state"] == "unchanged"]
    parts = [f"{len(imported)} imported"]
    if unchanged:
        parts.append(f"{len(unchanged)} already there")
    parts.append(f"{len(failed)} refused")
    if warnings:
        parts.append(f"{len(warnings)} with warnings")
    if cancelled:
        parts.append("cancelled")
    summary = ", ".join(parts)

    if args.json:
        emit_json({
            "imported": imported, "unchanged": unchanged, "failed": failed, "warnings": warnings,
            "cancelled": cancelled, "summary": summary,
        })  # fmt: skip
    else:
        for r in rows:
            title, where = safe(r["title"]), safe(r["path"])
            if r["state"] == "new version":
                print(f"version {r['version']} #{r['id']}  {title}  ({where}): "
                      f"quotes {_outcomes(r['outcomes'])}")  # fmt: skip
            elif r["state"] == "unchanged":
                same = (
                    f"same text as version {r['version']}"
                    if r["version"] > 1
                    else "same text already imported"
                )
                print(f"unchanged #{r['id']}  {title}  ({where}: {same})")
            else:
                print(f"imported  #{r['id']}  {title}  ({where})")
        for f in failed:
            print(f"refused   {safe(f['path'])}: {safe(f['reason'])}", file=sys.stderr)
        for w in warnings:
            print(f"{safe(w['path'])}: {safe(w['warning'])}", file=sys.stderr)
        print(summary)
    return 1 if failed or cancelled else 0


def cmd_versions(svc: Service, args: argparse.Namespace) -> int:
    versions = svc.versions(svc.article_by_ref(args.article).id)
    if args.json:
        emit_json([v.to_dict() for v in versions])
        return 0
    print_table(
        [
            (
                v.version,
                v.id,
                v.fetched_at or v.imported_at,
                v.imported_by,
                v.text_length,
                v.final_url or v.filename,
                v.http_last_modified,
            )
            for v in versions
        ],  # fmt: skip
        ["VERSION", "ARTICLE", "FETCHED/IMPORTED", "BY", "CHARS", "FROM", "LAST-MODIFIED"],
        [None, None, None, 20, None, 60],
    )
    return 0


def _numbers(args: argparse.Namespace) -> tuple[int | None, int | None]:
    if args.v1 is not None and args.v2 is None:
        return None, args.v1  # one number: that version against the one before it
    return args.v1, args.v2


def cmd_diff(svc: Service, args: argparse.Namespace) -> int:
    v1, v2 = _numbers(args)
    out = svc.diff(svc.article_by_ref(args.article).id, v1, v2)
    sys.stdout.write(out)
    return 0


def cmd_changes(svc: Service, args: argparse.Namespace) -> int:
    v1, v2 = _numbers(args)
    ch = svc.changes(svc.article_by_ref(args.article).id, v1, v2)
    if args.json:
        emit_json(
            {
                "article": ch.new.lineage_id,
                "from": {"version": ch.old.version, "article_id": ch.old.id},
                "to": {"version": ch.new.version, "article_id": ch.new.id},
                "carried": ch.carried,
                "quotes": [
                    {**r.to_dict(), "detail": r.detail_data, "status": ch.quotes[r.quote_id].status
                     if r.quote_id in ch.quotes else None}
                    for r in ch.reports
                ],
            }
        )  # fmt: skip
        return 0
    print(f"article {ch.new.lineage_id}: version {ch.old.version} → version {ch.new.version}")
    counts = {o: len(ch.by_outcome(o)) for o in ("moved", "changed", "lost")}
    print(f"{ch.carried} quotes on version {ch.new.version}; {_outcomes(counts)}")
    for r in ch.reports:
        if r.outcome == "moved":
            continue
        withdrawn = "  (approval withdrawn)" if r.approval_withdrawn else ""
        print(f"\nquote {r.quote_id}: {r.outcome}{withdrawn}")
        print(f"  {r.reason}")
        d = r.detail_data
        print(f"  old: {d['quote']['old_text']!r}")
        if d["quote"]["new_text"] is not None and d["quote"]["new_text"] != d["quote"]["old_text"]:
            print(f"  new: {d['quote']['new_text']!r}")
    return 0


def add_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    sp = add(
        "import", cmd_import, "import article files (.txt, .html), folders and web pages (http/https URLs)"
    )
    sp.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    sp.add_argument(
        "--version-of",
        metavar="ARTICLE",
        help="import each file or URL as a new version of this article (id, uid or exact title)",
    )
    sp.add_argument("--recursive", "-r", action="store_true", help="import the files of subfolders too")
    sp = add("versions", cmd_versions, "list the versions of an article")
    sp.add_argument("article", metavar="ARTICLE", help="article id (any version), uid or exact title")
    for name, fn, what in (
        ("diff", cmd_diff, "show a unified diff of two versions of an article (default: the last two)"),
        ("changes", cmd_changes, "report the quotes moved, changed or lost between two versions"),
    ):
        sp = add(name, fn, what)
        sp.add_argument("article", metavar="ARTICLE", help="article id (any version), uid or exact title")
        sp.add_argument(
            "v1", nargs="?", type=int, metavar="V1", help="the older version (default: the one before V2)"
        )
        sp.add_argument(
            "v2", nargs="?", type=int, metavar="V2", help="the newer version (default: the newest)"
        )

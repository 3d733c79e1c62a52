"""The core commands: articles, quotes, sources, chains, the audit log and ``info``.

Each takes the service and the parsed arguments and returns the exit code; what only one command
needs is imported inside it, so that every command starts fast. The read commands ``articles``,
``quotes`` and ``sources`` also run on a :class:`~annotator.listing.Listing` (the same reads through
the DB-API, without SQLAlchemy), which :func:`annotator.cli.main` gives them when it can.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from annotator import __version__
from annotator.canonical import display_safe as safe
from annotator.cli.output import emit_json, print_table
from annotator.errors import ValidationError
from annotator.recordtypes import HopRecord, SourceRecord
from annotator.wording import source_label

if TYPE_CHECKING:
    from annotator.listing import Listing
    from annotator.service import Service


def resolve_source_arg(svc: Service, spec: str, option: str = "source") -> SourceRecord:
    """``NAME``, ``#ID`` or ``KIND/NAME``; the ``KIND/`` form creates the source when it is missing.

    ``option`` names the argument in errors (``--speaker``)."""
    from annotator import validation
    from annotator.model import Source

    spec = spec.strip()
    validation.check(spec, option, limit=len("organization/") + (validation.column_limit(Source.name) or 0))
    if spec.startswith("#") and spec[1:].isdigit():
        return svc.source(int(spec[1:]))
    kind = None
    if "/" in spec:
        head, rest = spec.split("/", 1)
        if head in ("person", "organization", "outlet", "anonymous"):
            kind, spec = head, rest.strip()
    found = svc.resolve_source(spec, kind=kind)
    if found is not None:
        return found
    if kind is None:
        raise ValidationError(
            f"no source named {spec!r}: create it with 'annotator add-source', or write KIND/{spec} "
            "(person, organization, outlet or anonymous) to create it here"
        )
    if kind == "anonymous":
        return svc.create_source(
            kind, spec, descriptor=spec if spec.lower().startswith(("a ", "an ")) else f"a {spec}"
        ).source
    return svc.create_source(kind, spec).source


def _parse_via(value: str) -> tuple[str, str]:
    if ":" not in value:
        raise ValidationError(f"--via {value[:80]!r}: write NAME:RELATION, e.g. 'CNN:quoted by'")
    name, relation = value.rsplit(":", 1)
    return name, relation


def cmd_articles(svc: Service | Listing, args: argparse.Namespace) -> int:
    rows = svc.articles(search=args.search)
    if args.json:
        emit_json(
            [
                {**r.article.to_dict(), "outlet": r.outlet, "quotes": r.quotes, "verified": r.verified}
                for r in rows
            ]
        )
        return 0
    print_table(
        [
            (
                r.article.id,
                r.article.title,
                r.outlet,
                r.article.published,
                r.article.language,
                r.quotes,
                r.verified,
            )
            for r in rows
        ],
        ["ID", "TITLE", "OUTLET", "DATE", "LANG", "QUOTES", "VERIFIED"],
        [None, 60, 24],
    )
    return 0


def cmd_quotes(svc: Service | Listing, args: argparse.Namespace) -> int:
    article_id = svc.article_by_ref(args.article).id if args.article else None
    quotes = svc.quotes(article_id, status=args.status)
    if args.json:
        emit_json([q.to_dict() for q in quotes])
        return 0
    names = {s.id: s.label for s in svc.sources()}
    print_table(
        [
            (
                q.id,
                q.article_id,
                f"{q.start}-{q.end}",
                q.type,
                q.status,
                names.get(q.speaker_id, "") if q.speaker_id is not None else "",
                len(q.hops),
                q.text,
            )
            for q in quotes
        ],
        ["ID", "ART", "SPAN", "TYPE", "STATUS", "SPEAKER", "HOPS", "TEXT"],
        [None, None, None, None, None, 24, None, 60],
    )
    return 0


def cmd_add_quote(svc: Service, args: argparse.Namespace) -> int:
    from annotator.anchoring import find_exact

    art = svc.article_by_ref(args.article)
    text = svc.article_text(art.id)
    if args.start is not None or args.end is not None:
        if args.start is None or args.end is None:
            raise ValidationError("give both --start and --end, or --text")
        start, end = args.start, args.end
        if args.text is not None and text[start:end] != args.text:
            raise ValidationError(f"the text at {start}-{end} is {text[start:end]!r}, not {args.text!r}")
    elif args.text:
        start, end = find_exact(text, args.text, occurrence=args.occurrence, title=f"article {art.title!r}")
    else:
        raise ValidationError("say which span: --text EXACT (or --start and --end)")
    from annotator import validation
    from annotator.model import Hop

    speaker = resolve_source_arg(svc, args.speaker, "--speaker").id if args.speaker else None
    vias = [_parse_via(via) for via in args.via or []]
    for _name, relation in vias:  # before any source is created on the way
        validation.check(relation.strip(), "--via relation", column=Hop.relation)
    hops = [HopRecord(resolve_source_arg(svc, name, "--via").id, relation.strip()) for name, relation in vias]
    cue = (
        find_exact(text, args.cue, occurrence=args.cue_occurrence, title=f"article {art.title!r}")
        if args.cue
        else None
    )
    res = svc.create_quote(
        art.id, start, end, type=args.type, cue=cue, speaker_id=speaker, hops=hops, note=args.note
    )
    q = res.quote
    if args.json:
        emit_json(q.to_dict())
    else:
        print(f"quote #{q.id} [{q.start}, {q.end}) {q.type}: {safe(svc.quote_detail(q.id).chain_text)}")
    return 0


def cmd_add_source(svc: Service, args: argparse.Namespace) -> int:
    aff = resolve_source_arg(svc, args.affiliation, "--affiliation").id if args.affiliation else None
    ext = [tuple(x.split(":", 1)) for x in args.external_id or []]
    if any(len(e) != 2 for e in ext):
        raise ValidationError("--external-id takes SCHEME:VALUE, e.g. wikidata:Q3874799")
    s = svc.create_source(
        args.kind, args.name, role=args.role, affiliation_id=aff, descriptor=args.descriptor,
        nationality=args.nationality, aliases=args.alias or [], external_ids=ext,  # type: ignore[arg-type]
    ).source  # fmt: skip
    if args.json:
        emit_json(s.to_dict())
    else:
        print(f"source #{s.id} {s.kind}: {safe(s.name)}")
    return 0


def cmd_chain(svc: Service, args: argparse.Namespace) -> int:
    detail = svc.quote_detail(svc.quote_by_ref(args.quote).id, with_text=True)
    q, art, outlet, text = detail.quote, detail.article, detail.outlet, detail.text or ""
    links: list[dict[str, Any]] = []
    if q.speaker_id is not None:
        sp = detail.sources[q.speaker_id]
        links.append({"role": "speaker", "source": sp.to_dict(), "relation": None, "evidence": None})
    for i, h in enumerate(q.hops):
        ev = text[h.evidence[0] : h.evidence[1]] if h.evidence else None
        links.append(
            {
                "role": f"hop {i + 1}",
                "source": detail.sources[h.source_id].to_dict(),
                "relation": h.relation,
                "evidence": {"span": list(h.evidence), "text": ev} if h.evidence else None,
            }
        )
    if outlet is not None:
        links.append(
            {"role": "outlet", "source": outlet.to_dict(), "relation": "published", "evidence": None}
        )
    if args.json:
        emit_json({"quote": q.to_dict(), "article": art.to_dict(), "chain": links})
        return 0
    where = f"[{q.start}, {q.end}) {q.type}, {q.status}"
    print(f"quote #{q.id} in article #{art.id} {safe(repr(art.title))}, {where}")
    print(f"  “{safe(q.text)}”")
    if q.cue:
        print(f"  cue: {safe(repr(text[q.cue[0] : q.cue[1]]))}")
    print(f"  {safe(detail.chain_text)}")
    for link in links:
        s = link["source"]
        label = source_label(s["kind"], s["name"], s["descriptor"])
        extra = ", ".join(x for x in (s["kind"], s["role"]) if x)
        rel = f"  ({link['relation']})" if link["relation"] else ""
        ev = f"  evidence: {link['evidence']['text']!r}" if link["evidence"] else ""
        print(safe(f"  {link['role']:>8}: {label} [{extra}]{rel}{ev}"))
    return 0


def cmd_status(svc: Service, args: argparse.Namespace) -> int:
    q = svc.quote_by_ref(args.quote)
    kw: dict[str, Any] = {"status": args.status}
    if args.evidence_url is not None:
        kw["evidence_url"] = args.evidence_url
    if args.archive_url is not None:
        kw["archive_url"] = args.archive_url
    if args.note is not None:
        kw["note"] = args.note
    res = svc.set_verification(q.id, **kw)
    if args.json:
        emit_json(res.quote.to_dict())
    else:
        print(f"quote #{q.id}: {q.status} → {res.quote.status}")
    return 0


def cmd_sources(svc: Service | Listing, args: argparse.Namespace) -> int:
    sources = svc.find_sources(args.search, limit=10_000) if args.search else svc.sources(kind=args.kind)
    if args.kind:
        sources = [s for s in sources if s.kind == args.kind]
    if args.json:
        emit_json([s.to_dict() for s in sources])
        return 0
    names = {s.id: s.name for s in svc.sources()}
    print_table(
        [
            (
                s.id,
                s.kind,
                s.name,
                s.role,
                names.get(s.affiliation_id, "") if s.affiliation_id is not None else "",
                s.descriptor,
                ", ".join(s.aliases),
            )
            for s in sources
        ],
        ["ID", "KIND", "NAME", "ROLE", "AFFILIATION", "DESCRIPTOR", "ALIASES"],
        [None, None, 30, 24, 24, 24, 40],
    )
    return 0


def cmd_merge_sources(svc: Service, args: argparse.Namespace) -> int:
    keep = resolve_source_arg(svc, args.survivor, "survivor")
    gone = resolve_source_arg(svc, args.absorbed, "absorbed")
    res = svc.merge_sources(keep.id, gone.id)
    print(
        safe(f"merged #{gone.id} {gone.name!r} into #{keep.id} {keep.name!r}: ")
        + f"{len(res.ids('quote'))} quote(s) changed"
    )
    return 0


def cmd_audit_verify(svc: Service, args: argparse.Namespace) -> int:
    from annotator import audit

    witness = getattr(args, "witness", None)
    if witness == "":
        witness = audit.default_witness_path()
    report = svc.verify_audit(expect_head=getattr(args, "expect_head", None), witness=witness)
    if args.json:
        p = report.problem
        emit_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "head_sha256": report.head_sha256,
                "problem": None
                if p is None
                else {
                    "seq": p.seq,
                    "object_type": p.object_type,
                    "object_id": p.object_id,
                    "message": p.message,
                },
            }
        )
    elif report.ok:
        print(
            f"audit log OK: {report.entries} entries, head {report.head_sha256[:16]}…; "
            "every object matches its last entry"
        )
    else:
        print(f"audit log BROKEN: {safe(str(report.problem))}", file=sys.stderr)
    return 0 if report.ok else 2


def cmd_audit_head(svc: Service, args: argparse.Namespace) -> int:
    from annotator import audit

    seq, sha = svc.audit_head()
    if args.json:
        emit_json({"seq": seq, "sha256": sha, "head": audit.format_head(seq, sha)})
    else:
        print(audit.format_head(seq, sha))
    return 0


def cmd_audit_witness(svc: Service, args: argparse.Namespace) -> int:
    line = svc.append_witness(args.file, note=args.note)
    print(line.to_text())
    return 0


def cmd_info(svc: Service, args: argparse.Namespace) -> int:
    from annotator import db as dbmod
    from annotator import migrations, paths

    info = {
        "version": __version__,
        "database": dbmod.describe_url(svc.db.url),
        "schema_revision": migrations.current_revision(svc.db.engine),
        "read_only": svc.db.read_only,
        "user": svc.user,
        "default_database": str(paths.default_database_path()),
        "log_dir": str(paths.user_log_dir()),
    }
    if args.json:
        emit_json(info)
    else:
        for k, v in info.items():
            print(f"{k:>17}: {v}")
    return 0

"""The reviewer's commands: ``review list|approve|reject|request-changes``, ``history``, ``check`` and
``setting``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.canonical import display_safe as safe
from annotator.cli.output import emit_json, print_table
from annotator.errors import ValidationError
from annotator.wording import describe_change

if TYPE_CHECKING:
    from annotator.review import Reviewing
    from annotator.service import Service


def _reviewing(svc: Service) -> Reviewing:
    from annotator.review import Reviewing

    return Reviewing(svc)


def cmd_review_list(svc: Service, args: argparse.Namespace) -> int:
    article_id = svc.article_by_ref(args.article).id if args.article else None
    items = _reviewing(svc).queue(
        include_unverified=args.all, article_id=article_id, annotator=args.annotator, outlet=args.outlet,
        speaker=args.speaker, older_than_days=args.older_than,
    )  # fmt: skip
    if args.json:
        emit_json([
            {"quote": i.quote.to_dict(), "article": i.article_title, "outlet": i.outlet, "speaker": i.speaker,
             "annotator": i.annotator, "waiting_since": i.waiting_since, "change_request": i.change_request,
             "warnings": [{"rule": w.rule, "message": w.message} for w in i.warnings]}
            for i in items
        ])  # fmt: skip
        return 0
    print_table(
        [
            (
                i.quote.id,
                i.quote.status,
                i.article_title,
                i.speaker,
                i.annotator,
                i.waiting_since[:10],
                len(i.warnings),
                i.quote.text,
            )
            for i in items
        ],
        ["ID", "STATUS", "ARTICLE", "SPEAKER", "ANNOTATOR", "SINCE", "WARN", "TEXT"],
        [None, None, 30, 20, 12, None, None, 50],
    )
    print(f"{len(items)} quote(s) awaiting review")
    return 0


def _verdict(kind: str) -> Callable[[Service, argparse.Namespace], int]:
    def run(svc: Service, args: argparse.Namespace) -> int:
        q = svc.quote_by_ref(args.quote)
        op = {"approve": svc.approve, "reject": svc.reject, "request-changes": svc.request_changes}[kind]
        res = op(q.id, args.comment)
        if args.json:
            emit_json(res.quote.to_dict())
        else:
            print(f"quote #{q.id}: {kind} by {svc.user} → {res.quote.status}")
        return 0

    return run


def cmd_history(svc: Service, args: argparse.Namespace) -> int:
    q = svc.quote_by_ref(args.quote)
    hist = svc.history("quote", q.id)
    if args.json:
        emit_json([h.__dict__ for h in hist])
        return 0
    for h in hist:
        print(safe(f"#{h.seq:<6} {h.at[:19].replace('T', ' ')}  {h.actor:<12} {h.action}"))
        for line in describe_change(h.object_type, h.before, h.after):
            print(f"         {safe(line)}")
    return 0


def cmd_check(svc: Service, args: argparse.Namespace) -> int:
    article_id = svc.article_by_ref(args.article).id if args.article else None
    quotes = svc.quotes(article_id)
    warnings = _reviewing(svc).warnings(quotes)
    flat = [w for q in quotes for w in warnings[q.id]]
    if args.json:
        emit_json([{"quote": w.quote_id, "rule": w.rule, "message": w.message} for w in flat])
    else:
        for w in flat:
            print(f"quote #{w.quote_id}: [{w.rule}] {safe(w.message)}")
        print(
            f"{len(flat)} warning(s) on {sum(1 for q in quotes if warnings[q.id])} of {len(quotes)} quote(s)"
        )
    return 0


def _show_setting(key: str, value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict) else str(value)


def cmd_setting(svc: Service, args: argparse.Namespace) -> int:
    key = args.key.replace("-", "_")
    if args.value is None:
        print(f"{key} = {_show_setting(key, svc.setting(key))}")
        return 0
    if key == "claimreview":
        from annotator.interop.claimreview import set_settings

        try:
            parsed = json.loads(args.value)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"setting 'claimreview': the value is not JSON ({exc.msg} at column {exc.colno})"
            ) from None
        set_settings(svc, parsed)
        print(f"{key} = {_show_setting(key, svc.setting(key))}")
        return 0
    value: Any = args.value
    if value.lower() in ("on", "true", "yes", "1"):
        value = True
    elif value.lower() in ("off", "false", "no", "0"):
        value = False
    svc.set_setting(key, value)
    print(f"{key} = {svc.setting(key)}")
    return 0


def add_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``review``, ``history``, ``check`` and ``setting`` to the parser (``add`` makes a sub-command)."""
    sp = add("review", lambda s, a: 0, "the review queue and verdicts")
    rsub = sp.add_subparsers(dest="review_command", required=True, metavar="ACTION")

    def radd(
        name: str, fn: Callable[[Service, argparse.Namespace], int], help: str
    ) -> argparse.ArgumentParser:
        p = rsub.add_parser(name, help=help, description=help)
        p.set_defaults(func=fn)
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        return p

    p = radd("list", cmd_review_list, "quotes awaiting review, oldest first, with their chain warnings")
    p.add_argument("--all", action="store_true", help="include unverified quotes")
    p.add_argument("--article")
    p.add_argument("--annotator")
    p.add_argument("--outlet")
    p.add_argument("--speaker")
    p.add_argument("--older-than", type=float, metavar="DAYS")
    for kind, help in (("approve", "approve a quote's chain: it becomes verified"),
                       ("reject", "reject a quote"),
                       ("request-changes", "send a quote back to its annotator with a comment")):  # fmt: skip
        p = radd(kind, _verdict(kind), help)
        p.add_argument("quote", metavar="QUOTE")
        p.add_argument("--comment", required=kind == "request-changes")

    p = add("history", cmd_history, "a quote's full history from the audit log")
    p.add_argument("quote", metavar="QUOTE")
    p = add("check", cmd_check, "run the chain rules and list their warnings")
    p.add_argument("--article")
    p = add(
        "setting",
        cmd_setting,
        "show or change a per-database setting (four-eyes on|off; claimreview JSON: the rating names)",
    )
    p.add_argument("key", choices=["four-eyes", "four_eyes", "claimreview"])
    p.add_argument("value", nargs="?")

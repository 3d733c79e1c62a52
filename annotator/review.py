"""The reviewer's side: the review queue, chain warnings, progress, and the ``review`` CLI.

The verdicts themselves (approve, reject, request changes, with the four-eyes rule and a hash of
the chain as reviewed) are service operations: :meth:`Service.approve` and friends.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from annotator import cli
from annotator.records import QuoteRecord
from annotator.rules import ChainContext, Warning, check
from annotator.service import QuotesContext, Service
from annotator.vocab import Status
from annotator.wording import describe_change


@dataclass(frozen=True)
class QueueItem:
    quote: QuoteRecord
    article_title: str
    outlet: str | None
    speaker: str | None
    annotator: str  # who last edited the chain
    waiting_since: str  # when the status was last set (or the quote created)
    warnings: tuple[Warning, ...]
    change_request: str | None  # the open change request's comment, if any

    @property
    def age_days(self) -> float:
        since = dt.datetime.strptime(self.waiting_since, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        return (dt.datetime.now(dt.UTC) - since).total_seconds() / 86400


class Reviewing:
    """Read-side helpers over a service: warnings for quotes, the queue, per-article progress."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def _contexts(self, quotes: Iterable[QuoteRecord]) -> Iterable[ChainContext]:
        quotes = list(quotes)
        article_ids = {q.article_id for q in quotes}
        if len(article_ids) == 1:
            ctx = self.service.quotes_context(article_id=next(iter(article_ids)))
        else:
            ctx = self.service.quotes_context()
        return self._contexts_in(quotes, ctx)

    @staticmethod
    def _contexts_in(quotes: Iterable[QuoteRecord], ctx: QuotesContext) -> Iterable[ChainContext]:
        for q in quotes:
            yield ChainContext(q, ctx.texts[q.article_id], ctx.sources, ctx.articles[q.article_id].outlet_id)

    def warnings(self, quotes: Iterable[QuoteRecord]) -> dict[int, list[Warning]]:
        return {ctx.quote.id: check(ctx) for ctx in self._contexts(quotes)}

    def warnings_for(self, quote_id: int) -> list[Warning]:
        return self.warnings([self.service.quote(quote_id)])[quote_id]

    def queue(
        self,
        *,
        include_unverified: bool = False,
        article_id: int | None = None,
        annotator: str | None = None,
        outlet: str | None = None,
        speaker: str | None = None,
        older_than_days: float | None = None,
    ) -> list[QueueItem]:
        """Quotes awaiting review (status needs_review; unverified too on demand), oldest first.

        One read of a fixed number of queries, whatever the queue's length
        (:meth:`Service.quotes_context`)."""
        statuses = [Status.NEEDS_REVIEW.value] + ([Status.UNVERIFIED.value] if include_unverified else [])
        ctx = self.service.quotes_context(statuses=statuses, article_id=article_id)
        quotes = ctx.quotes
        if annotator:
            quotes = [q for q in quotes if q.chain_edited_by.casefold() == annotator.casefold()]
        sources = ctx.sources
        items = []
        for chain in self._contexts_in(quotes, ctx):
            q = chain.quote
            art = ctx.articles[q.article_id]
            outlet_rec = sources.get(art.outlet_id) if art.outlet_id is not None else None
            speaker_rec = sources.get(q.speaker_id) if q.speaker_id is not None else None
            art_outlet = outlet_rec.name if outlet_rec is not None else None
            spk = speaker_rec.label if speaker_rec is not None else None
            if outlet and (art_outlet or "").casefold() != outlet.casefold():
                continue
            if speaker and not (spk and speaker.casefold() in spk.casefold()):
                continue
            cr = ctx.change_requests.get(q.id)
            item = QueueItem(
                q, art.title, art_outlet, spk, q.chain_edited_by, q.status_at or q.created_at,
                tuple(check(chain)), cr.comment if cr else None,
            )  # fmt: skip
            if older_than_days is not None and item.age_days < older_than_days:
                continue
            items.append(item)
        return sorted(items, key=lambda i: (i.waiting_since, i.quote.id))

    def progress(self, article_id: int | None = None) -> dict[int, dict[str, int]]:
        """Per article: quotes annotated, awaiting review, verified, disputed, rejected (and unverified)."""
        out: dict[int, dict[str, int]] = {}
        for q in self.service.quotes(article_id):
            row = out.setdefault(q.article_id, {"annotated": 0, "unverified": 0, "needs_review": 0,
                                                "verified": 0, "disputed": 0, "rejected": 0})  # fmt: skip
            row["annotated"] += 1
            row[q.status] += 1
        return out


# -- CLI -----------------------------------------------------------------------------------------


def cmd_review_list(svc: Service, args: argparse.Namespace) -> int:
    article_id = svc.article_by_ref(args.article).id if args.article else None
    items = Reviewing(svc).queue(
        include_unverified=args.all, article_id=article_id, annotator=args.annotator, outlet=args.outlet,
        speaker=args.speaker, older_than_days=args.older_than,
    )  # fmt: skip
    if args.json:
        cli.emit_json([
            {"quote": i.quote.to_dict(), "article": i.article_title, "outlet": i.outlet, "speaker": i.speaker,
             "annotator": i.annotator, "waiting_since": i.waiting_since, "change_request": i.change_request,
             "warnings": [{"rule": w.rule, "message": w.message} for w in i.warnings]}
            for i in items
        ])  # fmt: skip
        return 0
    cli.print_table(
        [(i.quote.id, i.quote.status, i.article_title, i.speaker, i.annotator, i.waiting_since[:10],
          len(i.warnings), i.quote.text) for i in items],
        ["ID", "STATUS", "ARTICLE", "SPEAKER", "ANNOTATOR", "SINCE", "WARN", "TEXT"], [None, None, 30, 20, 12, None, None, 50],
    )  # fmt: skip
    print(f"{len(items)} quote(s) awaiting review")
    return 0


def _verdict(kind: str) -> Callable[[Service, argparse.Namespace], int]:
    def run(svc: Service, args: argparse.Namespace) -> int:
        q = svc.quote_by_ref(args.quote)
        op = {"approve": svc.approve, "reject": svc.reject, "request-changes": svc.request_changes}[kind]
        res = op(q.id, args.comment)
        if args.json:
            cli.emit_json(res.quote.to_dict())
        else:
            print(f"quote #{q.id}: {kind} by {svc.user} → {res.quote.status}")
        return 0

    return run


def cmd_history(svc: Service, args: argparse.Namespace) -> int:
    q = svc.quote_by_ref(args.quote)
    hist = svc.history("quote", q.id)
    if args.json:
        cli.emit_json([h.__dict__ for h in hist])
        return 0
    for h in hist:
        print(f"#{h.seq:<6} {h.at[:19].replace('T', ' ')}  {h.actor:<12} {h.action}")
        for line in describe_change(h.object_type, h.before, h.after):
            print(f"         {line}")
    return 0


def cmd_check(svc: Service, args: argparse.Namespace) -> int:
    article_id = svc.article_by_ref(args.article).id if args.article else None
    quotes = svc.quotes(article_id)
    warnings = Reviewing(svc).warnings(quotes)
    flat = [w for q in quotes for w in warnings[q.id]]
    if args.json:
        cli.emit_json([{"quote": w.quote_id, "rule": w.rule, "message": w.message} for w in flat])
    else:
        for w in flat:
            print(f"quote #{w.quote_id}: [{w.rule}] {w.message}")
        print(
            f"{len(flat)} warning(s) on {sum(1 for q in quotes if warnings[q.id])} of {len(quotes)} quote(s)"
        )
    return 0


def cmd_setting(svc: Service, args: argparse.Namespace) -> int:
    key = args.key.replace("-", "_")
    if args.value is None:
        print(f"{key} = {svc.setting(key)}")
        return 0
    value: Any = args.value
    if value.lower() in ("on", "true", "yes", "1"):
        value = True
    elif value.lower() in ("off", "false", "no", "0"):
        value = False
    svc.set_setting(key, value)
    print(f"{key} = {svc.setting(key)}")
    return 0


def _register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
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
    p = add("setting", cmd_setting, "show or change a per-database setting (four-eyes on|off)")
    p.add_argument("key", choices=["four-eyes", "four_eyes"])
    p.add_argument("value", nargs="?")


cli.register(_register)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli.main())

"""The reviewer's side: the review queue, chain warnings, progress, and the ``review`` CLI.

The verdicts themselves (approve, reject, request changes, with the four-eyes rule and a hash of
the chain as reviewed) are service operations: :meth:`Service.approve` and friends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.records import QuoteRecord
from annotator.rules import ChainContext, Warning, check
from annotator.service import QuotesContext, Service
from annotator.vocab import Status


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

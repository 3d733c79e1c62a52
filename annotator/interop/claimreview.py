"""ClaimReview (schema.org JSON-LD) for quotes the desk found disputed or rejected.

A fact-checker publishes "X never said this" or "this quote is misattributed" as a ``ClaimReview``:
the claim reviewed is the quote, its claimed author the speaker, the place it appeared the article,
the author of the review the reviewer, and the rating the desk's verdict. One JSON file holds an
array of items, one per quote whose status is ``disputed`` or ``rejected``, each a complete JSON-LD
object (``"@context": "https://schema.org"``) that can be pasted into a page's
``<script type="application/ld+json">``. Items follow the dataset's stable order, so the same data
gives the same bytes.

The desk names its ratings in the database setting ``claimreview`` (audited like every setting)::

    {"ratings": {"disputed": "Disputed attribution", "rejected": "Misattributed"},
     "comment_ratings": [["never said", "Fabricated"], ["out of context", "Out of context"]],
     "review_url": "https://factcheck.example.org/quotes/{quote_uid}"}

``ratings`` maps each exported status to a rating name; ``comment_ratings`` is an ordered list of
``[phrase, rating]``: the first phrase found (case-insensitively) in the comment of the verdict that
rejected the quote gives the rating instead. ``review_url`` is the address of the desk's published
fact check, a template with ``{quote_uid}`` and ``{article_uid}`` (the default, ``urn:uuid:…``, is
an identifier, not a page: set the desk's address before publishing).

Who reviewed: the reviewer of the latest verdict when it is the rejection that set the status;
otherwise (a quote marked disputed) the person who set the status, at that time.
"""

from __future__ import annotations

import json
import logging
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.db import Database
from annotator.errors import ValidationError
from annotator.interop.dataset import (
    Dataset,
    ExportResult,
    InteropError,
    cancel_check,
    database,
    load,
    write_atomic,
)
from annotator.model import Status, Verdict
from annotator.records import QuoteRecord, ReviewRecord, SourceRecord
from annotator.service import OpResult, Service

log = logging.getLogger(__name__)

SETTING = "claimreview"
STATUSES = (Status.DISPUTED.value, Status.REJECTED.value)
"""The statuses whose quotes are exported as ClaimReview items."""
CONTEXT = "https://schema.org"
_URL_FIELDS = {"quote_uid", "article_uid"}


@dataclass(frozen=True)
class RatingSettings:
    """The checked ``claimreview`` setting."""

    ratings: dict[str, str]
    comment_ratings: tuple[tuple[str, str], ...]
    review_url: str

    def rating(self, status: str, comment: str | None) -> str:
        if comment:
            folded = comment.casefold()
            for phrase, rating in self.comment_ratings:
                if phrase.casefold() in folded:
                    return rating
        return self.ratings[status]


def parse_settings(value: Any) -> RatingSettings:
    """Check a ``claimreview`` setting value; :class:`ValidationError` names the field at fault."""
    where = f"setting {SETTING!r}"
    if not isinstance(value, Mapping):
        raise ValidationError(f"{where} must be an object with ratings, comment_ratings and review_url")
    unknown = set(value) - {"ratings", "comment_ratings", "review_url"}
    if unknown:
        raise ValidationError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    ratings = value.get("ratings")
    if not isinstance(ratings, Mapping):
        raise ValidationError(f"{where}: ratings must map {' and '.join(STATUSES)} to rating names")
    for status in STATUSES:
        if not isinstance(ratings.get(status), str) or not ratings[status].strip():
            raise ValidationError(f"{where}: ratings.{status} must be a rating name, e.g. 'Misattributed'")
    extra = set(ratings) - set(STATUSES)
    if extra:
        raise ValidationError(
            f"{where}: ratings.{sorted(extra)[0]} is not exported: only {' and '.join(STATUSES)} quotes are"
        )
    pairs = value.get("comment_ratings", [])
    if not isinstance(pairs, list):
        raise ValidationError(f"{where}: comment_ratings must be a list of [phrase, rating] pairs")
    checked: list[tuple[str, str]] = []
    for i, pair in enumerate(pairs):
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(x, str) and x.strip() for x in pair)
        ):
            raise ValidationError(f"{where}: comment_ratings[{i}] must be a [phrase, rating] pair of words")
        checked.append((pair[0].strip(), pair[1].strip()))
    url = value.get("review_url")
    if not isinstance(url, str) or not url.strip():
        raise ValidationError(f"{where}: review_url must be the address of the published fact check")
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(url) if name is not None}
    except ValueError as exc:
        raise ValidationError(f"{where}: review_url {url!r} is not a valid template ({exc})") from None
    if fields - _URL_FIELDS:
        bad = sorted(fields - _URL_FIELDS)[0]
        raise ValidationError(f"{where}: review_url may use {{quote_uid}} and {{article_uid}}, not {{{bad}}}")
    return RatingSettings({s: ratings[s].strip() for s in STATUSES}, tuple(checked), url.strip())


def set_settings(service: Service, value: Mapping[str, Any]) -> OpResult:
    """Check and store the desk's ``claimreview`` setting (one audited operation, like four-eyes)."""
    parse_settings(value)
    plain = json.loads(json.dumps(value))
    return service.set_setting(SETTING, plain)


# -- items ----------------------------------------------------------------------------------


def _agent(src: SourceRecord) -> dict[str, Any]:
    if src.kind == "anonymous":
        # "a Turkish official": how the article describes them is all that is known.
        return {"@type": "Person", "name": src.descriptor or src.name}
    item: dict[str, Any] = {"@type": "Person" if src.kind == "person" else "Organization", "name": src.name}
    same_as = [f"https://www.wikidata.org/wiki/{v}" for scheme, v in src.external_ids if scheme == "wikidata"]
    if same_as:
        item["sameAs"] = same_as[0] if len(same_as) == 1 else same_as
    return item


def _deciding_review(q: QuoteRecord, reviews: tuple[ReviewRecord, ...]) -> ReviewRecord | None:
    if q.status == Status.REJECTED.value and reviews and reviews[-1].verdict == Verdict.REJECT.value:
        return reviews[-1]
    return None


def build_items(data: Dataset, check: Callable[[], None] | None = None) -> list[dict[str, Any]]:
    """The ClaimReview items of a dataset's disputed and rejected quotes (others are left out);
    ``check`` is called before each quote (it raises to stop)."""
    settings = parse_settings(data.settings[SETTING])
    items = []
    for q in data.quotes:
        if check is not None:
            check()
        if q.status not in STATUSES:
            continue
        art = data.articles[q.article_id]
        review = _deciding_review(q, data.reviews.get(q.id, ()))
        reviewer = review.reviewer if review else q.status_by
        when = review.at if review else q.status_at
        comment = review.comment if review else None
        item: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": "ClaimReview",
            "url": settings.review_url.format(quote_uid=q.uid, article_uid=art.uid),
            "claimReviewed": q.text,
        }
        if when:
            item["datePublished"] = when[:10]
        if reviewer:
            item["author"] = {"@type": "Person", "name": reviewer}
        rating = settings.rating(q.status, comment)
        item["reviewRating"] = {"@type": "Rating", "alternateName": rating, "name": rating}
        if comment:
            item["reviewBody"] = comment
        claim: dict[str, Any] = {"@type": "Claim"}
        if q.speaker_id is not None:
            claim["author"] = _agent(data.sources[q.speaker_id])
        if art.published:
            claim["datePublished"] = art.published
        appearance: dict[str, Any] = {"@type": "NewsArticle", "headline": art.title}
        if art.url:
            appearance["url"] = art.url
        if art.published:
            appearance["datePublished"] = art.published
        if art.outlet_id is not None:
            appearance["publisher"] = {"@type": "Organization", "name": data.sources[art.outlet_id].name}
        claim["appearance"] = appearance
        item["itemReviewed"] = claim
        items.append(item)
    return items


def export_claimreview(
    db_or_service: Database | Service,
    path: str | Path,
    *,
    article_ids: Iterable[int] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the ClaimReview items of every disputed or rejected quote (of ``article_ids`` only,
    when given) to ``path`` as a JSON array, atomically. A bad ``claimreview`` setting raises
    :class:`ValidationError` naming the field; nothing is written. ``cancel`` is polled between
    items; when it returns true the export stops (:class:`InteropError`) and nothing is written."""
    path = Path(path)
    data = load(database(db_or_service), status=STATUSES, article_ids=article_ids)
    items = build_items(data, cancel_check(path, cancel))
    for i, item in enumerate(items):
        missing = [k for k in ("url", "claimReviewed", "reviewRating") if not item.get(k)]
        if missing:
            raise InteropError(path, f"item {i + 1} has no {missing[0]}")
    payload = (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    digest, size = write_atomic(path, payload)
    log.info("exported %d ClaimReview item(s) to %s", len(items), path)
    sources = {i for q in data.quotes for i in q.chain_source_ids[:1]}
    return ExportResult(path, "claimreview", len(items), len(data.articles), len(sources), digest, size)

"""ClaimReview export: disputed and rejected quotes become schema.org ClaimReview items that carry
the fields schema.org and Google's fact-check markup guidance require; verified quotes give none."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from seed import SAMPLES, annotate_gold

from annotator.errors import ValidationError
from annotator.interop import claimreview
from annotator.service import Service

ARTICLE_URL = (
    "https://english.elpais.com/international/2025-05-19/russia-and-ukraine-resume-direct-talks.html"
)


def _article_with_url(tmp_path: Path) -> Path:
    """The Istanbul sample with a URL in its header (the sample itself has none)."""
    text = (SAMPLES / "istanbul-talks.txt").read_text(encoding="utf-8")
    path = tmp_path / "istanbul-talks.txt"
    path.write_text(
        text.replace("Language: en\n", f"Language: en\nURL: {ARTICLE_URL}\n", 1), encoding="utf-8"
    )
    return path


def _seed(svc: Service, tmp_path: Path) -> dict[str, Any]:
    art = svc.import_file(_article_with_url(tmp_path)).extra["article"]
    annotate_gold(svc, art.id)
    quotes = svc.quotes(art.id)
    pick = {
        "moscow": next(q for q in quotes if q.text.startswith("it would only accept a truce")),
        "vance": next(q for q in quotes if q.text.startswith("Russia is asking for too much")),
        "rubio": next(q for q in quotes if q.text.startswith("We came because")),
    }
    return {"article": art, **pick}


def _is_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_url(value: Any) -> bool:
    return (
        isinstance(value, str)
        and re.fullmatch(r"(https?://[^\s/]+/\S*|urn:uuid:[0-9a-f-]{36})", value) is not None
    )


def assert_valid_claimreview(item: dict[str, Any]) -> None:
    """The shape schema.org's ClaimReview type and Google's fact-check (ClaimReview) structured data
    guidance ask for: required claimReviewed, reviewRating (a Rating with alternateName) and url;
    recommended author (a Person or Organization with a name), datePublished, and itemReviewed (a
    Claim with its author, appearance and datePublished)."""
    assert item["@context"] == "https://schema.org"
    assert item["@type"] == "ClaimReview"
    # Google: required
    assert isinstance(item["claimReviewed"], str) and item["claimReviewed"].strip()
    rating = item["reviewRating"]
    assert rating["@type"] == "Rating"
    assert isinstance(rating["alternateName"], str) and rating["alternateName"].strip()
    assert _is_url(item["url"])
    # Google: recommended
    assert item["author"]["@type"] in ("Person", "Organization") and item["author"]["name"].strip()
    assert _is_date(item["datePublished"])
    claim = item["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"]["@type"] in ("Person", "Organization") and claim["author"]["name"].strip()
    assert _is_date(claim["datePublished"])
    appearance = claim["appearance"]
    assert appearance["@type"] in ("CreativeWork", "NewsArticle", "Article") and _is_url(appearance["url"])
    # schema.org: no property outside ClaimReview's, Rating's and Claim's (a typo would be silently ignored).
    assert set(item) <= {
        "@context", "@type", "url", "claimReviewed", "datePublished", "author", "reviewRating",
        "reviewBody", "itemReviewed",
    }  # fmt: skip
    assert set(rating) <= {"@type", "alternateName", "name", "ratingValue", "bestRating", "worstRating"}
    assert set(claim) <= {"@type", "author", "datePublished", "appearance", "firstAppearance"}


def test_a_rejected_quote_gives_one_item_and_verified_quotes_none(svc: Service, tmp_path: Path) -> None:
    s = _seed(svc, tmp_path)
    rui = Service(svc.db, user="rui")
    for key in ("moscow", "vance"):
        svc.set_status(s[key].id, "needs_review")
    rui.approve(s["moscow"].id, "checked against the CNN piece")
    rui.reject(s["vance"].id, "the words are CNN's summary, not his")
    out = tmp_path / "claims.json"
    result = claimreview.export_claimreview(svc, out)

    items = json.loads(out.read_text(encoding="utf-8"))
    assert result.quotes == len(items) == 1
    item = items[0]
    assert_valid_claimreview(item)
    vance = svc.quote(s["vance"].id)
    review = svc.reviews(vance.id)[-1]
    assert item["claimReviewed"] == "Russia is asking for too much."
    assert item["itemReviewed"]["author"] == {"@type": "Person", "name": "J. D. Vance"}
    assert item["itemReviewed"]["appearance"]["url"] == ARTICLE_URL
    assert item["itemReviewed"]["appearance"]["publisher"] == {"@type": "Organization", "name": "El País"}
    assert item["itemReviewed"]["datePublished"] == "2025-05-19"
    assert item["author"] == {"@type": "Person", "name": "rui"}
    assert item["datePublished"] == review.at[:10]
    assert item["reviewRating"]["alternateName"] == "Misattributed"  # the default rating of "rejected"
    assert item["reviewBody"] == "the words are CNN's summary, not his"
    assert item["url"] == f"urn:uuid:{vance.uid}"


def test_disputed_quotes_and_the_desks_own_ratings(svc: Service, tmp_path: Path) -> None:
    s = _seed(svc, tmp_path)
    res = claimreview.set_settings(
        svc,
        {
            "ratings": {"disputed": "Unproven attribution", "rejected": "False attribution"},
            "comment_ratings": [["never said", "Fabricated quote"], ["context", "Out of context"]],
            "review_url": "https://factcheck.example.org/quotes/{quote_uid}",
        },
    )
    assert res.ids("setting") == [2]
    assert svc.verify_audit().ok
    marta = Service(svc.db, user="marta")
    marta.set_status(s["moscow"].id, "disputed")
    svc.set_status(s["rubio"].id, "needs_review")
    Service(svc.db, user="rui").reject(s["rubio"].id, "Rubio never said this in Istanbul")
    out = tmp_path / "claims.json"
    claimreview.export_claimreview(svc, out)
    items = {i["claimReviewed"][:20]: i for i in json.loads(out.read_text(encoding="utf-8"))}
    assert len(items) == 2
    for item in items.values():
        assert_valid_claimreview(item)
    moscow = items["it would only accept"]
    assert moscow["reviewRating"]["alternateName"] == "Unproven attribution"
    assert moscow["author"] == {"@type": "Person", "name": "marta"}  # who set the status
    assert moscow["itemReviewed"]["author"] == {"@type": "Organization", "name": "Moscow"}
    assert "reviewBody" not in moscow
    rubio = items["We came because we w"]
    assert rubio["reviewRating"]["alternateName"] == "Fabricated quote"  # the comment's phrase wins
    assert rubio["url"] == f"https://factcheck.example.org/quotes/{s['rubio'].uid}"
    # Same data, same bytes.
    again = tmp_path / "again.json"
    claimreview.export_claimreview(svc, again)
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Misattributed", "must be an object"),
        ({"ratings": {"disputed": "x"}, "review_url": "u"}, r"ratings\.rejected must be a rating name"),
        ({"ratings": {"disputed": "x", "rejected": "y", "verified": "z"}, "review_url": "u"}, "not exported"),
        ({"ratings": {"disputed": "x", "rejected": "y"}, "review_url": ""}, "review_url must be"),
        ({"ratings": {"disputed": "x", "rejected": "y"}, "review_url": "https://x/{id}"}, r"not \{id\}"),
        (
            {"ratings": {"disputed": "x", "rejected": "y"}, "review_url": "u", "comment_ratings": [["a"]]},
            r"comment_ratings\[0\]",
        ),
        ({"ratings": {"disputed": "x", "rejected": "y"}, "review_url": "u", "colour": 1}, "unknown field"),
    ],
)
def test_a_bad_rating_setting_is_refused_and_nothing_changes(
    sqlite_svc: Service, value: Any, message: str
) -> None:
    before = sqlite_svc.audit_head()
    with pytest.raises(ValidationError, match=message):
        claimreview.set_settings(sqlite_svc, value)
    assert sqlite_svc.audit_head() == before
    assert sqlite_svc.setting("claimreview")["ratings"]["rejected"] == "Misattributed"


def test_a_setting_stored_around_the_check_is_refused_at_export(sqlite_svc: Service, tmp_path: Path) -> None:
    s = _seed(sqlite_svc, tmp_path)
    sqlite_svc.set_status(s["vance"].id, "disputed")
    sqlite_svc.set_setting("claimreview", {"ratings": {}, "review_url": "u"})  # the raw service call
    out = tmp_path / "claims.json"
    with pytest.raises(ValidationError, match=r"setting 'claimreview': ratings\.disputed"):
        claimreview.export_claimreview(sqlite_svc, out)
    assert not out.exists()

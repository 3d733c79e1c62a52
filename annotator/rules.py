"""Rules that flag weak attribution chains.

Each rule has a stable id, a one-line explanation, and a check over plain records, so the CLI
(``annotator check``), the review queue and the app all report the same warnings. A warning is
advice to a reviewer, not a refusal: the chain can still be saved.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from annotator.anchoring import CLOSING_QUOTES, OPENING_QUOTES
from annotator.records import QuoteRecord, SourceRecord


@dataclass(frozen=True)
class ChainContext:
    """Everything a rule may look at for one quote."""

    quote: QuoteRecord
    text: str  # the article's canonical text
    sources: Mapping[int, SourceRecord]
    outlet_id: int | None


@dataclass(frozen=True)
class Warning:
    rule: str
    quote_id: int
    message: str


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    check: Callable[[ChainContext], list[str]]


def _chain_sources(ctx: ChainContext) -> list[tuple[str, SourceRecord]]:
    out = []
    if ctx.quote.speaker_id is not None and ctx.quote.speaker_id in ctx.sources:
        out.append(("speaker", ctx.sources[ctx.quote.speaker_id]))
    for i, h in enumerate(ctx.quote.hops):
        if h.source_id in ctx.sources:
            out.append((f"intermediary {i + 1}", ctx.sources[h.source_id]))
    return out


def _label(ctx: ChainContext, source_id: int) -> str:
    src = ctx.sources.get(source_id)
    return src.label if src is not None else str(source_id)


def _name(ctx: ChainContext, source_id: int) -> str:
    src = ctx.sources.get(source_id)
    return src.name if src is not None else str(source_id)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", s).casefold()


def _no_speaker(ctx: ChainContext) -> list[str]:
    return [] if ctx.quote.speaker_id is not None else ["the quote has no speaker"]


def _anonymous_without_descriptor(ctx: ChainContext) -> list[str]:
    return [
        f"the {where} {src.name!r} is anonymous but has no descriptor saying how the article describes it"
        for where, src in _chain_sources(ctx)
        if src.kind == "anonymous" and not (src.descriptor or "").strip()
    ]


def _direct_without_marks(ctx: ChainContext) -> list[str]:
    q = ctx.quote
    if q.type != "direct":
        return []
    inside = q.text[:1] in OPENING_QUOTES + CLOSING_QUOTES and q.text[-1:] in OPENING_QUOTES + CLOSING_QUOTES
    before = ctx.text[max(0, q.start - 3) : q.start].rstrip(" \u00a0\u202f")
    after = ctx.text[q.end : q.end + 3].lstrip(" \u00a0\u202f")
    outside = (
        before[-1:] != ""
        and before[-1:] in OPENING_QUOTES + CLOSING_QUOTES
        and after[:1] != ""
        and (after[:1] in OPENING_QUOTES + CLOSING_QUOTES)
    )
    if inside or outside:
        return []
    return ["a direct quote with no quotation marks around it in the text: is it really verbatim?"]


def _hop_without_evidence(ctx: ChainContext) -> list[str]:
    return [
        f"intermediary {i + 1} ({_label(ctx, h.source_id)}) has no evidence span in the article"
        for i, h in enumerate(ctx.quote.hops)
        if h.evidence is None
    ]


def _name_not_in_article(ctx: ChainContext) -> list[str]:
    text = _fold(ctx.text)
    out = []
    for where, src in _chain_sources(ctx):
        names = [src.name, *src.aliases]
        if src.kind == "anonymous" and src.descriptor:
            names.append(src.descriptor)
            names.append(re.sub(r"^(an?|the)\s+", "", src.descriptor, flags=re.I))
        if not any(_fold(n) in text for n in names if n.strip()):
            out.append(f"the {where} {src.label!r} is not named in the article (nor any alias)")
    return out


def _verified_without_evidence(ctx: ChainContext) -> list[str]:
    q = ctx.quote
    if q.status == "verified" and not (q.evidence_url or q.archive_url or (q.note or "").strip()):
        return ["verified with no evidence: add the URL of the original statement, an archive link or a note"]
    return []


def _outlet_as_intermediary(ctx: ChainContext) -> list[str]:
    if ctx.outlet_id is None:
        return []
    return [
        f"intermediary {i + 1} is the article's own outlet ({_name(ctx, h.source_id)}): "
        "the outlet is already the chain's last link"
        for i, h in enumerate(ctx.quote.hops)
        if h.source_id == ctx.outlet_id
    ]


RULES: tuple[Rule, ...] = (
    Rule("no-speaker", "The quote has no speaker", _no_speaker),
    Rule(
        "anonymous-without-descriptor",
        "An anonymous source without a descriptor",
        _anonymous_without_descriptor,
    ),
    Rule(
        "direct-without-quote-marks",
        "A direct quote with no quotation marks around it",
        _direct_without_marks,
    ),
    Rule("hop-without-evidence", "An intermediary with no evidence span", _hop_without_evidence),
    Rule("name-not-in-article", "A speaker or intermediary not named in the article", _name_not_in_article),
    Rule("verified-without-evidence", "Verified with no evidence URL or note", _verified_without_evidence),
    Rule(
        "outlet-as-intermediary", "The article's own outlet cited as an intermediary", _outlet_as_intermediary
    ),
)
RULES_BY_ID = {r.id: r for r in RULES}


def check(ctx: ChainContext, rules: Iterable[Rule] = RULES) -> list[Warning]:
    """Every warning the rules raise for one quote, in rule order."""
    return [Warning(rule.id, ctx.quote.id, msg) for rule in rules for msg in rule.check(ctx)]

"""Annotate an article from a gold file (``tests/data/*.gold.json``) through the service API.

The gold file lists quotes with code-point offsets, type, cue string, speaker and chain. Sources
are created once per name; an affiliation named in the gold file becomes an organization.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.records import HopRecord
from annotator.service import Service

DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "istanbul-talks.gold.json"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_articles"


def load_gold(path: Path = GOLD) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def source_for(svc: Service, spec: dict[str, Any]) -> int:
    """The id of the source described by a gold ``speaker``/``source`` entry, created if needed."""
    kind = "anonymous" if spec.get("anonymous") else spec["kind"]
    found = svc.resolve_source(spec["name"], kind=kind)
    if found is not None:
        return found.id
    affiliation_id = None
    if spec.get("affiliation"):
        aff = svc.resolve_source(spec["affiliation"])
        affiliation_id = aff.id if aff else svc.create_source("organization", spec["affiliation"]).source.id
    descriptor = f"a {spec['name']}" if kind == "anonymous" else None
    return svc.create_source(
        kind, spec["name"], role=spec.get("role"), affiliation_id=affiliation_id, descriptor=descriptor,
        nationality=spec["name"].split()[0] if kind == "anonymous" else None,
    ).source.id  # fmt: skip


def cue_span(text: str, quote: dict[str, Any]) -> tuple[int, int] | None:
    """The occurrence of the gold cue string nearest the quote."""
    cue = quote.get("cue")
    if not cue:
        return None
    lo, hi = max(0, quote["start"] - 300), min(len(text), quote["end"] + 300)
    hits = []
    i = text.find(cue, lo)
    while i != -1 and i < hi:
        hits.append(i)
        i = text.find(cue, i + 1)
    if not hits:
        return None
    mid = (quote["start"] + quote["end"]) / 2
    best = min(hits, key=lambda h: abs(h - mid))
    return best, best + len(cue)


def annotate_gold(svc: Service, article_id: int, gold: dict[str, Any] | None = None) -> list[int]:
    """Create every gold quote with its speaker, chain and cue; return the new quote ids in order."""
    gold = gold or load_gold()
    text = svc.article_text(article_id)
    ids = []
    for q in gold["quotes"]:
        speaker = source_for(svc, q["speaker"])
        hops = [HopRecord(source_for(svc, h["source"]), h["relation"]) for h in q["chain"]]
        res = svc.create_quote(
            article_id, q["start"], q["end"], type=q["type"], cue=cue_span(text, q), speaker_id=speaker,
            hops=hops, note=q.get("note"),
        )  # fmt: skip
        ids.append(res.quote.id)
    return ids

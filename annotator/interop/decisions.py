"""The decisions on suggestions as JSON lines: a desk's own training data for a better suggester.

One line per decision, oldest first (``annotator suggestions export``)::

    {"decision": "accepted" | "rejected", "fingerprint": ..., "confidence": ..., "suggester_version": ...,
     "decided_by": ..., "decided_at": ..., "article": {"id", "uid", "title", "language", "text_sha256"},
     "suggestion": {... every field of the suggestion as it was made ...},
     "quote": null | {"id", "uid", "status", "state": "as_suggested" | "corrected" | "deleted"},
     "corrected": {... only what differs now from what the accept created ...}}

``corrected`` holds the current values of the fields a fact-checker changed after accepting:
``quote`` and ``cue`` as ``{"start", "end", "text"}`` (the cue may be null), ``type``, ``speaker``
as ``{"source_id", "name", "kind"}`` or null, and ``intermediaries`` as the whole current list of
``{"source_id", "name", "kind", "relation", "evidence": {"start", "end", "text"} | null}``. It is
empty for a rejection, for an accepted quote left as suggested, and for a deleted one.

Everything is read in one snapshot of the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from annotator.db import Database, chunks
from annotator.errors import AnnotatorError
from annotator.interop.dataset import database, write_atomic
from annotator.model import Article, Quote, Source, SuggestionDecision
from annotator.records import (
    QuoteRecord,
    SuggestionDecisionRecord,
    decision_record,
    select_quote_records,
)
from annotator.service import Service


def decision_lines(
    db_or_service: Database | Service, *, article_id: int | None = None
) -> list[dict[str, Any]]:
    """Every decision (of one article, or all) as an export line, oldest first."""
    db = database(db_or_service)
    try:
        with db.snapshot() as s:
            stmt = select(SuggestionDecision).order_by(SuggestionDecision.id)
            if article_id is not None:
                stmt = stmt.where(SuggestionDecision.article_id == article_id)
            decisions = [decision_record(d) for d in s.scalars(stmt)]
            article_ids = sorted({d.article_id for d in decisions})
            articles: dict[int, dict[str, Any]] = {}
            texts: dict[int, str] = {}
            for chunk in chunks(article_ids, 8):
                for a in s.execute(
                    select(Article.id, Article.uid, Article.title, Article.language, Article.text_sha256,
                           Article.text).where(Article.id.in_(chunk))
                ):  # fmt: skip
                    articles[a.id] = {
                        "id": a.id, "uid": a.uid, "title": a.title, "language": a.language,
                        "text_sha256": a.text_sha256,
                    }  # fmt: skip
                    texts[a.id] = a.text
            quote_ids = sorted({d.quote_id for d in decisions if d.quote_id is not None})
            quotes: dict[int, QuoteRecord] = {}
            for chunk in chunks(quote_ids):
                quotes.update((q.id, q) for q in select_quote_records(s, Quote.__table__.c.id.in_(chunk)))
            source_ids = sorted({sid for q in quotes.values() for sid in q.chain_source_ids})
            sources: dict[int, tuple[str, str]] = {}
            for chunk in chunks(source_ids):
                sources.update(
                    (sid, (name, kind))
                    for sid, name, kind in s.execute(
                        select(Source.id, Source.name, Source.kind).where(Source.id.in_(chunk))
                    )
                )
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        reason = str(orig if orig is not None else exc).strip().splitlines()[0]
        raise AnnotatorError(f"the database could not be read ({reason})") from exc
    return [_line(d, articles[d.article_id], texts[d.article_id], quotes, sources) for d in decisions]


def _line(
    d: SuggestionDecisionRecord,
    article: dict[str, Any],
    text: str,
    quotes: dict[int, QuoteRecord],
    sources: dict[int, tuple[str, str]],
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "decision": d.decision,
        "fingerprint": d.fingerprint,
        "confidence": d.confidence,
        "suggester_version": d.suggester_version,
        "decided_by": d.decided_by,
        "decided_at": d.decided_at,
        "article": article,
        "suggestion": d.suggestion_data,
        "quote": None,
        "corrected": {},
    }
    if not d.accepted or d.quote_id is None:
        return line
    q = quotes.get(d.quote_id)
    if q is None:
        line["quote"] = {"id": d.quote_id, "uid": None, "status": None, "state": "deleted"}
        return line
    corrected = _corrections(d.accepted_chain_data or {}, q, text, sources)
    line["quote"] = {
        "id": q.id, "uid": q.uid, "status": q.status, "state": "corrected" if corrected else "as_suggested",
    }  # fmt: skip
    line["corrected"] = corrected
    return line


def _span(span: Any, text: str) -> dict[str, Any] | None:
    if not span:
        return None
    start, end = int(span[0]), int(span[1])
    return {"start": start, "end": end, "text": text[start:end]}


def _source(sid: int | None, sources: dict[int, tuple[str, str]]) -> dict[str, Any] | None:
    if sid is None:
        return None
    name, kind = sources.get(sid, ("", ""))
    return {"source_id": sid, "name": name, "kind": kind}


def _corrections(
    accepted: dict[str, Any], q: QuoteRecord, text: str, sources: dict[int, tuple[str, str]]
) -> dict[str, Any]:
    """The current values of what changed since the accept created ``accepted`` (a ``chain_dict()``)."""
    now = q.chain_dict()
    out: dict[str, Any] = {}
    if now["span"] != accepted.get("span"):
        out["quote"] = _span(now["span"], text)
    if now["type"] != accepted.get("type"):
        out["type"] = now["type"]
    if now["cue"] != accepted.get("cue"):
        out["cue"] = _span(now["cue"], text)
    if now["speaker_id"] != accepted.get("speaker_id"):
        out["speaker"] = _source(now["speaker_id"], sources)
    if now["hops"] != accepted.get("hops"):
        out["intermediaries"] = [
            {**(_source(h["source_id"], sources) or {}), "relation": h["relation"],
             "evidence": _span(h["evidence"], text)}
            for h in now["hops"]
        ]  # fmt: skip
    return out


def _jsonl(lines: list[dict[str, Any]]) -> Iterator[str]:
    for line in lines:
        yield json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"


def export_decisions(
    db_or_service: Database | Service,
    output: Path | IO[str],
    *,
    article_id: int | None = None,
) -> int:
    """Write :func:`decision_lines` as JSON lines to a file (replaced atomically) or a text stream.

    Returns the number of lines."""
    lines = decision_lines(db_or_service, article_id=article_id)
    if isinstance(output, Path):
        write_atomic(output, "".join(_jsonl(lines)).encode("utf-8"))
    else:
        output.writelines(_jsonl(lines))
    return len(lines)

"""A suggestion as it is stored with a decision on it: every field, as plain JSON, and back.

:meth:`Suggestion.to_json` is the short public item of ``annotator suggest --json``; this is the
complete form (the source names and kinds, the registry matches, the pronoun mentions and the
language), so that a stored suggestion can be compared with the quote a fact-checker made of it,
and accepted again exactly as it was (redo).
"""

from __future__ import annotations

from typing import Any, cast

from annotator.suggest.model import (
    Intermediary,
    Mention,
    QuoteTypeName,
    SourceKindName,
    SourceRef,
    Suggestion,
)


def _mention(m: Mention | None) -> dict[str, Any] | None:
    return None if m is None else m.to_json()


def _source(ref: SourceRef) -> dict[str, Any]:
    return {
        "name": ref.name,
        "kind": ref.kind,
        "known_id": ref.known_id,
        "mention": _mention(ref.mention),
        "local": _mention(ref.local),
    }


def suggestion_data(s: Suggestion) -> dict[str, Any]:
    """Every field of ``s`` as JSON-ready values (lists, dicts, str, int, float, None)."""
    return {
        "quote": s.quote.to_json(),
        "type": s.type,
        "cue": _mention(s.cue),
        "speaker": _source(s.speaker) if s.speaker is not None else None,
        "intermediaries": [{"source": _source(h.source), "relation": h.relation} for h in s.intermediaries],
        "confidence": s.confidence,
        "reason": s.reason,
        "language": s.language,
        "fingerprint": s.fingerprint,
    }


def _to_mention(d: dict[str, Any] | None) -> Mention | None:
    return None if d is None else Mention(int(d["start"]), int(d["end"]), str(d["text"]))


def _to_source(d: dict[str, Any]) -> SourceRef:
    return SourceRef(
        name=str(d["name"]),
        kind=cast(SourceKindName, d["kind"]),
        mention=_to_mention(d.get("mention")),
        known_id=d.get("known_id"),
        local=_to_mention(d.get("local")),
    )


def suggestion_from_data(d: dict[str, Any]) -> Suggestion:
    """The :class:`Suggestion` that :func:`suggestion_data` gave ``d`` for."""
    quote = _to_mention(d["quote"])
    assert quote is not None
    return Suggestion(
        quote=quote,
        type=cast(QuoteTypeName, d["type"]),
        cue=_to_mention(d.get("cue")),
        speaker=_to_source(d["speaker"]) if d.get("speaker") else None,
        intermediaries=tuple(
            Intermediary(_to_source(h["source"]), str(h["relation"])) for h in d.get("intermediaries", ())
        ),
        confidence=float(d["confidence"]),
        reason=str(d.get("reason", "")),
        language=d.get("language"),
    )

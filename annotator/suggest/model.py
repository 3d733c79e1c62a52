"""What a suggester returns, and the small interface every suggester implements.

Everything here is plain data: no Qt, no database. Offsets are half-open ``[start, end)`` ranges of
Unicode code points (Python ``str`` indices) of the text the suggester was given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

QuoteTypeName = Literal["direct", "partial", "indirect"]
"""The values of :class:`annotator.model.QuoteType` (kept as strings: this package never imports the ORM)."""

SourceKindName = Literal["person", "organization", "outlet", "anonymous"]
"""The values of :class:`annotator.model.SourceKind`."""


@dataclass(frozen=True)
class Mention:
    """A span of the text and the text it covers."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class KnownSource:
    """A source already in the registry, as the service passes it to a suggester."""

    id: int
    name: str
    kind: SourceKindName
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceRef:
    """A speaker or intermediary as suggested.

    ``mention`` is where the source is named in the text (for a pronoun resolved to an earlier
    name, that earlier name's mention); ``local`` is the words that stand for it in this very
    attribution (the pronoun itself, ``"er"``), or ``None`` when the attribution names it directly
    or not at all (a floating quote). ``name`` is the proposed name of the source (titles and
    articles dropped), ``known_id`` the registry source it matched, if any, and ``kind`` the kind
    it has or, when new, the kind guessed for it.
    """

    name: str
    kind: SourceKindName
    mention: Mention | None = None
    known_id: int | None = None
    local: Mention | None = None

    def to_json(self) -> dict[str, Any]:
        if self.mention is not None:
            return self.mention.to_json()
        return {"name": self.name}


@dataclass(frozen=True)
class Intermediary:
    """One hop of the chain, nearest the speaker first: the source and how the quote passed through it."""

    source: SourceRef
    relation: str

    def to_json(self) -> dict[str, Any]:
        m = self.source.mention
        if m is None:  # pragma: no cover - the rule suggester always has a mention for a hop
            return {"name": self.source.name, "relation": self.relation}
        return {**m.to_json(), "relation": self.relation}


@dataclass(frozen=True)
class Suggestion:
    """One proposed quote with its cue, speaker and intermediary chain."""

    quote: Mention
    type: QuoteTypeName
    cue: Mention | None
    speaker: SourceRef | None
    intermediaries: tuple[Intermediary, ...] = ()
    confidence: float = 0.5
    reason: str = ""
    language: str | None = field(default=None, compare=False)

    @property
    def fingerprint(self) -> str:
        """A stable id for this suggestion on this text: the quote span and text plus the speaker's name.

        A rejected suggestion is recognised by it when the article is suggested on again.
        """
        speaker = self.speaker.name if self.speaker else ""
        key = f"{self.quote.start}:{self.quote.end}:{self.quote.text}\x1f{speaker.casefold()}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        """The item printed by ``annotator suggest --text-file PATH --json``."""
        return {
            "quote": self.quote.to_json(),
            "type": self.type,
            "cue": self.cue.to_json() if self.cue else None,
            "speaker": self.speaker.to_json() if self.speaker else None,
            "intermediaries": [h.to_json() for h in self.intermediaries],
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
        }


class Suggester(Protocol):
    """Anything that proposes quotes for a text. ``version`` is recorded with accepted suggestions."""

    version: str

    def suggest(
        self, text: str, language: str | None = None, registry: Sequence[KnownSource] = ()
    ) -> list[Suggestion]: ...


def suggestions_json(suggestions: Sequence[Suggestion]) -> list[dict[str, Any]]:
    """The JSON list for ``annotator suggest --text-file PATH --json`` (offsets into the text as given)."""
    return [s.to_json() for s in suggestions]

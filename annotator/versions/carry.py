"""Carrying a version's quotes to the next version: each quote's span, cue and hop evidence.

Pure functions over records and texts (no database): :meth:`annotator.service.Service.add_version`
stores what they find, one audited change per quote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.records import QuoteRecord
from annotator.versions.alignment import Alignment
from annotator.versions.anchor import Outcome, Placement, place, worst


@dataclass(frozen=True)
class QuoteCarry:
    """What became of one quote in the new version."""

    quote_id: int
    outcome: Outcome
    """The quote's own span lost: ``LOST``; else the worst of its span, cue and evidence, where a
    cue or evidence lost counts as ``CHANGED`` (the quote is still there, its chain is not)."""
    quote: Placement
    cue: Placement | None
    evidence: tuple[Placement | None, ...]
    """One per hop, in chain order; None where the hop has no evidence span."""

    @property
    def withdraws_approval(self) -> bool:
        """Its text, cue or evidence changed, or it is gone: an approval no longer holds."""
        return self.outcome in (Outcome.CHANGED, Outcome.LOST)

    def reason(self, version: int) -> str:
        """One line saying what changed, e.g. ``version 2 changed the quote ('…' → '…') and its cue``."""
        if self.outcome == Outcome.LOST:
            return f"the quote is not in version {version} (it stays on the version it was made on)"
        parts = []
        if self.quote.outcome == Outcome.CHANGED:
            parts.append(
                f"its text ({_short(self.quote.old_text)!r} → {_short(self.quote.new_text or '')!r})"
            )
        if self.cue is not None and self.cue.outcome == Outcome.CHANGED:
            parts.append(f"its cue ({self.cue.old_text!r} → {self.cue.new_text!r})")
        elif self.cue is not None and self.cue.outcome == Outcome.LOST:
            parts.append(f"its cue ({self.cue.old_text!r} is gone)")
        for i, ev in enumerate(self.evidence, 1):
            if ev is not None and ev.outcome == Outcome.CHANGED:
                parts.append(f"hop {i}'s evidence ({_short(ev.old_text)!r} → {_short(ev.new_text or '')!r})")
            elif ev is not None and ev.outcome == Outcome.LOST:
                parts.append(f"hop {i}'s evidence ({_short(ev.old_text)!r} is gone)")
        if not parts:
            return f"version {version} moved the quote"
        return f"version {version} changed " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote_id": self.quote_id,
            "outcome": self.outcome.value,
            "quote": self.quote.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "evidence": [e.to_dict() if e else None for e in self.evidence],
        }


def carry_quote(alignment: Alignment, q: QuoteRecord) -> QuoteCarry:
    """Place one quote's span, cue and hop evidence in the new text (see :func:`place`)."""
    span = place(alignment, q.start, q.end)
    shift = span.new[0] - q.start if span.new is not None else None

    def follow(s: tuple[int, int] | None) -> Placement | None:
        if s is None:
            return None
        hint = s[0] + shift if shift is not None else None
        return place(alignment, s[0], s[1], hint=hint, replaced=True)

    cue = follow(q.cue)
    evidence = tuple(follow(h.evidence) for h in q.hops)
    if span.outcome == Outcome.LOST:
        outcome = Outcome.LOST
    else:
        parts = [p.outcome for p in (cue, *evidence) if p is not None]
        outcome = worst(span.outcome, *(Outcome.CHANGED if o == Outcome.LOST else o for o in parts))
    return QuoteCarry(q.id, outcome, span, cue, evidence)


def carry_quotes(old_text: str, new_text: str, quotes: Iterable[QuoteRecord]) -> list[QuoteCarry]:
    """Carry every quote of ``old_text`` to ``new_text`` (one alignment for all of them)."""
    alignment = Alignment(old_text, new_text)
    return [carry_quote(alignment, q) for q in quotes]


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"

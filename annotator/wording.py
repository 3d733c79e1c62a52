"""How the core's objects read, in one place: the chain text and the change-history lines.

Every chain shown anywhere (the CLI, the CSV and XML summaries, the tables, the inspector, the
review view) comes from :func:`chain_text`: the speaker first, then each intermediary, then the
article's outlet, joined by :data:`~annotator.vocab.CHAIN_ARROW`, e.g.
``Moscow ← a Turkish official ← CNN ← El País``. A chain without a speaker begins with
:data:`~annotator.vocab.NO_SPEAKER`; the outlet is appended only when the chain does not already
end with it. Plain text, Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from annotator.vocab import CHAIN_ARROW, NO_SPEAKER, SourceKind

if TYPE_CHECKING:
    from annotator.records import HistoryEntry, QuoteRecord, SourceRecord

K = TypeVar("K")


# -- sources and chains --------------------------------------------------------------------------


def source_label(kind: str, name: str, descriptor: str | None) -> str:
    """How a source reads in a chain: an anonymous source by its descriptor, others by name."""
    if kind == SourceKind.ANONYMOUS.value and descriptor:
        return descriptor
    return name


def join_chain(speaker: str | None, hops: Iterable[str], outlet: str | None = None) -> str:
    """The links' labels as one line: ``NO_SPEAKER`` for a missing speaker, arrows between."""
    parts = [speaker if speaker is not None else NO_SPEAKER, *hops]
    if outlet is not None:
        parts.append(outlet)
    return CHAIN_ARROW.join(parts)


def chain_text(speaker: K | None, hops: Sequence[K], outlet: K | None, label: Callable[[K], str]) -> str:
    """The one chain text, over any kind of source key (local ids, set ids).

    ``label`` names a key. The outlet is appended unless the chain already ends with it (an outlet
    quoting itself, or cited as the last intermediary).
    """
    keys = ([speaker] if speaker is not None else []) + list(hops)
    with_outlet = outlet is not None and (not keys or keys[-1] != outlet)
    return join_chain(
        label(speaker) if speaker is not None else None,
        (label(h) for h in hops),
        label(outlet) if with_outlet and outlet is not None else None,
    )


def quote_chain_text(
    quote: QuoteRecord, sources: Mapping[int, SourceRecord], outlet_id: int | None = None
) -> str:
    """:func:`chain_text` of a quote record; a source missing from ``sources`` reads ``#id``."""

    def label(source_id: int) -> str:
        rec = sources.get(source_id)
        return rec.label if rec is not None else f"#{source_id}"

    return chain_text(quote.speaker_id, [h.source_id for h in quote.hops], outlet_id, label)


# -- change history ------------------------------------------------------------------------------


def one_line(text: str, limit: int = 160) -> str:
    """``text`` on one line (line breaks become spaces), cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _short(v: Any, n: int = 80) -> str:
    s = "—" if v is None else repr(v) if not isinstance(v, str) else f"'{v}'"
    return s if len(s) <= n else s[: n - 1] + "…"


def describe_change(
    object_type: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[str]:
    """Human-readable lines for one audit entry's before/after, field by field."""
    if object_type == "review" and after:
        c = f": {after['comment']}" if after.get("comment") else ""
        return [f"verdict {after['verdict']} on chain {after['chain_sha256'][:12]}…{c}"]
    if before is None and after is not None:
        return ["created"]
    if after is None:
        return ["deleted"]
    assert before is not None
    lines = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key) and key not in ("status_at", "chain_edited_at"):
            lines.append(f"{key}: {_short(before.get(key))} → {_short(after.get(key))}")
    return lines


def _span_text(span: Any, text: str | None) -> str:
    if not span:
        return "—"
    start, end = int(span[0]), int(span[1])
    if text is not None and 0 <= start < end <= len(text):
        return f"“{one_line(text[start:end], 50)}” ({start}–{end})"
    return f"{start}–{end}"


def _hop_text(hop: Mapping[str, Any], label: Callable[[Any], str]) -> str:
    return f"{label(hop.get('source_id'))} ({hop.get('relation')})"


def snapshot_chain_text(record: Mapping[str, Any], label: Callable[[Any], str]) -> str:
    """A quote snapshot's chain with each hop's relation, from an audit entry:
    ``Moscow ← a Turkish official (according to) ← CNN (quoted by)``."""
    speaker = record.get("speaker_id")
    return join_chain(
        label(speaker) if speaker is not None else None,
        (_hop_text(h, label) for h in record.get("hops") or ()),
    )


def quote_change_lines(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    label: Callable[[Any], str],
    text: str | None = None,
    actor: str | None = None,
) -> list[str]:
    """Readable lines for one audit entry about a quote: the chain in source names (not ids), spans
    with the words they cover, every other field through :func:`describe_change`."""
    if before is None and after is not None:
        return ["created", f"chain: {snapshot_chain_text(after, label)}", f"status: {after.get('status')}"]
    if after is None:
        return ["deleted", f"chain was: {snapshot_chain_text(before or {}, label)}"]
    assert before is not None
    lines: list[str] = []
    if before.get("speaker_id") != after.get("speaker_id"):
        b, a = before.get("speaker_id"), after.get("speaker_id")
        lines.append(f"speaker: {label(b) if b is not None else '—'} → {label(a) if a is not None else '—'}")
    bh, ah = list(before.get("hops") or ()), list(after.get("hops") or ())
    if bh != ah:
        if [h.get("source_id") for h in bh] == [h.get("source_id") for h in ah]:
            for i, (hb, ha) in enumerate(zip(bh, ah, strict=True)):
                who = f"intermediary {i + 1} ({label(ha.get('source_id'))})"
                if hb.get("relation") != ha.get("relation"):
                    lines.append(f"{who}: relation '{hb.get('relation')}' → '{ha.get('relation')}'")
                if hb.get("evidence") != ha.get("evidence"):
                    was, now = _span_text(hb.get("evidence"), text), _span_text(ha.get("evidence"), text)
                    lines.append(f"{who}: evidence {was} → {now}")
        else:

            def hops(hs: list[Any]) -> str:
                return "[" + ", ".join(_hop_text(h, label) for h in hs) + "]" if hs else "none"

            lines.append(f"intermediaries: {hops(bh)} → {hops(ah)}")
    if before.get("cue") != after.get("cue"):
        lines.append(f"cue: {_span_text(before.get('cue'), text)} → {_span_text(after.get('cue'), text)}")
    handled = {"speaker_id", "hops", "cue", "chain_edited_by"}
    if actor is not None and after.get("status_by") == actor:
        handled.add("status_by")  # "set by whoever made the entry": the Who column says it
    rest_b = {k: v for k, v in before.items() if k not in handled}
    rest_a = {k: v for k, v in after.items() if k not in handled}
    lines += describe_change("quote", rest_b, rest_a)
    return lines


@dataclass(frozen=True)
class HistoryRow:
    """One audit entry, ready to show: who, when, what, and readable before → after lines."""

    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    lines: tuple[str, ...]
    verdict: str | None = None  # for a review entry: approve, request_changes, reject

    @property
    def withdrawn(self) -> bool:
        return "approval withdrawn" in self.action


def history_rows(
    entries: Sequence[HistoryEntry],
    labels: Mapping[int, str],
    article_text: Callable[[int], str | None],
) -> list[HistoryRow]:
    """Readable rows for a quote's audit entries (``Service.history("quote", id)``).

    ``labels`` names sources by id (a missing one reads ``source #id``); ``article_text(id)`` gives
    an article's text to quote spans from, or None (offsets only). Each article is asked once.
    """

    def label(source_id: Any) -> str:
        return labels.get(source_id, f"source #{source_id}") if source_id is not None else "—"

    texts: dict[int, str | None] = {}

    def text_of(snapshot: Mapping[str, Any] | None) -> str | None:
        if not snapshot or "article_id" not in snapshot:
            return None
        aid = snapshot["article_id"]
        if aid not in texts:
            texts[aid] = article_text(aid)
        return texts[aid]

    rows = []
    for e in entries:
        verdict = None
        if e.object_type == "quote":
            lines = quote_change_lines(e.before, e.after, label, text_of(e.after or e.before), e.actor)
        else:
            lines = describe_change(e.object_type, e.before, e.after)
            if e.object_type == "review" and e.after:
                verdict = e.after.get("verdict")
                if e.after.get("reviewer") and e.after.get("reviewer") != e.actor:
                    lines.append(f"reviewer: {e.after['reviewer']}")
        rows.append(HistoryRow(e.seq, e.at, e.actor, e.action, e.object_type, tuple(lines), verdict))
    return rows

"""The project's vocabulary, defined once: statuses, quote types, source kinds, verdicts, relations,
the chain's arrow, and how each value reads in the interface.

The enums' values are what the database, the audit log and the quote-set files store; they never
change. The ``*_LABELS`` mappings are the human words (lower case; capitalise where a label starts
a line). :mod:`annotator.model`, the file formats, the CLI and the GUI all import from here.
"""

from __future__ import annotations

import enum

from annotator.errors import ValidationError


class SourceKind(enum.StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    OUTLET = "outlet"
    ANONYMOUS = "anonymous"


class QuoteType(enum.StrEnum):
    DIRECT = "direct"  # the exact words, in quotation marks
    PARTIAL = "partial"  # a quoted fragment inside reported speech
    INDIRECT = "indirect"  # reported speech, no quotation marks


class Status(enum.StrEnum):
    UNVERIFIED = "unverified"
    NEEDS_REVIEW = "needs_review"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    REJECTED = "rejected"


class Verdict(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
"""Every status value, in workflow order."""


def check_status(value: str) -> str:
    """A status as written by a user (``needs-review``, ``needs review``) as stored, or
    :class:`~annotator.errors.ValidationError` naming the statuses."""
    value = value.replace("-", "_").replace(" ", "_")
    if value not in STATUSES:
        raise ValidationError(f"unknown status {value!r}: use one of {', '.join(STATUSES)}")
    return value


QUOTE_TYPES: tuple[str, ...] = tuple(t.value for t in QuoteType)
SOURCE_KINDS: tuple[str, ...] = tuple(k.value for k in SourceKind)
VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)

RELATIONS = ("according to", "quoted by", "told", "reported by", "via")
"""Suggested hop relations; any non-empty free text is accepted too."""

CHAIN_ARROW = " ← "
"""Between two links of a chain: each name is followed by the one that passed the quote on."""

NO_SPEAKER = "(no speaker)"
"""How a chain without a speaker begins."""

STATUS_LABELS: dict[str, str] = {
    Status.UNVERIFIED.value: "unverified",
    Status.NEEDS_REVIEW.value: "needs review",
    Status.VERIFIED.value: "verified",
    Status.DISPUTED.value: "disputed",
    Status.REJECTED.value: "rejected",
}
"""How each status reads in the interface (lower case)."""

QUOTE_TYPE_LABELS: dict[str, str] = {
    QuoteType.DIRECT.value: "direct",
    QuoteType.PARTIAL.value: "partial",
    QuoteType.INDIRECT.value: "indirect",
}

SOURCE_KIND_LABELS: dict[str, str] = {
    SourceKind.PERSON.value: "person",
    SourceKind.ORGANIZATION.value: "organization",
    SourceKind.OUTLET.value: "outlet",
    SourceKind.ANONYMOUS.value: "anonymous",
}

VERDICT_LABELS: dict[str, str] = {
    Verdict.APPROVE.value: "approve",
    Verdict.REJECT.value: "reject",
    Verdict.REQUEST_CHANGES.value: "request changes",
}


def status_label(status: str) -> str:
    """The words for ``status`` (the value itself when it is unknown)."""
    return STATUS_LABELS.get(status, status)

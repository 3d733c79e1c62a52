"""brat standoff, both ways: one ``NAME.txt`` (the article's canonical text) and one ``NAME.ann`` per
article, with ``annotation.conf`` and ``visual.conf`` so brat shows them, and ``articles.json``
with each article's title, outlet, URL, date, language and byline.

**Offsets.** brat's offsets are character offsets into the ``.txt`` file, 0-based, end exclusive,
counted by brat (a Python program) on the decoded text: Unicode code points, which is what this
project stores. The ``.txt`` is the canonical text byte for byte (UTF-8, ``\\n`` newlines, no BOM,
nothing added), so the offsets are the database's. (Tools that count UTF-16 units, as Java and
JavaScript strings do, disagree on characters outside the Basic Multilingual Plane.) A span that
crosses a newline is written as brat writes one, as fragments split at the newlines
(``T1\\tQuote 10 20;21 30\\t…``), and a newline at either end of a span is left out, as brat
cannot show it; reading, fragments separated only by whitespace are one span.

**The scheme** (``annotation.conf``), per quote:

* ``T`` entities: ``Quote`` (the quote span), ``Cue``, a mention of each source of the chain typed
  by the source's kind (``Person``, ``Organization``, ``Outlet``, ``Anonymous``), and ``Evidence``
  (a hop's evidence span). The database keeps no span for a source's mention: the export marks the
  occurrence of the name (or, for an anonymous source, its descriptor; for a person, the surname
  too) nearest the cue or evidence, or, when the article never names it, the cue (else the quote).
  When the marked text is not the source's name, an ``AnnotatorNotes`` line gives the name.
* ``R`` relations, in chain order: ``Speaker`` (quote → speaker mention), ``Cue`` (quote → cue),
  then one per hop from the previous link to the hop's mention, typed by the hop's relation
  (``According_to``, ``Quoted_by``, ``Told``, ``Reported_by``, ``Via``; any other wording is a
  ``Hop`` relation with the words in an ``AnnotatorNotes`` line), and ``Evidence`` (hop mention →
  evidence span).
* ``A`` attributes on the quote: ``QuoteType`` (direct, partial, indirect) and ``Status``. The
  quote's note is an ``AnnotatorNotes`` line on the quote.

Each quote has its own mention entities, so every chain is a path that reads back unambiguously;
files written by hand may share a speaker mention between quotes. Quotes are written in text order
and numbered from 1 in each file, so the files depend on the annotations only (not on ids or uids):
export → import into an empty database → export gives identical files.

**Import** (:func:`import_brat`) reads and checks every file first: a malformed line, an unknown
type, offsets outside the text, a span whose text is not the article's, a broken chain… refuse the
whole import with the file and line, and the database is not touched. Then, in one operation
(every created row audited; all or nothing): articles are matched by the SHA-256 of their text,
else created; sources are matched by name or alias among sources of the same kind, as quote-set
imports do (anonymous sources are never matched by name: one is created per name and article), and
two candidates refuse the import; a quote already in the article with the same span and chain is
left as it is, one with the same span and another chain is a conflict. Statuses are imported as
written, by the importing user, except "verified": a brat file carries no sign-off, so such a quote
arrives as needs review, with a note saying why (in the quote and in the report). Spans must begin
and end between whole characters (:func:`annotator.anchoring.grapheme_problem`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from annotator import anchoring
from annotator.atomicfile import NotRegularFileError, Staging, check_target
from annotator.canonical import context, is_canonical, sha256_text
from annotator.db import Database
from annotator.errors import ConflictError, ValidationError
from annotator.interop.dataset import ExportResult, InteropError, cancel_check, database, load
from annotator.model import Article, Hop, Quote, QuoteType, Source, SourceAlias, SourceKind, Status
from annotator.records import (
    HopRecord,
    QuoteRecord,
    SourceRecord,
    article_record,
    quote_record,
    source_record,
)
from annotator.service import Service, name_key

log = logging.getLogger(__name__)

IMPORT_ACTION = "import brat"
METADATA_FILE = "articles.json"

KIND_TYPES = {
    SourceKind.PERSON.value: "Person",
    SourceKind.ORGANIZATION.value: "Organization",
    SourceKind.OUTLET.value: "Outlet",
    SourceKind.ANONYMOUS.value: "Anonymous",
}
TYPE_KINDS = {v: k for k, v in KIND_TYPES.items()}
RELATION_TYPES = {
    "according to": "According_to",
    "quoted by": "Quoted_by",
    "told": "Told",
    "reported by": "Reported_by",
    "via": "Via",
}
TYPE_RELATIONS = {v: k for k, v in RELATION_TYPES.items()}
HOP = "Hop"
ENTITY_TYPES = ("Quote", "Cue", "Evidence", *KIND_TYPES.values())
ATTRIBUTES = {"QuoteType": tuple(t.value for t in QuoteType), "Status": tuple(s.value for s in Status)}

_HOP_TYPES = (*RELATION_TYPES.values(), HOP)
_LINK = "|".join(KIND_TYPES.values())

ANNOTATION_CONF = f"""\
# Quote Annotator: quotes, their cues, and the chain of sources each passed through.
# Written by `annotator export --format brat`; read back by `annotator import-brat`.

[entities]

Quote
Cue
Evidence
{chr(10).join(KIND_TYPES.values())}

[relations]

Speaker\tArg1:Quote, Arg2:{_LINK}
Cue\tArg1:Quote, Arg2:Cue
{chr(10).join(f"{t}{chr(9)}Arg1:Quote|{_LINK}, Arg2:{_LINK}" for t in _HOP_TYPES)}
Evidence\tArg1:{_LINK}, Arg2:Evidence
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]

QuoteType\tArg:Quote, Value:{"|".join(ATTRIBUTES["QuoteType"])}
Status\tArg:Quote, Value:{"|".join(ATTRIBUTES["Status"])}
"""

VISUAL_CONF = """\
[labels]

Quote | Quote | Q
Cue | Cue
Evidence | Evidence | Ev
Person | Person | Per
Organization | Organization | Org
Outlet | Outlet | Out
Anonymous | Anonymous | Anon
Speaker | Speaker | Spk
According_to | according to
Quoted_by | quoted by
Told | told
Reported_by | reported by
Via | via
Hop | hop
QuoteType | Quote type
Status | Status

[drawing]

Quote\tbgColor:#ffe066
Cue\tbgColor:#d0bfff
Evidence\tbgColor:#c5f6fa
Person\tbgColor:#a5d8ff
Organization\tbgColor:#b2f2bb
Outlet\tbgColor:#ffc9c9
Anonymous\tbgColor:#dee2e6
SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken
ARC_DEFAULT\tcolor:black, arrowHead:triangle-5
ATTRIBUTE_DEFAULT\tglyph:*
"""

_WORD = re.compile(r"\w")


# =============================================================================== export


@dataclass
class _Ann:
    """The lines of one ``.ann`` file, numbered as they are added."""

    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def _id(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def span(self, text: str, kind: str, start: int, end: int) -> str:
        ident = self._id("T")
        fragments, pieces = [], []
        pos = start
        for line in text[start:end].split("\n"):
            a, b = pos, pos + len(line)
            pos = b + 1
            if a < b:
                fragments.append(f"{a} {b}")
                pieces.append(line)
        self.lines.append(f"{ident}\t{kind} {';'.join(fragments)}\t{' '.join(pieces)}")
        return ident

    def relation(self, kind: str, arg1: str, arg2: str) -> str:
        ident = self._id("R")
        self.lines.append(f"{ident}\t{kind} Arg1:{arg1} Arg2:{arg2}\t")
        return ident

    def attribute(self, name: str, target: str, value: str) -> None:
        self.lines.append(f"{self._id('A')}\t{name} {target} {value}")

    def note(self, target: str, text: str) -> None:
        flat = " ".join(text.split())
        self.lines.append(f"{self._id('#')}\tAnnotatorNotes {target}\t{flat}")

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)


class _Mentions:
    """Where an article names a source: occurrences of its forms, searched once per form."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._hits: dict[str, list[int]] = {}

    def _occurrences(self, form: str) -> list[int]:
        hit = self._hits.get(form)
        if hit is None:
            left = r"(?<!\w)" if _WORD.match(form[0]) else ""
            right = r"(?!\w)" if _WORD.match(form[-1]) else ""
            hit = [m.start() for m in re.finditer(left + re.escape(form) + right, self.text)]
            self._hits[form] = hit
        return hit

    def find(self, src: SourceRecord, anchor: int, fallback: tuple[int, int]) -> tuple[int, int]:
        forms = []
        if src.kind == SourceKind.ANONYMOUS.value and src.descriptor:
            forms.append(src.descriptor)
        forms.append(src.name)
        words = src.name.split()
        if src.kind == SourceKind.PERSON.value and len(words) > 1 and len(words[-1]) > 2:
            forms.append(words[-1])
        best: tuple[int, int, int] | None = None
        for form in dict.fromkeys(f for f in forms if f.strip()):
            for pos in self._occurrences(form):
                key = (abs(pos - anchor), -len(form), pos)
                if best is None or key < best:
                    best = key
        if best is None:
            return fallback
        return best[2], best[2] - best[1]


def _mention_note(src: SourceRecord, shown: str) -> str | None:
    """What a mention's AnnotatorNotes line says: the source's name when the marked text is not
    it, and for an anonymous source whose descriptor is not the marked text, ``name | descriptor``."""
    if src.kind == SourceKind.ANONYMOUS.value and src.descriptor and src.descriptor != shown:
        return f"{src.name} | {src.descriptor}"
    return src.name if shown != src.name else None


def _sort_key(q: QuoteRecord, sources: dict[int, SourceRecord]) -> tuple[Any, ...]:
    def who(sid: int | None) -> tuple[str, str, str]:
        if sid is None:
            return ("", "", "")
        s = sources[sid]
        return (s.kind, s.name, s.descriptor or "")

    return (
        q.start, q.end, q.type, q.cue or (-1, -1), who(q.speaker_id),
        tuple((who(h.source_id), h.relation, h.evidence or (-1, -1)) for h in q.hops),
        q.status, q.note or "",
    )  # fmt: skip


def write_ann(text: str, quotes: Iterable[QuoteRecord], sources: dict[int, SourceRecord]) -> str:
    """The ``.ann`` text of one article's quotes (see the module docstring)."""
    ann = _Ann()
    mentions = _Mentions(text)
    for q in sorted(quotes, key=lambda q: _sort_key(q, sources)):
        tq = ann.span(text, "Quote", q.start, q.end)
        notes: list[tuple[str, str]] = []
        relations: list[tuple[str, str, str, str | None]] = []
        if q.note:
            notes.append((tq, q.note))
        fallback = q.cue or (q.start, q.end)
        if q.cue is not None:
            tc = ann.span(text, "Cue", *q.cue)
            relations.append(("Cue", tq, tc, None))
        previous = tq
        if q.speaker_id is not None:
            src = sources[q.speaker_id]
            start, end = mentions.find(src, q.cue[0] if q.cue else q.start, fallback)
            previous = ann.span(text, KIND_TYPES[src.kind], start, end)
            relations.insert(0, ("Speaker", tq, previous, None))
            note = _mention_note(src, text[start:end])
            if note:
                notes.append((previous, note))
        for hop in q.hops:
            src = sources[hop.source_id]
            anchor = hop.evidence[0] if hop.evidence else (q.cue[0] if q.cue else q.start)
            start, end = mentions.find(src, anchor, hop.evidence or fallback)
            tm = ann.span(text, KIND_TYPES[src.kind], start, end)
            note = _mention_note(src, text[start:end])
            if note:
                notes.append((tm, note))
            kind = RELATION_TYPES.get(hop.relation, HOP)
            relations.append((kind, previous, tm, hop.relation if kind == HOP else None))
            if hop.evidence is not None:
                te = ann.span(text, "Evidence", *hop.evidence)
                relations.append(("Evidence", tm, te, None))
            previous = tm
        for kind, a, b, words in relations:
            r = ann.relation(kind, a, b)
            if words is not None:
                notes.append((r, words))
        ann.attribute("QuoteType", tq, q.type)
        ann.attribute("Status", tq, q.status)
        for target, note in notes:
            ann.note(target, note)
    return ann.text()


def _file_names(articles: Iterable[Any]) -> dict[int, str]:
    """A file name (without suffix) per article: its file's stem, made safe and unique."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for a in sorted(articles, key=lambda a: (a.filename or "", a.text_sha256)):
        stem = Path(a.filename).stem if a.filename else ""
        stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-") or f"article-{a.text_sha256[:12]}"
        name, n = stem, 1
        while name.casefold() in used or name.casefold() in ("annotation", "visual", "articles"):
            n += 1
            name = f"{stem}-{n}"
        used.add(name.casefold())
        out[a.id] = name
    return out


def export_brat(
    db_or_service: Database | Service,
    directory: str | Path,
    *,
    status: str = "verified",
    article_ids: Iterable[int] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the selected quotes (``status`` ``"verified"`` or ``"all"``; ``article_ids``: only
    those articles) as a brat collection in ``directory`` (created if needed): per article
    ``NAME.txt`` and ``NAME.ann``, plus ``annotation.conf``, ``visual.conf`` and ``articles.json``.

    Every file is written beside its target and renamed into place once all are ready; files of
    the directory that this export does not write are left alone. ``cancel`` is polled between
    articles; when it returns true the export stops (:class:`InteropError`) and nothing is written."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InteropError(directory, "is a file, not a directory")
    data = load(database(db_or_service), status=status, article_ids=article_ids, with_text=True)
    names = _file_names(data.articles.values())
    by_article: dict[int, list[QuoteRecord]] = defaultdict(list)
    for q in data.quotes:
        by_article[q.article_id].append(q)
    files: dict[str, bytes] = {
        "annotation.conf": ANNOTATION_CONF.encode("utf-8"),
        "visual.conf": VISUAL_CONF.encode("utf-8"),
    }
    meta: dict[str, Any] = {}
    check = cancel_check(directory, cancel)
    for aid, art in data.articles.items():
        check()
        name = names[aid]
        text = data.texts[aid]
        files[f"{name}.txt"] = text.encode("utf-8")
        files[f"{name}.ann"] = write_ann(text, by_article[aid], data.sources).encode("utf-8")
        outlet = data.sources[art.outlet_id].name if art.outlet_id is not None else None
        meta[name] = {
            "title": art.title, "outlet": outlet, "url": art.url, "published": art.published,
            "language": art.language, "byline": art.byline, "text_sha256": art.text_sha256,
        }  # fmt: skip
    files[METADATA_FILE] = (json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    directory.mkdir(parents=True, exist_ok=True)
    try:
        for fname in files:
            check_target(directory / fname)
        with Staging() as stage:
            staging = stage.folder(directory, ".brat-export-")
            for fname, payload in files.items():
                (staging / fname).write_bytes(payload)
            for fname in files:
                (staging / fname).replace(directory / fname)
    except NotRegularFileError as e:
        raise InteropError(directory / Path(e.filename).name, e.strerror or str(e)) from e
    listing = "".join(f"{n}\0{hashlib.sha256(files[n]).hexdigest()}\n" for n in sorted(files))
    digest = hashlib.sha256(listing.encode()).hexdigest()
    log.info("exported %d quote(s) of %d article(s) as brat to %s", len(data.quotes), len(names), directory)
    return ExportResult(
        directory, "brat", len(data.quotes), len(data.articles), len(data.sources), digest,
        sum(map(len, files.values())), tuple(sorted(directory / n for n in files)),
    )  # fmt: skip


# =============================================================================== import


@dataclass(frozen=True)
class _Span:
    ident: str
    type: str
    start: int
    end: int
    line: int


@dataclass
class _Doc:
    """One ``.ann`` file, parsed and checked."""

    path: Path
    text: str
    spans: dict[str, _Span] = field(default_factory=dict)
    relations: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # id, type, a1, a2, line
    attributes: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceRef:
    kind: str
    name: str
    descriptor: str | None
    line: int


@dataclass(frozen=True)
class ParsedQuote:
    line: int
    start: int
    end: int
    type: str | None
    status: str
    cue: tuple[int, int] | None
    speaker: SourceRef | None
    hops: tuple[tuple[SourceRef, str, tuple[int, int] | None], ...]
    note: str | None


@dataclass(frozen=True)
class ParsedArticle:
    name: str
    txt: Path
    ann: Path
    text: str
    meta: dict[str, Any]
    quotes: tuple[ParsedQuote, ...]


@dataclass
class BratImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    directory: Path
    dry_run: bool
    articles_created: list[str] = field(default_factory=list)
    articles_matched: list[str] = field(default_factory=list)
    quotes_created: int = 0
    quotes_unchanged: int = 0
    sources_created: list[str] = field(default_factory=list)
    sources_matched: list[str] = field(default_factory=list)
    audit_seq: int | None = None
    notes: list[str] = field(default_factory=list)
    """What was changed on the way in (a "verified" quote arrives as needs review)."""

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{self.directory}: {verb} {self.quotes_created} quote(s) "
            f"({self.quotes_unchanged} already there), {len(self.articles_created)} new article(s) "
            f"({len(self.articles_matched)} matched), {len(self.sources_created)} new source(s) "
            f"({len(self.sources_matched)} matched)"
        ) + "".join(f"\n  note: {n}" for n in self.notes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory), "dry_run": self.dry_run,
            "articles_created": self.articles_created, "articles_matched": self.articles_matched,
            "quotes_created": self.quotes_created, "quotes_unchanged": self.quotes_unchanged,
            "sources_created": self.sources_created, "sources_matched": self.sources_matched,
            "audit_seq": self.audit_seq, "notes": self.notes,
        }  # fmt: skip


_ID = re.compile(r"([TRAM#NE*])(\d*)\S*")
_OFFSETS = re.compile(r"\d+ \d+(;\d+ \d+)*")


class BratConflictError(InteropError, ConflictError):
    """A brat import that disagrees with the database (a name matching two sources, a quote whose
    chain differs from the one already at that span); nothing was written."""


def _fail(path: Path, line: int | None, reason: str) -> InteropError:
    return InteropError(path, reason, line=line)


def read_ann(path: Path, text: str) -> _Doc:
    """Parse and check one ``.ann`` file against its text; :class:`InteropError` names the line."""
    doc = _Doc(path, text)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, None, f"is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    seen: set[str] = set()
    for n, line in enumerate(raw.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        m = _ID.match(line)
        if m is None or "\t" not in line:
            raise _fail(path, n, f"not a brat annotation line: {line[:60]!r}")
        ident, _, rest = line.partition("\t")
        if ident in seen and ident != "*":
            raise _fail(path, n, f"the id {ident} is used twice")
        seen.add(ident)
        prefix = m.group(1)
        if prefix == "T":
            _read_span(doc, ident, rest, n)
        elif prefix == "R":
            fields = rest.split("\t")[0].split()
            if len(fields) != 3 or not fields[1].startswith("Arg1:") or not fields[2].startswith("Arg2:"):
                raise _fail(path, n, f"a relation is 'TYPE Arg1:ID Arg2:ID', not {rest[:60]!r}")
            kind, a1, a2 = fields[0], fields[1][5:], fields[2][5:]
            if kind not in ("Speaker", "Cue", "Evidence", *_HOP_TYPES):
                raise _fail(path, n, f"unknown relation type {kind!r} (see annotation.conf)")
            doc.relations.append((ident, kind, a1, a2, n))
        elif prefix in "AM":
            fields = rest.split("\t")[0].split()
            if len(fields) != 3:
                raise _fail(path, n, f"an attribute is 'NAME ID VALUE', not {rest[:60]!r}")
            name, target, value = fields
            if name not in ATTRIBUTES:
                raise _fail(path, n, f"unknown attribute {name!r}: use {' or '.join(ATTRIBUTES)}")
            if value not in ATTRIBUTES[name]:
                raise _fail(path, n, f"{name} {value!r} is not one of {', '.join(ATTRIBUTES[name])}")
            if (target, name) in doc.attributes:
                raise _fail(path, n, f"{target} has a second {name}")
            doc.attributes[(target, name)] = (value, n)
        elif prefix == "#":
            head, _, note = rest.partition("\t")
            fields = head.split()
            if len(fields) != 2 or fields[0] != "AnnotatorNotes":
                raise _fail(path, n, f"a note is 'AnnotatorNotes ID<TAB>text', not {rest[:60]!r}")
            doc.notes[fields[1]] = note.strip()
        elif prefix == "E":
            raise _fail(path, n, "events are not part of the quote annotation scheme (see annotation.conf)")
        # N (normalizations) and * (equivalences) say nothing the quotes need: skipped.
    for ident, _kind, a1, a2, n in doc.relations:
        for arg in (a1, a2):
            if arg not in doc.spans:
                raise _fail(path, n, f"{ident} refers to {arg}, which is not a text annotation of this file")
    for (target, name), (_value, n) in doc.attributes.items():
        if target not in doc.spans or doc.spans[target].type != "Quote":
            raise _fail(path, n, f"{name} applies to a Quote; {target} is not one")
    return doc


def _read_span(doc: _Doc, ident: str, rest: str, n: int) -> None:
    head, tab, shown = rest.partition("\t")
    kind, _, offsets = head.partition(" ")
    if not tab or not _OFFSETS.fullmatch(offsets):
        raise _fail(doc.path, n, f"a text annotation is 'TYPE START END<TAB>text', not {rest[:60]!r}")
    if kind not in ENTITY_TYPES:
        raise _fail(doc.path, n, f"unknown entity type {kind!r}: use one of {', '.join(ENTITY_TYPES)}")
    pieces = [tuple(map(int, frag.split())) for frag in offsets.split(";")]
    text = doc.text
    for a, b in pieces:
        if not 0 <= a < b <= len(text):
            raise _fail(
                doc.path, n, f"{ident}: span {a}-{b} does not fit the text ({len(text):,} characters)"
            )
    for (_, b), (a, _) in zip(pieces, pieces[1:], strict=False):
        if a < b or text[b:a].strip():
            raise _fail(
                doc.path, n, f"{ident}: discontinuous spans are not supported (text between {b} and {a})"
            )
    expected = " ".join(text[a:b] for a, b in pieces)
    if shown != expected:
        raise _fail(
            doc.path,
            n,
            f"{ident}: the text {shown[:40]!r} is not the article's {expected[:40]!r} at {offsets}",
        )
    doc.spans[ident] = _Span(ident, kind, pieces[0][0], pieces[-1][1], n)


def _quotes(doc: _Doc) -> tuple[ParsedQuote, ...]:
    out_rel: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)  # by Arg1
    for ident, kind, a1, a2, n in doc.relations:
        out_rel[a1].append((ident, kind, a2, n))
    incoming_speaker: dict[str, int] = defaultdict(int)
    for _ident, kind, _a1, a2, _n in doc.relations:
        if kind == "Speaker":
            incoming_speaker[a2] += 1
    # Check every relation's argument types, as annotation.conf says.
    for ident, kind, a1, a2, n in doc.relations:
        t1, t2 = doc.spans[a1].type, doc.spans[a2].type
        ok = {
            "Speaker": t1 == "Quote" and t2 in TYPE_KINDS,
            "Cue": t1 == "Quote" and t2 == "Cue",
            "Evidence": t1 in TYPE_KINDS and t2 == "Evidence",
        }.get(kind, (t1 == "Quote" or t1 in TYPE_KINDS) and t2 in TYPE_KINDS)
        if not ok:
            raise _fail(doc.path, n, f"{ident}: a {kind} relation cannot go from a {t1} to a {t2}")
    quotes = []
    for span in sorted(doc.spans.values(), key=lambda s: s.line):
        if span.type != "Quote":
            continue
        rels = out_rel.get(span.ident, [])

        def only(kind: str, rels: list[tuple[str, str, str, int]] = rels, q: _Span = span) -> str | None:
            found = [r for r in rels if r[1] == kind]
            if len(found) > 1:
                raise _fail(doc.path, found[1][3], f"{q.ident} has a second {kind} relation")
            return found[0][2] if found else None

        cue_id = only("Cue")
        speaker_id = only("Speaker")
        speaker = _source(doc, speaker_id) if speaker_id else None
        hops = []
        node = speaker_id or span.ident
        visited = {span.ident, *([speaker_id] if speaker_id else [])}
        while True:
            steps = [r for r in out_rel.get(node, []) if r[1] in _HOP_TYPES]
            if not steps:
                break
            if len(steps) > 1:
                raise _fail(
                    doc.path, steps[1][3], f"the chain forks at {node}: a link passes the quote on once"
                )
            ident, kind, target, n = steps[0]
            if target in visited:
                raise _fail(doc.path, n, f"{ident}: the chain comes back to {target}")
            if node != span.ident and incoming_speaker.get(node, 0) > 1 and node == speaker_id:
                raise _fail(
                    doc.path, n, f"{node} is the speaker of several quotes: give each quote its own mention"
                )
            visited.add(target)
            relation = TYPE_RELATIONS.get(kind) or doc.notes.get(ident, "").strip()
            if not relation:
                raise _fail(
                    doc.path, n, f"{ident}: a Hop relation needs its wording in an AnnotatorNotes line"
                )
            evidence = [r for r in out_rel.get(target, []) if r[1] == "Evidence"]
            if len(evidence) > 1:
                raise _fail(doc.path, evidence[1][3], f"{target} has a second Evidence relation")
            ev = doc.spans[evidence[0][2]] if evidence else None
            hops.append((_source(doc, target), relation, (ev.start, ev.end) if ev else None))
            node = target
        type_ = doc.attributes.get((span.ident, "QuoteType"))
        status = doc.attributes.get((span.ident, "Status"))
        cue = doc.spans[cue_id] if cue_id else None
        quotes.append(
            ParsedQuote(
                line=span.line,
                start=span.start,
                end=span.end,
                type=type_[0] if type_ else None,
                status=status[0] if status else Status.UNVERIFIED.value,
                cue=(cue.start, cue.end) if cue else None,
                speaker=speaker,
                hops=tuple(hops),
                note=doc.notes.get(span.ident) or None,
            )  # fmt: skip
        )
    return tuple(quotes)


def _source(doc: _Doc, ident: str) -> SourceRef:
    span = doc.spans[ident]
    shown = doc.text[span.start : span.end]
    kind = TYPE_KINDS[span.type]
    shown = " ".join(shown.split())
    note = doc.notes.get(ident, "")
    descriptor = shown if kind == SourceKind.ANONYMOUS.value else None
    if descriptor is not None and " | " in note:
        note, descriptor = (part.strip() for part in note.rsplit(" | ", 1))
    return SourceRef(kind, note or shown, descriptor, span.line)


def read_collection(directory: str | Path) -> list[ParsedArticle]:
    """Read and check every ``.txt``/``.ann`` pair of a brat directory (sorted by name)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InteropError(directory, "is not a directory")
    meta: dict[str, Any] = {}
    meta_path = directory / METADATA_FILE
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise _fail(meta_path, line, f"is not valid JSON ({exc})") from None
        if not isinstance(meta, dict) or not all(isinstance(v, dict) for v in meta.values()):
            raise _fail(meta_path, None, "must map each file name to its article's title, outlet, url…")
    anns = sorted(directory.glob("*.ann"))
    if not anns:
        raise InteropError(directory, "holds no .ann file")
    out = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            raise InteropError(ann, f"has no text file {txt.name}")
        data = txt.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            raise _fail(txt, 1, "starts with a byte order mark: brat would count it in every offset")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(txt, data.count(b"\n", 0, exc.start) + 1, f"is not UTF-8 ({exc.reason})") from None
        if not text:
            raise InteropError(txt, "is empty")
        if not is_canonical(text):
            raise InteropError(
                txt, "is not canonical text (\\r newlines, control characters or not NFC): its offsets "
                "would not match the stored article",
            )  # fmt: skip
        doc = read_ann(ann, text)
        article_meta = meta.get(ann.stem, {})
        out.append(ParsedArticle(ann.stem, txt, ann, text, article_meta, _quotes(doc)))
    return out


class _Rollback(Exception):
    pass


def import_brat(service: Service, directory: str | Path, *, dry_run: bool = False) -> BratImportReport:
    """Import a brat directory (see the module docstring), all or nothing.

    Every file is read and checked first; a refused file raises :class:`InteropError` (file, line,
    reason) and the database is not touched. A conflict (a name matching two sources, a quote
    whose chain differs from the one already at that span) raises :class:`BratConflictError` (an
    :class:`InteropError` and a :class:`ConflictError`) and nothing is written. ``dry_run``
    reports what would change and writes nothing."""
    directory = Path(directory)
    articles = read_collection(directory)
    report = BratImportReport(directory, dry_run)
    try:
        with service.operation(IMPORT_ACTION) as op:
            writer = _Writer(service, op, report)
            for art in articles:
                writer.article(art)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ValidationError as exc:
        raise InteropError(directory, f"import refused, nothing was written: {exc}") from exc
    else:
        report.audit_seq = op.result.audit_seq
    log.info("%s", report.summary())
    return report


class _Writer:
    def __init__(self, service: Service, op: Any, report: BratImportReport) -> None:
        self.svc = service
        self.op = op
        self.s = op.session
        self.report = report
        self.anonymous: dict[tuple[int, str, str | None], int] = {}

    def article(self, art: ParsedArticle) -> None:
        s, op = self.s, self.op
        sha = sha256_text(art.text)
        row = s.scalar(select(Article).where(Article.text_sha256 == sha))
        if row is not None:
            self.report.articles_matched.append(art.name)
        else:
            m = art.meta
            outlet_id = self.svc._outlet_for(op, m["outlet"]) if m.get("outlet") else None
            published = None
            if m.get("published"):
                try:
                    published = dt.date.fromisoformat(m["published"])
                except (TypeError, ValueError):
                    raise _fail(
                        art.txt.parent / METADATA_FILE, None, f"{art.name}: bad date {m['published']!r}"
                    ) from None
            row = Article(
                uid=str(uuid.uuid4()), title=(m.get("title") or art.name)[:500], outlet_id=outlet_id,
                url=m.get("url"), byline=m.get("byline"), published=published, language=m.get("language"),
                filename=art.txt.name, format="txt", encoding="utf-8", raw_sha256=sha, text_sha256=sha,
                text=art.text, text_length=len(art.text), imported_at=op.at, imported_by=self.svc.user,
            )  # fmt: skip
            s.add(row)
            s.flush()
            op.record(None, article_record(row))
            self.report.articles_created.append(art.name)
        existing = {(q.start, q.end): q for q in s.scalars(select(Quote).where(Quote.article_id == row.id))}
        for pq in art.quotes:
            self.quote(art, row, pq, existing)

    def source(self, art: ParsedArticle, article_id: int, ref: SourceRef) -> int:
        if ref.kind == SourceKind.ANONYMOUS.value:
            key = (article_id, ref.name, ref.descriptor)
            if key not in self.anonymous:
                src = self.svc._new_source(self.op, kind=ref.kind, name=ref.name, descriptor=ref.descriptor)
                self.report.sources_created.append(ref.name)
                self.anonymous[key] = src.id
            return self.anonymous[key]
        k = name_key(ref.name)
        alias_ids = select(SourceAlias.source_id).where(SourceAlias.alias_key == k)
        found = list(
            self.s.scalars(
                select(Source)
                .where(Source.kind == ref.kind, (Source.name_key == k) | Source.id.in_(alias_ids))
                .order_by(Source.id)
            )
        )
        if len(found) > 1:
            listing = ", ".join(f"#{f.id} {f.name}" for f in found)
            raise BratConflictError(
                art.ann, f"{ref.name!r} matches {len(found)} {ref.kind} sources ({listing})", line=ref.line
            )
        if found:
            if ref.name not in self.report.sources_matched:
                self.report.sources_matched.append(ref.name)
            return found[0].id
        src = self.svc._new_source(self.op, kind=ref.kind, name=ref.name)
        self.report.sources_created.append(ref.name)
        return src.id

    def _same_chain(self, old: Quote, qtype: str, pq: ParsedQuote) -> bool:
        """Whether the quote already at that span has the parsed type, cue and chain (sources
        compared as matching would: kind and name or alias; anonymous ones by name and descriptor)."""
        rec = quote_record(old, self.s.scalars(select(Hop).where(Hop.quote_id == old.id)).all())
        if (rec.type, rec.cue, len(rec.hops)) != (qtype, pq.cue, len(pq.hops)):
            return False
        if (rec.speaker_id is None) != (pq.speaker is None):
            return False

        def same(source_id: int, ref: SourceRef) -> bool:
            src = source_record(self.svc._source(self.s, source_id))
            if src.kind != ref.kind:
                return False
            if ref.kind == SourceKind.ANONYMOUS.value:
                return (src.name, src.descriptor) == (ref.name, ref.descriptor)
            return name_key(ref.name) in {name_key(n) for n in (src.name, *src.aliases)}

        if rec.speaker_id is not None and pq.speaker is not None and not same(rec.speaker_id, pq.speaker):
            return False
        return all(
            same(h.source_id, ref) and h.relation == relation and h.evidence == ev
            for h, (ref, relation, ev) in zip(rec.hops, pq.hops, strict=True)
        )

    def quote(
        self, art: ParsedArticle, row: Article, pq: ParsedQuote, existing: dict[tuple[int, int], Quote]
    ) -> None:
        s, op = self.s, self.op
        qtype = pq.type or anchoring.guess_type(art.text, pq.start, pq.end)
        old = existing.get((pq.start, pq.end))
        if old is not None:
            if self._same_chain(old, qtype, pq):
                self.report.quotes_unchanged += 1
                return
            raise BratConflictError(
                art.ann, f"conflict: quote {old.id} at {pq.start}-{pq.end} has another chain", line=pq.line
            )
        speaker_id = self.source(art, row.id, pq.speaker) if pq.speaker else None
        hops = [HopRecord(self.source(art, row.id, ref), relation, ev) for ref, relation, ev in pq.hops]
        try:
            for what, span in (
                ("span", (pq.start, pq.end)),
                ("cue", pq.cue),
                *((f"hop {i + 1} evidence", h.evidence) for i, h in enumerate(hops)),
            ):
                if span is not None:
                    anchoring.check_span(len(art.text), *span, title=row.title, what=what)
                    anchoring.check_graphemes(art.text, *span, what=what)
            self.svc._validate_chain(s, row, speaker_id, hops)
        except ValidationError as exc:
            raise _fail(art.ann, pq.line, str(exc)) from None
        status, note = pq.status, pq.note
        if status == Status.VERIFIED.value:
            # brat carries no sign-off: verification is the reviewers' to give here, as in the app.
            status = Status.NEEDS_REVIEW.value
            why = "arrived as needs review, not verified: a brat file carries no reviewer's sign-off"
            note = f"{note}\n[{IMPORT_ACTION}] {why}" if note else f"[{IMPORT_ACTION}] {why}"
            self.report.notes.append(f"{art.ann.name}:{pq.line}: quote at {pq.start}-{pq.end} {why}")
        prefix, suffix = context(art.text, pq.start, pq.end)
        cue = pq.cue or (None, None)
        q = Quote(
            uid=str(uuid.uuid4()), article_id=row.id, article_length=row.text_length, start=pq.start,
            end=pq.end, text=art.text[pq.start : pq.end], prefix=prefix, suffix=suffix, type=qtype,
            cue_start=cue[0], cue_end=cue[1], speaker_id=speaker_id, status=status, note=note,
            created_by=self.svc.user, created_at=op.at, chain_edited_by=self.svc.user, chain_edited_at=op.at,
        )  # fmt: skip
        if status != Status.UNVERIFIED.value:
            q.status_by, q.status_at = self.svc.user, op.at
        s.add(q)
        s.flush()
        for i, h in enumerate(hops):
            ev = h.evidence or (None, None)
            s.add(Hop(quote_id=q.id, position=i, source_id=h.source_id, relation=h.relation,
                      evidence_start=ev[0], evidence_end=ev[1]))  # fmt: skip
        s.flush()
        hop_rows = s.scalars(select(Hop).where(Hop.quote_id == q.id)).all()
        op.record(None, quote_record(q, hop_rows))
        existing[(pq.start, pq.end)] = q
        self.report.quotes_created += 1


__all__ = [
    "ANNOTATION_CONF",
    "BratConflictError",
    "BratImportReport",
    "VISUAL_CONF",
    "export_brat",
    "import_brat",
    "read_collection",
    "write_ann",
]

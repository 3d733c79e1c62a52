"""Verified quote sets as XML (formats 1.0, 1.1): streamed export, validation, a hostile-input reader.

The format is defined by ``schemas/quoteset-1.0.xsd`` (namespace :data:`NAMESPACE`) and described
for partners in ``docs/quoteset-format.md``. Format 1.1 (``schemas/quoteset-1.1.xsd``, the same
namespace) adds which version of an article a text is and which version each sign-off was made
on; a set is written as 1.0 when it has nothing to say about versions, and both are read.
This module converts between the plain dataclasses of
:mod:`annotator.quotesets.model` and files; it never touches the database.

* :func:`write_quoteset` streams the set to a temporary file beside the target, validates it
  against the schema (streaming, flat memory), writes a ``FILE.sha256`` sidecar and moves both into
  place. A failed, invalid or cancelled export leaves an existing file untouched.
* :func:`read_quoteset` reads an untrusted file: size cap, no compression, no DOCTYPE (so no
  entities or DTDs at all), no XInclude, bounded nesting, schema validation, then semantic checks
  (hashes, offsets, contexts, descriptors, chains). Every refusal is a
  :class:`~annotator.errors.QuoteSetError` naming the file, the line when known, and the reason.
* :func:`verify_export` checks a written file against its sidecar and the schema.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import os
import re
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from annotator import paths
from annotator.atomicfile import NotRegularFileError, Staging, check_target, copy_mode
from annotator.canonical import CONTEXT_CHARS, sha256_text, xml_illegal_chars
from annotator.errors import QuoteSetError
from annotator.quotesets.model import (
    FILTER_STATUSES,
    QUOTE_TYPES,
    SOURCE_KINDS,
    STATUSES,
    VERDICTS,
    QuoteSet,
    SetArticle,
    SetHeader,
    SetHop,
    SetQuote,
    SetSource,
    SignOff,
)

log = logging.getLogger(__name__)

FORMAT_VERSION = "1.0"
"""The format of a set that says nothing about article versions (every text is version 1)."""
VERSIONED_FORMAT = "1.1"
"""The minor version that adds article versions: ``article/@version``, ``article/@versionOf`` and
``signoff/@version`` (the version a chain was reviewed on). A 1.1 reader reads 1.0 files."""
FORMAT_VERSIONS = (FORMAT_VERSION, VERSIONED_FORMAT)
NAMESPACE = "urn:quote-annotator:quoteset:1.0"
"""The same for every 1.x version: a minor version only adds optional attributes."""
SCHEMA_FILE = "quoteset-1.0.xsd"
SCHEMA_FILES = {FORMAT_VERSION: SCHEMA_FILE, VERSIONED_FORMAT: "quoteset-1.1.xsd"}
XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
"""Default size cap of :func:`read_quoteset`."""
MAX_DEPTH = 64
"""Deepest element nesting a reader accepts (the format needs 6)."""
MAX_TEXT_BYTES = 10_000_000
"""Largest text node (UTF-8 bytes) libxml2 parses without ``huge_tree``: an article text longer
than this cannot be exported, since no safe reader could import it."""

MAX_ITEM_ELEMENTS = 100_000
"""Most elements a reader accepts in one source, article, quote or header (a quote needs a
dozen or so); bounds the memory a hostile file can make the parser hold."""

_CHUNK = 1 << 16
_NS = f"{{{NAMESPACE}}}"


def _q(local: str) -> str:
    return _NS + local


# Tags, precomputed.
T_ROOT, T_HEADER, T_SOURCES, T_ARTICLES, T_QUOTES = (
    _q(x) for x in ("quoteSet", "header", "sources", "articles", "quotes")
)
T_CREATED, T_CREATED_BY, T_TOOL, T_FILTER, T_AUDIT, T_FOUR_EYES = (
    _q(x) for x in ("created", "createdBy", "tool", "filter", "auditHead", "fourEyes")
)
T_SOURCE, T_NAME, T_DESCRIPTOR, T_ROLE, T_NATIONALITY, T_ALIAS, T_EXTERNAL_ID = (
    _q(x) for x in ("source", "name", "descriptor", "role", "nationality", "alias", "externalId")
)
T_ARTICLE, T_TITLE, T_URL, T_BYLINE, T_TEXT = (_q(x) for x in ("article", "title", "url", "byline", "text"))
T_QUOTE, T_PREFIX, T_SUFFIX, T_CUE, T_CHAIN, T_HOP, T_EVIDENCE = (
    _q(x) for x in ("quote", "prefix", "suffix", "cue", "chain", "hop", "evidence")
)
T_EVIDENCE_URL, T_ARCHIVE_URL, T_NOTE, T_STATUS_CHANGE, T_SIGNOFFS, T_SIGNOFF, T_COMMENT = (
    _q(x) for x in ("evidenceUrl", "archiveUrl", "note", "statusChange", "signoffs", "signoff", "comment")
)


# ----------------------------------------------------------------------------------------- schema


def schema_path(version: str = FORMAT_VERSION) -> Path:
    """Path of the schema of a format version (``quoteset-1.0.xsd``, ``quoteset-1.1.xsd``), in
    :func:`annotator.paths.schemas_dir`."""
    return paths.schemas_dir() / SCHEMA_FILES[version]


@functools.cache
def load_schema(version: str = FORMAT_VERSION) -> etree.XMLSchema:
    """The schema of a format version, loaded once (offline: it imports nothing)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(schema_path(version)), parser))


# Elements the streaming validator frees as they end; every other element is inside one of them.
_STREAM_FREED = (T_SOURCE, T_ARTICLE, T_QUOTE, T_HEADER, T_ROOT)

# An XMLSchema object is not safe to use from two threads at once (it keeps one error log).
_SCHEMA_LOCK = threading.Lock()


# ----------------------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportResult:
    """What :func:`write_quoteset` wrote."""

    path: Path
    sha256: str
    """Hex SHA-256 of the file, as written to the sidecar."""
    sidecar: Path
    size: int
    """File size in bytes."""
    sources: int
    articles: int
    quotes: int


class ExportCancelled(QuoteSetError):
    """The ``cancel`` callable of :func:`write_quoteset` asked to stop; nothing was written."""


def sidecar_path(path: str | os.PathLike[str]) -> Path:
    """The checksum sidecar of an export: ``FILE.sha256`` beside ``FILE``."""
    path = Path(path)
    return path.with_name(path.name + ".sha256")


def write_quoteset(
    path: str | os.PathLike[str],
    header: SetHeader,
    sources: Iterable[SetSource],
    articles: Iterable[SetArticle],
    quotes: Iterable[SetQuote],
    *,
    cancel: Callable[[], bool] | None = None,
) -> ExportResult:
    """Export a quote set to ``path`` as XML, atomically, with a ``FILE.sha256`` sidecar.

    The iterables may be generators: items are written one at a time, so memory does not hold
    the quotes; it holds the article texts (to check the quotes against them) and, while the
    file is validated, libxml2's identity-constraint tables (about 1 KB per quote: some 115 MB
    for 100,000 quotes, against about 900 MB for validating a parsed tree). The caller gives
    items in a stable order; the output is then byte-for-byte deterministic.

    Each item is checked before it is written (characters XML cannot carry, offsets and context
    against its article, anonymous descriptors, chains), the finished file is validated against
    the schema, and only then moved over ``path``. ``cancel`` is polled between items; when it
    returns true the export stops with :class:`ExportCancelled`. On any failure (including an
    exception raised by an iterable, or ``KeyboardInterrupt``) an existing ``path`` is left
    untouched and no temporary file remains.

    Raises :class:`~annotator.errors.QuoteSetError` for data that cannot be exported.
    """
    path = Path(path)
    sidecar = sidecar_path(path)
    try:
        with Staging(path, sidecar) as staging:
            try:
                fd, tmp = staging.new(path)
            except OSError as e:
                raise QuoteSetError(path, f"cannot write here: {e.strerror or e}") from e
            with os.fdopen(fd, "wb") as raw:
                counts = _Writer(path, raw, cancel).write(header, sources, articles, quotes)
                raw.flush()
                os.fsync(raw.fileno())
            digest = _validate_file(tmp, display=path, version=header.format_version)
            size = tmp.stat().st_size
            sfd, sidecar_tmp = staging.new(sidecar)
            with os.fdopen(sfd, "w", encoding="utf-8", newline="\n") as out:
                out.write(f"{digest}  {path.name}\n")
                out.flush()
                os.fsync(out.fileno())
            copy_mode(path, tmp)
            copy_mode(sidecar, sidecar_tmp)
            # The file first: a crash between the two leaves a sidecar that no longer matches, which
            # verify_export reports, rather than a stale file passing as verified.
            check_target(path)
            os.replace(tmp, path)
            check_target(sidecar)
            os.replace(sidecar_tmp, sidecar)
    except NotRegularFileError as e:
        raise QuoteSetError(path, f"cannot write here: {e.strerror}") from e
    except OSError as e:
        raise QuoteSetError(path, f"cannot write the export: {e.strerror or e}") from e
    log.info("exported %d quotes (%d articles, %d sources) to %s", counts[2], counts[1], counts[0], path)
    return ExportResult(path, digest, sidecar, size, *counts)


_QUOTE_TEXT_FIELDS = (
    "id", "article", "text", "prefix", "suffix", "type", "speaker", "status", "evidence_url",
    "archive_url", "note", "status_by", "status_at", "created_by", "created_at",
)  # fmt: skip
_SIGNOFF_TEXT_FIELDS = ("reviewer", "at", "verdict", "comment", "chain_sha256")


class _Writer:
    """Streams the elements of one export with ``lxml.etree.xmlfile``; checks each item first."""

    def __init__(self, path: Path, out: IO[bytes], cancel: Callable[[], bool] | None) -> None:
        self.path = path
        self.out = out
        self.cancel = cancel
        self.checker = _Checker(path)
        self.version = FORMAT_VERSION

    def _poll(self) -> None:
        if self.cancel is not None and self.cancel():
            raise ExportCancelled(self.path, "export cancelled")

    def _refuse(self, what: str, reason: str) -> QuoteSetError:
        return QuoteSetError(self.path, f"cannot export {what}: {reason}")

    def _texts_ok(self, what: str, fields: list[tuple[str, str | None]]) -> None:
        """Refuse the item if a text field is not a str or holds a character XML cannot carry."""
        values = [value for _name, value in fields if value is not None]
        try:
            joined = "\n".join(values)
        except TypeError:
            joined = ""  # find the culprit below
        else:
            if not xml_illegal_chars(joined):
                return
        for name, value in fields:
            if value is None:
                continue
            if not isinstance(value, str):
                raise self._refuse(what, f"{name} is {type(value).__name__}, not str")
            bad = xml_illegal_chars(value)
            if bad:
                raise self._refuse(
                    what,
                    f"{name} contains U+{ord(value[bad[0]]):04X} at position {bad[0]}, "
                    "a character XML 1.0 cannot carry",
                )

    def write(
        self,
        header: SetHeader,
        sources: Iterable[SetSource],
        articles: Iterable[SetArticle],
        quotes: Iterable[SetQuote],
    ) -> tuple[int, int, int]:
        counts = [0, 0, 0]
        with etree.xmlfile(self.out, encoding="utf-8", close=False, buffered=True) as xf:
            xf.write_declaration()
            if header.format_version not in FORMAT_VERSIONS:
                raise self._refuse("the header", f"unknown format version {header.format_version!r}")
            self.version = header.format_version
            with xf.element(T_ROOT, {"formatVersion": self.version}, nsmap={None: NAMESPACE}):
                xf.write("\n  ")
                self._header(xf, header)
                xf.write("\n  ")
                with xf.element(T_SOURCES):
                    for source in sources:
                        self._poll()
                        self._source(xf, source)
                        counts[0] += 1
                    if counts[0]:
                        xf.write("\n  ")
                xf.write("\n  ")
                with xf.element(T_ARTICLES):
                    for article in articles:
                        self._poll()
                        self._article(xf, article)
                        counts[1] += 1
                    if counts[1]:
                        xf.write("\n  ")
                xf.write("\n  ")
                with xf.element(T_QUOTES):
                    for quote in quotes:
                        self._poll()
                        self._quote(xf, quote)
                        counts[2] += 1
                    if counts[2]:
                        xf.write("\n  ")
                xf.write("\n")
        self.out.write(b"\n")
        self.checker.finish_writing()
        return counts[0], counts[1], counts[2]

    # -- items

    def _header(self, xf: Any, h: SetHeader) -> None:
        what = "header"
        names = ("created", "created_by", "tool_name", "tool_version", "filter_since", "audit_head_sha256")
        fields = [(name, getattr(h, name)) for name in names]
        fields += [("filter_articles", ref) for ref in h.filter_articles]
        self._texts_ok(what, fields)
        if h.filter_status not in FILTER_STATUSES:
            raise self._refuse(what, f"filter_status {h.filter_status!r} is not one of {FILTER_STATUSES}")
        with xf.element(T_HEADER):
            _leaf(xf, T_CREATED, h.created, indent="\n    ")
            _leaf(xf, T_CREATED_BY, h.created_by, indent="\n    ")
            xf.write("\n    ")
            with xf.element(T_TOOL, {"name": h.tool_name, "version": h.tool_version}):
                pass
            xf.write("\n    ")
            attrib = {"status": h.filter_status}
            if h.filter_since is not None:
                attrib["since"] = h.filter_since
            with xf.element(T_FILTER, attrib):
                for ref in h.filter_articles:
                    xf.write("\n      ")
                    with xf.element(T_ARTICLE, {"ref": ref}):
                        pass
                if h.filter_articles:
                    xf.write("\n    ")
            if h.audit_head_seq is not None or h.audit_head_sha256 is not None:
                attrib = {}
                if h.audit_head_seq is not None:
                    attrib["seq"] = str(int(h.audit_head_seq))
                if h.audit_head_sha256 is not None:
                    attrib["sha256"] = h.audit_head_sha256
                xf.write("\n    ")
                with xf.element(T_AUDIT, attrib):
                    pass
            _leaf(xf, T_FOUR_EYES, "true" if h.four_eyes else "false", indent="\n    ")
            xf.write("\n  ")

    def _source(self, xf: Any, s: SetSource) -> None:
        what = f"source {s.id}"
        names = ("id", "kind", "name", "role", "affiliation", "descriptor", "nationality")
        fields = [(name, getattr(s, name)) for name in names]
        fields += [("aliases", alias) for alias in s.aliases]
        fields += [("external_ids", part) for pair in s.external_ids for part in pair]
        self._texts_ok(what, fields)
        problem = self.checker.add_source(s)
        if problem:
            raise self._refuse(what, problem)
        attrib = {"id": s.id, "kind": s.kind}
        if s.affiliation is not None:
            attrib["affiliation"] = s.affiliation
        xf.write("\n    ")
        with xf.element(T_SOURCE, attrib):
            ind = "\n      "
            _leaf(xf, T_NAME, s.name, indent=ind)
            _opt_leaf(xf, T_DESCRIPTOR, s.descriptor, indent=ind)
            _opt_leaf(xf, T_ROLE, s.role, indent=ind)
            _opt_leaf(xf, T_NATIONALITY, s.nationality, indent=ind)
            for alias in s.aliases:
                _leaf(xf, T_ALIAS, alias, indent=ind)
            for scheme, value in s.external_ids:
                _leaf(xf, T_EXTERNAL_ID, value, {"scheme": scheme}, indent=ind)
            xf.write("\n    ")

    def _article(self, xf: Any, a: SetArticle) -> None:
        what = f"article {a.id}"
        names = ("id", "title", "outlet", "url", "byline", "published", "language", "text_sha256", "text")
        self._texts_ok(what, [(name, getattr(a, name)) for name in names])
        if len(a.text) * 4 > MAX_TEXT_BYTES and len(a.text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise self._refuse(what, f"its text is longer than {MAX_TEXT_BYTES:,} bytes of UTF-8")
        problem = self.checker.add_article(a)
        if problem:
            raise self._refuse(what, problem)
        attrib = {"id": a.id}
        if a.outlet is not None:
            attrib["outlet"] = a.outlet
        if a.published is not None:
            attrib["published"] = a.published
        if a.language is not None:
            attrib["language"] = a.language
        if a.version != 1 or a.version_of is not None:
            if self.version == FORMAT_VERSION:
                raise self._refuse(
                    what, f"it is version {a.version} of an article: write format {VERSIONED_FORMAT}"
                )
            attrib["version"] = str(a.version)
            if a.version_of is not None:
                attrib["versionOf"] = a.version_of
        xf.write("\n    ")
        with xf.element(T_ARTICLE, attrib):
            ind = "\n      "
            _opt_leaf(xf, T_TITLE, a.title, indent=ind)
            _opt_leaf(xf, T_URL, a.url, indent=ind)
            _opt_leaf(xf, T_BYLINE, a.byline, indent=ind)
            _leaf(xf, T_TEXT, a.text, {"sha256": a.text_sha256}, indent=ind)
            xf.write("\n    ")

    def _quote(self, xf: Any, q: SetQuote) -> None:
        what = f"quote {q.id}"
        fields = [(name, getattr(q, name)) for name in _QUOTE_TEXT_FIELDS]
        for i, hop in enumerate(q.hops):
            fields += [(f"hop {i} source", hop.source), (f"hop {i} relation", hop.relation)]
        for i, signoff in enumerate(q.signoffs):
            fields += [(f"sign-off {i} {name}", getattr(signoff, name)) for name in _SIGNOFF_TEXT_FIELDS]
        self._texts_ok(what, fields)
        problem = self.checker.check_quote(q)
        if problem:
            raise self._refuse(what, problem)
        attrib = {
            "id": q.id,
            "article": q.article,
            "start": str(q.start),
            "end": str(q.end),
            "type": q.type,
            "status": q.status,
        }
        if q.speaker is not None:
            attrib["speaker"] = q.speaker
        xf.write("\n    ")
        with xf.element(T_QUOTE, attrib):
            ind = "\n      "
            _leaf(xf, T_TEXT, q.text, indent=ind)
            _leaf(xf, T_PREFIX, q.prefix, indent=ind)
            _leaf(xf, T_SUFFIX, q.suffix, indent=ind)
            if q.cue is not None:
                xf.write(ind)
                with xf.element(T_CUE, {"start": str(q.cue[0]), "end": str(q.cue[1])}):
                    pass
            if q.hops:
                xf.write(ind)
                with xf.element(T_CHAIN):
                    for hop in q.hops:
                        xf.write("\n        ")
                        with xf.element(T_HOP, {"source": hop.source, "relation": hop.relation}):
                            if hop.evidence is not None:
                                ev = {"start": str(hop.evidence[0]), "end": str(hop.evidence[1])}
                                with xf.element(T_EVIDENCE, ev):
                                    pass
                    xf.write(ind)
            _opt_leaf(xf, T_EVIDENCE_URL, q.evidence_url, indent=ind)
            _opt_leaf(xf, T_ARCHIVE_URL, q.archive_url, indent=ind)
            _opt_leaf(xf, T_NOTE, q.note, indent=ind)
            _stamp(xf, T_STATUS_CHANGE, q.status_by, q.status_at, indent=ind)
            _stamp(xf, T_CREATED, q.created_by, q.created_at, indent=ind)
            if q.signoffs:
                xf.write(ind)
                with xf.element(T_SIGNOFFS):
                    for s in q.signoffs:
                        xf.write("\n        ")
                        attrib = {
                            "reviewer": s.reviewer,
                            "at": s.at,
                            "verdict": s.verdict,
                            "chainSha256": s.chain_sha256,
                        }
                        if s.version != 1:
                            if self.version == FORMAT_VERSION:
                                raise self._refuse(
                                    what,
                                    f"a sign-off was made on version {s.version}: write format "
                                    f"{VERSIONED_FORMAT}",
                                )
                            attrib["version"] = str(s.version)
                        with xf.element(T_SIGNOFF, attrib):
                            _opt_leaf(xf, T_COMMENT, s.comment)
                    xf.write(ind)
            xf.write("\n    ")


def _leaf(xf: Any, tag: str, text: str, attrib: dict[str, str] | None = None, *, indent: str = "") -> None:
    if indent:
        xf.write(indent)
    with xf.element(tag, attrib or {}):
        if text:
            xf.write(text)


def _opt_leaf(xf: Any, tag: str, text: str | None, *, indent: str = "") -> None:
    if text is not None:
        _leaf(xf, tag, text, indent=indent)


def _stamp(xf: Any, tag: str, by: str | None, at: str | None, *, indent: str) -> None:
    if by is None and at is None:
        return
    attrib = {}
    if by is not None:
        attrib["by"] = by
    if at is not None:
        attrib["at"] = at
    xf.write(indent)
    with xf.element(tag, attrib):
        pass


# ----------------------------------------------------------------------------------- semantic rules


class _Checker:
    """The rules XSD 1.0 cannot express, shared by the writer (before each item is written) and
    the reader (after each item is read). Each ``add_``/``check_`` method returns a problem
    description, or ``None`` when the item is fine. Items must come in document order: sources,
    then articles, then quotes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kinds: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.affiliations: list[tuple[str, str]] = []
        self.quote_ids: set[str] = set()

    def add_source(self, s: SetSource) -> str | None:
        if s.id in self.kinds:
            return f"duplicate source id {s.id}"
        if s.kind not in SOURCE_KINDS:
            return f"kind {s.kind!r} is not one of {', '.join(SOURCE_KINDS)}"
        if not s.name:
            return "empty name"
        if s.kind == "anonymous" and not (s.descriptor and s.descriptor.strip()):
            return "an anonymous source needs a descriptor (e.g. 'a Turkish official')"
        self.kinds[s.id] = s.kind
        if s.affiliation is not None:
            self.affiliations.append((s.id, s.affiliation))
        return None

    def add_article(self, a: SetArticle) -> str | None:
        if a.id in self.texts:
            return f"duplicate article id {a.id}"
        if a.outlet is not None:
            kind = self.kinds.get(a.outlet)
            if kind is None:
                return f"outlet {a.outlet} is not a source of the set"
            if kind != "outlet":
                return f"outlet {a.outlet} is a source of kind {kind}, not outlet"
        actual = sha256_text(a.text)
        if actual != a.text_sha256:
            return f"text_sha256 {a.text_sha256} does not match its text (SHA-256 {actual})"
        self.texts[a.id] = a.text
        return None

    def check_quote(self, q: SetQuote) -> str | None:
        if q.id in self.quote_ids:
            return f"duplicate quote id {q.id}"
        self.quote_ids.add(q.id)
        if q.type not in QUOTE_TYPES:
            return f"type {q.type!r} is not one of {', '.join(QUOTE_TYPES)}"
        if q.status not in STATUSES:
            return f"status {q.status!r} is not one of {', '.join(STATUSES)}"
        text = self.texts.get(q.article)
        if text is None:
            return f"article {q.article} is not an article of the set"
        n = len(text)
        if not 0 <= q.start < q.end <= n:
            return f"offsets [{q.start}, {q.end}) do not fit article {q.article} (text of {n} code points)"
        if text[q.start : q.end] != q.text:
            return (
                f"text does not match article {q.article} at [{q.start}, {q.end}): "
                f"the article has {_excerpt(text[q.start : q.end])}, the quote {_excerpt(q.text)}"
            )
        prefix = text[max(0, q.start - CONTEXT_CHARS) : q.start]
        if q.prefix != prefix:
            return (
                f"prefix {_excerpt(q.prefix)} does not match the article text before it ({_excerpt(prefix)})"
            )
        suffix = text[q.end : q.end + CONTEXT_CHARS]
        if q.suffix != suffix:
            return (
                f"suffix {_excerpt(q.suffix)} does not match the article text after it ({_excerpt(suffix)})"
            )
        if q.cue is not None and not 0 <= q.cue[0] < q.cue[1] <= n:
            return f"cue [{q.cue[0]}, {q.cue[1]}) does not fit the article text ({n} code points)"
        seen: set[str] = set()
        for position, source in enumerate([q.speaker] + [hop.source for hop in q.hops]):
            if source is None:
                continue
            where = "speaker" if position == 0 else f"hop {position - 1}"
            if source not in self.kinds:
                return f"{where} {source} is not a source of the set"
            if source in seen:
                return f"source {source} appears twice in the chain ({where})"
            seen.add(source)
        for i, hop in enumerate(q.hops):
            if not hop.relation:
                return f"hop {i} has an empty relation"
            if hop.evidence is not None and not 0 <= hop.evidence[0] < hop.evidence[1] <= n:
                return (
                    f"hop {i} evidence [{hop.evidence[0]}, {hop.evidence[1]}) does not fit "
                    f"the article text ({n} code points)"
                )
        for signoff in q.signoffs:
            if signoff.verdict not in VERDICTS:
                return f"sign-off verdict {signoff.verdict!r} is not one of {', '.join(VERDICTS)}"
        return None

    def finish(self) -> str | None:
        """Checks that need the whole set (references to sources that may come later)."""
        for source, affiliation in self.affiliations:
            if affiliation not in self.kinds:
                return f"source {source}: affiliation {affiliation} is not a source of the set"
        return None

    def finish_writing(self) -> None:
        problem = self.finish()
        if problem:
            raise QuoteSetError(self.path, f"cannot export {problem}")


def _excerpt(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# ------------------------------------------------------------------------------------- validation


def _safe_parser_options() -> dict[str, Any]:
    """Options of every parser that reads a quote set: no entities, no DTD, no network, no huge
    trees (libxml2's own limits stay on), no comments or processing instructions."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "attribute_defaults": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
        "strip_cdata": True,
        "collect_ids": False,
        "recover": False,
    }


def _chunks_of_file(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


def _chunks_of_bytes(data: bytes | memoryview) -> Iterator[bytes]:
    view = memoryview(data)
    for i in range(0, len(view), _CHUNK):
        yield bytes(view[i : i + _CHUNK])


def _stream_validate(
    display: Path | str,
    chunks: Iterable[bytes],
    relocate: Callable[[], bytes | None],
    *,
    version: str = FORMAT_VERSION,
) -> str:
    """Validate a document against the schema while streaming it, in flat memory; return the hex
    SHA-256 of its bytes.

    libxml2 validates from the parser's events (elements are discarded as soon as they end), so a
    100,000-quote file needs no tree; only the identity-constraint tables grow with the ids. The
    streaming validator does not know line numbers: on failure, ``relocate()`` supplies the bytes
    to parse into a tree and validate again, which finds the line of the first error.

    The caller must have established that the document is well-formed, carries no DOCTYPE, and
    that every element is inside a source, article, quote or the header (see :class:`_Reader`):
    only those are freed as they end.
    """
    schema = load_schema(version)
    digest = hashlib.sha256()
    with _SCHEMA_LOCK:
        parser = etree.XMLPullParser(
            events=("end",), tag=_STREAM_FREED, schema=schema, **_safe_parser_options()
        )
        saw_root_end = False
        try:
            for chunk in chunks:
                digest.update(chunk)
                parser.feed(chunk)
                for _event, element in parser.read_events():
                    if element.tag == T_ROOT:
                        saw_root_end = True
                    element.clear(keep_tail=True)
                    parent = element.getparent()
                    if parent is not None:
                        # Drop the finished siblings so the tree never grows.
                        while element.getprevious() is not None:
                            del parent[0]
            parser.close()
            for _event, element in parser.read_events():
                if element.tag == T_ROOT:
                    saw_root_end = True
        except etree.XMLSyntaxError as e:
            valid = False
            first = str(e)
        else:
            valid = saw_root_end
            first = "the document ends before the quoteSet element is closed"
    if not valid:
        line, message = None, None
        data = relocate()
        if data is not None:
            line, message = _locate_schema_error(data, version)
        if message is None:
            message = _clean_schema_message(first.removesuffix(" (<string>, line 0)"))
        raise QuoteSetError(display, f"not a valid quote set: {message}", line=line)
    return digest.hexdigest()


def _locate_schema_error(data: bytes, version: str = FORMAT_VERSION) -> tuple[int | None, str | None]:
    """Validate ``data`` as a tree (slower, more memory, has line numbers) and return the line and
    message of the first error; ``(None, None)`` if the tree validates."""
    parser = etree.XMLParser(**_safe_parser_options())
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as e:
        return e.lineno or None, _parse_error_text(e)
    schema = load_schema(version)
    with _SCHEMA_LOCK:
        if schema.validate(tree):
            return None, None
        errors = list(schema.error_log)
    if not errors:
        return None, None
    first = min(errors, key=lambda err: err.line)
    return first.line or None, _clean_schema_message(first.message)


def _clean_schema_message(message: str) -> str:
    """Schema messages name elements as ``{urn:…}quote``; show them without the namespace."""
    return message.replace(_NS, "")


def _parse_error_text(e: etree.XMLSyntaxError) -> str:
    msg = e.msg if getattr(e, "msg", None) else str(e)
    # "Opening and ending tag mismatch: a line 2 and b, line 3, column 9" -> keep libxml2's words.
    return re.sub(r"\s*,? line \d+, column \d+\s*$", "", str(msg)).strip()


def _validate_file(path: Path, *, display: Path, version: str = FORMAT_VERSION) -> str:
    """Validate a file we have just written; return its SHA-256."""

    def relocate() -> bytes | None:
        return path.read_bytes() if path.stat().st_size <= _RELOCATE_MAX_BYTES else None

    return _stream_validate(display, _chunks_of_file(path), relocate=relocate, version=version)


# ------------------------------------------------------------------------------------------ reader

_COMPRESSED_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
_UTF16_32_STARTS = (
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00\x00\xfe\xff",
    b"<\x00",
    b"\x00<",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
)
# The prolog: optional BOM, XML declaration, then whitespace, comments and processing instructions.
_XML_DECL = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml(?=[\s?])[^>]*\?>")
_PROLOG_MISC = re.compile(rb"(?:\s+|<!--.*?-->|<\?(?!xml[\s?]).*?\?>)*", re.S)
_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([A-Za-z0-9._-]*)["']""")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_ROOT_CHILDREN = frozenset((T_HEADER, T_SOURCES, T_ARTICLES, T_QUOTES))
_ITEMS = {T_SOURCES: T_SOURCE, T_ARTICLES: T_ARTICLE, T_QUOTES: T_QUOTE}
_RELOCATE_MAX_BYTES = 32 * 1024 * 1024
"""Largest document re-parsed into a tree to find the line of a schema error (a tree takes about
ten times the file's size); above it the error is reported without a line."""


def read_quoteset(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> QuoteSet:
    """Read an untrusted quote set file, refusing anything hostile, invalid or inconsistent.

    In order: the file must be a regular file of at most ``max_bytes`` bytes; it must not be
    compressed, must be UTF-8, and must not have a DOCTYPE (which rules out every entity and DTD
    attack: billion laughs, quadratic blow-up, external entities and DTDs). It is then parsed with
    entities, DTDs, network access and libxml2's huge-tree mode all off, refusing XInclude
    elements and nesting deeper than :data:`MAX_DEPTH`; the root must be ``quoteSet`` in
    :data:`NAMESPACE` with ``formatVersion`` 1.0. It must validate against the schema, and finally
    pass the semantic checks: each article's ``sha256`` matches its text; each quote's text is the
    article text at its offsets, with matching prefix and suffix; cues and hop evidence fit the
    text; anonymous sources have a descriptor; outlets are sources of kind outlet; no source
    appears twice in a chain (speaker and hops).

    Raises :class:`~annotator.errors.QuoteSetError` naming the file, the line when known, and the
    reason of the first problem found.
    """
    path = Path(path)
    data = _read_capped(path, max_bytes)
    _precheck(path, data)
    reader = _Reader(path)
    quote_set = reader.parse(data)
    _stream_validate(path, _chunks_of_bytes(data), relocate=lambda: _bounded(data), version=reader.version)
    if reader.build_error is not None:
        # Cannot happen for a valid document; kept so a gap in the schema cannot pass silently.
        line, message = reader.build_error
        raise QuoteSetError(path, message, line=line)
    if reader.problem is not None:
        line, message = reader.problem
        raise QuoteSetError(path, message, line=line)
    log.info(
        "read %d quotes (%d articles, %d sources) from %s",
        len(quote_set.quotes), len(quote_set.articles), len(quote_set.sources), path,
    )  # fmt: skip
    return quote_set


def _bounded(data: bytes) -> bytes | None:
    return data if len(data) <= _RELOCATE_MAX_BYTES else None


def _read_capped(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing non-regular files and files over ``max_bytes``."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # before open(): opening a FIFO would block
            raise QuoteSetError(path, "not a regular file")
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise QuoteSetError(path, "not a regular file")
            if st.st_size > max_bytes:
                raise QuoteSetError(
                    path, f"file is {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes"
                )
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise QuoteSetError(path, f"cannot read the file: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise QuoteSetError(path, f"file is over the limit of {max_bytes:,} bytes")
    return data


def _precheck(path: Path, data: bytes) -> None:
    """Refusals decided on the raw bytes, before any parser sees them."""
    if not data.strip():
        raise QuoteSetError(path, "empty file, not a quote set")
    for magic, name in _COMPRESSED_MAGIC:
        if data.startswith(magic):
            raise QuoteSetError(path, f"compressed input ({name}) is refused; decompress it first")
    for start in _UTF16_32_STARTS:
        if data.startswith(start):
            raise QuoteSetError(path, "only UTF-8 is accepted (the file looks like UTF-16 or UTF-32)")
    pos = 0
    decl = _XML_DECL.match(data)
    if decl:
        enc = _ENCODING.search(decl.group(0))
        if enc and enc.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
            raise QuoteSetError(
                path,
                f"encoding {enc.group(1).decode('ascii', 'replace')} is refused; only UTF-8 is accepted",
                line=1,
            )
        pos = decl.end()
    elif data.startswith(b"\xef\xbb\xbf"):
        pos = 3
    misc = _PROLOG_MISC.match(data, pos)
    pos = misc.end() if misc else pos
    if _DOCTYPE.match(data, pos):
        raise QuoteSetError(
            path,
            "a DOCTYPE is refused (no DTD, no entity declarations: quote sets never need them)",
            line=data.count(b"\n", 0, pos) + 1,
        )
    if not data.startswith(b"<", pos) or data.startswith(b"<!", pos):
        raise QuoteSetError(path, "not an XML document (no root element)", line=data.count(b"\n", 0, pos) + 1)


class _Reader:
    """Pass one of :func:`read_quoteset`: parse without the schema, refuse hostile structure,
    build the dataclasses and run the semantic checks. Building is tolerant: on an invalid
    document it records what went wrong and goes on, since the schema (pass two) explains
    invalid documents better. The first semantic problem is kept in :attr:`problem`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.checker = _Checker(path)
        self.problem: tuple[int | None, str] | None = None
        self.build_error: tuple[int | None, str] | None = None
        self.header: SetHeader | None = None
        self.version = FORMAT_VERSION
        self.sources: list[SetSource] = []
        self.articles: list[SetArticle] = []
        self.quotes: list[SetQuote] = []
        self._shared: dict[str, str] = {}

    def _share(self, value: str | None) -> Any:
        if value is None:
            return None
        return self._shared.setdefault(value, value)

    def _note(self, line: int | None, message: str | None) -> None:
        if message is not None and self.problem is None:
            self.problem = (line, message)

    def parse(self, data: bytes) -> QuoteSet:
        parser = etree.XMLPullParser(events=("start", "end"), **_safe_parser_options())
        depth = 0
        container = ""  # tag of the current child of the root
        budget = 0  # elements seen in the current item
        root: Any = None
        try:
            for chunk in _chunks_of_bytes(data):
                parser.feed(chunk)
                for event, el in parser.read_events():
                    if event == "end":
                        if depth <= 3:
                            self._dispatch(el, depth, container)
                        depth -= 1
                        continue
                    depth += 1
                    tag = el.tag
                    if not tag.startswith(_NS):
                        self._foreign(el)
                    if depth > 3:
                        budget += 1
                        if depth > MAX_DEPTH:
                            raise QuoteSetError(
                                self.path,
                                f"elements nested deeper than {MAX_DEPTH} levels are refused",
                                el.sourceline,
                            )
                        if budget > MAX_ITEM_ELEMENTS:
                            raise QuoteSetError(
                                self.path,
                                f"more than {MAX_ITEM_ELEMENTS:,} elements in one item are refused",
                                el.sourceline,
                            )
                        continue
                    if depth == 1:
                        root = el
                        self._check_root(el)
                        continue
                    if depth == 2:
                        container, budget = tag, 0
                        if tag not in _ROOT_CHILDREN:
                            self._unexpected(el, "quoteSet", "header, sources, articles, quotes")
                    elif depth == 3:
                        allowed = _ITEMS.get(container)
                        if allowed is not None:
                            budget = 0
                            if tag != allowed:
                                self._unexpected(
                                    el, etree.QName(container).localname, etree.QName(allowed).localname
                                )
                        budget += 1
            parser.close()
        except etree.XMLSyntaxError as e:
            raise _syntax_refusal(self.path, e, data) from None
        if root is not None:
            docinfo = root.getroottree().docinfo
            if docinfo.internalDTD is not None or docinfo.doctype:
                raise QuoteSetError(self.path, "a DOCTYPE is refused")
        self._note(None, self.checker.finish())
        if self.header is None:
            self.build_error = self.build_error or (None, "the quote set has no header")
            header = SetHeader(created="", created_by="", tool_name="", tool_version="")
        else:
            header = self.header
        return QuoteSet(header, self.sources, self.articles, self.quotes)

    def _foreign(self, el: Any) -> None:
        """An element outside the format's namespace: XInclude is refused here, the rest is left
        to the schema (or to the root check)."""
        namespace = etree.QName(el).namespace
        if namespace in XINCLUDE_NAMESPACES:
            raise QuoteSetError(self.path, "XInclude is refused (xi:include element)", el.sourceline)

    def _unexpected(self, el: Any, parent: str, expected: str) -> None:
        qname = etree.QName(el)
        name = qname.localname if qname.namespace == NAMESPACE else el.tag
        raise QuoteSetError(
            self.path,
            f"not a valid quote set: unexpected element {name} in {parent} (expected {expected})",
            el.sourceline,
        )

    def _check_root(self, el: Any) -> None:
        qname = etree.QName(el)
        if qname.namespace != NAMESPACE:
            found = qname.namespace if qname.namespace else "(no namespace)"
            raise QuoteSetError(self.path, f"wrong namespace {found}, expected {NAMESPACE}", el.sourceline)
        if qname.localname != "quoteSet":
            raise QuoteSetError(
                self.path, f"root element is {qname.localname}, expected quoteSet", el.sourceline
            )
        version = el.get("formatVersion")
        if version is None:
            raise QuoteSetError(self.path, "the quoteSet element has no formatVersion", el.sourceline)
        if version not in FORMAT_VERSIONS:
            raise QuoteSetError(
                self.path,
                f"format version {version} is not supported (this reader reads {', '.join(FORMAT_VERSIONS)})",
                el.sourceline,
            )
        self.version = version

    def _dispatch(self, el: Any, depth: int, container: str) -> None:
        """An element of depth 2 or 3 has ended: read it if it is an item, then free it."""
        if depth == 3 and container == T_HEADER:
            return  # read with the header
        tag = el.tag
        line = el.sourceline
        try:
            if tag == T_HEADER:
                self.header = dataclasses.replace(_read_header(el), format_version=self.version)
            elif tag == T_SOURCE:
                source = _read_source(el)
                self.sources.append(source)
                self._note(line, _prefixed(f"source {source.id}", self.checker.add_source(source)))
            elif tag == T_ARTICLE:
                article = _read_article(el)
                self.articles.append(article)
                self._note(line, _prefixed(f"article {article.id}", self.checker.add_article(article)))
            elif tag == T_QUOTE:
                quote = _read_quote(el, self._share)
                self.quotes.append(quote)
                self._note(line, _prefixed(f"quote {quote.id}", self.checker.check_quote(quote)))
        except _NumberError as e:
            if self.build_error is None:
                self.build_error = (e.line or line, str(e))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
            if self.build_error is None:
                self.build_error = (line, f"cannot read {etree.QName(el).localname}: {e!r}")
        # Free the element and its finished siblings (flat memory).
        el.clear(keep_tail=True)
        parent = el.getparent()
        if parent is not None:
            while el.getprevious() is not None:
                del parent[0]


def _prefixed(what: str, problem: str | None) -> str | None:
    return f"{what}: {problem}" if problem else None


def _syntax_refusal(path: Path, e: etree.XMLSyntaxError, data: bytes) -> QuoteSetError:
    message = _parse_error_text(e)
    line = e.lineno or None
    if line is None:
        # lxml's feed parser with resolve_entities=False loses some errors (an undefined entity
        # reference comes out as "no element found", line 0): find the real one.
        line, message = _diagnose_syntax(data) or (line, message)
    if "Excessive depth" in message:
        return QuoteSetError(path, f"elements nested deeper than {MAX_DEPTH} levels are refused", line)
    if "Resource limit exceeded" in message or "huge input" in message.lower():
        return QuoteSetError(
            path,
            f"a text or attribute longer than libxml2's limit ({MAX_TEXT_BYTES:,} bytes) is refused",
            line,
        )
    return QuoteSetError(path, f"not well-formed XML: {message}", line)


def _diagnose_syntax(data: bytes) -> tuple[int | None, str] | None:
    """Line and message of the first well-formedness error of ``data`` (streamed, flat memory).

    Only for diagnosis, after the real parse failed: this parser resolves the predefined
    entities the way libxml2 does by default, which reports undefined ones properly. The data
    has no DOCTYPE (refused by :func:`_precheck`), so there is no entity to expand and nothing
    to load."""
    options = {**_safe_parser_options(), "resolve_entities": "internal"}
    parser = etree.XMLPullParser(events=("end",), **options)
    try:
        for chunk in _chunks_of_bytes(data):
            parser.feed(chunk)
            for _event, el in parser.read_events():
                el.clear(keep_tail=True)
                while el.getprevious() is not None:
                    del el.getparent()[0]
        parser.close()
    except etree.XMLSyntaxError as e:
        return e.lineno or None, _parse_error_text(e)
    return None


# -- element readers (pass one). They assume a valid document; on an invalid one they may raise,
#    which _Reader records.


def _text(el: Any, tag: str) -> str:
    child = el.find(tag)
    if child is None:
        raise KeyError(etree.QName(tag).localname)
    return child.text or ""


def _opt_text(el: Any, tag: str) -> str | None:
    child = el.find(tag)
    if child is None:
        return None
    return child.text or ""


MAX_DIGITS = 18
"""Longest number read from a set (offsets, sequence numbers); longer ones are refused with their
attribute named, before Python's own limit (4,300 digits) or the database's integers are reached."""


class _NumberError(ValueError):
    """A number attribute that cannot be read; the message names the element and attribute."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def _int(el: Any, attribute: str) -> int:
    value = el.get(attribute)
    if value is None:
        raise KeyError(attribute)
    digits = value.strip()
    if len(digits) > MAX_DIGITS:
        raise _NumberError(
            f"attribute {attribute} of {etree.QName(el).localname} is a number of {len(digits):,} "
            f"characters; numbers longer than {MAX_DIGITS} digits are refused",
            el.sourceline,
        )
    return int(digits)


def _span(el: Any | None) -> tuple[int, int] | None:
    if el is None:
        return None
    return _int(el, "start"), _int(el, "end")


def _read_header(el: Any) -> SetHeader:
    tool = el.find(T_TOOL)
    filt = el.find(T_FILTER)
    audit = el.find(T_AUDIT)
    seq = audit.get("seq") if audit is not None else None
    return SetHeader(
        created=_text(el, T_CREATED),
        created_by=_text(el, T_CREATED_BY),
        tool_name=tool.get("name"),
        tool_version=tool.get("version"),
        filter_status=filt.get("status"),
        filter_articles=tuple(a.get("ref") for a in filt.iterchildren(T_ARTICLE)),
        filter_since=filt.get("since"),
        audit_head_seq=_int(audit, "seq") if seq is not None else None,
        audit_head_sha256=audit.get("sha256") if audit is not None else None,
        four_eyes=_text(el, T_FOUR_EYES).strip() in ("true", "1"),
    )


def _read_source(el: Any) -> SetSource:
    return SetSource(
        id=el.get("id"),
        kind=el.get("kind"),
        name=_text(el, T_NAME),
        role=_opt_text(el, T_ROLE),
        affiliation=el.get("affiliation"),
        descriptor=_opt_text(el, T_DESCRIPTOR),
        nationality=_opt_text(el, T_NATIONALITY),
        aliases=tuple(a.text or "" for a in el.iterchildren(T_ALIAS)),
        external_ids=tuple((x.get("scheme"), x.text or "") for x in el.iterchildren(T_EXTERNAL_ID)),
    )


def _read_article(el: Any) -> SetArticle:
    text_el = el.find(T_TEXT)
    return SetArticle(
        id=el.get("id"),
        title=_opt_text(el, T_TITLE),
        outlet=el.get("outlet"),
        url=_opt_text(el, T_URL),
        byline=_opt_text(el, T_BYLINE),
        published=el.get("published"),
        language=el.get("language"),
        text_sha256=text_el.get("sha256"),
        text=text_el.text or "",
        version=int(el.get("version", "1")),
        version_of=el.get("versionOf"),
    )


def _read_quote(el: Any, share: Callable[[str | None], Any]) -> SetQuote:
    """A quote. ``share`` returns one shared copy of a repeated string (ids of articles and
    sources, enumerations, user names), which saves memory on large sets."""
    text = prefix = suffix = None
    cue: tuple[int, int] | None = None
    hops: tuple[SetHop, ...] = ()
    signoffs: tuple[SignOff, ...] = ()
    optional: dict[str, str] = {}
    status_change = created = None
    for child in el:
        tag = child.tag
        if tag == T_TEXT:
            text = child.text or ""
        elif tag == T_PREFIX:
            prefix = child.text or ""
        elif tag == T_SUFFIX:
            suffix = child.text or ""
        elif tag == T_CUE:
            cue = _span(child)
        elif tag == T_CHAIN:
            hops = tuple(
                SetHop(
                    source=share(h.get("source")),
                    relation=share(h.get("relation")),
                    evidence=_span(h.find(T_EVIDENCE)),
                )
                for h in child.iterchildren(T_HOP)
            )
        elif tag == T_STATUS_CHANGE:
            status_change = child
        elif tag == T_CREATED:
            created = child
        elif tag == T_SIGNOFFS:
            signoffs = tuple(
                SignOff(
                    reviewer=share(s.get("reviewer")),
                    at=s.get("at"),
                    verdict=share(s.get("verdict")),
                    comment=_opt_text(s, T_COMMENT),
                    chain_sha256=s.get("chainSha256"),
                    version=int(s.get("version", "1")),
                )
                for s in child.iterchildren(T_SIGNOFF)
            )
        else:
            optional[tag] = child.text or ""
    if text is None or prefix is None or suffix is None:
        raise KeyError("text, prefix or suffix")
    return SetQuote(
        id=el.get("id"),
        article=share(el.get("article")),
        start=_int(el, "start"),
        end=_int(el, "end"),
        text=text,
        prefix=prefix,
        suffix=suffix,
        type=share(el.get("type")),
        cue=cue,
        speaker=share(el.get("speaker")),
        hops=hops,
        status=share(el.get("status")),
        evidence_url=optional.get(T_EVIDENCE_URL),
        archive_url=optional.get(T_ARCHIVE_URL),
        note=optional.get(T_NOTE),
        status_by=share(status_change.get("by")) if status_change is not None else None,
        status_at=status_change.get("at") if status_change is not None else None,
        created_by=share(created.get("by")) if created is not None else None,
        created_at=created.get("at") if created is not None else None,
        signoffs=signoffs,
    )


# ------------------------------------------------------------------------------------------ verify


def verify_export(path: str | os.PathLike[str]) -> None:
    """Check an exported file against its ``FILE.sha256`` sidecar, then validate it.

    Raises :class:`~annotator.errors.QuoteSetError` if the sidecar is missing or malformed, if the
    file's SHA-256 differs from it, or if the file is refused by :func:`read_quoteset` (schema and
    semantic checks).
    """
    path = Path(path)
    sidecar = sidecar_path(path)
    try:
        line = sidecar.read_text(encoding="utf-8").splitlines()[0]
    except FileNotFoundError:
        raise QuoteSetError(path, f"checksum file {sidecar.name} is missing") from None
    except (OSError, UnicodeDecodeError, IndexError) as e:
        raise QuoteSetError(path, f"checksum file {sidecar.name} cannot be read: {e}") from None
    m = re.fullmatch(r"([0-9a-fA-F]{64}) [ *](.+)", line.strip("\r\n"))
    if not m:
        raise QuoteSetError(path, f"checksum file {sidecar.name} is not in sha256sum format")
    expected, named = m.group(1).lower(), m.group(2)
    if named != path.name:
        log.warning("checksum file %s names %s, not %s", sidecar, named, path.name)
    digest = hashlib.sha256()
    try:
        for chunk in _chunks_of_file(path):
            digest.update(chunk)
    except OSError as e:
        raise QuoteSetError(path, f"cannot read the file: {e.strerror or e}") from e
    if digest.hexdigest() != expected:
        raise QuoteSetError(
            path,
            f"SHA-256 {digest.hexdigest()} does not match {sidecar.name} ({expected}): the file was modified",
        )
    read_quoteset(path, max_bytes=max(DEFAULT_MAX_BYTES, path.stat().st_size))

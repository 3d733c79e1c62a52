"""W3C PROV documents of quotes and their provenance chains (PROV-XML, PROV-JSON, PROV-N).

One document per export, built with the ``prov`` library: every selected quote with its article,
the sources of its chain, each hop, and each reviewer's verdict. The mapping is documented with a
worked example in ``docs/prov-mapping.md``; in short, for a quote ``Q`` said by ``S``, passed on by
hops ``H1 … Hn`` and printed in article ``A`` of outlet ``O``:

* ``S``, ``H1 … Hn``, ``O`` and every reviewer are agents; a source's affiliation is
  ``actedOnBehalfOf``;
* ``Q`` (the words as the speaker said them) ``wasAttributedTo`` ``S``;
* hop ``i`` is an entity ``Q-hop-i`` (the words as ``Hi`` passed them on) that ``wasAttributedTo``
  ``Hi`` and ``wasQuotedFrom`` the previous step (``wasDerivedFrom`` for an indirect quote:
  reported speech is not a quotation), the derivation carrying the hop's relation, position and
  evidence span;
* ``A`` ``wasAttributedTo`` ``O``, derives from the last step in the same way, and
  ``hadPrimarySource`` ``Q``;
* each sign-off is an activity (the review) ``wasAssociatedWith`` its reviewer, that ``used`` ``Q``
  and by which the verdict entity ``wasGeneratedBy``, at the time of the sign-off.

Identifiers are built from the uids (``qa:quote-<uid>``, ``qa:source-<uid>``, …) and the records
are added in the dataset's stable order, so two exports of the same data are byte-identical. Each
document is checked before it is written: serialized, parsed back with the library and compared
with what was built; PROV-XML is also validated against the W3C PROV-XML schema
(``schemas/prov/prov.xsd``, vendored, read offline).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import etree
from prov.constants import XSD_DATE, XSD_INT
from prov.model import PROV, Literal, Namespace, ProvDocument
from prov.serializers.provxml import ProvXMLSerializer

from annotator.db import Database
from annotator.interop.dataset import (
    Dataset,
    ExportResult,
    InteropError,
    cancel_check,
    database,
    load,
    write_atomic,
)
from annotator.model import QuoteType
from annotator.paths import schemas_dir
from annotator.records import QuoteRecord, SourceRecord
from annotator.service import Service

log = logging.getLogger(__name__)

FORMATS = {"prov-xml": "xml", "prov-json": "json", "prov-n": "provn"}
"""Export format name -> the ``prov`` library's serializer name."""

NAMESPACE_URI = "urn:x-quote-annotator:"
"""The namespace of this tool's identifiers and terms (prefix ``qa``)."""
QA = Namespace("qa", NAMESPACE_URI)

_KIND_TYPES = {
    "person": PROV["Person"],
    "organization": PROV["Organization"],
    "outlet": PROV["Organization"],
    "anonymous": PROV["Agent"],
}
_USER_NAME = re.compile(r"[A-Za-z0-9_.-]+")


# -- identifiers ----------------------------------------------------------------------------


def article_id(uid: str) -> str:
    return f"qa:article-{uid}"


def source_id(uid: str) -> str:
    return f"qa:source-{uid}"


def quote_id(uid: str) -> str:
    """The quote as its speaker said it (the chain's first entity)."""
    return f"qa:quote-{uid}"


def step_id(uid: str, position: int) -> str:
    """The quote as the hop at ``position`` (1-based) passed it on."""
    return f"qa:quote-{uid}-hop-{position}"


def user_id(name: str) -> str:
    """An agent for a person of the desk (a reviewer): readable when the name is simple."""
    if _USER_NAME.fullmatch(name):
        return f"qa:user-{name}"
    return f"qa:user-h{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}"


# -- the document ---------------------------------------------------------------------------


def build_document(data: Dataset, check: Callable[[], None] | None = None) -> ProvDocument:
    """The PROV document of a dataset (see the module docstring for the mapping); ``check`` is
    called before each quote (it raises to stop)."""
    doc = ProvDocument()
    doc.add_namespace(QA)
    for src in data.sources.values():
        _agent(doc, src)
    for src in data.sources.values():
        if src.affiliation_id is not None:
            doc.delegation(source_id(src.uid), source_id(data.sources[src.affiliation_id].uid))
    for art in data.articles.values():
        attrs: list[tuple[str, object]] = [
            ("prov:type", QA["Article"]),
            ("prov:label", art.title),
            ("qa:textSha256", art.text_sha256),
        ]
        if art.url:
            attrs.append(("qa:url", art.url))
        if art.published:
            attrs.append(("qa:published", Literal(art.published, XSD_DATE)))
        if art.language:
            attrs.append(("qa:language", art.language))
        doc.entity(article_id(art.uid), attrs)
        if art.outlet_id is not None:
            doc.attribution(article_id(art.uid), source_id(data.sources[art.outlet_id].uid))
    users: set[str] = set()
    for q in data.quotes:
        if check is not None:
            check()
        _quote(doc, data, q)
        for k, review in enumerate(data.reviews.get(q.id, ()), 1):
            who = user_id(review.reviewer)
            if who not in users:
                users.add(who)
                doc.agent(who, [("prov:type", PROV["Person"]), ("prov:label", review.reviewer)])
            at = dt.datetime.fromisoformat(review.at)
            activity = f"qa:review-{q.uid}-{k}"
            verdict = f"qa:verdict-{q.uid}-{k}"
            doc.activity(activity, at, at, [("prov:type", QA["Review"])])
            doc.association(activity, who)
            doc.usage(activity, quote_id(q.uid), at)
            attrs = [
                ("prov:type", QA["Verdict"]),
                ("prov:value", review.verdict),
                ("qa:chainSha256", review.chain_sha256),
            ]
            if review.comment:
                attrs.append(("qa:comment", review.comment))
            doc.entity(verdict, attrs)
            doc.generation(verdict, activity, at)
            doc.attribution(verdict, who)
    return doc


def _agent(doc: ProvDocument, src: SourceRecord) -> None:
    attrs: list[tuple[str, object]] = [
        ("prov:type", _KIND_TYPES[src.kind]),
        ("prov:label", src.name),
        ("qa:kind", src.kind),
    ]
    for name in ("role", "descriptor", "nationality"):
        value = getattr(src, name)
        if value:
            attrs.append((f"qa:{name}", value))
    attrs += [("qa:alias", alias) for alias in src.aliases]
    attrs += [("qa:externalId", f"{scheme}:{value}") for scheme, value in src.external_ids]
    doc.agent(source_id(src.uid), attrs)


def _quote(doc: ProvDocument, data: Dataset, q: QuoteRecord) -> None:
    attrs: list[tuple[str, object]] = [
        ("prov:type", QA["Quote"]),
        ("prov:label", _short(q.text)),
        ("prov:value", q.text),
        ("qa:quoteType", q.type),
        ("qa:status", q.status),
        ("qa:start", Literal(q.start, XSD_INT)),
        ("qa:end", Literal(q.end, XSD_INT)),
    ]
    if q.cue is not None:
        attrs += [("qa:cueStart", Literal(q.cue[0], XSD_INT)), ("qa:cueEnd", Literal(q.cue[1], XSD_INT))]
    for name in ("evidence_url", "archive_url", "note"):
        value = getattr(q, name)
        if value:
            attrs.append((f"qa:{_camel(name)}", value))
    first = quote_id(q.uid)
    doc.entity(first, attrs)
    if q.speaker_id is not None:
        doc.attribution(first, source_id(data.sources[q.speaker_id].uid))
    # Reported speech is derived from what was said, not a quotation of it.
    step = doc.derivation if q.type == QuoteType.INDIRECT.value else doc.quotation
    previous = first
    for i, hop in enumerate(q.hops, 1):
        current = step_id(q.uid, i)
        doc.entity(
            current, [("prov:type", QA["QuoteStep"]), ("prov:label", f"{_short(q.text)} ({hop.relation})")]
        )
        doc.attribution(current, source_id(data.sources[hop.source_id].uid))
        hop_attrs: list[tuple[str, object]] = [
            ("qa:relation", hop.relation),
            ("qa:position", Literal(i, XSD_INT)),
        ]
        if hop.evidence is not None:
            hop_attrs += [
                ("qa:evidenceStart", Literal(hop.evidence[0], XSD_INT)),
                ("qa:evidenceEnd", Literal(hop.evidence[1], XSD_INT)),
            ]
        step(current, previous, identifier=f"qa:hop-{q.uid}-{i}", other_attributes=hop_attrs)
        previous = current
    art = article_id(data.articles[q.article_id].uid)
    step(
        art, previous, identifier=f"qa:printed-{q.uid}", other_attributes=[("qa:quote", QA[f"quote-{q.uid}"])]
    )
    doc.primary_source(art, first, identifier=f"qa:primary-{q.uid}")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


# -- serializing and checking ---------------------------------------------------------------


@functools.cache
def load_schema() -> etree.XMLSchema:
    """The W3C PROV-XML schema (``schemas/prov/prov.xsd`` and what it includes), loaded once."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(schemas_dir() / "prov" / "prov.xsd"), parser))


def serialize(doc: ProvDocument, fmt: str) -> bytes:
    """``doc`` in ``fmt`` (a key of :data:`FORMATS`) as UTF-8 bytes, ending with a newline."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown PROV format {fmt!r}")
    if fmt == "prov-json":
        text = doc.serialize(format="json", indent=1)
    else:
        text = doc.serialize(format=FORMATS[fmt])
    assert text is not None
    return text.encode("utf-8").rstrip(b"\n") + b"\n"


def check(data: bytes, fmt: str, expected: ProvDocument, path: Path | str = "<document>") -> None:
    """Refuse (:class:`InteropError`) a serialized document that the schema (PROV-XML) refuses or
    that the library does not read back as ``expected``."""
    try:
        if fmt == "prov-xml":
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
            root = etree.fromstring(data, parser)
            schema = load_schema()
            if not schema.validate(root.getroottree()):
                err = schema.error_log[0]
                raise InteropError(path, f"not valid PROV-XML: {err.message}", line=err.line)
            # The library reads the tree just validated (its own deserialize would parse the bytes again).
            back = ProvDocument()
            ProvXMLSerializer().deserialize_subtree(root, back)
        else:
            back = ProvDocument.deserialize(content=data.decode("utf-8"), format=FORMATS[fmt])
    except InteropError:
        raise
    except etree.XMLSyntaxError as exc:
        raise InteropError(path, f"not well-formed XML: {exc.msg}", line=exc.lineno) from exc
    except Exception as exc:  # the library's parse errors have no common base class
        raise InteropError(path, f"the PROV library cannot read the document back: {exc}") from exc
    if back != expected:
        raise InteropError(path, "the document read back differs from the one built")


def export_prov(
    db_or_service: Database | Service,
    path: str | Path,
    fmt: str = "prov-json",
    *,
    status: str = "verified",
    article_ids: Iterable[int] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ExportResult:
    """Export the selected quotes (``status`` ``"verified"`` or ``"all"``; ``article_ids``: only
    those articles) as one PROV document in ``fmt``: ``"prov-xml"``, ``"prov-json"`` or
    ``"prov-n"``. The document is checked (:func:`check`) and then written atomically: a failed
    export leaves an existing file untouched. ``cancel`` is polled between quotes; when it returns
    true the export stops (:class:`InteropError`) and nothing is written."""
    path = Path(path)
    if fmt not in FORMATS:
        raise InteropError(path, f"unknown PROV format {fmt!r}: use {', '.join(FORMATS)}")
    data = load(database(db_or_service), status=status, article_ids=article_ids)
    doc = build_document(data, cancel_check(path, cancel))
    payload = serialize(doc, fmt)
    check(payload, fmt, doc, path)
    digest, size = write_atomic(path, payload)
    log.info("exported %d quote(s) as %s to %s", len(data.quotes), fmt, path)
    return ExportResult(path, fmt, len(data.quotes), len(data.articles), len(data.sources), digest, size)

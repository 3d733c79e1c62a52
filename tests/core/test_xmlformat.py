"""The XML quote set format: schema, streamed export, reader, round trip, CSV.

Everything here is at the format level (dataclasses <-> files); no database is involved.
"""

from __future__ import annotations

import csv
import hashlib
import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotator.canonical import canonicalize, context, sha256_text
from annotator.errors import QuoteSetError
from annotator.quotesets import xmlformat
from annotator.quotesets.csvformat import write_csv
from annotator.quotesets.model import (
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
    chain_text,
)
from annotator.quotesets.xmlformat import ExportCancelled, read_quoteset, verify_export, write_quoteset

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SCHEMA = ROOT / "schemas" / "quoteset-1.0.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"
NS = "urn:quote-annotator:quoteset:1.0"


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"quote-annotator-test:{name}"))


def header(**changes: object) -> SetHeader:
    base = dict(
        created="2026-11-25T10:00:00Z",
        created_by="ana",
        tool_name="quote-annotator",
        tool_version="0.1.0",
        filter_status="verified",
        filter_articles=(),
        filter_since=None,
        audit_head_seq=42,
        audit_head_sha256="ab" * 32,
        four_eyes=True,
    )
    base.update(changes)
    return SetHeader(**base)  # type: ignore[arg-type]


def istanbul_set() -> QuoteSet:
    """The real article and its gold quotes, as a quote set (outlet El País)."""
    text = (DATA / "istanbul-talks.txt").read_text(encoding="utf-8")
    assert len(text) == 4423 and canonicalize(text) == text
    gold = json.loads((DATA / "istanbul-talks.gold.json").read_text(encoding="utf-8"))
    sources: dict[str, SetSource] = {}

    def source(spec: dict) -> str:
        name = spec["name"]
        if name not in sources:
            affiliation = None
            if spec.get("affiliation"):
                affiliation = source({"name": spec["affiliation"], "kind": "organization"})
            anonymous = bool(spec.get("anonymous"))
            sources[name] = SetSource(
                id=uid(f"source:{name}"),
                kind="anonymous" if anonymous else spec["kind"],
                name=name,
                role=spec.get("role"),
                affiliation=affiliation,
                descriptor=f"a {name}" if anonymous else None,
                aliases=("Moskva",) if name == "Moscow" else (),
                external_ids=(("wikidata", "Q649"),) if name == "Moscow" else (),
            )
        return sources[name].id

    outlet = source({"name": "El País", "kind": "outlet"})
    article = SetArticle(
        id=uid("article:istanbul"),
        title=text.split("\n", 1)[0],
        outlet=outlet,
        url="https://example.org/istanbul-talks",
        byline=None,
        published="2025-05-17",
        language="en",
        text_sha256=sha256_text(text),
        text=text,
    )
    quotes = []
    for i, g in enumerate(gold["quotes"]):
        start, end = g["start"], g["end"]
        before, after = text.rfind(g["cue"], 0, start), text.find(g["cue"], end)
        cue_at = before if before >= 0 and (after < 0 or start - before <= after - end) else after
        prefix, suffix = context(text, start, end)
        hops = tuple(SetHop(source(h["source"]), h["relation"]) for h in g["chain"])
        quotes.append(
            SetQuote(
                id=uid(f"quote:{i}"),
                article=article.id,
                start=start,
                end=end,
                text=text[start:end],
                prefix=prefix,
                suffix=suffix,
                type=g["type"],
                cue=(cue_at, cue_at + len(g["cue"])) if cue_at >= 0 else None,
                speaker=source(g["speaker"]),
                hops=hops,
                status="verified",
                note=g.get("note"),
                status_by="ben",
                status_at="2026-11-24T16:30:00Z",
                created_by="ana",
                created_at="2026-11-20T09:12:03.250000+00:00",
                signoffs=(SignOff("ben", "2026-11-24T16:30:00Z", "approve", None, "cd" * 32),),
            )
        )
    return QuoteSet(header(filter_articles=(article.id,)), list(sources.values()), [article], quotes)


def write(path: Path, qs: QuoteSet, **kwargs: object) -> xmlformat.ExportResult:
    return write_quoteset(path, qs.header, qs.sources, qs.articles, qs.quotes, **kwargs)  # type: ignore[arg-type]


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------------------------ round trip


def test_round_trip_of_the_real_article(tmp_path: Path) -> None:
    qs = istanbul_set()
    out = tmp_path / "set.xml"
    result = write(out, qs)
    assert (result.sources, result.articles, result.quotes) == (len(qs.sources), 1, 18)
    back = read_quoteset(out)
    assert back == qs
    again = tmp_path / "again.xml"
    write(again, back)
    assert again.read_bytes() == out.read_bytes()
    assert leftovers(tmp_path) == []


def test_chain_text_shows_anonymous_sources_by_descriptor() -> None:
    qs = istanbul_set()
    by_id = {s.id: s for s in qs.sources}
    moscow = next(q for q in qs.quotes if q.hops)
    assert chain_text(moscow, by_id, "El País") == "Moscow ← a Turkish official ← CNN ← El País"
    direct = next(q for q in qs.quotes if not q.hops)
    assert chain_text(direct, by_id, None) == by_id[direct.speaker].name  # type: ignore[index]


def test_article_text_is_element_content_kept_verbatim(tmp_path: Path) -> None:
    text = '  leading spaces\n\n\ttab, <angle> & "quotes" ]]> and CDATA-ish\r-free  \n'
    qs = small_set(text)
    out = tmp_path / "set.xml"
    write(out, qs)
    root = etree.parse(str(out)).getroot()
    text_el = root.find(f"{{{NS}}}articles/{{{NS}}}article/{{{NS}}}text")
    assert text_el.text == text and text_el.get("sha256") == sha256_text(text)
    assert read_quoteset(out) == qs


def test_empty_optional_strings_and_absent_ones_differ(tmp_path: Path) -> None:
    qs = small_set("Some words said here.")
    q = qs.quotes[0]
    variants = [
        q,
        replace(q, note="", evidence_url="", archive_url=None),
        replace(q, status_by="", status_at=None, created_by=None, created_at=None),
    ]
    for i, variant in enumerate(variants):
        qs_i = QuoteSet(qs.header, qs.sources, qs.articles, [variant])
        write(tmp_path / f"{i}.xml", qs_i)
        assert read_quoteset(tmp_path / f"{i}.xml") == qs_i


def test_export_validates_with_plain_lxml(tmp_path: Path) -> None:
    out = tmp_path / "set.xml"
    write(out, istanbul_set())
    schema = etree.XMLSchema(file=str(SCHEMA))
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log
    root = doc.getroot()
    assert root.tag == f"{{{NS}}}quoteSet" and root.get("formatVersion") == "1.0"


def test_export_is_deterministic_and_writes_a_sha256sum_sidecar(tmp_path: Path) -> None:
    qs = istanbul_set()
    a, b = tmp_path / "a" / "set.xml", tmp_path / "b" / "set.xml"
    a.parent.mkdir()
    b.parent.mkdir()
    ra, rb = write(a, qs), write(b, qs)
    assert a.read_bytes() == b.read_bytes()
    digest = hashlib.sha256(a.read_bytes()).hexdigest()
    assert ra.sha256 == rb.sha256 == digest
    assert ra.sidecar == a.with_name("set.xml.sha256")
    assert ra.sidecar.read_text(encoding="utf-8") == f"{digest}  set.xml\n"
    assert ra.size == a.stat().st_size
    assert a.read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<quoteSet ")


def test_generators_are_accepted(tmp_path: Path) -> None:
    qs = istanbul_set()
    out = tmp_path / "set.xml"
    write_quoteset(out, qs.header, iter(qs.sources), (a for a in qs.articles), (q for q in qs.quotes))
    assert read_quoteset(out) == qs


# ------------------------------------------------------------------------------------ hypothesis

_PIECES = st.one_of(
    st.characters(codec="utf-8"),  # anything: controls and such are removed by canonicalize
    st.sampled_from(["😀", "👍🏽", "𝔘", "𐍈", "e\u0301", "\u0308", "ﬁ", "\n", "\t", " ", "\r\n", "«", "»"]),
)


def _texts(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Canonical texts with astral characters, emoji, combining marks and odd whitespace."""
    return st.lists(_PIECES, min_size=min_size, max_size=max_size).map(
        lambda parts: canonicalize("".join(parts))
    )


_RAW_TEXT = _texts()
_NONEMPTY = _RAW_TEXT.filter(lambda s: s.strip() != "")
_OPT = st.none() | _RAW_TEXT
_STAMP = st.datetimes(timezones=st.just(None)).map(lambda d: d.isoformat() + "Z")
_DATE = st.dates().map(lambda d: d.isoformat())


@st.composite
def quote_sets(draw: st.DrawFn) -> QuoteSet:
    n_sources = draw(st.integers(1, 12))
    ids = [str(uuid.UUID(int=i + 1)) for i in range(n_sources)]
    sources = []
    for sid in ids:
        kind = draw(st.sampled_from(SOURCE_KINDS))
        sources.append(
            SetSource(
                id=sid,
                kind=kind,
                name=draw(_NONEMPTY),
                role=draw(_OPT),
                affiliation=draw(st.none() | st.sampled_from(ids)),
                descriptor=draw(_NONEMPTY) if kind == "anonymous" else draw(st.none() | _NONEMPTY),
                nationality=draw(_OPT),
                aliases=tuple(draw(st.lists(_RAW_TEXT, max_size=2))),
                external_ids=tuple(draw(st.lists(st.tuples(_NONEMPTY, _RAW_TEXT), max_size=2))),
            )
        )
    outlets = [s.id for s in sources if s.kind == "outlet"]
    articles = []
    for j in range(draw(st.integers(1, 3))):
        text = draw(_texts(min_size=1, max_size=300).filter(lambda t: len(t) >= 1))
        articles.append(
            SetArticle(
                id=str(uuid.UUID(int=1000 + j)),
                title=draw(_OPT),
                outlet=draw(st.none() | st.sampled_from(outlets)) if outlets else None,
                url=draw(_OPT),
                byline=draw(_OPT),
                published=draw(st.none() | _DATE),
                language=draw(st.sampled_from([None, "en", "es", "pt-BR", "uk"])),
                text_sha256=sha256_text(text),
                text=text,
            )
        )
    quotes = []
    for k in range(draw(st.integers(0, 6))):
        article = draw(st.sampled_from(articles))
        n = len(article.text)
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, n))

        def span(n: int = n) -> tuple[int, int] | None:
            if not draw(st.booleans()):
                return None
            s = draw(st.integers(0, n - 1))
            return (s, draw(st.integers(s + 1, n)))

        chain = draw(st.permutations(ids))[: draw(st.integers(0, min(11, n_sources)))]
        speaker = chain[0] if chain and draw(st.booleans()) else None
        hop_ids = chain[1:] if speaker is not None else chain
        hops = tuple(
            SetHop(
                h, draw(st.sampled_from(["according to", "quoted by", "told", "via", "said to\n«x»"])), span()
            )
            for h in hop_ids[:10]
        )
        prefix, suffix = context(article.text, start, end)
        signoffs = tuple(
            SignOff(
                reviewer=draw(_NONEMPTY),
                at=draw(_STAMP),
                verdict=draw(st.sampled_from(VERDICTS)),
                comment=draw(_OPT),
                chain_sha256=hashlib.sha256(draw(st.binary(max_size=4))).hexdigest(),
            )
            for _ in range(draw(st.integers(0, 2)))
        )
        quotes.append(
            SetQuote(
                id=str(uuid.UUID(int=2000 + k)),
                article=article.id,
                start=start,
                end=end,
                text=article.text[start:end],
                prefix=prefix,
                suffix=suffix,
                type=draw(st.sampled_from(QUOTE_TYPES)),
                cue=span(),
                speaker=speaker,
                hops=hops,
                status=draw(st.sampled_from(STATUSES)),
                evidence_url=draw(_OPT),
                archive_url=draw(_OPT),
                note=draw(_OPT),
                status_by=draw(_OPT),
                status_at=draw(st.none() | _STAMP),
                created_by=draw(_OPT),
                created_at=draw(st.none() | _STAMP),
                signoffs=signoffs,
            )
        )
    head = SetHeader(
        created=draw(_STAMP),
        created_by=draw(_RAW_TEXT),
        tool_name="quote-annotator",
        tool_version=draw(st.sampled_from(["0.1.0", "1.0.0rc1"])),
        filter_status=draw(st.sampled_from(["verified", "all"])),
        filter_articles=tuple(draw(st.lists(st.sampled_from([a.id for a in articles]), max_size=2))),
        filter_since=draw(st.none() | _DATE),
        audit_head_seq=draw(st.none() | st.integers(0, 10**12)),
        audit_head_sha256=draw(st.none() | st.just("0f" * 32)),
        four_eyes=draw(st.booleans()),
    )
    return QuoteSet(head, sources, articles, quotes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qs=quote_sets())
def test_generated_sets_round_trip_byte_identical(
    tmp_path_factory: pytest.TempPathFactory, qs: QuoteSet
) -> None:
    directory = tmp_path_factory.mktemp("prop")
    first, second = directory / "first.xml", directory / "second.xml"
    write(first, qs)
    back = read_quoteset(first)
    assert back == qs
    write(second, back)
    assert second.read_bytes() == first.read_bytes()


# ------------------------------------------------------------------------- failures and refusals


def small_set(text: str = "The minister said the talks would resume.") -> QuoteSet:
    speaker = SetSource(uid("s:minister"), "person", "The Minister")
    anon = SetSource(uid("s:anon"), "anonymous", "Official", descriptor="a senior official")
    outlet = SetSource(uid("s:outlet"), "outlet", "Daily")
    article = SetArticle(uid("a:1"), "Talks", outlet.id, None, None, None, "en", sha256_text(text), text)
    start, end = 0, min(len(text), 12)
    prefix, suffix = context(text, start, end)
    quote = SetQuote(
        uid("q:1"), article.id, start, end, text[start:end], prefix, suffix, "indirect",
        speaker=speaker.id, hops=(SetHop(anon.id, "according to"),), status="verified",
    )  # fmt: skip
    return QuoteSet(header(), [speaker, anon, outlet], [article], [quote])


def test_failed_export_leaves_the_existing_file_untouched(tmp_path: Path) -> None:
    qs = istanbul_set()
    out = tmp_path / "set.xml"
    write(out, qs)
    before = out.read_bytes()
    sidecar_before = (tmp_path / "set.xml.sha256").read_bytes()

    def exploding():
        yield qs.quotes[0]
        yield qs.quotes[1]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        write_quoteset(out, qs.header, qs.sources, qs.articles, exploding())
    assert out.read_bytes() == before
    assert (tmp_path / "set.xml.sha256").read_bytes() == sidecar_before
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.xml", "set.xml.sha256"]


def test_interrupted_export_leaves_no_trace(tmp_path: Path) -> None:
    qs = istanbul_set()
    out = tmp_path / "set.xml"

    def interrupted():
        yield qs.quotes[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_quoteset(out, qs.header, qs.sources, qs.articles, interrupted())
    assert list(tmp_path.iterdir()) == []


def test_cancelled_export_leaves_no_trace(tmp_path: Path) -> None:
    qs = istanbul_set()
    out = tmp_path / "set.xml"
    out.write_bytes(b"old")
    polls = iter(range(1000))
    with pytest.raises(ExportCancelled, match="export cancelled") as err:
        write(out, qs, cancel=lambda: next(polls) >= 10)
    assert isinstance(err.value, QuoteSetError)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.xml"]


def test_xml_illegal_character_is_refused_before_writing(tmp_path: Path) -> None:
    qs = small_set()
    bad = replace(qs.quotes[0], note="beep\x07 here")
    out = tmp_path / "set.xml"
    with pytest.raises(QuoteSetError) as err:
        write_quoteset(out, qs.header, qs.sources, qs.articles, [bad])
    message = str(err.value)
    assert message.startswith(f"{out}: cannot export quote {bad.id}: ")
    assert "note contains U+0007 at position 4" in message
    assert list(tmp_path.iterdir()) == []


def test_non_canonical_article_text_is_refused_before_writing(tmp_path: Path) -> None:
    qs = small_set()
    text = "form\x0cfeed"
    article = replace(qs.articles[0], text=text, text_sha256=sha256_text(text))
    with pytest.raises(QuoteSetError, match=r"text contains U\+000C at position 4"):
        write_quoteset(tmp_path / "set.xml", qs.header, qs.sources, [article], [])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda qs: _replace_source(qs, 1, descriptor=None), "anonymous source needs a descriptor"),
        (lambda qs: _replace_quote(qs, start=1), "text does not match article"),
        (lambda qs: _replace_quote(qs, end=10**6), "do not fit article"),
        (lambda qs: _replace_quote(qs, prefix="x"), "prefix 'x' does not match"),
        (
            lambda qs: _replace_quote(qs, hops=(SetHop(uid("s:minister"), "via"),)),
            "appears twice in the chain",
        ),
        (lambda qs: _replace_quote(qs, speaker=uid("nobody")), "is not a source of the set"),
        (lambda qs: _replace_quote(qs, cue=(5, 10**6)), "cue [5, 1000000) does not fit"),
        (lambda qs: _replace_quote(qs, status="approved"), "status 'approved' is not one of"),
        (lambda qs: _replace_article(qs, text_sha256="0" * 64), "does not match its text"),
        (lambda qs: _replace_article(qs, outlet=uid("s:minister")), "is a source of kind person, not outlet"),
    ],
)
def test_inconsistent_data_is_refused_at_export(tmp_path: Path, change, reason: str) -> None:
    qs = change(small_set())
    out = tmp_path / "set.xml"
    with pytest.raises(QuoteSetError) as err:
        write(out, qs)
    assert reason in str(err.value) and str(err.value).startswith(f"{out}: cannot export ")
    assert list(tmp_path.iterdir()) == []


def test_schema_invalid_data_is_refused_at_export_with_the_line(tmp_path: Path) -> None:
    qs = small_set()
    bad = QuoteSet(header(created="yesterday"), qs.sources, qs.articles, qs.quotes)
    out = tmp_path / "set.xml"
    with pytest.raises(QuoteSetError) as err:
        write(out, bad)
    assert err.value.line == 4
    assert "not a valid quote set" in err.value.reason and "'yesterday'" in err.value.reason
    assert list(tmp_path.iterdir()) == []


def _replace_quote(qs: QuoteSet, **changes: object) -> QuoteSet:
    return QuoteSet(qs.header, qs.sources, qs.articles, [replace(qs.quotes[0], **changes)])


def _replace_article(qs: QuoteSet, **changes: object) -> QuoteSet:
    return QuoteSet(qs.header, qs.sources, [replace(qs.articles[0], **changes)], qs.quotes)


def _replace_source(qs: QuoteSet, index: int, **changes: object) -> QuoteSet:
    sources = list(qs.sources)
    sources[index] = replace(sources[index], **changes)
    return QuoteSet(qs.header, sources, qs.articles, qs.quotes)


# --------------------------------------------------------------------------------------- verify


def test_verify_export_accepts_a_fresh_export(tmp_path: Path) -> None:
    out = tmp_path / "set.xml"
    write(out, istanbul_set())
    verify_export(out)


def test_verify_export_detects_a_modified_file(tmp_path: Path) -> None:
    out = tmp_path / "set.xml"
    write(out, istanbul_set())
    data = out.read_bytes()
    out.write_bytes(data.replace(b"Russia is asking for too much.", b"Russia is asking for too little"))
    with pytest.raises(QuoteSetError, match="does not match set.xml.sha256") as err:
        verify_export(out)
    assert str(err.value).startswith(f"{out}: ")


def test_verify_export_needs_the_sidecar(tmp_path: Path) -> None:
    out = tmp_path / "set.xml"
    write(out, small_set())
    (tmp_path / "set.xml.sha256").unlink()
    with pytest.raises(QuoteSetError, match="checksum file set.xml.sha256 is missing"):
        verify_export(out)


def test_verify_export_also_validates(tmp_path: Path) -> None:
    """A file whose sidecar was recomputed after tampering still fails the checks."""
    out = tmp_path / "set.xml"
    write(out, small_set())
    tampered = out.read_bytes().replace(b'start="0"', b'start="1"')
    out.write_bytes(tampered)
    (tmp_path / "set.xml.sha256").write_text(f"{hashlib.sha256(tampered).hexdigest()}  set.xml\n")
    with pytest.raises(QuoteSetError, match="text does not match article"):
        verify_export(out)


# --------------------------------------------------------------------------------------- schema


def test_schema_is_loaded_once_and_found() -> None:
    assert xmlformat.schema_path().read_bytes() == SCHEMA.read_bytes()
    assert xmlformat.load_schema() is xmlformat.load_schema()


def test_schema_is_offline_versioned_and_documented() -> None:
    doc = etree.parse(str(SCHEMA))
    root = doc.getroot()
    assert root.get("targetNamespace") == NS
    assert not root.findall(f"{XS}import") and not root.findall(f"{XS}include")
    assert not root.findall(f"{XS}redefine")
    version = root.find(f"{XS}element[@name='quoteSet']/{XS}complexType/{XS}attribute[@name='formatVersion']")
    assert version.get("fixed") == "1.0" and version.get("use") == "required"
    undocumented = []
    for el in root.iter(f"{XS}element", f"{XS}complexType", f"{XS}simpleType", f"{XS}attribute"):
        if el.tag in (f"{XS}complexType", f"{XS}simpleType") and el.get("name") is None:
            continue  # anonymous types are documented by their element
        doc_el = el.find(f"{XS}annotation/{XS}documentation")
        if doc_el is None or not (doc_el.text or "").strip():
            undocumented.append(f"line {el.sourceline}: {etree.QName(el).localname} {el.get('name')}")
    assert undocumented == []
    keyrefs = {k.get("name") for k in root.iter(f"{XS}keyref")}
    assert keyrefs == {"sourceAffiliation", "articleOutlet", "quoteArticle", "quoteSpeaker", "hopSource"}


# ------------------------------------------------------------------------------------------- CSV


def test_csv_has_one_row_per_quote_and_flattened_chains(tmp_path: Path) -> None:
    qs = istanbul_set()
    out = tmp_path / "set.csv"
    assert write_csv(out, qs) == 18
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    head, body = rows[0], rows[1:]
    assert head[:4] == ["quote_id", "article_title", "outlet", "start"]
    assert len(body) == 18
    moscow = next(r for r in body if r[head.index("speaker")] == "Moscow")
    assert moscow[head.index("chain")] == "Moscow ← a Turkish official ← CNN ← El País"
    assert moscow[head.index("relations")] == "according to; quoted by"
    assert moscow[head.index("reviewers")] == "ben: approve"
    assert moscow[head.index("outlet")] == "El País"
    assert leftovers(tmp_path) == []


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    text = '=HYPERLINK("http://evil") said -5 and +1 and @SUM(A1)'
    qs = small_set(text)
    q = qs.quotes[0]
    note = "\tcmd"
    quotes = [replace(q, note=note, evidence_url="@x", text=q.text)]
    out = tmp_path / "f.csv"
    write_csv(out, (qs.sources, qs.articles, quotes))
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    head, row = rows[0], rows[1]
    assert row[head.index("text")] == "'" + q.text
    assert row[head.index("note")] == "'\tcmd"
    assert row[head.index("evidence_url")] == "'@x"
    assert row[head.index("start")] == "0"
    for cell in row:
        assert not cell or cell[0] not in "=+-@\t\r"


def test_failed_csv_export_leaves_the_existing_file(tmp_path: Path) -> None:
    qs = istanbul_set()
    out = tmp_path / "set.csv"
    out.write_text("old", encoding="utf-8")

    def exploding():
        yield qs.quotes[0]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_csv(out, (qs.sources, qs.articles, exploding()))
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.csv"]


def test_article_text_over_the_parser_limit_is_refused_at_export(tmp_path: Path) -> None:
    text = "x" * (xmlformat.MAX_TEXT_BYTES + 1)
    qs = small_set()
    article = replace(qs.articles[0], text=text, text_sha256=sha256_text(text))
    with pytest.raises(QuoteSetError, match="its text is longer than 10,000,000 bytes of UTF-8"):
        write_quoteset(tmp_path / "set.xml", qs.header, qs.sources, [article], [])
    assert list(tmp_path.iterdir()) == []


def test_the_example_in_the_partner_docs_is_a_valid_quote_set(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "quoteset-format.md").read_text(encoding="utf-8")
    example = doc.split("```xml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.xml"
    path.write_text(example, encoding="utf-8")
    qs = read_quoteset(path)
    by_id = {s.id: s for s in qs.sources}
    outlet = by_id[qs.articles[0].outlet]  # type: ignore[index]
    assert chain_text(qs.quotes[0], by_id, outlet.name) == "Moscow ← a Turkish official ← CNN ← El País"
    write(tmp_path / "again.xml", qs)
    assert (tmp_path / "again.xml").read_text(encoding="utf-8") == example

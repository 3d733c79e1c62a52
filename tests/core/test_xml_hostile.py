"""Hostile and broken quote set files: each is refused with a clear QuoteSetError.

The hostile documents are generated here, in tmp_path, from a small valid export. Every test
checks that the message names the file and the reason (and the line, where one is meaningful),
and that nothing leaked: no local file content ever appears in a result or a message.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import re
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from annotator.canonical import context, sha256_text
from annotator.errors import QuoteSetError
from annotator.quotesets import xmlformat
from annotator.quotesets.importer import set_chain_sha256
from annotator.quotesets.model import QuoteSet, SetArticle, SetHeader, SetHop, SetQuote, SetSource, SignOff
from annotator.quotesets.xmlformat import read_quoteset, write_quoteset

NS = "urn:quote-annotator:quoteset:1.0"
SECRET = "TOP-SECRET-CONTENT-4711"
TEXT = "The minister said the talks would resume next week, according to an official."


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hostile:{name}"))


def valid_set() -> QuoteSet:
    speaker = SetSource(uid("minister"), "person", "The Minister")
    anon = SetSource(uid("official"), "anonymous", "Official", descriptor="an official")
    outlet = SetSource(uid("outlet"), "outlet", "Daily")
    article = SetArticle(
        uid("article"), "Talks", outlet.id, None, None, "2025-05-17", "en", sha256_text(TEXT), TEXT
    )
    start, end = 22, 50
    prefix, suffix = context(TEXT, start, end)
    quote = SetQuote(
        uid("quote"), article.id, start, end, TEXT[start:end], prefix, suffix, "indirect",
        speaker=speaker.id, hops=(SetHop(anon.id, "according to"),), status="verified",
    )  # fmt: skip
    # Verified as the app verifies: an approval signed for this very chain.
    approval = SignOff("ben", "2026-11-24T09:00:00Z", "approve", None, set_chain_sha256(quote))
    quote = replace(quote, signoffs=(approval,))
    head = SetHeader("2026-11-25T10:00:00Z", "ana", "quote-annotator", "0.1.0")
    return QuoteSet(head, [speaker, anon, outlet], [article], [quote])


@pytest.fixture
def valid_bytes(tmp_path: Path) -> bytes:
    out = tmp_path / "valid" / "set.xml"
    out.parent.mkdir()
    qs = valid_set()
    write_quoteset(out, qs.header, qs.sources, qs.articles, qs.quotes)
    assert read_quoteset(out) == qs
    return out.read_bytes()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


DECL = b"<?xml version='1.0' encoding='utf-8'?>\n"


def with_doctype(valid: bytes, doctype: str, *, entity_in_text: str | None = None) -> bytes:
    body = valid[len(DECL) :]
    if entity_in_text:
        body = body.replace(
            b"<createdBy>ana</createdBy>", f"<createdBy>{entity_in_text}</createdBy>".encode()
        )
    return DECL + doctype.encode() + b"\n" + body


def refused(path: Path, data: bytes, *, max_bytes: int | None = None) -> QuoteSetError:
    path.write_bytes(data)
    kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
    with pytest.raises(QuoteSetError) as err:
        read_quoteset(path, **kwargs)
    error = err.value
    assert str(error).startswith(f"{path}:"), str(error)
    assert error.path == path
    assert SECRET not in str(error)
    return error


# ------------------------------------------------------------------------------- entities / DTDs


def test_external_general_entity_is_refused(tmp_path: Path, valid_bytes: bytes, secret: Path) -> None:
    data = with_doctype(
        valid_bytes, f'<!DOCTYPE quoteSet [<!ENTITY xxe SYSTEM "file://{secret}">]>', entity_in_text="&xxe;"
    )
    error = refused(tmp_path / "xxe.xml", data)
    assert "DOCTYPE is refused" in error.reason and error.line == 2


def test_external_parameter_entity_is_refused(tmp_path: Path, valid_bytes: bytes, secret: Path) -> None:
    evil = tmp_path / "evil.dtd"
    evil.write_text(f'<!ENTITY % file SYSTEM "file://{secret}"><!ENTITY leak "%file;">', encoding="utf-8")
    data = with_doctype(
        valid_bytes,
        f'<!DOCTYPE quoteSet [<!ENTITY % pe SYSTEM "file://{evil}"> %pe;]>',
        entity_in_text="&leak;",
    )
    error = refused(tmp_path / "param.xml", data)
    assert "DOCTYPE is refused" in error.reason and error.line == 2


def test_billion_laughs_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    data = with_doctype(valid_bytes, f"<!DOCTYPE quoteSet [{''.join(entities)}]>", entity_in_text="&lol9;")
    error = refused(tmp_path / "lol.xml", data)
    assert "DOCTYPE is refused" in error.reason


def test_quadratic_blowup_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    big = "x" * 50_000
    data = with_doctype(
        valid_bytes, f'<!DOCTYPE quoteSet [<!ENTITY a "{big}">]>', entity_in_text="&a;" * 10_000
    )
    error = refused(tmp_path / "quadratic.xml", data)
    assert "DOCTYPE is refused" in error.reason


def test_external_dtd_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    dtd = tmp_path / "ext.dtd"
    dtd.write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    data = with_doctype(valid_bytes, f'<!DOCTYPE quoteSet SYSTEM "file://{dtd}">', entity_in_text="&leak;")
    error = refused(tmp_path / "dtd.xml", data)
    assert "DOCTYPE is refused" in error.reason
    remote = with_doctype(valid_bytes, '<!DOCTYPE quoteSet PUBLIC "-//X//Y" "http://203.0.113.1/x.dtd">')
    assert "DOCTYPE is refused" in refused(tmp_path / "remote.xml", remote).reason


def test_doctype_after_prolog_comments_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = with_doctype(valid_bytes, "<!-- hello -->\n<?pi x?>\n<!doctype quoteSet>")
    error = refused(tmp_path / "late.xml", data)
    assert "DOCTYPE is refused" in error.reason and error.line == 4


def test_parser_options_alone_do_not_expand_external_entities(secret: Path) -> None:
    """Defence in depth: even if the DOCTYPE check were bypassed, the parser loads nothing."""
    doc = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]><r>&xxe;</r>'.encode()
    parser = etree.XMLParser(**xmlformat._safe_parser_options())
    root = etree.fromstring(doc, parser)
    assert SECRET not in etree.tostring(root, encoding="unicode")
    assert SECRET not in "".join(root.itertext())


# ----------------------------------------------------------------------------- other hostile input


def test_xinclude_is_refused(tmp_path: Path, valid_bytes: bytes, secret: Path) -> None:
    include = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" parse="text"/>'
    data = valid_bytes.replace(b"<createdBy>ana</createdBy>", f"<createdBy>{include}</createdBy>".encode())
    error = refused(tmp_path / "xinclude.xml", data)
    assert error.reason == "XInclude is refused (xi:include element)"
    assert error.line == _line_of(data, b"<createdBy>")


def test_xinclude_in_a_quote_is_refused(tmp_path: Path, valid_bytes: bytes, secret: Path) -> None:
    include = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" parse="text"/>'
    data = valid_bytes.replace(b"<note", include.encode() + b"<note", 1)
    data = re.sub(rb"(<quote [^>]*>)", rb"\1" + include.encode(), data)
    error = refused(tmp_path / "xinclude2.xml", data)
    assert "XInclude is refused" in error.reason and error.line is not None


@pytest.mark.parametrize(
    ("name", "compress"),
    [
        ("gzip", gzip.compress),
        ("bzip2", bz2.compress),
        ("xz", lzma.compress),
    ],
)
def test_compressed_input_disguised_as_xml_is_refused(
    tmp_path: Path, valid_bytes: bytes, name, compress
) -> None:
    error = refused(tmp_path / "set.xml", compress(valid_bytes))
    assert error.reason == f"compressed input ({name}) is refused; decompress it first"


def test_zip_disguised_as_xml_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("set.xml", valid_bytes)
    error = refused(tmp_path / "set.xml", archive.read_bytes())
    assert "compressed input (zip)" in error.reason


def test_ten_thousand_deep_nesting_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    deep = b"<x>" * 10_000 + b"</x>" * 10_000
    data = valid_bytes.replace(b"<createdBy>ana</createdBy>", b"<createdBy>" + deep + b"</createdBy>")
    error = refused(tmp_path / "deep.xml", data)
    assert error.reason == "elements nested deeper than 64 levels are refused"


def test_moderately_deep_nesting_is_refused_at_the_cap(tmp_path: Path, valid_bytes: bytes) -> None:
    deep = b"<x>\n" * 100 + b"</x>" * 100
    data = valid_bytes.replace(b"<createdBy>ana</createdBy>", b"<createdBy>" + deep + b"</createdBy>")
    error = refused(tmp_path / "deep100.xml", data)
    assert error.reason == "elements nested deeper than 64 levels are refused"
    # The 65th level: root, header, createdBy, then the 62nd x, one x per line.
    assert error.line == _line_of(data, b"<createdBy>") + 61


@pytest.mark.parametrize(
    "doc",
    [
        b"<a>" * 10_000 + b"</a>" * 10_000,
        f'<quoteSet xmlns="{NS}" formatVersion="1.0">'.encode()
        + b"<a>" * 10_000
        + b"</a>" * 10_000
        + b"</quoteSet>",
    ],
    ids=["bare", "under-root"],
)
def test_deep_documents_of_other_shapes_are_refused_cleanly(tmp_path: Path, doc: bytes) -> None:
    error = refused(tmp_path / "deep.xml", doc)
    assert error.reason  # refused with a message, no crash, no recursion error


def test_too_many_elements_in_one_item_are_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    flood = b"<x/>" * (xmlformat.MAX_ITEM_ELEMENTS + 1)
    data = re.sub(rb"(<quote [^>]*>)", rb"\1" + flood, valid_bytes)
    error = refused(tmp_path / "flood.xml", data)
    assert "elements in one item are refused" in error.reason


def test_over_the_size_cap_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    error = refused(tmp_path / "big.xml", valid_bytes, max_bytes=1000)
    assert error.reason == f"file is {len(valid_bytes):,} bytes, over the limit of 1,000 bytes"


def test_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QuoteSetError, match="not a regular file"):
        read_quoteset(tmp_path)
    fifo = tmp_path / "fifo.xml"
    os.mkfifo(fifo)
    with pytest.raises(QuoteSetError, match="not a regular file"):  # and does not hang
        read_quoteset(fifo)
    with pytest.raises(QuoteSetError, match="cannot read the file: No such file or directory"):
        read_quoteset(tmp_path / "missing.xml")


# ------------------------------------------------------------------------------ format identity


def test_wrong_namespace_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(NS.encode(), b"urn:quote-annotator:quoteset:2.0")
    error = refused(tmp_path / "ns.xml", data)
    assert error.reason == f"wrong namespace urn:quote-annotator:quoteset:2.0, expected {NS}"
    assert error.line == 2


def test_no_namespace_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(f' xmlns="{NS}"'.encode(), b"")
    error = refused(tmp_path / "nons.xml", data)
    assert error.reason == f"wrong namespace (no namespace), expected {NS}"


def test_wrong_format_version_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b'formatVersion="1.0"', b'formatVersion="2.0"')
    error = refused(tmp_path / "v2.xml", data)
    assert error.reason == "format version 2.0 is not supported (this reader reads 1.0, 1.1)"
    assert error.line == 2


def test_wrong_root_element_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path / "root.xml", f'<html xmlns="{NS}" formatVersion="1.0"/>'.encode())
    assert error.reason == "root element is html, expected quoteSet"


# ------------------------------------------------------------------------------ garbage / encoding


@pytest.mark.parametrize(
    "data",
    [b"this is not XML at all\n", b"\x00\x01\x02\x03binary", b'{"json": true}', b"   \n"],
    ids=["text", "binary", "json", "blank"],
)
def test_plain_garbage_is_refused(tmp_path: Path, data: bytes) -> None:
    error = refused(tmp_path / "garbage.xml", data)
    assert "not an XML document" in error.reason or "empty file" in error.reason


def test_truncated_file_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    error = refused(tmp_path / "cut.xml", valid_bytes[: len(valid_bytes) // 2])
    assert error.reason.startswith("not well-formed XML: ") and error.line is not None


def test_malformed_markup_is_refused_with_its_line(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b"<createdBy>ana</createdBy>", b"<createdBy>ana</created>")
    error = refused(tmp_path / "mismatch.xml", data)
    assert error.reason.startswith("not well-formed XML: Opening and ending tag mismatch")
    assert error.line == _line_of(data, b"<createdBy>")


def test_non_utf8_encodings_are_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    utf16 = valid_bytes.replace(b"encoding='utf-8'", b"encoding='utf-16'").decode("utf-8").encode("utf-16")
    assert "only UTF-8 is accepted" in refused(tmp_path / "u16.xml", utf16).reason
    latin = valid_bytes.replace(b"encoding='utf-8'", b"encoding='ISO-8859-1'")
    error = refused(tmp_path / "latin.xml", latin)
    assert error.reason == "encoding ISO-8859-1 is refused; only UTF-8 is accepted"
    invalid = valid_bytes.replace(b"<createdBy>ana", b"<createdBy>an\xff")
    assert "not well-formed XML" in refused(tmp_path / "bad.xml", invalid).reason


# -------------------------------------------------------------------------------- schema errors


def test_dangling_reference_is_refused_by_the_keyref(tmp_path: Path, valid_bytes: bytes) -> None:
    ghost = uid("ghost")
    data = valid_bytes.replace(f'speaker="{uid("minister")}"'.encode(), f'speaker="{ghost}"'.encode())
    error = refused(tmp_path / "dangling.xml", data)
    assert error.reason.startswith("not a valid quote set: ")
    assert f"No match found for key-sequence ['{ghost}'] of keyref 'quoteSpeaker'" in error.reason
    assert error.line == _line_of(data, b"<quote ")


def test_dangling_hop_source_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    ghost = uid("ghost")
    data = valid_bytes.replace(f'<hop source="{uid("official")}"'.encode(), f'<hop source="{ghost}"'.encode())
    error = refused(tmp_path / "hop.xml", data)
    assert "keyref 'hopSource'" in error.reason and error.line == _line_of(data, b"<hop ")


def test_duplicate_id_is_refused_by_the_key(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(uid("official").encode(), uid("minister").encode())
    error = refused(tmp_path / "dup.xml", data)
    assert "Duplicate key-sequence" in error.reason and "'sourceId'" in error.reason


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (b'type="indirect"', b'type="rumour"', "'rumour' is not an element of the set"),
        (b'status="verified"', b'status="approved"', "'approved' is not an element of the set"),
        (b'kind="anonymous"', b'kind="ghost"', "'ghost' is not an element of the set"),
        (b'start="22"', b'start="-1"', "'-1' is not a valid value"),
        (b'start="22"', b'start="x"', "'x' is not a valid value"),
        (b"<note", b"<nope", ""),
    ],
)
def test_schema_violations_are_refused_with_their_line(
    tmp_path: Path, valid_bytes: bytes, old, new, words
) -> None:
    if old not in valid_bytes:
        data = re.sub(rb"(</prefix>)", rb"\1<nope/>", valid_bytes)
    else:
        data = valid_bytes.replace(old, new, 1)
    error = refused(tmp_path / "invalid.xml", data)
    assert error.reason.startswith("not a valid quote set: ") and words in error.reason
    assert error.line is not None


def _line_of(data: bytes, marker: bytes) -> int:
    return data.count(b"\n", 0, data.index(marker)) + 1


# ------------------------------------------------------------------------------ semantic errors


def test_quote_offsets_not_matching_the_article_are_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b'start="22" end="50"', b'start="23" end="51"')
    error = refused(tmp_path / "offsets.xml", data)
    assert error.reason.startswith(
        f"quote {uid('quote')}: text does not match article {uid('article')} at [23, 51)"
    )
    assert error.line == _line_of(data, b"<quote ")


def test_quote_end_past_the_text_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b'end="50"', b'end="5000"')
    error = refused(tmp_path / "end.xml", data)
    assert (
        f"offsets [22, 5000) do not fit article {uid('article')} (text of {len(TEXT)} code points)"
        in error.reason
    )


def test_article_hash_mismatch_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b"next week", b"next year")
    error = refused(tmp_path / "hash.xml", data)
    assert (
        f"article {uid('article')}: text_sha256" in error.reason and "does not match its text" in error.reason
    )
    assert error.line == _line_of(data, b"<article ")


def test_prefix_mismatch_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = re.sub(rb"<prefix>[^<]*</prefix>", b"<prefix>Someone else</prefix>", valid_bytes)
    error = refused(tmp_path / "prefix.xml", data)
    assert "prefix 'Someone else' does not match the article text before it" in error.reason


def test_anonymous_source_without_descriptor_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b"<descriptor>an official</descriptor>", b"")
    error = refused(tmp_path / "anon.xml", data)
    assert (
        error.reason
        == f"source {uid('official')}: an anonymous source needs a descriptor (e.g. 'a Turkish official')"
    )
    assert error.line == _line_of(data, b'kind="anonymous"')


def test_source_twice_in_a_chain_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(
        f'<hop source="{uid("official")}"'.encode(), f'<hop source="{uid("minister")}"'.encode()
    )
    error = refused(tmp_path / "twice.xml", data)
    assert f"source {uid('minister')} appears twice in the chain (hop 0)" in error.reason


def test_hop_evidence_outside_the_text_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = re.sub(rb"(<hop [^>]*)></hop>", rb'\1><evidence start="10" end="9999"/></hop>', valid_bytes)
    error = refused(tmp_path / "evidence.xml", data)
    assert "hop 0 evidence [10, 9999) does not fit the article text" in error.reason


def test_outlet_of_the_wrong_kind_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(f'outlet="{uid("outlet")}"'.encode(), f'outlet="{uid("minister")}"'.encode())
    error = refused(tmp_path / "outlet.xml", data)
    assert f"outlet {uid('minister')} is a source of kind person, not outlet" in error.reason


# ------------------------------------------------------------------------- no false positives


def test_markup_lookalikes_inside_texts_are_fine(tmp_path: Path) -> None:
    """Article text may contain '<!DOCTYPE', XInclude URIs and entity-like strings: they are
    escaped character data, not markup."""
    text = (
        '<!DOCTYPE html> <xi:include xmlns:xi="http://www.w3.org/2001/XInclude"/> &amp; &xxe; ]]> '
        "said the engineer."
    )
    qs = valid_set()
    article = replace(qs.articles[0], text=text, text_sha256=sha256_text(text))
    prefix, suffix = context(text, 0, 15)
    quote = replace(qs.quotes[0], start=0, end=15, text=text[:15], prefix=prefix,
                        suffix=suffix)  # fmt: skip
    out = tmp_path / "lookalike.xml"
    write_quoteset(out, qs.header, qs.sources, [article], [quote])
    assert read_quoteset(out).articles[0].text == text


def test_comments_and_processing_instructions_are_ignored(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b"<createdBy>ana</createdBy>", b"<createdBy>a<!-- c -->n<?pi x?>a</createdBy>")
    data = data.replace(DECL, DECL + b"<!-- exported by hand -->\n")
    (tmp_path / "c.xml").write_bytes(data)
    assert read_quoteset(tmp_path / "c.xml") == valid_set()


def test_text_over_libxml2s_limit_is_refused(tmp_path: Path, valid_bytes: bytes) -> None:
    huge = b"a" * (xmlformat.MAX_TEXT_BYTES + 500_000)
    data = re.sub(rb"(<text sha256=\"[0-9a-f]+\">)[^<]*", lambda m: m.group(1) + huge, valid_bytes)
    error = refused(tmp_path / "huge.xml", data)
    assert error.reason == "a text or attribute longer than libxml2's limit (10,000,000 bytes) is refused"


def test_undefined_entity_reference_is_refused_with_its_line(tmp_path: Path, valid_bytes: bytes) -> None:
    data = valid_bytes.replace(b"<createdBy>ana</createdBy>", b"<createdBy>an&xxe;a</createdBy>")
    error = refused(tmp_path / "undefined.xml", data)
    assert error.reason == "not well-formed XML: Entity 'xxe' not defined"
    assert error.line == _line_of(data, b"<createdBy>")


# ------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("pattern", "attribute", "element"),
    [
        (rb'(<quote [^>]*?start=")\d+', "start", "quote"),
        (rb'(<quote [^>]*?end=")\d+', "end", "quote"),
        (rb'(<auditHead [^>]*?seq=")\d+', "seq", "auditHead"),
    ],
)
def test_numbers_over_python_s_digit_limit_name_the_attribute(
    tmp_path: Path, valid_bytes: bytes, pattern: bytes, attribute: str, element: str
) -> None:
    data = valid_bytes
    if element == "auditHead":
        qs = valid_set()
        header = replace(qs.header, audit_head_seq=7, audit_head_sha256="a" * 64)
        write_quoteset(tmp_path / "head.xml", header, qs.sources, qs.articles, qs.quotes)
        data = (tmp_path / "head.xml").read_bytes()
    hostile, n = re.subn(pattern, rb"\g<1>" + b"9" * 5_000, data, count=1)
    assert n == 1
    line = hostile[: re.search(pattern.replace(rb"\d+", b"9"), hostile).start()].count(b"\n") + 1
    error = refused(tmp_path / "digits.xml", hostile)
    assert "Exceeds the limit" not in str(error) and "ValueError" not in str(error)
    assert error.reason == (
        f"attribute {attribute} of {element} is a number of 5,000 characters; "
        f"numbers longer than {xmlformat.MAX_DIGITS} digits are refused"
    )
    assert error.line == line

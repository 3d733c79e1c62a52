"""Reading article files (plain text or saved HTML pages) into canonical text plus metadata.

Pure functions, no database. The service layer calls :func:`read_article` for one file and
:func:`article_files` to list a folder; both report problems as
:class:`~annotator.errors.ArticleImportError` ("<path>: <reason>").

* ``.txt`` files may start with a ``Key: value`` metadata header closed by a ``---`` line (see
  ``docs/article-format.md``); the body after it is kept verbatim apart from
  :func:`~annotator.canonical.canonicalize`, so offsets computed on the original file's body hold.
* ``.html``/``.htm`` pages are decoded here (BOM, ``<meta charset>``, XML declaration), then the
  article body and metadata are extracted with trafilatura; when trafilatura finds nothing, a
  simple lxml-based extractor is used instead. Paragraphs are separated by one blank line.
  Before extraction a cheap streaming pass refuses pages with too many elements, too many children
  under one element or too deep a nesting (:data:`MAX_HTML_ELEMENTS`, :data:`MAX_HTML_CHILDREN`,
  :data:`MAX_HTML_DEPTH`): trafilatura's time grows faster than linearly with them.
* Problems that do not stop an import (invalid bytes replaced, mojibake repaired, bidi controls
  removed from metadata) are kept in :attr:`ExtractedArticle.warnings`.
* The language is detected from the text (py3langid, model shipped in the package) when the file
  does not say it; the outlet is cleaned of legal suffixes and locations; a byline that is only the
  outlet's name or a photo credit is dropped.
* :func:`scan_folder` lists a folder (not its subfolders unless ``recursive``) and refuses symbolic
  links that lead out of it.
"""

from __future__ import annotations

import codecs
import datetime
import functools
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.canonical import canonicalize, sha256_bytes, sha256_text
from annotator.errors import ArticleImportError

if TYPE_CHECKING:  # pragma: no cover
    from lxml.html import HtmlElement

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".html", ".htm"})
MAX_FILE_BYTES = 20 * 1024 * 1024

HEADER_KEYS = ("title", "outlet", "url", "date", "language", "byline")
"""Keys allowed in a plain-text metadata header (case-insensitive)."""

HEADER_END = "---"
TITLE_MAX_CHARS = 200
SNIFF_BYTES = 4096
"""How much of an HTML file is searched for a declared charset."""

MAX_HTML_ELEMENTS = 15_000
"""Pages with more elements are refused before extraction (trafilatura needs ~0.4 ms per element
and more on dense pages; a news article page has a few thousand). See benchmarks/bench_import.py."""
MAX_HTML_CHILDREN = 1_000
"""Most children under one element (trafilatura is quadratic in the inline children of a block)."""
MAX_HTML_DEPTH = 250
"""Deepest nesting accepted (libxml2 stops building the tree past 255 levels and loses the rest)."""
MESS_THRESHOLD = 0.2
"""charset-normalizer's own default: above this mess ratio a decoding is taken for noise."""
LANGUAGE_MIN_CONFIDENCE = 0.9
LANGUAGE_MIN_LETTERS = 40
LANGUAGE_SAMPLE_CHARS = 10_000


@dataclass(frozen=True)
class ExtractedArticle:
    """One imported article: its canonical text and what is known about it."""

    text: str
    """Canonical text (never empty or whitespace-only). Offsets are code points into it."""
    title: str | None
    outlet: str | None
    url: str | None
    byline: str | None
    published: datetime.date | None
    language: str | None
    filename: str
    format: str
    """``"txt"`` or ``"html"``."""
    encoding: str
    """Codec actually used to decode the bytes, e.g. ``"utf-8"``, ``"utf-16"``, ``"cp1252"``."""
    raw_sha256: str
    text_sha256: str
    extractor: str
    """``"plain"`` (.txt), ``"trafilatura"`` or ``"fallback"`` (lxml, when trafilatura found nothing)."""
    warnings: list[str] = field(default_factory=list)
    """What was repaired or dropped on the way (one sentence each); empty for a clean file."""
    raw: bytes = field(default=b"", repr=False)
    """The file's or page's bytes, as read (kept, compressed, with the article's version)."""
    declared_charset: str | None = None
    """The charset the server or the page declared, if any."""


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _codec_name(label: str) -> str | None:
    """Python's canonical name for an encoding label, or None if unknown (``iso8859-7`` → ``iso-8859-7``)."""
    try:
        name = codecs.lookup(label.strip()).name
    except (LookupError, ValueError):
        return None
    if name.startswith("iso8859-"):
        name = "iso-" + name[3:]
    return name


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec used and what was repaired on the way."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _utf8_with_errors(data: bytes) -> tuple[str, int, int]:
    """``data`` decoded as UTF-8 with invalid bytes replaced by U+FFFD: ``(text, replaced, valid)``.

    ``valid`` counts the well-formed multi-byte sequences (non-ASCII characters), a sign that the
    file really is UTF-8: text in a one-byte charset almost never forms them.
    """
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return text, replaced, non_ascii - replaced


def _first_invalid(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


def _looks_like_noise(text: str) -> str | None:
    """A reason when ``text`` (a cp1252 or declared-charset decoding) is noise rather than language.

    Judged by charset-normalizer's mess detector on up to three 20,000-character samples.
    """
    from charset_normalizer.md import mess_ratio

    size = 20_000
    samples = [text[:size]]
    if len(text) > 3 * size:
        mid = len(text) // 2
        samples += [text[mid : mid + size], text[-size:]]
    ratio = max(mess_ratio(sample, 1.0) for sample in samples if sample)
    if ratio < MESS_THRESHOLD:
        return None
    controls = sum(1 for ch in samples[0] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r")
    share = controls / max(len(samples[0]), 1)
    return f"mostly unprintable ({share:.0%} control characters; looks like binary data, not text)"


def _repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Repair UTF-8 that was decoded with a one-byte charset ("BÃ¼rgermeister") with ftfy.

    Only ftfy's encoding fixes are applied (no quote uncurling, width or ligature changes). ftfy
    works line by line and skips lines without suspicious characters, so this is fast on any size
    (its whole-text ``is_bad`` is not: 20 s on 20 MB).
    """
    from ftfy import TextFixerConfig, fix_text

    config = TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    fixed = fix_text(text, config)
    if fixed == text:
        return text, []
    example = _first_difference(text, fixed)
    return fixed, [f"repaired mojibake (text decoded with the wrong charset, e.g. {example})"]


def _first_difference(old: str, new: str) -> str:
    i = 0
    while i < min(len(old), len(new)) and old[i] == new[i]:
        i += 1
    return f"{old[i : i + 3]!r} → {new[i : i + 1]!r}"


def decode_text(data: bytes, declared: str | None = None, *, repair: bool = True) -> Decoded:
    """Decode ``data`` into a :class:`Decoded`.

    Tried in order: a byte-order mark (``utf-8-sig``, ``utf-16``, ``utf-32``; authoritative), strict
    UTF-8, UTF-8 with the invalid bytes replaced (when the page declares UTF-8, or when well-formed
    multi-byte UTF-8 outnumbers the invalid bytes: a few stray bytes in a UTF-8 page), the
    ``declared`` charset when Python knows it, then cp1252. A declared ISO-8859-1 (or latin-1) is
    read as cp1252 when the bytes hold 0x80–0x9F, as browsers do (WHATWG). The undeclared cp1252
    fallback is refused when it reads as noise (charset-normalizer's mess detector). Mojibake in the
    result is repaired with ftfy (with ``repair=False`` it is only reported in the warnings).
    Raises ``ValueError`` with a reason when nothing decodes. The text is returned as decoded (not
    canonicalised).
    """
    bom = _bom_codec(data)
    if bom is not None:
        try:
            return Decoded(data.decode(bom), bom)
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"invalid {bom} data after a byte-order mark ({exc.reason} at byte {exc.start})"
            ) from None

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        return _with_repair(text, "utf-8", [], repair)

    codec = _codec_name(declared) if declared else None
    if declared and codec is None:
        log.info("ignoring unknown declared charset %r", declared)
    declares_utf8 = codec in ("utf-8", "utf-8-sig")
    replaced_text, replaced, valid_multibyte = _utf8_with_errors(data)
    if (declares_utf8 and valid_multibyte) or (codec is None and valid_multibyte >= max(replaced, 1)):
        where = f"first at byte {_first_invalid(data)}"
        noun = "byte" if replaced == 1 else "bytes"
        warning = f"{replaced} invalid UTF-8 {noun} replaced with U+FFFD ({where})"
        return _with_repair(replaced_text, "utf-8", [warning], repair)

    warnings: list[str] = []
    if declares_utf8:
        warnings.append("the page declares UTF-8 but holds no UTF-8 text; read as cp1252")
    tried = ["utf-8"]
    if codec is not None and not declares_utf8:
        if codec.startswith(("utf-16", "utf-32")):
            # A UTF-16/32 page without a BOM could not have declared it readably; utf-8 already failed.
            log.info("ignoring declared charset %r that does not fit the bytes", declared)
        else:
            candidates = [codec]
            if codec == "iso-8859-1" and re.search(rb"[\x80-\x9f]", data):
                candidates.insert(0, "cp1252")
            for candidate in candidates:
                try:
                    return _with_repair(data.decode(candidate), candidate, warnings, repair)
                except UnicodeDecodeError:
                    tried.append(candidate)

    if "cp1252" not in tried:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            tried.append("cp1252")
        else:
            noise = _looks_like_noise(text)
            if noise is not None:
                raise ValueError(f"not text: not UTF-8, and read as cp1252 it is {noise}")
            return _with_repair(text, "cp1252", warnings, repair)

    raise ValueError(
        f"cannot decode the text (tried {', '.join(tried)}; not UTF-8: {utf8_error.reason} "
        f"at byte {utf8_error.start})"
    )


def _with_repair(text: str, encoding: str, warnings: list[str], repair: bool) -> Decoded:
    fixed, repairs = _repair_mojibake(text)
    if repair:
        return Decoded(fixed, encoding, warnings + repairs)
    if fixed != text:
        repairs = [
            f"the text looks like mojibake (text decoded with the wrong charset, e.g. "
            f"{_first_difference(text, fixed)}); kept as it is, since a .txt body is kept verbatim"
        ]
    return Decoded(text, encoding, warnings + repairs)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``: :func:`decode_text` without its warnings."""
    decoded = decode_text(data, declared)
    return decoded.text, decoded.encoding


_XML_DECL = re.compile(r"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def _declared_html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first :data:`SNIFF_BYTES` bytes, if any."""
    head = data[:SNIFF_BYTES].decode("latin-1")
    m = _XML_DECL.match(head)
    if m:
        return m.group(1)
    for tag in _META_TAG.finditer(head):
        m = _META_CHARSET.search(tag.group(0))
        if m:
            return m.group(1)
    return None


# --------------------------------------------------------------------------------------------
# Text checks and metadata clean-up
# --------------------------------------------------------------------------------------------

# Characters that show nothing: whitespace, format characters (Unicode category Cf: zero-width
# spaces and joiners, bidi controls, BOM, tags...), fillers that render blank, variation selectors.
_INVISIBLE_CLASS = (
    "\\s\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_VISIBLE = re.compile(f"[^{_INVISIBLE_CLASS}]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: they reorder the characters around them when shown."""


def has_visible_text(text: str) -> bool:
    """True when ``text`` holds at least one character that shows (not only blanks and zero-widths)."""
    return _VISIBLE.search(text) is not None


def _invisible_sample(text: str) -> str:
    """Names the first invisible non-whitespace characters of an invisible-only text."""
    names = []
    for ch in dict.fromkeys(text):
        if not ch.isspace():
            names.append(f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}")
        if len(names) == 2:
            break
    return ", ".join(names)


def _clean_field(name: str, value: str | None, warnings: list[str]) -> str | None:
    """A metadata value without bidi controls (with a warning) and None when nothing in it shows."""
    if not value:
        return None
    found = sorted({f"U+{ord(ch):04X}" for ch in _BIDI_CONTROLS.findall(value)})
    if found:
        value = _BIDI_CONTROLS.sub("", value)
        warnings.append(f"removed bidi control characters ({', '.join(found)}) from the {name}")
    value = value.strip()
    return value if has_visible_text(value) else None


@functools.cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language of ``text`` (py3langid, its model ships in the package),
    or None when the text is too short or the guess is not confident."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(1 for ch in sample if ch.isalpha()) < LANGUAGE_MIN_LETTERS:
        return None
    language, confidence = _language_identifier().classify(sample)
    if confidence < LANGUAGE_MIN_CONFIDENCE:
        log.info("language guess %s too unsure (%.2f)", language, confidence)
        return None
    return str(language)


_LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]+(?:(?:GmbH|mbH|gGmbH)(?:\s*&\s*Co\.?\s*(?:KG|KGaA|OHG))?|AG|KG|KGaA|OHG|SE|e\.\s?V\."
    r"|Ltd\.?|LTD\.?|Limited|LIMITED|Inc\.?|INC\.?|Incorporated|LLC|L\.L\.C\.|LLP|PLC|[Pp]lc|Corp\.?"
    r"|Corporation|Co\.|S\.A\.?(?:\s?de\s?C\.V\.)?|SA|S\.L\.|SL|S\.A\.S\.?|SAS|S\.p\.A\.|SpA|S\.r\.l\.|[Ss]rl"
    r"|N\.V\.|NV|B\.V\.|BV|Pty\.?(?:\s+Ltd\.?)?|A/S|ASA|AB|Oyj?|[Ss]p\.\s?z\s?o\.\s?o\.|a\.\s?s\.|s\.\s?r\.\s?o\."
    r"|spol\.\s?s\s?r\.\s?o\.))+\s*$"
)
_PUBLISHER_WORDS = re.compile(
    r"(?:\s+(?:(?:Verlags?|Vertriebs?|Zeitungsverlag|Medien|Druck)(?:gesellschaft|haus|gruppe)?-?"
    r"|und|&))+\s*$",
    re.IGNORECASE,
)
_PLACE = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w.'’-]*){0,2}$")
_EDGE_JUNK = re.compile(r"^[\s_|•·:;,\-–—/\\*#~=+]+|[\s_|•·:;,\-–—/\\*#~=+]+$")


def clean_outlet(name: str | None) -> str | None:
    """An outlet's name as a page's site name gives it, without what is not the name.

    Drops legal suffixes ("GmbH", "AG", "Ltd", "Inc.", "S.A.", "LLC"...), German publisher words
    left before them ("Verlags- und Vertriebs"), trailing locations ("SPIEGEL ONLINE, Hamburg,
    Germany" → "SPIEGEL ONLINE") and stray punctuation at the ends ("Wday_" → "Wday").
    """
    if not name:
        return None
    cleaned = _EDGE_JUNK.sub("", _SPACE.sub(" ", name))
    for _ in range(3):
        before = cleaned
        cleaned = _EDGE_JUNK.sub("", _LEGAL_SUFFIX.sub("", cleaned))
        stripped = _EDGE_JUNK.sub("", _PUBLISHER_WORDS.sub("", cleaned))
        if stripped and stripped != cleaned and before != cleaned:  # only after a legal suffix went
            cleaned = stripped
        parts = [part.strip() for part in cleaned.split(",")]
        if len(parts) > 1 and parts[0] and all(_PLACE.match(part) for part in parts[1:]):
            cleaned = parts[0]
        if cleaned == before:
            break
    return cleaned or _EDGE_JUNK.sub("", name) or None


def _name_key(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value).casefold() if ch.isalnum())


_BYLINE_LEAD = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|od)\s+", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(
    r"^(?:photos?|fotos?|bild(?:er)?|images?|pictures?|credits?|copyright|illustration|grafik)\b"
    r"|©|\(c\)|getty\s*images|shutterstock|istock|picture[- ]alliance|imago\b|alamy|\bap photo\b"
    r"|\bafp photo\b|\bepa\b|\bkeystone\b|\bdpa/|reuters/",
    re.IGNORECASE,
)


def byline_problem(byline: str, outlet: str | None, site_names: tuple[str, ...] = ()) -> str | None:
    """Why ``byline`` is not an author (the outlet's own name, a photo credit), or None."""
    if _PHOTO_CREDIT.search(byline):
        return "a photo credit"
    key = _name_key(_BYLINE_LEAD.sub("", byline))
    if key and any(key == _name_key(name) for name in (outlet, *site_names) if name):
        return "the outlet's own name"
    return None


# --------------------------------------------------------------------------------------------
# Plain text with an optional metadata header
# --------------------------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass
class _Header:
    values: dict[str, str]
    body_start: int  # index into the text where the body begins


def _parse_header(text: str, path: Path | str) -> _Header | None:
    """Find and parse a metadata header in canonical text; None when the file has none.

    A header is the run of ``Key: value`` lines at the very top, the first with a known key,
    immediately followed by a line that is exactly ``---``.
    """
    lines = text.split("\n")
    first = _HEADER_LINE.match(lines[0])
    if first is None or first.group(1).lower() not in HEADER_KEYS:
        return None
    n = 0
    while n < len(lines) and _HEADER_LINE.match(lines[n]):
        n += 1
    if n >= len(lines) or lines[n] != HEADER_END:
        return None

    values: dict[str, str] = {}
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines[:n], start=1):
        m = _HEADER_LINE.match(line)
        assert m is not None
        key, value = m.group(1).lower(), m.group(2).strip()
        if key not in HEADER_KEYS:
            raise ArticleImportError(
                path,
                f"line {lineno}: unknown metadata key {m.group(1)!r} (known keys: {', '.join(HEADER_KEYS)})",
            )
        if key in seen:
            raise ArticleImportError(
                path, f"line {lineno}: duplicate metadata key {m.group(1)!r} (first on line {seen[key]})"
            )
        seen[key] = lineno
        if not value:
            continue
        if key == "date":
            try:
                datetime.date.fromisoformat(value)
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    raise ValueError
            except ValueError:
                raise ArticleImportError(
                    path, f"line {lineno}: bad date {value!r} (expected YYYY-MM-DD)"
                ) from None
        elif key == "language" and not _LANGUAGE.match(value):
            raise ArticleImportError(
                path, f"line {lineno}: bad language {value!r} (expected a code such as en, de or pt-BR)"
            )
        values[key] = value
    body_start = sum(len(line) + 1 for line in lines[: n + 1])
    return _Header(values, min(body_start, len(text)))


def _visible(value: str | None) -> str | None:
    return value if value and has_visible_text(value) else None


def _first_line_title(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip()
        if has_visible_text(line):
            return line[:TITLE_MAX_CHARS].rstrip()
    return None


def _read_plain(path: Path | str, text: str) -> dict[str, Any]:
    header = _parse_header(text, path)
    values: dict[str, str] = {}
    body = text
    if header is not None:
        values = header.values
        body = text[header.body_start :]
    if not body.strip():
        where = "after the metadata header" if header is not None else "in the file"
        raise ArticleImportError(path, f"no article text {where} (only whitespace)")
    date = values.get("date")
    return {
        "text": body,
        "title": _visible(values.get("title")) or _first_line_title(body),
        "outlet": values.get("outlet"),
        "url": values.get("url"),
        "byline": values.get("byline"),
        "published": datetime.date.fromisoformat(date) if date else None,
        "language": values.get("language"),
        "format": "txt",
        "extractor": "plain",
    }


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_XML_DECL_ANY = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "canvas", "object", "embed", "button", "select", "dialog",
)  # fmt: skip
# class/id tokens that mark boilerplate: comments, ads, cookie/consent banners, newsletters, sharing.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:comments?|comment-list|disqus|ads?|advert\w*|adslot|ad-slot|sponsor\w*|promo\w*"
    r"|cookies?|consent|gdpr|banner|newsletter|subscribe|signup|share|sharing|social|related"
    r"|recommended|outbrain|taboola|popup|modal|paywall|breadcrumbs?|menu|sidebar)(?:$|[\s_-])",
    re.IGNORECASE,
)
_TRAFILATURA_PRUNE = (
    "//nav",
    "//header[not(ancestor::article) and not(.//article)]",
    "//footer[not(ancestor::article) and not(.//article)]",
)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption")
_SPACE = re.compile(r"[ \t\n\r\f]+")
"""HTML whitespace (not no-break spaces, which are text)."""


def _parse_html(text: str) -> HtmlElement:
    from lxml import html as lxml_html

    text = _XML_DECL_ANY.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
    return lxml_html.document_fromstring(text, parser=parser)


def _meta(tree: HtmlElement, *names: str) -> str | None:
    """Content of the first ``<meta property|name=...>`` among ``names`` that is non-empty."""
    for name in names:
        for el in tree.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            if key == name:
                content = _SPACE.sub(" ", el.get("content") or "").strip()
                if content:
                    return content
    return None


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
    if not m:
        return None
    try:
        return datetime.date.fromisoformat(m.group(1))
    except ValueError:
        return None


def _normalise_language(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().replace("_", "-").split(",")[0].strip()
    return value if _LANGUAGE.match(value) else None


def _fallback_metadata(tree: HtmlElement) -> dict[str, Any]:
    """Metadata from ``<title>``, Open Graph / article tags, ``<html lang>`` and the canonical link."""
    title_el = tree.find(".//title")
    title = _SPACE.sub(" ", title_el.text_content()).strip() if title_el is not None else ""
    canonical = None
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    language = _normalise_language(tree.get("lang") or tree.get("xml:lang"))
    if language is None:
        for el in tree.iter("meta"):
            if (el.get("http-equiv") or "").lower() == "content-language":
                language = _normalise_language(el.get("content"))
                break
    if language is None:
        language = _normalise_language(_meta(tree, "og:locale"))
    return {
        "title": _meta(tree, "og:title") or title or None,
        "outlet": _meta(tree, "og:site_name", "application-name"),
        "url": canonical or _meta(tree, "og:url"),
        "byline": _meta(tree, "author", "article:author"),
        "published": _parse_date(
            _meta(tree, "article:published_time", "datepublished", "date", "dc.date", "pubdate")
        ),
        "language": language,
    }


def _looks_like_boilerplate(el: HtmlElement) -> bool:
    marker = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}".strip()
    return bool(marker) and bool(_BOILERPLATE.search(marker))


def _fallback_text(tree: HtmlElement) -> str:
    """Article text by simple rules: drop boilerplate, take paragraphs of article/main/body.

    Elements holding the chosen ``<article>``/``<main>`` are never dropped (some CMSs wrap the
    whole page in a ``<form>`` or a ``<div class="has-sidebar">``). If dropping elements by
    class/id leaves no text, those class/id rules are waived; tag rules (script, style, nav, ...)
    never are.
    """
    text = _fallback_paragraphs(tree, by_class=True)
    return text or _fallback_paragraphs(tree, by_class=False)


def _fallback_paragraphs(tree: HtmlElement, *, by_class: bool) -> str:
    from copy import deepcopy

    tree = deepcopy(tree)
    root = tree.find(".//article")
    if root is None:
        root = tree.find(".//main")
    keep = set(root.iterancestors()) | {root} if root is not None else set()
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el in keep or el.tag in ("html", "body"):
            continue
        if el.tag.lower() in _DROP_TAGS or (by_class and _looks_like_boilerplate(el)):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    if root is None:
        root = tree.find(".//body")
    if root is None:
        root = tree
    paragraphs: list[str] = []
    for el in root.iter(*_BLOCKS):
        # innermost block wins: a <li> holding a <p> contributes through the <p>
        if any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants()):
            continue
        para = _SPACE.sub(" ", el.text_content()).strip()
        if para:
            paragraphs.append(para)
    if not paragraphs:  # no block markup at all: take the loose text
        loose = _SPACE.sub(" ", root.text_content()).strip()
        if loose:
            paragraphs.append(loose)
    return "\n\n".join(paragraphs)


def _paragraphs(text: str) -> str:
    """One paragraph per non-empty line (trimmed, inner whitespace collapsed), joined by blank lines."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def _trafilatura_extract(tree: HtmlElement) -> tuple[str, dict[str, Any]]:
    import trafilatura  # slow to import: only on the HTML path
    from trafilatura.settings import set_date_params

    doc = trafilatura.bare_extraction(
        tree,
        # Without these, trafilatura's recall fallback returns the menu text of a page that has
        # no article at all.
        prune_xpath=list(_TRAFILATURA_PRUNE),
        # No "extensive" date search: it guesses from free text and reads "© 2025" as 2025-01-01.
        date_extraction_params=set_date_params(extensive=False),
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
    )
    if doc is None:
        return "", {}

    def get(name: str) -> str | None:
        value = getattr(doc, name, None)
        if isinstance(value, str):
            value = _SPACE.sub(" ", value).strip()
        return value or None

    meta = {
        "title": get("title"),
        "outlet": get("sitename"),
        "url": get("url"),
        "byline": get("author"),
        "published": _parse_date(get("date")),
        "language": _normalise_language(get("language")),
    }
    return _trafilatura_text(doc), meta


def _trafilatura_text(doc: Any) -> str:
    """The body of a trafilatura Document as paragraphs separated by blank lines.

    trafilatura's own ``doc.text`` puts one newline between blocks but keeps the page source's
    line wrapping inside ``<blockquote>`` (its ``quote`` element), so a wrapped quotation would
    look like several paragraphs. Collapse source whitespace in a copy of ``doc.body`` first, so
    that the only newlines left are structural (block ends, ``<br>``, list items, table rows),
    then serialise with trafilatura's ``xmltotxt``.
    """
    body = getattr(doc, "body", None)
    try:
        from trafilatura.xml import xmltotxt
    except ImportError:  # pragma: no cover - internal helper moved
        body = None
    if body is None:
        return _paragraphs(getattr(doc, "text", None) or "")
    from copy import deepcopy

    body = deepcopy(body)
    for el in body.iter():
        if el.text:
            el.text = _SPACE.sub(" ", el.text)
        if el.tail:
            el.tail = _SPACE.sub(" ", el.tail)
    return _paragraphs(xmltotxt(body, False))


class _ShapeCounter:
    """lxml parser target: counts elements, children per element and depth while libxml2 streams.

    Sets ``exceeded`` at the first limit passed; later events are ignored, and the caller stops
    feeding.
    """

    def __init__(self) -> None:
        self.elements = 0
        self.depth = 0
        self.max_depth = 0
        self.children = [0]
        self.max_children = 0
        self.exceeded = False

    def start(self, tag: str, attrib: Any) -> None:
        if self.exceeded:
            return
        self.elements += 1
        self.children[-1] += 1
        self.max_children = max(self.max_children, self.children[-1])
        self.children.append(0)
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        self.exceeded = (
            self.elements > MAX_HTML_ELEMENTS
            or self.max_children > MAX_HTML_CHILDREN
            or self.max_depth > MAX_HTML_DEPTH
        )

    def end(self, tag: str) -> None:
        if not self.exceeded:
            self.depth -= 1
            self.children.pop()

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


_SHAPE_CHUNK = 1 << 16


def html_shape_problem(text: str) -> str | None:
    """Why a page is too complex to extract safely, or None.

    Cheap: the page is streamed through libxml2's parser in chunks without building a tree,
    counting elements, the children under each element and the nesting depth, and the stream
    stops at the first limit passed (:data:`MAX_HTML_ELEMENTS`, :data:`MAX_HTML_CHILDREN`,
    :data:`MAX_HTML_DEPTH`). Time and memory stay small for any input.
    """
    if text.count("<") <= MAX_HTML_DEPTH:
        return None  # fewer tags than the smallest limit
    from lxml import etree

    counter = _ShapeCounter()
    parser = etree.HTMLParser(target=counter, remove_comments=True, remove_pis=True)
    text = _XML_DECL_ANY.sub("", text, count=1)
    try:
        for pos in range(0, len(text), _SHAPE_CHUNK):
            parser.feed(text[pos : pos + _SHAPE_CHUNK])
            if counter.exceeded:
                break
        else:
            parser.close()
    except etree.LxmlError:  # the real parse reports unparsable pages
        return None
    if not counter.exceeded:
        return None
    if counter.max_depth > MAX_HTML_DEPTH:
        return f"HTML nested too deeply (more than {MAX_HTML_DEPTH} levels; the limit is {MAX_HTML_DEPTH})"
    tags = text.count("<") - text.count("</")  # start tags, roughly
    if counter.max_children > MAX_HTML_CHILDREN:
        return (
            f"HTML too complex to extract: more than {MAX_HTML_CHILDREN:,} elements inside one element "
            f"(the limit is {MAX_HTML_CHILDREN:,}; about {tags:,} tags in the page)"
        )
    return (
        f"HTML too complex to extract: more than {MAX_HTML_ELEMENTS:,} elements "
        f"(the limit is {MAX_HTML_ELEMENTS:,}; about {tags:,} tags in the page)"
    )


def _drop_noscript(tree: HtmlElement) -> None:
    """``<noscript>`` holds what a page shows without JavaScript ("enable JavaScript"), never article text."""
    from lxml import etree

    etree.strip_elements(tree, "noscript", with_tail=False)


def _read_html(path: Path | str, text: str) -> dict[str, Any]:
    problem = html_shape_problem(text)
    if problem is not None:
        raise ArticleImportError(path, problem)
    try:
        tree = _parse_html(text)
    except Exception as exc:  # lxml raises ParserError/ValueError on pages it cannot build a tree for
        raise ArticleImportError(path, f"cannot parse the HTML ({exc})") from None
    _drop_noscript(tree)
    fallback = _fallback_metadata(tree)
    try:
        body, meta = _trafilatura_extract(tree)
    except ImportError:  # a broken installation is not a heuristic failure: say so
        raise
    except Exception:  # trafilatura is heuristic; never let it sink an import that the fallback can do
        log.warning("trafilatura failed on %s; using the fallback extractor", path, exc_info=True)
        body, meta = "", {}
    extractor = "trafilatura"
    if not body.strip():
        log.info("trafilatura found no text in %s; using the fallback extractor", path)
        body, extractor = _fallback_text(tree), "fallback"
    body = canonicalize(body)
    if not body.strip():
        raise ArticleImportError(path, "no article text found in the HTML page")
    merged = {key: meta.get(key) or fallback.get(key) for key in fallback}
    # the outlet is the page's own site name (og:site_name) before trafilatura's guess from the title
    site_names = tuple(n for n in (fallback.get("outlet"), meta.get("outlet")) if n)
    merged["outlet"] = clean_outlet(site_names[0]) if site_names else None
    byline = merged["byline"]
    if byline:
        why = byline_problem(byline, merged["outlet"], site_names)
        if why is not None:
            log.info("dropping the byline %r of %s: %s", byline, path, why)
            merged["byline"] = None
    if not merged["title"]:
        merged["title"] = _first_line_title(body)
    return {**merged, "text": body, "format": "html", "extractor": extractor}


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ArticleImportError(path, "file not found") from None
    except OSError as exc:
        raise ArticleImportError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ArticleImportError(path, "not a regular file")
    if st.st_size > max_bytes:
        raise ArticleImportError(path, f"file too large ({st.st_size} bytes; the limit is {max_bytes} bytes)")
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ArticleImportError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew since stat
        raise ArticleImportError(
            path, f"file too large (more than {max_bytes} bytes; the limit is {max_bytes} bytes)"
        )
    return data


def _nul_reason(data: bytes) -> str:
    """What a file with NUL bytes and no byte-order mark holds: UTF-16/32 text without a BOM, or binary."""
    sample = data[: SNIFF_BYTES * 4]
    quarter = [sample[i::4].count(0) / max(len(sample[i::4]), 1) for i in range(4)]
    if quarter[1] > 0.9 and quarter[2] > 0.9 and quarter[3] > 0.9 and quarter[0] < 0.5:
        return "UTF-32 (little-endian) text without a byte-order mark; save it as UTF-8"
    if quarter[0] > 0.9 and quarter[1] > 0.9 and quarter[2] > 0.9 and quarter[3] < 0.5:
        return "UTF-32 (big-endian) text without a byte-order mark; save it as UTF-8"
    even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    if odd > 0.3 and even < 0.05:
        return "UTF-16 (little-endian) text without a byte-order mark; save it as UTF-8"
    if even > 0.3 and odd < 0.05:
        return "UTF-16 (big-endian) text without a byte-order mark; save it as UTF-8"
    return "binary content (NUL bytes), not a text or HTML file"


def _check_within(path: Path, within: Path) -> None:
    """Refuse ``path`` when its real location (symbolic links resolved) is outside ``within``."""
    real = Path(os.path.realpath(path))
    root = Path(os.path.realpath(within))
    if real != root and not real.is_relative_to(root):
        raise ArticleImportError(path, _outside_reason(path, real, within))


def _outside_reason(link: Path, target: Path, folder: Path) -> str:
    return f"symbolic link to {target}, which is outside the folder {folder}; not followed"


def read_article(
    path: Path | str, *, max_bytes: int = MAX_FILE_BYTES, within: Path | str | None = None
) -> ExtractedArticle:
    """Read one ``.txt``/``.html``/``.htm`` file into an :class:`ExtractedArticle`.

    Raises :class:`ArticleImportError` naming the file and the reason for a missing or unreadable
    file, an unsupported suffix, an empty file, a file over ``max_bytes``, binary content (NUL
    bytes without a UTF-16/32 byte-order mark; UTF-16/32 without one is named as such),
    undecodable bytes or noise, no visible text, an HTML page too complex to extract, no text
    found, or a bad metadata header (line number and problem). With ``within``, a file whose real
    location (symbolic links resolved) is outside that folder is refused.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleImportError(
            path,
            f"unsupported file type {path.suffix or '(no suffix)'!r} "
            f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})",
        )
    if within is not None:
        _check_within(path, Path(within))
    data = _read_bytes(path, max_bytes)
    return extract_article(data, source=str(path), filename=path.name, html=suffix in (".html", ".htm"))


def extract_article(
    data: bytes, *, source: str, filename: str, html: bool, declared: str | None = None
) -> ExtractedArticle:
    """Turn the bytes of a file or a fetched page into an :class:`ExtractedArticle`.

    ``source`` names it in errors (a path or a URL); ``html``: an HTML page, else plain text;
    ``declared``: the charset the server declared (an HTTP ``Content-Type``), which comes before
    the page's own ``<meta charset>``. Raises :class:`ArticleImportError` (see :func:`read_article`).
    """
    if not data:
        raise ArticleImportError(source, "file is empty")
    bom = _bom_codec(data)
    if b"\x00" in data and bom not in ("utf-16", "utf-32"):
        raise ArticleImportError(source, _nul_reason(data))

    is_html = html
    if declared is None and is_html and bom is None:
        declared = _declared_html_charset(data)
    try:
        decoded = decode_text(data, declared, repair=is_html)
    except ValueError as exc:
        raise ArticleImportError(source, str(exc)) from None
    warnings = list(decoded.warnings)
    text = canonicalize(decoded.text)
    if not text.strip():
        raise ArticleImportError(source, "no article text (the file holds only whitespace)")
    if not has_visible_text(text):
        raise ArticleImportError(
            source, f"no visible text (only invisible characters such as {_invisible_sample(text)})"
        )

    path = Path(filename)
    fields = _read_html(source, text) if is_html else _read_plain(source, text)
    if not has_visible_text(fields["text"]):
        raise ArticleImportError(source, "no article text (only invisible characters)")
    for name in ("title", "outlet", "url", "byline", "language"):
        fields[name] = _clean_field(name, fields.get(name), warnings)
    if not fields.get("title"):
        fields["title"] = _clean_field("title", path.stem, warnings) or None
    if not fields.get("language"):
        fields["language"] = detect_language(fields["text"])
    article = ExtractedArticle(
        filename=filename,
        encoding=decoded.encoding,
        raw_sha256=sha256_bytes(data),
        text_sha256=sha256_text(fields["text"]),
        warnings=warnings,
        raw=data,
        declared_charset=declared,
        **fields,
    )
    for warning in warnings:
        log.warning("%s: %s", source, warning)
    log.debug(
        "read %s: %d chars, %s, %s, %s",
        source,
        len(article.text),
        article.format,
        article.encoding,
        article.extractor,
    )
    return article


@dataclass(frozen=True)
class FolderScan:
    """The article files of a folder and the entries refused while listing it."""

    files: list[Path]
    refused: list[tuple[Path, str]]


def scan_folder(folder: Path | str, *, recursive: bool = False) -> FolderScan:
    """The supported article files in ``folder`` (sorted), and what was refused on the way.

    Subfolders are entered only when ``recursive``. Hidden files and folders are skipped. A
    symbolic link whose target is outside ``folder`` is never followed: it is listed in
    ``refused`` with the reason (a link to a file inside the folder is kept). Raises
    :class:`ArticleImportError` if ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ArticleImportError(folder, "not a folder")
    root = Path(os.path.realpath(folder))
    files: list[Path] = []
    refused: list[tuple[Path, str]] = []

    def visit(directory: Path) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            refused.append((directory, f"cannot list the folder ({exc.strerror or exc})"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            p = Path(entry.path)
            if entry.is_symlink():
                target = Path(os.path.realpath(p))
                inside = target == root or target.is_relative_to(root)
                is_dir = target.is_dir()
                if is_dir and not recursive:
                    continue
                if not is_dir and p.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if not inside:
                    refused.append((p, _outside_reason(p, target, folder)))
                elif not is_dir and target.is_file():
                    files.append(p)
                continue  # a link to a folder inside is not entered: its files are found directly
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    visit(p)
            elif p.suffix.lower() in SUPPORTED_SUFFIXES and entry.is_file(follow_symlinks=False):
                files.append(p)

    visit(folder)
    return FolderScan(sorted(files), refused)


def article_files(folder: Path | str, *, recursive: bool = False) -> list[Path]:
    """Every supported article file in ``folder`` (see :func:`scan_folder`), sorted."""
    return scan_folder(folder, recursive=recursive).files

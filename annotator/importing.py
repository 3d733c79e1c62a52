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
"""

from __future__ import annotations

import codecs
import datetime
import logging
import os
import re
import stat
from dataclasses import dataclass
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


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Tried in order: a byte-order mark (``utf-8-sig``, ``utf-16``, ``utf-32``; authoritative), strict
    UTF-8, the ``declared`` charset when Python knows it, then cp1252. A declared ISO-8859-1 (or
    latin-1) is read as cp1252 when the bytes hold 0x80–0x9F, as browsers do (WHATWG), since those
    are almost always curly quotes and dashes rather than C1 controls. Raises ``ValueError`` with a
    reason when nothing decodes. The text is returned as decoded (not canonicalised).
    """
    bom = _bom_codec(data)
    if bom is not None:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"invalid {bom} data after a byte-order mark ({exc.reason} at byte {exc.start})"
            ) from None

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc

    tried = ["utf-8"]
    if declared:
        codec = _codec_name(declared)
        if codec is None:
            log.info("ignoring unknown declared charset %r", declared)
        elif codec.startswith(("utf-16", "utf-32")) or codec in ("utf-8", "utf-8-sig"):
            # A UTF-16/32 page without a BOM could not have declared it readably; utf-8 already failed.
            log.info("ignoring declared charset %r that does not fit the bytes", declared)
        else:
            candidates = [codec]
            if codec == "iso-8859-1" and re.search(rb"[\x80-\x9f]", data):
                candidates.insert(0, "cp1252")
            for candidate in candidates:
                try:
                    return data.decode(candidate), candidate
                except UnicodeDecodeError:
                    tried.append(candidate)

    if "cp1252" not in tried:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            tried.append("cp1252")

    raise ValueError(
        f"cannot decode the text (tried {', '.join(tried)}; not UTF-8: {utf8_error.reason} "
        f"at byte {utf8_error.start})"
    )


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
# Plain text with an optional metadata header
# --------------------------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass
class _Header:
    values: dict[str, str]
    body_start: int  # index into the text where the body begins


def _parse_header(text: str, path: Path) -> _Header | None:
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


def _first_line_title(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line[:TITLE_MAX_CHARS].rstrip()
    return None


def _read_plain(path: Path, text: str) -> dict[str, Any]:
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
        "title": values.get("title") or _first_line_title(body),
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


def _read_html(path: Path, text: str) -> dict[str, Any]:
    try:
        tree = _parse_html(text)
    except Exception as exc:  # lxml raises ParserError/ValueError on pages it cannot build a tree for
        raise ArticleImportError(path, f"cannot parse the HTML ({exc})") from None
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


def read_article(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> ExtractedArticle:
    """Read one ``.txt``/``.html``/``.htm`` file into an :class:`ExtractedArticle`.

    Raises :class:`ArticleImportError` naming the file and the reason for a missing or unreadable
    file, an unsupported suffix, an empty file, a file over ``max_bytes``, binary content (NUL
    bytes without a UTF-16/32 byte-order mark), undecodable bytes, no text found, or a bad
    metadata header (line number and problem).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleImportError(
            path,
            f"unsupported file type {path.suffix or '(no suffix)'!r} "
            f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})",
        )
    data = _read_bytes(path, max_bytes)
    if not data:
        raise ArticleImportError(path, "file is empty")
    bom = _bom_codec(data)
    if b"\x00" in data and bom not in ("utf-16", "utf-32"):
        raise ArticleImportError(path, "binary content (NUL bytes), not a text or HTML file")

    is_html = suffix in (".html", ".htm")
    declared = _declared_html_charset(data) if is_html and bom is None else None
    try:
        decoded, encoding = decode_bytes(data, declared)
    except ValueError as exc:
        raise ArticleImportError(path, str(exc)) from None
    text = canonicalize(decoded)
    if not text.strip():
        raise ArticleImportError(path, "no article text (the file holds only whitespace)")

    fields = _read_html(path, text) if is_html else _read_plain(path, text)
    if not fields.get("title"):
        fields["title"] = path.stem
    article = ExtractedArticle(
        filename=path.name,
        encoding=encoding,
        raw_sha256=sha256_bytes(data),
        text_sha256=sha256_text(fields["text"]),
        **fields,
    )
    log.debug(
        "read %s: %d chars, %s, %s, %s", path, len(article.text), article.format, encoding, article.extractor
    )
    return article


def article_files(folder: Path | str) -> list[Path]:
    """Every supported article file under ``folder`` (recursive, sorted), skipping hidden files and folders.

    Symbolic links to folders are not followed. Raises :class:`ArticleImportError` if ``folder``
    is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ArticleImportError(folder, "not a folder")
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            p = Path(dirpath) / name
            if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file():
                found.append(p)
    return sorted(found)

"""Fetching an article page over HTTP(S) with httpx: the bytes and what the server said about them.

:func:`fetch` follows redirects (at most :data:`MAX_REDIRECTS`), gives up after
:data:`TIMEOUT_SECONDS` without an answer (or when the body takes longer than that to arrive),
streams the body and stops past :data:`MAX_PAGE_BYTES`, sends a user agent that names the tool,
and accepts only HTML. Every failure is a :class:`~annotator.errors.FetchError` whose message is
one line naming the URL and what went wrong (the host not found, the connection refused, HTTP 404,
a server error, the time-out, too large, not HTML). Turning the bytes into an article is
:func:`annotator.importing.extract_article`'s job.
"""

from __future__ import annotations

import datetime as dt
import email.message
import errno
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from annotator import __version__
from annotator.errors import FetchError

log = logging.getLogger(__name__)

USER_AGENT = (
    f"QuoteAnnotator/{__version__} (fact-checking article import; +https://example.org/quote-annotator)"
)
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 10
MAX_PAGE_BYTES = 20 * 1024 * 1024
"""The most a page may weigh (after any content encoding is undone); as for a file."""
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_URL_CHARS = 2000
"""The longest URL kept (the database column's size); a longer one is refused."""
HEADER_CHARS = {"date": 100, "etag": 300, "last-modified": 100}
"""The most of each recorded header that is kept (longer values are cut, marked with …)."""


@dataclass(frozen=True)
class FetchedPage:
    """One fetched page: the body's bytes and what the server said about them."""

    url: str
    """The URL asked for."""
    final_url: str
    """Where the redirects ended."""
    status: int
    content_type: str | None
    """The media type, lower-case, without parameters (``text/html``)."""
    charset: str | None
    """The charset the ``Content-Type`` header declares, if any."""
    data: bytes
    fetched_at: str
    """When the answer came, ISO 8601 UTC."""
    http_date: str | None
    etag: str | None
    last_modified: str | None


def is_url(value: str) -> bool:
    """True for an ``http://`` or ``https://`` URL (what ``annotator import`` fetches)."""
    return value.lower().startswith(("http://", "https://"))


def check_url(url: str) -> str:
    """The URL, stripped, when it is an http(s) URL with a host; else a :class:`FetchError`."""
    url = url.strip()
    if len(url) > MAX_URL_CHARS:
        raise FetchError(url[:80] + "…", f"the URL is longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise FetchError(url, f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, "not an http or https URL")
    if not host:
        raise FetchError(url, "the URL names no host")
    return url


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    transport: Any = None,
) -> FetchedPage:
    """GET ``url`` and return the page (see the module docstring for what is refused).

    ``timeout`` and ``max_bytes`` default to :data:`TIMEOUT_SECONDS` and :data:`MAX_PAGE_BYTES`;
    ``transport``: an httpx transport to use instead of the network.
    """
    import httpx

    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    max_bytes = MAX_PAGE_BYTES if max_bytes is None else max_bytes
    url = check_url(url)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}
    try:
        with httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(timeout),
            headers=headers,
            transport=transport,
        ) as client, client.stream("GET", url) as response:  # fmt: skip
            final = str(response.url)
            if len(final) > MAX_URL_CHARS:
                raise FetchError(url, f"redirected to a URL longer than {MAX_URL_CHARS} characters")
            if response.status_code >= 400:
                raise FetchError(url, _status_reason(response.status_code, final, url))
            if response.status_code >= 300:
                raise FetchError(url, f"HTTP {response.status_code}: a redirect without a usable Location")
            media, charset = _content_type(response.headers.get("content-type"))
            if media is not None and media not in HTML_TYPES:
                raise FetchError(url, f"not an HTML page (the server says it is {media})")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    url, f"too large ({int(declared):,} bytes; the limit is {max_bytes:,} bytes)"
                )
            chunks, size = [], 0
            deadline = time.monotonic() + timeout
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the whole download took too long")
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        url, f"too large (more than {max_bytes:,} bytes; the limit is {max_bytes:,})"
                    )
                chunks.append(chunk)
            data = b"".join(chunks)
            fetched_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            status = response.status_code
            h = response.headers
    except FetchError:
        raise
    except httpx.TooManyRedirects:
        raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.TimeoutException:
        raise FetchError(url, f"no answer within {timeout:g} seconds (time-out)") from None
    except httpx.ConnectError as exc:
        raise FetchError(url, _connect_reason(exc, url)) from None
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(url, f"cannot follow the redirect ({exc})") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, f"the download failed ({type(exc).__name__}: {exc or 'no detail'})") from None
    if not data.strip():
        raise FetchError(url, "the page is empty")
    if media is None and not _looks_like_html(data):
        raise FetchError(url, "not an HTML page (no Content-Type, and the body is not HTML)")
    log.info("fetched %s (%s, %d bytes)", final, media, len(data))
    return FetchedPage(
        url=url, final_url=final, status=status, content_type=media, charset=charset, data=data,
        fetched_at=fetched_at, http_date=_header(h, "date"), etag=_header(h, "etag"),
        last_modified=_header(h, "last-modified"),
    )  # fmt: skip


def _header(headers: Any, name: str) -> str | None:
    """A response header as recorded: at most :data:`HEADER_CHARS` characters of it."""
    value = headers.get(name)
    limit = HEADER_CHARS[name]
    if value is None or len(value) <= limit:
        return value  # type: ignore[no-any-return]
    log.warning("the %s header is %d characters long; kept cut to %d", name, len(value), limit)
    return str(value[: limit - 1]) + "…"


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    msg = email.message.Message()
    msg["content-type"] = value
    media = msg.get_content_type().lower()
    charset = msg.get_param("charset")
    if not isinstance(charset, str) or not charset.strip() or len(charset.strip()) > 40:
        return media, None  # none, or no charset name (the longest is some twenty characters)
    return media, charset.strip()


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head or b"<body" in head


def _status_reason(code: int, final: str, url: str) -> str:
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "error"
    where = f" (at {final})" if final != url else ""
    if code == 404 or code == 410:
        return f"HTTP {code} {phrase}: the page does not exist{where}"
    if code >= 500:
        return f"HTTP {code} {phrase}: the server failed{where}"
    return f"HTTP {code} {phrase}{where}"


def _connect_reason(exc: BaseException, url: str) -> str:
    host = urlsplit(url).hostname or url
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 10:
        if isinstance(cause, socket.gaierror):
            return f"the host {host} was not found (DNS: {cause.strerror or cause})"
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return f"the connection to {host} was refused"
        if isinstance(cause, ssl.SSLError):
            return f"the secure connection to {host} failed ({cause.reason or cause})"
        cause = cause.__cause__ or cause.__context__
        seen += 1
    text = str(exc)
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return f"the host {host} was not found (DNS)"
    if "refused" in text.lower():
        return f"the connection to {host} was refused"
    return f"cannot connect to {host} ({text or type(exc).__name__})"

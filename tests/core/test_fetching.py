"""Importing articles from URLs: a local HTTP server on 127.0.0.1 (never the internet) serves pages;
each failure has its one-line error and leaves the database as it was."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from annotator import audit, fetching
from annotator.cli import main
from annotator.db import Database
from annotator.errors import FetchError
from annotator.model import Article, ArticleVersion, AuditEntry, Quote, QuoteCarry
from annotator.service import Service

PAGE = """<!doctype html><html><head><title>Harbour talks resume</title>
<meta property="og:site_name" content="The Coastal Herald"></head>
<body><article><h1>Harbour talks resume</h1>
<p>The harbour authority and the dockworkers' union met again on Monday, the first meeting since March.</p>
<p>"We are closer than we have ever been," the union's spokeswoman, Ana Ferreira, told reporters
after the session.</p>
<p>The authority said in a statement that a draft agreement could be signed within weeks.</p>
</article></body></html>"""

GREEK = (
    "<html><body><article><p>Η συνάντηση στην Αθήνα έγινε τη Δευτέρα, είπε ο εκπρόσωπος του λιμανιού "
    "σε δημοσιογράφους.</p></article></body></html>"
)


class Pages:
    """What the server answers, by path: (status, headers, body) or a callable taking the handler."""

    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        self.requests: list[tuple[str, str]] = []


def _handler(pages: Pages) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            pages.requests.append((self.path, self.headers.get("User-Agent", "")))
            route = pages.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if callable(route):
                route(self)
                return
            status, headers, body = route
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Pages]]:
    pages = Pages()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pages))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    finally:
        httpd.shutdown()
        httpd.server_close()


def html(body: str, charset: str = "utf-8", **headers: str) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": f"text/html; charset={charset}", **headers}, body.encode(charset)


def db_state(db: Database) -> tuple[dict[str, int], tuple[int, str]]:
    with db.read() as s:
        counts = {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                  for m in (Article, ArticleVersion, Quote, QuoteCarry, AuditEntry)}  # fmt: skip
        return counts, audit.head(s)


def test_fetch_imports_the_page_with_what_the_server_said(svc: Service, server) -> None:
    base, pages = server
    pages.routes["/a"] = html(PAGE, ETag='"v1"', **{"Last-Modified": "Mon, 19 May 2025 10:00:00 GMT"})
    res = svc.import_url(f"{base}/a")
    art = res.extra["article"]
    assert res.extra["created"] and art.version == 1 and art.version_of is None
    assert art.title == "Harbour talks resume"
    assert "We are closer than we have ever been" in svc.article_text(art.id)
    assert (art.fetch_url, art.final_url) == (f"{base}/a", f"{base}/a")
    assert art.http_etag == '"v1"' and art.http_last_modified == "Mon, 19 May 2025 10:00:00 GMT"
    assert art.http_date and art.fetched_at and art.fetched_at.endswith("Z")
    assert pages.requests[0][1] == fetching.USER_AGENT and "QuoteAnnotator/" in fetching.USER_AGENT
    with svc.db.read() as s:  # the raw bytes, compressed, for extracting the page again
        raw = s.scalar(select(ArticleVersion.raw).where(ArticleVersion.article_id == art.id))
    assert raw is not None and gzip.decompress(raw) == PAGE.encode("utf-8")
    assert svc.verify_audit().ok


def test_redirects_are_followed_and_the_final_url_kept(svc: Service, server) -> None:
    base, pages = server
    pages.routes["/old"] = (301, {"Location": "/middle"}, b"")
    pages.routes["/middle"] = (302, {"Location": f"{base}/new"}, b"")
    pages.routes["/new"] = html(PAGE)
    art = svc.import_url(f"{base}/old").extra["article"]
    assert (art.fetch_url, art.final_url) == (f"{base}/old", f"{base}/new")


def test_the_charset_from_the_header_decodes_the_page(svc: Service, server) -> None:
    base, pages = server
    pages.routes["/greek"] = html(GREEK, charset="iso-8859-7")  # no <meta charset>: only the header says it
    art = svc.import_url(f"{base}/greek").extra["article"]
    assert "Η συνάντηση στην Αθήνα" in svc.article_text(art.id)
    assert art.encoding == "iso-8859-7"


def test_the_header_charset_comes_before_the_meta_charset(server) -> None:
    base, pages = server
    body = GREEK.replace("<html>", '<html><head><meta charset="windows-1252"></head>')
    pages.routes["/g"] = html(body, charset="iso-8859-7")
    page = fetching.fetch(f"{base}/g")
    assert page.charset == "iso-8859-7"


def test_a_second_fetch_adds_a_version_when_the_text_changed(svc: Service, server) -> None:
    base, pages = server
    pages.routes["/a"] = html(PAGE)
    first = svc.import_url(f"{base}/a").extra["article"]
    text = svc.article_text(first.id)
    start = text.index("We are closer")
    q = svc.create_quote(first.id, start, start + len("We are closer than we have ever been,")).quote

    same = svc.import_url(f"{base}/a")
    assert not same.extra["created"] and same.extra["article"].id == first.id
    assert len(svc.versions(first.id)) == 1

    pages.routes["/a"] = html(PAGE.replace("<p>The harbour", "<p>Updated at 18:00.</p><p>The harbour"))
    res = svc.import_url(f"{base}/a")
    v2 = res.extra["article"]
    assert res.extra["created"] and (v2.version, v2.version_of) == (2, first.id)
    assert [v.id for v in svc.versions(first.id)] == [first.id, v2.id] == [v.id for v in svc.versions(v2.id)]
    moved = svc.quote(q.id)
    assert moved.article_id == v2.id and moved.text == q.text and moved.start > q.start
    assert res.extra["outcomes"]["moved"] == 1
    assert svc.verify_audit().ok


def _refused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _slow(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(1.5)
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    handler.wfile.write(PAGE.encode())


def _endless(handler: BaseHTTPRequestHandler) -> None:
    # No Content-Length: the body is streamed until the cap stops it.
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        for _ in range(200):
            handler.wfile.write(b"<p>" + b"x" * 1000 + b"</p>\n")
    except OSError:
        pass


@pytest.mark.parametrize(
    ("path", "route", "message"),
    [
        ("/missing", None, r"HTTP 404 Not Found: the page does not exist$"),
        ("/broken", (500, {}, b"oops"), r"HTTP 500 Internal Server Error: the server failed$"),
        ("/busy", (503, {}, b""), r"HTTP 503 Service Unavailable: the server failed$"),
        ("/pdf", (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
         r"not an HTML page \(the server says it is application/pdf\)$"),
        ("/loop", (302, {"Location": "/loop"}, b""), r"too many redirects \(more than 10\)$"),
        ("/slow", _slow, r"no answer within 0\.5 seconds \(time-out\)$"),
        ("/big", (200, {"Content-Type": "text/html", "Content-Length": "999999999"}, b""),
         r"too large \(999,999,999 bytes; the limit is 50,000 bytes\)$"),
        ("/endless", _endless, r"too large \(more than 50,000 bytes; the limit is 50,000\)$"),
        ("/empty", (200, {"Content-Type": "text/html"}, b"  "), r"the page is empty$"),
        ("/notext", html("<html><body><script>var x = 1;</script></body></html>"),
         r"no article text found in the HTML page$"),
    ],
)  # fmt: skip
def test_each_failure_has_a_clear_error_and_changes_nothing(
    svc: Service, server, monkeypatch, path: str, route: Any, message: str
) -> None:
    base, pages = server
    if route is not None:
        pages.routes[path] = route
    monkeypatch.setattr(fetching, "TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(fetching, "MAX_PAGE_BYTES", 50_000)
    before = db_state(svc.db)
    with pytest.raises(FetchError, match=rf"^{base}{path}: {message}") as info:
        svc.import_url(f"{base}{path}")
    assert "\n" not in str(info.value)
    assert db_state(svc.db) == before


def test_connection_refused_and_dns_failures(svc: Service, monkeypatch) -> None:
    before = db_state(svc.db)
    port = _refused_port()
    with pytest.raises(
        FetchError, match=rf"^http://127\.0\.0\.1:{port}/a: the connection to 127\.0\.0\.1 was refused$"
    ):
        svc.import_url(f"http://127.0.0.1:{port}/a")

    real = socket.getaddrinfo

    def no_such_host(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(
        FetchError,
        match=r"^http://news\.example\.invalid/a: the host news\.example\.invalid was not found \(DNS",
    ):
        svc.import_url("http://news.example.invalid/a")
    with pytest.raises(FetchError, match=r"^ftp://x/a: not an http or https URL$"):
        svc.import_url("ftp://x/a")
    assert db_state(svc.db) == before


def test_cli_imports_urls_and_reports_each_failure(sqlite_url: str, server, capsys) -> None:
    base, pages = server
    pages.routes["/a"] = html(PAGE)
    # One refused: exit code 1 (as for files: anything refused makes the exit code 1).
    assert main(["--db", sqlite_url, "--user", "ana", "import", f"{base}/a", f"{base}/missing"]) == 1
    out, err = capsys.readouterr()
    assert "imported  #1  Harbour talks resume" in out
    assert f"refused   {base}/missing: HTTP 404 Not Found: the page does not exist" in err
    pages.routes["/a"] = html(PAGE.replace("Monday", "Tuesday"))
    assert main(["--db", sqlite_url, "--user", "ana", "import", f"{base}/a"]) == 0
    assert "version 2 #2  Harbour talks resume" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "--user", "ana", "import", f"{base}/a"]) == 0
    assert "unchanged #2" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "--user", "ana", "import", f"{base}/missing"]) == 1


def test_hostile_headers_are_cut_to_what_is_kept(svc: Service, server) -> None:
    base, pages = server
    pages.routes["/h"] = (
        200,
        {"Content-Type": "text/html; charset=" + "x" * 300, "ETag": '"' + "e" * 5000 + '"'},
        PAGE.encode("utf-8"),
    )
    art = svc.import_url(f"{base}/h").extra["article"]
    assert art.http_etag is not None and len(art.http_etag) == 300 and art.http_etag.endswith("…")
    assert "We are closer" in svc.article_text(art.id)  # the absurd charset was ignored
    assert svc.verify_audit().ok


def test_a_url_too_long_or_malformed_is_refused(svc: Service) -> None:
    before = db_state(svc.db)
    with pytest.raises(FetchError, match=r"the URL is longer than 2000 characters$"):
        svc.import_url("http://example.org/" + "a" * 2000)
    with pytest.raises(FetchError, match=r"^http://\[oops/: not a valid URL"):
        svc.import_url("http://[oops/")
    assert db_state(svc.db) == before

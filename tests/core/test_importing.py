"""Tests of annotator.importing: decoding, the .txt header, HTML extraction, the sample articles."""

from __future__ import annotations

import codecs
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import annotator.importing as importing
from annotator.canonical import canonicalize, is_canonical, sha256_bytes, sha256_text
from annotator.errors import ArticleImportError
from annotator.importing import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    ExtractedArticle,
    article_files,
    decode_bytes,
    has_visible_text,
    read_article,
)

NBSP = "\u00a0"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def import_error(path: Path, **kwargs: object) -> str:
    """Read ``path`` expecting an ArticleImportError; return its message (checked to name the file)."""
    with pytest.raises(ArticleImportError) as info:
        read_article(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert info.value.path == path
    return message


def body_after_header(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8")
    return raw.split("\n---\n", 1)[1]


# --------------------------------------------------------------------------------------------
# The sample articles
# --------------------------------------------------------------------------------------------

EXPECTED = {
    "istanbul-talks.txt": dict(
        title="Russia and Ukraine resume direct talks after three years without concrete progress",
        outlet="El País",
        language="en",
        published=datetime.date(2025, 5, 19),
        format="txt",
    ),
    "port-calder-desalination.html": dict(
        title="Port Calder approves desalination plant despite fishermen's protest",
        outlet="The Calder Gazette",
        language="en-GB",
        published=datetime.date(2025, 3, 11),
        format="html",
        byline="Imogen Thackray",
        url="https://www.caldergazette.example/news/2025/03/11/port-calder-desalination-plant-approved",
    ),
    "wendelhausen-bruecke.txt": dict(
        title="Streit um Sperrung der Wendelbrücke: Wendelhausen fordert Behelfsbrücke",
        outlet="Ostermoorer Tageblatt",
        language="de",
        published=datetime.date(2025, 4, 8),
        format="txt",
        byline="Katharina Lindemann",
    ),
    "saint-aubin-maternite.txt": dict(
        title="À Saint-Aubin-des-Landes, la fermeture de la maternité divise élus et médecins",
        outlet="La Gazette du Val-Morin",
        language="fr",
        published=datetime.date(2025, 2, 20),
        format="txt",
    ),
    "tavrin-bridge-chain.txt": dict(
        title="Marenian minister privately prepared to cancel Tavrin bridge contract, officials say",
        outlet="Northgate Wire",
        language="en",
        published=datetime.date(2025, 6, 3),
        format="txt",
    ),
    "kestrel-ford-library.txt": dict(
        title="Kestrel Ford library saved after last-minute funding deal",
        outlet="The Ashby Marsh Examiner",
        language="en",
        published=datetime.date(2025, 1, 27),
        format="txt",
    ),
}

# Quotes other people's tests rely on: each must occur exactly once in its article.
QUOTES = {
    "port-calder-desalination.html": [
        '"We cannot ask families to queue for bottled water every August,"',
        '"This plant is the only option that is ready to be built before the reservoir runs dry."',
        '"will poison the last good crab grounds on this stretch of coast"',
        '"They have heard us, they have nodded, and then they have voted exactly as they always intended,"',
        '"The discharge will be diluted to natural salinity levels less than fifty metres from the outlet,"',
        "Water security is not a luxury for a town like ours. It is the difference between a community "
        "that has a future and one that does not.",
        '"rushed a decision that our grandchildren will be paying for"',
        '"welcomes the council\'s decision"',
        '"We will look very closely at whether the environmental assessment was lawful."',
    ],
    "wendelhausen-bruecke.txt": [
        "„Wir haben aus der Zeitung erfahren, dass unsere wichtigste Verbindung ab sofort gesperrt ist“",
        "„So geht man nicht mit einer Stadt von 14.000 Einwohnern um.“",
        "„keine akute Einsturzgefahr, aber auch keine ausreichende Sicherheit mehr für schwere Fahrzeuge“",
        "„Ein Prüfingenieur hat mir am Freitagabend gesagt, er würde ‚mit dem eigenen Auto nicht mehr "
        "drüberfahren‘. Danach gab es für uns nichts mehr abzuwägen“",
        "‚mit dem eigenen Auto nicht mehr drüberfahren‘",
        "„Für meine Tochter bedeutet das, dass sie morgens um halb sechs aufstehen muss“",
        "„Verkehrsinfarkt mit Ansage“",
        "„alle Optionen, auch eine Behelfsbrücke“",
        "„Versprechen haben wir in den letzten zehn Jahren genug gehört.“",
    ],
    "saint-aubin-maternite.txt": [
        f"«{NBSP}abandon pur et simple{NBSP}»",
        f"«{NBSP}Nous ne pouvons plus garantir la sécurité des accouchements avec deux anesthésistes "
        f"pour tout le département{NBSP}»",
        f"«{NBSP}Maintenir le service ouvert dans ces conditions serait irresponsable.{NBSP}»",
        f"«{NBSP}Beaucoup de collègues ont des enfants, une maison, un conjoint qui travaille ici. "
        f"On ne déménage pas une vie en quatre mois{NBSP}»",
        f"«{NBSP}moratoire immédiat{NBSP}»",
        f"«{NBSP}la santé des femmes ne peut pas être une variable d’ajustement budgétaire{NBSP}»",
        f"«{NBSP}n’est une bonne nouvelle pour personne{NBSP}»",
        f"«{NBSP}Un centre de consultation ne remplace pas une salle d’accouchement.{NBSP}»",
    ],
    "tavrin-bridge-chain.txt": [
        "A senior transport ministry official told the Castellan News Agency that Minister Oskar Varga "
        "had told aides",
        '"would not survive the summer"',
        '"on schedule and on budget"',
        '"there is no discussion whatsoever about ending the contract"',
        "According to an internal audit report",
        "who asked not to be named",
        '"kept completely in the dark"',
        '"We learned more from the newspapers than from the ministry,"',
        '"design changes requested by the ministry itself"',
        '"does not comment on reports based on anonymous sources"',
        '"If the minister told his own staff one thing and the public another, he has to explain himself '
        'to parliament."',
    ],
    "kestrel-ford-library.txt": [
        '"This is the best news this town has had in a decade,"',
        "“what can happen when a community refuses to take no for an answer”",
        "“We never wanted to close a single library. "
        "The budget left us no choice until the Trust stepped in.”",
        "‘a lifeline for older residents and for children whose families cannot afford books’",
        '"It\'s where I learned to use a computer at seventy-five,"',
        "'Does this mean I can keep my card?'",
        "“a sticking plaster”",
        "“the same crisis will be back on the table in three years”",
        '"We have won this round, but the building needs serious work,"',
    ],
}


@pytest.fixture(scope="module")
def samples() -> dict[str, ExtractedArticle]:
    folder = Path(__file__).resolve().parents[2] / "sample_articles"
    return {p.name: read_article(p) for p in article_files(folder)}


def test_every_sample_imports(samples_dir: Path, samples: dict[str, ExtractedArticle]) -> None:
    files = sorted(p for p in samples_dir.iterdir() if p.is_file())
    assert len(files) >= 6
    assert sorted(samples) == sorted(p.name for p in files)
    for name, article in samples.items():
        path = samples_dir / name
        assert article.text.strip()
        assert is_canonical(article.text)
        assert article.filename == name
        assert article.encoding == "utf-8"
        assert article.raw_sha256 == sha256_bytes(path.read_bytes())
        assert article.text_sha256 == sha256_text(article.text)
        assert article.extractor == ("plain" if article.format == "txt" else "trafilatura")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_metadata(name: str, samples: dict[str, ExtractedArticle]) -> None:
    article = samples[name]
    for field, value in EXPECTED[name].items():
        assert getattr(article, field) == value, field


@pytest.mark.parametrize("name", sorted(QUOTES))
def test_sample_quotes_occur_once(name: str, samples: dict[str, ExtractedArticle]) -> None:
    text = samples[name].text
    for quote in QUOTES[name]:
        assert text.count(quote) == 1, quote


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - {"istanbul-talks.txt"}))
def test_written_samples_are_wire_length(name: str, samples: dict[str, ExtractedArticle]) -> None:
    assert 250 <= len(samples[name].text.split()) <= 600


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".txt")))
def test_txt_sample_body_is_verbatim(
    name: str, samples_dir: Path, samples: dict[str, ExtractedArticle]
) -> None:
    assert samples[name].text == body_after_header(samples_dir / name)


def test_istanbul_gold_offsets(data_dir: Path, samples: dict[str, ExtractedArticle]) -> None:
    gold = json.loads((data_dir / "istanbul-talks.gold.json").read_text(encoding="utf-8"))
    text = samples["istanbul-talks.txt"].text
    assert gold["quotes"]
    for quote in gold["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]


def test_sample_quote_characters(samples: dict[str, ExtractedArticle]) -> None:
    de = samples["wendelhausen-bruecke.txt"].text
    assert {"„", "“", "‚", "‘"} <= set(de)
    fr = samples["saint-aubin-maternite.txt"].text
    assert f"«{NBSP}" in fr and f"{NBSP}»" in fr
    assert "« " not in fr and " »" not in fr
    mixed = samples["kestrel-ford-library.txt"].text
    assert {'"', "“", "”", "‘", "’", "'"} <= set(mixed)
    assert "town's" in mixed and "town’s" in mixed  # apostrophes, not quotes


# --------------------------------------------------------------------------------------------
# The HTML sample: boilerplate stays out
# --------------------------------------------------------------------------------------------

BOILERPLATE = [
    # navigation, header, breadcrumbs, footer
    "Obituaries",
    "Puzzles & Crosswords",
    "Home ›",
    "Calder Gazette Media Ltd",
    "Privacy policy",
    "Terms and conditions",
    # scripts (inline, JSON-LD, late) and style
    "Subscribe today",
    "surrender the harbour",
    "Late-loading script",
    "Paywall script",
    "dataLayer",
    "@context",
    "function",
    "STYLESHEET BREAKING LABEL",
    "min-height",
    "tracking pixel",
    # ads
    "Advertisement",
    "Holiday cottages",
    "BrightTariff",
    "Retirement flats",
    # cookie banner, newsletter, sharing, related and most-read links
    "We use cookies",
    "Accept all cookies",
    "Manage preferences",
    "Morning Briefing",
    "free newsletter",
    "Share on Facebook",
    "Email this story",
    "Reservoir levels fall",
    "Hosepipe ban",
    "Most read",
    "Lifeboat crew",
    # comments
    "Comments (3)",
    "HarbourWatcher77",
    "This council never listens",
    "taps ran dry",
    "electricity bill",
    "Write your comment here",
]


@pytest.fixture
def html_sample(samples_dir: Path) -> Path:
    return samples_dir / "port-calder-desalination.html"


def check_html_sample_text(text: str) -> None:
    for quote in QUOTES["port-calder-desalination.html"]:
        assert quote in text
    for junk in BOILERPLATE:
        assert junk not in text, junk
    assert "\n\n" in text and "\n\n\n" not in text
    # the blockquote is wrapped in the page source but is one paragraph
    assert "between a community that has a future" in text


def test_html_sample_extraction(html_sample: Path, samples: dict[str, ExtractedArticle]) -> None:
    article = samples[html_sample.name]
    assert article.extractor == "trafilatura"
    check_html_sample_text(article.text)
    assert article.text.startswith("Port Calder approves desalination plant")


def test_html_fallback_extractor_is_clean(html_sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_trafilatura_extract", lambda tree: ("", {}))
    article = read_article(html_sample)
    assert article.extractor == "fallback"
    check_html_sample_text(article.text)
    for field, value in EXPECTED[html_sample.name].items():
        assert getattr(article, field) == value, field


def test_html_fallback_used_when_trafilatura_raises(
    html_sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(tree: object) -> tuple[str, dict[str, object]]:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(importing, "_trafilatura_extract", boom)
    assert read_article(html_sample).extractor == "fallback"


def test_fallback_never_takes_script_or_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_trafilatura_extract", lambda tree: ("", {}))
    page = write(
        tmp_path / "p.html",
        "<html><head><style>body { color: red }</style></head><body>"
        "<script>var s = 'script words';</script><p>Real words.</p><noscript>Enable JS</noscript>"
        "<div class='cookie-consent'><p>Cookies!</p></div><div id='comments'><p>Reader comment.</p></div>"
        "Loose <template><p>template words</p></template></body></html>",
    )
    assert read_article(page).text == "Real words."


def test_html_metadata_fallbacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_trafilatura_extract", lambda tree: ("", {}))
    page = write(
        tmp_path / "m.htm",
        '<html lang="pt_BR"><head><title>Title tag</title>'
        '<meta property="og:site_name" content="Jornal Exemplo">'
        '<meta property="article:published_time" content="2024-02-29T10:00:00-03:00">'
        '<link rel="canonical" href="https://jornal.example/a"></head>'
        "<body><main><p>Texto.</p></main></body></html>",
    )
    article = read_article(page)
    assert (article.title, article.outlet, article.published, article.language, article.url) == (
        "Title tag",
        "Jornal Exemplo",
        datetime.date(2024, 2, 29),
        "pt-BR",
        "https://jornal.example/a",
    )
    assert article.format == "html"


def test_html_without_date_gets_no_guessed_date(tmp_path: Path) -> None:
    page = write(
        tmp_path / "d.html",
        "<html><head><title>T</title></head><body><article><h1>Headline here</h1>"
        + "<p>Some reasonably long article paragraph about local matters and nothing else.</p>" * 5
        + "</article><footer><p>© 2021 Example Media</p></footer></body></html>",
    )
    article = read_article(page)
    assert article.published is None
    assert "Example Media" not in article.text


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "declared", "text", "encoding"),
    [
        (codecs.BOM_UTF8 + "héllo".encode(), None, "héllo", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "héllo €".encode("utf-16-le"), None, "héllo €", "utf-16"),
        (codecs.BOM_UTF16_BE + "héllo €".encode("utf-16-be"), None, "héllo €", "utf-16"),
        (codecs.BOM_UTF32_LE + "h😀".encode("utf-32-le"), None, "h😀", "utf-32"),
        ("naïve 😀".encode(), "windows-1251", "naïve 😀", "utf-8"),
        ("Привет".encode("cp1251"), "windows-1251", "Привет", "cp1251"),
        ("Καλημέρα".encode("iso-8859-7"), "ISO-8859-7", "Καλημέρα", "iso-8859-7"),
        (b"\x93quoted\x94", None, "“quoted”", "cp1252"),
        (b"\x93quoted\x94", "no-such-charset", "“quoted”", "cp1252"),
        (b"\x93quoted\x94", "iso-8859-1", "“quoted”", "cp1252"),
        (b"caf\xe9 \x81", "iso-8859-1", "café \x81", "iso-8859-1"),
        (b"caf\xe9", "utf-16", "café", "cp1252"),
    ],
)
def test_decode_bytes(data: bytes, declared: str | None, text: str, encoding: str) -> None:
    assert decode_bytes(data, declared) == (text, encoding)


def test_decode_bytes_undecodable() -> None:
    with pytest.raises(ValueError, match="cannot decode"):
        decode_bytes(b"abc \x81\x8d\x8f\x90\x9d")
    with pytest.raises(ValueError, match="byte-order mark"):
        decode_bytes(codecs.BOM_UTF16_LE + b"a")  # odd length


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("bom8.txt", codecs.BOM_UTF8 + "Grüße aus Köln".encode(), "utf-8-sig"),
        ("bom16.txt", codecs.BOM_UTF16_LE + "Grüße aus Köln".encode("utf-16-le"), "utf-16"),
        ("plain.txt", "Grüße aus Köln".encode(), "utf-8"),
        ("ansi.txt", "Grüße aus Köln".encode("cp1252"), "cp1252"),
    ],
)
def test_read_article_records_encoding(tmp_path: Path, name: str, data: bytes, encoding: str) -> None:
    article = read_article(write(tmp_path / name, data))
    assert (article.text, article.encoding) == ("Grüße aus Köln", encoding)
    assert article.raw_sha256 == sha256_bytes(data)


def test_cp1252_curly_quotes_file(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "q.txt", b"He said \x93quoted\x94 and left."))
    assert (article.text, article.encoding) == ("He said “quoted” and left.", "cp1252")


def html_page(charset_decl: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head>{charset_decl}<title>Page</title></head><body><article>"
        f"<h1>{body}</h1>" + f"<p>{body} {body} {body}.</p>" * 4 + "</article></body></html>"
    )


@pytest.mark.parametrize(
    ("decl", "codec", "word", "encoding"),
    [
        ('<meta charset="windows-1251">', "cp1251", "Москва сообщила", "cp1251"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7">',
            "iso-8859-7",
            "Η Αθήνα ανακοίνωσε",
            "iso-8859-7",
        ),
        ("<meta charset=koi8-r>", "koi8-r", "Новости дня", "koi8-r"),
    ],
)
def test_html_declared_charset(tmp_path: Path, decl: str, codec: str, word: str, encoding: str) -> None:
    page = write(tmp_path / "page.html", html_page(decl, word).encode(codec))
    article = read_article(page)
    assert article.encoding == encoding
    assert word in article.text


def test_xhtml_xml_declaration_charset(tmp_path: Path) -> None:
    word = "Η Αθήνα ανακοίνωσε"
    text = '<?xml version="1.0" encoding="iso-8859-7"?>\n' + html_page("", word).replace(
        "<!DOCTYPE html><html>", '<html xmlns="http://www.w3.org/1999/xhtml">'
    )
    article = read_article(write(tmp_path / "x.xhtml.htm", text.encode("iso-8859-7")))
    assert article.encoding == "iso-8859-7"
    assert word in article.text


def test_html_bom_beats_meta(tmp_path: Path) -> None:
    word = "Zürich meldet"
    data = codecs.BOM_UTF16_LE + html_page('<meta charset="iso-8859-1">', word).encode("utf-16-le")
    article = read_article(write(tmp_path / "b.html", data))
    assert article.encoding == "utf-16"
    assert word in article.text


# --------------------------------------------------------------------------------------------
# Canonical text
# --------------------------------------------------------------------------------------------


def test_newlines_nfc_and_controls(tmp_path: Path) -> None:
    raw = "Line one\r\nLine two\rLine three\u0301\x01\x0b\x1f end\u2028x\n"
    article = read_article(write(tmp_path / "c.txt", raw))
    assert article.text == "Line one\nLine two\nLine threé end\nx\n"
    assert article.text == canonicalize(raw)


def test_header_with_crlf(tmp_path: Path) -> None:
    raw = "Title: T\r\nLanguage: en\r\n---\r\n\r\n  Body line.\r\n\r\n"
    article = read_article(write(tmp_path / "h.txt", raw))
    assert (article.title, article.language) == ("T", "en")
    assert article.text == "\n  Body line.\n\n"  # verbatim: leading blank line and spaces kept


# --------------------------------------------------------------------------------------------
# The .txt header
# --------------------------------------------------------------------------------------------


def test_full_header(tmp_path: Path) -> None:
    raw = (
        "TITLE: A title\noutlet:Some Paper\nUrl: https://x.example/a?b=c:d\nDate: 2024-12-31\n"
        "language: pt-BR\nByline:   Ana Souza  \n---\nBody.\n"
    )
    a = read_article(write(tmp_path / "a.txt", raw))
    assert (a.title, a.outlet, a.url, a.published, a.language, a.byline) == (
        "A title",
        "Some Paper",
        "https://x.example/a?b=c:d",
        datetime.date(2024, 12, 31),
        "pt-BR",
        "Ana Souza",
    )
    assert (a.text, a.format, a.extractor) == ("Body.\n", "txt", "plain")


@pytest.mark.parametrize(
    "raw",
    [
        "Date: Monday was cold.\nThe council met.\n---\nmore\n",  # second line is not Key: value
        "Dateline: Paris\n---\nBody\n",  # first key unknown
        "Title: no terminator\nOutlet: X\n\nBody\n",
        " Title: indented\n---\nBody\n",
        "Title: T\n--- \nBody\n",  # not exactly ---
    ],
)
def test_no_header_means_whole_file_is_body(tmp_path: Path, raw: str) -> None:
    article = read_article(write(tmp_path / "n.txt", raw))
    assert article.text == raw
    assert article.outlet is None and article.published is None


def test_title_fallbacks(tmp_path: Path) -> None:
    long_line = "word " * 100
    a = read_article(write(tmp_path / "t1.txt", f"\n\n   {long_line}\nsecond\n"))
    assert a.title == long_line.strip()[:200].rstrip() and len(a.title) <= 200
    b = read_article(write(tmp_path / "t2.txt", "Outlet: Paper\n---\n\n  First line  \nSecond\n"))
    assert b.title == "First line"
    c = read_article(write(tmp_path / "t3.txt", "Title:\nOutlet: P\n---\nBody\n"))  # empty value = absent
    assert c.title == "Body"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Title: T\nAuthor: Me\n---\nBody\n", "line 2: unknown metadata key 'Author'"),
        (
            "Title: T\nOutlet: A\ntitle: again\n---\nBody\n",
            "line 3: duplicate metadata key 'title' (first on line 1)",
        ),
        ("Date: 2025-13-01\n---\nBody\n", "line 1: bad date '2025-13-01' (expected YYYY-MM-DD)"),
        ("Title: T\nDate: 19 May 2025\n---\nBody\n", "line 2: bad date '19 May 2025'"),
        ("Title: T\nDate: 20250519\n---\nBody\n", "line 2: bad date '20250519'"),
        ("Language: English\n---\nBody\n", "line 1: bad language 'English'"),
        ("Title: T\n---\n", "no article text after the metadata header"),
        ("Title: T\n---\n \n\t\n", "no article text after the metadata header"),
    ],
)
def test_bad_header(tmp_path: Path, raw: str, expected: str) -> None:
    assert expected in import_error(write(tmp_path / "bad.txt", raw))


# --------------------------------------------------------------------------------------------
# Refused files
# --------------------------------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def test_refused_files(tmp_path: Path) -> None:
    assert import_error(write(tmp_path / "empty.txt", b"")).endswith("file is empty")
    assert "only whitespace" in import_error(write(tmp_path / "ws.txt", " \n\t\r\n \u3000"))
    assert "binary content" in import_error(write(tmp_path / "image.txt", PNG))
    assert "binary content" in import_error(write(tmp_path / "image.html", PNG))
    assert "cannot decode" in import_error(write(tmp_path / "bad.txt", b"abc \x81\x8d\x8f\x90\x9d"))
    assert "unsupported file type '.pdf'" in import_error(write(tmp_path / "doc.pdf", b"%PDF-1.7"))
    assert "unsupported file type '(no suffix)'" in import_error(write(tmp_path / "README", b"x"))
    assert "file not found" in import_error(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    assert "not a regular file" in import_error(tmp_path / "folder.txt")


def test_only_a_bom_is_empty_text(tmp_path: Path) -> None:
    assert "only whitespace" in import_error(write(tmp_path / "bom.txt", codecs.BOM_UTF8))


def test_size_cap(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"x" * 101)
    message = import_error(path, max_bytes=100)
    assert "101 bytes" in message and "limit is 100 bytes" in message
    assert read_article(path, max_bytes=101).text == "x" * 101
    assert MAX_FILE_BYTES == 20 * 1024 * 1024


def test_html_with_no_article_text(tmp_path: Path) -> None:
    page = write(
        tmp_path / "nav.html",
        "<html><head><title>Only nav</title><script>var q = \"He said: 'hello world'\";</script>"
        "<style>p { color: red }</style></head><body><nav><ul><li><a href=/>Home</a></li>"
        "<li><a href=/news>News</a></li><li><a href=/sport>Sport and leisure pages</a></li></ul></nav>"
        '<script>document.write("Injected quote text")</script>'
        "<footer><p>Copyright 2025 Example Media</p></footer></body></html>",
    )
    assert import_error(page).endswith("no article text found in the HTML page")
    assert "no article text" in import_error(write(tmp_path / "blank.html", "<html><body>  </body></html>"))


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read anything")
    path = write(tmp_path / "secret.txt", "text")
    path.chmod(0)
    try:
        assert "cannot read the file" in import_error(path)
    finally:
        path.chmod(0o600)


# --------------------------------------------------------------------------------------------
# article_files
# --------------------------------------------------------------------------------------------


def test_article_files(tmp_path: Path) -> None:
    for rel in [
        "b.txt",
        "a.HTML",
        "sub/z.htm",
        "sub/deeper/c.txt",
        "notes.md",
        "image.png",
        ".hidden.txt",
        ".git/x.txt",
        "sub/.cache/y.html",
        "noext",
    ]:
        write(tmp_path / rel, "x")
    (tmp_path / "dir.txt").mkdir()
    found = article_files(tmp_path, recursive=True)
    assert found == sorted(found)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.HTML",
        "b.txt",
        "sub/deeper/c.txt",
        "sub/z.htm",
    ]
    assert article_files(str(tmp_path / "sub"), recursive=True) == [
        tmp_path / "sub/deeper/c.txt",
        tmp_path / "sub/z.htm",
    ]
    # subfolders only when asked (issue 11)
    assert [p.relative_to(tmp_path).as_posix() for p in article_files(tmp_path)] == ["a.HTML", "b.txt"]
    assert article_files(tmp_path / "sub") == [tmp_path / "sub/z.htm"]
    with pytest.raises(ArticleImportError, match="not a folder"):
        article_files(tmp_path / "b.txt")


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == frozenset({".txt", ".html", ".htm"})


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

HEADER_START = re.compile(r"(?i)(title|outlet|url|date|language|byline)[ \t]*:")

texts = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"),
        st.sampled_from(["\r\n", "\r", "\n", "e\u0301", "😀", "\U0001f468\u200d\U0001f469", "𝔘", "\u2028"]),
    ),
    min_size=1,
    max_size=80,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_plain_text_round_trip(tmp_path: Path, text: str) -> None:
    canonical = canonicalize(text)
    assume(has_visible_text(canonical))  # invisible-only text is refused (issue 10)
    assume(not HEADER_START.match(canonical))  # would be taken for a metadata header
    article = read_article(write(tmp_path / "prop.txt", text))
    assert article.text == canonical
    assert article.encoding == "utf-8"
    assert article.text_sha256 == sha256_text(canonical)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=texts)
def test_header_body_round_trip(tmp_path: Path, body: str) -> None:
    assume(has_visible_text(canonicalize(body)))
    raw = "Title: Fixed\nLanguage: en\n---\n" + body
    article = read_article(write(tmp_path / "prop-h.txt", raw))
    assert article.text == canonicalize(body)
    assert article.title == "Fixed"


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=64), declared=st.sampled_from([None, "utf-8", "latin-1", "cp1251", "bogus"]))
def test_decode_bytes_total(data: bytes, declared: str | None) -> None:
    """decode_bytes returns a text or raises ValueError, nothing else."""
    try:
        text, encoding = decode_bytes(data, declared)
    except ValueError:
        return
    assert codecs.lookup(encoding)
    assert isinstance(text, str)


# --------------------------------------------------------------------------------------------
# Layering
# --------------------------------------------------------------------------------------------


def test_import_is_light() -> None:
    code = (
        "import sys, annotator.importing; "
        "bad = [m for m in ('PySide6', 'shiboken6', 'ui', 'trafilatura') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

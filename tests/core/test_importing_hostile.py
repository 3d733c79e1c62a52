"""Hostile and broken article files (issue 10, points 4-6) and the import fixes of issue 11.

Every hostile file is generated here; none is committed.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.canonical import display_safe, sha256_text
from annotator.errors import ArticleImportError
from annotator.importing import (
    MAX_HTML_CHILDREN,
    MAX_HTML_DEPTH,
    MAX_HTML_ELEMENTS,
    article_files,
    byline_problem,
    clean_outlet,
    decode_text,
    detect_language,
    read_article,
    scan_folder,
)
from annotator.service import Service


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(path: Path, **kwargs: object) -> str:
    with pytest.raises(ArticleImportError) as info:
        read_article(path, **kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"{path}: ")
    return info.value.reason


PARAGRAPH = (
    "The council voted on Tuesday to approve the plan after a long debate in which residents, "
    "fishermen and the harbour master all spoke against the timetable proposed by the company."
)


def page(body: str, head: str = "", lang: str | None = "en") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f'<!DOCTYPE html><html{lang_attr}><head><meta charset="utf-8"><title>Council approves plan</title>'
        f"{head}</head><body><article><h1>Council approves plan</h1>{body}</article></body></html>"
    )


# --------------------------------------------------------------------------------------------
# The sample articles: their canonical texts are frozen (gold annotations depend on them)
# --------------------------------------------------------------------------------------------

SAMPLE_TEXT_SHA256 = {
    "istanbul-talks.txt": "b0bd4ae51743a9656f3fdd751520c579cb653783cf00f8f299ec732c8a3954d2",
    "kestrel-ford-library.txt": "395f557019cffe82e87f8774d8ab27932e685f951163499d784f6a480f6bf85b",
    "kielsund-werft.txt": "7049c649ca5cb17810dc5ed37f519d0faf1a101c9b965d8d47a8f24b1557284f",
    "orsanne-barrage.txt": "f1d030527cf94d43186e7f4ce798250a61700b1f9ee26a6b30320696d7ce9432",
    "ostermoor-wolfsverordnung.txt": "6e3db53641103f946cdc97f05ce916d977acd8c5c9153cbaae5a1ddacfbc5f25",
    "ostrzeszyn-kopalnia.txt": "96cdeac4283660e33015880170806e547a20db45799d2cdd19d12cc4eeedd00b",
    "port-calder-desalination.html": "411ca20a101e5c2b6ff0d5f8d0cae8f0e13d6a0cbf419a00aa5b8d4b8542e757",
    "saint-aubin-maternite.txt": "7a9fda44a9cbaf354a48f0436c6e239e55bb842679da0e73967de354bcc99e58",
    "santa-ines-referendum.txt": "cc16e8282d34d913d438bd85dce6a793ea91095dd085c8a45a22377c247a4c1f",
    "tavrin-bridge-chain.txt": "0e24f8a674574f3582472be334d9a8ee5ca67a12a61f0d656e00791492504a83",
    "valdeoscuro-sequia.txt": "ad3d5e6d49c9d460368abac124131e74daa4044ed3ecdab30c6081b2f89be8e3",
    "verkhneozyorsk-teplo.txt": "34f980f6be5da87a077617364cea8e5077d975dbab1095f2af7c39eed5c23cc9",
    "vessany-coalition-budget.txt": "b11c852913f8b7c2cdb9e35db6020c143008bc10efee5315949deeb8f3292b15",
    "wendelhausen-bruecke.txt": "c5952e3de412b44160aca3a709d25cb1ce7c07531a26bc8c25356f09ba18debb",
}


def test_sample_canonical_texts_are_pinned(samples_dir: Path) -> None:
    files = article_files(samples_dir)
    assert sorted(p.name for p in files) == sorted(SAMPLE_TEXT_SHA256)
    for path in files:
        article = read_article(path)
        assert sha256_text(article.text) == SAMPLE_TEXT_SHA256[path.name], path.name
        assert article.warnings == [], path.name


# --------------------------------------------------------------------------------------------
# Issue 10.4: symbolic links never lead out of the chosen folder
# --------------------------------------------------------------------------------------------


@pytest.fixture
def linked_folder(tmp_path: Path) -> tuple[Path, Path]:
    outside = write(tmp_path / "private" / "shadow.txt", "root:secret-hash:19000:0:99999:7:::\n")
    folder = tmp_path / "articles"
    write(folder / "real.txt", PARAGRAPH)
    (folder / "notes.txt").symlink_to(outside)
    (folder / "alias.txt").symlink_to(folder / "real.txt")  # inside: fine
    (folder / "elsewhere").symlink_to(outside.parent, target_is_directory=True)
    return folder, outside


def test_folder_scan_refuses_links_out_of_the_folder(linked_folder: tuple[Path, Path]) -> None:
    folder, outside = linked_folder
    scan = scan_folder(folder)
    assert [p.name for p in scan.files] == ["alias.txt", "real.txt"]
    assert [(p.name, reason) for p, reason in scan.refused] == [
        ("notes.txt", f"symbolic link to {outside}, which is outside the folder {folder}; not followed")
    ]
    deep = scan_folder(folder, recursive=True)
    assert [p.name for p, _ in deep.refused] == ["elsewhere", "notes.txt"]
    assert "outside the folder" in dict((p.name, r) for p, r in deep.refused)["elsewhere"]
    assert all(p.name != "shadow.txt" for p in deep.files)


def test_read_article_within_refuses_a_link_out(linked_folder: tuple[Path, Path]) -> None:
    folder, outside = linked_folder
    reason = refused(folder / "notes.txt", within=folder)
    assert "symbolic link" in reason and str(outside) in reason and "outside" in reason
    assert read_article(folder / "alias.txt", within=folder).text == PARAGRAPH
    # named directly (no folder chosen), a symlinked file is the user's choice
    assert read_article(folder / "notes.txt").text.startswith("root:")


def test_service_folder_import_does_not_follow_links_out(
    sqlite_svc: Service, linked_folder: tuple[Path, Path]
) -> None:
    folder, outside = linked_folder
    report = sqlite_svc.import_paths([folder])
    assert [p.name for p, _ in report.imported] == ["alias.txt"]
    assert [p.name for p, _ in report.unchanged] == ["real.txt"]
    assert [(p.name, "outside the folder" in r) for p, r in report.failed] == [("notes.txt", True)]
    assert all("root:" not in sqlite_svc.article_text(a.article.id) for a in sqlite_svc.articles())
    assert report.summary() == "1 imported, 1 already there, 1 refused"
    assert report.exit_code == 1
    direct = sqlite_svc.import_paths([folder / "notes.txt"])  # named directly: imported
    assert len(direct.imported) == 1 and direct.exit_code == 0


# --------------------------------------------------------------------------------------------
# Issue 10.5: pages too complex to extract are refused cheaply
# --------------------------------------------------------------------------------------------


def test_element_bomb_is_refused(tmp_path: Path) -> None:
    bomb = write(tmp_path / "bomb.html", "<p>a</p>" * 2_490_000)  # 19.9 MB, under the size cap
    assert bomb.stat().st_size == 19_920_000
    reason = refused(bomb)
    assert reason.startswith("HTML too complex to extract: more than")
    assert "2,490,000 tags in the page" in reason


def test_element_limits(tmp_path: Path) -> None:
    sections = "".join(
        "<section>" + f"<p>{PARAGRAPH}</p>" * (MAX_HTML_CHILDREN // 2) + "</section>"
        for _ in range(MAX_HTML_ELEMENTS // (MAX_HTML_CHILDREN // 2) + 1)
    )
    reason = refused(write(tmp_path / "many.html", page(sections)))
    assert f"more than {MAX_HTML_ELEMENTS:,} elements (the limit is {MAX_HTML_ELEMENTS:,}" in reason
    inline = "<p>" + "<span>word</span> " * (MAX_HTML_CHILDREN + 1) + "</p>"
    reason = refused(write(tmp_path / "inline.html", page(inline)))
    assert f"more than {MAX_HTML_CHILDREN:,} elements inside one element" in reason


def test_deep_nesting_is_named(tmp_path: Path) -> None:
    deep = write(tmp_path / "deep.html", "<html><body>" + "<div>" * 100_000 + "text" + "</div>" * 100_000)
    assert refused(deep) == f"HTML nested too deeply (more than {MAX_HTML_DEPTH} levels; the limit is 250)"
    ok = "<div>" * 60 + f"<p>{PARAGRAPH}</p>" + "</div>" * 60
    assert PARAGRAPH in read_article(write(tmp_path / "ok.html", page(ok))).text


def test_a_large_normal_page_still_imports(tmp_path: Path) -> None:
    big = " ".join([PARAGRAPH] * 200)  # ~38 KB per paragraph
    body = "".join(f"<p>{i} {big}</p>" for i in range(300))  # ~11 MB, 300 paragraphs
    path = write(tmp_path / "big.html", page(body))
    assert path.stat().st_size > 10_000_000
    article = read_article(path)
    assert article.text.count(PARAGRAPH) == 200 * 300


# --------------------------------------------------------------------------------------------
# Issue 10.6: content to refuse or flag; reasons that say what was found
# --------------------------------------------------------------------------------------------


def test_invisible_only_files_are_refused(tmp_path: Path) -> None:
    zw = "\u200b\u200c\u200d\u2060\ufeff" * 50
    reason = refused(write(tmp_path / "zw.txt", zw))
    assert reason.startswith("no visible text (only invisible characters such as U+200B ZERO WIDTH SPACE")
    assert "only invisible" in refused(write(tmp_path / "zw.html", f"<p>{zw}</p><p>\u3164\u2800</p>"))
    assert "only invisible" in refused(write(tmp_path / "h.txt", f"Title: T\n---\n{zw}\n"))
    # an invisible first line is not the title
    article = read_article(write(tmp_path / "t.txt", f"{zw}\nReal first line\n"))
    assert article.title == "Real first line"
    assert read_article(write(tmp_path / "t2.txt", f"Title: {zw}\n---\nBody\n")).title == "Body"


def test_random_bytes_are_not_text(tmp_path: Path) -> None:
    rng = random.Random(10)
    undefined_in_cp1252 = {0x00, 0x81, 0x8D, 0x8F, 0x90, 0x9D}  # without these cp1252 decodes anything
    alphabet = bytes(b for b in range(256) if b not in undefined_in_cp1252)
    noise = bytes(rng.choice(alphabet) for _ in range(290_000))
    assert noise.decode("cp1252")  # what main imported as "text"
    for name in ("noise.txt", "noise.html"):
        reason = refused(write(tmp_path / name, noise))
        assert reason.startswith("not text: not UTF-8, and read as cp1252 it is mostly unprintable (")
    # a real cp1252 file still imports
    assert read_article(write(tmp_path / "ansi.txt", "Grüße aus Köln, “zitiert”".encode("cp1252"))).text


def test_noscript_is_never_article_text(tmp_path: Path) -> None:
    only = write(tmp_path / "js.html", "<html><body><noscript>enable js</noscript></body></html>")
    assert refused(only) == "no article text found in the HTML page"
    body = (
        f"<noscript><p>Please enable JavaScript to read this site properly.</p></noscript><p>{PARAGRAPH}</p>"
    )
    article = read_article(write(tmp_path / "mixed.html", page(body * 2)))
    assert PARAGRAPH in article.text and "JavaScript" not in article.text


@pytest.mark.parametrize(
    ("codec", "endian"), [("utf-16-le", "little"), ("utf-16-be", "big"), ("utf-32-le", "little")]
)
def test_utf16_without_bom_is_named(tmp_path: Path, codec: str, endian: str) -> None:
    data = ("Der Bürgermeister sagte am Dienstag, die Brücke bleibe gesperrt.\n" * 20).encode(codec)
    reason = refused(write(tmp_path / "u.txt", data))
    width = codec[:6].upper()
    assert reason == f"{width} ({endian}-endian) text without a byte-order mark; save it as UTF-8"
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
    assert refused(write(tmp_path / "p.txt", png)) == "binary content (NUL bytes), not a text or HTML file"


def test_bidi_controls_are_neutralised(tmp_path: Path) -> None:
    spoof = "Innocent\u202egnp.exe"
    article = read_article(
        write(tmp_path / "b.txt", f"Title: {spoof}\nOutlet: Daily \u2066Paper\u2069\n---\nBody text.\n")
    )
    assert article.title == "Innocentgnp.exe" and article.outlet == "Daily Paper"
    assert article.warnings == [
        "removed bidi control characters (U+202E) from the title",
        "removed bidi control characters (U+2066, U+2069) from the outlet",
    ]
    html = read_article(write(tmp_path / "b.html", page(f"<p>{PARAGRAPH}</p>").replace("Council", spoof)))
    assert html.title == "Innocentgnp.exe approves plan"
    assert display_safe(spoof) == "Innocent<U+202E>gnp.exe"
    assert display_safe("person/\x1b[2J\x1b[31mEvil Corp") == "person/<U+001B>[2J<U+001B>[31mEvil Corp"
    assert display_safe("Zürich\tمرحبا\n") == "Zürich\tمرحبا\n"


# --------------------------------------------------------------------------------------------
# Issue 11: decoding with warnings, mojibake, language, outlet and byline, folder reports
# --------------------------------------------------------------------------------------------


def test_declared_utf8_with_an_invalid_byte(tmp_path: Path) -> None:
    head = "<title>Der B\xfcrgermeister sagt Nein</title>".encode("latin-1")
    body = f"<p>„Wir haben keine andere Wahl“, sagte er. {PARAGRAPH}</p>".encode()
    data = b'<html lang="de"><head><meta charset="utf-8">' + head + b"</head><body><article>" + body * 3
    article = read_article(write(tmp_path / "p.html", data + b"</article></body></html>"))
    assert article.encoding == "utf-8"
    assert "„Wir haben keine andere Wahl“" in article.text  # never re-decoded whole as cp1252
    assert "â€" not in article.text
    assert article.title == "Der B\ufffdrgermeister sagt Nein"
    assert article.warnings == [
        f"1 invalid UTF-8 byte replaced with U+FFFD (first at byte {data.index(0xFC)})"
    ]


def test_declared_utf8_but_only_latin1(tmp_path: Path) -> None:
    data = f'<meta charset="utf-8"><title>B\xfcrgermeister</title><p>{PARAGRAPH}</p>'.encode("latin-1")
    article = read_article(write(tmp_path / "l.html", data))
    assert (article.title, article.encoding) == ("Bürgermeister", "cp1252")
    assert article.warnings == ["the page declares UTF-8 but holds no UTF-8 text; read as cp1252"]


def test_mojibake_is_repaired_in_pages_and_flagged_in_txt(tmp_path: Path) -> None:
    moji = "Der BÃ¼rgermeister sagte: â€žWir haben keine andere Wahlâ€œ. "
    article = read_article(write(tmp_path / "m.html", page(f"<p>{moji}{PARAGRAPH}</p>", lang="de")))
    assert "Der Bürgermeister sagte: „Wir haben keine andere Wahl“." in article.text
    assert any(w.startswith("repaired mojibake") for w in article.warnings)
    txt = read_article(write(tmp_path / "m.txt", moji))
    assert txt.text == moji  # a .txt body is verbatim
    assert any("looks like mojibake" in w for w in txt.warnings)
    assert decode_text(moji.encode()).text.startswith("Der Bürgermeister")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Der Bürgermeister sagte am Dienstag, die Stadt habe keine andere Wahl gehabt."),
        ("fr", "Le ministre a déclaré mardi que le gouvernement ne reculerait pas sur la réforme."),
        ("es", "El presidente del Gobierno anunció ayer nuevas medidas para contener los precios."),
        ("pl", "Prezydent powiedział dziennikarzom, że rząd nie zamierza podnosić podatków w tym roku."),
        ("cs", "Vláda v úterý schválila návrh rozpočtu, který počítá se schodkem dvě stě miliard korun."),
        ("ru", "Президент заявил журналистам, что правительство не планирует повышать налоги."),
        ("en", PARAGRAPH),
    ],
)  # fmt: skip
def test_language_is_detected_when_not_declared(tmp_path: Path, language: str, text: str) -> None:
    assert detect_language(text) == language
    assert read_article(write(tmp_path / "a.html", page(f"<p>{text}</p>", lang=None))).language == language
    assert read_article(write(tmp_path / "a.txt", text)).language == language
    declared = read_article(write(tmp_path / "d.txt", f"Language: pt-BR\n---\n{text}"))
    assert declared.language == "pt-BR"  # what the file says wins


def test_language_not_guessed_from_too_little_text() -> None:
    assert detect_language("enable js") is None
    assert detect_language("Hello") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("SPIEGEL ONLINE, Hamburg, Germany", "SPIEGEL ONLINE"),
        ("TAZ Verlags- und Vertriebs GmbH", "TAZ"),
        ("Wday_", "Wday"),
        ("Reuters, Inc.", "Reuters"),
        ("NBC News Digital, LLC", "NBC News Digital"),
        ("Guardian News & Media Limited", "Guardian News & Media"),
        ("Agora S.A.", "Agora"),
        ("Ringier Axel Springer Polska sp. z o.o.", "Ringier Axel Springer Polska"),
        ("El País", "El País"),
        ("The Calder Gazette", "The Calder Gazette"),
        ("Le Monde.fr", "Le Monde.fr"),
    ],
)
def test_clean_outlet(raw: str, clean: str) -> None:
    assert clean_outlet(raw) == clean


def test_outlet_and_byline_from_a_page(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="SPIEGEL ONLINE, Hamburg, Germany">'
        '<meta name="author" content="SPIEGEL ONLINE">'
    )
    article = read_article(write(tmp_path / "s.html", page(f"<p>{PARAGRAPH}</p>", head)))
    assert (article.outlet, article.byline) == ("SPIEGEL ONLINE", None)
    head = '<meta property="og:site_name" content="Wday_"><meta name="author" content="Foto: Getty Images">'
    article = read_article(write(tmp_path / "w.html", page(f"<p>{PARAGRAPH}</p>", head)))
    assert (article.outlet, article.byline) == ("Wday", None)
    head = '<meta property="og:site_name" content="Die Zeit"><meta name="author" content="Anna Weber">'
    article = read_article(write(tmp_path / "z.html", page(f"<p>{PARAGRAPH}</p>", head)))
    assert (article.outlet, article.byline) == ("Die Zeit", "Anna Weber")
    assert byline_problem("Photo: Reuters/Jane Doe", "X") == "a photo credit"
    assert byline_problem("By BBC News", "BBC News") == "the outlet's own name"


def test_folder_import_is_not_recursive_unless_asked(sqlite_svc: Service, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    write(folder / "one.txt", PARAGRAPH)
    write(folder / "two.html", page(f"<p>{PARAGRAPH} Two.</p>"))
    write(folder / "bad.txt", "\u200b\u200b")
    write(folder / "reference" / "ref.txt", PARAGRAPH + " Reference.")
    report = sqlite_svc.import_paths([folder])
    assert sorted(p.name for p, _ in report.imported) == ["one.txt", "two.html"]
    assert [p.name for p, _ in report.failed] == ["bad.txt"]
    assert report.summary() == "2 imported, 1 refused"
    assert report.exit_code == 1
    deep = sqlite_svc.import_paths([folder], recursive=True)
    assert [p.name for p, _ in deep.imported] == ["ref.txt"]
    assert deep.summary() == "1 imported, 2 already there, 1 refused"
    clean = sqlite_svc.import_paths([folder / "one.txt"])
    assert (clean.summary(), clean.exit_code) == ("0 imported, 1 already there, 0 refused", 0)


def test_import_warnings_reach_the_report(svc: Service, tmp_path: Path) -> None:
    path = write(tmp_path / "w.txt", f"Title: Innocent\u202egnp.exe\n---\n{PARAGRAPH}\n")
    result = svc.import_file(path)
    assert result.extra["warnings"] == ["removed bidi control characters (U+202E) from the title"]
    assert svc.article(result.extra["article"].id).title == "Innocentgnp.exe"
    other = write(
        tmp_path / "x.html", b'<meta charset="utf-8"><p>caf\xc3\xa9 \xff ' + PARAGRAPH.encode() + b"</p>"
    )
    report = svc.import_paths([other])
    at = other.read_bytes().index(b"\xff")
    assert report.warnings == [(other, f"1 invalid UTF-8 byte replaced with U+FFFD (first at byte {at})")]
    assert report.summary() == "1 imported, 0 refused, 1 with warnings"

"""Property: any storable quote set survives file → database → file unchanged.

Generated sets (texts with astral characters, emoji, combining marks and odd whitespace; sources
of every kind, anonymous ones with descriptors, aliases and external ids, affiliations; chains of
up to 8 hops; every status; sign-offs) are written with ``write_quoteset``, imported with
``import_set`` into an empty SQLite database, and exported again with ``export_set``. What comes
back is the set in export order (quotes by article, start, end, uid; articles and sources by uid)
and pruned to what its quotes need, byte for byte.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator import __version__, validation
from annotator.anchoring import is_grapheme_boundary
from annotator.canonical import canonicalize, context, sha256_text
from annotator.db import Database
from annotator.names import name_key
from annotator.quotesets.export import export_set
from annotator.quotesets.importer import import_set, set_chain_sha256
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
)
from annotator.quotesets.xmlformat import read_quoteset, write_quoteset
from annotator.service import Service

_PIECES = st.one_of(
    st.characters(codec="utf-8"),  # anything: what XML cannot carry is removed by canonicalize
    st.sampled_from(
        ["😀", "👍🏽", "🇺🇦", "𝔘", "𐍈", "e\u0301", "\u0308", "a\u0323\u0302", "ﬁ", "\n", "\t", " ", "«", "»"]
    ),
)


def _texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.lists(_PIECES, min_size=min_size, max_size=max_size).map(
        lambda parts: canonicalize("".join(parts))
    )


def _storable(kind: validation.Kind) -> Callable[[str], str]:
    """Drop what the database refuses in a value of that kind (control and bidi characters; in
    names also tab and newline): a storable set holds none of them (see annotator.validation)."""
    return lambda s: "".join(c for c in s if validation.problem(c, "x", kind=kind) is None)


_TEXT = _texts().map(_storable("name"))
_NONEMPTY = _texts(1).map(_storable("name")).filter(bool)
_NONBLANK = _NONEMPTY.filter(lambda s: s.strip() != "")
_OPT = st.none() | _TEXT
_FREE_TEXT = st.none() | _texts().map(_storable("text"))
_STAMP = st.datetimes(timezones=st.just(None)).map(lambda d: d.isoformat() + "Z")
_UID = st.builds(lambda u, upper: str(u).upper() if upper else str(u), st.uuids(), st.booleans())
"""UUIDs, some in upper case (the schema allows it; ids are stored and ordered byte-wise as given)."""
_RELATION = (
    st.sampled_from(["according to", "quoted by", "told", "reported by", "via", " via ", "said to «x»"])
    | _NONEMPTY
)


@st.composite
def storable_sets(draw: st.DrawFn) -> QuoteSet:
    n_sources = draw(st.integers(1, 10))
    ids = draw(st.lists(_UID, min_size=n_sources, max_size=n_sources, unique=True))
    names = [draw(_NONEMPTY) for _ in ids]
    taken = {name_key(n) for n in names}  # an alias is unique and never another source's name
    pairs: set[tuple[str, str]] = set()
    sources = []
    for sid, name in zip(ids, names, strict=True):
        kind = draw(st.sampled_from(SOURCE_KINDS))
        aliases = []
        for alias in draw(st.lists(_NONEMPTY, max_size=2)):
            if name_key(alias) not in taken:
                taken.add(name_key(alias))
                aliases.append(alias)
        external = sorted(
            {p for p in draw(st.lists(st.tuples(_NONEMPTY, _TEXT), max_size=2)) if p not in pairs}
        )
        pairs.update(external)
        sources.append(
            SetSource(
                id=sid,
                kind=kind,
                name=name,
                role=draw(_OPT),
                affiliation=draw(st.none() | st.sampled_from([x for x in ids if x != sid] or [None])),
                descriptor=draw(_NONBLANK) if kind == "anonymous" else draw(st.none() | _NONBLANK),
                nationality=draw(_OPT),
                aliases=tuple(sorted(aliases)),
                external_ids=tuple(external),
            )
        )
    outlets = [s.id for s in sources if s.kind == "outlet"]
    articles = []
    for article_id in draw(st.lists(_UID, min_size=1, max_size=3, unique=True)):
        text = draw(_texts(min_size=1, max_size=120).filter(bool))
        articles.append(
            SetArticle(
                id=article_id,
                title=draw(st.none() | _NONEMPTY),  # an empty title is stored as "no title"
                outlet=draw(st.none() | st.sampled_from(outlets)) if outlets else None,
                url=draw(_OPT),
                byline=draw(_OPT),
                published=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
                language=draw(st.sampled_from([None, "en", "es", "pt-BR", "uk"])),
                text_sha256=sha256_text(text),
                text=text,
            )
        )
    assume(len({a.text for a in articles}) == len(articles))  # a database holds each text once
    quotes = []
    for quote_id in draw(st.lists(_UID, max_size=8, unique=True)):
        article = draw(st.sampled_from(articles))
        # Spans begin and end between whole characters (grapheme clusters), as the app's do.
        edges = [i for i in range(len(article.text) + 1) if is_grapheme_boundary(article.text, i)]
        start = draw(st.sampled_from(edges[:-1]))
        end = draw(st.sampled_from([e for e in edges if e > start]))

        def span(edges: list[int] = edges) -> tuple[int, int] | None:
            if not draw(st.booleans()):
                return None
            s = draw(st.sampled_from(edges[:-1]))
            return (s, draw(st.sampled_from([e for e in edges if e > s])))

        chain = draw(st.permutations(ids))[: draw(st.integers(0, min(9, n_sources)))]
        speaker = chain[0] if chain and draw(st.booleans()) else None
        hops = tuple(SetHop(h, draw(_RELATION), span()) for h in (chain[1:] if speaker else chain)[:8])
        prefix, suffix = context(article.text, start, end)
        signoffs = tuple(
            SignOff(
                draw(_TEXT),
                draw(_STAMP),
                draw(st.sampled_from(VERDICTS)),
                draw(_FREE_TEXT),
                hashlib.sha256(draw(st.binary(max_size=4))).hexdigest(),
            )
            for _ in range(draw(st.integers(0, 3)))
        )
        quote = SetQuote(
            id=quote_id,
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
            note=draw(_FREE_TEXT),
            status_by=draw(_OPT),
            status_at=draw(st.none() | _STAMP),
            created_by=draw(_TEXT),
            created_at=draw(_STAMP),
            signoffs=signoffs,
        )
        if quote.status == "verified":  # verified as the app verifies: a speaker and a signed chain
            if quote.speaker is None:
                quote = replace(quote, status=draw(st.sampled_from([x for x in STATUSES if x != "verified"])))
            else:
                approval = SignOff(
                    draw(_TEXT), draw(_STAMP), "approve", draw(_FREE_TEXT), set_chain_sha256(quote)
                )
                quote = replace(quote, signoffs=(*signoffs, approval))
        quotes.append(quote)
    header = SetHeader(
        created=draw(_STAMP),
        created_by=draw(_TEXT),
        tool_name="quote-annotator",
        tool_version=__version__,
        filter_status="all",
        audit_head_seq=draw(st.none() | st.integers(0, 10**12)),
        audit_head_sha256=draw(st.none() | st.just("0f" * 32)),
        four_eyes=draw(st.booleans()),
    )
    return QuoteSet(header, sources, articles, quotes)


def export_view(qs: QuoteSet) -> QuoteSet:
    """What an export of the whole set gives: its order, and only what its quotes need."""
    quotes = sorted(qs.quotes, key=lambda q: (q.article, q.start, q.end, q.id))
    used = {q.article for q in quotes}
    articles = sorted((a for a in qs.articles if a.id in used), key=lambda a: a.id)
    by_id = {s.id: s for s in qs.sources}
    need = {q.speaker for q in quotes if q.speaker} | {h.source for q in quotes for h in q.hops}
    need |= {a.outlet for a in articles if a.outlet}
    frontier = set(need)
    while frontier:
        frontier = {by_id[x].affiliation for x in frontier if by_id[x].affiliation} - need
        need |= frontier  # type: ignore[arg-type]
    return QuoteSet(qs.header, sorted((by_id[x] for x in need), key=lambda s: s.id), articles, quotes)


@pytest.fixture(scope="module")
def empty_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated SQLite file, copied for each example (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    Database.open(f"sqlite:///{path}").close()
    return path


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(qs=storable_sets())
def test_generated_sets_survive_the_database(
    tmp_path_factory: pytest.TempPathFactory, empty_db_file: Path, qs: QuoteSet
) -> None:
    directory = tmp_path_factory.mktemp("prop")
    shutil.copyfile(empty_db_file, directory / "db.sqlite3")
    source, exported, expected = directory / "in.xml", directory / "out.xml", directory / "expected.xml"
    write_quoteset(source, qs.header, qs.sources, qs.articles, qs.quotes)
    with Database.open(f"sqlite:///{directory / 'db.sqlite3'}") as db:
        svc = Service(db, user="prop")
        report = import_set(svc, source)
        assert not report.conflicts and len(report.added["quote"]) == len(qs.quotes)
        h = qs.header
        export_set(
            svc,
            exported,
            status="all",
            created=h.created,
            created_by=h.created_by,
            header_overrides={
                "audit_head_seq": h.audit_head_seq,
                "audit_head_sha256": h.audit_head_sha256,
                "four_eyes": h.four_eyes,
            },
        )
        assert svc.verify_audit().ok
    view = export_view(qs)
    assert read_quoteset(exported) == view
    write_quoteset(expected, view.header, view.sources, view.articles, view.quotes)
    assert exported.read_bytes() == expected.read_bytes()

"""Imports apply the app's own rules (issue 10, point 3): a quote arrives verified only with a
speaker and an approval signed for the chain in the file, else as needs review with a note saying
why; every span, in an import or in the app, begins and ends between whole characters."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from annotator import anchoring
from annotator.canonical import context, sha256_text
from annotator.errors import OffsetError
from annotator.interop import brat
from annotator.interop.dataset import InteropError
from annotator.quotesets.importer import ImportConflictError, import_set, set_chain_sha256
from annotator.quotesets.model import QuoteSet, SetArticle, SetHeader, SetHop, SetQuote, SetSource, SignOff
from annotator.quotesets.xmlformat import write_quoteset
from annotator.records import HopRecord
from annotator.service import Service

FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # one character of five code points
TEXT = (
    "The minister said the talks would resume next week. "
    f"The café\u0301 owner, the family {FAMILY} and 🇩🇪🇫🇷 fans agreed, according to an official."
)


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"import-rules:{name}"))


SPEAKER = SetSource(_id("minister"), "person", "The Minister")
ANON = SetSource(_id("official"), "anonymous", "Official", descriptor="an official")
OUTLET = SetSource(_id("outlet"), "outlet", "Daily")
ARTICLE = SetArticle(
    _id("article"), "Talks", OUTLET.id, None, None, "2025-05-17", "en", sha256_text(TEXT), TEXT
)


def _quote(name: str, start: int, end: int, **kw: object) -> SetQuote:
    prefix, suffix = context(TEXT, start, end)
    fields: dict = {"speaker": SPEAKER.id, "hops": (SetHop(ANON.id, "according to"),), "status": "verified"}
    fields.update(kw)
    return SetQuote(_id(name), ARTICLE.id, start, end, TEXT[start:end], prefix, suffix, "indirect", **fields)


def _approved(q: SetQuote, digest: str | None = None) -> SetQuote:
    signoff = SignOff("ben", "2026-11-24T09:00:00Z", "approve", "checked", digest or set_chain_sha256(q))
    return replace(q, signoffs=(signoff,))


def _write(path: Path, quotes: list[SetQuote]) -> Path:
    header = SetHeader("2026-11-25T10:00:00Z", "ana", "quote-annotator", "0.1.0", filter_status="all")
    qs = QuoteSet(header, [SPEAKER, ANON, OUTLET], [ARTICLE], quotes)
    write_quoteset(path, qs.header, qs.sources, qs.articles, qs.quotes)
    return path


def test_a_set_cannot_smuggle_in_verification(svc: Service, tmp_path: Path) -> None:
    talks = TEXT.index("the talks")
    signed = _approved(_quote("signed", talks, talks + 9))
    no_speaker = _quote("no-speaker", 4, 12, speaker=None)
    zeros = _approved(_quote("zeros", 13, 17), "0" * 64)
    unsigned = _quote("unsigned", 0, 3)
    other_chain = _approved(replace(_quote("other-chain", 18, 21), hops=()), set_chain_sha256(signed))
    rejected = replace(_quote("rejected", 36, 42), status="rejected")
    path = _write(tmp_path / "set.xml", [signed, no_speaker, zeros, unsigned, other_chain, rejected])

    report = import_set(svc, path)

    assert len(report.added["quote"]) == 6 and not report.conflicts
    status = {q.uid: q for q in svc.quotes()}
    assert status[signed.id].status == "verified"
    assert status[rejected.id].status == "rejected"
    why = {
        no_speaker.id: "it has no speaker, and a chain without a speaker cannot be approved",
        zeros.id: "no approve sign-off is for the chain in the file",
        unsigned.id: "it has no approve sign-off",
        other_chain.id: "no approve sign-off is for the chain in the file",
    }
    for uid, reason in why.items():
        q = status[uid]
        assert q.status == "needs_review" and q.status_by == "ana", uid
        assert q.note is not None and f"arrived as needs review, not verified: {reason}" in q.note
        assert any(
            n.startswith(f"quote {uid}: arrives as needs review, not verified: {reason}")
            for n in report.notes
        )
    assert "needs review, not verified" in report.summary()
    assert sum("arrives as needs review" in n for n in report.notes) == 4
    # The demoted quotes are in the review queue, and a second person can verify them here.
    other = Service(svc.db, user="ben")
    other.approve(status[zeros.id].id)
    assert other.quote(status[zeros.id].id).status == "verified"
    assert svc.verify_audit().ok


@pytest.mark.parametrize(
    ("where", "make", "words"),
    [
        (
            "start on a combining mark",
            lambda i: _quote("q", i("\u0301"), i(" owner")),
            "starts on a combining mark",
        ),
        ("end inside a family", lambda i: _quote("q", i("the family"), i(FAMILY) + 2), "span end"),
        ("start inside a flag pair", lambda i: _quote("q", i("🇩🇪") + 1, i(" fans")), "span start"),
        (
            "cue inside a family",
            lambda i: _quote("q", i("the family"), i(" and"), cue=(i(FAMILY) + 1, i(" and"))),
            "cue start",
        ),
        (
            "evidence ends on a combining mark",
            lambda i: _quote("q", 0, 3, hops=(SetHop(ANON.id, "according to", (i("café"), i("\u0301"))),)),
            "hop 1 evidence end",
        ),
    ],
)
def test_a_set_span_that_cuts_a_character_is_refused(
    svc: Service, tmp_path: Path, where: str, make, words: str
) -> None:
    q = make(TEXT.index)
    path = _write(tmp_path / "set.xml", [_approved(q)])
    head = svc.audit_head()
    with pytest.raises(ImportConflictError) as err:
        import_set(svc, path)
    assert words in str(err.value) and "a span must begin and end between whole characters" in str(err.value)
    assert svc.audit_head() == head and svc.quotes() == []


def test_the_app_refuses_a_span_that_cuts_a_character(svc: Service, tmp_path: Path) -> None:
    (tmp_path / "rules.txt").write_text(TEXT, encoding="utf-8")
    art = svc.import_file(tmp_path / "rules.txt").extra["article"]
    assert svc.article_text(art.id) == TEXT
    i = TEXT.index
    with pytest.raises(
        OffsetError, match="span start .* starts on a combining mark of a character of 2 code points"
    ):
        svc.create_quote(art.id, i("\u0301"), i(" owner"))
    with pytest.raises(OffsetError, match=r"span end .* ends inside a character of 5 code points \(U\+1F469"):
        svc.create_quote(art.id, i("the family"), i(FAMILY) + 2)
    with pytest.raises(OffsetError, match="span start .* splits a character of 2 code points"):
        svc.create_quote(art.id, i("🇩🇪") + 1, i(" fans"))
    q = svc.create_quote(art.id, i("the family"), i(" and")).quote  # whole characters: fine
    with pytest.raises(OffsetError, match="span end"):
        svc.set_span(q.id, q.start, i(FAMILY) + 4)
    with pytest.raises(OffsetError, match="cue start"):
        svc.set_cue(q.id, (i(FAMILY) + 3, i(" and")))
    who = svc.create_source("person", "Someone").source
    with pytest.raises(OffsetError, match="hop 1 evidence end"):
        svc.add_hop(q.id, who.id, "according to", evidence=(i("café"), i("\u0301")))
    with pytest.raises(OffsetError, match="span"):
        svc.create_quote(art.id, 0, 3, hops=[HopRecord(who.id, "via", (i("🇩🇪") + 1, i(" fans")))])
    assert [x.id for x in svc.quotes()] == [q.id] and svc.quote(q.id) == q


def test_selections_snap_and_nudges_step_by_whole_characters() -> None:
    i = TEXT.index
    assert anchoring.trim_span(TEXT, i(FAMILY) + 2, i(" and")) == (i(FAMILY), i(" and"))
    assert anchoring.trim_span(TEXT, i("caf"), i("\u0301")) == (i("caf"), i(" owner"))
    assert anchoring.step_grapheme(TEXT, i(FAMILY), 1) == i(FAMILY) + len(FAMILY)
    assert anchoring.step_grapheme(TEXT, i(" owner"), -1) == i("é")
    assert anchoring.step_grapheme(TEXT, i("🇩🇪"), 2) == i(" fans")


def test_brat_import_applies_the_same_rules(svc: Service, tmp_path: Path) -> None:
    directory = tmp_path / "brat"
    shutil.copytree(Path(__file__).parent.parent / "data" / "brat-handwritten", directory)
    ann = directory / "talks.ann"
    ann.write_text(
        ann.read_text(encoding="utf-8").replace("A2\tStatus T6 needs_review", "A2\tStatus T6 verified")
    )
    report = brat.import_brat(svc, directory)
    ready = svc.quotes()[1]
    assert ready.text == "We are ready for a ceasefire,"
    assert ready.status == "needs_review"
    assert ready.note is not None and "a brat file carries no reviewer's sign-off" in ready.note
    assert report.notes == [
        "talks.ann:11: quote at 101-130 arrived as needs review, not verified: a brat file carries no "
        "reviewer's sign-off"
    ]
    assert "note: talks.ann:11" in report.summary()

    # A span that cuts a character is refused with its line, and nothing is written.
    other = tmp_path / "brat2"
    other.mkdir()
    (other / "emoji.txt").write_text(TEXT, encoding="utf-8")
    s = TEXT.index(FAMILY) + 2
    (other / "emoji.ann").write_text(f"T1\tQuote {s} {s + 3}\t{TEXT[s : s + 3]}\n", encoding="utf-8")
    head = svc.audit_head()
    with pytest.raises(InteropError) as err:
        brat.import_brat(svc, other)
    assert "emoji.ann:1:" in str(err.value) and "span start" in str(err.value)
    assert svc.audit_head() == head


def test_both_chain_hash_definitions_are_accepted(svc: Service, tmp_path: Path) -> None:
    # Approvals made before article versions signed offsets (set_chain_sha256); those made since
    # sign the lineage and the words (portable_chain). Either arrives verified; neither for
    # another chain does.
    from annotator.quotesets.importer import set_chain_hashes

    talks = TEXT.index("the talks")
    q = _quote("words", talks, talks + 9)
    new, old = set_chain_hashes(q, ARTICLE)
    assert new != old and old == set_chain_sha256(q)
    by_words = _approved(q, new)
    by_offsets = _approved(_quote("offsets", 13, 17))
    wrong = _approved(_quote("wrong", 18, 21), set_chain_hashes(by_offsets, ARTICLE)[0])
    import_set(svc, _write(tmp_path / "set.xml", [by_words, by_offsets, wrong]))
    status = {x.uid: x.status for x in svc.quotes()}
    assert status == {by_words.id: "verified", by_offsets.id: "verified", wrong.id: "needs_review"}
    # The app's own hash of the imported chain is the new definition: what a reviewer signs here.
    imported = next(x for x in svc.quotes() if x.uid == by_words.id)
    assert svc.chain_sha256(imported.id) == new

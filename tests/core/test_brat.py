"""brat standoff both ways: export → import into an empty database → export gives identical files on
every sample article; a hand-written ``.ann`` imports; broken files are refused with their line and
change nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from seed import DATA, SAMPLES, annotate_gold, load_gold, source_for

from annotator.db import Database
from annotator.interop import brat
from annotator.interop.dataset import InteropError
from annotator.records import HopRecord
from annotator.service import Service

HANDWRITTEN = DATA / "brat-handwritten"
_QUOTED = re.compile(r"[“«„\"]([^“”«»„\"\n]{12,200})[”»“\"]")


def _annotate_without_gold(svc: Service, article_id: int) -> None:
    """Quotes for a sample that has no gold file: its first quoted passages, with speakers the
    article does not name (the export falls back to the cue), an anonymous source, a hop worded
    freely with its evidence, and one quote across a paragraph break (brat writes it in fragments)."""
    text = svc.article_text(article_id)
    spokes = (
        svc.resolve_source("Spokesperson", kind="person")
        or svc.create_source("person", "Spokesperson").source
    )
    anon = svc.create_source(
        "anonymous", f"insider {article_id}", descriptor="a person familiar with it"
    ).source
    for n, m in enumerate(list(_QUOTED.finditer(text))[:3]):
        start, end = m.span(1)
        word = re.compile(r"\w+").search(text, m.end(), m.end() + 20)
        cue = word.span() if word else None
        hops = [HopRecord(anon.id, "in an interview with", (m.start(), m.end()))] if n == 1 else []
        svc.create_quote(
            article_id, start, end, cue=cue, speaker_id=spokes.id, hops=hops, status="needs_review"
        )
    brk = text.find("\n\n", 200)
    if brk != -1:
        svc.create_quote(article_id, brk - 20, brk + 22, type="indirect", note="spans two\nparagraphs")


def _annotated_samples(tmp_path: Path) -> Service:
    svc = Service(Database.open(f"sqlite:///{tmp_path / 'source.sqlite3'}"), user="ana")
    report = svc.import_paths([SAMPLES])
    assert len(report.imported) == len(list(SAMPLES.iterdir()))
    for n, (_path, art) in enumerate(report.imported):
        gold = DATA / f"{Path(art.filename or '').stem}.gold.json"
        if gold.exists():
            annotate_gold(svc, art.id, load_gold(gold))
        if not gold.exists() or art.filename == "saint-aubin-maternite.txt":
            # free-worded hops, an anonymous source, a quote across a paragraph break (brat fragments)
            _annotate_without_gold(svc, art.id)
        if n == len(report.imported) - 1:
            _add_shapes_gold_lacks(svc, art.id)
    return svc


def _add_shapes_gold_lacks(svc: Service, article_id: int) -> None:
    """Every sample has gold quotes now; the last one also gets what gold files lack: a quote across a
    paragraph break (brat writes it in fragments) whose hop is worded freely, with its evidence."""
    text = svc.article_text(article_id)
    brk = text.find("\n\n", 200)
    assert brk != -1
    taken = {(q.start, q.end) for q in svc.quotes(article_id)}
    assert (brk - 20, brk + 22) not in taken
    anon = svc.create_source("anonymous", "desk insider", descriptor="a person familiar with it").source
    svc.create_quote(
        article_id, brk - 20, brk + 22, type="indirect", note="spans two\nparagraphs",
        hops=[HopRecord(anon.id, "in an interview with", (brk - 40, brk - 25))],
    )  # fmt: skip


def _chains(svc: Service) -> list[tuple]:
    """Every quote with its chain, in terms that do not depend on ids."""
    sources = {s.id: s for s in svc.sources()}
    articles = {a.article.id: a.article for a in svc.articles()}

    def who(sid: int | None) -> tuple | None:
        if sid is None:
            return None
        s = sources[sid]
        return (s.kind, s.name, s.descriptor)

    return sorted(
        (
            articles[q.article_id].text_sha256,
            q.start,
            q.end,
            q.text,
            q.type,
            q.cue,
            who(q.speaker_id),
            tuple((who(h.source_id), h.relation, h.evidence) for h in q.hops),
            q.status,
            " ".join(q.note.split()) if q.note else None,  # a brat note is one line
        )
        for q in svc.quotes()
    )


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_round_trip_on_every_sample_article(svc: Service, tmp_path: Path) -> None:
    source = _annotated_samples(tmp_path)
    first = brat.export_brat(source, tmp_path / "one", status="all")
    assert first.articles == len(list(SAMPLES.iterdir()))
    files = _files(tmp_path / "one")
    assert {
        "annotation.conf",
        "visual.conf",
        "articles.json",
        "istanbul-talks.txt",
        "istanbul-talks.ann",
    } <= set(files)
    assert files["istanbul-talks.txt"] == source.article_text(1).encode("utf-8")
    assert any(re.search(rb"^T\d+\tQuote \d+ \d+;\d+ \d+\t", b, re.M) for b in files.values())  # fragments
    assert any(b"\tHop Arg1:" in b for b in files.values())

    report = brat.import_brat(svc, tmp_path / "one")  # an empty database, SQLite or PostgreSQL
    assert report.quotes_created == first.quotes == len(source.quotes())
    assert len(report.articles_created) == first.articles
    assert _chains(svc) == _chains(source)
    assert svc.verify_audit().ok
    assert {h.action for q in svc.quotes() for h in svc.history("quote", q.id)} == {"import brat"}

    second = brat.export_brat(svc, tmp_path / "two", status="all")
    assert _files(tmp_path / "two") == files
    assert second.sha256 == first.sha256

    # Importing the same files again changes nothing: the quotes are already there.
    head = svc.audit_head()
    again = brat.import_brat(svc, tmp_path / "one")
    assert again.quotes_created == 0 and again.quotes_unchanged == first.quotes
    assert svc.audit_head() == head


def test_the_seed_chain_in_brat(sqlite_svc: Service, tmp_path: Path) -> None:
    art = sqlite_svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(sqlite_svc, art.id)
    moscow = next(q for q in sqlite_svc.quotes() if q.text.startswith("it would only accept a truce"))
    sqlite_svc.set_verification(moscow.id, status="needs_review")
    official = sqlite_svc.resolve_source("Turkish official")
    text = sqlite_svc.article_text(art.id)
    evidence = text.index("according to a Turkish official")
    sqlite_svc.update_hop(
        moscow.id, 0, evidence=(evidence, evidence + len("according to a Turkish official"))
    )
    brat.export_brat(sqlite_svc, tmp_path, status="all")
    ann = (tmp_path / "istanbul-talks.ann").read_text(encoding="utf-8")
    lines = ann[ann.index("\tQuote 1571 1713\t") - 3 :].splitlines()
    ids = {line.split("\t")[1].split()[0]: line.split("\t")[0] for line in lines[:7] if line.startswith("T")}
    assert re.search(r"^T\d+\tOrganization \d+ \d+\tMoscow$", ann, re.M)
    assert f"\tSpeaker Arg1:{ids['Quote']} Arg2:{ids['Organization']}\t" in ann
    assert f"\tCue Arg1:{ids['Quote']} Arg2:{ids['Cue']}\t" in ann
    assert f"\tAccording_to Arg1:{ids['Organization']} Arg2:{ids['Anonymous']}\t" in ann
    assert f"\tQuoted_by Arg1:{ids['Anonymous']} Arg2:{ids['Outlet']}\t" in ann
    assert f"\tEvidence Arg1:{ids['Anonymous']} Arg2:{ids['Evidence']}\t" in ann
    assert (
        f"\tQuoteType {ids['Quote']} indirect\n" in ann and f"\tStatus {ids['Quote']} needs_review\n" in ann
    )
    assert f"\tAnnotatorNotes {ids['Anonymous']}\t{official.name}\n" in ann


def test_a_hand_written_ann_imports(db: Database, tmp_path: Path) -> None:
    svc = Service(db, user="ana")
    existing = svc.create_source("outlet", "Reuters").source
    report = brat.import_brat(svc, HANDWRITTEN)
    assert report.quotes_created == 2 and report.articles_created == ["talks"]
    assert report.sources_matched == ["Reuters"]
    quotes = svc.quotes()
    talks, ready = quotes
    sources = {s.id: s for s in svc.sources()}
    assert talks.text == "The talks ended after two hours" and talks.type == "indirect"
    speaker = sources[talks.speaker_id]
    assert (speaker.kind, speaker.name, speaker.descriptor) == (
        "anonymous",
        "Turkish diplomat",
        "a Turkish diplomat",
    )
    assert [(sources[h.source_id].name, h.relation, h.evidence) for h in talks.hops] == [
        ("Reuters", "quoted by", (81, 98))
    ]
    assert talks.hops[0].source_id == existing.id  # matched by name, as quote-set imports do
    assert ready.type == "direct"  # no QuoteType attribute: guessed from the quotation marks
    assert ready.status == "needs_review" and ready.cue == (132, 136)
    assert sources[ready.speaker_id].name == "Rustem Umerov" and sources[ready.speaker_id].kind == "person"
    assert svc.articles()[0].article.title == "talks"
    assert svc.verify_audit().ok


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    d = tmp_path / "broken"
    shutil.copytree(HANDWRITTEN, d)
    ann = d / "talks.ann"
    text = ann.read_text(encoding="utf-8")
    assert old in text
    ann.write_text(text.replace(old, new, 1), encoding="utf-8")
    return d


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("T4\tOutlet 91 98\tReuters", "T4\tOutlet 91 99\tReuters", 4, "is not the article's"),
        ("T4\tOutlet 91 98", "T4\tOutlet 91 999", 4, "does not fit the text"),
        ("T4\tOutlet 91 98", "T4\tNewspaper 91 98", 4, "unknown entity type 'Newspaper'"),
        ("T4\tOutlet 91 98", "T4\tOutlet 91", 4, "a text annotation is"),
        ("R3\tQuoted_by Arg1:T3 Arg2:T4", "R3\tQuoted_by Arg1:T3 Arg2:T40", 8, "refers to T40"),
        ("R3\tQuoted_by", "R3\tCited_by", 8, "unknown relation type 'Cited_by'"),
        ("R3\tQuoted_by", "R3\tHop", 8, "needs its wording"),
        ("R2\tCue Arg1:T1 Arg2:T2", "R2\tCue Arg1:T1 Arg2:T3", 7, "cannot go from a Quote to a Anonymous"),
        ("A1\tQuoteType T1 indirect", "A1\tQuoteType T1 reported", 10, "is not one of"),
        ("A1\tQuoteType T1 indirect", "A1\tQuoteType T2 indirect", 10, "T2 is not one"),
        ("A2\tStatus T6", "E1\tStatus T6", 16, "events are not part"),
        ("T7\tCue 132 136\tsaid", "T7 Cue 132 136 said", 12, "not a brat annotation line"),
        ("T8\tPerson", "T2\tPerson", 13, "the id T2 is used twice"),
        (
            "R5\tSpeaker Arg1:T6 Arg2:T8",
            "R5\tSpeaker Arg1:T6 Arg2:T8\nR9\tSpeaker Arg1:T6 Arg2:T4",
            15,
            "second Speaker",
        ),
        (
            "R4\tEvidence Arg1:T4 Arg2:T5",
            "R4\tEvidence Arg1:T4 Arg2:T5\nR9\tVia Arg1:T4 Arg2:T3",
            10,
            "comes back to T3",
        ),
    ],
)
def test_broken_files_are_refused_with_the_line_and_change_nothing(
    sqlite_svc: Service, tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    directory = _broken(tmp_path, old, new)
    head = sqlite_svc.audit_head()
    with pytest.raises(InteropError, match=re.escape(f"talks.ann:{line}: ") + ".*" + re.escape(message)):
        brat.import_brat(sqlite_svc, directory)
    assert sqlite_svc.audit_head() == head and sqlite_svc.articles() == []


def test_a_conflict_found_while_writing_rolls_everything_back(sqlite_svc: Service, tmp_path: Path) -> None:
    for _ in range(2):
        sqlite_svc.create_source("person", "Rustem Umerov")  # two of them: the name is ambiguous
    head = sqlite_svc.audit_head()
    with pytest.raises(InteropError, match=r"talks\.ann:13: 'Rustem Umerov' matches 2 person sources"):
        brat.import_brat(sqlite_svc, HANDWRITTEN)
    # The first quote (and the article, and the anonymous source) were written before the
    # conflict was met; the whole operation was rolled back.
    assert sqlite_svc.audit_head() == head and sqlite_svc.articles() == [] and sqlite_svc.quotes() == []


def test_a_different_chain_at_the_same_span_is_a_conflict(sqlite_svc: Service, tmp_path: Path) -> None:
    brat.import_brat(sqlite_svc, HANDWRITTEN)
    q = sqlite_svc.quotes()[1]
    sqlite_svc.set_speaker(q.id, source_for(sqlite_svc, {"name": "Someone Else", "kind": "person"}))
    head = sqlite_svc.audit_head()
    with pytest.raises(
        InteropError, match=r"talks\.ann:11: conflict: quote \d+ at 101-130 has another chain"
    ):
        brat.import_brat(sqlite_svc, HANDWRITTEN)
    assert sqlite_svc.audit_head() == head


def test_a_dry_run_reports_and_writes_nothing(sqlite_svc: Service) -> None:
    report = brat.import_brat(sqlite_svc, HANDWRITTEN, dry_run=True)
    assert report.dry_run and report.quotes_created == 2 and report.audit_seq is None
    assert "would import 2 quote(s)" in report.summary()
    assert sqlite_svc.articles() == [] and sqlite_svc.verify_audit().entries == 0


def test_text_files_that_offsets_cannot_trust_are_refused(sqlite_svc: Service, tmp_path: Path) -> None:
    d = tmp_path / "crlf"
    shutil.copytree(HANDWRITTEN, d)
    (d / "talks.txt").write_bytes((HANDWRITTEN / "talks.txt").read_bytes().replace(b"\n", b"\r\n"))
    with pytest.raises(InteropError, match=r"talks\.txt: is not canonical text"):
        brat.import_brat(sqlite_svc, d)
    (d / "talks.txt").write_bytes(b"\xef\xbb\xbf" + (HANDWRITTEN / "talks.txt").read_bytes())
    with pytest.raises(InteropError, match=r"talks\.txt:1: starts with a byte order mark"):
        brat.import_brat(sqlite_svc, d)
    (d / "talks.txt").unlink()
    with pytest.raises(InteropError, match=r"talks\.ann: has no text file talks\.txt"):
        brat.import_brat(sqlite_svc, d)
    assert sqlite_svc.articles() == []

"""The seed golden test: annotate the Istanbul article from its gold file through the service API,
read everything back and compare, on SQLite and on PostgreSQL."""

from __future__ import annotations

from seed import SAMPLES, annotate_gold, load_gold

from annotator.db import Database
from annotator.service import Service


def test_seed_article_round_trips_through_the_service(svc: Service, db_url: str) -> None:
    gold = load_gold()
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    text = svc.article_text(art.id)
    ids = annotate_gold(svc, art.id, gold)
    assert len(ids) == 18

    # Read back through a fresh connection, as another process would.
    fresh = Service(Database.open(db_url), user="reviewer")
    quotes = fresh.quotes(art.id)
    sources = {s.id: s for s in fresh.sources()}
    by_span = {(q.start, q.end): q for q in quotes}
    assert len(quotes) == len(gold["quotes"])
    for g in gold["quotes"]:
        q = by_span[(g["start"], g["end"])]
        assert q.text == g["text"] == text[q.start : q.end]
        assert q.type == g["type"]
        speaker = sources[q.speaker_id]
        assert speaker.name == g["speaker"]["name"]
        assert speaker.role == g["speaker"].get("role")
        if g["speaker"].get("affiliation"):
            assert sources[speaker.affiliation_id].name == g["speaker"]["affiliation"]
        assert [(sources[h.source_id].name, h.relation) for h in q.hops] == [
            (h["source"]["name"], h["relation"]) for h in g["chain"]
        ]
        assert q.prefix == text[max(0, q.start - 32) : q.start]
        assert q.suffix == text[q.end : q.end + 32]
        if g.get("cue"):
            assert q.cue is not None and text[q.cue[0] : q.cue[1]] == g["cue"]
        assert q.note == g.get("note")
        assert q.created_by == "ana"


def test_the_moscow_chain(svc: Service) -> None:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    q = next(q for q in svc.quotes(art.id) if q.text.startswith("it would only accept a truce"))
    names = [svc.source(i) for i in q.chain_source_ids]
    assert [s.name for s in names] == ["Moscow", "Turkish official", "CNN"]
    assert names[1].kind == "anonymous" and names[1].descriptor == "a Turkish official"
    assert names[2].kind == "outlet"
    assert [h.relation for h in q.hops] == ["according to", "quoted by"]
    outlet = svc.source(art.outlet_id)
    assert outlet.name == "El País" and outlet.kind == "outlet"


def test_seed_annotation_is_fully_audited(svc: Service) -> None:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    report = svc.verify_audit()
    assert report.ok, report.problem
    assert report.entries > 18

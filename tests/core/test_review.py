"""Review: verdicts with a chain hash, the four-eyes rule, the queue, history, and the chain rules."""

from __future__ import annotations

import pytest
from seed import SAMPLES, annotate_gold

from annotator.cli import main as cli_main
from annotator.errors import ValidationError
from annotator.records import HopRecord, QuoteRecord, SourceRecord
from annotator.review import Reviewing
from annotator.rules import RULES_BY_ID, ChainContext, check
from annotator.service import Service

TEXT = "Moscow made it clear, according to a Turkish official quoted by CNN, that “no truce” was possible."


def _src(i: int, name: str, kind: str = "person", descriptor: str | None = None, aliases=()) -> SourceRecord:
    return SourceRecord(i, f"u{i}", kind, name, None, None, descriptor, None, tuple(aliases), ())


def _quote(
    start: int,
    end: int,
    *,
    type="indirect",
    speaker=1,
    hops=(),
    status="unverified",
    evidence_url=None,
    note=None,
) -> QuoteRecord:
    return QuoteRecord(
        1,
        "q",
        1,
        start,
        end,
        TEXT[start:end],
        "",
        "",
        type,
        None,
        speaker,
        tuple(hops),
        status,
        evidence_url,
        None,
        note,
        None,
        None,
        "ana",
        "t",
        "ana",
        "t",
    )


SOURCES = {
    1: _src(1, "Moscow", "organization"),
    2: _src(2, "Turkish official", "anonymous", "a Turkish official"),
    3: _src(3, "CNN", "outlet"),
    4: _src(4, "El País", "outlet"),
    5: _src(5, "Ghost", "anonymous", None),
    6: _src(6, "Volodimir Zelensky", aliases=("CNN",)),
}
NO_MARKS = (TEXT.index("that") + 5, TEXT.index("was"))  # "“no truce”" region without marks -> "no truce"


def _rule(rule_id: str, q: QuoteRecord, outlet: int | None = 4) -> list[str]:
    return RULES_BY_ID[rule_id].check(ChainContext(q, TEXT, SOURCES, outlet))


def test_rule_no_speaker() -> None:
    assert _rule("no-speaker", _quote(0, 6, speaker=None))
    assert not _rule("no-speaker", _quote(0, 6))


def test_rule_anonymous_without_descriptor() -> None:
    assert _rule("anonymous-without-descriptor", _quote(0, 6, hops=[HopRecord(5, "told")]))
    assert not _rule("anonymous-without-descriptor", _quote(0, 6, hops=[HopRecord(2, "according to")]))


def test_rule_direct_without_quote_marks() -> None:
    inner = (TEXT.index("no truce"), TEXT.index("no truce") + len("no truce"))
    assert _rule("direct-without-quote-marks", _quote(0, 20, type="direct"))
    assert not _rule("direct-without-quote-marks", _quote(*inner, type="direct"))  # marks just outside
    assert not _rule(
        "direct-without-quote-marks", _quote(inner[0] - 1, inner[1] + 1, type="direct")
    )  # inside
    assert not _rule("direct-without-quote-marks", _quote(0, 20, type="indirect"))


def test_rule_hop_without_evidence() -> None:
    assert _rule("hop-without-evidence", _quote(0, 6, hops=[HopRecord(3, "quoted by")]))
    assert not _rule("hop-without-evidence", _quote(0, 6, hops=[HopRecord(3, "quoted by", (64, 67))]))


def test_rule_name_not_in_article() -> None:
    assert _rule("name-not-in-article", _quote(0, 6, hops=[HopRecord(4, "via")]))  # "El País" absent
    assert not _rule(
        "name-not-in-article", _quote(0, 6, hops=[HopRecord(2, "according to"), HopRecord(3, "via")])
    )
    assert not _rule("name-not-in-article", _quote(0, 6, speaker=6))  # found by an alias


def test_rule_verified_without_evidence() -> None:
    assert _rule("verified-without-evidence", _quote(0, 6, status="verified"))
    assert not _rule("verified-without-evidence", _quote(0, 6, status="verified", evidence_url="https://x"))
    assert not _rule("verified-without-evidence", _quote(0, 6, status="needs_review"))


def test_rule_outlet_as_intermediary() -> None:
    assert _rule("outlet-as-intermediary", _quote(0, 6, hops=[HopRecord(4, "via")]))
    assert not _rule("outlet-as-intermediary", _quote(0, 6, hops=[HopRecord(3, "via")]))


def test_every_rule_has_a_test() -> None:
    names = {n for n in globals() if n.startswith("test_rule_")}
    assert {f"test_rule_{r.replace('-', '_')}" for r in RULES_BY_ID} == names


def test_check_reports_rule_ids() -> None:
    ws = check(ChainContext(_quote(0, 20, type="direct", speaker=None), TEXT, SOURCES, 4))
    assert [w.rule for w in ws] == ["no-speaker", "direct-without-quote-marks"]


@pytest.fixture
def seeded(svc: Service) -> tuple[Service, int]:
    art = svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]
    annotate_gold(svc, art.id)
    q = next(q for q in svc.quotes(art.id) if q.hops)
    return svc, q.id


def test_approval_records_a_sign_off_with_the_chain_hash(seeded) -> None:
    svc, qid = seeded
    svc.set_status(qid, "needs_review")
    rui = Service(svc.db, user="rui")
    res = rui.approve(qid, "matches the CNN report")
    assert res.quote.status == "verified" and res.quote.status_by == "rui"
    [review] = rui.reviews(qid)
    assert (review.reviewer, review.verdict, review.comment) == ("rui", "approve", "matches the CNN report")
    assert review.chain_sha256 == svc.chain_sha256(qid)
    assert svc.verify_audit().ok


def test_self_approval_is_refused(seeded) -> None:
    svc, qid = seeded
    with pytest.raises(ValidationError, match="four-eyes rule: ana last edited the chain"):
        svc.approve(qid)
    with pytest.raises(ValidationError, match="four-eyes"):
        svc.set_status(qid, "verified")
    assert svc.quote(qid).status == "unverified" and svc.reviews(qid) == []
    svc.set_setting("four_eyes", False)  # a one-person desk
    assert svc.approve(qid).quote.status == "verified"


def test_request_changes_then_fix_then_approve_then_edit_goes_back(seeded) -> None:
    svc, qid = seeded
    rui = Service(svc.db, user="rui")
    svc.set_status(qid, "needs_review")
    rui.request_changes(qid, "hop 1 needs its evidence span")
    assert svc.quote(qid).status == "unverified"
    assert svc.open_change_request(qid).comment == "hop 1 needs its evidence span"
    svc.update_hop(qid, 0, evidence=(1553, 1581))
    svc.set_status(qid, "needs_review")
    rui.approve(qid)
    assert svc.open_change_request(qid) is None
    svc.update_hop(qid, 1, relation="reported by")
    assert svc.quote(qid).status == "needs_review"
    actions = [h.action for h in svc.history("quote", qid)]
    assert actions[-1].startswith("update hop (approval withdrawn")
    assert "request changes" in actions and "approve" in actions


def test_queue_filters_and_counts(seeded) -> None:
    svc, qid = seeded
    review = Reviewing(svc)
    assert review.queue() == []
    assert len(review.queue(include_unverified=True)) == 18
    svc.set_status(qid, "needs_review")
    [item] = review.queue()
    assert item.quote.id == qid and item.speaker == "Moscow" and item.annotator == "ana"
    assert {w.rule for w in item.warnings} == {"hop-without-evidence"}
    assert review.queue(speaker="mosc") and not review.queue(speaker="Rubio")
    assert review.queue(outlet="El País") and not review.queue(outlet="CNN")
    assert not review.queue(annotator="rui") and not review.queue(older_than_days=1)
    [(art, progress)] = review.progress().items()
    assert progress["annotated"] == 18 and progress["needs_review"] == 1 and progress["unverified"] == 17


def test_history_matches_the_audit_log_in_order(seeded) -> None:
    from annotator.model import AuditEntry

    svc, qid = seeded
    svc.set_type(qid, "direct")
    svc.set_cue(qid, None)
    Service(svc.db, user="rui").request_changes(qid, "why direct?")
    hist = svc.history("quote", qid)
    with svc.db.read() as s:
        seqs = [e.seq for e in s.query(AuditEntry).filter(AuditEntry.object_type == "quote",
                                                           AuditEntry.object_id == qid)]  # fmt: skip
    assert [h.seq for h in hist if h.object_type == "quote"] == seqs
    assert [h.action for h in hist] == [
        "create quote",
        "set type",
        "set cue",
        "request changes",
        "request changes",
    ]
    assert hist[1].before["type"] == "indirect" and hist[1].after["type"] == "direct"


def test_review_cli(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    run = lambda *a: (cli_main(["--db", url, *a]), *capsys.readouterr())  # noqa: E731
    run("--user", "ana", "import", str(SAMPLES / "istanbul-talks.txt"))
    run("--user", "ana", "add-quote", "1", "--text", "limited mandate", "--speaker", "person/Heorhii Tykhyi")
    run("--user", "ana", "status", "1", "needs_review")
    code, out, _ = run("review", "list")
    assert code == 0 and "1 quote(s) awaiting review" in out
    code, out, err = run("--user", "ana", "review", "approve", "1")
    assert code == 1 and "four-eyes rule" in err and out == ""
    code, out, _ = run("--user", "rui", "review", "approve", "1", "--comment", "ok")
    assert code == 0 and "verified" in out
    code, out, _ = run("history", "1")
    assert "approve" in out and "verdict approve" in out
    code, out, _ = run("check", "--article", "1")
    assert "[verified-without-evidence]" in out
    code, out, _ = run("--user", "ana", "setting", "four-eyes", "off")
    assert "four_eyes = False" in out
    code, out, _ = run("audit", "verify")
    assert code == 0


def test_tampering_is_reported_by_the_cli(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 't.sqlite3'}"
    cli_main(["--db", url, "--user", "ana", "import", str(SAMPLES / "istanbul-talks.txt")])
    cli_main(["--db", url, "--user", "ana", "add-quote", "1", "--text", "limited mandate"])
    import sqlite3

    con = sqlite3.connect(tmp_path / "t.sqlite3")
    con.execute("DROP TRIGGER audit_entry_no_update")
    con.execute("UPDATE audit_entry SET actor = 'mallory' WHERE seq = 2")
    con.commit()
    con.close()
    capsys.readouterr()
    code = cli_main(["--db", url, "audit", "verify"])
    _, err = capsys.readouterr()
    assert code == 2 and "audit log BROKEN: audit entry #2" in err


def test_a_verdict_on_a_chain_changed_since_it_was_seen_is_refused(seeded) -> None:
    from annotator.errors import ConflictError

    svc, qid = seeded
    rui = Service(svc.db, user="rui")
    seen = rui.chain_sha256(qid)
    svc.update_hop(qid, 0, relation="told")  # ana edits while rui is looking
    with pytest.raises(ConflictError, match="was changed by ana since you looked at it"):
        rui.approve(qid, seen_chain=seen)
    assert rui.reviews(qid) == [] and svc.quote(qid).status == "unverified"
    assert rui.approve(qid, seen_chain=rui.chain_sha256(qid)).quote.status == "verified"

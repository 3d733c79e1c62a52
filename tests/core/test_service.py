"""Service operations: chains, hops, verification, sources, merges, deletes and restores."""

from __future__ import annotations

import pytest
from seed import SAMPLES, annotate_gold
from sqlalchemy import func, select

from annotator.errors import AmbiguousSourceError, ChainError, NotFoundError, OffsetError, ValidationError
from annotator.model import AuditEntry, Hop, Quote, Source
from annotator.records import HopRecord
from annotator.service import Service


@pytest.fixture
def article(svc: Service):
    return svc.import_file(SAMPLES / "istanbul-talks.txt").extra["article"]


def _counts(svc: Service) -> tuple[int, int, int, int]:
    with svc.db.read() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m)) for m in (Quote, Hop, Source, AuditEntry)
        )


def test_offset_past_the_end_is_a_readable_error(svc: Service, article) -> None:
    before = _counts(svc)
    with pytest.raises(
        OffsetError,
        match=r"offset 5120 is past the end of article 'Russia and Ukraine.*' \(4,423 characters\)",
    ):
        svc.create_quote(article.id, 5000, 5120)
    with pytest.raises(OffsetError, match="empty or reversed"):
        svc.create_quote(article.id, 10, 10)
    assert _counts(svc) == before


def test_a_source_appears_at_most_once_in_a_chain(svc: Service, article) -> None:
    cnn = svc.create_source("outlet", "CNN").source
    moscow = svc.create_source("organization", "Moscow").source
    q = svc.create_quote(article.id, 1571, 1713, speaker_id=moscow.id).quote
    svc.add_hop(q.id, cnn.id, "quoted by")
    before = _counts(svc)
    with pytest.raises(ChainError, match="'CNN' appears twice in the chain"):
        svc.add_hop(q.id, cnn.id, "via")
    with pytest.raises(ChainError, match="'Moscow' appears twice"):
        svc.add_hop(q.id, moscow.id, "via")
    with pytest.raises(ChainError, match="'CNN' appears twice"):
        svc.set_speaker(q.id, cnn.id)
    assert _counts(svc) == before
    assert svc.quote(q.id).speaker_id == moscow.id


def test_hops_insert_move_remove(svc: Service, article) -> None:
    a, b, c = (svc.create_source("person", n).source for n in ("A", "B", "C"))
    q = svc.create_quote(article.id, 1571, 1713).quote
    svc.add_hop(q.id, a.id, "according to")
    svc.add_hop(q.id, c.id, "quoted by")
    svc.add_hop(q.id, b.id, "told", position=1, evidence=(1540, 1552))
    assert [h.source_id for h in svc.quote(q.id).hops] == [a.id, b.id, c.id]
    assert svc.quote(q.id).hops[1].evidence == (1540, 1552)
    svc.move_hop(q.id, 2, 0)
    assert [h.source_id for h in svc.quote(q.id).hops] == [c.id, a.id, b.id]
    svc.update_hop(q.id, 1, relation="reported by")
    svc.remove_hop(q.id, 2)
    rec = svc.quote(q.id)
    assert [(h.source_id, h.relation) for h in rec.hops] == [(c.id, "quoted by"), (a.id, "reported by")]
    with pytest.raises(ChainError, match="hop position 5 does not exist"):
        svc.remove_hop(q.id, 4)
    with pytest.raises(ChainError, match="needs a relation"):
        svc.add_hop(q.id, b.id, "  ")


def test_anonymous_source_needs_a_descriptor(svc: Service) -> None:
    with pytest.raises(ValidationError, match="needs a descriptor"):
        svc.create_source("anonymous", "Turkish official")
    src = svc.create_source(
        "anonymous", "Turkish official", descriptor="a Turkish official", nationality="Turkish"
    )
    assert src.source.label == "a Turkish official"
    with pytest.raises(ValidationError, match="needs a descriptor"):
        svc.update_source(src.source.id, descriptor="")


def test_aliases_are_unique_and_resolve(svc: Service) -> None:
    z = svc.create_source("person", "Volodimir Zelensky", aliases=["Zelensky", "Zelenskyy"]).source
    assert z.aliases == ("Zelensky", "Zelenskyy")
    assert svc.resolve_source("zelenskyy").id == z.id
    assert [s.id for s in svc.find_sources("zelen")] == [z.id]
    with pytest.raises(ValidationError, match="already belongs to 'Volodimir Zelensky'"):
        svc.create_source("person", "Someone else", aliases=["ZELENSKY"])
    svc.create_source("person", "Zelensky")  # a name may repeat: lookups then say it is ambiguous
    with pytest.raises(AmbiguousSourceError, match="matches 2 sources"):
        svc.resolve_source("Zelensky")
    other = svc.create_source("person", "V. Zelensky").source
    with pytest.raises(ValidationError, match="is the name of another source, 'Volodimir Zelensky'"):
        svc.update_source(other.id, aliases=["volodimir zelensky"])


def test_usage_counts(svc: Service, article) -> None:
    a, b = svc.create_source("person", "A").source, svc.create_source("person", "B").source
    svc.create_quote(article.id, 1571, 1713, speaker_id=a.id, hops=[HopRecord(b.id, "told")])
    svc.create_quote(article.id, 1883, 1913, speaker_id=a.id)
    counts = svc.source_quote_counts()
    assert counts == {a.id: 2, b.id: 1}


def test_set_status_and_evidence(svc: Service, article) -> None:
    vance = svc.create_source("person", "J. D. Vance").source
    q = svc.create_quote(article.id, 1883, 1913, speaker_id=vance.id).quote
    assert q.status == "unverified" and q.type == "direct"
    reviewer = Service(svc.db, user="rui")
    r = reviewer.set_verification(
        q.id, status="verified", evidence_url="https://example.org/x", note="checked"
    )
    assert r.quote.status == "verified" and r.quote.status_by == "rui" and r.quote.evidence_url.endswith("/x")
    # verifying is an approval: it leaves a sign-off with the chain's hash
    assert [(v.reviewer, v.verdict) for v in svc.reviews(q.id)] == [("rui", "approve")]
    with pytest.raises(ValidationError, match="unknown status 'bogus'"):
        svc.set_status(q.id, "bogus")


def test_chain_edit_after_approval_goes_back_to_review(svc: Service, article) -> None:
    vance = svc.create_source("person", "J. D. Vance").source
    q = svc.create_quote(article.id, 1883, 1913, speaker_id=vance.id).quote
    reviewer = Service(svc.db, user="rui")
    reviewer.approve(q.id)
    other = svc.create_source("person", "Somebody").source
    r = svc.set_speaker(q.id, other.id)
    assert r.quote.status == "needs_review" and r.extra["sent_back_to_review"]
    assert "approval withdrawn" in svc.history("quote", q.id)[-1].action
    # a change of the note only is not a chain change
    reviewer.approve(q.id)
    assert svc.set_verification(q.id, note="n").quote.status == "verified"


def test_delete_and_restore_are_exact(svc: Service, article) -> None:
    annotate_gold(svc, article.id)
    q = next(q for q in svc.quotes(article.id) if q.hops)
    deleted = svc.delete_quote(q.id)
    assert deleted.before("quote") == q
    with pytest.raises(NotFoundError):
        svc.quote(q.id)
    svc.restore_quote(deleted.before("quote"))
    assert svc.quote(q.id) == q
    assert svc.verify_audit().ok


def test_restore_as_undo_of_an_edit(svc: Service, article) -> None:
    q = svc.create_quote(article.id, 1883, 1913).quote
    edited = svc.set_span(q.id, 1884, 1913)
    assert edited.quote.text == "ussia is asking for too much."
    svc.restore_quote(edited.before("quote"), action="undo set span")
    assert svc.quote(q.id) == q


def test_merge_moves_every_reference_and_unmerge_takes_it_back(svc: Service, article) -> None:
    annotate_gold(svc, article.id)
    z = svc.resolve_source("Volodimir Zelensky")
    dup = svc.create_source("person", "Zelenskyy", role="President").source
    q = svc.quotes(article.id)[0]
    svc.set_speaker(q.id, dup.id)
    preview = svc.merge_preview(z.id, dup.id)
    assert [p.id for p in preview] == [q.id]
    merged = svc.merge_sources(z.id, dup.id)
    assert svc.quote(q.id).speaker_id == z.id
    assert "Zelenskyy" in svc.source(z.id).aliases
    with pytest.raises(NotFoundError):
        svc.source(dup.id)
    assert svc.verify_audit().ok
    svc.unmerge_sources(merged.extra["undo"])
    assert svc.source(dup.id) == dup
    assert svc.source(z.id) == z
    assert svc.quote(q.id).speaker_id == dup.id
    assert svc.verify_audit().ok


def test_merge_refuses_a_chain_that_would_hold_a_source_twice(svc: Service, article) -> None:
    a = svc.create_source("person", "A").source
    b = svc.create_source("person", "B").source
    q = svc.create_quote(article.id, 1571, 1713, speaker_id=a.id, hops=[HopRecord(b.id, "told")]).quote
    with pytest.raises(ChainError, match=f"quote {q.id} has both 'A' and 'B'"):
        svc.merge_sources(a.id, b.id)


def test_a_source_in_use_cannot_be_deleted(svc: Service, article) -> None:
    a = svc.create_source("person", "A").source
    svc.create_quote(article.id, 1571, 1713, speaker_id=a.id)
    with pytest.raises(ValidationError, match="still referred to"):
        svc.delete_source(a.id)
    lone = svc.create_source("person", "Lone").source
    gone = svc.delete_source(lone.id)
    svc.restore_source(gone.before("source"))
    assert svc.source(lone.id) == lone


def test_reimporting_the_same_text_is_a_no_op(svc: Service, article) -> None:
    before = _counts(svc)
    again = svc.import_file(SAMPLES / "istanbul-talks.txt")
    assert again.extra["created"] is False and again.extra["article"].id == article.id
    assert _counts(svc) == before


def test_user_name_is_required(db) -> None:
    with pytest.raises(ValidationError, match="user name is required"):
        Service(db, user="  ")


def test_each_action_is_one_audit_transaction(svc: Service, article) -> None:
    a = svc.create_source("person", "A").source
    r = svc.create_quote(article.id, 1571, 1713, speaker_id=a.id)
    with svc.db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.seq == r.audit_seq)).all()
    assert len(entries) == 1 and entries[0].actor == "ana" and entries[0].action == "create quote"
    hist = svc.history("quote", r.quote.id)
    assert [h.action for h in hist] == ["create quote"] and hist[0].before is None


def test_a_failed_import_leaves_no_trace(svc: Service, monkeypatch) -> None:
    """The failure comes after the outlet source and the article rows were written: all rolled back."""
    import annotator.service as service_module

    before, head = _counts(svc), svc.audit_head()
    boom = RuntimeError("disk on fire")

    def fail(_article):
        raise boom

    monkeypatch.setattr(service_module, "article_record", fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        svc.import_file(SAMPLES / "istanbul-talks.txt")
    monkeypatch.undo()
    assert _counts(svc) == before and svc.audit_head() == head
    assert svc.resolve_source("El País") is None and svc.articles() == []
    assert svc.verify_audit().ok


def test_a_batch_goes_on_after_a_refused_file(svc: Service, tmp_path) -> None:
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "c-good.txt").write_text("Title: Good\n---\n“Fine,” she said.\n", encoding="utf-8")
    report = svc.import_paths([tmp_path])
    assert [p.name for p, _ in report.imported] == ["c-good.txt"]
    assert {p.name: r for p, r in report.failed}.keys() == {"a-empty.txt", "b-binary.txt"}
    assert all(r for _, r in report.failed)


def test_bulk_read_records_equal_single_reads(svc: Service, article) -> None:
    """The fast path that lists quotes builds the very same records as the one-quote path."""
    annotate_gold(svc, article.id)
    listed = svc.quotes(article.id)
    assert listed == [svc.quote(q.id) for q in listed]
    assert hash(listed[2]) == hash(svc.quote(listed[2].id))
    assert {q.to_json() for q in listed} == {svc.quote(q.id).to_json() for q in listed}

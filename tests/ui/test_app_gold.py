"""A fact-checker annotates the seed article end to end in the main window, and the database then
holds exactly the gold annotations: offsets, text, type, speaker, cue, and the chain in order."""

# ruff: noqa: F811 - the fixtures imported from app_support are redefined as test arguments

from __future__ import annotations

from app_support import drag_select, press, show_article_named
from PySide6.QtCore import Qt
from seed import load_gold, source_for

GOLD = load_gold()["quotes"]
PICKED = (2, 3, 4, 6)  # the Moscow chain, Vance, Rubio, Zelensky


def _type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _cue_span(text: str, q: dict) -> tuple[int, int]:
    from seed import cue_span

    span = cue_span(text, q)
    assert span is not None
    return span


def test_annotate_gold_quotes_through_the_window(window, qtbot) -> None:
    svc = window.service
    aid = show_article_named(window, "istanbul-talks.txt")
    # The desk's registry already knows these people and outlets; Moscow is new to it and is
    # created on the way, through "New source…".
    for i in PICKED[1:]:
        source_for(svc, GOLD[i]["speaker"])
    for hop in GOLD[2]["chain"]:
        source_for(svc, hop["source"])

    view, insp = window.reader.view, window.inspector
    text = view.text()
    for i in PICKED:
        g = GOLD[i]
        drag_select(qtbot, view, g["start"], g["end"])
        press(qtbot, view, Qt.Key.Key_Q)  # mark: the keyboard is now in the speaker field
        assert insp.speaker_edit.hasFocus()
        qid = window.current_quote_id()
        assert insp.current_quote_id() == qid
        name = g["speaker"]["name"]
        if i == 2:
            # Unknown name + Enter: "New source…" opens prefilled; make it an organization.
            qtbot.keyClicks(insp.speaker_edit, name)
            qtbot.keyClick(insp.speaker_edit, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: insp.source_dialog is not None and insp.source_dialog.isVisible())
            dialog = insp.source_dialog
            assert dialog.name_edit.text() == name
            dialog.set_kind("organization")
            _type_into(qtbot, dialog.role_edit, g["speaker"]["role"])
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: insp.source_dialog is None)
            # The chain: pick each intermediary with its relation, through the completer's list.
            for hop in g["chain"]:
                relation = insp.relation_combo.lineEdit()
                _type_into(qtbot, relation, hop["relation"])
                _type_into(qtbot, insp.hop_source_edit, hop["source"]["name"][:4])
                popup = insp.hop_completer.completer.popup()
                qtbot.waitUntil(popup.isVisible)
                qtbot.keyClick(popup, Qt.Key.Key_Down)
                qtbot.keyClick(popup, Qt.Key.Key_Return)
                n = g["chain"].index(hop) + 1
                qtbot.waitUntil(lambda q=qid, n=n: len(svc.quote(q).hops) == n)
        else:
            # A few letters, ↓ and Enter in the completer's list.
            qtbot.keyClicks(insp.speaker_edit, name[:5])
            popup = insp.speaker_completer.completer.popup()
            qtbot.waitUntil(popup.isVisible)
            qtbot.keyClick(popup, Qt.Key.Key_Down)
            qtbot.keyClick(popup, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda q=qid: svc.quote(q).speaker_id is not None)
        # The cue: select it in the article, press C.
        cs, ce = _cue_span(text, g)
        drag_select(qtbot, view, cs, ce)
        press(qtbot, view, Qt.Key.Key_C)
        # Ready for review: 2.
        press(qtbot, view, Qt.Key.Key_2)

    # -- the database holds the gold annotations -----------------------------------------------------
    quotes = {(q.start, q.end): q for q in svc.quotes(aid)}
    assert len(quotes) == len(PICKED)
    for i in PICKED:
        g = GOLD[i]
        q = quotes[(g["start"], g["end"])]
        assert q.text == g["text"] == text[g["start"] : g["end"]]
        assert q.type == g["type"]
        speaker = svc.source(q.speaker_id)
        assert (speaker.name, speaker.kind) == (g["speaker"]["name"], g["speaker"]["kind"])
        assert q.cue is not None and text[q.cue[0] : q.cue[1]] == g["cue"]
        got = [(svc.source(h.source_id).name, h.relation) for h in q.hops]
        assert got == [(h["source"]["name"], h["relation"]) for h in g["chain"]]
        assert q.status == "needs_review" and q.created_by == "ana"
    moscow = quotes[(GOLD[2]["start"], GOLD[2]["end"])]
    assert svc.source(moscow.speaker_id).role == "Russian government"
    assert svc.source(moscow.hops[0].source_id).kind == "anonymous"
    # ... and the window shows the chain as it reads in print
    window.select_quote(moscow.id)
    chain = "Moscow ← a Turkish official ← CNN ← El País"
    [span] = [s for s in view.quote_spans(moscow.id) if s.kind.value == "quote"]
    assert chain in span.tooltip
    row = window.quotes_panel.model.quote_by_id(moscow.id)
    assert row.chain == chain and row.status == "needs_review"
    assert insp.chain_text() == chain
    assert svc.verify_audit().ok

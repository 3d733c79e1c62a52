"""One chain text everywhere: ``annotator chain``, the CSV export and the quote table say the same."""

from __future__ import annotations

import csv

from seed import annotate_gold

from annotator.cli import main as cli_main
from annotator.quotesets.export import export_set
from annotator.vocab import CHAIN_ARROW
from ui.quotes_table import QuoteTableModel, quote_row


def _cli_chain(db_path, quote_id: int, capsys) -> str:
    capsys.readouterr()
    assert cli_main(["--db", f"sqlite:///{db_path}", "--user", "ana", "chain", str(quote_id)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # The header, the quoted words, (the cue), then the chain on one line.
    chain_lines = [line.strip() for line in lines[2:4] if CHAIN_ARROW in line]
    assert len(chain_lines) == 1, lines
    return chain_lines[0]


def test_cli_csv_and_table_word_the_seed_chains_alike(service, istanbul_id, db_path, tmp_path, capsys, qtbot):
    quote_ids = annotate_gold(service, istanbul_id)
    path = tmp_path / "all.csv"
    export_set(service, path, fmt="csv", status="all")
    with open(path, encoding="utf-8-sig", newline="") as f:
        csv_chain = {row["quote_id"]: row["chain"] for row in csv.DictReader(f)}

    sources = {s.id: s for s in service.sources()}
    outlet = sources[service.article(istanbul_id).outlet_id]
    model = QuoteTableModel()
    records = [service.quote(qid) for qid in quote_ids]
    model.set_rows([quote_row(r, sources, outlet=outlet) for r in records])
    chain_column = list(QuoteTableModel.ARTICLE_COLUMNS).index("chain")

    for r in records:
        table = model.data(model.index(model.row_of(r.id), chain_column))
        assert _cli_chain(db_path, r.id, capsys) == csv_chain[r.uid] == table, r.id

    moscow = records[2]
    assert sources[moscow.speaker_id].name == "Moscow"
    assert csv_chain[moscow.uid] == "Moscow ← a Turkish official ← CNN ← El País"

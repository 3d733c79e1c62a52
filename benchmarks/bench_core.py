"""Core speed, each figure beside the same work done with bare ``sqlite3`` in the same run.

    python benchmarks/bench_core.py [--quotes 10000] [--mb 5]

Prints: import of a 5 MB article; creating 10,000 quotes one operation at a time (each its own
transaction with its audit entry, as the GUI does; a speaker on each, a two-hop chain on every
third); loading one article's 10,000 quotes with speakers and chains. The ratio column is the
figure to watch. Both sides use the same SQLite settings (WAL, synchronous=FULL, or what
``--synchronous`` says: NORMAL leaves out the fsync per commit, so the ratio shows the CPU cost
alone), so the ratio is the cost of the service, ORM and audit log.

"same SQL" replays, through bare sqlite3, exactly the statements and parameters the service sent
for the 10,000 creations (captured with a ``before_cursor_execute`` listener, on a copy of the
database taken just before), one transaction per quote: the ratio is what the service, ORM and
audit hashing cost over the SQL itself (target <= 3x). It also prints the statements per quote.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.db import Database  # noqa: E402
from annotator.records import HopRecord  # noqa: E402
from annotator.service import Service  # noqa: E402

WORDS = (
    "the minister said that talks would resume after the summer recess and officials "
    "confirmed the plan according to a spokesman quoted by reporters in the capital"
).split()


SYNCHRONOUS = "FULL"


def make_article(mb: float, seed: int = 1) -> str:
    rng = random.Random(seed)
    paras, size = [], 0
    while size < mb * 1_000_000:
        sent = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90)))
        p = f"{sent.capitalize()}. “{' '.join(rng.choice(WORDS) for _ in range(12))},” she said 😀."
        paras.append(p)
        size += len(p) + 2
    return "Benchmark article\n\n" + "\n\n".join(paras) + "\n"


def spans(text: str, n: int, seed: int = 2) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        s = rng.randrange(0, len(text) - 200)
        out.append((s, s + rng.randint(20, 180)))
    return out


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def bare_sqlite(path: Path, text: str, quote_spans: list[tuple[int, int]]) -> dict[str, float]:
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", f"synchronous={SYNCHRONOUS}", "foreign_keys=ON"):
        con.execute(f"PRAGMA {pragma}")
    con.executescript("""
        CREATE TABLE source (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE article (id INTEGER PRIMARY KEY, text TEXT NOT NULL, sha TEXT NOT NULL);
        CREATE TABLE quote (id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES article(id),
            s INTEGER NOT NULL, e INTEGER NOT NULL, text TEXT NOT NULL,
            speaker_id INTEGER REFERENCES source(id));
        CREATE TABLE hop (id INTEGER PRIMARY KEY, quote_id INTEGER NOT NULL REFERENCES quote(id),
            position INTEGER NOT NULL, source_id INTEGER NOT NULL REFERENCES source(id),
            relation TEXT NOT NULL);
        CREATE INDEX ix_q ON quote(article_id, s); CREATE INDEX ix_h ON hop(quote_id);
    """)
    out = {}

    def imp() -> None:
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "INSERT INTO article (text, sha) VALUES (?, ?)", (text, hashlib.sha256(text.encode()).hexdigest())
        )
        con.execute("INSERT INTO source (name) VALUES ('Speaker'), ('Relay'), ('Second relay')")
        con.execute("COMMIT")

    out["import"], _ = timed(imp)

    def create() -> None:
        for i, (s, e) in enumerate(quote_spans):
            con.execute("BEGIN IMMEDIATE")
            cur = con.execute("INSERT INTO quote (article_id, s, e, text, speaker_id) VALUES (1, ?, ?, ?, 1)",
                              (s, e, text[s:e]))  # fmt: skip
            if i % 3 == 0:
                con.executemany(
                    "INSERT INTO hop (quote_id, position, source_id, relation) VALUES (?, ?, ?, 'via')",
                    [(cur.lastrowid, 0, 2), (cur.lastrowid, 1, 3)],
                )
            con.execute("COMMIT")

    out["create"], _ = timed(create)

    def load() -> int:
        rows = con.execute(
            "SELECT q.id, q.s, q.e, q.text, src.name FROM quote q "
            "LEFT JOIN source src ON src.id = q.speaker_id "
            "WHERE q.article_id = 1 ORDER BY q.s"
        ).fetchall()
        hops = con.execute(
            "SELECT h.quote_id, h.position, src.name, h.relation FROM hop h "
            "JOIN source src ON src.id = h.source_id "
            "JOIN quote q ON q.id = h.quote_id WHERE q.article_id = 1"
        ).fetchall()
        return len(rows) + len(hops)

    out["load"], _ = timed(load)
    con.close()
    return out


def replay(path: Path, operations: list[list[tuple[str, object, bool]]]) -> float:
    """Send the captured statements, with their parameters, through bare sqlite3: one transaction
    per operation (its BEGIN IMMEDIATE was captured; pysqlite's COMMIT is not a cursor statement)."""
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", f"synchronous={SYNCHRONOUS}", "foreign_keys=ON"):
        con.execute(f"PRAGMA {pragma}")
    t = time.perf_counter()
    for ops in operations:
        for statement, params, many in ops:
            # (SQLAlchemy's "insertmanyvalues" batches are flagged executemany but carry one parameter set)
            if (
                many
                and isinstance(params, list | tuple)
                and params
                and isinstance(params[0], list | tuple | dict)
            ):
                con.executemany(statement, params).fetchall()
            else:
                con.execute(statement, params).fetchall()
        con.execute("COMMIT")
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def service_side(path: Path, text: str, quote_spans: list[tuple[int, int]]) -> dict[str, float]:
    from annotator.importing import read_article

    art_file = path.with_suffix(".txt")
    art_file.write_text("Title: Benchmark\nOutlet: Bench Times\n---\n" + text, encoding="utf-8")
    db = Database.open(f"sqlite:///{path}")
    if SYNCHRONOUS != "FULL":
        event.listen(db.engine, "connect", lambda con, _: con.execute(f"PRAGMA synchronous={SYNCHRONOUS}"))
        db.engine.dispose()
    svc = Service(db, user="bench")
    out = {}
    out["import"], res = timed(lambda: svc.import_article(read_article(art_file)))
    article_id = res.extra["article"].id
    speaker = svc.create_source("person", "Speaker").source.id
    relay = svc.create_source("outlet", "Relay").source.id
    relay2 = svc.create_source("outlet", "Second relay").source.id
    svc.article_text(article_id)  # on screen, as in the GUI
    replay_path = path.with_name("replay.sqlite3")
    with sqlite3.connect(path) as src, sqlite3.connect(replay_path) as dst:
        src.backup(dst)
    sent: list[list[tuple[str, object, bool]]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        sent[-1].append((statement, parameters, executemany))

    event.listen(svc.db.engine, "before_cursor_execute", capture)

    def create() -> None:
        for i, (s, e) in enumerate(quote_spans):
            hops = [HopRecord(relay, "via"), HopRecord(relay2, "via")] if i % 3 == 0 else []
            sent.append([])
            svc.create_quote(article_id, s, e, speaker_id=speaker, hops=hops)

    out["create"], _ = timed(create)
    event.remove(svc.db.engine, "before_cursor_execute", capture)
    chained = [ops for i, ops in enumerate(sent) if i % 3 == 0]
    out["statements_chain"] = max(sum(1 for st, _, _ in ops if not st.startswith("BEGIN")) for ops in chained)
    out["create_same_sql"] = replay(replay_path, sent)

    def load() -> int:
        quotes = svc.quotes(article_id)
        names = {s.id: s.name for s in svc.sources()}
        return sum(1 + len(q.hops) for q in quotes if names.get(q.speaker_id))

    out["load"], _ = timed(load)
    out["audit_verify"], report = timed(svc.verify_audit)
    assert report.ok, report.problem
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quotes", type=int, default=10_000)
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--synchronous", choices=["FULL", "NORMAL"], default="FULL")
    args = ap.parse_args()
    global SYNCHRONOUS
    SYNCHRONOUS = args.synchronous
    text = make_article(args.mb)
    quote_spans = spans(text, args.quotes)
    with tempfile.TemporaryDirectory() as tmp:
        bare = bare_sqlite(Path(tmp) / "bare.sqlite3", text, quote_spans)
        ours = service_side(Path(tmp) / "ours.sqlite3", text, quote_spans)
    n = args.quotes
    print(f"article: {len(text):,} code points ({len(text.encode()) / 1e6:.1f} MB UTF-8); {n:,} quotes; "
          f"SQLite WAL, synchronous={SYNCHRONOUS}")  # fmt: skip
    print(f"{'work':<44}{'service':>12}{'bare sqlite3':>14}{'ratio':>8}")
    rows = [
        ("import the article", "import"),
        (f"create {n:,} quotes, one transaction each", "create"),
        (f"load {n:,} quotes with speakers and chains", "load"),
    ]
    for label, key in rows:
        print(f"{label:<44}{ours[key]:>11.3f}s{bare[key]:>13.3f}s{ours[key] / bare[key]:>7.1f}x")
    print(
        f"{'  per quote created':<44}{ours['create'] / n * 1000:>10.2f}ms{bare['create'] / n * 1000:>12.2f}ms"
    )
    same = ours["create_same_sql"]
    print(f"{'create, beside the same SQL sent bare':<44}{ours['create']:>11.3f}s{same:>13.3f}s"
          f"{ours['create'] / same:>7.1f}x  (same-SQL baseline)")  # fmt: skip
    print(f"{'  statements per quote with a two-hop chain':<44}{ours['statements_chain']:>12}"
          "   (BEGIN not counted)")  # fmt: skip
    print(f"{'audit verify (whole log, every object)':<44}{ours['audit_verify']:>11.3f}s{'-':>14}")


if __name__ == "__main__":
    main()

"""``audit verify`` streams: on a 200,000-entry log its peak memory stays under a fixed ceiling.

The log is built fast by ``benchmarks/bench_audit.py`` (rows and chained entries inserted with
executemany); verify runs in a fresh process, which reports its own peak RSS (VmHWM).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bench_audit import PEAK_RSS, build_log  # noqa: E402

ENTRIES = 200_000
CEILING_MB = 150

VERIFY = (
    PEAK_RSS
    + """
import json
from annotator.db import Database
from annotator.service import Service
report = Service(Database.open({url!r}, upgrade=False), user="t").verify_audit()
print(json.dumps({{"ok": report.ok, "entries": report.entries, "problem": str(report.problem),
                  "peak_mb": peak_rss_mb()}}))
"""
)


def _verify_in_a_process(url: str) -> dict:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(VERIFY.format(url=url))], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_verify_memory_is_flat_on_a_big_log(db_url: str) -> None:
    written = build_log(db_url, ENTRIES)
    assert written >= ENTRIES - 5
    report = _verify_in_a_process(db_url)
    assert report["ok"], report["problem"]
    assert report["entries"] == written
    assert report["peak_mb"] < CEILING_MB, (
        f"verify peaked at {report['peak_mb']:.0f} MB on {written:,} entries"
    )
    # and it still finds a raw edit deep in the log, within the same ceiling
    from sqlalchemy import create_engine

    from annotator.db import resolve_url

    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE quote SET note = 'slipped in' WHERE id = 31337")
    engine.dispose()
    report = _verify_in_a_process(db_url)
    assert not report["ok"]
    assert "quote 31337 differs from its last audit entry" in report["problem"]
    assert "note: audited None, found 'slipped in'" in report["problem"]
    assert report["peak_mb"] < CEILING_MB

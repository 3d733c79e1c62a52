"""Quote sets as CSV, for spreadsheets: one row per quote, chains flattened to one line.

The file is UTF-8 *with* a byte order mark (``utf-8-sig``): Excel needs it to read UTF-8 rather than
the local code page, and LibreOffice, Google Sheets, pandas and Python's ``csv`` (with
``encoding="utf-8-sig"``) all accept it. Rows end with CRLF and every cell is quoted (RFC 4180).

Cells are neutralised against formula injection (OWASP "CSV Injection"): a text cell starting
with ``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed (or their full-width forms) gets
a leading ``'``, so a spreadsheet shows it as text instead of evaluating it. Numbers (offsets) are
written as they are.

Like the XML export, the file is written to a temporary file beside the target and moved into
place only when complete: a failed export leaves an existing file untouched.
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.atomicfile import NotRegularFileError, Staging, check_target, copy_mode
from annotator.errors import QuoteSetError
from annotator.quotesets.model import QuoteSet, SetArticle, SetQuote, SetSource, chain_text, source_label

log = logging.getLogger(__name__)

COLUMNS = (
    "quote_id",
    "article_title",
    "outlet",
    "start",
    "end",
    "type",
    "text",
    "speaker",
    "chain",
    "relations",
    "status",
    "evidence_url",
    "note",
    "reviewers",
)
"""The header row, in order."""

_FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")

QuoteSetData = QuoteSet | tuple[Iterable[SetSource], Iterable[SetArticle], Iterable[SetQuote]]
"""A whole :class:`QuoteSet`, or ``(sources, articles, quotes)`` iterables (quotes may be a generator)."""


def safe_cell(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    if value and value[0] in _FORMULA_STARTS:
        return "'" + value
    return value


def write_csv(
    path: str | os.PathLike[str], data: QuoteSetData, *, cancel: Callable[[], bool] | None = None
) -> int:
    """Write one CSV row per quote to ``path``, atomically; return the number of rows.

    ``data`` is a :class:`QuoteSet` or ``(sources, articles, quotes)``. Sources and articles are
    read first (only names, titles and outlets are kept); quotes are streamed. Columns are
    :data:`COLUMNS`: the chain is flattened as ``Moscow ← a Turkish official ← CNN ← El País``
    (anonymous sources by their descriptor), relations as ``according to; quoted by``, reviewers as
    ``ana: approve; ben: reject``. ``cancel`` is polled between rows; when it returns true the
    export stops with :class:`~annotator.errors.QuoteSetError` and nothing is written. On any
    failure an existing ``path`` is left untouched and no temporary file remains.
    """
    path = Path(path)
    sources_in: Iterable[SetSource]
    articles_in: Iterable[SetArticle]
    quotes_in: Iterable[SetQuote]
    if isinstance(data, QuoteSet):
        sources_in, articles_in, quotes_in = data.sources, data.articles, data.quotes
    else:
        sources_in, articles_in, quotes_in = data
    rows = 0
    try:
        with Staging(path) as staging:
            try:
                fd, tmp = staging.new(path)
            except OSError as e:
                raise QuoteSetError(path, f"cannot write here: {e.strerror or e}") from e
            sources = {s.id: s for s in sources_in}
            articles: dict[str, tuple[str, SetSource | None]] = {}
            for a in articles_in:
                articles[a.id] = (a.title or "", sources.get(a.outlet) if a.outlet is not None else None)
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
                writer.writerow(COLUMNS)
                for q in quotes_in:
                    if cancel is not None and cancel():
                        raise QuoteSetError(path, "export cancelled")
                    writer.writerow(_row(q, sources, articles))
                    rows += 1
                out.flush()
                os.fsync(out.fileno())
            copy_mode(path, tmp)
            check_target(path)
            os.replace(tmp, path)
    except NotRegularFileError as e:
        raise QuoteSetError(path, f"cannot write here: {e.strerror}") from e
    except OSError as e:
        raise QuoteSetError(path, f"cannot write the export: {e.strerror or e}") from e
    log.info("exported %d quotes as CSV to %s", rows, path)
    return rows


def _row(
    q: SetQuote, sources: dict[str, SetSource], articles: dict[str, tuple[str, SetSource | None]]
) -> list[str | int]:
    title, outlet = articles.get(q.article, ("", None))
    speaker = sources.get(q.speaker) if q.speaker is not None else None
    speaker_name = source_label(speaker) if speaker is not None else (q.speaker or "")
    text_cells = [
        q.id,
        title,
        source_label(outlet) if outlet is not None else "",
    ]
    rest = [
        q.type,
        q.text,
        speaker_name,
        chain_text(q, sources, outlet.id if outlet is not None else None),
        "; ".join(hop.relation for hop in q.hops),
        q.status,
        q.evidence_url or "",
        q.note or "",
        "; ".join(f"{s.reviewer}: {s.verdict}" for s in q.signoffs),
    ]
    return [safe_cell(c) for c in text_cells] + [q.start, q.end] + [safe_cell(c) for c in rest]

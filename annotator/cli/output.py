"""What the commands print: aligned tables for people, JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from annotator.canonical import display_safe


def _cell(value: Any, width: int | None = None) -> str:
    s = "" if value is None else display_safe(str(value)).replace("\n", " ").replace("\t", " ")
    if width and len(s) > width:
        s = s[: width - 1] + "…"
    return s


def print_table(
    rows: Sequence[Sequence[Any]], headers: Sequence[str], widths: Sequence[int | None] = ()
) -> None:
    widths = list(widths) + [None] * (len(headers) - len(widths))
    cells = [[_cell(v, w) for v, w in zip(r, widths, strict=False)] for r in rows]
    cols = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(c) for h, c in zip(headers, cols, strict=True)).rstrip())
    print("  ".join("-" * c for c in cols))
    for r in cells:
        print("  ".join(v.ljust(c) for v, c in zip(r, cols, strict=True)).rstrip())


def emit_json(value: Any, *, sort_keys: bool = True) -> None:
    """Print ``value`` as indented JSON (``sort_keys=False`` keeps the order of a documented shape)."""
    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys, default=str))


def one_line(message: str) -> str:
    """An error message as one line a terminal shows as it is: a library's reason can span several
    lines, and no control or bidi character gets through."""
    from annotator.canonical import display_safe

    return "; ".join(line.strip() for line in display_safe(message).splitlines() if line.strip())

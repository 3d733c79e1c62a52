"""What the commands print: aligned tables for people, JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def _cell(value: Any, width: int | None = None) -> str:
    s = "" if value is None else str(value).replace("\n", " ")
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

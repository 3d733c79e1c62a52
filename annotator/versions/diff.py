"""A unified diff of two versions of an article's text, for people (``annotator diff``)."""

from __future__ import annotations

import difflib


def unified_diff(old: str, new: str, old_label: str, new_label: str, *, context: int = 3) -> str:
    """The unified diff of two texts line by line (paragraphs, in articles), as ``diff -u`` prints
    it; empty when they are equal. A last line without a newline is marked as ``diff`` marks it."""
    out = []
    for line in difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_label, new_label, n=context
    ):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)

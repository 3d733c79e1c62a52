"""Helpers for files written beside their target and renamed into place (exports)."""

from __future__ import annotations

import os
from pathlib import Path


def copy_mode(existing: Path, new: Path) -> None:
    """Give ``new`` the permissions of the file it replaces (0644 for a new file, not mkstemp's 0600)."""
    try:
        mode = existing.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    os.chmod(new, mode)

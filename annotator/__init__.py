"""Quote annotator core: articles, sources, quotes and their provenance chains.

This package is Qt-free (enforced by an import-linter contract and ``tests/core/test_layering.py``).
"""

from __future__ import annotations

__version__ = "0.1.0"

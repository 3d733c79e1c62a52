"""Provenance in the formats others read: W3C PROV (:mod:`.prov`), schema.org ClaimReview
(:mod:`.claimreview`) and brat standoff both ways (:mod:`.brat`).

Exports read one consistent snapshot through :mod:`.dataset` and write atomically; the brat
import writes in one audited operation, all or nothing. The modules are imported on demand (the
``prov`` library is only loaded for a PROV export): :func:`export` is the one entry the command
line and the export dialog call, whatever the format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.db import Database
    from annotator.interop.dataset import ExportResult
    from annotator.service import Service

PROV_FORMATS = ("prov-xml", "prov-json", "prov-n")
"""The PROV serializations (:func:`annotator.interop.prov.export_prov`)."""
FORMATS = (*PROV_FORMATS, "claimreview", "brat")
"""Every interchange export format."""
DIRECTORY_FORMATS = ("brat",)
"""The formats written to a directory (several files) rather than to one file."""
SUFFIXES = {"prov-xml": ".provx", "prov-json": ".json", "prov-n": ".provn", "claimreview": ".jsonld"}
"""The usual file name suffix of each single-file format."""


def export(
    db_or_service: Database | Service,
    path: str | Path,
    *,
    fmt: str,
    status: str = "verified",
    article_ids: Iterable[int] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ExportResult:
    """Export in the interchange format ``fmt`` (one of :data:`FORMATS`) to ``path`` (a directory
    for brat). ``status`` (``"verified"`` or ``"all"``) selects the quotes, except for ClaimReview,
    which always exports the disputed and rejected ones. ``cancel`` is polled while the export is
    built; when it returns true the export stops with :class:`~.dataset.InteropError` and nothing
    is written."""
    from annotator.errors import ValidationError

    if fmt in PROV_FORMATS:
        from annotator.interop.prov import export_prov

        return export_prov(db_or_service, path, fmt, status=status, article_ids=article_ids, cancel=cancel)
    if fmt == "claimreview":
        from annotator.interop.claimreview import export_claimreview

        return export_claimreview(db_or_service, path, article_ids=article_ids, cancel=cancel)
    if fmt == "brat":
        from annotator.interop.brat import export_brat

        return export_brat(db_or_service, path, status=status, article_ids=article_ids, cancel=cancel)
    raise ValidationError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")

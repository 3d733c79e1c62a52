"""Quote sets: verified quotes as files, between databases and desks.

* :mod:`~annotator.quotesets.model`: the plain data a set carries (free of the database);
* :mod:`~annotator.quotesets.xmlformat` and :mod:`~annotator.quotesets.csvformat`: the files;
* :mod:`~annotator.quotesets.export` and :mod:`~annotator.quotesets.importer`: the database side.

The options' values are defined here, so the command line builds its parser without loading the
formats (:mod:`~annotator.quotesets.model` re-exports them).
"""

FILTER_STATUSES = ("verified", "all")
"""What an export selects: verified quotes only, or every quote."""
FORMATS = ("xml", "csv")
"""The files a set is exported as."""
ON_CONFLICT = ("refuse", "skip")
"""What an import does about conflicts: refuse the whole set, or skip what conflicts."""

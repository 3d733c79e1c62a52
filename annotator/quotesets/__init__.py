"""Quote sets: verified quotes as files, between databases and desks.

* :mod:`~annotator.quotesets.model`: the plain data a set carries (free of the database);
* :mod:`~annotator.quotesets.xmlformat` and :mod:`~annotator.quotesets.csvformat`: the files;
* :mod:`~annotator.quotesets.export` and :mod:`~annotator.quotesets.importer`: the database side.
"""

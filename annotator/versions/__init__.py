"""Versions of an article: aligning two texts, carrying quotes across, reporting what changed.

* :mod:`annotator.versions.alignment`: the equal blocks of an old and a new text;
* :mod:`annotator.versions.anchor`: where a span of the old text is in the new one (unchanged,
  moved, changed or lost);
* :mod:`annotator.versions.carry`: a quote with its cue and hop evidence carried across;
* :mod:`annotator.versions.diff`: a unified diff of two versions, for people.

Pure functions over texts and records; :class:`annotator.service.Service` stores the outcome.
"""

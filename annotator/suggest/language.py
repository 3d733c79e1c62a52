"""A cheap language guess from letters and frequent words, for texts whose language is not given."""

from __future__ import annotations

import re

from annotator.suggest.lexicon import LEXICONS

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 20_000
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_POLISH = re.compile("[ąęłńśźżĄĘŁŃŚŹŻ]")
_CZECH = re.compile("[ěščřůťďňĚŠČŘŮŤĎŇ]")


def base_language(code: str | None) -> str | None:
    """ "de-AT" → "de"; None stays None."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].lower() or None


def guess_language(text: str) -> str:
    """The ISO 639-1 code of the most likely language among those the suggester knows (default "en")."""
    sample = text[:_SAMPLE]
    words = _WORD.findall(sample.lower())
    if not words:
        return "en"
    if len(_CYRILLIC.findall(sample)) > len(sample) // 10:
        return "ru"
    scores = {code: 0 for code in LEXICONS}
    for w in words:
        for code, lx in LEXICONS.items():
            if w in lx.function_words:
                scores[code] += 1
    scores["pl"] += 3 * len(_POLISH.findall(sample))
    scores["cs"] += 3 * len(_CZECH.findall(sample))
    best = max(scores, key=lambda c: scores[c])
    return best if scores[best] > 0 else "en"

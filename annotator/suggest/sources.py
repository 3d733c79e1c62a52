"""Sources as the suggester sees them: the name in a mention, its kind, and the registry entry it matches."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from annotator.canonical import name_key
from annotator.suggest.lexicon import (
    COUNTRIES,
    GOVERNMENT_SEATS,
    LEXICONS,
    OUTLET_HEADS,
    OUTLET_PHRASES,
    OUTLETS,
    Lexicon,
)
from annotator.suggest.model import KnownSource, SourceKindName

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*\.?", re.UNICODE)
_NATIONALITY = re.compile(
    r"(?:ian|ish|ese|ean|ischen|ische|ischer|isches|ischem|ais|aise|ois|oise|ano|ana|eño|eña)$"
)
_NATIONALITY_WORDS = frozenset(
    "us u.s. uk eu un french german dutch greek swiss thai czech polish turkish iraqi israeli saudi "
    "pakistani afghan deutsche deutscher deutschen".split()
)
_ALL_TITLES = frozenset().union(*(lx.titles for lx in LEXICONS.values()))
_ALL_DETERMINERS = frozenset().union(*(lx.determiners for lx in LEXICONS.values()))
_ALL_INDEFINITE = frozenset().union(*(lx.indefinite for lx in LEXICONS.values()))
_ALL_ANON = frozenset().union(*(lx.anonymous_heads for lx in LEXICONS.values()))
_ALL_ORG = frozenset().union(*(lx.org_heads for lx in LEXICONS.values()))
_ORG_SUFFIXES = (
    "ministerium",
    "regierung",
    "polizei",
    "behörde",
    "gericht",
    "anwaltschaft",
    "amt",
    "ministry",
    "ministère",
    "ministerio",
    "partei",
    "verband",
    "kommission",
    "rat",
)
_OUTLET_SUFFIXES = (
    "zeitung",
    "nachrichtenagentur",
    "presseagentur",
    "sender",
    "magazin",
    "rundfunk",
    "fernsehen",
)


_PERSON_ROLES = frozenset(
    "spokesman spokeswoman spokesperson head chief director president minister sprecher sprecherin leiter "
    "leiterin chef chefin präsident präsidentin direktor direktorin porte-parole directeur directrice "
    "président présidente ministre portavoz director directora presidente presidenta ministro "
    "ministra".split()
)


_TITLE_SUFFIXES = (
    "minister",
    "ministerin",
    "präsident",
    "präsidentin",
    "sprecher",
    "sprecherin",
    "kanzler",
    "kanzlerin",
    "sekretär",
    "sekretärin",
    "vorsitzende",
    "vorsitzender",
    "chef",
    "chefin",
    "direktor",
    "direktorin",
    "botschafter",
    "botschafterin",
    "bürgermeister",
    "bürgermeisterin",
)


def _is_org_word(w: str) -> bool:
    if w in _ALL_ORG or w.endswith(_ORG_SUFFIXES):
        return True
    # German genitive: "des Innenministeriums", "der Bundesregierung"
    for end in ("es", "s"):
        if w.endswith(end) and (w[: -len(end)] in _ALL_ORG or w[: -len(end)].endswith(_ORG_SUFFIXES)):
            return True
    return False


def words(name: str) -> list[str]:
    return _WORD.findall(name)


@lru_cache(maxsize=8192)
def is_titleish(word: str) -> bool:
    """A word of a title, a role or a nationality ("President", "Ukrainian", "Bundeskanzlerin")."""
    w = word.lower().rstrip(".")
    if w in _ALL_TITLES or w in _NATIONALITY_WORDS or w in COUNTRIES:
        return True
    if "-" in w and (w.split("-")[0] + "-") in _ALL_TITLES:
        return True
    if w.endswith(_TITLE_SUFFIXES) and len(w) > 9:
        return True  # German compounds: "Informationsminister", "Regierungssprecherin", "Parteichef"
    if word[:1].islower() and w.endswith(("ische", "ischen", "ischer", "isches", "ischem")) and len(w) > 7:
        return True  # German adjectives before a title: "der libanesische Informationsminister"
    return bool(word[:1].isupper() and _NATIONALITY.search(w) and len(w) > 5)


def strip_name(text: str, lex: Lexicon | None = None) -> str:
    """The name in a speaker phrase: articles and leading titles dropped.

    "US Vice President J. D. Vance" → "J. D. Vance"; "a Turkish official" → "Turkish official";
    "der Minister" → "Minister".
    """
    ws = text.split()
    while ws and ws[0].lower() in _ALL_DETERMINERS:
        ws = ws[1:]
    # drop leading titles only when a capitalised name follows them
    i = 0
    while i < len(ws) - 1 and (
        is_titleish(ws[i]) or ws[i].lower() in ("of", "for", "the", "state") or ws[i][:1].isdigit()
    ):
        i += 1
    rest = ws[i:]
    if (
        rest
        and rest[0][:1].isupper()
        and not is_titleish(rest[0])
        and all(w[:1].isupper() or w.lower() in _PARTICLES for w in rest)
    ):
        ws = rest
    return " ".join(ws).strip(" ,;:")


_PARTICLES = frozenset().union(*(lx.name_particles for lx in LEXICONS.values()))


_OUTLET_PHRASE_TEXTS = tuple(" ".join(p) for p in OUTLET_PHRASES)


@lru_cache(maxsize=4096)
def is_outlet(text: str) -> bool:
    """Do these words name a news organisation ("Reuters", "die Nachrichtenagentur dpa", "the BBC")?"""
    low = text.lower()
    ws = [w.strip("„“”\"«»'’") for w in low.split()]
    if any(w in OUTLETS for w in ws):
        return True
    if any(p in low for p in _OUTLET_PHRASE_TEXTS):
        return True
    return any(w in OUTLET_HEADS or w.endswith(_OUTLET_SUFFIXES) for w in ws)


@lru_cache(maxsize=4096)
def guess_kind(text: str, language: str | None = None) -> SourceKindName:
    """Kind of a new source from the words that name it (see the module docstring of :mod:`.rules`)."""
    low = text.lower().strip()
    ws = [w.strip("„“”\"«»'’,.") for w in low.split()]
    if not ws:
        return "person"
    if is_outlet(text):
        return "outlet"
    bare = [w for w in ws if w not in _ALL_DETERMINERS]
    raw = text.split()[-1].strip("„“”\"«»'’,.") if len(bare) == 1 else ""
    if 2 <= len(raw) <= 6 and raw.isupper() and raw.isalpha():
        return "organization"  # an acronym: "FNSEA", "UNHCR", "SPD"
    indefinite = LEXICONS[language].indefinite if language in LEXICONS else _ALL_INDEFINITE
    if ws[0] in indefinite:
        return "anonymous"
    if " ".join(bare) in GOVERNMENT_SEATS or " ".join(bare) in COUNTRIES:
        return "organization"
    if any(w in GOVERNMENT_SEATS and len(bare) <= 2 for w in bare):
        return "organization"
    org_at = next((i for i, w in enumerate(bare[:4]) if _is_org_word(w)), None)
    if org_at is not None:
        # "the Foreign Ministry", "die Polizei"; but "ein Sprecher des Ministeriums" is a person (anonymous)
        if not any(w in _ALL_ANON or w in _PERSON_ROLES for w in bare[:org_at]) and not (
            language != "de" and bare and bare[-1] in _ALL_ANON
        ):
            # ("a senior administration official": the head comes last in English, French, Spanish)
            return "organization"
    caps = [
        w
        for w in text.split()
        if w[:1].isupper()
        and not is_titleish(w)
        and w.lower() not in _ALL_DETERMINERS
        and w.lower().strip(",.") not in _ALL_ANON  # "Sources said", "Źródło w rządzie"
    ]
    if any(w in _ALL_ANON for w in bare) and not caps:
        return "anonymous"
    if any(w in _ALL_ANON for w in bare[:2]) and ws[0] in _ALL_DETERMINERS and language == "de":
        # German nouns are capitalised: "der Sprecher des Ministeriums" has no name in it
        if not any(
            w[:1].isupper() and w.lower() not in _ALL_ANON and not is_titleish(w) for w in text.split()[1:2]
        ):
            return "anonymous"
    return "person"


class Registry:
    """Registry sources looked up by name key, by alias, and by surname."""

    def __init__(self, sources: Sequence[KnownSource]) -> None:
        self.by_key: dict[str, KnownSource] = {}
        surnames: dict[str, list[KnownSource]] = {}
        for s in sources:
            for n in (s.name, *s.aliases):
                self.by_key.setdefault(name_key(n), s)
            if s.kind == "person":
                ws = s.name.split()
                if len(ws) >= 2:
                    surnames.setdefault(name_key(ws[-1]), []).append(s)
        self.by_surname = {k: v[0] for k, v in surnames.items() if len(v) == 1}

    def match(self, name: str, mention_text: str | None = None) -> KnownSource | None:
        """The registry source named ``name`` (or ``mention_text``), by name, alias or unique surname."""
        if not self.by_key:
            return None
        for cand in (name, mention_text):
            if not cand:
                continue
            hit = self.by_key.get(name_key(cand))
            if hit is not None:
                return hit
            stripped = strip_name(cand)
            hit = self.by_key.get(name_key(stripped))
            if hit is not None:
                return hit
        ws = name.split()
        if len(ws) == 1:
            return self.by_surname.get(name_key(ws[0]))
        return None

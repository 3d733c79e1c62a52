"""The rule-based suggester: quotation marks, reporting-verb lexicons and attribution patterns.

How a text is read:

1. Quoted passages are found by :func:`annotator.suggest.marks.scan_marks`; the text is cut into
   tokens and sentences (:mod:`.text`), never inside a quoted passage.
2. In each sentence, outside quotation marks, *cues* are found: reporting verbs ("said", "sagte",
   "a déclaré", "dijo"), "according to"-like prepositions ("laut", "selon", "según", "X zufolge"),
   report nouns ("nach Angaben der Polizei") and impersonal frames ("hieß es"). Each cue gets its
   speaker: the noun phrase before it ("Rubio said") or after it ("said Rubio", "sagte der
   Minister"), the sentence's subject for participles and coordinated verbs ("…, saying", "and
   reaffirmed"), the agent of a passive ("described by X"); and its intermediaries: an outlet told
   ("told Reuters", "sagte er dem NDR"), an interviewer ("in an interview with CNN"), "quoted by X",
   and an "according to X" in a sentence whose speaker is someone else (the seed's "Moscow made it
   clear, according to a Turkish official quoted by CNN, that …").
3. A quoted passage is a *direct* quote when its attribution is right after it ("…," he said) or
   before it ("He said: “…”", "said that ‘…’"), a *partial* quote when it sits inside a clause with a
   cue ("called the position ‘clearly unacceptable’"); a quote alone in its sentence with no cue
   is a *floating* quote, given to the last speaker. Quoted words without any of these (titles,
   scare quotes) are not suggested.
4. Reported speech (*indirect*): the clause after a cue ("said (that) …", "sagte, … sei",
   "a déclaré que …", "laut X …") or before it ("…, he said.", "…, so Merkel.", "…, según X."); in
   German, a following sentence in Konjunktiv I continues the reported speech.
5. Pronouns ("he said", "sagte er") and surnames ("Zelensky") are resolved to the last matching
   full name; names are matched against the registry, and new ones get a kind guess
   (:func:`annotator.suggest.sources.guess_kind`).
6. German news conventions (lexicon flags ``quote_in_clause`` and ``speech_acts``): reported speech is
   suggested together with the quoted fragment inside it, a sentence that reports a speech act without
   its words ("X sprach von einem Erfolg") is reported speech, "Demnach …" and "Dies bestätigte X"
   point back to the sentence or source before, and a sentence in Konjunktiv I is reported speech on
   its own.

7. Other conventions: a dialogue dash after a sentence inside a paragraph and Spanish attached dashes
   ("—¿…? —le preguntó"); an attribution between dashes splits a quote ("«… —afirmó—, …»"); a
   name later in the attribution, past objects and places ("– … – mówił na konferencji wiceminister
   X", "«…», — сказал журналистам губернатор X"); pro-drop ("dodała", "añadió") goes to the last
   speaker; a quote inside a quote introduced by its own verb and colon is suggested too; a bare
   title ("the prime minister") is resolved to the person named with that title.

Every rule says in the suggestion's ``reason`` which pattern fired, and sets a confidence by how
reliable that pattern was on German news (``benchmarks/eval_suggest.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.suggest.language import base_language, guess_language
from annotator.suggest.lexicon import CALENDAR, EN, LEXICONS, OUTLET_HEADS, OUTLETS, Lexicon
from annotator.suggest.marks import MARK_CHARS, Quoted, scan_marks
from annotator.suggest.model import (
    Intermediary,
    KnownSource,
    Mention,
    QuoteTypeName,
    SourceKindName,
    SourceRef,
    Suggestion,
)
from annotator.suggest.sources import Registry, guess_kind, is_outlet, is_titleish, strip_name
from annotator.suggest.text import Tokens, is_cap, is_word, sentences, tokenize

VERSION = "rules-2"
"""Recorded with every accepted suggestion; bump when the rules change what they suggest."""

_COORD = frozenset("and but while und aber sowie et mais puis y pero e".split())
_FR_INVERTED = re.compile(r"^(.+?)-(?:t-)?(il|elle|ils|elles|on)$")
_NAME_SEQ = re.compile(
    r"(?<![\w.])(?:(?:[A-ZÀ-ÝĀ-ŽА-Я]\.|[A-ZÀ-ÝĀ-ŽА-Я][\w’'-]*)[ \t]+"
    r"(?:(?:von der|van der|von|van|de la|de|del|da|di|du|bin|al|le|la)[ \t]+)?)+"
    r"[A-ZÀ-ÝĀ-ŽА-Я][\w’'-]+"
)
_PREPOSITIONS = frozenset(
    """
    in im mit von vom zu zum zur bei beim nach aus für über unter vor an am auf gegenüber seit durch um ohne
    gegen zwischen wegen trotz während laut dank of in on at with from for by about to into against among
    dans avec pour par sur sous chez entre en de du des con por para sobre entre desde hacia según
    w we na z ze do od po przez dla przy podczas в во на с со по из к у о об от для за при
    v ve na z ze do od po pro při
    """.split()
)
_CLAUSE_OPENERS = frozenset(
    "und aber oder denn sondern wie dass daß ob weil als nachdem während da wenn so doch jedoch".split()
)
_ADVERB_SUFFIXES = ("lich", "weise", "mäß", "bar", "ell", "iv", "erweise", "dings")
_FUNCTION_WORDS = frozenset(
    """
    of for and the a an in on at to from with by de la le les l du des del della dello delle di da do dos
    y e et
    und für mit dem der die das des ein eine einer eines im zur zum von vom um an auf am ohne über unter gegen
    &
    """.split()
)
_PERSON_SUFFIXES = (
    "sprecher",
    "sprecherin",
    "minister",
    "ministerin",
    "chef",
    "chefin",
    "präsident",
    "präsidentin",
    "vorsitzende",
    "vorsitzender",
    "politiker",
    "politikerin",
    "experte",
    "expertin",
    "leiter",
    "leiterin",
    "anwalt",
    "anwältin",
    "organisationen",
    "verband",
    "partei",
)
_KONJUNKTIV_I = frozenset(
    "sei seien habe werde könne müsse dürfe solle wolle möge gebe gehe komme bleibe".split()
)
_PASSIVE_IMP = frozenset("vorgeworfen beschuldigt aufgefordert verdächtigt angelastet".split())
_DEMONSTRATIVE_START = frozenset("dies das dieses this that cela ceci esto eso".split())
_SPEECH_ACTS = frozenset(
    """
    sprach sprachen spricht sprechen forderte forderten fordert fordern kritisierte kritisierten kritisiert
    kritisieren lobte lobten lobt warnte warnten warnt bezeichnete bezeichneten bezeichnet nannte nannten
    nennt gab gaben gibt berichtete berichteten berichtet berichten verwies verweist dementierte dementiert
    appellierte appelliert beklagte beklagt würdigte würdigt mahnte mahnt verlangte verlangten verlangt
    bemängelte bemängelt erwartet erwarten erwartete begrüßte begrüßt verurteilte verurteilt empfahl
    empfahlen empfiehlt verglich vergleicht warf warfen wirft werfen plädierte plädiert bestritt bestreitet
    widersprach widerspricht beschuldigte beschuldigt versprach verspricht bekräftigte bekräftigt
    begründete begründet argumentierte argumentiert vorgeworfen
    """.split()
)
_PP_IN_NP = frozenset("in im aus vom von bei".split())
_AUX_DE = frozenset(
    "hat haben hatte hatten habe hätte hätten ist sind war waren wird werden wurde wurden".split()
)
_POSSESSIVES = frozenset(
    "eigenen eigener eigenem dessen deren seinen seiner seinem ihren ihrer ihrem his her their its "
    "own".split()
)
_REPORT_SUFFIXES = ("angaben", "berichten", "informationen", "aussagen", "schätzungen", "erkenntnissen")
_MAX_NP = 14
_ADVERBS = frozenset(
    """
    been be being not never also later then again previously earlier recently separately further yesterday
    today however still already once
    hingegen jedoch allerdings dagegen ebenfalls auch zudem außerdem nun jetzt bereits schon noch inzwischen
    daraufhin später gestern heute damals zuvor erneut wiederum weiter ferner indes dabei dazu deshalb daher
    sogar selbst offenbar offensichtlich zunächst zuletzt ebenso gleichzeitig unterdessen mittlerweile nämlich
    également aussi ensuite encore pourtant cependant alors déjà hier aujourd'hui toutefois
    también además luego ayer hoy ya sin embargo todavía
    """.split()
)
_NAMING = frozenset(
    "nannte nennt nannten bezeichnete bezeichnet bezeichneten called calls call described describes dubbed "
    "branded labelled labeled termed qualifié qualifie qualifiait traité llamó calificó tildó".split()
)
_TLDS = frozenset("de com net org at ch eu uk fr es it ru pl cz info tv".split())
_PREFIXED_NAME = re.compile(
    r"^(?:(?:al|el|ad|as|at|an|ar|ash|az|bin|ibn|abu|de|di|da|van|von|le|la|d|o)[-'’][A-ZÀ-Ý]|[a-z]{1,4}-[A-ZÄÖÜ]|l[’'][A-ZÀ-Ý])"
)
_OPENING = frozenset("“„‘‚«»‹›\"'「『")
_DASH_WORDS = frozenset("–—―")
_INCISE = re.compile(r"[ \t\u00a0]?[–—―][ \t\u00a0]?([^\W\d_A-ZÀ-ÝА-Я]+)[^–—―\n]{0,60}?[–—―]")
_ELISION = re.compile(r"^(?:l|d|qu)['’]")
_CONTRACTIONS = frozenset("del al du des au aux of vom zum zur beim".split())


@dataclass
class _NP:
    """A noun phrase: ``a``/``b`` its token range (with appositions), ``ma``/``mb`` the naming words."""

    a: int
    b: int
    ma: int
    mb: int
    pronoun: bool = False
    name: str | None = None  # the source's name when the words do not give it ("Polizeiangaben" → "Polizei")


@dataclass
class _Cue:
    kind: str  # verb | acc | acc_post | report | imp
    a: int  # token range of the cue words
    b: int
    frame_a: int = -1  # token range of the whole attribution (cue, speaker, hops)
    frame_b: int = -1
    speaker: _NP | None = None
    speaker_ref: SourceRef | None = None
    hops: list[tuple[_NP, str]] = field(default_factory=list)
    subject_from_sentence: bool = False
    inverted: bool = False


class RuleSuggester:
    """The rule-based :class:`~annotator.suggest.model.Suggester`."""

    version = VERSION

    def suggest(
        self, text: str, language: str | None = None, registry: Sequence[KnownSource] = ()
    ) -> list[Suggestion]:
        lang = base_language(language) or guess_language(text)
        lex = LEXICONS.get(lang, EN)
        return _Run(text, lex, Registry(registry)).run()


def suggest(text: str, language: str | None = None, registry: Sequence[KnownSource] = ()) -> list[Suggestion]:
    """Suggestions for ``text`` from the rule-based suggester (see the module docstring)."""
    return RuleSuggester().suggest(text, language, registry)


class _Run:
    """One suggester run over one text."""

    def __init__(self, text: str, lex: Lexicon, registry: Registry) -> None:
        self.text = text
        self.lex = lex
        self.registry = registry
        self.tok: Tokens = tokenize(text)
        marks = scan_marks(text)
        self.quotes: list[Quoted] = self._split_incises([q for q in marks if q.depth == 0])
        self.inner: list[Quoted] = [q for q in marks if q.depth == 1]
        self._nested_ids: set[int] = set()
        self._titles: dict[str, list[tuple[int, int, int]]] | None = None
        self.sents = sentences(self.tok, self.quotes)
        self.sent_starts = frozenset(a for a, _ in self.sents)
        n = len(self.tok)
        # token -> index of the outer quote it belongs to (marks included), or -1
        self.qid = [-1] * n
        for k, q in enumerate(self.quotes):
            i = self.tok.index_at(q.open)
            while i < n and self.tok.starts[i] < q.close:
                self.qid[i] = k
                i += 1
        self.out: list[Suggestion] = []
        self._ref_cache: dict[tuple[str, str, bool, bool], tuple[str, SourceKindName, int | None, bool]] = {}
        # (offset, SourceRef) of person speakers and sentence subjects, for pronouns
        self.persons: list[tuple[int, SourceRef]] = []
        self.full_names: list[tuple[int, int, str]] = []  # (start, end, name) of multi-word person names
        self.surnames = self._surnames()
        self.all_verbs = lex.verbs

    def _split_incises(self, quotes: list[Quoted]) -> list[Quoted]:
        """A quote interrupted by its attribution between dashes is two quotes: "«Los pueblos pequeños
        llevamos dos años ahorrando agua —afirmó—, mientras …»", "„Tak – dodał – będzie”"."""
        out: list[Quoted] = []
        for q in quotes:
            m = _INCISE.search(self.text, q.start, q.end) if not q.dash else None
            if m is None or m.group(1) not in self.lex.verbs:
                out.append(q)
                continue
            a = q.start
            b = m.start()
            while b > a and self.text[b - 1].isspace():
                b -= 1
            c = m.end()
            while c < q.end and (self.text[c].isspace() or self.text[c] in ",;"):
                c += 1
            if b - a < 3 or q.end - c < 3:
                out.append(q)
                continue
            out.append(Quoted(q.open, m.start(), a, b, 0, q.paragraphs))
            out.append(Quoted(m.end() - 1, q.close, c, q.end, 0, q.paragraphs))
        return out

    # ------------------------------------------------------------------ names

    def _surnames(self) -> dict[str, list[tuple[int, str]]]:
        """Surname (case-folded) → [(offset, full name)] for every multi-word capitalised name."""
        out: dict[str, list[tuple[int, str]]] = {}
        for m in _NAME_SEQ.finditer(self.text):
            name = strip_name(m.group())
            ws = name.split()
            if len(ws) < 2 or any(is_titleish(w) for w in ws[-1:]):
                continue
            if ws[0].lower() in self.lex.stop_caps:
                continue
            out.setdefault(ws[-1].casefold(), []).append((m.start(), name))
            if len(ws) >= 3 and ws[-2][:1].isupper() and not is_titleish(ws[-2]):
                # two surnames ("Rodrigo Almagro Vélez"): the first alone names the person too
                out.setdefault(ws[-2].casefold(), []).append((m.start(), name))
            if m.group().endswith(name) and guess_kind(name, self.lex.code) == "person":
                end = m.end()
                self.full_names.append((end - len(name), end, name))
        return out

    def _titled_name(self, name: str, at: int) -> SourceRef | None:
        """ "the prime minister", "премьер", "der Innenminister": the person named with that very title
        ("Prime Minister Lukas Brandvold") nearest before (else soon after) in the text."""
        ws = name.lower().split()
        if not ws or len(ws) > 3 or not all(w in self.lex.titles for w in ws):
            return None
        if self._titles is None:
            self._titles = self._title_index()
        hits = self._titles.get(" ".join(ws))
        if not hits:
            return None
        before = [h for h in hits if h[0] < at]
        after = [h for h in hits if at < h[0] <= at + 2000]
        pick = before[-1] if before else after[0] if after else None
        if pick is None:
            return None
        _pos, fs, fe = pick
        fname = self.text[fs:fe]
        local = None
        k = self.text.rfind(name, max(0, at - 5), at + len(name) + 40)
        if k != -1:
            local = Mention(k, k + len(name), name)
        known = self.registry.match(fname)
        if known is not None:
            return SourceRef(known.name, known.kind, Mention(fs, fe, fname), known.id, local)
        return SourceRef(fname, "person", Mention(fs, fe, fname), None, local)

    def _title_index(self) -> dict[str, list[tuple[int, int, int]]]:
        """Title phrase (lower case) → [(offset, name start, name end)] for every "Title Name Name"."""
        tok, lex = self.tok, self.lex
        out: dict[str, list[tuple[int, int, int]]] = {}
        n = len(tok)
        i = 0
        while i < n:
            if tok.lower[i] not in lex.titles or self.qid[i] != -1:
                i += 1
                continue
            j = i
            while j < n and j - i < 3 and tok.lower[j] in lex.titles:
                j += 1
            h = j
            while h < n and self._is_name_tok(h) and not is_titleish(tok.words[h]):
                h += 1
            if h - j >= 2:
                title = " ".join(tok.lower[i:j])
                for t in {title, " ".join(tok.lower[j - 1 : j])}:
                    out.setdefault(t, []).append((tok.starts[i], tok.starts[j], tok.ends[h - 1]))
            i = max(j, i + 1)
        return out

    def _full_name(self, name: str, at: int) -> str:
        ws = name.split()
        if len(ws) != 1:
            return name
        hits = self.surnames.get(ws[0].casefold())
        if not hits:
            return name
        before = [h for h in hits if h[0] < at]
        return (before[-1] if before else hits[0])[1]

    def _mention(self, a: int, b: int) -> Mention:
        s, e = self.tok.starts[a], self.tok.ends[b - 1]
        return Mention(s, e, self.text[s:e])

    def _ref(self, np: _NP) -> SourceRef | None:
        """The source a noun phrase names; pronouns resolved to the last person named before them."""
        tok = self.tok
        if np.pronoun:
            at = tok.starts[np.a]
            local = self._mention(np.a, np.b)
            word = tok.lower[np.a]
            inv = _FR_INVERTED.match(word) if word not in self.lex.pronouns else None
            if inv is not None:  # "a-t-il": the pronoun inside the token
                word = inv.group(2)
                local = Mention(
                    at + inv.start(2), at + inv.end(2), self.text[at + inv.start(2) : at + inv.end(2)]
                )
            kind = self.lex.pronouns.get(word, "person" if inv is not None else "group")
            best: SourceRef | None = None
            for pos, ref in reversed(self.persons):
                if pos < at and (kind == "group" or ref.kind == "person"):
                    best = ref
                    break
            # a full name mentioned later than that (as an object, in a title…) is the nearer antecedent
            k = bisect_left(self.full_names, (at, 0, "")) - 1
            if k >= 0 and kind == "person" and at - self.full_names[k][0] <= 1500:
                fs, fe, fname = self.full_names[k]
                if best is None or (
                    best.mention is not None and best.mention.start < fs and best.name != fname
                ):
                    if best is None or fname.split()[-1] not in best.name.split():
                        known = self.registry.match(fname)
                        if known is not None:
                            return SourceRef(known.name, known.kind, Mention(fs, fe, fname), known.id, local)
                        return SourceRef(fname, "person", Mention(fs, fe, fname), None, local)
            if best is not None:
                return SourceRef(best.name, best.kind, best.mention, best.known_id, local)
            return None
        if np.name:
            mention = self._mention(np.a, np.b)
            known = self.registry.match(np.name)
            if known is not None:
                return SourceRef(known.name, known.kind, mention, known.id)
            return SourceRef(np.name, guess_kind(np.name, self.lex.code), mention)
        ma, mb = self._name_part(np.ma, np.mb)
        mention = self._mention(ma, mb)
        whole = self._mention(np.a, np.b)
        named = (ma, mb) != self._strip_determiners(np.ma, np.mb) or np.ma > np.a
        key = (mention.text, whole.text, not named and mb == np.b, np.b - np.a <= 8)
        found = self._ref_cache.get(key)
        if found is None:
            found = self._describe(mention.text, whole.text, key[2], key[3])
            self._ref_cache[key] = found
        name, kind, known_id, use_whole = found
        if not name:
            return None
        if known_id is None and kind in ("person", "anonymous"):
            titled = self._titled_name(name, mention.start)
            if titled is not None:
                return titled
        if known_id is None and kind == "person":
            name = self._full_name(name, mention.start)
            hit = self.registry.match(name) if name != found[0] else None
            if hit is not None:
                return SourceRef(hit.name, hit.kind, mention, hit.id)
        return SourceRef(name, kind, whole if use_whole else mention, known_id)

    def _describe(
        self, mention: str, whole: str, is_whole: bool, short: bool
    ) -> tuple[str, SourceKindName, int | None, bool]:
        """(name, kind, registry id, mention is the whole phrase) for a phrase; cached per run."""
        name = strip_name(mention, self.lex)
        if not name:
            return "", "person", None, False
        known = self.registry.match(name, mention)
        if known is not None:
            return known.name, known.kind, known.id, False
        kind: SourceKindName = guess_kind(whole if is_whole else mention, self.lex.code)
        use_whole = False
        if kind == "anonymous" and short:
            use_whole = True
            name = strip_name(whole, self.lex)
        if is_outlet(whole if use_whole else mention):
            kind = "outlet"
        return name, kind, None, use_whole

    def _name_part(self, a: int, b: int) -> tuple[int, int]:
        """The name inside a phrase: what follows the last title before a capitalised word, without articles.

        "Secretary of State Marco Rubio" → "Marco Rubio"; "der Minister" → "Minister"."""
        tok, lex = self.tok, self.lex
        last = -1
        for x in range(a, b - 1):
            if is_titleish(tok.words[x]) and self._is_name_tok(x + 1) and not is_titleish(tok.words[x + 1]):
                last = x
        if last >= 0 and all(
            self._is_name_tok(y) or tok.lower[y] in lex.name_particles or tok.words[y] == "."
            for y in range(last + 1, b)
        ):
            return last + 1, b
        return self._strip_determiners(a, b)

    def _strip_determiners(self, a: int, b: int) -> tuple[int, int]:
        while a < b - 1 and self.tok.lower[a] in self.lex.determiners:
            a += 1
        return a, b

    def _remember(self, ref: SourceRef | None) -> None:
        if ref is None or ref.mention is None or ref.local is not None:
            return
        if ref.kind == "person" and (len(ref.name.split()) >= 2 or ref.name.casefold() in self.surnames):
            self.persons.append((ref.mention.start, ref))
        elif ref.kind == "organization":
            self.persons.append((ref.mention.start, ref))

    # ------------------------------------------------------------------ noun phrases

    def _np_word(self, i: int) -> bool:
        """Can token ``i`` be inside a name or a noun phrase?"""
        w = self.tok.words[i]
        return is_word(w) and self.qid[i] == -1

    def _is_name_tok(self, i: int) -> bool:
        w = self.tok.words[i]
        if self.qid[i] != -1:
            return False
        if not is_cap(w):
            return bool(_PREFIXED_NAME.match(w))
        low = self.tok.lower[i]
        if low not in self.lex.stop_caps:
            return True
        # function words are capitalised only where a sentence starts; mid-sentence "Weil" is a name
        if low in CALENDAR or i in self.sent_starts or i == 0:
            return False
        prev = self.tok.words[i - 1]
        return is_word(prev) and prev not in MARK_CHARS

    def np_right(self, i: int, end: int) -> _NP | None:
        """The noun phrase starting at token ``i`` (before ``end``)."""
        tok, lex = self.tok, self.lex
        if i >= end or self.qid[i] != -1:
            return None
        low = tok.lower[i]
        if low in lex.pronouns and low != "it" and low != "es":
            # "sie" in German is also "they"/"you": still a pronoun for us
            return _NP(i, i + 1, i, i + 1, pronoun=True)
        j = i
        saw_det = False
        while j < end and tok.lower[j] in lex.determiners and j - i < 2:
            saw_det = True
            j += 1
        # adjectives after a determiner ("a senior political source", "der ehemalige Minister")
        k = j
        while saw_det and k < end and self._np_word(k) and not is_cap(tok.words[k]) and k - j < 3:
            if tok.lower[k] in lex.verbs or tok.lower[k] in _COORD or tok.lower[k] in lex.complementizers:
                break
            k += 1
        head_start = k
        if saw_det and k == j and k < end and self.qid[k] != -1 and tok.words[k] in _OPENING:
            # "das „Space Telescope Science Institute“", "die „Süddeutsche Zeitung“"
            q = self.qid[k]
            h = k
            while h < end and self.qid[h] == q:
                h += 1
            if h - k <= 8:
                return self._extend(i, h, i, h, end)
        while k < end and (
            self._is_name_tok(k)
            or (tok.words[k] == "." and k > head_start and len(tok.words[k - 1]) == 1)
            or (k > head_start and self._lower_title_before_name(k, end))
            or (
                tok.lower[k] in lex.name_particles
                and k + 1 < end
                and self._is_name_tok(k + 1)
                and k > head_start
            )
        ):
            k += 1
        if k > head_start and saw_det and k < end and not is_cap(tok.words[k]) and self.qid[k] == -1:
            # "a Turkish official", "the Kremlin spokesman"
            low_k = tok.lower[k]
            if low_k in lex.anonymous_heads or low_k in lex.org_heads or low_k in lex.titles:
                return self._extend(i, k + 1, i, k + 1, end)
        if k == head_start:
            # lower-case head after a determiner: "the official", "a senior political source"
            if saw_det and head_start > j and head_start - 1 >= j:
                k = head_start
                for last in range(k - 1, j - 1, -1):
                    # the head noun, before its adjectives in French and Spanish ("une source diplomatique")
                    low_l = _ELISION.sub("", tok.lower[last])
                    if (
                        low_l in lex.anonymous_heads
                        or low_l in lex.org_heads
                        or (lex.code in ("fr", "es") and low_l in lex.titles)
                    ):
                        return self._extend(i, k, i, k, end)  # "le directeur de l’agence, Bertrand Lestrade,"
                    if lex.code == "en" and low_l in lex.titles:
                        return self._extend(i, last + 1, i, last + 1, end)  # "the prime minister (stood up)"
                # the adjectives loop stopped at the head noun: take one more lower-case word
            if saw_det and k < end and self._np_word(k) and not is_cap(tok.words[k]):
                if (
                    tok.lower[k] in lex.anonymous_heads
                    or tok.lower[k] in lex.org_heads
                    or tok.lower[k] in lex.titles
                ):
                    return self._extend(i, k + 1, i, k + 1, end)
            if not saw_det and k < end and self._np_word(k) and not is_cap(tok.words[k]):
                if self._lower_title_before_name(k, end):
                    # "premier Donald Tusk", "министр Сергей Лавров"
                    h = k
                    while h < end and not self._is_name_tok(h):
                        h += 1
                    while h < end and self._is_name_tok(h):
                        h += 1
                    return self._extend(i, h, i, h, end)
                low_k = tok.lower[k]
                if low_k in lex.anonymous_heads:
                    # a bare plural: "fuentes diplomáticas", "sources close to the talks"
                    h = k + 1
                    while h < end and h - k < 3 and self._np_word(h) and not is_cap(tok.words[h]):
                        if (
                            tok.lower[h] in lex.verbs
                            or tok.lower[h] in lex.complementizers
                            or tok.lower[h] in _COORD
                        ):
                            break
                        if tok.lower[h] in lex.determiners or tok.lower[h] in lex.name_particles:
                            break
                        h += 1
                    return self._extend(i, h, i, h, end)
                if not lex.determiners and low_k in lex.titles:
                    return _NP(i, k + 1, i, k + 1)  # "powiedział minister" (no articles in the language)
            return None
        if head_start == i and tok.lower[i] in lex.stop_caps:
            return None
        return self._extend(i, k, i if saw_det else i, k, end)

    def _lower_title_before_name(self, k: int, end: int) -> bool:
        """ "chief negotiator" in "Russian chief negotiator Vladimir Medinsky"."""
        tok, lex = self.tok, self.lex
        j = k
        while j < end and j - k < 3 and tok.lower[j] in lex.titles and not is_cap(tok.words[j]):
            j += 1
        return j > k and j < end and self._is_name_tok(j)

    def _extend(self, a: int, b: int, ma: int, mb: int, end: int) -> _NP:
        """Genitives and "of"-phrases ("Sprecher des Ministeriums", "spokesman for the Foreign Ministry"),
        then an apposition with a name ("Der Leiter …, Klaus Stöhr," / "Heorhii Tykhyi, spokesman for …")."""
        tok, lex = self.tok, self.lex
        k = b
        for _ in range(2):
            if k < end and tok.lower[k] in (
                "des",
                "der",
                "of",
                "for",
                "von",
                "vom",
                "du",
                "de",
                "del",
                "de la",
                "eines",
                "einer",
            ):
                j = k + 1
                while j < end and tok.lower[j] in lex.determiners and j - k < 3:
                    j += 1
                while j < end and self._np_word(j) and not is_cap(tok.words[j]) and j - k < 4:
                    if tok.lower[j] in lex.verbs or tok.lower[j] in _COORD:
                        break
                    j += 1
                h = j
                while h < end and self._is_name_tok(h):
                    h += 1
                if h > j:
                    k = h
                    if (
                        k + 1 < end
                        and tok.words[k + 1] == ","
                        and self._np_word(k)
                        and not is_cap(tok.words[k])
                    ):
                        k += 1  # "des Affaires étrangères, Aurélien Castaigne"
                    continue
            break
        # a quoted name right after ("des Magazins „Der Spiegel“") and a party in brackets ("(SPD)")
        if k < end and self.qid[k] != -1 and tok.words[k] in _OPENING:
            q = self.quotes[self.qid[k]]
            h = k
            while h < end and tok.starts[h] < q.close:
                h += 1
            if h - k <= 6:
                k = h
        if k + 2 < end and tok.words[k] == "(":
            h = k + 1
            while h < end and h - k <= 4 and tok.words[h] != ")":
                h += 1
            if h < end and tok.words[h] == ")":
                k = h + 1
        if (
            lex.code in ("fr", "es")
            and k + 2 < end
            and self._np_word(k)
            and not is_cap(tok.words[k])
            and tok.words[k + 1] == ","
            and self._is_name_tok(k + 2)
            and self._is_name_tok(k - 1)
        ):
            k += 1  # an adjective after the noun: "des Affaires étrangères, Aurélien Castaigne"
        b = k
        # apposition: ", Name Name," after a descriptor, or ", title … ," after a name
        if b + 1 < end and tok.words[b] == ",":
            c = b + 1
            h = c
            while h < end and self._is_name_tok(h):
                h += 1
            head = next((x for x in range(ma, mb) if tok.lower[x] not in lex.determiners), ma)
            if (
                h - c >= 2
                and (h >= end or tok.words[h] in ",.;:")
                and (not self._looks_named(ma, mb) or tok.lower[head] in lex.titles)
            ):
                return _NP(a, h, c, h)
            low = tok.lower[c]
            if low in lex.titles or (
                low in lex.determiners and c + 1 < end and tok.lower[c + 1] in lex.titles
            ):
                h = c
                while h < end and tok.words[h] not in ",;:.!?" and h - c < 14:
                    h += 1
                if h >= end or tok.words[h] in ",;:.!?":
                    return _NP(a, h, ma, mb)
        return _NP(a, b, ma, mb)

    def _looks_named(self, a: int, b: int) -> bool:
        """Does the token range contain a proper name (a capitalised word that is not a title)?"""
        ws = self.tok.words[a:b]
        caps = [w for w in ws if is_cap(w) and not is_titleish(w) and w.lower() not in self.lex.determiners]
        if self.lex.code == "de":
            # German nouns are capitalised: a name is two capitalised words in a row, or one after a title
            for x in range(a, b - 1):
                if is_cap(self.tok.words[x]) and is_cap(self.tok.words[x + 1]):
                    if self.tok.lower[x] not in self.lex.determiners:
                        return True
            return False
        return bool(caps)

    def np_left(self, j: int, start: int) -> _NP | None:
        """The noun phrase ending at token ``j`` (inclusive), not before ``start``."""
        tok, lex = self.tok, self.lex
        if j < start or self.qid[j] != -1:
            return None
        low = tok.lower[j]
        if low in lex.pronouns and low not in ("it", "es"):
            return _NP(j, j + 1, j, j + 1, pronoun=True)
        if not is_word(tok.words[j]):
            if tok.words[j] == "." and j - 1 >= start and len(tok.words[j - 1]) == 1:
                pass
            else:
                return None
        i = j
        # walk left over name words, particles, genitive determiners
        while i >= start:
            w = tok.words[i]
            lw = tok.lower[i]
            if self._is_name_tok(i) or (w == "." and i > start and len(tok.words[i - 1]) == 1):
                i -= 1
                continue
            if i < j and lw in lex.titles and not is_cap(w) and self._is_name_tok(i + 1):
                k = i
                while k > start and tok.lower[k - 1] in lex.titles and not is_cap(tok.words[k - 1]):
                    k -= 1
                if k > start and self._is_name_tok(k - 1):
                    i = k - 1
                    continue
            if (lw in lex.name_particles or lw in ("des", "der", "of", "for", "von")) and i > start and i < j:
                k = i
                while k > start and k > i - 2 and tok.lower[k - 1] in lex.name_particles:
                    k -= 1
                if k > start and (self._is_name_tok(k - 1) or tok.lower[k - 1] in lex.titles):
                    i = k - 1
                    continue
                if k - 1 > start and (
                    tok.lower[k - 1] in lex.org_heads or tok.lower[k - 1] in lex.anonymous_heads
                ):
                    # "le ministère de l'Agriculture", "el portavoz del Gobierno"
                    if tok.lower[k - 2] in lex.determiners:
                        return _NP(k - 2, j + 1, k - 2, j + 1)
            if (
                lw in lex.determiners
                and i < j
                and i > start
                and self._is_name_tok(i - 1)
                and lex.code == "de"
            ):
                i -= 1  # "Sprecher des Ministeriums"
                continue
            break
        if i == j:
            # lower-case head: needs a determiner within four words ("a senior political source")
            if not (low in lex.anonymous_heads or low in lex.org_heads or low in lex.titles):
                return None
            if not lex.determiners and low in lex.titles:
                return _NP(j, j + 1, j, j + 1)  # no articles in the language: "premier mówił"
            if low in lex.anonymous_heads and low.endswith("s") and lex.determiners:
                # a bare plural: "analysts called", "officials said", "witnesses told"
                p = j - 1
                if p < start or tok.lower[p] not in lex.determiners:
                    return _NP(j, j + 1, j, j + 1)
            k = j - 1
            while k >= start and k >= j - 4 and self._np_word(k) and not is_cap(tok.words[k]):
                if tok.lower[k] in lex.determiners:
                    return _NP(k, j + 1, k, j + 1)
                if tok.lower[k] in lex.verbs or tok.lower[k] in _COORD:
                    break
                k -= 1
            if k >= start and tok.lower[k] in lex.determiners:
                return _NP(k, j + 1, k, j + 1)
            return None
        a = i + 1
        # a determiner and adjectives right before ("die Polizei", "der ehemalige Minister")
        k = i
        while (
            k >= start
            and k >= i - 5
            and (
                self._np_word(k)
                or (tok.words[k] == "-" and tok.starts[k] == tok.ends[k - 1] if k > 0 else False)
            )
        ):
            # ("der 85-jährige Joseph Ratzinger": a number and a hyphen inside the adjective)
            if tok.lower[k] in lex.determiners:
                a = k
                break
            if is_cap(tok.words[k]):
                break
            if tok.lower[k] in lex.verbs or tok.lower[k] in _COORD or tok.lower[k] in lex.auxiliaries:
                break
            k -= 1
        if i >= start and tok.lower[i] in lex.determiners:
            a = i
        # a sentence-initial capitalised determiner ("Der Minister", "The minister")
        if a > start and tok.lower[a - 1] in lex.determiners and is_cap(tok.words[a - 1]):
            a -= 1
        # a genitive or a place before it: "Ein Sprecher des … Ministeriums", "Ein Sprecher in Berlin"
        if lex.code == "de" and a - 1 > start and tok.lower[a] in ("des", "der") and a < j:
            head = self.np_left(a - 1, start)
            if head is not None and not head.pronoun and j - head.a + 1 <= _MAX_NP:
                a = head.a
        elif lex.code == "de" and a - 2 >= start and tok.lower[a - 1] in _PP_IN_NP:
            head = self.np_left(a - 2, start)
            if head is not None and not head.pronoun and j - head.a + 1 <= _MAX_NP:
                a = head.a
        if all(tok.lower[x] in lex.stop_caps or tok.lower[x] in lex.determiners for x in range(a, j + 1)):
            return None
        if j - a + 1 > _MAX_NP:
            return None
        # the naming words: a trailing name after titles stays the whole phrase; strip_name picks it
        return _NP(a, j + 1, a, j + 1)

    # ------------------------------------------------------------------ cues

    def _phrase_at(self, i: int, phrases: tuple[tuple[str, ...], ...], end: int) -> int:
        """Length of the phrase of ``phrases`` at token ``i`` (0 if none)."""
        low = self.tok.lower
        cands = _phrase_index(phrases).get(low[i])
        if not cands:
            return 0
        for p in cands:
            n = len(p)
            if (
                i + n <= end
                and tuple(low[i : i + n]) == p
                and all(self.qid[x] == -1 for x in range(i, i + n))
            ):
                return n
        return 0

    def _cues(self, sa: int, sb: int) -> list[_Cue]:
        tok, lex = self.tok, self.lex
        triggers = _triggers(lex)
        cues: list[_Cue] = []
        i = sa
        while i < sb:
            if self.qid[i] != -1:
                i += 1
                continue
            low = tok.lower[i]
            if low not in triggers and not (lex.code == "fr" and "-" in low):
                i += 1
                continue
            w = tok.words[i]
            n = self._phrase_at(i, lex.impersonal, sb)
            if n:
                cues.append(_Cue("imp", i, i + n))
                i += n
                continue
            n = self._phrase_at(i, lex.according, sb)
            if n and not (low == "zufolge"):
                cues.append(_Cue("acc", i, i + n))
                i += n
                continue
            if low in lex.according_post:
                cues.append(_Cue("acc_post", i, i + 1))
                i += 1
                continue
            if low in lex.anaphoric:
                # "Demnach …" (the source of the sentence before), ", wonach …"
                cue = _Cue("anaphor", i, i + 1)
                if low == "demnach":
                    cue.speaker = _NP(i, i + 1, i, i + 1, pronoun=True)
                elif i - 2 >= sa and tok.words[i - 1] == ",":
                    # "ein Bericht der Nachrichtenagentur „Interfax“, wonach …": the phrase before speaks
                    src = self.np_left(i - 2, sa)
                    if src is None and self.qid[i - 2] != -1:
                        q = self.qid[i - 2]
                        h = i - 2
                        while h - 1 >= sa and self.qid[h - 1] == q:
                            h -= 1
                        src = self.np_left(h - 1, sa) if h - 1 >= sa else None
                        if src is not None:
                            src = _NP(src.a, i - 1, src.ma, i - 1)
                    if src is not None and not src.pronoun:
                        cue.speaker = src
                cues.append(cue)
                i += 1
                continue
            if (
                low in lex.report_preps
                and i - 2 >= sa
                and tok.lower[i - 1] in lex.report_nouns
                and tok.lower[i - 2] in _POSSESSIVES
            ):
                # "Seiner Meinung nach …": the possessive stands for the source
                cue = _Cue("report", i - 2, i + 1)
                cue.speaker = _NP(i - 2, i, i - 2, i, pronoun=True)
                cues.append(cue)
                i += 1
                continue
            if (
                low in lex.report_preps
                and i + 2 < sb
                and self._is_name_tok(i + 1)
                and tok.words[i + 1].endswith("s")
                and tok.lower[i + 2] in lex.report_nouns
            ):
                # "Nach Grupps Meinung": a genitive name before the report noun
                cue = _Cue("report", i, i + 3)
                w1 = tok.words[i + 1]
                cue.speaker = _NP(i + 1, i + 2, i + 1, i + 2, name=w1[:-2] if w1.endswith("’s") else w1[:-1])
                cues.append(cue)
                i += 3
                continue
            if low in lex.report_preps:
                k = i + 1
                while k < sb and k - i <= 3 and self._np_word(k) and not is_cap(tok.words[k]):
                    k += 1
                if (
                    k < sb
                    and self._np_word(k)
                    and (tok.lower[k] in lex.report_nouns or tok.lower[k].endswith(_REPORT_SUFFIXES))
                ):
                    cues.append(_Cue("report", i, k + 1))
                    i = k + 1
                    continue
            m = _FR_INVERTED.match(low) if lex.code == "fr" else None
            if m and (m.group(1) in lex.verbs or m.group(1) in lex.auxiliaries):
                verb_at = i
                if m.group(1) in lex.auxiliaries and i + 1 < sb and tok.lower[i + 1] in lex.verbs:
                    verb_at = i + 1
                cue = _Cue("verb", verb_at, verb_at + 1, inverted=True)
                # the pronoun inside the token: "a-t-il" → "il"
                cue.speaker = _NP(i, i + 1, i, i + 1, pronoun=True)
                cues.append(cue)
                i = verb_at + 1
                continue
            n = self._phrase_at(i, lex.verb_phrases, sb)
            if n and w[:1].islower():
                cues.append(_Cue("verb", i, i + n))
                i += n
                continue
            if low in lex.verbs and w[:1].islower():
                parts = lex.separable.get(low)
                if parts is not None and low not in ("sprach", "spricht"):
                    # "teilte … mit", or joined in a subordinate clause: "wie die Bank bekannt gab"
                    if not self._particle_follows(i, sb, parts) and not (
                        i > sa and tok.lower[i - 1] in parts
                    ):
                        i += 1
                        continue
                cues.append(_Cue("verb", i, i + 1))
            elif low in _PASSIVE_IMP and lex.code == "de" and self._passive_de(i, max(sa, i - 6)):
                cues.append(_Cue("imp", i, i + 1))  # "Ihm wird unter anderem vorgeworfen, …"
            elif low in lex.post_only and w[:1].islower():
                # German "so": only "„…“, so Merkel" / "…, so der Minister."
                if (
                    i > sa
                    and tok.words[i - 1] in ',“”"»«'
                    and i + 1 < sb
                    and (is_cap(tok.words[i + 1]) or tok.lower[i + 1] in lex.determiners)
                ):
                    cues.append(_Cue("verb", i, i + 1))
            i += 1
        return cues

    def _particle_follows(self, i: int, sb: int, parts: frozenset[str]) -> bool:
        k = i + 1
        while k < sb and k - i < 16:
            if self.tok.lower[k] in parts:
                return True
            if self.tok.words[k] in ".;:!?":
                return False
            k += 1
        return False

    def _skip_left(self, j: int, sa: int) -> int:
        """Skip auxiliaries and adverbs left of a verb ("has also said", "harshly criticised")."""
        tok, lex = self.tok, self.lex
        k = j
        while k >= sa and j - k < 5:
            low = tok.lower[k]
            if low in lex.auxiliaries or low in _ADVERBS or (low in CALENDAR and k - 1 >= sa):
                k -= 1
                if low in CALENDAR and tok.lower[k] in ("am", "on", "le", "el", "this", "last", "next"):
                    k -= 1
                continue
            if lex.code == "en" and low.endswith("ly") and len(low) > 4:
                k -= 1
                continue
            break
        return k

    def _speaker_for_verb(self, cue: _Cue, sa: int, sb: int, cues: list[_Cue]) -> None:
        tok, lex = self.tok, self.lex
        i = cue.a
        # passive: "described by X as", "zitiert von X"
        if (
            i + 1 < sb
            and tok.lower[i + 1] in lex.passive_by
            and (lex.code != "de" or self._passive_de(i, sa))
        ):
            np = self.np_right(i + 2, sb)
            if np is not None:
                cue.speaker = np
                cue.frame_a, cue.frame_b = i, np.b
                return
        if cue.speaker is not None:  # French inversion
            cue.frame_a, cue.frame_b = i, i + 1
            if tok.lower[i - 1 if i > sa else i] != tok.lower[i] and self.qid[i - 1] == -1 and i - 1 >= sa:
                cue.frame_a = i - 1 if _FR_INVERTED.match(tok.lower[i - 1]) else i
            return
        left_punct = i - 1 >= sa and (
            tok.words[i - 1] in ",:;" or tok.words[i - 1] in MARK_CHARS or tok.words[i - 1] in _DASH_WORDS
        )
        j = self._skip_left(i - 1, sa)
        if (
            not left_punct
            and sa <= j < i - 1
            and (
                tok.words[j] in MARK_CHARS
                or tok.words[j] in _DASH_WORDS
                or (tok.words[j] in ",:;" and j - 1 >= sa and self.qid[j - 1] != -1)
            )
            and all(tok.lower[y] in lex.auxiliaries for y in range(j + 1, i))
        ):
            left_punct = True  # "« … », a déclaré le ministre", "«…», ha dicho"
        left = None if left_punct or j < sa else self._left_subject(j, sa)
        if left is None and i - 1 >= sa and tok.words[i - 1] == ",":
            # "Governor Tom Reyes, who toured the area, said"; "a neighbour, John Carter, told"
            left = self._left_subject(i - 1, sa)
        if left is not None and any(
            o is not cue and o.kind in ("acc", "report", "acc_post") and o.frame_a <= left.a < o.frame_b
            for o in cues
        ):
            left = None  # "Laut AFP sagte der Minister": AFP is the source of the report, not the subject
        if left is not None and not self._subject_position(left, sa):
            left = None  # "In den Leitsätzen zum Urteil äußerten die Richter": a prepositional object
        right = None
        if left is None and not (lex.code == "en" and tok.lower[i] in ("told", "tells", "tell", "telling")):
            k = i + 1
            # "sagte am Montag der Minister": skip a short adverbial
            skipped = 0
            while (
                k < sb
                and skipped < 3
                and (
                    tok.lower[k]
                    in (
                        "am",
                        "weiter",
                        "zudem",
                        "auch",
                        "außerdem",
                        "dazu",
                        "nun",
                        "jetzt",
                        "heute",
                        "gestern",
                        "dann",
                        "später",
                        "ferner",
                        "also",
                        "later",
                        "again",
                        "further",
                    )
                    or tok.lower[k] in lex.stop_caps
                    and is_cap(tok.words[k])
                    and tok.lower[k] not in lex.determiners
                    or tok.lower[k] in ("sich", "es")
                    or (
                        lex.code == "es" and tok.lower[k] in ("le", "les", "me", "nos", "se")
                    )  # "—le preguntó"
                )
            ):
                k += 1
                skipped += 1
            right = None
            if k < sb and tok.lower[k] not in lex.complementizers:
                right = self.np_right(k, sb)
            if (
                right is not None
                and not right.pronoun
                and tok.lower[i] in lex.told
                and not lex.determiners
                and is_outlet(self.text[tok.starts[right.a] : tok.ends[right.b - 1]])
            ):
                right = None  # "Źródło w rządzie … powiedziało PAP, że": PAP was told
            if right is None and left_punct and lex.code != "de":
                # "– … – mówił na konferencji prasowej wiceminister Tomasz Kręglicki", "«…», — сказал
                # журналистам губернатор Игорь Белозёров", "«…», dijo en rueda de prensa el ministro X"
                right = self._name_later(i + 1, sb)
            if right is not None:
                cue.inverted = True
        if left is not None and right is None and lex.code == "de" and left.b - left.a == 1 and left.a == sa:
            # "Offiziell geht die Regierung davon aus": a sentence adverb, not a name, stands first
            k = i + 1
            while k < sb and tok.lower[k] in ("sich", "es", "auch", "nun", "jetzt", "heute", "gestern"):
                k += 1
            alt = self.np_right(k, sb) if k < sb else None
            if (
                alt is not None
                and (alt.pronoun or tok.lower[alt.a] in ("der", "die", "das"))
                and tok.lower[left.a] not in self.surnames
                and not self._is_known_name(left)
                or alt is not None
                and not alt.pronoun
                and tok.lower[left.a].endswith(_ADVERB_SUFFIXES)
            ):
                left, right = None, alt
                cue.inverted = True
        np = left or right
        if np is None:
            np = self._subject_of_aux(i, sa, sb)
            if np is not None:
                cue.speaker = np
                cue.frame_a, cue.frame_b = i, i + 1
                return
        if np is None:
            prev = tok.lower[j] if j >= sa else ""
            if prev in _COORD or tok.lower[i] in lex.participles or left_punct or not lex.determiners:
                # (without articles a subject with a complement is not found leftwards: "Źródło w rządzie
                # powiedziało"; the sentence's subject is taken)
                cue.subject_from_sentence = True
                cue.frame_a, cue.frame_b = i, i + 1
                return
            cue.frame_a, cue.frame_b = i, i + 1
            return
        cue.speaker = np
        if left is not None:
            cue.frame_a, cue.frame_b = np.a, cue.b
        else:
            cue.frame_a, cue.frame_b = i, max(np.b, cue.b)

    def _name_later(self, k: int, sb: int) -> _NP | None:
        """A named subject a few words after a verb, past its objects and prepositional phrases, within the
        clause: the name with the titles right before it ("wiceminister przemysłu Tomasz Kręglicki")."""
        tok, lex = self.tok, self.lex
        told = tok.lower[k - 1] in lex.told
        x = k
        while x < sb and x - k < 10:
            w = tok.words[x]
            if self.qid[x] != -1:
                x += 1
                continue
            if w in ",.;:!?" or w in _DASH_WORDS or w == "(":
                return None
            if (
                tok.lower[x] in lex.determiners
                and x + 1 < sb
                and (tok.lower[x + 1] in lex.titles or tok.lower[x + 1] in lex.anonymous_heads)
                and not (
                    x - 1 >= k and (tok.lower[x - 1] in _PREPOSITIONS or tok.lower[x - 1] in lex.prepositions)
                )
            ):
                # "a déclaré à la presse le ministre …, Aurélien Castaigne", "dijo … el presidente de …"
                np = self.np_right(x, sb)
                if np is not None and not np.pronoun:
                    return np
            if not self._is_name_tok(x) or tok.lower[x] in lex.titles:
                x += 1
                continue
            h = x
            while h < sb and (
                self._is_name_tok(h)
                or (tok.lower[h] in lex.name_particles and h + 1 < sb and self._is_name_tok(h + 1))
            ):
                h += 1
            a = x
            # titles and their complements before the name: "инженер станции", "el ministro"
            t = x - 1
            governed = False
            while t >= k and x - t <= 4 and self._np_word(t) and not is_cap(tok.words[t]):
                low = tok.lower[t]
                if low in lex.titles or low in lex.anonymous_heads:
                    a = t
                    break
                if low in _PREPOSITIONS or low in lex.prepositions or low in lex.passive_by:
                    # "w rozmowie z Radiem Zachód", "a la agencia Efe" (not "w poniedziałek Ministerstwo")
                    governed = is_outlet(" ".join(tok.words[t + 1 : h])) or all(
                        tok.lower[y] in lex.determiners or tok.lower[y] in OUTLET_HEADS
                        for y in range(t + 1, x)
                    )
                    break
                t -= 1
            while a - 1 >= k and tok.lower[a - 1] in lex.determiners:
                a -= 1
            if governed or (told and is_outlet(" ".join(tok.words[a:h]))):
                x = h
                continue
            # a genitive between a title and the name: "губернатор Зареченской области Игорь Белозёров"
            g = h
            while g < sb and g - h < 2 and self._np_word(g) and not is_cap(tok.words[g]):
                if tok.lower[g] in _PREPOSITIONS or tok.lower[g] in lex.verbs or tok.lower[g] in _COORD:
                    break
                g += 1
            if h < g < sb and self._is_name_tok(g):
                x = g
                h = g
                while h < sb and self._is_name_tok(h):
                    h += 1
            return _NP(a, h, x, h)
        return None

    def _subject_position(self, np: _NP, sa: int) -> bool:
        """Can a phrase ending right before a verb be its subject? Not when a preposition governs it; in
        German, only when it fills the whole first position of the clause (V2 order)."""
        tok = self.tok
        first = tok.lower[np.a]
        if (first in _PREPOSITIONS or first in _CONTRACTIONS) and first not in self.lex.name_particles:
            return (
                False  # "Zur Begründung gab Karsai an": the phrase is prepositional ("Von der Leyen" is not)
            )
        k = np.a - 1
        while k >= sa and tok.lower[k] in _ADVERBS:
            k -= 1
        if k < sa:
            return True
        prev = tok.lower[k]
        if prev in _PREPOSITIONS:
            return False
        if self.lex.code != "de":
            return True
        return not is_word(tok.words[k]) or prev in _CLAUSE_OPENERS or tok.words[k] in MARK_CHARS

    def _is_known_name(self, np: _NP) -> bool:
        return bool(self.registry.by_key) and self.registry.match(self.tok.words[np.a]) is not None

    def _subject_of_aux(self, i: int, sa: int, sb: int) -> _NP | None:
        """For a participle at the end of a clause ("X hat … gefordert", "hatte in einem Interview gesagt"):
        the subject next to the auxiliary."""
        tok, lex = self.tok, self.lex
        if lex.code != "de":
            return None
        k = i - 1
        while k >= sa and i - k <= 12 and tok.words[k] not in ",;:" and self.qid[k] == -1:
            if tok.lower[k] in _AUX_DE:
                left = self._left_subject(k - 1, sa) if k - 1 >= sa else None
                if left is not None and self._subject_position(left, sa):
                    return left
                right = self.np_right(k + 1, i)
                if right is not None and not right.pronoun or right is not None and right.pronoun:
                    return right
                return None
            k -= 1
        return None

    def _left_subject(self, j: int, sa: int) -> _NP | None:
        """The subject left of a verb, stepping over a parenthetical between commas
        ("Tykhyi, for his part, stressed"; "Turkey, the host country, said")."""
        tok = self.tok
        if tok.words[j] == "," and j - 1 >= sa:
            k = j - 1
            while k >= sa and tok.words[k] != "," and j - k < 10 and self.qid[k] == -1:
                k -= 1
            if k >= sa and tok.words[k] == ",":
                inner = (
                    None
                    if tok.lower[k + 1] in _PREPOSITIONS or tok.lower[k + 1] in _CONTRACTIONS
                    else self.np_right(k + 1, j)
                )  # ", del Partido Republicano Liberal," is not a name in apposition
                named = (
                    inner is not None
                    and inner.b == j
                    and not inner.pronoun
                    and self._looks_named(inner.a, inner.b)
                )
                np = self.np_left(k - 1, sa) if k - 1 >= sa else None
                if named and inner is not None:
                    # "Its chief executive, John Miller, told": the name in the apposition
                    start = np.a if np is not None else k + 1
                    if np is None:
                        # "a neighbour, John Carter,": a short descriptor with its article
                        d = k - 1
                        while d >= sa and k - d <= 4 and self._np_word(d) and not is_cap(tok.words[d]):
                            if tok.lower[d] in self.lex.determiners:
                                start = d
                                break
                            d -= 1
                    return _NP(start, j, inner.ma, inner.mb)
                if np is not None:
                    return _NP(np.a, j, np.ma, np.mb, np.pronoun)
            return None
        np = self.np_left(j, sa)
        if np is not None and self.lex.code != "de":
            # the subject must start the clause: "the talks Rubio said" is not a subject
            pass
        return np

    def _hops(self, cue: _Cue, sa: int, sb: int, cues: list[_Cue]) -> None:
        """Intermediaries of a verb cue: the outlet told, the interviewer, "quoted by", "according to"."""
        tok, lex = self.tok, self.lex
        if cue.speaker is None and not cue.subject_from_sentence:
            return
        k = max(cue.frame_b, cue.b)
        # told X: "told Reuters", "sagte er dem NDR", "a déclaré à l'AFP", "dijo a la BBC"
        if tok.lower[cue.a] in lex.told or tok.lower[cue.a] == "told":
            j = k
            if j < sb and tok.lower[j] in ("à", "au", "a", "al", "aux", "gegenüber", "to"):
                j += 1
            np = self.np_right(j, sb)
            if np is not None and not np.pronoun:
                mtxt = self.text[tok.starts[np.a] : tok.ends[np.b - 1]]
                if is_outlet(mtxt) or (tok.lower[cue.a] == "told" and self._looks_named(np.a, np.b)):
                    cue.hops.append((np, "told"))
                    cue.frame_b = max(cue.frame_b, np.b)
        # in an interview with X (anywhere near the cue)
        lo, hi = max(sa, cue.frame_a - 12), min(sb, cue.frame_b + 12)
        first = _phrase_index(lex.interview)
        x = lo
        while x < hi:
            if tok.lower[x] not in first:
                x += 1
                continue
            n = self._phrase_at(x, lex.interview, sb)
            if n:
                np = self.np_right(x + n, sb)
                if np is not None and not np.pronoun:
                    cue.hops.append((np, "told"))
                    if x >= cue.frame_b and x - cue.frame_b <= 2:
                        cue.frame_b = np.b
                x += n
                continue
            x += 1
        # according to X [quoted by Y] in a sentence where someone else speaks
        for other in cues:
            if other.kind == "acc" and other.speaker is not None and other is not cue:
                if abs(other.a - cue.a) <= 12:
                    cue.hops.append((other.speaker, "according to"))
                    other.kind = "acc_hop"
                    hop_end = max(other.speaker.b, self._quoted_by(other.speaker.b, sb, cue))
                    if 0 <= other.frame_a - cue.frame_b <= 2:
                        cue.frame_b = hop_end
        end = self._quoted_by(cue.frame_b, sb, cue, near=3)
        if end > cue.frame_b and end - cue.frame_b <= 8:
            cue.frame_b = end

    def _quoted_by(self, at: int, sb: int, cue: _Cue, near: int = 2) -> int:
        """Add a "quoted by X" hop within ``near`` tokens of ``at``; return where it ends (or ``at``)."""
        x = at
        while x < sb and x - at <= near:
            n = self._phrase_at(x, self.lex.quoted_by, sb)
            if n:
                np = self.np_right(x + n, sb)
                if np is not None and not np.pronoun:
                    cue.hops.append((np, "quoted by"))
                    return np.b
                return at
            x += 1
        return at

    def _source_after(self, k: int, sb: int) -> _NP | None:
        """A source after "laut"/"according to" that is not an ordinary noun phrase: a quoted name ("laut
        „Welt“"), a web address ("laut faz.net"), a lower-case outlet ("laut taz"), adjectives without an
        article ("laut israelischen Medien")."""
        tok = self.tok
        if k >= sb:
            return None
        q = self.qid[k]
        if q != -1 and tok.words[k] in _OPENING:
            h = k
            while h < sb and self.qid[h] == q:
                h += 1
            return _NP(k, h, k, h) if h - k <= 8 else None
        if self.qid[k] != -1 or not is_word(tok.words[k]):
            return None
        if (
            k + 2 < sb
            and tok.words[k + 1] == "."
            and tok.lower[k + 2] in _TLDS
            and tok.starts[k + 1] == tok.ends[k]
        ):
            return _NP(k, k + 3, k, k + 3)  # "faz.net", "bildblog.de"
        if tok.lower[k] in OUTLETS:
            return _NP(k, k + 1, k, k + 1)  # "taz", "dpa"
        h = k
        while h < sb and h - k < 2 and self._np_word(h) and not is_cap(tok.words[h]):
            if tok.lower[h] in self.lex.verbs or tok.lower[h] in self.lex.determiners:
                return None
            h += 1
        if h > k and h < sb and self._is_name_tok(h):
            np = self.np_right(h, sb)
            if np is not None and not np.pronoun:
                return _NP(k, np.b, k, np.b)
        return None

    def _speaks(self, c: _Cue) -> bool:
        """Is the subject of a speech-act verb someone who can speak (a person, a body, an outlet), and the
        verb active ("wurde … kritisiert" is not)?"""
        ref, np = c.speaker_ref, c.speaker
        if ref is None or np is None:
            return False
        if np.pronoun:
            return ref.kind != "anonymous" or True
        if self.lex.code == "de" and self._passive_de(c.a, max(0, c.a - 12)):
            return False
        if ref.kind in ("organization", "outlet", "anonymous"):
            return True
        words = self.tok.lower[np.a : np.b]
        return self._looks_named(np.a, np.b) or any(
            w in self.lex.titles or w in self.lex.anonymous_heads or w.endswith(_PERSON_SUFFIXES)
            for w in words
        )

    def _passive_de(self, i: int, sa: int) -> bool:
        """Is the German verb at ``i`` a passive participle ("wurde … zitiert von")?"""
        k = i - 1
        while k >= sa and i - k <= 10 and self.tok.words[k] not in ",;:":
            if self.tok.lower[k] in ("wurde", "wurden", "wird", "werden", "worden"):
                return True
            k -= 1
        return False

    def _speaker_for(self, cue: _Cue, sa: int, sb: int, cues: list[_Cue]) -> None:
        tok = self.tok
        if cue.kind == "imp" and cue.a > sa:
            # "In der Pressemitteilung des WWF heißt es", "Auf der Homepage hieß es": the document speaks
            k = sa
            if tok.lower[k] in ("in", "im", "auf", "laut", "on", "dans", "en"):
                np = self.np_right(k + 1, cue.a)
                if np is not None and np.b == cue.a and not np.pronoun:
                    cue.speaker = np
                    cue.speaker_ref = self._ref(np)
            cue.frame_a, cue.frame_b = cue.a, cue.b
            return
        if cue.kind == "verb":
            self._speaker_for_verb(cue, sa, sb, cues)
        elif cue.kind == "acc":
            np = self.np_right(cue.b, sb) or self._source_after(cue.b, sb)
            cue.speaker = np
            cue.frame_a, cue.frame_b = cue.a, (np.b if np else cue.b)
        elif cue.kind == "acc_post":
            j = cue.a - 1
            np = self.np_left(j, sa) if j >= sa else None
            if np is None and j >= sa and self.qid[j] != -1:
                # "dem „Figaro“ zufolge": a quoted name (with its article)
                q = self.qid[j]
                h = j
                while h - 1 >= sa and self.qid[h - 1] == q:
                    h -= 1
                if h - 1 >= sa and tok.lower[h - 1] in self.lex.determiners:
                    h -= 1
                np = _NP(h, j + 1, h, j + 1) if j + 1 - h <= 8 else None
            cue.speaker = np
            cue.frame_a, cue.frame_b = (np.a if np else cue.a), cue.b
        elif cue.kind == "report":
            noun = cue.b - 1
            np = None
            if cue.b < sb and tok.lower[cue.b] in (
                "der",
                "des",
                "von",
                "vom",
                "eines",
                "einer",
                "seines",
                "ihres",
            ):
                start = cue.b + (1 if tok.lower[cue.b] in ("von", "vom") else 0)
                np = self.np_right(start, sb)
            if (
                np is None
                and cue.b < sb
                and self._is_name_tok(cue.b)
                and tok.lower[noun] in self.lex.report_nouns
            ):
                np = self.np_right(cue.b, sb)  # "nach Auffassung Österreichs"
            low = tok.lower[noun]
            if np is None and cue.a + 1 < noun and tok.lower[cue.a + 1] in _POSSESSIVES:
                # "nach eigenen Angaben", "nach dessen Angaben": whoever the possessive stands for
                np = _NP(cue.a + 1, cue.b, cue.a + 1, cue.b, pronoun=True)
            if np is None:
                suffix = next(
                    (x for x in _REPORT_SUFFIXES if low.endswith(x) and len(low) > len(x) + 2), None
                )
                if suffix is not None:
                    # "nach Polizeiangaben", "laut Medienberichten": the source is in the compound
                    stem = tok.words[noun][: -len(suffix)]
                    if stem.endswith(("ungs", "heits", "keits", "ions", "täts")):
                        stem = stem[:-1]
                    np = _NP(noun, noun + 1, noun, noun + 1, name=stem.rstrip("-"))
            if np is None and cue.b < sb and tok.lower[cue.b] in ("der", "des", "eines", "einer"):
                q = self.qid[cue.b + 1] if cue.b + 1 < sb else -1
                if q != -1 and tok.words[cue.b + 1] in _OPENING:
                    # "nach einem Bericht der „Frankfurter Allgemeinen Zeitung“"
                    h = cue.b + 1
                    while h < sb and self.qid[h] == q:
                        h += 1
                    np = _NP(cue.b, h, cue.b, h)
            if np is None and cue.speaker is None and noun > cue.a:
                # "nach einer norwegischen Studie", "nach ersten Informationen": the report is the source
                np = _NP(cue.a + 1, cue.b, cue.a + 1, cue.b)
            if cue.speaker is not None and np is None:
                np = cue.speaker
            cue.speaker = np
            cue.frame_a, cue.frame_b = cue.a, (np.b if np else cue.b)
        elif cue.kind == "anaphor" and cue.speaker is not None:
            cue.frame_a, cue.frame_b = cue.a, cue.b
            cue.speaker_ref = self._ref(cue.speaker)
        else:
            cue.frame_a, cue.frame_b = cue.a, cue.b

    # ------------------------------------------------------------------ suggestions

    def run(self) -> list[Suggestion]:
        prev_speaker: tuple[int, SourceRef | None] | None = None
        self._prev_sent: tuple[int, int] | None = None
        for sa, sb in self.sents:
            prev_speaker = self._sentence(sa, sb, prev_speaker)
            self._prev_sent = (sa, sb)
        return self._finish()

    def _previous_sentence(self, c: _Cue, sa: int, sb: int) -> Suggestion | None:
        """ "Dies bestätigte der Parteivorsitzende am Abend.": the sentence before is what was confirmed."""
        tok = self.tok
        if self._prev_sent is None or c.speaker_ref is None or c.a != sa + 1:
            return None
        if tok.lower[sa] not in _DEMONSTRATIVE_START or not c.inverted:
            return None
        pa, pb = self._prev_sent
        if "\n" in self.text[tok.ends[pb - 1] : tok.starts[sa]] or any(
            self.qid[x] != -1 for x in range(pa, pb)
        ):
            return None
        span = self._clean_span(pa, pb)
        if span is None or len(self.text[span[0] : span[1]].split()) < 4:
            return None
        return Suggestion(
            Mention(span[0], span[1], self.text[span[0] : span[1]]), "indirect", self._cue_mention(c),
            c.speaker_ref, self._intermediaries(c), 0.6,
            self._reason("reported speech", c, "the sentence before"),
        )  # fmt: skip

    def _sentence_subject(self, sa: int, sb: int) -> _NP | None:
        """The first noun phrase of a sentence, after an introductory phrase closed by a comma."""
        tok = self.tok
        i = sa
        while i < sb and not is_word(tok.words[i]) and self.qid[i] == -1:
            i += 1
        np = self.np_right(i, sb)
        if np is None:
            k = i
            while k < sb and k - i < 10 and tok.words[k] != "," and self.qid[k] == -1:
                k += 1
            if k < sb and tok.words[k] == ",":
                np = self.np_right(k + 1, sb)
        return np

    def _sentence(
        self, sa: int, sb: int, prev_speaker: tuple[int, SourceRef | None] | None
    ) -> tuple[int, SourceRef | None] | None:
        lex = self.lex
        cues = self._cues(sa, sb)
        has_quote = (
            self.qid[sa] != -1 or self.qid[sb - 1] != -1 or any(self.qid[i] != -1 for i in range(sa, sb))
        )
        if not cues and not has_quote:
            # nothing to attribute: only remember a named subject (for later pronouns), and in German
            # a Konjunktiv sentence may continue the reported speech
            np = self._sentence_subject(sa, sb)
            if (
                np is not None
                and lex.code == "de"
                and (self.tok.lower[np.a] in _PREPOSITIONS or self.tok.lower[np.a] in _CONTRACTIONS)
            ):
                np = None
            if np is not None and not np.pronoun and self._looks_named(np.a, np.b):
                ref = self._ref(np)
                if ref is not None and ref.kind == "person":
                    self._remember(ref)
            if lex.konjunktiv:
                fresh = prev_speaker is None or self.tok.starts[sa] - prev_speaker[0] > 500
                if fresh and self._konjunktiv_i(sa, sb):
                    # Konjunktiv I on its own marks reported speech: the source is the last one named
                    last = next((r for p, r in reversed(self.persons) if p < self.tok.starts[sa]), None)
                    prev_speaker = (self.tok.starts[sa], last)
                if prev_speaker is not None:
                    s = self._konjunktiv(sa, sb, prev_speaker)
                    if s is not None:
                        self.out.append(s)
                        return (s.quote.end, prev_speaker[1])
            return prev_speaker
        for c in cues:
            self._speaker_for(c, sa, sb, cues)
        subject_np = self._sentence_subject(sa, sb)
        if (
            subject_np is not None
            and lex.code == "de"
            and (
                self.tok.lower[subject_np.a] in _PREPOSITIONS or self.tok.lower[subject_np.a] in _CONTRACTIONS
            )
        ):
            subject_np = None  # "Zum Handelsschluss lag er …": a prepositional phrase, not the subject
        subject_ref = self._ref(subject_np) if subject_np is not None and not subject_np.pronoun else None
        if subject_ref is not None and subject_ref.kind == "person" and subject_np is not None:
            if self._looks_named(subject_np.a, subject_np.b):
                self._remember(subject_ref)
        # speakers of verb cues first (they may take "according to" cues as hops)
        first_ref: SourceRef | None = None
        for c in cues:
            if c.kind == "verb" and c.speaker is not None:
                c.speaker_ref = self._ref(c.speaker)
                if c.speaker_ref is not None:
                    self._hops(c, sa, sb, cues)
                    first_ref = first_ref or c.speaker_ref
        for c in cues:
            if c.kind == "verb" and c.subject_from_sentence and c.speaker_ref is None:
                c.speaker_ref = first_ref or (
                    subject_ref if subject_ref is not None and subject_ref.kind != "outlet" else None
                )
                if c.speaker_ref is None and prev_speaker is not None and prev_speaker[1] is not None:
                    # "«…», añadió.": no subject after the quote (pro-drop), the last speaker goes on
                    x = c.a - 1
                    while x >= sa and self.tok.words[x] in ",–—":
                        x -= 1
                    if x >= sa and self.qid[x] != -1 and self.tok.starts[sa] - prev_speaker[0] <= 600:
                        c.speaker_ref = prev_speaker[1]
                if c.speaker_ref is None and (not lex.determiners or lex.code in ("es", "it", "pt")):
                    # pro-drop without an attribution before: the person last named as a subject, if near
                    x = c.a - 1
                    while x >= sa and self.tok.words[x] in ",–—―":
                        x -= 1
                    at = self.tok.starts[sa]
                    near = next((r for p, r in reversed(self.persons) if p < at), None)
                    if (
                        near is not None
                        and near.mention is not None
                        and at - near.mention.start <= 400
                        and x >= sa
                        and self.qid[x] != -1
                    ):
                        c.speaker_ref = near
                if c.speaker_ref is not None:
                    self._hops(c, sa, sb, cues)
            elif c.kind in ("acc", "acc_post", "report") and c.speaker is not None:
                c.speaker_ref = self._ref(c.speaker)
        for c in cues:
            self._remember(c.speaker_ref)
        attributed = [
            c
            for c in cues
            if c.kind != "acc_hop"
            and (
                c.speaker_ref is not None
                or c.kind in ("imp", "anaphor")
                or (c.speaker is not None and c.speaker.pronoun)
            )
        ]

        made: list[Suggestion] = []
        # ---- direct and partial quotes
        qids = sorted({self.qid[i] for i in range(sa, sb) if self.qid[i] != -1})
        for k in qids:
            q = self.quotes[k]
            s = self._direct(q, k, sa, sb, attributed, prev_speaker)
            if s is not None:
                made.append(s)
                for inner in self.inner:
                    if q.start <= inner.open and inner.close <= q.end:
                        n = self._nested(q, k, inner)
                        if n is not None:
                            self._nested_ids.add(id(n))
                            made.append(n)
        # ---- reported speech
        for c in attributed:
            if c.kind == "verb" and c.a == sa + 1 and self.tok.lower[sa] in _DEMONSTRATIVE_START:
                s = self._previous_sentence(c, sa, sb)
                if s is not None and not any(_overlap(s.quote, o.quote) for o in self.out):
                    made.append(s)
                continue
            s = self._indirect(c, sa, sb, attributed, qids)
            if s is not None and not any(_overlap(s.quote, m.quote) and not self._nests(s, m) for m in made):
                made.append(s)
        if lex.quote_in_clause and not any(m.type == "indirect" for m in made):
            # "Der Vorsitzende bestritt nach Angaben der Agentur Xinhua den Einsatz …": the verb has
            # no reported clause, so the whole sentence is what the "nach Angaben"/"laut" source reports
            hop = next((c for c in cues if c.kind == "acc_hop" and c.speaker is not None), None)
            span = self._clean_span(sa, sb) if hop is not None else None
            if hop is not None and span is not None and "\n" not in self.text[span[0] : span[1]]:
                hop.speaker_ref = self._ref(hop.speaker) if hop.speaker else None
                if hop.speaker_ref is not None:
                    s = Suggestion(
                        Mention(span[0], span[1], self.text[span[0] : span[1]]), "indirect",
                        self._cue_mention(hop), hop.speaker_ref, (), 0.6,
                        self._reason("reported speech", hop, "in the sentence"),
                    )  # fmt: skip
                    if len(s.quote.text.split()) >= 4 and all(self._nests(s, m) for m in made):
                        made.append(s)
        if lex.speech_acts and not any(m.type == "indirect" for m in made):
            # "Müntefering sprach von einem Riesenerfolg.": a speech act reported without its words
            act = next(
                (
                    c
                    for c in attributed
                    if c.kind == "verb"
                    and c.speaker_ref is not None
                    and c.speaker is not None
                    and self.tok.lower[c.a] in _SPEECH_ACTS
                    and not c.inverted
                    and self._speaks(c)
                    and not (
                        # "X nannte die Lage „dramatisch“": the quoted words are the quote, not the sentence
                        self.tok.lower[c.a] in _NAMING
                        and any(m.type == "partial" and m.cue is not None for m in made)
                    )
                ),
                None,
            )
            span = self._clean_span(sa, sb) if act is not None else None
            if act is not None and span is not None and "\n" not in self.text[span[0] : span[1]]:
                s = Suggestion(
                    Mention(span[0], span[1], self.text[span[0] : span[1]]), "indirect",
                    self._cue_mention(act), act.speaker_ref, self._intermediaries(act), 0.5,
                    self._reason("speech act", act, "in the sentence"),
                )  # fmt: skip
                if len(s.quote.text.split()) >= 4 and all(self._nests(s, m) for m in made):
                    made.append(s)
        if (
            lex.quote_in_clause
            and prev_speaker is not None
            and not cues
            and all(m.cue is None and m.type != "indirect" for m in made)
        ):
            # a Konjunktiv sentence with quoted words in it: the sentence is reported speech too
            s = self._konjunktiv(sa, sb, prev_speaker)
            if s is not None and all(self._nests(s, m) for m in made):
                made.append(s)
        self.out.extend(made)
        if not made:
            # "Rzecznik rządu Paweł Grodzicki zaprzeczył tym doniesieniom.": the next quote may be his
            named = next(
                (
                    c.speaker_ref
                    for c in cues
                    if c.kind == "verb"
                    and c.speaker_ref is not None
                    and c.speaker_ref.local is None
                    and c.speaker_ref.kind in ("person", "organization", "anonymous")
                ),
                None,
            )
            if named is not None and named.mention is not None:
                prev_speaker = (self.tok.ends[sb - 1], named)
        for s in made:
            if s.speaker is not None and s.speaker.mention is not None:
                prev_speaker = (s.quote.end, s.speaker)
            elif s.speaker is None and s.type == "indirect" and lex.konjunktiv:
                prev_speaker = (s.quote.end, None)  # reported speech without a source goes on in Konjunktiv
        return prev_speaker

    def _clean_span(self, a: int, b: int) -> tuple[int, int] | None:
        """Character span of tokens [a, b) without punctuation at the ends (quotation marks are kept)."""
        tok = self.tok
        while a < b and not is_word(tok.words[a]) and tok.words[a] not in MARK_CHARS:
            a += 1
        while b > a and not is_word(tok.words[b - 1]) and tok.words[b - 1] not in MARK_CHARS:
            b -= 1
        if b - a < 1:
            return None
        return tok.starts[a], tok.ends[b - 1]

    def _direct(
        self,
        q: Quoted,
        k: int,
        sa: int,
        sb: int,
        cues: list[_Cue],
        prev_speaker: tuple[int, SourceRef | None] | None,
    ) -> Suggestion | None:
        tok = self.tok
        qa = tok.index_at(q.open)
        qb = qa
        while qb < len(tok) and tok.starts[qb] < q.close:
            qb += 1
        nwords = sum(1 for x in range(qa, qb) if is_word(tok.words[x]))
        quote = Mention(q.start, q.end, self.text[q.start : q.end])
        # after: the attribution starts right after the closing mark
        after = None
        x = qb
        while x < sb and x - qb < 3 and not is_word(tok.words[x]) and self.qid[x] == -1:
            if tok.words[x] in ".!?":
                break
            x += 1
        while (
            x < sb and tok.lower[x] in self.lex.auxiliaries and x - qb < 4 and self.lex.code in ("fr", "es")
        ):
            x += 1  # "a déclaré", "ha dicho"
        if x < sb and self.lex.code == "es" and tok.lower[x] in ("le", "les", "me", "nos", "se"):
            x += 1  # "—le preguntó un periodista"
        for c in cues:
            if self.lex.code == "de" and c.kind == "verb" and not c.inverted and c.speaker is not None:
                continue  # „…“ + subject + verb is not German for an attribution
            if c.frame_a == x or (c.frame_a <= x <= c.a and c.a - x <= 2 and c.frame_a >= qb):
                after = c
                break
        # before: the nearest attribution left of the opening mark, in this sentence
        before = None
        for c in cues:
            if c.frame_b <= qa and c.frame_a >= sa:
                if all(self.qid[y] == -1 or self.qid[y] == k for y in range(c.frame_b, qa)):
                    before = c
        lead = [y for y in range(sa, qa) if self.qid[y] == -1 and is_word(tok.words[y])]
        prev_tok = tok.words[qa - 1] if qa - 1 >= sa else ""
        prev_low = tok.lower[qa - 1] if qa - 1 >= sa else ""
        if after is not None and (not lead or prev_tok in ",:;" or prev_tok in MARK_CHARS or before is None):
            cue = after
            how = "after"
        elif before is not None:
            cue = before
            how = "before"
        elif after is not None:
            cue = after
            how = "after"
        else:
            cue = None
            how = "floating"
            # a quoted fragment in a sentence whose attribution is further away ("… ‘as soon as we can’ and
            # reaffirmed that …")
            near = [c for c in cues if c.kind == "verb" and c.speaker_ref is not None]
            titled = (
                self.lex.code != "de" and nwords <= 3 and is_cap(self.text[q.start]) and not q.dash
            )  # «Северному вестнику», „Kurier Gospodarczy”: a name (only its first word capitalised)
            if (
                near
                and (nwords >= 2 or self._word_quote(q, qa))
                and not self._name_like(qa, qb)
                and not titled
            ):
                cue = min(near, key=lambda c: min(abs(c.a - qa), abs(c.a - qb)))
                how = "in the sentence"
        sentence_like = nwords >= 3 and (q.dash or is_cap(self.text[q.start]) or self.text[q.start] in "…[")
        if cue is None:
            return self._unattributed(q, qa, qb, sa, sb, nwords, sentence_like, prev_speaker)
        # type: direct when the quote is a clause of its own, partial when it sits inside one
        starts_clause = (
            not lead
            or prev_tok in ",:;"
            or prev_low in self.lex.complementizers
            or (
                qa - 1 >= sa
                and cue.frame_a <= qa - 1 < cue.frame_b
                and (is_cap(self.text[q.start]) or nwords >= 5)
            )
            or prev_tok in "–—"
        )
        trail = [y for y in range(qb, sb) if self.qid[y] == -1 and is_word(tok.words[y])]
        ends_clause = how == "after" or not trail or (after is not None and trail[0] >= after.frame_a)
        if not ends_clause and trail:
            # words after the quote up to a comma belong to the same clause ("agreed ‘in principle’ to meet")
            ends_clause = (tok.words[qb] in ",;" or tok.lower[qb] in _COORD) if qb < sb else True
        typ: QuoteTypeName = "direct" if starts_clause and ends_clause else "partial"
        if typ == "partial" and nwords >= 2 and self._name_like(qa, qb) and qa - 1 >= sa:
            word_before = tok.lower[qa - 1]
            if (
                word_before in self.lex.determiners
                or word_before in _PREPOSITIONS
                or is_cap(tok.words[qa - 1])
            ):
                return None  # "des „National Hurricane Centre“", "in der „New York Times“"
        if (
            typ == "partial"
            and nwords < 2
            and not (
                self._word_quote(q, qa)
                or tok.lower[cue.a] in _NAMING
                or (qa > 0 and tok.lower[qa - 1] in self.lex.indefinite)
            )
        ):
            return None
        ref = cue.speaker_ref
        if how == "in the sentence":
            typ = "partial"
        conf = 0.9 if how == "after" else 0.85 if typ == "direct" else 0.7 if how == "before" else 0.6
        if ref is not None and ref.local is not None:
            conf -= 0.1
        if cue.kind == "imp":
            conf -= 0.2
        reason = self._reason("quotation marks", cue, how)
        return Suggestion(
            quote, typ, self._cue_mention(cue), ref, self._intermediaries(cue), round(conf, 2), reason
        )

    def _word_quote(self, q: Quoted, qa: int) -> bool:
        """A one-word quote worth suggesting: a lower-case word ("„fahrlässig“") or one after "as"/"als"."""
        return not is_cap(self.text[q.start]) or (
            qa > 0 and self.tok.lower[qa - 1] in ("als", "as", "comme", "como")
        )

    def _name_like(self, qa: int, qb: int) -> bool:
        """Quoted words that look like a title or a name: "Berliner Zeitung", "Fokker 100", "Piper at the
        Gates of Dawn", "Kampagne für ein Freies Tibet" (capitalised words and function words only, no
        sentence punctuation)."""
        ws = [w for w in self.tok.words[qa:qb] if is_word(w)]
        if not ws or len(ws) > 12:
            return False
        if any(w in ".!?;:" for w in self.tok.words[qa + 1 : qb - 1]) and len(ws) > 4:
            return False
        caps = sum(1 for w in ws if is_cap(w) or w[:1].isdigit())
        return caps > 0 and all(is_cap(w) or w[:1].isdigit() or w.lower() in _FUNCTION_WORDS for w in ws)

    def _clause_speaker(self, a: int, b: int) -> _NP | None:
        """Who speaks in the clause [a, b) that introduces a quote with a colon: a subject pronoun,
        else the first named phrase, else the first noun phrase."""
        tok, lex = self.tok, self.lex
        for x in range(a, b):
            if self.qid[x] == -1 and tok.lower[x] in lex.pronouns and tok.lower[x] not in ("it", "es"):
                return _NP(x, x + 1, x, x + 1, pronoun=True)
        x = a
        while x < b:
            if self.qid[x] == -1 and self._is_name_tok(x):
                np = self.np_right(x, b)
                if np is not None and self._looks_named(np.a, np.b):
                    return np
                if np is not None:
                    x = max(x + 1, np.b)
                    continue
            x += 1
        return self._sentence_subject(a, b)

    def _unattributed(
        self,
        q: Quoted,
        qa: int,
        qb: int,
        sa: int,
        sb: int,
        nwords: int,
        sentence_like: bool,
        prev_speaker: tuple[int, SourceRef | None] | None,
    ) -> Suggestion | None:
        """A quoted passage without a cue: after a colon (the clause's subject speaks), or long enough to be
        speech on its own (the last speaker, if recent)."""
        tok = self.tok
        quote = Mention(q.start, q.end, self.text[q.start : q.end])
        lead = [y for y in range(sa, qa) if self.qid[y] == -1 and is_word(tok.words[y])]
        trail = [y for y in range(qb, sb) if self.qid[y] == -1 and is_word(tok.words[y])]
        if qa - 1 >= sa and tok.words[qa - 1] == ":" and lead and (nwords >= 2 or self._word_quote(q, qa)):
            np = self._clause_speaker(sa, qa - 1)
            ref = self._ref(np) if np is not None else None
            if ref is not None:
                self._remember(ref)
                return Suggestion(
                    quote, "direct" if sentence_like else "partial", None, ref, (), 0.6,
                    "quotation marks after a colon + the subject of the clause before",
                )  # fmt: skip
        if (
            not lead
            and not trail
            and nwords >= 2
            and is_cap(self.text[q.start])
            and prev_speaker is not None
            and 0 <= q.start - prev_speaker[0] <= 300
            and "\n\n" not in self.text[prev_speaker[0] : q.start]
        ):
            # a short sentence in quotation marks right after an attributed one: "“I lost everything.”"
            return Suggestion(
                quote, "direct", None, prev_speaker[1], (), 0.55, "quotation marks: the same speaker"
            )
        if not (nwords >= 6 or (sentence_like and nwords >= 4)):
            frag = self._fragment(q, qa, sa, nwords)
            if frag is not None:
                return frag
            if (
                self.lex.code == "de"
                and nwords >= 2
                and self.text[q.start].islower()
                and not (qa - 1 >= sa and tok.lower[qa - 1].startswith(("genannt", "sogenannt")))
            ):
                # quoted words that are not a name (lower case first) are somebody's words: the last speaker
                ref = (
                    prev_speaker[1]
                    if prev_speaker is not None and q.start - prev_speaker[0] <= 1500
                    else None
                )
                return Suggestion(quote, "partial", None, ref, (), 0.35, "quoted words, no attribution")
            if nwords < 2 or self._name_like(qa, qb) or q.dash:
                return None
            # a quoted phrase in reported speech that goes on in Konjunktiv ("Damit seien „der Kurs …“")
            if (
                self.lex.konjunktiv
                and prev_speaker is not None
                and q.start - prev_speaker[0] <= 400
                and any(self.qid[y] == -1 and tok.lower[y] in self.lex.konjunktiv for y in range(sa, sb))
            ):
                return Suggestion(
                    quote,
                    "partial",
                    None,
                    prev_speaker[1],
                    (),
                    0.4,
                    "quoted words in reported speech (Konjunktiv)",
                )
            return None
        if self._name_like(qa, qb):
            return None
        ref = prev_speaker[1] if prev_speaker is not None and q.start - prev_speaker[0] <= 1500 else None
        typ: QuoteTypeName = "direct" if not lead or sentence_like else "partial"
        if ref is None and lead:
            np = self._clause_speaker(sa, qa)
            if np is not None and (np.pronoun or self._looks_named(np.a, np.b)):
                ref = self._ref(np)
            if self._name_like(qa, qb) or not (sentence_like and nwords >= 6):
                return None
            if not any(tok.words[y] in ",.!?" for y in range(qa + 1, qb)):
                return None
            return Suggestion(quote, typ, None, ref, (), 0.45, "quotation marks + a speaker in the sentence")
        if not lead and not trail:
            return Suggestion(
                quote, "direct", None, ref, (), 0.55, "quotation marks, no attribution: the last speaker"
            )
        return Suggestion(quote, typ, None, ref, (), 0.45, "long quotation, no attribution: the last speaker")

    def _fragment(self, q: Quoted, qa: int, sa: int, nwords: int) -> Suggestion | None:
        """Quoted words inside a sentence without a reporting verb, whose subject can speak: "Der Minister
        charakterisierte das Opfer als ein „Beispiel taktlosen Verhaltens“", "… hatte die Resolution „trotz
        einiger Vorbehalte“ angenommen". Only words that are not a name or a title: lower-case first."""
        tok = self.tok
        qb = tok.index_at(q.close)
        if not self.text[q.start].isalpha() or q.dash:
            return None
        if self.text[q.start].isupper() and (self.lex.code != "de" or nwords < 2 or self._name_like(qa, qb)):
            return None
        if qa - 1 >= sa and tok.lower[qa - 1].startswith(("genannt", "sogenannt")):
            return None  # "so genannte „…“": scare quotes
        np = self._sentence_subject(sa, qa)
        if np is None or np.pronoun or tok.lower[np.a] in _PREPOSITIONS:
            return None
        ref = self._ref(np)
        if ref is None:
            return None
        c = _Cue("verb", np.b, np.b, speaker=np, speaker_ref=ref)
        if not self._speaks(c):
            return None
        quote = Mention(q.start, q.end, self.text[q.start : q.end])
        return Suggestion(quote, "partial", None, ref, (), 0.4, "quoted words + the subject of the sentence")

    def _nested(self, outer: Quoted, k: int, inner: Quoted) -> Suggestion | None:
        """A quote inside a quote, introduced there by a reporting verb and a colon or comma: "“… the prime
        minister stood up and said, ‘This coalition is stable.’ …”", "„… premier mówił: «Nie zamkniemy …»“".
        The speaker is the subject of that verb inside the outer quote."""
        tok, lex = self.tok, self.lex
        ia = tok.index_at(inner.open)
        oa = tok.index_at(outer.start)
        if ia - 1 < oa or tok.words[ia - 1] not in ",:":
            return None
        nwords = len(self.text[inner.start : inner.end].split())
        if nwords < 3:
            return None
        # the clause before, inside the outer quote: back to a sentence end or the outer opening
        x = ia - 2
        while x >= oa and tok.words[x] not in ".!?;" and tok.words[x] not in MARK_CHARS and ia - x < 16:
            x -= 1
        ca = x + 1
        verb = next((y for y in range(ia - 2, ca - 1, -1) if tok.lower[y] in lex.verbs), None)
        if verb is None:
            return None
        # read the outer quote's words as ordinary text while looking for the subject
        ib = tok.index_at(inner.close)
        saved = self.qid[ca:ib]
        for y in range(ca, ib):
            self.qid[y] = -1 if y < ia else k
        try:
            j = self._skip_left(verb - 1, ca)
            np = None
            if j >= ca and tok.lower[j] not in _COORD:
                np = self._left_subject(j, ca)
            y = ca
            while np is None and y < verb:
                # "On Monday the prime minister stood up in parliament and said, ‘…’": the clause's subject
                if tok.lower[y] in _PREPOSITIONS or tok.lower[y] in lex.prepositions:
                    pp = self.np_right(y + 1, verb)
                    y = pp.b if pp is not None else y + 2
                    continue
                np = self.np_right(y, verb) if is_word(tok.words[y]) else None
                y += 1
            ref = self._ref(np) if np is not None else None
        finally:
            self.qid[ca:ib] = saved
        quote = Mention(inner.start, inner.end, self.text[inner.start : inner.end])
        cue = self._mention(verb, verb + 1)
        return Suggestion(
            quote, "direct", cue, ref, (), 0.5, f"quotation marks inside a quote + '{cue.text}' before it"
        )

    def _nests(self, outer: Suggestion, inner: Suggestion) -> bool:
        """May ``outer`` (reported speech) be suggested around ``inner`` (a quoted fragment of it)?

        Only where the language's news convention marks both (German: „… sei „…“ …“): the clause must
        hold the whole fragment and at least two more words. A quote inside a quote with its own
        attribution (:meth:`_nested`) always may."""
        if id(inner) in self._nested_ids:
            return outer.quote.start <= inner.quote.start and inner.quote.end <= outer.quote.end
        if not self.lex.quote_in_clause or outer.type != "indirect" or inner.type == "indirect":
            return False
        o, i = outer.quote, inner.quote
        if not (o.start <= i.start and i.end <= o.end):
            return False
        rest = self.text[o.start : i.start] + " " + self.text[i.end : o.end]
        return sum(1 for w in rest.split() if any(ch.isalnum() for ch in w)) >= 2

    def _cue_mention(self, cue: _Cue) -> Mention:
        return self._mention(cue.a, cue.b)

    def _intermediaries(self, cue: _Cue) -> tuple[Intermediary, ...]:
        out = []
        seen: set[tuple[int, int]] = set()
        for np, rel in cue.hops:
            if (np.a, np.b) in seen:
                continue
            seen.add((np.a, np.b))
            ref = self._ref(np)
            if ref is not None and (cue.speaker_ref is None or ref.name != cue.speaker_ref.name):
                out.append(Intermediary(ref, rel))
        return tuple(out)

    def _reason(self, what: str, cue: _Cue, how: str) -> str:
        cue_text = " ".join(self.tok.words[cue.a : cue.b])
        sp = cue.speaker_ref
        if sp is None:
            who = "no speaker"
        elif sp.local is not None:
            who = f"'{sp.local.text}' = {sp.name}"
        else:
            who = "name " + ("after" if cue.inverted else "before") + " the cue"
        where = {"after": "after the quote", "before": "before the quote"}.get(how, how)
        return f"{what} + '{cue_text}' {where} + {who}"

    def _indirect(self, c: _Cue, sa: int, sb: int, cues: list[_Cue], qids: list[int]) -> Suggestion | None:
        tok, lex = self.tok, self.lex
        if (
            c.kind == "verb"
            and tok.lower[c.a] not in lex.clause_verbs
            and tok.lower[c.a] not in lex.post_only
            and c.b - c.a == 1
        ):
            if not (c.frame_a > sa and tok.words[c.frame_a - 1] == ","):
                return None
        end = sb
        while end > sa and not is_word(tok.words[end - 1]) and tok.words[end - 1] not in MARK_CHARS:
            end -= 1
        others = [o for o in cues if o is not c]
        # before: ", said X." / ", so X." / ", according to X." / ", hieß es." at the end of the sentence
        fb = c.frame_b
        if c.kind == "verb" and tok.lower[c.a] in lex.separable:
            while fb < end and tok.lower[fb] not in lex.separable[tok.lower[c.a]] and fb - c.frame_b < 6:
                fb += 1
            if fb < end:
                fb += 1
        tail = [y for y in range(fb, end) if is_word(tok.words[y])]
        comma_before = c.frame_a - 1 >= sa and tok.words[c.frame_a - 1] in ",;–—"
        wie = c.frame_a - 1 >= sa and tok.lower[c.frame_a - 1] in ("wie", "as", "comme", "como")
        if wie and c.frame_a - 2 >= sa and tok.words[c.frame_a - 2] == ",":
            comma_before = True
        post = c.kind == "verb" and tok.lower[c.a] in lex.post_only
        # German puts the verb first in an attribution after the words ("…, sagte der Minister"); a subject
        # first after a comma is a relative clause ("…, der sagte"), unless "wie" opens it
        v2_ok = lex.code != "de" or c.kind != "verb" or c.inverted or wie or c.speaker is None
        if (
            comma_before
            and (len(tail) <= 3 or post)
            and c.kind != "report"
            and v2_ok
            or (c.kind == "imp" and comma_before)
        ):
            stop = c.frame_a - 1 - (1 if wie else 0)
            start = sa
            for o in others:
                if o.frame_b <= stop and o.frame_b > start and o.kind != "acc_hop":
                    start = o.frame_b
            if wie and start == sa:
                pass
            span = self._content(start, stop)
            return self._make_indirect(span, c, "before", qids)
        if wie and (c.frame_a - 1 == sa or (c.frame_a - 2 >= sa and tok.words[c.frame_a - 2] != ",")):
            # "Wie die Polizei mitteilte, wurden …"
            k = fb
            while k < end and tok.words[k] != ",":
                k += 1
            if k < end:
                return self._make_indirect(
                    self._content(k + 1, self._next_frame(k + 1, end, others)), c, "after", qids
                )
            return None
        # after: "said (that) …", "sagte, …", "laut X …", "According to X, …"
        k = fb
        if c.kind == "verb":
            if k < end and tok.words[k] in ",:":
                k += 1
            elif (
                k < end
                and tok.lower[k] in lex.complementizers
                or (k < end and tok.lower[k][:3] in ("qu'", "qu’"))
            ):
                pass
            else:
                # step over a short phrase to the complementizer or comma: "said on Friday that"
                if tok.lower[c.a] in ("told", "tells", "tell") and not c.hops and k < end:
                    obj = self.np_right(k, end)  # "told reporters the …", "told the committee that …"
                    if obj is not None and not obj.pronoun:
                        k = obj.b
                    elif not is_cap(tok.words[k]) and tok.lower[k] not in lex.determiners:
                        k += 1
                j = k
                if k >= end:
                    return None
                if lex.code != "de" and not (
                    tok.lower[k] in lex.prepositions
                    or (tok.lower[c.a] in lex.told and c.hops)
                    or tok.lower[c.a] in lex.told
                ):
                    j = end
                while (
                    j < end
                    and j - k < 8
                    and tok.lower[j] not in lex.complementizers
                    and tok.words[j] not in ",:"
                ):
                    if tok.lower[j] in lex.verbs or self.qid[j] != -1:
                        break
                    j += 1
                if j < end and (tok.lower[j] in lex.complementizers or tok.words[j] in ",:"):
                    k = j + (1 if tok.words[j] in ",:" else 0)
                elif lex.code == "en" and tok.lower[c.a] in (
                    "said",
                    "says",
                    "say",
                    "added",
                    "adds",
                    "told",
                    "tells",
                ):
                    k = self._after_pps(k, end)
                    if not (
                        k < end
                        and (
                            tok.lower[k] in lex.determiners
                            or tok.lower[k] in lex.pronouns
                            or is_cap(tok.words[k])
                            or tok.lower[k] in ("there", "it", "we", "i", "you")
                        )
                    ):
                        return None
                elif (
                    lex.code == "en"
                    and tok.lower[c.a] in ("said", "says", "say", "added", "adds", "told", "tells")
                    and k < end
                    and (
                        tok.lower[k] in lex.determiners
                        or tok.lower[k] in lex.pronouns
                        or is_cap(tok.words[k])
                        or tok.lower[k] in ("there", "it", "we", "i", "you")
                    )
                ):
                    pass
                else:
                    return None
            if k < end and tok.lower[k] in lex.complementizers:
                k += 1
        else:
            if k < end and tok.words[k] == ",":
                k += 1
            if c.frame_a > sa + 1 and not comma_before:
                # "X, according to Y, …" in the middle: the quote is the whole sentence around it
                pass
        stop = self._next_frame(k, end, others)
        if (
            c.kind == "verb"
            and k < stop
            and not (tok.lower[k - 1] in lex.complementizers or tok.lower[k - 1][:3] in ("qu'", "qu’"))
        ):
            x = c.a - 1  # the quote right before the verb (not before its subject: "„Ener1“, X, sagte, …")
            while x >= sa and (
                tok.words[x] in ",–—" or tok.lower[x] in lex.auxiliaries or _FR_INVERTED.match(tok.lower[x])
            ):
                x -= 1  # "», a-t-elle déclaré devant l’hôpital, où …"
            qx = self.quotes[self.qid[x]] if x >= sa and self.qid[x] != -1 else None
            if qx is not None and (x < c.a - 1 or qx.dash or self.text[qx.end - 1] in ",.!?…"):
                # "«…», dijo Sánchez, en una rueda de prensa", "« … », a confié X, sage-femme depuis …": the
                # attribution of a direct quote goes on with circumstances, not with reported words
                return None
        span = self._content(k, stop)
        if c.kind == "anaphor" and tok.lower[c.a] == "demnach" and c.a > sa and tok.words[c.a - 1] != ",":
            span = self._content(sa, stop)  # "X erreichte demnach …": the whole sentence is reported
        if c.kind in ("acc", "acc_post", "report") and c.frame_a > sa:
            lead = self._content(sa, c.frame_a)
            if lead is not None and (span is None or (lead[1] - lead[0]) > (span[1] - span[0])):
                span = lead
            if span is not None and len(self.text[span[0] : span[1]].split()) < 3:
                whole = self._content(sa, stop)  # "Sie entstammen Zeitungsberichten zufolge … Familien"
                span = whole if whole is not None and whole[0] < tok.starts[c.a] else span
        return self._make_indirect(span, c, "after", qids)

    def _after_pps(self, k: int, end: int) -> int:
        """Step over short prepositional phrases after a verb: "said in a statement on Friday (it …)"."""
        tok, lex = self.tok, self.lex
        for _ in range(3):
            if k + 1 >= end or tok.lower[k] not in lex.prepositions or self.qid[k] != -1:
                break
            j = k + 1
            if tok.lower[j] in lex.determiners:
                j += 1
            while j < end and tok.lower[j] not in lex.pronouns and self._np_word(j) and j - k <= 4:
                if tok.lower[j] in lex.prepositions or tok.lower[j] in lex.complementizers:
                    break
                j += 1
                if j < end and (tok.lower[j] in lex.pronouns or tok.lower[j] in lex.determiners):
                    break
            k = j
        return k

    def _next_frame(self, k: int, end: int, others: list[_Cue]) -> int:
        """Where the content after ``k`` stops: at the comma before the next attribution."""
        stop = end
        for o in others:
            if o.frame_a > k and o.frame_a < stop and o.kind != "acc_hop":
                x = o.frame_a - 1
                while x > k and self.tok.lower[x] in _COORD | {"wie", "as"}:
                    x -= 1
                if self.tok.words[x] in ",;" or o.frame_a - 1 == x:
                    stop = x if self.tok.words[x] in ",;" else o.frame_a
        return stop

    def _content(self, a: int, b: int) -> tuple[int, int] | None:
        """The reported words in tokens [a, b), cut at an aside introduced by a spaced dash."""
        for x in range(a + 1, b):
            if self.tok.words[x] in "–—" and self.qid[x] == -1 and x - a >= 3:
                b = x
                break
        return self._clean_span(a, b) if b > a else None

    def _make_indirect(
        self, span: tuple[int, int] | None, c: _Cue, how: str, qids: list[int]
    ) -> Suggestion | None:
        if span is None:
            return None
        s, e = span
        text = self.text[s:e]
        nwords = sum(1 for w in text.split() if any(ch.isalnum() for ch in w))
        if nwords < 3:
            return None
        if "\n" in text:
            return None
        conf = {"verb": 0.75, "acc": 0.7, "acc_post": 0.7, "report": 0.65, "imp": 0.5}.get(c.kind, 0.6)
        ref = c.speaker_ref
        if ref is not None and ref.local is not None:
            conf -= 0.05
        return Suggestion(
            Mention(s, e, text),
            "indirect",
            self._cue_mention(c),
            ref,
            self._intermediaries(c),
            round(conf, 2),
            self._reason("reported speech", c, how),
        )

    def _konjunktiv_i(self, sa: int, sb: int) -> bool:
        """Does the sentence have a Konjunktiv I verb outside quotation marks ("sei", "habe", "könne")?"""
        tok = self.tok
        return any(tok.lower[i] in _KONJUNKTIV_I and self.qid[i] == -1 for i in range(sa, sb))

    def _reportative(self, sa: int, sb: int) -> bool:
        """German "soll … haben/sein" ("Er soll Geld genommen haben"): hearsay, someone's words reported."""
        tok = self.tok
        end = sb
        while end > sa and not is_word(tok.words[end - 1]):
            end -= 1
        if end - sa < 4 or tok.lower[end - 1] not in ("haben", "sein"):
            return False
        return any(tok.lower[i] in ("soll", "sollen") for i in range(sa, end - 1))

    def _konjunktiv(self, sa: int, sb: int, prev: tuple[int, SourceRef | None]) -> Suggestion | None:
        tok, lex = self.tok, self.lex
        if tok.starts[sa] - prev[0] > 500:
            return None
        if not any(tok.lower[i] in lex.konjunktiv and self.qid[i] == -1 for i in range(sa, sb)):
            if not self._reportative(sa, sb):
                return None
        span = self._clean_span(sa, sb)
        if span is None:
            return None
        s, e = span
        text = self.text[s:e]
        if len(text.split()) < 4 or "\n" in text:
            return None
        return Suggestion(
            Mention(s, e, text),
            "indirect",
            None,
            prev[1],
            (),
            0.45,
            "Konjunktiv I continues the reported speech",
        )

    def _finish(self) -> list[Suggestion]:
        out = sorted(self.out, key=lambda s: (s.quote.start, -s.quote.end))
        kept: list[Suggestion] = []
        for s in out:
            if kept and _overlap(kept[-1].quote, s.quote) and not self._nests(kept[-1], s):
                if s.confidence > kept[-1].confidence:
                    kept[-1] = s
                continue
            kept.append(s)
        return kept


_TRIGGERS: dict[int, frozenset[str]] = {}


def _triggers(lex: Lexicon) -> frozenset[str]:
    """Every word that can start a cue in ``lex``: the cue scanner skips all others at once."""
    found = _TRIGGERS.get(id(lex))
    if found is None:
        first = {p[0] for ps in (lex.impersonal, lex.according, lex.verb_phrases) for p in ps}
        found = frozenset(
            first | lex.verbs | lex.according_post | lex.report_preps | lex.post_only | lex.anaphoric
        )
        _TRIGGERS[id(lex)] = found
    return found


_PHRASE_INDEX: dict[int, tuple[tuple[tuple[str, ...], ...], dict[str, tuple[tuple[str, ...], ...]]]] = {}


def _phrase_index(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by their first word, longest first (cached per phrase list; the lists are module constants)."""
    hit = _PHRASE_INDEX.get(id(phrases))
    if hit is not None and hit[0] is phrases:
        return hit[1]
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in sorted(phrases, key=len, reverse=True):
        out.setdefault(p[0], []).append(p)
    index = {k: tuple(v) for k, v in out.items()}
    _PHRASE_INDEX[id(phrases)] = (phrases, index)
    return index


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end

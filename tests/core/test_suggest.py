"""The rule suggester (annotator.suggest): every construction of issue 9, per language."""

from __future__ import annotations

import pytest

from annotator.suggest import (
    KnownSource,
    RuleSuggester,
    Suggestion,
    guess_language,
    suggest,
    suggestions_json,
)
from annotator.suggest.sources import guess_kind


def find(sugg: list[Suggestion], words: str) -> Suggestion:
    """The suggestion whose quote contains ``words``."""
    hits = [s for s in sugg if words in s.quote.text]
    assert len(hits) == 1, f"{words!r} in {[s.quote.text for s in sugg]}"
    return hits[0]


def speaker(s: Suggestion) -> str | None:
    return s.speaker.name if s.speaker else None


def chain(s: Suggestion) -> list[tuple[str, str]]:
    return [(h.source.name, h.relation) for h in s.intermediaries]


def check_offsets(text: str, sugg: list[Suggestion]) -> None:
    for s in sugg:
        spans = [
            s.quote,
            s.cue,
            s.speaker.mention if s.speaker else None,
            s.speaker.local if s.speaker else None,
        ]
        spans += [h.source.mention for h in s.intermediaries]
        for m in spans:
            if m is not None:
                assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text


# ---------------------------------------------------------------------------------- English


def test_en_attribution_after_before_and_in_the_middle() -> None:
    text = (
        "Secretary of State Marco Rubio left Istanbul early.\n\n"
        "“We came because we were told there could be a meeting,” he said. “That was not going to happen,” "
        "he added.\n\n"
        "Prime Minister Keir Starmer said: “This is clearly unacceptable.”\n\n"
        "“We are ready,” Starmer said, “but not at any price.”"
    )
    sugg = suggest(text, "en")
    check_offsets(text, sugg)
    first = find(sugg, "We came because")
    assert (
        first.type == "direct" and speaker(first) == "Marco Rubio" and first.cue and first.cue.text == "said"
    )
    assert first.speaker and first.speaker.local and first.speaker.local.text == "he"
    assert speaker(find(sugg, "not going to happen")) == "Marco Rubio"
    before = find(sugg, "clearly unacceptable")
    assert before.type == "direct" and speaker(before) == "Keir Starmer"
    # "…," Starmer said, "…": both halves, same speaker
    assert speaker(find(sugg, "We are ready")) == "Keir Starmer"
    assert speaker(find(sugg, "but not at any price")) == "Keir Starmer"


def test_en_partial_quotes_and_reported_speech() -> None:
    text = (
        "British Prime Minister Keir Starmer called the Russian position ‘clearly unacceptable,’ while "
        "European Commission President Ursula von der Leyen confirmed that the EU is working on new "
        "sanctions. "
        "Defence Minister Rustem Umerov said the priority must be a meeting at the presidential level."
    )
    sugg = suggest(text, "en")
    part = find(sugg, "clearly unacceptable")
    assert (
        part.type == "partial" and speaker(part) == "Keir Starmer" and part.cue and part.cue.text == "called"
    )
    that = find(sugg, "the EU is working on new sanctions")
    assert that.type == "indirect" and speaker(that) == "Ursula von der Leyen"
    assert that.quote.text == "the EU is working on new sanctions"
    bare = find(sugg, "the priority must be")
    assert bare.type == "indirect" and speaker(bare) == "Rustem Umerov"


def test_en_according_to_and_the_moscow_chain() -> None:
    text = (
        "Ukraine expressed its willingness to agree to a ceasefire, according to Heorhii Tykhyi, spokesman "
        "for the Ukrainian Foreign Ministry. But he accused the Russian delegation of having a ‘limited "
        "mandate’.\n\nFurthermore, Moscow made it clear, according to a Turkish official quoted by CNN, that "
        "it would only accept a truce if Ukraine withdrew."
    )
    sugg = suggest(text, "en")
    acc = find(sugg, "willingness to agree")
    assert (
        speaker(acc) == "Heorhii Tykhyi"
        and acc.type == "indirect"
        and acc.cue
        and acc.cue.text == "according to"
    )
    assert speaker(find(sugg, "limited mandate")) == "Heorhii Tykhyi"  # "he" → the last named person
    moscow = find(sugg, "only accept a truce")
    assert moscow.quote.text == "it would only accept a truce if Ukraine withdrew"
    assert speaker(moscow) == "Moscow" and moscow.speaker and moscow.speaker.kind == "organization"
    assert chain(moscow) == [("Turkish official", "according to"), ("CNN", "quoted by")]
    assert [h.source.kind for h in moscow.intermediaries] == ["anonymous", "outlet"]
    assert moscow.cue and moscow.cue.text == "made it clear"
    start = text.index("According to officials") if "According to officials" in text else None
    assert start is None
    front = suggest("According to the police, three people were injured in the blast.", "en")
    assert [(s.quote.text, speaker(s)) for s in front] == [
        ("three people were injured in the blast", "police")
    ]


def test_en_intermediaries_and_anonymous_sources() -> None:
    text = (
        "A senior political source told Reuters the coalition would survive the vote. "
        "The chief executive, John Miller, said in an interview with the BBC that the damage was limited. "
        "“We will rebuild,” Miller told CNN."
    )
    sugg = suggest(text, "en")
    told = find(sugg, "the coalition would survive")
    assert speaker(told) == "senior political source" and told.speaker and told.speaker.kind == "anonymous"
    assert told.speaker.mention and told.speaker.mention.text == "A senior political source"
    assert chain(told) == [("Reuters", "told")]
    interview = find(sugg, "the damage was limited")
    assert speaker(interview) == "John Miller" and chain(interview) == [("BBC", "told")]
    direct = find(sugg, "We will rebuild")
    assert speaker(direct) == "John Miller" and chain(direct) == [("CNN", "told")]


def test_en_floating_quote_and_multi_paragraph_quote() -> None:
    text = (
        "Mayor Anne Hidalgo said the works would be finished in May.\n\n"
        "“The first paragraph of her statement runs on without a closing mark.\n\n"
        "“And the second one ends it,” she said.\n\n"
        "“We have done everything we could to keep the city moving.”"
    )
    sugg = suggest(text, "en")
    long_ = find(sugg, "The first paragraph")
    assert "And the second one ends it," in long_.quote.text and speaker(long_) == "Anne Hidalgo"
    floating = find(sugg, "We have done everything")
    assert speaker(floating) == "Anne Hidalgo" and floating.cue is None and floating.confidence < 0.7


def test_en_scare_quotes_and_titles_are_not_suggested() -> None:
    text = "The so-called “Eagle” landed. She reads “The Guardian” and the “New York Times” every day."
    assert suggest(text, "en") == []


# ---------------------------------------------------------------------------------- German


def test_de_direct_inverted_subject_and_konjunktiv() -> None:
    text = (
        "Bundeskanzlerin Angela Merkel äußerte sich am Montag in Berlin.\n\n"
        "„Wir sind mit dem Ergebnis zufrieden“, sagte der Minister. "
        "„Das ist ein guter Tag“, so Merkel.\n\n"
        "Merkel sagte, die Lage sei ernst. Man müsse jetzt schnell handeln und die Kosten im Blick behalten."
    )
    sugg = suggest(text, "de")
    check_offsets(text, sugg)
    d = find(sugg, "Wir sind mit dem Ergebnis")
    assert d.type == "direct" and speaker(d) == "Minister" and d.cue and d.cue.text == "sagte"
    assert d.speaker and d.speaker.mention and d.speaker.mention.text == "Minister"
    assert speaker(find(sugg, "Das ist ein guter Tag")) == "Angela Merkel"
    ind = find(sugg, "die Lage sei ernst")
    assert (
        ind.type == "indirect" and speaker(ind) == "Angela Merkel" and ind.quote.text == "die Lage sei ernst"
    )
    cont = find(sugg, "Man müsse jetzt schnell handeln")
    assert cont.type == "indirect" and speaker(cont) == "Angela Merkel" and cont.cue is None


def test_de_laut_zufolge_nach_angaben() -> None:
    text = (
        "Laut Polizei wurden bei dem Unfall drei Menschen verletzt. "
        "Der Staatsanwaltschaft zufolge war der Fahrer betrunken. "
        "Nach Angaben des Innenministeriums wird die Straße am Abend wieder freigegeben."
    )
    sugg = suggest(text, "de")
    laut = find(sugg, "drei Menschen verletzt")
    assert speaker(laut) == "Polizei" and laut.cue and laut.cue.text == "Laut"
    assert speaker(find(sugg, "der Fahrer betrunken")) == "Staatsanwaltschaft"
    nach = find(sugg, "wird die Straße am Abend")
    assert speaker(nach) == "Innenministeriums" and nach.speaker and nach.speaker.kind == "organization"


def test_de_intermediaries_and_anonymous_sources() -> None:
    text = (
        "Ministerpräsident Stephan Weil äußerte sich zurückhaltend. Die Regierung werde die Pläne prüfen, "
        "sagte er dem NDR. "
        "Ein Sprecher des Ministeriums erklärte, die Zahlen seien noch vorläufig. "
        "Die Polizei teilte mit, dass niemand verletzt worden sei."
    )
    sugg = suggest(text, "de")
    ndr = find(sugg, "Die Regierung werde die Pläne prüfen")
    assert speaker(ndr) == "Stephan Weil" and chain(ndr) == [("NDR", "told")]
    assert ndr.speaker and ndr.speaker.local and ndr.speaker.local.text == "er"
    anon = find(sugg, "die Zahlen seien noch vorläufig")
    assert anon.speaker and anon.speaker.kind == "anonymous"
    assert anon.speaker.mention and anon.speaker.mention.text == "Ein Sprecher des Ministeriums"
    mit = find(sugg, "niemand verletzt worden sei")
    assert speaker(mit) == "Polizei" and mit.cue and mit.cue.text == "teilte"


def test_de_laut_agency_then_speaker() -> None:
    text = "Laut AFP sagte der Außenminister Jean Dupont, die Gespräche würden fortgesetzt."
    (s,) = suggest(text, "de")
    assert s.quote.text == "die Gespräche würden fortgesetzt"
    assert speaker(s) == "Jean Dupont" and chain(s) == [("AFP", "according to")]


# ---------------------------------------------------------------------------------- French, Spanish


def test_fr_constructions() -> None:
    text = (
        "« Nous sommes prêts à négocier », a déclaré le ministre Jean Martin. "
        "Selon une source diplomatique, les discussions reprendront lundi. "
        "Le président Emmanuel Macron a affirmé que la France soutiendrait l'accord. "
        "« C'est une étape importante », a-t-il ajouté."
    )
    sugg = suggest(text, "fr")
    check_offsets(text, sugg)
    d = find(sugg, "Nous sommes prêts")
    assert d.type == "direct" and speaker(d) == "Jean Martin"
    selon = find(sugg, "les discussions reprendront lundi")
    assert selon.speaker and selon.speaker.kind == "anonymous" and speaker(selon) == "source diplomatique"
    que = find(sugg, "la France soutiendrait")
    assert que.type == "indirect" and speaker(que) == "Emmanuel Macron"
    inv = find(sugg, "C'est une étape importante")
    assert (
        speaker(inv) == "Emmanuel Macron"
        and inv.speaker
        and inv.speaker.local
        and inv.speaker.local.text == "il"
    )


def test_es_constructions() -> None:
    text = (
        "«Estamos dispuestos a negociar», dijo el ministro Pedro Sánchez. "
        "Según fuentes diplomáticas, las conversaciones se reanudarán el lunes. "
        "La portavoz Isabel Rodríguez afirmó que el Gobierno apoyará el acuerdo en una entrevista con la BBC."
    )
    sugg = suggest(text, "es")
    assert speaker(find(sugg, "Estamos dispuestos")) == "Pedro Sánchez"
    segun = find(sugg, "las conversaciones se reanudarán")
    assert segun.speaker and segun.speaker.kind == "anonymous"
    que = find(sugg, "el Gobierno apoyará el acuerdo")
    assert speaker(que) == "Isabel Rodríguez" and que.type == "indirect"


# ---------------------------------------------------------------------------------- Russian, Polish, Czech


def test_ru_pl_cs_quotation_conventions() -> None:
    pl = "– To jest wielki sukces – mówił premier Donald Tusk.\n„Nie ustąpimy” – powiedział minister."
    sugg = suggest(pl, "pl")
    check_offsets(pl, sugg)
    dash = find(sugg, "To jest wielki sukces")
    assert speaker(dash) == "Donald Tusk" and dash.cue and dash.cue.text == "mówił"
    assert speaker(find(sugg, "Nie ustąpimy")) == "minister"
    ru = "«Мы готовы к переговорам», – заявил министр Сергей Лавров."
    (r,) = suggest(ru, "ru")
    assert r.quote.text == "Мы готовы к переговорам" and speaker(r) == "Сергей Лавров"
    cs = "„Jsme připraveni jednat,“ řekl ministr Jan Lipavský."
    (c,) = suggest(cs, "cs")
    assert c.quote.text == "Jsme připraveni jednat," and speaker(c) == "Jan Lipavský"


# ---------------------------------------------------------------------------------- nasty input


def test_emoji_before_the_quote_offsets_are_code_points() -> None:
    text = "🇺🇦🎉 “We are ready,” Zelensky said."
    (s,) = suggest(text, "en")
    assert s.quote.start == text.index("We") == 5  # five code points before it (UTF-16: eight units)
    assert text[s.quote.start : s.quote.end] == s.quote.text == "We are ready,"
    assert (
        s.speaker
        and s.speaker.mention
        and text[s.speaker.mention.start : s.speaker.mention.end] == "Zelensky"
    )


def test_unbalanced_marks_do_not_swallow_the_article() -> None:
    text = "He said “we are ready and left.\n\n“This one is fine,” Rubio said.\n\nThe end ” of it."
    sugg = suggest(text, "en")
    assert [s.quote.text for s in sugg] == ["This one is fine,"]


def test_quote_inside_a_quote_gives_one_suggestion() -> None:
    text = "“He told me ‘never again’ and left,” Rubio said."
    (s,) = suggest(text, "en")
    assert s.quote.text == "He told me ‘never again’ and left," and speaker(s) == "Rubio"


# ---------------------------------------------------------------------------------- sources


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("Reuters", "outlet"),
        ("the BBC", "outlet"),
        ("die Nachrichtenagentur dpa", "outlet"),
        ("Moscow", "organization"),
        ("the Kremlin", "organization"),
        ("the Foreign Ministry", "organization"),
        ("die Polizei", "organization"),
        ("a senior political source", "anonymous"),
        ("ein Sprecher des Ministeriums", "anonymous"),
        ("une source diplomatique", "anonymous"),
        ("Marco Rubio", "person"),
    ],
)
def test_kind_guess(words: str, kind: str) -> None:
    assert guess_kind(words) == kind


def test_registry_matching_by_name_alias_and_kind() -> None:
    registry = [
        KnownSource(1, "Volodymyr Zelensky", "person", ("Zelenskyy",)),
        KnownSource(2, "Tagesspiegel", "outlet", ()),
    ]
    text = "“We are ready,” Zelenskyy said. “Not now,” Zelensky told Tagesspiegel."
    sugg = RuleSuggester().suggest(text, "en", registry)
    a, b = sugg
    assert a.speaker and a.speaker.known_id == 1 and a.speaker.name == "Volodymyr Zelensky"
    assert b.speaker and b.speaker.known_id == 1  # by surname
    assert b.intermediaries and b.intermediaries[0].source.known_id == 2
    assert b.intermediaries[0].source.kind == "outlet"


def test_fingerprint_is_stable_and_depends_on_span_and_speaker() -> None:
    text = "“We are ready,” Rubio said. “We are ready,” Vance said."
    a1, b1 = suggest(text, "en")
    a2, _ = suggest(text, "en")
    assert a1.fingerprint == a2.fingerprint and a1.fingerprint != b1.fingerprint


def test_json_shape() -> None:
    text = "Marco Rubio left early. “We came,” he said, according to Reuters."
    (item,) = suggestions_json(suggest(text, "en"))
    assert set(item) == {"quote", "type", "cue", "speaker", "intermediaries", "confidence", "reason"}
    assert item["quote"] == {"start": 25, "end": 33, "text": "We came,"}
    assert item["type"] == "direct" and item["cue"]["text"] == "said"
    # a pronoun resolved to an earlier name: the span of that name
    assert item["speaker"] == {"start": 0, "end": 11, "text": "Marco Rubio"}
    assert item["intermediaries"] == [
        {"start": text.index("Reuters"), "end": len(text) - 1, "text": "Reuters", "relation": "according to"}
    ]
    assert 0 <= item["confidence"] <= 1 and "said" in item["reason"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The minister said that the talks were over and the delegation went home.", "en"),
        ("Der Minister sagte, dass die Gespräche beendet seien und die Delegation abreise.", "de"),
        ("Le ministre a déclaré que les discussions étaient terminées pour la délégation.", "fr"),
        ("El ministro dijo que las conversaciones habían terminado para la delegación.", "es"),
        ("Министр заявил, что переговоры завершены.", "ru"),
        ("Minister powiedział, że rozmowy się zakończyły i że delegacja wraca.", "pl"),
        ("Ministr řekl, že jednání skončila a že se delegace vrací domů.", "cs"),
    ],
)
def test_language_guess(text: str, code: str) -> None:
    assert guess_language(text) == code


def test_fr_es_pronoun_sources_institutions_and_pro_drop() -> None:
    fr = (
        "« Nous ne laisserons personne sur le bord de la route », a déclaré le Premier ministre "
        "Michel Barnier. "
        "Selon lui, les premiers versements interviendront avant la fin du mois. "
        "Le ministère de l'Agriculture a indiqué que les détails seraient publiés jeudi."
    )
    sugg = suggest(fr, "fr")
    selon = find(sugg, "les premiers versements")
    assert speaker(selon) == "Michel Barnier" and selon.speaker and selon.speaker.local
    assert selon.speaker.local.text == "lui"
    ministry = find(sugg, "les détails seraient publiés")
    assert ministry.speaker and ministry.speaker.kind == "organization"
    assert ministry.speaker.mention and ministry.speaker.mention.text == "ministère de l'Agriculture"
    es = (
        "Su presidente, Pedro Barato, afirmó que el sector necesita medidas estructurales. "
        "«Hay que ir mucho más lejos», añadió en declaraciones a la agencia Efe."
    )
    sugg = suggest(es, "es")
    prodrop = find(sugg, "Hay que ir mucho más lejos")
    assert speaker(prodrop) == "Pedro Barato" and chain(prodrop) == [("agencia Efe", "told")]


def test_en_officials_and_told_reporters() -> None:
    text = (
        "Officials said on Tuesday that the death toll had risen to 12. "
        "Governor Tom Reyes, who toured the area by helicopter, said the state would request federal aid. "
        "Analysts called the target “extremely optimistic”."
    )
    sugg = suggest(text, "en")
    officials = find(sugg, "the death toll had risen")
    assert officials.speaker and officials.speaker.kind == "anonymous" and speaker(officials) == "Officials"
    assert speaker(find(sugg, "the state would request")) == "Tom Reyes"
    analysts = find(sugg, "extremely optimistic")
    assert analysts.type == "partial" and speaker(analysts) == "Analysts"
    pps = suggest("The company said in a statement on Wednesday it would restore power by Sunday.", "en")
    assert [(s.quote.text, speaker(s)) for s in pps] == [("it would restore power by Sunday", "company")]


def test_pl_ru_es_dash_quotes_and_names_later_in_the_attribution() -> None:
    pl = (
        "Rzecznik rządu Paweł Grodzicki zaprzeczył tym doniesieniom. – Harmonogram został uzgodniony "
        "ze związkami – powiedział w rozmowie z Radiem Zachód.\n\n"
        "– To decyzja trudna, ale nieunikniona – mówił na konferencji prasowej wiceminister przemysłu "
        "Tomasz Kręglicki.\n\n"
        "– Co trzeci mieszkaniec pracuje w kopalni – dodała.\n\n"
        "Źródło w rządzie powiedziało PAP, że premier osobiście zgodził się na przyspieszenie.\n\n"
        "Kopalnia zostanie zamknięta do końca 2027 r. – poinformowało w poniedziałek Ministerstwo Przemysłu."
    )
    sugg = suggest(pl, "pl")
    check_offsets(pl, sugg)
    mid = find(sugg, "Harmonogram został uzgodniony")  # a dialogue dash inside the paragraph
    assert mid.type == "direct" and speaker(mid) == "Paweł Grodzicki"  # pro-drop: the subject before
    assert speaker(find(sugg, "To decyzja trudna")) == "Tomasz Kręglicki"  # past the place, the title
    assert speaker(find(sugg, "Co trzeci mieszkaniec")) == "Tomasz Kręglicki"  # "dodała": the last one
    told = find(sugg, "premier osobiście zgodził się")
    assert speaker(told) != "PAP" and chain(told) == [("PAP", "told")]
    ministry = find(sugg, "Kopalnia zostanie zamknięta")
    assert speaker(ministry) == "Ministerstwo Przemysłu"
    # a dash after a sentence without an attribution after it is not speech
    assert suggest("Było zimno. – Nikt nie przyszedł.", "pl") == []
    ru = (
        "«Ремонтные бригады работают круглосуточно», — сказал журналистам губернатор Зареченской "
        "области Игорь Белозёров."
    )
    (r,) = suggest(ru, "ru")
    assert speaker(r) == "Игорь Белозёров"
    es = "«Vamos a recurrir la decisión», dijo en rueda de prensa el ministro Juan Pérez."
    (e,) = suggest(es, "es")
    assert speaker(e) == "Juan Pérez"


def test_fr_es_attribution_after_the_quote_with_auxiliary_title_and_apposition() -> None:
    fr = (
        "« Nous sommes venus avec des propositions concrètes », a déclaré à la presse le ministre "
        "valmorien des Affaires étrangères, Aurélien Castaigne. « Ce n’est pas suffisant. »\n\n"
        "« Nous ne pouvons plus garantir la sécurité », a expliqué le directeur de l’agence, "
        "Bertrand Lestrade, lors d’une conférence de presse."
    )
    sugg = suggest(fr, "fr")
    check_offsets(fr, sugg)
    assert speaker(find(sugg, "Nous sommes venus")) == "Aurélien Castaigne"
    assert speaker(find(sugg, "Ce n’est pas suffisant")) == "Aurélien Castaigne"  # the same speaker goes on
    assert speaker(find(sugg, "garantir la sécurité")) == "Bertrand Lestrade"
    # the circumstances after the attribution of a direct quote are not reported speech
    assert not [s for s in sugg if "conférence de presse" in s.quote.text]
    es = (
        "El alcalde Rodrigo Almagro Vélez habló en la plaza. "
        "“Que hable el pueblo”, dijo Almagro en un acto en la plaza de Armas."
    )
    sugg = suggest(es, "es")
    assert speaker(find(sugg, "Que hable el pueblo")) == "Rodrigo Almagro Vélez"  # the first of two surnames
    assert [s.quote.text for s in sugg] == ["Que hable el pueblo"]


def test_de_fragments_nach_angaben_sentences_and_speech_acts() -> None:
    text = (
        "Der libanesische Informationsminister Ghasi Aridi hatte die Resolution „trotz einiger Vorbehalte“ "
        "angenommen. "
        "Die Stadt hat die so genannte „grüne Welle“ eingeführt. "
        "Der Vorsitzende der Regionalregierung bestritt nach Angaben der Nachrichtenagentur Xinhua den "
        "Einsatz von Waffen gegen Demonstranten. "
        "Nach Grupps Meinung werden im Größenwahn Entscheidungen getroffen. "
        "Gleichzeitig empfahl der ehemalige Umweltminister Jürgen Trittin den Umstieg auf die Bahn."
    )
    sugg = suggest(text, "de")
    check_offsets(text, sugg)
    frag = find(sugg, "trotz einiger Vorbehalte")
    assert frag.type == "partial" and speaker(frag) == "Ghasi Aridi"
    assert not [s for s in sugg if "grüne Welle" in s.quote.text]  # scare quotes
    xinhua = find(sugg, "bestritt")
    assert xinhua.type == "indirect" and speaker(xinhua) == "Nachrichtenagentur Xinhua"
    assert speaker(find(sugg, "im Größenwahn")) == "Grupp"
    # an inverted subject after a sentence adverb is not taken for a speech act (too unreliable)
    assert not [s for s in sugg if "Umstieg" in s.quote.text]
    acts = suggest("Der ehemalige Umweltminister Jürgen Trittin empfahl den Umstieg auf die Bahn.", "de")
    assert [(s.type, speaker(s)) for s in acts] == [("indirect", "Jürgen Trittin")]


def test_quote_inside_a_quote_with_its_own_attribution_and_title_resolution() -> None:
    en = (
        "Prime Minister Lukas Brandvold spoke on Monday.\n\n"
        "\"On Monday the prime minister stood up in parliament and said, 'This coalition is stable and it "
        "will stay stable.' By Tuesday his minister was packing her boxes,\" Nyqvist said."
    )
    sugg = suggest(en, "en")
    check_offsets(en, sugg)
    (inner,) = [s for s in sugg if s.quote.text.startswith("This coalition is stable")]
    (outer,) = [s for s in sugg if s.quote.text.startswith("On Monday the prime minister")]
    assert speaker(outer) == "Nyqvist"
    assert inner.type == "direct" and speaker(inner) == "Lukas Brandvold"  # "the prime minister" = the name
    assert inner.speaker and inner.speaker.local and inner.speaker.local.text == "prime minister"
    pl = (
        "„Rząd obiecywał nam wiele. Jeszcze w marcu premier mówił w Katowicach: «Nie zamkniemy żadnej "
        "kopalni bez porozumienia». Gdzie jest to porozumienie?” – pytał Wyrwa."
    )
    sugg = suggest(pl, "pl")
    (inner_pl,) = [s for s in sugg if s.quote.text.startswith("Nie zamkniemy")]
    assert speaker(inner_pl) == "premier" and speaker(find(sugg, "Rząd obiecywał")) == "Wyrwa"
    # a quoted word inside a quote without its own attribution is not a quote of its own
    (one,) = suggest("“He told me ‘never again’ and left,” Rubio said.", "en")
    assert one.quote.text.startswith("He told me")


def test_es_dialogue_dashes_and_an_attribution_between_dashes_inside_a_quote() -> None:
    es = (
        "La alcaldesa de Torrealba, Pilar Quintanilla, habló ayer. «Los pueblos pequeños llevamos dos años "
        "ahorrando agua —afirmó—, mientras los campos de golf siguen regando cada mañana».\n\n"
        "—¿Teme una crisis institucional? —le preguntó un periodista.\n"
    )
    sugg = suggest(es, "es")
    check_offsets(es, sugg)
    first = find(sugg, "Los pueblos pequeños")
    second = find(sugg, "mientras los campos")
    assert first is not second and "afirmó" not in first.quote.text + second.quote.text
    assert speaker(first) == speaker(second) == "Pilar Quintanilla"
    question = find(sugg, "¿Teme una crisis institucional?")
    assert question.type == "direct" and speaker(question) == "periodista"


def test_de_prepositional_first_position_and_wonach() -> None:
    text = (
        "Zur Begründung gab Präsident Hamid Karsai an, sein Land müsse sich verteidigen können. "
        "Von der Leyen sagte, die Frauen seien für die Arbeit geeignet. "
        "Es gab einen Bericht der Nachrichtenagentur „Interfax“, wonach der Oppositionsführer festgenommen "
        "worden sei."
    )
    sugg = suggest(text, "de")
    check_offsets(text, sugg)
    assert speaker(find(sugg, "sein Land müsse")) == "Hamid Karsai"
    assert speaker(find(sugg, "die Frauen seien")) == "Von der Leyen"
    wonach = find(sugg, "der Oppositionsführer festgenommen")
    assert wonach.speaker and wonach.speaker.mention and "Interfax" in wonach.speaker.mention.text


def test_de_speech_acts_are_not_naming_or_confirming() -> None:
    text = (
        "Der Minister nannte die Lage „äußerst dramatisch und gefährlich“. "
        "Der Naturschutzbund kündigte eine Klage gegen die Verordnung an. "
        "Die Ministerin bestätigte den Bericht der Zeitung am Abend."
    )
    sugg = suggest(text, "de")
    naming = find(sugg, "äußerst dramatisch")
    assert naming.type == "partial" and naming.quote.text == "äußerst dramatisch und gefährlich"
    assert not [s for s in sugg if "Klage" in s.quote.text or "Bericht der Zeitung" in s.quote.text]


def test_de_subject_with_a_quoted_name_or_a_number_before_the_verb() -> None:
    text = (
        "Der Geschäftsführer von „Ener1“, Charles Gassenheimer, sagte, das Investment sei vereinbar. "
        "Der 85-jährige Joseph Ratzinger sagte, er spüre, dass er nicht mehr genügend Kraft habe. "
        "Auch der frühere Chef der Garden, Mohsen Rezai, erreichte demnach nur wenige Stimmen."
    )
    sugg = suggest(text, "de")
    assert speaker(find(sugg, "das Investment sei")) == "Charles Gassenheimer"
    assert speaker(find(sugg, "er spüre")) == "Joseph Ratzinger"
    assert find(sugg, "erreichte demnach").type == "indirect"  # "demnach" inside the sentence too


def test_de_lower_case_quoted_words_without_attribution_go_to_the_last_speaker() -> None:
    text = (
        "Innenminister Thomas Berger sagte, die Lage sei ernst. "
        "Die Grenze soll „mit allen Mitteln“ geschützt werden. "
        "Die Stadt hat die so genannte „grüne Welle“ eingeführt. Das Wort „Ruck“ fiel nicht."
    )
    sugg = suggest(text, "de")
    words = find(sugg, "mit allen Mitteln")
    assert words.type == "partial" and speaker(words) == "Thomas Berger"
    assert not [s for s in sugg if "grüne Welle" in s.quote.text or s.quote.text == "Ruck"]

"""Per-language word lists for the rule suggester: reporting verbs, "according to" forms, pronouns, titles.

The lists are for news in general (wire copy, newspapers, online news), not for particular
articles. Everything is lower case; the suggester matches case-folded tokens. Multi-word entries
are tuples of tokens as :func:`annotator.suggest.text.tokenize` splits them.

Languages with a full lexicon: English (``en``), German (``de``), French (``fr``), Spanish (``es``).
Russian, Polish and Czech have their quotation-mark conventions (see :mod:`.marks`) and a short list
of the commonest reporting verbs, enough for "– … – mówił premier" and "«…», – заявил министр".
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


def _phrases(*items: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(i.split()) for i in items)


@dataclass(frozen=True)
class Lexicon:
    code: str
    verbs: frozenset[str]
    """Finite forms and participles of reporting verbs (said, sagte, a déclaré → "déclaré", dijo)."""
    clause_verbs: frozenset[str]
    """The verbs of ``verbs`` after which reported speech may follow without "that" ("said the talks…")."""
    participles: frozenset[str]
    """Forms whose subject is the sentence's subject: "saying", "adding", "calling", "insistant"."""
    complementizers: frozenset[str]
    """"that", "dass", "que": reported speech follows."""
    according: tuple[tuple[str, ...], ...]
    """Prepositions that name a source before it: "according to X", "laut X", "selon X", "según X"."""
    according_post: frozenset[str] = frozenset()
    """Postpositions: "X zufolge"."""
    report_nouns: frozenset[str] = frozenset()
    """Nouns after "nach"/"d'après"-like prepositions that make them cues: "nach Angaben der Polizei"."""
    report_preps: frozenset[str] = frozenset()
    """Prepositions that are cues when a report noun follows: "nach", "aus"."""
    told: frozenset[str] = frozenset()
    """Verbs whose object is the addressee: "told Reuters", "sagte dem NDR" → an intermediary."""
    quoted_by: tuple[tuple[str, ...], ...] = ()
    """"quoted by X", "zitiert von X", "cité par X": an intermediary after the speaker."""
    interview: tuple[tuple[str, ...], ...] = ()
    """"in an interview with X": an intermediary."""
    passive_by: frozenset[str] = frozenset()
    """The agent preposition of a passive cue ("described by X", "zitiert von X")."""
    pronouns: dict[str, str] = field(default_factory=dict)
    """Subject pronouns → "person" or "group" (resolved to the last named speaker)."""
    determiners: frozenset[str] = frozenset()
    indefinite: frozenset[str] = frozenset()
    name_particles: frozenset[str] = frozenset()
    """Lower-case words inside names: "von der Leyen", "de Gaulle", "bin Salman"."""
    titles: frozenset[str] = frozenset()
    """Words of titles and roles before a name: "President", "Minister", "Bundeskanzlerin"."""
    anonymous_heads: frozenset[str] = frozenset()
    """Head nouns of anonymous-source descriptors: "source", "official", "Sprecher", "diplomate"."""
    org_heads: frozenset[str] = frozenset()
    """Head nouns of institutions: "ministry", "police", "Regierung", "ministère"."""
    impersonal: tuple[tuple[str, ...], ...] = ()
    """Attributions without a source: "hieß es", "it was reported"."""
    auxiliaries: frozenset[str] = frozenset()
    separable: dict[str, frozenset[str]] = field(default_factory=dict)
    """German separable verbs: finite form → particles that must follow in the clause ("teilte … mit")."""
    post_only: frozenset[str] = frozenset()
    """Cues that attribute only after the quoted words: German "so" ("„…“, so Merkel")."""
    konjunktiv: frozenset[str] = frozenset()
    """Subjunctive forms that mark reported speech on their own (German Konjunktiv I)."""
    function_words: frozenset[str] = frozenset()
    """Frequent words used to guess the language."""
    stop_caps: frozenset[str] = frozenset()
    """Capitalised words that are never a speaker: weekdays, months, sentence adverbs."""
    verb_phrases: tuple[tuple[str, ...], ...] = ()
    """Multi-word reporting verbs: "made it clear", "pointed out", "dejó claro"."""
    prepositions: frozenset[str] = frozenset()
    """Prepositions that may stand between a reporting verb and "that": "said on Friday that"."""
    anaphoric: frozenset[str] = frozenset()
    """Words that point back to a source just named: German "Demnach …", ", wonach …"."""
    speech_acts: bool = False
    """Suggest a sentence that reports a speech act without its words ("X sprach von einem Erfolg") as
    reported speech (German news convention)."""
    quote_in_clause: bool = False
    """Suggest reported speech and the quoted fragment inside it both (German news convention), not the
    fragment alone."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "verbs", self.verbs | self.clause_verbs | self.participles)


EN = Lexicon(
    code="en",
    verbs=_words(
        """
        says said saying tells told telling adds added adding stresses stressed stressing insists insisted
        insisting reiterates reiterated reiterating confirms confirmed warns warned warning explains
        explained explaining announces announced notes noted noting argues argued arguing claims claimed
        claiming states stated declares declared writes wrote written tweets tweeted posted asks asked
        replies replied responds responded admits admitted acknowledges acknowledged denies denied suggests
        suggested predicts predicted promises promised vows vowed urges urged describes described accuses
        accused criticised criticized praised emphasised emphasized points pointed recalls recalled remarked
        observed conceded continued concluded believes believed thinks thought fears feared estimates
        estimated reports reported calling called calls mentioned asserted contended maintained alleged
        alleged reaffirmed reaffirms repeated repeats agreed complained complains boasted joked quipped
        testified disclosed revealed reveals signalled signaled indicated indicates hinted cautioned
        countered retorted lamented proclaimed shouted demanded demands
        """
    ),
    clause_verbs=_words(
        """
        say says said tell tells told add adds added stress stresses stressed insist insists insisted
        reiterated reiterate reiterates confirm confirms confirmed warn warns warned explain explains
        explained announce announces announced notes noted argue argues argued claims claimed states stated
        declare declares declared wrote writes tweeted admit admits admitted acknowledge acknowledged
        acknowledges deny denies denied suggest suggests suggested predict predicts predicted promised
        promises vow vowed vows believe believes believed think thinks thought feared estimated reported
        reports emphasised emphasized emphasises emphasizes recalled remarked observed conceded concluded
        asserted contended maintained alleged reaffirmed reaffirms repeated complained revealed disclosed
        indicated cautioned countered testified
        """
    ),
    participles=_words(
        "saying adding stressing insisting noting arguing explaining warning calling claiming"
    ),
    complementizers=_words("that"),
    according=_phrases("according to", "as reported by", "cited by"),
    told=_words("told tells tell telling"),
    quoted_by=_phrases("quoted by", "cited by", "as quoted by", "reported by"),
    interview=_phrases(
        "in an interview with",
        "in an interview on",
        "in a interview with",
        "in comments to",
        "in remarks to",
        "speaking to",
        "talking to",
    ),
    passive_by=_words("by"),
    pronouns={
        "he": "person",
        "she": "person",
        "they": "group",
        "it": "group",
        "him": "person",
        "her": "person",
        "them": "group",
    },
    determiners=_words("the a an this these those its his her their our"),
    indefinite=_words("a an one some several two three"),
    name_particles=_words("von van der den de du da di la le al el bin ibn ben dos das del y of"),
    titles=_words(
        """
        negotiator official officials analyst adviser advisor aide minister envoy executive manager
        economist researcher scientist lawyer prosecutor founder owner coach captain editor
        president vice prime minister secretary state foreign defence defense interior finance deputy first
        chief spokesman spokeswoman spokesperson chancellor senator sen rep representative governor mayor
        general gen lieutenant colonel col admiral commander ambassador envoy negotiator director ceo chairman
        chairwoman chair head leader king queen prince princess pope cardinal bishop judge justice attorney
        professor prof dr mr mrs ms miss sir lord lady dame us u.s. uk eu un nato former acting
        """
    ),
    anonymous_heads=_words(
        """
        source sources official officials diplomat diplomats insider insiders aide aides person people
        spokesman spokeswoman spokesperson analyst analysts observer observers witness witnesses resident
        residents expert experts member members adviser advisers advisor advisors employee employees
        """
    ),
    org_heads=_words(
        """
        ministry department government kremlin police army military office council commission committee
        agency court parliament senate congress administration company firm bank party union federation
        authorities authority service services spokesperson's embassy white house organisation organization
        association federation foundation institute university group
        """
    ),
    impersonal=_phrases("it was reported", "it is reported", "it was said", "reportedly"),
    auxiliaries=_words("has have had is was were will would could also has also had also later then"),
    function_words=_words("the and of to in that is was for with on said he it as by from at"),
    verb_phrases=_phrases(
        "made it clear",
        "make it clear",
        "makes it clear",
        "made clear",
        "pointed out",
        "points out",
        "went on to say",
        "goes on to say",
        "expressed concern",
        "expressed hope",
        "expressed confidence",
        "raised concerns",
        "voiced concern",
    ),
    prepositions=_words("on in at during after before from to with at via through late early"),
    stop_caps=_words(
        """
        monday tuesday wednesday thursday friday saturday sunday january february march april may june july
        august september october november december however but and the this that these those then later
        meanwhile furthermore moreover also yet still earlier today yesterday tomorrow on in at for after
        before as when while if despite although though since so thus therefore indeed instead by with from
        to of under over among about against within without during through into across like unlike
        what why how who where which there here it we i you they he she his her its our their
        """
    ),
)

DE = Lexicon(
    code="de",
    verbs=_words(
        """
        sagte sagten sagt sagen gesagt sagend erklärte erklärten erklärt erklären betonte betonten betont
        meinte meinten meint gemeint ergänzte ergänzt ergänzten fügte teilte teilten mitteilte mitteilten
        mitgeteilt berichtete berichteten berichtet berichten schrieb schrieben schreibt geschrieben warnte
        warnten warnt gewarnt forderte forderten fordert gefordert kritisierte kritisierten kritisiert
        bestätigte bestätigten bestätigt versicherte versichert behauptete behaupteten behauptet räumte
        meldete meldeten meldet gemeldet erläuterte erläutert unterstrich unterstreicht verkündete verkündet
        bezeichnete bezeichneten bezeichnet nannte nannten nennt zitiert zitierte kündigte angekündigt
        erinnerte erinnert resümiert resümierte antwortete antwortet entgegnete entgegnet widersprach
        wies glaubt glaubte glauben hofft hoffte hoffen befürchtet befürchtete befürchten vermutet vermutete
        äußerte äußerten äußert geäußert gab bekräftigte bekräftigt beklagte beklagt lobte lobt
        stellte stellt hob hebt sprach spricht warf wirft beschuldigte beschuldigt vorgeworfen
        mahnte mahnt appellierte appelliert verwies verweist schätzte schätzt schätzen rief ruft
        bekannte bekannt dementierte dementiert bestritt bestreitet argumentierte argumentiert
        begründete begründet führte führt twitterte schreiben kommentierte kommentiert urteilte urteilt
        zeigte zeigt zitierten geht ging gehen gingen teilen stellten wiesen hoben fügten kündigten räumten
        riefen warfen werfen gaben führten hält hielt halten schlug schlägt empfahl empfiehlt beschloss
        entschied angekündigt verlautete verlautet verkündeten insistierte fragte fragt verweisen
        kritisieren warnen betonen fordern
        """
    ),
    clause_verbs=_words(
        """
        sagte sagten sagt gesagt erklärte erklärten erklärt betonte betonten betont meinte meinten meint
        ergänzte ergänzt fügte teilte teilten mitteilte mitteilten berichtete berichteten berichtet schrieb
        schreibt warnte warnt bestätigte bestätigt versicherte versichert behauptete behauptet räumte
        meldete meldet erläuterte erläutert unterstrich verkündete kündigte erinnerte antwortete
        entgegnete glaubt glaubte hofft hoffte befürchtet befürchtete vermutet vermutete äußerte gab
        bekräftigte bekräftigt beklagte mahnte verwies stellte hob argumentierte bestritt betonten
        angekündigt gefordert mitgeteilt betont bestätigt berichtet behauptet versichert gewarnt beschlossen
        entschieden erklärt forderte fordert forderten schlug schlägt empfahl empfiehlt beschloss entschied
        sagen erklären betonen meinen berichten schreiben warnen glauben hoffen befürchten vermuten behaupten
        bestätigen versichern schätzen erklärt meint behauptet bestreitet vermutet warnt räumt teilt gibt
        insistierte schätzt schätzte fragte wies geht ging gehen gingen teilen stellten wiesen fügten gaben
        führte führten
        """
    ),
    participles=_words("sagend erklärend"),
    complementizers=_words("dass daß ob"),
    according=_phrases("laut", "gemäß", "nach angaben", "zufolge"),
    according_post=_words("zufolge"),
    report_nouns=_words(
        """
        angaben informationen berichten bericht aussagen aussage ansicht meinung auffassung einschätzung
        darstellung darstellungen schätzungen erkenntnissen worten äußerungen mitteilung einschätzungen
        polizeiangaben medienberichten zeitungsberichten presseberichten behördenangaben augenzeugenberichten
        regierungsangaben schätzung berechnungen stellungnahme erklärung überzeugung ankündigung
        studie studien analyse untersuchung untersuchungen umfrage umfragen ergebnis ergebnissen endergebnis
        nachricht nachrichten meldung meldungen hinweis hinweisen planungen prognose prognosen gutachten
        auskunft auskünften zeugenaussagen recherchen unterlagen dokumenten expertenmeinung worte
        """
    ),
    report_preps=_words("nach"),
    told=_words("sagte sagten sagt erklärte erklärt berichtete teilte bestätigte"),
    quoted_by=_phrases("zitiert von", "zitiert vom", "zitiert in", "zitiert im"),
    interview=_phrases(
        "in einem interview mit",
        "im interview mit",
        "im gespräch mit",
        "in einem gespräch mit",
        "gegenüber",
        "in einem interview der",
        "in einem interview des",
        "in einem interview dem",
    ),
    passive_by=_words("von vom"),
    pronouns={
        "er": "person",
        "sie": "person",
        "es": "group",
        "ihm": "person",
        "ihr": "person",
        "ihnen": "group",
        "dieser": "person",
    },
    determiners=_words(
        "der die das des dem den ein eine einer eines einem einen sein seine seiner seines seinem seinen ihr "
        "ihre ihrer ihres ihrem ihren dieser diese dieses diesem diesen"
    ),
    indefinite=_words("ein eine einer eines einem einen"),
    name_particles=_words("von van der de du da di la le al el bin ibn zu vom zum y ohne"),
    titles=_words(
        """
        präsident präsidentin bundespräsident bundespräsidentin kanzler kanzlerin bundeskanzler
        bundeskanzlerin minister ministerin ministerpräsident ministerpräsidentin außenminister
        außenministerin innenminister innenministerin finanzminister finanzministerin verteidigungsminister
        verteidigungsministerin justizminister justizministerin bundesminister bundesministerin
        staatssekretär staatssekretärin sprecher sprecherin regierungssprecher regierungssprecherin
        vorsitzende vorsitzender parteichef parteichefin chef chefin leiter leiterin direktor direktorin
        bürgermeister bürgermeisterin oberbürgermeister oberbürgermeisterin abgeordnete abgeordneter
        generalsekretär generalsekretärin botschafter botschafterin general papst könig königin prinz
        richter richterin anwalt anwältin staatsanwalt staatsanwältin professor professorin prof dr herr frau
        premierminister premierministerin regierungschef regierungschefin senator senatorin gouverneur
        trainer vorstandschef vorstand fraktionschef fraktionschefin landesvorsitzende ex- ehemalige
        ehemaliger frühere früherer designierte designierter us- eu- uno- nato-
        """
    ),
    anonymous_heads=_words(
        """
        sprecher sprecherin quelle quellen kreise kreisen insider diplomat diplomaten beobachter experte
        experten mitarbeiter mitarbeiterin augenzeuge augenzeugen zeuge zeugen anwohner sicherheitskreise
        sicherheitskreisen regierungskreise regierungskreisen polizeisprecher polizeisprecherin
        """
    ),
    org_heads=_words(
        """
        ministerium regierung bundesregierung polizei staatsanwaltschaft gericht bundesverfassungsgericht
        behörde behörden amt bundesamt kreml armee militär partei verband unternehmen konzern bank rat
        kommission ausschuss parlament bundestag senat verwaltung feuerwehr landesregierung
        außenministerium innenministerium auswärtige organisation vereinigung gewerkschaft stiftung institut
        universität
        """
    ),
    impersonal=_phrases(
        "hieß es",
        "heißt es",
        "hiess es",
        "heisst es",
        "verlautete",
        "wurde bekannt",
        "dem vernehmen nach",
        "war zu hören",
        "ist zu hören",
        "wurde berichtet",
        "wird berichtet",
        "wird vorgeworfen",
        "wurde vorgeworfen",
        "werden vorgeworfen",
        "wurden vorgeworfen",
        "wird beschuldigt",
        "werden beschuldigt",
        "wurde beschuldigt",
        "wurden beschuldigt",
        "wurde aufgefordert",
        "wurden aufgefordert",
        "wurde angegeben",
        "es wird vermutet",
        "wird vermutet",
        "wurde beschlossen",
        "wurde bekannt gegeben",
        "war berichtet worden",
        "berichtet wurde",
        "war bekannt geworden",
        "ist bekannt geworden",
        "wurde mitgeteilt",
        "wird erwartet",
    ),
    auxiliaries=_words("hat habe hatte hatten haben hätte wird werde wurde wurden ist war sei auch"),
    separable={
        "teilte": _words("mit"),
        "teilten": _words("mit"),
        "teilt": _words("mit"),
        "fügte": _words("hinzu"),
        "fügt": _words("hinzu"),
        "räumte": _words("ein"),
        "räumt": _words("ein"),
        "gab": _words("bekannt an zu"),
        "gaben": _words("bekannt an zu"),
        "gibt": _words("bekannt an zu"),
        "kündigte": _words("an"),
        "kündigt": _words("an"),
        "wies": _words("hin zurück"),
        "weist": _words("hin zurück"),
        "stellte": _words("klar fest"),
        "stellt": _words("klar fest"),
        "hob": _words("hervor"),
        "hebt": _words("hervor"),
        "wirft": _words("vor"),
        "warf": _words("vor"),
        "rief": _words("auf"),
        "ruft": _words("auf"),
        "sprach": _words("von aus"),
        "spricht": _words("von aus"),
        "zeigte": _words("überzeugt zuversichtlich optimistisch besorgt"),
        "zeigt": _words("überzeugt zuversichtlich optimistisch besorgt"),
        "bekannte": _words("sich"),
        "teilen": _words("mit"),
        "stellten": _words("klar fest"),
        "wiesen": _words("hin zurück"),
        "hoben": _words("hervor"),
        "fügten": _words("hinzu"),
        "kündigten": _words("an"),
        "räumten": _words("ein"),
        "riefen": _words("auf"),
        "warfen": _words("vor"),
        "werfen": _words("vor"),
        "geht": _words("aus"),
        "ging": _words("aus"),
        "gehen": _words("aus"),
        "gingen": _words("aus"),
        "führten": _words("aus"),
        "schlug": _words("vor"),
        "schlägt": _words("vor"),
        "hält": _words("für"),
        "hielt": _words("für"),
        "halten": _words("für"),
        "führte": _words("aus"),
        "führt": _words("aus"),
    },
    post_only=_words("so"),
    konjunktiv=_words(
        "sei seien habe werde könne müsse dürfe solle wolle möge wisse gebe komme gehe stehe liege bleibe "
        "handle handele lasse gelte brauche fehle hätten wären würden hätte wäre gäbe"
    ),
    function_words=_words(
        "der die das und ist nicht den mit sich des ein eine auf für sagte dass wurde von im"
    ),
    verb_phrases=_phrases(
        "machte deutlich", "machte klar", "stellte klar", "gab an", "gab bekannt", "gab zu"
    ),
    quote_in_clause=True,
    speech_acts=True,
    anaphoric=_words("demnach wonach"),
    stop_caps=_words(
        """
        montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli
        august september oktober november dezember am im in der die das den dem des aber und auch doch
        jedoch dies diese dieser dieses damit dabei danach davor zudem außerdem deshalb daher dennoch
        trotzdem inzwischen bereits heute gestern morgen nun jetzt zuvor später zunächst zuletzt seit nach
        vor bei mit für auf aus als wenn weil ob dass es man wir ich ihr sie er wie so laut zufolge durch
        gegenüber zitat abend morgen nachmittag vormittag mittag nacht wochenende woche jahr tag
        über unter gegen ohne um bis seine sein ihre ihr unser dort hier was wer wo warum wann
        """
    ),
)

FR = Lexicon(
    code="fr",
    verbs=_words(
        """
        dit dire disant déclaré déclare déclarait déclarant affirmé affirme affirmait affirmant expliqué
        explique expliquait expliquant indiqué indique indiquait ajouté ajoute ajoutait ajoutant souligné
        souligne soulignait soulignant estimé estime estimait estimant assuré assure assurait précisé précise
        précisait confié confie annoncé annonce annonçait reconnu reconnaît rappelé rappelle insisté insiste
        averti avertit prévenu prévient martelé martèle lancé lance jugé juge raconté raconte poursuivi
        poursuit conclu conclut écrit écrivait déploré déplore dénoncé dénonce regretté regrette répondu
        répond répété répète confirmé confirme démenti dément promis promet commenté commente noté note
        salué salue critiqué critique qualifié qualifie jugé dénoncé réclamé réclame exigé exige
        observé observe résumé résume selon avancé avance admis admet soutenu soutient réagi réagit
        """
    ),
    clause_verbs=_words(
        """
        dit déclaré déclare affirmé affirme expliqué explique indiqué indique ajouté ajoute souligné souligne
        estimé estime assuré assure précisé précise confié confie annoncé annonce reconnu reconnaît rappelé
        rappelle insisté insiste averti prévenu martelé jugé juge raconté raconte écrit déploré regretté
        répondu répété confirmé confirme promis noté avancé admis soutenu
        """
    ),
    participles=_words("disant déclarant affirmant expliquant ajoutant soulignant estimant"),
    complementizers=_words("que qu' qu’"),
    according=_phrases("selon", "d'après", "d’après", "de l'avis de", "cité par"),
    told=_words("dit déclaré confié indiqué expliqué"),
    quoted_by=_phrases(
        "cité par", "citée par", "cités par", "interrogé par", "interrogée par", "rapporté par"
    ),
    interview=_phrases(
        "dans un entretien avec",
        "dans un entretien accordé à",
        "dans une interview à",
        "dans une interview accordée à",
        "dans un entretien au",
        "dans un entretien à",
        "dans un entretien accordé au",
        "dans un entretien accordé aux",
        "dans une interview au",
        "dans une interview accordée au",
    ),
    passive_by=_words("par"),
    pronouns={
        "il": "person",
        "elle": "person",
        "ils": "group",
        "elles": "group",
        "lui": "person",
        "eux": "group",
    },
    determiners=_words("le la les l' l’ un une des du de son sa ses leur leurs ce cet cette"),
    indefinite=_words("un une des"),
    name_particles=_words("de du des la le von van der al el bin d' d’"),
    titles=_words(
        """
        président présidente ministre premier première secrétaire porte-parole chef directeur directrice
        général générale ambassadeur ambassadrice maire député députée sénateur sénatrice gouverneur
        commissaire patron patronne m. mme monsieur madame dr professeur juge procureur procureure
        chancelier chancelière pape roi reine ancien ancienne
        """
    ),
    anonymous_heads=_words(
        """
        source sources diplomate diplomates responsable responsables proche proches conseiller conseillère
        témoin témoins expert experts observateur observateurs porte-parole membre membres habitant habitants
        """
    ),
    org_heads=_words(
        """
        ministère gouvernement police gendarmerie parquet tribunal cour armée élysée kremlin agence commission
        conseil parlement assemblée sénat mairie préfecture entreprise société banque parti syndicat
        organisation association fédération confédération fondation
        """
    ),
    impersonal=_phrases("apprend-on", "dit-on", "selon nos informations"),
    auxiliaries=_words("a ont avait avaient aura est était"),
    function_words=_words("le la les et des est une du que qui dans pour pas sur au il a déclaré selon"),
    verb_phrases=_phrases("fait savoir", "a fait savoir", "a tenu à", "tient à"),
    prepositions=_words("à au aux lors dans en devant après avant sur"),
    stop_caps=_words(
        """
        lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
        septembre octobre novembre décembre mais et le la les un une ce cette pour selon dans en au aux
        """
    ),
)

ES = Lexicon(
    code="es",
    verbs=_words(
        """
        dijo dice decir diciendo afirmó afirma afirmaba afirmando aseguró asegura aseguraba asegurando explicó
        explica explicaba explicando declaró declara declaraba señaló señala señalaba señalando indicó indica
        indicaba añadió añade agregó agrega subrayó subraya destacó destaca advirtió advierte reconoció
        reconoce manifestó manifiesta sostuvo sostiene insistió insiste apuntó apunta comentó comenta
        precisó precisa anunció anuncia confirmó confirma negó niega denunció denuncia lamentó lamenta
        criticó critica recordó recuerda escribió escribe respondió responde reiteró reitera admitió admite
        prometió promete dicho afirmado asegurado explicado declarado señalado indicado añadido agregado
        subrayado destacado advertido reconocido manifestado insistido apuntado comentado anunciado
        confirmado negado denunciado lamentado criticado recordado escrito respondido reiterado calificó
        califica tildó exigió exige pidió pide reclamó reclama celebró valoró preguntó pregunta preguntaron
        contestó contesta replicó insistieron afirmaron aseguraron dijeron explicaron señalaron
        """
    ),
    clause_verbs=_words(
        """
        dijo dice afirmó afirma aseguró asegura explicó explica declaró declara señaló señala indicó indica
        añadió añade agregó agrega subrayó destacó advirtió advierte reconoció reconoce manifestó sostuvo
        sostiene insistió apuntó comentó precisó anunció confirmó negó denunció lamentó recordó escribió
        respondió reiteró admitió prometió dicho afirmado asegurado explicado declarado señalado indicado
        añadido reconocido insistido anunciado confirmado negado recordado reiterado
        """
    ),
    participles=_words("diciendo afirmando asegurando explicando señalando"),
    complementizers=_words("que"),
    according=_phrases("según", "de acuerdo con", "citado por", "a juicio de", "en palabras de"),
    told=_words("dijo declaró aseguró explicó afirmó"),
    quoted_by=_phrases("citado por", "citada por", "citados por", "recogido por", "recogidas por"),
    interview=_phrases(
        "en una entrevista con",
        "en una entrevista a",
        "en declaraciones a",
        "en una entrevista concedida a",
    ),
    passive_by=_words("por"),
    pronouns={"él": "person", "ella": "person", "ellos": "group", "ellas": "group"},
    # (after "según" the subject forms are used: "según él")
    determiners=_words("el la los las un una unos unas del al su sus este esta ese esa"),
    indefinite=_words("un una unos unas"),
    name_particles=_words("de del la las los y von van der al el bin"),
    titles=_words(
        """
        presidente presidenta ministro ministra primer primera secretario secretaria portavoz jefe jefa
        director directora general embajador embajadora alcalde alcaldesa diputado diputada senador senadora
        gobernador gobernadora comisario comisaria canciller rey reina papa juez jueza fiscal sr sra don doña
        ex vicepresidente vicepresidenta líder
        """
    ),
    anonymous_heads=_words(
        """
        fuente fuentes diplomático diplomáticos responsable responsables portavoz testigo testigos experto
        expertos observador observadores miembro miembros vecino vecinos funcionario funcionarios periodista
        periodistas
        """
    ),
    org_heads=_words(
        """
        ministerio gobierno policía guardia ejército kremlin agencia comisión consejo parlamento congreso
        senado ayuntamiento tribunal fiscalía empresa compañía banco partido sindicato casa organización
        asociación federación confederación plataforma fundación
        """
    ),
    impersonal=_phrases("se informó", "según se informó", "se supo"),
    auxiliaries=_words("ha han había habían habría"),
    function_words=_words("el la los las y de que en del se por con para una es según dijo"),
    verb_phrases=_phrases("dejó claro", "dejó en claro", "puso de relieve", "hizo hincapié en"),
    prepositions=_words("a al en durante tras ante desde sobre"),
    stop_caps=_words(
        """
        lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo junio julio agosto
        septiembre octubre noviembre diciembre pero y el la los las un una este esta según en por para
        """
    ),
)


def _past(stems: str, endings: str) -> frozenset[str]:
    """Past-tense forms of Slavic verbs from their stems: "сказа" + "л ла ло ли" → сказал, сказала, …"""
    return frozenset(st + e for st in stems.split() for e in endings.split())


_RU_PAST = _past(
    """
    сказа заяви отмети добави подчеркну сообщи поясни говори написа призна уточни рассказа ответи объясни
    завери пообеща предупреди напомни констатирова назва заверя уверя утвержда подтверди опроверг
    оцени вырази высказа заключи указа признава счита пожалова раскритикова потребова призва
    """,
    "л ла ло ли",
)
RU = Lexicon(
    code="ru",
    verbs=_RU_PAST
    | _words(
        """
        говорит говорят считает считают отмечает отмечают подчеркивает подчёркивает заявляет заявляют
        сообщает сообщают пишет пишут утверждает утверждают полагает добавляет рассказывает рассказывают
        уверен уверена уверены признаёт признает поясняет уточняет объясняет напоминает опроверг
        """
    ),
    clause_verbs=_RU_PAST
    | _words("говорит считает отмечает подчеркивает заявляет сообщает пишет утверждает полагает уверен"),
    participles=frozenset(),
    complementizers=_words("что"),
    according=_phrases(
        "по словам",
        "по данным",
        "по мнению",
        "по информации",
        "по сведениям",
        "как сообщил",
        "как сообщила",
        "как сообщили",
        "как сообщает",
        "как сообщают",
        "согласно",
    ),
    told=_RU_PAST,
    impersonal=_phrases("сообщается", "говорится", "как сообщается"),
    pronouns={"он": "person", "она": "person", "они": "group"},
    titles=_words(
        """
        президент министр премьер премьер-министр глава председатель представитель пресс-секретарь
        губернатор мэр директор замминистра заместитель вице-премьер депутат спикер посол генерал
        руководитель начальник прокурор судья лидер советник
        """
    ),
    anonymous_heads=_words(
        "источник источники собеседник собеседники представитель представители эксперт эксперты "
        "сотрудник сотрудники очевидец очевидцы житель жители"
    ),
    org_heads=_words("министерство правительство администрация кремль полиция прокуратура пресс-служба"),
    function_words=_words("и в не на что с по как он это"),
)

_PL_PAST = _past(
    """
    powiedzia mówi stwierdzi doda podkreśli zaznaczy oświadczy przekonywa oceni zapowiedzia napisa przyzna
    tłumaczy pyta zapyta odpowiedzia wyjaśni poinformowa zaprzeczy zapewni przypomnia relacjonowa nazwa
    uzna twierdzi poda ogłosi apelowa wskaza zauważy dodawa ostrzega zapewnia podkreśla zaznacza
    skomentowa skrytykowa
    """,
    "ł ła ło li ły",
)
PL = Lexicon(
    code="pl",
    verbs=_PL_PAST
    | _words(
        """
        mówi twierdzi uważa uważają podkreśla zaznacza przekonuje dodaje ocenia pisze tłumaczy wyjaśnia
        zapewnia przyznaje ostrzegł ostrzegła ostrzegli mówią twierdzą piszą
        """
    ),
    clause_verbs=_PL_PAST | _words("mówi twierdzi uważa podkreśla zaznacza przekonuje dodaje pisze zapewnia"),
    participles=frozenset(),
    complementizers=_words("że iż"),
    according=_phrases(
        "według",
        "zdaniem",
        "jak podał",
        "jak podała",
        "jak podało",
        "jak podaje",
        "jak poinformował",
        "jak poinformowała",
        "jak poinformowało",
        "jak informuje",
    ),
    told=_PL_PAST,
    pronouns={"on": "person", "ona": "person", "oni": "group", "one": "group"},
    titles=_words(
        """
        premier prezydent minister wiceminister rzecznik rzeczniczka szef szefowa przewodniczący
        przewodnicząca prezes poseł posłanka burmistrz wojewoda marszałek dyrektor ambasador generał
        prokurator sędzia wicepremier senator prof dr lider doradca
        """
    ),
    anonymous_heads=_words("źródło źródła rozmówca rozmówcy ekspert eksperci przedstawiciel przedstawiciele"),
    org_heads=_words("ministerstwo rząd resort policja prokuratura urząd spółka kancelaria komisja"),
    function_words=_words("i w nie na że się z do to jest jak"),
)

_CS_PAST = _past(
    """
    řek uved doda prohlási zdůrazni napsa sděli tvrdi podotk poznamena upozorni vysvětli oznámi potvrdi
    zmíni konstatova informova varova odpověd dodáva uvádě řík
    """,
    "l la lo li ly",
)
CS = Lexicon(
    code="cs",
    verbs=_CS_PAST | _words("míní tvrdí říká uvádí dodává zdůrazňuje upozorňuje píše"),
    clause_verbs=_CS_PAST | _words("míní tvrdí říká uvádí dodává píše"),
    participles=frozenset(),
    complementizers=_words("že"),
    according=_phrases("podle", "jak uvedl", "jak uvedla", "jak uvedli"),
    told=_CS_PAST,
    pronouns={"on": "person", "ona": "person", "oni": "group"},
    titles=_words(
        "premiér prezident ministr ministryně mluvčí předseda předsedkyně starosta hejtman ředitel "
        "velvyslanec poslanec senátor generál soudce státní zástupce"
    ),
    anonymous_heads=_words("zdroj zdroje expert experti"),
    function_words=_words("a v se na je že to s z do jako"),
)

CALENDAR = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april june july august
    september october november december montag dienstag mittwoch donnerstag freitag samstag sonntag januar
    februar märz juni juli oktober dezember lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier février
    mars avril juin juillet août septembre octobre novembre décembre lunes martes miércoles jueves viernes
    sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    """.split()
)
"""Weekdays and months: capitalised everywhere, never a speaker ("May" and "Mai" are left out: names too)."""

LEXICONS: dict[str, Lexicon] = {lx.code: lx for lx in (EN, DE, FR, ES, RU, PL, CS)}
"""Every language the suggester knows, by ISO 639-1 code."""

OUTLETS = frozenset(
    """
    reuters ap afp dpa epd kna apa sda efe ansa ria tass interfax pap čtk ctk xinhua kyodo yonhap anadolu
    bloomberg
    upi cnn bbc nbc cbs abc msnbc npr pbs itv cnbc al-jazeera aljazeera euronews ard zdf ndr wdr
    mdr swr rbb orf srf rtl n-tv ntv dlf deutschlandfunk tagesschau spiegel stern faz taz welt bild
    handelsblatt tagesspiegel nzz rnd figaro libération liberation rfi france24 bfmtv tf1 lci franceinfo
    rtve novosti guardian telegraph politico axios newsweek wsj nyt nachrichtenagentur presseagentur
    """.split()
)
"""Lower-case single words that name news organisations (matched against every word of a name)."""

OUTLET_PHRASES = _phrases(
    "associated press",
    "agence france-presse",
    "agence france presse",
    "new york times",
    "washington post",
    "wall street journal",
    "financial times",
    "the guardian",
    "le monde",
    "el país",
    "el mundo",
    "deutsche welle",
    "deutsche presse-agentur",
    "spiegel online",
    "süddeutsche zeitung",
    "frankfurter allgemeine",
    "bild-zeitung",
    "al jazeera",
    "sky news",
    "fox news",
    "sky news",
    "le monde",
    "el país",
    "el pais",
    "the times",
    "the independent",
    "the economist",
    "washington post",
    "ria novosti",
    "agence france-presse",
    "associated press",
    "süddeutsche zeitung",
    "die zeit",
    "der spiegel",
    "focus online",
)

OUTLET_HEADS = frozenset(
    """
    newspaper paper broadcaster channel tv radio magazine daily weekly outlet network station
    zeitung zeitschrift nachrichtenagentur presseagentur agentur sender fernsehsender rundfunk magazin
    tageszeitung wochenzeitung nachrichtenmagazin journal blatt journal quotidien hebdomadaire chaîne
    radio periódico diario cadena emisora revista
    """.split()
)
"""Head nouns of news organisations: "the newspaper", "die Nachrichtenagentur", "le quotidien"."""

GOVERNMENT_SEATS = frozenset(
    """
    moscow kremlin kyiv kiev washington beijing peking paris berlin london brussels brüssel tehran teheran
    ankara tokyo pyongyang seoul jerusalem damascus damaskus minsk warsaw warschau rome rom madrid
    white house downing elysée élysée pentagon moskau washington kiew tel aviv cairo kairo riyadh
    """.split()
)
"""Capitals and seats of power that stand for governments ("Moscow made it clear")."""

COUNTRIES = frozenset(
    """
    russia ukraine turkey germany france spain italy china japan iran iraq israel syria poland britain
    america united states usa us uk eu nato un china india pakistan egypt russland deutschland frankreich
    spanien italien türkei polen großbritannien amerika iran israel syrien russie allemagne espagne
    italie chine turquie pologne rusia alemania francia españa italia turquía polonia
    """.split()
)
"""Countries (and unions) that speak as governments."""

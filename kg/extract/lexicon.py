"""Extraction-specific word lists: reporting verbs, titles, ranks and labels that are not country facts.

Country names, aliases and demonyms come from ``data/reference/countries.csv``; missions, bodies,
frameworks and officials from the other reference CSVs. What stays here is language, not facts:
how English reports speech, how titles and ranks are written, which words are community labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.files import read_text_lines

#: the UN-register concepts CAMEO lacks: code -> (verb, label, the CAMEO code it refines)
CAMEO_EXTENSIONS: dict[str, tuple[str, str, str]] = {
    "010-brief": ("brief", "Brief a body (UN register: formal briefing of a council or committee)", "010"),
    "010-stress": ("stress", "Stress or underline a point (UN register)", "010"),
    "010-emphasize": ("emphasize", "Emphasize a point (UN register)", "010"),
    "010-highlight": ("highlight", "Highlight a point (UN register)", "010"),
    "010-affirm": ("affirm", "Affirm a position (UN register)", "010"),
    "010-reiterate": ("reiterate", "Reiterate or reaffirm a position (UN register)", "010"),
    "012-warn": ("warn", "Warn or caution (UN register)", "012"),
    "020-urge": ("urge", "Urge a party to act (UN register)", "020"),
    "020-call-on": ("call on", "Call on a party to act (UN register)", "020"),
    "051-welcome": ("welcome", "Welcome a development or decision (UN register)", "051"),
}


# ---- reporting cues (data: cues.tsv) ---------------------------------------------------------------
CUE_FILE = Path(__file__).with_name("cues.tsv")
CUE_CLASSES = frozenset(
    "assertive directive evaluative epistemic commissive expressive light phrasal prepositional".split()
)
_CUE_COLUMNS = ["cue", "class", "cameo", "fallback", "forms", "after", "complement"]
_CODE_RE = re.compile(r"^\d{2,4}(?:-[a-z]+(?:-[a-z]+)*)?$")


@dataclass(frozen=True)
class Cue:
    """One reporting cue of the lexicon: its lemma, speech-act class, CAMEO code and surface forms."""

    cue: str
    cls: str
    cameo: str
    fallback: bool
    forms: tuple[str, ...]
    after: str | None  # regex the words after a form must match (verb phrases)
    complement: re.Pattern[str] | None = None  # what must follow a form for it to report speech

    @property
    def base(self) -> str:
        """The verb that carries a verb phrase ('pay' for 'pay tribute')."""
        return self.cue.split()[0]


def load_cues(path: Path = CUE_FILE) -> list[Cue]:
    """Read and validate the cue lexicon; every bad line is listed in one ``InputError``.

    >>> [c.cameo for c in load_cues() if c.cue == "condemn"]
    ['111']
    """
    lines = read_text_lines(path, what="cue lexicon", fix="restore kg/extract/cues.tsv")
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not rows or rows[0][1].split("\t") != _CUE_COLUMNS:
        raise InputError(f"the first line must be the header {' '.join(_CUE_COLUMNS)} (tab-separated)",
                         path=str(path))
    cues: list[Cue] = []
    bad: list[str] = []
    seen: set[tuple[str, str]] = set()
    for n, line in rows[1:]:
        cols = line.split("\t")
        if len(cols) != len(_CUE_COLUMNS):
            bad.append(f"line {n}: {len(cols)} columns, expected {len(_CUE_COLUMNS)}")
            continue
        cue, cls, code, fallback, forms, after, complement = (c.strip() for c in cols)
        problems = []
        if not re.fullmatch(r"[a-z]+(?: [a-z]+)*", cue):
            problems.append(f"cue {cue!r} is not lower-case words")
        if cls not in CUE_CLASSES:
            problems.append(f"class {cls!r} is not one of {', '.join(sorted(CUE_CLASSES))}")
        if not _CODE_RE.match(code) or ("-" in code and code not in CAMEO_EXTENSIONS):
            problems.append(f"CAMEO code {code!r} is neither a CAMEO code nor in CAMEO_EXTENSIONS")
        if fallback not in ("yes", "no"):
            problems.append(f"fallback {fallback!r} is not yes or no")
        if cls != "prepositional" and forms == "-":
            problems.append("a verb cue needs its forms")
        comp = None
        for name, value in (("after", after), ("complement", complement)):
            if value != "-":
                try:
                    pattern = re.compile(value)
                except re.error as e:
                    problems.append(f"{name!r} is not a regular expression ({e})")
                else:
                    comp = pattern if name == "complement" else comp
        if (cue, after) in seen:
            problems.append(f"cue {cue!r} is listed twice")
        seen.add((cue, after))
        if problems:
            bad.append(f"line {n}: " + ", ".join(problems))
            continue
        cues.append(
            Cue(cue, cls, code, fallback == "yes", tuple(forms.split()) if forms != "-" else (),
                None if after == "-" else after, comp)
        )
    if bad:
        raise InputError(f"{len(bad)} bad cue(s), fix them: " + "; ".join(bad), path=str(path))
    return cues


CUES = load_cues()
#: lemma -> inflected forms of single-verb cues (the phrases are in ``PHRASAL``)
_VERBS: dict[str, tuple[str, ...]] = {c.cue: c.forms for c in CUES if c.after is None and c.forms}
#: multi-word reporting expressions: (lemma of the verb, regex after the verb form, lemma of the phrase)
PHRASAL: list[tuple[str, str, str]] = [(c.base, c.after, c.cue) for c in CUES if c.after is not None]
_PHRASAL_VERBS: dict[str, tuple[str, ...]] = {}
for _c in CUES:
    if _c.after is not None:
        _PHRASAL_VERBS[_c.base] = tuple(dict.fromkeys(_PHRASAL_VERBS.get(_c.base, ()) + _c.forms))
#: lemma -> (CAMEO code, fallback?) ; codes with a suffix are UN-register extensions of the base code
CAMEO_BY_LEMMA: dict[str, tuple[str, bool]] = {c.cue: (c.cameo, c.fallback) for c in CUES}
#: verbs that report speech only with a particular complement (checked on the text after the verb)
CONDITIONAL: dict[str, re.Pattern[str]] = {c.cue: c.complement for c in CUES if c.complement}

FORM_TO_LEMMA: dict[str, str] = {}
for _lemma, _forms in _VERBS.items():
    for _f in _forms:
        FORM_TO_LEMMA[_f] = _lemma
#: finite forms of the reporting verbs (not '-ing'), longest first, for regular expressions
FINITE_FORMS: list[str] = sorted((f for f in FORM_TO_LEMMA if not f.endswith("ing")), key=len, reverse=True)
PHRASAL_FORMS: dict[str, str] = {}
for _lemma, _forms in _PHRASAL_VERBS.items():
    for _f in _forms:
        PHRASAL_FORMS[_f] = _lemma

#: participles opening a sentence, reporting speech by the main subject ("Emphasizing ..., X noted")
OPENING_PARTICIPLES = {
    "acknowledging",
    "emphasizing",
    "emphasising",
    "stressing",
    "noting",
    "welcoming",
    "highlighting",
    "underlining",
    "recalling",
    "reiterating",
    "reaffirming",
    "warning",
    "urging",
    "insisting",
    "arguing",
    "expressing",
    "cautioning",
    "calling",
    "describing",
}

#: every form of a cue word, lower case: each is one run of word characters and hyphens
SPEECH_FORMS = frozenset(f.lower() for f in (*FORM_TO_LEMMA, *PHRASAL_FORMS))
_odd = sorted(f for f in SPEECH_FORMS if not re.fullmatch(r"[\w-]+", f))
if _odd:
    raise InputError(f"cue forms must be single words (letters, digits, hyphens): {', '.join(_odd)}; "
                     f"write a phrase as a base word and its particle in kg/extract/cues.tsv")
_WORD_RUN = re.compile(r"[\w-]+")


def speech_words(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The cue words of ``text[start:end]``, as (word, start, end): whole runs of word characters and
    hyphens whose lower case is a cue form. One set lookup per word: a pattern alternating the 358
    forms took a sixth of the extraction's time."""
    for m in _WORD_RUN.finditer(text, start, end):
        if m.group().lower() in SPEECH_FORMS:
            yield m.group(), m.start(), m.end()
#: "according to X"
ACCORDING_RE = re.compile(r"(?<![\w-])according to(?![\w-])", re.IGNORECASE)

# ---- CAMEO -----------------------------------------------------------------------------------------
def cameo_for(lemma: str | None) -> tuple[str, bool]:
    """CAMEO concept code for a reporting verb's lemma; unknown verbs fall back to 010 (flagged)."""
    if lemma is None:
        return "010", True
    return CAMEO_BY_LEMMA.get(lemma, ("010", True))


# ---- people: titles and ranks ---------------------------------------------------------------------
RANK_WORDS = {
    "lieutenant",
    "lt",
    "lt.",
    "major",
    "maj",
    "maj.",
    "brigadier",
    "brig",
    "brig.",
    "general",
    "gen",
    "gen.",
    "-general",
    "colonel",
    "col",
    "col.",
    "captain",
    "capt",
    "capt.",
    "admiral",
    "adm.",
    "commodore",
    "sergeant",
    "sgt.",
    "lieutenant-general",
    "major-general",
    "brigadier-general",
    "lieutenant-colonel",
    "air",
    "marshal",
    "vice",
    "rear",
    "field",
    "commander",
    "corporal",
    "private",
}
# an abbreviated rank is written with or without its stop ('Lt. Gen.', British 'Lieut Gen', 'Sgt'): both
RANK_WORDS |= {
    form
    for abbr in ("lt", "lieut", "maj", "brig", "gen", "col", "capt", "adm", "sgt", "cpl", "cmdr", "cdr")
    for form in (abbr, abbr + ".")
}
TITLE_WORDS = {
    "president",
    "vice",
    "prime",
    "minister",
    "secretary-general",
    "under-secretary-general",
    "undersecretary-general",
    "assistant",
    "deputy",
    "secretary",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "ambassador",
    "envoy",
    "special",
    "representative",
    "coordinator",
    "adviser",
    "advisor",
    "director",
    "chief",
    "head",
    "commander",
    "force",
    "mission",
    "of",
    "the",
    "for",
    "and",
    "to",
    "in",
    "un",
    "u.n.",
    "united",
    "nations",
    "foreign",
    "defense",
    "defence",
    "interior",
    "affairs",
    "justice",
    "finance",
    "state",
    "staff",
    "army",
    "mr.",
    "ms.",
    "mrs.",
    "dr.",
    "mr",
    "ms",
    "mrs",
    "dr",
    "sir",
    "dame",
    "king",
    "queen",
    "prince",
    "sheikh",
    "judge",
    "governor",
    "mayor",
    "senator",
    "sen.",
    "rep.",
    "gov.",
    "chairman",
    "chairperson",
    "chair",
    "leader",
    "first",
    "military",
    "peacekeeping",
    "peace",
    "operations",
    "management",
    "strategy",
    "policy",
    "compliance",
    "support",
    "field",
    "political",
    "security",
    "council",
    "general",
    "high",
    "commissioner",
    "officer",
    "police",
    "humanitarian",
    "resident",
    "acting",
    "interim",
    "former",
    "late",
    "information",
    "public",
    "executive",
    "senior",
    "top",
    "chef",
    "cabinet",
    "pope",
    "emir",
    "sultan",
    "ayatollah",
    "archbishop",
    "bishop",
    "father",
    "professor",
    "prof.",
    "counsellor",
    "undersecretary",
    "attorney",
    "consul",
    "consul-general",
    "administrator",
    "ombudsman",
    "registrar",
    "president-elect",
    "inspector",
    "lord",
    "lady",
    "baroness",
    "baron",
    "premier",
    "chancellor",
    "ministry",
    "national",
}
#: nouns for what a person is or does, which news puts right before or beside a name ('warlord Mohamed
#: Farah Aidid', 'the town's mayor, Jean-Baptiste Ndong,', 'Nobel laureate Denis Mukwege'): evidence that
#: the name is a person's, not a speaker lexicon (they do not make a description speak)
PERSON_ROLE_NOUNS = {
    "mayor", "warlord", "journalist", "activist", "laureate", "rival", "opponent", "lawyer", "doctor",
    "priest", "imam", "pastor", "pilot", "farmer", "witness", "victim", "wife", "husband", "son",
    "daughter", "brother", "sister", "colleague", "predecessor", "successor", "aide", "counterpart",
    "founder", "candidate", "politician", "businessman", "businesswoman", "author", "writer",
    "reporter", "correspondent", "photographer", "analyst", "researcher", "strongman", "dictator",
    "ruler", "chieftain", "militiaman", "fighter", "defector", "hostage", "detainee", "nurse",
    "peacekeeper", "soldier", "corporal", "sergeant", "private", "lieutenant", "negotiator",
}
#: role nouns that make a noun phrase a possible speaker ("the UN diplomat", "top official")
SPEAKER_NOUNS = {
    "chief",
    "head",
    "commander",
    "general",
    "official",
    "diplomat",
    "envoy",
    "representative",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "minister",
    "president",
    "ambassador",
    "secretary-general",
    "under-secretary-general",
    "undersecretary-general",
    "usg",
    "delegate",
    "coordinator",
    "adviser",
    "advisor",
    "director",
    "officer",
    "leader",
    "governor",
    "chairman",
    "chairperson",
    "mediator",
    "negotiator",
    "secretary",
    "commissioner",
    "administrator",
    "colonel",
    "captain",
    "admiral",
    "prosecutor",
    "judge",
    "premier",
    "chancellor",
    "king",
    "emissary",
    "boss",
}
GROUP_NOUNS = {
    "officials",
    "diplomats",
    "members",
    "delegates",
    "sources",
    "speakers",
    "leaders",
    "ministers",
    "representatives",
    "authorities",
    "observers",
    "commanders",
    "spokesmen",
    "officers",
    "delegations",
    "experts",
    "analysts",
    "residents",
    "witnesses",
    # people who speak together in news reports without being an organisation
    "protesters",
    "demonstrators",
    "correspondents",
    "journalists",
    "reporters",
    "villagers",
    "refugees",
    "survivors",
    "activists",
    "lawmakers",
    "legislators",
    "elders",
    "critics",
    "relatives",
    "monitors",
    "investigators",
    "envoys",
    "ambassadors",
    # fighters who speak as a body without a name of their own ('the rebels said', 'soldiers said')
    "rebels",
    "insurgents",
    "militants",
    "fighters",
    "mutineers",
    "soldiers",
    # people at work or at home where the news happens ('aid workers said', 'peacekeepers said')
    "workers",
    "peacekeepers",
    "doctors",
    "medics",
    "nurses",
    "civilians",
    "locals",
    "traders",
    "farmers",
    "students",
    "families",
}
#: people who hold no post and speak for themselves, one of a group ('a local resident', 'one aid worker',
#: 'a doctor at the hospital'): an unnamed person, not an unnamed official
PUBLIC_NOUNS = {
    "resident", "witness", "villager", "refugee", "survivor", "activist", "protester", "demonstrator",
    "worker", "doctor", "medic", "nurse", "civilian", "local", "trader", "farmer", "student", "journalist",
    "correspondent", "relative", "elder", "teacher", "businessman", "businesswoman", "shopkeeper",
    "driver", "passenger", "victim", "mother", "father", "man", "woman",
}
ORG_SPEAKER_NOUNS = {
    "delegation",
    "mission",
    "statement",
    "report",
    "government",
    "body",
    "panel",
    "council",
    "secretariat",
    "organization",
    "organisation",
    "ministry",
    "office",
    "department",
    "army",
    "military",
    "police",
    "force",
    "agency",
    "committee",
    "communique",
    "communiqué",
    "junta",
    "presidency",
    "administration",
    "movement",
    "militia",
    "group",
    "wing",  # 'the military's media wing', 'its armed wing'
    "command",  # 'the U.N. command said'
    "headquarters",  # 'U.N. headquarters announced'
}
PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n", "i": "1"}

#: community and ethnic labels that are not countries (masked before country matching)
COMMUNITY_LABELS = re.compile(
    r"(?<![\w-])(?:(?:Turkish|Greek)[ -]Cypriots?|Bosnian (?:Serbs?|Croats?|Muslims?)"
    r"|Kosovo (?:Serbs?|Albanians?)"
    r"|Serbs?|Croats?|Bosniaks?|Kurds?|Hutus?|Tutsis?|Pashtuns?|Tajiks?(?= (?:militia|fighters|community))"
    r"|Tamils?|Druze|Alawites?|Shi'?ites?|Sunnis?|Dinkas?|Nuers?|Masalit|Fur(?= (?:community|people))"
    r"|Arab(?:s| League)?|Berbers?|Tuaregs?|Fulanis?|Peuls?|Hema|Lendu|Banyamulenge|Rohingya)(?![\w])"
)
#: words after a demonym that make it a language, not a country ("French acronym")
LANGUAGE_NOUNS = re.compile(
    r"^(?:[ -](?:acronym|name|language|word|words|translation|version|text|title|spelling|speaking|speaker|"
    r"-speaking|initials|abbreviation|original|subtitles?|Ocean|Sea|Gulf|Peninsula|Basin|Subcontinent|River))\b"
)

#: armed groups, parties and other non-UN organisations often named in peacekeeping news
#: (names of organisations, not country facts)
KNOWN_ORGS = [
    "EULEX",
    "KFOR",
    "ECOMOG",
    "Hezbollah",
    "Hizbollah",
    "Hizbullah",
    "al-Qaeda",
    "Al-Qaeda",
    "al-Qaida",
    "Al-Qaida",
    "al Qaeda",
    "Al-Nusra front",
    "Al-Nusra Front",
    "Nusra Front",
    "al-Nusra",
    "Khmer Rouge",
    "M23",
    "anti-Balaka",
    "Anti-Balaka",
    "Seleka",
    "Séléka",
    "Taliban",
    "al-Shabaab",
    "Al-Shabaab",
    "al-Shabab",
    "Boko Haram",
    "ISIL",
    "ISIS",
    "Islamic State",
    "Houthis",
    "Houthi",
    "Janjaweed",
    "Revolutionary United Front",
    "RUF",
    "FDLR",
    "Allied Democratic Forces",
    "SPLA",
    "SPLM",
    "SPLM-IO",
    "SPLA-IO",
    "Polisario Front",
    "Polisario",
    "Hamas",
    "Fatah",
    "Palestine Liberation Organization",
    "Kosovo Liberation Army",
    "UNITA",
    "MPLA",
    "RENAMO",
    "FRELIMO",
    "Interahamwe",
    "Rwandan Patriotic Front",
    "Lord's Resistance Army",
    "Wagner Group",
    "Wagner",
    "Non-Aligned Movement",
    "ECOMOG",
    "SAMIDRC",
    "JNIM",
    "MNLA",
    "Ansar Dine",
    "Red Cross",
    "International Committee of the Red Cross",
    "ICRC",
    "Médecins Sans Frontières",
    "Doctors Without Borders",
]
ORG_HEADS = (
    r"Army|Forces|Police|Community|Movement|Front|Party|Union|Alliance|League|Coalition|Brigades?|"
    r"Militia|Guard|Navy|Gendarmerie|Corps|Rebels|Government of National Unity|Liberation Army|"
    r"Movements|Patriots|Force|"
    # non-governmental and intergovernmental bodies name themselves by these heads ('Human Rights
    # Watch', 'Amnesty International', 'International Crisis Group', 'Inter-Services Public Relations')
    # (a head, so no capitalised word after it: 'International Security Forces' ends in 'Forces')
    r"(?:Watch|International|Organi[sz]ation|Institute|Foundation|Association|Federation|Group|Relations)"
    r"(?!\s+[A-Z])"
)

#: lower-case particles inside personal names ("dos Santos", "van de Perre", "bin Laden")
NAME_PARTICLES = {
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "el", "ibn",
    "la", "le", "van", "von", "y",
}

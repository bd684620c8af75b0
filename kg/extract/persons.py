"""People: known officials by any recorded spelling, new people from titles, ranks and appositions.

A capitalised run of words is a person when the reference data knows the name, or when the text
frames it as one: a title or rank before it ("Defense Minister Raul Jungmann", "Lt. Gen. Michael
Rose"), a role after it ("Son Sen, military commander of ..."), a role before it ("the head of
MINUSMA, El-Ghassim Wane"), or a reporting verb right after it. Later surnames, and surnames
misspelt by one letter ("Ladous", "La Croix"), are aliases of a person already named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract import lexicon as lx
from kg.extract.dates import MONTHS, WEEKDAYS
from kg.extract.entities import Found, _edit1
from kg.extract.gazetteer import Gazetteer, fold
from kg.model import Mention, Person
from kg.names import family_name_first
from kg.namespaces import slug

_TOKEN = re.compile(
    # an Arabic article or filiation joined to the name ('Omar al-Bashir', 'Ahmedou ould-Abdallah');
    # initials written together ('Y.J. Choi')
    r"(?<![\w\-'\u2019])(?:al|el|ad|ash|as|at|az|ar|an|ould|bin|ibn|abu|abd)-[A-Z\u00C0-\u00DE][\w'\-]*\w|"
    r"(?:[A-Z]\.){2,3}(?=\s)|"
    r"(?:Mr|Ms|Mrs|Dr|Lt|Lieut|Col|Gen|Maj|Brig|Capt|Sgt|Cpl|Adm|Cmdr|Cdr|St|Mt|Jr|Sr|Gov|Sen|Rep|Prof|Amb|Hon|"
    r"[A-Z])\.(?=\s)|[A-Z\u00C0-\u00DE](?:[\w\-]|['\u2019](?!s\b))*\w|[A-Z\u00C0-\u00DE]|(?<![\w\-'\u2019])(?:dos|de|da|das|do|van|von|del|della|der|den|bin|ibn|"
    r"al|el|la|le|du|di|y)(?=\s+[A-Z])|-[A-Z][a-z]+"
)
_PARTICLES = lx.NAME_PARTICLES
_NOT_NAME = set(MONTHS) | set(WEEKDAYS) | {
    # heads of the names of news media and of organisations named in French
    "agence",
    "presse",
    "médecins",
    "medecins",
    "frontières",
    "frontieres",
    "internationale",
    "times",
    "herald",
    "tribune",
    "journal",
    "gazette",
    "monitor",
    "daily",
    "staff",
    "command",
    "secretariat",
    "motors",
    "electric",
    "united",
    "nations",
    "council",
    "security",
    "mission",
    "day",
    "peace",
    "medal",
    "honor",
    "honour",
    "international",
    "national",
    "republic",
    "state",
    "states",
    "government",
    "army",
    "forces",
    "force",
    "police",
    "news",
    "photo",
    "press",
    "agency",
    "committee",
    "commission",
    "department",
    "office",
    "assembly",
    "general",
    "resolution",
    "province",
    "city",
    "region",
    "district",
    "county",
    "camp",
    "line",
    "zone",
    "heights",
    "sea",
    "ocean",
    "river",
    "lake",
    "mount",
    "mt.",
    "island",
    "islands",
    "street",
    "road",
    "airport",
    "hotel",
    "hospital",
    "university",
    "school",
    "church",
    "mosque",
    "headquarters",
    "sector",  # military sectors ('Sector Sarajevo', 'Sector West')
    # heads of organisation names ('Inter-Services Public Relations', 'Human Rights Watch')
    "relations",
    "watch",
    "radio",
    "ministry",
    "foundation",
    "institute",
    "organization",
    "organisation",
    "association",
    "services",
    "operations",
    "operation",
    "peacekeeping",
    "peacekeepers",
    "the",
    "a",
    "an",
    "and",
    "i",
    "we",
    "he",
    "she",
    "they",
    "it",
    "his",
    "her",
    "their",
    "our",
    "this",
    "that",
    "these",
    "those",
    "in",
    "on",
    "at",
    "for",
    "of",
    "to",
    "by",
    "with",
    "from",
    "as",
    "but",
    "or",
    "if",
    "when",
    "while",
    "after",
    "before",
    "during",
    "since",
    "under",
    "over",
    "un",
    "u.n.",
    "un's",
    "mr.",
    "ms.",
    "mrs.",
    "north",
    "south",
    "east",
    "west",
    "central",
    "western",
    "eastern",
    "northern",
    "southern",
    "new",
    "old",
    "great",
    "first",
    "last",
    "next",
    "secretary-general",
    "under-secretary-general",
    "special",
    "representative",
    "head",
    "chief",
    "commander",
    "president",
    "minister",
    "ambassador",
    "spokesman",
    "action",
    "agenda",
    "pact",
    "future",
    "declaration",
    "shared",
    "commitments",
    "report",
    "statement",
    "covid-19",
    "ebola",
    "blue",
    "helmets",
    "chapter",
    "article",
    "global",
    "human",
    "rights",
    "world",
    "african",
    "union",
    "european",
    "arab",
    "league",
    "summit",
    "conference",
    "session",
    "meeting",
    "ceremony",
    "visit",
    "transitional",
    "interim",
    "integrated",
    "stabilization",
    "stabilisation",
    "disengagement",
    "observer",
    "assistance",
    "authority",
    "administration",
    "there",
    "here",
    "however",
    "also",
    "according",
    "speaking",
    "following",
    "among",
    "despite",
    "although",
    "because",
    "regarding",
    "responding",
    "invited",
    "asked",
    "earlier",
    "later",
    "today",
    "yesterday",
    "tonight",
    "all",
    "some",
    "many",
    "most",
    "several",
    "other",
    "others",
    "both",
    "each",
    "every",
    "any",
    "no",
    "not",
    "only",
    "just",
    "even",
    "still",
    "yet",
    "so",
    "then",
    "thus",
    "such",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "why",
    "how",
    "is",
    "was",
    "are",
    "were",
}


_STRONG_TITLES = (
    lx.SPEAKER_NOUNS
    | {
        "mr.",
        "ms.",
        "mrs.",
        "dr.",
        # British and Commonwealth style writes courtesy titles without a full stop ('Mr Jose Ramos Horta')
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
        "senator",
        "sen.",
        "rep.",
        "gov.",
        "mayor",
        "pope",
        "emir",
        "sultan",
        "ayatollah",
        "archbishop",
        "bishop",
        "professor",
        "prof.",
        "lord",
        "lady",
        "chairman",
        "premier",
        "chancellor",
        "deputy",
        "vice",
    }
) - {"general"}


#: titles that stand only before a person's name, so that one surname after them is a person ('Secretary'
#: and 'Minister' are left out: 'Secretary Office'; 'General' and 'Captain' are in, the institutions they
#: also open, 'General Assembly', 'General Staff', being no names: see _NOT_NAME)
_SURNAME_TITLES = frozenset(
    "mr. ms. mrs. dr. mr ms mrs dr president ambassador senator sen. gov. king queen pope sheikh "
    "col. colonel gen. general admiral captain sergeant lieutenant corporal lt. capt. maj. brig. sgt. adm. "
    "cmdr. prof. amb. secretary-general -general under-secretary-general".split()
)


@dataclass
class _Person:
    key: str
    person_id: str | None
    names: list[str] = field(default_factory=list)
    role: str | None = None
    rank: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    canonical: str | None = None

    @property
    def name(self) -> str:
        full = [n for n in self.names if len(n.split()) >= 2] or self.names
        return max(full, key=lambda n: (len(n.split()), len(n)))


def _runs(work: str) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """Capitalised runs: (start, end, tokens) where tokens are (start, end, text)."""
    out = []
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(work)]
    cur: list[tuple[int, int, str]] = []
    for t in toks:
        if re.sub(r"['\u2019]s$", "", t[2]).lower() in WEEKDAYS:
            # a weekday is a date, never part of a name: 'received by President X Monday' (AP style)
            if cur:
                out.append((cur[0][0], cur[-1][1], cur))
            cur = []
            continue
        if cur:
            gap = work[cur[-1][1] : t[0]]
            joined = (
                gap in (" ", "\n", " -", "")
                or (re.fullmatch(r"[ \n]", gap) is not None)
                or (t[2].startswith("-") and gap.strip() == "")
            )
            if joined and "\n\n" not in gap:
                cur.append(t)
                continue
            out.append((cur[0][0], cur[-1][1], cur))
        cur = [t]
    if cur:
        out.append((cur[0][0], cur[-1][1], cur))
    return out


def _is_title_token(tok: str) -> bool:
    low = tok.lower().rstrip(",")
    return low in lx.TITLE_WORDS or low in lx.RANK_WORDS or low.lstrip("-") in lx.RANK_WORDS


#: present-tense cue forms, capitalised in headlines ('Secretary-General Condemns Killing of …'); the
#: past forms stay possible names ('Said')
_PRESENT_CUE_FORMS = frozenset(
    f for lemma, forms in lx._VERBS.items() for f in forms if f != lemma and f.endswith("s") and len(f) > 4
)
#: participial compounds modify a name, they are not part of one ('CIA-supported', 'Iran-backed')
_PARTICIPIAL_COMPOUND = re.compile(r"-(?:supported|backed|led|based|funded|allied|linked|controlled)$", re.I)


def _name_like(tokens: list[str], g: Gazetteer, titled: bool = False) -> bool:
    if not tokens:
        return False
    for n, t in enumerate(tokens):
        low = t.lower().rstrip(".")
        given = n + 1 < len(tokens) and tokens[n + 1].lower() in _PARTICLES  # 'Dominique de Villepin'
        if (
            low in _NOT_NAME
            or (t in g.country_forms and not given)
            or (t in g.demonym_forms and t == tokens[0])
        ):
            return False
        if t.isupper() and len(t) > 2 and not t.endswith("."):
            return False  # acronyms
        if re.search(r"\d", t):
            return False
        if low in _PRESENT_CUE_FORMS or _PARTICIPIAL_COMPOUND.search(t):
            return False  # a headline verb ('Condemns Killing'), a modifier ('CIA-supported Unita')
    if tokens[-1].lower() in _PARTICLES:
        return False
    if tokens[0].lower() in _PARTICLES and not (titled and len(tokens) >= 3):
        # 'Le' opens a Vietnamese name ('Ambassador Le Luong Minh') but a French title ('Le Monde'):
        # kept only after a personal title and with two more name tokens
        return False
    return True


#: finite reporting-verb forms (not '-ing'): a capitalised name right before one is someone speaking
_SPEECH_FORMS = "|".join(f for f in lx.FINITE_FORMS if f not in ("state", "report"))
#: a name after the verb of an inverted attribution: '"We will fight," said Osman Ato'
_INVERTED_BEFORE = re.compile(r"(?:[,\"\u201d]|[\"\u201d],)\s*(?:" + _SPEECH_FORMS + r")\s+$")
#: a reporting verb right after a name ('Lacroix said', 'Wane also noted')
_SPEECH_AFTER = re.compile(r"^\s+(?:\w+ly\s+)?(?:" + _SPEECH_FORMS + r")\b")
#: a surname (with an optional courtesy title) as the subject of a reporting verb
_SURNAME_SPEAKING = re.compile(
    r"(?<![\w-])(?:(Mr\.|Ms\.|Mrs\.)\s+)?([A-Z][\w'\-]{3,})(?=\s+(?:\w+ly\s+)?(?:" + _SPEECH_FORMS + r")\b)"
)
#: a name before 'medal', 'prize', 'library' … names a thing, not a person acting here
_EPONYM = re.compile(
    r"(?:[A-Z][\w'\-]*\s+){0,3}[A-Z][\w'\-]*(?=\s+(?:[Mm]edals?|[Pp]rizes?|[Aa]wards?|[Ll]ibrary|"
    r"[Ll]ectures?|[Ff]ellowships?|[Ss]cholarships?|[Cc]ent(?:re|er)|[Hh]all|[Aa]irport|[Ss]treet|[Aa]venue)\b)"
)
_ROLE_AFTER = re.compile(
    r"^,\s+(?:the\s+|a\s+|an\s+)?((?:[\w.'\u2019()\-]+\s+){0,3}?(?:"
    + "|".join(
        sorted(
            lx.SPEAKER_NOUNS
            | {
                "head",
                "servant",
                "member",
                "peacekeeper",
                "undersecretary-general",
                "under-secretary-general",
                "special",
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b[^,.;\n]*)",
    re.IGNORECASE,
)
_ROLE_BEFORE = re.compile(
    r"(\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+(?:[\w.'\u2019()\-]+\s+){0,6}?(?:"
    + "|".join(sorted(lx.SPEAKER_NOUNS | lx.PERSON_ROLE_NOUNS | {"head"}, key=len, reverse=True))
    + r")(?:\s+(?:of|for|in|to)\s+[^,;]{2,60})?),\s+$",
    re.IGNORECASE,
)
_LOWER_TITLE_BEFORE = re.compile(
    r"(?:^|\s)(president|leader|minister|ambassador|spokesman|spokesperson|envoy|"
    r"representative|commander|general|chief|governor|officer|peacekeeper|"
    + "|".join(sorted(lx.PERSON_ROLE_NOUNS, key=len, reverse=True))
    + r"|mr\.|ms\.|mrs\.|dr\.)\s+$",
    re.IGNORECASE,
)
#: words before a lower-case title that name its organisation or field ('UN peacekeeping', 'MINUSMA force')
_ROLE_MODIFIERS = re.compile(
    r"(?:^|[\s(])((?:(?:U\.N\.|[A-Z][A-Za-z'\-]*|peacekeeping|peace|military|police|humanitarian|political|"
    r"force|mission|rights|human|relief|aid|refugee|regional|civilian|defen[cs]e|foreign|army|top|senior)"
    r"\s+){1,3})$"
)
#: a person's possessions: 'Joseph Kabila's government', 'Gbagbo's loyalists'
_PERSON_POSSESSION = re.compile(
    r"^['\u2019]s\s+(?:government|regime|administration|spokes(?:man|woman|person)|supporters|loyalists|"
    r"forces|troops|fighters|militia|men|party|wife|husband|son|daughter|family|aides?|lawyers?|camp|"
    r"predecessor|successor)\b"
)


#: a relative pronoun for people right after a name ('Alassane Ouattara, whom the U.N. recognises'), or
#: their age
_PERSON_AFTER = re.compile(r"^,\s+(?:who|whom|whose\s|\d{1,3},)")  # 'Osman Ato, 45, a businessman'
#: what is said only of people, right after a name: 'Ahmed Shah Massoud was killed', 'Ramush Haradinaj
#: resigned', 'Paul Kagame and Yoweri Museveni met' (organisations are accused, attacked and dissolved,
#: but not elected, sworn in, born or buried, and they do not resign or die)
_HUMAN_PREDICATE_AFTER = re.compile(
    r"^\s+(?:(?:was|were|had\s+been|has\s+been|is|is\s+being|was\s+being)\s+(?:\w+ly\s+)?(?:"
    r"killed|assassinated|murdered|arrested|detained|kidnapped|abducted|wounded|injured|elected|re-elected|"
    r"appointed|sworn\s+in|indicted|convicted|sentenced|acquitted|exiled|ousted|deposed|born|executed|"
    r"hanged|captured|shot|buried|extradited|imprisoned|jailed|pardoned|nominated)|"
    r"(?:\w+ly\s+)?(?:resigned|resigns|died|dies|met|meet|meets|stepped\s+down|took\s+office|"
    r"was\s+sworn|fled\s+into\s+exile))\b"
)
#: people lead, command and have loyalists: 'led by Thomas Lubanga', 'forces loyal to Laurent Gbagbo'
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:led|headed|commanded)\s+by|\bloyal\s+to|\b(?:supporters|followers|loyalists)\s+of|"
    r"\b(?:militia|militiamen|fighters|men|forces|troops)\s+of|"  # 'the militia of Thomas Lubanga'
    # people meet, talk, are arrested and die: 'met Xanana Gusmao', 'talks with …', 'the killing of …'
    r"\b(?:met|meets|meeting|talks|talked|spoke|conversation|interview)\s+with|\bmet|"
    # people are appointed and succeed one another: 'appointed Lakhdar Brahimi', 'succeeded Kofi Annan'
    r"\b(?:appointed|appoints|replaced|replaces|succeeded|succeeds)|"
    r"\b(?:talks|meeting|summit|agreement|rivalry)\s+between|"
    # a source named by a name that is a person's, not an organisation's ('according to Jean-Pierre
    # Bemba'; organisation names carry their head words: Watch, Agency, International, Press …)
    r"\b[Aa]ccording\s+to|"
    r"\b(?:killing|murder|death|assassination|arrest|detention|kidnapping|abduction|trial|funeral|"
    r"resignation)\s+of)\s+$"
)
#: what joins names in a list: 'Xanana Gusmao and Jose Ramos Horta', 'A, B and C'
_LIST_JOINT = re.compile(r"\s*(?:,|,?\s+and)\s+")
#: a possessive role in apposition: "Gbagbo's spokesman, Ahoua Don Mello,"
_POSSESSIVE_ROLE_BEFORE = re.compile(
    r"[A-Z][\w\-]*['\u2019]s\s+(?:[\w\-]+\s+){0,2}?(?:"
    + "|".join(sorted(lx.SPEAKER_NOUNS, key=len, reverse=True))
    + r"),\s+$",
    re.IGNORECASE,
)
_PLACE_WORDS = {
    "north", "south", "east", "west", "upper", "lower", "new", "port", "san", "santa", "saint", "st.",
    "lake", "mount", "cape", "fort", "central", "western", "eastern", "northern", "southern",
    "radio", "camp", "operation", "hotel", "university", "district", "province", "river",
}
_PLACE_PREP = re.compile(
    r"(?:\b(?:of|in|to|from|at|near|across|into|over|around|through|outside)|[,(])\s+$", re.IGNORECASE
)


#: the country after a name: 'of France', ', of Kosovo,', '(United States)'
_OF_PLACE = re.compile(
    r"^(?:,?\s+(?:of|from)\s+(?:the\s+)?([A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,2})|\s*\(([^()\n]{2,50})\))"
)
#: the words after an apposition: ', speaking in his national capacity, said'
_SPEECH_AFTER_APPOSITION = re.compile(r"^,?\s+[^.\n]{0,200}?,\s+(?:\w+ly\s+)?(?:" + _SPEECH_FORMS + r")\b")


def _role_after_place(after: str, g: Gazetteer) -> bool:
    """A delegate named with the country they speak for, then their role ('Nicolas de Riviere of France,
    President of the Security Council') or their words, the way meetings coverage introduces speakers
    ('Vlora Citaku of Kosovo said', 'Jonathan Cohen (United States) said')."""
    m = _OF_PLACE.match(after)
    if not m:
        return False
    place = m.group(1) or m.group(2)
    rest = after[m.end() :]
    if m.group(1) and _ROLE_AFTER.match(rest):
        return True
    if m.group(1) and after.startswith(",") and rest.startswith(","):
        # an organisation in apposition: 'Sam Seradayrian, of the World Food Programme, said'
        return bool(_SPEECH_AFTER.match(rest[1:]))
    return place in g.country_forms and bool(
        _SPEECH_AFTER.match(rest.lstrip(",")) or _SPEECH_AFTER_APPOSITION.match(rest)
    )


def _surname_recurs(
    names: list[str], start: int, runs: list[tuple[int, int, list[tuple[int, int, str]]]], work: str
) -> bool:
    """'Laurent Gbagbo' … 'Gbagbo's spokesman': a full name whose surname stands alone elsewhere."""
    if len(names) > 3 or names[0].lower() in _PLACE_WORDS or len(names[-1]) < 4:
        return False
    last = names[-1]
    for rs, _re, toks in runs:
        if rs == start or not toks:
            continue
        texts = [t[2] for t in toks]
        core = [t for t in texts if not _is_title_token(t)]
        if core == [last] or core == [last + "'s"] or core == [last + "’s"]:
            if _PLACE_PREP.search(work[max(0, rs - 12) : rs]):
                continue  # 'the secession of Katanga': a place, not a person
            return True
    return False


def find_persons(
    work: str, g: Gazetteer, found: Found, date: str | None, headline_spans: list[tuple[int, int]] = ()
) -> list[_Person]:
    """People named in the document, with every mention (full names, surnames, misspellings)."""
    persons: dict[str, _Person] = {}
    claimed: list[tuple[int, int]] = []
    runs = _runs(work)

    def add(
        key: str, pid: str | None, text: str, s: int, e: int, role: str | None = None, rank: str | None = None
    ) -> _Person:
        p = persons.get(key)
        if p is None:
            p = persons[key] = _Person(key, pid)
            if pid:
                p.canonical = g.officials[pid].name
        if text not in p.names:
            p.names.append(text)
        if role and not p.role:
            p.role = role
        if rank and not p.rank:
            p.rank = rank
        p.mentions.append(Mention("person", key, text, text, s, e))
        claimed.append((s, e))
        return p

    blocked = found.blocked + [(m.start, m.end) for m in found.mentions if m.kind != "person"]

    blocked += [(m.start(), m.end()) for m in _EPONYM.finditer(work)]  # 'Dag Hammarskjöld Medal'

    def is_blocked(s: int, e: int) -> bool:
        return any(a <= s < b or a < e <= b for a, b in blocked)

    def accept(rs: int, s: int, e: int, names: list[str], prefix_tokens: list[str]) -> None:
        """A new person named by the run's name tokens at s..e (linked to the reference data if known)."""
        pid = _link_unknown(names, g, date)
        role, rank = _role_and_rank(work, rs, s, e, prefix_tokens)
        add(pid or slug(" ".join(names)), pid, work[s:e].replace("\n", " "), s, e, role, rank)

    lone: list[tuple[int, list[str], tuple[int, int, str]]] = []  # a surname alone after a title
    unproven: list[tuple[int, int, int, list[str], list[str]]] = []  # name-like, with no evidence yet
    for rs, _re, toks in runs:
        texts = [t[2] for t in toks]
        headline = any(a <= rs < b for a, b in headline_spans)
        # split the run: leading titles / ranks / country words, then the name
        i = 0
        while i < len(texts) and (
            _is_title_token(texts[i])
            # the possessive removed, not every final 's' ('Cyprus', 'Comoros' end in one)
            or re.sub(r"['\u2019]s$", "", texts[i]) in g.country_forms
            and not (i + 1 < len(texts) and texts[i + 1] in _PARTICLES)
            or texts[i] in g.demonym_forms
            or (texts[i].isupper() and len(texts[i]) > 2 and not texts[i].endswith("."))
            or texts[i].lower() in _PARTICLES
            and i == 0
            or i == 0
            and len(texts) >= 3
            and texts[i].lower() in lx.PERSON_ROLE_NOUNS  # 'Warlord Mohamed Farah Aidid'
        ):
            i += 1
        # 'Katanga President Moise Tshombe': a place before a personal title, then the name
        if i == 0 and len(texts) >= 4 and texts[1].lower() in _SURNAME_TITLES and texts[0][1:].islower():
            i = 2
        # a known official anywhere inside the run (longest first)
        hit = None
        for length in range(min(5, len(toks)), 1, -1):
            for j in range(0, len(toks) - length + 1):
                cand = " ".join(texts[j : j + length])
                pid = g.official_forms.get(fold(cand))
                if pid:
                    hit = (j, j + length, pid)
                    break
            if hit:
                break
        prefix_tokens = texts[:i]
        if hit:
            j, k, pid = hit
            s, e = toks[j][0], toks[k - 1][1]
            if is_blocked(s, e):
                continue
            role, rank = _role_and_rank(work, rs, s, e, texts[:j])
            add(pid, pid, work[s:e].replace("\n", " "), s, e, role, rank)
            continue
        name_toks = toks[i:]
        if len(name_toks) > 4:
            name_toks = name_toks[-4:]
        names = [t[2] for t in name_toks]
        titled = any(
            t.lower() in _STRONG_TITLES
            or t.lower().lstrip("-") in lx.RANK_WORDS
            or t.lower() in lx.PERSON_ROLE_NOUNS
            for t in prefix_tokens
        )
        if len(names) == 1 and prefix_tokens and prefix_tokens[-1].lower() in _SURNAME_TITLES:
            if work[toks[i - 1][1] : name_toks[0][0]] == " ":  # on one line: not a title ending a heading
                lone.append((rs, prefix_tokens, name_toks[0]))
            continue
        if len(names) < 2 or not _name_like(names, g, titled):
            continue
        s, e = name_toks[0][0], name_toks[-1][1]
        if is_blocked(s, e):
            continue
        before = work[max(0, rs - 120) : rs]
        after = work[e : e + 160]
        if headline and not titled:
            continue
        titled = titled or bool(
            re.search(
                r"\b(?:Ambassador|Minister|Envoy|Representative|Commander|Chief|Head|"
                r"Coordinator|Adviser|Advisor|President|Secretary|Director)\s+(?:of|to|for|in)"
                r"\s+(?:the\s+)?$",
                before,
            )
            and prefix_tokens
        )
        evidence = (
            titled
            or bool(_PERSON_AFTER.match(after))
            or bool(_HUMAN_PREDICATE_AFTER.match(after))
            or bool(_PERSON_BEFORE.search(before + work[rs:s]))
            or bool(_POSSESSIVE_ROLE_BEFORE.search(before + work[rs:s]))
            or _surname_recurs(names, s, runs, work)
            or bool(_LOWER_TITLE_BEFORE.search(before))
            or bool(_ROLE_AFTER.match(after))
            or _role_after_place(after, g)
            or bool(_PERSON_POSSESSION.match(after))
            or bool(_ROLE_BEFORE.search(before + work[rs:s]))
            or bool(_SPEECH_AFTER.match(after))
            or bool(_INVERTED_BEFORE.search(before + work[rs:s]))
        )
        if re.search(r"(?:Photo|Credit|By)\s*[:/]\s*$", before) or re.search(r"/\s*$", before):
            continue
        if not evidence:
            unproven.append((rs, s, e, names, prefix_tokens))
            continue
        accept(rs, s, e, names, prefix_tokens)
    # a name joined to a person's name by 'and' or a comma is a person too ('met Xanana Gusmao and Jose
    # Ramos Horta'); once more for lists, as each found one proves the next
    for _ in range(3):
        for cand in list(unproven):
            rs, s, e, names, prefix_tokens = cand
            gaps = [work[e:c0] for c0, _ in claimed if c0 >= e] + [work[c1:s] for _, c1 in claimed if c1 <= s]
            if any(_LIST_JOINT.fullmatch(gap) for gap in gaps):
                unproven.remove(cand)
                accept(*cand)

    # surnames and misspelt surnames of people already named
    by_surname: dict[str, _Person] = {}
    for p in persons.values():
        for n in p.names:
            parts = n.split()
            if len(parts) >= 2:
                by_surname.setdefault(fold(parts[-1]), p)
                if family_name_first(parts):
                    by_surname.setdefault(fold(parts[0]), p)  # 'Ban said' after 'Ban Ki-moon'
                if len(parts) >= 3 and parts[-2][:1].isupper():
                    by_surname.setdefault(fold(" ".join(parts[-2:])), p)
                if len(parts) >= 3 and parts[-2].lower() in _PARTICLES:
                    by_surname.setdefault(fold(" ".join(parts[-2:])), p)
    # the last part of a compound surname, after the whole ones: '"…," said Sainte' for Gail
    # Bindley-Taylor-Sainte
    for p in persons.values():
        for n in p.names:
            parts = n.split()
            if len(parts) >= 2 and parts[-1].count("-") and not family_name_first(parts):
                last = parts[-1].rsplit("-", 1)[1]
                if len(last) >= 4 and last[:1].isupper():
                    by_surname.setdefault(fold(last), p)
    #: 'La Croix' written for 'Lacroix': surnames with their spaces removed
    by_joined: dict[str, _Person] = {}
    for k, v in by_surname.items():
        by_joined.setdefault(k.replace(" ", ""), v)
    for _rs, _re, toks in runs:
        for j, (s, e, t) in enumerate(toks):
            if any(a <= s < b for a, b in claimed) or is_blocked(s, e):
                continue
            word = t.rstrip(".")
            key = fold(word)
            p = by_surname.get(key)
            if p is None and j + 1 < len(toks) and fold(word + toks[j + 1][2]) in by_joined:
                p = by_joined[fold(word + toks[j + 1][2])]
                e = toks[j + 1][1]
            if p is None and len(word) >= 6 and word[:1].isupper() and not word.isupper():
                close = [v for k, v in by_surname.items() if " " not in k and len(k) >= 6 and _edit1(key, k)]
                if len(close) == 1 and _SPEECH_AFTER.match(work[e : e + 30]):
                    p = close[0]
            if p is None:
                continue
            title = re.search(r"(Mr\.|Ms\.|Mrs\.|Dr\.|President|Ambassador)\s$", work[max(0, s - 12) : s])
            surface = work[s:e]
            if title:
                surface = title.group(1) + " " + surface
                s = s - len(title.group(1)) - 1
            add(p.key, p.person_id, surface, s, e)
    # 'President Clinton', 'Col. Campbell': a title that only ever stands before a person's name makes
    # a lone surname a person (after the pass above, so 'Mr. Khare' stays the Atul Khare named before)
    for rs, prefix_tokens, (s, e, t) in lone:
        if any(a <= s < b for a, b in claimed) or is_blocked(s, e):
            continue
        if len(t) < 3 or not t[1:].islower() or not _name_like([t], g):
            continue
        # any part of a name already found ('Mr. Ban' for Ban Ki-moon, 'Mr. Minh' for Le Luong Minh:
        # surname-first and given-name usage) is that person, not someone new
        owner = next(
            (q for q in persons.values() if any(fold(t) in fold(n).split() for n in q.names)), None
        )
        if owner is not None:
            add(owner.key, owner.person_id, t, s, e)
            continue
        pids = g.surname_index.get(fold(t), [])
        if date:
            pids = [x for x in pids if any(tn.holds_on(date) for tn in g.officials[x].tenures)]
        pid = pids[0] if len(set(pids)) == 1 else None
        role, rank = _role_and_rank(work, rs, s, e, prefix_tokens)
        p = add(pid or slug(t), pid, t, s, e, role, rank)
        # once 'President Clinton' is named, a bare 'Clinton' elsewhere is the same person
        for _rs2, _re2, toks2 in runs:
            for s2, e2, t2 in toks2:
                if t2 == t and not any(a <= s2 < b for a, b in claimed) and not is_blocked(s2, e2):
                    add(p.key, p.person_id, t2, s2, e2)
    # a surname alone, known to the reference data, as the subject of a reporting verb ("Lacroix said")
    for m in _SURNAME_SPEAKING.finditer(work):
        s, e = m.start(2), m.end(2)
        if any(a <= s < b for a, b in claimed) or is_blocked(s, e):
            continue
        pids = g.surname_index.get(fold(m.group(2)), [])
        if date:
            dated = [p for p in pids if any(t.holds_on(date) for t in g.officials[p].tenures)]
            pids = dated or pids
        if len(set(pids)) == 1:
            add(pids[0], pids[0], m.group(0), m.start(), e)
    return _merge_partial_names(list(persons.values()))


def _merge_partial_names(people: list[_Person]) -> list[_Person]:
    """'Johnson Sirleaf' beside 'Ellen Johnson Sirleaf': the end of a longer name is an alias of it."""
    out: list[_Person] = []
    for p in sorted(people, key=lambda x: -len(x.name.split())):
        toks = p.name.split()
        host = next(
            (
                q
                for q in out
                if len(q.name.split()) > len(toks)
                and q.name.split()[-len(toks) :] == toks
                and (p.person_id is None or p.person_id == q.person_id)
            ),
            None,
        )
        if host is None:
            out.append(p)
            continue
        for n in p.names:
            if n not in host.names:
                host.names.append(n)
        host.role = host.role or p.role
        host.rank = host.rank or p.rank
        host.mentions.extend(
            Mention(m.kind, host.key, m.name, m.text, m.start, m.end) for m in p.mentions
        )
    order = {id(p): i for i, p in enumerate(people)}
    return sorted(out, key=lambda p: order[id(p)])


def _link_unknown(names: list[str], g: Gazetteer, date: str | None) -> str | None:
    """A name the reference spells differently ('Rome Dallaire' for 'Roméo Dallaire')."""
    surname = fold(names[-1])
    first = fold(names[0])
    for pid in g.surname_index.get(surname, []):
        o = g.officials[pid]
        ofirst = fold(o.name.split()[0])
        if ofirst[:3] == first[:3] or _edit1(ofirst, first):
            return pid
    return None


#: a full stop ending a sentence inside a stretch of text ('… in Sarajevo. French President …')
_SENTENCE_STOP = re.compile(r"(?<=[a-z])[.!?]\s+(?=[A-Z])")


def _role_and_rank(
    work: str, run_start: int, s: int, e: int, prefix: list[str]
) -> tuple[str | None, str | None]:
    """The title phrase the text gives the person, and a military rank if any."""
    rank = None
    role = None
    pre = work[run_start:s].strip()
    # lower-case title words and connectors before the run ("Special Representative of UNSG in Cyprus")
    before = work[max(0, run_start - 80) : run_start].rsplit("\n", 1)[-1]  # this paragraph only
    m = re.search(r"((?:(?:[A-Z][\w.'\-]*|of|for|in|to|the|and)\s+)*)$", before)
    lead = _SENTENCE_STOP.split((m.group(1) if m else "").strip())[-1]
    full_prefix = (
        (lead + " " + pre).strip() if lead and lead.split()[-1] in ("of", "for", "in", "to", "and") else pre
    )
    rm = re.search(
        r"((?:Lieutenant|Lt\.|Major|Maj\.|Brigadier|Brig\.|Colonel|Col\.|Captain|Capt\.|Admiral|"
        r"Air|Vice|Rear)?[\s-]*(?:General|Gen\.|Colonel|Col\.|Major|Captain|Admiral|Commodore|"
        r"-General)(?:\s+Major)?)\s*$",
        full_prefix,
    )
    if rm and rm.group(1).strip() and not re.search(r"Secretary\s*-\s*General$", full_prefix):
        rank = re.sub(r"\s+", " ", rm.group(1).strip())
        full_prefix = full_prefix[: rm.start()].strip()
    if full_prefix:
        words = full_prefix.split()
        while words and (words[0] in ("The", "the", "A", "a") or words[0].lower() in ("and",)):
            words = words[1:]
        if words and any(w.lower() in lx.TITLE_WORDS or w.lower() in lx.SPEAKER_NOUNS for w in words):
            role = " ".join(words)
    if role is None:
        ma = _ROLE_AFTER.match(work[e : e + 160])
        if ma:
            role = ma.group(1).strip()
            role = re.split(r"\s+(?:who|which|said|told)\b", role)[0]
    if role is None:
        mb = _ROLE_BEFORE.search(work[max(0, run_start - 120) : run_start])
        if mb:
            # the description of this sentence only ('… was calm.  The Force Commander of MINUSTAH, X')
            role = _SENTENCE_STOP.split(mb.group(1))[-1]
    if role is None:
        mp = _POSSESSIVE_ROLE_BEFORE.search(work[max(0, run_start - 80) : run_start])
        if mp:  # "Serbia's Foreign Minister, Ivica Dacic"
            role = mp.group(0)
    if role is None:
        ml = _LOWER_TITLE_BEFORE.search(work[max(0, run_start - 30) : run_start])
        if ml and not ml.group(1).endswith("."):
            role = ml.group(1)
            # with the organisation and field words that make it a post ('UN peacekeeping chief')
            mods = _ROLE_MODIFIERS.search(work[max(0, run_start - 80) : run_start - len(ml.group(0))] + " ")
            if mods and mods.group(1).strip():
                role = mods.group(1).strip() + " " + role
    if role:
        role = role.replace("\u2011", "-").replace("\n", " ").strip(" ,")
        # a preposition that belongs to the words before ('the attack in Mitrovica Secretary-General Ban
        # Ki-moon …', 'a spokesman for U.N. Secretary-General …') is not part of the title
        role = re.sub(r"^(?:(?:in|at|from|near)\s+[A-Z][\w'\-]*|for|to|of|and)\s+(?=\S)", "", role) or None
    return role, rank


def to_records(persons: list[_Person]) -> list[Person]:
    """Frozen records, in order of first mention."""
    out = []
    for p in sorted(persons, key=lambda p: min(m.start for m in p.mentions)):
        name = p.name
        aliases = tuple(n for n in dict.fromkeys(p.names) if n != name)
        canonical = p.canonical if p.canonical and fold(p.canonical) != fold(name) else None
        first = min(p.mentions, key=lambda m: m.start)
        out.append(
            Person(
                name=name,
                person_id=p.person_id,
                canonical_name=canonical,
                role_as_stated=p.role,
                rank=p.rank,
                aliases=aliases,
                start=first.start,
                end=first.end,
            )
        )
    return out

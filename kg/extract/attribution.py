"""Who said what: reporting verbs, their speakers (resolved through pronouns and descriptions), quotes.

One statement per (sentence, speaker): the first reporting verb is the statement's verb, the others
go to ``other_verbs``. Speakers are found left of the verb (the clause subject, skipping appositions
and adverbs), right of it after a quotation or comma ("…," said Mr. Khare), after "according to",
or in headline patterns ("UNIFIL Commander: …", "… - UNIFIL", "…: UN"). Pronouns and descriptions
resolve to an earlier compatible speaker; headlines and indefinite descriptions ("a U.N. spokesman")
may point forward to someone named later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.extract import lexicon as lx
from kg.extract.gazetteer import Gazetteer, fold
from kg.extract.persons import _Person
from kg.extract.text import Quote
from kg.model import Mention

_PREPS = {
    "of",
    "in",
    "for",
    "by",
    "with",
    "to",
    "from",
    "at",
    "on",
    "about",
    "against",
    "between",
    "among",
    "into",
    "than",
    "towards",
    "toward",
    "under",
    "over",
    "like",
    "including",
    "via",
    "through",
    "after",
    "before",
    "during",
    "behind",
    "beside",
    "besides",
    "despite",
    "without",
    "within",
}
#: prepositions that also open a clause, whose subject the next noun phrase is
_SUBORDINATORS = {"after", "before", "since", "until"}
_DETS = {"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those", "such"}
#: adverbs, auxiliaries and date words between a subject and its verb; each is a whole word, so the
#: end of a name ('Salgado', 'Kelly', 'Italy') is never taken for one
_ADVERBIAL = re.compile(
    r"(?:\s*,?\s*\b(?:(?-i:[a-z]+ly)|also|further|then|long|again|still|later|earlier|now|once|already|never|"
    r"however|too|once again|in a statement|in a separate statement|(?:late |early )?on (?:Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)(?: (?:morning|afternoon|evening|night))?|"
    # dates between a subject and its verb ('The Secretary-General on 11 March condemned', '… last month')
    r"on \d{1,2} (?-i:[A-Z][a-z]+)(?: \d{4})?|on (?-i:[A-Z][a-z]+) \d{1,2}(?:, \d{4})?|last (?:month|year)|"
    r"earlier this (?:week|month)|in (?-i:January|February|March|April|June|July|August|September|October|"
    r"November|December)(?: \d{4})?|(?:late |early )?(?:Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)(?: (?:morning|afternoon|evening|night))?|today|yesterday|"
    r"this (?:morning|afternoon|evening|week)|tonight|last (?:night|week)|has|have|had|'s|did|does|do)"
    r"\s*,?)$",
    re.IGNORECASE,
)
#: the same in a title-case headline ('UN Chief Strongly Condemns …'), where adverbs are capitalised
_ADVERBIAL_TITLE = re.compile(
    _ADVERBIAL.pattern.replace("(?-i:[a-z]+ly)", "(?-i:[a-z]+ly|[A-Z][a-z]{3,}ly)"), re.IGNORECASE
)
_AUX = re.compile(
    r"(?:\b(?:has|have|had)(?:\s+(?:[a-z]+ly|also|long|further|already|since|never|repeatedly))*"
    r"\s+)$",
    re.IGNORECASE,
)
_LED_BY = re.compile(r"\b(?:led|headed|commanded|founded|backed)\s+by\s+$|\bloyal\s+to\s+$")
_PRONOUN = re.compile(r"(?<![\w-])(he|she|they|it|I|who|which)$", re.IGNORECASE)
_MODAL = re.compile(
    r"(?:\b(?:to|will|would|could|should|may|might|must|can|cannot|shall|due to|set to|"
    r"expected to|going to|is to|was|were|been|being|be|is|are)\s+(?:[a-z]+ly\s+)?)$",
    re.IGNORECASE,
)
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:a|an|the|his|her|its|their|our|this|that|these|those|such|press|new|"
    r"repeated|recent|latest|several|many|[\w-]+['\u2019]s)\s+)$",
    re.IGNORECASE,
)
#: nouns that an '-ing' form of a cue modifies ('warning shots', 'briefing room'): no speech there
_ING_COMPOUND = re.compile(
    r"\s+(?:shots?|signs?|lights?|sirens?|flares?|labels?|rooms?|notes|papers?|books?|packs?|kits?)\b"
)
#: person nouns news uses to vary the name of someone it quotes ('the veteran peacekeeper')
_VARIATION_NOUNS = {"peacekeeper", "veteran", "politician", "diplomat", "soldier", "statesman", "lawyer"}
_HEAD_NOUNS = lx.SPEAKER_NOUNS | lx.GROUP_NOUNS | lx.ORG_SPEAKER_NOUNS | {"delegates", "speakers", "speaker"}
#: lower-case words that end a noun phrase's run of modifiers: conjunctions, verbs, pronouns
_NOT_ADJECTIVES = {
    "and", "or", "but", "that", "as", "when", "while", "where", "is", "was", "are", "were", "has", "have",
    "had", "said", "says", "told", "it", "he", "she", "they", "we", "which", "who", "not",
}
_HEAD_NOUN_ALT = "|".join(sorted(_HEAD_NOUNS, key=len, reverse=True))
_MODIFIER = re.compile(
    r"^(?:[A-Z][\w.'\-]*|U\.N\.|UN|top|senior|chief|peacekeeping|peace|military|police|"
    r"council|security|government|mission|union|committee|opposition|rebel|army|"
    r"force|world|body's|body\u2019s|[\w-]+'s|[\w-]+\u2019s|\d+[\w-]*|(?:[\w-]+-)+\w+|"
    r"former|deputy|acting|new|special|civilian|local|national|international|regional|"
    r"ruling|\(UN\)|\(U\.N\.\)|[a-z]+ian|[a-z]+ese|other|several|some|two|three|four|"
    r"foreign|defen[cs]e|interior|federal|transitional|interim|media|press|armed|information|"
    r"aid|relief|humanitarian|medical|health|rights|one)$"
)
_KEEP_MODIFIERS = {
    "peacekeeping",
    "ruling",
    "governing",
    "leading",
    "visiting",
    "outgoing",
    "incoming",
    "retired",
    "united",
}
#: someone speaking on behalf of the person named after it
_AGENT_OF = re.compile(
    r"\b(?:spokes(?:man|woman|person)|aides?|advis[eo]rs?|lawyers?|office|representatives?|sources?|"
    r"officials?)\s+(?:for|of|to|close to)\s+(?:[\w.'\u2019-]+\s+){0,5}$",
    re.IGNORECASE,
)
#: a formal title whose complement is a whole noun phrase ('Special Representative of the Secretary-General
#: [in Cyprus] Jane Doe'): the name after it is the title holder, not a principal as in 'a spokesman for
#: EU foreign policy chief Javier Solana' (capitalised title, and the complement opens with 'the')
_FORMAL_TITLE_OF = re.compile(
    r"\b(?:Representative|Adviser|Advisor|Envoy|Coordinator)s?\s+(?:for|of|to)\s+the\s+"
    r"(?:[A-Z][\w.'\u2019-]*\s+(?:(?:in|for|of|on)\s+(?:the\s+)?)?){1,4}$"
)
#: a text that speaks for its issuer ('a statement …, which condemned …')
_TEXT_OF_SPEECH = re.compile(r"\b(?:statement|communiqu[eé]|declaration|message|letter)\b", re.I)
#: compass adjectives before a place name ('in southern Lebanon', 'in north-eastern Syria')
#: where and when a speaker spoke, between a verb and its complement: 'conceded in a message to the Security
#: Council that …', 'acknowledged on Monday that …', 'agreed at a news conference in Nairobi that …'
_OCCASION = re.compile(
    r"(?:\s*,?\s*(?:today|yesterday|tonight|(?:late\s+|early\s+)?on\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|"
    r"Sun)day|\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})|(?:in|at|during)\s+(?:a|an|the|his|her|its|their)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:message|statement|letter|interview|speech|address|conference|briefing|meeting|"
    r"session|debate|communiqu\w+|broadcast|report|tweet|post)|to\s+(?:reporters|journalists|the\s+press|"
    r"correspondents))"
    r"(?:\s+(?:to|with|before|in|at|on)\s+(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+(?:of\s+)?[A-Z][\w.'\u2019-]*)*)?)+"
)


def _complement_past_occasion(cond: re.Pattern[str], after: str) -> bool:
    """Whether a verb's complement follows once the occasion of speaking is skipped (see _OCCASION)."""
    m = _OCCASION.match(after)
    return m is not None and bool(cond.match(after[m.end():]))


#: the United Nations as a modifier before a mission's or body's description ('the U.N. force in …')
_UN_MODIFIER = re.compile(r"U\.N\.|UN|United|Nations|Nations'|world|body's")
_PLACE_ADJ = re.compile(r"(?:(?:north|south)(?:-?(?:east|west))?|east|west|central)(?:ern)?|upper|lower")
#: head nouns of a noun phrase that speaks for a country's government
_GOVERNMENT_HEADS = {"government", "ministry", "presidency", "cabinet", "administration", "junta"}
#: people who speak as a group in news, and each of whom may speak alone ('a resident', 'a witness')
_ONE_OF_GROUP = {
    "residents", "witnesses", "villagers", "refugees", "survivors", "activists", "protesters",
    "demonstrators", "sources", "lawmakers", "elders", "relatives", "observers", "analysts", "experts",
    "members", "rebels", "soldiers", "fighters", "workers", "doctors", "medics", "nurses", "civilians",
    "locals", "traders", "farmers", "students", "journalists", "correspondents",
}
#: a quantity of people before a plural head ('hundreds of protesters', 'dozens of residents')
_QUANTITY_OF = re.compile(
    r"(?<![\w-])(?:(?:[Hh]undreds|[Tt]housands|[Dd]ozens|[Ss]cores|[Tt]ens|[Mm]any|[Ss]ome|[Ss]everal|"
    r"[Mm]ost|[Aa]\s+(?:group|handful|number|crowd))\s+of\s+(?:the\s+)?)"
)
#: texts that name their source with 'from' ('a statement from the UN mission')
_SOURCE_OF_TEXT = {"statement", "communique", "report", "message", "letter", "release"}
_UN_SPEAKER = re.compile(r"^(?:the\s+)?(?:United Nations|U\.N\.|UN|world body)$", re.IGNORECASE)
_SC_DESC = re.compile(
    r"\b(?:(?:security )?council members|members of the (?:security )?council|the council|"
    r"15 member (?:body|panel|council))\b"
)
_PK_CHIEF = re.compile(
    r"\b(?:peacekeeping (?:chief|head|boss)|chief of (?:un )?peacekeeping|head of (?:un )?"
    r"peacekeeping|under ?secretary general for (?:un )?peace(?:keeping)? operations|"
    r"chief for peace operations|peace operations chief|usg for peace)"
)
_SG_DESC = re.compile(
    r"^(?:the )?(?:un |u n |united nations )?(?:secretary general|sg|unsg|un chief|"
    r"united nations chief)$|^(?:the )?(?:un|u n|united nations|world body s) chief$"
)
#: head noun of a description -> what the post or role of the person it means may say
_ROLE_SYNONYMS = {
    "official": r"representative|secretary|head|chief|commander|envoy|coordinator|official|"
    r"adviser|spokes|director|president|minister",
    "diplomat": r"representative|secretary|head|envoy|ambassador|diplomat|coordinator|official",
    "envoy": r"representative|envoy|head|coordinator",
    "chief": r"chief|head|secretary|commander|representative",
    "head": r"head|chief|representative|commander",
    "boss": r"chief|head|secretary",
    "general": r"(?<!secretary.)general|\bgen\.",  # a general ('Gen.'), not a Secretary-General
    "commander": r"commander|(?<!secretary.)general|\bgen\.",
    "spokesman": r"spokes",
    "spokesperson": r"spokes",
    "spokeswoman": r"spokes",
    "representative": r"representative",
}
_PK_POST = re.compile(r"Under-Secretary-General for Peace(?:keeping)? Operations")
_SG_POST = re.compile(r"^(?:Acting )?Secretary-General of the United Nations")


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: ``key`` identifies it within the document."""

    key: str
    name: str
    type: str  # person | organization | unnamed_person | group
    kind: str | None = None  # person | body | mission | country | org | un
    ref: str | None = None  # reference key
    gender: str | None = None


@dataclass
class Chunk:
    start: int
    end: int
    text: str
    kind: str  # person, pronoun, desc, group, un, body, mission, country, org, statement, report, rel
    ref: str | None = None


@dataclass
class Hit:
    start: int  # start of the verb (incl. auxiliary)
    end: int
    verb: str
    lemma: str
    participle: bool = False
    opening: bool = False
    coordinated: bool = False
    subordinate: bool = False  # the subject opens an 'after' / 'before' / 'since' clause
    chunk: Chunk | None = None
    speaker: Speaker | None = None
    addressee: str | None = None
    addressee_id: str | None = None


@dataclass
class Sentence:
    start: int
    end: int
    para: int
    headline: bool
    quotes: list[Quote] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    @property
    def quote_only(self) -> bool:
        return (
            bool(self.quotes)
            and self.quotes[0].open <= self.start + 1
            and (self.quotes[-1].close >= self.end - 2)
        )


class Resolver:
    """Coreference memory for one document: who has spoken, who was mentioned, in which order."""

    def __init__(
        self,
        g: Gazetteer,
        persons: list[_Person],
        mentions: list[Mention],
        date: str | None,
        paragraphs: list[tuple[int, int]] = (),
    ) -> None:
        self.g = g
        self.paragraphs = sorted(paragraphs)
        self.persons = persons
        self.by_key = {p.key: p for p in persons}
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.date = date
        self.history: list[tuple[int, Speaker]] = []  # (position, speaker)
        self.genders: dict[str, str] = {}
        self.transcript: Speaker | None = None
        self.org_subjects: list[tuple[int, Speaker]] = []
        self.speaker_counts: dict[str, int] = {}
        #: set while resolving 'a UN official': an indefinite description introduces someone new, so
        #: it never points back to a person already named (it may point forward to one named later)
        self.indefinite = False

    # ---- speakers from entities ---------------------------------------------------------------------
    def person(self, key: str) -> Speaker:
        p = self.by_key[key]
        return Speaker(p.key, p.name, "person", "person", p.person_id, self.genders.get(p.key))

    def entity(self, m: Mention) -> Speaker | None:
        if m.kind == "person":
            return self.person(m.id)
        if m.kind == "body":
            return Speaker("body:" + m.id, m.name, "organization", "body", m.id)
        if m.kind == "mission":
            return Speaker("mission:" + m.id, m.id, "organization", "mission", m.id)
        if m.kind == "country":
            return Speaker("country:" + m.id, m.name, "organization", "country", m.id)
        if m.kind == "org":
            return Speaker("org:" + m.id, m.name, "organization", "org", m.id)
        return None

    def un(self) -> Speaker:
        return Speaker("un", "United Nations", "organization", "un", "un")

    def remember(self, pos: int, sp: Speaker) -> None:
        self.history.append((pos, sp))
        self.speaker_counts[sp.key] = self.speaker_counts.get(sp.key, 0) + 1

    # ---- pronouns -------------------------------------------------------------------------------------
    def pronoun(self, word: str, pos: int) -> Speaker | None:
        w = word.lower()
        if w == "i":
            return self.transcript
        if w in ("he", "she"):
            g = "m" if w == "he" else "f"
            for _, sp in reversed(self.history):
                if sp.type in ("person", "unnamed_person"):
                    known = self.genders.get(sp.key)
                    if known and known != g:
                        continue
                    self.genders.setdefault(sp.key, g)
                    return sp
            prior = [m for m in self.mentions if m.kind == "person" and m.end <= pos]
            if prior:
                sp = self.person(prior[-1].id)
                self.genders.setdefault(sp.key, g)
                return sp
            return None
        if w == "they":
            for _, sp in reversed(self.history):
                if sp.type in ("group", "organization"):
                    return sp
            return None
        if w == "it":
            last_org = next((p_sp for p_sp in reversed(self.history) if p_sp[1].type == "organization"), None)
            last_subj = self.org_subjects[-1] if self.org_subjects else None
            if last_org and (not last_subj or last_subj[0] < last_org[0] or last_org[0] >= pos - 600):
                return last_org[1]
            return last_subj[1] if last_subj else None
        return None

    # ---- descriptions ---------------------------------------------------------------------------------
    def _persons_compatible(
        self, test: Callable[[_Person], bool], pos: int, forward: bool
    ) -> Speaker | None:
        prior, later = [], []
        for p in self.persons:
            if not test(p):
                continue
            first = min(m.start for m in p.mentions)
            (prior if first < pos else later).append(p)
        if prior and not self.indefinite:
            best = max(
                prior,
                key=lambda p: (
                    self.speaker_counts.get(p.key, 0) > 0,
                    len(p.mentions),
                    max(m.start for m in p.mentions if m.start < pos),
                ),
            )
            return self.person(best.key)
        if forward and self.indefinite:
            # 'a senior United Nations official told the Council …' / 'Briefing the Council, Martha Pobee, …':
            # someone new, named next; not anyone named paragraphs later with a post that fits
            limit = self._next_paragraph_end(pos)
            later = [p for p in later if min(m.start for m in p.mentions) < limit]
        if forward and later:
            best = min(later, key=lambda p: min(m.start for m in p.mentions))
            return self.person(best.key)
        return None

    def _next_paragraph_end(self, pos: int) -> int:
        """Where the paragraph after the one at ``pos`` ends (no limit when paragraphs are unknown)."""
        if not self.paragraphs:
            return 1 << 62
        ends = [b for _a, b in self.paragraphs if b > pos]
        return ends[1] if len(ends) > 1 else (ends[0] if ends else pos)

    def _ref_holder(
        self, post: re.Pattern[str], pos: int, forward: bool, title: re.Pattern[str] | None = None
    ) -> Speaker | None:
        pids = self.g.holders(post, self.date)
        sp = self._persons_compatible(lambda p: p.person_id in pids, pos, True)
        if sp:
            return sp
        if title is not None:
            # the person the text itself gives the title ('UN peacekeeping chief Jane Doe') comes before
            # the holder the reference data knows for the date, who is only the fallback
            sp = self._persons_compatible(lambda p: bool(p.role and title.search(fold(p.role))), pos, forward)
            if sp:
                return sp
        if self.date and len(pids) == 1:
            o = self.g.officials[pids[0]]
            return Speaker(pids[0], o.name, "person", "person", pids[0])
        return None

    def description(self, text: str, pos: int, end: int, forward: bool) -> Speaker | None:
        """Resolve 'the UN peacekeeping chief', 'the Canadian general', 'India's representative'…"""
        self.indefinite = bool(re.match(r"^(?:a|an) ", fold(text)))
        try:
            return self._description(text, pos, end, forward)
        finally:
            self.indefinite = False

    def _description(self, text: str, pos: int, end: int, forward: bool) -> Speaker | None:
        f = fold(text)
        f_noart = re.sub(r"^(?:the|a|an) ", "", f)
        if _SC_DESC.search(f) or f_noart in ("council", "security council members"):
            sc = self.g.bodies.get("security-council")
            return Speaker(
                "body:security-council",
                sc.display if sc else "Security Council",
                "organization",
                "body",
                "security-council",
            )
        inner = [m for m in self.mentions if pos <= m.start and m.end <= end]
        # 'Mali's military-led government', 'the British government', 'Syria's foreign ministry',
        # 'the government of Sudan': a government speaks for its country
        words0 = f_noart.split()
        cut0 = next((i for i, w in enumerate(words0) if i > 0 and w in ("of", "for", "in", "to")), None)
        gov_head = words0[:cut0][-1] if words0[:cut0] else ""
        if gov_head in _GOVERNMENT_HEADS:
            country = next((m for m in inner if m.kind == "country"), None)
            if country is not None:
                return self.entity(country)
        # 'the Iran-backed group', 'the rebel movement': the organisation named last before
        if gov_head in ("group", "movement", "militia") and not re.match(r"^(?:a|an) ", f):
            orgs = [m for m in self.mentions if m.kind == "org" and m.end <= pos]
            if orgs:
                return self.entity(orgs[-1])
        # '<Country>'s representative' / 'the <Demonym> delegation' / 'Delegate'; a country's ambassador
        # or envoy speaks for it too ('France's ambassador', 'the U.S. envoy'), under the words written
        envoy = gov_head in ("ambassador", "envoy")
        if (
            gov_head in ("representative", "delegation", "delegate", "speaker", "ambassador", "envoy")
            and not re.search(r"special|secretary|unsg|sg\b|un |united nations", f)
            and not any(m.kind in ("mission", "body") for m in inner)  # 'a Monuc representative'
        ):
            country = next((m for m in inner if m.kind == "country"), None)
            if country:
                if envoy:
                    name = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
                else:
                    name = (
                        f"{country.name}'s representative"
                        if not country.name.endswith("s")
                        else f"{country.name}' representative"
                    )
                return Speaker("rep:" + country.id, name, "unnamed_person", None, None)
            # 'the ambassador' is the one named before; 'the AU envoy' is nobody's delegate
            if not envoy or f_noart == gov_head:
                for _, sp in self.history:
                    if sp.key.startswith("rep:"):
                        return sp
            if forward and not envoy:
                return Speaker("rep:?", text, "unnamed_person", None, None)
        head_words = f_noart.split()
        cut = next(
            (i for i, w in enumerate(head_words) if i > 0 and w in ("of", "for", "in", "to", "at")), None
        )
        head_words = head_words[:cut]
        if head_words and head_words[-1] == "mission" and not inner:
            prior = [m for m in self.mentions if m.kind == "mission" and m.end <= pos]
            if prior:
                return self.entity(prior[-1])
            later = [m for m in self.mentions if m.kind == "mission"]
            if forward and len({m.id for m in later}) == 1:  # headline 'Mission condemns …': the one named
                return self.entity(later[0])
        council = next((m for m in self.mentions if m.kind == "body" and m.id == "security-council"), None)
        if re.search(r"\bpresidential statement$", f) and council is not None and council.start < pos:
            # UN usage: a presidential statement (S/PRST) is the Security Council's, whoever reads it out
            return self.entity(council)
        if re.search(r"\b(?:report|statement)$", f):
            for m in inner:
                if m.kind == "person":
                    return self.person(m.id)
            words = [w for w in text.split() if w[:1].isupper() and w.lower() not in ("the", "a")]
            for w in words:
                for p in self.persons:
                    if any(n.split()[-1] == w for n in p.names):
                        return self.person(p.key)
            if "statement" in f:
                for _, sp in reversed(self.history):
                    if sp.type in ("person", "organization"):
                        return sp
            return None
        if _PK_CHIEF.search(f):
            return self._ref_holder(_PK_POST, pos, forward, _PK_CHIEF) or self._by_role(
                r"peace", pos, forward
            )
        if _SG_DESC.match(f) and "under" not in f:
            return self._ref_holder(_SG_POST, pos, forward, _SG_DESC) or self._by_role(
                r"^(?:un |the )?secretary-general", pos, forward
            )
        missions = {m.id for m in inner if m.kind == "mission"}
        if gov_head in ("force", "mission", "operation", "operations") and len(missions) == 1:
            return self.entity(next(m for m in inner if m.kind == "mission"))
        words = f.split()
        head = next(
            (
                w
                for w in reversed(words[: _complement_start(words)])
                if w in lx.SPEAKER_NOUNS
                or w in lx.GROUP_NOUNS
                or w in ("official", "diplomat", "envoy", "boss")
            ),
            words[-1] if words else "",
        )
        if self.indefinite and head in lx.SPEAKER_NOUNS:
            # 'a Monuc representative said …. "…," said representative Hamadoun Toure': an indefinite
            # description introduces someone new, who is named next with the same role noun
            limit = min(pos + 400, self._next_paragraph_end(pos))
            later = [
                p
                for p in self.persons
                if pos < min(m.start for m in p.mentions) < limit
                and re.search(r"\b" + re.escape(head), " ".join(x for x in (p.role, p.rank) if x), re.I)
            ]
            if later:
                return self.person(min(later, key=lambda p: min(m.start for m in p.mentions)).key)
        if missions:

            def on_mission(p: _Person) -> bool:
                if p.person_id and any(t.post_org in missions for t in self.g.officials[p.person_id].tenures):
                    return True
                return bool(p.role and any(mid.lower() in p.role.lower() for mid in missions))

            sp = self._persons_compatible(on_mission, pos, True)
            if sp:
                return sp
        if re.search(r"\bunder secretary general\b", f):  # a post of its own, never the Secretary-General's
            return self._by_role(r"under.?secretary", pos, forward)
        if head in ("official", "officials", "diplomat", "envoy", "boss") or head in lx.SPEAKER_NOUNS:
            if head.endswith("s") and head not in lx.SPEAKER_NOUNS:
                return None
            role = re.compile(_ROLE_SYNONYMS.get(head, re.escape(head)), re.I)
            sp = self._by_role(role, pos, forward)
            return sp or self._last_person_speaker(f, pos, role)
        if head in _VARIATION_NOUNS:
            return self._last_person_speaker(f, pos)
        return None

    def _last_person_speaker(
        self, f: str, pos: int, role: re.Pattern[str] | None = None
    ) -> Speaker | None:
        """'… its chief Robert Mood said. "…," the veteran Norwegian peacekeeper told reporters': news
        varies its names for the speaker it is quoting, so a definite description whose head noun fits
        no stated role is the person who spoke last, if that was within the last few paragraphs. A post
        noun ('the force commander') does not vary the name of someone whose known post it does not fit
        (the Secretary-General)."""
        if not f.startswith("the "):
            return None
        for at, sp in reversed(self.history):
            if sp.type == "person" and pos - at < 1200:
                return sp if role is None or self._may_hold(sp, role) else None
            if sp.type == "person" or pos - at >= 1200:
                break
        return None

    def _known_posts(self, role: str | None, rank: str | None, person_id: str | None) -> str:
        """What is known of a person's posts: the role and rank the text gives, and the posts the
        reference data gives the official."""
        text = " ".join(x for x in (role, rank) if x)
        if person_id:
            text += " " + " ".join(t.post for t in self.g.officials[person_id].tenures)
        return text

    def _may_hold(self, sp: Speaker, role: re.Pattern[str]) -> bool:
        """Whether the person ``sp`` may be meant by a description with this role: yes when nothing is
        known of their post or role, else when what is known fits it."""
        p = next((p for p in self.persons if p.key == sp.key), None)
        if p is not None:
            known = self._known_posts(p.role, p.rank, p.person_id)
        else:
            known = self._known_posts(None, None, sp.ref if sp.ref in self.g.officials else None)
        return not known.strip() or bool(role.search(known))

    def _by_role(self, pattern: str | re.Pattern[str], pos: int, forward: bool) -> Speaker | None:
        rx = re.compile(pattern, re.IGNORECASE) if isinstance(pattern, str) else pattern

        def test(p: _Person) -> bool:
            return bool(rx.search(self._known_posts(p.role, p.rank, p.person_id)))

        return self._persons_compatible(test, pos, forward)


def _complement_start_any(words: list[str]) -> int:
    """Index of the first preposition after the first word ('mission in Tajikistan' -> 1)."""
    preps = ("of", "for", "in", "to", "at")
    return next((i for i, w in enumerate(words) if i > 0 and w in preps), len(words))


def _complement_start(words: list[str]) -> int:
    """Index where a prepositional complement starts ('official in the West African nation' -> 1)."""
    for i, w in enumerate(words):
        if (
            i > 0
            and w in ("of", "for", "in", "to", "at")
            and (words[i - 1] in lx.SPEAKER_NOUNS or words[i - 1] in ("official", "diplomat", "envoy"))
        ):
            return i
    return len(words)


#: 'according to UN and medical sources', '… to residents': people speaking as a group
_ACCORDING_GROUP = re.compile(
    r"\s*((?:(?:the|some|several|local|two|three|many)\s+)?(?:[\w.'-]+\s+){0,4}?(?:"
    + "|".join(sorted(lx.GROUP_NOUNS))
    + r"))(?![\w-])"
)
#: 'according to Radio Free Europe': a capitalised name (with inner 'of', 'for', 'and')
_ACCORDING_NAME = re.compile(r"\s*((?:the\s+)?[A-Z][\w'-]+(?:\s+(?:(?:of|for|and|the)\s+)*[A-Z][\w'-]+)*)")
#: texts, not speakers: 'according to the Charter', '… to Resolution 2100', '… to the Pact for the Future'
_ACCORDING_DOCUMENT = re.compile(
    r"\b(?:Charter|Resolutions?|Agreements?|Accords?|Pact|Plan|Constitution|Law|Conventions?|Protocols?|"
    r"Declaration|Treaty|Statistics|Figures|Data|Census|Guidelines|Rules|Mandate|Report)\b"
)
#: a verb right after a closing quotation and its speaker ('"…," Tenenti concluded', '"…," he went on')
_AFTER_QUOTE = re.compile(r"[,?!]\s*[\"\u201d'\u2019]\s*(?:[\w.'-]+\s+){0,4}$")


class Attributor:
    """Finds reporting verbs in sentences and attaches speakers and quotes."""

    def __init__(self, work: str, masked: str, g: Gazetteer, resolver: Resolver) -> None:
        self.work = work  # normalised text, junk blanked
        self.masked = masked  # ... and quotation interiors blanked with '~'
        self.g = g
        self.r = resolver
        self.entity_mentions = [
            m for m in resolver.mentions if m.kind in ("person", "body", "mission", "country", "org")
        ]

    # ---- verbs ----------------------------------------------------------------------------------------
    def verb_hits(self, s: Sentence) -> list[Hit]:
        text = self.masked
        hits: list[Hit] = []
        for word, vs, ve in lx.speech_words(text, s.start, s.end):
            low = word.lower()
            after = text[ve : s.end]
            before = text[s.start : vs]
            lemma = lx.FORM_TO_LEMMA.get(low)
            verb_text = word
            if low in lx.PHRASAL_FORMS:
                plemma = lx.PHRASAL_FORMS[low]
                matched = None
                for base, particle, phr in lx.PHRASAL:
                    if base != plemma:
                        continue
                    pm = re.match(r"\s+(" + particle + r")(?=\s+[\w\"\u201c'\u2018]|\.)", after)
                    if pm:
                        matched = (phr, pm)
                        break
                if matched:
                    lemma = matched[0]
                    verb_text = word + after[: matched[1].end()]
                    ve = ve + matched[1].end()
                    after = text[ve : s.end]
                elif plemma == "call" and re.match(
                    r"\s+(?:the|it|them|this|these|his|her)\b[^.;\"\u201c]{0,60}"
                    r"[\"\u201c'\u2018]",
                    after,
                ):
                    lemma = "describe"
                elif lemma is None:
                    continue
            if lemma is None:
                continue
            if (
                word[:1].isupper()
                and not s.headline
                and vs != s.start
                and text[s.start : vs].strip() not in ("", '"', "\u201c")
            ):
                continue  # 'Welcome to …' inside a sentence, names like 'Said'
            cond = lx.CONDITIONAL.get(lemma)
            opening_part = low.endswith("ing") and not text[s.start : vs].strip(" \"\u201c'")
            # after a quotation ('"…," Tenenti concluded') the quotation is the verb's complement
            post_quote = bool(_AFTER_QUOTE.search(self.work[s.start : vs]))
            if (
                cond
                and not cond.match(after)
                and not _complement_past_occasion(cond, after)
                and not (opening_part and low in lx.OPENING_PARTICIPLES)
                and not post_quote
            ):
                continue
            if low in ("thanks",) and re.match(r"\s+(?:in part\s+)?to\b", after):
                continue
            if _MODAL.search(before) and not re.search(
                r"\b(?:has|have|had)\s+(?:[a-z]+ly\s+)?$", before, re.I
            ):
                continue
            if re.match(r"\s+by\b", after) and low.endswith("ed"):
                continue  # passive: 'measures announced by …'
            ing = low.endswith("ing")
            if re.search(r"[\w-]['\u2019]s\s+$", before):
                continue  # "Ban Ki-moon's call for …": a noun
            if (ing or low.endswith(("s",))) and _NOUN_BEFORE.search(before) and lemma not in ("say",):
                continue  # 'a briefing', 'the warning', 'his remarks'
            if ing and _ING_COMPOUND.match(after):
                continue  # 'fired warning shots', 'in the briefing room': a modifier, not a verb
            if ing and re.search(r"[A-Z][\w-]*\s+$", before) and not s.headline and before.strip():
                prev_word = before.split()[-1]
                if prev_word[:1].isupper() and prev_word.lower() not in ("he", "she", "it", "they"):
                    continue  # 'Press Briefing'
            aux = _AUX.search(before)
            start = vs
            if aux:
                start = vs - len(aux.group(0))
                verb_text = text[start:vs] + verb_text
                verb_text = re.sub(r"\s+", " ", verb_text)
            opening = ing and not before.strip(" \"\u201c'")
            hits.append(Hit(start, ve, verb_text.strip(), lemma, participle=ing, opening=opening))
        for m in lx.ACCORDING_RE.finditer(text, s.start, s.end):
            hits.append(Hit(m.start(), m.end(), m.group(0), "according to"))
        hits.sort(key=lambda h: h.start)
        return hits

    # ---- chunks ---------------------------------------------------------------------------------------
    def _mention_ending(self, end: int, start_min: int) -> Mention | None:
        best = None
        for m in self.entity_mentions:
            if m.end == end and m.start >= start_min and (best is None or m.start < best.start):
                best = m
        return best

    def _mention_starting(self, start: int) -> Mention | None:
        best = None
        for m in self.entity_mentions:
            if m.start == start and (best is None or m.end > best.end):
                best = m
        return best

    def chunk_ending(self, s0: int, end: int) -> Chunk | None:
        """The speaker-like noun phrase that ends at ``end`` (sentence starts at ``s0``)."""
        text = self.masked
        seg = text[s0:end]
        paren = re.search(r"\s*\(\s*[\w.'\-]{2,15}(?:\s+[\w.'\-]{1,15}){0,4}\s*\)$", seg)
        if paren:
            # 'the United Nations Interim Force in Lebanon (UNIFIL)': the name before its acronym;
            # 'Jonathan Cohen (United States)': a delegate before the country, in meetings coverage
            inner = self._mention_ending(end - 1, s0)
            before = self.chunk_ending(s0, s0 + paren.start())
            if inner is not None and inner.kind != "person" and (before is None or before.kind == inner.kind):
                start = before.start if before is not None else inner.start
                return Chunk(start, end, text[start:end].strip(), inner.kind, inner.id)
            if before is not None and before.kind not in ("pronoun", "rel"):
                return Chunk(before.start, end, text[before.start : end].strip(), before.kind, before.ref)
        m = self._mention_ending(end, s0)
        if m is not None and m.kind in ("country", "org", "body", "mission"):
            # 'Ambassador Zhang Jun of China', 'Nicolas de Riviere of France': UN meeting coverage names
            # a delegate by their country after 'of' or 'from'; the person speaks
            of = re.search(r"\s+(?:of|from)\s+(?:the\s+)?$", text[s0 : m.start])
            p = self._mention_ending(s0 + of.start(), s0) if of else None
            if p is not None and p.kind == "person":
                return Chunk(p.start, p.end, text[p.start : p.end], "person", p.id)
        if (
            m is not None
            and m.kind == "person"
            and _AGENT_OF.search(text[s0 : m.start])
            and not _FORMAL_TITLE_OF.search(text[s0 : m.start])
        ):
            m = None  # 'a spokesman for EU foreign policy chief Javier Solana' speaks, not Solana
        if m is not None:
            # the mention is the object of a preposition, not the subject: 'the head of the U.N. mission
            # in Liberia' speaks, not the mission (determiners, places and 'U.N.' modify the object)
            pw = text[s0 : m.start].rstrip().split()
            while pw and (pw[-1].lower() in _DETS or _PLACE_ADJ.fullmatch(pw[-1].lower())
                          or _UN_MODIFIER.fullmatch(pw[-1])):
                pw.pop()
            # ('A day after the UN Security Council threatened': a clause, whose subject the Council is)
            conjunction = pw and pw[-1].lower() in _SUBORDINATORS
            if pw and pw[-1].lower() in _PREPS and not conjunction and m.kind != "person":
                m = None
        if m is not None:
            # 'the UN peacekeeping chief' style: a mention followed by a head noun is handled below
            kind = m.kind
            start = m.start
            pre = text[s0:start]
            # include a leading article / title in the surface form
            art = re.search(r"(?:\b(?:the|The)\s+)$", pre)
            if not (kind == "country" and m.text in self.g.demonym_forms):  # 'the Malian' is not Mali
                lead = start - (len(art.group(0)) if art else 0)
                return Chunk(lead, end, text[lead:end].strip(), kind, m.id)
        pm = _PRONOUN.search(seg)
        if pm:
            return Chunk(
                s0 + pm.start(),
                end,
                pm.group(1),
                "rel" if pm.group(1).lower() in ("who", "which") else "pronoun",
            )
        um = re.search(r"(?:\b(?:[Tt]he)\s+)?(?:United Nations|U\.N\.|UN|world body)$", seg)
        before_un = seg[: um.start()].split() if um else []
        if um and not re.search(r"[\w-]$", seg[: um.start()]) and not (before_un and before_un[-1] in _PREPS):
            # ('diplomats at the United Nations said': the UN is the object of 'at', the diplomats speak)
            return Chunk(s0 + um.start(), end, um.group(0), "un")
        # description: [det] modifiers* HEAD [complement]; a comma between digits ('the 8,000-strong
        # force') separates thousands, not phrases
        seg = re.sub(r"(?<=\d),(?=\d{3})", "0", seg)
        words = list(re.finditer(r"[\w.'\u2019()\-]+", seg))
        if not words:
            return None
        cands = []
        last = words[-1]
        # complement: HEAD (of|for|in|to) … up to the end, no comma. It wins over a head noun at the
        # end, which is then the object of the preposition ('the head of the mission', 'the envoy to
        # the Council'), not the subject.
        inside = [(x.start - s0, x.end - s0) for x in self.entity_mentions if x.kind != "person"]
        for i in range(len(words) - 2, max(-1, len(words) - 14), -1):
            w = words[i].group(0).lower()
            if "," in seg[words[i].end() :] or ";" in seg[words[i].end() :]:
                break
            if any(a <= words[i].start() < b for a, b in inside):
                continue  # 'Force' in 'the UN Interim Force in Lebanon' is part of a name
            nxt = words[i + 1].group(0).lower()
            one_of = {w + "s", w + "es"} & _ONE_OF_GROUP  # 'a doctor at the hospital'
            if (w in _HEAD_NOUNS or (w.endswith("s") and w[:-1] in _HEAD_NOUNS) or one_of) and (
                nxt in ("of", "for", "in", "to", "at") or (nxt == "from" and w in _SOURCE_OF_TEXT)
            ):
                # 'a statement from the UN mission': a text names its source with 'from'. The leftmost
                # head wins: 'the head of the U.N. observer mission in Tajikistan' is a head, not a mission
                cands[:] = [i]
        if not cands and (
            last.group(0).lower().rstrip(".") in _HEAD_NOUNS
            or last.group(0).lower().rstrip("s") in _HEAD_NOUNS
            or last.group(0).lower() in _VARIATION_NOUNS  # singular only: 'the peacekeeper said'
            # 'a resident said', 'one witness said': one of a group noun
            or {last.group(0).lower() + "s", last.group(0).lower() + "es"} & _ONE_OF_GROUP
        ):
            cands.append(len(words) - 1)
        if not cands:
            return None
        hi = cands[0]
        lo = hi
        while lo - 1 >= 0:
            prev = words[lo - 1]
            gap = seg[prev.end() : words[lo].start()]
            if gap.strip():
                break
            pw = prev.group(0)
            if pw.lower() in _DETS:
                lo -= 1
                break
            if pw.lower() in _PREPS or pw.lower() in (
                "and",
                "or",
                "but",
                "that",
                "as",
                "when",
                "while",
                "where",
            ):
                break
            if _MODIFIER.match(pw) and (
                pw.lower() in _KEEP_MODIFIERS or not re.match(r"^(?:[a-z]+ed|[a-z]+ing)$", pw)
            ):
                lo -= 1
                continue
            # 'the veteran Norwegian peacekeeper': plain adjectives between an article and the head
            k = lo - 1
            while k >= 0 and lo - k <= 3 and re.fullmatch(r"[a-z]+", words[k].group(0)):
                w = words[k].group(0)
                if w in _PREPS or w in _NOT_ADJECTIVES or re.search(r"(?:ed|ing|ly)$", w):
                    break
                if k > 0 and words[k - 1].group(0).lower() in ("the", "a", "an"):
                    lo = k - 1
                    break
                k -= 1
            break
        start = s0 + words[lo].start()
        head = words[hi].group(0)
        qm = _QUANTITY_OF.search(text, s0, start)
        if qm is not None and qm.end() == start and head.lower() in lx.GROUP_NOUNS:
            start = qm.start()  # 'hundreds of protesters said': the quantity and its people speak
        ctext = text[start:end].strip()
        kind = (
            "group"
            if head.lower().endswith("s")
            and head.lower().rstrip("s") not in ("statu",)
            and head.lower() not in lx.SPEAKER_NOUNS
            and head.lower() not in lx.ORG_SPEAKER_NOUNS
            else "desc"
        )
        if {head.lower() + "s", head.lower() + "es"} & _ONE_OF_GROUP:
            kind = "desc"  # 'one witness': a single person of a group noun, whose singular ends in -s
        if head.lower() in ("statement", "report"):
            kind = "statement"
        return Chunk(start, end, ctext, kind)

    def chunk_starting(
        self, start: int, limit: int, *, strict: bool = True, bare: bool = False
    ) -> Chunk | None:
        text = self.masked
        while start < limit and text[start] in " \n":
            start += 1
        m = self._mention_starting(start)
        if m is None:
            art = re.match(r"(?:the|The)\s+", text[start:limit])
            if art:
                m = self._mention_starting(start + art.end())
        seg = text[start:limit]
        if m is not None and m.kind == "country" and m.text in self.g.demonym_forms:
            # 'French President Jacques Chirac': the person the demonym and title introduce
            p = next((x for x in self.entity_mentions if x.kind == "person" and x.start >= m.end), None)
            if p is not None and re.fullmatch(r"(?:\s+[\w.'\-]+){0,3}\s+", text[m.end : p.start]):
                return Chunk(p.start, p.end, text[p.start : p.end], "person", p.id)
        if m is not None and m.kind != "person":
            # 'MINUSMA spokesman Olivier Salgado': the organisation names the person's post
            p = self._titled_person(start, limit)
            if p is not None:
                return p
        if m is not None:
            return Chunk(start, m.end, text[start : m.end], m.kind, m.id)
        p = self._titled_person(start, limit)
        if p is not None:
            return p
        pm = re.match(r"(he|she|they|it)\b", seg, re.IGNORECASE)
        if pm:
            return Chunk(start, start + pm.end(), pm.group(1), "pronoun")
        # (?!\w), not \b: after the stop of 'U.N.' a word boundary needs a letter next, never a blank
        um = re.match(r"(?:the\s+)?(?:United Nations|U\.N\.|UN)(?!\w)(?!\s+[A-Za-z]+(?:\s|$))", seg)
        if um:
            return Chunk(start, start + um.end(), um.group(0), "un")
        st = re.match(
            r"(?:a|the|his|her|its)\s+(?:separate\s+|joint\s+|written\s+)?(?:statement|communiqu[eé]|"
            r"press release|declaration)\s+(?:issued|released|"
            r"read(?: out)?|delivered|circulated)\s+by\s+(?:(his|her|its)\s+)?"
            r"((?:U\.N\.|U\.S\.|[^,.;]){0,80})",
            seg,
            re.IGNORECASE,
        )
        if st:
            return Chunk(start, start + st.end(), st.group(0), "statement", (st.group(1) or "").lower())
        dm = re.match(
            r"((?:the\s+|a\s+|an\s+"
            + (r"|(?=[a-z]+\s+[a-z]+\b)" if bare else "")
            + r")(?:[\w.'\u2019()\-]+\s+){0,6}?(?:"
            + _HEAD_NOUN_ALT
            + r"))\b(?:\s+(?:of|for|in|to)\s+[^,.;]{1,60}?)?"
            + (r"(?=[,.;]|$)" if strict else r"(?=[,.;]|$|\s+[a-z]+(?:ed|s)\b)"),
            seg,
            re.IGNORECASE,
        )
        if dm:
            after = seg[dm.end() :]
            pm2 = re.match(r",\s+", after)
            if pm2:
                m2 = self._mention_starting(start + dm.end() + pm2.end())
                if m2 is not None and m2.kind == "person":
                    return Chunk(m2.start, m2.end, text[m2.start : m2.end], "person", m2.id)
            return Chunk(start, start + dm.end(), dm.group(0), "desc")
        return None

    def _titled_person(self, start: int, limit: int) -> Chunk | None:
        """'Col. Jim Campbell', 'representative Hamadoun Toure', 'UNMEE spokeswoman Gail …': a person
        whose name follows nothing but title, rank and role words (and the body, mission or country
        they serve) is the head of the noun phrase, so the person speaks."""
        text = self.masked
        window = min(limit, start + 90)
        p = next((m for m in self.entity_mentions if m.kind == "person" and start < m.start < window), None)
        if p is None:
            return None
        lead = list(text[start : p.start])
        for m in self.entity_mentions:  # the names of bodies, missions and countries may stand in it
            if m.kind != "person" and start <= m.start and m.end <= p.start:
                lead[m.start - start : m.end - start] = " " * (m.end - m.start)
        words = "".join(lead).split()
        if not words or len(words) > 6 or all(w.lower() == "the" for w in words):
            return None
        for w in words:
            low = w.lower()
            if not (
                low in lx.TITLE_WORDS
                or low.lstrip("-") in lx.RANK_WORDS
                or low in lx.SPEAKER_NOUNS
                or low in ("un", "u.n.")
            ):
                return None
        return Chunk(p.start, p.end, text[p.start : p.end], "person", p.id)

    def according_to_source(self, start: int, limit: int) -> Chunk | None:
        """The source of 'according to X' (the one place this cue is attributed).

        A known entity, pronoun or description first ('according to the statement', 'to UNMIL'); else
        a plural noun phrase of people ('UN and medical sources', 'residents') as a group; else a
        capitalised name the gazetteer does not know ('Radio Free Europe', 'Inter-Services Public
        Relations') as an organisation. A country alone ('according to Mali') is not a source.
        """
        c = self.chunk_starting(start, limit)
        rel = re.compile(r"\s+(?:who|whom)\s").search(self.masked, start, limit)
        if c is None and rel is not None:
            # 'according to a Western diplomat who spoke on condition of anonymity': the source before
            # its relative clause
            c = self.chunk_starting(start, rel.start())
        if c is not None:
            return None if c.kind == "country" else c
        text = self.masked
        seg = text[start:limit]
        gm = _ACCORDING_GROUP.match(seg)
        if gm:
            return Chunk(start + gm.start(1), start + gm.end(1), gm.group(1), "group")
        nm = _ACCORDING_NAME.match(seg)
        if nm:  # 'according to Information Minister Julius Spencer': the person the title introduces
            a, b = start + nm.start(1), start + nm.end(1)
            p = next((m for m in self.entity_mentions if m.kind == "person" and a <= m.start < b), None)
            if p is not None:
                return Chunk(p.start, p.end, text[p.start : p.end], "person", p.id)
        if nm and _ACCORDING_DOCUMENT.search(nm.group(1)):
            return None  # 'according to the Pact for the Future': conformity with a text, not a source
        if nm and nm.group(1).split()[-1].lower() not in lx.PRONOUNS:
            return Chunk(start + nm.start(1), start + nm.end(1), nm.group(1), "neworg")
        return None

    # ---- subjects -------------------------------------------------------------------------------------
    def left_subject(self, s: Sentence, hit: Hit) -> Chunk | None:
        text = self.masked
        end = hit.start
        # strip adverbs, auxiliaries and date words between subject and verb
        while True:
            seg = text[s.start : end]
            m = (_ADVERBIAL_TITLE if s.headline else _ADVERBIAL).search(seg)
            if not m or m.start() == len(seg):
                break
            end = s.start + m.start()
        seg = text[s.start : end].rstrip()
        end = s.start + len(seg)
        if not seg:
            return None
        if seg.endswith(","):
            # apposition: SUBJECT, APPOSITION, VERB
            inner_end = end - 1
            prev_comma = text.rfind(",", s.start, inner_end)
            if prev_comma != -1 and not re.search(r"[\"\u201d]\s*$", text[s.start : prev_comma + 1]):
                appos = [
                    m
                    for m in self.entity_mentions
                    if prev_comma < m.start
                    and m.end <= inner_end
                    and m.kind == "person"
                    and not _LED_BY.search(text[prev_comma : m.start])  # 'a militia led by X'
                ]
                if appos:
                    m0 = appos[0]
                    return Chunk(m0.start, m0.end, text[m0.start : m0.end], "person", m0.id)
                c = self.chunk_ending(s.start, prev_comma)
                if c is not None and c.kind != "rel":
                    return c
            return None
        if re.search(r"[\"\u201d'\u2019]\s*$", seg) or seg.endswith(("~", ":")):
            return None
        # '… declined to give specifics but said': 'but' joins verbs of one subject as 'and' does
        if re.search(r"(?:\band|\bbut|;)$", seg) and hit.lemma:
            hit.coordinated = True
            return None
        c = self.chunk_ending(s.start, end)
        issued = self.chunk_starting(s.start, end)
        if issued is not None and issued.kind == "statement" and issued.end >= end - 1:
            c = issued  # 'A communique issued by the U.N. command said': the text's issuer speaks
        if c is None:
            # 'A senior diplomat who spoke on condition of anonymity said': a restrictive relative
            # clause (no commas) between the subject and its verb
            rel = re.search(r"\s(?:who|whom)\s[^,;~\"\u201c\u201d]{3,90}$", seg)
            if rel is not None:
                c0 = self.chunk_ending(s.start, s.start + rel.start())
                if c0 is not None and c0.kind not in ("pronoun", "rel", "statement"):
                    c = c0
        before = text[s.start : c.start].rstrip().split() if c is not None else []
        # 'after', 'before', 'since' also open clauses: 'A day after the Security Council threatened …'
        governed = bool(before) and before[-1].lower() in _PREPS and before[-1].lower() not in _SUBORDINATORS
        if c is not None and before and before[-1].lower() in _SUBORDINATORS:
            hit.subordinate = True  # an act placed before or after another: it has no date of its own
        if c is None or (governed and c.kind not in ("pronoun", "rel")):
            # 'NAME, the Special Representative … and head of UNMISS said': an apposition left open
            for m in reversed(self.entity_mentions):
                if m.kind == "person" and s.start <= m.start and m.end < end:
                    rest = text[m.end : end]
                    if re.match(r"^,\s+[^,;~\"\u201d]*$", rest) and any(
                        w.lower() in lx.SPEAKER_NOUNS for w in re.findall(r"[\w-]+", rest)
                    ):
                        return Chunk(m.start, m.end, text[m.start : m.end], "person", m.id)
                    break
            return None
        if c.kind == "rel":
            ant_end = c.start
            seg2 = text[s.start : ant_end].rstrip()
            texts = list(_TEXT_OF_SPEECH.finditer(seg2)) if c.text.lower() == "which" else []
            if texts and seg2.endswith(","):
                # 'Guterres issued a statement through a spokesman, which condemned …': 'which' is the
                # text, not the person beside it, and a text speaks for its issuer, the subject of 'issued'
                before_text = seg2[: texts[-1].start()]
                issued = re.search(r"\s(?:issued|released|published|sent|made)\s+(?:[\w-]+\s+){0,3}$",
                                   before_text)
                if issued is not None:
                    ant = self.chunk_ending(s.start, s.start + len(before_text[: issued.start()].rstrip()))
                else:
                    ant = self.chunk_ending(s.start, s.start + texts[-1].end())
                if ant is not None:
                    return ant
            if seg2.endswith(","):
                prev_comma = text.rfind(",", s.start, s.start + len(seg2) - 1)
                target = prev_comma if prev_comma != -1 else s.start + len(seg2) - 1
                ant = self.chunk_ending(s.start, target)
                if ant is None:
                    ant = self.chunk_ending(s.start, s.start + len(seg2) - 1)
                return ant
            return None
        return c

    def right_subject(self, s: Sentence, hit: Hit) -> Chunk | None:
        text = self.masked
        pos = hit.end
        m = re.match(
            r"(?:\s+(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|today|"
            r"yesterday|[a-z]+ly))*",
            text[pos : s.end],
        )
        if m:
            pos += m.end()
        return self.chunk_starting(pos, s.end, bare=True)

    def inverted(self, s: Sentence, hit: Hit) -> bool:
        before = self.masked[s.start : hit.start].rstrip()
        return bool(before) and (before.endswith(",") or bool(re.search(r"[\"\u201d'\u2019~]\s*,?$", before)))

    # ---- resolution -----------------------------------------------------------------------------------
    def _unnamed(self, c: Chunk) -> str:
        """Name of an unnamed speaker: no leading 'the', no trailing location ('… in Kampala')."""
        name = re.sub(r"^(?:the|The)\s+", "", c.text.strip())
        loc = re.search(r"\s+(?:in|at)\s+(?:[A-Z][\w'\-]*\s*)+$", name)
        if loc and not any(
            m.kind in ("country", "mission", "body") and c.start + loc.start() <= m.start < c.end
            for m in self.entity_mentions
        ):
            name = name[: loc.start()]
        return name

    def resolve(self, c: Chunk, pos: int, forward: bool = False) -> Speaker | None:
        r = self.r
        if c.kind == "person":
            return r.person(c.ref)
        if c.kind in ("body", "mission", "country", "org"):
            m = next((m for m in self.entity_mentions if m.kind == c.kind and m.id == c.ref), None)
            return r.entity(m) if m else None
        if c.kind == "un":
            return r.un()
        if c.kind == "pronoun":
            return r.pronoun(c.text, pos)
        if c.kind == "statement":
            owner = c.ref or ""
            if owner in ("his", "her"):
                return r.pronoun("he" if owner == "his" else "she", pos)
            if owner == "its":
                return r.pronoun("it", pos)
            inner = [m for m in self.entity_mentions if c.start <= m.start and m.end <= c.end]
            sp = r.description(c.text, c.start, c.end, forward)
            if sp:
                return sp
            if inner:
                return r.entity(inner[-1])
            by = re.search(r"\bby\s+", self.masked[c.start : c.end])
            if by is not None:  # '… issued by the U.N. command': the issuer, resolved as a subject
                issuer = self.chunk_starting(c.start + by.end(), c.end, strict=False)
                if issuer is not None and issuer.kind != "statement":
                    return self.resolve(issuer, pos, forward)
            return None
        if c.kind == "desc":
            if _UN_SPEAKER.match(c.text.strip()):
                return r.un()
            sp = r.description(c.text, c.start, c.end, True)
            if sp:
                return sp
            name = self._unnamed(c)
            words = fold(name).split()
            words = words[: _complement_start_any(words)]  # 'mission in Tajikistan': the head is 'mission'
            head = words[-1] if words else ""
            if head in lx.ORG_SPEAKER_NOUNS and head not in ("statement", "report", "communique"):
                # 'the military's media wing', 'the interior ministry': an organisation, not a person
                return Speaker("org:" + fold(name), name, "organization", None, None)
            return Speaker("desc:" + fold(name), name, "unnamed_person", None, None)
        if c.kind == "neworg":
            name = re.sub(r"^the\s+", "", c.text)
            return Speaker("org:" + fold(name), name, "organization", None, None)
        if c.kind == "group":
            sp = r.description(c.text, c.start, c.end, forward)
            if sp:
                return sp
            name = self._unnamed(c)
            if re.fullmatch(r"[A-Z][a-z]+s", name):
                longer = re.search(r"\b([A-Z][a-z]+ " + re.escape(name) + r")\b", self.work)
                if longer:
                    name = longer.group(1)
            return Speaker("group:" + fold(name), name, "group", None, None)
        return None


_ADDRESSEE = re.compile(
    r"^\s+(?:a\s+(?:meeting|session|briefing)\s+of\s+)?(?:the\s+)?(reporters|journalists|"
    r"the press|the media|press|correspondents)\b",
    re.IGNORECASE,
)


def addressee(work: str, hit: Hit, mentions: list[Mention], sent_end: int) -> tuple[str | None, str | None]:
    """'told reporters' -> ('reporters', None); 'briefed the Security Council' -> (name, body id)."""
    if hit.lemma not in (
        "tell",
        "brief",
        "inform",
        "say",
        "urge",
        "ask",
        "appeal",
        "call on",
        "state",
        "stress",
    ):
        return None, None
    after = work[hit.end : sent_end]
    m = _ADDRESSEE.match(after)
    if m and hit.lemma in ("tell", "brief", "inform"):
        return "reporters", None
    window_end = hit.end + min(len(after), 60)
    for mm in mentions:
        if mm.kind == "body" and hit.end <= mm.start < window_end:
            gap = work[hit.end : mm.start]
            if re.fullmatch(
                r"\s+(?:(?:a\s+(?:meeting|session|briefing)\s+of\s+)?the\s+|members\s+of\s+the\s+)?"
                r"(?:UN\s+|U\.N\.\s+|United Nations\s+)?",
                gap,
            ):
                return mm.name, mm.id
    return None, None

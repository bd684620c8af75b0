"""Named things in a document: missions, UN bodies, frameworks, other organisations, countries, people.

Matching runs on a same-length working copy of the text (normalised, page chrome blanked), so every
mention keeps the offsets of the original. Order matters: missions, bodies and organisations are
found first, and a country name inside one of their names ("Interim Force in Lebanon") is not a
mention of the country.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.extract import lexicon as lx
from kg.extract.gazetteer import Gazetteer, fold
from kg.files import read_text_lines
from kg.model import Mention

_UN = r"(?:United Nations|U\.N\.|UN)"
_CAPW = r"(?:[A-Z][\w'\-]*\.?|of|for|in|and|the|on|to|de|d'|-)"
MISSION_NAME_RE = re.compile(
    _UN
    + r"(?:[\s-]+African Union)?(?:\s+(?!(?:UN|U\.N\.|United)\b)"
    + _CAPW
    + r"){0,8}\s+(?:Mission|Force|Operation|Authority|"
    r"Administration|Group|Observers|Office|Presence|Organization)(?:\s+(?:of|for|in|to|on)(?:\s+the)?"
    r"(?:\s+[A-Z][\w'\-]*(?:,)?(?:\s+(?:of|and)(?:\s+the)?(?=\s+(?!(?:UN|U\.N\.|United)\b)[A-Z]))?){1,6})?"
)
_FUZZY_ACR = re.compile(r"(?<![\w-])(?:UN|MIN|MON|ONU)[A-Z]{2,7}(?![\w-])")
MISSION_NOUN_RE = re.compile(
    r"(?<![\w-])(?:(?:peacekeeping|peace-keeping|peace)\s+(?:mission|operation|force)s?|"
    r"(?:observer|observation)\s+(?:group|mission|force)s?|missions?|"
    r"operations?|force|peacekeepers|blue helmets|observers|(?:force\s+)?commander|"
    # soldiers are the mission's only when the UN is named right before them ('U.N. troops in East Timor')
    r"(?:UN|U\.N\.|United Nations)\s+(?:troops|soldiers|forces|contingents?))(?![\w-])",
    re.IGNORECASE,
)
_UN_MARK = re.compile(
    r"(?<![\w-])(?:UN|U\.N\.|United Nations|peacekeeping|peacekeepers|peace-keeping|[Oo]ur)"
    r"(?![\w-])"
)
_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20[0-4]\d)(?!\d)")
_BARE_ACRONYM = re.compile(r"(?<![\w-])([A-Z]{4,8})(?![\w-])(?!\s+(?:I{1,3}|IV)\b)")
#: words that say nothing about which mission a name means
_NAME_STOPWORDS = {"of", "in", "the", "for", "and", "united", "nations", "un", "to"}
_KNOWN_ORG_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(k) for k in sorted(set(lx.KNOWN_ORGS), key=len, reverse=True))
    + r")(?![\w])"
)
#: small words inside organisation names ('Justice and Equality Movement', 'Union pour la Paix en …')
_ORG_GLUE = r"(?:and|of|for|pour|la|le|les|en|de|du|des|et|the)"
#: 'of' and a name that is not the United Nations' ('the Secretariat of the POLISARIO Front')
_OF_ANOTHER = re.compile(r"\s+of\s+(?:the\s+)?(?!United\s+Nations|UN\b|U\.N\.)[A-Z]")
_HEAD_FIRST = re.compile(r"(?:Frente|Movimiento|Movimento|Mouvement|Partido|Parti|Rassemblement)")
#: an organisation's name: capitalised words before a head noun ('Polisario Front'), within one paragraph
#: (a line break left in the working text ends one: a headline's last word is not part of the next name)
_ORG_NAME_RE = re.compile(
    r"(?<![\w-])((?:[A-Z][\w'\-]*[^\S\n]+(?:" + _ORG_GLUE + r"[^\S\n]+(?=[A-Z]))?){0,5}?(?:"
    + lx.ORG_HEADS
    + r")(?:[^\S\n]+(?:of|pour|for|de|du|des)(?:[^\S\n]+(?:the|la|le|les))?[^\S\n]+[A-Z][\w'\-]*"
    r"(?:[^\S\n]+(?:en[^\S\n]+|in[^\S\n]+|de[^\S\n]+)?[A-Z][\w'\-]*){0,2})?"
    # Spanish, Portuguese and French names put the head first: 'Frente POLISARIO', 'Parti Socialiste'
    r"|" + _HEAD_FIRST.pattern +
    r"(?:[^\S\n]+(?:de[^\S\n]+|du[^\S\n]+|des[^\S\n]+|pour[^\S\n]+(?:la[^\S\n]+|le[^\S\n]+)?)?[A-Z][\w'\-]*){1,3})"
    r"(?![\w-])"
)
_ORG_GLUE_WORDS = {"and", "of", "for", "pour", "la", "le", "les", "en", "de", "du", "des", "et", "the"}
_NATIONAL_ARMY_RE = re.compile(r"(?<![\w-])([A-Z][a-z]+)\s+(army|armed forces|military|navy)(?![\w-])")


@dataclass
class Found:
    """Mentions found in one document, plus the spans that block country matching."""

    mentions: list[Mention] = field(default_factory=list)
    blocked: list[tuple[int, int]] = field(default_factory=list)
    #: name-shaped spans that resolved to no mission: they hide country words, not UN body names
    soft_blocked: list[tuple[int, int]] = field(default_factory=list)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)

    def inside_blocked(self, s: int, e: int, *, soft: bool = True) -> bool:
        spans = self.blocked + self.soft_blocked if soft else self.blocked
        return any(a <= s and e <= b for a, b in spans)


def _edit1(a: str, b: str) -> bool:
    """One typing slip apart: a substitution, insertion, deletion or swap of two neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            return a[i] == b[i + 1] and a[i + 1] == b[i]  # two neighbours swapped: 'MONSUCO'
        return len(diff) == 1
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1 :] == a:
            return True
    return False


_ARABIC_NUMBERED = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{3,8})[- ]([1-4])(?![\w-])")
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def find_missions(work: str, g: Gazetteer, date: str | None, found: Found) -> None:
    """Acronyms (also misspelled by one letter), full names, and UN mission descriptions."""
    known_acronyms = {m.upper() for m in g.missions}
    body_acr = {b.acronym.upper() for b in g.bodies.values() if b.acronym}
    for m in g.acronym_regex.finditer(work):
        tok = m.group(1)
        if not (tok.isupper() or (tok[:1].isupper() and tok[1:].islower() and len(tok) >= 5)):
            continue
        acr = next((a for a in g.missions if a.upper() == tok.upper().replace("-", " ")), None)
        if acr is None:
            continue
        if " " not in acr and re.match(r"\s+(?:I{1,3}|IV)\b", work[m.end() :]):
            continue  # 'UNOSOM II' is matched by its own alternative
        found.add(Mention("mission", acr, acr, tok, m.start(), m.end()))
    # numbered missions written with an arabic numeral ('Unavem-3', 'UNOSOM 2' -> UNAVEM III, UNOSOM II)
    for m in _ARABIC_NUMBERED.finditer(work):
        acr = f"{m.group(1).upper()} {_ROMAN[m.group(2)]}"
        if acr in g.missions:
            found.add(Mention("mission", acr, acr, m.group(0), m.start(), m.end()))
    # bare acronyms of numbered missions ("UNOSOM" -> the one active on the date)
    for m in _BARE_ACRONYM.finditer(work):
        tok = m.group(1)
        if tok in known_acronyms:
            continue
        numbered = [a for a in g.missions if a.startswith(tok + " ")]
        if numbered:
            pick = [a for a in numbered if g.missions[a].active_on(date)] or numbered[-1:]
            found.add(Mention("mission", pick[0], pick[0], tok, m.start(), m.end()))
            continue
        if _FUZZY_ACR.fullmatch(tok) and tok not in body_acr and len(tok) >= 5:
            close = [a for a in g.missions if " " not in a and _edit1(tok, a.upper())]
            if len(close) > 1 and date:
                close = [a for a in close if g.missions[a].active_on(date)] or close
            if len(close) == 1:
                found.add(Mention("mission", close[0], close[0], tok, m.start(), m.end()))
    for m in MISSION_NAME_RE.finditer(work):
        span = _name_before_apposition(m.group(0).rstrip(", "), g)
        end = m.start() + len(span)
        paren = re.match(r"\s*\(([A-Z][A-Za-z]{2,9}(?: I{1,3})?)\)", work[end : end + 16])
        acr = None
        if paren:
            acr = next((a for a in g.missions if a.upper() == paren.group(1).upper()), None)
        if acr is None:
            acr = _resolve_mission_name(span, g, date)
        if acr:
            found.blocked.append((m.start(), end))
            found.add(Mention("mission", acr, acr, span, m.start(), end))
        else:
            found.soft_blocked.append((m.start(), end))


def _name_before_apposition(span: str, g: Gazetteer) -> str:
    """The mission's name without what follows its first comma, unless the whole is a known name.

    One mission's name has a comma ('… for Eastern Slavonia, Baranja and Western Sirmium'); elsewhere
    a comma after a name opens an apposition ('the head of the United Nations Mission in South Sudan,
    David Shearer, said'), and the person named there is not part of the mission's name.
    """
    if "," not in span or _folded_name(span) in g.mission_name_index:
        return span
    return span[: span.index(",")]


def _folded_name(span: str) -> str:
    """A mission's name as the name index keys it: folded, without a leading 'United Nations'."""
    return re.sub(r"^(?:united nations|un) ", "", fold(span))


def _resolve_mission_name(span: str, g: Gazetteer, date: str | None) -> str | None:
    f = _folded_name(span)
    if f in g.mission_name_index:
        return g.mission_name_index[f]
    numbered = _name_without_ordinal(f, g, date)
    if numbered is not None:
        return numbered
    hosts = []
    for cm in g.country_regex.finditer(span):
        hosts.extend(g.country_forms.get(cm.group(1), []))
    words = set(f.split()) - _NAME_STOPWORDS
    if not hosts:
        return None
    generic = {"mission", "missions", "operation", "force", "peacekeeping", "observer", "observers", "group"}
    best, best_score = None, 0.0
    for mis in g.missions.values():
        if not set(hosts) & set(mis.hosts):  # hosts is never empty here
            continue
        mwords = set(fold(mis.name).split()) - _NAME_STOPWORDS
        if not mwords or not (
            (words & mwords) - generic - {fold(h) for h in hosts}
            or {w[:6] for w in words - generic} & {w[:6] for w in mwords - generic}
        ):
            continue
        overlap = len(words & mwords) / len(words | mwords)
        # stabilisation/stabilization and similar spellings
        overlap += 0.5 * len({w[:6] for w in words} & {w[:6] for w in mwords}) / max(len(mwords), 1)
        if date and mis.active_on(date):
            overlap += 0.3
        if overlap > best_score:
            best, best_score = mis.acronym, overlap
    return best if best_score >= 0.7 else None


def _bare_name(name: str) -> str:
    """A mission's name without 'United Nations' and its ordinal ('first united nations emergency force'
    -> 'emergency force')."""
    name = re.sub(r"^(?:first|second|third) ", "", name)
    return re.sub(r"^(?:united nations|un) ", "", name)


def _name_without_ordinal(f: str, g: Gazetteer, date: str | None) -> str | None:
    """'U.N. Emergency Force (in Sinai)' on a 1957 page -> UNEF I: a name written without the ordinal
    that tells numbered missions apart, the one active on the date (a trailing place is left aside)."""
    for name in (f, re.sub(r" (?:in|on|at) [\w' -]+$", "", f)):
        same = [mis for key, acr in g.mission_name_index.items() if _bare_name(key) == name
                for mis in (g.missions[acr],)]
        same = list({mis.acronym: mis for mis in same}.values())
        if len(same) > 1 and date:
            same = [mis for mis in same if mis.active_on(date)]
        if len(same) == 1 and (len(name.split()) >= 2):
            return same[0].acronym
    return None


def find_bodies_frameworks_orgs(work: str, g: Gazetteer, found: Found) -> None:
    """UN bodies, regional organisations (as other orgs), frameworks and other named organisations."""
    for m in g.body_regex.finditer(work):
        s, e = m.start(1), m.end(1)
        if found.inside_blocked(s, e, soft=False):
            continue
        if m.group(1) == "Secretariat" and _OF_ANOTHER.match(work, e):
            continue  # 'the Secretariat of the POLISARIO Front': another organisation's secretariat
        body = g.bodies[g.body_forms[m.group(1)]]
        kind = "org" if body.regional else "body"
        found.add(
            Mention(kind, body.body_id, body.display if kind == "body" else body.name, m.group(1), s, e)
        )
        found.blocked.append((s, e))
    for m in g.framework_regex.finditer(work):
        fw = g.frameworks[g.framework_forms[m.group(1)]]
        found.add(Mention("framework", fw.framework_id, fw.display, m.group(1), m.start(1), m.end(1)))
        found.blocked.append((m.start(1), m.end(1)))
    # the Security Council referred to as 'the Council' / 'council members'
    if any(mm.kind == "body" and mm.id == "security-council" for mm in found.mentions) or re.search(
        r"\b[Cc]ouncil (?:members|presidency)\b|\b15-member\b", work
    ):
        sc = g.bodies.get("security-council")
        if sc:
            for m in re.finditer(
                r"(?<![\w-])(?:(?<=[Tt]he )[Cc]ouncil|[Cc]ouncil(?= (?:members|presidency|"
                r"meeting|business|mandates?)))(?![\w-])",
                work,
            ):
                if not found.inside_blocked(m.start(), m.end()):
                    found.add(Mention("body", sc.body_id, sc.display, m.group(0), m.start(), m.end()))
    for m in _KNOWN_ORG_RE.finditer(work):
        s, e = m.start(1), m.end(1)
        if found.inside_blocked(s, e):
            continue
        found.add(Mention("org", _org_key(m.group(1)), m.group(1), m.group(1), s, e))
        found.blocked.append((s, e))
    for m in _ORG_NAME_RE.finditer(work):
        s, e = m.start(1), m.end(1)
        text = m.group(1)
        if _title_case_line(work, s):
            continue  # 'U.N. Troops Battle Katanga Forces': capitals say nothing in a title-case headline
        first = text.split()[0]
        if first in ("The", "A", "An", "In", "On", "At", "As", "But", "And", "UN", "U.N.", "United"):
            shift = len(first) + 1
            s += shift
            text = text[shift:]
            if len(text.split()) < 2:
                continue
        lead = re.match(r"(?:Rebels|Forces|Troops|Army|Militia|Fighters)\s+of\s+(?:the\s+)?", text)
        if lead:  # 'rebels of the Revolutionary United Front': the name after 'of'
            s += lead.end()
            text = text[lead.end() :]
        words = text.split()
        if text in g.country_forms:
            continue  # 'Russian Federation', 'Central African Republic': a country, not an organisation
        if (
            found.inside_blocked(s, e)
            or (_HEAD_FIRST.match(text) and any(m.kind == "org" and s <= m.start and m.end <= e
                                                for m in found.mentions))  # 'Frente Polisario' is 'Polisario'
            or words[0] in lx.TITLE_WORDS
            or len(words) < 2
            or any(w in ("Mission", "Head", "Chief", "Commander") for w in words)
        ):
            continue
        if any(
            a == "and" and (b in g.demonym_forms or b in g.country_forms)
            for a, b in zip(words, words[1:], strict=False)
        ):
            continue  # 'Lazaro and Lebanese Army': two subjects, not one name
        if re.search(r"(?:\bUN|U\.N\.|Nations)-", text) or text.split()[0].lower() in _ORG_GLUE_WORDS:
            continue  # 'United Nations-African Union force': the regional body is found by name
        found.add(Mention("org", _org_key(text), text, text, s, e))
        found.blocked.append((s, e))
    # "<Demonym> army / armed forces / police" in lower case: a national army named by its country
    for m in _NATIONAL_ARMY_RE.finditer(work):
        job = r"\s+(?:spokes(?:man|woman|person)|sources?|officials?|officers?)\b"
        if re.match(job, work[m.end() : m.end() + 16]):
            continue  # 'a Ugandan military spokesman' names a person's job, not the army
        if m.group(1) in g.demonym_forms and not found.inside_blocked(m.start(), m.end()):
            text = m.group(0)
            found.add(Mention("org", _org_key(text), text, text, m.start(), m.end()))


def _title_case_line(work: str, pos: int) -> bool:
    """Whether the line around ``pos`` is a headline in Title Case (most words capitalised)."""
    a = work.rfind("\n", 0, pos) + 1
    b = work.find("\n", pos)
    line = work[a : b if b != -1 else len(work)].strip()
    if re.search(r"[.!?\"\u201d]$", line):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'\-]*", line) if w.lower() not in _SMALL_WORDS]
    return len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.8 * len(words)


_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "and",
    "or",
    "by",
    "with",
    "as",
    "from",
}


def _org_key(name: str) -> str:
    return fold(name).replace(" ", "-")


#: a wire dateline in capitals: 'LEOPOLDVILLE, THE CONGO, Aug. 12 (AP) -', 'GOMA, CONGO, 3 May -'; a name's
#: words are split by single spaces only, so that a long line in capitals is read in linear time
_CAPS_NAME = r"[A-Z][A-Z.'\-]*(?:[ \t][A-Z][A-Z.'\-]*)*"
_CAPS_DATELINE = re.compile(
    r"(?m)^[ \t]*(" + _CAPS_NAME + r"(?:,[ \t]*" + _CAPS_NAME + r")*),[ \t]*"
    r"(?=(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d|\d{1,2}[ \t]+[A-Z][a-z]+|\()"
)


def _caps_dateline_countries(work: str, g: Gazetteer) -> list[tuple[str, int, int]]:
    """(gazetteer form, start, end) of each country a capitalised dateline names ('THE CONGO': 'Congo')."""
    out = []
    upper = g.capitalised_country_forms
    for m in _CAPS_DATELINE.finditer(work):
        pos = m.start(1)
        for part in m.group(1).split(","):
            start = pos + len(part) - len(part.lstrip())
            pos += len(part) + 1
            name = part.strip()
            if name.startswith("THE "):
                name, start = name[4:], start + 4
            if name in upper:
                out.append((upper[name], start, start + len(name)))
    return out


def find_countries(work: str, g: Gazetteer, found: Found) -> None:
    """Country names, aliases and demonyms, minus community labels, language uses and names inside names."""
    masked = list(work)
    for m in lx.COMMUNITY_LABELS.finditer(work):
        for i in range(m.start(), m.end()):
            masked[i] = " "
    text = "".join(masked)
    ambiguous: list[Mention] = []
    hits: list[tuple[str, int, int]] = []
    for m in g.country_regex.finditer(text):
        s, e = m.start(1), m.end(1)
        form = m.group(1)
        if found.inside_blocked(s, e):
            continue
        if lx.LANGUAGE_NOUNS.match(work[e : e + 20]):
            continue
        if re.match(r"-[A-Z][a-z]", work[e : e + 3]) and not g.country_regex.match(work, e + 1):
            continue  # 'Agence France-Presse'
        if re.match(r"\s+(?:de|van|von|al|el|bin|ibn|da|dos|du|di|le|la)\s+[A-Z]", work[e : e + 8]):
            continue  # a given name: 'Dominique de Villepin'
        if form in ("American",) and re.search(
            r"(?:Latin|Central|South|North|African)\s$", work[max(0, s - 9) : s]
        ):
            continue
        hits.append((form, s, e))
    taken = {s for _, s, _ in hits}
    hits += [(form, s, e) for form, s, e in _caps_dateline_countries(work, g)
             if s not in taken and not found.inside_blocked(s, e)]
    for form, s, e in hits:  # (gazetteer form, start, end); the mention keeps the text as written
        codes = g.country_forms[form]
        if len(codes) > 1:
            ambiguous.append(Mention("country", "?", form, work[s:e], s, e))
        else:
            found.add(Mention("country", codes[0], g.country_name(codes[0]), work[s:e], s, e))
    seen = {m.id for m in found.mentions if m.kind == "country"}
    for m in ambiguous:
        codes = g.country_forms[m.name]  # the form as the gazetteer spells it
        pick = next((c for c in codes if c in seen), None)
        if pick is None:
            pick = max(codes, key=lambda c: (g.prominence.get(c, 0), c == codes[0]))
        found.add(Mention("country", pick, g.country_name(pick), m.text, m.start, m.end))


#: short names that two states share: a mission hosted in either may be meant ('UN operations in Congo',
#: 1960: ONUC, in the Congo of Leopoldville)
_SHARED_SHORT_NAMES = {"congo": ("COG", "COD"), "the congo": ("COG", "COD")}
_KIND_WORDS = (("observer", "observ"), ("verification", "verification"), ("force", "force"),
               ("assistance", "assistance"), ("transitional", "transitional"))
PLACE_FILE = Path(__file__).with_name("places.tsv")
_PLACE_COLUMNS = ["place", "forms", "iso3", "source"]


@dataclass(frozen=True)
class Place:
    """Where a description puts a mission: a country, a place below one (places.tsv) or a border."""

    start: int
    end: int
    text: str
    hosts: tuple[str, ...]
    name: str = ""  # a place's name, which a mission's own name may carry ('… for Eastern Slavonia …')
    border: bool = False


@functools.cache
def load_places(path: Path = PLACE_FILE) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(name, spellings, host ISO3 codes) of every place in the places lexicon; a bad line: ``InputError``.

    >>> next(p for p in load_places() if p[0] == "Golan Heights")[2]
    ('SYR', 'ISR')
    """
    lines = read_text_lines(path, what="places lexicon", fix="restore kg/extract/places.tsv")
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not rows or rows[0][1].split("\t") != _PLACE_COLUMNS:
        raise InputError(f"the first line must be the header {' '.join(_PLACE_COLUMNS)} (tab-separated)",
                         path=str(path))
    out = []
    for n, line in rows[1:]:
        cols = [c.strip() for c in line.split("\t")]
        codes = tuple(cols[2].split(";")) if len(cols) == len(_PLACE_COLUMNS) else ()
        if not codes or not all(re.fullmatch(r"[A-Z]{3}", c) for c in codes) or not cols[0]:
            raise InputError(f"line {n}: expected a place, its other spellings ('-' for none) and "
                             f"';'-separated ISO3 codes, tab-separated", path=str(path))
        forms = (cols[0], *(f.strip() for f in cols[1].split(";") if f.strip() and cols[1] != "-"))
        out.append((cols[0], forms, codes))
    return tuple(out)


@functools.cache
def _place_regex() -> re.Pattern[str]:
    forms = sorted((f for _, spellings, _ in load_places() for f in spellings), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")


def _places(work: str, countries: list[Mention], g: Gazetteer) -> list[Place]:
    """Countries, places of the lexicon and borders between two countries ('the Iran-Iraq border')."""
    by_form = {f: (name, hosts) for name, spellings, hosts in load_places() for f in spellings}
    out = [Place(c.start, c.end, c.text, _SHARED_SHORT_NAMES.get(c.text.lower(), (c.id,))) for c in countries]
    for m in _place_regex().finditer(work):
        name, hosts = by_form[m.group(0)]
        out.append(Place(m.start(), m.end(), m.group(0), tuple(h for h in hosts if h in g.countries), name))
    for a, b in zip(countries, countries[1:], strict=False):
        if a.id != b.id and re.fullmatch(r"\s*[-\u2013/]\s*", work[a.end : b.start]) and re.match(
            r"\s+(?:border|frontier)s?\b", work[b.end :]
        ):
            out.append(Place(a.start, b.end, work[a.start : b.end], (a.id, b.id), border=True))
    return sorted(out, key=lambda p: (p.start, -p.end))


def _described_kind(text: str) -> str | None:
    """The word of a mission's name that a description's kind noun points to ('observer' -> 'observ')."""
    low = text.lower()
    return next((stem for word, stem in _KIND_WORDS if re.search(r"\b" + word, low)), None)


def find_mission_descriptions(
    work: str, sent_spans: list[tuple[int, int]], g: Gazetteer, date: str | None, found: Found
) -> None:
    """'the UN mission in Sierra Leone' (2000) -> UNAMSIL: the mission hosted there and active on the date.
    The place may be a country, a place below one ('the U.N. force in the Golan Heights': UNDOF) or a border
    ('the UN observers on the Iran-Iraq border': UNIIMOG)."""
    countries = sorted(
        (
            m
            for m in found.mentions
            if m.kind == "country" and m.text[:1].isupper() and m.text not in g.demonym_forms
        ),
        key=lambda m: m.start,
    )
    places = _places(work, countries, g)
    chain_start: dict[int, int] = {}
    for prev, c in zip(countries, countries[1:], strict=False):
        if re.fullmatch(r"\s*(?:,|,?\s*and)\s+(?:the\s+)?", work[prev.end : c.start]):
            chain_start[c.start] = chain_start.get(prev.start, prev.start)
    for c in places:
        sent = next(((a, b) for a, b in sent_spans if a <= c.start < b), None)
        if sent is None or not c.hosts:
            continue
        before = work[sent[0] : chain_start.get(c.start, c.start)]
        # 'in (the)? X', possibly after a list 'in the DRC and the CAR'; 'on (the) X-Y border'
        prep = r"in|for|to|on|along|at" if c.border else r"in|for|to"
        if not re.search(
            rf"(?:\b(?:{prep})|,|\band)\s+(?:the\s+)?(?:(?:north|south)?-?(?:east|west)?(?:ern)?\s+|central\s+)?$",
            before,
        ):
            continue
        window = before[-140:]
        nouns = list(MISSION_NOUN_RE.finditer(window))
        if not nouns:
            continue
        noun = nouns[-1]
        gap = window[noun.end() :]
        if len(gap.split()) > 15 or re.search(r"[.;:]\s", gap):
            continue
        if not re.search(
            rf"(?:\b(?:{prep})\s+(?:the\s+)?(?:[A-Z][\w'-]*\s*)+(?:,|\band)\s+(?:the\s+)?$|"
            rf"\b(?:{prep})\s+(?:the\s+)?$)",
            gap if gap.strip() else " in ",
        ):
            if not re.search(rf"\b(?:{prep})\s", gap):
                continue
        head_ctx = window[max(0, noun.start() - 40) : noun.end()]
        if not _UN_MARK.search(head_ctx) and not re.search(r"peace", noun.group(0), re.I):
            continue
        years = _YEAR.findall(work[sent[0] : sent[1]][max(0, c.start - sent[0] - 120) : c.end - sent[0] + 40])
        when = years[0] if years else date
        cands = list({mis.acronym: mis for host in c.hosts for mis in g.missions_in(host)
                      if mis.kind.startswith("peace")}.values())
        if when:
            active = [mis for mis in cands if mis.active_on(when)]
            if len(years) >= 2:
                active = [
                    mis for mis in cands if mis.active_on(years[0]) or mis.active_on(years[-1])
                ] or active
        else:
            active = cands if len(cands) == 1 else []
        if len(active) > 1 and c.name:
            # a mission named after the place ('… Operation in Darfur' beside the mission in the Sudan)
            active = [mis for mis in active if c.name.lower() in mis.name.lower()] or active
        if len(active) > 1:
            # a mission hosted where the text says, and nowhere else
            single = [mis for mis in active if set(mis.hosts) == set(c.hosts)]
            active = single or active
        if len(active) > 1:
            # the kind the text names ('observer mission', 'force', 'verification mission') picks among
            # missions hosted there at the time (an observer mission beside a force, as in Lebanon)
            kind = _described_kind(head_ctx)
            if kind:
                active = [mis for mis in active if kind in mis.name.lower()] or active
        if len(active) > 1:
            active.sort(key=lambda mis: mis.start)
            if len(years) >= 2:
                active = active[:1]
        if len(active) == 1:
            mis = active[0]
            found.add(
                Mention(
                    "mission",
                    mis.acronym,
                    mis.acronym,
                    work[sent[0] + (len(before) - len(window)) + noun.start() : c.end],
                    sent[0] + len(before) - len(window) + noun.start(),
                    c.end,
                )
            )

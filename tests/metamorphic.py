"""Metamorphic robustness of extraction (issue 9): meaning-preserving rewrites of texts we may read.

Each transformation rewrites a (text, gold record) pair in a way that must not change what a careful
reader extracts: the quotation-mark style, how "UN" is spelled, the order of "X said", date formats,
line wrapping, dashes and spaces, the names of the people. The gold changes with the text, mechanically:
quotes are verbatim substrings, so each gold quote is found in the old text and its span carried over
to the new one through the edits; names and surface forms go through the same string rewrite. A drop
in F1 on the rewritten texts is a rule that leans on surface form, with a reproducible cause.

Only dev and the develop half of dev2 are rewritten (the held-back half is never read). The texts are
read in place from ../shared, never copied into the repository.

This lives in tests/ (not benchmarks/) because tests/test_metamorphic.py imports it to guard the
scores; run it as a script to print the table:

    PYTHONPATH=. .venv/bin/python tests/metamorphic.py [--only NAME ...] [--details NAME]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DEVELOP = Path(__file__).parent / "dev2" / "develop.txt"
FIELDS = ("statements", "dates", "persons", "quotes")

Edit = tuple[int, int, str]  # replace text[start:end] by the string


# ---- edits and span mapping -------------------------------------------------------------------------
def apply_edits(text: str, edits: list[Edit]) -> tuple[str, Callable[[int, bool], int]]:
    """The text with non-overlapping edits applied, and a map of old offsets to new ones.

    ``pos(offset, end)``: an offset inside an edited span goes to the start of its replacement (a span
    start) or to its end (a span end, ``end=True``).
    """
    edits = sorted(edits)
    out: list[str] = []
    last = 0
    anchors: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
    shift = 0
    for a, b, new in edits:
        if a < last:
            continue  # overlapping edit: the first one wins
        out.append(text[last:a])
        out.append(new)
        anchors.append((a, b, a + shift, a + shift + len(new)))
        shift += len(new) - (b - a)
        last = b
    out.append(text[last:])

    def pos(offset: int, end: bool = False) -> int:
        delta = 0
        for a, b, na, nb in anchors:
            if b <= offset:
                delta = nb - b
            elif a < offset:
                return nb if end else na
            else:
                break
        return offset + delta

    return "".join(out), pos


_GOLD_STRING_FIELDS = ("speaker", "speaker_as_written", "speaker_resolves_to", "delivered_by")


def _map_gold_strings(gold: dict, f: Callable[[str], str]) -> dict:
    """The gold with ``f`` applied to the surface forms a text rewrite changes (not to quotes)."""
    g = copy.deepcopy(gold)
    for p in g.get("persons", []):
        for k in ("name", "canonical_name", "role_as_stated"):
            if p.get(k):
                p[k] = f(p[k])
        if p.get("aliases"):
            p["aliases"] = [f(a) for a in p["aliases"]]
    for k in ("un_bodies", "missions", "other_orgs"):
        g[k] = [f(x) for x in g.get(k, [])]
    for c in g.get("countries", []):
        c["as_written"] = [f(x) for x in c.get("as_written", [])]
    for s in g.get("statements", []):
        for k in _GOLD_STRING_FIELDS:
            if s.get(k):
                s[k] = f(s[k])
        s["mentions"] = [f(x) for x in s.get("mentions", [])]
    return g


def _map_gold_quotes(gold: dict, old: str, new: str, pos: Callable[[int, bool], int]) -> dict:
    """Each gold quote (and quote part) found in the old text, replaced by its span in the new text."""
    g = copy.deepcopy(gold)

    def carry(q: str | None) -> str | None:
        if not q:
            return q
        i = old.find(q)
        if i < 0:
            return q
        return new[pos(i, False) : pos(i + len(q), True)]

    for s in g.get("statements", []):
        s["quote"] = carry(s.get("quote"))
        if s.get("quote_parts"):
            s["quote_parts"] = [carry(q) for q in s["quote_parts"]]
    return g


def edit_transform(
    edits_of: Callable[[str], list[Edit]], strings: Callable[[str], str] | None = None
) -> Callable[[str, dict], tuple[str, dict]]:
    """A (text, gold) rewrite from an edit finder; ``strings`` rewrites the gold's surface forms."""

    def run(text: str, gold: dict) -> tuple[str, dict]:
        new, pos = apply_edits(text, edits_of(text))
        g = _map_gold_quotes(gold, text, new, pos)
        if strings is not None:
            g = _map_gold_strings(g, strings)
        return new, g

    return run


def _sub_edits(
    rx: re.Pattern[str], repl: Callable[[re.Match[str]], str | None]
) -> Callable[[str], list[Edit]]:
    def edits(text: str) -> list[Edit]:
        out = []
        for m in rx.finditer(text):
            r = repl(m)
            if r is not None and r != m.group(0):
                out.append((m.start(), m.end(), r))
        return out

    return edits


def _string_of(edits_of: Callable[[str], list[Edit]]) -> Callable[[str], str]:
    return lambda s: apply_edits(s, edits_of(s))[0]


# ---- quotation marks ---------------------------------------------------------------------------------
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def straight_quotes(text: str, gold: dict) -> tuple[str, dict]:
    """Curly quotation marks and apostrophes made straight (same length, so spans carry over)."""
    return edit_transform(
        lambda t: [
            (i, i + 1, c.translate(_CURLY)) for i, c in enumerate(t) if c in "\u201c\u201d\u2018\u2019"
        ],
        lambda s: s.translate(_CURLY),
    )(text, gold)


_OPENS_BEFORE = set(" \n\t([{\u2014\u2013-/") | {""}


def _curly_edits(text: str) -> list[Edit]:
    out = []
    for i, c in enumerate(text):
        before = text[i - 1] if i else ""
        if c == '"':
            out.append((i, i + 1, "\u201c" if before in _OPENS_BEFORE or before == "\u2018" else "\u201d"))
        elif c == "'":
            opening = before in _OPENS_BEFORE or before == "\u201c"
            out.append((i, i + 1, "\u2018" if opening and text[i + 1 : i + 2].isalpha() else "\u2019"))
    return out


curly_quotes = edit_transform(_curly_edits, _string_of(_curly_edits))
curly_quotes.__doc__ = "Straight quotation marks and apostrophes made curly (typographic)."


def _swap_quote_style(text: str) -> list[Edit]:
    """Double quotes become single and single quotes double (British style), apostrophes kept."""
    out = []
    for i, c in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1 : i + 2]
        if c in "\u201c\u201d":
            out.append((i, i + 1, "\u2018" if c == "\u201c" else "\u2019"))
        elif c == '"':
            out.append((i, i + 1, "'"))
        elif c == "\u2018":
            out.append((i, i + 1, "\u201c"))
        elif c in "'\u2019" and not (before.isalnum() and after.isalpha()):
            # an opening single quote (after a blank) or a closing one (before a blank or stop)
            if before in _OPENS_BEFORE and after.isalnum():
                out.append((i, i + 1, '"' if c == "'" else "\u201c"))
            elif not before.isspace() and before != "" and not after.isalnum() and before not in "sS":
                out.append((i, i + 1, '"' if c == "'" else "\u201d"))
    return out


single_quotes = edit_transform(_swap_quote_style)
single_quotes.__doc__ = "British quoting: 'outer single' and \"inner double\" quotation marks."


# ---- "UN" spellings ---------------------------------------------------------------------------------
#: words after "UN" that make an official name we leave alone ("UN Mission in Liberia")
_NAME_AFTER = (
    r"(?:Mission|Interim|Stabili[sz]ation|Multidimensional|Organi[sz]ation|Operation|Assistance|Observer|"
    r"Protection|Transitional|Verification|Truce|Disengagement|Integrated|Emergency|Angola|Office|Support)\b"
)
_UN = re.compile(r"(?<![\w./-])UN(?![\w-])(?!\.\w)(?! " + _NAME_AFTER + ")")
_UN_DOTTED = re.compile(r"(?<![\w./-])U\.N\.(?![\w-])(?! " + _NAME_AFTER + ")")
_AFTER_UN_SAFE = re.compile(
    r" (?:[a-z]|Security|Secretary|General|Human|High|Children|Development|Peacekeeping|Police|"
    r"Refugee|News|Special|Department|Headquarters|Charter|Population|World)"
)


def _un_dotted(text: str) -> list[Edit]:
    return [
        (m.start(), m.end(), "U.N" if text[m.end() : m.end() + 1] == "." else "U.N.")
        for m in _UN.finditer(text)
    ]


def _un_plain(text: str) -> list[Edit]:
    out = []
    for m in _UN_DOTTED.finditer(text):
        nxt = text[m.end() : m.end() + 20]
        if nxt[:1] in ",;:)'\"\u2019\u201d" or _AFTER_UN_SAFE.match(nxt) or nxt.startswith(("'s", "\u2019s")):
            out.append((m.start(), m.end(), "UN"))
    return out


def _un_spelled(text: str) -> list[Edit]:
    out = [(m.start(), m.end(), "United Nations") for m in _UN.finditer(text)]
    for a, b, _ in _un_plain(text):
        out.append((a, b, "United Nations"))
    return out


un_dotted = edit_transform(_un_dotted, _string_of(_un_dotted))
un_dotted.__doc__ = "'UN' written 'U.N.' in running text (official names like 'UN Mission in X' kept)."
un_plain = edit_transform(_un_plain, _string_of(_un_plain))
un_plain.__doc__ = "'U.N.' written 'UN' where the stop cannot also end the sentence."
un_spelled = edit_transform(_un_spelled, _string_of(_un_spelled))
un_spelled.__doc__ = "'UN' and 'U.N.' spelled out 'United Nations'."


# ---- attribution order and tense --------------------------------------------------------------------
_NAME = r"[A-Z][\w'.-]+(?: [A-Z][\w'.-]+){0,3}"
_DESC = r"(?:the|a|an) (?:[\w'.-]+ ){0,4}?[\w'-]+"
_X_SAID = re.compile(r"(?<=[,?!][\"\u201d] )(?P<x>" + _NAME + "|" + _DESC + r") said(?=[.,])")
#: only before a full stop: 'said the spokesman, Lt. Col. X.' keeps its apposition after the noun
_SAID_X = re.compile(
    r"(?<=[,?!][\"\u201d] )said (?P<x>" + _NAME + "|" + _DESC + r")(?=\.(?:\s+[A-Z\"\u201c]|\s*$))"
)
_NOT_SUBJECT = re.compile(r"\b(?:said|told|says|that|who|which|and)\b")


def _said_first(text: str) -> list[Edit]:
    return [
        (m.start(), m.end(), f"said {m['x']}")
        for m in _X_SAID.finditer(text)
        if not _NOT_SUBJECT.search(m["x"])
    ]


def _said_last(text: str) -> list[Edit]:
    return [
        (m.start(), m.end(), f"{m['x']} said")
        for m in _SAID_X.finditer(text)
        if not _NOT_SUBJECT.search(m["x"]) and m["x"].split()[-1] not in _ABBREVIATIONS  # 'said Col. X'
    ]


said_first = edit_transform(_said_first)
said_first.__doc__ = "'\"...,\" X said.' written '\"...,\" said X.'"
said_last = edit_transform(_said_last)
said_last.__doc__ = "'\"...,\" said X.' written '\"...,\" X said.'"

_SAID = re.compile(
    r"(?<!\bwas )(?<!\bwere )(?<!\bis )(?<!\bare )(?<!\bbe )(?<!\bbeen )(?<!\bhad )(?<!\bhas )"
    r"(?<!\bhave )(?<!\bhaving )\bsaid(?= that\b|[.,]| (?:he|she|it|they|on|in|at)\b)"
)
says = edit_transform(_sub_edits(_SAID, lambda m: "says"))
says.__doc__ = "'said' put in the present, 'says', where no time word follows (dates are informational)."


def said_as(verb: str) -> Callable[[str, dict], tuple[str, dict]]:
    """'said' (a reporting verb after its subject or before it) written as another verb of saying, in
    the text and in the gold's verbs: the rules must know the verb, not the sentence."""
    rx = re.compile(r"(?<![\w-])said(?![\w-])(?! to be\b)")

    def edits(text: str) -> list[Edit]:
        return [
            (m.start(), m.end(), verb)
            for m in rx.finditer(text)
            if not re.search(r"\b(?:so|was|were|is|be|been)\s+$", text[max(0, m.start() - 6) : m.start()])
        ]

    def run(text: str, gold: dict) -> tuple[str, dict]:
        new, g = edit_transform(edits)(text, gold)
        for st in g.get("statements", []):
            if st.get("verb"):
                st["verb"] = rx.sub(verb, st["verb"])
        return new, g

    run.__doc__ = f"'said' written '{verb}' (text and gold verbs)."
    return run


# ---- dates and datelines ----------------------------------------------------------------------------
_MONTHS = "January February March April May June July August September October November December".split()
_MONTH_ABBR = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Aug": 8,
    "Sept": 9,
    "Sep": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
_MONTH_RX = "|".join(_MONTHS) + "|" + "|".join(rf"{a}\." for a in _MONTH_ABBR)
_MDY = re.compile(rf"\b(?P<m>{_MONTH_RX}) (?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)(?:, (?P<y>\d{{4}})\b)?")
_DMY = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?P<m>{'|'.join(_MONTHS)})\b(?: (?P<y>\d{{4}})\b)?")


def _month(name: str) -> str:
    name = name.rstrip(".")
    return _MONTHS[_MONTH_ABBR[name] - 1] if name in _MONTH_ABBR else name


def _dmy(m: re.Match[str]) -> str:
    return f"{int(m['d'])} {_month(m['m'])}" + (f" {m['y']}" if m["y"] else "")


def _mdy(m: re.Match[str]) -> str:
    return f"{m['m']} {int(m['d'])}" + (f", {m['y']}" if m["y"] else "")


dates_dmy = edit_transform(_sub_edits(_MDY, _dmy), _string_of(_sub_edits(_MDY, _dmy)))
dates_dmy.__doc__ = "'March 21, 2017' / 'Dec. 10' written '21 March 2017' / '10 December'."
dates_mdy = edit_transform(_sub_edits(_DMY, _mdy), _string_of(_sub_edits(_DMY, _mdy)))
dates_mdy.__doc__ = "'24 October 2000' written 'October 24, 2000'."

_SAID_WHEN = re.compile(
    r"(?:(?<=^)|(?<=\n)|(?<=[.!?] ))(?P<subj>[A-Z][^,.;:\"\u201c\u201d\n]{1,60}?)"
    r" (?P<verb>said|told (?:reporters|journalists)) (?:on )?"
    r"(?P<when>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?: (?:morning|afternoon|evening|night))?)"
    r"(?= that\b| [a-z])"
)
_LOWER_FIRST = {"The", "A", "An", "He", "She", "It", "They", "Its", "His", "Her", "Their"}


def _date_fronted(text: str) -> list[Edit]:
    """'X said on Tuesday that …' -> 'On Tuesday, X said that …' (the date opening the sentence)."""
    out = []
    for m in _SAID_WHEN.finditer(text):
        subj = m["subj"]
        first, _, rest = subj.partition(" ")
        if first in _LOWER_FIRST:
            subj = first.lower() + (" " + rest if rest else "")
        out.append((m.start(), m.end(), f"On {m['when']}, {subj} {m['verb']}"))
    return out


date_fronted = edit_transform(_date_fronted)
date_fronted.__doc__ = "'X said on Tuesday that …' written 'On Tuesday, X said that …'."


def _headline_caps(text: str) -> list[Edit]:
    """The first line, when it reads as a headline (short, no closing stop), in capitals, as old wire
    copy and some sites set it; its quotes go to capitals with it."""
    first, _, rest = text.partition("\n")
    set_apart = rest.startswith("\n")  # a headline stands alone; a first line running on is wrapped copy
    if (
        not set_apart
        or not first.strip()
        or len(first.split()) > 20
        or first.rstrip().endswith((".", "?", "!"))
    ):
        return []
    return [(i, i + 1, c.upper()) for i, c in enumerate(first) if c.upper() != c]


headline_caps = edit_transform(_headline_caps)
headline_caps.__doc__ = "The headline (first line) set in capitals."

_DATELINE_CITY = re.compile(r"(?m)^(?P<c>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+)*)(?=(?:, [^\n]{0,40})?\s\()")


def _city_title(text: str) -> list[Edit]:
    head = text[:1500]
    return [(m.start(), m.end(), m["c"].title()) for m in _DATELINE_CITY.finditer(head) if len(m["c"]) > 3]


city_titlecase = edit_transform(_city_title)
city_titlecase.__doc__ = (
    "ALL-CAPS dateline city written in title case ('MONROVIA, Liberia (AP)' -> 'Monrovia, ...')."
)

_DATED_DATELINE = re.compile(
    rf"(?m)^(?P<c>[A-Z][A-Za-z'. -]+), (?P<date>(?:{_MONTH_RX}) \d{{1,2}}|\d{{1,2}} (?:{'|'.join(_MONTHS)}))"
    r"(?P<agency> \([^)\n]{2,30}\) ?(?:--|-|\u2014|\u2013))"
)


def _undated_dateline(text: str) -> list[Edit]:
    """'MONROVIA, March 3 (Reuters) -' -> 'MONROVIA (Reuters) -', the date kept in a line above it."""
    out = []
    for m in _DATED_DATELINE.finditer(text[:2000]):
        out.append((m.start(), m.end(), f"{m['date']}\n\n{m['c']}{m['agency']}"))
    return out


dateline_date_above = edit_transform(_undated_dateline)
dateline_date_above.__doc__ = (
    "Dated dateline 'CITY, April 15 (Agency) -' as a date line above 'CITY (Agency) -'."
)


_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_BARE_WEEKDAY = re.compile(
    r"(?<=[a-z,] )(?<!\bon )(?<!\bof )(?<!\bby )(?<!\bfor )(?<!\blast )(?<!\bnext )(?<!\bthis )(?<!\bsince )"
    r"(?<!\buntil )(?<!\bfrom )(?<!\bto )(?<!\band )(?<!\bor )(?:" + _WEEKDAYS + r")\b(?![-'\u2019])"
)
_ON_WEEKDAY = re.compile(r"(?<=[a-z,] )on (?=(?:" + _WEEKDAYS + r")\b(?![-'\u2019]))")


def _on_weekday(text: str) -> list[Edit]:
    """'said Tuesday' -> 'said on Tuesday' (the preposition British copy writes)."""
    return [(m.start(), m.end(), "on " + m.group(0)) for m in _BARE_WEEKDAY.finditer(text)]


on_weekday = edit_transform(_on_weekday)
on_weekday.__doc__ = "A bare weekday after a word ('said Tuesday') written with 'on' ('said on Tuesday')."
bare_weekday = edit_transform(_sub_edits(_ON_WEEKDAY, lambda m: ""))
bare_weekday.__doc__ = "'on Tuesday' written 'Tuesday' (AP style)."


# ---- words for the same post --------------------------------------------------------------------
def _sg_spaced(text: str) -> list[Edit]:
    return [
        (m.start(), m.end(), m.group(0).replace("-", " "))
        for m in re.finditer(r"\bSecretary-General\b", text)
    ]


secretary_general_spaced = edit_transform(_sg_spaced, _string_of(_sg_spaced))
secretary_general_spaced.__doc__ = "'Secretary-General' written 'Secretary General' (no hyphen)."
_SPOKES = re.compile(r"\b([Ss])pokes(?:man|woman)\b")


def _spokesperson(text: str) -> list[Edit]:
    return [(m.start(), m.end(), m.group(1) + "pokesperson") for m in _SPOKES.finditer(text)]


spokesperson = edit_transform(_spokesperson, _string_of(_spokesperson))
spokesperson.__doc__ = "'spokesman' / 'spokeswoman' written 'spokesperson'."


# ---- whitespace and typography ----------------------------------------------------------------------
def _wrap_edits(text: str, width: int = 70) -> list[Edit]:
    """Every line longer than ``width`` broken at blanks, and paragraphs (lines) set apart by blank lines,
    as wrapped copy marks them. A text already wrapped (most lines short) is left alone."""
    lines = text.split("\n")
    full = [ln for ln in lines if ln.strip()]
    if not any(len(ln) > width for ln in full) or sum(len(ln) > width + 10 for ln in full) < len(full) / 4:
        return []
    out: list[Edit] = []
    start = 0
    for line in lines:
        end = start + len(line)
        if len(line) > width:
            col_start = 0
            last_space = None
            for j, c in enumerate(line):
                if c == " ":
                    last_space = j
                if j - col_start >= width and last_space is not None and last_space > col_start:
                    out.append((start + last_space, start + last_space + 1, "\n"))
                    col_start = last_space + 1
                    last_space = None
        nxt = text[end + 1 : end + 2]
        # a line that goes on in lower case is the same paragraph, broken mid-sentence in the source
        if line.strip() and end < len(text) and nxt not in ("\n", "") and not nxt.islower():
            out.append((end, end + 1, "\n\n"))
        start = end + 1
    return out


hard_wrap = edit_transform(_wrap_edits)
hard_wrap.__doc__ = "Paragraphs hard-wrapped at 70 columns (old wire copy), paragraphs split by blank lines."
collapse_blank_lines = edit_transform(_sub_edits(re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*"), lambda m: "\n"))
collapse_blank_lines.__doc__ = "Blank lines between paragraphs removed (one paragraph a line)."


def _ascii_dashes(text: str) -> list[Edit]:
    return [(i, i + 1, "--" if c == "\u2014" else "-") for i, c in enumerate(text) if c in "\u2014\u2013"]


def _em_dashes(text: str) -> list[Edit]:
    return [(m.start(), m.end(), " \u2014 ") for m in re.finditer(r" (?:--?|\u2013) ", text)]


ascii_dashes = edit_transform(_ascii_dashes, _string_of(_ascii_dashes))
ascii_dashes.__doc__ = "Em dashes written '--' and en dashes '-' (plain-text wire copy)."
em_dashes = edit_transform(_em_dashes, _string_of(_em_dashes))
em_dashes.__doc__ = "Spaced hyphens ' - ' and ' -- ' written as em dashes ' \u2014 '."

_BETWEEN_CAPS = re.compile(r"(?<=\bM[rs]\.) |(?<=\bDr\.) |(?<=\bMrs\.) |(?<=[A-Z][a-z]) (?=[A-Z][a-z])")


def _nbsp_edits(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "\u00a0") for m in _BETWEEN_CAPS.finditer(text)]


nbsp = edit_transform(_nbsp_edits, _string_of(_nbsp_edits))
nbsp.__doc__ = "No-break spaces after titles and between capitalised words (names, places)."
_ABBREVIATIONS = frozenset(
    "Mr Ms Mrs Dr St Lt Col Gen Maj Capt Brig Sgt Cpl Gov Sen Rep Prof No Jan Feb Mar Apr Aug Sept Sep "
    "Oct Nov Dec Jr Sr Co Inc Ltd Ft Mt Adm Cmdr Lieut Vol".split()
)


def _double_space(m: re.Match[str]) -> str | None:
    word = re.search(r"(\w+)[.?!]$", m.string[max(0, m.start() - 12) : m.start()])
    return None if word and word.group(1) in _ABBREVIATIONS else "  "


double_space = edit_transform(_sub_edits(re.compile(r"(?<=[a-z0-9][.?!]) (?=[A-Z\"\u201c])"), _double_space))
double_space.__doc__ = "Two spaces after a full stop ending a sentence."


# ---- people renamed ---------------------------------------------------------------------------------
GIVEN = [
    "Amara",
    "Lars",
    "Ingrid",
    "Tomasz",
    "Nadia",
    "Kwame",
    "Sofia",
    "Rafael",
    "Yuki",
    "Emeka",
    "Leila",
    "Bruno",
    "Hanne",
    "Dmitri",
    "Aisha",
    "Mateo",
    "Greta",
    "Olu",
]
SURNAMES = [
    "Okonkwo",
    "Henriksen",
    "Vasquez",
    "Lindqvist",
    "Mbeki-Tarr",
    "Castellano",
    "Brandt",
    "Oyelaran",
    "Kowalczyk",
    "Haddad",
    "Nakamura",
    "Ferreira",
    "Abernethy",
    "Solberg",
    "Quist",
    "Marchetti",
    "Odhiambo",
    "Petrakis",
]
#: titles and particles that may sit in a name as written; they are not renamed
_SKIP_TOKENS = set(
    "Mr Ms Mrs Dr Sir Jr Sheikh El Al Ambassador President Vice Prime Minister Secretary General Gen Lt Col "
    "Maj Major Colonel Captain Capt Brigadier Brig Lieutenant Commander Admiral Marshal Sergeant Sgt "
    "Judge Prof Professor King Queen Prince Imam Father Bishop Special Envoy Deputy Under Assistant "
    "Chief Force Head Senator Governor Mayor Minister Foreign Defence Defense Representative Spokesman "
    "Spokeswoman".split()
)


def _pick(pool: list[str], token: str, taken: set[str]) -> str:
    i = int(hashlib.sha1(token.encode()).hexdigest(), 16) % len(pool)
    for k in range(len(pool)):
        cand = pool[(i + k) % len(pool)]
        if cand not in taken:
            return cand
    return pool[i]


def name_map(gold: dict, keep: Callable[[list[str]], bool] = lambda forms: False) -> dict[str, str]:
    """Each capitalised part of each gold person's name, aliases and canonical name -> an invented one
    (surnames for the last word, given names for the others); the same word, the same new name.
    People for whom ``keep(forms)`` is true keep their names."""
    out: dict[str, str] = {}
    for p in gold.get("persons", []):
        forms = [p.get("name"), p.get("canonical_name"), *(p.get("aliases") or [])]
        if keep([f for f in forms if f]):
            continue
        for form in [f for f in forms if f]:
            words = form.split()
            for k, w in enumerate(words):
                for part in w.split("-"):
                    part = part.strip(".,'")
                    if len(part) < 3 or not part[0].isupper() or not part.isalpha() or part in _SKIP_TOKENS:
                        continue
                    if part.isupper() or part in out:
                        continue
                    pool = SURNAMES if k == len(words) - 1 else GIVEN
                    out[part] = _pick(pool, part, set(out.values()))
    return out


def _known_official(forms: list[str]) -> bool:
    """A name the reference data lists as an official (read once from data/reference)."""
    from kg.extract.gazetteer import fold

    return any(fold(f) in _official_forms() for f in forms)


@lru_cache(maxsize=1)
def _official_forms() -> frozenset[str]:
    from kg.config import Settings
    from kg.extract import load_gazetteer

    g = load_gazetteer(Settings().reference_dir)
    return frozenset(g.official_forms) | frozenset(
        s for s, ids in g.surname_index.items() if len(s) > 3 and ids
    )


def rename_people(text: str, gold: dict) -> tuple[str, dict]:
    """People the reference data does not list as officials renamed to invented names, everywhere."""
    return _rename(text, gold, name_map(gold, keep=_known_official))


def rename_everyone(text: str, gold: dict) -> tuple[str, dict]:
    """Every person renamed, listed officials too (counterfactual: the post holder on the date is known)."""
    return _rename(text, gold, name_map(gold))


def _rename(text: str, gold: dict, names: dict[str, str]) -> tuple[str, dict]:
    if not names:
        return text, gold
    table = {**names, **{k.upper(): v.upper() for k, v in names.items()}}
    rx = re.compile(
        r"(?<!\w)(" + "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + r")(?![\w])"
    )

    def sub(s: str) -> str:
        return rx.sub(lambda m: table[m.group(1)], s)

    g = copy.deepcopy(gold)
    out = _map_gold_strings(g, sub)
    new_text, pos = apply_edits(text, [(m.start(), m.end(), table[m.group(1)]) for m in rx.finditer(text)])
    out = _map_gold_quotes(out, text, new_text, pos)
    return new_text, out


# ---- the registry -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Transform:
    name: str
    apply: Callable[[str, dict], tuple[str, dict]]

    @property
    def doc(self) -> str:
        return (self.apply.__doc__ or "").strip().splitlines()[0]


TRANSFORMS = [
    Transform("straight_quotes", straight_quotes),
    Transform("curly_quotes", curly_quotes),
    Transform("single_quotes", single_quotes),
    Transform("un_dotted", un_dotted),
    Transform("un_plain", un_plain),
    Transform("un_spelled", un_spelled),
    Transform("said_first", said_first),
    Transform("said_last", said_last),
    Transform("says", says),
    Transform("said_as_stated", said_as("stated")),
    Transform("said_as_noted", said_as("noted")),
    Transform("said_as_added", said_as("added")),
    Transform("said_as_declared", said_as("declared")),
    Transform("dates_dmy", dates_dmy),
    Transform("dates_mdy", dates_mdy),
    Transform("date_fronted", date_fronted),
    Transform("on_weekday", on_weekday),
    Transform("bare_weekday", bare_weekday),
    Transform("city_titlecase", city_titlecase),
    Transform("headline_caps", headline_caps),
    Transform("dateline_date_above", dateline_date_above),
    Transform("hard_wrap", hard_wrap),
    Transform("collapse_blank_lines", collapse_blank_lines),
    Transform("ascii_dashes", ascii_dashes),
    Transform("em_dashes", em_dashes),
    Transform("nbsp", nbsp),
    Transform("double_space", double_space),
    Transform("sg_unhyphenated", secretary_general_spaced),
    Transform("spokesperson", spokesperson),
    Transform("rename_people", rename_people),
    Transform("rename_everyone", rename_everyone),
]
BY_NAME = {t.name: t for t in TRANSFORMS}


# ---- scoring ----------------------------------------------------------------------------------------
@dataclass
class Corpus:
    name: str
    docs: list  # (Document, gold record)


def load_corpora(develop: bool = True) -> list[Corpus]:
    """dev (all 25) and, with ``develop``, dev2's develop half: documents with index metadata + gold."""
    from kg.extract import read_file_list
    from kg.extract.evaluate import load_gold
    from kg.extract.readers import read_inputs

    out = []
    for name, folder, only in (
        ("dev", CORPUS / "dev", None),
        ("develop", CORPUS / "dev2", read_file_list(DEVELOP) if develop else set()),
    ):
        if only is not None and not only:
            continue
        gold = [r for r in load_gold(folder / "gold.jsonl") if only is None or r["file"] in only]
        docs = {d.file: d for d in read_inputs([folder], max_bytes=10_000_000).documents}
        out.append(Corpus(name, [(docs[r["file"]], r) for r in gold]))
    return out


_PREDICTIONS: dict[tuple[int, str, str], dict] = {}


def _predict(doc, text: str, gazetteer) -> dict:
    """The extraction record of ``doc`` with ``text``; extraction is deterministic, so a text that a
    rewrite left as it was is extracted once (the guard test stays fast)."""
    from kg.extract import extract_document, record

    key = (id(gazetteer), doc.file, text)
    if key not in _PREDICTIONS:
        _PREDICTIONS[key] = record(extract_document(replace(doc, text=text), gazetteer))
    return _PREDICTIONS[key]


def score(corpus: Corpus, transform: Transform | None, gazetteer):
    """The EvalReport of a corpus rewritten by ``transform`` (None: as it is), and how many texts changed."""
    from kg.extract import EvalReport, score_document

    report = EvalReport()
    changed = 0
    for doc, gold in corpus.docs:
        text, g = (doc.text, gold) if transform is None else transform.apply(doc.text, gold)
        changed += text != doc.text
        report.documents += 1
        score_document(g, _predict(doc, text, gazetteer), gazetteer, report)
    return report, changed


def table(corpora: list[Corpus], transforms: list[Transform], gazetteer) -> tuple[str, dict]:
    """The F1 table (transformation x corpus x field), and its numbers: {transform: {corpus: {field: f1}}}."""
    head = f"{'transformation':<21}" + "".join(
        f" | {c.name + ' ' + 'texts':>13} " + " ".join(f"{f[:5]:>6}" for f in FIELDS) for c in corpora
    )
    lines = [head, "-" * len(head)]
    numbers: dict[str, dict[str, dict[str, float]]] = {}
    base: dict[str, dict[str, float]] = {}
    for t in [None, *transforms]:
        name = "(baseline)" if t is None else t.name
        row = f"{name:<21}"
        numbers[name] = {}
        for c in corpora:
            rep, changed = score(c, t, gazetteer)
            f1 = {f: rep.scores[f].f1 for f in FIELDS}
            numbers[name][c.name] = f1
            if t is None:
                base[c.name] = f1
            cells = []
            for f in FIELDS:
                mark = "*" if t is not None and f1[f] < base[c.name][f] - 0.0005 else " "
                cells.append(f"{f1[f]:>5.3f}{mark}")
            row += f" | {changed:>7}/{len(c.docs):<5} " + " ".join(cells)
        lines.append(row)
    lines.append("(* = below the baseline; 'texts' = texts the rewrite changed)")
    return "\n".join(lines), numbers


def main(argv: list[str] | None = None) -> int:
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))  # after PYTHONPATH: another checkout of kg can be measured
    from kg.config import Settings
    from kg.extract import load_gazetteer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="transformations to run (default: all)")
    ap.add_argument("--details", metavar="NAME", help="list the errors a transformation adds (dev + develop)")
    ap.add_argument("--list", action="store_true", help="list the transformations")
    a = ap.parse_args(argv)
    if a.list:
        for t in TRANSFORMS:
            print(f"{t.name:<21} {t.doc}")
        return 0
    g = load_gazetteer(Settings().reference_dir)
    corpora = load_corpora()
    if a.details:
        t = BY_NAME[a.details]
        for c in corpora:
            before = set(score_details(c, None, g))
            for line in score_details(c, t, g):
                if line not in before:
                    print(f"{c.name}\t{line}")
        return 0
    chosen = [BY_NAME[n] for n in a.only] if a.only else TRANSFORMS
    print(table(corpora, chosen, g)[0])
    return 0


def score_details(corpus: Corpus, transform: Transform | None, gazetteer) -> list[str]:
    """The error lines of ``kg eval --details`` for the rewritten corpus (dev and develop only)."""
    return score(corpus, transform, gazetteer)[0].details


if __name__ == "__main__":
    raise SystemExit(main())

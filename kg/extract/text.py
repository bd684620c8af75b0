"""Text preparation: same-length normalisation, paragraphs, page junk, sentences and quotations.

Everything keeps the offsets of the original text: normalisation only swaps one character for
another (non-breaking hyphen -> '-', no-break space -> ' ', curly apostrophe -> "'"), and junk is
blanked with spaces in a working copy instead of being cut out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lexicon import FINITE_FORMS, NAME_PARTICLES

_SPEECH = "|".join(FINITE_FORMS)

#: one-for-one character replacements (the text keeps its length, so offsets stay valid)
_CHAR_MAP = {
    "\u2011": "-",
    "\u2010": "-",
    "\u2012": "-",
    "\u00ad": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\t": " ",
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\ufeff": " ",
    "\u200b": " ",
    # guillemets (French and translated copy) open and close as curly marks do ('„…“' is left alone: its
    # closing mark is the English opening one)
    "\u00ab": "\u201c",
    "\u00bb": "\u201d",
    "\u2039": "\u2018",
    "\u203a": "\u2019",
}
_TRANS = str.maketrans(_CHAR_MAP)

OPEN_DQ = "\u201c"
CLOSE_DQ = "\u201d"


#: quoted-printable leftovers of pages archived from e-mail or news feeds: an encoded space before a
#: line break ('verification=20 mission') and a soft line break ('=' closing a line)
_QP_SPACE = re.compile(r"=20(?=\s)")
_QP_SOFT_BREAK = re.compile(r"(?<=\w)=(?=\n)")


_TEX_CLOSE = re.compile(r"(?<=[\w.,!?])''")

#: UN meetings coverage opens a speaker's paragraph with the name in capitals, then the post or the
#: delegation, then the words: 'ZAHIR TANIN, Special Representative of …, said', 'JONATHAN COHEN (United
#: States) said'. Datelines in capitals ('UNITED NATIONS, Dec. 10 (UPI) --') have no reporting verb after
#: an apposition and keep their capitals.
_CAPS_TOKEN = r"[^\W\d_][^\W\d_'\-]*"
_SPEAKER_IN_CAPITALS = re.compile(
    r"(?m)^[ \t]*(" + _CAPS_TOKEN + r"(?: " + _CAPS_TOKEN + r"){1,5})"
    r"(?=\s*\([^()\n]{2,60}\)(?:,[^.\n\u2013\u2014]{0,200}?,)?\s+(?:\w+ly\s+)?(?:" + _SPEECH + r")\b"
    r"|,\s+(?![A-Z]{2})[^.\n\u2013\u2014]{3,250}?,\s+(?:\w+ly\s+)?(?:" + _SPEECH + r")\b)"
)


#: words in capitals that open a heading or a lead in capitals, never a person's name
_NOT_IN_NAMES = frozenset("THE A AN OF FOR AND IN ON AT TO BY TODAY YESTERDAY UN U.N. UNITED NATIONS".split())


def _title(word: str) -> str:
    """'DAČIĆ' -> 'Dačić', 'AL-HASSAN' -> 'Al-Hassan', "O'BRIEN" -> "O'Brien"; particles lower-case."""
    if word.lower() in NAME_PARTICLES:
        return word.lower()
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0] + m.group(0)[1:].lower(), word)


def _names_in_capitals(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        name = m.group(1)
        if not name.isupper() or _NOT_IN_NAMES.intersection(name.split(" ")):
            return m.group(0)
        plain = " ".join(_title(w) for w in name.split(" "))
        plain = plain[0].upper() + plain[1:]  # 'DE MISTURA' -> 'De Mistura' at the start
        if len(plain) != len(name):  # a letter whose lower case is longer: keep the text's offsets
            return m.group(0)
        return m.group(0)[: m.start(1) - m.start()] + plain
    return _SPEAKER_IN_CAPITALS.sub(fix, text)


def normalize(text: str) -> str:
    """Same-length copy used for matching: hyphens, spaces and apostrophes made plain, quoted-printable
    leftovers ('=20') blanked, ``old wire quotes'' made plain, speakers' names in capitals written as
    names."""
    out = text.translate(_TRANS)
    if "=" in out:
        out = _QP_SOFT_BREAK.sub(" ", _QP_SPACE.sub("   ", out))
    if "``" in out:
        # wire archives of the 1980s-90s quote ``like this'': a blank and a plain mark, same length
        out = _TEX_CLOSE.sub('" ', out.replace("``", ' "'))
    return _names_in_capitals(out)


@dataclass(frozen=True)
class Paragraph:
    """A run of lines read as one block; ``junk`` marks page chrome (menus, related links, credits)."""

    start: int
    end: int
    junk: bool = False
    headline: bool = False
    duplicate: bool = False


@dataclass(frozen=True)
class Quote:
    """Text between quotation marks: ``start``/``end`` cover the inner text, ``open``/``close`` the marks."""

    open: int
    start: int
    end: int
    close: int  # offset just after the closing mark, or ``end`` when the quote is never closed
    closed: bool = True


_JUNK_LINE = re.compile(
    r"""^\s*(?:
        advertisement|share|skip\ to\ main\ content|welcome\ to\ the\ united\ nations|a\+\s*a-|citation
        |global\ perspective\ human\ stories|news\ and\ press\ release|originally\ published
        |\(near\ verbatim\)
        |please\ enter\ your\ .*|related\ (?:articles|stories|news|content)|read\ more|more\ stories
        |subscribe.*|sign\ up.*|follow\ us.*|print|email|comments?|tweet|facebook|twitter|whatsapp|linkedin
        |(?:the\ )?associated\ press|agence\ france-presse|reuters|afp|xinhua|ap|un\ news(?:\ service)?
        |[A-Z][A-Z .'-]+\ (?:WRITER|CORRESPONDENT|REPORTER)|by\ [A-Z][\w.'-]+(?:\ [A-Z][\w.'-]+){0,3}
        |\d{1,2}:\d{2}|[-–—•|]+|\(?(?:file\ )?photos?\b.*|.*\|\s*\w+\s+\d{1,2},\s+\d{4}
        |(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\ )?\d{1,2}\ [A-Z][a-z]+\ \d{4}
        |(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\ )?
            (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\ \d{1,2},?\ \d{4}
        |[A-Z]{1,6}/[A-Z]{1,6}/\d+
        |(?:[\w&'-]+(?:\ [\w&'-]+){0,2}\s*[|»›]\s*){2,}[\w&'-]+(?:\ [\w&'-]+){0,2}
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_TIMESTAMP = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")
_END_PUNCT = re.compile(r"""[.!?:;"'\u201d\u2019)\]]\s*$""")
_CAPTION_CREDIT = re.compile(r"\b(?:Photo|Credit|Image)\s*[:/]", re.IGNORECASE)


#: a dotted abbreviation closing a line ('..., says U.N.'): its stop is part of the word, not an end
_DOTTED_LAST_WORD = re.compile(r"(?<=\s)(?:[A-Z]\.){2,}$")


def _is_short_title(line: str) -> bool:
    words = line.split()
    # a closing quotation mark ends a headline like "Attacks 'unacceptable'" without ending a sentence
    tail = _DOTTED_LAST_WORD.sub("UN", line.rstrip(" -").rstrip("\"'\u201d\u2019"))
    return 0 < len(words) <= 22 and not _END_PUNCT.search(tail)


def _body_like(line: str) -> bool:
    """A line that reads like running text: long, with sentence punctuation."""
    return (len(line.split()) >= 12 and bool(re.search(r"[.!?\"\u201d\u2019]\s*$", line))) or len(
        line.split()
    ) >= 30


def _hard_wrapped(lines: list[str]) -> bool:
    """True when the text is broken into fixed-width lines (wire copy), so newlines are not paragraphs."""
    long_lines = [ln for ln in lines if ln.strip()]
    if len(long_lines) < 8:
        return False
    widths = [len(ln) for ln in long_lines]
    near = sum(1 for w in widths if 45 <= w <= 80)
    open_end = sum(1 for ln in long_lines if not _END_PUNCT.search(ln))
    return near >= 0.6 * len(long_lines) and open_end >= 0.4 * len(long_lines)


def paragraphs(text: str) -> list[Paragraph]:
    """Split into paragraphs and mark page chrome, duplicates and headline lines.

    A newline is a soft break (same paragraph) when the line does not end a sentence and the next
    line starts in lower case, or when the whole text is hard-wrapped wire copy.
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    strs = [text[s:e] for s, e in lines]
    wrapped = _hard_wrapped(strs)
    blocks: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for (s, e), line in zip(lines, strs, strict=True):
        if not line.strip():
            if cur:
                blocks.append(cur)
            cur = None
            continue
        if cur is None:
            cur = (s, e)
            continue
        prev = text[cur[0] : cur[1]]
        nxt = line.lstrip()
        soft = wrapped or (not _END_PUNCT.search(prev) and nxt[:1].islower())
        if soft:
            cur = (cur[0], e)
        else:
            blocks.append(cur)
            cur = (s, e)
    if cur:
        blocks.append(cur)

    out: list[Paragraph] = []
    seen: set[str] = set()
    body_started = False
    after_timestamp = False
    n = len(blocks)
    for i, (s, e) in enumerate(blocks):
        line = text[s:e].strip()
        key = re.sub(r"\W+", " ", line).strip().lower()
        junk = False
        if _JUNK_LINE.match(line) or _TIMESTAMP.match(line):
            junk = True
        elif _CJK.search(line) and not re.search(r"[\u3000-\u9fff]+\s*[:：]\s*[A-Za-z]", line):
            junk = True
        elif line.startswith(("•", "- ", "– ", "— ")) and _is_short_title(line.lstrip("•-–— ")):
            junk = True
        elif after_timestamp:
            junk = True
        elif body_started and _is_short_title(line) and line.rstrip().endswith(" -"):
            junk = True
        elif body_started and _is_short_title(line):
            # a run of short title-like lines after the body started (related links), or the page's tail
            run = 1
            for s2, e2 in blocks[i + 1 :]:
                if _is_short_title(text[s2:e2].strip()) or _TIMESTAMP.match(text[s2:e2]):
                    run += 1
                else:
                    break
            junk = run >= 3 or (i + run == n and run >= 2)
        if _TIMESTAMP.match(line):
            after_timestamp = True
        duplicate = key in seen and len(key) > 0
        seen.add(key)
        headline = (
            not body_started and not junk and _is_short_title(line) and not _CAPTION_CREDIT.search(line)
        )
        if not junk and _body_like(line):
            body_started = True
        out.append(Paragraph(s, e, junk=junk, headline=headline and not duplicate, duplicate=duplicate))
    return out


def blank(text: str, spans: list[tuple[int, int]], fill: str = " ", *, keep_newlines: bool = True) -> str:
    """Replace the given spans by ``fill`` (newlines kept), so offsets stay valid.

    ``keep_newlines=False`` does the opposite: only the newlines inside the spans become blanks.
    """
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if keep_newlines and chars[i] != "\n":
                chars[i] = fill
            elif not keep_newlines and chars[i] == "\n":
                chars[i] = " "
    return "".join(chars)


# ---- quotations --------------------------------------------------------------------------------------
_LETTER = re.compile(r"[\w]")


def _is_opener(text: str, i: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else " "
    if ch == OPEN_DQ:
        return True
    if ch == CLOSE_DQ:
        # Swedish and Finnish typesetting, and pages passed through some CMSs, open with the closing
        # mark too (' were ”savagely killed”,'): one after a space and before a word opens
        after_space = not prev.strip() or prev in "([{-\u2014\u2013"
        return after_space and bool(nxt) and (nxt.isalnum() or nxt in "[(.")
    if ch in "\"'\u2018":
        if ch in "'\u2018" and _LETTER.match(prev or " "):
            return False  # apostrophe inside a word
        return (not prev.strip() or prev in "([{-\u2014\u2013:;,") and bool(nxt) and not nxt.isspace()
    return False


def _is_closer(text: str, i: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else ""
    if ch == CLOSE_DQ:
        return True
    if ch in "\"'\u2019":
        if ch in "'\u2019" and _LETTER.match(nxt or " "):
            return False  # don't, Haiti's
        if ch in "'\u2019" and prev in "sx" and nxt == " " and text[i - 2 : i].isalpha():
            # possessive after -s/-x ("Lacroix' visit") unless it closes a quote: decided by the caller
            return True
        return bool(prev) and not prev.isspace()
    return False


def _possessive_before_closer(text: str, j: int, later: int) -> bool:
    """The mark at ``j`` reads as a plural possessive ('the donors' support': after -s, before a lower-case
    word) and no quotation opens between it and the later closing mark at ``later``."""
    after_s = text[j - 1 : j] == "s" and text[j - 2 : j - 1].isalpha()
    if not (after_s and re.match(r" [a-z]", text[j + 1 : j + 3])):
        return False
    return not any(text[k] in "\"'\u201c\u2018" and _is_opener(text, k) for k in range(j + 1, later))


def find_quotes(text: str, start: int, end: int, *, last: bool = False) -> list[Quote]:
    """Quotations inside ``text[start:end]`` (one paragraph), in straight or curly marks.

    Marks may be mismatched (opened with a single quote, closed with a double one, or the other way
    round). An unclosed double quotation runs to the end of the paragraph, and so does an unclosed
    single one in the last paragraph (that is how stored pages cut off mid-quote look) or opening its
    paragraph (a quotation over several paragraphs closes only in the last).
    """
    quotes: list[Quote] = []
    i = start
    while i < end:
        ch = text[i]
        if ch not in "\"'\u201c\u201d\u2018" or not _is_opener(text, i):
            i += 1
            continue
        single = ch in "'\u2018"
        doubles = [j for j in range(i + 2, end) if text[j] in '"\u201d' and _is_closer(text, j)]
        singles = [j for j in range(i + 2, end) if text[j] in "'\u2019" and _is_closer(text, j)]
        close = None
        if single:
            # 'the donors' support for ...': a plural possessive is not the closing mark when
            # another closing mark follows before any new quotation opens
            while len(singles) > 1 and _possessive_before_closer(text, singles[0], singles[1]):
                singles = singles[1:]
            cands = sorted(singles[:1] + doubles[:1])
            close = cands[0] if cands else None
        else:
            if doubles:
                close = doubles[0]
            elif singles:
                close = singles[0]
        if close is not None:
            quotes.append(Quote(i, i + 1, close, close + 1, True))
            i = close + 1
            continue
        opens_paragraph = not text[start:i].strip()
        if single and not last and not opens_paragraph:
            # an apostrophe mid-paragraph ('rock 'n' roll') is no quotation; a mark opening the paragraph
            # is one running on to the next paragraph, whichever the style of its marks
            i += 1
            continue
        inner_end = end
        while inner_end > i + 1 and text[inner_end - 1].isspace():
            inner_end -= 1
        quotes.append(Quote(i, i + 1, inner_end, inner_end, False))
        break
    return quotes


# ---- sentences ---------------------------------------------------------------------------------------
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "lt",
    "gen",
    "col",
    "maj",
    "brig",
    "capt",
    "cpt",
    "sgt",
    "cpl",
    "adm",
    "cmdr",
    "cdr",
    "gov",
    "sen",
    "rep",
    "rev",
    "st",
    "mt",
    "no",
    "nos",
    "jr",
    "sr",
    "vs",
    "etc",
    "inc",
    "co",
    "corp",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "amb",
    "u.n",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "fig",
    "approx",
    "est",
    "hon",
    "pres",
    "gens",
}
#: a sentence end: stop, closing marks, space, capital; or, in machine-translated and scraped pages, a
#: stop glued to the next sentence ('… the crime of war.He called on …')
_SENT_END = re.compile(
    r"[.!?]+[\"'\u201d\u2019)]*(?=\s+[\"'\u201c\u2018(]?[A-Z0-9\u00C0-\u00DE])|(?<=[a-z]{2})\.(?=[A-Z][a-z])"
)


def sentences(text: str, start: int, end: int, quotes: list[Quote]) -> list[tuple[int, int]]:
    """Sentence spans inside one paragraph; never splits inside a closed quotation."""
    inside: list[tuple[int, int]] = [(q.start, q.end) for q in quotes if q.closed]
    out: list[tuple[int, int]] = []
    s = start
    while s < end and text[s].isspace():
        s += 1
    for m in _SENT_END.finditer(text, start, end):
        cut = m.end()
        dot = m.start()
        # American style puts the full stop inside the closing mark ('… what he called "the murder of
        # the soldier." He said …'): the last character of a quotation still ends the sentence
        if any(a < dot < b and dot < b - 1 for a, b in inside):
            continue
        word = re.search(r"([\w.]+)$", text[s : dot + 1] if text[dot] == "." else "")
        if text[dot] == "." and word:
            w = word.group(1).rstrip(".").lower()
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):
                continue  # 'Mr.', an initial, initials written together ('Y.J. Choi')
        if cut > s:
            out.append((s, cut))
        s = cut
        while s < end and text[s].isspace():
            s += 1
    if s < end:
        e = end
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out

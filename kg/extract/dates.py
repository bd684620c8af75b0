"""Dates: the reference date of a document (publication date, or the wire dateline) and the dates
that relative expressions ("on Tuesday", "yesterday", "earlier this month") point to.

Precision is never invented: a page dated only to a month gives month dates; a weekday that does
not match the stated day of the month gives the month only; a year-only page gives nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"


def _month(word: str) -> int:
    w = word.lower().rstrip(".")
    return MONTHS.get(w) or MONTH_ABBR[w[:4] if w.startswith("sept") else w[:3]]


@dataclass(frozen=True)
class Anchor:
    """The day (or month) a document speaks from; ``precision`` is 'day', 'month', 'year' or None."""

    date: dt.date | None
    precision: str | None
    basis: str = ""
    release: bool = False  # a press-release dateline with its year ('Bangui, 10 February 2023')

    def iso(self) -> str | None:
        if self.date is None:
            return None
        if self.precision == "day":
            return self.date.isoformat()
        if self.precision == "month":
            return self.date.strftime("%Y-%m")
        return None


def parse_iso(value: str | None) -> tuple[dt.date | None, str | None]:
    """'2020-03-25' / '2008-04' / '2019' -> (date, precision); anything else -> (None, None)."""
    if not value:
        return None, None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value), "day"
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return dt.date(int(value[:4]), int(value[5:7]), 1), "month"
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), "year"
    except ValueError:
        return None, None
    return None, None


_URL_DATES = (
    re.compile(r"[/_-](?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"yyyy=(?P<y>(?:19|20)\d{2})&mm=(?P<m>\d{1,2})&dd=(?P<d>\d{1,2})"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>0[1-9]|1[0-2])/"),
    # written together, as one path segment or its start: '/20161124-aleppo', '/news/19950105/'
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
)


def url_date(url: str | None) -> str | None:
    """The date a URL's path carries ('/2003/12/10/', '/1997-01-31-…', '/20161124-…', '/2008/03/' at month
    precision).

    >>> url_date("https://news.un.org/en/story/2008/03/252732")
    '2008-03'
    >>> url_date("https://mg.co.za/article/1997-01-31-un-feels-heat/")
    '1997-01-31'
    >>> url_date("https://example.org/news/20161124-aleppo")
    '2016-11-24'
    >>> url_date("https://example.org/article13315") is None
    True
    >>> url_date("https://example.org/id/20161399") is None  # no 99th day: an identifier
    True
    """
    if not url:
        return None
    for rx in _URL_DATES:
        m = rx.search(url)
        if not m:
            continue
        y, mo = int(m.group("y")), int(m.group("m"))
        d = int(m.group("d")) if "d" in rx.groupindex else None
        try:
            dt.date(y, mo, d or 1)
        except ValueError:
            continue
        return f"{y:04d}-{mo:02d}-{d:02d}" if d else f"{y:04d}-{mo:02d}"
    return None


def valid_date(value: str) -> bool:
    """Whether a metadata date is ISO 8601 at day, month or year precision."""
    return parse_iso(value)[0] is not None


_DATELINE = re.compile(
    # words joined by hyphens inside ('PORT-AU-PRINCE', 'Port-au-Prince') and by single spaces between, each
    # way of splitting a place read one way only: an ambiguous split backtracked without end on 'A-B-A-B-…'
    r"^\s*(?:[A-Z][\w']*(?:-[\w']+)*(?: [A-Z][\w']*(?:-[\w']+)*)*"
    r"(?:,\s*[A-Z][\w\-]*(?: [\w\-]+)*)?)"
    r"(?: ?\([^()\n]{2,40}\))?"  # 'Chahid El Hafed (Sahrawi Refugee Camps), November 13, 2020 (SPS) -'
    r"\s*,\s*(?:"
    r"(?P<m1>" + _MONTH_RE + r")\s+(?P<d1>\d{1,2})|(?P<d2>\d{1,2})\s+(?P<m2>" + _MONTH_RE + r"))\b"
    r"(?:,?\s+(?P<year>\d{4})\b)?"
)


#: a dateline that starts with the date: 'Nov 24, 2005 (ASMARA) —', '16 July 2008 -- The Council …',
#: or a line that is only the page's date ('2 September 2014')
_DATE_FIRST = re.compile(
    r"^\s*(?:(?P<m1>" + _MONTH_RE + r")\s+(?P<d1>\d{1,2}),?|(?P<d2>\d{1,2})\s+(?P<m2>" + _MONTH_RE + r"))"
    r"\s+(?P<year>\d{4})\s*(?:\([A-Z][\w .,'\-]*\)\s*)?(?:(?P<sep>--|\u2014|\u2013|-|:)\s*\S|[ \t]*(?:\n|$))"
)


def _day_of(m: re.Match[str], year: int) -> dt.date | None:
    """The day a dateline match names (its month and day groups) in ``year``; None for no such day."""
    try:
        return dt.date(year, _month(m.group("m1") or m.group("m2")), int(m.group("d1") or m.group("d2")))
    except ValueError:
        return None


def _label(m: re.Match[str]) -> str:
    """How a date basis quotes a dateline: the match without its separator."""
    text = m.group(0)[:-1] if m.groupdict().get("sep") else m.group(0)  # the separator took one more char
    return text.strip().rstrip("-\u2014\u2013:").strip()


def _date_first(para: str, pub: dt.date, prec: str | None) -> Anchor | None:
    """A date-first dateline or a date-only line that agrees with the publication date: the page's own
    date, on which its statements speak (a press release or statement document)."""
    m = _DATE_FIRST.match(para)
    cand = _day_of(m, int(m.group("year"))) if m else None
    if cand is None:
        return None
    agrees = (prec == "day" and abs((pub - cand).days) <= 1) or (
        prec in ("month", "year") and cand.year == pub.year and (prec == "year" or cand.month == pub.month)
    )
    if not agrees:
        return None
    return Anchor(cand, "day", f"dateline '{_label(m)}'", True)


def document_anchor(publication_date: str | None, paragraphs_text: list[str]) -> Anchor:
    """Publication date, refined by a wire dateline ('BEIRUT, April 6 (Xinhua)', 'Nov 24, 2005 (ASMARA) —')
    or a date line ('2 September 2014') in the first paragraphs."""
    pub, prec = parse_iso(publication_date)
    if pub is None:
        return _dateline_alone(paragraphs_text)
    for para in paragraphs_text[:6]:
        first = _date_first(para, pub, prec)
        if first is not None:
            return first
        m = _DATELINE.match(para)
        if not m:
            continue
        cand = _day_of(m, pub.year)
        if cand is not None and prec == "day" and cand > pub:
            cand = _day_of(m, pub.year - 1)
        if cand is None:
            continue
        if prec in ("day", "month", "year") and (prec != "day" or (pub - cand).days <= 7):
            release = bool(m.group("year")) and int(m.group("year")) == cand.year
            return Anchor(cand, "day", f"dateline '{_label(m)}'", release)
    return Anchor(pub, prec, f"publication date {publication_date}")


def _dateline_alone(paragraphs_text: list[str]) -> Anchor:
    """A document with no publication date is dated by a dateline that gives its year ('DAMASCUS, May 31,
    1990 -', '16 July 2008 -- The Council …'), else not at all.

    >>> _dateline_alone(["Title", "VUKOVAR, Croatia, Nov 12, 1997 - The commander said"]).date
    datetime.date(1997, 11, 12)
    >>> _dateline_alone(["16 July 2008 -- The Council condemned the attack."]).basis
    "dateline '16 July 2008'"
    >>> _dateline_alone(["BEIRUT, April 6 (Xinhua) -- A spokesman said"]).date is None
    True
    """
    for para in paragraphs_text[:6]:
        m = _DATE_FIRST.match(para) or _DATELINE.match(para)
        cand = _day_of(m, int(m.group("year"))) if m and m.group("year") else None
        if cand is not None:
            return Anchor(cand, "day", f"dateline '{_label(m)}'", True)
    return Anchor(None, None)


DATE_EXPR = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<wd_full>"
    + _WEEKDAY_RE
    + r"),?\s+(?:(?P<fd1>\d{1,2})\s+(?P<fm1>"
    + _MONTH_RE
    + r")|(?P<fm2>"
    + _MONTH_RE
    + r")\s+(?P<fd2>\d{1,2}))(?:,?\s+(?P<fy>\d{4}))?"
    r"|(?P<wd>" + _WEEKDAY_RE + r")(?!['\u2019]s)(?:\s+\((?P<pm>" + _MONTH_RE + r")\s+(?P<pd>\d{1,2})\))?"
    r"|(?P<md_m>" + _MONTH_RE + r")\s+(?P<md_d>\d{1,2})(?:,\s+(?P<md_y>\d{4}))?(?!\d)"
    r"|(?P<dm_d>\d{1,2})\s+(?P<dm_m>" + _MONTH_RE + r")(?:\s+(?P<dm_y>\d{4}))?"
    r"|(?P<today>today|this morning|this afternoon|this evening|tonight|earlier today)"
    r"|(?P<yesterday>yesterday|last night)"
    r"|(?P<thismonth>earlier this month|this month)"
    r"|(?P<lastmonth>last month)"
    r"|(?P<week>last week|this week|earlier this week|next week)"
    r"|(?:in|last|since|early|late)\s+(?P<mon>"
    + _MONTH_RE.replace(r"|Jan\.?", "|Jan\\.").replace("|May", "|May(?! \\d)")
    + r")(?:\s+(?P<mon_y>\d{4}))?"
    r")(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Resolved:
    value: str | None  # ISO date / month, or None when the expression cannot be resolved
    expression: str
    start: int
    end: int
    blocking: bool  # an unresolvable expression that still says "not the inherited date"


def _shift_month(d: dt.date, months: int) -> dt.date:
    y, m = d.year, d.month + months
    while m < 1:
        y, m = y - 1, m + 12
    while m > 12:
        y, m = y + 1, m - 12
    return dt.date(y, m, 1)


def _day_and_month(m: re.Match[str]) -> tuple[int, int] | None:
    """(month, day) of an expression that names a day of a month ('5 March', 'Tuesday, March 5')."""
    day = m.group("fd1") or m.group("fd2") or m.group("md_d") or m.group("dm_d")
    if not day:
        return None
    return _month(m.group("fm1") or m.group("fm2") or m.group("md_m") or m.group("dm_m")), int(day)


def resolve(m: re.Match[str], anchor: Anchor) -> Resolved:
    """Resolve one date expression against the document anchor."""
    text = m.group(0)

    def out(value: str | None, blocking: bool = False) -> Resolved:
        return Resolved(value, text, m.start(), m.end(), blocking)

    a, p = anchor.date, anchor.precision
    named = _day_and_month(m)
    if a is None or p not in ("day", "month"):
        # explicit years can still be read
        year = m.group("fy") or m.group("md_y") or m.group("dm_y") or m.group("mon_y")
        if year and named:
            try:
                return out(dt.date(int(year), *named).isoformat())
            except ValueError:
                pass
        return out(None, True)
    day_prec = p == "day"

    def month_only(d: dt.date) -> str:
        return d.strftime("%Y-%m")

    if named:  # 'wd_full', 'md_m' and 'dm_d' are the alternatives that name a day
        month, day = named
        year = m.group("fy") or m.group("md_y") or m.group("dm_y")
        y = int(year) if year else a.year
        try:
            d = dt.date(y, month, day)
        except ValueError:
            return out(None, True)
        # a page reports what was said before it: a day after the page's date (one day's time-zone lag
        # aside; after its month, for a page dated to a month) was said the year before
        latest = a + dt.timedelta(days=1) if day_prec else _shift_month(a, 1)
        if not year and d > latest:
            try:
                d = d.replace(year=y - 1)
            except ValueError:  # 29 February
                return out(None, True)
        if m.group("wd_full") and WEEKDAYS[m.group("wd_full").lower()] != d.weekday():
            return out(month_only(d))
        return out(d.isoformat())
    if m.group("wd"):
        if m.group("pm"):
            try:
                return out(dt.date(a.year, _month(m.group("pm")), int(m.group("pd"))).isoformat())
            except ValueError:
                pass
        if not day_prec:
            return out(month_only(a))
        back = (a.weekday() - WEEKDAYS[m.group("wd").lower()]) % 7
        return out((a - dt.timedelta(days=back)).isoformat())
    if m.group("today"):
        return out(a.isoformat() if day_prec else month_only(a))
    if m.group("yesterday"):
        return out((a - dt.timedelta(days=1)).isoformat() if day_prec else month_only(a))
    if m.group("thismonth"):
        return out(month_only(a))
    if m.group("lastmonth"):
        return out(month_only(_shift_month(a, -1)))
    if m.group("week"):
        return out(None, m.group("week").lower().startswith(("last", "next")))
    if m.group("mon"):
        month = _month(m.group("mon"))
        if m.group("mon_y"):
            return out(f"{int(m.group('mon_y')):04d}-{month:02d}")
        y = a.year if month <= a.month else a.year - 1
        if text.lower().startswith("last") and month == a.month:
            y -= 1
        return out(f"{y:04d}-{month:02d}")
    return out(None)

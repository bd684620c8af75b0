"""Dates of the speaking: which day (or month) each statement was made, and why (``date_basis``).

The stage after attribution: statements arrive with their sentence, reporting verbs and quotes, and leave
with a date. Own date words first ('said on Friday', 'On 11 March, X condemned'), never an incident's
('killed Monday') nor one inside the reported clause; then the speaker's occasion (earlier or, when the
speaker is quoted on one occasion only, later statements), the lead's event, the meeting, the press
release's dateline and the UN statement template. Expressions are resolved by ``dates.resolve``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract import dates as dts
from kg.extract.attribution import Sentence

if TYPE_CHECKING:
    from kg.extract.core import _Stmt

#: a dateline before the first words of a story: 'JUBA, July 12 (Reuters) - ', 'Juba — '
_DATELINE_PREFIX = re.compile(
    r"\s*[A-Z][\w'.-]*(?:[ ,]+[\w'.-]+){0,6}?\s*(?:\([^()\n]{2,40}\)\s*)?(?:--|\u2014|\u2013|-)\s+(?=[A-Z])"
)
#: an absolute or month date opening a sentence, then a comma ('On 11 March, …', 'In February 2015, …',
#: 'Earlier, on 9 July, …')
_LEAD_DATE = re.compile(
    r"\s*(?:(?:(?:[Oo]n|[Ii]n|[Ll]ate on|[Ee]arly on)|(?:[Ee]arlier|[Ll]ater),?\s+(?:on|in))\s+)?"
    r"(?:(?:\w+day,?\s+)?\d{1,2}\s+" + dts._MONTH_RE + r"(?:\s+\d{4})?|"
    r"(?:\w+day,?\s+)?" + dts._MONTH_RE + r"\s+\d{1,2}(?:,\s+\d{4})?|" + dts._MONTH_RE + r"(?:\s+\d{4})?|"
    r"[Ll]ast month|[Ee]arlier this month)\s*,(?!\s*\d)"
)


_OBJECT_VERB = re.compile(r"^[a-z]{3,}ed$|^(?:to|made|held|took|began|said|told|signed|killed|seen|taken)$")


_EVENT_NOUN = re.compile(
    r"\b(?:meeting|conference|briefing|session|summit|debate|press conference|talks|ceremony)\b", re.I
)

_OCCASION_OPENING = re.compile(
    r"\s*(?:In|At|During)\s+(?:a|an|the|his|her|its|their)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:statement|remarks|speech|interview|letter|message|address|briefing|news conference|"
    r"press conference)\b[^,;:]{0,80},",
    re.I,
)

_MEETING_TODAY = re.compile(
    r"\b(?:Security Council|General Assembly|Committee|meeting|debate|session)\b"
    r"[^.]{0,60}\b(?:today|this morning|this afternoon)\b"
)


#: an occasion named as one already reported: 'told the same press conference', 'at the same briefing'
_SAME_OCCASION = re.compile(
    r"\b(?:the|that)\s+same\s+(?:[\w-]+\s+){0,2}?(?:press conference|news conference|conference|briefing|"
    r"meeting|session|interview|event|occasion|ceremony|debate|hearing)\b",
    re.I,
)


_RELAY_LEMMAS = frozenset({"say", "tell", "report", "add", "note", "confirm", "announce", "state", "declare"})
_SAY_LEMMAS = frozenset(
    {"say", "add", "note", "state", "stress", "explain", "insist", "argue", "claim", "recall"}
    # the other verbs of saying that take a clause and no addressee ('declared the vote in April had …')
    | {"declare", "assert", "remark", "reiterate", "affirm", "reaffirm", "observe", "emphasize", "concede",
       "acknowledge", "confirm", "mention", "indicate", "reveal"}
)
_PAST_PERFECT = re.compile(r"had\b", re.I)
#: the speaker's own text or occasion between the verb and its date ('said in a statement issued on …')
_OWN_TEXT = re.compile(
    r"\s*in\s+(?:a|an|its|his|her|their)\s+(?:[\w-]+\s+)?(?:statement|communiqu[eé]|press release|message|"
    r"letter|interview|speech|address|briefing)\s+(?:(?:issued|released|published|made|given|delivered|sent)\s+)?"
    r"(?:(?:late|early)\s+)?(?:on\s+)?$",
    re.I,
)
_DETERMINER = re.compile(r"\s*(?:the|a|an|this|these|those|its|his|her|their)\s", re.I)
#: what happened, as opposed to what was said: a date right after such a noun is the incident's ('condemns
#: the attack on its peacekeepers on Tuesday': the attack was on Tuesday, the condemnation is the release's)
_INCIDENT_NOUN = re.compile(
    r"\b(?:attacks?|killings?|ambush(?:es)?|bombings?|shelling|explosions?|blasts?|assaults?|raids?|clashes|"
    r"fighting|violence|murders?|abductions?|kidnappings?|shootings?|incidents?|massacres?|(?:air)?strikes?|"
    r"deaths?|executions?|looting|fire|crash)\b",
    re.I,
)


def _dates_the_object(between: str, lemma: str = "") -> bool:
    """True when a date after the reporting verb belongs to its object, not to the speaking.

    'said on Monday', 'told reporters in Monrovia on Tuesday' date the speech; 'urges … the ban
    announced yesterday' and 'pledges made in February' date an event inside the reported matter:
    the gap is long, or another verb form stands between the reporting verb and the date, or the
    object is an incident ('condemns the attack on Tuesday'). A verb of saying takes no addressee,
    so a noun phrase right after it ('said the formation of the government in April …') is the
    subject of the reported clause and the date is the clause's.
    """
    if _OWN_TEXT.match(between):
        return False  # 'said in a statement issued on Wednesday': the statement is the speaking
    words = re.findall(r"[\w'\u2019-]+", between)
    if len(words) > 12:
        return True
    if lemma in _SAY_LEMMAS and _DETERMINER.match(between):
        return True
    if _DETERMINER.match(between) and _INCIDENT_NOUN.search(between) and not _OWN_TEXT.search(between):
        return True  # 'condemned the attack on a convoy on Friday', not '… in a statement on Friday'
    return any(_OBJECT_VERB.search(w) and w != "indeed" for w in words)


def st_text(st: _Stmt, work: str) -> str:
    """The text of a statement's sentence."""
    return work[st.sent.start : st.sent.end]


def assign_dates(
    stmts: list[_Stmt], work: str, anchor: dts.Anchor, sents: list[Sentence]
) -> None:
    """Own date expressions first; then the speaker's earlier occasion; then the lead's event date."""
    lead_para = min((s.para for s in sents if not s.headline), default=None)
    event_date = None
    if lead_para is not None:
        body_sents = [s for s in sents if not s.headline]
        first = body_sents[0]
        # the lead sentence reports an event (no statement of its own); its date is the event's when
        # it names the event, or when the next sentence takes it up ('The ceremony was held ...')
        if not any(st.sent is first and not st.headline for st in stmts):
            for s in body_sents[:1]:
                seg = work[s.start : s.end]
                nxt = work[body_sents[1].start : body_sents[1].end] if len(body_sents) > 1 else ""
                if _EVENT_NOUN.search(seg) or re.match(
                    r"\s*The\s+(?:[\w-]+\s+){0,3}?" + _EVENT_NOUN.pattern + r"\s+(?:was|were|is|took)\b",
                    nxt,
                    re.I,
                ):
                    for m in dts.DATE_EXPR.finditer(seg):
                        if re.match(r"['\u2019]s\b", seg[m.end() : m.end() + 2]):
                            continue
                        res = dts.resolve(m, anchor)
                        if res.value:
                            event_date = res.value
                            break
    for st in stmts:
        if not st.hits:
            continue
        s = st.sent
        h = st.hits[0]
        c = h.chunk
        lo = min(h.start, c.start if c is not None else h.start)
        hi = min(s.end, max(x.end for x in st.hits) + 90)
        # a date after the reported clause opens ('said that …', '… the attack carried out yesterday,
        # which …') dates what is reported, not the speaking
        clause = re.search(r"\b(?:that|which|who|whose|when|after|before)\b|[,;:]", work[h.end : hi])
        if clause is not None:
            hi = h.end + clause.start()
        if re.match(r"\s*(?:Speaking|Addressing|Briefing|Talking)\b", work[s.start : lo]):
            lo = s.start
        ranges = [(lo, hi)]
        # a temporal adverbial opening the sentence scopes over its main clause: 'On Friday, X said',
        # 'On 11 March, X condemned', 'In February, X said', 'Last month, X said'
        # … after a dateline, if the sentence opens with one ('JUBA — Earlier, on Saturday, X thanked')
        opens = _DATELINE_PREFIX.match(work, s.start, s.end)
        lead_start = opens.end() if opens else s.start
        lead = re.match(
            r"\s*(?:(?:Earlier|Later)\s*,?\s+)?(?:today|yesterday|last week|this week|on \w+day|"
            r"(?:late |early )?\w+day)\s*,",
            work[lead_start : s.end],
            re.I,
        )
        lead_end = lead_start + lead.end() if lead else None
        if lead_end is None and (dated_lead := _LEAD_DATE.match(work, lead_start, s.end)):
            lead_end = dated_lead.end()
        if lead_end is not None:
            ranges.append((lead_start, lead_end))
        opening = _OCCASION_OPENING.match(work[s.start : lo])
        if opening:  # 'In a statement issued in New York on Monday, X condemned …'
            ranges.append((s.start, s.start + opening.end()))
        found = None
        for a, b in ranges:
            for m in dts.DATE_EXPR.finditer(work, a, b):
                if re.match(r"['\u2019]s\b", work[m.end() : m.end() + 2]) or work[m.start() : m.end()].count(
                    "~"
                ):
                    continue
                if any(q0 <= m.start() < q1 for q0, q1, _ in st.quotes):
                    continue
                if m.start() >= h.end and _dates_the_object(work[h.end : m.start()], h.lemma):
                    continue
                res = dts.resolve(m, anchor)
                if res.value is None and not res.blocking:
                    continue
                found = res
                break
            if found:
                break
        if found is not None:
            st.own_date = True
            st.date = found.value
            st.blocked_date = found.value is None
            if found.value:
                st.date_basis = f"'{found.expression}' against the {anchor.basis}"
    last_date: dict[str, str] = {}
    # the lead statement, dated on its own to the day, whose news is the statement itself ('X on
    # Friday condemned …', 'today called on …'): the paragraph after the lead elaborates it. A lead
    # that only relays news ('the force said Saturday that a post was hit') does not date the
    # interviews quoted after it.
    lead_st = next(
        (
            st
            for st in stmts
            if not st.headline
            and st.sent.para == lead_para
            and st.own_date
            and st.date
            and len(st.date) == 10
        ),
        None,
    )
    if lead_st is not None and (not lead_st.hits or lead_st.hits[0].lemma in _RELAY_LEMMAS):
        lead_st = None
    for st in stmts:
        if st.headline:
            continue
        if st.own_date:
            if st.date:
                last_date[st.speaker.key] = st.date
            continue
        if st.hits and st.hits[0].subordinate:
            # 'A day after the Council threatened …', '… after Haradinaj announced …': placed by another act
            st.blocked_date = True
            continue
        if st.nested and st.hits and _PAST_PERFECT.match(st.hits[0].verb):
            # 'she said Ethiopia had expressed concern': the reported act came before the report
            st.blocked_date = True
            continue
        same = next(
            (
                x
                for x in stmts
                if x.sent is st.sent and x.own_date and x.date and not x.nested and x.hits and st.hits
                and x.hits[0].start < st.hits[0].start
            ),
            None,
        )
        if same is not None:  # '… X on Friday condemned …, his spokesman said': one occasion
            st.date = same.date
            st.date_basis = "same sentence as a dated statement"
            last_date[st.speaker.key] = same.date
        elif st.speaker.key in last_date:
            st.date = last_date[st.speaker.key]
            st.date_basis = "same occasion as the speaker's earlier statement"
        elif event_date and st.sent.para <= (lead_para or 0) + 3:
            st.date = event_date
            st.date_basis = "the event reported in the lead"
            last_date[st.speaker.key] = event_date
        elif lead_st is not None and lead_st.date and lead_para is not None and st.sent.para == lead_para + 1:
            st.date = lead_st.date
            st.date_basis = "continues the lead statement"
            last_date[st.speaker.key] = lead_st.date
    # 'told the same press conference': the occasion an earlier statement is dated by
    for i, st in enumerate(stmts):
        if st.date is not None or st.blocked_date or st.headline:
            continue
        if not _SAME_OCCASION.search(st_text(st, work)):
            continue
        earlier = next((x for x in reversed(stmts[:i]) if x.date and not x.headline and not x.nested), None)
        if earlier is not None:
            st.date = earlier.date
            st.date_basis = "the same occasion as an earlier dated statement"
            last_date.setdefault(st.speaker.key, earlier.date)
    # meetings coverage: the other speakers of "today's" meeting share its date
    body = [st for st in stmts if not st.headline]
    opener = next((st for st in body if st.own_date and st.date), None)
    if opener and opener.date and len(opener.date) == 10 and _MEETING_TODAY.search(st_text(opener, work)):
        for st in body:
            if st.date is None and not st.blocked_date and not st.own_date:
                st.date = opener.date
                st.date_basis = "same meeting as the opening statement"
    # a press release speaks on its dateline
    # … unless the report dates its own statements to another day (a news story under a dateline)
    if (
        anchor.release
        and anchor.precision == "day"
        and not any(st.own_date and st.date and st.date != anchor.iso() and not st.nested for st in body)
    ):
        for st in body:
            if st.date is None and not st.blocked_date:
                st.date = anchor.iso()
                st.date_basis = f"the {anchor.basis} of the press release"
    # the UN press-release template: 'The following statement was issued today by the Spokesman for …'
    # dates the statement that follows it, sentence by sentence
    issued = _ISSUED_STATEMENT.search(work)
    if issued:
        when = next((dts.resolve(m, anchor) for m in dts.DATE_EXPR.finditer(issued.group(0))), None)
        if when is not None and when.value:
            for st in body:
                if st.date is None and not st.blocked_date and st.sent.start >= issued.start():
                    st.date = when.value
                    st.date_basis = f"statement issued '{when.expression}' against the {anchor.basis}"
    # the lead summarises the occasion dated in the next sentences
    for i, st in enumerate(body):
        if (
            st.date is None
            and not st.blocked_date
            and lead_para is not None
            and st.sent.para <= lead_para + 1
        ):
            nxt = next(
                (x for x in body[i + 1 : i + 3] if x.speaker.key == st.speaker.key and x.date and x.own_date),
                None,
            )
            if nxt:
                st.date = nxt.date
                st.date_basis = "the lead summarises the occasion dated in the next sentence"
    _date_from_single_occasion(body)
    first_dated = next((st for st in body), None)
    for st in stmts:
        if st.headline and first_dated is not None and first_dated.date:
            st.date = first_dated.date
            st.date_basis = "the headline summarises the lead statement"


def _date_from_single_occasion(body: list[_Stmt]) -> None:
    """A speaker quoted on one occasion only: the statements before the one that dates it share it.

    News puts the gist first and the occasion later ('Haradinaj says …' … '"…," Haradinaj said on
    Wednesday in Vucitrn'); later statements already inherit the earlier date. Speakers dated to two
    different days, nested reports and statements whose own date words gave no day are left alone.
    """
    dates: dict[str, set[str]] = {}
    for st in body:
        if st.own_date and st.date and not st.nested:
            dates.setdefault(st.speaker.key, set()).add(st.date)
    for st in body:
        one = dates.get(st.speaker.key)
        if st.date is None and not st.blocked_date and not st.nested and one and len(one) == 1:
            st.date = next(iter(one))
            st.date_basis = "the speaker's one dated occasion in the text"


#: 'The following statement was issued today by the Spokesman for …', 'The following Security Council press
#: statement was issued today by Council President …', 'The following statement by the Spokesman was issued
#: today:' (the date, if any, is inside the match)
_ISSUED_STATEMENT = re.compile(
    r"\b[Tt]he following (?:[\w-]+ ){0,4}?(?:statement|message|remarks?|communiqu[eé]|declaration)\b"
    r"[^.:]{0,120}?\b(?:was|were|has been) (?:issued|released|made|delivered)\b[^.:]{0,80}"
)

"""Extraction of one document: text -> mentions, persons and statements (``kg.model`` records)."""

from __future__ import annotations

import re

from kg.extract import dates as dts
from kg.extract import lexicon as lx
from kg.extract.attribution import Attributor, Chunk, Hit, Resolver, Sentence, Speaker, addressee
from kg.extract.entities import (
    Found,
    find_bodies_frameworks_orgs,
    find_countries,
    find_mission_descriptions,
    find_missions,
)
from kg.extract.gazetteer import Gazetteer
from kg.extract.persons import find_persons, to_records
from kg.extract.speakers import speaker_category
from kg.extract.speech_dates import assign_dates
from kg.extract.text import Quote, blank, find_quotes, normalize, paragraphs, sentences
from kg.model import Document, ExtractionResult, Mention, Statement

_TRANSCRIPT = re.compile(
    r"^(?:Following (?:are|is)|Below (?:are|is)|Here (?:are|is))\b.*\b(?:remarks|statement|"
    r"address|speech|message|briefing|opening)\b.*:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_CJK_PREFIX = re.compile(r"^[\s\u3000-\u9fff\uff00-\uffef]+[:\uff1a]")


class _Stmt:
    """A statement under construction."""

    def __init__(self, speaker: Speaker, sent: Sentence, hits: list[Hit], chunk_text: str | None) -> None:
        self.speaker = speaker
        self.sent = sent
        self.hits = hits
        self.spans = [(sent.start, sent.end)]
        self.quotes: list[tuple[int, int, bool]] = []
        self.as_written = chunk_text
        self.implicit = False
        self.headline = sent.headline
        self.nested = False
        self.date: str | None = None
        self.date_basis: str | None = None
        self.own_date = False
        self.blocked_date = False


def extract_document(doc: Document, g: Gazetteer) -> ExtractionResult:
    """Mentions, persons and statements of one document, each with offsets into ``doc.text``."""
    text = doc.text
    norm = normalize(text)
    paras = paragraphs(norm)
    junk = [(p.start, p.end) for p in paras if p.junk or p.duplicate]
    for p in paras:
        m = _CJK_PREFIX.match(norm[p.start : p.end])
        if m and not p.junk:
            junk.append((p.start, p.start + m.end()))
    work = blank(norm, junk)
    # a line break inside a paragraph (wrapped copy, a soft break) is a blank to every later rule
    work = blank(work, [(p.start, p.end) for p in paras], keep_newlines=False)
    live = [p for p in paras if not (p.junk or p.duplicate)]
    anchor = dts.document_anchor(doc.publication_date, [work[p.start : p.end] for p in live])
    lookup_date = anchor.iso() or (doc.publication_date or None)

    sents: list[Sentence] = []
    all_quotes = []
    for idx, p in enumerate(live):
        qs = find_quotes(work, p.start, p.end, last=(idx == len(live) - 1))
        all_quotes.extend(qs)
        for s, e in sentences(work, p.start, p.end, qs):
            if not work[s:e].strip():
                continue
            sq = [q for q in qs if s <= q.open < e]
            sents.append(Sentence(s, e, idx, p.headline, sq))
    sent_spans = [(s.start, s.end) for s in sents]

    found = Found()
    find_missions(work, g, lookup_date, found)
    find_bodies_frameworks_orgs(work, g, found)
    find_countries(work, g, found)
    find_mission_descriptions(work, sent_spans, g, lookup_date, found)
    persons = find_persons(work, g, found, lookup_date, [(p.start, p.end) for p in live if p.headline])
    person_mentions = [m for p in persons for m in p.mentions]
    mentions = sorted(found.mentions + person_mentions, key=lambda m: (m.start, m.end))

    masked_text = blank(work, [(q.start, q.end) for q in all_quotes], "~")  # quotation interiors
    resolver = Resolver(g, persons, mentions, lookup_date, [(p.start, p.end) for p in live])
    att = Attributor(work, masked_text, g, resolver)

    stmts: list[_Stmt] = []
    headline_sents = [s for s in sents if s.headline]
    body_sents = [s for s in sents if not s.headline]
    last_by_para: dict[int, _Stmt] = {}
    for s in body_sents:
        new = _sentence_statements(s, att, resolver, work, mentions)
        if new:
            stmts.extend(new)
            last_by_para[s.para] = new[-1]
            continue
        if _ANSWER.match(work, s.start, s.end) and not s.quote_only:
            # an interview printed as questions and answers: the answer is the interviewee's, as a
            # stand-alone quotation paragraph is the last speaker's
            st = _answer_statement(s, body_sents, stmts, work, resolver)
            if st is not None:
                stmts.append(st)
                last_by_para[s.para] = st
                continue
        if s.quote_only:
            prev = last_by_para.get(s.para)
            if prev is not None:
                for q in s.quotes:
                    prev.quotes.append((q.start, q.end, q.closed))
                prev.spans.append((s.start, s.end))
                continue
            para_sents = [x for x in body_sents if x.para == s.para]
            if para_sents and para_sents[0] is s and resolver.history and stmts:
                last = stmts[-1]
                if last.speaker.type in ("person", "unnamed_person") and s.para - last.sent.para <= 2:
                    st = _implicit_statement(last.speaker, para_sents)
                    st.quotes = [(q.start, q.end, q.closed) for q in s.quotes]
                    stmts.append(st)
                    last_by_para[s.para] = st
        # a subject that is an organisation or country, for a later 'it'
        c = att.chunk_starting(s.start, s.end)
        if c is not None and c.kind in ("un", "country", "body", "mission", "org"):
            m = next((x for x in mentions if x.start == c.start or (c.kind != "un" and x.id == c.ref)), None)
            if c.kind == "un":
                resolver.org_subjects.append((s.start, resolver.un()))
            elif m is not None and not (m.kind == "country" and m.text in g.demonym_forms):
                sp = resolver.entity(m)
                if sp:
                    resolver.org_subjects.append((s.start, sp))
    for s in headline_sents:
        stmts.extend(_headline_statements(s, att, resolver, work, mentions))
    stmts.sort(key=lambda st: st.spans[0][0])

    assign_dates(stmts, work, anchor, sents)
    records = [_record(st, text, work, mentions, g, resolver) for st in stmts]
    return ExtractionResult(
        document=doc, persons=tuple(to_records(persons)), mentions=tuple(mentions), statements=tuple(records)
    )


#: the one a speaker speaks for, right after the verb: 'said on General Gobilliard's behalf', 'said on behalf
#: of the Secretary-General'
_ON_BEHALF = re.compile(
    r"\s+on\s+(?:(?P<owner>(?:[\w.'\u2019-]+\s+){0,4}?[\w.\-]+)['\u2019]s\s+behalf|behalf\s+of\s+"
    r"(?P<of>(?:the\s+)?(?:[\w.'\u2019-]+\s*?){1,6}?)(?=\s+that\b|\s*[,.;:]))"
)


def _principal(att: Attributor, verb_end: int) -> Speaker | None:
    """The person or body a speaker speaks for, named right after the verb ('on X's behalf')."""
    m = _ON_BEHALF.match(att.work, verb_end)
    if m is None:
        return None
    a, b = m.span("owner") if m.group("owner") else m.span("of")
    c = att.chunk_ending(a, b) if m.group("owner") else att.chunk_starting(a, b, strict=False)
    return att.resolve(c, c.start) if c is not None and c.kind not in ("pronoun", "rel") else None


#: the answer of an interview printed as questions and answers ('A: We record every violation'), and the
#: question before it
_ANSWER = re.compile(r"\s*(?:A|Answer|ANSWER)\s*[:\u2014\u2013-]\s+(?=\S)")
_QUESTION = re.compile(r"\s*(?:Q|Question|QUESTION)\s*[:\u2014\u2013-]\s+(?=\S)")


def _answer_statement(s: Sentence, body_sents: list[Sentence], stmts: list[_Stmt], work: str,
                      resolver: Resolver) -> _Stmt | None:
    """The statement of an interview answer: the first sentence of a paragraph opened by 'A:' right after
    a paragraph opened by 'Q:', spoken by the person who spoke last (the interviewee); None otherwise."""
    para_sents = [x for x in body_sents if x.para == s.para]
    before = [x for x in body_sents if x.para == s.para - 1]
    if not para_sents or para_sents[0] is not s or not before or not _QUESTION.match(work, before[0].start):
        return None
    last = next((x for x in reversed(stmts) if x.speaker.type == "person"), None)
    if last is None or not resolver.history:
        return None
    return _implicit_statement(last.speaker, para_sents)


def _implicit_statement(speaker: Speaker, para_sents: list[Sentence]) -> _Stmt:
    """A statement with no verb of its own: a paragraph whose speaker is the one who spoke before it (a
    stand-alone quotation, an interview answer), from its first sentence over the whole paragraph."""
    st = _Stmt(speaker, para_sents[0], [], None)
    st.implicit = True
    for x in para_sents[1:]:
        st.spans.append((x.start, x.end))
    return st


def _sentence_statements(
    s: Sentence, att: Attributor, r: Resolver, work: str, mentions: list[Mention]
) -> list[_Stmt]:
    sentence_text = work[s.start : s.end]
    if _TRANSCRIPT.match(sentence_text.strip()):
        people = [m for m in mentions if m.kind == "person" and s.start <= m.start < s.end]
        if people:
            sp = r.person(people[0].id)
            r.transcript = sp
            r.remember(s.start, sp)
            st = _Stmt(sp, s, [], work[people[0].start : people[0].end])
            return [st]
    hits = att.verb_hits(s)
    if not hits:
        return []
    good: list[Hit] = []
    for h in hits:
        if h.opening:
            continue
        if h.lemma == "according to":
            h.chunk = att.according_to_source(h.end, s.end)
            if h.chunk is None:
                continue
        elif h.lemma == "quote":
            # 'the statement quoted the army chief as saying …': the one quoted speaks, not the quoter
            h.chunk = att.chunk_starting(h.end, s.end, strict=False, bare=True)
            if h.chunk is None:
                continue
        elif h.participle and good:
            h.speaker = good[-1].speaker
            h.chunk = None
            good.append(h)
            continue
        elif h.participle:
            # '… defended the works, saying …': the subject of a non-speech main verb speaks
            # '… adopted a presidential statement condemning …': a text of speech that does the act
            main = _MAIN_VERB.search(att.masked, s.start, h.start)
            lead = att.masked[s.start : h.start]
            if main is None or not (re.search(r",\s*$", lead) or _SPEECH_TEXT_BEFORE.search(lead)):
                continue
            h.chunk = att.left_subject(s, Hit(main.start(1), main.end(1), main.group(1), "main"))
            if h.chunk is None or h.chunk.kind in ("pronoun", "rel", "group"):
                continue
        elif att.inverted(s, h):
            c = None
            if not re.search(r"[\"\u201d'\u2019~]\s*,?$", work[s.start : h.start].rstrip()):
                c = att.left_subject(s, h)  # 'X, who heads …, said' is not inverted
            if c is None:
                c = att.right_subject(s, h)
            h.chunk = c
        else:
            h.chunk = att.left_subject(s, h)
            if h.chunk is None and h.coordinated:
                if good:
                    h.speaker = good[-1].speaker
                    good.append(h)
                    continue
                c0 = att.chunk_starting(s.start, s.end, strict=False)
                h.chunk = c0
        if h.chunk is None:
            continue
        sp = att.resolve(h.chunk, h.chunk.start)
        if (
            h.chunk.kind == "pronoun"
            and h.chunk.text.lower() in ("he", "she")
            and good
            and good[-1].speaker is not None
            and good[-1].speaker.type in ("person", "unnamed_person")
        ):
            sp = good[-1].speaker  # '… expressed concern about X, which she said …': the same speaker
        if sp is None:
            continue
        principal = _principal(att, h.end)
        if principal is not None:
            sp = principal  # 'Coward said on General Gobilliard's behalf': the words are Gobilliard's
        if (
            sp.type == "person"
            and h.chunk.kind == "pronoun"
            and h.chunk.text.lower() == "i"
            and r.transcript is None
        ):
            continue
        h.speaker = sp
        good.append(h)
        if h.chunk.kind in _ENTITY_KINDS and not h.participle:
            for sp2 in _conjunct_speakers(att, s, h):
                good.append(Hit(h.start, h.end, h.verb, h.lemma, chunk=h.chunk, speaker=sp2))
    # opening participles ('Emphasizing …, the UNIFIL head noted') belong to the main clause's speaker
    for h in hits:
        if h.opening:
            main = next((x for x in good if x.speaker is not None), None)
            if main is not None:
                h.speaker = main.speaker
                h.chunk = main.chunk
                good.append(h)
    good = [h for h in good if h.speaker is not None]
    if not good:
        return []
    good.sort(key=lambda h: h.start)
    for h in good:
        h.addressee, h.addressee_id = addressee(work, h, mentions, s.end)
    groups: dict[str, list[Hit]] = {}
    for h in good:
        groups.setdefault(h.speaker.key, []).append(h)
    out = []
    for hs in groups.values():
        chunk = next((h.chunk for h in hs if h.chunk is not None), None)
        out.append(_Stmt(hs[0].speaker, s, hs, chunk.text if chunk else None))
    # quotes: to the nearest reporting verb before them, else the first one after
    for q in s.quotes:
        if _scare_quote(work, q):
            continue
        before = [h for h in good if h.end <= q.open]
        after = [h for h in good if h.start >= q.close - 1]
        target = before[-1] if before else (after[0] if after else None)
        if target is None:
            continue
        st = next(x for x in out if target in x.hits)
        st.quotes.append((q.start, q.end, q.closed))
    if len(out) > 1:
        first = min(out, key=lambda x: x.hits[0].start)
        for st in out:
            if st is not first and st.hits[0].start > first.hits[0].start and not att.inverted(s, st.hits[0]):
                st.nested = True
    for st in sorted(out, key=lambda x: x.hits[0].start):
        r.remember(st.hits[0].start, st.speaker)
    return sorted(out, key=lambda x: x.hits[0].start)


_ENTITY_KINDS = ("person", "org", "body", "mission", "country")
_AND_BEFORE = re.compile(r"(?:^|\s)and\s+(?:the\s+)?$")
_AND_AFTER = re.compile(r"^\s+and\s+(?:the\s+)?")
_REPS_OF = re.compile(r"\b(?:the\s+)?(?:representatives|delegates|delegations)\s+of\s+(?:the\s+)?$", re.I)


def _representative(att: Attributor, m: Chunk | Mention) -> Speaker:
    """"Brazil's representative" for a country named after 'the representatives of'."""
    name = att.g.country_name(m.ref if isinstance(m, Chunk) else m.id)
    label = f"{name}'s representative" if not name.endswith("s") else f"{name}' representative"
    return Speaker("rep:" + (m.ref if isinstance(m, Chunk) else m.id), label, "unnamed_person", None, None)


def _conjunct_speakers(att: Attributor, s: Sentence, h: Hit) -> list[Speaker]:
    """'The African Union and ECOWAS called for …', 'X and Y said': every joined subject speaks.

    Also 'the representatives of Brazil and Uruguay stressed' -> Brazil's and Uruguay's representatives.
    """
    c = h.chunk
    text = att.masked
    out: list[Speaker] = []
    other = None
    if c.start > s.start and _AND_BEFORE.search(text[s.start : c.start]):
        cut = s.start + _AND_BEFORE.search(text[s.start : c.start]).start()
        first = att._mention_ending(cut, s.start)
        if c.kind == "country" and first is not None and first.kind == "country":
            if _REPS_OF.search(text[s.start : first.start]):
                speakers = [_representative(att, x) for x in (first, c)]
                h.speaker = speakers[1]
                return [speakers[0]]
        other = att.chunk_ending(s.start, cut)
        if other is not None:
            lead = text[s.start : other.start]
            if lead.strip(" ,") and not lead.rstrip().endswith(","):
                return []  # the conjunct is not the whole subject ('… of Brazil and Uruguay')
    else:
        am = _AND_AFTER.match(text[c.end : h.start])
        if am and h.coordinated:
            other = att.chunk_starting(c.end + am.end(), h.start, strict=False)
    if other is None or other.kind not in _ENTITY_KINDS:
        return out
    if other.kind == "country" and other.text.strip() in att.g.demonym_forms:
        return out
    sp = att.resolve(other, other.start)
    if sp is not None and sp.key != (h.speaker.key if h.speaker else None):
        out.append(sp)
    return out


#: a participle right after a text of speech speaks for the text's issuer ('a statement condemning')
_SPEECH_TEXT_BEFORE = re.compile(r"\b(?:statement|communiqu[eé]|declaration|message|letter)\s+$", re.I)
#: a finite past-tense main verb ('defended', 'rejected') before a '…, saying' participle
_MAIN_VERB = re.compile(
    r"(?<=[\w.),] )((?:also |again )?[a-z]{3,}ed)\b(?=\s+(?:the|a|an|his|her|its|their|this|that|these)\b)"
)


#: words before a quotation that make it a name or a term rather than speech
_SCARE_QUOTE_LEAD = frozenset(
    "among of so-called by for with from between its their his her".split()
)


def _scare_quote(work: str, q: Quote) -> bool:
    """A short quoted noun phrase after a preposition or article ("among 'blue helmets'") is not speech."""
    inner = work[q.start : q.end]
    if len(inner.split()) > 3 or not q.closed:
        return False
    prev = work[max(0, q.open - 20) : q.open].split()
    return bool(prev) and prev[-1].lower() in _SCARE_QUOTE_LEAD


_HEAD_COLON = re.compile(r"^\s*(?P<sp>[^:]{2,60}?):\s+\S")
#: 'Pakistan to go with peacekeeping missions: army chief', '… - UN envoy': the speaker after a dash or a
#: colon at the end of a headline (a colon's speaker may be in lower case: 'army chief')
_TAIL_ATTR = re.compile(
    r"(?:\s[-\u2013\u2014]\s*(?P<sp>[A-Z][\w.'\- ]{1,40}?)|:\s*(?P<sp2>\w[\w.'\-]*(?: [\w.'\-]+){0,3}))\s*$"
)


def _headline_statements(
    s: Sentence, att: Attributor, r: Resolver, work: str, mentions: list[Mention]
) -> list[_Stmt]:
    out = _sentence_statements(s, att, r, work, mentions)
    # re-resolve descriptions forward (a headline names the speaker before the body does)
    for st in out:
        st.headline = True
        h0 = st.hits[0] if st.hits else None
        if h0 is not None and h0.chunk is not None and h0.chunk.kind in ("desc", "group", "statement"):
            sp = att.resolve(h0.chunk, h0.chunk.start, forward=True)
            if sp is not None:
                st.speaker = sp
    if out:
        return out
    line = work[s.start : s.end]
    for rx, where in ((_TAIL_ATTR, "tail"), (_HEAD_COLON, "head")):
        m = rx.search(line) if where == "tail" else rx.match(line)
        if not m:
            continue
        group = "sp2" if where == "tail" and m.group("sp2") else "sp"
        a = s.start + m.start(group)
        b = s.start + m.end(group)
        c = att.chunk_ending(a, b)
        if c is None or c.start != a and where == "head":
            c2 = att.chunk_starting(a, b)
            c = c2 if c2 is not None and c2.end == b else c
            if where == "head" and (c is None or c.start != a):
                continue  # 'Pakistan to go with peacekeeping missions: …': a clause, not the speaker
        if c is None or c.kind in ("country", "pronoun", "rel") or (group == "sp2" and c.kind == "group"):
            continue  # ('UN: peacekeepers under fire': the people after the colon are the news)
        if c.kind == "desc" and not any(
            w.lower().rstrip("s") in lx.SPEAKER_NOUNS | lx.ORG_SPEAKER_NOUNS for w in c.text.split()
        ):
            continue
        sp = att.resolve(c, c.start, forward=True)
        if sp is None:
            continue
        st = _Stmt(sp, s, [], c.text)
        st.headline = True
        st.quotes = [(q.start, q.end, q.closed) for q in s.quotes]
        return [st]
    return []


def _speaker_context(st: _Stmt, work: str) -> str:
    """The words that still describe the speaker: an apposition or relative clause between the speaker
    and its verb ("A UN official, who spoke on condition of anonymity, said"), or after a speaker that
    follows its verb ("said an official, who asked not to be named")."""
    h = st.hits[0] if st.hits else None
    if h is None or h.chunk is None:
        return ""
    if h.chunk.end <= h.start:
        return work[h.chunk.end : h.start]
    tail = work[h.chunk.end : h.chunk.end + 100]
    return tail.split(".")[0] if tail.lstrip().startswith(",") else ""


def _record(st: _Stmt, text: str, work: str, mentions: list[Mention], g: Gazetteer, r: Resolver) -> Statement:
    sp = st.speaker
    quotes = []
    for a, b, _closed in st.quotes:
        q = text[a:b].rstrip()
        a += len(q) - len(q.lstrip())  # '« Nous ne partirons pas »': the words, not the spaces inside
        q = q.lstrip()
        if q.endswith(","):
            q = q[:-1]
            b = a + len(q)
        quotes.append((q, a, a + len(q)))
    spans = st.spans
    ms = []
    seen = set()
    for m in mentions:
        if m.kind in ("country", "mission", "body", "framework") and any(a <= m.start < b for a, b in spans):
            k = (m.kind, m.id)
            if k not in seen:
                seen.add(k)
                ms.append(m)
    verb = st.hits[0].verb if st.hits else None
    lemma = st.hits[0].lemma if st.hits else None
    code, fallback = lx.cameo_for(lemma)
    addr = next(((h.addressee, h.addressee_id) for h in st.hits if h.addressee), (None, None))
    role = None
    if sp.type == "person":
        p = r.by_key.get(sp.key)
        role = p.role if p else None
    kind, ref = sp.kind, sp.ref
    if sp.key.startswith("rep:") and sp.key != "rep:?":
        kind, ref = "delegation", sp.key[4:]  # "India's representative": India's delegation speaks
    truncated = any(not closed for _, _, closed in st.quotes) or (
        st.spans[-1][1] >= len(work.rstrip()) - 1 and not work.rstrip().endswith((".", '"', "\u201d"))
    )
    return Statement(
        speaker=sp.name,
        speaker_type=sp.type,
        start=spans[0][0],
        end=spans[-1][1],
        speaker_kind=kind,
        speaker_id=ref,
        speaker_as_written=st.as_written,
        role_as_stated=role,
        verb=verb,
        verb_start=st.hits[0].start if st.hits else None,
        other_verbs=tuple(h.verb for h in st.hits[1:]),
        cameo=code,
        cameo_fallback=fallback or lemma is None,
        quote=quotes[0][0] if quotes else None,
        quote_start=quotes[0][1] if quotes else None,
        quote_end=quotes[0][2] if quotes else None,
        quote_parts=tuple(q for q, _, _ in quotes) if len(quotes) > 1 else (),
        date=st.date,
        date_basis=st.date_basis,
        addressee=addr[0],
        addressee_id=addr[1],
        mentions=tuple(ms),
        in_headline=st.headline,
        implicit=st.implicit,
        nested=st.nested,
        truncated=truncated,
        speaker_category=speaker_category(sp.type, kind, sp.name, st.as_written, _speaker_context(st, work)),
    )

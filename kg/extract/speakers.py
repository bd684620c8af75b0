"""Speaker categories: what kind of agent a resolved speaker is (one stage, testable alone).

Attribution resolves *who* speaks (a person, a body, a country, "India's representative", "residents");
this stage says *what kind* of speaker that is, from the resolved speaker and its surface form, so that
the graph never types a group or an anonymous source as a person, and a country's representative
becomes a role of that country's delegation. The categories are ``kg.model.SPEAKER_CATEGORIES``.

    >>> speaker_category("group", None, "residents", "residents")
    'group'
    >>> speaker_category("unnamed_person", None, "a source", "a source who spoke on condition of anonymity")
    'anonymous_source'
    >>> speaker_category("organization", "org", "Inter-Services Public Relations", None)
    'press_wing'
"""

from __future__ import annotations

import re

from kg.extract import lexicon as lx

#: an unnamed source: the text says it is unnamed, or calls it a source
_ANONYMOUS = re.compile(
    r"\b(?:sources?|anonymity|anonymously|unnamed|unidentified|not authori[sz]ed|declined to be (?:named|"
    r"identified)|asked not to be (?:named|identified)|requested anonymity)\b",
    re.I,
)
#: the head nouns of the kinds of organisation a reader tells apart (checked on the name and surface form)
_ORG_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "press_wing",
        re.compile(
            r"\b(?:public relations|ISPR|media (?:wing|office|cell)|press (?:office|wing|service|centre|"
            r"center)|information (?:office|service)|spokes(?:man|woman|person)'s office)\b",
            re.I,
        ),
    ),
    (
        "armed_force",
        re.compile(
            r"\b(?:army|armed forces|defen[cs]e forces|military|navy|air force|troops|gendarmerie|"
            r"marines|(?:national|security|government|rebel) forces|forces)\b",
            re.I,
        ),
    ),
    (
        "ngo",
        re.compile(
            r"\b(?:human rights watch|amnesty|crisis group|m[ée]decins|doctors without borders|red cross|"
            r"red crescent|oxfam|save the children|caritas|foundation|ngo|non-governmental)\b",
            re.I,
        ),
    ),
    ("government", re.compile(r"\b(?:ministry|government|presidency|cabinet|junta)\b", re.I)),
    ("council", re.compile(r"\b(?:council|committee|commission|assembly|parliament)\b", re.I)),
)
_DELEGATION = re.compile(r"\b(?:representative|delegate|delegation|ambassador|envoy|mission to)\b", re.I)


def speaker_category(
    speaker_type: str, kind: str | None, name: str, as_written: str | None, context: str = ""
) -> str:
    """The category of a resolved speaker (``kg.model.SPEAKER_CATEGORIES``).

    ``speaker_type`` and ``kind`` are attribution's (person/organization/unnamed_person/group;
    person/body/mission/country/org/un/delegation); ``name`` the resolved name; ``as_written`` the
    surface form, which carries the cues ('a source who…', "Pakistan's delegate"); ``context`` the
    words around it that still describe it (", who spoke on condition of anonymity,").
    """
    surface = " ".join(x for x in (as_written, name) if x)
    if kind == "delegation":
        return "delegation"
    if speaker_type == "person":
        return "person"
    if speaker_type in ("unnamed_person", "group"):
        if _ANONYMOUS.search(as_written or name) or _ANONYMOUS.search(context):
            return "anonymous_source"
        if speaker_type == "group":
            return "group"
        words = set(re.findall(r"[a-z]+", (as_written or name).lower()))
        public = words & lx.PUBLIC_NOUNS and not words & lx.SPEAKER_NOUNS
        return "unnamed_person" if public else "unnamed_official"
    if kind == "body":
        return "un_body"
    if kind == "mission":
        return "mission"
    if kind == "un":
        return "united_nations"
    if kind == "country":
        return "delegation" if _DELEGATION.search(as_written or "") else "government"
    for category, rx in _ORG_KINDS:
        if rx.search(surface):
            return category
    return "organization"

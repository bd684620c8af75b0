"""Records in the schema of the gold annotations (``corpus/dev/gold.jsonl``), one JSON object per document.

Keys: ``file, persons, un_bodies, countries, missions, other_orgs, statements`` as in the gold, plus
optional ones a strict reader may ignore (``frameworks``, statement offsets, CAMEO code, addressee).
"""

from __future__ import annotations

import json
from typing import Any

from kg.model import ExtractionResult, Statement

_NOT_ORGS = {"associated-press", "agence-france-presse", "reuters", "xinhua", "afp", "un-news"}


def _as_written(have: str | None, text: str) -> str:
    """An organisation as the text spells it: the longest written form, a full name over an acronym."""
    text = " ".join(text.split())
    if have is None:
        return text
    return max((have, text), key=lambda x: (not x.isupper(), len(x)))


def _drop_short_forms(names: list[str]) -> list[str]:
    """'Polisario' beside 'Polisario Front': a name that begins a longer listed name is the same group."""
    return [
        n for n in names if not any(o != n and o.split()[: len(n.split())] == n.split() for o in names)
    ]


def record(result: ExtractionResult) -> dict[str, Any]:
    """The gold-schema record of one document."""
    persons = []
    for p in result.persons:
        item: dict[str, Any] = {"name": p.name, "role_as_stated": p.role_as_stated}
        if p.canonical_name:
            item["canonical_name"] = p.canonical_name
        if p.rank:
            item["rank"] = p.rank
        if p.aliases:
            item["aliases"] = list(p.aliases)
        if p.person_id:
            item["person_id"] = p.person_id
        persons.append(item)
    countries: dict[str, dict[str, Any]] = {}
    bodies: dict[str, str] = {}
    missions: dict[str, None] = {}
    orgs: dict[str, str] = {}
    frameworks: dict[str, str] = {}
    for m in result.mentions:
        if m.kind == "country":
            c = countries.setdefault(m.id, {"name": m.name, "iso3": m.id, "as_written": []})
            if m.text not in c["as_written"]:
                c["as_written"].append(m.text)
        elif m.kind == "body":
            bodies.setdefault(m.id, m.name)
        elif m.kind == "mission":
            missions.setdefault(m.id, None)
        elif m.kind == "org" and m.id not in _NOT_ORGS:
            orgs[m.id] = _as_written(orgs.get(m.id), m.text)
        elif m.kind == "framework":
            frameworks.setdefault(m.id, m.name)
    return {
        "file": result.document.file,
        "persons": persons,
        "un_bodies": list(bodies.values()),
        "countries": list(countries.values()),
        "missions": list(missions),
        "other_orgs": _drop_short_forms(list(orgs.values())),
        "frameworks": list(frameworks.values()),
        "statements": [statement_record(s) for s in result.statements],
    }


def statement_record(s: Statement) -> dict[str, Any]:
    """One statement in the gold schema, with offsets and the CAMEO code as extra keys."""
    out: dict[str, Any] = {
        "speaker": s.speaker,
        "verb": s.verb,
        "quote": s.quote,
        "date": s.date,
        "mentions": [m.name if m.kind != "mission" else m.id for m in s.mentions if m.kind != "framework"],
        "speaker_type": s.speaker_type,
        "speaker_category": s.speaker_category,
    }
    if s.speaker_as_written and s.speaker_as_written != s.speaker:
        out["speaker_as_written"] = s.speaker_as_written
    if s.other_verbs:
        out["other_verbs"] = list(s.other_verbs)
    if s.quote_parts:
        out["quote_parts"] = list(s.quote_parts)
    if s.date_basis:
        out["date_basis"] = s.date_basis
    for flag in ("in_headline", "implicit", "nested", "truncated"):
        if getattr(s, flag):
            out[flag] = True
    if s.addressee:
        out["addressee"] = s.addressee
    frameworks = [m.name for m in s.mentions if m.kind == "framework"]
    if frameworks:
        out["frameworks"] = frameworks
    if s.role_as_stated:
        out["role_as_stated"] = s.role_as_stated
    out["cameo"] = s.cameo
    if s.cameo_fallback:
        out["cameo_fallback"] = True
    out["start"] = s.start
    out["end"] = s.end
    if s.quote_start is not None:
        out["quote_start"] = s.quote_start
        out["quote_end"] = s.quote_end
    return out


def jsonl_line(result: ExtractionResult) -> str:
    """One line of JSON Lines output (deterministic: fixed key order, no ASCII escaping)."""
    return json.dumps(record(result), ensure_ascii=False)

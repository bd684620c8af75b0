"""Scoring extraction against gold annotations: precision, recall and F1 per field.

Field definitions (per document, summed over documents, micro-averaged):

- ``persons``: gold and predicted persons match one-to-one when any of their names (``name``,
  ``canonical_name``, ``aliases``) are equal after folding (case, accents, dots ignored).
- ``un_bodies``, ``missions``, ``other_orgs``: sets of names; bodies and missions are first mapped to
  their reference key through the gazetteer ("UN Security Council" == "Security Council").
- ``countries``: sets of ISO 3166 alpha-3 codes.
- ``statements``: a predicted statement matches a gold one of the same document when the speakers are
  the same (folded; a person's name, canonical name or alias all count; bodies, missions and countries
  by reference key; an unnamed official's ``speaker_resolves_to`` counts too, so naming the post
  holder is right) and the verbs have the same head lemma ("said" == "says"; auxiliaries and adverbs
  skipped, particles and objects after the head ignored: "has strongly condemned" == "condemned",
  "called on" == "called"); a null verb matches only a null verb. Pairs are made one-to-one,
  preferring equal quotes, then nearby positions.
- ``verbs (exact)``: among matched statements, the verb as written is identical (case-insensitive).
- ``quotes``: among matched statements; a predicted quote is right when it equals the gold quote
  exactly; precision over predicted non-null quotes, recall over gold non-null quotes.
- ``dates``: among matched statements, the same for dates (exact string, so precision counts too).
- ``mentions``: among matched statements, the mention sets (countries by ISO3, missions, bodies).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.extract import lexicon as lx
from kg.extract.gazetteer import Gazetteer, fold
from kg.files import read_text_lines

FIELDS = [
    "persons",
    "un_bodies",
    "countries",
    "missions",
    "other_orgs",
    "statements",
    "verbs (exact)",
    "quotes",
    "dates",
    "mentions",
]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    details: list[str] = field(default_factory=list)
    documents: int = 0
    missing: list[str] = field(default_factory=list)

    def table(self) -> str:
        lines = [f"{'field':<15} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
        for f in FIELDS:
            s = self.scores[f]
            lines.append(
                f"{f:<15} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.tp:>5} {s.fp:>5} {s.fn:>5}"
            )
        return "\n".join(lines)


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Gold records, one JSON object per line; a bad line is an ``InputError`` naming file and line."""
    out = []
    lines = read_text_lines(path, what="gold file", fix="pass a UTF-8 JSON Lines file")
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"not valid JSON ({e.msg}); one object per line", path=str(path), line=n) from e
        if not isinstance(obj, dict) or "file" not in obj:
            raise InputError('not a gold record (an object with a "file" key)', path=str(path), line=n)
        out.append(obj)
    return out


def read_file_list(path: Path) -> set[str]:
    """File names, one a line (blank lines and ``#`` comments skipped): a subset of a corpus to score."""
    lines = read_text_lines(path, what="file list", fix="pass a UTF-8 text file")
    return {x.strip() for x in lines if x.strip() and not x.lstrip().startswith("#")}


#: words skipped before the head of a verb phrase: auxiliaries, modals, negation-free adverbs
_AUXILIARIES = frozenset(
    "be is are was were been being am has have had having do does did will would shall should can "
    "could may might must".split()
)
_ADVERBS = frozenset(
    "also again further then once still long later earlier repeatedly today yesterday now already "
    "just even never always often too".split()
)


def _stem(word: str) -> str:
    """Lemma of a verb form: the lexicon's table first, else a suffix rule ('condoled' -> 'condol')."""
    if word in lx.FORM_TO_LEMMA:
        return lx.FORM_TO_LEMMA[word]
    if word in lx.PHRASAL_FORMS:
        return lx.PHRASAL_FORMS[word]
    for suffix in ("ies", "ied", "ying"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + "y"
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


def verb_key(verb: str | None) -> str:
    """Head lemma of a reporting verb phrase, as GOLD_CONVENTIONS compares verbs.

    Auxiliaries and adverbs are skipped and only the head is kept: 'has strongly condemned' ->
    'condemn', 'Calls on' -> 'call', 'paid glowing tributes' -> 'pay'. 'according to' keeps its
    preposition, being a cue without a verb.

    >>> verb_key("has strongly condemned") == verb_key("condemned")
    True
    >>> verb_key("went on to say") == verb_key("went on saying")
    True
    """
    if not verb:
        return ""
    words = [
        w
        for w in re.findall(r"[a-z]+", verb.lower())
        if w not in _AUXILIARIES and w not in _ADVERBS and not (w.endswith("ly") and len(w) > 4)
    ]
    if not words:
        return ""
    if words[0] == "according":
        return "according to"
    return _stem(words[0])


class _Canon:
    """Maps names to comparable keys, using the gold persons of the document and the gazetteer."""

    def __init__(self, g: Gazetteer, gold_persons: list[dict], pred_persons: list[dict]) -> None:
        self.g = g
        self.alias: dict[str, str] = {}
        for p in gold_persons + pred_persons:
            forms = [p.get("name")] + [p.get("canonical_name")] + list(p.get("aliases") or [])
            forms = [fold(f) for f in forms if f]
            key = next((self.alias[f] for f in forms if f in self.alias), forms[0] if forms else "")
            for f in forms:
                self.alias.setdefault(f, key)
                parts = f.split()
                if len(parts) >= 2:
                    self.alias.setdefault(
                        " ".join(parts[1:]) if parts[0] in ("mr", "ms", "mrs", "dr") else f, key
                    )

    def speaker(self, name: str | None) -> str:
        f = fold(name or "")
        f = re.sub(r"^(?:the|a|an) ", "", f)
        if f in self.alias:
            return self.alias[f]
        return self.entity(name or "") or f

    def entity(self, name: str) -> str | None:
        if not name:
            return None
        f = fold(name)
        if f in ("un", "united nations", "the united nations"):
            return "un"
        g = self.g
        if f in g.folded_body_forms:
            return "body:" + g.folded_body_forms[f]
        acr = name.strip().upper()
        if acr in g.mission_acronyms:
            return "mission:" + acr
        if f in g.folded_country_forms:
            return "country:" + g.folded_country_forms[f]
        return None

    def mention(self, name: str) -> str:
        return self.entity(name) or fold(name)


def _match_persons(gold: list[dict], pred: list[dict]) -> tuple[int, list[str], list[str]]:
    def forms(p: dict) -> set[str]:
        fs = {fold(p.get("name") or "")} | {fold(p.get("canonical_name") or "")}
        fs |= {fold(a) for a in p.get("aliases") or []}
        return {f for f in fs if f}

    used: set[int] = set()
    tp = 0
    misses = []
    for gp in gold:
        gf = forms(gp)
        hit = next((i for i, pp in enumerate(pred) if i not in used and forms(pp) & gf), None)
        if hit is None:
            misses.append(gp.get("name", "?"))
        else:
            used.add(hit)
            tp += 1
    false = [pp.get("name", "?") for i, pp in enumerate(pred) if i not in used]
    return tp, misses, false


def score_document(gold: dict, pred: dict, g: Gazetteer, report: EvalReport) -> None:
    """Add one document's counts (and details) to the report."""
    f = gold["file"]
    sc = report.scores
    det = report.details
    tp, miss, false = _match_persons(gold.get("persons", []), pred.get("persons", []))
    sc["persons"].tp += tp
    sc["persons"].fn += len(miss)
    sc["persons"].fp += len(false)
    det += [f"{f}\tpersons\tmiss\t{x}" for x in miss] + [f"{f}\tpersons\tfalse\t{x}" for x in false]
    canon = _Canon(g, gold.get("persons", []), pred.get("persons", []))

    def sets(field_name: str, gval: set[str], pval: set[str]) -> None:
        s = sc[field_name]
        s.tp += len(gval & pval)
        s.fn += len(gval - pval)
        s.fp += len(pval - gval)
        det.extend(f"{f}\t{field_name}\tmiss\t{x}" for x in sorted(gval - pval))
        det.extend(f"{f}\t{field_name}\tfalse\t{x}" for x in sorted(pval - gval))

    sets(
        "un_bodies",
        {canon.mention(x) for x in gold.get("un_bodies", [])},
        {canon.mention(x) for x in pred.get("un_bodies", [])},
    )
    sets(
        "countries",
        {c["iso3"] for c in gold.get("countries", [])},
        {c["iso3"] for c in pred.get("countries", [])},
    )
    sets(
        "missions",
        {canon.mention(x) for x in gold.get("missions", [])},
        {canon.mention(x) for x in pred.get("missions", [])},
    )
    sets(
        "other_orgs",
        {re.sub(r"^the ", "", fold(x)) for x in gold.get("other_orgs", [])},
        {re.sub(r"^the ", "", fold(x)) for x in pred.get("other_orgs", [])},
    )

    gs = gold.get("statements", [])
    ps = pred.get("statements", [])
    # a gold speaker fixed by post and date also matches the post holder's name (speaker_resolves_to)
    gkeys = [
        (
            {canon.speaker(x) for x in (s.get("speaker"), s.get("speaker_resolves_to")) if x},
            verb_key(s.get("verb")),
        )
        for s in gs
    ]
    pkeys = [(canon.speaker(s.get("speaker")), verb_key(s.get("verb"))) for s in ps]
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for i, (gspeakers, gverb) in enumerate(gkeys):
        cands = [
            j for j, (psp, pverb) in enumerate(pkeys) if j not in used and psp in gspeakers and pverb == gverb
        ]
        if not cands:
            continue

        def score(j: int, i: int = i) -> tuple:
            return (
                ps[j].get("quote") == gs[i].get("quote") and gs[i].get("quote") is not None,
                -abs(j / max(len(ps), 1) - i / max(len(gs), 1)),
            )

        j = max(cands, key=score)
        used.add(j)
        pairs.append((i, j))
    st = sc["statements"]
    st.tp += len(pairs)
    st.fn += len(gs) - len(pairs)
    st.fp += len(ps) - len(pairs)
    matched_g = {i for i, _ in pairs}
    for i, s in enumerate(gs):
        if i not in matched_g:
            det.append(
                f"{f}\tstatements\tmiss\t{s.get('speaker')} / {s.get('verb')} / "
                f"{(s.get('quote') or '')[:50]!r}"
            )
    for j, s in enumerate(ps):
        if j not in used:
            det.append(
                f"{f}\tstatements\tfalse\t{s.get('speaker')} / {s.get('verb')} / "
                f"{(s.get('quote') or '')[:50]!r}"
            )
    for i, j in pairs:
        gsi, psj = gs[i], ps[j]
        label = f"{gsi.get('speaker')} / {gsi.get('verb')}"
        ve = sc["verbs (exact)"]
        if (gsi.get("verb") or "").lower() == (psj.get("verb") or "").lower():
            ve.tp += 1
        else:
            ve.fp += 1
            ve.fn += 1
            det.append(
                f"{f}\tverbs (exact)\tdiffer\t{label}: gold {gsi.get('verb')!r}, got {psj.get('verb')!r}"
            )
        for field_name in ("quote", "date"):
            s = sc[field_name + "s"]
            gv, pv = gsi.get(field_name), psj.get(field_name)
            if pv is not None and pv == gv:
                s.tp += 1
            else:
                if pv is not None:
                    s.fp += 1
                if gv is not None:
                    s.fn += 1
                if pv != gv:
                    det.append(f"{f}\t{field_name}s\tdiffer\t{label}: gold {gv!r}, got {pv!r}")
        gm = {canon.mention(x) for x in gsi.get("mentions", [])}
        pm = {canon.mention(x) for x in psj.get("mentions", [])}
        s = sc["mentions"]
        s.tp += len(gm & pm)
        s.fn += len(gm - pm)
        s.fp += len(pm - gm)
        if gm != pm:
            det.append(f"{f}\tmentions\tdiffer\t{label}: missing {sorted(gm - pm)}, extra {sorted(pm - gm)}")

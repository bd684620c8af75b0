"""The gazetteer: every name the extractor matches, built from the reference CSVs in ``data/reference``.

Countries (names, aliases, demonyms), missions (acronyms, names, hosts, dates), UN bodies and regional
organisations, frameworks and officials with their tenures. Read once per run; matching is done with
compiled regular expressions (longest alternative first).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kg.errors import InputError, UsageError
from kg.extract.lexicon import NAME_PARTICLES
from kg.names import family_name_first


def fold(text: str) -> str:
    """Lower-case ASCII form used to compare names ('Hervé' == 'Herve', 'U.N.' == 'UN')."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    t = t.replace(".", "").replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def _split(value: str | None, sep: str = ";") -> list[str]:
    if not value:
        return []
    out = []
    for part in value.split(sep):
        part = re.sub(r"\s*\([^)]*\)\s*", " ", part).strip()  # "(misspelling in source)", "(predecessor)"
        if part:
            out.append(part)
    return out


def _col(row: dict[str, str], *names: str) -> str:
    for n in names:
        if n in row and row[n] is not None:
            return row[n].strip()
    return ""


def _within(date: str, start: str, end: str) -> bool:
    """Whether ISO ``date`` lies in [start, end], each side compared at the shorter precision.

    '2019' is within 2019-01-01–…, and '2019-01-01' within '2019'–…; an empty bound is open.
    """
    if start and date[: len(start)] < start[: len(date)]:
        return False
    return not (end and date[: len(end)] > end[: len(date)])


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    forms: tuple[str, ...]
    demonyms: tuple[str, ...]
    historic: bool = False


@dataclass(frozen=True)
class Mission:
    acronym: str
    name: str
    hosts: tuple[str, ...]
    start: str
    end: str
    kind: str = "peacekeeping"

    def active_on(self, date: str | None) -> bool:
        """Whether the mission ran on ``date`` (compared at the precision both sides give)."""
        return bool(date) and _within(date, self.start, self.end)


@dataclass(frozen=True)
class Body:
    body_id: str
    name: str
    display: str
    acronym: str
    forms: tuple[str, ...]
    kind: str
    superseded_by: str = ""

    @property
    def regional(self) -> bool:
        return "regional" in self.kind


@dataclass(frozen=True)
class Framework:
    framework_id: str
    name: str
    display: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Tenure:
    person_id: str
    post: str
    post_org: str
    start: str
    end: str
    tenure_id: str = ""  # officials.csv's key of the tenure IRI

    def holds_on(self, date: str) -> bool:
        """Whether the post was held on ``date`` (compared at the precision both sides give)."""
        return _within(date, self.start, self.end)


@dataclass(frozen=True)
class Official:
    person_id: str
    name: str
    forms: tuple[str, ...]
    surnames: tuple[str, ...]
    nationality: str
    tenures: tuple[Tenure, ...]


@dataclass
class Gazetteer:
    """Names from the reference data, with lookups by surface form."""

    countries: dict[str, Country] = field(default_factory=dict)
    missions: dict[str, Mission] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(default_factory=dict)
    officials: dict[str, Official] = field(default_factory=dict)
    cameo_labels: dict[str, str] = field(default_factory=dict)
    #: how often a country hosts missions or contributes troops (breaks ties: 'French', 'Congolese')
    prominence: dict[str, int] = field(default_factory=dict)
    source: str = ""

    # ---- derived lookups ----------------------------------------------------------------------------
    @cached_property
    def country_forms(self) -> dict[str, list[str]]:
        """Surface form (case-sensitive) -> ISO3 codes (more than one when ambiguous: 'Congolese')."""
        out: dict[str, list[str]] = {}
        for c in self.countries.values():
            for f in c.forms + c.demonyms:
                for v in _variants(f):
                    lst = out.setdefault(v, [])
                    if c.iso3 not in lst:
                        lst.append(c.iso3)
        return out

    @cached_property
    def capitalised_country_forms(self) -> dict[str, str]:
        """A country name in capitals -> its form ('THE GAMBIA' -> 'The Gambia'), for wire datelines."""
        return {v.upper(): v for c in self.countries.values() for f in c.forms for v in _variants(f)}

    @cached_property
    def country_regex(self) -> re.Pattern[str]:
        return _alternation(self.country_forms)

    @cached_property
    def demonym_forms(self) -> set[str]:
        out: set[str] = set()
        for c in self.countries.values():
            for d in c.demonyms:
                out.update(_variants(d))
        return out

    @cached_property
    def body_forms(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for b in self.bodies.values():
            for f in b.forms:
                out.setdefault(f, b.body_id)
        return out

    @cached_property
    def folded_body_forms(self) -> dict[str, str]:
        """Folded body name -> body id (the first in the gazetteer's order wins), for name comparison."""
        out: dict[str, str] = {}
        for form, bid in self.body_forms.items():
            out.setdefault(fold(form), bid)
        return out

    @cached_property
    def folded_country_forms(self) -> dict[str, str]:
        """Folded country name or ISO3 code -> ISO3 (the first in the gazetteer's order wins)."""
        out: dict[str, str] = {}
        for iso3, c in self.countries.items():
            for k in {fold(x) for x in c.forms} | {fold(iso3)}:
                out.setdefault(k, iso3)
        return out

    @cached_property
    def mission_acronyms(self) -> set[str]:
        """Mission acronyms in capitals."""
        return {a.upper() for a in self.missions}

    @cached_property
    def body_regex(self) -> re.Pattern[str]:
        return _alternation(self.body_forms)

    @cached_property
    def framework_forms(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for fw in self.frameworks.values():
            for f in fw.forms:
                out.setdefault(f, fw.framework_id)
        return out

    @cached_property
    def framework_regex(self) -> re.Pattern[str]:
        return _alternation(self.framework_forms)

    @cached_property
    def acronym_regex(self) -> re.Pattern[str]:
        forms = {}
        for m in self.missions.values():
            forms[m.acronym] = m.acronym
            forms[m.acronym.replace(" ", "-")] = m.acronym
        return re.compile(
            r"(?<![\w-])("
            + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            + r")(?![\w])",
            re.IGNORECASE,
        )

    @cached_property
    def mission_name_index(self) -> dict[str, str]:
        """Folded full mission names (with and without 'United Nations') -> acronym."""
        out: dict[str, str] = {}
        for m in self.missions.values():
            f = fold(m.name)
            out[f] = m.acronym
            out[re.sub(r"^united nations ", "", f)] = m.acronym
        return out

    @cached_property
    def official_forms(self) -> dict[str, str]:
        """Folded full names and alternative names -> person_id."""
        out: dict[str, str] = {}
        for o in self.officials.values():
            for f in o.forms:
                out.setdefault(fold(f), o.person_id)
        return out

    @cached_property
    def surname_index(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for o in self.officials.values():
            for s in o.surnames:
                out.setdefault(fold(s), []).append(o.person_id)
        return out

    def country_name(self, iso3: str) -> str:
        """Display name of a country (the code itself when the reference lacks it)."""
        c = self.countries.get(iso3)
        return c.name if c else iso3

    def missions_in(self, iso3: str) -> list[Mission]:
        """Missions hosted (also) by the country."""
        return [m for m in self.missions.values() if iso3 in m.hosts]

    def holders(self, post_pattern: re.Pattern[str], date: str | None) -> list[str]:
        """Officials whose post matches and who held it on ``date`` (all holders when no date)."""
        out = []
        for o in self.officials.values():
            for t in o.tenures:
                if post_pattern.search(t.post) and (date is None or t.holds_on(date)):
                    out.append(o.person_id)
                    break
        return out


def _variants(form: str) -> set[str]:
    """Spelling variants of a name: 'of the' optional, 'and' as hyphen, 'South' as 'S.', plurals."""
    out = {form}
    if " of the " in form:
        out.add(form.replace(" of the ", " of "))
    elif re.search(r" of [A-Z]", form) and "Republic of " in form:
        out.add(form.replace(" of ", " of the "))
    if " and " in form and len(form.split()) == 3:
        out.add(form.replace(" and ", "-"))
    if form.startswith(("South ", "North ")):
        out.add(form[0] + ". " + form.split(" ", 1)[1])
    if "'" in form:
        out.add(form.replace("'", "\u2019"))
    return out


def _alternation(forms: Iterable[str]) -> re.Pattern[str]:
    """Any of ``forms`` as a whole word, the longest first. The lookahead on the forms' first characters
    lets the engine skip a position at once instead of trying every form there (countries: 2.3x faster)."""
    alts = sorted({f for f in forms if f}, key=len, reverse=True)
    if not alts:
        return re.compile(r"(?!x)x")
    first = "".join(sorted({re.escape(a[0]) for a in alts}))
    return re.compile(r"(?<![\w])(?=[" + first + r"])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")


def _demonym_plurals(d: str) -> list[str]:
    if d.endswith(("ese", "sh", "ch", "ss", "s")) or " " in d:
        return [d]
    return [d, d + "s"]


def _surnames(name: str) -> list[str]:
    parts = name.split()
    if len(parts) < 2:
        return []
    out = [parts[-1]]
    if family_name_first(parts):
        out.append(parts[0])
    if len(parts) >= 3 and parts[-2].lower() in NAME_PARTICLES:
        out.append(
            " ".join(parts[-3:])
            if len(parts) >= 4 and parts[-3].lower() in NAME_PARTICLES
            else " ".join(parts[-2:])
        )
    if len(parts) >= 3 and parts[-2][:1].isupper() and parts[-2].lower() not in NAME_PARTICLES:
        out.append(" ".join(parts[-2:]))  # 'Lázaro Sáenz'
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 ({e.reason}); re-save the file as UTF-8", path=str(path)) from e


def load_gazetteer(reference_dir: Path) -> Gazetteer:
    """Build the gazetteer from the reference CSVs (countries, missions, un_bodies, frameworks, officials)."""
    reference_dir = Path(reference_dir)
    needed = ["countries.csv", "missions.csv"]
    missing = [n for n in needed if not (reference_dir / n).exists()]
    if missing:
        raise UsageError(
            f"reference data missing in {reference_dir}: {', '.join(missing)}; "
            f"run `kg build` or pass --data-dir / set KG_DATA_DIR to a folder with reference/*.csv"
        )
    g = Gazetteer(source=str(reference_dir))
    for row in _read_csv(reference_dir / "countries.csv"):
        iso3 = _col(row, "iso3", "ISO3", "alpha_3")
        if not iso3:
            continue
        name = _col(row, "name", "short_name")
        forms = [name] + _split(_col(row, "official_name")) + _split(_col(row, "aliases", "alt_names"))
        demonyms: list[str] = []
        for d in _split(_col(row, "demonyms", "demonym").replace(",", ";")):
            demonyms.extend(_demonym_plurals(d))
        historic = _col(row, "historic").lower() in ("true", "1", "yes")
        g.countries[iso3] = Country(
            iso3, name, tuple(dict.fromkeys(f for f in forms if f)), tuple(demonyms), historic
        )
    for row in _read_csv(reference_dir / "missions.csv"):
        acr = _col(row, "acronym")
        if not acr:
            continue
        hosts = tuple(
            h.strip() for h in re.split(r"[;|,]", _col(row, "host_iso3", "host_countries")) if h.strip()
        )
        g.missions[acr] = Mission(
            acr,
            _col(row, "name"),
            hosts,
            _col(row, "start_date", "established_date"),
            _col(row, "end_date"),
            _col(row, "kind") or "peacekeeping",
        )
    bodies_csv = reference_dir / "un_bodies.csv"
    if bodies_csv.exists():
        for row in _read_csv(bodies_csv):
            bid = _col(row, "body_id", "id")
            if not bid:
                continue
            name = _col(row, "name")
            acr = _col(row, "acronym")
            alts = _split(_col(row, "alt_names", "aliases"))
            display = _body_display(name, alts)
            forms = {name, display, re.sub(r"\s*\([^)]*\)", "", name).strip(), *alts}
            for f in list(forms):
                if f.startswith("United Nations "):
                    rest = f[len("United Nations ") :]
                    forms.update({"UN " + rest, "U.N. " + rest})
                elif not f.startswith(("UN ", "U.N.")) and len(f.split()) >= 2:
                    forms.update({"UN " + f, "U.N. " + f, "United Nations " + f})
            if acr and len(acr) >= 3 and acr.isupper():
                forms.add(acr)
            forms = {f for f in forms if len(f) >= 3 and not re.fullmatch(r"[A-Z]{1,2}", f)}
            g.bodies[bid] = Body(
                bid, name, display, acr, tuple(sorted(forms)), _col(row, "kind"), _col(row, "superseded_by")
            )
    fw_csv = reference_dir / "frameworks.csv"
    if fw_csv.exists():
        for row in _read_csv(fw_csv):
            fid = _col(row, "framework_id", "id")
            if not fid:
                continue
            name = _col(row, "name")
            alts = [a for a in _split(_col(row, "alt_names", "aliases")) if not re.match(r"^[A-Z]/", a)]
            acr = _col(row, "acronym")
            display = min([name, *alts], key=len) if len(name) > 40 and alts else name
            forms = {name, *alts}
            if acr and len(acr) >= 3:
                forms.add(acr)
            g.frameworks[fid] = Framework(fid, name, display, tuple(sorted(forms)))
    off_csv = reference_dir / "officials.csv"
    if off_csv.exists():
        rows = _read_csv(off_csv)
        by_id: dict[str, dict] = {}
        for row in rows:
            pid = _col(row, "person_id", "id")
            if not pid:
                continue
            name = _col(row, "name")
            rec = by_id.setdefault(
                pid, {"name": name, "forms": [name], "nat": _col(row, "nationality_iso3"), "tenures": []}
            )
            rec["forms"].extend(_split(_col(row, "alt_names", "aliases")))
            rec["tenures"].append(
                Tenure(
                    pid,
                    _col(row, "post"),
                    _col(row, "post_org"),
                    _col(row, "start_date"),
                    _col(row, "end_date"),
                    _col(row, "tenure_id"),
                )
            )
        for pid, rec in by_id.items():
            forms = tuple(dict.fromkeys(rec["forms"]))
            surnames: list[str] = []
            for f in forms:
                surnames.extend(_surnames(f))
            g.officials[pid] = Official(
                pid, rec["name"], forms, tuple(dict.fromkeys(surnames)), rec["nat"], tuple(rec["tenures"])
            )
    for mis in g.missions.values():
        for h in mis.hosts:
            g.prominence[h] = g.prominence.get(h, 0) + 10
    contrib = reference_dir / "contributions.csv"
    if contrib.exists():
        for row in _read_csv(contrib):
            iso3 = _col(row, "iso3")
            g.prominence[iso3] = g.prominence.get(iso3, 0) + 1
    cameo_csv = reference_dir / "cameo.csv"
    if cameo_csv.exists():
        for row in _read_csv(cameo_csv):
            code = _col(row, "code", "CAMEOEVENTCODE")
            if code:
                g.cameo_labels[code] = _col(row, "label", "EVENTDESCRIPTION")
    return g


def _body_display(name: str, alts: list[str]) -> str:
    """Short everyday name: 'United Nations Security Council' -> 'Security Council'."""
    base = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if base.startswith("United Nations ") and base[len("United Nations ") :] in alts:
        return base[len("United Nations ") :]
    m = re.search(r"\(([^)]*)\)", name)
    if m and m.group(1) in alts and re.search(r"\b(?:Committee|Council|Commission)$", m.group(1)):
        return m.group(1)
    return base

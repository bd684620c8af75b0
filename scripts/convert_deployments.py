"""Geo-PKO v2.3 (Uppsala University) -> data/reference/sites.csv, deployments.csv, contingents.csv.

Called by scripts/convert_reference.py. FrontMap has one row per mission, year, location and
deployment map (several maps a year give several rows); a site-year here is one (mission, year,
location) with the source's yearly average troop estimate (``ave.no.troops``), the unit types seen
on any of that year's maps, and every FrontMap row it was made from. TCCMap's ``year.overview`` free
text names the contributing countries with approximate sizes; :func:`parse_overview` reads it.
Everything that cannot be converted as it stands goes to the conversion report, never silently away.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.namespaces import slug

FRONTMAP = "raw/geo-pko/FrontMap_v.2.3.csv"
TCCMAP = "raw/geo-pko/TCCMap_v.2.3.csv"

#: FrontMap columns that mark a unit type at a site (value > 0), and the unit-type code each gives
UNIT_COLUMNS: dict[str, str] = {
    "Infantry": "infantry",
    "Reserve": "reserve",
    "hq": "hq",
    "UNPOL": "unpol",
    "Med": "medical",
    "Av": "aviation",
    "UNMO": "observers",
}

#: FrontMap country names that name two countries: the site lies in the disputed zone between them
SHARED_COUNTRIES: dict[str, list[str]] = {"Ethiopia/Eritrea": ["ETH", "ERI"]}

#: TCCMap names that are no country: kept as a contingent without a country, and reported
NOT_A_COUNTRY = {
    "CARICOM": "a regional grouping (Caribbean Community), not one country",
    "Multinational": "a multinational unit, no single country",
    "TCC name unknown": "the source does not name the country",
    "Un": "the UN itself (as written: 'Un'), not a troop-contributing country",
}

#: ``Name (150)`` or ``Name (size unknown)``; the name may hold a parenthesis of its own
#: (``Korea (ROK) (150)``), a size may carry thousands separators (1,100)
_ITEM = re.compile(r"(?P<name>[^\s(].*?)\s*\((?P<size>\d{1,3}(?:,\d{3})+|\d+|size unknown)\)")


class OverviewError(ValueError):
    """Free text of TCCMap that :func:`parse_overview` cannot read; the message says which part."""


@dataclass(frozen=True)
class ContingentText:
    """One contributor named in a TCCMap overview: the name as written and its size (None: unknown)."""

    name: str
    size: int | None


def split_items(text: str) -> list[str]:
    """Split at the commas outside parentheses: 'A (1,100), B (35)' -> ['A (1,100)', 'B (35)'].

    >>> split_items("Ghana (1,100), Benin (35)")
    ['Ghana (1,100)', 'Benin (35)']
    """
    items, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise OverviewError(f"unbalanced ')' in {text!r}")
        if ch == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if depth:
        raise OverviewError(f"unbalanced '(' in {text!r}")
    items.append("".join(current).strip())
    return items


def parse_overview(text: str) -> list[ContingentText]:
    """The contributors of one TCCMap ``year.overview`` cell, in the order written.

    >>> parse_overview("Bangladesh (950), Nepal (size unknown)")
    [ContingentText(name='Bangladesh', size=950), ContingentText(name='Nepal', size=None)]

    Raises OverviewError naming the first item it cannot read (no size in parentheses, an empty
    item, a size that is not a number or 'size unknown').
    """
    if not text.strip():
        raise OverviewError("empty overview: no contributor named")
    out = []
    for item in split_items(text):
        if not item:
            raise OverviewError(f"empty item in {text!r} (two commas, or a comma at the end)")
        m = _ITEM.fullmatch(item)
        if not m:
            raise OverviewError(f"cannot read {item!r}: write 'Country (size)' or 'Country (size unknown)'")
        size = m["size"]
        out.append(
            ContingentText(m["name"].strip(), None if size == "size unknown" else int(size.replace(",", "")))
        )
    return out


# ---- conversion --------------------------------------------------------------------------------
@dataclass
class Report:
    """The conversion report: one row per source row or item not converted as it stands."""

    rows: list[dict[str, str]]

    def add(self, source: str, line: int | str, value: str, problem: str, decision: str) -> None:
        self.rows.append(
            {"source": source, "line": str(line), "value": value, "problem": problem, "decision": decision}
        )


def _number(value: str) -> float | None:
    """A FrontMap count: '150.0' -> 150.0, 'NA'/'' -> None."""
    return None if value in ("", "NA") else float(value)


def _site_key(iso3: str, name: str) -> str:
    """'LBR', 'Monrovia' -> 'LBR-monrovia' (stable: country code + slug of the place name)."""
    return f"{iso3}-{slug(name)}"


def convert_deployments(
    shared: Path,
    resolve: dict[str, str | None],
    missions: set[str],
    report: Report,
    read_csv,  # noqa: ANN001
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """(sites, deployments, contingents) rows from Geo-PKO; ``resolve`` maps every country name used
    in the two files to an ISO3 code (None: unknown). Problems go to ``report``."""
    front = read_csv(shared / FRONTMAP)
    tcc = read_csv(shared / TCCMAP)

    # sites: one per (country, slug of location); label = the most used spelling, coordinates = the most used
    site_names: dict[str, Counter] = defaultdict(Counter)
    site_points: dict[str, Counter] = defaultdict(Counter)
    site_codes: dict[str, list[str]] = {}
    site_country: dict[str, str] = {}
    groups: dict[tuple[str, str, str], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    at: dict[tuple[str, str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for line, r in enumerate(front, start=2):
        codes = SHARED_COUNTRIES.get(r["country"]) or (
            [resolve[r["country"]]] if resolve.get(r["country"]) else []
        )
        if not codes:
            report.add(
                FRONTMAP,
                line,
                r["country"],
                "country name maps to no ISO 3166 code",
                "row left out; add the name to data/reference/country_aliases.csv",
            )
            continue
        if r["mission"] not in missions:
            report.add(FRONTMAP, line, r["mission"], "mission is in no mission table", "row left out")
            continue
        if _number(r["latitude"]) is None or _number(r["longitude"]) is None:
            report.add(FRONTMAP, line, r["location"], "no coordinates", "row left out")
            continue
        site = _site_key("-".join(codes), r["location"])
        site_names[site][r["location"]] += 1
        site_points[site][(r["latitude"], r["longitude"])] += 1
        site_codes[site] = codes
        site_country[site] = r["country"]
        groups[(r["mission"], site, r["year"])].append((line, r))
        at[(r["mission"], r["location"], r["year"])].add((r["mission"], site, r["year"]))

    sites = []
    for site in sorted(site_names):
        (name, _), *others = sorted(site_names[site].items(), key=lambda kv: (-kv[1], kv[0]))
        points = sorted(site_points[site].items(), key=lambda kv: (-kv[1], kv[0]))
        (lat, lon), _ = points[0]
        notes = []
        if len(points) > 1:
            spread = max(abs(float(a) - float(lat)) + abs(float(b) - float(lon)) for (a, b), _ in points)
            notes.append(f"{len(points)} coordinate pairs in the source; the most used one kept")
            if spread > 0.05:
                report.add(
                    FRONTMAP,
                    "",
                    f"{name} ({site_country[site]})",
                    f"{len(points)} coordinate pairs, up to {spread:.3f} degrees apart",
                    f"most used pair kept: {lat}, {lon}",
                )
        if site in [s for s in site_codes if len(site_codes[s]) > 1]:
            notes.append(f"Geo-PKO gives the country as {site_country[site]!r}")
            report.add(
                FRONTMAP,
                "",
                f"{name} ({site_country[site]})",
                "two countries named for one site",
                "pk:inCountry both: " + ", ".join(site_codes[site]),
            )
        sites.append(
            {
                "site": site,
                "name": name,
                "alt_names": ";".join(n for n, _ in others),
                "iso3": ";".join(site_codes[site]),
                "latitude": lat,
                "longitude": lon,
                "source": FRONTMAP,
                "notes": "; ".join(notes),
            }
        )

    tcc_rows: dict[tuple[str, str, str], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for line, r in enumerate(tcc, start=2):
        keys = sorted(at.get((r["mission"], r["location"], r["year"]), ()))
        if len(keys) != 1:
            problem = "two FrontMap sites (in different countries)" if keys else "no FrontMap site-year"
            report.add(
                TCCMAP,
                line,
                f"{r['mission']} {r['year']} {r['location']}",
                f"{problem} with this mission, year and location",
                "row left out",
            )
            continue
        tcc_rows[keys[0]].append((line, r))

    deployments, contingents = [], []
    for key in sorted(groups):
        mission, site, year = key
        rows = groups[key]
        units = sorted(
            {code for _, r in rows for col, code in UNIT_COLUMNS.items() if (_number(r[col]) or 0) > 0},
            key=list(UNIT_COLUMNS.values()).index,
        )
        averages = {_number(r["ave.no.troops"]) for _, r in rows} - {None}
        troops = ""
        if len(averages) > 1:
            report.add(
                FRONTMAP,
                ";".join(str(n) for n, _ in rows),
                f"{mission} {year} {rows[0][1]['location']}",
                f"rows of one site-year give different yearly averages {sorted(averages)}",
                "the largest kept",
            )
        if averages:
            troops = str(round(max(averages)))
        hq = max(int(_number(r["hq"]) or 0) for _, r in rows)
        parsed: list[tuple[int, ContingentText]] = []
        counts = ""
        for line, r in tcc_rows.get(key, []):
            counts = r["No.TCC"]
            try:
                items = parse_overview(r["year.overview"])
            except OverviewError as e:
                report.add(TCCMAP, line, r["year.overview"], str(e), "row left out")
                continue
            if r["No.TCC"].isdigit() and int(r["No.TCC"]) != len(items):
                report.add(
                    TCCMAP,
                    line,
                    r["year.overview"],
                    f"No.TCC says {r['No.TCC']} contributors, the text names {len(items)}",
                    "the named ones kept",
                )
            parsed += [(line, item) for item in items]
        if len(tcc_rows.get(key, [])) > 1:
            report.add(
                TCCMAP,
                ";".join(str(n) for n, _ in tcc_rows[key]),
                f"{mission} {year} {rows[0][1]['location']}",
                "several TCCMap rows for one site-year",
                "their contributors merged",
            )
        seen: dict[str, int] = {}
        for line, item in parsed:
            iso3 = resolve.get(item.name) if item.name not in NOT_A_COUNTRY else None
            if iso3 is None:
                why = NOT_A_COUNTRY.get(item.name, "country name maps to no ISO 3166 code")
                report.add(
                    TCCMAP,
                    line,
                    f"{item.name} ({'size unknown' if item.size is None else item.size})",
                    why,
                    "kept as a contingent with its size and no country",
                )
            ident = iso3 or slug(item.name)
            if ident in seen:
                seen[ident] += 1
                report.add(
                    TCCMAP,
                    line,
                    item.name,
                    "the same contributor named twice for one site-year",
                    f"kept as contingent {ident}-{seen[ident]}",
                )
                ident = f"{ident}-{seen[ident]}"
            else:
                seen[ident] = 1
            contingents.append(
                {
                    "mission": mission,
                    "site": site,
                    "year": year,
                    "contingent": ident,
                    "iso3": iso3 or "",
                    "name": item.name,
                    "size": "" if item.size is None else str(item.size),
                    "source_row": str(line),
                    "source": TCCMAP,
                }
            )
        deployments.append(
            {
                "mission": mission,
                "site": site,
                "year": year,
                "troops": troops,
                "unit_types": ";".join(units),
                "hq_level": str(hq) if hq else "",
                "contributors": counts,
                "source_rows": ";".join(str(n) for n, _ in rows),
                "tcc_rows": ";".join(str(n) for n, _ in tcc_rows.get(key, [])),
                "source": FRONTMAP + (" | " + TCCMAP if key in tcc_rows else ""),
            }
        )
    return sites, deployments, contingents


def country_names(shared: Path, read_csv) -> list[str]:  # noqa: ANN001
    """Every country name Geo-PKO uses (FrontMap's ``country``, TCCMap's contributors), sorted."""
    names = {r["country"] for r in read_csv(shared / FRONTMAP)} - set(SHARED_COUNTRIES)
    for r in read_csv(shared / TCCMAP):
        try:
            names |= {item.name for item in parse_overview(r["year.overview"])}
        except OverviewError:
            continue  # reported by convert_deployments
    return sorted(names - set(NOT_A_COUNTRY))

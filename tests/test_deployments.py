"""Deployment sites from Geo-PKO: the free-text parser, the conversion report, and the RDF shape that
issue 13's map view reads (checked on the bundled graph against data/reference/*.csv)."""

from __future__ import annotations

import csv
import sys

import pytest
from conftest import ROOT, SHARED

from kg.namespaces import resource, sparql_prologue

sys.path.insert(0, str(ROOT / "scripts"))
from convert_deployments import (  # noqa: E402
    FRONTMAP,
    TCCMAP,
    ContingentText,
    OverviewError,
    parse_overview,
)

REFERENCE = ROOT / "data" / "reference"
RAW = SHARED / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def select(store, query: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()} for r in store.query(sparql_prologue() + query).rows]


# ---- the parser -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bangladesh (950)", [("Bangladesh", 950)]),
        (
            "Bangladesh (950), China (150), Ireland (650)",
            [("Bangladesh", 950), ("China", 150), ("Ireland", 650)],
        ),
        ("Nepal (size unknown)", [("Nepal", None)]),
        ("Korea (ROK) (150), Nepal (size unknown)", [("Korea (ROK)", 150), ("Nepal", None)]),
        ("Burkina Faso (1,100)", [("Burkina Faso", 1100)]),
        ("Cote d'Ivoire (150),Ghana (35)", [("Cote d'Ivoire", 150), ("Ghana", 35)]),
        ("  TCC name unknown (150) ", [("TCC name unknown", 150)]),
        ("Guinea-Bissau(35)", [("Guinea-Bissau", 35)]),
    ],
)
def test_parse_overview_reads_names_and_sizes(text, expected):
    assert parse_overview(text) == [ContingentText(name, size) for name, size in expected]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty overview: no contributor named"),
        ("   ", "empty overview: no contributor named"),
        (
            "Bangladesh 950",
            "cannot read 'Bangladesh 950': write 'Country (size)' or 'Country (size unknown)'",
        ),
        (
            "Bangladesh (many)",
            "cannot read 'Bangladesh (many)': write 'Country (size)' or 'Country (size unknown)'",
        ),
        ("(150)", "cannot read '(150)': write 'Country (size)' or 'Country (size unknown)'"),
        ("Korea (ROK)", "cannot read 'Korea (ROK)': write 'Country (size)' or 'Country (size unknown)'"),
        (
            "Ghana (35),, Benin (35)",
            "empty item in 'Ghana (35),, Benin (35)' (two commas, or a comma at the end)",
        ),
        ("Ghana (35),", "empty item in 'Ghana (35),' (two commas, or a comma at the end)"),
        ("Ghana (35", "unbalanced '(' in 'Ghana (35'"),
        ("Ghana 35), Benin (35)", "unbalanced ')' in 'Ghana 35), Benin (35)'"),
        ("Ghana (-35)", "cannot read 'Ghana (-35)': write 'Country (size)' or 'Country (size unknown)'"),
    ],
)
def test_parse_overview_refuses_what_it_cannot_read(text, message):
    with pytest.raises(OverviewError) as e:
        parse_overview(text)
    assert str(e.value) == message


# ---- the conversion: nothing dropped silently ------------------------------------------------------
def _raw(name: str) -> list[dict[str, str]]:
    path = RAW / name
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not here)")
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _reported(source: str) -> set[int]:
    lines: set[int] = set()
    for r in rows("conversion_report.csv"):
        if r["source"] == source and r["decision"] == "row left out":
            lines |= {int(n) for n in r["line"].split(";") if n}
    return lines


def test_every_frontmap_row_is_in_a_deployment_or_in_the_report():
    front = _raw(FRONTMAP)
    used = {int(n) for d in rows("deployments.csv") for n in d["source_rows"].split(";")}
    assert used | _reported(FRONTMAP) == set(range(2, len(front) + 2))
    assert not used & _reported(FRONTMAP)


def test_every_tccmap_row_and_contributor_is_converted_or_reported():
    tcc = _raw(TCCMAP)
    used = {int(n) for d in rows("deployments.csv") for n in d["tcc_rows"].split(";") if n}
    assert used | _reported(TCCMAP) == set(range(2, len(tcc) + 2))
    contingents = rows("contingents.csv")
    by_row: dict[str, int] = {}
    for c in contingents:
        by_row[c["source_row"]] = by_row.get(c["source_row"], 0) + 1
    for line in used:  # every named contributor of a converted row is a contingent
        assert by_row[str(line)] == len(parse_overview(tcc[line - 2]["year.overview"])), line
    countryless = [c for c in contingents if not c["iso3"]]
    reported = {
        (r["line"], r["value"].rsplit(" (", 1)[0])
        for r in rows("conversion_report.csv")
        if r["decision"] == "kept as a contingent with its size and no country"
    }
    assert {(c["source_row"], c["name"]) for c in countryless} == reported
    assert {c["name"] for c in countryless} <= {"TCC name unknown", "Multinational", "CARICOM", "Un"}


def test_the_bar_site_years_and_sites_with_coordinates():
    deployments, sites = rows("deployments.csv"), rows("sites.csv")
    assert len(deployments) >= 7000
    assert 1000 <= len(sites) <= 1300
    assert all(s["latitude"] and s["longitude"] for s in sites)
    assert len({(d["mission"], d["site"], d["year"]) for d in deployments}) == len(deployments)


def test_the_korean_contingents_are_parsed_with_their_parenthesis():
    korea = [c for c in rows("contingents.csv") if c["name"] == "Korea (ROK)"]
    assert korea and {c["iso3"] for c in korea} == {"KOR"}


# ---- the graph: the shape issue 13 reads --------------------------------------------------------
def test_sites_have_a_label_a_wkt_point_and_a_country(built_store):
    site = resource("site", "LBR-monrovia")
    (got,) = select(
        built_store,
        f"""
        SELECT ?label ?wkt ?geometry ?country WHERE {{
          <{site}> a pk:DeploymentSite ; rdfs:label ?label ; geo:hasGeometry ?geometry ;
                   pk:inCountry ?country .
          ?geometry a geo:Geometry ; geo:asWKT ?wkt . }}""",
    )
    monrovia = next(s for s in rows("sites.csv") if s["site"] == "LBR-monrovia")
    assert got == {
        "label": "Monrovia",
        "geometry": site + "/geometry",
        "country": resource("country", "LBR"),
        "wkt": f"POINT({monrovia['longitude']} {monrovia['latitude']})",
    }
    (n,) = select(
        built_store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a pk:DeploymentSite ; geo:hasGeometry/geo:asWKT ?w "
        "FILTER(DATATYPE(?w) = geo:wktLiteral) }",
    )
    assert int(n["n"]) == len(rows("sites.csv"))


def test_a_site_year_carries_troops_units_contributors_and_provenance(built_store):
    d = next(
        r
        for r in rows("deployments.csv")
        if (r["mission"], r["site"], r["year"]) == ("UNMIL", "LBR-monrovia", "2003")
    )
    iri = resource("deployment", "UNMIL-LBR-monrovia-2003")
    got = select(
        built_store,
        f"""
        SELECT ?mission ?year ?troops ?unit ?method ?row WHERE {{
          <{iri}> a pk:Deployment ; pk:site <{resource("site", "LBR-monrovia")}> ; pk:mission ?mission ;
                  pk:year ?year ; pk:troopEstimate ?troops ; pk:unitType/skos:notation ?unit ;
                  pk:estimateMethod ?method ; prov:wasDerivedFrom ?row . }}""",
    )
    assert {r["mission"] for r in got} == {resource("mission", "UNMIL")}
    assert {(r["year"], r["troops"]) for r in got} == {("2003", d["troops"])}
    assert {r["unit"] for r in got} == set(d["unit_types"].split(";"))
    assert {r["method"] for r in got} == {resource("method", "deployment-map-estimate")}
    expected_rows = {
        resource("record", f"geo-pko-v2.3-frontmap--{n}") for n in d["source_rows"].split(";")
    }
    expected_rows |= {resource("record", f"geo-pko-v2.3-tccmap--{n}") for n in d["tcc_rows"].split(";")}
    assert {r["row"] for r in got} == expected_rows
    sizes = select(
        built_store,
        f"""
        SELECT ?iso3 ?size WHERE {{ <{iri}> pk:contributingCountry ?c ; pk:contingent ?k .
          ?k pk:country ?c ; pk:approximateSize ?size .
          ?c skos:notation ?iso3 FILTER(DATATYPE(?iso3) = pk:ISO3166Alpha3) }}""",
    )
    expected = {
        (c["iso3"], c["size"])
        for c in rows("contingents.csv")
        if (c["mission"], c["site"], c["year"]) == ("UNMIL", "LBR-monrovia", "2003") and c["size"]
    }
    assert {(r["iso3"], r["size"]) for r in sizes} == expected
    assert ("BGD", "950") in expected


def test_unit_types_form_a_scheme_with_labels(built_store):
    got = select(
        built_store,
        """
        SELECT ?code ?label WHERE {
          ?c skos:inScheme ?scheme ; skos:notation ?code ; skos:prefLabel ?label
          FILTER(STRSTARTS(STR(?c), STR(unit-type:))) }""",
    )
    assert {r["code"] for r in got} == {
        "infantry",
        "reserve",
        "hq",
        "unpol",
        "medical",
        "aviation",
        "observers",
    }
    used = {u for d in rows("deployments.csv") for u in d["unit_types"].split(";") if u}
    assert used <= {r["code"] for r in got}

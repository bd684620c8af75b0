"""The reference data: CSVs, their conversion, and the facts the graph answers (checked against the CSVs)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.errors import InputError
from kg.namespaces import resource, sparql_prologue
from kg.reference import PK, REQUIRED_COLUMNS, reference_graph

REFERENCE = ROOT / "data" / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def missions() -> dict[str, dict[str, str]]:
    return {r["acronym"]: r for r in rows("missions.csv")}


def select(store, query: str) -> list[dict[str, str]]:
    result = store.query(sparql_prologue() + query)
    return [{k: str(v) for k, v in r.items()} for r in result.rows]


# ---- the CSV files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(REQUIRED_COLUMNS))
def test_every_reference_file_has_its_columns_and_a_source_on_every_row(name):
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert set(REQUIRED_COLUMNS[name]) <= set(reader.fieldnames or [])
        records = list(reader)
    assert records, f"{name} is empty"
    if name != "datasets.csv":  # the data sets are the sources
        assert [r for r in records if not r["source"].strip()] == []


def test_every_curated_mission_is_converted_with_its_facts():
    curated = SHARED / "reference" / "curated" / "missions.csv"
    if not curated.exists():
        pytest.skip(f"{curated} is absent (../shared is not here)")
    with curated.open(encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    ours = missions()
    for m in source:
        row = ours[m["acronym"]]
        assert row["kind"] == "peacekeeping"
        for column in ("name", "host_iso3", "established_resolution", "start_date", "end_date", "status",
                       "predecessor", "successor"):
            assert row[column] == m[column], (m["acronym"], column)
    assert sum(1 for r in ours.values() if r["kind"] == "peacekeeping") == len(source)


def test_conversion_script_regenerates_identical_files(tmp_path):
    if not (SHARED / "reference" / "curated" / "missions.csv").exists():
        pytest.skip("../shared/reference is absent: nothing to convert")
    out = tmp_path / "reference"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_reference.py"),
                           "--shared", str(SHARED / "reference"), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in REQUIRED_COLUMNS:
        assert (out / name).read_bytes() == (REFERENCE / name).read_bytes(), name


def test_hand_written_aliases_reach_countries_csv_and_the_graph(built_store):
    hand = rows("country_aliases.csv")
    assert hand
    countries = {r["iso3"]: r for r in rows("countries.csv")}
    for h in hand:
        c = countries[h["iso3"]]
        if h["kind"] == "name":
            assert c["name"] == h["value"]
            continue
        column = "aliases" if h["kind"] == "alias" else "demonyms"
        assert h["value"] in c[column].split(";"), h
        prop = "skos:altLabel" if h["kind"] == "alias" else "pk:demonym"
        answer = built_store.query(sparql_prologue() +
                                   f'ASK {{ <{resource("country", h["iso3"])}> {prop} "{h["value"]}" }}')
        assert answer.boolean, h


def test_countries_come_with_news_aliases_and_ambiguous_demonyms():
    countries = {r["iso3"]: r for r in rows("countries.csv")}
    assert "Ivory Coast" in countries["CIV"]["aliases"].split(";")
    assert "DRC" in countries["COD"]["aliases"].split(";")
    assert "Malian" in countries["MLI"]["demonyms"].split(";")
    congolese = sorted(iso3 for iso3, r in countries.items() if "Congolese" in r["demonyms"].split(";"))
    assert congolese == ["COD", "COG"]
    assert countries["YUG"]["historic"] == "true"
    import pycountry

    assert {c.alpha_3 for c in pycountry.countries} <= set(countries)


def test_every_contribution_maps_to_a_known_mission_and_country():
    known_missions = set(missions())
    known_countries = {r["iso3"] for r in rows("countries.csv")}
    contributions = rows("contributions.csv")
    assert contributions
    assert {r["mission"] for r in contributions} <= known_missions
    assert {r["iso3"] for r in contributions} <= known_countries
    assert all(int(r["total"]) > 0 for r in contributions)


# ---- the graph answers what the CSVs say -------------------------------------------------------------
def test_every_mission_is_in_the_graph_with_hosts_dates_and_resolution(built_store):
    answer = select(built_store, """
        SELECT ?acronym (GROUP_CONCAT(DISTINCT STR(?host); separator=";") AS ?hosts) (SAMPLE(?start) AS ?s)
               (SAMPLE(?end) AS ?e) (GROUP_CONCAT(DISTINCT ?symbol; separator=";") AS ?resolutions)
        WHERE { ?m a pk:PeacekeepingMission ; pk:acronym ?acronym ; schema:startDate ?start .
                OPTIONAL { ?m pk:hostCountry/skos:notation ?host FILTER(DATATYPE(?host) = pk:ISO3166Alpha3) }
                OPTIONAL { ?m schema:endDate ?end }
                OPTIONAL { ?m pk:establishedBy/dcterms:identifier ?symbol } }
        GROUP BY ?acronym""")
    graph = {r["acronym"]: r for r in answer}
    expected = {a: m for a, m in missions().items() if m["kind"] == "peacekeeping"}
    assert set(graph) == set(expected)
    for acronym, m in expected.items():
        g = graph[acronym]
        assert sorted(g["hosts"].split(";")) == sorted(m["host_iso3"].split(";")), acronym
        assert g["s"] == m["start_date"], acronym
        assert g.get("e", "") == m["end_date"], acronym
        for symbol in g["resolutions"].split(";"):
            assert symbol in m["established_resolution"], acronym


UNTAET = resource("mission", "UNTAET")


def test_timor_leste_chain_follows_successors(built_store):
    answer = select(built_store, f"SELECT ?a WHERE {{ <{UNTAET}> pk:successor+ ?m . ?m pk:acronym ?a }}")
    table = missions()
    chain, current = [], "UNTAET"
    while table[current]["successor"]:
        current = table[current]["successor"].split(";")[0]
        chain.append(current)
    assert sorted(r["a"] for r in answer) == sorted(chain)
    assert chain[:3] == ["UNMISET", "UNOTIL", "UNMIT"]
    kinds = select(built_store, f"SELECT ?c WHERE {{ <{resource('mission', 'UNOTIL')}> a ?c }}")
    assert {r["c"] for r in kinds} >= {str(PK.PoliticalMission), str(PK.Mission)}


def test_unamsil_resolution_and_dates(built_store):
    row = missions()["UNAMSIL"]
    answer = select(built_store, """
        SELECT ?symbol ?adopted ?start ?end WHERE {
          ?m pk:acronym "UNAMSIL" ; pk:establishedBy ?r ; schema:startDate ?start ; schema:endDate ?end .
          ?r dcterms:identifier ?symbol ; dcterms:date ?adopted ; a pk:SecurityCouncilResolution }""")
    assert answer == [{"symbol": row["established_resolution"], "adopted": row["established_date"],
                       "start": row["start_date"], "end": row["end_date"]}]


def _within(day: str, start: str, end: str) -> bool:
    """The prefix rule of docs/vocabulary.md, in Python, for the expected side of the test."""
    return (not start or start <= day[:len(start)]) and (not end or day[:len(end)] <= end)


def test_head_of_un_peacekeeping_on_a_date(built_store):
    day = "2018-06-01"
    heads = [r for r in rows("officials.csv")
             if r["post_org_id"] in ("body/dpko", "body/dpo") and r["post"].startswith("Under-Secretary")]
    expected = sorted(r["person_id"] for r in heads if _within(day, r["start_date"], r["end_date"]))
    answer = select(built_store, f"""
        SELECT DISTINCT ?person WHERE {{
          ?t a org:Membership ; org:member ?person ; org:organization ?dept ; org:role/skos:prefLabel ?title ;
             schema:startDate ?s .
          VALUES ?dept {{ <{resource("body", "dpko")}> <{resource("body", "dpo")}> }}
          FILTER(STRSTARTS(STR(?title), "Under-Secretary"))
          OPTIONAL {{ ?t schema:endDate ?e }}
          FILTER(STR(?s) <= SUBSTR("{day}", 1, STRLEN(STR(?s))))
          FILTER(!BOUND(?e) || SUBSTR("{day}", 1, STRLEN(STR(?e))) <= STR(?e))
        }}""")
    assert sorted(r["person"].rsplit("/", 1)[1] for r in answer) == expected
    assert expected == ["jean-pierre-lacroix"]


@pytest.mark.parametrize(("mission", "year"), [("MINUSMA", "2019"), ("UNMIL", "2016")])
def test_top_contributors_to_a_mission_in_a_year(built_store, mission, year):
    table = sorted(((int(r["total"]), r["iso3"]) for r in rows("contributions.csv")
                    if r["mission"] == mission and r["year"] == year), reverse=True)[:5]
    answer = select(built_store, f"""
        SELECT ?iso3 ?total WHERE {{
          ?c a pk:Contribution ; pk:mission <{resource("mission", mission)}> ; pk:year "{year}"^^xsd:gYear ;
             pk:contributor/skos:notation ?iso3 ; pk:personnelTotal ?total .
          FILTER(DATATYPE(?iso3) = pk:ISO3166Alpha3)
        }} ORDER BY DESC(?total) ?iso3 LIMIT 5""")
    assert [(int(r["total"]), r["iso3"]) for r in answer] == table
    assert len(table) == 5


def test_dates_keep_the_precision_of_the_source():
    from rdflib import XSD  # imported here: pytest's collection probes module globals, XSD warns on that

    g = reference_graph(REFERENCE)
    untso = URIRef(resource("mission", "UNTSO"))
    assert Literal("1948-06", datatype=XSD.gYearMonth) in set(g.objects(untso, URIRef("https://schema.org/startDate")))
    bunche = [t for t in g.subjects(URIRef("http://www.w3.org/ns/org#member"),
                                    URIRef(resource("person", "ralph-bunche")))]
    starts = {o for t in bunche for o in g.objects(t, URIRef("https://schema.org/startDate"))}
    assert starts == {Literal("1954", datatype=XSD.gYear)}
    assert (URIRef(resource("mission", "UNEF-I")), PK.acronym, Literal("UNEF I")) in g
    assert (URIRef(resource("country", "CIV")), SKOS.prefLabel, Literal("Côte d'Ivoire", lang="en")) in g


# ---- bad input stops with one line naming file, row and column ------------------------------------
@pytest.fixture
def reference_copy(tmp_path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE, target)
    return target


def edit_csv(path: Path, row_index: int, column: str, value: str | None) -> int:
    """Set (or, with None, drop the column of) one cell; return the file line of that row."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        columns = list(reader.fieldnames or [])
        records = list(reader)
    if value is None:
        columns.remove(column)
    else:
        records[row_index][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    return row_index + 2


def test_missing_column_names_file_and_column(reference_copy):
    path = reference_copy / "missions.csv"
    edit_csv(path, 0, "start_date", None)
    with pytest.raises(InputError) as e:
        reference_graph(reference_copy)
    assert str(e.value) == (f"{path}:1 column 'start_date': missing column; the header needs: "
                            + ", ".join(REQUIRED_COLUMNS["missions.csv"]))


def test_bad_date_names_file_row_and_column(reference_copy):
    path = reference_copy / "officials.csv"
    line = edit_csv(path, 3, "end_date", "2001-13-40")
    with pytest.raises(InputError) as e:
        reference_graph(reference_copy)
    assert str(e.value) == (f"{path}:{line} column 'end_date': bad date '2001-13-40'; "
                            f"write YYYY-MM-DD, YYYY-MM or YYYY")


def test_unknown_country_code_names_file_row_and_column(reference_copy):
    path = reference_copy / "missions.csv"
    line = edit_csv(path, 5, "host_iso3", "XXX")
    with pytest.raises(InputError) as e:
        reference_graph(reference_copy)
    assert str(e.value) == (f"{path}:{line} column 'host_iso3': unknown country code 'XXX'; "
                            f"use an ISO 3166-1 alpha-3 code from countries.csv")


def test_unknown_mission_in_contributions_is_reported(reference_copy):
    path = reference_copy / "contributions.csv"
    line = edit_csv(path, 10, "mission", "UNKNOWN")
    with pytest.raises(InputError) as e:
        reference_graph(reference_copy)
    assert str(e.value) == (f"{path}:{line} column 'mission': unknown mission 'UNKNOWN'; "
                            f"add it to missions.csv or fix the acronym")

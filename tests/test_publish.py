"""kg.publish: the route logic for publishing, tested as plain functions on a real store."""

from __future__ import annotations

import pytest
from query_helpers import load_fixture

from kg import publish
from kg.namespaces import BASE, ID, PREFIXES
from kg.store import open_store


@pytest.fixture(scope="module")
def fx():
    store = load_fixture(open_store("memory"))
    yield store
    store.close()


def _select(store):
    return lambda q: [v for row in store.query(q).records() for v in row.values()]


def test_a_case_variant_of_an_acronym_redirects_once_to_the_canonical_iri(fx):
    moved = publish.resolve_moved(ID + "mission/unAmsil", _select(fx))
    assert moved is not None and moved.status == 301
    assert moved.headers["Location"] == "/id/mission/UNAMSIL"
    assert publish.resolve_moved(ID + "mission/UNAMSIL-X", _select(fx)) is None
    assert publish.resolve_moved(ID + "country/unamsil", _select(fx)) is None  # another kind
    assert publish.resolve_moved("http://example.org/mission/unamsil", _select(fx)) is None


def test_an_old_iri_linked_by_owl_same_as_redirects_to_its_successor():
    store = open_store("memory")
    old, new = ID + "statement/old-0-10", ID + "statement/new"
    data = (f"<{old}> <{PREFIXES['owl']}sameAs> <{new}> .\n"
            f"<{new}> <{PREFIXES['rdf']}type> <{PREFIXES['pk']}Statement> .\n")
    store.load(data.encode(), graph=ID + "g")
    moved = publish.resolve_moved(old, _select(store), query_string="format=turtle")
    assert moved is not None and moved.headers["Location"] == "/id/statement/new?format=turtle"
    store.close()


def test_two_candidates_are_no_redirect():
    assert publish.redirect(ID + "mission/a", [ID + "mission/A", ID + "mission/a-b"]) is None
    assert publish.redirect(ID + "mission/a", []) is None


# ---- the public base URL -----------------------------------------------------------------------------
def _void_endpoint(path) -> tuple[str, list[str]]:
    import rdflib

    g = rdflib.Graph().parse(path, format="turtle")
    dataset = rdflib.URIRef(BASE + "dataset")
    endpoint = g.value(dataset, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint"))
    dumps = sorted(str(o) for o in g.objects(dataset, rdflib.URIRef("http://rdfs.org/ns/void#dataDump")))
    return str(endpoint), dumps


def test_void_names_the_configured_public_endpoint_flag_and_setting(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from query_helpers import fixture_store_at

    from kg.cli import main

    store = fixture_store_at(tmp_path / "store")
    out = tmp_path / "void.ttl"
    result = CliRunner().invoke(main, ["export", "--store", store, "--format", "void", "-o", str(out),
                                       "--public-url", "https://kg.example.org/pk"])
    assert result.exit_code == 0, result.output
    endpoint, dumps = _void_endpoint(out)
    assert endpoint == "https://kg.example.org/pk/sparql"
    assert dumps and all(d.startswith("https://kg.example.org/pk/exports/") for d in dumps)
    monkeypatch.setenv("KG_PUBLIC_URL", "https://other.example.org/")
    result = CliRunner().invoke(main, ["export", "--store", store, "--format", "void", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _void_endpoint(out)[0] == "https://other.example.org/sparql"
    monkeypatch.delenv("KG_PUBLIC_URL")
    result = CliRunner().invoke(main, ["export", "--store", store, "--format", "void", "-o", str(out)])
    assert _void_endpoint(out)[0] == "http://127.0.0.1:8000/sparql"  # the local server by default


# ---- one record scheme ---------------------------------------------------------------------------------
def test_row_iris_of_the_release_redirect_to_records_that_exist(built_store):
    """``dataset:{key}/row/{line}`` (release 0.1) -> ``record:{key}--{line}``, which the graph holds; the
    second data set of the contributions file is owl:sameAs the one that stays."""
    import csv

    from conftest import ROOT

    with (ROOT / "data" / "reference" / "deployments.csv").open(encoding="utf-8", newline="") as f:
        line = next(csv.DictReader(f))["source_rows"].split(";")[0]
    old = ID + f"dataset/geo-pko-v2.3-frontmap/row/{line}"
    moved = publish.resolve_moved(old, _select(built_store))
    assert moved is not None and moved.status == 301
    assert moved.headers["Location"] == f"/id/record/geo-pko-v2.3-frontmap--{line}"
    target = ID + f"record/geo-pko-v2.3-frontmap--{line}"
    dataset = f"<{ID}dataset/geo-pko-v2.3-frontmap>"
    assert built_store.query(f"ASK {{ <{target}> a <{PREFIXES['pk']}SourceRow> ; "
                             f"<{PREFIXES['dcterms']}isPartOf> {dataset} }}").boolean
    moved = publish.resolve_moved(ID + "dataset/un-contributions-country-by-year", _select(built_store))
    assert moved is not None and moved.headers["Location"] == "/id/dataset/un-contributions"
    # no IRI of the old scheme is left in the graph, and one dcat:Dataset per source file
    left = built_store.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { ?x ?y ?s } "
                             f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), '{ID}dataset/') "
                             "&& CONTAINS(STR(?s), '/row/')) }").records()
    assert left[0]["n"] == "0"
    titles = built_store.query(f"SELECT ?t WHERE {{ <{ID}dataset/un-contributions> "
                               f"<{PREFIXES['dcterms']}title> ?t }}").records()
    assert len(titles) == 1

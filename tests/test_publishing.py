"""`kg serve` answers the ontology IRI, the dataset IRI (VoID) and the dumps, by content negotiation.

A real `kg serve` subprocess over a store on disk, with ``KG_EXPORTS_DIR`` pointing at exports written
from that store; clients are urllib (Accept headers) and SPARQLWrapper, and every RDF answer is parsed
with rdflib and compared with the file it must stand for.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from query_helpers import fixture_store_at, start_kg_serve, stop
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from kg.config import Settings
from kg.export import BUILD_GZIP, write_build_exports
from kg.export.void import DATASET
from kg.namespaces import GRAPH_ONTOLOGY, ONTOLOGY_IRI, PREFIXES
from kg.store import open_store

VOID = Namespace(PREFIXES["void"])
DCAT = Namespace(PREFIXES["dcat"])
RDF_FORMATS = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
               "application/n-triples": "nt"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture(scope="module")
def published(tmp_path_factory, monkeypatch_module):
    """(base URL, exports dir) of a running `kg serve` whose exports dir starts empty."""
    tmp = tmp_path_factory.mktemp("publish")
    exports = tmp / "exports"
    exports.mkdir()
    store = fixture_store_at(tmp / "store")
    monkeypatch_module.setenv("KG_EXPORTS_DIR", str(exports))
    proc, url = start_kg_serve(store, tmp / "serve.log", "--workers", "1")
    yield url, exports, store
    stop(proc)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": accept} if accept is not None else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@pytest.fixture(scope="module")
def written(published):
    """The server's exports, written after it started (it reads them per request), naming its URL."""
    url, exports, store = published
    status, _, body = get(url + "/ontology", "text/turtle")
    assert status == 404 and body.decode().count("\n") == 1 and "kg export --all" in body.decode()
    with open_store(store) as s:
        write_build_exports(s, Settings(exports_dir=exports, public_url=url + "/"), gzip=True)
    return url, exports


def test_the_ontology_iri_answers_html_to_browsers_and_rdf_by_accept(written):
    url, exports = written
    path = urlsplit(ONTOLOGY_IRI).path
    status, headers, body = get(url + path, BROWSER)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert body == (exports / "ontology.html").read_bytes()
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    expected = Graph().parse(exports / "ontology.ttl", format="turtle")
    assert len(expected) > 10  # the fixture's ontology graph
    for media, syntax in RDF_FORMATS.items():
        for where in (path, "/ontology"):
            status, headers, body = get(url + where, media)
            assert status == 200, (where, media, body)
            assert headers["content-type"].split(";")[0] == media and headers["vary"] == "Accept"
            assert isomorphic(Graph().parse(data=body, format=syntax), expected), media
    # no Accept or */*: Turtle, the file itself
    turtle = (exports / "ontology.ttl").read_bytes()
    assert get(url + "/ontology")[2] == get(url + "/ontology", "*/*")[2] == turtle


def test_the_dataset_iri_answers_the_void_description(written):
    url, exports = written
    expected = Graph().parse(exports / "void.ttl", format="turtle")
    dataset = URIRef(DATASET)
    assert expected.value(dataset, VOID.sparqlEndpoint) == URIRef(url + "/sparql")
    for media, syntax in RDF_FORMATS.items():
        status, headers, body = get(url + urlsplit(DATASET).path, f"{media}, text/html;q=0.5")
        assert status == 200 and headers["content-type"].split(";")[0] == media
        assert isomorphic(Graph().parse(data=body, format=syntax), expected), media
    status, headers, body = get(url + "/dataset", BROWSER)
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    for dump in expected.objects(dataset, VOID.dataDump):
        assert f'href="{dump}"' in page
    status, _, body = get(url + "/dataset?format=ntriples", BROWSER)  # the parameter wins over Accept
    assert status == 200 and isomorphic(Graph().parse(data=body, format="nt"), expected)


def test_the_dumps_are_served_where_void_says_with_their_media_types(written):
    url, exports = written
    void = Graph().parse(exports / "void.ttl", format="turtle")
    dumps = {}
    for dist in void.objects(URIRef(DATASET), DCAT.distribution):
        download = str(void.value(dist, DCAT.downloadURL))
        dumps[download] = str(void.value(dist, DCAT.mediaType)).rsplit("/media-types/", 1)[1]
    assert len(dumps) == 5 and all(u.startswith(url + "/exports/") for u in dumps)
    for download, media in dumps.items():
        status, headers, body = get(download, f"{media}, */*;q=0.1")
        assert status == 200, (download, body[:200])
        assert headers["content-type"].split(";")[0] == media
        name = download.rsplit("/", 1)[1]
        assert body == (exports / name).read_bytes()
        syntax = {"text/turtle": "turtle", "application/n-triples": "nt", "application/n-quads": "nquads",
                  "application/trig": "trig", "application/ld+json": "json-ld"}[media]
        if syntax in ("nquads", "trig"):
            parsed = Dataset().parse(data=body, format=syntax)
            assert sum(1 for _ in parsed.quads()) > 0
        else:
            triples = int(void.value(URIRef(DATASET), VOID.triples))
            assert len(Graph().parse(data=body, format=syntax)) == triples
    for name in BUILD_GZIP:
        status, headers, body = get(f"{url}/exports/{name}.gz")
        assert status == 200 and headers["content-type"] == "application/gzip" and body[:2] == b"\x1f\x8b"
    status, headers, body = get(url + "/exports/context.jsonld", "application/ld+json")
    assert status == 200 and "acronym" in json.loads(body)["@context"]


@pytest.mark.parametrize("path", ["/ontology", "/dataset", "/exports/peacekeeping.ttl"])
def test_an_accept_it_cannot_serve_is_a_406_with_one_line(written, path):
    url, _ = written
    status, headers, body = get(url + path, "image/png")
    assert status == 406
    assert headers["content-type"].startswith("text/plain")
    text = body.decode()
    assert text.count("\n") == 1 and text.startswith("cannot answer ") and "ask for one of: " in text


def test_an_unknown_dump_name_is_a_404_listing_the_files(written):
    url, _ = written
    status, _, body = get(url + "/exports/secret.txt")
    assert status == 404 and "peacekeeping.ttl" in body.decode() and body.decode().count("\n") == 1


def test_sparqlwrapper_reads_the_dataset_description(written):
    """A SPARQL client library fetching the dataset IRI as RDF (as a crawler of VoID would)."""
    url, exports = written
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    client = SPARQLWrapper.SPARQLWrapper(url + "/sparql")
    client.setQuery(f"ASK {{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(SPARQLWrapper.JSON)
    assert client.query().convert()["boolean"] is True  # the store holds the ontology the IRI answers
    status, _, body = get(url + "/dataset", "application/rdf+xml")
    assert status == 200
    assert (URIRef(DATASET), VOID.sparqlEndpoint, URIRef(url + "/sparql")) in Graph().parse(data=body,
                                                                                              format="xml")


def test_exports_dir_is_the_documented_source(written):
    """What is served is the exports dir, re-read per request: a rewritten void.ttl is served at once."""
    url, exports = written
    original = (exports / "void.ttl").read_bytes()
    try:
        (exports / "void.ttl").write_bytes(original + b"<urn:x> <urn:y> <urn:z> .\n")
        graph = Graph().parse(data=get(url + "/dataset", "text/turtle")[2], format="turtle")
        assert (URIRef("urn:x"), URIRef("urn:y"), URIRef("urn:z")) in graph
    finally:
        (exports / "void.ttl").write_bytes(original)
    assert isinstance(exports, Path)


def test_a_row_iri_of_the_release_redirects_over_http(published):
    import http.client

    url, _, _ = published
    host, port = urlsplit(url).hostname, urlsplit(url).port
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/id/dataset/geo-pko-v2.3-tccmap/row/7", headers={"Accept": "text/turtle"})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "/id/record/geo-pko-v2.3-tccmap--7"
    conn.close()

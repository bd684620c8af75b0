"""The W3C SPARQL 1.1 Protocol test manifest (``../shared/w3c/sparql11-protocol/``) against a live `kg serve`.

Each test's requests are sent as the manifest writes them (method, path, headers, body), over a real
socket; its graph data is loaded into the store first, one named graph per file, named by its label.
Query tests must pass; update tests must be refused (the service is read-only: 403). The tests are
skipped, with the reason, when the manifest is absent.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
import rdflib
from conftest import SHARED
from query_helpers import start_kg_serve, stop

from kg.store import open_store

pytestmark = pytest.mark.server

W3C = SHARED / "w3c" / "sparql11-protocol"
MANIFEST = W3C / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"


def _manifest() -> tuple[rdflib.Graph, list[rdflib.URIRef]]:
    graph = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = list(rdflib.collection.Collection(graph, graph.value(manifest, MF.entries)))
    return graph, entries


def _names() -> list[str]:
    if not MANIFEST.exists():
        return ["(absent)"]
    graph, entries = _manifest()
    return [str(e).rsplit("#", 1)[1] for e in entries]


@pytest.fixture(scope="module")
def manifest():
    if not MANIFEST.exists():
        pytest.skip(f"the W3C protocol manifest is not at {MANIFEST} (../shared is absent)")
    return _manifest()


@pytest.fixture(scope="module")
def server(manifest, tmp_path_factory):
    """A `kg serve`, with its defaults, over a store holding every graph the manifest's tests name: the
    ones with data (``ut:graphData``) loaded, the others (``data0.rdf`` names no data) held empty, as a
    service that serves such a dataset would hold them. A graph the store does not hold stays refused."""
    import re

    import pyoxigraph

    graph, entries = manifest
    location = str(tmp_path_factory.mktemp("w3c") / "store")
    named = set(re.findall(r"http://kasei\.us/2009/09/sparql/data/data\d+\.rdf",
                           urllib.parse.unquote(MANIFEST.read_text(encoding="utf-8"))))
    with open_store(location) as store:
        for entry in entries:
            for data in graph.objects(entry, UT.graphData):
                name = str(graph.value(data, rdflib.RDFS.label))
                path = W3C / str(graph.value(data, UT.graph)).rsplit("/", 1)[1]
                if not store.has_graph(name):
                    store.load(path.read_bytes(), format="ntriples", graph=name)
        for name in sorted(named):
            if not store.has_graph(name):
                store.native.add_graph(pyoxigraph.NamedNode(name))
    proc, url = start_kg_serve(location, tmp_path_factory.mktemp("w3c-log") / "serve.log",
                               "--allow-host", "www.example")
    yield url
    stop(proc)


def _send(base: str, graph: rdflib.Graph, req: rdflib.term.Node) -> tuple[int, str, bytes]:
    path = str(graph.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    method = str(graph.value(req, HT.methodName))
    headers = {"Host": "www.example"}
    header_list = graph.value(req, HT.headers)
    if header_list is not None:
        for h in rdflib.collection.Collection(graph, header_list):
            headers[str(graph.value(h, HT.fieldName))] = str(graph.value(h, HT.fieldValue))
    body_node = graph.value(req, HT.body)
    body = None
    if body_node is not None:
        chars = str(graph.value(body_node, CNT.chars))
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = chars.encode(encoding)
    netloc = urllib.parse.urlsplit(base).netloc
    conn = http.client.HTTPConnection(netloc, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


def _boolean(ctype: str, body: bytes) -> bool:
    if "json" in ctype:
        return json.loads(body)["boolean"]
    root = ET.fromstring(body)
    return next(e for e in root.iter() if e.tag.endswith("boolean")).text == "true"


@pytest.mark.parametrize("name", _names())
def test_w3c_protocol(manifest, server, name):
    graph, entries = manifest
    entry = next(e for e in entries if str(e).endswith("#" + name))
    update = name.startswith("update_")
    action = graph.value(entry, MF.action)
    requests = list(rdflib.collection.Collection(graph, graph.value(action, HT.requests)))
    for req in requests:
        status, ctype, body = _send(server, graph, req)
        resp = graph.value(req, HT.resp)
        expected = {str(s).replace(HTS, "") for s in graph.objects(resp, MF.expectedStatus)}
        if update and "2xx" in expected:  # an update the service must refuse: it is read-only
            assert status == 403, (name, status, body)
            return  # the requests after it check the update's effect, which never happened
        codes = {code for code in expected}
        assert f"{status // 100}xx" in codes or str(status) in codes, (name, status, body[:300])
        if status >= 300:
            continue
        fmt = graph.value(resp, MF.expectedFormat)
        if fmt is not None and str(fmt) == "boolean":
            assert "sparql-results" in ctype, (name, ctype)
        if fmt is not None and str(fmt) == "tabular":
            assert ctype.startswith(("application/sparql-results", "text/csv", "text/tab-separated")), ctype
        if fmt is not None and str(fmt) == "RDF":
            assert ctype.startswith(("text/turtle", "application/rdf+xml", "application/n-triples",
                                     "application/ld+json")), ctype
        expected_boolean = graph.value(resp, MF.expectedBoolean)
        if expected_boolean is not None:
            assert _boolean(ctype, body) is expected_boolean.toPython(), name

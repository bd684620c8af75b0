"""`kg serve` over a real socket: SPARQLWrapper and rdflib's SPARQLStore as clients, refusals, limits.

One server (a subprocess of ``python -m kg serve``) answers the whole module, on a free port, over an
Oxigraph store on disk that holds the fixture graph; the module stops it at the end.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
import rdflib
from query_helpers import S_OPANDE_CONDEMN, fixture_store_at, select_rows, start_kg_serve, stop
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

from kg import server as server_module
from kg.namespaces import GRAPH as GRAPH_BASE
from kg.namespaces import ID, PREFIXES
from kg.query import get_saved, saved_queries

pytestmark = pytest.mark.server

TIMEOUT = 3  # the server's per-query limit in this module, seconds
MAX_ROWS = 50
MAX_BYTES = 64 * 1024
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ACTIVE_2005 = get_saved("missions-active-on-date").bind({"date": "2005-06-30"})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(base URL, log path) of a running `kg serve`."""
    tmp = tmp_path_factory.mktemp("serve")
    store = fixture_store_at(tmp / "store")
    log = tmp / "serve.log"
    proc, url = start_kg_serve(store, log, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS),
                               "--max-request-bytes", str(MAX_BYTES), "--workers", "3",
                               "--header-timeout", "2", "--body-timeout", "2")
    yield url, log
    stop(proc)


@pytest.fixture(scope="module")
def endpoint(server):
    return server[0] + "/sparql"


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, Any, bytes]:
    """Status, headers and body, whatever the status."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get_query(endpoint: str, query: str, **params: str) -> tuple[int, Any, bytes]:
    return request(endpoint + "?" + urllib.parse.urlencode({"query": query, **params}))


# ---- clients ------------------------------------------------------------------------------------------


def test_sparqlwrapper_get_json(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(ACTIVE_2005)
    client.setReturnFormat(JSON)
    doc = client.query().convert()
    acronyms = [b["acronym"]["value"] for b in doc["results"]["bindings"]]
    assert acronyms == ["UNAMSIL", "UNMIL", "UNOCI", "UNTSO"]


def test_sparqlwrapper_post_xml_csv_tsv(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(ACTIVE_2005)
    client.setReturnFormat(XML)
    document = client.query().convert()
    values = [n.firstChild.data for n in document.getElementsByTagName("literal")
              if n.parentNode.getAttribute("name") == "acronym"]
    assert values == ["UNAMSIL", "UNMIL", "UNOCI", "UNTSO"]
    client.setReturnFormat(CSV)
    rows = list(csv.DictReader(io.StringIO(client.query().convert().decode("utf-8"))))
    assert [r["acronym"] for r in rows] == ["UNAMSIL", "UNMIL", "UNOCI", "UNTSO"]
    client.setReturnFormat(TSV)
    lines = client.query().convert().decode("utf-8").strip().splitlines()
    assert lines[0].split("\t")[0] == "?acronym" and len(lines) == 5


def test_sparqlwrapper_ask_and_construct(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery('ASK { ?m pk:acronym "UNAMSIL" }')
    assert client.query().convert()["boolean"] is True
    client.setQuery('ASK { ?m pk:acronym "NOPE" }')
    assert client.query().convert()["boolean"] is False
    client.setQuery(get_saved("statement-card").bind({"statement": S_OPANDE_CONDEMN}))
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    statement = rdflib.URIRef(f"{ID}statement/{S_OPANDE_CONDEMN}")
    assert graph.value(statement, rdflib.URIRef(PREFIXES["pk"] + "speechVerb")) == rdflib.Literal("said")


def test_rdflib_sparqlstore_as_a_client(endpoint):
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    rows = list(graph.query(get_saved("top-contributors").bind({"mission": "UNAMSIL", "year": "2003"})))
    assert [(str(r.name), int(r.total)) for r in rows] == [("Bangladesh", 2000), ("Nigeria", 1500),
                                                            ("Kenya", 900), ("Ghana", 800)]
    xml_store = rdflib.Graph(store=SPARQLStore(endpoint))  # rdflib's defaults: XML results, RDF/XML graphs
    assert bool(xml_store.query('ASK { ?m pk:acronym "UNMIL" }'))
    built = xml_store.query(get_saved("statement-card").bind({"statement": S_OPANDE_CONDEMN}))
    assert len(built.graph) > 10


# ---- content negotiation and CORS ---------------------------------------------------------------------


@pytest.mark.parametrize("accept, content_type", [
    ("application/sparql-results+json", "application/sparql-results+json; charset=utf-8"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("text/turtle;q=0.5, text/csv;q=0.9, */*;q=0.1", "text/csv; charset=utf-8"),
    ("*/*", "application/sparql-results+json; charset=utf-8"),
])
def test_select_content_negotiation(endpoint, accept, content_type):
    status, headers, body = request(endpoint + "?" + urllib.parse.urlencode({"query": ACTIVE_2005}),
                                    headers={"Accept": accept})
    assert (status, headers["Content-Type"]) == (200, content_type)
    assert b"UNAMSIL" in body


@pytest.mark.parametrize("accept, content_type, rdflib_format", [
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/n-triples", "application/n-triples; charset=utf-8", "nt"),
    ("application/ld+json", "application/ld+json; charset=utf-8", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/sparql-results+json", "text/turtle; charset=utf-8", "turtle"),
])
def test_construct_content_negotiation(endpoint, accept, content_type, rdflib_format):
    query = get_saved("statement-card").bind({"statement": S_OPANDE_CONDEMN})
    status, headers, body = request(endpoint + "?" + urllib.parse.urlencode({"query": query}),
                                    headers={"Accept": accept})
    assert (status, headers["Content-Type"]) == (200, content_type)
    assert len(rdflib.Graph().parse(data=body, format=rdflib_format)) > 10


def test_format_parameter_overrides_accept(endpoint):
    status, headers, body = get_query(endpoint, ACTIVE_2005, format="csv")
    assert (status, headers["Content-Type"]) == (200, "text/csv; charset=utf-8")
    status, _, body = get_query(endpoint, ACTIVE_2005, format="yaml")
    assert status == 400
    assert body.decode().startswith("unknown format='yaml'; use one of: json, xml, csv, tsv")


def test_cors(endpoint):
    status, headers, _ = request(endpoint, method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST"
    assert headers["Access-Control-Max-Age"] == "600"
    status, headers, body = request(endpoint, method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "Content-Type, X-Secret"})
    assert (status, body) == (400, b"CORS preflight refused (method, headers): /sparql allows the methods "
                                   b"GET, HEAD, POST and the headers Accept, Accept-Language, "
                                   b"Content-Language, Content-Type, from any origin (not from a private "
                                   b"network)\n")
    status, headers, _ = request(endpoint, method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200 and "Content-Type" in headers["Access-Control-Allow-Headers"]
    status, headers, _ = request(endpoint + "?query=ASK%7B%7D", headers={"Origin": "http://example.org"})
    assert (status, headers["Access-Control-Allow-Origin"]) == (200, "*")
    assert headers["Access-Control-Expose-Headers"] == "X-KG-Truncated, X-KG-Row-Limit"
    assert headers["Vary"] == "Accept, Origin"
    status, headers, _ = request(endpoint + "?query=DROP%20ALL", headers={"Origin": "http://example.org"})
    assert (status, headers["Access-Control-Allow-Origin"]) == (403, "*")
    status, headers, _ = request(endpoint + "?query=ASK%7B%7D")  # no Origin: no CORS, but caches are told
    assert "Access-Control-Allow-Origin" not in headers and headers["Vary"] == "Accept, Origin"


# ---- refusals --------------------------------------------------------------------------------------------

READ_ONLY = ("is an update and is refused: the query service is read-only (no INSERT, DELETE, LOAD, CLEAR, "
             "DROP, CREATE, ADD, MOVE or COPY)\n")


@pytest.mark.parametrize("query, message", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT DATA " + READ_ONLY),
    ("LOAD <http://example.org/data.ttl>", "LOAD " + READ_ONLY),
    ("CLEAR ALL", "CLEAR " + READ_ONLY),
    ("DROP ALL", "DROP " + READ_ONLY),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     "SERVICE is refused: the service never queries other endpoints; run the federated part against that "
     "endpoint yourself\n"),
    ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
     "<http://example.org/data.ttl> is not a graph of this store: the service queries its own graphs only "
     "and never fetches a dataset; SELECT DISTINCT ?g WHERE { GRAPH ?g { } } lists them\n"),
])
def test_refused_queries_get_403_before_running(endpoint, query, message):
    for method in ("GET", "POST"):
        if method == "GET":
            status, _, body = get_query(endpoint, query)
        else:
            status, _, body = request(endpoint, data=query.encode(),
                                      headers={"Content-Type": "application/sparql-query"})
        assert (status, body.decode()) == (403, message)


def test_update_requests_get_403(endpoint):
    status, _, body = request(endpoint, data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, body) == (403, b"updates are refused: the service is read-only\n")
    update = {"Content-Type": "application/sparql-update"}
    status, _, body = request(endpoint, data=b"CLEAR ALL", headers=update)
    assert (status, body) == (403, b"updates are refused: the service is read-only\n")
    status, _, body = get_query(endpoint, "ASK { ?s ?p ?o }", **{"default-graph-uri": "http://example.org/g"})
    assert status == 403 and body.startswith(b"<http://example.org/g> is not a graph of this store")
    still_there, _, body = get_query(endpoint, 'ASK { ?m pk:acronym "UNAMSIL" }')
    assert json.loads(body)["boolean"] is True


def test_protocol_graph_parameters_pick_the_stores_graphs(endpoint):
    count = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a pk:PeacekeepingMission }"
    reference, ontology = GRAPH_BASE + "reference", GRAPH_BASE + "ontology"
    assert select_rows(get_query(endpoint, count, **{"default-graph-uri": ontology})[2]) == [{"n": "0"}]
    status, _, body = get_query(endpoint, count, **{"default-graph-uri": reference})
    assert status == 200 and select_rows(body)[0]["n"] != "0"
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    query = urllib.parse.urlencode([("query", named), ("named-graph-uri", reference),
                                    ("named-graph-uri", ontology)])
    status, _, body = request(endpoint + "?" + query)
    assert sorted(r["g"] for r in select_rows(body)) == [ontology, reference]


def test_relative_iris_resolve_against_the_base(endpoint):
    status, _, body = get_query(endpoint, "ASK { <id/mission/UNAMSIL> ?p ?o }")
    assert (status, json.loads(body)["boolean"]) == (200, True)


def test_service_description_at_the_endpoint(endpoint):
    status, headers, body = request(endpoint, headers={"Accept": "text/turtle"})
    assert (status, headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(endpoint)
    assert graph.value(service, sd.endpoint) == service
    assert graph.value(service, sd.supportedLanguage) == sd.SPARQL11Query


def test_construct_as_rdfxml_from_sparqlwrapper(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(get_saved("statement-card").bind({"statement": S_OPANDE_CONDEMN}))
    client.setReturnFormat(XML)
    graph = client.query().convert()  # SPARQLWrapper parses RDF/XML into an rdflib graph
    assert isinstance(graph, rdflib.Graph) and len(graph) > 10


# ---- malformed requests ----------------------------------------------------------------------------------


def test_syntax_errors_and_bad_requests_get_400(endpoint):
    status, _, body = get_query(endpoint, "SELECT ?s WHERE {\n ?s ?p ?o FILTR }")
    assert (status, body.decode()) == (
        400, "SPARQL syntax error at line 2, column 11 near 'FILTR': check the query there\n")
    status, _, body = get_query(endpoint, "SELECT * WHERE { ?s nope:p ?o }")
    assert status == 400 and body.startswith(b"unknown prefix 'nope:'; declare it with PREFIX nope:")
    status, _, body = request(endpoint + "?format=json")
    assert status == 400 and body.startswith(b"no query: pass query=")
    status, _, body = request(endpoint + "?query=%FF%FE")
    assert status == 400 and body.startswith(b"cannot read the request parameters")
    sparql = {"Content-Type": "application/sparql-query"}
    status, _, body = request(endpoint, data=b"SELECT \xff", headers=sparql)
    assert (status, body) == (400, b"the request is not valid UTF-8 (byte 7); send UTF-8\n")
    status, _, body = request(endpoint + "?query=ASK{}&query=ASK{}")
    assert status == 400 and body == b"more than one query= parameter; send one query per request\n"


def test_wrong_method_type_size_and_path(server, endpoint):
    status, headers, body = request(endpoint, data=b"x", method="PUT",
                                    headers={"Content-Type": "text/turtle"})
    assert status == 405 and headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    status, _, body = request(endpoint, data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert (status, body) == (415, b"cannot read a POST body of type 'text/plain'; send "
                                   b"application/sparql-query or a form with query=\n")
    big = b"ASK { ?s ?p ?o } #" + b"x" * MAX_BYTES
    status, _, body = request(endpoint, data=big, headers={"Content-Type": "application/sparql-query"})
    assert (status, body.decode()) == (413, f"the request has {len(big)} bytes, more than the limit of "
                                            f"{MAX_BYTES}; send a shorter query\n")
    status, _, body = request(server[0] + "/nowhere")
    assert (status, body) == (404, b"no page at /nowhere; the endpoint is /sparql and the query page is /\n")


def raw_http(server: str, payload: bytes) -> bytes:
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_garbage_and_missing_length_get_an_answer_not_a_hang(server):
    for garbage in (b"GET /sparql what HTTP/1.1\r\n\r\n", b"BREW /sparql HTTP/1.1\r\n\r\n"):
        answer = raw_http(server[0], garbage)
        assert answer.split(b"\r\n")[0] == b"HTTP/1.1 400 Bad Request"
        assert answer.endswith(b"\r\n\r\nInvalid HTTP request received.")
    answer = raw_http(server[0], b"POST /sparql HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                                 b"Content-Type: application/sparql-query\r\n\r\n")
    assert answer.split(b"\r\n")[0] == b"HTTP/1.1 411 Length Required"
    assert answer.endswith(b"a POST needs a Content-Length header\n")
    assert b"Traceback" not in answer


def test_duplicate_content_length_is_a_400(server):
    answer = raw_http(server[0], b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"Content-Type: application/sparql-query\r\nContent-Length: 6\r\n"
                                 b"Content-Length: 6\r\nConnection: close\r\n\r\nASK {}")
    assert answer.split(b"\r\n")[0] == b"HTTP/1.1 400 Bad Request"


def test_keep_alive_serves_many_requests_on_one_connection(server):
    import http.client

    host, port = urllib.parse.urlsplit(server[0]).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for _ in range(3):
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))
            response = conn.getresponse()
            assert (response.status, response.version) == (200, 11)
            assert json.loads(response.read())["boolean"] is True
        assert conn.sock is not None  # still the first connection
    finally:
        conn.close()


def test_slow_headers_and_slow_bodies_get_408(server):
    host, port = urllib.parse.urlsplit(server[0]).netloc.split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
        answer = b""
        for _ in range(40):  # a header line every half second, for ever
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
            time.sleep(0.5)
            sock.settimeout(0.01)
            try:
                answer += sock.recv(65536)
                if answer:
                    break
            except (TimeoutError, BlockingIOError):
                pass
            sock.settimeout(30)
    assert answer.split(b"\r\n")[0] == b"HTTP/1.1 408 Request Timeout"
    assert answer.endswith(b"the request's headers did not arrive within 2 s; send the whole request at "
                           b"once\n")
    assert time.monotonic() - started < 6
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK")
        answer = sock.recv(65536)
    assert answer.split(b"\r\n")[0] == b"HTTP/1.1 408 Request Timeout"
    assert answer.endswith(b"the request body did not arrive within 2 s; send it with the headers\n")


def test_unknown_host_headers_are_refused(server, endpoint):
    for path in ("/sparql?query=ASK%7B%7D", "/", "/id/mission/UNAMSIL"):  # the endpoint and every page
        status, _, body = request(server[0] + path, headers={"Host": "evil.example"})
        assert status == 400
        assert body.startswith(b"this server does not answer to the Host 'evil.example'; use one of ")
        assert body.endswith(b"or start it with --allow-host NAME\n")
    for host in ("localhost:8000", "LOCALHOST", "[::1]:8000", "127.0.0.1"):
        status, _, _ = request(endpoint + "?query=ASK%7B%7D", headers={"Host": host})
        assert status == 200, host
    status, _, _ = request(endpoint + "?query=ASK%7B%7D", headers={"Host": "localhost.evil.example"})
    assert status == 400


def test_host_allowed_reads_ports_ipv6_and_wildcards():
    allowed = ("127.0.0.1", "localhost", "[::1]", "*.example.org")
    assert server_module.host_allowed("localhost:80", allowed)
    assert server_module.host_allowed("[::1]:8000", allowed)
    assert server_module.host_allowed("kg.example.org", allowed)
    assert not server_module.host_allowed("example.org.evil", allowed)
    assert not server_module.host_allowed("[::2]:8000", allowed)
    assert not server_module.host_allowed("", allowed)


def test_html_pages_carry_csp_and_frame_options_and_no_cors(server):
    for path in ("/", "/id/mission/UNAMSIL"):
        status, headers, _ = request(server[0] + path, headers={"Accept": "text/html", "Origin": "http://x.org"})
        assert status == 200
        policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
        assert policy["default-src"] in ("'none'", "'self'") and policy["frame-ancestors"] == "'none'"
        assert policy.get("script-src", "'self'") == "'self'"  # a page with no script may forbid them all
        assert headers["X-Frame-Options"] == "DENY"
        assert "Access-Control-Allow-Origin" not in headers


def test_query_both_in_url_and_body_is_a_400(endpoint):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = request(endpoint + "?query=ASK%7B%7D", data=b"query=ASK%7B%7D", headers=form)
    assert (status, body) == (400, b"query= is both in the URL and in the body; send it once\n")
    sparql = {"Content-Type": "application/sparql-query"}
    status, _, body = request(endpoint + "?query=ASK%7B%7D", data=b"ASK {}", headers=sparql)
    assert (status, body) == (400, b"query= in the URL and a query in the body; send it once\n")


def test_sparqlwrapper_jsonld_request(endpoint):
    from SPARQLWrapper import JSONLD

    client = SPARQLWrapper(endpoint)
    client.setQuery(get_saved("statement-card").bind({"statement": S_OPANDE_CONDEMN}))
    client.setReturnFormat(JSONLD)
    response = client.query()
    assert response.response.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert len(response.convert()) > 10


# ---- limits ------------------------------------------------------------------------------------------------


def test_slow_query_is_stopped_with_503_and_the_server_keeps_answering(endpoint):
    status, headers, body = get_query(endpoint, SLOW)
    assert (status, body.decode()) == (503, f"the query ran longer than {TIMEOUT} s and was stopped; narrow "
                                            f"it (more specific patterns, LIMIT) or allow more time with "
                                            f"--timeout\n")
    for _ in range(4):  # more queries than workers: the killed worker has been replaced
        status, _, body = get_query(endpoint, 'ASK { ?m pk:acronym "UNAMSIL" }')
        assert status == 200 and json.loads(body)["boolean"] is True


def test_a_fast_query_answers_while_a_slow_one_runs(endpoint):
    slow_result: dict[str, int] = {}
    slow = threading.Thread(target=lambda: slow_result.update(status=get_query(endpoint, SLOW)[0]))
    slow.start()
    time.sleep(0.5)  # let the slow query reach its worker
    status, _, body = get_query(endpoint, ACTIVE_2005)
    assert status == 200 and len(select_rows(body)) == 4
    assert slow.is_alive(), "the fast query was answered only after the slow one ended"
    slow.join(TIMEOUT + 30)
    assert slow_result["status"] == 503


def test_row_limit_cuts_the_answer_and_says_so(endpoint):
    status, headers, body = get_query(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert (headers["X-KG-Truncated"], headers["X-KG-Row-Limit"]) == ("true", str(MAX_ROWS))
    assert len(select_rows(body)) == MAX_ROWS
    status, headers, body = get_query(endpoint, ACTIVE_2005)
    assert "X-KG-Truncated" not in headers


# ---- pages ---------------------------------------------------------------------------------------------


def test_entity_page_html_links_and_escapes(server):
    status, headers, body = request(server[0] + "/id/mission/UNAMSIL", headers={"Accept": "text/html"})
    page = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>United Nations Mission in Sierra Leone</h1>" in page
    assert '<a href="/id/country/SLE">country:SLE <span class=label>Sierra Leone</span></a>' in page
    assert "Referred to by" in page and "/id/statement/" + S_OPANDE_CONDEMN in page
    status, _, body = request(server[0] + "/id/mission/UNTSO")
    page = body.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<b>bold" not in page


def test_entity_page_includes_the_hash_parts_of_a_statement(server):
    status, _, body = request(server[0] + f"/id/statement/{S_OPANDE_CONDEMN}")
    page = body.decode()
    assert status == 200
    assert f"/id/statement/{S_OPANDE_CONDEMN}#position&gt;" in page and ">150<" in page


def test_a_statement_page_reads_like_a_record(server):
    status, headers, body = request(server[0] + f"/id/statement/{S_OPANDE_CONDEMN}")
    page = body.decode()
    assert status == 200 and "script-src" not in headers["Content-Security-Policy"]
    assert "<h1>Daniel Ishmael Opande said, 2003-06-10</h1>" in page
    assert "<blockquote>“We condemn any attack on UNAMSIL peacekeepers,”</blockquote>" in page
    assert ("<p class=sentence>&quot;We condemn any attack on UNAMSIL peacekeepers,&quot; Opande said.</p>"
            in page)
    assert "<title>Daniel Ishmael Opande said, 2003-06-10 · Peacekeeping KG</title>" in page


def test_a_document_page_is_titled_by_the_document_and_lists_its_statements_by_name(server):
    status, _, body = request(server[0] + "/id/document/5e85ab1b9ec63c0b")
    page = body.decode()
    assert status == 200 and "<h1>UNAMSIL press briefing</h1>" in page
    assert "<h3>Statements</h3>" in page
    assert (f'<a href="/id/statement/{S_OPANDE_CONDEMN}">statement:{S_OPANDE_CONDEMN} '
            f'<span class=label>Daniel Ishmael Opande said, 2003-06-10</span></a>') in page


def test_referred_to_by_is_grouped_by_kind_and_paged(server):
    status, _, body = request(server[0] + "/id/mission/UNAMSIL")
    page = body.decode()
    heading = re.search(r"<h2>Referred to by \((\d+): ([^)]*)\)</h2>", page)
    assert heading and "Statements" in heading.group(2)
    kinds = re.findall(r"<h3>([^<]+)</h3>", page)
    assert kinds == sorted(set(kinds), key=kinds.index) and "Statements" in kinds  # one group per kind
    status, _, body = request(server[0] + "/id/mission/UNAMSIL?page=x")
    assert (status, body.decode()) == (400, "page='x' is not a page number; use page=1, 2, …\n")


def test_entity_page_pages_past_its_size():
    from kg import web

    row = {"x": {"type": "uri", "value": ID + "statement/a"}, "props": {"value": PREFIXES["pk"] + "mentions"},
           "kind": {"value": "0" + PREFIXES["pk"] + "Statement"}, "speaker": {"value": "<b>X</b>"},
           "verb_": {"value": "said"}, "date_": {"value": "2001"}}
    fact = {"s": {"type": "uri", "value": ID + "m/M"}, "p": {"type": "uri", "value": PREFIXES["pk"] + "x"},
            "o": {"type": "literal", "value": "v"}}
    rows = {"facts": [fact],
            "incoming": [row], "counts": [{"kind": row["kind"], "n": {"value": "120"}}], "record": [{}]}
    first = web.entity_page(ID + "m/M", rows, 1).body.decode()
    assert "<span>page 1 of 3</span><a href=\"?page=2\" rel=next>next</a>" in first
    assert "&lt;b&gt;X&lt;/b&gt; said, 2001" in first and "<b>X" not in first
    last = web.entity_page(ID + "m/M", rows, 3).body.decode()
    assert "<a href=\"?page=2\" rel=prev>previous</a><span>page 3 of 3</span></nav>" in last


def test_entity_turtle_by_content_negotiation(server):
    status, headers, body = request(server[0] + "/id/mission/UNAMSIL", headers={"Accept": "text/turtle"})
    assert (status, headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    mission = rdflib.URIRef(ID + "mission/UNAMSIL")
    assert graph.value(mission, rdflib.URIRef(PREFIXES["pk"] + "acronym")) == rdflib.Literal("UNAMSIL")
    status, headers, body = request(server[0] + "/id/mission/UNAMSIL?format=jsonld")
    assert headers["Content-Type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=body, format="json-ld")) == len(graph)


def test_resources_also_resolve_under_the_base_path(server):
    status, _, body = request(server[0] + "/peacekeeping-kg/id/country/SLE", headers={"Accept": "text/html"})
    assert status == 200 and "<h1>Sierra Leone</h1>" in body.decode()


def test_unknown_entity_is_404(server):
    status, _, body = request(server[0] + "/id/mission/NOPE")
    assert (status, body.decode()) == (404, f"nothing is known about <{ID}mission/NOPE>\n")
    status, _, body = request(server[0] + "/id/mission/A%22B")
    assert (status, body.decode()) == (400, f"not a resource IRI: '{ID}mission/A\"B'\n")


def test_home_page_is_the_query_page_and_its_assets_are_served(server):
    """The route hook: kg/web.py answers /, /assets/… and /queries/NAME.rq through this server."""
    status, headers, body = request(server[0] + "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert "cdn" not in body.decode().lower()
    status, headers, _ = request(server[0] + "/assets/yasgui-4.6.2.min.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript; charset=utf-8"
    status, _, body = request(server[0] + "/queries/mission-profile.rq?mission=UNTAC")
    assert status == 200 and f"<{ID}mission/UNTAC>" in body.decode()
    status, _, body = request(server[0] + "/queries.json")
    assert [q["name"] for q in json.loads(body)] == list(saved_queries())


def test_binds_loopback_by_default(server):
    _, log = server
    assert "SPARQL endpoint http://127.0.0.1:" in log.read_text()


# ---- prefixed names and canonical IRIs ------------------------------------------------------------------


def test_a_hand_written_query_with_mission_prefixed_names_on_the_endpoint(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"PREFIX mission: <{PREFIXES['mission']}>\n"
                    "SELECT ?name WHERE { mission:UNAMSIL skos:prefLabel ?name }")
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["United Nations Mission in Sierra Leone"]
    client.setQuery("ASK { mission:UNAMSIL pk:hostCountry country:SLE }")  # predeclared
    assert client.queryAndConvert()["boolean"] is True


def _no_follow(url: str, accept: str = "text/html") -> tuple[int, Any, bytes]:
    import http.client

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", target, headers={"Accept": accept})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()  # header names are case-insensitive there
    finally:
        conn.close()


def test_an_acronym_in_another_case_redirects_to_the_canonical_iri(server):
    status, headers, _ = _no_follow(server[0] + "/id/mission/unamsil")
    assert (status, headers["Location"]) == (301, "/id/mission/UNAMSIL")
    status, headers, _ = _no_follow(server[0] + "/id/mission/Unamsil?format=turtle", "text/turtle")
    assert (status, headers["Location"]) == (301, "/id/mission/UNAMSIL?format=turtle")
    status, headers, body = request(server[0] + "/id/mission/unamsil")  # a client that follows it
    assert status == 200 and "<h1>United Nations Mission in Sierra Leone</h1>" in body.decode()
    assert _no_follow(server[0] + "/id/mission/NO-SUCH-MISSION")[0] == 404
    assert _no_follow(server[0] + "/id/country/sle")[1]["Location"] == "/id/country/SLE"

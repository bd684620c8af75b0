"""Portable queries (issue 12): every saved query gives the same rows on three SPARQL engines.

The engines are the embedded store (pyoxigraph in this process), a real `oxigraph serve` and a real
Virtuoso (Debian's virtuoso-opensource-7-bin, the engine behind DBpedia), each started on 127.0.0.1
on free ports over a temp directory and loaded with the same TriG file, one data set at a time: the
committed dump (exports/peacekeeping.trig, every saved query with its default parameters), the dump
with the dev corpus of ../shared ingested (texts included: every saved query has rows there, with
its defaults; skipped when ../shared is absent) and the hand-written fixture graph
(tests/fixtures/query_graph.trig).
Answers are compared row by row after the normalization of tests/answers.py (numbers by value,
language tags and datatypes kept, GROUP_CONCAT items sorted). Nothing is mocked.

Virtuoso is skipped, with the reason, where it is not installed (`make test` installs it with
scripts/install-system-deps.sh); under CI=true a missing Virtuoso fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from answers import XSD, differences, graph_answer, select_answer
from conftest import ROOT, require_corpus, require_program
from query_helpers import FIXTURE, S_OPANDE_CONDEMN, free_port, oxigraph_program, stop, wait_for_port

from kg.config import Settings
from kg.namespaces import GRAPH
from kg.pipeline import ingest
from kg.query import execute, saved_queries
from kg.store import RemoteStore, Store, open_store

pytestmark = pytest.mark.server

#: the data sets the engines are compared on, and the parameters the saved queries get there
#: (a query with no value and no default asks for every value: VALUES ?x { UNDEF })
DUMP = ROOT / "exports" / "peacekeeping.trig"
#: "dev" is the dump with the dev corpus ingested, written out as TriG by the fixture
DATASETS: dict[str, tuple[Path | None, dict[str, dict[str, str]]]] = {
    "dump": (DUMP, {}),
    "dev": (None, {}),
    "fixture": (FIXTURE, {"statement-card": {"statement": S_OPANDE_CONDEMN},
                          "statement-provenance": {"statement": S_OPANDE_CONDEMN},
                          "top-contributors": {"mission": "UNAMSIL", "year": "2003"}}),
}

#: a private Virtuoso: its files in one directory, listening on 127.0.0.1 only, no time limit and
#: no row limit on SPARQL answers (Virtuoso's defaults cut answers silently: an "anytime" answer)
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


@dataclass
class Engines:
    """The stores that answer, by name, and the saved queries' parameters on their data set."""

    stores: dict[str, Store]
    params: dict[str, dict[str, str]]
    #: the embedded store's answers, computed once per query
    expected: dict[str, object] = field(default_factory=dict)


def virtuoso_programs() -> tuple[str, str]:
    """Virtuoso's server and SQL client; skip (fail under CI=true) when Debian's package is missing."""
    return (require_program("virtuoso-t", "Virtuoso, the third engine the saved queries must agree on"),
            require_program("isql-vt", "Virtuoso's SQL client, which loads the dumps into it"))


def isql(program: str, sql_port: int, statements: str, log: Path) -> str:
    """Run SQL statements through Virtuoso's isql-vt; fail with its output when one of them failed."""
    result = subprocess.run([program, f"127.0.0.1:{sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF",
                             f"exec={statements}"], capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    if result.returncode != 0 or "*** Error" in output:
        raise RuntimeError(f"isql-vt failed ({result.returncode}):\n{output}\n{log.read_text()[-2000:]}")
    return output


def start_virtuoso(folder: Path, data: Path) -> tuple[subprocess.Popen, str]:
    """A private Virtuoso over ``folder`` holding ``data`` (TriG: its named graphs are kept).

    The bulk loader (``ld_dir`` + ``rdf_loader_run``) reads the file; a row of ``DB.DBA.load_list``
    with an error fails the test. Returns the process and the SPARQL endpoint's URL.
    """
    server, client = virtuoso_programs()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data, folder / data.name)
    sql_port = free_port()
    http_port = next(port for port in iter(free_port, None) if port != sql_port)
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port,
                                                             http_port=http_port))
    log = folder / "virtuoso.out"
    with log.open("wb") as handle:
        proc = subprocess.Popen([server, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                stdout=handle, stderr=subprocess.STDOUT, cwd=folder)
    try:
        wait_for_port(sql_port, proc, folder / "virtuoso.log", timeout=120)
        wait_for_port(http_port, proc, folder / "virtuoso.log", timeout=120)
        isql(client, sql_port, f"ld_dir('{folder}', '{data.name}', '{GRAPH}unused'); rdf_loader_run();", log)
        errors = isql(client, sql_port, "SELECT ll_file, ll_error FROM DB.DBA.load_list "
                                        "WHERE ll_error IS NOT NULL OR ll_state <> 2;", log)
        if data.name in errors:
            raise RuntimeError(f"Virtuoso's bulk loader failed on {data.name}:\n{errors}")
    except BaseException:
        stop(proc)
        raise
    return proc, f"http://127.0.0.1:{http_port}/sparql"


def start_oxigraph(folder: Path, data: Path) -> tuple[subprocess.Popen, str]:
    """`oxigraph load` the TriG file into ``folder``, then `oxigraph serve` it on a free port."""
    program = oxigraph_program()
    subprocess.run([program, "load", "--location", str(folder), "--file", str(data)], check=True,
                   capture_output=True, timeout=300)
    port = free_port()
    log = folder.parent / "oxigraph.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen([program, "serve-read-only", "--location", str(folder),
                                 "--bind", f"127.0.0.1:{port}"], stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc, log)
    except BaseException:
        stop(proc)
        raise
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module", params=sorted(DATASETS))
def engines(request, tmp_path_factory):
    """The embedded store, `oxigraph serve` and Virtuoso, each holding one data set (stopped after)."""
    data, params = DATASETS[request.param]
    corpus = require_corpus() if data is None else None
    folder = tmp_path_factory.mktemp(f"engines-{request.param}")
    embedded = open_store("memory")
    embedded.load((data or DUMP).read_bytes(), format="trig", graph=GRAPH + "unused")
    if corpus is not None:
        report = ingest(embedded, [corpus], Settings(store="memory"))
        assert report.accepted and not report.rejected
        data = folder / "dev.trig"
        data.write_bytes(embedded.dump("trig"))
    procs = []
    try:
        proc, oxigraph_url = start_oxigraph(folder / "oxigraph", data)
        procs.append(proc)
        stores = {"embedded": embedded, "oxigraph serve": RemoteStore(oxigraph_url, timeout=300)}
        if shutil.which("virtuoso-t") and shutil.which("isql-vt"):  # else its tests skip, with the reason
            proc, virtuoso_url = start_virtuoso(folder / "virtuoso", data)
            procs.append(proc)
            stores["virtuoso"] = RemoteStore(virtuoso_url, timeout=300)
        yield Engines(stores, params)
    finally:
        for proc in reversed(procs):
            stop(proc)
        embedded.close()


def answer(store: Store, name: str, params: dict[str, str]) -> object:
    """A saved query's normalized answer on one store (rows for SELECT, triples for CONSTRUCT)."""
    query = saved_queries()[name]
    result = execute(store, query.bind(params, unbound_ok=True), formats=["json", "ntriples"])
    if result.kind == "graph":
        return sorted(graph_answer(result.data), key=repr)
    return select_answer(result.data, query.text)


@pytest.mark.parametrize("engine", ["oxigraph serve", "virtuoso"])
def test_every_engine_holds_the_same_graphs(engines, engine):
    """Virtuoso keeps its own graphs beside ours; ours hold the same number of triples everywhere."""
    if engine not in engines.stores:
        virtuoso_programs()
    ours = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER(STRSTARTS(STR(?g), '{GRAPH}')) }} GROUP BY ?g")

    def counts(store: Store) -> list[tuple[str, int]]:
        return sorted((str(r["g"]), int(r["n"])) for r in store.query(ours).rows)

    expected = counts(engines.stores["embedded"])
    assert len(expected) >= 3, "the data set loaded fewer graphs than it has"
    assert counts(engines.stores[engine]) == expected


@pytest.mark.parametrize("name", sorted(saved_queries()))
@pytest.mark.parametrize("engine", ["oxigraph serve", "virtuoso"])
def test_saved_query_gives_the_same_rows(engines, engine, name):
    if engine not in engines.stores:
        virtuoso_programs()
    params = engines.params.get(name, {})
    if name not in engines.expected:
        engines.expected[name] = answer(engines.stores["embedded"], name, params)
    expected = engines.expected[name]
    got = answer(engines.stores[engine], name, params)
    if isinstance(expected, tuple):
        assert got[0] == expected[0], f"{name}: other columns on {engine}"
        expected, got = expected[1], got[1]
    assert got == expected, (f"{name} on {engine} differs from the embedded store "
                             f"({len(expected)} rows there, {len(got)} here):\n"
                             + "\n".join(differences(expected, got)))


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_clients_read_every_saved_query_as_a_query(name):
    """SPARQLWrapper guesses a query's form from its text, header comments included (a comment saying
    'drops' made it send a query as a DROP update): every saved query must read as what it is."""
    from SPARQLWrapper import SPARQLWrapper

    query = saved_queries()[name]
    client = SPARQLWrapper("http://127.0.0.1:9/sparql")
    client.setQuery(query.bind({}, unbound_ok=True))
    assert not client.isSparqlUpdateRequest() and client.queryType in ("SELECT", "CONSTRUCT")


# ---- the comparison itself (no server): what counts as the same answer ------------------------------

def _answer(bindings: list[dict[str, dict[str, str]]], text: str = "SELECT * WHERE {}") -> list[tuple]:
    doc = {"head": {"vars": sorted({v for b in bindings for v in b})}, "results": {"bindings": bindings}}
    return select_answer(json.dumps(doc).encode(), text)[1]


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> dict[str, str]:
    term = {"type": "literal", "value": value}
    if datatype:
        term["datatype"] = datatype if ":" in datatype else XSD + datatype
    if lang:
        term["xml:lang"] = lang
    return term


def test_numbers_compare_by_value_within_their_family():
    assert _answer([{"x": _lit("34.9", "decimal")}]) == _answer([{"x": _lit("34.90", "decimal")}])
    assert _answer([{"x": _lit("34", "integer")}]) != _answer([{"x": _lit("34.9", "decimal")}])
    assert _answer([{"x": _lit("7", "int")}]) == _answer([{"x": _lit("7", "integer")}])
    assert _answer([{"x": _lit("1", "integer")}]) != _answer([{"x": _lit("true", "boolean")}])
    assert _answer([{"x": _lit("1", "boolean")}]) == _answer([{"x": _lit("true", "boolean")}])
    assert _answer([{"x": _lit("0.1", "double")}]) == _answer([{"x": _lit("1.0E-1", "double")}])


def test_language_tags_and_datatypes_count():
    assert _answer([{"x": _lit("Haiti", lang="en")}]) != _answer([{"x": _lit("Haiti")}])
    assert _answer([{"x": _lit("Haiti", lang="EN")}]) == _answer([{"x": _lit("Haiti", lang="en")}])
    assert _answer([{"x": _lit("Haiti", "string")}]) == _answer([{"x": _lit("Haiti")}])
    assert _answer([{"x": _lit("2003", "gYear")}]) != _answer([{"x": _lit("2003")}])
    assert _answer([{"x": _lit("")}]) != _answer([{}])


def test_wkt_points_compare_at_single_precision():
    wkt = "http://www.opengis.net/ont/geosparql#wktLiteral"
    ours = [{"x": _lit("POINT(69.53451 36.73605)", wkt)}]
    theirs = [{"x": _lit("POINT(69.534507751465 36.7360496521)",
                         "http://www.openlinksw.com/schemas/virtrdf#Geometry")}]
    assert _answer(ours) == _answer(theirs)
    assert _answer(ours) != _answer([{"x": _lit("POINT(69.5346 36.73605)", wkt)}])


def test_rows_compare_in_order_only_when_the_query_orders_them():
    a, b = [{"x": _lit("a")}], [{"x": _lit("b")}]
    assert _answer(a + b) == _answer(b + a)
    ordered = "SELECT * WHERE {}\nORDER BY ?x"
    assert _answer(a + b, ordered) != _answer(b + a, ordered)
    concat = 'SELECT (GROUP_CONCAT(?y; separator=", ") AS ?x) WHERE {}'
    assert _answer([{"x": _lit("a, b")}], concat) == _answer([{"x": _lit("b, a")}], concat)
    assert _answer([{"x": _lit("a, b")}]) != _answer([{"x": _lit("b, a")}])

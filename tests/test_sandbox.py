"""No query can make the service fetch a URL: workers have no network, and the check sees what runs.

Every probe has a real HTTP listener on 127.0.0.1 that counts the connections it accepts: a test
passes only if nothing connected. The probes hide ``SERVICE`` behind every line terminator that
SPARQL or Oxigraph knows, in comments, strings and IRIs, and are sent to a live `kg serve` over HTTP
and to `kg query`.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import socket
import socketserver
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from query_helpers import fixture_store_at, start_kg_serve, stop

from kg.cli import main
from kg.errors import SandboxUnavailable
from kg.sandbox import isolate_network, network_namespace

pytestmark = pytest.mark.server

#: what the listener answers: a SPARQL JSON result with a marker no real answer holds
MARKER = "fetched-by-the-server"
_BODY = json.dumps({"head": {"vars": ["s"]},
                    "results": {"bindings": [{"s": {"type": "literal", "value": MARKER}}]}}).encode()
_RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
             b"Content-Length: " + str(len(_BODY)).encode() + b"\r\n\r\n" + _BODY)


def _sandbox_works() -> str | None:
    """Why the kernel refuses the sandbox here, or None when it allows it."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(_try_isolate)


def _try_isolate() -> str | None:
    try:
        isolate_network()
    except SandboxUnavailable as e:
        return str(e)
    return None


@pytest.fixture(scope="module")
def sandbox_ok():
    reason = _sandbox_works()
    if reason:
        pytest.skip(f"the kernel refuses network namespaces here: {reason}")


class Listener:
    """An HTTP server on 127.0.0.1 that counts every connection and answers with the marker."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                hits.append(self.client_address)
                self.request.settimeout(2)
                try:
                    self.request.recv(65536)
                except OSError:
                    pass
                self.request.sendall(_RESPONSE)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return fixture_store_at(tmp_path_factory.mktemp("sandbox") / "store")


@pytest.fixture(scope="module")
def server(store, tmp_path_factory, sandbox_ok):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    proc, url = start_kg_serve(store, log, "--timeout", "5", "--workers", "2")
    yield proc, url
    stop(proc)


#: every line terminator SPARQL (CR, LF) or Unicode/Python (VT, FF, NEL, LS, PS) knows, and their escapes
TERMINATORS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\\u000D", "\\u000A"]


def probes(url: str) -> list[tuple[str, str]]:
    """(name, query) pairs that each try to hide a SERVICE call to ``url`` from the check."""
    out = []
    for t in TERMINATORS:
        name = repr(t)
        out += [
            (f"comment {name}", f"SELECT ?s WHERE {{ # x{t} SERVICE <{url}> {{ ?s ?p ?o }} \n}}"),
            (f"comment-at-end {name}", f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} # {t}"),
            (f"string {name}", f'SELECT ?s WHERE {{ BIND("x{t}" AS ?v) SERVICE <{url}> {{ ?s ?p ?o }} }}'),
            (f"long string {name}",
             f'SELECT ?s WHERE {{ BIND("""x{t} SERVICE <{url}> {{ ?s ?p ?o }} """ AS ?v) SERVICE <{url}> '
             f'{{ ?s ?p ?o }} }}'),
            (f"string hiding {name}", f"SELECT ?s WHERE {{ BIND('x{t}' AS ?v) SERVICE <{url}> {{ ?s ?p ?o }} "
                                      f"BIND('y' AS ?w) }}"),
            (f"iri {name}", f"SELECT ?s WHERE {{ ?s ?p <http://x/{t}> . SERVICE <{url}> {{ ?s ?p ?o }} }}"),
            (f"service iri {name}", f"SELECT ?s WHERE {{ SERVICE <{url}{t}> {{ ?s ?p ?o }} }}"),
        ]
    return out


#: the issue's probe: a carriage return inside a comment hid SERVICE from rdflib but not from Oxigraph
ISSUE_PROBE = "SELECT ?s WHERE {{ # x\r SERVICE <{url}> {{ ?s ?p ?o }} \n }}"
SERVICE_REFUSED = ("SERVICE is refused: the service never queries other endpoints; run the federated part "
                   "against that endpoint yourself\n")


def _get(base: str, query: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_the_issue_probe_is_refused_and_fetches_nothing(server, listener):
    before = len(listener.hits)
    status, body = _get(server[1], ISSUE_PROBE.format(url=listener.url))
    assert (status, body.decode()) == (403, SERVICE_REFUSED)
    assert len(listener.hits) == before


def test_every_terminator_probe_over_http_fetches_nothing(server, listener):
    answers = {}
    for name, query in probes(listener.url):
        status, body = _get(server[1], query)
        answers[name] = status
        assert MARKER.encode() not in body, name
        assert status in (200, 400, 403), (name, status, body)  # 200: the SERVICE sat in a comment for both
    assert listener.hits == [], f"the server connected to the listener: {answers}"
    # where the terminator ends a comment in SPARQL, the check sees the SERVICE and says so
    for t in ("\r", "\n", "\r\n"):
        assert answers[f"comment {t!r}"] == 403


def test_every_terminator_probe_through_kg_query_fetches_nothing(store, listener, sandbox_ok):
    runner = CliRunner()
    for name, query in probes(listener.url):
        result = runner.invoke(main, ["query", "--store", store, "--format", "json", query])
        assert result.exit_code in (0, 1), (name, result.output)
        assert MARKER not in result.output, name
    assert listener.hits == []


def _isolated_service_call(url: str) -> tuple[str, list[str], str]:
    """In a fresh process: leave the network, then connect() and run SERVICE on the engine itself."""
    isolate_network()
    try:
        socket.create_connection(("127.0.0.1", int(urllib.parse.urlsplit(url).port)), timeout=5).close()
        connect = "connected"
    except OSError as e:
        connect = errno.errorcode.get(e.errno, str(e.errno))
    interfaces = [name for _, name in socket.if_nameindex()]
    import pyoxigraph

    try:
        rows = list(pyoxigraph.Store().query(f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        engine = f"answered {rows}"
    except OSError as e:
        engine = f"failed: {e}"
    return connect, interfaces, engine


def _plain_service_call(url: str) -> str:
    import pyoxigraph

    rows = list(pyoxigraph.Store().query(f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    return str(rows[0]["s"].value)


def test_an_isolated_process_has_no_network_even_for_the_engine(listener, sandbox_ok):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        connect, interfaces, engine = pool.apply(_isolated_service_call, (listener.url,))
    assert connect == "ENETUNREACH"
    assert interfaces == ["lo"]
    assert engine.startswith("failed:") and MARKER not in engine
    assert listener.hits == []
    # the same SERVICE call from a process with the network does reach the listener: the probe can fail
    with ctx.Pool(1) as pool:
        assert pool.apply(_plain_service_call, (listener.url,)) == MARKER
    assert len(listener.hits) == 1
    listener.hits.clear()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _namespace_of_worker(pid: int) -> str | None:
    """The network namespace of a query worker, None for another process or one that has ended."""
    try:
        if b"spawn_main" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return None
        return network_namespace(pid)
    except OSError:
        return None


def test_the_servers_query_workers_are_in_their_own_network_namespace(server):
    proc, url = server
    assert _get(url, "ASK {}")[0] == 200
    workers = [pid for pid in _children(proc.pid)
               if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert workers, "no worker processes found under the server"
    own = network_namespace(proc.pid)
    assert own == network_namespace(os.getpid())
    # a worker enters its namespace once its interpreter is up, before it opens the store or takes a
    # query; one the pool is starting in the background (a spare) may not be there yet: give it time
    deadline = time.monotonic() + 60
    while True:
        shared = [pid for pid in _children(proc.pid) if _namespace_of_worker(pid) == own]
        if not shared or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert shared == [], "workers still in the server's network namespace after 60 s"

"""`kg serve` under load: memory caps, long queries kept off the cheap ones' workers, admission control.

Each test starts its own real server (a subprocess on 127.0.0.1) with the limits it exercises.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from query_helpers import ROOT, fixture_store_at, start_kg_serve, stop

from kg.query import BYTES_PER_QUAD, choose_worker_store
from kg.store import open_store

pytestmark = pytest.mark.server

#: a cartesian product of the fixture graph, four ways: runs for minutes
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: the issue's memory-hungry query: sorts the square of the graph
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 5"


def get(base: str, query: str, timeout: float = 60) -> tuple[int, Any, str]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    return fixture_store_at(tmp_path_factory.mktemp("limits") / "store")


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory):
    """The bundled graph (exports/peacekeeping.trig, the committed dump with its named graphs): big
    enough for a cartesian product to hurt."""
    import pyoxigraph

    location = str(tmp_path_factory.mktemp("bundled") / "store")
    with open_store(location) as store:
        store.native.bulk_load(path=str(ROOT / "exports" / "peacekeeping.trig"),
                               format=pyoxigraph.RdfFormat.TRIG)
    return location


def serve(store: str, tmp_path, *args: str):
    return start_kg_serve(store, tmp_path / "serve.log", *args)


def in_background(base: str, query: str, results: list) -> threading.Thread:
    thread = threading.Thread(target=lambda: results.append(get(base, query)), daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("worker_store", ["memory", "disk"])
def test_a_query_over_the_memory_cap_is_stopped_with_503(bundled_store, tmp_path, worker_store):
    # in memory the cap is what a query may add to the graph the worker holds, so it bites the same way
    proc, base = serve(bundled_store, tmp_path, "--worker-memory", "400", "--timeout", "60",
                       "--worker-store", worker_store)
    try:
        started = time.monotonic()
        status, headers, body = get(base, HUNGRY)
        assert (status, body) == (503, "the query needed more than 400 MB of memory and was stopped; narrow "
                                       "it (more specific patterns, LIMIT, no ORDER BY over a large product) "
                                       "or allow more with --worker-memory\n")
        assert headers["Retry-After"] == "2"
        assert time.monotonic() - started < 30
        status, _, body = get(base, "ASK { ?s ?p ?o }")
        assert (status, json.loads(body)["boolean"]) == (200, True)
    finally:
        stop(proc)


def test_ask_answers_within_a_second_while_four_heavy_queries_run(fixture_store, tmp_path):
    proc, base = serve(fixture_store, tmp_path, "--workers", "4", "--slow-workers", "4", "--timeout", "8")
    try:
        results: list = []
        heavy = [in_background(base, HEAVY, results) for _ in range(4)]
        time.sleep(2)  # all four are running, past --slow-after
        for _ in range(5):
            started = time.monotonic()
            status, _, body = get(base, "ASK {}")
            elapsed = time.monotonic() - started
            assert (status, json.loads(body)["boolean"]) == (200, True)
            assert elapsed < 1.0, f"ASK took {elapsed:.2f} s with four heavy queries running"
        assert all(t.is_alive() for t in heavy) and results == [], "the heavy queries should still run"
        # a fifth long query keeps a fresh slot (no slow one is free) and ASK still answers at once
        fifth = in_background(base, HEAVY, results)
        time.sleep(1.5)
        started = time.monotonic()
        assert get(base, "ASK {}")[0] == 200 and time.monotonic() - started < 1.0
        assert all(t.is_alive() for t in heavy) and fifth.is_alive()
        heavy.append(fifth)
        for t in heavy:
            t.join(30)
        assert [r[0] for r in results] == [503] * 5
        assert all(r[2].startswith("the query ran longer than 8 s") for r in results)
    finally:
        stop(proc)


def test_admission_control_answers_503_with_retry_after_instead_of_queueing(fixture_store, tmp_path):
    proc, base = serve(fixture_store, tmp_path, "--workers", "1", "--slow-after", "30", "--timeout", "6",
                       "--queue-wait", "0.5", "--max-waiting", "1")
    try:
        results: list = []
        heavy = in_background(base, HEAVY, results)
        time.sleep(1)
        waiting = in_background(base, "ASK {}", results)  # waits its 0.5 s, then 503
        time.sleep(0.1)
        started = time.monotonic()
        status, headers, body = get(base, "ASK {}")  # the one waiting place is taken: 503 at once
        assert time.monotonic() - started < 0.4
        assert (status, headers["Retry-After"]) == (503, "2")
        assert body.startswith("the server is busy: 1 queries are running and 1 are waiting; try again")
        waiting.join(5)
        assert results and results[0][0] == 503 and results[0][2].startswith("the server is busy")
        heavy.join(30)
        status, _, body = get(base, "ASK {}")
        assert (status, json.loads(body)["boolean"]) == (200, True)
    finally:
        stop(proc)


def test_a_long_query_past_every_slot_is_stopped_with_503(fixture_store, tmp_path):
    proc, base = serve(fixture_store, tmp_path, "--workers", "1", "--slow-workers", "1", "--timeout", "8")
    try:
        results: list = []
        first = in_background(base, HEAVY, results)
        time.sleep(1.5)  # the first holds the one slow slot
        status, headers, body = get(base, HEAVY)  # holds the one fresh slot, computes: stopped
        assert (status, headers["Retry-After"]) == (503, "2")
        assert body.startswith("the server is already running 1 long queries; this one was stopped after "
                               "0.5 s of work")
        assert first.is_alive()
        first.join(30)
        assert results[0][0] == 503 and results[0][2].startswith("the query ran longer than 8 s")
    finally:
        stop(proc)


def get_from(source: str, base: str, query: str, timeout: float = 60,
             headers: dict[str, str] | None = None) -> tuple[int, Any, str]:
    """GET a query over a connection bound to the loopback address ``source``: another client."""
    import http.client

    netloc = urllib.parse.urlsplit(base).netloc
    host, port = netloc.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    try:
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        conn.close()


def test_one_client_past_its_bound_gets_503_while_another_is_served(fixture_store, tmp_path):
    proc, base = serve(fixture_store, tmp_path, "--workers", "2", "--slow-workers", "2", "--timeout", "8",
                       "--client-limit", "2")
    try:
        results: list = []
        heavy = [threading.Thread(target=lambda: results.append(get_from("127.0.0.1", base, HEAVY)),
                                  daemon=True) for _ in range(2)]
        for t in heavy:
            t.start()
        time.sleep(1.5)  # both are in progress: 127.0.0.1 is at its bound
        started = time.monotonic()
        status, headers, body = get_from("127.0.0.1", base, "ASK {}")
        assert time.monotonic() - started < 1.0
        assert (status, headers["Retry-After"]) == (503, "2")
        assert body == ("this client (127.0.0.1) already has 2 requests in progress, the most one client may "
                        "have (--client-limit 2); wait for their answers or try again in a few seconds\n")
        status, _, body = get_from("127.0.0.2", base, "ASK {}")  # another client is served
        assert (status, json.loads(body)["boolean"]) == (200, True)
        # a proxy on this machine names the client it forwards for: that client is another one
        status, _, body = get_from("127.0.0.1", base, "ASK {}", headers={"X-Forwarded-For": "203.0.113.9"})
        assert (status, json.loads(body)["boolean"]) == (200, True)
        # the header counts from the loopback proxy only: 127.0.0.2 cannot pass for another client
        status, _, body = get_from("127.0.0.2", base, "ASK {}", headers={"X-Forwarded-For": "127.0.0.1"})
        assert status == 200  # 127.0.0.2 has nothing in progress; were the header read, this were a 503
        assert all(t.is_alive() for t in heavy) and results == []
        for t in heavy:
            t.join(30)
        assert [r[0] for r in results] == [503, 503]  # past --timeout
        status, _, body = get_from("127.0.0.1", base, "ASK {}")  # its requests are done: served again
        assert (status, json.loads(body)["boolean"]) == (200, True)
    finally:
        stop(proc)


GB = 2**30


@pytest.mark.parametrize(("setting", "quads", "processes", "available", "memory"), [
    ("auto", 300_000, 8, 4 * GB, True),           # 8 x 114 MB in 2 GB: fits
    ("auto", 300_000, 8, 1 * GB, False),          # 8 x 114 MB > 512 MB
    ("auto", 10_000_000, 4, 16 * GB, False),      # 4 x 3.7 GB > 8 GB
    ("auto", 300_000, 8, None, False),            # memory unknown: stay on disk
    ("memory", 10_000_000, 4, 1 * GB, True),      # the operator insists
    ("disk", 1, 1, 64 * GB, False),
])
def test_workers_hold_the_graph_in_memory_only_when_every_copy_fits(setting, quads, processes, available,
                                                                   memory):
    chosen, note = choose_worker_store(setting, quads, processes, available)
    assert chosen is memory
    expected = "workers hold the graph in memory" if memory else "workers read the graph from disk"
    assert note.startswith(expected)


def test_auto_worker_store_boundary_is_half_the_available_memory():
    processes, quads = 4, 1_000_000
    needed = processes * quads * BYTES_PER_QUAD
    assert choose_worker_store("auto", quads, processes, 2 * needed)[0] is True
    assert choose_worker_store("auto", quads, processes, 2 * needed - 2)[0] is False


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (the server's workers and multiprocessing's tracker)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.add(int(entry.name))
            except (OSError, ValueError):
                pass
    return out


def test_queries_one_after_another_reuse_the_started_workers(fixture_store, tmp_path):
    proc, base = serve(fixture_store, tmp_path, "--workers", "2", "--slow-workers", "2")
    try:
        deadline = time.monotonic() + 60
        # 4 workers, the shared worker, multiprocessing's tracker
        while len(_children(proc.pid)) < 6 and time.monotonic() < deadline:
            time.sleep(0.2)
        before = _children(proc.pid)
        assert len(before) == 6
        for n in range(60):
            status, _, body = get(base, f"ASK {{ ?s ?p {n} }}")
            assert status == 200, body
        assert _children(proc.pid) == before  # no worker was retired and replaced
    finally:
        stop(proc)

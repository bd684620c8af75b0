"""`kg serve` over time: it answers from the generation that is live now, and a busy port is one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from query_helpers import ROOT, fixture_store_at, start_kg_serve, stop

from kg.store import OxigraphStore, live_generation, new_generation_path, publish_generation

pytestmark = pytest.mark.server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
MARK = 'ASK { <http://example.org/new> <http://example.org/p> "in the new generation" }'


def answer(base: str, query: str) -> dict:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.mark.parametrize("worker_store", ["memory", "disk"])
def test_the_next_request_after_a_publish_sees_the_new_generation(tmp_path, monkeypatch, worker_store):
    location = fixture_store_at(tmp_path / "store")
    first = live_generation(location)
    temporary = tmp_path / "tmp"  # where a memory server's snapshot of the generation lives, unnamed
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    proc, base = start_kg_serve(location, tmp_path / "serve.log", "--workers", "2",
                                "--worker-store", worker_store)
    try:
        before = int(answer(base, COUNT)["results"]["bindings"][0]["n"]["value"])
        assert answer(base, MARK)["boolean"] is False
        generation = new_generation_path(location)
        store = OxigraphStore(generation, location=location)
        store.load(b'<http://example.org/new> <http://example.org/p> "in the new generation" .\n',
                   format="ntriples", graph="http://example.org/g")
        store.flush()
        store.close()
        assert answer(base, MARK)["boolean"] is False  # built, not yet published: never seen
        publish_generation(location, generation)
        assert live_generation(location) != first
        assert answer(base, MARK)["boolean"] is True
        assert int(answer(base, COUNT)["results"]["bindings"][0]["n"]["value"]) == 1
        assert before > 1
        log = (tmp_path / "serve.log").read_text()
        if worker_store == "memory":
            assert "workers hold the graph in memory" in log
            snapshots = [os.readlink(f) for f in Path(f"/proc/{proc.pid}/fd").iterdir()
                         if os.readlink(f).startswith(str(temporary))]
            assert len(snapshots) == 1 and snapshots[0].endswith(" (deleted)")  # one generation's, no name
        else:
            assert "workers read the graph from disk (--worker-store disk)" in log
        assert list(temporary.iterdir()) == []  # nothing to clean up, however the server ends
    finally:
        stop(proc)


def test_a_busy_port_is_one_line_and_exit_2(tmp_path):
    location = fixture_store_at(tmp_path / "store")
    proc, base = start_kg_serve(location, tmp_path / "serve.log", "--workers", "1")
    try:
        port = urllib.parse.urlsplit(base).port
        done = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", location, "--port", str(port)],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert done.returncode == 2
        assert done.stderr == (f"Error: port {port} on 127.0.0.1 is already in use (another `kg serve`?); "
                               f"stop that server or pick another --port\n")
    finally:
        stop(proc)

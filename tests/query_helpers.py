"""Helpers shared by the query, server and remote-store tests: the fixture graph and real subprocesses."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from kg.namespaces import GRAPH
from kg.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "query_graph.trig"
#: statement keys in the fixture graph (document key, start, end)
S_LACROIX_SAID = "eb9ea5ae29db0b8c-113-230"
S_LACROIX_URGED = "eb9ea5ae29db0b8c-231-304"
S_ADENIJI = "5e85ab1b9ec63c0b-0-65"
S_OPANDE_WARNED = "5e85ab1b9ec63c0b-66-149"
S_OPANDE_CONDEMN = "5e85ab1b9ec63c0b-150-211"
S_OPANDE_2010 = "889bada6b3a8b76d-0-70"
S_KHARE = "889bada6b3a8b76d-71-119"


def load_fixture(store: Store) -> Store:
    """Load the fixture TriG (its quads keep their named graphs) into a store and return it."""
    store.load(FIXTURE.read_bytes(), format="trig", graph=GRAPH + "unused")
    store.flush()
    return store


def fixture_store_at(path: Path) -> str:
    """An Oxigraph store on disk holding the fixture graph, closed again; returns its location."""
    with open_store(str(path)) as store:
        load_fixture(store)
    return str(path)


def select_rows(data: bytes) -> list[dict[str, str]]:
    """SPARQL JSON results -> rows of plain strings (unbound variables absent)."""
    doc = json.loads(data)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def oxigraph_program() -> str:
    """The `oxigraph` server of the venv (pip package `oxigraph`); skip when missing, fail under CI=true."""
    import shutil

    import pytest
    from conftest import IN_CI

    found = Path(sys.executable).with_name("oxigraph")
    if found.exists():
        return str(found)
    path = shutil.which("oxigraph")
    if path:
        return path
    message = "the oxigraph server is not installed; `pip install -e '.[test]'` installs it"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(probe: Callable[[], object], proc: subprocess.Popen, log: Path, timeout: float, what: str) -> None:
    """Call ``probe`` until it raises no OSError; fail with the log if the process died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            probe()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} after {timeout} s:\n{_tail(log)}")


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Wait until something accepts connections on 127.0.0.1:port; fail with the log if the process died."""
    def connect() -> None:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()

    _wait(connect, proc, log, timeout, f"nothing listens on port {port}")


def start_kg_serve(store: str, log: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """Start `kg serve` as a real subprocess on a free port; returns the process and its base URL."""
    port = free_port()
    handle = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", store, "--port", str(port), *args],
        stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    handle.close()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", proc, log)
    except BaseException:
        stop(proc)
        raise
    return proc, f"http://127.0.0.1:{port}"


def wait_for_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Wait until ``url`` gives any HTTP answer (an error status counts); fail with the log otherwise."""
    def fetch() -> None:
        try:
            urllib.request.urlopen(url, timeout=2).close()
        except urllib.error.HTTPError:
            pass  # the server answered

    _wait(fetch, proc, log, timeout, f"{url} does not answer")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started (SIGTERM, then SIGKILL); its worker processes die with their pipes."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]

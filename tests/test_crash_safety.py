"""Crash safety (issue 10): `kg build` and `kg ingest` really killed (SIGKILL) at several points leave
the previous complete graph live and answering, `kg info` tells the truth, the next write removes what
the killed one left, and a store that never finished is reported as incomplete (exit 1)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_ingest import TEXT_A, write_folder

from kg.cli import main
from kg.files import atomic_output
from kg.store import generations, live_generation, open_store

ROOT = Path(__file__).resolve().parent.parent


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


def statements(location: str) -> int:
    with open_store(location, read_only=True) as store:
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/peacekeeping-kg/ontology#Statement> }"
        return int(store.query(q).column("n")[0])


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A built store home with two documents ingested (two generations)."""
    base = tmp_path_factory.mktemp("crash")
    location = base / "store"
    assert kg("build", "--store", str(location), "--no-exports").exit_code == 0
    assert kg("ingest", str(write_folder(base / "corpus")), "--store", str(location)).exit_code == 0
    return location


def kill_when(args: list[str], trigger: str | float, env: dict[str, str] | None = None) -> str:
    """Run `kg ARGS` in a subprocess and SIGKILL it when a progress line contains ``trigger``, or after
    ``trigger`` seconds; returns the stderr it had written. Fails if it finished first."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", *args], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, **(env or {})}, text=True)
    seen = []
    try:
        if isinstance(trigger, float):
            time.sleep(trigger)
        else:
            for line in proc.stderr:
                seen.append(line)
                if trigger in line:
                    break
        assert proc.poll() is None, f"kg {' '.join(args)} finished before the kill: {''.join(seen)}"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return "".join(seen)


#: where the builds are killed: seconds after the start, or the progress line that triggers the kill
KILL_POINTS = [
    0.8,  # while the process starts and reads the live store
    "loading the reference data",
    "re-extracting 2 ingested documents",
    "validating against ontology/shapes.ttl",
]


def test_a_build_killed_at_any_point_leaves_the_old_graph_live(home, tmp_path):
    location = str(tmp_path / "store")
    shutil.copytree(home, location, symlinks=True)
    live, before = live_generation(location), statements(location)
    for trigger in KILL_POINTS:  # each killed build also removes what the previous killed one left
        kill_when(["build", "--store", location, "--no-exports"], trigger)
        assert live_generation(location) == live, trigger
        assert statements(location) == before, trigger  # the old graph still answers
        left = [p.name for p in generations(location) if p.name > live]
        assert len(left) <= 1, (trigger, left)
        info = kg("info", "--store", location)
        assert info.exit_code == 0, info.output
        assert f"store: {location} (Oxigraph on disk) generation {live}" in info.stdout.splitlines()
        assert f"documents: 3 ({before} statements)" in info.stdout.splitlines()
        notes = [line for line in info.stdout.splitlines() if line.startswith("note: ")]
        assert notes == [f"note: {name} was left by an interrupted write; the next `kg build`, `kg ingest` "
                         f"or `kg withdraw` removes it" for name in left], trigger
    assert kg("validate", "--store", location).exit_code == 0
    rebuilt = kg("build", "--store", location, "--no-exports")  # the next writer cleans up and succeeds
    assert rebuilt.exit_code == 0, rebuilt.output
    for name in left:
        assert f"removed {name}, left by an interrupted write" in rebuilt.stderr
    assert statements(location) == before
    assert [p.name for p in generations(location)] == [live, live_generation(location)]


def test_a_build_killed_while_writing_exports_has_switched_and_the_next_write_cleans_up(home, tmp_path):
    location = str(tmp_path / "store")
    shutil.copytree(home, location, symlinks=True)
    exports = tmp_path / "exports"
    before = statements(location)
    kill_when(["build", "--store", location], "wrote ", env={"KG_EXPORTS_DIR": str(exports)})
    assert statements(location) == before
    assert kg("info", "--store", location).exit_code == 0
    result = CliRunner().invoke(main, ["export", "--all", "--store", location],
                                env={"KG_EXPORTS_DIR": str(exports)})
    assert result.exit_code == 0, result.output
    assert [p.name for p in exports.rglob(".*.tmp")] == []
    assert (exports / "peacekeeping.nq").stat().st_size > 0 and (exports / "html" / "index.html").exists()


def test_an_ingest_killed_leaves_the_old_graph_live(home, tmp_path):
    location = str(tmp_path / "store")
    shutil.copytree(home, location, symlinks=True)
    live, before = live_generation(location), statements(location)
    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(json.dumps({"text": TEXT_A.replace("Tuesday", f"Tuesday ({n})")}) + "\n"
                              for n in range(2000)), encoding="utf-8")
    kill_when(["ingest", str(corpus), "--store", location], 2.5)
    assert live_generation(location) == live and statements(location) == before
    assert kg("info", "--store", location).exit_code == 0


def test_a_store_that_never_finished_is_reported_incomplete(tmp_path):
    location = str(tmp_path / "store")
    with open_store(location) as store:  # what a killed write of an older kg left live: a partial graph
        store.load(b"<urn:a> <urn:b> <urn:c> .\n", graph="urn:g")
    info = kg("info", "--store", location)
    assert info.exit_code == 1
    assert info.stderr == (f"Error: the store at {location} is incomplete: it was left by a write that did "
                           f"not finish (it has no document registry); run `kg build` to rebuild it\n")
    assert "incomplete: it holds no ontology graph; run `kg build`" in info.stdout.splitlines()
    validate = kg("validate", "--store", location)
    assert validate.exit_code == 1 and validate.stderr == info.stderr
    assert kg("build", "--store", location, "--no-exports").exit_code == 0
    assert kg("info", "--store", location).exit_code == 0


def test_the_next_write_of_a_file_removes_what_killed_writes_left(tmp_path):
    target = tmp_path / "peacekeeping.nt"
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = [tmp_path / f".peacekeeping.nt.{dead.pid}.abc123.tmp", tmp_path / ".peacekeeping.nt.k2j4h5.tmp"]
    running = tmp_path / f".peacekeeping.nt.{os.getpid()}.zzz.tmp"  # a writer still at work
    other = tmp_path / f".void.ttl.{dead.pid}.abc.tmp"  # another file's: its own next write removes it
    for path in [*stale, running, other]:
        path.write_bytes(b"half")
    with atomic_output(target) as out:
        out.write(b"whole\n")
    assert target.read_bytes() == b"whole\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, running.name, other.name])

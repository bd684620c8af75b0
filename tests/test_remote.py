"""The remote store: `kg push` into a real `oxigraph serve`; saved queries answer as on the embedded store.

The Oxigraph server (pip package `oxigraph`, .venv/bin/oxigraph) is started on a free port over a temp
directory and stopped by the tests; nothing here is mocked.
"""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from query_helpers import (
    S_OPANDE_CONDEMN,
    fixture_store_at,
    free_port,
    oxigraph_program,
    select_rows,
    stop,
    wait_for_port,
)

from kg.cli import main
from kg.namespaces import GRAPH_REFERENCE
from kg.query import execute, run_query, saved_queries
from kg.store import RemoteStore, open_store

pytestmark = pytest.mark.server


@pytest.fixture
def oxigraph(tmp_path):
    """URL of a fresh, empty `oxigraph serve` on a free port (stopped after the test)."""
    port = free_port()
    log = tmp_path / "oxigraph.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen([oxigraph_program(), "serve", "--location", str(tmp_path / "remote"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory):
    return fixture_store_at(tmp_path_factory.mktemp("remote") / "store")


def normalized(rows: list[dict[str, str]]) -> list[tuple]:
    """Rows as sorted tuples, with GROUP_CONCAT lists sorted (their order is the engine's choice)."""
    def cell(value: str) -> str:
        for sep in ("; ", ", "):
            if sep in value:
                return sep.join(sorted(value.split(sep)))
        return value
    return sorted(tuple(sorted((k, cell(v)) for k, v in r.items())) for r in rows)


def answers(store, params: dict[str, dict[str, str]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, q in saved_queries().items():
        text = q.bind(params.get(name, {}), unbound_ok=True)
        answer = execute(store, text, formats=["json", "ntriples"])
        if answer.kind == "graph":
            out[name] = sorted(answer.data.decode().splitlines())
        else:
            out[name] = normalized(select_rows(answer.data))
    return out


FIXTURE_PARAMS = {"statement-card": {"statement": S_OPANDE_CONDEMN},
                  "statement-provenance": {"statement": S_OPANDE_CONDEMN},
                  "top-contributors": {"mission": "UNAMSIL", "year": "2003"}}


def test_push_then_same_answers_as_the_embedded_store(oxigraph, fixture_dir):
    result = CliRunner().invoke(main, ["push", "--store", oxigraph, "--from", fixture_dir])
    assert result.exit_code == 0, result.output
    with open_store(fixture_dir, read_only=True) as local:
        graphs = local.named_graphs()
        total = local.count()
        expected = answers(local, FIXTURE_PARAMS)
    summary = f"pushed {len(graphs)} named graphs ({total} triples) to {oxigraph}"
    assert result.output.splitlines()[-1] == summary
    remote = RemoteStore(oxigraph)
    assert remote.named_graphs() == graphs
    assert remote.count() == total
    got = answers(remote, FIXTURE_PARAMS)
    assert got == expected
    # every question has an answer here, except the one about organisations' statements: every speaker
    # of the hand-written fixture is a person (tests/test_speakers.py answers that query on a real text)
    empty = {name for name, rows in got.items() if not rows}
    assert len(got) == len(saved_queries()) and empty == {"statements-by-organisations-about-country"}


def test_push_twice_replaces_graphs_instead_of_doubling_them(oxigraph, fixture_dir):
    for _ in range(2):
        assert CliRunner().invoke(main, ["push", "--store", oxigraph, "--from", fixture_dir]).exit_code == 0
    with open_store(fixture_dir, read_only=True) as local:
        total = local.count()
        reference = local.count(GRAPH_REFERENCE)
    remote = RemoteStore(oxigraph)
    assert (remote.count(), remote.count(GRAPH_REFERENCE)) == (total, reference)


def test_cli_query_and_time_limit_against_the_remote_store(oxigraph, fixture_dir):
    runner = CliRunner()
    assert runner.invoke(main, ["push", "--store", oxigraph, "--from", fixture_dir]).exit_code == 0
    result = runner.invoke(main, ["query", "--store", oxigraph, "--saved", "mission-succession",
                                  "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert [line.split(",")[0] for line in result.output.splitlines()] == ["acronym", "UNOMSIL", "UNAMSIL",
                                                                           "UNIOSIL"]
    refused = runner.invoke(main, ["query", "--store", oxigraph, "LOAD <http://example.org/x>"])
    assert refused.exit_code == 1 and refused.output.startswith("Error: LOAD is an update and is refused")
    answer = run_query(oxigraph, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=7, timeout=30)
    assert answer.truncated and len(select_rows(answer.data)) == 7


def test_push_needs_a_url_and_a_reachable_server(tmp_path, fixture_dir):
    runner = CliRunner()
    result = runner.invoke(main, ["push", "--store", str(tmp_path / "x"), "--from", fixture_dir])
    assert (result.exit_code, result.output) == (
        2, f"Error: kg push needs --store URL, a SPARQL endpoint with the Graph Store Protocol (e.g. "
           f"http://127.0.0.1:7878); got {str(tmp_path / 'x')!r}\n")
    url = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(main, ["push", "--store", url, "--from", fixture_dir])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(f"Error: cannot reach the SPARQL endpoint {url} (")


def test_bundled_graph_answers_the_same_remotely(oxigraph, built_store):
    target = RemoteStore(oxigraph)
    from kg.pipeline import push

    summary = push(built_store, target)
    assert summary.graphs == len(built_store.named_graphs())
    assert answers(target, {}) == answers(built_store, {})


def test_a_failing_graph_store_request_names_its_url_and_the_setting(oxigraph, fixture_dir, monkeypatch):
    """A server whose Graph Store Protocol is not at /store: the error says where the request went."""
    wrong = oxigraph + "/nowhere"
    monkeypatch.setenv("KG_REMOTE_GSP_URL", wrong)
    result = CliRunner().invoke(main, ["push", "--from", fixture_dir, "--store", oxigraph])
    assert result.exit_code == 2
    message = result.output.strip().splitlines()[-1]
    assert message.split(" answered 4")[0] in (f"Error: PUT {wrong}", f"Error: POST {wrong}")
    assert message.endswith("; if the server's Graph Store Protocol is elsewhere, set KG_REMOTE_GSP_URL")

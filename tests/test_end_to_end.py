"""The Bar of issue 10, end to end over a real socket: ingest the dev corpus, `kg build`, the documents and
statements are still there; a `kg serve` started at the beginning and running throughout answers each
change without a restart and never from a half-built store; the MINUSMA and Mali queries return
Lacroix's statement; builds killed at several points leave the old graph answering and `kg info`
truthful; an unknown parameter exits 1 with suggestions.

One module fixture runs the whole story once and records what the command line and the endpoint said
at each step; the tests below check those records, so that one failing expectation does not hide the
others.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner
from conftest import require_corpus
from query_helpers import start_kg_serve, stop
from SPARQLWrapper import JSON, SPARQLWrapper
from test_crash_safety import kill_when

from kg.cli import main
from kg.query import get_saved
from kg.store import live_generation, open_store

STATEMENTS = ("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { "
              "?s a <https://w3id.org/peacekeeping-kg/ontology#Statement> }")
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


def ask(endpoint: str, query: str) -> list[dict[str, str]]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def count(endpoint: str, query: str = STATEMENTS) -> int:
    return int(ask(endpoint, query)[0]["n"])


def cli_count(location: str, query: str = STATEMENTS) -> int:
    with open_store(location, read_only=True) as store:
        return int(store.query(query).column("n")[0])


@dataclass
class Story:
    """What each step printed, and what the CLI and the endpoint counted after it."""

    location: str
    steps: list[str] = field(default_factory=list)
    cli: list[int] = field(default_factory=list)
    served: list[int] = field(default_factory=list)
    outputs: dict[str, object] = field(default_factory=dict)
    #: triple counts the endpoint answered while a build ran
    during_build: set[int] = field(default_factory=set)
    triples_before_and_after_build: tuple[int, int] = (0, 0)

    #: what the endpoint answered instead of a count, when it failed
    errors: list[str] = field(default_factory=list)

    def served_count(self, endpoint: str, query: str = STATEMENTS) -> int | None:
        try:
            return count(endpoint, query)
        except Exception as e:  # an endpoint stuck on a generation that was removed: keep the story going
            self.errors.append(f"{type(e).__name__}: {str(e)[:200]}")
            return None

    #: the triple counts of every complete graph the store has held (after each step)
    complete: set[int] = field(default_factory=set)

    def record(self, step: str, endpoint: str) -> None:
        self.steps.append(step)
        self.complete.add(cli_count(self.location, TRIPLES))
        self.cli.append(cli_count(self.location))
        self.served.append(self.served_count(endpoint))


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Story:
    corpus = require_corpus()
    tmp = tmp_path_factory.mktemp("e2e")
    location = str(tmp / "store")
    built = kg("build", "--store", location, "--no-exports")
    assert built.exit_code == 0, built.output
    proc, base = start_kg_serve(location, tmp / "serve.log", "--workers", "2")
    endpoint = base + "/sparql"
    s = Story(location=location)
    try:
        s.record("built", endpoint)
        ingested = kg("ingest", str(corpus), "--store", location)
        s.outputs["ingest"] = ingested
        s.record("ingested", endpoint)
        # a rebuild, with the endpoint asked all along: every answer is the old graph or the new one
        s.triples_before_and_after_build = (cli_count(location, TRIPLES), 0)
        stop_polling = threading.Event()

        def poll() -> None:
            while not stop_polling.is_set():
                n = s.served_count(endpoint, TRIPLES)
                if n is not None:
                    s.during_build.add(n)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            rebuilt = kg("build", "--store", location, "--no-exports")
        finally:
            stop_polling.set()
            poller.join()
        s.outputs["rebuild"] = rebuilt
        s.triples_before_and_after_build = (s.triples_before_and_after_build[0], cli_count(location, TRIPLES))
        s.record("rebuilt", endpoint)
        s.outputs["documents"] = kg("documents", "--store", location, "--format", "json")
        withdrawn = kg("withdraw", "002-lacroix-m23-drc-visit.txt", "--yes", "--store", location)
        s.outputs["withdraw"] = withdrawn
        s.record("withdrew", endpoint)
        live = live_generation(location)
        for trigger in ("loading the reference data", "validating against ontology/shapes.ttl"):
            kill_when(["build", "--store", location, "--no-exports"], trigger)
            s.outputs[f"info after a kill at {trigger!r}"] = kg("info", "--store", location)
            s.record(f"killed at {trigger!r}", endpoint)
        s.outputs["live after the kills"] = (live, live_generation(location))
        for name, param in (("statements-about-mission", "mission=MINUSMA"),
                            ("statements-about-country", "country=MLI")):
            s.outputs[name] = kg("query", "--saved", name, "--param", param, "--format", "csv",
                                 "--store", location)
            key, value = param.split("=")
            s.outputs[name + " served"] = ask(endpoint, get_saved(name).bind({key: value}))
        s.outputs["unknown param"] = kg("query", "--saved", "statements-by-person", "--param",
                                        "person=Ladsoux", "--store", location)
    finally:
        stop(proc)
    return s


def test_ingest_and_rebuild_keep_the_documents_and_statements(story):
    assert story.outputs["ingest"].exit_code == 0, story.outputs["ingest"].output
    built, ingested, rebuilt = story.cli[:3]
    assert ingested > built and rebuilt == ingested
    lines = story.outputs["rebuild"].stdout.splitlines()
    assert lines[1] == (f"The graph holds 26 documents (1 bundled, 25 ingested) and {rebuilt} statements; "
                        f"since the previous graph: 0 documents changed, statements +0.")
    import json

    assert len(json.loads(story.outputs["documents"].stdout)) == 26


def test_withdraw_removes_one_document(story):
    result = story.outputs["withdraw"]
    assert result.exit_code == 0, result.output
    assert "the store holds 25 documents and " in result.stdout
    assert story.cli[3] < story.cli[2]


def test_killed_builds_leave_the_old_graph_answering_and_info_truthful(story):
    live, after = story.outputs["live after the kills"]
    assert after == live
    assert story.cli[4:] == [story.cli[3]] * 2  # the CLI still sees the graph of before the kills
    assert story.served[4:] == [story.served[3]] * 2 and None not in story.served[3:]  # the endpoint too
    for trigger in ("loading the reference data", "validating against ontology/shapes.ttl"):
        info = story.outputs[f"info after a kill at {trigger!r}"]
        assert info.exit_code == 0, info.output
        assert f"generation {live}" in info.stdout.splitlines()[1]
        assert "documents: 25 (" in info.stdout


def test_the_endpoint_never_answers_from_a_half_built_store(story):
    before, after = story.triples_before_and_after_build
    assert before in story.complete and after in story.complete
    assert story.during_build and story.during_build <= story.complete  # only ever a complete graph


def test_the_endpoint_sees_each_change_without_a_restart(story):
    assert story.errors == []
    assert story.served == story.cli, list(zip(story.steps, story.cli, story.served, strict=True))
    assert story.during_build <= set(story.triples_before_and_after_build)  # the graph of now, or the new one
    for name in ("statements-about-mission", "statements-about-country"):
        assert any(r["date"] == "2023-08-18" and r["dateFrom"] == "publication"
                   and r["speaker"] == "Jean-Pierre Lacroix" for r in story.outputs[name + " served"])


@pytest.mark.parametrize("name", ["statements-about-mission", "statements-about-country"])
def test_the_mission_and_country_queries_return_lacroix_on_minusma(story, name):
    result = story.outputs[name]
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    assert any(r[0] == "2023-08-18" and r[1] == "publication" and r[2] == "Jean-Pierre Lacroix" for r in rows)


def test_an_unknown_parameter_exits_1_with_suggestions(story):
    result = story.outputs["unknown param"]
    assert result.exit_code == 1
    # "Ladsous" itself is one of Hervé Ladsous's names in the graph (skos:altLabel), so it would run
    assert result.stderr == ("Error: --param person='Ladsoux' names no person in the graph; "
                             "nearest: herve-ladsous\n")

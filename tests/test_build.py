"""`kg build`, `kg info`, `kg validate`: the whole line on the bundled data, its summary, exit codes and
messages, and the stability of what it writes."""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, require_program
from rdflib import Graph

from kg.cli import main
from kg.config import Settings
from kg.namespaces import sparql_prologue
from kg.pipeline import ENTITY_CLASSES, build, class_counts
from kg.reference import shapes_graph
from kg.store import OxigraphStore, open_store
from kg.validate import validate_graph

REFERENCE = ROOT / "data" / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_build_summary_counts_match_the_reference_csvs(built_store):
    counts = built_store.summary.counts
    missions = rows("missions.csv")
    assert list(counts) == ENTITY_CLASSES
    assert counts["pk:PeacekeepingMission"] == sum(m["kind"] == "peacekeeping" for m in missions)
    assert counts["pk:PoliticalMission"] == sum(m["kind"] == "political" for m in missions)
    assert counts["pk:Country"] == len(rows("countries.csv"))
    assert counts["pk:Contribution"] == len(rows("contributions.csv"))
    assert counts["org:Membership"] == len(rows("officials.csv"))
    assert counts["foaf:Person"] >= len({r["person_id"] for r in rows("officials.csv")})
    assert counts["pk:Framework"] == len(rows("frameworks.csv"))
    bodies = rows("un_bodies.csv")
    assert counts["pk:UNBody"] + counts["pk:RegionalOrganization"] == len(bodies)
    assert counts["skos:Concept"] >= len(rows("cameo.csv"))
    assert built_store.summary.triples == built_store.count()
    text = built_store.summary.text()
    assert text.splitlines()[0] == (f"Built {built_store.count()} triples in {built_store.summary.graphs} "
                                    f"named graphs; {built_store.summary.validation.summary()}.")
    assert text.splitlines()[-1] == "No exports written."


# ---- the CLI on a store on disk ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def disk_build(tmp_path_factory):
    """`kg build --no-exports` into a store on disk: (its directory, the CliRunner result)."""
    location = tmp_path_factory.mktemp("kg") / "store"
    result = CliRunner().invoke(main, ["build", "--store", str(location), "--no-exports"])
    assert result.exit_code == 0, result.output
    return location, result


@pytest.fixture(scope="module")
def disk_store(disk_build) -> Path:
    return disk_build[0]


def test_kg_build_shows_progress_and_a_summary(disk_build):
    location, result = disk_build
    steps = [line.split("] ", 1)[1] for line in result.stderr.splitlines()]
    settings = Settings()
    has_statements = settings.statements_dir.is_dir() and any(
        p.is_file() for p in settings.statements_dir.rglob("*"))
    assert steps[:3] == [
        "building gen-000001, the store's first generation",
        "loading the ontology and the CAMEO scheme",
        f"loading the reference data from {settings.reference_dir}",
    ]
    assert ("extracting statements from " + str(settings.statements_dir) in steps) == has_statements
    assert steps[-3:] == ["optimizing the store", "validating against ontology/shapes.ttl",
                          "switched the store to gen-000001"]
    out = result.stdout.splitlines()
    assert out[0].startswith("Built ") and out[0].endswith(" triples checked).")
    assert "conforms to the shapes" in out[0]
    peacekeeping = sum(m["kind"] == "peacekeeping" for m in rows("missions.csv"))
    assert ["pk:PeacekeepingMission", str(peacekeeping)] in [line.split() for line in out]
    assert out[-1] == "No exports written."


def test_kg_info_prints_version_store_and_counts(disk_store):
    result = CliRunner().invoke(main, ["info", "--store", str(disk_store)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    from kg import __version__

    assert lines[0] == f"kg {__version__}"
    assert lines[1] == f"store: {disk_store} (Oxigraph on disk) generation gen-000001"
    with open_store(str(disk_store), read_only=True) as store:
        total = store.count()
        counts = class_counts(store)
    assert lines[2].startswith(f"triples: {total} in ")
    assert lines[3] == (f"documents: {counts['pk:SourceDocument']} "
                        f"({counts['pk:Statement']} statements)")
    counted = {line.split()[0]: int(line.split()[1]) for line in lines[4:]}
    assert list(counted) == ENTITY_CLASSES
    assert counted["pk:Country"] == len(rows("countries.csv"))


def test_kg_validate_on_the_built_store_exits_0(disk_store):
    result = CliRunner().invoke(main, ["validate", "--store", str(disk_store)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: conforms to the shapes (")


def test_a_second_writer_is_refused_with_one_line(disk_store):
    from kg.store import WriterLock

    with WriterLock(str(disk_store), "kg build"):  # what a running `kg build` holds
        results = [CliRunner().invoke(main, [*args, "--store", str(disk_store)])
                   for args in (["build", "--no-exports"], ["ingest", str(ROOT / "data" / "statements")],
                                ["withdraw", "nosuchdoc", "--yes"])]
    for result in results[:2]:
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"Error: the store at {disk_store} is being written by `kg build` "
                                 f"(pid {os.getpid()}); wait for it to finish, or pass another --store\n")
    assert results[2].exit_code == 1  # nothing to withdraw: refused before it would wait for the lock


def test_a_corrupt_store_gives_a_clear_message(tmp_path):
    location = tmp_path / "corrupt"
    location.mkdir()
    (location / "CURRENT").write_text("garbage\n")
    for command in ("info", "validate", "build"):
        result = CliRunner().invoke(main, [command, "--store", str(location)])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr == (f"Error: cannot open the store at {location} (Corruption: CURRENT file "
                                 f"corrupted); if it is corrupt, delete the directory and run `kg build`\n")


def test_a_file_or_a_foreign_directory_is_refused_as_store(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello")
    result = CliRunner().invoke(main, ["info", "--store", str(a_file)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --store {a_file} is a file, not a store directory; pass a directory, "
                             f"'memory' or an http(s):// endpoint URL\n")
    result = CliRunner().invoke(main, ["build", "--store", str(tmp_path), "--no-exports"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --store {tmp_path} is a directory that holds no store "
                             f"(no `live` generation, no CURRENT file); pass a new or empty directory, "
                             f"or the directory of an existing store\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_kg_info_without_a_store_says_to_build(tmp_path):
    result = CliRunner().invoke(main, ["info", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    missing = tmp_path / "none"
    assert result.stderr == f"Error: no store at {missing}; run `kg build` first (or pass --store)\n"


# ---- bad reference data through the CLI ------------------------------------------------------------
def _data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(REFERENCE, data / "reference")
    (data / "statements").mkdir()
    return data


def _set_cell(path: Path, acronym: str, column: str, value: str) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        columns, records = list(reader.fieldnames or []), list(reader)
    index = next(i for i, r in enumerate(records) if r["acronym"] == acronym)
    records[index][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    return index + 2


def test_a_bad_date_stops_the_build_with_one_line(tmp_path):
    data = _data_copy(tmp_path)
    path = data / "reference" / "missions.csv"
    line = _set_cell(path, "UNAMSIL", "start_date", "1999-22-10")
    result = CliRunner().invoke(main, ["build", "--store", "memory", "--no-exports"],
                                env={"KG_DATA_DIR": str(data)})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"Error: {path}:{line} column 'start_date': bad date "
                                              f"'1999-22-10'; write YYYY-MM-DD, YYYY-MM or YYYY")


def test_a_graph_that_does_not_conform_fails_the_build_listing_violations(tmp_path):
    data = _data_copy(tmp_path)
    _set_cell(data / "reference" / "missions.csv", "UNAMSIL", "host_iso3", "")
    result = CliRunner().invoke(main, ["build", "--store", "memory", "--no-exports"],
                                env={"KG_DATA_DIR": str(data)})
    assert result.exit_code == 1
    error = result.stderr[result.stderr.index("Error: "):].splitlines()
    assert error[0].startswith("Error: the graph does not conform to the shapes: 1 SHACL violation(s) in ")
    assert error[1:] == ["mission:UNAMSIL pk:hostCountry: a peacekeeping mission needs at least one "
                         "pk:hostCountry"]


# ---- exports: stable bytes, two parsers, conformance --------------------------------------------------
@pytest.fixture(scope="module")
def two_export_runs(tmp_path_factory) -> tuple[Path, Path]:
    dirs = []
    for run, zipped in (("first", False), ("second", True)):
        out = tmp_path_factory.mktemp(run) / "exports"
        settings = Settings(store="memory", exports_dir=out)
        with open_store("memory") as store:
            build(store, settings, write_exports=True, gzip=zipped)
        dirs.append(out)
    return dirs[0], dirs[1]


def test_turtle_export_is_byte_identical_across_builds(two_export_runs):
    first, second = two_export_runs
    assert (first / "peacekeeping.ttl").read_bytes() == (second / "peacekeeping.ttl").read_bytes()
    written = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(written) > 10
    for name in written:  # every export, not only the Turtle dump
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_build_gzip_adds_copies_of_the_line_dumps(two_export_runs):
    first, second = two_export_runs
    assert not list(first.glob("*.gz"))
    assert sorted(p.name for p in second.glob("*.gz")) == ["peacekeeping.nq.gz", "peacekeeping.nt.gz"]
    for name in ("peacekeeping.nt", "peacekeeping.nq"):
        assert gzip.decompress((second / f"{name}.gz").read_bytes()) == (first / name).read_bytes()


def test_turtle_export_parses_in_rdflib_and_conforms(two_export_runs, built_store):
    g = Graph()
    g.parse(two_export_runs[0] / "peacekeeping.ttl", format="turtle")
    union = Graph()
    union.parse(data=built_store.dump("ntriples"), format="nt")
    assert len(g) == len(union) - _texts(built_store)  # the public dump leaves the full texts out
    result = validate_graph(g, shapes_graph(ROOT / "ontology"))
    assert result.conforms, result.lines()[:10]


def test_turtle_export_parses_in_rapper(two_export_runs, built_store):
    rapper = require_program("rapper", "the independent RDF parser of raptor2-utils")
    path = two_export_runs[0] / "peacekeeping.ttl"
    proc = subprocess.run([rapper, "-i", "turtle", "-c", str(path)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    union = Graph()
    union.parse(data=built_store.dump("ntriples"), format="nt")
    assert f"returned {len(union) - _texts(built_store)} triples" in proc.stderr


def _texts(store) -> int:
    """How many full texts (rdf:value of documents) the store holds."""
    rows = store.query(sparql_prologue() + "SELECT (COUNT(*) AS ?n) WHERE { ?d a pk:SourceDocument ; "
                                           "rdf:value ?t }").records()
    assert int(rows[0]["n"]) >= 1
    return int(rows[0]["n"])


def test_a_store_home_switches_generations_atomically(tmp_path):
    from kg.store import live_generation, live_path, new_generation_path, publish_generation

    home = str(tmp_path / "home")
    with open_store(home) as first:  # a new home gets its first generation
        first.load(b"<urn:a> <urn:b> <urn:c> .\n", graph="urn:g")
    assert live_generation(home) == "gen-000001"
    second = new_generation_path(home)
    assert second.name == "gen-000002"
    with OxigraphStore(second) as other:
        other.load(b"<urn:a> <urn:b> <urn:d> .\n<urn:a> <urn:b> <urn:e> .\n", graph="urn:g")
    with open_store(home, read_only=True) as live:  # not switched yet: the first is what answers
        assert live.count() == 1
    publish_generation(home, second)
    assert live_generation(home) == "gen-000002" and live_path(home) == second
    with open_store(home, read_only=True) as live:
        assert live.count() == 2

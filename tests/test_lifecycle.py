"""The corpus lifecycle (issue 10): the store registers what it ingests, `kg build` re-extracts every
registered document from its stored text, dropping documents is explicit and confirmed, and
`kg documents` / `kg withdraw` work on what the registry shows."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_ingest import KEY_A, TEXT_A, TEXT_B, write_folder

from kg.cli import main
from kg.model import document_key
from kg.namespaces import document_graph
from kg.pipeline import extractor_version, plural
from kg.store import live_path, open_store, read_registry, write_registry

KEY_B = document_key(TEXT_B)  # B has no URL: its key is its text's; A's is its URL's (test_ingest)


def kg(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[Path, Path]:
    """A store home built from the bundled data, with the two test documents ingested: (home, folder)."""
    base = tmp_path_factory.mktemp("life")
    folder = write_folder(base / "corpus")
    home = base / "store"
    built = kg("build", "--store", str(home), "--no-exports")
    assert built.exit_code == 0, built.output
    result = kg("ingest", str(folder), "--store", str(home))
    assert result.exit_code == 0, result.output
    return home, folder


def copy_home(home: Path, dest: Path) -> str:
    shutil.copytree(home, dest, symlinks=True)
    (dest / ".lock").unlink(missing_ok=True)
    return str(dest)


def test_the_registry_records_source_hash_metadata_extractor_and_time(ingested):
    home, folder = ingested
    registry = read_registry(live_path(str(home)))
    a = registry[KEY_A]
    assert a.source == str(folder / "a.txt") and a.file == "a.txt"
    assert a.sha256 == hashlib.sha256(TEXT_A.encode("utf-8")).hexdigest()
    assert (a.url, a.title, a.publication_date, a.site) == ("https://example.org/a", "A", "2025-07-30",
                                                            "example.org")
    assert a.extractor == extractor_version() and a.origin == "ingested"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a.ingested)
    with open_store(str(home), read_only=True) as store:
        n = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{document_graph(KEY_A)}> "
                        f"{{ ?s a <https://w3id.org/peacekeeping-kg/ontology#Statement> }} }}").column("n")[0]
    assert a.statements == int(n) >= 1
    assert registry[KEY_B].url is None and registry[KEY_B].publication_date == "2016-06-14"
    bundled = [r for r in registry.values() if r.origin == "bundled"]
    assert len(bundled) == 1 and bundled[0].file.endswith(".txt")


def test_ingest_says_what_the_store_holds_in_english(ingested, tmp_path):
    home, folder = ingested
    again = kg("ingest", str(folder / "a.txt"), "--store", copy_home(home, tmp_path / "h"))
    assert again.exit_code == 0, again.output
    registry = read_registry(live_path(str(home)))
    statements = sum(r.statements for r in registry.values())
    assert again.stdout.splitlines() == [
        "ingested 0 documents (0 statements), 1 unchanged, 0 rejected",
        f"the store holds 3 documents and {plural(statements, 'statement')}",
    ]


def test_build_re_extracts_every_registered_document_from_its_stored_text(ingested, tmp_path):
    home, folder = ingested
    location = copy_home(home, tmp_path / "h")
    moved = shutil.move(folder, tmp_path / "gone")  # the original files are no longer needed
    try:
        # what an older extractor might have left: document A's graph without its statements, registered
        gen = live_path(location)
        registry = read_registry(gen)
        with open_store(location) as store:
            graph = document_graph(KEY_A)
            kept = sorted(line for line in store.dump("ntriples", graph=graph).splitlines()
                          if b"/id/statement/" not in line.split(b" ", 1)[0])
            data = b"\n".join(kept) + b"\n"
            store.replace_graph(graph, data)
        before = registry[KEY_A].statements
        old = dict(registry, **{KEY_A: replace(registry[KEY_A], statements=0, extractor="0.0.1+older",
                                              graph_sha256=hashlib.sha256(data).hexdigest())})
        write_registry(gen, old)
        result = kg("build", "--store", location, "--no-exports")
    finally:
        shutil.move(moved, folder)
    assert result.exit_code == 0, result.output
    total = sum(r.statements for r in registry.values())
    lines = result.stdout.splitlines()
    assert lines[1] == (f"The graph holds 3 documents (1 bundled, 2 ingested) and {total} statements; "
                        f"since the previous graph: 1 document changed, statements +{before}.")
    after = read_registry(live_path(location))
    assert sorted(after) == sorted(registry)
    assert after[KEY_A].statements == before and after[KEY_A].ingested == registry[KEY_A].ingested
    assert after[KEY_A].extractor == extractor_version()
    assert f"re-extracted 2 ingested documents with extractor {extractor_version()}" in result.stderr


def test_a_second_build_changes_nothing_and_says_so(ingested, tmp_path):
    location = copy_home(ingested[0], tmp_path / "h")
    result = kg("build", "--store", location, "--no-exports")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].endswith(
        "since the previous graph: 0 documents changed, statements +0.")


def test_build_fresh_drops_the_ingested_documents_only_when_confirmed(ingested, tmp_path):
    location = copy_home(ingested[0], tmp_path / "h")
    refused = kg("build", "--fresh", "--store", location, "--no-exports")  # no terminal, no --yes
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1] == (f"Error: kg build --fresh drops 2 ingested documents from "
                                               f"{location}; go on: pass --yes to confirm")
    said_no = kg("build", "--fresh", "--store", location, "--no-exports", input="n\n")
    assert said_no.exit_code == 2 and "cancelled; nothing was changed" in said_no.stderr
    assert len(read_registry(live_path(location))) == 3
    dropped = kg("build", "--fresh", "--yes", "--store", location, "--no-exports")
    assert dropped.exit_code == 0, dropped.output
    assert "Dropped 2 ingested documents (--fresh)." in dropped.stdout.splitlines()
    assert [r.origin for r in read_registry(live_path(location)).values()] == ["bundled"]


def test_kg_documents_lists_filters_and_speaks_json(ingested):
    home = str(ingested[0])
    table = kg("documents", "--store", home)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["key", "date", "site", "statements", "ingested", "title"]
    assert len(lines) == 4 and table.stderr == "3 documents\n"
    assert lines[1].split()[:3] == [KEY_A, "2025-07-30", "example.org"]  # newest first
    data = json.loads(kg("documents", "--store", home, "--format", "json").stdout)
    assert {d["key"] for d in data} >= {KEY_A, KEY_B}
    a = next(d for d in data if d["key"] == KEY_A)
    assert a["title"] == "A" and a["url"] == "https://example.org/a" and a["statements"] >= 1
    only = json.loads(kg("documents", "--store", home, "--format", "json", "--until", "2020").stdout)
    assert [d["key"] for d in only] == [KEY_B]
    site = json.loads(kg("documents", "--store", home, "--format", "json", "--site", "EXAMPLE").stdout)
    assert sorted(d["key"] for d in site) == sorted([KEY_A, KEY_B])
    bad = kg("documents", "--store", home, "--since", "last week")
    assert bad.exit_code == 2
    assert bad.stderr == "Error: bad --since 'last week'; use YYYY-MM-DD, YYYY-MM or YYYY\n"


@pytest.mark.parametrize("name", ["KEY", "b.txt", "B", "FOLDER/b.txt"])
def test_kg_withdraw_takes_what_kg_documents_shows_and_asks_first(ingested, tmp_path, name):
    home, folder = ingested
    location = copy_home(home, tmp_path / "h")
    name = {"KEY": KEY_B, "FOLDER/b.txt": str(folder / "b.txt")}.get(name, name)
    kept = kg("withdraw", name, "--store", location, input="n\n")
    assert kept.exit_code == 2 and KEY_B in read_registry(live_path(location))
    gone = kg("withdraw", name, "--store", location, input="y\n")
    assert gone.exit_code == 0, gone.output
    assert f"withdraw {KEY_B} B (" in gone.stderr
    assert gone.stdout.startswith(f"withdrew {document_graph(KEY_B)}; the store holds 2 documents and ")
    assert KEY_B not in read_registry(live_path(location))
    with open_store(location, read_only=True) as store:
        assert not store.has_graph(document_graph(KEY_B)) and store.has_graph(document_graph(KEY_A))


def test_kg_withdraw_suggests_near_matches_when_nothing_matches(ingested):
    result = kg("withdraw", "a.tx", "--store", str(ingested[0]))
    assert result.exit_code == 1
    assert result.stderr == ("Error: no document 'a.tx' in the store; did you mean: a.txt, b.txt? "
                             "`kg documents` lists them\n")


def test_saved_queries_date_statements_by_the_text_else_by_publication_and_say_which(ingested, tmp_path):
    location = copy_home(ingested[0], tmp_path / "h")
    folder = tmp_path / "more"
    folder.mkdir()
    undated = "Herve Ladsous said that the mission in South Sudan would protect civilians in Juba.\n"
    (folder / "c.txt").write_text(undated, encoding="utf-8")
    (folder / "index.tsv").write_text("file\turl\ttitle\tpublication_date\tsource_site\n"
                                      "c.txt\t\tC\t2016-07\texample.org\n", encoding="utf-8")
    nothing = tmp_path / "d.txt"  # no index: no publication date, and the text names no day
    nothing.write_text(undated.replace("Juba", "Wau"), encoding="utf-8")
    assert kg("ingest", str(folder), str(nothing), "--store", location).exit_code == 0
    result = kg("query", "--saved", "statements-about-country", "--param", "country=SSD", "--format", "csv",
                "--store", location)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()[1:]
    rows = {r.split(",")[-1].split("/")[-1].split("-")[0]: r.split(",")[:2] for r in lines}
    assert rows[KEY_B] == ["2016-06-13", "statement"]  # "on Monday", against the page of 2016-06-14
    assert rows[document_key(undated)] == ["2016-07", "publication"]
    assert rows[document_key(undated.replace("Juba", "Wau"))] == ["", "unknown"]  # still listed
    per_year = kg("query", "--saved", "statements-by-cameo-per-year", "--format", "csv", "--store", location)
    assert any(line.startswith("unknown,unknown,") for line in per_year.stdout.splitlines())


@pytest.mark.parametrize("saved, param, message", [
    ("statements-by-person", "person=Ladsous",
     "--param person='Ladsous' names no person in the graph; nearest: herve-ladsous, alan-doss"),
    ("statements-about-mission", "mission=MINUSMAX",
     "--param mission='MINUSMAX' names no mission in the graph; nearest: MINUSMA, MINUSCA, MINUSAL, "
     "MINUSTAH, MINURSO"),
    ("statements-about-country", "country=MLX",
     "--param country='MLX' names no country in the graph; nearest: MEX (Mexico), MLI (Mali), MLT (Malta), "
     "MHL (Marshall Islands)"),
])
def test_a_param_naming_nothing_exits_1_with_the_nearest_names(ingested, saved, param, message):
    result = kg("query", "--saved", saved, "--param", param, "--store", str(ingested[0]))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n" and result.stdout == ""


def test_a_param_naming_something_still_runs(ingested):
    result = kg("query", "--saved", "statements-by-person", "--param", "person=Hervé Ladsous",
                "--format", "csv", "--store", str(ingested[0]))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) >= 2 and KEY_B in result.stdout


@pytest.mark.parametrize("saved, by_key, by_name", [
    ("statements-about-country", "country=MLI", "country=mali"),
    ("statements-about-country", "country=SSD", "country=South Sudan"),
    ("mission-profile", "mission=UNMISS", "mission=United Nations Mission in the Republic of South Sudan"),
])
def test_a_param_given_by_its_name_is_read_as_its_key(ingested, saved, by_key, by_name):
    keyed = kg("query", "--saved", saved, "--param", by_key, "--format", "csv", "--store", str(ingested[0]))
    named = kg("query", "--saved", saved, "--param", by_name, "--format", "csv", "--store", str(ingested[0]))
    assert keyed.exit_code == 0 and named.exit_code == 0, named.output
    assert named.stdout == keyed.stdout


def test_a_param_whose_name_is_shared_exits_1_listing_the_keys():
    from kg.errors import NotFound
    from kg.names import resolve_params
    from kg.namespaces import resource
    from kg.query import get_saved
    from kg.store import OxigraphStore

    store = OxigraphStore(None)
    data = "".join(f'<{resource("person", key)}> <http://xmlns.com/foaf/0.1/name> "Ali Said" .\n'
                   for key in ("ali-said-1", "ali-said-2"))
    store.load(data.encode(), format="ntriples", graph="http://example.org/g")
    query = get_saved("statements-by-person")
    assert resolve_params(store, query, {"person": "ali-said-2"}) == {"person": "ali-said-2"}  # a key stays
    with pytest.raises(NotFound) as refused:
        resolve_params(store, query, {"person": "ALI SAID "})
    assert str(refused.value) == ("--param person='ALI SAID ' names several persons: ali-said-1 (Ali Said), "
                                  "ali-said-2 (Ali Said); give one of these keys")


def test_export_graph_naming_nothing_exits_1_with_the_nearest_names(ingested, tmp_path):
    result = kg("export", "--graph", "refrence", "-o", str(tmp_path / "x.nt"), "--store", str(ingested[0]))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no graph 'refrence' in the store; did you mean: reference? ")


def test_validation_checks_document_graphs_in_batches_and_still_finds_their_violations(ingested, tmp_path):
    from kg.config import Settings
    from kg.validate import validate_store

    location = copy_home(ingested[0], tmp_path / "h")
    with open_store(location) as store:
        graph = document_graph(KEY_A)
        # a statement without its speaker: what a broken extractor might write
        kept = [line for line in store.dump("ntriples", graph=graph).splitlines()
                if b"ontology#speaker>" not in line]
        store.replace_graph(graph, b"\n".join(kept) + b"\n")
        result = validate_store(store, Settings().ontology_dir)
    assert not result.conforms
    assert any("pk:speaker" in line and f"statement:{KEY_A}" in line for line in result.lines())


def test_ingest_export_brings_every_export_up_to_date(ingested, tmp_path):
    location = copy_home(ingested[0], tmp_path / "h")
    exports = tmp_path / "exports"
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "e.txt").write_text(TEXT_B.replace("Monday", "Friday"), encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--export", "--store", location],
                                env={"KG_EXPORTS_DIR": str(exports)})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("wrote ") and str(exports) in result.stdout
    key = document_key(TEXT_B.replace("Monday", "Friday"))
    assert f"/graph/document/{key}>".encode() in (exports / "peacekeeping.nq").read_bytes()
    assert (exports / "html" / "statements.html").exists()

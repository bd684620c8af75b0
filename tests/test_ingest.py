"""Ingest and withdraw: one named graph per document, idempotent, bad input reported, the rest kept."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.config import Settings
from kg.errors import NotFound
from kg.extract import extract_text, load_gazetteer
from kg.extract.readers import read_inputs
from kg.mapping import document_ntriples, speaker_post
from kg.model import document_key, url_key
from kg.namespaces import document_graph, resource, sparql_prologue
from kg.pipeline import ingest, withdraw
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "statements"

TEXT_A = (
    "Jean-Pierre Lacroix, the Under-Secretary-General for Peace Operations, told the Security Council "
    'on Tuesday that "peace needs politics".\n'
)
KEY_A = url_key("https://example.org/a")
TEXT_B = "Herve Ladsous said on Monday that the mission in South Sudan would protect civilians.\n"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def gaz(settings):
    return load_gazetteer(settings.reference_dir)


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (folder / "index.tsv").write_text(
        "file\turl\ttitle\tpublication_date\tsource_site\n"
        "a.txt\thttps://example.org/a\tA\t2025-07-30\texample.org\n"
        "b.txt\t\tB\t2016-06-14\texample.org\n",
        encoding="utf-8",
    )
    return folder


def doc_graphs(store) -> list[str]:
    return [g for g in store.named_graphs() if "/graph/document/" in g]


# ---- readers: bad input -------------------------------------------------------------------------------
def test_bad_inputs_are_rejected_with_file_and_line_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "huge.txt").write_text("word " * 400, encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(
        "Le Secrétaire général a dit que la paix est possible.".encode("cp1252")
    )
    lines = [
        json.dumps({"text": TEXT_B, "publication_date": "2016-06-14"}),
        "[1, 2]",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": TEXT_B, "publication_date": "14/06/2016"}),
    ]
    (tmp_path / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    paths = [
        tmp_path / n
        for n in (
            "good.txt",
            "empty.txt",
            "binary.txt",
            "huge.txt",
            "latin.txt",
            "docs.jsonl",
            "notes.pdf",
            "missing.txt",
        )
    ]
    res = read_inputs(paths, max_bytes=1000)
    assert [d.file for d in res.documents] == ["good.txt", "latin.txt", "docs.jsonl#1"]
    messages = [str(r).replace(str(tmp_path) + "/", "") for r in res.rejected]
    assert messages == [
        "empty.txt: empty document; remove it or add the text",
        "binary.txt: binary file (NUL bytes), not text; pass .txt or .jsonl files",
        "huge.txt: document is 2000 bytes, over the limit of 1000; split it or raise the limit with "
        "KG_MAX_DOCUMENT_BYTES",
        'docs.jsonl:2: not a JSON object; write one {"text": …} object per line',
        "docs.jsonl:3: not valid JSON (Expecting property name enclosed in double quotes); "
        "write one JSON object per line",
        'docs.jsonl:4: no "text" (a non-empty string) in this object; add it',
        "docs.jsonl:5: bad publication_date '14/06/2016'; use YYYY-MM-DD, YYYY-MM or YYYY",
        "notes.pdf: not a .txt file, a .jsonl file or a folder; convert it to one of these",
        "missing.txt: no such file or directory; check the path",
    ]
    assert [str(w).replace(str(tmp_path) + "/", "") for w in res.warnings] == [
        "latin.txt: not UTF-8 (byte 7); decoded as cp1252; re-save the file as UTF-8 to silence this"
    ]
    assert "Secrétaire" in res.documents[1].text


def test_index_tsv_bad_date_is_rejected_with_its_line(tmp_path):
    folder = write_folder(tmp_path / "corpus")
    (folder / "index.tsv").write_text(
        "file\turl\ttitle\tpublication_date\tsource_site\na.txt\t\tA\t30 July 2025\tx\n", encoding="utf-8"
    )
    res = read_inputs([folder], max_bytes=10_000)
    assert [d.file for d in res.documents] == ["b.txt"]
    assert [str(r) for r in res.rejected] == [
        f"{folder}/index.tsv:2: bad publication_date '30 July 2025'; use YYYY-MM-DD, YYYY-MM or YYYY"
    ]



def test_an_index_column_that_is_not_read_is_a_warning_not_a_silent_loss(tmp_path):
    """'date' for 'publication_date' would leave every document undated without a word."""
    folder = write_folder(tmp_path / "corpus")
    (folder / "index.tsv").write_text("file\tdate\na.txt\t2025-07-30\n", encoding="utf-8")
    res = read_inputs([folder, folder / "a.txt"], max_bytes=10_000)
    assert [d.file for d in res.documents] == ["a.txt", "b.txt", "a.txt"]  # read all the same
    assert [str(w) for w in res.warnings] == [  # once per index, however many of its files are given
        f"{folder}/index.tsv:1: column 'date' is not read (ignored); the columns are: file, url, title, "
        "publication_date, source_site (optional: date_note); rename it"
    ]


# ---- ingest ---------------------------------------------------------------------------------------------
def test_ingest_is_idempotent_and_each_document_has_its_graph(tmp_path, settings):
    folder = write_folder(tmp_path / "corpus")
    with open_store("memory") as store:
        first = ingest(store, [folder], settings)
        dump1 = store.dump("nquads")
        second = ingest(store, [folder], settings)
        assert len(first.accepted) == 2 and first.unchanged == [] and first.rejected == []
        assert second.accepted == [] and len(second.unchanged) == 2
        assert store.dump("nquads") == dump1
        assert doc_graphs(store) == sorted([document_graph(KEY_A), document_graph(document_key(TEXT_B))])


def test_replace_removes_the_older_version_of_the_same_url_only(tmp_path, settings):
    folder = write_folder(tmp_path / "corpus")
    with open_store("memory") as store:
        ingest(store, [folder], settings)
        (folder / "a.txt").write_text(TEXT_A.replace("Tuesday", "Wednesday"), encoding="utf-8")
        (folder / "b.txt").write_text(TEXT_B.replace("Monday", "Friday"), encoding="utf-8")
        report = ingest(store, [folder], settings, replace=True)
        # a: same URL, so same key, rebuilt in place; b: no URL, keyed by its text, the old one removed
        new_b = document_graph(document_key(TEXT_B.replace("Monday", "Friday")))
        assert report.replaced == [document_graph(KEY_A), document_graph(document_key(TEXT_B))]
        assert doc_graphs(store) == sorted([document_graph(KEY_A), new_b])


def _statements(store) -> list[tuple[str, str]]:
    rows = store.query(sparql_prologue() + "SELECT ?s ?old WHERE { ?s a pk:Statement ; owl:sameAs ?old } "
                                           "ORDER BY ?s").rows
    return [(str(r["s"]), str(r["old"])) for r in rows]


def test_a_corrected_text_keeps_its_document_and_statement_iris(tmp_path, settings):
    folder = write_folder(tmp_path / "corpus")
    with open_store("memory") as store:
        ingest(store, [folder], settings)
        before = _statements(store)
        fixed = TEXT_A.replace("Operations,", "Operations ,").replace("the Security", "the  Security")
        (folder / "a.txt").write_text("Correction. " + fixed, encoding="utf-8")
        report = ingest(store, [folder], settings)
        assert report.replaced == [document_graph(KEY_A)] and len(report.accepted) == 1
        after = _statements(store)
    ours = [s for s, _ in before if KEY_A in s]
    assert ours == [resource("statement", f"{KEY_A}--jean-pierre-lacroix--told--1")]
    assert [s for s, _ in after if KEY_A in s] == ours  # same IRI after the correction
    # the release-0.1 IRI (content hash and offsets) stays linked to it
    assert (ours[0], resource("statement", f"{document_key(TEXT_A)}-0-{len(TEXT_A) - 1}")) in before


def test_withdraw_removes_one_document_and_nothing_else(tmp_path, settings):
    folder = write_folder(tmp_path / "corpus")
    with open_store("memory") as store:
        ingest(store, [folder], settings)
        before_b = store.dump("ntriples", graph=document_graph(document_key(TEXT_B)))
        withdraw(store, KEY_A)
        assert doc_graphs(store) == [document_graph(document_key(TEXT_B))]
        assert store.dump("ntriples", graph=document_graph(document_key(TEXT_B))) == before_b
        withdraw(store, "b.txt")
        assert doc_graphs(store) == []
        with pytest.raises(NotFound) as e:
            withdraw(store, "0000000000000000")
        assert str(e.value) == "no document '0000000000000000' in the store; `kg documents` lists them"


def test_seed_document_carries_its_inferred_date_and_statements(settings):
    with open_store("memory") as store:
        report = ingest(store, [SEED], settings)
        assert report.rejected == [] and len(report.accepted) == 1
        q = (
            sparql_prologue()
            + """
            SELECT ?verb ?quote ?date ?post WHERE {
              ?d a pk:SourceDocument ; pk:dateInferred true ; skos:note ?note .
              ?s pk:sourceDocument ?d ; pk:speaker person:jean-pierre-lacroix ; pk:speechVerb ?verb ;
                 dcterms:date ?date ; pk:speakerPost ?post .
              OPTIONAL { ?s pk:quote ?quote }
            }"""
        )
        rows = store.query(q).rows
        verbs = {str(r["verb"]) for r in rows}
        assert {
            "affirmed",
            "stated",
            "noted",
            "described",
            "highlighted",
            "stressed",
            "urged",
            "cautioned",
            "emphasized",
        } <= verbs
        quotes = {str(r["quote"]) for r in rows if r.get("quote") is not None}
        assert quotes == {
            "critical tools",
            "Protection creates space for political solutions, which in turn reinforce protection",
        }
        assert {str(r["date"]) for r in rows} == {"2025-07-29"}
        tenures = {str(r["post"]).rsplit("/", 1)[1] for r in rows}
        assert tenures == {"jean-pierre-lacroix--dpo--usg-peace-operations--1"}


# ---- mapping -------------------------------------------------------------------------------------------
def test_mapping_is_deterministic_and_selectors_point_at_the_text(gaz):
    res = extract_text(TEXT_A, gaz, publication_date="2025-07-30")
    nt1, nt2 = document_ntriples(res, gaz), document_ntriples(res, gaz)
    assert nt1 == nt2
    g = Graph().parse(data=nt1.decode("utf-8"), format="nt")
    q = """PREFIX oa: <http://www.w3.org/ns/oa#>
           SELECT ?start ?end ?exact WHERE { ?t oa:hasSelector ?p, ?x .
             ?p oa:start ?start ; oa:end ?end . ?x oa:exact ?exact }"""
    rows = list(g.query(q))
    assert rows and all(TEXT_A[int(r.start) : int(r.end)] == str(r.exact) for r in rows)


def test_title_change_dpko_to_dpo_and_dates_outside_every_tenure(gaz):
    assert speaker_post(gaz, "jean-pierre-lacroix", "2018-07-26").tenure.endswith(
        "/tenure/jean-pierre-lacroix--dpko--usg-peace-operations--1"
    )
    assert speaker_post(gaz, "jean-pierre-lacroix", "2020-03-24").tenure.endswith(
        "/tenure/jean-pierre-lacroix--dpo--usg-peace-operations--1"
    )
    link = speaker_post(gaz, "jean-pierre-lacroix", "2010-05-01")
    assert link.tenure is None
    assert link.inconsistency.startswith(
        "statement dated 2010-05-01 falls outside every known tenure of Jean-Pierre Lacroix"
    )


# ---- CLI ------------------------------------------------------------------------------------------------
def test_cli_ingest_exit_codes_and_withdraw(tmp_path):
    folder = write_folder(tmp_path / "corpus")
    store = str(tmp_path / "store")
    runner = CliRunner()

    def invoke(args: list[str]):
        result = runner.invoke(main, args)
        gc.collect()  # release the on-disk store's lock before the next in-process command
        return result

    ok = invoke(["ingest", str(folder), "--store", store])
    assert ok.exit_code == 0, ok.output
    assert "ingested 2 documents" in ok.output
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    bad = invoke(["ingest", str(folder), str(tmp_path / "empty.txt"), "--store", store])
    assert bad.exit_code == 1
    assert f"Rejected: {tmp_path}/empty.txt: empty document; remove it or add the text" in bad.output
    assert "0 documents" in bad.output and "2 unchanged" in bad.output
    gone = invoke(["withdraw", KEY_A, "--store", store, "--yes"])
    assert gone.exit_code == 0, gone.output
    missing = invoke(["withdraw", KEY_A, "--store", store])
    assert missing.exit_code == 1
    assert "`kg documents` lists them" in missing.output


def test_cli_extract_prints_gold_schema_records(tmp_path):
    folder = write_folder(tmp_path / "corpus")
    result = CliRunner().invoke(main, ["extract", str(folder / "a.txt"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.output.splitlines()[0])
    assert {"file", "persons", "un_bodies", "countries", "missions", "other_orgs", "statements"} <= set(rec)
    assert rec["statements"][0]["speaker"] == "Jean-Pierre Lacroix"
    assert rec["statements"][0]["date"] == "2025-07-29"


@pytest.mark.parametrize("command", ["ingest", "withdraw", "extract", "eval"])
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output

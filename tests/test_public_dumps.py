"""Public dumps never republish third-party texts: after ingesting the dev corpus, no dump holds a
document's full text (unless --include-texts), while quotes, offsets, URL and text hash stay."""

from __future__ import annotations

import hashlib

import pytest
import rdflib
from click.testing import CliRunner
from conftest import require_corpus

from kg import export
from kg.cli import main
from kg.config import Settings
from kg.export import WRITERS
from kg.extract.readers import read_inputs
from kg.namespaces import PREFIXES, sparql_prologue
from kg.pipeline import ingest
from kg.store import open_store

TEXT_DUMPS = sorted(name for name, w in WRITERS.items() if w.carries_texts)


@pytest.fixture(scope="module")
def dev_corpus():
    return require_corpus()


@pytest.fixture(scope="module")
def dev_store(dev_corpus, tmp_path_factory):
    """The bundled graph plus the dev corpus, ingested into a fresh store on disk."""
    path = tmp_path_factory.mktemp("public") / "store"
    result = CliRunner().invoke(main, ["build", "--store", str(path), "--no-exports"])
    assert result.exit_code == 0, result.output
    with open_store(str(path)) as store:
        report = ingest(store, [dev_corpus], Settings())
        assert len(report.accepted) >= 20 and report.rejected == []
    return str(path)


@pytest.fixture(scope="module")
def texts(dev_corpus) -> list[str]:
    docs = read_inputs([dev_corpus], max_bytes=Settings().max_document_bytes).documents
    assert len(docs) >= 20
    return [d.text for d in docs]


def _literals(path, fmt: str) -> list[str]:
    g = rdflib.Dataset()
    g.parse(path, format=WRITERS[fmt].rdf_syntax)
    return [str(o) for _, _, o, _ in g.quads((None, None, None, None)) if isinstance(o, rdflib.Literal)]


@pytest.mark.parametrize("fmt", TEXT_DUMPS)
def test_no_public_dump_holds_a_full_text(dev_store, texts, tmp_path, fmt):
    with open_store(dev_store, read_only=True) as store:
        path = export.write(store, fmt, tmp_path / f"dump{WRITERS[fmt].extension}")
    literals = _literals(path, fmt)
    raw = path.read_text(encoding="utf-8")
    for text in texts:
        half = text[: len(text) // 2]
        assert not any(half in lit for lit in literals), f"{fmt} holds a full text"
        assert text not in raw
    # provenance stays: every document's text hash, and the statements' quotes and offsets
    hashes = {hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts}
    assert hashes <= set(literals)


def test_include_texts_puts_the_full_texts_back(dev_store, texts, tmp_path):
    with open_store(dev_store, read_only=True) as store:
        path = export.write(store, "ntriples", tmp_path / "full.nt", include_texts=True)
    literals = set(_literals(path, "ntriples"))
    assert set(texts) <= literals


def test_the_build_exports_of_the_dev_corpus_hold_no_full_text(dev_store, texts, tmp_path):
    with open_store(dev_store, read_only=True) as store:
        written = export.write_build_exports(store, Settings(exports_dir=tmp_path / "exports"))
        query = sparql_prologue() + "SELECT (COUNT(*) AS ?n) WHERE { ?s oa:start ?o }"
        offsets = store.query(query).records()
    assert int(offsets[0]["n"]) > 0
    for path in written:
        data = path.read_bytes().decode("utf-8", errors="replace")
        for text in texts:
            assert text[: len(text) // 2] not in data, path.name
    void = rdflib.Graph().parse(tmp_path / "exports" / "void.ttl", format="turtle")
    parts = {str(o) for o in void.objects(None, rdflib.URIRef(PREFIXES["dcterms"] + "license"))}
    assert parts  # every part names its licence or its terms

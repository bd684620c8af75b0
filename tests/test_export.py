"""Exports: every format parses elsewhere, round-trips, escapes text, is byte-stable and written atomically.

Most tests use a small store in the shape of docs/vocabulary.md whose names and quotes carry the
characters that break naive writers; the last ones use the full bundled graph (``built_store``).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import CHROMIUM_ARGS, ROOT, require_program
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, to_isomorphic

import kg
from kg import export
from kg.cli import main
from kg.errors import KGError, NotFound, UsageError
from kg.export import rdf as rdf_module
from kg.namespaces import (
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
    ID,
    PK,
    PREFIXES,
    document_graph,
    key,
    resource,
    sparql_prologue,
)
from kg.store import OxigraphStore, Store, open_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's parsers use their old APIs

RDF_TYPE = PREFIXES["rdf"] + "type"
SKOS = PREFIXES["skos"]
XSD = PREFIXES["xsd"]
VOID = Namespace(PREFIXES["void"])
DOC_KEY = "0123456789abcdef"

#: text that breaks naive writers: quotes, backslashes, newlines, '>', non-Latin scripts, emoji
TRICKY = [
    'He said "we will stay" \\ then left',
    "line one\nline two\r\nline three",
    "a > b < c & d 'single'",
    "tab\there, trailing backslash \\",
    '"',
    "Ελληνικά · 中文 · العربية · हिन्दी · Русский",
    "emoji 🚀🇺🇳 and ZWJ 👩‍⚕️",
    "</script><script>alert(1)</script>",
    '""" triple """ quotes',
    "control characters \x01 \x1f \x7f and \\u0041 written out",
]
#: names minted into IRIs with kg.namespaces.key()
TRICKY_KEYS = ['Côte d’Ivoire "North" > 1', "S/RES/1270 (1999)", "潘基文", "back\\slash", "x#y?z",
               "🚀 mission"]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def sample_quads() -> list[ox.Quad]:
    """Ontology, reference and one document graph, with the tricky texts as labels and quotes."""
    onto, ref, doc = _n(GRAPH_ONTOLOGY), _n(GRAPH_REFERENCE), _n(document_graph(DOC_KEY))
    owl, rdfs = PREFIXES["owl"], PREFIXES["rdfs"]
    q: list[ox.Quad] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal | str, g: ox.NamedNode) -> None:
        q.append(ox.Quad(_n(s), _n(p), _n(o) if isinstance(o, str) else o, g))

    en = lambda text: ox.Literal(text, language="en")  # noqa: E731
    add(PK.rstrip("#"), RDF_TYPE, owl + "Ontology", onto)
    add(PK.rstrip("#"), PREFIXES["dcterms"] + "title", en("Peacekeeping <KG> & \"ontology\""), onto)
    for cls, label in (("Mission", "mission"), ("PeacekeepingMission", "peacekeeping mission"),
                       ("Country", "country"), ("Statement", "statement"), ("SourceDocument", "document")):
        add(PK + cls, RDF_TYPE, owl + "Class", onto)
        add(PK + cls, rdfs + "label", en(label), onto)
        add(PK + cls, SKOS + "definition", en(f"A {label}. {TRICKY[7]}"), onto)
    add(PK + "PeacekeepingMission", rdfs + "subClassOf", PK + "Mission", onto)
    add(PK + "PeacekeepingMission", SKOS + "example", ox.Literal("UNAMSIL"), onto)
    add(PK + "hostCountry", RDF_TYPE, owl + "ObjectProperty", onto)
    add(PK + "hostCountry", rdfs + "label", en("host country"), onto)
    add(PK + "hostCountry", rdfs + "domain", PK + "PeacekeepingMission", onto)
    add(PK + "hostCountry", rdfs + "range", PK + "Country", onto)
    add(PK + "quote", RDF_TYPE, owl + "DatatypeProperty", onto)
    add(PK + "quote", rdfs + "label", en("quote"), onto)
    add(ID + "cameo", RDF_TYPE, SKOS + "ConceptScheme", onto)
    add(ID + "cameo", SKOS + "prefLabel", en("CAMEO event codes"), onto)
    add(ID + "cameo/010", RDF_TYPE, SKOS + "Concept", onto)
    add(ID + "cameo/010", SKOS + "inScheme", ID + "cameo", onto)
    add(ID + "cameo/010", SKOS + "notation", ox.Literal("010"), onto)
    add(ID + "cameo/010", SKOS + "prefLabel", en("Make statement, not specified below"), onto)

    mission, country = resource("mission", "UNAMSIL"), resource("country", "SLE")
    add(mission, RDF_TYPE, PK + "PeacekeepingMission", ref)
    add(mission, PK + "acronym", ox.Literal("UNAMSIL"), ref)
    add(mission, PK + "hostCountry", country, ref)
    add(mission, "https://schema.org/startDate", ox.Literal("1999-10-22", datatype=_n(XSD + "date")), ref)
    add(mission, PREFIXES["dcterms"] + "source", ox.Literal("raw/un-psdata/DPPADPOSS-PKO.csv#id=55"), ref)
    add(country, RDF_TYPE, PK + "Country", ref)
    add(country, SKOS + "prefLabel", en("Sierra Leone"), ref)
    add(country, PK + "historic", ox.Literal("false", datatype=_n(XSD + "boolean")), ref)
    for i, text in enumerate(TRICKY):
        add(country, SKOS + "altLabel", ox.Literal(text, language=["en", "el", "zh-Hant", "ar"][i % 4]), ref)
    for i, name in enumerate(TRICKY_KEYS):
        org = resource("org", key(name))
        add(org, RDF_TYPE, PREFIXES["org"] + "Organization", ref)
        add(org, SKOS + "prefLabel", ox.Literal(name), ref)
        add(org, PK + "rank", ox.Literal(str(i - 2), datatype=_n(XSD + "integer")), ref)

    document = resource("document", DOC_KEY)
    add(document, RDF_TYPE, PK + "SourceDocument", doc)
    add(document, "https://schema.org/url", ox.Literal("https://example.org/news?id=1&x=\"2\"",
                                                       datatype=_n(XSD + "anyURI")), doc)
    add(document, PREFIXES["dcterms"] + "title", ox.Literal(TRICKY[0]), doc)
    add(document, PREFIXES["rdf"] + "value", ox.Literal("\n".join(TRICKY)), doc)
    for i, text in enumerate(TRICKY):
        st = resource("statement", f"{DOC_KEY}-{i * 10}-{i * 10 + 5}")
        add(st, RDF_TYPE, PK + "Statement", doc)
        add(st, PK + "quote", ox.Literal(text), doc)
        add(st, PK + "sourceDocument", document, doc)
        add(st, PK + "mentions", mission, doc)
        add(st, PREFIXES["oa"] + "hasTarget", st + "#target", doc)
        add(st + "#target", PREFIXES["oa"] + "hasSource", document, doc)
    # the same triple in two graphs: the union dumps must hold it once
    add(mission, PK + "acronym", ox.Literal("UNAMSIL"), doc)
    return q


def load(store: Store, quads: list[ox.Quad]) -> Store:
    for g in sorted({q.graph_name.value for q in quads}):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value == g]
        store.load(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), graph=g)
    return store


@pytest.fixture()
def store() -> Store:
    return load(open_store("memory"), sample_quads())


def union_graph(store: Store) -> Graph:
    return Graph().parse(data=store.dump("ntriples"), format="nt")


def assert_isomorphic(expected: Graph, actual: Graph, what: str) -> None:
    """Isomorphism, with the differing triples listed when it fails."""
    iso_expected, iso_actual = to_isomorphic(expected), to_isomorphic(actual)
    if iso_expected == iso_actual:
        return
    _, only_expected, only_actual = graph_diff(iso_expected, iso_actual)
    lines = [f"{what}: graphs differ"]
    lines += ["  only in the store: " + t for t in _triples(only_expected)[:10]]
    lines += ["  only in the export: " + t for t in _triples(only_actual)[:10]]
    pytest.fail("\n".join(lines))


def _triples(g: Graph) -> list[str]:
    return sorted(" ".join(term.n3() for term in t) for t in g)


def quad_lines(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    return {str(q) for q in ox.parse(data, format=fmt)}


def store_quads(store: Store) -> set[str]:
    return quad_lines(store.dump("nquads"), ox.RdfFormat.N_QUADS)


def store_union(store: Store) -> set[str]:
    return quad_lines(store.dump("ntriples"), ox.RdfFormat.N_TRIPLES)


RDF_WRITERS = [w.name for w in export.WRITERS.values() if w.rdf_syntax and w.name != "void"]
QUAD_WRITERS = {"nquads", "trig"}
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
             "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
RAPPER_SYNTAX = {"turtle": "turtle", "ntriples": "ntriples", "nquads": "nquads", "trig": "trig"}


# ---- the registry -------------------------------------------------------------------------------
def test_every_registered_writer_loads_and_describes_itself() -> None:
    for name, w in export.WRITERS.items():
        assert w.name == name
        assert callable(w.load()), name
        assert w.extension.startswith(".") and "/" in w.media_type and w.description, name


def test_unknown_format_lists_the_valid_ones(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as e:
        export.write(store, "rdfxml", tmp_path / "x.rdf")
    assert str(e.value) == (
        "unknown export format 'rdfxml'; use one of: turtle, ntriples, nquads, trig, jsonld, "
        "jsonld-context, void, ontology, ontology-html, graphml, gexf")
    assert e.value.exit_code == 2
    assert not (tmp_path / "x.rdf").exists()


def test_format_is_guessed_from_the_file_name() -> None:
    assert [export.guess_format(n) for n in ("a.ttl", "b.nt.gz", "c.NQ", "d.trig", "e.jsonld", "void.ttl",
                                             "context.jsonld", "o.html", "g.graphml", "g.gexf",
                                             "ontology.ttl")] == [
        "turtle", "ntriples", "nquads", "trig", "jsonld", "void", "jsonld-context", "ontology-html",
        "graphml", "gexf", "ontology"]
    with pytest.raises(UsageError) as e:
        export.guess_format("dump.rdf")
    assert str(e.value).startswith("cannot tell the export format from the file name 'dump.rdf'; "
                                   "pass --format, one of: turtle, ")


def test_graph_names_resolve(store: Store) -> None:
    assert export.resolve_graph(store, "ontology") == GRAPH_ONTOLOGY
    assert export.resolve_graph(store, "reference") == GRAPH_REFERENCE
    assert export.resolve_graph(store, DOC_KEY) == document_graph(DOC_KEY)
    assert export.resolve_graph(store, document_graph(DOC_KEY)) == document_graph(DOC_KEY)
    with pytest.raises(NotFound) as e:
        export.resolve_graph(store, "refrence")
    assert str(e.value) == ("no graph 'refrence' in the store; did you mean: reference? use ontology, "
                            "reference, a document key (`kg documents` lists them) or a full graph IRI")
    assert e.value.exit_code == 1


def test_options_a_format_does_not_take_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as e:
        export.write(store, "void", tmp_path / "void.ttl", graph="reference")
    assert str(e.value) == ("format 'void' always covers the whole dataset; drop --graph or use one of: "
                            "turtle, ntriples, nquads, trig, jsonld")
    with pytest.raises(UsageError) as e:
        export.write(store, "ontology-html", tmp_path / "o.html", gzip=True)
    assert str(e.value) == ("format 'ontology-html' has no gzip variant; drop --gzip or use one of: "
                            "turtle, ntriples, nquads, trig, jsonld")


# ---- every RDF format parses and round-trips ------------------------------------------------------
@pytest.mark.parametrize("fmt", RDF_WRITERS)
def test_round_trip_through_rdflib_and_pyoxigraph(store: Store, tmp_path: Path, fmt: str) -> None:
    path = export.write(store, fmt, tmp_path / f"dump{export.WRITERS[fmt].extension}", include_texts=True)
    data = path.read_bytes()
    syntax = export.WRITERS[fmt].rdf_syntax
    if fmt in QUAD_WRITERS:
        assert quad_lines(data, OX_FORMAT[fmt]) == store_quads(store)
        ds = Dataset().parse(data=data, format=syntax)
        assert sorted(str(g.identifier) for g in ds.graphs() if len(g)) == store.named_graphs()
        for g in store.named_graphs():
            expected = Graph().parse(data=store.dump("ntriples", graph=g), format="nt")
            assert_isomorphic(expected, ds.graph(URIRef(g)), f"{fmt} graph {g}")
    else:
        assert quad_lines(data, OX_FORMAT[fmt]) == store_union(store)
        assert_isomorphic(union_graph(store), Graph().parse(data=data, format=syntax), fmt)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig"])
def test_rapper_reads_every_rdf_dump(store: Store, tmp_path: Path, fmt: str) -> None:
    rapper = require_program("rapper", "the independent RDF parser of Debian's raptor2-utils")
    path = export.write(store, fmt, tmp_path / f"dump{export.WRITERS[fmt].extension}", include_texts=True)
    out = rapper_parse(rapper, path, RAPPER_SYNTAX[fmt], "nquads" if fmt in QUAD_WRITERS else "ntriples")
    if fmt in QUAD_WRITERS:
        assert quad_lines(out, ox.RdfFormat.N_QUADS) == store_quads(store)
    else:
        assert quad_lines(out, ox.RdfFormat.N_TRIPLES) == store_union(store)


def rapper_parse(rapper: str, path: Path, syntax: str, output: str) -> bytes:
    proc = subprocess.run([rapper, "-q", "-i", syntax, "-o", output, str(path), "http://example.org/base/"],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr.decode("utf-8", "replace")[:2000]
    return proc.stdout


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld"])
def test_one_graph_only(store: Store, tmp_path: Path, fmt: str) -> None:
    path = export.write(store, fmt, tmp_path / "one", graph="reference")
    expected = quad_lines(store.dump("ntriples", graph=GRAPH_REFERENCE), ox.RdfFormat.N_TRIPLES)
    if fmt in QUAD_WRITERS:
        expected = {f"{line} <{GRAPH_REFERENCE}>" for line in expected}
    assert quad_lines(path.read_bytes(), OX_FORMAT[fmt]) == expected


# ---- text and IRIs minted from text ---------------------------------------------------------------
def test_tricky_texts_survive_every_format_exactly(store: Store, tmp_path: Path) -> None:
    country = URIRef(resource("country", "SLE"))
    for fmt in RDF_WRITERS:
        path = export.write(store, fmt, tmp_path / f"t{export.WRITERS[fmt].extension}", include_texts=True)
        g = Dataset().parse(data=path.read_bytes(), format=export.WRITERS[fmt].rdf_syntax)
        labels = {str(o) for _, _, o, _ in g.quads((country, URIRef(SKOS + "altLabel"), None, None))}
        assert labels == set(TRICKY), fmt


def test_iris_minted_from_text_are_percent_encoded_and_parse() -> None:
    for name in TRICKY_KEYS:
        k = key(name)
        assert all(ch.isascii() and ch not in ' <>"{}|\\^`#?' for ch in k), (name, k)
        ox.NamedNode(resource("org", k))  # a valid IRI
    assert key("UNEF I") == "UNEF-I"
    assert key('Côte d’Ivoire "North" > 1') == "C%C3%B4te-d%E2%80%99Ivoire-%22North%22-%3E-1"


def test_turtle_is_pretty_sorted_and_shortens_only_safe_iris(store: Store, tmp_path: Path) -> None:
    text = export.write(store, "turtle", tmp_path / "d.ttl").read_text("utf-8")
    for prefix, ns in PREFIXES.items():
        assert f"@prefix {prefix}: <{ns}> .\n" in text
    assert f"@base <{ID}> .\n" in text
    blocks = text.split("\n\n")[1:]
    subjects = [b.split(" ", 1)[0] for b in blocks]
    assert len(subjects) == len(set(subjects)), "one block per subject"
    mission = next(b for b in blocks if b.startswith("mission:UNAMSIL "))
    assert mission.startswith("mission:UNAMSIL a pk:PeacekeepingMission ;\n")
    assert "pk:hostCountry country:SLE" in mission
    assert '    pk:acronym "UNAMSIL" ;\n' in mission  # the triple in two graphs appears once
    assert mission.count("pk:acronym") == 1
    assert '    schema:startDate "1999-10-22"^^xsd:date' in mission
    # an IRI whose relative form would change meaning keeps its full form
    style = rdf_module.TurtleStyle()
    assert style.iri(f"<{ID}a:b>") == f"<{ID}a:b>"
    assert style.iri(f"<{ID}../x>") == f"<{ID}../x>"
    assert style.iri(f"<{ID}org/x%23y>") == "<org/x%23y>"
    assert style.iri(f"<{ID}statement/a-1-2#target>") == "<statement/a-1-2#target>"
    assert style.iri(f"<{ID}cameo/010>") == "cameo:010"
    assert style.iri(f"<{PK}a.b>") == f"<{PK}a.b>"
    assert style.iri(f"<{PK}hostCountry>") == "pk:hostCountry"


def test_blank_nodes_get_canonical_labels(tmp_path: Path) -> None:
    data = (f'<{ID}x> <{PK}p> _:a .\n_:a <{PK}q> "1" .\n_:a <{PK}r> _:b .\n_:b <{PK}q> "2" .\n').encode()
    outputs = []
    for i in range(2):
        s = open_store("memory")
        s.load(data, graph=GRAPH_REFERENCE)  # Oxigraph gives the blank nodes new random labels each time
        outputs.append(export.write(s, "nquads", tmp_path / f"b{i}.nq").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"_:c14n0" in outputs[0] and b"_:c14n1" in outputs[0]
    assert len(set(ox.parse(outputs[0], format=ox.RdfFormat.N_QUADS))) == 4


# ---- byte-identical output ------------------------------------------------------------------------
def _shuffled_store() -> Store:
    """The same quads, added one by one in another order (so the store's own order differs)."""
    quads = sample_quads()
    random.Random(7).shuffle(quads)
    s = open_store("memory")
    assert isinstance(s, OxigraphStore)
    for q in quads:
        s.native.add(q)
    return s


def test_two_stores_of_the_same_data_give_identical_bytes(tmp_path: Path) -> None:
    first, second = load(open_store("memory"), sample_quads()), _shuffled_store()
    assert store_quads(first) == store_quads(second)
    for fmt in ("turtle", "ntriples", "nquads", "trig", "jsonld", "jsonld-context", "void", "ontology-html"):
        a = export.write(first, fmt, tmp_path / "a" / fmt).read_bytes()
        b = export.write(second, fmt, tmp_path / "b" / fmt).read_bytes()
        assert a == b, fmt
        assert b"20" not in a.split(b"\n", 1)[0] or fmt in ("ntriples", "nquads"), "no date stamp up front"


def test_gzip_is_deterministic_and_holds_the_plain_dump(store: Store, tmp_path: Path) -> None:
    plain = export.write(store, "ntriples", tmp_path / "d.nt").read_bytes()
    one = export.write(store, "ntriples", tmp_path / "1.nt.gz", gzip=True).read_bytes()
    two = export.write(store, "ntriples", tmp_path / "2.nt.gz", gzip=True).read_bytes()
    assert one == two
    assert gzip.decompress(one) == plain
    assert one[:2] == b"\x1f\x8b" and one[4:8] == b"\0\0\0\0", "mtime 0"
    assert not one[3] & 0x08, "no file name in the header"


# ---- atomic writes ------------------------------------------------------------------------------
def test_a_crash_mid_write_leaves_the_old_file_and_no_temp_file(store: Store, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "peacekeeping.ttl"
    target.write_bytes(b"old content\n")

    def crashing(store: Store, out, *, graph: str | None = None,  # noqa: ANN001
                 include_texts: bool = False) -> None:
        out.write(b"@prefix pk: <" + b"x" * 100_000)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rdf_module, "write_turtle", crashing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        export.write(store, "turtle", target)
    assert target.read_bytes() == b"old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peacekeeping.ttl"]


def test_an_unwritable_directory_is_one_clear_error(store: Store, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(KGError) as e:
        export.write(store, "ntriples", blocker / "d.nt")
    assert str(e.value).startswith(f"cannot write {blocker / 'd.nt'}: ")
    assert str(e.value).endswith("; check that the directory is writable and the disk has room")


# ---- JSON-LD ------------------------------------------------------------------------------------
def test_jsonld_context_is_published_and_expands_offline(store: Store, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    dump = json.loads(export.write(store, "jsonld", tmp_path / "d.jsonld", include_texts=True).read_bytes())
    published = json.loads(export.write(store, "jsonld-context", tmp_path / "context.jsonld").read_bytes())
    assert dump["@context"] == published["@context"]
    ctx = published["@context"]
    assert {k: ctx[k] for k in PREFIXES} == PREFIXES
    # short keys: the local names of the terms, except where a prefix has the name (pk:country)
    assert ctx["acronym"] == PK + "acronym" and ctx["hostCountry"] == PK + "hostCountry"
    assert ctx["PeacekeepingMission"] == PK + "PeacekeepingMission"
    assert "country" in PREFIXES and ctx["country"] == PREFIXES["country"]
    node = next(n for n in dump["@graph"] if n["@id"] == "mission:UNAMSIL")
    assert node["@type"] == "PeacekeepingMission"
    assert node["acronym"] == "UNAMSIL"
    assert node["hostCountry"] == {"@id": "country:SLE"}
    assert {k for k in node if ":" in k} == {"dcterms:source"}  # "source" is a prefix: the rule keeps it

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the JSON-LD parser tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    expanded = Graph().parse(data=json.dumps(dump), format="json-ld")
    assert_isomorphic(union_graph(store), expanded, "JSON-LD expanded offline")


def test_jsonld_short_keys_expand_with_pyld_to_the_turtle_dump(store: Store, tmp_path: Path) -> None:
    """A JSON-LD processor other than ours (pyld, JSON-LD 1.1) reads the compacted dump back as the
    graph of the Turtle dump."""
    pyld = pytest.importorskip("pyld.jsonld", reason="pyld is a test extra: pip install -e '.[test]'")
    dump = json.loads(export.write(store, "jsonld", tmp_path / "d.jsonld").read_bytes())
    nquads = pyld.to_rdf(dump, {"format": "application/n-quads"})
    turtle = Graph().parse(export.write(store, "turtle", tmp_path / "d.ttl"), format="turtle")
    assert_isomorphic(turtle, Graph().parse(data=nquads, format="nt"), "JSON-LD expanded by pyld")
    compacted = pyld.compact(pyld.expand(dump), dump["@context"])  # pyld's own compaction: the same keys
    mission = next(n for n in compacted["@graph"] if n["@id"] == "mission:UNAMSIL")
    assert mission["acronym"] == "UNAMSIL" and mission["@type"] == "PeacekeepingMission"


def test_jsonld_short_key_collisions_follow_the_rule(built_store: Store) -> None:
    """On the full graph: every vocabulary term has a short key unless its local name is a prefix
    or an earlier vocabulary's term; no key is a prefix name; the keys are the local names."""
    from kg.export.jsonld import context, store_terms

    ctx = context(built_store)["@context"]
    terms = {k: v for k, v in ctx.items() if k not in PREFIXES}
    assert {k: ctx[k] for k in PREFIXES} == PREFIXES
    for name, iri in terms.items():
        assert iri.endswith(name), (name, iri)
    assert "mission" not in terms and "source" not in terms  # pk:mission, dcterms:source keep a prefix
    assert terms["name"] == PREFIXES["schema"] + "name"  # schema comes before foaf in PREFIXES
    assert PREFIXES["foaf"] + "name" not in terms.values()
    vocab = {p for p in PREFIXES if not PREFIXES[p].startswith(kg.namespaces.ID)}
    missing = {t for t in store_terms(built_store) if kg.namespaces.split_iri(t)
               and kg.namespaces.split_iri(t)[0] in vocab and t not in terms.values()
               and kg.namespaces.split_iri(t)[1] not in PREFIXES and t != PREFIXES["rdf"] + "type"}
    names = {kg.namespaces.split_iri(t)[1] for t in missing}
    assert all(terms.get(n) not in (None,) for n in names), missing  # each lost to an earlier vocabulary


# ---- VoID ---------------------------------------------------------------------------------------
def test_void_counts_sources_and_version(store: Store, tmp_path: Path) -> None:
    g = Graph().parse(export.write(store, "void", tmp_path / "void.ttl"), format="turtle")
    union = union_graph(store)
    public = Graph().parse(export.write(store, "ntriples", tmp_path / "public.nt"), format="nt")
    dataset = URIRef(kg.namespaces.BASE + "dataset")
    # VoID counts what the public dumps hold: the store less the documents' full texts
    assert g.value(dataset, VOID.triples).toPython() == len(public) == len(union) - 1
    assert str(g.value(dataset, URIRef(PREFIXES["dcat"] + "version"))) == kg.__version__
    assert g.value(dataset, URIRef(PREFIXES["dcterms"] + "license")) is not None
    by_graph = {str(g.value(s, URIRef("http://www.w3.org/ns/sparql-service-description#name"))):
                g.value(s, VOID.triples).toPython() for s in g.objects(dataset, VOID.subset)}
    assert by_graph == {name: len(export.write(store, "ntriples", tmp_path / "g.nt", graph=name).read_bytes()
                                  .splitlines()) for name in store.named_graphs()}
    entities = {str(g.value(p, VOID["class"])): g.value(p, VOID.entities).toPython()
                for p in g.objects(dataset, VOID.classPartition)}
    expected: dict[str, int] = {}
    for cls in set(union.objects(None, URIRef(RDF_TYPE))):
        expected[str(cls)] = len(set(union.subjects(URIRef(RDF_TYPE), cls)))
    assert entities == expected
    examples = {str(o) for o in g.objects(dataset, VOID.exampleResource)}
    assert resource("mission", "UNAMSIL") in examples and resource("country", "SLE") in examples
    datatypes = {o.datatype for o in g.objects() if isinstance(o, Literal)}
    assert not datatypes & {URIRef(XSD + "dateTime"), URIRef(XSD + "date")}, "no timestamps"


# ---- the ontology page --------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_ontology_page_escapes_text_and_loads_nothing(store: Store, tmp_path: Path) -> None:
    page = export.write(store, "ontology-html", tmp_path / "ontology.html").read_text("utf-8")
    parsed = _Tags()
    parsed.feed(page)
    tags = {t for t, _ in parsed.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    text = "".join(parsed.text)
    assert f"A peacekeeping mission. {TRICKY[7]}" in text  # shown as text, not run
    for label in ("peacekeeping mission", "host country", "quote", "Make statement, not specified below"):
        assert label in text
    ids = [a["id"] for _, a in parsed.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    for _, attrs in parsed.tags:
        href = attrs.get("href")
        if href:
            assert href.startswith(("#", "http://", "https://")), href
            if href.startswith("#"):
                assert href[1:] in ids, href


@pytest.mark.browser
def test_ontology_page_in_chromium_requests_nothing_external(store: Store, tmp_path: Path) -> None:
    chromium = require_program("chromium", "headless browser for the HTML tests")
    from playwright.sync_api import sync_playwright

    path = export.write(store, "ontology-html", tmp_path / "ontology.html")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(path.as_uri())
            heading = page.locator("#PeacekeepingMission h3").inner_text()
            shown = page.locator("#PeacekeepingMission > p").nth(1).inner_text()
            scripts = page.evaluate("document.scripts.length")
        finally:
            browser.close()
    assert requests == [path.as_uri()]
    assert heading == "peacekeeping mission pk:PeacekeepingMission"
    assert shown == f"A peacekeeping mission. {TRICKY[7]}"
    assert scripts == 0 and dialogs == []


# ---- kg build's exports -------------------------------------------------------------------------
def test_build_exports_write_every_file(store: Store, tmp_path: Path) -> None:
    pytest.importorskip("kg.viz")
    settings = kg.config.Settings(store="memory", exports_dir=tmp_path / "exports")
    seen: list[str] = []
    written = export.write_build_exports(store, settings, progress=seen.append, gzip=True)
    names = sorted(p.name for p in written)
    assert names == sorted([n for _, n in export.BUILD_EXPORTS] + [n + ".gz" for n in export.BUILD_GZIP])
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == names
    assert len(seen) == len(written) - len(export.BUILD_GZIP)
    assert gzip.decompress((tmp_path / "exports" / "peacekeeping.nq.gz").read_bytes()) == (
        tmp_path / "exports" / "peacekeeping.nq").read_bytes()


def test_build_exports_go_on_past_a_broken_writer(store: Store, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(store: Store, out, *, graph: str | None = None) -> None:  # noqa: ANN001
        raise ValueError("no ontology here")

    from kg.export import ontology_doc
    monkeypatch.setattr(ontology_doc, "write_ontology_html", broken)
    monkeypatch.setattr(export, "BUILD_EXPORTS", (("ntriples", "a.nt"), ("ontology-html", "o.html"),
                                                  ("turtle", "a.ttl")))
    settings = kg.config.Settings(store="memory", exports_dir=tmp_path)
    with pytest.raises(KGError) as e:
        export.write_build_exports(store, settings)
    assert str(e.value) == f"1 of 3 exports failed (o.html: no ontology here); the others are in {tmp_path}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nt", "a.ttl"]


# ---- GraphML / GEXF -----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_are_stable_and_read_back(store: Store, tmp_path: Path, fmt: str) -> None:
    viz = pytest.importorskip("kg.viz")
    import networkx as nx

    a = export.write(store, fmt, tmp_path / f"a.{fmt}").read_bytes()
    b = export.write(_shuffled_store(), fmt, tmp_path / f"b.{fmt}").read_bytes()
    assert a == b
    assert b"lastmodifieddate" not in a
    back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(tmp_path / f"a.{fmt}")
    projected = viz.project(store)
    assert sorted(map(str, back.nodes)) == sorted(map(str, projected.nodes))
    assert back.number_of_edges() == projected.number_of_edges()


# ---- the command line ---------------------------------------------------------------------------
@pytest.fixture()
def disk_store(tmp_path: Path) -> str:
    location = str(tmp_path / "store")
    with open_store(location) as s:
        load(s, sample_quads())
    return location


def test_cli_export_writes_what_the_library_writes(disk_store: str, store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(main, ["export", "--store", disk_store, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    assert out.read_bytes() == export.write(store, "turtle", tmp_path / "lib.ttl").read_bytes()

    gz = tmp_path / "ref.nq.gz"
    result = CliRunner().invoke(main, ["export", "--store", disk_store, "--format", "nquads",
                                       "--graph", "reference", "-o", str(gz)])
    assert result.exit_code == 0, result.output
    assert gzip.decompress(gz.read_bytes()) == export.write(
        store, "nquads", tmp_path / "lib.nq", graph="reference").read_bytes()


def test_cli_unknown_format_exits_2_with_the_list(disk_store: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--store", disk_store, "--format", "xml",
                                       "-o", str(tmp_path / "x.xml")])
    assert result.exit_code == 2
    assert result.stderr == ("Error: unknown export format 'xml'; use one of: turtle, ntriples, nquads, "
                             "trig, jsonld, jsonld-context, void, ontology, ontology-html, graphml, gexf\n")
    assert not (tmp_path / "x.xml").exists()


def test_cli_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "kg export --format turtle -o peacekeeping.ttl" in result.output
    for name in export.WRITERS:
        assert name in result.output


# ---- a remote store -----------------------------------------------------------------------------
@pytest.fixture()
def oxigraph_server(tmp_path: Path):  # noqa: ANN201 — yields the endpoint URL
    """A real ``oxigraph serve`` on a free port of 127.0.0.1, stopped after the test."""
    program = Path(sys.executable).with_name("oxigraph")
    if not program.exists():
        program = Path(require_program("oxigraph", "the Oxigraph server of the oxigraph package"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen([str(program), "serve", "--location", str(tmp_path / "server"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {log.read_text()[:500]}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.server
def test_a_remote_store_gives_the_same_bytes(store: Store, oxigraph_server: str, tmp_path: Path) -> None:
    remote = load(open_store(oxigraph_server), sample_quads())
    assert store_quads(remote) == store_quads(store)
    for fmt in ("turtle", "ntriples", "nquads", "trig", "jsonld", "void"):
        local = export.write(store, fmt, tmp_path / "local" / fmt).read_bytes()
        assert export.write(remote, fmt, tmp_path / "remote" / fmt).read_bytes() == local, fmt
    assert export.write(remote, "turtle", tmp_path / "r.ttl", graph=DOC_KEY).read_bytes() == export.write(
        store, "turtle", tmp_path / "l.ttl", graph=DOC_KEY).read_bytes()


# ---- the full bundled graph ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def full_exports(built_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every RDF dump of the bundled graph, texts included, so that each can be compared with the store."""
    folder = tmp_path_factory.mktemp("full")
    return {fmt: export.write(built_store, fmt, folder / f"{fmt}{export.WRITERS[fmt].extension}",
                              include_texts=True)
            for fmt in [*RDF_WRITERS, "void"]}


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "void"])
def test_full_graph_dumps_parse_in_rapper(built_store: Store, full_exports: dict[str, Path],
                                          fmt: str) -> None:
    rapper = require_program("rapper", "the independent RDF parser of Debian's raptor2-utils")
    syntax = RAPPER_SYNTAX.get(fmt, "turtle")
    out = rapper_parse(rapper, full_exports[fmt], syntax, "nquads" if fmt in QUAD_WRITERS else "ntriples")
    if fmt == "void":
        assert quad_lines(out, ox.RdfFormat.N_TRIPLES) == quad_lines(
            full_exports["void"].read_bytes(), ox.RdfFormat.TURTLE)
    elif fmt in QUAD_WRITERS:
        assert quad_lines(out, ox.RdfFormat.N_QUADS) == store_quads(built_store)
    else:
        assert quad_lines(out, ox.RdfFormat.N_TRIPLES) == store_union(built_store)


@pytest.mark.parametrize("fmt", RDF_WRITERS)
def test_full_graph_round_trips(built_store: Store, full_exports: dict[str, Path], fmt: str) -> None:
    data = full_exports[fmt].read_bytes()
    expected = store_quads(built_store) if fmt in QUAD_WRITERS else store_union(built_store)
    assert quad_lines(data, OX_FORMAT[fmt]) == expected
    if fmt in ("turtle", "jsonld"):  # rdflib is slow: the formats written by our own code
        assert_isomorphic(union_graph(built_store), Graph().parse(data=data, format=fmt.replace(
            "jsonld", "json-ld")), fmt)


def test_full_graph_exports_are_byte_identical_across_two_builds(full_exports: dict[str, Path],
                                                                 tmp_path: Path) -> None:
    """A second build in another process (another hash seed, so another set order) gives the same bytes."""
    script = ("import sys\nfrom pathlib import Path\nfrom kg import export\nfrom kg.config import Settings\n"
              "from kg.pipeline import build\nfrom kg.store import open_store\n"
              "s = open_store('memory')\nbuild(s, Settings(store='memory'), write_exports=False)\n"
              "for fmt, name in zip(sys.argv[2::2], sys.argv[3::2]):\n"
              "    export.write(s, fmt, Path(sys.argv[1]) / name, include_texts=True)\n")
    args = [str(tmp_path)] + [x for fmt, path in full_exports.items() for x in (fmt, path.name)]
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parent.parent, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for fmt, path in full_exports.items():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), fmt


def test_void_on_the_bundled_graph_credits_every_source_the_data_cites(built_store, tmp_path: Path) -> None:
    import csv
    import re

    from kg.deployments import DATASETS as DEPLOYMENT_DATASETS

    cited: set[str] = set()
    for path in sorted((ROOT / "data" / "reference").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                cited.update(re.findall(r"dataset:([\w.-]+)", row.get("source", "")))
                if row.get("source", "") in DEPLOYMENT_DATASETS:  # the Geo-PKO and personnel tables
                    cited.add(DEPLOYMENT_DATASETS[row["source"]].key)
    expected = {resource("dataset", d) for d in cited}
    assert resource("dataset", "cameo-eventcodes") in expected  # the CAMEO codes, in the ontology graph
    g = Graph().parse(export.write(built_store, "void", tmp_path / "void.ttl"), format="turtle")
    dataset = URIRef(kg.namespaces.BASE + "dataset")
    assert {str(o) for o in g.objects(dataset, URIRef(PREFIXES["dcterms"] + "source"))} == expected
    psdata = URIRef(resource("dataset", "un-psdata"))
    assert str(g.value(psdata, URIRef(PREFIXES["dcat"] + "landingPage"))) == \
        "https://psdata.un.org/dataset/DPPADPOSS-PKO"


def test_no_source_on_the_bundled_graph_is_a_literal_or_a_local_path(built_store) -> None:
    rows = built_store.query(sparql_prologue() + """
        SELECT ?s ?src WHERE { ?s dcterms:source ?src
          FILTER(!isIRI(?src) || !REGEX(STR(?src), "^https?://")) } LIMIT 5""").records()
    assert rows == []
    derived = built_store.query(sparql_prologue() + """
        SELECT ?rec ?d WHERE { mission:UNAMSIL prov:wasDerivedFrom ?rec . ?rec dcterms:isPartOf ?d }
        ORDER BY ?rec""").records()
    assert derived == [
        {"rec": resource("record", "conflict-relapse--UNAMSIL"),
         "d": resource("dataset", "conflict-relapse")},
        {"rec": resource("record", "un-psdata--55"), "d": resource("dataset", "un-psdata")}]
    sole = built_store.query(sparql_prologue() + """
        SELECT ?q (COUNT(?s) AS ?n) WHERE { ?s pk:sourceQuality ?q } GROUP BY ?q ORDER BY ?q""").records()
    assert {r["q"] for r in sole} <= {"primary", "secondary", "weak", "unverified", "dataset"}
    assert {"primary", "weak", "dataset"} <= {r["q"] for r in sole}
    # a resolution is cited at the UN's document system by its symbol
    assert built_store.query(sparql_prologue() + """ASK { resolution:S-RES-1270-1999 foaf:page
        <https://undocs.org/S/RES/1270(1999)> }""").boolean is True



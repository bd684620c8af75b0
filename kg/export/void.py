"""``void.ttl``: a VoID and DCAT description of the dataset, computed from the store.

It says what the dumps contain (triples per named graph, per class and per property), where
they come from (the public data sets the reference data was converted from, with their
producers and URLs; the web page of every source document), under which licence, which build
made them (``kg.__version__``), where the dumps and the (local) SPARQL endpoint are, and a few
example resources. No timestamps: the same store always gives the same bytes.

IRIs minted here (documented in docs/vocabulary.md): the dataset ``{base}dataset``, its
subsets ``{base}dataset/graph/…``, class and property partitions ``{base}dataset/class/{prefix}/{name}``
and ``{base}dataset/property/{prefix}/{name}``, distributions ``{base}dataset/dump/{format}``; dumps
are located at ``{base}exports/{file}``.
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO
from urllib.parse import quote

import pyoxigraph as ox

import kg
from kg.export import BUILD_EXPORTS, WRITERS
from kg.export.rdf import TurtleStyle, write_turtle_lines
from kg.namespaces import (
    BASE,
    GRAPH,
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
    ID,
    PK,
    PREFIXES,
    sparql_prologue,
    split_iri,
)
from kg.store import Store

DATASET = BASE + "dataset"
SPARQL_ENDPOINT = "http://127.0.0.1:8000/sparql"
#: the licence when the ontology states none (the ontology's dcterms:license wins)
LICENSE = "https://opensource.org/licenses/MIT"
SD = "http://www.w3.org/ns/sparql-service-description#"
#: the prefixes of void.ttl: ours plus the SPARQL service description
VOID_PREFIXES: dict[str, str] = {**PREFIXES, "sd": SD}

#: the dumps as published: (format name, file, media type), from the export registry
DUMPS: tuple[tuple[str, str, str], ...] = tuple(
    (fmt, name, WRITERS[fmt].media_type) for fmt, name in BUILD_EXPORTS
    if fmt in ("turtle", "ntriples", "nquads", "trig", "jsonld"))

#: public data sets the reference data is converted from: (marker in dcterms:source values,
#: title, original producer as they ask to be cited, URL). A data set is listed when its marker
#: appears in a dcterms:source value of the reference graph or of the CAMEO scheme.
SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("un-psdata", "UN list of peacekeeping operations (DPPADPOSS-PKO)",
     "UN Peace and Security Data Hub", "https://psdata.un.org/dataset/DPPADPOSS-PKO"),
    ("conflict-relapse", "Peacekeeping mission to host country crosswalk",
     "T. Ballesteros, conflict-relapse", "https://github.com/tdballesteros/conflict-relapse"),
    ("pkoc", "PeaceKeeping Operations Corpus (PKOC): mission start dates and host countries",
     "Amicarelli and Di Salvatore, Journal of Peace Research, 2021",
     "https://github.com/elioamicarelli/peacekeeping_operations_corpus"),
    ("un-contributions", "Uniformed personnel contributions by country, mission and year",
     "UN Peacekeeping open data, yearly averages computed in UN_Peacekeeping_Analytics (Corinne, MIT)",
     "https://github.com/corinnee/UN_Peacekeeping_Analytics"),
    ("geo-pko", "Geo-PKO v2.3 deployment data (dashboard extracts)",
     "Cil, Fjelde, Hultman and Nilsson, Journal of Peace Research 57(2), 2020; Uppsala University",
     "https://github.com/geopko/Geo-PKO-Shiny-Dashboard"),
    ("bara-hultman", "UN and Non-UN Peacekeeping Dataset v2-2019",
     "Bara and Hultman, International Peacekeeping 27(3), 2020; IPI Peacekeeping Database",
     "https://github.com/treywood10/Mandate_Contribute"),
    ("phoenix.international", "Phoenix international actor dictionary",
     "Open Event Data Alliance, PETRARCH2 dictionaries (MIT)", "https://github.com/openeventdata/petrarch2"),
    ("cameo.eventcodes", "CAMEO event codes",
     "Schrodt et al., CAMEO event codebook (GDELT lookup table)", "https://github.com/AlifCor/media-focus"),
    ("pycountry", "ISO 3166 country names and codes",
     "pycountry, from the Debian iso-codes project", "https://github.com/pycountry/pycountry"),
    ("countryinfo", "Country spellings and demonyms",
     "countryinfo (Python package)", "https://pypi.org/project/countryinfo/"),
    ("country_converter", "Country names, codes and continents",
     "country_converter (Stadler, Journal of Open Source Software, 2017)",
     "https://github.com/IndEcol/country_converter"),
)

#: resources shown as examples when the store has them (plus the first statement and document)
EXAMPLES: tuple[str, ...] = ("mission/UNAMSIL", "country/SLE", "resolution/S-RES-1270-1999",
                             "person/jean-pierre-lacroix", "body/dpo")


class _Triples:
    """Collects N-Triples lines."""

    def __init__(self) -> None:
        self.lines: set[bytes] = set()

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        self.lines.add(f"{ox.NamedNode(s)} {ox.NamedNode(p)} {obj} .".encode())

    def text(self, s: str, p: str, value: str) -> None:
        self.add(s, p, ox.Literal(value, language="en"))

    def count(self, s: str, p: str, n: int) -> None:
        self.add(s, p, ox.Literal(str(n), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))


def _ns(prefix: str, local: str) -> str:
    return VOID_PREFIXES[prefix] + local


def _iri_key(iri: str) -> str:
    """``pk/PeacekeepingMission`` for a term of a known namespace, else a quoted IRI."""
    split = split_iri(iri)
    if split and split[1]:
        return f"{split[0]}/{quote(split[1], safe='-._~')}"
    return "iri/" + quote(iri, safe="")


def _graph_subset(graph: str) -> str:
    if graph.startswith(GRAPH):
        return f"{DATASET}/graph/{graph[len(GRAPH):]}"
    return f"{DATASET}/graph/other/{hashlib.sha256(graph.encode()).hexdigest()[:16]}"


def _rows(store: Store, sparql: str) -> list[dict[str, str]]:
    return store.query(sparql_prologue() + sparql).records()


def _int(store: Store, sparql: str) -> int:
    rows = _rows(store, sparql)
    return int(rows[0]["n"]) if rows else 0


def describe(store: Store) -> list[bytes]:
    """The description as N-Triples lines: the dataset's own first, then sorted by subject."""
    t = _Triples()
    d = DATASET
    t.add(d, _ns("rdf", "type"), _ns("void", "Dataset"))
    t.add(d, _ns("rdf", "type"), _ns("dcat", "Dataset"))
    t.text(d, _ns("dcterms", "title"), "Peacekeeping KG")
    t.text(d, _ns("dcterms", "description"),
           "The open knowledge graph of UN peacekeeping: missions with their host and contributing "
           "countries and establishing resolutions, UN bodies, officials and the posts they held, and "
           "statements made about peacekeeping, each traced to the passage of the document it comes from.")
    licence = _rows(store, f"SELECT (MIN(STR(?l)) AS ?l) WHERE {{ GRAPH <{GRAPH_ONTOLOGY}> "
                           f"{{ ?o a owl:Ontology ; dcterms:license ?l FILTER(isIRI(?l)) }} }}")
    t.add(d, _ns("dcterms", "license"), licence[0].get("l", LICENSE) if licence else LICENSE)
    t.text(d, _ns("dcterms", "rights"),
           "Facts are taken from the sources listed with dcterms:source; cite their producers and check "
           "their terms before redistributing.")
    t.add(d, _ns("dcat", "version"), ox.Literal(kg.__version__))
    t.add(d, _ns("void", "uriSpace"), ox.Literal(ID))
    t.add(d, _ns("void", "sparqlEndpoint"), SPARQL_ENDPOINT)
    t.text(d, _ns("skos", "note"),
           f"The SPARQL endpoint is local: `kg serve` answers at {SPARQL_ENDPOINT}. Dumps are listed as "
           f"distributions; the named graphs are kept in the N-Quads and TriG dumps.")
    for fmt, name, media in DUMPS:
        url, dist = f"{BASE}exports/{name}", f"{d}/dump/{fmt}"
        t.add(d, _ns("void", "dataDump"), url)
        t.add(d, _ns("dcat", "distribution"), dist)
        t.add(dist, _ns("rdf", "type"), _ns("dcat", "Distribution"))
        t.add(dist, _ns("dcat", "downloadURL"), url)
        t.add(dist, _ns("dcat", "mediaType"), f"https://www.iana.org/assignments/media-types/{media}")
        t.add(dist, _ns("dcterms", "title"), ox.Literal(name))

    total = _int(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    t.count(d, _ns("void", "triples"), total)
    t.count(d, _ns("void", "distinctSubjects"),
            _int(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"))
    t.count(d, _ns("void", "entities"),
            _int(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"))

    _sources(store, t)
    _examples(store, t)
    _graphs(store, t)
    _partitions(store, t)
    first = f"<{DATASET}> ".encode()
    return sorted(t.lines, key=lambda line: (not line.startswith(first), line))  # the dataset first


def _sources(store: Store, t: _Triples) -> None:
    # the reference data and the CAMEO scheme (which sits in the ontology graph) cite their sources
    graphs = f"<{GRAPH_REFERENCE}> <{GRAPH_ONTOLOGY}>"
    values = _rows(store, f"SELECT DISTINCT ?src WHERE {{ VALUES ?g {{ {graphs} }} "
                          f"GRAPH ?g {{ ?s dcterms:source ?src }} }}")
    text = "\n".join(r["src"].lower() for r in values)
    for marker, title, producer, url in SOURCES:
        if marker in text:
            t.add(DATASET, _ns("dcterms", "source"), url)
            t.text(url, _ns("dcterms", "title"), title)
            t.add(url, _ns("dcterms", "bibliographicCitation"), ox.Literal(producer))


def _examples(store: Store, t: _Triples) -> None:
    values = " ".join(f"<{ID}{e}>" for e in EXAMPLES)
    rows = _rows(store, f"SELECT ?s WHERE {{ VALUES ?s {{ {values} }} FILTER EXISTS {{ ?s ?p ?o }} }}")
    found = {r["s"] for r in rows}
    for cls in ("Statement", "SourceDocument"):
        rows = _rows(store, f"SELECT (MIN(STR(?s)) AS ?first) WHERE {{ ?s a pk:{cls} FILTER(isIRI(?s)) }}")
        if rows and rows[0].get("first"):
            found.add(rows[0]["first"])
    for iri in sorted(found):
        t.add(DATASET, _ns("void", "exampleResource"), iri)


def _graphs(store: Store, t: _Triples) -> None:
    counts = _rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    docs = {r["g"]: r for r in _rows(
        store, "SELECT ?g (MIN(STR(?u)) AS ?url) (MIN(STR(?t)) AS ?title) WHERE { GRAPH ?g { "
               "?d a pk:SourceDocument OPTIONAL { ?d schema:url ?u } OPTIONAL { ?d dcterms:title ?t } } } "
               "GROUP BY ?g")}
    titles = {GRAPH_ONTOLOGY: "The ontology and the CAMEO concept scheme",
              GRAPH_REFERENCE: "Reference data: missions, countries, resolutions, bodies, officials, "
                               "contributions"}
    for row in counts:
        g = row["g"]
        sub = _graph_subset(g)
        t.add(DATASET, _ns("void", "subset"), sub)
        t.add(sub, _ns("rdf", "type"), _ns("void", "Dataset"))
        t.add(sub, _ns("sd", "name"), g)
        t.count(sub, _ns("void", "triples"), int(row["n"]))
        doc = docs.get(g)
        if g in titles:
            t.text(sub, _ns("dcterms", "title"), titles[g])
        elif doc:
            t.text(sub, _ns("dcterms", "title"), "Source document: " + doc.get("title", g))
        if doc and doc.get("url"):
            try:
                t.add(sub, _ns("dcterms", "source"), ox.NamedNode(doc["url"]))
            except ValueError:  # not a valid IRI: keep it as text
                t.add(sub, _ns("dcterms", "source"), ox.Literal(doc["url"]))


def _partitions(store: Store, t: _Triples) -> None:
    entities = {r["c"]: int(r["n"]) for r in _rows(
        store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")}
    class_triples = {r["c"]: int(r["n"]) for r in _rows(
        store, "SELECT ?c (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?c ?s ?p ?o WHERE { "
               "?s a ?c . ?s ?p ?o FILTER(isIRI(?c)) } } GROUP BY ?c")}
    for c, n in entities.items():
        part = f"{DATASET}/class/{_iri_key(c)}"
        t.add(DATASET, _ns("void", "classPartition"), part)
        t.add(part, _ns("void", "class"), c)
        t.count(part, _ns("void", "entities"), n)
        t.count(part, _ns("void", "triples"), class_triples.get(c, 0))
    t.count(DATASET, _ns("void", "classes"), len(entities))
    properties = _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
                              "{ ?s ?p ?o } } GROUP BY ?p")
    for row in properties:
        part = f"{DATASET}/property/{_iri_key(row['p'])}"
        t.add(DATASET, _ns("void", "propertyPartition"), part)
        t.add(part, _ns("void", "property"), row["p"])
        t.count(part, _ns("void", "triples"), int(row["n"]))
    t.count(DATASET, _ns("void", "properties"), len(properties))
    used = {ns for ns in PREFIXES.values() if any(c.startswith(ns) for c in [*entities, *(
        r["p"] for r in properties)])}
    for ns in sorted(used - {PREFIXES["rdf"], PREFIXES["xsd"]}):
        t.add(DATASET, _ns("void", "vocabulary"), ns.rstrip("#") if ns == PK else ns)


def write_void(store: Store, out: BinaryIO, *, graph: str | None = None) -> None:
    """``void.ttl``: the description written as sorted, pretty Turtle."""
    style = TurtleStyle(VOID_PREFIXES, base=BASE)
    write_turtle_lines(describe(store), out, style=style)

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
import json
from typing import BinaryIO
from urllib.parse import quote

import pyoxigraph as ox

import kg
from kg.export import BUILD_EXPORTS, WRITERS
from kg.export.rdf import TurtleStyle, write_turtle_lines
from kg.namespaces import (
    BASE,
    GRAPH,
    GRAPH_DOCUMENT_PREFIX,
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
def _public_base(public_url: str | None) -> str:
    """The configured public base URL (argument, else KG_PUBLIC_URL, else the local server), ending in /."""
    from kg.config import Settings

    return public_url.rstrip("/") + "/" if public_url else Settings().public_base
#: the licence when the ontology states none (the ontology's dcterms:license wins)
LICENSE = "https://opensource.org/licenses/MIT"
SD = "http://www.w3.org/ns/sparql-service-description#"
#: the prefixes of void.ttl: ours plus the SPARQL service description
VOID_PREFIXES: dict[str, str] = {**PREFIXES, "sd": SD}

#: the dumps as published: (format name, file, media type), from the export registry
DUMPS: tuple[tuple[str, str, str], ...] = tuple(
    (fmt, name, WRITERS[fmt].media_type) for fmt, name in BUILD_EXPORTS
    if fmt in ("turtle", "ntriples", "nquads", "trig", "jsonld"))

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


def describe(store: Store, public_url: str | None = None) -> list[bytes]:
    """The description as N-Triples lines: the dataset's own first, then sorted by subject.

    ``public_url`` is where the graph is published: the endpoint is ``{public_url}sparql`` and the
    dumps are under ``{public_url}exports/``.
    """
    public = _public_base(public_url)
    endpoint = public + "sparql"
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
           "Licences differ by part (see each void:subset): the ontology and the extracted statements are "
           "under the dataset's licence; each reference fact is under the terms of the data set it was "
           "derived from (prov:wasDerivedFrom, dcterms:isPartOf, dcterms:license) or cites the page it was "
           "checked against (dcterms:source). The full texts of third-party source documents are not in "
           "the public dumps: each document keeps its URL and pk:textSha256, and each statement its quote "
           "and offsets, so that provenance can be checked against the source.")
    t.add(d, _ns("dcat", "version"), ox.Literal(kg.__version__))
    t.add(d, _ns("void", "uriSpace"), ox.Literal(ID))
    t.add(d, _ns("void", "sparqlEndpoint"), endpoint)
    t.add(endpoint, _ns("rdf", "type"), _ns("sd", "Service"))
    t.add(endpoint, _ns("sd", "endpoint"), endpoint)
    t.add(endpoint, _ns("sd", "supportedLanguage"), _ns("sd", "SPARQL11Query"))
    t.text(d, _ns("skos", "note"),
           f"The SPARQL endpoint is {endpoint} (`kg serve`; the public URL is the setting KG_PUBLIC_URL or "
           f"--public-url). Dumps are listed as "
           f"distributions; the named graphs are kept in the N-Quads and TriG dumps.")
    for fmt, name, media in DUMPS:
        url, dist = f"{public}exports/{name}", f"{d}/dump/{fmt}"
        t.add(d, _ns("void", "dataDump"), url)
        t.add(d, _ns("dcat", "distribution"), dist)
        t.add(dist, _ns("rdf", "type"), _ns("dcat", "Distribution"))
        t.add(dist, _ns("dcat", "downloadURL"), url)
        t.add(dist, _ns("dcat", "mediaType"), f"https://www.iana.org/assignments/media-types/{media}")
        t.add(dist, _ns("dcterms", "title"), ox.Literal(name))

    texts = _texts_per_graph(store)
    total = _int(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    t.count(d, _ns("void", "triples"), total - sum(texts.values()))
    t.count(d, _ns("void", "distinctSubjects"),
            _int(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"))
    t.count(d, _ns("void", "entities"),
            _int(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"))

    _sources(store, t)
    _examples(store, t)
    licence_iri = licence[0].get("l", LICENSE) if licence else LICENSE
    _graphs(store, t, texts, licence_iri)
    _partitions(store, t, sum(texts.values()))
    first = f"<{DATASET}> ".encode()
    return sorted(t.lines, key=lambda line: (not line.startswith(first), line))  # the dataset first


def _sources(store: Store, t: _Triples) -> None:
    """Every dcat:Dataset the reference facts are derived from, with its title, citation, landing
    page and licence (so that void.ttl alone says what to credit)."""
    rows = _rows(store, f"SELECT ?d ?p ?o (isIRI(?o) AS ?iri) WHERE {{ GRAPH <{GRAPH_REFERENCE}> {{ "
                        f"?d a dcat:Dataset ; ?p ?o VALUES ?p {{ dcterms:title dcterms:bibliographicCitation "
                        f"dcat:landingPage dcterms:license dcat:version }} }} }}")
    for r in rows:
        t.add(DATASET, _ns("dcterms", "source"), r["d"])
        if r["p"] == _ns("dcterms", "title"):
            t.text(r["d"], r["p"], r["o"])
        else:
            t.add(r["d"], r["p"], r["o"] if r["iri"] == "true" else ox.Literal(r["o"]))


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


def _texts_per_graph(store: Store) -> dict[str, int]:
    """Full texts (``rdf:value`` of documents) per document graph: the public dumps leave them out."""
    rows = _rows(store, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?d rdf:value ?text }} "
                        f"FILTER(STRSTARTS(STR(?g), {json.dumps(GRAPH_DOCUMENT_PREFIX)})) }} GROUP BY ?g")
    return {r["g"]: int(r["n"]) for r in rows}


#: licence statement of each part (void:subset) besides its dcterms:license
_PART_RIGHTS = {
    "ontology": "The ontology and the CAMEO scheme (CAMEO codes: see the cameo-eventcodes data set).",
    "reference": "Each fact is under the terms of the data set it was derived from (prov:wasDerivedFrom "
                 "-> dcterms:isPartOf -> dcterms:license / dcterms:rights); facts checked against web pages "
                 "or UN documents cite them with dcterms:source. No single licence covers this part.",
    "document": "Statements extracted by the Peacekeeping KG (who said what, when, to whom), under the "
                "dataset's licence. Quotes and selectors are short excerpts of the source document; its "
                "full text is the publisher's and is not in the public dumps (URL and pk:textSha256 kept).",
}


def _graphs(store: Store, t: _Triples, texts: dict[str, int], licence: str) -> None:
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
        t.count(sub, _ns("void", "triples"), int(row["n"]) - texts.get(g, 0))
        doc = docs.get(g)
        part = ("ontology" if g == GRAPH_ONTOLOGY else "reference" if g == GRAPH_REFERENCE
                else "document" if g.startswith(GRAPH_DOCUMENT_PREFIX) else None)
        if part:
            t.text(sub, _ns("dcterms", "rights"), _PART_RIGHTS[part])
            if part != "reference":
                t.add(sub, _ns("dcterms", "license"), licence)
        if g in titles:
            t.text(sub, _ns("dcterms", "title"), titles[g])
        elif doc:
            t.text(sub, _ns("dcterms", "title"), "Source document: " + doc.get("title", g))
        if doc and doc.get("url"):
            try:
                t.add(sub, _ns("dcterms", "source"), ox.NamedNode(doc["url"]))
            except ValueError:  # not a valid IRI: a source is an IRI or nothing
                pass


def _partitions(store: Store, t: _Triples, texts: int) -> None:
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
        left_out = texts if c == PK + "SourceDocument" else 0
        t.count(part, _ns("void", "triples"), class_triples.get(c, 0) - left_out)
    t.count(DATASET, _ns("void", "classes"), len(entities))
    properties = _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
                              "{ ?s ?p ?o } } GROUP BY ?p")
    properties = [r for r in properties if not (r["p"] == _ns("rdf", "value") and int(r["n"]) == texts)]
    for row in properties:
        part = f"{DATASET}/property/{_iri_key(row['p'])}"
        t.add(DATASET, _ns("void", "propertyPartition"), part)
        t.add(part, _ns("void", "property"), row["p"])
        left_out = texts if row["p"] == _ns("rdf", "value") else 0
        t.count(part, _ns("void", "triples"), int(row["n"]) - left_out)
    t.count(DATASET, _ns("void", "properties"), len(properties))
    used = {ns for ns in PREFIXES.values() if any(c.startswith(ns) for c in [*entities, *(
        r["p"] for r in properties)])}
    for ns in sorted(used - {PREFIXES["rdf"], PREFIXES["xsd"]}):
        t.add(DATASET, _ns("void", "vocabulary"), ns.rstrip("#") if ns == PK else ns)


def write_void(store: Store, out: BinaryIO, *, graph: str | None = None,
               public_url: str | None = None) -> None:
    """``void.ttl``: the description written as sorted, pretty Turtle."""
    style = TurtleStyle(VOID_PREFIXES, base=BASE)
    write_turtle_lines(describe(store, public_url), out, style=style)

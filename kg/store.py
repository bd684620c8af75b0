"""The only place that opens stores: Oxigraph on disk (default), Oxigraph in memory, or a remote endpoint.

Every backend answers SPARQL in the W3C result formats (JSON, XML, CSV, TSV) or, for graph
queries, in an RDF syntax, so callers see one interface and the same bytes whatever the backend.
Queries run over the union of the named graphs (the default graph is the union).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError, UsageError

#: SPARQL results formats: name -> (pyoxigraph format, media type)
RESULT_FORMATS: dict[str, tuple[ox.QueryResultsFormat, str]] = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}

#: RDF formats the store reads and writes: name -> (pyoxigraph format, media type)
RDF_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
}


def _rdf_format(name: str) -> ox.RdfFormat:
    try:
        return RDF_FORMATS[name][0]
    except KeyError:
        raise UsageError(f"unknown RDF format {name!r}; use one of: {', '.join(RDF_FORMATS)}") from None


@dataclass
class QueryResult:
    """A parsed query answer: rows of rdflib terms for SELECT, a boolean for ASK, triples for graphs."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: bytes) -> QueryResult:
        """Parse the W3C SPARQL 1.1 JSON results format."""
        doc = json.loads(data)
        if "boolean" in doc:
            return cls(kind="ask", boolean=bool(doc["boolean"]))
        variables = list(doc.get("head", {}).get("vars", []))
        rows = [{k: _json_term(v) for k, v in b.items()} for b in doc.get("results", {}).get("bindings", [])]
        return cls(kind="select", variables=variables, rows=rows)

    @classmethod
    def from_ntriples(cls, data: bytes) -> QueryResult:
        """Parse a graph answer serialized as N-Triples."""
        triples = [
            (_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object))
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        ]
        return cls(kind="graph", triples=triples)

    def records(self) -> list[dict[str, str]]:
        """The rows as plain strings, unbound variables left out: what most callers want."""
        return [{k: str(v) for k, v in row.items() if v is not None} for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        """The values of one variable as strings (``None`` where unbound) — handy in tests and scripts."""
        return [None if r.get(name) is None else str(r[name]) for r in self.rows]


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_term(value: dict) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    return Literal(value["value"], datatype=URIRef(datatype) if datatype and datatype != XSD_STRING else None)


def _ox_term(term: object) -> Node:
    """A pyoxigraph term as an rdflib term (through its SPARQL JSON binding, the one conversion)."""
    if not isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        raise QueryError(f"unsupported RDF term in result: {term!r}")
    return _json_term(_ox_json(term))


def _ox_json(term: object) -> dict[str, str]:
    """A pyoxigraph term as a binding of the SPARQL JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _cut_select(doc: dict[str, Any], max_rows: int | None) -> tuple[dict[str, Any], bool]:
    """A SELECT answer's JSON document without the rows past ``max_rows``, and whether any were cut."""
    bindings = doc["results"]["bindings"]
    if max_rows is None or len(bindings) <= max_rows:
        return doc, False
    doc["results"]["bindings"] = bindings[:max_rows]
    return doc, True


def _results_bytes(doc: dict[str, Any], fmt: str) -> tuple[bytes, int | None]:
    """Serialize a SPARQL JSON results document in a results format; also the row count (None for ASK)."""
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")  # as Oxigraph writes it
    if fmt != "json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = parsed.serialize(format=RESULT_FORMATS[fmt][0])
    return data, None if "boolean" in doc else len(doc["results"]["bindings"])


def _triples_bytes(source: Any, fmt: str, max_rows: int | None,
                   prefixes: dict[str, str] | None) -> tuple[bytes, bool, int]:
    """Serialize triples (or quads, as triples) in an RDF format, stopping after ``max_rows`` of them.

    Turtle declares those of ``prefixes`` the triples use. Returns the bytes, whether the source was
    cut, and how many triples were written.
    """
    triples: list[ox.Triple] = []
    truncated = False
    try:
        for t in source:
            if max_rows is not None and len(triples) == max_rows:
                truncated = True
                break
            triples.append(t if isinstance(t, ox.Triple) else ox.Triple(t.subject, t.predicate, t.object))
    except (OSError, ValueError, RuntimeError, SyntaxError) as e:
        raise QueryError(f"query failed: {e}") from e
    extra: dict[str, Any] = {}
    if fmt == "turtle" and prefixes:
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        extra["prefixes"] = {p: ns for p, ns in prefixes.items() if f"<{ns}" in text}
    return ox.serialize(triples, format=RDF_FORMATS[fmt][0], **extra), truncated, len(triples)


class _RowCap:
    """A binary writer for a TSV results stream that stops the engine once ``max_rows`` rows are in.

    SPARQL TSV writes the variables on one line and each solution on one line (line breaks in literals
    are escaped), so counting line ends counts rows. The engine serializes natively (no Python object per
    term) and the writer raises :class:`Full` past the limit, so a huge answer is never computed in full.
    """

    class Full(Exception):
        """More than ``max_rows`` rows have been written."""

    def __init__(self, max_rows: int | None) -> None:
        self.max_rows = max_rows
        self.parts: list[bytes] = []
        self.lines = 0

    def write(self, chunk: bytes) -> int:
        self.parts.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        if self.max_rows is not None and self.lines > self.max_rows + 1:  # the header, then the rows
            raise self.Full
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the parts are kept in memory."""

    def answer(self) -> tuple[bytes, bool, int]:
        """The TSV bytes cut at ``max_rows`` rows, whether rows were cut, and how many rows were kept."""
        data = b"".join(self.parts)
        rows = self.lines - 1
        if self.max_rows is None or rows <= self.max_rows:
            return data, False, rows
        end = -1
        for _ in range(self.max_rows + 1):
            end = data.index(b"\n", end + 1)
        return data[:end + 1], True, self.max_rows


#: a query's dataset: the graphs that form its default graph, and the named graphs it may use
Dataset = tuple[tuple[str, ...], tuple[str, ...]]


def _no_dataset(store: Store, dataset: Dataset | None) -> None:
    if dataset is not None:
        raise UsageError(f"the store at {store.location} takes a dataset only in the query text "
                         f"(FROM, FROM NAMED)")


class Store(ABC):
    """One RDF dataset: the ontology, the reference data and one named graph per source document."""

    location: str

    @abstractmethod
    def query_raw(self, sparql: str, fmt: str = "json") -> tuple[str, bytes]:
        """Run a query; return its kind ("select", "ask", "graph") and the serialized answer.

        ``fmt`` is a results format (json, xml, csv, tsv) for SELECT/ASK and an RDF format
        (turtle, ntriples, …) for CONSTRUCT/DESCRIBE; a mismatching one falls back to json / ntriples.
        """

    def query(self, sparql: str) -> QueryResult:
        """Run a query and parse the answer."""
        kind, data = self.query_raw(sparql, "json")  # a graph answer falls back to N-Triples
        if kind == "graph":
            return QueryResult.from_ntriples(data)
        return QueryResult.from_json(data)

    def select(self, sparql: str, fmt: str = "json", *, max_rows: int | None = None,
               dataset: Dataset | None = None) -> tuple[bytes, bool, int | None]:
        """Run a SELECT or ASK query; answer in a results format (json, xml, csv, tsv), cut at ``max_rows``.

        ``dataset`` (default graphs, named graphs) replaces the union of the graphs and the query's own
        ``FROM``. Returns the bytes, whether rows were cut, and how many rows were kept (None for ASK).
        """
        _no_dataset(self, dataset)
        kind, data = self.query_raw(sparql, "json")
        if kind == "graph":
            raise QueryError("select() runs SELECT and ASK queries; use construct() for CONSTRUCT/DESCRIBE")
        doc = json.loads(data)
        doc, truncated = (doc, False) if kind == "ask" else _cut_select(doc, max_rows)
        data, rows = _results_bytes(doc, fmt)
        return data, truncated, rows

    def construct(self, sparql: str, fmt: str = "ntriples", *, max_rows: int | None = None,
                  prefixes: dict[str, str] | None = None,
                  dataset: Dataset | None = None) -> tuple[bytes, bool, int]:
        """Run a CONSTRUCT or DESCRIBE query; answer in an RDF triple format, cut at ``max_rows`` triples.

        Turtle declares those of ``prefixes`` the answer uses; ``dataset`` as for :meth:`select`. Returns
        the bytes, whether triples were cut, and how many were kept.
        """
        _no_dataset(self, dataset)
        kind, data = self.query_raw(sparql, "ntriples")
        if kind != "graph":
            raise QueryError("construct() runs CONSTRUCT and DESCRIBE queries; use select() for SELECT/ASK")
        return _triples_bytes(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), fmt, max_rows, prefixes)

    @abstractmethod
    def load(self, data: bytes, *, format: str = "ntriples", graph: str) -> None:
        """Add RDF data to a named graph."""

    def replace_graph(self, graph: str, data: bytes, *, format: str = "ntriples") -> None:
        """Replace one named graph's content, leaving every other graph untouched."""
        self.remove_graph(graph)
        self.load(data, format=format, graph=graph)

    @abstractmethod
    def remove_graph(self, graph: str) -> None:
        """Remove a named graph (no error when absent)."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def dump(self, format: str = "nquads", *, graph: str | None = None) -> bytes:
        """Serialize the whole dataset (quad formats) or one graph / the union (triple formats)."""

    def has_graph(self, graph: str) -> bool:
        """Whether the dataset holds this named graph."""
        return graph in self.named_graphs()

    def clear(self) -> None:
        """Remove every graph."""
        for g in self.named_graphs():
            self.remove_graph(g)

    def count(self, graph: str | None = None) -> int:
        """Number of triples in one graph, or quads in the whole dataset."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(result.rows[0]["n"])

    def flush(self) -> None:  # noqa: B027 — optional hook
        """Make writes durable where the backend buffers them."""

    def close(self) -> None:  # noqa: B027 — optional hook
        """Release the backend (file locks, connections)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class OxigraphStore(Store):
    """pyoxigraph's store, on disk (RocksDB, a directory) or in memory (``path=None``)."""

    #: queries may be given a dataset (default and named graphs) besides their text
    takes_dataset = True

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False,
                 location: str | None = None) -> None:
        #: what the user named (a store home); ``path`` is the generation directory opened inside it
        self.location = location or ("memory" if path is None else str(path))
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        #: the documents this store holds (see :class:`DocumentRecord`), by key
        self.registry: dict[str, DocumentRecord] = {}
        #: whether the store is complete: in memory always; on disk when its registry was written
        self.complete = path is None
        if path is not None and (Path(path) / REGISTRY_FILE).exists():
            self.registry = read_registry(Path(path)) or {}
            self.complete = True
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                if not (Path(path) / "CURRENT").exists():
                    raise StoreError(f"no store at {path}; run `kg build` first (or pass --store)")
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(str(path))
        except (OSError, RuntimeError) as e:  # RocksDB reports corruption as RuntimeError
            text = str(e)
            if "lock" in text.lower():
                raise StoreError(
                    f"store at {self.location} is locked by another process (a running `kg build`, "
                    f"`kg ingest` or `kg serve`?); wait for it to finish or pass another --store"
                ) from e
            first = text.splitlines()[0] if text else type(e).__name__
            raise StoreError(
                f"cannot open the store at {self.location} ({first}); "
                f"if it is corrupt, delete the directory and run `kg build`"
            ) from e

    @classmethod
    def from_dump(cls, nquads: bytes | Path, graphs: Iterable[str] = ()) -> OxigraphStore:
        """An in-memory store holding an N-Quads dump (bytes or a file), every graph as it was (the
        default graph too); ``graphs`` names graphs to hold even when empty, which N-Quads cannot say."""
        store = cls(None)
        if isinstance(nquads, Path):
            store._store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        else:
            store._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        for graph in graphs:
            store._store.add_graph(ox.NamedNode(graph))
        return store

    @property
    def native(self) -> ox.Store:
        """The underlying pyoxigraph store, for bulk operations."""
        return self._store

    def _query(self, sparql: str, dataset: Dataset | None = None) -> Any:
        """Run a query over the union of the graphs, or over ``dataset``; pyoxigraph's errors become
        QueryError."""
        try:
            if dataset is not None:
                default, named = dataset
                return self._store.query(sparql, default_graph=[ox.NamedNode(g) for g in default],
                                         named_graphs=[ox.NamedNode(g) for g in named])
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from e
        except (OSError, ValueError, RuntimeError) as e:
            raise QueryError(f"query failed: {e}") from e

    def query_raw(self, sparql: str, fmt: str = "json") -> tuple[str, bytes]:
        result = self._query(sparql)
        if isinstance(result, ox.QueryTriples):
            rdf_fmt = RDF_FORMATS.get(fmt, RDF_FORMATS["ntriples"])[0]
            if rdf_fmt.supports_datasets:
                rdf_fmt = ox.RdfFormat.N_TRIPLES
            return "graph", result.serialize(format=rdf_fmt)
        res_fmt = RESULT_FORMATS.get(fmt, RESULT_FORMATS["json"])[0]
        kind = "ask" if isinstance(result, ox.QueryBoolean) else "select"
        return kind, result.serialize(format=res_fmt)

    def select(self, sparql: str, fmt: str = "json", *, max_rows: int | None = None,
               dataset: Dataset | None = None) -> tuple[bytes, bool, int | None]:
        """As :meth:`Store.select`, but streams the solutions and stops reading at ``max_rows``."""
        result = self._query(sparql, dataset)
        if isinstance(result, ox.QueryTriples):
            raise QueryError("select() runs SELECT and ASK queries; use construct() for CONSTRUCT/DESCRIBE")
        if isinstance(result, ox.QueryBoolean):
            data, rows = _results_bytes(json.loads(result.serialize(format=ox.QueryResultsFormat.JSON)), fmt)
            return data, False, rows
        writer = _RowCap(max_rows)
        try:
            result.serialize(writer, format=ox.QueryResultsFormat.TSV)
        except _RowCap.Full:
            pass
        except (OSError, ValueError, RuntimeError) as e:
            raise QueryError(f"query failed: {e}") from e
        data, truncated, rows = writer.answer()
        if fmt != "tsv":
            parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
            data = parsed.serialize(format=RESULT_FORMATS[fmt][0])
        return data, truncated, rows

    def construct(self, sparql: str, fmt: str = "ntriples", *, max_rows: int | None = None,
                  prefixes: dict[str, str] | None = None,
                  dataset: Dataset | None = None) -> tuple[bytes, bool, int]:
        """As :meth:`Store.construct`, but streams the triples and stops reading at ``max_rows``."""
        result = self._query(sparql, dataset)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("construct() runs CONSTRUCT and DESCRIBE queries; use select() for SELECT/ASK")
        return _triples_bytes(result, fmt, max_rows, prefixes)

    def load(self, data: bytes, *, format: str = "ntriples", graph: str) -> None:
        self._writable()
        try:
            self._store.bulk_load(data, format=_rdf_format(format), to_graph=ox.NamedNode(graph))
        except SyntaxError as e:
            raise StoreError(f"cannot load data into <{graph}>: {e}") from e

    def replace_graph(self, graph: str, data: bytes, *, format: str = "ntriples") -> None:
        self._writable()
        # parse first, so that bad data leaves the old graph in place
        node = ox.NamedNode(graph)
        try:
            quads = [ox.Quad(q.subject, q.predicate, q.object, node)
                     for q in ox.parse(data, format=_rdf_format(format))]
        except SyntaxError as e:
            raise StoreError(f"cannot load data into <{graph}>: {e}") from e
        if self._store.contains_named_graph(node):
            self._store.remove_graph(node)
        self._store.extend(quads)

    def remove_graph(self, graph: str) -> None:
        self._writable()
        node = ox.NamedNode(graph)
        if self._store.contains_named_graph(node):
            self._store.remove_graph(node)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def dump(self, format: str = "nquads", *, graph: str | None = None) -> bytes:
        rdf_fmt = _rdf_format(format)
        if rdf_fmt.supports_datasets:
            return self._store.dump(format=rdf_fmt)
        if graph is not None:
            return self._store.dump(format=rdf_fmt, from_graph=ox.NamedNode(graph))
        _, data = self.query_raw("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", format)
        return data

    def clear(self) -> None:
        self._writable()
        self._store.clear()

    def count(self, graph: str | None = None) -> int:
        if graph is not None:
            return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return len(self._store)

    def optimize(self) -> None:
        if not self.read_only and self.location != "memory":
            self._store.optimize()

    def flush(self) -> None:
        if not self.read_only and self.location != "memory":
            self._store.flush()

    def close(self) -> None:
        """Flush, then drop the pyoxigraph store so that RocksDB releases its lock now, not at exit."""
        if self._store is not None:
            self.flush()
            self._store = None

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint (Query, Update and Graph Store Protocol) given by URL.

    ``http://host:port`` is taken as an Oxigraph-style server (``/query``, ``/update``, ``/store``);
    a URL ending in ``/query`` or ``/sparql`` is the query endpoint and the others sit beside it.
    ``KG_REMOTE_UPDATE_URL`` and ``KG_REMOTE_GSP_URL`` override the derived ones.
    """

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        self.location = url
        #: an endpoint keeps no document registry: this one lasts as long as the object
        self.registry: dict[str, DocumentRecord] = {}
        self.complete = True
        self.timeout = timeout
        parsed = urllib.parse.urlsplit(url)
        path = parsed.path.rstrip("/")
        if path.endswith(("/query", "/sparql")):
            base = url.rstrip("/").rsplit("/", 1)[0]
            self.query_url = url
        else:
            base = url.rstrip("/")
            self.query_url = base + "/query"
        self.update_url = os.environ.get("KG_REMOTE_UPDATE_URL", base + "/update")
        self.gsp_url = os.environ.get("KG_REMOTE_GSP_URL", base + "/store")

    def _request(self, url: str, *, method: str = "GET", data: bytes | None = None,
                 headers: dict[str, str] | None = None) -> tuple[str, bytes]:
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace").strip().splitlines()
            detail = body[0][:300] if body else e.reason
            if e.code == 404 and method in ("GET", "DELETE") and "graph=" in url:
                raise FileNotFoundError(url) from e
            where = url.split("?", 1)[0]
            if e.code == 400:
                raise QueryError(f"the endpoint {where} refused the request: {detail}") from e
            setting = ("; if the server's Graph Store Protocol is elsewhere, set KG_REMOTE_GSP_URL"
                       if where == self.gsp_url.split("?", 1)[0] else
                       "; if the server's update endpoint is elsewhere, set KG_REMOTE_UPDATE_URL"
                       if where == self.update_url.split("?", 1)[0] else "")
            raise StoreError(f"{method} {where} answered {e.code}: {detail}{setting}") from e
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            raise StoreError(
                f"cannot reach the SPARQL endpoint {self.location} ({getattr(e, 'reason', e)}); "
                f"check the URL and that the server is running"
            ) from e

    def query_raw(self, sparql: str, fmt: str = "json") -> tuple[str, bytes]:
        media = RESULT_FORMATS.get(fmt, RDF_FORMATS.get(fmt, RESULT_FORMATS["json"]))[1]
        graph_media = RDF_FORMATS.get(fmt, RDF_FORMATS["ntriples"])[1]
        accept = f"{media}, {graph_media};q=0.9, application/sparql-results+json;q=0.8"
        sep = "&" if "?" in self.query_url else "?"
        ctype, body = self._request(
            self.query_url + sep + "union-default-graph", method="POST",
            data=urllib.parse.urlencode({"query": sparql}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        ctype = ctype.split(";")[0].strip()
        if ctype in {m for _, m in RESULT_FORMATS.values()}:
            if ctype == "application/sparql-results+json" and b'"boolean"' in body[:200]:
                return "ask", body
            if ctype == "application/sparql-results+xml" and b"<boolean>" in body:
                return "ask", body
            return "select", body
        return "graph", body

    def update(self, sparql_update: str) -> None:
        self._request(self.update_url, method="POST", data=sparql_update.encode("utf-8"),
                      headers={"Content-Type": "application/sparql-update"})

    def _graph_url(self, graph: str) -> str:
        return f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"

    def load(self, data: bytes, *, format: str = "ntriples", graph: str) -> None:
        self._request(self._graph_url(graph), method="POST", data=data,
                      headers={"Content-Type": RDF_FORMATS[format][1]})

    def replace_graph(self, graph: str, data: bytes, *, format: str = "ntriples") -> None:
        self._request(self._graph_url(graph), method="PUT", data=data,
                      headers={"Content-Type": RDF_FORMATS[format][1]})

    def remove_graph(self, graph: str) -> None:
        try:
            self._request(self._graph_url(graph), method="DELETE")
        except FileNotFoundError:
            pass

    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in result.rows)

    def dump(self, format: str = "nquads", *, graph: str | None = None) -> bytes:
        rdf_fmt = _rdf_format(format)
        if rdf_fmt.supports_datasets:
            _, body = self._request(self.gsp_url, headers={"Accept": RDF_FORMATS[format][1]})
            return body
        if graph is not None:
            _, body = self._request(self._graph_url(graph), headers={"Accept": RDF_FORMATS[format][1]})
            return body
        return self.query_raw("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", format)[1]


# ---- the store home: generations behind one switch ------------------------------------------------
#
# A store directory (``.kg/`` by default) is a *home* that holds complete Oxigraph stores, one per
# generation (``gen-000001/``, ``gen-000002/`` …), and a symlink ``live`` naming the one that answers.
# Writers build or copy a new generation beside the live one and switch ``live`` atomically
# (``os.replace`` of a symlink) only when it is complete, so a reader never sees a half-built graph
# and a kill at any moment leaves the previous generation live. Readers (``kg serve`` workers) compare
# :func:`live_generation` before each query and reopen when it changed. A directory that is itself a
# RocksDB store (a ``CURRENT`` file, the layout before generations) is opened as it is.

#: the symlink in a store home that names the live generation
LIVE_LINK = "live"
_GENERATION_PREFIX = "gen-"


def is_store_dir(path: Path) -> bool:
    """Whether ``path`` is one Oxigraph (RocksDB) store directory."""
    return (path / "CURRENT").is_file()


def live_generation(location: str) -> str | None:
    """The name of the live generation of a store home (``gen-000003``), a token that changes on every
    switch; ``None`` for ``memory``, a URL, a single-store directory or a home with nothing live yet."""
    if location == "memory" or location.startswith(("http://", "https://")):
        return None
    try:
        return os.readlink(os.path.join(location, LIVE_LINK))  # asked before every query: no Path objects
    except OSError:
        return None


def live_path(location: str) -> Path | None:
    """The directory of the store that answers for a location directory, or ``None`` if there is none."""
    path = Path(location)
    if is_store_dir(path):
        return path
    name = live_generation(location)
    if name is not None and is_store_dir(path / name):
        return path / name
    return None


def new_generation_path(location: str) -> Path:
    """A fresh, not yet existing generation directory in a store home (numbered after the highest)."""
    home = Path(location)
    numbers = [int(p.name[len(_GENERATION_PREFIX):]) for p in home.glob(f"{_GENERATION_PREFIX}*")
               if p.name[len(_GENERATION_PREFIX):].isdigit()]
    return home / f"{_GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"


def publish_generation(location: str, generation: Path) -> None:
    """Make ``generation`` (a directory inside the home) the live store, atomically."""
    home = Path(location)
    tmp = home / f".{LIVE_LINK}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(generation.name, tmp)
    os.replace(tmp, home / LIVE_LINK)
    fd = os.open(home, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _refuse_foreign_directory(path: Path, location: str) -> None:
    """StoreError for a directory that holds other things than a store home's."""
    if path.is_dir() and any(p for p in path.iterdir() if not p.name.startswith(".")
                             and not p.name.startswith(_GENERATION_PREFIX)):
        raise StoreError(f"--store {location} is a directory that holds no store (no `live` generation, "
                         f"no CURRENT file); "
                         f"pass a new or empty directory, or the directory of an existing store")


def open_store(location: str, *, read_only: bool = False) -> Store:
    """Open the store a location names: ``memory``, an ``http(s)://`` URL, or a directory.

    A directory is a store home (see above): its live generation is opened, and a new, empty home gets
    its first generation when opened for writing.
    """
    if location == "memory":
        return OxigraphStore(None)
    if location.startswith(("http://", "https://")):
        return RemoteStore(location)
    path = Path(location)
    if path.exists() and not path.is_dir():
        raise StoreError(f"--store {location} is a file, not a store directory; pass a directory, "
                         f"'memory' or an http(s):// endpoint URL")
    live = live_path(location)
    if live is not None:
        return OxigraphStore(live, read_only=read_only, location=location)
    _refuse_foreign_directory(path, location)
    if read_only:
        raise StoreError(f"no store at {location}; run `kg build` first (or pass --store)")
    path.mkdir(parents=True, exist_ok=True)
    generation = new_generation_path(location)
    store = OxigraphStore(generation, location=location)
    publish_generation(location, generation)
    return store


# ---- the write side: a new generation per write, one writer at a time ------------------------------
#
# Every write (``kg build``, ``kg ingest``, ``kg withdraw``) goes through :class:`GenerationWriter`: it
# takes the home's lock file, removes what interrupted writes left, builds or copies a new generation
# beside the live one, and publishes it only when the block succeeds. Each generation carries its
# document registry (:data:`REGISTRY_FILE`), written last: a generation without it is incomplete.

#: the document registry of a generation, inside its directory; written last, so it marks completeness
REGISTRY_FILE = "kg-registry.json"
#: the writers' lock file in a store home
LOCK_FILE = ".lock"


@dataclass(frozen=True)
class DocumentRecord:
    """One registered document: where it came from, what it is, and which extractor read it.

    The text itself is kept in the document's named graph (``rdf:value``), so that a rebuild can
    re-extract it without the original file; ``sha256`` checks that it is the text that was ingested.
    """

    key: str
    #: SHA-256 of the text ("" for a document ingested before the registry existed)
    sha256: str = ""
    #: the path or URL it was ingested from (a ``path#line`` for JSON Lines)
    source: str = ""
    file: str = ""
    url: str | None = None
    title: str | None = None
    publication_date: str | None = None
    site: str | None = None
    date_inferred: bool = False
    date_note: str | None = None
    #: the extractor that produced its graph (kg version + digest of kg/extract)
    extractor: str = ""
    #: when it was first ingested (UTC, ISO 8601)
    ingested: str = ""
    statements: int = 0
    #: SHA-256 of the document graph's N-Triples: tells a rebuild whether re-extraction changed it
    graph_sha256: str = ""
    #: "ingested" (kept by every build) or "bundled" (re-read from data/statements by every build)
    origin: str = "ingested"

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", False)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentRecord:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in names})


def read_registry(generation: Path) -> dict[str, DocumentRecord] | None:
    """The registry of a generation directory; ``None`` when it has none (an incomplete generation)."""
    path = generation / REGISTRY_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise StoreError(f"cannot read the document registry {path} ({e}); "
                         f"the store is damaged: run `kg build` to rebuild it") from e
    return {d["key"]: DocumentRecord.from_json(d) for d in doc.get("documents", [])}


def write_registry(generation: Path, records: dict[str, DocumentRecord]) -> None:
    """Write a generation's registry atomically (sorted by key, so the same documents give the same bytes)."""
    from kg.files import atomic_output

    doc = {"format": 1, "documents": [records[k].to_json() for k in sorted(records)]}
    with atomic_output(generation / REGISTRY_FILE) as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n")


def generations(location: str) -> list[Path]:
    """The generation directories of a store home, oldest first."""
    home = Path(location)
    if not home.is_dir():
        return []
    return sorted(p for p in home.iterdir() if p.is_dir() and p.name.startswith(_GENERATION_PREFIX)
                  and p.name[len(_GENERATION_PREFIX):].isdigit())


def interrupted_generations(location: str) -> list[Path]:
    """Generations newer than the live one: what killed writes left (removed by the next write)."""
    live = live_generation(location)
    return [p for p in generations(location) if live is None or p.name > live]


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


class WriterLock:
    """The lock file of a store home (``fcntl.flock``): one writer at a time, released on exit or death."""

    def __init__(self, location: str, command: str) -> None:
        self.path = Path(location) / LOCK_FILE
        self.command = command
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another kg command"
            os.close(fd)
            raise StoreError(f"the store at {self.path.parent} is being written by {holder}; "
                             f"wait for it to finish, or pass another --store") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"`{self.command}` (pid {os.getpid()})\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing releases the flock
            self._fd = None


class GenerationWriter:
    """Write a store home crash-safely: lock, new generation, publish on success, prune old ones.

    >>> import tempfile
    >>> home = tempfile.mkdtemp()
    >>> with GenerationWriter(home, command="kg doctest") as w:
    ...     w.store.load(b"<urn:a> <urn:b> <urn:c> .\\n", graph="urn:g")
    >>> live_generation(home)
    'gen-000001'

    ``copy_live`` starts from a hard-linked copy of the live generation (``Store.backup``) and its
    registry (ingest, withdraw); otherwise the new generation starts empty (build), and
    :meth:`open_previous` gives the live one, read-only, to read from. On an exception the new
    generation is removed; after a kill it stays behind, incomplete, until the next writer removes it.
    ``memory`` and endpoint URLs have no generations: the store is written in place.
    """

    def __init__(self, location: str, *, copy_live: bool = False, command: str = "kg") -> None:
        self.location = location
        self.copy_live = copy_live
        self.command = command
        self.store: Store
        self.generation: Path | None = None
        self.previous: Path | None = None
        self._lock: WriterLock | None = None
        self.committed = False
        #: generations removed: interrupted writes found at the start, old ones pruned after the switch
        self.removed: list[Path] = []

    @property
    def in_place(self) -> bool:
        """True for ``memory``, a URL or an old single-store directory: no generations to switch."""
        loc = self.location
        return loc == "memory" or loc.startswith(("http://", "https://")) or is_store_dir(Path(loc))

    def __enter__(self) -> GenerationWriter:
        if self.in_place:
            if self.location not in ("memory",) and not self.location.startswith(("http://", "https://")):
                self._lock = WriterLock(self.location, self.command).__enter__()
            self.store = open_store(self.location)
            return self
        home = Path(self.location)
        if home.exists() and not home.is_dir():
            open_store(self.location)  # raises the one-line message for a file
        if live_path(self.location) is None:
            _refuse_foreign_directory(home, self.location)
        self._lock = WriterLock(self.location, self.command).__enter__()
        try:
            for stale in interrupted_generations(self.location):
                _remove_tree(stale)
                self.removed.append(stale)
            self.previous = live_path(self.location)
            self.generation = new_generation_path(self.location)
            if self.copy_live and self.previous is not None:
                try:
                    ox.Store.read_only(str(self.previous)).backup(str(self.generation))
                except (OSError, RuntimeError) as e:
                    raise StoreError(f"cannot copy the live store {self.previous} ({e}); "
                                     f"check the disk has room") from e
            self.store = OxigraphStore(self.generation, location=self.location)
            registry = read_registry(self.previous) if (self.copy_live and self.previous) else None
            self.store.registry = dict(registry or {})
        except BaseException:
            self._abort()
            raise
        return self

    def open_previous(self) -> OxigraphStore | None:
        """The live generation, read-only (``None`` in a new home or when writing in place)."""
        if self.in_place or self.previous is None:
            return None
        store = OxigraphStore(self.previous, read_only=True, location=self.location)
        store.registry = dict(read_registry(self.previous) or {})
        return store

    def _abort(self) -> None:
        if getattr(self, "store", None) is not None:
            self.store.close()
        if not self.in_place:
            if self.generation is not None and not self.committed:
                _remove_tree(self.generation)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.__exit__()
            self._lock = None

    def commit(self) -> None:
        """Finish the write: flush, write the registry, switch ``live`` to it, prune old generations.

        The lock stays held until the block ends, so that what follows (the exports) is still the
        only writer.
        """
        if self.committed:
            return
        if self.in_place:
            if isinstance(self.store, OxigraphStore) and self.store.path is not None:
                self.store.flush()
                write_registry(self.store.path, self.store.registry)
            self.committed = True
            return
        assert self.generation is not None
        self.store.flush()
        registry = self.store.registry
        self.store.close()
        write_registry(self.generation, registry)  # last: the generation is now complete
        publish_generation(self.location, self.generation)
        self.committed = True
        keep = {self.generation.name, self.previous.name if self.previous else ""}
        for old in generations(self.location):
            if old.name not in keep:
                _remove_tree(old)
                self.removed.append(old)

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            self._abort()
            return
        try:
            self.commit()
        except BaseException:
            self._abort()
            raise
        if self.in_place:
            self.store.close()
        self._release()

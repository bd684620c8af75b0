"""One registry of export writers, an atomic ``write`` and the set of files ``kg build`` puts in exports/.

Every writer takes ``(store, out, *, graph=None)`` and writes bytes to the binary file ``out``.
The registry names its module and function as text and imports them on first use, so that
importing this package (and so ``kg --help``) stays fast.

>>> sorted(WRITERS)[:3]
['gexf', 'graphml', 'jsonld']
"""

from __future__ import annotations

import functools
import gzip as gzip_module
import importlib
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kg.errors import KGError, NotFound, UsageError
from kg.files import atomic_output
from kg.names import suggest
from kg.namespaces import GRAPH_DOCUMENT_PREFIX, GRAPH_ONTOLOGY, GRAPH_REFERENCE, document_graph

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.store import Store

#: a writer function: serialize ``store`` (or its ``graph``) to the binary file ``out``
WriteFunc = Callable[..., None]


@dataclass(frozen=True)
class Writer:
    """One export format: where its code is, how its files are named and what options it takes."""

    name: str
    extension: str
    media_type: str
    #: "module:function" of the writer, imported on first use
    target: str
    description: str
    supports_graph: bool = False
    supports_gzip: bool = False
    #: rdflib parser name when the output is RDF (tests parse every RDF format with it)
    rdf_syntax: str | None = None
    #: whether the dump would carry the full texts of the source documents (left out unless asked for)
    carries_texts: bool = False
    #: whether the output names where the graph is published (takes ``public_url``)
    uses_public_url: bool = False

    def load(self) -> WriteFunc:
        """The writer function."""
        module, _, func = self.target.partition(":")
        return getattr(importlib.import_module(module), func)


WRITERS: dict[str, Writer] = {w.name: w for w in (
    Writer("turtle", ".ttl", "text/turtle", "kg.export.rdf:write_turtle",
           "Turtle, the union of the graphs, grouped by subject and sorted",
           supports_graph=True, supports_gzip=True, rdf_syntax="turtle", carries_texts=True),
    Writer("ntriples", ".nt", "application/n-triples", "kg.export.rdf:write_ntriples",
           "N-Triples, the union of the graphs, lines sorted",
           supports_graph=True, supports_gzip=True, rdf_syntax="nt", carries_texts=True),
    Writer("nquads", ".nq", "application/n-quads", "kg.export.rdf:write_nquads",
           "N-Quads with the named graphs, grouped by graph, lines sorted",
           supports_graph=True, supports_gzip=True, rdf_syntax="nquads", carries_texts=True),
    Writer("trig", ".trig", "application/trig", "kg.export.rdf:write_trig",
           "TriG with the named graphs, Turtle-style inside each graph",
           supports_graph=True, supports_gzip=True, rdf_syntax="trig", carries_texts=True),
    Writer("jsonld", ".jsonld", "application/ld+json", "kg.export.jsonld:write_jsonld",
           "JSON-LD, compact, the union of the graphs, context inline",
           supports_graph=True, supports_gzip=True, rdf_syntax="json-ld", carries_texts=True),
    Writer("jsonld-context", ".jsonld", "application/ld+json", "kg.export.jsonld:write_context",
           "the JSON-LD context the dumps use (context.jsonld)"),
    Writer("void", ".ttl", "text/turtle", "kg.export.void:write_void",
           "VoID/DCAT description: sources, licence, counts per graph, class and property",
           rdf_syntax="turtle", uses_public_url=True),
    Writer("ontology", ".ttl", "text/turtle", "kg.export.rdf:write_ontology",
           "the ontology graph (ontology and CAMEO scheme) as Turtle, served at the ontology IRI"),
    Writer("ontology-html", ".html", "text/html", "kg.export.ontology_doc:write_ontology_html",
           "the ontology documented for humans: classes, properties, labels, definitions"),
    Writer("graphml", ".graphml", "application/graphml+xml", "kg.export.gephi:write_graphml",
           "GraphML of the entity network of kg.viz (for Gephi, yEd, Cytoscape)"),
    Writer("gexf", ".gexf", "application/gexf+xml", "kg.export.gephi:write_gexf",
           "GEXF of the entity network of kg.viz (for Gephi)"),
)}

#: what ``kg build`` writes to exports/: (format, file name); the HTML views are written separately
BUILD_EXPORTS: tuple[tuple[str, str], ...] = (
    ("turtle", "peacekeeping.ttl"),
    ("ntriples", "peacekeeping.nt"),
    ("nquads", "peacekeeping.nq"),
    ("trig", "peacekeeping.trig"),
    ("jsonld", "peacekeeping.jsonld"),
    ("jsonld-context", "context.jsonld"),
    ("void", "void.ttl"),
    ("ontology", "ontology.ttl"),
    ("ontology-html", "ontology.html"),
    ("graphml", "peacekeeping.graphml"),
    ("gexf", "peacekeeping.gexf"),
)
#: the build's files that get a ``.gz`` twin when asked (``gzip=True``)
BUILD_GZIP: tuple[str, ...] = ("peacekeeping.nt", "peacekeeping.nq")


def get_writer(fmt: str) -> Writer:
    """The writer of a format name; an unknown name lists the valid ones."""
    try:
        return WRITERS[fmt]
    except KeyError:
        raise UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(WRITERS)}") from None


def guess_format(path: str | Path) -> str:
    """The format a file name implies: ``x.ttl`` -> turtle, ``x.nt.gz`` -> ntriples."""
    name = Path(path).name.lower().removesuffix(".gz")
    if name == "void.ttl":
        return "void"
    if name == "ontology.ttl":
        return "ontology"
    if name == "context.jsonld":
        return "jsonld-context"
    for w in WRITERS.values():  # the first writer of an extension is its plain dump
        if name.endswith(w.extension):
            return w.name
    raise UsageError(f"cannot tell the export format from the file name {Path(path).name!r}; "
                     f"pass --format, one of: {', '.join(WRITERS)}")


def resolve_graph(store: Store, name: str) -> str:
    """The IRI of a named graph given as ``ontology``, ``reference``, a document key or a full IRI."""
    if name == "ontology":
        iri = GRAPH_ONTOLOGY
    elif name == "reference":
        iri = GRAPH_REFERENCE
    elif "://" in name:
        iri = name
    else:
        iri = document_graph(name)
    if not store.has_graph(iri):
        documents = [g for g in store.named_graphs() if g.startswith(GRAPH_DOCUMENT_PREFIX)]
        names = ["ontology", "reference"] + [g.removeprefix(GRAPH_DOCUMENT_PREFIX) for g in documents]
        near = suggest(name, names)
        hint = f"did you mean: {', '.join(near)}? " if near else ""
        raise NotFound(f"no graph {name!r} in the store; {hint}use ontology, reference, a document key "
                       f"(`kg documents` lists them) or a full graph IRI")
    return iri


@contextmanager
def _gzip_stream(out: BinaryIO) -> Iterator[BinaryIO]:
    """Deterministic gzip: no file name and mtime 0 in the header."""
    with gzip_module.GzipFile(fileobj=out, mode="wb", filename="", mtime=0, compresslevel=6) as gz:
        yield gz


def write(store: Store, fmt: str, path: str | Path, *, graph: str | None = None,
          gzip: bool = False, include_texts: bool = False, public_url: str | None = None) -> Path:
    """Write one export atomically; ``graph`` as accepted by :func:`resolve_graph`.

    The full texts of the source documents (their ``rdf:value``) stay out of every dump unless
    ``include_texts``: they are third-party texts. Quotes, offsets, URL and ``pk:textSha256`` stay,
    so that provenance can still be checked against the source.
    """
    writer = get_writer(fmt)
    if graph is not None and not writer.supports_graph:
        with_graph = [w.name for w in WRITERS.values() if w.supports_graph]
        raise UsageError(f"format {fmt!r} always covers the whole dataset; drop --graph or use one of: "
                         f"{', '.join(with_graph)}")
    if gzip and not writer.supports_gzip:
        with_gzip = [w.name for w in WRITERS.values() if w.supports_gzip]
        raise UsageError(f"format {fmt!r} has no gzip variant; drop --gzip or use one of: "
                         f"{', '.join(with_gzip)}")
    graph_iri = resolve_graph(store, graph) if graph is not None else None
    func = writer.load()
    if writer.carries_texts:
        func = functools.partial(func, include_texts=include_texts)
    if writer.uses_public_url and public_url:
        func = functools.partial(func, public_url=public_url)
    path = Path(path)
    try:
        with atomic_output(path) as out:
            if gzip:
                with _gzip_stream(out) as gz:
                    func(store, gz, graph=graph_iri)
            else:
                func(store, out, graph=graph_iri)
    except OSError as e:
        raise KGError(f"cannot write {path}: {e.strerror or e}; check that the directory is writable "
                      f"and the disk has room") from e
    return path


def gzip_file(src: Path, dest: Path) -> Path:
    """A deterministic ``.gz`` copy of a written file (atomically)."""
    with src.open("rb") as f, atomic_output(dest) as out, _gzip_stream(out) as gz:
        shutil.copyfileobj(f, gz, 1 << 20)
    return dest


def write_build_exports(store: Store, settings: Settings, *, progress: Callable[[str], None] | None = None,
                        gzip: bool = False, include_texts: bool = False) -> list[Path]:
    """Write every file of BUILD_EXPORTS into ``settings.exports_dir`` (and ``.gz`` twins when asked).

    A format that fails does not stop the others; the failures are raised together at the end.
    """
    out_dir = Path(settings.exports_dir)
    written: list[Path] = []
    failures: list[str] = []
    for fmt, name in BUILD_EXPORTS:
        path = out_dir / name
        try:
            written.append(write(store, fmt, path, include_texts=include_texts,
                                 public_url=settings.public_base))
            if gzip and name in BUILD_GZIP:
                written.append(gzip_file(path, path.with_name(name + ".gz")))
        except Exception as e:  # one broken writer must not cost the other exports
            failures.append(f"{name}: {e}")
            continue
        if progress:
            progress(f"wrote {path} ({path.stat().st_size:,} bytes)")
    if failures:
        raise KGError(f"{len(failures)} of {len(BUILD_EXPORTS)} exports failed ({'; '.join(failures)}); "
                      f"the others are in {out_dir}")
    return written

"""Use cases that run the whole line: build the graph from the bundled data, ingest documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import Settings
from kg.errors import InputError, ValidationFailed
from kg.namespaces import GRAPH_ONTOLOGY, GRAPH_REFERENCE, PREFIXES, sparql_prologue
from kg.reference import ontology_ntriples, reference_ntriples
from kg.store import OxigraphStore, Store
from kg.validate import ValidationResult, validate_store

#: progress callback: receives one short line per step; the CLI prints it, tests may collect it
Progress = Callable[[str], None]


# ---- ingest (owned by the extraction work, issue 3) -----------------------------------------------
@dataclass
class IngestReport:
    """What `kg ingest` did: documents added, left unchanged, replaced, and every rejected input."""

    accepted: list[str] = field(default_factory=list)  # "dockey file" of documents loaded
    unchanged: list[str] = field(default_factory=list)  # already in the store with the same text
    replaced: list[str] = field(default_factory=list)  # graphs removed because --replace gave a new version
    rejected: list = field(default_factory=list)  # kg.extract.readers.Rejected
    warnings: list = field(default_factory=list)
    statements: int = 0

    @property
    def documents(self) -> int:
        return len(self.accepted) + len(self.unchanged)

    def text(self) -> str:
        lines = [f"ingested {len(self.accepted)} documents ({self.statements} statements), "
                 f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected"]
        lines += [f"  replaced an older version: {r}" for r in self.replaced]
        return "\n".join(lines)


def _document_versions(store: Store) -> dict[str, tuple[str, str, str]]:
    """Document graphs in the store: graph IRI -> (url, file name, SHA-256 of the text)."""
    q = sparql_prologue() + (
        "SELECT ?g ?url ?name ?hash WHERE { GRAPH ?g { ?d a pk:SourceDocument . "
        "OPTIONAL { ?d schema:url ?url } OPTIONAL { ?d schema:name ?name } "
        "OPTIONAL { ?d pk:textSha256 ?hash } } }")
    out = {}
    for r in store.query(q).rows:
        out[str(r["g"])] = (str(r.get("url") or ""), str(r.get("name") or ""), str(r.get("hash") or ""))
    return out


def ingest(store: Store, paths: list[Path], settings: Settings, *, replace: bool = False,
           progress: Progress | None = None) -> IngestReport:
    """Add documents (.txt files, folders with index.tsv, JSON Lines) to the store, one named graph each.

    A document already in the store with the same text is left unchanged; a corrected text of a
    document with the same key (the same URL) rebuilds its graph, keeping its IRIs. With ``replace``
    its graph is rebuilt, and older versions of the same document (same URL, or same file name when
    there is no URL) are removed. Bad inputs are reported in the report and never stop the batch.
    """
    from kg.extract import extract_document, load_gazetteer
    from kg.extract.readers import read_inputs
    from kg.mapping import document_ntriples
    from kg.namespaces import document_graph

    say = progress or (lambda _line: None)
    gaz = load_gazetteer(settings.reference_dir)
    read = read_inputs(list(paths), max_bytes=settings.max_document_bytes)
    report = IngestReport(rejected=list(read.rejected), warnings=list(read.warnings))
    versions = _document_versions(store) if read.documents else {}
    for doc in read.documents:
        graph = document_graph(doc.key)
        label = f"{doc.key} {doc.file}".strip()
        if graph in versions and not replace and versions[graph][2] in ("", doc.text_hash):
            report.unchanged.append(label)
            say(f"unchanged: {label}")
            continue
        if graph in versions:  # the same document, corrected: rebuilt under the same IRIs
            report.replaced.append(graph)
        if replace:
            ident = (doc.url or "", doc.file if not doc.url else "")
            for other, (url, name, _) in sorted(versions.items()):
                same = (url and url == ident[0]) or (not url and not ident[0] and name and name == ident[1])
                if other != graph and same:
                    store.remove_graph(other)
                    report.replaced.append(other)
        result = extract_document(doc, gaz)
        data = document_ntriples(result, gaz)
        store.replace_graph(graph, data)
        versions[graph] = (doc.url or "", doc.file, doc.text_hash)
        report.accepted.append(label)
        report.statements += len(result.statements)
        say(f"ingested: {label} ({len(result.statements)} statements)")
    store.flush()
    return report


def withdraw(store: Store, doc: str) -> str:
    """Remove one document's named graph; ``doc`` is a doc key, a document IRI, a file name or a URL.

    Raises InputError (exit 1) naming how to list the keys when no document matches.
    """
    from kg.namespaces import GRAPH_DOCUMENT_PREFIX, document_graph

    if doc.startswith(GRAPH_DOCUMENT_PREFIX):
        candidates = [doc]
    elif "/document/" in doc:
        candidates = [document_graph(doc.rsplit("/", 1)[-1])]
    else:
        candidates = [document_graph(doc)]
    for graph, (url, name, _) in sorted(_document_versions(store).items()):
        if doc in (url, name):
            candidates.append(graph)
    for graph in candidates:
        if store.has_graph(graph):
            store.remove_graph(graph)
            store.flush()
            return graph
    raise InputError(
        f"no document {doc!r} in the store; list the documents and their keys with "
        f"`kg query \"SELECT ?key ?name WHERE {{ ?d a pk:SourceDocument ; dcterms:identifier ?key . "
        f"OPTIONAL {{ ?d schema:name ?name }} }}\"`")


# ---- build (owned by the reference work, issue 2) -------------------------------------------------
#: the classes the build summary and `kg info` count, in display order (short names)
ENTITY_CLASSES: list[str] = [
    "pk:PeacekeepingMission", "pk:PoliticalMission", "pk:SecurityCouncilResolution",
    "pk:GeneralAssemblyResolution", "pk:Country", "pk:UNBody", "pk:RegionalOrganization", "pk:Framework",
    "foaf:Person", "org:Post", "org:Membership", "pk:Contribution", "skos:Concept", "pk:SourceDocument",
    "pk:Statement",
]


@dataclass
class BuildSummary:
    """What a build produced: triple count, entities per class, exports written, validation result."""

    triples: int
    counts: dict[str, int]
    graphs: int
    validation: ValidationResult
    documents: int = 0
    exports: list[Path] = field(default_factory=list)

    def text(self) -> str:
        """A short human summary (what `kg build` prints)."""
        lines = [f"Built {self.triples} triples in {self.graphs} named graphs; {self.validation.summary()}."]
        lines += [f"  {name:32} {n:>7}" for name, n in self.counts.items() if n]
        if self.exports:
            folders = sorted({str(p.parent) for p in self.exports})
            lines.append(f"Exports ({len(self.exports)} files) in: {', '.join(folders)}")
        else:
            lines.append("No exports written.")
        return "\n".join(lines)


@dataclass
class StoreInfo:
    """What `kg info` shows about a store."""

    version: str
    location: str
    backend: str
    triples: int
    graphs: list[str]
    counts: dict[str, int]

    def text(self) -> str:
        lines = [f"kg {self.version}", f"store: {self.location} ({self.backend})",
                 f"triples: {self.triples} in {len(self.graphs)} named graphs"]
        lines += [f"  {name:32} {n:>7}" for name, n in self.counts.items()]
        return "\n".join(lines)


def class_counts(store: Store) -> dict[str, int]:
    """Distinct instances of each class in ENTITY_CLASSES (0 when absent)."""
    values = " ".join(ENTITY_CLASSES)
    result = store.query(sparql_prologue() + "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { "
                         f"VALUES ?c {{ {values} }} ?s a ?c }} GROUP BY ?c")
    found = {str(r["c"]): int(r["n"]) for r in result.rows}
    counts: dict[str, int] = {}
    for name in ENTITY_CLASSES:
        prefix, _, local = name.partition(":")
        counts[name] = found.get(PREFIXES[prefix] + local, 0)
    return counts


def store_info(store: Store) -> StoreInfo:
    """Version, store location and backend, triple count and entities per class."""
    from kg import __version__

    backend = type(store).__name__
    if isinstance(store, OxigraphStore):
        backend = "Oxigraph in memory" if store.location == "memory" else "Oxigraph on disk"
    elif store.location.startswith(("http://", "https://")):
        backend = "remote SPARQL endpoint"
    return StoreInfo(version=__version__, location=store.location, backend=backend, triples=store.count(),
                     graphs=store.named_graphs(), counts=class_counts(store))


def _has_documents(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))


def build(store: Store, settings: Settings, *, progress: Progress | None = None,
          write_exports: bool = True, gzip: bool = False, include_texts: bool = False) -> BuildSummary:
    """Rebuild the whole graph: ontology (+ CAMEO), reference data, statements, validation, exports.

    Raises InputError for a bad reference file, ValidationFailed (listing the violations) when the graph
    does not conform to ontology/shapes.ttl; nothing is exported then.
    """
    say = progress or (lambda _line: None)
    say(f"clearing the store at {store.location}")
    store.clear()
    say("loading the ontology and the CAMEO scheme")
    store.load(ontology_ntriples(settings.ontology_dir, settings.reference_dir), graph=GRAPH_ONTOLOGY)
    say(f"loading the reference data from {settings.reference_dir}")
    store.load(reference_ntriples(settings.reference_dir), graph=GRAPH_REFERENCE)
    documents = 0
    if _has_documents(settings.statements_dir):
        say(f"extracting statements from {settings.statements_dir}")
        report = ingest(store, [settings.statements_dir], settings, progress=progress)
        if report.rejected:
            # the bundled data must build cleanly: a rejected bundled document is a broken build
            raise InputError(f"{len(report.rejected)} bundled document(s) rejected: "
                             + "; ".join(str(r) for r in report.rejected))
        documents = report.documents
    if isinstance(store, OxigraphStore):
        say("optimizing the store")
        store.optimize()
    say("validating against ontology/shapes.ttl")
    result = validate_store(store, settings.ontology_dir)
    if not result.conforms:
        error = ValidationFailed(f"the graph does not conform to the shapes: {result.summary()}; "
                                 f"fix the data named below and build again\n" + "\n".join(result.lines()))
        error.result = result  # type: ignore[attr-defined]
        raise error
    exports: list[Path] = []
    if write_exports:
        from kg.export import write_build_exports
        from kg.export.html import write_standard_views

        say(f"writing exports to {settings.exports_dir}")
        exports += write_build_exports(store, settings, progress=progress, gzip=gzip,
                                       include_texts=include_texts)
        say("writing the HTML views")
        exports += write_standard_views(store, settings.exports_dir / "html")
    store.flush()
    return BuildSummary(triples=store.count(), counts=class_counts(store), graphs=len(store.named_graphs()),
                        validation=result, documents=documents, exports=sorted(exports))


# ---- push (issue 4: the remote store) -------------------------------------------------------------
@dataclass
class PushSummary:
    """What `kg push` sent: named graphs and triples."""

    target: str
    graphs: int
    triples: int

    def text(self) -> str:
        return f"pushed {self.graphs} named graphs ({self.triples} triples) to {self.target}"


def push(source: Store, target: Store, *, progress: Progress | None = None) -> PushSummary:
    """Copy every named graph of ``source`` to ``target``, replacing each one there (GSP PUT on a remote).

    Graphs the target holds that the source does not are left alone.
    """
    say = progress or (lambda _line: None)
    graphs = source.named_graphs()
    triples = 0
    for graph in graphs:
        data = source.dump("ntriples", graph=graph)
        n = data.count(b"\n")
        say(f"{graph}: {n} triples")
        target.replace_graph(graph, data, format="ntriples")
        triples += n
    return PushSummary(target=target.location, graphs=len(graphs), triples=triples)

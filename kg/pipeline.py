"""Use cases that run the whole line: build the graph from the bundled data, ingest documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import Settings
from kg.errors import InputError, KGError, ValidationFailed
from kg.model import Document
from kg.namespaces import GRAPH_ONTOLOGY, GRAPH_REFERENCE, PREFIXES, sparql_prologue
from kg.reference import ontology_ntriples, reference_ntriples
from kg.store import DocumentRecord, OxigraphStore, Store
from kg.validate import ValidationResult, validate_store

#: progress callback: receives one short line per step; the CLI prints it, tests may collect it
Progress = Callable[[str], None]
#: per-document progress: (documents done, documents in all); the CLI draws a bar with it
Advance = Callable[[int, int], None]


# ---- the document registry and ingest (issue 10: a corpus that lives) ------------------------------
def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 document', '2 documents', '0 documents': counts as English."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def extractor_version() -> str:
    """kg's version and a digest of the extraction code (kg/extract): a rebuild re-extracts with it, and
    the registry records which one read each document."""
    import hashlib

    from kg import __version__

    root = Path(__file__).resolve().parent / "extract"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _record(doc: Document, data: bytes, statements: int, *, origin: str, extractor: str,
            previous: DocumentRecord | None) -> DocumentRecord:
    """The registry entry of a document just extracted (its first ingest time kept across rebuilds)."""
    import hashlib

    return DocumentRecord(
        key=doc.key, sha256=hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        source=(previous.source if previous and not doc.origin else doc.origin or doc.url or doc.file),
        file=doc.file, url=doc.url, title=doc.title, publication_date=doc.publication_date,
        site=doc.source, date_inferred=doc.date_inferred, date_note=doc.date_note, extractor=extractor,
        ingested=previous.ingested if previous else _now(), statements=statements,
        graph_sha256=hashlib.sha256(data).hexdigest(), origin=origin)


@dataclass
class IngestReport:
    """What `kg ingest` did: documents added, left unchanged, replaced, and every rejected input."""

    accepted: list[str] = field(default_factory=list)  # "dockey file" of documents loaded
    unchanged: list[str] = field(default_factory=list)  # already in the store with the same text
    replaced: list[str] = field(default_factory=list)  # graphs removed because --replace gave a new version
    rejected: list = field(default_factory=list)  # kg.extract.readers.Rejected
    warnings: list = field(default_factory=list)
    statements: int = 0
    #: documents and statements the store holds afterwards (0 when not counted)
    total_documents: int = 0
    total_statements: int = 0

    @property
    def documents(self) -> int:
        return len(self.accepted) + len(self.unchanged)

    def text(self) -> str:
        lines = [f"ingested {plural(len(self.accepted), 'document')} "
                 f"({plural(self.statements, 'statement')}), {len(self.unchanged)} unchanged, "
                 f"{len(self.rejected)} rejected"]
        lines += [f"  replaced an older version: {r}" for r in self.replaced]
        if self.total_documents:
            lines.append(f"the store holds {plural(self.total_documents, 'document')} and "
                         f"{plural(self.total_statements, 'statement')}")
        return "\n".join(lines)


#: metadata of the documents in a store, read from their graphs (for stores without a registry)
_DOCUMENTS_QUERY = """SELECT ?g ?key ?url ?name ?title ?date ?site ?inferred ?note
       (COUNT(DISTINCT ?st) AS ?statements) WHERE {
  GRAPH ?g { ?d a pk:SourceDocument ; dcterms:identifier ?key .
    OPTIONAL { ?d schema:url ?url } OPTIONAL { ?d schema:name ?name } OPTIONAL { ?d dcterms:title ?title }
    OPTIONAL { ?d schema:datePublished ?date } OPTIONAL { ?d dcterms:publisher ?site }
    OPTIONAL { ?d pk:dateInferred ?inferred } OPTIONAL { ?d skos:note ?note }
    OPTIONAL { ?st pk:sourceDocument ?d } }
} GROUP BY ?g ?key ?url ?name ?title ?date ?site ?inferred ?note"""


def registered_documents(store: Store) -> dict[str, DocumentRecord]:
    """Every document the store holds, by key: its registry, plus any document graph the registry does
    not list (ingested by a kg older than the registry), described from the graph itself."""
    from kg.namespaces import GRAPH_DOCUMENT_PREFIX

    records = dict(store.registry)
    graphs = [g for g in store.named_graphs() if g.startswith(GRAPH_DOCUMENT_PREFIX)]
    if all(g[len(GRAPH_DOCUMENT_PREFIX):] in records for g in graphs):
        return records
    for r in store.query(sparql_prologue() + _DOCUMENTS_QUERY).records():
        if r["key"] not in records:
            records[r["key"]] = DocumentRecord(
                key=r["key"], sha256="", source=r.get("url") or r.get("name", ""), file=r.get("name", ""),
                url=r.get("url"), title=r.get("title"), publication_date=r.get("date"), site=r.get("site"),
                date_inferred=r.get("inferred") == "true", date_note=r.get("note"),
                statements=int(r.get("statements", 0)))
    return records


def document_texts(store: Store, keys: list[str]) -> dict[str, str]:
    """The texts of documents kept in the store (``rdf:value`` of each document), by key."""
    from kg.namespaces import document_graph

    out: dict[str, str] = {}
    for i in range(0, len(keys), 200):
        values = " ".join(f"<{document_graph(k)}>" for k in keys[i:i + 200])
        q = sparql_prologue() + ("SELECT ?key ?text WHERE { VALUES ?g { " + values + " } GRAPH ?g { "
                                 "?d a pk:SourceDocument ; dcterms:identifier ?key ; rdf:value ?text } }")
        out.update({r["key"]: r["text"] for r in store.query(q).records()})
    return out


def _as_document(record: DocumentRecord, text: str) -> Document:
    return Document(text=text, file=record.file, url=record.url, title=record.title,
                    publication_date=record.publication_date, source=record.site,
                    date_inferred=record.date_inferred, date_note=record.date_note, origin=record.source)


def _document_versions(store: Store) -> dict[str, tuple[str, str]]:
    """Document graphs in the store: graph IRI -> (url, file name)."""
    from kg.namespaces import document_graph

    return {document_graph(k): (r.url or "", r.file) for k, r in registered_documents(store).items()}


class _Extractor:
    """Extracts documents and loads each into its graph, registering it; loads the gazetteer once."""

    def __init__(self, store: Store, settings: Settings) -> None:
        from kg.extract import load_gazetteer

        self.store = store
        self.gazetteer = load_gazetteer(settings.reference_dir)
        self.version = extractor_version()

    def load(self, doc: Document, *, origin: str, previous: DocumentRecord | None) -> DocumentRecord:
        from kg.extract import extract_document
        from kg.mapping import document_ntriples
        from kg.namespaces import document_graph

        result = extract_document(doc, self.gazetteer)
        data = document_ntriples(result, self.gazetteer)
        self.store.replace_graph(document_graph(doc.key), data)
        record = _record(doc, data, len(result.statements), origin=origin, extractor=self.version,
                         previous=previous)
        self.store.registry[doc.key] = record
        return record


def ingest(store: Store, paths: list[Path], settings: Settings, *, replace: bool = False,
           progress: Progress | None = None, advance: Advance | None = None, validate: bool = False,
           origin: str = "ingested") -> IngestReport:
    """Add documents (.txt files, folders with index.tsv, JSON Lines) to the store, one named graph each,
    and register each one (source, hash, metadata, extractor version, when) in ``store.registry``.

    A document already in the store with the same text is left unchanged; a corrected text of a
    document with the same key (the same URL) rebuilds its graph, keeping its IRIs. With ``replace`` its
    graph is rebuilt, and older versions of the same document (same URL, or same file name when there
    is no URL) are removed. With ``validate`` each new graph is checked against the shapes and a
    document whose graph does not conform is rejected (removed again). Bad inputs are reported in the
    report and never stop the batch. ``advance(done, total)`` is called after each document.
    """
    from kg.extract.readers import Rejected, read_inputs
    from kg.namespaces import document_graph

    say = progress or (lambda _line: None)
    read = read_inputs(list(paths), max_bytes=settings.max_document_bytes)
    report = IngestReport(rejected=list(read.rejected), warnings=list(read.warnings))
    if not read.documents:
        return report
    versions = _document_versions(store)
    extractor = _Extractor(store, settings)
    loaded: dict[str, tuple[str, int, Document]] = {}
    for done, doc in enumerate(read.documents, start=1):
        graph = document_graph(doc.key)
        label = f"{doc.key} {doc.file}".strip()
        registered = store.registry.get(doc.key)
        same_text = registered is None or registered.sha256 in ("", doc.text_hash)
        if graph in versions and not replace and same_text:
            report.unchanged.append(label)
            say(f"unchanged: {label}")
        else:
            if graph in versions:  # the same document (a corrected text, or --replace): same IRIs
                report.replaced.append(graph)
            if replace:
                ident = (doc.url or "", doc.file if not doc.url else "")
                for other, (url, name) in sorted(versions.items()):
                    same = (url and url == ident[0]) or (
                        not url and not ident[0] and name and name == ident[1])
                    if other != graph and same:
                        store.remove_graph(other)
                        store.registry.pop(other.rsplit("/", 1)[-1], None)
                        report.replaced.append(other)
            record = extractor.load(doc, origin=origin, previous=store.registry.get(doc.key))
            versions[graph] = (doc.url or "", doc.file)
            loaded[graph] = (label, record.statements, doc)
            say(f"ingested: {label} ({plural(record.statements, 'statement')})")
        if advance:
            advance(done, len(read.documents))
    if validate and loaded:
        from kg.validate import validate_graphs

        say(f"checking the {plural(len(loaded), 'new document graph')} against ontology/shapes.ttl")
        for graph, lines in validate_graphs(store, sorted(loaded), settings.ontology_dir).items():
            label, _, doc = loaded.pop(graph)
            store.remove_graph(graph)
            store.registry.pop(doc.key, None)
            report.rejected.append(Rejected(doc.origin or doc.file, None,
                                            f"its graph does not conform to the shapes ({lines[0]}"
                                            f"{f' and {len(lines) - 1} more' if len(lines) > 1 else ''}); "
                                            f"report it as an extraction bug"))
    for label, statements, _ in loaded.values():
        report.accepted.append(label)
        report.statements += statements
    store.flush()
    return report


def _load_base(store: Store, settings: Settings, say: Progress) -> None:
    """The ontology (+ CAMEO) and the reference data, each in its graph."""
    say("loading the ontology and the CAMEO scheme")
    store.replace_graph(GRAPH_ONTOLOGY, ontology_ntriples(settings.ontology_dir, settings.reference_dir))
    say(f"loading the reference data from {settings.reference_dir}")
    store.replace_graph(GRAPH_REFERENCE, reference_ntriples(settings.reference_dir))


def _totals(store: Store) -> tuple[int, int]:
    records = store.registry.values()
    return len(records), sum(r.statements for r in records)


def ingest_store(location: str, paths: list[Path], settings: Settings, *, replace: bool = False,
                 progress: Progress | None = None, advance: Advance | None = None) -> IngestReport:
    """`kg ingest`: ingest into a new generation of the store (a copy of the live one) and switch to it
    when every new graph has been checked; a new store gets the ontology and reference data first."""
    from kg.store import GenerationWriter

    say = progress or (lambda _line: None)
    with GenerationWriter(location, copy_live=True, command="kg ingest") as w:
        if not w.store.has_graph(GRAPH_REFERENCE):
            _load_base(w.store, settings, say)
        w.store.registry = registered_documents(w.store)
        report = ingest(w.store, paths, settings, replace=replace, progress=progress, advance=advance,
                        validate=True)
        report.total_documents, report.total_statements = _totals(w.store)
    return report


def find_documents(records: dict[str, DocumentRecord], name: str) -> list[DocumentRecord]:
    """The documents a name picks out: a key, a document or graph IRI, a file name, a URL, a source path
    or a title (exact, then case-insensitive)."""
    if "/" in name and name.rsplit("/", 1)[-1] in records and ("/document/" in name):
        return [records[name.rsplit("/", 1)[-1]]]
    if name in records:
        return [records[name]]
    exact = [r for r in records.values() if name in (r.file, r.url, r.source, r.title)]
    if exact:
        return sorted(exact, key=lambda r: r.key)
    folded = name.casefold()
    return sorted((r for r in records.values() if folded in {(v or "").casefold() for v in
                   (r.file, r.url, r.source, r.title)}), key=lambda r: r.key)


def no_document(records: dict[str, DocumentRecord], name: str) -> KGError:
    """NotFound (exit 1) for a name that matches no document, with the nearest names."""
    from kg.errors import NotFound
    from kg.names import suggest

    names = sorted({n for r in records.values() for n in (r.key, r.file, r.url, r.title) if n})
    near = suggest(name, names, limit=3)
    hint = f"did you mean: {', '.join(near)}? " if near else ""
    return NotFound(f"no document {name!r} in the store; {hint}`kg documents` lists them")


def withdraw(store: Store, doc: str) -> str:
    """Remove one document's named graph and its registry entry; ``doc`` is what `kg documents` shows
    (key, file name, URL, source path or title) or a document IRI.

    Raises NotFound (exit 1) with the nearest names when no document matches, InputError when several do.
    """
    from kg.namespaces import document_graph

    records = registered_documents(store)
    matches = find_documents(records, doc)
    if not matches:
        raise no_document(records, doc)
    if len(matches) > 1:
        raise InputError(f"{doc!r} names {len(matches)} documents ({', '.join(r.key for r in matches)}); "
                         f"pass the key of the one to withdraw")
    graph = document_graph(matches[0].key)
    store.remove_graph(graph)
    store.registry = {k: r for k, r in records.items() if k != matches[0].key}
    store.flush()
    return graph


def withdraw_store(location: str, doc: str) -> tuple[str, int, int]:
    """`kg withdraw` in a new generation; returns the graph removed and the documents and statements left."""
    from kg.store import GenerationWriter

    with GenerationWriter(location, copy_live=True, command="kg withdraw") as w:
        graph = withdraw(w.store, doc)
        documents, statements = _totals(w.store)
    return graph, documents, statements


@dataclass
class DocumentRow:
    """One line of `kg documents`."""

    key: str
    title: str
    date: str
    site: str
    statements: int
    ingested: str
    file: str
    url: str
    source: str
    origin: str
    extractor: str

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def list_documents(store: Store, *, site: str | None = None, since: str | None = None,
                   until: str | None = None, text: str | None = None) -> list[DocumentRow]:
    """The registered documents, newest publication first, filtered by site (substring), publication
    date range (ISO prefixes compare as strings) and a substring of the title, file or URL."""
    rows = []
    for r in registered_documents(store).values():
        row = DocumentRow(key=r.key, title=r.title or "", date=r.publication_date or "", site=r.site or "",
                          statements=r.statements, ingested=r.ingested, file=r.file, url=r.url or "",
                          source=r.source, origin=r.origin, extractor=r.extractor)
        if site and site.casefold() not in row.site.casefold():
            continue
        if since and (not row.date or row.date[:len(since)] < since):
            continue
        if until and (not row.date or row.date[:len(until)] > until):
            continue
        if text and not any(text.casefold() in v.casefold() for v in (row.title, row.file, row.url)):
            continue
        rows.append(row)
    return sorted(rows, key=lambda r: (r.date, r.key), reverse=True)


# ---- build (owned by the reference work, issue 2) -------------------------------------------------
#: the classes the build summary and `kg info` count, in display order (short names)
ENTITY_CLASSES: list[str] = [
    "pk:PeacekeepingMission", "pk:PoliticalMission", "pk:SecurityCouncilResolution",
    "pk:GeneralAssemblyResolution", "pk:Country", "pk:UNBody", "pk:RegionalOrganization", "pk:Framework",
    "foaf:Person", "org:Post", "org:Membership", "pk:Contribution", "skos:Concept", "pk:SourceDocument",
    "pk:Statement",
]


@dataclass
class DocumentChanges:
    """How a build's documents compare with the previous graph's."""

    bundled: int = 0
    ingested: int = 0
    statements: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0
    statements_before: int = 0
    #: documents whose stored text could not be re-extracted and were kept as they were
    kept_as_they_were: list[str] = field(default_factory=list)
    #: ingested documents dropped on purpose (``--fresh``)
    dropped: int = 0

    def text(self) -> str:
        held = (f"The graph holds {plural(self.bundled + self.ingested, 'document')} "
                f"({self.bundled} bundled, {self.ingested} ingested) and "
                f"{plural(self.statements, 'statement')}")
        moves = [f"{plural(self.changed, 'document')} changed"]
        if self.added:
            moves.append(f"{self.added} added")
        if self.removed:
            moves.append(f"{self.removed} removed")
        delta = self.statements - self.statements_before
        moves.append(f"statements {delta:+d}")
        lines = [f"{held}; since the previous graph: {', '.join(moves)}."]
        if self.dropped:
            lines.append(f"Dropped {plural(self.dropped, 'ingested document')} (--fresh).")
        lines += [f"Kept as it was (its stored text could not be re-extracted): {k}"
                  for k in self.kept_as_they_were]
        return "\n".join(lines)


@dataclass
class BuildSummary:
    """What a build produced: triple count, entities per class, documents, exports, validation result."""

    triples: int
    counts: dict[str, int]
    graphs: int
    validation: ValidationResult
    documents: int = 0
    exports: list[Path] = field(default_factory=list)
    changes: DocumentChanges = field(default_factory=DocumentChanges)

    def text(self) -> str:
        """A short human summary (what `kg build` prints)."""
        lines = [f"Built {self.triples} triples in {plural(self.graphs, 'named graph')}; "
                 f"{self.validation.summary()}.", self.changes.text()]
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
    generation: str | None = None
    documents: int = 0
    statements: int = 0
    #: why the store is not a complete graph (empty when it is): `kg info` and `kg validate` exit 1
    problems: list[str] = field(default_factory=list)
    #: things worth knowing that are not problems (an interrupted write left behind)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        where = f" generation {self.generation}" if self.generation else ""
        lines = [f"kg {self.version}", f"store: {self.location} ({self.backend}){where}",
                 f"triples: {self.triples} in {plural(len(self.graphs), 'named graph')}",
                 f"documents: {self.documents} ({plural(self.statements, 'statement')})"]
        lines += [f"  {name:32} {n:>7}" for name, n in self.counts.items()]
        lines += [f"incomplete: {p}" for p in self.problems]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def store_problems(store: Store) -> list[str]:
    """Why a store does not hold a complete graph: no registry (a write that never finished), or no
    ontology or reference graph. Empty when it is complete."""
    problems = []
    if not store.complete:
        problems.append("it was left by a write that did not finish (it has no document registry); "
                        "run `kg build` to rebuild it")
    graphs = set(store.named_graphs())
    for graph, what in ((GRAPH_ONTOLOGY, "ontology"), (GRAPH_REFERENCE, "reference data")):
        if graph not in graphs:
            problems.append(f"it holds no {what} graph; run `kg build`")
    return problems


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
    """Version, store location and backend, generation, documents, triples, entities per class, and
    whether the store is complete."""
    from kg import __version__
    from kg.store import interrupted_generations, live_generation

    backend = type(store).__name__
    if isinstance(store, OxigraphStore):
        backend = "Oxigraph in memory" if store.location == "memory" else "Oxigraph on disk"
    elif store.location.startswith(("http://", "https://")):
        backend = "remote SPARQL endpoint"
    documents = registered_documents(store)
    notes = [f"{p.name} was left by an interrupted write; the next `kg build`, `kg ingest` or "
             f"`kg withdraw` removes it" for p in interrupted_generations(store.location)]
    return StoreInfo(version=__version__, location=store.location, backend=backend, triples=store.count(),
                     graphs=store.named_graphs(), counts=class_counts(store),
                     generation=live_generation(store.location), documents=len(documents),
                     statements=sum(r.statements for r in documents.values()),
                     problems=store_problems(store), notes=notes)


def _has_documents(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))


def _carry_over(store: Store, source: Store, records: list[DocumentRecord], extractor: _Extractor,
                changes: DocumentChanges, say: Progress, advance: Advance | None) -> None:
    """Re-extract registered documents from their stored texts into ``store`` (kept as they were,
    graph copied, when the text is missing or not the one registered)."""
    import hashlib

    from kg.namespaces import document_graph

    texts = document_texts(source, [r.key for r in records])
    for done, record in enumerate(records, start=1):
        text = texts.get(record.key)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None
        if digest is None or (record.sha256 and digest != record.sha256):
            graph = document_graph(record.key)
            if source is not store:
                store.replace_graph(graph, source.dump("ntriples", graph=graph))
            store.registry[record.key] = record
            changes.kept_as_they_were.append(f"{record.key} {record.file}".strip())
        else:
            extractor.load(_as_document(record, text), origin=record.origin, previous=record)
        if advance:
            advance(done, len(records))
    if records:
        say(f"re-extracted {plural(len(records), 'ingested document')} with extractor {extractor.version}")


def build(store: Store, settings: Settings, *, progress: Progress | None = None,
          write_exports: bool = True, gzip: bool = False, include_texts: bool = False,
          previous: Store | None = None,
          fresh: bool = False, advance: Advance | None = None) -> BuildSummary:
    """Rebuild the whole graph: ontology (+ CAMEO), reference data, the bundled statements and every
    registered document re-extracted with the current extractor; validation; exports.

    The documents come from ``previous`` (the live store, when ``store`` is a new generation) or from
    ``store`` itself (read before it is cleared). ``fresh`` drops the ingested documents instead.
    Raises InputError for a bad reference file, ValidationFailed (listing the violations) when the graph
    does not conform to ontology/shapes.ttl; nothing is exported then.
    """
    say = progress or (lambda _line: None)
    source = previous if previous is not None else store
    before = registered_documents(source)
    changes = DocumentChanges(statements_before=sum(r.statements for r in before.values()))
    keep = [] if fresh else sorted((r for r in before.values() if r.origin != "bundled"), key=lambda r: r.key)
    changes.dropped = sum(r.origin != "bundled" for r in before.values()) if fresh else 0
    if source is store:
        texts_store: Store = OxigraphStore(None)  # the stored texts, kept aside while the store is cleared
        for record in keep:
            from kg.namespaces import document_graph

            graph = document_graph(record.key)
            texts_store.load(store.dump("ntriples", graph=graph), graph=graph)
        texts_store.registry = {r.key: r for r in keep}
        source = texts_store
        if store.named_graphs():
            say(f"clearing the store at {store.location}")
            store.clear()
    store.registry = {}
    _load_base(store, settings, say)
    extractor = _Extractor(store, settings)
    if _has_documents(settings.statements_dir):
        say(f"extracting statements from {settings.statements_dir}")
        report = ingest(store, [settings.statements_dir], settings, progress=progress, origin="bundled")
        if report.rejected:
            # the bundled data must build cleanly: a rejected bundled document is a broken build
            raise InputError(f"{len(report.rejected)} bundled document(s) rejected: "
                             + "; ".join(str(r) for r in report.rejected))
    keep = [r for r in keep if r.key not in store.registry]  # an ingested copy of a bundled text
    if keep:
        say(f"re-extracting {plural(len(keep), 'ingested document')} from their stored texts")
    _carry_over(store, source, keep, extractor, changes, say, advance)
    after = store.registry
    changes.bundled = sum(r.origin == "bundled" for r in after.values())
    changes.ingested = len(after) - changes.bundled
    changes.statements = sum(r.statements for r in after.values())
    changes.added = sum(k not in before for k in after)
    changes.removed = sum(k not in after for k in before) - changes.dropped
    changes.changed = sum(k in before and before[k].graph_sha256 != r.graph_sha256 for k, r in after.items())
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
    store.flush()
    summary = BuildSummary(triples=store.count(), counts=class_counts(store),
                           graphs=len(store.named_graphs()), validation=result, documents=len(after),
                           changes=changes)
    if write_exports:
        summary.exports = write_all_exports(store, settings, progress=progress, gzip=gzip,
                                            include_texts=include_texts)
    return summary


def write_all_exports(store: Store, settings: Settings, *, progress: Progress | None = None,
                      gzip: bool = False, include_texts: bool = False) -> list[Path]:
    """Every file of exports/ (the dumps and the HTML views), rewritten from the store."""
    from kg.export import write_build_exports
    from kg.export.html import write_standard_views

    say = progress or (lambda _line: None)
    say(f"writing exports to {settings.exports_dir}")
    exports = write_build_exports(store, settings, progress=progress, gzip=gzip, include_texts=include_texts)
    say("writing the HTML views")
    exports += write_standard_views(store, settings.exports_dir / "html")
    return sorted(exports)


def build_store(location: str, settings: Settings, *, progress: Progress | None = None,
                write_exports: bool = True, gzip: bool = False, fresh: bool = False,
                include_texts: bool = False, advance: Advance | None = None) -> BuildSummary:
    """`kg build`: build into a new generation beside the live one, switch to it once it validates, then
    write the exports from it. A kill at any moment leaves the previous graph live."""
    from kg.store import GenerationWriter

    say = progress or (lambda _line: None)
    with GenerationWriter(location, command="kg build") as w:
        for stale in w.removed:
            say(f"removed {stale.name}, left by an interrupted write")
        if w.generation is not None and w.previous is not None:
            say(f"building {w.generation.name} beside the live {w.previous.name}, which answers until "
                "the switch")
        elif w.generation is not None:
            say(f"building {w.generation.name}, the store's first generation")
        previous = w.open_previous()
        try:
            summary = build(w.store, settings, progress=progress, write_exports=False, previous=previous,
                            fresh=fresh, advance=advance)
        finally:
            if previous is not None:
                previous.close()
        w.commit()
        if w.generation is not None:
            say(f"switched the store to {w.generation.name}")
        if write_exports:
            from kg.store import open_store

            with open_store(location, read_only=True) if not w.in_place else w.store as live:
                summary.exports = write_all_exports(live, settings, progress=progress, gzip=gzip,
                                                    include_texts=include_texts)
    return summary


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

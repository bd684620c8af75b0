"""SHACL validation of the graph (pySHACL over plain rdflib Graphs dumped from the store).

The ontology and reference graphs are checked whole; documents in batches, each subject they
describe with what the store says about it so that a corpus of 10,000
documents costs ten times one of 1,000 rather than one graph too big for rdflib. Dumping N-Triples
into a plain rdflib Graph is faster than going through oxrdflib and keeps pySHACL away from the
store. The result lists violations one per line, with prefixed names, sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import KGError, StoreError
from kg.namespaces import prefixed_name
from kg.store import Store


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, as short strings."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def line(self) -> str:
        """'mission:XYZ pk:hostCountry: a peacekeeping mission needs … (value: …)'."""
        where = f"{self.focus} {self.path}".strip()
        text = f"{where}: {self.message}"
        if self.value:
            text += f" (value: {self.value})"
        return text if self.severity == "Violation" else f"[{self.severity}] {text}"


@dataclass
class ValidationResult:
    """Whether the graph conforms, and every violation found."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def lines(self) -> list[str]:
        """One line per violation, sorted (what `kg validate` prints)."""
        return [v.line() for v in self.violations]

    def summary(self) -> str:
        """One sentence: conforms, or how many violations."""
        if self.conforms:
            return f"conforms to the shapes ({self.triples} triples checked)"
        return f"{len(self.violations)} SHACL violation(s) in {self.triples} triples"


def short(node: Node | None) -> str:
    """A term in prefixed form where a prefix fits: 'mission:UNAMSIL', '"x"^^xsd:string'."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return prefixed_name(str(node)) or f"<{node}>"
    if isinstance(node, Literal):
        text = repr(str(node)) if len(str(node)) <= 60 else repr(str(node)[:57] + "...")
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{short(node.datatype)}"
        return text
    return "[]"  # a blank node: show only that it is one


def validate_graph(data: Graph, shapes: Graph) -> ValidationResult:
    """Run pySHACL (no inference: the types the shapes need are materialized by the loaders)."""
    from pyshacl import validate

    try:
        conforms, results, _ = validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            abort_on_first=False,
            allow_warnings=True,
        )
    except Exception as e:  # pySHACL raises ReportableRuntimeError and friends on bad shapes
        raise KGError(
            f"SHACL validation could not run ({type(e).__name__}: {str(e).splitlines()[0]}); "
            f"check ontology/shapes.ttl"
        ) from e
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        if message is None:
            component = results.value(result, SH.sourceConstraintComponent)
            message = short(component)
        violations.append(
            Violation(
                focus=short(results.value(result, SH.focusNode)),
                path=short(path) if isinstance(path, URIRef) else ("" if path is None else "(path)"),
                message=str(message),
                value=short(results.value(result, SH.value)),
                severity=short(severity).removeprefix("sh:") if severity is not None else "Violation",
            )
        )
    return ValidationResult(conforms=bool(conforms), violations=sorted(set(violations)), triples=len(data))


#: document graphs checked together in one pySHACL run: bounds memory, keeps the cost linear
DOCUMENT_BATCH = 200


def _check_documents(store: Store, graphs: list[str],
                     shapes: Graph) -> tuple[ValidationResult, dict[str, set[str]]]:
    """Check what some document graphs say: every subject they describe, with all the store says about
    it and the types of what it points to, against the shapes. Returns the result (violations of those
    subjects only) and, for each subject (as shown in violations), the graphs that describe it."""
    import pyoxigraph as ox

    by_subject: dict[str, set[str]] = {}
    for graph in graphs:
        for t in ox.parse(store.dump("ntriples", graph=graph), format=ox.RdfFormat.N_TRIPLES):
            if isinstance(t.subject, ox.NamedNode):
                by_subject.setdefault(t.subject.value, set()).add(graph)
    subjects = sorted(by_subject)
    data = Graph()
    for i in range(0, len(subjects), 500):
        values = " ".join(f"<{s}>" for s in subjects[i:i + 500])
        for query in (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}",
                      f"CONSTRUCT {{ ?o a ?c }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o . ?o a ?c }}"):
            data.parse(data=store.construct(query)[0], format="nt")
    # every shape runs (pySHACL's focus-node mode skips some targets); the violations of the nodes that
    # are only there for their types (the reference's, checked whole elsewhere) are dropped
    result = validate_graph(data, shapes)
    owners = {short(URIRef(s)): graphs for s, graphs in by_subject.items()}
    kept = [v for v in result.violations if v.focus in owners]
    result = ValidationResult(conforms=not any(v.severity == "Violation" for v in kept), violations=kept,
                              triples=result.triples)
    return result, owners


def validate_graphs(store: Store, graphs: list[str], ontology_dir: Path) -> dict[str, list[str]]:
    """Check some document graphs (what an ingest added) in batches; the violation lines of each graph
    that has any."""
    from kg.reference import shapes_graph

    shapes = shapes_graph(ontology_dir)
    out: dict[str, list[str]] = {}
    for i in range(0, len(graphs), DOCUMENT_BATCH):
        result, owners = _check_documents(store, graphs[i:i + DOCUMENT_BATCH], shapes)
        for v in result.violations:
            if v.severity == "Violation":
                for graph in sorted(owners.get(v.focus, ())):
                    out.setdefault(graph, []).append(v.line())
    return out


def validate_store(store: Store, ontology_dir: Path) -> ValidationResult:
    """Validate the store against ontology/shapes.ttl (InputError when the shapes are bad).

    The ontology and reference graphs are checked whole; the document graphs in batches of
    DOCUMENT_BATCH, each subject they describe with what the store says about it, so that the cost
    and the memory stay linear in the number of documents.
    """
    from kg.namespaces import GRAPH_DOCUMENT_PREFIX
    from kg.reference import shapes_graph

    shapes = shapes_graph(ontology_dir)
    graphs = store.named_graphs()
    if not graphs:
        raise StoreError(f"the store at {store.location} is empty; run `kg build` first (or pass --store)")
    documents = [g for g in graphs if g.startswith(GRAPH_DOCUMENT_PREFIX)]
    base = Graph()
    try:
        for graph in graphs:
            if not graph.startswith(GRAPH_DOCUMENT_PREFIX):
                base.parse(data=store.dump("ntriples", graph=graph), format="nt")
    except Exception as e:  # rdflib's N-Triples parser raises several unrelated types
        raise KGError(f"cannot read the store's content for validation ({e}); rebuild with `kg build`") from e
    result = validate_graph(base, shapes)
    for i in range(0, len(documents), DOCUMENT_BATCH):
        part, _ = _check_documents(store, documents[i:i + DOCUMENT_BATCH], shapes)
        result = ValidationResult(conforms=result.conforms and part.conforms,
                                  violations=sorted(set(result.violations) | set(part.violations)),
                                  triples=result.triples + part.triples)
    return result

"""SHACL validation of the graph (pySHACL over the union of the store's graphs).

The store's union is dumped as N-Triples and parsed into a plain rdflib Graph: that is faster than
going through oxrdflib at this size (tens of thousands of triples) and keeps pySHACL away from the
store. The result lists violations one per line, with prefixed names, sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import KGError, StoreError
from kg.namespaces import split_iri
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
        """'pkr:mission/XYZ pk:hostCountry: a peacekeeping mission needs … (value: …)'."""
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
    """A term in prefixed form where a prefix fits: 'pkr:mission/UNAMSIL', '"x"^^xsd:string'."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        split = split_iri(str(node))
        return f"{split[0]}:{split[1]}" if split else f"<{node}>"
    if isinstance(node, Literal):
        text = repr(str(node)) if len(str(node)) <= 60 else repr(str(node)[:57] + "...")
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{short(node.datatype)}"
        return text
    return "[]"  # a blank node: show only that it is one


def validate_graph(data: Graph, shapes: Graph, *, focus: list[URIRef] | None = None) -> ValidationResult:
    """Run pySHACL (no inference: the types the shapes need are materialized by the loaders).

    With ``focus``, only those nodes are checked (the data must then describe them fully).
    """
    from pyshacl import validate

    try:
        conforms, results, _ = validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            abort_on_first=False,
            allow_warnings=True,
            focus_nodes=focus,
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


def store_graph(store: Store) -> Graph:
    """The union of every graph in the store as a plain rdflib Graph."""
    data = store.dump("ntriples")
    g = Graph()
    try:
        g.parse(data=data, format="nt")
    except Exception as e:  # rdflib's N-Triples parser raises several unrelated types
        raise KGError(f"cannot read the store's content for validation ({e}); rebuild with `kg build`") from e
    return g


def validate_store(store: Store, ontology_dir: Path) -> ValidationResult:
    """Validate the union of the store's graphs against ontology/shapes.ttl (InputError when it is bad)."""
    from kg.reference import shapes_graph

    shapes = shapes_graph(ontology_dir)
    if not store.named_graphs():
        raise StoreError(f"the store at {store.location} is empty; run `kg build` first (or pass --store)")
    return validate_graph(store_graph(store), shapes)


def validate_graphs(store: Store, graphs: list[str], ontology_dir: Path) -> dict[str, list[str]]:
    """Check only what some named graphs (new documents) say: each subject they describe, with all the
    store says about it and the types of everything, against the shapes. Seconds where checking the
    whole graph takes minutes at scale. Returns the violation lines of each graph that has any.
    """
    from kg.reference import shapes_graph

    if not graphs:
        return {}
    by_subject: dict[URIRef, set[str]] = {}
    for graph in graphs:
        g = Graph()
        g.parse(data=store.dump("ntriples", graph=graph), format="nt")
        for subject in set(g.subjects()):
            if isinstance(subject, URIRef):
                by_subject.setdefault(subject, set()).add(graph)
    data = Graph()
    data.parse(data=store.construct("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }")[0], format="nt")
    subjects = sorted(by_subject)
    for i in range(0, len(subjects), 500):
        values = " ".join(f"<{s}>" for s in subjects[i:i + 500])
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
        data.parse(data=store.construct(query)[0], format="nt")
    result = validate_graph(data, shapes_graph(ontology_dir), focus=subjects)
    owners = {short(subject): graphs for subject, graphs in by_subject.items()}
    out: dict[str, list[str]] = {}
    for v in result.violations:
        if v.severity == "Violation":
            for graph in sorted(owners.get(v.focus, ())):
                out.setdefault(graph, []).append(v.line())
    return out

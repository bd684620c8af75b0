"""Small SKOS concept schemes of our own (unit types, data-quality flags, how figures were obtained,
roles): ``pkr:{kind}`` with concepts ``pkr:{kind}/{code}``, each with a label, a notation and a definition."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, SKOS, Graph, Literal, URIRef

from kg.namespaces import resource


@dataclass(frozen=True)
class Concept:
    """One concept of a scheme: its label and definition, an optional broader code and alternative labels."""

    label: str
    definition: str
    broader: str = ""
    alt_labels: tuple[str, ...] = field(default_factory=tuple)


def concept_iri(kind: str, code: str) -> URIRef:
    """``pkr:{kind}/{code}``, e.g. ``pkr:unit-type/infantry``."""
    return URIRef(resource(kind, code))


def add_scheme(g: Graph, kind: str, title: str, definition: str, concepts: dict[str, Concept]) -> URIRef:
    """Add the scheme ``pkr:{kind}`` and its concepts to ``g`` (concepts without a broader one are its
    top concepts); return the scheme's IRI."""
    scheme = URIRef(resource(kind, "")[:-1])
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(title, lang="en")))
    g.add((scheme, SKOS.definition, Literal(definition, lang="en")))
    for code, c in concepts.items():
        iri = concept_iri(kind, code)
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.prefLabel, Literal(c.label, lang="en")))
        g.add((iri, SKOS.notation, Literal(code)))
        g.add((iri, SKOS.definition, Literal(c.definition, lang="en")))
        g.add((iri, SKOS.inScheme, scheme))
        for alt in c.alt_labels:
            g.add((iri, SKOS.altLabel, Literal(alt, lang="en")))
        if c.broader:
            g.add((iri, SKOS.broader, concept_iri(kind, c.broader)))
        else:
            g.add((iri, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, iri))
    return scheme

"""``ontology.html``: the ontology documented for humans, from the store's ontology graph.

One self-contained page (inline CSS, no script, nothing fetched): the ontology's metadata, its
classes and properties with labels, definitions, super- and subterms, domains, ranges and
examples, the concept schemes (CAMEO) as tables, and the namespaces. Every text from the graph
is HTML-escaped; only http(s) IRIs become links. Sorted, no dates: the same ontology always
gives the same bytes.

pyLODE was tried first and not used: its current release on Python 3.11 (3.4.1) fails on
import, and 3.3.4 passes HTML inside definitions through to the page unescaped (Markdown).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, BinaryIO

import kg
from kg.errors import UsageError
from kg.namespaces import GRAPH_ONTOLOGY, PK, PREFIXES, split_iri
from kg.store import Store

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
DCTERMS = PREFIXES["dcterms"]

CLASS_TYPES = (OWL + "Class", RDFS + "Class")
PROPERTY_KINDS = (
    ("object-properties", "Object properties", OWL + "ObjectProperty"),
    ("datatype-properties", "Datatype properties", OWL + "DatatypeProperty"),
    ("annotation-properties", "Annotation properties", OWL + "AnnotationProperty"),
    ("other-properties", "Other properties", RDF + "Property"),
)

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:0 auto;
padding:1rem 1.5rem;color:#1d2330;background:#fff}
h1{font-size:1.8rem;margin-bottom:.2rem}
h2{border-bottom:2px solid #4a6fa5;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin:0 0 .3rem;font-size:1.15rem}code{font:.9em ui-monospace,Menlo,Consolas,monospace;color:#2c4a7a}
a{color:#1f5fbf}nav ul{columns:2;padding-left:1.2rem}.term{border:1px solid #d5dbe5;border-radius:6px;
padding:.8rem 1rem;margin:1rem 0;background:#fafbfd}.iri{font-size:.85em;color:#5a6478;word-break:break-all;
margin:0 0 .5rem}dl.props{display:grid;grid-template-columns:10rem 1fr;gap:.2rem .8rem;margin:.5rem 0 0}
dl.props dt{font-weight:600;color:#3a4458}dl.props dd{margin:0}table{border-collapse:collapse;width:100%;
font-size:.9em}th,td{border-bottom:1px solid #e1e5ec;padding:.25rem .5rem;text-align:left;vertical-align:top}
footer{margin-top:3rem;font-size:.85em;color:#5a6478}
""".strip()


def write_ontology_html(store: Store, out: BinaryIO, *, graph: str | None = None) -> None:
    """Write the page for the ontology graph of ``store``."""
    from rdflib import Graph

    if not store.has_graph(GRAPH_ONTOLOGY):
        raise UsageError(f"the store has no ontology graph <{GRAPH_ONTOLOGY}>; run `kg build` first")
    g = Graph()
    g.parse(data=store.dump("ntriples", graph=GRAPH_ONTOLOGY), format="nt")
    out.write(render(g).encode("utf-8"))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Page:
    def __init__(self, g: Graph) -> None:
        from rdflib import URIRef

        self.g = g
        self.U = URIRef
        self.documented: dict[str, str] = {}  # IRI -> anchor

    # -- reading the graph --
    def objects(self, s: Node, p: str) -> list[Node]:
        return sorted(self.g.objects(s, self.U(p)), key=lambda o: (str(o), getattr(o, "language", "") or ""))

    def subjects(self, p: str, o: Node) -> list[Node]:
        return sorted(self.g.subjects(self.U(p), o), key=str)

    def typed(self, types: Iterable[str]) -> list[Node]:
        found = {s for t in types for s in self.g.subjects(self.U(RDF + "type"), self.U(t))}
        return sorted((s for s in found if isinstance(s, self.U)), key=self.sort_key)

    def text(self, s: Node, *preds: str) -> str | None:
        """The English (or untagged, or any) value of the first predicate that has one."""
        for p in preds:
            values = self.objects(s, p)
            for lang in ("en", None):
                for v in values:
                    if getattr(v, "language", None) == lang:
                        return str(v)
            if values:
                return str(values[0])
        return None

    def label(self, s: Node) -> str:
        return self.text(s, RDFS + "label", SKOS + "prefLabel") or self.curie(str(s))

    def sort_key(self, s: Node) -> tuple[str, str]:
        return (self.label(s).lower(), str(s))

    # -- writing terms --
    def curie(self, iri: str) -> str:
        split = split_iri(iri)
        return f"{split[0]}:{split[1]}" if split and split[1] else iri

    def link(self, node: Node) -> str:
        iri = str(node)
        if not isinstance(node, self.U):
            return _e(iri)
        if iri in self.documented:
            return f'<a href="#{_e(self.documented[iri])}"><code>{_e(self.curie(iri))}</code></a>'
        if iri.startswith(("http://", "https://")):
            return f'<a href="{_e(iri)}"><code>{_e(self.curie(iri))}</code></a>'
        return f"<code>{_e(self.curie(iri))}</code>"

    def value(self, node: Node) -> str:
        if isinstance(node, self.U):
            return self.link(node)
        return _e(node)

    def anchor(self, iri: str) -> str:
        local = iri[len(PK):] if iri.startswith(PK) else self.curie(iri)
        return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in local) or "term"

    # -- sections --
    def term(self, s: Node, kind: str) -> str:
        iri = str(s)
        rows: list[tuple[str, list[str]]] = []

        def add(title: str, values: Iterable[str]) -> None:
            values = list(values)
            if values:
                rows.append((title, values))

        definition = self.text(s, SKOS + "definition", RDFS + "comment")
        if kind == "class":
            add("Subclass of", (self.link(o) for o in self.objects(s, RDFS + "subClassOf")))
            add("Superclass of", (self.link(o) for o in self.subjects(RDFS + "subClassOf", s)))
            add("Equivalent to", (self.link(o) for o in self.objects(s, OWL + "equivalentClass")))
            add("In domain of", (self.link(o) for o in self.subjects(RDFS + "domain", s)))
            add("In range of", (self.link(o) for o in self.subjects(RDFS + "range", s)))
        else:
            add("Subproperty of", (self.link(o) for o in self.objects(s, RDFS + "subPropertyOf")))
            add("Superproperty of", (self.link(o) for o in self.subjects(RDFS + "subPropertyOf", s)))
            add("Inverse of", (self.link(o) for o in self.objects(s, OWL + "inverseOf")))
            add("Domain", (self.link(o) for o in self.objects(s, RDFS + "domain")))
            add("Range", (self.link(o) for o in self.objects(s, RDFS + "range")))
            add("Characteristics", (self.link(o) for o in self.objects(s, RDF + "type")
                                    if str(o) in (OWL + "FunctionalProperty", OWL + "TransitiveProperty",
                                                  OWL + "SymmetricProperty",
                                                  OWL + "InverseFunctionalProperty")))
        add("Also labelled", (_e(o) for o in self.objects(s, SKOS + "altLabel")))
        if self.text(s, SKOS + "definition"):
            add("Comment", (_e(o) for o in self.objects(s, RDFS + "comment")))
        add("Example", (self.value(o) for o in self.objects(s, SKOS + "example")))
        notes = self.objects(s, SKOS + "note") + self.objects(s, SKOS + "scopeNote")
        add("Note", (self.value(o) for o in notes))
        add("See also", (self.value(o) for o in self.objects(s, RDFS + "seeAlso")))
        add("Defined by", (self.value(o) for o in self.objects(s, RDFS + "isDefinedBy")))
        parts = [f'<article class="term" id="{_e(self.documented[iri])}">',
                 f"<h3>{_e(self.label(s))} <code>{_e(self.curie(iri))}</code></h3>",
                 f'<p class="iri">{_e(iri)}</p>']
        if definition:
            parts.append(f"<p>{_e(definition)}</p>")
        if rows:
            parts.append('<dl class="props">')
            for title, values in rows:
                parts.append(f"<dt>{_e(title)}</dt><dd>{', '.join(values)}</dd>")
            parts.append("</dl>")
        parts.append("</article>")
        return "\n".join(parts)

    def schemes(self) -> list[tuple[str, str, str]]:
        """(anchor, title, html) for each concept scheme."""
        out = []
        for scheme in self.typed([SKOS + "ConceptScheme"]):
            concepts = sorted(self.subjects(SKOS + "inScheme", scheme),
                              key=lambda c: (self.text(c, SKOS + "notation") or "", str(c)))
            rows = []
            for c in concepts:
                broader = ", ".join(_e(self.text(b, SKOS + "notation") or self.curie(str(b)))
                                    for b in self.objects(c, SKOS + "broader"))
                rows.append(f"<tr><td><code>{_e(self.text(c, SKOS + 'notation') or '')}</code></td>"
                            f"<td>{_e(self.label(c))}</td><td>{broader}</td>"
                            f"<td><code>{_e(self.curie(str(c)))}</code></td></tr>")
            anchor = "scheme-" + self.anchor(str(scheme))
            body = [f'<section id="{_e(anchor)}"><h3>{_e(self.label(scheme))} '
                    f"<code>{_e(self.curie(str(scheme)))}</code></h3>"]
            definition = self.text(scheme, SKOS + "definition", RDFS + "comment", DCTERMS + "description")
            if definition:
                body.append(f"<p>{_e(definition)}</p>")
            body.append(f"<p>{len(concepts)} concepts.</p><table><thead><tr><th>Notation</th><th>Label</th>"
                        "<th>Broader</th><th>IRI</th></tr></thead><tbody>")
            body.extend(rows)
            body.append("</tbody></table></section>")
            out.append((anchor, self.label(scheme), "\n".join(body)))
        return out


def render(g: Graph) -> str:
    """The whole page for an ontology graph."""
    from rdflib import URIRef

    page = _Page(g)
    classes = page.typed(CLASS_TYPES)
    props: list[tuple[str, str, list[Node]]] = []
    seen: set[Node] = set()
    for anchor, title, t in PROPERTY_KINDS:
        terms = [p for p in page.typed([t]) if p not in seen]
        seen.update(terms)
        props.append((anchor, title, terms))
    for s in [*classes, *(p for _, _, ps in props for p in ps)]:
        anchor, n = page.anchor(str(s)), 2
        base = anchor
        while anchor in page.documented.values():
            anchor, n = f"{base}-{n}", n + 1
        page.documented[str(s)] = anchor

    onto = next(iter(page.typed([OWL + "Ontology"])), URIRef(PK.rstrip("#")))
    title = page.text(onto, DCTERMS + "title", RDFS + "label") or "Peacekeeping KG ontology"
    meta: list[tuple[str, str]] = [("IRI", f"<code>{_e(onto)}</code>"),
                                   ("Namespace", f"<code>pk:</code> <code>{_e(PK)}</code>")]
    for label, pred in (("Version", OWL + "versionInfo"), ("Version IRI", OWL + "versionIRI"),
                        ("Licence", DCTERMS + "license"), ("Creator", DCTERMS + "creator"),
                        ("Publisher", DCTERMS + "publisher")):
        values = page.objects(onto, pred)
        if values:
            meta.append((label, ", ".join(page.value(v) for v in values)))
    description = page.text(onto, DCTERMS + "description", RDFS + "comment", SKOS + "definition")
    schemes = page.schemes()

    toc = [f'<li><a href="#classes">Classes</a> ({len(classes)})</li>']
    toc += [f'<li><a href="#{a}">{_e(t)}</a> ({len(ps)})</li>' for a, t, ps in props if ps]
    if schemes:
        toc.append(f'<li><a href="#concept-schemes">Concept schemes</a> ({len(schemes)})</li>')
    toc.append('<li><a href="#namespaces">Namespaces</a></li>')

    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
             f"<header><h1>{_e(title)}</h1>"]
    if description:
        parts.append(f"<p>{_e(description)}</p>")
    parts.append('<dl class="props">' + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in meta) + "</dl>")
    parts.append("</header>")
    parts.append(f'<nav><h2>Contents</h2><ul>{"".join(toc)}</ul></nav>')
    parts.append('<section id="classes"><h2>Classes</h2>')
    parts.extend(page.term(c, "class") for c in classes)
    parts.append("</section>")
    for anchor, heading, terms in props:
        if terms:
            parts.append(f'<section id="{anchor}"><h2>{_e(heading)}</h2>')
            parts.extend(page.term(p, "property") for p in terms)
            parts.append("</section>")
    if schemes:
        parts.append('<section id="concept-schemes"><h2>Concept schemes</h2>')
        parts.extend(body for _, _, body in schemes)
        parts.append("</section>")
    parts.append('<section id="namespaces"><h2>Namespaces</h2><table><thead><tr><th>Prefix</th>'
                 "<th>Namespace</th></tr></thead><tbody>")
    parts.extend(f"<tr><td><code>{_e(p)}</code></td><td><code>{_e(ns)}</code></td></tr>"
                 for p, ns in PREFIXES.items())
    parts.append("</tbody></table></section>")
    parts.append(f"<footer>Generated by <code>kg export --format ontology-html</code> "
                 f"(Peacekeeping KG {_e(kg.__version__)}) from the ontology graph "
                 f"<code>{_e(GRAPH_ONTOLOGY)}</code>.</footer>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)

"""JSON-LD in compact form, with its context inline and published beside it as ``context.jsonld``.

The context holds the prefixes of kg.namespaces and a short key for every term of a vocabulary
(``"acronym"`` for ``pk:acronym``, ``"prefLabel"`` for ``skos:prefLabel``, ``"PeacekeepingMission"``
for the class), so that a node reads ``"acronym": "UNAMSIL"``. The terms are those the store uses
(every predicate and class) and those the ontology declares; a reader needs nothing from the network
to expand the dump (the same context is embedded in ``peacekeeping.jsonld``).

Short keys, and the rule for collisions (:func:`short_terms`): a term's key is its local name;

- a local name equal to a prefix name (``pk:mission``, ``pk:country``, ``org:role``,
  ``dcterms:source``) keeps its compact IRI, since the key is needed as the prefix of ``mission:UNAMSIL``;
- a local name in two vocabularies (``schema:name``, ``foaf:name``) is the key of the vocabulary that
  comes first in :data:`kg.namespaces.PREFIXES` (``pk`` first, then ``org``, ``prov``, ``oa``, ``skos``,
  ``schema``, ``dcterms``, ``foaf`` …); the others keep their compact IRI;
- ``rdf:type`` is ``@type``; a local name that is not a plain name (``[A-Za-z_][A-Za-z0-9_.-]*``)
  keeps its compact IRI.

Values keep their exact lexical form: IRIs as ``{"@id": …}``, plain
strings as JSON strings, language and typed literals as ``{"@value": …}`` objects. One node object
per line, nodes sorted like the N-Triples lines, keys sorted, so diffs stay small.

Why not Oxigraph's JSON-LD writer: it writes expanded JSON-LD in store order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from kg.export.rdf import RDF_TYPE, graph_lines, split_line, union_lines, write_text
from kg.namespaces import GRAPH_ONTOLOGY, PREFIXES, RESOURCE_KINDS, sparql_prologue, split_iri
from kg.store import Store

#: prefixes of vocabularies (not of our resources), in the order that decides a collision of local names
_VOCABULARIES: tuple[str, ...] = tuple(p for p in PREFIXES if p not in {k for k, _ in RESOURCE_KINDS})
_TERM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_OWL_TERMS = ("owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty", "owl:AnnotationProperty",
              "rdfs:Datatype", "rdf:Property")


def short_terms(iris: set[str]) -> dict[str, str]:
    """Short key -> IRI for the vocabulary terms among ``iris``, by the rule of the module docstring.

    >>> pk, foaf, schema = PREFIXES["pk"], PREFIXES["foaf"], PREFIXES["schema"]
    >>> short_terms({pk + "acronym", pk + "mission", foaf + "name", schema + "name"})
    {'acronym': 'https://w3id.org/peacekeeping-kg/ontology#acronym', 'name': 'https://schema.org/name'}
    """
    ranked: list[tuple[int, str, str]] = []
    for iri in iris:
        split = split_iri(iri)
        if split is None or split[0] not in _VOCABULARIES or iri == RDF_TYPE[1:-1]:
            continue
        prefix, local = split
        if local in PREFIXES or not _TERM_NAME.match(local):
            continue
        ranked.append((_VOCABULARIES.index(prefix), local, iri))
    out: dict[str, str] = {}
    for _, local, iri in sorted(ranked):
        out.setdefault(local, iri)
    return dict(sorted(out.items()))


def store_terms(store: Store) -> set[str]:
    """Every predicate and class the store uses, and every term its ontology graph declares."""
    kinds = " ".join(_OWL_TERMS)
    rows = store.query(sparql_prologue() + (
        "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t FILTER(isIRI(?t)) } UNION "
        f"{{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?t a ?k VALUES ?k {{ {kinds} }} FILTER(isIRI(?t)) }} }} }}"))
    return {r["t"] for r in rows.records()}


def context(store: Store) -> dict[str, Any]:
    """The JSON-LD context of every dump: our prefixes and a short key per vocabulary term."""
    return {"@context": {**dict(sorted(PREFIXES.items())), **short_terms(store_terms(store))}}


def write_context(store: Store, out: BinaryIO, *, graph: str | None = None) -> None:
    """``context.jsonld``: the context the dumps use, for integrators who reference it."""
    out.write(_dumps(context(store), indent=2).encode("utf-8") + b"\n")


def _dumps(value: Any, indent: int | None = None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent, separators=separators)


class _Compactor:
    """N-Triples term text -> JSON-LD values, IRIs compacted with our prefixes; keys and node types
    written as their short terms (``terms``: IRI -> key) where they have one."""

    def __init__(self, terms: dict[str, str] | None = None) -> None:
        self._cache: dict[str, str] = {}
        self.terms = terms or {}

    def term(self, iri: str) -> str:
        """A key or node type: its short term, else its compact IRI."""
        return self.terms.get(iri) or self.iri(iri)

    def iri(self, iri: str) -> str:
        cached = self._cache.get(iri)
        if cached is None:
            split = split_iri(iri)
            # "prefix://…" would read as an absolute IRI, so such a suffix stays expanded
            cached = f"{split[0]}:{split[1]}" if split and split[1] and not split[1].startswith("//") else iri
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[iri] = cached
        return cached

    def node_ref(self, text: str) -> str:
        """``<iri>`` or ``_:label`` as the value of ``@id``."""
        return self.iri(text[1:-1]) if text[0] == "<" else text

    def value(self, text: str) -> Any:
        if text[0] != '"':
            return {"@id": self.node_ref(text)}
        if text[-1] == '"':
            return _unescape(text)
        if text[-1] == ">":
            quoted, _, datatype = text.rpartition("^^")  # an IRI never contains '"' or '^'
            return {"@type": self.iri(datatype[1:-1]), "@value": _unescape(quoted)}
        quoted, _, language = text.rpartition("@")  # a language tag never contains '@' or '"'
        return {"@language": language, "@value": _unescape(quoted)}


_ECHAR = re.compile(r"\\(U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|.)")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(quoted: str) -> str:
    """The value of an N-Triples string literal (``"…"`` with ECHAR/UCHAR escapes)."""
    inner = quoted[1:-1]
    if "\\" not in inner:
        return inner
    return _ECHAR.sub(lambda m: _ECHARS.get(m[1]) or chr(int(m[1][1:], 16)), inner)


def _nodes(lines: list[bytes], terms: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """One node object per subject, from sorted N-Triples lines (``terms``: short key -> IRI)."""
    compact = _Compactor({iri: name for name, iri in (terms or {}).items()})
    subject: str | None = None
    node: dict[str, Any] = {}
    for raw in lines:
        s, p, o = split_line(raw.decode("utf-8"))
        if s != subject:
            if subject is not None:
                yield node
            subject = s
            node = {"@id": compact.node_ref(s)}
        if p == RDF_TYPE and o[0] != '"':
            key, value = "@type", compact.term(o[1:-1]) if o[0] == "<" else o
        else:
            key, value = compact.term(p[1:-1]), compact.value(o)
        existing = node.get(key)
        if existing is None:
            node[key] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            node[key] = [existing, value]
    if subject is not None:
        yield node


def write_jsonld(store: Store, out: BinaryIO, *, graph: str | None = None,
                 include_texts: bool = False) -> None:
    """JSON-LD: the union of the graphs (or one graph), compact, with the context inline."""
    ctx = context(store)["@context"]
    terms = {k: v for k, v in ctx.items() if k not in PREFIXES}

    def chunks() -> Iterator[str]:
        yield '{\n"@context": ' + _dumps(ctx) + ',\n"@graph": [\n'
        separator = ""
        for node in _nodes(union_lines(graph_lines(store, graph, include_texts=include_texts)), terms):
            yield separator + _dumps(node)
            separator = ",\n"
        yield "\n]\n}\n"
    write_text(out, chunks())

"""RDF dumps that integrators can diff: sorted N-Triples and N-Quads, pretty sorted Turtle and TriG.

Every dump starts from Oxigraph's N-Triples serializer (fast, exact escaping), one graph at a
time, and sorts the lines. N-Triples and N-Quads are those sorted lines. Turtle and TriG are
written here by streaming over the sorted lines (Oxigraph's own Turtle writer keeps store order
and escapes ``/`` in local names): subjects grouped with ``;``, objects with ``,``, ``a`` first.
The term text is Oxigraph's N-Triples text, which is valid Turtle; IRIs are shortened only to a
prefixed name whose local part is a plain name (``mission:UNAMSIL``), else to a relative IRI
under ``@base`` (the resource namespace, for ``statement/…#target``) when the relative form
resolves back to the same IRI.

Blank nodes: the vocabulary avoids them. If a dump contains any, every label is replaced by its
RDFC-1.0 canonical label (``c14n0``…), computed over the quads being written, so the same data
always gets the same labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

from kg.namespaces import GRAPH_DOCUMENT_PREFIX, ID, PREFIXES
from kg.store import OxigraphStore, Store

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: lines are written in batches of this many, so no dump is copied whole in memory
_BATCH = 20_000

#: a local name every Turtle 1.1 parser reads (a strict subset of PN_LOCAL; a leading digit is
#: Turtle 1.1, which rapper, rdflib and Oxigraph read)
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_LANG_LITERAL = re.compile(r'"@[A-Za-z]+(?:-[A-Za-z0-9]+)*\Z')

#: one graph's sorted N-Triples lines (``None`` names the default graph)
GraphLines = tuple[str | None, list[bytes]]


# ---- reading the store -------------------------------------------------------------------------
def graph_lines(store: Store, graph: str | None = None, *, include_texts: bool = False) -> list[GraphLines]:
    """Each named graph (or just ``graph``) as sorted N-Triples lines, graphs in IRI order.

    The default graph comes first when it holds anything (our loaders never write to it).
    Blank nodes get canonical labels (see the module docstring). The ``rdf:value`` (full text) of
    the source documents is left out unless ``include_texts``.
    """
    graphs: list[str | None] = [graph] if graph is not None else list(store.named_graphs())
    dumps: list[tuple[str | None, bytes]] = [(g, store.dump("ntriples", graph=g)) for g in graphs]
    if graph is None and isinstance(store, OxigraphStore):
        default = store.native.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        if default:
            dumps.insert(0, (None, default))
    if any(b"_:" in data for _, data in dumps):
        dumps = _canonical_blank_nodes(dumps)
    elif not isinstance(store, OxigraphStore):
        # another server's N-Triples may differ in spacing or escaping: write it Oxigraph's way
        dumps = [(g, _reserialize(data)) for g, data in dumps]
    result: list[GraphLines] = []
    while dumps:  # a graph is a set: its lines are already unique
        g, data = dumps.pop(0)
        lines = data.splitlines()
        del data
        if not include_texts and g is not None and g.startswith(GRAPH_DOCUMENT_PREFIX):
            lines = [line for line in lines if not is_text_line(line)]
        lines.sort()
        result.append((g, lines))
    return result


_RDF_VALUE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#value>"


def is_text_line(line: bytes) -> bool:
    """Whether an N-Triples line of a document graph is a full text (``rdf:value``)."""
    return line.split(b" ", 2)[1] == _RDF_VALUE


def union_lines(per_graph: list[GraphLines]) -> list[bytes]:
    """The union of the graphs as sorted, duplicate-free N-Triples lines."""
    if len(per_graph) == 1:
        return per_graph[0][1]
    merged = [line for _, lines in per_graph for line in lines]
    merged.sort()  # sorted runs: Timsort merges them
    return list(dict.fromkeys(merged))  # drops the triples that sit in several graphs


def _reserialize(data: bytes) -> bytes:
    return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES) or b""


def _canonical_blank_nodes(dumps: list[tuple[str | None, bytes]]) -> list[tuple[str | None, bytes]]:
    dataset = ox.Dataset()
    names: list[tuple[str | None, ox.NamedNode | ox.DefaultGraph]] = []
    for g, data in dumps:
        name = ox.DefaultGraph() if g is None else ox.NamedNode(g)
        names.append((g, name))
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            dataset.add(ox.Quad(t.subject, t.predicate, t.object, name))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [(g, ox.serialize([q.triple for q in dataset.quads_for_graph_name(name)],
                             format=ox.RdfFormat.N_TRIPLES) or b"")
            for g, name in names]


# ---- line-based formats ------------------------------------------------------------------------
def _write_lines(out: BinaryIO, lines: Iterable[bytes]) -> None:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= _BATCH:
            out.write(b"\n".join(batch) + b"\n")
            batch.clear()
    if batch:
        out.write(b"\n".join(batch) + b"\n")


def write_ntriples(store: Store, out: BinaryIO, *, graph: str | None = None,
                   include_texts: bool = False) -> None:
    """N-Triples: the union of the graphs (or one graph), one triple a line, lines sorted."""
    _write_lines(out, union_lines(graph_lines(store, graph, include_texts=include_texts)))


def write_nquads(store: Store, out: BinaryIO, *, graph: str | None = None,
                 include_texts: bool = False) -> None:
    """N-Quads: every quad with its graph name; grouped by graph (in IRI order), lines sorted within."""
    def quads() -> Iterator[bytes]:
        for g, lines in graph_lines(store, graph, include_texts=include_texts):
            if g is None:
                yield from lines
                continue
            suffix = f"<{g}> .".encode()
            for line in lines:
                yield line[:-1] + suffix  # "<s> <p> <o> ." -> "<s> <p> <o> <g> ."
    _write_lines(out, quads())


# ---- Turtle and TriG ---------------------------------------------------------------------------
class TurtleStyle:
    """How terms are written: prefixes from kg.namespaces, resource IRIs relative to ``base``."""

    def __init__(self, prefixes: dict[str, str] | None = None, base: str | None = ID) -> None:
        self.prefixes = dict(PREFIXES if prefixes is None else prefixes)
        self.base = base
        # longest namespace first, so that nested namespaces pick the most specific prefix
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self._iri_cache: dict[str, str] = {}

    def header(self) -> str:
        lines = [f"@prefix {p}: <{ns}> ." for p, ns in self.prefixes.items()]
        if self.base:
            lines.append(f"@base <{self.base}> .")
        return "\n".join(lines) + "\n"

    def iri(self, term: str) -> str:
        """``<iri>`` (N-Triples text) as a prefixed name, a relative IRI, or unchanged."""
        cached = self._iri_cache.get(term)
        if cached is None:
            cached = self._iri_cache[term] = self._shorten(term[1:-1]) or term
            if len(self._iri_cache) > 200_000:  # resource IRIs rarely repeat; keep the cache small
                self._iri_cache.clear()
        return cached

    def _shorten(self, iri: str) -> str | None:
        for prefix, ns in self._by_length:
            if iri.startswith(ns) and _PLAIN_LOCAL.match(iri, len(ns)):
                return f"{prefix}:{iri[len(ns):]}"
        if self.base and iri.startswith(self.base) and _safe_relative(iri[len(self.base):]):
            return f"<{iri[len(self.base):]}>"
        return None

    def term(self, text: str) -> str:
        """Any N-Triples term as Turtle."""
        first = text[0]
        if first == "<":
            return self.iri(text)
        if first != '"':
            return text  # blank node label
        if text.endswith('"'):
            return text  # simple string
        if _LANG_LITERAL.search(text):
            return text
        value, _, datatype = text.rpartition('"^^')  # an IRI never contains '"'
        if datatype == f"<{XSD}integer>" and _INTEGER.match(value, 1):
            return value[1:]
        if datatype == f"<{XSD}boolean>" and value in ('"true', '"false'):
            return value[1:]
        return f'{value}"^^{self.iri(datatype)}'


def _safe_relative(rest: str) -> bool:
    """Whether ``<rest>`` resolved against the base gives back base + rest (RFC 3986 §5.2)."""
    if not rest or rest[0] in "/?#.":
        return False
    path = re.split(r"[?#]", rest, maxsplit=1)[0]
    if ":" in path.split("/", 1)[0]:
        return False  # would read as a scheme
    return not any(seg in (".", "..") for seg in path.split("/"))


def split_line(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object text of an N-Triples line (``<s> <p> o .``)."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2]


def turtle_blocks(lines: Iterable[bytes], style: TurtleStyle, indent: str = "") -> Iterator[str]:
    """One Turtle block (subject, its predicates and objects, ``.``) per subject, in line order."""
    current: str | None = None
    by_pred: dict[str, list[str]] = {}
    for raw in lines:
        s, p, o = split_line(raw.decode("utf-8"))
        if s != current:
            if current is not None:
                yield _block(current, by_pred, style, indent)
            current, by_pred = s, {}
        by_pred.setdefault(p, []).append(o)
    if current is not None:
        yield _block(current, by_pred, style, indent)


def _block(subject: str, by_pred: dict[str, list[str]], style: TurtleStyle, indent: str) -> str:
    preds = list(by_pred)
    if RDF_TYPE in by_pred:
        preds.remove(RDF_TYPE)
        preds.insert(0, RDF_TYPE)
    inner, deeper = indent + "    ", indent + "        "
    parts = []
    for p in preds:
        name = "a" if p == RDF_TYPE else style.iri(p)
        objects = [style.term(o) for o in by_pred[p]]
        parts.append(f"{name} " + f" ,\n{deeper}".join(objects))
    return f"{indent}{style.term(subject)} " + f" ;\n{inner}".join(parts) + " .\n"


def write_text(out: BinaryIO, chunks: Iterable[str]) -> None:
    """Write text chunks as UTF-8 in batches: few write calls, and no dump held whole in memory."""
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) >= 2_000:
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    if batch:
        out.write("".join(batch).encode("utf-8"))


def write_turtle(store: Store, out: BinaryIO, *, graph: str | None = None, include_texts: bool = False,
                 style: TurtleStyle | None = None) -> None:
    """Turtle: the union of the graphs (or one graph), grouped by subject, sorted, prefixes declared."""
    write_turtle_lines(union_lines(graph_lines(store, graph, include_texts=include_texts)), out, style=style)


def write_ontology(store: Store, out: BinaryIO, *, graph: str | None = None) -> None:
    """``ontology.ttl``: the ontology graph alone as Turtle (the RDF forms of the ontology IRI)."""
    from kg.namespaces import GRAPH_ONTOLOGY

    write_turtle(store, out, graph=GRAPH_ONTOLOGY)


def write_turtle_lines(lines: Iterable[bytes], out: BinaryIO, *, style: TurtleStyle | None = None) -> None:
    """Turtle from sorted N-Triples lines (used for the dumps and for void.ttl)."""
    style = style or TurtleStyle()

    def chunks() -> Iterator[str]:
        yield style.header()
        for block in turtle_blocks(lines, style):
            yield "\n" + block
    write_text(out, chunks())


def write_trig(store: Store, out: BinaryIO, *, graph: str | None = None, include_texts: bool = False) -> None:
    """TriG: one ``<graph> { … }`` block per named graph (in IRI order), Turtle-style inside."""
    style = TurtleStyle()

    def chunks() -> Iterator[str]:
        yield style.header()
        for g, lines in graph_lines(store, graph, include_texts=include_texts):
            # the plain "<g> { }" form (no GRAPH keyword) is TriG 1.1 and older parsers read it too
            yield "\n{\n" if g is None else f"\n<{g}> {{\n"
            first = True
            for block in turtle_blocks(lines, style, indent="    "):
                yield block if first else "\n" + block
                first = False
            yield "}\n"
    write_text(out, chunks())

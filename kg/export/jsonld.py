"""JSON-LD in compact form, with its context inline and published beside it as ``context.jsonld``.

The context holds only the prefixes of kg.namespaces, so it never changes with the data and a
reader needs nothing from the network to expand the dump (the same context is embedded in
``peacekeeping.jsonld``). Values keep their exact lexical form: IRIs as ``{"@id": …}``, plain
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
from kg.namespaces import PREFIXES, split_iri
from kg.store import Store


def context() -> dict[str, Any]:
    """The JSON-LD context of every dump: our prefixes."""
    return {"@context": dict(sorted(PREFIXES.items()))}


def write_context(store: Store, out: BinaryIO, *, graph: str | None = None) -> None:
    """``context.jsonld``: the context the dumps use, for integrators who reference it."""
    out.write(_dumps(context(), indent=2).encode("utf-8") + b"\n")


def _dumps(value: Any, indent: int | None = None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent, separators=separators)


class _Compactor:
    """N-Triples term text -> JSON-LD values, IRIs compacted with our prefixes."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

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


def _nodes(lines: list[bytes]) -> Iterator[dict[str, Any]]:
    """One node object per subject, from sorted N-Triples lines."""
    compact = _Compactor()
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
            key, value = "@type", compact.node_ref(o)
        else:
            key, value = compact.iri(p[1:-1]), compact.value(o)
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
    def chunks() -> Iterator[str]:
        yield '{\n"@context": ' + _dumps(context()["@context"]) + ',\n"@graph": [\n'
        separator = ""
        for node in _nodes(union_lines(graph_lines(store, graph, include_texts=include_texts))):
            yield separator + _dumps(node)
            separator = ",\n"
        yield "\n]\n}\n"
    write_text(out, chunks())

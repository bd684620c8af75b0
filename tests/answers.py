"""Engine-neutral answers: a saved query's rows in a form two SPARQL engines can be compared on.

Each RDF term becomes a tuple that keeps what a reader of the answer sees and relies on: IRIs as
they are; literals with their language tag (lower-cased: tags are case-insensitive) or datatype
(``xsd:string`` and a simple literal are the same term in RDF 1.1); numbers by value, within their
family (integer, decimal, double), so ``34.9`` and ``34.90`` agree but ``34`` and ``34.9`` do not,
nor ``1`` and ``true``; doubles to 12 significant digits (what both engines' serializers keep).
Blank nodes agree with any blank node (their labels are the engine's choice). A WKT geometry
compares by its shape and its coordinates in single precision: Virtuoso 7.2 retypes every
``geo:wktLiteral`` as its own ``virtrdf:Geometry`` and keeps coordinates as 32-bit floats
(``POINT(69.53451 36.73605)`` comes back as ``POINT(69.534507751465 36.7360496521)``; openlink/
virtuoso-opensource issues 456 and 808), at load time, so no query can undo it.

Rows compare as a multiset, or as a sequence when the query has ``ORDER BY`` (the saved queries
order their answers totally, so that every engine gives one order); the items of a ``GROUP_CONCAT``
cell are sorted, since their order is the engine's choice.
"""

from __future__ import annotations

import json
import re
import struct
from collections import Counter
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
#: numeric datatypes by family: the derived integer types are integers
_FAMILY = {XSD + name: "integer" for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
_FAMILY.update({XSD + "decimal": "decimal", XSD + "double": "double", XSD + "float": "double"})

#: a GROUP_CONCAT column: its separator, then (past any closing wrapper such as COALESCE) its name
_CONCAT = re.compile(r'GROUP_CONCAT\s*\(.*?;\s*separator\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)[^?]*?\bAS\s+\?(\w+)',
                     re.IGNORECASE | re.DOTALL)
_ORDER_BY = re.compile(r"^\s*ORDER\s+BY\b", re.IGNORECASE | re.MULTILINE)

#: a WKT literal's datatype, and the type Virtuoso turns it into
_GEOMETRY = {"http://www.opengis.net/ont/geosparql#wktLiteral",
             "http://www.openlinksw.com/schemas/virtrdf#Geometry"}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

Term = tuple


def _single(number: float) -> float:
    """A coordinate rounded to the nearest 32-bit float (what Virtuoso keeps of it)."""
    return struct.unpack("f", struct.pack("f", number))[0]


def concat_columns(text: str) -> dict[str, str]:
    """The query's GROUP_CONCAT columns and their separators."""
    return {m.group(2): m.group(1) for m in _CONCAT.finditer(text)}


def is_ordered(text: str) -> bool:
    """Whether the query orders its answer (an ``ORDER BY`` clause at the start of a line)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return bool(_ORDER_BY.search(body))


def literal(value: str, datatype: str | None, lang: str | None) -> Term:
    """One literal as a comparable tuple (see the module docstring)."""
    if lang:
        return ("lang", value, lang.lower())
    datatype = datatype or XSD + "string"
    family = _FAMILY.get(datatype)
    if family is not None:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return ("literal", value, datatype)
        if family == "double":
            return ("number", family, f"{float(number):.12g}")
        return ("number", family, number.normalize() if number else Decimal(0))
    if datatype in _GEOMETRY:
        shape = value.split("(", 1)[0].strip().upper()
        return ("wkt", shape, tuple(_single(float(n)) for n in _NUMBER.findall(value)))
    if datatype == XSD + "boolean":
        return ("boolean", {"1": "true", "0": "false"}.get(value.strip(), value.strip()))
    return ("literal", value, datatype)


def json_term(binding: dict[str, str]) -> Term:
    """A term of the SPARQL JSON results format (``typed-literal``, an older name, included)."""
    kind = binding["type"]
    if kind == "uri":
        return ("iri", binding["value"])
    if kind == "bnode":
        return ("bnode",)
    return literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))


def ox_term(term: object) -> Term:
    """A pyoxigraph term (from a parsed graph answer)."""
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    assert isinstance(term, ox.Literal)
    return literal(term.value, term.datatype.value, term.language)


def _cell(term: Term, separator: str | None) -> Term:
    if separator is None or term[0] not in ("literal", "lang"):
        return term
    items = term[1].split(separator) if term[1] else []
    return (term[0], separator.join(sorted(items)), *term[2:])


def select_answer(data: bytes, text: str) -> tuple[tuple[str, ...], list[tuple]]:
    """A SELECT answer (SPARQL JSON) as its variables and its normalized rows, sorted unless ordered."""
    doc = json.loads(data)
    variables = tuple(doc["head"]["vars"])
    concat = {name: json.loads(f'"{sep}"') for name, sep in concat_columns(text).items()}
    rows = [tuple(_cell(json_term(b[v]), concat.get(v)) if v in b else None for v in variables)
            for b in doc["results"]["bindings"]]
    if not is_ordered(text):
        rows.sort(key=repr)
    return variables, rows


def graph_answer(data: bytes) -> Counter:
    """A CONSTRUCT answer (N-Triples) as a set of normalized triples."""
    return Counter({(ox_term(t.subject), ox_term(t.predicate), ox_term(t.object)): 1
                    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)})


def differences(expected: list[tuple], got: list[tuple], limit: int = 3) -> list[str]:
    """The first rows that differ, one line each (``-`` only in the first, ``+`` only in the second)."""
    lines = []
    only_first = Counter(expected) - Counter(got)
    only_second = Counter(got) - Counter(expected)
    lines += [f"- {row}" for row in list(only_first)[:limit]]
    lines += [f"+ {row}" for row in list(only_second)[:limit]]
    if not lines and expected != got:
        at = next(i for i, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b)
        lines.append(f"same rows in another order, from row {at + 1}: {expected[at]} / {got[at]}")
    return lines

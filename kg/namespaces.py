"""Prefixes and IRI minting: one place that knows what our identifiers look like.

Resources live under ``{base}id/{kind}/{key}`` with keys that never change (mission acronym,
ISO 3166 alpha-3, slugs, content hashes), each kind with its own prefix (``mission:UNAMSIL``,
``country:SLE``); named graphs under ``{base}graph/...``; our terms under the ontology namespace,
which does not move with the base.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import unicodedata
from urllib.parse import quote

from kg.config import DEFAULT_BASE_IRI

BASE = os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI)
if not BASE.endswith(("/", "#")):
    BASE += "/"

#: our ontology's namespace (fixed, independent of the resource base)
PK = "https://w3id.org/peacekeeping-kg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/peacekeeping-kg/ontology"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

GRAPH_ONTOLOGY = GRAPH + "ontology"
GRAPH_REFERENCE = GRAPH + "reference"
GRAPH_DOCUMENT_PREFIX = GRAPH + "document/"

#: resource kinds: (prefix, path segment under ``id/``). Each kind has its own namespace
#: ``{base}id/{kind}/`` and a prefix of its own, so that ``mission:UNAMSIL`` is a legal prefixed
#: name in SPARQL, Turtle and JSON-LD. The kind ``org`` (organisations that are neither UN bodies
#: nor missions) is declared as ``organization:``, since ``org:`` is the W3C ORG vocabulary.
RESOURCE_KINDS: tuple[tuple[str, str], ...] = (
    ("mission", "mission"),
    ("country", "country"),
    ("person", "person"),
    ("body", "body"),
    ("framework", "framework"),
    ("resolution", "resolution"),
    ("post", "post"),
    ("tenure", "tenure"),
    ("contribution", "contribution"),
    ("succession", "succession"),
    ("cameo", "cameo"),
    ("document", "document"),
    ("statement", "statement"),
    ("organization", "org"),
    ("delegation", "delegation"),
    ("source", "source"),
    ("site", "site"),
    ("deployment", "deployment"),
    ("personnel", "personnel"),
    ("role", "role"),
    ("unit-type", "unit-type"),
    ("data-quality", "data-quality"),
    ("method", "method"),
    ("dataset", "dataset"),
    ("record", "record"),
)

#: prefixes declared in every dump and predeclared for every query, in display order
PREFIXES: dict[str, str] = {
    "pk": PK,
    **{prefix: f"{ID}{kind}/" for prefix, kind in RESOURCE_KINDS},
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "wd": "http://www.wikidata.org/entity/",
}


#: PREFIXES longest namespace first, so that the first match is the most specific one
_BY_LENGTH: tuple[tuple[str, str], ...] = tuple(sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0])))


#: a local name that SPARQL 1.1 and Turtle 1.1 accept without escapes (PN_LOCAL without ``\\`` escapes
#: and ``%`` sequences, and without ``:``): used where a prefixed name is written for people to read
_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")


def prefixed_name(iri: str) -> str | None:
    """``iri`` as a legal prefixed name under the most specific predeclared prefix, else None.

    >>> prefixed_name(resource("mission", "UNAMSIL"))
    'mission:UNAMSIL'
    >>> prefixed_name(resource("statement", "abc") + "#target") is None
    True
    """
    split = split_iri(iri)
    if split and _PN_LOCAL.match(split[1]):
        return f"{split[0]}:{split[1]}"
    return None


def split_iri(iri: str) -> tuple[str, str] | None:
    """``(prefix, local name)`` of ``iri`` under the longest predeclared namespace it starts with, else None.

    The local name may be empty (``iri`` is the namespace itself); callers that need one check it.

    >>> split_iri("http://www.w3.org/2004/02/skos/core#prefLabel")
    ('skos', 'prefLabel')
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            return prefix, iri[len(ns):]
    return None


def slug(text: str) -> str:
    """ASCII, lower-case, hyphen-separated key for names: 'Hervé Ladsous' -> 'herve-ladsous'.

    A name with no Latin letters or digits ('潘基文') gets a short content hash instead, so that two
    such names never share a key: 'u-' + 12 hex digits of SHA-256 of its NFC form.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if result:
        return result
    return "u-" + hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode("utf-8")).hexdigest()[:12]


def key(text: str) -> str:
    """Key for codes and acronyms, kept as written but IRI-safe: 'UNEF I' -> 'UNEF-I'."""
    return quote(re.sub(r"[\s/]+", "-", text.strip()), safe="-._~")


def resource(kind: str, identifier: str) -> str:
    """The IRI of a resource: ``resource('mission', 'UNAMSIL')`` -> ``…/id/mission/UNAMSIL``."""
    return f"{ID}{kind}/{identifier}"


def document_graph(doc_key: str) -> str:
    """The named graph that holds one source document and the statements drawn from it."""
    return GRAPH_DOCUMENT_PREFIX + doc_key


def sparql_prologue() -> str:
    """PREFIX declarations for every predeclared prefix, on one line, so that a query written after
    it keeps its own line numbers in error messages (shifted by exactly one line)."""
    return " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_datatype(value: str) -> str | None:
    """The XSD datatype of an ISO date at the precision it is written, or None when it is no date.

    Dates keep their source's precision, never a made-up day:

    >>> [date_datatype(v).rsplit("#", 1)[1] for v in ("1999-10-22", "1999-10", "1999")]
    ['date', 'gYearMonth', 'gYear']
    >>> date_datatype("1999-13") is None and date_datatype("22 Oct 1999") is None
    True
    """
    m = _ISO_DATE.fullmatch(value)
    if not m:
        return None
    year, month, day = m.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return PREFIXES["xsd"] + ("date" if day else "gYearMonth" if month else "gYear")


def tenure_iri(tenure_id: str) -> str:
    """The IRI of one person's tenure of a post: ``…/id/tenure/{person}--{org}--{role}--{ordinal}``
    (``tenure_id`` as officials.csv gives it: person + post + the ordinal of that person's tenures of
    the post; no dates in it, so that a corrected date keeps the IRI).

    The reference data mints it and extraction links statements to it, so both call this.

    >>> tenure_iri("kofi-annan--secretariat--secretary-general--1").rsplit("/", 1)[1]
    'kofi-annan--secretariat--secretary-general--1'
    """
    return resource("tenure", key(tenure_id))

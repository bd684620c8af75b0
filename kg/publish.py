"""Route logic for publishing the graph on the web, as plain functions (path and headers in, a
:class:`Response` out), so that any HTTP server can call them: today's ``kg.server`` and the ASGI
server it is being ported to.

Resolution of resource IRIs that are not canonical: an acronym written in another case
(``/id/mission/unamsil``) or an IRI of an earlier release that the graph links with ``owl:sameAs``
to the IRI that replaced it answers ``301 Moved Permanently`` with the canonical IRI's page in
``Location``. A redirect is given only when exactly one resource fits, never a guess between two.

Rows of source tables had IRIs ``dataset:{key}/row/{line}`` in the current release (not a legal
prefixed name); they are now ``record:{key}--{line}`` like every other record, and the old IRIs
redirect by that rule (:func:`renamed_iri`), without a triple per row in the dumps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.namespaces import ID, PREFIXES

#: the status of a redirect to the canonical IRI (permanent: clients may update their links)
REDIRECT_STATUS = 301


@dataclass(frozen=True)
class Response:
    """What a route answers: status, headers (without Content-Length) and body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _string(value: str) -> str:
    """A SPARQL string literal (the IRIs given here have already been checked for bad characters)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def canonical_iri_query(iri: str) -> str | None:
    """A SELECT of the resources ``iri`` stands for: the target of ``iri owl:sameAs ?s`` (an IRI of
    an earlier release), or a typed resource of the same kind whose IRI differs only in case.
    None when ``iri`` is not in one of our resource namespaces.

    >>> canonical_iri_query("http://example.org/x") is None
    True
    """
    if not iri.startswith(ID):
        return None
    kind, sep, _ = iri[len(ID):].partition("/")
    if not sep or not kind:
        return None
    namespace = ID + kind + "/"
    return (
        "SELECT DISTINCT ?s WHERE { "
        f"{{ <{iri}> <{PREFIXES['owl']}sameAs> ?s FILTER(isIRI(?s) && STRSTARTS(STR(?s), {_string(ID)})) }} "
        f"UNION {{ ?s a ?type FILTER(isIRI(?s) && STRSTARTS(STR(?s), {_string(namespace)}) "
        f"&& LCASE(STR(?s)) = {_string(iri.lower())} && STR(?s) != {_string(iri)}) }} "
        "} ORDER BY ?s LIMIT 2"
    )


#: a row IRI of the current release: ``{ID}dataset/{key}/row/{line}``
_OLD_ROW = re.compile(r"dataset/([A-Za-z0-9._~-]+)/row/([0-9]+)")


def renamed_iri(iri: str) -> str | None:
    """The IRI that replaced a row IRI of the current release, by rule; None for any other IRI.

    >>> renamed_iri(ID + "dataset/geo-pko-v2.3-frontmap/row/12") == ID + "record/geo-pko-v2.3-frontmap--12"
    True
    >>> renamed_iri(ID + "dataset/un-contributions-country-by-year/row/3").rsplit("/", 1)[1]
    'un-contributions--3'
    >>> renamed_iri(ID + "mission/UNAMSIL") is None
    True
    """
    from kg.deployments import RENAMED_DATASETS

    if not iri.startswith(ID):
        return None
    m = _OLD_ROW.fullmatch(iri[len(ID):])
    if m is None:
        return None
    return f"{ID}record/{RENAMED_DATASETS.get(m[1], m[1])}--{m[2]}"


def redirect(iri: str, candidates: list[str], *, query_string: str = "") -> Response | None:
    """A redirect from a resource page to the one canonical IRI among ``candidates`` (the rows of
    :func:`canonical_iri_query`), keeping the query string; None when there is not exactly one.

    >>> redirect(ID + "mission/unamsil", [ID + "mission/UNAMSIL"]).headers["Location"]
    '/id/mission/UNAMSIL'
    >>> redirect(ID + "mission/x", [ID + "mission/X", ID + "mission/x-"]) is None
    True
    """
    targets = [c for c in candidates if c.startswith(ID) and c != iri]
    if len(targets) != 1:
        return None
    location = "/id/" + targets[0][len(ID):]
    if query_string:
        location += "?" + query_string
    body = f"{iri} is {targets[0]}; see {location}\n".encode()
    return Response(REDIRECT_STATUS, {"Location": location, "Content-Type": "text/plain; charset=utf-8"},
                    body)


def resolve_moved(iri: str, select: Callable[[str], list[str]], *, query_string: str = "") -> Response | None:
    """The redirect for a resource IRI nothing is known about, or None (then the page is a 404).

    ``select`` runs a SELECT and returns the values of its one variable (the server passes its
    worker pool; tests pass a store).
    """
    renamed = renamed_iri(iri)
    if renamed is not None:
        return redirect(iri, [renamed], query_string=query_string)
    query = canonical_iri_query(iri)
    if query is None:
        return None
    return redirect(iri, select(query), query_string=query_string)



# ---- the ontology IRI, the dataset IRI and the dumps, with content negotiation -------------------
#
# Served from the configured exports directory (``KG_EXPORTS_DIR``, default ``exports/``), not from the
# live store generation: the dumps and void.ttl are one release written together by ``kg build`` or
# ``kg export --all`` (void.ttl counts the triples of those very dumps), and a dump of the whole graph
# is too large to compute per request. Files are read on each request, so a new release is served as
# soon as it is written; writes are atomic, so a request gets the old file or the new one, never half.

#: the RDF forms of the ontology and dataset IRIs: media type -> rdflib serializer
RDF_MEDIA: dict[str, str] = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
HTML = "text/html"
#: what a file answered as a download is sent as (gzip twins keep their compression)
GZIP = "application/gzip"


def negotiate(accept: str, offered: tuple[str, ...]) -> str | None:
    """The media type among ``offered`` that ``accept`` prefers (q-values, then the more specific
    range); the first offered one for a missing Accept or ``*/*``; None when none is acceptable.

    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", ("text/turtle", "text/html"))
    'text/html'
    >>> negotiate("", ("text/turtle", "text/html")), negotiate("image/png", ("text/turtle",))
    ('text/turtle', None)
    """
    import mimeparse

    if not accept.strip():
        return offered[0]
    try:  # mimeparse breaks ties in favour of the last candidate
        return mimeparse.best_match(list(reversed(offered)), accept) or None
    except (ValueError, IndexError, mimeparse.MimeTypeParseException):
        return None


def not_acceptable(what: str, accept: str, offered: tuple[str, ...]) -> Response:
    """406 with a one-line message naming what can be had."""
    body = f"cannot answer {what} as {accept!r}; ask for one of: {', '.join(offered)}\n".encode()
    return Response(406, {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept"}, body)


def _missing(name: str, exports: Path) -> Response:
    body = (f"{name} is not published in {exports}; write it with `kg export --all` (or `kg build`), or set "
            f"KG_EXPORTS_DIR to the exports directory\n").encode()
    return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, body)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


@lru_cache(maxsize=8)
def _reserialized(path: str, mtime_ns: int, size: int, fmt: str) -> bytes:
    """A Turtle file in another RDF syntax (cached per file version)."""
    import rdflib

    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    graph.parse(path, format="turtle")
    if fmt == "nt":
        return b"".join(sorted(graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)))
    return graph.serialize(format=fmt, encoding="utf-8")


def _rdf_answer(path: Path, media: str) -> Response | None:
    """The Turtle file ``path`` as ``media`` (the file itself for Turtle), or None when it is missing."""
    data = _read(path)
    if data is None:
        return None
    if media != "text/turtle":
        stat = path.stat()
        data = _reserialized(str(path), stat.st_mtime_ns, stat.st_size, RDF_MEDIA[media])
    charset = "" if media == "application/rdf+xml" else "; charset=utf-8"
    return Response(200, {"Content-Type": media + charset, "Vary": "Accept"}, data)


def ontology_response(exports: Path, accept: str) -> Response:
    """The ontology IRI: ``ontology.html`` to browsers, ``ontology.ttl`` (or RDF/XML, JSON-LD,
    N-Triples of it) by Accept; Turtle when Accept says nothing or ``*/*``."""
    offered = ("text/turtle", HTML, *(m for m in RDF_MEDIA if m != "text/turtle"))
    media = negotiate(accept, offered)
    if media is None:
        return not_acceptable("the ontology", accept, offered)
    if media == HTML:
        data = _read(exports / "ontology.html")
        if data is None:
            return _missing("ontology.html", exports)
        return Response(200, {"Content-Type": "text/html; charset=utf-8", "Vary": "Accept"}, data)
    return _rdf_answer(exports / "ontology.ttl", media) or _missing("ontology.ttl", exports)


def dataset_response(exports: Path, accept: str) -> Response:
    """The dataset IRI: the VoID description (``void.ttl``) by Accept, or an HTML page of it."""
    offered = ("text/turtle", HTML, *(m for m in RDF_MEDIA if m != "text/turtle"))
    media = negotiate(accept, offered)
    if media is None:
        return not_acceptable("the dataset description", accept, offered)
    path = exports / "void.ttl"
    if media == HTML:
        if _read(path) is None:
            return _missing("void.ttl", exports)
        stat = path.stat()
        body = _void_html(str(path), stat.st_mtime_ns, stat.st_size)
        return Response(200, {"Content-Type": "text/html; charset=utf-8", "Vary": "Accept"}, body)
    return _rdf_answer(path, media) or _missing("void.ttl", exports)


def published_files() -> dict[str, str]:
    """File name in exports/ -> media type, for every file a build writes (and its gzip twins)."""
    from kg.export import BUILD_EXPORTS, BUILD_GZIP, WRITERS

    files = {name: WRITERS[fmt].media_type for fmt, name in BUILD_EXPORTS}
    files.update({name + ".gz": GZIP for name in BUILD_GZIP})
    return files


def dump_response(exports: Path, name: str, accept: str) -> Response:
    """One file of exports/ at the URL void.ttl names, with its media type; 406 when Accept refuses it."""
    media = published_files().get(name)
    if media is None:
        names = ", ".join(sorted(published_files()))
        body = f"no dump {name!r}; the published files are: {names}\n".encode()
        return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, body)
    if negotiate(accept, (media,)) is None:
        return not_acceptable(name, accept, (media,))
    data = _read(exports / name)
    if data is None:
        return _missing(name, exports)
    text = media.startswith("text/") or media in ("application/n-triples", "application/n-quads",
                                                  "application/trig", "application/ld+json")
    return Response(200, {"Content-Type": media + ("; charset=utf-8" if text else "")}, data)


@lru_cache(maxsize=2)
def _void_html(path: str, mtime_ns: int, size: int) -> bytes:
    """A page for people: the dataset's title, description, licence, endpoint, dumps and sources."""
    import html

    import rdflib

    from kg.export.void import DATASET

    g = rdflib.Graph().parse(path, format="turtle")
    ns = {p: rdflib.Namespace(u) for p, u in (*PREFIXES.items(),
                                               ("sd", "http://www.w3.org/ns/sparql-service-description#"))}
    d = rdflib.URIRef(DATASET)

    def text(s: rdflib.term.Node, p: rdflib.URIRef) -> str:
        return html.escape(str(g.value(s, p) or ""))

    def link(iri: rdflib.term.Node, label: str | None = None) -> str:
        value = html.escape(str(iri))
        shown = html.escape(label) if label else value
        return f'<a href="{value}">{shown}</a>' if str(iri).startswith(("http://", "https://")) else shown

    dumps = sorted(g.objects(d, ns["void"].dataDump), key=str)
    sources = sorted(g.objects(d, ns["dcterms"].source), key=str)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{text(d, ns['dcterms'].title)}</title></head><body>",
        f"<h1>{text(d, ns['dcterms'].title)}</h1>",
        f"<p>{text(d, ns['dcterms'].description)}</p>",
        f"<p>Version {text(d, ns['dcat'].version)}; {text(d, ns['void'].triples)} triples. Licence: "
        f"{link(g.value(d, ns['dcterms'].license) or '')}. {text(d, ns['dcterms'].rights)}</p>",
        f"<p>SPARQL endpoint: {link(g.value(d, ns['void'].sparqlEndpoint) or '')}</p>",
        "<h2>Dumps</h2><ul>", *(f"<li>{link(u)}</li>" for u in dumps), "</ul>",
        "<h2>Sources</h2><ul>",
        *(f"<li>{link(g.value(s, ns['dcat'].landingPage) or s, str(g.value(s, ns['dcterms'].title) or s))}"
          "</li>" for s in sources), "</ul>",
        f'<p>This description in RDF: <a href="?format=turtle">Turtle</a> (or ask for it with Accept: '
        f"{', '.join(RDF_MEDIA)}).</p>",
        "</body></html>", "",
    ]
    return "\n".join(parts).encode("utf-8")


def _paths(*iris: str) -> list[str]:
    """The paths an IRI is served at: its own path, and the same at the root (behind a proxy that
    strips the base's path, or on a local server), without duplicates."""
    from urllib.parse import urlsplit

    out: list[str] = []
    for iri in iris:
        path = urlsplit(iri).path or "/"
        out.append(path)
    return list(dict.fromkeys(out))


#: ``?format=…`` values (as on resource pages) -> media type
_FORMAT_MEDIA = {"html": HTML, "turtle": "text/turtle", "ttl": "text/turtle", "rdfxml": "application/rdf+xml",
                 "xml": "application/rdf+xml", "jsonld": "application/ld+json",
                 "json-ld": "application/ld+json", "ntriples": "application/n-triples",
                 "nt": "application/n-triples"}
#: what a plain route returns: (status, headers, body)
PlainAnswer = tuple[int, dict[str, str], bytes]


def _wanted(params: dict[str, str], headers: dict[str, str]) -> str:
    """``?format=turtle`` wins over the Accept header."""
    fmt = params.get("format", "").strip().lower()
    return _FORMAT_MEDIA.get(fmt, fmt) if fmt else headers.get("accept", "")


def register_routes(exports: Path, public_base: str) -> None:
    """Add the ontology, dataset and dump routes to ``kg serve`` (:func:`kg.server.add_route`)."""
    from kg.export.void import DATASET
    from kg.namespaces import BASE, ONTOLOGY_IRI
    from kg.server import add_route

    def ontology(path: str, params: dict[str, str], headers: dict[str, str]) -> PlainAnswer:
        r = ontology_response(exports, _wanted(params, headers))
        return r.status, r.headers, r.body

    def dataset(path: str, params: dict[str, str], headers: dict[str, str]) -> PlainAnswer:
        r = dataset_response(exports, _wanted(params, headers))
        return r.status, r.headers, r.body

    def dump(path: str, params: dict[str, str], headers: dict[str, str]) -> PlainAnswer:
        r = dump_response(exports, path.rsplit("/", 1)[1], headers.get("accept", ""))
        return r.status, r.headers, r.body

    for path in _paths(ONTOLOGY_IRI, "/ontology"):
        add_route(path, ontology)
    for path in _paths(DATASET, BASE + "dataset", "/dataset"):
        add_route(path, dataset)
    for path in _paths(public_base + "exports/", "/exports/"):
        add_route(path + "{name}", dump)

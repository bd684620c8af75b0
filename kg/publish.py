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


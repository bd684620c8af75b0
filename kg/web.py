"""The query page and its static assets, as plain functions: a request path in, a :class:`Response` out.

The page is YASGUI (vendored in ``kg/assets/vendor/``, pinned, licence beside it; see
``scripts/update_vendor.py``) configured by ``kg/assets/query.js``, a served script, so that the page's
Content-Security-Policy can keep ``script-src 'self'``: no inline script, no CDN, no request to any
other origin. Any HTTP server can serve these routes: :func:`respond` knows nothing of sockets.

Routes: ``/`` the page; ``/assets/NAME`` a file of ``kg/assets/`` or ``kg/assets/vendor/``;
``/queries/NAME.rq?PARAM=VALUE…`` a saved query with its parameters bound (400 with the reason when a
value does not fit its type), with the PREFIX lines it uses so that it runs anywhere.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.namespaces import ID, PK, PREFIXES

ASSETS = Path(__file__).resolve().parent / "assets"
VENDOR = ASSETS / "vendor"

#: the page's policy: scripts and styles from this origin only (YASGUI and CodeMirror set inline
#: styles, hence ``'unsafe-inline'`` for styles, never for scripts); fetches to this origin only
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json", ".html": "text/html; charset=utf-8",
          ".LICENSE": "text/plain; charset=utf-8", ".svg": "image/svg+xml"}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Response:
    """What to send: status, headers (Content-Type among them) and body."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _text(status: int, message: str) -> Response:
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"),
                    {"Content-Type": "text/plain; charset=utf-8"})


def respond(path: str, query: str = "") -> Response | None:
    """The answer to ``GET path?query`` when the path is one of ours, else None (the caller goes on)."""
    if path in ("/", "/index.html"):
        return Response(200, query_page(), {"Content-Type": "text/html; charset=utf-8",
                                            "Content-Security-Policy": CSP,
                                            "X-Content-Type-Options": "nosniff",
                                            "Referrer-Policy": "no-referrer"})
    if path.startswith("/assets/"):
        return asset(path[len("/assets/"):])
    if path == "/query-config.json":
        return Response(200, page_config(), {"Content-Type": "application/json"})
    if path.startswith("/queries/") and path.endswith(".rq"):
        return bound_query(path[len("/queries/"):-len(".rq")], query)
    return None


@lru_cache(maxsize=1)
def query_page() -> bytes:
    """The page: static HTML; everything it shows comes from its script and the endpoint."""
    return (ASSETS / "query.html").read_bytes()


#: the query the editor opens with, before the user has one of their own
EXAMPLE_QUERY = """SELECT ?class (COUNT(?s) AS ?instances)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances)
LIMIT 20"""


@lru_cache(maxsize=1)
def page_config() -> bytes:
    """What the page's script needs from the server: the declared prefixes, our IRI base, an example."""
    return json.dumps({"prefixes": PREFIXES, "id": ID, "example": EXAMPLE_QUERY},
                      ensure_ascii=False, sort_keys=True).encode("utf-8")


def asset_names() -> list[str]:
    """Every file served under ``/assets/``: the page's own and the vendored libraries with licences."""
    own = [p.name for p in ASSETS.iterdir() if p.is_file() and p.name != "query.html"]
    own.append("vis-network.min.js")
    return sorted(own + [p.name for p in VENDOR.iterdir() if p.is_file()])


def asset(name: str) -> Response:
    """One file of ``kg/assets/`` (or its ``vendor/``) by name; anything else is a 404."""
    if not _SAFE_NAME.match(name):
        return _text(404, f"no asset {name!r}")
    if name == "vis-network.min.js":  # the build inside pyvis, which the graph views inline too
        from kg.export.html import vis_assets

        js = re.sub(r"\n//# sourceMappingURL=\S*", "", vis_assets()[1])  # the map is not shipped
        return Response(200, js.encode("utf-8"), {
            "Content-Type": _TYPES[".js"], "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
    for folder in (ASSETS, VENDOR):
        path = folder / name
        if path.is_file() and path.name != "query.html":
            suffix = ".LICENSE" if name.endswith(".LICENSE") else path.suffix
            # vendored names carry their version, so a browser may keep them; our own may change
            cache = "public, max-age=31536000, immutable" if folder == VENDOR else "no-cache"
            return Response(200, path.read_bytes(), {
                "Content-Type": _TYPES.get(suffix, "application/octet-stream"),
                "Cache-Control": cache, "X-Content-Type-Options": "nosniff"})
    return _text(404, f"no asset {name!r}; the assets are: {', '.join(asset_names())}")


def used_prefixes(text: str) -> str:
    """PREFIX lines for the predeclared prefixes a query uses (``pk:x``), so it also runs elsewhere."""
    used = [p for p in PREFIXES if re.search(rf"(?<![\w:?$]){re.escape(p)}:", text)]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)


def bound_query(name: str, query: str) -> Response:
    """A saved query with the form's values bound (defaults for the rest), ready for the editor."""
    from kg.query import saved_queries

    library = saved_queries()
    if name not in library:
        return _text(404, f"no saved query {name!r}; see /queries.json for the library")
    try:
        values = dict(urllib.parse.parse_qsl(query, keep_blank_values=True, errors="strict"))
    except (UnicodeDecodeError, ValueError) as e:
        return _text(400, f"cannot read the parameters ({e}); percent-encode UTF-8")
    saved = library[name]
    declared = {p.name for p in saved.params}
    # an empty field means "the default", or an open parameter when there is none
    values = {k: v for k, v in values.items() if v.strip() or k not in declared}
    try:
        text = saved.bind(values, unbound_ok=True)
    except KGError as e:
        return _text(400, str(e).replace("--param ", ""))
    return Response(200, (used_prefixes(text) + text).encode("utf-8"),
                    {"Content-Type": "application/sparql-query; charset=utf-8"})


# ---- entity pages that read like records ------------------------------------------------------------

#: rows of "referred to by" per page
ENTITY_PAGE_SIZE = 50
#: how any resource ?x is named on a page: its label, or (a statement) its speaker, verb and date
_NAMING = """OPTIONAL { ?x skos:prefLabel ?l1 } OPTIONAL { ?x foaf:name ?l2 }
  OPTIONAL { ?x dcterms:title ?l3 } OPTIONAL { ?x pk:acronym ?l4 } OPTIONAL { ?x dcterms:identifier ?l5 }
  BIND(COALESCE(?l1, ?l2, ?l3, ?l4, ?l5) AS ?l)
  OPTIONAL { ?x pk:speaker ?who . ?who foaf:name|skos:prefLabel ?spk }
  OPTIONAL { ?x pk:speechVerb ?verb } OPTIONAL { ?x dcterms:date ?date }"""
_NAMES = ("(SAMPLE(?l) AS ?label) (MIN(STR(?spk)) AS ?speaker) (SAMPLE(?verb) AS ?verb_) "
          "(MIN(STR(?date)) AS ?date_)")
#: the kind a resource is listed under: one of our classes before any reused one ("0…" sorts first)
_KIND = (f'OPTIONAL {{ ?x a ?t0 . BIND(CONCAT(IF(STRSTARTS(STR(?t0), "{PK}"), "0", "1"), STR(?t0)) AS ?t) }}')
_TYPE_WORDS = {"Statement": "Statements", "SourceDocument": "Source documents",
               "Contribution": "Contributions", "Membership": "Tenures", "PeacekeepingMission": "Missions",
               "Country": "Countries", "Person": "People", "SecurityCouncilResolution": "Resolutions",
               "Deployment": "Deployments"}


def hash_parts(iri: str) -> str:
    """?s bound to the resource and its ``#…`` parts one or two steps away (a statement's selectors)."""
    return (f'{{ BIND(<{iri}> AS ?s) }} UNION {{ {{ <{iri}> ?a1 ?s }} UNION {{ <{iri}> ?a2 ?m . ?m ?a3 ?s }} '
            f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{iri}#")) }}')


def entity_queries(iri: str, page: int = 1) -> dict[str, str]:
    """The SELECTs an entity page needs; run each with the server's pool, hand the rows to
    :func:`entity_page`. ``page`` (from 1) pages "referred to by"."""
    incoming = f'?x ?p <{iri}> . FILTER(!STRSTARTS(STR(?x), "{iri}#"))'
    return {
        "facts": (f"SELECT ?s ?p ?o {_NAMES} WHERE {{ {hash_parts(iri)} ?s ?p ?o . BIND(?o AS ?x) "
                  f"{_NAMING} }} GROUP BY ?s ?p ?o ORDER BY ?s ?p ?o"),
        "record": (f"SELECT {_NAMES} (SAMPLE(?q) AS ?quote) (SAMPLE(?e) AS ?sentence) WHERE {{ "
                   f"BIND(<{iri}> AS ?x) {_NAMING} OPTIONAL {{ ?x pk:quote ?q }} "
                   f"OPTIONAL {{ ?x oa:hasTarget/oa:hasSelector ?sel . ?sel a oa:TextQuoteSelector ; "
                   f"oa:exact ?e }} }}"),
        "incoming": (f"SELECT ?x (GROUP_CONCAT(DISTINCT STR(?p); separator=' ') AS ?props) "
                     f"(MIN(?t) AS ?kind) {_NAMES} WHERE {{ {incoming} {_KIND} {_NAMING} }} "
                     f"GROUP BY ?x ORDER BY ?kind ?x "
                     f"LIMIT {ENTITY_PAGE_SIZE} OFFSET {(page - 1) * ENTITY_PAGE_SIZE}"),
        "counts": (f"SELECT ?kind (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?x (MIN(?t) AS ?kind) "
                   f"WHERE {{ {incoming} {_KIND} }} GROUP BY ?x }} }} GROUP BY ?kind ORDER BY ?kind"),
    }


def page_number(params: dict[str, str]) -> int | None:
    """``page=N`` (1 when absent); None when it is not a page number."""
    raw = params.get("page", "1").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else None


def _v(row: dict[str, Any], name: str) -> str:
    return str(row.get(name, {}).get("value", ""))


def record_name(row: dict[str, Any], fallback: str = "") -> str:
    """A resource as a reader names it: a statement by speaker, verb and date, else its label."""
    speaker, verb, date = _v(row, "speaker"), _v(row, "verb_"), _v(row, "date_")
    if verb:
        return " ".join(x for x in (speaker, verb) if x) + (f", {date}" if date else "")
    return _v(row, "label") or fallback


def _term(term: dict[str, str], name: str = "") -> str:
    from kg.query import short_iri

    value = term.get("value", "")
    if term.get("type") == "uri":
        shown = html.escape(short_iri(value))
        if name:
            shown += f" <span class=label>{html.escape(name)}</span>"
        if value.startswith(ID):
            return f'<a href="/id/{html.escape(value[len(ID):])}">{shown}</a>'
        if value.startswith(("http://", "https://")):
            return f'<a href="{html.escape(value)}" rel="nofollow noopener">{shown}</a>'
        return shown
    if term.get("type") == "bnode":
        return f"_:{html.escape(value)}"
    extra = ""
    if "xml:lang" in term:
        extra = f' <span class=dt>@{html.escape(term["xml:lang"])}</span>'
    elif "datatype" in term:
        extra = f' <span class=dt>{html.escape(short_iri(term["datatype"]))}</span>'
    return f"<span class=lit>{html.escape(value)}</span>{extra}"


def _kind_name(kind: str) -> str:
    from kg.query import short_iri

    kind = kind[1:]  # the rank digit of _KIND
    if not kind:
        return "Other resources"
    local = kind.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return _TYPE_WORDS.get(local, short_iri(kind))


_PAGE_CSS = """body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:.6em 1.2em}header a{color:#fff}
main{padding:1em 1.2em;max-width:1300px}h1{font-size:1.35em;margin:.2em 0}
h2{font-size:1.05em;margin:1.2em 0 .4em}
table{border-collapse:collapse;background:#fff;width:100%}td,th{border:1px solid #d8dde3;padding:.25em .5em;
vertical-align:top;text-align:left}th{background:#eef1f4}.dt,.label{color:#667;font-size:.85em}
.lit{white-space:pre-wrap}code{font-size:.9em}a{color:#0b5cad}
blockquote{margin:.6em 0;padding:.5em .8em;border-left:4px solid #9467bd;background:#f1ecf8;font-size:1.05em}
.sentence{background:#fff;border:1px solid #e0e4ea;padding:.5em .7em;border-radius:4px}
nav.pages a,nav.pages span{margin-right:.6em}"""

#: entity pages carry no script at all
ENTITY_CSP = ("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'none'")


def entity_page(iri: str, rows: dict[str, list[dict[str, Any]]], page: int = 1) -> Response:
    """The HTML record of one resource from the rows of :func:`entity_queries`; every string escaped."""
    from kg.query import short_iri

    facts, incoming, counts = rows["facts"], rows["incoming"], rows.get("counts", [])
    record = (rows.get("record") or [{}])[0]
    title = record_name(record, short_iri(iri))
    body = [f"<h1>{html.escape(title)}</h1>",
            f'<p><code>{html.escape(iri)}</code> · <a href="?format=turtle">Turtle</a> · '
            f'<a href="?format=jsonld">JSON-LD</a></p>']
    if _v(record, "quote"):
        body.append(f"<blockquote>“{html.escape(_v(record, 'quote'))}”</blockquote>")
    if _v(record, "sentence"):
        body.append(f"<p class=sentence>{html.escape(_v(record, 'sentence'))}</p>")
    sections: dict[str, list[str]] = {}
    for row in facts:
        sections.setdefault(row["s"]["value"], []).append(
            f"<tr><td>{_term(row['p'])}</td><td>{_term(row['o'], record_name(row))}</td></tr>")
    for subject in sorted(sections, key=lambda s: (s != iri, s)):
        if subject != iri:
            body.append(f"<h2>{html.escape(short_iri(subject))}</h2>")
        body.append(f"<table><tr><th>property</th><th>value</th></tr>{''.join(sections[subject])}</table>")
    total = sum(int(_v(c, "n") or 0) for c in counts)
    if total:
        pages = (total + ENTITY_PAGE_SIZE - 1) // ENTITY_PAGE_SIZE
        summary = ", ".join(f"{_kind_name(_v(c, 'kind'))} {int(_v(c, 'n')):,}" for c in counts)
        body.append(f"<h2>Referred to by ({total:,}: {html.escape(summary)})</h2>")
        groups: dict[str, list[str]] = {}
        for row in incoming:
            props = ", ".join(_term({"type": "uri", "value": p}) for p in _v(row, "props").split())
            groups.setdefault(_v(row, "kind"), []).append(
                f"<tr><td>{_term(row['x'], record_name(row))}</td><td>{props}</td></tr>")
        for kind, trs in groups.items():
            body.append(f"<h3>{html.escape(_kind_name(kind))}</h3><table><tr><th>resource</th>"
                        f"<th>property</th></tr>{''.join(trs)}</table>")
        if pages > 1:
            links = [f'<a href="?page={page - 1}" rel=prev>previous</a>' if page > 1 else "",
                     f"<span>page {page} of {pages}</span>",
                     f'<a href="?page={page + 1}" rel=next>next</a>' if page < pages else ""]
            body.append(f"<nav class=pages>{''.join(links)}</nav>")
    text = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)} · "
            f"Peacekeeping KG</title><meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<style>{_PAGE_CSS}</style></head><body>"
            f"<header><a href='/'>Peacekeeping KG</a> · SPARQL</header>"
            f"<main>{''.join(body)}</main></body></html>")
    return Response(200, text.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8",
                                                "Content-Security-Policy": ENTITY_CSP, "Vary": "Accept"})

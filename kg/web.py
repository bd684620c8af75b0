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

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import KGError
from kg.namespaces import ID, PREFIXES

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

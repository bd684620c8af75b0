"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint, a query page and Linked Data pages.

Built on the standard library (``http.server``) and :class:`kg.query.WorkerPool`: every query is
parsed and checked by :func:`kg.query.prepare` inside a worker process, which opens the store
read-only and is killed at the deadline, so a slow query costs one worker and never the server.

Status codes: 200 answer; 204 CORS preflight; 400 a malformed request or query (syntax error,
unknown prefix, no query, bad encoding, bad parameter); 403 a well-formed request the service
refuses to run (updates of any kind, ``SERVICE``, ``FROM``/``FROM NAMED`` and the protocol's
``default-graph-uri``/``named-graph-uri``); 404 no such page or resource; 405 a method other than
GET/HEAD/POST/OPTIONS; 411 a POST without Content-Length; 413 a request larger than the limit;
415 a POST body type that is not a query; 503 the query ran past the time limit (or every worker
stayed busy that long). Results past the row limit are cut, and the response says so in the
headers ``X-KG-Truncated: true`` and ``X-KG-Row-Limit``.
"""

from __future__ import annotations

import json
import signal
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kg import web
from kg.config import Settings
from kg.errors import KGError, QueryError, QueryRefused, QueryTimeout, StoreError, UsageError
from kg.namespaces import ID
from kg.query import (
    GRAPH_FORMAT_NAMES,
    MEDIA_TYPES,
    RESULT_FORMAT_NAMES,
    Answer,
    WorkerPool,
    saved_queries,
)

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024
DEFAULT_WORKERS = 4
#: seconds a client may take to send its request before the connection is dropped
SOCKET_TIMEOUT = 30
#: a body up to this size is read (and dropped) before answering 413, so the client sees the answer
_DRAIN_LIMIT = 16 * 1024 * 1024
#: rows shown on an entity page, per section
ENTITY_ROWS = 500
#: the path of our resource namespace (``/peacekeeping-kg/id/``): resources resolve there and at ``/id/``
_ID_PATH = urllib.parse.urlsplit(ID).path

#: media type (as clients write it) -> our format name: each format's own type, and common aliases
_ACCEPT: dict[str, str] = {
    **{media: fmt for fmt, media in MEDIA_TYPES.items()},
    "application/json": "json", "application/xml": "xml", "text/xml": "xml",
    "application/x-turtle": "turtle", "text/n3": "turtle", "text/plain": "ntriples",
}
#: values of the ``format``/``output``/``results`` parameters (SPARQLWrapper sends them) -> format name
_FORMAT_PARAM: dict[str, str] = {
    **{fmt: fmt for fmt in MEDIA_TYPES},
    "ttl": "turtle", "n3": "turtle", "nt": "ntriples", "json-ld": "jsonld",
    "rdf": "rdfxml", "rdf+xml": "rdfxml",
}
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Expose-Headers": "X-KG-Truncated, X-KG-Row-Limit",
    "Access-Control-Max-Age": "600",
}


@dataclass(frozen=True)
class ServerConfig:
    """The limits a server enforces."""

    store: str
    timeout: float
    max_rows: int = DEFAULT_MAX_ROWS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    workers: int = DEFAULT_WORKERS


class HTTPProblem(Exception):
    """An answer other than 200, with a one-line message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: one thread per connection, queries on the shared worker pool."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], config: ServerConfig, pool: WorkerPool,
                 log: Callable[[str], None] | None = None) -> None:
        super().__init__(address, Handler)
        self.config, self.pool, self.log = config, pool, log

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def create_app(store_location: str, settings: Settings, *, host: str = "127.0.0.1", port: int = 8000,
               max_rows: int = DEFAULT_MAX_ROWS, max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
               workers: int = DEFAULT_WORKERS, log: Callable[[str], None] | None = None) -> SparqlServer:
    """A server bound to ``host:port`` (port 0 picks a free one), with its workers started.

    Raises StoreError when the store cannot be opened, UsageError when the address is taken.
    """
    config = ServerConfig(store=store_location, timeout=settings.query_timeout, max_rows=max_rows,
                          max_request_bytes=max_request_bytes, workers=workers)
    pool = WorkerPool(store_location, size=workers, warm=min(2, workers))
    try:
        return SparqlServer((host, port), config, pool, log)
    except OSError as e:
        pool.close()
        raise UsageError(f"cannot listen on {host}:{port} ({e.strerror or e}); pick another --port") from e


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, max_rows: int = DEFAULT_MAX_ROWS,
          max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, workers: int = DEFAULT_WORKERS,
          say: Callable[[str], None] = lambda _line: None, log: Callable[[str], None] | None = None) -> None:
    """Run the server until interrupted; ``say`` receives the start-up lines."""
    app = create_app(settings.store, settings, host=host, port=port, max_rows=max_rows,
                     max_request_bytes=max_request_bytes, workers=workers, log=log)
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"warning: listening on {host}, so other machines can query this store; "
            f"use --host 127.0.0.1 to keep it local")
    say(f"SPARQL endpoint {app.url}/sparql, query page {app.url}/ (store {settings.store}; "
        f"timeout {settings.query_timeout:g} s, at most {max_rows} rows); Ctrl-C stops it")
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        app.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        app.server_close()
        signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    """SIGTERM stops the server like Ctrl-C, so that its worker processes are stopped too."""
    raise KeyboardInterrupt


# ---- request handling --------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Routes: ``/`` query page, ``/sparql`` the endpoint, ``/queries.json`` the library, ``/id/…`` pages."""

    server: SparqlServer
    server_version = "kg-serve"
    timeout = SOCKET_TIMEOUT

    # -- HTTP methods
    def do_GET(self) -> None:  # noqa: N802 — http.server's naming
        self._dispatch(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch(head=True)

    def do_POST(self) -> None:  # noqa: N802
        self._guard(self._post)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._send(204, b"", None)

    def do_PUT(self) -> None:  # noqa: N802
        self._not_allowed()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    # -- plumbing
    def _not_allowed(self) -> None:
        self.close_connection = True
        self._send_text(405, f"{self.command} is not allowed: the service is read-only; "
                             f"query with GET or POST /sparql", {"Allow": "GET, HEAD, POST, OPTIONS"})

    def _dispatch(self, *, head: bool) -> None:
        self._head = head
        self._guard(self._get)

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except HTTPProblem as p:
            self._send_text(p.status, p.message, p.headers)
        except QueryRefused as e:
            self._send_text(403, str(e))
        except QueryTimeout as e:
            self._send_text(503, str(e), {"Retry-After": "5"})
        except (QueryError, UsageError) as e:
            self._send_text(400, str(e))
        except StoreError as e:
            self._send_text(500, f"the store is not available: {e}")
        except KGError as e:
            self._send_text(500, str(e))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # noqa: BLE001 — never a traceback to the client
            self.log_error("internal error: %s: %s", type(e).__name__, e)
            self._send_text(500, f"internal error ({type(e).__name__}); the server log has the details")

    def _send(self, status: int, body: bytes, content_type: str | None,
              headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            for k, v in {**_CORS, **(headers or {})}.items():
                self.send_header(k, v)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and not getattr(self, "_head", False):
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        body = (message.rstrip("\n") + "\n").encode("utf-8")
        self._send(status, body, "text/plain; charset=utf-8", headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (bad request line, unknown method) as one plain-text line too."""
        self.close_connection = True
        text = message or self.responses.get(code, ("error",))[0]
        self._send_text(code, f"{text}; send a SPARQL 1.1 Protocol request (GET or POST /sparql)")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — http.server's signature
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")
        else:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    # -- GET routes
    def _get(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        path = parts.path
        page = web.respond(path, parts.query)  # the query page and its assets (kg/web.py)
        if page is not None:
            headers = dict(page.headers)
            self._send(page.status, page.body, headers.pop("Content-Type", None), headers)
        elif path == "/sparql":
            params = _parse_form(parts.query)
            self._sparql(params, params.get("query"))
        elif path == "/queries.json":
            self._send(200, _library_json(), "application/json")
        elif path.startswith("/id/"):
            self._entity(path[len("/id/"):], _parse_form(parts.query))
        elif path.startswith(_ID_PATH) and _ID_PATH != "/id/":  # behind a proxy that keeps the base's path
            self._entity(path[len(_ID_PATH):], _parse_form(parts.query))
        else:
            raise HTTPProblem(404, f"no page at {path}; the endpoint is /sparql and the query page is /")

    # -- POST /sparql
    def _post(self) -> None:
        self._head = False
        parts = urllib.parse.urlsplit(self.path)
        if parts.path != "/sparql":
            self.close_connection = True
            raise HTTPProblem(404, f"no endpoint at {parts.path}; POST queries to /sparql")
        body = self._read_body()
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        url_params = _parse_form(parts.query)
        if ctype == "application/x-www-form-urlencoded":
            params = {**url_params, **_parse_form(_decode(body))}
            query = params.get("query")
        elif ctype == "application/sparql-query":
            params, query = url_params, _decode(body)
        elif ctype == "application/sparql-update":
            raise QueryRefused("updates are refused: the service is read-only")
        else:
            raise HTTPProblem(415, f"cannot read a POST body of type {ctype or '(none)'!r}; send "
                                   f"application/sparql-query or a form with query=")
        self._sparql(params, query)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise HTTPProblem(411, "chunked bodies are not accepted; send Content-Length")
        raw = self.headers.get("Content-Length")
        if raw is None:
            self.close_connection = True
            raise HTTPProblem(411, "a POST needs a Content-Length header")
        try:
            length = int(raw)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise HTTPProblem(400, f"bad Content-Length {raw!r}") from None
        limit = self.server.config.max_request_bytes
        if length > limit:
            self.close_connection = True
            if length <= _DRAIN_LIMIT:
                self._drain(length)
            raise HTTPProblem(413, f"the request has {length} bytes, more than the limit of {limit}; "
                                   f"send a shorter query")
        return self.rfile.read(length)

    def _drain(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                return
            length -= len(chunk)

    # -- the endpoint
    def _sparql(self, params: dict[str, str], query: str | None) -> None:
        if "update" in params:
            raise QueryRefused("updates are refused: the service is read-only")
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                raise QueryRefused(f"{name} is refused: the service queries its own graphs only; "
                                   f"use GRAPH <…> {{ … }} in the query to pick a named graph")
        if query is None or not query.strip():
            raise HTTPProblem(400, "no query: pass query=… (GET or a form POST) or POST "
                                   "application/sparql-query; the query page is /")
        if len(query.encode("utf-8")) > self.server.config.max_request_bytes:
            raise HTTPProblem(413, f"the query is longer than the limit of "
                                   f"{self.server.config.max_request_bytes} bytes; send a shorter query")
        formats = self._wanted_formats(params)
        answer = self._run(query, formats)
        self._send_answer(answer)

    def _run(self, query: str, formats: list[str], max_rows: int | None = None) -> Answer:
        config = self.server.config
        started = time.monotonic()
        answer = self.server.pool.run(query, formats=formats, max_rows=max_rows or config.max_rows,
                                      timeout=config.timeout)
        self.log_message("query answered in %.3f s (%s rows)", time.monotonic() - started, answer.rows)
        return answer

    def _send_answer(self, answer: Answer) -> None:
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-KG-Truncated"] = "true"
            headers["X-KG-Row-Limit"] = str(self.server.config.max_rows)
        media = answer.media_type
        if media.startswith("text/") or media in ("application/sparql-results+json", "application/ld+json",
                                                  "application/n-triples"):
            media += "; charset=utf-8"
        self._send(200, answer.data, media, headers)

    def _wanted_formats(self, params: dict[str, str]) -> list[str]:
        for name in ("format", "output", "results"):
            value = params.get(name)
            if value:
                wanted = value.strip().lower()
                fmt = _FORMAT_PARAM.get(wanted) or _ACCEPT.get(wanted)
                if fmt is None:
                    raise HTTPProblem(400, f"unknown {name}={value!r}; use one of: "
                                           f"{', '.join(RESULT_FORMAT_NAMES + GRAPH_FORMAT_NAMES)}")
                return [fmt]
        return accepted_formats(self.headers.get("Accept", ""))

    # -- Linked Data pages
    def _entity(self, rest: str, params: dict[str, str]) -> None:
        iri = ID + rest
        if not rest or any(c in iri for c in '<>"{}|^`\\ ') or any(ord(c) < 0x21 for c in iri):
            raise HTTPProblem(400, f"not a resource IRI: {iri!r}")
        choice = params.get("format", "").strip().lower()
        page_formats = ("html", *GRAPH_FORMAT_NAMES)
        if choice:
            wanted = "html" if choice == "html" else _FORMAT_PARAM.get(choice)
            if wanted not in page_formats:
                raise HTTPProblem(400, f"unknown format={choice!r} for a resource page; use html or one of: "
                                       f"{', '.join(GRAPH_FORMAT_NAMES)}")
        else:
            ranked = accepted_formats(self.headers.get("Accept", ""), html=True)
            wanted = next((f for f in ranked if f in page_formats), "html")
        if wanted != "html":
            answer = self._run(entity_construct(iri), [wanted], max_rows=ENTITY_ROWS * 4)
            if answer.rows == 0:
                raise HTTPProblem(404, f"nothing is known about <{iri}>")
            self._send_answer(answer)
            return
        page_no = web.page_number(params)
        if page_no is None:
            raise HTTPProblem(400, f"page={params.get('page')!r} is not a page number; use page=1, 2, …")
        rows = {name: self._rows(query) for name, query in web.entity_queries(iri, page_no).items()}
        if not rows["facts"]:
            raise HTTPProblem(404, f"nothing is known about <{iri}>")
        page = web.entity_page(iri, rows, page_no)  # the record page (kg/web.py)
        headers = dict(page.headers)
        self._send(page.status, page.body, headers.pop("Content-Type"), headers)

    def _rows(self, query: str) -> list[dict[str, dict[str, str]]]:
        answer = self._run(query, ["json"], max_rows=ENTITY_ROWS)
        return json.loads(answer.data)["results"]["bindings"]


# ---- helpers (pure functions, tested directly) ---------------------------------------------------


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPProblem(400, f"the request is not valid UTF-8 (byte {e.start}); send UTF-8") from None


def _parse_form(text: str) -> dict[str, str]:
    """``a=1&b=2`` -> dict; a repeated ``query`` or bad percent-encoding is a 400."""
    try:
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=100)
    except (UnicodeDecodeError, ValueError) as e:
        raise HTTPProblem(400, f"cannot read the request parameters ({e}); percent-encode UTF-8") from None
    out: dict[str, str] = {}
    for k, v in pairs:
        if k in out and k in ("query", "update"):
            raise HTTPProblem(400, f"more than one {k}= parameter; send one query per request")
        out[k] = v
    return out


def accepted_formats(accept: str, *, html: bool = False) -> list[str]:
    """Our format names in the order an Accept header prefers them (q-values, then position).

    With ``html``, ``text/html`` counts too (as ``"html"``), for resource pages.
    """
    known = {**_ACCEPT, "text/html": "html", "application/xhtml+xml": "html"} if html else _ACCEPT
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        fields = [f.strip() for f in item.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media in known and q > 0:
            ranked.append((-q, position, known[media]))
    seen: list[str] = []
    for _, _, fmt in sorted(ranked):
        if fmt not in seen:
            seen.append(fmt)
    return seen


def entity_construct(iri: str) -> str:
    """The resource's facts as a graph, for Turtle/N-Triples/JSON-LD answers."""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {web.hash_parts(iri)} ?s ?p ?o }}"


def _library() -> list[dict[str, Any]]:
    """The saved queries as the query page and ``/queries.json`` show them (parameters left open)."""
    out = []
    for name, q in saved_queries().items():
        out.append({
            "name": name, "title": q.title, "description": q.description,
            "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                       for p in q.params],
            "query": q.bind(unbound_ok=True),
        })
    return out


@lru_cache(maxsize=1)
def _library_json() -> bytes:
    """``/queries.json``: built once, since the saved queries are package data."""
    return json.dumps(_library(), ensure_ascii=False, indent=1).encode("utf-8")

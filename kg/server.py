"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint, a query page and Linked Data pages.

The HTTP layer is uvicorn on uvloop (HTTP/1.1, keep-alive, a real listen backlog, llhttp's strict request
parser: duplicate ``Content-Length`` and other malformed requests are a 400). In front, :class:`Front`
checks every request's Host against an allowlist and sends ``/sparql`` (the hot path) straight to its
handler, with the CORS policy (any origin, no credentials: the one route that answers other origins, and
it changes nothing) applied there; every other page goes through Starlette's routing. uvicorn has no
deadline for a request's headers,
so :class:`DeadlineProtocol` adds one (408), and the app gives the body its own (408). Queries run on
:class:`kg.query.WorkerPool`: worker processes without network, killed at their deadline and memory
cap, within :class:`kg.query.PoolLimits`; a query known to be cheap runs on a thread of the shared worker
instead (:class:`kg.query.SharedLane`), straight from the event loop.

Status codes: 200 answer; 204 CORS preflight or OPTIONS; 400 a malformed request or query (syntax
error, unknown prefix, no query, bad encoding, bad parameter, a bad or unknown Host header, a request
the HTTP parser refuses); 403 a well-formed request the service refuses to run (updates of any kind,
``SERVICE``, ``FROM``/``FROM NAMED`` and the protocol's ``default-graph-uri``/``named-graph-uri``); 404
no such page or resource; 405 a method other than GET/HEAD/POST/OPTIONS; 408 headers or body not sent
within their deadline; 411 a POST without Content-Length; 413 a request larger than the limit; 415 a
POST body type that is not a query; 503 (with ``Retry-After``) the query ran past the time limit or
its memory limit, or the service is full (:class:`kg.query.PoolLimits`), or the client already has
``--client-limit`` requests in progress (a client is an address; behind a proxy on this machine, the
address its ``X-Forwarded-For`` names: uvicorn trusts that header from 127.0.0.1 only, or from the
addresses in ``FORWARDED_ALLOW_IPS``). Results past the row limit are cut, and the response says so
in the headers ``X-KG-Truncated: true`` and ``X-KG-Row-Limit``.

Routes are one table (:func:`routes`); a module that adds pages writes a plain function
``(path, params, headers) -> (status, headers, body)`` and registers it with :func:`add_route`.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import publish, web
from kg.config import Settings
from kg.errors import KGError, QueryError, QueryOverloaded, QueryRefused, QueryTimeout, StoreError, UsageError
from kg.namespaces import ID
from kg.query import (
    GRAPH_FORMAT_NAMES,
    MEDIA_TYPES,
    RESULT_FORMAT_NAMES,
    Answer,
    PoolLimits,
    SharedLane,
    WorkerPool,
    saved_queries,
)

if TYPE_CHECKING:
    from kg.store import Dataset

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024
#: seconds a client may take to send a request's headers, then its body, before a 408
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 30.0
#: seconds an idle keep-alive connection stays open
KEEP_ALIVE = 5
#: the listen backlog
BACKLOG = 2048
#: rows shown on an entity page, per section
ENTITY_ROWS = 500
#: the path of our resource namespace (``/peacekeeping-kg/id/``): resources resolve there and at ``/id/``
_ID_PATH = urllib.parse.urlsplit(ID).path
#: Host header values always accepted (loopback); ``--allow-host`` adds more
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
#: what every HTML page may load: scripts and styles from this origin only, never framed
HTML_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "form-action 'self'; frame-ancestors 'none'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

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
_ALLOW = "GET, HEAD, POST, OPTIONS"


@dataclass(frozen=True)
class ServerConfig:
    """The limits a server enforces."""

    store: str
    timeout: float
    max_rows: int = DEFAULT_MAX_ROWS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    limits: PoolLimits = PoolLimits()
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    body_timeout: float = BODY_TIMEOUT


class HTTPProblem(Exception):
    """An answer other than 200, with a one-line message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass
class Reply:
    """What a route answers: status, headers (Content-Type among them) and body."""

    status: int
    body: bytes
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


#: a plain route: (path, query parameters, request headers) -> (status, headers, body)
PlainHandler = Callable[[str, dict[str, str], dict[str, str]], tuple[int, dict[str, str], bytes]]
_EXTRA_ROUTES: list[tuple[str, PlainHandler]] = []


def add_route(path: str, handler: PlainHandler) -> None:
    """Serve ``path`` (Starlette syntax: ``/void/{rest:path}``) with a plain function, for GET and HEAD.

    Pages get the HTML security headers when they answer ``text/html``. Adding a path again replaces
    its handler (each :func:`create_app` registers the publishing routes of its settings).
    """
    _EXTRA_ROUTES[:] = [(p, h) for p, h in _EXTRA_ROUTES if p != path]
    _EXTRA_ROUTES.append((path, handler))


class App:
    """A configured service: the ASGI application, its worker pool and the threads that wait on it."""

    def __init__(self, config: ServerConfig, pool: WorkerPool, log: Callable[[str], None] | None) -> None:
        self.config, self.pool, self.log = config, pool, log
        limits = config.limits
        self.executor = ThreadPoolExecutor(limits.workers + limits.slow_workers + limits.max_waiting + 4,
                                           thread_name_prefix="kg-query")
        self.asgi = Front(self)
        self._per_client: dict[str, int] = {}  # client address -> requests in progress
        self._lane: SharedLane | None = None  # made on the event loop, at the first query

    def admit(self, client: str) -> None:
        """Count a request of ``client`` in; past the per-client bound, a 503 (HTTPProblem) instead.

        Runs on the event loop (one thread), so the counts need no lock; :meth:`leave` counts it out.
        """
        limit = self.config.limits.client_limit
        held = self._per_client.get(client, 0)
        if limit and held >= limit:
            raise HTTPProblem(503, f"this client ({client}) already has {held} requests in progress, the "
                                   f"most one client may have (--client-limit {limit}); wait for their "
                                   f"answers or try again in a few seconds", {"Retry-After": "2"})
        self._per_client[client] = held + 1

    def leave(self, client: str) -> None:
        """Count a request of ``client`` out (see :meth:`admit`)."""
        held = self._per_client.get(client, 0) - 1
        if held > 0:
            self._per_client[client] = held
        else:
            self._per_client.pop(client, None)

    def close(self) -> None:
        """Stop the workers and the waiting threads."""
        if self._lane is not None:
            self._lane.close()
        self.pool.close()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def note(self, line: str) -> None:
        if self.log is not None:
            self.log(line)

    async def run(self, query: str, formats: list[str], max_rows: int | None = None,
                  dataset: Dataset | None = None) -> Answer:
        """Run a query on the shared worker when it is known to be cheap (:class:`SharedLane`), else on
        the pool from a thread of our own, so the event loop keeps serving."""
        config = self.config
        started = time.monotonic()
        rows = max_rows or config.max_rows
        if self._lane is None and config.limits.threads:
            self._lane = SharedLane(self.pool)
        answer = None
        if self._lane is not None:
            answer = await self._lane.run(query, formats=formats, max_rows=rows, timeout=config.timeout,
                                          dataset=dataset)
        where = "shared worker"
        if answer is None:
            where = "worker of its own"
            loop = asyncio.get_running_loop()
            answer = await loop.run_in_executor(
                self.executor, lambda: self.pool.run(query, formats=formats, max_rows=rows,
                                                     timeout=config.timeout, dataset=dataset))
        self.note(f"query answered in {time.monotonic() - started:.3f} s ({answer.rows} rows, {where})")
        return answer


def create_app(store_location: str, settings: Settings, *, max_rows: int = DEFAULT_MAX_ROWS,
               max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, limits: PoolLimits | None = None,
               allowed_hosts: tuple[str, ...] = (), body_timeout: float = BODY_TIMEOUT,
               log: Callable[[str], None] | None = None) -> App:
    """The service over a store, with its workers started (not yet listening: see :func:`serve`).

    Workers run without network (``settings.sandbox``) and resolve relative IRIs against the base IRI.
    Raises StoreError when the store cannot be opened (SandboxUnavailable when the kernel will not cut
    the workers off the network).
    """
    limits = limits or PoolLimits()
    publish.register_routes(Path(settings.exports_dir), settings.public_base)
    config = ServerConfig(store=store_location, timeout=settings.query_timeout, max_rows=max_rows,
                          max_request_bytes=max_request_bytes, limits=limits, body_timeout=body_timeout,
                          allowed_hosts=tuple(dict.fromkeys((*LOOPBACK_HOSTS, *allowed_hosts))))
    pool = WorkerPool(store_location, sandbox=settings.sandbox, base=settings.base_iri, limits=limits)
    return App(config, pool, log)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; a taken port is a UsageError naming the fix."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as e:
        sock.close()
        if e.errno == 98:  # EADDRINUSE
            raise UsageError(f"port {port} on {host} is already in use (another `kg serve`?); stop that "
                             f"server or pick another --port") from None
        raise UsageError(f"cannot listen on {host}:{port} ({e.strerror or e}); pick another --host or "
                         f"--port") from None
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, max_rows: int = DEFAULT_MAX_ROWS,
          max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, limits: PoolLimits | None = None,
          allowed_hosts: tuple[str, ...] = (), header_timeout: float = HEADER_TIMEOUT,
          body_timeout: float = BODY_TIMEOUT, say: Callable[[str], None] = lambda _line: None,
          log: Callable[[str], None] | None = None) -> None:
    """Run the server until interrupted (Ctrl-C or SIGTERM); ``say`` receives the start-up lines."""
    import uvicorn

    sock = listen(host, port)  # before the workers start: a busy port is one line, at once
    hosts = allowed_hosts if host in ("0.0.0.0", "::") else (*allowed_hosts, host)
    try:
        app = create_app(settings.store, settings, max_rows=max_rows, max_request_bytes=max_request_bytes,
                         limits=limits, allowed_hosts=hosts, body_timeout=body_timeout, log=log)
    except BaseException:
        sock.close()
        raise
    bound = sock.getsockname()
    url = f"http://{bound[0] if ':' not in bound[0] else f'[{bound[0]}]'}:{bound[1]}"
    if host not in LOOPBACK_HOSTS:
        say(f"warning: listening on {host}, so other machines can query this store; "
            f"use --host 127.0.0.1 to keep it local")
    say(f"SPARQL endpoint {url}/sparql, query page {url}/ (store {settings.store}; "
        f"timeout {settings.query_timeout:g} s, at most {max_rows} rows); Ctrl-C stops it")
    if app.pool.store_note:
        say(app.pool.store_note)
    # loop "auto": uvloop where it is installed (a dependency but on Windows): a third less CPU per request
    config = uvicorn.Config(app.asgi, http=DeadlineProtocol, loop="auto", backlog=BACKLOG,
                            timeout_keep_alive=KEEP_ALIVE,
                            lifespan="off", access_log=log is not None, log_level="warning",
                            server_header=False, date_header=True, ws="none", timeout_graceful_shutdown=5)
    config.kg_header_timeout = header_timeout  # type: ignore[attr-defined] — read by DeadlineProtocol
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        app.close()


def _deadline_protocol() -> type:
    """uvicorn's httptools protocol with a deadline for the request line and headers (uvicorn has none)."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class Protocol(HttpToolsProtocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                # headers and body go out as two writes: without this, each keep-alive answer waits for
                # the client's delayed ACK (Nagle), ~40 ms
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(self._timeout(), self._headers_too_slow)

        def _timeout(self) -> float:
            return float(getattr(self.config, "kg_header_timeout", HEADER_TIMEOUT))

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._header_timer is None:
                self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._disarm()  # the keep-alive timeout watches the idle connection; a new request re-arms

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.transport.is_closing():
                return
            message = (f"the request's headers did not arrive within {self._timeout():g} s; send the whole "
                       f"request at once\n").encode()
            self.transport.write(
                b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                b"content-length: " + str(len(message)).encode() + b"\r\nconnection: close\r\n\r\n" + message)
            self.transport.close()

    return Protocol


class _LazyProtocol:
    """The protocol class, built on first use so that importing this module does not import uvicorn."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _protocol_class()(*args, **kwargs)


@lru_cache(maxsize=1)
def _protocol_class() -> type:
    return _deadline_protocol()


DeadlineProtocol = _LazyProtocol()


# ---- the ASGI application ------------------------------------------------------------------------


class Front:
    """The ASGI application: the Host allowlist for every request, then ``/sparql`` straight to its
    handler (no router, no middleware stack: it is most of the traffic) and every other path to
    Starlette's routes (:func:`routes`)."""

    def __init__(self, app: App) -> None:
        from starlette.applications import Starlette

        self.pages = Pages(app)
        self.allowed_hosts = app.config.allowed_hosts
        self.rest = Starlette(routes=routes(self.pages),
                              exception_handlers={404: _not_found, 405: _not_allowed})

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.rest(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get("host", "")
        if not host_allowed(host, self.allowed_hosts):
            await _send(send, _text(400, f"this server does not answer to the Host {host!r}; use one of "
                                         f"{', '.join(self.allowed_hosts)}, or start it with --allow-host "
                                         f"NAME", {"Connection": "close"}))
        elif scope["path"] == "/sparql":
            await self.pages.sparql(_Request(scope, receive, headers), send)
        else:
            await self.rest(scope, receive, send)


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Whether a Host header names this server: its name (port dropped; ``[::1]`` kept whole) is one of
    ``allowed``, or matches an allowed ``*.example.org``."""
    name = host[:host.index("]") + 1] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
    name = name.lower()
    return any(name == pattern or (pattern.startswith("*") and name.endswith(pattern[1:]))
               for pattern in allowed)


def _headers(scope: dict) -> dict[str, str]:
    """A request's headers by lower-case name (the first of a repeated header, as Starlette reads them)."""
    out: dict[str, str] = {}
    for name, value in scope["headers"]:
        out.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return out


class _Request:
    """What the endpoint reads of a request: method, headers, client, query string and body."""

    __slots__ = ("scope", "receive", "headers", "method")

    def __init__(self, scope: dict, receive: Callable, headers: dict[str, str]) -> None:
        self.scope, self.receive, self.headers, self.method = scope, receive, headers, scope["method"]

    @property
    def client(self) -> str:
        client = self.scope.get("client")
        return client[0] if client else "unknown"

    @property
    def endpoint(self) -> str:
        """The endpoint's own URL as the client addressed it (for the Service Description)."""
        scope = self.scope
        host = self.headers.get("host") or "{}:{}".format(*scope["server"])
        return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{scope['path']}"

    async def body(self) -> bytes:
        chunks = []
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise HTTPProblem(400, "the client closed the connection before its body arrived")
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                return b"".join(chunks)


def _reply_headers(reply: Reply, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every header of a reply: its own, Content-Type (text in UTF-8), Content-Length (none on 204 and
    304), the HTML pages' policy, and ``extra`` (a ``Vary`` joined to the reply's own)."""
    media = reply.content_type
    headers = dict(reply.headers)
    if media:
        if media.startswith("text/") and "charset=" not in media:
            media += "; charset=utf-8"
        if media.startswith("text/html"):
            headers = {**HTML_HEADERS, **headers}
        headers["Content-Type"] = media
    if reply.status not in (204, 304):
        headers["Content-Length"] = str(len(reply.body))
    for name, value in (extra or {}).items():
        headers[name] = f"{headers[name]}, {value}" if name == "Vary" and name in headers else value
    return headers


async def _send(send: Callable, reply: Reply, *, head: bool = False,
                extra: dict[str, str] | None = None) -> None:
    """Send a reply as plain ASGI messages (the endpoint's way; :func:`_response` is the pages')."""
    headers = _reply_headers(reply, extra)
    await send({"type": "http.response.start", "status": reply.status,
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]})
    await send({"type": "http.response.body", "body": b"" if head else reply.body})


#: CORS on the endpoint: any origin may read answers (no credentials); a preflight may ask these
CORS_METHODS = ("GET", "HEAD", "POST")
CORS_HEADERS = ("accept", "accept-language", "content-language", "content-type")
_CORS_SIMPLE = {"Access-Control-Allow-Origin": "*",
                "Access-Control-Expose-Headers": "X-KG-Truncated, X-KG-Row-Limit", "Vary": "Origin"}
_NO_ORIGIN = {"Vary": "Origin"}  # the answer would differ with one: caches must know


def cors_preflight(headers: dict[str, str]) -> Reply:
    """The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method)."""
    asked_method = headers.get("access-control-request-method", "")
    asked_headers = [h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")
                     if h.strip()]
    failures = [what for what, bad in (
        ("method", asked_method not in CORS_METHODS),
        ("headers", any(h not in CORS_HEADERS for h in asked_headers)),
        ("private-network", "access-control-request-private-network" in headers)) if bad]
    out = {"Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
           "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": ", ".join(CORS_METHODS),
           "Access-Control-Max-Age": "600",
           "Access-Control-Allow-Headers": ", ".join(h.title() for h in CORS_HEADERS)}
    if failures:
        return _text(400, f"CORS preflight refused ({', '.join(failures)}): /sparql allows the methods "
                          f"{out['Access-Control-Allow-Methods']} and the headers "
                          f"{out['Access-Control-Allow-Headers']}, from any origin (not from a private "
                          f"network)", out)
    return _text(200, "OK", out)


def routes(pages: Pages) -> list[Any]:
    """The route table of every page but the endpoint (:class:`Front` serves ``/sparql``): the query page,
    resource pages, and routes added by other modules."""
    from starlette.routing import Route

    table = [
        # the query page, its assets and the saved questions' forms (kg/web.py)
        *(Route(path, pages.web, methods=["GET", "HEAD"]) for path in
          ("/", "/index.html", "/query-config.json", "/assets/{name:path}", "/queries/{name:path}")),
        Route("/queries.json", pages.library, methods=["GET", "HEAD"]),
        Route("/id/{rest:path}", pages.entity, methods=["GET", "HEAD"]),
    ]
    if _ID_PATH != "/id/":  # behind a proxy that keeps the base's path
        table.append(Route(_ID_PATH + "{rest:path}", pages.entity, methods=["GET", "HEAD"]))
    table += [Route(path, _plain(handler), methods=["GET", "HEAD"]) for path, handler in _EXTRA_ROUTES]
    return table


def _response(reply: Reply, *, head: bool = False) -> Any:
    """A reply as a Starlette response (the pages' way; :func:`_send` is the endpoint's)."""
    from starlette.responses import Response

    return Response(b"" if head else reply.body, status_code=reply.status, headers=_reply_headers(reply))


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, (message.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8",
                 dict(headers or {}))


def problem_reply(error: BaseException) -> Reply:
    """The one place where an error becomes an HTTP status and a one-line message."""
    if isinstance(error, HTTPProblem):
        return _text(error.status, error.message, error.headers)
    if isinstance(error, QueryRefused):
        return _text(403, str(error))
    if isinstance(error, QueryTimeout):
        return _text(503, str(error), {"Retry-After": "5"})
    if isinstance(error, QueryOverloaded):
        return _text(503, str(error), {"Retry-After": "2"})
    if isinstance(error, (QueryError, UsageError)):
        return _text(400, str(error))
    if isinstance(error, StoreError):
        return _text(500, f"the store is not available: {error}")
    if isinstance(error, KGError):
        return _text(500, str(error))
    return _text(500, f"internal error ({type(error).__name__}); the server log has the details")


async def _not_found(request: Any, _exc: Exception) -> Any:
    path = request.url.path
    if request.method == "POST":
        return _response(_text(404, f"no endpoint at {path}; POST queries to /sparql"))
    return _response(_text(404, f"no page at {path}; the endpoint is /sparql and the query page is /"))


def _method_not_allowed(method: str) -> Reply:
    return _text(405, f"{method} is not allowed: the service is read-only; query with GET or POST /sparql",
                 {"Allow": _ALLOW, "Connection": "close"})


async def _not_allowed(request: Any, _exc: Exception) -> Any:
    return _response(_method_not_allowed(request.method))


def _plain(handler: PlainHandler) -> Callable[[Any], Any]:
    async def endpoint(request: Any) -> Any:
        try:
            params = _parse_form(request.scope["query_string"].decode("latin-1"))
            status, headers, body = handler(request.url.path, params, dict(request.headers))
            headers = dict(headers)
            media = headers.pop("Content-Type", None) or headers.pop("content-type", None)
            reply = Reply(status, body, media, headers)
        except Exception as e:  # noqa: BLE001 — every error is one line for the client
            reply = problem_reply(e)
        return _response(reply, head=request.method == "HEAD")

    return endpoint


class Pages:
    """The handlers of the built-in routes."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def _guard(self, client: str, action: Callable[[], Any]) -> Reply:
        """Run a handler that may query, within the client's bound, every error one line for the client."""
        admitted = False
        try:
            self.app.admit(client)
            admitted = True
            reply = await action()
        except Exception as e:  # noqa: BLE001 — never a traceback to the client
            if not isinstance(e, (KGError, HTTPProblem)):
                self.app.note(f"internal error: {type(e).__name__}: {e}")
            reply = problem_reply(e)
        finally:
            if admitted:
                self.app.leave(client)
        return reply

    # -- static pages
    async def web(self, request: Any) -> Any:
        page = web.respond(request.url.path, request.scope["query_string"].decode("latin-1"))
        if page is None:
            return await _not_found(request, Exception())
        headers = dict(page.headers)
        return _response(Reply(page.status, page.body, headers.pop("Content-Type", None), headers),
                         head=request.method == "HEAD")

    async def library(self, request: Any) -> Any:
        return _response(Reply(200, _library_json(), "application/json"), head=request.method == "HEAD")

    # -- the endpoint
    async def sparql(self, request: _Request, send: Callable) -> None:
        """``/sparql``: the protocol, with CORS (:class:`Front` sends it here)."""
        method, headers = request.method, request.headers
        cors = "origin" in headers
        if method == "OPTIONS":
            if cors and "access-control-request-method" in headers:
                await _send(send, cors_preflight(headers))
                return
            reply = Reply(204, b"", None, {"Allow": _ALLOW})
        elif method not in ("GET", "HEAD", "POST"):
            reply = _method_not_allowed(method)
        else:
            reply = await self._guard(request.client, lambda: self._sparql(request))
        await _send(send, reply, head=method == "HEAD", extra=_CORS_SIMPLE if cors else _NO_ORIGIN)

    async def _sparql(self, request: _Request) -> Reply:
        raw_query = request.scope["query_string"].decode("latin-1")
        url_params = _parse_form(raw_query)
        if request.method != "POST":
            if not raw_query:
                return service_description(request.endpoint, request.headers.get("accept", ""))
            return await self._query(request, url_params, url_params.get("query"), _dataset(raw_query))
        body = await self._read_body(request)
        dataset = _dataset(raw_query)
        ctype, _, options = (request.headers.get("content-type") or "").partition(";")
        ctype = ctype.strip().lower()
        charset = next((o.split("=", 1)[1].strip().strip('"').lower() for o in options.split(";")
                        if o.strip().lower().startswith("charset=")), "utf-8")
        if charset not in ("utf-8", "utf8", "us-ascii"):
            raise HTTPProblem(415, f"cannot read a body in charset={charset}; send UTF-8")
        if ctype == "application/x-www-form-urlencoded":
            form = _parse_form(_decode(body))
            for name in ("query", "update"):
                if name in form and name in url_params:
                    raise HTTPProblem(400, f"{name}= is both in the URL and in the body; send it once")
            params = {**url_params, **form}
            query = params.get("query")
            dataset = _dataset(raw_query, _decode(body))
        elif ctype == "application/sparql-query":
            if "query" in url_params:
                raise HTTPProblem(400, "query= in the URL and a query in the body; send it once")
            params, query = url_params, _decode(body)
        elif ctype == "application/sparql-update":
            raise QueryRefused("updates are refused: the service is read-only")
        else:
            raise HTTPProblem(415, f"cannot read a POST body of type {ctype or '(none)'!r}; send "
                                   f"application/sparql-query or a form with query=")
        return await self._query(request, params, query, dataset)

    async def _read_body(self, request: _Request) -> bytes:
        headers = request.headers
        if "chunked" in (headers.get("transfer-encoding") or "").lower():
            raise HTTPProblem(411, "chunked bodies are not accepted; send Content-Length",
                              {"Connection": "close"})
        raw = headers.get("content-length")
        if raw is None:
            raise HTTPProblem(411, "a POST needs a Content-Length header", {"Connection": "close"})
        length = int(raw)  # the HTTP parser has checked it is one number
        limit = self.app.config.max_request_bytes
        if length > limit:
            raise HTTPProblem(413, f"the request has {length} bytes, more than the limit of {limit}; "
                                   f"send a shorter query", {"Connection": "close"})
        try:
            return await asyncio.wait_for(request.body(), self.app.config.body_timeout)
        except TimeoutError:
            raise HTTPProblem(408, f"the request body did not arrive within {self.app.config.body_timeout:g} "
                                   f"s; send it with the headers", {"Connection": "close"}) from None

    async def _query(self, request: _Request, params: dict[str, str], query: str | None,
                     dataset: Dataset | None) -> Reply:
        if "update" in params:
            raise QueryRefused("updates are refused: the service is read-only")
        if query is None or not query.strip():
            raise HTTPProblem(400, "no query: pass query=… (GET or a form POST) or POST "
                                   "application/sparql-query; the query page is /")
        limit = self.app.config.max_request_bytes
        if len(query.encode("utf-8")) > limit:
            raise HTTPProblem(413, f"the query is longer than the limit of {limit} bytes; send a shorter "
                                   f"query")
        formats = _wanted_formats(params, request.headers.get("accept", ""))
        return self._answer(await self.app.run(query, formats, dataset=dataset))

    def _answer(self, answer: Answer) -> Reply:
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-KG-Truncated"] = "true"
            headers["X-KG-Row-Limit"] = str(self.app.config.max_rows)
        media = answer.media_type
        if media.startswith("text/") or media in ("application/sparql-results+json", "application/ld+json",
                                                  "application/n-triples"):
            media += "; charset=utf-8"
        return Reply(200, answer.data, media, headers)

    # -- Linked Data pages
    async def entity(self, request: Any) -> Any:
        client = request.client.host if request.client else "unknown"
        return _response(await self._guard(client, lambda: self._entity(request)),
                         head=request.method == "HEAD")

    async def _entity(self, request: Any) -> Reply:
        rest = request.path_params["rest"]
        params = _parse_form(request.scope["query_string"].decode("latin-1"))
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
            ranked = accepted_formats(request.headers.get("accept", ""), html=True)
            wanted = next((f for f in ranked if f in page_formats), "html")
        if wanted != "html":
            answer = await self.app.run(entity_construct(iri), [wanted], max_rows=ENTITY_ROWS * 4)
            if answer.rows == 0:
                return await self._moved_or_404(iri, request)
            return self._answer(answer)
        page_no = web.page_number(params)
        if page_no is None:
            raise HTTPProblem(400, f"page={params.get('page')!r} is not a page number; use page=1, 2, …")
        rows = {name: await self._rows(query) for name, query in web.entity_queries(iri, page_no).items()}
        if not rows["facts"]:
            return await self._moved_or_404(iri, request)
        page = web.entity_page(iri, rows, page_no)  # the record page (kg/web.py)
        headers = {"Vary": "Accept", **page.headers}
        return Reply(page.status, page.body, headers.pop("Content-Type"), headers)

    async def _moved_or_404(self, iri: str, request: Any) -> Reply:
        """A redirect to the canonical IRI (an acronym in another case, a release-0.1 IRI), else 404."""
        query = publish.canonical_iri_query(iri)
        renamed = publish.renamed_iri(iri)
        if query is not None:
            values = [renamed] if renamed else [
                v["value"] for row in await self._rows(query) for v in row.values()]
            asked = request.scope["query_string"].decode("latin-1")
            moved = publish.redirect(iri, values, query_string=asked)
            if moved is not None:
                headers = dict(moved.headers)
                return Reply(moved.status, moved.body, headers.pop("Content-Type", None), headers)
        raise HTTPProblem(404, f"nothing is known about <{iri}>")

    async def _rows(self, query: str) -> list[dict[str, dict[str, str]]]:
        answer = await self.app.run(query, ["json"], max_rows=ENTITY_ROWS)
        return json.loads(answer.data)["results"]["bindings"]


#: a format parameter names a results format, or the graph format of the same family for CONSTRUCT
#: (SPARQLWrapper asks ``format=xml`` for RDF/XML and ``format=json`` for JSON-LD)
_GRAPH_TWIN = {"xml": "rdfxml", "json": "jsonld"}


def _dataset(*forms: str) -> Dataset | None:
    """The protocol's ``default-graph-uri``/``named-graph-uri`` values (each may repeat), or None."""
    pairs = [pair for form in forms for pair in urllib.parse.parse_qsl(form, keep_blank_values=True)]
    default = tuple(v for k, v in pairs if k == "default-graph-uri")
    named = tuple(v for k, v in pairs if k == "named-graph-uri")
    return (default, named) if default or named else None


def service_description(endpoint: str, accept: str) -> Reply:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle (or N-Triples when asked)."""
    import rdflib

    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = rdflib.Graph()
    graph.bind("sd", sd)
    service = rdflib.URIRef(endpoint)
    graph.add((service, rdflib.RDF.type, sd.Service))
    graph.add((service, sd.endpoint, service))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        graph.add((service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/" + fmt)))
    dataset = rdflib.BNode("dataset")
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, rdflib.RDF.type, sd.Dataset))
    graph.add((dataset, rdflib.RDFS.comment, rdflib.Literal(
        "The default graph is the union of every named graph; FROM, FROM NAMED and the protocol's graph "
        "parameters may name the store's own graphs only. Read-only: no SPARQL Update, SERVICE or LOAD.")))
    fmt = next((f for f in accepted_formats(accept) if f in GRAPH_FORMAT_NAMES), "turtle")
    name = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}[fmt]
    media = MEDIA_TYPES[fmt] + ("" if fmt == "rdfxml" else "; charset=utf-8")
    return Reply(200, graph.serialize(format=name, encoding="utf-8"), media, {"Vary": "Accept"})


def _wanted_formats(params: dict[str, str], accept: str) -> list[str]:
    """The formats a request asks for: a ``format``/``output``/``results`` parameter, else Accept."""
    for name in ("format", "output", "results"):
        value = params.get(name)
        if value:
            for wanted in value.split(","):  # SPARQLWrapper sends 'application/ld+json,application/x-json+ld'
                wanted = wanted.strip().lower()
                fmt = _FORMAT_PARAM.get(wanted) or _ACCEPT.get(wanted)
                if fmt is not None:
                    return [fmt, _GRAPH_TWIN[fmt]] if fmt in _GRAPH_TWIN else [fmt]
            raise HTTPProblem(400, f"unknown {name}={value!r}; use one of: "
                                   f"{', '.join(RESULT_FORMAT_NAMES + GRAPH_FORMAT_NAMES)}")
    return accepted_formats(accept)


# ---- helpers (pure functions, tested directly) ---------------------------------------------------


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPProblem(400, f"the request is not valid UTF-8 (byte {e.start}); send UTF-8") from None


def _parse_form(text: str) -> dict[str, str]:
    """``a=1&b=2`` -> dict; a repeated ``query`` or bad percent-encoding is a 400. A repeated other
    parameter keeps its first non-empty value (SPARQLWrapper sends ``format=json-ld&format=``)."""
    try:
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=100)
    except (UnicodeDecodeError, ValueError) as e:
        raise HTTPProblem(400, f"cannot read the request parameters ({e}); percent-encode UTF-8") from None
    out: dict[str, str] = {}
    for k, v in pairs:
        if k in out and k in ("query", "update"):
            raise HTTPProblem(400, f"more than one {k}= parameter; send one query per request")
        if k not in out or not out[k]:
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

"""The ``kg`` command line: parse options, call one library function, print, map errors to exit codes.

Exit codes: 0 success; 1 the command ran and found a problem (SHACL violations, a query error,
rejected inputs); 2 bad usage or an environment error (unknown option or name, store unavailable).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.config import Settings
from kg.errors import KGError


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a KGError into one line on stderr and its exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(e.exit_code)

    return wrapper


def store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--store``: a directory (Oxigraph on disk), ``memory``, or an http(s):// SPARQL endpoint."""
    return click.option(
        "--store", "store", default=None, metavar="PATH|memory|URL",
        help="Store to use: a directory (Oxigraph on disk, default .kg/), 'memory', or a SPARQL endpoint "
             "URL. Env: KG_STORE.",
    )(func)


def sandbox_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--no-sandbox``: let query workers keep the network (only where the kernel refuses namespaces)."""
    return click.option(
        "--no-sandbox", "no_sandbox", is_flag=True, default=False,
        help="Run query workers with network access (default: each worker gets its own empty network "
             "namespace, so no query can fetch a URL; needed only where the kernel refuses that). "
             "Env: KG_SANDBOX=off.",
    )(func)


def settings_from(store: str | None = None, **overrides: Any) -> Settings:
    """Settings with the command-line flags applied over the environment and defaults."""
    return Settings().with_overrides(store=store, **overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """The open knowledge graph of UN peacekeeping.

    \b
    Example:
        kg build && kg query --saved statements-by-person --param person=jean-pierre-lacroix
    """


# ---- commands are registered below, one section per capability ------------------------------


# ---- build, info, validate (issue 2: the reference graph) -------------------------------------
def _progress_printer() -> Callable[[str], None]:
    """Progress lines on stderr, each with the seconds elapsed since the command started."""
    import time

    start = time.monotonic()
    return lambda line: click.echo(f"[{time.monotonic() - start:6.1f}s] {line}", err=True)


def _confirm(question: str, yes: bool, flag: str = "--yes") -> None:
    """Ask before an act that drops data; ``--yes`` answers for scripts, and without a terminal the
    command refuses (exit 2) rather than guess."""
    from kg.errors import UsageError

    if yes:
        return
    try:
        agreed = click.confirm(question, default=False, err=True)
    except click.Abort:  # end of input: nobody to ask
        click.echo("", err=True)
        raise UsageError(f"{question.rstrip('?')}: pass {flag} to confirm") from None
    if not agreed:
        raise UsageError("cancelled; nothing was changed")


@main.command()
@store_option
@click.option("--no-exports", is_flag=True, help="Load and validate only; do not write exports/.")
@click.option("--gzip", "gzip_", is_flag=True,
              help="Also write deterministic .gz copies of the line-based dumps (.nt, .nq).")
@click.option("--include-texts", is_flag=True,
              help="Put the full texts of the source documents in the dumps (left out by default: they "
                   "are third-party texts; quotes, offsets, URL and text hash stay).")
@click.option("--public-url", default=None, metavar="URL",
              help="Where the graph is published (void.ttl names URL/sparql and URL/exports/…). "
                   "Default: KG_PUBLIC_URL, else http://127.0.0.1:8000/.")
@click.option("--fresh", is_flag=True,
              help="Drop every ingested document and build from the bundled data only (asks first).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before --fresh drops documents (for scripts).")
@handle_errors
def build(store: str | None, no_exports: bool, gzip_: bool, include_texts: bool, public_url: str | None,
          fresh: bool, yes: bool) -> None:
    """Build the graph: ontology, reference facts, the bundled statements and every ingested document
    re-extracted from its stored text with the current extractor; validate; export.

    The build goes into a new generation of the store beside the live one, which keeps answering
    until the new one validates; a killed build leaves it as it was. Exit 1 when the graph does not
    conform to the shapes (the violations are listed) or a reference file is bad; exit 2 when the
    store cannot be opened or another command is writing to it.

    \b
    Examples:
        kg build
        kg build --store /tmp/kgstore --no-exports
        kg build --gzip
        kg build --fresh --yes
    """
    from kg.pipeline import build_store

    settings = settings_from(store, public_url=public_url)
    if fresh:
        _confirm_fresh(settings.store, yes)
    summary = build_store(settings.store, settings, progress=_progress_printer(),
                          write_exports=not no_exports, gzip=gzip_, fresh=fresh, include_texts=include_texts)
    click.echo(summary.text())


def _confirm_fresh(location: str, yes: bool) -> None:
    from kg.pipeline import plural, registered_documents
    from kg.store import live_path, open_store

    if location == "memory" or (not location.startswith("http") and live_path(location) is None):
        return
    with open_store(location, read_only=True) as s:
        ingested = sum(r.origin != "bundled" for r in registered_documents(s).values())
    if ingested:
        _confirm(f"kg build --fresh drops {plural(ingested, 'ingested document')} from {location}; go on?",
                 yes)


@main.command()
@store_option
@handle_errors
def info(store: str | None) -> None:
    """Show the version, the store in use (its live generation), its documents and how many entities
    of each class it holds.

    Exit 1 when the store is incomplete (a write that never finished, or no ontology or reference
    graph), 2 when there is no store.

    \b
    Example:
        kg info --store /tmp/kgstore
    """
    from kg.pipeline import store_info
    from kg.store import open_store

    settings = settings_from(store)
    with open_store(settings.store, read_only=True) as s:
        found = store_info(s)
    click.echo(found.text())
    if found.problems:
        click.echo(f"Error: the store at {settings.store} is incomplete: {found.problems[0]}", err=True)
        sys.exit(1)


@main.command()
@store_option
@handle_errors
def validate(store: str | None) -> None:
    """Check the store's graph against the SHACL shapes (ontology/shapes.ttl).

    Exit 0 when it conforms, 1 when there are violations (one per line) or the store is incomplete,
    2 on an error.

    \b
    Example:
        kg validate --store /tmp/kgstore
    """
    from kg.pipeline import store_problems
    from kg.store import open_store
    from kg.validate import validate_store

    settings = settings_from(store)
    with open_store(settings.store, read_only=True) as s:
        result = validate_store(s, settings.ontology_dir)
        problems = store_problems(s)
    if not result.conforms:
        for line in result.lines():
            click.echo(line)
        click.echo(f"Error: {result.summary()}", err=True)
        sys.exit(1)
    if problems:  # what is there conforms, but it is not the whole graph
        click.echo(f"Error: the store at {settings.store} is incomplete: {problems[0]}", err=True)
        sys.exit(1)
    click.echo(f"OK: {result.summary()}")


# ---- export (issue 6: dumps integrators can trust) ---------------------------------------------
def _export_formats() -> str:
    from kg.export import WRITERS

    return ", ".join(WRITERS)


def _export_all(settings: Settings, gzip: bool = False, include_texts: bool = False) -> None:
    from kg.pipeline import write_all_exports
    from kg.store import open_store

    with open_store(settings.store, read_only=True) as s:
        paths = write_all_exports(s, settings, progress=_progress_printer(), gzip=gzip,
                                  include_texts=include_texts)
    click.echo(f"wrote {len(paths)} exports in {settings.exports_dir}")


@main.command("export")
@click.option("--format", "-f", "fmt", default=None, metavar="FORMAT",
              help=f"One of: {_export_formats()}. Default: guessed from the file name.")
@click.option("--output", "-o", "output", default=None, metavar="FILE",
              help="File to write; replaced atomically, never left half-written.")
@click.option("--all", "all_", is_flag=True,
              help="Rewrite every file of exports/ (what kg build writes) from the store, e.g. after "
                   "kg ingest.")
@click.option("--graph", default=None, metavar="NAME",
              help="Only one named graph: ontology, reference, a document key or a full graph IRI.")
@click.option("--gzip", "gzip_", is_flag=True,
              help="Compress with gzip (deterministic); implied by a FILE ending in .gz.")
@click.option("--include-texts", is_flag=True,
              help="Put the full texts of the source documents in the dump (left out by default).")
@click.option("--public-url", default=None, metavar="URL",
              help="Where the graph is published, for void (default: KG_PUBLIC_URL, else the local server).")
@store_option
@handle_errors
def export_command(fmt: str | None, output: str | None, all_: bool, graph: str | None, gzip_: bool,
                   include_texts: bool, public_url: str | None, store: str | None) -> None:
    """Write the graph, or one named graph, in one format; or bring every export up to date (--all).

    Exit 2 on bad usage (no -o and no --all, an unknown format or graph).

    \b
    Example:
        kg export --format turtle -o peacekeeping.ttl
        kg export --format nquads --graph reference -o reference.nq.gz
        kg export --all
    """
    from kg.errors import UsageError
    from kg.export import guess_format, write
    from kg.store import open_store

    settings = settings_from(store, public_url=public_url)
    if all_:
        if output or fmt or graph:
            raise UsageError("--all rewrites every file of exports/; drop -o, --format and --graph")
        _export_all(settings, gzip=gzip_, include_texts=include_texts)
        return
    if output is None:
        raise UsageError("kg export needs -o FILE (one format) or --all (every export)")
    fmt = fmt or guess_format(output)
    with open_store(settings.store, read_only=True) as s:
        path = write(s, fmt, output, graph=graph, gzip=gzip_ or output.endswith(".gz"),
                     include_texts=include_texts, public_url=settings.public_base)
    click.echo(f"wrote {path}")


# ---- query, queries, serve, push (issue 4: SPARQL for researchers) -------------------------------
_QUERY_FORMATS = ("table", "plain-tsv", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml")


@main.command("query")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", default=None, metavar="FILE", help="Read the query from a .rq file.")
@click.option("--saved", default=None, metavar="NAME", help="Run a saved query (`kg queries` lists them).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the saved query or file, bound as an RDF term (repeatable); a "
                   "mission, country, person … by its key or by one of its names (country=Mali).")
@click.option("--format", "fmt", type=click.Choice(_QUERY_FORMATS), default="table", show_default=True,
              help="table (terminal), plain-tsv (for spreadsheets), json/xml/csv/tsv (SPARQL's own) for "
                   "SELECT and ASK, turtle/ntriples/jsonld/rdfxml for CONSTRUCT and DESCRIBE.")
@click.option("--width", type=click.IntRange(min=0), default=80, show_default=True, metavar="N",
              help="Cut table cells at N characters (0: never).")
@click.option("-o", "--output", default=None, metavar="FILE",
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Stop the query after this long (default 30, env KG_QUERY_TIMEOUT; 0: no limit).")
@click.option("--max-rows", type=int, default=None, metavar="N", help="Stop after N rows.")
@sandbox_option
@store_option
@handle_errors
def query_command(sparql: str | None, file: str | None, saved: str | None, params: tuple[str, ...], fmt: str,
                  width: int, output: str | None, timeout: float | None, max_rows: int | None,
                  no_sandbox: bool,
                  store: str | None) -> None:
    """Run a SPARQL query (the common prefixes are predeclared).

    \b
    Examples:
        kg query 'SELECT ?m ?start WHERE { ?m a pk:PeacekeepingMission ; schema:startDate ?start } LIMIT 5'
        kg query -f question.rq --format csv -o answer.csv
        kg query --saved statements-about-mission --param mission=UNAMSIL
        kg query --saved mission-profile --width 0 --format plain-tsv -o unamsil.tsv
    """
    from pathlib import Path

    from kg.query import parse_param_options
    from kg.query import query_command as run

    settings = settings_from(store, query_timeout=timeout, sandbox=False if no_sandbox else None)
    out = run(settings.store, text=sparql, file=Path(file) if file else None, saved=saved,
              params=parse_param_options(params), fmt=fmt, timeout=settings.query_timeout,
              max_rows=max_rows, output=Path(output) if output else None, width=width,
              sandbox=settings.sandbox)
    if output is None:
        click.echo(out.data, nl=False)
    if output is not None or out.answer.truncated:
        click.echo(out.summary, err=True)


@main.command("queries")
@click.argument("name", required=False)
@handle_errors
def queries_command(name: str | None) -> None:
    """List the saved research questions, or show one (description, parameters, SPARQL).

    \b
    Examples:
        kg queries
        kg queries statements-about-mission
    """
    from kg.query import describe_saved

    click.echo(describe_saved(name), nl=False)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 lets other machines in.")
@click.option("--port", type=int, default=8000, show_default=True, help="TCP port (0: any free port).")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Per-query wall-clock limit; the worker running it is killed (default 30).")
@click.option("--max-rows", type=int, default=10_000, show_default=True, help="Rows per answer, at most.")
@click.option("--max-request-bytes", type=int, default=1024 * 1024, show_default=True,
              help="Largest request accepted (413 above).")
@click.option("--workers", type=click.IntRange(1), default=4, show_default=True,
              help="Queries that run at the same time in their first --slow-after seconds.")
@click.option("--slow-workers", type=click.IntRange(0), default=4, show_default=True,
              help="Queries that may run past --slow-after at once, in worker processes of their own "
                   "(at --slow-nice); past that a long query keeps its --workers slot, and is "
                   "stopped (503) when every slot is taken and it has computed --slow-after of CPU time.")
@click.option("--slow-after", type=click.FloatRange(0.05), default=0.5, show_default=True, metavar="SECONDS",
              help="When a running query counts as long.")
@click.option("--slow-nice", type=click.IntRange(0, 19), default=0, show_default=True, metavar="N",
              help="CPU priority (nice) of long queries: 0 gives them the CPU when nothing else waits; "
                   "19 starves them whenever anything else runs on the machine.")
@click.option("--queue-wait", type=click.FloatRange(0), default=30.0, show_default=True, metavar="SECONDS",
              help="How long a request waits for a free worker before a 503 with Retry-After.")
@click.option("--max-waiting", type=click.IntRange(0), default=128, show_default=True,
              help="Requests that may wait for a worker at once; more get a 503 at once.")
@click.option("--client-limit", type=click.IntRange(0), default=None, metavar="N",
              help="Requests one client address may have in progress at once (running or waiting); more "
                   "get a 503 with Retry-After. Default: half of --workers + --slow-workers + "
                   "--max-waiting (68), so one client never takes every place; 0: no bound.")
@click.option("--worker-memory", type=click.IntRange(0), default=1024, show_default=True, metavar="MB",
              help="Memory a query may add to its worker, beyond the graph the worker holds (RLIMIT_DATA; "
                   "0: no cap): a query that needs more is stopped (503).")
@click.option("--worker-store", type=click.Choice(["auto", "memory", "disk"]), default="auto",
              show_default=True,
              help="Where each worker reads the graph: memory (a copy loaded at start; heavy queries run "
                   "several times faster), disk (the store, read-only), or auto: memory when every "
                   "worker's copy fits in half the memory available.")
@click.option("--shared-threads", type=click.IntRange(0), default=None, metavar="N",
              help="Queries known to be cheap (answered within --slow-after before, same text, same graph) "
                   "run N at a time on threads of one shared worker, one copy of the graph for all: less "
                   "CPU per query than a worker each. Default: --workers; 0: every query on a worker of "
                   "its own.")
@click.option("--header-timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              metavar="SECONDS", help="Deadline for a request's line and headers (408 past it).")
@click.option("--body-timeout", type=click.FloatRange(0.1), default=30.0, show_default=True,
              metavar="SECONDS", help="Deadline for a request's body once its headers are in (408 past it).")
@click.option("--unknown-graphs", type=click.Choice(["refuse", "empty"]), default="refuse", show_default=True,
              help="A FROM, FROM NAMED or default-graph-uri/named-graph-uri naming a graph the store does "
                   "not hold: refuse it (403) or read it as an empty graph (SPARQL's dataset semantics). "
                   "Never fetched either way.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A Host header the server answers besides the loopback names and --host (repeatable; "
                   "needed behind a proxy or with --host 0.0.0.0); others get a 400.")
@sandbox_option
@store_option
@handle_errors
def serve_command(host: str, port: int, timeout: float | None, max_rows: int, max_request_bytes: int,
                  workers: int, slow_workers: int, slow_after: float, slow_nice: int, queue_wait: float,
                  max_waiting: int, client_limit: int | None, worker_memory: int, worker_store: str,
                  shared_threads: int | None, header_timeout: float,
                  body_timeout: float, unknown_graphs: str, allow_hosts: tuple[str, ...], no_sandbox: bool,
                  store: str | None) -> None:
    """Serve a read-only SPARQL endpoint, a query page and a page per resource.

    \b
    Example:
        kg serve --port 8000
        curl -G http://127.0.0.1:8000/sparql --data-urlencode 'query=ASK { ?s ?p ?o }'
    """
    from kg.query import PoolLimits
    from kg.server import serve

    settings = settings_from(store, query_timeout=timeout, sandbox=False if no_sandbox else None)
    limits = PoolLimits(workers=workers, slow_workers=slow_workers, slow_after=slow_after,
                        slow_nice=slow_nice, queue_wait=queue_wait, max_waiting=max_waiting,
                        memory_mb=worker_memory or None, unknown_graphs=unknown_graphs,
                        per_client=client_limit, worker_store=worker_store, shared_threads=shared_threads)
    serve(settings, host=host, port=port, max_rows=max_rows, max_request_bytes=max_request_bytes,
          limits=limits, allowed_hosts=allow_hosts, header_timeout=header_timeout,
          body_timeout=body_timeout, say=lambda line: click.echo(line, err=True))


@main.command("push")
@click.option("--from", "source", default=None, metavar="PATH",
              help="Local store to read (default: the project's .kg/).")
@store_option
@handle_errors
def push_command(source: str | None, store: str | None) -> None:
    """Copy every named graph of the local store to a remote SPARQL store (Graph Store Protocol PUT).

    \b
    Example:
        kg push --store http://127.0.0.1:7878
    """
    from kg.config import PROJECT_ROOT
    from kg.errors import UsageError
    from kg.pipeline import push
    from kg.store import open_store

    target = settings_from(store).store
    if not target.startswith(("http://", "https://")):
        raise UsageError(f"kg push needs --store URL, a SPARQL endpoint with the Graph Store Protocol "
                         f"(e.g. http://127.0.0.1:7878); got {target!r}")
    local = source or str(PROJECT_ROOT / ".kg")
    with open_store(local, read_only=True) as src, open_store(target) as dst:
        summary = push(src, dst, progress=lambda line: click.echo(line, err=True))
    click.echo(summary.text())


# ---- viz (issue 5: interactive HTML views) ---------------------------------------------------------
@main.command("viz")
@store_option
@click.option("--focus", default=None, metavar="NAME",
              help="Only the neighbourhood of one entity: acronym (UNAMSIL), name, alias or IRI.")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=0),
              help="How many hops around --focus.")
@click.option("--types", default=None, metavar="A,B",
              help="Keep only these node types: mission, country, person, statement, body, organization, "
                   "framework, resolution, document, other.")
@click.option("--from", "date_from", default=None, metavar="DATE",
              help="Keep what overlaps from this date on (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, metavar="DATE", help="Keep what overlaps up to this date.")
@click.option("--output", "-o", "output", default=None, metavar="FILE",
              help="Write one view of the whole graph (or of --focus) to FILE instead of the standard views.")
@handle_errors
def viz_command(store: str | None, focus: str | None, depth: int, types: str | None, date_from: str | None,
                date_to: str | None, output: str | None) -> None:
    """Write interactive HTML views that open offline in a browser.

    Without --focus or -o: the overview, the statements view, the timeline, the map and an index page in
    exports/html/.
    Exit 1 on a --focus name that names nothing (the nearest names are suggested), 2 on an unknown
    type or a bad date.

    \b
    Examples:
        kg viz
        kg viz --focus UNAMSIL --depth 2 -o unamsil.html
        kg viz --types mission,country --from 2000 --to 2010
    """
    from kg.export.html import write_views
    from kg.store import open_store

    settings = settings_from(store)
    with open_store(settings.store, read_only=True) as s:
        paths = write_views(s, settings.exports_dir / "html", focus=focus, depth=depth, date_from=date_from,
                            date_to=date_to, types=types.split(",") if types else None, output=output)
    for path in paths:
        click.echo(f"wrote {path}")


# ---- ingest, withdraw, extract, eval (issue 3: statements from real texts) ----------------------------
def _report_problems(rejected: list, warnings: list) -> None:
    for w in warnings:
        click.echo(f"Warning: {w}", err=True)
    for r in rejected:
        click.echo(f"Rejected: {r}", err=True)


class _DocumentBar:
    """A progress bar on stderr for per-document work: documents done, documents/s and time left.

    Drawn by click's progress bar (only on a terminal); call it as ``advance(done, total)`` and
    :meth:`close` it at the end.
    """

    def __init__(self, label: str) -> None:
        import time

        self.label = label
        self.bar: Any = None
        self.done = 0
        self.start = time.monotonic()

    def _rate(self, _item: object) -> str:
        import time

        elapsed = time.monotonic() - self.start
        return f"{self.done / elapsed:,.1f} documents/s" if elapsed > 0 and self.done else ""

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if not sys.stderr.isatty():
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_eta=True,
                                         show_pos=True, item_show_func=self._rate)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True,
              help="Rebuild the graph of documents already in the store, and remove older versions of the "
                   "same document (same URL, or same file name).")
@click.option("--export", "export_", is_flag=True,
              help="Then bring every export up to date (as kg export --all).")
@store_option
@handle_errors
def ingest_command(paths: tuple[Path, ...], replace: bool, export_: bool, store: str | None) -> None:
    """Add documents to the store, each in its own named graph, and register them.

    A PATH is a .txt file, a folder (its index.tsv, columns file, url, title, publication_date,
    source_site and optional date_note, gives each file its metadata) or a JSON Lines file of
    {"text", "url", "title", "publication_date", "source"} objects. Ingesting the same text again
    changes nothing. The store keeps each text, its source, hash and metadata, and the extractor
    version that read it, so that `kg build` re-extracts it. The ingest goes into a new generation
    of the store that replaces the live one only when every new graph has been checked against the
    shapes. Bad inputs are reported one per line on stderr; the good ones are still ingested. A
    text that is not UTF-8 but reads as cp1252, or an index.tsv column that is not read, is a
    warning (exit 0). Exit 1 when any input was rejected, 2 when the store or the reference data
    is unavailable or another command is writing to the store.

    \b
    Examples:
        kg ingest data/statements
        kg ingest ../shared/corpus/dev --store /tmp/kgstore
        kg ingest news.jsonl --replace --export
    """
    from kg.pipeline import ingest_store

    settings = settings_from(store)
    bar = _DocumentBar("ingesting")
    try:
        report = ingest_store(settings.store, list(paths), settings, replace=replace, advance=bar)
    finally:
        bar.close()
    _report_problems(report.rejected, report.warnings)
    click.echo(report.text())
    if report.rejected:
        click.echo(f"Error: {plural_rejected(report.rejected)}; the others were ingested", err=True)
    if export_:
        _export_all(settings)
    if report.rejected:
        sys.exit(1)


def plural_rejected(rejected: list) -> str:
    """'3 inputs rejected (2 empty document, 1 not valid JSON)': the rejections, summarised by cause."""
    from collections import Counter

    from kg.pipeline import plural

    causes = Counter(str(r.message).split(";", 1)[0].split(" (", 1)[0] for r in rejected)
    detail = ", ".join(f"{n} {cause}" for cause, n in causes.most_common())
    return f"{plural(len(rejected), 'input')} rejected ({detail})"


@main.command("withdraw")
@click.argument("doc")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before removing it (for scripts).")
@store_option
@handle_errors
def withdraw_command(doc: str, yes: bool, store: str | None) -> None:
    """Remove one document (and every statement drawn from it) from the store; nothing else changes.

    DOC is what `kg documents` shows: the key (16 hex digits), file name, URL, source path or title
    (or the document's IRI). Asks first (--yes for scripts). Exit 1 when no document matches (the
    nearest names are suggested) or several do, 2 when the store cannot be opened.

    \b
    Examples:
        kg withdraw 3f2a9c0d11e4b7a5
        kg withdraw 002-lacroix-m23-drc-visit.txt --yes
    """
    from kg.pipeline import find_documents, no_document, plural, registered_documents, withdraw_store
    from kg.store import open_store

    settings = settings_from(store)
    with open_store(settings.store, read_only=True) as s:
        records = registered_documents(s)
    matches = find_documents(records, doc)
    if not matches:
        raise no_document(records, doc)
    if len(matches) == 1:
        r = matches[0]
        _confirm(f"withdraw {r.key} {r.title or r.file} ({plural(r.statements, 'statement')})?", yes)
    graph, documents, statements = withdraw_store(settings.store, doc)
    click.echo(f"withdrew {graph}; the store holds {plural(documents, 'document')} and "
               f"{plural(statements, 'statement')}")


@main.command("documents")
@click.option("--site", default=None, metavar="TEXT", help="Only documents whose source site contains TEXT.")
@click.option("--since", default=None, metavar="DATE", help="Published on or after DATE (YYYY, YYYY-MM, …).")
@click.option("--until", default=None, metavar="DATE", help="Published on or before DATE.")
@click.option("--search", "text", default=None, metavar="TEXT",
              help="Only documents whose title, file name or URL contains TEXT.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table (terminal) or json (a list of objects, every field).")
@store_option
@handle_errors
def documents_command(site: str | None, since: str | None, until: str | None, text: str | None, fmt: str,
                      store: str | None) -> None:
    """List the documents the store holds: key, date, site, statements, when ingested, title.

    The key, file name, URL or title shown is what `kg withdraw` takes. Newest publication first.

    \b
    Examples:
        kg documents
        kg documents --site un.org --since 2023 --format json
    """
    import json

    from kg.errors import UsageError
    from kg.extract.dates import valid_date
    from kg.pipeline import list_documents, plural
    from kg.store import open_store

    for name, value in (("--since", since), ("--until", until)):
        if value and not valid_date(value):
            raise UsageError(f"bad {name} {value!r}; use YYYY-MM-DD, YYYY-MM or YYYY")
    settings = settings_from(store)
    with open_store(settings.store, read_only=True) as s:
        rows = list_documents(s, site=site, since=since, until=until, text=text)
    if fmt == "json":
        click.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return
    header = ("key", "date", "site", "statements", "ingested", "title")
    table = [header] + [(r.key, r.date or "-", r.site or "-", str(r.statements), r.ingested[:10] or "-",
                         r.title or r.file) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    for row in table:
        cells = [cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)]
        click.echo("  ".join([*cells, row[-1]]))
    click.echo(plural(len(rows), "document"), err=True)


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object per document, in the schema of corpus/dev/gold.jsonl.")
@handle_errors
def extract_command(paths: tuple[Path, ...], fmt: str) -> None:
    """Print the statements, persons, bodies, countries and missions of each document (store untouched).

    PATHs are read as for `kg ingest`. Bad inputs are reported on stderr and the rest is printed;
    exit 1 when any input was rejected, 2 when the reference data is missing.

    \b
    Examples:
        kg extract data/statements --format jsonl
        kg extract ../shared/corpus/dev/003-mali-receives-un-chief-peace-operations.txt
    """
    from kg.extract import extract_paths, jsonl_line

    batch = extract_paths(list(paths), settings_from())
    for result in batch.results:
        click.echo(jsonl_line(result))
    _report_problems(batch.rejected, batch.warnings)
    if batch.rejected:
        sys.exit(1)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(path_type=Path), default=None,
              help="Folder with the texts (and index.tsv); default: the folder of GOLD.")
@click.option("--details", is_flag=True, help="Also list every miss and every false hit, field by field.")
@click.option("--files-from", "files_from", type=click.Path(path_type=Path), default=None,
              help="Score only the files named in this list (one file name a line), e.g. one half of a "
                   "corpus kept back for an honest score.")
@handle_errors
def eval_command(gold: Path, corpus: Path | None, details: bool, files_from: Path | None) -> None:
    """Score extraction against gold annotations: precision, recall and F1 per field.

    Statements match on speaker and verb lemma within a document; quotes, dates and mentions are
    compared on matched statements (field definitions: `python -c "import kg.extract.evaluate as e;
    print(e.__doc__)"`). Exit 1 on a bad gold file, 2 when the reference data is missing.

    \b
    Example:
        kg eval ../shared/corpus/dev/gold.jsonl --corpus ../shared/corpus/dev --details
        kg eval ../shared/corpus/dev2/gold.jsonl --files-from tests/dev2/heldback.txt
    """
    from kg.extract import evaluate, read_file_list

    only = read_file_list(files_from) if files_from else None
    report = evaluate(gold, corpus or gold.parent, settings_from(), only=only)
    click.echo(report.table())
    if report.missing:
        click.echo(f"documents in the gold file but not in the corpus: {', '.join(report.missing)}", err=True)
    if details:
        click.echo("\n".join(report.details))

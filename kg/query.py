"""SPARQL for researchers: checked queries, saved questions with typed parameters, results in every format.

Every query goes through :func:`prepare` before anything runs: the common prefixes are predeclared,
rdflib's SPARQL parser gives the syntax tree and the algebra, and the safety checks work on those
(never on the query string): updates (``INSERT``, ``LOAD``, ``CLEAR``, ``DROP`` …), ``SERVICE`` and
dataset clauses (``FROM``/``FROM NAMED``) are refused, because the stores would follow them and fetch
URLs. Queries then run in a worker process that is killed at the deadline (:class:`QueryWorker`), since
neither pyoxigraph nor rdflib can be interrupted inside a process.

Saved queries are package data, ``kg/queries/*.rq``, each opening with a header comment::

    # title: Everything an official said
    # description: Every statement attributed to one person, in date order,
    #   with quotes and sources (indented lines continue a field).
    # param: person iri:person = jean-pierre-lacroix — the person's key or name

An ``# engines:`` field (optional) says where the query works around a SPARQL engine that answers
otherwise (Virtuoso, see tests/test_portable_queries.py): every saved query gives the same rows on
the embedded store, ``oxigraph serve`` and Virtuoso.

A parameter is a variable of the query (``?person``); its value is turned into one RDF term of the
declared type (an IRI of our resources, a date, a year, an integer or a string, serialized with
N-Triples escaping) and bound with a ``VALUES`` block at the start of the top-level ``WHERE`` group.

Module top stays light (no rdflib, no pyoxigraph) so that ``kg --help`` stays fast.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from kg import errors
from kg.errors import KGError, QueryError, QueryRefused, QueryTimeout, StoreError, UsageError
from kg.files import atomic_output
from kg.namespaces import BASE, PREFIXES, key, prefixed_name, resource, slug, sparql_prologue

if TYPE_CHECKING:
    from kg.store import Dataset, QueryResult, Store

#: formats for SELECT/ASK answers (W3C SPARQL results formats) and for CONSTRUCT/DESCRIBE answers
RESULT_FORMAT_NAMES = ("json", "xml", "csv", "tsv")
GRAPH_FORMAT_NAMES = ("turtle", "ntriples", "jsonld", "rdfxml")
#: what ``kg query --format`` accepts: ``table`` is the aligned terminal view (Turtle for graphs),
#: ``plain-tsv`` a TSV that spreadsheets read (plain names and values, beside SPARQL's own ``tsv``)
OUTPUT_FORMATS = ("table", "plain-tsv", *RESULT_FORMAT_NAMES, *GRAPH_FORMAT_NAMES)
#: the terminal table cuts cells at this many characters unless told otherwise (0: never)
TABLE_WIDTH = 80

#: media types of every format, shared with the server's content negotiation
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

#: prefixes a Turtle answer may declare, those it uses
_TURTLE_PREFIXES = dict(PREFIXES)

#: update operations as rdflib's parser names them -> the SPARQL keyword a user wrote
_UPDATE_KEYWORDS = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
    "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


# ---- preparing: parse, check, classify -------------------------------------------------------------


@dataclass(frozen=True)
class PreparedQuery:
    """A query that parsed and passed the safety checks, ready to run on any store."""

    #: the query as written (parameters bound, line ends normalized), without the prologue
    text: str
    #: "select", "ask" or "graph" (CONSTRUCT and DESCRIBE)
    kind: str
    #: SELECT, ASK, CONSTRUCT or DESCRIBE
    form: str
    #: the IRI relative IRIs of the query resolve against
    base: str = BASE
    #: the query's FROM and FROM NAMED graphs, or None when it names none (the union of every graph)
    dataset: Dataset | None = None

    @property
    def full(self) -> str:
        """The one string that was checked and that a store runs: the prologue, then the query."""
        return prologue(self.base) + self.text


@lru_cache(maxsize=8)
def prologue(base: str = BASE) -> str:
    """``BASE`` and the predeclared prefixes on one line (:func:`kg.namespaces.sparql_prologue`), so
    that the query after it keeps its line numbers, shifted by exactly one; a ``BASE`` or ``PREFIX``
    of the query's own overrides them."""
    return f"BASE <{base}> " + sparql_prologue()


#: every line terminator SPARQL knows (CR and LF); CR alone and CR LF become LF before the check
_LINE_ENDS = re.compile(r"\r\n?")


def normalize_line_ends(text: str) -> str:
    """``\\r\\n`` and a lone ``\\r`` -> ``\\n``: the checking parser (rdflib) ends a ``#`` comment at
    LF only, the engine (Oxigraph) at CR too, so a CR could hide text from the check; after this
    both see the same lines. (A raw CR inside a long string literal becomes LF too, as in XML.)"""
    return _LINE_ENDS.sub("\n", text) if "\r" in text else text


def prepare(text: str, *, base: str = BASE) -> PreparedQuery:
    """Parse a query and refuse what the service must not run; raise QueryError naming line and column.

    The string checked is :attr:`PreparedQuery.full` (prologue with ``base``, then the query with its
    line ends normalized), and it is exactly the string a store runs. Checks run on rdflib's parse
    tree and algebra: an update of any kind, a ``SERVICE`` pattern, and a ``FROM``/``FROM NAMED``
    dataset clause are refused (:class:`QueryRefused`). Answers are cached by text: a query asked
    again is not parsed again.
    """
    return _prepare(normalize_line_ends(text), base)


#: one parse at a time: the server's threads share rdflib's parser (pyparsing keeps global state)
_PARSE_LOCK = threading.Lock()


@lru_cache(maxsize=1024)
def _prepare(text: str, base: str) -> PreparedQuery:
    with _PARSE_LOCK:
        return _check(text, base)


def _check(text: str, base: str) -> PreparedQuery:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import algebra, parser

    full = prologue(base) + text
    try:
        tree = parser.parseQuery(full)
    except ParseBaseException as e:
        _refuse_if_update(full)
        raise QueryError(_syntax_message(text, e, shift=1)) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to parse; simplify it") from None
    except ValueError as e:  # rdflib: a \\u escape that names no code point
        raise QueryError(f"invalid query: {e}; check the \\u escapes") from None
    body = tree[1]
    try:
        translated = algebra.translateQuery(tree, base=base)
    except RecursionError:
        raise QueryError("the query is nested too deeply to parse; simplify it") from None
    except Exception as e:  # rdflib raises bare Exception for an unknown prefix and for semantic errors
        raise QueryError(_semantic_message(str(e))) from None
    if _contains(translated.algebra, "ServiceGraphPattern"):
        raise QueryRefused(
            "SERVICE is refused: the service never queries other endpoints; run the federated part "
            "against that endpoint yourself")
    form = translated.algebra.name.replace("Query", "").upper()
    kind = {"SELECT": "select", "ASK": "ask"}.get(form, "graph")
    dataset = None
    if "datasetClause" in body and body["datasetClause"]:
        clauses = body["datasetClause"]
        absolute = translated.prologue.absolutize
        default = tuple(str(absolute(c["default"])) for c in clauses if "default" in c)
        named = tuple(str(absolute(c["named"])) for c in clauses if "named" in c)
        dataset = (default, named)
    return PreparedQuery(text=text, kind=kind, form=form, base=base, dataset=dataset)


def _refuse_if_update(text: str) -> None:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    try:
        update = parser.parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return
    ops = [_UPDATE_KEYWORDS.get(op.name, op.name) for op in update.request]
    if ops:
        raise QueryRefused(
            f"{ops[0]} is an update and is refused: the query service is read-only (no INSERT, DELETE, LOAD, "
            f"CLEAR, DROP, CREATE, ADD, MOVE or COPY)")


def _syntax_message(text: str, e: Any, *, shift: int = 0) -> str:
    line, col = int(e.lineno) - shift, int(e.col)
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    found = re.match(r"\S{1,20}", source[col - 1:]) if col >= 1 else None
    near = f"near {found.group(0)!r}" if found else "at the end of the line"
    return f"SPARQL syntax error at line {line}, column {col} {near}: check the query there"


def _semantic_message(message: str) -> str:
    m = re.match(r"Unknown namespace prefix\s*:\s*(\S*)", message)
    if m:
        name = m.group(1)
        return (f"unknown prefix '{name}:'; declare it with PREFIX {name}: <…> or use a predeclared "
                f"one: {', '.join(PREFIXES)}")
    return f"invalid query: {message.splitlines()[0] if message else 'rejected by the parser'}"


def _contains(node: Any, name: str) -> bool:
    """Whether an rdflib algebra tree holds a node of the given name, anywhere."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            if n.name == name:
                return True
            stack.extend(n.values())
        elif isinstance(n, (list, tuple, set)):
            stack.extend(n)
        elif isinstance(n, dict):
            stack.extend(n.values())
    return False


# ---- saved queries and parameters ------------------------------------------------------------------

#: parameter types: how a value typed on the command line becomes one RDF term
PARAM_TYPES = ("iri", "date", "year", "integer", "string")
#: kinds of our resources a parameter may name (``iri:mission``) and how a key is normalized
_IRI_KINDS = {
    "mission": lambda v: key(v.upper()),
    "country": lambda v: key(v.upper()),
    "person": slug,
    "body": slug,
    "framework": slug,
    "statement": key,
    "document": key,
    "resolution": key,
    "cameo": key,
    "post": key,
    "tenure": key,
    "contribution": key,
    "org": slug,
}


@dataclass(frozen=True)
class Param:
    """One named parameter of a saved query: a variable of the query and the type of its values."""

    name: str
    type: str  # "iri:mission", "iri", "date", "year", "integer", "string"
    default: str | None
    description: str


@dataclass(frozen=True)
class SavedQuery:
    """A research question from the library: its title, description, parameters and SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def bind(self, values: dict[str, str] | None = None, *, unbound_ok: bool = False) -> str:
        """The query text with every parameter bound (given values, else the defaults).

        With ``unbound_ok`` a parameter with no value and no default is left open (``VALUES ?x { UNDEF }``),
        which asks the question for every value at once: how the query page shows its examples.
        """
        return bind_params(self.text, self.params, values or {}, source=self.name, unbound_ok=unbound_ok)


_HEADER_FIELD = re.compile(r"^#\s*(title|description|param|params|engines):\s*(.*)$")
_PARAM_DECL = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>[a-z]+(?::[a-z]+)?)"
                         r"(?:\s*=\s*(?P<default>.*?))?\s+(?:—|--)\s+(?P<desc>.+)$")


def parse_header(text: str, source: str) -> tuple[str, str, tuple[Param, ...]]:
    """Read a query file's header comment: ``# title:``, ``# description:``, ``# param:`` lines
    (``# engines:``, the note on engine workarounds, is for readers of the file and is skipped)."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        m = _HEADER_FIELD.match(line)
        if m:
            current = m.group(1)
            value = m.group(2).strip()
            if current == "param":
                params.append(_parse_param(value, source, number))
            elif current != "params":
                fields[current] = value
        elif current in ("title", "description", "param") and re.match(r"^#\s{2,}\S", line):
            more = " " + line[1:].strip()  # an indented line continues the field above
            if current == "param":
                params[-1] = replace(params[-1], description=params[-1].description + more)
            else:
                fields[current] += more
    for name in ("title", "description"):
        if not fields.get(name):
            raise errors.InputError(f"no '# {name}:' line in the header comment; add one", path=source)
    return fields["title"], fields["description"], tuple(params)


def _parse_param(value: str, source: str, line: int) -> Param:
    m = _PARAM_DECL.match(value)
    if not m:
        raise errors.InputError(
            "bad '# param:' line; write '# param: NAME TYPE [= DEFAULT] — DESCRIPTION'",
            path=source, line=line)
    ptype = m.group("type")
    base, _, kind = ptype.partition(":")
    if base not in PARAM_TYPES or (kind and (base != "iri" or kind not in _IRI_KINDS)):
        raise errors.InputError(
            f"unknown parameter type {ptype!r}; use one of: {', '.join(PARAM_TYPES)}, "
            f"or iri:KIND with KIND one of {', '.join(_IRI_KINDS)}", path=source, line=line)
    default = m.group("default")
    return Param(m.group("name"), ptype, default.strip() if default is not None else None,
                 m.group("desc").strip())


def _queries_dir() -> Path:
    return Path(str(importlib_resources.files("kg") / "queries"))


@lru_cache(maxsize=1)
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped in ``kg/queries/``, by name (the file name without ``.rq``), sorted."""
    found: dict[str, SavedQuery] = {}
    for path in sorted(_queries_dir().glob("*.rq")):
        found[path.stem] = load_query_file(path, name=path.stem)
    return found


def load_query_file(path: Path, *, name: str | None = None) -> SavedQuery:
    """A query file, with its header when it has one (a file without a header has no parameters)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read the query file {path}: {e}; pass a readable UTF-8 .rq file") from e
    if text.lstrip().startswith("#") and re.search(r"^#\s*title:", text, re.M):
        title, description, params = parse_header(text, str(path))
    else:
        title, description, params = path.stem, "", ()
    return SavedQuery(name=name or path.stem, title=title, description=description, params=params, text=text)


def get_saved(name: str) -> SavedQuery:
    """A saved query by name; an unknown name lists the known ones."""
    library = saved_queries()
    if name not in library:
        raise UsageError(f"no saved query named {name!r}; `kg queries` lists them: {', '.join(library)}")
    return library[name]


def parse_param_options(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["mission=UNAMSIL", …]`` -> ``{"mission": "UNAMSIL"}``; a pair without ``=`` is a usage error."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {pair!r} is not NAME=VALUE; write e.g. --param mission=UNAMSIL")
        values[name.strip()] = value.strip()
    return values


def bind_params(text: str, params: tuple[Param, ...], values: dict[str, str], *,
                source: str = "query", unbound_ok: bool = False) -> str:
    """Bind each parameter to one RDF term with a ``VALUES`` block opening the top-level WHERE group.

    Values never reach the query as text of their own: each becomes an IRI, a typed literal or a string
    literal, serialized with N-Triples escaping, and the result is parsed again before it runs.
    """
    declared = {p.name: p for p in params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise UsageError(f"{source} has no parameter {unknown[0]!r}; its parameters: {known}")
    blocks = []
    for p in params:
        value = values.get(p.name, p.default)
        if value is None and not unbound_ok:
            raise UsageError(f"{source} needs --param {p.name}=VALUE ({p.description})")
        blocks.append(f"VALUES ?{p.name} {{ {'UNDEF' if value is None else term_for(p, value)} }}")
    if not blocks:
        return text
    at = where_brace(text)
    if at is None:
        raise UsageError(f"{source} has parameters but no WHERE {{ … }} group to bind them in; add WHERE")
    return text[:at + 1] + " " + " ".join(blocks) + text[at + 1:]


_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
XSD = PREFIXES["xsd"]


def term_for(param: Param, value: str) -> str:
    """The SPARQL/N-Triples form of one parameter value; a value that does not fit the type is refused."""
    base, _, kind = param.type.partition(":")
    value = value.strip()
    if base == "iri":
        if re.match(r"^https?://", value):
            iri = value
        elif value.partition(":")[0] in PREFIXES:
            prefix, _, local = value.partition(":")
            iri = PREFIXES[prefix] + local
        elif kind:
            iri = resource(kind, _IRI_KINDS[kind](value)) if value else ""
        else:
            iri = ""
        if not iri or _IRI_BAD.search(iri):
            example = (f"a {kind} key such as {param.default}" if kind and param.default
                       else "a full http(s):// IRI")
            raise UsageError(f"--param {param.name}={value!r} is not a valid IRI; give {example}")
        return f"<{iri}>"
    if base == "date":
        m = _DATE.match(value)
        month, day = (int(m.group(2) or 1), int(m.group(3) or 1)) if m else (0, 0)
        if not m or not 1 <= month <= 12 or not 1 <= day <= 31:
            raise UsageError(f"--param {param.name}={value!r} is not a date; "
                             f"write YYYY-MM-DD, YYYY-MM or YYYY")
        dtype = "date" if m.group(3) else "gYearMonth" if m.group(2) else "gYear"
        return f'"{value}"^^<{XSD}{dtype}>'
    if base == "year":
        if not re.match(r"^\d{4}$", value):
            raise UsageError(f"--param {param.name}={value!r} is not a year; write four digits, e.g. 2003")
        return f'"{value}"^^<{XSD}gYear>'
    if base == "integer":
        if not re.match(r"^[+-]?\d+$", value):
            raise UsageError(f"--param {param.name}={value!r} is not an integer; write digits, e.g. 10")
        return f'"{int(value)}"^^<{XSD}integer>'
    return ntriples_string(value)


def ntriples_string(value: str) -> str:
    """A string literal with N-Triples escaping: quotes, backslashes and every control character."""
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<where>\bWHERE\b)'
    r'|(?P<open>\{)|(?P<close>\})',
    re.IGNORECASE | re.DOTALL,
)


def where_brace(text: str) -> int | None:
    """Offset of the ``{`` that opens the top-level WHERE group, skipping comments, strings and IRIs."""
    depth = 0
    seen_where = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "where" and depth == 0:
            seen_where = True
        elif kind == "open":
            if depth == 0 and seen_where:
                return m.start()
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
    return None


# ---- running: in this process or in a worker that can be killed ------------------------------------


@dataclass
class Answer:
    """A serialized query answer and what it is."""

    kind: str  # "select" | "ask" | "graph"
    format: str
    data: bytes
    truncated: bool = False
    rows: int | None = None

    @property
    def media_type(self) -> str:
        """The answer's media type, for HTTP Content-Type."""
        return MEDIA_TYPES[self.format]


def choose_format(kind: str, wanted: list[str] | tuple[str, ...], *, strict: bool) -> str:
    """The first wanted format that suits the query kind; strict mode refuses a format that does not fit."""
    suits = GRAPH_FORMAT_NAMES if kind == "graph" else RESULT_FORMAT_NAMES
    for fmt in wanted:
        if fmt == "table":
            return "turtle" if kind == "graph" else "json"
        if fmt in suits:
            return fmt
        if strict:
            what = "CONSTRUCT/DESCRIBE" if kind == "graph" else "SELECT/ASK"
            raise UsageError(f"--format {fmt} does not fit a {what} query; "
                             f"use one of: table, {', '.join(suits)}")
    return suits[0]


def execute(store: Store, text: str | PreparedQuery, *, formats: list[str] | tuple[str, ...] = ("json",),
            strict: bool = False, max_rows: int | None = None, base: str = BASE,
            dataset: Dataset | None = None, unknown_graphs: str = "refuse") -> Answer:
    """Prepare and run a query in this process (no time limit): the core of every way in.

    ``text`` may be a query already prepared (a worker receives the :class:`PreparedQuery` its parent
    checked, so that the checking parser runs once per query string in the server, not once per worker).

    The store runs :attr:`PreparedQuery.full`, the very string that was checked, and streams the
    answer, stopping at ``max_rows`` (rows, or triples for a graph). ``dataset`` (the protocol's
    ``default-graph-uri``/``named-graph-uri``) wins over the query's ``FROM``/``FROM NAMED``; either
    may name only graphs the store holds (:class:`QueryRefused` otherwise: nothing is ever fetched),
    unless ``unknown_graphs`` is ``"empty"``: then such a graph is an empty graph, as in SPARQL's own
    dataset semantics (what the W3C protocol tests expect).
    """
    prepared = text if isinstance(text, PreparedQuery) else prepare(text, base=base)
    fmt = choose_format(prepared.kind, formats, strict=strict)
    dataset = dataset if dataset is not None else prepared.dataset
    if dataset is not None and unknown_graphs != "empty":
        for graph in (*dataset[0], *dataset[1]):
            if not store.has_graph(graph):
                raise QueryRefused(
                    f"<{graph}> is not a graph of this store: the service queries its own graphs only and "
                    f"never fetches a dataset; SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} }} lists them")
    if dataset is not None and not getattr(store, "takes_dataset", False):
        dataset = None if dataset == prepared.dataset else dataset  # the query's FROM goes with it
    if prepared.kind == "graph":
        data, truncated, rows = store.construct(prepared.full, fmt, max_rows=max_rows,
                                                prefixes=_TURTLE_PREFIXES, dataset=dataset)
    else:
        data, truncated, rows = store.select(prepared.full, fmt, max_rows=max_rows, dataset=dataset)
    return Answer(prepared.kind, fmt, data, truncated, rows)


def _is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


#: default limits of the worker pool (``kg serve`` options and ``KG_*`` settings override them)
DEFAULT_WORKER_MEMORY_MB = 1024


def _memory_message(memory_mb: int) -> str:
    return (f"the query needed more than {memory_mb} MB of memory and was stopped; narrow it (more specific "
            f"patterns, LIMIT, no ORDER BY over a large product) or allow more with --worker-memory")


#: what a worker is given for ``nquads`` when the file comes over its pipe as a descriptor
_PASSED_FILE = "passed file"


def _worker_main(conn: Any, location: str, nquads: bytes | str | None, graphs: tuple[str, ...],
                 sandbox: bool, generation: str | None, memory_mb: int | None, threads: int = 0) -> None:
    """Body of a worker process: leave the network, open the store read-only once (or load its N-Quads
    snapshot into memory), cap the memory a query may add, then answer requests until told to stop. A
    remote store is the one location that keeps the network: the engine is elsewhere and this process
    only forwards the checked query to it. With ``threads``, requests carry an id and up to that many
    run at once on threads sharing the one store (:class:`SharedLane`)."""
    import os

    os.environ["RUST_BACKTRACE"] = "0"  # an allocation failure at the memory cap: one line in the log
    try:
        if sandbox and not _is_remote(location):
            from kg.sandbox import isolate_network

            isolate_network()
        from kg.store import OxigraphStore, open_store

        if isinstance(nquads, str):  # _PASSED_FILE: sent over the pipe as a descriptor, maybe unnamed
            from multiprocessing.reduction import recv_handle

            fd = recv_handle(conn)
            try:
                store = OxigraphStore.from_dump(Path(f"/proc/self/fd/{fd}"), graphs)
            finally:
                os.close(fd)
        elif nquads is not None:
            store = OxigraphStore.from_dump(nquads, graphs)
        elif generation is not None:
            store = OxigraphStore(Path(location) / generation, read_only=True, location=location)
        else:
            store = open_store(location, read_only=True)
        if memory_mb:
            import resource

            # RLIMIT_DATA counts the heap and anonymous maps (an in-memory store's data too), not
            # RocksDB's file maps (RLIMIT_AS would): each query may add memory_mb to what is resident
            cap = _data_segment_bytes() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
        _watch_parent()
        conn.send(("ready",))  # no checking parser here: the parent sends queries it has prepared
    except KGError as e:
        conn.send(("error", type(e).__name__, str(e)))
        return
    except Exception as e:  # noqa: BLE001 — report anything as one line to the parent
        conn.send(("error", "StoreError", f"cannot open the store at {location}: {e}"))
        return
    if threads:
        _answer_concurrently(conn, store, threads, memory_mb)
        return
    for request in _requests(conn):
        message, fatal = _answer_one(store, request, memory_mb)
        conn.send(message)
        if fatal:
            return  # the process may be in a bad state: the parent starts a fresh one


def _requests(conn: Any) -> Iterator[Any]:
    """What the parent sends a worker, until it sends None or its end of the pipe closes."""
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        yield request


def _answer_one(store: Any, request: tuple[Any, ...], memory_mb: int | None) -> tuple[tuple[Any, ...], bool]:
    """A worker's answer to one request, as the message for its parent, and whether the process should
    end after sending it (a MemoryError may leave it in a bad state)."""
    prepared, formats, strict, max_rows, dataset, unknown_graphs = request
    try:
        answer = execute(store, prepared, formats=formats, strict=strict, max_rows=max_rows,
                         dataset=dataset, unknown_graphs=unknown_graphs)
        return ("ok", answer.kind, answer.format, answer.data, answer.truncated, answer.rows), False
    except KGError as e:
        return ("error", type(e).__name__, str(e)), False
    except MemoryError:
        return ("error", "QueryOverloaded", _memory_message(memory_mb or 0)), True
    except Exception as e:  # noqa: BLE001
        return ("error", "QueryError", f"query failed: {type(e).__name__}: {e}"), False


def _answer_concurrently(conn: Any, store: Any, threads: int, memory_mb: int | None) -> None:
    """The shared worker's loop: ``(id, request)`` messages in, ``(id, message)`` out, up to ``threads``
    queries at once (pyoxigraph releases the GIL while it evaluates, so they use every core on one copy
    of the graph). Ends with the pipe; a MemoryError ends the process after its answer is sent, and the
    parent runs the queries it had in flight again elsewhere."""
    from concurrent.futures import ThreadPoolExecutor

    send_lock = threading.Lock()

    def one(rid: int, request: tuple[Any, ...]) -> None:
        message, fatal = _answer_one(store, request, memory_mb)
        with send_lock:
            try:
                conn.send((rid, message))
            except (OSError, ValueError):
                os._exit(0)  # the parent is gone
        if fatal:
            os._exit(1)

    with ThreadPoolExecutor(threads, thread_name_prefix="kg-shared") as pool:
        for rid, request in _requests(conn):
            pool.submit(one, rid, request)


def _proc_bytes(path: str, field: str) -> int | None:
    """One ``Field:  N kB`` line of a /proc file (``/proc/self/status``, ``/proc/meminfo``), in bytes;
    None if unknown."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _data_segment_bytes() -> int:
    """This process's data segment now (``VmData``), which ``RLIMIT_DATA`` limits; 0 if unknown."""
    return _proc_bytes("/proc/self/status", "VmData") or 0


def _watch_parent() -> None:
    """End this worker when its parent is gone (killed, say), rather than compute a heavy query for
    nobody: a thread that checks the parent once a second (pyoxigraph releases the GIL while it runs)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="kg-watch-parent", daemon=True).start()


_ERROR_CLASSES: dict[str, type[KGError]] = {
    cls.__name__: cls for cls in (KGError, UsageError, StoreError, QueryError, QueryTimeout, QueryRefused,
                                  errors.InputError, errors.SandboxUnavailable, errors.QueryOverloaded)
}


class QueryWorker:
    """One worker process holding the store open read-only; a query past its deadline kills the process.

    ``location`` is what ``open_store`` takes (a directory, ``memory`` or a URL); ``generation`` pins
    one generation of a store home (:mod:`kg.store`) instead of whatever is live when it opens. With
    ``nquads`` (an N-Quads dump: bytes, or an open file, passed to the process as a descriptor so
    that an unnamed temporary file will do) the worker holds that data in memory instead: how an
    in-memory store reaches another process, and how :class:`WorkerPool` runs queries on a graph that
    fits in memory (several times faster than on RocksDB); ``graphs`` names the graphs it holds even
    when empty (N-Quads cannot say so). With
    ``sandbox`` (the default: :attr:`kg.config.Settings.sandbox`, ``KG_SANDBOX``) the process enters
    its own network namespace before it opens the store (:mod:`kg.sandbox`), so no query it runs can
    reach any address; a kernel that refuses is a :class:`~kg.errors.SandboxUnavailable` at start.
    ``memory_mb`` caps what a query may add to the process's data segment (``RLIMIT_DATA``, set once
    the store is open or loaded): a query that needs more ends the process, reported as
    :class:`~kg.errors.QueryOverloaded`.
    """

    _ctx = multiprocessing.get_context("spawn")

    def __init__(self, location: str, *, nquads: bytes | BinaryIO | None = None, graphs: tuple[str, ...] = (),
                 start_timeout: float = 120.0, sandbox: bool | None = None, generation: str | None = None,
                 memory_mb: int | None = None, threads: int = 0) -> None:
        self.location = location
        self.generation = generation
        self.memory_mb = memory_mb
        #: queries this worker runs at once (0: one, through :meth:`submit`; more: :meth:`post`)
        self.threads = threads
        self.sandbox = _sandbox_default() if sandbox is None else sandbox
        self._killed = False
        parent, child = self._ctx.Pipe()
        self._conn = parent
        passed = nquads if isinstance(nquads, bytes | None) else _PASSED_FILE
        args = (child, location, passed, graphs, self.sandbox, generation, memory_mb, threads)
        self._process = self._ctx.Process(target=_worker_main, args=args, daemon=True)
        self._process.start()
        child.close()
        if passed == _PASSED_FILE:
            from multiprocessing.reduction import send_handle

            try:
                send_handle(parent, nquads.fileno(), self._process.pid)
            except OSError:
                pass  # the process ended already: its own message, or the start timeout, says why
        if not parent.poll(start_timeout):
            self.kill()
            raise StoreError(f"the query worker did not start within {start_timeout:g} s; check the store "
                             f"at {location}")
        message = self._receive()
        if message[0] != "ready":
            self.kill()
            raise _error_from(message)

    @property
    def alive(self) -> bool:
        """Whether the worker process still runs (a timeout or a crash kills it)."""
        return self._process.is_alive()

    @property
    def pid(self) -> int | None:
        """The worker's process id."""
        return self._process.pid

    def submit(self, text: str | PreparedQuery, *, formats: list[str] | tuple[str, ...] = ("json",),
               strict: bool = False, max_rows: int | None = None, base: str = BASE,
               dataset: Dataset | None = None, unknown_graphs: str = "refuse") -> None:
        """Hand one query to the worker; :meth:`ready` and :meth:`answer` collect it.

        The query is checked here (:func:`prepare`, cached by text), in the calling process: a bad
        query is refused before it reaches the worker, and the worker runs the very string checked.
        """
        prepared = text if isinstance(text, PreparedQuery) else prepare(text, base=base)
        try:
            self._conn.send((prepared, list(formats), strict, max_rows, dataset, unknown_graphs))
        except (OSError, ValueError) as e:
            self.kill()
            raise QueryError(f"the query worker is gone ({e}); run the query again") from e

    def post(self, rid: int, prepared: PreparedQuery, *, formats: list[str] | tuple[str, ...],
             max_rows: int | None, dataset: Dataset | None, unknown_graphs: str) -> None:
        """Hand a query tagged ``rid`` to a worker started with ``threads``; its answer comes back as
        ``(rid, message)`` on :attr:`connection` (:func:`answer_from` reads the message)."""
        try:
            self._conn.send((rid, (prepared, list(formats), False, max_rows, dataset, unknown_graphs)))
        except (OSError, ValueError) as e:
            self.kill()
            raise QueryError(f"the query worker is gone ({e}); run the query again") from e

    @property
    def connection(self) -> Any:
        """The parent's end of the worker's pipe (``fileno()``, ``poll()``, ``recv()``)."""
        return self._conn

    def ready(self, seconds: float | None) -> bool:
        """Wait up to ``seconds`` (None: for ever) for the answer; whether it (or the worker's end) came."""
        return self._conn.poll(seconds)

    def answer(self) -> Answer:
        """The answer to the submitted query, or its error raised."""
        return answer_from(self._receive())

    def run(self, text: str, *, formats: list[str] | tuple[str, ...] = ("json",), strict: bool = False,
            max_rows: int | None = None, timeout: float | None = None, base: str = BASE) -> Answer:
        """Run one query; past ``timeout`` seconds the worker is killed and QueryTimeout raised."""
        self.submit(text, formats=formats, strict=strict, max_rows=max_rows, base=base)
        if not self.ready(timeout):
            self.kill()
            raise QueryTimeout(_timeout_message(timeout or 0))
        return self.answer()

    def _receive(self) -> tuple[Any, ...]:
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            self._process.join(5)
            code = self._process.exitcode
            killed = self._killed
            self.kill()
            if self.memory_mb and not killed and code == -6:  # SIGABRT: Rust's allocation failure
                raise errors.QueryOverloaded(_memory_message(self.memory_mb)) from None
            raise QueryError(f"the query worker stopped unexpectedly (exit code {code}); the query may "
                             f"need more memory than the machine has: narrow it or add LIMIT") from None

    def cpu_seconds(self) -> float:
        """CPU time the worker process has used so far (0 where /proc cannot tell)."""
        try:
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return float("inf")  # unknown: count wall-clock time instead

    def set_priority(self, nice: int) -> bool:
        """Set the worker's CPU priority (``nice``); False when the system does not allow it."""
        try:
            os.setpriority(os.PRIO_PROCESS, self._process.pid or 0, nice)
            return True
        except (OSError, AttributeError):
            return False

    def kill(self) -> None:
        """Stop the process at once (SIGKILL: pyoxigraph ignores gentler signals while it computes)."""
        self._killed = True
        if self._process.is_alive():
            self._process.kill()
        self._process.join(5)
        self._conn.close()

    def close(self) -> None:
        """Ask the worker to stop, and make sure it does."""
        if self._process.is_alive():
            try:
                self._conn.send(None)
            except (OSError, ValueError):
                pass
            self._process.join(2)
        self.kill()


def _timeout_message(timeout: float) -> str:
    return (f"the query ran longer than {timeout:g} s and was stopped; narrow it (more specific patterns, "
            f"LIMIT) or allow more time with --timeout")


def answer_from(message: tuple[Any, ...]) -> Answer:
    """The :class:`Answer` a worker's message carries, or the error it reports raised."""
    if message[0] == "ok":
        _, kind, fmt, data, truncated, rows = message
        return Answer(kind, fmt, data, truncated, rows)
    raise _error_from(message)


def _error_from(message: tuple[Any, ...]) -> KGError:
    _, name, text = message
    return _ERROR_CLASSES.get(name, QueryError)(text)


def _sandbox_default() -> bool:
    from kg.config import Settings

    return Settings().sandbox


def run_query(store: Store | str, text: str, *, formats: list[str] | tuple[str, ...] = ("json",),
              strict: bool = False, max_rows: int | None = None, timeout: float | None = None,
              sandbox: bool = False, base: str = BASE, memory_mb: int | None = None) -> Answer:
    """Run one query on a store (object or location), killed after ``timeout`` seconds when one is given.

    Without a timeout, ``sandbox`` or ``memory_mb`` the query runs in this process. Otherwise it runs in
    a fresh worker process, cut off the network with ``sandbox`` and capped at ``memory_mb``, that opens
    the store read-only (a location) or receives the data (an in-memory store object; slower). RocksDB
    does not support a read-only opener next to a live writer: with an on-disk store object, close other
    writers first (the CLI and the server never hold one).
    """
    if timeout is not None and timeout <= 0:
        timeout = None
    if timeout is None and not sandbox and not memory_mb:
        if isinstance(store, str):
            from kg.store import open_store

            with open_store(store, read_only=True) as opened:
                return execute(opened, text, formats=formats, strict=strict, max_rows=max_rows, base=base)
        return execute(store, text, formats=formats, strict=strict, max_rows=max_rows, base=base)
    prepare(text, base=base)  # refuse bad queries before a process is started
    options: dict[str, Any] = {"sandbox": sandbox, "memory_mb": memory_mb}
    if isinstance(store, str):
        worker = QueryWorker(store, **options)
    elif store.location == "memory":
        worker = QueryWorker("memory", nquads=store.dump("nquads"), graphs=tuple(store.named_graphs()),
                             **options)
    else:
        store.flush()
        worker = QueryWorker(store.location, **options)
    try:
        return worker.run(text, formats=formats, strict=strict, max_rows=max_rows, timeout=timeout, base=base)
    finally:
        worker.close()


@dataclass(frozen=True)
class PoolLimits:
    """How much of the machine the query workers of ``kg serve`` may take, and how it is shared.

    A query holds a *fresh* slot for its first ``slow_after`` seconds; one still running then moves to
    a *slow* slot (at CPU priority ``slow_nice``), so long queries cannot hold the workers that cheap
    queries need. When every slow slot is taken it keeps its fresh slot; it is stopped with a 503 only
    when every fresh slot is taken too and it has really computed ``slow_after`` seconds (CPU time of
    its worker: waiting for a core on a busy machine does not count). A request
    waits at most ``queue_wait`` seconds for a fresh slot (and at most ``max_waiting`` requests wait),
    else 503 with ``Retry-After``: admission control rather than an endless queue. Each worker's data
    segment is capped at ``memory_mb``. One client may have at most :attr:`client_limit` requests in
    progress (the server counts them by address).
    """

    workers: int = 4
    slow_workers: int = 4
    slow_after: float = 0.5
    queue_wait: float = 30.0
    max_waiting: int = 128
    memory_mb: int | None = DEFAULT_WORKER_MEMORY_MB
    #: idle workers kept started, so that a query never waits for a process to start (None: ``workers
    #: + slow_workers``: when every slow slot is taken, the fresh slots still have started processes,
    #: since a process start costs seconds on a busy machine)
    warm: int | None = None
    #: a dataset naming a graph the store lacks: "refuse" (403) or "empty" (SPARQL's semantics)
    unknown_graphs: str = "refuse"
    #: CPU priority (nice) of queries in slow slots. 0 (the default): long queries get the CPU the
    #: machine gives any process, and the fresh slots (never held by a long query) with started
    #: processes are what let a cheap query pass them. 19 starves long queries whenever anything else
    #: on the machine runs (measured: BENCHMARKS.md)
    slow_nice: int = 0
    #: requests one client (one address) may have in progress at once, running or waiting; more get a
    #: 503. None: half of what the service admits (``workers + slow_workers + max_waiting``), so that
    #: one client can never take every place; 0: no bound. Enforced by the server (:mod:`kg.server`)
    per_client: int | None = None
    #: where workers read the graph: "memory" (each loads an N-Quads snapshot of the generation: several
    #: times faster on heavy queries than RocksDB), "disk" (each opens the generation read-only), or
    #: "auto" (the default): memory when every worker's copy fits in half the memory available
    worker_store: str = "auto"
    #: threads of the shared worker, one process that runs queries known to be cheap (each answered
    #: within ``slow_after`` on a worker of their own before) on one copy of the graph (None: as many as
    #: ``workers``; 0: no shared worker, every query on a worker of its own). See :class:`SharedLane`
    shared_threads: int | None = None

    @property
    def threads(self) -> int:
        """Threads of the shared worker (0: none)."""
        return self.workers if self.shared_threads is None else self.shared_threads

    @property
    def client_limit(self) -> int:
        """Requests one client may have in progress (0: no bound)."""
        if self.per_client is not None:
            return self.per_client
        return max(1, (self.workers + self.slow_workers + self.max_waiting) // 2)

    @property
    def spares(self) -> int:
        """How many idle workers the pool keeps started."""
        return self.workers + self.slow_workers if self.warm is None else self.warm


#: queries the pool remembers as cheap, at most (the oldest is forgotten first)
_FAST_QUERIES = 4096

#: memory an in-memory worker store takes per quad (measured: the bundled graph, 309,492 quads, adds
#: 113 MB to a worker: 365 bytes a quad), with a margin
BYTES_PER_QUAD = 400


def _memory_available() -> int | None:
    """The memory the kernel could give processes now (``MemAvailable``), in bytes; None if unknown."""
    return _proc_bytes("/proc/meminfo", "MemAvailable")


def choose_worker_store(setting: str, quads: int, processes: int, available: int | None) -> tuple[bool, str]:
    """Whether workers should hold ``quads`` in memory, and a line saying why (for the start-up message).

    ``auto`` takes memory when ``processes`` copies fit in half of ``available`` (what is left stays for
    the queries and the page cache); an unknown amount of memory keeps the disk.
    """
    each = quads * BYTES_PER_QUAD
    size = f"{quads:,} quads, about {each / 2**20:,.0f} MB per worker"
    if setting == "memory":
        return True, f"workers hold the graph in memory ({size}; --worker-store memory)"
    if setting == "disk":
        return False, "workers read the graph from disk (--worker-store disk)"
    if available is not None and each * processes <= available // 2:
        return True, (f"workers hold the graph in memory ({size}, {processes} workers, "
                      f"{available / 2**30:.1f} GB available; --worker-store disk to read it from disk)")
    known = "unknown" if available is None else f"{available / 2**30:.1f} GB"
    return False, (f"workers read the graph from disk: {processes} in-memory copies ({size}) would not fit "
                   f"in half the memory available ({known}); --worker-store memory to insist")


class WorkerPool:
    """Worker processes shared by server threads, within :class:`PoolLimits`; follows the live generation.

    Before each query the pool reads the store home's live generation (one ``readlink``); when it has
    changed, idle workers are retired and new ones open the new generation, while running queries finish
    on the one they started on. Workers hold a generation in memory or read it from disk
    (:attr:`PoolLimits.worker_store`, :func:`choose_worker_store`); for memory the pool writes the
    generation once as an N-Quads snapshot (an unnamed temporary file, gone with the last process that
    holds it) that every worker of that generation loads.
    """

    def __init__(self, location: str, *, size: int | None = None, warm: int | None = None,
                 sandbox: bool | None = None, base: str = BASE, limits: PoolLimits | None = None) -> None:
        limits = limits or PoolLimits()
        if size is not None:
            limits = replace(limits, workers=size)
        if warm is not None:
            limits = replace(limits, warm=warm)
        self.limits = limits
        self.location = location
        self.sandbox = _sandbox_default() if sandbox is None else sandbox
        self.base = base
        self.size = max(1, limits.workers)
        self._idle: list[QueryWorker] = []
        self._busy: set[QueryWorker] = set()  # running a query: stopped too when the pool closes
        self._fresh = 0  # queries in their first slow_after seconds
        self._slow = 0  # queries past slow_after
        self._waiting = 0
        self._starting = 0
        self._cond = threading.Condition()
        self._closed = False
        self._snapshot_lock = threading.Lock()
        # (generation, N-Quads file or None: read from disk, its named graphs)
        self._snapshot: tuple[str | None, BinaryIO | None, tuple[str, ...]] | None = None
        #: how the workers hold the graph, one line (see :func:`choose_worker_store`)
        self.store_note = ""
        #: (query text, dataset) -> its prepared query, for queries a worker of their own answered within
        #: ``slow_after`` on the live generation: what the shared worker may run (:class:`SharedLane`)
        self._fast: dict[tuple[str, Dataset | None], PreparedQuery] = {}
        self._fast_lock = threading.Lock()  # the server's threads record, the event loop reads
        self._shared: QueryWorker | None = None  # started with the spares, until the lane takes it
        self.generation = self._live()
        self._idle.append(self._start(self.generation))  # the first one reports a store or sandbox problem
        with self._cond:
            # every spare before the first request (in parallel): once queries compute, a process start
            # competes with them for the CPU and takes seconds
            self._starting = max(0, min(limits.spares, self.size + limits.slow_workers) - 1)
        starters = [threading.Thread(target=self._start_idle, args=(self.generation,), daemon=True)
                    for _ in range(self._starting)]
        if limits.threads:
            starters.append(threading.Thread(target=self._start_shared_first, daemon=True))
        for t in starters:
            t.start()
        for t in starters:
            t.join()

    def _start_shared_first(self) -> None:
        try:
            self._shared = self.start_shared(self.generation)
        except KGError:
            pass  # the lane starts one when it is first needed, and reports nothing: queries fall back

    def start_shared(self, generation: str | None) -> QueryWorker:
        """A shared worker for ``generation``: one process, :attr:`PoolLimits.threads` queries at once."""
        return self._start(generation, threads=self.limits.threads)

    def take_shared(self) -> QueryWorker | None:
        """The shared worker started with the pool, once (the lane owns it from then on)."""
        worker, self._shared = self._shared, None
        return worker

    def fast_query(self, text: str, dataset: Dataset | None) -> PreparedQuery | None:
        """The prepared query when ``text`` (with ``dataset``) is known to answer within ``slow_after``."""
        return self._fast.get((text, dataset))

    def forget(self, text: str, dataset: Dataset | None) -> None:
        """No longer count this query as cheap (it ran long, or its worker died under it)."""
        with self._fast_lock:
            self._fast.pop((text, dataset), None)

    def _remember(self, text: str, dataset: Dataset | None, prepared: PreparedQuery,
                  generation: str | None) -> None:
        with self._fast_lock:
            if generation != self.generation:
                return
            if len(self._fast) >= _FAST_QUERIES:
                self._fast.pop(next(iter(self._fast)))  # the oldest
            self._fast[(text, dataset)] = prepared

    def _live(self) -> str | None:
        from kg.store import live_generation

        return live_generation(self.location)  # one readlink; None for memory, a URL, a plain store

    def _start(self, generation: str | None, threads: int = 0) -> QueryWorker:
        snapshot, graphs = self._snapshot_of(generation)
        if snapshot is not None:
            return QueryWorker(self.location, nquads=snapshot, graphs=graphs, sandbox=self.sandbox,
                               generation=generation, memory_mb=self.limits.memory_mb, threads=threads)
        return QueryWorker(self.location, sandbox=self.sandbox, generation=generation,
                           memory_mb=self.limits.memory_mb, threads=threads)

    def _snapshot_of(self, generation: str | None) -> tuple[BinaryIO | None, tuple[str, ...]]:
        """The N-Quads snapshot workers of ``generation`` load, written on first need (None: read from
        disk), and the named graphs it holds, empty ones included.

        The snapshot is a temporary file without a name, so it is gone when the last process holding it
        ends, however it ends. One generation's is kept at a time: a worker loads it only when it starts,
        so the file of a generation no longer live serves nobody.
        """
        with self._snapshot_lock:
            if self._snapshot is not None and self._snapshot[0] == generation:
                return self._snapshot[1], self._snapshot[2]
            directory = self._directory(generation)
            if directory is None:  # in memory already, or remote: nothing to copy
                return None, ()
            if self.limits.worker_store == "disk":  # no copy wanted: no need to open the store here
                self._snapshot = (generation, None, ())
                self.store_note = choose_worker_store("disk", 0, 0, None)[1]
                return None, ()
            import pyoxigraph as ox

            try:
                source = ox.Store.read_only(str(directory))
            except (OSError, RuntimeError):
                return None, ()  # the worker opens it itself and reports the problem in one line
            processes = self.size + self.limits.slow_workers + (1 if self.limits.threads else 0)
            memory, note = choose_worker_store(self.limits.worker_store, len(source), processes,
                                               _memory_available())
            snapshot, graphs = None, ()
            if memory:
                import tempfile

                snapshot = tempfile.TemporaryFile(prefix="kg-serve-", suffix=".nq")
                source.dump(snapshot, format=ox.RdfFormat.N_QUADS)
                snapshot.flush()
                graphs = tuple(sorted(g.value for g in source.named_graphs() if isinstance(g, ox.NamedNode)))
            del source
            # the previous generation's file closes once no worker start holds it (reference counting)
            self._snapshot = (generation, snapshot, graphs)
            self.store_note = note
            return snapshot, graphs

    def _directory(self, generation: str | None) -> Path | None:
        """The on-disk store the workers of ``generation`` would open; None for memory or a URL."""
        if generation is not None:
            return Path(self.location) / generation
        if self.location != "memory" and not _is_remote(self.location) \
                and (Path(self.location) / "CURRENT").exists():
            return Path(self.location)
        return None

    def run(self, text: str, *, formats: list[str] | tuple[str, ...], max_rows: int | None,
            timeout: float, dataset: Dataset | None = None) -> Answer:
        """Run on a free worker within the limits; QueryOverloaded (503) when the service is full.

        The query is checked first, in this process and cached by text, so that a bad query takes no
        worker and a query asked again is not parsed again by any worker.
        """
        prepared = prepare(text, base=self.base)
        worker = self._acquire()
        slow = False
        started = time.monotonic()
        try:
            worker.submit(prepared, formats=formats, max_rows=max_rows, dataset=dataset,
                          unknown_graphs=self.limits.unknown_graphs)
            cpu_start = worker.cpu_seconds()
            step = self.limits.slow_after
            while not slow:
                left = timeout - (time.monotonic() - started)
                if worker.ready(max(0.0, min(step, left))):
                    answer = worker.answer()
                    if time.monotonic() - started < step:
                        self._remember(text, dataset, prepared, worker.generation)
                    return answer
                if left <= step:
                    worker.kill()
                    raise QueryTimeout(_timeout_message(timeout))
                slow = self._to_slow()
                if slow:
                    worker.set_priority(self.limits.slow_nice)
                elif worker.cpu_seconds() - cpu_start >= step and self._fresh_full():
                    # no slow slot, every fresh one taken, and this one computes (not merely waits)
                    worker.kill()
                    raise errors.QueryOverloaded(
                        f"the server is already running {self.limits.slow_workers} long queries; this one "
                        f"was stopped after {step:g} s of work: try again later, or narrow it")
            if not worker.ready(max(0.0, timeout - (time.monotonic() - started))):
                worker.kill()
                raise QueryTimeout(_timeout_message(timeout))
            return worker.answer()
        finally:
            self._release(worker, slow=slow)

    def _acquire(self) -> QueryWorker:
        limits = self.limits
        generation = self._live()
        retired: list[QueryWorker] = []
        with self._cond:
            if self._closed:
                raise StoreError("the server is shutting down")
            if generation != self.generation:
                self.generation = generation
                with self._fast_lock:
                    self._fast = {}  # what was cheap is measured again on the new graph
                retired = [w for w in self._idle if w.generation != generation]
                self._idle = [w for w in self._idle if w.generation == generation]
            if self._fresh >= self.size and self._waiting >= limits.max_waiting:
                raise errors.QueryOverloaded(self._busy_message())
            self._waiting += 1
            try:
                free = self._cond.wait_for(lambda: self._closed or self._fresh < self.size, limits.queue_wait)
            finally:
                self._waiting -= 1
            if self._closed:
                raise StoreError("the server is shutting down")
            if not free:
                raise errors.QueryOverloaded(self._busy_message())
            self._fresh += 1
            if not self._idle and self._starting:  # a spare is on its way: sooner than a new process
                self._cond.wait_for(lambda: self._idle or not self._starting or self._closed,
                                    limits.queue_wait)
            worker = self._idle.pop() if self._idle else None
        for old in retired:
            old.close()
        if worker is None:
            try:
                worker = self._start(generation)
            except BaseException:
                with self._cond:
                    self._fresh -= 1
                    self._cond.notify()
                raise
        with self._cond:
            self._busy.add(worker)
        self._top_up()
        return worker

    def _busy_message(self) -> str:
        return (f"the server is busy: {self._fresh + self._slow} queries are running and {self._waiting} "
                f"are waiting; try again in a few seconds")

    def _fresh_full(self) -> bool:
        with self._cond:
            return self._fresh >= self.size

    def _to_slow(self) -> bool:
        """Move a query from a fresh slot to a slow one, if one is free."""
        with self._cond:
            if self._slow >= self.limits.slow_workers:
                return False
            self._fresh -= 1
            self._slow += 1
            self._cond.notify()
        self._top_up()
        return True

    def _release(self, worker: QueryWorker, *, slow: bool) -> None:
        if slow and worker.alive and not worker.set_priority(0):
            worker.kill()  # without the right to raise its priority again it would stay slow: retire it
        with self._cond:
            self._busy.discard(worker)
            if slow:
                self._slow -= 1
            else:
                self._fresh -= 1
            # as many idle as the pool keeps started (and at least the fresh slots): retiring one past
            # that only to start another in _top_up cost a process start per query, under load too
            keep = (worker.alive and not self._closed and worker.generation == self.generation
                    and len(self._idle) < max(self.size, self.limits.spares))
            if keep:
                self._idle.append(worker)
            self._cond.notify()
        if not keep:
            worker.kill()
        self._top_up()

    def _top_up(self) -> None:
        """Start idle workers in the background up to ``warm``, within the process limit."""
        with self._cond:
            total = self._fresh + self._slow + len(self._idle) + self._starting
            ceiling = self.size + self.limits.slow_workers
            if (self._closed or self._starting or len(self._idle) >= self.limits.spares
                    or total >= ceiling):
                return  # one spare at a time: on a busy machine the first is ready sooner
            self._starting += 1
            generation = self.generation
        threading.Thread(target=self._start_idle, args=(generation,), daemon=True).start()

    def _start_idle(self, generation: str | None) -> None:
        worker = None
        kept = False
        try:
            worker = self._start(generation)
        except KGError:
            pass  # the next query starts its own worker and reports the problem
        finally:
            with self._cond:
                self._starting -= 1
                if worker is not None and not self._closed and generation == self.generation:
                    self._idle.append(worker)
                    kept = True
                self._cond.notify_all()
            if kept:
                self._top_up()
            elif worker is not None:
                worker.kill()

    def close(self) -> None:
        """Stop every worker: idle ones politely, busy ones at once (a heavy query left running would
        outlive the server, computing for nobody)."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = list(self._busy)
            self._cond.notify_all()
        for w in idle:
            w.close()
        for w in busy:
            w.kill()
        shared = self.take_shared()
        if shared is not None:
            shared.close()
        with self._snapshot_lock:
            self._snapshot = None  # its file closes with the last reference


class _WorkerLost(Exception):
    """The shared worker ended with this query in flight (another query's deadline or memory cap)."""


def _expire(future: Any) -> None:
    """A shared-worker query's deadline: its answer did not come in time."""
    if not future.done():
        future.set_exception(TimeoutError())


class SharedLane:
    """Queries known to be cheap, run on threads of one shared worker process, from the event loop.

    A worker of one's own per query keeps the pool's promises (a query past its deadline or memory cap
    is killed alone), but each process holds its own copy of the graph, and copies compete for the
    processor's caches: measured on the bundled graph, four threads on one store answered the saved
    queries' mix 1.24x as fast as four processes with a store each (BENCHMARKS.md). So a query that
    a worker of its own has answered within ``slow_after`` (:meth:`WorkerPool.fast_query`: same text,
    same dataset, same generation) runs here next time, and any other query as before. The shared worker
    is sandboxed and capped like every worker; if it ends (a query here ran past its deadline, or the
    process past its memory cap), the queries it had in flight run once more on workers of their own,
    where only the guilty one fails, and none of them counts as cheap any more.

    Runs on the server's event loop, so its state needs no lock: answers arrive through ``add_reader`` on
    the worker's pipe, not through a thread per query.
    """

    def __init__(self, pool: WorkerPool) -> None:
        import asyncio

        self.pool = pool
        self.limits = pool.limits
        self._loop = asyncio.get_running_loop()
        self._slots = asyncio.Semaphore(max(1, self.limits.threads))
        self._waiting = 0
        self._worker: QueryWorker | None = None
        self._starting: Any = None  # a future while a shared worker starts
        self._start_failed_at = -1e9
        self._retiring: set[QueryWorker] = set()
        self._inflight: dict[int, tuple[QueryWorker, Any]] = {}  # id -> (worker, future)
        self._ids = 0
        self._closed = False
        first = pool.take_shared()
        if first is not None:
            self._adopt(first)

    async def run(self, text: str, *, formats: list[str], max_rows: int | None, timeout: float,
                  dataset: Dataset | None = None) -> Answer | None:
        """The answer, or None when this lane does not take the query (unknown or long query, no shared
        worker for the live generation yet, or its worker died under it): run it on the pool then."""
        import asyncio

        prepared = self.pool.fast_query(text, dataset)
        if prepared is None or self._closed:
            return None
        worker = self._current()
        if worker is None:
            return None
        if self._slots.locked():
            if self._waiting >= self.limits.max_waiting:
                raise errors.QueryOverloaded(self._busy_message())
            self._waiting += 1
            try:
                await asyncio.wait_for(self._slots.acquire(), self.limits.queue_wait)
            except TimeoutError:
                raise errors.QueryOverloaded(self._busy_message()) from None
            finally:
                self._waiting -= 1
        else:
            await self._slots.acquire()
        try:
            if worker is not self._worker:
                return None  # replaced (or lost) while this query waited
            self._ids += 1
            rid = self._ids
            future = self._loop.create_future()
            self._inflight[rid] = (worker, future)
            try:
                worker.post(rid, prepared, formats=formats, max_rows=max_rows, dataset=dataset,
                            unknown_graphs=self.limits.unknown_graphs)
            except QueryError:
                self._inflight.pop(rid, None)
                self._lost(worker)
                return None
            started = time.monotonic()
            deadline = self._loop.call_later(timeout, _expire, future)
            try:
                message = await future
            except TimeoutError:
                self._inflight.pop(rid, None)
                self.pool.forget(text, dataset)
                self._lost(worker)  # the only way to stop a query: the others run again elsewhere
                raise QueryTimeout(_timeout_message(timeout)) from None
            except _WorkerLost:
                self.pool.forget(text, dataset)
                return None
            finally:
                deadline.cancel()
            if time.monotonic() - started > self.limits.slow_after:
                self.pool.forget(text, dataset)
            return answer_from(message)
        finally:
            self._slots.release()

    def _busy_message(self) -> str:
        return (f"the server is busy: {len(self._inflight)} queries are running on the shared worker and "
                f"{self._waiting} are waiting; try again in a few seconds")

    def _current(self) -> QueryWorker | None:
        """The shared worker of the live generation, or None while one starts (started here if need be).

        A worker that died is gone already: its pipe's end woke :meth:`_readable`, which dropped it."""
        generation = self.pool._live()
        worker = self._worker
        if worker is not None and worker.generation == generation:
            return worker
        if worker is not None:
            self._worker = None
            if worker.alive:
                self._retire(worker)  # its queries finish on the graph they started on
            else:
                self._lost(worker)
        if self._starting is None and time.monotonic() - self._start_failed_at > 5.0:
            self._starting = self._loop.run_in_executor(None, self.pool.start_shared, generation)
            self._starting.add_done_callback(self._started)
        return None

    def _started(self, future: Any) -> None:
        self._starting = None
        try:
            worker = future.result()
        except Exception:  # noqa: BLE001 — queries keep running on the pool; try again later
            self._start_failed_at = time.monotonic()
            return
        if self._closed or worker.generation != self.pool._live():
            worker.kill()  # not needed after all; idle, so nothing is lost, and the loop does not wait
            return
        self._adopt(worker)

    def _adopt(self, worker: QueryWorker) -> None:
        self._worker = worker
        fd = worker.connection.fileno()
        self._loop.add_reader(fd, self._readable, worker)
        # the loop only watches the pipe; Connection reads and writes whole messages, which needs a
        # blocking descriptor (uvloop makes a watched one non-blocking: a long answer then read in part)
        os.set_blocking(fd, True)

    def _readable(self, worker: QueryWorker) -> None:
        # one message per call: the loop calls again while the pipe holds more (level-triggered, in
        # asyncio and uvloop alike; Connection.poll() would make a selector on every call)
        try:
            rid, message = worker.connection.recv()
        except (EOFError, OSError):
            self._lost(worker)
            return
        _, future = self._inflight.pop(rid, (None, None))
        if future is not None and not future.done():
            future.set_result(message)
        if worker in self._retiring and not any(w is worker for w, _ in self._inflight.values()):
            self._retiring.discard(worker)
            self._unwatch(worker)
            worker.kill()

    def _retire(self, worker: QueryWorker) -> None:
        if any(w is worker for w, _ in self._inflight.values()):
            self._retiring.add(worker)
        else:
            self._unwatch(worker)
            worker.kill()  # idle: nothing is lost, and a polite close could keep the loop waiting

    def _unwatch(self, worker: QueryWorker) -> None:
        if self._loop.is_closed():
            return
        try:
            self._loop.remove_reader(worker.connection.fileno())
        except (OSError, ValueError):
            pass  # closed already

    def _lost(self, worker: QueryWorker) -> None:
        """Stop ``worker`` and send the queries it had in flight back to the pool."""
        self._unwatch(worker)
        worker.kill()
        self._retiring.discard(worker)
        for rid, (w, future) in list(self._inflight.items()):
            if w is worker:
                del self._inflight[rid]
                if not future.done():
                    future.set_exception(_WorkerLost())
        if worker is self._worker:
            self._worker = None

    def close(self) -> None:
        """Stop the shared workers (at once: the server is going away)."""
        self._closed = True
        for worker in [w for w in (self._worker, *self._retiring) if w is not None]:
            self._unwatch(worker)
            worker.kill()
        self._worker = None
        self._retiring.clear()


# ---- presenting: the terminal table and files ------------------------------------------------------


def short_iri(iri: str) -> str:
    """An IRI as a legal prefixed name where one fits (``mission:UNAMSIL``), else ``<iri>``, so that
    what the table shows can be pasted into a query."""
    return prefixed_name(iri) or f"<{iri}>"


def cell(term: Any, width: int = TABLE_WIDTH) -> str:
    """How one result term shows in the table: prefixed IRIs, literal values on one line, cut at ``width``
    characters (0: never cut)."""
    from rdflib import BNode, URIRef

    if term is None:
        text = ""
    elif isinstance(term, URIRef):
        text = short_iri(str(term))
    elif isinstance(term, BNode):
        text = f"_:{term}"
    else:
        text = re.sub(r"\s*[\r\n]+\s*", " ⏎ ", str(term))
    return text if width <= 0 or len(text) <= width else text[:max(width - 1, 0)] + "…"


def render_plain_tsv(result: QueryResult) -> str:
    """A TSV that spreadsheets read as it is: the variable names as headers (no ``?``), each value as its
    plain text (full IRIs, literal values without quotes, language or datatype), tabs and line breaks in a
    value turned into spaces, empty cells for unbound variables. SPARQL's own TSV (``--format tsv``)
    keeps the terms in N-Triples syntax instead, which is exact but not what a spreadsheet shows.
    """
    def plain(term: Any) -> str:
        return "" if term is None else re.sub(r"[\t\r\n]+", " ", str(term))

    if result.kind == "ask":
        return "boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(result.variables)]
    lines += ["\t".join(plain(row.get(v)) for v in result.variables) for row in result.rows]
    return "\n".join(lines) + "\n"


def render_table(result: QueryResult, *, width: int = TABLE_WIDTH) -> str:
    """An aligned plain-text table of a SELECT answer (or ``yes``/``no`` for ASK), with a row count."""
    if result.kind == "ask":
        return "yes\n" if result.boolean else "no\n"
    headers = list(result.variables)
    body = [[cell(row.get(v), width) for v in headers] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    count = len(body)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old or the new content, never a half-written one."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write {path}: the folder {directory} does not exist; create it first")
    with atomic_output(path) as f:
        f.write(data)


# ---- the use case behind `kg query` ------------------------------------------------------------------


@dataclass
class QueryOutput:
    """What `kg query` prints or writes, and a one-line summary for stderr."""

    data: bytes
    summary: str
    answer: Answer = field(repr=False)


def query_command(location: str, *, text: str | None = None, file: Path | None = None,
                  saved: str | None = None, params: dict[str, str] | None = None, fmt: str = "table",
                  timeout: float | None = None, max_rows: int | None = None,
                  output: Path | None = None, width: int = TABLE_WIDTH, sandbox: bool = True) -> QueryOutput:
    """Resolve the query (text, file or saved), bind parameters, run it under the time limit, format it.

    The query runs in a worker process; with ``sandbox`` (the default) that process has no network.
    ``width``: where the table cuts a cell (0: never).
    """
    sources = [s for s in (text, file, saved) if s]
    if len(sources) != 1:
        raise UsageError("give exactly one query: a SPARQL string, -f FILE or --saved NAME "
                         "(`kg queries` lists the saved ones)")
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; use one of: {', '.join(OUTPUT_FORMATS)}")
    params = params or {}
    if saved or file:
        declared = get_saved(saved) if saved else load_query_file(Path(file))  # type: ignore[arg-type]
        query_text = declared.bind(params)
        if params and any(p.type.startswith("iri:") for p in declared.params):
            from kg.names import resolve_params
            from kg.store import open_store

            with open_store(location, read_only=True) as store:
                # a name ("Mali") becomes its key; one that names nothing: exit 1, with the nearest names
                resolved = resolve_params(store, declared, params)
            if resolved != params:
                query_text = declared.bind(resolved)
    else:
        if params:
            raise UsageError("--param needs a query with declared parameters: use --saved NAME or -f FILE "
                             "with '# param:' header lines")
        query_text = text or ""
    if width < 0:
        raise UsageError(f"--width must be 0 (no limit) or more, not {width}")
    wanted = "table" if fmt == "plain-tsv" else fmt  # both are rendered here from the JSON answer
    answer = run_query(location, query_text, formats=[wanted], strict=True, max_rows=max_rows,
                       timeout=timeout, sandbox=sandbox)
    if fmt == "plain-tsv" and answer.kind == "graph":
        raise UsageError("--format plain-tsv is for SELECT and ASK answers; use turtle, ntriples, jsonld or "
                         "rdfxml for a CONSTRUCT or DESCRIBE query")
    if fmt in ("table", "plain-tsv") and answer.kind != "graph":
        from kg.store import QueryResult

        result = QueryResult.from_json(answer.data)
        text = render_plain_tsv(result) if fmt == "plain-tsv" else render_table(result, width=width)
        data = text.encode("utf-8")
    else:
        data = answer.data
        if data and not data.endswith(b"\n"):
            data += b"\n"
    n = answer.rows
    summary = f"{n} row{'' if n == 1 else 's'}" if n is not None else f"{answer.kind} answer"
    if answer.truncated:
        summary += f" (stopped at --max-rows {max_rows})"
    if output:
        write_atomic(Path(output), data)
        summary = f"wrote {output} ({summary})"
    return QueryOutput(data=data, summary=summary, answer=answer)


def describe_saved(name: str | None = None) -> str:
    """What `kg queries` prints: one line per saved query, or everything about one of them."""
    if name is None:
        library = saved_queries()
        width = max(len(n) for n in library)
        lines = []
        for n, q in library.items():
            params = " ".join(f"{p.name}=" + ("…" if p.default is None else p.default or '""')
                              for p in q.params)
            lines.append(f"{n.ljust(width)}  {q.title}" + (f"  [{params}]" if params else ""))
        lines.append("")
        lines.append("Run one with `kg query --saved NAME [--param NAME=VALUE …]`; "
                     "`kg queries NAME` shows it.")
        return "\n".join(lines) + "\n"
    q = get_saved(name)
    lines = [f"{q.name}: {q.title}", "", q.description, ""]
    if q.params:
        lines.append("Parameters:")
        for p in q.params:
            default = {None: "", "": " (default: empty)"}.get(p.default, f" (default {p.default})")
            lines.append(f"  {p.name} ({p.type}){default}: {p.description}")
    else:
        lines.append("Parameters: none")
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
    lines += ["", body.strip()]
    return "\n".join(lines) + "\n"

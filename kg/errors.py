"""One exception hierarchy; the CLI translates it to exit codes once, at the edge.

Every message is one line that names the problem and, where there is one, the fix.
"""

from __future__ import annotations


class KGError(Exception):
    """Base of every error the package raises on purpose."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(KGError):
    """Bad option, unknown name or format: the user asked for something that does not exist."""

    exit_code = 2


class InputError(KGError):
    """A bad input file: missing column, bad date, bad encoding, unknown code."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: str | None = None) -> None:
        where = ""
        if path:
            where = path
            if line is not None:
                where += f":{line}"
            if column:
                where += f" column {column!r}"
            where += ": "
        super().__init__(where + message)
        self.path, self.line, self.column = path, line, column


class StoreError(KGError):
    """The store cannot be opened, is locked or corrupt, or the remote endpoint failed."""

    exit_code = 2


class SandboxUnavailable(StoreError):
    """The kernel will not cut query workers off the network, and the operator has not opted out."""

    exit_code = 2


class QueryError(KGError):
    """A SPARQL query that does not parse, is refused, or fails while running."""

    exit_code = 1


class QueryRefused(QueryError):
    """A well-formed query that this service will not run (an update, SERVICE, FROM); HTTP 403."""

    http_status = 403


class QueryTimeout(QueryError):
    """A query ran longer than its time limit and was stopped."""


class QueryOverloaded(QueryError):
    """The service is at its limit of queries in flight (or the query's memory limit); HTTP 503."""


class ValidationFailed(KGError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1


class NotFound(KGError):
    """A name (a --param value, a --focus entity, a document, a graph) that names nothing in the graph.

    The message names what was asked for and the nearest names the graph does hold.
    """

    exit_code = 1

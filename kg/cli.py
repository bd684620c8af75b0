"""The ``kg`` command line: parse options, call one library function, print, map errors to exit codes.

Exit codes: 0 success; 1 the command ran and found a problem (SHACL violations, a query error,
rejected inputs); 2 bad usage or an environment error (unknown option or name, store unavailable).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
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
        help="Store to use: a directory (Oxigraph on disk, default .kg/), 'memory', or a SPARQL endpoint URL. "
             "Env: KG_STORE.",
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

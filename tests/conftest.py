"""Shared test fixtures: where ../shared is, and the external programs some tests need."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS_DEV = SHARED / "corpus" / "dev"
IN_CI = os.environ.get("CI", "").lower() == "true"

#: headless Chromium as root on a machine with no network: no sandbox, no background connections
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_program(name: str, why: str) -> str:
    """Path of an external program; skip when missing, but fail under CI=true, where it must be there."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed ({why}); `make test` installs it with scripts/install-system-deps.sh"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_corpus(name: str = "dev") -> Path:
    """A corpus of ../shared (dev, dev2), read in place; skip (with the reason) when ../shared is absent."""
    folder = SHARED / "corpus" / name
    if not (folder / "gold.jsonl").exists():
        pytest.skip(f"the {name} corpus is not at {folder} (../shared is absent)")
    return folder


# ---- the built reference graph (issue 2) ---------------------------------------------------------
@pytest.fixture(scope="session")
def built_store():
    """The full graph (ontology + CAMEO + reference data + bundled statements, validated) in an
    in-memory Oxigraph store, built once per test session with ``build(..., write_exports=False)``.

    Use it read-only (query, dump): it is shared by every test of the session. Yields the
    ``Store``; its ``BuildSummary`` is at ``built_store.summary``.
    """
    from kg.config import Settings
    from kg.pipeline import build
    from kg.store import open_store

    store = open_store("memory")
    store.summary = build(store, Settings(store="memory"), write_exports=False)
    yield store
    store.close()

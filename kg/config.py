"""Settings: a command-line flag wins over a ``KG_*`` environment variable, which wins over the default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_IRI = "https://w3id.org/peacekeeping-kg/"
#: where `kg serve` answers by default; set KG_PUBLIC_URL / --public-url to where the graph is published
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000/"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"KG_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Where things are and how big they may get."""

    base_iri: str = field(default_factory=lambda: _env("BASE_IRI", DEFAULT_BASE_IRI))
    #: a directory (Oxigraph on disk), ``memory`` (Oxigraph in memory) or an ``http(s)://`` endpoint URL
    store: str = field(default_factory=lambda: _env("STORE", str(PROJECT_ROOT / ".kg")))
    data_dir: Path = field(default_factory=lambda: Path(_env("DATA_DIR", str(PROJECT_ROOT / "data"))))
    ontology_dir: Path = field(
        default_factory=lambda: Path(_env("ONTOLOGY_DIR", str(PROJECT_ROOT / "ontology"))))
    exports_dir: Path = field(
        default_factory=lambda: Path(_env("EXPORTS_DIR", str(PROJECT_ROOT / "exports"))))
    #: documents larger than this are rejected at ingest
    max_document_bytes: int = field(
        default_factory=lambda: int(_env("MAX_DOCUMENT_BYTES", str(5 * 1024 * 1024))))
    #: the public base URL the graph is served at (endpoint ``{public_url}sparql``, dumps under
    #: ``{public_url}exports/``), named in void.ttl and the service description
    public_url: str = field(default_factory=lambda: _env("PUBLIC_URL", DEFAULT_PUBLIC_URL))
    #: wall-clock limit for one SPARQL query, in seconds
    query_timeout: float = field(default_factory=lambda: float(_env("QUERY_TIMEOUT", "30")))
    #: query workers run in their own network namespace (no network at all); "off" opts out
    sandbox: bool = field(default_factory=lambda: _env("SANDBOX", "on").strip().lower()
                          not in ("off", "0", "false", "no"))

    @property
    def public_base(self) -> str:
        """``public_url`` ending in ``/``."""
        return self.public_url if self.public_url.endswith("/") else self.public_url + "/"

    @property
    def reference_dir(self) -> Path:
        return self.data_dir / "reference"

    @property
    def statements_dir(self) -> Path:
        return self.data_dir / "statements"

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the given fields replaced; ``None`` values are ignored (flag not given)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

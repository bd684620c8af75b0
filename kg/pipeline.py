"""Use cases that run the whole line: build the graph from the bundled data, ingest documents."""

from __future__ import annotations

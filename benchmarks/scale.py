"""Scale the bundled graph to a target size by replicating its statements and contributions.

The copies are faithful: every statement (with its text selectors), every source document (with its
named graph) and every contribution is repeated with fresh IRIs (``…/statement/{key}-c{n}``,
``…/graph/document/{key}-c{n}``, ``…/contribution/{key}-c{n}``), pointing at the same missions,
countries, people and CAMEO codes. So the reference entities stay as they are and the parts of the
graph that grow in real life (statements, yearly contributions) grow here. Deterministic: the same
input and target give the same bytes.

    from scale import scaled_nquads
    data = scaled_nquads(store, 1_000_000)  # a Store, N-Quads bytes, or None (the bundled graph)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.namespaces import GRAPH_DOCUMENT_PREFIX, GRAPH_ONTOLOGY, ID  # noqa: E402

#: the kinds of resources that are copied
REPLICATED_KINDS = ("statement", "document", "contribution")
_RESOURCE = re.compile(b"<" + re.escape(ID.encode()) + b"(" + b"|".join(k.encode() for k in REPLICATED_KINDS)
                       + b")/([^>#]+)")
_DOC_GRAPH = re.compile(b"<" + re.escape(GRAPH_DOCUMENT_PREFIX.encode()) + b"([^>]+)>")
_ONTOLOGY = f" <{GRAPH_ONTOLOGY}> .".encode()


def bundled_nquads() -> bytes:
    """The bundled graph (ontology, reference data, bundled statements) as N-Quads."""
    from kg.config import Settings
    from kg.pipeline import build
    from kg.store import open_store

    store = open_store("memory")
    build(store, Settings(store="memory"), write_exports=False)
    return store.dump("nquads")


def scaled_nquads(store_or_nquads: object = None, target_triples: int = 1_000_000) -> bytes:
    """About ``target_triples`` quads (never fewer, at most one copy more): the input plus renamed copies.

    ``store_or_nquads`` is a Store, N-Quads bytes, or None for the bundled graph; an int alone is taken
    as the target (``scaled_nquads(1_000_000)``).
    """
    if isinstance(store_or_nquads, int):
        store_or_nquads, target_triples = None, store_or_nquads
    if store_or_nquads is None:
        base = bundled_nquads()
    elif isinstance(store_or_nquads, (bytes, bytearray)):
        base = bytes(store_or_nquads)
    else:
        base = store_or_nquads.dump("nquads")  # type: ignore[attr-defined]
    lines = [line for line in base.splitlines() if line.strip()]
    copyable = [line for line in lines if not line.endswith(_ONTOLOGY)
                and (_RESOURCE.search(line) or _DOC_GRAPH.search(line))]
    if not copyable and len(lines) < target_triples:
        raise ValueError("nothing to replicate: the graph has no statements, documents or contributions")
    out = list(lines)
    graph_prefix = b"<" + GRAPH_DOCUMENT_PREFIX.encode()
    n = 0
    while len(out) < target_triples:
        n += 1
        suffix = b"-c%d" % n
        for line in copyable:
            line = _RESOURCE.sub(lambda m, s=suffix: m.group(0) + s, line)
            out.append(_DOC_GRAPH.sub(lambda m, s=suffix: graph_prefix + m.group(1) + s + b">", line))
    return b"\n".join(out) + b"\n"


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("-o", "--output", required=True, help="N-Quads file to write")
    args = parser.parse_args()
    Path(args.output).write_bytes(scaled_nquads(None, args.triples))

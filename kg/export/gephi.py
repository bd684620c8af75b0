"""GraphML and GEXF of the entity network (kg.viz.project: every entity and relation), for Gephi.

networkx writes nodes and edges in insertion order and stamps GEXF files with today's date;
here the graph is copied in sorted order, attribute values are made scalar with one type per
attribute (characters XML cannot hold become U+FFFD), and the date is left out, so the same
store always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, BinaryIO

import kg
from kg.store import Store

if TYPE_CHECKING:
    import networkx as nx


#: characters XML 1.0 does not allow, even escaped (control characters, non-characters, surrogates)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _scalar(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)  # shown as the replacement character
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return _scalar("; ".join(str(v) for v in items if v is not None))
    if isinstance(value, dict):
        return _scalar(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))
    return _scalar(str(value))


def _clean(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scalar values without None, and text wherever one attribute mixes types."""
    cleaned = [{k: _scalar(v) for k, v in attrs.items() if v is not None} for attrs in items]
    kinds: dict[str, set[type]] = {}
    for attrs in cleaned:
        for k, v in attrs.items():
            kinds.setdefault(k, set()).add(type(v))
    mixed = {k for k, ts in kinds.items() if len(ts) > 1}
    return [{k: str(v) if k in mixed else v for k, v in sorted(attrs.items())} for attrs in cleaned]


def sorted_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same network with nodes, edges and attributes in a stable order."""
    import networkx as nx

    out = nx.MultiDiGraph()
    out.graph.update({k: _scalar(v) for k, v in sorted(graph.graph.items()) if v is not None})
    nodes = sorted(graph.nodes(data=True), key=lambda n: str(n[0]))
    for (node, _), attrs in zip(nodes, _clean([dict(a) for _, a in nodes]), strict=True):
        out.add_node(_scalar(str(node)), **attrs)
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (
        str(e[0]), str(e[1]), json.dumps(e[3], sort_keys=True, default=str), str(e[2])))
    for i, ((u, v, _, _), attrs) in enumerate(zip(edges, _clean([dict(e[3]) for e in edges]), strict=True)):
        out.add_edge(_scalar(str(u)), _scalar(str(v)), key=i, **attrs)
    return out


def _network(store: Store) -> nx.MultiDiGraph:
    from kg import viz

    return sorted_copy(viz.project(store))


def write_graphml(store: Store, out: BinaryIO, *, graph: str | None = None) -> None:
    """GraphML of the entity network."""
    import networkx as nx

    nx.write_graphml(_network(store), out, encoding="utf-8", prettyprint=True, named_key_ids=True)


def write_gexf(store: Store, out: BinaryIO, *, graph: str | None = None) -> None:
    """GEXF 1.2 of the entity network, without the writer's date stamp."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"Peacekeeping KG {kg.__version__}"
    writer.add_graph(_network(store))
    writer.write(out)

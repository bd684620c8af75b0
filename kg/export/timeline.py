"""The timeline view: missions as bars from start to end with arrows from each to its successor, the
statements as marks in the rows of the missions they mention, filters by country and speaker, and a
panel with a statement's quote, sentence and source. One self-contained page that opens from file://.

vis-timeline (``kg/assets/vendor/``, pinned) is inlined with ``://`` written as ``:\\/\\/`` inside its
strings, like vis-network in :mod:`kg.export.html`; every item's content is a DOM node built with
``textContent``, and vis-timeline's own ``xss`` filter stays on.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.html import ASSETS, _write_atomic, dom_js, json_for_script, safe_link, view_template

if TYPE_CHECKING:
    import networkx as nx

VENDOR = Path(__file__).resolve().parent.parent / "assets" / "vendor"
VIS_TIMELINE = "vis-timeline-8.5.4"
TITLE = "Missions and statements over time"


@functools.lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str, str, str]:
    """(vis-timeline JS, its CSS, our template, CSS, JS)."""
    js = (VENDOR / f"{VIS_TIMELINE}.min.js").read_text(encoding="utf-8").replace("://", ":\\/\\/")
    css = (VENDOR / f"{VIS_TIMELINE}.min.css").read_text(encoding="utf-8")
    template, own_css = view_template("timeline", "vis-timeline")
    return js, css, template, own_css, dom_js() + (ASSETS / "timeline.js").read_text(encoding="utf-8")


def _neighbours(graph: nx.MultiDiGraph, node: str, relation: str, node_type: str) -> list[str]:
    out = {v for _, v, r in graph.out_edges(node, data="relation") if r == relation}
    return sorted(v for v in out if graph.nodes[v].get("type") == node_type)


def timeline_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """What the page draws, from :func:`kg.viz.entity_graph`: missions, succession, statements."""
    missions = sorted((n for n, d in graph.nodes(data=True) if d.get("type") == "mission" and d.get("start")),
                      key=lambda n: (str(graph.nodes[n]["start"]), str(graph.nodes[n]["label"]), n))
    index = {n: i for i, n in enumerate(missions)}
    label = {n: str(d.get("label", n)) for n, d in graph.nodes(data=True)}
    rows = []
    for n in missions:
        d = graph.nodes[n]
        rows.append({"id": index[n], "label": label[n], "name": str(d.get("name", "")), "iri": n,
                     "start": str(d["start"]), "end": str(d.get("end", "")),
                     "hosts": [label[c] for c in _neighbours(graph, n, "hostCountry", "country")]})
    succession = sorted({(index[u], index[v]) for u, v, r in graph.edges(data="relation")
                         if r == "successor" and u in index and v in index})
    statements = []
    for n, d in sorted(graph.nodes(data=True)):
        if d.get("type") != "statement" or not d.get("date"):
            continue
        mentioned = _neighbours(graph, n, "mentions", "mission")
        countries = sorted({label[c] for c in _neighbours(graph, n, "mentions", "country")}
                           | {h for m in mentioned if m in index for h in rows[index[m]]["hosts"]})
        url = str(d.get("source_url", ""))
        statements.append({
            "id": len(statements), "label": label[n], "date": str(d["date"]), "iri": n,
            "speakers": [label[p] for _, p, r in graph.out_edges(n, data="relation") if r == "speaker"],
            "missions": [index[m] for m in mentioned if m in index], "countries": countries,
            "quote": str(d.get("quote", "")), "sentence": str(d.get("sentence", "")),
            "source_title": str(d.get("source_title", "")), "source_url": url,
            "source_link": safe_link(url) or ""})
    return {
        "title": TITLE, "missions": rows, "succession": [list(pair) for pair in succession],
        "statements": statements,
        "countries": sorted({c for r in rows for c in r["hosts"]}
                            | {c for s in statements for c in s["countries"]}),
        "speakers": sorted({p for s in statements for p in s["speakers"]}),
    }


def render_timeline(data: dict[str, Any]) -> str:
    """The page for :func:`timeline_data`'s data."""
    vis_js, vis_css, template, css, js = _assets()
    values = {"@@TITLE@@": html.escape(data["title"]), "@@LIB_CSS@@": vis_css, "@@VIEW_CSS@@": css,
              "@@VIS_JS@@": vis_js, "@@DATA@@": json_for_script(data), "@@VIEW_JS@@": js}
    # one pass: a slot's name inside the data (or a library) is never replaced again
    return re.sub("|".join(re.escape(s) for s in values), lambda m: values[m.group(0)], template)


def write_timeline(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the timeline page for the store's entity graph (atomic)."""
    path = Path(path)
    _write_atomic(path, render_timeline(timeline_data(graph)))
    return path

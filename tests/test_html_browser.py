"""The HTML views in headless Chromium, opened from file:// with every network request blocked."""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pytest
from conftest import CHROMIUM_ARGS, require_program

from kg import viz
from kg.export.html import TYPE_STYLES, write_standard_views, write_view
from kg.namespaces import GRAPH_REFERENCE, ID, document_graph
from kg.store import open_store

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures" / "viz"
DOC_KEY = "0123456789abcdef"
XSS_QUOTE = "</script><img src=x onerror=window.__xss=1><script>window.__xss=2</script>"


@pytest.fixture(scope="module")
def store():
    s = open_store("memory")
    s.load((FIXTURES / "reference.ttl").read_bytes(), format="turtle", graph=GRAPH_REFERENCE)
    s.load((FIXTURES / "document.ttl").read_bytes(), format="turtle", graph=document_graph(DOC_KEY))
    yield s
    s.close()


@pytest.fixture(scope="module")
def views(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("views")
    write_standard_views(store, out)
    # a hostile page: markup in labels and titles, a javascript: source link
    graph = nx.MultiDiGraph()
    graph.add_node("p", type="person", label='<img src=x onerror="window.__xss=4">Evil', iri="urn:p")
    graph.add_node("s", type="statement", label="said <b>bold</b>", iri="urn:s", quote=XSS_QUOTE,
                   sentence="</script><svg onload=window.__xss=5>", date="2020-01-01",
                   source_url="javascript:window.__xss=6", source_title="<i>click</i>")
    graph.add_edge("s", "p", relation="speaker", why="</textarea><script>window.__xss=7</script>")
    write_view(graph, out / "hostile.html", title="<script>window.__xss=8</script>")
    return out


@pytest.fixture(scope="module")
def browser():
    chromium = require_program("chromium", "the HTML views are tested in headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """One tab with the network blocked, recording console errors, page errors, requests and dialogs."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())

    def ready(self) -> Page:
        # a selector wait runs in Playwright's own world; wait_for_function would poll with eval, which the
        # page's Content-Security-Policy forbids (the wait then fails whenever the first check is false)
        self.page.wait_for_selector("body[data-ready='true']", state="attached", timeout=20000)
        return self

    def wait_drawn(self, expected: int, timeout: float = 5.0) -> None:
        """Poll the drawn node count from outside the page (CSP-proof) until it is ``expected``."""
        deadline = time.monotonic() + timeout
        while (drawn := self.drawn()) != expected:
            assert time.monotonic() < deadline, f"{drawn} nodes drawn, expected {expected}"
            self.page.wait_for_timeout(50)

    def node_id(self, iri: str) -> int:
        return self.page.evaluate("iri => kg.data.nodes.find(n => n.kg.iri === iri).id", iri)

    def click_node(self, node: int) -> None:
        point = self.page.evaluate("""id => {
            const p = kg.network.canvasToDOM(kg.network.getPositions([id])[id]);
            const r = document.getElementById('kg-network').getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""", node)
        self.page.mouse.click(point["x"], point["y"])

    def drawn(self) -> int:
        return self.page.evaluate("kg.drawnNodeCount()")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages: list[Page] = []

    def opener(path: Path) -> Page:
        pages.append(Page(browser, path))
        return pages[-1]

    yield opener
    for p in pages:
        p.close()


@pytest.mark.parametrize("view", ["overview", "statements"])
def test_view_loads_offline_and_draws_every_node(store, views, open_page, view):
    page = open_page(views / f"{view}.html").ready()
    assert page.drawn() == viz.project(store, view=view).number_of_nodes()
    assert page.errors == []
    assert page.blocked == []
    assert page.page.title() == page.page.evaluate("kg.data.title")


def test_index_links_the_views(views, open_page):
    page = open_page(views / "index.html")
    hrefs = page.page.eval_on_selector_all("a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs == ["overview.html", "statements.html", "timeline.html", "map.html"]
    page.page.click("text=Who said what about peacekeeping")
    page.ready()
    assert page.page.url.endswith("/statements.html")
    assert page.errors == [] and page.blocked == []


def test_search_focuses_a_node_by_alias(views, open_page):
    page = open_page(views / "overview.html").ready()
    civ = page.node_id(f"{ID}country/CIV")
    page.page.fill("#kg-search", "ivory coast")
    page.page.press("#kg-search", "Enter")
    assert page.page.evaluate("kg.network.getSelectedNodes()") == [civ]
    assert page.page.text_content("#kg-details h3") == "Côte d'Ivoire"
    assert page.page.text_content("#kg-search-result") == "Found Côte d'Ivoire (Country)."
    page.page.fill("#kg-search", "unamsil")
    page.page.press("#kg-search", "Enter")
    assert page.page.evaluate("kg.network.getSelectedNodes()") == [page.node_id(f"{ID}mission/UNAMSIL")]


def test_type_filter_hides_nodes(store, views, open_page):
    page = open_page(views / "overview.html").ready()
    graph = viz.project(store, view="overview")
    missions = sum(1 for _, t in graph.nodes(data="type") if t == "mission")
    page.page.uncheck("#kg-legend input[data-type=country]")
    page.wait_drawn(missions)
    assert page.drawn() == missions
    page.page.check("#kg-legend input[data-type=country]")
    page.wait_drawn(graph.number_of_nodes())


def test_date_filter_matches_the_projection(store, views, open_page):
    page = open_page(views / "overview.html").ready()
    expected = viz.project(store, view="overview", date_from="2010", date_to="2012").number_of_nodes()
    page.page.fill("#kg-from", "2010")
    page.page.fill("#kg-to", "2012")
    page.page.click("#kg-date-form button[type=submit]")
    page.wait_drawn(expected)
    page.page.fill("#kg-from", "2010/1")
    page.page.click("#kg-date-form button[type=submit]")
    assert page.page.text_content("#kg-date-result") == "Write dates as YYYY, YYYY-MM or YYYY-MM-DD."


def test_clicking_a_statement_shows_quote_sentence_date_and_source(views, open_page):
    page = open_page(views / "statements.html").ready()
    node = page.node_id(f"{ID}statement/{DOC_KEY}-34-90")
    page.click_node(node)
    page.page.wait_for_selector(f"#kg-details[data-node='{node}']", timeout=5000)
    quote = "MINUSMA needs the support promised under A4P"
    assert page.page.text_content("#kg-details blockquote") == f"“{quote}”"
    assert page.page.text_content("#kg-details mark") == "Lacroix stressed that MINUSMA needed A4P support."
    facts = page.page.eval_on_selector_all("#kg-details dl:first-of-type dt, #kg-details dl:first-of-type dd",
                                           "els => els.map(e => e.textContent)")
    assert facts[:4] == ["Date", "2019-03-28", "Speaker", "Jean-Pierre Lacroix"]
    link = page.page.query_selector("#kg-details a")
    assert link.get_attribute("href") == "https://news.example.org/2003/unamsil-briefing"
    assert link.text_content() == "Peacekeepers <b>in</b> Sierra Leone & Mali"
    assert page.errors == [] and page.blocked == []


def test_xss_payloads_show_as_text_and_never_run(views, open_page):
    page = open_page(views / "statements.html").ready()
    node = page.node_id(f"{ID}statement/{DOC_KEY}-91-150")
    page.click_node(node)
    page.page.wait_for_selector(f"#kg-details[data-node='{node}']", timeout=5000)
    assert page.page.text_content("#kg-details blockquote") == f"“{XSS_QUOTE}”"
    page.page.mouse.move(5, 5)
    page.click_node(node)  # hover and click again: vis-network's tooltip path
    hostile = open_page(views / "hostile.html").ready()
    assert hostile.page.title() == "<script>window.__xss=8</script>"
    hostile.click_node(hostile.node_id("urn:s"))
    hostile.page.wait_for_selector("#kg-details blockquote", timeout=5000)
    assert hostile.page.text_content("#kg-details mark") == "</script><svg onload=window.__xss=5>"
    assert hostile.page.query_selector_all("#kg-details a") == []  # javascript: is no link
    assert "<i>click</i>" in hostile.page.text_content("#kg-details")
    hostile.page.click("#kg-details .kg-link")  # the speaker's (hostile) label, as a button
    hostile.click_node(hostile.node_id("urn:p"))  # and its tooltip on hover
    hostile.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert hostile.page.text_content("div.vis-tooltip").startswith('<img src=x onerror="window.__xss=4">Evil')
    for p in (page, hostile):
        assert p.page.evaluate("typeof window.__xss") == "undefined"
        assert p.page.query_selector_all("body img, body svg:not(.vis-network svg)") == []
        assert p.dialogs == [] and p.errors == [] and p.blocked == []


# ---- readable with a corpus: labels, in-page exploration, groups, sizes (issue 13) ---------------------


def overlapping(boxes: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of label boxes (screen pixels) that overlap."""
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]]


def test_statement_nodes_are_labelled_with_speaker_verb_and_date(store):
    graph = viz.project(store, view="statements")
    labels = {d["label"] for _, d in graph.nodes(data=True) if d["type"] == "statement"}
    assert labels == {"Adeniji said, 2003-05-06", "Lacroix stressed, 2019-03-28",
                      "Ladsous warned, 2014-10-01"}


def test_missions_are_laid_out_apart():
    positions = {"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (1.0, 1.0), "x": (0.5, 0.5)}
    out = viz.separate(positions, ["a", "b", "c"], distance=100.0)
    assert out["x"] == (0.5, 0.5)  # only the missions move
    for u, v in (("a", "b"), ("a", "c"), ("b", "c")):
        (x1, y1), (x2, y2) = out[u], out[v]
        assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 99.0
    assert viz.separate(positions, ["a", "b", "c"], distance=100.0) == out  # deterministic


def test_labels_never_overlap_and_follow_the_zoom(views, open_page):
    page = open_page(views / "statements.html").ready()
    page.page.wait_for_timeout(200)
    first = page.page.evaluate("kg.labels()")
    assert first and overlapping(first) == []
    page.page.evaluate("kg.network.moveTo({scale: kg.network.getScale() * 3})")
    page.page.wait_for_timeout(200)
    zoomed = page.page.evaluate("kg.labels()")
    assert overlapping(zoomed) == []
    assert {b["id"] for b in zoomed} != {b["id"] for b in first}  # a closer look shows other labels


def test_hide_others_expand_focus_and_path_in_the_page(store, views, open_page):
    page = open_page(views / "statements.html").ready()
    graph = viz.project(store, view="statements")
    lacroix = page.node_id(f"{ID}person/jean-pierre-lacroix")
    page.click_node(lacroix)
    page.page.wait_for_selector(f"#kg-details[data-node='{lacroix}']", timeout=5000)
    page.page.click("#kg-details button[data-action=hide-others]")
    neighbourhood = set(nx.ego_graph(graph.to_undirected(), f"{ID}person/jean-pierre-lacroix", radius=1))
    page.wait_drawn(len(neighbourhood))
    assert page.page.is_visible("#kg-reset")
    statement = page.node_id(f"{ID}statement/{DOC_KEY}-34-90")
    page.page.evaluate("id => kg.select(id)", statement)
    page.page.click("#kg-details button[data-action=expand]")
    grown = set(neighbourhood) | set(nx.ego_graph(graph.to_undirected(), f"{ID}statement/{DOC_KEY}-34-90",
                                                  radius=1))
    page.wait_drawn(len(grown))
    # the path from Lacroix to the farthest named node he is linked to
    page.page.evaluate("id => kg.select(id)", lacroix)
    lengths = nx.single_source_shortest_path_length(graph.to_undirected(), f"{ID}person/jean-pierre-lacroix")
    target = max((n for n in lengths if graph.nodes[n].get("name")), key=lambda n: (lengths[n], n))
    expected = lengths[target]
    assert expected >= 2
    page.page.fill("#kg-details .kg-path input", graph.nodes[target]["name"])
    page.page.click("#kg-details .kg-path button")
    page.wait_drawn(expected + 1)
    assert page.page.text_content("#kg-details .kg-path-result").startswith(f"{expected} steps: ")
    page.page.click("#kg-reset")
    page.wait_drawn(graph.number_of_nodes())
    assert page.errors == [] and page.blocked == []


def test_groups_by_speaker_open_on_click_and_sizes_follow_the_metric(store, views, open_page):
    page = open_page(views / "statements.html").ready()
    total = page.drawn()
    page.page.select_option("#kg-group", "speaker")
    grouped = page.drawn()
    assert grouped < total
    cluster = page.page.evaluate("kg.network.body.nodeIndices.find(id => kg.network.isCluster(id))")
    assert cluster is not None and cluster.startswith("group:")
    point = page.page.evaluate("""id => { const p = kg.network.canvasToDOM(kg.network.getPositions([id])[id]);
        const r = document.getElementById('kg-network').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""", cluster)
    members = page.page.evaluate("id => kg.network.getNodesInCluster(id).length", cluster)
    assert members >= 2
    page.page.mouse.click(point["x"], point["y"])
    page.wait_drawn(grouped - 1 + members)
    page.page.select_option("#kg-group", "")
    page.wait_drawn(total)
    # size by statements: the speaker of the most statements is the biggest node
    page.page.select_option("#kg-size", "statements")
    sizes = page.page.evaluate("() => kg.data.nodes.map(n => [n.kg.iri, kg.nodes.get(n.id).size])")
    graph = viz.project(store, view="statements")
    said = {n: sum(1 for m in nx.all_neighbors(graph, n) if graph.nodes[m]["type"] == "statement")
            for n in graph}
    biggest = max(sizes, key=lambda item: (item[1], item[0]))[0]
    assert said[biggest] == max(said.values())
    assert min(size for _, size in sizes) == 7
    assert page.errors == [] and page.blocked == []


def test_colour_by_a_metric_recolours_the_nodes_and_shows_a_scale(store, views, open_page):
    page = open_page(views / "statements.html").ready()
    graph = viz.project(store, view="statements")

    def colours() -> dict[str, str]:
        return dict(page.page.evaluate("""() => kg.data.nodes.map(n => { const c = kg.nodes.get(n.id).color;
            return [n.kg.iri, typeof c === 'string' ? c : c.background]; })"""))

    by_type = colours()
    assert by_type == {n: TYPE_STYLES[d["type"]][1] for n, d in graph.nodes(data=True)}
    assert page.page.is_hidden("#kg-scale")
    page.page.select_option("#kg-colour", "degree")
    degree = {n: len(set(graph.in_edges(n, keys=True)) | set(graph.out_edges(n, keys=True))) for n in graph}
    by_degree = colours()
    assert by_degree != by_type
    peak = max(degree.values())
    for n, count in degree.items():  # the scale's colour for the node's count (log scale), grey for none
        assert by_degree[n] == page.page.evaluate("([v, p]) => kg.colourOf(v, p)", [count, peak]), n
    assert {by_degree[n] for n, count in degree.items() if count == peak} == {"#fde725"}
    assert {by_degree[n] for n, count in degree.items() if count == 1} == {"#440154"}
    assert len(set(by_degree.values())) >= 3
    assert page.page.is_visible("#kg-scale .kg-scale-bar")
    assert page.page.text_content("#kg-scale .kg-scale-ticks span:last-child") == f"{peak:,}"
    # another metric gives other colours: only speakers and what statements mention have statements
    page.page.select_option("#kg-colour", "statements")
    by_statements = colours()
    assert by_statements != by_degree
    assert {by_statements[n] for n, d in graph.nodes(data=True) if d["type"] == "statement"} == {"#c9ced6"}
    page.page.select_option("#kg-colour", "type")
    assert colours() == by_type and page.page.is_hidden("#kg-scale")
    assert page.errors == [] and page.blocked == []


def test_the_dev_corpus_statements_view_has_no_overlapping_labels(browser, tmp_path):
    """The bar of issue 13: 250 nodes from the 25 dev texts, labels readable at the initial zoom."""
    from conftest import require_corpus

    from kg.config import Settings
    from kg.pipeline import build, ingest

    corpus = require_corpus()
    with open_store("memory") as store:
        settings = Settings(store="memory")
        build(store, settings, write_exports=False)
        ingest(store, [corpus], settings)
        write_standard_views(store, tmp_path)
    page = Page(browser, tmp_path / "statements.html").ready()
    try:
        page.page.wait_for_timeout(300)
        boxes = page.page.evaluate("kg.labels()")
        nodes = page.page.evaluate("kg.data.nodes.length")
        assert nodes >= 200
        assert overlapping(boxes) == []
        assert len(boxes) >= 40, f"only {len(boxes)} labels of {nodes} nodes"
        labels = page.page.evaluate(
            "() => kg.data.nodes.filter(n => n.kg.type === 'statement').map(n => n.label)")
        assert sum(1 for label in labels if ", " in label and " " in label.split(", ")[0]) > len(labels) / 2
        assert page.errors == [] and page.blocked == []
    finally:
        page.close()


# ---- 3,000 nodes (issue 13: "usable at 3,000") ----------------------------------------------------------

BIG_TYPES = ["statement"] * 6 + ["country", "mission", "person", "body"]


@pytest.fixture(scope="module")
def big_view(tmp_path_factory) -> tuple[nx.MultiDiGraph, Path]:
    """A 3,000-node graph shaped like ours (hubs and many statements; Barabási-Albert, 2 edges per node),
    written as the standard views are: not sampled, since 3,000 is the default limit."""
    base = nx.barabasi_albert_graph(3000, 2, seed=3)
    graph = nx.MultiDiGraph()
    for i in base.nodes:
        kind = BIG_TYPES[(i * 7) % len(BIG_TYPES)]
        graph.add_node(f"n{i:05}", type=kind, label=f"{kind} {i}", iri=f"urn:x:{i}", name=f"{kind} {i}",
                       **({"date": f"{1990 + i % 30}-01-01"} if kind == "statement" else {}))
    for u, v in sorted(base.edges):
        graph.add_edge(f"n{u:05}", f"n{v:05}", relation="mentions", why="generated")
    path = tmp_path_factory.mktemp("big") / "big.html"
    write_view(graph, path, title="3,000 nodes")
    return graph, path


def test_a_3000_node_view_draws_and_its_search_filters_focus_and_colours_work(big_view, open_page):
    graph, path = big_view
    page = open_page(path).ready()
    page.page.wait_for_timeout(200)
    assert page.drawn() == 3000 and page.page.is_hidden("#kg-notice")
    boxes = page.page.evaluate("kg.labels()")
    assert len(boxes) >= 50 and overlapping(boxes) == []  # the hubs are named, never on top of each other
    # search: the node is selected, centred and its panel shown
    page.page.fill("#kg-search", "person 1004")
    page.page.click("#kg-search-form button[type=submit]")
    node = page.node_id("urn:x:1004")
    page.page.wait_for_selector(f"#kg-details[data-node='{node}']", timeout=5000)
    assert page.page.evaluate("kg.network.getSelectedNodes()") == [node]
    # focus: the two-hop neighbourhood only
    page.page.click("#kg-details button[data-action=focus]")
    two_hops = nx.ego_graph(graph.to_undirected(), "n01004", radius=2)
    page.wait_drawn(len(two_hops), timeout=10)
    page.page.click("#kg-reset")
    page.wait_drawn(3000, timeout=10)
    # type filter
    page.page.uncheck("#kg-legend input[data-type=statement]")
    statements = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "statement")
    page.wait_drawn(3000 - statements, timeout=10)
    page.page.check("#kg-legend input[data-type=statement]")
    page.wait_drawn(3000, timeout=10)
    # colour by connections: the biggest hub is at the top of the scale
    page.page.select_option("#kg-colour", "degree")
    hub = max(graph.nodes, key=lambda n: (graph.degree(n), n))
    hub_id = page.node_id(graph.nodes[hub]["iri"])
    colour = page.page.evaluate("id => kg.nodes.get(id).color.background", hub_id)
    assert colour == "#fde725"
    assert page.errors == [] and page.blocked == []


# ---- the timeline view (issue 13) ----------------------------------------------------------------------


def test_timeline_data_has_missions_in_order_their_successors_and_dated_statements(store):
    from kg.export.timeline import timeline_data

    data = timeline_data(viz.entity_graph(store))
    labels = [m["label"] for m in data["missions"]]
    starts = [m["start"] for m in data["missions"]]
    assert starts == sorted(starts) and {"UNOMSIL", "UNAMSIL", "UNIFIL"} <= set(labels)
    assert [labels.index("UNOMSIL"), labels.index("UNAMSIL")] in data["succession"]
    lacroix = next(s for s in data["statements"] if s["label"] == "Lacroix stressed, 2019-03-28")
    assert lacroix["speakers"] == ["Jean-Pierre Lacroix"] and lacroix["countries"] == ["Mali"]
    assert [data["missions"][m]["label"] for m in lacroix["missions"]] == ["MINUSMA"]
    assert lacroix["source_link"] == "https://news.example.org/2003/unamsil-briefing"


def test_timeline_draws_succession_filters_and_opens_a_statement(views, open_page):
    page = open_page(views / "timeline.html").ready()
    page.page.wait_for_timeout(200)
    data = page.page.evaluate("kgTimeline.data")
    assert page.page.evaluate("kgTimeline.arrows()") == len(data["succession"]) >= 1
    arrow = page.page.query_selector("#kg-arrows path[data-from]")
    pair = [int(arrow.get_attribute("data-from")), int(arrow.get_attribute("data-to"))]
    assert pair in data["succession"]
    marks = "() => kgTimeline.items.get().filter(i => i.id[0] === 's').length"
    missions = ("() => kgTimeline.items.get().filter(i => i.id[0] === 'm')"
                ".map(i => i.content.textContent).sort()")
    assert page.page.evaluate(marks) == len(data["statements"]) == 3  # one mission each
    page.page.select_option("#kg-speaker", "Jean-Pierre Lacroix")
    page.page.wait_for_timeout(200)
    assert page.page.evaluate(marks) == 1
    assert page.page.evaluate(missions) == ["MINUSMA"]
    page.page.click(".vis-item.kg-statement >> visible=true")
    page.page.wait_for_selector("#kg-details blockquote", timeout=5000)
    quote = "MINUSMA needs the support promised under A4P"
    assert page.page.text_content("#kg-details blockquote") == f"“{quote}”"
    link = page.page.query_selector("#kg-details a")
    assert link.get_attribute("href") == "https://news.example.org/2003/unamsil-briefing"
    page.page.select_option("#kg-speaker", "")
    page.page.select_option("#kg-country", "Sierra Leone")
    page.page.wait_for_timeout(200)
    assert page.page.evaluate(missions) == ["UNAMSIL", "UNOMSIL"]
    assert page.page.evaluate("kgTimeline.arrows()") == 1
    assert page.errors == [] and page.blocked == []


def test_timeline_keeps_hostile_strings_as_text(open_page, tmp_path):
    from kg.export.timeline import write_timeline

    graph = nx.MultiDiGraph()
    graph.add_node("m", type="mission", label='<img src=x onerror="window.__xss=1">M', start="2001-01-01",
                   end="2002-01-01", iri="urn:m")
    graph.add_node("p", type="person", label="<script>window.__xss=2</script>", iri="urn:p")
    graph.add_node("s", type="statement", label="@@VIEW_JS@@ <b>said</b>", date="2001-06-01", iri="urn:s",
                   quote=XSS_QUOTE, sentence="</script><svg onload=window.__xss=3>",
                   source_url="javascript:window.__xss=4", source_title="<i>click</i>")
    graph.add_edge("s", "p", relation="speaker")
    graph.add_edge("s", "m", relation="mentions")
    page = open_page(write_timeline(graph, tmp_path / "hostile.html")).ready()
    page.page.wait_for_timeout(200)
    assert page.page.text_content(".vis-item.kg-statement >> visible=true") == "@@VIEW_JS@@ <b>said</b>"
    page.page.click(".vis-item.kg-statement >> visible=true")
    page.page.wait_for_selector("#kg-details blockquote", timeout=5000)
    assert page.page.text_content("#kg-details blockquote") == f"“{XSS_QUOTE}”"
    assert page.page.query_selector_all("#kg-details a") == []
    assert page.page.evaluate("typeof window.__xss") == "undefined"
    assert page.page.query_selector_all("body img, #kg-main svg:not(#kg-arrows)") == []
    assert page.dialogs == [] and page.errors == [] and page.blocked == []

"""kg.viz (RDF -> networkx) and kg.export.html (the page writer), on a small hand-written graph."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg import viz
from kg.cli import main
from kg.errors import NotFound, UsageError
from kg.export import html as html_export
from kg.namespaces import GRAPH_REFERENCE, ID, document_graph, sparql_prologue
from kg.store import OxigraphStore, open_store

FIXTURES = Path(__file__).parent / "fixtures" / "viz"
DOC_KEY = "0123456789abcdef"
XSS_QUOTE = "</script><img src=x onerror=window.__xss=1><script>window.__xss=2</script>"


def load_fixture(store) -> None:
    store.load((FIXTURES / "reference.ttl").read_bytes(), format="turtle", graph=GRAPH_REFERENCE)
    store.load((FIXTURES / "document.ttl").read_bytes(), format="turtle", graph=document_graph(DOC_KEY))


@pytest.fixture(scope="module")
def store():
    s = open_store("memory")
    load_fixture(s)
    yield s
    s.close()


def iri(kind: str, key: str) -> str:
    return f"{ID}{kind}/{key}"


def column(store, sparql: str, var: str) -> set[str]:
    return {v for v in store.query(sparql_prologue() + sparql).column(var) if v is not None}


# ---- projection ---------------------------------------------------------------------------------

def test_overview_has_missions_hosts_and_contributors(store):
    graph = viz.project(store, view="overview")
    missions = column(store, "SELECT ?m WHERE { ?m a pk:PeacekeepingMission }", "m")
    countries = column(store, "SELECT ?c WHERE { { ?m pk:hostCountry ?c } UNION { ?x pk:contributor ?c } }",
                       "c")
    assert set(graph.nodes) == missions | countries
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"mission", "country"}
    hosts = store.query(sparql_prologue() + "SELECT ?m ?c WHERE { ?m pk:hostCountry ?c }").rows
    assert sorted((u, v) for u, v, r in graph.edges(data="relation") if r == "hostCountry") == sorted(
        (str(r["m"]), str(r["c"])) for r in hosts)
    pairs = store.query(sparql_prologue() + "SELECT DISTINCT ?c ?m WHERE { ?x pk:contributor ?c ; "
                                            "pk:mission ?m }").rows
    assert sorted((u, v) for u, v, r in graph.edges(data="relation") if r == "contributor") == sorted(
        (str(r["c"]), str(r["m"])) for r in pairs)


def test_personnel_is_the_peak_yearly_total(store):
    graph = viz.project(store, view="overview")
    # UNAMSIL in the fixture: 2000 = 3000 (IND); 2001 = 780 + 3300; 2002 = 820 + 4200 + 2100
    assert graph.nodes[iri("mission", "UNAMSIL")]["personnel"] == 820 + 4200 + 2100
    edge = graph.get_edge_data(iri("country", "GHA"), iri("mission", "UNAMSIL"))["contributor"]
    assert (edge["start"], edge["end"], edge["personnel"]) == ("2001", "2002", 820)
    assert edge["why"] == ("Ghana contributed uniformed personnel to UNAMSIL "
                           "(peak yearly average 820, 2001–2002)")
    assert "personnel" not in graph.nodes[iri("mission", "UNOMSIL")]  # no contribution on record


def test_statements_view(store):
    graph = viz.project(store, view="statements")
    statements = column(store, "SELECT ?s WHERE { ?s a pk:Statement }", "s")
    assert {n for n, t in graph.nodes(data="type") if t == "statement"} == statements
    assert {r for _, _, r in graph.edges(data="relation")} == {"speaker", "mentions", "addressee"}
    assert {graph.nodes[u]["type"] for u, _ in graph.edges()} == {"statement"}
    assert f"{ID}document/{DOC_KEY}" not in graph and iri("country", "LBN") not in graph
    st = graph.nodes[f"{ID}statement/{DOC_KEY}-34-90"]
    assert st["quote"] == "MINUSMA needs the support promised under A4P"
    assert st["sentence"] == "Lacroix stressed that MINUSMA needed A4P support."
    assert st["date"] == "2019-03-28"
    assert st["speaker"] == "Jean-Pierre Lacroix"
    assert st["source_url"] == "https://news.example.org/2003/unamsil-briefing"
    assert st["label"] == "Lacroix stressed, 2019-03-28"  # speaker, verb, date: told apart at a glance
    mentioned = {v for u, v, r in graph.edges(data="relation") if u == f"{ID}statement/{DOC_KEY}-34-90"
                 and r == "mentions"}
    assert mentioned == {iri("mission", "MINUSMA"), iri("framework", "a4p"), iri("country", "MLI")}


@pytest.mark.parametrize("name, short", [
    ("Jean-Pierre Lacroix", "Lacroix"),
    ("Ban Ki-moon", "Ban"),
    ("Choi Young-jin", "Choi"),
    ("Aideed", "Aideed"),
])
def test_a_statement_label_names_a_person_as_the_news_does(name, short):
    """'Ban condemned', not 'Ki-moon condemned': a Korean name puts the family name first."""
    assert viz._short_name(name, "person") == short


def test_all_view_types_and_relations(store):
    graph = viz.project(store)
    types = dict(graph.nodes(data="type"))
    assert types[iri("body", "ecowas")] == "organization"
    assert types[iri("resolution", "S-RES-1270-1999")] == "resolution"
    assert types[f"{ID}document/{DOC_KEY}"] == "document"
    held = [(u, v, d) for u, v, d in graph.edges(data=True) if d["relation"] == "heldPost"]
    assert (iri("person", "oluyemi-adeniji"), iri("mission", "UNAMSIL")) in [(u, v) for u, v, _ in held]
    # successor is kept once, predecessor (its inverse) is not projected twice
    pair = {iri("mission", "UNOMSIL"), iri("mission", "UNAMSIL")}
    assert [r for u, v, r in graph.edges(data="relation") if {u, v} == pair] == ["successor"]
    assert not any(t == "other" for t in types.values())


def test_attributes_are_graphml_and_gexf_safe(store):
    graph = viz.project(store)
    kinds: dict[str, set[type]] = {}
    for _, attrs in list(graph.nodes(data=True)) + [(None, d) for *_, d in graph.edges(data=True)]:
        for key, value in attrs.items():
            assert isinstance(value, (str, int, float)) and not isinstance(value, bool), (key, value)
            kinds.setdefault(key, set()).add(type(value))
    assert {k: t for k, t in kinds.items() if len(t) > 1} == {}
    buf = io.BytesIO()
    nx.write_graphml(graph, buf)
    back = nx.read_graphml(io.BytesIO(buf.getvalue()))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.nodes[iri("mission", "UNAMSIL")]["personnel"] == 7120
    buf = io.BytesIO()
    nx.write_gexf(graph, buf)
    assert nx.read_gexf(io.BytesIO(buf.getvalue())).number_of_nodes() == graph.number_of_nodes()


# ---- focus and name resolution --------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("UNAMSIL", iri("mission", "UNAMSIL")),
    ("unamsil", iri("mission", "UNAMSIL")),
    ("United Nations Mission in Liberia", iri("mission", "UNMIL")),
    ("Ivory Coast", iri("country", "CIV")),
    ("herve ladsous", iri("person", "herve-ladsous")),
    ("SLE", iri("country", "SLE")),
    ("S/RES/1270 (1999)", iri("resolution", "S-RES-1270-1999")),
    (iri("framework", "a4p"), iri("framework", "a4p")),
])
def test_focus_finds_entities_by_acronym_name_alias_or_iri(store, name, expected):
    assert viz.project(store, focus=name, depth=0).graph["focus"] == expected
    assert viz.find_entity(store, name) == expected


def test_focus_neighbourhood_by_depth(store):
    one = viz.project(store, focus="UNAMSIL", depth=1)
    expected = {iri("mission", k) for k in ("UNAMSIL", "UNOMSIL")} | {
        iri("country", k) for k in ("SLE", "GHA", "NGA", "IND", "PAK", "BGD")} | {
        iri("resolution", "S-RES-1270-1999"), iri("person", "oluyemi-adeniji"),
        f"{ID}statement/{DOC_KEY}-0-33"}
    assert set(one.nodes) == expected
    two = viz.project(store, focus="UNAMSIL", depth=2)
    assert set(one.nodes) < set(two.nodes)
    assert iri("mission", "UNMIL") in two  # via Ghana, Nigeria, Pakistan
    assert set(viz.project(store, focus="UNAMSIL", depth=0).nodes) == {iri("mission", "UNAMSIL")}


def test_unknown_focus_suggests_near_names(store):
    with pytest.raises(NotFound) as err:
        viz.project(store, focus="UNAMSL")
    assert str(err.value) == ("no entity is called 'UNAMSL'; did you mean: UNAMSIL, UNOMSIL, UNMIL, UNSC? "
                              "(--focus takes an acronym, name, alias or IRI)")
    with pytest.raises(NotFound) as err:
        viz.project(store, focus="Lacroux")
    assert str(err.value) == ("no entity is called 'Lacroux'; did you mean: Jean-Pierre Lacroix? "
                              "(--focus takes an acronym, name, alias or IRI)")
    with pytest.raises(NotFound) as err:
        viz.project(store, focus="xyzzy")
    assert str(err.value) == ("no entity is called 'xyzzy'; --focus takes an acronym (UNAMSIL), a name, "
                              "an alias or an IRI")


def test_ambiguous_name_lists_the_candidates():
    s = open_store("memory")
    s.load(f"""<{iri('country', 'AAA')}> a <https://w3id.org/peacekeeping-kg/ontology#Country> ;
        <http://www.w3.org/2004/02/skos/core#altLabel> "Congo" .
        <{iri('country', 'BBB')}> a <https://w3id.org/peacekeeping-kg/ontology#Country> ;
        <http://www.w3.org/2004/02/skos/core#altLabel> "Congo" .""".encode(),
           format="turtle", graph=GRAPH_REFERENCE)
    with pytest.raises(UsageError) as err:
        viz.project(s, focus="congo")
    assert str(err.value) == (f"'congo' names 2 entities: AAA (country, {iri('country', 'AAA')}); "
                              f"BBB (country, {iri('country', 'BBB')}); pass the IRI instead")


# ---- filters ------------------------------------------------------------------------------------------

def test_types_filter_keeps_the_focus(store):
    graph = viz.project(store, focus="UNAMSIL", depth=2, types=["country"])
    assert {t for n, t in graph.nodes(data="type") if n != iri("mission", "UNAMSIL")} == {"country"}
    assert iri("mission", "UNAMSIL") in graph
    with pytest.raises(UsageError) as err:
        viz.project(store, types=["missions"])
    assert str(err.value) == ("unknown type 'missions' in --types (did you mean mission?); use some of: "
                              "mission, country, person, statement, body, organization, framework, "
                              "resolution, document, other")


def test_date_range_keeps_what_overlaps(store):
    graph = viz.project(store, view="overview", date_from="2010", date_to="2012")
    # UNMIL (2003-09..2018) and UNIFIL (1978.., open) overlap; UNAMSIL ended 2005, MINUSMA began 2013;
    # of the contributions only Pakistan's to UNMIL (2010) falls in the range
    assert set(graph.nodes) == {iri("mission", "UNMIL"), iri("mission", "UNIFIL"), iri("country", "LBR"),
                                iri("country", "LBN"), iri("country", "PAK")}
    # a year-precision end (2005) overlaps a month-precision start (2005-06)
    mixed = viz.project(store, view="overview", date_from="2005-06", date_to="2005-07")
    assert iri("country", "GHA") in mixed and iri("mission", "UNAMSIL") in mixed
    assert iri("country", "IND") not in mixed


@pytest.mark.parametrize("kwargs, message", [
    ({"date_from": "2010/01"}, "--from '2010/01' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"date_to": "May 2010"}, "--to 'May 2010' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"date_from": "2012", "date_to": "2010-05"}, "--from 2012 is after --to 2010-05; swap them"),
    ({"view": "map"}, "unknown view 'map'; use one of: all, overview, statements"),
    ({"depth": -1}, "--depth must be 0 or more, not -1"),
])
def test_bad_arguments_are_usage_errors(store, kwargs, message):
    with pytest.raises(UsageError) as err:
        viz.project(store, **kwargs)
    assert str(err.value) == message


# ---- sampling and layout --------------------------------------------------------------------------------

def test_sample_keeps_the_most_connected_and_says_so(store):
    graph = viz.project(store)
    small, notice = viz.sample(graph, 10)
    assert small.number_of_nodes() == 10
    degree = dict(graph.degree())
    assert min(degree[n] for n in small) >= max(degree[n] for n in graph if n not in small)
    assert notice == small.graph["notice"]
    assert notice.startswith(f"This view shows the 10 most connected of {graph.number_of_nodes()} nodes")
    same, none = viz.sample(graph, graph.number_of_nodes())
    assert none is None and same is graph
    focused = viz.project(store, focus="Ecowas", depth=3)  # an isolated node stays when sampled
    assert set(viz.sample(focused, 1)[0].nodes) == {iri("body", "ecowas")}


def test_layout_is_deterministic_and_separates_nodes(store):
    graph = viz.project(store)
    first = viz.layout(graph)
    assert first == viz.layout(graph)
    assert set(first) == set(graph.nodes)
    assert len(set(first.values())) == len(first)
    assert all(isinstance(c, int) for xy in first.values() for c in xy)


def test_numpy_spring_layout_for_big_components():
    graph = nx.MultiDiGraph()
    for i in range(600):
        graph.add_node(f"n{i:04}", type="country", label=f"n{i}")
        if i:
            graph.add_edge(f"n{i:04}", f"n{(i * 7) % i:04}", relation="mentions")
    pos = viz.layout(graph)
    assert pos == viz.layout(graph)
    assert len(set(pos.values())) == 600


# ---- the written page -------------------------------------------------------------------------------------

def data_block(text: str) -> str:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    assert match, "no data block"
    return match.group(1)


def test_page_escapes_every_string_from_the_data(store, tmp_path):
    graph = viz.project(store, view="all")
    path = html_export.write_view(graph, tmp_path / "all.html", title="Test <script>alert(1)</script> & co")
    text = path.read_text(encoding="utf-8")
    assert "<img src=x" not in text
    assert "<b>in</b>" not in text
    assert "<script>alert(1)" not in text
    assert "<title>Test &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in text
    # exactly three script elements close (vis-network, data, the view) and no comment opens inside one
    assert text.lower().count("</script") == 3 and "<!--" not in text
    block = data_block(text)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    quotes = {n["kg"]["statement"]["quote"] for n in data["nodes"] if "statement" in n["kg"]}
    assert XSS_QUOTE in quotes
    labels = {n["label"] for n in data["nodes"]}
    assert "Peacekeepers <b>in</b> Sierra Leone & Mali" in labels


def test_page_has_no_network_reference(store, tmp_path):
    path = html_export.write_view(viz.project(store), tmp_path / "v.html", title="t")
    text = path.read_text(encoding="utf-8")
    outside = text.replace(data_block(text), "")
    assert "http://" not in outside and "https://" not in outside
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", outside, re.I)
    assert "default-src 'none'" in outside


def test_view_script_never_uses_markup_sinks():
    script = (html_export.ASSETS / "view.js").read_text(encoding="utf-8")
    script = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_json_for_script_escapes_breakouts():
    text = html_export.json_for_script({"q": "</script><!-- & \u2028\u2029"})
    assert text == '{"q":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'
    assert json.loads(text) == {"q": "</script><!-- & \u2028\u2029"}


@pytest.mark.parametrize("url, expected", [
    ("https://news.example.org/a?b=1", "https://news.example.org/a?b=1"),
    ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("https://", None),
    ("//example.org/x", None),
    ("file:///etc/passwd", None),
])
def test_safe_link(url, expected):
    assert html_export.safe_link(url) == expected


def test_output_is_byte_identical(store, tmp_path):
    first = html_export.write_standard_views(store, tmp_path / "a")
    second = html_export.write_standard_views(store, tmp_path / "b")
    assert [p.name for p in first] == ["overview.html", "statements.html", "timeline.html", "map.html",
                                       "index.html"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    index = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    for name in ("overview.html", "statements.html", "timeline.html", "map.html"):
        assert f'href="{name}"' in index
    assert list((tmp_path / "a").glob("*.tmp")) == []


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED write the same bytes (set order must not leak)."""
    script = (
        "import sys; from pathlib import Path\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from test_viz import load_fixture\n"
        "from kg.store import open_store\n"
        "from kg.export.html import write_standard_views\n"
        "s = open_store('memory'); load_fixture(s); write_standard_views(s, Path(sys.argv[1]))\n")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed), str(Path(__file__).parent)],
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
    for name in ("overview.html", "statements.html", "timeline.html", "map.html", "index.html"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_page_data_counts_match_the_graph(store):
    graph = viz.project(store, view="statements")
    data = html_export.page_data(graph, title="t")
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    assert {e["kg"]["relation"] for e in data["edges"]} == {"speaker", "mentions", "addressee"}
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["layout"]["improvedLayout"] is False
    legend = {t["type"]: t["count"] for t in data["legend"]}
    assert legend["statement"] == 3 and sum(legend.values()) == graph.number_of_nodes()
    # speaker edges are drawn from the speaker to the statement
    statement_ids = {n["id"] for n in data["nodes"] if n["kg"]["type"] == "statement"}
    assert all(e["to"] in statement_ids for e in data["edges"] if e["kg"]["relation"] == "speaker")


def test_empty_view_says_so(tmp_path):
    paths = html_export.write_standard_views(open_store("memory"), tmp_path)
    data = json.loads(data_block(paths[0].read_text(encoding="utf-8")))
    assert data["nodes"] == [] and data["notice"].startswith("This view is empty")


def test_big_graphs_are_sampled_with_a_notice(tmp_path):
    graph = nx.MultiDiGraph()
    for i in range(40):
        graph.add_node(f"n{i:02}", type="country", label=f"node {i}")
    for i in range(1, 40):
        graph.add_edge("n00", f"n{i:02}", relation="mentions")
    path = html_export.write_view(graph, tmp_path / "big.html", title="big", max_nodes=25)
    data = json.loads(data_block(path.read_text(encoding="utf-8")))
    assert len(data["nodes"]) == 25
    assert data["notice"].startswith("This view shows the 25 most connected of 40 nodes")


# ---- the command ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("vizstore") / "store"
    s = OxigraphStore(path)
    load_fixture(s)
    s.close()
    del s
    return str(path)


def test_cli_writes_the_standard_views(disk_store, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_EXPORTS_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["viz", "--store", disk_store])
    assert result.exit_code == 0, result.output
    names = ("overview.html", "statements.html", "timeline.html", "map.html", "index.html")
    assert sorted(p.name for p in (tmp_path / "html").iterdir()) == sorted(names)
    assert result.output.splitlines() == [f"wrote {tmp_path / 'html' / n}" for n in names]


def test_cli_focus_to_file(disk_store, tmp_path):
    out = tmp_path / "unamsil.html"
    result = CliRunner().invoke(main, ["viz", "--store", disk_store, "--focus", "UNAMSIL", "--depth", "1",
                                       "--types", "country,mission", "--from", "2000", "--to", "2001",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(data_block(out.read_text(encoding="utf-8")))
    assert data["title"] == "UNAMSIL and its neighbourhood (1 hop)"
    labels = {n["label"] for n in data["nodes"]}
    assert labels == {"UNAMSIL", "Sierra Leone", "Ghana", "Nigeria", "India"}


def test_focus_view_default_file_name(store, tmp_path):
    paths = html_export.write_views(store, tmp_path, focus="Ivory Coast", depth=1)
    assert paths == [tmp_path / "focus-cote-d-ivoire.html"]
    data = json.loads(data_block(paths[0].read_text(encoding="utf-8")))
    assert data["title"] == "Côte d'Ivoire and its neighbourhood (1 hop)"
    assert data["nodes"][data["focus"]]["kg"]["iri"] == iri("country", "CIV")


def test_unwritable_output_is_one_line_error(disk_store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["viz", "--store", disk_store, "-o", str(blocker / "v.html")])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"Error: cannot write {blocker / 'v.html'}: File exists; "
                                     f"check that the directory is writable")


def test_cli_unknown_focus_exits_1_with_the_nearest_names(disk_store, tmp_path):
    result = CliRunner().invoke(main, ["viz", "--store", disk_store, "-o", str(tmp_path / "x.html"),
                                       "--focus", "UNAMSL"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: no entity is called 'UNAMSL'; did you mean: UNAMSIL, UNOMSIL, "
                                     "UNMIL, UNSC? (--focus takes an acronym, name, alias or IRI)")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("args, message", [
    (["--types", "mision"], "Error: unknown type 'mision' in --types (did you mean mission?); use some of: "
                            "mission, country, person, statement, body, organization, framework, resolution, "
                            "document, other"),
    (["--from", "2001-1"], "Error: --from '2001-1' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_cli_usage_errors_exit_2(disk_store, tmp_path, args, message):
    result = CliRunner().invoke(main, ["viz", "--store", disk_store, "-o", str(tmp_path / "x.html"), *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not (tmp_path / "x.html").exists()


# ---- the bundled graph (when the build is available) ------------------------------------------------------

def test_standard_views_of_the_bundled_graph(built_store, tmp_path):
    paths = html_export.write_standard_views(built_store, tmp_path)
    overview = json.loads(data_block(paths[0].read_text(encoding="utf-8")))
    missions = column(built_store, "SELECT ?m WHERE { ?m a ?c VALUES ?c { pk:PeacekeepingMission "
                                   "pk:PoliticalMission pk:Mission } }", "m")
    shown = {n["kg"]["iri"] for n in overview["nodes"] if n["kg"]["type"] == "mission"}
    assert shown == missions
    assert column(built_store, "SELECT ?c WHERE { ?x pk:contributor ?c }", "c") <= {
        n["kg"]["iri"] for n in overview["nodes"]}


def test_timeline_page_has_no_network_reference_and_no_markup_sink(store, tmp_path):
    from kg.export.timeline import write_timeline

    text = write_timeline(viz.entity_graph(store), tmp_path / "t.html").read_text(encoding="utf-8")
    outside = text.replace(data_block(text), "")
    assert "http://" not in outside and "https://" not in outside
    assert "default-src 'none'" in outside
    script = (html_export.ASSETS / "timeline.js").read_text(encoding="utf-8")
    script = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    assert "xss" not in script  # vis-timeline's own filter is never configured, so never switched off
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_map_page_has_no_network_reference_and_no_markup_sink(store, tmp_path):
    from kg.export.map import write_map

    text = write_map(store, tmp_path / "m.html").read_text(encoding="utf-8")
    blocks = r'<script type="application/json" id="kg-(data|world)">.*?</script>'
    outside = re.sub(blocks, "", text, flags=re.S)
    assert "http://" not in outside and "https://" not in outside
    assert "default-src 'none'" in outside  # (Leaflet defines tileLayer; our script never calls it)
    script = re.sub(r"/\*.*?\*/", "", (html_export.ASSETS / "map.js").read_text(encoding="utf-8"), flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "tileLayer"):
        assert sink not in script

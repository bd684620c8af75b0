"""The query page (kg/web.py, kg/assets/): its routes as plain functions, and the page itself in headless
Chromium against a real `kg serve`, with every request that is not to the server aborted.

The store holds the fixture graph plus what the page's views need: 3,000 ranked rows (paging), deployment
sites in issue 14's shape with WKT points (map) and a hostile label (escaping).
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request

import pytest
from conftest import CHROMIUM_ARGS, ROOT, require_program
from query_helpers import fixture_store_at, select_rows, start_kg_serve, stop

from kg import web
from kg.namespaces import ID, PREFIXES
from kg.store import open_store

HOSTILE = '<img src=x onerror="window.__pwned=1">'
ROWS = 3000
SITES = [("goma", "COD", 29.22, -1.68, 2003, 1200), ("bunia", "COD", 30.25, 1.56, 2004, 800),
         ("freetown", "SLE", -13.23, 8.48, 2003, 3000), ("dili", "TLS", 125.57, -8.56, 2003, 500)]


def extra_triples() -> str:
    """N-Triples for the page's views: ranked rows, deployment sites and one hostile label."""
    pk, geo = PREFIXES["pk"], "http://www.opengis.net/ont/geosparql#"
    xsd, rdfs, a = PREFIXES["xsd"], PREFIXES["rdfs"], f"<{PREFIXES['rdf']}type>"
    lines = [f'<{ID}row/{i}> <{pk}rank> "{i}"^^<{xsd}integer> .' for i in range(1, ROWS + 1)]
    for key, country, lon, lat, year, troops in SITES + [("evil", "SLE", -12.0, 9.0, 2005, 10)]:
        site, point = f"{ID}site/{key}", f"{ID}site/{key}#geometry"
        label = HOSTILE.replace('"', '\\"') if key == "evil" else key.title()
        deployment = f"{ID}deployment/MONUC-{key}-{year}"
        lines += [f"<{site}> {a} <{pk}DeploymentSite> .", f'<{site}> <{rdfs}label> "{label}" .',
                  f"<{site}> <{geo}hasGeometry> <{point}> .",
                  f'<{point}> <{geo}asWKT> "POINT({lon} {lat})"^^<{geo}wktLiteral> .',
                  f"<{site}> <{pk}inCountry> <{ID}country/{country}> .",
                  f"<{deployment}> {a} <{pk}Deployment> .", f"<{deployment}> <{pk}site> <{site}> .",
                  f'<{deployment}> <{pk}year> "{year}"^^<{xsd}gYear> .',
                  f'<{deployment}> <{pk}troopEstimate> "{troops}"^^<{xsd}integer> .']
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("page")
    location = fixture_store_at(tmp / "store")
    with open_store(location) as store:
        store.load(extra_triples().encode(), format="ntriples", graph=ID + "graph/page-test")
        ontology = (ROOT / "ontology" / "peacekeeping.ttl").read_bytes()
        store.load(ontology, format="turtle", graph=ID + "graph/ontology-test")
        store.flush()
    proc, url = start_kg_serve(location, tmp / "serve.log", "--workers", "2")
    yield url
    stop(proc)


# ---- routes as plain functions ------------------------------------------------------------------------


def test_page_is_served_with_a_policy_that_allows_scripts_from_this_origin_only():
    page = web.respond("/")
    assert page is not None and page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = page.headers["Content-Security-Policy"]
    for directive in ("script-src 'self';", "connect-src 'self'", "default-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    html = page.body.decode()
    assert "<script>" not in html and not re.search(r"<script(?![^>]*\bsrc=\"/assets/)", html)
    assert web.respond("/sparql") is None and web.respond("/id/mission/UNTSO") is None


@pytest.mark.parametrize("name", web.asset_names())
def test_every_asset_is_served_and_refers_to_no_other_site(name):
    got = web.asset(name)
    assert got.status == 200 and got.body, name
    if name.endswith((".js", ".css", ".html")):
        text = got.body.decode("utf-8")
        assert not re.search(r"\b(cdn|unpkg|jsdelivr|googleapis|cdnjs)\b", text, re.I), name
        assert "sourceMappingURL" not in text, name
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), name


def test_every_vendored_library_has_its_version_in_its_name_and_its_licence_beside_it():
    vendored = sorted(p.name for p in web.VENDOR.iterdir())
    libraries = [n for n in vendored if not n.endswith(".LICENSE")]
    assert libraries
    for name in libraries:
        m = re.match(r"^([a-z-]+?)-(\d+\.\d+\.\d+)", name)
        assert m, f"{name} has no version in its name"
        assert f"{m.group(1)}-{m.group(2)}.LICENSE" in vendored, f"{name} has no licence beside it"
    page = web.query_page().decode()
    for src in re.findall(r'(?:src|href)="/assets/([^"]+)"', page):
        assert web.asset(src).status == 200, src


def test_asset_names_outside_the_folder_are_refused():
    for name in ("../web.py", "..%2Fweb.py", ".hidden", "query.html", "nope.js"):
        assert web.asset(name).status == 404, name
    assert web.respond("/assets/../web.py").status == 404


def test_a_saved_query_is_bound_with_its_prefixes_declared():
    got = web.respond("/queries/mission-leadership.rq", "mission=UNMIL")
    text = got.body.decode()
    assert got.status == 200 and f"VALUES ?mission {{ <{ID}mission/UNMIL> }}" in text
    assert text.startswith("PREFIX ") and f"PREFIX org: <{PREFIXES['org']}>" in text
    assert "PREFIX owl:" not in text  # only the prefixes it uses
    empty = web.respond("/queries/mission-leadership.rq", "mission=").body.decode()
    assert f"<{ID}mission/UNAMSIL>" in empty  # an empty field takes the default


def test_a_value_that_does_not_fit_its_type_is_a_400_naming_it():
    got = web.respond("/queries/missions-active-on-date.rq", "date=" + urllib.parse.quote("30 June"))
    assert (got.status, got.body.decode()) == (
        400, "date='30 June' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY\n")
    assert web.respond("/queries/nope.rq").status == 404
    assert web.respond("/queries/mission-leadership.rq", "colour=red").status == 400


def test_used_prefixes_are_only_those_written_as_prefixed_names():
    # in the order of the predeclared prefixes; one written inside a string is declared too (harmless)
    assert web.used_prefixes("SELECT * { ?s skos:prefLabel 'mission:x' ; pk:y ?o }") == (
        "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("pk", "mission", "skos")))
    assert web.used_prefixes("SELECT ?pk WHERE { <http://x/y> ?p ?o }") == ""


# ---- the page in headless Chromium, network cut -----------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    chromium = require_program("chromium", "the query page is tested in headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, server):
    """A page of the query page (fresh storage); requests to anywhere but the server are aborted."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    errors: list[str] = []

    def guard(route):
        if route.request.url.startswith((server, "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)

    def opener(fragment: str = ""):
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
        page.goto(server + "/" + fragment)
        page.wait_for_selector("body[data-ready=true]")
        return page

    yield opener
    context.close()
    assert outside == [], outside
    assert errors == [], errors


def sparql_rows(server: str, query: str) -> list[dict[str, str]]:
    """The answer as the endpoint gives it to any client, to compare with what the page drew."""
    url = server + "/sparql?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=30) as r:
        return select_rows(r.read())


def run(page, query: str) -> None:
    page.evaluate("q => { const t = kgYasgui.getTab(); t.setQuery(q); t.query(); }", query)


def wait_status(page, pattern: str) -> str:
    page.wait_for_function("p => new RegExp(p).test(document.getElementById('status').textContent)",
                           arg=pattern)
    return page.text_content("#status")


@pytest.mark.browser
def test_the_address_restores_query_and_view(open_page):
    query = ("SELECT ?acronym ?start WHERE { ?m pk:acronym ?acronym ; schema:startDate ?start } "
             "ORDER BY ?acronym")
    page = open_page("#" + urllib.parse.urlencode({"query": query, "outputFormat": "timeline"}))
    rows = int(wait_status(page, r"^\d+ rows").split()[0])
    assert page.evaluate("kgYasgui.getTab().getQuery()") == query
    page.wait_for_selector(".kg-timeline .vis-item")
    assert rows > 2 and page.get_attribute(".kg-timeline", "data-items") == str(rows)
    assert "UNTAC" in page.locator(".kg-timeline").inner_text()
    # the address follows the view, so it can be copied and shared
    page.click(".yasr .select_table")
    page.wait_for_function("() => location.hash.includes('outputFormat=table')")
    shared = urllib.parse.parse_qs(page.evaluate("location.hash.slice(1)"))
    assert shared["query"] == [query]
    # and the history keeps it across a reload
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#history button").first.get_attribute("title") == query


@pytest.mark.browser
def test_a_shared_address_runs_again_on_a_second_visit_and_as_a_query_string(open_page):
    """Opening the same link twice (its tab is remembered) still runs it; /?query= works like /#query=."""
    query = "SELECT ?acronym WHERE { ?m pk:acronym ?acronym } ORDER BY ?acronym"
    address = urllib.parse.urlencode({"query": query, "outputFormat": "table"})
    counts = []
    for fragment in ("#" + address, "#" + address, "?" + address):
        page = open_page(fragment)
        counts.append(wait_status(page, r"^\d+ rows"))
        assert page.evaluate("kgYasgui.getTab().getQuery()") == query
        assert urllib.parse.parse_qs(page.evaluate("location.hash.slice(1)"))["query"] == [query]
        page.close()
    assert len(set(counts)) == 1 and counts[0] != "0 rows"


@pytest.mark.browser
def test_a_saved_question_runs_from_its_form_with_a_name_picked_from_the_list(open_page):
    page = open_page()
    page.click("button[data-name=mission-profile]")
    page.wait_for_function("() => document.querySelectorAll('#names-mission option').length >= 2")
    options = page.eval_on_selector_all("#names-mission option",
                                        "os => os.map(o => [o.value, o.textContent])")
    assert ["UNTAC", "United Nations Transitional Authority in Cambodia"] in options
    page.fill("#param-mission", "United Nations Transitional Authority in Cambodia")  # the name, not the key
    page.click("#params button[type=submit]")
    assert wait_status(page, r"^\d+ rows?") == "1 row"
    assert f"VALUES ?mission {{ <{ID}mission/UNTAC> }}" in page.evaluate("kgYasgui.getTab().getQuery()")
    assert "1992-03-15" in page.inner_text(".yasr table.dataTable")
    page.click("button[data-name=missions-active-on-date]")
    assert page.get_attribute("#param-date", "type") == "date"
    page.fill("#param-date", "1992-06-30")
    page.click("#params button[type=submit]")
    wait_status(page, r"^\d+ rows?")
    cells = page.locator(".yasr table.dataTable tbody tr td:nth-child(2)").all_text_contents()
    assert any("UNTAC" in c for c in cells), cells


@pytest.mark.browser
def test_a_3000_row_answer_is_paged_sorted_and_downloads_as_csv(open_page):
    page = open_page()
    run(page, "SELECT ?row ?rank WHERE { ?row pk:rank ?rank } ORDER BY ?rank")
    assert wait_status(page, r"^\d+ rows") == "3000 rows"
    assert page.locator(".yasr table.dataTable tbody tr").count() == 50
    assert "of 3,000 entries" in page.inner_text(".yasr")
    page.click(".yasr .dt-paging-button.next")
    first_rank = page.locator(".yasr table.dataTable tbody tr td:nth-child(3)").first
    assert first_rank.inner_text().startswith('"51"')
    sort_by_rank = ".yasr table.dataTable thead th:nth-child(3) .dt-column-order"
    page.click(sort_by_rank)  # ascending, then descending: as numbers, not as text ("999" > "3000")
    page.wait_for_function("""() => document.querySelector('.yasr table.dataTable thead th:nth-child(3)')
        .classList.contains('dt-ordering-asc')""")
    page.click(sort_by_rank)
    page.wait_for_function("""() => document.querySelector('.yasr table.dataTable tbody tr td:nth-child(3)')
        .innerText.startsWith('"3000"')""", timeout=5000)
    assert page.is_hidden("#downloads a[data-format=turtle]")
    with page.expect_download() as info:
        page.click("#downloads a[data-format=csv]")
    lines = open(info.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "row,rank" and len(lines) == ROWS + 1 and lines[1] == f"{ID}row/1,1"


@pytest.mark.browser
def test_an_aggregate_answer_draws_a_bar_and_a_line_chart(open_page, server):
    page = open_page()
    run(page, "SELECT ?continent (COUNT(?c) AS ?countries) WHERE { ?c a pk:Country ; "
              "pk:continent ?continent } GROUP BY ?continent ORDER BY ?continent")
    wait_status(page, r"^\d+ rows")
    page.click(".yasr .select_chart")
    page.wait_for_selector(".kg-chart canvas")
    drawn = page.evaluate("""() => { const c = Chart.getChart(document.querySelector('.kg-chart canvas'));
        return [c.config.type, c.data.labels, c.data.datasets[0].data]; }""")
    expected = sparql_rows(server, "SELECT ?continent (COUNT(?c) AS ?n) WHERE { ?c a pk:Country ; "
                                   "pk:continent ?continent } GROUP BY ?continent ORDER BY ?continent")
    assert drawn == ["bar", [r["continent"] for r in expected], [int(r["n"]) for r in expected]]
    page.select_option(".kg-chart-type", "line")
    assert page.evaluate("Chart.getChart(document.querySelector('.kg-chart canvas')).config.type") == "line"


@pytest.mark.browser
def test_sites_with_coordinates_show_on_a_map_and_hostile_labels_stay_text(open_page):
    page = open_page()
    run(page, "PREFIX geo: <http://www.opengis.net/ont/geosparql#>\n"
              "SELECT ?label ?wkt ?troops WHERE { ?d pk:site ?s ; pk:troopEstimate ?troops . "
              "?s rdfs:label ?label ; geo:hasGeometry/geo:asWKT ?wkt } ORDER BY ?label")
    rows = int(wait_status(page, r"^\d+ rows").split()[0])
    assert rows >= len(SITES) + 1  # ours, and any site the shared fixture graph holds
    assert HOSTILE in page.inner_text(".yasr table.dataTable")
    page.click(".yasr .select_map")
    page.wait_for_selector(".kg-map .leaflet-overlay-pane canvas")
    assert page.get_attribute(".kg-map", "data-points") == str(rows)  # one point per row with a WKT
    page.click(".kg-map", position={"x": 5, "y": 5})
    assert page.locator(".kg-map .leaflet-tile").count() == 0  # outlines only, no tiles
    assert page.evaluate("window.__pwned") is None


@pytest.mark.browser
def test_a_construct_answer_is_drawn_as_a_graph_and_offers_graph_downloads(open_page):
    page = open_page()
    run(page, "CONSTRUCT { ?m pk:hostCountry ?c } WHERE { ?m pk:hostCountry ?c }")
    page.wait_for_function("() => document.getElementById('status').textContent !== ''")
    page.click(".yasr .select_graph")
    page.wait_for_selector(".kg-graph canvas")
    assert int(page.get_attribute(".kg-graph", "data-nodes")) >= 4
    assert page.is_visible("#downloads a[data-format=turtle]")
    assert page.is_hidden("#downloads a[data-format=csv]")


@pytest.mark.browser
def test_completion_offers_the_ontologys_classes_and_never_asks_another_site(open_page):
    page = open_page()
    page.wait_for_function("() => kgYasgui.getTab().getYasqe().autocompleters['kg-classes'] !== undefined")
    completers = page.evaluate("Yasgui.Yasqe.defaults.autocompleters")
    assert completers == ["variables", "kg-prefixes", "kg-classes", "kg-properties"]
    page.evaluate("""() => { const y = kgYasgui.getTab().getYasqe();
        y.setValue('SELECT * WHERE { ?s a pk:Peacek'); y.focus(); y.setCursor({line: 0, ch: 31});
        y.autocompleters['kg-classes'].autocomplete(false); }""")
    page.wait_for_selector(".CodeMirror-hints li")
    assert "pk:PeacekeepingMission" in page.locator(".CodeMirror-hints li").all_text_contents()
    page.evaluate("""() => { const y = kgYasgui.getTab().getYasqe();
        y.setValue('PREFIX sk'); y.focus(); y.setCursor({line: 0, ch: 9});
        y.autocompleters['kg-prefixes'].autocomplete(false); }""")
    page.wait_for_selector(".CodeMirror-hints li")
    assert f"skos: <{PREFIXES['skos']}>" in page.locator(".CodeMirror-hints li").all_text_contents()


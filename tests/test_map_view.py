"""The map view (kg/export/map.py) on a generated graph in issue 14's deployment-site shape, in headless
Chromium from file:// with every other request aborted: 1,200 sites drawn, filters, a click, hostile text.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, ROOT, require_program

from kg.export.map import map_data, write_map
from kg.namespaces import ID, PREFIXES
from kg.store import open_store

PK, RDF, RDFS, XSD = PREFIXES["pk"], PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
GEO = "http://www.opengis.net/ont/geosparql#"
SKOS = PREFIXES["skos"]
SITES = 1200
MISSIONS = {"MONUSCO": ("COD", 23.6, -2.9), "UNMISS": ("SSD", 30.2, 7.3), "MINUSMA": ("MLI", -2.0, 16.5)}
CONTRIBUTORS = ["IND", "PAK", "BGD", "NPL"]
HOSTILE = '<img src=x onerror="window.__xss=1">Goma'


def lit(value: object, dtype: str | None = None) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"' + (f"^^<{XSD}{dtype}>" if dtype else "")


def fixture_ntriples() -> str:
    """1,200 sites over three missions and two years, contingents, units, a source and a hostile label."""
    r = random.Random(13)
    out = [f"<{ID}unit-type/infantry> <{SKOS}prefLabel> {lit('infantry battalion')} .",
           f"<{ID}unit-type/engineer> <{SKOS}prefLabel> {lit('engineering company')} ."]
    for iso in ("COD", "SSD", "MLI", *CONTRIBUTORS):
        out.append(f"<{ID}country/{iso}> <{RDF}type> <{PK}Country> .")
        out.append(f"<{ID}country/{iso}> <{SKOS}prefLabel> {lit('Country ' + iso)} .")
    for i in range(SITES):
        mission = list(MISSIONS)[i % 3]
        host, lon, lat = MISSIONS[mission]
        site, geom = f"{ID}site/s{i}", f"{ID}site/s{i}/geometry"
        label = HOSTILE if i == 0 else f"Site {i}"
        out += [f"<{site}> <{RDF}type> <{PK}DeploymentSite> .", f"<{site}> <{RDFS}label> {lit(label)} .",
                f"<{site}> <{GEO}hasGeometry> <{geom}> .", f"<{site}> <{PK}inCountry> <{ID}country/{host}> .",
                f'<{geom}> <{GEO}asWKT> "POINT({lon + r.uniform(-4, 4):.4f} {lat + r.uniform(-3, 3):.4f})"'
                f"^^<{GEO}wktLiteral> ."]
        for year in (2015, 2016) if i % 2 == 0 else (2016,):
            d = f"{ID}deployment/{mission}-s{i}-{year}"
            who = CONTRIBUTORS[i % 4]
            out += [f"<{d}> <{RDF}type> <{PK}Deployment> .", f"<{d}> <{PK}site> <{site}> .",
                    f"<{d}> <{PK}mission> <{ID}mission/{mission}> .",
                    f"<{d}> <{PK}year> {lit(year, 'gYear')} .",
                    f"<{d}> <{PK}troopEstimate> {lit(100 + i % 900, 'integer')} .",
                    f"<{d}> <{PK}unitType> <{ID}unit-type/{'infantry' if i % 2 else 'engineer'}> .",
                    f"<{d}> <{PK}contributingCountry> <{ID}country/{who}> .",
                    f"<{d}> <{PK}contingent> <{d}/c> .", f"<{d}/c> <{PK}country> <{ID}country/{who}> .",
                    f"<{d}/c> <{PK}approximateSize> {lit(100 + i % 900, 'integer')} .",
                    f"<{d}> <{PREFIXES['dcterms']}source> <https://example.org/deployment-maps/{mission}> ."]
    for m in MISSIONS:
        out.append(f"<{ID}mission/{m}> <{PK}acronym> {lit(m)} .")
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def store():
    s = open_store("memory")
    s.load(fixture_ntriples().encode(), format="ntriples", graph=ID + "graph/deployments-test")
    yield s
    s.close()


def test_map_data_reads_the_deployment_shape(store):
    data = map_data(store, reference_dir=ROOT / "data" / "reference")
    assert len(data["sites"]) == SITES
    assert len(data["deployments"]) == SITES + SITES // 2
    assert data["missions"] == sorted(MISSIONS) and data["years"] == ["2015", "2016"]
    assert data["hosts"] == ["180", "466", "728"]  # DR Congo, Mali, South Sudan in ISO numeric
    first = next(d for d in data["deployments"] if d["site"] == 0 and d["year"] == "2016")
    assert (first["mission"], first["troops"], first["units"]) == ("MONUSCO", 100, ["engineering company"])
    assert first["contributors"] == [["Country IND", 100]]
    assert first["sources"] == [["https://example.org/deployment-maps/MONUSCO"] * 2]


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module: Playwright's sync API runs one instance per thread."""
    chromium = require_program("chromium", "the map view is tested in headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_offline(browser, path: Path, blocked: list[str], errors: list[str], timeout: int = 30000):
    """A tab on ``path`` with every request but file: and data: blocked (and listed in ``blocked``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file://", "data:"))
                  else (blocked.append(r.request.url), r.abort()))
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("dialog", lambda d: (errors.append("dialog " + d.message), d.dismiss()))
    tab.goto(path.as_uri())
    tab.wait_for_selector("body[data-ready='true']", state="attached", timeout=timeout)
    return tab


@pytest.fixture(scope="module")
def page(store, browser, tmp_path_factory):
    path = write_map(store, tmp_path_factory.mktemp("map") / "map.html",
                     reference_dir=ROOT / "data" / "reference")
    blocked: list[str] = []
    errors: list[str] = []
    tab = open_offline(browser, path, blocked, errors)
    yield tab
    assert blocked == [] and errors == []
    tab.context.close()


@pytest.mark.browser
def test_the_map_draws_every_site_without_tiles(page):
    assert page.evaluate("kgMap.drawn()") == SITES
    assert page.locator(".leaflet-tile").count() == 0 and page.locator("img").count() == 0
    assert page.text_content("#kg-status").startswith("1,200 sites")
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1


@pytest.mark.browser
def test_filters_by_mission_contributor_and_year(page):
    page.select_option("#kg-mission", "UNMISS")
    assert page.evaluate("kgMap.drawn()") == SITES // 3
    page.select_option("#kg-year", "2015")
    assert page.evaluate("kgMap.drawn()") == SITES // 6  # the even-numbered sites only
    page.select_option("#kg-contributor", "Country IND")
    assert page.evaluate("kgMap.drawn()") == len([i for i in range(SITES) if i % 3 == 1 and i % 4 == 0])
    page.select_option("#kg-mission", "")
    expected = len([i for i in range(SITES) if i % 2 == 0 and i % 4 == 0])
    assert page.evaluate("kgMap.drawn()") == expected
    for select in ("#kg-mission", "#kg-year", "#kg-contributor"):
        page.select_option(select, "")
    assert page.evaluate("kgMap.drawn()") == SITES


@pytest.mark.browser
def test_a_click_on_a_site_shows_mission_units_and_sources_as_text(page):
    page.evaluate("() => { kgMap.map.setView([kgMap.data.sites[0].lat, kgMap.data.sites[0].lon], 9); }")
    point = page.evaluate("kgMap.point(0)")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#kg-details[data-site='0']", timeout=5000)
    assert page.text_content("#kg-details h3") == HOSTILE
    text = page.text_content("#kg-details")
    assert "MONUSCO, 2015" in text and "engineering company" in text and "Country IND (about 100)" in text
    link = page.query_selector("#kg-details a")
    assert link.get_attribute("href") == "https://example.org/deployment-maps/MONUSCO"
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.query_selector_all("#kg-details img, .leaflet-popup img") == []


@pytest.mark.browser
def test_the_bundled_graph_draws_over_a_thousand_deployment_sites(built_store, browser, tmp_path):
    """The bar of issue 13 on the real graph: the Geo-PKO sites of the reference data, every one drawn."""
    path = write_map(built_store, tmp_path / "map.html", reference_dir=ROOT / "data" / "reference")
    sites = len(map_data(built_store, reference_dir=ROOT / "data" / "reference")["sites"])
    assert sites >= 1000
    blocked: list[str] = []
    errors: list[str] = []
    tab = open_offline(browser, path, blocked, errors, timeout=60000)
    try:
        assert tab.evaluate("kgMap.drawn()") == sites
        assert tab.locator(".leaflet-tile").count() == 0
        tab.select_option("#kg-mission", "MONUSCO")
        assert 0 < tab.evaluate("kgMap.drawn()") < sites
    finally:
        tab.context.close()
    assert blocked == [] and errors == []

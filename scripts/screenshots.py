"""Screenshots for the README: the HTML views (docs/img/overview.png, statements.png, timeline.png,
map.png) and the query page of `kg serve` (docs/img/query-form.png, query-chart.png, query-map.png,
query-timeline.png).

Opens the views that ``kg build`` (``make run``) wrote to exports/html/ in headless Chromium, offline,
selects the biggest mission (overview) and the most connected quoted statement (statements view) so
that the side panel shows what a viewer sees, and saves the pictures.

    .venv/bin/python scripts/screenshots.py            # or: make screenshots
    .venv/bin/python scripts/screenshots.py --html exports/html --out docs/img --store .kg
"""

from __future__ import annotations

import argparse
import shutil
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: page -> JS that picks the node to select: the largest mission; the most connected quoted statement
PICKS = {
    "overview": """() => { const ns = kg.data.nodes.filter(n => n.kg.type === 'mission');
        ns.sort((a, b) => b.size - a.size || a.id - b.id); return ns.length ? ns[0].id : null; }""",
    "statements": """() => { const deg = new Map(); kg.data.edges.forEach(e => { [e.from, e.to].forEach(
        i => deg.set(i, (deg.get(i) || 0) + 1)); });
        const ns = kg.data.nodes.filter(n => n.kg.statement && n.kg.statement.quote);
        ns.sort((a, b) => (deg.get(b.id) || 0) - (deg.get(a.id) || 0) || a.id - b.id);
        return ns.length ? ns[0].id : null; }""",
}


def shoot(html_dir: Path, out_dir: Path, *, width: int = 1400, height: int = 850) -> list[Path]:
    """Write one PNG per view; raise SystemExit with a one-line message when something is missing."""
    chromium = shutil.which("chromium")
    if not chromium:
        raise SystemExit("screenshots: chromium is not installed; run `make system-deps` (Debian's chromium)")
    missing = [name for name in (*PICKS, "timeline", "map") if not (html_dir / f"{name}.html").exists()]
    if missing:
        raise SystemExit(f"screenshots: {html_dir}/{missing[0]}.html is missing; "
                         f"run `make run` (kg build) first")
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page = context.new_page()
            for name, pick in PICKS.items():
                page.goto((html_dir / f"{name}.html").resolve().as_uri())
                page.wait_for_function("document.body.dataset.ready === 'true'", timeout=60000)
                node = page.evaluate(pick)
                if node is not None:
                    point = page.evaluate("""id => {
                        const p = kg.network.canvasToDOM(kg.network.getPositions([id])[id]);
                        const r = document.getElementById('kg-network').getBoundingClientRect();
                        return {x: r.left + p.x, y: r.top + p.y}; }""", node)
                    page.mouse.click(point["x"], point["y"])
                    page.mouse.move(5, height - 5)  # no tooltip in the picture
                    page.wait_for_timeout(300)
                path = out_dir / f"{name}.png"
                page.screenshot(path=str(path))
                written.append(path)
            # the timeline, filtered to one country: UNAMET -> UNTAET -> UNMISET -> UNOTIL -> UNMIT
            page.goto((html_dir / "timeline.html").resolve().as_uri())
            page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60000)
            page.select_option("#kg-country", "Timor-Leste")
            page.wait_for_timeout(400)
            page.click(".vis-item.kg-mission >> text=UNMIT")
            page.wait_for_timeout(200)
            written.append(out_dir / "timeline.png")
            page.screenshot(path=str(written[-1]))
            # the map, every site of every year; then one mission's sites, and one of them opened
            page.goto((html_dir / "map.html").resolve().as_uri())
            page.wait_for_selector("body[data-ready='true']", state="attached", timeout=60000)
            page.wait_for_timeout(500)
            written.append(out_dir / "map.png")
            page.screenshot(path=str(written[-1]))
        finally:
            browser.close()
    return written


#: query page pictures: name -> (address after /, what to wait for)
QUERY_PAGES = {
    "query-chart": ("#" + urllib.parse.urlencode({
        "query": ("SELECT ?year (SUM(?total) AS ?personnel) WHERE {\n"
                  "  ?c pk:year ?year ; pk:personnelTotal ?total\n}\nGROUP BY ?year ORDER BY ?year"),
        "outputFormat": "chart"}), ".kg-chart canvas"),
    "query-map": ("#" + urllib.parse.urlencode({
        "query": ("PREFIX geo: <http://www.opengis.net/ont/geosparql#>\n"
                  "SELECT ?site ?wkt (MAX(?troops) AS ?peakTroops) WHERE {\n"
                  "  ?d pk:mission/pk:acronym \"MINUSMA\" ; pk:site ?s ; pk:troopEstimate ?troops .\n"
                  "  ?s rdfs:label ?site ; geo:hasGeometry/geo:asWKT ?wkt\n"
                  "} GROUP BY ?site ?wkt ORDER BY DESC(?peakTroops)"),
        "outputFormat": "map"}), ".kg-map .leaflet-overlay-pane canvas"),
    "query-timeline": ("#" + urllib.parse.urlencode({
        "query": ("SELECT ?acronym ?start ?end WHERE {\n"
                  "  ?m pk:hostCountry/skos:prefLabel \"Timor-Leste\"@en ; pk:acronym ?acronym ;\n"
                  "     schema:startDate ?start .\n"
                  "  OPTIONAL { ?m schema:endDate ?end }\n} ORDER BY ?start"),
        "outputFormat": "timeline"}), ".kg-timeline .vis-item"),
}


def shoot_query_page(store: str, out_dir: Path, *, width: int = 1400, height: int = 900) -> list[Path]:
    """Start `kg serve` on the store, run a saved question from its form and two views; one PNG each."""
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", store, "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    written = []
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": width, "height": height})
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((url, "data:"))
                              else r.abort())
                page = context.new_page()
                page.goto(url + "/")
                page.wait_for_selector("body[data-ready=true]")
                page.click("button[data-name=mission-leadership]")
                page.fill("#param-mission", "UNMIT")
                page.click("#params button[type=submit]")
                page.wait_for_selector(".yasr table.dataTable tbody tr")
                written.append(out_dir / "query-form.png")
                page.screenshot(path=str(written[-1]))
                for name, (address, ready) in QUERY_PAGES.items():
                    context.close()  # a fresh context: no tabs remembered from the previous picture
                    context = browser.new_context(viewport={"width": width, "height": height})
                    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((url, "data:"))
                                  else r.abort())
                    page = context.new_page()
                    page.goto(url + "/" + address)
                    page.wait_for_selector(ready, timeout=60000)
                    page.wait_for_timeout(500)
                    written.append(out_dir / f"{name}.png")
                    page.screenshot(path=str(written[-1]))
            finally:
                browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return written


def main() -> None:
    from kg.config import Settings

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, default=Settings().exports_dir / "html",
                        help="where the views are (default: exports/html, or $KG_EXPORTS_DIR/html)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="where the PNGs go")
    parser.add_argument("--store", default=Settings().store,
                        help="the store the query page is shown on (default: .kg, or $KG_STORE)")
    args = parser.parse_args()
    for path in shoot(args.html, args.out) + shoot_query_page(args.store, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())

"""The map view, offline: deployment sites of each mission by year, sized by personnel, on country
outlines from Natural Earth (``world-atlas`` 2.0.2, countries-110m, public domain) drawn by Leaflet with
no tile layer at all; host countries outlined; filters by mission, contributing country and year; a
click on a site shows its mission, units and sources. One self-contained page that opens from file://.

The sites come from the graph in this shape (issue 14): a site ``a pk:DeploymentSite`` with
``rdfs:label``, ``geo:hasGeometry/geo:asWKT "POINT(lon lat)"^^geo:wktLiteral`` and ``pk:inCountry``; a
site-year ``a pk:Deployment`` with ``pk:site``, ``pk:mission``, ``pk:year``, ``pk:troopEstimate``,
``pk:unitType``, ``pk:contributingCountry`` and ``pk:contingent`` nodes (``pk:country``,
``pk:approximateSize``); sources are ``dcterms:source``/``prov:wasDerivedFrom`` values or the named graph.
"""

from __future__ import annotations

import csv
import functools
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.html import ASSETS, _write_atomic, dom_js, json_for_script, safe_link, view_template
from kg.namespaces import ID, sparql_prologue

if TYPE_CHECKING:
    from kg.store import Store

VENDOR = Path(__file__).resolve().parent.parent / "assets" / "vendor"
LEAFLET, TOPOJSON, WORLD = "leaflet-1.9.4", "topojson-client-3.1.0", "world-atlas-2.0.2-countries-110m"
TITLE = "Where the missions deployed"
_POINT = re.compile(r"^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$", re.I)

_QUERY = """PREFIX geo: <http://www.opengis.net/ont/geosparql#>
SELECT ?d ?site ?siteLabel ?wkt ?country ?mission ?acronym ?year ?troops ?unitLabel ?contributor
       ?contingentCountry ?contingentSize ?source ?g
WHERE {
  GRAPH ?g { ?d a pk:Deployment ; pk:site ?site ; pk:mission ?mission ; pk:year ?year }
  ?site geo:hasGeometry/geo:asWKT ?wkt .
  OPTIONAL { ?site rdfs:label ?siteLabel }
  OPTIONAL { ?site pk:inCountry ?country }
  OPTIONAL { ?mission pk:acronym ?acronym }
  OPTIONAL { ?d pk:troopEstimate ?troops }
  OPTIONAL { ?d pk:unitType ?unit . OPTIONAL { ?unit skos:prefLabel ?unitLabel } }
  OPTIONAL { ?d pk:contributingCountry ?contributor }
  OPTIONAL { ?d pk:contingent ?k . ?k pk:country ?contingentCountry .
             OPTIONAL { ?k pk:approximateSize ?contingentSize } }
  OPTIONAL { ?d dcterms:source|prov:wasDerivedFrom ?source }
}"""


@functools.lru_cache(maxsize=1)
def _assets() -> tuple[str, ...]:
    """(Leaflet JS, Leaflet CSS, topojson-client JS, world-atlas TopoJSON, our template, CSS, JS)."""
    def js(name: str) -> str:
        return (VENDOR / name).read_text(encoding="utf-8").replace("://", ":\\/\\/")

    # Leaflet's CSS comments cite web pages; the page keeps no address it could be tempted to fetch
    css = re.sub(r"/\*.*?\*/", "", (VENDOR / f"{LEAFLET}.css").read_text(encoding="utf-8"), flags=re.S)
    return (js(f"{LEAFLET}.min.js"), css,
            js(f"{TOPOJSON}.min.js"), (VENDOR / f"{WORLD}.json").read_text(encoding="utf-8"),
            *view_template("map", "Leaflet, world-atlas (Natural Earth)"),
            dom_js() + (ASSETS / "map.js").read_text(encoding="utf-8"))


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def numeric_codes(reference_dir: Path) -> dict[str, str]:
    """ISO 3166 alpha-3 -> numeric (world-atlas names countries by numeric code), from countries.csv."""
    path = reference_dir / "countries.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {row["iso3"]: row["numeric"] for row in csv.DictReader(f) if row.get("numeric")}


def _labels(store: Store, iris: set[str]) -> dict[str, str]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    query = (f"SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?x {{ {values} }} "
             f"?x skos:prefLabel|foaf:name|rdfs:label ?l }} GROUP BY ?x")
    rows = store.query(sparql_prologue() + query).records()
    return {r["x"]: r["label"] for r in rows if r.get("label")}


def map_data(store: Store, *, reference_dir: Path | None = None) -> dict[str, Any]:
    """Sites, site-years and the filters' choices, read from the store in the shape above.

    ``reference_dir`` holds countries.csv (alpha-3 -> numeric, to outline the host countries); by default
    the configured one.
    """
    if reference_dir is None:
        from kg.config import Settings

        reference_dir = Settings().reference_dir
    rows = store.query(sparql_prologue() + _QUERY).records()
    sites: dict[str, dict[str, Any]] = {}
    years: dict[str, dict[str, Any]] = {}
    countries: set[str] = set()
    for r in sorted(rows, key=lambda r: sorted(r.items())):
        m = _POINT.match(r["wkt"])
        if not m:
            continue
        site = sites.setdefault(r["site"], {
            "iri": r["site"], "label": r.get("siteLabel") or _key(r["site"]), "lon": float(m.group(1)),
            "lat": float(m.group(2)), "country": r.get("country", "")})
        d = years.setdefault(r["d"], {
            "site": r["site"], "mission": r.get("acronym") or _key(r["mission"]), "year": r["year"][:4],
            "troops": 0, "units": set(), "contributors": {}, "sources": set()})
        if r.get("troops", "").lstrip("-").isdigit():
            d["troops"] = max(d["troops"], int(r["troops"]))
        if r.get("unitLabel"):
            d["units"].add(r["unitLabel"])
        contingent = (r.get("contingentCountry"), r.get("contingentSize"))
        for who, size in ((r.get("contributor"), None), contingent):
            if who:
                countries.add(who)
                known = d["contributors"].get(who)
                d["contributors"][who] = int(size) if size and size.isdigit() else known
        for src in (r.get("source"), r.get("g")):
            if src and src.startswith(("http://", "https://")) and not src.startswith(ID + "graph/"):
                d["sources"].add(src)
        if site["country"]:
            countries.add(site["country"])
    names = _labels(store, countries)
    index = {iri: i for i, iri in enumerate(sorted(sites))}
    numeric = numeric_codes(reference_dir)
    hosts = sorted({numeric[_key(s["country"])] for s in sites.values() if _key(s["country"]) in numeric})
    out_sites = [{"id": index[iri], "label": s["label"], "lon": s["lon"], "lat": s["lat"],
                  "country": names.get(s["country"], _key(s["country"]))}
                 for iri, s in sorted(sites.items())]
    deployments = []
    for _, d in sorted(years.items(), key=lambda kv: (kv[1]["mission"], kv[1]["year"], kv[1]["site"])):
        deployments.append({
            "site": index[d["site"]], "mission": d["mission"], "year": d["year"], "troops": d["troops"],
            "units": sorted(d["units"]),
            "contributors": sorted([names.get(c, _key(c)), n] for c, n in d["contributors"].items()),
            "sources": [[s, safe_link(s) or ""] for s in sorted(d["sources"])]})
    return {"title": TITLE, "sites": out_sites, "deployments": deployments, "hosts": hosts,
            "missions": sorted({d["mission"] for d in deployments}),
            "years": sorted({d["year"] for d in deployments}),
            "contributors": sorted({c for d in deployments for c, _ in d["contributors"]})}


def render_map(data: dict[str, Any]) -> str:
    """The page for :func:`map_data`'s data; the outlines travel in their own JSON block."""
    leaflet_js, leaflet_css, topojson_js, world, template, css, js = _assets()
    values = {"@@TITLE@@": html.escape(data["title"]), "@@LIB_CSS@@": leaflet_css, "@@VIEW_CSS@@": css,
              "@@LEAFLET_JS@@": leaflet_js, "@@TOPOJSON_JS@@": topojson_js,
              "@@WORLD@@": world.replace("<", "\\u003c"), "@@DATA@@": json_for_script(data),
              "@@VIEW_JS@@": js}
    return re.sub("|".join(re.escape(s) for s in values), lambda m: values[m.group(0)], template)


def write_map(store: Store, path: str | Path, *, reference_dir: Path | None = None) -> Path:
    """Write the map page (atomic)."""
    path = Path(path)
    _write_atomic(path, render_map(map_data(store, reference_dir=reference_dir)))
    return path

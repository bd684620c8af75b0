"""Deployment sites and site-years (Geo-PKO v2.3) from data/reference/ -> RDF.

A site (``pkr:site/{ISO3}-{place}``) is a pk:DeploymentSite with a GeoSPARQL point; a site-year
(``pkr:deployment/{MISSION}-{site}-{year}``) is a pk:Deployment of one mission there in one year, with
the source's troop estimate, unit types (concepts of the ``pkr:unit-type`` scheme) and contingents.
Every site-year and contingent is prov:wasDerivedFrom the Geo-PKO rows it was made from and says, with
pk:estimateMethod, that its figures are estimates from UN deployment maps.

The shape is a contract (issue 13's map view reads it): keep IRIs and properties as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL

from kg.namespaces import PREFIXES, key, resource
from kg.reference import PK, Row, _country, _mission_ref, date_literal, record_iri
from kg.schemes import Concept, add_scheme

GEO = Namespace(PREFIXES["geo"])
PROV = Namespace(PREFIXES["prov"])
DCAT = Namespace(PREFIXES["dcat"])

#: the unit-type scheme: code -> (label, definition); codes are those of scripts/convert_deployments.py
UNIT_TYPES: dict[str, tuple[str, str]] = {
    "infantry": ("infantry", "Infantry troops (battalions or companies) at the site."),
    "reserve": ("reserve", "A reserve force (a quick-reaction or reserve unit) at the site."),
    "hq": ("headquarters", "A headquarters (mission, sector or battalion level) at the site."),
    "unpol": ("UN police", "United Nations police (UNPOL, individual officers or formed units) at the site."),
    "medical": ("medical", "A medical unit (clinic or hospital) at the site."),
    "aviation": ("aviation", "An aviation unit (helicopters or fixed-wing aircraft) at the site."),
    "observers": ("military observers", "UN military observers (UNMO) or a team site of observers."),
}

GEO_PKO_CITATION = (
    "Cil, D., Fjelde, H., Hultman, L. & Nilsson, D. (2020). Mapping blue helmets: Introducing the Geo-PKO "
    "dataset. Journal of Peace Research 57(2). Geo-PKO v2.3, Uppsala University."
)
GEO_PKO_URL = "https://github.com/geopko/Geo-PKO-Shiny-Dashboard"


@dataclass(frozen=True)
class Dataset:
    """A public table whose rows facts derive from (``dataset:{key}``, rows ``record:{key}--{line}``).

    ``title`` None: the data set is described in ``datasets.csv`` (one ``dcat:Dataset`` per source
    file, described once).
    """

    key: str
    title: str | None = None
    citation: str | None = None
    url: str | None = None


#: source file (as the CSVs' ``source`` column names it) -> its dataset
DATASETS: dict[str, Dataset] = {
    "raw/geo-pko/FrontMap_v.2.3.csv": Dataset(
        "geo-pko-v2.3-frontmap", "Geo-PKO v2.3, deployments by mission, year and location (FrontMap)",
        GEO_PKO_CITATION, GEO_PKO_URL),
    "raw/geo-pko/TCCMap_v.2.3.csv": Dataset(
        "geo-pko-v2.3-tccmap", "Geo-PKO v2.3, troop-contributing countries by location (TCCMap)",
        GEO_PKO_CITATION, GEO_PKO_URL),
    "raw/bara-hultman/UN and Non-UN Peacekeeping_v2-2019.dta": Dataset(
        "bara-hultman-un-non-un-peacekeeping-v2-2019",
        "UN and Non-UN Peacekeeping Dataset v2-2019 (mission-months; UN figures from the IPI Peacekeeping "
        "Database)",
        "Bara, C. & Hultman, L. (2020). Just Different Hats? Comparing UN and Non-UN Peacekeeping. "
        "International Peacekeeping 27(3): 341-368. UN monthly figures: IPI Peacekeeping Database.",
        "https://github.com/treywood10/Mandate_Contribute"),
    # the same file as contributions.csv's records: one data set, described in datasets.csv
    "raw/un-contributions-corinnee/CountryByYear.csv": Dataset("un-contributions"),
}
#: data set keys of the current release that were merged into another (old key -> key): the old IRI is
#: kept as ``owl:sameAs`` the new one, so that it keeps resolving
RENAMED_DATASETS: dict[str, str] = {"un-contributions-country-by-year": "un-contributions"}
ESTIMATE = "deployment-map-estimate"


def unit_type_iri(code: str) -> URIRef:
    """``pkr:unit-type/infantry``."""
    return URIRef(resource("unit-type", code))


def site_iri(site: str) -> URIRef:
    """``pkr:site/LBR-monrovia``."""
    return URIRef(resource("site", site))


def deployment_iri(mission: str, site: str, year: str) -> URIRef:
    """``pkr:deployment/UNMIL-LBR-monrovia-2003``."""
    return URIRef(resource("deployment", f"{key(mission)}-{site}-{year}"))


def row_iri(source: str, line: str) -> URIRef:
    """The IRI of one row of a source table (its line in the file, header = line 1):
    ``record:geo-pko-v2.3-frontmap--12``, the scheme of every record (:func:`kg.reference.record_iri`)."""
    return record_iri(DATASETS[source].key, line)


def dataset_iri(source: str) -> URIRef:
    """``pkr:dataset/geo-pko-v2.3-frontmap`` for ``raw/geo-pko/FrontMap_v.2.3.csv``."""
    return URIRef(resource("dataset", DATASETS[source].key))


def _number(r: Row, column: str, *, decimal: bool = False) -> Literal | None:
    value = r[column]
    if not value:
        return None
    pattern = r"-?\d+(?:\.\d+)?" if decimal else r"\d+"
    if not re.fullmatch(pattern, value):
        what = "a decimal degree" if decimal else "a whole number"
        raise r.error(column, f"bad number {value!r}; write {what}")
    return Literal(value, datatype=XSD.decimal) if decimal else Literal(int(value), datatype=XSD.integer)


def _schemes(g: Graph) -> None:
    add_scheme(g, "unit-type", "Unit types at deployment sites",
               "The kinds of units Geo-PKO records at a deployment site (its columns Infantry, Reserve, hq, "
               "UNPOL, Med, Av and UNMO).",
               {code: Concept(label, definition) for code, (label, definition) in UNIT_TYPES.items()})
    add_scheme(g, "method", "How figures were obtained",
               "How the figures of a fact were obtained, where the source says so.",
               {ESTIMATE: Concept(
                   "estimate from UN deployment maps",
                   "Numbers estimated by Geo-PKO from UN deployment maps, using standard unit sizes (a "
                   "company about 150, a battalion about 650); not official counts.")})
    for source, dataset in DATASETS.items():
        if dataset.title is None:  # described in datasets.csv
            continue
        d = dataset_iri(source)
        g.add((d, RDF.type, DCAT.Dataset))
        g.add((d, DCTERMS.title, Literal(dataset.title, lang="en")))
        g.add((d, DCTERMS.bibliographicCitation, Literal(dataset.citation)))
        g.add((d, DCAT.landingPage, URIRef(dataset.url)))
        g.add((d, DCTERMS.identifier, Literal(source.rsplit("/", 1)[-1])))  # the file, not a local path
    for old, new in RENAMED_DATASETS.items():
        g.add((URIRef(resource("dataset", old)), OWL.sameAs, URIRef(resource("dataset", new))))


def deployment_graph(
    g: Graph,
    sites: list[Row],
    deployments: list[Row],
    contingents: list[Row],
    countries: set[str],
    acronyms: set[str],
) -> None:
    """Add sites, site-years and contingents to ``g``; a dangling site, mission, country or unit type is
    an InputError naming file, line and column."""
    _schemes(g)
    method = URIRef(resource("method", ESTIMATE))
    known_sites: set[str] = set()
    for r in sites:
        s = site_iri(r["site"])
        if r["site"] in known_sites:
            raise r.error("site", f"site {r['site']} is listed twice; keep one row")
        known_sites.add(r["site"])
        lat, lon = _number(r, "latitude", decimal=True), _number(r, "longitude", decimal=True)
        if lat is None or lon is None:
            raise r.error("latitude", "a site needs latitude and longitude (decimal degrees)")
        g.add((s, RDF.type, PK.DeploymentSite))
        g.add((s, RDF.type, GEO.Feature))
        g.add((s, RDFS.label, Literal(r["name"])))
        for alt in r.list("alt_names"):
            g.add((s, SKOS.altLabel, Literal(alt)))
        geometry = URIRef(str(s) + "/geometry")
        g.add((s, GEO.hasGeometry, geometry))
        g.add((geometry, RDF.type, GEO.Geometry))
        g.add(
            (
                geometry,
                GEO.asWKT,
                Literal(f"POINT({r['longitude']} {r['latitude']})", datatype=GEO.wktLiteral),
            )
        )
        for code in r.list("iso3"):
            g.add((s, PK.inCountry, _country(r, "iso3", code, countries)))
        g.add((s, DCTERMS.source, dataset_iri(r["source"])))
        if r["notes"]:
            g.add((s, SKOS.note, Literal(r["notes"])))
    known: set[URIRef] = set()
    for r in deployments:
        if r["site"] not in known_sites:
            raise r.error("site", f"unknown site {r['site']!r}; use a site of sites.csv")
        d = deployment_iri(r["mission"], r["site"], r["year"])
        if d in known:
            raise r.error(
                "year", f"{r['mission']} at {r['site']} in {r['year']} is listed twice; keep one row"
            )
        known.add(d)
        year = date_literal(r, "year")
        if year is None or year.datatype != XSD.gYear:
            raise r.error("year", f"bad year {r['year']!r}; write YYYY")
        g.add((d, RDF.type, PK.Deployment))
        g.add((d, PK.site, site_iri(r["site"])))
        g.add((d, PK.mission, _mission_ref(r, "mission", r["mission"], acronyms)))
        g.add((d, PK.year, year))
        troops = _number(r, "troops")
        if troops is not None:
            g.add((d, PK.troopEstimate, troops))
        for code in r.list("unit_types"):
            if code not in UNIT_TYPES:
                raise r.error(
                    "unit_types", f"unknown unit type {code!r}; use one of: {', '.join(UNIT_TYPES)}"
                )
            g.add((d, PK.unitType, unit_type_iri(code)))
        hq = _number(r, "hq_level")
        if hq is not None:
            g.add((d, PK.headquartersLevel, hq))
        g.add((d, PK.estimateMethod, method))
        for line in r.list("source_rows"):
            g.add((d, PROV.wasDerivedFrom, source_row(g, "raw/geo-pko/FrontMap_v.2.3.csv", line)))
        for line in r.list("tcc_rows"):
            g.add((d, PROV.wasDerivedFrom, source_row(g, "raw/geo-pko/TCCMap_v.2.3.csv", line)))
    for r in contingents:
        d = deployment_iri(r["mission"], r["site"], r["year"])
        if d not in known:
            raise r.error(
                "site", f"no deployment of {r['mission']} at {r['site']} in {r['year']} in deployments.csv"
            )
        c = URIRef(f"{d}/contingent/{r['contingent']}")
        g.add((d, PK.contingent, c))
        g.add((c, RDF.type, PK.Contingent))
        g.add((c, RDFS.label, Literal(r["name"])))
        if r["iso3"]:
            country = _country(r, "iso3", r["iso3"], countries)
            g.add((c, PK.country, country))
            g.add((d, PK.contributingCountry, country))
        size = _number(r, "size")
        if size is not None:
            g.add((c, PK.approximateSize, size))
        g.add((c, PK.estimateMethod, method))
        g.add((c, PROV.wasDerivedFrom, source_row(g, r["source"], r["source_row"])))


def source_row(g: Graph, source: str, line: str) -> URIRef:
    row = row_iri(source, line)
    g.add((row, RDF.type, PK.SourceRow))
    g.add((row, DCTERMS.isPartOf, dataset_iri(source)))
    return row

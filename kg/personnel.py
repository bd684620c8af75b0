"""Mission personnel over time (data/reference/personnel.csv) -> RDF, with the data-quality flags.

``pkr:personnel/{series}/{MISSION}-{period}`` is a pk:PersonnelCount of one mission in one month
(``pk:month``, xsd:gYearMonth) or year (``pk:year``); the series is ``ipi`` (IPI monthly figures via
Bara's data set, and their yearly means) or ``un-contributions`` (the yearly by-country averages
summed). Flags are concepts of the ``pkr:data-quality`` scheme (``pk:dataQuality``), with the reason
in a skos:note; scripts/convert_personnel.py computes them by its documented rules.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.deployments import PROV, dataset_iri, source_row
from kg.namespaces import key, resource
from kg.reference import PK, Row, _mission_ref, date_literal, integer
from kg.schemes import Concept, add_scheme

SERIES = {
    "ipi": "raw/bara-hultman/UN and Non-UN Peacekeeping_v2-2019.dta",
    "un-contributions": "raw/un-contributions-corinnee/CountryByYear.csv",
}

#: the data-quality scheme: code -> (label, definition)
QUALITY: dict[str, tuple[str, str]] = {
    "partial-year": (
        "partial year",
        "The yearly figure covers only part of the year: the mission started after January or ended "
        "before December, fewer than 12 months have figures, or the source's total over all missions that "
        "year is below 80% of its median year (months missing from a source that averages over 12).",
    ),
    "outlier": (
        "outlier",
        "The figure is below half or above twice its reference: for a year, the median of the years "
        "within two of it in the same series that are not partial; for a month, both adjacent months.",
    ),
}


def personnel_iri(series: str, mission: str, period: str) -> URIRef:
    """``pkr:personnel/un-contributions/MINUSMA-2017``, ``pkr:personnel/ipi/UNAMSIL-1999-12``."""
    return URIRef(resource("personnel", f"{series}/{key(mission)}-{period}"))


def quality_iri(code: str) -> URIRef:
    """``pkr:data-quality/outlier``."""
    return URIRef(resource("data-quality", code))


def _scheme(g: Graph) -> None:
    add_scheme(g, "data-quality", "Data-quality flags",
               "Warnings on figures that a researcher should not take at face value, computed by the rules "
               "of scripts/convert_personnel.py (documented in data/reference/README.md).",
               {code: Concept(label, definition) for code, (label, definition) in QUALITY.items()})


def personnel_graph(g: Graph, rows: list[Row], acronyms: set[str]) -> None:
    """Add every personnel row to ``g``; a bad series, period, number or flag is an InputError."""
    _scheme(g)
    months_of: dict[tuple[str, str, str], list[URIRef]] = defaultdict(list)
    years: list[tuple[URIRef, Row]] = []
    seen: set[URIRef] = set()
    for r in rows:
        if r["series"] not in SERIES:
            raise r.error("series", f"unknown series {r['series']!r}; use one of: {', '.join(SERIES)}")
        period = date_literal(r, "period")
        if period is None or period.datatype not in (XSD.gYear, XSD.gYearMonth):
            raise r.error("period", f"bad period {r['period']!r}; write YYYY or YYYY-MM")
        p = personnel_iri(r["series"], r["mission"], r["period"])
        if p in seen:
            raise r.error("period",
                          f"{r['series']} {r['mission']} {r['period']} is listed twice; keep one row")
        seen.add(p)
        g.add((p, RDF.type, PK.PersonnelCount))
        g.add((p, PK.mission, _mission_ref(r, "mission", r["mission"], acronyms)))
        g.add((p, PK.month if period.datatype == XSD.gYearMonth else PK.year, period))
        for column, prop in (("troops", PK.troops), ("police", PK.police), ("observers", PK.observers),
                             ("total", PK.personnelTotal)):
            if r[column]:
                g.add((p, prop, integer(r, column)))
        if r["months"]:
            g.add((p, PK.monthsCovered, integer(r, "months")))
        for code in r.list("data_quality"):
            if code not in QUALITY:
                raise r.error("data_quality", f"unknown flag {code!r}; use one of: {', '.join(QUALITY)}")
            g.add((p, PK.dataQuality, quality_iri(code)))
        if r["quality_note"]:
            g.add((p, SKOS.note, Literal(r["quality_note"])))
        g.add((p, DCTERMS.source, dataset_iri(SERIES[r["series"]])))
        for line in r.list("source_rows"):
            g.add((p, PROV.wasDerivedFrom, source_row(g, SERIES[r["series"]], line)))
        if period.datatype == XSD.gYearMonth:
            months_of[(r["series"], r["mission"], r["period"][:4])].append(p)
        else:
            years.append((p, r))
    for p, r in years:  # a yearly mean derives from its months
        for month in months_of.get((r["series"], r["mission"], r["period"]), []):
            g.add((p, PROV.wasDerivedFrom, month))

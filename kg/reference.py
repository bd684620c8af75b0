"""Reference CSVs (data/reference/) and the ontology (ontology/) -> RDF.

The CSVs are checked as they are read: a missing column, a bad date, an unknown country code or a
reference to a mission/body that does not exist stops with an :class:`InputError` naming the file,
the line and the column. Output N-Triples are sorted, so the same inputs give the same bytes.

>>> from kg.config import Settings
>>> g = reference_graph(Settings().reference_dir)
>>> (URIRef(resource("mission", "UNAMSIL")), PK.acronym, Literal("UNAMSIL")) in g
True
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, TIME

from kg.errors import InputError
from kg.namespaces import PK as PK_IRI
from kg.namespaces import PREFIXES, date_datatype, key, resource, tenure_iri

PK = Namespace(PK_IRI)
SCHEMA = Namespace("https://schema.org/")

#: columns each reference file must have, in the order scripts/convert_reference.py writes them
REQUIRED_COLUMNS: dict[str, list[str]] = {
    "countries.csv": [
        "iso3",
        "iso2",
        "numeric",
        "name",
        "official_name",
        "aliases",
        "demonyms",
        "continent",
        "historic",
        "source",
        "source_quality",
    ],
    "missions.csv": [
        "acronym",
        "name",
        "kind",
        "host_iso3",
        "region",
        "established_resolution",
        "established_date",
        "start_date",
        "end_date",
        "status",
        "predecessor",
        "successor",
        "headquarters",
        "alt_names",
        "source",
        "source_quality",
        "notes",
    ],
    "officials.csv": [
        "person_id",
        "name",
        "alt_names",
        "nationality_iso3",
        "post",
        "post_org",
        "post_org_id",
        "role",
        "post_id",
        "tenure_id",
        "start_date",
        "end_date",
        "start_status",
        "end_status",
        "old_post_id",
        "old_tenure_id",
        "source",
        "source_quality",
        "notes",
    ],
    "un_bodies.csv": [
        "body_id",
        "name",
        "acronym",
        "alt_names",
        "kind",
        "parent",
        "established",
        "superseded_by",
        "source",
        "source_quality",
        "notes",
    ],
    "frameworks.csv": ["framework_id", "name", "acronym", "alt_names", "year", "issuer", "source",
                       "source_quality", "notes"],
    "contributions.csv": ["mission", "iso3", "year", "female", "male", "total", "source", "source_quality"],
    "cameo.csv": ["code", "label", "parent", "source", "source_quality"],
    "datasets.csv": ["dataset_id", "title", "producer", "url", "license", "rights", "version", "modified",
                     "fetched", "record_kind"],
    "sites.csv": ["site", "name", "alt_names", "iso3", "latitude", "longitude", "source", "notes"],
    "deployments.csv": ["mission", "site", "year", "troops", "unit_types", "hq_level", "contributors",
                        "source_rows", "tcc_rows", "source"],
    "contingents.csv": ["mission", "site", "year", "contingent", "iso3", "name", "size", "source_row",
                        "source"],
    "personnel.csv": ["series", "mission", "period", "troops", "police", "observers", "total", "months",
                      "data_quality", "quality_note", "source_rows", "source"],
    "conversion_report.csv": ["source", "line", "value", "problem", "decision"],
}

#: tables of links to other graphs, written by scripts/convert_wikidata.py (not by convert_reference.py)
LINK_COLUMNS: dict[str, list[str]] = {"wikidata.csv": ["kind", "key", "wikidata", "name", "source"]}
#: Wikidata's entity namespace (``wd:`` in kg.namespaces)
WIKIDATA = "http://www.wikidata.org/entity/"

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
RESOLUTION_RE = re.compile(r"\b([SA])/RES/(\d+) \(([^)]+)\)")
MISSION_KINDS = {"peacekeeping": PK.PeacekeepingMission, "political": PK.PoliticalMission}


@dataclass(frozen=True)
class Row:
    """One CSV record with where it came from, so that errors can name file, line and column."""

    path: Path
    line: int
    data: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.data[column]

    def error(self, column: str, message: str) -> InputError:
        return InputError(message, path=str(self.path), line=self.line, column=column)

    def list(self, column: str, sep: str = ";") -> list[str]:
        return [p.strip() for p in self.data[column].split(sep) if p.strip()]


def read_table(path: Path) -> list[Row]:
    """Rows of one reference CSV; a missing file or column is an InputError naming it."""
    script = "convert_wikidata.py" if path.name in LINK_COLUMNS else "convert_reference.py"
    if not path.exists():
        raise InputError(f"reference file is missing; regenerate it with scripts/{script}", path=str(path))
    required = REQUIRED_COLUMNS.get(path.name) or LINK_COLUMNS.get(path.name, [])
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            for column in required:
                if column not in header:
                    raise InputError(
                        f"missing column; the header needs: {', '.join(required)}",
                        path=str(path),
                        line=1,
                        column=column,
                    )
            rows = []
            for record in reader:
                if None in record:
                    raise InputError(
                        f"{len(header) + len(record[None])} fields where the header has "
                        f"{len(header)}; quote cells that contain commas",
                        path=str(path),
                        line=reader.line_num,
                    )
                rows.append(Row(path, reader.line_num, {k: (v or "").strip() for k, v in record.items()}))
            return rows
    except UnicodeDecodeError as e:
        raise InputError(
            f"not UTF-8 ({e.reason} at byte {e.start}); save the file as UTF-8", path=str(path)
        ) from e


def date_literal(row: Row, column: str) -> Literal | None:
    """YYYY-MM-DD / YYYY-MM / YYYY as xsd:date / xsd:gYearMonth / xsd:gYear; empty -> None."""
    value = row[column]
    if not value:
        return None
    datatype = date_datatype(value)
    if datatype is None:
        raise row.error(column, f"bad date {value!r}; write YYYY-MM-DD, YYYY-MM or YYYY")
    return Literal(value, datatype=URIRef(datatype))


def integer(row: Row, column: str) -> Literal:
    """A whole number of persons as xsd:integer; anything else is an InputError."""
    value = row[column]
    if not re.fullmatch(r"\d+", value):
        raise row.error(column, f"bad number {value!r}; write a whole number of persons")
    return Literal(int(value), datatype=XSD.integer)


#: what ``source_quality`` says of a row's sources (data/reference/README.md)
SOURCE_QUALITIES = ("primary", "secondary", "weak", "unverified", "dataset")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def dataset_iri(dataset_id: str) -> URIRef:
    """The IRI of a data set the reference facts come from (``dataset:un-psdata``)."""
    return URIRef(resource("dataset", key(dataset_id)))


def record_iri(dataset_id: str, record: str) -> URIRef:
    """The IRI of one record (row) of a data set (``record:un-psdata--55``)."""
    return URIRef(resource("record", f"{key(dataset_id)}--{key(record)}"))


def add_sources(g: Graph, subject: URIRef, row: Row, column: str = "source") -> None:
    """The sources of one row, strongest first as the converter wrote them: a page or UN document
    becomes ``dcterms:source <url>``; a data set record ``dataset:{id}#{record}`` becomes
    ``prov:wasDerivedFrom`` the record's IRI (part of the ``dcat:Dataset``) and ``dcterms:source``
    the data set. ``pk:sourceQuality`` says how strong they are (``weak`` / ``unverified``: no
    strong source is known). A source that is neither is an InputError: no literal, no local path.
    """
    for part in row.list(column, "|"):
        if re.match(r"https?://\S+$", part):
            g.add((subject, DCTERMS.source, URIRef(part)))
            _describe_page(g, URIRef(part))
            continue
        m = re.fullmatch(r"dataset:([A-Za-z0-9._-]+)(?:#(\S+))?", part)
        if m is None:
            raise row.error(column, f"source {part!r} is neither an http(s) URL nor dataset:ID#RECORD; "
                                    f"regenerate the file with scripts/convert_reference.py")
        dataset = dataset_iri(m[1])
        g.add((subject, DCTERMS.source, dataset))
        if m[2]:
            rec = record_iri(m[1], m[2])
            g.add((subject, PROV.wasDerivedFrom, rec))
            g.add((rec, DCTERMS.isPartOf, dataset))
            g.add((rec, DCTERMS.identifier, Literal(m[2])))
    quality = row.data.get("source_quality", "")
    if quality:
        if quality not in SOURCE_QUALITIES:
            raise row.error("source_quality", f"unknown source quality {quality!r}; use one of: "
                                              f"{', '.join(SOURCE_QUALITIES)}")
        g.add((subject, PK.sourceQuality, Literal(quality)))


#: UN press release pages: (year, series letters, number) -> the release's document symbol
_PRESS = re.compile(r"https?://(?:press\.un\.org|(?:www\.)?un\.org/press)/[a-z]{2}/\d{4}/([a-z]+?)(\d+)(?:\.doc)?\.htm",
                    re.IGNORECASE)
#: press release series as their symbols write them
_PRESS_SERIES = {"sc": "SC", "sga": "SG/A", "sgsm": "SG/SM", "ga": "GA", "gaspd": "GA/SPD", "pko": "PKO",
                 "org": "ORG", "gapk": "GA/PK", "sgt": "SG/T", "obv": "OBV", "pi": "PI"}


def press_release_symbol(url: str) -> str | None:
    """The document symbol of a UN press release page, or None.

    >>> press_release_symbol("https://press.un.org/en/2014/sc11349.doc.htm")
    'SC/11349'
    >>> press_release_symbol("https://www.un.org/press/fr/2017/sga1705.doc.htm")
    'SG/A/1705'
    """
    m = _PRESS.match(url)
    if m is None or m[1].lower() not in _PRESS_SERIES:
        return None
    return f"{_PRESS_SERIES[m[1].lower()]}/{int(m[2])}"


def undocs_url(symbol: str) -> str:
    """The stable address of a UN document at the UN's document system: ``S/RES/1270 (1999)`` ->
    ``https://undocs.org/S/RES/1270(1999)``."""
    return "https://undocs.org/" + quote(symbol.replace(" ", ""), safe="/()-.")


def _describe_page(g: Graph, url: URIRef) -> None:
    """A UN press release page gets its symbol, so that it can be cited by it."""
    symbol = press_release_symbol(str(url))
    if symbol:
        g.add((url, RDF.type, FOAF.Document))
        g.add((url, DCTERMS.identifier, Literal(symbol)))


def _datasets(g: Graph, rows: list[Row]) -> None:
    """The data sets of datasets.csv as ``dcat:Dataset`` resources: title, producer, landing page,
    licence, version, last change and the day they were fetched (where known)."""
    for r in rows:
        d = dataset_iri(r["dataset_id"])
        g.add((d, RDF.type, DCAT.Dataset))
        g.add((d, RDF.type, PROV.Entity))
        g.add((d, DCTERMS.title, Literal(r["title"], lang="en")))
        g.add((d, DCTERMS.identifier, Literal(r["dataset_id"])))
        if r["producer"]:
            g.add((d, DCTERMS.bibliographicCitation, Literal(r["producer"])))
        if r["url"]:
            g.add((d, DCAT.landingPage, URIRef(r["url"])))
        if r["license"]:
            g.add((d, DCTERMS.license, URIRef(r["license"])))
        if r["rights"]:
            g.add((d, DCTERMS.rights, Literal(r["rights"], lang="en")))
        if r["version"]:
            g.add((d, DCAT.version, Literal(r["version"])))
        for column, prop in (("modified", DCTERMS.modified), ("fetched", PK.retrievedOn)):
            value = date_literal(r, column)
            if value is not None:
                g.add((d, prop, value))
        if r["record_kind"]:
            g.add((d, SKOS.note, Literal(f"records are keyed by {r['record_kind']}", lang="en")))


def resolution_key(kind: str, number: str, session: str) -> str:
    """'S', '1270', '1999' -> 'S-RES-1270-1999' (the IRI key of S/RES/1270 (1999))."""
    return key(f"{kind}-RES-{number}-{session}")


def mission_iri(acronym: str) -> URIRef:
    """The IRI of a mission from its acronym (``mission:UNAMSIL``)."""
    return URIRef(resource("mission", key(acronym)))


def country_iri(iso3: str) -> URIRef:
    """The IRI of a country from its ISO 3166-1 alpha-3 code (``country:SLE``)."""
    return URIRef(resource("country", iso3))


def new_graph() -> Graph:
    """An empty rdflib Graph with our prefixes bound (so that Turtle output uses them)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


# ---- the reference graph ------------------------------------------------------------------------
def reference_graph(reference_dir: Path) -> Graph:
    """Every reference fact (countries, missions, resolutions, bodies, frameworks, officials, posts,
    tenures, contributions) as one rdflib Graph. The CAMEO scheme goes with the ontology."""
    reference_dir = Path(reference_dir)
    g = new_graph()
    _datasets(g, read_table(reference_dir / "datasets.csv"))
    countries = _countries(g, read_table(reference_dir / "countries.csv"))
    missions = read_table(reference_dir / "missions.csv")
    acronyms = {r["acronym"] for r in missions}
    bodies = read_table(reference_dir / "un_bodies.csv")
    body_ids = {r["body_id"] for r in bodies}
    _missions(g, missions, countries)
    _bodies(g, bodies, body_ids)
    _frameworks(g, read_table(reference_dir / "frameworks.csv"), body_ids)
    _officials(g, read_table(reference_dir / "officials.csv"), countries, acronyms, body_ids)
    _contributions(g, read_table(reference_dir / "contributions.csv"), countries, acronyms)
    _wikidata(g, read_table(reference_dir / "wikidata.csv"), countries, acronyms)
    from kg.deployments import deployment_graph  # these modules import this one

    tables = (read_table(reference_dir / f) for f in ("sites.csv", "deployments.csv", "contingents.csv"))
    deployment_graph(g, *tables, countries, acronyms)
    from kg.personnel import personnel_graph

    personnel_graph(g, read_table(reference_dir / "personnel.csv"), acronyms)
    return g


def reference_ntriples(reference_dir: Path) -> bytes:
    """The reference graph as sorted N-Triples (same CSVs -> same bytes).

    Kept per process for the same files (names, sizes, modification times): converting ~300,000 triples
    takes seconds, and one process (a test run, a build after an ingest) often needs it more than once.
    """
    folder = Path(reference_dir).resolve()
    stamp = tuple(sorted((p.name, st.st_size, st.st_mtime_ns)
                         for p in folder.glob("*.csv") for st in (p.stat(),)))
    return _reference_ntriples(str(folder), stamp)


@lru_cache(maxsize=2)
def _reference_ntriples(folder: str, _stamp: tuple[tuple[str, int, int], ...]) -> bytes:
    return sorted_ntriples(reference_graph(Path(folder)))


def sorted_ntriples(g: Graph) -> bytes:
    """A graph as sorted, duplicate-free N-Triples lines (deterministic bytes)."""
    lines = g.serialize(format="nt", encoding="utf-8").splitlines()
    return b"".join(sorted(set(line + b"\n" for line in lines if line.strip())))


def _countries(g: Graph, rows: list[Row]) -> set[str]:
    codes: set[str] = set()
    for r in rows:
        iso3 = r["iso3"]
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise r.error(
                "iso3", f"bad country code {iso3!r}; use three capital letters (ISO 3166-1 alpha-3)"
            )
        if iso3 in codes:
            raise r.error("iso3", f"country {iso3} is listed twice; keep one row")
        codes.add(iso3)
        c = country_iri(iso3)
        g.add((c, RDF.type, PK.Country))
        g.add((c, SKOS.prefLabel, Literal(r["name"], lang="en")))
        g.add((c, SKOS.notation, Literal(iso3, datatype=PK.ISO3166Alpha3)))
        if r["iso2"]:
            g.add((c, SKOS.notation, Literal(r["iso2"], datatype=PK.ISO3166Alpha2)))
        if r["official_name"]:
            g.add((c, PK.officialName, Literal(r["official_name"])))
        for alias in r.list("aliases"):
            g.add((c, SKOS.altLabel, Literal(alias)))
        for demonym in r.list("demonyms"):
            g.add((c, PK.demonym, Literal(demonym)))
        if r["continent"]:
            g.add((c, PK.continent, Literal(r["continent"])))
        if r["historic"] == "true":
            g.add((c, PK.historic, Literal(True)))
        add_sources(g, c, r)
    return codes


def _wikidata(g: Graph, rows: list[Row], countries: set[str], acronyms: set[str]) -> None:
    """``owl:sameAs`` the Wikidata item, for each entity a source gives one for (wikidata.csv: countries
    from Natural Earth's WIKIDATAID column, missions from the curated table); never guessed, so an
    entity without a row has no link. The row's source is cited like any other fact's."""
    for r in rows:
        if not re.fullmatch(r"Q[1-9][0-9]*", r["wikidata"]):
            raise r.error("wikidata", f"{r['wikidata']!r} is no Wikidata item id (Q and digits); regenerate "
                                      f"the file with scripts/convert_wikidata.py")
        if r["kind"] == "country":
            subject = _country(r, "key", r["key"], countries)
        elif r["kind"] == "mission":
            subject = _mission_ref(r, "key", r["key"], acronyms)
        else:
            raise r.error("kind", f"unknown kind {r['kind']!r}; use country or mission")
        g.add((subject, OWL.sameAs, URIRef(WIKIDATA + r["wikidata"])))
        add_sources(g, subject, r)


def _country(r: Row, column: str, code: str, countries: set[str]) -> URIRef:
    if code not in countries:
        raise r.error(
            column, f"unknown country code {code!r}; use an ISO 3166-1 alpha-3 code from countries.csv"
        )
    return country_iri(code)


def _mission_ref(r: Row, column: str, acronym: str, acronyms: set[str]) -> URIRef:
    if acronym not in acronyms:
        raise r.error(column, f"unknown mission {acronym!r}; add it to missions.csv or fix the acronym")
    return mission_iri(acronym)


def _body_ref(r: Row, column: str, body_id: str, body_ids: set[str]) -> URIRef:
    if body_id not in body_ids:
        raise r.error(column, f"unknown body {body_id!r}; use a body_id of un_bodies.csv")
    return URIRef(resource("body", body_id))


def _missions(g: Graph, rows: list[Row], countries: set[str]) -> None:
    acronyms: set[str] = set()
    for r in rows:
        if not r["acronym"]:
            raise r.error("acronym", "empty acronym; every mission needs one")
        if r["acronym"] in acronyms:
            raise r.error("acronym", f"mission {r['acronym']} is listed twice; keep one row")
        acronyms.add(r["acronym"])
    for r in rows:
        m = mission_iri(r["acronym"])
        kind = MISSION_KINDS.get(r["kind"])
        if kind is None:
            raise r.error("kind", f"unknown kind {r['kind']!r}; use one of: {', '.join(MISSION_KINDS)}")
        g.add((m, RDF.type, kind))
        g.add((m, RDF.type, PK.Mission))
        g.add((m, PK.acronym, Literal(r["acronym"])))
        if r["name"]:
            g.add((m, SKOS.prefLabel, Literal(r["name"], lang="en")))
        for alt in r.list("alt_names"):
            g.add((m, SKOS.altLabel, Literal(alt)))
        for code in r.list("host_iso3"):
            g.add((m, PK.hostCountry, _country(r, "host_iso3", code, countries)))
        for column, prop in (("start_date", SCHEMA.startDate), ("end_date", SCHEMA.endDate)):
            value = date_literal(r, column)
            if value is not None:
                g.add((m, prop, value))
        adopted = date_literal(r, "established_date")
        _resolutions(g, m, r, adopted)
        for column, prop in (("status", PK.status), ("headquarters", PK.headquarters), ("region", PK.region)):
            if r[column]:
                g.add((m, prop, Literal(r[column])))
        if r["status"] and r["status"] not in ("active", "closed"):
            raise r.error("status", f"unknown status {r['status']!r}; use active or closed")
        for other in r.list("predecessor"):
            _succession(g, _mission_ref(r, "predecessor", other, acronyms), m)
        for other in r.list("successor"):
            _succession(g, m, _mission_ref(r, "successor", other, acronyms))
        add_sources(g, m, r)
        if r["notes"]:
            g.add((m, SKOS.note, Literal(r["notes"])))


def _succession(g: Graph, before: URIRef, after: URIRef) -> None:
    """Both directions of pk:successor/pk:predecessor, and the ORG change event between them."""
    g.add((before, PK.successor, after))
    g.add((after, PK.predecessor, before))
    event = URIRef(resource("succession", f"{before.rsplit('/', 1)[1]}--{after.rsplit('/', 1)[1]}"))
    g.add((event, RDF.type, PK.SuccessionEvent))
    g.add((event, RDF.type, ORG.ChangeEvent))
    g.add((event, ORG.originalOrganization, before))
    g.add((after, ORG.resultedFrom, event))


def _resolutions(g: Graph, mission: URIRef, r: Row, adopted: Literal | None) -> None:
    """pk:establishedBy for every S/RES or A/RES symbol in the cell; the adoption date goes on the
    resolution only when the cell names exactly one resolution and nothing else."""
    text = r["established_resolution"]
    found = RESOLUTION_RE.findall(text)
    if text and not found:
        raise r.error(
            "established_resolution",
            f"no resolution symbol in {text!r}; write S/RES/n (year) or A/RES/n (session)",
        )
    only_one = len(found) == 1 and RESOLUTION_RE.fullmatch(text) is not None
    for organ, number, session in found:
        res = URIRef(resource("resolution", resolution_key(organ, number, session)))
        symbol = f"{organ}/RES/{number} ({session})"
        g.add((res, RDF.type, PK.SecurityCouncilResolution if organ == "S" else PK.GeneralAssemblyResolution))
        g.add((res, RDF.type, PK.Resolution))
        g.add((res, DCTERMS.identifier, Literal(symbol)))
        g.add((res, SKOS.prefLabel, Literal(symbol, lang="en")))
        g.add((res, FOAF.page, URIRef(undocs_url(symbol))))
        if only_one and adopted is not None:
            g.add((res, DCTERMS.date, adopted))
        g.add((mission, PK.establishedBy, res))
    if text and not only_one:
        g.add((mission, SKOS.note, Literal(f"Established by: {text}")))


def _org_iri(value: str) -> URIRef:
    return URIRef(resource(*value.split("/", 1)))


def _bodies(g: Graph, rows: list[Row], body_ids: set[str]) -> None:
    for r in rows:
        b = URIRef(resource("body", r["body_id"]))
        regional = "regional" in r["kind"]
        g.add((b, RDF.type, PK.RegionalOrganization if regional else PK.UNBody))
        g.add((b, RDF.type, ORG.Organization))
        g.add((b, SKOS.prefLabel, Literal(r["name"], lang="en")))
        if r["acronym"]:
            g.add((b, PK.acronym, Literal(r["acronym"])))
        for alt in r.list("alt_names"):
            g.add((b, SKOS.altLabel, Literal(alt)))
        if r["kind"]:
            g.add((b, PK.bodyKind, Literal(r["kind"])))
        for column, prop in (("parent", ORG.subOrganizationOf), ("superseded_by", PK.supersededBy)):
            if r[column]:
                g.add((b, prop, _body_ref(r, column, r[column], body_ids)))
        founded = date_literal(r, "established")
        if founded is not None:
            g.add((b, SCHEMA.foundingDate, founded))
        add_sources(g, b, r)
        if r["notes"]:
            g.add((b, SKOS.note, Literal(r["notes"])))


def _frameworks(g: Graph, rows: list[Row], body_ids: set[str]) -> None:
    for r in rows:
        f = URIRef(resource("framework", r["framework_id"]))
        g.add((f, RDF.type, PK.Framework))
        g.add((f, SKOS.prefLabel, Literal(r["name"], lang="en")))
        if r["acronym"]:
            g.add((f, PK.acronym, Literal(r["acronym"])))
        for alt in r.list("alt_names"):
            g.add((f, SKOS.altLabel, Literal(alt)))
        year = date_literal(r, "year")
        if year is not None:
            g.add((f, DCTERMS.date, year))
        if r["issuer"]:
            g.add((f, DCTERMS.creator, _body_ref(r, "issuer", r["issuer"], body_ids)))
        add_sources(g, f, r)
        if r["notes"]:
            g.add((f, SKOS.note, Literal(r["notes"])))


#: the OWL-Time property of a date at each precision date_literal produces
_TIME_PROPERTY = {XSD.date: TIME.inXSDDate, XSD.gYearMonth: TIME.inXSDgYearMonth, XSD.gYear: TIME.inXSDgYear}


def _instant(g: Graph, node: URIRef, value: Literal) -> None:
    g.add((node, RDF.type, TIME.Instant))
    g.add((node, _TIME_PROPERTY[value.datatype], value))


def _officials(
    g: Graph, rows: list[Row], countries: set[str], acronyms: set[str], body_ids: set[str]
) -> None:
    from kg.roles import ROLES, role_scheme

    roles = set(ROLES)
    role_scheme(g)
    tenures: set[URIRef] = set()
    for r in rows:
        person = URIRef(resource("person", r["person_id"]))
        g.add((person, RDF.type, FOAF.Person))
        g.add((person, RDF.type, SCHEMA.Person))
        g.add((person, FOAF.name, Literal(r["name"])))
        g.add((person, SKOS.prefLabel, Literal(r["name"], lang="en")))
        for alt in r.list("alt_names"):
            g.add((person, SKOS.altLabel, Literal(alt)))
        if r["nationality_iso3"]:
            g.add((person, PK.nationality, _country(r, "nationality_iso3", r["nationality_iso3"], countries)))
        kind, _, org_key = r["post_org_id"].partition("/")
        if kind == "mission":
            _mission_ref(r, "post_org_id", org_key, acronyms)
        elif kind != "body" or org_key not in body_ids:
            raise r.error(
                "post_org_id",
                f"unknown organization {r['post_org_id']!r}; write body/<body_id> or mission/<acronym>",
            )
        organization = URIRef(resource(kind, key(org_key)))
        from kg.roles import post_iri, post_label, role_iri

        if r["role"] not in roles:
            raise r.error("role", f"unknown role {r['role']!r}; use a role of the post scheme (kg/roles.py)")
        post = post_iri(r["post_id"])
        g.add((post, RDF.type, ORG.Post))
        g.add((post, SKOS.prefLabel, Literal(post_label(r["role"], r["post_org"]), lang="en")))
        g.add((post, ORG.postIn, organization))
        g.add((post, PK.roleType, role_iri(r["role"])))
        g.add((person, ORG.holds, post))
        if r["old_post_id"] and URIRef(resource("post", r["old_post_id"])) != post:
            g.add((URIRef(resource("post", r["old_post_id"])), OWL.sameAs, post))

        start, end = date_literal(r, "start_date"), date_literal(r, "end_date")
        tenure = URIRef(tenure_iri(r["tenure_id"]))
        if tenure in tenures:
            raise r.error("tenure_id", f"tenure {r['tenure_id']} is listed twice; keep one row")
        tenures.add(tenure)
        if r["old_tenure_id"]:
            g.add((URIRef(resource("tenure", r["old_tenure_id"])), OWL.sameAs, tenure))
        g.add((tenure, PK.postTitle, Literal(r["post"], lang="en")))
        for column, prop in (("start_status", PK.startDateUnknown), ("end_status", PK.endDateUnknown)):
            allowed = ("known", "unknown", "open") if column == "end_status" else ("known", "unknown")
            if r[column] not in allowed:
                raise r.error(column, f"bad status {r[column]!r}; write one of: {', '.join(allowed)}")
            if r[column] == "unknown":
                g.add((tenure, prop, Literal(True)))
        if r["end_status"] == "open":
            g.add((tenure, PK.openEnded, Literal(True)))
        g.add((tenure, RDF.type, ORG.Membership))
        g.add((tenure, ORG.member, person))
        g.add((tenure, ORG.organization, organization))
        g.add((tenure, ORG.role, post))
        interval = URIRef(str(tenure) + "#interval")
        g.add((tenure, ORG.memberDuring, interval))
        g.add((interval, RDF.type, TIME.Interval))
        if start is not None:
            g.add((tenure, SCHEMA.startDate, start))
            g.add((interval, TIME.hasBeginning, URIRef(str(tenure) + "#start")))
            _instant(g, URIRef(str(tenure) + "#start"), start)
        if end is not None:
            g.add((tenure, SCHEMA.endDate, end))
            g.add((interval, TIME.hasEnd, URIRef(str(tenure) + "#end")))
            _instant(g, URIRef(str(tenure) + "#end"), end)
        if re.search(r"\bacting\b", r["post"], re.IGNORECASE):
            g.add((tenure, PK.acting, Literal(True)))
        add_sources(g, tenure, r)
        if r["notes"]:
            g.add((tenure, SKOS.note, Literal(r["notes"])))


def _contributions(g: Graph, rows: list[Row], countries: set[str], acronyms: set[str]) -> None:
    for r in rows:
        mission = _mission_ref(r, "mission", r["mission"], acronyms)
        country = _country(r, "iso3", r["iso3"], countries)
        year = date_literal(r, "year")
        if year is None or year.datatype != XSD.gYear:
            raise r.error("year", f"bad year {r['year']!r}; write YYYY")
        c = URIRef(resource("contribution", f"{key(r['mission'])}--{r['iso3']}--{r['year']}"))
        g.add((c, RDF.type, PK.Contribution))
        g.add((c, PK.contributor, country))
        g.add((c, PK.mission, mission))
        g.add((c, PK.year, year))
        g.add((c, PK.personnelTotal, integer(r, "total")))
        g.add((c, PK.personnelFemale, integer(r, "female")))
        g.add((c, PK.personnelMale, integer(r, "male")))
        add_sources(g, c, r)


# ---- the ontology graph (with the CAMEO scheme) ---------------------------------------------------
def parse_turtle(path: Path) -> Graph:
    """A Turtle file; a syntax error becomes an InputError naming the file and line."""
    g = new_graph()
    if not path.exists():
        raise InputError("file is missing", path=str(path))
    try:
        g.parse(path, format="turtle")
    except Exception as e:  # rdflib raises several types (BadSyntax, ParserError…)
        line = getattr(e, "lines", None)
        text = str(e).strip().splitlines()
        raise InputError(
            f"not valid Turtle ({text[-1] if text else type(e).__name__}); fix the syntax",
            path=str(path),
            line=(line + 1) if isinstance(line, int) else None,
        ) from e
    return g


def cameo_graph(reference_dir: Path) -> Graph:
    """CAMEO event codes as a SKOS concept scheme ``{base}id/cameo`` (skos:broader = the parent code)."""
    rows = read_table(Path(reference_dir) / "cameo.csv")
    g = new_graph()
    scheme = URIRef(resource("cameo", "")[:-1])
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("CAMEO event codes", lang="en")))
    g.add(
        (
            scheme,
            SKOS.definition,
            Literal(
                "The Conflict and Mediation Event Observations (CAMEO) event codes (Schrodt et al.), "
                "used to classify speech acts; UN-register refinements link to the code they refine "
                "with pk:extendsCameo.",
                lang="en",
            ),
        )
    )
    g.add((scheme, DCTERMS.source, dataset_iri("cameo-eventcodes")))
    codes = {r["code"] for r in rows}
    for r in rows:
        if not re.fullmatch(r"\d{1,4}", r["code"]):
            raise r.error("code", f"bad CAMEO code {r['code']!r}; write 1-4 digits with leading zeros")
        concept = URIRef(resource("cameo", r["code"]))
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.notation, Literal(r["code"])))
        g.add((concept, SKOS.prefLabel, Literal(r["label"], lang="en")))
        g.add((concept, SKOS.inScheme, scheme))
        add_sources(g, concept, r)
        if r["parent"]:
            if r["parent"] not in codes:
                raise r.error("parent", f"unknown CAMEO code {r['parent']!r}; add it or fix the parent")
            g.add((concept, SKOS.broader, URIRef(resource("cameo", r["parent"]))))
        else:
            g.add((concept, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, concept))
    return g


def ontology_graph(ontology_dir: Path, reference_dir: Path | None = None) -> Graph:
    """ontology/peacekeeping.ttl plus the CAMEO scheme from ``reference_dir`` (default: the sibling
    data/reference, when it exists)."""
    ontology_dir = Path(ontology_dir)
    g = parse_turtle(ontology_dir / "peacekeeping.ttl")
    if reference_dir is None:
        default = ontology_dir.parent / "data" / "reference"
        reference_dir = default if (default / "cameo.csv").exists() else None
    if reference_dir is not None:
        g += cameo_graph(reference_dir)
    return g


def ontology_ntriples(ontology_dir: Path, reference_dir: Path | None = None) -> bytes:
    """The ontology graph as sorted N-Triples."""
    return sorted_ntriples(ontology_graph(ontology_dir, reference_dir))


def shapes_graph(ontology_dir: Path) -> Graph:
    """ontology/shapes.ttl."""
    return parse_turtle(Path(ontology_dir) / "shapes.ttl")


def terms(g: Graph) -> Iterator[URIRef]:
    """Our own terms (pk:) declared in a graph: classes, properties, datatypes, sorted."""
    kinds = {
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
    }
    found = {
        s
        for kind in kinds
        for s in g.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(PK_IRI)
    }
    yield from sorted(found)

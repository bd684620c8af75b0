"""Project the RDF graph onto a networkx graph for viewers: views, focus, filters, sampling, layout.

Everything is read through ``store.query`` (SPARQL over the union of named graphs); nothing loads
the whole store into rdflib. The result is a ``networkx.MultiDiGraph`` whose nodes are keyed by IRI
and carry only GraphML/GEXF-safe values (``str``/``int``/``float``, absent rather than ``None``):

- node ``type`` (one of :data:`TYPES`), ``label``, ``iri``; where known ``date`` or ``start``/``end``
  (ISO strings at the source's precision), ``personnel`` (peak yearly average of uniformed personnel),
  ``acronym``, ``aliases`` (``" | "``-joined), and per type facts such as ``status``, ``quote``,
  ``sentence``, ``verb``, ``url``;
- edge ``relation`` (the predicate's local name: ``hostCountry``, ``contributor``, ``speaker``,
  ``mentions`` …) and ``why`` (one sentence saying why the edge is there), plus ``start``/``end``/
  ``personnel`` for contributions and tenures.

Edges keep the RDF direction (``statement -speaker-> person``) except two that the RDF holds as
n-ary nodes: ``country -contributor-> mission`` (from ``pk:Contribution``, aggregated over years)
and ``person -heldPost-> body|mission`` (from ``org:Membership``).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg.errors import NotFound, UsageError
from kg.names import normalize, suggest, surname
from kg.namespaces import PK, sparql_prologue

if TYPE_CHECKING:  # networkx is imported where it is used, so that `kg --help` stays fast
    import networkx as nx

    from kg.store import Store

#: node types, in legend order
TYPES: tuple[str, ...] = (
    "mission", "country", "person", "statement", "body", "organization", "framework", "resolution",
    "document", "other",
)
VIEWS: tuple[str, ...] = ("all", "overview", "statements")

#: rdf:type -> node type; the first class an entity has in this order wins
CLASS_TYPES: tuple[tuple[str, str], ...] = (
    (PK + "Statement", "statement"),
    (PK + "PeacekeepingMission", "mission"),
    (PK + "PoliticalMission", "mission"),
    (PK + "Mission", "mission"),
    (PK + "Country", "country"),
    ("http://xmlns.com/foaf/0.1/Person", "person"),
    ("https://schema.org/Person", "person"),
    (PK + "UNBody", "body"),
    (PK + "RegionalOrganization", "organization"),
    (PK + "Framework", "framework"),
    (PK + "SecurityCouncilResolution", "resolution"),
    (PK + "GeneralAssemblyResolution", "resolution"),
    (PK + "Resolution", "resolution"),
    (PK + "SourceDocument", "document"),
    ("http://www.w3.org/ns/org#Organization", "organization"),
)

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"

#: literal properties kept as node attributes: predicate -> attribute name (multi-valued ones are joined)
LITERAL_ATTRS: dict[str, str] = {
    PK + "acronym": "acronym",
    SKOS + "prefLabel": "name",
    FOAF + "name": "name",
    SKOS + "altLabel": "aliases",
    PK + "officialName": "official_name",
    SKOS + "notation": "code",
    DCT + "identifier": "identifier",
    DCT + "title": "title",
    PK + "status": "status",
    PK + "region": "region",
    PK + "headquarters": "headquarters",
    PK + "continent": "continent",
    PK + "bodyKind": "kind",
    PK + "historic": "historic",
    SCHEMA + "startDate": "start",
    SCHEMA + "endDate": "end",
    SCHEMA + "foundingDate": "start",
    DCT + "date": "date",
    SCHEMA + "datePublished": "date",
    SCHEMA + "url": "url",
    DCT + "publisher": "publisher",
    PK + "dateInferred": "date_inferred",
    PK + "quote": "quote",
    PK + "speechVerb": "verb",
    PK + "speakerAsWritten": "speaker_as_written",
    PK + "roleAsStated": "role_as_stated",
    PK + "inconsistency": "inconsistency",
    PK + "cameoFallback": "cameo_fallback",
    PK + "addressee": "addressee",
    SKOS + "note": "note",
    DCT + "source": "sources",
}
_SINGLE_ATTRS = {"start", "end", "date", "url", "quote", "verb", "status"}

#: IRI-valued predicates that become edges (relation = local name); pk:predecessor is the inverse of successor
LINK_PREDICATES: tuple[str, ...] = (
    PK + "hostCountry", PK + "establishedBy", PK + "successor", PK + "speaker", PK + "mentions",
    PK + "addressee", PK + "sourceDocument", ORG + "subOrganizationOf", PK + "nationality",
    DCT + "creator", PK + "supersededBy",
)

#: which relations each view keeps ("all" keeps every relation)
VIEW_RELATIONS: dict[str, frozenset[str]] = {
    "overview": frozenset({"hostCountry", "contributor"}),
    "statements": frozenset({"speaker", "mentions", "addressee"}),
}

#: layout of a connected component: (spring constant as a multiple of networkx's 1/sqrt(n), pixels per node;
#: a component of n nodes fits within spacing * sqrt(n) of its centre). Small components are spread
#: wider so that their labels do not collide; big dense ones stay compact so hubs remain readable.
LAYOUT_SMALL = (2.0, 130.0)
LAYOUT_LARGE = (1.2, 90.0)
SMALL_COMPONENT = 60
#: the least distance between two missions, in layout spacings (see :func:`separate`)
MISSION_SPACING = 1.6
#: least pull of a contributor edge (the largest contribution pulls with 1.0)
CONTRIBUTOR_WEIGHT = 0.3

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# ---- reading the store ------------------------------------------------------------------------

def _select(store: Store, body: str) -> list[dict[str, str]]:
    """Run a SELECT and return rows of plain strings (unbound variables left out)."""
    return store.query(sparql_prologue() + body).records()


def _edge_order(edge: tuple[str, str, str, dict[str, Any]]) -> tuple[Any, ...]:
    return edge[0], edge[1], edge[2], sorted(edge[3].items())


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text is not None else None
    except ValueError:
        return None


def _span(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{start}–{end}" if start != end else start
    if start:
        return f"since {start}"
    return f"until {end}" if end else ""


class _Builder:
    """Reads the store once and assembles the full projection."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.types: dict[str, str] = {}
        self.attrs: dict[str, dict[str, Any]] = defaultdict(dict)
        self.edges: list[tuple[str, str, str, dict[str, Any]]] = []

    def build(self) -> nx.MultiDiGraph:
        import networkx as nx

        self._read_types()
        self._read_literals()
        self._read_statements()
        self._read_links()
        self._read_contributions()
        self._read_tenures()
        graph = nx.MultiDiGraph()
        for iri in sorted(self.types):
            graph.add_node(iri, **self._node_attrs(iri))
        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        for u, v, relation, data in sorted(self.edges, key=_edge_order):
            for node in (u, v):
                if node not in graph:
                    graph.add_node(node, **self._node_attrs(node))
            n = counts[(u, v, relation)]
            counts[(u, v, relation)] += 1
            key = relation if n == 0 else f"{relation}-{n}"
            graph.add_edge(u, v, key=key, relation=relation, **data)
        for u, v, data in graph.edges(data=True):
            data["why"] = _why(graph, u, v, data)
            if data["relation"] in ("speaker", "sourceDocument") and graph.nodes[u]["type"] == "statement":
                _copy_to_statement(graph.nodes[u], graph.nodes[v], data["relation"])
        for node, attrs in graph.nodes(data=True):
            if attrs["type"] == "statement":
                speakers = [graph.nodes[v] for _, v, r in graph.out_edges(node, data="relation")
                            if r == "speaker"]
                attrs["label"] = statement_label(attrs, [_short_name(str(a["label"]), a["type"])
                                                         for a in speakers])
        return graph

    def _read_types(self) -> None:
        values = " ".join(f"<{c}>" for c, _ in CLASS_TYPES)
        rank = {c: i for i, (c, _) in enumerate(CLASS_TYPES)}
        best: dict[str, int] = {}
        query = f"SELECT ?s ?c WHERE {{ VALUES ?c {{ {values} }} ?s a ?c . FILTER isIRI(?s) }}"
        for row in _select(self.store, query):
            s, r = row["s"], rank[row["c"]]
            if r < best.get(s, len(rank)):
                best[s] = r
        self.types = {s: CLASS_TYPES[r][1] for s, r in best.items()}

    def _read_literals(self) -> None:
        values = " ".join(f"<{p}>" for p in LITERAL_ATTRS)
        multi: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        rows = _select(self.store, f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o .
            FILTER (isIRI(?s) && isLiteral(?o) && (LANG(?o) = "" || LANGMATCHES(LANG(?o), "en"))) }}""")
        for row in rows:
            multi[row["s"]][LITERAL_ATTRS[row["p"]]].add(row["o"].strip())
        for s, attrs in multi.items():
            target = self.attrs[s]
            for name, vals in attrs.items():
                ordered = sorted(v for v in vals if v)
                if not ordered:
                    continue
                target[name] = ordered[0] if name in _SINGLE_ATTRS or name == "name" else " | ".join(ordered)
            if "name" in attrs and len(attrs["name"]) > 1:  # extra names are aliases too
                extra = sorted(attrs["name"])[1:]
                target["aliases"] = " | ".join(sorted(set(extra) | set(attrs.get("aliases", set()))))

    def _read_statements(self) -> None:
        rows = _select(self.store, """SELECT ?st ?exact ?prefix ?suffix ?start ?end ?act ?actLabel ?actCode
            WHERE { ?st a pk:Statement .
              OPTIONAL { ?st oa:hasTarget ?t . ?t oa:hasSelector ?q .
                         ?q a oa:TextQuoteSelector ; oa:exact ?exact .
                         OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix } }
              OPTIONAL { ?st oa:hasTarget ?t2 . ?t2 oa:hasSelector ?p . ?p a oa:TextPositionSelector ;
                         oa:start ?start ; oa:end ?end }
              OPTIONAL { ?st pk:speechAct ?act . OPTIONAL { ?act skos:prefLabel ?actLabel }
                         OPTIONAL { ?act skos:notation ?actCode } } }""")
        for row in sorted(rows, key=lambda r: sorted(r.items())):
            attrs = self.attrs[row["st"]]
            for src, dst in (("exact", "sentence"), ("prefix", "prefix"), ("suffix", "suffix")):
                if src in row:
                    attrs.setdefault(dst, row[src])
            for src, dst in (("start", "offset_start"), ("end", "offset_end")):
                if _int(row.get(src)) is not None:
                    attrs.setdefault(dst, _int(row[src]))
            if "act" in row:
                code = row.get("actCode", "")
                label = row.get("actLabel", _local(row["act"]))
                attrs.setdefault("speech_act", f"{code} {label}".strip())

    def _read_links(self) -> None:
        values = " ".join(f"<{p}>" for p in LINK_PREDICATES)
        rows = _select(self.store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o . "
                                   f"FILTER (isIRI(?s) && isIRI(?o)) }}")
        for row in rows:
            self.edges.append((row["s"], row["o"], _local(row["p"]), {}))

    def _read_contributions(self) -> None:
        rows = _select(self.store, """SELECT ?c ?country ?mission ?year ?total WHERE {
            ?c a pk:Contribution ; pk:contributor ?country ; pk:mission ?mission .
            OPTIONAL { ?c pk:year ?year } OPTIONAL { ?c pk:personnelTotal ?total } }""")
        pairs: dict[tuple[str, str], dict[str, Any]] = {}
        per_mission: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        per_country: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for row in rows:
            key = (row["country"], row["mission"])
            agg = pairs.setdefault(key, {"years": set(), "peak": 0})
            year, total = row.get("year", "")[:4], _int(row.get("total")) or 0
            if year:
                agg["years"].add(year)
                per_mission[row["mission"]][year] += total
                per_country[row["country"]][year] += total
            agg["peak"] = max(agg["peak"], total)
        for (country, mission), agg in pairs.items():
            data: dict[str, Any] = {"personnel": agg["peak"]}
            if agg["years"]:
                data["start"], data["end"] = min(agg["years"]), max(agg["years"])
                data["years"] = len(agg["years"])
            self.edges.append((country, mission, "contributor", data))
        for totals, target in ((per_mission, "mission"), (per_country, "country")):
            for iri, by_year in totals.items():
                self.attrs[iri]["personnel"] = max(by_year.values())
                self.types.setdefault(iri, target)

    def _read_tenures(self) -> None:
        rows = _select(self.store, """SELECT ?m ?person ?org ?role ?start ?end ?acting WHERE {
            ?m a org:Membership ; org:member ?person ; org:organization ?org .
            OPTIONAL { ?m org:role ?post . ?post skos:prefLabel ?role }
            OPTIONAL { ?m schema:startDate ?start } OPTIONAL { ?m schema:endDate ?end }
            OPTIONAL { ?m pk:acting ?acting } }""")
        seen: set[str] = set()
        for row in sorted(rows, key=lambda r: sorted(r.items())):
            if row["m"] in seen:
                continue
            seen.add(row["m"])
            data = {k: row[k] for k in ("role", "start", "end") if k in row}
            if row.get("acting") in ("true", "1"):
                data["role"] = "acting " + data.get("role", "head")
            self.edges.append((row["person"], row["org"], "heldPost", data))

    def _node_attrs(self, iri: str) -> dict[str, Any]:
        attrs = dict(self.attrs.get(iri, {}))
        node_type = self.types.get(iri, "other")
        attrs["type"] = node_type
        attrs["iri"] = iri
        attrs["label"] = _label(node_type, attrs, iri)
        return attrs


def _copy_to_statement(statement: dict[str, Any], other: dict[str, Any], relation: str) -> None:
    """Give a statement its speaker's name and its source's title and URL, for views without those nodes."""
    if relation == "speaker":
        names = [n for n in str(statement.get("speaker", "")).split(" | ") if n] + [str(other["label"])]
        statement["speaker"] = " | ".join(sorted(set(names)))
        return
    for src, dst in (("url", "source_url"), ("title", "source_title"), ("date", "source_date")):
        if other.get(src):
            statement.setdefault(dst, other[src])


def _short_name(name: str, node_type: str) -> str:
    """A speaker as a label names them: a person by surname ("Lacroix"), a body in full (cut at 24)."""
    if node_type == "person" and len(name.split()) > 1:
        return surname(name)
    return name if len(name) <= 24 else name[:23] + "\u2026"


def statement_label(attrs: dict[str, Any], speakers: list[str]) -> str:
    """Speaker, verb and date, so that statements can be told apart without a click:
    ``Lacroix urged, 2019-03-28``."""
    verb = str(attrs.get("verb") or "said")
    who = " & ".join(sorted(speakers)[:2])
    text = f"{who} {verb}" if who else verb
    return f"{text}, {attrs['date']}" if attrs.get("date") else text


def _label(node_type: str, attrs: dict[str, Any], iri: str) -> str:
    """A short display label: acronyms for missions, the verb and date for statements."""
    if node_type == "statement":
        verb = attrs.get("verb") or "statement"
        return f"{verb} ({attrs['date']})" if attrs.get("date") else str(verb)
    if node_type == "mission" and attrs.get("acronym"):
        return str(attrs["acronym"])
    if node_type == "framework" and attrs.get("acronym"):
        return str(attrs["acronym"])
    if node_type == "resolution" and attrs.get("identifier"):
        return str(attrs["identifier"])
    for key in ("name", "title", "identifier", "acronym"):
        if attrs.get(key):
            return str(attrs[key])
    return _local(iri)


def _why(graph: nx.MultiDiGraph, u: str, v: str, data: dict[str, Any]) -> str:
    """One sentence that says why an edge is there."""
    a, b = graph.nodes[u].get("label", u), graph.nodes[v].get("label", v)
    rel = data["relation"]
    span = _span(data.get("start"), data.get("end"))
    if rel == "contributor":
        text = f"{a} contributed uniformed personnel to {b}"
        if data.get("personnel"):
            text += f" (peak yearly average {data['personnel']:,}"
            text += f", {span})" if span else ")"
        elif span:
            text += f" ({span})"
        return text
    if rel == "heldPost":
        role = data.get("role", "a post")
        return f"{a} held the post {role} in {b}" + (f" ({span})" if span else "")
    templates = {
        "hostCountry": "{a} was deployed in {b} (host country)",
        "speaker": "the statement was made by {b}",
        "mentions": "the statement mentions {b}",
        "addressee": "the statement was addressed to {b}",
        "sourceDocument": "the statement was drawn from the document {b}",
        "establishedBy": "{a} was established by {b}",
        "successor": "{a} was succeeded by {b}",
        "subOrganizationOf": "{a} is part of {b}",
        "nationality": "{a} is a national of {b}",
        "creator": "{a} was created by {b}",
        "supersededBy": "{a} was superseded by {b}",
    }
    return templates.get(rel, "{a} " + rel + " {b}").format(a=a, b=b)


# ---- the public API -----------------------------------------------------------------------------

def entity_graph(store: Store) -> nx.MultiDiGraph:
    """Every entity and relation of the store, before any view, focus or filter (see :func:`project`)."""
    return _Builder(store).build()


def project(store: Store, *, view: str = "all", focus: str | None = None, depth: int = 2,
            types: Iterable[str] | None = None, date_from: str | None = None,
            date_to: str | None = None, full: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """The networkx projection of the store for one view, optionally cut down.

    ``view``: ``all`` (every entity and relation), ``overview`` (missions, host and contributing
    countries) or ``statements`` (speakers, statements, what they mention). ``focus`` (acronym, name,
    alias or IRI) keeps the neighbourhood within ``depth`` hops; ``types`` keeps those node types (the
    focus stays); ``date_from``/``date_to`` (YYYY, YYYY-MM or YYYY-MM-DD) keep dated nodes and edges
    that overlap the range, and undated nodes still linked to something. ``full``: the store's
    :func:`entity_graph` when the caller already has it (several views of one store); it is not modified.
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}; use one of: {', '.join(VIEWS)}")
    if depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    wanted = _check_types(types)
    date_from, date_to = _check_dates(date_from, date_to)
    graph = full if full is not None else entity_graph(store)
    focus_iri = resolve(graph, focus) if focus is not None else None
    graph = _view(graph, view, keep=focus_iri)
    if date_from or date_to:
        graph = _filter_dates(graph, date_from, date_to, keep=focus_iri)
    if focus_iri is not None:
        import networkx as nx

        if focus_iri not in graph:
            raise UsageError(f"{focus!r} is not part of the {view} view; "
                             f"use another view or drop the date range")
        nodes = nx.ego_graph(graph.to_undirected(as_view=True), focus_iri, radius=depth).nodes
        graph = graph.subgraph(sorted(nodes)).copy()
        graph.graph["focus"] = focus_iri
    if wanted is not None:
        graph = graph.subgraph(sorted(n for n, d in graph.nodes(data=True)
                                      if d["type"] in wanted or n == focus_iri)).copy()
    out = _sorted_copy(graph)
    out.graph["view"] = view  # on the copy: ``full`` may be returned unchanged by the steps above
    return out


def _check_types(types: Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    wanted = {t.strip().lower() for t in types if t.strip()}
    for t in sorted(wanted):
        if t not in TYPES:
            close = difflib.get_close_matches(t, TYPES, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageError(f"unknown type {t!r} in --types{hint}; use some of: {', '.join(TYPES)}")
    return wanted


def _check_dates(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    for flag, value in (("--from", date_from), ("--to", date_to)):
        if value is not None and not _DATE_RE.match(value):
            raise UsageError(f"{flag} {value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    if date_from and date_to and not _le(date_from, date_to):
        raise UsageError(f"--from {date_from} is after --to {date_to}; swap them")
    return date_from, date_to


def _view(graph: nx.MultiDiGraph, view: str, *, keep: str | None) -> nx.MultiDiGraph:
    if view == "all":
        return graph
    relations = VIEW_RELATIONS[view]
    from_statements = view == "statements"  # documents carry pk:mentions too; this view is statements only
    sub = graph.edge_subgraph([(u, v, k) for u, v, k, r in graph.edges(keys=True, data="relation")
                               if r in relations and (not from_statements
                                                      or graph.nodes[u]["type"] == "statement")]).copy()
    if view == "overview":  # every mission, even one without contributions on record
        for n, d in graph.nodes(data=True):
            if d["type"] == "mission" and n not in sub:
                sub.add_node(n, **d)
    if keep is not None and keep in graph and keep not in sub:
        sub.add_node(keep, **graph.nodes[keep])
    return _sorted_copy(sub)


def _le(a: str, b: str) -> bool:
    """``a <= b`` for ISO dates of mixed precision, compared at the coarser of the two."""
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


def _overlaps(attrs: dict[str, Any], date_from: str | None, date_to: str | None) -> bool | None:
    """Whether a node or edge's date or span overlaps the range; ``None`` when it has no date."""
    start = attrs.get("date") or attrs.get("start")
    end = attrs.get("date") or attrs.get("end")
    if not start and not end:
        return None
    if date_to and start and not _le(str(start), date_to):
        return False
    return not (date_from and end and not _le(date_from, str(end)))


def _filter_dates(graph: nx.MultiDiGraph, date_from: str | None, date_to: str | None, *,
                  keep: str | None) -> nx.MultiDiGraph:
    dated_out = {n for n, d in graph.nodes(data=True)
                 if _overlaps(d, date_from, date_to) is False and n != keep}
    edges = [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
             if u not in dated_out and v not in dated_out and _overlaps(d, date_from, date_to) is not False]
    linked = {n for u, v, _ in edges for n in (u, v)}
    nodes = [n for n, d in graph.nodes(data=True)
             if n == keep or n in linked or (n not in dated_out and _overlaps(d, date_from, date_to) is True)]
    sub = graph.subgraph(nodes).edge_subgraph(edges).copy()
    for n in nodes:
        if n not in sub:
            sub.add_node(n, **graph.nodes[n])
    return _sorted_copy(sub)


def _sorted_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with nodes and edges in sorted order, so that every writer's output is deterministic."""
    import networkx as nx

    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    out.add_nodes_from(sorted(graph.nodes(data=True), key=lambda nd: nd[0]))
    out.add_edges_from(sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])))
    return out


# ---- finding an entity by name --------------------------------------------------------------------

def _names(iri: str, attrs: dict[str, Any]) -> list[tuple[int, str]]:
    """(tier, name) pairs an entity answers to; lower tiers win: IRI, acronym/code/key, name, alias."""
    out = [(0, iri)]
    if attrs.get("type") in ("statement", "document"):
        return out
    for key in ("label", "name", "official_name", "identifier", "title"):
        if attrs.get(key):
            out.append((2, str(attrs[key])))
    for key in ("acronym", "code"):
        out += [(1, v) for v in str(attrs.get(key, "")).split(" | ") if v]
    out += [(3, v) for v in str(attrs.get("aliases", "")).split(" | ") if v]
    out.append((1, _local(iri)))  # last, so that suggestions show names rather than IRI keys
    return out


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The IRI of the entity called ``name`` (acronym, name, alias, IRI); NotFound (exit 1) with the
    nearest names when it names nothing, UsageError when it names several."""
    if name in graph:
        return name
    wanted = normalize(name)
    best: dict[int, set[str]] = defaultdict(set)
    candidates: list[str] = []
    for iri, attrs in graph.nodes(data=True):
        for tier, candidate in _names(iri, attrs):
            if tier == 0:
                continue
            if normalize(candidate) == wanted:
                best[tier].add(iri)
            candidates.append(candidate)
    for tier in sorted(best):
        found = sorted(best[tier])
        if len(found) == 1:
            return found[0]
        listed = "; ".join(f"{graph.nodes[i]['label']} ({graph.nodes[i]['type']}, {i})" for i in found[:5])
        raise UsageError(f"{name!r} names {len(found)} entities: {listed}; pass the IRI instead")
    hints = suggest(name, candidates)
    if hints:
        hint = ", ".join(hints)
        raise NotFound(f"no entity is called {name!r}; did you mean: {hint}? "
                       f"(--focus takes an acronym, name, alias or IRI)")
    raise NotFound(f"no entity is called {name!r}; "
                   f"--focus takes an acronym (UNAMSIL), a name, an alias or an IRI")


def find_entity(store: Store, name: str) -> str:
    """The IRI of the entity ``name`` refers to, looked up in the whole projection."""
    return resolve(entity_graph(store), name)


# ---- big graphs: sampling and layout --------------------------------------------------------------

def sample(graph: nx.MultiDiGraph, max_nodes: int | None) -> tuple[nx.MultiDiGraph, str | None]:
    """Keep the ``max_nodes`` most connected nodes (the focus always stays); return the graph and a notice."""
    n = graph.number_of_nodes()
    if max_nodes is None or n <= max_nodes:
        return graph, None
    focus = graph.graph.get("focus")
    degree = dict(graph.degree())

    def rank(node: str) -> tuple[int, int, int, str]:
        return (0 if node == focus else 1, -degree[node], -int(graph.nodes[node].get("personnel", 0)), node)

    kept = sorted(graph.nodes, key=rank)[:max_nodes]
    sub = _sorted_copy(graph.subgraph(kept))
    notice = (f"This view shows the {max_nodes:,} most connected of {n:,} nodes "
              f"({sub.number_of_edges():,} of {graph.number_of_edges():,} edges). Narrow it with kg viz "
              f"--focus, --types or --from/--to to see the rest, or open the GraphML export in Gephi.")
    sub.graph["notice"] = notice
    return sub, notice


def layout(graph: nx.MultiDiGraph, *, seed: int = 7,
           spacing: float | None = None) -> dict[str, tuple[int, int]]:
    """Deterministic node positions in pixels (rounded), computed before the page opens.

    Each connected component gets networkx's spring layout (Fruchterman-Reingold, fixed seed), scaled
    to its size (``spacing`` pixels per node overrides the defaults), and the components are packed in
    rows, largest first, so that small groups do not drift to the edges. networkx runs it on numpy up
    to 500 nodes and needs scipy beyond (120 s for 10,000 nodes here); for bigger components we run
    the same algorithm with numpy in blocks.
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    peak = max((int(d.get("personnel", 0)) for _, _, d in graph.edges(data=True)), default=0) or 1
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        if u != v:
            weight = _layout_weight(data, peak)
            if weight > simple.get_edge_data(u, v, {"weight": 0.0})["weight"]:
                simple.add_edge(u, v, weight=weight)
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[dict[str, tuple[float, float]], float, float]] = []
    for nodes in components:
        k, pixels = LAYOUT_SMALL if len(nodes) < SMALL_COMPONENT else LAYOUT_LARGE
        pixels = spacing if spacing is not None else pixels
        # a fresh graph in sorted order: a subgraph view of a few nodes iterates them in set (hash) order
        component = nx.Graph()
        component.add_nodes_from(nodes)
        component.add_edges_from(sorted(simple.subgraph(nodes).edges(data=True), key=lambda e: (e[0], e[1])))
        pos = _component_layout(component, nodes, seed=seed, k=k,
                                radius=pixels * math.sqrt(len(nodes)))
        pos = separate(pos, [v for v in nodes if graph.nodes[v].get("type") == "mission"],
                       distance=pixels * MISSION_SPACING)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        shifted = {v: (x - min(xs), y - min(ys)) for v, (x, y) in pos.items()}
        placed.append((shifted, max(xs) - min(xs), max(ys) - min(ys)))
    if not placed:
        return {}
    gap = (spacing if spacing is not None else LAYOUT_LARGE[1]) * 1.2
    total = sum((w + gap) * (h + gap) for _, w, h in placed)
    row_width = max(max(w for _, w, _ in placed), math.sqrt(total) * 1.3)
    out: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for pos, w, h in placed:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for v, (px, py) in pos.items():
            out[v] = (int(round(x + px)), int(round(y + py)))
        x += w + gap
        row_height = max(row_height, h)
    return out


def separate(pos: dict[str, tuple[float, float]], movers: list[str], *, distance: float,
             rounds: int = 60) -> dict[str, tuple[float, float]]:
    """Push the ``movers`` (missions) apart until no two are closer than ``distance`` pixels.

    A spring layout piles the missions that share contributors into the middle of the hairball; moving
    them apart (each pair by half the overlap per round, in a fixed order) keeps every mission and its
    label separate while the other nodes stay where the layout put them.
    """
    if len(movers) < 2:
        return pos
    import numpy as np

    at = np.array([pos[v] for v in movers], dtype=float)
    for _ in range(rounds):
        delta = at[:, None, :] - at[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2))
        np.fill_diagonal(dist, distance * 2)  # a node never pushes itself
        close = dist < distance
        if not close.any():
            break
        # coincident points get a fixed direction by index, so the result stays deterministic
        same = dist < 1e-6
        if same.any():
            i, j = np.nonzero(np.triu(same))
            at[j] += np.stack([np.cos(j), np.sin(j)], axis=1)
            continue
        push = np.where(close, (distance - dist) / 2 / dist, 0.0)
        at += (delta * push[:, :, None]).sum(axis=1)
    out = dict(pos)
    out.update({v: (float(x), float(y)) for v, (x, y) in zip(movers, at.tolist(), strict=True)})
    return out


def _layout_weight(data: dict[str, Any], peak: int) -> float:
    """How strongly an edge pulls its ends together: small contributions pull less than large ones."""
    if data.get("relation") == "contributor":
        return CONTRIBUTOR_WEIGHT + (1 - CONTRIBUTOR_WEIGHT) * math.sqrt(int(data.get("personnel", 0)) / peak)
    return 1.0


def _component_layout(graph: nx.Graph, nodes: list[str], *, seed: int, k: float,
                      radius: float) -> dict[str, tuple[float, float]]:
    """Positions of one connected component, centred on 0 and ``radius`` at most from the centre."""
    import networkx as nx
    import numpy as np

    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if n < 500:
        pos = nx.spring_layout(graph, seed=seed, iterations=100, k=k / math.sqrt(n))
        arr = np.array([pos[v] for v in nodes], dtype=float)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        rows = sorted((index[u], index[v], w) for u, v, w in graph.edges(data="weight", default=1.0))
        edges = np.array([r[:2] for r in rows], dtype=np.int64).reshape(-1, 2)
        weights = np.array([r[2] for r in rows], dtype=float)
        arr = _spring_numpy(n, edges, weights, seed=seed)
    arr = arr - arr.mean(axis=0)
    extent = float(np.sqrt((arr ** 2).sum(axis=1)).max()) or 1.0
    arr = arr / extent * radius
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, arr.tolist(), strict=True)}


def _spring_numpy(n: int, edges: Any, weights: Any, *, seed: int, iterations: int = 50,
                  block: int = 512) -> Any:
    """Fruchterman-Reingold as in networkx (k = 1/sqrt(n), linear cooling) for big components.

    The all-pairs repulsion runs in row blocks as matrix products (|a-b|^2 = |a|^2 + |b|^2 - 2ab),
    so memory stays at ``block * n`` floats and the work is done by BLAS.
    """
    import numpy as np

    rng = np.random.RandomState(seed)
    pos = rng.rand(n, 2)
    k2 = 1.0 / n
    k = math.sqrt(k2)
    t = float((pos.max(axis=0) - pos.min(axis=0)).max()) * 0.1
    dt = t / (iterations + 1)
    src, dst = (edges[:, 0], edges[:, 1]) if len(edges) else (np.array([], int), np.array([], int))
    for _ in range(iterations):
        disp = np.empty((n, 2))
        p32 = pos.astype(np.float32)
        sq = (p32 ** 2).sum(axis=1)
        for lo in range(0, n, block):
            hi = min(lo + block, n)
            w = p32[lo:hi] @ p32.T
            w *= -2.0
            w += sq[lo:hi, None]
            w += sq[None, :]
            np.maximum(w, np.float32(1e-4), out=w)
            np.divide(np.float32(k2), w, out=w)
            w[np.arange(hi - lo), np.arange(lo, hi)] = 0.0
            disp[lo:hi] = pos[lo:hi] * w.sum(axis=1, dtype=np.float64)[:, None] - (w @ p32).astype(np.float64)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt(np.maximum((delta ** 2).sum(axis=1), 1e-8))
            force = delta * (dist / k * weights)[:, None]
            np.subtract.at(disp, src, force)
            np.add.at(disp, dst, force)
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 0.01)
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= dt
    return pos

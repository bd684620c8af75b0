"""The ontology and the SHACL shapes: they parse, every term is documented, and the shapes catch bad data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import ORG, PROV

from kg.cli import main
from kg.namespaces import GRAPH_DOCUMENT_PREFIX, GRAPH_ONTOLOGY, PK, PREFIXES
from kg.namespaces import ID as ID_NS
from kg.reference import PK as PKNS
from kg.reference import ontology_graph, ontology_ntriples, reference_graph, shapes_graph, terms
from kg.store import open_store
from kg.validate import Violation, validate_graph

ONTOLOGY = ROOT / "ontology"
SCHEMA = "https://schema.org/"

PREAMBLE = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())

#: a small graph with four deliberate faults (and a statement that is fine, as a control)
BROKEN = PREAMBLE + """
resolution:S-RES-1-1946 a pk:SecurityCouncilResolution, pk:Resolution ;
    dcterms:identifier "S/RES/1 (1946)" .
mission:BROKEN a pk:PeacekeepingMission, pk:Mission ; pk:acronym "BROKEN" ; skos:prefLabel "Broken"@en ;
    schema:startDate "1999-10-22" ; pk:establishedBy resolution:S-RES-1-1946 ; pk:status "closed" .
document:d1 a pk:SourceDocument ; rdf:value "He said hello." ;
    pk:textSha256 "4dc5b8c0bb5a8a4fd4b47a34f5b8e2a5d75b2e5b52dc65f8b3e4e9c1e7d5c8d2" .
statement:d1-0-14 a pk:Statement ; pk:sourceDocument document:d1 ;
    oa:hasTarget <https://w3id.org/peacekeeping-kg/id/statement/d1-0-14#target> .
<https://w3id.org/peacekeeping-kg/id/statement/d1-0-14#target> oa:hasSource document:d1 ;
    oa:hasSelector <https://w3id.org/peacekeeping-kg/id/statement/d1-0-14#position> .
<https://w3id.org/peacekeeping-kg/id/statement/d1-0-14#position> a oa:TextPositionSelector ;
    oa:start "0"^^xsd:nonNegativeInteger ; oa:end "14"^^xsd:nonNegativeInteger .
person:someone a foaf:Person ; foaf:name "Someone" .
statement:d1-0-2 a pk:Statement ; pk:speaker person:someone ;
    pk:sourceDocument document:d1 ;
    oa:hasTarget <https://w3id.org/peacekeeping-kg/id/statement/d1-0-14#target> .
statement:d1-3-7 a pk:Statement ; pk:speaker person:someone ;
    pk:sourceDocument document:d1 .
"""

ID = ID_NS
EXPECTED_VIOLATIONS = [
    Violation(focus="mission:BROKEN", path="pk:hostCountry",
              message="a peacekeeping mission needs at least one pk:hostCountry"),
    Violation(focus="mission:BROKEN", path="schema:startDate",
              message="schema:startDate must be one xsd:date, xsd:gYearMonth or xsd:gYear literal",
              value="'1999-10-22'"),
    Violation(focus="statement:d1-0-14", path="pk:speaker", message="a statement needs a pk:speaker"),
    Violation(focus="statement:d1-3-7", path="oa:hasTarget",
              message="a statement needs one oa:hasTarget with its source and a position selector"),
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph(ONTOLOGY)


def test_ontology_declares_itself_with_version_label_and_definition(ontology):
    onto = URIRef("https://w3id.org/peacekeeping-kg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, RDFS.label) is not None
    assert ontology.value(onto, SKOS.definition) is not None


def test_every_pk_term_has_a_label_and_a_definition(ontology):
    declared = list(terms(ontology))
    assert len(declared) > 40
    missing = [str(t) for t in declared
               if ontology.value(t, RDFS.label) is None
               or (ontology.value(t, SKOS.definition) is None and ontology.value(t, RDFS.comment) is None)]
    assert missing == []


def test_every_pk_term_the_reference_graph_uses_is_declared(ontology):
    declared = set(terms(ontology))
    g = reference_graph(ROOT / "data" / "reference")
    used = {p for p in g.predicates() if str(p).startswith(PK)}
    used |= {o for o in g.objects(None, RDF.type) if str(o).startswith(PK)}
    used |= {o.datatype for o in g.objects()
             if getattr(o, "datatype", None) and str(o.datatype).startswith(PK)}
    assert sorted(map(str, used - declared)) == []


def test_our_terms_hook_into_the_reused_vocabularies(ontology):
    assert (PKNS.Mission, RDFS.subClassOf, ORG.Organization) in ontology
    assert (PKNS.Country, RDFS.subClassOf, URIRef(SCHEMA + "Country")) in ontology
    assert (PKNS.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo) in ontology
    assert (PKNS.sourceDocument, RDFS.subPropertyOf, PROV.wasDerivedFrom) in ontology
    assert (PKNS.extendsCameo, RDF.type, OWL.ObjectProperty) in ontology
    assert (PKNS.predecessor, OWL.inverseOf, PKNS.successor) in ontology


def test_cameo_scheme_is_part_of_the_ontology_graph(ontology):
    concept = URIRef(ID + "cameo/0211")
    assert (concept, SKOS.broader, URIRef(ID + "cameo/021")) in ontology
    assert (URIRef(ID + "cameo/021"), SKOS.broader, URIRef(ID + "cameo/02")) in ontology
    assert str(ontology.value(URIRef(ID + "cameo/010"), SKOS.notation)) == "010"


def test_ontology_ntriples_are_sorted_and_stable():
    first, second = ontology_ntriples(ONTOLOGY), ontology_ntriples(ONTOLOGY)
    assert first == second
    lines = first.splitlines()
    assert lines == sorted(lines)


def test_shapes_parse_and_have_node_shapes():
    shapes = shapes_graph(ONTOLOGY)
    node_shapes = set(shapes.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    assert len(node_shapes) >= 10


def test_the_built_graph_conforms(built_store):
    result = built_store.summary.validation
    assert result.conforms, result.lines()[:10]
    assert result.violations == []


def test_a_broken_graph_yields_the_expected_violations(ontology):
    data = Graph()
    data.parse(data=BROKEN, format="turtle")
    data += ontology
    result = validate_graph(data, shapes_graph(ONTOLOGY))
    assert not result.conforms
    assert result.violations == EXPECTED_VIOLATIONS


def test_kg_validate_lists_violations_and_exits_1(tmp_path: Path):
    location = tmp_path / "store"
    with open_store(str(location)) as store:
        store.load(ontology_ntriples(ONTOLOGY), graph=GRAPH_ONTOLOGY)
        store.load(BROKEN.encode(), format="turtle", graph=GRAPH_DOCUMENT_PREFIX + "broken")
    result = CliRunner().invoke(main, ["validate", "--store", str(location)])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [v.line() for v in EXPECTED_VIOLATIONS]
    assert result.stderr == "Error: 4 SHACL violation(s) in " + result.stderr.split(" in ")[1]
    assert result.stderr.endswith(" triples\n")


def test_kg_validate_on_an_empty_store_is_an_error(tmp_path: Path):
    location = tmp_path / "empty"
    open_store(str(location)).close()
    result = CliRunner().invoke(main, ["validate", "--store", str(location)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: the store at {location} is empty; run `kg build` first "
                             f"(or pass --store)\n")

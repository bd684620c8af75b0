"""Speaker categories: the stage alone (table-driven, negatives included), in the records, in the graph
and through the saved query "statements by organisations and delegations about a country"."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF

from kg.config import Settings
from kg.extract import extract_text, load_gazetteer
from kg.extract.speakers import speaker_category
from kg.mapping import document_graph
from kg.model import SPEAKER_CATEGORIES
from kg.namespaces import PK, resource
from kg.validate import validate_graph

ROOT = Path(__file__).resolve().parents[1]
PKN = Namespace(PK)
ORG = Namespace("http://www.w3.org/ns/org#")


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(Settings().reference_dir)


@pytest.mark.parametrize(
    ("speaker_type", "kind", "name", "as_written", "category"),
    [
        ("person", "person", "Andrea Tenenti", "the spokesman", "person"),
        ("unnamed_person", None, "a UN spokesman", None, "unnamed_official"),
        ("unnamed_person", None, "A local resident", None, "unnamed_person"),  # no post: not an official
        ("unnamed_person", None, "one aid worker", None, "unnamed_person"),
        ("unnamed_person", None, "A doctor at the hospital", None, "unnamed_person"),
        ("unnamed_person", None, "A police officer", None, "unnamed_official"),
        ("unnamed_person", None, "a source", "a source close to the mission", "anonymous_source"),
        ("group", None, "officials", "officials who spoke on condition of anonymity", "anonymous_source"),
        ("group", None, "residents", None, "group"),
        ("group", None, "Western diplomats", None, "group"),
        ("unnamed_person", "delegation", "India's representative", "Delegate", "delegation"),
        ("organization", "country", "Georgia", "Georgia's government", "government"),
        ("organization", "country", "Pakistan", "Pakistan's delegation", "delegation"),
        ("organization", "body", "Security Council", None, "un_body"),
        ("organization", "mission", "UNIFIL", None, "mission"),
        ("organization", "un", "United Nations", "the UN", "united_nations"),
        ("organization", "org", "Inter-Services Public Relations", None, "press_wing"),
        ("organization", "org", "Israel Defense Forces", None, "armed_force"),
        ("organization", "org", "Human Rights Watch", None, "ngo"),
        ("organization", "org", "National Council of Timorese Resistance", None, "council"),
        ("organization", "org", "Polisario Front", None, "organization"),
        ("organization", None, "military's media wing", "The military's media wing", "press_wing"),
        ("organization", None, "interior ministry", "The interior ministry", "government"),
    ],
)
def test_speaker_category(speaker_type, kind, name, as_written, category):
    assert speaker_category(speaker_type, kind, name, as_written) == category
    assert category in SPEAKER_CATEGORIES


def test_the_shapes_list_exactly_the_model_categories():
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    q = "SELECT ?v WHERE { ?p sh:path pk:speakerCategory ; sh:in/rdf:rest*/rdf:first ?v }"
    values = {str(r.v) for r in shapes.query(q, initNs={"sh": "http://www.w3.org/ns/shacl#", "pk": PK})}
    assert values == set(SPEAKER_CATEGORIES)


def _graph(gaz, text: str, date: str = "2005-10-24"):
    result = extract_text(text, gaz, publication_date=date, file="t.txt")
    return result, document_graph(result, gaz)


def test_a_countrys_representative_speaks_for_its_delegation_not_as_a_person(gaz):
    result, g = _graph(gaz, "India's representative said the peacekeepers had shown great courage.")
    (s,) = result.statements
    assert (s.speaker_category, s.speaker_kind, s.speaker_id) == ("delegation", "delegation", "IND")
    delegation = URIRef(resource("delegation", "IND"))
    assert (None, PKN.speaker, delegation) in g
    assert (delegation, RDF.type, PKN.Delegation) in g
    assert (delegation, PKN.delegationOf, URIRef(resource("country", "IND"))) in g
    post = URIRef(resource("post", "representative--delegation-ind"))
    assert (post, ORG.postIn, delegation) in g and (post, RDF.type, ORG.Post) in g
    assert not list(g.subjects(RDF.type, FOAF.Person))
    assert (None, PKN.speakerCategory, Literal("delegation")) in g


def test_an_anonymous_source_and_a_group_are_not_persons(gaz):
    text = (
        "A UN official, who spoke on condition of anonymity, said the patrol had been ambushed. "
        "Residents said they heard gunfire through the night."
    )
    result, g = _graph(gaz, text)
    assert [s.speaker_category for s in result.statements] == ["anonymous_source", "group"]
    anon = list(g.subjects(RDF.type, PKN.AnonymousSource))
    groups = list(g.subjects(RDF.type, FOAF.Group))
    assert len(anon) == 1 and len(groups) == 1
    assert not list(g.subjects(RDF.type, FOAF.Person))


def test_the_shapes_refuse_a_group_typed_as_a_person():
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    data = Graph()
    x = URIRef(resource("org", "residents"))
    data.add((x, RDF.type, FOAF.Group))
    data.add((x, RDF.type, FOAF.Person))
    data.add((x, FOAF.name, Literal("residents")))
    result = validate_graph(data, shapes)
    assert not result.conforms
    assert "a group, anonymous source or delegation must not be a foaf:Person" in "\n".join(result.lines())


def test_saved_query_statements_by_organisations_about_a_country(gaz):
    from query_helpers import select_rows

    from kg.query import execute, get_saved
    from kg.store import open_store

    text = (
        "UNITED NATIONS, Oct 24 - India's representative said the Indian peacekeepers in the Democratic "
        "Republic of the Congo had served with distinction. The Security Council condemned the attack on "
        "MONUC in the Democratic Republic of the Congo. Residents of Bunia said the Democratic Republic "
        "of the Congo had known no peace."
    )
    result, g = _graph(gaz, text)
    store = open_store("memory")
    store.load(g.serialize(format="nt").encode(), format="ntriples", graph=resource("document", "t"))
    rows = select_rows(
        execute(store, get_saved("statements-by-organisations-about-country").bind({"country": "COD"}),
                formats=["json"]).data
    )
    assert sorted(r["category"] for r in rows) == ["delegation", "un_body"]
    assert all(r["category"] != "group" for r in rows)


def test_a_countrys_ambassador_or_envoy_speaks_for_its_delegation_under_the_words_written(gaz):
    text = ("France's ambassador told the Security Council that the mission needed more helicopters. "
            "The African Union envoy said the force would stay. "
            "The U.S. envoy said Washington would not pay. "
            "The ambassador added that a vote was due.")
    result, g = _graph(gaz, text)
    got = [(s.speaker, s.speaker_category, s.speaker_id) for s in result.statements]
    assert got == [
        ("France's ambassador", "delegation", "FRA"),
        ("African Union envoy", "unnamed_official", None),  # an organisation's envoy: no country's
        ("U.S. envoy", "delegation", "USA"),
        ("France's ambassador", "delegation", "FRA"),  # 'the ambassador': the one named before
    ]
    for iso3 in ("FRA", "USA"):
        delegation = URIRef(resource("delegation", iso3))
        assert (delegation, PKN.delegationOf, URIRef(resource("country", iso3))) in g
    # the organisation's envoy is an unnamed official (a person); no ambassador of a country is one
    assert list(g.subjects(RDF.type, FOAF.Person)) == [
        URIRef(resource("person", f"{result.document.key}-african-union-envoy"))]


def test_a_speaker_known_by_description_is_local_to_its_document_and_a_name_is_not(gaz):
    """Two texts' "a UN spokesman", "residents" or "the government" are not one agent (one node would
    join statements of different people across the corpus); two texts' "Polisario Front" are one."""
    body = ("A UN spokesman said the patrol was ambushed. Residents said they heard gunfire. "
            "The government condemned the attack. The Polisario Front said the truce was over. "
            "The U.N. peacekeeping force said it had sent a patrol.")
    speakers = []
    for opening in ("Clashes in the north.", "Clashes in the south."):  # two documents (two text keys)
        _result, g = _graph(gaz, opening + " " + body)
        speakers.append({str(w): sp for st, w in g.subject_objects(PKN.speakerAsWritten)
                         for sp in g.objects(st, PKN.speaker)})
    one, two = speakers
    assert set(one) == set(two) == {"A UN spokesman", "Residents", "The government", "The Polisario Front",
                                    "The U.N. peacekeeping force"}
    assert one["The Polisario Front"] == two["The Polisario Front"]
    for described in ("A UN spokesman", "Residents", "The government", "The U.N. peacekeeping force"):
        assert one[described] != two[described]

"""Extraction records -> RDF for one document's named graph (N-Triples, built with rdflib, sorted).

IRIs follow docs/vocabulary.md: the document is ``document:{dockey}`` (from its URL, else a hash of
its text), each statement ``statement:{dockey}--{speaker}--{verb}--{n}`` (keys that survive
corrections of the text; the IRIs of release 0.1 are kept as ``owl:sameAs``), with W3C Web
Annotation selectors into the document's ``rdf:value``. Speakers link to the reference person, body,
mission or country when known, and to the tenure they held on the statement date; a date outside
every known tenure is recorded as ``pk:inconsistency``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS, XSD

from kg.extract.gazetteer import Gazetteer, Official, Tenure
from kg.extract.lexicon import CAMEO_EXTENSIONS
from kg.model import ExtractionResult, Statement
from kg.namespaces import PK, date_datatype, key, resource, slug, tenure_iri

PKN = Namespace(PK)
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

_CONTEXT = 32


def date_literal(value: str) -> Literal | None:
    """'2025-07-29' -> xsd:date, '2008-04' -> xsd:gYearMonth, '2019' -> xsd:gYear; anything else -> None."""
    datatype = date_datatype(value.strip()) if value else None
    return Literal(value.strip(), datatype=URIRef(datatype)) if datatype else None


def _tenure_iri(o: Official, tenure: Tenure) -> URIRef:
    return URIRef(tenure_iri(tenure.tenure_id))


@dataclass(frozen=True)
class PostLink:
    """The tenure a speaker held on a date, or the reason none fits."""

    tenure: URIRef | None
    inconsistency: str | None


def speaker_post(g: Gazetteer, person_id: str, date: str | None) -> PostLink:
    """Which of the person's reference tenures covers the statement date."""
    o = g.officials.get(person_id)
    if o is None or not date or not o.tenures:
        return PostLink(None, None)
    holding = [t for t in o.tenures if t.holds_on(date)]
    if holding:
        return PostLink(_tenure_iri(o, holding[0]), None)
    spans = "; ".join(f"{t.post} ({t.post_org}) {t.start or '?'}–{t.end or 'open'}" for t in o.tenures)
    return PostLink(None, f"statement dated {date} falls outside every known tenure of {o.name}: {spans}")


def _is_iri(url: str) -> bool:
    """Whether a metadata URL can be written as an IRI (some index files hold text that is not one)."""
    import re

    return re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url.strip()) is not None


def cameo_iri(code: str) -> URIRef:
    """The SKOS concept of a CAMEO code (or one of our UN-register refinements of it)."""
    return URIRef(resource("cameo", code))


def cameo_extension_graph() -> Graph:
    """The UN-register refinements of CAMEO (brief, urge, welcome, …) as SKOS concepts in the CAMEO
    scheme ``{base}id/cameo``."""
    g = Graph()
    scheme = URIRef(resource("cameo", "")[:-1])
    for code, (verb, label, base) in sorted(CAMEO_EXTENSIONS.items()):
        c = cameo_iri(code)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.notation, Literal(code)))
        g.add((c, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((c, SKOS.altLabel, Literal(verb, lang="en")))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.broader, cameo_iri(base)))
        g.add((c, PKN.extendsCameo, cameo_iri(base)))
    return g


#: mention kinds whose keys name a resource of the reference graph
_MENTION_KINDS = ("country", "mission", "body", "framework")


def _reference_iri(kind: str, ident: str) -> URIRef:
    """The reference graph's IRI of a person, country, mission, body or framework key."""
    return URIRef(resource(kind, key(ident) if kind == "mission" else ident))


def _speaker_iri(s: Statement, dockey: str) -> tuple[URIRef, str]:
    """IRI and kind of the speaker node ('ref' when it lives in the reference graph).

    A delegation is keyed by its country (``…/id/delegation/IND``). A speaker known only by description
    (an anonymous source, an unnamed official: "a UN spokesman"; a group: "residents"; "the government")
    is local to its document: two texts' "a UN spokesman" are not one person. Named people and
    organisations without a reference key ("Polisario Front") are keyed by name.
    """
    kind, ref = s.speaker_kind, s.speaker_id
    if kind in ("person", "body", "mission", "country") and ref:
        return _reference_iri(kind, ref), "ref"
    if kind == "delegation" and ref:
        return URIRef(resource("delegation", ref)), "delegation"
    if kind == "un":
        return URIRef(resource("org", "united-nations")), "org"
    if kind == "org" and ref:
        return URIRef(resource("org", slug(ref))), "org"
    if s.speaker_category == "anonymous_source":
        return URIRef(resource("source", f"{dockey}-{slug(s.speaker_as_written or s.speaker)}")), "anonymous"
    described = s.speaker_category in ("unnamed_official", "unnamed_person", "group") or not _named(s.speaker)
    local = f"{dockey}-{slug(s.speaker)}" if described else slug(s.speaker)
    if s.speaker_category in ("person", "unnamed_official", "unnamed_person"):
        return URIRef(resource("person", local)), "person"
    return URIRef(resource("org", local)), "group"


#: capitalised words that do not make a speaker a name ('UN peacekeeping force', 'The government')
_NOT_NAMING = {"UN", "U.N.", "United", "Nations", "The", "A", "An"}


def _named(speaker: str) -> bool:
    """Whether a speaker is called by a name ("Polisario Front", "Radio Free Europe") rather than described
    ("government", "U.N. peacekeeping force"): a capitalised word that is not the UN's own."""
    return any(w[:1].isupper() and w not in _NOT_NAMING for w in re.findall(r"[\w.'\u2019-]+", speaker))


def _delegation_triples(out: Graph, st: URIRef, sp: URIRef, s: Statement, g: Gazetteer) -> None:
    """A country's delegation (an org:Organization for the country) and, for "India's representative",
    the representative's post in it (org:Post, org:postIn the delegation) as the statement's role."""
    iso3 = s.speaker_id or ""
    country = g.country_name(iso3)
    out.add((sp, RDF.type, PKN.Delegation))
    out.add((sp, RDF.type, ORG.Organization))
    out.add((sp, SKOS.prefLabel, Literal(f"delegation of {country}", lang="en")))
    out.add((sp, PKN.delegationOf, _reference_iri("country", iso3)))
    written = s.speaker_as_written or s.speaker
    if "delegation" in written.lower() and "representative" not in written.lower():
        return
    post = URIRef(resource("post", f"representative--delegation-{iso3.lower()}"))
    out.add((post, RDF.type, ORG.Post))
    out.add((post, SKOS.prefLabel, Literal(f"representative of {country}", lang="en")))
    out.add((post, ORG.postIn, sp))
    out.add((post, PKN.roleType, URIRef(resource("role", "representative"))))  # kg/roles.py's scheme
    out.add((st, PKN.speakerRole, post))


def _mention_iri(kind: str, ident: str) -> URIRef | None:
    """The IRI a mention links to; None for kinds without a reference resource (org, person)."""
    return _reference_iri(kind, ident) if kind in _MENTION_KINDS else None


def statement_iris(result: ExtractionResult) -> list[str]:
    """Statement IRIs that survive corrections: ``{dockey}--{speaker}--{verb}--{n}``, the n-th statement
    of that speaker with that speech verb in the document (in text order).

    Neither offsets nor a hash of the text go into the key, so fixing a typo anywhere in the
    document (the sentence of the statement included) keeps every IRI; and the document key comes
    from the URL when there is one (see :attr:`kg.model.Document.key`).
    """
    dockey = result.document.key
    counts: dict[str, int] = {}
    out = []
    for s in result.statements:
        stem = f"{dockey}--{_speaker_key(s)}--{slug(s.verb or 'statement')}"
        counts[stem] = counts.get(stem, 0) + 1
        out.append(resource("statement", f"{stem}--{counts[stem]}"))
    return out


def _speaker_key(s: Statement) -> str:
    """The speaker part of a statement key: the reference key when known, else the slug of the name."""
    if s.speaker_kind in ("person", "body", "mission", "country", "org") and s.speaker_id:
        return slug(s.speaker_id) if s.speaker_kind in ("person", "org") else key(s.speaker_id)
    if s.speaker_kind == "un":
        return "united-nations"
    return slug(s.speaker)


def legacy_statement_iris(result: ExtractionResult) -> list[str]:
    """The statement IRIs of release 0.1 (``{content key}-{start}-{end}``, offsets of the sentence, or
    of the verb onwards when two speakers share a sentence), published as ``owl:sameAs`` of the
    current IRIs so that links made to them keep resolving."""
    dockey = result.document.content_key
    seen: set[str] = set()
    out = []
    for s in result.statements:
        iri = resource("statement", f"{dockey}-{s.start}-{s.end}")
        if iri in seen and s.verb_start is not None:
            iri = resource("statement", f"{dockey}-{s.verb_start}-{s.end}")
        n = 1
        base = iri
        while iri in seen:
            n += 1
            iri = f"{base}-{n}"
        seen.add(iri)
        out.append(iri)
    return out


def document_graph(result: ExtractionResult, g: Gazetteer) -> Graph:
    """All triples of one document's named graph."""
    doc = result.document
    text = doc.text
    out = Graph()
    d = URIRef(resource("document", doc.key))
    out.add((d, RDF.type, PKN.SourceDocument))
    if doc.content_key != doc.key:
        out.add((d, OWL.sameAs, URIRef(resource("document", doc.content_key))))
    out.add((d, RDF.value, Literal(text)))
    out.add((d, PKN.textSha256, Literal(doc.text_hash)))
    out.add((d, DCTERMS.identifier, Literal(doc.key)))
    if doc.file:
        out.add((d, SCHEMA.name, Literal(doc.file)))
    if doc.title:
        out.add((d, DCTERMS.title, Literal(doc.title)))
    if doc.url:
        out.add((d, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
        if _is_iri(doc.url):
            out.add((d, DCTERMS.source, URIRef(doc.url.strip())))
    if doc.source:
        out.add((d, DCTERMS.publisher, Literal(doc.source)))
    if doc.publication_date:
        lit = date_literal(doc.publication_date)
        if lit is not None:
            out.add((d, DCTERMS.date, lit))
            out.add((d, SCHEMA.datePublished, lit))
    if doc.date_inferred:
        out.add((d, PKN.dateInferred, Literal(True)))
        if doc.date_note:
            out.add((d, SKOS.note, Literal(doc.date_note)))
    for m in result.mentions:
        iri = _mention_iri(m.kind, m.id)
        if iri is not None:
            out.add((d, PKN.mentions, iri))
    # people named in the text: spellings seen become altLabels; new people are minted
    for p in result.persons:
        if p.person_id:
            pi = _reference_iri("person", p.person_id)
            known = g.officials[p.person_id]
            for alias in (p.name, *p.aliases):
                if alias and alias != known.name and alias not in known.forms:
                    out.add((pi, SKOS.altLabel, Literal(alias)))
    used_ext: set[str] = set()
    iris = statement_iris(result)
    for s, iri, old in zip(result.statements, iris, legacy_statement_iris(result), strict=True):
        st = URIRef(iri)
        out.add((st, RDF.type, PKN.Statement))
        out.add((st, OWL.sameAs, URIRef(old)))
        out.add((st, RDF.type, PROV.Entity))
        if s.quote:
            out.add((st, RDF.type, SCHEMA.Quotation))
            out.add((st, PKN.quote, Literal(s.quote)))
        out.add((st, PKN.sourceDocument, d))
        out.add((st, PROV.wasDerivedFrom, d))
        sp, sp_kind = _speaker_iri(s, doc.key)
        out.add((st, PKN.speaker, sp))
        out.add((st, PROV.wasAttributedTo, sp))
        out.add((st, PKN.speakerCategory, Literal(s.speaker_category)))
        if sp_kind == "person":
            out.add((sp, RDF.type, FOAF.Person))
            out.add((sp, RDF.type, SCHEMA.Person))
            out.add((sp, FOAF.name, Literal(s.speaker)))
            out.add((sp, SKOS.prefLabel, Literal(s.speaker, lang="en")))
        elif sp_kind in ("org", "group"):
            group = sp_kind == "group" and s.speaker_category == "group"
            out.add((sp, RDF.type, FOAF.Group if group else ORG.Organization))
            out.add((sp, SKOS.prefLabel, Literal(s.speaker, lang="en")))
        elif sp_kind == "delegation":
            _delegation_triples(out, st, sp, s, g)
        elif sp_kind == "anonymous":
            out.add((sp, RDF.type, PKN.AnonymousSource))
            out.add((sp, RDF.type, PROV.Agent))
            out.add((sp, SKOS.prefLabel, Literal(s.speaker, lang="en")))
        if s.speaker_as_written:
            out.add((st, PKN.speakerAsWritten, Literal(s.speaker_as_written.replace("\n", " "))))
        if s.role_as_stated:
            out.add((st, PKN.roleAsStated, Literal(s.role_as_stated)))
        if s.speaker_kind == "person" and s.speaker_id:
            link = speaker_post(g, s.speaker_id, s.date)
            if link.tenure is not None:
                out.add((st, PKN.speakerPost, link.tenure))
            if link.inconsistency:
                out.add((st, PKN.inconsistency, Literal(link.inconsistency)))
        if s.verb:
            out.add((st, PKN.speechVerb, Literal(s.verb)))
        for v in s.other_verbs:
            out.add((st, PKN.speechVerb, Literal(v)))
        if s.cameo:
            out.add((st, PKN.speechAct, cameo_iri(s.cameo)))
            if s.cameo in CAMEO_EXTENSIONS:
                used_ext.add(s.cameo)
        if s.cameo_fallback:
            out.add((st, PKN.cameoFallback, Literal(True)))
        if s.date:
            lit = date_literal(s.date)
            if lit is not None:
                out.add((st, DCTERMS.date, lit))
        if s.addressee_id:
            out.add((st, PKN.addressee, URIRef(resource("body", s.addressee_id))))
        elif s.addressee:
            out.add((st, PKN.addressee, Literal(s.addressee)))
        for m in s.mentions:
            iri2 = _mention_iri(m.kind, m.id)
            if iri2 is not None:
                out.add((st, PKN.mentions, iri2))
        target = URIRef(iri + "#target")
        pos = URIRef(iri + "#position")
        quote = URIRef(iri + "#quote")
        out.add((st, OA.hasTarget, target))
        out.add((target, RDF.type, OA.SpecificResource))
        out.add((target, OA.hasSource, d))
        out.add((target, OA.hasSelector, pos))
        out.add((target, OA.hasSelector, quote))
        out.add((pos, RDF.type, OA.TextPositionSelector))
        out.add((pos, OA.start, Literal(s.start, datatype=XSD.nonNegativeInteger)))
        out.add((pos, OA.end, Literal(s.end, datatype=XSD.nonNegativeInteger)))
        out.add((quote, RDF.type, OA.TextQuoteSelector))
        out.add((quote, OA.exact, Literal(text[s.start : s.end])))
        out.add((quote, OA.prefix, Literal(text[max(0, s.start - _CONTEXT) : s.start])))
        out.add((quote, OA.suffix, Literal(text[s.end : s.end + _CONTEXT])))
    if used_ext:
        ext = cameo_extension_graph()
        for code in sorted(used_ext):
            for t in ext.triples((cameo_iri(code), None, None)):
                out.add(t)
    return out


def document_ntriples(result: ExtractionResult, g: Gazetteer) -> bytes:
    """The document graph as sorted N-Triples (byte-identical for the same text and metadata)."""
    data = document_graph(result, g).serialize(format="nt", encoding="utf-8")
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return b"\n".join(lines) + b"\n"

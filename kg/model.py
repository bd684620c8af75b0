"""Typed records between extraction and mapping: documents, mentions, persons, statements.

Plain frozen dataclasses (no rdflib): extraction produces them from text, ``kg.mapping`` turns them
into triples. Every record that comes from the text carries character offsets into
``Document.text`` (Python string offsets), so that each fact can be traced to the exact characters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit


def document_key(text: str) -> str:
    """The content key of a text: first 16 hex digits of the SHA-256 of the text (UTF-8).

    It was the document key of every document until release 0.1 and stays the key of documents that
    have no URL (nothing else identifies them).
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def text_hash(text: str) -> str:
    """The full SHA-256 of a text (UTF-8), in hex: published so that a copy can be checked."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalized_url(url: str) -> str:
    """A URL in the form that identifies one page: no scheme difference (http = https), host in lower
    case without ``www.``, no fragment, no trailing slash.

    >>> normalized_url("HTTP://www.UN.org/press/en/2019/sc13856.doc.htm#top")
    'un.org/press/en/2019/sc13856.doc.htm'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit(("", host, parts.path.rstrip("/"), parts.query, "")).lstrip("/")


def url_key(url: str) -> str:
    """The document key of a page: ``u`` + 16 hex digits of the SHA-256 of its normalized URL.

    It survives corrections of the text, which a content hash does not.
    """
    return "u" + hashlib.sha256(normalized_url(url).encode("utf-8")).hexdigest()[:16]


def _has_url(url: str | None) -> bool:
    return bool(url and re.match(r"https?://[^/\s]", url.strip()))


@dataclass(frozen=True)
class Document:
    """One source text with the metadata its source gives."""

    text: str
    file: str = ""
    url: str | None = None
    title: str | None = None
    #: ISO date at the precision the source gives (YYYY-MM-DD, YYYY-MM or YYYY), or None
    publication_date: str | None = None
    source: str | None = None
    #: true when the publication date was inferred rather than printed on the page
    date_inferred: bool = False
    date_note: str | None = None
    #: where it was read from (a path, ``path#line`` for JSON Lines, or a URL); never part of the graph
    origin: str | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """The document key: from the URL when there is one (:func:`url_key`), else from the text
        (:func:`document_key`), the only thing known then."""
        return url_key(self.url) if self.url and _has_url(self.url) else document_key(self.text)

    @property
    def content_key(self) -> str:
        """The key the document had in release 0.1 (a hash of its text), kept for ``owl:sameAs``."""
        return document_key(self.text)

    @property
    def text_hash(self) -> str:
        """The SHA-256 of the text, in hex."""
        return text_hash(self.text)


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of the document text."""

    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A named thing found in the text.

    ``kind`` is one of country, mission, body, framework, org, person; ``id`` is the reference key
    (ISO3, mission acronym, body_id, framework_id, org slug, person_id) and ``name`` its display name.
    """

    kind: str
    id: str
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Person:
    """A named person the text mentions; ``person_id`` is set when the reference data knows them."""

    name: str
    person_id: str | None = None
    canonical_name: str | None = None
    role_as_stated: str | None = None
    rank: str | None = None
    aliases: tuple[str, ...] = ()
    start: int = 0
    end: int = 0


#: what kind of agent a speaker is (kg.extract.speakers); the graph types each differently, so that no
#: group or anonymous source is a foaf:Person and a country's representative speaks for its delegation
SPEAKER_CATEGORIES: dict[str, str] = {
    "person": "a named person",
    "unnamed_official": "a person identified by post only ('a UN spokesman', 'the Force Commander')",
    "unnamed_person": "a person known neither by name nor by post ('a local resident', 'one aid worker')",
    "anonymous_source": "a source left unnamed on purpose ('sources', 'who asked not to be named')",
    "group": "people speaking together who are not an organisation ('residents', 'Western diplomats')",
    "delegation": "a country's delegation or its representative at a meeting; links to the country",
    "government": "a country's government, ministry or state as speaker ('Georgia's government says')",
    "un_body": "an organ, department or office of the UN (Security Council, Secretariat)",
    "mission": "a UN peacekeeping operation speaking as such",
    "united_nations": "the United Nations as a whole",
    "armed_force": "a national army or armed force",
    "press_wing": "an organisation's press or media wing ('the military's media wing')",
    "ngo": "a non-governmental organisation",
    "council": "a non-UN council, committee, commission or assembly",
    "organization": "any other organisation (intergovernmental body, party, armed group, agency)",
}


@dataclass(frozen=True)
class Statement:
    """One reported speech act: who said what (verb, quote), when, to whom, mentioning what.

    ``start``/``end`` cover the sentence(s) the statement comes from; ``quote_start``/``quote_end``
    the first quoted fragment. ``speaker_id`` is a reference key (person_id, body_id, mission acronym,
    ISO3 or org slug) when the speaker is known, ``None`` for new persons and groups.
    """

    speaker: str
    speaker_type: str  # person | organization | unnamed_person | group
    start: int
    end: int
    speaker_kind: str | None = None  # person | body | mission | country | org | un | delegation | None
    speaker_id: str | None = None
    speaker_as_written: str | None = None
    role_as_stated: str | None = None
    verb: str | None = None
    verb_start: int | None = None
    other_verbs: tuple[str, ...] = ()
    cameo: str | None = None
    cameo_fallback: bool = False
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    quote_parts: tuple[str, ...] = ()
    date: str | None = None
    date_basis: str | None = None
    addressee: str | None = None
    addressee_id: str | None = None
    mentions: tuple[Mention, ...] = ()
    in_headline: bool = False
    implicit: bool = False
    nested: bool = False
    truncated: bool = False
    #: one of SPEAKER_CATEGORIES (kg.extract.speakers); ``speaker_id`` is the country's ISO3 for a delegation
    speaker_category: str = "person"


@dataclass(frozen=True)
class ExtractionResult:
    """Everything extracted from one document, in text order."""

    document: Document
    persons: tuple[Person, ...] = ()
    mentions: tuple[Mention, ...] = ()
    statements: tuple[Statement, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def ids(self, kind: str) -> list[str]:
        """Distinct reference keys of one kind of mention, in order of first appearance."""
        seen: dict[str, None] = {}
        for m in self.mentions:
            if m.kind == kind:
                seen.setdefault(m.id, None)
        return list(seen)

"""Typed records between extraction and mapping: documents, mentions, persons, statements.

Plain frozen dataclasses (no rdflib): extraction produces them from text, ``kg.mapping`` turns them
into triples. Every record that comes from the text carries character offsets into
``Document.text`` (Python string offsets), so that each fact can be traced to the exact characters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def document_key(text: str) -> str:
    """The document key: first 16 hex digits of the SHA-256 of the text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
        return document_key(self.text)


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
    speaker_kind: str | None = None  # person | body | mission | country | org | un | None
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

"""Finding what a name refers to, and suggesting the nearest known names when it refers to nothing.

One mechanism for every command that takes a name: `kg query --param`, `kg viz --focus`,
`kg withdraw`, `kg export --graph`. Names are compared without accents, case or hyphens, and a
name made of several words is also found by any one of its longer words ("Lacroux" suggests
"Jean-Pierre Lacroix").

>>> suggest("UNAMSL", ["UNAMSIL", "UNMIL", "Jean-Pierre Lacroix"])
['UNAMSIL', 'UNMIL']
>>> suggest("Lacroux", ["UNAMSIL", "Jean-Pierre Lacroix"])
['Jean-Pierre Lacroix']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.errors import NotFound
from kg.namespaces import ID, sparql_prologue

if TYPE_CHECKING:
    from kg.query import SavedQuery
    from kg.store import Store


#: a Korean given name after the family name ('Ban Ki-moon', 'Choi Young-jin'): the syllables joined by a
#: hyphen, the second in lower case
_KOREAN_GIVEN_NAME = re.compile(r"[A-Z][a-z]+-[a-z]+")


def family_name_first(parts: list[str]) -> bool:
    """Whether a name puts the family name first, as Korean names written in English do: 'Ban Ki-moon' is
    'Ban' alone later ('Ban said'), not 'Ki-moon'.

    >>> family_name_first(["Ban", "Ki-moon"]), family_name_first(["Jean-Pierre", "Lacroix"])
    (True, False)
    """
    return len(parts) == 2 and bool(_KOREAN_GIVEN_NAME.fullmatch(parts[1]))


def surname(name: str) -> str:
    """The part of a person's name that stands for them alone: 'Lacroix', 'Ban' for Ban Ki-moon.

    >>> surname("Jean-Pierre Lacroix"), surname("Ban Ki-moon"), surname("Aideed")
    ('Lacroix', 'Ban', 'Aideed')
    """
    parts = name.split()
    return parts[0] if family_name_first(parts) else parts[-1]


def normalize(text: str) -> str:
    """A name as compared: no accents, case folded, hyphens as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii") or text
    return " ".join(text.casefold().replace("-", " ").split())


def suggest(wanted: str, candidates: Iterable[str], *, limit: int = 5) -> list[str]:
    """The candidates nearest to ``wanted``, best first (at most ``limit``), in the order difflib ranks."""
    display: dict[str, str] = {}
    for candidate in candidates:
        key = normalize(candidate)
        display.setdefault(key, candidate)
        for word in key.split():
            if len(word) >= 4 and word != key:
                display.setdefault(word, candidate)
    close = difflib.get_close_matches(normalize(wanted), sorted(display), n=8, cutoff=0.6)
    return list(dict.fromkeys(display[c] for c in close))[:limit]


#: the properties that name a resource: what `--param` values are matched against
_NAME_PROPERTIES = "foaf:name skos:prefLabel skos:altLabel pk:acronym skos:notation dcterms:identifier"


def known_names(store: Store, kind: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The names of the resources of one kind (``person``, ``mission`` …): name -> the keys to pass
    (more than one when resources share a name), and each key's display label (its ``foaf:name`` or
    ``skos:prefLabel``)."""
    prefix = f"{ID}{kind}/"
    q = sparql_prologue() + (
        f"SELECT DISTINCT ?s ?p ?name WHERE {{ VALUES ?p {{ {_NAME_PROPERTIES} }} ?s ?p ?name "
        f'FILTER(STRSTARTS(STR(?s), "{prefix}")) }} ORDER BY ?s ?p ?name')
    names: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for row in store.query(q).records():
        key = row["s"][len(prefix):]
        if "/" in key or "#" in key:
            continue
        for name in (key, row["name"]):
            if key not in names.setdefault(name, []):
                names[name].append(key)
        if row["p"].endswith(("/name", "#prefLabel")):
            labels.setdefault(key, row["name"])
    return names, labels


def _describe(label: str, key: str) -> str:
    """A key as suggested: with its label when that is short and not just the key spelled out."""
    return key if normalize(label) == normalize(key) or len(label) > 32 else f"{key} ({label})"


def resolve_params(store: Store, query: SavedQuery, values: dict[str, str]) -> dict[str, str]:
    """``values`` with each ``iri:KIND`` parameter given by name ("Mali", "Jean-Pierre Lacroix") replaced
    by its key; NotFound (exit 1) for the first that names nothing, or several things, in the graph, with
    the nearest keys the graph holds. A value that already names a resource is kept as it is."""
    from kg.query import term_for

    resolved = dict(values)
    for param in query.params:
        base, _, kind = param.type.partition(":")
        value = values.get(param.name)
        if base != "iri" or not kind or not value:
            continue
        iri = term_for(param, value)
        if store.query(f"ASK {{ {{ {iri} ?p ?o }} UNION {{ ?s ?p {iri} }} }}").boolean:
            continue
        names, labels = known_names(store, kind)
        wanted = normalize(value)
        exact = sorted({k for name, keys in names.items() if normalize(name) == wanted for k in keys})
        if len(exact) == 1:
            resolved[param.name] = exact[0]
            continue
        if exact:
            several = ", ".join(_describe(labels.get(k, k), k) for k in exact)
            raise NotFound(f"--param {param.name}={value!r} names several {kind}s: {several}; "
                           f"give one of these keys")
        keys = list(dict.fromkeys(k for c in suggest(value, names) for k in names[c]))
        near = [_describe(labels.get(k, k), k) for k in keys]
        hint = f"; nearest: {', '.join(near)}" if near else f"; the graph has no {kind} like it"
        raise NotFound(f"--param {param.name}={value!r} names no {kind} in the graph{hint}")
    return resolved

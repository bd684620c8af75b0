"""The scheme of posts (roles) that every tenure's post is mapped to, as SKOS: ``pkr:role/{code}``.

A post is an organisation + a role (``pkr:post/{org}--{role}``, e.g. ``pkr:post/UNAMSIL--force-commander``);
scripts/convert_roles.py maps each curated post title to a role with its rules.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.namespaces import key, resource
from kg.schemes import Concept, add_scheme

#: role code -> (label, definition, broader role code or "", alternative labels)
ROLES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "secretary-general": (
        "Secretary-General",
        "The chief administrative officer of the United Nations.",
        "",
        ("Secretary-General of the United Nations",),
    ),
    "usg-peace-operations": (
        "Under-Secretary-General for Peace Operations",
        "Head of the UN department that runs peacekeeping: DPO since 2019, DPKO (Under-Secretary-General "
        "for Peacekeeping Operations) from 1992.",
        "",
        ("Under-Secretary-General for Peacekeeping Operations",),
    ),
    "usg-special-political-affairs": (
        "Under-Secretary-General for Special Political Affairs",
        "Head of the Office of Special Political Affairs, which ran peacekeeping before DPKO (to 1992).",
        "",
        (),
    ),
    "usg-political-affairs": (
        "Under-Secretary-General for Political Affairs",
        "Head of the Department of Political Affairs (DPA), and since 2019 of Political and Peacebuilding "
        "Affairs (DPPA).",
        "",
        ("Under-Secretary-General for Political and Peacebuilding Affairs",),
    ),
    "usg-field-support": (
        "Under-Secretary-General for Field Support",
        "Head of the Department of Field Support (DFS, 2007-2018).",
        "",
        (),
    ),
    "usg-operational-support": (
        "Under-Secretary-General for Operational Support",
        "Head of the Department of Operational Support (DOS, since 2019).",
        "",
        (),
    ),
    "head-of-mission": (
        "Head of Mission",
        "The senior UN official in charge of a mission, whatever the title (SRSG, joint special "
        "representative, or a head whose title the source does not state).",
        "",
        (),
    ),
    "srsg": (
        "Special Representative of the Secretary-General",
        "The Secretary-General's Special Representative who heads a mission (SRSG).",
        "head-of-mission",
        ("SRSG",),
    ),
    "joint-special-representative": (
        "Joint Special Representative",
        "Head of a joint mission of the UN and a regional organisation (the AU-UN Joint Special "
        "Representative for Darfur, UNAMID).",
        "head-of-mission",
        ("JSR",),
    ),
    "deputy-srsg": (
        "Deputy Special Representative of the Secretary-General",
        "A deputy head of mission (DSRSG).",
        "",
        ("DSRSG",),
    ),
    "force-commander": ("Force Commander", "The commander of a mission's military component.", "", ("FC",)),
    "component-commander": (
        "Commander of a subordinate command",
        "The commander of one command of a mission's force (UNPROFOR's Bosnia-Herzegovina Command).",
        "force-commander",
        (),
    ),
    "police-commissioner": ("Police Commissioner", "The head of a mission's police component.", "", ()),
    "chief-military-observer": (
        "Chief Military Observer",
        "The head of a mission's military observers (observer missions).",
        "",
        ("CMO",),
    ),
    "representative": (
        "Representative of a Member State",
        "A delegate speaking for a country's delegation (to the UN or a conference), as a statement "
        "names them: \"India's representative\", \"the delegate of Pakistan\".",
        "",
        ("delegate",),
    ),
}


def role_iri(code: str) -> URIRef:
    """``pkr:role/force-commander``."""
    return URIRef(resource("role", code))


def post_iri(post_id: str) -> URIRef:
    """``pkr:post/UNAMSIL--force-commander`` (organisation key + role code)."""
    return URIRef(resource("post", key(post_id)))


def post_label(role: str, organization: str) -> str:
    """'Force Commander (UNAMSIL)'."""
    return f"{ROLES[role][0]} ({organization})"


def role_scheme(g: Graph) -> None:
    """Add the ``pkr:role`` concept scheme (labels, definitions, broader roles) to ``g``."""
    add_scheme(g, "role", "Posts of UN officials",
               "The kinds of post the officials of the reference data held, from Secretary-General to Force "
               "Commander; every tenure's post (org:Post) points to one with pk:roleType.",
               {code: Concept(label, definition, broader, alts)
                for code, (label, definition, broader, alts) in ROLES.items()})

"""Officials' posts as a controlled vocabulary, and the REVIEW.md decisions applied to the tenures.

Called by scripts/convert_reference.py on the curated officials rows:

1. :func:`apply_decisions` applies data/reference/review_decisions.csv (hand-written: one row per
   decision on an item of ../shared/reference/curated/REVIEW.md, with its source) and appends the tenures
   of data/reference/officials_added.csv; each changed row says so in its notes and cites the source;
2. :func:`assign_roles` maps every post to a role of :data:`ROLES` (a tenure whose post matches no rule
   stops the conversion), moves the curators' parenthetical remarks out of the post title into the
   notes, numbers each person's tenures of a post (the ordinal of the tenure IRI), marks unknown dates
   explicitly and keeps the IRIs of the previous release (``old_post_id``, ``old_tenure_id``).
"""

from __future__ import annotations

import re
from collections import defaultdict

from kg.namespaces import slug
from kg.roles import ROLES  # noqa: F401 — the scheme the rules map to

#: (pattern on the post title without its remark, role code): the first match wins
RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(acting )?secretary-general\b", re.I), "secretary-general"),
    (
        re.compile(r"^under-secretary-general for (peacekeeping|peace) operations$", re.I),
        "usg-peace-operations",
    ),
    (
        re.compile(r"^under-secretary-general for special political affairs$", re.I),
        "usg-special-political-affairs",
    ),
    (
        re.compile(r"^under-secretary-general for political( and peacebuilding)? affairs$", re.I),
        "usg-political-affairs",
    ),
    (re.compile(r"^under-secretary-general for field support$", re.I), "usg-field-support"),
    (re.compile(r"^under-secretary-general for operational support$", re.I), "usg-operational-support"),
    (re.compile(r"^(acting )?joint au-un special representative\b", re.I), "joint-special-representative"),
    (re.compile(r"^(acting )?deputy special representative\b", re.I), "deputy-srsg"),
    (re.compile(r"^(acting )?special representative of the secretary-general\b", re.I), "srsg"),
    (re.compile(r"^commander, \w+ .*command$", re.I), "component-commander"),
    (re.compile(r"^(acting |un )?force commander$|^commander, unprofor$", re.I), "force-commander"),
    (re.compile(r"^head of mission and force commander$", re.I), "force-commander"),
    (re.compile(r"^(acting )?head of (mission|[A-Z]+)$|^in charge of [A-Z]+$", re.I), "head-of-mission"),
    (re.compile(r"^(acting )?police commissioner$", re.I), "police-commissioner"),
    (re.compile(r"^(acting )?chief military observer$", re.I), "chief-military-observer"),
]

_REMARK = re.compile(r"^(?P<title>.*?)\s*\((?P<remark>[^()]*)\)$")


class RoleError(ValueError):
    """A post no rule maps to a role, or a decision that no longer matches its row."""


def split_remark(post: str) -> tuple[str, str]:
    """The post title and the curators' trailing remark in parentheses, if any.

    >>> split_remark("Head of mission (listed in infobox)")
    ('Head of mission', 'listed in infobox')
    >>> split_remark("Force Commander")
    ('Force Commander', '')
    """
    m = _REMARK.match(post)
    return (m["title"], m["remark"]) if m else (post, "")


def role_of(title: str) -> str:
    """The role code of a post title (without its remark).

    >>> role_of("Acting Special Representative of the Secretary-General for Haiti")
    'srsg'
    >>> role_of("Head of UNMIT")
    'head-of-mission'
    """
    for pattern, code in RULES:
        if pattern.search(title):
            return code
    raise RoleError(f"post {title!r} matches no role; add a rule to RULES in scripts/convert_roles.py")


def old_tenure_key(person_id: str, post: str, post_org: str, start: str) -> str:
    """The tenure key of the previous release (person, post title, org and start, or 'unknown')."""
    return f"{person_id}--{slug(post)}--{slug(post_org)}--{start or 'unknown'}"


def apply_decisions(
    officials: list[dict[str, str]], decisions: list[dict[str, str]], added: list[dict[str, str]]
) -> list[dict[str, str]]:
    """The curated rows with the decisions applied and the added tenures appended (curated order kept).

    Every row keeps ``old_post_id``/``old_tenure_id`` computed before any change. A decision whose
    curated value no longer matches the table raises RoleError (the table moved on: decide again).
    """
    rows = []
    for o in officials:
        o = dict(o)
        o["old_post_id"] = f"{slug(o['post'])}--{slug(o['post_org'])}"
        o["old_tenure_id"] = old_tenure_key(o["person_id"], o["post"], o["post_org"], o["start_date"])
        rows.append(o)
    for d in decisions:
        if d["file"] != "officials":
            continue
        row = rows[int(d["row"])]
        if row["person_id"] != d["key"]:
            raise RoleError(
                f"review_decisions.csv item {d['item']}: officials row {d['row']} is "
                f"{row['person_id']}, not {d['key']}; fix the row number"
            )
        column, note = d["column"], ""
        if d["decision"] == "changed":
            if row[column] != d["curated_value"]:
                raise RoleError(
                    f"review_decisions.csv item {d['item']}: {column} of {d['key']} is "
                    f"{row[column]!r}, not {d['curated_value']!r}; decide again"
                )
            row[column] = d["decided_value"]
            note = f"{column} {d['curated_value'] or '(empty)'} -> {d['decided_value']}"
        elif d["decision"] == "note":
            note = f"notes: {d['curated_value']} -> {d['decided_value']}"
        else:
            note = f"{column} {d['curated_value'] or '(empty)'} kept"
        row["notes"] = "; ".join(
            p for p in (row["notes"], f"Review item {d['item']}: {note} ({d['reason']})") if p
        )
        row["sources"] = with_source(row["sources"], d["source"])
        # the source a decision rests on was checked for this fact: it ranks with the strong ones
        row["strong_sources"] = with_source(row.get("strong_sources", ""), d["source"])
    for a in added:
        rows.append(
            {
                **{k: a[k] for k in a if k != "review_item"},
                "old_post_id": "",
                "old_tenure_id": "",
                "notes": f"{a['notes']} Added by review item {a['review_item']}.",
            }
        )
    return rows


def with_source(cell: str, source: str) -> str:
    """A ``|``-separated sources cell with ``source`` appended, each source once, in order."""
    return " | ".join(dict.fromkeys(p.strip() for p in f"{cell} | {source}".split("|") if p.strip()))


def note_missions(missions: list[dict[str, str]], decisions: list[dict[str, str]]) -> None:
    """Record the decisions on missions.csv rows in their notes (and cite the source), in place."""
    by_acronym = {m["acronym"]: m for m in missions}
    for d in decisions:
        if d["file"] == "missions":
            m = by_acronym[d["key"]]
            if d["decision"] == "changed":
                raise RoleError(
                    f"review_decisions.csv item {d['item']}: changing missions.csv is not supported"
                )
            m["notes"] = "; ".join(
                p
                for p in (
                    m["notes"],
                    f"Review item {d['item']}: {d['column']} {d['curated_value']} kept ({d['reason']})",
                )
                if p
            )
            m["source"] = with_source(m["source"], d["source"])
            if "strong_sources" in m:  # checked for this fact: it ranks with the strong ones
                m["strong_sources"] = with_source(m["strong_sources"], d["source"])


def assign_roles(rows: list[dict[str, str]], closed: set[str]) -> None:
    """Set role, post_id, tenure_id, start_status and end_status on every row (in place); ``closed``
    holds the post_org_ids of organisations that no longer exist (an empty end there is unknown)."""
    for r in rows:
        title, remark = split_remark(r["post"])
        r["role"] = role_of(title)
        if remark:
            r["post"] = title
            r["notes"] = "; ".join(p for p in (f"Post as curated: {title} ({remark})", r["notes"]) if p)
    by_post: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        r["post_id"] = f"{r['post_org_id'].split('/', 1)[1]}--{r['role']}"
        by_post[r["post_id"]].append(r)
    for post_id, holders in by_post.items():
        ordered = sorted(holders, key=lambda r: r["start_date"] or r["end_date"] or "9999")
        count: dict[str, int] = defaultdict(int)
        for r in ordered:
            count[r["person_id"]] += 1
            r["tenure_id"] = f"{r['person_id']}--{post_id}--{count[r['person_id']]}"
        for i, r in enumerate(ordered):
            later = ordered[i + 1 :]
            r["start_status"] = "known" if r["start_date"] else "unknown"
            if r["end_date"]:
                r["end_status"] = "known"
            else:  # an open end is 'open' only for the latest holder of a post still in existence
                r["end_status"] = "unknown" if later or r["post_org_id"] in closed else "open"

"""The saved questions on deployments, personnel and roles, answered on the bundled graph and checked
against data/reference/*.csv (the expected side is computed here, not written down)."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from conftest import ROOT
from query_helpers import select_rows

from kg.errors import UsageError
from kg.query import execute, get_saved

REFERENCE = ROOT / "data" / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def saved(store, name: str, **params: str) -> list[dict[str, str]]:
    return select_rows(execute(store, get_saved(name).bind(params), formats=["json"]).data)


@pytest.mark.parametrize(("mission", "year"), [("UNMIL", "2005"), ("MINUSMA", "2019")])
def test_sites_of_a_mission_in_a_year(built_store, mission, year):
    sites = {s["site"]: s for s in rows("sites.csv")}
    expected = {
        (sites[d["site"]]["name"], d["troops"])
        for d in rows("deployments.csv")
        if d["mission"] == mission and d["year"] == year
    }
    got = saved(built_store, "sites-of-mission-in-year", mission=mission, year=year)
    assert {(r["place"], r.get("troops", "")) for r in got} == expected
    assert len(expected) > 10
    assert all(r["wkt"].startswith("POINT(") for r in got)
    troops = [int(r["troops"]) for r in got if r.get("troops")]
    assert troops == sorted(troops, reverse=True)


def test_where_bangladeshs_troops_were_in_2005(built_store):
    sizes: dict[str, list[int]] = defaultdict(list)
    sites: dict[str, set[str]] = defaultdict(set)
    for c in rows("contingents.csv"):
        if c["iso3"] == "BGD" and c["year"] == "2005":
            sites[c["mission"]].add(c["site"])
            if c["size"]:
                sizes[c["mission"]].append(int(c["size"]))
    got = saved(built_store, "country-deployments", country="BGD", year="2005")
    assert {r["mission"]: (int(r["sites"]), int(r.get("approximateSize") or 0)) for r in got} == {
        m: (len(s), sum(sizes[m])) for m, s in sites.items()
    }
    assert {"UNMIL", "UNOCI", "MONUC"} <= {r["mission"] for r in got}
    every_year = saved(built_store, "country-deployments", country="BGD")
    assert {r["when"] for r in every_year} == {
        c["year"] for c in rows("contingents.csv") if c["iso3"] == "BGD"
    }


def test_force_commanders_of_a_mission_in_order(built_store):
    fcs = [r for r in rows("officials.csv") if r["post_org"] == "MONUSCO" and r["role"] == "force-commander"]
    expected = [r["name"] for r in sorted(fcs, key=lambda r: (r["start_date"] or r["end_date"], r["name"]))]
    got = saved(built_store, "force-commanders", mission="MONUSCO")
    assert [r["name"] for r in got] == expected
    unknown = {r["name"]: r["unknown"] for r in got}
    assert unknown["Elias Rodrigues Martins Filho"] == "start unknown"


def test_minusma_personnel_by_year_shows_2017_and_2021_flagged(built_store):
    got = saved(built_store, "mission-personnel", mission="MINUSMA")
    un = {r["period"]: r for r in got if r["series"] == "un-contributions"}
    csv_un = {
        r["period"]: r
        for r in rows("personnel.csv")
        if r["series"] == "un-contributions" and r["mission"] == "MINUSMA"
    }
    assert {p: r["total"] for p, r in un.items()} == {p: r["total"] for p, r in csv_un.items()}
    assert {p for p, r in un.items() if "outlier" in r.get("flags", "")} >= {"2017", "2021"}
    assert set(un["2017"]["flags"].split(", ")) == {"partial-year", "outlier"}
    assert un["2018"].get("flags", "") == ""
    assert "5,151" in un["2017"]["note"]
    months = saved(built_store, "mission-personnel", mission="UNAMSIL", by="month")
    expected = {
        r["period"]: r["total"]
        for r in rows("personnel.csv")
        if r["mission"] == "UNAMSIL" and len(r["period"]) == 7
    }
    assert {r["period"]: r["total"] for r in months} == expected and len(expected) > 60


def test_officials_who_led_more_than_one_mission(built_store):
    missions = {m["acronym"] for m in rows("missions.csv")}
    served: dict[str, set[str]] = defaultdict(set)
    for r in rows("officials.csv"):
        if r["post_org"] in missions:
            served[r["person_id"]].add(r["post_org"])
    expected = {p: len(m) for p, m in served.items() if len(m) > 1}
    got = saved(built_store, "officials-led-multiple-missions")
    assert {r["person"].rsplit("/", 1)[1]: int(r["missions"]) for r in got} == expected
    assert "alan-doss" in expected


def test_the_statement_count_query_says_so_in_its_name():
    assert "spoke" in get_saved("officials-spoke-about-multiple-missions").title
    with pytest.raises(UsageError):
        get_saved("officials-multiple-missions")

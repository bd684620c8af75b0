"""Mission personnel over time: the IPI monthly series, the yearly UN contributions, the data-quality
rules and the consistency check between the two series."""

from __future__ import annotations

import csv
import sys

import pytest
from conftest import ROOT, SHARED

from kg.namespaces import resource, sparql_prologue

sys.path.insert(0, str(ROOT / "scripts"))
import convert_personnel  # noqa: E402
from convert_deployments import Report  # noqa: E402
from convert_personnel import month_outliers, year_outliers  # noqa: E402

REFERENCE = ROOT / "data" / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def personnel(series: str, mission: str) -> dict[str, dict[str, str]]:
    return {r["period"]: r for r in rows("personnel.csv")
            if r["series"] == series and r["mission"] == mission}


# ---- the rules -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("values", "partial", "flagged"), [
    ({"2016": 10914, "2017": 5151, "2018": 13885}, set(), {"2017"}),
    ({"2016": 10914, "2017": 11000, "2018": 13885}, set(), set()),
    ({"2019": 100, "2020": 210, "2021": 100}, set(), {"2020"}),          # a spike up
    ({"2020": 14070, "2021": 1233}, {"2021"}, {"2021"}),                  # one neighbour is enough
    ({"2020": 14070, "2021": 1233}, {"2020"}, {"2020"}),  # 2021 has no reference left, 2020 has 2021
    ({"2013": 3078, "2014": 8120, "2015": 9997}, {"2013"}, {"2013"}),    # a partial year is judged too
    ({"2013": 3078, "2014": 8120, "2015": 9997}, set(), {"2013"}),
    ({"2001": 500}, set(), set()),                                         # no neighbour, no verdict
    ({"2001": 500, "2004": 100}, set(), set()),                            # too far apart
    ({"2015": 9997, "2016": 10914, "2017": 5151, "2018": 13885}, set(), {"2017"}),  # no contagion
])
def test_year_outliers(values, partial, flagged):
    assert set(year_outliers(values, partial)) == flagged


@pytest.mark.parametrize(("values", "flagged"), [
    ({"2001-01": 1000, "2001-02": 100, "2001-03": 1000}, {"2001-02"}),
    ({"2001-01": 1000, "2001-02": 3000, "2001-03": 1000}, {"2001-02"}),
    ({"2001-01": 100, "2001-02": 1000, "2001-03": 5000}, set()),           # ramp-up
    ({"2001-01": 5000, "2001-02": 1000, "2001-03": 100}, set()),           # draw-down
    ({"2001-01": 1000, "2001-02": 600, "2001-03": 1000}, set()),           # within the band
    ({"2001-01": 1000, "2001-02": 100}, set()),                            # an end month has one neighbour
])
def test_month_outliers(values, flagged):
    assert set(month_outliers(values)) == flagged


# ---- the data --------------------------------------------------------------------------------------
def test_the_bar_mission_months_with_figures():
    months = [r for r in rows("personnel.csv") if r["series"] == "ipi" and len(r["period"]) == 7]
    assert 2800 <= len(months) <= 3000
    assert min(r["period"] for r in months)[:4] == "1993" and max(r["period"] for r in months)[:4] == "2016"
    assert all(int(r["total"]) == int(r["troops"]) + int(r["police"]) + int(r["observers"]) for r in months)
    unamsil = personnel("ipi", "UNAMSIL")
    assert unamsil["1999-12"]["total"] == "4429" and "2003" in unamsil


def test_minusma_2017_and_2021_are_flagged_by_the_rules_and_their_neighbours_not():
    un = personnel("un-contributions", "MINUSMA")
    assert {y: un[y]["total"] for y in ("2016", "2017", "2021")} == {"2016": "10914", "2017": "5151",
                                                                   "2021": "1233"}
    assert un["2017"]["data_quality"].split(";") == ["partial-year", "outlier"]
    assert un["2021"]["data_quality"].split(";") == ["partial-year", "outlier"]
    assert "5,151 is 42% of 12,400" in un["2017"]["quality_note"]
    for year in ("2014", "2015", "2016", "2018", "2019", "2020"):
        assert un[year]["data_quality"] == "", year
    assert "started" in un["2013"]["quality_note"]


def _shared(path: str):
    full = SHARED / "reference" / path
    if not full.exists():
        pytest.skip(f"{full} is absent (../shared is not here)")
    return full


def test_the_flags_follow_the_data_not_a_list():
    _shared(convert_personnel.BARA)
    missions = {r["acronym"]: r for r in rows("missions.csv")}
    contributions = rows("contributions.csv")
    fixed = [dict(c, total=str(int(c["total"]) * 2)) if (c["mission"], c["year"]) == ("MINUSMA", "2017")
             else c for c in contributions]
    out = convert_personnel.convert_personnel(SHARED / "reference", missions, fixed, Report([]))
    minusma = {r["period"]: r for r in out if r["series"] == "un-contributions" and r["mission"] == "MINUSMA"}
    assert minusma["2017"]["total"] == "10302"
    assert minusma["2017"]["data_quality"] == "partial-year"  # the series' 2017 still misses months
    assert minusma["2021"]["data_quality"] == "partial-year;outlier"


def test_disagreements_between_the_series_are_reported():
    report = [r for r in rows("conversion_report.csv") if r["problem"].startswith("the series disagree")]
    ipi = {(r["mission"], r["period"]): int(r["total"]) for r in rows("personnel.csv")
           if r["series"] == "ipi" and len(r["period"]) == 4 and "partial-year" not in r["data_quality"]}
    un = {(r["mission"], r["period"]): int(r["total"]) for r in rows("personnel.csv")
          if r["series"] == "un-contributions" and "partial-year" not in r["data_quality"]}
    expected = {f"{m} {y}" for (m, y) in ipi.keys() & un.keys()
                if abs(ipi[(m, y)] - un[(m, y)]) > 0.25 * max(ipi[(m, y)], un[(m, y)])}
    assert {r["value"] for r in report} == expected
    assert "UNIFIL 2011" in expected


def test_every_un_row_of_bara_is_in_a_month_or_in_the_report():
    import pandas as pd

    data = pd.read_stata(_shared(convert_personnel.BARA), convert_categoricals=False)
    un_rows = {i for i, org in enumerate(data["org"], start=1) if org == 1}
    used = {int(n) for r in rows("personnel.csv") for n in r["source_rows"].split(";") if n}
    left_out = {int(r["line"]) for r in rows("conversion_report.csv")
                if r["source"] == convert_personnel.BARA and r["decision"] == "row left out"}
    assert used | left_out == un_rows
    assert not used & left_out


# ---- the graph -------------------------------------------------------------------------------------
def test_flags_are_queryable_in_the_graph(built_store):
    flagged = built_store.query(sparql_prologue() + f"""
        SELECT ?year WHERE {{ ?p a pk:PersonnelCount ; pk:mission <{resource("mission", "MINUSMA")}> ;
                                 pk:year ?year ; pk:dataQuality <{resource("data-quality", "outlier")}> ;
                                 dcterms:source ?d .
                              ?d a dcat:Dataset . }}""")
    expected = sorted(y for y, r in personnel("un-contributions", "MINUSMA").items()
                      if "outlier" in r["data_quality"])
    assert sorted(str(r["year"]) for r in flagged.rows) == expected == ["2013", "2017", "2021"]
    month = resource("personnel", "ipi/UNAMSIL-1999-12")
    (row,) = built_store.query(sparql_prologue() + f"""
        SELECT ?troops ?total ?from WHERE {{ <{month}> pk:troops ?troops ; pk:personnelTotal ?total ;
                                              prov:wasDerivedFrom ?from }}""").rows
    assert (str(row["troops"]), str(row["total"])) == ("4197", "4429")
    rows_of_bara = resource("record", "bara-hultman-un-non-un-peacekeeping-v2-2019--")
    assert str(row["from"]).startswith(rows_of_bara)


def test_void_credits_geo_pko_and_bara_hultman(built_store):
    from kg.export.void import describe

    text = b"".join(describe(built_store)).decode("utf-8")
    for url, who in (
        ("https://github.com/geopko/Geo-PKO-Shiny-Dashboard", "Cil, D., Fjelde, H., Hultman, L."),
        ("https://github.com/treywood10/Mandate_Contribute", "Bara, C. & Hultman, L. (2020)"),
    ):  # each data set's landing page and citation, as the reference graph gives them
        assert f"<{url}>" in text and who in text

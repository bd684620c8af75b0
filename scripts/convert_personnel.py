"""Mission personnel over time -> data/reference/personnel.csv, with data-quality flags.

Called by scripts/convert_reference.py. Two series:

- ``ipi``: the UN monthly figures of the IPI Peacekeeping Database as carried by Bara's *UN and Non-UN
  Peacekeeping* data set (v2-2019; ``IPI_troops``, ``IPI_police``, ``IPI_observers``, ``IPI_totals``),
  one row per mission and month 1993-2016, and their yearly means (over the months with figures);
- ``un-contributions``: the yearly by-country averages of contributions.csv summed per mission and year
  (2010-2021).

The flags are computed, never set by hand (the rules are :data:`RULES`, documented in
data/reference/README.md):

- ``partial-year``: a yearly figure covering part of the year only: the mission started or ended in
  that year (missions.csv); an ``ipi`` year with fewer than 12 months of figures; a
  ``un-contributions`` year whose total over all missions is below :data:`COVERAGE` (80%) of the series'
  median year (the source averages over 12 months whatever it holds, so a year with missing months
  comes out low: 2010, 2012, 2017 and 2021 do);
- ``outlier``: a yearly figure below half or above twice the median of the mission's years within two
  of it in the same series that are not partial; a month below half or above twice both adjacent months (a
  one-month spike or dip, not a ramp-up).

Where both series cover a mission-year (neither partial), a difference above :data:`DISAGREEMENT` of
the larger figure goes to the conversion report.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from statistics import median

BARA = "raw/bara-hultman/UN and Non-UN Peacekeeping_v2-2019.dta"
CONTRIBUTIONS = "raw/un-contributions-corinnee/CountryByYear.csv"

#: Bara's mission names that are not our acronyms, and why they map
MISSION_NAMES: dict[str, str] = {
    "UNOCI (ONUCI)": "UNOCI",  # the French acronym added in parentheses
    "UNOSOM": "UNOSOM I",  # UNOSOM I (to March 1993); UNOSOM II follows as its own rows
}

LOW, HIGH = 0.5, 2.0  # a figure outside [LOW, HIGH] x its reference is an outlier
COVERAGE = 0.8  # a un-contributions year whose total over all missions is below this x the median year
DISAGREEMENT = 0.25  # the two series disagree when they differ by more than this share of the larger
RULES = {
    "partial-year": "covers part of the year only (mission start or end, missing months)",
    "outlier": f"below {LOW}x or above {HIGH}x its neighbours",
}
COLUMNS = ("troops", "police", "observers", "total")


def _flagged(flags: dict[str, list[str]], code: str, note: str) -> None:
    flags.setdefault(code, []).append(note)


def outside(value: float, reference: float) -> bool:
    """True when ``value`` is below LOW x or above HIGH x ``reference`` (a positive reference).

    >>> outside(5151, 12399.5), outside(10914, 9997), outside(30, 10)
    (True, False, True)
    """
    return reference > 0 and not LOW * reference <= value <= HIGH * reference


def year_outliers(values: dict[str, int], partial: set[str]) -> dict[str, str]:
    """Yearly figures of one mission and series that are outliers, with the reason.

    The reference is the median of the years within two of it (year - 2 … year + 2) that are present
    and not partial, so that one odd year does not make its neighbours look odd; a year with no such
    neighbour is never an outlier.

    >>> year_outliers({"2016": 10914, "2017": 5151, "2018": 13885}, set())
    {'2017': '5,151 is 42% of 12,400, the median of 2016, 2018'}
    >>> year_outliers({"2020": 14070, "2021": 1233}, {"2021"})
    {'2021': '1,233 is 9% of 14,070, the median of 2020'}
    """
    out = {}
    for year, value in sorted(values.items()):
        near = [str(int(year) + d) for d in (-2, -1, 1, 2) if str(int(year) + d) in values]
        near = [y for y in near if y not in partial]
        if not near:
            continue
        ref = median(values[y] for y in near)
        if outside(value, ref):
            out[year] = f"{value:,} is {value / ref:.0%} of {ref:,.0f}, the median of {', '.join(near)}"
    return out


def month_outliers(values: dict[str, int]) -> dict[str, str]:
    """Months of one mission whose total is outside [LOW, HIGH] x both adjacent months, on the same side.

    >>> month_outliers({"2001-01": 1000, "2001-02": 100, "2001-03": 1000, "2001-04": 1100})
    {'2001-02': '100 against 1,000 (2001-01) and 1,000 (2001-03)'}
    >>> month_outliers({"2001-01": 100, "2001-02": 1000, "2001-03": 5000})  # a ramp-up is not
    {}
    """
    months = sorted(values)
    out = {}
    for before, month, after in zip(months, months[1:], months[2:], strict=False):
        v, a, b = values[month], values[before], values[after]
        low = v < LOW * a and v < LOW * b
        high = v > HIGH * a and v > HIGH * b
        if low or high:
            out[month] = f"{v:,} against {a:,} ({before}) and {b:,} ({after})"
    return out


def _span_flags(mission: dict[str, str], year: str) -> str | None:
    """Why a year is partial for the mission itself: it started after January or ended before December."""
    start, end = mission.get("start_date", ""), mission.get("end_date", "")
    if start[:4] == year and len(start) > 4 and start[5:7] != "01":
        return f"the mission started in {start}"
    if end[:4] == year and len(end) > 4 and end[5:7] != "12":
        return f"the mission ended in {end}"
    return None


def read_ipi(shared: Path, missions: dict[str, dict[str, str]], report) -> dict[tuple[str, str], dict]:  # noqa: ANN001
    """(mission, YYYY-MM) -> figures and source rows, from the UN rows (org = 1) with IPI figures."""
    import pandas as pd

    data = pd.read_stata(shared / BARA, convert_categoricals=False)
    cells: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    rows_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, r in enumerate(data.itertuples(index=False), start=1):
        if r.org != 1:
            continue
        name = r.mission.strip()
        acronym = MISSION_NAMES.get(name, name)
        month = r.date.strftime("%Y-%m")
        figures = [getattr(r, f"IPI_{c}s" if c == "total" else f"IPI_{c}") for c in COLUMNS]
        if acronym not in missions:
            report.add(BARA, index, f"{r.mission} {month}", "mission is in no mission table", "row left out")
            continue
        if any(pd.isna(f) for f in figures):
            report.add(BARA, index, f"{acronym} {month}", "no IPI figures for this mission-month",
                       "row left out")
            continue
        key = (acronym, month)
        rows_of[key].append(index)
        values = tuple(int(f) for f in figures)
        cells[key].setdefault(r.location, values)  # one conflict country repeats the same mission figures
        if cells[key][r.location] != values:
            report.add(BARA, index, f"{acronym} {month} {r.location}",
                       f"two different figures for one mission, month and country {cells[key][r.location]}",
                       "the first row kept")
    out = {}
    for key, by_location in cells.items():
        totals = [sum(v[i] for v in by_location.values()) for i in range(len(COLUMNS))]
        if len(by_location) > 1:
            report.add(BARA, ";".join(map(str, rows_of[key])), f"{key[0]} {key[1]}",
                       f"figures given per conflict country ({', '.join(sorted(by_location))})", "summed")
        out[key] = {"figures": totals, "rows": rows_of[key]}
    return out


def convert_personnel(
    shared: Path, missions: dict[str, dict[str, str]], contributions: list[dict[str, str]], report  # noqa: ANN001
) -> list[dict[str, str]]:
    """Monthly and yearly personnel rows with their flags; disagreements go to ``report``."""
    monthly = read_ipi(shared, missions, report)
    out: list[dict[str, str]] = []

    def row(series: str, mission: str, period: str, figures: list[int | None],
            **extra: str) -> dict[str, str]:
        cells = {c: "" if v is None else str(v) for c, v in zip(COLUMNS, figures, strict=True)}
        return {"series": series, "mission": mission, "period": period, **cells, "months": "",
                "data_quality": "", "quality_note": "", "source_rows": "", **extra}

    def flag(r: dict[str, str], flags: dict[str, list[str]]) -> dict[str, str]:
        r["data_quality"] = ";".join(code for code in RULES if code in flags)
        r["quality_note"] = "; ".join(f"{code}: {', '.join(flags[code])}" for code in RULES if code in flags)
        return r

    # ipi: months, then yearly means
    by_mission: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for (mission, month), cell in monthly.items():
        by_mission[mission][month] = cell["figures"]
    ipi_years: dict[tuple[str, str], int] = {}
    for mission, months in sorted(by_mission.items()):
        spikes = month_outliers({m: f[3] for m, f in months.items()})
        for month, figures in sorted(months.items()):
            flags: dict[str, list[str]] = {}
            if month in spikes:
                _flagged(flags, "outlier", spikes[month])
            out.append(flag(row("ipi", mission, month, figures,
                                source_rows=";".join(map(str, monthly[(mission, month)]["rows"])),
                                source=BARA), flags))
        years: dict[str, list[list[int]]] = defaultdict(list)
        for month, figures in months.items():
            years[month[:4]].append(figures)
        means = {y: [round(sum(f[i] for f in fs) / len(fs)) for i in range(len(COLUMNS))]
                 for y, fs in years.items()}
        partial = {y: _partial(missions[mission], y, len(years[y])) for y in years}
        outliers = year_outliers({y: m[3] for y, m in means.items()}, {y for y, p in partial.items() if p})
        for year in sorted(years):
            flags = {}
            if partial[year]:
                _flagged(flags, "partial-year", partial[year])
            if year in outliers:
                _flagged(flags, "outlier", outliers[year])
            ipi_years[(mission, year)] = means[year][3]
            out.append(flag(row("ipi", mission, year, means[year], months=str(len(years[year])),
                                source=BARA), flags))

    # un-contributions: sums per mission and year; a year of the whole series below half the median is partial
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for c in contributions:
        sums[(c["mission"], c["year"])] += int(c["total"])
    series_years: dict[str, int] = defaultdict(int)
    for (_, year), total in sums.items():
        series_years[year] += total
    typical = median(series_years.values())
    thin = {y: f"the source's {y} total over all missions is {t / typical:.0%} of its median year "
               f"(months missing)" for y, t in series_years.items() if t < COVERAGE * typical}
    per_mission: dict[str, dict[str, int]] = defaultdict(dict)
    for (mission, year), total in sums.items():
        per_mission[mission][year] = total
    un_partial: set[tuple[str, str]] = set()
    for mission, years_ in sorted(per_mission.items()):
        partial = {y: thin.get(y) or _span_flags(missions[mission], y) for y in years_}
        outliers = year_outliers(years_, {y for y, p in partial.items() if p})
        for year, total in sorted(years_.items()):
            flags = {}
            if partial[year]:
                _flagged(flags, "partial-year", partial[year])
                un_partial.add((mission, year))
            if year in outliers:
                _flagged(flags, "outlier", outliers[year])
            out.append(flag(row("un-contributions", mission, year, [None, None, None, total],
                                source=CONTRIBUTIONS), flags))

    # consistency: both series, full years only
    ipi_partial = {(r["mission"], r["period"]) for r in out
                   if r["series"] == "ipi" and len(r["period"]) == 4 and "partial-year" in r["data_quality"]}
    for key in sorted(set(ipi_years) & set(sums)):
        if key in ipi_partial or key in un_partial:
            continue
        a, b = ipi_years[key], sums[key]
        if abs(a - b) > DISAGREEMENT * max(a, b):
            report.add(f"{BARA} | {CONTRIBUTIONS}", "", f"{key[0]} {key[1]}",
                       f"the series disagree: IPI yearly mean {a:,}, UN contributions {b:,} "
                       f"({abs(a - b) / max(a, b):.0%} of the larger)", "both kept")
    return sorted(out, key=lambda r: (r["mission"], r["series"], len(r["period"]), r["period"]))


def _partial(mission: dict[str, str], year: str, months: int) -> str | None:
    if months < 12:
        return f"{months} of 12 months with figures"
    return _span_flags(mission, year)

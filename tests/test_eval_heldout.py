"""Extraction quality on the project-written held-out texts (tests/heldout), which the rules were not
tuned on sentence by sentence. Floors sit about 0.05 below the F1 measured when they were set, so a
regression shows up while small wording changes in the rules do not break the build.
"""

from __future__ import annotations

from pathlib import Path

from kg.config import Settings
from kg.extract import evaluate

HELDOUT = Path(__file__).parent / "heldout"

#: F1 floors per field (measured on h01-h22: persons 1.000, countries 0.988, missions 0.978 (1.000 since
#: dev2 round 27), un_bodies 1.000, other_orgs 1.000, statements 0.945, quotes 0.979, dates 0.982,
#: mentions 0.987)
FLOORS = {
    "persons": 0.95,
    "countries": 0.93,
    "missions": 0.92,
    "un_bodies": 0.95,
    "other_orgs": 0.95,
    "statements": 0.89,
    "quotes": 0.92,
    "dates": 0.93,
    "mentions": 0.93,
}


def test_heldout_f1_stays_above_the_floors():
    report = evaluate(HELDOUT / "gold.jsonl", HELDOUT, Settings())
    assert report.missing == []
    assert report.documents == len(list(HELDOUT.glob("*.txt")))
    low = {f: round(report.scores[f].f1, 3) for f, floor in FLOORS.items() if report.scores[f].f1 < floor}
    assert low == {}, f"F1 below the held-out floor: {low}\n{report.table()}"


def test_heldout_gold_quotes_are_verbatim_and_files_are_listed():
    """Gold as GOLD_CONVENTIONS asks: every quote is a substring of its file; index.tsv lists every file."""
    import json

    index = (HELDOUT / "index.tsv").read_text(encoding="utf-8").splitlines()
    listed = {line.split("\t")[0] for line in index[1:] if line.strip()}
    gold = [json.loads(x) for x in (HELDOUT / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x]
    assert {r["file"] for r in gold} == listed == {p.name for p in HELDOUT.glob("*.txt")}
    for r in gold:
        text = (HELDOUT / r["file"]).read_text(encoding="utf-8")
        for s in r["statements"]:
            for q in [s["quote"], *s.get("quote_parts", [])]:
                assert q is None or q in text, (r["file"], q)

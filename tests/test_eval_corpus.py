"""Extraction quality on the real corpora dev and dev2 (read in place from ../shared; skipped when absent).

Floors sit a little (about 0.02-0.03) under the F1 measured when they were set, so a regression fails the
build while the rules stay free to move by a sentence. The measured figures, and the blind first score
of dev2, are in README.md ("Extraction quality") and tests/dev2/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED, require_corpus

from kg.config import Settings
from kg.extract import evaluate, read_file_list

DEV2_SPLIT = Path(__file__).parent / "dev2"

#: dev (the 25 texts the first rules were written on); measured: persons 1.000, countries 1.000,
#: missions 0.979, statements 0.990, quotes 1.000, dates 0.972, mentions 0.993
DEV_FLOORS = {
    "persons": 0.98,
    "countries": 0.98,
    "missions": 0.96,
    "statements": 0.97,
    "quotes": 0.98,
    "dates": 0.95,
    "mentions": 0.97,
}
#: dev2, all 33 texts; measured: persons 0.910, countries 0.934, missions 0.885, statements 0.889,
#: quotes 0.948, dates 0.835, mentions 0.920 (blind first score: statements 0.705, dates 0.621)
DEV2_FLOORS = {
    "persons": 0.88,
    "countries": 0.91,
    "missions": 0.86,
    "statements": 0.86,
    "quotes": 0.92,
    "dates": 0.80,
    "mentions": 0.89,
}
#: dev2's held-back half (tests/dev2/heldback.txt, never tuned on); measured: persons 0.845,
#: countries 0.955, missions 0.929, statements 0.821, quotes 0.901, dates 0.684
HELDBACK_FLOORS = {
    "persons": 0.82,
    "countries": 0.93,
    "missions": 0.90,
    "statements": 0.79,
    "quotes": 0.87,
    "dates": 0.65,
}


def _check(report, floors: dict[str, float], what: str) -> None:
    assert report.missing == []
    low = {f: round(report.scores[f].f1, 3) for f, floor in floors.items() if report.scores[f].f1 < floor}
    assert low == {}, f"{what}: F1 below the floor: {low}\n{report.table()}"


@pytest.mark.corpus
def test_dev_corpus_f1_stays_above_the_floors():
    corpus = require_corpus("dev")
    _check(evaluate(corpus / "gold.jsonl", corpus, Settings()), DEV_FLOORS, "dev")


@pytest.mark.corpus
def test_dev2_corpus_f1_stays_above_the_floors():
    corpus = require_corpus("dev2")
    report = evaluate(corpus / "gold.jsonl", corpus, Settings())
    assert report.documents == 33
    _check(report, DEV2_FLOORS, "dev2")


@pytest.mark.corpus
def test_dev2_heldback_half_stays_above_the_floors():
    corpus = require_corpus("dev2")
    only = read_file_list(DEV2_SPLIT / "heldback.txt")
    report = evaluate(corpus / "gold.jsonl", corpus, Settings(), only=only)
    assert report.documents == len(only) == 16
    _check(report, HELDBACK_FLOORS, "dev2 held-back half")


def test_the_split_is_the_rule_written_down():
    """Odd rows of dev2/index.tsv are the develop half, even rows the held-back half; none is in both."""
    develop = read_file_list(DEV2_SPLIT / "develop.txt")
    heldback = read_file_list(DEV2_SPLIT / "heldback.txt")
    assert not develop & heldback
    assert (len(develop), len(heldback)) == (17, 16)
    index = SHARED / "corpus" / "dev2" / "index.tsv"
    if index.exists():
        rows = [line.split("\t")[0] for line in index.read_text(encoding="utf-8").splitlines()[1:] if line]
        assert set(rows[0::2]) == develop and set(rows[1::2]) == heldback


def test_files_from_names_an_unknown_file(tmp_path):
    from kg.errors import InputError

    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "a.txt", "statements": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match="files not in the gold file: b.txt; list file names as the gold"):
        evaluate(gold, tmp_path, Settings(), only={"b.txt"})

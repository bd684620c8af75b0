"""Extraction quality on the real dev corpus (read in place from ../shared; skipped when it is absent)."""

from __future__ import annotations

import pytest
from conftest import require_corpus

from kg.config import Settings
from kg.extract import evaluate

#: the quality bar of issue 3: F1 per field
BAR = {"countries": 0.90, "missions": 0.90, "persons": 0.85, "statements": 0.80}


@pytest.mark.corpus
def test_dev_corpus_f1_stays_above_the_bar():
    corpus = require_corpus()
    report = evaluate(corpus / "gold.jsonl", corpus, Settings())
    assert report.missing == []
    low = {f: round(report.scores[f].f1, 3) for f, bar in BAR.items() if report.scores[f].f1 < bar}
    assert low == {}, f"F1 below the bar: {low}\n{report.table()}"
    # quotes exact where statements matched
    assert report.scores["quotes"].f1 >= 0.90, report.table()

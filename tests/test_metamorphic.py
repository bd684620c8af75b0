"""Metamorphic robustness (issue 9): dev (and dev2's develop half) rewritten in ways that must not change
what a reader extracts score (nearly) as the untouched texts do, statements and dates, so the
brittleness found and fixed cannot come back.

The rewrites are in tests/metamorphic.py; the tables before and after the fixes are in
tests/dev2/README.md ("Metamorphic robustness"). dev is read in place from ../shared; the test skips
when it is absent. Only the texts a rewrite changes are extracted again, which keeps this under ~30 s.
"""

from __future__ import annotations

import pytest
from conftest import require_corpus

#: F1 on the rewritten texts may fall this much under its reference before the test fails (one statement
#: of dev's 150 is about 0.004)
TOLERANCE = 0.01
FIELDS = ("statements", "dates")

#: measured after the fixes (tests/dev2/README.md). A rewrite that must change nothing is held to the
#: untransformed score; these are the exceptions, held to what they reached: rename_everyone renames
#: officials the reference data knows too, a counterfactual text (the post holder the data knows for the
#: date is not the one the text names), so some of its drop is the reference data being right about the
#: world; dateline_date_above puts a dateline's date on a line of its own, whose role is ambiguous
REACHED = {
    ("dev", "rename_everyone", "statements"): 0.932,
    ("dev", "rename_everyone", "dates"): 0.946,
    ("develop", "rename_everyone", "statements"): 0.877,
    ("develop", "rename_everyone", "dates"): 0.915,
    ("dev", "dateline_date_above", "dates"): 0.875,
}


@pytest.fixture(scope="module")
def scores():
    """{corpus: ({field: untransformed F1}, {rewrite: ({field: F1}, texts changed)})}"""
    require_corpus("dev")
    require_corpus("dev2")
    import metamorphic as mm

    from kg.config import Settings
    from kg.extract import load_gazetteer

    g = load_gazetteer(Settings().reference_dir)
    out = {}
    for corpus in mm.load_corpora():
        report = mm.score(corpus, None, g)[0]
        base = {f: report.scores[f].f1 for f in FIELDS}
        rows = {}
        for t in mm.TRANSFORMS:
            report, changed = mm.score(corpus, t, g)
            rows[t.name] = ({f: report.scores[f].f1 for f in FIELDS}, changed)
        out[corpus.name] = (base, rows)
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("corpus", ["dev", "develop"])
@pytest.mark.parametrize("field", FIELDS)
def test_each_rewrite_keeps_the_f1(scores, corpus, field):
    base, rows = scores[corpus]
    assert base["statements"] >= {"dev": 0.97, "develop": 0.89}[corpus]
    low = {
        name: round(f1[field], 3)
        for name, (f1, _changed) in rows.items()
        if f1[field] < REACHED.get((corpus, name, field), base[field]) - TOLERANCE
    }
    assert low == {}, f"{field} F1 on rewritten {corpus} fell (untransformed: {base[field]:.3f}): {low}"


@pytest.mark.corpus
def test_each_rewrite_changes_some_dev_text(scores):
    """A rewrite that changes nothing would pass the test above without testing anything."""
    _base, rows = scores["dev"]
    assert {name for name, (_f1, changed) in rows.items() if changed == 0} == set()


def test_quotes_are_carried_through_the_edits():
    """The gold's quotes follow their text through a rewrite: verbatim substrings of the new text."""
    import metamorphic as mm

    text = 'Headline\n"We will stay -- and we will help," Jane Doe said. The U.N. agreed.\n'
    gold = {
        "file": "x.txt",
        "persons": [{"name": "Jane Doe", "aliases": ["Doe"]}],
        "statements": [{"speaker": "Jane Doe", "verb": "said", "quote": "We will stay -- and we will help"}],
    }
    for t in mm.TRANSFORMS:
        new, g = t.apply(text, gold)
        quote = g["statements"][0]["quote"]
        assert quote in new, (t.name, quote, new)
    new, g = mm.rename_everyone(text, gold)
    assert "Jane Doe" not in new and g["persons"][0]["name"] in new
    assert g["statements"][0]["speaker"] == g["persons"][0]["name"]
    new, g = mm.single_quotes(text, gold)
    assert new.startswith("Headline\n'We will stay")
    assert g["statements"][0]["quote"] == "We will stay -- and we will help"

"""The cue lexicon (kg/extract/cues.tsv) is data: validated on load, every bad line listed at once."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract import lexicon as lx

ROOT = Path(__file__).resolve().parents[1]
HEADER = "cue\tclass\tcameo\tfallback\tforms\tafter\tcomplement\n"


def test_every_cue_has_a_cameo_code_of_the_codebook():
    with (ROOT / "data/reference/cameo.csv").open(encoding="utf-8") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    cues = lx.load_cues()
    assert len(cues) > 90
    unknown = [(c.cue, c.cameo) for c in cues if c.cameo.split("-")[0] not in codes]
    assert unknown == []


def test_bad_cue_lines_are_all_listed_in_one_error(tmp_path):
    bad = tmp_path / "cues.tsv"
    bad.write_text(
        HEADER
        + "say\tassertive\t010\tno\tsays said\t-\t-\n"
        + "mumble\tmurmur\t010\tno\tmumbles\t-\t-\n"  # unknown class
        + "snap\tevaluative\t999-nothing\tno\tsnaps\t-\t-\n"  # extension code that does not exist
        + "grumble\tassertive\t010\tmaybe\t-\t(\t-\n"  # bad fallback, no forms, bad regex
        + "say\tassertive\t010\tno\tsays\t-\t-\n",  # duplicate
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        lx.load_cues(bad)
    msg = str(e.value)
    assert msg.startswith(f"{bad}: 4 bad cue(s), fix them: line 3: class 'murmur' is not one of")
    assert "line 4: CAMEO code '999-nothing' is neither a CAMEO code nor in CAMEO_EXTENSIONS" in msg
    assert "line 5: fallback 'maybe' is not yes or no, a verb cue needs its forms, 'after' is not a" in msg
    assert "line 6: cue 'say' is listed twice" in msg


def test_a_file_without_the_header_is_refused(tmp_path):
    bad = tmp_path / "cues.tsv"
    bad.write_text("say\tassertive\t010\tno\tsays\t-\t-\n", encoding="utf-8")
    with pytest.raises(InputError, match="the first line must be the header cue class cameo"):
        lx.load_cues(bad)

"""Issue 9: spaCy's sentencizer and dateparser tried against the hand-written splitter and date resolver.

Neither library is a dependency (both were measured and rejected, see tests/dev2/README.md); install
them to rerun: ``.venv/bin/python -m pip install spacy dateparser``. Prints, per variant: the scores
of dev, the develop half and the held-back half (summary rows only: the held-back half's errors are
never listed), how many dev + develop paragraphs split differently, and CPU seconds.

    .venv/bin/python benchmarks/libs_issue9.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kg.extract.core as core  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.extract import dates as dts  # noqa: E402
from kg.extract import evaluate, extract_document, load_gazetteer, read_file_list  # noqa: E402
from kg.extract import text as tx  # noqa: E402
from kg.extract.readers import read_inputs  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FIELDS = ("statements", "dates", "quotes", "persons")
_CLOSERS = ("\"", "'", "\u201d", "\u2019", ")", "]")
_NEXT_CAPITAL = re.compile(r"[\"'\u201c\u2018(]?[A-Z0-9\u00C0-\u00DE]")


@lru_cache(maxsize=1)
def _nlp():  # noqa: ANN202
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def spacy_sentences(
    text: str, start: int, end: int, quotes: list[tx.Quote], *, rules: bool
) -> list[tuple[int, int]]:
    """``text.sentences`` with spaCy's sentencizer proposing the ends; closed quotations are never split.

    ``rules`` adds back what the sentencizer lacks: the project's abbreviations and initials, a capital
    after the stop, and an opening mark after the stop starting the next sentence, not ending this one.
    """
    inside = [(q.start, q.end) for q in quotes if q.closed]
    doc = _nlp()(text[start:end])
    cuts: list[int] = []
    for sent in list(doc.sents)[1:]:
        j = sent.start
        if rules:  # spaCy leaves an opening mark or bracket after the stop with the sentence before
            k = j - 1
            while k > 0 and (doc[k].text in "([" or any(q.open == start + doc[k].idx for q in quotes)):
                k -= 1
            j = k + 1
        k = j - 1
        while k >= 0 and (
            doc[k].text in _CLOSERS
            or (rules and (doc[k].is_punct or doc[k].is_space) and doc[k].text[-1] not in ".!?")
        ):
            k -= 1
        cut = start + doc[j].idx
        dot = start + doc[k].idx + len(doc[k].text) - 1 if k >= 0 else cut - 1
        if any(a < dot < b - 1 for a, b in inside) or any(a < cut < b for a, b in inside):
            continue
        if rules:
            word = re.search(r"([\w.]+)$", text[cuts[-1] if cuts else start : dot + 1])
            if text[dot] == "." and word:
                w = word.group(1).rstrip(".").lower()
                initials = re.fullmatch(r"(?:[a-z]\.)+[a-z]", w)
                if w in tx.ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or initials:
                    continue
            cut = dot + 1
            while cut < end and text[cut] in "\"'\u201d\u2019)]" and not any(q.open == cut for q in quotes):
                cut += 1
            nxt = cut
            while nxt < end and text[nxt].isspace():
                nxt += 1
            if not _NEXT_CAPITAL.match(text, nxt):
                continue
        cuts.append(cut)
    out = []
    bounds = [start, *cuts, end]
    for a, b in zip(bounds, bounds[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


@lru_cache(maxsize=4096)
def _dp(expr: str, base: dt.date) -> dt.date | None:
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": dt.datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past"}
    found = DateDataParser(languages=["en"], settings=settings).get_date_data(expr).date_obj
    return found.date() if found else None


def dateparser_resolve(m: re.Match[str], anchor: dts.Anchor) -> dts.Resolved:
    """``dates.resolve`` with dateparser doing the arithmetic; the project's precision rules kept around it.

    dateparser's 'past' preference reads a Thursday page's 'Thursday' as a week earlier and a wire
    story's 'March 27' on 26 March as last year: both are parsed from the day after the anchor.
    It reads neither 'earlier this month' nor 'last March' nor 'early March': the prefix is cut first.
    """
    text = m.group(0)

    def out(value: str | None, blocking: bool = False) -> dts.Resolved:
        return dts.Resolved(value, text, m.start(), m.end(), blocking)

    a, p = anchor.date, anchor.precision
    named = dts._day_and_month(m)
    year = m.group("fy") or m.group("md_y") or m.group("dm_y")
    if a is None or p not in ("day", "month"):
        if (year or m.group("mon_y")) and named:
            d = _dp(text, dt.date(int(year or m.group("mon_y")), 12, 31))
            return out(d.isoformat() if d else None, d is None)
        return out(None, True)
    day_prec = p == "day"
    ahead = a + dt.timedelta(days=1)
    end_of_month = dts._shift_month(a, 1) - dt.timedelta(days=1)
    if named:
        d = _dp(re.sub(r"^\w+day,?\s+", "", text), ahead if day_prec or year else end_of_month)
        if d is None:
            return out(None, True)
        if m.group("wd_full") and dts.WEEKDAYS[m.group("wd_full").lower()] != d.weekday():
            return out(d.strftime("%Y-%m"))
        return out(d.isoformat())
    if m.group("wd"):
        if m.group("pm"):
            d = _dp(f"{m.group('pm')} {m.group('pd')} {a.year}", a)
            if d:
                return out(d.isoformat())
        if not day_prec:
            return out(a.strftime("%Y-%m"))
        d = _dp(m.group("wd"), ahead)
        return out(d.isoformat() if d else None)
    if (m.group("today") or m.group("yesterday")) and not day_prec:
        return out(a.strftime("%Y-%m"))
    rel = m.group("today") or m.group("yesterday") or m.group("thismonth") or m.group("lastmonth")
    if rel:
        d = _dp(re.sub(r"^earlier\s+", "", rel.lower()), a)
        if d is None:
            return out(None)
        return out(d.isoformat() if m.group("today") or m.group("yesterday") else d.strftime("%Y-%m"))
    if m.group("week"):
        return out(None, m.group("week").lower().startswith(("last", "next")))
    if m.group("mon"):
        d = _dp(m.group("mon") + (f" {m.group('mon_y')}" if m.group("mon_y") else ""), a)
        if d is None:
            return out(None)
        same_month = (d.year, d.month) == (a.year, a.month)
        if text.lower().startswith("last") and not m.group("mon_y") and same_month:
            d = d.replace(year=d.year - 1)
        return out(d.strftime("%Y-%m"))
    return out(None)


@contextmanager
def variant(sentences: Callable | None = None, resolve: Callable | None = None) -> Iterator[None]:
    """Swap the splitter used by ``core`` and the resolver used by ``speech_dates`` for a while."""
    old_s, old_r = core.sentences, dts.resolve
    core.sentences = sentences or old_s
    dts.resolve = resolve or old_r
    try:
        yield
    finally:
        core.sentences, dts.resolve = old_s, old_r


VARIANTS: dict[str, dict[str, Callable]] = {
    "hand-written (today)": {},
    "spaCy sentencizer": {"sentences": lambda t, s, e, q: spacy_sentences(t, s, e, q, rules=False)},
    "spaCy sentencizer + project rules": {
        "sentences": lambda t, s, e, q: spacy_sentences(t, s, e, q, rules=True)
    },
    "dateparser behind resolve": {"resolve": dateparser_resolve},
}


def _paragraph_jobs(files: list[Path]) -> list[tuple[str, int, int, list[tx.Quote]]]:
    jobs = []
    for f in files:
        norm = tx.normalize(f.read_text(encoding="utf-8"))
        paras = tx.paragraphs(norm)
        work = tx.blank(norm, [(p.start, p.end) for p in paras if p.junk or p.duplicate])
        live = [p for p in paras if not (p.junk or p.duplicate)]
        for i, p in enumerate(live):
            jobs.append((work, p.start, p.end, tx.find_quotes(work, p.start, p.end, last=i == len(live) - 1)))
    return jobs


def _date_jobs(files: list[Path], *corpora: Path) -> list[tuple[re.Match[str], dts.Anchor]]:
    """Every date expression of these texts with its document's anchor."""
    settings = Settings()
    limit = settings.max_document_bytes
    docs = {d.file: d for c in corpora for d in read_inputs([c], max_bytes=limit).documents}
    out = []
    for f in files:
        d = docs[f.name]
        work = tx.normalize(d.text)
        paras = [work[p.start : p.end] for p in tx.paragraphs(work) if not (p.junk or p.duplicate)]
        anchor = dts.document_anchor(d.publication_date, paras)
        out += [(m, anchor) for m in dts.DATE_EXPR.finditer(work)]
    return out


def _stage_seconds(jobs: list, dated: list, swap: dict[str, Callable]) -> tuple[float, float]:
    """CPU seconds of the two stages alone: the splitter over the paragraphs, the resolver over the dates."""
    split = swap.get("sentences", tx.sentences)
    resolve = swap.get("resolve", dts.resolve)
    t0 = time.process_time()
    for j in jobs:
        split(*j)
    t1 = time.process_time()
    _dp.cache_clear()
    for m, anchor in dated:
        resolve(m, anchor)
    return t1 - t0, time.process_time() - t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="extraction passes over dev + dev2 to time")
    args = parser.parse_args()
    settings = Settings()
    g = load_gazetteer(settings.reference_dir)
    dev, dev2 = CORPUS / "dev", CORPUS / "dev2"
    develop = set(read_file_list(ROOT / "tests" / "dev2" / "develop.txt"))
    heldback = set(read_file_list(ROOT / "tests" / "dev2" / "heldback.txt"))
    seen = sorted(dev.glob("*.txt")) + [dev2 / n for n in sorted(develop)]  # never the held-back texts
    jobs = _paragraph_jobs(seen)
    dated = _date_jobs(seen, dev, dev2)
    docs = [d for c in (dev, dev2) for d in read_inputs([c], max_bytes=settings.max_document_bytes).documents]
    print(f"| variant | {' | '.join(f'{c} {f}' for c in ('dev', 'develop', 'held-back') for f in FIELDS)} "
          f"| paragraphs split differently (dev + develop, of {len(jobs)}) | docs / CPU s "
          f"| splitter CPU ms ({len(jobs)} paragraphs) | resolver CPU ms ({len(dated)} date expressions) |")
    for name, swap in VARIANTS.items():
        with variant(**swap):
            reports = [
                evaluate(dev / "gold.jsonl", dev, settings, gazetteer=g),
                evaluate(dev2 / "gold.jsonl", dev2, settings, gazetteer=g, only=develop),
                evaluate(dev2 / "gold.jsonl", dev2, settings, gazetteer=g, only=heldback),
            ]
            split = core.sentences
            differ = sum(1 for j in jobs if split(*j) != tx.sentences(*j))
            for d in docs:
                extract_document(d, g)  # warm-up: imports, parsers
            passes = []
            for _ in range(args.rounds):  # the best pass: the machine is shared, noise only adds time
                t0 = time.process_time()
                for d in docs:
                    _dp.cache_clear()  # each document's expressions are its own
                    extract_document(d, g)
                passes.append(time.process_time() - t0)
            rate = len(docs) / min(passes)
            stage = _stage_seconds(jobs, dated, swap)
        f1 = " | ".join(f"{r.scores[f].f1:.3f}" for r in reports for f in FIELDS)
        print(f"| {name} | {f1} | {differ} | {rate:.0f} | {stage[0] * 1000:.0f} | {stage[1] * 1000:.0f} |")


if __name__ == "__main__":
    main()

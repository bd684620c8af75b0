"""Extraction: news reports and UN briefings -> statements, persons and mentions (no rdflib here).

Rule-based and deterministic: a gazetteer built from ``data/reference`` (countries, missions, bodies,
frameworks, officials), reporting-verb and title lexicons, and explicit rules for speakers, quotes
and dates, each of which can be traced to the characters it came from.

    >>> from kg.extract import extract_text
    >>> from kg.extract.gazetteer import Gazetteer
    >>> extract_text("x", Gazetteer()).statements
    ()
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.config import Settings
from kg.errors import InputError
from kg.extract.core import extract_document
from kg.extract.evaluate import EvalReport, load_gold, read_file_list, score_document
from kg.extract.gazetteer import Gazetteer, load_gazetteer
from kg.extract.output import jsonl_line, record
from kg.extract.readers import ReadResult, Rejected, read_inputs
from kg.model import Document, ExtractionResult

__all__ = [
    "EvalReport",
    "ExtractBatch",
    "Gazetteer",
    "Rejected",
    "evaluate",
    "extract_document",
    "extract_paths",
    "extract_text",
    "jsonl_line",
    "load_gazetteer",
    "read_file_list",
    "record",
]


def extract_text(
    text: str, gazetteer: Gazetteer, *, publication_date: str | None = None, file: str = ""
) -> ExtractionResult:
    """Extract from a string (handy in tests and notebooks)."""
    return extract_document(Document(text=text, file=file, publication_date=publication_date), gazetteer)


@dataclass
class ExtractBatch:
    results: list[ExtractionResult]
    rejected: list[Rejected]
    warnings: list[Rejected]


def extract_paths(
    paths: list[Path], settings: Settings, *, gazetteer: Gazetteer | None = None
) -> ExtractBatch:
    """Read every input (bad ones are reported, not fatal) and extract each document."""
    g = gazetteer or load_gazetteer(settings.reference_dir)
    read: ReadResult = read_inputs(list(paths), max_bytes=settings.max_document_bytes)
    return ExtractBatch([extract_document(d, g) for d in read.documents], read.rejected, read.warnings)


def evaluate(
    gold_path: Path,
    corpus_dir: Path,
    settings: Settings,
    *,
    gazetteer: Gazetteer | None = None,
    only: set[str] | None = None,
) -> EvalReport:
    """Run extraction over ``corpus_dir`` and score it against the gold file.

    ``only`` restricts scoring to these file names (a held-back half of a corpus, say); a name that is
    not in the gold file is an ``InputError``, so a typo cannot silently shrink the sample.
    """
    g = gazetteer or load_gazetteer(settings.reference_dir)
    gold = load_gold(gold_path)
    if only is not None:
        unknown = sorted(only - {r["file"] for r in gold})
        if unknown:
            raise InputError(
                f"files not in the gold file: {', '.join(unknown)}; list file names as the gold spells them",
                path=str(gold_path),
            )
        gold = [r for r in gold if r["file"] in only]
    read = read_inputs([Path(corpus_dir)], max_bytes=settings.max_document_bytes)
    by_file = {d.file: d for d in read.documents}
    report = EvalReport()
    for rec in gold:
        doc = by_file.get(rec["file"])
        if doc is None:
            report.missing.append(rec["file"])
            pred = {
                "file": rec["file"],
                "persons": [],
                "un_bodies": [],
                "countries": [],
                "missions": [],
                "other_orgs": [],
                "statements": [],
            }
        else:
            pred = record(extract_document(doc, g))
        report.documents += 1
        score_document(rec, pred, g, report)
    return report

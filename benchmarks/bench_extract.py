"""Extraction throughput: documents per second on the dev corpus repeated to a few thousand documents.

Measures, side by side in one run: extraction only (text -> records), extraction + mapping to N-Triples,
and the whole ingest into an in-memory store. Prints a Markdown table for BENCHMARKS.md.

    .venv/bin/python benchmarks/bench_extract.py [--copies 120]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Settings  # noqa: E402
from kg.extract import extract_document, load_gazetteer  # noqa: E402
from kg.extract.readers import read_inputs  # noqa: E402
from kg.mapping import document_ntriples  # noqa: E402
from kg.store import open_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=120, help="how many times to repeat the 25 dev texts")
    args = parser.parse_args()
    settings = Settings()
    t0 = time.perf_counter()
    gaz = load_gazetteer(settings.reference_dir)
    t_gaz = time.perf_counter() - t0
    base = read_inputs([CORPUS], max_bytes=settings.max_document_bytes).documents
    # each copy gets a distinct text (a numbered first line) so ingest cannot skip it as unchanged
    docs = [
        replace(d, text=f"Copy {i}\n\n{d.text}", file=f"{i}-{d.file}")
        for i in range(args.copies)
        for d in base
    ]
    n = len(docs)
    chars = sum(len(d.text) for d in docs)

    t0 = time.perf_counter()
    results = [extract_document(d, gaz) for d in docs]
    t_extract = time.perf_counter() - t0

    t0 = time.perf_counter()
    for r in results:
        document_ntriples(r, gaz)
    t_map = time.perf_counter() - t0

    t0 = time.perf_counter()
    from kg.namespaces import document_graph

    with open_store("memory") as store:
        for d in docs:
            res = extract_document(d, gaz)
            store.replace_graph(document_graph(d.key), document_ntriples(res, gaz))
    t_ingest = time.perf_counter() - t0

    print(f"{n} documents ({chars / n:.0f} characters on average), gazetteer built in {t_gaz:.2f} s\n")
    print("| stage | seconds | documents/s | ratio to extraction |")
    print("|---|---:|---:|---:|")
    for name, t in [
        ("extract (text -> records)", t_extract),
        ("map (records -> sorted N-Triples)", t_map),
        ("ingest (extract + map + load, in-memory Oxigraph)", t_ingest),
    ]:
        print(f"| {name} | {t:.2f} | {n / t:.0f} | {t / t_extract:.2f} |")


if __name__ == "__main__":
    main()

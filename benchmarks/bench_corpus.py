"""Ingest and rebuild at scale: `kg ingest` of N documents into a new store, then `kg build`, which
re-extracts every one of them from its stored text; for two sizes side by side, so that the ratio of
the time per document shows whether the cost stays linear in the number of documents.

The documents are the 25 dev texts of ../shared/corpus/dev repeated, each copy made distinct by a
numbered first line and its own title and URL; ten bad lines (no text) are mixed in, rejected and
summarised at the end, as a researcher's batch would be.

    .venv/bin/python benchmarks/bench_corpus.py [--sizes 1000,10000] [--update BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Settings  # noqa: E402
from kg.pipeline import build_store, ingest_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SECTION = "## Corpus ingest and rebuild at scale"


def write_corpus(path: Path, n: int) -> None:
    """A JSON Lines corpus of ``n`` distinct documents (and ten rejected lines)."""
    with (CORPUS / "index.tsv").open(encoding="utf-8", newline="") as f:
        index = list(csv.DictReader(f, delimiter="\t"))
    texts = [(row, (CORPUS / row["file"]).read_text(encoding="utf-8")) for row in index]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            row, text = texts[i % len(texts)]
            doc = {"text": f"Copy {i}\n\n{text}", "title": f"{row['title']} (copy {i})",
                   # a query string, not a fragment: a document's key ignores the fragment of its URL
                   "url": f"{row['url']}?copy={i}", "publication_date": row["publication_date"],
                   "source": row["source_site"], "file": f"{i:05d}-{row['file']}"}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            if i % max(1, n // 10) == 0 and i // max(1, n // 10) < 10:
                out.write(json.dumps({"title": "no text"}) + "\n")


def measure(n: int, work: Path) -> dict[str, float]:
    corpus = work / f"corpus-{n}.jsonl"
    write_corpus(corpus, n)
    location = str(work / f"store-{n}")
    settings = Settings(store=location, exports_dir=work / "exports")
    t0, c0 = time.perf_counter(), time.process_time()
    report = ingest_store(location, [corpus], settings)
    t_ingest, c_ingest = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    summary = build_store(location, settings, write_exports=False)
    t_build, c_build = time.perf_counter() - t0, time.process_time() - c0
    assert summary.changes.ingested == n == len(report.accepted), (summary.changes, len(report.accepted))
    return {"n": n, "ingest": t_ingest, "build": t_build, "ingest_cpu": c_ingest, "build_cpu": c_build,
            "rejected": len(report.rejected),
            "statements": summary.changes.statements, "triples": summary.triples}


def table(rows: list[dict[str, float]]) -> str:
    """Wall-clock and CPU seconds per phase; the ratios use CPU seconds, which a shared machine's other
    jobs do not inflate (this benchmark runs in one process, with no children)."""
    small = rows[0]
    lines = ["| documents | statements | triples | ingest s (CPU s) | ingest documents/s "
             "| rebuild s (CPU s) | rebuild documents/s | CPU seconds per document, ratio to the smallest "
             "(ingest / rebuild) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ratio_i = (r["ingest_cpu"] / r["n"]) / (small["ingest_cpu"] / small["n"])
        ratio_b = (r["build_cpu"] / r["n"]) / (small["build_cpu"] / small["n"])
        lines.append(f"| {r['n']:,} | {r['statements']:,} | {r['triples']:,} | {r['ingest']:.0f} "
                     f"({r['ingest_cpu']:.0f}) | {r['n'] / r['ingest']:.1f} | {r['build']:.0f} "
                     f"({r['build_cpu']:.0f}) | {r['n'] / r['build']:.1f} | {ratio_i:.2f} / {ratio_b:.2f} |")
    return "\n".join(lines)


def update(markdown: Path, body: str) -> None:
    """Replace (or add) this benchmark's section, leaving every other section alone."""
    text = markdown.read_text("utf-8")
    if SECTION not in text:
        text = text.rstrip() + "\n\n" + SECTION + "\n"
    start = text.index(SECTION) + len(SECTION) + 1
    nxt = text.find("\n## ", start)
    end = len(text) if nxt == -1 else nxt + 1
    markdown.write_text(text[:start] + "\n" + body.rstrip() + "\n\n" + text[end:], "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--update", type=Path, help=f"rewrite the '{SECTION[3:]}' section of this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for n in sizes:
            rows.append(measure(n, Path(tmp)))
            print(f"{n} documents: ingest {rows[-1]['ingest']:.1f} s, rebuild {rows[-1]['build']:.1f} s",
                  file=sys.stderr, flush=True)
    big, small = rows[-1], rows[0]
    marginal = ([(big[k] - small[k]) / (big["n"] - small["n"]) for k in ("ingest_cpu", "build_cpu")]
                if len(rows) > 1 else [])
    body = "\n".join([
        f"The dev texts repeated to {', '.join(f'{n:,}' for n in sizes)} distinct documents (plus ten "
        "rejected lines each), ingested into a new store and then rebuilt with `kg build` (every document "
        "re-extracted from its stored text, the whole graph validated, no exports); one process, one run, "
        "shared 2-core machine:", "",
        f"    .venv/bin/python benchmarks/bench_corpus.py --sizes {args.sizes} --update BENCHMARKS.md", "",
        table(rows), "",
        "A ratio near or below 1.00 means the time per document did not grow with the corpus (below 1: the "
        "fixed cost of loading and checking the reference graph is spread over more documents)"
        + (f"; each extra document cost {marginal[0]:.3f} CPU s to ingest and "
           f"{marginal[1]:.3f} CPU s to rebuild"
           if marginal else "") + ". Ingest and rebuild each extract every document once and check the "
        "document graphs against the shapes in batches of 200 (each with what the store says about its "
        f"subjects), which is most of the time. Every run rejected {rows[0]['rejected']} inputs and "
        "summarised them at the end.",
    ])
    print(body)
    if args.update:
        update(args.update, body)


if __name__ == "__main__":
    main()

"""Export writers: time and peak memory per format, ours against Oxigraph's raw dump and rdflib.

For the bundled graph and for the bundled graph scaled to about a million triples, every
measurement runs in its own subprocess (so peak memory is its own): the data is loaded first
(not timed), then one format is written to a temporary file while a thread samples the process's
resident memory. "peak MB" is the highest resident memory while writing minus the resident
memory just before. rdflib runs get a time budget (``--rdflib-budget``); past it the run is
stopped and reported as "> N s".

    .venv/bin/python benchmarks/bench_export.py                    # prints the tables
    .venv/bin/python benchmarks/bench_export.py --update BENCHMARKS.md   # rewrites its section

The scaled graph comes from ``benchmarks/scale.py:scaled_nquads`` (the SPARQL benchmark's generator:
the bundled graph plus renamed copies of its resources); without that file, the reference graph
is copied with renamed resources (``…/id/c{n}/…``), keeping the ontology once.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ["turtle", "ntriples", "nquads", "trig", "jsonld"]
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                 "jsonld": "json-ld"}
QUADS = {"nquads", "trig"}


# ---- measuring inside a worker --------------------------------------------------------------------
def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakMemory:
    """Highest resident memory while the block runs, above the resident memory at its start."""

    def __enter__(self) -> PeakMemory:
        self.start = _rss()
        self.max_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())
        max_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if max_after > self.max_before:  # a new high-water mark was set while writing
            self.peak = max(self.peak, max_after)

    @property
    def extra_mb(self) -> float:
        return max(0, self.peak - self.start) / 2**20


def worker(kind: str, fmt: str, data: Path, budget: float) -> dict:
    """One measurement: load ``data`` (N-Quads), write ``fmt`` with ``kind``, report time and memory."""
    out = Path(tempfile.mkdtemp()) / f"out.{fmt}"
    if kind in ("ours", "oxigraph"):
        import pyoxigraph as ox

        from kg import export
        from kg.store import open_store

        store = open_store("memory")
        store.native.bulk_load(data.read_bytes(), format=ox.RdfFormat.N_QUADS)
        if kind == "ours":
            def run() -> None:
                export.write(store, fmt, out)
        else:
            def run() -> None:
                native = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                          "jsonld": ox.RdfFormat.JSON_LD}
                if fmt in native:
                    store.native.dump(str(out), format=native[fmt])
                else:
                    out.write_bytes(store.dump(fmt))  # the union of the graphs, via CONSTRUCT
    else:
        from rdflib import Dataset, Graph

        if fmt in QUADS:
            g = Dataset()
            g.parse(data, format="nquads")
        else:
            import pyoxigraph as ox  # only to make the union's N-Triples quickly; rdflib parses them

            union = {f"{q.subject} {q.predicate} {q.object} ." for q in ox.parse(path=str(data),
                                                                              format=ox.RdfFormat.N_QUADS)}
            g = Graph()
            g.parse(data="\n".join(union), format="nt")
            del union

        def run() -> None:
            signal.signal(signal.SIGALRM, _out_of_time)
            signal.setitimer(signal.ITIMER_REAL, budget)
            try:
                g.serialize(destination=str(out), format=RDFLIB_FORMAT[fmt])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        with PeakMemory() as mem:
            t0 = time.perf_counter()
            run()
            seconds = time.perf_counter() - t0
        return {"seconds": round(seconds, 3), "peak_mb": round(mem.extra_mb, 1), "bytes": out.stat().st_size}
    except TimeoutError:
        return {"seconds": None, "budget": budget, "peak_mb": round(mem.extra_mb, 1)}
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def _out_of_time(signum: int, frame: object) -> None:
    raise TimeoutError


# ---- preparing data and driving the workers -------------------------------------------------------
def bundled_nquads() -> bytes:
    from kg.config import Settings
    from kg.pipeline import build
    from kg.store import open_store

    store = open_store("memory")
    build(store, Settings(store="memory"), write_exports=False)
    return store.dump("nquads")


def scaled(base: bytes, target: int) -> bytes:
    """About ``target`` quads: the ontology once, the other graphs copied with renamed resources."""
    try:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from scale import scaled_nquads  # issue 4's generator, when it is there

        return scaled_nquads(base, target)
    except ImportError:
        pass
    from kg.namespaces import GRAPH_ONTOLOGY, ID

    lines = base.splitlines()
    onto_suffix = f" <{GRAPH_ONTOLOGY}> .".encode()
    fixed = [x for x in lines if x.endswith(onto_suffix)]
    copied = [x for x in lines if not x.endswith(onto_suffix)]
    out = list(lines)
    n = 1
    while len(out) < target:
        prefix = ID.encode()
        out += [x.replace(prefix, prefix + b"c%d/" % n) for x in copied]
        n += 1
    del fixed
    return b"\n".join(out[:target]) + b"\n"


def measure(kind: str, fmt: str, data: Path, budget: float) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--format", fmt, "--data", str(data),
           "--rdflib-budget", str(budget)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=budget * 4 + 900)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cell(r: dict) -> str:
    if "error" in r:
        return f"error: {r['error'][:60]}"
    if r["seconds"] is None:
        return f"> {r['budget']:g} s"
    return f"{r['seconds']:.2f} s"


def table(title: str, data: Path, n: int, budget: float, progress: bool = True) -> str:
    rows = [f"### {title} ({n:,} quads)", "",
            "| format | ours: time | ours: peak MB | Oxigraph raw dump (unsorted) | rdflib: time "
            "| rdflib: peak MB | rdflib / ours | output MB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for fmt in FORMATS:
        ours, ox_raw, rdfl = (measure(k, fmt, data, budget) for k in ("ours", "oxigraph", "rdflib"))
        if "error" not in ours and "error" not in rdfl:
            if rdfl["seconds"] is None:
                ratio = f"> {rdfl['budget'] / ours['seconds']:.0f}×"
            else:
                ratio = f"{rdfl['seconds'] / ours['seconds']:.0f}×"
        else:
            ratio = "–"
        rows.append(f"| {fmt} | {_cell(ours)} | {ours.get('peak_mb', '–')} | {_cell(ox_raw)} | {_cell(rdfl)} "
                    f"| {rdfl.get('peak_mb', '–')} | {ratio} | {ours.get('bytes', 0) / 2**20:.1f} |")
        if progress:
            print(rows[-1], file=sys.stderr, flush=True)
    return "\n".join(rows) + "\n"


def report(triples: int, budget: float) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        base = bundled_nquads()
        small, big = Path(tmp) / "bundled.nq", Path(tmp) / "scaled.nq"
        small.write_bytes(base)
        big.write_bytes(scaled(base, triples))
        n_small, n_big = base.count(b"\n"), big.read_bytes().count(b"\n")
        parts = [
            "Command: `.venv/bin/python benchmarks/bench_export.py --update BENCHMARKS.md` "
            f"(Python {platform.python_version()}, {os.cpu_count()} cores). One subprocess per cell; "
            "time to write one file from an in-memory store (loading not timed); peak MB = highest resident "
            "memory while writing above the memory before it. \"Oxigraph raw dump\" is pyoxigraph's own "
            "serializer in store order (not sorted, not pretty, expanded JSON-LD), shown for scale: ours "
            "starts from it and adds sorting, grouping and prefixes. rdflib serializes from its own "
            f"in-memory graph (its parse not timed) and is stopped after {budget:g} s.",
            "",
            table("Bundled graph", small, n_small, budget),
            table("Scaled graph", big, n_big, budget),
        ]
    return "\n".join(parts)


def update(markdown: Path, section: str) -> None:
    """Replace the body of the "## Export writers" section, leaving every other section alone."""
    text = markdown.read_text("utf-8")
    head = "## Export writers\n"
    start = text.index(head) + len(head)
    nxt = text.find("\n## ", start)
    end = len(text) if nxt == -1 else nxt + 1
    markdown.write_text(text[:start] + "\n" + section.rstrip() + "\n\n" + text[end:], "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the scaled graph")
    parser.add_argument("--rdflib-budget", type=float, default=300.0,
                        help="seconds before an rdflib run stops")
    parser.add_argument("--update", type=Path, help="rewrite the 'Export writers' section of this file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.format, args.data, args.rdflib_budget)))
        return
    section = report(args.triples, args.rdflib_budget)
    if args.update:
        update(args.update, section)
    print(section)


if __name__ == "__main__":
    main()

"""`kg serve` and `oxigraph serve` under load, side by side: same data, same client, same query mix.

Both servers hold the bundled graph (``exports/peacekeeping.trig``, the committed dump with its named
graphs); the client is one process of threads, each with its own keep-alive connection, sending the
saved queries (default parameters, the prefixes spelled out so that Oxigraph reads them too) in turn,
each thread starting at another query. Each level of concurrency runs for ``--seconds`` (or ``--max-
requests``), after one warm-up pass of the mix on each server; the servers take turns at each level so
that neither gets a cooler machine.
Reported: requests per second, median and 99th-percentile latency, and errors (any status but 200 or
a failed connection).

    .venv/bin/python benchmarks/bench_serve.py                          # prints the table
    .venv/bin/python benchmarks/bench_serve.py --update BENCHMARKS.md   # rewrites its section
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_queries import _start_oxigraph, update_section  # noqa: E402

SECTION = "## The endpoint under load (kg serve beside oxigraph serve)"
DATA = ROOT / "exports" / "peacekeeping.trig"


def mix() -> list[tuple[str, str, str]]:
    """(name, full query text, Accept) for every saved query."""
    from kg.query import prepare, saved_queries

    out = []
    for name, q in saved_queries().items():
        prepared = prepare(q.bind(unbound_ok=True))
        accept = "text/turtle" if prepared.kind == "graph" else "application/sparql-results+json"
        out.append((name, prepared.full, accept))
    return out


def start_kg(location: str, workers: int, log: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`kg serve` as the tests start it (tests/query_helpers.py), with the benchmark's worker count."""
    from query_helpers import start_kg_serve

    return start_kg_serve(location, log, "--workers", str(workers), *options)


def load(clients: int, base: str, path: str, queries: list, seconds: float, max_requests: int) -> dict:
    """Run ``clients`` threads against one server; latencies of every request and the error count."""
    netloc = urllib.parse.urlsplit(base).netloc
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [max_requests]

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(netloc, timeout=120)
        i = offset
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            _, text, accept = queries[i % len(queries)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=text.encode("utf-8"),
                             headers={"Content-Type": "application/sparql-query", "Accept": accept})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(netloc, timeout=120)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    ordered = sorted(latencies)
    return {"requests": len(ordered), "rps": len(ordered) / wall, "errors": errors[0],
            "p50": statistics.median(ordered) if ordered else 0.0,
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0}


def run(levels: list[int], seconds: float, max_requests: int, workers: int,
        options: tuple[str, ...] = ()) -> dict:
    import pyoxigraph

    from kg.store import open_store

    queries = mix()
    with tempfile.TemporaryDirectory() as tmp:
        location = str(Path(tmp) / "kg")
        with open_store(location) as store:
            store.native.bulk_load(path=str(DATA), format=pyoxigraph.RdfFormat.TRIG)
            quads = store.count()
        oxi_dir = Path(tmp) / "oxigraph"
        store = pyoxigraph.Store(str(oxi_dir))
        store.bulk_load(path=str(DATA), format=pyoxigraph.RdfFormat.TRIG)
        del store
        kg_proc, kg_url = start_kg(location, workers, Path(tmp) / "kg-serve.log", *options)
        ox_proc, ox_url = _start_oxigraph(oxi_dir)
        servers = {"kg serve": (kg_url, "/sparql"), "oxigraph serve": (ox_url, "/query?union-default-graph")}
        try:
            for url, path in servers.values():
                load(1, url, path, queries, 600, len(queries))  # warm-up: one pass of the mix
            rows = []
            for clients in levels:
                row = {"clients": clients}
                for name, (url, path) in servers.items():
                    row[name] = load(clients, url, path, queries, seconds, max_requests)
                rows.append(row)
        finally:
            for proc in (kg_proc, ox_proc):
                proc.terminate()
                proc.wait(30)
    import pyoxigraph as ox
    import uvicorn

    return {"rows": rows, "quads": quads, "queries": len(queries), "seconds": seconds, "workers": workers,
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, pyoxigraph "
                       f"{ox.__version__}, uvicorn {uvicorn.__version__}"}


def markdown(report: dict) -> str:
    lines = [
        f"`kg serve` (uvicorn, {report['workers']} workers) and `oxigraph serve` on the same data (the "
        f"bundled graph, `exports/{DATA.name}`: {report['quads']:,} quads, each server holding all of "
        f"them), the same client (threads with keep-alive connections) "
        f"and the same mix of the {report['queries']} saved queries, {report['seconds']:g} s per level, the "
        f"servers taking turns. Errors are any answer but 200 and failed connections.",
        "",
        "    .venv/bin/python benchmarks/bench_serve.py --update BENCHMARKS.md",
        "",
        f"Machine: {report['machine']}.",
        "",
        "| clients | kg req/s | oxigraph req/s | ratio | kg p50 | oxigraph p50 | kg p99 | oxigraph p99 "
        "| kg errors | oxigraph errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["rows"]:
        kg, ox = row["kg serve"], row["oxigraph serve"]
        ratio = kg["rps"] / ox["rps"]
        lines.append(f"| {row['clients']} | {kg['rps']:.1f} | {ox['rps']:.1f} | {ratio:.2f}× | "
                     f"{kg['p50'] * 1000:.0f} ms | {ox['p50'] * 1000:.0f} ms | {kg['p99'] * 1000:.0f} ms | "
                     f"{ox['p99'] * 1000:.0f} ms | {kg['errors']} of {kg['requests']} | "
                     f"{ox['errors']} of {ox['requests']} |")
    lines += ["", NOTE]
    return "\n".join(lines) + "\n"


#: how to read the table (printed under it)
NOTE = ("Latency includes the wait for a slot: `kg serve` runs at most `--workers` queries in their first "
        "half second (and `--slow-workers` long ones) and makes the others wait, where Oxigraph starts "
        "every request at once; so kg's median is higher. Requests per second are "
        "bounded by the two cores; the saved queries' mix is dominated by four heavy ones (statement-card, "
        "women-share-by-mission, contributors-same-continent, missions-behind-statements).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="16,32,64", help="concurrency levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per level and server")
    parser.add_argument("--max-requests", type=int, default=100_000,
                        help="requests per level and server, at most")
    parser.add_argument("--workers", type=int, default=4, help="kg serve --workers")
    parser.add_argument("--slow-nice", type=int, default=None, help="kg serve --slow-nice (default: its own)")
    parser.add_argument("--update", type=Path, default=None, help="rewrite the section in this Markdown file")
    args = parser.parse_args()
    options = ("--slow-nice", str(args.slow_nice)) if args.slow_nice is not None else ()
    report = run([int(c) for c in args.clients.split(",")], args.seconds, args.max_requests, args.workers,
                 options)
    body = markdown(report)
    print(body)
    if args.update:
        update_section(args.update, body, SECTION)


if __name__ == "__main__":
    main()

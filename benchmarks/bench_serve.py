"""`kg serve` and `oxigraph serve` under load, side by side: same data, same client, same query mix.

Every server holds the bundled graph (``exports/peacekeeping.trig``, the committed dump with its named
graphs): `kg serve` with its defaults (its workers hold the graph in memory when it fits, as here), and
`oxigraph serve` twice, on RocksDB (``--location``, how it keeps data between runs) and in memory (no
``--location``, loaded over HTTP), so that kg is compared both with the engine as usually deployed and
with the same engine on the same kind of storage as kg's workers. The client is one process of threads,
each with its own keep-alive connection, sending the saved queries (default parameters, the prefixes
spelled out so that Oxigraph reads them too) in turn, each thread starting at another query. Each level
of concurrency runs for ``--seconds`` (or ``--max-requests``), after one warm-up pass of the mix on each
server; the servers take turns at each level so that none gets a cooler machine.
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
    return summary([{"latencies": latencies, "wall": wall, "errors": errors[0], "cpu": 0.0}])


def summary(parts: list[dict]) -> dict:
    """Requests per second, median and 99th-percentile latency, errors and server CPU milliseconds per
    request over one or more slices of load on one server."""
    latencies = sorted(x for part in parts for x in part["latencies"])
    wall = sum(part["wall"] for part in parts)
    n = len(latencies)
    return {"latencies": latencies, "wall": wall, "requests": n, "rps": n / wall if wall else 0.0,
            "errors": sum(part["errors"] for part in parts), "cpu": sum(part["cpu"] for part in parts),
            "cpu_ms": 1000 * sum(part["cpu"] for part in parts) / n if n else 0.0,
            "p50": statistics.median(latencies) if latencies else 0.0,
            "p99": latencies[min(n - 1, int(n * 0.99))] if latencies else 0.0}


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and every process below it (a server and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]),
                                    []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
        todo += children.get(current, [])
    return total


def one_at_a_time(base: str, path: str, queries: list, runs: int) -> float:
    """Seconds the mix takes sent one query at a time on one keep-alive connection: the sum over the
    queries of each one's median of ``runs`` runs (after one unmeasured run)."""
    conn = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=600)
    total = 0.0
    for _, text, accept in queries:
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            conn.request("POST", path, body=text.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-query", "Accept": accept})
            response = conn.getresponse()
            response.read()
            times.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"{base}{path} answered {response.status} to a saved query")
        total += statistics.median(times[1:])
    conn.close()
    return total


def fixed_cost(base: str, path: str, pid: int, requests: int = 2000) -> float:
    """Microseconds of server CPU (its process tree) per request for ``ASK {}``, sent one at a time on
    one keep-alive connection: what a server costs around a query that costs nothing."""
    conn = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=600)

    def ask() -> None:
        conn.request("POST", path, body=b"ASK {}", headers={"Content-Type": "application/sparql-query",
                                                            "Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{base}{path} answered {response.status} to ASK {{}}")

    for _ in range(100):
        ask()  # the query is known, the connection warm
    cpu = tree_cpu(pid)
    for _ in range(requests):
        ask()
    conn.close()
    return 1e6 * (tree_cpu(pid) - cpu) / requests


def in_process(queries: list, runs: int) -> float:
    """The same sum for pyoxigraph in this process (its in-memory store, no HTTP, no kg): the engine
    kg's workers run, measured without kg."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(DATA), format=ox.RdfFormat.TRIG)
    total = 0.0
    for _, text, _accept in queries:
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            engine_query(store, text)
            times.append(time.perf_counter() - started)
        total += statistics.median(times[1:])
    return total


def engine_query(store: object, text: str) -> None:
    """One query of the mix on a pyoxigraph store, its answer serialized as a server would send it."""
    import pyoxigraph as ox

    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        result.serialize(format=ox.RdfFormat.TURTLE)
    else:
        result.serialize(format=ox.QueryResultsFormat.JSON)


def engine_load(store: object, queries: list, seconds: float, threads: int) -> dict:
    """The mix on ``threads`` threads of this process over one pyoxigraph store, no HTTP and no kg: the
    most the wheel kg runs on can do on this machine (pyoxigraph releases the GIL while it evaluates)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(offset: int) -> None:
        i = offset
        while time.monotonic() < stop_at:
            _, text, _accept = queries[i % len(queries)]
            i += 1
            started = time.perf_counter()
            engine_query(store, text)
            with lock:
                latencies.append(time.perf_counter() - started)

    cpu = time.process_time()
    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n * 7,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"latencies": latencies, "wall": time.monotonic() - started, "errors": 0,
            "cpu": time.process_time() - cpu}


#: the servers compared, in the order they take turns
KG, OX_DISK, OX_MEMORY = "kg serve", "oxigraph serve (RocksDB)", "oxigraph serve (in memory)"
IN_PROCESS = "pyoxigraph in this process (no HTTP, no kg)"
ENGINE = "pyoxigraph, threads in this process (no HTTP, no kg)"


def _start_oxigraph_in_memory() -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` without --location (an in-memory store), loaded with the dump over HTTP."""
    import socket

    program = str(Path(sys.executable).with_name("oxigraph"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([program, "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection(f"127.0.0.1:{port}", timeout=600)
            conn.request("POST", "/store", body=DATA.read_bytes(),
                         headers={"Content-Type": "application/trig"})
            response = conn.getresponse()
            response.read()
            if response.status not in (200, 201, 204):
                raise RuntimeError(f"loading the in-memory oxigraph server failed: {response.status}")
            return proc, url
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the in-memory oxigraph server did not start") from None
            time.sleep(0.1)


def run(levels: list[int], seconds: float, max_requests: int, workers: int,
        options: tuple[str, ...] = (), rounds: int = 4) -> dict:
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
        log = Path(tmp) / "kg-serve.log"
        kg_proc, kg_url = start_kg(location, workers, log, *options)
        disk_proc, disk_url = _start_oxigraph(oxi_dir)
        memory_proc, memory_url = _start_oxigraph_in_memory()
        servers = {KG: (kg_url, "/sparql"), OX_DISK: (disk_url, "/query?union-default-graph"),
                   OX_MEMORY: (memory_url, "/query?union-default-graph")}
        pids = {KG: kg_proc.pid, OX_DISK: disk_proc.pid, OX_MEMORY: memory_proc.pid}
        engine = pyoxigraph.Store()
        engine.bulk_load(path=str(DATA), format=pyoxigraph.RdfFormat.TRIG)
        try:
            for url, path in servers.values():
                load(1, url, path, queries, 600, len(queries))  # warm-up: one pass of the mix
            sequential = {name: one_at_a_time(url, path, queries, 5) for name, (url, path) in servers.items()}
            sequential[IN_PROCESS] = in_process(queries, 5)
            fixed = {name: fixed_cost(url, path, pids[name]) for name, (url, path) in servers.items()}
            rows = []
            for clients in levels:
                parts: dict[str, list[dict]] = {name: [] for name in servers}
                for _ in range(rounds):  # short turns, many times: a busy spell of the machine hits all
                    for name, (url, path) in servers.items():
                        cpu = tree_cpu(pids[name])
                        part = load(clients, url, path, queries, seconds / rounds, max_requests // rounds)
                        part["cpu"] = tree_cpu(pids[name]) - cpu
                        parts[name].append(part)
                    part = engine_load(engine, queries, seconds / rounds, workers)
                    parts.setdefault(ENGINE, []).append(part)
                rows.append({"clients": clients, **{name: summary(p) for name, p in parts.items()}})
        finally:
            for proc in (kg_proc, disk_proc, memory_proc):
                proc.terminate()
                proc.wait(30)
        store_note = next((line for line in log.read_text().splitlines() if line.startswith("workers ")), "")
    import pyoxigraph as ox
    import uvicorn

    for row in rows:
        for name in (*servers, ENGINE):
            del row[name]["latencies"]  # the report keeps the figures only
    return {"rows": rows, "sequential": sequential, "fixed": fixed, "quads": quads, "queries": len(queries),
            "seconds": seconds, "rounds": rounds,
            "workers": workers, "store_note": store_note,
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, pyoxigraph "
                       f"{ox.__version__}, uvicorn {uvicorn.__version__}"}


def markdown(report: dict) -> str:
    lines = [
        f"`kg serve` (uvicorn, {report['workers']} workers; {report['store_note'] or 'default store'}) and "
        f"`oxigraph serve` on RocksDB and in memory, on the same data (the bundled graph, "
        f"`exports/{DATA.name}`: {report['quads']:,} quads, each server holding all of them), the same "
        f"client (threads with keep-alive connections) and the same mix of the {report['queries']} saved "
        f"queries, {report['seconds']:g} s per level and server, the servers taking {report['rounds']} "
        f"turns each of {report['seconds'] / report['rounds']:g} s, so that a busy spell of the machine "
        f"falls on all of them. Errors are any answer but 200 and failed connections. The ratios are kg's "
        f"requests per second over Oxigraph's. CPU is the milliseconds of processor time the server (its "
        f"process and every process below it: kg's workers) used per answer: unlike requests per second it "
        f"does not depend on what else the machine runs, so its ratio (Oxigraph's over kg's) is the steadier "
        f"measure of kg's own cost. The last row of each level is no server: the same mix on "
        f"{report['workers']} threads over one pyoxigraph store in the benchmark's own process, the engine "
        f"kg runs on with nothing of kg around it (its latency is a query's own time, with no wait).",
        "",
        "    .venv/bin/python benchmarks/bench_serve.py --update BENCHMARKS.md",
        "",
        f"Machine: {report['machine']}.",
        "",
        "| clients | server | req/s | kg's ratio | CPU per answer | kg's CPU ratio | p50 | p99 | errors |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["rows"]:
        kg = row[KG]
        for name in (KG, OX_DISK, OX_MEMORY, ENGINE):
            r = row[name]
            ratio = "" if name == KG else f"{kg['rps'] / r['rps']:.2f}×"
            cpu_ratio = "" if name == KG else f"{r['cpu_ms'] / kg['cpu_ms']:.2f}×"
            lines.append(f"| {row['clients']} | {name} | {r['rps']:.1f} | {ratio} | {r['cpu_ms']:.1f} ms | "
                         f"{cpu_ratio} | {r['p50'] * 1000:.0f} ms | {r['p99'] * 1000:.0f} ms | "
                         f"{r['errors']} of {r['requests']} |")
    lines += ["", "One query at a time, before the load: the mix (each saved query's median of 5 runs, "
              "summed; the ratio is kg's time over the other's), and the server's CPU per request for "
              "`ASK {}` (2000 requests on one connection: the cost of the server around a query that "
              "costs nothing):", "",
              "| where the mix runs | seconds | kg's time ratio | CPU per `ASK {}` |", "|---|---:|---:|---:|"]
    seq, fixed = report["sequential"], report["fixed"]
    for name in (KG, OX_DISK, OX_MEMORY, IN_PROCESS):
        ratio = "" if name == KG else f"{seq[KG] / seq[name]:.2f}×"
        cost = f"{fixed[name]:.0f} µs" if name in fixed else ""
        lines.append(f"| {name} | {seq[name]:.3f} | {ratio} | {cost} |")
    lines += ["", NOTE]
    return "\n".join(lines) + "\n"


#: how to read the table (printed under it)
NOTE = ("Latency includes the wait for a slot: `kg serve` runs at most `--workers` queries in their first "
        "half second (and `--slow-workers` long ones), and a query known to be cheap on one of "
        "`--shared-threads` threads of its shared worker, and makes the others wait, where Oxigraph starts "
        "every request at once. Requests per second are bounded by the two cores. The comparison that "
        "measures kg's own cost (HTTP layer, checking, worker processes) is the one with Oxigraph in "
        "memory, the storage kg's workers use here; the one with Oxigraph on RocksDB is the engine as it "
        "is usually deployed, and its difference is mostly the storage (the heavy saved queries run 4-8x "
        "faster on pyoxigraph's in-memory store than on RocksDB, in one process). pyoxigraph in this process "
        "is the floor for kg, which runs its queries on the same wheel: its distance to `oxigraph serve` "
        "in memory is the engine's, not kg's.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="16,32,64", help="concurrency levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per level and server")
    parser.add_argument("--max-requests", type=int, default=100_000,
                        help="requests per level and server, at most")
    parser.add_argument("--workers", type=int, default=4, help="kg serve --workers")
    parser.add_argument("--slow-nice", type=int, default=None, help="kg serve --slow-nice (default: its own)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="turns each server takes at each level (each --seconds / --rounds long)")
    parser.add_argument("--kg-option", action="append", default=[], metavar="OPTION",
                        help="one more `kg serve` option (repeatable), e.g. --kg-option=--shared-threads=0")
    parser.add_argument("--update", type=Path, default=None, help="rewrite the section in this Markdown file")
    args = parser.parse_args()
    options = ("--slow-nice", str(args.slow_nice)) if args.slow_nice is not None else ()
    report = run([int(c) for c in args.clients.split(",")], args.seconds, args.max_requests, args.workers,
                 (*options, *args.kg_option), args.rounds)
    body = markdown(report)
    print(body)
    if args.update:
        update_section(args.update, body, SECTION)


if __name__ == "__main__":
    main()

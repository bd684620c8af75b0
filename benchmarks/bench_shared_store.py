"""Why `kg serve` has a shared worker: the saved queries' mix on K processes with a store each, beside K
threads sharing one store, in turns, on the bundled graph.

Each side runs the mix through kg's own ``execute`` (what a worker runs) for ``--seconds`` per turn, each
thread or process starting at another query, and ``--rounds`` turns each, alternating, so that a busy
spell of the machine falls on both. Reported: queries per second and CPU milliseconds per query (processor
time of the processes or threads that ran them; unlike queries per second it hardly depends on what else
the machine runs), and the ratio of the two sides.

    .venv/bin/python benchmarks/bench_shared_store.py                          # prints the table
    .venv/bin/python benchmarks/bench_shared_store.py --update BENCHMARKS.md   # rewrites its section
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_queries import update_section  # noqa: E402

SECTION = "## One store for many queries (the shared worker's reason)"
DATA = ROOT / "exports" / "peacekeeping.trig"


def _store():  # noqa: ANN202 — a kg OxigraphStore in memory holding the bundled graph
    import pyoxigraph as ox

    from kg.store import OxigraphStore

    store = OxigraphStore(None)
    store.native.bulk_load(path=str(DATA), format=ox.RdfFormat.TRIG)
    return store


def _mix() -> list:
    from kg.query import prepare, saved_queries

    return [prepare(q.bind(unbound_ok=True)) for q in saved_queries().values()]


def _loop(store: object, queries: list, offset: int, seconds: float, clock: str) -> tuple[int, float]:
    """Run the mix from ``offset`` for ``seconds``; (queries answered, CPU seconds of this thread/process)."""
    from kg.query import execute

    cpu = time.thread_time if clock == "thread" else time.process_time
    start, stop_at, done, i = cpu(), time.monotonic() + seconds, 0, offset
    while time.monotonic() < stop_at:
        prepared = queries[i % len(queries)]
        execute(store, prepared, formats=["turtle" if prepared.kind == "graph" else "json"], max_rows=10_000)
        done, i = done + 1, i + 1
    return done, cpu() - start


def _process_main(offset: int, conn: object) -> None:
    """A process with a store of its own: load, say ready, then one turn per request until told to stop."""
    store, queries = _store(), _mix()
    _loop(store, queries, offset, 1.0, "process")  # warm-up
    conn.send("ready")
    while (seconds := conn.recv()) is not None:
        conn.send(_loop(store, queries, offset, seconds, "process"))


def run(k: int, seconds: float, rounds: int) -> dict:
    ctx = multiprocessing.get_context("spawn")
    pipes, procs = [], []
    for n in range(k):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_process_main, args=(n * 7, child), daemon=True)
        proc.start()
        pipes.append(parent)
        procs.append(proc)
    for pipe in pipes:
        pipe.recv()
    store, queries = _store(), _mix()
    _loop(store, queries, 0, 1.0, "thread")  # warm-up
    totals = {"processes": [0, 0.0, 0.0], "threads": [0, 0.0, 0.0]}  # queries, CPU s, wall s
    try:
        for _ in range(rounds):
            started = time.monotonic()
            for pipe in pipes:
                pipe.send(seconds)
            for pipe in pipes:
                done, cpu = pipe.recv()
                totals["processes"][0] += done
                totals["processes"][1] += cpu
            totals["processes"][2] += time.monotonic() - started

            results: list[tuple[int, float]] = []

            def one(offset: int, out: list = results) -> None:
                out.append(_loop(store, queries, offset, seconds, "thread"))

            threads = [threading.Thread(target=one, args=(n * 7,)) for n in range(k)]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            totals["threads"][2] += time.monotonic() - started
            for done, cpu in results:
                totals["threads"][0] += done
                totals["threads"][1] += cpu
    finally:
        for pipe in pipes:
            pipe.send(None)
        for proc in procs:
            proc.join(10)
    return {"k": k, "seconds": seconds, "rounds": rounds,
            **{side: {"qps": n / wall, "cpu_ms": 1000 * cpu / n} for side, (n, cpu, wall) in totals.items()}}


def markdown(report: dict) -> str:
    p, t = report["processes"], report["threads"]
    return "\n".join([
        f"The saved queries' mix through kg's `execute`, on {report['k']} processes each holding the bundled "
        f"graph in memory, beside {report['k']} threads sharing one copy, {report['rounds']} turns of "
        f"{report['seconds']:g} s each, alternating. CPU is processor time per query.",
        "",
        "    .venv/bin/python benchmarks/bench_shared_store.py --update BENCHMARKS.md",
        "",
        "| how | queries/s | CPU per query |",
        "|---|---:|---:|",
        f"| {report['k']} processes, a store each | {p['qps']:.1f} | {p['cpu_ms']:.1f} ms |",
        f"| {report['k']} threads, one store | {t['qps']:.1f} | {t['cpu_ms']:.1f} ms |",
        f"| threads / processes | {t['qps'] / p['qps']:.2f}× | {t['cpu_ms'] / p['cpu_ms']:.2f}× |",
        "",
        "This is why `kg serve` runs a query known to be cheap on threads of one shared worker: separate "
        "processes each hold a copy of the graph, and the copies compete for the processor's caches.",
    ]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, default=4, help="processes on one side, threads on the other")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per turn")
    parser.add_argument("--rounds", type=int, default=4, help="turns each side takes")
    parser.add_argument("--update", type=Path, default=None, help="rewrite the section in this Markdown file")
    args = parser.parse_args()
    body = markdown(run(args.k, args.seconds, args.rounds))
    print(body)
    if args.update:
        update_section(args.update, body, SECTION)


if __name__ == "__main__":
    main()

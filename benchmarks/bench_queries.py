"""SPARQL queries on about a million triples: every saved query on every backend, side by side in one run.

The bundled graph is scaled with ``benchmarks/scale.py`` (statements, documents and contributions
copied with fresh IRIs) and loaded into Oxigraph on disk, Oxigraph in memory, a real Oxigraph server
(``oxigraph serve``, loaded with ``kg push``) and a plain rdflib ``Dataset`` in memory. Each saved query
(default parameters; a parameter without a default is left open) runs once to warm up, then
``--repeat`` times; the table gives the median wall-clock time of ``Store.query_raw`` (query and JSON /
N-Triples serialization), and the ratios to Oxigraph in memory. rdflib runs once per query in a forked
process that is killed past ``--rdflib-budget`` seconds ("> N s"). "check" is our own parse and safety
analysis of the query (rdflib's SPARQL parser), paid once per query before any backend runs it.

    .venv/bin/python benchmarks/bench_queries.py                          # prints the tables
    .venv/bin/python benchmarks/bench_queries.py --update BENCHMARKS.md   # rewrites its section
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SECTION = "## SPARQL queries on 1 million triples"


def _queries() -> list[tuple[str, str, str]]:
    """(name, full text with prefixes, kind) for every saved query."""
    from kg.query import prepare, saved_queries

    out = []
    for name, q in saved_queries().items():
        prepared = prepare(q.bind(unbound_ok=True))
        out.append((name, prepared.full, prepared.kind))
    return out


def _timed(fn) -> tuple[float, object]:  # noqa: ANN001
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _run_store(store, queries, repeat: int) -> dict[str, dict]:  # noqa: ANN001
    """Median seconds and row count per query on one kg Store."""
    results = {}
    for name, text, kind in queries:
        fmt = "ntriples" if kind == "graph" else "json"
        store.query_raw(text, fmt)  # warm-up
        times = []
        for _ in range(repeat):
            seconds, (_, data) = _timed(lambda t=text, f=fmt: store.query_raw(t, f))
            times.append(seconds)
        results[name] = {"seconds": statistics.median(times), "rows": _count(data, kind)}
    return results


def _count(data: bytes, kind: str) -> int:
    if kind == "graph":
        return sum(1 for line in data.splitlines() if line.strip())
    doc = json.loads(data)
    return len(doc.get("results", {}).get("bindings", [])) if "results" in doc else 1


# ---- rdflib, in a subprocess that forks one child per query ------------------------------------------


def rdflib_worker(data_path: str, budget: float) -> None:
    """Load the N-Quads into an rdflib Dataset, then time each query in a forked child; print JSON."""
    import rdflib

    queries = _queries()
    dataset = rdflib.Dataset(default_union=True)
    load_seconds, _ = _timed(lambda: dataset.parse(data_path, format="nquads"))
    report: dict[str, object] = {"load": load_seconds, "queries": {}}
    for name, text, kind in queries:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: run one query, report, leave at once
            os.close(read)
            try:
                seconds, result = _timed(lambda t=text, k=kind: dataset.query(t).serialize(
                    format="nt" if k == "graph" else "json"))
                os.write(write, json.dumps({"seconds": seconds, "rows": _count(result, kind)}).encode())
            except Exception as e:  # noqa: BLE001
                os.write(write, json.dumps({"error": f"{type(e).__name__}: {e}"[:200]}).encode())
            os._exit(0)
        os.close(write)
        ready, _, _ = select.select([read], [], [], budget)
        if ready:
            chunks = []
            while chunk := os.read(read, 65536):
                chunks.append(chunk)
            report["queries"][name] = json.loads(b"".join(chunks) or b'{"error": "no answer"}')
        else:
            os.kill(pid, 9)
            report["queries"][name] = {"over": budget}
        os.close(read)
        os.waitpid(pid, 0)
    print(json.dumps(report))


def _run_rdflib(data_path: Path, budget: float) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--rdflib-worker", str(data_path), "--rdflib-budget",
                           str(budget)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"the rdflib worker failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the Oxigraph server ----------------------------------------------------------------------------


def _start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:
    import socket

    program = Path(sys.executable).with_name("oxigraph")
    program = str(program) if program.exists() else shutil.which("oxigraph")
    if not program:
        raise RuntimeError("the oxigraph server is not installed; `pip install -e '.[test]'` installs it")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([program, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the oxigraph server did not start")


# ---- the run ------------------------------------------------------------------------------------------


def run(triples: int, repeat: int, budget: float, with_rdflib: bool) -> dict:
    from scale import scaled_nquads

    from kg.pipeline import push
    from kg.query import prepare, saved_queries
    from kg.store import RemoteStore, open_store

    queries = _queries()
    check = {}
    for name, q in saved_queries().items():
        text = q.bind(unbound_ok=True)
        check[name] = statistics.median(_timed(lambda t=text: prepare(t))[0] for _ in range(repeat))
    scale_seconds, data = _timed(lambda: scaled_nquads(None, triples))
    quads = data.count(b"\n")
    out: dict = {"triples": quads, "repeat": repeat, "budget": budget, "scale": scale_seconds, "check": check,
                 "load": {}, "backends": {}}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        path = Path(tmp) / "scaled.nq"
        path.write_bytes(data)
        disk = open_store(str(Path(tmp) / "disk"))
        out["load"]["Oxigraph on disk"] = _load(disk, data)
        out["backends"]["Oxigraph on disk"] = _run_store(disk, queries, repeat)
        memory = open_store("memory")
        out["load"]["Oxigraph in memory"] = _load(memory, data)
        out["backends"]["Oxigraph in memory"] = _run_store(memory, queries, repeat)
        memory.clear()
        proc, url = _start_oxigraph(Path(tmp) / "server")
        try:
            remote = RemoteStore(url, timeout=600)
            started = time.perf_counter()
            push(disk, remote)
            out["load"]["Oxigraph server (kg push)"] = time.perf_counter() - started
            out["backends"]["Oxigraph server"] = _run_store(remote, queries, repeat)
        finally:
            proc.terminate()
            proc.wait(30)
        disk.close()
        if with_rdflib:
            report = _run_rdflib(path, budget)
            out["load"]["rdflib Dataset in memory"] = report["load"]
            out["backends"]["rdflib in memory"] = report["queries"]
    return out


def _load(store, data: bytes) -> float:  # noqa: ANN001
    """Seconds to load N-Quads into a kg Store (bulk load, then optimize on disk)."""
    started = time.perf_counter()
    store.load(data, format="nquads", graph="urn:x-kg:bench")
    if hasattr(store, "optimize"):
        store.optimize()
    return time.perf_counter() - started


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _cell(result: dict | None) -> str:
    if not result:
        return "–"
    if "over" in result:
        return f"> {result['over']:g} s"
    if "error" in result:
        return "error"
    return _fmt(result["seconds"])


def _ratio(result: dict | None, base: dict | None) -> str:
    if not result or not base or "seconds" not in base:
        return "–"
    if "over" in result:
        return f"> {result['over'] / base['seconds']:.0f}×"
    if "seconds" not in result:
        return "–"
    return f"{result['seconds'] / base['seconds']:.1f}×"


def markdown(report: dict) -> str:
    """The section body for BENCHMARKS.md."""
    import pyoxigraph
    import rdflib

    b = report["backends"]
    disk, mem = b.get("Oxigraph on disk", {}), b.get("Oxigraph in memory", {})
    server, rdf = b.get("Oxigraph server", {}), b.get("rdflib in memory", {})
    lines = [
        f"The bundled graph scaled to {report['triples']:,} quads with `benchmarks/scale.py` (statements, "
        f"documents and contributions copied with fresh IRIs), every saved query with its default "
        f"parameters. Median of {report['repeat']} runs after one warm-up for Oxigraph; one run for "
        f"rdflib, stopped past {report['budget']:g} s. Time of `Store.query_raw` (query plus JSON / "
        f"N-Triples answer); "
        f"\"check\" is our parse and safety analysis before any backend runs the query. Ratios are to "
        f"Oxigraph in memory.",
        "",
        "    .venv/bin/python benchmarks/bench_queries.py --update BENCHMARKS.md",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}.",
        "",
        "| query | rows | check | Oxigraph disk | Oxigraph memory | Oxigraph server | rdflib memory "
        "| disk / memory | server / memory | rdflib / memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in sorted(mem):
        rows = mem[name]["rows"]
        flag = ""
        if name in rdf and "rows" in rdf[name] and rdf[name]["rows"] != rows:
            flag = f" (rdflib: {rdf[name]['rows']})"
        lines.append(
            f"| {name} | {rows}{flag} | {_fmt(report['check'].get(name))} | {_cell(disk.get(name))} "
            f"| {_cell(mem.get(name))} | {_cell(server.get(name))} | {_cell(rdf.get(name))} "
            f"| {_ratio(disk.get(name), mem.get(name))} | {_ratio(server.get(name), mem.get(name))} "
            f"| {_ratio(rdf.get(name), mem.get(name))} |")
    if any("(rdflib: " in line for line in lines):
        lines += ["", "A row count in brackets is rdflib's where it differs from Oxigraph's (checked by "
                  "hand: rdflib's JSON answer to a GROUP BY over no solutions holds one empty binding, "
                  "`{}`, where Oxigraph's holds none; iterating rdflib's result gives no row)."]
    total = {k: sum(v["seconds"] for v in results.values() if "seconds" in v) for k, results in b.items()}
    sums = ", ".join(f"{k} {_fmt(v)}" for k, v in total.items())
    lines += ["", f"Sum over the queries that finished: {sums}.", "",
              "| loading the scaled graph | seconds |", "|---|---:|",
              f"| generating it (scale.py) | {report['scale']:.1f} |"]
    lines += [f"| {k} | {v:.1f} |" for k, v in report["load"].items()]
    return "\n".join(lines) + "\n"


def update_section(path: Path, body: str, section: str = SECTION) -> None:
    """Replace the body of one section in BENCHMARKS.md, leaving every other section as it is."""
    text = path.read_text(encoding="utf-8")
    start = text.index(section) + len(section)
    end = text.find("\n## ", start)
    end = len(text) if end < 0 else end
    new = text[:start] + "\n\n" + body + text[end:]
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the scaled graph")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query (median)")
    parser.add_argument("--rdflib-budget", type=float, default=20.0, help="seconds per rdflib query")
    parser.add_argument("--no-rdflib", action="store_true", help="skip plain rdflib")
    parser.add_argument("--update", metavar="BENCHMARKS.md", help="rewrite this section of that file")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    parser.add_argument("--rdflib-worker", metavar="NQ", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rdflib_worker:
        rdflib_worker(args.rdflib_worker, args.rdflib_budget)
        return
    report = run(args.triples, args.repeat, args.rdflib_budget, not args.no_rdflib)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    body = markdown(report)
    print(body)
    if args.update:
        update_section(Path(args.update), body)


if __name__ == "__main__":
    main()

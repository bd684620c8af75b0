"""Run every benchmark in turn and rewrite its section of BENCHMARKS.md (``make bench``).

Each benchmark measures its alternatives side by side within one run and reports ratios; running
them one after another keeps them from competing for the two cores.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "BENCHMARKS.md"

RUNS: list[list[str]] = [
    ["bench_extract.py"],
    ["bench_queries.py", "--update", str(TARGET)],
    ["bench_export.py", "--update", str(TARGET)],
    ["bench_html.py", "--update", str(TARGET)],
    ["bench_corpus.py", "--update", str(TARGET)],
]


def main() -> int:
    failed = []
    for script, *args in RUNS:
        print(f"== {script}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *args]).returncode != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The floor of any build that ends in an Oxigraph store: what a dump costs the engine.

Why: issue 11 asks for 1 MB of text per CPU-second. A build must at least start Python
with its imports and write the store; this measures those alone, each in a child process
whose CPU (user + system, ``os.wait4``) is what counts, interleaved ``--rounds`` times:

* ``imports``: ``python -c "import policykg.build"`` (the interpreter and the modules
  the build imports before it reads a document);
* ``bulk_load``: pyoxigraph's ``Store.bulk_load`` of the dump into a fresh RocksDB store
  (what ``policykg.store.load_store`` does);
* ``oxigraph load``: the same by the ``oxigraph`` binary (the server's engine);
* ``memory parse``: the dump parsed into an in-memory store, as validation does.

    python bench/build_floor.py build/graph.nq --text-mb 1.08 --rounds 3

With ``--text-mb`` (the corpus's text) it prints the ceiling the floor leaves: text MB over
(imports + bulk_load) CPU seconds, before any extraction, graph or validation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

LOAD = """
import sys
from pyoxigraph import RdfFormat, Store
store = Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=RdfFormat.N_QUADS, lenient=True)
store.flush()
"""

PARSE = """
import io, sys
from pyoxigraph import RdfFormat, Store
Store().load(io.BytesIO(open(sys.argv[1], 'rb').read()), format=RdfFormat.N_QUADS, lenient=True)
"""

BASELINE = "import pyoxigraph"


def cpu_of(cmd: list[str]) -> float:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed")
    return usage.ru_utime + usage.ru_stime


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise SystemExit("no oxigraph binary (pip install oxigraph)")
    return found


def measure(dump: Path, rounds: int) -> dict[str, list[float]]:
    py, binary = sys.executable, oxigraph_binary()
    runs: dict[str, list[float]] = {}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="floor-") as tmp:
            base = cpu_of([py, "-c", BASELINE])
            cells = {
                "imports": cpu_of([py, "-c", "import policykg.build"]),
                "bulk_load": cpu_of([py, "-c", LOAD, str(dump), f"{tmp}/a"]) - base,
                "oxigraph load": cpu_of([binary, "load", "--location", f"{tmp}/b", "--file",
                                         str(dump), "--lenient"]),
                "memory parse": cpu_of([py, "-c", PARSE, str(dump)]) - base,
            }
        for name, seconds in cells.items():
            runs.setdefault(name, []).append(seconds)
    return runs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dump", type=Path, help="a build's graph.nq")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--text-mb", type=float, help="the corpus's text, for the ceiling")
    args = p.parse_args(argv)
    lines = sum(1 for _ in args.dump.open("rb"))
    runs = measure(args.dump, args.rounds)
    print(f"{args.dump}: {lines:,} quads, {args.dump.stat().st_size / 1e6:.1f} MB")
    print("| step | CPU s (median, min–max) |\n|---|---:|")
    for name, values in runs.items():
        print(f"| {name} | {statistics.median(values):.2f} "
              f"({min(values):.2f}–{max(values):.2f}) |")
    if args.text_mb:
        floor = statistics.median(runs["imports"]) + statistics.median(runs["bulk_load"])
        print(f"\nimports + bulk_load = {floor:.2f} CPU s: at most "
              f"{args.text_mb / floor:.2f} MB of text per CPU-second, before extraction")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build speed in MB of text per CPU-second, two code trees side by side.

Why CPU seconds and ratios: the machine's two cores are shared with other jobs, so wall
time says more about the neighbours than about the build. Each build runs in a child
process (``bench/build_bench.py --child`` of the tree measured, one worker) and its CPU
time (user + system, from ``os.wait4``) is what counts: one worker uses one core, so
bytes / CPU seconds is the speed *per core*. Trees are run interleaved (A, B, A, B, …)
``--rounds`` times and medians are reported, so a burst of load hits both alike.

    python bench/build_speed.py --tree before=/tmp/base --tree after=. \\
        --corpus seeds --corpus tests/corpus --corpus bench/results/tmp/corpus-7-200

A tree is a checkout with its own ``.venv`` (``make setup`` in it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir()
               if p.suffix.lower() in TEXT_SUFFIXES and p.stem.upper() not in {"SOURCES", "README"})


def one_build(tree: Path, corpus: Path, validate: bool) -> dict:
    """One cold build in a child process of ``tree``: CPU s, wall s, phases, graph hash."""
    out = Path(tempfile.mkdtemp(prefix="build-speed-"))
    cmd = [str(tree / ".venv" / "bin" / "python"), str(tree / "bench" / "build_bench.py"),
           "--child", "--seeds", str(corpus.resolve()), "--out", str(out), "--workers", "1"]
    if not validate:
        cmd.append("--no-validate")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=tree)
    stdout = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        if proc.returncode != 0:
            raise RuntimeError(f"build of {corpus} with {tree} failed ({proc.returncode})")
        summary = json.loads(stdout.decode().strip().splitlines()[-1])
        import hashlib

        digest = hashlib.sha256((out / "graph.nq").read_bytes()).hexdigest()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall,
            "seconds": summary["seconds"], "quads": summary["triples"], "sha256": digest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", required=True, help="NAME=PATH")
    parser.add_argument("--corpus", action="append", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--json", type=Path, help="write the raw runs here")
    args = parser.parse_args(argv)
    trees = [(name, Path(path).resolve()) for name, path in
             (t.split("=", 1) for t in args.tree)]
    runs: dict[tuple[str, str], list[dict]] = {}
    for r in range(args.rounds):
        for corpus in args.corpus:
            order = trees if r % 2 == 0 else trees[::-1]
            for name, tree in order:
                res = one_build(tree, corpus, not args.no_validate)
                runs.setdefault((name, str(corpus)), []).append(res)
                print(f"round {r + 1} {corpus.name} {name}: cpu {res['cpu_s']:.2f}s "
                      f"wall {res['wall_s']:.2f}s", flush=True)
    print()
    print("| corpus | MB | tree | CPU s (median, min–max) | MB/s per core | phases (median s) "
          "| same graph |")
    print("|---|---:|---|---:|---:|---|---|")
    for corpus in args.corpus:
        size = corpus_bytes(corpus) / 1e6
        hashes = {name: {r["sha256"] for r in runs[(name, str(corpus))]} for name, _ in trees}
        first = hashes[trees[0][0]]
        for name, _tree in trees:
            rs = runs[(name, str(corpus))]
            cpu = [r["cpu_s"] for r in rs]
            med = statistics.median(cpu)
            phases = ", ".join(
                f"{p} {statistics.median(r['seconds'][p] for r in rs):.2f}"
                for p in rs[0]["seconds"])
            same = "yes" if hashes[name] == first and len(first) == 1 else "**no**"
            print(f"| {corpus.name} | {size:.2f} | {name} | {med:.2f} ({min(cpu):.2f}–"
                  f"{max(cpu):.2f}) | {size / med:.3f} | {phases} | {same} |")
    if args.json:
        args.json.write_text(json.dumps({f"{k[0]} {k[1]}": v for k, v in runs.items()},
                                        indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The time of each compiled shape check on a dump, slowest first: how to find the one
shape that makes validation slow.

    python bench/shape_times.py build/graph.nq [--top 15]

Each check's query runs alone (one thread) on the store the build's validation loads, so
the times add up to the validation's CPU. It found ``TaskAssignedShape`` at 51 s of a
55 s validation of 200 synthetic documents (a zero-or-one property path inside
``FILTER NOT EXISTS``, which Oxigraph evaluated over every node); rewritten as a
``UNION`` of three patterns it takes 0.07 s with the same results.
"""

from __future__ import annotations

import argparse
import time

from policykg.shapes.compile import compile_shapes
from policykg.shapes.validate import load_shapes, to_store


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dump", nargs="+", help="N-Quads or other RDF files, as `policykg validate`")
    p.add_argument("--shapes", default=None, help="shapes file (default: the shipped shapes)")
    p.add_argument("--top", type=int, default=15)
    args = p.parse_args(argv)
    store = to_store(args.dump)
    times = []
    for check in compile_shapes(load_shapes(args.shapes)):
        started = time.perf_counter()
        rows = sum(1 for _ in store.query(check.query, use_default_graph_as_union=True))
        times.append((time.perf_counter() - started, rows, str(check.shape), check.component))
    times.sort(reverse=True)
    print(f"{len(store):,} quads, {len(times)} checks, {sum(t[0] for t in times):.2f} s in all")
    print("| s | results | shape | component |\n|---:|---:|---|---|")
    for seconds, rows, shape, component in times[: args.top]:
        print(f"| {seconds:.2f} | {rows} | `{shape.rsplit('#', 1)[-1]}` | {component} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure validation time and peak memory on the fixtures, the seed graph and synthetic graphs.

Each measurement runs in a fresh Python process, so peak RSS is that of one validation (parse +
load + checks), not of the benchmark. Synthetic graphs come from ``gen_synthetic_graph.py`` and
are cached in ``bench/results/tmp/``. Results go to ``bench/results/validate.json`` and a table
on stdout; docs/SHAPES.md quotes them.

    python bench/validate_bench.py                       # 100k and 1M, pyshacl up to 100k
    python bench/validate_bench.py --sizes 10000 --pyshacl-max 10000 --out bench/results/p.json
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TMP = ROOT / "bench" / "results" / "tmp"
OUT = ROOT / "bench" / "results" / "validate.json"

CHILD = """
import json, resource, sys, time
from policykg.shapes.validate import validate_dataset
started = time.perf_counter()
report = validate_dataset(sys.argv[1:-1], engine=sys.argv[-1])
print(json.dumps({
    "seconds": round(time.perf_counter() - started, 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "triples": report.triples,
    "violations": len(report.violations),
    "warnings": len(report.warnings),
    "engine": report.engine,
}))
"""


def measure(files: list[Path], engine: str, timeout: float) -> dict:
    cmd = [sys.executable, "-c", CHILD, *map(str, files), engine]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "seconds": None, "note": f"stopped after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"engine": engine, "seconds": None, "note": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout)


def synthetic(triples: int, errors: bool = False) -> Path:
    path = TMP / f"synthetic-{triples}{'-errors' if errors else ''}.nq"
    if not path.exists():
        TMP.mkdir(parents=True, exist_ok=True)
        args = ["--triples", str(triples), "--out", str(path)] + (["--errors"] if errors else [])
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen_synthetic_graph.py"), *args],
            check=True,
            cwd=ROOT,
        )
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    p.add_argument(
        "--pyshacl-max",
        type=int,
        default=100_000,
        help="largest synthetic graph to also validate with pyshacl",
    )
    p.add_argument("--timeout", type=float, default=1800, help="seconds per Oxigraph run")
    p.add_argument("--pyshacl-timeout", type=float, default=600, help="seconds per pyshacl run")
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)

    inputs: list[tuple[str, list[Path], int]] = [
        ("valid fixture", [ROOT / "tests/fixtures/valid/small.trig"], 0)
    ]
    seed = ROOT / "build" / "graph.nq"
    if seed.exists():
        inputs.append(("seed graph (build/graph.nq)", [seed], 0))
    for size in args.sizes:
        inputs.append((f"synthetic {size:,}", [synthetic(size)], size))
        inputs.append((f"synthetic {size:,} with errors", [synthetic(size, errors=True)], size))

    rows = []
    for name, files, size in inputs:
        clean = "errors" not in name
        engines = ["oxigraph"] + (["pyshacl"] if size <= args.pyshacl_max and clean else [])
        for engine in engines:
            timeout = args.pyshacl_timeout if engine == "pyshacl" else args.timeout
            row = {"input": name, **measure(files, engine, timeout)}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "processor": platform.processor() or platform.machine(),
                "results": rows,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(
        f"\n{'input':38} {'engine':9} {'triples':>9} {'seconds':>8} {'peak MB':>8} "
        f"{'viol.':>6} {'warn.':>6}"
    )
    for r in rows:
        print(
            f"{r['input']:38} {r['engine']:9} {r.get('triples', ''):>9} "
            f"{r['seconds'] if r['seconds'] is not None else r.get('note', ''):>8} "
            f"{r.get('peak_rss_mb', ''):>8} {r.get('violations', ''):>6} {r.get('warnings', ''):>6}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

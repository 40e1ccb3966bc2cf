"""Build scaling: ``policykg build`` on synthetic corpora of growing size.

Why a child process per build: peak memory has to be the build's own (the whole
process tree, extraction workers included, sampled every 0.1 s), and every build starts
cold like a user's would. The phases (extract, serialize, validate, load) come from the
build's own ``BuildSummary.seconds``; the parent fits seconds = a + b·documents per phase
and reports R² (linear growth shows as R² ≈ 1 and a steady per-document cost), and the
extraction speed-up of ``--workers N`` over one worker at the same size.

    python bench/build_bench.py --sizes 5,50,500,5000 --workers 1,2 --speedup-sizes 500,5000

Writes ``bench/results/build-<stamp>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

PHASES = ("extract", "serialize", "validate", "load")


def child(seeds: Path, out: Path, workers: int, validate: bool) -> None:
    """In the child: one build, its summary as JSON on stdout's last line."""
    from policykg.build import build

    summary = build(seeds, out, workers=workers, validate=validate, progress=lambda _l: None)
    print(json.dumps({
        "documents": summary.documents, "failed": summary.failed, "tasks": summary.tasks,
        "assignments": summary.assignments, "agencies": summary.agencies,
        "targets": summary.targets, "triples": summary.triples,
        "seconds": summary.seconds, "warnings": summary.warnings,
    }))


def measure(seeds: Path, workers: int, validate: bool, timeout: float) -> dict:
    import psutil

    out = Path(tempfile.mkdtemp(prefix="build-bench-"))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--seeds", str(seeds),
           "--out", str(out), "--workers", str(workers)] + ([] if validate else ["--no-validate"])
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    try:
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            if time.perf_counter() - start > timeout:
                proc.kill()
                raise TimeoutError(f"build of {seeds} with {workers} workers > {timeout}s")
            try:
                rss = sum(p.memory_info().rss for p in [ps, *ps.children(recursive=True)])
                peak = max(peak, rss)
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.1)
        stdout, stderr = proc.communicate()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    result = json.loads(stdout.decode().strip().splitlines()[-1])
    result.update(workers=workers, validate=validate, wall_s=round(wall, 2),
                  peak_rss_mb=round(peak / 2**20, 1))
    return result


def linear_fit(xs: list[float], ys: list[float]) -> dict:
    """Least squares y = a + b·x with R²; b is the marginal cost per document."""
    n = len(xs)
    if n < 2:
        return {"intercept": None, "slope": None, "r2": None}
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return {"intercept": round(a, 4), "slope": round(b, 6),
            "r2": round(1 - ss_res / ss_tot, 4) if ss_tot else 1.0}


def report_markdown(record: dict) -> str:
    lines = [f"# Build scaling — {record['started']}", "",
             f"Synthetic corpus: `bench/gen_corpus.py --seed {record['seed']}`; "
             f"machine: {record['machine']}.", "",
             "| documents | workers | extract s | serialize s | validate s | load s | total s "
             "| peak RSS MB | quads | quads/doc | ms/doc |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in record["runs"]:
        sec = r["seconds"]
        total = sum(sec.values())
        lines.append(
            f"| {r['documents']} | {r['workers']} | "
            + " | ".join(f"{sec[p]:.2f}" if p in sec else "–" for p in PHASES)
            + f" | {total:.2f} | {r['peak_rss_mb']} | {r['triples']} | "
              f"{r['triples'] / max(1, r['documents']):.0f} | "
              f"{1000 * total / max(1, r['documents']):.1f} |")
    lines += ["", "Linear fit seconds = a + b·documents (one worker):", "",
              "| phase | a (s) | b (ms/doc) | R² |", "|---|---:|---:|---:|"]
    for phase, fit in record["fits"].items():
        if fit["slope"] is not None and phase != "peak_rss_mb":
            lines.append(f"| {phase} | {fit['intercept']:.3f} | {1000 * fit['slope']:.2f} | "
                         f"{fit['r2']} |")
    rss = record["fits"]["peak_rss_mb"]
    if rss["slope"] is not None:
        lines += ["", f"Peak memory: {rss['intercept']:.0f} MB + {rss['slope']:.3f} MB/document "
                      f"(R² {rss['r2']})."]
    if record["speedups"]:
        lines += ["", "Extraction speed-up (`--workers`):", "",
                  "| documents | workers | extract s | speed-up vs 1 |", "|---:|---:|---:|---:|"]
        for s in record["speedups"]:
            lines.append(f"| {s['documents']} | {s['workers']} | {s['extract_s']:.2f} | "
                         f"{s['speedup']:.2f}× |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50,500,5000")
    parser.add_argument("--workers", default="1,2", help="worker counts for the speed-up")
    parser.add_argument("--speedup-sizes", default="500",
                        help="sizes at which every worker count is measured")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-validate-above", type=int, default=None,
                        help="skip SHACL validation for corpora larger than this")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per build")
    parser.add_argument("--corpora", type=Path, default=BENCH / "results" / "tmp",
                        help="where generated corpora are kept between runs")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    # the child mode
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seeds", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-validate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child(args.seeds, args.out, int(args.workers), not args.no_validate)
        return 0

    import gen_corpus
    import psutil

    sizes = [int(s) for s in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]
    speedup_sizes = {int(s) for s in args.speedup_sizes.split(",") if s}
    runs = []
    for n in sizes:
        folder = args.corpora / f"corpus-{args.seed}-{n}"
        if not folder.exists() or len(list(folder.glob("*.txt"))) != n:
            gen_corpus.generate(n, folder, seed=args.seed)
        validate = args.no_validate_above is None or n <= args.no_validate_above
        for w in (worker_counts if n in speedup_sizes else worker_counts[:1]):
            r = measure(folder, w, validate, args.timeout)
            r["corpus_n"] = n
            r["corpus_bytes"] = sum(p.stat().st_size for p in folder.glob("*.txt"))
            runs.append(r)
            print(f"{n:>6} docs, {w} worker(s): " + ", ".join(
                f"{k} {v:.2f}s" for k, v in r["seconds"].items())
                + f"; peak {r['peak_rss_mb']} MB; {r['triples']} quads", flush=True)

    single = [r for r in runs if r["workers"] == worker_counts[0]]
    fits = {p: linear_fit([r["documents"] for r in single if p in r["seconds"]],
                          [r["seconds"][p] for r in single if p in r["seconds"]])
            for p in PHASES}
    fits["total"] = linear_fit([r["documents"] for r in single],
                               [sum(r["seconds"].values()) for r in single])
    fits["peak_rss_mb"] = linear_fit([r["documents"] for r in single],
                                     [r["peak_rss_mb"] for r in single])
    speedups = []
    for n in sorted(speedup_sizes):
        base = next((r for r in runs if r["corpus_n"] == n and r["workers"] == 1), None)
        for r in runs:
            if base and r is not base and r["corpus_n"] == n:
                speedups.append({"documents": r["documents"], "workers": r["workers"],
                                 "extract_s": r["seconds"]["extract"],
                                 "speedup": base["seconds"]["extract"] / r["seconds"]["extract"]})
    record = {
        "started": time.strftime("%Y%m%d-%H%M%S"), "seed": args.seed, "sizes": sizes,
        "machine": f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB",
        "runs": runs, "fits": fits, "speedups": speedups,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"build-{record['started']}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    md = report_markdown(record)
    (args.results / f"build-{record['started']}.md").write_text(md)
    print(md)
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

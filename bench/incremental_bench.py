"""Clean build vs incremental build after one change, on a synthetic corpus.

    python bench/incremental_bench.py -n 5000 --work bench/results/tmp/incremental

Steps, each a ``policykg build`` in a child process, timed from outside:
1. clean build (``--no-cache`` would not fill the cache; the first cached build is the
   clean one: an empty cache, everything extracted);
2. one document changed (a sentence appended), incremental build;
3. one document added, incremental build; 4. one document removed, incremental build;
5. a clean build (``--no-cache``) of the final folder, whose ``graph.nq`` must be
   byte-identical to step 4's.
Writes a JSON result beside the work folder and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICYKG = [sys.executable, "-m", "policykg"]


def run_build(corpus: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    proc = subprocess.run([*POLICYKG, "build", "--seeds", str(corpus), "--out", str(out), *extra],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    for line in proc.stdout.splitlines():
        if line.startswith(("  cache:", "seconds")):
            print(f"{seconds:7.1f}s {line.strip()}", file=sys.stderr)
    return seconds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=5000)
    p.add_argument("--work", type=Path, default=ROOT / "bench/results/tmp/incremental")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_corpus import generate

    corpus, out, clean = args.work / "corpus", args.work / "out", args.work / "clean"
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    paths = generate(args.n + 1, corpus, seed=args.seed)
    extra = paths[-1]  # the document added in step 3, kept aside until then
    aside = args.work / extra.name
    extra.rename(aside)

    figures = {"documents": args.n}
    figures["clean_s"] = run_build(corpus, out)
    changed = sorted(corpus.iterdir())[args.n // 2]
    with changed.open("a", encoding="utf-8") as f:
        f.write("\n（十）加强宣传引导。市委宣传部负责营造良好氛围。\n")
    figures["changed_s"] = run_build(corpus, out)
    aside.rename(corpus / extra.name)
    figures["added_s"] = run_build(corpus, out)
    sorted(corpus.iterdir())[args.n // 3].unlink()
    figures["removed_s"] = run_build(corpus, out)
    figures["clean_final_s"] = run_build(corpus, clean, "--no-cache")
    figures["identical"] = filecmp.cmp(out / "graph.nq", clean / "graph.nq", shallow=False)
    for key in ("changed", "added", "removed"):
        figures[f"{key}_ratio"] = round(figures[f"{key}_s"] / figures["clean_s"], 4)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.work.parent / f"incremental-{stamp}.json").write_text(json.dumps(figures, indent=2))
    print("| documents | clean s | changed one s | added one s | removed one s | "
          "clean (--no-cache) s | identical |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    print(f"| {args.n} | {figures['clean_s']:.1f} | {figures['changed_s']:.1f} "
          f"({figures['changed_ratio']:.1%}) | {figures['added_s']:.1f} "
          f"({figures['added_ratio']:.1%}) | {figures['removed_s']:.1f} "
          f"({figures['removed_ratio']:.1%}) | {figures['clean_final_s']:.1f} | "
          f"{figures['identical']} |")
    return 0 if figures["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())

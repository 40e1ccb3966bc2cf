"""Reliability under load: many clients mixing good queries, malformed queries and updates.

Why these checks: a public endpoint meets all three at once. Good queries must never get
a 5xx, malformed queries and update attempts must be refused with a 4xx, the data must
not change (the store's sorted N-Quads dump hashes the same before and after), and the
server's memory must level off instead of growing with the number of requests.

    python bench/reliability.py --nq build/graph.nq --clients 50 --duration 60

Exit code 0 only when every check passes; writes ``bench/results/reliability-<stamp>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import loadgen  # noqa: E402
import serve_bench  # noqa: E402


def store_hash(store_dir: Path) -> str:
    """sha256 of the store's canonical dump (every quad of every graph, sorted lines)."""
    from pyoxigraph import Store

    from policykg.store import sorted_nquads

    store = Store.read_only(str(store_dir))
    digest = hashlib.sha256(sorted_nquads(store)).hexdigest()
    del store
    return digest


def server_health(sparql_url: str) -> dict:
    """The server's /health after the run: workers replaced, queries moved between lanes."""
    with urllib.request.urlopen(sparql_url.rsplit("/", 1)[0] + "/health", timeout=30) as r:
        return json.load(r)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nq", type=Path, required=True, help="N-Quads file (build/graph.nq)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--mix", default="good=6,malformed=2,update=2",
                        help="weights of good (each query kind), malformed and update requests")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request seconds")
    parser.add_argument("--max-growth", type=float, default=0.25,
                        help="allowed RSS growth from the end of the first to the last quarter")
    parser.add_argument("--policykg-args", default="")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda s, _f: (_ for _ in ()).throw(SystemExit(128 + s)))
    work = Path(tempfile.mkdtemp(prefix="reliability-"))
    server = serve_bench.prepare_servers(args.nq.resolve(), work, ["a"],
                                         args.policykg_args.split())["a"]
    before = store_hash(work / "store-a")
    samples: list[tuple[float, int]] = []
    stop = threading.Event()
    try:
        server.start()
        server.wait_ready(300)
        pools = loadgen.discover_pools(server.url)
        names = list(loadgen.QUERY_KINDS)
        mix = loadgen.parse_mix(args.mix, names)
        requests = loadgen.workload(names, pools, bad=True)

        def sample() -> None:
            t0 = time.monotonic()
            while not stop.is_set():
                samples.append((time.monotonic() - t0, server.rss()))
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        result = asyncio.run(loadgen.run_load(server.url, requests, mix,
                                              concurrency=args.clients, duration=args.duration,
                                              timeout=args.timeout))
        stop.set()
        sampler.join()
        health = server_health(server.url)
    finally:
        stop.set()
        server.stop()
    after = store_hash(work / "store-a")
    shutil.rmtree(work, ignore_errors=True)

    kinds = result["kinds"]
    good = [k for k in names if k in kinds]
    rss = [r for _t, r in samples]
    quarter = max(1, len(rss) // 4)
    early, late = max(rss[:quarter], default=0), max(rss[-quarter:], default=0)
    growth = (late - early) / early if early else 0.0
    checks = {
        "no_5xx_on_good_queries": sum(kinds[k]["errors_5xx"] for k in good) == 0,
        "good_queries_answered": all(kinds[k]["ok"] > 0 for k in good),
        "good_queries_no_transport_errors": sum(kinds[k]["errors_transport"] for k in good) == 0,
        "malformed_refused_with_4xx": all(kinds[k]["ok"] == kinds[k]["requests"]
                                          for k in ("malformed", "update") if k in kinds),
        "store_unchanged": before == after,
        "memory_bounded": growth <= args.max_growth,
    }
    record = {
        "started": time.strftime("%Y%m%d-%H%M%S"), "nq": str(args.nq), "clients": args.clients,
        "duration_s": args.duration, "mix": mix, "checks": checks,
        "store_hash_before": before, "store_hash_after": after,
        "rss_mb": {"first_quarter_peak": round(early / 2**20, 1),
                   "last_quarter_peak": round(late / 2**20, 1), "peak": round(max(rss, default=0)
                                                                             / 2**20, 1),
                   "growth": round(growth, 3)},
        "rss_series_mb": [(round(t, 1), round(r / 2**20, 1)) for t, r in samples],
        "server": server.command, "server_health_after": health, "load": result,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"reliability-{record['started']}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    print(loadgen.markdown_table(result))
    print()
    for k, v in checks.items():
        print(f"{'PASS' if v else 'FAIL'}  {k}")
    print(f"RSS MB: {record['rss_mb']}; store sha256 {before[:16]}… → {after[:16]}…")
    print("server after the run: " + ", ".join(
        f"{k} {health.get(k)}" for k in ("workers", "fast_workers", "workers_replaced",
                                         "moved_to_general_lane", "query_shapes_known")))
    print(f"results: {path}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())

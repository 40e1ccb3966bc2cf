"""Query serving: the same N-Quads behind (a) ``policykg serve --engine binary``, (p)
``policykg serve --engine pool``, (b) the raw ``oxigraph serve-read-only`` server and,
optionally, (c) ``rdflib-endpoint``, driven by ``loadgen.py`` in a separate process.

Why all of them in one run: on a machine shared with other work a ratio between servers
is only meaningful when both were measured in the same minutes. The servers are started
once and stay up; every cell (concurrency × query class) is measured on each server in
turn (the order rotates from cell to cell), and the whole grid is repeated ``--repeat``
times. A ratio X/(b) is taken within one repetition; the report gives the median and the
min–max of those ratios. All servers serve the union of the named graphs as the default
graph, and the run first checks that they return the same rows to the same queries.

    python bench/serve_bench.py --nq build/graph.nq --duration 5 --repeat 3 \
        --concurrency 1,8,32 --servers a,p,b

Writes ``bench/results/serve-<stamp>.json`` and ``.md`` (tables and ratios).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import loadgen  # noqa: E402

BIN = Path(sys.executable).parent
SERVERS = {
    "a": "policykg serve --engine binary (oxigraph backends behind the asyncio front)",
    "o": "policykg serve --engine binary --answer-cache-mb 0 (every query evaluated: the "
         "engine path alone)",
    "p": "policykg serve --engine pool (pyoxigraph worker processes behind uvicorn)",
    "b": "oxigraph serve-read-only --union-default-graph",
    "r": "bench/relay_floor.py: a bare Python relay (uvloop, httptools) before its own "
         "oxigraph serve-read-only: the floor of any Python front, for comparison only",
    "n": "bench/relay_native (Rust, std only, a thread per connection): the same bare relay "
         "before its own oxigraph serve-read-only, the floor of a native front",
    "i": "bench/inproc_floor.py: worker processes with pyoxigraph in-process that own the "
         "client's connection (no second hop), the floor of that design",
    "c": "rdflib-endpoint (rdflib Dataset, default_union=True)",
}
TARGETS = {"a_over_b_throughput_min": 0.9, "a_over_b_p50_max": 1.1, "a_over_c_scan_min": 8.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    key: str
    command: list[str]
    url: str
    log: Path
    process: subprocess.Popen | None = None
    rss_samples: list[int] = field(default_factory=list)

    def start(self) -> None:
        out = self.log.open("wb")
        self.process = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True, cwd=ROOT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def rss(self) -> int:
        """Resident memory of the server and its worker processes, bytes."""
        try:
            proc = psutil.Process(self.process.pid)
            procs = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def wait_ready(self, timeout: float) -> None:
        probe = loadgen.Request("probe", b"ASK { ?s ?p ?o }", "application/sparql-query",
                                loadgen.SELECT_JSON, "ok")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server {self.key} exited; see {self.log}")
            try:
                status, _ = asyncio.run(loadgen.fetch(self.url, probe, timeout=5))
                if status == 200:
                    return
            except (TimeoutError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"server {self.key} not ready after {timeout}s; see {self.log}")


def prepare_servers(nq: Path, work: Path, keys: list[str], policykg_args: list[str]) -> dict:
    """Stores for (a) and (b), each loaded by its own tool's bulk loader, and the commands."""
    from policykg.store import load_store

    servers = {}
    for key, engine, own in (("a", "binary", []), ("o", "binary", ["--answer-cache-mb", "0"]),
                             ("p", "pool", [])):
        if key not in keys:
            continue
        if not (work / "store-a").exists():
            load_store(nq, work / "store-a")
        port = free_port()
        servers[key] = Server(key, [str(BIN / "policykg"), "serve", "--engine", engine,
                                    "--store", str(work / "store-a"), "--host", "127.0.0.1",
                                    "--port", str(port), *own, *policykg_args],
                              f"http://127.0.0.1:{port}/sparql", work / f"{key}.log")
    if "b" in keys:
        _oxigraph_load(nq, work / "store-b")
        port = free_port()
        servers["b"] = Server("b", [str(BIN / "oxigraph"), "serve-read-only", "--location",
                                    str(work / "store-b"), "--bind", f"127.0.0.1:{port}",
                                    "--union-default-graph"],
                              f"http://127.0.0.1:{port}/query", work / "b.log")
    for key, native in (("r", False), ("n", True)):  # the relays, each before its own store
        if key not in keys:
            continue
        _oxigraph_load(nq, work / f"store-{key}")
        relay = []
        if native:
            subprocess.run(["cargo", "build", "--release", "--offline", "--quiet"],
                           cwd=BENCH / "relay_native", check=True)
            relay = ["--native", str(BENCH / "relay_native/target/release/relay-native")]
        port = free_port()
        servers[key] = Server(key, [sys.executable, str(BENCH / "relay_floor.py"), "--store",
                                    str(work / f"store-{key}"), "--port", str(port), *relay],
                              f"http://127.0.0.1:{port}/sparql", work / f"{key}.log")
    if "i" in keys:
        if not (work / "store-i").exists():
            load_store(nq, work / "store-i")
        port = free_port()
        servers["i"] = Server("i", [sys.executable, str(BENCH / "inproc_floor.py"), "--store",
                                    str(work / "store-i"), "--port", str(port)],
                              f"http://127.0.0.1:{port}/sparql", work / "i.log")
    if "c" in keys:
        port = free_port()
        servers["c"] = Server("c", [str(BIN / "rdflib-endpoint"), "serve", str(nq),
                                    "--host", "127.0.0.1", "--port", str(port)],
                              f"http://127.0.0.1:{port}/", work / "c.log")  # its CLI mounts at /
    return servers


def _oxigraph_load(nq: Path, store: Path) -> None:
    """A store loaded by the oxigraph binary's own bulk loader (for (b) and the relays)."""
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(store), "--file", str(nq)],
                   check=True, capture_output=True)


# -- same rows on every server ---------------------------------------------------------------

def canonical(kind: loadgen.QueryKind, status: int, body: bytes):
    """A server-independent form of a result: sorted rows of (value, kind) or triples."""
    if status != 200:
        return ("status", status)
    if kind.accept == loadgen.NTRIPLES:
        from pyoxigraph import RdfFormat, parse

        return ("triples", sorted(str(t) for t in parse(body, format=RdfFormat.N_TRIPLES)))
    data = json.loads(body)
    variables = data["head"]["vars"]
    rows = []
    for b in data["results"]["bindings"]:
        row = []
        for v in variables:
            term = b.get(v)
            if term is None:
                row.append(None)
                continue
            value = term["value"]
            if term.get("datatype", "").endswith(("#integer", "#decimal")):
                value = str(float(value))  # 3 vs "3"^^xsd:integer spelled alike
            row.append((term["type"].replace("typed-literal", "literal"), value,
                        term.get("xml:lang", "")))
        rows.append(tuple(row))
    return ("rows", sorted(rows, key=repr))


def check_same_rows(servers: dict[str, Server], pools: dict, kinds: list[str],
                    per_kind: int = 3) -> list[dict]:
    """Run the first requests of each kind on every server; report any disagreement."""
    report = []
    for name in kinds:
        kind = loadgen.QUERY_KINDS[name]
        for request in loadgen.good_requests(kind, pools)[:per_kind]:
            results = {}
            for key, server in servers.items():
                status, body = asyncio.run(loadgen.fetch(server.url, request, timeout=120))
                results[key] = canonical(kind, status, body)
            first = next(iter(results.values()))
            same = all(r == first for r in results.values())
            rows = {k: (len(r[1]) if r[0] != "status" else f"HTTP {r[1]}")
                    for k, r in results.items()}
            query = request.body.decode()[len(loadgen.sparql_prolog()):].strip()
            report.append({"kind": name, "same": same, "rows": rows, "query": query})
    return report


# -- one measurement --------------------------------------------------------------------------

def measure(server: Server, pools_file: Path, kinds: str, concurrency: int, duration: float,
            out: Path, timeout: float) -> dict:
    """One loadgen process against one server, sampling the server's memory meanwhile."""
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(server.rss())
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    cpu_before = _tree_cpu(server)
    sampler.start()
    cmd = [sys.executable, str(BENCH / "loadgen.py"), "--url", server.url, "-c", str(concurrency),
           "-d", str(duration), "--kinds", kinds, "--pools", str(pools_file),
           "--timeout", str(timeout), "--label", server.key, "--json", str(out)]
    try:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    finally:
        stop.set()
        sampler.join()
    result = json.loads(out.read_text())
    result["server_rss_peak_mb"] = round(max(samples, default=0) / 2**20, 1)
    result["server_cpu_s"] = round(_tree_cpu(server) - cpu_before, 2)
    return result


def _tree_cpu(server: Server) -> float:
    try:
        proc = psutil.Process(server.process.pid)
        t = proc.cpu_times()  # children_*: worker processes already ended and reaped
        total = t.user + t.system + t.children_user + t.children_system
        for p in proc.children(recursive=True):
            try:
                c = p.cpu_times()
                total += c.user + c.system
            except psutil.NoSuchProcess:
                pass
        return total
    except psutil.NoSuchProcess:
        return 0.0


def ratios(runs: list[dict], keys: list[str]) -> list[dict]:
    """Per concurrency, query kind and server X: X/(b) throughput and p50, one figure per
    repetition (same repetition, same minutes), then their median and min–max."""
    index = {(r["label"], r["concurrency"], r["workload"], r["repeat"]): r for r in runs}
    cells = sorted({(r["concurrency"], r["workload"]) for r in runs})
    repeats = sorted({r["repeat"] for r in runs})
    out = []
    for conc, workload in cells:
        kinds = sorted({k for r in runs if r["concurrency"] == conc and r["workload"] == workload
                        for k in r["kinds"]})
        for kind in kinds:
            for key in keys:
                if key == "b":
                    continue
                tput, p50, raw = [], [], []
                for rep in repeats:
                    rx = index.get((key, conc, workload, rep))
                    rb = index.get(("b", conc, workload, rep))
                    if not rx or kind not in rx["kinds"]:
                        continue
                    kx = rx["kinds"][kind]
                    raw.append((kx["throughput"], kx["p50_ms"]))
                    if rb and kind in rb["kinds"]:
                        kb = rb["kinds"][kind]
                        if (t := _div(kx["throughput"], kb["throughput"])) is not None:
                            tput.append(t)
                        if (q := _div(kx["p50_ms"], kb["p50_ms"])) is not None:
                            p50.append(q)
                row = {"concurrency": conc, "workload": workload, "kind": kind, "server": key,
                       "family": loadgen.QUERY_KINDS[kind].family,
                       "throughput": _spread([t for t, _ in raw]),
                       "p50_ms": _spread([q for _, q in raw if q is not None]),
                       "over_b_throughput": _spread(tput), "over_b_p50": _spread(p50)}
                if tput and p50:
                    row["target_met"] = (
                        row["over_b_throughput"]["median"] >= TARGETS["a_over_b_throughput_min"]
                        and row["over_b_p50"]["median"] <= TARGETS["a_over_b_p50_max"])
                out.append(row)
    return out


def _spread(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "n": len(values)}


def _div(x, y):
    return None if not x or not y else round(x / y, 3)


def _fmt(spread: dict | None, digits: int = 2) -> str:
    if spread is None:
        return "–"
    return (f"{spread['median']:.{digits}f} ({spread['min']:.{digits}f}–"
            f"{spread['max']:.{digits}f})")


def report_markdown(record: dict) -> str:
    lines = [f"# Query serving — {record['started']}", "",
             f"Data: `{record['nq']}` ({record['quads']} quads). {record['duration_s']} s per "
             f"cell, {record['repeat']} repetitions, servers in rotated order within each "
             f"repetition; concurrency {record['concurrency']}; machine: {record['machine']}.",
             ""]
    for key, desc in SERVERS.items():
        if key in record["servers"]:
            lines.append(f"* ({key}) {desc}: `{' '.join(record['servers'][key])}`")
    lines += ["", "## Same rows on every server", ""]
    bad = [c for c in record["same_rows"] if not c["same"]]
    lines.append(f"{len(record['same_rows']) - len(bad)}/{len(record['same_rows'])} checked "
                 "requests returned the same rows on every server." + (
                     " Disagreements: " + "; ".join(f"{c['kind']} {c['rows']}" for c in bad)
                     if bad else ""))
    lines += ["", "## Ratios to (b), median (min–max) of the repetitions", "",
              "Targets: throughput ≥ 0.9 and p50 ≤ 1.1 of (b) on every class.", "",
              "| conc | query | server | X/(b) req/s | X/(b) p50 | met | X req/s | X p50 ms |",
              "|---:|---|---|---|---|---|---|---|"]
    for row in record["ratios"]:
        lines.append(
            f"| {row['concurrency']} | {row['kind']} | {row['server']} | "
            f"{_fmt(row['over_b_throughput'])} | {_fmt(row['over_b_p50'])} | "
            f"{_yes(row.get('target_met'))} | {_fmt(row['throughput'], 1)} | "
            f"{_fmt(row['p50_ms'], 2)} |")
    lines += ["", "## Every cell", "",
              "| rep | conc | query | server | req/s | p50 ms | p95 ms | errors "
              "| server RSS MB | server CPU s | loadgen CPU s |",
              "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in record["runs"]:
        for kind, k in r["kinds"].items():
            errors = k["errors_5xx"] + k["errors_unexpected"] + k["errors_transport"]
            lines.append(
                f"| {r['repeat']} | {r['concurrency']} | {kind} | {r['label']} | "
                f"{k['throughput']:.1f} | {loadgen._f(k['p50_ms'])} | {loadgen._f(k['p95_ms'])} "
                f"| {errors} | {r['server_rss_peak_mb']} | "
                f"{r['server_cpu_s']} | {r['client_cpu_s']:.1f} |")
    return "\n".join(lines) + "\n"


def _yes(v) -> str:
    return "–" if v is None else ("yes" if v else "**no**")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nq", type=Path, required=True, help="N-Quads file (build/graph.nq)")
    parser.add_argument("--servers", default="a,p,b",
                        help="which of a (binary engine), o (the same with no answers kept), "
                             "p (pool engine), b (oxigraph), c (rdflib-endpoint), and the "
                             "yardsticks r, n, i (bench/README.md)")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per cell")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of every cell")
    parser.add_argument("--kinds", default="all", help="query kinds, each measured alone")
    parser.add_argument("--mix", action="store_true", help="also the all-kinds mix workload")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request seconds")
    parser.add_argument("--ready-timeout", type=float, default=900.0,
                        help="seconds a server may take to load (rdflib parses the whole file)")
    parser.add_argument("--policykg-args", default="", help="extra args for policykg serve")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)

    keys = [k for k in args.servers.split(",") if k]
    kinds = loadgen.parse_kinds(args.kinds)
    concurrency = [int(c) for c in args.concurrency.split(",")]
    work = Path(tempfile.mkdtemp(prefix="serve-bench-", dir=args.work))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    args.results.mkdir(parents=True, exist_ok=True)

    signal.signal(signal.SIGTERM, _terminate)  # stop the servers on `timeout`/kill too
    servers = prepare_servers(args.nq.resolve(), work, keys, args.policykg_args.split())
    try:
        for s in servers.values():
            s.start()
        for s in servers.values():
            s.wait_ready(args.ready_timeout)
            print(f"({s.key}) ready at {s.url}, RSS {s.rss() / 2**20:.0f} MB", flush=True)
        reference = servers.get("b") or next(iter(servers.values()))
        pools = loadgen.discover_pools(reference.url)
        pools_file = work / "pools.json"
        pools_file.write_text(json.dumps(pools, ensure_ascii=False))
        same_rows = check_same_rows(servers, pools, kinds)
        for c in same_rows:
            print(f"same rows {c['kind']}: {c['same']} {c['rows']}", flush=True)

        workloads = [(k, k) for k in kinds] + ([("mix", ",".join(kinds))] if args.mix else [])
        runs = []
        turn = 0
        for rep in range(args.repeat):
            for conc in concurrency:
                for workload, kind_arg in workloads:
                    order = keys[turn % len(keys):] + keys[:turn % len(keys)]
                    turn += 1
                    for key in order:
                        out = work / f"{key}-c{conc}-{workload}-{rep}.json"
                        result = measure(servers[key], pools_file, kind_arg, conc,
                                         args.duration, out, args.timeout)
                        result["workload"] = workload
                        result["repeat"] = rep
                        runs.append(result)
                        t = result["total"]
                        print(f"rep {rep} c={conc:<3} {workload:<17} ({key}) "
                              f"{t['throughput']:8.1f} req/s  p50 {loadgen._f(t['p50_ms'])} ms"
                              f"  errors {t['errors']}", flush=True)
    finally:
        for s in servers.values():
            s.stop()

    record = {
        "started": stamp, "nq": str(args.nq), "quads": _count_lines(args.nq),
        "duration_s": args.duration, "repeat": args.repeat, "concurrency": concurrency,
        "machine": f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB",
        "servers": {k: s.command for k, s in servers.items()}, "pools": pools,
        "same_rows": same_rows, "runs": runs, "ratios": ratios(runs, keys),
        "targets": TARGETS,
    }
    json_path = args.results / f"serve-{stamp}.json"
    json_path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    md = report_markdown(record)
    (args.results / f"serve-{stamp}.md").write_text(md)
    print(md)
    print(f"results: {json_path}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


if __name__ == "__main__":
    raise SystemExit(main())

"""A bounded fuzz run against the endpoint, as an attacker would probe it (issue 12).

Only on 127.0.0.1, bounded in count and time, stopping by itself. It starts the server on
a store (``--timeout 2``), a TCP listener on 127.0.0.1 that records every connection made
to it (the SERVICE and LOAD targets), and a lookup client; then sends ≥ 300 odd requests
from another loopback address (127.0.0.2): malformed, oversized, nested, SERVICE
variants, updates, memory hogs, odd routes, and slow clients on raw sockets.

It records the counts by status code, the outbound connections seen (must be 0), the
server process's RSS before/after (+50 MB at most), the lookup client's p50 during the
run (< 10 ms), the store hash before/after (unchanged), and whether any answer was a 500
or carried a traceback.

    python bench/abuse.py --store build/store

Exit code 0 only when every check passes; writes ``bench/results/abuse-<stamp>.json``.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policykg.ontology.vocab import sparql_prolog  # noqa: E402

LOOKUP = sparql_prolog() + "SELECT ?t WHERE { ?t a pk:Task } LIMIT 3"  # a small lookup
ATTACKER = "127.0.0.2"


def store_hash(store: Path) -> str:
    from pyoxigraph import Store

    from policykg.store import sorted_nquads

    s = Store.read_only(str(store))
    digest = hashlib.sha256(sorted_nquads(s.quads_for_pattern(None, None, None))).hexdigest()
    del s
    return digest


class Listener:
    """A TCP listener on 127.0.0.1 recording every connection (must stay empty)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.seen: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.seen.append(conn.recv(512))
            except OSError:
                self.seen.append(b"")
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def http_cases(port: int) -> list[tuple[str, dict]]:
    """(category, request arguments for httpx) — ~290 requests."""
    rng = random.Random(12)
    target = f"http://127.0.0.1:{port}/x"
    cases: list[tuple[str, dict]] = []

    def q(cat: str, text: str, post: bool = True) -> None:
        if post:
            cases.append((cat, {"method": "POST", "url": "/sparql", "content": text.encode(),
                                "headers": {"Content-Type": "application/sparql-query"}}))
        else:
            cases.append((cat, {"method": "GET", "url": "/sparql", "params": {"query": text}}))

    # malformed (80)
    pieces = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "(", ")", ".", "FILTER",
              "OPTIONAL", "<http://e/>", '"x"', "1", "UNION", "#", "\\", "'", ":", "a"]
    for _ in range(60):
        q("malformed", " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))),
          post=rng.random() < 0.5)
    for n in (100, 1000, 8000, 24_000):
        q("malformed", "ASK { FILTER(" + "1" * n + "a) }")
    for text in ("SELECT * WHERE { ?s ?p ", '"""unterminated', "<http://e", "PREFIX : <",
                 "\x00\x01\x02", "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "ASK { } }",
                 "SELECT (", "\ufeffASK {}", "ASK {" + "'" * 5000 + "}", "é" * 3000,
                 "SELECT * WHERE { ?s ?p ?o } ORDER BY", "DESCRIBE", "CONSTRUCT WHERE {",
                 "ASK { ?s ?p 1e99999 }", "ASK { FILTER(REGEX(\"a\", \"(a+)+$\")) }"):
        q("malformed", text)
    # oversized (20)
    for _ in range(4):
        cases.append(("oversized", {"method": "POST", "url": "/sparql",
                                    "content": b"x" * (3 << 20),
                                    "headers": {"Content-Type": "application/sparql-query"}}))
        cases.append(("oversized", {"method": "GET", "url": "/sparql",
                                    "params": {"query": "ASK {} #" + "x" * 20_000}}))
        cases.append(("oversized", {"method": "GET", "url": "/health",
                                    "headers": {f"x-pad-{i}": "y" * 8000 for i in range(6)}}))
        q("oversized", "ASK { ?s ?p ?o } #" + "x" * 200_000)
        cases.append(("oversized", {"method": "POST", "url": "/sparql",
                                    "data": {"query": "ASK {}", "pad": "z" * (5 << 20)}}))
    # nested (40)
    for _ in range(5):
        q("nested", "SELECT * WHERE " + "{ " * 10_000 + "?s ?p ?o" + " }" * 10_000)
        q("nested", "ASK { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }")
        q("nested", "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { " * 10_000 + "}" * 10_001)
        q("nested", "SELECT * WHERE { ?s " + "(" * 100_000 + "<http://e/p>"
          + ")" * 100_000 + " ?o }")
        q("nested", "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 40_000) + " }")
        q("nested", "ASK { ?s ?p ?o " + "FILTER NOT EXISTS { ?s ?p ?o " * 5_000
          + "}" * 5_001)
        q("nested", "SELECT * WHERE { ?s ?p ?o " + "[ <http://e/p> " * 3_000
          + "]" * 3_000 + " }")
        q("nested", "ASK { " + "{ } " * 50_000 + "}")
    # SERVICE variants (40)
    variants = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ OPTIONAL {{ ?s ex:a\\# ?o }} "
        f"SERVICE <{target}> {{ ?leak ?p ?o }} }}",
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ OPTIONAL {{ ?s ex:a\\' ?o }} "
        f"SERVICE <{target}> {{ ?leak ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p \"#\" . SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # comment\n SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        f"PREFIX t: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE t:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    ]
    for text in variants * 4:
        q("service", text, post=rng.random() < 0.5)
    # updates (20)
    for text in ("DELETE WHERE { ?s ?p ?o }", "INSERT DATA { <http://e/a> <http://e/b> 1 }",
                 f"LOAD <{target}>", "CLEAR ALL", "DROP DEFAULT"):
        q("update", text)
        cases.append(("update", {"method": "POST", "url": "/sparql", "content": text.encode(),
                                 "headers": {"Content-Type": "application/sparql-update"}}))
        cases.append(("update", {"method": "POST", "url": "/sparql", "data": {"update": text}}))
        cases.append(("update", {"method": "GET", "url": "/sparql", "params": {"update": text}}))
    # memory hogs and heavy queries, their structure varied (20)
    for i in range(20):
        filters = " ".join(["FILTER(BOUND(?a))"] * i)
        hogs = [f"SELECT ?a ?f WHERE {{ ?a ?b ?c . ?d ?e ?f {filters} }} ORDER BY ?c ?f LIMIT 1",
                "SELECT (STRLEN(GROUP_CONCAT(STR(?c))) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c } "
                f"GRAPH ?y {{ ?d ?e ?f }} GRAPH ?z {{ ?g ?h ?i }} {filters} }}"]
        q("memory", hogs[i % 2])
    # odd routes and parameters (45)
    for path in ("/dumps/graph.ttl?graph=not%20an%20iri", "/dumps/graph.ttl?graph=%3C%3E",
                 "/dumps/graph.ttl", "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/x",
                 "/page/%00", "/page/../../etc", "/data/a.zip", "/data/%22.ttl", "/id/%3C",
                 "/ontology?format=%FF", "/void?format=zzz", "/sparql?query=%FF%FE",
                 "/sparql?query=ASK%7B%7D&default-graph-uri=%20",
                 "/sparql?query=ASK%7B%7D&named-graph-uri=x%20y", "/sparql?query=a&query=b",
                 "/sparql/", "/static", "/nope", "/health?x=" + "y" * 1000):
        cases.append(("odd", {"method": "GET", "url": path}))
    for _ in range(5):
        for path in ("/void", "/sparql", "/sparql/", "/id/doc/none"):
            cases.append(("odd", {"method": "GET", "url": path,
                                  "headers": {"Host": "evil.example", "Accept": "text/turtle"}}))
        cases.append(("odd", {"method": "POST", "url": "/sparql", "content": b"ASK {}",
                              "headers": {"Content-Type": "text/evil"}}))
    return cases


def raw_request(base: str, data: bytes, *, read: bool = True, hold: float = 0.0,
                rcvbuf: int | None = None, timeout: float = 30.0) -> str:
    """A request over a raw socket; the status code seen (or 'closed')."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.bind((ATTACKER, 0))
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(timeout)
    try:
        sock.connect((host, int(port)))
        if data:
            sock.sendall(data)
        if hold:
            time.sleep(hold)
        if not read:
            return "held"
        head = sock.recv(64)
        return head.split()[1].decode() if head.startswith(b"HTTP/") else "closed"
    except ConnectionResetError:
        return "closed"
    except TimeoutError:
        return "hang"
    finally:
        sock.close()


def slow_cases(base: str) -> list[tuple[str, callable]]:
    """(category, thunk) for sockets that misbehave: ~50 requests."""
    cases = []
    for _ in range(25):  # slow headers: never finished
        cases.append(("slow", lambda: raw_request(base, b"GET /health HTTP/1.1\r\nHost: a\r\n"
                                                         b"X-Slow: ")))
    for _ in range(5):  # idle: connect, say nothing
        cases.append(("slow", lambda: raw_request(base, b"")))
    for _ in range(5):  # a slow body
        cases.append(("slow", lambda: raw_request(
            base, b"POST /sparql HTTP/1.1\r\nHost: a\r\nContent-Type: application/sparql-query"
                  b"\r\nContent-Length: 5000\r\n\r\nASK")))
    for _ in range(5):  # long URLs past httptools' 64 KB read
        cases.append(("oversized", lambda: raw_request(
            base, b"GET /sparql?query=" + b"x" * 70_000 + b" HTTP/1.1\r\nHost: a\r\n\r\n")))
    for path in ("/dumps/graph.trig", "/dumps/graph.nq"):  # readers that do not read
        for _ in range(5):
            cases.append(("slow", lambda p=path: raw_request(
                base, f"GET {p} HTTP/1.1\r\nHost: a\r\n\r\n".encode(), rcvbuf=4096,
                hold=8.0)))
    return cases


def lookup_loop(base: str, stop, conn) -> None:
    """Small lookups, one every 20 ms, until ``stop``; sends (latencies, in-pool times)."""
    latencies: list[float] = []
    in_pool: list[float] = []  # of which waiting for and running in a worker
    with httpx.Client(base_url=base, timeout=30) as c:
        while not stop.is_set():
            t = time.perf_counter()
            r = c.get("/sparql", params={"query": LOOKUP})
            latencies.append(time.perf_counter() - t)
            in_pool.append(float(r.headers.get("x-query-time", "nan")))
            time.sleep(0.02)
    conn.send((latencies, in_pool))


def run(store: Path, deadline_s: float) -> dict:
    listener = Listener()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile("w", prefix="abuse-server-", suffix=".log", delete=False)  # noqa: SIM115
    hash_before = store_hash(store)
    server = subprocess.Popen(
        [sys.executable, "-m", "policykg.server.main", "--store", str(store), "--port", str(port),
         "--timeout", "2", "--worker-memory-mb", "1024", "--request-timeout", "3",
         "--stream-timeout", "5", "--queue-timeout", "30", "--log-level", "warning"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    results: dict = {}
    try:
        _wait_up(base)
        with httpx.Client(base_url=base, timeout=10) as c:
            for _ in range(50):  # warm: shapes known, pages cached
                c.get("/sparql", params={"query": LOOKUP})
            c.get("/void")
        proc = psutil.Process(server.pid)
        rss_before = proc.memory_info().rss
        # the lookup client is a process of its own: in this one it would wait for the
        # GIL behind the fuzzing threads, and measure them rather than the server
        ctx = multiprocessing.get_context("spawn")
        stop = ctx.Event()
        parent_end, child_end = ctx.Pipe()
        looker = ctx.Process(target=lookup_loop, args=(base, stop, child_end), daemon=True)
        looker.start()
        statuses: collections.Counter = collections.Counter()
        by_category: dict[str, collections.Counter] = collections.defaultdict(
            collections.Counter)
        leaks: list[str] = []
        started = time.monotonic()

        def send(case) -> None:
            cat, kwargs = case
            if time.monotonic() - started > deadline_s:
                status = "skipped"
            else:
                try:
                    transport = httpx.HTTPTransport(local_address=ATTACKER)
                    with httpx.Client(base_url=base, timeout=90, transport=transport) as c:
                        r = c.request(**kwargs)
                    status = str(r.status_code)
                    if "Traceback" in r.text or "/work/" in r.text or "evil.example" in (
                            r.text + r.headers.get("location", "")):
                        leaks.append(f"{cat} {kwargs.get('url')}: {r.status_code}")
                except httpx.TimeoutException:
                    status = "hang"
                except httpx.TransportError:
                    status = "closed"
            statuses[status] += 1
            by_category[cat][status] += 1

        def send_raw(case) -> None:
            cat, thunk = case
            status = thunk()
            statuses[status] += 1
            by_category[cat][status] += 1

        cases = http_cases(listener.port)
        random.Random(3).shuffle(cases)
        with ThreadPoolExecutor(8) as pool, ThreadPoolExecutor(60) as raw_pool:
            raw_futures = [raw_pool.submit(send_raw, c) for c in slow_cases(base)]
            list(pool.map(send, cases))
            for f in raw_futures:
                f.result()
        elapsed = time.monotonic() - started
        stop.set()
        latencies, in_pool = parent_end.recv()
        looker.join(timeout=30)
        time.sleep(1)
        rss_after = proc.memory_info().rss
        with httpx.Client(base_url=base, timeout=10) as c:
            health = c.get("/health").json()
        results = {
            "requests": sum(statuses.values()), "seconds": round(elapsed, 1),
            "statuses": dict(sorted(statuses.items())),
            "by_category": {k: dict(sorted(v.items())) for k, v in sorted(by_category.items())},
            "outbound_connections": len(listener.seen),
            "rss_before_mb": round(rss_before / 2**20, 1),
            "rss_after_mb": round(rss_after / 2**20, 1),
            "lookup_p50_ms": round(statistics.median(latencies) * 1000, 2),
            "lookup_p90_ms": round(statistics.quantiles(latencies, n=10)[-1] * 1000, 2),
            "lookup_in_pool_p50_ms": round(statistics.median(in_pool) * 1000, 2),
            "lookups": len(latencies),
            "leaks": leaks, "health": health,
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        listener.close()
    results["store_hash_before"] = hash_before
    results["store_hash_after"] = store_hash(store)
    results["checks"] = {
        "no_500": "500" not in results["statuses"],
        "no_hang": "hang" not in results["statuses"],
        "no_outbound": results["outbound_connections"] == 0,
        "rss_within_50mb": results["rss_after_mb"] - results["rss_before_mb"] <= 50,
        "lookup_p50_under_10ms": results["lookup_p50_ms"] < 10,
        "store_unchanged": hash_before == results["store_hash_after"],
        "no_leaks": not results["leaks"],
        "at_least_300": results["requests"] >= 300,
    }
    return results


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not come up")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(ROOT / "build" / "store"))
    parser.add_argument("--deadline", type=float, default=240.0,
                        help="seconds after which remaining requests are skipped")
    a = parser.parse_args(argv)
    results = run(Path(a.store), a.deadline)
    out = ROOT / "bench" / "results" / f"abuse-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print("written", out.relative_to(ROOT))
    return 0 if all(results["checks"].values()) else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())

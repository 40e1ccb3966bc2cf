"""Closed-loop SPARQL load generator: N clients, D seconds, per-query-type latencies.

Why a separate process with its own tiny HTTP/1.1 client: the generator shares two
cores with the server under test, so every microsecond it spends on itself is taken
from the server. A keep-alive client on bare asyncio streams costs several times less
CPU per request than a general-purpose client library, and the generator reports its
own CPU time so a reader can see how much of the machine it used.

The workload is the project's research questions, written once with the project's
prefixes (``ontology.vocab``) and parameterized from the data itself: task IRIs,
regions that have sub-regions, industry labels. The parameter pools are discovered
with SPARQL and sorted, so the same data gives the same requests on every server.

    python bench/loadgen.py --url http://127.0.0.1:8000/sparql -c 8 -d 10 \\
        --kinds all --json bench/results/tmp/a-c8.json
    python bench/loadgen.py --table bench/results/tmp/a-c8.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policykg.ontology.vocab import sparql_prolog  # noqa: E402

SELECT_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class QueryKind:
    """One research question; ``{x}`` is filled from the pool named ``pool``."""

    name: str
    family: str  # "lookup", "scan", "path", "construct": how the targets judge it
    template: str
    pool: str | None = None
    accept: str = SELECT_JSON


QUERY_KINDS: dict[str, QueryKind] = {
    k.name: k
    for k in (
        QueryKind("small", "lookup", """
SELECT ?label WHERE { <{x}> rdfs:label ?label }""", pool="tasks"),
        QueryKind("task_agencies", "lookup", """
SELECT ?role ?agency ?name WHERE {
  VALUES ?task { <{x}> }
  VALUES ?role { pk:leadAgency pk:responsibleAgency }
  ?task ?role ?agency .
  OPTIONAL { ?agency skos:prefLabel ?name . FILTER(lang(?name) = "zh") }
} ORDER BY ?role ?agency""", pool="tasks"),
        QueryKind("agency_aggregate", "scan", """
SELECT ?agency (MIN(STR(?name)) AS ?label) (COUNT(DISTINCT ?task) AS ?tasks)
       (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
  ?task pk:leadAgency|pk:responsibleAgency ?agency ; pk:inDocument ?doc .
  OPTIONAL { ?agency skos:prefLabel ?name . FILTER(lang(?name) = "zh") }
} GROUP BY ?agency ORDER BY DESC(?tasks) ?agency LIMIT 50"""),
        QueryKind("region_path", "path", """
SELECT ?region (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
  ?region pk:withinRegion* <{x}> .
  { ?task pk:concernsRegion ?region }
  UNION { ?task a pk:Task ; pk:inDocument/pk:jurisdiction ?region }
} GROUP BY ?region ORDER BY DESC(?tasks) ?region""", pool="regions"),
        QueryKind("text_contains", "scan", """
SELECT ?task ?label WHERE {
  ?task a pk:Task ; pk:text ?text ; rdfs:label ?label .
  FILTER(CONTAINS(STR(?text), "{x}"))
} ORDER BY ?task LIMIT 100""", pool="keywords"),
        QueryKind("construct_task", "construct", """
CONSTRUCT { ?task ?p ?o . ?a ?ap ?ao } WHERE {
  VALUES ?task { <{x}> }
  { ?task ?p ?o } UNION { ?task pk:assignment ?a . ?a ?ap ?ao }
}""", pool="tasks", accept=NTRIPLES),
    )
}

POOL_QUERIES = {
    "tasks": """SELECT DISTINCT ?x WHERE {
  ?x a pk:Task ; pk:leadAgency|pk:responsibleAgency ?agency } ORDER BY ?x LIMIT 256""",
    "regions": """SELECT DISTINCT ?x WHERE { ?sub pk:withinRegion ?x } ORDER BY ?x LIMIT 64""",
    "keywords": """SELECT DISTINCT ?x WHERE {
  ?i a pk:Industry ; skos:prefLabel ?l . FILTER(lang(?l) = "zh") BIND(STR(?l) AS ?x)
} ORDER BY ?x LIMIT 64""",
}

# Requests the reliability run mixes in: each must be refused with a 4xx, never a 5xx.
MALFORMED = [
    "SELECT * WHERE { ?s ?p ",
    "SELEKT ?s WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s <not an iri> ?o }",
    "PREFIX : <x> SELECT * WHERE { ?s :p \"unterminated }",
    "SELECT (COUNT(*) AS ?n WHERE { ?s ?p ?o }",
    "\x00\x01binary garbage\xff",
]
UPDATES = [
    ("query", "INSERT DATA { <urn:bench:s> <urn:bench:p> \"written\" }"),
    ("query", "DELETE WHERE { ?s ?p ?o }"),
    ("update", "INSERT DATA { <urn:bench:s> <urn:bench:p> \"written\" }"),
    ("update", "DROP ALL"),
    ("update", "CLEAR DEFAULT"),
]


@dataclass(frozen=True)
class Request:
    kind: str
    body: bytes
    content_type: str
    accept: str
    expect: str  # "ok": 2xx expected; "refused": 4xx expected


def good_requests(kind: QueryKind, pools: dict[str, list[str]]) -> list[Request]:
    """Every request of one kind, one per pool value (or one if the kind has no pool)."""
    values = pools.get(kind.pool, []) if kind.pool else [""]
    prolog = sparql_prolog()
    return [
        Request(kind.name, (prolog + kind.template.replace("{x}", v)).encode(),
                "application/sparql-query", kind.accept, "ok")
        for v in values
    ]


def bad_requests() -> dict[str, list[Request]]:
    malformed = [Request("malformed", q.encode("utf-8", "surrogateescape"),
                         "application/sparql-query", SELECT_JSON, "refused") for q in MALFORMED]
    updates = [Request("update", q.encode(), f"application/sparql-{param}", SELECT_JSON, "refused")
               for param, q in UPDATES]
    return {"malformed": malformed, "update": updates}


# -- the HTTP client ----------------------------------------------------------------------

class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects after errors or ``Connection: close``."""

    def __init__(self, host: str, port: int, path: str) -> None:
        self.host, self.port, self.path = host, port, path
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def post(self, body: bytes, content_type: str, accept: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: {content_type}\r\nAccept: {accept}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
        self.writer.write(head + body)
        await self.writer.drain()
        reader = self.reader
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("connection closed by server")
        status = int(status_line.split(b" ", 2)[1])
        length, chunked, close = None, False, False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value:
                chunked = True
            elif name == b"connection" and value == b"close":
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await reader.readline()).split(b";")[0].strip(), 16)
                if size == 0:
                    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            data = b"".join(parts)
        elif length is not None:
            data = await reader.readexactly(length)
        else:
            data = await reader.read()
            close = True
        if close:
            await self.close()
        return status, data


def split_url(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"


async def fetch(url: str, request: Request, timeout: float = 60.0) -> tuple[int, bytes]:
    conn = Connection(*split_url(url))
    try:
        return await asyncio.wait_for(
            conn.post(request.body, request.content_type, request.accept), timeout)
    finally:
        await conn.close()


def discover_pools(url: str) -> dict[str, list[str]]:
    """Parameter values from the data, sorted (same data → same pools on every server)."""

    async def run() -> dict[str, list[str]]:
        pools = {}
        for name, query in POOL_QUERIES.items():
            req = Request("pool", (sparql_prolog() + query).encode(),
                          "application/sparql-query", SELECT_JSON, "ok")
            status, data = await fetch(url, req)
            if status != 200:
                raise RuntimeError(f"pool query {name} failed on {url}: {status} {data[:200]!r}")
            rows = json.loads(data)["results"]["bindings"]
            pools[name] = sorted(r["x"]["value"] for r in rows if "x" in r)
        return pools

    return asyncio.run(run())


# -- the load ------------------------------------------------------------------------------

@dataclass
class KindStats:
    latencies: list[float] = field(default_factory=list)  # seconds, expected outcomes only
    ok: int = 0
    status_5xx: int = 0
    unexpected: int = 0  # a status other than the expected class (and not 5xx)
    transport: int = 0  # connection error or timeout
    transport_kinds: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (no interpolation: every reported value was measured)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def schedule(mix: dict[str, int]) -> list[str]:
    """A fixed interleaving of kinds by integer weight: {a: 2, b: 1} → [a, b, a]."""
    order: list[str] = []
    credit = dict.fromkeys(mix, 0.0)
    total = sum(mix.values())
    for _ in range(total):
        for k in mix:
            credit[k] += mix[k] / total
        best = max(sorted(mix), key=lambda k: credit[k])
        credit[best] -= 1
        order.append(best)
    return order


async def _client(index: int, url: str, requests: dict[str, list[Request]], order: list[str],
                  deadline: float, timeout: float, stats: dict[str, KindStats],
                  counters: dict[str, int]) -> None:
    conn = Connection(*split_url(url))
    step = index  # clients start at different places of the schedule
    try:
        while time.perf_counter() < deadline:
            kind = order[step % len(order)]
            step += 1
            pool = requests[kind]
            request = pool[counters[kind] % len(pool)]
            counters[kind] += 1
            s = stats[kind]
            start = time.perf_counter()
            try:
                status, _data = await asyncio.wait_for(
                    conn.post(request.body, request.content_type, request.accept), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError,
                    IndexError) as err:
                s.transport += 1
                name = type(err).__name__
                s.transport_kinds[name] = s.transport_kinds.get(name, 0) + 1
                await conn.close()
                continue
            elapsed = time.perf_counter() - start
            s.statuses[str(status)] = s.statuses.get(str(status), 0) + 1
            expected = 200 <= status < 300 if request.expect == "ok" else 400 <= status < 500
            if expected:
                s.ok += 1
                s.latencies.append(elapsed)
            elif status >= 500:
                s.status_5xx += 1
            else:
                s.unexpected += 1
    finally:
        await conn.close()


async def run_load(url: str, requests: dict[str, list[Request]], mix: dict[str, int], *,
                   concurrency: int, duration: float, timeout: float = 60.0) -> dict:
    """``concurrency`` closed-loop clients for ``duration`` seconds; returns the result record."""
    mix = {k: w for k, w in mix.items() if w > 0 and requests.get(k)}
    if not mix:
        raise ValueError("nothing to send: every kind of the mix has an empty pool")
    order = schedule(mix)
    stats = {k: KindStats() for k in mix}
    counters = dict.fromkeys(mix, 0)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    deadline = start + duration
    await asyncio.gather(*(
        _client(i, url, requests, order, deadline, timeout, stats, counters)
        for i in range(concurrency)))
    elapsed = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    kinds = {}
    for k, s in stats.items():
        lat = sorted(s.latencies)
        kinds[k] = {
            "requests": s.ok + s.status_5xx + s.unexpected + s.transport,
            "ok": s.ok, "errors_5xx": s.status_5xx, "errors_unexpected": s.unexpected,
            "errors_transport": s.transport, "statuses": dict(sorted(s.statuses.items())),
            "transport_errors": dict(sorted(s.transport_kinds.items())),
            "throughput": s.ok / elapsed,
            "p50_ms": _ms(percentile(lat, 50)), "p95_ms": _ms(percentile(lat, 95)),
            "p99_ms": _ms(percentile(lat, 99)), "max_ms": _ms(lat[-1] if lat else None),
            "mean_ms": _ms(sum(lat) / len(lat) if lat else None),
        }
    all_lat = sorted(x for s in stats.values() for x in s.latencies)
    ok = sum(s.ok for s in stats.values())
    return {
        "url": url, "concurrency": concurrency, "duration_s": duration, "elapsed_s": elapsed,
        "mix": mix, "client_cpu_s": client_cpu,
        "total": {
            "ok": ok, "throughput": ok / elapsed,
            "errors": sum(s.status_5xx + s.unexpected + s.transport for s in stats.values()),
            "p50_ms": _ms(percentile(all_lat, 50)), "p95_ms": _ms(percentile(all_lat, 95)),
            "p99_ms": _ms(percentile(all_lat, 99)),
        },
        "kinds": kinds,
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def workload(kind_names: list[str], pools: dict[str, list[str]],
             bad: bool = False) -> dict[str, list[Request]]:
    requests = {name: good_requests(QUERY_KINDS[name], pools) for name in kind_names}
    if bad:
        requests.update(bad_requests())
    return requests


def parse_kinds(text: str) -> list[str]:
    names = list(QUERY_KINDS) if text == "all" else [k for k in text.split(",") if k]
    unknown = [k for k in names if k not in QUERY_KINDS]
    if unknown:
        raise SystemExit(f"unknown query kind(s): {', '.join(unknown)}; "
                         f"known: {', '.join(QUERY_KINDS)}")
    return names


def parse_mix(text: str | None, kind_names: list[str]) -> dict[str, int]:
    """``kind=weight,…``; ``good`` stands for every query kind. Default: the kinds, weight 1."""
    if not text:
        return dict.fromkeys(kind_names, 1)
    mix: dict[str, int] = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        targets = kind_names if name == "good" else [name]
        for t in targets:
            mix[t] = int(weight or 1)
    return mix


# -- reporting -------------------------------------------------------------------------------

def markdown_table(result: dict) -> str:
    head = "| query | ok | req/s | p50 ms | p95 ms | p99 ms | 5xx | other errors |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for k, r in result["kinds"].items():
        lines.append(f"| {k} | {r['ok']} | {r['throughput']:.1f} | {_f(r['p50_ms'])} | "
                     f"{_f(r['p95_ms'])} | {_f(r['p99_ms'])} | {r['errors_5xx']} | "
                     f"{r['errors_unexpected'] + r['errors_transport']} |")
    t = result["total"]
    lines.append(f"| **all** | {t['ok']} | {t['throughput']:.1f} | {_f(t['p50_ms'])} | "
                 f"{_f(t['p95_ms'])} | {_f(t['p99_ms'])} | | {t['errors']} |")
    return "\n".join(lines)


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="SPARQL endpoint, e.g. http://127.0.0.1:8000/sparql")
    parser.add_argument("-c", "--concurrency", type=int, default=1)
    parser.add_argument("-d", "--duration", type=float, default=10.0, help="seconds")
    parser.add_argument("--kinds", default="all",
                        help=f"all or a comma list of {', '.join(QUERY_KINDS)}")
    parser.add_argument("--mix", help="kind=weight,… (good=all query kinds; malformed; update)")
    parser.add_argument("--pools", type=Path, help="parameter pools JSON (default: discover)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request seconds")
    parser.add_argument("--label", default="", help="stored in the result (e.g. the server)")
    parser.add_argument("--json", type=Path, help="write the result record here")
    parser.add_argument("--table", type=Path, help="print the Markdown table of a result file")
    args = parser.parse_args(argv)

    if args.table:
        print(markdown_table(json.loads(args.table.read_text())))
        return 0
    if not args.url:
        parser.error("--url is required")
    names = parse_kinds(args.kinds)
    pools = json.loads(args.pools.read_text()) if args.pools else discover_pools(args.url)
    mix = parse_mix(args.mix, names)
    requests = workload(names, pools, bad=any(k in mix for k in ("malformed", "update")))
    result = asyncio.run(run_load(args.url, requests, mix, concurrency=args.concurrency,
                                  duration=args.duration, timeout=args.timeout))
    result["label"] = args.label
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(markdown_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The worker process: runs one job at a time on a read-only store and streams the answer.

Queries run here, not in the web server, because pyoxigraph cannot interrupt a running
query: the only reliable way to stop a runaway query is to kill the process running it.
Each worker opens the store with ``Store.read_only`` (several processes may read one store;
nothing here can write), receives a job over its pipe and answers with messages:

``("ready", None)`` once after start; then per job either ``("error", (status, message))``,
or ``("meta", {...})`` followed by ``("chunk", bytes)``… and ``("end", None)``.

Results are produced in two passes so that the HTTP status and headers are known before
the first byte is sent: pass one evaluates the query and spools at most ``max_rows + 1``
solutions (as SPARQL TSV / N-Triples lines, in a temp file that stays in memory while small)
— that is where all the query time goes and where errors surface; pass two parses the
spool back with pyoxigraph and writes it with pyoxigraph's own (Rust) serializers into
fixed-size chunks. Memory stays bounded whatever the result size, and the row cap is exact.
"""

from __future__ import annotations

import re
import tempfile
import traceback
from typing import Any

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
    serialize,
)

CHUNK_SIZE = 64 * 1024
SPOOL_IN_MEMORY = 8 * 1024 * 1024

_UPDATE_KEYWORDS = {
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
}
_PROLOGUE_ITEM = re.compile(
    r"\s*(?:#[^\n]*\n?|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)", re.IGNORECASE
)
_FIRST_WORD = re.compile(r"\s*([A-Za-z]+)")


def looks_like_update(text: str) -> bool:
    """True when the request, after its prologue, starts with an update keyword.

    Only consulted for text that failed to parse as a query, so a real query is never
    mistaken for an update; it decides between 403 (read-only) and 400 (syntax).
    """
    pos = 0
    while m := _PROLOGUE_ITEM.match(text, pos):
        if m.end() == pos:
            break
        pos = m.end()
    m = _FIRST_WORD.match(text, pos)
    return bool(m) and m.group(1).upper() in _UPDATE_KEYWORDS


_NOT_CODE = re.compile(
    r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>"
)
_SERVICE = re.compile(r"(?<![?$:\w])SERVICE(?![\w:])", re.IGNORECASE)


def uses_service(text: str) -> bool:
    """True when the query has a SERVICE clause (outside comments, strings and IRIs).

    pyoxigraph would evaluate it by fetching the given URL from this machine; an open
    endpoint must not be a proxy into the network it runs in, so federation is off unless
    the server is started with ``allow_service=True``.
    """
    return bool(_SERVICE.search(_NOT_CODE.sub(" ", text)))


class ChunkWriter:
    """A binary file object that ships what pyoxigraph writes as fixed-size messages.

    The last byte is held back until ``close`` so a JSON document can be given a
    truncation note before its final brace.
    """

    def __init__(self, send) -> None:
        self._send = send
        self._buffer = bytearray()

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._send(("chunk", bytes(self._buffer[:CHUNK_SIZE])))
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def flush(self) -> None:
        pass

    def close(self, json_note: bytes | None = None) -> None:
        data = bytes(self._buffer)
        if json_note is not None and data.endswith(b"}"):
            data = data[:-1] + json_note + b"}"
        if data:
            self._send(("chunk", data))
        self._buffer.clear()


def _graph_term(iri: str):
    return DefaultGraph() if iri == "" else NamedNode(iri)


def _query_options(job: dict) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if job.get("default_graphs"):
        options["default_graph"] = [_graph_term(g) for g in job["default_graphs"]]
    else:
        options["use_default_graph_as_union"] = True
    if job.get("named_graphs"):
        options["named_graphs"] = [NamedNode(g) for g in job["named_graphs"]]
    return options


def run_query(store: Store, job: dict, send) -> None:
    """Evaluate, spool up to the cap, then serialize; see the module docstring."""
    if not job.get("allow_service") and uses_service(job["query"]):
        send(("error", (403, "Federated queries (SERVICE) are disabled on this endpoint.")))
        return
    try:
        result = store.query(job["query"], **_query_options(job))
    except SyntaxError as e:
        if looks_like_update(job["query"]):
            send(("error", (403, "This endpoint is read-only: SPARQL Update is not accepted.")))
        else:
            send(("error", (400, f"Malformed query: {e}")))
        return
    except ValueError as e:  # e.g. an invalid IRI in default-graph-uri
        send(("error", (400, f"Bad request: {e}")))
        return

    max_rows = job["max_rows"]
    if isinstance(result, QueryBoolean):
        fmt = job["results_format"]
        if fmt is None:
            send(("error", (406, "ASK results are available as " + job["results_offers"])))
            return
        send(("meta", {"kind": "boolean", "media_type": fmt, "rows": 1, "truncated": False}))
        writer = ChunkWriter(send)
        result.serialize(writer, QueryResultsFormat.from_media_type(fmt))
        writer.close()
        send(("end", None))
        return

    solutions = isinstance(result, QuerySolutions)
    fmt = job["results_format"] if solutions else job["graph_format"]
    if fmt is None:
        offers = job["results_offers"] if solutions else job["graph_offers"]
        kind = "SELECT" if solutions else "CONSTRUCT/DESCRIBE"
        send(("error", (406, f"{kind} results are available as {offers}")))
        return

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        rows = 0
        truncated = False
        try:
            if solutions:
                variables = result.variables
                spool.write(("\t".join(str(v) for v in variables) + "\n").encode())
                for solution in result:
                    if rows == max_rows:
                        truncated = True
                        break
                    line = "\t".join("" if solution[v] is None else str(solution[v])
                                     for v in variables)
                    spool.write((line + "\n").encode())
                    rows += 1
            else:
                for triple in result:
                    if rows == max_rows:
                        truncated = True
                        break
                    spool.write((str(triple) + " .\n").encode())
                    rows += 1
        except (OSError, RuntimeError, ValueError) as e:
            send(("error", (400, f"Query evaluation failed: {e}")))
            return
        send(("meta", {"kind": "solutions" if solutions else "triples", "media_type": fmt,
                       "rows": rows, "truncated": truncated}))
        spool.seek(0)
        writer = ChunkWriter(send)
        if solutions:
            parsed = parse_query_results(spool, QueryResultsFormat.TSV)
            parsed.serialize(writer, QueryResultsFormat.from_media_type(fmt))
            note = None
            if truncated and fmt == "application/sparql-results+json":
                note = (f',"truncated":true,"note":"Result truncated to the first {max_rows} '
                        f'rows by the server\'s row cap."').encode()
            writer.close(note)
        else:
            rdf_format = RdfFormat.from_media_type(fmt)
            quads = parse(spool, RdfFormat.N_TRIPLES)
            items = quads if rdf_format.supports_datasets else (q.triple for q in quads)
            serialize(items, writer, rdf_format, prefixes=job.get("prefixes"))
            writer.close()
    send(("end", None))


def run_dump(store: Store, job: dict, send) -> None:
    """Every quad (or one graph's triples) straight from the store into the serializer."""
    rdf_format = RdfFormat.from_media_type(job["media_type"])
    graph = NamedNode(job["graph"]) if job.get("graph") else None
    if graph is not None and next(store.quads_for_pattern(None, None, None, graph), None) is None:
        send(("error", (404, f"No graph named <{job['graph']}> in this dataset.")))
        return
    send(("meta", {"kind": "dump", "media_type": job["media_type"], "rows": None,
                   "truncated": False}))
    quads = store.quads_for_pattern(None, None, None, graph)
    items = quads if rdf_format.supports_datasets else (q.triple for q in quads)
    writer = ChunkWriter(send)
    serialize(items, writer, rdf_format, prefixes=job.get("prefixes"))
    writer.close()
    send(("end", None))


JOBS = {"query": run_query, "dump": run_dump}


def main(store_path: str, conn) -> None:
    """Process entry point: open the store, then serve jobs until the pipe closes."""
    try:
        store = Store.read_only(store_path)
    except OSError as e:
        conn.send(("error", (500, f"cannot open store {store_path}: {e}")))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            JOBS[job["type"]](store, job, conn.send)
        except (BrokenPipeError, EOFError):
            return
        except Exception as e:  # never leave the server waiting for an answer
            conn.send(("error", (500, f"internal error: {e}\n{traceback.format_exc()}")))

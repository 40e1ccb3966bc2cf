"""The worker process: runs one job at a time on a read-only store and streams the answer.

Queries run here, not in the web server, because pyoxigraph cannot interrupt a running
query: the only reliable way to stop a runaway query is to kill the process running it.
Each worker opens the store with ``Store.read_only`` (several processes may read one store;
nothing here can write), receives a job over its pipe and answers with messages:

``("ready", None)`` once after start; then per job either ``("error", (status, message))``,
or ``("meta", {...})`` followed by ``("chunk", bytes)``… and ``("end", None)``. Every
``meta`` carries ``cpu``: the CPU seconds the job has used so far — what the pool's cost
model learns from, because wall time on a busy machine measures the crowd, not the query.

Small answers — the common case: a lookup, a page's SELECT, one resource's CONSTRUCT —
are produced in **one pass**: a SELECT is serialized straight from the query into memory by
pyoxigraph's own (Rust) serializer (at most ``DIRECT_BYTES``; the rows are then counted in
the output), a CONSTRUCT's triples are collected (at most ``DIRECT_TRIPLES``) and handed to
the serializer as a list. Larger answers fall back to two passes, so that the HTTP status
and headers are known before the first byte is sent, memory stays bounded and the row cap
stays exact: pass one evaluates the query and spools at most ``max_rows + 1`` solutions
(as SPARQL TSV / N-Triples lines, in a temp file that stays in memory while small) — that
is where all the query time goes and where errors surface; pass two parses the spool back
and writes it with pyoxigraph's serializers into fixed-size chunks. (A SELECT over
``DIRECT_BYTES`` is evaluated twice: the price of never holding a big answer in memory.)

Messages of one answer are written to the pipe together when they are small (one system
call, one wake-up of the server; see :class:`_Batcher`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import re
import struct
import tempfile
import time
import traceback
from itertools import chain, islice
from typing import Any

from policykg.ontology.vocab import PREFIXES
from policykg.server import confine
from policykg.server.errors import readable
from policykg.server.lexer import QueryTooComplex, check_limits, uses_service
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
DIRECT_BYTES = 1024 * 1024
"""A SELECT answer up to this size is serialized in one pass, straight from the query."""
DIRECT_TRIPLES = 20_000
"""A CONSTRUCT/DESCRIBE answer up to this many triples is serialized from a list."""
BATCH_BYTES = 256 * 1024

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
    options: dict[str, Any] = {"prefixes": PREFIXES}  # the project's, predeclared
    if job.get("default_graphs"):
        options["default_graph"] = [_graph_term(g) for g in job["default_graphs"]]
    else:
        options["use_default_graph_as_union"] = True
    if job.get("named_graphs"):
        options["named_graphs"] = [NamedNode(g) for g in job["named_graphs"]]
    return options



class _TooBig(Exception):
    """Raised from inside the serializer when a one-pass answer outgrows ``DIRECT_BYTES``."""


class _BoundedBuffer:
    """A binary file object for pyoxigraph's serializers that refuses to grow too big."""

    def __init__(self, limit: int) -> None:
        self.data = bytearray()
        self.limit = limit
        self.overflow = False

    def write(self, data) -> int:
        self.data += data
        if len(self.data) > self.limit:
            self.overflow = True
            raise _TooBig
        return len(data)

    def flush(self) -> None:
        pass


def count_rows(body: bytes, media_type: str) -> int:
    """Solutions in a serialized SELECT answer (exact for each results format).

    TSV escapes line breaks in terms and XML escapes ``<`` in text, so lines and
    ``<result>`` tags count rows; JSON and CSV (quoted line breaks) are parsed.
    """
    if media_type == "text/tab-separated-values":
        return body.count(b"\n") - 1
    if media_type == "application/sparql-results+xml":
        return body.count(b"<result>")
    if media_type == "text/csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    return len(json.loads(body)["results"]["bindings"])


def _send_body(send, body, note: bytes | None = None) -> None:
    writer = ChunkWriter(send)
    writer.write(body)
    writer.close(note)


def run_query(store: Store, job: dict, send) -> None:
    """Evaluate and serialize, in one pass when small; see the module docstring."""
    if not job.get("allow_service") and uses_service(job["query"]):
        send(("error", (403, "Federated queries (SERVICE) are disabled on this endpoint.")))
        return
    try:  # here, not in the server process: a slow scan costs a killable worker only
        check_limits(job["query"])
    except QueryTooComplex as e:
        send(("error", (400, f"Query refused: {e}.")))
        return
    try:
        options = _query_options(job)
        result = store.query(job["query"], **options)
    except SyntaxError as e:
        if looks_like_update(job["query"]):
            send(("error", (403, "This endpoint is read-only: SPARQL Update is not accepted.")))
        else:
            send(("error", (400, f"Malformed query: {readable(str(e), job['query'], PREFIXES)}")))
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

    triples = ()
    try:
        if solutions:
            buffer = _BoundedBuffer(DIRECT_BYTES)
            try:
                result.serialize(buffer, QueryResultsFormat.from_media_type(fmt))
            except _TooBig:
                pass
            if not buffer.overflow:
                rows = count_rows(buffer.data, fmt)
                if rows <= max_rows:
                    send(("meta", {"kind": "solutions", "media_type": fmt, "rows": rows,
                                   "truncated": False}))
                    _send_body(send, buffer.data)
                    send(("end", None))
                    return
            del buffer
            result = store.query(job["query"], **options)  # too big for one pass
        else:
            triples = list(islice(result, min(max_rows, DIRECT_TRIPLES) + 1))
            if len(triples) <= DIRECT_TRIPLES or len(triples) > max_rows:
                truncated = len(triples) > max_rows
                triples = triples[:max_rows]
                send(("meta", {"kind": "triples", "media_type": fmt, "rows": len(triples),
                               "truncated": truncated}))
                rdf_format = RdfFormat.from_media_type(fmt)
                writer = ChunkWriter(send)
                serialize(triples, writer, rdf_format, prefixes=job.get("prefixes", PREFIXES))
                writer.close()
                send(("end", None))
                return
    except (OSError, RuntimeError, ValueError) as e:
        send(("error", (400, f"Query evaluation failed: {e}")))
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
                for triple in chain(triples, result):
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
            serialize(items, writer, rdf_format, prefixes=job.get("prefixes", PREFIXES))
            writer.close()
    send(("end", None))


def run_dump(store: Store, job: dict, send) -> None:
    """Every quad (or one graph's triples) straight from the store into the serializer."""
    rdf_format = RdfFormat.from_media_type(job["media_type"])
    try:
        graph = NamedNode(job["graph"]) if job.get("graph") else None
    except ValueError as e:
        send(("error", (400, f"Not a graph IRI: {e}")))
        return
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


class _Batcher:
    """Sends an answer's messages to the server in as few writes as possible.

    Each message is framed as ``multiprocessing.Connection`` frames it (4-byte length +
    pickle); frames are held until ``BATCH_BYTES`` are pending or the answer is complete
    (``end``/``error``), so a small answer costs one write and one wake-up of the server.
    Big answers still flow in ``BATCH_BYTES`` slices, blocking on a full pipe.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._pending: list[bytes] = []
        self._size = 0
        self.job_started = time.process_time()

    def __call__(self, message) -> None:
        if message[0] == "meta":
            message[1]["cpu"] = time.process_time() - self.job_started
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending.append(struct.pack("!i", len(data)))
        self._pending.append(data)
        self._size += len(data) + 4
        if self._size >= BATCH_BYTES or message[0] in ("end", "error", "ready"):
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        view = memoryview(b"".join(self._pending))
        self._pending.clear()
        self._size = 0
        while view:
            view = view[os.write(self._fd, view):]


def main(store_path: str, conn, confinement: dict | None = None) -> None:
    """Process entry point: confine, open the store, then serve jobs until the pipe closes.

    ``confinement`` (see :mod:`server.confine`): ``parent`` (the server's pid, to die
    with), ``network`` (keep network access: only when federation is allowed),
    ``memory`` (bytes of address space beyond what the opened store maps; 0 = no limit).
    """
    confinement = confinement or {}
    if confinement.get("parent"):
        confine.die_with_parent(confinement["parent"])
    try:
        store = Store.read_only(store_path)
    except OSError as e:
        conn.send(("error", (500, f"cannot open store {store_path}: {e}")))
        return
    network_cut = False if confinement.get("network", False) else confine.cut_network()
    confine.limit_memory(confinement.get("memory", 0))
    send = _Batcher(conn.fileno())
    send(("ready", {"network_cut": network_cut or bool(confinement.get("network"))}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        send.job_started = time.process_time()
        try:
            JOBS[job["type"]](store, job, send)
            send.flush()
        except (BrokenPipeError, EOFError):
            return
        except MemoryError:  # the address-space limit: say so, and make way for a fresh one
            send(("error", (503, "The query exceeded the worker's memory limit and was "
                                 "stopped. Narrow it down or add a LIMIT.")))
            send.flush()
            os._exit(0)
        except Exception as e:  # never leave the server waiting for an answer
            traceback.print_exc()  # the details go to the server's log, not to the client
            send(("error", (500, f"Internal error while evaluating the query "
                                 f"({type(e).__name__}).")))

"""The web application: SPARQL 1.1 Protocol endpoint, linked data, VoID, dumps, query page.

Every store access goes through the worker pool (:mod:`server.pool`), including the
small queries behind the HTML pages, so the event loop never runs a query and every
query has a time limit. Client mistakes are answered with 4xx and a plain-text message;
nothing a client sends reaches uvicorn as an exception.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from policykg.ontology.vocab import BASE, FORMATS, ID_NS, ONTOLOGY_IRI, PREFIXES, SD, VOID
from policykg.server import formats as F
from policykg.server import pages
from policykg.server.answers import AnswerCache, Kept, WholeAnswer, cacheable
from policykg.server.costs import CostModel, query_shape
from policykg.server.describe import (
    DatasetStats,
    gather_stats,
    service_description,
    void_description,
)
from policykg.server.fairness import client_key
from policykg.server.guard import MAX_HEADER_BYTES, MAX_URL_BYTES
from policykg.server.lexer import Limits
from policykg.server.methods import MethodsMiddleware
from policykg.server.pool import JobError, PoolBusy, QueryTimeout, WorkerFailed, WorkerPool, collect
from policykg.server.resource_routes import make_router, not_found
from policykg.server.spool import SpooledResponse
from pyoxigraph import NamedNode, RdfFormat, serialize
from starlette.exceptions import HTTPException as StarletteHTTPException

from policykg.store import STORE_DUMP

log = logging.getLogger("policykg.server")
STATIC = Path(__file__).with_name("static")
DESCRIPTION_FORMATS = (F.TURTLE, F.JSONLD, F.RDFXML, F.NTRIPLES)
EXPOSE_HEADERS = ["X-Result-Rows", "X-Result-Truncated", "Content-Disposition", "Location"]
CORS_HEADERS = {"Access-Control-Allow-Origin": "*",
                "Access-Control-Expose-Headers": ", ".join(EXPOSE_HEADERS)}
CORS_RAW_HEADERS = [(k.lower().encode(), v.encode()) for k, v in CORS_HEADERS.items()]
CONTENT_TYPES = {f.media_type: f.content_type.encode()
                 for f in F.RESULTS_FORMATS + F.GRAPH_FORMATS}
PAGE_FORMATS = (F.HTML, F.TURTLE, F.JSONLD, F.NTRIPLES, F.RDFXML)


@dataclass(frozen=True)
class Options:
    timeout: float = 30.0
    """Seconds a query may run before its worker is killed and the client gets 503."""
    max_rows: int = 10_000
    """Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned at most per query."""
    workers: int = max(2, min(4, os.cpu_count() or 2))
    """General-lane worker processes, i.e. queries of any cost that can run at once."""
    fast_workers: int = 1
    """Fast-lane worker processes, kept for queries expected to be cheap (server.costs)."""
    fast_budget: float = 1.0
    """Seconds a query may run in the fast lane before it is moved to the general lane."""
    cheap_below: float = 0.2
    """Queries whose shape has cost less than this (CPU seconds, weighted mean) are cheap."""
    queue_timeout: float = 60.0
    """Seconds a request waits for a free worker before 503. Long, because a crowd of
    clients should be served late rather than refused (32 clients asking 1-second
    questions wait ~25 s on two cores, as they would on Oxigraph's own server); the fast
    lane keeps cheap queries out of that queue."""
    stream_timeout: float = 120.0
    """Seconds a streaming answer may wait for the client to read more before it is dropped."""
    allow_service: bool = False
    """Whether SERVICE clauses may make this machine fetch remote endpoints (workers keep
    their network only then)."""
    base_url: str | None = None
    """The public base URL (``https://kg.example.org/``) used in VoID, the service
    description and redirects. Never taken from the ``Host`` header, which any client can
    forge; when unset, descriptions use ``loopback_base`` and redirects are relative."""
    loopback_base: str = "http://127.0.0.1:8000/"
    """The address served on (``server.main`` sets it), for descriptions without a base."""
    worker_memory: int = 2 * 1024**3
    """Bytes of address space a query worker may add to what the opened store maps; past
    it the query fails with 503 and the worker is replaced (0: no limit)."""
    answer_cache: int = 64 * 1024**2
    """Bytes of whole answers kept for queries asked again (server.answers; 0: none)."""
    engine: str = "binary"
    """Who evaluates: ``binary`` (``oxigraph serve-read-only`` backends, server.binpool)
    or ``pool`` (pyoxigraph worker processes, server.pool)."""


QUERY_LIMITS = Limits()


def _text(status: int, message: str, headers: dict | None = None) -> Response:
    return Response(message.rstrip() + "\n", status_code=status,
                    media_type="text/plain; charset=utf-8", headers=headers)


def _negotiate(format_param, accept, offers, what: str = "Available as", listed=None):
    """The format to answer in, or the 406 response that says why there is none.

    ``listed`` names what the 406 offers when it differs from ``offers`` (HTML, say,
    is a redirect rather than a format worth listing).
    """
    try:
        fmt = F.choose(format_param, accept, offers)
    except F.UnknownFormat as e:
        return _text(406, f"Unknown format {e}.")
    if fmt is None:
        return _text(406, f"{what} " + ", ".join(f.media_type for f in (listed or offers)))
    return fmt


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


class Backend:
    """The app's access to the store: jobs on the pool, with HTTP-shaped failures."""

    def __init__(self, store_path: str, options: Options) -> None:
        self.options = options
        pool_class = WorkerPool
        if options.engine == "binary":
            from policykg.server.binpool import BinaryPool as pool_class
        self.pool = pool_class(store_path, size=options.workers,
                               fast_size=options.fast_workers, fast_budget=options.fast_budget,
                               confinement={"network": options.allow_service,
                                            "memory": options.worker_memory},
                               costs=CostModel(cheap_below=options.cheap_below))
        self._stats: DatasetStats | None = None

    async def submit(self, job: dict, timeout: float | None = None, scope=None):
        """(lease, meta) or an error Response; ``scope`` says who asks (fairness)."""
        client = client_key(scope.get("client")) if scope else "-"
        shape = query_shape(job["query"]) if job["type"] == "query" else None
        try:
            return await self.pool.submit(job, timeout or self.options.timeout,
                                          self.options.queue_timeout, shape, client)
        except JobError as e:
            return _text(e.status, e.message)
        except QueryTimeout:
            return _text(503, f"Query timed out after {timeout or self.options.timeout:g} s "
                              "and was stopped. Narrow it down or add a LIMIT.",
                         {"Retry-After": "1"})
        except PoolBusy:
            return _text(503, "All query workers are busy; try again shortly.",
                         {"Retry-After": "2"})
        except WorkerFailed as e:  # the query crashed the engine; nobody else is affected
            return _text(503, f"The query could not be evaluated: its worker failed ({e}) "
                              "and has been replaced. Simplify the query.")

    async def select(self, query: str, max_rows: int | None = None) -> list[dict] | Response:
        """Bindings of a SELECT as JSON-decoded dicts, for the HTML pages and descriptions."""
        job = query_job(query, F.JSON.media_type, None, max_rows or self.options.max_rows)
        got = await self.submit(job)
        if isinstance(got, Response):
            return got
        lease, _ = got
        data = json.loads(await collect(lease, self.options.stream_timeout))
        return data["results"]["bindings"]

    async def stats(self) -> DatasetStats | Response:
        if self._stats is None:  # VoID's counts and partitions (server/describe.py)
            stats = await gather_stats(self.select)
            if isinstance(stats, Response):
                return stats
            self._stats = stats
        return self._stats


def query_job(query: str, results_format: str | None, graph_format: str | None,
              max_rows: int, default_graphs=(), named_graphs=()) -> dict:
    """A query job for the pool; small, because it is pickled for every request (the
    worker knows the prefix table itself)."""
    return {
        "type": "query", "query": query, "results_format": results_format,
        "graph_format": graph_format, "max_rows": max_rows,
        "default_graphs": list(default_graphs), "named_graphs": list(named_graphs),
        "results_offers": RESULTS_OFFERS, "graph_offers": GRAPH_OFFERS,
    }


RESULTS_OFFERS = ", ".join(f.media_type for f in F.RESULTS_FORMATS)
GRAPH_OFFERS = ", ".join(f.media_type for f in F.GRAPH_FORMATS)


def _query_headers(headers) -> tuple[str | None, str, bytes | None]:
    """(Accept, Content-Type, Origin) of a request's raw headers, the first of each."""
    accept = origin = None
    content_type = ""
    for name, value in headers:
        if name == b"accept" and accept is None:
            accept = value.decode("latin-1")
        elif name == b"content-type" and not content_type:
            content_type = value.decode("latin-1")
        elif name == b"origin" and origin is None:
            origin = value
    return accept, content_type, origin


def _cors(response: Response, origin: bytes | None) -> Response:
    """``response`` with ``Origin`` added to its ``Vary`` and, for a request that has an
    ``Origin``, the CORS headers: what the CORS middleware does on the app's other routes."""
    if origin is not None:
        response.headers.update(CORS_HEADERS)
    response.headers["Vary"] = ", ".join([*response.headers.getlist("Vary"), "Origin"])
    return response


def answer_headers(meta: dict, extra: dict, content: bytes, cors: bool) -> list:
    """The headers of a whole query answer (raw, lower-case), CORS ones if asked.

    ``Vary: Origin`` whether or not the request had one, since the CORS headers come only
    with an ``Origin``: a shared cache must not give a browser the answer it stored for a
    client without one (the app's CORS middleware says the same on every other route)."""
    headers = [(b"content-type", CONTENT_TYPES.get(meta["media_type"],
                                                   meta["media_type"].encode())),
               (b"content-length", b"%d" % len(content)),
               (b"vary", b"Accept, Origin")]
    if meta.get("rows") is not None:
        headers.append((b"x-result-rows", b"%d" % meta["rows"]))
        headers.append((b"x-result-truncated", b"true" if meta["truncated"] else b"false"))
    headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
    if cors:
        headers += CORS_RAW_HEADERS
    return headers


def _streaming(backend: Backend, lease, meta: dict, extra: dict | None = None):
    headers = {"Vary": "Accept"}
    if meta.get("rows") is not None:
        headers["X-Result-Rows"] = str(meta["rows"])
        headers["X-Result-Truncated"] = "true" if meta["truncated"] else "false"
    headers.update(extra or {})
    fmt = next((f for f in F.RESULTS_FORMATS + F.GRAPH_FORMATS
                if f.media_type == meta["media_type"]), None)
    media_type = fmt.content_type if fmt else meta["media_type"]
    return SpooledResponse(lease, media_type, headers, backend.options.stream_timeout)


DESCRIPTION_PREFIXES = PREFIXES | {ns.prefix: ns.iri for ns in (SD, VOID, FORMATS)}


def _rdf_response(triples, fmt: F.Format, headers: dict | None = None) -> Response:
    """Small descriptions built in the server process; still pyoxigraph's serializer."""
    body = serialize(triples, format=RdfFormat.from_media_type(fmt.media_type),
                     prefixes=DESCRIPTION_PREFIXES)
    return Response(body, media_type=fmt.content_type,
                    headers={"Vary": "Accept", **(headers or {})})


def create_app(store_path: str | Path, **options) -> SparqlFastPath:
    """The ASGI app serving the store at ``store_path`` (opened read-only by each worker)."""
    opts = Options(**options)
    backend = Backend(str(store_path), opts)
    answers = AnswerCache(opts.answer_cache) if opts.answer_cache > 0 else None
    base = _slash(opts.base_url or opts.loopback_base)
    """Where descriptions say this server lives: configured, never from a request."""
    redirect_base = _slash(opts.base_url).rstrip("/") if opts.base_url else ""

    def redirect(path: str, headers: dict | None = None) -> Response:
        """A 303 to ``path`` on this server: absolute under ``--base-url``, else relative."""
        return RedirectResponse(redirect_base + path, status_code=303, headers=headers)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await backend.pool.start()
        yield
        await backend.pool.close()

    # redirect_slashes off: Starlette builds that redirect's Location from the Host header
    app = FastAPI(title="Hubei policy KG", lifespan=lifespan, docs_url=None, redoc_url=None,
                  redirect_slashes=False,
                  openapi_url=None)
    app.state.backend = backend
    app.add_middleware(MethodsMiddleware)
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=EXPOSE_HEADERS,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # ---------------------------------------------------------------- SPARQL protocol
    async def sparql_answer(scope, receive, method: str, query_string: bytes,
                            accept: str | None, content_type: str, body: bytes):
        """A Response (error, service description) or ``(lease, meta, headers)`` to stream;
        None for the service description when there is no ``receive`` to build it with."""
        params = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
        query: str | None = None
        content_type = content_type.split(";")[0].strip().lower()
        if method == "POST":
            text = body.decode("utf-8", errors="replace")
            if content_type == "application/sparql-query":
                query = text
            elif content_type == "application/sparql-update":
                return _text(403, "This endpoint is read-only: SPARQL Update is not accepted.")
            elif content_type in ("application/x-www-form-urlencoded", ""):
                params += parse_qsl(text, keep_blank_values=True)
            else:
                return _text(415, "POST a query as application/sparql-query or "
                                  "application/x-www-form-urlencoded.")
        values: dict[str, list[str]] = {}
        for key, value in params:
            values.setdefault(key, []).append(value)
        if "update" in values:
            return _text(403, "This endpoint is read-only: SPARQL Update is not accepted.")
        if query is None:
            queries = values.get("query", [])
            if len(queries) > 1:
                return _text(400, "Give exactly one query parameter.")
            query = queries[0] if queries else None
        format_param = (values.get("format") or values.get("output") or [None])[0]
        if query is not None and len(query) > QUERY_LIMITS.max_length:
            return _text(400, f"Query refused: the query is {len(query):,} characters long; "
                              f"this endpoint accepts at most {QUERY_LIMITS.max_length:,}.")
        if query is None or not query.strip():
            if method == "POST":
                return _text(400, "No query given.")
            if receive is None:  # the front's direct path: the app describes the service
                return None
            return await service_description_response(Request(scope, receive), format_param,
                                                      accept)
        try:
            results_fmt = F.choose(format_param, accept, F.RESULTS_FORMATS)
            graph_fmt = F.choose(format_param, accept, F.GRAPH_FORMATS)
        except F.UnknownFormat as e:
            return _text(406, f"Unknown format {e}.")
        if results_fmt is None and graph_fmt is None:
            return _text(406, "None of the accepted media types can be produced. Results: "
                              + ", ".join(f.media_type
                                          for f in F.RESULTS_FORMATS + F.GRAPH_FORMATS))
        job = query_job(query, results_fmt and results_fmt.media_type,
                        graph_fmt and graph_fmt.media_type, opts.max_rows,
                        values.get("default-graph-uri", []), values.get("named-graph-uri", []))
        job["allow_service"] = opts.allow_service
        key = None
        if answers is not None and cacheable(query):
            key = (query, job["results_format"], job["graph_format"],
                   tuple(job["default_graphs"]), tuple(job["named_graphs"]))
            kept = answers.get(key)
            if kept is not None:
                return WholeAnswer(kept.content), kept.meta, {
                    "X-Query-Time": kept.query_time, "X-Answer-Kept": "true"}
        started = time.monotonic()
        got = await backend.submit(job, scope=scope)
        if isinstance(got, Response):
            return got
        lease, meta = got
        query_time = f"{time.monotonic() - started:.3f}"
        if key is not None:
            content = lease.take_complete()
            if content is None:  # a streamed answer: not kept
                return lease, meta, {"X-Query-Time": query_time}
            answers.put(key, Kept(meta, content, query_time))
            lease = WholeAnswer(content)
        return lease, meta, {"X-Query-Time": query_time}

    async def sparql(request: Request) -> Response:
        """The routed endpoint: reached by HEAD (through MethodsMiddleware) and tests of
        the app object; GET and POST take the short path, :func:`fast_sparql`."""
        body = await request.body() if request.method == "POST" else b""
        got = await sparql_answer(request.scope, request.receive, request.method,
                                  request.scope["query_string"], request.headers.get("accept"),
                                  request.headers.get("content-type", ""), body)
        if isinstance(got, Response):
            return got
        lease, meta, extra = got
        return _streaming(backend, lease, meta, extra)

    app.add_api_route("/sparql", sparql, methods=["GET", "POST"])

    async def fast_sparql(scope, receive, send) -> None:
        """GET/POST /sparql as a bare ASGI handler: the hot path of the endpoint.

        Routing, dependency injection, the CORS and HEAD/OPTIONS middlewares and the
        streaming machinery cost more than a small query itself, so this handler does the
        little they would do for these two methods (CORS headers for a request with an
        ``Origin``, ``Vary``, the whole answer in one body message)."""
        accept, content_type, origin = _query_headers(scope["headers"])
        body = b""
        if scope["method"] == "POST":
            more = True
            parts = []
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                parts.append(message.get("body", b""))
                more = message.get("more_body", False)
            body = b"".join(parts)
        got = await sparql_answer(scope, receive, scope["method"], scope["query_string"],
                                  accept, content_type, body)
        if isinstance(got, Response):
            await _cors(got, origin)(scope, receive, send)
            return
        lease, meta, extra = got
        content = lease.take_complete()
        if content is None:
            await _cors(_streaming(backend, lease, meta, extra), origin)(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": answer_headers(meta, extra, content, origin is not None)})
        await send({"type": "http.response.body", "body": content})

    async def direct_sparql(method: str, query_string: bytes, headers, body: bytes,
                            client) -> tuple[int, list, bytes] | None:
        """GET/POST /sparql for :mod:`server.front`, without ASGI: ``(status, headers,
        body)``, the headers whole (security and CORS headers included), or None when the
        request is not a query (the service description), which the front then sends
        through the app.

        Why apart from :func:`fast_sparql`: the ASGI scope, the wrappers' closures and two
        ``send`` messages per answer cost about 50 µs of the front's ~300 µs per small query
        (issue 11); the query's own path (parsing, negotiation, the pool) is the same
        :func:`sparql_answer`."""
        accept, content_type, origin = _query_headers(headers)
        got = await sparql_answer({"client": client}, None, method, query_string, accept,
                                  content_type, body)
        if got is None:
            return None
        if isinstance(got, Response):
            return got.status_code, _cors(got, origin).raw_headers + SECURITY_HEADERS, got.body
        lease, meta, extra = got
        content = lease.take_complete()  # whole: the binary engine streams only dumps
        return 200, answer_headers(meta, extra, content, origin is not None) + \
            SECURITY_HEADERS, content

    async def service_description_response(request, format_param, accept) -> Response:
        fmt = _negotiate(format_param, accept, DESCRIBE_OR_HTML,
                         "The service description is available as", DESCRIPTION_FORMATS)
        if isinstance(fmt, Response):
            return fmt
        if fmt is F.HTML:  # a browser opening /sparql: the query page
            return redirect("/")
        stats = await backend.stats()
        if isinstance(stats, Response):
            return stats
        return _rdf_response(service_description(base, stats), fmt)

    # ---------------------------------------------------------------- descriptions
    @app.get("/void")
    async def void(request: Request, format: str | None = None) -> Response:
        fmt = _negotiate(format, request.headers.get("accept"), DESCRIPTION_FORMATS,
                         "VoID is available as")
        if isinstance(fmt, Response):
            return fmt
        stats = await backend.stats()
        if isinstance(stats, Response):
            return stats
        return _rdf_response(void_description(base, stats), fmt)

    @app.get("/health")
    async def health() -> Response:
        started = time.monotonic()
        got = await backend.submit(query_job("ASK {}", F.JSON.media_type, None, 1), timeout=5)
        if isinstance(got, Response):
            return JSONResponse({"status": "unhealthy", "detail": got.body.decode().strip()},
                                status_code=503)
        lease, _ = got
        await collect(lease, 5)
        return JSONResponse({
            "status": "ok", "workers": backend.pool.size, "fast_workers": backend.pool.fast_size,
            "workers_replaced": backend.pool.replaced,
            "moved_to_general_lane": backend.pool.moved,
            "query_shapes_known": len(backend.pool.costs),
            "answers_kept": answers.report() if answers is not None else None,
            "clients_without_trials": backend.pool.clients.distrusted(),
            "workers_alive": sum(w.process.is_alive() for w in backend.pool._all),
            "ping_ms": round((time.monotonic() - started) * 1000, 1),
        })

    # ---------------------------------------------------------------- dumps
    async def dump(request: Request, fmt: F.Format, graph: str | None) -> Response:
        job = {"type": "dump", "media_type": fmt.media_type, "graph": graph,
               "prefixes": PREFIXES}
        got = await backend.submit(job, scope=request.scope)
        if isinstance(got, Response):
            return got
        lease, meta = got
        name = "graph." + fmt.extension
        return _streaming(backend, lease, meta,
                          {"Content-Disposition": f'inline; filename="{name}"'})

    build_dump = Path(store_path) / STORE_DUMP

    @app.get("/dumps/graph.nq")
    async def dump_nquads(request: Request) -> Response:
        # The build's own sorted dump when the store carries it (policykg.store.load_store):
        # the README's one byte-identical dump; the store's order otherwise.
        if build_dump.is_file():
            return FileResponse(build_dump, media_type=F.NQUADS.content_type,
                                headers={"Content-Disposition": 'inline; filename="graph.nq"'})
        return await dump(request, F.NQUADS, None)

    @app.get("/dumps/graph.trig")
    async def dump_trig(request: Request) -> Response:
        return await dump(request, F.TRIG, None)

    @app.get("/dumps/graph.ttl")
    async def dump_turtle(request: Request, graph: str | None = None) -> Response:
        if not graph:
            return _text(400, "Give the named graph: /dumps/graph.ttl?graph=<graph IRI> "
                              "(graph names are listed in /void).")
        try:
            NamedNode(graph)
        except ValueError as e:  # was a 500 whose traceback showed server paths
            return _text(400, f"The graph parameter is not an IRI ({e}); graph names are "
                              "listed in /void.")
        return await dump(request, F.TURTLE, graph)

    # ---------------------------------------------------------------- linked data
    async def missing(iri: str) -> Response | None:
        """None if the IRI is a subject, object or graph name here; else the 404 (or the
        pool's error) to answer with."""
        q = (f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} "
             f"UNION {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} }}")
        got = await backend.submit(query_job(q, F.JSON.media_type, None, 1))
        if isinstance(got, Response):
            return got
        lease, _ = got
        if json.loads(await collect(lease, opts.stream_timeout))["boolean"]:
            return None
        return _text(404, f"No resource <{iri}> in this dataset.")

    def _valid_path(path: str) -> bool:
        return bool(path) and all(c not in path for c in '<>"{}|\\^` \n\r\t')

    @app.get("/id/{path:path}")
    async def resource(request: Request, path: str, format: str | None = None) -> Response:
        """The IRI as the w3id redirect delivers it: 303 to the page or the data."""
        if not _valid_path(path):
            return not_found(request, "No such resource.")
        if (absent := await missing(ID_NS + path)) is not None:
            if absent.status_code == 404:  # a browser gets a page, a program one line
                return not_found(request, f"No resource <{ID_NS + path}> in this dataset.")
            return absent
        fmt = _negotiate(format, request.headers.get("accept"), PAGE_FORMATS)
        if isinstance(fmt, Response):
            return fmt
        target = f"/page/{path}" if fmt is F.HTML else f"/data/{path}.{fmt.extension}"
        return redirect(target, {"Vary": "Accept"})

    @app.get("/data/{path:path}")
    async def resource_data(path: str) -> Response:
        stem, _, ext = path.rpartition(".")
        fmt = F.by_extension(ext, F.GRAPH_FORMATS)
        if not stem or fmt is None or not _valid_path(stem):
            return _text(404, "Use /data/{path}.ttl, .jsonld, .nt, .rdf, .nq or .trig.")
        iri = ID_NS + stem
        if (absent := await missing(iri)) is not None:
            return absent
        q = (f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE "
             f"{{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}")
        got = await backend.submit(query_job(q, None, fmt.media_type, opts.max_rows))
        if isinstance(got, Response):
            return got
        lease, meta = got
        return _streaming(backend, lease, meta)

    @app.get("/page/{path:path}")
    async def resource_page(request: Request, path: str) -> Response:
        if not _valid_path(path):
            return not_found(request, "No such resource.")
        iri = ID_NS + path
        if (absent := await missing(iri)) is not None:
            if absent.status_code == 404:
                return not_found(request, f"No resource <{iri}> in this dataset.")
            return absent
        page = await pages.resource_page(backend, iri)
        if isinstance(page, Response):
            return page
        return Response(page, media_type="text/html; charset=utf-8")

    @app.get("/ontology")
    async def ontology(request: Request, format: str | None = None) -> Response:
        fmt = _negotiate(format, request.headers.get("accept"), PAGE_FORMATS)
        if isinstance(fmt, Response):
            return fmt
        if fmt is F.HTML:
            page = await pages.ontology_page(backend)
            if isinstance(page, Response):
                return page
            return Response(page, media_type="text/html; charset=utf-8",
                            headers={"Vary": "Accept"})
        return await dump(request, fmt, ONTOLOGY_IRI)

    # ---------------------------------------------------------------- query page
    @app.get("/")
    async def index() -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/prefixes.json")
    async def prefixes() -> Response:
        return JSONResponse(PREFIXES)

    # ---------------------------------------------------------------- resource pages' routes
    # /text/<document>, /dumps/graph.nq.gz, /.well-known/void (server/resource_routes.py);
    # an unknown path answers 404 as HTML for a browser, JSON or plain text for others.
    app.include_router(make_router(backend, store_path, opts.stream_timeout))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return not_found(request, "Nothing is served at this address.")
        return await http_exception_handler(request, exc)

    @app.get("/examples.json")  # the query page's examples: docs/queries/*.rq, read each time
    async def example_queries() -> Response:
        from policykg.server.examples import examples
        return JSONResponse(examples(), headers={"Cache-Control": "no-cache"})

    app.state.local_prefix = BASE
    return SparqlFastPath(app, fast_sparql, opts.stream_timeout,
                          direct=direct_sparql if opts.engine == "binary" else None)


MAX_BODY_BYTES = 2 * 1024 * 1024
"""A POST body past this gets 413 (a 5 MB form was read whole into memory)."""
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff")]
HTML_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
     b"form-action 'self'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def _too_large(scope) -> tuple[int, str] | None:
    """The 4xx a request's size earns before anything reads it, or None."""
    if len(scope.get("raw_path") or b"") + len(scope["query_string"]) > MAX_URL_BYTES:
        return 414, f"The request URL is longer than {MAX_URL_BYTES:,} bytes; POST the query."
    size = 0
    for name, value in scope["headers"]:
        size += len(name) + len(value)
        if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY_BYTES:
            return 413, f"The request body is larger than {MAX_BODY_BYTES:,} bytes."
    if size > MAX_HEADER_BYTES:
        return 431, f"The request headers are larger than {MAX_HEADER_BYTES:,} bytes."
    return None


class BodyTooLarge(Exception):
    pass


class ClientStalled(Exception):
    """The client has not read a part of the answer within the stall timeout."""


class SparqlFastPath:
    """The ASGI app: request limits and security headers for every request, then GET/POST
    /sparql straight to the fast handler and the rest to FastAPI."""

    def __init__(self, app: FastAPI, handler, stall_timeout: float = 120.0, *,
                 direct=None) -> None:
        self.app = app
        self.state = app.state
        self._handler = handler
        self.direct = direct
        """GET/POST /sparql without ASGI, for :mod:`server.front` (binary engine only)."""
        self.stall_timeout = stall_timeout
        """Seconds one part of a body may wait for the client to read (files included):
        a socket that reads nothing is dropped instead of held forever."""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = _too_large(scope)
        if refused is not None:
            await _text(*refused)(scope, receive, send)
            return
        received = 0

        async def bounded_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:  # a chunked body that says no length
                raise BodyTooLarge
            return message

        async def secured_send(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ())) + SECURITY_HEADERS
                if any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers):
                    headers += HTML_HEADERS
                message = dict(message, headers=headers)
            if message.get("more_body"):  # a part of a long body: the client may stall
                try:
                    await asyncio.wait_for(send(message), self.stall_timeout)
                except TimeoutError:
                    raise ClientStalled from None
            else:
                await send(message)

        try:
            if scope["path"] == "/sparql" and scope["method"] in ("GET", "POST"):
                await self._handler(scope, bounded_receive, secured_send)
            else:
                await self.app(scope, bounded_receive, secured_send)
        except ClientStalled:  # the answer is cut; uvicorn closes the connection
            log.info("client read nothing for %g s; dropped", self.stall_timeout)
        except BodyTooLarge:
            await _text(413, f"The request body is larger than {MAX_BODY_BYTES:,} bytes.")(
                scope, receive, send)


DESCRIBE_OR_HTML = (F.TURTLE, F.JSONLD, F.RDFXML, F.NTRIPLES, F.HTML)


def local_path(iri: str) -> str | None:
    """The path on this server that answers for ``iri`` (None for foreign IRIs)."""
    if iri.startswith(ID_NS):
        return "/page/" + quote(iri[len(ID_NS):], safe="/-_.~")
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):
        return "/ontology" + iri[len(ONTOLOGY_IRI):]
    return None

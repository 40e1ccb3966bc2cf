"""Routes around the resource pages: the reader's text, the gzip dump, /.well-known/void
and the 404 answer for unknown paths.

``/text/<document key>`` serves the text a span's offsets count into (``build/text/``,
written by :func:`policykg.build.write_texts` beside the store), with its SHA-256 as
ETag and ``Repr-Digest``. ``/dumps/graph.nq.gz`` is the N-Quads dump as a gzip file:
``Content-Type: application/gzip`` and no ``Content-Encoding``, so a client saves what
the name says instead of unpacking it on the way (the file's content type is gzip; its
payload is N-Quads, as VoID says with ``void:feature``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from policykg.ontology.vocab import ID_NS, PK, PREFIXES
from policykg.server import formats as F
from policykg.server.pages import not_found_page
from policykg.server.pool import collect

from policykg.store import STORE_DUMP

KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,300}")
CHUNK = 1 << 20
GZIP_TYPE = "application/gzip"


def wants_html(request: Request) -> bool:
    """A browser's Accept names text/html before any JSON or plain text."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/xhtml+xml" in accept


def not_found(request: Request, message: str) -> Response:
    """404 as the client reads it: an HTML page, JSON, or one line of text."""
    accept = request.headers.get("accept", "")
    if wants_html(request):
        return Response(not_found_page(message, request.url.path), status_code=404,
                        media_type="text/html; charset=utf-8")
    if "json" in accept:
        return JSONResponse({"detail": message}, status_code=404)
    return Response(message + "\n", status_code=404, media_type="text/plain; charset=utf-8")


def gzip_chunks(path: Path) -> Iterator[bytes]:
    """``path`` gzip-compressed, chunk by chunk (mtime 0: the same file, the same bytes)."""
    sink = io.BytesIO()
    with open(path, "rb") as source, gzip.GzipFile(fileobj=sink, mode="wb", mtime=0,
                                                   filename="") as packer:
        while block := source.read(CHUNK):
            packer.write(block)
            if sink.tell() >= CHUNK:
                yield sink.getvalue()
                sink.seek(0)
                sink.truncate()
    yield sink.getvalue()


def make_router(backend, store_path: str | Path, stream_timeout: float) -> APIRouter:
    """The routes; ``backend`` is the app's :class:`server.app.Backend`."""
    router = APIRouter()
    store = Path(store_path)
    text_dir = store.parent / "text"
    build_dump = store / STORE_DUMP

    @router.get("/.well-known/void")
    async def well_known_void() -> Response:
        """RFC 8615 / VoID §7.2: the dataset description lives at /void."""
        return RedirectResponse("/void", status_code=303)

    @router.get("/dumps/graph.nq.gz")
    async def dump_gzip() -> Response:
        headers = {"Content-Disposition": 'attachment; filename="graph.nq.gz"'}
        if build_dump.is_file():  # the build's sorted dump, compressed as it is sent
            return StreamingResponse(gzip_chunks(build_dump), media_type=GZIP_TYPE,
                                     headers=headers)
        job = {"type": "dump", "media_type": F.NQUADS.media_type, "graph": None,
               "prefixes": PREFIXES}
        got = await backend.submit(job)
        if isinstance(got, Response):
            return got
        lease, _ = got
        body = gzip.compress(await collect(lease, stream_timeout), mtime=0)
        return Response(body, media_type=GZIP_TYPE, headers=headers)

    @router.get("/text/{key}")
    async def document_text(request: Request, key: str) -> Response:
        """The reader's text of the document ``…/id/doc/<key>`` (UTF-8, as offsets count)."""
        if not KEY.fullmatch(key):
            return not_found(request, "No such document text.")
        rows = await backend.select(
            f"SELECT ?f WHERE {{ <{ID_NS}doc/{key}> <{PK.sourceFile.value}> ?f }} LIMIT 1",
            max_rows=1)
        if isinstance(rows, Response):
            return rows
        name = rows[0]["f"]["value"] if rows else ""
        path = text_dir / f"{name}.txt"
        if not name or "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
            return not_found(request, f"No text for document {key} on this server.")
        body = path.read_bytes()
        digest = hashlib.sha256(body).digest()
        etag = f'"sha256-{digest.hex()}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache",
                   "Repr-Digest": f"sha-256=:{base64.b64encode(digest).decode()}:",
                   "X-Content-SHA256": digest.hex(),
                   "Content-Disposition": f'inline; filename="{key}.txt"'}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/plain; charset=utf-8", headers=headers)

    return router

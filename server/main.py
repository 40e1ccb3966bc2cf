"""Running the server: ``serve(store_path, host, port, **options)``, or
``python -m policykg.server.main``.

``policykg serve`` (policykg/cli.py) builds the store if needed and then calls
:func:`serve`; this module only serves an existing store.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from policykg.server.app import Options, create_app
from policykg.server.guard import REQUEST_TIMEOUT, http_protocol


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve the Oxigraph store at ``store_path`` (read-only) until interrupted.

    ``options`` are the fields of :class:`server.app.Options` (timeout, max_rows, workers,
    fast_workers, fast_budget, cheap_below, queue_timeout, stream_timeout); ``log_level``
    goes to uvicorn, and ``access_log``
    (default off: a log line per request costs a tenth of a small query's time) says
    whether every request is logged.
    """
    store = Path(store_path)
    if not store.is_dir():
        raise FileNotFoundError(f"no Oxigraph store at {store}")
    log_level = options.pop("log_level", "info")
    access_log = options.pop("access_log", False)
    request_timeout = options.pop("request_timeout", REQUEST_TIMEOUT)
    keep_alive = options.pop("keep_alive", 5.0)
    options.setdefault("loopback_base", default_base_url(host, port))
    app = create_app(store, **options)
    if options.get("engine", Options.engine) == "binary":
        from policykg.server import front

        front.run(app, host, port, request_timeout=request_timeout, keep_alive=keep_alive,
                  log_level=log_level)
        return
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=access_log,
                timeout_graceful_shutdown=5, timeout_keep_alive=keep_alive,
                **_fast_io(request_timeout))


def default_base_url(host: str, port: int) -> str:
    """The base URL when none is configured: the address served on, loopback for a
    wildcard bind. Never the ``Host`` header, which any client may forge (it was copied
    into VoID, the service description and redirects)."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _fast_io(request_timeout: float) -> dict:
    """uvloop and httptools when installed (uvicorn[standard]): a cheaper event loop and
    HTTP parser than asyncio's and h11, which matters when a query takes a millisecond.
    httptools (a dependency) comes wrapped in :mod:`server.guard`: request deadline, URL
    and header limits."""
    settings: dict = {"http": http_protocol(request_timeout)}
    try:
        import uvloop  # noqa: F401
        settings["loop"] = "uvloop"
    except ImportError:
        pass
    return settings


def main(argv: list[str] | None = None) -> None:
    defaults = Options()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="build/store")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--timeout", type=float, default=defaults.timeout)
    parser.add_argument("--max-rows", type=int, default=defaults.max_rows)
    parser.add_argument("--answer-cache-mb", type=int, default=defaults.answer_cache >> 20,
                        help="MiB of whole answers kept for queries asked again (0 = none)")
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--fast-workers", type=int, default=defaults.fast_workers)
    parser.add_argument("--fast-budget", type=float, default=defaults.fast_budget)
    parser.add_argument("--queue-timeout", type=float, default=defaults.queue_timeout)
    parser.add_argument("--worker-memory-mb", type=int, default=defaults.worker_memory >> 20,
                        help="address space a query worker may add (MiB, 0 = no limit)")
    parser.add_argument("--stream-timeout", type=float, default=defaults.stream_timeout,
                        help="seconds a client may read nothing of an answer before it is "
                             "dropped")
    parser.add_argument("--base-url", default=None,
                        help="public base URL for VoID, the service description and "
                             "redirects (default: http://HOST:PORT/; never the Host header)")
    parser.add_argument("--request-timeout", type=float, default=REQUEST_TIMEOUT,
                        help="seconds a request may take to arrive whole (else 408)")
    parser.add_argument("--keep-alive", type=float, default=5.0,
                        help="seconds an idle keep-alive connection stays open")
    parser.add_argument("--engine", choices=("binary", "pool"), default=defaults.engine,
                        help="binary: oxigraph serve-read-only backends behind the front; "
                             "pool: pyoxigraph worker processes behind uvicorn")
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    a = parser.parse_args(argv)
    serve(a.store, a.host, a.port, timeout=a.timeout, max_rows=a.max_rows, workers=a.workers,
          fast_workers=a.fast_workers, fast_budget=a.fast_budget, queue_timeout=a.queue_timeout,
          worker_memory=a.worker_memory_mb << 20, log_level=a.log_level,
          access_log=a.access_log, request_timeout=a.request_timeout, keep_alive=a.keep_alive,
          base_url=a.base_url, stream_timeout=a.stream_timeout, engine=a.engine,
          answer_cache=a.answer_cache_mb << 20)


if __name__ == "__main__":
    main()

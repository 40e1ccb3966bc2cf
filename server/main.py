"""Running the server: ``serve(store_path, host, port, **options)`` and ``python -m server.main``.

``policykg serve`` (policykg/cli.py) builds the store if needed and then calls
:func:`serve`; this module only serves an existing store.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from server.app import Options, create_app


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve the Oxigraph store at ``store_path`` (read-only) until interrupted.

    ``options`` are the fields of :class:`server.app.Options` (timeout, max_rows, workers,
    queue_timeout, stream_timeout); ``log_level`` goes to uvicorn.
    """
    store = Path(store_path)
    if not store.is_dir():
        raise FileNotFoundError(f"no Oxigraph store at {store}")
    log_level = options.pop("log_level", "info")
    app = create_app(store, **options)
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5)


def main(argv: list[str] | None = None) -> None:
    defaults = Options()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="build/store")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--timeout", type=float, default=defaults.timeout)
    parser.add_argument("--max-rows", type=int, default=defaults.max_rows)
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--queue-timeout", type=float, default=defaults.queue_timeout)
    parser.add_argument("--log-level", default="info")
    a = parser.parse_args(argv)
    serve(a.store, a.host, a.port, timeout=a.timeout, max_rows=a.max_rows, workers=a.workers,
          queue_timeout=a.queue_timeout, log_level=a.log_level)


if __name__ == "__main__":
    main()

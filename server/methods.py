"""HEAD and OPTIONS on every route, without writing them route by route.

HEAD is answered by running the GET and dropping the body (headers, status and
Content-Length stay those of the GET). A plain OPTIONS (not a CORS preflight, which the
CORS middleware answers first) gets 204 with the ``Allow`` header.
"""

from __future__ import annotations


def _allow(path: str) -> str:
    return "GET, HEAD, POST, OPTIONS" if path.rstrip("/") == "/sparql" else "GET, HEAD, OPTIONS"


class MethodsMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": [
                (b"allow", _allow(scope["path"]).encode()),
                (b"access-control-allow-origin", b"*"),
            ]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def drop_body(message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, drop_body)

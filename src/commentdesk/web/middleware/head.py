"""HEAD is answered wherever GET is: the same status and headers, no body.

Uptime monitors, link checkers and caches ask with HEAD, and FastAPI routes answer only
the methods they name, so a page that answers GET gave them 405. The request goes to the
app as a GET; what it sends back keeps its headers (Content-Length included, as RFC 9110
allows) and loses its body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Pure ASGI middleware: cheap, and streaming answers stay streaming."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the last body message alone ends the answer
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)

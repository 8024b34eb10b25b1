"""Watching each request from outside: the status it got and the time it took.

``Observed`` is the one wrapper that notes both; the access log and the request metrics
are two uses of it. Neither names an address or a query string.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("commentdesk.access")


class Observed:
    """Pure ASGI middleware: runs the request, then ``observe(scope, status, seconds)``.

    A request that fails before its answer starts counts as 500, which is what the
    server's error handler, outside us, will send.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self.observe(scope, status, time.perf_counter() - started)

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        raise NotImplementedError


class AccessLog(Observed):
    """One line per request: method, path, status, milliseconds. No address, no query."""

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        access_log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, seconds * 1000)

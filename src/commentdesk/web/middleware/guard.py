"""Refuses unreadable request bodies before any view sees them.

A body over the size cap gets 413 while it is still arriving; a JSON body that is not
UTF-8, not JSON, nested absurdly deep or carrying a lone surrogate gets 400. Both
answer in the API's one error format. The body, once read, is replayed to the app.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commentdesk.web.errors import error_response

MAX_JSON_DEPTH = 32


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON ``text`` nests arrays/objects more than ``limit`` deep (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def lone_surrogate_at(value: Any, path: str = "") -> str | None:
    """The path of the first string holding a lone surrogate, or None."""
    if isinstance(value, str):
        return path or "body" if any("\ud800" <= c <= "\udfff" for c in value) else None
    items: Iterable[tuple[str, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        found = lone_surrogate_at(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def json_problem(raw: bytes) -> tuple[str, str, str | None] | None:
    """(code, message, field) when ``raw`` is not acceptable JSON; None when it is."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "invalid_utf8", "The request body is not valid UTF-8.", None
    if too_deep(text):
        return "too_deep", f"JSON nested deeper than {MAX_JSON_DEPTH} levels is refused.", None
    try:
        value = json.loads(text)
    except ValueError:
        return "malformed_json", "The request body is not valid JSON.", None
    field = lone_surrogate_at(value)
    if field is not None:
        return "invalid_text", "Text may not contain lone surrogates such as \\ud800.", field
    return None


class BodyGuard:
    """ASGI middleware: size cap for every request body, sanity checks for JSON ones."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type == b"application/json" and body:
            problem = json_problem(body)
            if problem is not None:
                await error_response(400, *problem)(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"The request is larger than {self.max_bytes:,} bytes; please send less."
        response = error_response(413, "too_large", message, None, Connection="close")
        await response(scope, receive, send)


def _replay(body: bytes, original: Receive) -> Receive:
    """Hands the app the whole body once, then passes on the real channel (disconnects)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive

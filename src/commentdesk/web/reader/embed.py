"""How a publisher's pages may embed us: frame-ancestors, CORS, and ``/embed.js``.

A site lists the origins it embeds on (``https://news.example``, or ``http://host:*`` for
any port). Only those may frame the reader's page (CSP ``frame-ancestors``) or call the
readers' JSON API from script (CORS). The moderators' API is never opened to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

import anyio.to_thread
from fastapi import APIRouter
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commentdesk.desk import Desk
from commentdesk.desk.catalog import origin_allowed
from commentdesk.web.errors import error_response
from commentdesk.web.middleware.headers import CSP

router = APIRouter(include_in_schema=False)

# What may appear in a CSP source list: scheme, host (optionally "*." first), port or "*".
# Anything else a site's origin list holds (a ";" say) could rewrite the policy.
_CSP_SOURCE = re.compile(r"https?://(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?")
_READER_API = ("/api/v1/articles/", "/api/v1/comments/", "/api/v1/counts")
_CORS_METHODS = "GET, POST, PATCH, DELETE"
_CORS_HEADERS = "Content-Type, X-Edit-Token, X-Commenter-Key, Idempotency-Key, If-None-Match"


def csp_sources(origins: Iterable[str]) -> list[str]:
    """The origins that are valid, harmless CSP sources, lower-cased."""
    return [o.lower() for o in origins if _CSP_SOURCE.fullmatch(o.lower())]


def page_csp(origins: Iterable[str]) -> str:
    """The default policy, with ``frame-ancestors`` set to exactly ``origins`` (or none)."""
    ancestors = " ".join(csp_sources(origins)) or "'none'"
    directives = [d for d in CSP.split("; ") if not d.startswith("frame-ancestors")]
    return "; ".join([*directives, f"frame-ancestors {ancestors}"])


class ReaderCors:
    """CORS for the readers' API, answering only origins some site embeds on.

    Credentials are never allowed: ``embed.js`` proves authorship with the edit token
    it holds, not with cookies.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(_READER_API):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin is not None and await self._allowed(scope, origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(origin if allowed else None)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers.add_vary_header("Origin")
                if allowed and origin is not None:
                    response_headers["Access-Control-Allow-Origin"] = origin
                    response_headers["Access-Control-Expose-Headers"] = "ETag"
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _allowed(self, scope: Scope, origin: str) -> bool:
        desk: Desk = scope["app"].state.desk
        sites = await anyio.to_thread.run_sync(desk.catalog.sites)
        return any(origin_allowed(origin, tuple(csp_sources(site.origins))) for site in sites)

    @staticmethod
    def _preflight(origin: str | None) -> Response:
        if origin is None:
            return error_response(
                403, "origin_not_allowed", "This origin is not one the site embeds on."
            )
        return Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": _CORS_METHODS,
                "Access-Control-Allow-Headers": _CORS_HEADERS,
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            },
        )


@cache
def _asset(name: str) -> bytes:
    return files("commentdesk.web").joinpath("static", name).read_bytes()


def _asset_response(name: str, media_type: str) -> Response:
    # Loaded by other sites' pages, so it must be readable cross-origin (CORP).
    return Response(
        _asset(name),
        media_type=media_type,
        headers={
            "Cache-Control": "public, max-age=300",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/embed.js")
def embed_js() -> Response:
    """The progressive enhancement host pages load; see the comment at its top."""
    return _asset_response("embed.js", "text/javascript; charset=utf-8")


@router.get("/embed.css")
def embed_css() -> Response:
    """The reader's stylesheet, for host pages (every rule is scoped under ``.cd``)."""
    return _asset_response("commentdesk.css", "text/css; charset=utf-8")

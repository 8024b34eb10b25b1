"""Who is submitting, as far as rate limits and bans need to know.

A browser gets a random commenter key in an ``HttpOnly`` cookie on its first post;
script on a host page (embed.js) sends its own as ``X-Commenter-Key``. The desk keeps
only a keyed hash of it. The client address is passed on for rate limits alone; the
desk hashes it under a daily salt and never stores it.
"""

from __future__ import annotations

import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

from commentdesk.web.cookies import Cookies

COOKIE = "cd_commenter"
HEADER = "x-commenter-key"
_VALID = re.compile(r"[A-Za-z0-9_-]{16,64}")
ONE_YEAR = 365 * 24 * 3600


def commenter_key(request: Request) -> str:
    """The request's commenter key: header, then cookie, else a new one to be set."""
    for value in (request.headers.get(HEADER), request.cookies.get(COOKIE)):
        if value and _VALID.fullmatch(value):
            return value
    fresh = secrets.token_urlsafe(24)
    request.state.new_commenter_key = fresh
    return fresh


def remember(request: Request, response: Response, cookies: Cookies) -> None:
    """Sets the cookie when ``commenter_key`` had to make a new key for this browser."""
    fresh = getattr(request.state, "new_commenter_key", None)
    if fresh:
        cookies.set(response, COOKIE, fresh, max_age=ONE_YEAR)


def client_address(request: Request) -> str | None:
    """The peer address (already corrected for trusted proxies), for rate limits only."""
    return request.client.host if request.client else None

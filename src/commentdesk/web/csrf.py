"""CSRF protection that works without script: a signed token bound to a cookie.

The browser holds a random value in an ``HttpOnly`` cookie; every form carries
HMAC(secret, value) in a hidden field (console script sends it as ``X-CSRF-Token``).
A cross-site page can make the browser send the cookie, but cannot read it or the
page, so it cannot produce the matching token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from commentdesk.errors import Forbidden
from commentdesk.i18n import N_
from commentdesk.web.cookies import Cookies

COOKIE = "cd_csrf"
FIELD = "csrf"
HEADER = "x-csrf-token"


class CsrfFailed(Forbidden):
    code = "csrf_failed"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This form has expired or did not come from this site. Reload the page and "
                "send it again; what you typed is kept."
            ),
            field=FIELD,
        )


def token_of(secret: bytes, value: str) -> str:
    """The token that goes with the cookie ``value``."""
    return hmac.new(secret, f"csrf\x00{value}".encode(), hashlib.sha256).hexdigest()


def cookie_value(request: Request) -> str:
    """The browser's CSRF cookie value, or a new one (stored on ``request.state``)."""
    value = request.cookies.get(COOKIE) or getattr(request.state, "csrf_cookie", None)
    if not value or len(value) > 100:
        value = secrets.token_urlsafe(24)
        request.state.csrf_cookie = value
    return value


def token_for(request: Request, secret: bytes) -> str:
    """The token to put in this page's forms."""
    return token_of(secret, cookie_value(request))


def set_cookie(request: Request, response: Response, cookies: Cookies) -> None:
    """Sets the cookie on ``response`` when ``token_for`` had to make a new one."""
    value = getattr(request.state, "csrf_cookie", None)
    if value:
        cookies.set(response, COOKIE, value, max_age=30 * 24 * 3600)


def verify(request: Request, secret: bytes, submitted: str | None) -> None:
    """Raises ``CsrfFailed`` unless ``submitted`` matches the browser's cookie."""
    value = request.cookies.get(COOKIE)
    if not value or not submitted or not hmac.compare_digest(token_of(secret, value), submitted):
        raise CsrfFailed()

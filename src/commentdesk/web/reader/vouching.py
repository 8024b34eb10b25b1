"""A subscriber's token on our own pages (JavaScript off): kept in a cookie, checked.

A host page's plain form posts the publisher's token to ``/articles/{key}/subscriber``
(``web/reader/subscriber.py``); we keep it as it came, in an ``HttpOnly`` cookie per site
that lives no longer than the token itself. It is the publisher's signed token, checked
again on every use, so the cookie needs no signature of ours; it never holds more than
the token (``subscribers.TOKEN_MAX``). The comment form then posts as that subscriber.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from commentdesk.desk import Desk
from commentdesk.errors import SubscriberTokenInvalid
from commentdesk.i18n import Message
from commentdesk.subscribers import Subscriber
from commentdesk.web.cookies import Cookies

#: The form field saying the page showed the subscriber's form (no pseudonym field):
#: a post with it and no cookie (expired meanwhile) is refused, never made anonymous.
FIELD = "as_subscriber"


def cookie_name(site_id: int) -> str:
    return f"cd_subscriber_{site_id}"


def remember(response: Response, cookies: Cookies, site_id: int, token: str, lifetime: int) -> None:
    cookies.set(response, cookie_name(site_id), token, max_age=max(lifetime, 1))


def forget(response: Response, cookies: Cookies, site_id: int) -> None:
    cookies.clear(response, cookie_name(site_id))


def token_of(request: Request, site_id: int) -> str | None:
    return request.cookies.get(cookie_name(site_id))


@dataclass(frozen=True, slots=True)
class Standing:
    """Who the form posts as: a subscriber, or nobody (with why, if a token failed)."""

    subscriber: Subscriber | None = None
    problem: Message | None = None


def standing(request: Request, desk: Desk, site_id: int) -> Standing:
    """The subscriber the request's cookie vouches for, checked now."""
    token = token_of(request, site_id)
    if token is None:
        return Standing()
    try:
        return Standing(desk.subscribers.vouched(site_id, token))
    except SubscriberTokenInvalid as exc:
        return Standing(problem=exc.message)


def vouched_token(
    request: Request, desk: Desk, site_id: int, *, as_subscriber: bool
) -> Subscriber | None:
    """For a post of the comment form: the subscriber it is from, or None for an
    anonymous one. Raises ``SubscriberTokenInvalid`` for a bad token, and for a form
    shown to a subscriber that comes back without the cookie (it expired meanwhile)."""
    token = token_of(request, site_id)
    if token is None:
        if as_subscriber:
            raise SubscriberTokenInvalid("expired")
        return None
    return desk.subscribers.vouched(site_id, token)

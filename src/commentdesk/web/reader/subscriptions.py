"""The links in our mail: confirm an address (double opt-in), or unsubscribe.

A ``GET`` only shows a page with one button: mail scanners open links by themselves,
and must not confirm or unsubscribe anyone. The button's ``POST`` does it. The
unsubscribe ``POST`` is also the RFC 8058 one-click target a mail client calls with
``List-Unsubscribe=One-Click``. These forms carry no CSRF token: the signed link is the
only authority, and a page that does not hold it cannot forge the request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from commentdesk.errors import CommentdeskError
from commentdesk.notify.tokens import Purpose
from commentdesk.web.deps import get_desk
from commentdesk.web.reader.pages import problem_page, render

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Form()]


def _page(request: Request, mode: str, token: str, *, done: str | None = None) -> Response:
    context = {"mode": mode, "token": token, "done": done}
    return render(request, "rights/subscription.html", context, site=None, status=200)


@router.get("/notifications/confirm")
def confirm_page(request: Request, t: str = "") -> Response:
    """Asks the reader to press the button that confirms their address."""
    try:
        get_desk(request).subscriptions.check(Purpose.CONFIRM, t)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    return _page(request, "confirm", t)


@router.post("/notifications/confirm")
def confirm(request: Request, t: Token = "") -> Response:
    """Confirms the address: mail about the reader's comments may follow."""
    try:
        outcome = get_desk(request).subscriptions.confirm(t)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    return _page(request, "confirm", t, done=outcome.value)


@router.get("/notifications/unsubscribe")
def unsubscribe_page(request: Request, t: str = "") -> Response:
    """Asks the reader to press the button that stops all mail."""
    try:
        get_desk(request).subscriptions.check(Purpose.UNSUBSCRIBE, t)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    return _page(request, "unsubscribe", t)


@router.post("/notifications/unsubscribe")
def unsubscribe(
    request: Request, t: str = "", form_t: Annotated[str, Form(alias="t")] = ""
) -> Response:
    """Stops all mail to the address; the token comes in the query (one-click) or the form."""
    token = t or form_t
    try:
        get_desk(request).subscriptions.unsubscribe(token)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    return _page(request, "unsubscribe", token, done="unsubscribed")

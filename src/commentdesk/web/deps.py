"""Request-scoped helpers the views share: the desk, and who is asking."""

from __future__ import annotations

from fastapi import Request

from commentdesk.desk import Desk
from commentdesk.errors import Forbidden, NotAuthenticated
from commentdesk.model import Moderator, Role


def get_desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def current_moderator(request: Request) -> Moderator:
    """The moderator behind ``Authorization: Bearer TOKEN``, or a console session."""
    desk = get_desk(request)
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return desk.accounts.authenticate_token(token.strip())
    session_check = getattr(request.app.state, "session_moderator", None)
    if session_check is not None:
        moderator: Moderator | None = session_check(request)
        if moderator is not None:
            return moderator
    raise NotAuthenticated(
        "Log in to the console, or send 'Authorization: Bearer TOKEN' "
        "(make one with `commentdesk token create NAME`)."
    )


def current_admin(request: Request) -> Moderator:
    moderator = current_moderator(request)
    if moderator.role is not Role.ADMIN:
        raise Forbidden("Only an admin can do this.")
    return moderator

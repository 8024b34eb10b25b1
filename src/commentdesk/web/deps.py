"""Request-scoped helpers the views share: the desk, and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from commentdesk.desk import Desk
from commentdesk.errors import Forbidden, NotAuthenticated
from commentdesk.model import Moderator, Role
from commentdesk.settings import Settings
from commentdesk.web.cookies import Cookies


def get_desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def get_settings(request: Request) -> Settings:
    """The settings the app was built from (``create_app`` keeps them on the app)."""
    settings: Settings = request.app.settings
    return settings


def get_cookies(request: Request) -> Cookies:
    """The one cookie policy, with ``Secure`` as the settings say."""
    return Cookies(secure=get_settings(request).cookie_secure)


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


DeskDep = Annotated[Desk, Depends(get_desk)]
ModeratorDep = Annotated[Moderator, Depends(current_moderator)]
AdminDep = Annotated[Moderator, Depends(current_admin)]

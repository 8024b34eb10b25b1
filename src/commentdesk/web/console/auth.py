"""Console sign-in and one's own account: sign in, sign out, password, API tokens.

Signing in makes a fresh session id every time (and ends the one the browser had),
so a session id planted before sign-in is worth nothing after it. The cookie is
``HttpOnly`` and ``SameSite=Lax``, and ``Secure`` when the site is served over HTTPS.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk.login_throttle import LoginThrottled
from commentdesk.desk.sessions import SESSION_MAX, SignedIn
from commentdesk.errors import (
    CommentdeskError,
    InvalidInput,
    NotAuthenticated,
    PasswordSignInOff,
)
from commentdesk.model import Moderator
from commentdesk.web.console.base import (
    SESSION_COOKIE,
    Form,
    Me,
    console_router,
    redirect,
    render,
    safe_back,
    session_moderator,
)
from commentdesk.web.deps import get_cookies, get_desk, get_settings
from commentdesk.web.errors import status_for

router = console_router()


def _address(request: Request) -> str:
    """The client address, used only as input to a keyed, daily-salted hash."""
    return request.client.host if request.client else "unknown"


def login_form(
    request: Request, back: str, *, name: str = "", error: str | None = None, status: int = 200
) -> Response:
    """The sign-in page: the password form (unless switched off) and the provider's button."""
    provider = get_desk(request).sign_on.provider
    context = {
        "next": back,
        "name": name,
        "error": error,
        "passwords": get_settings(request).console_password_sign_in,
        "provider": provider.name if provider else None,
    }
    return render(request, "console/login.html", context, status=status)


@router.get("/login")
def login_page(request: Request, next: str = "/console") -> Response:
    if session_moderator(request) is not None:
        return redirect(safe_back(next))
    return login_form(request, safe_back(next))


@router.post("/login")
def login(request: Request, form: Form) -> Response:
    desk = get_desk(request)
    name, back = form.get("name").strip(), safe_back(form.get("next"))
    try:
        signed = desk.sessions.login(name, form.get("password"), _address(request))
    except (NotAuthenticated, LoginThrottled, PasswordSignInOff) as exc:
        status = 429 if isinstance(exc, LoginThrottled) else status_for(exc)
        return login_form(request, back, name=name, error=exc.message, status=status)
    return signed_in_to(request, signed, back)


def signed_in_to(request: Request, signed: SignedIn, back: str) -> Response:
    """Ends the session the browser had, and sets the new one: off to ``back``."""
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        get_desk(request).sessions.logout(old)
    response = redirect(back)
    get_cookies(request).set(
        response, SESSION_COOKIE, signed.session_id, max_age=int(SESSION_MAX.total_seconds())
    )
    return response


@router.post("/logout")
def logout(request: Request, form: Form) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        get_desk(request).sessions.logout(session_id)
    response = redirect("/console/login?bye=1")
    get_cookies(request).clear(response, SESSION_COOKIE)
    return response


def _account(request: Request, me: Moderator, status: int = 200, **extra: object) -> Response:
    desk = get_desk(request)
    context = {
        "tokens": desk.staff.tokens(me),
        "has_password": desk.accounts.has_password(me.id),
        "provider": desk.sign_on.provider.name if desk.sign_on.provider else None,
        "new_token": None,
        "error": None,
        "field": None,
        "done": request.query_params.get("done"),
        **extra,
    }
    return render(request, "console/account.html", context, status=status)


@router.get("/account")
def account(request: Request, me: Me) -> Response:
    return _account(request, me)


@router.post("/account/password")
def change_password(request: Request, me: Me, form: Form) -> Response:
    new = form.get("password")
    try:
        if new != form.get("password_again"):
            raise InvalidInput("password_again", "The two new passwords differ; type them again.")
        get_desk(request).staff.change_password(
            me, form.get("current_password"), new, keep_session=request.cookies.get(SESSION_COOKIE)
        )
    except CommentdeskError as exc:
        return _account(request, me, status_for(exc), error=exc.message, field=exc.field)
    return redirect("/console/account?done=password")


@router.post("/account/tokens")
def create_token(request: Request, me: Me, form: Form) -> Response:
    token = get_desk(request).staff.create_token(me, form.get("label"))
    return _account(request, me, new_token=token)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: int, request: Request, me: Me, form: Form) -> Response:
    get_desk(request).staff.revoke_token(me, token_id)
    return redirect(safe_back(form.get("back"), "/console/account?done=revoked"))

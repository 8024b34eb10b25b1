"""What every console view shares: who is signed in, CSRF, and rendering.

The console is for signed-in moderators only. A page asked for without a session
redirects to the sign-in form; a form sent without one answers 401. Every POST
carries the CSRF token (a hidden field, or ``X-CSRF-Token`` from console.js), checked
before anything else happens. Views parse and render; the desk decides and writes.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from commentdesk.desk import Desk
from commentdesk.errors import CommentdeskError, Forbidden, InvalidInput, NotAuthenticated
from commentdesk.i18n import N_, Language
from commentdesk.model import Moderator, Role
from commentdesk.web import csrf, i18n
from commentdesk.web.console import labels
from commentdesk.web.deps import get_cookies, get_desk
from commentdesk.web.errors import from_exception, status_for

SESSION_COOKIE = "cd_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(NotAuthenticated):
    code = "login_required"

    def __init__(self) -> None:
        super().__init__(N_("Please sign in to the console again; your session has ended."))


def session_moderator(request: Request) -> Moderator | None:
    """The moderator signed in with this browser's session cookie, or None.

    Installed as ``app.state.session_moderator`` so the JSON moderation API accepts a
    console session too; for those calls a state-changing method needs the CSRF
    header as well, since the browser sends the cookie by itself.
    """
    if "console_moderator" in request.scope.get("state", {}):
        found: Moderator | None = request.state.console_moderator
        return found
    session_id = request.cookies.get(SESSION_COOKIE, "")
    moderator = get_desk(request).sessions.moderator_for(session_id) if session_id else None
    request.state.console_moderator = moderator
    api_write = request.method not in SAFE_METHODS and not request.url.path.startswith("/console")
    if moderator is not None and api_write:  # console forms check their own field
        csrf.verify(request, get_desk(request).context.secret, request.headers.get(csrf.HEADER))
    return moderator


def signed_in(request: Request) -> Moderator:
    """Dependency: the signed-in moderator, else ``LoginRequired``."""
    moderator = session_moderator(request)
    if moderator is None:
        raise LoginRequired()
    return moderator


def admin(request: Request) -> Moderator:
    """Dependency: a signed-in admin, else ``Forbidden``."""
    moderator = signed_in(request)
    if moderator.role is not Role.ADMIN:
        raise Forbidden("Only an admin can open this part of the console.")
    return moderator


class Fields:
    """A posted form's text fields (files are ignored: the console takes none)."""

    def __init__(self, form: FormData) -> None:
        self._form = form

    def get(self, name: str, default: str = "") -> str:
        value = self._form.get(name)
        return value if isinstance(value, str) else default

    def getlist(self, name: str) -> list[str]:
        return [v for v in self._form.getlist(name) if isinstance(v, str)]

    def flag(self, name: str) -> bool:
        return self.get(name) in ("on", "1", "true", "yes")

    def names(self) -> list[str]:
        return list(self._form.keys())


async def checked_form(request: Request) -> Fields:
    """Dependency for POST views: the form's fields once its CSRF token checks out."""
    fields = Fields(await request.form())
    submitted = fields.get(csrf.FIELD) or request.headers.get(csrf.HEADER)
    csrf.verify(request, get_desk(request).context.secret, submitted)
    return fields


def wants_json(request: Request) -> bool:
    """console.js asks for JSON to update the page in place; forms get HTML."""
    return "application/json" in request.headers.get("accept", "")


def safe_back(value: str | None, default: str = "/console") -> str:
    """A console-local address to go back to; anything else becomes ``default``."""
    if value and value.startswith("/console") and "//" not in value and "\\" not in value:
        return value
    return default


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def render(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> Response:
    """A console page: CSRF token and cookie, who is signed in, never cached.

    In the moderator's chosen language, else their browser's (``commentdesk.web.i18n``).
    """
    desk: Desk = get_desk(request)
    moderator = request.scope.get("state", {}).get("console_moderator")
    templates: Jinja2Templates = request.app.state.templates
    page = templates.TemplateResponse(
        request,
        template,
        {
            **i18n.template_context(request, console_language(request)),
            "csrf_token": csrf.token_for(request, desk.context.secret),
            "me": moderator,
            "is_admin": moderator is not None and moderator.role is Role.ADMIN,
            "path": request.url.path,
            "now": desk.context.clock(),
            "labels": labels,  # stored codes, named in the page's language
            **context,
        },
        status_code=status,
    )
    page.headers["Cache-Control"] = "no-store"
    csrf.set_cookie(request, page, get_cookies(request))
    return page


def console_language(request: Request) -> Language:
    """The console's language: no site's, and no ``?lang=`` (the queue's filter)."""
    return i18n.language_for(request, links=False)


#: Fields a moderator types, shown again to be fixed when a form comes back refused.
TYPED = ("body", "reason", "note")


def problem(request: Request, exc: CommentdeskError, sent: Fields | None = None) -> Response:
    """The error as JSON for console.js, or as a console page for a plain form: with
    ``sent`` (a refused form), the page holds the form again, what was typed and
    selected kept, the problem next to its field, to fix and send again."""
    if wants_json(request):
        return from_exception(exc, console_language(request))
    context: dict[str, Any] = {"message": exc.message, "status": status_for(exc), "resend": None}
    if sent is not None:
        names = dict.fromkeys(name for name in sent.names() if name != csrf.FIELD)
        context["resend"] = {
            "action": request.url.path,
            "typed": [(name, sent.get(name)) for name in TYPED if name in names],
            "kept": [(n, v) for n in names if n not in TYPED for v in sent.getlist(n)],
            "selected": len(sent.getlist("ids")),
            # The desk names a moderator's reason "reason"; the console's forms say "note".
            "field": "note" if exc.field == "reason" and "reason" not in names else exc.field,
            "back": safe_back(sent.get("back")),
        }
    return render(request, "console/problem.html", context, status=status_for(exc))


async def on_console_error(request: Request, exc: Exception) -> Response:
    """Errors raised inside console views: sign-in redirects, or a readable page."""
    assert isinstance(exc, CommentdeskError)
    if isinstance(exc, LoginRequired) and request.method in SAFE_METHODS:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return redirect(f"/console/login?next={quote(here, safe='/')}")
    return problem(request, exc, await _refused_form(request, exc))


async def _refused_form(request: Request, exc: CommentdeskError) -> Fields | None:
    """The form to offer again: a refused value only, from a form whose CSRF token
    checked out (a forged post is never turned into a form to send)."""
    if request.method != "POST" or not isinstance(exc, InvalidInput) or wants_json(request):
        return None
    sent = Fields(await request.form())
    try:
        csrf.verify(request, get_desk(request).context.secret, sent.get(csrf.FIELD))
    except csrf.CsrfFailed:
        return None
    return sent


class ConsoleRoute(APIRoute):
    """A console route: desk errors become console pages (or JSON for console.js),
    and a page asked for without a session redirects to the sign-in form."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except CommentdeskError as exc:
                return await on_console_error(request, exc)

        return handler


def console_router() -> APIRouter:
    return APIRouter(prefix="/console", include_in_schema=False, route_class=ConsoleRoute)


Me = Annotated[Moderator, Depends(signed_in)]
Admin = Annotated[Moderator, Depends(admin)]
Form = Annotated[Fields, Depends(checked_form)]

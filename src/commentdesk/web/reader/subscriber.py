"""The no-script door for a publisher's subscriber: the host page posts its token here.

``POST /articles/{key}/subscriber`` takes the field ``token`` from a plain form on the
publisher's page (a top-level navigation, so our cookie is first-party), checks it, keeps
it in a short-lived cookie (``web/reader/vouching.py``) and answers ``303`` to the
article's comment form, which then posts as that subscriber. No CSRF token: the host
page cannot have ours, and the publisher's signature is what is trusted. A bad token
answers ``422`` with a page saying what failed. ``POST …/subscriber/leave`` (from our
page, CSRF-protected) forgets it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from commentdesk.errors import CommentdeskError
from commentdesk.web import csrf
from commentdesk.web.deps import get_cookies, get_desk
from commentdesk.web.reader import vouching
from commentdesk.web.reader.pages import article_of, problem_page

router = APIRouter(include_in_schema=False)


@router.post("/articles/{key}/subscriber")
def sign_in(key: str, request: Request, token: Annotated[str, Form()] = "") -> Response:
    """Keeps the publisher's token for this site; ``303`` to the comment form."""
    desk = get_desk(request)
    try:
        article = article_of(request, key)
        site = desk.catalog.site(article.site_id)
        subscriber = desk.subscribers.vouched(site.id, token)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    redirect = RedirectResponse(f"/articles/{article.key}#comment-form", status_code=303)
    lifetime = subscriber.expires_at - int(desk.context.clock().timestamp())
    vouching.remember(redirect, get_cookies(request), site.id, token, lifetime)
    return redirect


@router.post("/articles/{key}/subscriber/leave")
def leave(
    key: str, request: Request, csrf_token: Annotated[str, Form(alias=csrf.FIELD)] = ""
) -> Response:
    """Forgets the subscriber's token: the form is anonymous again."""
    desk = get_desk(request)
    try:
        article = article_of(request, key)
        csrf.verify(request, desk.context.secret, csrf_token)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    redirect = RedirectResponse(f"/articles/{article.key}#comment-form", status_code=303)
    vouching.forget(redirect, get_cookies(request), article.site_id)
    return redirect

"""Reader rights on the web: the privacy page, download and erase, with or without script.

A reader proves who they are by the browser that wrote their comments (the commenter
cookie, or ``X-Commenter-Key`` for the JSON API, as embed.js sends it) or by a link
mailed to their address. The HTML forms carry the CSRF token (the cookie alone would
otherwise be enough for a cross-site page to erase someone); the JSON API needs the
header, which a cross-site page cannot send without our CORS consent.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Request
from pydantic import BaseModel
from starlette.responses import Response

from commentdesk.desk.retention import OUTBOX_DAYS
from commentdesk.desk.rights import Proof
from commentdesk.errors import CommentdeskError, Forbidden, InvalidInput
from commentdesk.web import csrf
from commentdesk.web.deps import get_cookies, get_desk, get_settings
from commentdesk.web.errors import documented, status_for
from commentdesk.web.middleware.kept import ReadCache
from commentdesk.web.reader import commenter
from commentdesk.web.reader import tokens as reader_tokens
from commentdesk.web.reader.pages import problem_page, render
from commentdesk.web.reader.threadcache import ThreadCache

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/rights", tags=["readers"])
FormText = Annotated[str, Form()]
CsrfField = Annotated[str, Form(alias=csrf.FIELD)]
ERRORS = documented(400, 403, 413, 422, 503)


class EraseIn(BaseModel):
    remove_text: bool = False


class ErasedOut(BaseModel):
    erased: int
    text_removed: bool


class NoProof(Forbidden):
    code = "no_commenter_key"

    def __init__(self) -> None:
        super().__init__(
            "This browser holds no commenter key, so it wrote no comments here that we "
            "could show. Use the browser you commented with, or ask for a link by email.",
            field="X-Commenter-Key",
        )


def _browser_key(request: Request) -> str | None:
    """The commenter key the request carries, or None (``commenter_key`` makes one up)."""
    key = commenter.commenter_key(request)
    return None if getattr(request.state, "new_commenter_key", None) else key


def _download(document: dict[str, Any]) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="my-comments.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/privacy")
def privacy(request: Request) -> Response:
    """What is stored, why and for how long: written from this server's real settings."""
    settings = get_settings(request)
    context = {
        "settings": settings,
        "email_on": settings.smtp_host is not None,
        "outbox_days": OUTBOX_DAYS,
        "commenter_days": commenter.ONE_YEAR // 86400,
        "own_days": reader_tokens.MAX_AGE // 86400,
    }
    return render(request, "rights/privacy.html", context, site=None, status=200)


def _rights_page(
    request: Request, *, status: int = 200, token: str = "", problem: str | None = None
) -> Response:
    desk = get_desk(request)
    key = _browser_key(request)
    proof: Proof | None = None
    if token:
        proof = desk.rights.by_link(token)
    elif key:
        proof = desk.rights.by_browser(key)
    context = {
        "count": desk.rights.count(proof) if proof else 0,
        "proof": proof.kind.value if proof else None,
        "token": token,
        "email_on": desk.context.settings.smtp_host is not None,
        "problem": problem,
    }
    return render(request, "rights/rights.html", context, site=None, status=status)


@router.get("/rights")
def rights_page(request: Request) -> Response:
    """Download or erase what this browser wrote, or ask for a link by email."""
    return _rights_page(request)


@router.get("/rights/email")
def rights_by_link(request: Request, t: str = "") -> Response:
    """The page a mailed access link opens: the same choices, for that address."""
    try:
        return _rights_page(request, token=t)
    except CommentdeskError as exc:
        return problem_page(request, exc)


def _proof(request: Request, token: str) -> Proof:
    desk = get_desk(request)
    if token:
        return desk.rights.by_link(token)
    key = _browser_key(request)
    if key is None:
        raise NoProof()
    return desk.rights.by_browser(key)


@router.post("/rights/export")
def export(request: Request, t: FormText = "", csrf_token: CsrfField = "") -> Response:
    """Everything stored about the reader, as a JSON download."""
    desk = get_desk(request)
    try:
        csrf.verify(request, desk.context.secret, csrf_token)
        return _download(desk.rights.export(_proof(request, t)))
    except CommentdeskError as exc:
        return problem_page(request, exc)


@router.post("/rights/erase")
def erase(
    request: Request,
    t: FormText = "",
    remove_text: FormText = "",
    confirm: FormText = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Erases the reader's name and address (and text, if ticked) from every comment."""
    desk = get_desk(request)
    try:
        csrf.verify(request, desk.context.secret, csrf_token)
        proof = _proof(request, t)
        if not confirm:
            raise InvalidInput("confirm", "Tick the box to confirm: erasure cannot be undone.")
        done = desk.rights.erase(proof, remove_text=bool(remove_text))
        _forget_rendered(request)
    except InvalidInput as exc:
        return _rights_page(request, status=status_for(exc), token=t, problem=exc.message)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    page = render(request, "rights/erased.html", {"done": done}, site=None, status=200)
    if not t:  # this browser's keys now point at nothing: forget them too
        cookies = get_cookies(request)
        cookies.clear(page, commenter.COOKIE)
        reader_tokens.write(page, {}, cookies)
    return page


@router.post("/rights/email")
def ask_for_link(request: Request, email: FormText = "", csrf_token: CsrfField = "") -> Response:
    """Mails an access link, if the address is known; the answer is the same either way."""
    desk = get_desk(request)
    try:
        csrf.verify(request, desk.context.secret, csrf_token)
        desk.rights.request_link(email)
    except InvalidInput as exc:
        return _rights_page(request, status=status_for(exc), problem=exc.message)
    except CommentdeskError as exc:
        return problem_page(request, exc)
    return render(request, "rights/link_sent.html", {}, site=None, status=200)


CommenterKey = Annotated[str | None, Header(alias="X-Commenter-Key")]


def _api_proof(request: Request, key: str | None) -> Proof:
    if not key or _browser_key(request) != key:
        raise NoProof()
    return get_desk(request).rights.by_browser(key)


@api.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}, **ERRORS},
)
def api_export(request: Request, x_commenter_key: CommenterKey = None) -> Response:
    """Everything stored about the comments written with this commenter key."""
    return _download(get_desk(request).rights.export(_api_proof(request, x_commenter_key)))


@api.post("/erase", response_model=ErasedOut, responses=ERRORS)
def api_erase(
    payload: EraseIn, request: Request, x_commenter_key: CommenterKey = None
) -> ErasedOut:
    """Erases name and address (and text, with ``remove_text``) of this key's comments."""
    proof = _api_proof(request, x_commenter_key)
    done = get_desk(request).rights.erase(proof, remove_text=payload.remove_text)
    _forget_rendered(request)
    return ErasedOut(erased=done.comments, text_removed=done.text_removed)


def _forget_rendered(request: Request) -> None:
    """Drops this process's rendered threads, which may hold the erased words or name.

    Other processes replace a thread's body at its next read (its version moved)."""
    cache: ThreadCache = request.app.state.thread_cache
    cache.clear()
    kept: ReadCache = request.app.state.read_cache
    kept.clear()

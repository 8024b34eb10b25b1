"""A site's word lists (admins): one word added through a small form, or the whole JSON
document per language edited in a textarea.

A document the desk refuses re-renders with the admin's text kept and the problem next
to the field (422); a saved one answers ``303`` back with a notice, and the site's
compiled lists are dropped so the next submission is screened with the new ones.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk.wordlists import LANGUAGES
from commentdesk.errors import CommentdeskError, NotFound
from commentdesk.web.console.base import (
    Admin,
    Form,
    console_router,
    redirect,
    render,
)
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import status_for

router = console_router()
PATH = "/settings/sites/{site_id}/wordlists/{language}"


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise NotFound("Word lists exist for English (en) and Korean (ko).", field="language")
    return language


def _page(
    request: Request,
    site_id: int,
    language: str,
    *,
    document: str | None = None,
    error: CommentdeskError | None = None,
    adding: dict[str, str] | None = None,
) -> Response:
    desk = get_desk(request)
    site = desk.site_settings.policy(site_id).site  # raises NotFound for an unknown site
    language = _language(language)
    if document is None:
        document = desk.word_lists.document(site_id, language)
    context = {
        "site": site,
        "list_language": language,  # not "language": that is the page's own (templating)
        "languages": LANGUAGES,
        "document": document,
        "error": error.message if error and adding is None else None,
        "done": request.query_params.get("done", ""),
        # A refused "add a word" keeps what was typed, with the problem beside it.
        "adding": adding or {"text": "", "kind": "banned", "mode": "word"},
        "add_error": error.message if error and adding is not None else None,
    }
    status = status_for(error) if error else 200
    return render(request, "console/wordlists.html", context, status=status)


@router.get(PATH)
def word_list(site_id: int, language: str, request: Request, me: Admin) -> Response:
    return _page(request, site_id, language)


@router.post(PATH)
def save_word_list(
    site_id: int, language: str, request: Request, me: Admin, form: Form
) -> Response:
    desk = get_desk(request)
    desk.site_settings.policy(site_id)  # an unknown site is a 404, not a list saved for nothing
    language = _language(language)
    document = form.get("document")
    try:
        desk.word_lists.save(me, site_id, language, document)
    except CommentdeskError as exc:
        return _page(request, site_id, language, document=document, error=exc)
    return redirect(f"/console{PATH.format(site_id=site_id, language=language)}?done=saved")


@router.post(PATH + "/add")
def add_word(site_id: int, language: str, request: Request, me: Admin, form: Form) -> Response:
    """One word or phrase added (or relisted) without touching the JSON document."""
    desk = get_desk(request)
    desk.site_settings.policy(site_id)  # an unknown site is a 404
    language = _language(language)
    adding = {"text": form.get("text"), "kind": form.get("kind"), "mode": form.get("mode")}
    try:
        desk.word_lists.add(me, site_id, language, **adding)
    except CommentdeskError as exc:
        return _page(request, site_id, language, error=exc, adding=adding)
    return redirect(f"/console{PATH.format(site_id=site_id, language=language)}?done=added")

"""The author's statement of reasons, reached by its signed link, and their one contest.

Plain pages and one plain form (JavaScript off works): the contest answers ``303`` back
to the statement with a notice, or the page again with the words kept and the problem
next to them (``422`` for the words, ``403`` for an expired form, ``409`` when the
decision was contested already).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from commentdesk.errors import CommentdeskError, InvalidInput
from commentdesk.web import csrf, i18n
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import status_for
from commentdesk.web.reader.pages import CsrfField, FormText, problem_page, render
from commentdesk.web.reader.text import linkify

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    token: str,
    *,
    status: int = 200,
    text: str = "",
    error: CommentdeskError | None = None,
) -> Response:
    desk = get_desk(request)
    try:
        site = desk.statements.site_of(token)
        language = i18n.language_for(request, site)
        found, statement = desk.statements.read(token, language.code)
    except CommentdeskError as exc:
        return problem_page(request, exc, kept=text)
    field_error = isinstance(error, InvalidInput)
    notice = request.query_params.get("notice")
    context = {
        "comment": found,
        "body": linkify(found.body),
        "statement": statement,
        "token": token,
        "notice": notice if notice == "contested" else None,
        "contest_text": text,
        "contest_error": error.message if error and field_error else None,
        "problem": error.message if error and not field_error else None,
    }
    return render(
        request, "reader/statement.html", context, site=site, status=status, language=language
    )


@router.get("/statements/{token}")
def statement_page(token: str, request: Request) -> Response:
    """Why the comment was rejected or edited, and the contest form or its outcome."""
    return _page(request, token)


@router.post("/statements/{token}/contest")
def contest(
    token: str, request: Request, text: FormText = "", csrf_token: CsrfField = ""
) -> Response:
    """Contests the decision once; ``303`` back to the statement with a notice."""
    desk = get_desk(request)
    try:
        csrf.verify(request, desk.context.secret, csrf_token)
        desk.statements.contest(token, text)
    except CommentdeskError as exc:
        return _page(request, token, status=status_for(exc), text=text, error=exc)
    return RedirectResponse(f"/statements/{token}?notice=contested#notice", status_code=303)

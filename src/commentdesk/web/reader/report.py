"""The reader's report of a published comment, and notice of illegal content.

A report asks a moderator to look again. Its "illegal content" choice leads to a
second page, the notice (EU Digital Services Act, article 16), so it works with
JavaScript off; the page is also linked on its own. The notice asks for what article 16 lists (an
explanation, the law concerned, the notifier's name and address unless the offence
exempts them, a statement of good faith); the comment's address is known. Errors
answer ``422`` with the page again, everything typed kept and every problem beside its
field; a notice sent answers ``303`` back to the thread with a thank-you.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from commentdesk.errors import CommentdeskError, FieldsInvalid, NotFound
from commentdesk.i18n import N_, Message
from commentdesk.model import Article
from commentdesk.notices import CATEGORY_NAMES, NoticeDraft
from commentdesk.validation import clean_reason
from commentdesk.web import csrf, i18n
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import status_for
from commentdesk.web.reader import commenter
from commentdesk.web.reader.pages import _thread_url, article_of, problem_page, render
from commentdesk.web.reader.view import comment_view

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
CsrfField = Annotated[str, Form(alias=csrf.FIELD)]

#: Why a reader reports a comment; the words live in the template. "illegal" leads on
#: to the notice page.
REPORT_REASONS = ("spam", "abuse", "hate", "privacy", "other", "illegal")
#: The notice page's fields, in the order their errors are read out.
FIELDS = ("category", "law", "explanation", "exempt", "name", "email", "good_faith")
#: What one field may hold before it is refused unread (the desk's limits are smaller).
FIELD_CAP = 20_000


@dataclass(slots=True)
class NoticeForm:
    """The notice as the reader typed it, and what is wrong with it."""

    category: str = ""
    law: str = ""
    explanation: str = ""
    name: str = ""
    email: str = ""
    exempt: bool = False
    good_faith: bool = False
    errors: dict[str, Message] = field(default_factory=dict)

    @property
    def first_invalid(self) -> str | None:
        return next((name for name in FIELDS if name in self.errors), None)

    def draft(self) -> NoticeDraft:
        return NoticeDraft(
            category=self.category,
            law=self.law,
            explanation=self.explanation,
            name=self.name,
            email=self.email,
            exempt=self.exempt,
            good_faith=self.good_faith,
        )


def _page_about_comment(
    request: Request,
    article: Article,
    comment_id: int,
    template: str,
    context: Mapping[str, object],
    *,
    kept: str,
    status: int,
) -> Response:
    """``template`` under the published comment it is about, or a page saying it is gone
    (with what the reader typed, ``kept``)."""
    desk = get_desk(request)
    site = desk.catalog.site(article.site_id)
    try:
        comment = desk.threads.published_on(article, comment_id)
    except NotFound:
        gone = NotFound(N_("There is no published comment %(id)s here."), field="id", id=comment_id)
        return problem_page(request, gone, kept=kept, site=site)
    language = i18n.language_for(request, site)
    shown = comment_view(comment, desk.context.clock(), locale=language.code)
    context = {"article": article, "comment": shown, "site": site, **context}
    return render(request, template, context, site=site, status=status, language=language)


def _report_page(
    request: Request,
    article: Article,
    comment_id: int,
    *,
    status: int = 200,
    reason: str = "",
    details: str = "",
    error: str | None = None,
) -> Response:
    context = {"reasons": REPORT_REASONS, "reason": reason, "details": details, "error": error}
    return _page_about_comment(
        request, article, comment_id, "reader/report.html", context, kept=details, status=status
    )


@router.get("/articles/{key}/comments/{comment_id}/report")
def report_form(key: str, comment_id: int, request: Request) -> Response:
    """Asks why a published comment should be looked at again."""
    try:
        article = article_of(request, key)
    except NotFound as exc:
        return problem_page(request, exc)
    return _report_page(request, article, comment_id)


@router.post("/articles/{key}/comments/{comment_id}/report")
def report(
    key: str,
    comment_id: int,
    request: Request,
    reason: FormText = "",
    details: FormText = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Sends a report to the moderators; ``303`` back to the comment with a thank-you."""
    desk = get_desk(request)
    code = reason if reason in REPORT_REASONS else "other"
    try:
        article = article_of(request, key)
        if code == "illegal":  # on to the notice, with what was typed so far
            notice = NoticeForm(explanation=details[:FIELD_CAP])
            return notice_page(request, article, comment_id, notice)
        csrf.verify(request, desk.context.secret, csrf_token)
        text = clean_reason(f"{code}: {details}" if details.strip() else code, required=True)
        desk.threads.published_on(article, comment_id)
        desk.comments.report(comment_id, text)
    except NotFound as exc:
        return problem_page(request, exc, kept=details)
    except CommentdeskError as exc:
        return _report_page(
            request,
            article,
            comment_id,
            status=status_for(exc),
            reason=code,
            details=details,
            error=exc.message,
        )
    return RedirectResponse(_thread_url(article, "reported"), status_code=303)


def notice_page(
    request: Request, article: Article, comment_id: int, form: NoticeForm, *, status: int = 200
) -> Response:
    """The notice form under the comment it is about (its location, known already)."""
    context = {
        "form": form,
        "categories": [(code, Message(name)) for code, name in CATEGORY_NAMES.items()],
        "location": f"{request.base_url}articles/{article.key}#comment-{comment_id}",
    }
    return _page_about_comment(
        request, article, comment_id, "reader/notice.html", context,
        kept=form.explanation, status=status,
    )  # fmt: skip


@router.get("/articles/{key}/comments/{comment_id}/notice")
def notice_form(key: str, comment_id: int, request: Request) -> Response:
    """Asks for a notice of illegal content about a published comment."""
    try:
        article = article_of(request, key)
    except NotFound as exc:
        return problem_page(request, exc)
    return notice_page(request, article, comment_id, NoticeForm())


@router.post("/articles/{key}/comments/{comment_id}/notice")
def send_notice(
    key: str,
    comment_id: int,
    request: Request,
    category: FormText = "",
    law: FormText = "",
    explanation: FormText = "",
    name: FormText = "",
    email: FormText = "",
    exempt: FormText = "",
    good_faith: FormText = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Files the notice; ``303`` back to the thread, or the page again with the problems."""
    desk = get_desk(request)
    form = NoticeForm(
        category=category[:64],
        law=law[:FIELD_CAP],
        explanation=explanation[:FIELD_CAP],
        name=name[:FIELD_CAP],
        email=email[:FIELD_CAP],
        exempt=bool(exempt),
        good_faith=bool(good_faith),
    )
    try:
        article = article_of(request, key)
    except NotFound as exc:
        return problem_page(request, exc, kept=form.explanation)
    try:
        csrf.verify(request, desk.context.secret, csrf_token)
        site = desk.catalog.site(article.site_id)
        desk.threads.published_on(article, comment_id)
        language = i18n.language_for(request, site).code
        address = commenter.client_address(request)
        desk.notices.file(comment_id, form.draft(), language=language, address=address)
    except FieldsInvalid as exc:
        form.errors = dict(exc.problems)
        return notice_page(request, article, comment_id, form, status=422)
    except NotFound:
        return notice_page(request, article, comment_id, form)  # says the comment is gone
    except CommentdeskError as exc:  # an expired form, too many notices: above the form
        form.errors = {"": exc.message}
        return notice_page(request, article, comment_id, form, status=status_for(exc))
    return RedirectResponse(_thread_url(article, "noticed"), status_code=303)

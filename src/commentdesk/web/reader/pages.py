"""The reader's pages, complete with JavaScript off (Tor Browser at "safest").

Every action is a plain HTML form: post a comment or a reply, fix or delete one's own
pending comment, report a published one. Each answers ``303`` back to the thread with a
notice, or shows the page again with what the reader typed kept and the problem next to
it: ``422`` for a field, ``403`` for an expired form, whatever the desk's error maps to
otherwise. Views parse and render; the desk decides and writes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from commentdesk.desk import Desk, Draft
from commentdesk.desk.comments import check_draft
from commentdesk.errors import (
    CommentdeskError,
    FieldsInvalid,
    InvalidInput,
    NotFound,
    SubscriberTokenInvalid,
)
from commentdesk.i18n import N_, Language, Message
from commentdesk.model import Article, Site, State
from commentdesk.web import csrf, i18n
from commentdesk.web.deps import get_cookies, get_desk, get_settings
from commentdesk.web.errors import status_for
from commentdesk.web.middleware import readpath
from commentdesk.web.reader import commenter, vouching
from commentdesk.web.reader import tokens as reader_tokens
from commentdesk.web.reader.embed import page_csp
from commentdesk.web.reader.view import (
    FIELDS,
    Edit,
    FormState,
    gather,
    page_holds_until,
)

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
CsrfField = Annotated[str, Form(alias=csrf.FIELD)]

#: Notices a redirect may ask the thread to show; the words live in the template.
NOTICES = frozenset({"held", "checking", "published", "edited", "deleted", "reported", "noticed"})


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 12 else None


def _thread_url(article: Article, notice: str, anchor: str = "notice") -> str:
    return f"/articles/{article.key}?notice={notice}#{anchor}"


def _cross_site_frame(request: Request) -> bool:
    """Framed by another site's page: our ``SameSite=Lax`` cookies are not sent there,
    so forms would fail; the page links to itself in a new tab instead."""
    headers = request.headers
    return headers.get("sec-fetch-dest") == "iframe" and headers.get("sec-fetch-site") == (
        "cross-site"
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    site: Site | None,
    status: int,
    language: Language | None = None,
) -> Response:
    """A reader page: CSRF token and cookie, ``frame-ancestors`` of ``site``, never cached.

    In ``language``, else the one negotiated for ``site`` (``commentdesk.web.i18n``).
    """
    desk = get_desk(request)
    language = language or i18n.language_for(request, site)
    templates: Jinja2Templates = request.app.state.templates
    note: readpath.ReadNote | None = request.scope.get(readpath.NOTE)
    if note is not None and note.blank is not None and not request.cookies:
        # A page for everyone without cookies: the read path splices each one's token in.
        request.state.csrf_cookie = note.blank.cookie
        token = note.blank.token
        note.shared = True
    else:
        token = csrf.token_for(request, desk.context.secret)
    page = templates.TemplateResponse(
        request,
        template,
        {
            **i18n.template_context(request, language),
            "switch": i18n.switch_links(request, language),
            "csrf_token": token,
            "cross_site_frame": _cross_site_frame(request),
            "cookie_missing": request.method == "POST" and csrf.COOKIE not in request.cookies,
            **context,
        },
        status_code=status,
    )
    page.headers["Content-Security-Policy"] = page_csp(site.origins if site else ())
    page.headers["Cache-Control"] = "no-store"
    cookies = get_cookies(request)
    csrf.set_cookie(request, page, cookies)
    i18n.remember(request, page, language, cookies)
    return page


def problem_page(
    request: Request, exc: CommentdeskError, *, kept: str = "", site: Site | None = None
) -> Response:
    """A page saying what went wrong, with the reader's text kept to copy; in ``site``'s
    language when the problem happened on one of its pages."""
    context = {"message": exc.message, "kept": kept, "status": status_for(exc)}
    return render(request, "reader/problem.html", context, site=site, status=status_for(exc))


def thread_page(
    request: Request,
    article: Article,
    *,
    status: int = 200,
    form: FormState | None = None,
    problem: str | None = None,
    kept: str = "",
    notice: str | None = None,
    after: int | None = None,
    before: int | None = None,
    reply_to: int | None = None,
    edits: dict[int, Edit] | None = None,
) -> Response:
    """The thread, the reader's own pending comments and the form, as one page."""
    tokens = reader_tokens.read(request)
    desk = get_desk(request)
    site = desk.catalog.site(article.site_id)
    language = i18n.language_for(request, site)
    view, keep = gather(
        desk,
        article,
        tokens=tokens,
        after=after,
        before=before,
        reply_to=reply_to if form is None else form.parent_id,
        edits=edits,
        site=site,
        locale=language.code,
    )
    if form is None:
        form = FormState(parent_id=view.reply_to.comment.id if view.reply_to else None)
    email_on = get_settings(request).smtp_host is not None
    standing = vouching.standing(request, desk, site.id)
    context = {"view": view, "form": form, "problem": problem or standing.problem,
               "kept": kept, "notice": notice, "email_on": email_on,
               "subscriber": standing.subscriber}  # fmt: skip
    page = render(
        request, "reader/thread.html", context, site=site, status=status, language=language
    )
    if standing.problem is not None:
        vouching.forget(page, get_cookies(request), site.id)  # said once, then anonymous
    note: readpath.ReadNote | None = request.scope.get(readpath.NOTE)
    if note is not None:
        note.fresh_until = page_holds_until(view, desk.context.clock())
    if keep != tokens:
        reader_tokens.write(page, keep, get_cookies(request))
    return page


def article_of(request: Request, key: str) -> Article:
    """The article, or ``NotFound`` in words the page can say in the reader's language."""
    try:
        return get_desk(request).catalog.article(key)
    except NotFound:
        raise NotFound(
            N_("There is no article %(key)s here."), field="key", key=repr(key)
        ) from None


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it on every site; the pages name the icon, this finds it too."""
    return RedirectResponse("/static/icon.svg", status_code=301)


@router.get("/articles/{key}")
def read_thread(key: str, request: Request) -> Response:
    """The thread, paged by ``after``/``before``; ``reply_to`` turns the form into a reply."""
    try:
        article = article_of(request, key)
    except NotFound as exc:
        return problem_page(request, exc)
    query = request.query_params
    notice = query.get("notice")
    return thread_page(
        request,
        article,
        notice=notice if notice in NOTICES else None,
        after=_int(query.get("after")),
        before=_int(query.get("before")),
        reply_to=_int(query.get("reply_to")),
    )


def check_form(draft: Draft, parent_id: str) -> dict[str, Message]:
    """Every problem with the form at once, so the reader fixes them in one go: the
    desk's own check of a draft, and a reply that lost its parent on the way."""
    try:
        check_draft(draft)
    except FieldsInvalid as exc:
        errors = dict(exc.problems)
    else:
        errors = {}
    if parent_id and draft.parent_id is None:
        errors["parent_id"] = Message(
            "This reply lost track of its comment; please start it again."
        )
    return errors


@router.post("/articles/{key}/comments")
def post_comment(
    key: str,
    request: Request,
    author: FormText = "",
    body: FormText = "",
    email: FormText = "",
    parent_id: FormText = "",
    accept_terms: FormText = "",
    csrf_token: CsrfField = "",
    as_subscriber: Annotated[str, Form(alias=vouching.FIELD)] = "",
) -> Response:
    """A new comment or reply: ``303`` to the thread with a notice, or the form again.

    From a subscriber (``web/reader/vouching.py``), under the name their token gives."""
    desk = get_desk(request)
    form = FormState(author, body, email, _int(parent_id), bool(accept_terms))
    try:
        article = article_of(request, key)
    except NotFound as exc:
        return problem_page(request, exc, kept=body)
    try:
        csrf.verify(request, desk.context.secret, csrf_token)
        vouched = vouching.vouched_token(
            request, desk, article.site_id, as_subscriber=bool(as_subscriber)
        )
    except (csrf.CsrfFailed, SubscriberTokenInvalid) as exc:
        # A bad subscriber cookie is said by the page (and forgotten), never posted anonymously.
        return thread_page(
            request, article, status=status_for(exc), form=form, problem=exc.message, kept=body
        )
    if vouched is not None:
        form.author = vouched.name
    draft = Draft(
        form.author,
        form.body,
        form.accept_terms,
        form.email,
        form.parent_id,
        commenter_key=commenter.commenter_key(request),
        address=commenter.client_address(request),
        subscriber_token=vouching.token_of(request, article.site_id) if vouched else None,
    )
    form.errors = check_form(draft, parent_id)
    if form.errors:
        return thread_page(request, article, status=422, form=form)
    try:
        submitted = desk.comments.submit(key, draft)
    except InvalidInput as exc:
        form.errors = {exc.field if exc.field in FIELDS else "body": exc.message}
        return thread_page(request, article, status=422, form=form)
    except CommentdeskError as exc:
        return thread_page(
            request, article, status=status_for(exc), form=form, problem=exc.message, kept=body
        )
    comment = submitted.comment
    if comment.state is not State.PENDING:
        notice = "published"
    else:
        notice = "checking" if submitted.publishes_when_assessed else "held"
    anchor = f"comment-{comment.id}" if notice == "published" else f"own-{comment.id}"
    redirect = RedirectResponse(_thread_url(article, notice, anchor), status_code=303)
    tokens = reader_tokens.with_added(reader_tokens.read(request), comment.id, submitted.edit_token)
    cookies = get_cookies(request)
    reader_tokens.write(redirect, tokens, cookies)
    commenter.remember(request, redirect, cookies)
    return redirect


@router.post("/articles/{key}/comments/{comment_id}/edit")
def edit_own(
    key: str, comment_id: int, request: Request, body: FormText = "", csrf_token: CsrfField = ""
) -> Response:
    """The reader fixes their pending comment; errors keep the new text in its box."""
    desk = get_desk(request)
    try:
        article = article_of(request, key)
        csrf.verify(request, desk.context.secret, csrf_token)
        desk.comments.edit_own(comment_id, reader_tokens.read(request).get(comment_id), body)
    except NotFound as exc:
        return problem_page(request, exc, kept=body)
    except (InvalidInput, csrf.CsrfFailed) as exc:
        edits = {comment_id: Edit(body, exc.message)}
        return thread_page(request, article, status=status_for(exc), edits=edits)
    except CommentdeskError as exc:
        return thread_page(request, article, status=status_for(exc), problem=exc.message, kept=body)
    return RedirectResponse(_thread_url(article, "edited", f"own-{comment_id}"), status_code=303)


@router.post("/articles/{key}/comments/{comment_id}/delete")
def delete_own(key: str, comment_id: int, request: Request, csrf_token: CsrfField = "") -> Response:
    """The reader withdraws their pending comment while the window is open."""
    desk = get_desk(request)
    try:
        article = article_of(request, key)
        csrf.verify(request, desk.context.secret, csrf_token)
        desk.comments.delete_own(comment_id, reader_tokens.read(request).get(comment_id))
    except NotFound as exc:
        return problem_page(request, exc)
    except CommentdeskError as exc:
        return thread_page(request, article, status=status_for(exc), problem=exc.message)
    return RedirectResponse(_thread_url(article, "deleted"), status_code=303)


@router.post("/language")
def choose_language(
    request: Request, language: FormText = "", back: FormText = "/", csrf_token: CsrfField = ""
) -> Response:
    """The switch as a form, for the console (whose ``?lang=`` is a filter); ``303`` back."""
    try:
        csrf.verify(request, get_desk(request).context.secret, csrf_token)
    except csrf.CsrfFailed as exc:
        return problem_page(request, exc)
    local = back.startswith("/") and not back.startswith("//") and "\\" not in back
    redirect = RedirectResponse(back if local else "/", status_code=303)
    chosen = i18n.catalogs(request).get(language)
    if chosen is not None:
        i18n.choose(redirect, chosen, get_cookies(request))
    return redirect


@router.get("/articles/{key}/terms")
def terms(key: str, request: Request) -> Response:
    """The terms of use the form asks the reader to accept: those of the article's
    section when it has its own, else the site's."""
    desk: Desk = get_desk(request)
    try:
        article = article_of(request, key)
    except NotFound as exc:
        return problem_page(request, exc)
    site = desk.catalog.site(article.site_id)
    section = desk.sections.get(article.section_id) if article.section_id else None
    context = {"article": article, "site": site, "section": section}
    return render(request, "reader/terms.html", context, site=site, status=200)

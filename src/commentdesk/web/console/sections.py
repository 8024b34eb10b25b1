"""A site's sections (admins): declare one, rename it, set its defaults and its own
terms of use; and the section of one article.

A form the desk refuses re-renders with what the admin typed kept and the problem
next to its field (422); a saved one answers ``303`` back to the page with a notice.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from commentdesk.errors import CommentdeskError
from commentdesk.web.console.base import Admin, Fields, Form, console_router, redirect, render
from commentdesk.web.console.settings import (
    days_field,
    languages_of,
    moderation_field,
    terms_from,
)
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import status_for

router = console_router()
PAGE = "/settings/sites/{site_id}/sections"


def _page(
    request: Request,
    site_id: int,
    *,
    form: Fields | None = None,
    editing: str = "",
    error: CommentdeskError | None = None,
) -> Response:
    """The page; ``editing`` names the refused form ("new", a section's id, or
    "terms-" and its id)."""
    desk = get_desk(request)
    site = desk.site_settings.policy(site_id).site  # raises NotFound for an unknown site
    context = {
        "site": site,
        "sections": desk.sections.of_site(site_id),
        "languages": languages_of(site),
        "form": form,
        "editing": editing,
        "error": error.message if error else None,
        "field": error.field if error else None,
        "done": request.query_params.get("done", ""),
        #: The section whose terms were just saved: its box stays open.
        "saved": request.query_params.get("section", ""),
    }
    return render(
        request, "console/sections.html", context, status=status_for(error) if error else 200
    )


@router.get(PAGE)
def sections_page(site_id: int, request: Request, me: Admin) -> Response:
    return _page(request, site_id)


@router.post(PAGE)
def add_section(site_id: int, request: Request, me: Admin, form: Form) -> Response:
    try:
        get_desk(request).sections.add(
            me,
            site_id,
            slug=form.get("slug"),
            name=form.get("name"),
            moderation=moderation_field(form.get("moderation"), allow_default=True),
            auto_close_days=days_field(form, "auto_close_days"),
        )
    except CommentdeskError as exc:
        return _page(request, site_id, form=form, editing="new", error=exc)
    return redirect(f"/console{PAGE.format(site_id=site_id)}?done=added")


@router.post("/settings/sections/{section_id}")
def save_section(section_id: int, request: Request, me: Admin, form: Form) -> Response:
    desk = get_desk(request)
    site_id = desk.sections.get(section_id).site_id  # raises NotFound
    try:
        desk.sections.update(
            me,
            section_id,
            name=form.get("name"),
            moderation=moderation_field(form.get("moderation"), allow_default=True),
            auto_close_days=days_field(form, "auto_close_days"),
        )
    except CommentdeskError as exc:
        return _page(request, site_id, form=form, editing=str(section_id), error=exc)
    return redirect(f"/console{PAGE.format(site_id=site_id)}?done=saved")


@router.post("/settings/sections/{section_id}/terms")
def save_section_terms(section_id: int, request: Request, me: Admin, form: Form) -> Response:
    desk = get_desk(request)
    site_id = desk.sections.get(section_id).site_id  # raises NotFound
    try:
        desk.sections.set_terms(me, section_id, terms_from(form))
    except CommentdeskError as exc:
        return _page(request, site_id, form=form, editing=f"terms-{section_id}", error=exc)
    page = PAGE.format(site_id=site_id)
    return redirect(f"/console{page}?done=terms&section={section_id}#terms-{section_id}")


@router.post("/settings/articles/{key}/section")
def save_article_section(key: str, request: Request, me: Admin, form: Form) -> Response:
    """Refused (a section not of the article's site) as every console form is: the
    problem page, holding the form again (``base.problem``)."""
    get_desk(request).sections.assign(me, key, form.get("section") or None)
    return redirect(f"/console/settings/articles/{key}?done=section")

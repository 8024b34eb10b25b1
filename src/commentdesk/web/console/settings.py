"""Admin pages: site and article policy, and the people who moderate.

Forms re-render with the admin's input kept and the problem named when the desk
refuses a value; a saved form answers ``303`` back to its page with a notice.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk.bans import HOLD, REFUSE
from commentdesk.errors import CommentdeskError, InvalidInput
from commentdesk.model import Moderation, Role
from commentdesk.web.console.base import (
    Admin,
    Fields,
    Form,
    console_router,
    redirect,
    render,
)
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import status_for

router = console_router()


def _days(form: Fields, name: str) -> int | None:
    value = form.get(name).strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 5:
        raise InvalidInput(name, "Give a whole number of days, or leave it empty.")
    return int(value)


def _moderation(value: str, *, allow_default: bool = False) -> Moderation | None:
    if allow_default and value == "":
        return None
    try:
        return Moderation(value)
    except ValueError:
        raise InvalidInput("moderation", "Choose pre- or post-moderation.") from None


# The same fields on the sections pages (web/console/sections.py).
days_field, moderation_field = _days, _moderation


@router.get("/settings")
def settings_index(request: Request, me: Admin) -> Response:
    desk = get_desk(request)
    sites = desk.catalog.sites()
    context = {"sites": sites, "done": request.query_params.get("done", "")}
    return render(request, "console/settings.html", context)


def _site_page(request: Request, site_id: int, status: int = 200, **extra: Any) -> Response:
    desk = get_desk(request)
    policy = desk.site_settings.policy(site_id)
    context = {
        "policy": policy,
        "terms": desk.site_settings.terms_history(site_id),
        "articles": desk.site_settings.articles(site_id),
        "error": None,
        "field": None,
        "form": None,
        "done": request.query_params.get("done", ""),
        "ban_policies": (HOLD, REFUSE),
        **extra,
    }
    return render(request, "console/site.html", context, status=status)


@router.get("/settings/sites/{site_id}")
def site_page(site_id: int, request: Request, me: Admin) -> Response:
    return _site_page(request, site_id)


@router.post("/settings/sites/{site_id}")
def save_site(site_id: int, request: Request, me: Admin, form: Form) -> Response:
    try:
        moderation = _moderation(form.get("moderation"))
        assert moderation is not None
        get_desk(request).site_settings.update_site(
            me,
            site_id,
            moderation=moderation,
            auto_close_days=_days(form, "auto_close_days"),
            origins=form.get("origins"),
            reject_reasons=form.get("reject_reasons"),
            ban_policy=form.get("ban_policy"),
            terms_text=form.get("terms_text"),
        )
    except CommentdeskError as exc:
        return _site_page(
            request, site_id, status_for(exc), error=exc.message, field=exc.field, form=form
        )
    return redirect(f"/console/settings/sites/{site_id}?done=saved")


def _article_page(request: Request, key: str, status: int = 200, **extra: Any) -> Response:
    desk = get_desk(request)
    policy = desk.site_settings.article(key)
    context = {
        "policy": policy,
        "site": desk.catalog.site(policy.article.site_id),
        "sections": desk.sections.of_site(policy.article.site_id),
        "error": None,
        "done": request.query_params.get("done", ""),
        **extra,
    }
    return render(request, "console/article.html", context, status=status)


@router.get("/settings/articles/{key}")
def article_page(key: str, request: Request, me: Admin) -> Response:
    return _article_page(request, key)


@router.post("/settings/articles/{key}")
def save_article(key: str, request: Request, me: Admin, form: Form) -> Response:
    try:
        get_desk(request).site_settings.update_article(
            me,
            key,
            is_open=form.flag("is_open"),
            moderation=_moderation(form.get("moderation"), allow_default=True),
            close_after_days=_days(form, "close_after_days"),
        )
    except CommentdeskError as exc:
        return _article_page(request, key, status_for(exc), error=exc.message)
    return redirect(f"/console/settings/articles/{key}?done=saved")


def _people(request: Request, status: int = 200, **extra: Any) -> Response:
    desk = get_desk(request)
    context = {
        "people": desk.staff.people(),
        "sites": desk.catalog.sites(),
        "sections": desk.sections.every(),
        "roles": [r.value for r in Role],
        "error": None,
        "done": request.query_params.get("done", ""),
        **extra,
    }
    return render(request, "console/people.html", context, status=status)


def _site_ids(form: Fields, name: str = "sites") -> tuple[int, ...]:
    return tuple(int(v) for v in form.getlist(name) if v.isdigit() and len(v) <= 9)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput("role", "Choose admin or moderator.") from None


@router.get("/people")
def people(request: Request, me: Admin) -> Response:
    return _people(request)


@router.post("/people")
def add_person(request: Request, me: Admin, form: Form) -> Response:
    try:
        get_desk(request).staff.add(
            me,
            form.get("name").strip(),
            form.get("password"),
            _role(form.get("role")),
            _site_ids(form),
            _site_ids(form, "sections"),
        )
    except CommentdeskError as exc:
        return _people(request, status_for(exc), error=exc.message)
    return redirect("/console/people?done=added")


@router.post("/people/{moderator_id}")
def update_person(moderator_id: int, request: Request, me: Admin, form: Form) -> Response:
    try:
        get_desk(request).staff.update(
            me,
            moderator_id,
            role=_role(form.get("role")),
            disabled=form.flag("disabled"),
            site_ids=_site_ids(form),
            section_ids=_site_ids(form, "sections"),
        )
    except CommentdeskError as exc:
        return _people(request, status_for(exc), error=exc.message)
    return redirect("/console/people?done=saved")

"""Admin pages: site and article policy, and the people who moderate.

Forms re-render with the admin's input kept and the problem named when the desk
refuses a value; a saved form answers ``303`` back to its page with a notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk import site_texts
from commentdesk.desk.bans import HOLD, REFUSE
from commentdesk.desk.site_settings import SitePolicy, SiteTextsDraft
from commentdesk.desk.site_texts import ReasonDraft
from commentdesk.errors import CommentdeskError, InvalidInput
from commentdesk.model import Moderation, Role, Site
from commentdesk.sitetexts import Kind
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


#: Empty rows under a site's reasons, for new ones (no script needed to add a row).
BLANK_ROWS = 3
_ROW = re.compile(r"(reject|edit)_code_([0-9]{1,3})")


@dataclass(frozen=True, slots=True)
class ReasonRow:
    """One row of a reasons table as the form shows it: a code, a sentence per language."""

    code: str
    texts: dict[str, str]
    legal: bool = False  # the ground is the law (statements of reasons say so)


def languages_of(site: Site) -> list[str]:
    """The languages the form has a column (and a terms box) for, the site's own first."""
    return sorted(site_texts.languages(), key=lambda code: code != site.language)


def _rows(policy: SitePolicy, kind: Kind, form: Fields | None) -> list[ReasonRow]:
    """The rows to show: as posted when a refused form comes back, else as stored."""
    if form is not None:
        return [ReasonRow(d.code, dict(d.texts), d.legal) for d in _drafts(form, kind)]
    reasons = policy.reject_reasons if kind == "reject" else policy.edit_reasons
    rows = [ReasonRow(r.code, dict(r.texts), r.legal) for r in reasons]
    return rows + [ReasonRow("", {}) for _ in range(BLANK_ROWS)]


def _drafts(form: Fields, kind: Kind) -> list[ReasonDraft]:
    """The reasons table of ``kind`` as posted: ``KIND_code_N``, ``KIND_LANG_N`` and the
    ``KIND_legal_N`` checkbox."""
    indexes = sorted(
        int(found.group(2))
        for name in form.names()
        if (found := _ROW.fullmatch(name)) and found.group(1) == kind
    )
    drafts = []
    for n in indexes:
        prefix, suffix = f"{kind}_", f"_{n}"
        texts = {
            name[len(prefix) : -len(suffix)]: form.get(name)
            for name in form.names()
            if name.startswith(prefix)
            and name.endswith(suffix)
            and name not in (f"{kind}_code_{n}", f"{kind}_legal_{n}")
        }
        legal = form.flag(f"{kind}_legal_{n}")
        drafts.append(ReasonDraft(form.get(f"{kind}_code_{n}"), texts, legal))
    return drafts


def terms_from(form: Fields) -> dict[str, str]:
    """The terms per language as posted: ``terms_LANG`` (site and section forms)."""
    return {
        name.removeprefix("terms_"): form.get(name)
        for name in form.names()
        if name.startswith("terms_")
    }


def texts_from(form: Fields) -> SiteTextsDraft:
    """A site's reasons and terms per language, from the settings form."""
    return SiteTextsDraft(_drafts(form, "reject"), _drafts(form, "edit"), terms_from(form))


def _site_page(request: Request, site_id: int, status: int = 200, **extra: Any) -> Response:
    desk = get_desk(request)
    policy = desk.site_settings.policy(site_id)
    form = extra.get("form")
    context = {
        "languages": languages_of(policy.site),
        "reject_rows": _rows(policy, "reject", form),
        "edit_rows": _rows(policy, "edit", form),
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
            ban_policy=form.get("ban_policy"),
            texts=texts_from(form),
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

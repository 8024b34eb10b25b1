"""A site's vouched sources and numbers (admins): two one-per-line lists in a form.

A link to a vouched domain, or a vouched phone number (a helpline), is never a triage
reason. A list the desk refuses re-renders with the admin's text kept and the problem
next to it (422); a saved one answers ``303`` back with a notice.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from commentdesk.errors import CommentdeskError
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
PATH = "/settings/sites/{site_id}/vouched"


def _page(
    request: Request,
    site_id: int,
    *,
    form: Fields | None = None,
    error: CommentdeskError | None = None,
) -> Response:
    desk = get_desk(request)
    site = desk.site_settings.policy(site_id).site  # raises NotFound for an unknown site
    lists = desk.vouched.for_site(site_id)
    context = {
        "site": site,
        "domains": form.get("domains") if form else "\n".join(lists.domains),
        "numbers": form.get("numbers") if form else "\n".join(lists.numbers),
        "error": error.message if error else None,
        "field": error.field if error else None,
        "done": request.query_params.get("done", ""),
    }
    status = status_for(error) if error else 200
    return render(request, "console/vouched.html", context, status=status)


@router.get(PATH)
def vouched(site_id: int, request: Request, me: Admin) -> Response:
    return _page(request, site_id)


@router.post(PATH)
def save_vouched(site_id: int, request: Request, me: Admin, form: Form) -> Response:
    try:
        get_desk(request).vouched.save(
            me, site_id, domains=form.get("domains"), numbers=form.get("numbers")
        )
    except CommentdeskError as exc:
        return _page(request, site_id, form=form, error=exc)
    return redirect(f"/console{PATH.format(site_id=site_id)}?done=saved")

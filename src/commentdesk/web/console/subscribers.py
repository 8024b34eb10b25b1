"""A site's key for its subscribers' tokens (admins): one algorithm, one key, in a form.

The publisher's page signs a short-lived token for each signed-in subscriber
(``commentdesk/subscribers.py``); this pins how. An HS256 secret is never shown again,
only that one is set; an RS256 public key is shown as saved. A key the desk refuses
re-renders with the problem next to it (422); a saved one answers ``303`` back.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from commentdesk.errors import CommentdeskError
from commentdesk.web.console.base import Admin, Form, console_router, redirect, render
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import status_for

router = console_router()
PATH = "/settings/sites/{site_id}/subscribers"
CHOICES = ("none", "HS256", "RS256")


def _page(
    request: Request,
    site_id: int,
    *,
    chosen: str | None = None,
    error: CommentdeskError | None = None,
) -> Response:
    desk = get_desk(request)
    site = desk.site_settings.policy(site_id).site  # raises NotFound for an unknown site
    setting = desk.subscribers.setting(site_id)
    context = {
        "site": site,
        "choices": CHOICES,
        "algorithm": chosen or (setting.algorithm.value if setting.algorithm else "none"),
        "is_set": setting.algorithm is not None,
        "public_key": setting.public_key or "",
        "error": error.message if error else None,
        "field": error.field if error else None,
        "done": request.query_params.get("done", ""),
    }
    status = status_for(error) if error else 200
    return render(request, "console/subscribers.html", context, status=status)


@router.get(PATH)
def subscribers(site_id: int, request: Request, me: Admin) -> Response:
    return _page(request, site_id)


@router.post(PATH)
def save_subscribers(site_id: int, request: Request, me: Admin, form: Form) -> Response:
    chosen = form.get("algorithm") or "none"
    try:
        get_desk(request).subscribers.save(
            me,
            site_id,
            algorithm=None if chosen == "none" else chosen,
            key=form.get("key"),
        )
    except CommentdeskError as exc:
        return _page(request, site_id, chosen=chosen, error=exc)
    return redirect(f"/console{PATH.format(site_id=site_id)}?done=saved")

"""The console's webhooks page (admins): add, pause and resume endpoints, see deliveries.

Every delivery is listed with its state, attempts and last error, and a failed one can
be sent again. The desk writes (``desk.webhooks``); this module parses and renders.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk.notifier import WebhookEvent
from commentdesk.errors import CommentdeskError
from commentdesk.web.console.base import (
    Admin,
    Form,
    console_router,
    problem,
    redirect,
    render,
)
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import status_for

router = console_router()
DONE = frozenset({"added", "paused", "resumed", "retrying"})


def _page(request: Request, status: int = 200, **extra: Any) -> Response:
    desk = get_desk(request)
    done = request.query_params.get("done", "")
    context = {
        "webhooks": desk.webhooks.all(),
        "deliveries": desk.webhooks.deliveries(),
        "sites": desk.catalog.sites(),
        "events": WebhookEvent.ALL,
        "done": done if done in DONE else "",
        "error": None,
        "field": None,
        "form": None,
        **extra,
    }
    return render(request, "console/webhooks.html", context, status=status)


@router.get("/webhooks")
def webhooks_page(request: Request, me: Admin) -> Response:
    return _page(request)


@router.post("/webhooks")
def add_webhook(request: Request, me: Admin, form: Form) -> Response:
    site = form.get("site_id")
    try:
        get_desk(request).webhooks.add(
            me,
            int(site) if site.isdigit() else 0,
            form.get("url"),
            form.getlist("events"),
            form.get("risk_threshold", "0.7"),
        )
    except CommentdeskError as exc:
        return _page(request, status_for(exc), error=exc.message, field=exc.field, form=form)
    return redirect("/console/webhooks?done=added")


@router.post("/webhooks/{webhook_id}/active")
def set_active(webhook_id: int, request: Request, me: Admin, form: Form) -> Response:
    active = form.flag("active")
    try:
        get_desk(request).webhooks.set_active(me, webhook_id, active)
    except CommentdeskError as exc:
        return problem(request, exc)
    return redirect(f"/console/webhooks?done={'resumed' if active else 'paused'}")


@router.post("/webhooks/deliveries/{delivery_id}/retry")
def retry(delivery_id: int, request: Request, me: Admin, form: Form) -> Response:
    try:
        get_desk(request).webhooks.retry(me, delivery_id)
    except CommentdeskError as exc:
        return problem(request, exc)
    return redirect("/console/webhooks?done=retrying")

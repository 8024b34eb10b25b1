"""The bans page: running bans, lifted one at a time or many in one form, and every
ban of a campaign's authors lifted from the campaign's queue page.

The selection is a checkbox per ban inside one plain form (``?select=all`` ticks
every one without script); lifting several needs a reason, kept with each ban's
``unban`` event. The desk lifts them in one transaction.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from starlette.responses import Response

from commentdesk.web.console.base import Form, Me, console_router, redirect, render, safe_back
from commentdesk.web.deps import get_desk

router = console_router()


@router.get("/bans")
def bans(
    request: Request, me: Me, select: Annotated[str, Query(pattern="^(all)?$")] = ""
) -> Response:
    desk = get_desk(request)
    done = request.query_params
    context: dict[str, Any] = {
        "bans": desk.bans.active(desk.staff.scope(me)),
        "sites": {s.id: s for s in desk.catalog.sites()},
        "done": done.get("done", ""),
        "lifted": done.get("n", "1"),
        "select_all": select == "all",
    }
    return render(request, "console/bans.html", context)


@router.post("/bans/{ban_id}/lift")
def lift(ban_id: int, request: Request, me: Me, form: Form) -> Response:
    get_desk(request).bans.lift(me, ban_id)
    return redirect("/console/bans?done=lifted")


@router.post("/bans/lift")
def lift_many(request: Request, me: Me, form: Form) -> Response:
    """Lifts the selected bans, with one reason for all of them."""
    ids = [int(v) for v in form.getlist("ids") if v.isdigit() and len(v) <= 12]
    n = get_desk(request).bans.lift_many(me, ids, reason=form.get("reason"))
    return redirect("/console/bans?" + urlencode({"done": "lifted", "n": n}))


@router.post("/clusters/{cluster_id}/lift-bans")
def lift_campaign(cluster_id: int, request: Request, me: Me, form: Form) -> Response:
    """Lifts every running ban of the campaign's authors; back to the campaign."""
    n = get_desk(request).bans.lift_campaign(me, cluster_id, reason=form.get("reason"))
    back = safe_back(form.get("back"), f"/console?tab=all&cluster={cluster_id}")
    return redirect(back + ("&" if "?" in back else "?") + urlencode({"done": "unbanned", "n": n}))

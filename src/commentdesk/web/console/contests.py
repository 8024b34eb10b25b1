"""The "Contested" queue: decisions their authors contested, for a second moderator.

Each open contest shows the comment, the decision and its reason, who made it, and the
author's words, with two plain forms: uphold (with a note) or reverse. The moderator
who made the decision sees the contest but the desk refuses their review (403 problem
page, ``SecondReviewRequired``).
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk.contests import OUTCOMES
from commentdesk.errors import NotFound
from commentdesk.web.console.base import Form, Me, console_router, redirect, render
from commentdesk.web.deps import get_desk

router = console_router()


@router.get("/contests")
def contested(request: Request, me: Me) -> Response:
    context = {
        "contests": get_desk(request).contests.open(me),
        "done": request.query_params.get("done", ""),
    }
    return render(request, "console/contests.html", context)


@router.post("/contests/{contest_id}/{outcome}")
def review(contest_id: int, outcome: str, request: Request, me: Me, form: Form) -> Response:
    """Upholds or reverses one contested decision; back to the queue with a notice."""
    chosen = next((o for o in OUTCOMES if o == outcome), None)
    if chosen is None:
        raise NotFound("There is no outcome %(value)s.", field="outcome", value=outcome)
    get_desk(request).contests.review(me, contest_id, chosen, form.get("note"))
    return redirect(f"/console/contests?done={chosen}")

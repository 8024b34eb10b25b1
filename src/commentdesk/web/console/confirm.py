"""The one confirmation step of every mass reject or ban, without script.

A form that would reject many comments (a campaign, a selection, an author's
everything) or ban and reject answers first with what it would do: how many comments,
a sample of their texts, the pseudonyms and articles touched, the reason and the ban.
The page holds the same form again, every field as sent plus ``confirmed=1``, so one
more press does it. Small actions (one comment) are done without asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk.preview import Preview
from commentdesk.web import csrf
from commentdesk.web.console.base import Fields, render, wants_json

CONFIRMED = "confirmed"


@dataclass(frozen=True, slots=True)
class Ask:
    """What the confirmation says besides the preview."""

    what: Literal["reject", "ban"]
    reason: str
    cancel: str  # a console address: back to where the moderator was
    ban_days: int | None = None  # with "reject": every author is banned as well


def confirmed(request: Request, form: Fields) -> bool:
    """Whether this post is the confirmed one (console.js's JSON calls ask nothing:
    they are single decisions, or a script that said what it wants)."""
    return form.get(CONFIRMED) == "1" or wants_json(request)


def ask(request: Request, form: Fields, preview: Preview, ask: Ask) -> Response:
    """The confirmation page: the preview, and the sent form again, confirmed."""
    kept = [
        (name, value)
        for name in form.names()
        if name not in (csrf.FIELD, CONFIRMED)
        for value in form.getlist(name)
    ]
    context = {"preview": preview, "ask": ask, "kept": kept, "action": request.url.path}
    return render(request, "console/confirm.html", context)

"""The audit log: search it, page through it, export it as CSV (admins)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Query, Request
from starlette.responses import Response

from commentdesk.desk.audit import AuditQuery
from commentdesk.errors import InvalidInput
from commentdesk.web.console.base import Admin, console_router, render
from commentdesk.web.csvfile import csv_response
from commentdesk.web.deps import get_desk

router = console_router()
Text = Annotated[str, Query(max_length=200)]


def _day(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(field, "Give a day as YYYY-MM-DD.") from None


def audit_query(
    q: Text = "", action: Text = "", actor: Text = "", comment: Text = "",
    since: Text = "", until: Text = "",
) -> AuditQuery:  # fmt: skip
    return AuditQuery(
        text=q or None,
        action=action or None,
        actor=actor or None,
        comment_id=int(comment) if comment.isdigit() and len(comment) <= 12 else None,
        since=_day(since, "since"),
        until=_day(until, "until"),
    )


Search = Annotated[AuditQuery, Depends(audit_query)]


@router.get("/audit")
def audit(
    request: Request, me: Admin, search: Search, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> Response:
    entries, more = get_desk(request).audit.search(search, page=page)
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    context = {"entries": entries, "more": more, "page": page, "params": params}
    return render(request, "console/audit.html", context)


@router.get("/audit.csv")
def audit_csv(request: Request, me: Admin, search: Search) -> Response:
    return csv_response(get_desk(request).audit.export(search), "commentdesk-audit.csv")

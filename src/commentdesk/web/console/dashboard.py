"""The dashboard, its charts, and the monthly transparency report."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from commentdesk.errors import NotFound
from commentdesk.web.console import charts
from commentdesk.web.console.base import Me, console_language, console_router, render
from commentdesk.web.csvfile import csv_response
from commentdesk.web.deps import get_desk

router = console_router()


#: A section's id, or empty for all: the dashboard's and its charts' filter.
SectionParam = Annotated[str, Query(pattern="^[0-9]{0,9}$")]


@router.get("/dashboard")
def dashboard(request: Request, me: Me, section: SectionParam = "") -> Response:
    desk = get_desk(request)
    scope = desk.staff.scope(me)
    figures = desk.dashboard.figures(scope, int(section) if section else None)
    context = {
        "figures": figures,
        "month": figures.now.strftime("%Y-%m"),
        "sections": desk.sections.visible(scope),
        "sites": desk.catalog.sites(),
        "section": section,
    }
    return render(request, "console/dashboard.html", context)


@router.get("/charts/{name}.svg")
def chart(name: str, request: Request, me: Me, section: SectionParam = "") -> Response:
    desk = get_desk(request)
    figures = desk.dashboard.figures(desk.staff.scope(me), int(section) if section else None)
    _ = console_language(request).gettext  # the chart's words in the moderator's language
    if name == "hourly":
        labels = (_("Approved"), _("Rejected or withdrawn"))
        svg = charts.decisions_per_hour(figures, _("Decisions per hour, last 24 h"), labels)
    elif name == "moderators":
        svg = charts.per_moderator(figures, _("Decisions per moderator, last 24 h"))
    elif name == "articles":
        svg = charts.top_articles(figures, _("Most commented articles, last 7 days"))
    else:
        raise NotFound("There is no such chart.", field="name")
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": charts.CHART_CSP, "Cache-Control": "no-store"},
    )


@router.get("/transparency.csv")
def transparency(
    request: Request, me: Me, month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")]
) -> Response:
    desk = get_desk(request)
    rows = desk.dashboard.transparency(month, desk.staff.scope(me))
    return csv_response(rows, f"commentdesk-transparency-{month}.csv")

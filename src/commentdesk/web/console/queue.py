"""The queues, one comment's page, and the keys' help.

``gather`` collects a queue page once (items, their sites' reject reasons, the
moderator's undoable decision); the page template and console.js read the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from starlette.responses import Response

from commentdesk.desk import Desk, QueueItem
from commentdesk.desk.decisions import Undoable
from commentdesk.desk.queue import Author, QueueFilter
from commentdesk.errors import NotFound
from commentdesk.model import Moderator, Section, Site, SiteReason, State
from commentdesk.web.console.base import Me, console_router, render
from commentdesk.web.deps import get_desk

router = console_router()
TABS = ("pending", "notices", "reported", "approved", "rejected", "withdrawn", "all")
PAGE_SIZES = (25, 50, 100, 200)
Text = Annotated[str, Query(max_length=200)]


@dataclass(frozen=True, slots=True)
class QueueParams:
    """The queue's address, as typed in the filter form; ``link`` writes it back."""

    tab: str = "pending"
    sort: str = "risk"
    site: str = ""
    lang: str = ""
    article: str = ""
    author: str = ""
    ak: str = ""
    q: str = ""
    limit: int = 50
    cursor: str = ""
    cluster: str = ""
    #: "all": every comment on the page starts selected for the bulk form (no script).
    select: str = ""
    #: A section's id: the comments of that section's articles only.
    section: str = ""

    def link(self, **changes: str | int) -> str:
        values = {name: getattr(self, name) for name in self.__slots__}
        values |= changes
        defaults = QueueParams()
        kept = {k: v for k, v in values.items() if v != getattr(defaults, k)}
        return "/console" + ("?" + urlencode(kept) if kept else "")

    def filters(self) -> QueueFilter:
        return QueueFilter(
            reported=self.tab == "reported",
            noticed=self.tab == "notices",
            site_id=int(self.site) if self.site.isdigit() else None,
            section_id=int(self.section) if self.section else None,
            language=self.lang or None,
            article=self.article or None,
            author=self.author or None,
            author_key=self.ak or None,
            text=self.q or None,
            cluster_id=int(self.cluster) if self.cluster.isdigit() else None,
        )

    def state(self) -> State | None:
        return None if self.tab in ("all", "reported", "notices") else State(self.tab)


@dataclass(frozen=True, slots=True)
class ItemView:
    item: QueueItem
    site: Site
    reasons: tuple[SiteReason, ...]


@dataclass(frozen=True, slots=True)
class QueueView:
    params: QueueParams
    items: list[ItemView]
    next_link: str | None
    sites: list[Site]
    undo: Undoable | None
    notes: list[str] = field(default_factory=list)
    author: Author | None = None  # with ``ak``: who the "all from …" view shows
    campaign_bans: int = 0  # with ``cluster``: running bans of its authors
    sections: list[Section] = field(default_factory=list)  # the ones the filter offers
    open_notices: int = 0  # notices of illegal content waiting, shown on their tab


def queue_params(
    tab: Annotated[str, Query(pattern="^(" + "|".join(TABS) + ")$")] = "pending",
    sort: Annotated[str, Query(pattern="^(risk|age)$")] = "risk",
    site: Text = "",
    lang: Text = "",
    article: Text = "",
    author: Text = "",
    ak: Text = "",
    q: Text = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Text = "",
    cluster: Annotated[str, Query(pattern="^[0-9]{0,12}$")] = "",
    select: Annotated[str, Query(pattern="^(all)?$")] = "",
    section: Annotated[str, Query(pattern="^[0-9]{0,9}$")] = "",
) -> QueueParams:
    return QueueParams(
        tab, sort, site, lang, article, author, ak, q, limit, cursor, cluster, select, section
    )


Params = Annotated[QueueParams, Depends(queue_params)]


def gather(desk: Desk, me: Moderator, params: QueueParams) -> QueueView:
    """One queue page and what its items need beside them."""
    page = desk.moderation.queue(
        state=params.state(),
        sort=params.sort,
        limit=params.limit,
        cursor=params.cursor or None,
        filters=params.filters(),
        moderator=me,
    )
    all_sites = {s.id: s for s in desk.catalog.sites()}
    homes = desk.catalog.articles_by_id({i.comment.article_id for i in page.items})
    items = [
        ItemView(i, site, site.reject_reasons)
        for i in page.items
        for site in (all_sites[homes[i.comment.article_id].site_id],)
    ]
    nxt = params.link(cursor=page.next_cursor) if page.next_cursor else None
    return QueueView(
        params,
        items,
        nxt,
        list(all_sites.values()),
        desk.decisions.undoable(me),
        author=desk.moderation.author(me, params.ak) if params.ak else None,
        campaign_bans=desk.bans.of_campaign(me, int(params.cluster)) if params.cluster else 0,
        sections=desk.sections.visible(desk.staff.scope(me)),
        open_notices=desk.notices.open_count(me),
    )


@router.get("")
def queue(request: Request, me: Me, params: Params) -> Response:
    view = gather(get_desk(request), me, params)
    done = request.query_params.get("done", "")
    context = {"view": view, "done": done, "done_id": request.query_params.get("id", "")}
    return render(request, "console/queue.html", context)


@router.get("/comments/{comment_id}")
def comment_page(comment_id: int, request: Request, me: Me) -> Response:
    """One comment in full: edit form, ban form, reports and its whole history."""
    desk = get_desk(request)
    history = desk.moderation.history(comment_id, me)  # checks scope; raises NotFound
    only = QueueFilter(comment_id=comment_id)
    page = desk.moderation.queue(state=None, sort="age", limit=1, filters=only, moderator=me)
    if not page.items:
        raise NotFound("There is no comment %(id)s.", field="id", id=comment_id)
    item = page.items[0]
    article = desk.catalog.articles_by_id({item.comment.article_id})[item.comment.article_id]
    context = {
        "item": item,
        "site": desk.catalog.site(article.site_id),
        "reasons": desk.decisions.reasons_for(comment_id),
        "edit_reasons": desk.decisions.reasons_for(comment_id, edit=True),
        "entries": desk.audit.history(comment_id),
        "events": history,
        "ban_days": (1, 7, 30, 365),
        "back": request.query_params.get("back", "/console"),
    }
    return render(request, "console/comment.html", context)


@router.get("/help")
def help_page(request: Request, me: Me) -> Response:
    return render(request, "console/help.html", {})

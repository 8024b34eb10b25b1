"""The moderators' JSON API: the queue, decisions, a comment's history, articles."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from commentdesk.desk.queue import QueueFilter
from commentdesk.lifecycle import Decision
from commentdesk.model import Action, State
from commentdesk.web.api.base import AUTH_ERRORS
from commentdesk.web.api.schemas import (
    AdminArticleOut,
    ArticleIn,
    ArticleSectionIn,
    DecisionIn,
    EventOut,
    ModeratedCommentOut,
    QueueOut,
    SectionOut,
    SectionTermsIn,
)
from commentdesk.web.deps import AdminDep, DeskDep, ModeratorDep

router = APIRouter(prefix="/api/v1", tags=["moderators"])


@router.get("/moderation/queue", response_model=QueueOut, responses=AUTH_ERRORS)
def queue(
    desk: DeskDep,
    moderator: ModeratorDep,
    state: Literal["pending", "approved", "rejected", "withdrawn", "deleted", "all"] = "pending",
    sort: Literal["risk", "age"] = "risk",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    section: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> QueueOut:
    """A page of comments to moderate; follow ``next_cursor`` for the next page.
    ``section`` (a section's id) keeps the comments of that section's articles."""
    page = desk.moderation.queue(
        state=None if state == "all" else State(state),
        sort=sort,
        limit=limit,
        cursor=cursor,
        filters=QueueFilter(section_id=section),
        moderator=moderator,  # only the sites and sections this moderator works on
    )
    return QueueOut(
        items=[ModeratedCommentOut.of_item(item) for item in page.items],
        next_cursor=page.next_cursor,
    )


@router.get("/moderation/sections", response_model=list[SectionOut], responses=AUTH_ERRORS)
def sections(desk: DeskDep, moderator: ModeratorDep) -> list[SectionOut]:
    """The sections the caller works on (every one, for an admin or an unscoped
    moderator), with the ids the queue's ``section`` parameter takes."""
    return [SectionOut.of(s) for s in desk.sections.visible(desk.staff.scope(moderator))]


@router.post(
    "/moderation/comments/{comment_id}/{action}",
    response_model=ModeratedCommentOut,
    responses=AUTH_ERRORS,
)
def decide(
    comment_id: int,
    action: Decision,
    desk: DeskDep,
    moderator: ModeratorDep,
    payload: DecisionIn | None = None,
) -> ModeratedCommentOut:
    """Approve, reject (reason), edit (body + reason), feature or withdraw one comment;
    approve with ``from`` (and a reason) reverses a rejection or a withdrawal."""
    payload = payload or DecisionIn()
    comment = desk.decisions.decide(
        moderator,
        comment_id,
        Action(action),
        choice=payload.reason_code,
        note=payload.reason,
        body=payload.body,
        reversing=State(payload.from_) if payload.from_ else None,
    )
    article = desk.catalog.articles_by_id({comment.article_id})[comment.article_id]
    return ModeratedCommentOut.of(comment, article.key, article.title)


@router.get(
    "/moderation/comments/{comment_id}/events",
    response_model=list[EventOut],
    responses=AUTH_ERRORS,
)
def history(comment_id: int, desk: DeskDep, moderator: ModeratorDep) -> list[EventOut]:
    """Every event of one comment, oldest first: who did what, when and why."""
    return [EventOut.of(event) for event in desk.moderation.history(comment_id, moderator)]


@router.post(
    "/admin/articles", status_code=201, response_model=AdminArticleOut, responses=AUTH_ERRORS
)
def add_article(payload: ArticleIn, desk: DeskDep, admin: AdminDep) -> AdminArticleOut:
    """Creates an article on a site, in one of its sections if named (admins only)."""
    article = desk.catalog.add_article(
        payload.site, payload.key, url=payload.url, title=payload.title, section=payload.section
    )
    return AdminArticleOut.of_admin(article)


@router.put("/admin/articles/{key}/section", response_model=AdminArticleOut, responses=AUTH_ERRORS)
def set_section(
    key: str, payload: ArticleSectionIn, desk: DeskDep, admin: AdminDep
) -> AdminArticleOut:
    """Puts an article in one of its site's sections, or in none (admins only)."""
    return AdminArticleOut.of_admin(desk.sections.assign(admin, key, payload.section))


@router.put("/admin/sections/{section_id}/terms", response_model=SectionOut, responses=AUTH_ERRORS)
def set_section_terms(
    section_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    payload: SectionTermsIn,
    desk: DeskDep,
    admin: AdminDep,
) -> SectionOut:
    """Sets a section's own terms of use, shown to readers of its articles instead of
    the site's (admins only, audited); an empty object gives the site's terms back."""
    return SectionOut.of(desk.sections.set_terms(admin, section_id, payload.terms))

"""The moderators' JSON API for contested decisions: the "contested" queue, and a second
moderator's review (uphold with a note, or reverse)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictStr

from commentdesk.desk.contests import ContestItem
from commentdesk.web.api.base import AUTH_ERRORS
from commentdesk.web.api.schemas import ModeratedCommentOut, _In
from commentdesk.web.deps import DeskDep, ModeratorDep

router = APIRouter(prefix="/api/v1", tags=["moderators"])


class ContestOut(BaseModel):
    id: int
    comment: ModeratedCommentOut
    decision: Literal["reject", "edit"] = Field(description="The contested decision.")
    decided_by: str = Field(description="Who made it; they cannot review the contest.")
    decided_at: datetime
    reason: str | None
    original_text: str | None = Field(description="An edit's text as the author wrote it.")
    text: str = Field(description="The author's words.")
    created_at: datetime

    @classmethod
    def of(cls, item: ContestItem) -> ContestOut:
        return cls(
            id=item.id,
            comment=ModeratedCommentOut.of(item.comment, item.article_key, item.article_title),
            decision="edit" if item.action.value == "edit" else "reject",
            decided_by=item.decided_by,
            decided_at=item.decided_at,
            reason=item.reason,
            original_text=item.original_text,
            text=item.text,
            created_at=item.created_at,
        )


class ReviewIn(_In):
    note: StrictStr = Field(description="Why; kept in the audit log and shown to the author.")


@router.get("/moderation/contests", response_model=list[ContestOut], responses=AUTH_ERRORS)
def contested(desk: DeskDep, moderator: ModeratorDep) -> list[ContestOut]:
    """Open contests on the sites the moderator works on, oldest first (at most 200)."""
    return [ContestOut.of(item) for item in desk.contests.open(moderator)]


@router.post(
    "/moderation/contests/{contest_id}/{outcome}",
    response_model=ModeratedCommentOut,
    responses=AUTH_ERRORS,
)
def review(
    contest_id: int,
    outcome: Literal["uphold", "reverse"],
    payload: ReviewIn,
    desk: DeskDep,
    moderator: ModeratorDep,
) -> ModeratedCommentOut:
    """Upholds or reverses a contested decision (a reversal is its own decision event);
    the moderator who made the decision gets 403 ``second_review_required``; a contest
    reviewed already 409."""
    comment = desk.contests.review(moderator, contest_id, outcome, payload.note)
    article = desk.catalog.articles_by_id({comment.article_id})[comment.article_id]
    return ModeratedCommentOut.of(comment, article.key, article.title)

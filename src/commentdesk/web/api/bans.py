"""The moderators' JSON API for bans: the running ones, and lifting many at once or
every ban of a campaign's authors (the undoing of a cluster reject's ``ban_days``)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictInt, StrictStr

from commentdesk.web.api.base import AUTH_ERRORS
from commentdesk.web.api.schemas import _In, _Out
from commentdesk.web.deps import DeskDep, ModeratorDep

router = APIRouter(prefix="/api/v1", tags=["moderators"])


class BanOut(_Out):
    id: int
    site_id: int
    author: str
    reason: str
    by: str = Field(description="The moderator who banned.")
    created_at: datetime
    until: datetime
    by_commenter: bool
    by_email: bool


class LiftIn(_In):
    reason: StrictStr = Field(description="Kept with each ban's unban event in the audit log.")


class LiftManyIn(LiftIn):
    ids: list[StrictInt] = Field(description="The bans to lift, at most 500.")


class LiftedOut(BaseModel):
    lifted: int = Field(description="How many were running and are lifted now.")


@router.get("/moderation/bans", response_model=list[BanOut], responses=AUTH_ERRORS)
def running_bans(desk: DeskDep, moderator: ModeratorDep) -> list[BanOut]:
    """Running bans on the sites the moderator works on, newest first."""
    return [BanOut.model_validate(b) for b in desk.bans.active(desk.staff.scope(moderator))]


@router.post("/moderation/bans/lift", response_model=LiftedOut, responses=AUTH_ERRORS)
def lift_bans(payload: LiftManyIn, desk: DeskDep, moderator: ModeratorDep) -> LiftedOut:
    """Lifts the bans ``ids`` in one transaction, one unban event each; a ban not on
    the moderator's sites is 404 and nothing is lifted."""
    return LiftedOut(lifted=desk.bans.lift_many(moderator, payload.ids, reason=payload.reason))


@router.post(
    "/moderation/clusters/{cluster_id}/lift-bans", response_model=LiftedOut, responses=AUTH_ERRORS
)
def lift_campaign_bans(
    cluster_id: int, payload: LiftIn, desk: DeskDep, moderator: ModeratorDep
) -> LiftedOut:
    """Lifts every running ban of the cluster's authors (by commenter key or email, on
    the sites of their comments) in one transaction, one unban event each."""
    lifted = desk.bans.lift_campaign(moderator, cluster_id, reason=payload.reason)
    return LiftedOut(lifted=lifted)

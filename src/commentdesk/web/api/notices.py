"""The moderators' JSON API for notices of illegal content: what was filed, and its state.

A notice is decided by the moderator's decision on its comment (``POST
/api/v1/moderation/comments/{id}/...``), so this list is read-only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from commentdesk.desk.notices import LIST_MAX
from commentdesk.web.api.base import AUTH_ERRORS
from commentdesk.web.api.schemas import _Out
from commentdesk.web.deps import DeskDep, ModeratorDep

router = APIRouter(prefix="/api/v1", tags=["moderators"])


class NoticeOut(_Out):
    id: int
    comment_id: int
    category: str = Field(description="One of the form's categories, e.g. `hate`, `other`.")
    law: str = Field(description="The law and country the notifier named (may be empty).")
    explanation: str
    exempt: bool = Field(description="Sent without a name and address (child sexual abuse).")
    notifier_name: str | None = Field(description="None when exempt or erased.")
    notifier_email: str | None = Field(description="None when exempt or erased.")
    created_at: datetime
    decided_at: datetime | None
    outcome: Literal["acted", "not_acted"] | None = Field(
        description="`acted`: the comment was rejected, withdrawn or edited; `not_acted`: kept."
    )


@router.get("/moderation/notices", response_model=list[NoticeOut], responses=AUTH_ERRORS)
def notices(
    desk: DeskDep,
    moderator: ModeratorDep,
    state: Literal["open", "all"] = "open",
    limit: Annotated[int, Query(ge=1, le=LIST_MAX)] = 50,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[NoticeOut]:
    """Notices on the caller's sites, newest first; pass the last ``id`` as ``before``
    for the next page."""
    found = desk.notices.listed(moderator, open_only=state == "open", limit=limit, before=before)
    return [NoticeOut.model_validate(notice) for notice in found]

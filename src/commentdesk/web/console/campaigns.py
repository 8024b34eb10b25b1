"""The campaigns page: near-duplicate clusters still waiting, and one action for each.

A cluster is named by its first comment's id (``desk.clusters``). Rejecting one is a
plain form: a reason from the cluster's site list and/or free text, and optionally a
ban of every author. The form first answers with what it would do (how many comments,
whose, on which articles, a sample) and a second form that does it: one confirmation,
no script needed. Both the list and the action keep to the moderator's sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import Response

from commentdesk.desk import Desk
from commentdesk.desk.bans import BAN_DAYS
from commentdesk.desk.clusters import ClusterSummary
from commentdesk.desk.queue import QueueFilter
from commentdesk.errors import InvalidInput, NotFound
from commentdesk.model import Action, Moderator, SiteReason
from commentdesk.sitetexts import compose
from commentdesk.validation import clean_reason
from commentdesk.web.console.base import Form, Me, console_router, redirect, render
from commentdesk.web.console.confirm import Ask, ask, confirmed
from commentdesk.web.deps import get_desk

router = console_router()
LISTED = 50


@dataclass(frozen=True, slots=True)
class CampaignView:
    cluster: ClusterSummary
    reasons: tuple[SiteReason, ...]  # the reject reasons of its first comment's site

    @property
    def minutes(self) -> int:
        """How long the campaign has run, first copy to last."""
        return int((self.cluster.last_at - self.cluster.first_at).total_seconds() // 60)


def _ban_days(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) not in BAN_DAYS:
        raise InvalidInput("ban_days", "Choose a ban of 1, 7, 30 or 365 days, or none.")
    return int(value)


def _reasons(desk: Desk, cluster_id: int) -> tuple[SiteReason, ...]:
    try:
        return desk.decisions.reasons_for(cluster_id)
    except NotFound:  # its first comment was erased since; free text still works
        return ()


def _check_scope(desk: Desk, me: Moderator, cluster_id: int) -> None:
    """A cluster with nothing on the moderator's sites does not exist for them."""
    only = QueueFilter(cluster_id=cluster_id)
    if not desk.moderation.queue(state=None, limit=1, filters=only, moderator=me).items:
        raise NotFound("There is no such campaign on the sites you moderate.", field="id")


@router.get("/clusters")
def campaigns(request: Request, me: Me) -> Response:
    desk = get_desk(request)
    views = [CampaignView(c, _reasons(desk, c.id)) for c in desk.clusters.waiting(me, limit=LISTED)]
    done = request.query_params
    context = {
        "campaigns": views,
        "ban_days": BAN_DAYS,
        "done": done.get("done", ""),
        "rejected": done.get("n", "0"),
        "banned": done.get("banned", "0"),
    }
    return render(request, "console/campaigns.html", context)


@router.post("/clusters/{cluster_id}/reject")
def reject_campaign(cluster_id: int, request: Request, me: Me, form: Form) -> Response:
    """Without ``confirmed``: a page that says what rejecting would do, and asks. With
    it: rejects every pending comment of the cluster on the moderator's sites, and bans
    each author when ``ban_days`` is given; 303 back with the counts."""
    desk = get_desk(request)
    _check_scope(desk, me, cluster_id)
    choice = form.get("choice").strip()
    try:
        code, sentence = desk.decisions.chosen_reason(me, cluster_id, Action.REJECT, choice)
    except NotFound:  # its first comment was erased since; free text still works
        raise InvalidInput("choice", "Pick one of this site's reject reasons.") from None
    ban_days = _ban_days(form.get("ban_days"))
    reason = compose(sentence, form.get("note")) or ""
    if not confirmed(request, form):
        clean_reason(reason, required=True)  # refused now, not after the confirmation
        preview = desk.clusters.preview(me, cluster_id)
        return ask(request, form, preview, Ask("reject", reason, "/console/clusters", ban_days))
    outcome = desk.clusters.reject(me, cluster_id, reason=reason, ban_days=ban_days, code=code)
    notice = {"done": "rejected", "n": outcome.rejected, "banned": outcome.authors_banned}
    return redirect("/console/clusters?" + urlencode(notice))

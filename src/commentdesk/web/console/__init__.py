"""The moderation console: one router made of its areas.

Areas, one module each: ``auth`` (sign-in, account), ``sso`` (sign-in through the
newsroom's identity provider), ``queue`` (queues, a comment's page), ``decisions``
(decide, bulk, undo, a ban), ``bans`` (lifting them, one or many), ``settings`` (sites, articles,
people), ``audit`` (log, CSV), ``dashboard`` (figures, charts, transparency report),
``webhooks`` (the newsroom's webhooks and their deliveries), ``campaigns``
(near-duplicate clusters, one action each), ``wordlists`` (a site's word lists) and
``vouched`` (a site's vouched domains and numbers), ``sections`` (a site's sections
and an article's section), ``contests`` (contested decisions, for a second
moderator), ``subscribers`` (a site's key for its subscribers' tokens). What they
share is in ``base``.
"""

from __future__ import annotations

from fastapi import APIRouter

from commentdesk.web.console import (
    audit,
    auth,
    bans,
    campaigns,
    contests,
    dashboard,
    decisions,
    queue,
    sections,
    settings,
    sso,
    subscribers,
    vouched,
    webhooks,
    wordlists,
)

AREAS = (auth, sso, queue, decisions, contests, bans, settings, sections, audit, dashboard,
         webhooks, campaigns, wordlists, vouched, subscribers)  # fmt: skip


def router() -> APIRouter:
    combined = APIRouter()
    for area in AREAS:
        combined.include_router(area.router)
    return combined

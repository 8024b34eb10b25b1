"""The moderation console: one router made of its areas, and the session hook.

Areas, one module each: ``console_auth`` (sign-in, account), ``console_queue``
(queues, a comment's page), ``console_decisions`` (decide, bulk, undo, bans),
``console_settings`` (sites, articles, people), ``console_audit`` (log, CSV) and
``console_dashboard`` (figures, charts, transparency report), ``console_webhooks``
(the newsroom's webhooks and their deliveries), ``console_campaigns`` (near-duplicate
clusters, one action each), ``console_wordlists`` (a site's word lists) and
``console_vouched`` (a site's vouched domains and numbers).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from commentdesk.web import (
    console_audit,
    console_auth,
    console_campaigns,
    console_dashboard,
    console_decisions,
    console_queue,
    console_settings,
    console_vouched,
    console_webhooks,
    console_wordlists,
)
from commentdesk.web.console_base import session_moderator

AREAS = (console_auth, console_queue, console_decisions, console_settings, console_audit,
         console_dashboard, console_webhooks, console_campaigns, console_wordlists,
         console_vouched)  # fmt: skip


def router() -> APIRouter:
    combined = APIRouter()
    for area in AREAS:
        combined.include_router(area.router)
    return combined


def install(app: FastAPI) -> None:
    """Adds the console's routes, and lets the JSON moderation API accept its sessions."""
    app.state.session_moderator = session_moderator
    app.include_router(router())

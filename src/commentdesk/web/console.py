"""The moderation console: one router made of its areas, and the session hook.

Areas, one module each: ``console_auth`` (sign-in, account), ``console_queue``
(queues, a comment's page), ``console_decisions`` (decide, bulk, undo, bans),
``console_settings`` (sites, articles, people), ``console_audit`` (log, CSV) and
``console_dashboard`` (figures, charts, transparency report) and ``console_webhooks``
(the newsroom's webhooks and their deliveries).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from commentdesk.web import (
    console_audit,
    console_auth,
    console_dashboard,
    console_decisions,
    console_queue,
    console_settings,
    console_webhooks,
)
from commentdesk.web.console_base import session_moderator

AREAS = (console_auth, console_queue, console_decisions, console_settings, console_audit,
         console_dashboard, console_webhooks)  # fmt: skip


def router() -> APIRouter:
    combined = APIRouter()
    for area in AREAS:
        combined.include_router(area.router)
    return combined


def install(app: FastAPI) -> None:
    """Adds the console's routes, and lets the JSON moderation API accept its sessions."""
    app.state.session_moderator = session_moderator
    app.include_router(router())

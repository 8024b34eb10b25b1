"""Installs the notification and reader-rights routes, and the delivery worker.

``install(app, settings)`` is the one call ``create_app`` makes. The worker runs as a
daemon thread for the server's lifetime when ``notify_in_server`` is on; otherwise run
``commentdesk worker`` beside the servers.
"""

from __future__ import annotations

from fastapi import FastAPI

from commentdesk.settings import Settings
from commentdesk.web import feeds, rights, subscriptions
from commentdesk.web.background import run_while_serving


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(feeds.router)
    app.include_router(rights.router)
    app.include_router(rights.api)
    app.include_router(subscriptions.router)
    if settings.notify_in_server:
        _work_while_serving(app)


def _work_while_serving(app: FastAPI) -> None:
    from commentdesk.notify.worker import Worker

    run_while_serving(app, Worker)

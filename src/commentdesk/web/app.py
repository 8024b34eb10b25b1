"""``create_app(settings)``: the ASGI app, built from routers, middleware and handlers.

Nothing here runs at import, and the factory itself does no I/O: the database is
opened by the lifespan when the server starts (or handed in, by tests and the CLI).
``create_app_from_environment()`` reads the settings first and builds the same app, for
``serve --workers N``: its worker processes can only be handed an import string.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Lifespan

from commentdesk import __version__
from commentdesk.desk import Desk
from commentdesk.logs import configure_logging
from commentdesk.memory import freeze_startup_heap, limit_malloc_arenas
from commentdesk.settings import Settings, SettingsError, load_settings
from commentdesk.web import console, errors, ops
from commentdesk.web.api import bans as bans_api
from commentdesk.web.api import contests as contests_api
from commentdesk.web.api import moderators as moderation_api
from commentdesk.web.api import notices as notices_api
from commentdesk.web.api import readers as api
from commentdesk.web.api import sites as sites_api
from commentdesk.web.api import triage as triage_api
from commentdesk.web.background import background_workers
from commentdesk.web.console.base import session_moderator
from commentdesk.web.middleware.guard import BodyGuard
from commentdesk.web.middleware.head import HeadAsGet
from commentdesk.web.middleware.headers import SecurityHeaders
from commentdesk.web.middleware.kept import ReadCache
from commentdesk.web.middleware.metrics import Metrics, RequestMetrics
from commentdesk.web.middleware.observed import AccessLog
from commentdesk.web.middleware.proxy import TrustedProxies
from commentdesk.web.middleware.readpath import ReadPath
from commentdesk.web.reader import (
    embed,
    feeds,
    report,
    rights,
    statements,
    subscriber,
    subscriptions,
)
from commentdesk.web.reader import pages as reader
from commentdesk.web.reader.threadcache import ThreadCache
from commentdesk.web.templating import make_templates


def create_app(settings: Settings, *, desk: Desk | None = None) -> FastAPI:
    """Builds the app. Without ``desk``, one is opened at start-up and closed at shutdown."""
    app = Commentdesk(
        settings,
        title="commentdesk",
        version=__version__,
        summary="Reader comments, held for review by a newsroom's moderators.",
        lifespan=_lifespan(settings, desk),
        docs_url=None,
        redoc_url=None,
    )
    if desk is not None:
        app.state.desk = desk
    app.state.templates = make_templates()
    app.state.thread_cache = ThreadCache()
    app.state.read_cache = ReadCache()
    app.state.metrics = Metrics(lambda: getattr(app.state, "desk", None))
    app.state.metrics_gate = ops.MetricsGate(settings)
    # The JSON moderation API accepts a console session too (``deps.current_moderator``).
    app.state.session_moderator = session_moderator
    # Outermost first. The read path sits in front of all of them (``Commentdesk``).
    app.user_middleware = [
        Middleware(TrustedProxies, trusted=settings.trusted_proxies),
        Middleware(RequestMetrics, metrics=app.state.metrics),
        Middleware(AccessLog),
        Middleware(SecurityHeaders),
        Middleware(embed.ReaderCors),
        Middleware(BodyGuard, max_bytes=settings.max_request_bytes),
        Middleware(HeadAsGet),
    ]
    errors.install(app)
    for router in (
        api.router,
        moderation_api.router,
        triage_api.router,
        bans_api.router,
        contests_api.router,
        notices_api.router,
        sites_api.router,
        reader.router,
        report.router,
        subscriber.router,
        statements.router,
        embed.router,
        console.router(),
        ops.router,  # /readyz, /metrics
        feeds.router,
        rights.router,
        rights.api,
        subscriptions.router,
    ):
        app.include_router(router)
    app.mount("/static", PackageFiles(packages=[("commentdesk.web", "static")]), name="static")

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """Alive: the process answers."""
        return {"status": "ok"}

    return app


def _lifespan(settings: Settings, handed: Desk | None) -> Lifespan[FastAPI]:
    """Opens the desk (unless one was handed in), then starts the background workers.

    Shutdown runs the other way: workers stopped (joined, off the event loop) first,
    then the desk closed, so a stopping server leaves nothing behind.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            desk = handed
            if desk is None:
                desk = Desk.open(settings)
                stack.callback(desk.close)
            app.state.desk = desk
            desk.context.store.changes()  # the read path's watch, ready before any read
            for make in background_workers(settings):
                worker = make(desk)
                worker.start()
                stack.push_async_callback(run_in_threadpool, worker.stop)
            yield

    return lifespan


class Commentdesk(FastAPI):
    """FastAPI, with the settings it was built from, and the read path in front of
    everything else (``web/middleware/readpath.py``)."""

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings

    def build_middleware_stack(self) -> ASGIApp:
        inner = super().build_middleware_stack()
        return ReadPath(inner, cache=self.state.read_cache, state=self.state)


class PackageFiles(StaticFiles):
    """The package's static files, which any cache may keep for five minutes."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=300"
        return response


def create_app_from_environment() -> FastAPI:
    """The app of one ``serve --workers N`` worker process (uvicorn calls it, ``factory=True``).

    The settings are read as ``serve`` reads them (``COMMENTDESK_*`` and
    ``COMMENTDESK_CONFIG``; ``serve`` passes ``--database`` on in the environment). The
    parent has already migrated the database and made the secret, so the lifespan only
    opens the desk, and closes it at shutdown.
    """
    try:
        settings = load_settings()
    except SettingsError as exc:
        from uvicorn.config import STARTUP_FAILURE

        logging.getLogger("commentdesk").error("%s", exc)
        # uvicorn's parent stops on this exit status instead of restarting us in a loop.
        raise SystemExit(STARTUP_FAILURE) from None
    configure_logging(settings)  # a spawned worker starts with none of the parent's set-up
    limit_malloc_arenas()  # nor its malloc arenas (memory.py)
    app = create_app(settings)
    freeze_startup_heap()  # memory.py: no full collection walks the startup heap
    return app

"""``create_app(settings)``: the ASGI app, built from routers, middleware and handlers.

Nothing here runs at import, and the factory itself does no I/O: the database is
opened by the lifespan when the server starts (or handed in, by tests and the CLI).
``create_app_from_environment()`` reads the settings first and builds the same app, for
``serve --workers N``: its worker processes can only be handed an import string.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from commentdesk import __version__
from commentdesk.desk import Desk
from commentdesk.logs import configure_logging
from commentdesk.memory import limit_malloc_arenas
from commentdesk.settings import Settings, SettingsError, load_settings
from commentdesk.web import (
    api,
    console,
    embed,
    errors,
    moderation_api,
    notifications,
    ops,
    reader,
    triage_api,
)
from commentdesk.web.background import run_while_serving
from commentdesk.web.guard import BodyGuard
from commentdesk.web.head import HeadAsGet
from commentdesk.web.headers import AccessLog, SecurityHeaders
from commentdesk.web.kept import ReadCache
from commentdesk.web.readpath import ReadPath
from commentdesk.web.templating import make_templates
from commentdesk.web.threadcache import ThreadCache


def create_app(settings: Settings, *, desk: Desk | None = None) -> FastAPI:
    """Builds the app. Without ``desk``, one is opened at start-up and closed at shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if desk is not None:
            app.state.desk = desk
            desk.context.store.changes()  # the read path's watch, ready before any read
            yield
            return
        opened = Desk.open(settings)
        app.state.desk = opened
        opened.context.store.changes()
        try:
            yield
        finally:
            opened.close()

    app = _App(
        title="commentdesk",
        version=__version__,
        summary="Reader comments, held for review by a newsroom's moderators.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        middleware=[
            Middleware(AccessLog),
            Middleware(SecurityHeaders),
            Middleware(embed.ReaderCors),
            Middleware(BodyGuard, max_bytes=settings.max_request_bytes),
            Middleware(HeadAsGet),
        ],
    )
    app.state.settings = settings
    if desk is not None:
        app.state.desk = desk
    app.state.templates = make_templates()
    app.state.thread_cache = ThreadCache()
    app.state.read_cache = ReadCache()
    errors.install(app)
    app.include_router(api.router)
    app.include_router(moderation_api.router)
    app.include_router(triage_api.router)
    app.include_router(reader.router)
    app.include_router(embed.router)
    console.install(app)
    ops.install(app, settings)  # /readyz, /metrics, proxy headers, publishing
    notifications.install(app, settings)  # feeds, reader rights, mail links, the worker
    if settings.assess_in_server:
        from commentdesk.assessing import AssessmentProcess, AssessmentWorker

        run_while_serving(app, AssessmentProcess if settings.assess_in_child else AssessmentWorker)
    app.mount("/static", PackageFiles(packages=[("commentdesk.web", "static")]), name="static")

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """Alive: the process answers."""
        return {"status": "ok"}

    return app


class _App(FastAPI):
    """FastAPI, with the read path in front of everything else (``web/readpath.py``)."""

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
    return create_app(settings)

"""Operations: ``/readyz``, ``/metrics``, proxy headers and publishing on every change.

``install(app, settings)`` is the one call ``create_app`` makes. ``/healthz`` (alive)
lives in the app itself; ``/readyz`` answers 200 only when the database answers and has
this version's schema, so a load balancer sends no traffic to a worker that cannot
serve it. ``/metrics`` answers only the addresses in ``metrics_allow`` (loopback by
default) or the bearer of ``metrics_token``; anyone else gets the same 404 as for a
page that does not exist.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from commentdesk.desk import Desk
from commentdesk.settings import Settings
from commentdesk.web.background import run_while_serving
from commentdesk.web.deps import get_desk
from commentdesk.web.errors import error_response
from commentdesk.web.metrics import Metrics, RequestMetrics
from commentdesk.web.proxy import TrustedProxies, parse_networks

router = APIRouter(tags=["operations"])
DeskDep = Annotated[Desk, Depends(get_desk)]


@router.get("/readyz", responses={503: {"description": "The database does not answer."}})
def readyz(desk: DeskDep) -> Response:
    """Ready: the database answers and has this version's schema."""
    from commentdesk.store.migrate import head_revision, schema_revision  # Alembic, lazily

    try:
        with desk.context.store.read() as connection:
            revision = schema_revision(connection)
    except Exception:
        return error_response(
            503, "unavailable", "The database does not answer.", None, **{"Retry-After": "5"}
        )
    if revision != head_revision():
        message = f"The database has schema {revision}; this version needs {head_revision()}."
        return error_response(503, "schema_mismatch", message)
    return JSONResponse({"status": "ready", "schema": revision})


class MetricsGate:
    """Who may read ``/metrics``: an allowed address (after trusted proxies) or the token."""

    def __init__(self, settings: Settings) -> None:
        self._networks = parse_networks(settings.metrics_allow)
        token = settings.metrics_token
        self._bearer = f"Bearer {token.get_secret_value()}".encode() if token else None

    def allows(self, request: Request) -> bool:
        given = request.headers.get("authorization", "").encode()
        if self._bearer is not None and hmac.compare_digest(given, self._bearer):
            return True
        try:
            address = ipaddress.ip_address(request.client.host if request.client else "")
        except ValueError:
            return False
        return any(address in network for network in self._networks)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus text format; the database figures are read in a worker thread."""
    if not request.app.state.metrics_gate.allows(request):
        raise StarletteHTTPException(404)  # exactly what a missing page answers
    registry = request.app.state.metrics.registry
    body = await run_in_threadpool(generate_latest, registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI, settings: Settings) -> None:
    """Adds the routes, the metrics and proxy middleware, and the publishing watcher."""
    metrics_ = Metrics(lambda: getattr(app.state, "desk", None))
    app.state.metrics = metrics_
    app.state.metrics_gate = MetricsGate(settings)
    app.include_router(router)
    app.add_middleware(RequestMetrics, metrics=metrics_)
    app.add_middleware(TrustedProxies, trusted=settings.trusted_proxies)  # outermost
    if settings.publish_on_decision and settings.publish_dir is not None:
        _publish_while_serving(app, settings)


def _publish_while_serving(app: FastAPI, settings: Settings) -> None:
    from commentdesk.publish import Publisher, Watcher

    assert settings.publish_dir is not None
    directory, interval = settings.publish_dir, settings.publish_interval_seconds
    run_while_serving(app, lambda desk: Watcher(Publisher(desk, directory), interval))

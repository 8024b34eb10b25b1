"""Operations: ``/readyz`` and ``/metrics``.

``/healthz`` (alive) lives in the app itself. ``/readyz`` answers 200 only when the
database answers and has this version's schema, so a load balancer sends no traffic to
a worker that cannot serve it. ``/metrics`` answers only the addresses in
``metrics_allow`` (loopback by default) or the bearer of ``metrics_token``; anyone else
gets the same 404 as for a page that does not exist.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from commentdesk.settings import Settings
from commentdesk.web.deps import DeskDep
from commentdesk.web.errors import error_response
from commentdesk.web.middleware.proxy import parse_networks

router = APIRouter(tags=["operations"])


@router.get("/readyz", responses={503: {"description": "The database does not answer."}})
def readyz(desk: DeskDep) -> Response:
    """Ready: the database answers and has this version's schema."""
    try:
        revision, head = desk.schema()
    except Exception:
        return error_response(
            503, "unavailable", "The database does not answer.", None, **{"Retry-After": "5"}
        )
    if revision != head:
        message = f"The database has schema {revision}; this version needs {head}."
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

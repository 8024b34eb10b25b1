"""Prometheus metrics: requests and latencies by route, and figures read from the database.

No personal data: labels are HTTP methods, route templates (``/api/v1/articles/{key}``,
never the key), status codes, comment states and action names. Database figures are
read at scrape time, so every worker reports the same truth whichever one is scraped:
comments by state, the queue's depth by triage action, and events by action (decisions,
submissions, imports), counted afresh at most every ten seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client import Counter as PromCounter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Connection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commentdesk.desk import Desk
from commentdesk.model import State
from commentdesk.store.tables import comments, events

UNMATCHED = "unmatched"
#: Counting every event reads the whole audit log; a scrape every few seconds need not.
EVENTS_CACHE_SECONDS = 10.0
logger = logging.getLogger("commentdesk.metrics")


class DatabaseFigures(Collector):
    """Reads the figures at each scrape; a database that does not answer reports ``up 0``."""

    def __init__(self, desk: Callable[[], Desk | None]) -> None:
        self._desk = desk
        self._lock = threading.Lock()
        self._events: dict[str, int] = {}
        self._counted_at = -EVENTS_CACHE_SECONDS

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        up = GaugeMetricFamily("commentdesk_database_up", "1 when the database answered.")
        desk = self._desk()
        try:
            if desk is None:
                raise RuntimeError("no desk yet")
            families = self._read(desk)
        except Exception:
            logger.warning("metrics: reading the database failed", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _read(self, desk: Desk) -> list[GaugeMetricFamily | CounterMetricFamily]:
        by_state = GaugeMetricFamily("commentdesk_comments", "Comments by state.", labels=["state"])
        queue = GaugeMetricFamily(
            "commentdesk_queue_depth",
            "Pending comments by triage's suggested action.",
            labels=["action"],
        )
        totals = CounterMetricFamily(
            "commentdesk_events",
            "Audit events by action (decisions, submissions, imports).",
            labels=["action"],
        )
        action = comments.c.assessment["action"].as_string()
        with desk.context.store.read() as connection:
            counted_states = connection.execute(
                sa.select(comments.c.state, sa.func.count()).group_by(comments.c.state)
            ).all()
            states: dict[str, int] = {row[0]: row[1] for row in counted_states}
            pending = connection.execute(
                sa.select(action, sa.func.count())
                .where(comments.c.state == State.PENDING.value)
                .group_by(action)
            ).all()
            counted = self._event_counts(connection)
        for state in State:
            by_state.add_metric([state.value], states.get(state.value, 0))
        for name, count in pending:
            queue.add_metric([name or "none"], count)
        for name, count in sorted(counted.items()):
            totals.add_metric([name], count)
        return [by_state, queue, totals]

    def _event_counts(self, connection: Connection) -> dict[str, int]:
        """Events by action, counted afresh at most every ``EVENTS_CACHE_SECONDS``.

        Counting from a remembered last id would be cheaper but wrong on PostgreSQL, where
        ids are handed out before commit: a slow transaction's event would be skipped.
        """
        with self._lock:
            if time.monotonic() - self._counted_at >= EVENTS_CACHE_SECONDS:
                rows = connection.execute(
                    sa.select(events.c.action, sa.func.count()).group_by(events.c.action)
                ).all()
                self._events = {row[0]: row[1] for row in rows}
                self._counted_at = time.monotonic()
            return dict(self._events)


class Metrics:
    """One registry per app, so several apps (tests, workers) never share counters."""

    def __init__(self, desk: Callable[[], Desk | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = PromCounter(
            "commentdesk_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "commentdesk_http_request_duration_seconds",
            "Time to answer, by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.kept = PromCounter(
            "commentdesk_http_kept_answers",
            "Answers the read path sent from what it kept (not in http_requests), by route.",
            ["route"],
            registry=self.registry,
        )
        self.registry.register(DatabaseFigures(desk))


class RequestMetrics:
    """ASGI middleware counting every HTTP request under its route template."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or UNMATCHED
            method = scope["method"]
            self.metrics.requests.labels(method, template, str(status)).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - started)

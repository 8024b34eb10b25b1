"""Prometheus metrics: requests and latencies by route, and figures read from the database.

No personal data: labels are HTTP methods, route templates (``/api/v1/articles/{key}``,
never the key), status codes, comment states and action names. Database figures are
read at scrape time, so every worker reports the same truth whichever one is scraped:
comments by state, the queue's depth by triage action, and events by action (decisions,
submissions, imports), counted afresh at most every ten seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client import Counter as PromCounter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Scope

from commentdesk.desk import Desk
from commentdesk.web.middleware.observed import Observed

UNMATCHED = "unmatched"
logger = logging.getLogger("commentdesk.metrics")


class DatabaseFigures(Collector):
    """Reads the figures at each scrape; a database that does not answer reports ``up 0``."""

    def __init__(self, desk: Callable[[], Desk | None]) -> None:
        self._desk = desk

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
        counts = desk.tally.counts()
        by_state = GaugeMetricFamily("commentdesk_comments", "Comments by state.", labels=["state"])
        for state, count in counts.by_state.items():
            by_state.add_metric([state], count)
        queue = GaugeMetricFamily(
            "commentdesk_queue_depth",
            "Pending comments by triage's suggested action.",
            labels=["action"],
        )
        for name, count in counts.pending_by_action:
            queue.add_metric([name or "none"], count)
        totals = CounterMetricFamily(
            "commentdesk_events",
            "Audit events by action (decisions, submissions, imports).",
            labels=["action"],
        )
        for name, count in sorted(counts.events_by_action.items()):
            totals.add_metric([name], count)
        return [by_state, queue, totals]


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


class RequestMetrics(Observed):
    """Counts every HTTP request under its route template, with its latency."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        super().__init__(app)
        self.metrics = metrics

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        template = getattr(scope.get("route"), "path", None) or UNMATCHED
        method = scope["method"]
        self.metrics.requests.labels(method, template, str(status)).inc()
        self.metrics.latency.labels(method, template).observe(seconds)

"""Counts for the operators' metrics: comments by state, the queue by triage action, events.

Read at scrape time, so every worker reports the same truth whichever one is scraped.
Counting every event reads the whole audit log, so that count is kept for a few
seconds; the others are cheap grouped counts.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context
from commentdesk.model import State
from commentdesk.store.tables import comments, events

#: A scrape every few seconds need not recount the audit log each time.
EVENTS_CACHE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Counts:
    by_state: dict[str, int]  # every state, zero where none
    pending_by_action: list[tuple[str | None, int]]  # triage's suggestion; None if unassessed
    events_by_action: dict[str, int]


class Tally:
    """Counts the database holds now; raises when the database does not answer."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._lock = threading.Lock()
        self._events: dict[str, int] = {}
        self._counted_at = -EVENTS_CACHE_SECONDS

    def counts(self) -> Counts:
        action = comments.c.assessment["action"].as_string()
        with self._context.store.read() as connection:
            states: dict[str, int] = {
                row[0]: row[1]
                for row in connection.execute(
                    sa.select(comments.c.state, sa.func.count()).group_by(comments.c.state)
                )
            }
            pending = [
                (name, count)
                for name, count in connection.execute(
                    sa.select(action, sa.func.count())
                    .where(comments.c.state == State.PENDING.value)
                    .group_by(action)
                )
            ]
            return Counts(
                by_state={state.value: states.get(state.value, 0) for state in State},
                pending_by_action=pending,
                events_by_action=self._event_counts(connection),
            )

    def _event_counts(self, connection: Connection) -> dict[str, int]:
        """Events by action, counted afresh at most every ``EVENTS_CACHE_SECONDS``.

        Counting from a remembered last id would be cheaper but wrong on PostgreSQL, where
        ids are handed out before commit: a slow transaction's event would be skipped.
        """
        with self._lock:
            if time.monotonic() - self._counted_at >= EVENTS_CACHE_SECONDS:
                rows = connection.execute(
                    sa.select(events.c.action, sa.func.count()).group_by(events.c.action)
                )
                self._events = {row[0]: row[1] for row in rows}
                self._counted_at = time.monotonic()
            return dict(self._events)

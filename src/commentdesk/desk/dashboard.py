"""Figures for the dashboard and the monthly transparency report.

Counts are taken in SQL; the per-hour and per-moderator series are bucketed here
from the last day's decision events (a few thousand rows at most), which keeps the
queries the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from commentdesk.desk import contests
from commentdesk.desk.context import Context
from commentdesk.desk.notices import transparency_rows as notice_rows
from commentdesk.desk.scope import Scope, in_scope
from commentdesk.errors import InvalidInput
from commentdesk.model import Action, State
from commentdesk.store.tables import articles, comments, events, moderators, reports, sites

DECISIONS = (Action.APPROVE.value, Action.REJECT.value, Action.WITHDRAW.value)
TOP_ARTICLES = 10


@dataclass(frozen=True, slots=True)
class Figures:
    now: datetime
    pending: int
    oldest_pending: datetime | None
    open_reports: int
    reports_today: int
    approved_week: int
    rejected_week: int
    per_hour: list[tuple[datetime, int, int]]  # hour, approved, rejected (+withdrawn)
    per_moderator: list[tuple[str, int]]
    top_articles: list[tuple[str, str, int]]  # key, title, comments this week

    @property
    def approval_rate(self) -> float | None:
        decided = self.approved_week + self.rejected_week
        return self.approved_week / decided if decided else None


def _in_scope(column: Any, scope: Scope, section_id: int | None = None) -> Any:
    """``column`` (an article id) is in ``scope`` and, if given, in section ``section_id``."""
    if section_id is None:
        return in_scope(scope, column)
    in_section = column.in_(sa.select(articles.c.id).where(articles.c.section_id == section_id))
    return sa.and_(in_scope(scope, column), in_section)


def parse_month(value: str) -> tuple[datetime, datetime]:
    """``YYYY-MM`` as the [start, end) of that month in UTC."""
    try:
        start = datetime.strptime(value + "-01", "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput("month", "Give the month as YYYY-MM, for example 2026-11.") from None
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


class Dashboard:
    def __init__(self, context: Context) -> None:
        self._context = context

    def figures(self, scope: Scope, section_id: int | None = None) -> Figures:
        """The figures of ``scope``'s articles, or of one section's (``section_id``)."""
        now = self._context.clock()
        day, week = now - timedelta(hours=24), now - timedelta(days=7)
        in_scope = _in_scope(comments.c.article_id, scope, section_id)
        with self._context.store.read() as connection:
            pending, oldest = connection.execute(
                sa.select(sa.func.count(), sa.func.min(comments.c.created_at)).where(
                    comments.c.state == State.PENDING.value, in_scope
                )
            ).one()
            report_rows = connection.execute(
                sa.select(reports.c.resolved_at, reports.c.created_at)
                .select_from(reports.join(comments, comments.c.id == reports.c.comment_id))
                .where(
                    in_scope, sa.or_(reports.c.resolved_at.is_(None), reports.c.created_at > day)
                )
            ).all()
            decided = connection.execute(
                sa.select(events.c.at, events.c.action, moderators.c.name)
                .select_from(events.outerjoin(moderators, moderators.c.id == events.c.moderator_id))
                .where(
                    events.c.at > week,
                    events.c.action.in_(DECISIONS),
                    _in_scope(events.c.article_id, scope, section_id),
                )
            ).all()
            top = connection.execute(
                sa.select(articles.c.key, articles.c.title, sa.func.count())
                .select_from(comments.join(articles, articles.c.id == comments.c.article_id))
                .where(comments.c.created_at > week, in_scope)
                .group_by(articles.c.key, articles.c.title)
                .order_by(sa.func.count().desc(), articles.c.key)
                .limit(TOP_ARTICLES)
            ).all()
        return Figures(
            now=now,
            pending=int(pending),
            oldest_pending=_aware(oldest),
            open_reports=sum(1 for r in report_rows if r.resolved_at is None),
            reports_today=sum(1 for r in report_rows if r.created_at > day),
            approved_week=sum(1 for e in decided if e.action == Action.APPROVE.value),
            rejected_week=sum(1 for e in decided if e.action != Action.APPROVE.value),
            per_hour=_per_hour(now, [e for e in decided if e.at > day]),
            per_moderator=Counter(e.name or "-" for e in decided if e.at > day).most_common(),
            top_articles=[(key, title, int(n)) for key, title, n in top],
        )

    def transparency(self, month: str, scope: Scope) -> list[list[str]]:
        """Decisions of one month by site, action and reason category, as CSV rows;
        then the notices of illegal content (``desk.notices.transparency_rows``).

        A decision without a reason has an empty reason cell (a ``-`` would be written
        as ``'-`` by the CSV writer, which treats every leading minus as a formula).
        """
        start, end = parse_month(month)
        query = (
            sa.select(sites.c.slug, events.c.action, events.c.reason)
            .select_from(
                events.join(articles, articles.c.id == events.c.article_id).join(
                    sites, sites.c.id == articles.c.site_id
                )
            )
            .where(
                events.c.at >= start,
                events.c.at < end,
                events.c.action.in_([*DECISIONS, Action.EDIT.value]),
                _in_scope(events.c.article_id, scope),
            )
        )
        with self._context.store.read() as connection:
            counts = Counter(
                (slug, action, (reason or "").split(":")[0].strip())
                for slug, action, reason in connection.execute(query)
            )
            # Statements of reasons issued, contests received, upheld, reversed.
            for (slug, name), n in contests.figures(connection, start, end, scope).items():
                counts[(slug, name, "")] += n
            noticed = notice_rows(connection, month, start, end, scope)
        rows = [["month", "site", "action", "reason", "count"]]
        rows += [[month, *key, str(n)] for key, n in sorted(counts.items())]
        return rows + noticed


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates lose the column type on some drivers; times are always UTC here."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _per_hour(now: datetime, decided: list[Any]) -> list[tuple[datetime, int, int]]:
    top = now.replace(minute=0, second=0, microsecond=0)
    hours = [top - timedelta(hours=h) for h in range(23, -1, -1)]
    approved: Counter[datetime] = Counter()
    rejected: Counter[datetime] = Counter()
    for event in decided:
        hour = event.at.replace(minute=0, second=0, microsecond=0)
        (approved if event.action == Action.APPROVE.value else rejected)[hour] += 1
    return [(h, approved[h], rejected[h]) for h in hours]

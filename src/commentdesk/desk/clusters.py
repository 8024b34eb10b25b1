"""Near-duplicate campaigns as one unit: list them, and reject one with one action.

A cluster is named by the id of its first comment (see ``desk/screening.py``). Rejecting
a cluster of 5,000 copies is one moderator action but 5,000 decisions: each comment
still gets its own ``reject`` event, written in batches so the action takes seconds,
not minutes, and a comment someone else decided meanwhile is simply left alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk import semantic_index
from commentdesk.desk.bans import Bans
from commentdesk.desk.context import Context
from commentdesk.desk.scope import Scope, in_scope, scope_of
from commentdesk.errors import NotFound
from commentdesk.model import Action, ActorKind, Moderator, State
from commentdesk.store.lists import one_of
from commentdesk.store.tables import articles, comments, events
from commentdesk.validation import clean_reason

BATCH = 500


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    id: int
    size: int
    pending: int
    pseudonyms: int
    articles: int
    first_at: datetime
    last_at: datetime
    sample: str


@dataclass(frozen=True, slots=True)
class ClusterPreview:
    """What rejecting a cluster would touch, for the moderator to confirm first."""

    id: int
    pending: int
    pseudonyms: tuple[str, ...]  # at most ``listed`` of them, first seen first
    pseudonym_count: int
    articles: tuple[str, ...]  # titles, at most ``listed``
    article_count: int
    samples: tuple[str, ...]  # a few distinct texts, oldest first


@dataclass(frozen=True, slots=True)
class ClusterOutcome:
    rejected: int
    authors_banned: int


def _in_scope(scope: Scope) -> Any:
    return in_scope(scope, comments.c.article_id)


class Clusters:
    def __init__(self, context: Context, bans: Bans) -> None:
        self._context = context
        self._bans = bans

    def waiting(self, moderator: Moderator, *, limit: int = 50) -> list[ClusterSummary]:
        """Clusters with comments still pending, the biggest first."""
        pending = sa.func.sum(sa.case((comments.c.state == State.PENDING.value, 1), else_=0))
        with self._context.store.read() as connection:
            scope = scope_of(connection, moderator)
            rows = connection.execute(
                sa.select(
                    comments.c.cluster_id,
                    sa.func.count().label("size"),
                    pending.label("pending"),
                    sa.func.count(sa.distinct(comments.c.author)).label("pseudonyms"),
                    sa.func.count(sa.distinct(comments.c.article_id)).label("articles"),
                    sa.func.min(comments.c.created_at).label("first_at"),
                    sa.func.max(comments.c.created_at).label("last_at"),
                )
                .where(comments.c.cluster_id.is_not(None), _in_scope(scope))
                .group_by(comments.c.cluster_id)
                .having(pending > 0)
                .order_by(pending.desc(), comments.c.cluster_id)
                .limit(limit)
            ).all()
            sample_query = sa.select(comments.c.id, comments.c.body).where(
                one_of(comments.c.id, [row.cluster_id for row in rows])
            )
            samples = {row.id: row.body for row in connection.execute(sample_query)}
        return [
            ClusterSummary(
                id=row.cluster_id,
                size=row.size,
                pending=row.pending,
                pseudonyms=row.pseudonyms,
                articles=row.articles,
                first_at=_aware(row.first_at),
                last_at=_aware(row.last_at),
                sample=samples.get(row.cluster_id, ""),
            )
            for row in rows
        ]

    def preview(
        self, moderator: Moderator, cluster_id: int, *, listed: int = 12, samples: int = 3
    ) -> ClusterPreview:
        """The pending comments of the cluster on the moderator's sites: how many, by whom,
        on which articles, and a few of their texts. Reads at most ``listed`` names and
        titles and ``samples`` x 4 texts, whatever the cluster's size."""
        pending = sa.and_(
            comments.c.cluster_id == cluster_id, comments.c.state == State.PENDING.value
        )
        with self._context.store.read() as connection:
            where = sa.and_(pending, _in_scope(scope_of(connection, moderator)))
            count, authors, titles = connection.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.count(sa.distinct(comments.c.author)),
                    sa.func.count(sa.distinct(comments.c.article_id)),
                ).where(where)
            ).one()
            if not count:
                raise NotFound("There is no such campaign on the sites you moderate.", field="id")
            first_seen = sa.func.min(comments.c.id)
            names = connection.execute(
                sa.select(comments.c.author)
                .where(where)
                .group_by(comments.c.author)
                .order_by(first_seen)
                .limit(listed)
            ).scalars()
            on = (
                sa.select(articles.c.title)
                .join(comments, comments.c.article_id == articles.c.id)
                .where(where)
                .group_by(articles.c.id, articles.c.title)
                .order_by(first_seen)
                .limit(listed)
            )
            bodies = connection.execute(
                sa.select(comments.c.body).where(where).order_by(comments.c.id).limit(samples * 4)
            ).scalars()
            return ClusterPreview(
                id=cluster_id,
                pending=count,
                pseudonyms=tuple(names),
                pseudonym_count=authors,
                articles=tuple(connection.execute(on).scalars()),
                article_count=titles,
                samples=tuple(dict.fromkeys(bodies))[:samples],
            )

    def reject(
        self, moderator: Moderator, cluster_id: int, *, reason: str, ban_days: int | None = None
    ) -> ClusterOutcome:
        """Rejects every pending comment of the cluster; optionally bans each author.

        Idempotent: running it again rejects only what arrived since.
        """
        why = clean_reason(reason, required=True)
        rejected = 0
        batch = secrets.token_hex(8)  # one action: undo reverts all of it
        while True:
            done = self._reject_batch(moderator, cluster_id, why, batch)
            rejected += done
            if done < BATCH:
                break
        if rejected == 0 and not self._exists(cluster_id):
            raise NotFound(f"There is no cluster {cluster_id}.", field="id")
        banned = self._ban_authors(moderator, cluster_id, ban_days, why) if ban_days else 0
        return ClusterOutcome(rejected, banned)

    def _reject_batch(
        self, moderator: Moderator, cluster_id: int, why: str | None, batch: str
    ) -> int:
        now = self._context.clock()
        with self._context.store.write() as connection:
            scope = scope_of(connection, moderator)
            chosen = connection.execute(
                sa.select(comments.c.id, comments.c.article_id)
                .where(
                    comments.c.cluster_id == cluster_id,
                    comments.c.state == State.PENDING.value,
                    _in_scope(scope),
                )
                .order_by(comments.c.id)
                .limit(BATCH)
                .with_for_update()
            ).all()
            if not chosen:
                return 0
            ids = [row.id for row in chosen]
            # Still pending at update time: another moderator's decision is never overwritten.
            updated = connection.execute(
                comments.update()
                .where(one_of(comments.c.id, ids), comments.c.state == State.PENDING.value)
                .values(
                    state=State.REJECTED.value,
                    decided_by_id=moderator.id,
                    decided_at=now,
                    decision_reason=why,
                    updated_at=now,
                )
                .returning(comments.c.id, comments.c.article_id)
            ).all()
            _record(connection, moderator, updated, why, now, batch)
            # A campaign rejected as spam or abuse teaches triage its meaning.
            semantic_index.remember(connection, [row.id for row in updated], why, now)
            return len(updated)

    def _ban_authors(
        self, moderator: Moderator, cluster_id: int, days: int, why: str | None
    ) -> int:
        with self._context.store.read() as connection:
            # Only authors seen on the moderator's own sites: a ban is per site.
            scope = scope_of(connection, moderator)
            one_per_author = (
                connection.execute(
                    sa.select(sa.func.min(comments.c.id))
                    .where(comments.c.cluster_id == cluster_id, _in_scope(scope))
                    .group_by(comments.c.author_key)
                )
                .scalars()
                .all()
            )
        for comment_id in one_per_author:
            self._bans.ban(
                moderator,
                comment_id,
                days=days,
                by_commenter=True,
                by_email=True,
                reason=why,
            )
        return len(one_per_author)

    def _exists(self, cluster_id: int) -> bool:
        with self._context.store.read() as connection:
            query = sa.select(comments.c.id).where(comments.c.cluster_id == cluster_id).limit(1)
            return connection.execute(query).first() is not None


def _record(
    connection: Connection,
    moderator: Moderator,
    rows: Sequence[sa.Row[Any]],
    why: str | None,
    now: datetime,
    batch: str,
) -> None:
    if not rows:
        return
    connection.execute(
        events.insert(),
        [
            {
                "at": now,
                "action": Action.REJECT.value,
                "actor_kind": ActorKind.MODERATOR.value,
                "moderator_id": moderator.id,
                "comment_id": row.id,
                "article_id": row.article_id,
                "from_state": State.PENDING.value,
                "to_state": State.REJECTED.value,
                "reason": why,
                "before_text": None,
                "after_text": None,
                "batch": batch,
            }
            for row in rows
        ],
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)

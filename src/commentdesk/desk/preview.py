"""What a mass action would touch, read before it is done so the moderator can confirm.

One reading for every mass reject or ban (a campaign, a selection, an author's
everything, a ban that rejects what is waiting): how many comments, by which
pseudonyms, on which articles, and a few of their texts. It reads at most ``listed``
names and titles and ``samples`` x 4 texts, whatever the number of comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context
from commentdesk.desk.scope import Scope, scope_of
from commentdesk.desk.scope import in_scope as article_in_scope
from commentdesk.model import Moderator, State
from commentdesk.store.lists import one_of
from commentdesk.store.tables import articles, comments

#: A mass action asks first from this many comments on; one comment is just done.
CONFIRM_FROM = 2


@dataclass(frozen=True, slots=True)
class Preview:
    """The comments a mass action would touch, as the confirmation shows them."""

    count: int
    pseudonyms: tuple[str, ...]  # at most ``listed`` of them, first seen first
    pseudonym_count: int
    articles: tuple[str, ...]  # titles, at most ``listed``
    article_count: int
    samples: tuple[str, ...]  # a few distinct texts, oldest first

    @property
    def asks(self) -> bool:
        """Whether the action is big enough to be confirmed first."""
        return self.count >= CONFIRM_FROM


def in_scope(scope: Scope) -> Any:
    """Comments on the articles of ``scope`` (None: every article)."""
    return article_in_scope(scope, comments.c.article_id)


def preview(connection: Connection, where: Any, *, listed: int = 12, samples: int = 3) -> Preview:
    """The comments matching ``where`` (which the caller limits to the moderator's sites)."""
    count, authors, titles = connection.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.distinct(comments.c.author)),
            sa.func.count(sa.distinct(comments.c.article_id)),
        ).where(where)
    ).one()
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
    return Preview(
        count=int(count),
        pseudonyms=tuple(names),
        pseudonym_count=int(authors),
        articles=tuple(connection.execute(on).scalars()),
        article_count=int(titles),
        samples=tuple(dict.fromkeys(bodies))[:samples],
    )


class Previews:
    """Previews of the console's mass actions other than a campaign's (``Clusters``)."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def pending_of(self, moderator: Moderator, ids: Iterable[int]) -> Preview:
        """The comments among ``ids`` still pending on the moderator's sites: what a
        reject of that selection (or of an author's everything) would touch."""
        wanted = list(dict.fromkeys(ids))
        with self._context.store.read() as connection:
            where = sa.and_(
                one_of(comments.c.id, wanted),
                comments.c.state == State.PENDING.value,
                in_scope(scope_of(connection, moderator)),
            )
            return preview(connection, where)

    def ban_of(self, moderator: Moderator, comment_id: int) -> Preview:
        """What banning the author of ``comment_id`` and rejecting their waiting
        comments would touch: those comments, on the moderator's sites."""
        with self._context.store.read() as connection:
            scope = in_scope(scope_of(connection, moderator))
            key = connection.execute(  # a comment on another site has nothing to show
                sa.select(comments.c.author_key).where(comments.c.id == comment_id, scope)
            ).scalar_one_or_none()
            where = sa.and_(
                comments.c.author_key == key if key else sa.false(),
                comments.c.state == State.PENDING.value,
                scope,
            )
            return preview(connection, where)

"""What readers see: published threads a page at a time, their own comments, counts.

Reading only; every change to a comment goes through ``desk.comments`` and the
moderation services.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context, token_hash
from commentdesk.errors import NotFound
from commentdesk.model import Article, Comment, State
from commentdesk.store.lists import one_of
from commentdesk.store.records import comment_from, select_comments
from commentdesk.store.tables import articles, comments, events, staff_events


@dataclass(frozen=True, slots=True)
class ThreadPage:
    """One page of a published thread: its top-level comments and every reply under them.

    ``earlier`` and ``later`` are the keyset cursors of the neighbouring pages (pass them
    as ``before`` and ``after``), or None where there is no such page.
    """

    roots: list[Comment]
    replies: list[Comment]
    earlier: int | None
    later: int | None


#: Reply levels fetched under a page's roots; settings cap the depth at 10.
_REPLY_LEVELS = 10


class Threads:
    def __init__(self, context: Context) -> None:
        self._context = context

    def published(self, article: Article) -> list[Comment]:
        """Every published comment of ``article``, oldest first."""
        query = (
            select_comments()
            .where(comments.c.article_id == article.id, comments.c.state == State.APPROVED.value)
            .order_by(comments.c.id)
        )
        with self._context.store.read() as connection:
            return [comment_from(row) for row in connection.execute(query).mappings()]

    def last_change(self) -> tuple[int, int]:
        """The newest event's and staff event's ids: a cheap look for "anything since?"."""
        with self._context.store.read() as connection:
            return (
                int(connection.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0),
                int(connection.execute(sa.select(sa.func.max(staff_events.c.id))).scalar() or 0),
            )

    def published_on(self, article: Article, comment_id: int) -> Comment:
        """The published comment ``comment_id`` of ``article``; ``NotFound`` otherwise."""
        query = select_comments().where(
            comments.c.id == comment_id,
            comments.c.article_id == article.id,
            comments.c.state == State.APPROVED.value,
        )
        with self._context.store.read() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"There is no published comment {comment_id} here.", field="id")
        return comment_from(row)

    def thread(
        self, article: Article, *, limit: int, after: int | None = None, before: int | None = None
    ) -> ThreadPage:
        """``limit`` top-level published comments after (or before) an id, with their replies.

        Keyset paging, so page 40 of a long thread costs what page 1 does. A published reply
        whose parent is no longer published counts as top-level: withdrawing a comment never
        hides the answers to it.
        """
        parent = comments.alias("parent")
        roots = select_comments().where(
            comments.c.article_id == article.id,
            comments.c.state == State.APPROVED.value,
            sa.or_(
                comments.c.parent_id.is_(None),
                ~sa.exists().where(
                    parent.c.id == comments.c.parent_id, parent.c.state == State.APPROVED.value
                ),
            ),
        )
        backwards = before is not None
        page_query = (
            roots.where(comments.c.id < before).order_by(comments.c.id.desc())
            if before is not None
            else roots.where(comments.c.id > (after or 0)).order_by(comments.c.id)
        )
        with self._context.store.read() as connection:
            rows = [
                comment_from(r) for r in connection.execute(page_query.limit(limit + 1)).mappings()
            ]
            page, more = rows[:limit], len(rows) > limit
            if backwards:
                page.reverse()
            edge = (page[-1].id if backwards else page[0].id) if page else (before or after or 0)
            beyond = comments.c.id > edge if backwards else comments.c.id < edge
            other_side = connection.execute(roots.where(beyond).limit(1)).first() is not None
            replies = _replies(connection, [c.id for c in page])
        earlier, later = (more, other_side) if backwards else (other_side, more)
        return ThreadPage(
            roots=page,
            replies=replies,
            earlier=page[0].id if earlier and page else None,
            later=page[-1].id if later and page else None,
        )

    def own(self, tokens: Mapping[int, str]) -> list[Comment]:
        """The comments whose edit tokens a reader holds (their own, whatever the state)."""
        if not tokens:
            return []
        query = select_comments().where(one_of(comments.c.id, tokens)).order_by(comments.c.id)
        with self._context.store.read() as connection:
            rows = list(connection.execute(query).mappings())
        return [
            comment_from(row)
            for row in rows
            if secrets.compare_digest(row["edit_token_hash"], token_hash(tokens[row["id"]]))
        ]

    def counts(self, keys: Iterable[str]) -> dict[str, int]:
        """Published comments per article key; unknown keys count zero."""
        wanted = list(dict.fromkeys(keys))
        query = sa.select(articles.c.key, articles.c.published_count).where(
            one_of(articles.c.key, wanted)
        )
        with self._context.store.read() as connection:
            found: dict[str, int] = {
                row.key: row.published_count for row in connection.execute(query)
            }
        return {key: found.get(key, 0) for key in wanted}


def _replies(connection: Connection, root_ids: list[int]) -> list[Comment]:
    """Every published reply under ``root_ids``, oldest first, fetched level by level."""
    found: list[Comment] = []
    level = root_ids
    for _ in range(_REPLY_LEVELS):
        if not level:
            break
        query = select_comments().where(
            one_of(comments.c.parent_id, level), comments.c.state == State.APPROVED.value
        )
        children = [comment_from(row) for row in connection.execute(query).mappings()]
        found.extend(children)
        level = [c.id for c in children]
    return sorted(found, key=lambda c: c.id)

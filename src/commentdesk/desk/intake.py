"""Storing the comments readers submit: every post waiting at one moment, together.

On SQLite one writer holds the lock at a time and every post waits for it, so under a
flood the lock is what limits the desk. What a post needs is therefore made before it
takes the lock (its row, its edit token, its event), and the posts waiting together are
written by one of them (``store/together.py``) in three statements between them: their
comments (one ``INSERT … RETURNING``), their rows for the assessment worker and their
submit events. Inside, only what may have changed while they waited is read again:
whether each article is still open, whether a replied-to comment is still published,
and whether an idempotency key was used meanwhile. A post refused there is answered its
error and written nothing; the others are stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.assessor import Assessor
from commentdesk.desk.audit import event_row, record_events
from commentdesk.desk.bans import Identity
from commentdesk.desk.catalog import is_open
from commentdesk.desk.context import Context, token_hash
from commentdesk.desk.screening import Screened
from commentdesk.errors import ArticleClosed, IdempotencyKeyReused, InvalidInput
from commentdesk.model import Action, ActorKind, Article, Comment, Site, State, Submitted
from commentdesk.store.lists import one_of
from commentdesk.store.records import (
    assessment_to,
    comment_from,
    get_articles,
    get_comment,
    select_comments,
)
from commentdesk.store.tables import comments, idempotency_keys

#: Built once: building a statement costs more than executing it on this path. One
#: statement for every row: asking SQLAlchemy for the rows back in order would make it
#: one statement a row on SQLite, so they are matched by their edit token's hash instead.
_INSERT_COMMENTS = comments.insert().returning(*comments.c)


@dataclass(frozen=True, slots=True)
class Post:
    """A submission that passed every check, made ready to be written."""

    article: Article
    #: What the reader sent: an idempotent retry must match it (``fingerprint``).
    fingerprint: str
    idempotency_key: str | None
    edit_token: str
    #: The comment's columns, all but its place in the thread (``parent_id`` asks).
    row: dict[str, object]
    parent_id: int | None
    post_moderated: bool
    at: datetime


class Intake:
    """Writes posts (``store``) and answers an idempotent retry its first post (``replay``)."""

    def __init__(self, context: Context, assessor: Assessor) -> None:
        self._context = context
        self._assessor = assessor

    def prepare(
        self,
        article: Article,
        site: Site,
        *,
        author: str,
        body: str,
        email: str | None,
        parent_id: int | None,
        fingerprint: str,
        idempotency_key: str | None,
        who: Identity,
        screened: Screened,
        post_moderated: bool,
        subscriber: bool,
    ) -> Post:
        """Everything of a post that needs no lock: ``site``'s terms version a moment
        old is the one the reader was shown."""
        context = self._context
        now = context.clock()
        edit_token = (
            context.keyed_hash("edit-token", idempotency_key)
            if idempotency_key is not None
            else secrets.token_urlsafe(32)
        )
        provisional = screened.assessment
        # Held until the worker's assessment; a post-moderated one is published then.
        row: dict[str, object] = {
            "article_id": article.id,
            "author": author,
            "email": email,
            "body": body,
            "state": State.PENDING.value,
            "featured": False,
            "created_at": now,
            "updated_at": now,
            "editable_until": now + timedelta(minutes=context.settings.edit_window_minutes),
            "edit_token_hash": token_hash(edit_token),
            "terms_version": site.terms_version,
            "edited_by_moderator": False,
            "risk": provisional.risk,
            "assessment": assessment_to(provisional),
            "language": screened.evidence.language.language,
            "author_key": who.author_key,
            "commenter_hash": who.commenter_hash,
            "email_hash": who.email_hash,
            "subscriber": subscriber or None,
        }
        return Post(
            article=article,
            fingerprint=fingerprint,
            idempotency_key=idempotency_key,
            edit_token=edit_token,
            row=row,
            parent_id=parent_id,
            post_moderated=post_moderated,
            at=now,
        )

    def store(self, post: Post) -> Submitted:
        """Writes ``post`` with those waiting beside it; its error if it was refused."""
        return self._context.store.write_many(self._write, post)

    def replay(
        self, connection: Connection, key: str, fingerprint: str, idempotency_key: str
    ) -> Submitted | None:
        """The post first stored under ``idempotency_key``, if any; raises if that key
        was used for another submission (``fingerprint`` of article ``key``)."""
        row = (
            connection.execute(
                sa.select(idempotency_keys).where(
                    idempotency_keys.c.key_hash
                    == self._context.keyed_hash("idempotency", idempotency_key)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        if row["fingerprint"] != fingerprint:
            raise IdempotencyKeyReused()
        earlier = get_comment(connection, row["comment_id"])
        assert earlier is not None
        return Submitted(
            earlier,
            self._context.keyed_hash("edit-token", idempotency_key),
            publishes_when_assessed=self._assessor.publishes_when_assessed(connection, earlier.id),
        )

    def _write(self, connection: Connection, posts: Sequence[Post]) -> list[Submitted | Exception]:
        """``posts`` in a few statements; each one refused here gets its error instead."""
        answers: dict[int, Submitted | Exception] = {}
        fresh = get_articles(connection, {post.article.id for post in posts})
        parents = _comments(connection, {p.parent_id for p in posts if p.parent_id is not None})
        rows: list[dict[str, object]] = []
        written: list[int] = []
        for n, post in enumerate(posts):
            try:
                if post.idempotency_key is not None:
                    earlier = self.replay(
                        connection, post.article.key, post.fingerprint, post.idempotency_key
                    )
                    if earlier is not None:
                        answers[n] = earlier
                        continue
                if not is_open(fresh[post.article.id], post.at):
                    raise ArticleClosed()
                parent_id, reply_to_id, depth = self._placement(post, parents)
            except (ArticleClosed, IdempotencyKeyReused, InvalidInput) as exc:
                answers[n] = exc
                continue
            rows.append(
                {**post.row, "parent_id": parent_id, "reply_to_id": reply_to_id, "depth": depth}
            )
            written.append(n)
        if rows:
            inserted = {
                row["edit_token_hash"]: row
                for row in connection.execute(_INSERT_COMMENTS, rows).mappings()
            }
            pairs = [
                (
                    n,
                    posts[n],
                    comment_from({**inserted[row["edit_token_hash"]], "decided_by": None}),
                )
                for n, row in zip(written, rows, strict=True)
            ]
            self._assessor.enqueue_all(connection, [(c.id, p.post_moderated) for _, p, c in pairs])
            record_events(connection, [self._event(p, c) for _, p, c in pairs])
            self._remember_keys(connection, [(p, c) for _, p, c in pairs])
            for n, post, comment in pairs:
                answers[n] = Submitted(
                    comment, post.edit_token, publishes_when_assessed=post.post_moderated
                )
        return [answers[n] for n in range(len(posts))]

    def _event(self, post: Post, comment: Comment) -> dict[str, object]:
        return event_row(
            at=post.at,
            action=Action.SUBMIT,
            actor_kind=ActorKind.READER,
            comment_id=comment.id,
            article_id=comment.article_id,
            to_state=comment.state,
            after_text=comment.body,
        )

    def _remember_keys(self, connection: Connection, stored: list[tuple[Post, Comment]]) -> None:
        """The idempotency keys of the posts that carried one, with what they stored."""
        keyed = [
            {
                "key_hash": self._context.keyed_hash("idempotency", post.idempotency_key),
                "fingerprint": post.fingerprint,
                "comment_id": comment.id,
                "created_at": post.at,
            }
            for post, comment in stored
            if post.idempotency_key is not None
        ]
        if keyed:
            connection.execute(idempotency_keys.insert(), keyed)

    def _placement(
        self, post: Post, parents: dict[int, Comment]
    ) -> tuple[int | None, int | None, int]:
        """Where a reply goes: (parent, replied-to, depth), capped at the deepest level."""
        if post.parent_id is None:
            return None, None, 0
        parent = parents.get(post.parent_id)
        if (
            parent is None
            or parent.article_id != post.article.id
            or parent.state is not State.APPROVED
        ):
            raise InvalidInput(
                "parent_id", "You can only reply to a published comment on this article."
            )
        deepest = self._context.settings.max_reply_depth - 1
        if parent.depth < deepest:
            return parent.id, parent.id, parent.depth + 1
        # Too deep: join the parent's own level, remembering whom it answers.
        return parent.parent_id, parent.id, parent.depth


def _comments(connection: Connection, ids: set[int]) -> dict[int, Comment]:
    if not ids:
        return {}
    rows = connection.execute(select_comments().where(one_of(comments.c.id, ids))).mappings()
    return {row["id"]: comment_from(row) for row in rows}

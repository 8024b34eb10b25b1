"""The review of comments, what moderators do: read the queue, decide (approve, reject,
edit, feature, withdraw) and read a comment's history."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import lifecycle
from commentdesk.desk import semantic_index
from commentdesk.desk.audit import record_event
from commentdesk.desk.context import Context
from commentdesk.desk.notices import close_in
from commentdesk.desk.notifier import Notifier
from commentdesk.desk.queue import Author, Details, QueueFilter, author_of, details, narrow
from commentdesk.desk.scope import check_comment, comment_not_found, scope_of
from commentdesk.errors import (
    AlreadyDecided,
    Conflict,
    InvalidInput,
    StateChanged,
    TransitionRefused,
)
from commentdesk.lifecycle import MODERATOR_ACTIONS
from commentdesk.model import Action, ActorKind, Comment, Event, Moderator, State
from commentdesk.notices import outcome_of
from commentdesk.store.records import (
    COMMENT_COLUMNS,
    COMMENT_FROM,
    bump_article,
    comment_from,
    events_for,
    get_comment,
)
from commentdesk.store.tables import articles, comments, reports, sections
from commentdesk.validation import clean_body, clean_reason

QUEUE_LIMIT_MAX = 200


@dataclass(frozen=True, slots=True)
class QueueItem:
    comment: Comment
    article_key: str
    article_title: str
    reports: int
    details: Details = field(default_factory=Details)
    #: The name of the article's section; None when it is in none.
    section: str | None = None


@dataclass(frozen=True, slots=True)
class QueuePage:
    items: list[QueueItem]
    next_cursor: str | None


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    """Reads a cursor this module wrote; anything else is an ``InvalidInput``."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeError):
        values = None
    if not (
        isinstance(values, list)
        and len(values) == 2
        and isinstance(values[1], int)
        and isinstance(values[0], int | float | str)
    ):
        raise InvalidInput("cursor", "This cursor is not one the queue gave out; start again.")
    return values


class Review:
    def __init__(self, context: Context, notifier: Notifier) -> None:
        self._context = context
        self._notifier = notifier

    def queue(
        self,
        *,
        state: State | None = State.PENDING,
        sort: str = "risk",
        limit: int = 50,
        cursor: str | None = None,
        filters: QueueFilter | None = None,
        moderator: Moderator | None = None,
    ) -> QueuePage:
        """A page of the queue: by risk (highest first) or by age (oldest first), keyset-paged.

        With ``moderator``, only the sites they moderate; ``filters`` narrow it further.
        """
        if not 1 <= limit <= QUEUE_LIMIT_MAX:
            raise InvalidInput("limit", f"limit must be between 1 and {QUEUE_LIMIT_MAX}.")
        report_count = (
            sa.select(sa.func.count())
            .where(reports.c.comment_id == comments.c.id)
            .scalar_subquery()
            .label("report_count")
        )
        query = (
            sa.select(
                *COMMENT_COLUMNS,
                articles.c.key,
                articles.c.title,
                report_count,
                sections.c.name.label("section_name"),
            )
            .select_from(
                COMMENT_FROM.join(articles, articles.c.id == comments.c.article_id).outerjoin(
                    sections, sections.c.id == articles.c.section_id
                )
            )
            .limit(limit + 1)
        )
        if state is not None:
            query = query.where(comments.c.state == state.value)
        if sort == "risk":
            if cursor:
                risk, last = decode_cursor(cursor)
                query = query.where(
                    comments.c.risk <= risk,  # lets the index seek instead of scanning
                    sa.or_(
                        comments.c.risk < risk,
                        sa.and_(comments.c.risk == risk, comments.c.id > last),
                    ),
                )
        elif sort == "age":
            if cursor:
                _, last = decode_cursor(cursor)
                query = query.where(comments.c.id > last)
        else:
            raise InvalidInput("sort", "sort must be 'risk' or 'age'.")
        with self._context.store.read() as connection:
            scope = scope_of(connection, moderator) if moderator else None
            narrowed = narrow(connection, query, filters or QueueFilter(), scope)
            query = narrowed.query.order_by(*_order(sort, few=narrowed.few))
            rows = list(connection.execute(query).mappings())
            extra = details(connection, rows[:limit])
        items = [
            QueueItem(
                comment_from(row),
                row["key"],
                row["title"],
                row["report_count"],
                extra[row["id"]],
                row["section_name"],
            )
            for row in rows[:limit]
        ]
        next_cursor = None
        if len(rows) > limit:
            last_item = items[-1].comment
            next_cursor = encode_cursor(
                [last_item.assessment.risk if sort == "risk" else 0, last_item.id]
            )
        return QueuePage(items, next_cursor)

    def decide(
        self,
        moderator: Moderator,
        comment_id: int,
        action: Action,
        *,
        reason: str | None = None,
        body: str | None = None,
        reversing: State | None = None,
        batch: str | None = None,
        code: str | None = None,
    ) -> Comment:
        """Applies one moderator action and records its event, atomically. ``code``:
        the site's reason that ``reason`` begins with, if one was chosen.

        Two moderators deciding one comment at once: the first wins; the second gets
        ``AlreadyDecided`` naming who decided what, and no event is written for it.
        ``reversing`` names the settled state a deliberate reversal undoes (approving a
        rejected or withdrawn comment), with a reason; if the comment has left that
        state meanwhile, ``StateChanged`` and nothing is written.
        """
        if action not in MODERATOR_ACTIONS:
            raise InvalidInput("action", f"{action.value!r} is not a moderator action.")
        required = action in (Action.REJECT, Action.EDIT) or reversing is not None
        why = clean_reason(reason, required=required)
        text = clean_body(body or "") if action is Action.EDIT else None
        with self._context.store.write() as connection:
            return self.decide_in(
                connection,
                moderator,
                comment_id,
                action,
                why=why,
                text=text,
                reversing=reversing,
                batch=batch,
                now=self._context.clock(),
                code=code,
            )

    def decide_in(
        self,
        connection: Connection,
        moderator: Moderator,
        comment_id: int,
        action: Action,
        *,
        why: str | None,
        text: str | None,
        reversing: State | None,
        batch: str | None,
        now: datetime,
        code: str | None = None,
    ) -> Comment:
        """``decide`` inside a transaction the caller holds, with the reason and text
        already cleaned: for actions that change more than one comment at once. Raises
        before writing anything when the comment cannot take the action."""
        comment = get_comment(connection, comment_id, for_update=True)
        if comment is None:
            raise comment_not_found(comment_id)
        check_comment(connection, moderator, comment_id, comment.article_id)
        new_state = _next_state(comment, action, reversing)
        if action is Action.FEATURE and comment.featured:
            raise Conflict("This comment is featured already.")
        if action is Action.UNFEATURE and not comment.featured:
            raise Conflict("This comment is not featured.")
        values: dict[str, Any] = {"state": new_state.value, "updated_at": now}
        if action in (Action.APPROVE, Action.REJECT, Action.WITHDRAW):
            values |= {
                "decided_by_id": moderator.id,
                "decided_at": now,
                "decision_reason": why,
                "decision_reason_code": code,
            }
        elif action is Action.EDIT:
            values |= {
                "body": text,
                "edited_by_moderator": True,
                "edit_reason": why,
                "edit_reason_code": code,
            }
        else:
            values["featured"] = action is Action.FEATURE
        connection.execute(comments.update().where(comments.c.id == comment_id).values(values))
        record_event(
            connection,
            at=now,
            action=action,
            actor_kind=ActorKind.MODERATOR,
            moderator_id=moderator.id,
            comment_id=comment_id,
            article_id=comment.article_id,
            from_state=comment.state,
            to_state=new_state,
            reason=why,
            before_text=comment.body if action is Action.EDIT else None,
            after_text=text,
            batch=batch,
            reason_code=code,
        )
        self._notifier.decided(connection, comment, action, code)  # mail, in this transaction
        if action is Action.REJECT:  # moderators teach triage what to flag next time
            semantic_index.remember(connection, [comment_id], why, now)
        if comment.state is State.REJECTED:  # no longer an example of what is rejected
            semantic_index.forget_exemplar(connection, comment_id)
        if action is Action.WITHDRAW:  # the reports are answered
            connection.execute(
                reports.update()
                .where(reports.c.comment_id == comment_id, reports.c.resolved_at.is_(None))
                .values(resolved_at=now)
            )
        outcome = outcome_of(action)
        if outcome is not None:  # the notices on it are decided with it
            mail = self._notifier.email_on
            close_in(connection, comment_id, outcome, moderator_id=moderator.id, now=now, mail=mail)
        was, now_public = lifecycle.is_public(comment.state), lifecycle.is_public(new_state)
        if was or now_public:
            bump_article(connection, comment.article_id, count_delta=now_public - was)
        updated = get_comment(connection, comment_id)
        assert updated is not None
        return updated

    def author(self, moderator: Moderator, author_key: str) -> Author:
        """What an author key stands for on the moderator's sites: a browser, an email
        or a pseudonym, and the pseudonyms used with it (for "all from …" views)."""
        with self._context.store.read() as connection:
            return author_of(connection, author_key, scope_of(connection, moderator))

    def history(self, comment_id: int, moderator: Moderator | None = None) -> list[Event]:
        """Every event of one comment, oldest first (only in ``moderator``'s sites, if given)."""
        with self._context.store.read() as connection:
            if moderator is not None:
                comment = get_comment(connection, comment_id)
                if comment is None:
                    raise comment_not_found(comment_id)
                check_comment(connection, moderator, comment_id, comment.article_id)
            return events_for(connection, [comment_id])


def _order(sort: str, *, few: bool) -> list[sa.ColumnElement[Any]]:
    """The queue's order; for a few comments named by id, the same order through
    expressions no index serves (``+ 0``), so the database fetches them and sorts."""
    risk: sa.ColumnElement[Any] = comments.c.risk
    ident: sa.ColumnElement[Any] = comments.c.id
    if few:
        risk, ident = risk + 0, ident + 0
    return [risk.desc(), ident] if sort == "risk" else [ident]


def _next_state(comment: Comment, action: Action, reversing: State | None) -> State:
    """Where ``action`` takes the comment, or the conflict that says why not."""
    if reversing is not None:
        if comment.state is not reversing:
            raise StateChanged(comment.state, reversing)
        return lifecycle.reversed_state(comment.state, action)
    try:
        return lifecycle.next_state(comment.state, action)
    except TransitionRefused:
        if comment.decided_by is not None and comment.state is not State.PENDING:
            raise AlreadyDecided(comment.decided_by, comment.state) from None
        raise

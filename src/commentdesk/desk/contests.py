"""The second review of a contested decision: the "contested" queue, and its outcome.

A moderator other than the one who decided (``SecondReviewRequired`` otherwise) upholds
the decision with a note, or reverses it through the ordinary reversal of a decision
(``Review.decide_in``): a rejection by approving the comment (``reversing`` rejected),
an edit by editing the text back to the author's. Each outcome is a staff event
(``contest_upheld`` / ``contest_reversed``), the reversal also its own decision event,
all in the transaction that closes the contest; the author is told by mail.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.desk.notifier import Notifier
from commentdesk.desk.review import Review
from commentdesk.desk.scope import Scope, check_comment, in_scope, scope_of
from commentdesk.errors import Conflict, InvalidInput, NotFound, SecondReviewRequired
from commentdesk.model import Action, Comment, Moderator, State
from commentdesk.store.records import get_comment
from commentdesk.store.tables import articles, comments, contests, events, moderators, sites
from commentdesk.validation import clean_reason

Outcome = Literal["uphold", "reverse"]
OUTCOMES: tuple[Outcome, ...] = ("uphold", "reverse")
OPEN_MAX = 200


@dataclass(frozen=True, slots=True)
class ContestItem:
    """One open contest, as the second moderator needs it."""

    id: int
    comment: Comment
    article_key: str
    article_title: str
    action: Action  # the contested decision: REJECT or EDIT
    decided_by: str
    decided_by_id: int | None
    decided_at: datetime
    reason: str | None
    original_text: str | None  # an edit's text before the moderator changed it
    text: str  # the author's contest
    created_at: datetime


def _open_query(scope: Scope) -> sa.Select[tuple[object, ...]]:
    return (
        sa.select(
            contests.c.id,
            contests.c.comment_id,
            contests.c.text,
            contests.c.created_at,
            events.c.action,
            events.c.moderator_id,
            events.c.at,
            events.c.reason,
            events.c.before_text,
            moderators.c.name,
            articles.c.key,
            articles.c.title,
        )
        .select_from(
            contests.join(events, events.c.id == contests.c.event_id)
            .join(articles, articles.c.id == events.c.article_id)
            .outerjoin(moderators, moderators.c.id == events.c.moderator_id)
        )
        .where(contests.c.outcome.is_(None), in_scope(scope, events.c.article_id))
        .order_by(contests.c.id)
    )


def _item(connection: Connection, row: sa.Row[tuple[object, ...]]) -> ContestItem:
    comment = get_comment(connection, int(row.comment_id))
    assert comment is not None
    return ContestItem(
        id=row.id,
        comment=comment,
        article_key=row.key,
        article_title=row.title,
        action=Action(row.action),
        decided_by=row.name or "-",
        decided_by_id=row.moderator_id,
        decided_at=row.at,
        reason=row.reason,
        original_text=row.before_text,
        text=row.text,
        created_at=row.created_at,
    )


class Contests:
    def __init__(self, context: Context, review: Review, notifier: Notifier) -> None:
        self._context = context
        self._review = review
        self._notifier = notifier

    def open(self, moderator: Moderator, *, limit: int = OPEN_MAX) -> list[ContestItem]:
        """Open contests on the moderator's sites, oldest first."""
        with self._context.store.read() as connection:
            query = _open_query(scope_of(connection, moderator)).limit(min(limit, OPEN_MAX))
            return [_item(connection, row) for row in connection.execute(query)]

    def count_open(self, moderator: Moderator) -> int:
        with self._context.store.read() as connection:
            query = _open_query(scope_of(connection, moderator)).subquery()
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(query)).scalar_one()
            )

    def review(
        self, moderator: Moderator, contest_id: int, outcome: Outcome, note: str | None
    ) -> Comment:
        """Closes an open contest: ``uphold`` keeps the decision, ``reverse`` undoes it
        as a new decision. ``note`` (required) is kept with the outcome and shown to the
        author. Raises ``SecondReviewRequired`` for the moderator who decided,
        ``Conflict`` for a contest already reviewed, ``NotFound`` outside their sites."""
        if outcome not in OUTCOMES:
            raise NotFound("There is no outcome %(value)s.", field="outcome", value=outcome)
        try:
            why = clean_reason(note, required=True)
        except InvalidInput as exc:  # the same rule as a reason, under its own name
            raise InvalidInput("note", exc.message) from None
        now = self._context.clock()
        with self._context.store.write() as connection:
            found = (
                connection.execute(
                    sa.select(
                        contests, events.c.moderator_id, events.c.action, events.c.before_text
                    )
                    .select_from(contests.join(events, events.c.id == contests.c.event_id))
                    .where(contests.c.id == contest_id)
                    .with_for_update(of=contests)
                )
                .mappings()
                .first()
            )
            if found is None:
                raise NotFound("There is no contest %(id)s.", field="id", id=contest_id)
            comment = get_comment(connection, found["comment_id"], for_update=True)
            assert comment is not None
            check_comment(connection, moderator, comment.id, comment.article_id)
            if found["outcome"] is not None:
                raise Conflict("This contest has been reviewed already.")
            if found["moderator_id"] == moderator.id:
                raise SecondReviewRequired()
            resolution = None
            if outcome == "reverse":
                resolution = self._reverse(connection, moderator, comment, found, why, now)
            connection.execute(
                contests.update()
                .where(contests.c.id == contest_id)
                .values(
                    outcome="reversed" if outcome == "reverse" else "upheld",
                    note=why,
                    reviewed_by_id=moderator.id,
                    reviewed_at=now,
                    resolution_event_id=resolution,
                )
            )
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.CONTEST_REVERSED
                if outcome == "reverse"
                else StaffAction.CONTEST_UPHELD,
                moderator_id=moderator.id,
                comment_id=comment.id,
                target=f"event:{found['event_id']}",
                reason=why,
            )
            self._notifier.contest_reviewed(connection, comment.id)
            updated = get_comment(connection, comment.id)
        assert updated is not None
        return updated

    def _reverse(
        self,
        connection: Connection,
        moderator: Moderator,
        comment: Comment,
        contest: sa.RowMapping,
        why: str | None,
        now: datetime,
    ) -> int:
        """Undoes the contested decision as a decision of its own; returns its event id."""
        if contest["action"] == Action.REJECT.value:
            self._review.decide_in(
                connection, moderator, comment.id, Action.APPROVE, why=why, text=None,
                reversing=State.REJECTED, batch=None, now=now,
            )  # fmt: skip
        else:
            self._review.decide_in(
                connection, moderator, comment.id, Action.EDIT, why=why,
                text=contest["before_text"], reversing=None, batch=None, now=now,
            )  # fmt: skip
            # The author's text is back: the page says "edited" only for an earlier edit.
            earlier = (
                connection.execute(
                    sa.select(events.c.reason, events.c.reason_code)
                    .where(
                        events.c.comment_id == comment.id,
                        events.c.id < contest["event_id"],
                        events.c.action == Action.EDIT.value,
                    )
                    .order_by(events.c.id.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
            connection.execute(
                comments.update()
                .where(comments.c.id == comment.id)
                .values(
                    edited_by_moderator=earlier is not None,
                    edit_reason=earlier["reason"] if earlier else None,
                    edit_reason_code=earlier["reason_code"] if earlier else None,
                )
            )
        return int(
            connection.execute(
                sa.select(sa.func.max(events.c.id)).where(events.c.comment_id == comment.id)
            ).scalar_one()
        )


def figures(
    connection: Connection, start: datetime, end: datetime, scope: Scope
) -> Counter[tuple[str, str]]:
    """For the transparency export, by site: statements issued (rejections and edits by
    moderators), contests received, upheld and reversed, in [start, end)."""
    by_site = articles.join(sites, sites.c.id == articles.c.site_id)
    issued = (
        sa.select(sites.c.slug, sa.literal("statements"))
        .select_from(events.join(by_site, articles.c.id == events.c.article_id))
        .where(
            events.c.at >= start,
            events.c.at < end,
            events.c.action.in_([Action.REJECT.value, Action.EDIT.value]),
            events.c.moderator_id.is_not(None),
            in_scope(scope, events.c.article_id),
        )
    )
    contested = (
        sa.select(sites.c.slug, contests.c.created_at, contests.c.reviewed_at, contests.c.outcome)
        .select_from(
            contests.join(events, events.c.id == contests.c.event_id).join(
                by_site, articles.c.id == events.c.article_id
            )
        )
        .where(
            sa.or_(
                sa.and_(contests.c.created_at >= start, contests.c.created_at < end),
                sa.and_(contests.c.reviewed_at >= start, contests.c.reviewed_at < end),
            ),
            in_scope(scope, events.c.article_id),
        )
    )
    counts: Counter[tuple[str, str]] = Counter(
        (slug, name) for slug, name in connection.execute(issued)
    )
    for slug, created, reviewed, outcome in connection.execute(contested):
        if start <= created < end:
            counts[(slug, "contests")] += 1
        if outcome and reviewed is not None and start <= reviewed < end:
            counts[(slug, f"contests_{outcome}")] += 1
    return counts

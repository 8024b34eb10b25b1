"""The console's decisions on top of ``Review.decide``: reasons from the site's
list, bulk actions, undo, and answering reports.

``Review.decide`` keeps the one-winner rule (row lock, then a state check); this
module never writes a comment's state any other way except ``undo``, which takes the
same lock and refuses when anyone has acted on the comment since.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import lifecycle
from commentdesk.desk import semantic_index
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.bans import Bans
from commentdesk.desk.context import Context
from commentdesk.desk.notices import close_in, reopen_in
from commentdesk.desk.review import Review
from commentdesk.desk.scope import check_comment, comment_not_found, in_scope, scope_of
from commentdesk.errors import CommentdeskError, Conflict, InvalidInput
from commentdesk.model import Action, Comment, Moderator, Site, SiteReason, State
from commentdesk.notices import Outcome as NoticeOutcome
from commentdesk.sitetexts import compose, find
from commentdesk.store.records import bump_article, get_comment, get_site
from commentdesk.store.tables import articles, comments, events, reports, staff_events
from commentdesk.validation import clean_reason

UNDO_WINDOW = timedelta(seconds=15)
BULK_MAX = 500
BULK_ACTIONS = frozenset({Action.APPROVE, Action.REJECT, Action.WITHDRAW, Action.FEATURE})
_UNDOABLE = (Action.APPROVE, Action.REJECT, Action.WITHDRAW, Action.EDIT, Action.FEATURE)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one comment of a bulk action."""

    comment_id: int
    ok: bool
    message: str


@dataclass(frozen=True, slots=True)
class Undoable:
    event_id: int
    comment_id: int
    action: Action
    at: datetime
    until: datetime
    batch: str | None = None  # one bulk or campaign action: undo reverts all of it
    count: int = 1  # decisions in that action


class Decisions:
    def __init__(self, context: Context, review: Review, bans: Bans) -> None:
        self._context = context
        self._review = review
        self._bans = bans

    def reasons_for(
        self, comment_id: int, moderator: Moderator | None = None, *, edit: bool = False
    ) -> tuple[SiteReason, ...]:
        """The reject (or edit) reasons of the comment's site (one of ``moderator``'s,
        if given)."""
        site = self._site(comment_id, moderator)
        return site.edit_reasons if edit else site.reject_reasons

    def _site(self, comment_id: int, moderator: Moderator | None) -> Site:
        with self._context.store.read() as connection:
            site_id = _site_of(connection, comment_id)
            if moderator is not None:
                article_id = connection.execute(
                    sa.select(comments.c.article_id).where(comments.c.id == comment_id)
                ).scalar_one()
                check_comment(connection, moderator, comment_id, article_id)
            return get_site(connection, site_id)

    def chosen_reason(
        self, moderator: Moderator, comment_id: int, action: Action, choice: str | None
    ) -> tuple[str | None, str | None]:
        """The chosen reason's code and its sentence in the site's language, or
        ``InvalidInput`` for a code the site does not offer for ``action``."""
        if not choice or action not in (Action.REJECT, Action.EDIT):
            return None, None
        site = self._site(comment_id, moderator)
        edit = action is Action.EDIT
        reason = find(site.edit_reasons if edit else site.reject_reasons, choice)
        if reason is None and edit:
            raise InvalidInput("choice", "Pick one of this site's edit reasons.")
        if reason is None:
            raise InvalidInput("choice", "Pick one of this site's reject reasons.")
        return reason.code, reason.text(site.language, site.language)

    def decide(
        self,
        moderator: Moderator,
        comment_id: int,
        action: Action,
        *,
        choice: str | None = None,
        note: str | None = None,
        body: str | None = None,
        reversing: State | None = None,
        batch: str | None = None,
    ) -> Comment:
        """One decision with a reason picked from the site's list (``choice``: its code,
        or its sentence in any language) and/or typed (``note``). The stored words are
        the reason's sentence in the site's language, then the note; the code is stored
        beside them.

        Raises ``InvalidInput`` for a code the site does not offer, and whatever
        ``Review.decide`` raises (``AlreadyDecided`` when someone was faster).
        """
        # Scope first: another site's comment must answer as a missing one, not 422.
        code, sentence = self.chosen_reason(moderator, comment_id, action, choice)
        return self._review.decide(
            moderator,
            comment_id,
            action,
            reason=compose(sentence, note),
            code=code,
            body=body,
            reversing=reversing,
            batch=batch,
        )

    def bulk(
        self,
        moderator: Moderator,
        ids: Iterable[int],
        action: Action,
        *,
        choice: str | None = None,
        note: str | None = None,
    ) -> list[Outcome]:
        """The same decision on many comments, each in its own transaction.

        A comment someone else decided meanwhile is reported, not fatal: the rest go on.
        """
        if action not in BULK_ACTIONS:
            raise InvalidInput("action", "Bulk actions are approve, reject, withdraw and feature.")
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            raise InvalidInput("ids", "Select at least one comment.")
        if len(wanted) > BULK_MAX:
            raise InvalidInput("ids", f"Select at most {BULK_MAX} comments at once.")
        if action is Action.REJECT:  # refused once, before any comment, not once each
            clean_reason(compose(choice, note), required=True)
        outcomes = []
        batch = secrets.token_hex(8)  # undo reverts the whole action
        for comment_id in wanted:
            try:
                self.decide(moderator, comment_id, action, choice=choice, note=note, batch=batch)
            except CommentdeskError as exc:
                outcomes.append(Outcome(comment_id, ok=False, message=exc.message))
            else:
                outcomes.append(Outcome(comment_id, ok=True, message=action.value))
        return outcomes

    def by_author(
        self, moderator: Moderator, author_key: str, state: State, *, author: str | None = None
    ) -> list[int]:
        """Ids of the author's comments in ``state`` on the sites ``moderator`` works on:
        every pseudonym of ``author_key``, or only the pseudonym ``author`` when given."""
        with self._context.store.read() as connection:
            return _by_author(connection, moderator, author_key, state, author)

    def ban(
        self,
        moderator: Moderator,
        comment_id: int,
        *,
        days: int,
        by_commenter: bool,
        by_email: bool,
        reason: str | None,
        reject_pending: bool,
    ) -> list[Outcome]:
        """Bans the author of ``comment_id`` and, with ``reject_pending``, rejects every
        comment of theirs still waiting on the sites ``moderator`` works on, for the ban's
        reason: one transaction, so there is never a ban without its rejections or the
        other way round. The rejections share one undo; the ban is lifted on its own.
        A comment that cannot be rejected (decided meanwhile) is reported, not fatal."""
        now = self._context.clock()
        batch = secrets.token_hex(8)
        outcomes: list[Outcome] = []
        with self._context.store.write() as connection:
            banned = self._bans.ban_in(
                connection,
                moderator,
                comment_id,
                days=days,
                by_commenter=by_commenter,
                by_email=by_email,
                reason=reason,
                now=now,
            )
            if not (reject_pending and banned.author_key):
                return outcomes
            for pending in _by_author(connection, moderator, banned.author_key, State.PENDING):
                try:
                    self._review.decide_in(
                        connection,
                        moderator,
                        pending,
                        Action.REJECT,
                        why=banned.reason,
                        text=None,
                        reversing=None,
                        batch=batch,
                        now=now,
                    )
                except CommentdeskError as exc:  # raised before anything was written
                    outcomes.append(Outcome(pending, ok=False, message=exc.message))
                else:
                    outcomes.append(Outcome(pending, ok=True, message=Action.REJECT.value))
        return outcomes

    def undoable(self, moderator: Moderator) -> Undoable | None:
        """The moderator's last decision, while it can still be undone."""
        with self._context.store.read() as connection:
            return self._last(connection, moderator)

    def _last(self, connection: Connection, moderator: Moderator) -> Undoable | None:
        now = self._context.clock()
        row = connection.execute(
            sa.select(
                events.c.id, events.c.comment_id, events.c.action, events.c.at, events.c.batch
            )
            .where(
                events.c.moderator_id == moderator.id,
                events.c.action.in_([a.value for a in _UNDOABLE]),
                events.c.at > now - UNDO_WINDOW,
            )
            .order_by(events.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        undone = connection.execute(
            sa.select(staff_events.c.id).where(
                staff_events.c.action == StaffAction.UNDO.value,
                staff_events.c.target == f"event:{row.id}",
            )
        ).first()
        if undone is not None:
            return None
        count = 1
        if row.batch is not None:
            count = connection.execute(
                sa.select(sa.func.count()).where(events.c.batch == row.batch)
            ).scalar_one()
        return Undoable(
            row.id,
            row.comment_id,
            Action(row.action),
            row.at,
            row.at + UNDO_WINDOW,
            batch=row.batch,
            count=count,
        )

    def undo(self, moderator: Moderator) -> Comment:
        """Reverts the moderator's last action within ``UNDO_WINDOW``: one decision, or
        every decision of one bulk or campaign action (they share a batch). A comment
        someone has acted on since (the assessment worker is nobody) is left as it is;
        if that leaves nothing to revert, ``Conflict``. Each revert is a staff event;
        returns the last comment reverted."""
        now = self._context.clock()
        with self._context.store.read() as connection:
            last = self._last(connection, moderator)
            if last is None:
                raise Conflict("There is no recent decision of yours to undo.")
            event_ids = [last.event_id]
            if last.batch is not None:
                event_ids = list(
                    connection.execute(
                        sa.select(events.c.id)
                        .where(events.c.batch == last.batch, events.c.moderator_id == moderator.id)
                        .order_by(events.c.id)
                    ).scalars()
                )
        reverted: Comment | None = None
        for start in range(0, len(event_ids), BULK_MAX):  # a campaign may be thousands
            with self._context.store.write() as connection:
                for event_id in event_ids[start : start + BULK_MAX]:
                    reverted = self._revert(connection, moderator, event_id, now) or reverted
        if reverted is None:
            raise Conflict("Someone has acted on this comment since; it cannot be undone.")
        return reverted

    def _revert(
        self, connection: Connection, moderator: Moderator, event_id: int, now: datetime
    ) -> Comment | None:
        """Puts one decision's comment back as it was, unless the decision was undone
        already or anyone has acted on the comment since (then None)."""
        target = f"event:{event_id}"
        undone = sa.select(staff_events.c.id).where(
            staff_events.c.action == StaffAction.UNDO.value, staff_events.c.target == target
        )
        if connection.execute(undone).first() is not None:
            return None
        decision = (
            connection.execute(sa.select(events).where(events.c.id == event_id)).mappings().one()
        )
        comment = get_comment(connection, decision["comment_id"], for_update=True)
        assert comment is not None
        # The worker's assessment is nobody acting: landing after a moderator decided a
        # comment still being assessed, it changes no state and keeps nothing from undo.
        later = sa.select(events.c.id).where(
            events.c.comment_id == comment.id,
            events.c.id > event_id,
            events.c.action != Action.ASSESS.value,
        )
        if connection.execute(later).first() is not None:
            return None
        action = Action(decision["action"])
        values, to_state = _reverted(connection, comment, decision)
        if action is Action.REJECT:  # no longer an example of what is rejected
            semantic_index.forget_exemplar(connection, comment.id)
        connection.execute(comments.update().where(comments.c.id == comment.id).values(values))
        reopen_in(connection, comment.id, decision["at"])  # the notices it decided
        was, now_public = lifecycle.is_public(comment.state), lifecycle.is_public(to_state)
        if was or now_public:
            bump_article(connection, comment.article_id, count_delta=now_public - was)
        record_staff_event(
            connection,
            at=now,
            action=StaffAction.UNDO,
            moderator_id=moderator.id,
            comment_id=comment.id,
            target=target,
            from_state=comment.state,
            to_state=to_state,
            reason=f"undo {action.value}",
            before_text=comment.body if action is Action.EDIT else None,
            after_text=values.get("body"),
        )
        return get_comment(connection, comment.id)

    def dismiss_reports(self, moderator: Moderator, comment_id: int, note: str | None) -> int:
        """Marks a comment's open reports answered without changing it, and decides its
        open notices as not acted on; returns how many of both."""
        now = self._context.clock()
        with self._context.store.write() as connection:
            comment = get_comment(connection, comment_id)
            if comment is None:
                raise comment_not_found(comment_id)
            check_comment(connection, moderator, comment_id, comment.article_id)
            done = connection.execute(
                reports.update()
                .where(reports.c.comment_id == comment_id, reports.c.resolved_at.is_(None))
                .values(resolved_at=now)
            ).rowcount
            mail = self._context.settings.smtp_host is not None
            kept = NoticeOutcome.NOT_ACTED
            closed = close_in(
                connection, comment_id, kept, moderator_id=moderator.id, now=now, mail=mail
            )
            if done:
                record_staff_event(
                    connection,
                    at=now,
                    action=StaffAction.REPORTS_DISMISSED,
                    moderator_id=moderator.id,
                    comment_id=comment_id,
                    reason=note,
                    target=f"{done} reports",
                )
        return int(done) + closed


def _by_author(
    connection: Connection,
    moderator: Moderator,
    author_key: str,
    state: State,
    author: str | None = None,
) -> list[int]:
    query = (
        sa.select(comments.c.id)
        .where(comments.c.author_key == author_key, comments.c.state == state.value)
        .order_by(comments.c.id)
        .limit(BULK_MAX)
    )
    if author:
        query = query.where(comments.c.author == " ".join(author.split()))
    query = query.where(in_scope(scope_of(connection, moderator), comments.c.article_id))
    return list(connection.execute(query).scalars())


def _site_of(connection: Connection, comment_id: int) -> int:
    site_id = connection.execute(
        sa.select(articles.c.site_id)
        .select_from(comments.join(articles, articles.c.id == comments.c.article_id))
        .where(comments.c.id == comment_id)
    ).scalar_one_or_none()
    if site_id is None:
        raise comment_not_found(comment_id)
    return int(site_id)


def _reverted(
    connection: Connection, comment: Comment, decision: sa.RowMapping
) -> tuple[dict[str, Any], State]:
    """The column values that put ``comment`` back as it was before ``decision``."""
    action = Action(decision["action"])
    settled = State(decision["from_state"]) if decision["from_state"] else State.PENDING
    if action is Action.APPROVE and settled in (State.REJECTED, State.WITHDRAWN):
        # A reversal undone: the rejection or withdrawal it reversed stands again.
        earlier = Action.REJECT if settled is State.REJECTED else Action.WITHDRAW
        before = _previous(connection, comment.id, decision["id"], earlier)
        restored = {
            "decided_by_id": before["moderator_id"] if before else None,
            "decided_at": before["at"] if before else None,
            "decision_reason": before["reason"] if before else None,
            "decision_reason_code": before["reason_code"] if before else None,
        }
        return {"state": settled.value, **restored}, settled
    if action in (Action.APPROVE, Action.REJECT):
        cleared = {
            "decided_by_id": None,
            "decided_at": None,
            "decision_reason": None,
            "decision_reason_code": None,
        }
        return {"state": State.PENDING.value, **cleared}, State.PENDING
    if action is Action.WITHDRAW:
        approval = _previous(connection, comment.id, decision["id"], Action.APPROVE)
        restored = {
            "decided_by_id": approval["moderator_id"] if approval else None,
            "decided_at": approval["at"] if approval else None,
            "decision_reason": approval["reason"] if approval else None,
            "decision_reason_code": approval["reason_code"] if approval else None,
        }
        return {"state": State.APPROVED.value, **restored}, State.APPROVED
    if action is Action.FEATURE:
        return {"featured": False}, comment.state
    earlier_edit = _previous(connection, comment.id, decision["id"], Action.EDIT)
    return {
        "body": decision["before_text"],
        "edited_by_moderator": earlier_edit is not None,
        "edit_reason": earlier_edit["reason"] if earlier_edit else None,
        "edit_reason_code": earlier_edit["reason_code"] if earlier_edit else None,
    }, comment.state


def _previous(
    connection: Connection, comment_id: int, before_id: int, action: Action
) -> sa.RowMapping | None:
    return (
        connection.execute(
            sa.select(events)
            .where(
                events.c.comment_id == comment_id,
                events.c.id < before_id,
                events.c.action == action.value,
            )
            .order_by(events.c.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )

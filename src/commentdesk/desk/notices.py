"""Notices of illegal content: filed by anyone, closed by a moderator's decision.

``Notices.file`` checks the notice (``commentdesk.notices.check_notice``) and spends
from the rate limits before it opens a transaction; then it stores the notice with its
audit event and, when the notifier gave an address and mail is on, a receipt in the
outbox. A notice never changes the comment: a published one stays published and comes
back to the queue (the "notices" tab) until a moderator decides. ``close_in`` runs in
the transaction of that decision (``Review.decide_in``, ``Decisions.dismiss_reports``)
and queues the mail telling the notifier what was decided.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import lifecycle
from commentdesk.desk.addresses import AddressHasher
from commentdesk.desk.audit import StaffAction, record_event, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.desk.notifier import DECISION_GRACE
from commentdesk.desk.rights import email_hash
from commentdesk.desk.scope import Scope, in_scope, scope_of
from commentdesk.errors import NotFound, RateLimited
from commentdesk.model import Action, ActorKind, Moderator
from commentdesk.notices import NoticeDraft, Outcome, check_notice, median_hours
from commentdesk.notify import outbox as box
from commentdesk.notify.outbox import MailKind
from commentdesk.store.lists import one_of
from commentdesk.store.records import get_comment
from commentdesk.store.tables import articles, comments, notices, sites
from commentdesk.throttle import Limiter, Rate

LIST_MAX = 200


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice as moderators see it (never shown to readers)."""

    id: int
    comment_id: int
    category: str
    law: str
    explanation: str
    exempt: bool
    notifier_name: str | None
    notifier_email: str | None
    created_at: datetime
    decided_at: datetime | None
    outcome: Outcome | None

    @property
    def open(self) -> bool:
        return self.decided_at is None


def notice_from(row: sa.RowMapping) -> Notice:
    outcome = row["outcome"]
    return Notice(
        id=row["id"],
        comment_id=row["comment_id"],
        category=row["category"],
        law=row["law"],
        explanation=row["explanation"],
        exempt=row["exempt"],
        notifier_name=row["notifier_name"],
        notifier_email=row["notifier_email"],
        created_at=row["created_at"],
        decided_at=row["decided_at"],
        outcome=Outcome(outcome) if outcome else None,
    )


class Notices:
    def __init__(self, context: Context, limiter: Limiter) -> None:
        self._context = context
        self._limiter = limiter
        self._hash_address = AddressHasher(context)
        # A notice is rarer than a comment: the commenter's rate, per address and comment.
        self._rate = Rate.parse(context.settings.rate_commenter)

    def file(
        self, comment_id: int, draft: NoticeDraft, *, language: str, address: str | None
    ) -> int:
        """Stores a notice on a published (or pending) comment; returns its id.

        Raises ``FieldsInvalid`` (every field at once), ``RateLimited``, or ``NotFound``
        for a comment readers cannot see."""
        notice = check_notice(draft)
        checks = [(f"notice-comment:{comment_id}", self._rate)]
        if address:
            checks.append((f"notice:{self._hash_address(address)}", self._rate))
        wait = self._limiter.spend(checks)
        if wait > 0:
            raise RateLimited(wait)
        now = self._context.clock()
        hashed = email_hash(self._context, notice.email) if notice.email else None
        with self._context.store.write() as connection:
            comment = get_comment(connection, comment_id)
            if comment is None or not lifecycle.is_public(comment.state):
                raise NotFound("There is no published comment %(id)s.", field="id", id=comment_id)
            notice_id = connection.execute(
                notices.insert()
                .values(
                    comment_id=comment_id,
                    category=notice.category,
                    law=notice.law,
                    explanation=notice.explanation,
                    exempt=draft.exempt,
                    notifier_name=notice.name or None,
                    notifier_email=notice.email or None,
                    notifier_email_hash=hashed,
                    language=language[:16],
                    created_at=now,
                )
                .returning(notices.c.id)
            ).scalar_one()
            record_event(
                connection,
                at=now,
                action=Action.NOTICE,
                actor_kind=ActorKind.READER,
                comment_id=comment_id,
                article_id=comment.article_id,
                from_state=comment.state,
                to_state=comment.state,
                reason=f"notice {notice_id}: {notice.category}",
            )
            if notice.email and self._mail_on:
                _mail(connection, MailKind.NOTICE_RECEIVED, notice_id, comment_id, now)
        return int(notice_id)

    @property
    def _mail_on(self) -> bool:
        return self._context.settings.smtp_host is not None

    def for_comments(self, moderator: Moderator, ids: list[int]) -> dict[int, list[Notice]]:
        """The open notices of these comments (one page of the queue), oldest first."""
        if not ids:
            return {}
        found: dict[int, list[Notice]] = {}
        with self._context.store.read() as connection:
            scope = scope_of(connection, moderator)
            query = _listed(scope).where(
                one_of(notices.c.comment_id, ids), notices.c.decided_at.is_(None)
            )
            for row in connection.execute(query).mappings():
                found.setdefault(row["comment_id"], []).append(notice_from(row))
        return found

    def open_count(self, moderator: Moderator) -> int:
        """How many notices on the moderator's sites wait for a decision (the tab's
        figure, so they are seen first; the (decided_at, comment_id) index serves it)."""
        with self._context.store.read() as connection:
            query = sa.select(sa.func.count()).select_from(
                _listed(scope_of(connection, moderator))
                .where(notices.c.decided_at.is_(None))
                .order_by(None)
                .subquery()
            )
            return int(connection.execute(query).scalar_one())

    def listed(
        self, moderator: Moderator, *, open_only: bool, limit: int = 50, before: int | None = None
    ) -> list[Notice]:
        """Notices on the moderator's sites, newest first; ``before`` pages by id."""
        with self._context.store.read() as connection:
            query = _listed(scope_of(connection, moderator))
            if open_only:
                query = query.where(notices.c.decided_at.is_(None))
            if before is not None:
                query = query.where(notices.c.id < before)
            query = query.order_by(None).order_by(notices.c.id.desc()).limit(min(limit, LIST_MAX))
            return [notice_from(row) for row in connection.execute(query).mappings()]


def _listed(scope: Scope) -> sa.Select[Any]:
    return (
        sa.select(notices)
        .join(comments, comments.c.id == notices.c.comment_id)
        .where(in_scope(scope, comments.c.article_id))
        .order_by(notices.c.id)
    )


def close_in(
    connection: Connection,
    comment_id: int,
    outcome: Outcome,
    *,
    moderator_id: int,
    now: datetime,
    mail: bool,
) -> int:
    """Closes the comment's open notices with ``outcome``, inside the caller's transaction
    (the decision's); tells each notifier who gave an address. Returns how many."""
    open_ids = list(
        connection.execute(
            sa.select(notices.c.id, notices.c.notifier_email).where(
                notices.c.comment_id == comment_id, notices.c.decided_at.is_(None)
            )
        )
    )
    if not open_ids:
        return 0
    connection.execute(
        notices.update()
        .where(one_of(notices.c.id, [row.id for row in open_ids]))
        .values(decided_at=now, outcome=outcome.value, decided_by_id=moderator_id)
    )
    for row in open_ids:
        record_staff_event(
            connection,
            at=now,
            action=StaffAction.NOTICE_DECIDED,
            moderator_id=moderator_id,
            comment_id=comment_id,
            target=f"notice {row.id}",
            reason=outcome.value,
        )
        if row.notifier_email and mail:  # after the undo window, as decision mails are
            due = now + DECISION_GRACE
            _mail(connection, MailKind.NOTICE_DECIDED, row.id, comment_id, now, due=due)
    return len(open_ids)


def reopen_in(connection: Connection, comment_id: int, decided_at: datetime) -> None:
    """Opens again the notices a decision (taken at ``decided_at``) closed, when that
    decision is undone; their decision mail, not sent yet, is then skipped."""
    connection.execute(
        notices.update()
        .where(notices.c.comment_id == comment_id, notices.c.decided_at == decided_at)
        .values(decided_at=None, outcome=None, decided_by_id=None)
    )


def _mail(
    connection: Connection,
    kind: str,
    notice_id: int,
    comment_id: int,
    now: datetime,
    due: datetime | None = None,
) -> None:
    # The address is read from the notice when the mail is sent, so an erased one gets none.
    box.enqueue(
        connection,
        box.Channel.EMAIL,
        kind,
        now=now,
        due=due,
        comment_id=comment_id,
        payload={"notice_id": notice_id},
    )


def transparency_rows(
    connection: Connection, month: str, start: datetime, end: datetime, scope: Scope
) -> list[list[str]]:
    """The month's notice figures for the transparency export, in its five columns:
    received by category, decided by outcome and category, and the median hours from
    receipt to decision (``notice_median_hours``, in the count column) per site."""
    where_site = (
        notices.join(comments, comments.c.id == notices.c.comment_id)
        .join(articles, articles.c.id == comments.c.article_id)
        .join(sites, sites.c.id == articles.c.site_id)
    )
    columns = (sites.c.slug, notices.c.category, notices.c.created_at, notices.c.decided_at)
    scoped = in_scope(scope, comments.c.article_id)
    received = connection.execute(
        sa.select(*columns)
        .select_from(where_site)
        .where(scoped, notices.c.created_at >= start, notices.c.created_at < end)
    ).all()
    decided = connection.execute(
        sa.select(*columns, notices.c.outcome)
        .select_from(where_site)
        .where(scoped, notices.c.decided_at >= start, notices.c.decided_at < end)
    ).all()
    counts = Counter((row.slug, "notice_received", row.category) for row in received)
    counts.update((row.slug, f"notice_{row.outcome}", row.category) for row in decided)
    rows = [[month, *key, str(n)] for key, n in sorted(counts.items())]
    for slug in sorted({row.slug for row in decided}):
        pairs = [(r.created_at, r.decided_at) for r in decided if r.slug == slug]
        rows.append([month, slug, "notice_median_hours", "", str(median_hours(pairs))])
    return rows

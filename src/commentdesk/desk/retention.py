"""Retention: what the server forgets by itself, and when (``retention_*`` settings).

- The text of rejected comments, and of comments their authors deleted, is removed
  ``retention_rejected_days`` after that happened, with every copy made from it, by
  the function erasure uses too (``desk.erasure.remove_texts``).
- The address given with a comment is removed ``retention_email_days`` after the
  comment; an address no comment uses any more loses its subscription as well. The
  name and address of whoever filed a notice of illegal content go as long after the
  notice, once it is decided (the decision is mailed to that address).
- Sent, failed and cancelled deliveries are forgotten after ``OUTBOX_DAYS``.

Client addresses are never stored; their hashes rotate daily (``desk/addresses.py``).
Each run also replaces a salt left from an earlier day and deletes the failed sign-ins
counted under it, so an idle server holds no address hash past the day it was made.
``purge`` is idempotent and works in batches, so a first run on a large database does
not hold the SQLite write lock for long; the worker runs it every hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from commentdesk.desk.addresses import AddressHasher
from commentdesk.desk.context import Context
from commentdesk.desk.erasure import BY_RETENTION, remove_texts
from commentdesk.desk.login_throttle import prune as prune_login_failures
from commentdesk.model import Action, ActorKind, State
from commentdesk.notify import outbox as box
from commentdesk.store.lists import one_of
from commentdesk.store.tables import comments, events, notices, outbox, subscribers

OUTBOX_DAYS = 30
BATCH = 500
_UNSHOWN = (State.REJECTED.value, State.DELETED.value)


@dataclass(frozen=True, slots=True)
class Purged:
    texts: int
    addresses: int
    deliveries: int


class Retention:
    def __init__(self, context: Context, addresses: AddressHasher | None = None) -> None:
        self._context = context
        self._salt = addresses or AddressHasher(context)

    def purge(self, now: datetime | None = None) -> Purged:
        """Applies every retention rule as of ``now``; returns what went."""
        now = now or self._context.clock()
        settings = self._context.settings
        texts = addresses = 0
        self._forget_yesterday(now)
        if settings.retention_rejected_days is not None:
            cutoff = now - timedelta(days=settings.retention_rejected_days)
            while done := self._texts(cutoff, now):
                texts += done
        if settings.retention_email_days is not None:
            cutoff = now - timedelta(days=settings.retention_email_days)
            addresses = self._addresses(cutoff)
        with self._context.store.write() as connection:
            deliveries = box.purge_finished(connection, now - timedelta(days=OUTBOX_DAYS))
        return Purged(texts, addresses, deliveries)

    def _forget_yesterday(self, now: datetime) -> None:
        self._salt.rotate()
        with self._context.store.write() as connection:
            prune_login_failures(connection, now)

    def _texts(self, cutoff: datetime, now: datetime) -> int:
        with self._context.store.write() as connection:
            rows = connection.execute(
                sa.select(comments.c.id, comments.c.article_id, comments.c.state)
                .where(
                    comments.c.state.in_(_UNSHOWN),
                    comments.c.updated_at < cutoff,
                    comments.c.text_removed.is_(None),
                )
                .order_by(comments.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                return 0
            # Claim only what is still unclaimed: another process purging at the same time
            # (N workers share an hourly timer) may have taken some of these rows since the
            # select, and each comment gets exactly one purge event.
            ids = list(
                connection.execute(
                    comments.update()
                    .where(one_of(comments.c.id, [row.id for row in rows]))
                    .where(comments.c.text_removed.is_(None))
                    .values(text_removed=BY_RETENTION)
                    .returning(comments.c.id)
                ).scalars()
            )
            if not ids:
                return 0
            claimed = set(ids)
            rows = [row for row in rows if row.id in claimed]
            remove_texts(connection, ids, why=BY_RETENTION)
            connection.execute(
                events.insert(),
                [
                    {
                        "at": now,
                        "action": Action.PURGE.value,
                        "actor_kind": ActorKind.SYSTEM.value,
                        "comment_id": row.id,
                        "article_id": row.article_id,
                        "from_state": row.state,
                        "to_state": row.state,
                        "reason": "text removed by the retention policy",
                    }
                    for row in rows
                ],
            )
            return len(ids)

    def _addresses(self, cutoff: datetime) -> int:
        with self._context.store.write() as connection:
            old = connection.execute(
                comments.update()
                .where(comments.c.email.is_not(None), comments.c.created_at < cutoff)
                .values(email=None)
            ).rowcount
            connection.execute(
                notices.update()
                .where(
                    notices.c.notifier_email_hash.is_not(None),
                    notices.c.decided_at.is_not(None),
                    notices.c.created_at < cutoff,
                )
                .values(notifier_name=None, notifier_email=None, notifier_email_hash=None)
            )
            in_use = sa.select(comments.c.email_hash).where(
                comments.c.email.is_not(None), comments.c.email_hash.is_not(None)
            )
            unused = list(
                connection.execute(
                    sa.select(subscribers.c.id).where(
                        subscribers.c.email_hash.not_in(in_use), subscribers.c.created_at < cutoff
                    )
                ).scalars()
            )
            if unused:
                connection.execute(outbox.delete().where(one_of(outbox.c.subscriber_id, unused)))
                connection.execute(subscribers.delete().where(one_of(subscribers.c.id, unused)))
        return int(old)

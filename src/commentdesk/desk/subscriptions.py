"""A reader's answers to our mail: confirm the address (double opt-in), or unsubscribe.

Both take a signed link (``notify.tokens``) and are idempotent: following a link twice
changes nothing more and says so. Neither needs the reader's cookies, since mail is
often read on another device than the one the comment was written on.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context
from commentdesk.notify import outbox as box
from commentdesk.notify.tokens import LinkInvalid, Purpose, unsign
from commentdesk.store.tables import outbox, subscribers


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    ALREADY = "already"
    UNSUBSCRIBED = "unsubscribed"


class Subscriptions:
    def __init__(self, context: Context) -> None:
        self._context = context

    def check(self, purpose: Purpose, token: str) -> str:
        """The address hash behind a link, for the page that asks "are you sure?"."""
        email_hash = unsign(self._context.secret, purpose, token)
        with self._context.store.read() as connection:
            if _find(connection, email_hash) is None:
                raise LinkInvalid()
        return email_hash

    def confirm(self, token: str) -> Outcome:
        """Confirms the address of a confirmation link; mail about comments may follow."""
        email_hash = unsign(self._context.secret, Purpose.CONFIRM, token)
        now = self._context.clock()
        with self._context.store.write() as connection:
            found = _find(connection, email_hash)
            if found is None or found["unsubscribed_at"] is not None:
                raise LinkInvalid()
            if found["confirmed_at"] is not None:
                return Outcome.ALREADY
            connection.execute(
                subscribers.update().where(subscribers.c.id == found["id"]).values(confirmed_at=now)
            )
        return Outcome.CONFIRMED

    def unsubscribe(self, token: str) -> Outcome:
        """Stops every mail to the address, now and later; queued mail is cancelled."""
        email_hash = unsign(self._context.secret, Purpose.UNSUBSCRIBE, token)
        now = self._context.clock()
        with self._context.store.write() as connection:
            found = _find(connection, email_hash)
            if found is None:
                return Outcome.UNSUBSCRIBED  # erased already: nothing will be sent
            if found["unsubscribed_at"] is None:
                connection.execute(
                    subscribers.update()
                    .where(subscribers.c.id == found["id"])
                    .values(unsubscribed_at=now)
                )
            connection.execute(
                outbox.update()
                .where(
                    outbox.c.subscriber_id == found["id"],
                    outbox.c.state == box.Status.PENDING.value,
                )
                .values(state=box.Status.CANCELLED.value, last_error="unsubscribed")
            )
        return Outcome.UNSUBSCRIBED


def _find(connection: Connection, email_hash: str) -> sa.RowMapping | None:
    query = sa.select(subscribers).where(subscribers.c.email_hash == email_hash)
    return connection.execute(query).mappings().first()

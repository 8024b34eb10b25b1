"""The outbox: what is to be sent, written with the change that causes it.

Rows move ``pending`` → ``sent``, or back to ``pending`` with a later ``next_attempt_at``
after a failure, until ``dead`` after the last attempt; ``cancelled`` when there is no
longer a reason to send (the decision was undone, the address unsubscribed). A worker
*claims* a row by setting ``locked_until`` in a short transaction, sends outside any
transaction, then records the outcome, so several workers (processes) never send one
row twice while a lease runs, and a worker that dies only delays a row by one lease.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.store import Store
from commentdesk.store.tables import outbox

#: How long a claimed row is left alone by other workers.
LEASE = timedelta(minutes=5)
#: The longest wait between two attempts, however many failed.
MAX_DELAY = timedelta(hours=6)


class Channel(enum.StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class MailKind:
    """The kinds of mail an ``email`` row may be; each names its template,
    ``templates/email/<kind>.txt``, and the values are stored."""

    CONFIRM = "confirm"
    APPROVED = "approved"
    REJECTED = "rejected"
    REPLY = "reply"
    RIGHTS = "rights"
    EDITED = "edited"  # a moderator edited the author's comment: their statement of reasons
    CONTEST_REVIEWED = "contest_reviewed"  # the outcome of the author's contest
    #: To whoever filed a notice of illegal content: its receipt, then the decision.
    NOTICE_RECEIVED = "notice_received"
    NOTICE_DECIDED = "notice_decided"


class Status(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One claimed outbox row."""

    id: int
    channel: Channel
    kind: str
    subscriber_id: int | None
    webhook_id: int | None
    comment_id: int | None
    payload: dict[str, Any]
    attempts: int


def enqueue(
    connection: Connection,
    channel: Channel,
    kind: str,
    *,
    now: datetime,
    due: datetime | None = None,
    subscriber_id: int | None = None,
    webhook_id: int | None = None,
    comment_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Adds one row; call it inside the transaction of the change it reports."""
    connection.execute(
        outbox.insert().values(
            channel=channel.value,
            kind=kind,
            subscriber_id=subscriber_id,
            webhook_id=webhook_id,
            comment_id=comment_id,
            payload=payload or {},
            state=Status.PENDING.value,
            attempts=0,
            next_attempt_at=due or now,
            created_at=now,
        )
    )


def claim(store: Store, now: datetime, limit: int = 20) -> list[Delivery]:
    """Due rows, leased to the caller; a row another worker leased is skipped."""
    due = sa.and_(
        outbox.c.state == Status.PENDING.value,
        outbox.c.next_attempt_at <= now,
        sa.or_(outbox.c.locked_until.is_(None), outbox.c.locked_until < now),
    )
    with store.read() as connection:
        ids = list(
            connection.execute(
                sa.select(outbox.c.id).where(due).order_by(outbox.c.next_attempt_at).limit(limit)
            ).scalars()
        )
    claimed: list[Delivery] = []
    for row_id in ids:
        with store.write() as connection:
            # Only one worker's UPDATE matches: the lease is the lock.
            taken = (
                connection.execute(
                    outbox.update()
                    .where(outbox.c.id == row_id, due)
                    .values(locked_until=now + LEASE)
                    .returning(*outbox.c)
                )
                .mappings()
                .first()
            )
        if taken is not None:
            claimed.append(
                Delivery(
                    id=taken["id"],
                    channel=Channel(taken["channel"]),
                    kind=taken["kind"],
                    subscriber_id=taken["subscriber_id"],
                    webhook_id=taken["webhook_id"],
                    comment_id=taken["comment_id"],
                    payload=dict(taken["payload"] or {}),
                    attempts=taken["attempts"],
                )
            )
    return claimed


def backoff(attempts: int, base_seconds: float) -> timedelta:
    """The wait after the ``attempts``-th failure: base, 2×base, 4×base… capped."""
    seconds = base_seconds * 2 ** max(0, attempts - 1)
    return min(timedelta(seconds=seconds), MAX_DELAY)


def finish(store: Store, delivery: Delivery, status: Status, now: datetime, note: str = "") -> None:
    """Records a delivery's end: sent, or cancelled with the reason."""
    with store.write() as connection:
        connection.execute(
            outbox.update()
            .where(outbox.c.id == delivery.id)
            .values(
                state=status.value,
                attempts=delivery.attempts + (1 if status is Status.SENT else 0),
                sent_at=now if status is Status.SENT else None,
                last_error=note or None,
                locked_until=None,
            )
        )


def failed(
    store: Store,
    delivery: Delivery,
    error: str,
    now: datetime,
    *,
    max_attempts: int,
    base_seconds: float,
) -> Status:
    """Records a failed attempt: retried after a back-off, or ``dead`` after the last."""
    attempts = delivery.attempts + 1
    status = Status.DEAD if attempts >= max_attempts else Status.PENDING
    with store.write() as connection:
        connection.execute(
            outbox.update()
            .where(outbox.c.id == delivery.id)
            .values(
                state=status.value,
                attempts=attempts,
                next_attempt_at=now + backoff(attempts, base_seconds),
                last_error=error[:1000],
                locked_until=None,
            )
        )
    return status


def retry_now(connection: Connection, delivery_id: int, now: datetime) -> bool:
    """Puts a dead or failing row back in line for an immediate attempt."""
    done = connection.execute(
        outbox.update()
        .where(outbox.c.id == delivery_id, outbox.c.state.in_([Status.DEAD, Status.PENDING]))
        .values(state=Status.PENDING.value, next_attempt_at=now, locked_until=None)
    )
    return bool(done.rowcount)


def purge_finished(connection: Connection, before: datetime) -> int:
    """Forgets sent, dead and cancelled rows created before ``before``."""
    done = connection.execute(
        outbox.delete().where(
            outbox.c.state.in_([Status.SENT, Status.DEAD, Status.CANCELLED]),
            outbox.c.created_at < before,
        )
    )
    return int(done.rowcount)

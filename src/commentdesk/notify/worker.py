"""The delivery worker: sends what the outbox holds, and applies retention.

It runs as a daemon thread inside ``commentdesk serve`` (``notify_in_server``), or as its
own process (``commentdesk worker``) when several server processes share a database;
any number of workers may run at once, since each row is claimed under a lease
(``notify.outbox``). Each failure waits twice as long as the one before
(``notify_retry_base_seconds``), until ``notify_max_attempts``.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import sqlalchemy as sa

from commentdesk.egress import Allowance
from commentdesk.notify import outbox as box
from commentdesk.notify.host import Host
from commentdesk.notify.mailer import Mailer, MailFailed, build, mailer_for
from commentdesk.notify.messages import Composer, Skip
from commentdesk.notify.webhooks import DeliveryFailed, HttpPoster, Poster, headers_for
from commentdesk.store.tables import webhooks

logger = logging.getLogger("commentdesk.notify")
#: Retention runs this often, and first this long after start (so short-lived
#: processes, such as tests and one-off commands, never purge by surprise).
PURGE_EVERY_SECONDS = 3600.0
FIRST_PURGE_AFTER_SECONDS = 60.0


class Worker:
    def __init__(
        self, desk: Host, *, mailer: Mailer | None = None, poster: Poster | None = None
    ) -> None:
        self._desk = desk
        settings = desk.context.settings
        self._mailer = mailer if mailer is not None else mailer_for(settings)
        allowed = Allowance.parse(settings.webhook_allow_internal)
        self._poster = poster or HttpPoster(desk.context.resolve, allowed)
        self._composer = Composer(desk.context)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_purge = time.monotonic() + FIRST_PURGE_AFTER_SECONDS

    def run_once(self) -> int:
        """Attempts every due delivery once; returns how many were attempted."""
        context = self._desk.context
        due = box.claim(context.store, context.clock())
        for delivery in due:
            try:
                self._attempt(delivery)
            except Exception:  # one bad row must not stop the others
                logger.exception("delivery %s failed unexpectedly", delivery.id)
                self._failed(delivery, "internal error; see the server log")
        return len(due)

    def _attempt(self, delivery: box.Delivery) -> None:
        if delivery.channel is box.Channel.EMAIL:
            self._email(delivery)
        else:
            self._webhook(delivery)

    def _email(self, delivery: box.Delivery) -> None:
        context = self._desk.context
        if self._mailer is None:
            box.finish(
                context.store, delivery, box.Status.CANCELLED, context.clock(), "email is off"
            )
            return
        letter = self._composer.compose(delivery)
        if isinstance(letter, Skip):
            box.finish(
                context.store, delivery, box.Status.CANCELLED, context.clock(), letter.reason
            )
            return
        sender = context.settings.smtp_from or ""
        try:
            self._mailer.send(build(letter, sender, context.clock()))
        except MailFailed as exc:
            self._failed(delivery, str(exc))
            return
        box.finish(context.store, delivery, box.Status.SENT, context.clock())

    def _webhook(self, delivery: box.Delivery) -> None:
        context = self._desk.context
        with context.store.read() as connection:
            hook = (
                connection.execute(sa.select(webhooks).where(webhooks.c.id == delivery.webhook_id))
                .mappings()
                .first()
            )
        if hook is None or not hook["active"]:
            box.finish(context.store, delivery, box.Status.CANCELLED, context.clock(), "paused")
            return
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(context.clock().timestamp()))
        headers = headers_for(hook["secret"], delivery.kind, delivery.id, timestamp, body)
        try:
            self._poster.post(hook["url"], body, headers, context.settings.webhook_timeout_seconds)
        except DeliveryFailed as exc:
            self._failed(delivery, str(exc))
            return
        box.finish(context.store, delivery, box.Status.SENT, context.clock())

    def _failed(self, delivery: box.Delivery, error: str) -> None:
        context = self._desk.context
        settings = context.settings
        status = box.failed(
            context.store,
            delivery,
            error,
            context.clock(),
            max_attempts=settings.notify_max_attempts,
            base_seconds=settings.notify_retry_base_seconds,
        )
        level = logging.ERROR if status is box.Status.DEAD else logging.WARNING
        logger.log(level, "delivery %s (%s) failed: %s", delivery.id, delivery.kind, error)

    def purge_if_due(self) -> None:
        if time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        purged = self._desk.retention.purge()
        if purged.texts or purged.addresses or purged.deliveries:
            logger.info(
                "retention: %s texts, %s addresses, %s deliveries removed",
                purged.texts,
                purged.addresses,
                purged.deliveries,
            )

    def run(self) -> None:
        """Loops until ``stop``; errors (a database away) are logged and retried."""
        interval = self._desk.context.settings.notify_poll_seconds
        while not self._stop.is_set():
            try:
                self.run_once()
                self.purge_if_due()
            except Exception:
                logger.exception("the delivery worker failed; trying again")
            self._stop.wait(interval)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="commentdesk-notify", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

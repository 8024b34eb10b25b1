"""Webhooks for the newsroom, configured per site by admins, and their deliveries.

Every change is a staff event (``webhook``) in the same transaction. The signing secret
is made here (256 random bits) and shown to admins, who paste it into the receiver.
A URL is saved only if its host is public or allowed (``commentdesk.egress``); the
sender checks again, since a name's addresses can change after it is saved.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from commentdesk import egress
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.desk.notifier import WebhookEvent
from commentdesk.errors import AddressNotAllowed, InvalidInput, NotFound
from commentdesk.model import Moderator
from commentdesk.notify import outbox as box
from commentdesk.store.tables import outbox, sites, webhooks

URL_MAX = 2000


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int
    site_id: int
    site_name: str
    url: str
    secret: str
    events: tuple[str, ...]
    risk_threshold: float
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: int
    webhook_id: int
    event: str
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    payload: dict[str, Any]


def clean_url(value: str) -> str:
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > URL_MAX:
        raise InvalidInput("url", "Give the receiver's full http:// or https:// address.")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InvalidInput("url", "The address may not contain spaces or control characters.")
    return url


def check_destination(url: str, resolve: egress.Resolver, allowed: egress.Allowance) -> None:
    """Raises ``AddressNotAllowed`` unless every address the URL's host stands for may
    receive webhooks, or ``InvalidInput`` if the host name is unknown."""
    try:
        egress.check(egress.target_of(url), resolve, allowed)
    except egress.AddressRefused:
        raise AddressNotAllowed from None
    except egress.HostUnknown:
        raise InvalidInput(
            "url",
            "No address was found for this host name; check its spelling.",
            code="host_unknown",
        ) from None


def clean_events(values: list[str]) -> tuple[str, ...]:
    chosen = tuple(e for e in WebhookEvent.ALL if e in values)
    if not chosen or len(chosen) != len(set(values)):
        raise InvalidInput("events", "Choose at least one of the events listed.")
    return chosen


def clean_threshold(value: str | float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise InvalidInput("risk_threshold", "Give a risk between 0 and 1, such as 0.7.")
    return number


class Webhooks:
    def __init__(self, context: Context) -> None:
        self._context = context

    def add(
        self,
        admin: Moderator,
        site_id: int,
        url: str,
        events: list[str],
        risk_threshold: str | float = 0.7,
    ) -> Webhook:
        """Adds an active webhook with a fresh secret; raises ``InvalidInput`` per field,
        ``AddressNotAllowed`` for a URL webhooks may not reach (this resolves its host)."""
        clean = clean_url(url)
        chosen = clean_events(events)
        threshold = clean_threshold(risk_threshold)
        settings = self._context.settings
        allowed = egress.Allowance.parse(settings.webhook_allow_internal)
        check_destination(clean, self._context.resolve, allowed)
        now = self._context.clock()
        with self._context.store.write() as connection:
            if (
                connection.execute(sa.select(sites.c.id).where(sites.c.id == site_id)).first()
                is None
            ):
                raise InvalidInput("site_id", "Choose one of the sites.")
            webhook_id = connection.execute(
                webhooks.insert()
                .values(
                    site_id=site_id,
                    url=clean,
                    secret=secrets.token_hex(32),
                    events=list(chosen),
                    risk_threshold=threshold,
                    active=True,
                    created_at=now,
                )
                .returning(webhooks.c.id)
            ).scalar_one()
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.WEBHOOK,
                moderator_id=admin.id,
                site_id=site_id,
                target=f"webhook:{webhook_id}",
                reason=f"added {clean}",
            )
        return self.get(webhook_id)

    def set_active(self, admin: Moderator, webhook_id: int, active: bool) -> Webhook:
        """Pauses or resumes a webhook; paused ones get no new deliveries."""
        now = self._context.clock()
        found = self.get(webhook_id)
        with self._context.store.write() as connection:
            connection.execute(
                webhooks.update().where(webhooks.c.id == webhook_id).values(active=active)
            )
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.WEBHOOK,
                moderator_id=admin.id,
                site_id=found.site_id,
                target=f"webhook:{webhook_id}",
                reason="resumed" if active else "paused",
            )
        return self.get(webhook_id)

    def retry(self, admin: Moderator, delivery_id: int) -> None:
        """Sends a failed delivery again at the worker's next round."""
        now = self._context.clock()
        with self._context.store.write() as connection:
            webhook_id = connection.execute(
                sa.select(outbox.c.webhook_id).where(
                    outbox.c.id == delivery_id, outbox.c.channel == box.Channel.WEBHOOK.value
                )
            ).scalar_one_or_none()
            if webhook_id is None or not box.retry_now(connection, delivery_id, now):
                raise NotFound(f"There is no delivery {delivery_id} to retry.", field="id")
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.WEBHOOK,
                moderator_id=admin.id,
                target=f"delivery:{delivery_id}",
                reason="retry",
            )

    def get(self, webhook_id: int) -> Webhook:
        for hook in self.all(webhook_id=webhook_id):
            return hook
        raise NotFound(f"There is no webhook {webhook_id}.", field="id")

    def all(self, *, webhook_id: int | None = None) -> list[Webhook]:
        query = (
            sa.select(webhooks, sites.c.name.label("site_name"))
            .select_from(webhooks.join(sites, sites.c.id == webhooks.c.site_id))
            .order_by(webhooks.c.id)
        )
        if webhook_id is not None:
            query = query.where(webhooks.c.id == webhook_id)
        with self._context.store.read() as connection:
            rows = list(connection.execute(query).mappings())
        return [
            Webhook(
                id=row["id"],
                site_id=row["site_id"],
                site_name=row["site_name"],
                url=row["url"],
                secret=row["secret"],
                events=tuple(row["events"]),
                risk_threshold=row["risk_threshold"],
                active=row["active"],
                created_at=row["created_at"],
            )
            for row in rows
        ]

    def deliveries(self, *, limit: int = 50) -> list[DeliveryView]:
        """The newest deliveries, whatever their state."""
        query = (
            sa.select(outbox)
            .where(outbox.c.channel == box.Channel.WEBHOOK.value)
            .order_by(outbox.c.id.desc())
            .limit(limit)
        )
        with self._context.store.read() as connection:
            rows = list(connection.execute(query).mappings())
        return [
            DeliveryView(
                id=row["id"],
                webhook_id=row["webhook_id"],
                event=row["kind"],
                state=row["state"],
                attempts=row["attempts"],
                created_at=row["created_at"],
                next_attempt_at=row["next_attempt_at"],
                sent_at=row["sent_at"],
                last_error=row["last_error"],
                payload=dict(row["payload"] or {}),
            )
            for row in rows
        ]

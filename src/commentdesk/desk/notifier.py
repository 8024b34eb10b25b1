"""The desk's side of notifications: outbox rows written inside the desk's transactions.

``Comments`` and ``Review`` call these hooks in the transaction that made the change,
so a notification exists exactly when its change was committed (no lost mail after a
commit, no mail about a change that was rolled back). Nothing here talks to a network:
the worker sends later.

Mail goes only to confirmed, still-subscribed addresses (double opt-in); the first
address of a reader gets the confirmation mail and nothing else. Decision mails wait
``DECISION_GRACE`` so an undone decision sends nothing (the worker checks again).
Webhooks carry ids, scores and links, never a reader's text, pseudonym or address.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context
from commentdesk.desk.screening import Verdict
from commentdesk.model import Action, Comment, Site, State
from commentdesk.notify import outbox as box
from commentdesk.notify.outbox import MailKind
from commentdesk.store.tables import articles, comments, sites, subscribers, webhooks

#: Decision mails wait this long, so an undone decision (15 s window) sends nothing.
DECISION_GRACE = timedelta(seconds=30)
#: An unconfirmed address gets at most one confirmation mail per day.
CONFIRM_RESEND = timedelta(days=1)


class WebhookEvent:
    """The events a webhook may ask for; the values are stored and sent."""

    RISKY = "comment.pending_risky"
    REPORT = "report.created"
    CLUSTER = "cluster.detected"
    ALL = (RISKY, REPORT, CLUSTER)


class Notifier:
    """Hooks the desk calls inside its transactions."""

    def __init__(self, context: Context) -> None:
        self._context = context

    @property
    def email_on(self) -> bool:
        return self._context.settings.smtp_host is not None

    def submitted(
        self,
        connection: Connection,
        comment_id: int,
        site: Site,
        state: State,
        verdict: Verdict,
    ) -> None:
        """A new comment: confirm its address, tell webhooks, and answer a reply if public."""
        hooks = _hooks(connection, site.id)
        if not hooks and not self.email_on:
            return  # the common case without mail or webhooks costs one indexed query
        now = self._context.clock()
        row = _comment_row(connection, comment_id)
        if row["email"] and self.email_on:
            subscribe(connection, row["email"], row["email_hash"], now)
        risk = verdict.assessment.risk
        if state is State.PENDING:
            for hook in _wanting(hooks, WebhookEvent.RISKY):
                if risk >= hook["risk_threshold"]:
                    payload = _comment_payload(connection, self._context, row, WebhookEvent.RISKY)
                    _deliver(connection, hook["id"], WebhookEvent.RISKY, payload, comment_id, now)
        seed = verdict.cluster_seed
        if seed is not None and seed in verdict.newly_clustered:  # a cluster was just formed
            for hook in _wanting(hooks, WebhookEvent.CLUSTER):
                payload = _comment_payload(connection, self._context, row, WebhookEvent.CLUSTER)
                payload["cluster"] = {"id": seed, "size": len(verdict.newly_clustered) + 1}
                _deliver(connection, hook["id"], WebhookEvent.CLUSTER, payload, comment_id, now)
        if state is State.APPROVED:
            self._reply(connection, row, now)

    def decided(
        self, connection: Connection, before: Comment, action: Action, code: str | None
    ) -> None:
        """A moderator's approve, reject or edit: tell the author, and the author replied
        to. A rejection's or edit's mail names the site's reason chosen (``code``), in the
        author's language when it is written, never the moderator's own words, and links
        to the statement of reasons."""
        if not self.email_on or action not in (Action.APPROVE, Action.REJECT, Action.EDIT):
            return
        now = self._context.clock()
        row = _comment_row(connection, before.id)
        data: dict[str, Any] = {}
        if action in (Action.REJECT, Action.EDIT):
            data["reason_code"] = code
        if action is Action.EDIT:
            data["kind"] = "edit"
        kinds = {Action.APPROVE: MailKind.APPROVED, Action.EDIT: MailKind.EDITED}
        kind = kinds.get(action, MailKind.REJECTED)
        _mail_if_confirmed(connection, row["email_hash"], kind, before.id, data, now)
        if action is Action.APPROVE:
            self._reply(connection, row, now)

    def contest_reviewed(self, connection: Connection, comment_id: int) -> None:
        """A second moderator upheld or reversed what the author contested: tell them."""
        if not self.email_on:
            return
        row = _comment_row(connection, comment_id)
        now = self._context.clock()
        kind = MailKind.CONTEST_REVIEWED
        _mail_if_confirmed(connection, row["email_hash"], kind, comment_id, {}, now)

    def reported(self, connection: Connection, comment: Comment) -> None:
        """A reader's report of a published comment: tell the newsroom's webhooks."""
        now = self._context.clock()
        row = _comment_row(connection, comment.id)
        for hook in _wanting(_hooks(connection, row["site_id"]), WebhookEvent.REPORT):
            payload = _comment_payload(connection, self._context, row, WebhookEvent.REPORT)
            _deliver(connection, hook["id"], WebhookEvent.REPORT, payload, comment.id, now)

    def _reply(self, connection: Connection, row: sa.RowMapping, now: datetime) -> None:
        answered = row["reply_to_id"]
        if answered is None or not self.email_on:
            return
        parent = _comment_row(connection, answered)
        if parent["email_hash"] is None or parent["email_hash"] == row["email_hash"]:
            return  # nobody to tell, or they answered themselves
        _mail_if_confirmed(connection, parent["email_hash"], MailKind.REPLY, row["id"], {}, now)


def subscribe(connection: Connection, email: str, email_hash: str, now: datetime) -> None:
    """Records the address and sends the confirmation mail, at most once a day.

    An address that unsubscribed gets nothing more, whatever is typed later: only
    erasing it (reader rights) forgets that choice.
    """
    found = (
        connection.execute(sa.select(subscribers).where(subscribers.c.email_hash == email_hash))
        .mappings()
        .first()
    )
    if found is None:
        subscriber_id = connection.execute(
            subscribers.insert()
            .values(email=email, email_hash=email_hash, created_at=now, confirm_sent_at=now)
            .returning(subscribers.c.id)
        ).scalar_one()
    elif found["confirmed_at"] is None and found["unsubscribed_at"] is None:
        sent = found["confirm_sent_at"]
        if sent is not None and now - sent < CONFIRM_RESEND:
            return
        subscriber_id = found["id"]
        connection.execute(
            subscribers.update()
            .where(subscribers.c.id == subscriber_id)
            .values(email=email, confirm_sent_at=now)
        )
    else:
        return
    box.enqueue(
        connection, box.Channel.EMAIL, MailKind.CONFIRM, now=now, subscriber_id=subscriber_id
    )


def _mail_if_confirmed(
    connection: Connection,
    email_hash: str | None,
    kind: str,
    comment_id: int,
    data: dict[str, Any],
    now: datetime,
    *,
    wait: timedelta = DECISION_GRACE,
) -> None:
    """Queues ``kind`` for the address, if it is confirmed and still subscribed."""
    if email_hash is None:
        return
    subscriber_id = connection.execute(
        sa.select(subscribers.c.id).where(
            subscribers.c.email_hash == email_hash,
            subscribers.c.confirmed_at.is_not(None),
            subscribers.c.unsubscribed_at.is_(None),
        )
    ).scalar_one_or_none()
    if subscriber_id is None:
        return
    box.enqueue(
        connection,
        box.Channel.EMAIL,
        kind,
        now=now,
        due=now + wait,
        subscriber_id=subscriber_id,
        comment_id=comment_id,
        payload=data,
    )


def _comment_row(connection: Connection, comment_id: int) -> sa.RowMapping:
    return (
        connection.execute(
            sa.select(
                comments.c.id,
                comments.c.email,
                comments.c.email_hash,
                comments.c.reply_to_id,
                comments.c.state,
                comments.c.risk,
                comments.c.assessment,
                articles.c.key,
                articles.c.title,
                articles.c.url,
                articles.c.site_id,
                sites.c.slug,
            )
            .select_from(
                comments.join(articles, articles.c.id == comments.c.article_id).join(
                    sites, sites.c.id == articles.c.site_id
                )
            )
            .where(comments.c.id == comment_id)
        )
        .mappings()
        .one()
    )


def _hooks(connection: Connection, site_id: int) -> list[sa.RowMapping]:
    """The site's active webhooks (few per site; read once per change)."""
    query = sa.select(webhooks).where(webhooks.c.site_id == site_id, webhooks.c.active.is_(True))
    return list(connection.execute(query).mappings())


def _wanting(hooks: list[sa.RowMapping], event: str) -> list[sa.RowMapping]:
    return [hook for hook in hooks if event in (hook["events"] or ())]


def _comment_payload(
    connection: Connection, context: Context, row: sa.RowMapping, event: str
) -> dict[str, Any]:
    """What a webhook is told: no text, no pseudonym, no address: ids, scores and links."""
    base = (context.settings.public_url or "").rstrip("/")
    reasons = [r.get("code") for r in (row["assessment"] or {}).get("reasons", ())]
    return {
        "event": event,
        "at": context.clock().isoformat(),
        "site": row["slug"],
        "article": {"key": row["key"], "title": row["title"], "url": row["url"]},
        "comment": {
            "id": row["id"],
            "state": row["state"],
            "risk": row["risk"],
            "reasons": reasons,
            "console_url": f"{base}/console/comments/{row['id']}",
        },
    }


def _deliver(
    connection: Connection,
    webhook_id: int,
    event: str,
    payload: dict[str, Any],
    comment_id: int,
    now: datetime,
) -> None:
    box.enqueue(
        connection,
        box.Channel.WEBHOOK,
        event,
        now=now,
        webhook_id=webhook_id,
        comment_id=comment_id,
        payload=payload,
    )

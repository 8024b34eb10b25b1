"""Reader rights: see everything stored about oneself, and erase it.

A reader proves who they are in one of two ways: the browser key in their commenter
cookie (``web/reader/commenter.py``), or a link mailed to an address they gave (``Proof``).
Each way reaches exactly the comments stored with that key or that address; the desk
never widens one proof to the other.

Erasure removes the pseudonym and the address from every such comment, the address's
subscription and queued mail, the near-duplicate index rows and retry fingerprints;
when the text goes too, ``desk.erasure.remove_texts`` removes it with every copy made
from it (the same function the retention policy uses). The comment keeps its place in
its thread, so replies to it still make sense; one ``erase`` event per comment records
that it happened, never what was erased.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk import semantic_index
from commentdesk.desk.audit import record_event
from commentdesk.desk.context import Context
from commentdesk.desk.erasure import BY_AUTHOR, remove_texts
from commentdesk.errors import InvalidInput
from commentdesk.model import Action, ActorKind, State
from commentdesk.notify import outbox as box
from commentdesk.notify.outbox import MailKind
from commentdesk.notify.tokens import Purpose, unsign
from commentdesk.store.lists import none_of, one_of
from commentdesk.store.records import bump_article
from commentdesk.store.tables import (
    articles,
    bans,
    comments,
    events,
    idempotency_keys,
    notices,
    outbox,
    subscribers,
)
from commentdesk.validation import clean_email

#: One access link per address per this long, however often it is asked for.
LINK_EVERY = timedelta(minutes=10)


class ProofKind(enum.StrEnum):
    BROWSER = "browser"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Proof:
    """Who the reader showed they are: a keyed hash of their browser key or address."""

    kind: ProofKind
    value: str

    def matches(self) -> sa.ColumnElement[bool]:
        column = (
            comments.c.commenter_hash if self.kind is ProofKind.BROWSER else comments.c.email_hash
        )
        return column == self.value


@dataclass(frozen=True, slots=True)
class Erased:
    comments: int
    text_removed: bool


def email_hash(context: Context, email: str) -> str:
    """The keyed hash an address is stored and matched by (see ``desk.bans.identity``)."""
    return context.keyed_hash("email", email.strip().lower())


class Rights:
    def __init__(self, context: Context) -> None:
        self._context = context

    def by_browser(self, commenter_key: str) -> Proof:
        return Proof(ProofKind.BROWSER, self._context.keyed_hash("commenter", commenter_key))

    def by_link(self, token: str) -> Proof:
        """The proof a mailed access link gives; ``LinkInvalid`` when forged or expired."""
        return Proof(ProofKind.EMAIL, unsign(self._context.secret, Purpose.RIGHTS, token))

    def count(self, proof: Proof) -> int:
        """How many comments the proof reaches (erased ones included)."""
        with self._context.store.read() as connection:
            query = sa.select(sa.func.count()).select_from(comments).where(proof.matches())
            return int(connection.execute(query).scalar_one())

    def request_link(self, email: str) -> None:
        """Mails an access link to ``email`` if anything is stored about it.

        Answers the same whether or not the address is known, so the form tells nobody
        who commented here. Raises ``InvalidInput`` when this server sends no mail.
        """
        address = clean_email(email)
        if address is None:
            raise InvalidInput("email", "Give the address you used with your comments.")
        if self._context.settings.smtp_host is None:
            raise InvalidInput(
                "email", "This server sends no email; use the browser you commented with."
            )
        hashed = email_hash(self._context, address)
        now = self._context.clock()
        with self._context.store.write() as connection:
            known = (
                connection.execute(
                    sa.select(comments.c.id).where(comments.c.email_hash == hashed).limit(1)
                ).first()
                or connection.execute(  # a notifier of illegal content, too
                    sa.select(notices.c.id).where(notices.c.notifier_email_hash == hashed).limit(1)
                ).first()
            )
            subscriber_id = connection.execute(
                sa.select(subscribers.c.id).where(subscribers.c.email_hash == hashed)
            ).scalar_one_or_none()
            if known is None and subscriber_id is None:
                return
            if subscriber_id is None:  # an address from before mail was switched on
                subscriber_id = connection.execute(
                    subscribers.insert()
                    .values(email=address, email_hash=hashed, created_at=now)
                    .returning(subscribers.c.id)
                ).scalar_one()
            recent = connection.execute(
                sa.select(outbox.c.id).where(
                    outbox.c.subscriber_id == subscriber_id,
                    outbox.c.kind == MailKind.RIGHTS,
                    outbox.c.created_at > now - LINK_EVERY,
                )
            ).first()
            if recent is None:
                box.enqueue(
                    connection,
                    box.Channel.EMAIL,
                    MailKind.RIGHTS,
                    now=now,
                    subscriber_id=subscriber_id,
                )

    def export(self, proof: Proof) -> dict[str, Any]:
        """Everything stored about the reader, as one JSON-ready document."""
        with self._context.store.read() as connection:
            rows = _comments(connection, proof)
            ids = [row["id"] for row in rows]
            history = _history(connection, ids)
            hashes = {row["email_hash"] for row in rows if row["email_hash"]}
            if proof.kind is ProofKind.EMAIL:
                hashes.add(proof.value)
            subscriptions = _subscriptions(connection, hashes)
            noticed = connection.execute(
                sa.select(
                    notices.c.id,
                    notices.c.comment_id,
                    notices.c.category,
                    notices.c.law,
                    notices.c.explanation,
                    notices.c.notifier_name,
                    notices.c.notifier_email,
                    notices.c.created_at,
                    notices.c.outcome,
                ).where(one_of(notices.c.notifier_email_hash, hashes))
            ).mappings()
            filed = [{**row, "created_at": _iso(row["created_at"])} for row in noticed]
        return {
            "generated_at": self._context.clock().isoformat(),
            "proof": proof.kind.value,
            "comments": [_comment_out(row, history.get(row["id"], [])) for row in rows],
            "subscriptions": subscriptions,
            "notices": filed,  # of illegal content, filed with this address
            "not_stored": [
                "your IP address (rate limits use a hash under a salt replaced every day)",
                "the reports you made (they are not linked to you)",
            ],
            "identifiers": (
                "Your comments are linked to your browser key and your address only by keyed "
                "hashes (commenter_hash, email_hash), which are removed by erasure."
            ),
        }

    def erase(self, proof: Proof, *, remove_text: bool) -> Erased:
        """Removes the reader's name and address (and text, if asked) everywhere; idempotent."""
        now = self._context.clock()
        with self._context.store.write() as connection:
            rows = _comments(connection, proof, for_update=True)
            hashes = {row["email_hash"] for row in rows if row["email_hash"]}
            if proof.kind is ProofKind.EMAIL:
                hashes.add(proof.value)
            for row in rows:
                _erase_comment(connection, row, remove_text, now)
            ids = [row["id"] for row in rows]
            _forget_traces(connection, ids, remove_text)
            _forget_addresses(connection, hashes, ids)
            if hashes:  # the address as a notifier of illegal content
                connection.execute(
                    notices.update()
                    .where(one_of(notices.c.notifier_email_hash, hashes))
                    .values(notifier_name=None, notifier_email=None, notifier_email_hash=None)
                )
            keys = {row["author_key"] for row in rows if row["author_key"]}
            if keys:
                connection.execute(
                    bans.update().where(one_of(bans.c.commenter_hash, keys)).values(author="")
                )
        return Erased(len(rows), remove_text)


def _comments(
    connection: Connection, proof: Proof, *, for_update: bool = False
) -> list[sa.RowMapping]:
    query = (
        sa.select(
            *comments.c, articles.c.key.label("article_key"), articles.c.title, articles.c.url
        )
        .select_from(comments.join(articles, articles.c.id == comments.c.article_id))
        .where(proof.matches())
        .order_by(comments.c.id)
    )
    if for_update:
        query = query.with_for_update(of=comments)
    return list(connection.execute(query).mappings())


def _history(connection: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return found
    query = sa.select(events).where(one_of(events.c.comment_id, ids)).order_by(events.c.id)
    for row in connection.execute(query).mappings():
        found.setdefault(row["comment_id"], []).append(
            {
                "at": row["at"].isoformat(),
                "action": row["action"],
                "by": row["actor_kind"],
                "from_state": row["from_state"],
                "to_state": row["to_state"],
                "reason": row["reason"],
                "text_before": row["before_text"],
                "text_after": row["after_text"],
            }
        )
    return found


def _subscriptions(connection: Connection, hashes: set[str]) -> list[dict[str, Any]]:
    if not hashes:
        return []
    found = []
    rows = connection.execute(
        sa.select(subscribers).where(one_of(subscribers.c.email_hash, hashes))
    ).mappings()
    for row in rows:
        mail = connection.execute(
            sa.select(outbox.c.kind, outbox.c.state, outbox.c.created_at, outbox.c.sent_at)
            .where(outbox.c.subscriber_id == row["id"])
            .order_by(outbox.c.id)
        ).mappings()
        found.append(
            {
                "email": row["email"],
                "created_at": _iso(row["created_at"]),
                "confirmed_at": _iso(row["confirmed_at"]),
                "unsubscribed_at": _iso(row["unsubscribed_at"]),
                "mail": [
                    {
                        "kind": m["kind"],
                        "state": m["state"],
                        "queued_at": _iso(m["created_at"]),
                        "sent_at": _iso(m["sent_at"]),
                    }
                    for m in mail
                ],
            }
        )
    return found


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _comment_out(row: sa.RowMapping, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "article": {"key": row["article_key"], "title": row["title"], "url": row["url"]},
        "parent_id": row["parent_id"],
        "reply_to_id": row["reply_to_id"],
        "author": row["author"],
        "email": row["email"],
        "body": row["body"],
        "state": row["state"],
        "featured": row["featured"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "terms_version_accepted": row["terms_version"],
        "edited_by_moderator": row["edited_by_moderator"],
        "edit_reason": row["edit_reason"],
        "decided_at": _iso(row["decided_at"]),
        "decision_reason": row["decision_reason"],
        "language_detected": row["language"],
        "assessment": row["assessment"],
        "cluster_id": row["cluster_id"],
        "erased_at": _iso(row["erased_at"]),
        "text_removed": row["text_removed"],
        "history": history,
    }


def _erase_comment(
    connection: Connection, row: sa.RowMapping, remove_text: bool, now: datetime
) -> None:
    values: dict[str, Any] = {
        "author": "",
        "email": None,
        "email_hash": None,
        "commenter_hash": None,
        "author_key": None,
        "erased_at": row["erased_at"] or now,
        "updated_at": now,
    }
    state = State(row["state"])
    new_state = state
    if remove_text and state is State.PENDING:  # nothing left to review: the author withdrew it
        new_state = State.DELETED
        values["state"] = new_state.value
    connection.execute(comments.update().where(comments.c.id == row["id"]).values(values))
    record_event(
        connection,
        at=now,
        action=Action.ERASE,
        actor_kind=ActorKind.READER,
        comment_id=row["id"],
        article_id=row["article_id"],
        from_state=state,
        to_state=new_state,
        reason="name, address and text removed" if remove_text else "name and address removed",
    )
    if state is State.APPROVED:  # the public thread changed: new ETag, feeds, static files
        bump_article(connection, row["article_id"])


def _forget_traces(connection: Connection, ids: list[int], remove_text: bool) -> None:
    """Index rows, retry fingerprints and queued mail about these comments; their texts."""
    if not ids:
        return
    if remove_text:
        remove_texts(connection, ids, why=BY_AUTHOR)
    semantic_index.forget(connection, ids)  # both kinds of bands, vectors, exemplars
    connection.execute(idempotency_keys.delete().where(one_of(idempotency_keys.c.comment_id, ids)))
    connection.execute(
        outbox.delete().where(
            one_of(outbox.c.comment_id, ids), outbox.c.channel == box.Channel.EMAIL.value
        )
    )


def _forget_addresses(connection: Connection, hashes: set[str], erased_ids: list[int]) -> None:
    """Drops the subscriptions (and their mail) of addresses no other comment still uses."""
    if not hashes:
        return
    still_used = set(
        connection.execute(
            sa.select(comments.c.email_hash).where(
                one_of(comments.c.email_hash, hashes), none_of(comments.c.id, erased_ids)
            )
        ).scalars()
    )
    gone = list(hashes - still_used)
    if not gone:
        return
    ids = list(
        connection.execute(
            sa.select(subscribers.c.id).where(one_of(subscribers.c.email_hash, gone))
        ).scalars()
    )
    if ids:
        connection.execute(outbox.delete().where(one_of(outbox.c.subscriber_id, ids)))
        connection.execute(subscribers.delete().where(one_of(subscribers.c.id, ids)))

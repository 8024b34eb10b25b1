"""What readers do: submit, fix or withdraw their own pending comment, report, read."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from commentdesk import lifecycle
from commentdesk.desk.assessor import Assessor
from commentdesk.desk.audit import record_event
from commentdesk.desk.bans import Identity, admission, identity, subscriber_identity
from commentdesk.desk.catalog import Catalog, is_open
from commentdesk.desk.context import Context, token_hash
from commentdesk.desk.limits import SubmissionLimits
from commentdesk.desk.notifier import Notifier
from commentdesk.desk.screening import Screened, Screening
from commentdesk.desk.subscribers import Subscribers
from commentdesk.errors import (
    ArticleClosed,
    EditTokenInvalid,
    EditWindowClosed,
    FieldsInvalid,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    Refused,
    TermsNotAccepted,
)
from commentdesk.model import Action, ActorKind, Article, Comment, Site, State, Submitted
from commentdesk.store.records import (
    article_from,
    assessment_to,
    comment_from,
    get_comment,
    get_site,
)
from commentdesk.store.tables import articles, comments, idempotency_keys, reports
from commentdesk.validation import clean_author, clean_body, clean_email, clean_reason


@dataclass(frozen=True, slots=True)
class Draft:
    """A reader's submission as typed; the desk cleans and checks it."""

    author: str
    body: str
    accept_terms: bool
    email: str | None = None
    parent_id: int | None = None
    #: The reader's browser key (a cookie), if the page has one; stored only as a keyed hash.
    commenter_key: str | None = None
    #: The client's address, for rate limits only: hashed under a daily salt, never stored.
    address: str | None = None
    #: A token the publisher signed for its signed-in subscriber (``commentdesk/subscribers``):
    #: its name replaces ``author``, and its subject is who the comment counts toward.
    subscriber_token: str | None = None

    def fingerprint(self, key: str) -> str:
        fields = [key, self.author, self.body, self.email, self.parent_id]
        return hashlib.sha256(json.dumps(fields).encode("utf-8", "surrogatepass")).hexdigest()


T = TypeVar("T")


def check_draft(draft: Draft) -> Draft:
    """The draft with its fields cleaned, or ``FieldsInvalid`` naming every problem.

    Pure and cheap: the reader's form runs it to show all problems at once, and
    ``submit`` runs it again before anything else, so no path skips it.
    """
    problems: list[InvalidInput] = []

    def cleaned(clean: Callable[[T], T], value: T) -> T:
        try:
            return clean(value)
        except InvalidInput as exc:
            problems.append(exc)
            return value

    author = cleaned(clean_author, draft.author)
    body = cleaned(clean_body, draft.body)
    email = cleaned(clean_email, draft.email)
    if not draft.accept_terms:
        problems.append(TermsNotAccepted())
    if problems:
        raise FieldsInvalid(problems)
    return replace(draft, author=author, body=body, email=email)


class Comments:
    def __init__(
        self,
        context: Context,
        catalog: Catalog,
        limits: SubmissionLimits,
        screening: Screening,
        assessor: Assessor,
        notifier: Notifier,
        subscribers: Subscribers,
    ) -> None:
        self._context = context
        self._subscribers = subscribers
        self._catalog = catalog
        self._limits = limits
        self._screening = screening
        self._assessor = assessor
        self._notifier = notifier

    def submit(
        self,
        key: str,
        draft: Draft,
        *,
        idempotency_key: str | None = None,
        article_url: str | None = None,
        article_title: str | None = None,
        article_section: str | None = None,
    ) -> Submitted:
        """Stores a new comment and its ``submit`` event; returns it with its edit token.

        The cheap checks come first, before any text work or write: field sizes, bans,
        every rate limit, whether the article is open. Then the bounded screen; only then
        is an article a host page names made, and the comment stored, held, with its row
        for the worker's full assessment (``desk/assessor.py``). With
        ``idempotency_key``, a retry of the same submission answers the first comment
        again instead of storing a second one, and spends no limit. ``article_section``
        names a declared section for an article made here (see ``Catalog.locate``).
        """
        if draft.subscriber_token is None:
            clean = check_draft(draft)
        target = self._catalog.locate(
            key, url=article_url, title=article_title, section=article_section
        )
        site_id = target.site_id if isinstance(target, Article) else target.site.id
        if draft.subscriber_token is None:
            who = identity(
                self._context,
                author=clean.author,
                email=clean.email,
                commenter_key=draft.commenter_key,
            )
        else:
            # Checked before anything else is done for it; a bad token is never posted
            # anonymously instead (the host page's mistake would go unseen).
            vouched = self._subscribers.vouched(site_id, draft.subscriber_token)
            draft = replace(draft, author=vouched.name)
            clean = check_draft(draft)
            who = subscriber_identity(
                self._context,
                site_id,
                vouched.subject,
                email=clean.email,
                commenter_key=draft.commenter_key,
            )
        if idempotency_key is not None:
            with self._context.store.read() as connection:
                earlier = self._replay(connection, key, draft, idempotency_key)
            if earlier is not None:
                return earlier
        now = self._context.clock()
        existing = target if isinstance(target, Article) else None
        named = None if isinstance(target, Article) or target.section is None else target.section
        with self._context.store.read() as connection:
            site = get_site(connection, site_id)
            admitted = admission(  # bans
                connection,
                site,
                existing.id if existing else None,
                who,
                now,
                section_default=named.moderation if named else None,
            )
        self._limits.spend(
            self._limits.checks(
                site_id=site.id,
                article_key=key,
                commenter_hash=who.commenter_hash,
                address=draft.address,
            )
        )
        if existing is not None and not is_open(existing, now):
            raise ArticleClosed()
        screened = self._screening.screen(site.id, clean.body)
        if screened.refused:
            raise Refused()
        article = target if isinstance(target, Article) else self._catalog.create(target)
        self._screening.purge_now_and_then(now)
        try:
            submitted = self._store(
                article, site, draft, clean, idempotency_key, who, screened, admitted
            )
        except IntegrityError:
            if idempotency_key is None:
                raise
            # The same key raced us in another transaction: answer what it stored.
            submitted = self._store(
                article, site, draft, clean, idempotency_key, who, screened, admitted
            )
        self._assessor.wake.set()
        return submitted

    def _store(
        self,
        article: Article,
        site: Site,
        draft: Draft,
        clean: Draft,
        idempotency_key: str | None,
        who: Identity,
        screened: Screened,
        admitted: State,
    ) -> Submitted:
        """Inserts ``clean``; ``draft`` as typed is what an idempotent retry must match.

        Every submission waits for SQLite's write lock, so this holds it for as few
        statements as it can: ``site`` was read before it (its terms version a moment
        old is the one the reader was shown), and the new row comes back from the insert.
        It is written in a savepoint of a transaction it may share with other posts.
        """
        context = self._context
        now = context.clock()

        def insert(connection: Connection) -> Submitted:
            if idempotency_key is not None:
                earlier = self._replay(connection, article.key, draft, idempotency_key)
                if earlier is not None:
                    return earlier
            if not is_open(_fresh(connection, article.id), now):
                raise ArticleClosed()
            parent_id, reply_to_id, depth = self._placement(connection, article, draft.parent_id)
            # Held until the worker's assessment; a post-moderated one is published then.
            state = State.PENDING
            edit_token = (
                context.keyed_hash("edit-token", idempotency_key)
                if idempotency_key is not None
                else secrets.token_urlsafe(32)
            )
            provisional = screened.assessment
            inserted = (
                connection.execute(
                    _INSERT_COMMENT,
                    {
                        "article_id": article.id,
                        "parent_id": parent_id,
                        "reply_to_id": reply_to_id,
                        "depth": depth,
                        "author": clean.author,
                        "email": clean.email,
                        "body": clean.body,
                        "state": state.value,
                        "featured": False,
                        "created_at": now,
                        "updated_at": now,
                        "editable_until": now
                        + timedelta(minutes=context.settings.edit_window_minutes),
                        "edit_token_hash": token_hash(edit_token),
                        "terms_version": site.terms_version,
                        "edited_by_moderator": False,
                        "risk": provisional.risk,
                        "assessment": assessment_to(provisional),
                        "language": screened.evidence.language.language,
                        "author_key": who.author_key,
                        "commenter_hash": who.commenter_hash,
                        "email_hash": who.email_hash,
                        "subscriber": draft.subscriber_token is not None or None,
                    },
                )
                .mappings()
                .one()
            )
            comment_id = inserted["id"]
            self._assessor.enqueue(
                connection, comment_id, post_moderated=admitted is State.APPROVED
            )
            record_event(
                connection,
                at=now,
                action=Action.SUBMIT,
                actor_kind=ActorKind.READER,
                comment_id=comment_id,
                article_id=article.id,
                to_state=state,
                after_text=clean.body,
            )
            if idempotency_key is not None:
                connection.execute(
                    idempotency_keys.insert().values(
                        key_hash=context.keyed_hash("idempotency", idempotency_key),
                        fingerprint=draft.fingerprint(article.key),
                        comment_id=comment_id,
                        created_at=now,
                    )
                )
            stored = comment_from({**inserted, "decided_by": None})
            publishes = admitted is State.APPROVED
            return Submitted(stored, edit_token, publishes_when_assessed=publishes)

        # Posts that arrive together share one commit (store/together.py).
        return context.store.write_together(insert)

    def _replay(
        self, connection: Connection, key: str, draft: Draft, idempotency_key: str
    ) -> Submitted | None:
        row = (
            connection.execute(
                sa.select(idempotency_keys).where(
                    idempotency_keys.c.key_hash
                    == self._context.keyed_hash("idempotency", idempotency_key)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        if row["fingerprint"] != draft.fingerprint(key):
            raise IdempotencyKeyReused()
        earlier = get_comment(connection, row["comment_id"])
        assert earlier is not None
        return Submitted(
            earlier,
            self._context.keyed_hash("edit-token", idempotency_key),
            publishes_when_assessed=self._assessor.publishes_when_assessed(connection, earlier.id),
        )

    def _placement(
        self, connection: Connection, article: Article, parent_id: int | None
    ) -> tuple[int | None, int | None, int]:
        """Where a reply goes: (parent, replied-to, depth), capped at the deepest level."""
        if parent_id is None:
            return None, None, 0
        parent = get_comment(connection, parent_id)
        if parent is None or parent.article_id != article.id or parent.state is not State.APPROVED:
            raise InvalidInput(
                "parent_id", "You can only reply to a published comment on this article."
            )
        deepest = self._context.settings.max_reply_depth - 1
        if parent.depth < deepest:
            return parent.id, parent.id, parent.depth + 1
        # Too deep: join the parent's own level, remembering whom it answers.
        return parent.parent_id, parent.id, parent.depth

    def _own(self, connection: Connection, comment_id: int, edit_token: str | None) -> Comment:
        comment = get_comment(connection, comment_id, for_update=True)
        if comment is None:
            raise NotFound("There is no comment %(id)s.", field="id", id=comment_id)
        stored = connection.execute(
            sa.select(comments.c.edit_token_hash).where(comments.c.id == comment_id)
        ).scalar_one()
        if not edit_token or not secrets.compare_digest(stored, token_hash(edit_token)):
            raise EditTokenInvalid()
        return comment

    def _check_window(self, comment: Comment, action: Action) -> None:
        lifecycle.next_state(comment.state, action)
        if self._context.clock() >= comment.editable_until:
            raise EditWindowClosed()

    def edit_own(self, comment_id: int, edit_token: str | None, body: str) -> Comment:
        """The author changes the text of their pending comment within the edit window."""
        text = clean_body(body)
        now = self._context.clock()
        with self._context.store.write() as connection:
            comment = self._own(connection, comment_id, edit_token)
            self._check_window(comment, Action.EDIT_OWN)
            connection.execute(
                comments.update()
                .where(comments.c.id == comment_id)
                .values(body=text, updated_at=now)
            )
            record_event(
                connection,
                at=now,
                action=Action.EDIT_OWN,
                actor_kind=ActorKind.READER,
                comment_id=comment_id,
                article_id=comment.article_id,
                from_state=comment.state,
                to_state=comment.state,
                before_text=comment.body,
                after_text=text,
            )
            updated = get_comment(connection, comment_id)
        assert updated is not None
        return updated

    def delete_own(self, comment_id: int, edit_token: str | None) -> Comment:
        """The author withdraws their pending comment; the text stays in the audit log."""
        now = self._context.clock()
        with self._context.store.write() as connection:
            comment = self._own(connection, comment_id, edit_token)
            self._check_window(comment, Action.DELETE_OWN)
            connection.execute(
                comments.update()
                .where(comments.c.id == comment_id)
                .values(state=State.DELETED.value, updated_at=now)
            )
            record_event(
                connection,
                at=now,
                action=Action.DELETE_OWN,
                actor_kind=ActorKind.READER,
                comment_id=comment_id,
                article_id=comment.article_id,
                from_state=comment.state,
                to_state=State.DELETED,
                before_text=comment.body,
            )
            updated = get_comment(connection, comment_id)
        assert updated is not None
        return updated

    def report(self, comment_id: int, reason: str | None) -> None:
        """A reader flags a published comment for the moderators."""
        text = clean_reason(reason, required=False) or "no reason given"
        now = self._context.clock()
        with self._context.store.write() as connection:
            comment = get_comment(connection, comment_id)
            if comment is None or not lifecycle.is_public(comment.state):
                raise NotFound(f"There is no published comment {comment_id}.", field="id")
            connection.execute(
                reports.insert().values(comment_id=comment_id, reason=text, created_at=now)
            )
            record_event(
                connection,
                at=now,
                action=Action.REPORT,
                actor_kind=ActorKind.READER,
                comment_id=comment_id,
                article_id=comment.article_id,
                from_state=comment.state,
                to_state=comment.state,
                reason=text,
            )
            self._notifier.reported(connection, comment)  # webhooks, in this transaction


# Built once: every submission runs them under the write lock.
_INSERT_COMMENT = comments.insert().returning(*comments.c)
_ARTICLE_BY_ID = sa.select(articles).where(articles.c.id == sa.bindparam("article_id"))


def _fresh(connection: Connection, article_id: int) -> Article:
    row = connection.execute(_ARTICLE_BY_ID, {"article_id": article_id}).mappings()
    return article_from(row.one())

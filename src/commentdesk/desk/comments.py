"""What readers do: submit, fix or withdraw their own pending comment, report, read."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from commentdesk import lifecycle
from commentdesk.desk.assessor import Assessor
from commentdesk.desk.audit import record_event
from commentdesk.desk.bans import admission, identity, subscriber_identity
from commentdesk.desk.catalog import Catalog, is_open
from commentdesk.desk.context import Context, token_hash
from commentdesk.desk.intake import Intake
from commentdesk.desk.limits import SubmissionLimits
from commentdesk.desk.notifier import Notifier
from commentdesk.desk.screening import Screening
from commentdesk.desk.subscribers import Subscribers
from commentdesk.errors import (
    ArticleClosed,
    EditTokenInvalid,
    EditWindowClosed,
    FieldsInvalid,
    InvalidInput,
    NotFound,
    Refused,
    TermsNotAccepted,
)
from commentdesk.model import Action, ActorKind, Article, Comment, State, Submitted
from commentdesk.store.records import (
    get_comment,
    get_site,
)
from commentdesk.store.tables import comments, reports
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
        self._intake = Intake(context, assessor)

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
        names a declared section for an article made here (see ``Catalog.locate_in``).
        """
        if draft.subscriber_token is None:
            clean = check_draft(draft)
        now = self._context.clock()
        # One read for every check that reads: a flood's posts each pay for one.
        with self._context.store.read() as connection:
            target = self._catalog.locate_in(
                connection, key, url=article_url, title=article_title, section=article_section
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
                vouched = self._subscribers.vouched_in(connection, site_id, draft.subscriber_token)
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
                earlier = self._intake.replay(
                    connection, key, draft.fingerprint(key), idempotency_key
                )
                if earlier is not None:
                    return earlier
            existing = target if isinstance(target, Article) else None
            named = None if isinstance(target, Article) else target.section
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
        post = self._intake.prepare(
            article,
            site,
            author=clean.author,
            body=clean.body,
            email=clean.email,
            parent_id=draft.parent_id,
            fingerprint=draft.fingerprint(article.key),
            idempotency_key=idempotency_key,
            who=who,
            screened=screened,
            post_moderated=admitted is State.APPROVED,
            subscriber=draft.subscriber_token is not None,
        )
        try:
            submitted = self._intake.store(post)
        except IntegrityError:
            if idempotency_key is None:
                raise
            # The same key raced us in another transaction: answer what it stored.
            submitted = self._intake.store(post)
        self._assessor.wake.set()
        return submitted

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

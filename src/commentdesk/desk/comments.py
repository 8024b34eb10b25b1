"""What readers do: submit, fix or withdraw their own pending comment, report, read."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from commentdesk import lifecycle
from commentdesk.desk.bans import Identity, admission, identity
from commentdesk.desk.catalog import Catalog, is_open
from commentdesk.desk.context import Context, token_hash
from commentdesk.desk.limits import SubmissionLimits
from commentdesk.desk.notifier import Notifier
from commentdesk.desk.screening import Prepared, Screening
from commentdesk.errors import (
    ArticleClosed,
    EditTokenInvalid,
    EditWindowClosed,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    Refused,
    TermsNotAccepted,
)
from commentdesk.model import Action, ActorKind, Article, Comment, State, Submitted
from commentdesk.store.records import (
    article_from,
    assessment_to,
    bump_article,
    get_comment,
    get_site,
    record_event,
)
from commentdesk.store.tables import articles, comments, idempotency_keys, reports
from commentdesk.throttle.limiter import Check
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

    def fingerprint(self, key: str) -> str:
        fields = [key, self.author, self.body, self.email, self.parent_id]
        return hashlib.sha256(json.dumps(fields).encode("utf-8", "surrogatepass")).hexdigest()


class Comments:
    def __init__(
        self,
        context: Context,
        catalog: Catalog,
        limits: SubmissionLimits,
        screening: Screening,
        notifier: Notifier | None = None,
    ) -> None:
        self._context = context
        self._catalog = catalog
        self._limits = limits
        self._screening = screening
        self._notifier = notifier or Notifier(context)

    def submit(
        self,
        key: str,
        draft: Draft,
        *,
        idempotency_key: str | None = None,
        article_url: str | None = None,
        article_title: str | None = None,
    ) -> Submitted:
        """Stores a new comment and its ``submit`` event; returns it with its edit token.

        With ``idempotency_key``, a retry of the same submission answers the first
        comment again instead of storing a second one.
        """
        clean = Draft(
            author=clean_author(draft.author),
            body=clean_body(draft.body),
            email=clean_email(draft.email),
            parent_id=draft.parent_id,
            accept_terms=draft.accept_terms,
        )
        if not draft.accept_terms:
            raise TermsNotAccepted()
        article = self._catalog.resolve(key, url=article_url, title=article_title)
        who = identity(
            self._context,
            author=clean.author,
            email=clean.email,
            commenter_key=draft.commenter_key,
        )
        checks = self._limits.checks(
            site_id=article.site_id,
            article_id=article.id,
            commenter_hash=who.commenter_hash,
            address=draft.address,
        )
        prepared = self._screening.prepare(article.site_id, clean.body)
        self._screening.purge_now_and_then(self._context.clock())
        try:
            return self._store(article, draft, clean, idempotency_key, who, checks, prepared)
        except IntegrityError:
            if idempotency_key is None:
                raise
            # The same key raced us in another transaction: answer what it stored.
            return self._store(article, draft, clean, idempotency_key, who, checks, prepared)

    def _store(
        self,
        article: Article,
        draft: Draft,
        clean: Draft,
        idempotency_key: str | None,
        who: Identity,
        checks: list[Check],
        prepared: Prepared,
    ) -> Submitted:
        """Inserts ``clean``; ``draft`` as typed is what an idempotent retry must match."""
        context = self._context
        now = context.clock()
        with context.store.write() as connection:
            if idempotency_key is not None:
                earlier = self._replay(connection, article.key, draft, idempotency_key)
                if earlier is not None:
                    return earlier
            if not is_open(_fresh(connection, article.id), now):
                raise ArticleClosed()
            site = get_site(connection, article.site_id)
            parent_id, reply_to_id, depth = self._placement(connection, article, draft.parent_id)
            self._limits.spend(checks)  # after the replay: a retry spends nothing
            admitted = admission(connection, site, article.id, who, now)  # bans, pre/post
            verdict = self._screening.assess(
                connection,
                prepared,
                author=clean.author,
                who=who,
                article_id=article.id,
                reply_to=reply_to_id,
                post_moderated=admitted is State.APPROVED,
                now=now,
            )
            if verdict.assessment.action == "refuse":
                raise Refused()
            state = lifecycle.after_triage(admitted, verdict.assessment.action)
            edit_token = (
                context.keyed_hash("edit-token", idempotency_key)
                if idempotency_key is not None
                else secrets.token_urlsafe(32)
            )
            comment_id = connection.execute(
                comments.insert()
                .values(
                    article_id=article.id,
                    parent_id=parent_id,
                    reply_to_id=reply_to_id,
                    depth=depth,
                    author=clean.author,
                    email=clean.email,
                    body=clean.body,
                    state=state.value,
                    featured=False,
                    created_at=now,
                    updated_at=now,
                    editable_until=now + timedelta(minutes=context.settings.edit_window_minutes),
                    edit_token_hash=token_hash(edit_token),
                    terms_version=site.terms_version,
                    edited_by_moderator=False,
                    risk=verdict.assessment.risk,
                    assessment=assessment_to(verdict.assessment),
                    cluster_id=verdict.cluster_seed,
                    language=prepared.evidence.language.language,
                    author_key=who.author_key,
                    commenter_hash=who.commenter_hash,
                    email_hash=who.email_hash,
                )
                .returning(comments.c.id)
            ).scalar_one()
            self._screening.index(connection, comment_id, prepared, verdict, now)
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
            if lifecycle.is_public(state):
                bump_article(connection, article.id, count_delta=1)
            self._notifier.submitted(connection, comment_id, site, state, verdict)  # outbox rows
            if idempotency_key is not None:
                connection.execute(
                    idempotency_keys.insert().values(
                        key_hash=context.keyed_hash("idempotency", idempotency_key),
                        fingerprint=draft.fingerprint(article.key),
                        comment_id=comment_id,
                        created_at=now,
                    )
                )
            stored = get_comment(connection, comment_id)
        assert stored is not None
        return Submitted(stored, edit_token)

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
        return Submitted(earlier, self._context.keyed_hash("edit-token", idempotency_key))

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
            raise NotFound(f"There is no comment {comment_id}.", field="id")
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


def _fresh(connection: Connection, article_id: int) -> Article:
    row = connection.execute(sa.select(articles).where(articles.c.id == article_id)).mappings()
    return article_from(row.one())

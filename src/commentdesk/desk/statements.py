"""Statements of reasons (EU Digital Services Act, article 17), and the author's contest.

A statement is never stored: it is read from the facts that are, so it cannot drift from
them. The decision is the comment's last rejection or edit by a moderator (its event,
reason code and words); the ground is the law when the site marked that reason as legal,
else the site's terms of use; automated means were used when triage flagged the comment
(the decision itself is always a person's); and the contest, if any, with its outcome.

An author reaches their statement with a signed link (``token``): the thread page signs
it for the browser holding the comment's edit token, and the decision mail carries it.
The author may contest each decision once (``contest``); a second moderator then reviews
it (``desk.contests``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import sitetexts
from commentdesk.desk.audit import StaffAction, record_event
from commentdesk.desk.context import Context
from commentdesk.errors import AlreadyContested, Conflict, InvalidInput, NotFound
from commentdesk.model import Action, ActorKind, Comment, Site, State
from commentdesk.notify.tokens import Purpose, sign, unsign
from commentdesk.store.lists import one_of
from commentdesk.store.records import get_comment, get_site
from commentdesk.store.tables import articles, comments, contests, events, staff_events
from commentdesk.validation import strip_unsafe

#: The longest contest an author may write, in characters.
CONTEST_MAX = 2000
#: Triage reasons that say nothing about the text (it was not yet, or not, assessed).
#: Reasons that detect nothing in the comment: the assessment's own states, and a first
#: comment from a new browser (which routes it to the queue whatever it says).
_NOT_DETECTION = frozenset({"assessing", "assessment_failed", "new_commenter"})
_DECISIONS = (Action.REJECT.value, Action.EDIT.value)


@dataclass(frozen=True, slots=True)
class ContestView:
    id: int
    text: str
    created_at: datetime
    outcome: str | None  # None while open, "upheld" or "reversed"
    note: str | None
    reviewed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Statement:
    """Why a comment was rejected or edited, as its author is told."""

    comment_id: int
    event_id: int
    action: Action  # REJECT or EDIT
    decided_at: datetime
    reason: str | None  # the site's reason in the reader's language, then the note
    legal: bool  # the ground: the law (True) or the site's terms of use
    automated: bool  # automated means detected it (triage flagged it for review)
    article_key: str
    article_title: str
    site_name: str
    contest: ContestView | None = None

    @property
    def contestable(self) -> bool:
        return self.contest is None


def clean_contest(value: str) -> str:
    """The author's words: 1 to ``CONTEST_MAX`` characters, unsafe characters stripped."""
    if len(value) > CONTEST_MAX * 4:  # before any work on a stranger's text
        raise InvalidInput("text", "Please keep it to %(limit)s characters.", limit=CONTEST_MAX)
    text = strip_unsafe(unicodedata.normalize("NFC", value)).strip()
    if not text:
        raise InvalidInput("text", "Say why the decision should be looked at again.")
    if len(text) > CONTEST_MAX:
        raise InvalidInput("text", "Please keep it to %(limit)s characters.", limit=CONTEST_MAX)
    return text


def decision_of(connection: Connection, comment: Comment) -> sa.RowMapping | None:
    """The decision event a statement about ``comment`` explains, or None.

    The last rejection or edit by a moderator, while it stands (not undone, the comment
    still rejected or edited); once contested, that decision for good, even after a
    second moderator reversed it (the reversal is not a decision to explain).
    """
    latest = (
        connection.execute(
            sa.select(events)
            .where(
                events.c.comment_id == comment.id,
                events.c.action.in_(_DECISIONS),
                events.c.actor_kind == ActorKind.MODERATOR.value,
            )
            .order_by(events.c.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    if latest is None:
        return None
    contested = connection.execute(
        sa.select(contests.c.event_id).where(
            sa.or_(
                contests.c.resolution_event_id == latest["id"], contests.c.event_id == latest["id"]
            )
        )
    ).scalar_one_or_none()
    if contested is not None:
        return (
            connection.execute(sa.select(events).where(events.c.id == contested)).mappings().one()
        )
    standing = (
        comment.state is State.REJECTED
        if latest["action"] == Action.REJECT.value
        else comment.edited_by_moderator
    )
    undone = connection.execute(
        sa.select(staff_events.c.id).where(
            staff_events.c.action == StaffAction.UNDO.value,
            staff_events.c.target == f"event:{latest['id']}",
        )
    ).first()
    return latest if standing and undone is None else None


def _contest(connection: Connection, event_id: int) -> ContestView | None:
    row = (
        connection.execute(sa.select(contests).where(contests.c.event_id == event_id))
        .mappings()
        .first()
    )
    if row is None:
        return None
    return ContestView(
        row["id"], row["text"], row["created_at"], row["outcome"], row["note"], row["reviewed_at"]
    )


def statement_in(connection: Connection, comment: Comment, language: str) -> Statement | None:
    """The statement about ``comment`` with its reason in ``language``, or None."""
    decision = decision_of(connection, comment)
    if decision is None:
        return None
    article = connection.execute(
        sa.select(articles.c.key, articles.c.title, articles.c.site_id).where(
            articles.c.id == comment.article_id
        )
    ).one()
    site = get_site(connection, article.site_id)
    action = Action(decision["action"])
    reasons = site.edit_reasons if action is Action.EDIT else site.reject_reasons
    code = decision["reason_code"]
    chosen = next((r for r in reasons if code and r.code == code), None)
    detected = [r for r in comment.assessment.reasons if r.code not in _NOT_DETECTION]
    return Statement(
        comment_id=comment.id,
        event_id=decision["id"],
        action=action,
        decided_at=decision["at"],
        reason=sitetexts.localized(decision["reason"], code, reasons, language, site.language),
        legal=chosen is not None and chosen.legal,
        automated=bool(detected),
        article_key=article.key,
        article_title=article.title,
        site_name=site.name,
        contest=_contest(connection, decision["id"]),
    )


class Statements:
    """What an author reads about a decision on their comment, and their one contest."""

    def __init__(self, context: Context) -> None:
        self._context = context

    def token(self, comment_id: int) -> str:
        """The signed part of a comment's statement link (valid as long as the secret)."""
        return sign(self._context.secret, Purpose.STATEMENT, str(comment_id))

    def comment_of(self, token: str) -> int:
        """The comment a statement link names; ``LinkInvalid`` if forged."""
        value = unsign(self._context.secret, Purpose.STATEMENT, token)
        if not value.isdigit():
            raise NotFound("There is no statement here.", field="t")
        return int(value)

    def site_of(self, token: str) -> Site:
        """The site of the comment a statement link names (its page speaks its language)."""
        comment_id = self.comment_of(token)
        with self._context.store.read() as connection:
            site_id = connection.execute(
                sa.select(articles.c.site_id)
                .join(comments, comments.c.article_id == articles.c.id)
                .where(comments.c.id == comment_id)
            ).scalar_one_or_none()
            if site_id is None:
                raise NotFound("There is no statement about this comment (any more).", field="t")
            return get_site(connection, site_id)

    def for_comments(self, own: list[Comment], language: str) -> dict[int, Statement]:
        """The statements about the reader's own comments that have one, by comment id."""
        found: dict[int, Statement] = {}
        if not own:
            return found
        with self._context.store.read() as connection:
            decided = set(  # one query: most of a reader's comments have no decision yet
                connection.execute(
                    sa.select(events.c.comment_id).where(
                        one_of(events.c.comment_id, [c.id for c in own]),
                        events.c.action.in_(_DECISIONS),
                        events.c.actor_kind == ActorKind.MODERATOR.value,
                    )
                ).scalars()
            )
            for comment in own:
                if comment.id not in decided:
                    continue
                statement = statement_in(connection, comment, language)
                if statement is not None:
                    found[comment.id] = statement
        return found

    def read(self, token: str, language: str) -> tuple[Comment, Statement]:
        """The comment and its statement a link names; ``NotFound`` when there is none
        (the decision was undone, or the comment erased)."""
        comment_id = self.comment_of(token)
        with self._context.store.read() as connection:
            comment = get_comment(connection, comment_id)
            statement = statement_in(connection, comment, language) if comment else None
        if comment is None or statement is None or comment.erased:
            raise NotFound("There is no statement about this comment (any more).", field="t")
        return comment, statement

    def contest(self, token: str, text: str) -> ContestView:
        """The author contests the decision their link explains, once: the comment goes
        to the "contested" queue for a second moderator. ``AlreadyContested`` the second
        time; ``InvalidInput`` for empty or too long words (checked before anything)."""
        words = clean_contest(text)
        comment_id = self.comment_of(token)
        now = self._context.clock()
        with self._context.store.write() as connection:
            comment = get_comment(connection, comment_id, for_update=True)
            decision = decision_of(connection, comment) if comment else None
            if comment is None or decision is None or comment.erased:
                raise Conflict("This decision no longer stands; there is nothing to contest.")
            if _contest(connection, decision["id"]) is not None:
                raise AlreadyContested()
            connection.execute(
                contests.insert().values(
                    comment_id=comment.id, event_id=decision["id"], text=words, created_at=now
                )
            )
            record_event(
                connection,
                at=now,
                action=Action.CONTEST,
                actor_kind=ActorKind.READER,
                comment_id=comment.id,
                article_id=comment.article_id,
                from_state=comment.state,
                to_state=comment.state,
                reason=f"event:{decision['id']}",
                after_text=words,
            )
            found = _contest(connection, decision["id"])
        assert found is not None
        return found

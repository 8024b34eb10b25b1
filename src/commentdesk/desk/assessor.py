"""The full assessment, after the 202: the worker takes due comments in batches.

A submission stores its comment with the screen's provisional assessment and a row in
``assessments_due``, and answers. ``Assessor.run_batch`` then *claims* a batch of due rows
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so workers on several hosts share the queue;
SQLite's single writer serialises claims), does the text work outside any transaction, and
writes each comment's assessment, cluster, state and ``assess`` event in one transaction
that also deletes its row. So a worker killed at any point loses nothing and assesses
nothing twice: an uncommitted comment keeps its row, and its claim runs out after
``LEASE``; a committed one has no row left to claim.

A comment whose assessment raises keeps its row, is held, and is tried again later
(``retry_delay``); the queue shows why. A post-moderated comment is published here, once
its assessment allows it, never before.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import lifecycle
from commentdesk.desk.audit import record_event
from commentdesk.desk.bans import Identity
from commentdesk.desk.context import Context
from commentdesk.desk.notifier import Notifier
from commentdesk.desk.screening import Prepared, Screening, Verdict
from commentdesk.i18n import Message
from commentdesk.model import Action, ActorKind, State
from commentdesk.store.lists import one_of
from commentdesk.store.records import (
    assessment_to,
    bump_article,
    get_comment,
    get_site,
)
from commentdesk.store.tables import articles, assessments_due, comments

logger = logging.getLogger(__name__)

#: Comments claimed at once: enough to amortise the model and the queries, small enough
#: that a claim's lease covers the batch on a slow machine.
BATCH = 32
#: How long a claim keeps other workers off a row; a dead worker's rows wait this long.
LEASE = timedelta(minutes=2)
#: The longest wait between two tries of an assessment that keeps failing.
MAX_RETRY_DELAY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s, … after each failed try, at most an hour."""
    return min(timedelta(seconds=10 * 2 ** min(attempts - 1, 12)), MAX_RETRY_DELAY)


#: Built once: a statement made per post paid for its cache key every time.
_ENQUEUE = assessments_due.insert()


def _due(now: datetime, limit: int) -> sa.Select[tuple[int]]:
    """The first ``limit`` rows due at ``now`` that no live claim holds."""
    return (
        sa.select(assessments_due.c.comment_id)
        .where(
            assessments_due.c.due_at <= now,
            sa.or_(
                assessments_due.c.claimed_until.is_(None),
                assessments_due.c.claimed_until < now,
            ),
        )
        .order_by(assessments_due.c.comment_id)
        .limit(limit)
    )


@dataclass(frozen=True, slots=True)
class Due:
    """A claimed row: whose comment, and whether its assessment may publish it."""

    comment_id: int
    post_moderated: bool
    attempts: int


@dataclass(frozen=True, slots=True)
class Work:
    """A claimed comment, as the worker reads it."""

    due: Due
    site_id: int
    article_id: int
    author: str
    body: str
    reply_to: int | None
    who: Identity
    created_at: datetime
    #: The author erased the text before it was assessed: nothing is left to assess.
    erased: bool


class WriteFailed(Exception):
    """A write that another process made for this worker failed (``Writes``)."""

    def __init__(self, failed: str) -> None:
        super().__init__(f"the write failed with {failed}")
        #: The name of the exception's type there: a failure's reason names it.
        self.failed = failed


class Writes(Protocol):
    """Where a worker's writes go: the ``Assessor`` itself, or, for the server's
    idle-class child, the server (``assessing.ParentWrites``). Everything else a batch
    does (reading, the text work, judging) runs where the worker runs."""

    def claim_rows(self, claim: str, now: datetime, limit: int) -> list[Due]: ...

    def write_verdict(
        self, work: Work, prepared: Prepared, verdict: Verdict, claim: str
    ) -> None: ...

    def forget(self, due: Due, claim: str) -> None: ...

    def record_failure(self, due: Due, claim: str, error: str) -> None: ...


class Assessor:
    """Claims due comments and writes their full assessments (see the module docstring)."""

    def __init__(self, context: Context, screening: Screening, notifier: Notifier) -> None:
        self._context = context
        self._screening = screening
        self._notifier = notifier
        #: Set when this process stores a comment, so an in-process loop starts at once.
        self.wake = threading.Event()
        self.writes: Writes = self

    def enqueue_all(self, connection: Connection, stored: list[tuple[int, bool]]) -> None:
        """Puts just-stored comments, ``(id, post-moderated)``, in the queue, in their
        submission's transaction."""
        due_at = self._context.clock()
        connection.execute(
            _ENQUEUE,
            [
                {
                    "comment_id": comment_id,
                    "post_moderated": post_moderated,
                    "due_at": due_at,
                    "attempts": 0,
                }
                for comment_id, post_moderated in stored
            ],
        )

    def publishes_when_assessed(self, connection: Connection, comment_id: int) -> bool:
        """Whether ``comment_id`` still awaits an assessment that may publish it."""
        return bool(
            connection.execute(
                sa.select(assessments_due.c.post_moderated).where(
                    assessments_due.c.comment_id == comment_id
                )
            ).scalar_one_or_none()
        )

    def due_count(self) -> int:
        with self._context.store.read() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count()).select_from(assessments_due)
                ).scalar_one()
            )

    def run_batch(self, limit: int = BATCH) -> int:
        """Assesses up to ``limit`` due comments; returns how many were claimed."""
        now = self._context.clock()
        claim = secrets.token_hex(8)
        claimed = self._claim(claim, now, limit)
        works = []
        for work in self._load(claimed):
            if work.erased:
                self.writes.forget(work.due, claim)
            else:
                works.append(work)
        batch = self._prepare(works, claim)
        for work, prepared in zip(works, batch, strict=True):
            if prepared is None:
                continue  # the batch's text work failed: each row got its retry
            try:
                verdict = self._judge(work, prepared)
                self.writes.write_verdict(work, prepared, verdict, claim)
            except Exception as exc:  # a crash costs a retry, never the comment
                logger.exception("assessing comment %s failed; it stays held", work.due.comment_id)
                self._failed(work.due, claim, exc)
        return len(claimed)

    def _prepare(self, works: list[Work], claim: str) -> list[Prepared | None]:
        """The batch's text work, with one call of the sentence encoder for all of it."""
        if not works:
            return []
        try:
            return list(self._screening.prepare_batch([(w.site_id, w.body) for w in works]))
        except Exception as exc:  # a crash costs a retry, never the comment
            logger.exception("preparing a batch of %d comments failed; they stay held", len(works))
            for work in works:
                self._failed(work.due, claim, exc)
            return [None] * len(works)

    def drain(self, limit: int = BATCH) -> int:
        """Runs batches until nothing is due now; returns how many were claimed."""
        total = 0
        while claimed := self.run_batch(limit):
            total += claimed
        return total

    def _claim(self, claim: str, now: datetime, limit: int) -> list[Due]:
        due = _due(now, limit)
        # An idle poll only reads: on SQLite a write would take the one write lock.
        with self._context.store.read() as connection:
            if connection.execute(due.limit(1)).first() is None:
                return []
        return self.writes.claim_rows(claim, now, limit)

    def claim_rows(self, claim: str, now: datetime, limit: int) -> list[Due]:
        """Marks up to ``limit`` due rows as ``claim``'s until the lease ends."""
        due = _due(now, limit)
        with self._context.store.write() as connection:
            ids = (
                connection.execute(due.with_for_update(skip_locked=True))  # PostgreSQL only
                .scalars()
                .all()
            )
            if not ids:
                return []
            rows = connection.execute(
                assessments_due.update()
                .where(one_of(assessments_due.c.comment_id, ids))
                .values(claim=claim, claimed_until=now + LEASE)
                .returning(
                    assessments_due.c.comment_id,
                    assessments_due.c.post_moderated,
                    assessments_due.c.attempts,
                )
            ).all()
        return sorted((Due(*row) for row in rows), key=lambda due: due.comment_id)

    def _load(self, claimed: list[Due]) -> list[Work]:
        if not claimed:
            return []
        by_id = {due.comment_id: due for due in claimed}
        with self._context.store.read() as connection:
            rows = connection.execute(
                sa.select(
                    comments.c.id,
                    articles.c.site_id,
                    comments.c.article_id,
                    comments.c.author,
                    comments.c.body,
                    comments.c.reply_to_id,
                    comments.c.author_key,
                    comments.c.commenter_hash,
                    comments.c.email_hash,
                    comments.c.created_at,
                    comments.c.text_removed,
                )
                .join(articles, articles.c.id == comments.c.article_id)
                .where(one_of(comments.c.id, list(by_id)))
                .order_by(comments.c.id)
            ).all()
        return [
            Work(
                due=by_id[row.id],
                site_id=row.site_id,
                article_id=row.article_id,
                author=row.author,
                body=row.body,
                reply_to=row.reply_to_id,
                who=Identity(row.author_key, row.commenter_hash, row.email_hash),
                created_at=row.created_at,
                erased=row.text_removed is not None,
            )
            for row in rows
        ]

    def _judge(self, work: Work, prepared: Prepared) -> Verdict:
        """The full assessment in its context (clusters, bursts): reads only, outside
        the write lock that every submission needs."""
        with self._context.store.read() as connection:
            return self._screening.assess(
                connection,
                prepared,
                comment_id=work.due.comment_id,
                site_id=work.site_id,
                author=work.author,
                who=work.who,
                article_id=work.article_id,
                reply_to=work.reply_to,
                post_moderated=work.due.post_moderated,
                now=work.created_at,
            )

    def write_verdict(self, work: Work, prepared: Prepared, verdict: Verdict, claim: str) -> None:
        """One comment's assessment, cluster, state and event, and the end of its row.

        It shares the transaction of the posts that wait for the write lock at the same
        moment (``Store.write_together``): under a flood a verdict then costs the lock no
        turn and the disk no sync of its own. It is still committed before this returns,
        so the next comment's assessment sees it."""
        self._context.store.write_together(
            lambda connection: self._write_verdict(connection, work, prepared, verdict, claim)
        )

    def _write_verdict(
        self, connection: Connection, work: Work, prepared: Prepared, verdict: Verdict, claim: str
    ) -> None:
        comment_id = work.due.comment_id
        mine = connection.execute(
            assessments_due.delete().where(
                assessments_due.c.comment_id == comment_id, assessments_due.c.claim == claim
            )
        ).rowcount
        if mine != 1:
            return  # our lease ran out and another worker took the row
        current = get_comment(connection, comment_id, for_update=True)
        assert current is not None
        # A moderator may have decided (or the author withdrawn) while it waited.
        still_pending = current.state is State.PENDING
        assessment = verdict.assessment
        state = current.state
        if still_pending and work.due.post_moderated:
            state = lifecycle.after_triage(State.APPROVED, assessment.action)
        connection.execute(
            comments.update()
            .where(comments.c.id == comment_id)
            .values(risk=assessment.risk, assessment=assessment_to(assessment), state=state.value)
        )
        self._screening.index(
            connection, comment_id, prepared, verdict, work.created_at, work.site_id
        )
        record_event(
            connection,
            at=self._context.clock(),
            action=Action.ASSESS,
            actor_kind=ActorKind.SYSTEM,
            comment_id=comment_id,
            article_id=work.article_id,
            from_state=current.state,
            to_state=state,
            # Codes only: a reason's message may quote the text, which erasure removes.
            reason=f"risk {assessment.risk:.2f}: "
            + (", ".join(r.code for r in assessment.reasons) or "no reasons"),
        )
        if state is not current.state and lifecycle.is_public(state):
            bump_article(connection, work.article_id, count_delta=1)
        if still_pending:  # inside the lock: the site is read only when it is needed
            site = get_site(connection, work.site_id)
            self._notifier.submitted(connection, comment_id, site, state, verdict)

    def forget(self, due: Due, claim: str) -> None:
        """Ends the row of a comment erased before its assessment."""
        with self._context.store.write() as connection:
            connection.execute(
                assessments_due.delete().where(
                    assessments_due.c.comment_id == due.comment_id,
                    assessments_due.c.claim == claim,
                )
            )

    def _failed(self, due: Due, claim: str, exc: Exception) -> None:
        # The type's name, never the message: it may quote the comment.
        name = exc.failed if isinstance(exc, WriteFailed) else type(exc).__name__
        try:
            self.writes.record_failure(due, claim, name[:120])
        except Exception:  # the database itself is away: the lease will run out instead
            logger.exception("could not record the failed assessment of %s", due.comment_id)

    def record_failure(self, due: Due, claim: str, error: str) -> None:
        """Held with the reason, and tried again after ``retry_delay``."""
        attempts = due.attempts + 1
        retry_at = self._context.clock() + retry_delay(attempts)
        with self._context.store.write() as connection:
            mine = connection.execute(
                assessments_due.update()
                .where(
                    assessments_due.c.comment_id == due.comment_id,
                    assessments_due.c.claim == claim,
                )
                .values(
                    attempts=attempts,
                    claim=None,
                    claimed_until=None,
                    due_at=retry_at,
                    last_error=error,
                )
            ).rowcount
            if mine == 1:
                self._say_failed(connection, due.comment_id, error, attempts, retry_at)

    def _say_failed(
        self, connection: Connection, comment_id: int, error: str, attempts: int, at: datetime
    ) -> None:
        """Puts the failure among the comment's reasons, where the queue shows it."""
        stored = connection.execute(
            sa.select(comments.c.assessment).where(comments.c.id == comment_id)
        ).scalar_one()
        reasons = [r for r in stored.get("reasons", []) if r.get("code") != "assessment_failed"]
        said = Message(
            "assessment failed (%(error)s, try %(attempt)s); "
            "tried again after %(time)s UTC; held meanwhile",
            error=error,
            attempt=attempts,
            time=f"{at:%H:%M}",
        )
        reasons.append({"code": "assessment_failed", "message": str(said), "say": said.to_data()})
        connection.execute(
            comments.update()
            .where(comments.c.id == comment_id)
            .values(assessment={**stored, "reasons": reasons})
        )

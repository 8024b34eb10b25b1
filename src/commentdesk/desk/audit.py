"""The audit log: everything that writes it, and the console's reader of it.

Two tables, one log. Comment events (submissions, decisions, edits, imports) are
``events`` rows written by :func:`record_event`; sign-ins, bans, undo, settings and
account changes are ``staff_events`` rows written by :func:`record_staff_event`. Both
are written in the transaction that made the change, so no change can skip the log.

:class:`Audit` reads both as one list. Search is for people, not machines: a text match
over the actor, action, reason, target and texts, newest first, offset-paged (an audit
search is rare and narrow). ``export`` hands out plain rows; ``web/csvfile.py``, the one
CSV writer, makes every cell safe to open in a spreadsheet.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context
from commentdesk.model import Action, ActorKind, State
from commentdesk.store.tables import events, moderators, staff_events

P = ParamSpec("P")

PAGE = 100
EXPORT_MAX = 100_000
COLUMNS = (
    "at", "kind", "action", "actor", "comment", "target",
    "from", "to", "reason", "before", "after",
)  # fmt: skip


#: Built once: the hot paths write an event on every submission, and building a statement
#: (coercing each value, computing its cache key) costs more than executing it.
_INSERT_EVENT = events.insert()


def record_events(connection: Connection, rows: list[dict[str, object]]) -> None:
    """Appends the events ``event_row`` made, in one statement; inside the transaction
    that made their changes."""
    if rows:
        connection.execute(_INSERT_EVENT, rows)


def event_row(
    *,
    at: datetime,
    action: Action,
    actor_kind: ActorKind,
    moderator_id: int | None = None,
    comment_id: int | None = None,
    article_id: int | None = None,
    from_state: State | None = None,
    to_state: State | None = None,
    reason: str | None = None,
    before_text: str | None = None,
    after_text: str | None = None,
    batch: str | None = None,
    reason_code: str | None = None,
) -> dict[str, object]:
    """One audit event's columns, for ``record_events``."""
    return {
        "at": at,
        "action": action.value,
        "actor_kind": actor_kind.value,
        "moderator_id": moderator_id,
        "comment_id": comment_id,
        "article_id": article_id,
        "from_state": from_state.value if from_state else None,
        "to_state": to_state.value if to_state else None,
        "reason": reason,
        "before_text": before_text,
        "after_text": after_text,
        "batch": batch,
        "reason_code": reason_code,
    }


def _recording(
    make: Callable[P, dict[str, object]],
) -> Callable[Concatenate[Connection, P], None]:
    def record(connection: Connection, /, *args: P.args, **kwargs: P.kwargs) -> None:
        connection.execute(_INSERT_EVENT, make(*args, **kwargs))

    return record


#: Appends one audit event (``event_row``'s fields); call it inside the transaction that
#: made the change.
record_event = _recording(event_row)


class StaffAction(enum.StrEnum):
    """What a staff event records; the values are stored, so they never change."""

    LOGIN = "login"
    LOGIN_REFUSED = "login_refused"
    LOGOUT = "logout"
    PASSWORD = "password_changed"  # noqa: S105 - an event name, not a secret
    ACCOUNT_ADDED = "account_added"
    ACCOUNT_CHANGED = "account_changed"
    ACCOUNT_LINKED = "account_linked"  # to an identity at the newsroom's provider
    TOKEN_CREATED = "token_created"  # noqa: S105 - an event name
    TOKEN_REVOKED = "token_revoked"  # noqa: S105 - an event name
    UNDO = "undo"
    BAN = "ban"
    UNBAN = "unban"
    REPORTS_DISMISSED = "reports_dismissed"
    SITE_SETTINGS = "site_settings"
    ARTICLE_SETTINGS = "article_settings"
    TERMS = "terms_changed"
    WEBHOOK = "webhook"
    VOUCHED = "vouched_changed"
    WORD_LIST = "word_list_changed"
    SECTION_ADDED = "section_added"
    SECTION_CHANGED = "section_changed"
    ARTICLE_SECTION = "article_section"
    SUBSCRIBER_KEY = "subscriber_key_changed"
    CONTEST_UPHELD = "contest_upheld"  # a second moderator kept a contested decision
    CONTEST_REVERSED = "contest_reversed"  # ... or reversed it (its own decision event too)
    SECTION_TERMS = "section_terms"
    NOTICE_DECIDED = "notice_decided"  # a notice closed by the decision on its comment


def record_staff_event(
    connection: Connection,
    *,
    at: datetime,
    action: StaffAction,
    moderator_id: int | None,
    comment_id: int | None = None,
    site_id: int | None = None,
    target: str | None = None,
    from_state: State | None = None,
    to_state: State | None = None,
    reason: str | None = None,
    before_text: str | None = None,
    after_text: str | None = None,
) -> None:
    """Appends one staff event; call it inside the transaction that made the change."""
    connection.execute(
        staff_events.insert().values(
            at=at,
            action=action.value,
            moderator_id=moderator_id,
            comment_id=comment_id,
            site_id=site_id,
            target=target[:200] if target else None,
            from_state=from_state.value if from_state else None,
            to_state=to_state.value if to_state else None,
            reason=reason,
            before_text=before_text,
            after_text=after_text,
        )
    )


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # "comment" or "staff"
    id: int
    at: datetime
    action: str
    actor: str
    comment_id: int | None
    target: str | None
    from_state: str | None
    to_state: str | None
    reason: str | None
    before_text: str | None
    after_text: str | None

    def row(self) -> list[str]:
        values: list[Any] = [
            self.at.strftime("%Y-%m-%dT%H:%M:%SZ"), self.kind, self.action, self.actor,
            self.comment_id, self.target, self.from_state, self.to_state, self.reason,
            self.before_text, self.after_text,
        ]  # fmt: skip
        return ["" if v is None else str(v) for v in values]


def _union() -> sa.Subquery:
    comment_side = sa.select(
        sa.literal("comment").label("kind"),
        events.c.id,
        events.c.at,
        events.c.action,
        sa.func.coalesce(moderators.c.name, events.c.actor_kind).label("actor"),
        events.c.comment_id,
        sa.cast(sa.null(), sa.String).label("target"),
        events.c.from_state,
        events.c.to_state,
        events.c.reason,
        events.c.before_text,
        events.c.after_text,
    ).select_from(events.outerjoin(moderators, moderators.c.id == events.c.moderator_id))
    staff = moderators.alias("staff")
    staff_side = sa.select(
        sa.literal("staff").label("kind"),
        staff_events.c.id,
        staff_events.c.at,
        staff_events.c.action,
        sa.func.coalesce(staff.c.name, sa.literal("-")).label("actor"),
        staff_events.c.comment_id,
        staff_events.c.target,
        staff_events.c.from_state,
        staff_events.c.to_state,
        staff_events.c.reason,
        staff_events.c.before_text,
        staff_events.c.after_text,
    ).select_from(staff_events.outerjoin(staff, staff.c.id == staff_events.c.moderator_id))
    return sa.union_all(comment_side, staff_side).subquery("log")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


@dataclass(frozen=True, slots=True)
class AuditQuery:
    text: str | None = None
    action: str | None = None
    actor: str | None = None
    comment_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def _select(query: AuditQuery) -> sa.Select[Any]:
    log = _union()
    select = sa.select(log).order_by(log.c.at.desc(), log.c.kind, log.c.id.desc())
    if query.text:
        pattern = _like(query.text[:200])
        columns = [log.c.actor, log.c.action, log.c.reason, log.c.target]
        columns += [log.c.before_text, log.c.after_text]
        select = select.where(
            sa.or_(*(sa.func.lower(c).like(pattern, escape="\\") for c in columns))
        )
    if query.action:
        select = select.where(log.c.action == query.action)
    if query.actor:
        select = select.where(log.c.actor == query.actor)
    if query.comment_id is not None:
        select = select.where(log.c.comment_id == query.comment_id)
    if query.since is not None:
        select = select.where(log.c.at >= query.since)
    if query.until is not None:
        select = select.where(log.c.at < query.until)
    return select


def _entry(row: sa.RowMapping) -> Entry:
    at = row["at"]
    if isinstance(at, str):  # SQLite hands back a union's datetimes as text
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return Entry(
        row["kind"], row["id"], at, row["action"], row["actor"], row["comment_id"],
        row["target"], row["from_state"], row["to_state"], row["reason"],
        row["before_text"], row["after_text"],
    )  # fmt: skip


class Audit:
    def __init__(self, context: Context) -> None:
        self._context = context

    def search(self, query: AuditQuery, *, page: int = 1) -> tuple[list[Entry], bool]:
        """One page of matching entries, newest first, and whether there are more."""
        select = _select(query).limit(PAGE + 1).offset((max(page, 1) - 1) * PAGE)
        with self._context.store.read() as connection:
            rows = [_entry(r) for r in connection.execute(select).mappings()]
        return rows[:PAGE], len(rows) > PAGE

    def export(self, query: AuditQuery) -> Iterator[list[str]]:
        """Every matching entry (up to ``EXPORT_MAX``) as CSV rows of plain text, header first."""
        yield list(COLUMNS)
        with self._context.store.read() as connection:
            for row in connection.execute(_select(query).limit(EXPORT_MAX)).mappings():
                yield _entry(row).row()

    def history(self, comment_id: int) -> list[Entry]:
        """Everything that happened to one comment, oldest first, staff events included."""
        select = _select(AuditQuery(comment_id=comment_id)).limit(EXPORT_MAX)
        with self._context.store.read() as connection:
            entries = [_entry(r) for r in connection.execute(select).mappings()]
        return sorted(entries, key=lambda e: (e.at, e.kind == "staff", e.id))

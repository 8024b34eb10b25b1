"""The staff half of the audit log: what moderators and admins do besides decisions.

Comment decisions are ``events`` rows (``store.records.record_event``); sign-ins, bans,
undo, settings and account changes are ``staff_events`` rows written here, always in
the transaction that made the change. ``desk.audit`` reads both as one log.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy.engine import Connection

from commentdesk.model import State
from commentdesk.store.tables import staff_events


class StaffAction(enum.StrEnum):
    """What a staff event records; the values are stored, so they never change."""

    LOGIN = "login"
    LOGIN_REFUSED = "login_refused"
    LOGOUT = "logout"
    PASSWORD = "password_changed"  # noqa: S105 - an event name, not a secret
    ACCOUNT_ADDED = "account_added"
    ACCOUNT_CHANGED = "account_changed"
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

"""Console sign-in: server-side sessions and login throttling.

A session id is 256 random bits handed to the browser once; only its SHA-256 is
stored, so a copy of the database cannot be used to sign in. Failed logins are
counted per account and per address, where the address is never stored: it is an
HMAC under our secret and a salt that changes every day, so yesterday's counts cannot
be linked to today's visitors.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.accounts import Accounts
from commentdesk.desk.context import Context, token_hash
from commentdesk.desk.journal import StaffAction, record_staff_event
from commentdesk.errors import Forbidden, NotAuthenticated
from commentdesk.model import Moderator
from commentdesk.store.records import moderator_from
from commentdesk.store.tables import console_sessions, login_failures, moderators

SESSION_IDLE = timedelta(hours=4)
SESSION_MAX = timedelta(hours=24)
TOUCH_EVERY = timedelta(minutes=5)
THROTTLE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES_MAX = 5
ADDRESS_FAILURES_MAX = 20


class LoginThrottled(Forbidden):
    code = "login_throttled"

    def __init__(self, minutes: int) -> None:
        super().__init__(
            f"Too many failed sign-ins. Please wait {minutes} minutes and try again, "
            "or ask an admin to reset your password.",
            field="password",
        )
        self.minutes = minutes


@dataclass(frozen=True, slots=True)
class SignedIn:
    session_id: str
    moderator: Moderator


class Sessions:
    def __init__(self, context: Context, accounts: Accounts) -> None:
        self._context = context
        self._accounts = accounts

    def _keys(self, name: str, address: str) -> tuple[str, str]:
        day = self._context.clock().date().isoformat()
        return (
            self._context.keyed_hash("login-account", name.strip().lower()),
            self._context.keyed_hash(f"login-address:{day}", address),
        )

    def _failures(self, connection: Connection, key: str) -> int:
        since = self._context.clock() - THROTTLE_WINDOW
        query = sa.select(sa.func.count()).where(
            login_failures.c.key_hash == key, login_failures.c.at > since
        )
        return int(connection.execute(query).scalar_one())

    def login(self, name: str, password: str, address: str) -> SignedIn:
        """A new session for a matching, active account.

        Raises ``LoginThrottled`` after too many recent failures for this account or
        address (even when the password is right), ``NotAuthenticated`` on a mismatch.
        """
        account_key, address_key = self._keys(name, address)
        with self._context.store.read() as connection:
            if (
                self._failures(connection, account_key) >= ACCOUNT_FAILURES_MAX
                or self._failures(connection, address_key) >= ADDRESS_FAILURES_MAX
            ):
                raise LoginThrottled(int(THROTTLE_WINDOW.total_seconds() // 60))
        try:
            moderator = self._accounts.verify_password(name, password)
        except NotAuthenticated:
            self._note_failure(account_key, address_key)
            raise
        return self._open(moderator, account_key)

    def _note_failure(self, account_key: str, address_key: str) -> None:
        now = self._context.clock()
        with self._context.store.write() as connection:
            connection.execute(
                login_failures.insert(),
                [{"key_hash": account_key, "at": now}, {"key_hash": address_key, "at": now}],
            )
            record_staff_event(
                connection, at=now, action=StaffAction.LOGIN_REFUSED, moderator_id=None
            )

    def _open(self, moderator: Moderator, account_key: str) -> SignedIn:
        now = self._context.clock()
        session_id = secrets.token_urlsafe(32)
        with self._context.store.write() as connection:
            connection.execute(
                login_failures.delete().where(
                    sa.or_(
                        login_failures.c.key_hash == account_key,
                        login_failures.c.at < now - timedelta(days=1),
                    )
                )
            )
            connection.execute(console_sessions.delete().where(console_sessions.c.expires_at < now))
            connection.execute(
                console_sessions.insert().values(
                    id_hash=token_hash(session_id),
                    moderator_id=moderator.id,
                    created_at=now,
                    seen_at=now,
                    expires_at=now + SESSION_MAX,
                )
            )
            record_staff_event(
                connection, at=now, action=StaffAction.LOGIN, moderator_id=moderator.id
            )
        return SignedIn(session_id, moderator)

    def moderator_for(self, session_id: str) -> Moderator | None:
        """The active moderator behind a session id, or None when it is unknown or stale."""
        if not session_id or len(session_id) > 100:
            return None
        now = self._context.clock()
        id_hash = token_hash(session_id)
        query = (
            sa.select(moderators, console_sessions.c.seen_at)
            .select_from(
                console_sessions.join(
                    moderators, moderators.c.id == console_sessions.c.moderator_id
                )
            )
            .where(
                console_sessions.c.id_hash == id_hash,
                console_sessions.c.expires_at > now,
                console_sessions.c.seen_at > now - SESSION_IDLE,
                moderators.c.disabled.is_(False),
            )
        )
        with self._context.store.read() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        if now - row["seen_at"] > TOUCH_EVERY:
            with self._context.store.write() as connection:
                connection.execute(
                    console_sessions.update()
                    .where(console_sessions.c.id_hash == id_hash)
                    .values(seen_at=now)
                )
        return moderator_from(row)

    def logout(self, session_id: str) -> None:
        """Ends one session; idempotent."""
        now = self._context.clock()
        id_hash = token_hash(session_id)
        with self._context.store.write() as connection:
            owner = connection.execute(
                sa.select(console_sessions.c.moderator_id).where(
                    console_sessions.c.id_hash == id_hash
                )
            ).scalar_one_or_none()
            if owner is None:
                return
            connection.execute(
                console_sessions.delete().where(console_sessions.c.id_hash == id_hash)
            )
            record_staff_event(connection, at=now, action=StaffAction.LOGOUT, moderator_id=owner)


def end_sessions(connection: Connection, moderator_id: int, *, keep: str | None = None) -> None:
    """Signs a moderator out everywhere but ``keep`` (a session id), in the caller's transaction."""
    query = console_sessions.delete().where(console_sessions.c.moderator_id == moderator_id)
    if keep:
        query = query.where(console_sessions.c.id_hash != token_hash(keep))
    connection.execute(query)

"""Console sign-in: server-side sessions, throttled by ``desk/login_throttle.py``.

A session id is 256 random bits handed to the browser once; only its SHA-256 is
stored, so a copy of the database cannot be used to sign in. Failed sign-ins slow the
(account, address) pair that made them, never the owner signing in from elsewhere; the
address is kept only as a hash under a salt forgotten at the end of the day.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.accounts import Accounts
from commentdesk.desk.addresses import AddressHasher
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context, token_hash
from commentdesk.desk.login_throttle import Keys, LoginThrottle
from commentdesk.errors import NotAuthenticated, PasswordSignInOff
from commentdesk.model import Moderator
from commentdesk.sso.provider import display_name
from commentdesk.store.records import moderator_from
from commentdesk.store.tables import console_sessions, moderators

SESSION_IDLE = timedelta(hours=4)
SESSION_MAX = timedelta(hours=24)
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class SignedIn:
    session_id: str
    moderator: Moderator


class Sessions:
    def __init__(
        self, context: Context, accounts: Accounts, addresses: AddressHasher | None = None
    ) -> None:
        self._context = context
        self._accounts = accounts
        self._throttle = LoginThrottle(context, addresses or AddressHasher(context))

    def login(self, name: str, password: str, address: str) -> SignedIn:
        """A new session for a matching, active account.

        Raises ``PasswordSignInOff`` when the settings take the identity provider only,
        ``LoginThrottled`` while this account and address must wait after their
        failures (even when the password is right, so waiting reveals nothing),
        ``NotAuthenticated`` on a mismatch.
        """
        settings = self._context.settings
        if not settings.console_password_sign_in:
            raise PasswordSignInOff(display_name(settings))
        keys = self._throttle.keys(name, address)
        self._throttle.check(keys)
        try:
            moderator = self._accounts.verify_password(name, password)
        except NotAuthenticated:
            self._note_failure(keys)
            raise
        return self._open(moderator, keys)

    def _note_failure(self, keys: Keys) -> None:
        now = self._context.clock()
        with self._context.store.write() as connection:
            self._throttle.note_failure(connection, keys)
            record_staff_event(
                connection, at=now, action=StaffAction.LOGIN_REFUSED, moderator_id=None
            )

    def _open(self, moderator: Moderator, keys: Keys) -> SignedIn:
        now = self._context.clock()
        with self._context.store.write() as connection:
            self._throttle.note_success(connection, keys)
            session_id = open_session(connection, moderator.id, now)
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


def open_session(
    connection: Connection, moderator_id: int, now: datetime, *, via: str | None = None
) -> str:
    """A new session id for ``moderator_id``, with its sign-in event, in the caller's
    transaction (``via`` names a provider the person signed in with). Drops stale ones."""
    session_id = secrets.token_urlsafe(32)
    connection.execute(console_sessions.delete().where(console_sessions.c.expires_at < now))
    connection.execute(
        console_sessions.insert().values(
            id_hash=token_hash(session_id),
            moderator_id=moderator_id,
            created_at=now,
            seen_at=now,
            expires_at=now + SESSION_MAX,
        )
    )
    record_staff_event(
        connection, at=now, action=StaffAction.LOGIN, moderator_id=moderator_id, target=via
    )
    return session_id


def end_sessions(connection: Connection, moderator_id: int, *, keep: str | None = None) -> None:
    """Signs a moderator out everywhere but ``keep`` (a session id), in the caller's transaction."""
    query = console_sessions.delete().where(console_sessions.c.moderator_id == moderator_id)
    if keep:
        query = query.where(console_sessions.c.id_hash != token_hash(keep))
    connection.execute(query)

"""Moderators, their passwords (argon2id) and their API tokens (stored hashed)."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from commentdesk.desk.context import Context, token_hash
from commentdesk.errors import InvalidInput, NotAuthenticated, NotFound
from commentdesk.model import Moderator, Role
from commentdesk.store.records import moderator_from
from commentdesk.store.tables import api_tokens, moderators

PASSWORD_MIN = 10
_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
TOKEN_PREFIX = "cdt_"  # noqa: S105 - a visible prefix, not a secret
#: The password hash of an account made by single sign-on: argon2 never matches it.
NO_PASSWORD = "!sso"  # noqa: S105 - a marker, not a secret


class Accounts:
    def __init__(self, context: Context, hasher: PasswordHasher | None = None) -> None:
        self._context = context
        self._hasher = hasher or PasswordHasher()  # argon2id with the library's defaults
        self._dummy: str | None = None

    def _dummy_hash(self) -> str:
        """A hash to verify against for unknown names, so they cost as much as known ones."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_hex(8))
        return self._dummy

    def add_moderator(self, name: str, password: str, role: Role = Role.MODERATOR) -> Moderator:
        """Creates an account; raises ``InvalidInput`` for a bad or taken name or short password."""
        if not _NAME.fullmatch(name):
            raise InvalidInput("name", "A login name is 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'.")
        _check_password(password)
        try:
            with self._context.store.write() as connection:
                connection.execute(
                    moderators.insert().values(
                        name=name,
                        password_hash=self._hasher.hash(password),
                        role=role.value,
                        disabled=False,
                        created_at=self._context.clock(),
                    )
                )
        except IntegrityError:
            raise InvalidInput("name", f"There is already a moderator called {name!r}.") from None
        return self.get(name)

    def get(self, name: str) -> Moderator:
        with self._context.store.read() as connection:
            row = (
                connection.execute(sa.select(moderators).where(moderators.c.name == name))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(f"There is no moderator called {name!r}.", field="name")
        return moderator_from(row)

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        with self._context.store.write() as connection:
            done = connection.execute(
                moderators.update()
                .where(moderators.c.name == name)
                .values(password_hash=self._hasher.hash(password))
            )
        if done.rowcount == 0:
            raise NotFound(f"There is no moderator called {name!r}.", field="name")

    def has_password(self, moderator_id: int) -> bool:
        """False for an account made by single sign-on (``desk/sign_on.py``): no password
        can match its marker, so there is none to change."""
        with self._context.store.read() as connection:
            stored = connection.execute(
                sa.select(moderators.c.password_hash).where(moderators.c.id == moderator_id)
            ).scalar_one_or_none()
        return stored is not None and stored != NO_PASSWORD

    def verify_password(self, name: str, password: str) -> Moderator:
        """The moderator when the password matches; ``NotAuthenticated`` otherwise."""
        with self._context.store.read() as connection:
            row = (
                connection.execute(sa.select(moderators).where(moderators.c.name == name))
                .mappings()
                .first()
            )
        stored = row["password_hash"] if row else self._dummy_hash()  # same work for unknown names
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            row = None
        if row is None or row["disabled"]:
            raise NotAuthenticated("That name and password do not match an active moderator.")
        return moderator_from(row)

    def create_token(self, name: str, label: str = "api") -> str:
        """A new API token for ``name``; only its hash is kept, so it is shown once."""
        moderator = self.get(name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._context.store.write() as connection:
            connection.execute(
                api_tokens.insert().values(
                    moderator_id=moderator.id,
                    token_hash=token_hash(token),
                    label=label[:100],
                    created_at=self._context.clock(),
                )
            )
        return token

    def authenticate_token(self, token: str) -> Moderator:
        query = (
            sa.select(moderators)
            .select_from(moderators.join(api_tokens, api_tokens.c.moderator_id == moderators.c.id))
            .where(
                api_tokens.c.token_hash == token_hash(token),
                api_tokens.c.revoked_at.is_(None),
                moderators.c.disabled.is_(False),
            )
        )
        with self._context.store.read() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            raise NotAuthenticated("This API token is unknown, revoked or its owner is disabled.")
        return moderator_from(row)

    def revoke_token(self, token: str) -> None:
        with self._context.store.write() as connection:
            connection.execute(
                api_tokens.update()
                .where(api_tokens.c.token_hash == token_hash(token))
                .values(revoked_at=self._context.clock())
            )


def _check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(
            "password", f"Please choose a password of at least {PASSWORD_MIN} characters."
        )

"""Accounts as the console manages them: people, roles, site scopes, passwords, tokens.

Admins add moderators, change roles and scopes, and disable accounts; everyone
changes their own password and manages their own API tokens. Each change is one
transaction with its staff event. Disabling an account or changing a password ends
the account's other sessions at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.accounts import TOKEN_PREFIX, Accounts
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context, token_hash
from commentdesk.desk.scope import Scope, scope_of
from commentdesk.desk.sessions import end_sessions
from commentdesk.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from commentdesk.model import Moderator, Role
from commentdesk.store.lists import one_of
from commentdesk.store.records import moderator_from
from commentdesk.store.tables import (
    api_tokens,
    moderator_sections,
    moderator_sites,
    moderators,
    sections,
)

LABEL_MAX = 100


@dataclass(frozen=True, slots=True)
class Person:
    moderator: Moderator
    site_ids: tuple[int, ...]
    created_at: datetime
    section_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    owner: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


def _require_admin(actor: Moderator) -> None:
    if actor.role is not Role.ADMIN:
        raise Forbidden("Only an admin can manage accounts.")


class Staff:
    def __init__(self, context: Context, accounts: Accounts) -> None:
        self._context = context
        self._accounts = accounts

    def people(self) -> list[Person]:
        with self._context.store.read() as connection:
            rows = list(
                connection.execute(sa.select(moderators).order_by(moderators.c.name)).mappings()
            )
            pairs = connection.execute(sa.select(moderator_sites)).all()
            parts = connection.execute(sa.select(moderator_sections)).all()
        scopes: dict[int, list[int]] = {}
        for moderator_id, site_id in pairs:
            scopes.setdefault(moderator_id, []).append(site_id)
        in_sections: dict[int, list[int]] = {}
        for moderator_id, section_id in parts:
            in_sections.setdefault(moderator_id, []).append(section_id)
        return [
            Person(
                moderator_from(row),
                tuple(sorted(scopes.get(row["id"], ()))),
                row["created_at"],
                tuple(sorted(in_sections.get(row["id"], ()))),
            )
            for row in rows
        ]

    def scope(self, moderator: Moderator) -> Scope:
        """The sites ``moderator`` works on; ``None`` for every site."""
        with self._context.store.read() as connection:
            return scope_of(connection, moderator)

    def add(
        self,
        actor: Moderator,
        name: str,
        password: str,
        role: Role,
        site_ids: tuple[int, ...],
        section_ids: tuple[int, ...] = (),
    ) -> Moderator:
        """An admin adds an account; raises ``InvalidInput`` for a bad name or password."""
        _require_admin(actor)
        added = self._accounts.add_moderator(name, password, role)
        with self._context.store.write() as connection:
            set_scope(connection, added.id, site_ids, section_ids)
            record_staff_event(
                connection,
                at=self._context.clock(),
                action=StaffAction.ACCOUNT_ADDED,
                moderator_id=actor.id,
                target=name,
                after_text=f"role={role.value} {_scope_text(site_ids, section_ids)}",
            )
        return added

    def update(
        self,
        actor: Moderator,
        moderator_id: int,
        *,
        role: Role,
        disabled: bool,
        site_ids: tuple[int, ...],
        section_ids: tuple[int, ...] = (),
    ) -> None:
        """An admin changes an account (its role, state, sites and sections). Admins
        cannot disable or demote themselves."""
        _require_admin(actor)
        if moderator_id == actor.id and (disabled or role is not Role.ADMIN):
            raise InvalidInput("role", "You cannot disable or demote your own account.")
        now = self._context.clock()
        with self._context.store.write() as connection:
            row = (
                connection.execute(sa.select(moderators).where(moderators.c.id == moderator_id))
                .mappings()
                .first()
            )
            if row is None:
                raise NotFound("There is no such account.", field="id")
            before = moderator_from(row)
            connection.execute(
                moderators.update()
                .where(moderators.c.id == moderator_id)
                .values(role=role.value, disabled=disabled)
            )
            set_scope(connection, moderator_id, site_ids, section_ids)
            if disabled:
                end_sessions(connection, moderator_id)
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.ACCOUNT_CHANGED,
                moderator_id=actor.id,
                target=before.name,
                before_text=f"role={before.role.value} disabled={before.disabled}",
                after_text=f"role={role.value} disabled={disabled} "
                + _scope_text(site_ids, section_ids),
            )

    def change_password(
        self, moderator: Moderator, current: str, new: str, *, keep_session: str | None
    ) -> None:
        """Changes one's own password, after checking the current one; ends other sessions."""
        try:
            self._accounts.verify_password(moderator.name, current)
        except NotAuthenticated:
            raise InvalidInput("current_password", "Your current password is not right.") from None
        if new == current:
            raise InvalidInput(
                "password", "Please choose a password different from the current one."
            )
        self._accounts.set_password(moderator.name, new)
        with self._context.store.write() as connection:
            end_sessions(connection, moderator.id, keep=keep_session)
            record_staff_event(
                connection,
                at=self._context.clock(),
                action=StaffAction.PASSWORD,
                moderator_id=moderator.id,
                target=moderator.name,
            )

    def tokens(self, viewer: Moderator) -> list[TokenInfo]:
        """API tokens: an admin sees everyone's, a moderator their own. Never the secret."""
        query = (
            sa.select(api_tokens, moderators.c.name)
            .select_from(api_tokens.join(moderators, moderators.c.id == api_tokens.c.moderator_id))
            .order_by(api_tokens.c.id.desc())
        )
        if viewer.role is not Role.ADMIN:
            query = query.where(api_tokens.c.moderator_id == viewer.id)
        with self._context.store.read() as connection:
            rows = connection.execute(query).mappings()
            return [
                TokenInfo(r["id"], r["name"], r["label"], r["created_at"], r["revoked_at"])
                for r in rows
            ]

    def create_token(self, moderator: Moderator, label: str) -> str:
        """A new token for oneself, shown once; only its hash is kept."""
        label = " ".join(label.split())[:LABEL_MAX] or "api"
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self._context.clock()
        with self._context.store.write() as connection:
            connection.execute(
                api_tokens.insert().values(
                    moderator_id=moderator.id,
                    token_hash=token_hash(token),
                    label=label,
                    created_at=now,
                )
            )
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.TOKEN_CREATED,
                moderator_id=moderator.id,
                target=label,
            )
        return token

    def revoke_token(self, actor: Moderator, token_id: int) -> None:
        """Revokes one token (one's own, or anyone's for an admin); idempotent."""
        now = self._context.clock()
        with self._context.store.write() as connection:
            row = (
                connection.execute(sa.select(api_tokens).where(api_tokens.c.id == token_id))
                .mappings()
                .first()
            )
            if row is None or (actor.role is not Role.ADMIN and row["moderator_id"] != actor.id):
                raise NotFound("There is no such token of yours.", field="id")
            if row["revoked_at"] is not None:
                return
            connection.execute(
                api_tokens.update().where(api_tokens.c.id == token_id).values(revoked_at=now)
            )
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.TOKEN_REVOKED,
                moderator_id=actor.id,
                target=row["label"],
            )


def _scope_text(site_ids: tuple[int, ...], section_ids: tuple[int, ...]) -> str:
    text = f"sites={sorted(set(site_ids))}"
    return text + (f" sections={sorted(set(section_ids))}" if section_ids else "")


def set_scope(
    connection: Connection,
    moderator_id: int,
    site_ids: tuple[int, ...],
    section_ids: tuple[int, ...] | None = None,
) -> None:
    """Replaces the account's sites, and its sections unless ``section_ids`` is None
    (a caller that knows only sites leaves the sections as they are); section ids that
    name nothing are dropped."""
    connection.execute(
        moderator_sites.delete().where(moderator_sites.c.moderator_id == moderator_id)
    )
    if site_ids:
        connection.execute(
            moderator_sites.insert(),
            [{"moderator_id": moderator_id, "site_id": s} for s in sorted(set(site_ids))],
        )
    if section_ids is None:
        return
    connection.execute(
        moderator_sections.delete().where(moderator_sections.c.moderator_id == moderator_id)
    )
    known = connection.execute(
        sa.select(sections.c.id).where(one_of(sections.c.id, set(section_ids)))
    ).scalars()
    rows = [{"moderator_id": moderator_id, "section_id": s} for s in sorted(known)]
    if rows:
        connection.execute(moderator_sections.insert(), rows)

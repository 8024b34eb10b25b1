"""Signing in to the console through the newsroom's identity provider (OpenID Connect).

``begin`` makes a flow (state, nonce, PKCE verifier) that the browser keeps, and the
provider's address to send it to. ``finish`` checks what comes back, has the provider
vouch for the person (``sso/provider.py``), maps their groups to a role, sites and
sections (``sso/grants.py``), then, in one transaction with its staff events: finds the
account linked to that identity, or links the account of the same name, or creates one;
sets its role, sites and sections from the groups (the provider is the source of truth
for them); and opens a session as a password sign-in does.

An account made here has no usable password (its hash is a marker argon2 never matches);
its owner signs in through the provider only.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from commentdesk.desk.accounts import NO_PASSWORD
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.desk.sessions import SignedIn, open_session
from commentdesk.desk.staff import set_scope
from commentdesk.errors import Forbidden, NoConsoleGroup, NotFound, SignOnFailed
from commentdesk.i18n import N_
from commentdesk.model import Moderator, Role
from commentdesk.sso.grants import Grant, claim_values, grant_for
from commentdesk.sso.provider import UNTRUSTED, Flow, Identity, OpenIdProvider
from commentdesk.store.records import moderator_from
from commentdesk.store.tables import (
    moderator_identities,
    moderator_sections,
    moderator_sites,
    moderators,
    sections,
    sites,
)

logger = logging.getLogger("commentdesk.sso")

#: Minutes a browser has between leaving for the provider and coming back.
FLOW_MINUTES = 10
_NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: An account's scope as ids: its sites, and its single sections; both empty: everything.
Scoped = tuple[tuple[int, ...], tuple[int, ...]]


class SignOn:
    def __init__(self, context: Context, provider: OpenIdProvider | None) -> None:
        self._context = context
        self.provider = provider

    def begin(self, next: str) -> tuple[Flow, str]:
        """A new flow for this browser to keep, and the provider's address to go to."""
        provider = self._provider()
        flow = Flow.start(next)
        return flow, provider.authorization_url(flow)

    def finish(self, flow: Flow | None, answer: Mapping[str, str]) -> SignedIn:
        """Signs in the person the provider's ``answer`` (the callback's query) vouches for.

        Raises ``SignOnFailed`` (a provider's error, no flow or another flow's ``state``,
        a refused code or token), ``NoConsoleGroup``, ``Forbidden`` (a disabled account,
        sites the console lacks) or ``ProviderUnavailable``.
        """
        provider = self._provider()
        self._check_answer(provider, flow, answer)
        assert flow is not None
        identity = provider.redeem(answer["code"], flow)
        values = claim_values(identity.claims, self._context.settings.oidc_group_claim)
        grant = grant_for(values, self._context.settings.oidc_groups)
        if grant is None:
            raise NoConsoleGroup(provider.name)
        try:
            return self._sign_in(provider, identity, grant)
        except IntegrityError:  # the same person's first sign-in, twice at once
            return self._sign_in(provider, identity, grant)

    def _provider(self) -> OpenIdProvider:
        if self.provider is None:
            raise NotFound("Single sign-on is not set up on this console.")
        return self.provider

    def _check_answer(
        self, provider: OpenIdProvider, flow: Flow | None, answer: Mapping[str, str]
    ) -> None:
        said = {"provider": provider.name}
        if answer.get("error") == "access_denied":
            raise SignOnFailed(
                N_(
                    "Signing in at %(provider)s was cancelled or refused, so you are not "
                    "signed in. Start again from the sign-in page."
                ),
                check="denied",
                **said,
            )
        if answer.get("error"):
            logger.warning("the provider answered %s", dict(answer))
            raise SignOnFailed(
                N_(
                    "%(provider)s could not sign you in (it said: %(error)s). Start again "
                    "from the sign-in page; if it happens again, tell the operator."
                ),
                check="provider",
                error=answer["error"][:100],
                **said,
            )
        if flow is None:
            raise SignOnFailed(
                N_(
                    "No sign-in is under way in this browser: it was finished already, or "
                    "took longer than %(minutes)s minutes. Start again from the sign-in page."
                ),
                check="state",
                minutes=FLOW_MINUTES,
            )
        if not hmac.compare_digest(answer.get("state", ""), flow.state):
            raise SignOnFailed(
                N_(
                    "This answer from %(provider)s belongs to another sign-in than the one "
                    "this browser started. Start again from the sign-in page."
                ),
                check="state",
                **said,
            )
        if answer.get("iss", provider.issuer) != provider.issuer or not answer.get("code"):
            raise SignOnFailed(
                UNTRUSTED,
                check="issuer" if answer.get("code") else "code",
                **said,
            )

    def _sign_in(self, provider: OpenIdProvider, identity: Identity, grant: Grant) -> SignedIn:
        now = self._context.clock()
        name_claim = self._context.settings.oidc_name_claim
        with self._context.store.write() as connection:
            scope = _scope_ids(connection, grant, provider.name)
            found = _linked(connection, identity)
            if found is None:
                found = _link_or_add(connection, now, provider.name, identity, name_claim)
            elif found.disabled:
                raise _disabled()
            moderator = _sync(connection, now, provider.name, found, grant, scope)
            session_id = open_session(connection, moderator.id, now, via=provider.name)
        return SignedIn(session_id, moderator)


def _disabled() -> Forbidden:
    return Forbidden(N_("Your console account is disabled. Ask an admin of the console."))


def _scope_ids(connection: Connection, grant: Grant, provider: str) -> Scoped:
    """The ids of the granted sites and sections; ``((), ())`` for every site. Refuses a
    grant whose sites and sections are all missing: an empty scope would mean every site."""
    if grant.sites is None:
        return (), ()
    ids = connection.execute(sa.select(sites.c.id).where(sites.c.slug.in_(grant.sites)))
    site_ids = tuple(sorted(ids.scalars()))
    section_ids: tuple[int, ...] = ()
    if grant.sections:
        pairs = sa.tuple_(sites.c.slug, sections.c.slug).in_(sorted(grant.sections))
        query = sa.select(sections.c.id).select_from(sections.join(sites)).where(pairs)
        section_ids = tuple(sorted(connection.execute(query).scalars()))
    if len(site_ids) < len(grant.sites) or len(section_ids) < len(grant.sections):
        logger.warning(
            "oidc_groups names sites or sections that do not exist: %s %s",
            sorted(grant.sites),
            sorted("/".join(pair) for pair in grant.sections),
        )
    if not site_ids and not section_ids:
        raise NoConsoleGroup(provider)
    return site_ids, section_ids


def _by(connection: Connection, *where: sa.ColumnElement[bool]) -> Moderator | None:
    row = connection.execute(sa.select(moderators).where(*where)).mappings().first()
    return moderator_from(row) if row else None


def _linked(connection: Connection, identity: Identity) -> Moderator | None:
    linked = sa.select(moderator_identities.c.moderator_id).where(
        moderator_identities.c.issuer == identity.issuer,
        moderator_identities.c.subject == identity.subject,
    )
    return _by(connection, moderators.c.id.in_(linked.scalar_subquery()))


def _link_or_add(
    connection: Connection, now: datetime, provider: str, identity: Identity, name_claim: str
) -> Moderator:
    """The account named as the provider names this person, linked to their identity
    when it has none at this issuer yet; else a new account under a free variant of the
    name, with no usable password."""
    wanted = str(identity.claims.get(name_claim) or identity.subject)
    name = (_NOT_A_NAME.sub("-", wanted).strip("-") or "sso")[:64]
    account = _by(connection, moderators.c.name == name)
    taken = (
        account is None or name != wanted or _has_identity(connection, account.id, identity.issuer)
    )
    if not taken and account is not None and account.disabled:
        raise _disabled()  # never a fresh account beside the one an admin disabled
    action = StaffAction.ACCOUNT_LINKED
    if taken:
        name = _free_name(connection, name)
        connection.execute(
            moderators.insert().values(
                name=name,
                password_hash=NO_PASSWORD,
                role=Role.MODERATOR.value,  # _sync sets the role the groups give
                disabled=False,
                created_at=now,
            )
        )
        account = _by(connection, moderators.c.name == name)
        action = StaffAction.ACCOUNT_ADDED
    assert account is not None
    connection.execute(
        moderator_identities.insert().values(
            issuer=identity.issuer,
            subject=identity.subject,
            moderator_id=account.id,
            linked_at=now,
        )
    )
    record_staff_event(
        connection,
        at=now,
        action=action,
        moderator_id=account.id,
        target=name,
        reason=f"{provider}: {identity.subject}"[:200],
    )
    return account


def _has_identity(connection: Connection, moderator_id: int, issuer: str) -> bool:
    query = sa.select(moderator_identities.c.subject).where(
        moderator_identities.c.moderator_id == moderator_id,
        moderator_identities.c.issuer == issuer,
    )
    return connection.execute(query).first() is not None


def _free_name(connection: Connection, name: str) -> str:
    """``name``, or ``name-2``, ``name-3``... the first no account has."""
    taken = set(
        connection.execute(
            sa.select(moderators.c.name).where(
                sa.or_(moderators.c.name == name, moderators.c.name.like(f"{name[:58]}-%"))
            )
        ).scalars()
    )
    candidates = [name] + [f"{name[:58]}-{n}" for n in range(2, len(taken) + 3)]
    return next(c for c in candidates if c not in taken)


def _scope_of(connection: Connection, moderator_id: int) -> Scoped:
    site_ids = sa.select(moderator_sites.c.site_id).where(
        moderator_sites.c.moderator_id == moderator_id
    )
    section_ids = sa.select(moderator_sections.c.section_id).where(
        moderator_sections.c.moderator_id == moderator_id
    )
    return (
        tuple(sorted(connection.execute(site_ids).scalars())),
        tuple(sorted(connection.execute(section_ids).scalars())),
    )


def _said(role: Role, scope: Scoped) -> str:
    return f"role={role.value} sites={list(scope[0])} sections={list(scope[1])}"


def _sync(
    connection: Connection,
    now: datetime,
    provider: str,
    moderator: Moderator,
    grant: Grant,
    scope: Scoped,
) -> Moderator:
    """Gives the account the role, sites and sections its groups give, with an event if
    they changed."""
    before = _scope_of(connection, moderator.id)
    if moderator.role is grant.role and before == scope:
        return moderator
    connection.execute(
        moderators.update().where(moderators.c.id == moderator.id).values(role=grant.role.value)
    )
    set_scope(connection, moderator.id, *scope)
    record_staff_event(
        connection,
        at=now,
        action=StaffAction.ACCOUNT_CHANGED,
        moderator_id=moderator.id,
        target=moderator.name,
        reason=f"groups at {provider}",
        before_text=_said(moderator.role, before),
        after_text=_said(grant.role, scope),
    )
    changed = _by(connection, moderators.c.id == moderator.id)
    assert changed is not None
    return changed

"""Each site's key for its readers' subscriber tokens, and the check of one token.

An admin pins one algorithm and one key per site (``commentdesk/subscribers.py`` says
which and why); the secret is never shown again once saved, only whether one is set.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.errors import Forbidden, NotFound
from commentdesk.model import Moderator, Role
from commentdesk.store.tables import sites
from commentdesk.subscribers import Algorithm, Subscriber, SubscriberKey, check_key, verify


@dataclass(frozen=True, slots=True)
class SubscriberSetting:
    """What an admin sees of a site's key: the algorithm, and the public key (RS256)."""

    algorithm: Algorithm | None  # None: the site vouches for no one
    public_key: str | None  # the RS256 PEM; an HS256 secret is never shown


_KEY = sa.select(sites.c.slug, sites.c.subscriber_algorithm, sites.c.subscriber_key).where(
    sites.c.id == sa.bindparam("site_id")
)


def _pinned(connection: Connection, site_id: int) -> tuple[str, SubscriberKey | None]:
    row = connection.execute(_KEY, {"site_id": site_id}).first()
    if row is None:
        raise NotFound("There is no such site.", field="site")
    slug, algorithm, key = row
    return slug, SubscriberKey(Algorithm(algorithm), key) if algorithm and key else None


class Subscribers:
    def __init__(self, context: Context) -> None:
        self._context = context

    def vouched(self, site_id: int, token: str) -> Subscriber:
        """The subscriber ``token`` vouches for on ``site_id``; raises
        ``SubscriberTokenInvalid`` (a site without a key included), never falls back."""
        with self._context.store.read() as connection:
            return self.vouched_in(connection, site_id, token)

    def vouched_in(self, connection: Connection, site_id: int, token: str) -> Subscriber:
        """``vouched``, reading the site's key through ``connection``."""
        slug, pinned = _pinned(connection, site_id)
        return verify(token, pinned, audience=slug, now=self._context.clock())

    def setting(self, site_id: int) -> SubscriberSetting:
        with self._context.store.read() as connection:
            _, pinned = _pinned(connection, site_id)
        if pinned is None:
            return SubscriberSetting(None, None)
        shown = pinned.key if pinned.algorithm is Algorithm.RS256 else None
        return SubscriberSetting(pinned.algorithm, shown)

    def save(
        self, actor: Moderator, site_id: int, *, algorithm: str | None, key: str | None
    ) -> SubscriberSetting:
        """Pins ``algorithm`` and ``key`` for the site's reader tokens (``algorithm``
        None: the site stops vouching), with a ``subscriber_key_changed`` event that
        names the algorithm, never the key. Admins only; a bad key raises
        ``InvalidInput`` naming the field."""
        if actor.role is not Role.ADMIN:
            raise Forbidden("Only an admin can change settings.")
        pinned = check_key(algorithm, key or "") if algorithm else None
        now = self._context.clock()
        with self._context.store.write() as connection:
            slug, _ = _pinned(connection, site_id)
            connection.execute(
                sites.update()
                .where(sites.c.id == site_id)
                .values(
                    subscriber_algorithm=pinned.algorithm.value if pinned else None,
                    subscriber_key=pinned.key if pinned else None,
                )
            )
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.SUBSCRIBER_KEY,
                moderator_id=actor.id,
                site_id=site_id,
                target=slug,
                after_text=pinned.algorithm.value if pinned else "none",
            )
        return self.setting(site_id)

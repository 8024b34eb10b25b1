"""Which sites a moderator may work on.

A moderator with no rows in ``moderator_sites`` works on every site (a small newsroom
has one desk); rows narrow them to those sites. Admins always see everything.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.errors import Forbidden
from commentdesk.model import Moderator, Role
from commentdesk.store.tables import articles, moderator_sites

#: ``None`` means "every site".
Scope = frozenset[int] | None


class OutOfScope(Forbidden):
    code = "out_of_scope"

    def __init__(self) -> None:
        super().__init__("This belongs to a site you do not moderate.")


def scope_of(connection: Connection, moderator: Moderator) -> Scope:
    """The sites ``moderator`` may see and act on; ``None`` for all of them."""
    if moderator.role is Role.ADMIN:
        return None
    rows = connection.execute(
        sa.select(moderator_sites.c.site_id).where(moderator_sites.c.moderator_id == moderator.id)
    ).scalars()
    found = frozenset(rows)
    return found or None


def check_site(scope: Scope, site_id: int) -> None:
    """Raises ``OutOfScope`` unless ``site_id`` is inside ``scope``."""
    if scope is not None and site_id not in scope:
        raise OutOfScope()


def check_article(connection: Connection, moderator: Moderator, article_id: int) -> None:
    """Raises ``OutOfScope`` unless the article's site is one ``moderator`` works on."""
    scope = scope_of(connection, moderator)
    if scope is None:
        return
    site_id = connection.execute(
        sa.select(articles.c.site_id).where(articles.c.id == article_id)
    ).scalar_one()
    check_site(scope, site_id)

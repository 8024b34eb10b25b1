"""Which sites a moderator may work on.

A moderator with no rows in ``moderator_sites`` works on every site (a small newsroom
has one desk); rows narrow them to those sites. Admins always see everything. What lies
outside a moderator's sites does not exist for them: it answers as a missing thing does.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.errors import NotFound
from commentdesk.model import Moderator, Role
from commentdesk.store.tables import articles, moderator_sites

#: ``None`` means "every site".
Scope = frozenset[int] | None


def comment_not_found(comment_id: int) -> NotFound:
    """What a missing comment answers. Another site's comment answers exactly the same,
    so a moderator cannot probe ids to learn which exist on sites they do not moderate."""
    return NotFound("There is no comment %(id)s.", field="id", id=comment_id)


def scope_of(connection: Connection, moderator: Moderator) -> Scope:
    """The sites ``moderator`` may see and act on; ``None`` for all of them."""
    if moderator.role is Role.ADMIN:
        return None
    rows = connection.execute(
        sa.select(moderator_sites.c.site_id).where(moderator_sites.c.moderator_id == moderator.id)
    ).scalars()
    found = frozenset(rows)
    return found or None


def check_comment(
    connection: Connection, moderator: Moderator, comment_id: int, article_id: int
) -> None:
    """Raises ``comment_not_found`` unless the comment's site is one ``moderator`` works on."""
    scope = scope_of(connection, moderator)
    if scope is None:
        return
    site_id = connection.execute(
        sa.select(articles.c.site_id).where(articles.c.id == article_id)
    ).scalar_one()
    if site_id not in scope:
        raise comment_not_found(comment_id)

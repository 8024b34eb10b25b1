"""Which sites and sections a moderator may work on.

A moderator with no rows in ``moderator_sites`` or ``moderator_sections`` works on
every site (a small newsroom has one desk); rows narrow them to those whole sites and
to those single sections of other sites (a sport desk sees only sport's articles).
Admins always see everything. What lies outside a moderator's scope does not exist for
them: it answers as a missing thing does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.errors import NotFound
from commentdesk.model import Moderator, Role
from commentdesk.store.lists import one_of
from commentdesk.store.tables import articles, moderator_sections, moderator_sites, sections


@dataclass(frozen=True, slots=True)
class Reach:
    """A scoped moderator's part of the desk: whole sites, and single sections."""

    sites: frozenset[int]
    sections: frozenset[int] = frozenset()
    #: The sites the sections belong to: such a site's bans and reasons are theirs too.
    section_sites: frozenset[int] = frozenset()

    def allows(self, site_id: int, section_id: int | None) -> bool:
        """Whether an article of ``site_id`` in ``section_id`` is theirs."""
        return site_id in self.sites or (section_id is not None and section_id in self.sections)

    def touches(self, site_id: int) -> bool:
        """Whether any of ``site_id`` is theirs (the whole site or one of its sections)."""
        return site_id in self.sites or site_id in self.section_sites

    def articles_where(self, table: Any = articles) -> sa.ColumnElement[bool]:
        """The condition on ``table`` (``articles`` or an alias of it) for their articles."""
        by_site = one_of(table.c.site_id, self.sites)
        if not self.sections:
            return by_site
        return sa.or_(by_site, one_of(table.c.section_id, self.sections))


#: ``None`` means "every site".
Scope = Reach | None


def in_scope(scope: Scope, article_id: Any) -> sa.ColumnElement[bool]:
    """``article_id`` (a column) names an article in ``scope``; always true for ``None``."""
    if scope is None:
        return sa.true()
    found: sa.ColumnElement[bool] = article_id.in_(
        sa.select(articles.c.id).where(scope.articles_where())
    )
    return found


def comment_not_found(comment_id: int) -> NotFound:
    """What a missing comment answers. Another site's comment answers exactly the same,
    so a moderator cannot probe ids to learn which exist on sites they do not moderate."""
    return NotFound("There is no comment %(id)s.", field="id", id=comment_id)


def scope_of(connection: Connection, moderator: Moderator) -> Scope:
    """The sites and sections ``moderator`` may see and act on; ``None`` for all of them."""
    if moderator.role is Role.ADMIN:
        return None
    site_ids = frozenset(
        connection.execute(
            sa.select(moderator_sites.c.site_id).where(
                moderator_sites.c.moderator_id == moderator.id
            )
        ).scalars()
    )
    pairs = connection.execute(
        sa.select(sections.c.id, sections.c.site_id)
        .select_from(moderator_sections.join(sections))
        .where(moderator_sections.c.moderator_id == moderator.id)
    ).all()
    if not site_ids and not pairs:
        return None
    return Reach(site_ids, frozenset(p.id for p in pairs), frozenset(p.site_id for p in pairs))


def check_comment(
    connection: Connection, moderator: Moderator, comment_id: int, article_id: int
) -> None:
    """Raises ``comment_not_found`` unless the comment's article is in ``moderator``'s scope."""
    scope = scope_of(connection, moderator)
    if scope is None:
        return
    site_id, section_id = connection.execute(
        sa.select(articles.c.site_id, articles.c.section_id).where(articles.c.id == article_id)
    ).one()
    if not scope.allows(site_id, section_id):
        raise comment_not_found(comment_id)

"""Bans, and the admission check every new comment passes through.

A commenter is known only by keyed hashes: ``author_key`` (their browser's commenter
key when the reader page gave one, else their email, else their pseudonym) and
``email_hash``. A ban names a site, one or both hashes, and an end. While it runs,
the banned person's new comments are held for review or refused, as the site chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import lifecycle
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.desk.scope import Scope, check_comment, comment_not_found, scope_of
from commentdesk.errors import Forbidden, InvalidInput, NotFound
from commentdesk.model import Moderation, Moderator, Site, State
from commentdesk.store.lists import one_of
from commentdesk.store.tables import articles, bans, comments, moderators, sections, sites
from commentdesk.validation import clean_reason

BAN_DAYS = (1, 7, 30, 365)
HOLD = "hold"
REFUSE = "refuse"


class Banned(Forbidden):
    code = "banned"

    def __init__(self, until: datetime) -> None:
        super().__init__(
            f"You cannot comment on this site until {until:%Y-%m-%d}. "
            "If you think this is a mistake, write to the publication."
        )


@dataclass(frozen=True, slots=True)
class Identity:
    author_key: str
    commenter_hash: str | None
    email_hash: str | None


@dataclass(frozen=True, slots=True)
class BanInfo:
    id: int
    site_id: int
    author: str
    reason: str
    by: str
    created_at: datetime
    until: datetime
    by_commenter: bool
    by_email: bool


def identity(
    context: Context, *, author: str, email: str | None, commenter_key: str | None
) -> Identity:
    """The keyed hashes a new comment is stored with (never the raw key or email)."""
    commenter = context.keyed_hash("commenter", commenter_key) if commenter_key else None
    mail = context.keyed_hash("email", email.strip().lower()) if email else None
    author_key = commenter or mail or context.keyed_hash("author", author.casefold())
    return Identity(author_key, commenter, mail)


def admission(
    connection: Connection,
    site: Site,
    article_id: int | None,
    who: Identity,
    now: datetime,
    *,
    section_default: Moderation | None = None,
) -> State:
    """The state a new comment starts in; raises ``Banned`` when the site refuses it.

    The article's own pre/post setting wins over its section's, which wins over the
    site's (``section_default``: the section of an article not made yet); a running ban
    holds the comment for review (or refuses it, when the site says so) whatever the
    setting.
    """
    ban = _active_ban(connection, site.id, who, now)
    if ban is not None:
        if site_ban_policy(connection, site.id) == REFUSE:
            raise Banned(ban)
        return State.PENDING
    found = (
        connection.execute(_ARTICLE_MODERATION, {"article_id": article_id}).first()
        if article_id is not None  # an article not made yet has no setting of its own
        else None
    )
    override, by_section = found if found is not None else (None, section_default)
    moderation = Moderation(override or by_section or site.moderation)
    return lifecycle.initial_state(post_moderated=moderation is Moderation.POST)


def site_ban_policy(connection: Connection, site_id: int) -> str:
    found = connection.execute(
        sa.select(sites.c.ban_policy).where(sites.c.id == site_id)
    ).scalar_one_or_none()
    return REFUSE if found == REFUSE else HOLD


# Built once, as every submission runs them. A NULL email hash matches no ban.
_ARTICLE_MODERATION = (
    sa.select(articles.c.moderation, sections.c.moderation)
    .select_from(articles.outerjoin(sections, sections.c.id == articles.c.section_id))
    .where(articles.c.id == sa.bindparam("article_id"))
)
_ACTIVE_BAN = sa.select(sa.func.max(bans.c.until)).where(
    bans.c.site_id == sa.bindparam("site_id"),
    bans.c.until > sa.bindparam("now", type_=bans.c.until.type),
    bans.c.lifted_at.is_(None),
    sa.or_(
        bans.c.commenter_hash == sa.bindparam("author_key"),
        bans.c.email_hash == sa.bindparam("email_hash"),
    ),
)


def _active_ban(
    connection: Connection, site_id: int, who: Identity, now: datetime
) -> datetime | None:
    found: datetime | None = connection.execute(
        _ACTIVE_BAN,
        {
            "site_id": site_id,
            "now": now,
            "author_key": who.author_key,
            "email_hash": who.email_hash,
        },
    ).scalar_one_or_none()
    return found


@dataclass(frozen=True, slots=True)
class NewBan:
    ban_id: int
    reason: str  # as stored
    author_key: str | None  # the banned comment's commenter key, whatever the ban is by


class Bans:
    def __init__(self, context: Context) -> None:
        self._context = context

    def ban(
        self,
        moderator: Moderator,
        comment_id: int,
        *,
        days: int,
        by_commenter: bool,
        by_email: bool,
        reason: str | None,
    ) -> int:
        """Bans the author of ``comment_id`` on its site for ``days``; returns the ban's id."""
        with self._context.store.write() as connection:
            banned = self.ban_in(
                connection,
                moderator,
                comment_id,
                days=days,
                by_commenter=by_commenter,
                by_email=by_email,
                reason=reason,
                now=self._context.clock(),
            )
        return banned.ban_id

    def ban_in(
        self,
        connection: Connection,
        moderator: Moderator,
        comment_id: int,
        *,
        days: int,
        by_commenter: bool,
        by_email: bool,
        reason: str | None,
        now: datetime,
    ) -> NewBan:
        """``ban`` inside a transaction the caller holds, so a ban and what comes with it
        (rejecting the author's waiting comments) commit as one."""
        if days not in BAN_DAYS:
            raise InvalidInput("days", "Choose a ban of 1, 7, 30 or 365 days.")
        why = clean_reason(reason, required=True)
        assert why is not None
        row = (
            connection.execute(
                sa.select(comments, articles.c.site_id)
                .select_from(comments.join(articles, articles.c.id == comments.c.article_id))
                .where(comments.c.id == comment_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise comment_not_found(comment_id)
        check_comment(connection, moderator, comment_id, row["article_id"])
        commenter = row["author_key"] if by_commenter else None
        email = row["email_hash"] if by_email else None
        if commenter is None and email is None:
            raise InvalidInput(
                "by_email" if by_email else "by_commenter",
                "This comment carries nothing to ban by; choose the commenter key.",
            )
        ban_id = connection.execute(
            bans.insert()
            .values(
                site_id=row["site_id"],
                commenter_hash=commenter,
                email_hash=email,
                author=row["author"],
                reason=why,
                moderator_id=moderator.id,
                created_at=now,
                until=now + timedelta(days=days),
            )
            .returning(bans.c.id)
        ).scalar_one()
        record_staff_event(
            connection,
            at=now,
            action=StaffAction.BAN,
            moderator_id=moderator.id,
            comment_id=comment_id,
            site_id=row["site_id"],
            target=row["author"],
            reason=why,
            after_text=f"{days} days"
            + (" by commenter" if commenter else "")
            + (" by email" if email else ""),
        )
        return NewBan(int(ban_id), why, row["author_key"])

    def lift(self, moderator: Moderator, ban_id: int) -> None:
        now = self._context.clock()
        with self._context.store.write() as connection:
            row = connection.execute(sa.select(bans).where(bans.c.id == ban_id)).mappings().first()
            scope = scope_of(connection, moderator)
            if row is None or (scope is not None and not scope.touches(row["site_id"])):
                raise NotFound("There is no such ban.", field="id")
            if row["lifted_at"] is not None:
                return
            connection.execute(bans.update().where(bans.c.id == ban_id).values(lifted_at=now))
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.UNBAN,
                moderator_id=moderator.id,
                site_id=row["site_id"],
                target=row["author"],
            )

    def active(self, scope: Scope) -> list[BanInfo]:
        now = self._context.clock()
        query = (
            sa.select(bans, moderators.c.name)
            .select_from(bans.join(moderators, moderators.c.id == bans.c.moderator_id))
            .where(bans.c.until > now, bans.c.lifted_at.is_(None))
            .order_by(bans.c.id.desc())
        )
        if scope is not None:
            query = query.where(one_of(bans.c.site_id, scope.sites | scope.section_sites))
        with self._context.store.read() as connection:
            return [
                BanInfo(
                    r["id"],
                    r["site_id"],
                    r["author"],
                    r["reason"],
                    r["name"],
                    r["created_at"],
                    r["until"],
                    r["commenter_hash"] is not None,
                    r["email_hash"] is not None,
                )
                for r in connection.execute(query).mappings()
            ]

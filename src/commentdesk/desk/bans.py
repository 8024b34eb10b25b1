"""Bans, and the admission check every new comment passes through.

A commenter is known only by keyed hashes: ``author_key`` (for a subscriber the
publisher vouched for, of the site and the publisher's subject; else their browser's
commenter key when the reader page gave one, else their email, else their pseudonym)
and ``email_hash``. A ban names a site, one or both hashes, and an end. While it runs,
the banned person's new comments are held for review or refused, as the site chooses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import lifecycle
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.desk.preview import in_scope
from commentdesk.desk.scope import Scope, check_comment, comment_not_found, scope_of
from commentdesk.errors import Forbidden, InvalidInput, NotFound
from commentdesk.model import Moderation, Moderator, Site, State
from commentdesk.store.lists import one_of
from commentdesk.store.tables import articles, bans, comments, moderators, sections, sites
from commentdesk.validation import clean_reason

BAN_DAYS = (1, 7, 30, 365)
HOLD = "hold"
REFUSE = "refuse"
LIFT_MAX = 500


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


def subscriber_identity(
    context: Context, site_id: int, subject: str, *, email: str | None, commenter_key: str | None
) -> Identity:
    """A vouched-for subscriber's hashes: the author key is of the site and the
    publisher's subject (never the subject itself), so history and a ban "by commenter"
    follow the subscriber to any browser; the browser's key and the email are kept as
    for anyone (rate limits, the reader's rights by browser or by mail, bans by email)."""
    anyone = identity(context, author="", email=email, commenter_key=commenter_key)
    return replace(anyone, author_key=context.keyed_hash("subscriber", f"{site_id}\x00{subject}"))


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


def check_ban(days: int, reason: str | None) -> str:
    """A ban's length and reason, checked; returns the reason as stored."""
    if days not in BAN_DAYS:
        raise InvalidInput("days", "Choose a ban of 1, 7, 30 or 365 days.")
    why = clean_reason(reason, required=True)
    assert why is not None  # required
    return why


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
        why = check_ban(days, reason)
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
        """Lifts one ban (a no-op if it was lifted already)."""
        self.lift_many(moderator, [ban_id], reason=None)

    def lift_many(self, moderator: Moderator, ban_ids: Iterable[int], *, reason: str | None) -> int:
        """Lifts the bans ``ban_ids`` in one transaction, each with its own ``unban``
        event carrying ``reason`` (required when there is more than one); returns how
        many were running. A ban that is not on the moderator's sites raises ``NotFound``
        before anything is lifted; one lifted already is left as it is."""
        wanted = list(dict.fromkeys(ban_ids))
        if not wanted:
            raise InvalidInput("ids", "Select at least one ban to lift.")
        if len(wanted) > LIFT_MAX:
            raise InvalidInput("ids", "Select at most %(n)s bans at once.", n=LIFT_MAX)
        why = clean_reason(reason, required=len(wanted) > 1)
        now = self._context.clock()
        with self._context.store.write() as connection:
            rows = connection.execute(sa.select(bans).where(one_of(bans.c.id, wanted))).mappings()
            found = {row["id"]: row for row in rows}
            scope = scope_of(connection, moderator)
            for ban_id in wanted:
                row = found.get(ban_id)
                if row is None or (scope is not None and not scope.touches(row["site_id"])):
                    raise NotFound("There is no such ban.", field="id")
            return self._lift_in(connection, moderator, list(found.values()), why, now)

    def lift_campaign(self, moderator: Moderator, cluster_id: int, *, reason: str | None) -> int:
        """Lifts every running ban of an author of the campaign ``cluster_id`` (by their
        commenter key or email, on the sites of their comments), on the moderator's
        sites, in one transaction with an ``unban`` event each; returns how many."""
        why = clean_reason(reason, required=True)
        now = self._context.clock()
        with self._context.store.write() as connection:
            scope = scope_of(connection, moderator)
            seen = sa.select(comments.c.id).where(
                comments.c.cluster_id == cluster_id, in_scope(scope)
            )
            if connection.execute(seen.limit(1)).first() is None:
                raise NotFound("There is no such campaign on the sites you moderate.", field="id")
            query = _campaign_bans(cluster_id, scope, now)
            found = list(connection.execute(sa.select(bans).where(query)).mappings())
            return self._lift_in(connection, moderator, found, why, now)

    def of_campaign(self, moderator: Moderator, cluster_id: int) -> int:
        """How many running bans ``lift_campaign`` would lift."""
        now = self._context.clock()
        with self._context.store.read() as connection:
            query = _campaign_bans(cluster_id, scope_of(connection, moderator), now)
            count = connection.execute(sa.select(sa.func.count()).where(query)).scalar_one()
            return int(count)

    def _lift_in(
        self,
        connection: Connection,
        moderator: Moderator,
        rows: list[sa.RowMapping],
        why: str | None,
        now: datetime,
    ) -> int:
        running = [row for row in rows if row["lifted_at"] is None]
        if not running:
            return 0
        connection.execute(
            bans.update()
            .where(one_of(bans.c.id, [row["id"] for row in running]), bans.c.lifted_at.is_(None))
            .values(lifted_at=now)
        )
        for row in running:
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.UNBAN,
                moderator_id=moderator.id,
                site_id=row["site_id"],
                target=row["author"],
                reason=why,
            )
        return len(running)

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


def _campaign_bans(cluster_id: int, scope: Scope, now: datetime) -> Any:
    """Running bans, on the moderator's sites, of an author of the campaign: matched by
    the commenter key or the email of one of its comments, on that comment's site."""
    copies = (
        sa.select(comments.c.author_key, comments.c.email_hash, articles.c.site_id)
        .join(articles, articles.c.id == comments.c.article_id)
        .where(comments.c.cluster_id == cluster_id)
        .subquery()
    )
    same_author = sa.exists().where(
        copies.c.site_id == bans.c.site_id,
        sa.or_(
            copies.c.author_key == bans.c.commenter_hash,
            copies.c.email_hash == bans.c.email_hash,
        ),
    )
    running = sa.and_(bans.c.until > now, bans.c.lifted_at.is_(None), same_author)
    if scope is None:
        return running
    return sa.and_(running, one_of(bans.c.site_id, scope.sites | scope.section_sites))

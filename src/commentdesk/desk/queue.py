"""The queue's filters and the details shown beside each item.

``narrow`` adds a moderator's filters and site scope to the queue query built by
``Review.queue``; every filter is a condition the indexes on ``comments`` can
serve while the query walks them in queue order, so the first page stays cheap
however many comments there are; a filter that leaves a known, small set of comments
(open reports, a rare text) names them by id instead, and the query sorts just those
(``Narrowed.few``). ``details`` loads, for one page only, the reports,
the open notices of illegal content and the author's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.notices import Notice, notice_from
from commentdesk.desk.scope import Scope
from commentdesk.model import State
from commentdesk.store.lists import one_of
from commentdesk.store.search import matching
from commentdesk.store.tables import articles, comments, notices, reports

TEXT_MAX = 200
#: Up to this many reported comments, the "reported" tab fetches them by id and sorts
#: them (5,000 primary-key reads); beyond, reported comments are common enough for the
#: walk in queue order to meet a page of them soon.
REPORTED_FEW = 5000


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What a moderator narrowed the queue to; empty fields do not narrow."""

    reported: bool = False
    #: Only comments with an open notice of illegal content, in any state.
    noticed: bool = False
    site_id: int | None = None
    section_id: int | None = None
    language: str | None = None
    article: str | None = None
    author: str | None = None
    author_key: str | None = None
    text: str | None = None
    comment_id: int | None = None  # one comment, for its own page
    cluster_id: int | None = None  # one near-duplicate campaign


@dataclass(frozen=True, slots=True)
class Report:
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Parent:
    """The comment a reply answers, as the moderator needs it to read the reply."""

    id: int
    author: str
    body: str
    state: State


@dataclass(frozen=True, slots=True)
class History:
    """An author's earlier decisions: approved and rejected comments, under how many
    pseudonyms."""

    approved: int = 0
    rejected: int = 0
    pseudonyms: int = 0


@dataclass(frozen=True, slots=True)
class Details:
    """What the console shows next to one comment."""

    author_key: str | None = None
    #: The comment's pseudonym from the same ``author_key``: this pseudonym's own record.
    approved: int = 0
    rejected: int = 0
    #: Every pseudonym of ``author_key``, labelled by ``key_kind``.
    by_key: History = field(default_factory=History)
    #: What ``author_key`` is: "subscriber" (vouched for by the publisher), "browser"
    #: (the commenter key), "email", or "pseudonym" (none was given, so the key is the
    #: pseudonym itself).
    key_kind: str = "pseudonym"
    reports: tuple[Report, ...] = field(default=())
    notices: tuple[Notice, ...] = field(default=())  # open notices of illegal content
    cluster_size: int = 0  # comments in the item's near-duplicate campaign, if any
    parent: Parent | None = None  # the comment it answers ("I agree" means nothing alone)


@dataclass(frozen=True, slots=True)
class Author:
    """Who an author key stands for, as an "all from …" view says it."""

    key_kind: str  # as ``Details.key_kind``
    pseudonyms: tuple[str, ...]  # at most a dozen, first used first
    pseudonym_count: int


def author_of(connection: Connection, author_key: str, scope: Scope, listed: int = 12) -> Author:
    """The pseudonyms used with ``author_key`` on the sites of ``scope``."""
    where = [comments.c.author_key == author_key]
    if scope is not None:
        where.append(_in_articles(scope.articles_where(_home)))
    names = sa.select(comments.c.author).where(*where).group_by(comments.c.author)
    count = connection.execute(sa.select(sa.func.count()).select_from(names.subquery()))
    kinds = sa.select(comments.c.commenter_hash, comments.c.email_hash, comments.c.subscriber)
    kinds = kinds.where(*where).limit(1)
    kind = connection.execute(kinds).mappings().first()
    first_used = names.order_by(sa.func.min(comments.c.id)).limit(listed)
    return Author(
        _key_kind(kind) if kind else "pseudonym",
        tuple(connection.execute(first_used).scalars()),
        int(count.scalar_one()),
    )


def _articles_where(*conditions: Any) -> sa.Select[Any]:
    return sa.select(articles.c.id).where(*conditions)


def _in_articles(*conditions: Any) -> Any:
    """The comment's article matches: a correlated EXISTS, so the database keeps walking
    the queue's ordering index and checks each row, instead of gathering every comment
    of a site and sorting them all (300 ms against 10 ms on a million comments)."""
    return sa.exists().where(_home.c.id == comments.c.article_id, *conditions)


_home = articles.alias("home")  # the queue query joins ``articles`` itself


@dataclass(frozen=True, slots=True)
class Narrowed:
    query: sa.Select[Any]
    #: A filter named at most a few thousand comments by id: sort those rather than walk
    #: the queue's ordering index (which PostgreSQL picks for a list of 3,000 ids,
    #: reading 70,000 rows to find 51 reported ones: 236 ms).
    few: bool = False


def narrow(
    connection: Connection, query: sa.Select[Any], filters: QueueFilter, scope: Scope
) -> Narrowed:
    """``query`` limited to ``filters`` and to the sites in ``scope`` (None: all); the
    reported filter and a text filter may look their comments up first (``few``)."""
    few = False
    if scope is not None:
        query = query.where(_in_articles(scope.articles_where(_home)))
    if filters.comment_id is not None:
        query = query.where(comments.c.id == filters.comment_id)
    if filters.cluster_id is not None:
        query = query.where(comments.c.cluster_id == filters.cluster_id)
    if filters.reported:
        condition, few = _reported(connection)
        query = query.where(condition)
    if filters.noticed:
        open_notices = sa.select(notices.c.comment_id).where(notices.c.decided_at.is_(None))
        query = query.where(comments.c.id.in_(open_notices))
    if filters.site_id is not None:
        query = query.where(_in_articles(_home.c.site_id == filters.site_id))
    if filters.section_id is not None:
        query = query.where(_in_articles(_home.c.section_id == filters.section_id))
    if filters.language:
        # The language triage detected in the comment itself, not the site's.
        query = query.where(comments.c.language == filters.language)
    if filters.article:
        query = query.where(
            comments.c.article_id.in_(_articles_where(articles.c.key == filters.article))
        )
    if filters.author:
        # The exact pseudonym, so the (author, state) index answers at any size.
        query = query.where(comments.c.author == " ".join(filters.author.split()))
    if filters.author_key:
        query = query.where(comments.c.author_key == filters.author_key)
    if filters.text:
        match = matching(connection, filters.text[:TEXT_MAX])
        query, few = query.where(match.where), few or match.few
    return Narrowed(query, few)


def _reported(connection: Connection) -> tuple[sa.ColumnElement[bool], bool]:
    """Comments with an open report: by id when there are at most ``REPORTED_FEW``."""
    open_reports = sa.select(reports.c.comment_id).where(reports.c.resolved_at.is_(None))
    found = connection.execute(open_reports.distinct().limit(REPORTED_FEW + 1))
    ids = list(found.scalars())
    if len(ids) <= REPORTED_FEW:
        return one_of(comments.c.id, ids), True
    return comments.c.id.in_(open_reports), False


def details(connection: Connection, rows: Sequence[sa.RowMapping]) -> dict[int, Details]:
    """Reports, notices, author history, campaign sizes and the comments replied to, for
    one page, in five small queries."""
    ids = [row["id"] for row in rows]
    keys = {row["author_key"] for row in rows if row["author_key"]}
    found: dict[int, list[Report]] = {}
    for comment_id, reason, at in connection.execute(
        sa.select(reports.c.comment_id, reports.c.reason, reports.c.created_at)
        .where(one_of(reports.c.comment_id, ids), reports.c.resolved_at.is_(None))
        .order_by(reports.c.id)
    ):
        found.setdefault(comment_id, []).append(Report(reason, at))
    noticed: dict[int, list[Notice]] = {}
    for row in connection.execute(
        sa.select(notices)
        .where(one_of(notices.c.comment_id, ids), notices.c.decided_at.is_(None))
        .order_by(notices.c.id)
    ).mappings():
        noticed.setdefault(row["comment_id"], []).append(notice_from(row))
    pseudonym, browser = _histories(connection, keys)
    sizes = _cluster_sizes(connection, {row["cluster_id"] for row in rows} - {None})
    parents = _parents(connection, {row["reply_to_id"] for row in rows} - {None})
    result = {}
    for row in rows:
        key = row["author_key"]
        own = pseudonym.get((key, row["author"]), History())
        result[row["id"]] = Details(
            author_key=key,
            approved=own.approved,
            rejected=own.rejected,
            by_key=browser.get(key, History()) if key else History(),
            key_kind=_key_kind(row),
            reports=tuple(found.get(row["id"], ())),
            notices=tuple(noticed.get(row["id"], ())),
            cluster_size=sizes.get(row["cluster_id"], 0),
            parent=parents.get(row["reply_to_id"]) if row["reply_to_id"] else None,
        )
    return result


def _key_kind(row: sa.RowMapping) -> str:
    """What the author key was made from (``desk/bans.identity``)."""
    if row.get("subscriber"):
        return "subscriber"
    if row["commenter_hash"] is not None:
        return "browser"
    return "email" if row["email_hash"] is not None else "pseudonym"


def _histories(
    connection: Connection, keys: set[str]
) -> tuple[dict[tuple[str, str], History], dict[str, History]]:
    """Approved and rejected counts per (author key, pseudonym) and per author key, in
    one query the (author_key, state) index serves."""
    if not keys:
        return {}, {}
    per_name: dict[tuple[str, str], dict[str, int]] = {}
    for key, author, state, count in connection.execute(
        sa.select(comments.c.author_key, comments.c.author, comments.c.state, sa.func.count())
        .where(one_of(comments.c.author_key, keys))
        .group_by(comments.c.author_key, comments.c.author, comments.c.state)
    ):
        per_name.setdefault((key, author), {})[state] = count
    pseudonym = {k: _history(counts, 1) for k, counts in per_name.items()}
    per_key: dict[str, list[History]] = {}
    for (key, _author), history in pseudonym.items():
        per_key.setdefault(key, []).append(history)
    browser = {
        key: History(sum(h.approved for h in found), sum(h.rejected for h in found), len(found))
        for key, found in per_key.items()
    }
    return pseudonym, browser


def _history(counts: dict[str, int], pseudonyms: int) -> History:
    return History(
        counts.get(State.APPROVED.value, 0), counts.get(State.REJECTED.value, 0), pseudonyms
    )


def _parents(connection: Connection, ids: set[int]) -> dict[int, Parent]:
    if not ids:
        return {}
    query = sa.select(comments.c.id, comments.c.author, comments.c.body, comments.c.state).where(
        one_of(comments.c.id, ids)
    )
    return {
        row.id: Parent(row.id, row.author, row.body, State(row.state))
        for row in connection.execute(query)
    }


def _cluster_sizes(connection: Connection, cluster_ids: set[int]) -> dict[int, int]:
    if not cluster_ids:
        return {}
    query = (
        sa.select(comments.c.cluster_id, sa.func.count())
        .where(one_of(comments.c.cluster_id, cluster_ids))
        .group_by(comments.c.cluster_id)
    )
    return {int(row[0]): int(row[1]) for row in connection.execute(query)}

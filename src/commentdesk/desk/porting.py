"""Writing imported comments: batches from a checked file, each batch one transaction.

The file has been read and checked whole before this runs (``porting.staging``), so a
malformed or hostile file never gets here. Each batch writes its comments, one
``import`` event per comment, the articles they need and the articles' new counts, in
one transaction. Comments arrive parents first, so a reply always finds its parent.

Idempotent: every imported comment keeps its source and its id there (unique per
site), and a comment already present is counted, not written again. A run stopped
half-way (a crash, a lost database) is finished by running it again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import lifecycle
from commentdesk.desk.bans import identity
from commentdesk.desk.context import Context
from commentdesk.errors import InvalidInput, NotFound
from commentdesk.model import Action, ActorKind, Moderation, Site, State
from commentdesk.porting.run import Tally
from commentdesk.porting.staging import StagedComment, StagedThread
from commentdesk.store.lists import one_of
from commentdesk.store.records import site_from
from commentdesk.store.tables import articles, comments, events, sites

#: Stored instead of an edit token's hash: it is not hex, so no token ever matches it.
IMPORTED_TOKEN = "imported"  # noqa: S105 - a marker, not a secret
#: Imported comments accepted none of our terms versions.
NO_TERMS = 0
DEFAULT_SITE = "main"
OTHER_SITE = "its article key belongs to another site"
_IMPORT_ID_MAX = 300


@dataclass(frozen=True, slots=True)
class _Parent:
    id: int
    depth: int
    parent_id: int | None


class Importer:
    """The desk's door for imports: ``site_for`` once, then ``write`` per batch."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._batches = 0

    def find_site(self, slug: str | None) -> Site | None:
        """The named site; without a name the only site, or None when there is none yet.

        Reads only. Raises ``NotFound`` for an unknown name and ``InvalidInput`` when
        several sites exist and none was named.
        """
        with self._context.store.read() as connection:
            rows = [site_from(r) for r in connection.execute(sa.select(sites)).mappings()]
        if slug is not None:
            for site in rows:
                if site.slug == slug:
                    return site
            raise NotFound(f"There is no site {slug!r}; add it with `commentdesk site`.")
        if len(rows) > 1:
            names = ", ".join(sorted(s.slug for s in rows))
            raise InvalidInput("site", f"Name the site to import into with --site ({names}).")
        return rows[0] if rows else None

    def default_site(self) -> Site:
        """The site "main", made for an import into a database that has no site yet."""
        with self._context.store.write() as connection:
            row = connection.execute(sa.select(sites).where(sites.c.slug == DEFAULT_SITE))
            found = row.mappings().first()
            return site_from(found) if found else self._new_site(connection)

    def _new_site(self, connection: Connection) -> Site:
        from commentdesk.desk.catalog import DEFAULT_TERMS

        connection.execute(
            sites.insert().values(
                slug=DEFAULT_SITE,
                name="Imported comments",
                language="en",
                origins=[],
                moderation=Moderation.PRE.value,
                terms_text=DEFAULT_TERMS,
                terms_version=1,
                auto_close_days=None,
                auto_create_articles=False,
                created_at=self._context.clock(),
            )
        )
        row = connection.execute(sa.select(sites).where(sites.c.slug == DEFAULT_SITE))
        return site_from(row.mappings().one())

    def write(self, site: Site, source: str, batch: Sequence[StagedComment]) -> Tally:
        """Writes one batch (parents first) in one transaction; returns what it did."""
        tally = Tally()
        now = self._context.clock()
        with self._context.store.write() as connection:
            self._refresh_statistics(connection)
            article_ids = self._articles(connection, site, batch, now, tally)
            wanted = {import_id(site, c.ref): c for c in batch}
            present = _present(connection, source, list(wanted))
            tally.already += len(present)
            todo = [
                c for iid, c in wanted.items() if iid not in present and c.thread.key in article_ids
            ]
            tally.skipped[OTHER_SITE] += sum(1 for c in batch if c.thread.key not in article_ids)
            published: Counter[int] = Counter()
            for _, group in groupby(todo, key=lambda c: c.level):
                self._insert(connection, site, source, list(group), article_ids, now, published)
            _bump_articles(connection, published)
            tally.imported += len(todo)
        if not tally.skipped[OTHER_SITE]:
            del tally.skipped[OTHER_SITE]
        return tally

    def _refresh_statistics(self, connection: Connection) -> None:
        """``ANALYZE comments`` on PostgreSQL after batches 1, 2, 4, 8…

        A table that grows from nothing keeps its empty-table statistics until autovacuum
        comes round, and the planner then reads every imported comment to find a batch's
        parents (a statement timeout at about 100,000 comments). A sample of 30,000 rows
        every doubling keeps the plan on the unique index for a few hundred milliseconds.
        """
        self._batches += 1
        if connection.dialect.name == "postgresql" and self._batches & (self._batches - 1) == 0:
            connection.exec_driver_sql("ANALYZE comments")

    def _articles(
        self,
        connection: Connection,
        site: Site,
        batch: Sequence[StagedComment],
        now: datetime,
        tally: Tally,
    ) -> dict[str, int]:
        """Article ids by key for the batch's threads, made when missing (this site only)."""
        threads = {c.thread.key: c.thread for c in batch}
        rows = connection.execute(
            sa.select(articles.c.id, articles.c.key, articles.c.site_id).where(
                one_of(articles.c.key, threads)
            )
        ).all()
        found = {row.key: row.id for row in rows if row.site_id == site.id}
        taken = {row.key for row in rows}
        for key, thread in threads.items():
            if key not in taken:
                found[key] = self._new_article(connection, site, thread, now)
                tally.articles_created += 1
        return found

    def _new_article(
        self, connection: Connection, site: Site, thread: StagedThread, now: datetime
    ) -> int:
        closes = now + timedelta(days=site.auto_close_days) if site.auto_close_days else None
        return int(
            connection.execute(
                articles.insert()
                .values(
                    site_id=site.id,
                    key=thread.key,
                    url=thread.url,
                    title=thread.title or thread.key,
                    is_open=not thread.closed,
                    created_at=now,
                    closes_at=closes,
                    published_version=0,
                    published_count=0,
                )
                .returning(articles.c.id)
            ).scalar_one()
        )

    def _insert(
        self,
        connection: Connection,
        site: Site,
        source: str,
        group: list[StagedComment],
        article_ids: dict[str, int],
        now: datetime,
        published: Counter[int],
    ) -> None:
        """Inserts comments of one reply level, whose parents are all stored already."""
        parents = _parents(
            connection, source, [import_id(site, c.parent) for c in group if c.parent]
        )
        deepest = self._context.settings.max_reply_depth - 1
        rows: list[dict[str, Any]] = []
        for comment in group:
            parent = parents.get(import_id(site, comment.parent)) if comment.parent else None
            rows.append(
                self._row(site, source, comment, article_ids[comment.thread.key], parent, deepest)
            )
        # A plain executemany, then the ids by import id: RETURNING with the rows' order
        # kept makes SQLAlchemy insert one row per statement on SQLite.
        connection.execute(comments.insert(), rows)
        stored = _parents(connection, source, [row["import_id"] for row in rows])
        ids = [stored[row["import_id"]].id for row in rows]
        event_rows = []
        for comment_id, row in zip(ids, rows, strict=True):
            event_rows.append(
                _event(now, comment_id, row["article_id"], State(row["state"]), source)
            )
            if lifecycle.is_public(State(row["state"])):
                published[row["article_id"]] += 1
        # One audit event per comment, as ``record_event`` writes them, but in one statement:
        # a million single inserts would make a large import take hours.
        connection.execute(events.insert(), event_rows)

    def _row(
        self,
        site: Site,
        source: str,
        comment: StagedComment,
        article_id: int,
        parent: _Parent | None,
        deepest: int,
    ) -> dict[str, Any]:
        if parent is None:
            parent_id, reply_to_id, depth = None, None, 0
        elif parent.depth < deepest:
            parent_id, reply_to_id, depth = parent.id, parent.id, parent.depth + 1
        else:  # too deep: join the parent's level, remembering whom it answers
            parent_id, reply_to_id, depth = parent.parent_id, parent.id, parent.depth
        who = identity(
            self._context, author=comment.author, email=comment.email, commenter_key=None
        )
        at = comment.created_at
        return {
            "article_id": article_id,
            "parent_id": parent_id,
            "reply_to_id": reply_to_id,
            "depth": depth,
            "author": comment.author,
            "email": comment.email,
            "body": comment.body,
            "state": comment.state.value,
            "featured": False,
            "created_at": at,
            "updated_at": at,
            "editable_until": at,
            "edit_token_hash": IMPORTED_TOKEN,
            "terms_version": NO_TERMS,
            "edited_by_moderator": False,
            "risk": 0.0,
            "assessment": {"risk": 0.0, "action": "hold", "reasons": []},
            "author_key": who.author_key,
            "commenter_hash": who.commenter_hash,
            "email_hash": who.email_hash,
            "import_source": source,
            "import_id": import_id(site, comment.ref),
        }


def import_id(site: Site, ref: str | None) -> str:
    """A comment's id in its source, scoped to the site it is imported into."""
    value = f"{site.id}:{ref}"
    if len(value) <= _IMPORT_ID_MAX:
        return value
    return f"{site.id}:sha256:{hashlib.sha256(str(ref).encode()).hexdigest()}"


def _present(connection: Connection, source: str, ids: list[str]) -> set[str]:
    query = sa.select(comments.c.import_id).where(
        comments.c.import_source == source, one_of(comments.c.import_id, ids)
    )
    return {str(found) for found in connection.execute(query).scalars()}


def _parents(connection: Connection, source: str, ids: list[str]) -> dict[str, _Parent]:
    if not ids:
        return {}
    query = sa.select(
        comments.c.import_id, comments.c.id, comments.c.depth, comments.c.parent_id
    ).where(comments.c.import_source == source, one_of(comments.c.import_id, set(ids)))
    return {
        row.import_id: _Parent(row.id, row.depth, row.parent_id)
        for row in connection.execute(query)
    }


def _bump_articles(connection: Connection, published: Counter[int]) -> None:
    """``bump_article`` for many articles in one statement: new ETags, new counts."""
    if not published:
        return
    statement = (
        articles.update()
        .where(articles.c.id == sa.bindparam("article"))
        .values(
            published_version=articles.c.published_version + 1,
            published_count=articles.c.published_count + sa.bindparam("delta"),
        )
    )
    connection.execute(
        statement, [{"article": aid, "delta": count} for aid, count in published.items()]
    )


def _event(
    at: datetime, comment_id: int, article_id: int, state: State, source: str
) -> dict[str, Any]:
    return {
        "at": at,
        "action": Action.IMPORT.value,
        "actor_kind": ActorKind.SYSTEM.value,
        "moderator_id": None,
        "comment_id": comment_id,
        "article_id": article_id,
        "from_state": None,
        "to_state": state.value,
        "reason": f"imported from {source}",
        "before_text": None,
        "after_text": None,
    }

"""What the Atom feeds show: the newest published comments of an article or a site.

Erased comments are left out entirely (their author asked to be forgotten; a feed
reader would otherwise keep a copy), and so is anything not published. ``version``
changes whenever anything a feed shows changes: it is derived from the articles'
``published_version``, which every decision, edit and erasure bumps.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from commentdesk.desk.context import Context
from commentdesk.errors import NotFound
from commentdesk.model import Article, Comment, Site, State
from commentdesk.store.records import article_from, comment_from, select_comments, site_from
from commentdesk.store.tables import articles, comments, sites

FEED_SIZE = 50


@dataclass(frozen=True, slots=True)
class FeedItem:
    comment: Comment
    article: Article


@dataclass(frozen=True, slots=True)
class FeedData:
    site: Site
    article: Article | None
    items: list[FeedItem]
    version: str


class Feeds:
    def __init__(self, context: Context) -> None:
        self._context = context

    def article(self, key: str) -> FeedData:
        with self._context.store.read() as connection:
            row = connection.execute(sa.select(articles).where(articles.c.key == key)).mappings()
            found = row.first()
            if found is None:
                raise NotFound(f"There is no article {key!r} here.", field="key")
            article = article_from(found)
            site = site_from(
                connection.execute(sa.select(sites).where(sites.c.id == article.site_id))
                .mappings()
                .one()
            )
            query = _published().where(comments.c.article_id == article.id)
            items = [
                FeedItem(comment_from(r), article) for r in connection.execute(query).mappings()
            ]
        version = f"a{article.id}.{article.published_version}"
        return FeedData(site, article, items, version)

    def site(self, slug: str) -> FeedData:
        with self._context.store.read() as connection:
            found = (
                connection.execute(sa.select(sites).where(sites.c.slug == slug)).mappings().first()
            )
            if found is None:
                raise NotFound(f"There is no site {slug!r} here.", field="slug")
            site = site_from(found)
            rows = connection.execute(sa.select(articles).where(articles.c.site_id == site.id))
            by_id = {r["id"]: article_from(r) for r in rows.mappings()}
            query = _published().where(
                comments.c.article_id.in_(
                    sa.select(articles.c.id).where(articles.c.site_id == site.id)
                )
            )
            items = [
                FeedItem(comment_from(r), by_id[r["article_id"]])
                for r in connection.execute(query).mappings()
            ]
        total = sum(a.published_version for a in by_id.values())
        return FeedData(site, None, items, f"s{site.id}.{len(by_id)}.{total}")


def _published() -> sa.Select[tuple[object, ...]]:
    return (
        select_comments()
        .where(comments.c.state == State.APPROVED.value, comments.c.erased_at.is_(None))
        .order_by(comments.c.id.desc())
        .limit(FEED_SIZE)
    )

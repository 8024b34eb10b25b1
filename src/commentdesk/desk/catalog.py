"""Sites and articles: where comments may be posted, and under which policy."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context
from commentdesk.desk.sections import declared
from commentdesk.errors import InvalidInput, NotFound
from commentdesk.model import Article, Moderation, Section, Site
from commentdesk.store.records import (
    article_from,
    get_article,
    get_articles,
    get_site,
    site_from,
)
from commentdesk.store.tables import articles, sites
from commentdesk.validation import clean_article_key, origin_of, strip_unsafe

DEFAULT_TERMS = (
    "Be civil. No personal attacks, hate speech, spam or advertising. Do not share "
    "anyone's private information. Moderators may reject or edit comments that break "
    "these terms, and keep the reason."
)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article a site makes on its first comment, not made yet."""

    site: Site
    key: str
    url: str
    title: str
    #: The declared section the host page named, if any (an unknown name is ignored).
    section: Section | None = None


_ORIGIN = re.compile(r"https?://[^/\s]+")
TITLE_MAX = 300


def origin_allowed(origin: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``origin`` matches one of a site's origins; ``http://host:*`` allows any port."""
    origin = origin.lower()
    for allowed in patterns:
        pattern = allowed.lower()
        if pattern.endswith(":*"):
            base = pattern[:-2]
            if origin == base or (
                origin.startswith(base + ":") and origin[len(base) + 1 :].isdigit()
            ):
                return True
        elif origin == pattern:
            return True
    return False


def clean_title(value: str | None, key: str) -> str:
    """An article's title as shown: one line of text without control or bidi characters,
    at most 300 characters; the key when nothing is left. Titles come from the host
    page (``document.title``), so they are a stranger's text like any other."""
    text = " ".join(strip_unsafe(unicodedata.normalize("NFC", value or "")).split())
    return text[:TITLE_MAX].strip() or key


def is_open(article: Article, now: datetime) -> bool:
    return article.is_open and (article.closes_at is None or now < article.closes_at)


class Catalog:
    def __init__(self, context: Context) -> None:
        self._context = context

    def ensure_site(
        self,
        slug: str,
        *,
        name: str,
        language: str = "en",
        origins: tuple[str, ...] = (),
        moderation: Moderation = Moderation.PRE,
        auto_create_articles: bool = False,
        auto_close_days: int | None = None,
    ) -> Site:
        """The site ``slug``, made with these values if it does not exist yet."""
        for origin in origins:
            if not _ORIGIN.fullmatch(origin):
                raise InvalidInput("origins", f"{origin!r} is not an origin like https://host")
        with self._context.store.write() as connection:
            row = (
                connection.execute(sa.select(sites).where(sites.c.slug == slug)).mappings().first()
            )
            if row is not None:
                return site_from(row)
            connection.execute(
                sites.insert().values(
                    slug=slug,
                    name=name,
                    language=language,
                    origins=list(origins),
                    moderation=moderation.value,
                    terms_text=DEFAULT_TERMS,
                    terms_version=1,
                    auto_close_days=auto_close_days,
                    auto_create_articles=auto_create_articles,
                    created_at=self._context.clock(),
                )
            )
            row = connection.execute(sa.select(sites).where(sites.c.slug == slug)).mappings().one()
            return site_from(row)

    def site(self, site_id: int) -> Site:
        with self._context.store.read() as connection:
            return get_site(connection, site_id)

    def sites(self) -> list[Site]:
        with self._context.store.read() as connection:
            return _all_sites(connection)

    def articles(self) -> list[Article]:
        """Every article, oldest first (``commentdesk publish`` writes each one)."""
        with self._context.store.read() as connection:
            rows = connection.execute(sa.select(articles).order_by(articles.c.id)).mappings()
            return [article_from(row) for row in rows]

    def add_article(
        self, site_slug: str, key: str, *, url: str, title: str, section: str | None = None
    ) -> Article:
        """Creates an article, in the site's section ``section`` if given; raises
        ``InvalidInput`` when the key is taken or the site has no such section."""
        key = clean_article_key(key)
        if origin_of(url) is None:
            raise InvalidInput("url", "The article URL must be an absolute http(s) URL.")
        with self._context.store.write() as connection:
            row = (
                connection.execute(sa.select(sites).where(sites.c.slug == site_slug))
                .mappings()
                .first()
            )
            if row is None:
                raise NotFound(f"There is no site {site_slug!r}.", field="site")
            if get_article(connection, key) is not None:
                raise InvalidInput("key", f"An article with the key {key!r} exists already.")
            site = site_from(row)
            found = declared(connection, site.id, section)
            if section and found is None:
                raise InvalidInput(
                    "section",
                    "The site has no section %(slug)s; declare it first.",
                    slug=section,
                )
            return self._insert(connection, site, key, url, clean_title(title, key), found)

    def _insert(
        self,
        connection: Connection,
        site: Site,
        key: str,
        url: str,
        title: str,
        section: Section | None = None,
    ) -> Article:
        now = self._context.clock()
        # The section's auto-close days, when it sets them, take the place of the site's.
        days = (section.auto_close_days if section else None) or site.auto_close_days
        closes = now + timedelta(days=days) if days else None
        connection.execute(
            articles.insert().values(
                site_id=site.id,
                key=key,
                url=url,
                title=title,
                is_open=True,
                created_at=now,
                closes_at=closes,
                section_id=section.id if section else None,
                published_version=0,
                published_count=0,
            )
        )
        found = get_article(connection, key)
        assert found is not None
        return found

    def article(self, key: str) -> Article:
        """The article ``key``; raises ``NotFound`` with a sentence a reader understands."""
        with self._context.store.read() as connection:
            found = get_article(connection, key)
        if found is None:
            raise NotFound(f"There is no article {key!r} here.", field="key")
        return found

    def resolve(
        self,
        key: str,
        *,
        url: str | None = None,
        title: str | None = None,
        section: str | None = None,
    ) -> Article:
        """The article ``key``; made on first use when a site allows it for this URL's origin."""
        with self._context.store.read() as connection:
            found = self.locate_in(connection, key, url=url, title=title, section=section)
        return found if isinstance(found, Article) else self.create(found)

    def locate_in(
        self,
        connection: Connection,
        key: str,
        *,
        url: str | None = None,
        title: str | None = None,
        section: str | None = None,
    ) -> Article | NewArticle:
        """The article ``key``, or the one a site would make for it; writes nothing.

        A submission checks its limits and bans against what this answers, and only
        then asks for the article to be made: a refused post creates nothing. ``section``
        (the host page's) counts only for an article not made yet, and only when the site
        has declared a section by that slug; any other value is ignored, so a host page
        can neither add sections nor lose a reader's comment over a misspelt one.
        """
        found = get_article(connection, key)
        if found is not None:
            return found
        origin = origin_of(url) if url else None
        if origin is not None:
            clean_article_key(key)
            for site in _all_sites(connection):
                if site.auto_create_articles and origin_allowed(origin, site.origins):
                    named = declared(connection, site.id, section)
                    return NewArticle(site, key, url or "", clean_title(title, key), named)
        raise NotFound(f"There is no article {key!r} here.", field="key")

    def create(self, new: NewArticle) -> Article:
        """Makes the article ``locate_in`` proposed (or answers the one a racing post made)."""
        with self._context.store.write() as connection:
            existing = get_article(connection, new.key)
            if existing is not None:
                return existing
            return self._insert(connection, new.site, new.key, new.url, new.title, new.section)

    def set_open(self, key: str, is_open: bool) -> Article:
        with self._context.store.write() as connection:
            connection.execute(
                articles.update().where(articles.c.key == key).values(is_open=is_open)
            )
            found = get_article(connection, key)
        if found is None:
            raise NotFound(f"There is no article {key!r} here.", field="key")
        return found

    def articles_by_id(self, ids: set[int]) -> dict[int, Article]:
        with self._context.store.read() as connection:
            return get_articles(connection, ids)


def _all_sites(connection: Connection) -> list[Site]:
    rows = connection.execute(sa.select(sites).order_by(sites.c.id)).mappings()
    return [site_from(row) for row in rows]

"""A site's sections, as admins declare them, and the section an article belongs to.

A section has a slug (what host pages and the API name it by), a name, and optional
defaults that take the place of its site's: pre/post moderation, auto-close days, and
terms of use per language (readers of its articles are shown those instead of the
site's; with none, the site's apply).
Only an admin declares sections, at most ``SECTIONS_MAX`` a site, so a host page (a
stranger's request) can only pick one of them, never add one. Each change is one
transaction with its staff event. Sections are renamed, never deleted: articles and
moderators' scopes keep pointing at them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.desk.scope import Scope
from commentdesk.desk.site_settings import clean_days
from commentdesk.desk.site_texts import clean_terms
from commentdesk.errors import Forbidden, InvalidInput, NotFound
from commentdesk.model import Article, Moderation, Moderator, Role, Section
from commentdesk.store.records import get_article, get_site, section_from
from commentdesk.store.tables import articles, sections
from commentdesk.validation import strip_unsafe

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
NAME_MAX = 200
SECTIONS_MAX = 100


def clean_slug(value: str) -> str:
    slug = value.strip().lower()
    if not SLUG.fullmatch(slug):
        raise InvalidInput(
            "slug",
            "A section's slug is 1 to 64 of a-z, 0-9 and '-', starting with a letter "
            "or digit, like 'politics'.",
        )
    return slug


def clean_name(value: str) -> str:
    name = " ".join(strip_unsafe(value).split())
    if not name or len(name) > NAME_MAX:
        raise InvalidInput("name", "A section's name is 1 to %(max)s characters.", max=NAME_MAX)
    return name


def declared(connection: Connection, site_id: int, slug: str | None) -> Section | None:
    """The site's section ``slug``, or None when there is none by that name (or no slug).

    A host page's value: looked up only when it could be a slug, so an oversized or
    odd value costs no query.
    """
    if not slug or not SLUG.fullmatch(slug):
        return None
    row = (
        connection.execute(
            sa.select(sections).where(sections.c.site_id == site_id, sections.c.slug == slug)
        )
        .mappings()
        .first()
    )
    return section_from(row) if row else None


def section_of(connection: Connection, section_id: int | None) -> Section | None:
    if section_id is None:
        return None
    row = connection.execute(sa.select(sections).where(sections.c.id == section_id)).mappings()
    found = row.first()
    return section_from(found) if found else None


def _require_admin(actor: Moderator) -> None:
    if actor.role is not Role.ADMIN:
        raise Forbidden("Only an admin can change sections.")


def _describe(section: Section) -> str:
    moderation = section.moderation.value if section.moderation else "site"
    days = section.auto_close_days or "site"
    return f"slug={section.slug}; name={section.name}; moderation={moderation}; close={days}"


def _terms_record(section: Section) -> str | None:
    """The terms as the audit log keeps them: each language's text under its code;
    None for the site's terms."""
    return "\n\n".join(f"[{lang}]\n{text}" for lang, text in section.terms) or None


class Sections:
    def __init__(self, context: Context) -> None:
        self._context = context

    def of_site(self, site_id: int) -> list[Section]:
        """The site's sections, by name."""
        query = sa.select(sections).where(sections.c.site_id == site_id).order_by(sections.c.name)
        with self._context.store.read() as connection:
            return [section_from(r) for r in connection.execute(query).mappings()]

    def every(self) -> list[Section]:
        """Every section of every site, by site then name (filters and scope forms)."""
        query = sa.select(sections).order_by(sections.c.site_id, sections.c.name)
        with self._context.store.read() as connection:
            return [section_from(r) for r in connection.execute(query).mappings()]

    def visible(self, scope: Scope) -> list[Section]:
        """The sections a moderator of ``scope`` may filter by: every one for ``None``."""
        return [s for s in self.every() if scope is None or scope.allows(s.site_id, s.id)]

    def get(self, section_id: int) -> Section:
        with self._context.store.read() as connection:
            found = section_of(connection, section_id)
        if found is None:
            raise NotFound("There is no such section.", field="section")
        return found

    def add(
        self,
        actor: Moderator,
        site_id: int,
        *,
        slug: str,
        name: str,
        moderation: Moderation | None,
        auto_close_days: int | None,
    ) -> Section:
        """Declares a section; raises ``InvalidInput`` for a bad or taken slug or name."""
        _require_admin(actor)
        values = {
            "site_id": site_id,
            "slug": clean_slug(slug),
            "name": clean_name(name),
            "moderation": moderation.value if moderation else None,
            "auto_close_days": clean_days(auto_close_days, "auto_close_days"),
            "created_at": self._context.clock(),
        }
        try:
            with self._context.store.write() as connection:
                site = get_site(connection, site_id)
                count = connection.execute(
                    sa.select(sa.func.count()).where(sections.c.site_id == site_id)
                ).scalar_one()
                if count >= SECTIONS_MAX:
                    raise InvalidInput(
                        "slug",
                        "A site has at most %(max)s sections; rename one instead.",
                        max=SECTIONS_MAX,
                    )
                new_id = connection.execute(
                    sections.insert().values(values).returning(sections.c.id)
                ).scalar_one()
                added = section_of(connection, new_id)
                assert added is not None
                self._record(connection, actor, StaffAction.SECTION_ADDED, site.slug, added)
        except IntegrityError:
            raise InvalidInput(
                "slug", "This site has a section %(slug)s already.", slug=values["slug"]
            ) from None
        return added

    def update(
        self,
        actor: Moderator,
        section_id: int,
        *,
        name: str,
        moderation: Moderation | None,
        auto_close_days: int | None,
    ) -> Section:
        """Renames a section and sets its defaults (None: the site's). The slug stays:
        host pages name the section by it."""
        _require_admin(actor)
        values = {
            "name": clean_name(name),
            "moderation": moderation.value if moderation else None,
            "auto_close_days": clean_days(auto_close_days, "auto_close_days"),
        }
        with self._context.store.write() as connection:
            before = section_of(connection, section_id)
            if before is None:
                raise NotFound("There is no such section.", field="section")
            connection.execute(sections.update().where(sections.c.id == section_id).values(values))
            after = section_of(connection, section_id)
            assert after is not None
            site = get_site(connection, before.site_id)
            self._record(
                connection, actor, StaffAction.SECTION_CHANGED, site.slug, after, before=before
            )
        return after

    def set_terms(self, actor: Moderator, section_id: int, terms: Mapping[str, str]) -> Section:
        """Sets the section's own terms, ``{language: text}``: one in its site's language
        is required once any is written; all empty gives the site's terms back. Raises
        ``InvalidInput`` naming the field (``terms_<language>``); an unchanged text
        writes nothing."""
        _require_admin(actor)
        with self._context.store.write() as connection:
            before = section_of(connection, section_id)
            if before is None:
                raise NotFound("There is no such section.", field="section")
            site = get_site(connection, before.site_id)
            if any(text and text.strip() for text in terms.values()):
                main, others = clean_terms(terms, site.language)
                written: dict[str, str] | None = {site.language: main, **others}
            else:
                written = None
            if dict(before.terms) == (written or {}):
                return before
            connection.execute(
                sections.update().where(sections.c.id == section_id).values(terms=written)
            )
            after = section_of(connection, section_id)
            assert after is not None
            record_staff_event(
                connection,
                at=self._context.clock(),
                action=StaffAction.SECTION_TERMS,
                moderator_id=actor.id,
                site_id=site.id,
                target=f"{site.slug}/{before.slug}",
                before_text=_terms_record(before),
                after_text=_terms_record(after),
            )
        return after

    def assign(self, actor: Moderator, key: str, slug: str | None) -> Article:
        """Puts the article ``key`` in its site's section ``slug``, or in none (None or "").

        The section's pre/post default applies to comments from now on; the article's
        closing day stays as it is (its own setting on the article's page changes it).
        """
        _require_admin(actor)
        with self._context.store.write() as connection:
            article = get_article(connection, key)
            if article is None:
                raise NotFound(f"There is no article {key!r} here.", field="key")
            section = declared(connection, article.site_id, slug)
            if slug and section is None:
                raise InvalidInput("section", "Choose one of this article's site's sections.")
            section_id = section.id if section else None
            if article.section_id == section_id:
                return article
            connection.execute(
                articles.update().where(articles.c.id == article.id).values(section_id=section_id)
            )
            was = section_of(connection, article.section_id)
            record_staff_event(
                connection,
                at=self._context.clock(),
                action=StaffAction.ARTICLE_SECTION,
                moderator_id=actor.id,
                site_id=article.site_id,
                target=key,
                before_text=was.slug if was else None,
                after_text=section.slug if section else None,
            )
            found = get_article(connection, key)
        assert found is not None
        return found

    def _record(
        self,
        connection: Connection,
        actor: Moderator,
        action: StaffAction,
        site_slug: str,
        section: Section,
        *,
        before: Section | None = None,
    ) -> None:
        now: datetime = self._context.clock()
        record_staff_event(
            connection,
            at=now,
            action=action,
            moderator_id=actor.id,
            site_id=section.site_id,
            target=f"{site_slug}/{section.slug}",
            before_text=_describe(before) if before else None,
            after_text=_describe(section),
        )

"""Per-site and per-article policy, as admins change it in the console.

A site has its pre- or post-moderation default, auto-close days, embed origins,
reject and edit reasons and terms of use per language (``site_texts``), and a ban
policy. Changing the terms text in any language makes a new version, one number across
languages (the old ones are kept in ``terms_versions``; each comment records the version
its author accepted). An article can be opened or closed, close after N days, and
override its site's pre/post setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import sitetexts
from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.bans import HOLD, REFUSE, site_ban_policy
from commentdesk.desk.context import Context
from commentdesk.desk.site_texts import ReasonDraft, clean_reasons, clean_terms, languages
from commentdesk.errors import Forbidden, InvalidInput, NotFound
from commentdesk.model import Article, Moderation, Moderator, Role, Site, SiteReason
from commentdesk.store.records import article_from, get_site, site_from
from commentdesk.store.tables import articles, sites, terms_versions

AUTO_CLOSE_MAX = 3650
_ORIGIN = re.compile(r"https?://[^/\s]+")


@dataclass(frozen=True, slots=True)
class SitePolicy:
    site: Site
    ban_policy: str

    @property
    def reject_reasons(self) -> tuple[SiteReason, ...]:
        return self.site.reject_reasons

    @property
    def edit_reasons(self) -> tuple[SiteReason, ...]:
        return self.site.edit_reasons

    @property
    def terms(self) -> dict[str, str]:
        """The current terms by language, the site's own language first."""
        return {self.site.language: self.site.terms_text, **dict(self.site.terms_translations)}


@dataclass(frozen=True, slots=True)
class ArticlePolicy:
    article: Article
    moderation: Moderation | None  # None: the site's setting


@dataclass(frozen=True, slots=True)
class TermsVersion:
    version: int
    text: str  # in the site's language
    created_at: datetime
    translations: tuple[tuple[str, str], ...] = ()


def _require_admin(actor: Moderator) -> None:
    if actor.role is not Role.ADMIN:
        raise Forbidden("Only an admin can change settings.")


def clean_origins(lines: str) -> tuple[str, ...]:
    origins = tuple(dict.fromkeys(x.strip().rstrip("/") for x in lines.split() if x.strip()))
    for origin in origins:
        pattern = origin[:-2] if origin.endswith(":*") else origin
        if not _ORIGIN.fullmatch(pattern):
            raise InvalidInput("origins", f"{origin!r} is not an origin like https://news.example")
    return origins


def clean_days(value: int | None, field: str) -> int | None:
    if value is not None and not 1 <= value <= AUTO_CLOSE_MAX:
        raise InvalidInput(
            field, f"Use a number of days from 1 to {AUTO_CLOSE_MAX}, or leave it empty."
        )
    return value


class SiteSettings:
    def __init__(self, context: Context) -> None:
        self._context = context

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages a site's reasons and terms can be written in."""
        return languages()

    def policy(self, site_id: int) -> SitePolicy:
        with self._context.store.read() as connection:
            row = (
                connection.execute(sa.select(sites).where(sites.c.id == site_id)).mappings().first()
            )
            if row is None:
                raise NotFound("There is no such site.", field="site")
            return SitePolicy(site_from(row), site_ban_policy(connection, site_id))

    def update_site(
        self,
        actor: Moderator,
        site_id: int,
        *,
        moderation: Moderation,
        auto_close_days: int | None,
        origins: str,
        ban_policy: str,
        texts: SiteTextsDraft,
    ) -> SitePolicy:
        """Saves a site's policy; a changed terms text, in any language, becomes the next
        version (one number across languages)."""
        _require_admin(actor)
        values: dict[str, Any] = {
            "moderation": moderation.value,
            "auto_close_days": clean_days(auto_close_days, "auto_close_days"),
            "origins": list(clean_origins(origins)),
        }
        if ban_policy not in (HOLD, REFUSE):
            raise InvalidInput("ban_policy", "Choose to hold or to refuse banned commenters.")
        values["ban_policy"] = ban_policy
        now = self._context.clock()
        with self._context.store.write() as connection:
            site = get_site(connection, site_id)
            values |= _texts_values(texts, site.language)
            terms = Terms(values.pop("terms_text"), values.pop("terms_translations"))
            if terms != Terms(site.terms_text, dict(site.terms_translations)):
                self._new_terms(connection, actor, site, terms, now)
                values |= {
                    "terms_text": terms.text,
                    "terms_translations": terms.translations or None,
                    "terms_version": site.terms_version + 1,
                }
            connection.execute(sites.update().where(sites.c.id == site_id).values(values))
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.SITE_SETTINGS,
                moderator_id=actor.id,
                site_id=site_id,
                target=site.slug,
                after_text=_describe(values),
            )
        return self.policy(site_id)

    def _new_terms(
        self, connection: Connection, actor: Moderator, site: Site, terms: Terms, now: datetime
    ) -> None:
        known = set(
            connection.execute(
                sa.select(terms_versions.c.version).where(terms_versions.c.site_id == site.id)
            ).scalars()
        )
        if site.terms_version not in known:  # keep the version readers accepted until now
            connection.execute(
                terms_versions.insert().values(
                    site_id=site.id,
                    version=site.terms_version,
                    text=site.terms_text,
                    translations=dict(site.terms_translations) or None,
                    created_at=now,
                    moderator_id=None,
                )
            )
        connection.execute(
            terms_versions.insert().values(
                site_id=site.id,
                version=site.terms_version + 1,
                text=terms.text,
                translations=terms.translations or None,
                created_at=now,
                moderator_id=actor.id,
            )
        )
        record_staff_event(
            connection,
            at=now,
            action=StaffAction.TERMS,
            moderator_id=actor.id,
            site_id=site.id,
            target=f"{site.slug} v{site.terms_version + 1}",
            before_text=_terms_record(
                site.language, Terms(site.terms_text, dict(site.terms_translations))
            ),
            after_text=_terms_record(site.language, terms),
        )

    def terms_history(self, site_id: int) -> list[TermsVersion]:
        query = (
            sa.select(terms_versions)
            .where(terms_versions.c.site_id == site_id)
            .order_by(terms_versions.c.version.desc())
        )
        with self._context.store.read() as connection:
            return [
                TermsVersion(
                    r["version"],
                    r["text"],
                    r["created_at"],
                    tuple(sorted((r["translations"] or {}).items())),
                )
                for r in connection.execute(query).mappings()
            ]

    def articles(self, site_id: int, limit: int = 200) -> list[ArticlePolicy]:
        """The site's newest articles with their settings."""
        query = (
            sa.select(articles)
            .where(articles.c.site_id == site_id)
            .order_by(articles.c.id.desc())
            .limit(limit)
        )
        with self._context.store.read() as connection:
            return [_article_policy(r) for r in connection.execute(query).mappings()]

    def article(self, key: str) -> ArticlePolicy:
        with self._context.store.read() as connection:
            row = (
                connection.execute(sa.select(articles).where(articles.c.key == key))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(f"There is no article {key!r} here.", field="key")
        return _article_policy(row)

    def update_article(
        self,
        actor: Moderator,
        key: str,
        *,
        is_open: bool,
        moderation: Moderation | None,
        close_after_days: int | None,
    ) -> ArticlePolicy:
        """Opens or closes an article, sets its closing day and its pre/post override."""
        _require_admin(actor)
        clean_days(close_after_days, "close_after_days")
        now = self._context.clock()
        with self._context.store.write() as connection:
            row = (
                connection.execute(sa.select(articles).where(articles.c.key == key))
                .mappings()
                .first()
            )
            if row is None:
                raise NotFound(f"There is no article {key!r} here.", field="key")
            closes = (
                row["created_at"] + timedelta(days=close_after_days) if close_after_days else None
            )
            values = {
                "is_open": is_open,
                "moderation": moderation.value if moderation else None,
                "closes_at": closes,
            }
            connection.execute(articles.update().where(articles.c.key == key).values(values))
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.ARTICLE_SETTINGS,
                moderator_id=actor.id,
                site_id=row["site_id"],
                target=key,
                after_text=_describe(values),
            )
        return self.article(key)


def _article_policy(row: sa.RowMapping) -> ArticlePolicy:
    override = row["moderation"]
    return ArticlePolicy(article_from(row), Moderation(override) if override else None)


@dataclass(frozen=True, slots=True)
class SiteTextsDraft:
    """A site's words as an admin typed them: reasons and terms, per language."""

    reject_reasons: Sequence[ReasonDraft]
    edit_reasons: Sequence[ReasonDraft]
    terms: Mapping[str, str]  # language -> text; the site's language is required


@dataclass(frozen=True, slots=True)
class Terms:
    text: str  # in the site's language
    translations: dict[str, str]


def _texts_values(draft: SiteTextsDraft, language: str) -> dict[str, Any]:
    """The ``sites`` columns for the drafted words, checked (``InvalidInput`` names the
    field)."""
    reject = clean_reasons(draft.reject_reasons, "reject", language)
    edit = clean_reasons(draft.edit_reasons, "edit", language)
    text, translations = clean_terms(draft.terms, language)
    return {
        "reasons": sitetexts.reasons_document(reject, edit),
        "terms_text": text,
        "terms_translations": translations,
    }


def _terms_record(language: str, terms: Terms) -> str:
    """The terms as the audit log keeps them: each language's text under its code."""
    if not terms.translations:
        return terms.text
    every = {language: terms.text, **terms.translations}
    return "\n\n".join(f"[{lang}]\n{body}" for lang, body in every.items())


def _describe(values: Mapping[str, object]) -> str:
    return "; ".join(f"{k}={v}" for k, v in values.items())

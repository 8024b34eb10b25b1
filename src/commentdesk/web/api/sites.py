"""The admins' JSON API for a site's settings: policy, and its reasons and terms per
language (the same values, and the same checks, as the console's site page)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr

from commentdesk.desk import Desk
from commentdesk.desk.site_settings import SitePolicy, SiteTextsDraft
from commentdesk.desk.site_texts import ReasonDraft
from commentdesk.desk.subscribers import SubscriberSetting
from commentdesk.errors import NotFound
from commentdesk.model import Moderation, SiteReason
from commentdesk.subscribers import check_key
from commentdesk.web.api.base import AUTH_ERRORS
from commentdesk.web.api.schemas import _In
from commentdesk.web.deps import AdminDep, DeskDep

router = APIRouter(prefix="/api/v1", tags=["admins"])


class ReasonIO(_In):
    code: StrictStr = Field(
        "",
        description="Stable, stored with each decision: a-z, 0-9 and -, up to 40. Empty for a "
        "new reason: one is made from its sentence in the site's language.",
    )
    texts: dict[StrictStr, StrictStr] = Field(
        description="The sentence per language code (`en`, `ko`); the site's language is "
        "required, a language left out reads the site's language."
    )
    legal: StrictBool = Field(
        False,
        description="The ground is the law (illegal content), not only the terms of use: "
        "the statement of reasons an author is given says so.",
    )

    @classmethod
    def of(cls, reason: SiteReason) -> ReasonIO:
        return cls(code=reason.code, texts=dict(reason.texts), legal=reason.legal)


class SiteSettingsIn(_In):
    """Every field is optional: one left out keeps its value."""

    moderation: Literal["pre", "post"] | None = None
    auto_close_days: StrictInt | None = Field(None, description="1–3650; 0 for never.")
    origins: list[StrictStr] | None = None
    ban_policy: Literal["hold", "refuse"] | None = None
    reject_reasons: list[ReasonIO] | None = Field(
        None, description="The whole list, in order; a code left out is removed."
    )
    edit_reasons: list[ReasonIO] | None = None
    terms: dict[StrictStr, StrictStr] | None = Field(
        None,
        description="The terms of use per language code; the site's language is required. A "
        "change in any language makes the next version (one number across languages).",
    )
    subscriber_algorithm: Literal["HS256", "RS256", "none"] | None = Field(
        None,
        description="Pins how the site's reader tokens are signed: `HS256` (with "
        "`subscriber_key` a shared secret of 32+ characters), `RS256` (with "
        "`subscriber_key` the publisher's RSA public key as PEM), or `none` to stop "
        "vouching. Left out: the key stays as it is.",
    )
    subscriber_key: StrictStr | None = Field(
        None, description="With `subscriber_algorithm`; an HS256 secret is never shown again."
    )


class SiteSettingsOut(BaseModel):
    site: str
    language: str = Field(description="The site's language: where other languages fall back.")
    languages: list[str] = Field(description="The languages a text may be written in.")
    moderation: str
    auto_close_days: int | None
    origins: list[str]
    ban_policy: str
    reject_reasons: list[ReasonIO]
    edit_reasons: list[ReasonIO]
    terms_version: int
    terms: dict[str, str]
    subscriber_algorithm: str | None = Field(
        None, description="`HS256`, `RS256`, or null: the site vouches for no one."
    )
    subscriber_public_key: str | None = Field(None, description="The RS256 public key (PEM).")

    @classmethod
    def of(
        cls, policy: SitePolicy, languages: tuple[str, ...], subscribers: SubscriberSetting
    ) -> SiteSettingsOut:
        site = policy.site
        return cls(
            site=site.slug,
            language=site.language,
            languages=list(languages),
            moderation=site.moderation.value,
            auto_close_days=site.auto_close_days,
            origins=list(site.origins),
            ban_policy=policy.ban_policy,
            reject_reasons=[ReasonIO.of(r) for r in policy.reject_reasons],
            edit_reasons=[ReasonIO.of(r) for r in policy.edit_reasons],
            terms_version=site.terms_version,
            terms=policy.terms,
            subscriber_algorithm=subscribers.algorithm,
            subscriber_public_key=subscribers.public_key,
        )


def _site_id(desk: Desk, slug: str) -> int:
    found = next((site.id for site in desk.catalog.sites() if site.slug == slug), None)
    if found is None:
        raise NotFound("There is no site %(slug)s.", field="site", slug=repr(slug))
    return found


def _drafts(given: list[ReasonIO] | None, kept: tuple[SiteReason, ...]) -> list[ReasonDraft]:
    reasons = given if given is not None else [ReasonIO.of(r) for r in kept]
    return [ReasonDraft(r.code, r.texts, r.legal) for r in reasons]


@router.get("/admin/sites/{site}/settings", response_model=SiteSettingsOut, responses=AUTH_ERRORS)
def read_site_settings(site: str, desk: DeskDep, admin: AdminDep) -> SiteSettingsOut:
    """A site's policy, and its reasons and terms in every language written."""
    site_id = _site_id(desk, site)
    policy = desk.site_settings.policy(site_id)
    return SiteSettingsOut.of(
        policy, desk.site_settings.languages, desk.subscribers.setting(site_id)
    )


@router.put("/admin/sites/{site}/settings", response_model=SiteSettingsOut, responses=AUTH_ERRORS)
def save_site_settings(
    site: str, payload: SiteSettingsIn, desk: DeskDep, admin: AdminDep
) -> SiteSettingsOut:
    """Changes a site's settings (audited, as in the console); a field left out keeps its
    value. A value that breaks a rule answers 422 naming the field."""
    now = desk.site_settings.policy(_site_id(desk, site))
    current = now.site
    pinned = payload.subscriber_algorithm
    if pinned not in (None, "none"):
        check_key(pinned, payload.subscriber_key or "")  # a bad key changes nothing
    days = payload.auto_close_days
    policy = desk.site_settings.update_site(
        admin,
        current.id,
        moderation=Moderation(payload.moderation or current.moderation.value),
        auto_close_days=(days or None) if days is not None else current.auto_close_days,
        origins="\n".join(payload.origins if payload.origins is not None else current.origins),
        ban_policy=payload.ban_policy or now.ban_policy,
        texts=SiteTextsDraft(
            _drafts(payload.reject_reasons, now.reject_reasons),
            _drafts(payload.edit_reasons, now.edit_reasons),
            payload.terms if payload.terms is not None else now.terms,
        ),
    )
    if pinned is not None:
        algorithm = None if pinned == "none" else pinned
        desk.subscribers.save(admin, current.id, algorithm=algorithm, key=payload.subscriber_key)
    subscribers = desk.subscribers.setting(current.id)
    return SiteSettingsOut.of(policy, desk.site_settings.languages, subscribers)

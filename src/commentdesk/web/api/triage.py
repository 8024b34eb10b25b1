"""The moderators' JSON API for triage: near-duplicate clusters, site word lists and
vouched domains and numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StrictInt, StrictStr

from commentdesk.desk import Desk
from commentdesk.desk.clusters import ClusterSummary
from commentdesk.desk.wordlists import LANGUAGES
from commentdesk.errors import InvalidInput, NotFound
from commentdesk.web.api.base import AUTH_ERRORS
from commentdesk.web.api.schemas import _In, _Out
from commentdesk.web.deps import AdminDep, DeskDep, ModeratorDep

router = APIRouter(prefix="/api/v1", tags=["moderators"])


class ClusterOut(_Out):
    id: int
    size: int
    pending: int
    pseudonyms: int
    articles: int
    first_at: datetime
    last_at: datetime
    sample: str

    @classmethod
    def of(cls, summary: ClusterSummary) -> ClusterOut:
        return cls.model_validate(summary)


class ClusterRejectIn(_In):
    reason: StrictStr = Field(description="Kept with every comment's decision.")
    ban_days: StrictInt | None = Field(
        None, description="Also ban every author of the cluster for 1, 7, 30 or 365 days."
    )


class ClusterRejectOut(BaseModel):
    rejected: int
    authors_banned: int


class WordListIn(_In):
    document: StrictStr = Field(description="The word list as JSON (see the moderation guide).")


class WordListOut(BaseModel):
    site: str
    language: str
    document: str


class VouchedIn(_In):
    domains: list[StrictStr] = Field(
        description="Domains whose links are no reason; each covers its subdomains, *.gov a suffix."
    )
    numbers: list[StrictStr] = Field(description="Phone numbers that are no reason (helplines).")


class VouchedOut(BaseModel):
    site: str
    domains: list[str]
    numbers: list[str]


@router.get("/moderation/clusters", response_model=list[ClusterOut], responses=AUTH_ERRORS)
def clusters(
    desk: DeskDep, moderator: ModeratorDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ClusterOut]:
    """Near-duplicate campaigns with comments still pending, the biggest first."""
    return [ClusterOut.of(c) for c in desk.clusters.waiting(moderator, limit=limit)]


@router.post(
    "/moderation/clusters/{cluster_id}/reject",
    response_model=ClusterRejectOut,
    responses=AUTH_ERRORS,
)
def reject_cluster(
    cluster_id: int, payload: ClusterRejectIn, desk: DeskDep, moderator: ModeratorDep
) -> ClusterRejectOut:
    """Rejects every pending comment of a cluster in one action (one event per comment)."""
    outcome = desk.clusters.reject(
        moderator, cluster_id, reason=payload.reason, ban_days=payload.ban_days
    )
    return ClusterRejectOut(rejected=outcome.rejected, authors_banned=outcome.authors_banned)


def _site_id(desk: Desk, slug: str) -> int:
    for site in desk.catalog.sites():
        if site.slug == slug:
            return site.id
    raise NotFound(f"There is no site {slug!r}.", field="site")


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidInput("language", f"Word lists exist for {', '.join(LANGUAGES)}.")
    return language


@router.get(
    "/admin/sites/{site}/wordlists/{language}", response_model=WordListOut, responses=AUTH_ERRORS
)
def read_word_list(site: str, language: str, desk: DeskDep, admin: AdminDep) -> WordListOut:
    """A site's word list for one language, as the JSON document admins edit."""
    document = desk.word_lists.document(_site_id(desk, site), _language(language))
    return WordListOut(site=site, language=language, document=document)


@router.put(
    "/admin/sites/{site}/wordlists/{language}", response_model=WordListOut, responses=AUTH_ERRORS
)
def save_word_list(
    site: str, language: str, payload: WordListIn, desk: DeskDep, admin: AdminDep
) -> WordListOut:
    """Replaces a site's word list for one language; it applies within 30 seconds."""
    site_id = _site_id(desk, site)
    desk.word_lists.save(admin, site_id, _language(language), payload.document)
    document = desk.word_lists.document(site_id, language)
    return WordListOut(site=site, language=language, document=document)


@router.get("/admin/sites/{site}/vouched", response_model=VouchedOut, responses=AUTH_ERRORS)
def read_vouched(site: str, desk: DeskDep, admin: AdminDep) -> VouchedOut:
    """A site's vouched domains and numbers (the starter lists until an admin saves)."""
    lists = desk.vouched.for_site(_site_id(desk, site))
    return VouchedOut(site=site, domains=list(lists.domains), numbers=list(lists.numbers))


@router.put("/admin/sites/{site}/vouched", response_model=VouchedOut, responses=AUTH_ERRORS)
def save_vouched(site: str, payload: VouchedIn, desk: DeskDep, admin: AdminDep) -> VouchedOut:
    """Replaces a site's vouched lists, audited; a bad entry answers 422 naming it."""
    lists = desk.vouched.save(
        admin,
        _site_id(desk, site),
        domains="\n".join(payload.domains),
        numbers="\n".join(payload.numbers),
    )
    return VouchedOut(site=site, domains=list(lists.domains), numbers=list(lists.numbers))

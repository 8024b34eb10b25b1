"""The JSON API's request and response shapes (they also make /openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from commentdesk.desk import QueueItem
from commentdesk.model import Article, Comment, Event, Section


class _In(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class _Out(BaseModel):
    """An answer read straight off the desk's dataclass of the same field names."""

    model_config = ConfigDict(from_attributes=True)


class SubmitIn(_In):
    author: StrictStr = Field(description="A pseudonym, 1–64 characters.")
    body: StrictStr = Field(description="Plain text, 1–5,000 characters.")
    email: StrictStr | None = Field(None, description="Optional; for notifications, never shown.")
    parent_id: StrictInt | None = Field(None, description="The published comment replied to.")
    accept_terms: StrictBool = Field(description="Must be true: the reader accepts the terms.")
    url: StrictStr | None = Field(
        None, description="The article's URL, for sites that create articles on first use."
    )
    title: StrictStr | None = Field(None, description="The article's title, with `url`.")
    section: StrictStr | None = Field(
        None,
        max_length=64,
        description="The slug of one of the site's declared sections, for an article made "
        "by this post; ignored for an existing article and for a slug the site has not "
        "declared.",
    )
    subscriber_token: StrictStr | None = Field(
        None,
        description="A token the publisher's page signed for its signed-in subscriber (JWT, "
        "claims `sub`, `name`, `iat`, `exp`, `aud` = the site's slug; at most 3,072 "
        "characters): the comment is posted under its `name`, marked as a subscriber's, "
        "and `author` is ignored. A bad token answers 422 `subscriber_token_invalid` and "
        "nothing is posted.",
    )


class EditIn(_In):
    body: StrictStr


class ReportIn(_In):
    reason: StrictStr | None = Field(None, description="Why the comment should be reviewed.")


class DecisionIn(_In):
    reason: StrictStr | None = Field(
        None,
        description="Required for reject, edit and a reversal (`from`), unless `reason_code` "
        "is given; with it, the moderator's own words after the site's reason.",
    )
    reason_code: StrictStr | None = Field(
        None,
        description="The code of one of the site's reject reasons (reject) or edit reasons "
        "(edit), as `GET /api/v1/admin/sites/{slug}/settings` lists them. Readers and the "
        "author's mail read its sentence in their own language.",
    )
    body: StrictStr | None = Field(None, description="The new text, for edit.")
    from_: Literal["rejected", "withdrawn"] | None = Field(
        None,
        alias="from",
        description="Reverses a settled decision: approve with `from` set to the state the "
        "comment is in now. 409 `state_changed` if it has left that state.",
    )


class ArticleIn(_In):
    site: StrictStr
    key: StrictStr
    url: StrictStr
    title: StrictStr
    section: StrictStr | None = Field(
        None, description="The slug of one of the site's sections; 422 if it has none such."
    )


class SectionTermsIn(_In):
    terms: dict[StrictStr, StrictStr] = Field(
        description="The section's terms per language code (`en`, `ko`): the site's language "
        "is required once any is given; `{}` (or only empty texts): the site's terms apply."
    )


class ArticleSectionIn(_In):
    section: StrictStr | None = Field(
        description="The slug of one of the article's site's sections, or null for none."
    )


class SubmittedOut(BaseModel):
    id: int
    state: str
    edit_token: str
    editable_until: datetime
    publishes_when_assessed: bool = Field(
        False,
        description="The comment is held only until its automatic assessment, seconds after "
        "this answer, and published then unless the assessment holds it for a moderator "
        "(a post-moderated site or article).",
    )


class OwnCommentOut(BaseModel):
    id: int
    state: str
    body: str
    editable_until: datetime


class PublicCommentOut(_Out):
    id: int
    parent_id: int | None
    reply_to_id: int | None
    depth: int
    author: str
    body: str
    created_at: datetime
    featured: bool
    edited_by_moderator: bool
    edit_reason: str | None = Field(
        description="In the site's language, as stored; `edit_reason_code` names the site's "
        "reason it begins with, if one was chosen."
    )
    edit_reason_code: str | None = None
    #: The author erased their name (``author`` is empty) / the text (``body`` is empty).
    erased: bool = False
    text_removed: bool = False
    subscriber: bool = Field(False, description="The publisher vouched for the author.")

    @classmethod
    def of(cls, comment: Comment) -> PublicCommentOut:
        return cls.model_validate(comment)


class ArticleOut(BaseModel):
    key: str
    title: str
    url: str
    count: int
    open: bool = Field(description="Whether the article still takes comments.")

    @classmethod
    def of(cls, article: Article, *, is_open: bool = True) -> ArticleOut:
        return cls(
            key=article.key,
            title=article.title,
            url=article.url,
            count=article.published_count,
            open=is_open,
        )


class AdminArticleOut(ArticleOut):
    section_id: int | None = Field(description="The article's section, if any.")

    @classmethod
    def of_admin(cls, article: Article) -> AdminArticleOut:
        base = ArticleOut.of(article).model_dump()
        return cls(**base, section_id=article.section_id)


class SectionOut(BaseModel):
    id: int = Field(description="What the queue's `section` parameter takes.")
    site_id: int
    slug: str
    name: str
    moderation: str | None = Field(description='"pre", "post", or None: the site\'s.')
    auto_close_days: int | None = Field(description="None: the site's.")
    terms: dict[str, str] = Field(
        description="Its own terms of use per language code; empty: the site's terms apply."
    )

    @classmethod
    def of(cls, section: Section) -> SectionOut:
        moderation = section.moderation.value if section.moderation else None
        return cls(
            id=section.id,
            site_id=section.site_id,
            slug=section.slug,
            name=section.name,
            moderation=moderation,
            auto_close_days=section.auto_close_days,
            terms=dict(section.terms),
        )


class ThreadOut(BaseModel):
    article: ArticleOut
    comments: list[PublicCommentOut]


class ReasonOut(BaseModel):
    code: str
    message: str


class AssessmentOut(BaseModel):
    risk: float
    action: str
    reasons: list[ReasonOut]


class ModeratedCommentOut(BaseModel):
    id: int
    article: str
    article_title: str | None = None
    section: str | None = Field(None, description="The name of the article's section, if any.")
    parent_id: int | None
    author: str
    body: str
    state: str
    featured: bool
    created_at: datetime
    updated_at: datetime
    decided_by: str | None
    decision_reason: str | None
    decision_reason_code: str | None = None
    edited_by_moderator: bool
    edit_reason: str | None
    edit_reason_code: str | None = None
    reports: int = 0
    assessment: AssessmentOut
    cluster: int | None
    subscriber: bool = False

    @classmethod
    def of(
        cls,
        comment: Comment,
        article_key: str,
        title: str | None = None,
        reports: int = 0,
        section: str | None = None,
    ) -> ModeratedCommentOut:
        assessment = comment.assessment
        return cls(
            id=comment.id,
            article=article_key,
            article_title=title,
            section=section,
            parent_id=comment.parent_id,
            author=comment.author,
            body=comment.body,
            state=comment.state.value,
            featured=comment.featured,
            created_at=comment.created_at,
            updated_at=comment.updated_at,
            decided_by=comment.decided_by,
            decision_reason=comment.decision_reason,
            decision_reason_code=comment.decision_reason_code,
            edited_by_moderator=comment.edited_by_moderator,
            edit_reason=comment.edit_reason,
            edit_reason_code=comment.edit_reason_code,
            reports=reports,
            assessment=AssessmentOut(
                risk=assessment.risk,
                action=assessment.action,
                reasons=[ReasonOut(code=r.code, message=r.message) for r in assessment.reasons],
            ),
            cluster=comment.cluster_id,
            subscriber=comment.subscriber,
        )

    @classmethod
    def of_item(cls, item: QueueItem) -> ModeratedCommentOut:
        return cls.of(
            item.comment, item.article_key, item.article_title, item.reports, item.section
        )


class QueueOut(BaseModel):
    items: list[ModeratedCommentOut]
    next_cursor: str | None


class EventOut(_Out):
    id: int
    at: datetime
    action: str
    actor_kind: str
    actor: str | None
    from_state: str | None
    to_state: str | None
    reason: str | None
    reason_code: str | None = None
    before_text: str | None
    after_text: str | None

    @classmethod
    def of(cls, event: Event) -> EventOut:
        return cls.model_validate(event)

"""The domain's records and vocabularies, as plain immutable values.

Nothing here touches the database or HTTP: the store turns rows into these, the
web layer turns these into HTML or JSON.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class State(enum.StrEnum):
    """Where a comment stands. Only ``approved`` is ever shown to readers."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DELETED = "deleted"


class Action(enum.StrEnum):
    """Everything that can happen to a comment; each one becomes an audit event."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    EDIT = "edit"
    FEATURE = "feature"
    UNFEATURE = "unfeature"
    EDIT_OWN = "edit_own"
    DELETE_OWN = "delete_own"
    REPORT = "report"
    #: Brought in from another comment system (or a JSON Lines export) by `commentdesk import`.
    IMPORT = "import"
    #: The author erased their pseudonym and address (and, if they asked, the text).
    ERASE = "erase"
    #: The retention policy removed the text (or the address) of an old comment.
    PURGE = "purge"
    #: The worker wrote the full assessment (and, post-moderated, published it if allowed).
    ASSESS = "assess"
    #: The author contested a moderator's rejection or edit (a statement of reasons).
    CONTEST = "contest"
    #: A notice of illegal content (EU DSA article 16) was filed against it.
    NOTICE = "notice"


class Role(enum.StrEnum):
    """Admins manage people, sites and settings; moderators moderate."""

    ADMIN = "admin"
    MODERATOR = "moderator"


class Moderation(enum.StrEnum):
    """Pre-moderation holds every comment; post-moderation publishes at once."""

    PRE = "pre"
    POST = "post"


class ActorKind(enum.StrEnum):
    READER = "reader"
    MODERATOR = "moderator"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    slug: str
    name: str
    language: str
    origins: tuple[str, ...]
    moderation: Moderation
    terms_text: str
    terms_version: int
    auto_close_days: int | None
    auto_create_articles: bool
    #: The terms in other languages than ``language`` (whose text is ``terms_text``).
    terms_translations: tuple[tuple[str, str], ...] = ()
    reject_reasons: tuple[SiteReason, ...] = ()
    edit_reasons: tuple[SiteReason, ...] = ()

    def terms_in(self, language: str) -> tuple[str, str]:
        """The terms in ``language`` if written in it, else in the site's language, as
        ``(language, text)`` so the page can say which language the text is in."""
        if language != self.language:
            for code, text in self.terms_translations:
                if code == language:
                    return code, text
        return self.language, self.terms_text


@dataclass(frozen=True, slots=True)
class SiteReason:
    """One of a site's reject or edit reasons: a stable code, a sentence per language."""

    code: str
    texts: tuple[tuple[str, str], ...]  # (language, sentence)
    #: The ground is the law (illegal content), not only the site's terms of use.
    legal: bool = False

    def text(self, language: str, fallback: str) -> str:
        """The sentence in ``language``, else in ``fallback`` (the site's language), else
        the first one written."""
        written = dict(self.texts)
        return written.get(language) or written.get(fallback) or next(iter(written.values()), "")


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    site_id: int
    key: str
    url: str
    title: str
    is_open: bool
    created_at: datetime
    closes_at: datetime | None
    published_count: int
    published_version: int
    #: The site's section it belongs to (``sections.id``); None: no section.
    section_id: int | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a site (politics, sport) declared by an admin. Its own pre/post default
    and auto-close days, when set, take the place of the site's for its articles."""

    id: int
    site_id: int
    slug: str
    name: str
    moderation: Moderation | None
    auto_close_days: int | None
    #: Its own terms of use, ``(language, text)``, one in its site's language among
    #: them; empty: the site's terms apply.
    terms: tuple[tuple[str, str], ...] = ()

    def terms_in(self, language: str, site_language: str) -> tuple[str, str] | None:
        """Its terms in ``language`` if written in it, else in the site's language, as
        ``(language, text)``; None when the section has none of its own."""
        written = dict(self.terms)
        for code in (language, site_language):
            if code in written:
                return code, written[code]
        return None


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind an assessment: a stable code and a sentence for humans."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """What automated triage says about a submission. It routes; it never decides."""

    risk: float = 0.0
    action: str = "hold"
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    article_id: int
    parent_id: int | None
    depth: int
    author: str
    body: str
    state: State
    featured: bool
    created_at: datetime
    updated_at: datetime
    editable_until: datetime
    edited_by_moderator: bool = False
    edit_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    reply_to_id: int | None = None
    assessment: Assessment = field(default_factory=Assessment)
    cluster_id: int | None = None
    #: The author erased their pseudonym (and address): show it without a name.
    erased: bool = False
    #: The text is gone (at the author's request, or by retention): show why, not it.
    text_removed: bool = False
    #: Detected in the text when it was stored: "en", "ko", or "other" / "und" (unsure).
    language: str = ""
    #: The site's reasons chosen (``sitetexts``): readers see them in their language.
    decision_reason_code: str | None = None
    edit_reason_code: str | None = None
    #: The publisher vouched for the author (a signed-in subscriber of its own site).
    subscriber: bool = False


@dataclass(frozen=True, slots=True)
class Moderator:
    id: int
    name: str
    role: Role
    disabled: bool


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the audit log: who did what to which comment, and why."""

    id: int
    at: datetime
    action: Action
    actor_kind: ActorKind
    actor: str | None
    comment_id: int | None
    from_state: State | None
    to_state: State | None
    reason: str | None
    before_text: str | None
    after_text: str | None
    reason_code: str | None = None


@dataclass(frozen=True, slots=True)
class Submitted:
    """The answer to a reader's submission: the secret they need to fix or withdraw it."""

    comment: Comment
    edit_token: str
    #: Post-moderated: the comment is published as soon as its assessment allows it.
    publishes_when_assessed: bool = False

"""The schema, as SQLAlchemy Core tables. Alembic revisions create and change it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

sites = sa.Table(
    "sites",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("origins", sa.JSON, nullable=False),
    sa.Column("moderation", sa.String(8), nullable=False),
    sa.Column("terms_text", sa.Text, nullable=False),
    sa.Column("terms_version", sa.Integer, nullable=False),
    sa.Column("auto_close_days", sa.Integer),
    sa.Column("auto_create_articles", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("closes_at", UTCDateTime),
    # Bumped by every change a reader could see: the thread's ETag is derived from it.
    sa.Column("published_version", sa.Integer, nullable=False),
    sa.Column("published_count", sa.Integer, nullable=False),
)

moderators = sa.Table(
    "moderators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

#: Who a moderator is at the newsroom's identity provider: the ID token's issuer and
#: subject, which never change (a name or an address may). Made or linked at first sign-in.
moderator_identities = sa.Table(
    "moderator_identities",
    metadata,
    sa.Column("issuer", sa.String(300), primary_key=True),
    sa.Column("subject", sa.String(255), primary_key=True),
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id"), nullable=False),
    sa.Column("linked_at", UTCDateTime, nullable=False),
    sa.Index(None, "moderator_id"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.String(100), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
)

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("comments.id")),
    sa.Column("reply_to_id", sa.Integer, sa.ForeignKey("comments.id")),
    sa.Column("depth", sa.Integer, nullable=False),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("featured", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("editable_until", UTCDateTime, nullable=False),
    sa.Column("edit_token_hash", sa.String(64), nullable=False),
    sa.Column("terms_version", sa.Integer, nullable=False),
    sa.Column("edited_by_moderator", sa.Boolean, nullable=False),
    sa.Column("edit_reason", sa.Text),
    sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("moderators.id")),
    sa.Column("decided_at", UTCDateTime),
    sa.Column("decision_reason", sa.Text),
    sa.Column("risk", sa.Float, nullable=False),
    sa.Column("assessment", sa.JSON, nullable=False),
    sa.Column("cluster_id", sa.Integer),
    sa.Index(None, "article_id", "state", "id"),
    sa.Index(None, "state", "created_at", "id"),
    sa.Index(None, "state", "risk", "id"),
    sa.Index(None, "parent_id"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("actor_kind", sa.String(16), nullable=False),
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id")),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id")),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id")),
    sa.Column("from_state", sa.String(16)),
    sa.Column("to_state", sa.String(16)),
    sa.Column("reason", sa.Text),
    sa.Column("before_text", sa.Text),
    sa.Column("after_text", sa.Text),
    # One bulk or campaign action's decisions share it: undo reverts them together.
    sa.Column("batch", sa.String(16)),
    sa.Index(None, "comment_id"),
    sa.Index(None, "at"),
    sa.Index(None, "batch"),
)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "comment_id"),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


# --- The moderation desk (revision 0002) -------------------------------------------------

# Who wrote a comment, as keyed hashes only: bans and "everything from this author" use
# them; the raw commenter key and email never leave the comments row they came with.
comments.append_column(sa.Column("author_key", sa.String(64)))
comments.append_column(sa.Column("commenter_hash", sa.String(64)))
comments.append_column(sa.Column("email_hash", sa.String(64)))
sa.Index(None, comments.c.author_key, comments.c.state)
# The risk queue reads highest risk first, oldest first within a risk: one index, no sort.
sa.Index("ix_comments_state_risk_desc_id", comments.c.state, comments.c.risk.desc(), comments.c.id)
sa.Index("ix_comments_risk_desc_id", comments.c.risk.desc(), comments.c.id)  # the "all" tab
sa.Index(None, comments.c.author, comments.c.state)  # the queue's author filter

reports.append_column(sa.Column("resolved_at", UTCDateTime))
# The "reported" tab finds the open reports (revision 0020) without the resolved ones.
sa.Index(None, reports.c.resolved_at, reports.c.comment_id)

# (``reject_reasons``, a list of sentences, became ``reasons`` in revision 0013.)
sites.append_column(sa.Column("ban_policy", sa.String(8)))
# Vouched domains and numbers (desk/vouched.py); NULL: the shipped starter lists.
sites.append_column(sa.Column("vouched_domains", sa.JSON))
sites.append_column(sa.Column("vouched_numbers", sa.JSON))

articles.append_column(sa.Column("moderation", sa.String(8)))

console_sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id"), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("seen_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Index(None, "moderator_id"),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index(None, "key_hash", "at"),
)

moderator_sites = sa.Table(
    "moderator_sites",
    metadata,
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id"), primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), primary_key=True),
)

bans = sa.Table(
    "bans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column("commenter_hash", sa.String(64)),
    sa.Column("email_hash", sa.String(64)),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id"), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("until", UTCDateTime, nullable=False),
    sa.Column("lifted_at", UTCDateTime),
    sa.Index(None, "commenter_hash"),
    sa.Index(None, "email_hash"),
)

terms_versions = sa.Table(
    "terms_versions",
    metadata,
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id")),
)

# What moderators and admins do besides deciding comments (sign-ins, bans, undo,
# settings, accounts). The console's audit log reads it together with ``events``.
staff_events = sa.Table(
    "staff_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id")),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id")),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id")),
    sa.Column("target", sa.String(200)),
    sa.Column("from_state", sa.String(16)),
    sa.Column("to_state", sa.String(16)),
    sa.Column("reason", sa.Text),
    sa.Column("before_text", sa.Text),
    sa.Column("after_text", sa.Text),
    sa.Index(None, "at"),
    sa.Index(None, "comment_id"),
)


# --- Imports (revision 0003) -----------------------------------------------------------

# Where an imported comment came from ("disqus", "wordpress", "isso") and its id there,
# scoped to the target site. Unique, so re-running an import adds nothing twice; NULL for
# comments written here.
comments.append_column(sa.Column("import_source", sa.String(16)))
comments.append_column(sa.Column("import_id", sa.String(300)))
sa.Index(None, comments.c.import_source, comments.c.import_id, unique=True)


# --- Triage (revision 0004) ------------------------------------------------------------

# MinHash LSH bands of recent comments: one row per (band, comment). A near-duplicate
# lookup is a few index probes on ``band``, the same cost whatever the table's size;
# rows older than the clustering window are purged.
lsh_bands = sa.Table(
    "lsh_bands",
    metadata,
    sa.Column("band", sa.BigInteger, nullable=False),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "band", "created_at"),
    sa.Index(None, "created_at"),
    sa.Index(None, "comment_id"),
)

# Comments stored but not yet fully assessed: the worker's queue (desk/assessor.py). A row
# lives from the submission's transaction to the one that writes the assessment.
assessments_due = sa.Table(
    "assessments_due",
    metadata,
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), primary_key=True),
    #: Published once the assessment allows it (the article or site is post-moderated).
    sa.Column("post_moderated", sa.Boolean, nullable=False),
    sa.Column("due_at", UTCDateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("claim", sa.String(32)),
    sa.Column("claimed_until", UTCDateTime),
    #: What went wrong on the last try: an error's class name, never a comment's text.
    sa.Column("last_error", sa.String(120)),
    sa.Index(None, "due_at"),
)

# A site's own word lists, one JSON document per language (the starter lists otherwise).
word_lists = sa.Table(
    "word_lists",
    metadata,
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), primary_key=True),
    sa.Column("language", sa.String(16), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# A cluster of near-duplicates is named by the id of its first comment.
sa.Index(None, comments.c.cluster_id)
sa.Index(None, comments.c.author_key, comments.c.created_at)
sa.Index(None, comments.c.article_id, comments.c.created_at)

# --- Comment language (revision 0005) -------------------------------------------------

# What triage detected ("en", "ko" or "other"), so queues can be split by language.
comments.append_column(sa.Column("language", sa.String(8)))
sa.Index(None, comments.c.language, comments.c.state)

# --- Notifications and reader rights (revision 0006) ------------------------------------

# An author who erased themselves: the row keeps its place in the thread without a name.
comments.append_column(sa.Column("erased_at", UTCDateTime))
# Why the text is gone: "author" (erasure) or "retention" (purged after N days).
comments.append_column(sa.Column("text_removed", sa.String(16)))

# One row per address that asked for notifications. Mail other than the confirmation is
# sent only once ``confirmed_at`` is set (double opt-in) and never after ``unsubscribed_at``.
subscribers = sa.Table(
    "subscribers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("email_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("confirm_sent_at", UTCDateTime),
    sa.Column("confirmed_at", UTCDateTime),
    sa.Column("unsubscribed_at", UTCDateTime),
)

# A newsroom's endpoints, per site: which events, above which risk, signed with ``secret``.
webhooks = sa.Table(
    "webhooks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("secret", sa.String(64), nullable=False),
    sa.Column("events", sa.JSON, nullable=False),
    sa.Column("risk_threshold", sa.Float, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "site_id"),
)

# Everything to be sent, written in the transaction of the change that causes it and sent
# later by the worker: emails (rendered at send time from ``kind`` and the references) and
# webhook deliveries (``payload`` is the exact JSON body).
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("subscriber_id", sa.Integer, sa.ForeignKey("subscribers.id")),
    sa.Column("webhook_id", sa.Integer, sa.ForeignKey("webhooks.id")),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id")),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("locked_until", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.Index(None, "state", "next_attempt_at"),
    sa.Index(None, "subscriber_id"),
    sa.Index(None, "webhook_id", "id"),
    sa.Index(None, "comment_id"),
)


# --- Campaigns by meaning, learning from moderators (revision 0008) ---------------------

# Which index a band row belongs to: 0 MinHash over characters (``triage/minhash.py``),
# 1 random-hyperplane bands of a sentence vector (``triage/semantic.py``).
lsh_bands.append_column(sa.Column("kind", sa.SmallInteger, nullable=False, server_default="0"))

# A comment's sentence vector (float16, 1 KiB), kept as long as the index keeps its bands
# or a moderator may still reject it: semantic candidates are verified by exact cosine.
embeddings = sa.Table(
    "embeddings",
    metadata,
    sa.Column(
        "comment_id",
        sa.Integer,
        sa.ForeignKey("comments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "created_at"),
)

# Comments a moderator rejected for abuse, threats or spam, as examples of their site: a
# new comment close to them in meaning is flagged. Written with the rejection, removed
# with its undo and with the comment's text (erasure, retention).
exemplars = sa.Table(
    "exemplars",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column(
        "comment_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "site_id", "category", "created_at"),
    sa.Index(None, "comment_id"),
    sa.Index(None, "created_at"),
)


# --- Site words per language (revision 0013) --------------------------------------------

# A site's reject and edit reasons, each a stable code with a sentence per language
# (``commentdesk/sitetexts.py``); NULL: the shipped defaults.
sites.append_column(sa.Column("reasons", sa.JSON))
# The terms of use in languages other than the site's own (``terms_text``): {code: text}.
sites.append_column(sa.Column("terms_translations", sa.JSON))
# The same, as they were at each version: one version number across languages.
terms_versions.append_column(sa.Column("translations", sa.JSON))
# The code of the site's reason a decision, an edit or an event chose, beside its words.
comments.append_column(sa.Column("decision_reason_code", sa.String(40)))
comments.append_column(sa.Column("edit_reason_code", sa.String(40)))
events.append_column(sa.Column("reason_code", sa.String(40)))

# --- Sections (revision 0015) -----------------------------------------------------------

# A site's sections ("politics", "sport"), declared by an admin: an article may belong to
# one; a section may override its site's pre/post default and auto-close days (NULL: the
# site's). Host pages may only name declared sections, so a stranger cannot add any.
sections = sa.Table(
    "sections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
    sa.Column("slug", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("moderation", sa.String(8)),
    sa.Column("auto_close_days", sa.Integer),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("site_id", "slug"),
)

# A moderator's sections, beside ``moderator_sites``: together they are the moderator's
# scope (whole sites, and single sections of other sites); no rows in either: everything.
moderator_sections = sa.Table(
    "moderator_sections",
    metadata,
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("moderators.id"), primary_key=True),
    sa.Column("section_id", sa.Integer, sa.ForeignKey("sections.id"), primary_key=True),
)

articles.append_column(sa.Column("section_id", sa.Integer, sa.ForeignKey("sections.id")))
sa.Index(None, articles.c.section_id)

# --- Subscribers (revision 0018) --------------------------------------------------------

# The key a site checks its readers' subscriber tokens with (``commentdesk/subscribers.py``):
# "HS256" with a shared secret or "RS256" with the publisher's public key (PEM); NULL: the
# site vouches for no one.
sites.append_column(sa.Column("subscriber_algorithm", sa.String(8)))
sites.append_column(sa.Column("subscriber_key", sa.Text))
# True when the publisher vouched for the author; ``author_key`` is then a keyed hash of
# the site and the publisher's subject (never the subject itself). NULL: anonymous.
comments.append_column(sa.Column("subscriber", sa.Boolean))
# --- Statements of reasons: contests (revision 0016) ------------------------------------

# An author contests a moderator's rejection or edit of their comment, once per decision
# (``event_id``, unique); a second moderator upholds or reverses it (``outcome``), the
# reversal being its own decision event (``resolution_event_id``).
contests = sa.Table(
    "contests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False, unique=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("outcome", sa.String(16)),  # NULL while open, "upheld" or "reversed"
    sa.Column("note", sa.Text),
    sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey("moderators.id")),
    sa.Column("reviewed_at", UTCDateTime),
    sa.Column("resolution_event_id", sa.Integer, sa.ForeignKey("events.id")),
    sa.Index(None, "comment_id"),
    sa.Index(None, "outcome", "id"),
)
# --- Section terms (revision 0019) ------------------------------------------------------

# A section's own terms of use, {language: text} with the site's language among them;
# NULL: its site's terms (``desk/sections.py``).
sections.append_column(sa.Column("terms", sa.JSON))
# --- Notices of illegal content (revision 0017) -------------------------------------------

# A notice under the EU Digital Services Act, article 16 (``commentdesk.notices``): open
# while ``decided_at`` is NULL; a moderator's decision on the comment closes it with its
# ``outcome``. The notifier's name and address are personal data: NULL when the notifier
# chose the exemption, and removed by erasure and retention (``notifier_email_hash``, as
# ``comments.email_hash``, finds them for an erasure by address).
notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("law", sa.String(200), nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("exempt", sa.Boolean, nullable=False),
    sa.Column("notifier_name", sa.String(100)),
    sa.Column("notifier_email", sa.String(254)),
    sa.Column("notifier_email_hash", sa.String(64)),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("decided_at", UTCDateTime),
    sa.Column("outcome", sa.String(12)),
    sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("moderators.id")),
    sa.Index(None, "comment_id"),
    sa.Index(None, "decided_at", "comment_id"),
    sa.Index(None, "created_at"),
    sa.Index(None, "notifier_email_hash"),
)

"""The one door: every change to comments, accounts and articles goes through here.

Each method that changes something runs in one transaction with its audit event, so
no change can skip the log. Web code and the CLI parse input and render output; the
desk decides and writes.
"""

from __future__ import annotations

from argon2 import PasswordHasher

from commentdesk.desk.accounts import Accounts
from commentdesk.desk.addresses import AddressHasher
from commentdesk.desk.assessor import Assessor
from commentdesk.desk.audit import Audit
from commentdesk.desk.bans import Bans
from commentdesk.desk.catalog import Catalog
from commentdesk.desk.clusters import Clusters
from commentdesk.desk.comments import Comments, Draft
from commentdesk.desk.contests import Contests
from commentdesk.desk.context import Clock, Context, load_secret, utcnow
from commentdesk.desk.dashboard import Dashboard
from commentdesk.desk.decisions import Decisions
from commentdesk.desk.embedder import load_embedder
from commentdesk.desk.feeds import Feeds
from commentdesk.desk.limits import SubmissionLimits
from commentdesk.desk.notices import Notices
from commentdesk.desk.notifier import Notifier
from commentdesk.desk.preview import Previews
from commentdesk.desk.retention import Retention
from commentdesk.desk.review import QueueItem, QueuePage, Review
from commentdesk.desk.rights import Rights
from commentdesk.desk.screening import Screening
from commentdesk.desk.sections import Sections
from commentdesk.desk.sessions import Sessions
from commentdesk.desk.sign_on import SignOn
from commentdesk.desk.site_settings import SiteSettings
from commentdesk.desk.staff import Staff
from commentdesk.desk.statements import Statements
from commentdesk.desk.subscribers import Subscribers
from commentdesk.desk.subscriptions import Subscriptions
from commentdesk.desk.tally import Tally
from commentdesk.desk.threads import Threads
from commentdesk.desk.vouched import VouchedSettings
from commentdesk.desk.webhooks import Webhooks
from commentdesk.desk.wordlists import WordLists
from commentdesk.egress import Resolver
from commentdesk.notify.webhooks import resolve_system
from commentdesk.settings import Settings
from commentdesk.sso.provider import OpenIdProvider
from commentdesk.store import Store
from commentdesk.throttle import Limiter, RedisLimiter, make_limiter
from commentdesk.triage.classifier import Classifier, load_classifier

__all__ = ["Desk", "Draft", "QueueItem", "QueuePage"]


class Desk:
    """The services, sharing one store, clock and secret."""

    def __init__(
        self,
        context: Context,
        *,
        hasher: PasswordHasher | None = None,
        limiter: Limiter | None = None,
        classifier: Classifier | None = None,
    ) -> None:
        self.context = context
        self.limiter = limiter or make_limiter(context.settings.redis_url)
        self.catalog = Catalog(context)
        self.word_lists = WordLists(context)
        self.screening = Screening(
            context,
            self.word_lists,
            classifier or load_classifier(context.settings.classifier),
            # Loads nothing yet: the worker's first batch loads the model, once per process.
            load_embedder(context.settings.semantic_model),
        )
        self.word_lists.on_change(self.screening.forget)
        # Notifications are outbox rows written in the desk's own transactions.
        self.notifier = Notifier(context)
        # Full assessments, after the 202: the worker (or `serve`'s own loop) runs batches.
        self.assessor = Assessor(context, self.screening, self.notifier)
        self.subscribers = Subscribers(context)  # a site's key for its readers' tokens
        self.comments = Comments(
            context,
            self.catalog,
            SubmissionLimits(context, self.limiter),
            self.screening,
            self.assessor,
            self.notifier,
            self.subscribers,
        )
        self.threads = Threads(context)  # what readers see
        self.moderation = Review(context, self.notifier)
        # Statements of reasons to authors, their one contest, and its second review.
        self.statements = Statements(context)
        self.contests = Contests(context, self.moderation, self.notifier)
        self.accounts = Accounts(context, hasher)
        # The moderation desk (console): sign-in, people, decisions, policy, log, figures.
        # One daily salt for client addresses, forgotten at midnight (desk/addresses.py).
        addresses = AddressHasher(context)
        self.sessions = Sessions(context, self.accounts, addresses)
        self.staff = Staff(context, self.accounts)
        # Single sign-on through the newsroom's OpenID Connect provider, when configured.
        sso = context.settings.oidc_issuer is not None
        provider = OpenIdProvider(context.settings, context.clock) if sso else None
        self.sign_on = SignOn(context, provider)
        self.bans = Bans(context)
        self.decisions = Decisions(context, self.moderation, self.bans)
        self.clusters = Clusters(context, self.bans)
        self.previews = Previews(context)  # what a mass action would touch, asked first
        self.site_settings = SiteSettings(context)
        self.sections = Sections(context)  # a site's sections and an article's section
        self.vouched = VouchedSettings(context, on_change=self.screening.forget)
        self.audit = Audit(context)
        self.dashboard = Dashboard(context)
        self.tally = Tally(context)  # the operators' metrics
        # Readers' mail, the newsroom's webhooks, feeds, and readers' rights.
        self.subscriptions = Subscriptions(context)
        self.webhooks = Webhooks(context)
        self.feeds = Feeds(context)
        self.rights = Rights(context)
        self.notices = Notices(context, self.limiter)  # of illegal content (EU DSA)
        self.retention = Retention(context, addresses)

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        clock: Clock = utcnow,
        store: Store | None = None,
        hasher: PasswordHasher | None = None,
        limiter: Limiter | None = None,
        classifier: Classifier | None = None,
        resolve: Resolver = resolve_system,
    ) -> Desk:
        """Connects to the configured database (already migrated) and loads the secret."""
        store = store or Store(
            settings.database_url,
            busy_timeout_ms=settings.sqlite_busy_timeout_ms,
            statement_timeout_ms=settings.statement_timeout_ms,
        )
        context = Context(store, settings, clock, load_secret(store, settings), resolve)
        return cls(context, hasher=hasher, limiter=limiter, classifier=classifier)

    def schema(self) -> tuple[str | None, str]:
        """The database's schema revision and the one this version needs (``/readyz``);
        raises when the database does not answer."""
        from commentdesk.store.migrate import head_revision, schema_revision  # Alembic, lazily

        with self.context.store.read() as connection:
            return schema_revision(connection), head_revision()

    def close(self) -> None:
        self.context.store.close()
        if self.sign_on.provider is not None:
            self.sign_on.provider.close()
        if isinstance(self.limiter, RedisLimiter):
            self.limiter.close()

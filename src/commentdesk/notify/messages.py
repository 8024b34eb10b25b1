"""The words of each mail, written at send time from what the database says then.

Rendering late means a mail never says something that stopped being true: a decision
undone, a comment erased, an address unsubscribed. ``compose`` answers None with the
reason in those cases, and the worker cancels the delivery instead of sending it.
Templates are plain text (``templates/email/*.txt``, a ``subject`` and a ``body``
block) rendered without HTML escaping, because nothing here is HTML; header safety
is ``notify.mailer``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from gettext import NullTranslations
from typing import Any

import jinja2
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk import sitetexts
from commentdesk.i18n import Catalogs
from commentdesk.model import State
from commentdesk.notify.host import Shared
from commentdesk.notify.mailer import Letter
from commentdesk.notify.outbox import Delivery, MailKind
from commentdesk.notify.tokens import Purpose, sign
from commentdesk.store.tables import articles, comments, contests, notices, sites, subscribers


@dataclass(frozen=True, slots=True)
class Skip:
    """Why a queued mail is no longer to be sent."""

    reason: str


def make_environment(translations: NullTranslations | None = None) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("commentdesk.web", "templates"),
        autoescape=False,  # noqa: S701 - plain-text mail, never HTML  # nosec B701
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
    )
    environment.install_gettext_translations(  # type: ignore[attr-defined]  # added by the i18n extension
        translations or NullTranslations(), newstyle=True
    )
    return environment


#: Which comment state a mail about a comment still needs at send time.
_NEEDS_STATE = {
    MailKind.APPROVED: State.APPROVED,
    MailKind.REJECTED: State.REJECTED,
    MailKind.REPLY: State.APPROVED,
}


class Composer:
    def __init__(self, context: Shared) -> None:
        self._context = context
        self._catalogs = Catalogs.load()
        # One environment per language: the worker may compose for several sites.
        self._environments: dict[str, jinja2.Environment] = {}

    def _environment(self, language: str | None) -> jinja2.Environment:
        chosen = self._catalogs.negotiate(site=language)
        environment = self._environments.get(chosen.code)
        if environment is None:
            environment = make_environment(chosen.translations)
            self._environments[chosen.code] = environment
        return environment

    def compose(self, delivery: Delivery) -> Letter | Skip:
        with self._context.store.read() as connection:
            return self._compose(connection, delivery)

    def _compose(self, connection: Connection, delivery: Delivery) -> Letter | Skip:
        if delivery.kind in (MailKind.NOTICE_RECEIVED, MailKind.NOTICE_DECIDED):
            return self._notice(connection, delivery)
        subscriber = (
            connection.execute(
                sa.select(subscribers).where(subscribers.c.id == delivery.subscriber_id)
            )
            .mappings()
            .first()
        )
        if subscriber is None:
            return Skip("the address was erased")
        kind = delivery.kind
        if subscriber["unsubscribed_at"] is not None and kind != MailKind.RIGHTS:
            return Skip("unsubscribed")
        if kind == MailKind.CONFIRM and subscriber["confirmed_at"] is not None:
            return Skip("confirmed already")
        if kind in _NEEDS_STATE and subscriber["confirmed_at"] is None:
            return Skip("the address is not confirmed")
        variables: dict[str, Any] = {"payload": delivery.payload, "base": self._base}
        language = None
        if delivery.comment_id is not None:
            comment = _comment(connection, delivery.comment_id)
            wanted = _NEEDS_STATE.get(kind)
            if wanted is not None and (comment["state"] != wanted or comment["erased_at"]):
                return Skip("the comment changed since")
            if kind == MailKind.EDITED and not comment["edited_by_moderator"]:
                return Skip("the edit was undone or reversed since")
            variables["comment"] = comment
            language = self._language(kind, comment)
            variables["reason"] = _reason(delivery.payload, comment, language)
            variables["link"] = f"{self._base}/articles/{comment['key']}#comment-{comment['id']}"
            token = sign(self._context.secret, Purpose.STATEMENT, str(comment["id"]))
            variables["statement_url"] = f"{self._base}/statements/{token}"
            variables["contest"] = _contest(connection, comment["id"])
        email_hash = subscriber["email_hash"]
        variables["confirm_url"] = self._link("notifications/confirm", Purpose.CONFIRM, email_hash)
        variables["rights_url"] = self._link("rights/email", Purpose.RIGHTS, email_hash)
        variables["privacy_url"] = f"{self._base}/privacy"
        unsubscribe = self._link("notifications/unsubscribe", Purpose.UNSUBSCRIBE, email_hash)
        variables["unsubscribe_url"] = unsubscribe
        subject, text = self._render(f"email/{kind}.txt", variables, language)
        return Letter(
            to=subscriber["email"], subject=subject, text=text, unsubscribe_url=unsubscribe
        )

    def _notice(self, connection: Connection, delivery: Delivery) -> Letter | Skip:
        """A notifier's receipt or decision: not a subscription (the law asks for both),
        so sent to the notice's own address, in the language of the form they used."""
        row = (
            connection.execute(
                sa.select(
                    notices,
                    articles.c.key,
                    articles.c.title,
                    sites.c.name.label("site_name"),
                    sites.c.language.label("site_language"),
                )
                .join(comments, comments.c.id == notices.c.comment_id)
                .join(articles, articles.c.id == comments.c.article_id)
                .join(sites, sites.c.id == articles.c.site_id)
                .where(notices.c.id == delivery.payload.get("notice_id"))
            )
            .mappings()
            .first()
        )
        if row is None or row["notifier_email"] is None:
            return Skip("the address was erased")
        if delivery.kind == MailKind.NOTICE_DECIDED and row["decided_at"] is None:
            return Skip("the decision was undone")
        language = row["language"] if self._catalogs.get(row["language"]) else None
        variables = {
            "notice": row,
            "link": f"{self._base}/articles/{row['key']}#comment-{row['comment_id']}",
            "privacy_url": f"{self._base}/privacy",
        }
        subject, text = self._render(
            f"email/{delivery.kind}.txt", variables, language or str(row["site_language"])
        )
        return Letter(to=row["notifier_email"], subject=subject, text=text)

    def _language(self, kind: str, comment: sa.RowMapping) -> str:
        """Mail about an author's own comment speaks the language they wrote it in, when
        there is a catalog for it; any other mail speaks the site's language."""
        written = comment["language"]
        own = (MailKind.APPROVED, MailKind.REJECTED, MailKind.EDITED, MailKind.CONTEST_REVIEWED)
        if kind in own and self._catalogs.get(written):
            return str(written)
        return str(comment["site_language"])

    @property
    def _base(self) -> str:
        return (self._context.settings.public_url or "").rstrip("/")

    def _link(self, path: str, purpose: Purpose, email_hash: str) -> str:
        return f"{self._base}/{path}?t={sign(self._context.secret, purpose, email_hash)}"

    def _render(
        self, name: str, variables: dict[str, Any], language: str | None
    ) -> tuple[str, str]:
        template = self._environment(language).get_template(name)
        context = template.new_context(variables)
        subject = "".join(template.blocks["subject"](context)).strip()
        body = "".join(template.blocks["body"](context)).strip() + "\n"
        return subject, body


def _reason(payload: dict[str, Any], comment: sa.RowMapping, language: str) -> str | None:
    """The site's reason for a rejection, in ``language`` (the site's, if not written in
    it). Mail queued before reasons had codes carries the words themselves."""
    code = payload.get("reason_code")
    if not code:
        return payload.get("category")
    site = comment["site_language"]
    kind: sitetexts.Kind = "edit" if payload.get("kind") == "edit" else "reject"
    for reason in sitetexts.reasons_from(comment["site_reasons"], kind):
        if reason.code == code:
            return reason.text(language, site)
    return None  # no longer one of the site's reasons: the mail names none


def _contest(connection: Connection, comment_id: int) -> sa.RowMapping | None:
    """The comment's last reviewed contest, for the mail telling its outcome."""
    query = (
        sa.select(contests.c.outcome, contests.c.note)
        .where(contests.c.comment_id == comment_id, contests.c.outcome.is_not(None))
        .order_by(contests.c.id.desc())
        .limit(1)
    )
    return connection.execute(query).mappings().first()


def _comment(connection: Connection, comment_id: int) -> sa.RowMapping:
    return (
        connection.execute(
            sa.select(
                comments.c.id,
                comments.c.author,
                comments.c.state,
                comments.c.erased_at,
                comments.c.edited_by_moderator,
                comments.c.language,
                articles.c.key,
                articles.c.title,
                sites.c.name.label("site_name"),
                sites.c.language.label("site_language"),
                sites.c.reasons.label("site_reasons"),
            )
            .select_from(
                comments.join(articles, articles.c.id == comments.c.article_id).join(
                    sites, sites.c.id == articles.c.site_id
                )
            )
            .where(comments.c.id == comment_id)
        )
        .mappings()
        .one()
    )

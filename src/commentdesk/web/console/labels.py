"""Names the console shows for values the desk stores as codes: audit actions, actors,
roles, report reasons, and the reasons the system itself wrote into the log.

The log keeps stable codes (``approve``, ``site_settings``, ``risk 0.62: link``); a
moderator reads them in their language: each function returns a ``Message``, which the
templates say in the page's language. A code with no name here (a new one, or one from a
newer version) is shown as stored rather than failing.
"""

from __future__ import annotations

import re

from commentdesk.i18n import N_, Message
from commentdesk.notices import CATEGORY_NAMES

#: Every comment event (``model.Action``) and staff event (``desk.audit.StaffAction``).
ACTIONS = {
    "submit": N_("submitted"),
    "approve": N_("approved"),
    "reject": N_("rejected"),
    "withdraw": N_("withdrawn"),
    "edit": N_("edited"),
    "feature": N_("featured"),
    "unfeature": N_("unfeatured"),
    "edit_own": N_("edited by the author"),
    "delete_own": N_("deleted by the author"),
    "report": N_("reported"),
    "import": N_("imported"),
    "erase": N_("erased at the author's request"),
    "purge": N_("removed by the retention policy"),
    "assess": N_("assessed"),
    "contest": N_("contested by the author"),
    "login": N_("signed in"),
    "login_refused": N_("sign-in refused"),
    "logout": N_("signed out"),
    "password_changed": N_("password changed"),
    "account_added": N_("account added"),
    "account_changed": N_("account changed"),
    "token_created": N_("API token created"),
    "token_revoked": N_("API token revoked"),
    "undo": N_("undone"),
    "ban": N_("banned"),
    "unban": N_("ban lifted"),
    "reports_dismissed": N_("reports dismissed"),
    "site_settings": N_("site settings changed"),
    "article_settings": N_("article settings changed"),
    "terms_changed": N_("terms of use changed"),
    "webhook": N_("webhook changed"),
    "vouched_changed": N_("vouched lists changed"),
    "word_list_changed": N_("word list changed"),
    "account_linked": N_("account linked to the identity provider"),
    "section_added": N_("section added"),
    "section_changed": N_("section changed"),
    "article_section": N_("article moved to a section"),
    "subscriber_key_changed": N_("subscriber token key changed"),
    "contest_upheld": N_("contested decision upheld"),
    "contest_reversed": N_("contested decision reversed"),
    "section_terms": N_("section terms changed"),
    "notice": N_("illegal content notice received"),
    "notice_decided": N_("illegal content notice decided"),
}
#: Who did it, when no moderator did (``model.ActorKind``).
ACTORS = {"reader": N_("reader"), "system": N_("system"), "moderator": N_("moderator")}


#: Triage reason codes (``triage/scoring.py``), as the assessment event lists them.
REASONS = {
    "banned_word": N_("banned word"),
    "suspect_word": N_("suspect word"),
    "banned_spam": N_("banned spam phrase"),
    "suspect_spam": N_("suspect spam phrase"),
    "quoted_word": N_("quoted word"),
    "denied_link": N_("denied link"),
    "shortened_link": N_("shortened link"),
    "ip_link": N_("link to an IP address"),
    "many_links": N_("many links"),
    "new_commenter_link": N_("link in a first comment"),
    "link": N_("link"),
    "contact": N_("contact"),
    "contact_spam": N_("contact with an offer"),
    "duplicate_cluster": N_("campaign"),
    "repeated_text": N_("repeated text"),
    "exemplar_abuse": N_("close to rejected abuse"),
    "exemplar_threat": N_("close to rejected threats"),
    "exemplar_spam": N_("close to rejected spam"),
    "new_commenter": N_("first comment"),
    "commenter_burst": N_("burst from one commenter"),
    "article_burst": N_("burst of new commenters"),
    "reply_pile": N_("replies piling up"),
    "classifier": N_("model"),
    "shouting": N_("shouting"),
    "assessing": N_("being assessed"),
    "assessment_failed": N_("assessment failed"),
}
#: Roles (``model.Role``), and the reasons a reader can give for a report (as the
#: reader's form words them: ``templates/reader/report.html``).
ROLES = {"admin": N_("admin"), "moderator": N_("moderator")}
REPORTS = {
    "spam": N_("Spam or advertising"),
    "abuse": N_("A personal attack or harassment"),
    "hate": N_("Hate speech"),
    "privacy": N_("Someone's private information"),
    "other": N_("Something else"),
}
#: Fixed reasons the desk writes itself (webhooks, readers' rights).
SYSTEM_REASONS = {
    "resumed": N_("resumed"),
    "paused": N_("paused"),
    "retry": N_("retry"),
    "name, address and text removed": N_("name, address and text removed"),
    "name and address removed": N_("name and address removed"),
    "acted": N_("acted on"),  # a notice of illegal content, decided
    "not_acted": N_("not acted on"),
}
_ASSESSED = re.compile(r"risk (\d\.\d\d): (.*)")
_NOTICE = re.compile(r"notice (\d+): (\w+)")


def _named(names: dict[str, str], code: str) -> Message | str:
    name = names.get(code)
    return Message(name) if name else code


def action_name(code: str) -> Message | str:
    """The audit action ``code`` as a moderator reads it."""
    return _named(ACTIONS, code)


def actor_name(actor: str) -> Message | str:
    """A moderator's name as it is; ``reader`` and ``system`` in the moderator's language."""
    return _named(ACTORS, actor)


def role_name(role: str) -> Message | str:
    return _named(ROLES, role)


def report_reason(reason: str | None) -> Message | str:
    """A reader's report reason: a code from the form, or a text from the API as written."""
    return _named(REPORTS, reason or "other")


def notice_category(code: str) -> Message | str:
    """A notice's category (``commentdesk.notices``), as readers and moderators read it."""
    return _named(CATEGORY_NAMES, code)


def logged_reason(action: str, reason: str | None) -> Message | str:
    """The reason the log holds, said in the moderator's language where the system wrote
    it (an assessment's codes, an undo); a moderator's own reason as they wrote it."""
    if not reason:
        return ""
    if action == "assess" and (found := _ASSESSED.fullmatch(reason)):
        codes = [c for c in found.group(2).split(", ") if c != "no reasons"]
        named = [_named(REASONS, code) for code in codes]
        return Message(
            "risk %(risk)s: %(reasons)s",
            risk=found.group(1),
            reasons=_joined(named) if named else Message("no reasons"),
        )
    if action == "undo" and reason.startswith("undo "):
        return Message("undo %(action)s", action=action_name(reason.removeprefix("undo ")))
    if action == "report":
        return report_reason(reason)
    if action == "notice" and (found := _NOTICE.fullmatch(reason)):
        category = notice_category(found.group(2))
        return Message("notice %(id)s: %(category)s", id=found.group(1), category=category)
    if action == "webhook" and reason.startswith("added "):
        return Message("added %(url)s", url=reason.removeprefix("added "))
    return _named(SYSTEM_REASONS, reason)


def _joined(parts: list[Message | str]) -> Message | str:
    """``a, b, c`` as one value: each part said in the page's language."""
    joined: Message | str = parts[0]
    for part in parts[1:]:
        joined = Message("%(list)s, %(item)s", list=joined, item=part)
    return joined

"""The Jinja2 environment: autoescape always on, speaking each page's language, one per app.

Templates say ``{{ _('...') }}`` and ``{% trans %}``; which catalog answers is the
``language`` in the page's context (``commentdesk.web.i18n``), so one environment serves
every language at once. A page rendered without one (a published static thread) is in
English. A ``Message`` printed as it is (an error from the desk) is said in the page's
language too, by ``finalize``; any other text (what readers wrote) is printed untouched.
"""

from __future__ import annotations

from datetime import datetime

import jinja2
from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations
from jinja2.runtime import Context
from starlette.templating import Jinja2Templates

from commentdesk.i18n import SOURCE, Language, Message
from commentdesk.model import Site, SiteReason
from commentdesk.sitetexts import Kind, localized

_ENGLISH = Language(SOURCE, NullTranslations())


def iso(value: datetime) -> str:
    """Machine-readable UTC time for ``<time datetime>``."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _language(context: Context) -> Language:
    found = context.get("language")
    return found if isinstance(found, Language) else _ENGLISH


@jinja2.pass_context
def _gettext(context: Context, message: str) -> str:
    return _language(context).gettext(message)


@jinja2.pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _language(context).ngettext(singular, plural, n)


@jinja2.pass_context
def _pgettext(context: Context, where: str, message: str) -> str:
    return _language(context).pgettext(where, message)


@jinja2.pass_context
def _npgettext(context: Context, where: str, singular: str, plural: str, n: int) -> str:
    return _language(context).npgettext(where, singular, plural, n)


@jinja2.pass_context
def _finalize(context: Context, value: object) -> object:
    if isinstance(value, Message):
        return _language(context).say(value)
    return value


@jinja2.pass_context
def number(context: Context, value: float) -> str:
    """``{{ n|number }}``: grouped as the page's language groups digits."""
    return _language(context).number(value)


@jinja2.pass_context
def when(context: Context, value: datetime) -> str:
    """``{{ t|when }}``: date and minute in UTC, in the page's language."""
    return _language(context).absolute_time(value)


@jinja2.pass_context
def said(context: Context, reason: SiteReason, site_language: str = "") -> str:
    """``{{ reason|said(site.language) }}``: a site's reason in the page's language, else
    in the site's."""
    return reason.text(_language(context).code, site_language)


@jinja2.pass_context
def reason_said(
    context: Context, stored: str | None, code: str | None, site: Site, kind: Kind = "reject"
) -> str | None:
    """``{{ c.edit_reason|reason_said(c.edit_reason_code, site, 'edit') }}``: a stored
    reason in the page's language (``sitetexts.localized``)."""
    reasons = site.edit_reasons if kind == "edit" else site.reject_reasons
    return localized(stored, code, reasons, _language(context).code, site.language)


@jinja2.pass_context
def language_name(context: Context, code: str) -> str:
    """``{{ language_name('ko') }}``: a language's name in the page's language ("Korean",
    "한국어")."""
    try:
        name = Locale.parse(code).get_display_name(_language(context).locale) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def make_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("commentdesk.web", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    environment.filters["iso"] = iso
    environment.filters["number"] = number
    environment.filters["when"] = when
    environment.filters["said"] = said
    environment.globals["language_name"] = language_name
    environment.filters["reason_said"] = reason_said
    return Jinja2Templates(env=environment)

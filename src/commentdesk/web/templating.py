"""The Jinja2 environment: autoescape always on, gettext-ready, one per app."""

from __future__ import annotations

import gettext
from datetime import datetime

import jinja2
from starlette.templating import Jinja2Templates


def iso(value: datetime) -> str:
    """Machine-readable UTC time for ``<time datetime>``."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("commentdesk.web", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Catalogs are plugged in per request by the i18n layer; until then, English as written.
    environment.install_gettext_translations(gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
    environment.filters["iso"] = iso
    return Jinja2Templates(env=environment)

"""A site's words per language: its reject and edit reasons, and its terms of use.

A reason has a stable *code* and a sentence in each language the site wrote one for.
Decisions store the code (``decision_reason_code``, ``edit_reason_code``, the event's
``reason_code``) beside the words in the site's own language, so a reader, an author's
mail and a moderator each read the sentence in their own language, and a language with
no sentence of its own reads the site's language.

Until an admin saves a list, a site has the shipped defaults, whose sentences come from
the catalogs (so they speak every language there is a catalog for).

Pure: no database, no request. ``sites.reasons`` holds the document
``{"reject": [{"code": …, "texts": {"en": …, "ko": …}, "legal": true?}, …], "edit": [...]}``;
``legal`` marks a reason whose ground is the law rather than the terms of use (the
statement of reasons an author is given says which).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from commentdesk.i18n import N_, Catalogs
from commentdesk.model import SiteReason

Kind = Literal["reject", "edit"]
KINDS: tuple[Kind, ...] = ("reject", "edit")

#: What a code looks like: stored with decisions, sent in the API, kept across renames.
CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")

DEFAULT_REASONS: Mapping[Kind, tuple[tuple[str, str], ...]] = {
    "reject": (
        ("off-topic", N_("Off-topic")),
        ("personal-attack", N_("Personal attack")),
        ("hate-speech", N_("Hate speech")),
        ("spam", N_("Spam or advertising")),
        ("private-information", N_("Private information")),
        ("terms", N_("Breaks the terms of use")),
    ),
    "edit": (
        ("private-information", N_("Private information")),
        ("personal-attack", N_("Personal attack")),
        ("link", N_("Link removed")),
        ("terms", N_("Breaks the terms of use")),
    ),
}


def defaults(kind: Kind, catalogs: Catalogs | None = None) -> tuple[SiteReason, ...]:
    """The shipped reasons, with a sentence in every language there is a catalog for."""
    languages = (catalogs or Catalogs.load()).languages.values()
    return tuple(
        SiteReason(code, tuple((lang.code, lang.gettext(text)) for lang in languages))
        for code, text in DEFAULT_REASONS[kind]
    )


@functools.cache
def _shipped(kind: Kind) -> tuple[SiteReason, ...]:
    # Read with every site row (each post reads one): the catalogs never change in a
    # process, so neither do these.
    return defaults(kind)


def reasons_from(document: Mapping[str, Any] | None, kind: Kind) -> tuple[SiteReason, ...]:
    """The site's reasons of ``kind`` as stored, or the defaults when it has none."""
    found = (document or {}).get(kind)
    if not found:
        return _shipped(kind)
    return tuple(
        SiteReason(
            str(entry["code"]),
            tuple((str(k), str(v)) for k, v in entry["texts"].items()),
            legal=bool(entry.get("legal")),
        )
        for entry in found
    )


def reasons_document(
    reject: Iterable[SiteReason], edit: Iterable[SiteReason]
) -> dict[str, list[dict[str, Any]]]:
    """What ``sites.reasons`` stores for these lists."""
    return {
        kind: [
            {"code": r.code, "texts": dict(r.texts)} | ({"legal": True} if r.legal else {})
            for r in reasons
        ]
        for kind, reasons in (("reject", reject), ("edit", edit))
    }


def find(reasons: Iterable[SiteReason], choice: str) -> SiteReason | None:
    """The reason ``choice`` names: by its code, or by its sentence in any language (what
    forms and scripts written before codes send)."""
    return next((r for r in reasons if r.code == choice), None) or next(
        (r for r in reasons if choice in dict(r.texts).values()), None
    )


def compose(sentence: str | None, note: str | None) -> str | None:
    """A reason as words: the chosen sentence, then the moderator's own words."""
    parts = [p.strip() for p in (sentence, note) if p and p.strip()]
    return ": ".join(parts) or None


def localized(
    stored: str | None,
    code: str | None,
    reasons: Iterable[SiteReason],
    language: str,
    site_language: str,
) -> str | None:
    """A stored reason in ``language``: the code's sentence there, then the moderator's
    note as typed. Words whose sentence the site has reworded since (or a reason with
    no code: typed, imported, older than codes) are shown as they were stored."""
    if stored is None or code is None:
        return stored
    reason = next((r for r in reasons if r.code == code), None)
    if reason is None:
        return stored
    said = reason.text(site_language, site_language)
    if stored == said:
        return reason.text(language, site_language)
    if stored.startswith(said + ": "):
        return reason.text(language, site_language) + stored[len(said) :]
    return stored


def slug(text: str, taken: Iterable[str]) -> str:
    """A new code for a reason first written as ``text``: its Latin letters and digits,
    else ``reason``, made unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:32].strip("-") or "reason"
    used = set(taken)
    code, n = base, 2
    while code in used:
        code, n = f"{base}-{n}", n + 1
    return code

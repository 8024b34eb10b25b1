"""Checking a site's reasons and terms per language, as an admin sends them.

The words themselves, their defaults and how a stored reason is read in a language are
``commentdesk.sitetexts``; this module turns what an admin typed (console form or API)
into those values, or refuses it naming the field, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from commentdesk import sitetexts
from commentdesk.errors import InvalidInput
from commentdesk.i18n import N_, Catalogs
from commentdesk.model import SiteReason
from commentdesk.sitetexts import Kind
from commentdesk.validation import strip_unsafe

REASONS_MAX = 20
REASON_LEN = 80
TERMS_MAX = 20_000
_TERMS_SIZE = N_("The terms need 1 to %(limit)s characters.")
_TERMS_LIMIT = f"{TERMS_MAX:,}"


@dataclass(frozen=True, slots=True)
class ReasonDraft:
    """One reason as typed: its code ("" for a new one) and a sentence per language."""

    code: str
    texts: Mapping[str, str]
    legal: bool = False  # the ground is the law, not only the terms of use


def languages() -> tuple[str, ...]:
    """The languages a site can write its words in: those the product speaks."""
    return Catalogs.load().codes


def _language(code: str, field: str) -> str:
    if code not in languages():
        raise InvalidInput(
            field,
            "%(value)s is not one of the languages: %(languages)s.",
            value=code,
            languages=", ".join(languages()),
        )
    return code


def clean_reasons(
    drafts: Sequence[ReasonDraft], kind: Kind, site_language: str
) -> tuple[SiteReason, ...]:
    """The reasons to keep, in the order given: a row with no sentence at all is dropped;
    every kept one needs a sentence in the site's language (other languages fall back to
    it); a new one gets a code made from that sentence. Codes stay as they were."""
    field = f"{kind}_reasons"
    kept: list[SiteReason] = []
    for draft in drafts:
        texts = {
            _language(lang, field): strip_unsafe(text).strip()
            for lang, text in draft.texts.items()
            if text and text.strip()
        }
        if not texts:
            continue
        if not texts.get(site_language):
            raise InvalidInput(
                field,
                "Give every reason a sentence in the site's language (%(language)s).",
                language=site_language,
            )
        if any(len(t) > REASON_LEN for t in texts.values()):
            raise InvalidInput(field, "Keep each reason to %(limit)s characters.", limit=REASON_LEN)
        code = draft.code.strip()
        if code and not sitetexts.CODE.fullmatch(code):
            raise InvalidInput(
                field, "%(value)s is not a reason code (a-z, 0-9 and -).", value=code
            )
        if code in {r.code for r in kept}:
            raise InvalidInput(field, "The code %(value)s is given twice.", value=code)
        code = code or sitetexts.slug(texts[site_language], [r.code for r in kept] + _codes(drafts))
        ordered = sorted(texts.items(), key=lambda item: item[0] != site_language)
        kept.append(SiteReason(code, tuple(ordered), legal=draft.legal))
    if kind == "reject" and not kept:
        raise InvalidInput(field, "Give at least one reject reason.")
    if len(kept) > REASONS_MAX:
        raise InvalidInput(field, "Keep to %(limit)s reasons.", limit=REASONS_MAX)
    return tuple(kept)


def _codes(drafts: Sequence[ReasonDraft]) -> list[str]:
    return [d.code.strip() for d in drafts if d.code.strip()]


def clean_terms(terms: Mapping[str, str], site_language: str) -> tuple[str, dict[str, str]]:
    """The terms in the site's language (required) and the other languages written."""
    texts = {}
    for lang, text in terms.items():
        field = f"terms_{lang}"
        _language(lang, field)
        cleaned = strip_unsafe(text or "").strip()
        if len(cleaned) > TERMS_MAX:
            raise InvalidInput(field, _TERMS_SIZE, limit=_TERMS_LIMIT)
        if cleaned:
            texts[lang] = cleaned
    main = texts.pop(site_language, "")
    if not main:
        raise InvalidInput("terms_" + site_language, _TERMS_SIZE, limit=_TERMS_LIMIT)
    return main, dict(sorted(texts.items()))

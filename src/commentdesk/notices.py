"""Notices of illegal content (EU Digital Services Act, article 16): pure rules, no I/O.

A notice names the content (the comment, known from the form's address), explains why
it is illegal, names the law or country concerned, carries the notifier's name and
address unless the notifier says the offence is one where the law exempts them
(article 16(2)(c): offences against children, Directive 2011/93/EU), and states good
faith. ``check_notice`` checks every field at once before any work is done, so a
stranger's notice costs at most a few bounded string passes.
"""

from __future__ import annotations

import enum
import statistics
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from commentdesk.errors import FieldsInvalid, InvalidInput
from commentdesk.i18n import N_
from commentdesk.model import Action
from commentdesk.validation import clean_email, strip_unsafe

EXPLANATION_MIN = 20
EXPLANATION_MAX = 4000
LAW_MAX = 200
NAME_MAX = 100

#: What the notice says the content breaks, in the form's order, with its name for
#: readers and moderators (a catalog id, said in the page's language).
CATEGORY_NAMES = {
    "hate": N_("Illegal hate speech or incitement to violence"),
    "terrorism": N_("Terrorist content"),
    "child_abuse": N_("Child sexual abuse material or grooming"),
    "defamation": N_("Defamation or insult"),
    "privacy": N_("Unlawful disclosure of private information or images"),
    "threats": N_("Threats, harassment or stalking"),
    "intellectual_property": N_("Infringement of copyright or trade marks"),
    "fraud": N_("Fraud, scams or illegal goods and services"),
    "other": N_("Another offence under the law"),  # named in ``law``
}
CATEGORIES = tuple(CATEGORY_NAMES)
#: Categories whose notifier may stay anonymous (article 16(2)(c)).
EXEMPT_CATEGORIES = frozenset({"child_abuse"})


class Outcome(enum.StrEnum):
    """What became of a notice: the moderator acted on the comment or kept it."""

    ACTED = "acted"
    NOT_ACTED = "not_acted"


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """A notice as typed; ``check_notice`` cleans it."""

    category: str
    law: str
    explanation: str
    name: str
    email: str
    exempt: bool
    good_faith: bool


def _fail(field: str, message: str, **params: object) -> InvalidInput:
    return InvalidInput(field, message, code=None, **params)


def _text(value: str, *, lines: bool) -> str:
    text = strip_unsafe(unicodedata.normalize("NFC", value)).strip()
    return text if lines else " ".join(text.split())


def clean_category(value: str) -> str:
    if value not in CATEGORIES:
        raise _fail("category", "Please choose which kind of illegal content this is.")
    return value


def clean_law(value: str, category: str) -> str:
    """The law or country concerned: free text, required when the category is "other"."""
    text = _text(value[: LAW_MAX * 4], lines=False)
    if len(text) > LAW_MAX:
        raise _fail("law", "Please keep this to %(limit)s characters.", limit=LAW_MAX)
    if not text and category == "other":
        raise _fail("law", "Please name the law, and the country, that this content breaks.")
    return text


def clean_explanation(value: str) -> str:
    """Why the content is illegal: %(min)s to %(max)s characters, newlines kept."""
    text = _text(value[: EXPLANATION_MAX * 4], lines=True)
    if len(text) < EXPLANATION_MIN:
        raise _fail(
            "explanation",
            "Please explain in at least %(limit)s characters why this content is illegal.",
            limit=EXPLANATION_MIN,
        )
    if len(text) > EXPLANATION_MAX:
        raise _fail(
            "explanation",
            "Your explanation is %(length)s characters long; the limit is %(limit)s.",
            length=format(len(text), ","),
            limit=format(EXPLANATION_MAX, ","),
        )
    return text


def clean_name(value: str) -> str:
    text = _text(value[: NAME_MAX * 4], lines=False)
    if not text:
        raise _fail("name", "Please give your name, or choose to stay anonymous if the law allows.")
    if len(text) > NAME_MAX:
        raise _fail("name", "Please keep your name to %(limit)s characters.", limit=NAME_MAX)
    return text


def clean_notifier_email(value: str) -> str:
    address = clean_email(value[:1000])
    if address is None:
        raise _fail("email", "Please give your email address, for the receipt and the decision.")
    return address


def check_notice(draft: NoticeDraft) -> NoticeDraft:
    """The notice with its fields cleaned, or ``FieldsInvalid`` naming every problem.

    An exempt notice (only for ``EXEMPT_CATEGORIES``) keeps no name and no address.
    """
    problems: list[InvalidInput] = []

    def cleaned(clean: Callable[[str], str], value: str) -> str:
        try:
            return clean(value)
        except InvalidInput as exc:
            problems.append(exc)
            return value

    category = cleaned(clean_category, draft.category)
    law = cleaned(lambda v: clean_law(v, category), draft.law)
    explanation = cleaned(clean_explanation, draft.explanation)
    name, email = "", ""
    if draft.exempt and category not in EXEMPT_CATEGORIES:
        problems.append(
            _fail(
                "exempt",
                "Only a notice of child sexual abuse may be sent without a name and address.",
            )
        )
    elif not draft.exempt:
        name = cleaned(clean_name, draft.name)
        email = cleaned(clean_notifier_email, draft.email)
    if not draft.good_faith:
        problems.append(
            _fail(
                "good_faith",
                "Please confirm that you believe, in good faith, that the notice is accurate "
                "and complete.",
            )
        )
    if problems:
        raise FieldsInvalid(problems)
    return replace(
        draft, category=category, law=law, explanation=explanation, name=name, email=email
    )


def outcome_of(action: Action) -> Outcome | None:
    """What a moderator's decision on the comment means for its open notices; None
    for actions that decide nothing (featuring)."""
    if action in (Action.REJECT, Action.WITHDRAW, Action.EDIT):
        return Outcome.ACTED
    if action is Action.APPROVE:
        return Outcome.NOT_ACTED
    return None


def median_hours(pairs: Sequence[tuple[datetime, datetime]]) -> float | None:
    """The median time from receipt to decision, in hours (one decimal); None if none."""
    if not pairs:
        return None
    hours = [(decided - received).total_seconds() / 3600 for received, decided in pairs]
    return round(statistics.median(hours), 1)

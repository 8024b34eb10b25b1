"""The rules a notice of illegal content is checked against before any work (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentdesk.errors import FieldsInvalid
from commentdesk.model import Action
from commentdesk.notices import (
    CATEGORIES,
    EXPLANATION_MAX,
    LAW_MAX,
    NAME_MAX,
    NoticeDraft,
    Outcome,
    check_notice,
    median_hours,
    outcome_of,
)

GOOD = NoticeDraft(
    category="hate",
    law="Germany, §130 StGB",
    explanation="The second sentence calls for violence against a named group.",
    name="Jana Novak",
    email="jana@example.org",
    exempt=False,
    good_faith=True,
)


def problems(draft: NoticeDraft) -> set[str]:
    with pytest.raises(FieldsInvalid) as caught:
        check_notice(draft)
    return set(caught.value.problems)


def test_a_complete_notice_passes_with_its_fields_trimmed() -> None:
    checked = check_notice(replace(GOOD, name="  Jana   Novak ", law=" Germany "))
    assert (checked.name, checked.law) == ("Jana Novak", "Germany")


def test_every_missing_field_is_named_at_once() -> None:
    empty = NoticeDraft("", "", "", "", "", exempt=False, good_faith=False)
    assert problems(empty) == {"category", "explanation", "name", "email", "good_faith"}


def test_good_faith_is_required() -> None:
    assert problems(replace(GOOD, good_faith=False)) == {"good_faith"}


def test_a_short_explanation_is_not_sufficiently_substantiated() -> None:
    assert problems(replace(GOOD, explanation="illegal!")) == {"explanation"}


def test_another_offence_must_name_its_law() -> None:
    assert problems(replace(GOOD, category="other", law="")) == {"law"}


def test_a_notice_of_child_abuse_may_leave_out_name_and_address() -> None:
    checked = check_notice(replace(GOOD, category="child_abuse", exempt=True))
    assert (checked.name, checked.email) == ("", "")


def test_other_notices_may_not_claim_the_exemption() -> None:
    assert problems(replace(GOOD, exempt=True, name="", email="")) == {"exempt"}


def test_a_decision_closes_a_notice_as_acted_on_or_not() -> None:
    assert outcome_of(Action.REJECT) is Outcome.ACTED
    assert outcome_of(Action.WITHDRAW) is Outcome.ACTED
    assert outcome_of(Action.EDIT) is Outcome.ACTED
    assert outcome_of(Action.APPROVE) is Outcome.NOT_ACTED
    assert outcome_of(Action.FEATURE) is None


def test_the_median_time_to_decision_is_in_hours() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    pairs = [(start, start + timedelta(hours=h)) for h in (1, 2, 10)]
    assert median_hours(pairs) == 2.0
    assert median_hours([]) is None


@given(
    category=st.sampled_from([*CATEGORIES, "", "nonsense"]),
    law=st.text(max_size=3 * LAW_MAX),
    explanation=st.text(max_size=3 * EXPLANATION_MAX),
    name=st.text(max_size=3 * NAME_MAX),
    email=st.text(max_size=300),
    exempt=st.booleans(),
    good_faith=st.booleans(),
)
def test_any_notice_is_cleaned_within_bounds_or_refused_by_field(
    category: str,
    law: str,
    explanation: str,
    name: str,
    email: str,
    exempt: bool,
    good_faith: bool,
) -> None:
    draft = NoticeDraft(category, law, explanation, name, email, exempt, good_faith)
    try:
        checked = check_notice(draft)
    except FieldsInvalid as exc:
        refused = set(exc.problems)
    else:
        refused = set()
    assert refused <= {"category", "law", "explanation", "name", "email", "exempt", "good_faith"}
    if refused:
        return
    assert checked.category in CATEGORIES
    assert checked.good_faith
    assert len(checked.law) <= LAW_MAX
    assert len(checked.name) <= NAME_MAX
    assert 20 <= len(checked.explanation) <= EXPLANATION_MAX
    assert bool(checked.email) is not exempt

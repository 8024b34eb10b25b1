"""Statements of reasons and the author's one contest, reviewed by a second moderator
(issue 17, section 4), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from commentdesk.desk import Desk
from commentdesk.desk.audit import AuditQuery, StaffAction
from commentdesk.desk.erasure import BY_AUTHOR, remove_texts
from commentdesk.desk.site_settings import SiteTextsDraft
from commentdesk.desk.site_texts import ReasonDraft
from commentdesk.desk.statements import CONTEST_MAX, clean_contest
from commentdesk.errors import (
    AlreadyContested,
    Conflict,
    InvalidInput,
    SecondReviewRequired,
)
from commentdesk.model import Action, Moderation, Moderator, Role, State
from commentdesk.notify.tokens import LinkInvalid
from commentdesk.store.tables import contests
from tests.support import PASSWORD, submit_comment


@pytest.fixture
def first(desk: Desk, article_key: str) -> Moderator:
    return desk.accounts.add_moderator("first", PASSWORD, Role.ADMIN)


@pytest.fixture
def second(desk: Desk, article_key: str) -> Moderator:
    return desk.accounts.add_moderator("second", PASSWORD, Role.MODERATOR)


def _rejected(desk: Desk, by: Moderator, choice: str = "off-topic", note: str | None = None) -> int:
    comment_id = submit_comment(desk, "Something about another story.")
    desk.decisions.decide(by, comment_id, Action.REJECT, choice=choice, note=note)
    return comment_id


def _contested(desk: Desk, by: Moderator) -> tuple[int, int]:
    comment_id = _rejected(desk, by)
    contest = desk.statements.contest(desk.statements.token(comment_id), "It was on topic.")
    return comment_id, contest.id


def test_a_rejection_states_what_was_decided_on_the_terms_by_a_person(
    desk: Desk, first: Moderator
) -> None:
    comment_id = _rejected(desk, first, note="see the article")
    _, statement = desk.statements.read(desk.statements.token(comment_id), "en")
    assert statement.action is Action.REJECT
    assert statement.reason == "Off-topic: see the article"
    assert statement.legal is False
    assert statement.automated is False
    assert statement.article_key == "a1"
    assert statement.contestable


def test_a_reason_marked_legal_gives_the_law_as_the_ground(desk: Desk, first: Moderator) -> None:
    site_id = desk.catalog.article("a1").site_id
    policy = desk.site_settings.policy(site_id)
    desk.site_settings.update_site(
        first,
        site_id,
        moderation=Moderation.PRE,
        auto_close_days=None,
        origins="",
        ban_policy=policy.ban_policy,
        texts=SiteTextsDraft(
            reject_reasons=[
                ReasonDraft(r.code, dict(r.texts), legal=r.code == "hate-speech")
                for r in policy.reject_reasons
            ],
            edit_reasons=[ReasonDraft(r.code, dict(r.texts)) for r in policy.edit_reasons],
            terms=policy.terms,
        ),
    )
    comment_id = _rejected(desk, first, choice="hate-speech")
    _, statement = desk.statements.read(desk.statements.token(comment_id), "ko")
    assert statement.legal is True
    assert statement.reason == "혐오 표현"


def test_a_comment_flagged_by_triage_says_automated_means_detected_it(
    desk: Desk, first: Moderator
) -> None:
    comment_id = submit_comment(desk, "Buy now http://bit.ly/x", new_commenter=True, assess=True)
    desk.decisions.decide(first, comment_id, Action.REJECT, choice="spam")
    _, statement = desk.statements.read(desk.statements.token(comment_id), "en")
    assert statement.automated is True


def test_a_first_comment_held_only_for_being_new_says_no_automated_means(
    desk: Desk, first: Moderator
) -> None:
    comment_id = submit_comment(
        desk, "A fair point about the budget.", new_commenter=True, assess=True
    )
    [item] = [i for i in desk.moderation.queue().items if i.comment.id == comment_id]
    assert {r.code for r in item.comment.assessment.reasons} == {"new_commenter"}
    desk.decisions.decide(first, comment_id, Action.REJECT, choice="spam")
    _, statement = desk.statements.read(desk.statements.token(comment_id), "en")
    assert statement.automated is False


def test_an_edit_has_a_statement_and_an_undone_rejection_has_none(
    desk: Desk, first: Moderator
) -> None:
    edited = submit_comment(desk, "Call me at 010-1234-5678.")
    desk.decisions.decide(first, edited, Action.EDIT, choice="private-information", body="Call me.")
    _, statement = desk.statements.read(desk.statements.token(edited), "en")
    assert statement.action is Action.EDIT
    undone = _rejected(desk, second_moderator := first)
    desk.decisions.undo(second_moderator)
    with pytest.raises(Exception, match="no statement"):
        desk.statements.read(desk.statements.token(undone), "en")


def test_a_decision_is_contested_once_with_an_event(desk: Desk, first: Moderator) -> None:
    comment_id, _ = _contested(desk, first)
    with pytest.raises(AlreadyContested):
        desk.statements.contest(desk.statements.token(comment_id), "Please, again.")
    actions = [e.action for e in desk.moderation.history(comment_id)]
    assert actions.count(Action.CONTEST) == 1
    _, statement = desk.statements.read(desk.statements.token(comment_id), "en")
    assert statement.contest is not None
    assert statement.contest.outcome is None


def test_a_contest_needs_words_within_the_limit_and_a_true_link(
    desk: Desk, first: Moderator
) -> None:
    comment_id = _rejected(desk, first)
    token = desk.statements.token(comment_id)
    with pytest.raises(InvalidInput):
        desk.statements.contest(token, "   ")
    with pytest.raises(InvalidInput):
        desk.statements.contest(token, "x" * (CONTEST_MAX + 1))
    with pytest.raises(LinkInvalid):
        desk.statements.contest(token[:-2] + "xx", "forged")


def test_the_moderator_who_decided_cannot_review_the_contest(desk: Desk, first: Moderator) -> None:
    comment_id, contest_id = _contested(desk, first)
    with pytest.raises(SecondReviewRequired):
        desk.contests.review(first, contest_id, "reverse", "I was wrong")
    assert desk.moderation.history(comment_id)[-1].action is Action.CONTEST
    assert [c.id for c in desk.contests.open(first)] == [contest_id]


def test_a_second_moderator_reverses_a_rejection_as_a_new_decision(
    desk: Desk, first: Moderator, second: Moderator
) -> None:
    comment_id, contest_id = _contested(desk, first)
    comment = desk.contests.review(second, contest_id, "reverse", "It is on topic.")
    assert comment.state is State.APPROVED
    assert desk.moderation.history(comment_id)[-1].action is Action.APPROVE
    logged = desk.audit.search(AuditQuery(action=StaffAction.CONTEST_REVERSED.value))[0]
    assert [(e.actor, e.comment_id) for e in logged] == [("second", comment_id)]
    _, statement = desk.statements.read(desk.statements.token(comment_id), "en")
    assert statement.contest is not None
    assert statement.contest.outcome == "reversed"
    assert statement.contest.note == "It is on topic."
    assert desk.contests.open(second) == []
    with pytest.raises(Conflict):
        desk.contests.review(second, contest_id, "uphold", "again")


def test_reversing_an_edit_gives_back_the_authors_text(
    desk: Desk, first: Moderator, second: Moderator
) -> None:
    comment_id = submit_comment(desk, "My own words, with a name.")
    desk.decisions.decide(
        first, comment_id, Action.EDIT, choice="private-information", body="Mine."
    )
    contest = desk.statements.contest(desk.statements.token(comment_id), "No name was private.")
    comment = desk.contests.review(second, contest.id, "reverse", "Public figure.")
    assert comment.body == "My own words, with a name."
    assert comment.edited_by_moderator is False  # the page no longer says "edited"
    _, statement = desk.statements.read(desk.statements.token(comment_id), "en")
    assert statement.action is Action.EDIT
    assert statement.contest is not None
    assert statement.contest.outcome == "reversed"


def test_an_upheld_contest_keeps_the_decision_and_logs_the_note(
    desk: Desk, first: Moderator, second: Moderator
) -> None:
    comment_id, contest_id = _contested(desk, first)
    comment = desk.contests.review(second, contest_id, "uphold", "Still off-topic.")
    assert comment.state is State.REJECTED
    logged = desk.audit.search(AuditQuery(action=StaffAction.CONTEST_UPHELD.value))[0]
    assert [(e.reason, e.comment_id) for e in logged] == [("Still off-topic.", comment_id)]
    with desk.context.store.read() as connection:
        row = connection.execute(sa.select(contests.c.outcome, contests.c.reviewed_by_id)).one()
    assert tuple(row) == ("upheld", second.id)


def test_the_transparency_export_counts_statements_and_contests(
    desk: Desk, first: Moderator, second: Moderator
) -> None:
    _, upheld = _contested(desk, first)
    _, reversed_ = _contested(desk, first)
    _rejected(desk, first)
    desk.contests.review(second, upheld, "uphold", "Kept.")
    desk.contests.review(second, reversed_, "reverse", "Changed.")
    month = desk.context.clock().strftime("%Y-%m")
    rows = desk.dashboard.transparency(month, None)
    counted = {
        row[2]: row[4] for row in rows[1:] if row[3] == "" and row[2].startswith(("st", "co"))
    }
    assert counted == {
        "statements": "3",
        "contests": "2",
        "contests_upheld": "1",
        "contests_reversed": "1",
    }


@given(st.text(max_size=CONTEST_MAX + 50))
def test_a_cleaned_contest_is_bounded_and_free_of_control_characters(text: str) -> None:
    try:
        cleaned = clean_contest(text)
    except InvalidInput:
        return
    assert 1 <= len(cleaned) <= CONTEST_MAX
    assert not any(ord(c) < 32 and c != "\n" for c in cleaned)


def test_removing_a_comments_text_removes_the_words_of_its_contest(
    desk: Desk, first: Moderator
) -> None:
    comment_id, _ = _contested(desk, first)
    with desk.context.store.write() as connection:
        remove_texts(connection, [comment_id], why=BY_AUTHOR)
    with desk.context.store.read() as connection:
        assert connection.execute(sa.select(contests.c.text)).scalar_one() == ""
    contest = [e for e in desk.moderation.history(comment_id) if e.action is Action.CONTEST]
    assert contest[0].after_text is None

"""Crowd signals (a first comment, bursts, reply piles) do not drown the text: alone they
stay below the hold threshold and below any comment with a reason in its text."""

from __future__ import annotations

from commentdesk.triage import ClassifierScore, Policy, Signals, Triage, starter_lists
from commentdesk.triage.links import LinkPolicy

POLICY = Policy(moderation="post")
TRIAGE = Triage.from_lists(starter_lists(), policy=POLICY)
AFTER_FLOOD = Signals(new_commenter=True, new_keys_on_article=60, replies_to_parent=12)


def test_an_honest_first_comment_after_a_flood_stays_below_the_hold_threshold() -> None:
    assessment = TRIAGE.assess(
        "Does the drill schedule affect flights out of Incheon?", AFTER_FLOOD
    )
    assert assessment.risk < POLICY.hold_at
    assert assessment.action == "publish"


def test_after_a_flood_an_honest_comment_ranks_below_one_with_a_reason_in_its_text() -> None:
    honest = TRIAGE.assess("The article gets the date wrong: it was 2019.", AFTER_FLOOD)
    rude = TRIAGE.assess("Shut up you idiot.", Signals())
    assert honest.risk < rude.risk


def test_crowd_signals_are_listed_after_the_reasons_from_the_text() -> None:
    assessment = TRIAGE.assess("You idiot.", AFTER_FLOOD)
    codes = [reason.code for reason in assessment.reasons]
    assert codes[0] == "suspect_word" or codes[0] == "banned_word"
    assert set(codes[1:]) == {"new_commenter", "article_burst", "reply_pile"}


def test_beside_a_reason_from_the_text_the_burst_weighs_in_full() -> None:
    alone = TRIAGE.assess("You idiot.", Signals(new_commenter=True))
    burst = TRIAGE.assess("You idiot.", Signals(new_commenter=True, new_keys_on_article=60))
    assert burst.risk > alone.risk + 0.1


def test_a_model_score_below_its_floor_is_no_reason() -> None:
    unsure = Signals(classifier=ClassifierScore("profanity-check", "offensive", 0.63))
    assessment = TRIAGE.assess("Correction: the minister resigned in May, not June.", unsure)
    assert assessment.reasons == ()
    assert assessment.risk == 0.0


def test_a_vouched_domain_link_in_a_first_comment_is_no_reason() -> None:
    text = "Source: https://www.reuters.com/world/asia-pacific/story and https://ohchr.org/en/x"
    assessment = TRIAGE.assess(text, Signals(new_commenter=True))
    assert [reason.code for reason in assessment.reasons] == ["new_commenter"]


def test_a_government_page_under_a_wildcard_suffix_is_vouched() -> None:
    text = "The ministry says so: https://www.unikorea.go.kr/eng and https://travel.state.gov/x"
    assert [r.code for r in TRIAGE.assess(text, Signals(new_commenter=True)).reasons] == [
        "new_commenter"
    ]


def test_three_vouched_links_are_not_many_links() -> None:
    text = "See apnews.com/a, bbc.co.uk/news/b and yna.co.kr/view/c for the same facts."
    assert "many_links" not in {r.code for r in TRIAGE.assess(text).reasons}


def test_an_unvouched_link_in_a_first_comment_is_still_a_reason() -> None:
    assessment = TRIAGE.assess("Look: https://example.net/x", Signals(new_commenter=True))
    assert assessment.reasons[0].code == "new_commenter_link"


def test_an_empty_link_policy_vouches_for_nothing() -> None:
    bare = Triage.from_lists(starter_lists(), links=LinkPolicy(), policy=POLICY)
    assessment = bare.assess("https://www.reuters.com/x", Signals(new_commenter=True))
    assert assessment.reasons[0].code == "new_commenter_link"

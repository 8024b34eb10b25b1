"""Scoring: signals become a risk in [0, 1], sentences for moderators, and an action."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.model import Assessment, Reason
from commentdesk.triage.links import LinkPolicy
from commentdesk.triage.policy import ClassifierScore, Cluster, Policy, Signals
from commentdesk.triage.scoring import Triage, is_shouting, without_text
from commentdesk.triage.wordlists import starter_lists

TRIAGE = Triage.from_lists(starter_lists())
POST = Triage(TRIAGE.matcher, TRIAGE.links, Policy(moderation="post"))


def codes(assessment: Assessment) -> list[str]:
    return [reason.code for reason in assessment.reasons]


def test_a_clean_comment_has_no_reasons_and_is_held_under_pre_moderation() -> None:
    assessment = TRIAGE.assess("Thanks for the clear explanation of the new zoning rules.")
    assert (assessment.risk, assessment.action, assessment.reasons) == (0.0, "hold", ())


def test_a_clean_comment_is_published_under_post_moderation() -> None:
    assert POST.assess("Thanks for the clear explanation.").action == "publish"


def test_a_banned_word_is_a_reason_naming_the_word_and_what_was_typed() -> None:
    assessment = TRIAGE.assess("바보야 씨1발 진짜")
    assert assessment.reasons[0].message == "banned word '씨발' (matched '씨1발', spaced out)"
    assert assessment.action == "flag"


def test_a_particle_attached_word_reads_as_typed() -> None:
    (reason,) = TRIAGE.assess("바보야").reasons
    assert reason.message == "suspect word '바보' (matched '바보야')"


def test_a_banned_word_is_refused_when_the_site_says_so() -> None:
    strict = Triage(TRIAGE.matcher, TRIAGE.links, Policy(refuse_banned=True))
    assert strict.assess("what a f.u.c.k.i.n.g mess").action == "refuse"


def test_spam_phrases_and_link_tricks_are_separate_reasons() -> None:
    assessment = TRIAGE.assess("Make money online! bit.ly/x http://1.2.3.4/y")
    assert codes(assessment) == ["banned_spam", "ip_link", "shortened_link", "link"]


def test_a_denied_domain_is_a_reason_once_however_many_links_point_there() -> None:
    triage = Triage(TRIAGE.matcher, LinkPolicy(denied=frozenset({"spam.ru"})))
    assessment = triage.assess("spam.ru/a spam.ru/b")
    assert codes(assessment) == ["denied_link", "link"]


def test_a_campaign_reason_says_how_many_comments_pseudonyms_and_articles() -> None:
    signals = Signals(cluster=Cluster(size=240, pseudonyms=97, articles=31, minutes=120))
    (reason,) = TRIAGE.assess("Resign now!", signals).reasons
    assert reason.code == "duplicate_cluster"
    assert (
        reason.message == "same text as 240 comments from 97 pseudonyms on 31 articles in 2 hours"
    )


def test_one_earlier_copy_by_the_same_pseudonym_is_only_a_repeat() -> None:
    signals = Signals(cluster=Cluster(size=1, pseudonyms=1, articles=1, minutes=3))
    assert codes(TRIAGE.assess("Resign now!", signals)) == ["repeated_text"]


@pytest.mark.parametrize(
    ("signals", "code"),
    [
        (Signals(new_commenter=True), "new_commenter"),
        (Signals(commenter_recent=9), "commenter_burst"),
        (Signals(new_commenter=True, new_keys_on_article=40), "article_burst"),
        (Signals(replies_to_parent=25), "reply_pile"),
        (Signals(classifier=ClassifierScore("toxic-en", "toxic", 0.9)), "classifier"),
    ],
)
def test_signals_that_need_io_arrive_as_plain_values(signals: Signals, code: str) -> None:
    assert code in codes(TRIAGE.assess("An ordinary comment.", signals))


def test_reasons_are_ordered_by_how_much_they_weigh() -> None:
    signals = Signals(new_commenter=True)
    assert codes(TRIAGE.assess("you idiot, bit.ly/x", signals)) == [
        "shortened_link",
        "suspect_word",
        "new_commenter_link",
        "new_commenter",
    ]


def test_shouting_needs_enough_letters_to_mean_anything() -> None:
    assert is_shouting("THIS IS A DISGRACE AND EVERYONE KNOWS IT")
    assert not is_shouting("NATO and the EU")


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="thresholds"):
        Policy(hold_at=0.8, flag_at=0.5)


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(max_size=80),
    size=st.integers(0, 500),
    recent=st.integers(0, 50),
    probability=st.floats(0, 1),
)
def test_risk_stays_between_zero_and_one_and_the_action_is_known(
    text: str, size: int, recent: int, probability: float
) -> None:
    signals = Signals(
        cluster=Cluster(size, min(size, 9), 1, 5),
        commenter_recent=recent,
        classifier=ClassifierScore("m", "spam", probability),
    )
    assessment = POST.assess(text, signals)
    assert 0.0 <= assessment.risk <= 1.0
    assert assessment.action in {"publish", "hold", "flag", "refuse"}


def test_an_erased_texts_assessment_keeps_its_codes_but_quotes_nothing() -> None:
    assessment = Assessment(
        risk=0.9,
        action="flag",
        reasons=(
            Reason("banned_word", "banned word 'shit' (matched 'sh1t')"),
            Reason("new_commenter_link", "link to spam.example in a first comment"),
            Reason("new_commenter", "first comment"),
        ),
    )
    erased = without_text(assessment)
    assert (erased.risk, erased.action) == (0.9, "flag")
    assert [r.code for r in erased.reasons] == [r.code for r in assessment.reasons]
    assert erased.reasons[2] == Reason("new_commenter", "first comment")
    for piece in ("shit", "sh1t", "spam.example"):
        assert piece not in str(erased.reasons)

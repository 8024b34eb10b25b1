"""Context for matches: innocent compounds are no match, a word inside a longer word is
suspect, a word quoted to report or condemn it is a weak reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.model import Assessment
from commentdesk.triage.matching import Matcher
from commentdesk.triage.mentions import INSIDE, QUOTED
from commentdesk.triage.scoring import Triage
from commentdesk.triage.wordlists import Kind, Mode, starter_lists

ENGLISH, KOREAN = starter_lists()
TRIAGE = Triage.from_lists([ENGLISH, KOREAN])
MATCHER: Matcher = TRIAGE.matcher
INNOCENT_KO = [e.text for e in KOREAN.entries if e.kind is Kind.ALLOWED and e.mode is Mode.WORD]
SUBSTRING_EN = [
    e.text
    for e in ENGLISH.entries
    if e.mode is Mode.SUBSTRING
    and e.kind is Kind.BANNED
    and e.category != "spam"
    and e.text.isalpha()
]


def codes(assessment: Assessment) -> list[str]:
    return [reason.code for reason in assessment.reasons]


@settings(max_examples=200, deadline=None)
@given(
    word=st.sampled_from(INNOCENT_KO),
    particle=st.sampled_from(["", *KOREAN.allowed_suffixes]),
    after=st.sampled_from(["", " 많은 일이 있었다", " 의미", "."]),
)
def test_an_innocent_compound_with_a_case_particle_is_no_match(
    word: str, particle: str, after: str
) -> None:
    assert MATCHER.find(f"그 {word}{particle}{after}") == ()


@pytest.mark.parametrize(
    "text",
    [
        "시발점이 된 사건",
        "시발점에서 출발했다",
        "시발역에서 만나요",
        "시발택시 전시회",
        "병신년에는 많은 일이 있었다",
        "병신년 새해 복 많이 받으세요",
        "병신년생입니다",
        "노래방 십팔번은 뭐예요",
        "우리 집 개가 새끼를 낳았어요",
        "chink in the armor",
    ],
)
def test_well_known_innocent_compounds_are_no_match(text: str) -> None:
    assert MATCHER.find(text) == ()


def test_an_innocent_compound_with_a_vocative_is_an_insult_again() -> None:
    assert [m.entry.text for m in MATCHER.find("이 병신년아")] == ["병신"]


@settings(max_examples=100, deadline=None)
@given(
    word=st.sampled_from(SUBSTRING_EN),
    before=st.sampled_from(["sc", "gra", "bo"]),
    after=st.sampled_from(["ova", "orpe", "tion"]),
)
def test_a_substring_entry_glued_inside_a_longer_word_is_suspect_not_banned(
    word: str, before: str, after: str
) -> None:
    assessment = TRIAGE.assess(f"the {before}{word}{after} hall")
    assert codes(assessment) == ["suspect_word"]
    assert "inside a longer word" in assessment.reasons[0].message


@pytest.mark.parametrize("text", ["motherfuckers", "clusterfuck", "fucking hell", "너병신이야"])
def test_a_word_at_a_word_edge_or_before_an_ending_stays_banned(text: str) -> None:
    assert "banned_word" in codes(TRIAGE.assess(text))
    assert all(match.standing != INSIDE for match in MATCHER.find(text))


@pytest.mark.parametrize(
    "text",
    [
        'Calling her a "bitch" is disgusting and unacceptable.',
        "He used the slur 'faggot' on air.",
        "'병신'이라고 부르는 건 혐오 표현입니다.",
        "기자를 “개새끼”라고 부른 건 명백한 욕설입니다",
    ],
)
def test_a_word_quoted_to_report_or_condemn_it_is_a_weak_reason(text: str) -> None:
    assessment = TRIAGE.assess(text)
    assert codes(assessment) == ["quoted_word"]
    assert assessment.action == "hold"
    assert assessment.risk < 0.5
    assert all(match.standing == QUOTED for match in MATCHER.find(text))


@pytest.mark.parametrize(
    "text",
    [
        "You are a 'bitch' and everyone knows it.",  # quoted, but no report or condemnation
        "Calling you a bitch is fair.",  # condemnation cue, but no quotation marks
        "I don't care, you're a bitch, it's said.",  # apostrophes are not quotation marks
    ],
)
def test_a_quote_without_a_cue_or_a_cue_without_a_quote_is_a_use(text: str) -> None:
    assert "banned_word" in codes(TRIAGE.assess(text))


def test_a_quoted_word_used_again_outright_counts_in_full() -> None:
    text = "Calling her a 'bitch' is disgusting. You bitch."
    assert codes(TRIAGE.assess(text)) == ["banned_word"]

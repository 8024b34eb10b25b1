"""The matcher finds listed words however they are disguised, and nothing in clean text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentdesk.triage.matching import Match, Matcher
from commentdesk.triage.wordlists import Entry, Kind, Mode, WordList, load_starter
from tests.triage.obfuscate import hangul_disguise, latin_disguise

ENGLISH = load_starter("en")
KOREAN = load_starter("ko")
MATCHER = Matcher([ENGLISH, KOREAN])
SEVERITY = {Kind.ALLOWED: 0, Kind.SUSPECT: 1, Kind.BANNED: 2}
LISTED_EN = [e for e in ENGLISH.entries if e.kind is not Kind.ALLOWED]
LISTED_KO = [e for e in KOREAN.entries if e.kind is not Kind.ALLOWED]
CONTEXT_EN = [
    ("I think", "right now."),
    ("Honestly,", "again!"),
    ("Look:", "and that is it"),
    ("", ""),
]
CONTEXT_KO = [("정말", "같은 소리 하네"), ("기사 쓴 사람", "진짜"), ("", "ㅋㅋ"), ("", "")]

CLEAN_SENTENCES = [
    "The class assessment was passed by the Scunthorpe council on Tuesday.",
    "Shiitake mushrooms and spicy noodles are on the menu at the Essex cafe.",
    "Analysts assume the cocktail of tariffs will hurt the bass fishing industry.",
    "I am a teacher and I assess the classic texts with my class.",
    "He said: I a m not sure, but the passage is clear.",
    "Hello world, this is a document about Middlesex grass and therapists.",
    "Sussex, Hancock and Penistone all voted to keep the library open.",
    "The title of the therapist's book is 'Shell Shock'.",
    "Please fix the typo in 'principal'. Thanks!",
    "Was it a cat I saw? The U.S.A. and the U.K. signed the deal.",
    "Scrapes, grapes and capes: the village fete had everything.",
    "시발점이 된 사건을 자세히 설명해 주셔서 감사합니다.",
    "새끼손가락을 다쳐서 병원에 다녀왔어요.",
    "무시 발언 논란에 대한 해명이 필요합니다.",
    "우리 집 시바견이 더위를 많이 타요.",
    "이 사람 저 사람 다 같은 말을 하네요.",
    "오늘 날씨가 정말 좋네요 ㅎㅎ 산책 가야겠어요 ㅋㅋ",
    "ㅇㅇ 맞아요 ㄱㅅ 합니다",
    "바로 보도해 주셔서 감사합니다.",
    "개인적으로 이 정책은 재검토가 필요하다고 봅니다.",
    "그 시장은 발표에서 예산 문제를 언급했다.",
    "김 씨는 발언 후 자리를 떠났다.",
]


def found(text: str, entry: Entry, start: int, end: int) -> list[Match]:
    """Matches at least as severe as ``entry`` overlapping ``text[start:end]``."""
    return [
        m
        for m in MATCHER.find(text)
        if m.start < end and start < m.end and SEVERITY[m.entry.kind] >= SEVERITY[entry.kind]
    ]


def embed(word: str, context: tuple[str, str]) -> tuple[str, int, int]:
    before = context[0] + " " if context[0] else ""
    after = " " + context[1] if context[1] else ""
    return before + word + after, len(before), len(before) + len(word)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), entry=st.sampled_from(LISTED_EN), context=st.sampled_from(CONTEXT_EN))
def test_every_english_entry_is_found_through_random_disguises(
    data: st.DataObject, entry: Entry, context: tuple[str, str]
) -> None:
    word = data.draw(latin_disguise(entry.text), label="disguised")
    text, start, end = embed(word, context)
    assert found(text, entry, start, end), f"{entry.text!r} not found in {text!r}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), entry=st.sampled_from(LISTED_KO), context=st.sampled_from(CONTEXT_KO))
def test_every_korean_entry_is_found_through_random_disguises(
    data: st.DataObject, entry: Entry, context: tuple[str, str]
) -> None:
    word = data.draw(hangul_disguise(entry, KOREAN), label="disguised")
    text, start, end = embed(word, context)
    assert found(text, entry, start, end), f"{entry.text!r} not found in {text!r}"


@pytest.mark.parametrize("sentence", CLEAN_SENTENCES)
def test_clean_sentences_match_nothing(sentence: str) -> None:
    assert MATCHER.find(sentence) == ()


@pytest.mark.parametrize(
    ("text", "word", "matched"),
    [
        ("바보야 정신 차려", "바보", "바보야"),
        ("ㅂㅏㅂㅗ야", "바보", "ㅂㅏㅂㅗ야"),
        ("ㅅㅂ 이게 뭐야", "시발", "ㅅㅂ"),
        ("스 팸 아니고 씨1발", "씨발", "씨1발"),
        ("정말 온라인카지1노 같은", "온라인카지노", "온라인카지1노"),
        ("what a f.u.c.k.i.n.g mess", "fuck", "f.u.c.k"),
        ("you are an а$$hole", "asshole", "а$$hole"),
        ("CLICK   HERE now", "click here", "CLICK   HERE"),
    ],
)
def test_a_match_reports_the_rule_and_the_span_as_typed(text: str, word: str, matched: str) -> None:
    match = next(m for m in MATCHER.find(text) if m.entry.text == word)
    assert match.matched == matched
    assert text[match.start : match.end] == matched


def test_whole_word_entries_do_not_match_inside_other_words() -> None:
    assert MATCHER.find("as a class, we assess") == ()


def test_repeat_counts_keep_short_words_apart() -> None:
    assert [m.entry.text for m in MATCHER.find("asss!")] == ["ass"]
    assert MATCHER.find("as") == ()


def test_an_allowed_entry_silences_the_match_inside_it() -> None:
    assert MATCHER.find("시발점") == ()
    assert [m.entry.text for m in MATCHER.find("시발놈")] == ["시발"]


def test_the_more_severe_of_two_overlapping_entries_wins() -> None:
    (match,) = MATCHER.find("니애미")
    assert match.entry.text == "니애미"


def test_initials_in_a_stoplist_are_not_abbreviations() -> None:
    wordlist = WordList("ko", (Entry("바보", Kind.SUSPECT),), choseong_stoplist=("ㅂㅂ",))
    assert Matcher([wordlist]).find("ㅂㅂ 내일 봐") == ()


def test_a_site_list_can_add_a_substring_entry() -> None:
    wordlist = WordList("en", (Entry("grift", Kind.SUSPECT, Mode.SUBSTRING),))
    (match,) = Matcher([wordlist]).find("Another GR1FTER in office")
    assert (match.matched, match.language) == ("GR1FT", "en")


def test_a_phrase_matches_across_punctuation() -> None:
    (match,) = MATCHER.find("Kill... yourself")
    assert match.entry.text == "kill yourself"

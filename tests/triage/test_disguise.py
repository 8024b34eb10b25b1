"""The disguised view finds listed words through keyboard, pun, look-alike, stretch and
swap disguises, and adds nothing to clean text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentdesk.triage.hangul import SYLLABLE_FIRST, SYLLABLE_LAST, is_syllable
from commentdesk.triage.keyboard import decode
from commentdesk.triage.wordlists import Entry, Kind, starter_lists
from tests.triage.disguises import (
    keystrokes,
    lookalike,
    lookalike_positions,
    stretched,
    swapped,
)
from tests.triage.test_matching import CLEAN_SENTENCES, MATCHER, embed, found

ENGLISH, KOREAN = starter_lists()
HANGUL_ENTRIES = [
    e
    for e in KOREAN.entries
    if e.kind is not Kind.ALLOWED and all(is_syllable(char) for char in e.text)
]
LISTED_EN = [e for e in ENGLISH.entries if e.kind is not Kind.ALLOWED]
CONTEXT_KO = [("야", "진짜"), ("기사 쓴 사람", "같네"), ("", "")]
CONTEXT_EN = [("you are a", "honestly"), ("", "!"), ("Look:", "")]
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_found(word: str, entry: Entry, context: tuple[str, str]) -> None:
    text, start, end = embed(word, context)
    assert found(text, entry, start, end), f"{entry.text!r} not found in {text!r}"


@EXAMPLES
@given(entry=st.sampled_from(HANGUL_ENTRIES), context=st.sampled_from(CONTEXT_KO))
def test_every_korean_entry_is_found_typed_on_an_english_keyboard(
    entry: Entry, context: tuple[str, str]
) -> None:
    assert_found(keystrokes(entry.text), entry, context)


@EXAMPLES
@given(data=st.data(), entry=st.sampled_from(HANGUL_ENTRIES), context=st.sampled_from(CONTEXT_KO))
def test_every_korean_entry_is_found_with_a_syllable_stretched(
    data: st.DataObject, entry: Entry, context: tuple[str, str]
) -> None:
    assert_found(data.draw(stretched(entry.text)), entry, context)


LOOKALIKE_ENTRIES = [e for e in HANGUL_ENTRIES if lookalike_positions(e.text)]


@EXAMPLES
@given(
    data=st.data(), entry=st.sampled_from(LOOKALIKE_ENTRIES), context=st.sampled_from(CONTEXT_KO)
)
def test_every_korean_entry_is_found_with_a_latin_look_alike_for_a_jamo(
    data: st.DataObject, entry: Entry, context: tuple[str, str]
) -> None:
    assert_found(data.draw(lookalike(entry.text)), entry, context)


@EXAMPLES
@given(data=st.data(), entry=st.sampled_from(LISTED_EN), context=st.sampled_from(CONTEXT_EN))
def test_every_english_entry_is_found_through_letter_swaps(
    data: st.DataObject, entry: Entry, context: tuple[str, str]
) -> None:
    assert_found(data.draw(swapped(entry.text)), entry, context)


@EXAMPLES
@given(data=st.data(), entry=st.sampled_from(LISTED_EN), context=st.sampled_from(CONTEXT_EN))
def test_every_english_entry_is_found_with_a_letter_stretched(
    data: st.DataObject, entry: Entry, context: tuple[str, str]
) -> None:
    k = data.draw(st.sampled_from([i for i, c in enumerate(entry.text) if c.isalpha()]))
    word = entry.text[:k] + entry.text[k] * data.draw(st.integers(2, 6)) + entry.text[k + 1 :]
    assert_found(word, entry, context)


syllables = st.text(
    st.characters(min_codepoint=SYLLABLE_FIRST, max_codepoint=SYLLABLE_LAST), min_size=1
)


@settings(max_examples=500)
@given(text=syllables)
def test_keystrokes_of_any_syllables_decode_back_to_them(text: str) -> None:
    decoded = decode(keystrokes(text))
    assert decoded is not None
    assert "".join(char for char, _, _ in decoded) == text


@pytest.mark.parametrize("keys", ["stupid", "hello", "ok", "rtlqkf", "dkk", "kdk", "x"])
def test_keys_that_no_input_method_composes_do_not_decode(keys: str) -> None:
    assert decode(keys) is None


@pytest.mark.parametrize(
    ("keys", "hangul"),
    [
        ("tlqkf", "시발"),
        ("qudtls", "병신"),
        ("rotoRl", "개새끼"),
        ("dhkswjs", "완전"),
        ("rkqt", "값"),
    ],
)
def test_keystrokes_decode_with_finals_doubled_consonants_and_compounds(
    keys: str, hangul: str
) -> None:
    decoded = decode(keys)
    assert decoded is not None
    assert "".join(char for char, _, _ in decoded) == hangul


CLEAN_WORDS = sorted({word for sentence in CLEAN_SENTENCES for word in sentence.split()})


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(CLEAN_WORDS), min_size=1, max_size=12))
def test_clean_words_in_any_order_gain_no_match_from_the_disguised_view(words: list[str]) -> None:
    assert MATCHER.find(" ".join(words)) == ()


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("18 진짜 짜증나", "씨팔"),
        ("1ㅅ8 놈아", "씨발"),
        ("십팔 놈아", "씨팔"),
        ("10새끼 꺼져", "씹새끼"),
        ("십새끼야", "씹새끼"),
        ("5ㅐ끼", "새끼"),
        ("c발 진짜", "씨발"),
        ("씨8 진짜", "씨팔"),
        ("병sin 같은", "병신"),
    ],
)
def test_number_and_letter_puns_read_as_the_word(text: str, word: str) -> None:
    assert word in [m.entry.text for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "올해 18세가 되었다",
        "2018년에 시작했다",
        "18명이 참석했다",
        "노래방 십팔번은 뭐예요",
        "오후 18:30에 만나요",
    ],
)
def test_numbers_that_count_something_are_not_puns(text: str) -> None:
    assert MATCHER.find(text) == ()


def test_a_disguised_match_is_shown_as_typed() -> None:
    (match,) = MATCHER.find("야 tlqkf 진짜")
    assert (match.entry.text, match.matched, match.via) == ("시발", "tlqkf", "keyboard")

"""Normalisation folds disguises into one form, keeps offsets, and is idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.triage.normalize import fold, normalize

# Text built from the characters trolls actually use, so examples hit the interesting
# paths (jamo, leet symbols, format characters) far more often than st.text() alone.
TRICKY = st.sampled_from(
    list("aAlI1!|@$+045sS ._-*ㅂㅏㅗㅅㅋㅎ바보씨발\u200b\u200d\u00ad\u0301ａＬаеοſßﬁ")
)
TEXTS = st.one_of(st.text(max_size=40), st.lists(TRICKY, max_size=30).map("".join))


@settings(max_examples=600)
@given(TEXTS)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(TEXTS)
def test_every_folded_character_points_into_the_original(text: str) -> None:
    folded = fold(text)
    assert len(folded.text) == len(folded.counts) == len(folded.spans)
    for start, end in folded.spans:
        assert 0 <= start < end <= len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FUCK", "fuck"),
        ("Ｆｕｃｋ", "fuck"),
        ("fü\u200bck", "fuck"),
        ("ѕсаm wіth Greek ο", "scam with grek o"),
        ("sh1t", "shit"),
        ("a$$", "as"),
        ("@ss", "as"),
        ("fuuuuck", "fuck"),
        ("ㅂㅏㅂㅗ", "바보"),
        ("ㅂㅏㅂ", "밥"),
        ("s.p.a.m", "s p a m"),
    ],
)
def test_disguises_fold_to_one_spelling(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_numbers_stay_numbers() -> None:
    assert normalize("$100 in 2024") == " 10 in 2024"


def test_a_trailing_exclamation_mark_is_punctuation_not_a_letter() -> None:
    assert normalize("idiot!") == "idiot "


def test_l_and_i_are_one_letter_because_1_and_pipe_stand_for_both() -> None:
    assert normalize("l") == normalize("I") == normalize("1x")[0] == "i"


def test_repeat_counts_are_kept_beside_the_collapsed_text() -> None:
    folded = fold("assss")
    assert (folded.text, folded.counts) == ("as", (1, 4))


def test_a_precomposed_syllable_does_not_swallow_the_next_loose_consonant() -> None:
    assert normalize("개ㅅㄲ") == "개\u1109\u1101"


def test_a_laugh_after_loose_jamo_is_not_read_as_a_final_consonant() -> None:
    assert normalize("ㅁㅣㅋㅋ") == "미\u110f"


def test_spans_map_a_composed_syllable_back_to_its_loose_letters() -> None:
    folded = fold("xㅂㅏㅂㅗ")
    assert folded.text == "x바보"
    assert folded.original_span(1, 3) == (1, 5)

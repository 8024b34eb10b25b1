"""Hangul arithmetic: composing loose jamo, initial-consonant keys."""

from __future__ import annotations

import unicodedata

from commentdesk.triage.hangul import Unit, choseong, compose


def units(text: str) -> list[Unit]:
    """Decomposed like the normaliser does: each original character keeps its span."""
    return [
        Unit(c, i, i + 1) for i, ch in enumerate(text) for c in unicodedata.normalize("NFKD", ch)
    ]


def test_loose_jamo_compose_into_syllables() -> None:
    assert "".join(u.char for u in compose(units("ㅂㅏㅂㅗ"))) == "바보"


def test_precomposed_syllables_survive_a_decompose_compose_round_trip() -> None:
    text = "닭볶음탕 먹고 싶다"
    assert "".join(u.char for u in compose(units(text))) == text


def test_a_composed_syllable_spans_all_its_letters() -> None:
    (syllable,) = compose(units("ㅂㅏㅂ"))
    assert (syllable.char, syllable.start, syllable.end) == ("밥", 0, 3)


def test_choseong_is_the_initial_consonant_of_each_syllable() -> None:
    assert choseong("시발") == "\u1109\u1107"


def test_choseong_is_none_for_text_that_is_not_all_syllables() -> None:
    assert choseong("바보 야") is None
    assert choseong("") is None

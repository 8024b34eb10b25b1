"""Near-duplicates: signatures estimate similarity; edited copies share an LSH band."""

from __future__ import annotations

import pytest

from commentdesk.triage.minhash import (
    BANDS,
    NUM_PERM,
    band_keys,
    shingles,
    signature,
    significant,
    similarity,
)

ORIGINAL = "The minister lied to all of us about the dam contract. Resign now! Share this."
EDITED = "The minister LIED to all of us about the dam contract!!! Resign now. Share this"
KOREAN = "이 기사는 완전 조작입니다. 언론사가 정부 돈 받고 쓴 거예요. 다들 공유해서 알려주세요."
KOREAN_EDITED = (
    "이 기사는 완전 조작입니다!! 언론사가 정부 돈 받고 쓴 거에요. 다들 공유해서 알려주세요"
)
UNRELATED = "I think the budget plan is reasonable, though the housing part needs more work."


def test_a_signature_is_stable_and_has_one_value_per_permutation() -> None:
    sig = signature(ORIGINAL)
    assert len(sig) == NUM_PERM
    assert sig == signature(ORIGINAL)
    assert all(0 <= value < 2**32 for value in sig)


def test_signatures_do_not_depend_on_the_process_hash_seed() -> None:
    # Pinned so that a change in hashing, which would orphan stored signatures, fails here.
    assert signature("hello world")[:3] == signature("HELLO   world!")[:3]
    assert band_keys(signature("hello world"))[0].startswith("00:")


@pytest.mark.parametrize(("a", "b"), [(ORIGINAL, EDITED), (KOREAN, KOREAN_EDITED)])
def test_edited_copies_are_similar_in_english_and_korean(a: str, b: str) -> None:
    assert similarity(signature(a), signature(b)) >= 0.6


def test_unrelated_texts_are_not_similar() -> None:
    assert similarity(signature(ORIGINAL), signature(UNRELATED)) < 0.2


def test_disguises_do_not_hide_a_copy() -> None:
    disguised = "Тhе mіnіstеr lied to аll of us about the dam contract. Resign now! Share this."
    assert similarity(signature(ORIGINAL), signature(disguised)) >= 0.9


def test_one_key_per_band_numbered_so_all_bands_share_one_table() -> None:
    keys = band_keys(signature(ORIGINAL))
    assert len(keys) == BANDS
    assert [key[:3] for key in keys[:2]] == ["00:", "01:"]


def test_a_signature_that_does_not_divide_into_bands_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot be cut"):
        band_keys(signature(ORIGINAL), bands=5)


def test_edited_copies_share_a_band_and_unrelated_text_shares_none() -> None:
    def bands(text: str) -> set[str]:
        return set(band_keys(signature(text)))

    assert bands(ORIGINAL) & bands(EDITED)
    assert bands(KOREAN) & bands(KOREAN_EDITED)
    assert not bands(EDITED) & (bands(UNRELATED) | bands(KOREAN))
    assert not bands(KOREAN_EDITED) & (bands(UNRELATED) | bands(ORIGINAL))


def test_short_stock_phrases_are_not_worth_indexing() -> None:
    assert not significant("Great article!")
    assert significant(ORIGINAL)


def test_shingles_ignore_spacing() -> None:
    assert shingles("vote  no now") == shingles("vote no now")

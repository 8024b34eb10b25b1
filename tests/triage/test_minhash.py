"""Near-duplicates: signatures estimate similarity; edited copies share an LSH band."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.triage.minhash import (
    _BLOCK,
    _MASK,
    _PERMUTATIONS,
    _PRIME,
    BANDS,
    NUM_PERM,
    _digest,
    _permuted,
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


def reference_signature(text: str) -> tuple[int, ...]:
    """The signature as stored signatures were first made: Python integers, no numpy."""
    hashes = [_digest(s.encode(), b"cd-shingle") & _MASK for s in shingles(text)]
    return tuple(min((a * x + b) % _PRIME for x in hashes) & _MASK for a, b in _PERMUTATIONS)


def test_a_signature_is_pinned_to_the_values_stored_signatures_were_made_with() -> None:
    sig = signature(ORIGINAL)
    assert sig[:4] == (2018660224, 2320410215, 1635260666, 215048507)
    assert band_keys(sig)[:2] == ["00:8b66c591a6fc0480", "01:5100d330dc001061"]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_the_numpy_arithmetic_gives_exactly_the_integer_signature(text: str) -> None:
    assert signature(text) == reference_signature(text)


def test_a_text_of_more_shingles_than_one_block_matches_the_integer_signature() -> None:
    text = " ".join(f"{n * 7919 % 100003:05d}" for n in range(1000))  # 5,000 digits
    assert len(shingles(text)) > 2 * _BLOCK
    assert signature(text) == reference_signature(text)


@given(st.integers(min_value=0, max_value=_MASK))
def test_every_32_bit_hash_is_permuted_exactly(x: int) -> None:
    import numpy as np

    got = _permuted(np.array([x], dtype=np.uint64))[:, 0]
    assert [int(v) for v in got] == [(a * x + b) % _PRIME for a, b in _PERMUTATIONS]

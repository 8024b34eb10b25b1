"""Campaigns by meaning, the pure part: band keys, courtesy lines, reasons' categories."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from commentdesk.triage import semantic
from commentdesk.triage.policy import Close, Cluster, Policy, Signals
from commentdesk.triage.scoring import Triage, is_campaign
from commentdesk.triage.wordlists import starter_lists

TRIAGE = Triage.from_lists(starter_lists())

vectors = arrays(
    np.float32,
    semantic.DIMENSIONS,
    elements=st.floats(-1, 1, width=32, allow_nan=False, allow_infinity=False),
).filter(lambda v: float(np.linalg.norm(v)) > 1e-3 and np.all(v != 0.0))


def unit(vector: np.ndarray) -> semantic.Vector:
    found: semantic.Vector = (vector / np.linalg.norm(vector)).astype(np.float32)
    return found


@settings(max_examples=50, deadline=None)
@given(vectors)
def test_identical_vectors_share_every_band(vector: np.ndarray) -> None:
    assert semantic.band_keys(unit(vector)) == semantic.band_keys(unit(vector.copy()))


@settings(max_examples=50, deadline=None)
@given(vectors)
def test_opposite_vectors_share_no_band(vector: np.ndarray) -> None:
    v = unit(vector)
    # Exactly on a hyperplane both signs read "positive"; a tiny nudge settles it.
    if np.any(np.abs(semantic._planes() @ v) < 1e-4):
        return
    assert not set(semantic.band_keys(v)) & set(semantic.band_keys(-v))


def test_band_keys_are_one_per_band_and_in_their_own_range() -> None:
    keys = semantic.band_keys(unit(np.ones(semantic.DIMENSIONS, dtype=np.float32)))
    assert len(keys) == semantic.BANDS
    assert [key >> semantic.BITS for key in keys] == list(range(semantic.BANDS))


@settings(max_examples=30, deadline=None)
@given(vectors)
def test_a_vector_survives_its_compact_storage(vector: np.ndarray) -> None:
    v = unit(vector)
    assert semantic.cosine(v, semantic.from_bytes(semantic.to_bytes(v))) > 0.999


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for this report!",
        "Thanks for the great reporting, keep it up",
        "Great article, very informative.",
        "좋은 기사 감사합니다",
        "정말 유익한 기사였습니다. 감사합니다!",
        "Thank you, Mina, for this brave journalism.",
    ],
)
def test_courtesy_lines_are_not_indexed_for_campaigns(text: str) -> None:
    assert semantic.is_courtesy(text)
    assert not semantic.eligible(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for exposing the regime's lies about the election, share it everywhere",
        "Thanks! Cheap loans at www.example.com, approved in five minutes",
        "이 기자는 서방의 돈을 받는 요원이다. 그녀가 쓰는 어떤 것도 믿지 마라.",
    ],
)
def test_a_line_that_says_more_than_thanks_is_indexed(text: str) -> None:
    assert semantic.eligible(text)


def test_short_texts_are_not_indexed_for_campaigns() -> None:
    assert not semantic.eligible("Resign now, minister!")


@pytest.mark.parametrize(
    ("reason", "category"),
    [
        ("Personal attack", "abuse"),
        ("Hate speech", "abuse"),
        ("Spam or advertising", "spam"),
        ("Personal attack: threatens the reporter's family", "threat"),
        ("협박", "threat"),
        ("Off-topic", None),
        ("Private information", None),
        ("Breaks the terms of use", None),
        (None, None),
    ],
)
def test_rejection_reasons_map_to_exemplar_categories(
    reason: str | None, category: str | None
) -> None:
    assert semantic.category_of(reason) == category


@given(st.integers(1, 500), st.integers(1, 50), st.integers(1, 50), st.integers(0, 60 * 24 * 7))
def test_one_pseudonym_is_never_a_campaign(
    size: int, articles: int, pseudonyms: int, minutes: int
) -> None:
    cluster = Cluster(size=size, pseudonyms=1, articles=articles, minutes=minutes)
    assert not is_campaign(cluster, Policy())


def test_two_pseudonyms_on_one_article_at_once_are_a_repeat_not_a_campaign() -> None:
    signals = Signals(cluster=Cluster(size=1, pseudonyms=2, articles=1, minutes=2))
    assert [r.code for r in TRIAGE.assess("Resign now!", signals).reasons] == ["repeated_text"]


@pytest.mark.parametrize(
    "cluster",
    [
        Cluster(size=1, pseudonyms=2, articles=2, minutes=1),
        Cluster(size=1, pseudonyms=2, articles=1, minutes=45),
        Cluster(size=2, pseudonyms=3, articles=1, minutes=1),
    ],
)
def test_a_campaign_is_spread_over_pseudonyms_and_articles_or_time(cluster: Cluster) -> None:
    assert is_campaign(cluster, Policy())


def test_an_exemplar_match_says_how_many_rejections_of_which_kind_and_flags() -> None:
    signals = Signals(exemplars=(Close("threat", 4, 7),))
    assessment = TRIAGE.assess("She will hear from us soon.", signals)
    [reason] = assessment.reasons
    assert (reason.code, reason.message) == (
        "exemplar_threat",
        "close to 4 comments rejected for threats this week",
    )
    assert assessment.action == "flag"


def test_an_exemplar_window_other_than_a_week_is_said_in_days() -> None:
    signals = Signals(exemplars=(Close("spam", 1, 3),))
    [reason] = TRIAGE.assess("Some text.", signals).reasons
    assert reason.message == "close to 1 comment rejected for spam in the last 3 days"

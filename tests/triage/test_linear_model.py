"""The pure scorer: TF-IDF over words, calibrated linear classifiers, and the table it reads.

Agreement with scikit-learn itself is tested in ``test_profanity_check.py``; here the
arithmetic is checked on a model small enough to work out by hand.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.triage.linear_model import FORMAT, LinearTextModel, SigmoidLinear, from_table

WORDS = ["idiot", "fool", "nice"]
IDF = [2.0, 1.5, 1.0]


def table(**changes: Any) -> dict[str, Any]:
    """A two-classifier model over three words, with ``changes`` applied."""
    base: dict[str, Any] = {
        "format": FORMAT,
        "lowercase": True,
        "token_pattern": r"(?u)\b\w\w+\b",
        "ngram_range": [1, 1],
        "norm": "l2",
        "sublinear_tf": False,
        "vocabulary": list(WORDS),
        "idf": list(IDF),
        "calibrated": [
            {"coefficients": [3.0, 2.0, -1.0], "intercept": -0.5, "a": -1.0, "b": 0.0},
            {"coefficients": [2.0, 1.0, -2.0], "intercept": -1.0, "a": -2.0, "b": 0.5},
        ],
    }
    return base | changes


def sigmoid(a: float, b: float, decision: float) -> float:
    return 1.0 / (1.0 + math.exp(a * decision + b))


MODEL = from_table(table())


def test_a_text_scores_the_mean_of_its_calibrated_sigmoids() -> None:
    # "Idiot idiot nice": counts (2, 0, 1), times idf (4, 0, 1), over the l2 norm √17.
    x = (4 / math.sqrt(17), 1 / math.sqrt(17))
    first = sigmoid(-1.0, 0.0, 3.0 * x[0] - 1.0 * x[1] - 0.5)
    second = sigmoid(-2.0, 0.5, 2.0 * x[0] - 2.0 * x[1] - 1.0)
    assert MODEL.probability("Idiot idiot, nice!") == pytest.approx((first + second) / 2, abs=1e-15)


def test_an_empty_text_scores_the_intercepts_alone() -> None:
    expected = (sigmoid(-1.0, 0.0, -0.5) + sigmoid(-2.0, 0.5, -1.0)) / 2
    assert MODEL.probability("") == expected
    assert MODEL.probability("zzz, 바보 ☃ ...") == expected


def test_words_outside_the_vocabulary_change_nothing() -> None:
    assert MODEL.probability("idiot") == MODEL.probability("what an idiot 바보 zzz")


def test_the_default_pattern_skips_one_letter_tokens() -> None:
    one_letter = from_table(table(vocabulary=["a", "fool", "nice"]))
    assert one_letter.probability("a a a") == one_letter.probability("")


def test_case_is_folded_only_when_the_model_says_so() -> None:
    assert MODEL.probability("IDIOT") == MODEL.probability("idiot")
    exact = from_table(table(lowercase=False))
    assert exact.probability("IDIOT") == exact.probability("")


def test_without_a_norm_repeats_add_up_and_sublinear_tf_dampens_them() -> None:
    plain = from_table(table(norm=None, calibrated=[table()["calibrated"][0]]))
    damped = from_table(table(norm=None, sublinear_tf=True, calibrated=[table()["calibrated"][0]]))
    assert plain.probability("idiot idiot") == sigmoid(-1.0, 0.0, 2 * 2.0 * 3.0 - 0.5)
    decision = (1 + math.log(2)) * 2.0 * 3.0 - 0.5
    assert damped.probability("idiot idiot") == pytest.approx(sigmoid(-1.0, 0.0, decision))


def test_an_exponent_too_large_for_a_float_gives_zero() -> None:
    steep = {"coefficients": [0.0, 0.0, 0.0], "intercept": 1.0, "a": 1000.0, "b": 0.0}
    assert from_table(table(calibrated=[steep])).probability("idiot") == 0.0


@settings(max_examples=200)
@given(st.text())
def test_any_text_scores_a_probability(text: str) -> None:
    assert 0.0 <= MODEL.probability(text) <= 1.0


finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def models(draw: st.DrawFn) -> LinearTextModel:
    words = draw(st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=6))
    size = len(words)
    numbers = st.lists(finite, min_size=size, max_size=size).map(tuple)
    classifier = st.builds(SigmoidLinear, numbers, finite, finite, finite)
    return LinearTextModel(
        vocabulary=tuple(words),
        idf=draw(numbers),
        calibrated=tuple(draw(st.lists(classifier, min_size=1, max_size=3))),
        lowercase=draw(st.booleans()),
        token_pattern=draw(st.sampled_from([r"(?u)\b\w\w+\b", r"\S+", r"(\w+)'s"])),
        ngram_range=(1, 1),
        norm=draw(st.sampled_from(["l2", None])),
        sublinear_tf=draw(st.booleans()),
    )


@given(models())
def test_a_model_survives_its_json_table(model: LinearTextModel) -> None:
    assert from_table(json.loads(json.dumps(model.to_table()))) == model


REFUSED = [
    (table(format="commentdesk.linear-text-model/0"), "format"),
    (["not", "an", "object"], "not an object"),
    ({k: v for k, v in table().items() if k != "idf"}, r"missing \['idf'\]"),
    (table(bias=1.0), r"unknown \['bias'\]"),
    (table(ngram_range=[1, 2]), r"ngram_range \(1, 2\): only single words"),
    (table(ngram_range=[1]), "ngram_range"),
    (table(norm="l1"), "norm 'l1'"),
    (table(token_pattern="(a)(b)"), "more than one group"),
    (table(token_pattern="(unclosed"), "token_pattern '\\(unclosed'"),
    (table(vocabulary=["idiot", "idiot", "nice"]), "a word appears twice"),
    (table(vocabulary=["idiot", 7, "nice"]), "vocabulary: 7 is not a string"),
    (table(idf=[2.0, 1.5]), "idf: 2 values for 3 words"),
    (table(idf=[2.0, "1.5", 1.0]), "idf: '1.5' is not a number"),
    (table(idf=[2.0, True, 1.0]), "idf: True is not a number"),
    (table(idf=[2.0, math.nan, 1.0]), "idf: nan is not a finite number"),
    (table(calibrated=[]), "no classifier"),
    (table(calibrated={"a": 1}), "calibrated: expected a list"),
    (table(calibrated=[{"coefficients": [1.0, 2.0, 3.0]}]), "calibrated\\[0\\]: expected"),
    (
        table(calibrated=[{"coefficients": [1.0], "intercept": 0.0, "a": -1.0, "b": 0.0}]),
        r"calibrated\[0\]\.coefficients: 1 values for 3 words",
    ),
    (
        table(
            calibrated=[
                {"coefficients": [1.0, 2.0, 3.0], "intercept": 0.0, "a": -1.0, "b": math.inf}
            ]
        ),
        r"calibrated\[0\]: inf is not a finite number",
    ),
    (table(lowercase="yes"), "lowercase: 'yes' is not true or false"),
    (
        table(calibrated=[{"coefficients": [1.0, 2.0, 3.0], "intercept": "0", "a": 1.0, "b": 0.0}]),
        r"calibrated\[0\]\.intercept: '0' is not a number",
    ),
]


@pytest.mark.parametrize(("bad", "message"), REFUSED)
def test_a_bad_table_is_refused_with_what_is_wrong(bad: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_table(bad)

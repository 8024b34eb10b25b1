"""A linear text model scored in pure Python: TF-IDF over single words, then calibrated
linear classifiers, averaged.

This is the arithmetic scikit-learn does for a ``TfidfVectorizer`` (word analyser,
unigrams) followed by a ``CalibratedClassifierCV`` of linear models with sigmoid
calibration, written out so that the server scores a comment without importing numpy,
scipy and scikit-learn (about 120 MiB per process, and milliseconds of input checks per
call). The steps and their order follow scikit-learn's, so the probabilities come out
the same to the last bit on every text compared (the tests allow 1e-9):

1. tokens: ``re.findall(token_pattern, text.lower())`` (``lower`` only if ``lowercase``);
2. term counts over the vocabulary, in vocabulary order; ``1 + log(count)`` if
   ``sublinear_tf``; times the word's idf; divided by the vector's l2 norm if
   ``norm == "l2"`` (an empty vector stays empty);
3. per calibrated classifier: ``d = w·x + intercept``, ``p = 1 / (1 + exp(a·d + b))``
   (scikit-learn's ``_SigmoidCalibration.predict`` is ``expit(-(a_·d + b_))``);
4. the mean of the ``p``.

Anything else scikit-learn can be configured to do (n-grams, other norms) is refused
when the model is built, never approximated. The table arrives as JSON from
:mod:`commentdesk.triage.export_profanity`; :func:`from_table` checks it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeGuard

#: Names the table layout, so a table from another version is refused, not misread.
FORMAT = "commentdesk.linear-text-model/1"
NORMS = ("l2", None)


@dataclass(frozen=True, slots=True)
class SigmoidLinear:
    """One linear classifier with its sigmoid calibration (``a``, ``b`` are scikit-learn's
    ``a_``, ``b_``): ``p = 1 / (1 + exp(a·(coefficients·x + intercept) + b))``."""

    coefficients: tuple[float, ...]
    intercept: float
    a: float
    b: float

    def probability(self, positions: list[int], values: list[float]) -> float:
        """The calibrated probability of a vector given as sorted positions and values."""
        decision = 0.0
        weights = self.coefficients
        for position, value in zip(positions, values, strict=True):
            decision += value * weights[position]
        decision += self.intercept
        try:
            return 1.0 / (1.0 + math.exp(self.a * decision + self.b))
        except OverflowError:  # exp beyond 1e308: scipy's expit gives 0 there too
            return 0.0


@dataclass(frozen=True, slots=True)
class LinearTextModel:
    """Vocabulary, idf and classifiers indexed by feature position (scikit-learn's order)."""

    # Left out of repr: tens of thousands of numbers in a log line help nobody.
    vocabulary: tuple[str, ...] = field(repr=False)
    idf: tuple[float, ...] = field(repr=False)
    calibrated: tuple[SigmoidLinear, ...] = field(repr=False)
    lowercase: bool
    token_pattern: str
    ngram_range: tuple[int, int]
    norm: str | None
    sublinear_tf: bool
    _tokens: Callable[[str], list[str]] = field(init=False, repr=False, compare=False)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if tuple(self.ngram_range) != (1, 1):
            raise ValueError(
                f"ngram_range {tuple(self.ngram_range)}: only single words, (1, 1), "
                "can be scored without scikit-learn"
            )
        if self.norm not in NORMS:
            raise ValueError(f"norm {self.norm!r}: only 'l2' or none can be scored")
        try:
            pattern = re.compile(self.token_pattern)
        except re.error as error:
            raise ValueError(f"token_pattern {self.token_pattern!r}: {error}") from None
        if pattern.groups > 1:
            # scikit-learn refuses these too: findall would return tuples.
            raise ValueError(f"token_pattern {self.token_pattern!r}: more than one group")
        size = len(self.vocabulary)
        if len(set(self.vocabulary)) != size:
            raise ValueError("vocabulary: a word appears twice")
        if len(self.idf) != size:
            raise ValueError(f"idf: {len(self.idf)} values for {size} words")
        if not self.calibrated:
            raise ValueError("calibrated: no classifier")
        _check_finite("idf", self.idf)
        for number, model in enumerate(self.calibrated):
            where = f"calibrated[{number}]"
            if len(model.coefficients) != size:
                raise ValueError(
                    f"{where}.coefficients: {len(model.coefficients)} values for {size} words"
                )
            _check_finite(f"{where}.coefficients", model.coefficients)
            _check_finite(where, (model.intercept, model.a, model.b))
        object.__setattr__(self, "_tokens", pattern.findall)
        object.__setattr__(self, "_index", {word: i for i, word in enumerate(self.vocabulary)})

    def probability(self, text: str) -> float:
        """The mean calibrated probability of the positive class, as scikit-learn's
        ``predict_proba(vectorizer.transform([text]))[0, 1]``.

        O(n + k log k x C) for k distinct known words and C classifiers: one pass of the
        token pattern (a regular expression without nested repetition), a dict lookup
        per token, a sort of the positions, then a dot product per classifier.
        """
        index = self._index
        counts: dict[int, int] = {}
        for token in self._tokens(text.lower() if self.lowercase else text):
            position = index.get(token)
            if position is not None:
                counts[position] = counts.get(position, 0) + 1
        # scikit-learn sums in feature order (sorted CSR indices): same order, same rounding.
        positions = sorted(counts)
        idf = self.idf
        if self.sublinear_tf:
            values = [(math.log(counts[p]) + 1.0) * idf[p] for p in positions]
        else:
            values = [counts[p] * idf[p] for p in positions]
        if self.norm == "l2":
            squares = 0.0
            for value in values:
                squares += value * value
            if squares != 0.0:
                length = math.sqrt(squares)
                values = [value / length for value in values]
        total = 0.0
        for model in self.calibrated:
            total += model.probability(positions, values)
        return total / len(self.calibrated)

    def to_table(self) -> dict[str, object]:
        """The JSON-ready table that :func:`from_table` reads back."""
        return {
            "format": FORMAT,
            "lowercase": self.lowercase,
            "token_pattern": self.token_pattern,
            "ngram_range": list(self.ngram_range),
            "norm": self.norm,
            "sublinear_tf": self.sublinear_tf,
            "vocabulary": list(self.vocabulary),
            "idf": list(self.idf),
            "calibrated": [
                {
                    "coefficients": list(model.coefficients),
                    "intercept": model.intercept,
                    "a": model.a,
                    "b": model.b,
                }
                for model in self.calibrated
            ],
        }


_KEYS = frozenset(
    {
        "format",
        "lowercase",
        "token_pattern",
        "ngram_range",
        "norm",
        "sublinear_tf",
        "vocabulary",
        "idf",
        "calibrated",
    }
)


def from_table(table: object) -> LinearTextModel:
    """A model from parsed JSON, or ValueError naming what is wrong with the table."""
    if not isinstance(table, Mapping):
        raise ValueError(f"the table is a {type(table).__name__}, not an object")
    if table.get("format") != FORMAT:
        raise ValueError(f"format {table.get('format')!r}: expected {FORMAT!r}")
    missing, unknown = _KEYS - table.keys(), table.keys() - _KEYS
    if missing or unknown:
        raise ValueError(f"keys: missing {sorted(missing)}, unknown {sorted(map(str, unknown))}")
    ngram_range = _numbers(table["ngram_range"], "ngram_range")
    if len(ngram_range) != 2 or not all(n.is_integer() for n in ngram_range):
        raise ValueError(f"ngram_range {table['ngram_range']!r}: not two whole numbers")
    norm = table["norm"]
    return LinearTextModel(
        vocabulary=_strings(table["vocabulary"], "vocabulary"),
        idf=_numbers(table["idf"], "idf"),
        calibrated=tuple(
            _calibrated(item, f"calibrated[{n}]")
            for n, item in enumerate(_list(table["calibrated"], "calibrated"))
        ),
        lowercase=_flag(table["lowercase"], "lowercase"),
        token_pattern=_string(table["token_pattern"], "token_pattern"),
        ngram_range=(int(ngram_range[0]), int(ngram_range[1])),
        norm=None if norm is None else _string(norm, "norm"),
        sublinear_tf=_flag(table["sublinear_tf"], "sublinear_tf"),
    )


def _calibrated(item: object, where: str) -> SigmoidLinear:
    if not isinstance(item, Mapping) or set(item) != {"coefficients", "intercept", "a", "b"}:
        raise ValueError(f"{where}: expected an object of coefficients, intercept, a and b")
    return SigmoidLinear(
        coefficients=_numbers(item["coefficients"], f"{where}.coefficients"),
        intercept=_number(item["intercept"], f"{where}.intercept"),
        a=_number(item["a"], f"{where}.a"),
        b=_number(item["b"], f"{where}.b"),
    )


def _check_finite(where: str, values: tuple[float, ...]) -> None:
    if not all(map(math.isfinite, values)):
        bad = next(value for value in values if not math.isfinite(value))
        raise ValueError(f"{where}: {bad} is not a finite number")


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list, found {type(value).__name__}")
    return value


def _is_number(value: object) -> TypeGuard[float | int]:
    return type(value) is float or type(value) is int  # a bool is an int, not a number here


def _number(value: object, where: str) -> float:
    if not _is_number(value):
        raise ValueError(f"{where}: {value!r} is not a number")
    return float(value)


def _numbers(value: object, where: str) -> tuple[float, ...]:
    items = _list(value, where)
    numbers = tuple(float(item) for item in items if _is_number(item))
    if len(numbers) != len(items):
        bad = next(item for item in items if not _is_number(item))
        raise ValueError(f"{where}: {bad!r} is not a number")
    return numbers


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: {value!r} is not a string")
    return value


def _strings(value: object, where: str) -> tuple[str, ...]:
    return tuple(_string(item, where) for item in _list(value, where))


def _flag(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}: {value!r} is not true or false")
    return value

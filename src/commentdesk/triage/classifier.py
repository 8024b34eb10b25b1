"""Pluggable toxicity/spam models: one interface, a local English model by default.

The default, ``profanity-check``, is the linear model shipped inside the PyPI package
``alt-profanity-check``: it loads from site-packages, needs no download, and nothing
leaves the server. It reads English only, so it answers ``None`` for other languages
(Korean is covered by the word lists). It is imported on first use, so a process that
never meets an English comment never pays for it.

Plug another model with ``COMMENTDESK_CLASSIFIER=package.module:factory``, where
``factory()`` returns an object with ``score(text, language) -> ClassifierScore | None``.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Protocol

from commentdesk.triage.policy import ClassifierScore

OFF = "off"
DEFAULT = "profanity-check"


class Classifier(Protocol):
    def score(self, text: str, language: str) -> ClassifierScore | None:
        """A probability that ``text`` is abusive, or None when the model cannot read it."""
        ...  # pragma: no cover - a protocol


class NoClassifier:
    """Triage without a model: word lists, links and campaign signals only."""

    def score(self, text: str, language: str) -> ClassifierScore | None:
        return None


class ProfanityCheck:
    """English offensive-language probability from alt-profanity-check's bundled model."""

    name = "profanity-check"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._predict: Callable[[list[str]], list[float]] | None = None

    def _load(self) -> Callable[[list[str]], list[float]]:
        with self._lock:
            if self._predict is None:
                module = importlib.import_module("profanity_check")
                self._predict = module.predict_prob
            return self._predict

    def score(self, text: str, language: str) -> ClassifierScore | None:
        if language != "en":
            return None
        probability = float(self._load()([text])[0])
        return ClassifierScore(self.name, "offensive", probability)


def load_classifier(spec: str) -> Classifier:
    """``off``, ``profanity-check`` or ``module:factory``; raises ValueError otherwise."""
    if spec == OFF:
        return NoClassifier()
    if spec == DEFAULT:
        return ProfanityCheck()
    module_name, _, factory_name = spec.partition(":")
    if not module_name or not factory_name:
        raise ValueError(f"{spec!r}: use 'off', 'profanity-check' or 'package.module:factory'")
    factory = getattr(importlib.import_module(module_name), factory_name)
    classifier: Classifier = factory()
    return classifier

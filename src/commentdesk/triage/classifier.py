"""Pluggable toxicity/spam models: one interface, a local English model by default.

The default, ``profanity-check``, is the linear model shipped inside the PyPI package
``alt-profanity-check``: it loads from site-packages, needs no download, and nothing
leaves the server. It reads English only, so it answers ``None`` for other languages
(Korean is covered by the word lists).

The package scores through scikit-learn, which would add numpy, scipy and scikit-learn
to every server process (about 120 MiB) and 2 to 12 ms per comment, mostly input checks.
So the server never imports it: on the first English comment, a subprocess
(:mod:`commentdesk.triage.export_profanity`: about 1 s and 145 MiB, once, then it exits)
reads the model and hands it over as a table of weights (about 9 MiB here), which
:mod:`commentdesk.triage.linear_model` scores in pure Python with the same result in
about 0.01 ms. A process that never meets an English comment never pays for it. If the
model cannot be loaded, scoring raises
:class:`ClassifierUnavailable`: screening logs it and triages the comment without the
model (the comment is never lost), and the next try is at most once a minute.

Plug another model with ``COMMENTDESK_CLASSIFIER=package.module:factory``, where
``factory()`` returns an object with ``score(text, language) -> ClassifierScore | None``.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import subprocess  # our own exporter with this interpreter, never a shell  # nosec B404
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from commentdesk.triage.linear_model import LinearTextModel, from_table
from commentdesk.triage.policy import ClassifierScore

OFF = "off"
DEFAULT = "profanity-check"
#: ``-P``: the server's working directory must not shadow a package the exporter imports.
EXPORT_COMMAND = (sys.executable, "-P", "-m", "commentdesk.triage.export_profanity")
EXPORT_TIMEOUT_SECONDS = 60.0
#: After a failed load, comments fail fast for this long instead of each waiting on a
#: new subprocess under the lock.
RETRY_AFTER_SECONDS = 60.0

logger = logging.getLogger(__name__)


class ClassifierUnavailable(RuntimeError):
    """The model could not be loaded; the message says why and how to see more."""


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

    def __init__(
        self,
        *,
        export: Callable[[], LinearTextModel] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._export = export or shared_model
        self._clock = clock
        self._model: LinearTextModel | None = None
        self._failed: tuple[float, str] | None = None

    def _load(self) -> LinearTextModel:
        with self._lock:
            if self._model is None:
                failed = self._failed
                if failed is not None and self._clock() - failed[0] < RETRY_AFTER_SECONDS:
                    # A new exception each time: re-raising one would grow its traceback.
                    raise ClassifierUnavailable(failed[1])
                try:
                    self._model = self._export()
                except ClassifierUnavailable as error:
                    self._failed = (self._clock(), str(error))
                    raise
                self._failed = None
            return self._model

    def score(self, text: str, language: str) -> ClassifierScore | None:
        if language != "en":
            return None
        model = self._model
        if model is None:
            model = self._load()
        return ClassifierScore(self.name, "offensive", model.probability(text))


@functools.cache
def shared_model() -> LinearTextModel:
    """The model, exported once per process however many desks open (as an import was);
    a failure is not remembered here, so a later call tries again."""
    return export_model()


def export_model(command: Sequence[str] = EXPORT_COMMAND) -> LinearTextModel:
    """The profanity-check model, read by the exporter in a subprocess."""
    started = time.monotonic()
    shown = " ".join(command)
    try:
        done = subprocess.run(  # noqa: S603 - a fixed argv of our own, no shell  # nosec B603
            list(command),
            capture_output=True,
            timeout=EXPORT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ClassifierUnavailable(f"profanity-check model: `{shown}` failed: {error}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
        raise ClassifierUnavailable(
            f"profanity-check model: `{shown}` exited with {done.returncode}: {lines[-1]}"
        )
    try:
        model = from_table(json.loads(done.stdout))
    except ValueError as error:  # also bad JSON
        raise ClassifierUnavailable(
            f"profanity-check model: the table from `{shown}` was refused: {error}"
        ) from None
    logger.info(
        "profanity-check model loaded: %d words, %d classifiers, in %.1f s",
        len(model.vocabulary),
        len(model.calibrated),
        time.monotonic() - started,
    )
    return model


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

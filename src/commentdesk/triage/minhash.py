"""Near-duplicate detection: MinHash signatures over character shingles, LSH banding.

A campaign posts one text many times with small edits. Character shingles of the
normalised text (so homoglyphs, leetspeak and spacing tricks are already undone) make
the comparison language-agnostic: Korean and English are both just sequences of
characters. The Jaccard similarity of two shingle sets is estimated by the fraction of
equal positions in their MinHash signatures.

LSH banding cuts the signature into ``bands`` bands; two texts become candidates when
any band is identical. A band is one opaque string (:func:`band_keys`), so a database
can store ``(band_key, comment_id)`` rows with an index on ``band_key``: a lookup is then
``bands`` index probes plus a check of the candidates found, the same cost at ten
thousand or ten million stored comments (the desk's ``lsh_bands`` table).

Why not datasketch: it pulls in scipy, and its hash values are not promised stable
across releases, while these signatures are stored and must compare equal years later.
Everything here derives from ``hashlib.blake2b`` with fixed personalisation; numpy only
does the arithmetic, exactly.
"""

from __future__ import annotations

import functools
import hashlib
from typing import TYPE_CHECKING

from commentdesk.triage.normalize import SPACE, normalize

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NUM_PERM = 128
SHINGLE_SIZE = 4
BANDS = 32
MIN_SHINGLES = 12  # shorter texts ("Great article!") repeat by chance, not by campaign
_PRIME = (1 << 61) - 1  # a Mersenne prime larger than any 32-bit shingle hash
_MASK = (1 << 32) - 1

Signature = tuple[int, ...]


def _digest(data: bytes, person: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, person=person).digest(), "big")


# Universal hash functions h(x) = (a*x + b) mod p standing in for permutations. Derived,
# not random, so every process and every release computes the same signatures.
_PERMUTATIONS = tuple(
    (
        1 + _digest(f"a{i}".encode(), b"cd-minhash-a") % (_PRIME - 1),
        _digest(f"b{i}".encode(), b"cd-minhash-b") % _PRIME,
    )
    for i in range(NUM_PERM)
)


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    """The set of ``size``-character substrings of the normalised text.

    Spaces are dropped first: a campaign re-spacing its text ("vote  NO!" vs "vote no")
    is still one text. A text shorter than ``size`` is one shingle (possibly "").
    O(n x size): normalising is O(n) (:func:`~commentdesk.triage.normalize.fold`).
    """
    compact = normalize(text).replace(SPACE, "")
    if len(compact) <= size:
        return frozenset({compact})
    return frozenset(compact[i : i + size] for i in range(len(compact) - size + 1))


def significant(text: str) -> bool:
    """Whether ``text`` is long enough for a near-duplicate to mean coordination.

    Thousands of readers write "Thank you!" on their own; only texts with at least
    :data:`MIN_SHINGLES` shingles should be indexed and looked up.
    """
    return len(shingles(text)) >= MIN_SHINGLES


def signature(text: str) -> Signature:
    """The MinHash signature of ``text``: :data:`NUM_PERM` 32-bit integers.

    O(n x NUM_PERM): one hash per shingle, then NUM_PERM (128) multiply-mods per
    distinct shingle, done by numpy on 64-bit words (``_permuted``) in blocks of
    :data:`_BLOCK` shingles: a 5,000-character text costs a few milliseconds and at most
    a megabyte a block, where a loop over Python integers took about 60 ms. The values
    are exactly those of ``min((a * x + b) % p)``, which stored signatures were made by.
    """
    import numpy as np  # only where signatures are made: the assessment worker

    hashes = [_digest(shingle.encode(), b"cd-shingle") & _MASK for shingle in shingles(text)]
    lowest = np.full(NUM_PERM, _PRIME, dtype=np.uint64)
    for start in range(0, len(hashes), _BLOCK):
        block = np.array(hashes[start : start + _BLOCK], dtype=np.uint64)
        np.minimum(lowest, _permuted(block).min(axis=1), out=lowest)
    return tuple(int(value) & _MASK for value in lowest)


#: Shingles hashed by one numpy call: bounds its arrays at NUM_PERM x _BLOCK words.
_BLOCK = 1024


def _permuted(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """``(a * x + b) mod p`` for every permutation (rows) and 32-bit hash ``x``
    (columns), without a 128-bit product: with p = 2**61 - 1, 2**61 is 1 mod p.

    ``a = a_hi * 2**32 + a_lo``: ``a_lo * x`` < 2**64 and ``a_hi * x`` < 2**61 are exact
    in 64 bits; ``a_hi * x * 2**32`` folds to (its top 32 bits) + (its low 29 bits)
    * 2**32, and ``a_lo * x`` to its bits above 61 plus the 61 below. The sum stays under
    2**63, and one more fold and one subtraction bring it into [0, p).
    """
    import numpy as np

    a_lo, a_hi, b = _permutation_words()
    low = a_lo * x  # broadcast: (NUM_PERM, 1) x (n,)
    high = a_hi * x
    total = (
        (high >> np.uint64(29))
        + ((high & np.uint64((1 << 29) - 1)) << np.uint64(32))
        + (low & np.uint64(_PRIME))
        + (low >> np.uint64(61))
        + b
    )
    total = (total & np.uint64(_PRIME)) + (total >> np.uint64(61))
    result: npt.NDArray[np.uint64] = np.where(
        total >= np.uint64(_PRIME), total - np.uint64(_PRIME), total
    )
    return result


@functools.cache
def _permutation_words() -> tuple[npt.NDArray[np.uint64], ...]:
    """The permutations' ``a`` split at bit 32, and ``b``, as numpy columns (made once)."""
    import numpy as np

    a = np.array([a for a, _ in _PERMUTATIONS], dtype=np.uint64).reshape(-1, 1)
    b = np.array([b for _, b in _PERMUTATIONS], dtype=np.uint64).reshape(-1, 1)
    return a & np.uint64(_MASK), a >> np.uint64(32), b


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    if len(a) != len(b) or not a:
        raise ValueError("signatures must be non-empty and of equal length")
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def band_keys(sig: Signature, bands: int = BANDS) -> list[str]:
    """One key per band; equal keys mean an identical band, hence a candidate pair.

    The band number is part of the key, so the keys of all bands can share one table.
    """
    if bands <= 0 or len(sig) % bands:
        raise ValueError(f"{len(sig)} values cannot be cut into {bands} bands")
    rows = len(sig) // bands
    keys = []
    for band in range(bands):
        chunk = b"".join(value.to_bytes(4, "big") for value in sig[band * rows : (band + 1) * rows])
        keys.append(f"{band:02d}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys

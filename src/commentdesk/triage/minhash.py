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

Why not datasketch: it pulls in numpy and scipy, and its hash values are not promised
stable across releases, while these signatures are stored and must compare equal years
later. Everything here derives from ``hashlib.blake2b`` with fixed personalisation.
"""

from __future__ import annotations

import hashlib

from commentdesk.triage.normalize import SPACE, normalize

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
    distinct shingle. Linear, but the largest constant of screening (see
    ``make bench-worst``); it runs in the desk, not in :meth:`Triage.assess`.
    """
    hashes = [_digest(shingle.encode(), b"cd-shingle") & _MASK for shingle in shingles(text)]
    return tuple(min((a * x + b) % _PRIME for x in hashes) & _MASK for a, b in _PERMUTATIONS)


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

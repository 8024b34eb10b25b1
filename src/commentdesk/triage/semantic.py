"""Campaigns by meaning: which texts count, and random-hyperplane LSH over sentence vectors.

Character shingles (``triage/minhash.py``) miss a campaign that substitutes words,
reorders, paraphrases or translates its talking point. A multilingual sentence encoder
maps all of those near one another, so two comments whose unit vectors have a cosine of
at least :data:`THRESHOLD` are one talking point, in any pair of languages. The encoder
itself lives in the desk (``desk/embedder.py``); this module is pure: it takes vectors.

Lookup by random-hyperplane LSH (SimHash): each of :data:`BANDS` bands is :data:`BITS`
signs of the vector against fixed hyperplanes. Two vectors at angle θ agree on one sign
with probability ``1 - θ/π``, so they share a band with ``p = (1 - θ/π) ** BITS`` and
some band with ``1 - (1 - p) ** BANDS``. With 32 bands of 10 bits that is 0.83 at the
threshold's cosine 0.7, 0.97 at 0.8 and 0.99 at 0.85 for one pair, and a copy joins a
campaign when it meets any one of its earlier copies, which compounds; at the cross-
language rule's cosine 0.5 it is 0.43 per member, so 0.92 for a cluster of 5 copies;
two unrelated vectors (cosine 0) share some band with 0.03. On the dev set
(bench/data/triage-unseen/dev.jsonl, replayed through the desk) the bands find exactly
the pairs an exhaustive comparison finds.

Thresholds, chosen on that dev set (``bench/triage_eval.py --part dev``): 0.7 within a
language (same-language campaign pairs joined 0.97 at pair precision 0.99); across
languages a translation sits at 0.4 to 0.75 from its original while honest readers'
unrelated comments reach 0.77, so no pairwise threshold works, and the cross rule
compares with a cluster's other-language copies as a whole (0.88 of cross-language
pairs joined; any threshold from 0.45 to 0.55 gives the same clusters).

A band is one integer, ``band << BITS | signs``, stored in ``lsh_bands`` with
``kind = SEMANTIC`` beside the MinHash bands, so a lookup is :data:`BANDS` index probes
whatever the size of the index, and candidates are verified by their exact cosine.

The hyperplanes are ±1 vectors derived from ``blake2b`` with a fixed personalisation,
not from a random generator whose stream a numpy release may change: stored bands must
compare equal years later.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


DIMENSIONS = 512
BANDS = 32
BITS = 10
#: Cosine at or above which two comments say the same thing (tuned on the dev set).
THRESHOLD = 0.7
#: Across languages: the cosine to the mean of a cluster's members in the other language
#: (at least ``CROSS_MEMBERS`` of them) at or above which a comment joins that cluster.
#: On the dev set any value from 0.45 to 0.55 gives the same clusters; 0.5 is mid-way.
CROSS_THRESHOLD = 0.5
CROSS_MEMBERS = 2
#: Languages told apart for that rule (what ``triage.language`` detects).
CROSS_LANGUAGES = ("en", "ko")
#: Cosine at or above which a comment is "close to" a rejected exemplar (and it must be
#: closer to it than to any recently approved comment: ``desk/semantic_index.py``).
EXEMPLAR_THRESHOLD = 0.55
#: ``lsh_bands.kind`` of these bands (MinHash bands are kind 0).
SEMANTIC = 1
#: Shorter texts ("Well said.") coincide by chance, not by campaign.
MIN_CHARS = 30
#: A courtesy line is short: a long text that thanks the reporter says more than thanks.
COURTESY_MAX_WORDS = 16
#: Words beyond the courtesy vocabulary a courtesy line may hold ("thank you, Mina").
COURTESY_SPARE_WORDS = 2

#: A sentence vector; numpy is imported where one is made, so that a server that
#: never meets one (a web worker serving readers) never loads it (20 MB).
Vector: TypeAlias = "npt.NDArray[np.float32]"


def _hyperplanes() -> npt.NDArray[np.float32]:
    import numpy as np

    rows = []
    for i in range(BANDS * BITS):
        digest = hashlib.blake2b(f"h{i}".encode(), digest_size=64, person=b"cd-simhash").digest()
        bits = np.unpackbits(np.frombuffer(digest, dtype=np.uint8))[:DIMENSIONS]
        rows.append(bits.astype(np.float32) * 2.0 - 1.0)
    return np.stack(rows)


@functools.cache
def _planes() -> npt.NDArray[np.float32]:
    return _hyperplanes()


@functools.cache
def _weights() -> npt.NDArray[np.int64]:
    import numpy as np

    return (1 << np.arange(BITS - 1, -1, -1)).astype(np.int64)


def band_keys(vector: Vector) -> tuple[int, ...]:
    """The :data:`BANDS` band numbers of a unit vector: O(BANDS x BITS x DIMENSIONS)."""
    import numpy as np

    return tuple(int(key) for key in band_matrix(np.asarray(vector, dtype=np.float32)[None, :])[0])


def band_matrix(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """The band numbers of each row of ``vectors`` (one row of :data:`BANDS` per vector),
    ``band << BITS | signs``: the same numbers as :func:`band_keys`, for many at once."""
    import numpy as np

    signs = (np.asarray(vectors, dtype=np.float32) @ _planes().T) >= 0.0
    values = signs.reshape(len(signs), BANDS, BITS).astype(np.int64) @ _weights()
    offsets: npt.NDArray[np.int64] = np.arange(BANDS, dtype=np.int64) << BITS
    return values | offsets


def cosine(a: Vector, b: Vector) -> float:
    """The cosine of two vectors (unit vectors give their dot product)."""
    import numpy as np

    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norm) if norm else 0.0


def to_bytes(vector: Vector) -> bytes:
    """A vector stored compactly: float16, 1 KiB for 512 dimensions."""
    import numpy as np

    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> Vector:
    import numpy as np

    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


# Words of thanks and praise that any reader might write on their own, in English and
# Korean. Korean words are matched by their stem, so particles and endings do not hide
# them ("기사를", "감사합니다").
_COURTESY_EN = frozenset(
    (
        "thank", "thanks", "thx", "ty", "you", "your", "yours", "for", "this", "that", "the",
        "a", "an", "of", "to", "and", "so", "very", "much", "great", "good", "nice",
        "excellent", "wonderful", "brilliant", "important", "informative", "interesting",
        "useful", "helpful", "insightful", "article", "articles", "report", "reports",
        "reporting", "story", "stories", "piece", "work", "job", "journalism", "journalist",
        "journalists", "keep", "it", "up", "well", "written", "done", "brave", "courageous",
        "please", "continue", "appreciate", "appreciated", "really", "truly", "again", "all",
        "everyone", "team", "love", "loved", "read", "reading", "such", "what", "amazing",
        "fantastic", "awesome", "valuable", "needed",
    )
)  # fmt: skip
_COURTESY_KO = (
    "감사", "고맙", "고마", "좋은", "기사", "보도", "잘", "읽었", "읽고", "봤", "수고",
    "응원", "정말", "너무", "항상", "훌륭", "유익", "최고", "멋진", "용기", "기자", "취재",
    "알려", "주셔서", "주서", "해주", "합니다", "이런", "소중", "계속", "부탁",
)  # fmt: skip
_THANKS = ("thank", "thanks", "thx", "ty", "appreciate", "appreciated", "감사", "고맙", "고마")
_WORD = re.compile(r"\w+")
_LINK = re.compile(r"https?://|www\.|\w\.(?:com|net|org|ly|io|kr)\b", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def is_courtesy(text: str) -> bool:
    """Whether ``text`` is a short generic line of thanks or praise ("Thank you for this
    report!", "좋은 기사 감사합니다"): hundreds of readers write one on their own, so such
    lines never make a campaign. O(n) for n characters."""
    if _LINK.search(text):
        return False  # a "thank you" that carries a link is how spam says hello
    words = _words(text)
    if not words or len(words) > COURTESY_MAX_WORDS:
        return False
    thanks = any(w.startswith(_THANKS) for w in words)
    praise = sum(w in _COURTESY_EN or w.startswith(_COURTESY_KO) for w in words)
    return (thanks or praise >= len(words) - 1) and len(words) - praise <= COURTESY_SPARE_WORDS


def eligible(text: str) -> bool:
    """Whether ``text`` is indexed for campaigns by meaning: at least :data:`MIN_CHARS`
    characters (spaces collapsed) and not a courtesy line. O(n)."""
    compact = " ".join(text.split())
    return len(compact) >= MIN_CHARS and not is_courtesy(compact)


# What a rejection's reason means, for learning from moderators: the first category
# whose word appears in the reason (the site's category, then the moderator's note).
# Threats first: "Personal attack: threatens her family" is a threat.
_CATEGORIES = (
    ("threat", ("threat", "violence", "violent", "intimidat", "위협", "협박", "폭력", "살해")),
    ("spam", ("spam", "advertis", "scam", "phishing", "promotion", "스팸", "광고", "홍보")),
    (
        "abuse",
        (
            "attack", "abuse", "abusive", "insult", "harass", "hate", "slur", "troll",
            "욕설", "모욕", "혐오", "비방", "괴롭", "인신공격", "악플",
        ),
    ),
)  # fmt: skip
CATEGORIES = tuple(category for category, _ in _CATEGORIES)


def category_of(reason: str | None) -> str | None:
    """The exemplar category of a rejection reason, or None (off-topic, private
    information, the terms: not something a new comment's meaning can be close to).

    With the default reasons: "Personal attack" and "Hate speech" are abuse, "Spam or
    advertising" is spam; a note naming a threat makes it a threat. O(n)."""
    if not reason:
        return None
    folded = reason.casefold()
    for category, words in _CATEGORIES:
        if any(word in folded for word in words):
            return category
    return None

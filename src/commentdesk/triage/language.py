"""Which language a comment is in, as far as routing needs: Korean, English, or other.

Korean is the one language here that owns its script: a comment that is mostly Hangul
is Korean, whatever English words or Hanja it quotes. So Korean is decided by the
share of Hangul among letters, which is exact, instant and needs no model.

Latin script is shared by many languages, so a Latin comment is English only when
enough of its words are common English function words ("the", "and", "is"): a
newsroom's readers write in French or Spanish too, and those must reach the "other"
queue, not the English word lists and English scorer. Short Latin texts without such
words (a name, "lol") are English with low confidence, since that is what they are
on an English-language page most of the time.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from commentdesk.triage.hangul import is_hangul

KOREAN, ENGLISH, OTHER, UNKNOWN = "ko", "en", "other", "und"
HANGUL_SHARE = 0.3  # of letters; Korean comments quote English names and Hanja freely
ENGLISH_WORD_SHARE = 0.12  # of words; running English text is ~40% function words
_HANGUL, _LATIN, _OTHER = 1, 2, 3
_WORD = re.compile(r"[a-z']+")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "don't",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "like",
        "me",
        "more",
        "my",
        "no",
        "not",
        "now",
        "of",
        "on",
        "one",
        "only",
        "or",
        "our",
        "out",
        "she",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


@dataclass(frozen=True, slots=True)
class Detection:
    """The language code, how sure (0 to 1), and the share of each script's letters."""

    language: str
    confidence: float
    hangul: float = 0.0
    latin: float = 0.0


def detect(text: str) -> Detection:
    """Detect the language of ``text``; "und" when it has no letters at all.

    O(n): one count of scripts (per-character answers cached), then, for Latin text,
    one regular-expression pass over words.
    """
    scripts = Counter(map(_script, text))
    hangul, latin, other = scripts[_HANGUL], scripts[_LATIN], scripts[_OTHER]
    letters = hangul + latin + other
    if not letters:
        return Detection(UNKNOWN, 0.0)
    hangul_share, latin_share = hangul / letters, latin / letters
    if hangul_share >= HANGUL_SHARE:
        return Detection(KOREAN, min(1.0, hangul_share / 0.6), hangul_share, latin_share)
    if latin_share < 0.5:
        return Detection(OTHER, 1.0 - latin_share, hangul_share, latin_share)
    return _latin(text, hangul_share, latin_share)


def _latin(text: str, hangul_share: float, latin_share: float) -> Detection:
    words = _WORD.findall(text.casefold().replace("\u2019", "'"))
    function_share = sum(word in _FUNCTION_WORDS for word in words) / max(1, len(words))
    if function_share >= ENGLISH_WORD_SHARE:
        confidence = min(1.0, function_share / 0.3) * latin_share
        return Detection(ENGLISH, confidence, hangul_share, latin_share)
    if len(words) <= 3:
        return Detection(ENGLISH, 0.3, hangul_share, latin_share)
    return Detection(OTHER, 0.5, hangul_share, latin_share)


@lru_cache(maxsize=8192)
def _script(char: str) -> int:
    if is_hangul(char):
        return _HANGUL
    if char.isalpha():
        return _LATIN if _is_latin(char) else _OTHER
    return 0


def _is_latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")

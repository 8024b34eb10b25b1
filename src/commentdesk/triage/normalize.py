"""Normalisation for matching: many spellings of one word, one string to compare.

The stored comment is never changed by anything here; these functions build a separate
*matching view* of it, and every character of that view remembers the span of original
text it came from, so a match can be shown to a moderator in the words the reader typed.

Steps, in order (each is idempotent, and so is the whole; a property test checks it):

1. per character: NFKD, case folding, NFKD again, then removal of combining marks
   (accents, "zalgo"), of format characters (category Cf: zero-width space and joiners,
   soft hyphen, bidi marks) and of invisible fillers; whitespace and controls become a
   space. Decomposing rather than composing lets accents be dropped; step 4 composes
   Hangul back, so the result is in NFKC form as well (a precomposed syllable is kept
   as it is, which is the same thing, cheaper). One character yields at most
   :data:`MAX_EXPANSION` characters; the few longer expansions become a space.
2. homoglyph folding with Unicode's confusables data (Cyrillic а, Greek ο -> a, o), see
   :mod:`commentdesk.triage.homoglyphs`; ``l`` and ``i`` are treated as one letter
   because ``1``, ``|``, ``I`` and ``l`` stand in for either of them.
3. leetspeak (``sh1t``, ``a$$``, ``@ss``): digits inside a word that has letters, and
   symbols next to letters, become the letters they imitate. Numbers stay numbers.
4. Hangul jamo typed as loose letters are composed into syllables (ㅂㅏㅂㅗ -> 바보).
5. punctuation becomes a space, and every run of one repeated character collapses to
   one character whose repeat count is kept, so "fuuuck" matches fuck but "as" does not
   match "ass" (the matcher compares counts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

from commentdesk.triage.hangul import Unit, compose, is_hangul, is_jamo, is_syllable
from commentdesk.triage.homoglyphs import fold_map

SPACE = " "
# Characters of the matching view one original character may become (Hangul composed),
# so the view is at most 3n long whatever the text. Ligatures (ﬃ), "…", squared units
# (㎒ "mhz") and parenthesised Hangul (㈜ "(주)") fit; the 79 longer ones (⑽ "(10)", ⅷ
# "viii", ㎉ "kcal", squared Katakana words, Arabic ligatures such as U+FDFA, 18
# characters) separate words like a space: no listed word hides in them.
MAX_EXPANSION = 3
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
ASCII_DIGITS = frozenset("0123456789")
LEET = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "i", "+": "t",
}  # fmt: skip
LEET_SYMBOLS = frozenset("@$!|+")
_RUN = re.compile(r"(.)\1*", re.DOTALL)
_REPEAT = re.compile(r"(.)\1", re.DOTALL)
_CHAR, _SPAN = itemgetter(0), itemgetter(1, 2)
_START, _END = itemgetter(0), itemgetter(1)
_WHOLE = re.Match.group
_JAMO = re.compile("[\u1100-\u11ff]")
_LEET_WORD = re.compile(r"[a-z0-9@$!|+]+")
_LEET_KEY = re.compile(r"[0-9@$!|+]")
_LETTER_LIKE = {"l": "i"}
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
# Characters that draw nothing yet are letters or symbols by category, used to split
# words invisibly: Hangul fillers, the braille blank, the Mongolian vowel separator.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


@dataclass(frozen=True, slots=True)
class Folded:
    """A matching view: folded text, the repeat count and original span of each character.

    ``text`` has no character twice in a row; ``counts[i]`` says how many times
    ``text[i]`` was repeated, ``spans[i]`` which slice of the original it covers.
    """

    text: str
    counts: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The slice of original text covered by ``text[start:end]`` (``end > start``)."""
        return self.spans[start][0], self.spans[end - 1][1]


def normalize(text: str) -> str:
    """The normal form used for matching and near-duplicate shingles.

    Idempotent: ``normalize(normalize(t)) == normalize(t)`` for every string.
    """
    return fold(text).text


def fold(text: str) -> Folded:
    """Normalise ``text`` and keep, for each resulting character, where it came from.

    O(n): each step below is one pass, or a worklist that touches each unit a bounded
    number of times, over at most :data:`MAX_EXPANSION` x n units.
    """
    return finish(expand(text))


def expand(text: str) -> list[Unit]:
    """Step 1 and 2: fold each original character on its own (cached per character).

    O(n), at most :data:`MAX_EXPANSION` units per character.
    """
    # tuple.__new__ skips the Python-level __new__ of a NamedTuple: a third of the time.
    new = tuple.__new__
    return [
        new(Unit, (char, i, i + 1))
        for i, original in enumerate(text)
        for char in fold_char(original)
    ]


def finish(units: Sequence[Unit]) -> Folded:
    """Steps 3 to 5 on already expanded units. O(n) for n units."""
    new = tuple.__new__
    spaced = [
        unit if is_word_char(unit.char) else new(Unit, (SPACE, unit.start, unit.end))
        for unit in compose(fold_leet(units))
    ]
    return collapse(spaced)


@lru_cache(maxsize=16384)
def fold_char(char: str) -> str:
    """Fold one original character; may return several characters (at most
    :data:`MAX_EXPANSION`), or none.

    A precomposed Hangul syllable is its own fold: its NFKD jamo would only be
    composed back in step 4, as three units to carry instead of one.
    """
    if is_syllable(char):
        return char
    current = char
    # A few characters need a second round (case folding can expose a compatibility
    # decomposition); four rounds are more than Unicode ever needs.
    for _ in range(4):
        folded = _fold_once(current)
        if folded == current:
            break
        current = folded
    if len(current) > 1 and _JAMO.search(current):  # ㈜ -> "(주)", not "(주)"
        current = "".join([unit.char for unit in compose([Unit(c, 0, 1) for c in current])])
    return current if len(current) <= MAX_EXPANSION else SPACE


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    homoglyphs = fold_map()
    out: list[str] = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES or char in _INVISIBLE:
            continue
        if char.isspace() or category[0] in "CZ":
            out.append(SPACE)
            continue
        lookalike = homoglyphs.get(char, char)
        out.append(_LETTER_LIKE.get(lookalike, lookalike))
    return "".join(out)


def fold_leet(units: Sequence[Unit]) -> list[Unit]:
    """Replace leetspeak digits and symbols by letters, where the context says they are.

    One replacement can give the next symbol a letter for a neighbour ("a1@" -> "ai@" ->
    "aia"), so the result is the fixpoint of replacing every symbol whose context allows
    it. Contexts only ever gain letters (a replaced symbol becomes a letter and never
    changes back), so the fixpoint does not depend on the order of replacements: a
    worklist reaches it touching each run of one repeated character a bounded number of
    times. Cost: O(n) for n units; each run is replaced at most once, and each word
    turns "lettered" at most once.
    """
    out = list(units)
    text = "".join(map(_CHAR, units))
    if _LEET_KEY.search(text) is None:
        return out
    # A word's context ends at its edges (a neighbour outside it is neither a letter
    # nor a digit), so each word folds on its own, and words without a digit or
    # symbol, most of them, not at all.
    for word in _LEET_WORD.finditer(text):
        start, end = word.span()
        if _LEET_KEY.search(text, start, end) is None:
            continue
        folded = _fold_leet_word(word.group())
        if folded == word.group():
            continue
        for i, (old, new) in enumerate(zip(word.group(), folded, strict=True), start):
            if old != new:
                out[i] = out[i]._replace(char=new)
    return out


@lru_cache(maxsize=1024)
def _fold_leet_word(word: str) -> str:
    """:func:`fold_leet` on one word of ASCII letters, digits and leet symbols."""
    runs = _Runs(word)
    pending = list(range(len(runs.chars)))
    while pending:
        run = pending.pop()
        if runs.replaced[run] or not runs.applies(run):
            continue
        pending.extend(runs.replace(run))
    return "".join([LEET[c] if runs.replaced[r] else c for c, r in zip(word, runs.of, strict=True)])


class _Runs:
    """Runs of one repeated character, the state of :func:`fold_leet`'s worklist.

    A run is replaced as a whole: a character's context is its nearest *different*
    neighbours, the same for every character of a run. Skipping repeats makes "a++b"
    and "a+b" fold alike, which keeps collapse (step 5) from creating new leet
    contexts, and so keeps the pipeline idempotent.
    """

    def __init__(self, chars: Sequence[str]) -> None:
        self.of: list[int] = []  # the run of each character
        self.chars: list[str] = []
        self.word: list[int] = []  # the leet word of each run, -1 outside words
        words = 0
        for i, char in enumerate(chars):
            if i == 0 or chars[i - 1] != char:
                if not _is_leet_word_char(char):
                    self.word.append(-1)
                elif self.word and self.word[-1] >= 0:
                    self.word.append(self.word[-1])
                else:
                    self.word.append(words)
                    words += 1
                self.chars.append(char)
            self.of.append(len(self.chars) - 1)
        self.lettered = [False] * words
        self.digit_runs: list[list[int]] = [[] for _ in range(words)]
        for run, (char, word) in enumerate(zip(self.chars, self.word, strict=True)):
            if char in ASCII_LETTERS:
                self.lettered[word] = True
            elif char in ASCII_DIGITS:
                self.digit_runs[word].append(run)
        self.replaced = [False] * len(self.chars)

    def current(self, run: int) -> str:
        if not 0 <= run < len(self.chars):
            return ""
        char = self.chars[run]
        return LEET[char] if self.replaced[run] else char

    def applies(self, run: int) -> bool:
        char = self.chars[run]
        if char not in LEET:
            return False
        if char in ASCII_DIGITS:
            return self.lettered[self.word[run]]
        before, after = self.current(run - 1), self.current(run + 1)
        return _leet_applies(char, before, after)

    def replace(self, run: int) -> list[int]:
        """Replace ``run`` by its letter; the runs whose context may have changed."""
        self.replaced[run] = True
        woken = [run - 1, run + 1]
        word = self.word[run]
        if not self.lettered[word]:
            self.lettered[word] = True
            woken.extend(self.digit_runs[word])
        return [other for other in woken if 0 <= other < len(self.chars)]


def _is_leet_word_char(char: str) -> bool:
    return char in ASCII_LETTERS or char in ASCII_DIGITS or char in LEET_SYMBOLS


def _leet_applies(char: str, before: str, after: str) -> bool:
    """Whether the digit or symbol ``char`` is a letter, given its nearest different
    neighbours (a digit is decided by its word instead)."""
    if char in "@$":
        return before in ASCII_LETTERS or after in ASCII_LETTERS
    if char in "!|":
        # "sh!t", "!diot"; a trailing "idiot!" is punctuation, not a letter.
        return after in ASCII_LETTERS or after in ASCII_DIGITS
    return before in ASCII_LETTERS and after in ASCII_LETTERS  # "+", as in "idio+s"


@lru_cache(maxsize=8192)
def is_word_char(char: str) -> bool:
    """Letters and digits of any script; everything else separates words."""
    return char.isalnum() or is_hangul(char)


@lru_cache(maxsize=8192)
def char_class(char: str) -> int:
    """Which kind of word a character belongs to; a change of class is a word boundary.

    0 separator, 1 Latin letters and digits, 2 Hangul syllables, 3 loose jamo, 4 other.
    "idiot이야" is two words, and "바보ㅋㅋ" is the word 바보 and a laugh.
    """
    if char.isascii():
        return 1 if char.isalnum() else 0
    if is_syllable(char):
        return 2
    if is_jamo(char):
        return 3
    return 4 if is_word_char(char) else 0


def collapse(units: Sequence[Unit]) -> Folded:
    """Merge runs of one repeated character, counting them (step 5). O(n).

    The characters and spans are gathered at C speed; Python work is per run of
    repeats only, and none at all when nothing repeats.
    """
    text = "".join(map(_CHAR, units))
    spans = list(map(_SPAN, units))
    if _REPEAT.search(text) is None:
        return Folded(text, (1,) * len(text), tuple(spans))
    counts = list(map(len, map(_WHOLE, _RUN.finditer(text))))
    firsts = list(accumulate(counts, initial=0))
    merged = list(map(spans.__getitem__, firsts[:-1]))
    for run in [run for run, count in enumerate(counts) if count > 1]:
        inside = spans[firsts[run] : firsts[run + 1]]
        merged[run] = (min(map(_START, inside)), max(map(_END, inside)))
    chars = "".join(map(text.__getitem__, firsts[:-1]))
    return Folded(chars, tuple(counts), tuple(merged))

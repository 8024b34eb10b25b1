"""Hangul arithmetic for matching: composing jamo, initial-consonant keys.

Trolls defeat Korean word lists by typing a word as loose letters ("ㅂㅏㅂㅗ"), or by
typing only its initial consonants ("ㅅㅂ" for 시발). The normaliser decomposes every
syllable into conjoining jamo (NFKD) and this module composes them back, so a word
typed either way reaches the matcher as the same syllables. The arithmetic is the one
the Unicode standard defines (chapter 3.12, "Conjoining Jamo Behavior"); no tables
beyond the list of which initials can also close a syllable.

Pure functions only: nothing here reads data files or keeps state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
L_FIRST, L_COUNT = 0x1100, 19
V_FIRST, V_COUNT = 0x1161, 21
T_FIRST, T_COUNT = 0x11A7, 28  # T index 0 means "no final consonant"
_N_COUNT = V_COUNT * T_COUNT

# Initial consonant index -> final consonant index, for the initials that can also
# close a syllable (ㄸ, ㅃ and ㅉ cannot).
_L_TO_T = {
    0: 1, 1: 2, 2: 4, 3: 7, 5: 8, 6: 16, 7: 17, 9: 19, 10: 20,
    11: 21, 12: 22, 14: 23, 15: 24, 16: 25, 17: 26, 18: 27,
}  # fmt: skip


_LAUGH = frozenset("\u110f\u1112")  # conjoining ㅋ and ㅎ
_OPEN_SYLLABLES = "".join(chr(SYLLABLE_FIRST + k * T_COUNT) for k in range(L_COUNT * V_COUNT))
# Where compose has work: an initial and a vowel, or a syllable without a final that a
# loose final follows.
_SYLLABLE_START = re.compile(
    f"[{chr(L_FIRST)}-{chr(L_FIRST + L_COUNT - 1)}][{chr(V_FIRST)}-{chr(V_FIRST + V_COUNT - 1)}]"
    f"|(?P<open>[{_OPEN_SYLLABLES}])(?=[{chr(T_FIRST + 1)}-{chr(T_FIRST + T_COUNT - 1)}])"
)


class Unit(NamedTuple):
    """One character of a matching view and the span of original text it came from."""

    char: str
    start: int
    end: int


def is_syllable(char: str) -> bool:
    return SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


def is_initial(char: str) -> bool:
    """A conjoining choseong (the form NFKD gives to a loose consonant like ㅅ)."""
    return L_FIRST <= ord(char) < L_FIRST + L_COUNT


def is_vowel(char: str) -> bool:
    return V_FIRST <= ord(char) < V_FIRST + V_COUNT


def is_final(char: str) -> bool:
    return T_FIRST < ord(char) < T_FIRST + T_COUNT


def is_jamo(char: str) -> bool:
    """Any conjoining or compatibility jamo, modern or archaic."""
    code = ord(char)
    return 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xA960 <= code <= 0xA97F


def is_hangul(char: str) -> bool:
    return is_syllable(char) or is_jamo(char) or 0xD7B0 <= ord(char) <= 0xD7FF


def initial_of(syllable: str) -> str:
    """The conjoining initial consonant of a precomposed syllable."""
    index = (ord(syllable) - SYLLABLE_FIRST) // _N_COUNT
    return chr(L_FIRST + index)


def choseong(word: str) -> str | None:
    """The initial-consonant abbreviation of an all-Hangul word (시발 -> ᄉᄇ), else None.

    The result uses conjoining jamo because that is what the normaliser turns a
    typed ㅅ into; compare it only with normalised text. O(n).
    """
    if not word or not all(is_syllable(char) for char in word):
        return None
    return "".join(initial_of(char) for char in word)


def compose(units: Sequence[Unit]) -> list[Unit]:
    """Compose runs of conjoining jamo into syllables, keeping original spans.

    An initial followed by a vowel starts a syllable. A following final joins it; so
    does a loose initial that no vowel follows, but only when the syllable was itself
    typed as loose letters ("ㅂㅏㅂ" -> 밥) and the consonant does not start a laugh
    (ㅋㅋ, ㅎㅎ). A syllable that was typed precomposed never
    swallows the consonant after it, so "개ㅅㄲ" stays 개 + ㅅ + ㄲ. That rule is
    what keeps this function idempotent on its own output.

    O(n): a regular expression finds where syllables start, each is built from at
    most three units, and the units between are copied as they are.
    """
    out: list[Unit] = []
    i = 0
    # A regular expression finds where a syllable starts, and the units between are
    # copied as they are. O(n).
    for start in _SYLLABLE_START.finditer("".join([unit.char for unit in units])):
        out.extend(units[i : start.start()])
        if start.group("open"):  # 바 + ᆫ: the normaliser keeps syllables precomposed
            syllable, final = units[start.start()], units[start.start() + 1]
            char = chr(ord(syllable.char) + ord(final.char) - T_FIRST)
            out.append(Unit(char, syllable.start, max(syllable.end, final.end)))
            i = start.start() + 2
        else:
            i = _syllable(units, start.start(), out)
    out.extend(units[i:])
    return out


def _syllable(units: Sequence[Unit], i: int, out: list[Unit]) -> int:
    """Append the syllable whose initial is ``units[i]``; where the next one starts."""
    n = len(units)
    lead, vowel = units[i], units[i + 1]
    final_index, end, j = 0, max(lead.end, vowel.end), i + 2
    if j < n and is_final(units[j].char):
        final_index, end, j = ord(units[j].char) - T_FIRST, max(end, units[j].end), j + 1
    elif j < n and _closes(units, j) and (lead.start, lead.end) != (vowel.start, vowel.end):
        final_index = _L_TO_T[ord(units[j].char) - L_FIRST]
        end, j = max(end, units[j].end), j + 1
    index = ((ord(lead.char) - L_FIRST) * V_COUNT + ord(vowel.char) - V_FIRST) * T_COUNT
    out.append(Unit(chr(SYLLABLE_FIRST + index + final_index), lead.start, end))
    return j


def _closes(units: Sequence[Unit], j: int) -> bool:
    """Whether the loose initial at ``j`` can be read as the final of the syllable before."""
    char = units[j].char
    if not is_initial(char) or ord(char) - L_FIRST not in _L_TO_T:
        return False
    following = units[j + 1].char if j + 1 < len(units) else ""
    # ㅋㅋ and ㅎㅎ are laughter ("ㅁㅣㅋㅋ" is 미 + ㅋㅋ), not a final and an initial.
    if following == char and char in _LAUGH:
        return False
    return not (following and is_vowel(following))

"""Korean typed on an English keyboard: read Latin keystrokes as the Hangul they type.

With the Korean input method switched off, 시발 comes out as "tlqkf" and 개새끼 as
"rotoRl": each key of the standard 2-set (두벌식) layout is one jamo, and shift gives
the doubled consonants ㄲㄸㅃㅆㅉ and the vowels ㅒㅖ. A word list of Hangul entries
never sees those letters, so the matcher also scans a view where every Latin run that
*decodes to well-formed Hangul* is replaced by the syllables it types.

"Well-formed" is what an input method would compose without leftovers: every vowel has
one consonant before it, two vowels in a row must make a compound vowel (ㅗ+ㅏ = ㅘ), and
the consonants between two vowels are at most one final (or a compound final such as
ㄺ) plus the next initial. Most English words fail that test at once ("the": ㅅㅗㄷ is
fine, but "stupid" starts with two consonants), and those that pass only matter if the
Hangul they spell contains a listed word, which the property tests check for clean text.

Pure and O(n) in the run length: one pass to classify keys, one to group syllables.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache

from commentdesk.triage.hangul import SYLLABLE_FIRST, T_COUNT, V_COUNT, Unit, is_syllable
from commentdesk.triage.normalize import SPACE, Folded, finish, fold_char

# Compatibility jamo of each key; upper case is the shifted key where it differs.
_CONSONANT_KEYS = dict(
    zip("rRseEfaqQtTdwWczxvg", "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ", strict=True)
)
_VOWEL_KEYS = dict(zip("koiOjpuPhynbml", "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ", strict=True))
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
_COMPOUND_VOWELS = {
    "ㅗㅏ": "ㅘ", "ㅗㅐ": "ㅙ", "ㅗㅣ": "ㅚ", "ㅜㅓ": "ㅝ",
    "ㅜㅔ": "ㅞ", "ㅜㅣ": "ㅟ", "ㅡㅣ": "ㅢ",
}  # fmt: skip
_COMPOUND_FINALS = {
    "ㄱㅅ": "ㄳ", "ㄴㅈ": "ㄵ", "ㄴㅎ": "ㄶ", "ㄹㄱ": "ㄺ", "ㄹㅁ": "ㄻ", "ㄹㅂ": "ㄼ",
    "ㄹㅅ": "ㄽ", "ㄹㅌ": "ㄾ", "ㄹㅍ": "ㄿ", "ㄹㅎ": "ㅀ", "ㅂㅅ": "ㅄ",
}  # fmt: skip
# The shape of a well-formed run, as a fast filter in C: a consonant key, a vowel (or
# a compound vowel's two keys), then groups of 1-3 consonants (finals and the next
# initial) and a vowel, and at most two final consonants. Consonant and vowel keys are
# disjoint, so matching is linear. decode() still checks which finals exist.
_C = "[rsefaqtdwczxvgRSEFAQTDWCZXVG]"
_V = "(?:[hH][kKolL]|[nN][jJplL]|[mM][lL]|[koijpuhynbmlKOIJPUHYNBML])"
_LATIN_RUN = re.compile(f"(?<![A-Za-z]){_C}{_V}(?:{_C}{{1,3}}{_V})*{_C}{{0,2}}(?![A-Za-z])")
_TOKEN = re.compile(r"\S+")

#: A decoded syllable and the slice of the run that typed it.
Syllable = tuple[str, int, int]


def keyboard_view(text: str, grams: Container[str] = ()) -> Folded | None:
    """The words of ``text`` that hold keystrokes of Hangul, read as Hangul, with the
    word before and the word after each.

    Only those words, joined by a space, so an English comment keeps its English
    reading in the text view ("work" is also 재가) and the extra scan is at most three
    times as long as the decoded words. A word is a run of non-space characters, so
    Hangul glued to the keystrokes stays with them ("qudtls같은"), and a neighbour
    completes a phrase ("alcls 놈들" -> 미친 놈들). None when no run decodes. O(n).

    With ``grams`` (:func:`grams`), a run is kept only if it types a pair of syllables
    that some listed word has, or touches Hangul: "the" types 솓 and "work" 재가, and
    nothing listed holds them, so an English comment rarely has this view at all.
    """
    runs = keystroke_runs(text, grams)
    if not runs:
        return None
    tokens = [token.span() for token in _TOKEN.finditer(text)]
    held: dict[int, list[tuple[int, int, list[Syllable]]]] = {}
    k = 0
    for index, (_, last) in enumerate(tokens):
        while k < len(runs) and runs[k][0] < last:
            held.setdefault(index, []).append(runs[k])
            k += 1
    kept = sorted({near for index in held for near in (index - 1, index, index + 1)})
    units: list[Unit] = []
    for index in kept:
        if not 0 <= index < len(tokens):
            continue
        first, last = tokens[index]
        if units:
            units.append(Unit(SPACE, units[-1].start, units[-1].end))
        i = first
        for start, end, syllables in held.get(index, ()):
            units.extend(_folded(text, i, start))
            units.extend(Unit(char, begin, stop) for char, begin, stop in syllables)
            i = end
        units.extend(_folded(text, i, last))
    return finish(units)


def grams(words: Iterable[str]) -> frozenset[str]:
    """Pairs of neighbouring syllables of ``words`` (spaces ignored), and the words of
    one syllable: what a decoded run must hold to be worth a scan."""
    found: set[str] = set()
    for word in words:
        syllables = "".join(char for char in word if is_syllable(char))
        if len(syllables) == 1:
            found.add(syllables)
        found.update(syllables[k : k + 2] for k in range(len(syllables) - 1))
    return frozenset(found)


def _wanted(
    text: str, span: tuple[int, int], syllables: Sequence[Syllable], wanted: Container[str]
) -> bool:
    start, end = span
    typed = "".join(char for char, _, _ in syllables)
    if any(typed[k : k + 2] in wanted for k in range(len(typed) - 1)) or typed in wanted:
        return True
    before, after = text[start - 1 : start], text[end : end + 1]
    return any(is_syllable(char) for char in (*before, *after))


def _folded(text: str, start: int, end: int) -> list[Unit]:
    return [Unit(c, j, j + 1) for j in range(start, end) for c in fold_char(text[j])]


def keystroke_runs(text: str, grams: Container[str] = ()) -> list[tuple[int, int, list[Syllable]]]:
    """Every Latin run of ``text`` that types well-formed Hangul: (start, end, syllables),
    only those :func:`keyboard_view` wants when ``grams`` are given.

    Syllable spans are offsets into ``text``. A run in capitals only is read as typed
    with caps lock on ("TLQKF" is tlqkf). O(n); a repeated word is decoded once.
    """
    found = []
    for run in _LATIN_RUN.finditer(text):
        keys = run.group()
        if keys.isupper():
            keys = keys.lower()
        syllables = decode(keys)
        if syllables is not None and (not grams or _wanted(text, run.span(), syllables, grams)):
            start = run.start()
            shifted = [(char, start + first, start + last) for char, first, last in syllables]
            found.append((run.start(), run.end(), shifted))
    return found


@lru_cache(maxsize=8192)
def decode(keys: str) -> tuple[Syllable, ...] | None:
    """The syllables the 2-set keys ``keys`` type, or None when they are not well-formed.

    O(len(keys)); cached, as comments repeat their words.
    """
    jamo = []
    for key in keys:
        if key in _CONSONANT_KEYS:
            jamo.append((_CONSONANT_KEYS[key], False))
        elif key in _VOWEL_KEYS or key.lower() in _VOWEL_KEYS:
            jamo.append((_VOWEL_KEYS.get(key) or _VOWEL_KEYS[key.lower()], True))
        elif key.lower() in _CONSONANT_KEYS:
            jamo.append((_CONSONANT_KEYS[key.lower()], False))
        else:
            return None
    syllables = _syllables(jamo)
    return None if syllables is None else tuple(syllables)


def _syllables(jamo: Sequence[tuple[str, bool]]) -> list[Syllable] | None:
    """Group jamo as (initial, vowel or compound vowel, final or compound final)."""
    vowels = _vowel_groups(jamo)
    if vowels is None or not vowels or vowels[0][0] != 1:
        return None  # no vowel, or not exactly one consonant before the first
    out: list[Syllable] = []
    for k, (first, last) in enumerate(vowels):
        following = vowels[k + 1][0] if k + 1 < len(vowels) else len(jamo) + 1
        finals = following - last - 1  # consonants left for this syllable's final
        if finals < 0 or finals > 2:
            return None
        final = "".join(char for char, _ in jamo[last : last + finals])
        final = _COMPOUND_FINALS.get(final, final)
        if final not in _FINALS:
            return None
        vowel = "".join(char for char, _ in jamo[first:last])
        syllable = _compose(jamo[first - 1][0], _COMPOUND_VOWELS.get(vowel, vowel), final)
        out.append((syllable, first - 1, last + finals))
    return out


def _vowel_groups(jamo: Sequence[tuple[str, bool]]) -> list[tuple[int, int]] | None:
    """The [first, last) index of each vowel or compound vowel; None if three in a row."""
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(jamo):
        if not jamo[i][1]:
            i += 1
            continue
        j = i + 1
        if j < len(jamo) and jamo[j][1]:
            if jamo[i][0] + jamo[j][0] not in _COMPOUND_VOWELS:
                return None
            j += 1
        if j < len(jamo) and jamo[j][1]:
            return None
        groups.append((i, j))
        i = j
    return groups


def _compose(initial: str, vowel: str, final: str) -> str:
    lead, middle = _INITIALS.find(initial), _VOWELS.find(vowel)
    if lead < 0 or middle < 0:
        return ""
    return chr(SYLLABLE_FIRST + (lead * V_COUNT + middle) * T_COUNT + _FINALS.index(final))

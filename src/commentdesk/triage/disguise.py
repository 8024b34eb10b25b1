"""The disguised view: a comment rewritten the way a reader decodes its disguises.

The text view (:mod:`commentdesk.triage.normalize`) already undoes case, accents,
homoglyphs, leetspeak, loose jamo and repeated letters. What it cannot undo needs a
guess about intent, so those guesses build a *second* view that the matcher scans as
well, and a clean reading is never lost (Korean typed on an English keyboard has a view
of its own, :mod:`~.keyboard`, because "work" is also 재가):

1. number and letter puns from a small table per language ("18", "1ㅅ8", "십팔" ->
   씨팔, "10새끼" -> 씹새끼, "c발" -> 씨발), :mod:`~.puns`;
2. Latin look-alikes of jamo next to loose jamo ("ㅅl발" -> 시발, "5ㅐ끼" -> 새끼), and
   short romanised syllables glued to Hangul ("병sin" -> 병신);
3. a Korean syllable stretched by vowel-only syllables ("씨이이발" -> 씨발, "병시이이인"
   -> 병신): 이/아/어... after a syllable ending in that vowel merge into it, and the last
   one may bring the final consonant;
4. English letter swaps, made on both the text and the listed words (:func:`canonical`):
   ph -> f, z at a word's end or doubled -> s, v between two consonants -> u, y
   between two consonants -> i ("fvck", "phuck", "bitchez", "shyt" read as listed
   words); ck / q / hard c as k are spellings of the listed words instead
   (:func:`spellings`: "fuk", "fuq", "kunt").

Only the words where a disguise may start are read this way (:func:`disguised`).

Each step is one regular-expression pass or one loop over the units, O(n) in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from commentdesk.triage.hangul import (
    L_COUNT,
    L_FIRST,
    SYLLABLE_FIRST,
    T_COUNT,
    V_COUNT,
    V_FIRST,
    Unit,
    compose,
    is_syllable,
)
from commentdesk.triage.normalize import (
    SPACE,
    Folded,
    collapse,
    expand,
    fold_leet,
    is_word_char,
)
from commentdesk.triage.puns import rewrite, rewrite_puns

_CONSONANTS = "bcdfghjkmnpqrstvwxz"  # "l" folds to "i" before this step
# "i" too around a v: "l" folds to "i", so "slvt" reaches this step as "sivt"; "y"
# too, since the swaps read the text as typed: "servyces" and "services" agree.
_SWAPS = re.compile(
    "|".join(
        [
            "ph", "z(?![a-z])", "zz",
            f"(?<=[{_CONSONANTS}iy])v(?=[{_CONSONANTS}iy])",
            f"(?<=[{_CONSONANTS}])y(?=[{_CONSONANTS}])",
        ]
    )
)  # fmt: skip
_SWAP_TO = {"ph": "f", "z": "s", "zz": "ss", "v": "u", "y": "i"}
# The c / k family is a matter of the listed words' spellings instead (spellings()):
# "c" is in most English words, so rewriting the text would give nearly every comment
# a second view; "fuk", "fuq" and "kunt" are few spellings of few entries.
_HARD_C = re.compile("ck|c(?![eiyh])")
_HARD_C_TO = {"ck": ("ck", "k", "q"), "c": ("c", "k")}
MAX_SPELLINGS = 64
_LOOSE_INITIAL = f"[{chr(L_FIRST)}-{chr(L_FIRST + L_COUNT - 1)}]"
_LOOSE_VOWEL = f"[{chr(V_FIRST)}-{chr(V_FIRST + V_COUNT - 1)}]"
_LOOKALIKES = re.compile(
    rf"(?<={_LOOSE_INITIAL})(?P<i>[i|1!])|(?<={_LOOSE_INITIAL})(?P<a>r|a(?!e))"
    rf"|(?<={_LOOSE_INITIAL})(?P<yeo>yeo|y(?![aeou]))|(?<={_LOOSE_INITIAL})(?P<yu>yu)|(?<={_LOOSE_INITIAL})(?P<eo>eo)"
    rf"|(?<={_LOOSE_INITIAL})(?P<ae>ae)|(?<={_LOOSE_INITIAL})(?P<u>u)"
    rf"|(?P<ng>[o0])(?={_LOOSE_VOWEL})|(?P<s>5)(?={_LOOSE_VOWEL})|(?P<g>7)(?={_LOOSE_VOWEL})"
)
_LOOKALIKE_TO = {
    "i": "\u1175", "a": "\u1161", "ng": "\u110b", "s": "\u1109", "g": "\u1100",
    "yeo": "\u1167", "eo": "\u1165", "ae": "\u1162", "u": "\u116e", "yu": "\u1172",
}  # fmt: skip
_IEUNG = 11  # ㅇ as an initial: a syllable "without" a consonant
_IEUNG_FIRST = SYLLABLE_FIRST + _IEUNG * V_COUNT * T_COUNT
# Syllables that start with ㅇ (아 to 잏), right after another syllable.
_IEUNG_LAST = _IEUNG_FIRST + V_COUNT * T_COUNT - 1
_VOWEL_ONLY = re.compile(
    f"(?<=[{chr(SYLLABLE_FIRST)}-\ud7a3])[{chr(_IEUNG_FIRST)}-{chr(_IEUNG_LAST)}]"
)
# The vowels that may stretch each vowel (by index): its own, and the one it ends on.
_STRETCH = {
    0: "ㅏ", 1: "ㅐㅔ", 2: "ㅏㅑ", 3: "ㅐㅔ", 4: "ㅓ", 5: "ㅔㅐ", 6: "ㅓㅕ", 7: "ㅔㅐ",
    8: "ㅗ", 9: "ㅏ", 10: "ㅐㅔ", 11: "ㅔㅐ", 12: "ㅗㅛ", 13: "ㅜ", 14: "ㅓ", 15: "ㅔㅐ",
    16: "ㅣ", 17: "ㅜㅠ", 18: "ㅡ", 19: "ㅣ", 20: "ㅣ",
}  # fmt: skip
_VOWEL_ORDER = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"


def _stretch_pairs() -> str:
    """A syllable without a final, then a vowel-only syllable that stretches it."""
    pairs = []
    for vowel, stretching in _STRETCH.items():
        opens = "".join(
            chr(SYLLABLE_FIRST + (lead * V_COUNT + vowel) * T_COUNT) for lead in range(L_COUNT)
        )
        ranges = "".join(
            f"{chr(_IEUNG_FIRST + _VOWEL_ORDER.index(v) * T_COUNT)}"
            f"-{chr(_IEUNG_FIRST + _VOWEL_ORDER.index(v) * T_COUNT + T_COUNT - 1)}"
            for v in stretching
        )
        pairs.append(f"[{opens}][{ranges}]")
    return "|".join(pairs)


_HANGUL = re.compile("[\u1100-\u11ff\uac00-\ud7a3]")
_TRIGGER = re.compile(
    f"ph|z(?![a-z])|zz|(?<=[{_CONSONANTS}iy])v(?=[{_CONSONANTS}iy])"
    f"|(?<=[{_CONSONANTS}])y(?=[{_CONSONANTS}])"
)
_KOREAN_TRIGGER = re.compile(
    "[0-9]|십|[a-z|!](?=[\u1100-\u11ff\uac00-\ud7a3])|(?<=[\u1100-\u11ff\uac00-\ud7a3])[a-z|!]"
    f"|{_stretch_pairs()}"
)
_WORD = re.compile("[^ ]+")


def disguised(units: Sequence[Unit], window: int = 4) -> Folded | None:
    """The disguised reading of the words of a text that may hold a disguise, or None.

    ``units`` are the text's expanded units (:func:`~.normalize.expand`). A word is a
    run of non-space units; only the words where a disguise could start (a digit or
    Latin letter touching Hangul or jamo, a vowel-only syllable after its vowel, ph,
    a final z, v or y between consonants) are read, each with ``window`` words on
    either side so a listed phrase stays whole, joined by a space. Nearly every comment
    has none, and costs one regular-expression search. O(n) in the units.
    """
    chars = "".join([unit.char for unit in units])
    hits = [m.start() for m in _TRIGGER.finditer(chars)]
    if _HANGUL.search(chars):
        hits += [m.start() for m in _KOREAN_TRIGGER.finditer(chars)]
    if not hits:
        return None
    words = [word.span() for word in _WORD.finditer(chars)]
    starts = [first for first, _ in words]
    chosen = {bisect_right(starts, hit) - 1 for hit in hits}
    kept = sorted({k for word in chosen for k in range(word - window, word + window + 1)})
    joined: list[Unit] = []
    for k in kept:
        if 0 <= k < len(words):
            if joined:
                joined.append(Unit(SPACE, joined[-1].start, joined[-1].end))
            joined.extend(units[words[k][0] : words[k][1]])
    joined = rewrite_puns(joined)
    joined = rewrite(joined, _LOOKALIKES, lambda m: _LOOKALIKE_TO[m.lastgroup or "i"])
    return _close(swap_latin(stretch(compose(fold_leet(joined)))))


def spellings(text: str) -> tuple[str, ...]:
    """The spellings of a listed word with a hard c as k, and ck as k or q ("fuck",
    "fuk", "fuq", "kunt"), the word itself first; at most :data:`MAX_SPELLINGS`."""
    pieces = _HARD_C.split(text.casefold())
    found = _HARD_C.findall(text.casefold())
    if not found:
        return (text,)
    out = [pieces[0]]
    for piece, rest in zip(found, pieces[1:], strict=True):
        out = [done + option + rest for done in out for option in _HARD_C_TO[piece]]
        out = out[:MAX_SPELLINGS]
    return (text, *(spelling for spelling in out if spelling != text.casefold()))


def canonical(text: str) -> Folded:
    """A listed word or suffix in the form the disguised view compares it with. O(n)."""
    return _close(swap_latin(stretch(compose(fold_leet(expand(text))))))


def _close(units: Sequence[Unit]) -> Folded:
    """The last step of :func:`~.normalize.finish` (leet and jamo are done already):
    separators become spaces, repeats collapse. O(n)."""
    spaced = [
        unit if is_word_char(unit.char) else Unit(SPACE, unit.start, unit.end) for unit in units
    ]
    return collapse(spaced)


def swap_latin(units: Sequence[Unit]) -> list[Unit]:
    """English letter swaps (step 4) on folded, lower-case units. O(n)."""
    return rewrite(units, _SWAPS, lambda m: _SWAP_TO[m.group()])


def stretch(units: Sequence[Unit]) -> list[Unit]:
    """Merge vowel-only syllables into the open syllable they stretch (step 3). O(n):
    a regular expression finds the candidates, syllables after a syllable."""
    chars = "".join([unit.char for unit in units])
    out: list[Unit] = []
    i = 0
    for candidate in _VOWEL_ONLY.finditer(chars):
        k = candidate.start()
        out.extend(units[i:k])
        merged = _stretched(out[-1], units[k]) if out else None
        if merged is None:
            out.append(units[k])
        else:
            out[-1] = merged
        i = k + 1
    out.extend(units[i:])
    return out


def _stretched(before: Unit, unit: Unit) -> Unit | None:
    """``before`` stretched by ``unit`` (씨 + 이 -> 씨, 시 + 인 -> 신), or None."""
    if not (is_syllable(before.char) and is_syllable(unit.char)):
        return None
    lead, vowel, final = _parts(before.char)
    stretch_lead, stretch_vowel, stretch_final = _parts(unit.char)
    if final or stretch_lead != _IEUNG or _VOWEL_ORDER[stretch_vowel] not in _STRETCH[vowel]:
        return None
    char = chr(SYLLABLE_FIRST + (lead * V_COUNT + vowel) * T_COUNT + stretch_final)
    return Unit(char, min(before.start, unit.start), max(before.end, unit.end))


def _parts(syllable: str) -> tuple[int, int, int]:
    index = ord(syllable) - SYLLABLE_FIRST
    lead, rest = divmod(index, V_COUNT * T_COUNT)
    vowel, final = divmod(rest, T_COUNT)
    return lead, vowel, final

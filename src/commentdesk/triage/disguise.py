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
   ph -> f, ck / q / hard c (not before e, y, h; "l" reads as "i") -> k, z at a
   word's end or doubled -> s, v between two consonants -> u, y between two
   consonants -> i ("fvck", "phuck", "kunt", "bitchez", "shyt" read as listed words).

Each step is one regular-expression pass or one loop over the units, O(n) in the text.
"""

from __future__ import annotations

import re
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
from commentdesk.triage.normalize import Folded, expand, finish, fold_leet
from commentdesk.triage.puns import rewrite, rewrite_puns

_CONSONANTS = "bcdfghjkmnpqrstvwxz"  # "l" folds to "i" before this step
# "i" too around a v: "l" folds to "i", so "slvt" reaches this step as "sivt"; "y"
# too, since the swaps read the text as typed: "servyces" and "services" agree.
_SWAPS = re.compile(
    "|".join(
        [
            "ph", "ck", "q", "c(?![ehy])", "z(?![a-z])", "zz",
            f"(?<=[{_CONSONANTS}iy])v(?=[{_CONSONANTS}iy])",
            f"(?<=[{_CONSONANTS}])y(?=[{_CONSONANTS}])",
        ]
    )
)  # fmt: skip
_SWAP_TO = {"ph": "f", "ck": "k", "q": "k", "c": "k", "z": "s", "zz": "ss", "v": "u", "y": "i"}
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
# The vowels that may stretch each vowel (by index): its own, and the one it ends on.
_STRETCH = {
    0: "ㅏ", 1: "ㅐㅔ", 2: "ㅏㅑ", 3: "ㅐㅔ", 4: "ㅓ", 5: "ㅔㅐ", 6: "ㅓㅕ", 7: "ㅔㅐ",
    8: "ㅗ", 9: "ㅏ", 10: "ㅐㅔ", 11: "ㅔㅐ", 12: "ㅗㅛ", 13: "ㅜ", 14: "ㅓ", 15: "ㅔㅐ",
    16: "ㅣ", 17: "ㅜㅠ", 18: "ㅡ", 19: "ㅣ", 20: "ㅣ",
}  # fmt: skip
_VOWEL_ORDER = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"


def disguised(text: str) -> Folded:
    """The disguised reading of ``text`` as a matching view. O(n)."""
    units = rewrite_puns(expand(text))
    units = rewrite(units, _LOOKALIKES, lambda m: _LOOKALIKE_TO[m.lastgroup or "i"])
    return finish(swap_latin(stretch(compose(fold_leet(units)))))


def canonical(text: str) -> Folded:
    """A listed word or suffix in the form the disguised view compares it with. O(n)."""
    return finish(swap_latin(stretch(compose(fold_leet(expand(text))))))


def swap_latin(units: Sequence[Unit]) -> list[Unit]:
    """English letter swaps (step 4) on folded, lower-case units. O(n)."""
    return rewrite(units, _SWAPS, lambda m: _SWAP_TO[m.group()])


def stretch(units: Sequence[Unit]) -> list[Unit]:
    """Merge vowel-only syllables into the open syllable they stretch (step 3). O(n)."""
    out: list[Unit] = []
    for unit in units:
        merged = _stretched(out[-1], unit) if out else None
        if merged is None:
            out.append(unit)
        else:
            out[-1] = merged
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

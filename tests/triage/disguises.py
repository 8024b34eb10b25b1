"""Hypothesis strategies for the disguises the disguised view undoes.

Each builds the disguise from a listed word, the way a troll would type it: keystrokes
of the 2-set keyboard, a syllable stretched with vowel-only syllables, Latin look-alikes
of jamo, English letter swaps. Tests embed the result in a sentence and expect the
matcher to find the word again.
"""

from __future__ import annotations

from hypothesis import strategies as st

from commentdesk.triage.hangul import SYLLABLE_FIRST, is_syllable

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
# The 2-set layout, written out independently of the code under test.
KEYS = {
    "ㄱ": "r", "ㄲ": "R", "ㄴ": "s", "ㄷ": "e", "ㄸ": "E", "ㄹ": "f", "ㅁ": "a", "ㅂ": "q",
    "ㅃ": "Q", "ㅅ": "t", "ㅆ": "T", "ㅇ": "d", "ㅈ": "w", "ㅉ": "W", "ㅊ": "c", "ㅋ": "z",
    "ㅌ": "x", "ㅍ": "v", "ㅎ": "g", "ㅏ": "k", "ㅐ": "o", "ㅑ": "i", "ㅒ": "O", "ㅓ": "j",
    "ㅔ": "p", "ㅕ": "u", "ㅖ": "P", "ㅗ": "h", "ㅛ": "y", "ㅜ": "n", "ㅠ": "b", "ㅡ": "m",
    "ㅣ": "l", "ㅘ": "hk", "ㅙ": "ho", "ㅚ": "hl", "ㅝ": "nj", "ㅞ": "np", "ㅟ": "nl",
    "ㅢ": "ml", "ㄳ": "rt", "ㄵ": "sw", "ㄶ": "sg", "ㄺ": "fr", "ㄻ": "fa", "ㄼ": "fq",
    "ㄽ": "ft", "ㄾ": "fx", "ㄿ": "fv", "ㅀ": "fg", "ㅄ": "qt", "": "",
}  # fmt: skip
# Vowel-only syllables that stretch a vowel: its own sound, or the one it ends on.
STRETCH = {
    "ㅏ": "ㅏ", "ㅐ": "ㅐㅔ", "ㅑ": "ㅏㅑ", "ㅒ": "ㅐ", "ㅓ": "ㅓ", "ㅔ": "ㅔㅐ", "ㅕ": "ㅓㅕ",
    "ㅖ": "ㅔ", "ㅗ": "ㅗ", "ㅘ": "ㅏ", "ㅙ": "ㅐ", "ㅚ": "ㅔ", "ㅛ": "ㅗㅛ", "ㅜ": "ㅜ",
    "ㅝ": "ㅓ", "ㅞ": "ㅔ", "ㅟ": "ㅣ", "ㅠ": "ㅜㅠ", "ㅡ": "ㅡ", "ㅢ": "ㅣ", "ㅣ": "ㅣ",
}  # fmt: skip
CONSONANTS = set("bcdfghjklmnpqrstvwxz")


def parts(syllable: str) -> tuple[str, str, str]:
    """A precomposed syllable as compatibility jamo: initial, vowel, final ("" if none)."""
    lead, rest = divmod(ord(syllable) - SYLLABLE_FIRST, 21 * 28)
    vowel, final = divmod(rest, 28)
    return INITIALS[lead], VOWELS[vowel], FINALS[final]


def syllable(lead: str, vowel: str, final: str = "") -> str:
    index = (INITIALS.index(lead) * 21 + VOWELS.index(vowel)) * 28 + FINALS.index(final)
    return chr(SYLLABLE_FIRST + index)


def keystrokes(text: str) -> str:
    """What ``text`` types with the Korean input method off (non-syllables kept)."""
    out = []
    for char in text:
        out.append("".join(KEYS[jamo] for jamo in parts(char)) if is_syllable(char) else char)
    return "".join(out)


@st.composite
def stretched(draw: st.DrawFn, word: str) -> str:
    """One syllable of ``word`` stretched: 씨발 -> 씨이이발, 병신 -> 병시이이인."""
    k = draw(st.integers(0, len(word) - 1))
    lead, vowel, final = parts(word[k])
    extra = draw(st.sampled_from(STRETCH[vowel]))
    repeats = draw(st.integers(1, 4))
    longer = syllable(lead, vowel) + syllable("ㅇ", extra) * (repeats - 1)
    longer += syllable("ㅇ", extra, final)
    return word[:k] + longer + word[k + 1 :]


LOOKALIKE_VOWELS = {"ㅣ": "lI|1!", "ㅏ": "r"}
LOOKALIKE_INITIALS = {"ㅇ": "oO0", "ㅅ": "5", "ㄱ": "7"}


def lookalike_positions(word: str) -> list[int]:
    """Syllables without a final whose vowel or initial has a Latin look-alike."""
    found = []
    for k, char in enumerate(word):
        if is_syllable(char):
            lead, vowel, final = parts(char)
            if not final and (vowel in LOOKALIKE_VOWELS or lead in LOOKALIKE_INITIALS):
                found.append(k)
    return found


@st.composite
def lookalike(draw: st.DrawFn, word: str) -> str:
    """One syllable typed as a loose jamo and a Latin look-alike: 시발 -> ㅅl발, 새끼 -> 5ㅐ끼."""
    k = draw(st.sampled_from(lookalike_positions(word)))
    lead, vowel, _ = parts(word[k])
    plans = []
    if vowel in LOOKALIKE_VOWELS:
        plans.append(lead + draw(st.sampled_from(LOOKALIKE_VOWELS[vowel])))
    if lead in LOOKALIKE_INITIALS:
        plans.append(draw(st.sampled_from(LOOKALIKE_INITIALS[lead])) + vowel)
    return word[:k] + draw(st.sampled_from(plans)) + word[k + 1 :]


@st.composite
def swapped(draw: st.DrawFn, word: str) -> str:
    """English letter swaps: f -> ph, ck -> k / q, hard c -> k, u -> v and i -> y
    between consonants, a final s -> z."""
    out: list[str] = []
    i = 0
    while i < len(word):
        char, rest = word[i], word[i + 1 :]
        before = word[i - 1] if i else ""
        if char == "c" and rest.startswith("k"):
            out.append(draw(st.sampled_from(["ck", "k", "q"])))
            i += 2
            continue
        choices = [char]
        if char == "f":
            choices.append("ph")
        elif char == "c" and rest[:1] not in ("e", "i", "h", "y"):
            choices.append("k")
        elif char == "u" and before in CONSONANTS and rest[:1] in CONSONANTS:
            choices.append("v")
        elif char == "i" and {before, rest[:1]} <= CONSONANTS - {"l"}:
            choices.append("y")  # "l" reads as "i", so "y" needs two other consonants
        elif char == "s" and not rest[:1].isalpha():
            choices.append("z")
        out.append(draw(st.sampled_from(choices)))
        i += 1
    return "".join(out)

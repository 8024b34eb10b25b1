"""Hypothesis strategies that disguise a listed word the ways trolls do.

Each strategy returns the disguised word only; tests embed it in a sentence. The
tricks combine: case, leetspeak, homoglyphs, repeated letters, zero-width characters
and separators for English; particles, loose jamo, initial consonants, repeated
syllables, digit fillers, zero-width characters and separators for Korean.
"""

from __future__ import annotations

import itertools
from functools import cache

from hypothesis import strategies as st

from commentdesk.triage.hangul import SYLLABLE_FIRST, is_syllable
from commentdesk.triage.homoglyphs import fold_map
from commentdesk.triage.normalize import normalize
from commentdesk.triage.wordlists import Entry, WordList

LEET = {
    "a": "4@",
    "b": "8",
    "e": "3",
    "g": "9",
    "i": "1!|",
    "l": "1|",
    "o": "0",
    "s": "5$",
    "t": "7+",
}
SYMBOLS = frozenset("@$!|+")
SEPARATORS = (" ", ".", "-", "_", "*", " . ", "/", "~", "·", ",", "  ")
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
COMPAT_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
COMPAT_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
COMPAT_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")


@cache
def homoglyphs_for(letter: str) -> list[str]:
    """Non-ASCII characters that Unicode's confusables data says look like ``letter``."""
    target = normalize(letter)
    return sorted(char for char in fold_map() if normalize(char) == target)


def jamo_spelling(text: str) -> str:
    """Each syllable typed as loose compatibility jamo: 바보 -> ㅂㅏㅂㅗ."""
    out = []
    for char in text:
        if not is_syllable(char):
            out.append(char)
            continue
        index = ord(char) - SYLLABLE_FIRST
        initial, rest = divmod(index, 21 * 28)
        vowel, final = divmod(rest, 28)
        out.append(COMPAT_INITIALS[initial] + COMPAT_VOWELS[vowel] + COMPAT_FINALS[final])
    return "".join(out)


def initials(text: str) -> str:
    """The ㅅㅂ-style abbreviation, in the compatibility jamo people type."""
    return "".join(COMPAT_INITIALS[(ord(char) - SYLLABLE_FIRST) // (21 * 28)] for char in text)


def has_abbreviation(entry: Entry, wordlist: WordList) -> bool:
    """Whether the matcher is meant to find ``entry`` by its initial consonants."""
    text = entry.text
    if not entry.choseong or len(text) < 2 or not all(is_syllable(c) for c in text):
        return False
    return normalize(initials(text)) not in {normalize(s) for s in wordlist.choseong_stoplist}


@st.composite
def latin_disguise(draw: st.DrawFn, text: str) -> str:
    """Disguise an English entry; phrases lose their spaces when letters are spaced out."""
    spaced = draw(st.booleans())
    chars = list(text.replace(" ", "")) if spaced else list(text)
    plans = [draw(st.sampled_from(_latin_plans(char, spaced))) for char in chars]
    plans = _keep_one_letter(chars, _settle_symbols(chars, plans))
    pieces = []
    for char, plan in zip(chars, plans, strict=True):
        piece = _apply(draw, char, plan)
        if char != " " and draw(st.integers(0, 4)) == 0:
            piece += draw(st.sampled_from(ZERO_WIDTH))
        pieces.append(piece)
    separator = draw(st.sampled_from(SEPARATORS)) if spaced else ""
    return separator.join(pieces)


@st.composite
def hangul_disguise(draw: st.DrawFn, entry: Entry, wordlist: WordList) -> str:
    """Disguise a Korean entry: particle, one spelling, repeats, then spacing or fillers.

    Pieces are syllables (or their loose jamo), so a digit filler goes between
    syllables ("씨1발", "ㅆㅣ1ㅂㅏㄹ"); spacing may also split the jamo of a syllable.
    """
    form = draw(st.sampled_from(_hangul_forms(entry, wordlist)))
    # Known gap: digit fillers inside a multi-word phrase *and* its particle are not
    # rejoined ("팔8로워 구매예4요"), so phrases are not given fillers here.
    glues = ("none", "separator") if " " in entry.text else ("none", "separator", "digits")
    glue = draw(st.sampled_from(glues))
    if form == "initials":
        pieces = list(initials(entry.text))
    else:
        word = entry.text
        if draw(st.booleans()) and wordlist.suffixes:
            word += draw(st.sampled_from(wordlist.suffixes))
        pieces = [jamo_spelling(c) for c in word] if form == "jamo" else list(word)
        if form == "jamo" and glue == "separator" and draw(st.booleans()):
            pieces = [jamo for piece in pieces for jamo in piece]
    if form != "jamo":
        pieces = [piece * draw(st.integers(1, 3)) for piece in pieces]
    pieces = [p + draw(st.sampled_from(("", "", "", *ZERO_WIDTH))) for p in pieces]
    if glue == "separator":
        separator = draw(st.sampled_from(SEPARATORS))
        return separator.join(piece for piece in pieces if piece[0] != " ")
    if glue == "digits":  # "씨1발": a digit glued between two syllables, never by a space
        out = [pieces[0]]
        for before, piece in itertools.pairwise(pieces):
            if before[0] != " " and piece[0] != " ":
                out.append(draw(st.sampled_from(("", "1", "8", "4"))))
            out.append(piece)
        return "".join(out)
    return "".join(pieces)


def _hangul_forms(entry: Entry, wordlist: WordList) -> list[str]:
    forms = ["syllables", "jamo"]
    if has_abbreviation(entry, wordlist):
        forms.append("initials")
    return forms


def _latin_plans(char: str, spaced: bool) -> list[str]:
    if char == " ":
        return ["keep"]
    plans = ["keep", "keep", "upper", "repeat"]
    if homoglyphs_for(char):
        plans.append("homoglyph")
    for substitute in LEET.get(char, ""):
        if not (spaced and substitute in "!|+"):
            plans.append("leet:" + substitute)
    return plans


def _settle_symbols(chars: list[str], plans: list[str]) -> list[str]:
    """Drop the leet symbols that no reader could decode either.

    A symbol must touch a plain letter: "sh!t" reads as shit, but "!" at the end of a
    word is punctuation and "+" needs letters on both sides ("idio+s").
    """
    settled = list(plans)
    for i, plan in enumerate(plans):
        symbol = plan.removeprefix("leet:") if plan.startswith("leet:") else ""
        if symbol not in SYMBOLS:
            continue
        before = _is_letter_plan(chars, plans, i - 1)
        after = _is_letter_plan(chars, plans, i + 1)
        ok = {"!": after, "|": after, "+": before and after}.get(symbol, before or after)
        if not ok:
            settled[i] = "keep"
    return settled


def _is_letter_plan(chars: list[str], plans: list[str], i: int) -> bool:
    if not 0 <= i < len(chars) or chars[i] == " ":
        return False
    return not plans[i].startswith("leet:")


def _keep_one_letter(chars: list[str], plans: list[str]) -> list[str]:
    """Digits only read as letters in a word that still has a letter ("455" is 455)."""
    kept, word_start = list(plans), 0
    for i in range(len(chars) + 1):
        if i == len(chars) or chars[i] == " ":
            word = range(word_start, i)
            if word and all(plans[j].startswith("leet:") for j in word):
                kept[word_start] = "keep"
            word_start = i + 1
    return kept


def _apply(draw: st.DrawFn, char: str, plan: str) -> str:
    if plan == "upper":
        return char.upper()
    if plan == "repeat":
        return char * draw(st.integers(2, 5))
    if plan == "homoglyph":
        return draw(st.sampled_from(homoglyphs_for(char)))
    if plan.startswith("leet:"):
        return plan.removeprefix("leet:")
    return char

"""No comment can stall screening: every text step's work grows linearly with the text.

Work is counted, never timed: a profile hook counts every function call (Python and
built-in) made while a step runs, which a loop over the text cannot avoid making. Each
step runs at n and 2n characters of a pathological shape; linear work gives a ratio
near 2, a quadratic step 4, the old initial-consonant matcher 8. The bench
(``make bench-worst``) times the same shapes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from types import FrameType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.triage.hangul import Unit
from commentdesk.triage.language import detect
from commentdesk.triage.links import LinkPolicy, assess_links, domain_in
from commentdesk.triage.matching import Matcher
from commentdesk.triage.minhash import shingles
from commentdesk.triage.normalize import (
    ASCII_DIGITS,
    ASCII_LETTERS,
    LEET,
    LEET_SYMBOLS,
    fold,
    fold_leet,
)
from commentdesk.triage.scoring import Triage
from commentdesk.triage.wordlists import Entry, Kind, WordList, starter_lists

TRIAGE = Triage.from_lists(starter_lists())
RATIO = 2.5  # linear work doubles; allow for fixed costs and rounding


def fill(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


# Each shape is a function of the size n; the first two are issue 14's inputs.
SHAPES: dict[str, Callable[[int], str]] = {
    "ㅋㅎ run around one ㅅ": lambda n: fill("ㅋㅎ", n // 2) + "ㅅ" + fill("ㅋㅎ", n // 2 - 1),
    "a@$...@ leet chain": lambda n: "a" + fill("@$", n - 2) + "@",
    "one jamo repeated": lambda n: fill("ㅋ", n),
    "initials cycled": lambda n: fill("ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ", n),
    "ㅋㅋ padding around pairs": lambda n: fill("ㅋㅎ" * 9 + "ㅅㅂ", n),
    "@ repeated": lambda n: fill("@", n),
    "a then @ repeated": lambda n: "a" + fill("@", n - 1),
    "digits then a letter": lambda n: fill("4", n - 1) + "a",
    "!1 then a letter": lambda n: fill("!1", n - 1) + "a",
    "a+ alternating": lambda n: fill("a+", n),
    "a repeated": lambda n: fill("a", n),
    "spaced letters": lambda n: fill("s p a m ", n),
    "spaced syllables": lambda n: fill("바 ", n),
    "glued fillers": lambda n: fill("씨1발", n),
    "allowed around banned": lambda n: fill("시발점", n),
    "banned word repeated": lambda n: fill("fuck ", n),
    "prefix entry then one long word": lambda n: "fuck" + fill("a", n - 4),
    "zero-width between letters": lambda n: fill("a\u200b", n),
    "combining marks": lambda n: "a" + fill("\u0301", n - 1),
    "mixed scripts": lambda n: fill("aа바", n),
    "widest expansion": lambda n: fill("\ufdfa", n),
    "three-character expansions": lambda n: fill("㎒ﬃ…", n),
    "letters before ://": lambda n: fill("x", n - 7) + "://a.co",
    "letter run, no link": lambda n: fill("a-", n),
    "dotted chain": lambda n: fill("a.", n),
    "www chain": lambda n: fill("www.", n),
    "thousands of links": lambda n: fill("a.co ", n),
    "shortened links": lambda n: fill("bit.ly/x ", n),
    "unclosed IPv6 bracket": lambda n: "http://[" + fill(":", n - 8),
}


def calls(step: Callable[[], object]) -> int:
    """How many function calls, Python and built-in, running ``step`` makes."""
    count = 0

    def hook(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        step()
    finally:
        sys.setprofile(previous)
    return count


def growth(step: Callable[[str], object], shape: Callable[[int], str], n: int) -> float:
    """Work at 2n over work at n, after a warm-up that fills per-character caches."""
    small, large = shape(n), shape(2 * n)
    step(small), step(large)
    return calls(lambda: step(large)) / calls(lambda: step(small))


@pytest.mark.parametrize("name", SHAPES)
def test_assessing_a_pathological_comment_costs_linear_work(name: str) -> None:
    assert growth(TRIAGE.assess, SHAPES[name], 1000) <= RATIO


@pytest.mark.parametrize("name", ["ㅋㅎ run around one ㅅ", "a@$...@ leet chain", "@ repeated"])
def test_folding_and_shingling_cost_linear_work(name: str) -> None:
    assert growth(fold, SHAPES[name], 1000) <= RATIO
    assert growth(shingles, SHAPES[name], 1000) <= RATIO


@pytest.mark.parametrize("name", ["thousands of links", "shortened links", "dotted chain"])
def test_links_and_language_cost_linear_work(name: str) -> None:
    policy = LinkPolicy(allowed=frozenset({"a.co", "bit.ly"}), denied=frozenset({"x.example"}))
    assert growth(lambda text: assess_links(text, policy).unvouched, SHAPES[name], 1000) <= RATIO
    assert growth(detect, SHAPES[name], 1000) <= RATIO


def test_issue_14_inputs_cost_a_bounded_number_of_calls_per_character() -> None:
    # Measured at 5,000 characters: 59 and 78 calls per character; the old matcher and
    # leet step made tens of millions of calls on these bodies.
    for name in ("ㅋㅎ run around one ㅅ", "a@$...@ leet chain"):
        text = SHAPES[name](5000)
        TRIAGE.assess(text)
        assert calls(partial(TRIAGE.assess, text)) <= 200 * len(text), name


def test_a_domain_rule_is_found_by_its_labels_whatever_the_list_size() -> None:
    domains = frozenset({f"d{i}.example" for i in range(10_000)} | {"bit.ly"})
    assert domain_in("x.bit.ly", domains)
    assert domain_in("d9999.example", domains)
    assert not domain_in("ly", domains)
    assert not domain_in("xbit.ly", domains)
    assert calls(lambda: domain_in("a." * 100 + "bit.ly", domains)) <= 20


# --- leetspeak: the worklist reaches the same fixpoint as repeating passes ----------


def _fixpoint_leet(text: str) -> str:
    """The old definition, one pass at a time until nothing changes (slow, obviously right)."""
    chars = list(text)
    while True:
        lettered = _lettered_words(chars)
        changed = [
            LEET[char] if char in LEET and _applies(chars, i, lettered[i]) else char
            for i, char in enumerate(chars)
        ]
        if changed == chars:
            return "".join(chars)
        chars = changed


def _is_word(char: str) -> bool:
    return char in ASCII_LETTERS or char in ASCII_DIGITS or char in LEET_SYMBOLS


def _lettered_words(chars: list[str]) -> list[bool]:
    flags, start = [False] * len(chars), 0
    while start < len(chars):
        end = start + 1
        while _is_word(chars[start]) and end < len(chars) and _is_word(chars[end]):
            end += 1
        lettered = _is_word(chars[start]) and any(c in ASCII_LETTERS for c in chars[start:end])
        flags[start:end] = [lettered] * (end - start)
        start = end
    return flags


def _near(chars: list[str], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(chars) and chars[j] == chars[i]:
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def _applies(chars: list[str], i: int, lettered: bool) -> bool:
    char, before, after = chars[i], _near(chars, i, -1), _near(chars, i, 1)
    if char in ASCII_DIGITS:
        return lettered
    if char in "@$":
        return before in ASCII_LETTERS or after in ASCII_LETTERS
    if char in "!|":
        return after in ASCII_LETTERS or after in ASCII_DIGITS
    return before in ASCII_LETTERS and after in ASCII_LETTERS


LEETISH = st.lists(st.sampled_from(list("ab1@$!|+ 20x.바")), max_size=24).map("".join)


@settings(max_examples=1500)
@given(LEETISH)
def test_leet_folding_equals_the_fixpoint_of_single_passes(text: str) -> None:
    units = [Unit(char, i, i + 1) for i, char in enumerate(text)]
    assert "".join(unit.char for unit in fold_leet(units)) == _fixpoint_leet(text)


def test_a_run_of_laughter_is_skipped_only_while_no_abbreviation_is_laughter() -> None:
    # The scan skips runs of ㅋ and ㅎ alone unless a listed abbreviation is made of them.
    laugh = WordList("ko", (Entry("하하", Kind.SUSPECT),))
    assert [match.via for match in Matcher([laugh]).find("ㅋㅎㅎ")] == ["choseong"]
    assert Matcher([WordList("ko", (Entry("시발", Kind.BANNED),))]).find("ㅋㅎㅎ") == ()

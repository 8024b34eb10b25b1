"""Phone numbers in comments, however they are disguised.

Spam that cannot post a link posts a number: "010-1234-5678", "０１０ 1234 5678",
"⓪①⓪", "공일공 일이삼사", "O1O-l234-5678", "+82 10 ...", "☎ 1588-1234". Each character
is read as a digit where it plainly is one (any Unicode decimal digit: ASCII, full-width,
circled, dingbat), as a Korean numeral word (공 일 이 ... 구), or as a look-alike letter
(O o ㅇ for 0, l I | for 1) when the letters around it are digits too ("hello" keeps its
"llo"). Digits with short gaps of separators between them form a run; each group start
in a run is tried against the shapes of Korean numbers (mobile, area codes, 15xx-xxxx)
or, after a "+", any country, and what fits the shape is validated by ``phonenumbers``
(Google's libphonenumber data), so "2024 1234 5678" or a price is not a number.

Pure and bounded: one pass over the text to classify characters, one over the runs; at
most :data:`MAX_CHECKS` validations and :data:`MAX_NUMBERS` numbers per text, so a
5,000-character digit soup costs O(n) plus a constant.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

#: Validations by libphonenumber per text: each costs tens of microseconds.
MAX_CHECKS = 24
#: Lengths tried after a "+": the longest few that end where a group ends.
MAX_INTERNATIONAL_TRIES = 3
#: Numbers reported per text: a few are evidence enough, a thousand is no more.
MAX_NUMBERS = 12
#: Separator characters allowed in a row inside a number ("010 - 1234").
MAX_GAP = 3

_KOREAN_DIGITS = {
    "공": "0", "영": "0", "일": "1", "이": "2", "삼": "3", "사": "4",
    "오": "5", "육": "6", "륙": "6", "칠": "7", "팔": "8", "구": "9",
}  # fmt: skip
_LOOKALIKES = {"O": "0", "o": "0", "ㅇ": "0", "l": "1", "I": "1", "|": "1"}
_SEPARATORS = frozenset(
    " \t\n\r\u00a0\u3000-‐‑‒–—―－ㅡ~_.·・()（）[]/*\u200b\u200c\u200d\u2060\ufeff\ufe0f\u20e3☎☏📞📱"
)
# National Korean shapes: mobile, Seoul, other areas, internet phones, "safe" numbers,
# free calls, and the 15xx/16xx/18xx numbers businesses advertise.
_KOREAN_SHAPE = re.compile(
    r"01[016789]\d{7,8}|02\d{7,8}|0[3-6][1-5]\d{7,8}|070\d{8}|050\d{8,9}|080\d{7,8}|1[5-9]\d{6}"
)
#: The first two digits of every shape in :data:`_KOREAN_SHAPE`.
_KOREAN_STARTS = frozenset(
    {"01", "02", "03", "04", "05", "06", "07", "08", "15", "16", "17", "18", "19"}
)
_REAL, _LOOK, _WORD, _SEP, _PLUS, _OTHER = range(6)


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number at ``text[start:end]``; ``number`` is its national form for Korean
    numbers ("01012345678") and "+" and digits for others ("+12025550123")."""

    number: str
    matched: str
    start: int
    end: int


@dataclass(slots=True)
class _Run:
    digits: list[str]
    positions: list[int]
    kinds: list[int]
    starts: list[bool]  # a group starts at this digit (after a gap, or the digit kind changes)
    plus: list[bool]  # that group has a "+" before it
    looks: list[int]  # look-alike letters before each digit, and in all (one more item)


def find_phones(text: str, vouched: Iterable[str] = ()) -> tuple[Phone, ...]:
    """The phone numbers in ``text``, in order, leaving out the ``vouched`` ones.

    O(n) for n characters plus at most :data:`MAX_CHECKS` validations.
    """
    vouched_numbers = frozenset(vouched)
    found: list[Phone] = []
    budget = [MAX_CHECKS]
    for run in _runs(text):
        for phone in _numbers_in(run, text, budget):
            if phone.number not in vouched_numbers:
                found.append(phone)
            if len(found) >= MAX_NUMBERS:
                return tuple(found)
        if budget[0] <= 0:
            break
    return tuple(found)


def national_form(number: str) -> str:
    """The form :class:`Phone` uses for a number written any way (for vouched lists):
    "1577-1366" -> "15771366", "+82 2 123 4567" -> "021234567", "+1 202..." -> "+1202..."."""
    digits = "".join(ch for ch in number if ch.isdigit() and ch.isascii())
    if number.strip().startswith("+"):
        if digits.startswith("82"):
            return "0" + digits[2:].removeprefix("0")
        return "+" + digits
    return digits


def _classify(text: str) -> list[tuple[int, str]]:
    """Each character's kind and digit; a run of look-alike letters touching another
    letter is text ("hello", "call"), not digits. O(n)."""
    kinds = [_kind(char) for char in text]
    _demote_lookalikes_in_words(kinds)
    return kinds


@lru_cache(maxsize=4096)
def _kind(char: str) -> tuple[int, str]:
    """One character's kind and digit; cached, as a text repeats few distinct characters."""
    if char in _LOOKALIKES:
        return (_LOOK, _LOOKALIKES[char])
    if char in _KOREAN_DIGITS:
        return (_WORD, _KOREAN_DIGITS[char])
    if unicodedata.digit(char, None) is not None:
        return (_REAL, str(unicodedata.digit(char)))
    if char in _SEPARATORS or char.isspace():
        return (_SEP, "")
    if char in "+＋":
        return (_PLUS, "")
    return (_OTHER, char)


def _demote_lookalikes_in_words(kinds: list[tuple[int, str]]) -> None:
    start = 0
    while start < len(kinds):
        if kinds[start][0] != _LOOK:
            start += 1
            continue
        end = start
        while end < len(kinds) and kinds[end][0] == _LOOK:
            end += 1
        before = kinds[start - 1] if start else (_SEP, "")
        after = kinds[end] if end < len(kinds) else (_SEP, "")
        if _is_letter(before) or _is_letter(after):
            kinds[start:end] = [(_OTHER, "x")] * (end - start)
        start = end


def _is_letter(kind: tuple[int, str]) -> bool:
    return kind[0] == _OTHER and kind[1].isalpha()


def _runs(text: str) -> list[_Run]:
    """Digits joined by gaps of at most :data:`MAX_GAP` separators. O(n)."""
    runs: list[_Run] = []
    current: _Run | None = None
    gap, plus = 0, False
    for index, (kind, digit) in enumerate(_classify(text)):
        if kind in (_REAL, _LOOK, _WORD):
            if current is None:
                current = _Run([], [], [], [], [], [0])
                runs.append(current)
            new_group = gap > 0 or plus or not current.kinds or current.kinds[-1] != kind
            current.digits.append(digit)
            current.positions.append(index)
            current.kinds.append(kind)
            current.starts.append(new_group)
            current.plus.append(plus)
            current.looks.append(current.looks[-1] + (kind == _LOOK))
            gap, plus = 0, False
        elif kind in (_SEP, _PLUS) and (current is not None or plus or kind == _PLUS):
            gap += 1
            plus = plus or kind == _PLUS
            if gap > MAX_GAP:
                current, gap, plus = None, 0, False
        else:
            current, gap, plus = None, 0, False
    return runs


def _numbers_in(run: _Run, text: str, budget: list[int]) -> list[Phone]:
    digits = "".join(run.digits)
    size = len(digits)
    if size < 7:
        return []  # shorter than any number we look for
    ends = [run.starts[k + 1] if k + 1 < size else True for k in range(size)]
    found: list[Phone] = []
    k = 0
    while k < size and budget[0] > 0:
        length = _number_at(run, digits, ends, k, budget) if run.starts[k] else 0
        if length:
            international = run.plus[k] or (digits[k] == "1" and length == 11)
            number = _number(digits[k : k + length], international)
            start, end = run.positions[k], run.positions[k + length - 1] + 1
            found.append(Phone(number, text[start:end], start, end))
            k += length
        else:
            k += 1
    return found


def _number_at(run: _Run, digits: str, ends: list[bool], k: int, budget: list[int]) -> int:
    """The length of the longest valid number starting at digit ``k``, or 0."""
    north_american = _north_american(run, digits, k)
    korean_start = digits[k : k + 2] in _KOREAN_STARTS
    if not (run.plus[k] or north_american or korean_start):
        return 0  # no number we know starts so: spare the loop below
    if north_american:
        international = _number_at(_with_plus(run, k), digits, ends, k, budget)
        if international:
            return international
    longest = 15 if run.plus[k] else 11
    tries = MAX_INTERNATIONAL_TRIES
    for length in range(min(longest, len(digits) - k), 6, -1):
        if not ends[k + length - 1]:
            continue
        if run.plus[k]:
            if tries == 0:
                return 0
            tries -= 1
        candidate = digits[k : k + length]
        looks = run.looks[k + length] - run.looks[k]
        if looks * 2 > length:
            continue
        if not run.plus[k] and not _KOREAN_SHAPE.fullmatch(candidate):
            continue
        budget[0] -= 1
        if _valid(candidate, run.plus[k]):
            return length
        if budget[0] <= 0:
            return 0
    return 0


def _north_american(run: _Run, digits: str, k: int) -> bool:
    """ "1-800-555-0199": a lone "1", then ten digits in at most three groups (so a
    count "1 2 3 4 5 ..." is not a number)."""
    return (
        not run.plus[k]
        and digits[k] == "1"
        and run.starts[k + 1 : k + 2] == [True]
        and sum(run.starts[k + 1 : k + 11]) <= 3
    )


def _with_plus(run: _Run, k: int) -> _Run:
    plus = [*run.plus]
    plus[k] = True
    return _Run(run.digits, run.positions, run.kinds, run.starts, plus, run.looks)


def _valid(candidate: str, international: bool) -> bool:
    try:
        parsed = phonenumbers.parse("+" + candidate if international else candidate, "KR")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed))


def _number(candidate: str, international: bool) -> str:
    return national_form("+" + candidate) if international else candidate

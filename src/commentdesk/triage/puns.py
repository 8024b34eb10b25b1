"""Number and letter puns for Korean swear words, from a small data table.

"18" is read 십팔, which sounds like 씨팔; "10새끼" is 씹새끼; "c발" is 씨발. None of
that can be folded away character by character, and every one of those readings is
wrong somewhere (18세, 십팔번, 10년), so the table lives in ``data/puns.json`` with the
contexts that exclude the ordinary readings, and is applied in the disguised view only
(:mod:`commentdesk.triage.disguise`).

Romanised syllables glued to Hangul ("병sin", "씨bal") are a pun of the same kind: a
short Latin run touching a Hangul syllable that splits wholly into syllables of the
table's ``romanized`` map becomes those syllables.

O(n) per pattern: each is one regular-expression pass with bounded look-around.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from commentdesk.triage.hangul import Unit
from commentdesk.triage.normalize import fold_char

_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
_LATIN = re.compile("[a-z]")
# What every Korean pun needs (a digit, 십, a Latin letter): most texts skip the table.
_KOREAN_TRIGGER = re.compile("[0-9a-z]|십")
_MAX_SYLLABLES = 4  # romanised syllables in one glued run


@dataclass(frozen=True, slots=True)
class Pun:
    """A pattern over folded units and what it reads as."""

    pattern: re.Pattern[str]
    to: str


@dataclass(frozen=True, slots=True)
class PunTable:
    korean: tuple[Pun, ...]
    english: tuple[Pun, ...]
    romanized: Pun | None
    syllables: dict[str, str]


@cache
def table() -> PunTable:
    """The shipped table, read once on first use."""
    raw = json.loads(resources.files(__package__).joinpath("data/puns.json").read_text("utf-8"))
    syllables = {_folded(latin): hangul for latin, hangul in raw["romanized"].items()}
    return PunTable(
        korean=tuple(_pun(item) for item in raw["ko"]),
        english=tuple(_pun(item) for item in raw["en"]),
        romanized=_romanized(syllables) if syllables else None,
        syllables=syllables,
    )


def rewrite_puns(units: Sequence[Unit]) -> list[Unit]:
    """Units with every pun of the table read as the word it stands for. O(n x P)."""
    puns = table()
    chars = "".join([unit.char for unit in units])
    out = list(units)
    if _HANGUL_SYLLABLE.search(chars) and _KOREAN_TRIGGER.search(chars):
        for pun in puns.korean:
            out = rewrite(out, pun.pattern, _constant(pun.to))
        if puns.romanized is not None:
            out = rewrite(out, puns.romanized.pattern, lambda m: _syllables(m.group(), puns))
    if _LATIN.search(chars):
        for pun in puns.english:
            out = rewrite(out, pun.pattern, _constant(pun.to))
    return out


def rewrite(
    units: Sequence[Unit], pattern: re.Pattern[str], to: Callable[[re.Match[str]], str]
) -> list[Unit]:
    """Replace each match of ``pattern`` over the units' characters by ``to(match)``.

    Every replacing character spans the original text of all the units it replaces, so a
    match is still highlighted in the words as typed. An empty match replaces nothing.
    O(n) plus the pattern's search.
    """
    chars = "".join([unit.char for unit in units])
    if pattern.search(chars) is None:  # the usual case: no copy
        return list(units)
    out: list[Unit] = []
    i = 0
    for found in pattern.finditer(chars):
        first, last = found.span()
        if first == last:
            continue
        out.extend(units[i:first])
        if last - first == 1:  # most swaps: one letter for one letter
            unit = units[first]
            out.extend([Unit(char, unit.start, unit.end) for char in to(found)])
        else:
            covered = units[first:last]
            start, end = covered[0].start, max([unit.end for unit in covered])
            out.extend([Unit(char, start, end) for char in to(found)])
        i = last
    out.extend(units[i:])
    return out


def _constant(to: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: to


def _pun(item: dict[str, str]) -> Pun:
    return Pun(re.compile(_folded(item["pattern"])), _folded(item["to"]))


def _folded(text: str) -> str:
    """A pattern or reading in the form the units have: loose jamo as the normaliser
    folds them (ㅅ -> conjoining ᄉ), Latin in lower case; regex syntax is kept."""
    return "".join(
        fold_char(char) if "\u3131" <= char <= "\u318e" else char.lower() for char in text
    )


def _romanized(syllables: dict[str, str]) -> Pun:
    keys = "|".join(sorted(map(re.escape, syllables), key=len, reverse=True))
    run = f"(?:{keys}){{1,{_MAX_SYLLABLES}}}"
    pattern = rf"(?<=[\uac00-\ud7a3]){run}(?![a-z])|(?<![a-z]){run}(?![a-z])(?=[\uac00-\ud7a3])"
    return Pun(re.compile(pattern), "")


def _syllables(latin: str, puns: PunTable) -> str:
    pieces = _splitter(tuple(puns.syllables)).findall(latin)
    if "".join(pieces) != latin:
        return latin
    return "".join(puns.syllables[piece] for piece in pieces)


@cache
def _splitter(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, keys), key=len, reverse=True)))

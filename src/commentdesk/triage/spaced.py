"""Matching views: the whole text, and spaced-out letters read as one word.

"s p a m", "s.p.a.m", "스 팸", "바 보 야", "ㅂ ㅏ ㅂ ㅗ" and "씨1발" only become the words
they spell once the separators between their letters are removed. Removing every
separator everywhere would join ordinary words into false matches ("is hit" -> "ishit"),
so only *spaced runs* are joined: consecutive one-letter fragments (or, in Hangul,
fragments of at most two syllables including a one-syllable one, such as "개새 끼",
optionally closed by a longer fragment carrying the particle, as in "바 보야"). A digit
or symbol glued between Hangul syllables is a filler and is dropped ("씨1발"); a longer
Hangul word may be split by such fillers too ("비아그1라"), since nobody writes a
digit inside an ordinary word. A repeated letter counts as one ("s p a a m").

Each view keeps word boundaries: for the whole text, spaces and changes of script; for a
spaced run, the edges of the fragments it was joined from. The matcher anchors
whole-word entries at those boundaries, so a run "i a m a s s" still contains the word
"ass" (it starts at a fragment edge) while "a ssh" does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from commentdesk.triage.hangul import Unit, compose, is_hangul
from commentdesk.triage.normalize import (
    ASCII_DIGITS,
    ASCII_LETTERS,
    LEET_SYMBOLS,
    SPACE,
    Folded,
    char_class,
    expand,
    finish,
)

MAX_GAP = 3  # separator characters allowed between two letters of one spaced word
MAX_GLUED = 6  # syllables of a word split by a glued filler ("온라인카1지노")
MAX_RUN = 40  # fragments; longer runs are split (nobody spells a sentence letter by letter)
_LATIN, _HANGUL, _OTHER = 1, 2, 4
# _fragment_class as character classes: Latin (with digits and leet symbols), Hangul
# (is_hangul's ranges), then any other letter or digit (re's \w is str.isalnum or "_").
_HANGUL_RANGES = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
_JAMO = re.compile("[\u1100-\u11ff]")
_REPEATS = re.compile(r"(.)\1*", re.DOTALL)
_FRAGMENT = re.compile(
    rf"(?P<latin>[a-z0-9@$!|+]+)|(?P<hangul>[{_HANGUL_RANGES}]+)"
    rf"|(?P<other>(?:(?![{_HANGUL_RANGES}])[^\W_a-z0-9])+)"
)
_CLASSES = {"latin": _LATIN, "hangul": _HANGUL, "other": _OTHER}


@dataclass(frozen=True, slots=True)
class View:
    """A folded text plus where its words start (``starts[i]``) and end (``ends[j]``).

    ``ends`` has one more item than the text: ``ends[j]`` is true when a word ends just
    before position ``j``. ``kind`` is "text" for the whole comment, "spaced" for a run.
    """

    folded: Folded
    starts: tuple[bool, ...]
    ends: tuple[bool, ...]
    kind: str


@dataclass(frozen=True, slots=True)
class _Fragment:
    cls: int
    first: int  # index into the expanded units
    last: int  # exclusive
    start: int  # original offsets
    end: int
    size: int  # letters (syllables for Hangul), repeats counted once
    filler: bool = False


def views(text: str) -> tuple[View, ...]:
    """The whole-text view first, then the view of every spaced run, if there is one.

    O(n): a fragment belongs to at most two runs (a closing fragment ends one and may
    start the next), so the spaced view is at most three times the units (their
    letters twice, plus a separator per run).
    """
    units = expand(text)
    return (text_view(finish(units)), *spaced_views(units))


def text_view(folded: Folded) -> View:
    """Word boundaries of the whole text: spaces and changes of character class. O(n)."""
    chars = folded.text
    classes = list(map(char_class, chars))
    n = len(chars)
    starts = tuple(classes[i] != 0 and (i == 0 or classes[i - 1] != classes[i]) for i in range(n))
    ends = tuple(
        j > 0 and classes[j - 1] != 0 and (j == n or classes[j] != classes[j - 1])
        for j in range(n + 1)
    )
    return View(folded, starts, ends, "text")


def spaced_views(units: Sequence[Unit]) -> list[View]:
    """The spaced runs found in already expanded units, as one view.

    The runs are joined one after another with a space between them, so a thousand
    short runs cost one pass of folding and matching, not a thousand. Nothing a
    spaced view matches can cross that space: its keys and suffixes have none, and
    every step before matching stops at a space (leet words, syllables, repeats).
    """
    runs = _runs(_fragments(units))
    return [_join(units, runs)] if runs else []


@lru_cache(maxsize=8192)
def _fragment_class(char: str) -> int:
    if char in ASCII_LETTERS or char in ASCII_DIGITS or char in LEET_SYMBOLS:
        return _LATIN
    if is_hangul(char):
        return _HANGUL
    return _OTHER if char.isalnum() else 0


def _fragments(units: Sequence[Unit]) -> list[_Fragment]:
    """Maximal runs of one :func:`_fragment_class`, found by one regular expression
    over the units' characters. O(n)."""
    found: list[_Fragment] = []
    for fragment in _FRAGMENT.finditer("".join([unit.char for unit in units])):
        i, j = fragment.span()
        cls = _CLASSES[fragment.lastgroup or "other"]
        size = 1  # letters, a repeated letter counting once
        if j - i > 1:
            text = fragment.group()
            if cls == _HANGUL and _JAMO.search(text):  # syllables arrive composed already
                text = "".join(unit.char for unit in compose(units[i:j]))
            size = len(_REPEATS.findall(text))
        found.append(_Fragment(cls, i, j, units[i].start, units[j - 1].end, size))
    return found


def _runs(fragments: Sequence[_Fragment]) -> list[list[_Fragment]]:
    runs: list[list[_Fragment]] = []
    current: list[_Fragment] = []
    for fragment in fragments:
        if current and not _continues(current, fragment):
            runs.append(current)
            current = []
        if _is_filler(current, fragment):
            current.append(_Fragment(*_fields(fragment), filler=True))
        elif _joinable(fragment) or (
            _is_long_hangul(fragment) and (not current or _glued(current))
        ):
            current.append(fragment)  # a long word may start a run, or follow a filler
        elif fragment.cls == _HANGUL and fragment.size <= 4 and current:
            runs.append([*current, fragment])  # a closing fragment: "바 보야"
            current = [fragment]  # which may also start a glued word: "비아그1라"
        else:
            runs.append(current)
            # A long word after a short one ("정말 온라인카지1노") still starts its own.
            current = [fragment] if _is_long_hangul(fragment) else []
        if len(current) >= MAX_RUN:
            runs.append(current)
            current = []
    runs.append(current)
    return [run for run in map(_strip_fillers, runs) if _is_spaced_word(run)]


def _continues(current: Sequence[_Fragment], fragment: _Fragment) -> bool:
    previous = current[-1]
    if fragment.first - previous.last > MAX_GAP:
        return False
    glued = fragment.first == previous.last
    if _is_long_hangul(previous):  # "비아그1라": a long word only continues through a filler
        return glued and fragment.cls == _LATIN and fragment.size == 1
    if fragment.cls == current[0].cls:
        return True
    return current[0].cls == _HANGUL and glued and fragment.size == 1


def _fields(fragment: _Fragment) -> tuple[int, int, int, int, int, int]:
    """The fields of a fragment but ``filler``; dataclasses.replace is ten times slower."""
    return fragment.cls, fragment.first, fragment.last, fragment.start, fragment.end, fragment.size


def _is_long_hangul(fragment: _Fragment) -> bool:
    return fragment.cls == _HANGUL and 2 < fragment.size <= MAX_GLUED


def _glued(current: Sequence[_Fragment]) -> bool:
    return current[-1].filler


def _is_filler(current: Sequence[_Fragment], fragment: _Fragment) -> bool:
    """A digit or symbol glued between Hangul syllables, as in "씨1발" or "병@신"."""
    return (
        bool(current)
        and current[0].cls == _HANGUL
        and fragment.cls == _LATIN
        and fragment.size == 1
        and fragment.first == current[-1].last
    )


def _joinable(fragment: _Fragment) -> bool:
    return fragment.size <= (2 if fragment.cls == _HANGUL else 1)


def _strip_fillers(run: list[_Fragment]) -> list[_Fragment]:
    while run and run[-1].filler:
        run = run[:-1]
    return run


def _is_spaced_word(run: Sequence[_Fragment]) -> bool:
    letters = [fragment for fragment in run if not fragment.filler]
    glued = len(letters) < len(run)
    return len(letters) >= 2 and (glued or any(fragment.size == 1 for fragment in letters))


def _join(units: Sequence[Unit], runs: Sequence[Sequence[_Fragment]]) -> View:
    joined: list[Unit] = []
    for run in runs:
        if joined:  # a separator with the span of the unit before it
            joined.append(Unit(SPACE, joined[-1].start, joined[-1].end))
        joined.extend(unit for f in run if not f.filler for unit in units[f.first : f.last])
    folded = finish(joined)
    letters = [f for run in runs for f in run if not f.filler]
    edges_start = {f.start for f in letters}
    edges_end = {f.end for f in letters}
    base = text_view(folded)
    spans = folded.spans
    n = len(folded.text)
    starts = tuple(
        folded.text[i] != SPACE and (base.starts[i] or _covers(spans[i], edges_start, 0))
        for i in range(n)
    )
    ends = tuple(
        base.ends[j]
        or (j > 0 and folded.text[j - 1] != SPACE and _covers(spans[j - 1], edges_end, 1))
        for j in range(n + 1)
    )
    return View(folded, starts, ends, "spaced")


def _covers(span: tuple[int, int], edges: set[int], shift: int) -> bool:
    """Whether an edge falls in ``[start, end)`` (shift 0) or ``(start, end]`` (shift 1)."""
    if span[1] - span[0] == 1:  # nearly always: one original character
        return span[0] + shift in edges
    return any(edge in edges for edge in range(span[0] + shift, span[1] + shift))

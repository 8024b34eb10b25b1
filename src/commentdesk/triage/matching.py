"""Find listed words in a comment, however they are disguised, and say where.

Every entry is normalised once, when the :class:`Matcher` is built, into the same form
as the comment's matching views (:mod:`commentdesk.triage.spaced`). Lookup is a hash
probe per (position, distinct entry length), so a comment of n characters costs about
n x (number of distinct lengths, a few dozen at most) probes whether the lists hold a
hundred words or a few thousand. That is within a small factor of Aho-Corasick for
lists of this size and needs no compiled dependency.

Each :class:`Match` names the rule (the entry, its list's language) and the span of the
*original* text it covers, so the console can highlight what the reader actually typed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from commentdesk.triage.hangul import choseong, is_initial
from commentdesk.triage.normalize import SPACE, Folded, fold
from commentdesk.triage.spaced import View, views
from commentdesk.triage.wordlists import Entry, Kind, Mode, WordList

_SEVERITY = {Kind.BANNED: 2, Kind.SUSPECT: 1, Kind.ALLOWED: 0}
# Laughing letters that pad an abbreviation ("ㅋㅋㅅㅂㅋ", "ㅎㅎㅅㅂ").
_PADDING_JAMO = frozenset("\u110f\u1112")


@dataclass(frozen=True, slots=True)
class Match:
    """A listed entry found at ``text[start:end]`` of the original comment.

    ``via`` tells how: "text" (in the words as written), "spaced" (letters spaced out
    or glued with fillers) or "choseong" (initial-consonant abbreviation).
    """

    entry: Entry
    language: str
    start: int
    end: int
    matched: str
    via: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    entry: Entry
    language: str
    key: str
    counts: tuple[int, ...]
    suffixes: tuple[Folded, ...]  # longest first


class _Table:
    """Patterns by their folded key, and the key lengths to probe per first character."""

    def __init__(self) -> None:
        self.patterns: dict[str, list[_Pattern]] = defaultdict(list)
        self.lengths: dict[str, set[int]] = defaultdict(set)

    def add(self, pattern: _Pattern) -> None:
        if not pattern.key:
            return
        self.patterns[pattern.key].append(pattern)
        self.lengths[pattern.key[0]].add(len(pattern.key))


class Matcher:
    """Compiled word lists. Build once per list version; :meth:`find` is pure and cheap."""

    def __init__(self, lists: Iterable[WordList]) -> None:
        self._text = _Table()
        self._spaced = _Table()
        self._choseong: dict[str, list[_Pattern]] = defaultdict(list)
        for wordlist in lists:
            self._add_list(wordlist)

    def find(self, text: str) -> tuple[Match, ...]:
        """Every listed entry present in ``text``, ordered by position.

        Allowed entries silence matches inside them; when several entries match the
        same span, the most severe one is kept.
        """
        found: list[Match] = []
        for view in views(text):
            table = self._text if view.kind == "text" else self._spaced
            found.extend(self._scan(text, view, table))
            found.extend(self._scan_choseong(text, view))
        return _resolve(found)

    def _add_list(self, wordlist: WordList) -> None:
        folded_suffixes = {_key(suffix) for suffix in wordlist.suffixes}
        suffixes = tuple(sorted(folded_suffixes, key=lambda f: len(f.text), reverse=True))
        stoplist = {fold(abbreviation).text for abbreviation in wordlist.choseong_stoplist}
        for entry in wordlist.entries:
            folded = _key(entry.text)
            self._text.add(_pattern(entry, wordlist.language, folded, suffixes))
            joined = _key(entry.text.replace(" ", ""))
            self._spaced.add(_pattern(entry, wordlist.language, joined, suffixes))
            abbreviation = choseong(entry.text) if entry.choseong else None
            if abbreviation and len(abbreviation) >= 2:
                short = fold(abbreviation)
                if short.text not in stoplist:
                    pattern = _pattern(entry, wordlist.language, short, ())
                    self._choseong[short.text].append(pattern)

    def _scan(self, original: str, view: View, table: _Table) -> Iterator[Match]:
        chars = view.folded.text
        for i, char in enumerate(chars):
            for length in table.lengths.get(char, ()):
                if i + length > len(chars):
                    continue
                for pattern in table.patterns.get(chars[i : i + length], ()):
                    end = _accept(view, pattern, i, i + length)
                    if end is not None:
                        yield _match(original, view, pattern, i, end)

    def _scan_choseong(self, original: str, view: View) -> Iterator[Match]:
        chars, counts = view.folded.text, view.folded.counts
        i = 0
        while i < len(chars):
            if not is_initial(chars[i]):
                i += 1
                continue
            j = i
            while j < len(chars) and is_initial(chars[j]):
                j += 1
            for start, end in _unpadded(chars, i, j):
                patterns = self._choseong.get(chars[start:end], ())
                found = [p for p in patterns if _counts_fit(counts, p, start)]
                yield from (_match(original, view, p, start, end, "choseong") for p in found)
                if found:
                    break
            i = j


def _unpadded(chars: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The run of initials itself, then with laughing letters trimmed off its ends.

    Tried widest first, so a word whose abbreviation starts with ㅎ (한남충, ㅎㄴㅊ) is
    still found, and "ㅋㅋㅅㅂ" is found as ㅅㅂ.
    """
    left = start
    while left < end and chars[left] in _PADDING_JAMO:
        left += 1
    right = end
    while right > left and chars[right - 1] in _PADDING_JAMO:
        right -= 1
    for first in range(start, left + 1):
        for last in range(end, right - 1, -1):
            if first < last:
                yield first, last


def _key(text: str) -> Folded:
    """An entry's folded form, without the spaces that padding may leave at its ends."""
    folded = fold(text)
    first = 1 if folded.text.startswith(SPACE) else 0
    last = len(folded.text) - (1 if folded.text.endswith(SPACE) else 0)
    return Folded(folded.text[first:last], folded.counts[first:last], folded.spans[first:last])


def _pattern(entry: Entry, language: str, key: Folded, suffixes: tuple[Folded, ...]) -> _Pattern:
    # A space in a phrase matches any run of separators, so it counts once.
    pairs = zip(key.text, key.counts, strict=True)
    counts = tuple(1 if char == SPACE else count for char, count in pairs)
    return _Pattern(entry, language, key.text, counts, suffixes)


def _accept(view: View, pattern: _Pattern, start: int, end: int) -> int | None:
    """Where a candidate hit ends once its entry's mode is honoured, or None to reject."""
    if not _counts_fit(view.folded.counts, pattern, start):
        return None
    mode = pattern.entry.mode
    if mode is Mode.SUBSTRING:
        return end
    if not view.starts[start]:
        return None
    if mode is Mode.PREFIX:
        return _word_end(view, end)
    chars, counts = view.folded.text, view.folded.counts
    for suffix in pattern.suffixes:  # the longest reading first: show "바보야", not "바보"
        stop = end + len(suffix.text)
        if (
            stop < len(view.ends)
            and view.ends[stop]
            and chars.startswith(suffix.text, end)
            and _suffix_counts_fit(counts[end:stop], suffix)
        ):
            return stop
    return end if view.ends[end] else None


def _suffix_counts_fit(counts: tuple[int, ...], suffix: Folded) -> bool:
    """Latin suffixes need exact letters ("asses" is ass + es, "assess" is not); a
    repeated Korean particle is emphasis ("바보야야")."""
    if suffix.text.isascii():
        return counts == suffix.counts
    return all(have >= need for have, need in zip(counts, suffix.counts, strict=True))


def _counts_fit(counts: tuple[int, ...], pattern: _Pattern, start: int) -> bool:
    return all(counts[start + k] >= need for k, need in enumerate(pattern.counts))


def _word_end(view: View, end: int) -> int:
    while end < len(view.folded.text) and not view.ends[end]:
        end += 1
    return end


def _match(
    original: str, view: View, pattern: _Pattern, start: int, end: int, via: str = ""
) -> Match:
    first, last = view.folded.original_span(start, end)
    return Match(
        pattern.entry, pattern.language, first, last, original[first:last], via or view.kind
    )


def _resolve(found: list[Match]) -> tuple[Match, ...]:
    allowed = [match for match in found if match.entry.kind is Kind.ALLOWED]
    kept: list[Match] = []
    starts: list[int] = []  # of kept, ascending, to look only at matches that can overlap
    longest = 0
    ranked = sorted(found, key=lambda m: (m.start, -_SEVERITY[m.entry.kind], m.end - m.start))
    for match in ranked:
        if match.entry.kind is Kind.ALLOWED or _inside_any(match, allowed):
            continue
        nearby = kept[bisect_left(starts, match.start - longest) :]
        if any(_shadows(other, match) for other in nearby):
            continue
        kept.append(match)
        starts.append(match.start)
        longest = max(longest, match.end - match.start)
    return tuple(kept)


def _inside_any(match: Match, allowed: list[Match]) -> bool:
    return any(a.start <= match.start and match.end <= a.end for a in allowed)


def _shadows(kept: Match, match: Match) -> bool:
    """Whether ``match`` adds nothing to ``kept``: same rule overlapping, or inside it."""
    if kept.entry == match.entry:
        return kept.start < match.end and match.start < kept.end
    inside = kept.start <= match.start and match.end <= kept.end
    return inside and _SEVERITY[kept.entry.kind] >= _SEVERITY[match.entry.kind]

"""Find listed words in a comment, however they are disguised, and say where.

Every entry is normalised once, when the :class:`Matcher` is built, into the same form
as the comment's matching views (:mod:`commentdesk.triage.spaced`), and the keys of each
view go into an Aho-Corasick automaton (pyahocorasick, in C): one pass over a view finds
every occurrence of every key, overlapping ones included, whether the lists hold a
hundred words or a few thousand. A probe per (position, entry length) in Python cost
53 ms on a 5,000-character body packed with a listed word; the automaton does that pass
in well under one.

Each :class:`Match` names the rule (the entry, its list's language) and the span of the
*original* text it covers, so the console can highlight what the reader actually typed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import ahocorasick

from commentdesk.triage.disguise import canonical, disguised, spellings
from commentdesk.triage.hangul import L_COUNT, L_FIRST, choseong
from commentdesk.triage.keyboard import grams, keyboard_view
from commentdesk.triage.mentions import standings
from commentdesk.triage.normalize import SPACE, Folded, expand, finish, fold
from commentdesk.triage.spaced import View, spaced_views, text_view
from commentdesk.triage.wordlists import Entry, Kind, Mode, WordList

_SEVERITY = {Kind.BANNED: 2, Kind.SUSPECT: 1, Kind.ALLOWED: 0}
# Laughing letters that pad an abbreviation ("ㅋㅋㅅㅂㅋ", "ㅎㅎㅅㅂ").
_PADDING = "\u110f\u1112"
_PADDING_JAMO = frozenset(_PADDING)
_INITIALS = re.compile(f"[{chr(L_FIRST)}-{chr(L_FIRST + L_COUNT - 1)}]+")


@dataclass(frozen=True, slots=True)
class Match:
    """A listed entry found at ``text[start:end]`` of the original comment.

    ``via`` tells how: "text" (in the words as written), "spaced" (letters spaced out
    or glued with fillers), "choseong" (initial-consonant abbreviation) or "disguised"
    (through a guess of :mod:`~commentdesk.triage.disguise`: pun, stretch, swap...) or
    "keyboard" (Korean typed with the input method off, :mod:`~.keyboard`).
    ``standing`` qualifies it: "" (plain), "inside" (inside a longer word) or "quoted"
    (quoted in a sentence that reports or condemns it), see :mod:`~.mentions`.
    """

    entry: Entry
    language: str
    start: int
    end: int
    matched: str
    via: str
    standing: str = ""


@dataclass(frozen=True, slots=True)
class _Pattern:
    entry: Entry
    language: str
    key: str
    counts: tuple[int, ...]
    # By first character ("" for an empty suffix), longest first within each: a
    # hit tries only the suffixes that can follow it, not the whole list.
    suffixes: Mapping[str, tuple[Folded, ...]]


class _Table:
    """Patterns by their folded key, and an automaton that finds every key in a text."""

    def __init__(self) -> None:
        self.patterns: dict[str, list[_Pattern]] = defaultdict(list)
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, pattern: _Pattern) -> None:
        if not pattern.key:
            return
        self.patterns[pattern.key].append(pattern)
        self._automaton = None

    def occurrences(self, text: str) -> Iterator[tuple[int, str]]:
        """(start, key) for every occurrence of every key in ``text``, overlapping ones
        included. O(n + Z) for Z occurrences, and Z <= n x D for D distinct key lengths."""
        if not self.patterns:
            return
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key in self.patterns:
                automaton.add_word(key, key)
            automaton.make_automaton()
            self._automaton = automaton
        for last, key in self._automaton.iter(text):
            yield last + 1 - len(key), key


class Matcher:
    """Compiled word lists. Build once per list version; :meth:`find` is pure and cheap."""

    def __init__(self, lists: Iterable[WordList]) -> None:
        self._text = _Table()
        self._spaced = _Table()
        self._disguised = _Table()
        self._window = 0  # words on either side of a disguise: the longest phrase's, less one
        self._suffixes: dict[str, tuple[str, ...]] = {}
        self._choseong: dict[str, list[_Pattern]] = defaultdict(list)
        self._choseong_lengths: tuple[int, ...] = ()  # longest first
        self._laughing_keys = False  # an abbreviation made of ㅋ and ㅎ only
        lists = tuple(lists)
        for wordlist in lists:
            self._add_list(wordlist)
        self._grams = grams(entry.text for wordlist in lists for entry in wordlist.entries)

    def find(self, text: str) -> tuple[Match, ...]:
        """Every listed entry present in ``text``, ordered by position.

        Allowed entries silence matches inside them; when several entries match the
        same span, the most severe one is kept.

        O(n x D x L + M log M): over the two views (together at most four times the
        matching view, itself at most 3n; see :func:`~commentdesk.triage.spaced.views`),
        one automaton pass that reports at most D keys per position (D distinct entry
        lengths, at most L, the longest listed entry: 23 characters in the starter
        lists), each checked in O(L), a prefix entry's scan to the end of its word (at
        most D per word start), then resolving M matches, M at most the occurrences.
        Initial-consonant runs cost O(n x K x D) more, K the longest abbreviation
        (:func:`_unpadded`). The keyboard and disguised views
        (:func:`~commentdesk.triage.keyboard.keyboard_view`,
        :func:`~commentdesk.triage.disguise.disguised`) add a scan of the words that
        may hold such a disguise, with their neighbours: each at most (2W + 1) x 3n
        characters for W the longest phrase's words less one, in practice a few words;
        standings (:func:`~commentdesk.triage.mentions.standings`) cost O(n + M log n).
        """
        found: list[Match] = []
        units = expand(text)
        every = (text_view(finish(units)), *spaced_views(units))
        for view in every:
            table = self._text if view.kind == "text" else self._spaced
            found.extend(self._scan(text, view, table))
            found.extend(self._scan_choseong(text, view))
        keyed = keyboard_view(text, self._grams)
        if keyed is not None:
            base = text_view(keyed)
            found.extend(
                self._scan(text, View(keyed, base.starts, base.ends, "keyboard"), self._text)
            )
        decoded = disguised(units, self._window)
        if decoded is not None:
            base = text_view(decoded)
            view = View(decoded, base.starts, base.ends, "disguised")
            found.extend(self._scan(text, view, self._disguised))
        return standings(text, _resolve(found), self._suffixes)

    def _add_list(self, wordlist: WordList) -> None:
        language = wordlist.language
        self._suffixes[language] = (*self._suffixes.get(language, ()), *wordlist.suffixes)
        # Innocent compounds (allowed entries) take only their own endings: 병신년에는
        # is the year, 병신년아 is not.
        allowed = wordlist.allowed_suffixes or wordlist.suffixes
        suffixes = {
            False: _suffix_table(wordlist.suffixes, _key),
            True: _suffix_table(allowed, _key),
        }
        canon = {
            False: _suffix_table(wordlist.suffixes, _canonical),
            True: _suffix_table(allowed, _canonical),
        }
        stoplist = {fold(abbreviation).text for abbreviation in wordlist.choseong_stoplist}
        for entry in wordlist.entries:
            is_allowed = entry.kind is Kind.ALLOWED
            folded = _key(entry.text)
            self._window = max(self._window, len(folded.text.split(SPACE)) - 1)
            for spelling in spellings(entry.text):  # "fuck", and "fuk", "fuq"...
                self._text.add(_pattern(entry, language, _key(spelling), suffixes[is_allowed]))
                reshaped = _pattern(entry, language, _canonical(spelling), canon[is_allowed])
                self._disguised.add(reshaped)
            joined = _key(entry.text.replace(" ", ""))
            self._spaced.add(_pattern(entry, language, joined, suffixes[is_allowed]))
            abbreviation = choseong(entry.text) if entry.choseong else None
            if abbreviation and len(abbreviation) >= 2:
                short = fold(abbreviation)
                if short.text not in stoplist:
                    pattern = _pattern(entry, wordlist.language, short, {})
                    self._choseong[short.text].append(pattern)
        lengths = {len(key) for key in self._choseong} | set(self._choseong_lengths)
        self._choseong_lengths = tuple(sorted(lengths, reverse=True))
        self._laughing_keys = any(not key.strip(_PADDING) for key in self._choseong)

    def _scan(self, original: str, view: View, table: _Table) -> Iterator[Match]:
        for start, key in table.occurrences(view.folded.text):
            for pattern in table.patterns[key]:
                end = _accept(view, pattern, start, start + len(key))
                if end is not None:
                    yield _match(original, view, pattern, start, end)

    def _scan_choseong(self, original: str, view: View) -> Iterator[Match]:
        """Runs of loose initials looked up as abbreviations; O(n + runs x K x D x K),
        see :func:`_unpadded`, and runs x K <= n."""
        chars, counts = view.folded.text, view.folded.counts
        for run in _INITIALS.finditer(chars):
            i, j = run.span()
            if not self._laughing_keys and not run.group().strip(_PADDING):
                continue  # laughter only ("ㅋㅋㅎㅎ"), and no abbreviation is laughter
            for start, end in _unpadded(chars, i, j, self._choseong_lengths):
                patterns = self._choseong.get(chars[start:end], ())
                found = [p for p in patterns if _counts_fit(counts, p, start)]
                yield from (_match(original, view, p, start, end, "choseong") for p in found)
                if found:
                    break


def _unpadded(
    chars: str, start: int, end: int, lengths: tuple[int, ...]
) -> Iterator[tuple[int, int]]:
    """The run of initials itself, then with laughing letters trimmed off its ends.

    Tried widest first, so a word whose abbreviation starts with ㅎ (한남충, ㅎㄴㅊ) is
    still found, and "ㅋㅋㅅㅂ" is found as ㅅㅂ. Only spans as long as a listed
    abbreviation (``lengths``, longest first) can match, so only those are tried: for a
    run of m initials that is at most (K + 1) x D spans, K the longest abbreviation and D
    the number of distinct lengths (both at most the longest listed Hangul word), and
    O(m + K x D x K) work with the slices, instead of the m² spans of every start and
    end. The order of the spans tried is the same as over all pairs.
    """
    left = start
    while left < end and chars[left] in _PADDING_JAMO:
        left += 1
    right = end
    while right > left and chars[right - 1] in _PADDING_JAMO:
        right -= 1
    longest = lengths[0] if lengths else 0
    for first in range(max(start, right - longest), left + 1):
        for length in lengths:
            last = first + length
            if right <= last <= end:
                yield first, last


def _suffix_table(
    suffixes: Iterable[str], key: Callable[[str], Folded]
) -> dict[str, tuple[Folded, ...]]:
    folded = {key(suffix) for suffix in suffixes}
    return _by_first(sorted(folded, key=lambda f: len(f.text), reverse=True))


def _canonical(text: str) -> Folded:
    """An entry's form in the disguised view (English letter swaps, stretches undone)."""
    return _trim(canonical(text))


def _key(text: str) -> Folded:
    """An entry's folded form, without the spaces that padding may leave at its ends."""
    return _trim(fold(text))


def _trim(folded: Folded) -> Folded:
    first = 1 if folded.text.startswith(SPACE) else 0
    last = len(folded.text) - (1 if folded.text.endswith(SPACE) else 0)
    return Folded(folded.text[first:last], folded.counts[first:last], folded.spans[first:last])


def _by_first(suffixes: Iterable[Folded]) -> dict[str, tuple[Folded, ...]]:
    grouped: dict[str, list[Folded]] = defaultdict(list)
    for suffix in suffixes:
        grouped[suffix.text[:1]].append(suffix)
    return {first: tuple(group) for first, group in grouped.items()}


def _pattern(
    entry: Entry, language: str, key: Folded, suffixes: Mapping[str, tuple[Folded, ...]]
) -> _Pattern:
    # A space in a phrase matches any run of separators, so it counts once.
    pairs = zip(key.text, key.counts, strict=True)
    counts = tuple(1 if char == SPACE else count for char, count in pairs)
    return _Pattern(entry, language, key.text, counts, suffixes)


def _accept(view: View, pattern: _Pattern, start: int, end: int) -> int | None:
    """Where a candidate hit ends once its entry's mode is honoured, or None to reject.

    O(L x S) for the S suffixes that start with the character after the hit (a
    prefix entry: to the end of the word).
    """
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
    following = chars[end : end + 1]
    candidates = pattern.suffixes.get(following, ()) if following else ()
    # The longest reading first: show "바보야", not "바보".
    for suffix in (*candidates, *pattern.suffixes.get("", ())):
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
    """Drop allowed matches, matches inside an allowed one, and shadowed matches.

    O(M log M) for M matches: one sort, then constant work per match (a bisection into
    the allowed spans, and the furthest end reached so far per entry and per severity).
    """
    cover = _Cover(match for match in found if match.entry.kind is Kind.ALLOWED)
    kept: list[Match] = []
    reach: dict[Entry, int] = {}  # the furthest end of a kept match, per entry
    reach_severe = [0] * (max(_SEVERITY.values()) + 1)  # ... of at least this severity
    ranked = sorted(found, key=lambda m: (m.start, -_SEVERITY[m.entry.kind], m.end - m.start))
    for match in ranked:
        severity = _SEVERITY[match.entry.kind]
        if match.entry.kind is Kind.ALLOWED or cover.covers(match):
            continue
        # Every kept match starts at or before this one (the order above), so it
        # shadows this one when it is the same entry and ends after this one starts,
        # or when it is at least as severe and ends at or after this one ends.
        if reach.get(match.entry, -1) > match.start or reach_severe[severity] >= match.end:
            continue
        kept.append(match)
        reach[match.entry] = max(reach.get(match.entry, -1), match.end)
        for level in range(severity + 1):
            reach_severe[level] = max(reach_severe[level], match.end)
    return tuple(kept)


class _Cover:
    """The spans of allowed matches, to ask in O(log A) whether one contains a match."""

    def __init__(self, allowed: Iterable[Match]) -> None:
        spans = sorted((match.start, match.end) for match in allowed)
        self.starts = [start for start, _ in spans]
        self.reach: list[int] = []  # the furthest end among the spans up to each one
        for _, end in spans:
            self.reach.append(max(end, self.reach[-1] if self.reach else end))

    def covers(self, match: Match) -> bool:
        before = bisect_right(self.starts, match.start)
        return before > 0 and self.reach[before - 1] >= match.end

"""How a match stands in its sentence: plain, inside a longer word, or quoted to condemn.

A list entry matched anywhere (``substring``) is sure when it stands as a word or starts
one ("fucking", "병신아"), and much less sure glued inside a longer word, where it may
be part of an innocent compound the list does not know yet. A slur between quotation
marks in a sentence that reports or condemns it ("calling her a 'X' is disgusting",
"'X'라고 부르는 건 혐오 표현입니다") is a mention, not a use. Both still count, with a
lower weight (:mod:`commentdesk.triage.scoring`), so a moderator sees them.

O(n + M log n) for M matches: quotation marks, sentence ends and cue words are found in
one pass each, then each match costs a few bisections and O(S x L) suffix checks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from commentdesk.triage.normalize import char_class, fold_char
from commentdesk.triage.wordlists import Mode

if TYPE_CHECKING:
    from commentdesk.triage.matching import Match

INSIDE, QUOTED = "inside", "quoted"
QUOTES = "'\"‘’‚‛“”„‟«»‹›「」『』`＂＇"
_QUOTE = re.compile(f"[{re.escape(QUOTES)}]")
_SENTENCE_END = re.compile(r"[.!?。！？\n]")
# Words of a sentence that reports or condemns what it quotes.
_CUES = re.compile(
    r"\b(?:call(?:s|ed|ing)?|said|says|saying|slurs?|hate speech|disgusting|unacceptable"
    r"|offensive|racist|sexist|insult(?:s|ed|ing)?|reported|term|word|shout(?:s|ed|ing)?"
    r"|yell(?:s|ed|ing)?|scream(?:s|ed|ing)?|wrote|posted|slogan|chant(?:s|ed|ing)?)\b"
    r"|라고|이라는|라는|혐오|비하|욕|막말|모욕|신고|발언|표현|댓글|악플",
    re.IGNORECASE,
)
_QUOTE_REACH = 60  # characters between a quotation mark and the word it quotes


def standings(
    text: str, matches: Sequence[Match], suffixes: Mapping[str, Sequence[str]]
) -> tuple[Match, ...]:
    """``matches`` with their standing set. O(n + M x (log n + S x L))."""
    if not matches:
        return tuple(matches)
    context = _Sentences(text)
    out = []
    for match in matches:
        standing = ""
        if context.quoted(match.start, match.end):
            standing = QUOTED
        elif _inside(text, match, suffixes.get(match.language, ())):
            standing = INSIDE
        out.append(replace(match, standing=standing) if standing else match)
    return tuple(out)


def _inside(text: str, match: Match, suffixes: Sequence[str]) -> bool:
    """A substring entry glued to letters of its own script on both sides, with no
    ending of the language's list after it ("Scunthorpe", not "motherfuckers")."""
    if match.entry.mode is not Mode.SUBSTRING or match.via in ("spaced", "choseong"):
        return False
    start, end = match.start, match.end
    if not (_glued(text, start - 1, start) and _glued(text, end, end - 1)):
        return False
    rest = text[end : end + 12].casefold()
    return not any(
        rest.startswith(suffix) and not _glued(text, end + len(suffix), end - 1)
        for suffix in suffixes
    )


def _glued(text: str, outside: int, edge: int) -> bool:
    """Whether ``text[outside]`` is a letter of the same class as ``text[edge]``."""
    if not 0 <= outside < len(text) or not 0 <= edge < len(text):
        return False
    return char_class(_first(text[outside])) == char_class(_first(text[edge])) != 0


def _first(char: str) -> str:
    folded = fold_char(char)
    return folded[0] if folded else " "


def _letter(text: str, i: int) -> bool:
    """A Latin letter: an apostrophe only elides between those ('병신'이라고 quotes)."""
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()


class _Sentences:
    """Quotation marks, sentence ends and cue words of one text, by position."""

    def __init__(self, text: str) -> None:
        # An apostrophe between letters ("don't") opens and closes nothing.
        self.quotes = [
            m.start()
            for m in _QUOTE.finditer(text)
            if not (_letter(text, m.start() - 1) and _letter(text, m.start() + 1))
        ]
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        self.cues = [m.start() for m in _CUES.finditer(text)] if self.quotes else []

    def quoted(self, start: int, end: int) -> bool:
        """Between quotation marks, in a sentence with a cue word. O(log n)."""
        if not self.cues:
            return False
        before = bisect_left(self.quotes, start)
        after = bisect_left(self.quotes, end)
        if before == 0 or after == len(self.quotes):
            return False
        opening, closing = self.quotes[before - 1], self.quotes[after]
        if start - opening > _QUOTE_REACH or closing - end > _QUOTE_REACH:
            return False
        first = bisect_right(self.ends, start - 1)
        sentence_start = self.ends[first - 1] + 1 if first > 0 else 0
        sentence_end = self.ends[first] if first < len(self.ends) else 1 << 62
        if opening < sentence_start or closing > sentence_end:
            return False
        cue = bisect_left(self.cues, sentence_start)
        return cue < len(self.cues) and self.cues[cue] < sentence_end

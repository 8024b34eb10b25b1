"""Which non-ASCII characters look like which ASCII letters, from Unicode's own table.

A hand-made map ("Cyrillic а looks like a") is always missing the next trick, so the
map is derived from the confusables data of the Unicode Security Mechanisms (UTS #39,
``confusables.txt``) as packaged by the maintained ``confusable-homoglyphs`` library.
We read its data file only, through importlib.resources; none of its code runs.

Kept deliberately narrow: only single characters that Unicode says are confusable with
one ASCII letter or digit are folded, and Hangul and CJK characters never are, because
a Korean vowel like ㅡ must not turn into a dash.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

_DATA_PACKAGE = "confusable_homoglyphs"
_DATA_FILE = "confusables.json"
_ASCII_TARGETS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@cache
def fold_map() -> Mapping[str, str]:
    """Map each foldable non-ASCII character to the lower-case ASCII character it mimics.

    Loaded once, on first use (never at import), and read-only afterwards; a lookup
    is one dict probe, O(1) per character.
    """
    raw = json.loads(resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_text("utf-8"))
    folded: dict[str, str] = {}
    for source, lookalikes in raw.items():
        target = _ascii_target(source, lookalikes)
        if target is not None:
            folded[source] = target
    return MappingProxyType(folded)


def _ascii_target(source: str, lookalikes: list[dict[str, str]]) -> str | None:
    if len(source) != 1 or source.isascii() or _is_east_asian(source):
        return None
    targets = sorted(
        {entry["c"].casefold() for entry in lookalikes if entry["c"].casefold() in _ASCII_TARGETS}
    )
    # Prefer a letter over a digit: "О" should read as o, not 0.
    letters = [target for target in targets if target.isalpha()]
    if letters:
        return letters[0]
    return targets[0] if targets else None


def _is_east_asian(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("HANGUL", "CJK", "HALFWIDTH HANGUL", "IDEOGRAPHIC", "KANGXI"))

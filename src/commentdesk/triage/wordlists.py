"""Word lists: what a site refuses, holds or flags, per language, and the shipped starters.

A list is plain data that an admin edits in the console and the store keeps as JSON in
the same shape as the starter files under ``triage/data/``::

    {"language": "ko", "suffixes": ["야", "들아"], "choseong_stoplist": ["ㅂㅂ"],
     "allowed_suffixes": ["에는", "에서"],
     "entries": [{"text": "바보", "kind": "suspect", "match": "word", "category": "abuse"}]}

Each entry says how it is matched, because one rule cannot fit all words: "ass" must be a
whole word (or "class" matches), "fuck" is found inside "motherfucker", and a Korean word
is found with a particle attached ("바보야"). ``allowed`` entries are exceptions that
silence a banned or suspect match lying inside them (시발점, "starting point", contains
시발), followed only by ``allowed_suffixes`` when the list has them: case particles,
not the vocatives that make 병신년 (丙申年, a year) an insult in 병신년아. Matching
lives in :mod:`commentdesk.triage.matching`.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

STARTER_LANGUAGES = ("en", "ko")


class Kind(enum.StrEnum):
    """What a match means: refuse or hold (banned), flag (suspect), or never mind."""

    BANNED = "banned"
    SUSPECT = "suspect"
    ALLOWED = "allowed"


class Mode(enum.StrEnum):
    """Where an entry may match within the words of a comment.

    ``word``: a whole word, optionally followed by one of the list's suffixes (English
    inflections, Korean particles); an entry with spaces is a phrase of whole words.
    ``prefix``: at the start of a word, whatever follows. ``substring``: anywhere.
    """

    WORD = "word"
    PREFIX = "prefix"
    SUBSTRING = "substring"


@dataclass(frozen=True, slots=True)
class Entry:
    """One listed word or phrase. ``choseong`` allows its ㅅㅂ-style abbreviation."""

    text: str
    kind: Kind
    mode: Mode = Mode.WORD
    category: str = "abuse"
    choseong: bool = True


@dataclass(frozen=True, slots=True)
class WordList:
    """The entries of one language, with the word endings that language attaches."""

    language: str
    entries: tuple[Entry, ...]
    suffixes: tuple[str, ...] = ()
    choseong_stoplist: tuple[str, ...] = ()
    name: str = ""
    #: Endings an allowed entry (an innocent compound) may take; empty: ``suffixes``.
    allowed_suffixes: tuple[str, ...] = ()


class WordListError(ValueError):
    """A word list that cannot be used; the message names the entry and the problem."""


def load_starter(language: str) -> WordList:
    """The starter list shipped for ``language`` ("en" or "ko").

    Raises :class:`WordListError` for a language without a starter list.
    """
    if language not in STARTER_LANGUAGES:
        raise WordListError(f"no starter word list for language {language!r}")
    text = (
        resources.files(__package__)
        .joinpath("data")
        .joinpath(f"{language}.json")
        .read_text("utf-8")
    )
    return wordlist_from_json(text, name=f"starter-{language}")


def starter_lists() -> tuple[WordList, ...]:
    """Every shipped starter list."""
    return tuple(load_starter(language) for language in STARTER_LANGUAGES)


def wordlist_from_json(text: str, name: str = "") -> WordList:
    """Parse a list from its JSON form; raises :class:`WordListError` when invalid."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise WordListError(f"word list is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise WordListError("word list must be a JSON object")
    return parse_wordlist(data, name=name)


def parse_wordlist(data: Mapping[str, object], name: str = "") -> WordList:
    """Build a :class:`WordList` from decoded JSON, checking every field."""
    language = data.get("language")
    if not isinstance(language, str) or not language:
        raise WordListError("word list needs a 'language'")
    raw_entries = data.get("entries", [])
    if not isinstance(raw_entries, list):
        raise WordListError("'entries' must be a list")
    entries = tuple(_parse_entry(raw, index) for index, raw in enumerate(raw_entries))
    return WordList(
        language=language,
        entries=entries,
        suffixes=_strings(data, "suffixes"),
        choseong_stoplist=_strings(data, "choseong_stoplist"),
        name=name,
        allowed_suffixes=_strings(data, "allowed_suffixes"),
    )


def to_json(wordlist: WordList) -> str:
    """The JSON form read by :func:`wordlist_from_json` (round-trips)."""
    entries = [
        {
            "text": entry.text,
            "kind": str(entry.kind),
            "match": str(entry.mode),
            "category": entry.category,
            "choseong": entry.choseong,
        }
        for entry in wordlist.entries
    ]
    data = {
        "language": wordlist.language,
        "suffixes": list(wordlist.suffixes),
        "choseong_stoplist": list(wordlist.choseong_stoplist),
        "allowed_suffixes": list(wordlist.allowed_suffixes),
        "entries": entries,
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def _parse_entry(raw: object, index: int) -> Entry:
    if not isinstance(raw, dict):
        raise WordListError(f"entry {index} must be an object")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise WordListError(f"entry {index} needs a non-empty 'text'")
    try:
        kind = Kind(raw.get("kind", Kind.BANNED))
        mode = Mode(raw.get("match", Mode.WORD))
    except ValueError as error:
        raise WordListError(f"entry {index} ({text!r}): {error}") from error
    category = raw.get("category", "abuse")
    choseong = raw.get("choseong", True)
    if not isinstance(category, str) or not isinstance(choseong, bool):
        raise WordListError(f"entry {index} ({text!r}): bad 'category' or 'choseong'")
    return Entry(text.strip(), kind, mode, category, choseong)


def _strings(data: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise WordListError(f"'{key}' must be a list of strings")
    return tuple(value)

"""Word lists: the shipped starters load, and the JSON form is checked and round-trips."""

from __future__ import annotations

import pytest

from commentdesk.triage.wordlists import (
    Kind,
    Mode,
    WordListError,
    load_starter,
    starter_lists,
    to_json,
    wordlist_from_json,
)


def test_starter_lists_exist_for_english_and_korean() -> None:
    assert [wordlist.language for wordlist in starter_lists()] == ["en", "ko"]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_starter_lists_have_banned_suspect_and_spam_entries(language: str) -> None:
    entries = load_starter(language).entries
    assert {Kind.BANNED, Kind.SUSPECT} <= {entry.kind for entry in entries}
    assert any(entry.category == "spam" for entry in entries)


def test_starter_entries_are_unique_per_language() -> None:
    for wordlist in starter_lists():
        texts = [entry.text for entry in wordlist.entries]
        assert len(texts) == len(set(texts))


def test_a_list_round_trips_through_json() -> None:
    wordlist = load_starter("ko")
    again = wordlist_from_json(to_json(wordlist), name=wordlist.name)
    assert again == wordlist


def test_an_entry_defaults_to_a_banned_whole_word() -> None:
    wordlist = wordlist_from_json('{"language": "en", "entries": [{"text": " grifter "}]}')
    (entry,) = wordlist.entries
    assert (entry.text, entry.kind, entry.mode) == ("grifter", Kind.BANNED, Mode.WORD)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "must be a JSON object"),
        ("{", "not valid JSON"),
        ('{"entries": []}', "needs a 'language'"),
        ('{"language": "en", "entries": [{"text": ""}]}', "entry 0 needs a non-empty 'text'"),
        ('{"language": "en", "entries": [{"text": "x", "kind": "maybe"}]}', "entry 0 ('x')"),
        ('{"language": "en", "suffixes": "s"}', "'suffixes' must be a list of strings"),
    ],
)
def test_an_invalid_list_is_refused_with_a_message_naming_the_problem(
    text: str, message: str
) -> None:
    with pytest.raises(WordListError, match=message.replace("(", r"\(").replace(")", r"\)")):
        wordlist_from_json(text)


def test_a_language_without_a_starter_list_is_an_error() -> None:
    with pytest.raises(WordListError, match="no starter word list"):
        load_starter("fr")

"""Input rules for pseudonyms, bodies, emails, reasons and article keys."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentdesk.errors import InvalidInput
from commentdesk.validation import (
    BIDI_CONTROLS,
    clean_article_key,
    clean_author,
    clean_body,
    clean_email,
    clean_reason,
    strip_unsafe,
)


@pytest.mark.parametrize("name", ["Kim", "김민지", "Анна", "O'Brien-Smith", "user_42", "J. R."])
def test_ordinary_pseudonyms_in_any_script_are_kept(name: str) -> None:
    assert clean_author(name) == name


def test_runs_of_spaces_in_a_pseudonym_fold_into_one() -> None:
    assert clean_author("  Kim \u3000  Lee ") == "Kim Lee"


@pytest.mark.parametrize("name", ["a\x00b", "a\u202eb", "a\u2066b", "a\nb", "<😀>", "\ud800"])
def test_control_bidi_symbols_and_surrogates_are_refused_in_pseudonyms(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_author(name)
    assert caught.value.field == "author"


@given(st.text(max_size=300))
def test_a_cleaned_body_never_holds_control_or_bidi_characters(text: str) -> None:
    cleaned = strip_unsafe(text)
    assert all(
        ch == "\n" or (ch not in BIDI_CONTROLS and unicodedata.category(ch) not in ("Cc", "Cs"))
        for ch in cleaned
    )


@given(st.text(min_size=1, max_size=300))
def test_cleaning_a_body_twice_changes_nothing(text: str) -> None:
    try:
        once = clean_body(text)
    except InvalidInput:
        return
    assert clean_body(once) == once


@given(st.text(max_size=200))
def test_a_cleaned_pseudonym_is_1_to_64_characters(text: str) -> None:
    try:
        name = clean_author(text)
    except InvalidInput:
        return
    assert 1 <= len(name) <= 64
    assert name == name.strip()


def test_newlines_are_kept_in_bodies() -> None:
    assert clean_body("one\r\ntwo\n\nthree") == "one\ntwo\n\nthree"


@pytest.mark.parametrize("address", ["a@b.example", "first.last+tag@mail.example.org"])
def test_plausible_emails_are_kept(address: str) -> None:
    assert clean_email(address) == address


@pytest.mark.parametrize("address", ["plain", "a@b", "a b@c.example", "a@@b.example"])
def test_implausible_emails_are_refused(address: str) -> None:
    with pytest.raises(InvalidInput):
        clean_email(address)


def test_an_empty_email_means_none() -> None:
    assert clean_email("  ") is None
    assert clean_email(None) is None


def test_a_reason_is_one_line() -> None:
    assert clean_reason("spam\nand ads", required=True) == "spam and ads"


def test_a_required_reason_cannot_be_blank() -> None:
    with pytest.raises(InvalidInput):
        clean_reason(" ", required=True)
    assert clean_reason(" ", required=False) is None


def test_a_long_reason_is_refused() -> None:
    with pytest.raises(InvalidInput):
        clean_reason("x" * 501, required=True)


@pytest.mark.parametrize("key", ["a", "2026/11/story", "a b", "", "x" * 201, "ключ"])
def test_article_keys_follow_the_contract(key: str) -> None:
    valid = key in ("a",)
    if valid:
        assert clean_article_key(key) == key
    else:
        with pytest.raises(InvalidInput):
            clean_article_key(key)

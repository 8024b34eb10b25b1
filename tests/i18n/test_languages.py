"""Choosing a language, and saying messages, dates and numbers in it: pure, no app."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import pytest

from commentdesk.errors import AlreadyDecided, InvalidInput, RateLimited
from commentdesk.i18n import Catalogs, Message, absolute_time, relative_time
from commentdesk.model import State
from commentdesk.validation import clean_author, clean_body

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs.load()


@pytest.mark.parametrize(
    ("choice", "site", "accept", "expected"),
    [
        (None, None, None, "en"),
        ("ko", "en", "en-US", "ko"),  # the reader's own choice wins
        (None, "ko", "en-US,en;q=0.9", "ko"),  # the site's language over the browser's
        (None, None, "ko-KR,ko;q=0.9,en;q=0.8", "ko"),  # no site: the browser's
        (None, None, "fr-CA, ko;q=0.5, en;q=0.7", "en"),  # by quality, not by order
        (None, None, "de, ko;q=0", "en"),  # q=0 means "not this"
        (None, "ja", "ko", "ko"),  # a site language without a catalog: the browser's
        ("xx", None, "ko", "ko"),  # an unknown choice is no choice
        ("../../etc", None, None, "en"),
        (None, None, "*", "en"),
        (None, None, "ko-Kore-KR", "ko"),  # a longer tag falls back to its language
    ],
)
def test_negotiation_order(
    catalogs: Catalogs, choice: str | None, site: str | None, accept: str | None, expected: str
) -> None:
    chosen = catalogs.negotiate(choice=choice, site=site, accept_language=accept)
    assert chosen.code == expected


def test_a_malformed_header_is_ignored(catalogs: Catalogs) -> None:
    assert catalogs.best_match("ko;q=abc, en") is not None
    assert catalogs.best_match(",,;;q=") is None
    assert catalogs.best_match("x" * 5000) is None


def test_the_switch_names_each_language_in_itself(catalogs: Catalogs) -> None:
    english = catalogs.languages["en"]
    assert [lang.name for lang in catalogs.others(english)] == ["한국어"]
    assert [lang.name for lang in catalogs.others(catalogs.languages["ko"])] == ["English"]


def test_a_message_reads_as_english_and_keeps_its_catalog_id() -> None:
    message = Message("Please wait about %(seconds)s seconds.", seconds=5)
    assert message == "Please wait about 5 seconds."
    assert (message.template, dict(message.params)) == (
        "Please wait about %(seconds)s seconds.",
        {"seconds": 5},
    )
    copied = pickle.loads(pickle.dumps(message))
    assert (copied, copied.template) == (message, message.template)
    assert Message("100% plain") == "100% plain"  # no values: no formatting


def test_desk_errors_are_said_in_korean_with_their_values(catalogs: Catalogs) -> None:
    korean = catalogs.languages["ko"]
    assert korean.say(RateLimited(4.2).message).startswith("이 사이트가 허용하는 것보다")
    assert "약 5초 뒤에" in korean.say(RateLimited(4.2).message)
    decided = AlreadyDecided("mina", State.APPROVED).message
    assert decided == "This comment was already approved by mina."
    assert korean.say(decided) == "이 댓글은 이미 mina 님이 처리했습니다(approved)."
    with pytest.raises(InvalidInput) as caught:
        clean_body("x" * 5001)
    assert korean.say(caught.value.message) == (
        "댓글이 5,001자입니다. 5,000자까지 쓸 수 있으니 줄여 주세요."
    )
    with pytest.raises(InvalidInput) as caught:
        clean_author("")
    assert korean.say(caught.value.message) == "닉네임을 입력해 주세요(원하는 이름, 1~64자)."


def test_a_sentence_not_in_the_catalog_stays_english(catalogs: Catalogs) -> None:
    korean = catalogs.languages["ko"]
    assert korean.say(InvalidInput("x", "Something only the desk says.").message) == (
        "Something only the desk says."
    )
    assert korean.say("Write a comment") == "댓글 쓰기"  # plain catalog sentences too


def test_a_translation_with_a_broken_placeholder_falls_back_to_english(
    catalogs: Catalogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    korean = catalogs.languages["ko"]
    monkeypatch.setattr(korean.translations, "gettext", lambda message: "%(nope)s 깨짐")
    message = Message("Version %(version)s.", version=3)
    assert korean.say(message) == "Version 3."


def test_dates_and_numbers_are_written_the_korean_way(catalogs: Catalogs) -> None:
    korean = catalogs.languages["ko"]
    assert korean.absolute_time(NOW) == "2026년 11월 1일 12:00 UTC"
    assert korean.relative_time(NOW - timedelta(hours=3), NOW) == "3시간 전"
    assert korean.relative_time(NOW - timedelta(seconds=20), NOW) is None
    assert korean.number(1234567) == "1,234,567"
    assert absolute_time(NOW) == "Nov 1, 2026, 12:00 UTC"
    assert relative_time(NOW - timedelta(days=2), NOW, "ko") == "2일 전"
    assert catalogs.languages["en"].percent(0.25) == "25%"

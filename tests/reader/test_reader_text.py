"""How comment text and times are shown: pure functions, no app needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commentdesk.web.reader.text import absolute_time, excerpt, linkify, relative_time

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_text_is_escaped() -> None:
    assert linkify('<a href="x">&</a>') == "&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt;"


def test_address_becomes_a_link_showing_itself() -> None:
    assert linkify("see https://example.org/a") == (
        'see <a href="https://example.org/a" rel="nofollow ugc noopener">https://example.org/a</a>'
    )


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("(https://example.org/x)", "https://example.org/x"),
        ("https://en.wikipedia.org/wiki/Foo_(bar).", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("Read https://example.org/a, then", "https://example.org/a"),
        ("https://ko.wikipedia.org/wiki/서울。", "https://ko.wikipedia.org/wiki/서울"),
    ],
)
def test_sentence_punctuation_stays_out_of_the_link(text: str, url: str) -> None:
    assert f'href="{url}"' in linkify(text)


def test_quotes_cannot_break_out_of_the_href() -> None:
    html = linkify('https://example.org/"onmouseover="x()')
    assert 'href="https://example.org/"' in html
    assert "onmouseover=&#34;" in html


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org", "https://"]
)
def test_only_http_addresses_become_links(text: str) -> None:
    assert "<a" not in linkify(text)


def test_ampersands_in_an_address_are_escaped_in_the_href() -> None:
    assert 'href="https://e.org/?a=1&amp;b=2"' in linkify("https://e.org/?a=1&b=2")


def test_relative_time_is_none_for_under_a_minute() -> None:
    assert relative_time(NOW - timedelta(seconds=30), NOW) is None
    assert relative_time(NOW + timedelta(minutes=5), NOW) is None


def test_relative_time_reads_like_speech() -> None:
    assert relative_time(NOW - timedelta(minutes=5), NOW) == "5 minutes ago"
    assert relative_time(NOW - timedelta(days=2), NOW) == "2 days ago"


def test_relative_time_speaks_korean_for_a_korean_locale() -> None:
    assert relative_time(NOW - timedelta(hours=3), NOW, "ko") == "3시간 전"


def test_absolute_time_is_in_utc_and_says_so() -> None:
    assert absolute_time(NOW) == "Nov 1, 2026, 12:00 UTC"


def test_excerpt_cuts_long_text_on_one_line() -> None:
    assert excerpt("a\nb  c") == "a b c"
    assert excerpt("x" * 300, 10) == "xxxxxxxxx…"

"""Links: found in plain text, sorted by the site's domain rules."""

from __future__ import annotations

import pytest

from commentdesk.triage.links import (
    MAX_SCHEME,
    LinkPolicy,
    assess_links,
    domain_in,
    extract_links,
)


def hosts(text: str) -> list[str]:
    return [link.host for link in extract_links(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("read https://example.com/a?b=c, then reply", ["example.com"]),
        ("see www.example.org/story.", ["www.example.org"]),
        ("cheap pills at pills-now.xyz today", ["pills-now.xyz"]),
        ("go to example.info/promo", ["example.info"]),
        ("example[.]com/promo and spam (dot) xyz", ["example.com", "spam.xyz"]),
        ("ｗｗｗ．ｓｐａｍ．ｃｏｍ", ["www.spam.com"]),
        ("http://[::1]/x and http://10.0.0.1:8080/y", ["::1", "10.0.0.1"]),
    ],
)
def test_links_are_found_in_plain_text(text: str, expected: list[str]) -> None:
    assert hosts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "e.g. this",
        "Mr.Smith said so",
        "version 3.11 is out",
        "write to bob@example.com",
        "010.1234.5678",
    ],
)
def test_ordinary_text_has_no_links(text: str) -> None:
    assert extract_links(text) == ()


def test_a_link_span_points_at_the_text_as_written() -> None:
    text = "promo: example[.]com/x!"
    (link,) = extract_links(text)
    assert text[link.start : link.end] == "example[.]com/x"
    assert link.url == "example.com/x"


def test_raw_ip_addresses_are_recognised_in_every_form_browsers_accept() -> None:
    text = "http://185.23.41.7/a http://[2001:db8::1]/b http://3232235777/c http://ok.example/d"
    report = assess_links(text, LinkPolicy())
    assert [link.host for link in report.raw_ip] == ["185.23.41.7", "2001:db8::1", "3232235777"]


def test_links_are_sorted_by_allowed_denied_and_shortener_domains() -> None:
    policy = LinkPolicy(allowed=frozenset({"bbc.co.uk"}), denied=frozenset({"spam.ru"}))
    text = "https://bit.ly/x http://a.spam.ru/b https://www.bbc.co.uk/news"
    report = assess_links(text, policy)
    assert report.count == 3
    assert [link.host for link in report.allowed] == ["www.bbc.co.uk"]
    assert [link.host for link in report.denied] == ["a.spam.ru"]
    assert [link.host for link in report.shortened] == ["bit.ly"]
    assert [link.host for link in report.unvouched] == ["bit.ly", "a.spam.ru"]


def test_a_domain_rule_covers_subdomains_but_not_lookalike_names() -> None:
    assert domain_in("news.example.com", ["example.com"])
    assert not domain_in("badexample.com", ["example.com"])


def test_korean_url_shorteners_ship_in_the_starter_list() -> None:
    report = assess_links("자세한 내용 me2.do/xY9aB 참고", LinkPolicy())
    assert [link.host for link in report.shortened] == ["me2.do"]


def test_a_scheme_is_at_most_max_scheme_characters_so_a_letter_run_is_scanned_once() -> None:
    # An unbounded scheme made every position of a letter run scan to its end: O(n²)
    # inside the regular expression, where no call counter sees it.
    link = extract_links("x" * 100 + "://a.co/b")[0]
    assert link.host == "a.co"
    assert link.url == "x" * MAX_SCHEME + "://a.co/b"

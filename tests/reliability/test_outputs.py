"""The checkers themselves: each one flags the unsafe output it exists to catch."""

from __future__ import annotations

import pytest

from tests.reliability.outputs import (
    csv_shown,
    formula_cells,
    html_findings,
    parse_html,
    read_csv,
    text_of,
    unsafe_url,
)

PAGE = (
    "<!doctype html><html><head><title>t</title></head>"
    '<body><div class="cd-body">{}</div></body></html>'
)


def findings(inner: str) -> list[str]:
    return html_findings(*parse_html(PAGE.format(inner)))


def test_escaped_hostile_text_is_clean() -> None:
    assert findings("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img onerror=x&gt;") == []


@pytest.mark.parametrize(
    "injected",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        "<iframe src=https://evil.example></iframe>",
        '<p data-x="1" style="position:fixed">',
        "<!-- hidden -->",
        '<form action="data:text/html,x"></form>',
    ],
)
def test_injected_markup_is_flagged(injected: str) -> None:
    assert findings(injected), injected


def test_text_of_reads_line_breaks_and_links_as_a_browser_shows_them() -> None:
    tree, _ = parse_html(
        PAGE.format('a &amp; <a href="https://x.example">https://x.example</a><br>b')
    )
    body = next(e for e in tree.iter() if e.get("class") == "cd-body")
    assert text_of(body) == "a & https://x.example\nb"


def test_urls_with_schemes_other_than_http_and_mail_are_unsafe() -> None:
    urls = ("https://a", "/x", "#y", "mailto:a@b", "JavaScript:x", "data:x")
    assert [unsafe_url(u) for u in urls] == [False, False, False, False, True, True]


def test_formula_cells_are_flagged_unless_quoted() -> None:
    rows = read_csv('a,=1+1,"\t=2"\n\'=3,+4,@x\n')
    assert len(formula_cells(rows)) == 4
    assert csv_shown("=1") == "'=1"
    assert csv_shown("ok") == "ok"


def test_a_formula_after_leading_spaces_is_still_a_formula() -> None:
    assert len(formula_cells(read_csv(' =1+1,"\n@x",a - b\n'))) == 2
    assert csv_shown(" -2") == "' -2"

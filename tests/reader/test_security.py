"""Headers and markup of every reader page: strict CSP, framing only by the site, no inline code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.store.tables import sites
from commentdesk.web.middleware.headers import CSP
from tests.reader.pages import assert_no_inline_code, csrf_token, parse
from tests.support import Post

FormFor = Callable[..., dict[str, str]]
READER_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors https://news.example")


def test_thread_page_sends_the_strict_csp_framed_only_by_the_site(
    client: TestClient, thread_url: str
) -> None:
    response = client.get(thread_url)
    assert response.headers["content-security-policy"] == READER_CSP
    assert "'unsafe-inline'" not in READER_CSP
    assert "script-src 'self'" in READER_CSP


def test_frame_ancestors_lists_exactly_the_site_origins(
    client: TestClient, desk: Desk, thread_url: str
) -> None:
    with desk.context.store.write() as connection:
        connection.execute(
            sites.update().values(origins=["https://news.example", "http://127.0.0.1:*"])
        )
    policy = client.get(thread_url).headers["content-security-policy"]
    assert policy.endswith("frame-ancestors https://news.example http://127.0.0.1:*")


def test_origin_that_could_rewrite_the_policy_is_left_out(
    client: TestClient, desk: Desk, thread_url: str
) -> None:
    with desk.context.store.write() as connection:
        connection.execute(sites.update().values(origins=["https://a.example;script-src *"]))
    policy = client.get(thread_url).headers["content-security-policy"]
    assert policy.endswith("frame-ancestors 'none'")
    assert "script-src *" not in policy


def test_site_without_origins_may_not_be_framed(
    client: TestClient, desk: Desk, thread_url: str
) -> None:
    with desk.context.store.write() as connection:
        connection.execute(sites.update().values(origins=[]))
    policy = client.get(thread_url).headers["content-security-policy"]
    assert policy.endswith("frame-ancestors 'none'")


def test_reader_pages_send_the_other_security_headers(client: TestClient, thread_url: str) -> None:
    headers = client.get(thread_url).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"


def test_csrf_cookie_is_httponly_and_lax(client: TestClient, thread_url: str) -> None:
    cookie = client.get(thread_url).headers["set-cookie"]
    assert cookie.startswith("cd_csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


def _pages(client: TestClient, publish: Post, form_for: FormFor, url: str) -> list[str]:
    """One of each kind of reader page, with content that tempts injection."""
    parent = publish('<script>alert("x")</script> https://example.org/"onmouseover=x()')
    publish("reply <style>*{}</style>", author="O'Brien", parent_id=parent)
    held = client.post(f"{url}/comments", data=form_for(body="<b>mine</b>"))
    wrong = client.post(f"{url}/comments", data=form_for(author="x\u202e", body="<i>kept</i>"))
    report = client.get(f"{url}/comments/{parent}/report")
    return [
        held.text,
        wrong.text,
        client.get(f"{url}?reply_to={parent}").text,
        report.text,
        client.post(
            f"{url}/comments/{parent}/report",
            data={"details": "x" * 600, "csrf": csrf_token(report.text)},
        ).text,
        client.get(f"{url}/terms").text,
        client.get("/articles/missing").text,
    ]


def test_every_reader_page_is_valid_html(
    client: TestClient, publish: Post, form_for: FormFor, thread_url: str
) -> None:
    for page in _pages(client, publish, form_for, thread_url):
        parse(page)  # strict: raises at the first parse error


def test_no_reader_page_has_inline_script_style_or_handlers(
    client: TestClient, publish: Post, form_for: FormFor, thread_url: str
) -> None:
    for page in _pages(client, publish, form_for, thread_url):
        assert_no_inline_code(parse(page))


def test_every_script_on_a_reader_page_comes_from_a_file(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    publish()
    page = client.get(thread_url).text
    assert "<script" not in page.replace("&lt;script", "")


@pytest.mark.parametrize(
    ("site", "framed"), [("cross-site", True), ("same-site", False), ("same-origin", False)]
)
def test_page_framed_by_another_site_links_to_the_form_instead_of_showing_it(
    client: TestClient, thread_url: str, site: str, framed: bool
) -> None:
    headers = {"Sec-Fetch-Dest": "iframe", "Sec-Fetch-Site": site}
    document = parse(client.get(thread_url, headers=headers).text)
    assert (document.find(".//form") is None) is framed
    link = document.find(".//p[@class='cd-compose-link']/a")
    assert (link is not None and link.get("target") == "_blank") is framed

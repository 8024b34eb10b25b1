"""The thread page for readers without cookies: kept once, each reader's token spliced in."""

from __future__ import annotations

import gzip

from fastapi.testclient import TestClient

from commentdesk.web.middleware.kept import ReadCache
from commentdesk.web.middleware.readpath import ReadPath
from tests.reader.pages import csrf_token, parse
from tests.support import Clock, Post


def kept(client: TestClient) -> ReadCache:
    cache: ReadCache = client.app.state.read_cache  # type: ignore[attr-defined]
    return cache


def first_visit(client: TestClient, url: str, **headers: str) -> tuple[str, str, str]:
    """The page as a new reader gets it: its text, its cookie and the form's token."""
    client.cookies.clear()
    page = client.get(url, headers=headers)
    assert page.status_code == 200
    return page.text, page.cookies["cd_csrf"], csrf_token(page.text)


def test_readers_without_cookies_share_one_render_but_not_one_token(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    publish("Seen by everyone.")
    first, cookie_a, token_a = first_visit(client, thread_url)
    second, cookie_b, token_b = first_visit(client, thread_url)
    assert kept(client).hits == 1
    assert cookie_a != cookie_b
    assert token_a != token_b
    assert first.replace(token_a, "") == second.replace(token_b, "")
    parse(second)  # still a valid document


def test_a_spliced_token_lets_its_reader_post(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    first_visit(client, thread_url)  # the render that is kept
    _, _, token = first_visit(client, thread_url)  # spliced, with this client's cookie
    form = {
        "csrf": token,
        "author": "Mina",
        "body": "Through the kept page.",
        "accept_terms": "yes",
    }
    posted = client.post(f"{thread_url}/comments", data=form, follow_redirects=False)
    assert posted.status_code == 303, posted.text


def test_a_token_spliced_for_one_reader_fails_for_another(
    client: TestClient, thread_url: str
) -> None:
    first_visit(client, thread_url)
    _, _, token = first_visit(client, thread_url)
    first_visit(client, thread_url)  # another reader's cookie now
    form = {"csrf": token, "author": "Mina", "body": "Forged.", "accept_terms": "yes"}
    posted = client.post(f"{thread_url}/comments", data=form, follow_redirects=False)
    assert posted.status_code == 403


def test_the_gzip_page_is_the_plain_page(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    for n in range(5):
        publish(f"Comment number {n}, long enough to compress.")
    first_visit(client, thread_url)
    client.cookies.clear()
    with client.stream("GET", thread_url, headers={"Accept-Encoding": "gzip"}) as raw:
        wire = b"".join(raw.iter_raw())
        assert raw.headers["content-encoding"] == "gzip"
        assert raw.headers["vary"].endswith("Accept-Encoding")
        assert int(raw.headers["content-length"]) == len(wire)
        cookie = raw.cookies["cd_csrf"]
    text = gzip.decompress(wire).decode()
    assert "Comment number 4" in text
    assert csrf_token(text) != ""
    assert cookie not in text  # the cookie value itself is never in the page


def test_nothing_personal_is_kept_for_others(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    publish("Public words.")
    _, _, token = first_visit(client, thread_url)
    form = {"csrf": token, "author": "Mina", "body": "My own pending words.", "accept_terms": "yes"}
    client.post(f"{thread_url}/comments", data=form, follow_redirects=False)
    mine = client.get(thread_url)  # with cookies: my page, with my pending comment
    assert "My own pending words." in mine.text
    others, _, _ = first_visit(client, thread_url)
    assert "My own pending words." not in others
    kept_bytes = b"".join(kept(client).bodies())
    assert b"My own pending words." not in kept_bytes
    assert token.encode() not in kept_bytes


def test_a_decision_shows_on_the_next_shared_page(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    first_visit(client, thread_url)
    publish("Approved after the page was kept.")
    page, _, _ = first_visit(client, thread_url)
    assert "Approved after the page was kept." in page


def test_relative_times_move_on_in_a_kept_page(
    client: TestClient, publish: Post, thread_url: str, clock: Clock
) -> None:
    publish("Fresh.")
    page, _, _ = first_visit(client, thread_url)
    assert "just now" in page
    clock.advance(minutes=3)
    page, _, _ = first_visit(client, thread_url)
    assert "3 minutes ago" in page


def test_each_language_gets_its_own_kept_page(client: TestClient, thread_url: str) -> None:
    english, _, _ = first_visit(client, thread_url, **{"Accept-Language": "en"})
    korean, _, _ = first_visit(client, thread_url, **{"Accept-Language": "ko"})
    again, _, _ = first_visit(client, thread_url, **{"Accept-Language": "ko"})
    assert 'lang="ko"' in korean
    assert 'lang="en"' in english
    assert again.count('lang="ko"') == korean.count('lang="ko"')


def blank_of(client: TestClient) -> tuple[str, str]:
    """The stand-ins the read path renders shared pages with: never to be sent."""
    layer = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, ReadPath):
        layer = layer.app
    return layer.blank.cookie, layer.blank.token


def test_no_reader_ever_gets_the_blanks(client: TestClient, thread_url: str) -> None:
    cookie, token = blank_of(client)
    for url in (thread_url, thread_url, "/articles/nowhere", f"{thread_url}?lang=ko"):
        client.cookies.clear()
        page = client.get(url)
        assert cookie not in page.headers.get("set-cookie", "")
        assert token not in page.text
        assert cookie not in page.text


def test_a_missing_article_page_gets_a_token_of_its_own(client: TestClient) -> None:
    client.cookies.clear()
    first = client.get("/articles/nowhere")
    client.cookies.clear()
    second = client.get("/articles/nowhere")
    assert first.status_code == second.status_code == 404
    assert first.cookies["cd_csrf"] != second.cookies["cd_csrf"]


def test_a_language_chosen_by_address_is_kept_with_its_cookie(
    client: TestClient, thread_url: str
) -> None:
    first_visit(client, f"{thread_url}?lang=ko")
    client.cookies.clear()
    again = client.get(f"{thread_url}?lang=ko")
    assert kept(client).hits == 1
    assert again.cookies["cd_lang"] == "ko"
    assert 'lang="ko"' in again.text


def test_a_page_sent_once_is_not_compressed_for_nothing(client: TestClient) -> None:
    client.cookies.clear()
    missing = client.get("/articles/nowhere", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404
    assert "content-encoding" not in missing.headers
    assert kept(client).bodies() == []

"""Pages in the negotiated language, and the Korean reader's page with nothing left in
English: every state of the thread, the report, terms and missing pages are rendered for
a Korean site, and any Latin word outside what readers wrote fails the test.

Language does not depend on the database, so this runs on SQLite only.
"""

from __future__ import annotations

import functools
import re

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.desk.site_settings import SiteTextsDraft
from commentdesk.desk.site_texts import ReasonDraft
from commentdesk.model import Action, Moderation, Role
from tests.i18n.leftovers import untranslated
from tests.reader.pages import csrf_token
from tests.support import PASSWORD, submit_comment

KO_SITE, KO_ARTICLE = "ko-news", "ko1"


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def korean(desk: Desk) -> str:
    """A Korean site whose article, terms and comments are all in Korean."""
    site = desk.catalog.ensure_site(KO_SITE, name="코멘트 뉴스", language="ko")
    desk.catalog.add_article(KO_SITE, KO_ARTICLE, url="https://ko.example/1", title="첫 기사")
    admin = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    policy = desk.site_settings.policy(site.id)
    desk.site_settings.update_site(
        admin,
        site.id,
        moderation=Moderation.PRE,
        auto_close_days=None,
        origins="",
        ban_policy=policy.ban_policy,
        texts=SiteTextsDraft(
            [ReasonDraft(r.code, dict(r.texts)) for r in policy.reject_reasons],
            [ReasonDraft(r.code, dict(r.texts)) for r in policy.edit_reasons],
            {"ko": "서로 존중해 주세요. 인신공격과 광고는 삭제합니다."},
        ),
    )
    return KO_ARTICLE


@pytest.fixture
def published(desk: Desk, korean: str) -> list[int]:
    editor = desk.accounts.get("chief")

    publish = functools.partial(submit_comment, desk, key=korean, approve_as=editor)
    first = publish("좋은 기사입니다.", author="민아")
    desk.moderation.decide(editor, first, Action.FEATURE)
    publish("동의합니다.", author="준", parent_id=first)
    edited = publish("제 전화번호는 공일공입니다.", author="샘")
    desk.moderation.decide(editor, edited, Action.EDIT, reason="개인정보", body="[삭제됨]")
    return [first, edited]


@pytest.fixture
def reader(client: TestClient) -> TestClient:
    client.headers["Accept-Language"] = "en-US,en;q=0.9"  # the site's language wins anyway
    return client


def _post(client: TestClient, path: str, page: str, **fields: str) -> str:
    response = client.post(path, data={"csrf": csrf_token(page), **fields})
    return response.text


def test_no_english_is_left_on_the_korean_readers_pages(
    reader: TestClient, desk: Desk, published: list[int], korean: str
) -> None:
    thread = f"/articles/{korean}"
    pages: dict[str, str] = {}
    pages["thread"] = reader.get(thread).text
    pages["held"] = _post(
        reader,
        f"{thread}/comments",
        pages["thread"],
        author="독자",
        body="검토 중",
        accept_terms="1",
    )
    own_id = re.search(r'id="own-(\d+)"', pages["held"])
    assert own_id, "the reader's own pending comment is shown"
    pages["edited"] = _post(
        reader, f"{thread}/comments/{own_id.group(1)}/edit", pages["held"], body="고친 글"
    )
    pages["edit error"] = _post(
        reader, f"{thread}/comments/{own_id.group(1)}/edit", pages["held"], body=" "
    )
    pages["reply"] = reader.get(f"{thread}?reply_to={published[0]}").text
    pages["form errors"] = _post(reader, f"{thread}/comments", pages["thread"], author="\u202e")
    pages["csrf"] = reader.post(f"{thread}/comments", data={"author": "a", "body": "b"}).text
    for notice in ("published", "deleted", "reported"):
        pages[notice] = reader.get(f"{thread}?notice={notice}").text
    pages["deleted"] = _post(reader, f"{thread}/comments/{own_id.group(1)}/delete", pages["held"])
    report = f"{thread}/comments/{published[0]}/report"
    pages["report"] = reader.get(report).text
    pages["report error"] = _post(reader, report, pages["report"], details="가" * 600)
    pages["report gone"] = reader.get(f"{thread}/comments/999/report").text
    pages["report illegal"] = _post(reader, report, pages["report"], reason="illegal")
    notice = f"{thread}/comments/{published[0]}/notice"
    pages["notice"] = reader.get(notice).text
    pages["notice errors"] = _post(reader, notice, pages["notice"], category="other")
    pages["noticed"] = reader.get(f"{thread}?notice=noticed").text
    pages["terms"] = reader.get(f"{thread}/terms").text
    desk.catalog.set_open(korean, False)
    pages["closed"] = reader.get(thread).text

    leftovers = {name: words for name, html in pages.items() if (words := untranslated(html))}
    assert leftovers == {}
    assert [name for name, html in pages.items() if '<html lang="ko" dir="ltr">' not in html] == []
    assert "댓글은 일반 텍스트로만 작성할 수 있으며" in pages["thread"]  # the promise
    assert "2026년 11월 1일 12:00 UTC" in pages["thread"]


def test_a_missing_article_is_said_in_the_browsers_language(reader: TestClient) -> None:
    page = reader.get("/articles/nowhere", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert page.status_code == 404
    assert untranslated(page.text) == ["nowhere"]  # the key, quoted back
    assert "nowhere 기사를 찾을 수 없습니다" in page.text.replace("&#39;", "")


def test_the_switch_changes_the_language_and_the_cookie_keeps_it(
    reader: TestClient, korean: str
) -> None:
    thread = f"/articles/{korean}"
    page = reader.get(thread)
    assert 'href="/articles/ko1?lang=en"' in page.text
    assert 'lang="en" hreflang="en">English</a>' in page.text
    switched = reader.get(f"{thread}?lang=en")
    assert '<html lang="en"' in switched.text
    assert "Write a comment" in switched.text
    assert "cd_lang=en" in switched.headers["set-cookie"]
    assert '<html lang="en"' in reader.get(thread).text  # the cookie remembers
    assert '<html lang="ko"' in reader.get(f"{thread}?lang=ko").text
    assert "set-cookie" not in reader.get(f"{thread}?lang=xx").headers.get("set-cookie", "")


def test_the_console_follows_the_browser_and_its_switch_is_a_form(
    client: TestClient,
) -> None:
    login = client.get("/console/login", headers={"Accept-Language": "ko"})
    assert '<html lang="ko"' in login.text
    assert "댓글 검토 콘솔" in login.text
    assert "English" in login.text
    english = client.get("/console/login", headers={"Accept-Language": "en"})
    assert "Moderation console" in english.text
    chosen = client.post(
        "/language",
        data={"csrf": csrf_token(english.text), "language": "ko", "back": "/console/login"},
        follow_redirects=False,
    )
    assert (chosen.status_code, chosen.headers["location"]) == (303, "/console/login")
    assert '<html lang="ko"' in client.get("/console/login").text


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_the_switch_goes_back_only_to_this_site(client: TestClient, back: str) -> None:
    page = client.get("/console/login")
    answer = client.post(
        "/language",
        data={"csrf": csrf_token(page.text), "language": "ko", "back": back},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_the_switch_needs_the_forms_token(client: TestClient) -> None:
    answer = client.post("/language", data={"language": "ko"}, follow_redirects=False)
    assert answer.status_code == 403
    assert "cd_lang" not in answer.headers.get("set-cookie", "")


def test_api_errors_are_in_the_language_asked_for(client: TestClient, korean: str) -> None:
    path = f"/api/v1/articles/{korean}/comments"
    body = {"author": "", "body": "글", "accept_terms": True}
    english = client.post(path, json=body).json()["error"]
    said = client.post(path, json=body, headers={"Accept-Language": "ko"}).json()["error"]
    assert english["message"].startswith("Please give a pseudonym")
    assert said == {**english, "message": "닉네임을 입력해 주세요(원하는 이름, 1~64자)."}

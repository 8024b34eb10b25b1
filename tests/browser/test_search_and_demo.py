"""The queue's text search and the demo's small world, as a moderator sees them.

Search is a plain GET form, so it must narrow the queue the same way with script on and
off, in English and in Korean. The demo world must show a newcomer every part of the
product: published threads in both languages, a featured comment, a moderator's edit
with its reason, and a queue with triage reasons, a campaign and a report.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from commentdesk.cli.demo_world import CAMPAIGN, KOREAN_ARTICLE, seed_world
from commentdesk.desk import Draft
from tests.browserkit import (
    DEMO_ARTICLE,
    DEMO_SITE,
    LiveServer,
    Login,
    PageFactory,
    Screenshots,
    assessed,
)

pytestmark = pytest.mark.browser

POSTS = (
    ("Ana", "The bus timetable for the night line is wrong again."),
    ("Ben", "Thanks for covering the library budget."),
    ("민지", "도서관 예산 삭감은 정말 아쉽습니다."),
    ("서준", "버스 시간표가 또 틀렸네요."),
)


def sign_in(page: Page, live: LiveServer, login: Login, path: str) -> None:
    page.goto(live.url(path))
    page.get_by_label("Name").fill(login.name)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize(
    ("query", "found", "hidden"),
    [
        ("timetable", POSTS[0][1], POSTS[1][1]),
        ("시간표", POSTS[3][1], POSTS[2][1]),
    ],
    ids=["english", "korean"],
)
def test_the_search_box_narrows_the_queue_to_the_matching_comments(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
    javascript: bool,
    query: str,
    found: str,
    hidden: str,
) -> None:
    for author, body in POSTS:
        live_server.desk.comments.submit(DEMO_ARTICLE, Draft(author, body, True))
    page = open_page(javascript=javascript)
    sign_in(page, live_server, moderator, "/console?sort=age")
    expect(page.locator("#items")).to_contain_text(hidden)
    page.get_by_label("Text search").fill(query)
    page.get_by_label("Text search").press("Enter")
    expect(page.locator("#items")).to_contain_text(found)
    expect(page.locator("#items")).not_to_contain_text(hidden)
    assert page.get_by_label("Text search").input_value() == query
    screenshot(page, "search")
    page.get_by_role("link", name="Clear").click()
    expect(page.locator("#items")).to_contain_text(hidden)


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_demo_world_shows_every_part_of_the_product(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
    javascript: bool,
) -> None:
    editor = live_server.desk.accounts.get(moderator.name)
    seeded = seed_world(live_server.desk, DEMO_SITE, editor, live_server.base)
    assessed(live_server)
    assert (seeded.published, seeded.pending) == (7, 10)
    page = open_page(javascript=javascript)

    sign_in(page, live_server, moderator, "/console")
    items = page.locator("#items")
    expect(items.locator(".item")).to_have_count(10)
    expect(items).to_contain_text("Telegram @quickcash_jobs_now")
    expect(items).to_contain_text("이 기자 진짜 바보야")
    screenshot(page, "demo-queue")
    page.goto(live_server.url("/console/clusters"))
    expect(page.locator("main")).to_contain_text(CAMPAIGN[:40])
    screenshot(page, "demo-campaigns")

    page.goto(live_server.url(f"/articles/{DEMO_ARTICLE}"))
    thread = page.locator("main")
    expect(thread).to_contain_text("The clearest explanation of the new transit fares")
    expect(thread).to_contain_text("a personal attack on another reader")
    expect(thread).not_to_contain_text(CAMPAIGN)
    screenshot(page, "reader-english")
    page.goto(live_server.url(f"/articles/{KOREAN_ARTICLE}?lang=ko"))
    expect(page.locator("main")).to_contain_text("도서관 운영비를 줄이면")
    expect(page.locator("main")).to_contain_text("동의합니다")
    assert open_page.foreign == []

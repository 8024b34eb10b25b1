"""Mass actions in a real browser, with JavaScript on and off: many bans lifted in one
form, and a bulk reject that says what it would do and asks once before doing it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from commentdesk.desk import Draft
from commentdesk.model import State
from tests.browser.test_console_keys import seed, sign_in, states
from tests.browserkit import DEMO_ARTICLE, LiveServer, Login, PageFactory

pytestmark = pytest.mark.browser
SCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])


def banned(live: LiveServer, moderator: Login, count: int) -> list[int]:
    """``count`` commenters, each with a comment and a week's ban."""
    mina = live.desk.accounts.get(moderator.name)
    ids = []
    for n in range(count):
        draft = Draft(f"Troll {n}", f"Abuse number {n}", True, commenter_key=f"troll-{n}")
        comment_id = live.desk.comments.submit(DEMO_ARTICLE, draft).comment.id
        ban = live.desk.bans.ban(
            mina, comment_id, days=7, by_commenter=True, by_email=False, reason="Abuse"
        )
        ids.append(ban)
    return ids


def running(live: LiveServer) -> list[int]:
    return sorted(b.id for b in live.desk.bans.active(None))


def open_bans(page: Page, live: LiveServer, moderator: Login, javascript: bool) -> None:
    sign_in(page, live, moderator, script=javascript)
    page.goto(live.url("/console/bans"))
    expect(page.locator("table.log")).to_be_visible()


@SCRIPT
def test_every_ban_on_the_page_is_lifted_in_one_form(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, javascript: bool
) -> None:
    banned(live_server, moderator, 3)
    page = open_page(javascript=javascript)
    open_bans(page, live_server, moderator, javascript)
    page.get_by_role("link", name="Select every ban on this page").click()
    expect(page.locator("input[name=ids]:checked")).to_have_count(3)
    page.get_by_label("Why lift them").fill("Appeal accepted")
    page.get_by_role("button", name="Lift the selected bans").click()
    expect(page.locator("#done")).to_have_text("3 bans are lifted.")
    expect(page.locator("p.empty")).to_have_text("No bans are running.")
    assert running(live_server) == []
    assert open_page.errors == []


@SCRIPT
def test_the_ticked_bans_are_lifted_and_the_others_keep_running(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, javascript: bool
) -> None:
    second = banned(live_server, moderator, 3)[1]
    page = open_page(javascript=javascript)
    open_bans(page, live_server, moderator, javascript)
    page.get_by_label("Select the ban of Troll 0").check()
    page.get_by_label("Select the ban of Troll 2").check()
    page.get_by_label("Why lift them").fill("Served enough")
    page.get_by_role("button", name="Lift the selected bans").click()
    expect(page.locator("#done")).to_have_text("2 bans are lifted.")
    expect(page.locator("table.log tbody tr")).to_have_count(1)
    assert running(live_server) == [second]


@SCRIPT
def test_a_bulk_reject_from_the_queue_asks_once_after_saying_what_it_would_do(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, javascript: bool
) -> None:
    ids = seed(live_server, 3)
    title = live_server.desk.catalog.article(DEMO_ARTICLE).title
    page = open_page(javascript=javascript)
    sign_in(page, live_server, moderator, script=javascript)
    page.get_by_role("link", name="Select all on this page").click()
    page.locator("#bulk select[name=action]").select_option("reject")
    page.locator("#bulk input[name=note]").fill("Spam wave")
    page.get_by_role("button", name="Apply to selected").click()
    confirm = page.locator("#confirm")
    expect(confirm.locator("h1")).to_have_text("Reject 3 pending comments?")
    expect(confirm).to_contain_text("Spam wave")
    expect(confirm).to_contain_text("Reader 0, Reader 1, Reader 2")
    expect(confirm).to_contain_text(title)
    expect(confirm).to_contain_text("Comment number 0, plain and fair.")
    assert states(live_server, ids) == [State.PENDING] * 3
    button = page.get_by_role("button", name="Reject 3 comments")
    expect(button).to_be_focused()
    if javascript:
        page.keyboard.press("Enter")
    else:
        button.click()
    expect(page.locator("#done")).to_contain_text("Done for 3 comments")
    assert states(live_server, ids) == [State.REJECTED] * 3


def test_escape_on_a_bulk_reject_confirmation_rejects_nothing(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = seed(live_server, 3)
    page = open_page()
    sign_in(page, live_server, moderator)
    page.keyboard.press("Shift+X")
    page.locator("#bulk select[name=action]").select_option("reject")
    page.locator("#bulk input[name=note]").fill("Spam wave")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.locator("#confirm")).to_be_visible()
    expect(page.locator("body.js")).to_have_count(1)  # the new page's script is running
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/console\?sort=age$"))
    expect(page.locator("#items .item")).to_have_count(3)
    assert states(live_server, ids) == [State.PENDING] * 3


def in_korean(page: Page, live: LiveServer) -> None:
    """The console's language switch, as its cookie: every next page is in Korean."""
    page.context.add_cookies([{"name": "cd_lang", "value": "ko", "url": live.url("/")}])


@SCRIPT
def test_a_bulk_reject_is_confirmed_in_korean(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, javascript: bool
) -> None:
    ids = seed(live_server, 3)
    page = open_page(javascript=javascript)
    sign_in(page, live_server, moderator, script=javascript)
    in_korean(page, live_server)
    page.goto(live_server.url("/console?sort=age&select=all"))
    page.locator("#bulk select[name=action]").select_option("reject")
    page.locator("#bulk input[name=note]").fill("스팸")
    page.locator("#bulk button[type=submit]").click()
    expect(page.locator("#confirm h1")).to_have_text("검토 대기 댓글 3개를 반려할까요?")
    expect(page.locator("#confirm")).to_contain_text("닉네임 3개")
    page.get_by_role("button", name="댓글 3개 반려").click()
    expect(page.locator("#done")).to_contain_text("댓글 3개에 적용했습니다.")
    assert states(live_server, ids) == [State.REJECTED] * 3


@SCRIPT
def test_bans_are_lifted_in_korean(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, javascript: bool
) -> None:
    banned(live_server, moderator, 2)
    page = open_page(javascript=javascript)
    sign_in(page, live_server, moderator, script=javascript)
    in_korean(page, live_server)
    page.goto(live_server.url("/console/bans"))
    page.get_by_role("link", name="이 페이지의 차단 전체 선택").click()
    page.get_by_label("해제 사유").fill("이의 신청 수용")
    page.get_by_role("button", name="선택한 차단 해제").click()
    expect(page.locator("#done")).to_have_text("차단 2건을 해제했습니다.")
    assert running(live_server) == []

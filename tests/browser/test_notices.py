"""A notice of illegal content in a real browser, with JavaScript on and off: a reader
sends it from the report form, a moderator finds it in the notices tab and keeps the
comment, which closes the notice."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from commentdesk.desk import Draft
from commentdesk.model import Action
from commentdesk.notices import Outcome
from tests.browserkit import DEMO_ARTICLE, LiveServer, Login, PageFactory, Screenshots

pytestmark = pytest.mark.browser
TEXT = "Someone should burn down their houses tonight."
WHY = "It calls on readers to set fire to the homes of a named family tonight."


def published(live: LiveServer, login: Login) -> int:
    desk = live.desk
    comment = desk.comments.submit(DEMO_ARTICLE, Draft("Troll", TEXT, True)).comment
    desk.moderation.decide(desk.accounts.get(login.name), comment.id, Action.APPROVE)
    return comment.id


def send_notice(page: Page, live: LiveServer, comment_id: int, shot: Screenshots) -> None:
    page.goto(live.url(f"/articles/{DEMO_ARTICLE}"))
    page.locator(f"#comment-{comment_id}").get_by_role("link", name="Report").click()
    page.get_by_label("It is illegal").check()
    page.get_by_label("Details (optional)").fill(WHY)
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("h1")).to_have_text("Report illegal content")
    expect(page.locator("#cd-explanation")).to_have_value(WHY)
    page.get_by_role("button", name="Send the notice").click()  # no name, no good faith
    expect(page.locator("#cd-good_faith-error")).to_contain_text("good faith")
    expect(page.locator("#cd-explanation")).to_have_value(WHY)
    shot(page, "notice-form-errors")
    page.locator("#cd-category").select_option("threats")
    page.get_by_label("Your name").fill("Jana Novak")
    page.get_by_label("Your email address").fill("jana@example.org")
    page.get_by_label("I believe in good faith").check()
    page.get_by_role("button", name="Send the notice").click()
    expect(page.locator("#notice")).to_contain_text("Your notice of illegal content is received.")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_notice_is_sent_found_in_the_console_and_decided(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
    javascript: bool,
) -> None:
    comment_id = published(live_server, moderator)
    reader = open_page(javascript=javascript)
    send_notice(reader, live_server, comment_id, screenshot)

    page = open_page(javascript=javascript)
    page.goto(live_server.url("/console?tab=notices"))
    page.get_by_label("Name").fill(moderator.name)
    page.get_by_label("Password").fill(moderator.password)
    page.get_by_role("button", name="Sign in").click()
    item = page.locator(f"#c{comment_id}")
    expect(item.locator(".notice-mark")).to_have_text("Illegal content notice")
    expect(item.locator(".notices")).to_contain_text(WHY)
    expect(item.locator(".notices")).to_contain_text("Threats, harassment or stalking")
    screenshot(page, f"notice-{'script' if javascript else 'no-script'}")
    item.get_by_role("button", name="Keep, close reports and notices").click()
    expect(page.locator(f"#c{comment_id} .notices")).to_have_count(0)
    moderator_row = live_server.desk.accounts.get(moderator.name)
    (notice,) = live_server.desk.notices.listed(moderator_row, open_only=False)
    assert notice.outcome is Outcome.NOT_ACTED
    assert open_page.foreign == []

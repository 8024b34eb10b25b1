"""The reader's page in a real browser, with JavaScript off (Tor Browser at "safest")."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from commentdesk.desk import Draft
from commentdesk.model import Action, Comment, State
from tests.browserkit import DEMO_ARTICLE, LiveServer, Login, PageFactory, Screenshots

pytestmark = pytest.mark.browser


def seed(live: LiveServer, login: Login) -> dict[str, Comment]:
    """A small, realistic thread: a link, Hangul, a reply, a featured and an edited comment."""
    desk = live.desk
    moderator = desk.accounts.get(login.name)

    def publish(author: str, body: str, parent: Comment | None = None) -> Comment:
        draft = Draft(author, body, True, parent_id=parent.id if parent else None)
        comment = desk.comments.submit(DEMO_ARTICLE, draft).comment
        return desk.moderation.decide(moderator, comment.id, Action.APPROVE)

    jun = publish(
        "Jun",
        "Thanks for explaining the budget so clearly. Where can I read the full report?\n"
        "I found https://example.org/budget-2026 but it seems to be last year's.",
    )
    mina = publish("Mina", "It is linked at the bottom of the article.", jun)
    seoyeon = publish(
        "서연",
        "좋은 기사 감사합니다. 지방 예산 문제를 이렇게 자세히 다룬 기사는 처음 봅니다. "
        "다음 편도 기대할게요!",
    )
    desk.moderation.decide(moderator, seoyeon.id, Action.FEATURE)
    alex = publish("Alex", "My neighbour at 12 Elm Street says the figures are wrong.")
    desk.moderation.decide(
        moderator,
        alex.id,
        Action.EDIT,
        reason="personal information removed",
        body="My neighbour says the figures are wrong.",
    )
    return {"jun": jun, "mina": mina, "seoyeon": seoyeon, "alex": alex}


def fill_form(page: Page, author: str, body: str) -> None:
    page.get_by_label("Pseudonym").fill(author)
    page.get_by_label("Comment", exact=True).fill(body)
    page.get_by_label("I accept the terms of use").check()


def test_reader_posts_a_comment_and_a_reply_with_javascript_off(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    jun = seed(live_server, moderator)["jun"]
    page = open_page(javascript=False)
    page.goto(live_server.url(f"/articles/{DEMO_ARTICLE}"))
    screenshot(page, "thread")

    fill_form(page, "Mina", "A calm first comment.\nWith a second line.")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#notice")).to_contain_text("Your comment is held for review.")
    expect(page.locator(".cd-own .cd-body")).to_have_text(
        "A calm first comment.\nWith a second line."
    )

    page.get_by_role("link", name="Reply to Jun").click()
    expect(page.locator("#cd-compose-title")).to_have_text("Reply to Jun")
    fill_form(page, "Mina", "The report is linked at the bottom.")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#notice")).to_contain_text("held for review")
    expect(page.locator(".cd-own .cd-comment")).to_have_count(2)
    screenshot(page, "posted")

    pending = live_server.desk.moderation.queue(sort="age").items
    assert [(i.comment.body, i.comment.parent_id) for i in pending] == [
        ("A calm first comment.\nWith a second line.", None),
        ("The report is linked at the bottom.", jun.id),
    ]
    assert open_page.foreign == []

    dark = open_page(javascript=False, dark=True)
    dark.goto(live_server.url(f"/articles/{DEMO_ARTICLE}?reply_to={jun.id}"))
    expect(dark.locator("#cd-compose-title")).to_have_text("Reply to Jun")
    screenshot(dark, "dark")


def test_reader_edits_and_deletes_their_pending_comment_with_javascript_off(
    live_server: LiveServer, open_page: PageFactory, screenshot: Screenshots
) -> None:
    page = open_page(javascript=False)
    page.goto(live_server.url(f"/articles/{DEMO_ARTICLE}"))
    fill_form(page, "Mina", "Teh budget is late.")
    page.get_by_role("button", name="Send for review").click()
    own = page.locator(".cd-own .cd-comment")
    expect(own).to_contain_text("Awaiting review")

    own.locator("summary", has_text="Edit").click()
    own.get_by_label("Your comment").fill("The budget is late.")
    screenshot(page, "editing")
    own.get_by_role("button", name="Save changes").click()
    expect(page.locator("#notice")).to_contain_text("Your changes are saved.")
    expect(own.locator(".cd-body")).to_have_text("The budget is late.")
    (item,) = live_server.desk.moderation.queue().items
    assert item.comment.body == "The budget is late."

    own.locator("summary", has_text="Delete").click()
    own.get_by_role("button", name="Delete it").click()
    expect(page.locator("#notice")).to_contain_text("Your comment is deleted.")
    expect(page.locator(".cd-own")).to_have_count(0)
    screenshot(page, "deleted")
    deleted = live_server.desk.moderation.queue(state=State.DELETED).items
    assert [i.comment.id for i in deleted] == [item.comment.id]


def test_form_error_keeps_the_typed_text_with_javascript_off(
    live_server: LiveServer, open_page: PageFactory, screenshot: Screenshots
) -> None:
    page = open_page(javascript=False)
    page.goto(live_server.url(f"/articles/{DEMO_ARTICLE}"))
    text = "A long, careful comment\nthat must not be lost."
    fill_form(page, "Mina 🌸", text)
    page.get_by_label("Email (optional)").fill("mina@example.org")
    page.get_by_role("button", name="Send for review").click()

    error = page.locator("#cd-author-error")
    expect(error).to_contain_text("please remove CHERRY BLOSSOM")
    expect(page.get_by_label("Pseudonym")).to_have_value("Mina 🌸")
    expect(page.get_by_label("Pseudonym")).to_be_focused()
    expect(page.get_by_label("Comment", exact=True)).to_have_value(text)
    expect(page.get_by_label("Email (optional)")).to_have_value("mina@example.org")
    expect(page.get_by_label("I accept the terms of use")).to_be_checked()
    screenshot(page, "error")

    page.get_by_label("Pseudonym").fill("Mina")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#notice")).to_contain_text("held for review")

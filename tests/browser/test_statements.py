"""A statement of reasons, seen and contested by the author, and reversed by a second
moderator, with script on and off; and the statement in Korean.

The author posts on the thread page; a moderator rejects the comment; the author, back
on the page in the same browser, reads why under their own comment and contests it with
the plain form; another moderator reverses it from the console's Contested tab; the
author's statement then says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from commentdesk.model import Action, Role
from tests.browserkit import DEMO_ARTICLE, LiveServer, Login, PageFactory, assessed
from tests.support import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")  # looked at by a person, never committed


def post(page: Page, live: LiveServer, body: str) -> int:
    page.goto(live.url(f"/articles/{DEMO_ARTICLE}"))
    page.get_by_label("Pseudonym").fill("Mina")
    page.get_by_label("Comment", exact=True).fill(body)
    page.get_by_label("I accept the terms of use").check()
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".cd-own")).to_contain_text(body)
    own_id = page.locator(".cd-own article").last.get_attribute("id") or ""
    return int(own_id.removeprefix("own-"))


def sign_in(page: Page, live: LiveServer, name: str, path: str) -> None:
    page.goto(live.url(path))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_author_contests_a_rejection_and_a_second_moderator_reverses_it(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, javascript: bool
) -> None:
    desk = live_server.desk
    reader = open_page(javascript=javascript)
    comment_id = post(reader, live_server, "The vote was on the agenda all week.")
    assessed(live_server)
    first = desk.accounts.get(moderator.name)
    desk.decisions.decide(first, comment_id, Action.REJECT, choice="off-topic")
    desk.accounts.add_moderator("second", PASSWORD, Role.MODERATOR)

    reader.reload()
    own = reader.locator(f"#own-{comment_id}")
    expect(own.locator(".cd-badge")).to_have_text("Not published")
    expect(own.locator(".cd-facts")).to_contain_text("Off-topic")
    expect(own.locator(".cd-facts")).to_contain_text("The site's terms of use.")
    SHOTS.mkdir(exist_ok=True)
    own.screenshot(path=str(SHOTS / f"statement-own-{'js' if javascript else 'nojs'}.png"))
    own.get_by_label("Why should the decision be looked at again?").fill(
        "It is about the vote in this article."
    )
    own.get_by_role("button", name="Contest this decision").click()
    expect(reader.locator("#notice")).to_contain_text("Your contest is with a second moderator")
    expect(reader.locator(".cd-outcome")).to_have_text("It is waiting for a second moderator.")

    console = open_page(javascript=javascript)
    sign_in(console, live_server, "second", "/console/contests")
    item = console.locator(".contest").first
    expect(item).to_contain_text("It is about the vote in this article.")
    item.locator("form", has=console.get_by_role("button", name="Reverse")).get_by_label(
        "Note for the author (kept in the log)"
    ).fill("It is on topic after all.")
    item.get_by_role("button", name="Reverse").click()
    expect(console.locator("#done")).to_contain_text("The decision is reversed")
    assert desk.moderation.history(comment_id)[-1].action is Action.APPROVE

    reader.reload()
    expect(reader.locator(".cd-outcome")).to_have_text(
        "A second moderator reviewed it and reversed the decision."
    )
    expect(reader.locator(".cd-contest")).to_contain_text("It is on topic after all.")


def test_the_statement_page_reads_in_korean(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    desk = live_server.desk
    reader = open_page(javascript=False)
    comment_id = post(reader, live_server, "주제와 관련 없는 이야기일지도 몰라요.")
    assessed(live_server)
    desk.decisions.decide(desk.accounts.get(moderator.name), comment_id, Action.REJECT,
                          choice="off-topic")  # fmt: skip
    reader.goto(live_server.url(f"/statements/{desk.statements.token(comment_id)}?lang=ko"))
    expect(reader.locator("h2")).to_have_text("판단 사유 설명")
    expect(reader.locator(".cd-facts")).to_contain_text("주제와 무관")
    expect(reader.locator(".cd-facts")).to_contain_text("이 판단은 사람이 내렸습니다.")
    expect(reader.get_by_role("button", name="이 판단에 이의 제기")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    reader.screenshot(path=str(SHOTS / "statement-page-ko.png"), full_page=True)

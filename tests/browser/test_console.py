"""The moderation console in a real browser: keys with script, plain forms without.

Each test signs in through the form, approves one comment, rejects one with a reason
and edits one, then reads the public page to see each result as a reader would.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from commentdesk.desk import Draft
from commentdesk.model import Action
from tests.browserkit import (
    DEMO_ARTICLE,
    LiveServer,
    Login,
    PageFactory,
    Screenshots,
    last_decision,
)

pytestmark = pytest.mark.browser
TEXTS = ("Worth publishing as it is.", "Buy cheap watches now!!!", "My phone is 555-0100, call me.")
EDITED = "My phone is [removed], call me."


def seed(live: LiveServer) -> list[int]:
    """Three pending comments, oldest first: to approve, to reject, to edit."""
    return [
        live.desk.comments.submit(DEMO_ARTICLE, Draft(f"Reader {n}", text, True)).comment.id
        for n, text in enumerate(TEXTS)
    ]


def sign_in(page: Page, live: LiveServer, login: Login) -> None:
    page.goto(live.url("/console?sort=age"))
    page.get_by_label("Name").fill(login.name)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#items")).to_be_visible()


def public_text(page: Page, live: LiveServer) -> str:
    page.goto(live.url(f"/articles/{DEMO_ARTICLE}"))
    return page.locator("main").inner_text()


def check_results(live: LiveServer, page: Page, ids: list[int]) -> None:
    shown = public_text(page, live)
    assert TEXTS[0] in shown
    assert TEXTS[1] not in shown
    assert EDITED not in shown  # the edited comment is still pending: not public yet
    rejected = last_decision(live, ids[1])
    assert (rejected.action, rejected.reason) == (Action.REJECT, "Off-topic")
    edit = last_decision(live, ids[2])
    assert (edit.action, edit.before_text, edit.after_text) == (Action.EDIT, TEXTS[2], EDITED)


def test_a_moderator_approves_rejects_and_edits_with_the_keyboard(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    ids = seed(live_server)
    page = open_page()
    sign_in(page, live_server, moderator)
    first, second = page.locator(f"#c{ids[0]}"), page.locator(f"#c{ids[1]}")
    expect(first).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("a")
    expect(first).to_be_hidden()
    expect(page.locator("form.undo")).to_be_visible()
    expect(second).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("r")
    expect(second.locator("form.reject select")).to_be_focused()
    screenshot(page, "reject-open")
    page.keyboard.press("1")
    expect(second).to_be_hidden()
    page.keyboard.press("e")
    expect(page.locator("#edit-body")).to_be_focused()
    page.locator("#edit-body").fill(EDITED)
    page.locator("#edit-choice").select_option("Private information")
    page.get_by_role("button", name="Save the edit").click()
    expect(page.locator("#done")).to_contain_text("Saved the edit")
    expect(page.locator(".item.current")).to_have_count(1)  # the script is running
    page.keyboard.press("?")
    expect(page.locator(".help-overlay")).to_contain_text("next / previous comment")
    screenshot(page, "queue-after")
    check_results(live_server, page, ids)
    assert open_page.foreign == []
    assert open_page.errors == []  # a CSP violation would be logged here


def test_every_decision_works_with_javascript_off(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    ids = seed(live_server)
    page = open_page(javascript=False)
    sign_in(page, live_server, moderator)
    page.locator(f"#c{ids[0]}").get_by_role("button", name="Approve").click()
    expect(page.locator("#done")).to_contain_text(f"Approved #{ids[0]}")
    second = page.locator(f"#c{ids[1]}")
    second.locator("select[name=choice]").select_option("off-topic")  # by its code
    second.get_by_role("button", name="Reject").click()
    expect(page.locator("#done")).to_contain_text(f"Rejected #{ids[1]}")
    page.locator(f"#c{ids[2]}").get_by_role("link", name="Edit").click()
    page.locator("#edit-body").fill(EDITED)
    page.locator("#edit-choice").select_option("Private information")
    page.get_by_role("button", name="Save the edit").click()
    expect(page.locator("#done")).to_contain_text("Saved the edit")
    screenshot(page, "queue-no-script")
    check_results(live_server, page, ids)
    assert open_page.foreign == []


def test_undo_with_u_brings_the_comment_back(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = seed(live_server)
    page = open_page()
    sign_in(page, live_server, moderator)
    expect(page.locator(f"#c{ids[0]}")).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("a")
    expect(page.locator(f"#c{ids[0]}")).to_be_hidden()
    page.keyboard.press("u")
    expect(page.locator(f"#c{ids[0]}")).to_be_visible()
    assert TEXTS[0] not in public_text(page, live_server)

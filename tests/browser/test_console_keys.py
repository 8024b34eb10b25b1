"""The console's keys in a real browser: by their place on the keyboard, as fast as typed.

A Korean input method turns the `a` key into "ㅁ", so each test that matters for it sends
the key event such a method sends (``key`` the jamo, ``code`` the physical key).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from commentdesk.desk import Draft
from commentdesk.model import Action, Comment, State
from commentdesk.store.records import get_comment
from tests.browserkit import DEMO_ARTICLE, LiveServer, Login, PageFactory

pytestmark = pytest.mark.browser
CURRENT = re.compile(r"\bcurrent\b")


def seed(live: LiveServer, count: int = 3) -> list[int]:
    """``count`` pending comments, oldest first."""
    return [
        live.desk.comments.submit(
            DEMO_ARTICLE, Draft(f"Reader {n}", f"Comment number {n}, plain and fair.", True)
        ).comment.id
        for n in range(count)
    ]


def sign_in(
    page: Page,
    live: LiveServer,
    login: Login,
    path: str = "/console?sort=age",
    *,
    script: bool = True,
) -> None:
    page.goto(live.url(path))
    page.get_by_label("Name").fill(login.name)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#items")).to_be_visible()
    if script:
        expect(page.locator(".item.current")).to_have_count(1)  # the keys are listened to


def korean_key(page: Page, key: str, code: str) -> None:
    """What a Korean input method sends for a letter key: the jamo, at the key's place."""
    page.evaluate(
        """([key, code]) => (document.activeElement || document.body).dispatchEvent(
            new KeyboardEvent("keydown", {key, code, bubbles: true, cancelable: true}))""",
        [key, code],
    )


def comment(live: LiveServer, comment_id: int) -> Comment:
    with live.desk.context.store.read() as connection:
        found = get_comment(connection, comment_id)
    assert found is not None
    return found


def states(live: LiveServer, ids: list[int]) -> list[State]:
    return [comment(live, i).state for i in ids]


def test_keys_act_by_their_place_under_a_korean_input_method(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = seed(live_server, 2)
    page = open_page()
    sign_in(page, live_server, moderator)
    expect(page.locator(f"#c{ids[0]}")).to_have_class(CURRENT)
    korean_key(page, "ㅁ", "KeyA")  # a: approve
    expect(page.locator(f"#c{ids[0]}")).to_be_hidden()
    korean_key(page, "ㄱ", "KeyR")  # r: reject, then 1 picks the first reason
    select = page.locator(f"#c{ids[1]} form.reject select")
    expect(select).to_be_focused()
    page.keyboard.press("1")
    expect(page.locator(f"#c{ids[1]}")).to_be_hidden()
    assert states(live_server, ids) == [State.APPROVED, State.REJECTED]
    assert live_server.desk.moderation.history(ids[1])[-1].reason == "Off-topic"
    assert open_page.errors == []


def test_three_quick_presses_of_a_approve_three_comments(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = seed(live_server, 4)
    page = open_page()
    sign_in(page, live_server, moderator)
    for _ in range(3):
        page.keyboard.press("a")  # no wait for the fading comment
    for comment_id in ids[:3]:
        expect(page.locator(f"#c{comment_id}")).to_be_hidden()
    expect(page.locator(f"#c{ids[3]}")).to_have_class(CURRENT)
    assert states(live_server, ids) == [State.APPROVED] * 3 + [State.PENDING]


def test_r_then_enter_files_no_reason_nobody_chose(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    [comment_id] = seed(live_server, 1)
    page = open_page()
    sign_in(page, live_server, moderator)
    page.keyboard.press("r")
    page.keyboard.press("Enter")
    note = page.locator(f"#c{comment_id} form.reject input[name=note]")
    expect(note).to_be_focused()  # the other way to give a reason
    note.fill("Repeats the same link")
    page.keyboard.press("Enter")
    expect(page.locator(f"#c{comment_id}")).to_be_hidden()
    history = live_server.desk.moderation.history(comment_id)
    [event] = [e for e in history if e.action is Action.REJECT]
    assert event.reason == "Repeats the same link"


def test_f_features_and_then_unfeatures(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    [comment_id] = seed(live_server, 1)
    account = live_server.desk.accounts.get(moderator.name)
    live_server.desk.moderation.decide(account, comment_id, Action.APPROVE)
    page = open_page()
    sign_in(page, live_server, moderator, "/console?tab=approved")
    button = page.locator(f"#c{comment_id} form.feature button")
    expect(button).to_contain_text("Feature")
    page.keyboard.press("f")
    expect(button).to_contain_text("Unfeature")
    assert comment(live_server, comment_id).featured
    page.keyboard.press("f")
    expect(button).not_to_contain_text("Unfeature")
    assert not comment(live_server, comment_id).featured


def test_g_then_c_opens_the_campaigns(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    seed(live_server, 1)
    page = open_page()
    sign_in(page, live_server, moderator)
    korean_key(page, "ㅎ", "KeyG")
    korean_key(page, "ㅊ", "KeyC")
    expect(page).to_have_url(re.compile(r"/console/clusters$"))


def test_shift_x_selects_the_page_and_again_none(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    seed(live_server, 3)
    page = open_page()
    sign_in(page, live_server, moderator)
    boxes = page.locator("#items input[name=ids]")
    page.keyboard.press("Shift+X")
    expect(page.locator("#items input[name=ids]:checked")).to_have_count(3)
    expect(page.locator("#items .item.selected")).to_have_count(3)
    page.keyboard.press("Shift+X")
    expect(page.locator("#items input[name=ids]:checked")).to_have_count(0)
    assert boxes.count() == 3


def test_select_all_on_the_page_works_without_javascript(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = seed(live_server, 3)
    page = open_page(javascript=False)
    sign_in(page, live_server, moderator, script=False)
    page.get_by_role("link", name="Select all on this page").click()
    expect(page.locator("#items input[name=ids]:checked")).to_have_count(3)
    page.locator("#bulk select[name=action]").select_option("approve")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.locator("#done")).to_contain_text("Done for 3 comments")
    assert states(live_server, ids) == [State.APPROVED] * 3

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
from tests.browserkit import (
    DEMO_ARTICLE,
    DEMO_SITE,
    LiveServer,
    Login,
    PageFactory,
    assessed,
    last_decision,
)

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
    expect(page.locator("#items, ol.campaigns")).to_be_visible()
    if script:
        expect(page.locator("li.current")).to_have_count(1)  # the keys are listened to


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
    assert last_decision(live_server, ids[1]).reason == "Off-topic"
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


CAMPAIGN = (
    "The election was stolen by foreign agents and the newspaper is hiding the truth "
    "from you. Share this before they delete it! Number {n}"
)


def flood(live: LiveServer, copies: int = 60, articles: int = 3) -> list[int]:
    """``copies`` near-duplicates from as many pseudonyms over ``articles`` articles,
    assessed (clustered) as the worker would after each 202."""
    keys = [DEMO_ARTICLE]
    for n in range(1, articles):
        key = f"story-{n}"
        live.desk.catalog.add_article(DEMO_SITE, key, url=live.url(f"/{key}"), title=f"Story {n}")
        keys.append(key)
    ids = []
    for n in range(copies):
        draft = Draft(
            author=f"Patriot{n}",
            body=CAMPAIGN.format(n=n),
            accept_terms=True,
            commenter_key=f"key-{n:02d}-abcdefghijkl",
        )
        ids.append(live.desk.comments.submit(keys[n % articles], draft).comment.id)
    assessed(live)
    return ids


class Keys:
    """Presses keys and counts them, as the moderator's hands would."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.count += 1


def test_a_sixty_copy_campaign_goes_in_at_most_ten_keys_after_one_confirmation(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = flood(live_server)
    page = open_page()
    sign_in(page, live_server, moderator)
    keys = Keys(page)
    keys.press("g", "c")
    expect(page.locator(f"#cluster{ids[0]}")).to_have_class(CURRENT)
    keys.press("r")
    keys.press("4")  # the fourth reason: "Spam or advertising"
    expect(page.locator("#confirm h1")).to_have_text("Reject 60 pending comments?")
    expect(page.locator("#confirm")).to_contain_text("Spam or advertising")
    expect(page.locator("#confirm")).to_contain_text("60 pseudonyms")
    expect(page.locator("#confirm")).to_contain_text("3 articles")
    expect(page.get_by_role("button", name="Reject 60 comments")).to_be_focused()
    keys.press("Enter")
    expect(page.locator("#done")).to_contain_text("Rejected 60 comments")
    assert keys.count <= 10, keys.count
    assert set(states(live_server, ids)) == {State.REJECTED}
    print(f"a 60-copy campaign removed in {keys.count} keys")


def test_escape_on_the_confirmation_rejects_nothing(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = flood(live_server, copies=4, articles=2)
    page = open_page()
    sign_in(page, live_server, moderator, "/console/clusters")
    page.keyboard.press("r")
    page.keyboard.press("1")
    expect(page.locator("#confirm")).to_be_visible()
    expect(page.locator("body.js")).to_have_count(1)  # the new page's script is running
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/console/clusters$"))
    assert set(states(live_server, ids)) == {State.PENDING}


def test_a_campaign_reject_is_confirmed_in_a_plain_form_without_javascript(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = flood(live_server, copies=4, articles=2)
    page = open_page(javascript=False)
    sign_in(page, live_server, moderator, "/console/clusters", script=False)
    campaign = page.locator(f"#cluster{ids[0]}")
    campaign.locator("select[name=choice]").select_option("Spam or advertising")
    campaign.get_by_role("button", name="Reject all 4 pending").click()
    expect(page.locator("#confirm")).to_contain_text("Patriot0, Patriot1, Patriot2, Patriot3")
    assert set(states(live_server, ids)) == {State.PENDING}
    page.get_by_role("button", name="Reject 4 comments").click()
    expect(page.locator("#done")).to_contain_text("Rejected 4 comments")
    assert set(states(live_server, ids)) == {State.REJECTED}


def test_a_hundred_comments_are_cleared_in_at_most_a_hundred_and_ten_keys(
    live_server: LiveServer, moderator: Login, open_page: PageFactory
) -> None:
    ids = seed(live_server, 100)
    page = open_page()
    sign_in(page, live_server, moderator)
    keys = Keys(page)
    rejected = set(ids[9::10])  # one in ten, with the first reason
    for number, comment_id in enumerate(ids):
        if number == 50:  # the first page is done: the next one loads by itself
            expect(page.locator(f"#c{comment_id}")).to_have_class(CURRENT)
            expect(page.locator("body.js")).to_have_count(1)
        if comment_id in rejected:
            keys.press("r", "1")
        else:
            keys.press("a")
    expect(page.locator("p.empty")).to_be_visible()  # "The queue is clear."
    assert keys.count <= 110, keys.count
    wanted = [State.REJECTED if i in rejected else State.APPROVED for i in ids]
    assert states(live_server, ids) == wanted
    print(f"100 comments cleared in {keys.count} keys")

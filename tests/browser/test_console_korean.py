"""The console's trust-keeping flows in Korean as well as English, with script and without:
a rejection reversed, a bulk action of three undone whole, and a reply shown with the
comment it answers. Elements are found by their place in the page, never by their words,
which are the page's language; what the page says is checked in that language.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from commentdesk.desk import Draft
from commentdesk.model import Action, State
from tests.browser.test_console_forms import LANGUAGES, open_console, states
from tests.browserkit import DEMO_ARTICLE, LiveServer, Login, PageFactory, last_decision

pytestmark = pytest.mark.browser
#: What the console says, per language: a bulk approval of three, and a reply's parent.
SAID = {
    "en-US": ("3 comments approved", "In reply to Mina"),
    "ko-KR": ("댓글 3개", "Mina 님의 댓글에 대한 답글"),
}


def seed(live: LiveServer, count: int) -> list[int]:
    return [
        live.desk.comments.submit(
            DEMO_ARTICLE, Draft(f"독자 {n}", f"{n}번째 댓글입니다. Comment {n}.", True)
        ).comment.id
        for n in range(count)
    ]


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_rejection_is_reversed_with_a_reason_in_either_language(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, locale: str, script: bool
) -> None:
    [comment_id] = seed(live_server, 1)
    account = live_server.desk.accounts.get(moderator.name)
    live_server.desk.moderation.decide(account, comment_id, Action.REJECT, reason="Off-topic")
    page = open_console(open_page, live_server, moderator, locale, script, "/console?tab=rejected")
    form = page.locator(f"#c{comment_id} form.reverse")
    form.locator("input[name=note]").fill("기사와 관련이 있습니다 / on topic after all")
    form.locator("button[type=submit]").click()
    if script:
        expect(page.locator(f"#c{comment_id}")).to_be_hidden()
    else:
        expect(page.locator("#done")).to_be_visible()
    last = last_decision(live_server, comment_id)
    assert (last.action, last.from_state, last.to_state) == (
        Action.APPROVE,
        State.REJECTED,
        State.APPROVED,
    )
    assert last.reason == "기사와 관련이 있습니다 / on topic after all"


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_undo_of_a_bulk_approval_of_three_brings_all_three_back_in_either_language(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, locale: str, script: bool
) -> None:
    ids = seed(live_server, 3)
    page = open_console(open_page, live_server, moderator, locale, script, "/console?sort=age")
    page.locator("#bulk a.select-all").click()
    page.locator("#bulk select[name=action]").select_option("approve")
    page.locator("#bulk button[type=submit]").click()
    # The page answered for the bulk action, not an undo form already on the old page.
    page.wait_for_url("**done=bulk**")
    expect(page.locator("form.undo")).to_contain_text(SAID[locale][0])
    assert states(live_server, ids) == [State.APPROVED] * 3
    page.locator("form.undo button[type=submit]").click()
    for comment_id in ids:
        expect(page.locator(f"#c{comment_id}")).to_be_visible()
    assert states(live_server, ids) == [State.PENDING] * 3


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_reply_is_shown_with_its_parent_in_either_language(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, locale: str, script: bool
) -> None:
    desk = live_server.desk
    parent = desk.comments.submit(
        DEMO_ARTICLE, Draft("Mina", "시의회는 <i>예산</i>을 공개해야 합니다.", True)
    ).comment.id
    desk.moderation.decide(desk.accounts.get(moderator.name), parent, Action.APPROVE)
    reply = desk.comments.submit(
        DEMO_ARTICLE, Draft("Joon", "동의합니다.", True, parent_id=parent)
    ).comment.id
    page = open_console(open_page, live_server, moderator, locale, script, "/console?sort=age")
    quoted = page.locator(f"#c{reply} blockquote.parent")
    expect(quoted).to_contain_text(SAID[locale][1])
    expect(quoted).to_contain_text("시의회는 <i>예산</i>을 공개해야 합니다.")  # as text
    expect(quoted.locator("i")).to_have_count(0)

"""A refused console form keeps the moderator's work, in a real browser: an edit saved
without a reason and a bulk reject without one come back with the text typed and the
comments selected, the problem next to its field, in English and in Korean, with
script and without; sent again with a reason, each is done."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from commentdesk.desk import Draft
from commentdesk.model import Action, State
from commentdesk.store.records import get_comment
from tests.browserkit import DEMO_ARTICLE, LiveServer, Login, PageFactory, last_decision

pytestmark = pytest.mark.browser
#: The browser's language, and what the console says in it when a reason is missing.
LANGUAGES = {
    "en-US": ("en", "Please give a reason", "2 comments stay selected."),
    "ko-KR": ("ko", "사유를 입력해 주세요", "선택한 댓글 2개는 그대로 선택되어 있습니다."),
}
REWRITTEN = "A carefully rewritten text, [phone number removed]."


def seed(live: LiveServer, count: int) -> list[int]:
    return [
        live.desk.comments.submit(
            DEMO_ARTICLE, Draft(f"Reader {n}", f"Comment number {n}, call 555-0100.", True)
        ).comment.id
        for n in range(count)
    ]


def sign_in(page: Page, live: LiveServer, login: Login, path: str) -> None:
    """Through the form, by its fields' ids: the labels are in the page's language."""
    page.goto(live.url(path))
    page.locator("#name").fill(login.name)
    page.locator("#password").fill(login.password)
    page.locator("form[action='/console/login'] button[type=submit]").click()


def open_console(
    open_page: PageFactory, live: LiveServer, login: Login, locale: str, script: bool, path: str
) -> Page:
    page = open_page(javascript=script, locale=locale)
    sign_in(page, live, login, path)
    expect(page.locator("html")).to_have_attribute("lang", LANGUAGES[locale][0])
    return page


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_an_edit_saved_without_a_reason_comes_back_with_the_new_text(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, locale: str, script: bool
) -> None:
    [comment_id] = seed(live_server, 1)
    path = f"/console/comments/{comment_id}"
    page = open_console(open_page, live_server, moderator, locale, script, path)
    page.locator("#edit-body").fill(REWRITTEN)
    page.locator("#edit button[type=submit]").click()

    body, note = page.locator("#resend-body"), page.locator("#resend-note")
    expect(body).to_have_value(REWRITTEN)
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(note).to_be_focused()
    expect(page.locator("#resend-problem")).to_contain_text(LANGUAGES[locale][1])
    assert get_comment_body(live_server, comment_id) == "Comment number 0, call 555-0100."

    note.fill("Rule 3: no phone numbers")
    page.locator("form.resend button[type=submit]").click()
    expect(page.locator("#done")).to_be_visible()
    edit = last_decision(live_server, comment_id)
    assert (edit.action, edit.after_text, edit.reason) == (
        Action.EDIT,
        REWRITTEN,
        "Rule 3: no phone numbers",
    )
    assert script_errors(open_page) == []


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_bulk_reject_without_a_reason_keeps_the_selection(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, locale: str, script: bool
) -> None:
    ids = seed(live_server, 3)
    page = open_console(open_page, live_server, moderator, locale, script, "/console?sort=age")
    for chosen in ids[:2]:
        page.locator(f"#c{chosen} input[name=ids]").check()
    page.locator("#bulk select[name=action]").select_option("reject")
    page.locator("#bulk button[type=submit]").click()

    note = page.locator("#resend-note")
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#resend-problem")).to_contain_text(LANGUAGES[locale][1])
    expect(page.locator("form.resend")).to_contain_text(LANGUAGES[locale][2])
    kept = page.locator("form.resend input[type=hidden][name=ids]")
    assert sorted(int(v) for v in kept.evaluate_all("els => els.map(e => e.value)")) == ids[:2]
    assert states(live_server, ids) == [State.PENDING] * 3

    note.fill("Spam")
    page.locator("form.resend button[type=submit]").click()
    confirm = page.locator("form.confirm-form")  # a reject of two asks once, as any mass one
    expect(confirm).to_be_visible()
    expect(page.locator("main")).to_contain_text("Spam")
    assert states(live_server, ids) == [State.PENDING] * 3
    confirm.locator("button[type=submit]").click()
    expect(page.locator("#done")).to_be_visible()
    assert states(live_server, ids) == [State.REJECTED, State.REJECTED, State.PENDING]
    assert script_errors(open_page) == []


def script_errors(pages: PageFactory) -> list[str]:
    """What the console logged, but the refusal itself: Chromium logs every 4xx answer."""
    return [error for error in pages.errors if "status of 422" not in error]


def get_comment_body(live: LiveServer, comment_id: int) -> str:
    with live.desk.context.store.read() as connection:
        comment = get_comment(connection, comment_id)
    assert comment is not None
    return comment.body


def states(live: LiveServer, ids: list[int]) -> list[State]:
    found = []
    with live.desk.context.store.read() as connection:
        for comment_id in ids:
            comment = get_comment(connection, comment_id)
            assert comment is not None
            found.append(comment.state)
    return found

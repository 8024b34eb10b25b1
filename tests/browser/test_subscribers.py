"""A publisher's signed-in subscriber comments from its page: with script (embed.js reads
the token from the container) and without (the host page's plain form hands the token to
our page, whose form then posts as the subscriber)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from commentdesk.model import Action, Role
from tests.browserkit import DEMO_ARTICLE, HostSite, LiveServer, Login, PageFactory
from tests.subscribers.tokens import SECRET, token

pytestmark = pytest.mark.browser


def vouching(live: LiveServer, login: Login) -> str:
    """The demo site pins HS256 with ``SECRET``; a fresh token for Subscriber Kim."""
    desk = live.desk
    site_id = next(site.id for site in desk.catalog.sites() if site.slug == "demo")
    chief = desk.accounts.add_moderator("chief", login.password, Role.ADMIN)
    desk.subscribers.save(chief, site_id, algorithm="HS256", key=SECRET)
    return token("demo", at=datetime.now(UTC))


def host_page(live: LiveServer, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A story for subscribers</title></head>
<body><main><h1>A story for subscribers</h1>{body}</main></body></html>
"""


def test_embed_js_posts_as_the_subscriber_the_page_vouches_for(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    open_page: PageFactory,
) -> None:
    fresh = vouching(live_server, moderator)
    host_site.pages["/"] = host_page(
        live_server,
        f'<div data-commentdesk-article="{DEMO_ARTICLE}" '
        f'data-commentdesk-subscriber-token="{fresh}"></div>'
        f'<script src="{live_server.url("/embed.js")}" defer></script>',
    )
    page = open_page(javascript=True)
    page.goto(host_site.url("/"))
    embed = page.locator("[data-commentdesk-article]")
    expect(embed.locator(".cd-subscriber-as")).to_contain_text("You comment as Subscriber Kim")
    expect(embed.get_by_label("Pseudonym")).to_have_count(0)
    embed.get_by_label("Comment", exact=True).fill("Vouched for by my newspaper.")
    embed.get_by_label("I accept the terms of use").check()
    embed.get_by_role("button", name="Send for review").click()
    expect(embed.locator(".cd-notice")).to_contain_text("Your comment is held for review.")

    [item] = live_server.desk.moderation.queue().items
    assert (item.comment.author, item.comment.subscriber) == ("Subscriber Kim", True)
    editor = live_server.desk.accounts.get(moderator.name)
    live_server.desk.moderation.decide(editor, item.comment.id, Action.APPROVE)
    page.reload()
    published = embed.locator(".cd-thread .cd-comment")
    expect(published.locator(".cd-badge.cd-subscriber")).to_have_text("Subscriber")
    assert (open_page.foreign, open_page.errors) == ([], [])


def _comment_without_script(page: Page) -> None:
    page.get_by_label("Comment", exact=True).fill("Signed in, no script at all.")
    page.get_by_label("I accept the terms of use").check()
    page.get_by_role("button", name="Send for review").click()


def test_without_script_the_host_pages_form_signs_the_subscriber_in(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    open_page: PageFactory,
) -> None:
    fresh = vouching(live_server, moderator)
    host_site.pages["/"] = host_page(
        live_server,
        f'<form method="post" action="{live_server.url(f"/articles/{DEMO_ARTICLE}/subscriber")}">'
        f'<input type="hidden" name="token" value="{fresh}">'
        "<button>Comment as a subscriber</button></form>",
    )
    page = open_page(javascript=False)
    page.goto(host_site.url("/"))
    page.get_by_role("button", name="Comment as a subscriber").click()
    expect(page.locator("#cd-subscriber-as")).to_contain_text("You comment as Subscriber Kim")
    expect(page.get_by_label("Pseudonym")).to_have_count(0)
    _comment_without_script(page)
    expect(page.locator(".cd-notice")).to_contain_text("held for review")

    [item] = live_server.desk.moderation.queue().items
    assert (item.comment.author, item.comment.subscriber) == ("Subscriber Kim", True)

    page.get_by_role("button", name="Comment under a pseudonym instead").click()
    expect(page.get_by_label("Pseudonym")).to_be_visible()

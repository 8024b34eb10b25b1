"""embed.js on a publisher's page served from another site, and its no-script fallback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from commentdesk.store.tables import sites
from tests.browser.test_reader_pages import seed
from tests.browserkit import (
    DEMO_ARTICLE,
    HostSite,
    LiveServer,
    Login,
    PageFactory,
    Screenshots,
)

pytestmark = pytest.mark.browser

HOST_CSS = """
body { margin: 0; font: 18px/1.6 Georgia, "Noto Serif", serif; color: #222; background: #fff; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem; }
h1 { font-size: 1.8rem; line-height: 1.25; }
iframe { width: 100%; height: 70rem; border: 0; }
@media (prefers-color-scheme: dark) { body { background: #16181b; color: #ddd; } }
"""


def host_page(live: LiveServer) -> str:
    """A publisher's article page, embedding the comments as DESIGN.md documents."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The budget, explained</title>
<link rel="stylesheet" href="/host.css">
</head>
<body>
<main>
<article>
<h1>The budget, explained</h1>
<p>The city council published its budget on Monday. Here is what changes for you.</p>
</article>
<div data-commentdesk-article="{DEMO_ARTICLE}"></div>
<script src="{live.url("/embed.js")}" defer></script>
<noscript>
<iframe src="{live.url(f"/articles/{DEMO_ARTICLE}")}" title="Comments"></iframe>
</noscript>
</main>
</body>
</html>
"""


def _serve(host_site: HostSite, live: LiveServer) -> str:
    host_site.pages["/"] = host_page(live)
    host_site.pages["/host.css"] = HOST_CSS
    return host_site.url("/")


def _embed(page: Page) -> Page:
    expect(page.locator("[data-commentdesk-article] .cd-thread .cd-comment").first).to_be_visible()
    return page


def test_reader_posts_through_embed_js_on_another_sites_page(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    jun = seed(live_server, moderator)["jun"]
    page = open_page(javascript=True)
    page.goto(_serve(host_site, live_server))
    embed = _embed(page).locator("[data-commentdesk-article]")
    expect(embed.locator(".cd-count")).to_have_text("4 comments")
    expect(embed).to_contain_text("좋은 기사 감사합니다.")
    screenshot(page, "thread")

    embed.get_by_label("Pseudonym").fill("Mina")
    embed.get_by_label("Comment", exact=True).fill("Posted from the publisher's own page.")
    embed.get_by_label("I accept the terms of use").check()
    with page.expect_request(lambda r: r.method == "POST") as posted:
        embed.get_by_role("button", name="Send for review").click()
    assert re.fullmatch(r"[0-9a-f]{32}", posted.value.headers["x-commenter-key"])
    expect(embed.locator(".cd-notice")).to_contain_text("Your comment is held for review.")
    expect(embed.locator(".cd-own .cd-body")).to_have_text("Posted from the publisher's own page.")
    expect(embed.get_by_label("Comment", exact=True)).to_have_value("")

    embed.locator(f"#cd-welcome-c{jun.id}").get_by_role("button", name="Reply").click()
    expect(embed.locator(".cd-compose h2")).to_have_text("Reply to Jun")
    embed.get_by_label("Comment", exact=True).fill("A reply, without a page load.")
    embed.get_by_role("button", name="Send for review").click()
    expect(embed.locator(".cd-own .cd-comment")).to_have_count(2)
    screenshot(page, "posted")

    pending = live_server.desk.moderation.queue(sort="age").items
    assert [(i.comment.body, i.comment.parent_id) for i in pending] == [
        ("Posted from the publisher's own page.", None),
        ("A reply, without a page load.", jun.id),
    ]
    assert (open_page.foreign, open_page.errors) == ([], [])


def test_embed_form_error_keeps_the_typed_text(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    seed(live_server, moderator)
    page = open_page(javascript=True)
    page.goto(_serve(host_site, live_server))
    embed = _embed(page).locator("[data-commentdesk-article]")
    embed.get_by_label("Pseudonym").fill("Mina 🌸")
    embed.get_by_label("Comment", exact=True).fill("Keep every word of this.")
    embed.get_by_label("I accept the terms of use").check()
    embed.get_by_role("button", name="Send for review").click()

    expect(embed.locator("#cd-welcome-author-error")).to_contain_text("CHERRY BLOSSOM")
    expect(embed.get_by_label("Pseudonym")).to_have_attribute("aria-invalid", "true")
    expect(embed.get_by_label("Comment", exact=True)).to_have_value("Keep every word of this.")
    screenshot(page, "error")
    assert live_server.desk.moderation.queue().items == []


def test_embed_reader_edits_and_deletes_their_pending_comment(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    open_page: PageFactory,
) -> None:
    seed(live_server, moderator)
    page = open_page(javascript=True)
    page.goto(_serve(host_site, live_server))
    embed = _embed(page).locator("[data-commentdesk-article]")
    embed.get_by_label("Pseudonym").fill("Mina")
    embed.get_by_label("Comment", exact=True).fill("Frist!")
    embed.get_by_label("I accept the terms of use").check()
    embed.get_by_role("button", name="Send for review").click()
    own = embed.locator(".cd-own .cd-comment")
    own.get_by_role("button", name="Edit").click()
    own.get_by_label("Your comment").fill("First, and on topic.")
    own.get_by_role("button", name="Save changes").click()
    expect(embed.locator(".cd-notice")).to_contain_text("Your changes are saved.")
    expect(own.locator(".cd-body")).to_have_text("First, and on topic.")
    own.get_by_role("button", name="Delete", exact=True).click()
    own.get_by_role("button", name="Delete it").click()
    expect(embed.locator(".cd-notice")).to_contain_text("Your comment is deleted.")
    expect(embed.locator(".cd-own")).to_be_hidden()
    assert live_server.desk.moderation.queue().items == []


def test_without_script_the_host_page_frames_the_server_rendered_thread(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    seed(live_server, moderator)
    page = open_page(javascript=False)
    page.goto(_serve(host_site, live_server))
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text("Welcome to commentdesk")
    expect(frame.locator(".cd-thread .cd-comment")).to_have_count(4)
    # Another site's frame gets no cookies (SameSite=Lax), so it links to the form.
    link = frame.get_by_role("link", name="Write a comment")
    expect(link).to_have_attribute("target", "_blank")
    screenshot(page, "noscript")


def test_a_site_not_listed_cannot_frame_the_thread(
    live_server: LiveServer, host_site: HostSite, open_page: PageFactory
) -> None:
    with live_server.desk.context.store.write() as connection:
        connection.execute(sites.update().values(origins=["http://127.0.0.1:*"]))
    page = open_page(javascript=False)
    page.goto(_serve(host_site, live_server))
    (frame,) = page.main_frame.child_frames
    for _ in range(100):  # a refused frame commits its error page a moment after "load"
        if frame.url:
            break
        page.wait_for_timeout(50)
    assert frame.url.startswith("chrome-error://")  # refused by frame-ancestors
    assert "Welcome to commentdesk" not in frame.content()

"""The queue filtered by section, as a moderator sees it, with script on and off.

The section filter is a plain GET form beside the site filter: it narrows the queue the
same way whether console.js runs or not, and the choice stays selected on the page.
Each item names its section. A moderator given a single section sees only that
section's comments, and no filter of sections that are not theirs. A host page names the
section of an article made on its first comment. An admin gives a section its own terms
of use, which readers of its articles reach from the thread.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from commentdesk.desk import Draft
from commentdesk.model import Role
from commentdesk.store.tables import sites
from tests.browserkit import (
    DEMO_ARTICLE,
    DEMO_SITE,
    HostSite,
    LiveServer,
    Login,
    PageFactory,
    Screenshots,
)
from tests.support import PASSWORD

pytestmark = pytest.mark.browser

POLITICS = ("Ana", "The council vote on the housing plan was rushed.")
SPORT = ("Ben", "What a final! The keeper saved three penalties.")
NOWHERE = ("민지", "날씨 예보가 오늘도 틀렸네요.")


def seed(live: LiveServer, admin: Login) -> None:
    """Politics (the welcome article), sport (another one) and a comment on each, plus
    one on an article in no section."""
    desk = live.desk
    chief = desk.accounts.get(admin.name)
    site = next(s for s in desk.catalog.sites() if s.slug == DEMO_SITE)
    for slug, name in (("politics", "Politics"), ("sport", "Sport")):
        desk.sections.add(chief, site.id, slug=slug, name=name, moderation=None,
                          auto_close_days=None)  # fmt: skip
    desk.catalog.add_article(DEMO_SITE, "match", url=live.url("/match"), title="The final",
                             section="sport")  # fmt: skip
    desk.catalog.add_article(DEMO_SITE, "weather", url=live.url("/w"), title="Weather")
    desk.sections.assign(chief, DEMO_ARTICLE, "politics")
    for key, (author, body) in ((DEMO_ARTICLE, POLITICS), ("match", SPORT), ("weather", NOWHERE)):
        desk.comments.submit(key, Draft(author, body, True))


def sign_in(page: Page, live: LiveServer, name: str, password: str, path: str) -> None:
    page.goto(live.url(path))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_section_filter_narrows_the_queue_to_that_sections_comments(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
    javascript: bool,
) -> None:
    seed(live_server, moderator)
    page = open_page(javascript=javascript)
    sign_in(page, live_server, moderator.name, moderator.password, "/console?sort=age")
    items = page.locator("#items")
    for _, body in (POLITICS, SPORT, NOWHERE):
        expect(items).to_contain_text(body)
    page.get_by_label("Section").select_option(label="Sport")
    page.get_by_role("button", name="Filter").click()
    expect(items).to_contain_text(SPORT[1])
    expect(items).not_to_contain_text(POLITICS[1])
    expect(items).not_to_contain_text(NOWHERE[1])
    assert "section=" in page.url
    expect(page.get_by_label("Section").locator("option:checked")).to_have_text("Sport")
    expect(items.locator(".item .section")).to_have_text(["Sport"])
    screenshot(page, "queue-by-section")
    page.get_by_role("link", name="Clear").click()
    expect(items).to_contain_text(NOWHERE[1])
    assert open_page.foreign == []


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_section_moderator_sees_only_their_sections_comments(
    live_server: LiveServer, moderator: Login, open_page: PageFactory, javascript: bool
) -> None:
    seed(live_server, moderator)
    desk = live_server.desk
    politics = next(s for s in desk.sections.every() if s.slug == "politics")
    chief = desk.accounts.get(moderator.name)
    desk.staff.add(chief, "sara", PASSWORD, Role.MODERATOR, (), (politics.id,))
    page = open_page(javascript=javascript)
    sign_in(page, live_server, "sara", PASSWORD, "/console?sort=age")
    items = page.locator("#items")
    expect(items).to_contain_text(POLITICS[1])
    expect(items).not_to_contain_text(SPORT[1])
    expect(items).not_to_contain_text(NOWHERE[1])
    options = page.get_by_label("Section").locator("option")
    expect(options).to_have_text(["All sections", "Politics"])


def test_a_host_page_names_the_section_of_an_article_made_on_its_first_comment(
    live_server: LiveServer, moderator: Login, host_site: HostSite, open_page: PageFactory
) -> None:
    """Script on only: the no-script frame posts to articles that exist already."""
    seed(live_server, moderator)
    with live_server.desk.context.store.write() as connection:
        connection.execute(sites.update().values(auto_create_articles=True))
    host_site.pages["/"] = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Derby day</title></head><body>
<div data-commentdesk-article="derby" data-commentdesk-section="sport"
     data-commentdesk-url="{host_site.url("/")}"></div>
<script src="{live_server.url("/embed.js")}" defer></script>
</body></html>"""
    page = open_page(javascript=True)
    page.goto(host_site.url("/"))
    embed = page.locator("[data-commentdesk-article]")
    embed.get_by_label("Pseudonym").fill("Mina")
    embed.get_by_label("Comment", exact=True).fill("Both keepers were brilliant.")
    embed.get_by_label("I accept the terms of use").check()
    embed.get_by_role("button", name="Send for review").click()
    expect(embed.locator(".cd-notice")).to_contain_text("held for review")
    desk = live_server.desk
    sport = next(s for s in desk.sections.every() if s.slug == "sport")
    article = desk.catalog.article("derby")
    assert (article.title, article.section_id) == ("Derby day", sport.id)
    assert open_page.foreign == []
    # The only error the browser notes: the first read of a thread not made yet (404).
    assert all("404" in error for error in open_page.errors)


SPORT_TERMS = "Argue about the match, never about the families of players."


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_sections_own_terms_are_what_readers_of_its_articles_open_from_the_thread(
    live_server: LiveServer,
    moderator: Login,
    open_page: PageFactory,
    screenshot: Screenshots,
    javascript: bool,
) -> None:
    seed(live_server, moderator)
    desk = live_server.desk
    sport = next(s for s in desk.sections.every() if s.slug == "sport")
    page = open_page(javascript=javascript)
    path = f"/console/settings/sites/{sport.site_id}/sections"
    sign_in(page, live_server, moderator.name, moderator.password, path)
    terms = page.locator(f"#terms-{sport.id}")
    terms.locator("summary").click()
    terms.locator("textarea[name=terms_en]").fill(SPORT_TERMS)
    terms.get_by_role("button", name="Save the terms").click()
    expect(page.locator(".notice")).to_have_text("Saved.")
    expect(page.locator(f"#terms-{sport.id} textarea[name=terms_en]")).to_have_value(SPORT_TERMS)
    screenshot(page, "section-terms-form")
    assert desk.sections.get(sport.id).terms == (("en", SPORT_TERMS),)

    for key, shown, not_shown in (
        ("match", SPORT_TERMS, None),
        (DEMO_ARTICLE, desk.catalog.site(sport.site_id).terms_text, SPORT_TERMS),
    ):
        page.goto(live_server.url(f"/articles/{key}"))
        with page.expect_popup() as opened:
            page.locator("#cd-terms-link").click()
        reader = opened.value
        expect(reader.locator(".cd-terms")).to_have_text(shown)
        if not_shown:
            expect(reader.locator("main")).not_to_contain_text(not_shown)
        else:
            expect(reader.locator("#cd-section-terms")).to_have_text(
                "These are the terms of the section Sport."
            )
            screenshot(reader, "section-terms-reader")
        reader.close()
    assert open_page.foreign == []

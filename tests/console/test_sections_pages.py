"""Sections in the console: an admin declares them and their defaults, puts an article in
one, gives a moderator one; the queue and the dashboard filter by them. Plain forms,
no script."""

from __future__ import annotations

import re

from commentdesk.desk import Desk, Draft
from commentdesk.model import Moderation
from tests.console.support import Browser, send

PAGE = "/console/settings/sites/1/sections"
Data = dict[str, str | list[str]]
NEW: Data = {"slug": "politics", "name": "Politics", "moderation": "", "auto_close_days": ""}


def test_an_admin_declares_a_section_from_the_sites_page(browser: Browser, desk: Desk) -> None:
    chief = browser("chief")
    assert (
        'href="/console/settings/sites/1/sections"' in chief.get("/console/settings/sites/1").text
    )
    answer = send(chief, PAGE, {**NEW, "moderation": "post", "auto_close_days": "5"})
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("?done=added")
    [section] = desk.sections.of_site(1)
    assert (section.slug, section.moderation, section.auto_close_days) == (
        "politics",
        Moderation.POST,
        5,
    )
    assert "politics" in chief.get(PAGE).text


def test_a_refused_section_keeps_what_was_typed_and_names_the_field(browser: Browser) -> None:
    answer = send(browser("chief"), PAGE, {**NEW, "slug": "Not a slug!", "name": "Café <b>"})
    assert answer.status_code == 422
    assert 'id="new-slug" name="slug" required maxlength="64"' in answer.text
    assert 'value="Not a slug!" aria-invalid="true"' in answer.text
    assert 'value="Café &lt;b&gt;"' in answer.text  # kept, and escaped


def test_an_admin_renames_a_section_and_sets_its_defaults(browser: Browser, desk: Desk) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    [section] = desk.sections.of_site(1)
    change: Data = {"name": "Politics & power", "moderation": "pre", "auto_close_days": "9"}
    assert send(chief, f"/console/settings/sections/{section.id}", change).status_code == 303
    [changed] = desk.sections.of_site(1)
    assert (changed.name, changed.moderation, changed.auto_close_days) == (
        "Politics & power",
        Moderation.PRE,
        9,
    )


def test_a_refused_change_keeps_the_typed_days(browser: Browser, desk: Desk) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    [section] = desk.sections.of_site(1)
    change: Data = {"name": "Politics", "moderation": "", "auto_close_days": "99999"}
    answer = send(chief, f"/console/settings/sections/{section.id}", change)
    assert answer.status_code == 422
    assert 'value="99999" aria-invalid="true"' in answer.text


def test_an_admin_puts_an_article_in_a_section_from_its_page(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    page = chief.get(f"/console/settings/articles/{article_key}").text
    assert '<option value="politics">Politics</option>' in page
    answer = send(
        chief, f"/console/settings/articles/{article_key}/section", {"section": "politics"}
    )
    assert answer.status_code == 303
    assert desk.catalog.article(article_key).section_id == desk.sections.of_site(1)[0].id
    again = chief.get(f"/console/settings/articles/{article_key}").text
    assert '<option value="politics" selected>' in again


def test_a_section_not_of_the_site_is_refused_with_the_form_to_send_again(
    browser: Browser, article_key: str
) -> None:
    answer = send(browser("chief"), f"/console/settings/articles/{article_key}/section",
                  {"section": "nope"})  # fmt: skip
    assert answer.status_code == 422
    assert 'class="resend"' in answer.text
    assert 'name="section" value="nope"' in answer.text


def test_an_admin_gives_a_moderator_one_section(
    browser: Browser, desk: Desk, people: dict[str, int]
) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    [section] = desk.sections.of_site(1)
    assert f'name="sections" value="{section.id}"' in chief.get("/console/people").text
    data: Data = {"role": "moderator", "sections": [str(section.id)]}
    assert send(chief, f"/console/people/{people['mina']}", data).status_code == 303
    mina = next(p for p in desk.staff.people() if p.moderator.name == "mina")
    assert (mina.site_ids, mina.section_ids) == ((), (section.id,))


def _queued(html: str) -> list[str]:
    return re.findall(r'<li class="item[^"]*" id="c(\d+)"', html)


def test_the_queue_filters_by_section_with_a_plain_form(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    [section] = desk.sections.of_site(1)
    desk.catalog.add_article("news", "a2", url="https://news.example/a2", title="Other")
    send(chief, f"/console/settings/articles/{article_key}/section", {"section": "politics"})
    inside = desk.comments.submit(article_key, Draft("Ann", "in politics", True)).comment.id
    desk.comments.submit("a2", Draft("Bob", "elsewhere", True))
    page = chief.get("/console").text
    assert '<option value="">All sections</option>' in page
    assert len(_queued(page)) == 2
    filtered = chief.get("/console", params={"section": str(section.id)}).text
    assert _queued(filtered) == [str(inside)]
    assert f'<option value="{section.id}" selected>Politics</option>' in filtered
    assert chief.get("/console", params={"section": "x"}).status_code == 422


def test_the_dashboard_counts_one_section(browser: Browser, desk: Desk, article_key: str) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    [section] = desk.sections.of_site(1)
    desk.comments.submit(article_key, Draft("Ann", "text", True))
    everything = chief.get("/console/dashboard").text
    assert re.search(r'<span class="n">1</span><span class="what">pending', everything)
    one = chief.get("/console/dashboard", params={"section": str(section.id)}).text
    assert re.search(r'<span class="n">0</span><span class="what">pending', one)
    assert f"/console/charts/hourly.svg?section={section.id}" in one
    assert chief.get(f"/console/charts/articles.svg?section={section.id}").status_code == 200


def test_an_admin_gives_a_section_its_own_terms_from_the_sections_page(
    browser: Browser, desk: Desk
) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    [section] = desk.sections.of_site(1)
    page = chief.get(PAGE).text
    assert f'action="/console/settings/sections/{section.id}/terms"' in page
    terms: Data = {"terms_en": "Argue the policy, not the person.", "terms_ko": ""}
    answer = send(chief, f"/console/settings/sections/{section.id}/terms", terms)
    assert answer.status_code == 303
    saved = f"?done=terms&section={section.id}#terms-{section.id}"
    assert answer.headers["location"].endswith(saved)
    assert desk.sections.get(section.id).terms == (("en", "Argue the policy, not the person."),)
    again = chief.get(answer.headers["location"]).text
    assert ">Argue the policy, not the person.</textarea>" in again
    assert f'id="terms-{section.id}" open' in again


def test_refused_section_terms_keep_what_was_typed_and_name_the_field(
    browser: Browser, desk: Desk
) -> None:
    chief = browser("chief")
    send(chief, PAGE, NEW)
    [section] = desk.sections.of_site(1)
    terms: Data = {"terms_en": "", "terms_ko": "정책을 논하세요 <b>"}
    answer = send(chief, f"/console/settings/sections/{section.id}/terms", terms)
    assert answer.status_code == 422
    assert f'id="terms-{section.id}" open' in answer.text
    assert 'name="terms_en" lang="en" rows="5" aria-invalid="true"' in answer.text
    assert ">정책을 논하세요 &lt;b&gt;</textarea>" in answer.text
    assert desk.sections.get(section.id).terms == ()

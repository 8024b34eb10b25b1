"""``serve --demo``: the demo site and login always; the invented world on an empty database."""

from __future__ import annotations

import pytest

from commentdesk.cli.demo import DEMO_ARTICLE, DEMO_MODERATOR, DEMO_SITE, print_demo
from commentdesk.cli.demo_world import CAMPAIGN_VOICES, CITY_TERMS, KOREAN_ARTICLE
from commentdesk.desk import Desk, Draft
from commentdesk.model import State


def comment_count(desk: Desk) -> int:
    return len(desk.moderation.queue(state=None, limit=200).items)


def test_an_empty_database_gets_the_whole_small_world(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    print_demo(desk, "127.0.0.1", 8000)
    desk.assessor.drain()
    printed = capsys.readouterr().out
    assert "7 published comments, 10 waiting" in printed
    english = desk.threads.published(desk.catalog.article(DEMO_ARTICLE))
    korean = desk.threads.published(desk.catalog.article(KOREAN_ARTICLE))
    assert (len(english), len(korean)) == (4, 3)
    assert any(c.featured for c in english)
    assert any(c.edited_by_moderator and c.edit_reason for c in english)
    assert any(c.parent_id for c in korean)
    assert len(desk.moderation.queue(state=State.PENDING).items) == 10
    [campaign] = desk.clusters.waiting(desk.accounts.get(DEMO_MODERATOR))
    assert (campaign.size, campaign.articles) == (len(CAMPAIGN_VOICES), 2)


def test_the_small_worlds_articles_are_in_two_sections_one_with_its_own_terms(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    print_demo(desk, "127.0.0.1", 8000)
    by_id = {s.id: s for s in desk.sections.every()}
    english = by_id[desk.catalog.article(DEMO_ARTICLE).section_id or 0]
    korean = by_id[desk.catalog.article(KOREAN_ARTICLE).section_id or 0]
    assert (english.name, korean.name) == ("Transit", "City hall")
    assert (english.terms, dict(korean.terms)) == ((), CITY_TERMS)
    assert {i.section for i in desk.moderation.queue().items} == {"Transit", "City hall"}


def test_a_database_with_comments_gets_only_the_site_and_the_login(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    desk.catalog.ensure_site("paper", name="Paper")
    desk.catalog.add_article("paper", "p1", url="https://paper.example/p1", title="P1")
    desk.comments.submit("p1", Draft(author="Real", body="A real comment.", accept_terms=True))
    print_demo(desk, "127.0.0.1", 8000)
    assert "invented world" not in capsys.readouterr().out
    assert comment_count(desk) == 1
    assert desk.catalog.article(DEMO_ARTICLE).key == DEMO_ARTICLE
    assert [site.slug for site in desk.catalog.sites()] == ["paper", DEMO_SITE]


def test_starting_the_demo_again_adds_nothing_and_makes_a_new_password(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    print_demo(desk, "127.0.0.1", 8000)
    first = capsys.readouterr().out
    print_demo(desk, "127.0.0.1", 8000)
    second = capsys.readouterr().out
    assert comment_count(desk) == 17
    assert "invented world" not in second
    login = [line for line in (first + second).splitlines() if "Login:" in line]
    assert len(set(login)) == 2

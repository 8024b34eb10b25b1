"""Sections: a site's declared sections, an article's section, and what follows from it
(scoped moderators, the queue's filter, the dashboard's figures, per-section defaults),
through the desk and the JSON API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.desk.audit import AuditQuery
from commentdesk.desk.queue import QueueFilter
from commentdesk.errors import Forbidden, InvalidInput, NotFound
from commentdesk.model import Action, Moderation, Moderator, Role, Section, State
from tests.support import PASSWORD, Clock, auth, submit_comment
from tests.test_api_submit import assert_error

QUEUE = "/api/v1/moderation/queue"
HOST = "http://127.0.0.1:9000"


@pytest.fixture
def chief(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)


@pytest.fixture
def auto_site(desk: Desk) -> str:
    """A site that makes articles on their first comment, from its host pages."""
    desk.catalog.ensure_site("auto", name="Auto", origins=(f"{HOST}",), auto_create_articles=True)
    return "auto"


def declare(
    desk: Desk,
    chief: Moderator,
    slug: str,
    *,
    site: str = "news",
    moderation: Moderation | None = None,
    days: int | None = None,
) -> Section:
    site_id = next(s.id for s in desk.catalog.sites() if s.slug == site)
    return desk.sections.add(
        chief, site_id, slug=slug, name=slug.title(), moderation=moderation, auto_close_days=days
    )


def post_new(client: TestClient, key: str, **extra: Any) -> Any:
    payload = {
        "author": "Reader",
        "body": "A thoughtful comment.",
        "accept_terms": True,
        "url": f"{HOST}/{key}",
        "title": key,
    }
    return client.post(f"/api/v1/articles/{key}/comments", json=payload | extra)


# --- Declaring sections ---------------------------------------------------------------


@pytest.mark.usefixtures("site_slug")
def test_an_admin_declares_a_section_with_its_audit_event(desk: Desk, chief: Moderator) -> None:
    section = declare(desk, chief, "politics", moderation=Moderation.POST, days=3)
    assert (section.slug, section.name, section.moderation, section.auto_close_days) == (
        "politics",
        "Politics",
        Moderation.POST,
        3,
    )
    [entry] = desk.audit.search(AuditQuery(action="section_added"))[0]
    assert entry.actor == "chief"
    assert entry.target == "news/politics"


@pytest.mark.usefixtures("site_slug")
def test_a_section_slug_is_bounded_and_unique_per_site(desk: Desk, chief: Moderator) -> None:
    declare(desk, chief, "politics")
    for slug in ("Politics!", "", "x" * 65, "-lead"):
        with pytest.raises(InvalidInput) as bad:
            declare(desk, chief, slug)
        assert bad.value.field == "slug"
    with pytest.raises(InvalidInput, match="already"):
        declare(desk, chief, "politics")


@pytest.mark.usefixtures("site_slug")
def test_only_an_admin_declares_or_changes_sections(desk: Desk, chief: Moderator) -> None:
    mina = desk.accounts.add_moderator("mina", PASSWORD, Role.MODERATOR)
    section = declare(desk, chief, "politics")
    with pytest.raises(Forbidden):
        desk.sections.add(
            mina, 1, slug="sport", name="Sport", moderation=None, auto_close_days=None
        )
    with pytest.raises(Forbidden):
        desk.sections.update(mina, section.id, name="X", moderation=None, auto_close_days=None)


@pytest.mark.usefixtures("site_slug")
def test_a_section_is_renamed_and_its_defaults_changed_with_the_before_and_after(
    desk: Desk, chief: Moderator
) -> None:
    section = declare(desk, chief, "politics")
    changed = desk.sections.update(
        chief, section.id, name="Politics & power", moderation=Moderation.PRE, auto_close_days=7
    )
    assert (changed.slug, changed.name, changed.auto_close_days) == (
        "politics",
        "Politics & power",
        7,
    )
    [entry] = desk.audit.search(AuditQuery(action="section_changed"))[0]
    assert "name=Politics;" in (entry.before_text or "")
    assert "close=7" in (entry.after_text or "")


# --- An article's section ----------------------------------------------------------------


@pytest.mark.usefixtures("article_key")
def test_an_admin_puts_an_article_in_a_section_and_out_again_with_events(
    desk: Desk, chief: Moderator
) -> None:
    section = declare(desk, chief, "politics")
    assert desk.catalog.article("a1").section_id is None
    assert desk.sections.assign(chief, "a1", "politics").section_id == section.id
    assert desk.sections.assign(chief, "a1", None).section_id is None
    entries = desk.audit.search(AuditQuery(action="article_section"))[0]
    assert [(e.before_text, e.after_text) for e in reversed(entries)] == [
        (None, "politics"),
        ("politics", None),
    ]


@pytest.mark.usefixtures("article_key")
def test_an_article_cannot_join_another_sites_section(desk: Desk, chief: Moderator) -> None:
    desk.catalog.ensure_site("other", name="Other")
    declare(desk, chief, "sport", site="other")
    with pytest.raises(InvalidInput) as refused:
        desk.sections.assign(chief, "a1", "sport")
    assert refused.value.field == "section"


def test_a_host_page_names_a_declared_section_for_a_new_article(
    client: TestClient, desk: Desk, chief: Moderator, auto_site: str
) -> None:
    section = declare(desk, chief, "politics", site=auto_site)
    assert post_new(client, "story-1", section="politics").status_code == 202
    assert desk.catalog.article("story-1").section_id == section.id


def test_an_undeclared_section_from_a_host_page_is_ignored_and_creates_nothing(
    client: TestClient, desk: Desk, chief: Moderator, auto_site: str
) -> None:
    """A stranger's page cannot add sections: the comment is kept, the name is not."""
    assert post_new(client, "story-1", section="made-up").status_code == 202
    assert desk.catalog.article("story-1").section_id is None
    assert desk.sections.every() == []


def test_an_oversized_section_from_a_host_page_is_refused_by_field(
    client: TestClient, auto_site: str
) -> None:
    assert_error(post_new(client, "story-1", section="x" * 65), 422, "invalid", "section")


def test_a_host_page_cannot_move_an_existing_article(
    client: TestClient, desk: Desk, chief: Moderator, auto_site: str
) -> None:
    declare(desk, chief, "politics", site=auto_site)
    post_new(client, "story-1")
    assert post_new(client, "story-1", section="politics").status_code == 202
    assert desk.catalog.article("story-1").section_id is None


def test_the_admin_api_makes_an_article_in_a_section_and_moves_it(
    client: TestClient, desk: Desk, admin_token: str, site_slug: str
) -> None:
    section = declare(desk, desk.accounts.get("chief"), "politics")
    article = {"site": "news", "key": "b1", "url": "https://news.example/b1", "title": "B"}
    made = client.post("/api/v1/admin/articles", json=article | {"section": "politics"},
                       headers=auth(admin_token))  # fmt: skip
    assert made.status_code == 201
    assert made.json()["section_id"] == section.id
    moved = client.put("/api/v1/admin/articles/b1/section", json={"section": None},
                       headers=auth(admin_token))  # fmt: skip
    assert moved.status_code == 200
    assert moved.json()["section_id"] is None


def test_the_admin_api_refuses_an_undeclared_section_by_field(
    client: TestClient, admin_token: str, site_slug: str
) -> None:
    article = {"site": "news", "key": "b1", "url": "https://news.example/b1", "title": "B"}
    made = client.post("/api/v1/admin/articles", json=article | {"section": "nope"},
                       headers=auth(admin_token))  # fmt: skip
    assert_error(made, 422, "invalid", "section")


# --- Per-section defaults ------------------------------------------------------------------


def test_a_post_moderated_section_publishes_on_a_pre_moderated_site(
    client: TestClient, desk: Desk, chief: Moderator, auto_site: str
) -> None:
    declare(desk, chief, "live", site=auto_site, moderation=Moderation.POST)
    assert post_new(client, "story-1", section="live").json()["publishes_when_assessed"]
    assert not post_new(client, "story-2").json()["publishes_when_assessed"]
    # The article exists now: its section still decides for the next comment.
    again = post_new(client, "story-1", body="And another thought.")
    assert again.json()["publishes_when_assessed"]


@pytest.mark.usefixtures("article_key")
def test_the_articles_own_setting_wins_over_its_sections(desk: Desk, chief: Moderator) -> None:
    declare(desk, chief, "live", moderation=Moderation.POST)
    desk.sections.assign(chief, "a1", "live")
    draft = Draft(author="Reader", body="A thought.", accept_terms=True)
    assert desk.comments.submit("a1", draft).publishes_when_assessed
    desk.site_settings.update_article(
        chief, "a1", is_open=True, moderation=Moderation.PRE, close_after_days=None
    )
    assert not desk.comments.submit("a1", draft).publishes_when_assessed


def test_a_sections_auto_close_days_replace_the_sites(
    client: TestClient, desk: Desk, chief: Moderator, auto_site: str, clock: Clock
) -> None:
    declare(desk, chief, "brief", site=auto_site, days=2)
    post_new(client, "story-1", section="brief")
    post_new(client, "story-2")
    assert desk.catalog.article("story-1").closes_at == clock.now + timedelta(days=2)
    assert desk.catalog.article("story-2").closes_at is None


# --- Scope, queue and figures ------------------------------------------------------------


@pytest.fixture
def two_sections(desk: Desk, chief: Moderator, article_key: str) -> dict[str, int]:
    """Article a1 in "politics", a2 in "sport", a3 in none; one pending comment on each."""
    declare(desk, chief, "politics")
    declare(desk, chief, "sport")
    desk.catalog.add_article("news", "a2", url="https://news.example/a2", title="Match")
    desk.catalog.add_article("news", "a3", url="https://news.example/a3", title="Weather")
    desk.sections.assign(chief, "a1", "politics")
    desk.sections.assign(chief, "a2", "sport")
    return {key: submit_comment(desk, key=key, assess=True) for key in ("a1", "a2", "a3")}


def _ids(desk: Desk, **kwargs: Any) -> set[int]:
    return {i.comment.id for i in desk.moderation.queue(**kwargs).items}


def test_a_section_moderator_sees_and_decides_only_its_articles_comments(
    desk: Desk, chief: Moderator, two_sections: dict[str, int]
) -> None:
    politics = next(s for s in desk.sections.every() if s.slug == "politics")
    sara = desk.staff.add(chief, "sara", PASSWORD, Role.MODERATOR, (), (politics.id,))
    assert _ids(desk, moderator=sara) == {two_sections["a1"]}
    desk.moderation.decide(sara, two_sections["a1"], Action.APPROVE)
    with pytest.raises(NotFound):
        desk.moderation.decide(sara, two_sections["a2"], Action.APPROVE)
    with pytest.raises(NotFound):
        desk.moderation.history(two_sections["a3"], sara)


def test_sites_and_sections_in_one_scope_add_up(
    desk: Desk, chief: Moderator, two_sections: dict[str, int]
) -> None:
    other = desk.catalog.ensure_site("other", name="Other")
    desk.catalog.add_article("other", "o1", url="https://other.example/o1", title="Other")
    theirs = submit_comment(desk, key="o1", assess=True)
    sport = next(s for s in desk.sections.every() if s.slug == "sport")
    both = desk.staff.add(chief, "bo", PASSWORD, Role.MODERATOR, (other.id,), (sport.id,))
    assert _ids(desk, moderator=both) == {two_sections["a2"], theirs}
    assert desk.staff.people()[0].section_ids == (sport.id,)  # "bo" comes first by name


def test_the_queue_filters_by_section(desk: Desk, two_sections: dict[str, int]) -> None:
    sport = next(s for s in desk.sections.every() if s.slug == "sport")
    assert _ids(desk, filters=QueueFilter(section_id=sport.id)) == {two_sections["a2"]}


def test_the_moderators_api_queue_filters_by_section(
    client: TestClient, desk: Desk, moderator_token: str, two_sections: dict[str, int]
) -> None:
    politics = next(s for s in desk.sections.every() if s.slug == "politics")
    page = client.get(QUEUE, params={"section": politics.id}, headers=auth(moderator_token))
    assert [item["id"] for item in page.json()["items"]] == [two_sections["a1"]]
    bad = client.get(QUEUE, params={"section": "politics"}, headers=auth(moderator_token))
    assert bad.status_code == 422


def test_the_moderators_api_lists_the_callers_sections_with_their_ids(
    client: TestClient, desk: Desk, chief: Moderator, two_sections: dict[str, int]
) -> None:
    politics = next(s for s in desk.sections.every() if s.slug == "politics")
    desk.staff.add(chief, "sara", PASSWORD, Role.MODERATOR, (), (politics.id,))
    token = desk.accounts.create_token("sara")
    listed = client.get("/api/v1/moderation/sections", headers=auth(token)).json()
    assert listed == [
        {
            "id": politics.id,
            "site_id": 1,
            "slug": "politics",
            "name": "Politics",
            "moderation": None,
            "auto_close_days": None,
            "terms": {},
        }
    ]


def test_the_dashboard_counts_one_section(desk: Desk, two_sections: dict[str, int]) -> None:
    sport = next(s for s in desk.sections.every() if s.slug == "sport")
    assert desk.dashboard.figures(None).pending == 3
    figures = desk.dashboard.figures(None, sport.id)
    assert figures.pending == 1
    assert [key for key, _, _ in figures.top_articles] == ["a2"]


def test_a_section_moderator_is_offered_only_their_sections(
    desk: Desk, chief: Moderator, two_sections: dict[str, int]
) -> None:
    politics = next(s for s in desk.sections.every() if s.slug == "politics")
    sara = desk.staff.add(chief, "sara", PASSWORD, Role.MODERATOR, (), (politics.id,))
    assert [s.slug for s in desk.sections.visible(desk.staff.scope(sara))] == ["politics"]
    assert [s.slug for s in desk.sections.visible(None)] == ["politics", "sport"]


@pytest.mark.usefixtures("article_key")
def test_articles_without_a_section_keep_working_as_before(desk: Desk) -> None:
    comment_id = submit_comment(desk, assess=True)
    assert desk.catalog.article("a1").section_id is None
    assert _ids(desk) == {comment_id}
    assert desk.moderation.queue().items[0].comment.state is State.PENDING

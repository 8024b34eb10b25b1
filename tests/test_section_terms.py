"""A section's own terms of use, and the section's name on queue items: through the desk,
the admins' JSON API and the reader's terms page, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from commentdesk.desk import Desk
from commentdesk.desk.audit import AuditQuery
from commentdesk.desk.site_texts import TERMS_MAX
from commentdesk.errors import Forbidden, InvalidInput, NotFound
from commentdesk.model import Moderator, Role, Section
from tests.console.support import sign_in
from tests.support import PASSWORD, auth, submit_comment
from tests.test_api_submit import assert_error

SPORT_EN = "Talk about the game, not about the families of players."
SPORT_KO = "선수 가족이 아니라 경기에 대해 이야기하세요."


@pytest.fixture
def chief(desk: Desk, admin_token: str) -> Moderator:
    """The admin ``admin_token`` signs in as."""
    return desk.accounts.get("chief")


@pytest.fixture
def sport(desk: Desk, chief: Moderator, article_key: str) -> Section:
    """The section "sport" of the English site "news", holding the article a1."""
    site_id = desk.catalog.article(article_key).site_id
    section = desk.sections.add(
        chief, site_id, slug="sport", name="Sport", moderation=None, auto_close_days=None
    )
    desk.sections.assign(chief, article_key, "sport")
    return section


def _terms_events(desk: Desk) -> list[tuple[str | None, str | None]]:
    entries, _ = desk.audit.search(AuditQuery(action="section_terms"))
    return [(e.before_text, e.after_text) for e in entries]


# --- The desk ----------------------------------------------------------------------------


def test_an_admin_gives_a_section_its_own_terms_with_an_event(
    desk: Desk, chief: Moderator, sport: Section
) -> None:
    saved = desk.sections.set_terms(chief, sport.id, {"en": f"  {SPORT_EN} ", "ko": SPORT_KO})
    assert dict(saved.terms) == {"en": SPORT_EN, "ko": SPORT_KO}
    assert desk.sections.get(sport.id).terms == saved.terms
    assert _terms_events(desk) == [(None, f"[en]\n{SPORT_EN}\n\n[ko]\n{SPORT_KO}")]


def test_saving_the_same_terms_again_writes_no_event(
    desk: Desk, chief: Moderator, sport: Section
) -> None:
    desk.sections.set_terms(chief, sport.id, {"en": SPORT_EN})
    desk.sections.set_terms(chief, sport.id, {"en": SPORT_EN, "ko": ""})
    assert len(_terms_events(desk)) == 1


def test_emptying_every_language_gives_the_sites_terms_back_with_an_event(
    desk: Desk, chief: Moderator, sport: Section
) -> None:
    desk.sections.set_terms(chief, sport.id, {"en": SPORT_EN})
    cleared = desk.sections.set_terms(chief, sport.id, {"en": " ", "ko": ""})
    assert cleared.terms == ()
    assert _terms_events(desk)[0] == (f"[en]\n{SPORT_EN}", None)


def test_section_terms_need_the_sites_language_once_any_is_written(
    desk: Desk, chief: Moderator, sport: Section
) -> None:
    with pytest.raises(InvalidInput) as refused:
        desk.sections.set_terms(chief, sport.id, {"ko": SPORT_KO})
    assert refused.value.field == "terms_en"
    assert desk.sections.get(sport.id).terms == ()


@pytest.mark.parametrize(
    ("terms", "field"),
    [({"en": "x" * (TERMS_MAX + 1)}, "terms_en"), ({"en": SPORT_EN, "xx": "?"}, "terms_xx")],
    ids=["too-long", "unknown-language"],
)
def test_section_terms_are_refused_by_field_when_too_long_or_in_an_unknown_language(
    desk: Desk, chief: Moderator, sport: Section, terms: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        desk.sections.set_terms(chief, sport.id, terms)
    assert refused.value.field == field
    assert _terms_events(desk) == []


def test_only_an_admin_sets_section_terms(desk: Desk, sport: Section) -> None:
    mina = desk.accounts.add_moderator("mina", PASSWORD, Role.MODERATOR)
    with pytest.raises(Forbidden):
        desk.sections.set_terms(mina, sport.id, {"en": SPORT_EN})


# --- The admins' API ---------------------------------------------------------------------


def test_the_admin_api_sets_and_lists_a_sections_terms(
    client: TestClient, admin_token: str, sport: Section
) -> None:
    url = f"/api/v1/admin/sections/{sport.id}/terms"
    answer = client.put(url, json={"terms": {"en": SPORT_EN}}, headers=auth(admin_token))
    assert answer.status_code == 200, answer.text
    assert answer.json()["terms"] == {"en": SPORT_EN}
    listed = client.get("/api/v1/moderation/sections", headers=auth(admin_token)).json()
    assert [s["terms"] for s in listed] == [{"en": SPORT_EN}]
    back = client.put(url, json={"terms": {}}, headers=auth(admin_token))
    assert back.json()["terms"] == {}


def test_the_admin_api_refuses_section_terms_by_field(
    client: TestClient, admin_token: str, sport: Section
) -> None:
    url = f"/api/v1/admin/sections/{sport.id}/terms"
    refused = client.put(url, json={"terms": {"ko": SPORT_KO}}, headers=auth(admin_token))
    assert_error(refused, 422, "invalid", "terms_en")
    missing = client.put(
        "/api/v1/admin/sections/999/terms", json={"terms": {}}, headers=auth(admin_token)
    )
    assert_error(missing, 404, "not_found", "section")


def test_a_moderator_cannot_set_section_terms_through_the_api(
    client: TestClient, moderator_token: str, sport: Section
) -> None:
    url = f"/api/v1/admin/sections/{sport.id}/terms"
    answer = client.put(url, json={"terms": {"en": SPORT_EN}}, headers=auth(moderator_token))
    assert answer.status_code == 403


# --- What readers see --------------------------------------------------------------------


def test_an_article_in_the_section_shows_the_sections_terms_in_the_readers_language(
    client: TestClient, desk: Desk, chief: Moderator, sport: Section
) -> None:
    desk.sections.set_terms(chief, sport.id, {"en": SPORT_EN, "ko": SPORT_KO})
    english = client.get("/articles/a1/terms?lang=en")
    assert SPORT_EN in english.text
    assert "These are the terms of the section Sport." in english.text
    assert SPORT_KO in client.get("/articles/a1/terms?lang=ko").text


def test_a_language_the_section_has_no_terms_in_reads_the_sites_language(
    client: TestClient, desk: Desk, chief: Moderator, sport: Section
) -> None:
    desk.sections.set_terms(chief, sport.id, {"en": SPORT_EN})
    korean = client.get("/articles/a1/terms?lang=ko").text
    assert SPORT_EN in korean
    assert 'lang="en"' in korean


def test_an_article_in_a_section_without_terms_or_in_none_shows_the_sites(
    client: TestClient, desk: Desk, chief: Moderator, sport: Section
) -> None:
    site_terms = str(escape(desk.catalog.site(sport.site_id).terms_text))
    assert site_terms in client.get("/articles/a1/terms").text
    desk.sections.set_terms(chief, sport.id, {"en": SPORT_EN})
    desk.sections.assign(chief, "a1", None)
    page = client.get("/articles/a1/terms").text
    assert site_terms in page
    assert SPORT_EN not in page


def test_the_thread_page_links_to_its_terms(client: TestClient, sport: Section) -> None:
    page = client.get("/articles/a1?lang=en").text
    assert 'href="/articles/a1/terms?lang=en"' in page


# --- Queue items name their section ------------------------------------------------------


def test_queue_items_name_their_articles_section_in_the_desk_and_the_api(
    client: TestClient, desk: Desk, admin_token: str, sport: Section
) -> None:
    in_sport = submit_comment(desk, key="a1", assess=True)
    desk.catalog.add_article("news", "a2", url="https://news.example/a2", title="Weather")
    in_none = submit_comment(desk, key="a2", assess=True)
    named = {i.comment.id: i.section for i in desk.moderation.queue().items}
    assert named == {in_sport: "Sport", in_none: None}
    items = client.get("/api/v1/moderation/queue", headers=auth(admin_token)).json()["items"]
    assert {item["id"]: item["section"] for item in items} == named


def test_the_console_queue_and_comment_page_show_the_section(
    client: TestClient, desk: Desk, sport: Section
) -> None:
    comment_id = submit_comment(desk, key="a1", assess=True)
    sign_in(client, "chief")
    for path in ("/console", f"/console/comments/{comment_id}"):
        assert '<span class="section" title="Section">Sport</span>' in client.get(path).text


def test_an_unknown_section_id_answers_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound):
        desk.sections.get(12345)

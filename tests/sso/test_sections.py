"""The provider's groups give single sections, through a real OpenID provider.

Here "desk-korean" (minji's group) gives only the Korean site's "sport" section, and
"desk-english" the whole English site: a moderator who signs in through the provider is
scoped to exactly that, as one an admin scoped by hand on the People page is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from commentdesk.desk import Desk, Draft
from commentdesk.desk.audit import AuditQuery
from commentdesk.model import Moderator, Role, Section
from commentdesk.settings import Settings
from tests.sso.conftest import sso_settings
from tests.sso.support import Person, Provider
from tests.support import PASSWORD, MakeSettings

People = Callable[[], Person]
GROUPS = {
    "desk-admins": {"role": "admin"},
    "desk-korean": {"role": "moderator", "sections": ["ko/sport"]},
    "desk-english": {"role": "moderator", "sites": ["news"]},
}


@pytest.fixture
def settings(make_settings: MakeSettings, provider: Provider) -> Settings:
    return sso_settings(make_settings, provider.issuer, oidc_groups=GROUPS)


@pytest.fixture
def ko_sport(desk: Desk, sites: dict[str, int]) -> Section:
    """The Korean site's "sport" section, with the article "k-sport" in it, beside the
    article "k-news" in none; one pending comment on each."""
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    section = desk.sections.add(
        chief, sites["ko"], slug="sport", name="스포츠", moderation=None, auto_close_days=None
    )
    desk.catalog.add_article(
        "ko", "k-sport", url="https://ko.example/1", title="경기", section="sport"
    )
    desk.catalog.add_article("ko", "k-news", url="https://ko.example/2", title="뉴스")
    desk.comments.submit("k-sport", Draft("민수", "멋진 경기였어요.", True))
    desk.comments.submit("k-news", Draft("지호", "좋은 기사입니다.", True))
    return section


def _scope(desk: Desk, name: str) -> tuple[Role, tuple[int, ...], tuple[int, ...]]:
    found = next(p for p in desk.staff.people() if p.moderator.name == name)
    return found.moderator.role, found.site_ids, found.section_ids


def _queued_bodies(person: Person) -> list[str]:
    page = person.console.get("/console?sort=age").text
    return re.findall(r'<p class="body"[^>]*>([^<]*)</p>', page)


def test_a_group_mapped_to_a_section_signs_in_a_moderator_of_that_section_only(
    person: People, desk: Desk, ko_sport: Section
) -> None:
    minji = person()
    assert minji.sign_in("minji").status_code == 303
    assert _scope(desk, "minji") == (Role.MODERATOR, (), (ko_sport.id,))
    assert _queued_bodies(minji) == ["멋진 경기였어요."]
    [change] = desk.audit.search(AuditQuery(action="account_changed"))[0]
    assert change.after_text == f"role=moderator sites=[] sections=[{ko_sport.id}]"


def test_a_site_from_one_group_and_a_section_from_another_add_up(
    person: People, desk: Desk, sites: dict[str, int], ko_sport: Section
) -> None:
    assert person().sign_in("sports").status_code == 303
    assert _scope(desk, "sports") == (Role.MODERATOR, (sites["news"],), (ko_sport.id,))


def test_a_section_taken_away_at_the_provider_is_taken_away_at_the_next_sign_in(
    person: People, desk: Desk, ko_sport: Section
) -> None:
    assert person().sign_in("minji").status_code == 303
    chief: Moderator = desk.accounts.get("chief")
    minji = next(p for p in desk.staff.people() if p.moderator.name == "minji").moderator
    desk.staff.update(chief, minji.id, role=Role.MODERATOR, disabled=False, site_ids=())
    assert _scope(desk, "minji") == (Role.MODERATOR, (), ())  # by hand: every site
    assert person().sign_in("minji").status_code == 303
    assert _scope(desk, "minji") == (Role.MODERATOR, (), (ko_sport.id,))


def test_a_group_whose_sections_do_not_exist_is_refused_not_given_every_site(
    person: People, desk: Desk, sites: dict[str, int]
) -> None:
    answer = person().sign_in("minji")
    assert answer.status_code == 403
    assert "none of the groups" in answer.text
    assert desk.staff.people() == []

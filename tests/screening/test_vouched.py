"""Per-site vouched domains and numbers, through the desk: starter lists by default, an
admin's save is audited and applies to the next comment, a moderator cannot save."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.errors import Forbidden, InvalidInput
from commentdesk.model import Moderator, Role
from commentdesk.store.tables import staff_events
from commentdesk.triage.vouched import starter_domains, starter_numbers
from tests.support import PASSWORD, auth, submit_comment

SITE = 1


def post(desk: Desk, text: str) -> set[str]:
    """A first comment (a fresh commenter key), fully assessed; its reason codes."""
    comment_id = submit_comment(desk, text, new_commenter=True, assess=True)
    [item] = [i for i in desk.moderation.queue(state=None).items if i.comment.id == comment_id]
    return {reason.code for reason in item.comment.assessment.reasons}


def person(desk: Desk, name: str, role: Role) -> Moderator:
    desk.accounts.add_moderator(name, PASSWORD, role)
    return desk.accounts.get(name)


@pytest.mark.usefixtures("article_key")
def test_a_new_site_vouches_for_the_starter_lists(desk: Desk) -> None:
    lists = desk.vouched.for_site(SITE)
    assert lists.domains == starter_domains()
    assert lists.numbers == starter_numbers()
    assert "yna.co.kr" in lists.domains
    assert "1577-1366" in lists.numbers


@pytest.mark.usefixtures("article_key")
def test_a_vouched_domain_link_in_a_first_comment_gives_no_reason(desk: Desk) -> None:
    codes = post(desk, "Yonhap has the full statement: https://en.yna.co.kr/view/AEN2026")
    assert codes <= {"new_commenter"}


@pytest.mark.usefixtures("article_key")
def test_a_saved_list_is_audited_and_screens_the_next_comment(desk: Desk) -> None:
    chief = person(desk, "chief", Role.ADMIN)
    assert "new_commenter_link" in post(desk, "Our paper: https://localpaper.example/story")
    desk.vouched.save(chief, SITE, domains="localpaper.example\n*.gov", numbers="1588-0000")
    later = "The council minutes are online, see https://localpaper.example/minutes-2026"
    assert post(desk, later) <= {"new_commenter"}
    assert "new_commenter_link" in post(desk, "Reuters: https://www.reuters.com/world")
    assert not {c for c in post(desk, "대출 문의 1588-0000") if "contact" in c}
    with desk.context.store.read() as connection:
        [event] = connection.execute(
            sa.select(staff_events).where(staff_events.c.action == "vouched_changed")
        ).mappings()
    assert event["moderator_id"] == chief.id
    assert event["site_id"] == SITE
    assert "localpaper.example" in event["after_text"]
    assert "reuters.com" in event["before_text"]


@pytest.mark.usefixtures("article_key")
def test_an_entry_that_is_not_a_domain_is_refused_naming_it(desk: Desk) -> None:
    chief = person(desk, "chief", Role.ADMIN)
    with pytest.raises(InvalidInput) as refused:
        desk.vouched.save(chief, SITE, domains="reuters.com\nnot a domain", numbers="")
    assert refused.value.field == "vouched_domains"
    assert "not a domain" in refused.value.message
    assert desk.vouched.for_site(SITE).domains == starter_domains()


@pytest.mark.usefixtures("article_key")
def test_a_moderator_cannot_change_the_vouched_lists(desk: Desk) -> None:
    mina = person(desk, "mina", Role.MODERATOR)
    with pytest.raises(Forbidden):
        desk.vouched.save(mina, SITE, domains="spam.example", numbers="")


def test_an_admin_reads_and_replaces_the_lists_through_the_api(
    client: TestClient, desk: Desk, admin_token: str, article_key: str
) -> None:
    url = "/api/v1/admin/sites/news/vouched"
    read = client.get(url, headers=auth(admin_token)).json()
    assert "apnews.com" in read["domains"]
    assert "1393" in read["numbers"]
    body = {"domains": ["localpaper.example"], "numbers": ["1588-0000"]}
    saved = client.put(url, json=body, headers=auth(admin_token))
    assert saved.status_code == 200
    assert saved.json() == {"site": "news", **body}
    assert post(desk, "From the desk: https://localpaper.example/x") <= {"new_commenter"}


def test_the_api_refuses_an_entry_that_is_not_a_number(
    client: TestClient, admin_token: str, site_slug: str
) -> None:
    body = {"domains": [], "numbers": ["call me"]}
    response = client.put("/api/v1/admin/sites/news/vouched", json=body, headers=auth(admin_token))
    assert response.status_code == 422
    assert "'call me'" in response.json()["error"]["message"]

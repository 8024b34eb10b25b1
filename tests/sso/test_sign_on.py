"""Moderators sign in to the console through a real OpenID provider (oidc-provider).

Each test goes the whole way a browser goes: the console's "Sign in with" link, the
provider's own login and consent forms, and back, with real HTTP to the provider.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from commentdesk.desk import Desk
from commentdesk.model import Role
from commentdesk.store.tables import moderator_identities, staff_events
from tests.console.support import SESSION
from tests.sso.support import Person
from tests.support import PASSWORD, Clock

People = Callable[[], Person]
#: Where the TestClient keeps the console's cookies, and the flow cookie's path.
HOST, FLOW = "testserver.local", "/console/login/sso"


def _account(desk: Desk, name: str) -> tuple[Role, tuple[int, ...]]:
    found = next(p for p in desk.staff.people() if p.moderator.name == name)
    return found.moderator.role, found.site_ids


def _actions(desk: Desk) -> list[str]:
    with desk.context.store.read() as connection:
        return list(
            connection.execute(
                sa.select(staff_events.c.action).order_by(staff_events.c.id)
            ).scalars()
        )


def test_a_newsroom_admin_signs_in_and_gets_an_admin_account(person: People, desk: Desk) -> None:
    someone = person()
    answer = someone.sign_in("jane", next="/console/audit")
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/console/audit"
    assert SESSION in someone.console.cookies
    assert someone.console.get("/console/audit").status_code == 200
    assert _account(desk, "jane") == (Role.ADMIN, ())
    assert _actions(desk) == ["account_added", "account_changed", "login"]


def test_groups_map_to_a_moderator_scoped_to_their_sites(
    person: People, desk: Desk, sites: dict[str, int]
) -> None:
    assert person().sign_in("minji").status_code == 303
    assert person().sign_in("sports").status_code == 303
    assert _account(desk, "minji") == (Role.MODERATOR, (sites["ko"],))
    assert _account(desk, "sports") == (Role.MODERATOR, tuple(sorted(sites.values())))


def test_signing_in_again_uses_the_same_account_and_no_new_event_but_the_sign_in(
    person: People, desk: Desk
) -> None:
    person().sign_in("minji")
    before = _actions(desk)
    assert person().sign_in("minji").status_code == 303
    assert _actions(desk) == [*before, "login"]
    assert [p.moderator.name for p in desk.staff.people()] == ["minji"]


def test_a_password_account_of_the_same_name_is_linked_and_takes_the_groups_role(
    person: People, desk: Desk
) -> None:
    desk.accounts.add_moderator("jane", PASSWORD, Role.MODERATOR)
    assert person().sign_in("jane").status_code == 303
    assert _account(desk, "jane") == (Role.ADMIN, ())
    assert "account_linked" in _actions(desk)
    with desk.context.store.read() as connection:
        linked = connection.execute(sa.select(moderator_identities.c.subject)).scalars().all()
    assert linked == ["jane"]


def test_someone_in_no_console_group_is_refused_with_what_to_do(person: People, desk: Desk) -> None:
    answer = person().sign_in("sam")
    assert answer.status_code == 403
    assert "none of the groups" in answer.text
    assert desk.staff.people() == []


def test_a_wrong_state_is_refused(person: People, desk: Desk) -> None:
    someone = person()
    callback = someone.log_in_at_provider(someone.leave_for_provider(), "jane")
    forged = callback.replace("state=", "state=x", 1)
    answer = someone.come_back(forged)
    assert answer.status_code == 401
    assert "another sign-in" in answer.text
    assert SESSION not in someone.console.cookies
    assert desk.staff.people() == []


def test_a_replayed_code_is_refused_by_the_console_and_by_the_provider(
    person: People, desk: Desk
) -> None:
    someone = person()
    callback = someone.log_in_at_provider(someone.leave_for_provider(), "jane")
    flow = someone.console.cookies.get("cd_sso", path=FLOW)
    assert flow is not None
    assert someone.come_back(callback).status_code == 303
    # The same browser again: its flow was used up.
    again = someone.come_back(callback)
    assert again.status_code == 401
    assert "No sign-in is under way" in again.text
    # With the flow's cookie kept (a copy of it stolen): the provider refuses the code.
    thief = person()
    thief.console.cookies.set("cd_sso", flow, domain=HOST, path=FLOW)
    stolen = thief.come_back(callback)
    assert stolen.status_code == 401
    assert "already used" in stolen.text
    assert SESSION not in thief.console.cookies


def test_a_wrong_nonce_is_refused(person: People, desk: Desk) -> None:
    """The browser's flow is changed to remember another nonce than the one sent."""
    someone = person()
    callback = someone.log_in_at_provider(someone.leave_for_provider(), "jane")
    sealer = URLSafeTimedSerializer(desk.context.secret, salt="console-sign-on")
    flow = sealer.loads(someone.console.cookies.get("cd_sso", path=FLOW) or "")
    forged = sealer.dumps(flow | {"nonce": "another"})
    someone.console.cookies.set("cd_sso", forged, domain=HOST, path=FLOW)
    answer = someone.come_back(callback)
    assert answer.status_code == 401
    assert "nonce" in answer.text
    assert desk.staff.people() == []


def test_an_expired_id_token_is_refused(person: People, desk: Desk, clock: Clock) -> None:
    someone = person()
    callback = someone.log_in_at_provider(someone.leave_for_provider(), "jane")
    clock.advance(hours=2)  # the provider's ID tokens last an hour
    answer = someone.come_back(callback)
    assert answer.status_code == 401
    assert "had expired" in answer.text
    assert desk.staff.people() == []


def test_an_answer_the_person_cancelled_at_the_provider_is_a_sign_in_page(
    person: People,
) -> None:
    someone = person()
    state = parse_qs(urlsplit(someone.leave_for_provider()).query)["state"][0]
    query = urlencode({"error": "access_denied", "state": state})
    answer = someone.console.get(f"/console/login/sso/callback?{query}")
    assert answer.status_code == 401
    assert "cancelled or refused" in answer.text
    assert 'id="sign-in-provider"' in answer.text


def test_an_account_an_admin_disabled_cannot_sign_in_through_the_provider(
    person: People, desk: Desk
) -> None:
    person().sign_in("minji")
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    minji = next(p for p in desk.staff.people() if p.moderator.name == "minji")
    desk.staff.update(chief, minji.moderator.id, role=Role.MODERATOR, disabled=True, site_ids=())
    answer = person().sign_in("minji")
    assert answer.status_code == 403
    assert "disabled" in answer.text


def test_an_account_made_by_the_provider_has_no_password_to_change(person: People) -> None:
    someone = person()
    someone.sign_in("jane")
    page = someone.console.get("/console/account").text
    assert "You sign in with Newsroom ID" in page
    assert 'name="current_password"' not in page


def test_a_disabled_password_account_of_the_same_name_is_not_linked_nor_doubled(
    person: People, desk: Desk
) -> None:
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    jane = desk.accounts.add_moderator("jane", PASSWORD, Role.MODERATOR)
    desk.staff.update(chief, jane.id, role=Role.MODERATOR, disabled=True, site_ids=())
    assert person().sign_in("jane").status_code == 403
    assert [p.moderator.name for p in desk.staff.people()] == ["chief", "jane"]

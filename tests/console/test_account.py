"""One's own account and the people page: passwords, API tokens, roles, disabling."""

from __future__ import annotations

import re

from commentdesk.desk import Desk
from tests.console.support import SESSION, Browser, send
from tests.support import PASSWORD, auth

NEW = "a brand new password"


def test_changing_ones_password_needs_the_current_one(browser: Browser) -> None:
    answer = send(
        browser("mina"),
        "/console/account/password",
        {"current_password": "not it at all", "password": NEW, "password_again": NEW},
    )
    assert answer.status_code == 422
    assert "current password is not right" in answer.text


def test_changing_ones_password_signs_out_the_other_sessions(browser: Browser) -> None:
    here, elsewhere = browser("mina"), browser("mina")
    answer = send(
        here,
        "/console/account/password",
        {"current_password": PASSWORD, "password": NEW, "password_again": NEW},
    )
    assert answer.status_code == 303
    assert here.get("/console", follow_redirects=False).status_code == 200
    assert elsewhere.get("/console", follow_redirects=False).status_code == 303


def test_a_token_made_in_the_console_is_shown_once_and_works(
    browser: Browser, article_key: str
) -> None:
    client = browser("mina")
    page = send(client, "/console/account/tokens", {"label": "nightly export"}).text
    token = re.search(r'id="new-token">([^<]+)<', page)
    assert token
    assert browser(None).get("/api/v1/moderation/queue", headers=auth(token.group(1))).is_success
    assert token.group(1) not in client.get("/console/account").text
    assert "nightly export" in client.get("/console/account").text


def test_a_revoked_token_no_longer_opens_the_api(browser: Browser, desk: Desk) -> None:
    token = desk.accounts.create_token("mina", "old script")
    token_id = desk.staff.tokens(desk.accounts.get("mina"))[0].id
    send(browser("mina"), f"/console/tokens/{token_id}/revoke")
    assert browser(None).get("/api/v1/moderation/queue", headers=auth(token)).status_code == 401


def test_a_moderator_cannot_revoke_someone_elses_token(browser: Browser, desk: Desk) -> None:
    desk.accounts.create_token("nora", "hers")
    token_id = desk.staff.tokens(desk.accounts.get("nora"))[0].id
    assert send(browser("mina"), f"/console/tokens/{token_id}/revoke").status_code == 404


def test_an_admin_adds_a_moderator_scoped_to_a_site(browser: Browser, desk: Desk) -> None:
    answer = send(
        browser("chief"),
        "/console/people",
        {"name": "pia", "password": "a long password", "role": "moderator", "sites": ["2"]},
    )
    assert answer.status_code == 303
    pia = next(p for p in desk.staff.people() if p.moderator.name == "pia")
    assert pia.site_ids == (2,)


def test_disabling_an_account_ends_its_sessions_at_once(
    browser: Browser, people: dict[str, int]
) -> None:
    mina = browser("mina")
    send(
        browser("chief"),
        f"/console/people/{people['mina']}",
        {"role": "moderator", "disabled": "on"},
    )
    assert mina.get("/console", follow_redirects=False).status_code == 303
    assert (
        send(browser(None), "/console/login", {"name": "mina", "password": PASSWORD}).status_code
        == 401
    )


def test_an_admin_cannot_lock_themselves_out(browser: Browser, people: dict[str, int]) -> None:
    answer = send(
        browser("chief"), f"/console/people/{people['chief']}", {"role": "admin", "disabled": "on"}
    )
    assert answer.status_code == 422
    assert "your own account" in answer.text


def test_the_console_never_shows_a_session_id(browser: Browser) -> None:
    client = browser("mina")
    assert client.cookies[SESSION] not in client.get("/console/account").text

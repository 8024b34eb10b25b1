"""Signing in and out of the console: sessions, cookies, throttling."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.desk.sessions import ACCOUNT_FAILURES_MAX
from commentdesk.store.tables import console_sessions, login_failures
from tests.conftest import PASSWORD, Clock
from tests.console.conftest import SESSION, Browser, csrf_of, send, sign_in


def _try(client: TestClient, name: str, password: str) -> int:
    answer = send(client, "/console/login", {"name": name, "password": password})
    return answer.status_code


def test_the_console_sends_a_visitor_without_a_session_to_the_sign_in_form(
    browser: Browser,
) -> None:
    answer = browser(None).get("/console", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=/console"


def test_signing_in_sets_an_httponly_lax_session_cookie(browser: Browser) -> None:
    client = browser(None)
    answer = send(client, "/console/login", {"name": "mina", "password": PASSWORD})
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(SESSION))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_when_the_site_says_so(desk: Desk, people: object) -> None:
    from commentdesk.web import create_app

    settings = desk.context.settings.model_copy(update={"cookie_secure": True})
    with TestClient(create_app(settings, desk=desk), base_url="https://testserver") as client:
        answer = send(client, "/console/login", {"name": "mina", "password": PASSWORD})
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(SESSION))
    assert "Secure" in cookie


def test_only_a_hash_of_the_session_id_is_stored(browser: Browser, desk: Desk) -> None:
    client = browser("mina")
    session_id = client.cookies[SESSION]
    with desk.context.store.read() as connection:
        stored = list(connection.execute(sa.select(console_sessions.c.id_hash)).scalars())
    assert session_id not in stored
    assert len(stored) == 1


def test_signing_in_again_gives_a_new_session_id_and_ends_the_old_one(
    browser: Browser, desk: Desk
) -> None:
    client = browser("mina")
    first = client.cookies[SESSION]
    sign_in(client, "mina")
    assert client.cookies[SESSION] != first
    assert desk.sessions.moderator_for(first) is None


def test_a_wrong_password_shows_the_form_again_with_the_name_kept(browser: Browser) -> None:
    answer = send(browser(None), "/console/login", {"name": "mina", "password": "wrong one!"})
    assert answer.status_code == 401
    assert "do not match" in answer.text
    assert 'value="mina"' in answer.text


def test_sign_in_without_the_csrf_token_is_refused(browser: Browser) -> None:
    client = browser(None)
    client.get("/console/login")
    answer = client.post("/console/login", data={"name": "mina", "password": PASSWORD})
    assert answer.status_code == 403
    assert SESSION not in client.cookies


def test_too_many_failures_lock_the_account_even_with_the_right_password(
    browser: Browser,
) -> None:
    client = browser(None)
    for _ in range(ACCOUNT_FAILURES_MAX):
        assert _try(client, "mina", "not the password") == 401
    answer = send(client, "/console/login", {"name": "mina", "password": PASSWORD})
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in answer.text


def test_the_lock_lifts_after_a_quarter_of_an_hour(browser: Browser, clock: Clock) -> None:
    client = browser(None)
    for _ in range(ACCOUNT_FAILURES_MAX):
        _try(client, "mina", "not the password")
    clock.advance(minutes=16)
    assert _try(client, "mina", PASSWORD) == 303


def test_failures_are_counted_under_keyed_hashes_never_the_address(
    browser: Browser, desk: Desk, clock: Clock
) -> None:
    client = browser(None)
    _try(client, "mina", "not the password")
    clock.advance(days=1)
    _try(client, "mina", "not the password")
    with desk.context.store.read() as connection:
        keys = list(connection.execute(sa.select(login_failures.c.key_hash)).scalars())
    assert not any("testclient" in key or "mina" in key for key in keys)
    assert len(set(keys)) == 3  # one account key, and the address under two daily salts


def test_signing_out_ends_the_session(browser: Browser) -> None:
    client = browser("mina")
    session_id = client.cookies[SESSION]
    assert send(client, "/console/logout").status_code == 303
    client.cookies.set(SESSION, session_id)
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_a_session_ends_after_hours_without_use(browser: Browser, clock: Clock) -> None:
    client = browser("mina")
    clock.advance(hours=5)
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_the_login_page_carries_a_csrf_field(browser: Browser) -> None:
    assert csrf_of(browser(None).get("/console/login").text)

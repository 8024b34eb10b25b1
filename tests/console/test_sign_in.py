"""Signing in and out of the console: sessions, cookies, throttling."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.desk.login_throttle import ACCOUNT_BUSY, FIRST_WAIT, PAIR_FREE
from commentdesk.settings import Settings
from commentdesk.store.tables import console_sessions, login_failures, meta
from commentdesk.web import create_app
from tests.console.support import SESSION, Browser, csrf_of, send, sign_in
from tests.support import PASSWORD, Clock

At = Callable[[str], TestClient]


def _try(client: TestClient, name: str, password: str) -> int:
    answer = send(client, "/console/login", {"name": name, "password": password})
    return answer.status_code


@pytest.fixture
def at(settings: Settings, desk: Desk, people: object) -> Iterator[At]:
    """Makes browsers that connect from a given address."""
    app = create_app(settings, desk=desk)
    clients: list[TestClient] = []

    def make(address: str) -> TestClient:
        client = TestClient(app, client=(address, 50000))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


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


def test_an_address_that_keeps_failing_must_wait_even_with_the_right_password(at: At) -> None:
    client = at("203.0.113.9")
    for _ in range(PAIR_FREE + 1):
        assert _try(client, "mina", "not the password") == 401
    answer = send(client, "/console/login", {"name": "mina", "password": PASSWORD})
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in answer.text


def test_the_wait_lifts_after_it_has_passed(at: At, clock: Clock) -> None:
    client = at("203.0.113.9")
    for _ in range(PAIR_FREE + 1):
        _try(client, "mina", "not the password")
    clock.advance(seconds=FIRST_WAIT.total_seconds())
    assert _try(client, "mina", PASSWORD) == 303


def test_each_further_failure_doubles_the_wait(at: At, clock: Clock) -> None:
    client = at("203.0.113.9")
    for _ in range(PAIR_FREE + 1):
        _try(client, "mina", "not the password")
    clock.advance(seconds=FIRST_WAIT.total_seconds())
    assert _try(client, "mina", "not the password") == 401
    clock.advance(seconds=FIRST_WAIT.total_seconds())
    assert _try(client, "mina", PASSWORD) == 429
    clock.advance(seconds=FIRST_WAIT.total_seconds())
    assert _try(client, "mina", PASSWORD) == 303


def test_failures_from_one_address_do_not_keep_the_owner_out_from_another(at: At) -> None:
    stranger = at("198.51.100.7")
    for _ in range(5):
        _try(stranger, "chief", "not the password")
    assert _try(stranger, "chief", PASSWORD) == 429
    assert _try(at("192.0.2.1"), "chief", PASSWORD) == 303


def test_an_account_failing_from_many_addresses_still_admits_a_clean_address(
    at: At, clock: Clock
) -> None:
    for n in range(ACCOUNT_BUSY * 3):
        assert _try(at(f"198.51.100.{n + 1}"), "mina", "not the password") == 401
    assert _try(at("192.0.2.1"), "mina", PASSWORD) == 303


def test_an_account_failing_from_many_addresses_gives_failed_addresses_no_free_tries(
    at: At,
) -> None:
    for n in range(ACCOUNT_BUSY):
        _try(at(f"198.51.100.{n + 1}"), "mina", "not the password")
    again = at("198.51.100.1")
    assert _try(again, "mina", PASSWORD) == 429


def test_failures_are_counted_under_keyed_hashes_never_the_address(
    at: At, desk: Desk, clock: Clock
) -> None:
    client = at("127.0.0.1")
    _try(client, "mina", "not the password")
    clock.advance(days=1)
    _try(client, "mina", "not the password")
    with desk.context.store.read() as connection:
        keys = list(connection.execute(sa.select(login_failures.c.key_hash)).scalars())
    assert not any("127.0.0.1" in key or "mina" in key for key in keys)
    assert len(keys) == 3  # yesterday's rows are gone: account, address and pair of today


def _recoverable(desk: Desk, address: str, keys: set[str], days: list[str]) -> bool:
    """Whether someone holding the database file (meta secret and salt included) and the
    secret can match ``address`` to a stored key, by any hashing the desk has used."""
    with desk.context.store.read() as connection:
        values = [str(v) for v in connection.execute(sa.select(meta.c.value)).scalars()]
    secrets = [desk.context.secret, *(v.encode() for v in values)]
    salts = secrets + [
        hmac.new(desk.context.secret, v.encode(), hashlib.sha256).digest() for v in values
    ]
    messages = [address, f"login-address\x00{address}", f"login-pair:mina\x00{address}"]
    messages += [f"login-address:{day}\x00{address}" for day in days]
    return any(
        hmac.new(salt, m.encode(), hashlib.sha256).hexdigest() in keys
        for salt in salts
        for m in messages
    )


def _stored_keys(desk: Desk) -> set[str]:
    with desk.context.store.read() as connection:
        return set(connection.execute(sa.select(login_failures.c.key_hash)).scalars())


def test_a_failed_address_cannot_be_matched_from_the_database_once_the_day_is_over(
    at: At, desk: Desk, clock: Clock
) -> None:
    days = [clock.now.date().isoformat(), (clock.now + timedelta(days=1)).date().isoformat()]
    _try(at("127.0.0.1"), "mina", "not the password")
    assert _recoverable(desk, "127.0.0.1", _stored_keys(desk), days)  # the test can see today
    clock.advance(days=1)
    _try(at("192.0.2.1"), "nora", "not the password")  # any later write
    assert not _recoverable(desk, "127.0.0.1", _stored_keys(desk), days)


def test_an_idle_server_forgets_failed_addresses_at_its_next_retention_run(
    at: At, desk: Desk, clock: Clock
) -> None:
    day = clock.now.date().isoformat()
    _try(at("127.0.0.1"), "mina", "not the password")
    clock.advance(days=1)
    desk.retention.purge()
    assert _stored_keys(desk) == set()
    with desk.context.store.read() as connection:
        values = [str(v) for v in connection.execute(sa.select(meta.c.value)).scalars()]
    assert not any(value.startswith(day) for value in values)


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


def test_the_sign_in_page_asks_robots_not_to_index_it(browser: Browser) -> None:
    page = browser(None).get("/console/login").text
    assert '<meta name="robots" content="noindex">' in page


def test_a_signed_in_page_has_no_robots_tag_as_no_robot_can_reach_it(browser: Browser) -> None:
    answer = browser("mina").get("/console")
    assert answer.status_code == 200
    assert 'name="robots"' not in answer.text
    assert "x-robots-tag" not in answer.headers

"""The console's sign-in page with single sign-on: the provider's button, passwords that
can be switched off, and a provider that does not answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Role
from commentdesk.settings import Settings
from commentdesk.web import create_app
from tests.console.support import SESSION, csrf_of
from tests.livesrv import free_port
from tests.sso.conftest import sso_settings
from tests.support import FAST_HASHER, PASSWORD, MakeSettings


@pytest.fixture
def browser(settings: Settings, desk: Desk) -> Iterator[TestClient]:
    with TestClient(create_app(settings, desk=desk)) as client:
        yield client


def _sign_in_with_password(client: TestClient) -> tuple[int, str]:
    page = client.get("/console/login").text
    answer = client.post(
        "/console/login",
        data={"csrf": csrf_of(page), "name": "chief", "password": PASSWORD},
        follow_redirects=False,
    )
    return answer.status_code, answer.text


def test_the_sign_in_page_offers_the_provider_and_passwords(browser: TestClient) -> None:
    page = browser.get("/console/login?next=/console/audit").text
    assert "Sign in with Newsroom ID" in page
    assert 'href="/console/login/sso?next=%2Fconsole%2Faudit"' in page
    assert 'name="password"' in page


def test_the_provider_s_button_speaks_korean(browser: TestClient) -> None:
    page = browser.get("/console/login", headers={"Accept-Language": "ko"}).text
    assert "Newsroom ID(으)로 로그인" in page


class TestPasswordsSwitchedOff:
    @pytest.fixture
    def settings(self, make_settings: MakeSettings, provider: object) -> Settings:
        issuer = getattr(provider, "issuer")  # noqa: B009 - the module's provider fixture
        return sso_settings(make_settings, issuer, console_password_sign_in=False)

    def test_the_page_offers_only_the_provider(self, browser: TestClient) -> None:
        page = browser.get("/console/login").text
        assert "Sign in with Newsroom ID" in page
        assert 'name="password"' not in page

    def test_a_password_sign_in_is_refused_with_what_to_do(
        self, browser: TestClient, desk: Desk
    ) -> None:
        desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
        status, text = _sign_in_with_password(browser)
        assert status == 403
        assert "does not take passwords: sign in with Newsroom ID" in text
        assert SESSION not in browser.cookies


class TestAProviderThatDoesNotAnswer:
    @pytest.fixture
    def settings(self, make_settings: MakeSettings) -> Settings:
        return sso_settings(make_settings, f"http://127.0.0.1:{free_port()}")

    def test_leaving_for_it_is_a_page_that_says_so(self, browser: TestClient) -> None:
        answer = browser.get("/console/login/sso", follow_redirects=False)
        assert answer.status_code == 502
        assert "did not answer the console as it should" in answer.text

    def test_password_sign_in_still_works(self, browser: TestClient, desk: Desk) -> None:
        desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
        assert _sign_in_with_password(browser)[0] == 303


def test_without_a_provider_the_page_has_no_button_and_its_addresses_are_missing(
    make_settings: MakeSettings,
) -> None:
    plain = make_settings()
    desk = Desk.open(plain, hasher=FAST_HASHER)
    try:
        with TestClient(create_app(plain, desk=desk)) as client:
            assert "Sign in with" not in client.get("/console/login").text
            assert client.get("/console/login/sso", follow_redirects=False).status_code == 404
    finally:
        desk.close()

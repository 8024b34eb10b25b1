"""The provider's groups to a console role and sites (pure), and the settings' checks."""

from __future__ import annotations

import pytest

from commentdesk.model import Role
from commentdesk.settings import GroupGrant, SettingsError, load_settings
from commentdesk.sso.grants import Grant, claim_values, grant_for

TABLE = {
    "chiefs": GroupGrant(role="admin"),
    "all-sites": GroupGrant(role="moderator"),
    "korean": GroupGrant(role="moderator", sites=("ko",)),
    "english": GroupGrant(role="moderator", sites=("news",)),
}


def test_no_known_group_gives_nothing() -> None:
    assert grant_for(("newsroom",), TABLE) is None


def test_admin_wins_over_moderator() -> None:
    assert grant_for(("korean", "chiefs"), TABLE) == Grant(Role.ADMIN, None)


def test_a_moderator_s_sites_add_up() -> None:
    assert grant_for(("korean", "english"), TABLE) == Grant(
        Role.MODERATOR, frozenset({"ko", "news"})
    )


def test_a_group_with_no_sites_gives_every_site() -> None:
    assert grant_for(("korean", "all-sites"), TABLE) == Grant(Role.MODERATOR, None)


@pytest.mark.parametrize(
    ("claims", "values"),
    [
        ({"groups": ["a", "b"]}, ("a", "b")),
        ({"groups": "a"}, ("a",)),
        ({"groups": ["a", 3, None]}, ("a",)),
        ({"groups": {"a": 1}}, ()),
        ({}, ()),
    ],
)
def test_the_claim_is_read_as_a_list_of_strings(
    claims: dict[str, object], values: tuple[str, ...]
) -> None:
    assert claim_values(claims, "groups") == values


SSO = {
    "public_url": "https://comments.example",
    "oidc_issuer": "https://login.example/realms/news",
    "oidc_client_id": "commentdesk",
    "oidc_groups": {"chiefs": {"role": "admin"}},
}


def test_a_complete_provider_setting_is_accepted() -> None:
    settings = load_settings(**SSO)
    assert settings.oidc_groups["chiefs"] == GroupGrant(role="admin")


@pytest.mark.parametrize("missing", ["oidc_client_id", "oidc_groups", "public_url"])
def test_an_issuer_without_what_it_needs_names_it(missing: str) -> None:
    with pytest.raises(SettingsError, match=missing):
        load_settings(**{name: value for name, value in SSO.items() if name != missing})


@pytest.mark.parametrize("issuer", ["http://login.example", "ftp://x", "https://x/?a=1"])
def test_an_issuer_that_is_not_https_or_not_plain_is_refused(issuer: str) -> None:
    with pytest.raises(SettingsError, match="oidc_issuer"):
        load_settings(**(SSO | {"oidc_issuer": issuer}))


def test_passwords_cannot_be_switched_off_without_a_provider() -> None:
    with pytest.raises(SettingsError, match="console_password_sign_in"):
        load_settings(console_password_sign_in=False)


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(SettingsError, match="oidc_groups"):
        load_settings(**(SSO | {"oidc_groups": {"chiefs": {"role": "owner"}}}))


def test_groups_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMENTDESK_OIDC_GROUPS", '{"k": {"role": "moderator", "sites": ["ko"]}}')
    settings = load_settings(**{k: v for k, v in SSO.items() if k != "oidc_groups"})
    assert settings.oidc_groups == {"k": GroupGrant(role="moderator", sites=("ko",))}

"""The provider's groups to a console role and sites (pure), and the settings' checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentdesk.model import Role
from commentdesk.settings import GroupGrant, SettingsError, load_settings
from commentdesk.sso.grants import Grant, claim_values, grant_for

TABLE = {
    "chiefs": GroupGrant(role="admin"),
    "all-sites": GroupGrant(role="moderator"),
    "korean": GroupGrant(role="moderator", sites=("ko",)),
    "english": GroupGrant(role="moderator", sites=("news",)),
    "sport": GroupGrant(role="moderator", sections=("news/sport", "ko/sport")),
    "english-politics": GroupGrant(role="moderator", sections=("news/politics",)),
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


def test_a_group_of_sections_only_gives_those_sections_not_every_site() -> None:
    assert grant_for(("sport",), TABLE) == Grant(
        Role.MODERATOR, frozenset(), frozenset({("news", "sport"), ("ko", "sport")})
    )


def test_a_moderator_s_sites_and_sections_add_up() -> None:
    assert grant_for(("korean", "english-politics", "sport"), TABLE) == Grant(
        Role.MODERATOR,
        frozenset({"ko"}),
        frozenset({("news", "politics"), ("news", "sport"), ("ko", "sport")}),
    )


def test_an_admin_group_wins_over_sections() -> None:
    assert grant_for(("sport", "chiefs"), TABLE) == Grant(Role.ADMIN, None)


_SLUGS = st.sampled_from(["news", "ko", "world"])
_GROUPS = st.builds(
    lambda sites, sections: GroupGrant(
        role="moderator", sites=tuple(sites), sections=tuple(f"{a}/{b}" for a, b in sections)
    ),
    st.lists(_SLUGS, max_size=2),
    st.lists(st.tuples(_SLUGS, st.sampled_from(["sport", "arts"])), max_size=2),
)


@given(st.lists(_GROUPS, min_size=1, max_size=4))
def test_a_moderators_scope_is_the_union_of_their_groups_or_everything(
    groups: list[GroupGrant],
) -> None:
    table = {f"g{n}": grant for n, grant in enumerate(groups)}
    grant = grant_for(tuple(table), table)
    assert grant is not None
    assert grant.role is Role.MODERATOR
    if any(not g.sites and not g.sections for g in groups):
        assert grant == Grant(Role.MODERATOR, None)
    else:
        assert grant.sites == frozenset(slug for g in groups for slug in g.sites)
        assert {"/".join(pair) for pair in grant.sections} == {
            path for g in groups for path in g.sections
        }


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


@pytest.mark.parametrize("path", ["sport", "news/Sport", "news/", "/sport", "news/sport/x"])
def test_a_section_not_written_site_slash_section_is_refused(path: str) -> None:
    groups = {"desk": {"role": "moderator", "sections": [path]}}
    with pytest.raises(SettingsError, match="site-slug/section-slug"):
        load_settings(**(SSO | {"oidc_groups": groups}))


def test_an_admin_group_naming_sites_or_sections_is_refused() -> None:
    groups = {"chiefs": {"role": "admin", "sections": ["news/sport"]}}
    with pytest.raises(SettingsError, match="an admin works on every site"):
        load_settings(**(SSO | {"oidc_groups": groups}))


def test_sections_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "COMMENTDESK_OIDC_GROUPS", '{"s": {"role": "moderator", "sections": ["news/sport"]}}'
    )
    settings = load_settings(**{k: v for k, v in SSO.items() if k != "oidc_groups"})
    assert settings.oidc_groups == {"s": GroupGrant(role="moderator", sections=("news/sport",))}

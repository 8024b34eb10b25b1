"""Single sign-on fixtures: a real OpenID provider, and a console configured for it.

The provider is started once per module (a test that rotates keys starts its own) and
stopped by the fixture's finaliser. The desk's clock is the real one here: the provider
stamps its tokens with real time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderation
from commentdesk.settings import Settings
from commentdesk.web import create_app
from tests.sso.support import APP, CLIENT_SECRET, Person, Provider, node_or_skip
from tests.support import Clock, MakeSettings

GROUPS = {
    "desk-admins": {"role": "admin"},
    "desk-korean": {"role": "moderator", "sites": ["ko"]},
    "desk-english": {"role": "moderator", "sites": ["news"]},
}


def sso_settings(make_settings: MakeSettings, issuer: str, **overrides: Any) -> Settings:
    fields: dict[str, Any] = {
        "public_url": APP,
        "oidc_issuer": issuer,
        "oidc_client_id": "commentdesk",
        "oidc_client_secret": CLIENT_SECRET,
        "oidc_provider_name": "Newsroom ID",
        "oidc_scopes": "openid profile groups",
        "oidc_groups": GROUPS,
    }
    return make_settings(**(fields | overrides))


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    started = Provider(node_or_skip(), tmp_path_factory.mktemp("idp") / "provider.log")
    yield started
    started.stop()


@pytest.fixture
def clock() -> Clock:
    real = Clock()
    real.now = datetime.now(UTC)
    return real


@pytest.fixture
def settings(make_settings: MakeSettings, provider: Provider) -> Settings:
    return sso_settings(make_settings, provider.issuer)


@pytest.fixture
def sites(desk: Desk) -> dict[str, int]:
    """The English site "news" and the Korean site "ko"."""
    news = desk.catalog.ensure_site("news", name="The News", moderation=Moderation.PRE)
    ko = desk.catalog.ensure_site("ko", name="뉴스", language="ko", moderation=Moderation.PRE)
    return {"news": news.id, "ko": ko.id}


@pytest.fixture
def person(settings: Settings, desk: Desk, sites: object) -> Iterator[Callable[[], Person]]:
    """Makes browsers (each with its own cookies) on one console app."""
    app = create_app(settings, desk=desk)
    made: list[tuple[TestClient, Person]] = []

    def make() -> Person:
        client = TestClient(app)
        client.__enter__()
        made.append((client, Person(client)))
        return made[-1][1]

    yield make
    for client, someone in made:
        someone.close()
        client.__exit__(None, None, None)

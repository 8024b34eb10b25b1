"""A site that vouches for its subscribers with the HS256 secret of ``tokens.SECRET``."""

from __future__ import annotations

import pytest

from commentdesk.desk import Desk
from commentdesk.model import Role
from tests.subscribers.tokens import SECRET, token
from tests.support import PASSWORD, Clock


@pytest.fixture
def vouching(desk: Desk, article_key: str) -> str:
    """The article of a site ("news") whose admin pinned HS256 with ``SECRET``."""
    chief = desk.accounts.add_moderator("boss", PASSWORD, Role.ADMIN)
    site_id = next(site.id for site in desk.catalog.sites() if site.slug == "news")
    desk.subscribers.save(chief, site_id, algorithm="HS256", key=SECRET)
    return article_key


@pytest.fixture
def fresh(clock: Clock) -> str:
    """A token for reader-42 ("Subscriber Kim") of "news", issued now."""
    return token("news", at=clock.now)

"""Fixtures for notices: a moderator, a published comment, a filled-in notice."""

from __future__ import annotations

import pytest

from commentdesk.desk import Desk
from commentdesk.model import Moderator, Role
from commentdesk.notices import NoticeDraft
from tests.support import PASSWORD, submit_comment


@pytest.fixture
def editor(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("editor", PASSWORD, Role.MODERATOR)


@pytest.fixture
def published(desk: Desk, editor: Moderator, article_key: str) -> int:
    """A published comment by Mina on the test's article."""
    text = "They should all be driven out of the country, by force if need be."
    return submit_comment(desk, text, key=article_key, author="Mina", approve_as=editor)


@pytest.fixture
def draft() -> NoticeDraft:
    return NoticeDraft(
        category="hate",
        law="Germany, §130 StGB",
        explanation="The comment calls for a group to be driven out by force.",
        name="Jana Novak",
        email="jana@example.org",
        exempt=False,
        good_faith=True,
    )

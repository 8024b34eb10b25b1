"""The per-process cache of rendered threads never serves a stale thread."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.model import Action
from commentdesk.web.reader.threadcache import ThreadCache
from tests.support import PASSWORD

URL = "/api/v1/articles/a1/comments"


def test_the_least_recently_read_thread_is_dropped_first() -> None:
    cache = ThreadCache(size=2)
    cache.put(1, ("a", "", ""), b"1")
    cache.put(2, ("b", "", ""), b"2")
    assert cache.get(1, ("a", "", "")) == b"1"
    cache.put(3, ("c", "", ""), b"3")
    assert cache.get(2, ("b", "", "")) is None
    assert cache.get(1, ("a", "", "")) == b"1"


def test_a_new_version_of_a_thread_replaces_the_old_one() -> None:
    cache = ThreadCache()
    cache.put(1, ("v1", "", ""), b"old words")
    cache.put(1, ("v2", "", ""), b"new words")
    assert cache.get(1, ("v1", "", "")) is None
    assert cache.bodies() == [b"new words"]


@pytest.mark.usefixtures("article_key")
def test_a_decision_is_seen_on_the_next_read(client: TestClient, desk: Desk) -> None:
    chief = desk.accounts.add_moderator("cache", PASSWORD)
    first = client.get(URL).content
    assert client.get(URL).content == first  # served from the cache
    comment = desk.comments.submit("a1", Draft(author="R", body="hello", accept_terms=True))
    desk.moderation.decide(chief, comment.comment.id, Action.APPROVE)
    assert [c["body"] for c in client.get(URL).json()["comments"]] == ["hello"]
    desk.moderation.decide(chief, comment.comment.id, Action.EDIT, body="edited", reason="r")
    assert [c["body"] for c in client.get(URL).json()["comments"]] == ["edited"]

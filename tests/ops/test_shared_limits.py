"""Two ``commentdesk serve`` processes on one PostgreSQL database and one Redis share
their rate limits: a commenter's budget is spent wherever their posts land."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import redis

from tests.livesrv import NO_LIMITS, two_servers
from tests.throttle.test_redis import redis_url  # noqa: F401  (a fixture, used by name)

pytestmark = pytest.mark.slow

#: Only this test uses this Redis database, so it may empty it; the others use 0.
REDIS_DB = 5
COMMENT = {"author": "Flood", "body": "again", "accept_terms": True}


@pytest.fixture
def shared_redis(redis_url: str) -> Iterator[str]:  # noqa: F811  (the imported fixture)
    """``redis_url`` pointed at a database of our own, emptied before and after."""
    url = redis_url.rsplit("/", 1)[0] + f"/{REDIS_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def servers(database_url: str, shared_redis: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = {
        **NO_LIMITS,
        "COMMENTDESK_RATE_COMMENTER": "4/600",
        "COMMENTDESK_REDIS_URL": shared_redis,
    }
    with two_servers(database_url, tmp_path, env=env) as bases:
        yield bases


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
@pytest.mark.usefixtures("article_key")
def test_a_commenters_fifth_post_is_refused_by_whichever_process_gets_it(
    servers: tuple[str, str],
) -> None:
    mine = {"X-Commenter-Key": secrets.token_urlsafe(24)}
    statuses = []
    for n in range(6):  # a, b, a, b, then the fifth to a and the sixth to b
        url = f"{servers[n % 2]}/api/v1/articles/a1/comments"
        statuses.append(httpx2.post(url, json=COMMENT, headers=mine, timeout=20).status_code)
    assert statuses == [202] * 4 + [429] * 2

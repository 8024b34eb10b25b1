"""Two ``commentdesk serve`` processes on one database behave as one service.

The app keeps no state of its own between requests: what one process decides, the
other shows at once, and a decision sent to both is made exactly once. (Rate limits
shared through Redis: tests/ops/test_shared_limits.py.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa

from commentdesk.desk import Desk, Draft
from commentdesk.store.tables import events
from tests.livesrv import two_servers
from tests.support import auth

pytestmark = pytest.mark.slow


@pytest.fixture
def servers(database_url: str, desk: Desk, tmp_path: Path) -> Iterator[tuple[str, str]]:
    with two_servers(database_url, tmp_path) as bases:
        yield bases


def pending(desk: Desk, key: str, body: str) -> int:
    return desk.comments.submit(key, Draft(author="Ana", body=body, accept_terms=True)).comment.id


def race(servers: tuple[str, str], comment: int, token: str) -> list[int]:
    """Sends the same approval to both processes at the same moment; returns the statuses."""
    statuses: list[int] = []
    start = threading.Barrier(len(servers))

    def decide(base: str) -> None:
        start.wait()
        response = httpx2.post(
            f"{base}/api/v1/moderation/comments/{comment}/approve",
            json={},
            headers=auth(token),
            timeout=20,
        )
        statuses.append(response.status_code)

    racers = [threading.Thread(target=decide, args=(base,)) for base in servers]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    return statuses


def test_a_decision_on_one_process_is_seen_on_the_other_at_once(
    servers: tuple[str, str], desk: Desk, article_key: str, moderator_token: str
) -> None:
    one, other = servers
    comment = pending(desk, article_key, "Seen everywhere")
    thread = f"{other}/api/v1/articles/{article_key}/comments"
    before = httpx2.get(thread)
    decided = httpx2.post(
        f"{one}/api/v1/moderation/comments/{comment}/approve",
        json={},
        headers=auth(moderator_token),
    )
    assert decided.status_code == 200
    after = httpx2.get(thread, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert [c["body"] for c in after.json()["comments"]] == ["Seen everywhere"]


def test_the_same_decision_sent_to_both_is_made_once_and_refused_once(
    servers: tuple[str, str], desk: Desk, article_key: str, moderator_token: str
) -> None:
    ids = [pending(desk, article_key, f"Raced {n}") for n in range(8)]
    for comment in ids:
        assert sorted(race(servers, comment, moderator_token)) == [200, 409]
    with desk.context.store.read() as connection:
        approvals = connection.execute(
            sa.select(events.c.comment_id, sa.func.count())
            .where(events.c.action == "approve")
            .group_by(events.c.comment_id)
        ).all()
    assert {row[0]: row[1] for row in approvals} == dict.fromkeys(ids, 1)

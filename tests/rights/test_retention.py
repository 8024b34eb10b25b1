"""Retention and the privacy page: what the server forgets by itself, and says it does."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Moderator
from commentdesk.settings import Settings
from commentdesk.store.tables import comments, events, subscribers
from commentdesk.web import create_app
from tests.support import Clock, Post


def row(desk: Desk, comment_id: int) -> sa.RowMapping:
    with desk.context.store.read() as connection:
        query = sa.select(comments).where(comments.c.id == comment_id)
        return connection.execute(query).mappings().one()


def test_rejected_text_is_purged_after_the_retention_period(
    desk: Desk, post: Post, editor: Moderator, approve: Callable[[int], None], clock: Clock
) -> None:
    rejected = post("Spam spam spam.")
    kept = post("A fine comment.")
    desk.moderation.decide(editor, rejected, Action.REJECT, reason="spam")
    approve(kept)
    clock.advance(days=29)
    assert desk.retention.purge().texts == 0
    clock.advance(days=2)
    assert desk.retention.purge().texts == 1
    assert (row(desk, rejected)["body"], row(desk, rejected)["text_removed"]) == ("", "retention")
    assert row(desk, kept)["body"] == "A fine comment."
    with desk.context.store.read() as connection:
        texts = connection.execute(
            sa.select(events.c.after_text).where(events.c.comment_id == rejected)
        ).scalars()
        assert set(texts) == {None}
    assert desk.retention.purge().texts == 0  # idempotent


def test_the_retention_purge_removes_the_quoted_words_and_links_of_the_assessment(
    desk: Desk, post: Post, editor: Moderator, clock: Clock
) -> None:
    rejected = post("This is shit, see https://kimjisoo-hyesan.example.com/x for more.")
    desk.moderation.decide(editor, rejected, Action.REJECT, reason="spam")
    before = row(desk, rejected)["assessment"]["reasons"]
    assert "'shit'" in str(before)
    assert "kimjisoo" in str(before)
    clock.advance(days=31)
    assert desk.retention.purge().texts == 1
    after = row(desk, rejected)["assessment"]["reasons"]
    assert [r["code"] for r in after] == [r["code"] for r in before]
    assert "shit" not in str(after)
    assert "kimjisoo" not in str(after)


def test_addresses_are_forgotten_after_their_period(desk: Desk, post: Post, clock: Clock) -> None:
    old = post(email="old@reader.example")
    clock.advance(days=181)
    fresh = post(email="fresh@reader.example")
    purged = desk.retention.purge()
    assert purged.addresses == 1
    assert row(desk, old)["email"] is None
    assert row(desk, fresh)["email"] == "fresh@reader.example"
    with desk.context.store.read() as connection:
        emails = set(connection.execute(sa.select(subscribers.c.email)).scalars())
    assert emails == {"fresh@reader.example"}


def test_the_privacy_page_follows_the_settings(settings: Settings, desk: Desk) -> None:
    changed = settings.model_copy(
        update={"retention_rejected_days": 7, "retention_email_days": None}
    )
    with TestClient(create_app(changed, desk=desk)) as client:
        page = client.get("/privacy").text
    assert "removed 7 days later" in page
    assert "kept until you erase it" in page
    assert "one-click unsubscribe" in page  # mail is on in these tests


@pytest.mark.usefixtures("article_key")
def test_the_thread_links_to_the_privacy_page(client: TestClient) -> None:
    page = client.get("/articles/a1").text
    assert 'href="/privacy"' in page
    privacy = client.get("/privacy")
    assert privacy.status_code == 200
    assert "never written to disk" in privacy.text.lower()


def test_two_processes_purging_at_once_write_one_purge_event_per_comment(
    desk: Desk,
    settings: Settings,
    post: Post,
    editor: Moderator,
    clock: Clock,
) -> None:
    rejected = [post(f"Spam number {n}.") for n in range(120)]
    for comment_id in rejected:
        desk.moderation.decide(editor, comment_id, Action.REJECT, reason="spam")
    clock.advance(days=31)
    other = Desk.open(settings, clock=clock)  # a second worker on the same database
    start = threading.Barrier(2)

    def purge(which: Desk) -> int:
        start.wait()
        return which.retention.purge().texts

    try:
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(purge, (desk, other)))
    finally:
        other.close()
    assert sum(done) == len(rejected)
    with desk.context.store.read() as connection:
        purges = connection.execute(
            sa.select(events.c.comment_id).where(events.c.action == Action.PURGE.value)
        ).scalars()
        assert sorted(purges) == sorted(rejected)

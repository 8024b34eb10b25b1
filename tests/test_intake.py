"""Posts that wait for the write lock together are stored together (``desk/intake.py``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from commentdesk.desk import Desk, Draft
from commentdesk.errors import ArticleClosed
from commentdesk.model import Submitted
from commentdesk.store.tables import articles, assessments_due, comments, events

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@contextmanager
def statements(desk: Desk) -> Iterator[list[str]]:
    """The SQL the desk's writer runs meanwhile."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    engine = desk.context.store.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def submit_together(
    desk: Desk, posts: list[tuple[str, str]], meanwhile: Callable[[sa.Connection], None]
) -> dict[str, Submitted | Exception]:
    """Submits ``(article, body)`` posts while a write (``meanwhile``) holds the lock, so
    they wait for it together; answers each body's result."""
    store = desk.context.store
    together = store._together
    assert together is not None
    inside, release = threading.Event(), threading.Event()

    def hold(connection: sa.Connection) -> None:
        meanwhile(connection)
        inside.set()
        release.wait(5)

    results: dict[str, Submitted | Exception] = {}

    def post(key: str, body: str) -> None:
        try:
            results[body] = desk.comments.submit(key, Draft("Reader", body, True))
        except Exception as exc:
            results[body] = exc

    holder = threading.Thread(target=store.write_together, args=(hold,))
    holder.start()
    inside.wait(5)
    threads = [threading.Thread(target=post, args=post_args) for post_args in posts]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while len(together._waiting) < len(posts) and time.monotonic() < deadline:
        time.sleep(0.001)
    release.set()
    for thread in [holder, *threads]:
        thread.join()
    return results


def test_posts_waiting_together_are_stored_by_one_insert_with_their_events_and_queue_rows(
    desk: Desk, article_key: str
) -> None:
    bodies = [f"Post number {n} about the story." for n in range(5)]
    with statements(desk) as seen:
        results = submit_together(desk, [(article_key, b) for b in bodies], lambda c: None)
    stored = [results[b] for b in bodies]
    assert all(isinstance(r, Submitted) for r in stored)
    ids = {r.comment.id for r in stored if isinstance(r, Submitted)}
    assert len(ids) == 5
    assert sum("INSERT INTO comments" in s for s in seen) == 1
    with desk.context.store.read() as connection:
        queued = set(connection.execute(sa.select(assessments_due.c.comment_id)).scalars())
        submitted = set(
            connection.execute(
                sa.select(events.c.comment_id).where(events.c.action == "submit")
            ).scalars()
        )
        bodies_stored = set(
            connection.execute(sa.select(comments.c.body).where(comments.c.id.in_(ids))).scalars()
        )
    assert ids <= queued
    assert ids <= submitted
    assert bodies_stored == set(bodies)


def test_a_post_to_an_article_closed_while_it_waited_is_refused_alone(
    desk: Desk, site_slug: str
) -> None:
    for key in ("open", "closing"):
        desk.catalog.add_article(site_slug, key, url=f"https://news.example/{key}", title=key)

    def close(connection: sa.Connection) -> None:
        connection.execute(
            articles.update().where(articles.c.key == "closing").values(is_open=False)
        )

    results = submit_together(
        desk, [("open", "Stays."), ("closing", "Too late."), ("open", "Also stays.")], close
    )
    assert isinstance(results["Too late."], ArticleClosed)
    kept = [results["Stays."], results["Also stays."]]
    assert all(isinstance(r, Submitted) for r in kept)
    with desk.context.store.read() as connection:
        bodies = set(connection.execute(sa.select(comments.c.body)).scalars())
    assert {"Stays.", "Also stays."} <= bodies
    assert "Too late." not in bodies

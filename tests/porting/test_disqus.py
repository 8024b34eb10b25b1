"""Disqus exports, on the real files kept by Isso and Remark42."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from commentdesk.desk import Desk
from commentdesk.porting.disqus import DELETED_THREAD
from commentdesk.porting.records import UnreadableSource
from commentdesk.porting.staging import NO_THREAD
from commentdesk.store.tables import articles, events
from tests.porting.support import FIXTURES, imported, repaired, run, snapshot

ISSO = FIXTURES / "isso-tests" / "disqus.xml"


def test_every_post_with_a_known_thread_is_imported(desk: Desk) -> None:
    summary = run(desk, "disqus", ISSO)
    assert summary.tally.imported == 5
    assert summary.tally.articles_created == 2
    assert summary.tally.skipped == {NO_THREAD: 1}  # post 6 names thread 1337


def test_replies_keep_their_parents_even_a_deleted_one(desk: Desk) -> None:
    run(desk, "disqus", ISSO)
    found = imported(desk)
    assert found["5"]["parent_id"] == found["4"]["id"]
    assert found["11"]["parent_id"] == found["9"]["id"]
    assert (found["5"]["depth"], found["4"]["depth"]) == (1, 0)


def test_deleted_posts_are_kept_as_deleted_and_the_rest_published(desk: Desk) -> None:
    run(desk, "disqus", ISSO)
    states = {ref: row["state"] for ref, row in imported(desk).items()}
    assert states == {
        "4": "approved",
        "5": "approved",
        "8": "approved",
        "9": "deleted",
        "11": "approved",
    }
    assert desk.catalog.article("some-id").published_count == 3


def test_times_authors_and_text_are_kept_with_html_removed(desk: Desk) -> None:
    run(desk, "disqus", ISSO)
    reply = imported(desk)["5"]
    assert reply["created_at"] == datetime(2013, 10, 11, 6, 51, 33, tzinfo=UTC)
    assert (reply["author"], reply["body"], reply["email"]) == (
        "user",
        "Hello, World.",
        "foo@bar.com",
    )


def test_the_thread_identifier_becomes_the_article_key(desk: Desk) -> None:
    run(desk, "disqus", ISSO)
    article = desk.catalog.article("some-id")
    assert (article.url, article.title) == ("http://example.org/", "Hello, World!")


def test_a_thread_without_identifier_or_title_is_keyed_by_its_link(desk: Desk) -> None:
    run(desk, "disqus", ISSO)
    article = desk.catalog.article("blog-2013-02-12-redacted-index.html")
    assert article.url == "http://localhost:4000/blog/2013/02/12/redacted/index.html"


def test_each_imported_comment_has_one_import_event(desk: Desk) -> None:
    run(desk, "disqus", ISSO)
    with desk.context.store.read() as connection:
        rows = connection.execute(
            sa.select(events.c.action, events.c.actor_kind, events.c.comment_id)
        ).all()
    ids = {row["id"] for row in imported(desk).values()}
    assert sorted(r.comment_id for r in rows) == sorted(ids)
    assert {(r.action, r.actor_kind) for r in rows} == {("import", "system")}


def test_running_the_same_import_again_changes_nothing(desk: Desk) -> None:
    run(desk, "disqus", ISSO)
    before = snapshot(desk)
    again = run(desk, "disqus", ISSO)
    assert (again.tally.imported, again.tally.already, again.tally.articles_created) == (0, 5, 0)
    assert snapshot(desk) == before


def test_remark42s_file_is_refused_at_its_unquoted_attribute_and_nothing_is_written(
    desk: Desk,
) -> None:
    before = snapshot(desk)
    with pytest.raises(UnreadableSource, match=r"line 147, column \d+"):
        run(desk, "disqus", FIXTURES / "remark42-tests" / "disqus.xml")
    assert snapshot(desk) == before


def test_a_stray_backtick_before_the_xml_declaration_is_tolerated_and_noted(
    desk: Desk, tmp_path: Path
) -> None:
    summary = run(desk, "disqus", repaired("disqus.xml", tmp_path))
    assert summary.tally.imported == 5
    assert any("stray" in note for note in summary.notes)


def test_spam_is_imported_as_rejected_and_a_post_without_id_gets_a_stable_one(
    desk: Desk, tmp_path: Path
) -> None:
    run(desk, "disqus", repaired("disqus.xml", tmp_path))
    found = imported(desk)
    assert found["299986073"]["state"] == "rejected"
    unnamed = [row for ref, row in found.items() if ref.startswith("sha256:")]
    assert [row["body"] for row in unnamed] == ["This comment had no ID"]
    assert run(desk, "disqus", repaired("disqus.xml", tmp_path)).tally.imported == 0


def test_a_link_that_is_not_a_key_makes_the_key_from_the_url(desk: Desk, tmp_path: Path) -> None:
    run(desk, "disqus", repaired("disqus.xml", tmp_path))
    with desk.context.store.read() as connection:
        keys = set(connection.execute(sa.select(articles.c.key)).scalars())
    assert keys == {"p-2011-03-05-podcast-229", "2011-03-229_8880.html"}
    assert desk.catalog.article("p-2011-03-05-podcast-229").is_open is False  # isClosed


def test_a_post_deleted_at_disqus_is_kept_as_deleted(desk: Desk, tmp_path: Path) -> None:
    run(desk, "disqus", repaired("disqus-deleted-post.xml", tmp_path))
    assert imported(desk)["299619020"]["state"] == "deleted"


def test_the_posts_of_a_thread_deleted_at_disqus_are_skipped(desk: Desk, tmp_path: Path) -> None:
    summary = run(desk, "disqus", repaired("disqus-deleted-thread.xml", tmp_path))
    assert summary.tally.skipped[DELETED_THREAD] == 3  # thread 247937687, spam included
    assert summary.tally.imported == 2

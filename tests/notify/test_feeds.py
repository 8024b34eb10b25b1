"""Atom feeds of published comments, read back by feedparser: valid, escaped, current."""

from __future__ import annotations

from collections.abc import Callable

import feedparser
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from tests.support import Post


def parse(client: TestClient, path: str) -> feedparser.FeedParserDict:
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_an_article_feed_lists_published_comments_newest_first(
    client: TestClient, post: Post, approve: Callable[[int], None]
) -> None:
    first = post("First!", author="Ana")
    second = post("Second.", author="Bo")
    post("Still pending.", author="Cy")
    approve(first)
    approve(second)
    feed = parse(client, "/articles/a1/feed.atom")
    assert feed.version == "atom10"
    assert feed.feed.title == "The News: First story"
    assert [e.author for e in feed.entries] == ["Bo", "Ana"]
    assert feed.entries[0].link == f"https://comments.example/articles/a1#comment-{second}"
    assert feed.entries[0].content[0].type == "text/plain"
    assert feed.entries[0].content[0].value == "Second."


def test_markup_and_entities_in_comments_stay_text(
    client: TestClient, post: Post, approve: Callable[[int], None]
) -> None:
    hostile = 'Look <script>alert("x")</script> & ]]> &amp; <![CDATA[ x ]]>\nnext line'
    approve(post(hostile, author='Ana & "co"'))
    answer = client.get("/articles/a1/feed.atom")
    assert b"<script>" not in answer.content
    feed = parse(client, "/articles/a1/feed.atom")
    assert feed.entries[0].content[0].value == hostile
    assert feed.entries[0].author == 'Ana & "co"'


def test_characters_xml_cannot_carry_are_dropped_not_fatal(
    desk: Desk, client: TestClient, post: Post, approve: Callable[[int], None]
) -> None:
    from commentdesk.store.tables import comments

    comment_id = post("placeholder")
    approve(comment_id)
    with desk.context.store.write() as connection:  # as an old import might hold it
        connection.execute(
            comments.update().where(comments.c.id == comment_id).values(body="bell\x07 and \x0bvt")
        )
    feed = parse(client, "/articles/a1/feed.atom")
    assert feed.entries[0].content[0].value == "bell and vt"


def test_a_site_feed_spans_its_articles_and_revalidates(
    desk: Desk, client: TestClient, post: Post, approve: Callable[[int], None], site_slug: str
) -> None:
    desk.catalog.add_article(site_slug, "a2", url="https://news.example/a2", title="Second story")
    approve(post("On the first."))
    from commentdesk.desk import Draft

    other = desk.comments.submit("a2", Draft(author="Bo", body="On the second.", accept_terms=True))
    approve(other.comment.id)
    feed = parse(client, "/sites/news/feed.atom")
    assert [e.title for e in feed.entries] == ["Bo — Second story", "Mina — First story"]
    assert feed.feed.link == "https://news.example"
    etag = client.get("/sites/news/feed.atom").headers["etag"]
    assert client.get("/sites/news/feed.atom", headers={"If-None-Match": etag}).status_code == 304
    approve(post("A third."))
    assert client.get("/sites/news/feed.atom", headers={"If-None-Match": etag}).status_code == 200


def test_an_empty_feed_is_still_valid_and_unknown_ones_are_404(
    client: TestClient, article_key: str
) -> None:
    assert parse(client, "/articles/a1/feed.atom").entries == []
    assert parse(client, "/sites/news/feed.atom").entries == []
    assert client.get("/articles/nope/feed.atom").status_code == 404
    assert client.get("/sites/nope/feed.atom").status_code == 404

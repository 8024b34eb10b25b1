"""WordPress exports (WXR), on Isso's real test file and on small generated ones."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commentdesk.desk import Desk
from commentdesk.porting.records import UnreadableSource
from tests.porting.support import FIXTURES, imported, run

WXR = FIXTURES / "isso-tests" / "wordpress.xml"


def wxr(comments: str, *, blog: str = "https://blog.example") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><wp:base_blog_url>{blog}</wp:base_blog_url>
<item><title>Budget</title><link>https://blog.example/budget/</link>
<wp:post_id>7</wp:post_id><wp:post_name>budget</wp:post_name>
{comments}
</item></channel></rss>"""


def comment(cid: int, approved: str = "1", parent: int = 0, kind: str = "") -> str:
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author>Reader {cid}</wp:comment_author>
<wp:comment_date_gmt>2020-01-0{1 + cid % 9} 10:00:00</wp:comment_date_gmt>
<wp:comment_content>Comment {cid}</wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved>
<wp:comment_type>{kind}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>
</wp:comment>"""


def test_every_comment_of_the_real_file_is_imported_under_its_post(desk: Desk) -> None:
    summary = run(desk, "wordpress", WXR)
    assert (summary.tally.imported, summary.tally.articles_created) == (8, 2)
    assert desk.catalog.article("test").published_count == 7
    assert desk.catalog.article("p-4").title == "..."


def test_a_post_without_comments_makes_no_article(desk: Desk) -> None:
    run(desk, "wordpress", WXR)
    assert {row["article"] for row in imported(desk).values()} == {"test", "p-4"}


def test_replies_keep_their_parents(desk: Desk) -> None:
    run(desk, "wordpress", WXR)
    found = {ref.rsplit("#", 1)[1]: row for ref, row in imported(desk).items() if "|18#" in ref}
    assert found["7"]["parent_id"] == found["6"]["id"]
    assert found["8"]["parent_id"] == found["9"]["parent_id"] == found["7"]["id"]
    assert found["8"]["depth"] == 2


def test_the_same_comment_id_under_two_posts_is_two_comments(desk: Desk) -> None:
    run(desk, "wordpress", WXR)
    elevens = [row for ref, row in imported(desk).items() if ref.endswith("#11")]
    assert sorted(row["article"] for row in elevens) == ["p-4", "test"]


def test_gmt_dates_win_over_local_ones_and_newlines_are_kept(desk: Desk) -> None:
    run(desk, "wordpress", WXR)
    row = imported(desk)["|18#10"]
    assert row["created_at"] == datetime(2022, 6, 6, 2, 13, 14, tzinfo=UTC)
    assert (
        row["body"]
        == "When you have a comment with multiple lines:\nWordPress exports it like this."
    )


def test_approval_states_map_to_ours_and_pingbacks_are_skipped(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "states.xml"
    body = comment(1) + comment(2, "0") + comment(3, "spam") + comment(4, "trash")
    path.write_text(wxr(body + comment(5, kind="pingback")))
    summary = run(desk, "wordpress", path)
    states = {ref.rsplit("#", 1)[1]: row["state"] for ref, row in imported(desk).items()}
    assert states == {"1": "approved", "2": "pending", "3": "rejected", "4": "rejected"}
    assert summary.tally.skipped == {"a pingback, not a reader's comment": 1}


def test_a_reply_deeper_than_the_thread_shows_joins_the_deepest_level(
    desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "deep.xml"
    path.write_text(wxr("".join(comment(n, parent=n - 1) for n in range(1, 7))))
    run(desk, "wordpress", path)
    found = {ref.rsplit("#", 1)[1]: row for ref, row in imported(desk).items()}
    deepest = desk.context.settings.max_reply_depth - 1
    assert max(row["depth"] for row in found.values()) == deepest
    assert found["6"]["reply_to_id"] == found["5"]["id"]
    assert found["6"]["parent_id"] == found["5"]["parent_id"]


def test_a_comment_before_its_posts_link_is_refused(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "early.xml"
    path.write_text(
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>'
        + comment(1)
        + "<link>https://blog.example/x/</link></item></channel></rss>"
    )
    with pytest.raises(UnreadableSource, match="before its post"):
        run(desk, "wordpress", path)

"""An author's record, per pseudonym and per browser, each labelled; and "all from …"
views that say what they show (issue 19: the counts silently merged every pseudonym
of one browser, and "all from this author" on an approved comment said the queue
was clear)."""

from __future__ import annotations

import re
from html import unescape

from commentdesk.desk import Desk
from commentdesk.desk.queue import QueueFilter
from commentdesk.model import Action, Moderator
from tests.console.support import Browser
from tests.support import Post


def ids_on(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<li class="item[^"]*" id="c(\d+)"', html)]


def decided(desk: Desk, mina: Moderator, post_comment: Post, author: str, action: Action) -> int:
    comment_id = post_comment(f"{author} said", author=author, commenter_key="one-browser")
    desk.moderation.decide(mina, comment_id, action, reason="r")
    return comment_id


def histories(html: str) -> list[str]:
    spans = re.findall(r'<span class="history"[^>]*>(.*?)</span>', html)
    return [" ".join(unescape(span).split()) for span in spans]


def test_an_item_shows_this_pseudonyms_record_and_the_browsers_labelled_apart(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    decided(desk, mina, post_comment, "Kind", Action.APPROVE)
    decided(desk, mina, post_comment, "Kind", Action.APPROVE)
    decided(desk, mina, post_comment, "Nasty", Action.REJECT)
    decided(desk, mina, post_comment, "Nasty", Action.REJECT)
    decided(desk, mina, post_comment, "Third", Action.REJECT)
    waiting = post_comment("new one", author="Kind", commenter_key="one-browser")
    page = browser("mina").get(f"/console/comments/{waiting}").text  # the item as queued
    assert histories(page) == ["this pseudonym ✓2 ✗0", "this browser, 3 pseudonyms ✓2 ✗3"]
    details = desk.moderation.queue(filters=QueueFilter(comment_id=waiting)).items[0].details
    assert (details.approved, details.rejected, details.key_kind) == (2, 0, "browser")


def test_a_commenter_known_only_by_email_is_labelled_by_email(
    browser: Browser, post_comment: Post
) -> None:
    comment_id = post_comment("hello", author="Mailer", email="m@example.org")
    page = browser("mina").get(f"/console/comments/{comment_id}").text
    assert histories(page) == ["this pseudonym ✓0 ✗0", "this email, 1 pseudonym ✓0 ✗0"]
    assert "All with this email" in page


def test_a_commenter_with_neither_key_nor_email_has_only_a_pseudonyms_record(
    browser: Browser, post_comment: Post
) -> None:
    comment_id = post_comment("hello", author="Plain")
    page = browser("mina").get(f"/console/comments/{comment_id}").text
    assert histories(page) == ["this pseudonym ✓0 ✗0"]
    assert "All from this browser" not in page


def test_all_from_this_pseudonym_on_an_approved_comment_shows_their_comments(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    approved = decided(desk, mina, post_comment, "Kind", Action.APPROVE)
    decided(desk, mina, post_comment, "Other", Action.REJECT)
    client = browser("mina")
    queue = client.get("/console?tab=approved").text
    link = unescape(re.findall(r'<a href="([^"]+)">All from this pseudonym</a>', queue)[0])
    assert "tab=all" in link
    page = client.get(link).text
    assert ids_on(page) == [approved]
    assert "Comments from the pseudonym “Kind”, from this browser only" in page
    assert "The queue is clear" not in page


def test_all_from_this_browser_names_every_pseudonym_it_used(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    ids = [decided(desk, mina, post_comment, name, Action.APPROVE) for name in ("A1", "B2")]
    client = browser("mina")
    link = unescape(
        re.findall(
            r'<a href="([^"]+)">All from this browser</a>',
            client.get(f"/console/comments/{ids[0]}").text,
        )[0]
    )
    page = client.get(link).text
    assert sorted(ids_on(page)) == ids
    assert "Comments from this browser, 2 pseudonyms: A1, B2" in page


def test_an_empty_filtered_tab_says_nothing_matches_and_points_to_every_state(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    decided(desk, mina, post_comment, "Kind", Action.APPROVE)
    page = browser("mina").get("/console?tab=pending&author=Kind").text
    assert "The queue is clear" not in page
    assert "No comment here matches." in page
    assert "Comments from the pseudonym “Kind”, from any browser" in page
    assert "Look in every state" in page

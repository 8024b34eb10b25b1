"""Every mass reject or ban asks once, in a plain form, after saying what it would do:
how many comments, a sample of their texts, the pseudonyms and articles touched.
One comment is just done."""

from __future__ import annotations

import pytest

from commentdesk.desk import Desk
from commentdesk.desk.queue import QueueFilter
from commentdesk.model import State
from tests.console.support import Browser, confirm, send
from tests.support import Post

JSON = {"Accept": "application/json"}
Fields = dict[str, str | list[str]]


def states(desk: Desk, ids: list[int]) -> list[State]:
    found = {i.comment.id: i.comment.state for i in desk.moderation.queue(state=None).items}
    return [found[i] for i in ids]


def key_of(desk: Desk, comment_id: int) -> str:
    only = QueueFilter(comment_id=comment_id)
    key = desk.moderation.queue(state=None, filters=only).items[0].details.author_key
    assert key is not None
    return key


def three_authors(post_comment: Post) -> list[int]:
    return [
        post_comment(f"Buy <cheap> watches, offer {n}", author=f"Seller{n}", commenter_key=f"s{n}")
        for n in range(3)
    ]


def test_a_bulk_reject_of_a_selection_first_says_what_it_would_do(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = three_authors(post_comment)
    client = browser("mina")
    form: Fields = {
        "action": "reject",
        "note": "Spam",
        "ids": [str(i) for i in ids],
        "back": "/console",
    }
    answer = send(client, "/console/bulk", form)
    assert answer.status_code == 200
    page = answer.text
    assert "Reject 3 pending comments?" in page
    assert "Seller0, Seller1, Seller2" in page
    assert "1 article" in page
    assert "Buy &lt;cheap&gt; watches, offer 0" in page
    assert '<input type="hidden" name="confirmed" value="1">' in page
    assert '<a class="cancel" href="/console">' in page
    assert states(desk, ids) == [State.PENDING] * 3
    assert confirm(client, page).status_code == 303
    assert states(desk, ids) == [State.REJECTED] * 3


def test_a_reject_of_one_selected_comment_is_done_without_asking(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    [one, *_] = three_authors(post_comment)
    answer = send(
        browser("mina"), "/console/bulk", {"action": "reject", "note": "x", "ids": [str(one)]}
    )
    assert answer.status_code == 303
    assert states(desk, [one]) == [State.REJECTED]


def test_a_bulk_approve_is_done_without_asking(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = three_authors(post_comment)
    answer = send(
        browser("mina"), "/console/bulk", {"action": "approve", "ids": [str(i) for i in ids]}
    )
    assert answer.status_code == 303
    assert states(desk, ids) == [State.APPROVED] * 3


def test_a_bulk_reject_without_a_reason_is_refused_before_the_confirmation(
    browser: Browser, post_comment: Post
) -> None:
    ids = three_authors(post_comment)
    answer = send(
        browser("mina"), "/console/bulk", {"action": "reject", "ids": [str(i) for i in ids]}
    )
    assert answer.status_code == 422
    assert "confirm-form" not in answer.text


def test_console_scripts_asking_for_json_are_not_asked(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = three_authors(post_comment)
    form: Fields = {"action": "reject", "note": "Spam", "ids": [str(i) for i in ids]}
    answer = send(browser("mina"), "/console/bulk", form, headers=JSON)
    assert [o["ok"] for o in answer.json()["outcomes"]] == [True] * 3


def test_rejecting_all_from_an_author_asks_first_and_names_their_pseudonyms(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    theirs = [
        post_comment(f"flood {n}", author=f"Alias{n % 2}", commenter_key="k") for n in range(3)
    ]
    other = post_comment("fine", commenter_key="other")
    key = key_of(desk, theirs[0])
    client = browser("mina")
    page = send(client, "/console/bulk", {"action": "reject", "note": "Flood", "ak": key}).text
    assert "Reject 3 pending comments?" in page
    assert "Alias0, Alias1" in page
    assert confirm(client, page).status_code == 303
    assert states(desk, [*theirs, other]) == [State.REJECTED] * 3 + [State.PENDING]


def test_rejecting_all_from_one_pseudonym_leaves_the_browsers_others(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    theirs = [
        post_comment(f"flood {n}", author=f"Alias{n % 2}", commenter_key="k") for n in range(4)
    ]
    key = key_of(desk, theirs[0])
    client = browser("mina")
    form = {"action": "reject", "note": "Flood", "ak": key, "author": "Alias0"}
    page = send(client, "/console/bulk", form).text
    assert "Reject 2 pending comments?" in page
    confirm(client, page)
    assert states(desk, theirs) == [State.REJECTED, State.PENDING] * 2


def test_ban_and_reject_asks_first_and_bans_nobody_until_confirmed(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    theirs = [post_comment(f"abuse {n}", author="Troll", commenter_key="t") for n in range(3)]
    client = browser("mina")
    form = {"days": "7", "by_commenter": "on", "reason": "Abuse", "reject_pending": "on"}
    page = send(client, f"/console/comments/{theirs[0]}/ban", form).text
    assert "Ban this commenter and reject 3 pending comments?" in page
    assert "This commenter, for 7 days" in page
    assert "abuse 1" in page
    assert desk.bans.active(None) == []
    assert confirm(client, page).status_code == 303
    assert [b.author for b in desk.bans.active(None)] == ["Troll"]
    assert states(desk, theirs) == [State.REJECTED] * 3


@pytest.mark.parametrize("reject_pending", ["on", ""])
def test_a_ban_touching_one_comment_is_done_without_asking(
    reject_pending: str, browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("abuse", commenter_key="t")
    form = {"days": "1", "by_commenter": "on", "reason": "Abuse", "reject_pending": reject_pending}
    answer = send(browser("mina"), f"/console/comments/{comment_id}/ban", form)
    assert answer.status_code == 303
    assert len(desk.bans.active(None)) == 1


def test_a_ban_with_a_wrong_length_is_refused_before_the_confirmation(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    theirs = [post_comment(f"abuse {n}", commenter_key="t") for n in range(2)]
    form = {"days": "3", "by_commenter": "on", "reason": "Abuse", "reject_pending": "on"}
    answer = send(browser("mina"), f"/console/comments/{theirs[0]}/ban", form)
    assert answer.status_code == 422
    assert "confirm-form" not in answer.text


def test_ban_and_reject_of_a_comment_on_another_site_shows_nothing_of_its_author(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    theirs = post_comment("abuse here", commenter_key="t")
    [post_comment(f"abuse there {n}", key="o1", commenter_key="t") for n in range(2)]
    form = {"days": "7", "by_commenter": "on", "reason": "Abuse", "reject_pending": "on"}
    answer = send(browser("otto"), f"/console/comments/{theirs}/ban", form)
    assert answer.status_code == 404
    assert "abuse there" not in answer.text
    assert desk.bans.active(None) == []

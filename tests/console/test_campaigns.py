"""The campaigns page: a flood of near-duplicates is one campaign, and one form rejects it."""

from __future__ import annotations

import re

import pytest

from commentdesk.desk import Desk
from commentdesk.model import State
from tests.console.campaign import flood
from tests.console.support import Browser, send
from tests.support import Post


def pending(desk: Desk) -> list[int]:
    return [item.comment.id for item in desk.moderation.queue(limit=200).items]


def test_a_flood_of_five_copies_is_one_campaign_with_its_text_escaped(
    browser: Browser, post_comment: Post
) -> None:
    ids = flood(post_comment)
    page = browser("mina").get("/console/clusters")
    assert page.status_code == 200
    assert page.text.count('class="campaign"') == 1
    assert "5 comments, 5 pending" in page.text
    assert "5 pseudonyms" in page.text
    assert "within a minute" in page.text  # not "over 0 min"
    assert "&lt;b&gt;election&lt;/b&gt;" in page.text
    assert "<b>election" not in page.text
    assert f'action="/console/clusters/{ids[0]}/reject"' in page.text
    assert f"/console?tab=pending&amp;cluster={ids[0]}" in page.text


def test_one_action_rejects_the_whole_campaign_and_says_how_many(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = flood(post_comment)
    mina = browser("mina")
    confirmed: dict[str, str | list[str]] = {"choice": "Spam or advertising", "confirmed": "1"}
    answer = send(mina, f"/console/clusters/{ids[0]}/reject", confirmed)
    assert answer.status_code == 303
    assert pending(desk) == []
    rejected = desk.moderation.queue(state=State.REJECTED, limit=200).items
    assert {i.comment.decision_reason for i in rejected} == {"Spam or advertising"}
    page = mina.get(answer.headers["location"])
    assert "Rejected 5 comments; banned 0 authors." in page.text
    assert "No campaign is waiting." in page.text


def test_the_action_first_says_what_it_would_do_and_does_nothing(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = flood(post_comment)
    data: dict[str, str | list[str]] = {"choice": "Spam or advertising", "ban_days": "7"}
    answer = send(browser("mina"), f"/console/clusters/{ids[0]}/reject", data)
    assert answer.status_code == 200
    page = answer.text
    assert "Reject 5 pending comments?" in page
    assert "5 pseudonyms" in page
    assert "Patriot0, Patriot1, Patriot2, Patriot3, Patriot4" in page
    assert "Every author, for 7 days" in page
    assert "&lt;b&gt;election&lt;/b&gt;" in page
    assert "<b>election" not in page
    assert '<input type="hidden" name="confirmed" value="1">' in page
    assert sorted(pending(desk)) == ids
    assert desk.bans.active(None) == []


def test_the_confirmation_lists_a_dozen_pseudonyms_and_counts_the_rest(
    browser: Browser, post_comment: Post
) -> None:
    ids = flood(post_comment, copies=15)
    answer = send(browser("mina"), f"/console/clusters/{ids[0]}/reject", {"note": "spam"})
    assert "15 pseudonyms" in answer.text
    assert "Patriot11 and 3 more" in answer.text
    assert "Patriot12" not in answer.text.split("What they say")[0]


def test_the_action_can_ban_every_author_with_a_free_text_reason(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = flood(post_comment)
    data: dict[str, str | list[str]] = {
        "note": "coordinated campaign",
        "ban_days": "7",
        "confirmed": "1",
    }
    answer = send(browser("mina"), f"/console/clusters/{ids[0]}/reject", data)
    assert answer.headers["location"] == "/console/clusters?done=rejected&n=5&banned=5"
    assert len(desk.bans.active(None)) == 5


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, "Please give a reason"),
        ({"choice": "Not one of ours"}, "Pick one of this site"),
        ({"note": "spam", "ban_days": "3"}, "1, 7, 30 or 365 days"),
    ],
)
def test_a_refused_campaign_action_rejects_nothing(
    browser: Browser, desk: Desk, post_comment: Post, data: dict[str, str | list[str]], problem: str
) -> None:
    ids = flood(post_comment)
    answer = send(browser("mina"), f"/console/clusters/{ids[0]}/reject", data)
    assert answer.status_code == 422
    assert problem in answer.text
    assert sorted(pending(desk)) == ids


def test_a_moderator_of_another_site_neither_sees_nor_rejects_the_campaign(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = flood(post_comment)
    otto = browser("otto")
    assert "No campaign is waiting." in otto.get("/console/clusters").text
    answer = send(otto, f"/console/clusters/{ids[0]}/reject", {"note": "spam", "confirmed": "1"})
    assert answer.status_code == 404
    assert sorted(pending(desk)) == ids


def test_queue_items_of_a_campaign_carry_a_badge_and_filter_to_it(
    browser: Browser, post_comment: Post
) -> None:
    ids = flood(post_comment)
    lone = post_comment("A calm remark about the budget and the schools in our town.")
    mina = browser("mina")
    queue = mina.get("/console").text
    assert queue.count("campaign of 5") == 5
    only = mina.get(f"/console?cluster={ids[0]}").text
    shown = {int(n) for n in re.findall(r'data-id="(\d+)"', only)}
    assert shown == set(ids)
    assert lone not in shown
    assert f'name="cluster" value="{ids[0]}"' in only  # kept by the filter form

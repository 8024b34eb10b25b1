"""The bans page: many bans lifted in one form with one reason, and every ban of a
campaign's authors lifted from the campaign's queue page; each lift is logged."""

from __future__ import annotations

import re

import pytest

from commentdesk.desk import Desk
from commentdesk.desk.audit import AuditQuery
from commentdesk.errors import InvalidInput, NotFound
from tests.console.campaign import flood
from tests.console.support import Browser, send
from tests.support import Post


def ban_each(desk: Desk, post_comment: Post, count: int, *, site_key: str = "a1") -> list[int]:
    """``count`` commenters, each banned for a week by mina; the bans' ids."""
    mina = desk.accounts.get("mina")
    return [
        desk.bans.ban(
            mina,
            post_comment(f"troll {n}", key=site_key, author=f"Troll{n}", commenter_key=f"t{n}"),
            days=7,
            by_commenter=True,
            by_email=False,
            reason="Abuse",
        )
        for n in range(count)
    ]


def running(desk: Desk) -> list[int]:
    return sorted(b.id for b in desk.bans.active(None))


def unbans(desk: Desk) -> list[tuple[str | None, str | None]]:
    entries, _ = desk.audit.search(AuditQuery(action="unban"))
    return sorted((e.target, e.reason) for e in entries)


def test_the_selected_bans_are_lifted_in_one_form_with_one_reason(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    first, second, third = ban_each(desk, post_comment, 3)
    answer = send(
        browser("mina"),
        "/console/bans/lift",
        {"ids": [str(first), str(third)], "reason": "Appeal accepted"},
    )
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        "/console/bans?done=lifted&n=2",
    )
    assert running(desk) == [second]
    assert unbans(desk) == [("Troll0", "Appeal accepted"), ("Troll2", "Appeal accepted")]
    assert "2 bans are lifted." in browser("mina").get(answer.headers["location"]).text


def test_the_bans_page_has_a_checkbox_per_ban_and_a_select_all_without_script(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = ban_each(desk, post_comment, 3)
    client = browser("mina")
    page = client.get("/console/bans").text
    assert sorted(map(int, re.findall(r'name="ids" value="(\d+)" form="lift"', page))) == ids
    assert 'href="/console/bans?select=all"' in page
    every = client.get("/console/bans?select=all").text
    assert every.count('form="lift" checked') == 3


def test_lifting_several_bans_needs_a_reason_and_lifts_none_without_one(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = ban_each(desk, post_comment, 2)
    answer = send(browser("mina"), "/console/bans/lift", {"ids": [str(i) for i in ids]})
    assert answer.status_code == 422
    assert running(desk) == ids
    assert 'name="ids"' in answer.text  # the selection comes back to send again


def test_a_ban_of_another_site_in_the_selection_lifts_nothing(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ours = ban_each(desk, post_comment, 1)
    theirs = ban_each(desk, post_comment, 1, site_key="o1")
    answer = send(
        browser("otto"), "/console/bans/lift", {"ids": [str(*theirs), str(*ours)], "reason": "x"}
    )
    assert answer.status_code == 404
    assert running(desk) == sorted(ours + theirs)


@pytest.mark.usefixtures("people")
def test_the_desk_lifts_a_selection_in_one_call_and_counts_only_running_bans(
    desk: Desk, post_comment: Post
) -> None:
    ids = ban_each(desk, post_comment, 3)
    mina = desk.accounts.get("mina")
    desk.bans.lift(mina, ids[0])
    assert desk.bans.lift_many(mina, ids, reason="Amnesty") == 2
    assert running(desk) == []
    with pytest.raises(InvalidInput):
        desk.bans.lift_many(mina, [], reason="Amnesty")


def test_every_ban_from_a_campaign_is_lifted_from_its_page(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = flood(post_comment, 4)
    bystander = ban_each(desk, post_comment, 1)
    mina = desk.accounts.get("mina")
    desk.clusters.reject(mina, ids[0], reason="Spam", ban_days=30)
    client = browser("mina")
    page = client.get(f"/console?tab=all&cluster={ids[0]}").text
    assert "4 running bans of this campaign’s authors." in page
    assert f"Comments of campaign #{ids[0]}: near-duplicates of one text" in page
    assert f'action="/console/clusters/{ids[0]}/lift-bans"' in page
    back = f"/console?tab=all&cluster={ids[0]}"
    answer = send(
        client, f"/console/clusters/{ids[0]}/lift-bans", {"reason": "Not a campaign", "back": back}
    )
    assert answer.status_code == 303
    assert "Lifted 4 bans." in client.get(answer.headers["location"]).text
    assert running(desk) == bystander
    assert [reason for _, reason in unbans(desk)] == ["Not a campaign"] * 4


def test_a_campaign_on_another_site_has_no_bans_to_lift_for_its_moderator(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = flood(post_comment, 3)
    desk.clusters.reject(desk.accounts.get("mina"), ids[0], reason="Spam", ban_days=7)
    answer = send(browser("otto"), f"/console/clusters/{ids[0]}/lift-bans", {"reason": "x"})
    assert answer.status_code == 404
    assert len(running(desk)) == 3
    with pytest.raises(NotFound):
        desk.bans.lift_campaign(desk.accounts.get("otto"), ids[0], reason="x")


def bearer(desk: Desk, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {desk.accounts.create_token(name)}"}


def test_the_api_lists_running_bans_and_lifts_a_selection_with_a_reason(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    first, second = ban_each(desk, post_comment, 2)
    client, auth = browser(None), bearer(desk, "mina")
    listed = client.get("/api/v1/moderation/bans", headers=auth).json()
    assert [(b["id"], b["author"], b["by"]) for b in listed] == [
        (second, "Troll1", "mina"),
        (first, "Troll0", "mina"),
    ]
    answer = client.post(
        "/api/v1/moderation/bans/lift",
        json={"ids": [first, second], "reason": "Appeal"},
        headers=auth,
    )
    assert answer.json() == {"lifted": 2}
    assert unbans(desk) == [("Troll0", "Appeal"), ("Troll1", "Appeal")]


def test_the_api_refuses_to_lift_several_bans_without_a_reason(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = ban_each(desk, post_comment, 2)
    answer = browser(None).post(
        "/api/v1/moderation/bans/lift",
        json={"ids": ids, "reason": " "},
        headers=bearer(desk, "mina"),
    )
    assert (answer.status_code, answer.json()["error"]["field"]) == (422, "reason")
    assert running(desk) == ids


def test_the_api_lifts_every_ban_of_a_campaign(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = flood(post_comment, 3)
    desk.clusters.reject(desk.accounts.get("mina"), ids[0], reason="Spam", ban_days=7)
    answer = browser(None).post(
        f"/api/v1/moderation/clusters/{ids[0]}/lift-bans",
        json={"reason": "Wrongly grouped"},
        headers=bearer(desk, "mina"),
    )
    assert answer.json() == {"lifted": 3}
    assert running(desk) == []


def test_the_openapi_document_describes_the_ban_routes(browser: Browser) -> None:
    paths = browser(None).get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/moderation/bans",
        "/api/v1/moderation/bans/lift",
        "/api/v1/moderation/clusters/{cluster_id}/lift-bans",
    } <= set(paths)

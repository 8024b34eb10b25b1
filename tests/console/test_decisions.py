"""Deciding from the console: forms, reasons, edits, bulk, undo, bans, reports."""

from __future__ import annotations

import pytest

from commentdesk.desk import Desk, Draft
from commentdesk.desk.bans import Banned
from commentdesk.errors import InvalidInput
from commentdesk.model import Action, Moderation, State
from commentdesk.store.records import get_comment
from commentdesk.store.tables import sites
from tests.console.support import Browser, send
from tests.support import Clock, Post, submit_comment

JSON = {"Accept": "application/json"}


def _state(desk: Desk, comment_id: int) -> State:
    return desk.moderation.history(comment_id)[-1].to_state or State.PENDING


def _current(desk: Desk, comment_id: int) -> State:
    """The comment's state now (an undo is a staff event, not in ``history``)."""
    with desk.context.store.read() as connection:
        comment = get_comment(connection, comment_id)
    assert comment is not None
    return comment.state


def _refuse_banned_commenters(desk: Desk) -> None:
    """Every site's ban policy becomes "refuse" (a banned commenter's comment is refused)."""
    with desk.context.store.write() as connection:
        connection.execute(sites.update().values(ban_policy="refuse"))


def _public(browser: Browser, key: str = "a1") -> list[str]:
    thread = browser(None).get(f"/api/v1/articles/{key}/comments").json()
    return [c["body"] for c in thread["comments"]]


def test_approving_with_the_form_publishes_and_returns_to_the_queue(
    browser: Browser, post_comment: Post
) -> None:
    comment_id = post_comment("Worth reading")
    back = "/console?sort=age"
    answer = send(
        browser("mina"),
        f"/console/comments/{comment_id}/decide",
        {"action": "approve", "back": back},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{back}&done=approve&id={comment_id}"
    assert _public(browser) == ["Worth reading"]


def test_a_decision_never_redirects_off_the_console(browser: Browser, post_comment: Post) -> None:
    comment_id = post_comment()
    answer = send(
        browser("mina"),
        f"/console/comments/{comment_id}/decide",
        {"action": "approve", "back": "//evil.example/"},
    )
    assert answer.headers["location"].startswith("/console?")


def test_rejecting_keeps_the_sites_reason_and_the_moderators_note(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment()
    send(
        browser("mina"),
        f"/console/comments/{comment_id}/decide",
        {"action": "reject", "choice": "Personal attack", "note": "second time today"},
    )
    assert desk.moderation.history(comment_id)[-1].reason == "Personal attack: second time today"


def test_a_reject_reason_the_site_does_not_offer_is_refused(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment()
    answer = send(
        browser("mina"),
        f"/console/comments/{comment_id}/decide",
        {"action": "reject", "choice": "Because I said so"},
    )
    assert answer.status_code == 422
    assert "reject reasons" in answer.text
    assert _state(desk, comment_id) is State.PENDING


def test_an_edit_keeps_every_version_in_the_history(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("Call 555-0100 now")
    client = browser("mina")
    for text in ("Call [number removed] now", "Call now"):
        send(
            client,
            f"/console/comments/{comment_id}/decide",
            {"action": "edit", "body": text, "choice": "Private information"},
        )
    edits = [e for e in desk.moderation.history(comment_id) if e.action is Action.EDIT]
    assert [(e.before_text, e.after_text) for e in edits] == [
        ("Call 555-0100 now", "Call [number removed] now"),
        ("Call [number removed] now", "Call now"),
    ]
    page = client.get(f"/console/comments/{comment_id}").text
    assert "Call 555-0100 now" in page


def test_an_edit_without_a_reason_is_refused(browser: Browser, post_comment: Post) -> None:
    comment_id = post_comment()
    answer = send(
        browser("mina"), f"/console/comments/{comment_id}/decide", {"action": "edit", "body": "x"}
    )
    assert answer.status_code == 422


def test_script_gets_the_new_state_and_the_undo_deadline_as_json(
    browser: Browser, post_comment: Post
) -> None:
    comment_id = post_comment()
    answer = send(
        browser("mina"),
        f"/console/comments/{comment_id}/decide",
        {"action": "approve"},
        headers=JSON,
    )
    body = answer.json()
    assert (answer.status_code, body["state"], body["action"]) == (200, "approved", "approve")
    assert body["undo_until"] == "2026-11-01T12:00:15Z"


def test_the_loser_of_a_race_is_told_who_decided_what(browser: Browser, post_comment: Post) -> None:
    comment_id = post_comment()
    send(browser("mina"), f"/console/comments/{comment_id}/decide", {"action": "approve"})
    late = send(
        browser("nora"),
        f"/console/comments/{comment_id}/decide",
        {"action": "reject", "choice": "Off-topic"},
    )
    assert late.status_code == 409
    assert "already approved by mina" in late.text


def test_feature_and_withdraw_act_on_published_comments(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("Featured then withdrawn")
    client = browser("mina")
    for action in ("approve", "feature", "withdraw"):
        answer = send(client, f"/console/comments/{comment_id}/decide", {"action": action})
        assert answer.status_code == 303
    assert [e.action for e in desk.moderation.history(comment_id)] == [
        Action.SUBMIT,
        Action.ASSESS,
        Action.APPROVE,
        Action.FEATURE,
        Action.WITHDRAW,
    ]
    assert _public(browser) == []


def test_a_bulk_action_decides_every_selected_comment(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    chosen = [post_comment(f"spam {n}") for n in range(3)]
    left = post_comment("not chosen")
    answer = send(
        browser("mina"),
        "/console/bulk",
        {
            "action": "reject",
            "note": "Spam wave",
            "ids": [str(i) for i in chosen],
            "confirmed": "1",
        },
    )
    assert answer.status_code == 303
    assert [_state(desk, i) for i in chosen] == [State.REJECTED] * 3
    assert _state(desk, left) is State.PENDING


def test_a_bulk_action_reports_the_comments_someone_else_decided(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    first, second = post_comment(), post_comment()
    desk.moderation.decide(desk.accounts.get("nora"), first, Action.APPROVE)
    answer = send(
        browser("mina"),
        "/console/bulk",
        {"action": "reject", "note": "Spam", "ids": [str(first), str(second)]},
        headers=JSON,
    )
    assert answer.json()["outcomes"] == [
        {"id": first, "ok": False, "message": "This comment was already approved by nora."},
        {"id": second, "ok": True, "message": "reject"},
    ]


def test_everything_pending_from_an_author_is_rejected_at_once(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    theirs = [post_comment(f"troll {n}", commenter_key="troll-key") for n in range(3)]
    other = post_comment("innocent", commenter_key="reader-key")
    key = desk.moderation.queue(limit=1, filters=None).items[0].details.author_key
    assert key is not None
    confirmed = {"action": "reject", "note": "Flood", "ak": key, "confirmed": "1"}
    send(browser("mina"), "/console/bulk", confirmed)
    assert [_state(desk, i) for i in theirs] == [State.REJECTED] * 3
    assert _state(desk, other) is State.PENDING


def test_undo_puts_the_comment_back_and_is_recorded(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("Too quick")
    client = browser("mina")
    send(client, f"/console/comments/{comment_id}/decide", {"action": "approve"})
    answer = send(client, "/console/undo", {"back": "/console"})
    assert answer.status_code == 303
    assert _public(browser) == []
    entries = desk.audit.history(comment_id)
    assert [(e.kind, e.action) for e in entries][-1] == ("staff", "undo")
    assert desk.moderation.queue().items[0].comment.decided_by is None


def test_undo_restores_the_text_before_an_edit(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("Original words")
    client = browser("mina")
    send(
        client,
        f"/console/comments/{comment_id}/decide",
        {"action": "edit", "body": "Changed", "note": "typo"},
    )
    send(client, "/console/undo")
    item = desk.moderation.queue().items[0].comment
    assert (item.body, item.edited_by_moderator) == ("Original words", False)


def test_undo_is_refused_after_a_few_seconds(
    browser: Browser, clock: Clock, post_comment: Post
) -> None:
    comment_id = post_comment()
    client = browser("mina")
    send(client, f"/console/comments/{comment_id}/decide", {"action": "approve"})
    clock.advance(seconds=16)
    assert send(client, "/console/undo").status_code == 409


def test_undo_is_refused_when_someone_acted_since(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment()
    client = browser("mina")
    send(client, f"/console/comments/{comment_id}/decide", {"action": "approve"})
    desk.moderation.decide(desk.accounts.get("nora"), comment_id, Action.FEATURE)
    answer = send(client, "/console/undo", headers=JSON)
    assert answer.status_code == 409
    assert "acted on this comment since" in answer.json()["error"]["message"]


def test_an_assessment_landing_after_a_decision_does_not_stop_its_undo(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    comment_id = submit_comment(desk, "Decided before its assessment", key=article_key)
    client = browser("mina")
    send(client, f"/console/comments/{comment_id}/decide", {"action": "approve"})
    assert desk.assessor.drain() == 1  # the worker's verdict lands after the decision
    assert send(client, "/console/undo").status_code == 303
    assert _current(desk, comment_id) is State.PENDING


def test_undo_after_a_bulk_action_of_three_restores_all_three(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    chosen = [post_comment(f"fine {n}") for n in range(3)]
    client = browser("mina")
    send(client, "/console/bulk", {"action": "approve", "ids": [str(i) for i in chosen]})
    assert "3 comments" in client.get("/console").text  # the undo bar says how many
    assert send(client, "/console/undo").status_code == 303
    assert [_current(desk, i) for i in chosen] == [State.PENDING] * 3
    undos = [e for i in chosen for e in desk.audit.history(i) if e.action == "undo"]
    assert len(undos) == 3


def test_undo_of_a_bulk_action_leaves_a_comment_someone_acted_on_since(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    chosen = [post_comment(f"fine {n}") for n in range(3)]
    client = browser("mina")
    send(client, "/console/bulk", {"action": "approve", "ids": [str(i) for i in chosen]})
    desk.moderation.decide(desk.accounts.get("nora"), chosen[1], Action.FEATURE)
    send(client, "/console/undo")
    assert [_current(desk, i) for i in chosen] == [State.PENDING, State.APPROVED, State.PENDING]


def test_undo_after_a_campaign_reject_restores_every_copy(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    text = "Share this before they delete it: the vote was rigged by the paper, copy {n}"
    ids = [
        post_comment(text.format(n=n), author=f"P{n}", commenter_key=f"key-{n:02d}-abcdefghijkl")
        for n in range(4)
    ]
    [cluster] = desk.clusters.waiting(desk.accounts.get("mina"))
    desk.clusters.reject(desk.accounts.get("mina"), cluster.id, reason="Spam")
    assert {_state(desk, i) for i in ids} == {State.REJECTED}
    send(browser("mina"), "/console/undo")
    assert {_current(desk, i) for i in ids} == {State.PENDING}


def test_undo_of_a_reversal_brings_the_rejection_back(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("borderline")
    mina = desk.accounts.get("mina")
    desk.moderation.decide(mina, comment_id, Action.REJECT, reason="Off-topic")
    desk.moderation.decide(
        mina, comment_id, Action.APPROVE, reason="on topic", reversing=State.REJECTED
    )
    send(browser("mina"), "/console/undo")
    comment = desk.moderation.queue(state=State.REJECTED).items[0].comment
    assert (comment.id, comment.decision_reason, comment.decided_by) == (
        comment_id,
        "Off-topic",
        "mina",
    )


def test_a_banned_commenters_next_comment_is_held_on_a_post_moderated_site(
    browser: Browser, desk: Desk, post_comment: Post, people: dict[str, int]
) -> None:
    desk.catalog.ensure_site("live", name="Live", moderation=Moderation.POST)
    desk.catalog.add_article("live", "l1", url="https://live.example/l1", title="Live")
    first = post_comment("first", key="l1", commenter_key="abc")
    send(
        browser("mina"),
        f"/console/comments/{first}/ban",
        {"days": "7", "by_commenter": "on", "reason": "Repeated abuse"},
    )
    again = desk.comments.submit(
        "l1", Draft(author="New Name", body="again", accept_terms=True, commenter_key="abc")
    )
    assert not again.publishes_when_assessed
    innocent = desk.comments.submit("l1", Draft(author="Ann", body="hi", accept_terms=True))
    assert innocent.publishes_when_assessed
    desk.assessor.drain()
    published = {c.id for c in desk.threads.published(desk.catalog.article("l1"))}
    assert innocent.comment.id in published
    assert again.comment.id not in published


def test_a_site_can_refuse_banned_commenters_outright(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    _refuse_banned_commenters(desk)
    first = post_comment("first", email="troll@example.org")
    send(
        browser("mina"),
        f"/console/comments/{first}/ban",
        {"days": "1", "by_email": "on", "reason": "Spam"},
    )
    with pytest.raises(Banned):
        desk.comments.submit(
            "a1", Draft(author="X", body="b", accept_terms=True, email="TROLL@example.org")
        )


def test_a_ban_ends_when_its_days_are_over(
    browser: Browser, desk: Desk, clock: Clock, post_comment: Post
) -> None:
    _refuse_banned_commenters(desk)
    first = post_comment("first", commenter_key="k")
    send(
        browser("mina"),
        f"/console/comments/{first}/ban",
        {"days": "1", "by_commenter": "on", "reason": "Cool off"},
    )
    clock.advance(days=1, seconds=1)
    assert post_comment("back again", commenter_key="k")


def test_banning_can_reject_everything_the_author_has_waiting(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    waiting = [post_comment(f"w{n}", commenter_key="z") for n in range(2)]
    key = desk.moderation.queue(limit=1).items[0].details.author_key
    assert key is not None
    send(
        browser("mina"),
        f"/console/comments/{waiting[0]}/ban",
        {"days": "7", "by_commenter": "on", "reason": "Flood", "reject_pending": "on", "ak": key,
         "confirmed": "1"},
    )  # fmt: skip
    assert [_state(desk, i) for i in waiting] == [State.REJECTED] * 2
    assert "Flood" in browser("mina").get("/console/bans").text


def test_a_ban_rejects_the_banned_comments_author_whatever_the_form_names(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    theirs = [post_comment(f"t{n}", commenter_key="troll-key") for n in range(2)]
    bystander = post_comment("fine", commenter_key="reader-key")
    bystander_key = desk.moderation.queue(state=None).items[-1].details.author_key
    send(
        browser("mina"),
        f"/console/comments/{theirs[0]}/ban",
        {"days": "7", "by_commenter": "on", "reason": "Flood", "reject_pending": "on",
         "ak": bystander_key or "", "confirmed": "1"},
    )  # fmt: skip
    assert [_state(desk, i) for i in theirs] == [State.REJECTED] * 2
    assert _state(desk, bystander) is State.PENDING


@pytest.mark.usefixtures("people")
def test_a_refused_ban_rejects_nothing(desk: Desk, post_comment: Post) -> None:
    waiting = [post_comment(f"w{n}", commenter_key="z") for n in range(2)]
    with pytest.raises(InvalidInput):
        desk.decisions.ban(
            desk.accounts.get("mina"), waiting[0], days=3, by_commenter=True, by_email=False,
            reason="Flood", reject_pending=True,
        )  # fmt: skip
    assert [_state(desk, i) for i in waiting] == [State.PENDING] * 2
    assert desk.bans.active(None) == []


def test_undo_after_a_ban_restores_the_rejections_and_keeps_the_ban(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    waiting = [post_comment(f"w{n}", commenter_key="z") for n in range(3)]
    outcomes = desk.decisions.ban(
        desk.accounts.get("mina"), waiting[0], days=7, by_commenter=True, by_email=False,
        reason="Flood", reject_pending=True,
    )  # fmt: skip
    assert [(o.comment_id, o.ok) for o in outcomes] == [(i, True) for i in waiting]
    send(browser("mina"), "/console/undo")
    assert [_current(desk, i) for i in waiting] == [State.PENDING] * 3
    assert len(desk.bans.active(None)) == 1


def test_keeping_a_reported_comment_closes_its_reports(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment()
    desk.moderation.decide(desk.accounts.get("mina"), comment_id, Action.APPROVE)
    desk.comments.report(comment_id, "I disagree with it")
    client = browser("mina")
    send(client, f"/console/comments/{comment_id}/dismiss")
    assert "I disagree with it" not in client.get("/console?tab=reported").text

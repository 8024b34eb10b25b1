"""The console and subscribers: an admin pins the site's key in a form; a vouched-for
comment is marked, its history and "all from" view go by the subscriber, and a ban by
commenter follows the subscriber."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commentdesk.desk import Desk, Draft
from commentdesk.store.tables import sites
from tests.console.support import Browser, send
from tests.subscribers.tokens import SECRET, token
from tests.support import Clock

URL = "/console/settings/sites/1/subscribers"


def vouched_post(desk: Desk, clock: Clock, body: str, name: str = "Subscriber Kim") -> int:
    draft = Draft("", body, True, subscriber_token=token("news", at=clock.now, name=name))
    return desk.comments.submit("a1", draft).comment.id


@pytest.fixture
def pinned(desk: Desk, article_key: str, people: dict[str, int]) -> None:
    desk.subscribers.save(desk.accounts.get("chief"), 1, algorithm="HS256", key=SECRET)


def test_the_site_page_links_to_the_subscribers_key(browser: Browser, article_key: str) -> None:
    assert f'href="{URL}"' in browser("chief").get("/console/settings/sites/1").text


def test_an_admin_pins_a_secret_that_is_never_shown_again(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    chief = browser("chief")
    answer = send(chief, URL, {"algorithm": "HS256", "key": SECRET})
    assert answer.headers["location"] == URL + "?done=saved"
    page = chief.get(URL).text
    assert "A secret is set." in page
    assert SECRET not in page
    assert desk.subscribers.setting(1).algorithm == "HS256"


def test_a_bad_key_is_shown_with_the_problem(browser: Browser, article_key: str) -> None:
    answer = send(browser("chief"), URL, {"algorithm": "RS256", "key": "not a key"})
    assert answer.status_code == 422
    assert (
        'id="key" name="key" rows="8" spellcheck="false" autocomplete="off" aria-invalid="true"'
        in (answer.text)
    )


def test_a_moderator_cannot_open_the_page(browser: Browser, article_key: str) -> None:
    assert browser("mina").get(URL).status_code == 403


@pytest.mark.usefixtures("pinned")
def test_the_queue_marks_the_subscriber_and_counts_their_names(
    browser: Browser, desk: Desk, clock: Clock
) -> None:
    vouched_post(desk, clock, "First, as Kim.")
    vouched_post(desk, clock, "Then under a new display name.", name="Kim M.")
    page = browser("mina").get("/console").text
    assert page.count('class="badge subscriber"') == 2
    assert "this subscriber, 2 names" in page
    assert "All from this subscriber" in page


@pytest.mark.usefixtures("pinned")
def test_all_from_this_subscriber_lists_every_name(
    browser: Browser, desk: Desk, clock: Clock
) -> None:
    first = vouched_post(desk, clock, "First, as Kim.")
    vouched_post(desk, clock, "Then under a new display name.", name="Kim M.")
    [item] = [i for i in desk.moderation.queue().items if i.comment.id == first]
    page = browser("mina").get(f"/console?tab=all&ak={item.details.author_key}").text
    assert "Comments from this subscriber, 2 names: Subscriber Kim, Kim M." in page


@pytest.mark.usefixtures("pinned")
def test_a_ban_by_commenter_holds_the_subscribers_next_post_whatever_the_browser(
    desk: Desk, clock: Clock
) -> None:
    with desk.context.store.write() as connection:  # post-moderated: held means something
        connection.execute(sites.update().values(moderation="post"))
    draft = Draft("", "Something abusive.", True, subscriber_token=token("news", at=clock.now))
    first = desk.comments.submit("a1", draft)
    assert first.publishes_when_assessed
    desk.bans.ban(
        desk.accounts.get("mina"),
        first.comment.id,
        days=7,
        by_commenter=True,
        by_email=False,
        reason="Abuse",
    )
    again = replace(draft, body="Back again.", commenter_key="another-browser-key-0001")
    assert not desk.comments.submit("a1", again).publishes_when_assessed


@pytest.mark.usefixtures("pinned")
def test_a_moderator_bans_the_subscriber_through_the_comments_page(
    browser: Browser, desk: Desk, clock: Clock
) -> None:
    first = vouched_post(desk, clock, "Something abusive.")
    mina = browser("mina")
    assert "the subscriber, from any browser" in mina.get(f"/console/comments/{first}").text
    form = {"days": "7", "by_commenter": "on", "reason": "Abuse"}
    assert send(mina, f"/console/comments/{first}/ban", form).status_code == 303
    [ban] = desk.bans.active(None)
    assert (ban.author, ban.by_commenter, ban.by_email) == ("Subscriber Kim", True, False)

"""A publisher vouches for its subscriber through the JSON API: the comment is posted
under the token's name, marked, and counts toward that subscriber's history and bans;
a bad token posts nothing; the anonymous path is as before."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from commentdesk.desk import Desk
from commentdesk.model import Comment, State
from commentdesk.store.records import get_comment
from commentdesk.store.tables import comments, sites, staff_events
from tests.subscribers.tokens import SECRET, claims, hs256, rs256, token
from tests.support import Clock, auth
from tests.test_api_submit import assert_error

URL = "/api/v1/articles/a1/comments"
SETTINGS = "/api/v1/admin/sites/news/settings"


def body(**overrides: Any) -> dict[str, Any]:
    return {"author": "", "body": "Signed in and commenting.", "accept_terms": True} | overrides


def stored(desk: Desk, comment_id: int) -> Any:
    with desk.context.store.read() as connection:
        query = comments.select().where(comments.c.id == comment_id)
        return connection.execute(query).mappings().one()


def comment(desk: Desk, comment_id: int) -> Comment:
    with desk.context.store.read() as connection:
        found = get_comment(connection, comment_id)
    assert found is not None
    return found


@pytest.mark.usefixtures("vouching")
def test_a_vouched_comment_is_posted_under_the_tokens_name(
    client: TestClient, desk: Desk, fresh: str
) -> None:
    answer = client.post(URL, json=body(author="ignored", subscriber_token=fresh))
    assert answer.status_code == 202, answer.text
    posted = comment(desk, answer.json()["id"])
    assert (posted.author, posted.subscriber) == ("Subscriber Kim", True)


@pytest.mark.usefixtures("vouching")
def test_the_subject_is_stored_only_as_a_keyed_hash(
    client: TestClient, desk: Desk, fresh: str
) -> None:
    comment_id = client.post(URL, json=body(subscriber_token=fresh)).json()["id"]
    row = stored(desk, comment_id)
    assert "reader-42" not in str(dict(row))
    assert row["author_key"] == desk.context.keyed_hash("subscriber", "1\x00reader-42")


@pytest.mark.usefixtures("vouching")
def test_the_browser_is_kept_as_for_anyone(client: TestClient, desk: Desk, fresh: str) -> None:
    # Rate limits, and the reader's rights by browser, reach a subscriber's comment too.
    browser = {"X-Commenter-Key": "kims-browser-key-0001"}
    answer = client.post(URL, json=body(subscriber_token=fresh), headers=browser)
    row = stored(desk, answer.json()["id"])
    assert row["commenter_hash"] == desk.context.keyed_hash("commenter", "kims-browser-key-0001")


@pytest.mark.usefixtures("vouching")
def test_a_subscribers_email_is_kept_as_anyones(client: TestClient, desk: Desk, fresh: str) -> None:
    answer = client.post(URL, json=body(subscriber_token=fresh, email="kim@example.org"))
    assert stored(desk, answer.json()["id"])["email_hash"] is not None


@pytest.mark.usefixtures("vouching")
def test_a_published_vouched_comment_carries_the_subscriber_mark(
    client: TestClient, desk: Desk, fresh: str, moderator_token: str
) -> None:
    comment_id = client.post(URL, json=body(subscriber_token=fresh)).json()["id"]
    client.post(f"/api/v1/moderation/comments/{comment_id}/approve", headers=auth(moderator_token))
    thread = client.get(URL).json()["comments"]
    assert [(c["author"], c["subscriber"]) for c in thread] == [("Subscriber Kim", True)]


@pytest.mark.usefixtures("vouching")
def test_the_queue_marks_the_subscriber(
    client: TestClient, fresh: str, moderator_token: str
) -> None:
    client.post(URL, json=body(subscriber_token=fresh))
    client.post(URL, json=body(author="Anon"))
    queue = client.get("/api/v1/moderation/queue?state=pending", headers=auth(moderator_token))
    marks = {item["author"]: item["subscriber"] for item in queue.json()["items"]}
    assert marks == {"Subscriber Kim": True, "Anon": False}


@pytest.mark.usefixtures("vouching")
def test_one_subscriber_is_one_author_from_any_browser(
    client: TestClient, desk: Desk, clock: Clock
) -> None:
    first = client.post(URL, json=body(subscriber_token=token("news", at=clock.now)))
    clock.advance(minutes=5)
    later = token("news", at=clock.now, name="Kim again")
    second = client.post(
        URL, json=body(subscriber_token=later), headers={"X-Commenter-Key": "another-browser-key"}
    )
    keys = {stored(desk, r.json()["id"])["author_key"] for r in (first, second)}
    assert len(keys) == 1


@pytest.mark.usefixtures("vouching")
def test_a_wrong_signature_posts_nothing(client: TestClient, desk: Desk, clock: Clock) -> None:
    forged = hs256(claims("news", at=clock.now), secret="not-the-publishers-secret-at-all!!")
    answer = client.post(URL, json=body(author="Reader", subscriber_token=forged))
    assert_error(answer, 422, "subscriber_token_invalid", "subscriber_token")
    assert "signature" in answer.json()["error"]["message"]
    assert desk.moderation.queue(state=State.PENDING).items == []


@pytest.mark.usefixtures("vouching")
def test_an_expired_token_is_refused_not_posted_anonymously(
    client: TestClient, fresh: str, clock: Clock
) -> None:
    clock.advance(hours=1)
    answer = client.post(URL, json=body(author="Reader", subscriber_token=fresh))
    assert_error(answer, 422, "subscriber_token_invalid", "subscriber_token")
    assert "expired" in answer.json()["error"]["message"]


@pytest.mark.usefixtures("vouching")
def test_a_token_for_another_site_is_refused(client: TestClient, clock: Clock) -> None:
    answer = client.post(URL, json=body(subscriber_token=token("weekly", at=clock.now)))
    assert_error(answer, 422, "subscriber_token_invalid", "subscriber_token")
    assert "audience" in answer.json()["error"]["message"]


@pytest.mark.usefixtures("article_key")
def test_a_site_that_vouches_for_no_one_refuses_a_token(client: TestClient, fresh: str) -> None:
    answer = client.post(URL, json=body(subscriber_token=fresh))
    assert_error(answer, 422, "subscriber_token_invalid", "subscriber_token")


@pytest.mark.usefixtures("vouching")
def test_an_oversized_token_is_refused(client: TestClient) -> None:
    answer = client.post(URL, json=body(subscriber_token="x" * 5000))
    assert_error(answer, 422, "subscriber_token_invalid", "subscriber_token")


@pytest.mark.usefixtures("vouching")
def test_anonymous_posting_is_as_before_on_a_vouching_site(client: TestClient, desk: Desk) -> None:
    answer = client.post(URL, json=body(author="Reader"))
    assert answer.status_code == 202
    posted = comment(desk, answer.json()["id"])
    assert (posted.author, posted.subscriber) == ("Reader", False)
    assert stored(desk, posted.id)["subscriber"] is None


def test_a_banned_subscribers_next_post_is_refused(
    client: TestClient, desk: Desk, vouching: str, fresh: str, clock: Clock
) -> None:
    chief = desk.accounts.get("boss")
    site_id = next(site.id for site in desk.catalog.sites() if site.slug == "news")
    _policy(desk, site_id)
    first = client.post(URL, json=body(subscriber_token=fresh)).json()["id"]
    desk.bans.ban(chief, first, days=7, by_commenter=True, by_email=False, reason="Abuse")
    clock.advance(minutes=1)
    again = client.post(
        URL,
        json=body(subscriber_token=token("news", at=clock.now)),
        headers={"X-Commenter-Key": "a-fresh-browser-key-123"},
    )
    assert_error(again, 403, "banned")
    assert client.post(URL, json=body(author="Someone else")).status_code == 202


def _policy(desk: Desk, site_id: int) -> None:
    """The site refuses banned commenters (instead of holding them)."""
    with desk.context.store.write() as connection:
        connection.execute(sites.update().where(sites.c.id == site_id).values(ban_policy="refuse"))


def pin(
    client: TestClient, token: str, algorithm: str = "HS256", key: str = SECRET, **more: str
) -> Any:
    """PUTs the site's settings with a subscriber key (and ``more``) as ``token``."""
    payload = {"subscriber_algorithm": algorithm, "subscriber_key": key} | more
    return client.put(SETTINGS, json=payload, headers=auth(token))


def test_an_admin_pins_the_key_and_never_reads_the_secret_back(
    client: TestClient, admin_token: str, site_slug: str
) -> None:
    saved = pin(client, admin_token)
    assert saved.status_code == 200, saved.text
    read = client.get(SETTINGS, headers=auth(admin_token)).json()
    assert (read["subscriber_algorithm"], read["subscriber_public_key"]) == ("HS256", None)
    assert SECRET not in client.get(SETTINGS, headers=auth(admin_token)).text


def test_a_bad_key_changes_nothing(client: TestClient, admin_token: str, site_slug: str) -> None:
    answer = pin(client, admin_token, "RS256", "not a key", moderation="post")
    assert_error(answer, 422, "invalid", "subscriber_key")
    read = client.get(SETTINGS, headers=auth(admin_token)).json()
    assert (read["subscriber_algorithm"], read["moderation"]) == (None, "pre")


def test_the_key_change_is_audited_without_the_key(
    client: TestClient, desk: Desk, admin_token: str, site_slug: str
) -> None:
    pin(client, admin_token)
    with desk.context.store.read() as connection:
        rows = connection.execute(
            staff_events.select().where(staff_events.c.action == "subscriber_key_changed")
        ).mappings()
        logged = [(row["target"], row["after_text"]) for row in rows]
    assert logged == [("news", "HS256")]


def test_a_moderator_cannot_pin_a_key(
    client: TestClient, moderator_token: str, site_slug: str
) -> None:
    assert pin(client, moderator_token).status_code == 403


def test_an_rs256_site_shows_its_public_key_and_takes_tokens_signed_with_its_private_key(
    client: TestClient, admin_token: str, article_key: str, clock: Clock
) -> None:
    private = RSAKey.generate_key(2048)
    public = private.as_pem(private=False).decode()
    assert pin(client, admin_token, "RS256", public).status_code == 200
    read = client.get(SETTINGS, headers=auth(admin_token)).json()
    assert (read["subscriber_algorithm"], read["subscriber_public_key"]) == (
        "RS256",
        public.strip(),
    )
    signed = rs256(claims("news", at=clock.now), private)
    assert client.post(URL, json=body(subscriber_token=signed)).status_code == 202
    forged = hs256(claims("news", at=clock.now), secret="a-guessed-secret-of-32-characters!!")
    assert_error(
        client.post(URL, json=body(subscriber_token=forged)),
        422,
        "subscriber_token_invalid",
        "subscriber_token",
    )

"""Reader rights end to end: download everything, erase it, and check that it is gone
from the database (queried directly), the thread, the API and its cache, the feeds,
the static files and the mail queue."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import feedparser
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderator
from commentdesk.notify.worker import Worker
from commentdesk.store.tables import (
    bans,
    comments,
    events,
    idempotency_keys,
    lsh_bands,
    outbox,
    subscribers,
)
from commentdesk.web.publish import Publisher, Watcher
from tests.notify.servers import Inbox
from tests.notify.support import link_in
from tests.reader.pages import csrf_token
from tests.support import Post

LONG = (
    "A long enough comment about the budget debate in the city council this week, "
    "with several words so that it is indexed for near duplicates by the screening."
)


def database_text(desk: Desk) -> str:
    """Every text-ish value of the tables that could hold a reader's data, as one string."""
    found: list[str] = []
    with desk.context.store.read() as connection:
        for table in (comments, events, subscribers, outbox, bans):
            for row in connection.execute(sa.select(table)).mappings():
                found.extend(str(value) for value in row.values() if value is not None)
    return "\n".join(found)


def form_token(client: TestClient, path: str = "/rights") -> str:
    return csrf_token(client.get(path).text)


def export(client: TestClient, token: str = "") -> dict[str, object]:
    answer = client.post("/rights/export", data={"csrf": form_token(client), "t": token})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"].startswith("attachment")
    document: dict[str, object] = json.loads(answer.content)
    return document


def erase(client: TestClient, *, remove_text: bool, token: str = "") -> str:
    fields = {"csrf": form_token(client), "t": token, "confirm": "yes"}
    if remove_text:
        fields["remove_text"] = "yes"
    answer = client.post("/rights/erase", data=fields)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_reader_downloads_everything_this_browser_wrote(
    client: TestClient, write: Post, approve: Callable[[int], None]
) -> None:
    first = write(LONG, email="mina@reader.example")
    approve(first)
    write("Still pending.", author="Mina K")
    page = client.get("/rights")
    assert "2 comments are stored." in page.text
    document = export(client)
    exported = document["comments"]
    assert isinstance(exported, list)
    assert next(c["id"] for c in exported) == first
    assert exported[0]["body"] == LONG
    assert exported[0]["email"] == "mina@reader.example"
    assert exported[0]["state"] == "approved"
    assert [h["action"] for h in exported[0]["history"]] == ["submit", "assess", "approve"]
    assert exported[1]["author"] == "Mina K"
    subscriptions = document["subscriptions"]
    assert isinstance(subscriptions, list)
    assert subscriptions[0]["email"] == "mina@reader.example"


def test_another_browser_sees_nothing_and_cannot_export(client: TestClient, write: Post) -> None:
    write("Mine.")
    with TestClient(client.app) as stranger:
        assert "no key from this site" in stranger.get("/rights").text
        answer = stranger.post("/rights/export", data={"csrf": form_token(stranger)})
        assert answer.status_code == 403


def test_erasure_with_text_leaves_no_trace_anywhere(
    desk: Desk,
    client: TestClient,
    write: Post,
    approve: Callable[[int], None],
    editor: Moderator,
    worker: Worker,
    tmp_path: Path,
) -> None:
    mine = write(LONG, author="Mina Secret", email="mina.secret@reader.example")
    approve(mine)
    pending = write("My pending words.", author="Mina Secret")
    approve(write("Someone else entirely.", author="Jun"))  # the same browser: erased too
    worker.run_once()
    thread_etag = client.get("/api/v1/articles/a1/comments").headers["etag"]
    feed_etag = client.get("/articles/a1/feed.atom").headers["etag"]
    publisher = Publisher(desk, tmp_path)
    watcher = Watcher(publisher, interval=60)
    watcher.tick()
    assert "Mina Secret" in (tmp_path / "articles" / "a1.html").read_text()

    text = erase(client, remove_text=True)
    assert "removed from 3 comments" in text

    leftovers = database_text(desk)
    for secret in ("Mina Secret", "mina.secret@reader.example", LONG, "My pending words."):
        assert secret not in leftovers
    with desk.context.store.read() as connection:
        row = connection.execute(sa.select(comments).where(comments.c.id == mine)).mappings().one()
        assert (row["author"], row["body"], row["email"], row["text_removed"]) == (
            "",
            "",
            None,
            "author",
        )
        assert row["commenter_hash"] is None
        assert row["email_hash"] is None
        assert connection.execute(sa.select(subscribers)).first() is None
        assert (
            connection.execute(sa.select(lsh_bands).where(lsh_bands.c.comment_id == mine)).first()
            is None
        )
        assert connection.execute(sa.select(idempotency_keys)).first() is None
        state = connection.execute(
            sa.select(comments.c.state).where(comments.c.id == pending)
        ).scalar_one()
        assert state == "deleted"
        erase_events = connection.execute(
            sa.select(sa.func.count()).where(events.c.action == "erase")
        ).scalar_one()
        assert erase_events == 3

    thread = client.get("/articles/a1")
    assert "Removed at the author" in thread.text
    assert "Name removed" in thread.text
    api = client.get("/api/v1/articles/a1/comments", headers={"If-None-Match": thread_etag})
    assert api.status_code == 200  # the cached copy is stale now
    assert all(c["body"] == "" and c["text_removed"] for c in api.json()["comments"])
    feed_answer = client.get("/articles/a1/feed.atom", headers={"If-None-Match": feed_etag})
    assert feed_answer.status_code == 200
    assert feedparser.parse(feed_answer.content).entries == []
    assert watcher.tick() == 1
    static = (tmp_path / "articles" / "a1.html").read_text() + (
        tmp_path / "articles" / "a1.json"
    ).read_text()
    assert "Mina Secret" not in static
    assert "budget debate" not in static
    assert client.cookies.get("cd_commenter") is None  # the erase page deleted it
    assert "no key from this site" in client.get("/rights").text


def test_erasure_without_text_keeps_the_words_but_not_the_name(
    desk: Desk, client: TestClient, write: Post, approve: Callable[[int], None]
) -> None:
    mine = write("Words worth keeping.", author="Mina Secret")
    approve(mine)
    erase(client, remove_text=False)
    with desk.context.store.read() as connection:
        row = connection.execute(sa.select(comments).where(comments.c.id == mine)).mappings().one()
    assert (row["author"], row["body"], row["text_removed"]) == ("", "Words worth keeping.", None)
    assert "Mina Secret" not in database_text(desk)
    thread = client.get("/articles/a1").text
    assert "Words worth keeping." in thread
    assert "Name removed" in thread
    assert feedparser.parse(client.get("/articles/a1/feed.atom").content).entries == []


def test_erasure_needs_the_confirmation_box(client: TestClient, write: Post) -> None:
    write("Mine.")
    answer = client.post("/rights/erase", data={"csrf": form_token(client)})
    assert answer.status_code == 422
    assert "cannot be undone" in answer.text
    assert "1 comment is stored." in client.get("/rights").text


def test_a_mailed_link_proves_the_address_for_export_and_erasure(
    desk: Desk,
    client: TestClient,
    write: Post,
    worker: Worker,
    inbox: Inbox,
) -> None:
    write("Written at work.", author="Mina", email="mina@reader.example")
    worker.run_once()  # the confirmation mail
    with TestClient(client.app) as phone:  # another device, no cookie
        answer = phone.post(
            "/rights/email", data={"csrf": form_token(phone), "email": "MINA@reader.example"}
        )
        assert "on its way" in answer.text
        phone.post(
            "/rights/email", data={"csrf": form_token(phone), "email": "nobody@reader.example"}
        )
        worker.run_once()
        [mail] = inbox.of_kind("Your link")
        assert inbox.recipients[-1] == ["mina@reader.example"]
        link = link_in(mail, "/rights/email")
        page = phone.get(link)
        assert "1 comment is stored." in page.text
        token = link.split("?t=", 1)[1]
        document = export(phone, token)
        assert isinstance(document["comments"], list)
        assert document["comments"][0]["body"] == "Written at work."
        erase(phone, remove_text=True, token=token)
    assert "mina@reader.example" not in database_text(desk)


def test_the_json_api_works_with_the_commenter_key_header(
    desk: Desk, client: TestClient, article_key: str
) -> None:
    key = "k" * 24
    answer = client.post(
        "/api/v1/articles/a1/comments",
        json={"author": "Embed", "body": "Through embed.js.", "accept_terms": True},
        headers={"X-Commenter-Key": key},
    )
    assert answer.status_code == 202
    document = client.get("/api/v1/rights/export", headers={"X-Commenter-Key": key}).json()
    assert document["comments"][0]["body"] == "Through embed.js."
    erased = client.post(
        "/api/v1/rights/erase", json={"remove_text": True}, headers={"X-Commenter-Key": key}
    )
    assert erased.json() == {"erased": 1, "text_removed": True}
    refused = client.get("/api/v1/rights/export")
    assert refused.status_code == 403
    assert refused.json()["error"]["field"] == "X-Commenter-Key"

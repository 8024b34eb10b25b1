"""Erasing a comment's text erases every copy made from it.

One comment with distinctive pieces (a marker word, a link, a banned word, a pseudonym
and an address) goes the whole way: triage, the author's own fix, notifications and a
webhook, approval, a moderator's edit, publication, the thread cache. After the author
erases it, every text and JSON column of every table, the published files, the cache
and every page that showed it are searched for each piece; none may be found.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderator
from commentdesk.notify.worker import Worker
from commentdesk.store.tables import comments, idempotency_keys, lsh_bands, metadata, sites
from commentdesk.web.middleware.kept import ReadCache
from commentdesk.web.publish import Publisher, Watcher
from commentdesk.web.reader.threadcache import ThreadCache
from tests.console.support import sign_in
from tests.notify.servers import Receiver, http_receiver
from tests.support import auth

MARKER = "Zebraquokka"
HOST = "kimjisoo-hyesan.example.com"
BODY = (
    f"{MARKER} speaking about the council budget vote this week: the whole plan is shit, "
    f"read https://{HOST}/budget before you decide anything at all tomorrow."
)
AUTHOR = "Quokkawriter"
EMAIL = "quokka.private@reader.example"
#: Every piece of the comment that must be gone, as lower-case text.
PIECES = ("zebraquokka", "shit", "kimjisoo", "hyesan", "quokkawriter", "quokka.private")
KEY = {"X-Commenter-Key": "q" * 24}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as found:
        yield found


@pytest.fixture
def allow_internal(receiver: Receiver) -> str:
    return f"127.0.0.1:{receiver.port}"  # the test's receiver, by address and port


def everything_stored(desk: Desk) -> str:
    """Every text and JSON value of every table, lower-cased, one per line."""
    found: list[str] = []
    with desk.context.store.read() as connection:
        for table in metadata.sorted_tables:
            columns = [
                column
                for column in table.columns
                if isinstance(column.type, sa.String | sa.Text | sa.JSON)
            ]
            if not columns:
                continue
            for row in connection.execute(sa.select(*columns)):
                found.extend(
                    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    for value in row
                    if value is not None
                )
    return "\n".join(found).lower()


def pieces_in(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text.lower()]


def reason_codes(desk: Desk, comment_id: int) -> list[str]:
    with desk.context.store.read() as connection:
        query = sa.select(comments.c.assessment).where(comments.c.id == comment_id)
        assessment = connection.execute(query).scalar_one()
    return [reason["code"] for reason in assessment["reasons"]]


def test_erasing_the_text_leaves_no_piece_of_it_anywhere(
    desk: Desk,
    client: TestClient,
    article_key: str,
    editor: Moderator,
    worker: Worker,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    token = desk.accounts.create_token(editor.name)
    with desk.context.store.read() as connection:
        site_id = connection.execute(sa.select(sites.c.id)).scalar_one()
    desk.webhooks.add(editor, site_id, receiver.url, ["comment.pending_risky"], 0)
    posted = client.post(
        f"/api/v1/articles/{article_key}/comments",
        json={"author": AUTHOR, "body": BODY, "email": EMAIL, "accept_terms": True},
        headers=KEY,
    )
    assert posted.status_code == 202, posted.text
    mine = posted.json()["id"]
    fixed = client.patch(
        f"/api/v1/comments/{mine}",
        json={"body": BODY + " (typo fixed)"},
        headers={"X-Edit-Token": posted.json()["edit_token"]},
    )
    assert fixed.status_code == 200, fixed.text
    worker.run_once()  # the confirmation mail and the webhook
    moderation = f"/api/v1/moderation/comments/{mine}"
    assert client.post(f"{moderation}/approve", json={}, headers=auth(token)).status_code == 200
    edit = {"body": BODY + " Edited.", "reason": "tidied the wording"}
    assert client.post(f"{moderation}/edit", json=edit, headers=auth(token)).status_code == 200
    published = tmp_path / "published"
    watcher = Watcher(Publisher(desk, published), interval=60)
    watcher.tick()
    assert pieces_in((published / "articles" / f"{article_key}.html").read_text()) != []
    cache: ThreadCache = client.app.state.thread_cache  # type: ignore[attr-defined]
    client.get(f"/api/v1/articles/{article_key}/comments")
    codes = reason_codes(desk, mine)
    # The search sees every piece where triage, mail, the log, the files and cache put them.
    assert pieces_in(everything_stored(desk)) == list(PIECES)
    assert "matched 'shit'" in everything_stored(desk)
    assert f"link to {HOST}" in everything_stored(desk)
    public = [piece for piece in PIECES if piece != "quokka.private"]  # all but the address
    assert pieces_in(b"".join(cache.bodies()).decode()) == public
    kept: ReadCache = client.app.state.read_cache  # type: ignore[attr-defined]
    assert pieces_in(kept.bodies()[0].decode()) == public  # the read path's identity copy

    erased = client.post("/api/v1/rights/erase", json={"remove_text": True}, headers=KEY)
    assert erased.json() == {"erased": 1, "text_removed": True}

    assert pieces_in(everything_stored(desk)) == []
    assert reason_codes(desk, mine) == codes  # the reasons' codes are kept
    assert pieces_in(b"".join(cache.bodies()).decode()) == []
    assert kept.bodies() == []  # every encoding of every kept answer
    watcher.tick()
    for path in published.rglob("*"):
        if path.is_file():
            assert pieces_in(path.read_text("utf-8")) == [], path
    pages = [
        f"/api/v1/articles/{article_key}/comments",
        f"/articles/{article_key}",
        f"/articles/{article_key}/feed.atom",
    ]
    for page in pages:
        assert pieces_in(client.get(page).text) == [], page
    for page in ("/api/v1/moderation/queue?state=all", f"{moderation}/events"):
        assert pieces_in(client.get(page, headers=auth(token)).text) == [], page
    with TestClient(client.app) as console:
        shown = sign_in(console, editor.name).get(f"/console/comments/{mine}")
        assert shown.status_code == 200
        assert pieces_in(shown.text) == []
    with desk.context.store.read() as connection:  # shingles' bands and text hashes too
        for table in (lsh_bands, idempotency_keys):
            left = connection.execute(sa.select(table).where(table.c.comment_id == mine))
            assert left.all() == []

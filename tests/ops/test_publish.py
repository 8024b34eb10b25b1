"""Static publishing: the API's JSON and an HTML fragment per article, written atomically."""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.model import Moderator, Role
from commentdesk.settings import Settings
from commentdesk.web import create_app
from commentdesk.web.publish import Publisher, Watcher
from tests.support import PASSWORD, auth, submit_comment


@pytest.fixture
def chief(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[str]:
    """Python's http.server on a free loopback port, serving tmp_path/out."""
    folder = tmp_path / "out"
    folder.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_json_file_is_the_apis_answer_byte_for_byte(
    desk: Desk, client: TestClient, article_key: str, chief: Moderator, tmp_path: Path
) -> None:
    first = submit_comment(desk, "First", key=article_key, approve_as=chief)
    submit_comment(desk, "A reply", key=article_key, parent_id=first, approve_as=chief)
    Publisher(desk, tmp_path).publish_all()
    api = client.get(f"/api/v1/articles/{article_key}/comments").content
    assert (tmp_path / "articles" / f"{article_key}.json").read_bytes() == api


def test_the_html_fragment_escapes_text_and_nests_replies(
    desk: Desk, article_key: str, chief: Moderator, tmp_path: Path
) -> None:
    first = submit_comment(
        desk, "<script>alert(1)</script>\nsecond line", key=article_key, approve_as=chief
    )
    reply = submit_comment(
        desk, "Answer & more", key=article_key, parent_id=first, approve_as=chief
    )
    Publisher(desk, tmp_path).publish_all()
    html = (tmp_path / "articles" / f"{article_key}.html").read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in html
    assert "Answer &amp; more" in html
    nested = (
        html.index(f'id="c{first}"')
        < html.index("commentdesk-replies")
        < html.index(f'id="c{reply}"')
    )
    assert nested


def test_an_article_without_comments_is_published_empty(
    desk: Desk, article_key: str, tmp_path: Path
) -> None:
    Publisher(desk, tmp_path).publish_all()
    thread = json.loads((tmp_path / "articles" / f"{article_key}.json").read_text())
    assert thread["comments"] == []
    assert "No comments yet." in (tmp_path / "articles" / f"{article_key}.html").read_text()


def test_republishing_replaces_files_and_leaves_no_temporary_ones(
    desk: Desk, article_key: str, chief: Moderator, tmp_path: Path
) -> None:
    publisher = Publisher(desk, tmp_path)
    publisher.publish_all()
    submit_comment(desk, "Later", key=article_key, approve_as=chief)
    publisher.publish_all()
    names = sorted(p.name for p in (tmp_path / "articles").iterdir())
    assert names == [f"{article_key}.html", f"{article_key}.json"]
    assert (tmp_path / "articles" / f"{article_key}.json").stat().st_mode & 0o777 == 0o644


def test_a_static_server_serves_what_the_api_would(
    desk: Desk,
    client: TestClient,
    article_key: str,
    chief: Moderator,
    tmp_path: Path,
    static_server: str,
) -> None:
    submit_comment(desk, "Served as a file", key=article_key, approve_as=chief)
    Publisher(desk, tmp_path / "out").publish_all()
    served = httpx2.get(f"{static_server}/articles/{article_key}.json")
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/json"
    assert served.json() == client.get(f"/api/v1/articles/{article_key}/comments").json()


def test_the_watcher_republishes_only_threads_that_changed(
    desk: Desk, article_key: str, chief: Moderator, tmp_path: Path
) -> None:
    desk.catalog.add_article("news", "a2", url="https://news.example/a2", title="Second")
    watcher = Watcher(Publisher(desk, tmp_path), interval=60)
    assert watcher.tick() == 2  # the first look publishes everything
    assert watcher.tick() == 0
    submit_comment(desk, "Decided", key=article_key, approve_as=chief)
    assert watcher.tick() == 1
    thread = json.loads((tmp_path / "articles" / f"{article_key}.json").read_text())
    assert [c["body"] for c in thread["comments"]] == ["Decided"]


def test_the_server_publishes_after_each_decision_when_configured(
    settings: Settings, desk: Desk, article_key: str, admin_token: str, tmp_path: Path
) -> None:
    configured = settings.model_copy(
        update={
            "publish_dir": tmp_path,
            "publish_on_decision": True,
            "publish_interval_seconds": 0.05,
        }
    )
    comment = desk.comments.submit(
        article_key, Draft(author="Ana", body="Soon static", accept_terms=True)
    ).comment
    target = tmp_path / "articles" / f"{article_key}.json"
    with TestClient(create_app(configured, desk=desk)) as client:
        decided = client.post(
            f"/api/v1/moderation/comments/{comment.id}/approve", json={}, headers=auth(admin_token)
        )
        assert decided.status_code == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if target.exists() and "Soon static" in target.read_text():
                break
            time.sleep(0.05)
    assert "Soon static" in target.read_text()


def test_the_watcher_wakes_on_a_commit_not_on_its_interval(
    desk: Desk, article_key: str, chief: Moderator, tmp_path: Path
) -> None:
    watcher = Watcher(Publisher(desk, tmp_path), interval=3600)
    watcher.start()
    try:
        target = tmp_path / "articles" / f"{article_key}.json"
        deadline = time.monotonic() + 10
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.01)  # the first look, at start
        submit_comment(desk, "Within moments", key=article_key, approve_as=chief)
        deadline = time.monotonic() + 10
        while "Within moments" not in target.read_text() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "Within moments" in target.read_text()  # long before the hour is up
    finally:
        watcher.stop()

"""Rate limits on submissions, through the app and through a live server."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.settings import Settings
from commentdesk.store.tables import metadata
from tests.livesrv import NO_LIMITS, free_port, start_server

URL = "/api/v1/articles/a1/comments"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The shipped limits, not the relaxed ones the other tests use."""
    return Settings(database_url=database_url, secret_key="test-secret-key")


COMMENT = {"author": "Flood", "body": "again", "accept_terms": True}


def key() -> dict[str, str]:
    return {"X-Commenter-Key": secrets.token_urlsafe(24)}


@pytest.mark.usefixtures("article_key")
def test_one_browser_gets_five_then_a_429_with_retry_after(client: TestClient) -> None:
    mine = key()
    answers = [client.post(URL, json=COMMENT, headers=mine) for _ in range(6)]
    assert [a.status_code for a in answers] == [202] * 5 + [429]
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 55 <= int(refused.headers["retry-after"]) <= 60
    assert "wait about" in refused.json()["error"]["message"]


@pytest.mark.usefixtures("article_key")
def test_other_browsers_are_not_slowed_by_one_flooder(client: TestClient) -> None:
    mine = key()
    for _ in range(6):
        client.post(URL, json=COMMENT, headers=mine)
    assert client.post(URL, json=COMMENT, headers=key()).status_code == 202


@pytest.mark.usefixtures("article_key")
def test_a_refused_submission_stores_nothing(client: TestClient, desk: Desk) -> None:
    mine = key()
    for _ in range(8):
        client.post(URL, json=COMMENT, headers=mine)
    assert len(desk.moderation.queue().items) == 5


@pytest.mark.usefixtures("article_key")
def test_no_raw_address_is_stored_anywhere(client: TestClient, desk: Desk) -> None:
    for _ in range(3):
        client.post(URL, json=COMMENT, headers=key())
    with desk.context.store.read() as connection:
        for table in metadata.sorted_tables:
            dump = str(connection.execute(sa.select(table)).all())
            assert "testclient" not in dump, table.name  # TestClient's peer address


def _post_from(base: str, address: str, headers: dict[str, str]) -> int:
    transport = httpx2.HTTPTransport(local_address=address)
    # Generous: the first English comment waits for the triage model to load.
    with httpx2.Client(base_url=base, transport=transport, timeout=60) as client:
        return client.post(URL, json=COMMENT, headers=headers).status_code


@pytest.mark.slow
@pytest.mark.usefixtures("article_key")
def test_a_flood_from_many_addresses_is_held_by_the_commenter_key(
    database_url: str, tmp_path: Path
) -> None:
    env = {**NO_LIMITS, "COMMENTDESK_RATE_COMMENTER": "5/300"}
    process, base = start_server(database_url, tmp_path / "server.log", env=env)
    try:
        mine = key()
        codes = [_post_from(base, f"127.0.0.{n}", mine) for n in range(2, 12)]
    finally:
        process.terminate()
        process.wait()
    assert codes == [202] * 5 + [429] * 5


@pytest.mark.slow
@pytest.mark.usefixtures("article_key")
def test_a_flood_from_one_address_with_many_keys_meets_the_address_limit(
    database_url: str, tmp_path: Path
) -> None:
    env = {**NO_LIMITS, "COMMENTDESK_RATE_ADDRESS": "8/600"}
    process, base = start_server(database_url, tmp_path / "server.log", env=env)
    try:
        flood = [_post_from(base, "127.0.0.2", key()) for _ in range(10)]
        neighbour = _post_from(base, "127.0.0.3", key())
    finally:
        process.terminate()
        process.wait()
    log = (tmp_path / "server.log").read_text()
    assert flood == [202] * 8 + [429] * 2
    assert neighbour == 202
    assert "127.0.0.2" not in log
    assert "127.0.0.3" not in log


@pytest.mark.slow
@pytest.mark.usefixtures("article_key")
def test_with_redis_unreachable_submissions_still_work(database_url: str, tmp_path: Path) -> None:
    env = {**NO_LIMITS, "COMMENTDESK_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    process, base = start_server(database_url, tmp_path / "server.log", env=env)
    try:
        codes = [_post_from(base, "127.0.0.1", key()) for _ in range(3)]
    finally:
        process.terminate()
        process.wait()
    assert codes == [202, 202, 202]
    assert "rate limits now hold per process" in (tmp_path / "server.log").read_text()

"""Webhooks for the newsroom, against a real HTTP endpoint: configured in the console,
signed with HMAC-SHA256, retried with back-off, and listed with their deliveries."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Role
from commentdesk.notify.worker import Worker
from commentdesk.settings import Settings
from commentdesk.web import create_app
from tests.console.support import send, sign_in
from tests.notify.servers import Receiver
from tests.notify.support import add_hook
from tests.support import PASSWORD, Clock, Post

CAMPAIGN = (
    "The minister lied about the budget and everyone in this city knows it, so share this "
    "message with your friends and family before they delete it from the internet forever"
)


@pytest.fixture
def allow_internal(receiver: Receiver) -> str:
    return f"127.0.0.1:{receiver.port}"  # the test's receiver, by address and port


def secret_of(desk: Desk) -> str:
    return desk.webhooks.all()[0].secret


def test_a_risky_pending_comment_is_posted_signed_and_without_personal_data(
    desk: Desk, chief: TestClient, receiver: Receiver, post: Post, worker: Worker, clock: Clock
) -> None:
    add_hook(chief, receiver.url, ["comment.pending_risky"], risk="0")
    add_hook(chief, receiver.url + "?strict", ["comment.pending_risky"], risk="0.99")
    comment_id = post("Plain words <b>here</b>.", author="Mina", email="mina@reader.example")
    worker.run_once()
    [request] = receiver.requests
    assert request.path == "/hook"  # the strict hook's threshold was not reached
    headers = request.headers
    assert headers["content-type"] == "application/json"
    assert headers["x-commentdesk-event"] == "comment.pending_risky"
    expected = hmac.new(
        secret_of(desk).encode(),
        headers["x-commentdesk-timestamp"].encode() + b"." + request.body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["x-commentdesk-signature"] == f"sha256={expected}"
    assert headers["x-commentdesk-timestamp"] == str(int(clock.now.timestamp()))
    payload = json.loads(request.body)
    assert payload["event"] == "comment.pending_risky"
    assert payload["comment"]["id"] == comment_id
    assert (
        payload["comment"]["console_url"]
        == f"https://comments.example/console/comments/{comment_id}"
    )
    assert payload["article"]["key"] == "a1"
    raw = request.body.decode()
    for private in ("Plain words", "Mina", "mina@reader.example"):
        assert private not in raw


def test_a_report_and_a_new_cluster_are_posted_once_each(
    desk: Desk,
    chief: TestClient,
    receiver: Receiver,
    post: Post,
    worker: Worker,
    approve: object,
) -> None:
    add_hook(chief, receiver.url, ["report.created", "cluster.detected"])
    for n, author in enumerate(("Ana", "Bo", "Cy")):
        post(f"{CAMPAIGN} {n}", author=author)
    published = post("A fine point.")
    assert callable(approve)
    approve(published)
    desk.comments.report(published, "spam")
    worker.run_once()
    events = [json.loads(r.body)["event"] for r in receiver.requests]
    assert sorted(events) == ["cluster.detected", "report.created"]
    cluster = next(json.loads(r.body) for r in receiver.requests if b"cluster" in r.body)
    assert cluster["cluster"]["size"] == 2


def test_a_failing_endpoint_is_retried_with_back_off_and_shown_in_the_console(
    desk: Desk, chief: TestClient, receiver: Receiver, post: Post, worker: Worker, clock: Clock
) -> None:
    add_hook(chief, receiver.url, ["comment.pending_risky"])
    receiver.statuses = [500, 503]
    post()
    worker.run_once()
    page = chief.get("/console/webhooks")
    assert "HTTP 5xx" in page.text
    clock.advance(seconds=30)
    worker.run_once()
    assert worker.run_once() == 0  # the second wait is 60 s
    clock.advance(seconds=60)
    worker.run_once()
    assert len(receiver.requests) == 3
    [delivery] = desk.webhooks.deliveries()
    assert (delivery.state, delivery.attempts) == ("sent", 3)
    assert ">sent<" in chief.get("/console/webhooks").text


def test_a_dead_delivery_can_be_sent_again_from_the_console(
    desk: Desk, chief: TestClient, receiver: Receiver, post: Post, worker: Worker, clock: Clock
) -> None:
    add_hook(chief, receiver.url, ["comment.pending_risky"])
    receiver.statuses = [500, 500, 500]
    post()
    for wait in (0, 30, 60):
        clock.advance(seconds=wait)
        worker.run_once()
    [delivery] = desk.webhooks.deliveries()
    assert delivery.state == "dead"
    answer = send(chief, f"/console/webhooks/deliveries/{delivery.id}/retry")
    assert answer.status_code == 303
    worker.run_once()
    assert desk.webhooks.deliveries()[0].state == "sent"


def test_a_paused_webhook_gets_nothing(
    desk: Desk, chief: TestClient, receiver: Receiver, post: Post, worker: Worker
) -> None:
    add_hook(chief, receiver.url, ["comment.pending_risky"])
    hook = desk.webhooks.all()[0]
    assert send(chief, f"/console/webhooks/{hook.id}/active", {}).status_code == 303
    post()
    worker.run_once()
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "ftp://news.example/hook", "http:// or https://"),
        ("risk_threshold", "2", "between 0 and 1"),
        ("events", "", "at least one"),
    ],
)
def test_a_bad_webhook_form_names_the_field(
    chief: TestClient, field: str, value: str, message: str
) -> None:
    data: dict[str, str | list[str]] = {
        "site_id": "1",
        "url": "http://127.0.0.1:9/x",
        "events": ["report.created"],
        "risk_threshold": "0.5",
    }
    data[field] = value if field != "events" else []
    answer = send(chief, "/console/webhooks", data)
    assert answer.status_code == 422
    assert message in answer.text


def test_only_admins_open_the_webhooks_page(
    settings: Settings, desk: Desk, chief: TestClient
) -> None:
    desk.accounts.add_moderator("mina", PASSWORD, Role.MODERATOR)
    with TestClient(create_app(settings, desk=desk)) as client:
        assert sign_in(client, "mina").get("/console/webhooks").status_code == 403
    assert chief.get("/console/webhooks").status_code == 200

"""Webhooks and the server's own network (review issue 15): internal addresses are refused
when a webhook is saved and again when it is sent, the connection goes to the address
that was checked, and what an internal service answers is never shown to the admin."""

from __future__ import annotations

import re
from ipaddress import IPv4Address

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.errors import AddressNotAllowed
from commentdesk.notify.worker import Worker
from tests.console.support import send
from tests.livesrv import free_port
from tests.notify.servers import Receiver
from tests.notify.support import Names, add_hook
from tests.support import Post

EVENT = ["comment.pending_risky"]
LOOPBACK = IPv4Address("127.0.0.1")
PUBLIC = IPv4Address("93.184.215.14")
REVIEW_URLS = [
    "http://127.0.0.1:8025/hook",
    "http://169.254.169.254/latest/meta-data/iam/",
    "http://[::1]/hook",
    "http://0x7f000001/hook",
    "http://localhost/hook",
    "http://2130706433/hook",
    "http://0177.0.0.1/hook",
    "http://127.1/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
]


# The operator allows this module's receiver by address and port, except where a test
# says nothing internal is allowed.
NOTHING_ALLOWED = pytest.mark.parametrize("allow_internal", [""], ids=["nothing-allowed"])


@pytest.fixture
def allow_internal(receiver: Receiver) -> str:
    return f"127.0.0.1:{receiver.port}"


def form(url: str) -> dict[str, str | list[str]]:
    return {"site_id": "1", "url": url, "events": EVENT, "risk_threshold": "0.5"}


def last_error(desk: Desk) -> str | None:
    [delivery] = desk.webhooks.deliveries()
    return delivery.last_error


@NOTHING_ALLOWED
@pytest.mark.parametrize("url", REVIEW_URLS)
def test_the_console_refuses_to_save_a_webhook_to_an_internal_address(
    desk: Desk, chief: TestClient, url: str
) -> None:
    answer = send(chief, "/console/webhooks", form(url))
    assert answer.status_code == 422
    assert "Webhooks go only to public internet addresses" in answer.text
    assert re.search(r'name="url"[^>]*aria-invalid="true"', answer.text)
    assert desk.webhooks.all() == []


@NOTHING_ALLOWED
def test_a_name_that_resolves_inside_is_refused_with_a_typed_error(
    desk: Desk, chief: TestClient, names: Names
) -> None:
    names["intranet.newsroom.example"] = [PUBLIC, IPv4Address("10.0.0.7")]
    admin = desk.accounts.get("chief")
    with pytest.raises(AddressNotAllowed) as refused:
        desk.webhooks.add(admin, 1, "https://intranet.newsroom.example/hook", EVENT)
    assert (refused.value.code, refused.value.field) == ("address_not_allowed", "url")
    assert "10.0.0.7" not in str(refused.value.message)  # no map of the internal DNS


@NOTHING_ALLOWED
def test_a_name_that_turns_to_loopback_after_saving_gets_nothing(
    desk: Desk, chief: TestClient, names: Names, receiver: Receiver, post: Post, worker: Worker
) -> None:
    names["hooks.newsroom.example"] = [PUBLIC]
    add_hook(chief, f"http://hooks.newsroom.example:{receiver.port}/hook", EVENT)
    names["hooks.newsroom.example"] = [LOOPBACK]  # the name's owner rebinds it
    post()
    worker.run_once()
    assert receiver.requests == []
    assert last_error(desk) == "refused: address not allowed"


@pytest.mark.parametrize("allow_internal", ["hooks.newsroom.internal"])
def test_an_allowed_internal_name_is_delivered_to_the_address_checked(
    desk: Desk, chief: TestClient, names: Names, receiver: Receiver, post: Post, worker: Worker
) -> None:
    # Only this table knows the name: a second lookup by the system would find nothing.
    names["hooks.newsroom.internal"] = [LOOPBACK]
    add_hook(chief, f"http://hooks.newsroom.internal:{receiver.port}/hook?k=1", EVENT)
    post()
    worker.run_once()
    [request] = receiver.requests
    assert request.path == "/hook?k=1"
    assert request.headers["host"] == f"hooks.newsroom.internal:{receiver.port}"
    assert desk.webhooks.deliveries()[0].state == "sent"


def test_an_allowed_internal_address_is_delivered(
    desk: Desk, chief: TestClient, receiver: Receiver, post: Post, worker: Worker
) -> None:
    add_hook(chief, receiver.url, EVENT)
    post()
    worker.run_once()
    assert len(receiver.requests) == 1
    assert desk.webhooks.deliveries()[0].state == "sent"


def test_an_allowance_for_one_port_opens_no_other(desk: Desk, chief: TestClient) -> None:
    assert send(chief, "/console/webhooks", form("http://127.0.0.1:22/")).status_code == 422


def test_what_an_internal_service_answers_is_not_recorded(
    desk: Desk, chief: TestClient, receiver: Receiver, post: Post, worker: Worker
) -> None:
    add_hook(chief, receiver.url, EVENT)
    receiver.statuses = [403]
    receiver.reason = "Forbidden by InternalGateway"
    receiver.reply_body = b"Jenkins 2.401 admin console: token s3cr3t"
    post()
    worker.run_once()
    assert last_error(desk) == "HTTP 4xx"
    page = chief.get("/console/webhooks").text
    for said in ("HTTP 403", "InternalGateway", "Jenkins", "s3cr3t"):  # a port may hold 403
        assert said not in page


def test_a_redirect_is_not_followed(
    desk: Desk, chief: TestClient, receiver: Receiver, post: Post, worker: Worker
) -> None:
    add_hook(chief, receiver.url, EVENT)
    receiver.statuses = [302]
    receiver.reply_headers = {"Location": f"http://127.0.0.1:{receiver.port}/elsewhere"}
    post()
    worker.run_once()
    assert [r.path for r in receiver.requests] == ["/hook"]
    assert last_error(desk) == "HTTP 3xx"


@pytest.mark.parametrize("allow_internal", ["127.0.0.1"])
def test_a_closed_port_is_recorded_as_a_category_not_the_system_error(
    desk: Desk, chief: TestClient, post: Post, worker: Worker
) -> None:
    add_hook(chief, f"http://127.0.0.1:{free_port()}/hook", EVENT)
    post()
    worker.run_once()
    assert last_error(desk) == "could not connect"

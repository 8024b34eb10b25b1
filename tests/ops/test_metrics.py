"""/metrics: requests, latencies and database figures, with no personal data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft, tally
from commentdesk.settings import Settings, SettingsError, load_settings
from commentdesk.web import create_app
from tests.support import MakeSettings, auth, unreachable_database

LOOPBACK = ("127.0.0.1", 50000)
ELSEWHERE = ("203.0.113.8", 50000)


@pytest.fixture
def client(settings: Settings, desk: Desk) -> Iterator[TestClient]:
    """A scraper on the same machine, which the default ``metrics_allow`` admits."""
    with TestClient(create_app(settings, desk=desk), client=LOOPBACK) as client:
        yield client


def scrape(settings: Settings, desk: Desk, peer: tuple[str, int], **headers: str) -> int:
    with TestClient(create_app(settings, desk=desk), client=peer) as client:
        return client.get("/metrics", headers=headers).status_code


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text, or None."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    prefix = f"{name}{{{wanted}}} " if labels else f"{name} "
    for line in text.splitlines():
        if line.startswith(prefix):
            return float(line.split()[-1])
    return None


def test_kept_answers_are_counted_under_their_route_template(
    client: TestClient, article_key: str
) -> None:
    for _ in range(3):
        client.get(f"/api/v1/articles/{article_key}/comments")
    text = client.get("/metrics").text
    route = "/api/v1/articles/{key}/comments"
    assert sample(text, "commentdesk_http_kept_answers_total", route=route) == 2
    assert (
        sample(text, "commentdesk_http_requests_total", method="GET", route=route, status="200")
        == 1
    )


def test_requests_are_counted_under_their_route_template(
    client: TestClient, article_key: str
) -> None:
    client.get(f"/api/v1/articles/{article_key}/comments")
    client.get("/no/such/page")
    text = client.get("/metrics").text
    route = "/api/v1/articles/{key}/comments"
    assert (
        sample(text, "commentdesk_http_requests_total", method="GET", route=route, status="200")
        == 1
    )
    assert (
        sample(
            text, "commentdesk_http_requests_total", method="GET", route="unmatched", status="404"
        )
        == 1
    )
    assert f'route="{route}"' in text.split("commentdesk_http_request_duration_seconds_bucket")[1]


def test_comments_queue_and_decisions_are_read_from_the_database(
    client: TestClient, desk: Desk, article_key: str, moderator_token: str
) -> None:
    ids = [
        desk.comments.submit(
            article_key, Draft(author="Ana", body=f"c{n}", accept_terms=True)
        ).comment.id
        for n in range(3)
    ]
    client.post(
        f"/api/v1/moderation/comments/{ids[0]}/approve", json={}, headers=auth(moderator_token)
    )
    text = client.get("/metrics").text
    assert sample(text, "commentdesk_database_up") == 1
    assert sample(text, "commentdesk_comments", state="pending") == 2
    assert sample(text, "commentdesk_comments", state="approved") == 1
    assert sample(text, "commentdesk_queue_depth", action="hold") == 2
    assert sample(text, "commentdesk_events_total", action="submit") == 3
    assert sample(text, "commentdesk_events_total", action="approve") == 1


def test_event_counts_are_read_again_once_the_cache_expires(
    client: TestClient, desk: Desk, article_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tally, "EVENTS_CACHE_SECONDS", 0.0)
    desk.comments.submit(article_key, Draft(author="Ana", body="one", accept_terms=True))
    client.get("/metrics")
    desk.comments.submit(article_key, Draft(author="Ana", body="two", accept_terms=True))
    assert sample(client.get("/metrics").text, "commentdesk_events_total", action="submit") == 2


def test_no_author_text_email_or_key_appears_in_the_metrics(
    client: TestClient, desk: Desk, article_key: str
) -> None:
    desk.comments.submit(
        article_key,
        Draft(
            author="Zed Secretname",
            body="private words",
            email="zed@mail.example",
            accept_terms=True,
        ),
    )
    client.get(f"/api/v1/articles/{article_key}/comments")
    text = client.get("/metrics").text
    for private in ("Secretname", "private words", "zed@mail.example", f"/{article_key}/"):
        assert private not in text


def test_a_database_that_does_not_answer_reports_down(
    client: TestClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable_database(desk, monkeypatch)
    text = client.get("/metrics").text
    assert sample(text, "commentdesk_database_up") == 0
    assert "commentdesk_http_requests_total" in text


def test_metrics_are_not_served_to_an_address_outside_metrics_allow(
    settings: Settings, desk: Desk
) -> None:
    with TestClient(create_app(settings, desk=desk), client=ELSEWHERE) as client:
        refused = client.get("/metrics")
        missing = client.get("/no/such/page")
    assert refused.status_code == 404
    assert refused.json() == missing.json()


def test_metrics_are_served_to_an_address_in_metrics_allow(settings: Settings, desk: Desk) -> None:
    allowed = settings.model_copy(update={"metrics_allow": "203.0.113.0/24"})
    assert scrape(allowed, desk, ELSEWHERE) == 200
    assert scrape(allowed, desk, LOOPBACK) == 404


def test_metrics_are_served_anywhere_to_the_bearer_of_metrics_token(
    make_settings: MakeSettings, desk: Desk
) -> None:
    tokened = make_settings(metrics_token="scrape-me-please")
    assert scrape(tokened, desk, ELSEWHERE, Authorization="Bearer scrape-me-please") == 200
    assert scrape(tokened, desk, ELSEWHERE, Authorization="Bearer wrong") == 404


def test_a_metrics_allow_entry_that_is_not_a_network_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COMMENTDESK_METRICS_ALLOW", "10.0.0.0/8, prometheus")
    with pytest.raises(SettingsError, match="metrics_allow"):
        load_settings()

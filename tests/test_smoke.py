from fastapi.testclient import TestClient


def test_health_answers_ok(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}

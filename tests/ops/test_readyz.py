"""/healthz says the process answers; /readyz that the database does, with our schema."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.store.migrate import head_revision
from tests.support import unreachable_database


def test_readyz_answers_200_with_the_schema(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "schema": head_revision()}


def test_readyz_answers_503_when_the_database_does_not(
    client: TestClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable_database(desk, monkeypatch)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert response.headers["retry-after"] == "5"
    assert client.get("/healthz").status_code == 200  # alive all the same


def test_readyz_answers_503_for_a_database_of_another_schema(
    client: TestClient, desk: Desk
) -> None:
    with desk.context.store.write() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0002'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "schema_mismatch"

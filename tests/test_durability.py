"""A comment acknowledged with 202 survives ``kill -9`` of the server, on both databases."""

from __future__ import annotations

import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa

from commentdesk.desk import Desk
from commentdesk.store import Store
from commentdesk.store.tables import comments
from tests.livesrv import NO_LIMITS, start_server

pytestmark = pytest.mark.slow


def test_acknowledged_comments_survive_kill_9_mid_burst(
    database_url: str, desk: Desk, article_key: str, tmp_path: Path
) -> None:
    process, base = start_server(database_url, tmp_path / "server.log", env=NO_LIMITS)
    # The first English comment waits for the triage model (seconds on a slow machine):
    # load it before the burst, so the writers' timeouts only ever mean "killed".
    warm_up = {"author": "Warm", "body": "warming up the model", "accept_terms": True}
    warmed = httpx2.post(
        f"{base}/api/v1/articles/{article_key}/comments", json=warm_up, timeout=120
    )
    assert warmed.status_code == 202, warmed.text
    acknowledged: dict[int, str] = {}
    lock = threading.Lock()
    enough = threading.Event()

    def writer(worker: int) -> None:
        with httpx2.Client(base_url=base, timeout=30) as client:
            for n in range(10_000):
                body = f"worker {worker} comment {n}"
                try:
                    response = client.post(
                        f"/api/v1/articles/{article_key}/comments",
                        json={"author": "Burst", "body": body, "accept_terms": True},
                    )
                except httpx2.TransportError:
                    return  # the server is gone
                if response.status_code == 202:
                    with lock:
                        acknowledged[response.json()["id"]] = body
                        if len(acknowledged) >= 150:
                            enough.set()

    with ThreadPoolExecutor(max_workers=8) as pool:
        for worker in range(8):
            pool.submit(writer, worker)
        assert enough.wait(60), (tmp_path / "server.log").read_text()
        process.send_signal(signal.SIGKILL)
        process.wait()

    store = Store(database_url)
    with store.read() as connection:
        stored = {
            row.id: row.body
            for row in connection.execute(sa.select(comments.c.id, comments.c.body))
        }
        if store.dialect == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    store.close()
    missing = {i: b for i, b in acknowledged.items() if stored.get(i) != b}
    assert not missing, f"{len(missing)} acknowledged comments lost"
    assert len(acknowledged) >= 150

"""``commentdesk serve --workers N``: one port, N uvicorn worker processes, one database.

Which worker accepts a connection is the kernel's choice, so to reach a given worker the
tests pause the others (``SIGSTOP``) for the one request: only the running worker can
accept it. Nothing in the product is there for the tests.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from commentdesk.cli import app
from commentdesk.cli.serve import serve_workers
from commentdesk.desk import Desk, Draft
from commentdesk.settings import Settings
from commentdesk.store import Store
from commentdesk.store.migrate import head_revision
from commentdesk.store.tables import comments, meta
from commentdesk.triage.classifier import NoClassifier
from commentdesk.web import create_app_from_environment
from tests.livesrv import NO_LIMITS, free_port, start_server
from tests.ops.test_metrics import sample

pytestmark = pytest.mark.slow

WORKERS = 2
#: Limits out of the way, and no model to load on a worker's first English comment.
# No assessment loop in the workers: these tests SIGSTOP workers, and one stopped in the
# middle of an assessment's write would hold SQLite's write lock from the others.
ENV = {**NO_LIMITS, "COMMENTDESK_CLASSIFIER": "off", "COMMENTDESK_ASSESS_IN_SERVER": "0"}
ROUTE = "/api/v1/articles/{key}/comments"


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def workers(self) -> list[int]:
        return worker_pids(self.process.pid)

    def wait_until_every_worker_serves(self) -> None:
        """/healthz answers once the first worker is up; pausing it before the others are
        would leave nobody to answer."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.log.read_text().count("Application startup complete.") >= WORKERS:
                return
            time.sleep(0.1)
        raise AssertionError(f"not every worker started:\n{self.log.read_text()}")


def worker_pids(parent: int) -> list[int]:
    """uvicorn's workers: the parent's children that multiprocessing spawned (which
    leaves out multiprocessing's own resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # it ended while we looked
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return sorted(found)


@contextmanager
def only(worker: int, workers: list[int]) -> Iterator[None]:
    """Pauses every other worker, so a new connection can only be accepted by ``worker``.

    Keep the block short: uvicorn's parent replaces a worker that does not answer its
    health check for 5 s.
    """
    others = [pid for pid in workers if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


def stop(served: Served) -> None:
    if served.process.poll() is None:
        served.process.terminate()
        served.process.wait(timeout=20)


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    log = tmp_path / "server.log"
    process, base = start_server(database_url, log, "--workers", str(WORKERS), env=ENV)
    served = Served(process, base, log)
    try:
        served.wait_until_every_worker_serves()
        yield served
    finally:
        stop(served)


def post(base: str, body: str, headers: dict[str, str] | None = None) -> httpx2.Response:
    """One submission on a connection of its own (so any worker may take it)."""
    return httpx2.post(
        f"{base}/api/v1/articles/a1/comments",
        json={"author": "Ana", "body": body, "accept_terms": True},
        headers=headers,
        timeout=30,
    )


def test_a_fresh_sqlite_file_is_migrated_once_and_every_worker_shares_its_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMMENTDESK_SECRET_KEY", raising=False)  # so the first start makes one
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    # The environment names another file: --database must reach the workers too.
    elsewhere = tmp_path / "elsewhere.db"
    process, base = start_server(
        f"sqlite:///{elsewhere}",
        tmp_path / "server.log",
        "--database",
        fresh,
        "--workers",
        str(WORKERS),
        env=ENV,
    )
    served = Served(process, base, tmp_path / "server.log")
    try:
        served.wait_until_every_worker_serves()
        assert httpx2.get(f"{base}/readyz").json() == {"status": "ready", "schema": head_revision()}
        desk = Desk.open(Settings(database_url=fresh, classifier="off"))
        try:
            desk.catalog.ensure_site("news", name="The News")
            desk.catalog.add_article("news", "a1", url="https://news.example/a1", title="A1")
            workers = served.workers()
            assert len(workers) == WORKERS
            key = secrets.token_urlsafe(24)
            ids = []
            for worker in workers:
                with only(worker, workers):
                    response = post(base, f"from worker {worker}", {"X-Commenter-Key": key})
                assert response.status_code == 202, response.text
                ids.append(response.json()["id"])
            # The commenter key is kept as an HMAC under the secret: one hash for one key
            # means every worker, and this process, hold the secret the parent stored.
            here = desk.comments.submit(
                "a1",
                Draft(author="Ana", body="from the test", accept_terms=True, commenter_key=key),
            )
            ids.append(here.comment.id)
            with desk.context.store.read() as connection:
                hashes = set(
                    connection.execute(
                        sa.select(comments.c.commenter_hash).where(comments.c.id.in_(ids))
                    ).scalars()
                )
                stored = connection.execute(
                    sa.select(sa.func.count()).where(meta.c.key == "secret_key")
                ).scalar_one()
            assert stored == 1  # made by the parent: no COMMENTDESK_SECRET_KEY here
            assert len(hashes) == 1
            assert None not in hashes
        finally:
            desk.close()
    finally:
        stop(served)
    assert not elsewhere.exists(), "a worker opened the environment's database, not --database"


@pytest.mark.usefixtures("article_key")
def test_each_worker_is_a_process_of_its_own_that_answers(served: Served) -> None:
    workers = served.workers()
    assert len(workers) == WORKERS, served.log.read_text()
    for worker in workers:
        with only(worker, workers):
            assert httpx2.get(f"{served.base}/healthz", timeout=10).status_code == 200
            assert post(served.base, f"answered by {worker}").status_code == 202


def test_the_workers_listener_is_tcp_so_their_answers_never_wait_for_a_delayed_ack(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # uvicorn binds the shared listener with protocol 0; asyncio turns Nagle off only on
    # connections accepted from an IPPROTO_TCP socket, and with Nagle on every keep-alive
    # answer after the first waited ~40 ms for the client's delayed ACK.
    handed: list[socket.socket] = []

    class Supervisor:
        def __init__(self, config: object, sockets: list[socket.socket]) -> None:
            handed.extend(sockets)
            self.processes: list[object] = []

        def run(self) -> None:
            """Starts nothing: the test looks at the socket the workers would get."""

    monkeypatch.setattr("uvicorn.supervisors.Multiprocess", Supervisor)
    assert serve_workers(settings, "127.0.0.1", free_port(), WORKERS) == 0
    [listener] = handed
    try:
        assert listener.proto == socket.IPPROTO_TCP
        assert asyncio.run(_nodelay_of_an_accepted_connection(listener)) == 1
    finally:
        listener.close()


async def _nodelay_of_an_accepted_connection(listener: socket.socket) -> int:
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted_socket = writer.get_extra_info("socket")
        seen.set_result(accepted_socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(accepted, sock=listener)
    host, port = listener.getsockname()[:2]
    _, client = await asyncio.open_connection(host, port)
    try:
        return await asyncio.wait_for(seen, 10)
    finally:
        client.close()
        server.close()
        await server.wait_closed()


@pytest.mark.usefixtures("article_key")
def test_concurrent_posts_are_all_acknowledged_and_all_stored(served: Served, desk: Desk) -> None:
    bodies = [f"concurrent {n}" for n in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda body: post(served.base, body), bodies))
    refused = [(r.status_code, r.text) for r in responses if r.status_code != 202]
    assert not refused, refused  # no 503 "busy", no "database is locked"
    acknowledged = {r.json()["id"]: body for r, body in zip(responses, bodies, strict=True)}
    with desk.context.store.read() as connection:
        rows = connection.execute(
            sa.select(comments.c.id, comments.c.body).where(comments.c.id.in_(acknowledged))
        ).all()
    assert dict(rows) == acknowledged
    # Each worker counts what it answered: together, every post exactly once.
    workers = served.workers()
    taken = {}
    for worker in workers:
        with only(worker, workers):
            text = httpx2.get(f"{served.base}/metrics", timeout=10).text
        labels = {"method": "POST", "route": ROUTE, "status": "202"}
        taken[worker] = sample(text, "commentdesk_http_requests_total", **labels) or 0
    assert sum(taken.values()) == len(bodies), taken
    assert all(taken.values()), f"one worker took every post, so none raced: {taken}"


def test_sigterm_stops_the_parent_and_every_worker(served: Served) -> None:
    workers = served.workers()
    assert len(workers) == WORKERS
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=10) == 0
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    assert not left, f"workers still running after the parent stopped: {left}"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_workers_log_as_configured(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    env = {**ENV, "COMMENTDESK_LOG_FORMAT": "json"}
    process, base = start_server(database_url, log, "--workers", str(WORKERS), env=env)
    served = Served(process, base, log)
    try:
        served.wait_until_every_worker_serves()
        httpx2.get(f"{base}/readyz")
    finally:
        stop(served)
    messages = [json.loads(line)["message"] for line in log.read_text().splitlines() if line]
    assert any(m.startswith("Started parent process") for m in messages)
    assert sum(m.startswith("Started server process") for m in messages) == WORKERS
    assert any(m.startswith("GET /readyz 200") for m in messages)


def test_the_worker_factory_reads_the_environment_opens_without_migrating_and_closes(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Store) -> None:
        raise AssertionError("a worker migrated")

    closed: list[Desk] = []
    close = Desk.close

    def note_close(self: Desk) -> None:
        closed.append(self)
        close(self)

    monkeypatch.setattr(Store, "migrate", refuse)
    monkeypatch.setattr(Desk, "close", note_close)
    monkeypatch.setenv("COMMENTDESK_DATABASE_URL", database_url)
    monkeypatch.setenv("COMMENTDESK_CLASSIFIER", "off")
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        made = create_app_from_environment()
        with TestClient(made) as client:
            assert client.get("/readyz").status_code == 200
            opened = made.state.desk
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        gc.unfreeze()  # the worker froze its startup heap; this test process is no server
    assert opened.context.settings.database_url == database_url
    assert closed == [opened]


def classifier_that_fails_in_workers() -> NoClassifier:
    """A classifier (COMMENTDESK_CLASSIFIER=module:factory) that only the parent can load."""
    if multiprocessing.parent_process() is not None:
        raise RuntimeError("no classifier in this worker")
    return NoClassifier()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_that_cannot_start_stops_the_service_with_a_failure_status(
    database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        **ENV,
        "COMMENTDESK_DATABASE_URL": database_url,
        "COMMENTDESK_CLASSIFIER": f"{__name__}:classifier_that_fails_in_workers",
    }
    command = [sys.executable, "-m", "commentdesk", "serve", "--port", str(free_port())]
    result = subprocess.run(
        [*command, "--workers", str(WORKERS)], check=False, env=env, capture_output=True, timeout=60
    )
    log = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 3, log  # uvicorn's startup failure, as with one process
    assert "no classifier in this worker" in log


def test_zero_workers_is_refused_before_anything_starts(tmp_path: Path) -> None:
    database = tmp_path / "never.db"
    result = CliRunner().invoke(
        app, ["serve", "--workers", "0", "--database", f"sqlite:///{database}"]
    )
    assert result.exit_code == 2
    words = " ".join(result.output.replace("│", " ").split())  # the box may wrap the line
    assert "Invalid value for '--workers': Input should be greater than or equal to 1" in words
    assert not database.exists()

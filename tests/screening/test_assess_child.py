"""The server's assessment loop in a child process (``assess_in_child``, the default)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from commentdesk import assessing
from commentdesk.assessing import AssessmentProcess, ParentWrites, serve_writes, settings_json
from commentdesk.desk import Desk
from commentdesk.model import Action
from commentdesk.settings import Settings
from commentdesk.store.tables import assessments_due, events
from commentdesk.web import create_app
from tests.support import submit_comment

# Korean: the English model (loaded on the first English text) is not what this is about.
BODY = "정부 발표를 꼼꼼히 읽어 보았습니다. 통계의 출처가 궁금합니다."


def assessed(desk: Desk, comment_id: int, within: float = 60.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with desk.context.store.read() as connection:
            found = connection.execute(
                sa.select(events.c.id).where(
                    events.c.comment_id == comment_id, events.c.action == Action.ASSESS.value
                )
            ).first()
        if found is not None:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.usefixtures("article_key")
def test_a_serving_app_assesses_in_a_child_process_and_ends_it_on_shutdown(
    settings: Settings, desk: Desk
) -> None:
    serving = settings.model_copy(update={"assess_in_server": True, "assess_in_child": True})
    app = create_app(serving, desk=desk)
    with TestClient(app) as client:
        answer = client.post(
            "/api/v1/articles/a1/comments",
            json={"author": "Reader", "body": BODY, "accept_terms": True},
        )
        assert answer.status_code == 202
        assert assessed(desk, answer.json()["id"])
    # Shutting down closed the child's pipe and waited for it: the autouse leak check
    # fails this test if the child is still running.


def test_the_child_ends_by_itself_when_its_pipe_closes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Long enough for a slow start; a child that ignored the end of its pipe would be
    # ended by SIGTERM and exit with -15, not 0.
    monkeypatch.setattr(assessing, "GRACE_SECONDS", 60.0)
    quiet = settings.model_copy(update={"semantic_model": "off", "classifier": "off"})
    desk = Desk.open(quiet)
    try:
        worker = AssessmentProcess(desk)
        worker.start()
        worker.stop()
        assert worker.exit_status == 0
    finally:
        desk.close()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux's idle scheduling class only")
def test_the_child_runs_only_on_cpu_the_server_leaves_idle(settings: Settings) -> None:
    quiet = settings.model_copy(update={"semantic_model": "off", "classifier": "off"})
    desk = Desk.open(quiet)
    worker = AssessmentProcess(desk)
    try:
        worker.start()
        assert worker.pid is not None
        deadline = time.monotonic() + 30
        while os.sched_getscheduler(worker.pid) != os.SCHED_IDLE:
            assert time.monotonic() < deadline, "the child never entered SCHED_IDLE"
            time.sleep(0.05)
    finally:
        worker.stop()
        desk.close()


@given(
    secret=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1),
    batch=st.integers(1, 500),
)
def test_settings_reach_the_child_whole_secrets_included(secret: str, batch: int) -> None:
    settings = Settings(
        database_url="sqlite:///x.db", secret_key=secret, smtp_password=secret, assess_batch=batch
    )
    assert Settings.model_validate_json(settings_json(settings)) == settings


@contextmanager
def writes_through(server: Desk, worker: Desk) -> Iterator[Connection]:
    """``worker``'s assessment writes go to ``server``, as the child's go to the server
    process; yields the worker's end of the socket."""
    ours, theirs = socket.socketpair()
    server_end, worker_end = Connection(ours.detach()), Connection(theirs.detach())
    serving = threading.Thread(target=serve_writes, args=(server.assessor, server_end))
    serving.start()
    worker.assessor.writes = ParentWrites(worker_end)
    try:
        yield worker_end
    finally:
        worker_end.close()
        serving.join(timeout=10)
        server_end.close()


def refuse_writes(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> None:
        raise AssertionError("the worker wrote to the database itself")

    monkeypatch.setattr(desk.context.store, "write", refused)
    monkeypatch.setattr(desk.context.store, "write_together", refused)


@pytest.mark.usefixtures("article_key")
def test_a_worker_whose_writes_go_to_the_server_assesses_without_writing_itself(
    settings: Settings, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    comment_id = submit_comment(desk, BODY)
    worker = Desk.open(settings.model_copy(update={"semantic_model": "off"}))
    refuse_writes(worker, monkeypatch)
    try:
        with writes_through(desk, worker):
            assert worker.assessor.drain() == 1
    finally:
        worker.close()
    assert assessed(desk, comment_id, within=1)
    assert desk.assessor.due_count() == 0


@pytest.mark.usefixtures("article_key")
def test_a_write_that_fails_at_the_server_leaves_the_comment_held_for_a_retry(
    settings: Settings, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    comment_id = submit_comment(desk, BODY)

    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(desk.assessor, "write_verdict", broken)
    worker = Desk.open(settings.model_copy(update={"semantic_model": "off"}))
    try:
        with writes_through(desk, worker):
            assert worker.assessor.run_batch() == 1
    finally:
        worker.close()
    with desk.context.store.read() as connection:
        last_error = connection.execute(
            sa.select(assessments_due.c.last_error).where(
                assessments_due.c.comment_id == comment_id
            )
        ).scalar_one()
    assert last_error == "RuntimeError"  # the type's name: a message may quote the text
    assert not assessed(desk, comment_id, within=0.2)


def test_the_server_makes_no_write_a_worker_names_but_the_four_it_needs(desk: Desk) -> None:
    worker = Desk.open(desk.context.settings)
    try:
        with writes_through(desk, worker) as connection:
            connection.send(("purge", ()))
            assert connection.recv() == ("failed", "UnknownWrite")
    finally:
        worker.close()

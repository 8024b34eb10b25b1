"""The store: migrations match the tables, and concurrent writers never see a lock."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from commentdesk.desk import Desk
from commentdesk.store import Store, database
from commentdesk.store.search import UNDECLARED_PREFIXES
from commentdesk.store.tables import metadata
from tests.support import submit_comment


def test_the_migrations_build_exactly_the_declared_tables(database_url: str) -> None:
    store = Store(database_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, *_: not _search_index(name)}
        )
        differences = compare_metadata(context, metadata)
    store.close()
    assert differences == []


def _search_index(name: str | None) -> bool:
    """The search index's own tables and index (store/search.py) are the migration's."""
    return bool(name) and str(name).startswith(UNDECLARED_PREFIXES)


def test_migrating_twice_changes_nothing(database_url: str) -> None:
    store = Store(database_url)
    store.migrate()
    store.migrate()
    store.close()


@pytest.mark.usefixtures("article_key")
def test_many_concurrent_writers_all_succeed(desk: Desk) -> None:
    def post(n: int) -> int:
        return submit_comment(desk, f"comment {n}", author="Writer")

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(post, range(200)))
    assert len(set(ids)) == 200


def test_the_secret_is_made_once_and_kept(database_url: str) -> None:
    from commentdesk.desk.context import load_secret
    from commentdesk.settings import Settings

    store = Store(database_url)
    settings = Settings(database_url=database_url)
    first = load_secret(store, settings)
    assert load_secret(store, settings) == first
    assert len(first) == 64
    store.close()


def queued(path: Path) -> bool:
    """Whether some writer waits for SQLite's lock file (holds the queue file shared)."""
    handle = os.open(f"{path}-writequeue", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False


def test_a_process_that_just_wrote_lets_a_waiting_one_write_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two stores on one file stand for two processes: each opens the lock files itself.
    monkeypatch.setattr(database, "STAND_BACK_SECONDS", 30.0)  # only the order is tested
    path = tmp_path / "turns.db"
    first, second = Store(f"sqlite:///{path}"), Store(f"sqlite:///{path}")
    order: list[str] = []

    def write(store: Store, name: str) -> None:
        with store.write():
            order.append(name)

    try:
        with first.write():
            order.append("first")
            waiting = threading.Thread(target=write, args=(second, "second"))
            waiting.start()
            deadline = time.monotonic() + 10
            while not queued(path):
                assert time.monotonic() < deadline, "the second writer never queued"
                time.sleep(0.001)
        write(first, "first again")  # at once, as a busy worker's next batch would
        waiting.join(timeout=10)
    finally:
        first.close()
        second.close()
    assert order == ["first", "second", "first again"]


def test_a_writer_with_nobody_waiting_never_stands_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'alone.db'}")

    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"a writer alone waited {seconds} s")

    monkeypatch.setattr(time, "sleep", no_sleep)
    try:
        for _ in range(20):
            with store.write():
                pass
    finally:
        store.close()

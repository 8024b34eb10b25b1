"""Group commit: writes waiting together share a transaction, and each stands or falls alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.store import Store
from commentdesk.store.tables import meta
from commentdesk.store.together import MAX_BATCH, GroupCommit, _Write


@pytest.fixture
def store(sqlite_template: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "together.db"
    path.write_bytes(sqlite_template.read_bytes())
    opened = Store(f"sqlite:///{path}")
    yield opened
    opened.close()


def put(key: str) -> Callable[[Connection], str]:
    def work(connection: Connection) -> str:
        connection.execute(meta.insert().values(key=key, value="v"))
        return key

    return work


def stored(store: Store) -> set[str]:
    with store.read() as connection:
        return set(connection.execute(sa.select(meta.c.key)).scalars())


def test_a_write_alone_is_committed_and_answers_its_result(store: Store) -> None:
    assert store.write_together(put("alone")) == "alone"
    assert "alone" in stored(store)


def test_writes_waiting_together_share_transactions_and_all_land(store: Store) -> None:
    together = store._together
    assert together is not None
    start = threading.Barrier(40)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        start.wait()
        try:
            store.write_together(put(f"k{n}"))
        except BaseException as exc:  # pragma: no cover - the assertion below says it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {f"k{n}" for n in range(40)} <= stored(store)
    assert together.batches < 40  # some of them shared a commit


def test_a_failing_write_is_rolled_back_alone_and_raises_to_its_caller(store: Store) -> None:
    def failing(connection: Connection) -> None:
        connection.execute(meta.insert().values(key="half", value="v"))
        raise ValueError("no")

    leader_inside = threading.Event()
    release = threading.Event()

    def slow(connection: Connection) -> str:
        leader_inside.set()
        release.wait(5)
        connection.execute(meta.insert().values(key="first", value="v"))
        return "first"

    results: dict[str, object] = {}

    def run(name: str, work: Callable[[Connection], object]) -> None:
        try:
            results[name] = store.write_together(work)
        except ValueError as exc:
            results[name] = exc

    leader = threading.Thread(target=run, args=("first", slow))
    leader.start()
    leader_inside.wait(5)
    followers = [
        threading.Thread(target=run, args=("failing", failing)),
        threading.Thread(target=run, args=("fine", put("fine"))),
    ]
    for thread in followers:
        thread.start()
    release.set()
    for thread in [leader, *followers]:
        thread.join()
    assert results["first"] == "first"
    assert results["fine"] == "fine"
    assert isinstance(results["failing"], ValueError)
    assert stored(store) >= {"first", "fine"}
    assert "half" not in stored(store)


def test_a_failed_commit_fails_every_write_of_the_batch() -> None:
    class Broken:
        def __enter__(self) -> Connection:
            raise OSError("disk full")

        def __exit__(self, *exc: object) -> None:
            return None

    together = GroupCommit(Broken)
    with pytest.raises(OSError, match="disk full"):
        together.run(lambda connection: "never")


def test_a_batch_never_carries_more_than_its_bound_and_starts_with_its_leader() -> None:
    together = GroupCommit(lambda: None)  # type: ignore[arg-type,return-value]
    waiting = [_Write(lambda connection: None) for _ in range(MAX_BATCH * 2)]
    mine = waiting[-1]
    together._waiting = list(waiting)
    batch = together._take(mine)
    assert len(batch) == MAX_BATCH
    assert batch[0] is mine
    assert len(together._waiting) == MAX_BATCH
    assert not set(map(id, batch)) & set(map(id, together._waiting))


def put_all(connection: Connection, keys: Sequence[str]) -> list[str | Exception]:
    """A ``many``: every key in one statement; a key named "refused" is answered an
    error and written nothing; a key named "boom" breaks the whole statement."""
    calls.append(list(keys))
    wanted = [k for k in keys if k != "refused"]
    if wanted:
        connection.execute(meta.insert(), [{"key": k, "value": "v"} for k in wanted])
    if "boom" in keys:
        raise ValueError("boom")
    return [ValueError("refused") if k == "refused" else k for k in keys]


calls: list[list[str]] = []


def hold_the_leader(store: Store) -> tuple[threading.Thread, threading.Event]:
    """A plain write that keeps the lock until the returned event is set, so the writes
    started meanwhile wait together for the next transaction."""
    inside, release = threading.Event(), threading.Event()

    def slow(connection: Connection) -> None:
        inside.set()
        release.wait(5)

    leader = threading.Thread(target=store.write_together, args=(slow,))
    leader.start()
    inside.wait(5)
    return leader, release


def run_together(store: Store, keys: list[str]) -> dict[str, object]:
    results: dict[str, object] = {}

    def one(key: str) -> None:
        try:
            results[key] = store.write_many(put_all, key)
        except ValueError as exc:
            results[key] = exc

    leader, release = hold_the_leader(store)
    threads = [threading.Thread(target=one, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    together = store._together
    assert together is not None
    while len(together._waiting) < len(keys):  # every one of them queued
        time.sleep(0.001)
    release.set()
    for thread in [leader, *threads]:
        thread.join()
    return results


def test_items_of_one_many_waiting_together_are_written_by_one_call(store: Store) -> None:
    calls.clear()
    results = run_together(store, ["a", "b", "c"])
    assert results == {"a": "a", "b": "b", "c": "c"}
    assert [sorted(call) for call in calls] == [["a", "b", "c"]]
    assert stored(store) >= {"a", "b", "c"}


def test_an_item_its_many_refuses_gets_its_error_and_the_others_are_stored(
    store: Store,
) -> None:
    calls.clear()
    results = run_together(store, ["x", "refused", "y"])
    assert results["x"] == "x"
    assert results["y"] == "y"
    assert isinstance(results["refused"], ValueError)
    assert stored(store) >= {"x", "y"}
    assert len(calls) == 1


def test_a_many_that_raises_is_made_again_one_item_at_a_time(store: Store) -> None:
    calls.clear()
    results = run_together(store, ["p", "boom", "q"])
    assert results["p"] == "p"
    assert results["q"] == "q"
    assert isinstance(results["boom"], ValueError)
    assert "boom" not in stored(store)
    assert stored(store) >= {"p", "q"}
    assert sorted(map(len, calls)) == [1, 1, 1, 3]


def test_a_leader_takes_the_writes_that_arrive_while_it_waits_for_the_lock(
    store: Store,
) -> None:
    together = store._together
    assert together is not None
    arrived = threading.Event()
    before = together.batches
    lock = store._write_lock
    lock.acquire()  # the lock is busy, as with another process's write

    def late() -> None:
        arrived.set()
        store.write_together(put("late"))

    leader = threading.Thread(target=store.write_together, args=(put("early"),))
    leader.start()
    while not together._leading:
        time.sleep(0.001)
    follower = threading.Thread(target=late)
    follower.start()
    arrived.wait(5)
    while len(together._waiting) < 2:
        time.sleep(0.001)
    lock.release()
    leader.join()
    follower.join()
    assert together.batches == before + 1
    assert stored(store) >= {"early", "late"}

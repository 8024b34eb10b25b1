"""Group commit: writes waiting together share a transaction, and each stands or falls alone."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
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

"""Group commit: writes that arrive together share one transaction and one sync to disk.

On SQLite every commit waits for the disk (``synchronous=FULL``: an acknowledged
comment survives a power cut), and only one writer may hold the lock, so a flood of
posts queued behind one another, each paying for its own sync: at 16 at once most of a
post's time was spent waiting for the lock. Here the writes waiting at one moment are
written by one of them, the leader, in one transaction, then one commit, after which
every caller returns. Nobody returns before the commit, so an answer still means the
comment is on disk.

A write is ``many(connection, items)`` for one item: the writes that share a ``many``
are made by one call of it with all their items, so a batch of posts costs a few
statements rather than a few per post (``desk/intake.py``). Each group, and each write
of no group (``run``), is made in a savepoint of its own: one that fails is rolled back
alone and its caller gets its error. A group that raises is made again one item at a
time, so one bad item fails alone.

No thread of its own: whoever finds no leader at work becomes one. It takes the lock
first and only then what is waiting (at most ``MAX_BATCH``, its own write among them):
the writes that arrived while it waited for the lock go in its transaction too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Connection

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - an item, as in the typing docs

#: The most writes one transaction carries: bounds how long a leader holds the lock.
MAX_BATCH = 64

#: Writes ``items`` together; answers each item's result, or the exception that refused
#: it alone (its part written nothing).
Many = Callable[[Connection, Sequence[I]], Sequence[T | Exception]]


@dataclass(eq=False)
class _Write(Generic[T]):
    work: Callable[[Connection], T] | None = None
    many: Many[Any, T] | None = None
    item: Any = None
    result: Any = None
    error: BaseException | None = None
    finished: bool = False


class GroupCommit:
    """Runs writes in shared transactions, batching those that wait at the same time."""

    def __init__(self, transaction: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._transaction = transaction
        self._turn = threading.Condition()
        self._waiting: list[_Write[Any]] = []
        self._leading = False
        self.batches = 0  # transactions committed (for tests and the curious)

    def run(self, work: Callable[[Connection], T]) -> T:
        """``work``'s result once its transaction is committed; its error if it raised
        (its own part rolled back) or if the commit failed."""
        return self._run(_Write(work=work))

    def run_many(self, many: Many[I, T], item: I) -> T:
        """``item``'s result from ``many``, made together with the other items of the
        same ``many`` that wait at the same time, once their transaction is committed."""
        return self._run(_Write(many=many, item=item))

    def _run(self, mine: _Write[T]) -> T:
        with self._turn:
            self._waiting.append(mine)
            while self._leading and not mine.finished:
                self._turn.wait()
            leads = not mine.finished
            if leads:
                self._leading = True
        if leads:
            try:
                self._lead(mine)
            finally:
                with self._turn:
                    self._leading = False
                    self._turn.notify_all()
        if mine.error is not None:
            raise mine.error
        result: T = mine.result
        return result

    def _take(self, mine: _Write[Any]) -> list[_Write[Any]]:
        """Up to ``MAX_BATCH`` waiting writes, ``mine`` first; the rest wait for the next."""
        with self._turn:
            others = [w for w in self._waiting if w is not mine]
            batch = [mine, *others[: MAX_BATCH - 1]]
            self._waiting = others[MAX_BATCH - 1 :]
        return batch

    def _lead(self, mine: _Write[Any]) -> None:
        batch = [mine]
        try:
            with self._transaction() as connection:
                batch = self._take(mine)  # with the lock held: latecomers come along
                if len(batch) == 1:  # alone: its transaction is its savepoint
                    _make_alone(connection, mine)
                else:
                    for group in _groups(batch):
                        _make(connection, group)
            self.batches += 1
        except BaseException as exc:  # the commit failed: nothing of the batch is stored
            for write in batch:
                if write.error is None:
                    write.error, write.result = exc, None
            if not isinstance(exc, Exception):
                raise
        finally:
            for write in batch:
                write.finished = True


def _groups(batch: list[_Write[Any]]) -> list[list[_Write[Any]]]:
    """The batch's writes of one ``many`` together (in order), each plain write alone."""
    groups: dict[object, list[_Write[Any]]] = {}
    for write in batch:
        groups.setdefault(write.many if write.many is not None else write, []).append(write)
    return list(groups.values())


def _make_alone(connection: Connection, write: _Write[Any]) -> None:
    """A write in a transaction of its own: what it raises rolls the transaction back."""
    if write.many is None:
        assert write.work is not None
        write.result = write.work(connection)
        return
    (answer,) = write.many(connection, [write.item])
    _answer(write, answer)


def _make(connection: Connection, group: list[_Write[Any]]) -> None:
    """A group in a savepoint; if it raises, each of its writes again in its own."""
    try:
        with connection.begin_nested():
            if group[0].many is None:
                _make_alone(connection, group[0])
                return
            answers = group[0].many(connection, [write.item for write in group])
    except Exception as exc:  # this part alone is rolled back
        if len(group) == 1:
            group[0].error = exc
            return
        for write in group:
            _make(connection, [write])
        return
    for write, answer in zip(group, answers, strict=True):
        _answer(write, answer)


def _answer(write: _Write[Any], answer: object) -> None:
    if isinstance(answer, Exception):
        write.error = answer
    else:
        write.result = answer

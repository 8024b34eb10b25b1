"""Group commit: writes that arrive together share one transaction and one sync to disk.

On SQLite every commit waits for the disk (``synchronous=FULL``: an acknowledged
comment survives a power cut), and only one writer may hold the lock, so a flood of
posts queued behind one another, each paying for its own sync: at 16 at once most of a
post's time was spent waiting for the lock. Here the posts waiting at one moment are
written by one of them, the leader, in one transaction: each in a savepoint of its own
(one that fails is rolled back alone and its caller gets its error), then one commit,
after which every caller returns. Nobody returns before the commit, so an answer still
means the comment is on disk.

No thread of its own: whoever finds no leader at work becomes one, takes what is
waiting (at most ``MAX_BATCH``, its own write among them) and hands over when done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Connection

T = TypeVar("T")

#: The most writes one transaction carries: bounds how long a leader holds the lock.
MAX_BATCH = 64


@dataclass(eq=False)
class _Write(Generic[T]):
    work: Callable[[Connection], T]
    result: Any = None
    error: BaseException | None = None
    finished: bool = False


class GroupCommit:
    """Runs ``work(connection)`` functions, batching those that wait at the same time."""

    def __init__(self, transaction: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._transaction = transaction
        self._turn = threading.Condition()
        self._waiting: list[_Write[Any]] = []
        self._leading = False
        self.batches = 0  # transactions committed (for tests and the curious)

    def run(self, work: Callable[[Connection], T]) -> T:
        """``work``'s result once its transaction is committed; its error if it raised
        (its own part rolled back) or if the commit failed."""
        mine: _Write[T] = _Write(work)
        with self._turn:
            self._waiting.append(mine)
            while self._leading and not mine.finished:
                self._turn.wait()
            if not mine.finished:
                self._leading = True
                batch = self._take(mine)
        if not mine.finished:
            try:
                self._write(batch)
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
        others = [w for w in self._waiting if w is not mine]
        batch = [mine, *others[: MAX_BATCH - 1]]
        self._waiting = others[MAX_BATCH - 1 :]
        return batch

    def _write(self, batch: list[_Write[Any]]) -> None:
        try:
            with self._transaction() as connection:
                if len(batch) == 1:  # alone: its transaction is its savepoint
                    (write,) = batch
                    write.result = write.work(connection)
                else:
                    for write in batch:
                        try:
                            with connection.begin_nested():
                                write.result = write.work(connection)
                        except Exception as exc:  # this write alone is rolled back
                            write.error = exc
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

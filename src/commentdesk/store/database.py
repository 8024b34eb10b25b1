"""``Store`` owns the engines, the connections and the transactions.

SQLite: readers share a small pool of connections; every write goes through one
serialised path (a process-wide lock, a lock file shared with the other processes on
the database, then ``BEGIN IMMEDIATE`` with a busy timeout), so a user never meets
"database is locked" from our own concurrency. PostgreSQL: one
pooled engine, a statement timeout, the same interface. The desk only ever calls
``read()`` and ``write()``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DataError, OperationalError

from commentdesk.errors import NotFound, StoreUnavailable
from commentdesk.store.changes import ChangeWatch, watch
from commentdesk.store.together import GroupCommit, Many

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - an item

logger = logging.getLogger("commentdesk.store")

#: How often a writer looks whether the other processes' lock is free.
POLL_SECONDS = 0.0005
#: The longest a process that has just written waits for another's turn.
STAND_BACK_SECONDS = 0.05


def normalise_url(url: str) -> str:
    """Picks our drivers: ``postgresql://`` means psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Store:
    """Connections and transactions for one database. Thread-safe; make one per app."""

    def __init__(
        self, url: str, *, busy_timeout_ms: int = 10_000, statement_timeout_ms: int = 10_000
    ) -> None:
        self.url = normalise_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self._write_lock = threading.Lock()
        self._busy_timeout_ms = busy_timeout_ms
        self._lock_files: tuple[int, int] | None = None
        self._changes: ChangeWatch | None = None
        self._changes_lock = threading.Lock()
        # PostgreSQL commits concurrent transactions side by side and groups their syncs
        # itself; SQLite has one writer at a time, so writes that wait are grouped here.
        self._together = GroupCommit(self.write) if self.dialect == "sqlite" else None
        if self.dialect == "sqlite":
            self._reader = self._sqlite_engine(busy_timeout_ms, immediate=False, pool_size=8)
            self._writer = self._sqlite_engine(busy_timeout_ms, immediate=True, pool_size=1)
        else:
            options = f"-c statement_timeout={statement_timeout_ms}"
            self._reader = sa.create_engine(
                self.url,
                pool_size=10,
                max_overflow=10,
                pool_pre_ping=True,
                connect_args={"options": options, "connect_timeout": 5},
            )
            self._writer = self._reader

    def _sqlite_engine(self, busy_timeout_ms: int, *, immediate: bool, pool_size: int) -> Engine:
        engine = sa.create_engine(
            self.url,
            poolclass=sa.QueuePool,
            pool_size=pool_size,
            max_overflow=0,
            # Most recently used first: at ordinary load one or two connections serve
            # every read and keep their page caches hot, instead of eight filling eight
            # copies of the same pages (a 10-minute soak's memory grew 15% that way).
            pool_use_lifo=True,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, decide when transactions begin.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            # FULL: an acknowledged comment survives a power cut, not only a kill -9.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @property
    def engine(self) -> Engine:
        """The engine writes go through (for migrations and bulk tools)."""
        return self._writer

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every engine this store opened: SQLite has a reader and a writer."""
        return tuple(dict.fromkeys((self._reader, self._writer)))

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for consistent reads; nothing written through it is kept."""
        try:
            with self._reader.connect() as connection, connection.begin():
                yield connection
        except OperationalError as exc:
            raise _unavailable(exc) from exc
        except OverflowError as exc:
            raise _beyond_range() from exc
        except DataError as exc:
            if _out_of_range(exc):
                raise _beyond_range() from exc
            raise

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        try:
            if self.dialect == "sqlite":
                with self._write_lock, self._across_processes(), self._writer.begin() as connection:
                    yield connection
            else:
                with self._writer.begin() as connection:
                    yield connection
                if self._changes is not None:
                    self._changes.touch()
        except OperationalError as exc:
            raise _unavailable(exc) from exc
        except OverflowError as exc:
            raise _beyond_range() from exc
        except DataError as exc:
            if _out_of_range(exc):
                raise _beyond_range() from exc
            raise

    def write_together(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` in a transaction, committed before this returns; on
        SQLite shared with the writes that wait at the same moment (``store/together.py``)
        so they pay for one sync to disk between them. ``work`` must do nothing but
        write and read through ``connection``: it may run on another caller's thread."""
        if self._together is None:
            with self.write() as connection:
                return work(connection)
        return self._together.run(work)

    def write_many(self, many: Many[I, T], item: I) -> T:
        """``item``'s result from ``many(connection, items)``, committed before this
        returns; on SQLite made by one call of ``many`` with every item of it that waits
        at the same moment (``store/together.py``). An exception ``many`` answers for
        ``item`` is raised here. Like ``write_together``'s ``work``, ``many`` must only
        write and read through ``connection``."""
        if self._together is None:
            with self.write() as connection:
                (answer,) = many(connection, [item])
            if isinstance(answer, Exception):
                raise answer
            return answer
        return self._together.run_many(many, item)

    @contextmanager
    def _across_processes(self) -> Iterator[None]:
        """Holds the database's lock file while this process writes, taking turns fairly
        with the other processes that want it.

        SQLite makes a second writer sleep and retry (1, 2, 5 … 100 ms) when another
        process holds the write lock, so with server workers and the assessment child on
        one file a write could wait 100 ms for a lock freed after one. Polling our own
        lock often hands it over at once. Polling alone is unfair, though: the process
        that lets go is first in line again (its next writer is already waiting), and
        under a flood of posts the other worker waited up to 140 ms. So a process that
        waits says so (a shared lock on the queue file), and one that has just written
        stands back while anyone else waits (``_after_others``). Bounded by the busy
        timeout.
        """
        handles = self._lock_handles()
        if handles is None:
            yield
            return
        lock, queue = handles
        deadline = time.monotonic() + self._busy_timeout_ms / 1000
        self._after_others(queue, min(deadline, time.monotonic() + STAND_BACK_SECONDS))
        fcntl.flock(queue, fcntl.LOCK_SH)  # "I am waiting too"
        held = False
        try:
            while not held:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held = True
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        break  # let BEGIN IMMEDIATE's own timeout decide
                    time.sleep(POLL_SECONDS)
        finally:
            fcntl.flock(queue, fcntl.LOCK_UN)
        try:
            yield
        finally:
            if held:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @staticmethod
    def _after_others(queue: int, until: float) -> None:
        """Waits while another process waits for the lock (holds the queue file shared),
        at most until ``until``: so two busy processes alternate."""
        while True:
            try:
                fcntl.flock(queue, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > until:
                    return
                time.sleep(POLL_SECONDS)
                continue
            fcntl.flock(queue, fcntl.LOCK_UN)
            return

    def _lock_handles(self) -> tuple[int, int] | None:
        """The open lock file beside the database file (``…-writelock``) and the file
        where waiters queue (``…-writequeue``), or None for a database in memory."""
        if self._lock_files is None:
            database = make_url(self.url).database
            if not database or database == ":memory:" or database.startswith("file:"):
                return None
            flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
            self._lock_files = (
                os.open(f"{database}-writelock", flags, 0o600),
                os.open(f"{database}-writequeue", flags, 0o600),
            )
        return self._lock_files

    def migrate(self) -> None:
        """Creates or upgrades the schema to the newest revision."""
        from commentdesk.store.migrate import upgrade

        with self._write_lock, self._writer.connect() as connection:
            upgrade(connection)

    def changes(self) -> ChangeWatch:
        """This store's watch for commits by anyone (``store/changes.py``), made once."""
        with self._changes_lock:
            if self._changes is None:
                self._changes = watch(self.url)
            return self._changes

    def close(self) -> None:
        with self._changes_lock:
            changes, self._changes = self._changes, None
        if changes is not None:
            changes.close()
        for engine in self.engines:
            engine.dispose()
        if self._lock_files is not None:
            for handle in self._lock_files:
                os.close(handle)
            self._lock_files = None


def _beyond_range() -> NotFound:
    # A number past 64 bits (a path id of twenty digits) names no row; SQLite's driver
    # refuses to even bind it, which must not become a 500.
    return NotFound("There is nothing with that number here.", field="id")


def _out_of_range(exc: DataError) -> bool:
    # PostgreSQL's 32-bit ``integer`` columns refuse a larger id (SQLSTATE 22003).
    return getattr(exc.orig, "sqlstate", None) == "22003"


def _unavailable(exc: OperationalError) -> StoreUnavailable:
    if "disk is full" in str(exc.orig) or "No space left" in str(exc.orig):
        # SQLite's SQLITE_FULL: the operator must free space; the reader can only wait.
        logger.error("the database's disk is full; nothing can be saved until space is freed")
        return StoreUnavailable(
            "The comment store has run out of disk space; nothing was saved. Please try "
            "again later."
        )
    return StoreUnavailable(
        "The comment store is busy or unreachable; nothing was saved. Please try again "
        "in a few seconds."
    )

"""Has anything been committed since I last looked? Asked thousands of times a second.

The read path (``web/middleware/readpath.py``) answers a published thread from bytes it made
earlier, and must never answer one that a decision has since changed, whichever process
or host made the decision. Asking the database for the article's version on every read
costs a query; these watches answer the question "has any writer committed since?"
without one, so a cached answer is checked against the database only after a commit.

``generation()`` returns a value that changes whenever another connection may have
committed. Equal values mean nothing was committed in between; a value that cannot be
vouched for is a fresh ``object()``, equal to nothing, so the caller asks the database.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any, Protocol

from sqlalchemy.engine import make_url

logger = logging.getLogger("commentdesk.store")

#: The channel the PostgreSQL triggers of migration 0011 notify on.
CHANNEL = "commentdesk_changes"


class ChangeWatch(Protocol):
    def generation(self) -> object:
        """Equal to the previous answer only if nothing was committed in between."""

    def touch(self) -> None:
        """Notes a commit made through this process's store, at once."""

    def close(self) -> None: ...


class Unwatched:
    """No cheap way to know (a database in memory): every answer is new."""

    def generation(self) -> object:
        return object()

    def touch(self) -> None:
        pass

    def close(self) -> None:
        pass


class SQLiteChanges:
    """``PRAGMA data_version`` on a connection of our own that never writes.

    SQLite changes that number whenever another connection, in this process or any
    other, commits to the file; reading it costs a few microseconds and no lock.
    """

    def __init__(self, path: str) -> None:
        self._connection: sqlite3.Connection | None = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()

    def generation(self) -> object:
        with self._lock:
            if self._connection is None:
                return object()  # closed with its store
            row = self._connection.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def touch(self) -> None:
        pass  # data_version already counts this process's other connections

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class PostgresChanges:
    """``LISTEN`` on the channel that triggers on ``articles`` and ``sites`` notify.

    PostgreSQL sends a notification only once the writer's transaction commits, to every
    listener on every host; it is on its way before the writer hears "committed". Each
    ``generation()`` reads what has arrived on the listening connection without waiting
    (one ``recv``), so a read that follows a decision made elsewhere sees it. This
    process's own commits count at once (``touch``, called by the store after each
    write). A thread (re)connects, and drains the connection while nobody reads, so
    PostgreSQL's queue stays short. While not connected, every answer is new, so reads go
    to the database instead of trusting what may be stale; reconnecting moves the count
    once, for whatever was missed.
    """

    def __init__(self, url: str, *, retry_seconds: float = 1.0) -> None:
        self._conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        self._retry = retry_seconds
        self._connection: Any = None
        self._count = 0
        self._local = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._tried = threading.Event()
        self._thread = threading.Thread(target=self._run, name="commentdesk-changes", daemon=True)
        self._thread.start()
        self._tried.wait(timeout=5)  # listening (or known not to be) before the first read

    def generation(self) -> object:
        with self._lock:
            if self._connection is None or not self._drain():
                return object()
            return (self._local, self._count)

    def touch(self) -> None:
        # Our own commits count at once, not when their notification comes back.
        with self._lock:
            self._local += 1

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        with self._lock:
            self._drop()

    def _drain(self) -> bool:
        """Counts the notifications that have arrived; False if the connection is gone."""
        import psycopg

        try:
            raw = self._connection.pgconn
            raw.consume_input()
            while raw.notifies() is not None:
                self._count += 1
        except psycopg.Error as exc:
            logger.warning("change listener lost the database (%s); reconnecting", exc)
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _run(self) -> None:
        import psycopg

        while not self._stopping.is_set():
            if self._connection is None:
                try:
                    connection = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
                    connection.execute(f"LISTEN {CHANNEL}")
                except psycopg.Error as exc:
                    logger.warning("change listener cannot reach the database (%s)", exc)
                else:
                    with self._lock:
                        self._connection = connection
                        self._count += 1  # anything committed before LISTEN is past now
                finally:
                    self._tried.set()
            else:
                with self._lock:
                    self._drain()
            self._stopping.wait(self._retry)


def watch(url: str) -> ChangeWatch:
    """The cheapest honest watch for the database at ``url``."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return PostgresChanges(url)
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return Unwatched()
    return SQLiteChanges(database)

"""The assessment worker's loop: batches of full assessments, soon after each 202.

Inside ``commentdesk serve`` (``assess_in_server``) the loop runs in a child process
(``AssessmentProcess``, the default) or a thread (``AssessmentWorker``); ``commentdesk
worker`` runs it as a process of its own. It runs a batch; when nothing is due it sleeps
until the server stores a comment (``Assessor.wake``) or ``assess_poll_seconds`` pass, so
a comment is assessed within a poll of being stored by any process. Any number of loops
may share a PostgreSQL database (claims skip locked rows); on SQLite, one per database is
the sensible choice, though claims stay correct with more.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import socket
import subprocess  # our own interpreter and module, never a shell  # nosec B404
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any, cast

from pydantic import SecretStr

from commentdesk.desk import Desk
from commentdesk.desk.assessor import Due, Work, WriteFailed, Writes
from commentdesk.desk.screening import Prepared, Verdict
from commentdesk.settings import Settings

logger = logging.getLogger("commentdesk.assess")

#: Where the idle scheduling class is missing: how much lower than the server the child
#: runs. Requests first, assessments after.
CHILD_NICENESS = 10
#: How long a stopping server waits for its child at each step (end of pipe, SIGTERM).
GRACE_SECONDS = 3.0
#: The ``Writes`` methods the server makes for its child, and nothing else.
CHILD_WRITES = frozenset({"claim_rows", "write_verdict", "forget", "record_failure"})


def assess_until(desk: Desk, idle: Callable[[float], bool]) -> None:
    """Runs batches until ``idle(seconds)``, called when nothing more is due, says stop.

    Errors (a database away) are logged and retried after the idle wait.
    """
    settings = desk.context.settings
    # The sentence encoder loads here, in the worker, before the first comment needs it
    # (seconds), never at import and never in a request.
    desk.screening.warm()
    while True:
        claimed = 0
        try:
            claimed = desk.assessor.run_batch(settings.assess_batch)
        except Exception:
            logger.exception("the assessment worker failed; trying again")
        if claimed < settings.assess_batch and idle(settings.assess_poll_seconds):
            return


class AssessmentWorker:
    """The loop as a thread of this process (``commentdesk worker``, or the server with
    ``assess_in_child`` off)."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _idle(self, seconds: float) -> bool:
        wake = self._desk.assessor.wake
        wake.wait(seconds)
        wake.clear()
        return self._stop.is_set()

    def run(self) -> None:
        """Loops until ``stop``."""
        if not self._stop.is_set():
            assess_until(self._desk, self._idle)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="commentdesk-assess", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._desk.assessor.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


class AssessmentProcess:
    """The loop in a child process of the server, run only on CPU the server leaves idle.

    Assessing is CPU-bound Python; as a thread of the server it holds the interpreter
    lock that every request needs, so a flood's assessments would slow the 202s that the
    two-stage design keeps fast. The child gets the settings through its stdin and one end
    of a pipe: a byte on it is a wake-up (a comment was stored), its end of file means
    stop, whether the server closed it or died.

    The child reads and thinks; the server writes for it (``serve_writes``). An
    idle-class process gets the CPU only when the server leaves it idle, so a lock it
    held (SQLite has one writer) stayed held while a flood of posts kept the CPU busy,
    and every post waited for it: at 16 posts at once on two cores one of the child's
    writes held the lock for 111 ms. Written by the server, they wait their turn like
    any post's.
    """

    def __init__(self, desk: Desk) -> None:
        self._desk = desk
        self._process: subprocess.Popen[bytes] | None = None
        self._pipe: int | None = None
        self._forwarder: threading.Thread | None = None
        self._writes: Connection | None = None
        self._writer: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        read, write = os.pipe()
        os.set_blocking(write, False)
        ours, theirs = socket.socketpair()
        try:
            self._process = subprocess.Popen(  # noqa: S603 - a fixed argv of our own  # nosec B603
                [sys.executable, "-m", "commentdesk.assessing", str(read), str(theirs.fileno())],
                stdin=subprocess.PIPE,
                pass_fds=(read, theirs.fileno()),
            )
        finally:
            os.close(read)
            theirs.close()
        self._pipe = write
        self._writes = Connection(ours.detach())
        assert self._process.stdin is not None
        self._process.stdin.write(settings_json(self._desk.context.settings).encode("utf-8"))
        self._process.stdin.close()
        self._forwarder = threading.Thread(
            target=self._forward, name="commentdesk-assess-wake", daemon=True
        )
        self._forwarder.start()
        self._writer = threading.Thread(
            target=serve_writes,
            args=(self._desk.assessor, self._writes),
            name="commentdesk-assess-writes",
            daemon=True,
        )
        self._writer.start()

    def _forward(self) -> None:
        """Passes this process's wake-ups (``Comments.submit``) on to the child."""
        wake = self._desk.assessor.wake
        while True:
            wake.wait()
            wake.clear()
            if self._stopping.is_set():
                return
            try:
                os.write(self._pipe or -1, b"\1")
            except BlockingIOError:
                pass  # full of wake-ups already
            except OSError:
                return  # the child has gone (stopping, or killed): nobody to wake

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (for an operator's ``ps``, and tests)."""
        return self._process.pid if self._process is not None else None

    @property
    def exit_status(self) -> int | None:
        """The child's exit status once stopped (0: it ended at its pipe's end of file)."""
        return self._process.returncode if self._process is not None else None

    def stop(self) -> None:
        self._stopping.set()
        self._desk.assessor.wake.set()
        if self._forwarder is not None:
            self._forwarder.join(timeout=5)
        if self._pipe is not None:
            os.close(self._pipe)  # the child's end of file: it ends after its batch
            self._pipe = None
        if self._process is not None:
            # A batch may be long (or the model still loading): a server that is asked to
            # stop does not wait for it. What the child leaves unwritten is kept by the
            # lease and assessed by the next worker, as after a crash.
            for end in (None, self._process.terminate, self._process.kill):
                if end is not None:
                    end()
                try:
                    self._process.wait(timeout=GRACE_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._writer is not None:
            self._writer.join(timeout=GRACE_SECONDS)  # the child's end is closed: it ends
        if self._writes is not None:
            self._writes.close()
            self._writes = None


def serve_writes(assessor: Writes, connection: Connection) -> None:
    """Makes the writes a worker sends (``ParentWrites``) until it hangs up, answering
    each with its result or the name of its exception."""
    while True:
        try:
            # Our own child's messages, on a socket only it holds the other end of.
            name, args = connection.recv()
        except (EOFError, OSError):
            return
        reply: tuple[str, Any]
        if name not in CHILD_WRITES:
            reply = ("failed", "UnknownWrite")
        else:
            try:
                reply = ("done", getattr(assessor, name)(*args))
            except Exception as exc:  # the worker records it, as for its own failures
                logger.exception("a write for the assessment worker failed")
                reply = ("failed", type(exc).__name__)
        try:
            connection.send(reply)
        except OSError:
            return


class ParentWrites:
    """The child's ``Writes``: each is sent to the server, which makes it and answers."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _call(self, name: str, *args: object) -> object:
        self._connection.send((name, args))
        status, value = self._connection.recv()
        if status != "done":
            raise WriteFailed(str(value))
        return value

    def claim_rows(self, claim: str, now: datetime, limit: int) -> list[Due]:
        return cast(list[Due], self._call("claim_rows", claim, now, limit))

    def write_verdict(self, work: Work, prepared: Prepared, verdict: Verdict, claim: str) -> None:
        self._call("write_verdict", work, prepared, verdict, claim)

    def forget(self, due: Due, claim: str) -> None:
        self._call("forget", due, claim)

    def record_failure(self, due: Due, claim: str, error: str) -> None:
        self._call("record_failure", due, claim, error)


def settings_json(settings: Settings) -> str:
    """``settings`` as JSON that ``Settings.model_validate_json`` reads back whole (secrets
    included: pydantic masks them in its own dump). Only for our own child's stdin."""
    data = settings.model_dump(mode="json")
    for name, value in settings:
        if isinstance(value, SecretStr):
            data[name] = value.get_secret_value()
    return json.dumps(data)


def _child(pipe: int, writes: int) -> None:
    """The child's life: open the desk, assess until the server closes the pipe; its
    writes go to the server through the socket ``writes``."""
    from commentdesk.logs import configure_logging

    _yield_to_requests()
    settings = Settings.model_validate_json(sys.stdin.buffer.read())
    configure_logging(settings)
    # The server's signals (Ctrl+C in a terminal reaches the whole group) are for the
    # server: the child stops when the server closes its pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def idle(seconds: float) -> bool:
        ready, _, _ = select.select([pipe], [], [], seconds)
        return bool(ready) and os.read(pipe, 4096) == b""

    desk = Desk.open(settings)
    connection = Connection(writes)
    desk.assessor.writes = ParentWrites(connection)
    try:
        assess_until(desk, idle)
    finally:
        connection.close()
        desk.close()


def _yield_to_requests() -> None:
    """Runs this process only on CPU the server leaves idle (Linux's SCHED_IDLE), else at
    ``CHILD_NICENESS``. A nice level still takes a share under a flood; an idle-class
    process takes none. It holds no lock a request could wait for: the server makes its
    writes."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(CHILD_NICENESS)


if __name__ == "__main__":
    _child(int(sys.argv[1]), int(sys.argv[2]))

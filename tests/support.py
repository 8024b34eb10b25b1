"""Plain helpers the tests share: a password, a clock, headers, child processes.

Fixtures live in the ``conftest.py`` files (which import from here); test modules import
these by name from ``tests.support``, never from a ``conftest``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

PASSWORD = "correct horse battery"


class Clock:
    """A clock tests can move; the desk reads time only through it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


#: Children of a session-wide fixture (Playwright's driver). A test that asks for such a
#: fixture by name (``request.getfixturevalue``) starts it after our first look; they
#: outlive that test by design and are not its leak.
SESSION_CHILDREN: set[int] = set()


def child_processes() -> set[int]:
    """This process's live children, from /proc (empty where there is none)."""
    children: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{os.getpid()}/task")
    except OSError:
        return children
    for task in tasks:
        try:
            with open(f"/proc/{os.getpid()}/task/{task}/children") as listing:
                children.update(int(pid) for pid in listing.read().split())
        except OSError:
            continue
    return children

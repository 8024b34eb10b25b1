"""Plain helpers the tests share: settings, a password, a clock, headers, a reader's comment,
a database that stops answering, child processes.

Fixtures live in the ``conftest.py`` files (which import from here); test modules import
these by name from ``tests.support``, never from a ``conftest``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy.engine import Connection

from commentdesk.desk import Desk, Draft
from commentdesk.errors import StoreUnavailable
from commentdesk.model import Action, Moderator
from commentdesk.settings import Settings

PASSWORD = "correct horse battery"
#: A submission limit that no test reaches.
UNLIMITED = "100000/1"
#: Cheap argon2 parameters: the real ones are tested in test_accounts.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
#: The ``make_settings`` fixture: ``base_settings`` on the test's database.
MakeSettings = Callable[..., Settings]


def base_settings(database_url: str, **overrides: Any) -> Settings:
    """The suite's settings (the ``settings`` fixture), with ``overrides`` on top.

    Submission limits are out of the way (tests of the limits set their own), and the
    server does not assess: tests run the full assessment themselves, when they choose.
    """
    fields: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": "test-secret-key",
        "assess_in_server": False,
        "rate_commenter": UNLIMITED,
        "rate_address": UNLIMITED,
        "rate_article": UNLIMITED,
        "rate_site": UNLIMITED,
    }
    return Settings(**(fields | overrides))


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


#: A factory fixture that submits a reader's comment and returns its id: ``submit_comment``
#: with a folder's defaults bound (``post``, ``post_comment``, ``publish``), or the rights
#: tests' ``write``, which goes through the reader's form.
Post = Callable[..., int]


def submit_comment(
    desk: Desk,
    body: str = "A thoughtful comment.",
    *,
    key: str = "a1",
    author: str = "Reader",
    email: str | None = None,
    parent_id: int | None = None,
    commenter_key: str | None = None,
    new_commenter: bool = False,
    assess: bool = False,
    approve_as: Moderator | None = None,
) -> int:
    """Submits a reader's comment on article ``key`` through the desk; returns its id.

    ``new_commenter``: from a browser never seen before (a fresh commenter key), unless
    ``commenter_key`` names one. ``assess``: then runs the worker's full assessment, as
    `serve` does after the 202. ``approve_as``: then approves it as that moderator.
    """
    if new_commenter and commenter_key is None:
        commenter_key = secrets.token_urlsafe(18)
    draft = Draft(
        author=author,
        body=body,
        accept_terms=True,
        email=email,
        parent_id=parent_id,
        commenter_key=commenter_key,
    )
    comment_id = desk.comments.submit(key, draft).comment.id
    if assess:
        desk.assessor.drain()
    if approve_as is not None:
        desk.moderation.decide(approve_as, comment_id, Action.APPROVE)
    return comment_id


def unreachable_database(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """Makes every read of the desk's store fail, as when the database does not answer."""

    @contextmanager
    def unreachable() -> Iterator[Connection]:
        raise StoreUnavailable("down")
        yield  # pragma: no cover

    monkeypatch.setattr(desk.context.store, "read", unreachable)


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

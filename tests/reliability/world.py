"""One running app over one SQLite file, shared by the hostile-input matrix.

``World`` holds the desk, the app, a signed-in admin's console browser and API token,
and the few moves every door needs (a fresh reader, an article, a submission, an
approval). Doors put hostile text in through it and say where it landed (``Placed``);
windows read it back out and say what they saw (``Seen``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.errors import InvalidInput
from commentdesk.model import Action, Moderation, Moderator, Role, Site
from commentdesk.settings import Settings
from commentdesk.validation import clean_author
from tests.console.support import sign_in, token_of
from tests.support import FAST_HASHER, PASSWORD, auth, base_settings, submit_comment

SITE = "hostile"
#: Where the embed's host page may live: any loopback port.
LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*")


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a door put one hostile string, and the text every window must show for it.

    ``slot`` says which kind of text it is: ``body``, ``author``, ``own_body`` (a reader's
    own pending comment), ``edit_reason``, ``edit`` (an edit's before → after),
    ``decision_reason``, ``report``, ``terms`` or ``word``.
    """

    door: str
    typed: str
    slot: str
    shown: str
    comment_id: int | None = None
    article: str | None = None
    site_id: int | None = None
    before: str | None = None
    token: str | None = None


@dataclass(slots=True)
class Entered:
    """What a door did with its strings: placed, refused with a clean 4xx, or skipped."""

    placed: list[Placed] = field(default_factory=list)
    refused: int = 0
    skipped: int = 0
    findings: list[str] = field(default_factory=list)

    def tried(self) -> int:
        return len({p.typed for p in self.placed}) + self.refused + self.skipped


@dataclass(slots=True)
class Seen:
    """What a window showed: how many texts it showed, and every problem found."""

    shown: int = 0
    #: How many of the placed texts the window can show at most (a feed shows 50); 0: all.
    cap: int = 0
    unsafe: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    def expect(self, where: str, got: str | None, wanted: str) -> None:
        """Counts one text shown; notes it when it is not exactly ``wanted``."""
        self.shown += 1
        if got != wanted:
            self.mismatched.append(f"{where}: shows {got!r}, stored {wanted!r}")


def pseudonym_for(text: str) -> str:
    """The hostile string itself when the pseudonym rules accept it, else a plain one."""
    try:
        clean_author(text)
    except InvalidInput:
        return "Reader"
    return text


class World:
    """The app and its people; made once per test module."""

    def __init__(self, desk: Desk, settings: Settings, folder: Path) -> None:
        self.desk = desk
        self.settings = settings
        self.folder = folder
        self.app: FastAPI = _make_app(settings, desk)
        self.site: Site = desk.catalog.ensure_site(
            SITE, name="Hostile Times", origins=LOOPBACK_ORIGINS, moderation=Moderation.PRE
        )
        self.admin: Moderator = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
        self.token = desk.accounts.create_token("chief")
        # The app's lifespan (its workers) runs for the world's life, started here, in the
        # fixture; the browsers' clients start nothing, so no test leaves a thread behind.
        self._running = TestClient(self.app)
        self._running.__enter__()
        self.reader = self.client()
        self.console = self.client()
        sign_in(self.console, "chief")
        self.console_csrf = token_of(self.console)
        self._numbers = count(1)
        self._entered: dict[str, Entered] = {}
        self.base_url: str | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # people and places

    def client(self) -> TestClient:
        """A browser of its own (its own cookies) on the app."""
        return TestClient(self.app)

    def auth(self) -> dict[str, str]:
        return auth(self.token)

    def new_article(self, door: str) -> str:
        key = f"{door.replace('_', '-')}-{next(self._numbers)}"
        self.desk.catalog.add_article(
            SITE, key, url=f"https://hostile.example/{key}", title=f"Story for {door}"
        )
        return key

    def benign(self, key: str, n: int) -> int:
        """A plain pending comment, straight through the desk; returns its id."""
        return submit_comment(
            self.desk, f"A plain comment, number {n}.", key=key, author=f"Reader {n}"
        )

    def approve(self, comment_id: int) -> None:
        self.desk.moderation.decide(self.admin, comment_id, Action.APPROVE)

    def console_post(self, path: str, data: dict[str, str]) -> Any:
        fields = {"csrf": self.console_csrf, **data}
        return self.console.post(path, data=fields, follow_redirects=False)

    def entered(self, door: str, run: Any) -> Entered:
        """The door's result, run once per world however many windows read it."""
        if door not in self._entered:
            self._entered[door] = run(self)
        return self._entered[door]

    # a real server, for the browser

    def serve(self) -> str:
        """Serves the same app on a free loopback port (once); returns its base URL."""
        if self.base_url is not None:
            return self.base_url
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on")
        self._server = uvicorn.Server(config)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert time.monotonic() < deadline, "the world's server did not start in 10 s"
            time.sleep(0.01)
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    def close(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self._running.__exit__(None, None, None)


def _make_app(settings: Settings, desk: Desk) -> FastAPI:
    from commentdesk.web import create_app

    return create_app(settings, desk=desk)


@contextmanager
def world_over(database_url: str, folder: Path) -> Iterator[World]:
    """A world on ``database_url`` with the suite's settings, long thread pages, and the
    assessment running in the server, as `serve` runs it."""
    settings = base_settings(database_url, thread_page_size=1000, assess_in_server=True)
    desk = Desk.open(settings, hasher=FAST_HASHER)
    world = World(desk, settings, folder)
    try:
        yield world
    finally:
        world.close()
        desk.close()

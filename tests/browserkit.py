"""Browser fixtures: a live server over a fresh database, and Debian's chromium.

Made to be shared by every browser test (reader and console alike):

- ``live_server``: uvicorn serving ``create_app`` on a free loopback port, in a thread,
  over a fresh migrated SQLite file; its ``desk`` seeds data in the same process, and
  ``url(path)`` builds addresses. A ``demo`` site (embeddable from any
  ``http://127.0.0.1:PORT`` or ``http://localhost:PORT``) and its ``welcome`` article exist.
- ``moderator``: a ``Login`` (name, password, API token) on that server.
- ``browser``: one chromium for the whole session, launched from ``/usr/bin/chromium``
  (never a downloaded build). Missing: skipped with one line saying why, unless
  ``COMMENTDESK_REQUIRE_BROWSER=1`` (CI), where it fails instead.
- ``open_page``: ``open_page(javascript=False, width=320, dark=True)`` gives a fresh page in
  its own context; requests to anything but loopback are aborted and listed in
  ``open_page.foreign``, and console errors in ``open_page.errors``.
- ``screenshot``: ``screenshot(page, "name")`` saves full-page PNGs at 320 and 1280 px
  under ``test-artifacts/browser/`` (gitignored).
- ``host_site``: a tiny static server on another port, for pages that embed us.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    sync_playwright,
)
from starlette.types import ASGIApp

from commentdesk.desk import Desk
from commentdesk.model import Action, Event, Moderation, Role
from commentdesk.settings import Settings
from commentdesk.web import create_app
from tests.support import FAST_HASHER, PASSWORD, SESSION_CHILDREN, child_processes

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("COMMENTDESK_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DEMO_SITE = "demo"
DEMO_ARTICLE = "welcome"
LOOPBACK = frozenset({"127.0.0.1", "localhost"})


@dataclass
class LiveServer:
    """A running app: its base URL, and the desk it writes through."""

    base: str
    desk: Desk
    settings: Settings

    def url(self, path: str = "/") -> str:
        return self.base + path


def last_decision(live: LiveServer, comment_id: int) -> Event:
    """The comment's newest moderator event. The live server assesses in the background,
    at idle priority, so its ``assess`` event may land after a moderator's decision."""
    history = live.desk.moderation.history(comment_id)
    return [e for e in history if e.action not in (Action.SUBMIT, Action.ASSESS)][-1]


@dataclass(frozen=True)
class Login:
    name: str
    password: str
    token: str


def assessed(live: LiveServer, seconds: float = 60) -> None:
    """Every comment assessed: here, and by the live server's own worker, which may have
    claimed a batch while this drained (a campaign is whole only when both are done)."""
    deadline = time.monotonic() + seconds
    live.desk.assessor.drain()
    while live.desk.assessor.due_count():
        assert time.monotonic() < deadline, "the assessment did not finish"
        time.sleep(0.05)


def listening_socket() -> socket.socket:
    """A socket already bound to a free loopback port (no race for the port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def live_server(sqlite_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    path = tmp_path / "live.db"
    shutil.copyfile(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="browser-test-secret")
    desk = Desk.open(settings, hasher=FAST_HASHER)
    desk.catalog.ensure_site(
        DEMO_SITE,
        name="Demo newsroom",
        origins=("http://127.0.0.1:*", "http://localhost:*"),
        moderation=Moderation.PRE,
    )
    sock = listening_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    desk.catalog.add_article(
        DEMO_SITE, DEMO_ARTICLE, url=f"{base}/", title="Welcome to commentdesk"
    )
    with serving(create_app(settings, desk=desk), sock):
        yield LiveServer(base, desk, settings)
    desk.close()


@contextmanager
def serving(app: ASGIApp, sock: socket.socket) -> Iterator[None]:
    """Serves ``app`` with uvicorn in a thread on ``sock`` (a bound loopback socket, see
    ``listening_socket``) until the block ends; then stops it and closes the socket."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the live server stopped while starting"
        assert time.monotonic() < deadline, "the live server did not start in 10 s"
        time.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def moderator(live_server: LiveServer) -> Login:
    name = "editor"
    live_server.desk.accounts.add_moderator(name, PASSWORD, Role.ADMIN)
    return Login(name, PASSWORD, live_server.desk.accounts.create_token(name))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(reason.replace("skipped", "required, but"))
        pytest.skip(reason)
    before = child_processes()
    with sync_playwright() as driver:
        SESSION_CHILDREN.update(child_processes() - before)
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class PageFactory:
    """Opens pages in fresh contexts and notes what they did that they should not."""

    browser: Browser
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _contexts: list[BrowserContext] = field(default_factory=list)

    def __call__(
        self,
        *,
        javascript: bool = True,
        width: int = 1280,
        height: int = 900,
        dark: bool = False,
        locale: str = "en-US",
    ) -> Page:
        """A page in a fresh context; ``locale`` is the browser's language (its
        ``Accept-Language``), which the console follows."""
        context = self.browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
            locale=locale,
            timezone_id="UTC",
            color_scheme="dark" if dark else "light",
        )
        self._contexts.append(context)
        context.set_default_timeout(10_000)
        context.route("**/*", self._only_loopback)
        page = context.new_page()
        page.on("console", self._note_error)
        return page

    def _only_loopback(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOOPBACK or url.startswith(("data:", "about:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _note_error(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[PageFactory]:
    factory = PageFactory(browser)
    yield factory
    factory.close()


@dataclass(frozen=True)
class Screenshots:
    """``screenshot(page, name)``: full-page PNGs at 320 and 1280 px wide."""

    prefix: str

    def __call__(self, page: Page, name: str) -> list[Path]:
        size = page.viewport_size or {"width": 1280, "height": 900}
        paths = []
        for width in (320, 1280):
            page.set_viewport_size({"width": width, "height": size["height"]})
            path = ARTIFACTS / f"{self.prefix}-{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        page.set_viewport_size(size)
        return paths


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshots:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return Screenshots(request.node.name.removeprefix("test_")[:60])


@dataclass
class HostSite:
    """A publisher's site on another origin, serving the pages it is given."""

    base: str
    pages: dict[str, str]

    def url(self, path: str = "/") -> str:
        return self.base + path


class _HostHandler(SimpleHTTPRequestHandler):
    pages: ClassVar[dict[str, str]] = {}

    def do_GET(self) -> None:
        body = self.pages.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        kind = "text/css" if self.path.endswith(".css") else "text/html"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output quiet


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    """Serves ``pages`` at ``http://localhost:PORT``: another site than 127.0.0.1."""
    pages: dict[str, str] = {}
    handler = type("Handler", (_HostHandler,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield HostSite(f"http://localhost:{server.server_address[1]}", pages)
    server.shutdown()
    server.server_close()
    thread.join(5)

"""Fixtures, composed settings → store → desk → app → client → moderator.

Every test that takes ``database_url`` runs twice: on a fresh SQLite file and on a
fresh PostgreSQL database (from ``COMMENTDESK_TEST_POSTGRES_URL``). Without a server
the PostgreSQL half is skipped with one line saying why, unless
``COMMENTDESK_REQUIRE_POSTGRES=1`` (CI), where it fails instead.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Moderation, Role
from commentdesk.settings import Settings
from commentdesk.store import Store
from commentdesk.web import create_app
from tests.support import (
    FAST_HASHER,
    PASSWORD,
    SESSION_CHILDREN,
    Clock,
    MakeSettings,
    base_settings,
    child_processes,
)

# The browser fixtures (one Playwright and one Chromium for the whole session) are
# registered here, once, so every folder's browser tests share them.
pytest_plugins = ("tests.browserkit",)

POSTGRES_ENV = "COMMENTDESK_TEST_POSTGRES_URL"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: the fast checks answer first, and Playwright's session-long
    event loop in the main thread cannot disturb tests that run their own."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


_POOL_THREAD = re.compile(r"AnyIO worker thread|asyncio_\d+|asyncio-waitpid-\d+")


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture(autouse=True)
def keeps_the_root_logger() -> Iterator[None]:
    """A command run in process (``worker --once``) points the root logger at the stderr
    CliRunner captured; put it back, so later tests' servers do not log to a closed file."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def leaves_nothing_running() -> Iterator[None]:
    """A test ends every thread and process it started (servers, workers, portals).

    Set up before, and so torn down after, every other fixture of the test; what a wider
    fixture (the browser, a module's live server) started is already running when we look.
    """
    threads_before = set(threading.enumerate())
    children_before = child_processes()
    yield
    deadline = time.monotonic() + 10
    left: list[threading.Thread] = []
    for thread in threading.enumerate():
        if thread in threads_before or isinstance(thread, threading._DummyThread):
            continue
        if _POOL_THREAD.fullmatch(thread.name):
            # An event loop's worker pool lives as long as its loop: a loop the test
            # started is caught by its own thread (a portal, a server); one a wider
            # fixture runs (Playwright's, a session's live server) is not the test's.
            # A waitpid thread watches a child: a child the test left is caught below.
            continue
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            left.append(thread)
    children = set()
    while True:
        started = child_processes() - children_before - SESSION_CHILDREN
        children = {pid for pid in started if not _is_zombie(pid)}
        if not children or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not left, f"the test left threads running: {[t.name for t in left]}"
    assert not children, f"the test left child processes running: {sorted(children)}"


REQUIRE_POSTGRES = os.environ.get("COMMENTDESK_REQUIRE_POSTGRES") == "1"
_numbers = itertools.count()


def _postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    reason = None
    if not url:
        reason = f"PostgreSQL half skipped: {POSTGRES_ENV} is not set"
    else:
        try:
            engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
            with engine.connect():
                pass
            engine.dispose()
        except sa.exc.OperationalError:
            reason = f"PostgreSQL half skipped: nothing answers at {POSTGRES_ENV}"
    if reason is None:
        return url
    if REQUIRE_POSTGRES:
        pytest.fail(reason.replace("skipped", "required but unavailable"))
    pytest.skip(reason)


def _admin_engine(url: str) -> sa.Engine:
    return sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test gets a copy (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.close()  # the last connection to close folds the WAL into the file
    assert not path.with_name("template.db-wal").exists()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh copy of the migrated SQLite file: for a module whose behaviour does not
    depend on the database, which then says ``database_url`` is this."""
    path = tmp_path / "sqlite-only.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database used as the TEMPLATE of each test's database."""
    admin_url = _postgres_admin_url()
    assert admin_url is not None
    name = f"cd_template_{os.getpid()}"
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    store = Store(url)
    store.migrate()
    store.close()
    yield name
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database: an SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "commentdesk.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("postgres_template")
    admin_url = os.environ[POSTGRES_ENV]
    name = f"cd_test_{os.getpid()}_{next(_numbers)}"
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_settings(database_url: str) -> MakeSettings:
    """Builds the suite's settings with overrides: ``make_settings(smtp_host=...)``."""
    return functools.partial(base_settings, database_url)


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


@pytest.fixture
def desk(settings: Settings, clock: Clock) -> Iterator[Desk]:
    desk = Desk.open(settings, clock=clock, hasher=FAST_HASHER)
    yield desk
    desk.close()


@pytest.fixture
def site_slug(desk: Desk) -> str:
    desk.catalog.ensure_site(
        "news",
        name="The News",
        origins=("https://news.example",),
        moderation=Moderation.PRE,
    )
    return "news"


@pytest.fixture
def article_key(desk: Desk, site_slug: str) -> str:
    desk.catalog.add_article(site_slug, "a1", url="https://news.example/a1", title="First story")
    return "a1"


@pytest.fixture
def client(settings: Settings, desk: Desk) -> Iterator[TestClient]:
    with TestClient(create_app(settings, desk=desk)) as client:
        yield client


@pytest.fixture
def admin_token(desk: Desk) -> str:
    desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    return desk.accounts.create_token("chief")


@pytest.fixture
def moderator_token(desk: Desk) -> str:
    desk.accounts.add_moderator("mina", PASSWORD, Role.MODERATOR)
    return desk.accounts.create_token("mina")

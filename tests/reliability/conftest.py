"""Fixtures for the reliability tests: one hostile world per module, results for the report.

``make test`` runs the fast parts with a fixed sample of the corpus. ``make reliability``
(``bench/reliability/run.py``) sets ``COMMENTDESK_RELIABILITY=1`` to run the slow fault
tests too, ``COMMENTDESK_RELIABILITY_FULL=1`` for the whole corpus, and
``COMMENTDESK_RELIABILITY_RESULTS=FILE`` to collect each test's figures (one JSON object
a line) for ``docs/reliability.md``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.results import Record, write_result
from tests.reliability.world import World, world_over

SLOW_ENV = "COMMENTDESK_RELIABILITY"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow reliability tests run only under ``make reliability``."""
    if os.environ.get(SLOW_ENV) == "1":
        return
    skip = pytest.mark.skip(reason="slow reliability run: `make reliability` runs it")
    for item in items:
        if item.get_closest_marker("reliability") is not None:
            item.add_marker(skip)


def _world(sqlite_template: Path, factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = factory.mktemp("world")
    path = folder / "hostile.db"
    shutil.copyfile(sqlite_template, path)
    with world_over(f"sqlite:///{path}", folder) as made:
        yield made


@pytest.fixture(scope="module")
def world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A running app over its own SQLite file, shared by a module's tests."""
    yield from _world(sqlite_template, tmp_path_factory)


@pytest.fixture(scope="session")
def matrix_world(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The hostile matrix's world, kept for the whole session: its browser windows run
    with the other browser tests at the end, and must find the doors already entered.
    Its live server (for the browser) starts here, not in the first test that needs it."""
    for world in _world(sqlite_template, tmp_path_factory):
        world.serve()
        yield world


@pytest.fixture
def record(request: pytest.FixtureRequest) -> Record:
    """``record(kind, **figures)``: ``write_result`` with the test's id."""

    def write(kind: str, **figures: Any) -> None:
        write_result(kind, test=request.node.nodeid, **figures)

    return write

"""Hostile text through every door, out of every window: escaped, never executable, exact.

The table ``PAIRS`` lists which windows show what each door lets in. A window added
later (Atom, email) is one function in ``windows.py`` and one entry per door here.
``make test`` runs a fixed sample of the corpus; ``make reliability`` all of it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute

from commentdesk import web
from tests.reliability.corpus import SAMPLE, SMALL_SAMPLE, corpus
from tests.reliability.doors import DOORS
from tests.reliability.embed_window import embed_dom
from tests.reliability.results import Record
from tests.reliability.windows import SHOWS, WINDOWS
from tests.reliability.world import Entered, Seen, World

#: (door, window): every place each door's text is shown.
PAIRS: tuple[tuple[str, str], ...] = (
    ("form", "thread_html"),
    ("form", "thread_json"),
    ("form", "static_files"),
    ("form", "console_queue"),
    ("form", "moderation_json"),
    ("form", "embed_dom"),
    ("form", "atom"),
    ("api", "thread_html"),
    ("api", "thread_json"),
    ("api", "static_files"),
    ("api", "console_queue"),
    ("api", "console_comment"),
    ("api", "moderation_json"),
    ("api", "embed_dom"),
    ("api", "atom"),
    ("author_edit", "own_html"),
    ("author_edit", "console_queue"),
    ("author_edit", "moderation_json"),
    ("moderator_edit_api", "thread_html"),
    ("moderator_edit_api", "thread_json"),
    ("moderator_edit_api", "static_files"),
    ("moderator_edit_api", "console_comment"),
    ("moderator_edit_api", "events_json"),
    ("moderator_edit_api", "audit_csv"),
    ("moderator_edit_api", "audit_html"),
    ("moderator_edit_api", "embed_dom"),
    ("moderator_edit_api", "atom"),
    ("moderator_edit_console", "thread_html"),
    ("moderator_edit_console", "thread_json"),
    ("moderator_edit_console", "console_comment"),
    ("moderator_edit_console", "events_json"),
    ("moderator_edit_console", "audit_csv"),
    ("reject_reason", "console_queue"),
    ("reject_reason", "console_comment"),
    ("reject_reason", "moderation_json"),
    ("reject_reason", "events_json"),
    ("reject_reason", "audit_csv"),
    ("reject_reason", "transparency_csv"),
    ("reject_reason", "audit_html"),
    ("report", "console_queue"),
    ("report", "audit_csv"),
    ("import_disqus", "thread_html"),
    ("import_disqus", "thread_json"),
    ("import_disqus", "static_files"),
    ("import_disqus", "console_queue"),
    ("import_disqus", "atom"),
    ("import_wordpress", "thread_html"),
    ("import_wordpress", "thread_json"),
    ("import_wordpress", "console_queue"),
    ("article_title", "thread_html"),
    ("article_title", "thread_json"),
    ("article_title", "console_queue"),
    ("article_title", "atom"),
    ("terms", "terms_html"),
    ("terms", "console_site"),
    ("word_list", "word_list_json"),
)
#: How much of the corpus each door takes in ``make test`` (all of it in a full run).
SIZES = {"api": SAMPLE}


def _entered(world: World, door: str) -> Entered:
    return world.entered(door, lambda w: DOORS[door](w, corpus(SIZES.get(door, SMALL_SAMPLE))))


def _params() -> list[object]:
    marks = {"embed_dom": [pytest.mark.browser]}
    return [
        pytest.param(door, window, id=f"{door}-{window}", marks=marks.get(window, []))
        for door, window in PAIRS
    ]


def test_every_window_of_the_table_exists_and_every_door_is_shown_somewhere() -> None:
    assert {window for _, window in PAIRS} <= {*WINDOWS, "embed_dom"}
    assert {door for door, _ in PAIRS} == set(DOORS)


@pytest.mark.parametrize("door", list(DOORS))
def test_each_door_stores_hostile_text_as_documented_or_refuses_it_cleanly(
    matrix_world: World, door: str, record: Record
) -> None:
    entered = _entered(matrix_world, door)
    record(
        "door",
        door=door,
        tried=entered.tried(),
        placed=len(entered.placed),
        refused=entered.refused,
        skipped=entered.skipped,
        findings=len(entered.findings),
    )
    assert not entered.findings, "\n".join(entered.findings[:20])
    assert entered.placed


@pytest.mark.parametrize(("door", "window"), _params())
def test_hostile_text_is_shown_escaped_and_exact(
    matrix_world: World, door: str, window: str, record: Record, request: pytest.FixtureRequest
) -> None:
    world = matrix_world
    entered = _entered(world, door)
    placed = [p for p in entered.placed if p.slot in SHOWS[window]]
    assert placed, f"{door} puts nothing {window} shows"
    seen: Seen
    if window == "embed_dom":
        opener, host = request.getfixturevalue("open_page"), request.getfixturevalue("host_site")
        seen = embed_dom(world, placed, opener, host)
    else:
        seen = WINDOWS[window](world, placed)
    record(
        "window",
        door=door,
        window=window,
        tried=len({p.typed for p in placed}),
        shown=seen.shown,
        unsafe=len(seen.unsafe),
        mismatched=len(seen.mismatched),
    )
    assert not seen.unsafe, "\n".join(seen.unsafe[:20])
    assert not seen.mismatched, "\n".join(seen.mismatched[:20])
    assert seen.shown >= (seen.cap or len(placed))


#: The window that reads each CSV file the product hands out.
CSV_WINDOWS = {"/console/audit.csv": "audit_csv", "/console/transparency.csv": "transparency_csv"}


def _served_paths() -> set[str]:
    """Every path of every router in ``commentdesk.web`` and its sub-packages."""
    paths = set()
    for module in pkgutil.walk_packages(web.__path__, "commentdesk.web."):
        router = getattr(importlib.import_module(module.name), "router", None)
        if isinstance(router, APIRouter):
            paths |= {route.path for route in router.routes if isinstance(route, APIRoute)}
    return paths


def test_every_csv_the_product_writes_is_a_window_of_the_matrix() -> None:
    assert {path for path in _served_paths() if path.endswith(".csv")} == set(CSV_WINDOWS)
    assert set(CSV_WINDOWS.values()) <= {window for _, window in PAIRS}

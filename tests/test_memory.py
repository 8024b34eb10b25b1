"""The serving process caps glibc's malloc arenas, unless the operator already did."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from commentdesk.memory import limit_malloc_arenas


def _limit_in_a_fresh_process(env: dict[str, str]) -> str:
    code = "from commentdesk.memory import limit_malloc_arenas; print(limit_malloc_arenas())"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_arenas_are_capped_on_glibc() -> None:
    if "glibc" not in (os.confstr("CS_GNU_LIBC_VERSION") or ""):
        pytest.skip("not glibc: there is nothing to cap")
    assert _limit_in_a_fresh_process({"PATH": "/usr/bin:/bin"}) == "True"


def test_an_operators_own_malloc_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=4")
    assert limit_malloc_arenas() is False


def test_freezing_the_startup_heap_puts_the_live_objects_out_of_the_collector_s_reach() -> None:
    code = (
        "import gc; from commentdesk.memory import freeze_startup_heap; "
        "before = gc.get_freeze_count(); frozen = freeze_startup_heap(); "
        "print(before, frozen > 1000, gc.get_freeze_count() == frozen)"
    )
    answer = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert answer.stdout.split() == ["0", "True", "True"]

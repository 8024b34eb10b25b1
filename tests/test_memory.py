"""The serving process caps glibc's malloc arenas, unless the operator already did."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_a_web_worker_serving_readers_loads_no_numpy_redis_httpx_or_jose(tmp_path: Path) -> None:
    # 20, 7, 5 and 11 MB a process: loaded only by what needs them (the assessment worker's
    # models and a moderator's campaign view; a Redis URL; a webhook or a sign-on; a
    # subscriber's token or a sign-on).
    code = f"""
import sys
from commentdesk.cli.common import open_desk
from commentdesk.desk import Draft
from commentdesk.settings import Settings
from commentdesk.web import create_app
settings = Settings(database_url="sqlite:///{tmp_path / "worker.db"}", secret_key="s" * 40)
desk = open_desk(settings)  # migrates, as serve does
create_app(settings, desk=desk)
desk.catalog.ensure_site("news", name="News", origins=("https://news.example",))
desk.catalog.add_article("news", "a1", url="https://news.example/a1", title="A story")
draft = Draft(author="Reader", body="A comment worth reading.", accept_terms=True)
desk.comments.submit("a1", draft)
desk.threads.published(desk.catalog.article("a1"))
desk.close()
print(sorted(name for name in ("numpy", "redis", "httpx", "joserfc") if name in sys.modules))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"

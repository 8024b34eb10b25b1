"""Background threads that live as long as the server: delivery, assessment, publishing.

Each is started once the app's own lifespan has opened the desk, and stopped (joined,
off the event loop) before the desk is closed, so a stopping server leaves none behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from commentdesk.desk import Desk


class Background(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


def run_while_serving(app: FastAPI, make: Callable[[Desk], Background]) -> None:
    """Wraps the app's lifespan so ``make(desk)`` runs from start-up to shutdown."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with inner(app_) as state:
            worker = make(app_.state.desk)
            worker.start()
            try:
                yield state
            finally:
                await run_in_threadpool(worker.stop)

    app.router.lifespan_context = lifespan
